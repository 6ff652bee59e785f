/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat without root or EAL: map semantics the kernel comparison
 * cannot pin down (LRU eviction order, -E2BIG when a hash is full, LPM
 * canonical keys and longest match, get_next_key iteration, update flag
 * errors, per-CPU layout, a full perf ring), non-XDP sections skipped,
 * and runs that fault ending as XDP_ABORTED with a trace instead of
 * crashing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>
#include <linux/bpf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "xdpc.h"
#include "xdpc_testing.h"

#define OBJ MLX5X_BUILD_ROOT "/tests/xdp/unit_maps.o"

static struct xdpc_obj *
open_loaded(const char *path)
{
	char err[512];
	struct xdpc_obj *o = xdpc_obj_open(path, err, sizeof(err));

	CHECK(o != NULL, "open: %s", err);
	if (o != NULL)
		CHECK_EQ(xdpc_obj_load(o, err, sizeof(err)), 0);
	return o;
}

static void
test_lru_eviction(void)
{
	struct xdpc_obj *o = open_loaded(OBJ);
	struct xdpc_map *m;
	uint64_t v;
	uint32_t k;

	if (o == NULL)
		return;
	m = xdpc_obj_map(o, "small_lru");
	REQUIRE(m != NULL, "small_lru");
	for (k = 1; k <= 4; k++) {
		v = k * 10;
		CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_ANY), 0);
	}
	k = 1;
	CHECK_EQ(xdpc_map_lookup(m, &k, &v), 0); /* 1 is now most recent */
	k = 5;
	v = 50;
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_ANY), 0); /* evicts 2 */
	k = 2;
	CHECK_EQ(xdpc_map_lookup(m, &k, &v), -ENOENT);
	for (k = 1; k <= 5; k++)
		if (k != 2)
			CHECK(xdpc_map_lookup(m, &k, &v) == 0 && v == k * 10,
			      "key %u kept", k);
	xdpc_obj_close(o);
}

static void
test_hash_limits(void)
{
	struct xdpc_obj *o = open_loaded(OBJ);
	struct xdpc_map *m;
	uint32_t k, v = 7, next, seen = 0;

	if (o == NULL)
		return;
	m = xdpc_obj_map(o, "small_hash");
	k = 1;
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_EXIST), -ENOENT);
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_NOEXIST), 0);
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_NOEXIST), -EEXIST);
	k = 2;
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_ANY), 0);
	k = 3;
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_ANY), -E2BIG);
	CHECK_EQ(xdpc_map_update(m, &k, &v, 7), -EINVAL);
	for (int r = xdpc_map_get_next_key(m, NULL, &next); r == 0;
	     r = xdpc_map_get_next_key(m, &k, &next)) {
		seen |= 1u << next;
		k = next;
	}
	CHECK_EQ(seen, (1u << 1) | (1u << 2));
	k = 1;
	CHECK_EQ(xdpc_map_delete(m, &k), 0);
	CHECK_EQ(xdpc_map_delete(m, &k), -ENOENT);
	k = 3;
	CHECK_EQ(xdpc_map_update(m, &k, &v, BPF_ANY), 0); /* room again */
	xdpc_obj_close(o);
}

static void
test_lpm(void)
{
	struct xdpc_obj *o = open_loaded(OBJ);
	struct xdpc_map *m;
	struct { uint32_t plen; uint8_t a[4]; } key;
	uint32_t v;

	if (o == NULL)
		return;
	m = xdpc_obj_map(o, "prefixes");
	key.plen = 8; memcpy(key.a, "\x0a\x00\x00\x00", 4); v = 8;
	CHECK_EQ(xdpc_map_update(m, &key, &v, BPF_ANY), 0);
	key.plen = 16; memcpy(key.a, "\x0a\x01\xff\xff", 4); v = 16;
	CHECK_EQ(xdpc_map_update(m, &key, &v, BPF_ANY), 0); /* bits past /16 ignored */
	key.plen = 16; memcpy(key.a, "\x0a\x01\x00\x00", 4); v = 17;
	CHECK_EQ(xdpc_map_update(m, &key, &v, BPF_NOEXIST), -EEXIST);
	key.plen = 33;
	CHECK_EQ(xdpc_map_update(m, &key, &v, BPF_ANY), -EINVAL);
	key.plen = 32; memcpy(key.a, "\x0a\x01\x02\x03", 4);
	CHECK(xdpc_map_lookup(m, &key, &v) == 0 && v == 16, "10.1.2.3 -> /16");
	memcpy(key.a, "\x0a\x02\x02\x03", 4);
	CHECK(xdpc_map_lookup(m, &key, &v) == 0 && v == 8, "10.2.2.3 -> /8");
	memcpy(key.a, "\x0b\x01\x02\x03", 4);
	CHECK_EQ(xdpc_map_lookup(m, &key, &v), -ENOENT);
	xdpc_obj_close(o);
}

