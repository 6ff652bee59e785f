/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mlx5x PMD through the ethdev API: bad devargs, every wire (gen, loop,
 * peer, pcap), stats conservation, scatter, MPRQ, CQE compression in both
 * formats, RSS (checked against DPDK's software Toeplitz), rte_flow,
 * error-CQE recovery, runtime queue stop/start and page return on close.
 */
#include <errno.h>
#include <pcap/pcap.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_flow.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_thash.h>
#include <rte_udp.h>

#include "pagepool.h"
#include "rte_pmd_mlx5x.h"
#include "mlx5x_test.h"
#include "mlx5x_test_port.h"

/* Receive until @want packets or 2 s of nothing (a device thread on a
 * busy machine can be late); returns the count. */
static unsigned int
rx_all(uint16_t port, uint16_t q, unsigned int want, struct rte_mbuf **keep,
       unsigned int nkeep)
{
	struct rte_mbuf *b[32];
	unsigned int got = 0;
	uint64_t hz = rte_get_timer_hz(), last = rte_get_timer_cycles();

	while (got < want && rte_get_timer_cycles() - last < 2 * hz) {
		uint16_t n = rte_eth_rx_burst(port, q, b,
					      (uint16_t)RTE_MIN(32u, want - got));

		if (n == 0)
			continue;
		last = rte_get_timer_cycles();
		for (uint16_t i = 0; i < n; i++) {
			if (keep != NULL && got + i < nkeep)
				keep[got + i] = b[i];
			else
				rte_pktmbuf_free(b[i]);
		}
		got += n;
	}
	return got;
}

static void
test_bad_devargs(void)
{
	static const char *const bad[] = {
		"bogus=1", "gen_size=10", "gen_size=70000", "wire=nope",
		"rxq_size=100", "dev_cpu=4096", "wire=pcap",
		"wire=pcap,rx_pcap=/nonexistent/x.pcap", "mprq=2",
		"wire=peer", "wire=iface", "wire=iface,iface=nosuchif0",
		"cqe_comp_fmt=zip", "gen_count=-1", "page_size=3000",
		"mprq=1,mprq_log_stride_num=6,mprq_log_stride_size=13",
	};
	char dev[256];

	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		snprintf(dev, sizeof(dev), "net_mlx5x%d,%s", seq++, bad[i]);
		CHECK(rte_dev_probe(dev) != 0, "devargs \"%s\" accepted", bad[i]);
	}
}

/* Every generated frame is received, missed or counted as an error, and
 * each is the generator's valid UDP frame. */
static void
test_gen_conservation(void)
{
	char name[32];
	int port = port_up("wire=gen,gen_count=100000,gen_flows=16,"
			   "dev_mode=inline", NULL, name, sizeof(name));
	struct rte_pmd_mlx5x_wire_stats ws;
	struct rte_eth_stats st;
	struct rte_mbuf *b[32];
	unsigned int got = 0, bad = 0, idle = 0;

	if (port < 0)
		return;
	while (idle < 1000) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		idle = n ? 0 : idle + 1;
		for (uint16_t i = 0; i < n; i++) {
			const uint8_t *p = rte_pktmbuf_mtod(b[i], const uint8_t *);

			if (b[i]->pkt_len != 60 || p[12] != 0x08 || p[13] != 0 ||
			    (b[i]->packet_type & RTE_PTYPE_L4_MASK) != RTE_PTYPE_L4_UDP ||
			    !(b[i]->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_GOOD) ||
			    !(b[i]->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_GOOD))
				bad++;
			rte_pktmbuf_free(b[i]);
		}
		got += n;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(rte_pmd_mlx5x_wire_stats(port, &ws), 0);
	CHECK_EQ(ws.rx_frames, 100000);
	rte_eth_stats_get(port, &st);
	CHECK_EQ(st.ipackets, got);
	CHECK_EQ(st.ipackets + st.imissed + st.ierrors + st.rx_nombuf, 100000);
	CHECK(got > 90000, "inline mode loses nothing it has buffers for: %u", got);
	port_down(port, name);
}

/* Thread mode, the generator faster than the app: losses are counted. */
static void
test_gen_thread_conservation(void)
{
	char name[32];
	int port = port_up("wire=gen,gen_count=300000,dev_mode=thread,dev_cpu=1",
			   NULL, name, sizeof(name));
	struct rte_pmd_mlx5x_wire_stats ws;
	struct rte_eth_stats st;
	unsigned int got, i;

	if (port < 0)
		return;
	got = rx_all(port, 0, 300000, NULL, 0);
	for (i = 0; i < 100; i++) {
		rte_pmd_mlx5x_wire_stats(port, &ws);
		if (ws.rx_frames == 300000)
			break;
		rte_delay_ms(10);
	}
	got += rx_all(port, 0, 300000, NULL, 0);
	rte_eth_stats_get(port, &st);
	CHECK_EQ(ws.rx_frames, 300000);
	CHECK_EQ(st.ipackets, got);
	CHECK_EQ(st.ipackets + st.imissed + st.ierrors + st.rx_nombuf, 300000);
	port_down(port, name);
}

