/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devmem header/payload split on net_mlx5x, end to end: rte_flow and RSS
 * steering onto a bound queue, byte-exact payloads read back through a
 * second mapping of the memfd region, headers in host mbufs, token
 * accounting and reclaim on unbind, bind and unbind under traffic while
 * another queue keeps receiving, restart rollback after an injected
 * failure, XDP seeing headers only, protocol-aware and fixed split points,
 * zero-copy TX from the region with batched notifications (checked byte
 * for byte in a pcap), the owner's handle, the rdma-core path and bad
 * input.
 */
#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_flow.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "pagepool.h"
#include "rte_pmd_mlx5x.h"
#include "rte_pmd_mlx5x_devmem.h"
#include "xdpc.h"
#include "mlx5x_test_port.h"

#define TPROGS MLX5X_BUILD_ROOT "/tests/xdp/"
#define GEN_HDR 42u
#define RETA_SIZE 512u /* the port's redirection table */ /* Ethernet + IPv4 + UDP of the generator's frames */

/* A memfd region and a second, read-only mapping of it: the test reads
 * payloads the way a GPU would see them, not through the device's. */
struct region {
	int fd;
	uint64_t len;
	const uint8_t *rb;
	struct rte_pmd_mlx5x_devmem_region r;
};

static int
region_make(struct region *g, uint64_t len)
{
	g->fd = memfd_create("mlx5x-devmem-test", MFD_CLOEXEC);
	if (g->fd < 0 || ftruncate(g->fd, (off_t)len) != 0)
		return -1;
	g->len = len;
	g->rb = mmap(NULL, len, PROT_READ, MAP_SHARED, g->fd, 0);
	if (g->rb == MAP_FAILED)
		return -1;
	g->r = (struct rte_pmd_mlx5x_devmem_region){
		.type = RTE_PMD_MLX5X_DEVMEM_FD, .fd = g->fd, .len = len };
	return 0;
}

static void
region_free(struct region *g)
{
	munmap((void *)(uintptr_t)g->rb, g->len);
	close(g->fd);
}

/* What one received packet was; checks it against the generator. */
struct seen {
	uint32_t flow;
	bool split;
	uint32_t token;
	int bad;        /* mismatches found */
};

static void
inspect(const struct region *g, uint32_t binding, struct rte_mbuf *m,
	uint32_t hlen_want, struct seen *s)
{
	const uint8_t *h = rte_pktmbuf_mtod(m, const uint8_t *);
	struct rte_pmd_mlx5x_devmem_frag f[2];
	int nf = rte_pmd_mlx5x_devmem_frags(m, f, 2);

	memset(s, 0, sizeof(*s));
	s->token = UINT32_MAX;
	s->flow = ((uint32_t)h[34] << 8 | h[35]) - 1024; /* UDP sport */
	if (rte_pmd_mlx5x_devmem_unreadable(m))
		s->bad++; /* the header segment must be host memory */
	if (nf == 0) {
		s->bad += m->nb_segs != 1;
		return;
	}
	s->split = true;
	s->token = f[0].token;
	if (nf != 1 || m->nb_segs != 2 || m->data_len != hlen_want ||
	    m->next->buf_addr != NULL || f[0].binding != binding ||
	    f[0].len != m->pkt_len - hlen_want ||
	    f[0].offset + f[0].len > g->len ||
	    !rte_pmd_mlx5x_devmem_unreadable(m->next)) {
		s->bad++;
		return;
	}
	/* the generator's payload byte i is i + flow */
	for (uint32_t i = 0; i < f[0].len; i++)
		if (g->rb[f[0].offset + i] !=
		    (uint8_t)(i + hlen_want - GEN_HDR + s->flow)) {
			s->bad++;
			return;
		}
}

