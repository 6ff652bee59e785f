/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * devmem-bench: goodput of a multi-flow UDP stream of 1500-byte frames
 * through an mlx5x queue bound to a devmem region (header/payload split:
 * payload tokens returned in batches, nothing copied), against the same
 * stream received normally and copied into the application's own buffer,
 * in the same run on the same port. Also host memory bytes written per
 * packet: the device's writes into host mbufs plus the application's
 * copy; for the split, headers only.
 *
 *   devmem-bench [EAL options] -- [--seconds S] [--flows N] [--size B]
 *                [--dev-mode inline|thread]
 *
 * The region is a memfd (the stand-in for GPU memory): on a real GPU the
 * payload bytes the device writes go over PCIe into device memory, not
 * into host DRAM as they do here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "rte_pmd_mlx5x.h"
#include "rte_pmd_mlx5x_devmem.h"

#define REGION_BYTES (64ull << 20)
#define HDR 42u

struct result {
	uint64_t pkts, payload, host_bytes, cycles;
	double secs;
};

static double seconds = 3;
static unsigned int flows = 64, size = 1500;
static const char *dev_mode = "inline";

/* Normal receive; the payload is copied into the application's buffer
 * (a ring over REGION_BYTES, as an app staging data for a GPU would). */
static void
run_copy(uint16_t port, uint8_t *appbuf, struct result *r)
{
	struct rte_mbuf *b[32];
	uint64_t pos = 0, t0 = rte_rdtsc(), end;

	end = t0 + (uint64_t)(seconds * rte_get_tsc_hz());
	memset(r, 0, sizeof(*r));
	while (rte_rdtsc() < end) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		for (uint16_t i = 0; i < n; i++) {
			uint32_t plen = b[i]->pkt_len - HDR;

			if (pos + plen > REGION_BYTES)
				pos = 0;
			/* one segment: the frame is all in the page */
			rte_memcpy(appbuf + pos,
				   rte_pktmbuf_mtod_offset(b[i], void *, HDR),
				   plen);
			pos += plen;
			r->payload += plen;
			/* the device wrote the frame, the app the copy */
			r->host_bytes += b[i]->pkt_len + plen;
		}
		r->pkts += n;
		rte_pktmbuf_free_bulk(b, n);
	}
	r->cycles = rte_rdtsc() - t0;
	r->secs = (double)r->cycles / rte_get_tsc_hz();
}

/* A burst from a bound queue: payload tokens back in one batch, mbufs
 * freed (which alone would not free the payloads). */
static void
consume(uint32_t id, struct rte_mbuf **b, uint16_t n)
{
	uint32_t tok[32];
	uint16_t nt = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_pmd_mlx5x_devmem_frag f;

		if (rte_pmd_mlx5x_devmem_frags(b[i], &f, 1) == 1)
			tok[nt++] = f.token;
	}
	if (nt != 0)
		rte_pmd_mlx5x_devmem_tokens_return(id, tok, nt);
	rte_pktmbuf_free_bulk(b, n);
}

/* Bound queue: headers in host mbufs, payloads stay in the region; the
 * tokens go back once per burst. */
static int
run_split(uint16_t port, int memfd, struct result *r)
{
	struct rte_pmd_mlx5x_devmem_region reg = {
		.type = RTE_PMD_MLX5X_DEVMEM_FD, .fd = memfd,
		.len = REGION_BYTES };
	struct rte_pmd_mlx5x_devmem_stats st;
	struct rte_mbuf *b[32];
	uint16_t q = 0;
	uint64_t t0, end;
	int id = rte_pmd_mlx5x_devmem_bind(port, &q, 1, &reg, NULL, NULL);

	if (id < 0) {
		fprintf(stderr, "bind: %s\n", strerror(-id));
		return -1;
	}
	memset(r, 0, sizeof(*r));
	/* what the queue held from before the bind is not ours to time */
	for (int i = 0; i < 64; i++)
		consume((uint32_t)id, b, rte_eth_rx_burst(port, 0, b, 32));
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	r->host_bytes = st.header_bytes;
	r->payload = st.payload_bytes;
	t0 = rte_rdtsc();
	end = t0 + (uint64_t)(seconds * rte_get_tsc_hz());
	while (rte_rdtsc() < end) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		consume((uint32_t)id, b, n);
		r->pkts += n;
	}
	r->cycles = rte_rdtsc() - t0;
	r->secs = (double)r->cycles / rte_get_tsc_hz();
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	/* header bytes: the only host memory receive wrote */
	r->host_bytes = st.header_bytes - r->host_bytes;
	r->payload = st.payload_bytes - r->payload;
	rte_pmd_mlx5x_devmem_unbind((uint32_t)id);
	return 0;
}