static struct rte_mbuf *
mkframe(uint32_t len, uint32_t seed, bool udp_bad_csum)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mbufs);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	for (uint32_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed);
	memcpy(p, "\x02\x00\x00\x00\x00\x00", 6);
	if (len >= 42) {
		struct rte_ipv4_hdr *ip = (void *)(p + 14);
		struct rte_udp_hdr *u = (void *)(ip + 1);

		p[12] = 0x08;
		p[13] = 0x00;
		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(len - 14));
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(0x0a000001 + seed);
		ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		u->src_port = rte_cpu_to_be_16((uint16_t)(1000 + seed));
		u->dst_port = rte_cpu_to_be_16(53);
		u->dgram_len = rte_cpu_to_be_16((uint16_t)(len - 34));
		u->dgram_cksum = 0;
		u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
		if (udp_bad_csum)
			u->dgram_cksum ^= 0x5a5a;
	}
	return m;
}

/* TX comes back as RX, byte for byte; multi-segment sends are gathered;
 * checksum offload fixes a wrong UDP checksum on the way out. */
static void
test_loop(void)
{
	char name[32];
	struct port_opts o = { 1, 1, 0, RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
			       RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
			       RTE_ETH_TX_OFFLOAD_IPV4_CKSUM, 0, 0 };
	int port = port_up("wire=loop,dev_mode=inline", &o, name, sizeof(name));
	static const uint32_t lens[] = { 60, 64, 100, 128, 1000, 1514, 17, 42 };
	struct rte_mbuf *tx[16], *rx[16], *ref[16];
	unsigned int n = 0, got, i;

	if (port < 0)
		return;
	for (i = 0; i < RTE_DIM(lens); i++) {
		tx[n] = mkframe(lens[i], i, false);
		ref[n] = rte_pktmbuf_copy(tx[n], mbufs, 0, UINT32_MAX);
		n++;
	}
	/* a two-segment frame */
	tx[n] = mkframe(200, 99, false);
	ref[n] = rte_pktmbuf_copy(tx[n], mbufs, 0, UINT32_MAX);
	{
		struct rte_mbuf *tail = rte_pktmbuf_alloc(mbufs);
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(tail, 300);

		memset(p, 0xab, 300);
		rte_pktmbuf_chain(tx[n], tail);
		memcpy(rte_pktmbuf_append(ref[n], 300), p, 300);
	}
	n++;
	/* checksum offload */
	tx[n] = mkframe(300, 5, true);
	tx[n]->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_UDP_CKSUM;
	tx[n]->l2_len = 14;
	tx[n]->l3_len = 20;
	ref[n] = mkframe(300, 5, false);
	n++;
	CHECK_EQ(rte_eth_tx_burst(port, 0, tx, (uint16_t)n), n);
	got = rx_all(port, 0, n, rx, RTE_DIM(rx));
	CHECK_EQ(got, n);
	if (got == n)
		CHECK(rx[n - 1]->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_GOOD,
		      "the device filled in the offloaded UDP checksum");
	for (i = 0; i < got && i < n; i++) {
		CHECK_EQ(rx[i]->pkt_len, ref[i]->pkt_len);
		if (rx[i]->pkt_len == ref[i]->pkt_len) {
			uint8_t a[2048], b[2048];
			const void *pa = rte_pktmbuf_read(rx[i], 0, rx[i]->pkt_len, a);
			const void *pb = rte_pktmbuf_read(ref[i], 0, ref[i]->pkt_len, b);

			CHECK(memcmp(pa, pb, rx[i]->pkt_len) == 0,
			      "frame %u differs after the loop", i);
		}
		rte_pktmbuf_free(rx[i]);
		rte_pktmbuf_free(ref[i]);
	}
	port_down(port, name);
}