static void
steer(uint16_t port, uint16_t bound_q)
{
	struct rte_eth_rss_reta_entry64 reta[RETA_SIZE / 64];
	struct rte_flow_attr attr = { .ingress = 1 };
	struct rte_flow_item_udp spec = { .hdr.src_port = RTE_BE16(1024) },
				 mask = { .hdr.src_port = RTE_BE16(0xfff8) };
	struct rte_flow_item pat[] = {
		{ .type = RTE_FLOW_ITEM_TYPE_ETH },
		{ .type = RTE_FLOW_ITEM_TYPE_IPV4 },
		{ .type = RTE_FLOW_ITEM_TYPE_UDP, .spec = &spec, .mask = &mask },
		{ .type = RTE_FLOW_ITEM_TYPE_END },
	};
	struct rte_flow_action_queue qa = { .index = bound_q };
	struct rte_flow_action acts[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &qa },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_error fe;

	/* RSS: everything else on queue 0 only */
	memset(reta, 0, sizeof(reta));
	for (unsigned int i = 0; i < RTE_DIM(reta); i++)
		reta[i].mask = UINT64_MAX;
	CHECK_EQ(rte_eth_dev_rss_reta_update(port, reta, RETA_SIZE), 0);
	/* flows 0..7 (sports 1024..1031) to the bound queue */
	CHECK(rte_flow_create(port, &attr, pat, acts, &fe) != NULL, "flow: %s",
	      fe.message ? fe.message : "");
}

static int
two_queue_port(const char *args, char *name, size_t nlen)
{
	struct port_opts o = { .nrxq = 2, .ntxq = 1, .no_start = true,
			       .rss_hf = RTE_ETH_RSS_IPV4 |
					 RTE_ETH_RSS_NONFRAG_IPV4_UDP };
	int port = port_up(args, &o, name, nlen);

	if (port < 0)
		return -1;
	steer((uint16_t)port, 1);
	CHECK_EQ(rte_eth_dev_start((uint16_t)port), 0);
	return port;
}

/* Steering, split, byte-exact payloads, headers in host memory, token
 * accounting, reclaim on unbind, a conflicting bind. */
static void
test_split_and_tokens(void)
{
	const unsigned int total = 20000;
	char name[32];
	struct region g;
	uint16_t q1 = 1;
	unsigned int got[2] = {0}, wrongq = 0, bad = 0, idle = 0, split = 0;
	uint32_t held[5], nheld = 0, ret[32], nret = 0;
	struct rte_pmd_mlx5x_devmem_stats st;
	int port, id;

	REQUIRE(region_make(&g, 8u << 20) == 0, "memfd region");
	port = two_queue_port("wire=gen,gen_size=1500,gen_flows=16,"
			      "gen_count=20000,dev_mode=inline", name,
			      sizeof(name));
	if (port < 0)
		return;
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q1, 1, &g.r, NULL, NULL);
	REQUIRE(id > 0, "bind: %d", id);
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q1, 1, &g.r, NULL,
					   NULL), -EBUSY);
	CHECK_EQ(rte_eth_rx_queue_setup((uint16_t)port, 1, 256, SOCKET_ID_ANY,
					NULL, mbufs), -EBUSY);
	while (idle < 200) {
		struct rte_mbuf *b[32];
		unsigned int n = 0;

		for (uint16_t q = 0; q < 2; q++) {
			uint16_t k = rte_eth_rx_burst((uint16_t)port, q, b, 32);

			for (uint16_t i = 0; i < k; i++) {
				struct seen s;

				inspect(&g, (uint32_t)id, b[i], GEN_HDR, &s);
				bad += s.bad;
				/* flows 0..7 steered to 1, split; others RSS
				 * to queue 0, whole */
				wrongq += (q == 1) != (s.flow < 8) ||
					  s.split != (q == 1);
				split += s.split;
				if (s.split && nheld < RTE_DIM(held)) {
					held[nheld++] = s.token;
				} else if (s.split) {
					ret[nret++] = s.token;
					if (nret == RTE_DIM(ret)) {
						CHECK_EQ(rte_pmd_mlx5x_devmem_tokens_return(
							(uint32_t)id, ret, nret), nret);
						nret = 0;
					}
				}
			}
			got[q] += k;
			n += k;
			rte_pktmbuf_free_bulk(b, k);
		}
		idle = n ? 0 : idle + 1;
	}
	if (nret != 0)
		CHECK_EQ(rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, ret,
							    nret), nret);
	printf("  q0 %u, q1 %u (split %u), wrong queue %u, bad %u\n", got[0],
	       got[1], split, wrongq, bad);
	CHECK_EQ(got[0] + got[1], total);
	CHECK_EQ(got[1], total / 2);
	CHECK_EQ(split, got[1]);
	CHECK_EQ(wrongq, 0);
	CHECK_EQ(bad, 0);
	REQUIRE(rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st) == 0, "stats");
	CHECK_EQ(st.bound_queues, 1);
	CHECK_EQ(st.splits, got[1]);
	CHECK_EQ(st.fallback, 0);
	CHECK_EQ(st.chunks_delivered, got[1]);
	CHECK_EQ(st.chunks_returned, got[1] - 5);
	CHECK_EQ(st.chunks_in_flight, 5);
	CHECK_EQ(st.header_bytes, (uint64_t)got[1] * GEN_HDR);
	CHECK_EQ(st.payload_bytes, (uint64_t)got[1] * (1500 - GEN_HDR));
	/* a token given back twice is refused and counted */
	CHECK_EQ(rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, held, 1), 1);
	CHECK_EQ(rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, held, 1), 0);
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	CHECK_EQ(st.bad_tokens, 1);
	CHECK_EQ(st.chunks_in_flight, 4);
	/* unbind reclaims the 4 still held and says so */
	CHECK_EQ(rte_pmd_mlx5x_devmem_unbind((uint32_t)id), 4);
	CHECK_EQ(rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st), -ENOENT);
	CHECK_EQ(rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, held + 1, 1),
		 -ENOENT);
	CHECK_EQ(rte_pmd_mlx5x_devmem_unbind((uint32_t)id), -ENOENT);
	port_down(port, name);
	CHECK_EQ(pp_reap(), 0); /* every page and chunk back: pools freed */
	region_free(&g);
}