static void
test_percpu_from_program(void)
{
	struct xdpc_obj *o = open_loaded(OBJ);
	struct xdpc_map_info mi;
	struct xdpc_map *m;
	static uint8_t buf[4096];
	uint32_t vals[1024 * 2], k = 5;
	struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf),
			       .rx_queue_index = 5, .cpu = 3 };

	if (o == NULL)
		return;
	b.data = buf + XDPC_HEADROOM;
	b.data_meta = b.data;
	b.data_end = b.data + 64;
	CHECK_EQ(xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0), XDPC_PASS);
	m = xdpc_obj_map(o, "pcpu");
	xdpc_map_info(m, &mi);
	CHECK(mi.nr_cpus > 3 && mi.nr_cpus <= 1024, "nr_cpus %u", mi.nr_cpus);
	CHECK_EQ(xdpc_map_lookup(m, &k, vals), 0);
	/* values are 8-byte slots per CPU; the program ran as CPU 3 */
	CHECK_EQ(vals[3 * 2], 1);
	CHECK_EQ(vals[0], 0);
	xdpc_obj_close(o);
}

static void
test_sections_and_names(void)
{
	struct xdpc_obj *o = open_loaded(OBJ);

	if (o == NULL)
		return;
	CHECK(xdpc_obj_prog(o, "not_xdp") == NULL, "tc program skipped");
	CHECK(xdpc_obj_prog(o, "unit_maps") != NULL, "xdp program found");
	CHECK(xdpc_obj_prog_at(o, 1) == NULL, "one XDP program");
	xdpc_obj_close(o);
}

static void
count_sample(void *ctx, uint32_t index, const void *data, uint32_t size)
{
	(void)index;
	(void)data;
	CHECK((size + 4) % 8 == 0, "sample size %u + 4 not 8-aligned", size);
	(*(uint32_t *)ctx)++;
}

/* A full perf ring: bpf_perf_event_output returns -ENOSPC, the sample is
 * counted lost, and consuming frees the space again. Slot errors. */
static void
test_perf_full_ring(void)
{
	struct xdpc_obj *o = open_loaded(MLX5X_BUILD_ROOT "/tests/xdp/corpus_perf.o");
	struct xdpc_map *m;
	static uint8_t buf[4096];
	uint32_t ok = 0, full = 0, got = 0;
	uint64_t lost = 0;

	if (o == NULL)
		return;
	m = xdpc_obj_map(o, "events");
	REQUIRE(m != NULL, "events map");
	CHECK_EQ(xdpc_perf_open(m, 0, 0, 1000), -EINVAL);  /* not 2^n */
	CHECK_EQ(xdpc_perf_open(m, 4, 0, 4096), -EINVAL);  /* past the end */
	CHECK_EQ(xdpc_perf_open(m, 0, 0, 4096), 0);
	CHECK_EQ(xdpc_perf_consume(m, 1, count_sample, &got, NULL), -EINVAL);
	for (unsigned int i = 0; i < 400; i++) {
		struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf) };
		uint32_t ret;
		int32_t r1;

		memset(buf, 0, sizeof(buf));
		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + 64;
		b.data[21] = 40;           /* 40 packet bytes per sample */
		ret = xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0);
		memcpy(&r1, b.data + 32, 4);
		if (ret == XDPC_TX)
			ok++;
		else if (r1 == -ENOSPC)
			full++;
	}
	/* the second sample of each run (r6, slot 0) also fills the ring */
	CHECK(ok > 0 && full > 0 && ok + full == 400, "%u written, %u full",
	      ok, full);
	CHECK(xdpc_perf_consume(m, 0, count_sample, &got, &lost) > 0, "consume");
	CHECK(lost >= full, "lost %" PRIu64 " < %u refused", lost, full);
	CHECK(got > ok, "%u samples for %u runs written", got, ok);
	CHECK_EQ(xdpc_perf_consume(m, 0, count_sample, &got, &lost), 0);
	CHECK_EQ(lost, 0);
	{
		struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf) };

		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + 64;
		CHECK_EQ(xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0),
			 XDPC_TX);
	}
	xdpc_obj_close(o);
}