/* Two ports back to back, device threads on both. */
static void
test_peer(void)
{
	char a_name[32], b_name[32], args[128];
	int a, b;
	struct rte_mbuf *tx[64], *rx[64];
	unsigned int i, got;

	snprintf(args, sizeof(args), "wire=peer,peer=net_mlx5x%d,dev_cpu=1",
		 seq + 1);
	a = port_up(args, NULL, a_name, sizeof(a_name));
	snprintf(args, sizeof(args), "wire=peer,peer=net_mlx5x%d,dev_cpu=1",
		 seq - 1);
	b = port_up(args, NULL, b_name, sizeof(b_name));
	if (a < 0 || b < 0)
		return;
	for (i = 0; i < 64; i++)
		tx[i] = mkframe(64 + i, i, false);
	CHECK_EQ(rte_eth_tx_burst(a, 0, tx, 64), 64);
	got = rx_all(b, 0, 64, rx, 64);
	CHECK_EQ(got, 64);
	for (i = 0; i < got; i++) {
		CHECK_EQ(rx[i]->pkt_len, 64 + i);
		CHECK_EQ(rte_pktmbuf_mtod(rx[i], uint8_t *)[50], (uint8_t)(50 * 7 + i));
		rte_pktmbuf_free(rx[i]);
	}
	/* and the other way */
	for (i = 0; i < 8; i++)
		tx[i] = mkframe(100, i, false);
	CHECK_EQ(rte_eth_tx_burst(b, 0, tx, 8), 8);
	CHECK_EQ(rx_all(a, 0, 8, NULL, 0), 8);
	port_down(a, a_name);
	port_down(b, b_name);
}

/* pcap in -> RX -> TX -> pcap out, byte-exact; runt and jumbo counted. */
static void
test_pcap_roundtrip(void)
{
	char in[] = "/tmp/mlx5x-in-XXXXXX", out[128], name[32], args[512];
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h = {0};
	uint8_t frame[9100];
	unsigned int i, good = 0;
	int fd = mkstemp(in), port;

	close(fd);
	snprintf(out, sizeof(out), "%s.out", in);
	d = pcap_dump_open(dead, in);
	REQUIRE(d != NULL, "pcap_dump_open");
	for (i = 0; i < 200; i++) {
		uint32_t len = i == 7 ? 10 : i == 8 ? 9000 : 60 + (i * 37) % 1455;

		for (uint32_t k = 0; k < len; k++)
			frame[k] = (uint8_t)(k ^ i);
		memcpy(frame, "\x02\x00\x00\x00\x00\x00", 6);
		h.caplen = h.len = len;
		pcap_dump((u_char *)d, &h, frame);
		good += i != 7 && i != 8;
	}
	pcap_dump_close(d);
	snprintf(args, sizeof(args), "wire=pcap,rx_pcap=%s,tx_pcap=%s,"
		 "dev_mode=inline", in, out);
	port = port_up(args, NULL, name, sizeof(name));
	if (port < 0)
		return;
	{
		struct rte_mbuf *b[32];
		unsigned int idle = 0, fwd = 0;

		while (idle < 1000) {
			uint16_t n = rte_eth_rx_burst(port, 0, b, 32), s = 0;

			idle = n ? 0 : idle + 1;
			while (s < n)
				s += rte_eth_tx_burst(port, 0, b + s, n - s);
			fwd += n;
		}
		CHECK_EQ(fwd, good);
	}
	CHECK_EQ(xstat(port, "rx_runt"), 1);
	CHECK_EQ(xstat(port, "rx_oversize"), 1);
	rte_pmd_mlx5x_device_step(port); /* complete the last sends */
	port_down(port, name);
	{
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *a = pcap_open_offline(in, err), *b = pcap_open_offline(out, err);
		struct pcap_pkthdr *ha, *hb;
		const u_char *da, *db;
		unsigned int n = 0, mism = 0;

		REQUIRE(a != NULL && b != NULL, "open pcaps: %s", err);
		while (pcap_next_ex(a, &ha, &da) == 1) {
			if (ha->len < 14 || ha->len > 1518)
				continue; /* refused on input */
			if (pcap_next_ex(b, &hb, &db) != 1) {
				mism++;
				break;
			}
			n++;
			if (ha->caplen != hb->caplen ||
			    memcmp(da, db, ha->caplen) != 0)
				mism++;
		}
		CHECK_EQ(n, good);
		CHECK_EQ(mism, 0);
		CHECK(pcap_next_ex(b, &hb, &db) != 1, "extra frames in out pcap");
		pcap_close(a);
		pcap_close(b);
	}
	unlink(in);
	unlink(out);
}

/* Contents of the generator's frame @flow at @len: what every receive
 * path must deliver, whatever the ring layout. */
static bool
gen_frame_ok(struct rte_mbuf *m, uint32_t len)
{
	uint8_t buf[9216];
	const uint8_t *p;
	uint32_t flow;

	if (m->pkt_len != len)
		return false;
	p = rte_pktmbuf_read(m, 0, len, buf);
	flow = (uint32_t)(p[34] << 8 | p[35]) - 1024;
	for (uint32_t i = 42; i < len; i++)
		if (p[i] != (uint8_t)(i - 42 + flow))
			return false;
	return true;
}