/* ---- bind and unbind under traffic ---- */

static struct {
	uint16_t port;
	const struct region *g;
	volatile int stop;
	volatile uint32_t id;      /* current binding, 0 none */
	uint64_t q0, q1, split, bad, returned, refused;
} ut;

static int
poller(void *arg)
{
	(void)arg;
	while (!ut.stop) {
		struct rte_mbuf *b[32];

		for (uint16_t q = 0; q < 2; q++) {
			uint16_t k = rte_eth_rx_burst(ut.port, q, b, 32);

			for (uint16_t i = 0; i < k; i++) {
				struct rte_pmd_mlx5x_devmem_frag f;
				struct seen s;

				if (rte_pmd_mlx5x_devmem_frags(b[i], &f, 1) == 1) {
					inspect(ut.g, f.binding, b[i], GEN_HDR, &s);
					ut.bad += s.bad;
					ut.split++;
					if (rte_pmd_mlx5x_devmem_tokens_return(
						f.binding, &f.token, 1) == 1)
						ut.returned++;
					else
						ut.refused++;
				} else if (b[i]->nb_segs != 1) {
					ut.bad++;
				}
			}
			__atomic_fetch_add(q ? &ut.q1 : &ut.q0, k,
					   __ATOMIC_RELAXED);
			rte_pktmbuf_free_bulk(b, k);
		}
	}
	return 0;
}

