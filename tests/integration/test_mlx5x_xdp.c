/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native XDP in the mlx5x driver, end to end with exact bytes: DROP with
 * no mbuf made, TX byte-exact after the MAC swap (pcap wire), PASS with
 * adjusted data and metadata, redirect to another mlx5x port and to a
 * port of another driver, XSKMAP/CPUMAP rings, multi-buffer frames,
 * ABORTED, a program swapped under traffic from another lcore with no
 * packet unaccounted, counter conservation, pages back after stop, and
 * bad devargs.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "rte_pmd_mlx5x.h"
#include "xdpc.h"
#include "xdpc_testing.h"
#include "mlx5x_test_port.h"

/* linux/bpf.h and pcap/bpf.h both define struct bpf_insn: the few
 * kernel names needed here */
#define BPF_ANY 0
#define XDP_ABORTED 0
struct bpf_cpumap_val {
	uint32_t qsize;
	uint32_t bpf_prog;
};

#define PROGS MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/"
#define TPROGS MLX5X_BUILD_ROOT "/tests/xdp/"

/* Every frame the program ran on is in exactly one counter. */
static void
check_conservation(uint16_t port)
{
	struct rte_pmd_mlx5x_xdp_stats s;
	struct rte_eth_stats es;

	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get(port, RTE_PMD_MLX5X_ALL_QUEUES,
					     &s), 0);
	CHECK_EQ(s.rx, s.drop + s.pass + s.tx + s.redirect + s.aborted +
		       s.tx_errors + s.redirect_errors);
	CHECK_EQ(rte_eth_stats_get(port, &es), 0);
	CHECK_EQ(es.ipackets, s.rx);
}

/* Poll (freeing what comes up) until the wire has offered @want frames and
 * the queue has taken them all, or 2 s pass without progress. */
static unsigned int
drain(uint16_t port, uint64_t want, struct rte_mbuf **keep, unsigned int nkeep)
{
	uint64_t hz = rte_get_timer_hz(), last = rte_get_timer_cycles();
	struct rte_mbuf *b[32];
	unsigned int got = 0;
	struct rte_eth_stats es;

	for (;;) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		for (uint16_t i = 0; i < n; i++) {
			if (keep != NULL && got < nkeep)
				keep[got] = b[i];
			else
				rte_pktmbuf_free(b[i]);
			got++;
		}
		rte_eth_stats_get(port, &es);
		if (es.ipackets + es.imissed + es.ierrors + es.rx_nombuf >= want)
			break;
		if (n != 0 || es.ipackets != 0)
			last = n ? rte_get_timer_cycles() : last;
		if (rte_get_timer_cycles() - last > 2 * hz)
			break;
	}
	return got;
}

static struct xdpc_obj *
load(const char *path, const char *global, uint32_t val)
{
	char err[512];
	struct xdpc_obj *o = xdpc_obj_open(path, err, sizeof(err));

	if (o == NULL) {
		CHECK(0, "open %s: %s", path, err);
		return NULL;
	}
	if (global != NULL &&
	    xdpc_obj_set_global(o, global, &val, sizeof(val), err,
				sizeof(err)) != 0) {
		CHECK(0, "set %s: %s", global, err);
		xdpc_obj_close(o);
		return NULL;
	}
	if (xdpc_obj_load(o, err, sizeof(err)) != 0) {
		CHECK(0, "load %s: %s", path, err);
		xdpc_obj_close(o);
		return NULL;
	}
	return o;
}

/* A pcap of @n frames: frame i is @len(i) bytes of a pattern, to the
 * broadcast-free unicast MAC 02:00:00:00:00:01 from 02:00:00:00:00:02. */