static void
check_gen_port(const char *args, const struct port_opts *o, uint32_t len,
	       const char *xs, bool want_xs)
{
	char name[32];
	int port = port_up(args, o, name, sizeof(name));
	struct rte_mbuf *b[32];
	unsigned int got = 0, bad = 0;
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	if (port < 0)
		return;
	/* thread mode: the device thread may take a moment to start */
	while (got < 20000 && rte_get_timer_cycles() < deadline) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		for (uint16_t i = 0; i < n; i++) {
			bad += !gen_frame_ok(b[i], len);
			rte_pktmbuf_free(b[i]);
		}
		got += n;
	}
	CHECK(got >= 20000, "%s: received %u", args, got);
	CHECK(bad == 0, "%s: %u frames with wrong contents", args, bad);
	if (xs != NULL)
		CHECK(want_xs ? xstat(port, xs) > 0 : xstat(port, xs) == 0,
		      "%s: %s = %" PRIu64, args, xs, xstat(port, xs));
	port_down(port, name);
}

static void
test_rx_layouts(void)
{
	struct port_opts jumbo = { 1, 1, RTE_ETH_RX_OFFLOAD_SCATTER, 0, 0, 9000 };

	check_gen_port("wire=gen,gen_size=1000,gen_flows=8,dev_mode=inline",
		       NULL, 1000, "rx_q0_cqe_comp_sessions", false);
	check_gen_port("wire=gen,gen_size=1000,gen_flows=8,dev_mode=inline,"
		       "cqe_comp=1", NULL, 1000, "rx_q0_cqe_comp_sessions", true);
	check_gen_port("wire=gen,gen_size=300,gen_flows=8,dev_mode=inline,"
		       "cqe_comp=1,cqe_comp_fmt=csum", NULL, 300,
		       "rx_q0_cqe_comp_sessions", true);
	check_gen_port("wire=gen,gen_size=700,gen_flows=8,dev_mode=inline,mprq=1",
		       NULL, 700, "rx_q0_pp_alloc_slow", true);
	check_gen_port("wire=gen,gen_size=700,gen_flows=8,dev_mode=inline,mprq=1,"
		       "cqe_comp=1", NULL, 700, "rx_q0_cqe_comp_sessions", true);
	check_gen_port("wire=gen,gen_size=200,gen_flows=8,dev_mode=inline,mprq=1,"
		       "cqe_comp=1,cqe_comp_fmt=csum", NULL, 200,
		       "rx_q0_cqe_comp_sessions", true);
	check_gen_port("wire=gen,gen_size=9000,gen_flows=4,dev_mode=inline",
		       &jumbo, 9000, NULL, false);
	check_gen_port("wire=gen,gen_size=64,dev_mode=thread,dev_cpu=1,cqe_comp=1,"
		       "mprq=1", NULL, 64, NULL, false);
}

/* RSS spreads flows over the queues by the Toeplitz hash DPDK computes
 * in software for the same key; rte_flow steers, marks and drops. */