struct flushed {
	uint32_t ifx[8], n[8];
	struct xdpc_buff *first[8];
	unsigned int calls;
};

static void
on_flush(void *ctx, uint32_t ifindex, struct xdpc_buff *const *bufs,
	 uint16_t n)
{
	struct flushed *f = ctx;

	if (f->calls < 8) {
		f->ifx[f->calls] = ifindex;
		f->n[f->calls] = n;
		f->first[f->calls] = bufs[0];
	}
	f->calls++;
}

/* A burst: verdicts per buffer, redirects grouped per target and flushed
 * once at the end, targets in first-seen order, broadcast expanded with
 * the ingress port left out. */
static void
test_burst_redirect_flush(void)
{
	struct xdpc_obj *o = open_loaded(MLX5X_BUILD_ROOT "/tests/xdp/corpus_redirect.o");
	static uint8_t mem[18][512];
	struct xdpc_buff bb[18], *bufs[18];
	uint32_t act[18], k, v;
	static const uint32_t want[9] = { XDPC_REDIRECT, XDPC_PASS, XDPC_DROP,
		XDPC_REDIRECT, XDPC_ABORTED, XDPC_REDIRECT, XDPC_TX,
		XDPC_REDIRECT, XDPC_ABORTED };
	struct flushed f = { .calls = 0 };

	if (o == NULL)
		return;
	k = 0; v = 2;
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "ports"), &k, &v, BPF_ANY), 0);
	k = 2; v = 3;   /* the ingress port: left out of the broadcast */
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "ports"), &k, &v, BPF_ANY), 0);
	k = 7; v = 4;
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "ports_hash"), &k, &v,
				 BPF_ANY), 0);
	for (int i = 0; i < 18; i++) {
		memset(&bb[i], 0, sizeof(bb[i]));
		bb[i].hard_start = mem[i];
		bb[i].frame_sz = sizeof(mem[i]);
		bb[i].data = mem[i] + XDPC_HEADROOM;
		bb[i].data_meta = bb[i].data;
		bb[i].data_end = bb[i].data + 64;
		bb[i].ingress_ifindex = 3;
		bb[i].data[20] = (uint8_t)(i % 9);
		bufs[i] = &bb[i];
	}
	CHECK_EQ(xdpc_prog_run_burst(xdpc_obj_prog(o, NULL), bufs, 18, act,
				     on_flush, &f), 8);
	for (int i = 0; i < 18; i++)
		CHECK(act[i] == want[i % 9], "buffer %d: action %u, want %u", i,
		      act[i], want[i % 9]);
	CHECK_EQ(f.calls, 3);
	CHECK(f.ifx[0] == 2 && f.n[0] == 4 && f.first[0] == &bb[0],
	      "first flush: ifindex %u, %u buffers", f.ifx[0], f.n[0]);
	CHECK(f.ifx[1] == 4 && f.n[1] == 2 && f.first[1] == &bb[5],
	      "second flush: ifindex %u, %u buffers", f.ifx[1], f.n[1]);
	CHECK(f.ifx[2] == 1 && f.n[2] == 2 && f.first[2] == &bb[7],
	      "third flush: ifindex %u, %u buffers", f.ifx[2], f.n[2]);
	CHECK_EQ(xdpc_prog_run_burst(xdpc_obj_prog(o, NULL), bufs,
				     XDPC_BURST_MAX + 1, act, NULL, NULL), -EINVAL);
	xdpc_obj_close(o);
}

/* Map-in-map from the application: a slot takes another map's id when
 * that map has the template's shape, loses it on delete, and a program
 * then sees the change. */