static void
write_pcap(const char *path, unsigned int n, uint32_t (*len)(unsigned int))
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	static uint8_t frame[9216];
	struct pcap_pkthdr h = {0};

	REQUIRE(d != NULL, "pcap_dump_open %s", path);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t l = len(i);

		for (uint32_t k = 0; k < l; k++)
			frame[k] = (uint8_t)(k * 7 + i);
		memcpy(frame, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
		h.caplen = h.len = l;
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

static uint32_t
len_mixed(unsigned int i)
{
	return 60 + (i * 97) % 1455;
}

static void
test_bad_devargs(void)
{
	static const char *const bad[] = {
		"xdp=/nonexistent/prog.o",
		"xdp=" PROGS "xdp_drop.o,xdp_prog=no_such_prog",
		"xdp_prog=xdp_drop",
		"xdp=" PROGS "xdp_drop.o,mprq=1",
		"xdp=/tmp/mlx5x-not-elf.o",
	};
	char dev[512];
	FILE *f = fopen("/tmp/mlx5x-not-elf.o", "w");

	REQUIRE(f != NULL, "temp file");
	fputs("\x7f" "ELF but not really\n", f);
	fclose(f);

	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		snprintf(dev, sizeof(dev), "net_mlx5x%d,%s", seq++, bad[i]);
		CHECK(rte_dev_probe(dev) != 0, "probe must fail: %s", dev);
	}
}

/* DROP: no mbuf is made, every page goes back, counters add up. */
static void
test_drop(void)
{
	char name[32];
	int port = port_up("wire=gen,gen_count=20000,dev_mode=inline,xdp="
			   PROGS "xdp_drop.o", NULL, name, sizeof(name));
	struct rte_pmd_mlx5x_xdp_stats s;
	unsigned int in_use = rte_mempool_in_use_count(mbufs);

	if (port < 0)
		return;
	CHECK_EQ(drain((uint16_t)port, 20000, NULL, 0), 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(s.rx, 20000);
	CHECK_EQ(s.drop, 20000);
	CHECK_EQ(s.mbufs, 0);
	CHECK_EQ(xstat((uint16_t)port, "rx_q0_xdp_mbufs"), 0);
	/* the page pool served every repost from its cache: the pages of
	 * the dropped frames, not the provider or the application's mbufs */
	CHECK_EQ(xstat((uint16_t)port, "rx_q0_pp_recycle_cached"), 20000);
	CHECK_EQ(rte_mempool_in_use_count(mbufs), in_use);
	check_conservation((uint16_t)port);
	CHECK_EQ(rte_eth_dev_stop((uint16_t)port), 0);
	CHECK_EQ(xstat((uint16_t)port, "rx_q0_pp_inflight"), 0);
	CHECK_EQ(rte_eth_dev_start((uint16_t)port), 0);
	port_down(port, name);
}

/* TX: the frames on the wire are the received ones with their MACs
 * swapped, byte for byte, and their pages come back. */
static void
test_tx_macswap(void)
{
	char in[] = "/tmp/mlx5x-xdp-in-XXXXXX", out[128], name[32], args[1024];
	int fd = mkstemp(in), port;
	struct rte_pmd_mlx5x_xdp_stats s;
	const unsigned int n = 300;

	close(fd);
	snprintf(out, sizeof(out), "%s.out", in);
	write_pcap(in, n, len_mixed);
	snprintf(args, sizeof(args), "wire=pcap,rx_pcap=%s,tx_pcap=%s,"
		 "dev_mode=inline,xdp=%sxdp_tx.o", in, out, PROGS);
	port = port_up(args, NULL, name, sizeof(name));
	if (port < 0)
		return;
	drain((uint16_t)port, n, NULL, 0);
	for (int i = 0; i < 100; i++)
		rte_pmd_mlx5x_device_step((uint16_t)port);
	drain((uint16_t)port, n, NULL, 0); /* completions */
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(s.tx, n);
	CHECK_EQ(s.mbufs, 0);
	check_conservation((uint16_t)port);
	port_down(port, name);
	{
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *a = pcap_open_offline(in, err), *b = pcap_open_offline(out, err);
		struct pcap_pkthdr *ha, *hb;
		const u_char *da, *db;
		unsigned int k = 0, bad = 0;
		uint8_t want[2048];

		REQUIRE(a != NULL && b != NULL, "open pcaps: %s", err);
		while (pcap_next_ex(a, &ha, &da) == 1) {
			if (pcap_next_ex(b, &hb, &db) != 1)
				break;
			memcpy(want, da, ha->caplen);
			memcpy(want, da + 6, 6);
			memcpy(want + 6, da, 6);
			bad += hb->caplen != ha->caplen ||
			       memcmp(want, db, ha->caplen) != 0;
			k++;
		}
		CHECK_EQ(k, n);
		CHECK_EQ(bad, 0);
		pcap_close(a);
		pcap_close(b);
	}
	unlink(in);
	unlink(out);
}

/* PASS: the mbuf holds what the program made of the frame, and its
 * metadata is reachable. */
static void
test_pass_meta(void)
{
	char in[] = "/tmp/mlx5x-xdp-in-XXXXXX", name[32], args[512];
	int fd = mkstemp(in), port;
	struct xdpc_obj *o = load(TPROGS "native_test.o", NULL, 0);
	struct rte_mbuf *keep[64];
	unsigned int got, bad = 0;
	const unsigned int n = 64;

	close(fd);
	if (o == NULL)
		return;
	write_pcap(in, n, len_mixed);
	snprintf(args, sizeof(args), "wire=pcap,rx_pcap=%s,dev_mode=inline", in);
	port = port_up(args, &(struct port_opts){ .no_start = true }, name,
		       sizeof(name));
	if (port < 0)
		return;
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(o, "nat_push_meta")), 0);
	CHECK_EQ(rte_eth_dev_start((uint16_t)port), 0);
	got = drain((uint16_t)port, n, keep, RTE_DIM(keep));
	CHECK_EQ(got, n);
	for (unsigned int i = 0; i < RTE_MIN(got, n); i++) {
		struct rte_mbuf *m = keep[i];
		const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
		uint32_t len = len_mixed(i), mlen, v;
		const void *meta = rte_pmd_mlx5x_xdp_meta(m, &mlen);
		uint32_t k;

		bad += m->pkt_len != len + 8 || memcmp(d, "XDPHEAD!", 8) != 0;
		for (k = 12; k < len && !bad; k++)
			bad += d[8 + k] != (uint8_t)(k * 7 + i);
		bad += meta == NULL || mlen != 4;
		if (meta != NULL) {
			memcpy(&v, meta, 4);
			bad += v != len;
		}
		rte_pktmbuf_free(m);
	}
	CHECK_EQ(bad, 0);
	check_conservation((uint16_t)port);
	/* detach: plain delivery again, no metadata */
	CHECK_EQ(rte_pmd_mlx5x_xdp_detach((uint16_t)port, 0), 0);
	port_down(port, name);
	xdpc_obj_close(o);
	unlink(in);
}