static void
test_rss_and_flow(void)
{
	char name[32];
	struct port_opts o = { 4, 1, RTE_ETH_RX_OFFLOAD_RSS_HASH, 0,
			       RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_IPV4, 0 };
	int port = port_up("wire=gen,gen_flows=64,gen_count=64000,dev_mode=inline",
			   &o, name, sizeof(name));
	uint8_t key[40];
	struct rte_eth_rss_conf rc = { .rss_key = key, .rss_key_len = 40 };
	unsigned int perq[4] = {0}, hash_bad = 0, q;
	struct rte_mbuf *b[32];

	if (port < 0)
		return;
	CHECK_EQ(rte_eth_dev_rss_hash_conf_get(port, &rc), 0);
	for (int idle = 0; idle < 2000;) {
		unsigned int n_all = 0;

		for (q = 0; q < 4; q++) {
			uint16_t n = rte_eth_rx_burst(port, (uint16_t)q, b, 32);

			for (uint16_t i = 0; i < n; i++) {
				const uint8_t *p = rte_pktmbuf_mtod(b[i], uint8_t *);
				struct rte_ipv4_tuple t;
				uint32_t h;

				memcpy(&t.src_addr, p + 26, 4);
				t.src_addr = rte_be_to_cpu_32(t.src_addr);
				memcpy(&t.dst_addr, p + 30, 4);
				t.dst_addr = rte_be_to_cpu_32(t.dst_addr);
				t.sport = (uint16_t)(p[34] << 8 | p[35]);
				t.dport = (uint16_t)(p[36] << 8 | p[37]);
				h = rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, key);
				if (!(b[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH) ||
				    b[i]->hash.rss != h || h % 4 != q)
					hash_bad++;
				rte_pktmbuf_free(b[i]);
			}
			perq[q] += n;
			n_all += n;
		}
		idle = n_all ? 0 : idle + 1;
	}
	CHECK_EQ(hash_bad, 0);
	for (q = 0; q < 4; q++)
		CHECK(perq[q] > 64000 / 16, "queue %u got %u", q, perq[q]);
	port_down(port, name);

	/* rte_flow: UDP sport 1024 -> queue 3 + MARK 7; sport 1025 dropped */
	/* A paced generator on the device thread: at 50 kpps a 256-entry
	 * ring holds 5 ms, more than a busy machine delays the poller, so
	 * every frame finds a buffer and the counts below are exact. */
	o.no_start = true;
	port = port_up("wire=gen,gen_flows=4,gen_count=4000,gen_pps=50000,"
		       "dev_mode=thread,dev_cpu=1", &o, name, sizeof(name));
	if (port < 0)
		return;
	{
		struct rte_flow_attr attr = { .ingress = 1 };
		struct rte_flow_item_udp s1 = { .hdr.src_port = RTE_BE16(1024) },
					 s2 = { .hdr.src_port = RTE_BE16(1025) },
					 m = { .hdr.src_port = RTE_BE16(0xffff) };
		struct rte_flow_item pat[] = {
			{ .type = RTE_FLOW_ITEM_TYPE_ETH },
			{ .type = RTE_FLOW_ITEM_TYPE_IPV4 },
			{ .type = RTE_FLOW_ITEM_TYPE_UDP, .spec = &s1, .mask = &m },
			{ .type = RTE_FLOW_ITEM_TYPE_END },
		};
		struct rte_flow_action_queue qa = { .index = 3 };
		struct rte_flow_action_mark ma = { .id = 7 };
		struct rte_flow_action acts[] = {
			{ .type = RTE_FLOW_ACTION_TYPE_MARK, .conf = &ma },
			{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &qa },
			{ .type = RTE_FLOW_ACTION_TYPE_END },
		};
		struct rte_flow_action drop[] = {
			{ .type = RTE_FLOW_ACTION_TYPE_DROP },
			{ .type = RTE_FLOW_ACTION_TYPE_END },
		};
		struct rte_flow_action_queue badq = { .index = 9 };
		struct rte_flow_action bad[] = {
			{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &badq },
			{ .type = RTE_FLOW_ACTION_TYPE_END },
		};
		struct rte_flow_item gre[] = {
			{ .type = RTE_FLOW_ITEM_TYPE_GRE },
			{ .type = RTE_FLOW_ITEM_TYPE_END },
		};
		struct rte_flow_error fe;
		unsigned int marked = 0, q3 = 0, other = 0;

		CHECK(rte_flow_create(port, &attr, pat, acts, &fe) != NULL,
		      "flow: %s", fe.message ? fe.message : "");
		pat[2].spec = &s2;
		CHECK(rte_flow_create(port, &attr, pat, drop, &fe) != NULL, "drop");
		CHECK(rte_flow_validate(port, &attr, pat, bad, &fe) != 0 &&
		      fe.message != NULL, "bad queue refused");
		CHECK(rte_flow_validate(port, &attr, gre, drop, &fe) == -ENOTSUP,
		      "GRE refused");
		/* rules are in before the first frame */
		CHECK_EQ(rte_eth_dev_start(port), 0);
		for (uint64_t last = rte_get_timer_cycles();
		     rte_get_timer_cycles() - last < 2 * rte_get_timer_hz();) {
			unsigned int n_all = 0;

			for (q = 0; q < 4; q++) {
				uint16_t n = rte_eth_rx_burst(port, (uint16_t)q, b, 32);

				for (uint16_t i = 0; i < n; i++) {
					const uint8_t *p = rte_pktmbuf_mtod(b[i], uint8_t *);
					bool is1024 = p[34] == 4 && p[35] == 0;

					if (is1024) {
						q3 += q == 3;
						marked += (b[i]->ol_flags & RTE_MBUF_F_RX_FDIR_ID) &&
							  b[i]->hash.fdir.hi == 7;
					} else {
						other++;
					}
					CHECK(!(p[34] == 4 && p[35] == 1), "dropped flow seen");
					rte_pktmbuf_free(b[i]);
				}
				n_all += n;
			}
			if (n_all != 0)
				last = rte_get_timer_cycles();
		}
		CHECK_EQ(q3, 1000);
		CHECK_EQ(marked, 1000);
		CHECK_EQ(other, 2000);
		CHECK_EQ(xstat(port, "rx_flow_drop"), 1000);
		CHECK_EQ(xstat(port, "rx_out_of_buffer"), 0);
	}
	port_down(port, name);
}