static void
test_map_in_map_updates(void)
{
	struct xdpc_obj *o = open_loaded(MLX5X_BUILD_ROOT "/tests/xdp/corpus_mapinmap.o");
	struct xdpc_map *outer, *c;
	struct xdpc_map_info ci, oi;
	static uint8_t buf[4096];
	uint32_t k = 1, v;

	if (o == NULL)
		return;
	outer = xdpc_obj_map(o, "tenants");
	c = xdpc_obj_map(o, "tenant_c");
	REQUIRE(outer != NULL && c != NULL, "maps");
	xdpc_map_info(c, &ci);
	xdpc_map_info(outer, &oi);
	CHECK(ci.id != 0 && ci.id != oi.id, "ids %u %u", ci.id, oi.id);
	CHECK_EQ(xdpc_map_update(outer, &k, &oi.id, BPF_ANY), -EINVAL);
	v = 99;
	CHECK_EQ(xdpc_map_update(outer, &k, &v, BPF_ANY), -EINVAL);
	CHECK_EQ(xdpc_map_update(outer, &k, &ci.id, BPF_ANY), 0);
	{
		struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf) };
		uint64_t val = 0;
		uint32_t idx = 2;

		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + 64;
		memset(b.data, 0, 64);
		b.data[20] = 1;          /* tenants[1] = tenant_c now */
		b.data[21] = 2;          /* its index 2 */
		xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0);
		CHECK_EQ(xdpc_map_lookup(c, &idx, &val), 0);
		CHECK_EQ(val, 64);
	}
	CHECK_EQ(xdpc_map_delete(outer, &k), 0);
	CHECK_EQ(xdpc_map_delete(outer, &k), -ENOENT);
	k = 9;
	CHECK_EQ(xdpc_map_delete(outer, &k), -E2BIG);
	xdpc_obj_close(o);
}

struct fib_case {
	const char *what;
	uint8_t v6;
	uint8_t dst[16];
	uint16_t tot_len;
	uint8_t flags;
	uint32_t act;
	int32_t rc;
	uint32_t ifindex;       /* egress, on success */
	uint16_t mtu;
};

/* bpf_fib_lookup from tables the application fills, through an
 * xdp_fwd-style program: longest prefix, then metric; gateway and
 * neighbour; blackhole/unreachable/prohibit; the route's and the
 * device's MTU; no route; no neighbour; SKIP_NEIGH; a refused flag. */