/* Redirect through a DEVMAP to another mlx5x port (its wire sees every
 * frame) and to a port of another driver (net_null, through mbufs). */
static void
test_redirect(void)
{
	char na[32], nb[32];
	int a = port_up("wire=gen,gen_count=5000,dev_mode=inline", NULL, na,
			sizeof(na));
	int b = port_up("wire=pcap,tx_pcap=/dev/null,dev_mode=inline", NULL,
			nb, sizeof(nb));
	struct xdpc_obj *o = load(PROGS "xdp_redirect.o", NULL, 0);
	struct rte_pmd_mlx5x_xdp_stats s;
	struct rte_pmd_mlx5x_wire_stats ws;
	struct rte_eth_conf conf = {0};
	struct rte_eth_stats ns;
	uint32_t k, v;
	uint16_t null;

	if (a < 0 || b < 0 || o == NULL)
		goto out;
	k = (uint32_t)a + 1;
	v = (uint32_t)b + 1;
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "tx_port"), &k, &v, BPF_ANY), 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)a, RTE_PMD_MLX5X_ALL_QUEUES,
					  xdpc_obj_prog(o, NULL)), 0);
	drain((uint16_t)a, 5000, NULL, 0);
	for (int i = 0; i < 100; i++) {
		rte_pmd_mlx5x_device_step((uint16_t)b);
		drain((uint16_t)a, 5000, NULL, 0); /* completions */
	}
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)a, 0, &s), 0);
	CHECK_EQ(s.redirect, 5000);
	CHECK_EQ(s.mbufs, 0);
	CHECK_EQ(rte_pmd_mlx5x_wire_stats((uint16_t)b, &ws), 0);
	CHECK_EQ(ws.tx_frames, 5000);
	check_conservation((uint16_t)a);

	/* to net_null: mbufs, sent with tx_burst */
	REQUIRE(rte_dev_probe("net_null_xdp0") == 0 &&
		rte_eth_dev_get_port_by_name("net_null_xdp0", &null) == 0,
		"net_null");
	CHECK_EQ(rte_eth_dev_configure(null, 1, 1, &conf), 0);
	CHECK_EQ(rte_eth_rx_queue_setup(null, 0, 256, SOCKET_ID_ANY, NULL,
					mbufs), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(null, 0, 256, SOCKET_ID_ANY, NULL), 0);
	CHECK_EQ(rte_eth_dev_start(null), 0);
	/* the generator stopped at gen_count: a fresh port for more */
	port_down(a, na);
	a = port_up("wire=gen,gen_count=3000,dev_mode=inline", NULL, na,
		    sizeof(na));
	if (a < 0)
		goto out;
	k = (uint32_t)a + 1;
	v = (uint32_t)null + 1;
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "tx_port"), &k, &v, BPF_ANY), 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)a, 0, xdpc_obj_prog(o, NULL)),
		 0);
	drain((uint16_t)a, 3000, NULL, 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)a, 0, &s), 0);
	CHECK_EQ(s.redirect, 3000);
	CHECK_EQ(s.mbufs, 3000);
	CHECK_EQ(rte_eth_stats_get(null, &ns), 0);
	CHECK_EQ(ns.opackets, 3000);
	check_conservation((uint16_t)a);
	{
		struct rte_eth_dev_info di;

		rte_eth_dev_info_get(null, &di);
		CHECK_EQ(rte_eth_dev_stop(null), 0);
		CHECK_EQ(rte_eth_dev_close(null), 0);
		rte_dev_remove(di.device);
	}