/* Buffer split: the first 64 bytes land in an mbuf of the header pool,
 * the rest in one of the payload pool, and the frame is intact. */
static void
test_buffer_split(void)
{
	struct rte_mempool *hp = rte_pktmbuf_pool_create("t_hdr", 4095, 64, 0,
		RTE_PKTMBUF_HEADROOM + 128, SOCKET_ID_ANY);
	struct rte_mempool *pp = rte_pktmbuf_pool_create("t_pay", 4095, 64, 0,
		RTE_PKTMBUF_HEADROOM + 2048, SOCKET_ID_ANY);
	union rte_eth_rxseg seg[2];
	struct rte_eth_rxconf rxc = {0};
	struct rte_eth_conf conf = {0};
	struct rte_eth_burst_mode bm;
	struct rte_mbuf *b[32];
	unsigned int got = 0, bad = 0;
	uint16_t port;
	char dev[64];

	REQUIRE(hp != NULL && pp != NULL, "pools");
	snprintf(dev, sizeof(dev), "net_mlx5x%d,wire=gen,gen_size=1000,"
		 "dev_mode=inline", seq++);
	REQUIRE(rte_dev_probe(dev) == 0, "probe");
	REQUIRE(rte_eth_dev_get_port_by_name(strtok(dev, ","), &port) == 0, "port");
	memset(seg, 0, sizeof(seg));
	seg[0].split.mp = hp;
	seg[0].split.length = 64;
	seg[1].split.mp = pp;
	rxc.offloads = RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT;
	rxc.rx_seg = seg;
	rxc.rx_nseg = 2;
	CHECK_EQ(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	CHECK_EQ(rte_eth_rx_queue_setup(port, 0, 256, SOCKET_ID_ANY, &rxc, NULL), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(port, 0, 256, SOCKET_ID_ANY, NULL), 0);
	CHECK_EQ(rte_eth_dev_start(port), 0);
	CHECK_EQ(rte_eth_rx_burst_mode_get(port, 0, &bm), 0);
	CHECK(strstr(bm.info, "buffer split") != NULL, "burst mode: %s", bm.info);
	while (got < 2000) {
		uint16_t n = rte_eth_rx_burst(port, 0, b, 32);

		for (uint16_t i = 0; i < n; i++) {
			if (b[i]->nb_segs != 2 || b[i]->pool != hp ||
			    b[i]->next->pool != pp || b[i]->data_len != 64 ||
			    b[i]->next->data_len != 936 || !gen_frame_ok(b[i], 1000))
				bad++;
			rte_pktmbuf_free(b[i]);
		}
		got += n;
	}
	CHECK_EQ(bad, 0);
	{
		struct rte_eth_dev_info info;

		rte_eth_dev_info_get(port, &info);
		CHECK(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT,
		      "capability reported");
		rte_eth_dev_stop(port);
		rte_eth_dev_close(port);
		rte_dev_remove(info.device);
	}
	CHECK_EQ(rte_mempool_in_use_count(hp), 0);
	CHECK_EQ(rte_mempool_in_use_count(pp), 0);
	rte_mempool_free(hp);
	rte_mempool_free(pp);
}

static void
ext_free_noop(void *addr, void *opaque)
{
	(void)addr;
	(void)opaque;
}

/* A send from memory the device cannot reach: local protection error
 * CQE, counted, and the SQ keeps working afterwards. */
static void
test_tx_error(void)
{
	char name[32];
	int port = port_up("wire=loop,dev_mode=inline", NULL, name, sizeof(name));
	static uint8_t outside[2048] __rte_aligned(64); /* not DPDK memory */
	struct rte_mbuf_ext_shared_info sh = { .free_cb = ext_free_noop };
	struct rte_mbuf *m, *ok[1], *rx[4];
	struct rte_eth_stats st;

	if (port < 0)
		return;
	m = rte_pktmbuf_alloc(mbufs);
	rte_mbuf_ext_refcnt_set(&sh, 1);
	memset(outside, 0x11, sizeof(outside));
	rte_pktmbuf_attach_extbuf(m, outside, (rte_iova_t)(uintptr_t)outside,
				  sizeof(outside), &sh);
	m->data_len = m->pkt_len = 200;
	CHECK_EQ(rte_eth_tx_burst(port, 0, &m, 1), 1);
	rte_pmd_mlx5x_device_step(port);
	ok[0] = mkframe(100, 3, false);
	CHECK_EQ(rte_eth_tx_burst(port, 0, ok, 1), 1); /* reaps the error */
	rte_pmd_mlx5x_device_step(port);
	rte_eth_stats_get(port, &st);
	CHECK(st.oerrors >= 1, "error CQE counted: oerrors %" PRIu64, st.oerrors);
	CHECK(xstat(port, "tx_q0_dev_err_cqes") >= 1, "device reported it");
	/* the queue recovered: a good frame goes through */
	ok[0] = mkframe(100, 4, false);
	CHECK_EQ(rte_eth_tx_burst(port, 0, ok, 1), 1);
	CHECK(rx_all(port, 0, 4, rx, 4) >= 1, "traffic after the error");
	for (int i = 0; i < 4 && rx[i] != NULL; i++)
		rte_pktmbuf_free(rx[i]);
	port_down(port, name);
}

/* A VLAN-tagged IPv4/UDP frame, or an IPv6/UDP one, to UDP port @dport. */
static struct rte_mbuf *
mkframe_l4(bool vlan, bool v6, uint16_t tci, uint16_t dport)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mbufs);
	uint32_t l2 = vlan ? 18 : 14, l3 = v6 ? 40 : 20, len = l2 + l3 + 8 + 32;
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	struct rte_udp_hdr *u = (void *)(p + l2 + l3);

	memset(p, 0, len);
	memcpy(p, "\x02\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x09", 12);
	if (vlan) {
		p[12] = 0x81;
		p[13] = 0x00;
		p[14] = (uint8_t)(tci >> 8);
		p[15] = (uint8_t)tci;
	}
	p[l2 - 2] = v6 ? 0x86 : 0x08;
	p[l2 - 1] = v6 ? 0xdd : 0x00;
	if (v6) {
		struct rte_ipv6_hdr *ip = (void *)(p + l2);

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16(40);
		ip->proto = IPPROTO_UDP;
		ip->hop_limits = 64;
		ip->src_addr[15] = 1;
		ip->dst_addr[15] = 2;
		u->src_port = rte_cpu_to_be_16(5000);
		u->dst_port = rte_cpu_to_be_16(dport);
		u->dgram_len = rte_cpu_to_be_16(40);
		u->dgram_cksum = rte_ipv6_udptcp_cksum(ip, u);
	} else {
		struct rte_ipv4_hdr *ip = (void *)(p + l2);

		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(60);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(0x0a000001);
		ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		u->src_port = rte_cpu_to_be_16(5000);
		u->dst_port = rte_cpu_to_be_16(dport);
		u->dgram_len = rte_cpu_to_be_16(40);
		u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	}
	return m;
}