static void
test_bind_under_traffic(void)
{
	char name[32];
	struct region g;
	uint16_t q1 = 1;
	unsigned int lc = rte_get_next_lcore(-1, 1, 0), starved = 0;
	int port, reclaimed = 0;

	REQUIRE(lc < RTE_MAX_LCORE, "a worker lcore");
	REQUIRE(region_make(&g, 8u << 20) == 0, "memfd region");
	port = two_queue_port("wire=gen,gen_size=1500,gen_flows=16,"
			      "gen_pps=400000,dev_mode=inline", name,
			      sizeof(name));
	if (port < 0)
		return;
	memset(&ut, 0, sizeof(ut));
	ut.port = (uint16_t)port;
	ut.g = &g;
	rte_eal_remote_launch(poller, NULL, lc);
	rte_delay_ms(20);
	for (int cycle = 0; cycle < 20; cycle++) {
		uint64_t q0 = __atomic_load_n(&ut.q0, __ATOMIC_RELAXED);
		int id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q1, 1, &g.r,
						   NULL, NULL);

		CHECK(id > 0, "bind %d: %d", cycle, id);
		rte_delay_ms(15);
		if (id > 0) {
			int r = rte_pmd_mlx5x_devmem_unbind((uint32_t)id);

			CHECK(r >= 0, "unbind %d: %d", cycle, r);
			reclaimed += r > 0 ? r : 0;
		}
		rte_delay_ms(5);
		/* the other queue carried traffic meanwhile */
		starved += __atomic_load_n(&ut.q0, __ATOMIC_RELAXED) == q0;
	}
	ut.stop = 1;
	rte_eal_wait_lcore(lc);
	printf("  q0 %" PRIu64 ", q1 %" PRIu64 " (split %" PRIu64 ", returned %"
	       PRIu64 ", refused after unbind %" PRIu64 ", reclaimed %d), "
	       "bad %" PRIu64 "\n", ut.q0, ut.q1, ut.split, ut.returned,
	       ut.refused, reclaimed, ut.bad);
	CHECK_EQ(ut.bad, 0);
	CHECK_EQ(starved, 0);
	CHECK(ut.split > 1000, "split frames: %" PRIu64, ut.split);
	CHECK(ut.q1 > ut.split, "q1 also received unbound");
	/* a chunk is either returned by the poller or reclaimed by unbind */
	CHECK_EQ(ut.returned + (uint64_t)reclaimed, ut.split);
	port_down(port, name);
	CHECK_EQ(pp_reap(), 0);
	region_free(&g);
}

/* A failed restart leaves the queue running on its old memory. */
static void
test_restart_fault(void)
{
	char name[32];
	struct region g;
	uint16_t q = 0;
	struct rte_mbuf *b[32];
	unsigned int n = 0, segs = 0;
	int port, id;

	REQUIRE(region_make(&g, 4u << 20) == 0, "memfd region");
	port = port_up("wire=gen,gen_size=1500,gen_flows=4,dev_mode=inline",
		       NULL, name, sizeof(name));
	if (port < 0)
		return;
	CHECK_EQ(rte_pmd_mlx5x_inject_restart_fault((uint16_t)port, 0), 0);
	CHECK_EQ(rte_pmd_mlx5x_inject_restart_fault((uint16_t)port, 5), -EINVAL);
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, NULL,
					   NULL), -EIO);
	for (int i = 0; i < 100 && n < 1000; i++) {
		uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32);

		for (uint16_t j = 0; j < k; j++)
			segs += b[j]->nb_segs;
		n += k;
		rte_pktmbuf_free_bulk(b, k);
	}
	CHECK(n >= 1000, "queue receives after the failed restart: %u", n);
	CHECK_EQ(segs, n); /* unsplit: host memory only */
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, NULL, NULL);
	CHECK(id > 0, "bind after recovery: %d", id);
	n = 0;
	for (int i = 0; i < 100 && n == 0; i++) {
		uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32);

		for (uint16_t j = 0; j < k; j++) {
			struct rte_pmd_mlx5x_devmem_frag f;

			n += rte_pmd_mlx5x_devmem_frags(b[j], &f, 1) == 1;
		}
		rte_pktmbuf_free_bulk(b, k);
	}
	CHECK(n > 0, "split after the second bind");
	if (id > 0)
		CHECK(rte_pmd_mlx5x_devmem_unbind((uint32_t)id) >= 1,
		      "unbind reports the chunks left unreturned");
	port_down(port, name);
	CHECK_EQ(pp_reap(), 0);
	region_free(&g);
}