static void
print(const char *name, const struct result *r)
{
	printf("%-6s %8.3f Mpps  goodput %7.2f Gbit/s  host bytes written "
	       "per packet %6.1f  cycles per packet %6.1f\n", name,
	       r->pkts / r->secs / 1e6, r->payload * 8 / r->secs / 1e9,
	       r->pkts ? (double)r->host_bytes / r->pkts : 0.0,
	       r->pkts ? (double)r->cycles / r->pkts : 0.0);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "flows", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 'z' },
		{ "dev-mode", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct rte_eth_conf conf = {0};
	struct result copy, split;
	struct rte_mempool *mp;
	char dev[256];
	uint16_t port;
	uint8_t *appbuf;
	int n, c, memfd;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= n;
	argv += n;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': seconds = atof(optarg); break;
		case 'f': flows = (unsigned int)atoi(optarg); break;
		case 'z': size = (unsigned int)atoi(optarg); break;
		case 'm': dev_mode = optarg; break;
		default:
			fprintf(stderr, "usage: devmem-bench [EAL] -- [--seconds S] "
				"[--flows N] [--size B] [--dev-mode inline|thread]\n");
			return 2;
		}
	}
	if (size < 64 || size > 1514 || seconds <= 0) {
		fprintf(stderr, "devmem-bench: --size 64..1514, --seconds > 0\n");
		return 2;
	}
	snprintf(dev, sizeof(dev), "net_mlx5x0,wire=gen,gen_size=%u,gen_flows=%u,"
		 "dev_mode=%s%s", size, flows, dev_mode,
		 strcmp(dev_mode, "thread") == 0 ? ",dev_cpu=1" : "");
	mp = rte_pktmbuf_pool_create("mbufs", 8191, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	memfd = memfd_create("devmem-bench", MFD_CLOEXEC);
	appbuf = malloc(REGION_BYTES);
	if (mp == NULL || memfd < 0 || appbuf == NULL ||
	    ftruncate(memfd, REGION_BYTES) != 0 || rte_dev_probe(dev) != 0 ||
	    rte_eth_dev_get_port_by_name("net_mlx5x0", &port) != 0 ||
	    rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, 1024, SOCKET_ID_ANY, NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, 1024, SOCKET_ID_ANY, NULL) != 0 ||
	    rte_eth_dev_start(port) != 0) {
		fprintf(stderr, "devmem-bench: setup of %s failed\n", dev);
		return 1;
	}
	memset(appbuf, 0, REGION_BYTES); /* fault it in before timing */
	printf("%u-byte UDP frames over %u flows, dev_mode=%s, %.1f s each\n",
	       size, flows, dev_mode, seconds);
	run_copy(port, appbuf, &copy);
	if (run_split(port, memfd, &split) != 0)
		return 1;
	print("copy", &copy);
	print("split", &split);
	printf("split/copy goodput %.2f, host bytes written per packet %.3f\n",
	       (split.payload / split.secs) / (copy.payload / copy.secs),
	       ((double)split.host_bytes / split.pkts) /
	       ((double)copy.host_bytes / copy.pkts));
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_eal_cleanup();
	return 0;
}