/* rte_flow on VLAN and IPv6 items: tag 100 -> queue 1 with MARK 5, IPv6
 * UDP port 53 -> queue 2, everything else -> queue 0 (RETA). */
static void
test_flow_vlan_ipv6(void)
{
	char name[32];
	struct port_opts o = { 4, 1, 0, 0, 0, 0, true };
	int port = port_up("wire=loop,dev_mode=inline", &o, name, sizeof(name));
	struct rte_flow_attr attr = { .ingress = 1 };
	struct rte_flow_item_vlan vs = { .hdr.vlan_tci = RTE_BE16(100) },
				  vm = { .hdr.vlan_tci = RTE_BE16(0x0fff) };
	struct rte_flow_item_udp us = { .hdr.dst_port = RTE_BE16(53) },
				 um = { .hdr.dst_port = RTE_BE16(0xffff) };
	struct rte_flow_item vlan_pat[] = {
		{ .type = RTE_FLOW_ITEM_TYPE_ETH },
		{ .type = RTE_FLOW_ITEM_TYPE_VLAN, .spec = &vs, .mask = &vm },
		{ .type = RTE_FLOW_ITEM_TYPE_END },
	};
	struct rte_flow_item v6_pat[] = {
		{ .type = RTE_FLOW_ITEM_TYPE_ETH },
		{ .type = RTE_FLOW_ITEM_TYPE_IPV6 },
		{ .type = RTE_FLOW_ITEM_TYPE_UDP, .spec = &us, .mask = &um },
		{ .type = RTE_FLOW_ITEM_TYPE_END },
	};
	struct rte_flow_action_queue q1 = { .index = 1 }, q2 = { .index = 2 };
	struct rte_flow_action_mark mk = { .id = 5 };
	struct rte_flow_action a1[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &q1 },
		{ .type = RTE_FLOW_ACTION_TYPE_MARK, .conf = &mk },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_action a2[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_QUEUE, .conf = &q2 },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_error fe;
	struct rte_flow *f1, *f2;
	struct rte_mbuf *tx[4], *rx[8];

	if (port < 0)
		return;
	f1 = rte_flow_create(port, &attr, vlan_pat, a1, &fe);
	f2 = rte_flow_create(port, &attr, v6_pat, a2, &fe);
	CHECK(f1 != NULL && f2 != NULL, "flows: %s", fe.message ? fe.message : "");
	CHECK_EQ(rte_eth_dev_start(port), 0);
	tx[0] = mkframe_l4(true, false, 100, 7);   /* -> q1, mark 5 */
	tx[1] = mkframe_l4(true, false, 200, 7);   /* other tag -> q0 */
	tx[2] = mkframe_l4(false, true, 0, 53);    /* IPv6 :53 -> q2 */
	tx[3] = mkframe_l4(false, true, 0, 54);    /* IPv6 :54 -> q0 */
	CHECK_EQ(rte_eth_tx_burst(port, 0, tx, 4), 4);
	rte_pmd_mlx5x_device_step(port);
	CHECK_EQ(rte_eth_rx_burst(port, 1, rx, 8), 1);
	CHECK((rx[0]->ol_flags & RTE_MBUF_F_RX_FDIR_ID) && rx[0]->hash.fdir.hi == 5,
	      "VLAN 100 marked");
	rte_pktmbuf_free(rx[0]);
	CHECK_EQ(rte_eth_rx_burst(port, 2, rx, 8), 1);
	CHECK((rx[0]->packet_type & RTE_PTYPE_L3_MASK) ==
	      RTE_PTYPE_L3_IPV6_EXT_UNKNOWN &&
	      (rx[0]->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_GOOD), "IPv6 UDP, csum good");
	rte_pktmbuf_free(rx[0]);
	CHECK_EQ(rte_eth_rx_burst(port, 0, rx, 8), 2);
	rte_pktmbuf_free_bulk(rx, 2);
	CHECK_EQ(rte_flow_destroy(port, f1, &fe), 0);
	CHECK_EQ(rte_flow_destroy(port, f2, &fe), 0);
	CHECK(rte_flow_destroy(port, f2, &fe) != 0, "double destroy refused");
	port_down(port, name);
}