static void
test_fib_lookup(void)
{
	struct xdpc_obj *o = open_loaded(MLX5X_BUILD_ROOT "/tests/xdp/corpus_fib.o");
	static const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 2 },
			     mac3[6] = { 2, 0, 0, 0, 0, 3 },
			     gwmac[6] = { 0xaa, 0, 0, 0, 0, 1 },
			     h6mac[6] = { 0xaa, 0, 0, 0, 0, 6 };
	struct xdpc_route rt[] = {
		{ AF_INET, 8, RTN_UNICAST, { 10 }, { 192, 168, 1, 1 }, 2, 0, 0 },
		{ AF_INET, 16, RTN_UNICAST, { 10, 1 }, { 0 }, 2, 5, 0 },
		{ AF_INET, 16, RTN_UNICAST, { 10, 1 }, { 0 }, 3, 1, 0 },
		{ AF_INET, 16, RTN_BLACKHOLE, { 10, 2 }, { 0 }, 0, 0, 0 },
		{ AF_INET, 16, RTN_UNREACHABLE, { 10, 3 }, { 0 }, 0, 0, 0 },
		{ AF_INET, 16, RTN_PROHIBIT, { 10, 4 }, { 0 }, 0, 0, 0 },
		{ AF_INET, 16, RTN_UNICAST, { 10, 5 }, { 192, 168, 1, 1 }, 2, 0, 500 },
		{ AF_INET6, 32, RTN_UNICAST, { 0x20, 0x01, 0x0d, 0xb8 }, { 0 }, 2,
		  0, 0 },
	};
	struct xdpc_neigh nb[] = {
		{ AF_INET, { 192, 168, 1, 1 }, 2, { 0 } },
		{ AF_INET, { 10, 1, 0, 9 }, 3, { 0 } },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 6 }, 2, { 0 } },
	};
	static const struct fib_case cases[] = {
		{ "via gateway", 0, { 10, 9, 9, 9 }, 100, 0, XDPC_REDIRECT, 0, 2,
		  1500 },
		{ "connected, lower metric wins", 0, { 10, 1, 0, 9 }, 100, 0,
		  XDPC_REDIRECT, 0, 3, 9000 },
		{ "connected, no neighbour", 0, { 10, 1, 0, 8 }, 100, 0,
		  XDPC_DROP, BPF_FIB_LKUP_RET_NO_NEIGH, 0, 0 },
		{ "SKIP_NEIGH", 0, { 10, 1, 0, 8 }, 100, 1, XDPC_REDIRECT, 0, 3,
		  9000 },
		{ "blackhole", 0, { 10, 2, 0, 1 }, 100, 0, XDPC_DROP,
		  BPF_FIB_LKUP_RET_BLACKHOLE, 0, 0 },
		{ "unreachable", 0, { 10, 3, 0, 1 }, 100, 0, XDPC_DROP,
		  BPF_FIB_LKUP_RET_UNREACHABLE, 0, 0 },
		{ "prohibit", 0, { 10, 4, 0, 1 }, 100, 0, XDPC_DROP,
		  BPF_FIB_LKUP_RET_PROHIBIT, 0, 0 },
		{ "route MTU", 0, { 10, 5, 0, 1 }, 600, 0, XDPC_DROP,
		  BPF_FIB_LKUP_RET_FRAG_NEEDED, 0, 500 },
		{ "device MTU", 0, { 10, 9, 9, 9 }, 1501, 0, XDPC_DROP,
		  BPF_FIB_LKUP_RET_FRAG_NEEDED, 0, 1500 },
		{ "no route", 0, { 11, 0, 0, 1 }, 100, 0, XDPC_PASS,
		  BPF_FIB_LKUP_RET_NOT_FWDED, 0, 0 },
		{ "TBID refused", 0, { 10, 9, 9, 9 }, 100, 8, XDPC_DROP, -EINVAL,
		  0, 0 },
		{ "IPv6", 1, { 0x20, 0x01, 0x0d, 0xb8, [15] = 6 }, 100, 0,
		  XDPC_REDIRECT, 0, 2, 1500 },
	};
	static uint8_t buf[4096];

	if (o == NULL)
		return;
	memcpy(nb[0].mac, gwmac, 6);
	memcpy(nb[1].mac, gwmac, 6);
	memcpy(nb[2].mac, h6mac, 6);
	xdpc_fib_flush();
	CHECK_EQ(xdpc_netdev_set_mtu(1, 1500), 0);
	CHECK_EQ(xdpc_netdev_set_mtu(2, 1500), 0);
	CHECK_EQ(xdpc_netdev_set_mtu(3, 9000), 0);
	CHECK_EQ(xdpc_netdev_set_mac(2, mac2), 0);
	CHECK_EQ(xdpc_netdev_set_mac(3, mac3), 0);
	for (unsigned int i = 0; i < sizeof(rt) / sizeof(rt[0]); i++)
		CHECK_EQ(xdpc_fib_route_add(&rt[i]), 0);
	for (unsigned int i = 0; i < sizeof(nb) / sizeof(nb[0]); i++)
		CHECK_EQ(xdpc_fib_neigh_add(&nb[i]), 0);
	rt[0].prefix_len = 33;
	CHECK_EQ(xdpc_fib_route_add(&rt[0]), -EINVAL);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fib_case *c = &cases[i];
		struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf),
				       .ingress_ifindex = 1 };
		uint8_t *d;
		uint32_t act, ifx;
		int32_t rc;
		uint16_t mtu;

		memset(buf, 0, sizeof(buf));
		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + 128;
		d = b.data;
		if (c->v6) {
			d[12] = 0x86; d[13] = 0xdd; d[14] = 0x60;
			d[18] = (uint8_t)((c->tot_len - 40) >> 8);
			d[19] = (uint8_t)(c->tot_len - 40);
			memcpy(d + 38, c->dst, 16);
		} else {
			d[12] = 0x08; d[14] = 0x45;
			d[16] = (uint8_t)(c->tot_len >> 8);
			d[17] = (uint8_t)c->tot_len;
			memcpy(d + 30, c->dst, 4);
		}
		d[99] = c->flags;
		act = xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0);
		memcpy(&rc, d + 100, 4);
		memcpy(&ifx, d + 104, 4);
		memcpy(&mtu, d + 108, 2);
		CHECK(act == c->act && rc == c->rc, "%s: action %u rc %d, want "
		      "%u %d", c->what, act, rc, c->act, c->rc);
		if (c->mtu != 0)
			CHECK(mtu == c->mtu, "%s: mtu %u, want %u", c->what, mtu,
			      c->mtu);
		if (c->act == XDPC_REDIRECT) {
			CHECK(ifx == c->ifindex && b.redirect_ifindex == c->ifindex,
			      "%s: egress %u/%u, want %u", c->what, ifx,
			      b.redirect_ifindex, c->ifindex);
			CHECK(c->flags & 7 ||
			      memcmp(d, c->v6 ? h6mac : gwmac, 6) == 0,
			      "%s: dmac", c->what);
			CHECK(c->flags & 7 ||
			      memcmp(d + 6, c->ifindex == 3 ? mac3 : mac2, 6) == 0,
			      "%s: smac", c->what);
		}
	}
	/* the gateway replaced the destination */
	{
		struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf),
				       .ingress_ifindex = 1 };
		uint8_t *d;

		memset(buf, 0, sizeof(buf));
		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + 128;
		d = b.data;
		d[12] = 0x08; d[14] = 0x45; d[17] = 100;
		d[30] = 10; d[31] = 9;
		xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0);
		CHECK(d[112] == 192 && d[113] == 168 && d[114] == 1 && d[115] == 1,
		      "gateway %u.%u.%u.%u", d[112], d[113], d[114], d[115]);
		b.ingress_ifindex = 77; /* no such device */
		memset(d + 100, 0, 4);
		xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0);
		CHECK(*(int32_t *)(void *)(d + 100) == -ENODEV, "ingress gone: %d",
		      *(int32_t *)(void *)(d + 100));
	}
	xdpc_fib_flush();
	xdpc_obj_close(o);
}