out:
	port_down(a, na);
	port_down(b, nb);
	xdpc_obj_close(o);
}

/* XSKMAP and CPUMAP: frames land on the application's rings. */
static void
test_rings(void)
{
	char name[32];
	int port = port_up("wire=gen,gen_count=2000,dev_mode=inline", NULL, name,
			   sizeof(name));
	struct xdpc_obj *o = load(TPROGS "corpus_xskcpu.o", "mode", 1);
	struct xdpc_obj *c = load(TPROGS "corpus_xskcpu.o", "mode", 2);
	struct rte_ring *r = rte_ring_create("t_xsk", 4096, SOCKET_ID_ANY, 0);
	struct bpf_cpumap_val cv = { .qsize = 4096 };
	struct rte_pmd_mlx5x_xdp_stats s;
	struct rte_mbuf *m[64];
	unsigned int got = 0, n;
	uint32_t key = 1;

	if (port < 0 || o == NULL || c == NULL || r == NULL)
		goto out;
	/* mode 1: every frame to the XSKMAP slot of its RX queue */
	CHECK_EQ(xdpc_xsk_attach(xdpc_obj_map(o, "xsks"), 0, r, 0), 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(o, NULL)), 0);
	drain((uint16_t)port, 1000, NULL, 0);
	while ((n = rte_ring_dequeue_burst(r, (void **)m, 64, NULL)) != 0) {
		for (unsigned int i = 0; i < n; i++) {
			got += m[i]->pkt_len == 60;
			rte_pktmbuf_free(m[i]);
		}
	}
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(s.redirect, got);
	CHECK(got >= 1000, "%u frames on the XSK ring", got);
	/* mode 2: every frame to CPU 1's CPUMAP queue */
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(c, "cpus"), &key, &cv, BPF_ANY), 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(c, NULL)), 0);
	drain((uint16_t)port, 2000, NULL, 0);
	while ((n = xdpc_cpumap_dequeue(xdpc_obj_map(c, "cpus"), 1, m, 64)) != 0) {
		for (unsigned int i = 0; i < n; i++) {
			got += m[i]->pkt_len == 60;
			rte_pktmbuf_free(m[i]);
		}
	}
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(s.redirect, 2000);
	CHECK_EQ(got, 2000);
	CHECK_EQ(s.mbufs, 2000);
	check_conservation((uint16_t)port);
out:
	port_down(port, name);
	xdpc_obj_close(o);
	xdpc_obj_close(c);
	rte_ring_free(r);
}