/* XDP on a bound queue sees the header and nothing past it. */
static void
test_xdp_header_only(void)
{
	char name[32], err[256];
	struct region g;
	uint16_t q = 0;
	unsigned int passed = 0, bad = 0, idle = 0;
	uint32_t toks[32];
	struct rte_pmd_mlx5x_xdp_stats xs;
	struct rte_pmd_mlx5x_devmem_stats st;
	struct xdpc_obj *o;
	struct xdpc_map *m;
	uint64_t v[4];
	int port, id;

	REQUIRE(region_make(&g, 4u << 20) == 0, "memfd region");
	o = xdpc_obj_open(TPROGS "devmem_hdr.o", err, sizeof(err));
	REQUIRE(o != NULL && xdpc_obj_load(o, err, sizeof(err)) == 0, "%s", err);
	port = port_up("wire=gen,gen_size=1500,gen_flows=4,gen_count=4000,"
		       "dev_mode=inline", NULL, name, sizeof(name));
	if (port < 0)
		return;
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, NULL, NULL);
	REQUIRE(id > 0, "bind: %d", id);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(o, "devmem_hdr")), 0);
	while (idle < 200) {
		struct rte_mbuf *b[32];
		uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32), nt = 0;

		for (uint16_t i = 0; i < k; i++) {
			struct seen s;

			inspect(&g, (uint32_t)id, b[i], GEN_HDR, &s);
			bad += s.bad + !s.split + (s.flow & 1);
			if (s.split)
				toks[nt++] = s.token;
		}
		rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, toks, nt);
		rte_pktmbuf_free_bulk(b, k);
		passed += k;
		idle = k ? 0 : idle + 1;
	}
	m = xdpc_obj_map(o, "dm_seen");
	for (uint32_t k = 0; k < 4; k++)
		xdpc_map_lookup(m, &k, &v[k]);
	printf("  program saw %" PRIu64 " frames, longest %" PRIu64
	       " B; loads past the header %" PRIu64 ", buff_len beyond it %"
	       PRIu64 "; passed %u\n", v[0], v[1], v[2], v[3], passed);
	CHECK_EQ(v[0], 4000);
	CHECK_EQ(v[1], GEN_HDR);
	CHECK_EQ(v[2], 0);
	CHECK_EQ(v[3], 0);
	CHECK_EQ(passed, 2000);
	CHECK_EQ(bad, 0);
	rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &xs);
	CHECK_EQ(xs.rx, 4000);
	CHECK_EQ(xs.drop, 2000);
	CHECK_EQ(xs.pass, 2000);
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	CHECK_EQ(st.splits, 4000);
	CHECK_EQ(st.chunks_delivered, 2000);
	CHECK_EQ(st.chunks_in_flight, 0);
	/* dropped frames' chunks went straight back: nothing to reclaim */
	CHECK_EQ(rte_pmd_mlx5x_devmem_unbind((uint32_t)id), 0);
	rte_pmd_mlx5x_xdp_detach((uint16_t)port, 0);
	port_down(port, name);
	xdpc_obj_close(o);
	CHECK_EQ(pp_reap(), 0);
	region_free(&g);
}

/* ---- split points: TCP with options, IPv6/UDP, no L4, a fragment ---- */

static uint32_t
frame_tcp(uint8_t *p)
{
	memset(p, 0, 566);
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	p[14] = 0x45;
	p[16] = (552 >> 8); p[17] = 552 & 0xff;
	p[22] = 64; p[23] = 6;
	p[14 + 20 + 12] = 8 << 4;   /* 32-byte TCP header */
	for (int i = 0; i < 500; i++)
		p[66 + i] = (uint8_t)(i * 3);
	return 566;
}

static uint32_t
frame_udp6(uint8_t *p)
{
	memset(p, 0, 362);
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x86\xdd", 14);
	p[14] = 0x60;
	p[18] = (8 + 300) >> 8; p[19] = (8 + 300) & 0xff;
	p[20] = 17; p[21] = 64;
	for (int i = 0; i < 300; i++)
		p[62 + i] = (uint8_t)(i * 5);
	return 362;
}