/* A corrupted WQE gets an error CQE; the queue recovers and goes on. */
static void
test_error_recovery(void)
{
	char name[32];
	int port = port_up("wire=gen,dev_mode=inline", NULL, name, sizeof(name));
	unsigned int before, after;

	if (port < 0)
		return;
	before = rx_all(port, 0, 5000, NULL, 0);
	CHECK_EQ(rte_pmd_mlx5x_inject_rx_fault(port, 0), 0);
	after = rx_all(port, 0, 5000, NULL, 0);
	CHECK_EQ(before, 5000);
	CHECK_EQ(after, 5000);
	CHECK(xstat(port, "rx_q0_cqe_errors") >= 1, "error CQE seen");
	CHECK(xstat(port, "rx_q0_dev_err_cqes") >= 1, "device reported it");
	port_down(port, name);
}

/* Runtime stop and start of one queue while traffic flows; then a closed
 * port has given every page back. */
static void
test_queue_stop_start(void)
{
	char name[32];
	int port = port_up("wire=gen,dev_mode=inline", NULL, name, sizeof(name));
	struct rte_mbuf *held[100];

	if (port < 0)
		return;
	CHECK_EQ(rx_all(port, 0, 1000, NULL, 0), 1000);
	CHECK_EQ(rte_eth_dev_rx_queue_stop(port, 0), 0);
	rte_pmd_mlx5x_device_step(port);
	CHECK(xstat(port, "rx_queue_stopped") > 0, "frames to a stopped queue "
	      "are counted");
	CHECK_EQ(rte_eth_dev_rx_queue_start(port, 0), 0);
	CHECK_EQ(rx_all(port, 0, 100, held, 100), 100);
	/* close with 100 mbufs held by us: the pool waits for them */
	port_down(port, name);
	CHECK_EQ(pp_deferred_count(), 1);
	rte_pktmbuf_free_bulk(held, 100);
	for (int i = 0; i < 100 && pp_deferred_count(); i++)
		rte_delay_ms(10);
	CHECK_EQ(pp_deferred_count(), 0);
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (test_ports_init(argv[0]) != 0)
		return 1;
	RUN(test_bad_devargs);
	RUN(test_gen_conservation);
	RUN(test_gen_thread_conservation);
	RUN(test_loop);
	RUN(test_peer);
	RUN(test_pcap_roundtrip);
	RUN(test_rx_layouts);
	RUN(test_rss_and_flow);
	RUN(test_flow_vlan_ipv6);
	RUN(test_buffer_split);
	RUN(test_tx_error);
	RUN(test_error_recovery);
	RUN(test_queue_stop_start);
	rte_eal_cleanup();
	return test_report("test_mlx5x");
}