static uint32_t
len_jumbo(unsigned int i)
{
	return i % 2 ? 5000 + i : 100 + i;
}

/* Multi-buffer: a 2 KiB page queue with MTU 9000 scatters; an xdp.frags
 * program reads and writes across pages and trims the tail; PASS mbufs
 * are chains with exactly its bytes. A program without frags is refused. */
static void
test_frags(void)
{
	char in[] = "/tmp/mlx5x-xdp-in-XXXXXX", name[32], args[512];
	int fd = mkstemp(in), port;
	struct xdpc_obj *o = load(TPROGS "native_test.o", NULL, 0);
	struct xdpc_obj *drop = load(PROGS "xdp_drop.o", NULL, 0);
	struct rte_mbuf *keep[32];
	struct rte_pmd_mlx5x_xdp_stats s;
	unsigned int got, bad = 0, n = 20;
	static uint8_t want[9216], flat[9216];

	close(fd);
	if (o == NULL || drop == NULL)
		return;
	write_pcap(in, n, len_jumbo);
	snprintf(args, sizeof(args), "wire=pcap,rx_pcap=%s,dev_mode=inline,"
		 "page_size=2048", in);
	port = port_up(args, &(struct port_opts){ .rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER,
				     .mtu = 9000, .no_start = true },
		       name, sizeof(name));
	if (port < 0)
		return;
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(drop, NULL)), -EINVAL);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(o, "nat_frags")), 0);
	CHECK_EQ(rte_eth_dev_start((uint16_t)port), 0);
	got = drain((uint16_t)port, n, keep, RTE_DIM(keep));
	CHECK_EQ(got, n / 2); /* the short ones are dropped */
	for (unsigned int i = 0, j = 0; i < n && j < got; i++) {
		uint32_t len = len_jumbo(i);
		struct rte_mbuf *m;

		if (len < 1800)
			continue;
		m = keep[j++];
		for (uint32_t k = 0; k < len; k++)
			want[k] = (uint8_t)(k * 7 + i);
		memcpy(want, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
		memcpy(want + 1788, want + len - 8, 8);
		bad += m->pkt_len != len - 4 || m->nb_segs < 2;
		if (m->pkt_len == len - 4) {
			rte_pktmbuf_read(m, 0, len - 4, flat);
			bad += memcmp(rte_pktmbuf_read(m, 0, len - 4, flat), want,
				      len - 4) != 0;
		}
		rte_pktmbuf_free(m);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(s.pass, n / 2);
	CHECK_EQ(s.drop, n / 2);
	check_conservation((uint16_t)port);
	CHECK_EQ(rte_eth_dev_stop((uint16_t)port), 0);
	CHECK_EQ(xstat((uint16_t)port, "rx_q0_pp_inflight"), 0);
	CHECK_EQ(rte_eth_dev_start((uint16_t)port), 0);
	port_down(port, name);
	xdpc_obj_close(o);
	xdpc_obj_close(drop);
	unlink(in);
}

/* ABORTED: a runtime fault and an explicit XDP_ABORTED both count. */
static void
test_aborted(void)
{
	char name[32];
	int port = port_up("wire=gen,gen_count=1000,dev_mode=inline", NULL, name,
			   sizeof(name));
	char err[512];
	struct xdpc_obj *o = xdpc_obj_open(TPROGS "native_fault.o", err,
					   sizeof(err));
	struct xdpc_obj *ab = load(PROGS "xdp_bench.o", "action", XDP_ABORTED);
	struct rte_pmd_mlx5x_xdp_stats s;

	if (port < 0 || o == NULL || ab == NULL)
		goto out;
	/* the verifier refuses it; past the verifier, the runtime check
	 * must still stop it */
	CHECK(xdpc_obj_load(o, err, sizeof(err)) != 0 &&
	      strstr(err, "invalid mem access 'pkt_end'") != NULL,
	      "verifier: %s", err);
	CHECK_EQ(xdpc_obj_load_unverified(o, err, sizeof(err)), 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(o, "nat_fault")), 0);
	drain((uint16_t)port, 500, NULL, 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(ab, NULL)), 0);
	drain((uint16_t)port, 1000, NULL, 0);
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(s.aborted, 1000);
	CHECK_EQ(xstat((uint16_t)port, "rx_q0_xdp_aborted"), 1000);
	check_conservation((uint16_t)port);
