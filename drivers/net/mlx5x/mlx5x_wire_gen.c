/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wire=gen: a traffic generator at the far end of the cable, like pktgen.
 * Valid Ethernet/IPv4/UDP frames of gen_size bytes over gen_flows source
 * ports, with correct checksums, optionally paced to gen_pps and stopped
 * after gen_count. Frames are prebuilt per flow, so generating costs
 * nothing per packet; the device model's DMA is the copy. Transmitted
 * frames are counted and dropped, as by a receiver that only counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_udp.h>

#include "mlx5x_devargs.h"
#include "mlx5x_wire.h"

extern int mlx5x_logtype;

#define GEN_MAX_TEMPLATE_BYTES (64u << 20)

struct gen {
	uint8_t *tmpl;       /* flows x size */
	uint32_t size, flows, next;
	uint64_t count;      /* 0 = unlimited */
	uint64_t sent;
	uint64_t pps;
	uint64_t tsc_hz, last_tsc;
	double tokens;
};

static void
build(uint8_t *p, uint32_t size, uint32_t flow, const uint8_t dst_mac[6])
{
	struct rte_ether_hdr *eth = (void *)p;
	struct rte_ipv4_hdr *ip = (void *)(eth + 1);
	struct rte_udp_hdr *udp = (void *)(ip + 1);
	uint8_t *payload = (uint8_t *)(udp + 1);
	uint32_t plen = size - sizeof(*eth) - sizeof(*ip) - sizeof(*udp);

	memcpy(eth->dst_addr.addr_bytes, dst_mac, 6);
	memcpy(eth->src_addr.addr_bytes, "\x02\x00\x00\x00\x00\xfe", 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(size - sizeof(*eth)));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 19, 0, 1));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1024 + flow));
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(plen + sizeof(*udp)));
	for (uint32_t i = 0; i < plen; i++)
		payload[i] = (uint8_t)(i + flow);
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
}

static int
gen_open(struct mlx5x_wire *w, const struct mlx5x_devargs *da)
{
	struct gen *g;

	if ((uint64_t)da->gen_flows * da->gen_size > GEN_MAX_TEMPLATE_BYTES) {
		rte_log(RTE_LOG_ERR, mlx5x_logtype,
			"mlx5x: devargs gen_flows=%u x gen_size=%u: over %u MiB "
			"of templates\n", da->gen_flows, da->gen_size,
			GEN_MAX_TEMPLATE_BYTES >> 20);
		return -EINVAL;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return -ENOMEM;
	g->tmpl = aligned_alloc(64, RTE_ALIGN_CEIL((size_t)da->gen_flows *
						   da->gen_size, 64));
	if (g->tmpl == NULL) {
		free(g);
		return -ENOMEM;
	}
	g->size = da->gen_size;
	g->flows = da->gen_flows;
	g->count = da->gen_count;
	g->pps = da->gen_pps;
	g->tsc_hz = rte_get_tsc_hz();
	for (uint32_t f = 0; f < g->flows; f++)
		build(g->tmpl + (size_t)f * g->size, g->size, f, w->emu->mac);
	/* Let the device cache its parse of each template. */
	w->emu->flow_cache = calloc(g->flows, sizeof(*w->emu->flow_cache));
	w->emu->flow_cache_gen = calloc(g->flows, sizeof(uint32_t));
	if (w->emu->flow_cache && w->emu->flow_cache_gen) {
		w->emu->flow_cache_n = g->flows;
		/* generation 0 is never current: parse_gen starts at 1 */
		w->emu->parse_gen = 1;
	}
	w->priv = g;
	return 0;
}

static unsigned int
gen_rx_peek(struct mlx5x_wire *w, struct mlx5x_frame *f, unsigned int n)
{
	struct gen *g = w->priv;
	unsigned int i;
	uint32_t flow = g->next;

	if (g->count != 0 && g->sent + n > g->count)
		n = (unsigned int)(g->count - g->sent);
	if (g->pps != 0) {
		uint64_t now = rte_rdtsc();

		if (g->last_tsc == 0)
			g->last_tsc = now;
		g->tokens += (double)(now - g->last_tsc) * g->pps / g->tsc_hz;
		g->last_tsc = now;
		if (g->tokens > 64)
			g->tokens = 64;
		if (n > g->tokens)
			n = (unsigned int)g->tokens;
	}
	for (i = 0; i < n; i++) {
		f[i].data = g->tmpl + (size_t)flow * g->size;
		f[i].len = g->size;
		f[i].flow = flow;
		if (++flow == g->flows)
			flow = 0;
	}
	return n;
}

static void
gen_rx_release(struct mlx5x_wire *w, unsigned int n)
{
	struct gen *g = w->priv;

	g->sent += n;
	g->next = (uint32_t)((g->next + n) % g->flows);
	if (g->pps != 0)
		g->tokens -= n;
}

static unsigned int
gen_tx(struct mlx5x_wire *w, const struct mlx5x_frame *f, unsigned int n)
{
	(void)w;
	(void)f;
	return n;
}

static void
gen_close(struct mlx5x_wire *w)
{
	struct gen *g = w->priv;

	if (g != NULL) {
		free(g->tmpl);
		free(g);
	}
	w->priv = NULL;
}

const struct mlx5x_wire_ops mlx5x_wire_gen = {
	.name = "gen",
	.open = gen_open,
	.rx_peek = gen_rx_peek,
	.rx_release = gen_rx_release,
	.tx = gen_tx,
	.close = gen_close,
};