static uint32_t
frame_arp(uint8_t *p)
{
	memset(p, 0, 60);
	memcpy(p, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x02\x08\x06", 14);
	return 60;
}

static uint32_t
frame_frag(uint8_t *p)
{
	memset(p, 0, 200);
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	p[14] = 0x45;
	p[16] = 0; p[17] = 186;
	p[20] = 0x20;               /* more fragments */
	p[22] = 64; p[23] = 17;
	return 200;
}

static void
test_split_points(void)
{
	char in[] = "/tmp/mlx5x-dm-XXXXXX", name[32], args[256];
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	uint32_t (*mk[])(uint8_t *) = { frame_tcp, frame_udp6, frame_arp,
					frame_frag };
	struct pcap_pkthdr h = {0};
	struct region g;
	pcap_dumper_t *d;
	uint8_t frame[600];
	uint16_t q = 0;
	int fd = mkstemp(in), port, id;
	unsigned int checked[2] = {0}, bad = 0;

	close(fd);
	REQUIRE(region_make(&g, 4u << 20) == 0, "memfd region");
	d = pcap_dump_open(dead, in);
	REQUIRE(d != NULL, "pcap_dump_open");
	for (unsigned int i = 0; i < RTE_DIM(mk); i++) {
		h.caplen = h.len = mk[i](frame);
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	snprintf(args, sizeof(args), "wire=pcap,rx_pcap=%s,pcap_loop=1,"
		 "dev_mode=inline", in);
	port = port_up(args, NULL, name, sizeof(name));
	if (port < 0)
		return;
	for (int mode = 0; mode < 2; mode++) {
		struct rte_pmd_mlx5x_devmem_conf c = {
			.split = mode ? RTE_PMD_MLX5X_DEVMEM_SPLIT_FIXED :
					RTE_PMD_MLX5X_DEVMEM_SPLIT_L4,
			.split_len = 64,
		};
		struct rte_pmd_mlx5x_devmem_stats st;

		id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, &c,
					       NULL);
		REQUIRE(id > 0, "bind: %d", id);
		while (checked[mode] < 400) {
			struct rte_mbuf *b[32];
			uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32);

			for (uint16_t i = 0; i < k; i++) {
				struct rte_mbuf *m = b[i];
				struct rte_pmd_mlx5x_devmem_frag f;
				uint32_t want, len = m->pkt_len;
				int nf = rte_pmd_mlx5x_devmem_frags(m, &f, 1);

				if (mode == 1)
					want = RTE_MIN(64u, len);
				else
					want = len == 566 ? 66 : len == 362 ? 62 :
					       len;
				if (m->data_len != want ||
				    nf != (want < len) ||
				    (nf && f.len != len - want)) {
					bad++;
				} else if (nf) {
					uint8_t ref[600];

					mk[len == 566 ? 0 : len == 362 ? 1 :
					   len == 60 ? 2 : 3](ref);
					bad += memcmp(g.rb + f.offset, ref + want,
						      f.len) != 0;
					bad += memcmp(rte_pktmbuf_mtod(m, void *),
						      ref, want) != 0;
					rte_pmd_mlx5x_devmem_tokens_return(
						(uint32_t)id, &f.token, 1);
				}
				checked[mode]++;
			}
			rte_pktmbuf_free_bulk(b, k);
		}
		rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
		printf("  %s split: %" PRIu64 " split, %" PRIu64 " fallback\n",
		       mode ? "fixed 64 B" : "L4", st.splits, st.fallback);
		if (mode == 0) {
			/* ARP and the fragment fall back: half the frames */
			CHECK(st.fallback >= st.splits - 2 &&
			      st.fallback <= st.splits + 2,
			      "fallback %" PRIu64 " vs split %" PRIu64,
			      st.fallback, st.splits);
		} else {
			CHECK_EQ(st.fallback, 0);
		}
		CHECK(rte_pmd_mlx5x_devmem_unbind((uint32_t)id) >= 0, "unbind");
	}
	CHECK_EQ(bad, 0);
	port_down(port, name);
	unlink(in);
	region_free(&g);
}

/* ---- zero-copy TX from the region ---- */