out:
	port_down(port, name);
	xdpc_obj_close(o);
	xdpc_obj_close(ab);
}

/* A worker lcore polls a port the device thread fills while the main
 * lcore swaps DROP, PASS and TX programs on it; every frame is accounted
 * for and the pages come back. */
static volatile int stop_worker;
static uint64_t worker_mbufs;

static int
worker(void *arg)
{
	uint16_t port = (uint16_t)(uintptr_t)arg;
	struct rte_mbuf *b[32];

	while (!stop_worker) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		worker_mbufs += n;
		rte_pktmbuf_free_bulk(b, n);
	}
	return 0;
}

static void
test_swap_under_traffic(void)
{
	char name[32];
	int port = port_up("wire=gen,gen_flows=64,gen_pps=2000000", NULL, name,
			   sizeof(name));
	struct xdpc_obj *o[3] = {
		load(PROGS "xdp_drop.o", NULL, 0),
		load(PROGS "xdp_pass.o", NULL, 0),
		load(PROGS "xdp_tx.o", NULL, 0),
	};
	struct rte_pmd_mlx5x_xdp_stats s;
	struct rte_eth_stats es;
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0);
	int swaps = 0;

	if (port < 0 || o[0] == NULL || o[1] == NULL || o[2] == NULL ||
	    lcore >= RTE_MAX_LCORE)
		goto out;
	stop_worker = 0;
	worker_mbufs = 0;
	REQUIRE(rte_eal_remote_launch(worker, (void *)(uintptr_t)port, lcore) == 0,
		"launch");
	for (int i = 0; i < 300; i++) {
		if (i % 4 == 3)
			CHECK_EQ(rte_pmd_mlx5x_xdp_detach((uint16_t)port, 0), 0);
		else
			CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					xdpc_obj_prog(o[i % 3], NULL)), 0);
		swaps++;
		rte_delay_us_sleep(2000);
	}
	CHECK_EQ(rte_pmd_mlx5x_xdp_attach((uint16_t)port, 0,
					  xdpc_obj_prog(o[0], NULL)), 0);
	/* quiet the generator: stop the port's device, then the worker */
	stop_worker = 1;
	rte_eal_wait_lcore(lcore);
	CHECK_EQ(rte_pmd_mlx5x_xdp_stats_get((uint16_t)port, 0, &s), 0);
	CHECK_EQ(rte_eth_stats_get((uint16_t)port, &es), 0);
	printf("  %d swaps under traffic: %" PRIu64 " frames (drop %" PRIu64
	       ", pass %" PRIu64 ", tx %" PRIu64 ", plain %" PRIu64 ")\n",
	       swaps, es.ipackets, s.drop, s.pass, s.tx,
	       es.ipackets - s.rx);
	CHECK(s.drop > 0 && s.pass > 0 && s.tx > 0, "every program ran");
	CHECK_EQ(s.rx, s.drop + s.pass + s.tx + s.redirect + s.aborted +
		       s.tx_errors + s.redirect_errors);
	/* what the application got: PASS verdicts plus frames received
	 * while no program was attached */
	CHECK_EQ(worker_mbufs, s.pass + (es.ipackets - s.rx));
	CHECK_EQ(rte_eth_dev_stop((uint16_t)port), 0);
	CHECK_EQ(xstat((uint16_t)port, "rx_q0_pp_inflight"), 0);
	CHECK_EQ(rte_eth_dev_start((uint16_t)port), 0);
out:
	port_down(port, name);
	for (int i = 0; i < 3; i++)
		xdpc_obj_close(o[i]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (test_ports_init(argv[0]) != 0)
		return 1;
	RUN(test_bad_devargs);
	RUN(test_drop);
	RUN(test_tx_macswap);
	RUN(test_pass_meta);
	RUN(test_redirect);
	RUN(test_rings);
	RUN(test_frags);
	RUN(test_aborted);
	RUN(test_swap_under_traffic);
	rte_eal_cleanup();
	return test_report("test_mlx5x_xdp");
}