/* bpf_trace_printk lines reach the DPDK log (type lib.xdp_compat), and
 * a hostile format prints nothing and returns -EINVAL. */
static void
test_printk_to_dpdk_log(void)
{
	struct xdpc_obj *o = open_loaded(MLX5X_BUILD_ROOT "/tests/xdp/corpus_printk.o");
	static uint8_t buf[4096];
	struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf) };
	char *log = NULL;
	size_t loglen = 0;
	FILE *f = open_memstream(&log, &loglen);
	int32_t r8;

	if (o == NULL || f == NULL)
		return;
	b.data = buf + XDPC_HEADROOM;
	b.data_meta = b.data;
	b.data_end = b.data + 96;
	for (int i = 0; i < 96; i++)
		b.data[i] = (uint8_t)i;
	rte_openlog_stream(f);
	CHECK_EQ(xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, NULL, 0), XDPC_PASS);
	rte_openlog_stream(NULL);
	fclose(f);
	CHECK(log != NULL && strstr(log, "xdp_compat: corpus_printk: c=V s=eth5%\n"),
	      "log: %s", log ? log : "(none)");
	CHECK(log != NULL && strstr(log, "ip=26.27.28.29 ") != NULL, "%%pI4");
	CHECK(log != NULL && strstr(log, "float") == NULL, "refused format printed");
	memcpy(&r8, b.data + 32 + 8 * 4, 4);
	CHECK_EQ(r8, -EINVAL);
	free(log);
	xdpc_obj_close(o);
}

/* Programs the verifier would refuse run without harm: each ends as
 * XDP_ABORTED with a trace. An unknown helper fails the load, named. */
/* The loader's control-flow pass refuses what the kernel's verifier
 * refuses, naming the instruction. */
static void
test_control_flow_refused(void)
{
	static const struct { const char *file, *want; } c[] = {
		{ "unit_cfg_jump_out.o", "instruction 1: jump to 22, outside" },
		{ "unit_cfg_fall_off.o", "instruction 3: the last instruction is "
					 "neither an exit nor a jump" },
		{ "unit_cfg_unreachable.o", "instruction 2 is unreachable" },
		{ "unit_cfg_into_ldimm.o", "instruction 1: jump to 3, outside the "
					   "program [0, 5) or inside a 64-bit load" },
	};

	for (unsigned int i = 0; i < RTE_DIM(c); i++) {
		char path[512], err[512] = "";
		struct xdpc_obj *o;

		snprintf(path, sizeof(path), MLX5X_BUILD_ROOT "/tests/xdp/%s",
			 c[i].file);
		o = xdpc_obj_open(path, err, sizeof(err));
		REQUIRE(o != NULL, "%s", err);
		CHECK_EQ(xdpc_obj_load(o, err, sizeof(err)), -EINVAL);
		CHECK(strstr(err, c[i].want) != NULL && strstr(err, c[i].file),
		      "%s: got \"%s\"", c[i].file, err);
		xdpc_obj_close(o);
	}
}