static void
test_tx_notif(void)
{
	char out[] = "/tmp/mlx5x-dmtx-XXXXXX", name[32], args[256];
	const unsigned int n = 300, plen = 1000;
	struct rte_pmd_mlx5x_devmem_notif nt[64];
	struct rte_pmd_mlx5x_devmem_stats st;
	struct region g;
	uint8_t *w, cover[300] = {0};
	unsigned int ranges = 0, notified = 0, sent = 0;
	int fd = mkstemp(out), port, id;

	close(fd);
	REQUIRE(region_make(&g, 1u << 20) == 0, "memfd region");
	w = mmap(NULL, g.len, PROT_WRITE, MAP_SHARED, g.fd, 0);
	REQUIRE(w != MAP_FAILED, "writable mapping");
	for (uint32_t i = 0; i < g.len; i++)
		w[i] = (uint8_t)(i * 7 + (i >> 8));
	munmap(w, g.len);
	snprintf(args, sizeof(args), "wire=pcap,tx_pcap=%s,dev_mode=inline",
		 out);
	port = port_up(args, NULL, name, sizeof(name));
	if (port < 0)
		return;
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, NULL, 0, &g.r, NULL, NULL);
	REQUIRE(id > 0, "TX binding: %d", id);
	CHECK(rte_pmd_mlx5x_devmem_tx_seg((uint32_t)id, g.len - 10, 20, NULL) ==
	      NULL && rte_errno == ERANGE, "a segment outside the region");
	while (sent < n) {
		struct rte_mbuf *b[32];
		unsigned int k = RTE_MIN(32u, n - sent), s = 0;

		for (unsigned int i = 0; i < k; i++) {
			struct rte_mbuf *hd = rte_pktmbuf_alloc(mbufs);
			uint8_t *p;
			uint32_t seq;
			struct rte_mbuf *seg = rte_pmd_mlx5x_devmem_tx_seg(
				(uint32_t)id, (uint64_t)(sent + i) * 3001 % (g.len - plen),
				plen, &seq);

			REQUIRE(hd != NULL, "header mbuf");
			p = rte_pktmbuf_mtod(hd, uint8_t *);
			hd->data_len = hd->pkt_len = GEN_HDR;
			memset(p, 0, GEN_HDR);
			memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02"
			       "\x08\x00", 14);
			p[14] = 0x45;
			p[40] = (uint8_t)(sent + i);
			CHECK_EQ(seq, sent + i);
			REQUIRE(seg != NULL, "tx_seg");
			rte_pktmbuf_chain(hd, seg);
			b[i] = hd;
		}
		while (s < k)
			s += rte_eth_tx_burst((uint16_t)port, 0, b + s,
					      (uint16_t)(k - s));
		sent += k;
	}
	for (int i = 0; i < 1000 && notified < n; i++) {
		int r;

		rte_eth_tx_burst((uint16_t)port, 0, NULL, 0); /* completions */
		r = rte_pmd_mlx5x_devmem_tx_notif((uint32_t)id, nt, RTE_DIM(nt));
		for (int j = 0; j < r; j++) {
			ranges++;
			for (uint32_t s = nt[j].lo; s <= nt[j].hi && s < n; s++) {
				cover[s]++;
				notified++;
			}
		}
		rte_delay_us(100);
	}
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	printf("  %u sends, %u notified in %u ranges; wire tx_frames %" PRIu64
	       "\n", n, notified, ranges, xstat((uint16_t)port, "wire_tx_frames"));
	CHECK_EQ(notified, n);
	for (unsigned int s = 0; s < n; s++)
		CHECK(cover[s] == 1, "send %u notified %u times", s, cover[s]);
	CHECK(ranges < n / 4, "batched: %u ranges for %u sends", ranges, n);
	CHECK_EQ(st.tx_segs, n);
	CHECK_EQ(st.tx_notified, n);
	CHECK_EQ(rte_pmd_mlx5x_devmem_unbind((uint32_t)id), 0);
	port_down(port, name);
	{
		char e[PCAP_ERRBUF_SIZE];
		pcap_t *pc = pcap_open_offline(out, e);
		struct pcap_pkthdr *ph;
		const u_char *data;
		unsigned int frames = 0, bad = 0;

		REQUIRE(pc != NULL, "%s", e);
		while (pcap_next_ex(pc, &ph, &data) == 1) {
			uint32_t i = data[40];
			uint64_t off;

			/* frames went out in order: frame f is send f */
			i = frames;
			off = (uint64_t)i * 3001 % (g.len - plen);
			bad += ph->caplen != GEN_HDR + plen ||
			       data[40] != (uint8_t)i ||
			       memcmp(data + GEN_HDR, g.rb + off, plen) != 0;
			frames++;
		}
		pcap_close(pc);
		CHECK_EQ(frames, n);
		CHECK_EQ(bad, 0);
	}
	unlink(out);
	region_free(&g);
}

static int
rdma_devices(void)
{
	DIR *d = opendir("/sys/class/infiniband");
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n;
}