static void
test_faults_are_aborted(void)
{
	static const char *const progs[] = { "oob_read", "endless",
					     "write_rodata", "write_rdonly_prog",
					     "read_wronly_prog" };
	static const char *const why[] = { "outside packet", "instructions run",
					   "writable", "writable", "read of 4 bytes" };
	char err[1024], trace[256];
	struct xdpc_obj *o;
	static uint8_t buf[4096];

	/* the verifier refuses the object at its first bad program... */
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/unit_bad.o", err,
			  sizeof(err));
	REQUIRE(o != NULL, "open: %s", err);
	CHECK(xdpc_obj_load(o, err, sizeof(err)) != 0 &&
	      strstr(err, "program oob_read: instruction") != NULL &&
	      strstr(err, "unit_bad.c:") != NULL &&
	      strstr(err, "invalid access to packet") != NULL,
	      "verifier: %s", err);
	xdpc_obj_close(o);
	/* ...and past the verifier, the interpreter's runtime checks, the
	 * second line of defence, end each run as XDP_ABORTED */
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/unit_bad.o", err,
			  sizeof(err));
	REQUIRE(o != NULL, "open: %s", err);
	REQUIRE(xdpc_obj_load_unverified(o, err, sizeof(err)) == 0, "%s", err);
	for (unsigned int i = 0; i < 5; i++) {
		struct xdpc_buff b = { .hard_start = buf, .frame_sz = sizeof(buf) };
		struct xdpc_prog *p = xdpc_obj_prog(o, progs[i]);

		REQUIRE(p != NULL, "%s", progs[i]);
		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + 64;
		CHECK_EQ(xdpc_prog_run(p, &b, trace, sizeof(trace)), XDPC_ABORTED);
		CHECK(strstr(trace, why[i]) != NULL, "%s: trace \"%s\"", progs[i],
		      trace);
	}
	xdpc_obj_close(o);
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/unit_nohelper.o", err,
			  sizeof(err));
	REQUIRE(o != NULL, "open: %s", err);
	CHECK(xdpc_obj_load(o, err, sizeof(err)) != 0 &&
	      strstr(err, "bpf_tcp_gen_syncookie (id 110)") != NULL &&
	      strstr(err, "instruction") != NULL, "load error: %s", err);
	xdpc_obj_close(o);
	/* access flags from the application's side */
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/unit_bad.o", err,
			  sizeof(err));
	REQUIRE(o != NULL, "open: %s", err);
	CHECK_EQ(xdpc_obj_load_unverified(o, err, sizeof(err)), 0);
	{
		uint32_t k = 0, v = 1;

		CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "ro_prog"), &k, &v,
					 BPF_ANY), 0);
		CHECK_EQ(xdpc_map_lookup(xdpc_obj_map(o, "wo_prog"), &k, &v), 0);
	}
	xdpc_obj_close(o);
	/* map flags the kernel refuses for the type */
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/unit_badflags.o", err,
			  sizeof(err));
	CHECK(o == NULL && strstr(err, "map bad_flags: map_flags 0x1 not valid"),
	      "bad flags: %s", err);
	xdpc_obj_close(o);
	/* a relocation to a symbol no section defines */
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/unit_extern.o", err,
			  sizeof(err));
	CHECK(o == NULL && strstr(err, "unit_extern.o") != NULL &&
	      strstr(err, "missing_limit, which is undefined") != NULL,
	      "open error: %s", err);
	xdpc_obj_close(o);
}

int
main(void)
{
	RUN(test_lru_eviction);
	RUN(test_hash_limits);
	RUN(test_lpm);
	RUN(test_percpu_from_program);
	RUN(test_sections_and_names);
	RUN(test_faults_are_aborted);
	RUN(test_perf_full_ring);
	RUN(test_printk_to_dpdk_log);
	RUN(test_burst_redirect_flush);
	RUN(test_map_in_map_updates);
	RUN(test_fib_lookup);
	RUN(test_control_flow_refused);
	return test_report("test_xdpc");
}