/* The owner's handle, the rdma-core path, and bad input. */
static void
test_handle_verbs_badinput(void)
{
	char name[32];
	struct region g, small;
	struct rte_pmd_mlx5x_devmem_stats st;
	struct rte_pmd_mlx5x_devmem_conf c = { 0 };
	struct rte_pmd_mlx5x_devmem_region r;
	uint16_t q = 0, q9 = 9;
	int port, id, h = -1, gone = 0;

	REQUIRE(region_make(&g, 4u << 20) == 0, "memfd region");
	REQUIRE(region_make(&small, 64u << 10) == 0, "small region");
	port = port_up("wire=gen,gen_size=1500,gen_flows=4,gen_pps=100000,"
		       "dev_mode=inline", NULL, name, sizeof(name));
	if (port < 0)
		return;
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, NULL, &h);
	REQUIRE(id > 0 && h >= 0, "bind with a handle: %d", id);
	close(h);
	for (int i = 0; i < 300 && !gone; i++) {
		struct rte_mbuf *b[32];
		uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32);

		rte_pktmbuf_free_bulk(b, k);
		gone = rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st) ==
		       -ENOENT;
		rte_delay_ms(10);
	}
	CHECK(gone, "closing the handle unbinds");

	c.flags = RTE_PMD_MLX5X_DEVMEM_F_VERBS;
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, &c, NULL);
	if (rdma_devices() == 0)
		CHECK_EQ(id, -ENODEV);
	if (id > 0)
		rte_pmd_mlx5x_devmem_unbind((uint32_t)id);
	c.flags = 0;

	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q9, 1, &g.r, NULL,
					   NULL), -EINVAL);
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind(RTE_MAX_ETHPORTS - 1, &q, 1, &g.r,
					   NULL, NULL), -EINVAL);
	c.chunk_size = 1000;
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, &c,
					   NULL), -EINVAL);
	c.chunk_size = 0;
	c.split = RTE_PMD_MLX5X_DEVMEM_SPLIT_FIXED;
	c.split_len = 5;
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &g.r, &c,
					   NULL), -EINVAL);
	r = g.r;
	r.type = 9;
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &r, NULL,
					   NULL), -EINVAL);
	r = g.r;
	r.offset = 100;
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &r, NULL,
					   NULL), -EINVAL);
	r.offset = 0;
	r.fd = -1;
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &r, NULL,
					   NULL), -EINVAL);
	/* CUDA where there is no GPU (or no CUDA in the build): refused
	 * with a reason, and the process goes on */
	if (access("/dev/nvidiactl", F_OK) != 0) {
		struct rte_pmd_mlx5x_devmem_region cr;

		r = g.r;
		r.type = RTE_PMD_MLX5X_DEVMEM_CUDA;
		r.va = (void *)(uintptr_t)0x10000;
		id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &r, NULL,
					       NULL);
		CHECK(id == -ENODEV || id == -ENOTSUP, "CUDA bind: %d", id);
		id = rte_pmd_mlx5x_devmem_cuda_alloc(0, 1u << 20, &cr);
		CHECK(id == -ENODEV || id == -ENOTSUP, "CUDA alloc: %d", id);
	}
	/* 16 chunks cannot feed 256 descriptors: refused, queue untouched */
	CHECK_EQ(rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &small.r,
					   NULL, NULL), -EINVAL);
	{
		struct rte_mbuf *b[32];
		unsigned int n = 0;

		for (int i = 0; i < 200 && n < 64; i++) {
			uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32);

			n += k;
			rte_pktmbuf_free_bulk(b, k);
			rte_delay_us(500);
		}
		CHECK(n >= 64, "the queue still receives: %u", n);
	}
	port_down(port, name);
	CHECK_EQ(pp_reap(), 0);
	region_free(&small);
	region_free(&g);
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (test_ports_init(argv[0]) != 0)
		return 1;
	RUN(test_split_and_tokens);
	RUN(test_bind_under_traffic);
	RUN(test_restart_fault);
	RUN(test_xdp_header_only);
	RUN(test_split_points);
	RUN(test_tx_notif);
	RUN(test_handle_verbs_badinput);
	rte_eal_cleanup();
	return test_report("mlx5x-devmem");
}
