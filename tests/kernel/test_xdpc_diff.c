/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat against the kernel: each object is loaded into the kernel
 * (BPF_PROG_LOAD through libbpf) and into xdp_compat, the same inputs go
 * through BPF_PROG_TEST_RUN and xdpc_prog_run, and the return codes,
 * output bytes and lengths (data_meta to data_end), and map contents
 * afterwards must agree. Inputs: crafted edge cases (runt, VLAN, IPv6,
 * every operation selector of corpus_adjust, a full-size frame) and
 * seeded random frames.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "xdpc.h"

struct tcase {
	const char *file;
	const char *prog;
	const char *global;   /* a const volatile __u32 to set, or NULL */
	uint32_t gval;
	/* fill maps the same way on both sides after load */
	void (*setup)(struct bpf_object *k, struct xdpc_obj *x);
	const char *kfile;    /* the kernel's object when it differs */
	const char *nocmp;    /* a map holding clock values, not compared */
};

/* Nested prefixes, so the longest match decides: 0/2 block, 128/1 allow,
 * 192/3 block, 192/2 allow (so 224/3 passes), 10.0.0.0/8 block. */
/* Offset of global @name in the object's .rodata, from its BTF. */
static int
rodata_offset(struct bpf_object *obj, const char *name)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;
	int id = btf ? btf__find_by_name(btf, ".rodata") : -1;

	if (id < 0)
		return -1;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++)
		if (!strcmp(btf__name_by_offset(btf, btf__type_by_id(btf,
				vs->type)->name_off), name))
			return (int)vs->offset;
	return -1;
}

static void
firewall_setup(struct bpf_object *k, struct xdpc_obj *x)
{
	static const struct { uint32_t plen; uint8_t a[4]; uint32_t v; } r[] = {
		{ 2, { 0, 0, 0, 0 }, 1 },
		{ 1, { 128, 0, 0, 0 }, 0 },
		{ 3, { 192, 0, 0, 0 }, 1 },
		{ 2, { 192, 0, 0, 0 }, 0 },
		{ 8, { 10, 0, 0, 0 }, 1 },
	};
	int fd = bpf_map__fd(bpf_object__find_map_by_name(k, "blocklist"));
	struct xdpc_map *m = xdpc_obj_map(x, "blocklist");

	for (unsigned int i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		uint8_t key[8];

		memcpy(key, &r[i].plen, 4);
		memcpy(key + 4, r[i].a, 4);
		CHECK_EQ(bpf_map_update_elem(fd, key, &r[i].v, BPF_ANY), 0);
		CHECK_EQ(xdpc_map_update(m, key, &r[i].v, BPF_ANY), 0);
	}
}

/* DEVMAP slots 0 and 2, DEVMAP_HASH key 7: ifindex 1 (the kernel's lo;
 * DPDK port 0 here). */
static void
redirect_setup(struct bpf_object *k, struct xdpc_obj *x)
{
	static const struct { const char *map; uint32_t key; } e[] = {
		{ "ports", 0 }, { "ports", 2 }, { "ports_hash", 7 },
	};
	uint32_t ifindex = 1;

	for (unsigned int i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		int fd = bpf_map__fd(bpf_object__find_map_by_name(k, e[i].map));

		CHECK_EQ(bpf_map_update_elem(fd, &e[i].key, &ifindex, BPF_ANY), 0);
		CHECK_EQ(xdpc_map_update(xdpc_obj_map(x, e[i].map), &e[i].key,
					 &ifindex, BPF_ANY), 0);
	}
}

/* corpus_flags: the application fills the program-read-only table. */
static void
flags_setup(struct bpf_object *k, struct xdpc_obj *x)
{
	int fd = bpf_map__fd(bpf_object__find_map_by_name(k, "verdict"));

	for (uint32_t i = 0; i < 16; i++) {
		uint32_t v = (i * 7) % 6; /* 5: out of range, the program passes */

		CHECK_EQ(bpf_map_update_elem(fd, &i, &v, BPF_ANY), 0);
		CHECK_EQ(xdpc_map_update(xdpc_obj_map(x, "verdict"), &i, &v,
					 BPF_ANY), 0);
	}
}

/* The kernel's test runs arrive on lo (ifindex 1): give xdp_compat the
 * same device. */
static void
mtu_setup(struct bpf_object *k, struct xdpc_obj *x)
{
	FILE *f = fopen("/sys/class/net/lo/mtu", "r");
	unsigned int mtu = 0;

	(void)k;
	(void)x;
	REQUIRE(f != NULL && fscanf(f, "%u", &mtu) == 1, "lo's MTU");
	fclose(f);
	CHECK_EQ(xdpc_netdev_set_mtu(1, mtu), 0);
}

/* xdp_redirect: frames arriving on ifindex 1 go out of ifindex 1 */
static void
tx_port_setup(struct bpf_object *k, struct xdpc_obj *x)
{
	uint32_t key = 1, ifindex = 1;

	CHECK_EQ(bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(
			k, "tx_port")), &key, &ifindex, BPF_ANY), 0);
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(x, "tx_port"), &key, &ifindex,
				 BPF_ANY), 0);
}

static const struct tcase cases[] = {
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_drop.o", "xdp_drop", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_tx.o", "xdp_tx", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_pass.o", "xdp_pass", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_redirect.o", "xdp_redirect",
	  NULL, 0, tx_port_setup },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_bench.o", "xdp_bench", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_bench.o", "xdp_bench", "action", 3 },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_filter.o", "xdp_filter",
	  NULL, 0, firewall_setup },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_lb.o", "xdp_lb", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/xdp_lb.o", "xdp_lb", "nb_backends", 3 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_adjust.o", "corpus_adjust", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_maps.o", "corpus_maps", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_maps.o", "corpus_maps", "salt", 8 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_alu.o", "corpus_alu", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_firewall.o", "corpus_firewall",
	  NULL, 0, firewall_setup },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_tailcall.o", "corpus_tailcall",
	  NULL, 0 },
	/* tail calls to the limit: 34 runs a frame on every engine */
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_tailcall.o", "tc_chain", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_lock.o", "corpus_lock", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_vlan.o", "corpus_vlan", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_icmp.o", "corpus_icmp", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_lb.o", "corpus_lb", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_redirect.o", "corpus_redirect",
	  NULL, 0, redirect_setup },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_sampler.o", "corpus_sampler",
	  NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_loop.o", "corpus_loop", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_perf.o", "corpus_perf", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_printk.o", "corpus_printk", NULL,
	  0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_mtu.o", "corpus_mtu", NULL, 0,
	  mtu_setup },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_mapinmap.o", "corpus_mapinmap",
	  NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_legacy.o", "corpus_legacy", NULL, 0,
	  NULL, MLX5X_BUILD_ROOT "/tests/xdp/corpus_legacy_btf.o" },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_xskcpu.o", "corpus_xskcpu", NULL, 0 },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_ratelimit.o", "corpus_ratelimit",
	  NULL, 0, NULL, NULL, "bucket" },
	{ MLX5X_BUILD_ROOT "/tests/xdp/corpus_flags.o", "corpus_flags", NULL, 0,
	  flags_setup },
};

/* Ring buffer records, as each side's consumer delivers them. */
struct records {
	uint8_t buf[1 << 15];
	uint32_t used, n;
};

static int
k_record(void *ctx, void *data, size_t len)
{
	struct records *r = ctx;

	if (r->used + 4 + len <= sizeof(r->buf)) {
		uint32_t l = (uint32_t)len;

		memcpy(r->buf + r->used, &l, 4);
		memcpy(r->buf + r->used + 4, data, len);
		r->used += 4 + (uint32_t)len;
	}
	r->n++;
	return 0;
}

static void
x_record(void *ctx, const void *data, uint32_t len)
{
	k_record(ctx, (void *)(uintptr_t)data, len);
}

static void
compare_ringbufs(const struct tcase *tc, struct bpf_object *kobj,
		 struct xdpc_obj *xobj)
{
	struct xdpc_map *m;

	for (unsigned int i = 0; (m = xdpc_obj_map_at(xobj, i)) != NULL; i++) {
		struct xdpc_map_info mi;
		static struct records kr, xr;
		struct ring_buffer *rb;

		xdpc_map_info(m, &mi);
		if (mi.type != BPF_MAP_TYPE_RINGBUF)
			continue;
		memset(&kr, 0, sizeof(kr));
		memset(&xr, 0, sizeof(xr));
		rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(
				      kobj, mi.name)), k_record, &kr, NULL);
		REQUIRE(rb != NULL, "%s: kernel ring buffer consumer", tc->prog);
		ring_buffer__consume(rb);
		ring_buffer__free(rb);
		CHECK_EQ(xdpc_ringbuf_consume(m, x_record, &xr), (int)xr.n);
		CHECK(kr.n > 0 && kr.n == xr.n, "%s: %u records from the kernel, "
		      "%u from xdp_compat", tc->prog, kr.n, xr.n);
		CHECK(kr.used == xr.used && memcmp(kr.buf, xr.buf, kr.used) == 0,
		      "%s: ring buffer records differ", tc->prog);
	}
}

/* PERF_EVENT_ARRAY samples: libbpf's perf_buffer on the kernel side
 * (a perf event per CPU), xdpc_perf_open on the same slots here. */
#define PERF_PAGES 64
struct perf_pair {
	struct perf_buffer *pb;
	struct xdpc_map *m;
	int kfd;
	uint32_t nslots;
	struct records kr, xr;
	uint64_t klost;
};

static void
k_sample(void *ctx, int cpu, void *data, __u32 size)
{
	uint32_t c = (uint32_t)cpu;

	k_record(ctx, &c, 4);
	k_record(ctx, data, size);
}

static void
k_lost(void *ctx, int cpu, __u64 n)
{
	(void)cpu;
	((struct perf_pair *)ctx)->klost += n;
}

static void
x_sample(void *ctx, uint32_t index, const void *data, uint32_t size)
{
	k_record(ctx, &index, 4);
	k_record(ctx, (void *)(uintptr_t)data, size);
}

static void
open_perf(const struct tcase *tc, struct bpf_object *kobj,
	  struct xdpc_obj *xobj, struct perf_pair *pp)
{
	struct xdpc_map *m;
	int kcpus = libbpf_num_possible_cpus();

	memset(pp, 0, sizeof(*pp));
	for (unsigned int i = 0; (m = xdpc_obj_map_at(xobj, i)) != NULL; i++) {
		struct xdpc_map_info mi;

		xdpc_map_info(m, &mi);
		if (mi.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		pp->m = m;
		pp->kfd = bpf_map__fd(bpf_object__find_map_by_name(kobj,
								   mi.name));
		pp->pb = perf_buffer__new(pp->kfd, PERF_PAGES, k_sample, k_lost, &pp->kr, NULL);
		REQUIRE(pp->pb != NULL, "%s: perf_buffer__new", tc->prog);
		pp->nslots = (uint32_t)kcpus < mi.max_entries ?
			     (uint32_t)kcpus : mi.max_entries;
		for (uint32_t s = 0; s < pp->nslots; s++)
			CHECK_EQ(xdpc_perf_open(m, s, s, PERF_PAGES * 4096), 0);
		CHECK_EQ(xdpc_perf_open(m, 0, 0, PERF_PAGES * 4096), -EBUSY);
		return;
	}
}

static void
compare_perf(const struct tcase *tc, struct perf_pair *pp)
{
	uint64_t lost, xlost = 0;

	if (pp->pb == NULL)
		return;
	perf_buffer__consume(pp->pb);
	for (uint32_t s = 0; s < pp->nslots; s++) {
		CHECK(xdpc_perf_consume(pp->m, s, x_sample, &pp->xr, &lost) >= 0,
		      "%s: consume slot %u", tc->prog, s);
		xlost += lost;
	}
	CHECK(pp->kr.n > 0 && pp->kr.n == pp->xr.n, "%s: %u perf samples "
	      "(with their CPU) from the kernel, %u from xdp_compat", tc->prog,
	      pp->kr.n / 2, pp->xr.n / 2);
	CHECK(pp->kr.used == pp->xr.used &&
	      memcmp(pp->kr.buf, pp->xr.buf, pp->kr.used) == 0,
	      "%s: perf samples differ", tc->prog);
	CHECK(pp->klost == 0 && xlost == 0, "%s: lost samples: kernel %" PRIu64
	      ", xdp_compat %" PRIu64, tc->prog, pp->klost, xlost);
	perf_buffer__free(pp->pb);
	{
		uint32_t k, nk = 0, xk = 0;
		bool has = false;
		int fd = -1;
		struct xdpc_map_info mi;

		xdpc_map_info(pp->m, &mi);
		fd = pp->kfd;
		while (bpf_map_get_next_key(fd, has ? &k : NULL, &k) == 0) {
			has = true;
			nk++;
		}
		has = false;
		while (xdpc_map_get_next_key(pp->m, has ? &k : NULL, &k) == 0) {
			has = true;
			xk++;
		}
		CHECK(nk == xk && xk == mi.max_entries, "%s: map %s: %u slots "
		      "iterate in the kernel, %u in xdp_compat", tc->prog,
		      mi.name, nk, xk);
	}
}

struct frame {
	uint8_t d[2048];
	uint32_t len;
};

static struct frame inputs[128];
static unsigned int ninputs;

static void
add_input(const uint8_t *d, uint32_t len)
{
	memcpy(inputs[ninputs].d, d, len);
	inputs[ninputs++].len = len;
}

static void
make_inputs(void)
{
	uint8_t f[2048];
	uint32_t i, k;

	/* an IPv4/UDP frame; byte 20 is corpus_adjust's selector */
	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"
	       "\x45\x00\x00\x2e", 18);
	for (i = 18; i < 64; i++)
		f[i] = (uint8_t)(i * 3);
	for (k = 0; k < 12; k++) {
		f[20] = (uint8_t)k;
		add_input(f, 64);
	}
	f[20] = 2;
	add_input(f, 1500);   /* tail growth near the page end */
	f[20] = 0;
	f[32] = 0xdd;         /* corpus_maps deletes */
	add_input(f, 96);
	add_input(f, 14);     /* runt: the kernel's minimum */
	/* VLAN */
	memcpy(f + 12, "\x81\x00\x00\x64\x08\x00", 6);
	add_input(f, 80);
	/* IPv6 */
	memcpy(f + 12, "\x86\xdd\x60\x00\x00\x00\x00\x08\x11\x40", 10);
	add_input(f, 96);
	/* VLAN 200 (popped), ICMP echo request, UDP to the LB's VIP */
	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02"
	       "\x81\x00\x00\xc8\x08\x00\x45\x00\x00\x1c", 22);
	add_input(f, 64);
	memcpy(f + 12, "\x08\x00\x45\x00\x00\x1c\x00\x01\x00\x00\x40\x01"
	       "\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02\x08\x00\xf7\xff"
	       "\x00\x00\x00\x00", 30);
	add_input(f, 64);
	for (k = 0; k < 8; k++) {
		memcpy(f + 12, "\x08\x00\x45\x00\x00\x30\x00\x00\x00\x00\x40"
		       "\x11\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x64", 22);
		f[34] = (uint8_t)k;
		f[35] = (uint8_t)(k * 7);
		f[36] = 0x00;
		f[37] = 0x35;
		add_input(f, 90);
	}
	/* IPv6 with extension headers (hop-by-hop, then a fragment header,
	 * then UDP), and truncated headers: an IPv4 header cut short, an
	 * IPv6 header cut short, a UDP header cut short */
	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02"
	       "\x86\xdd\x60\x00\x00\x00\x00\x20\x00\x40", 22);
	f[54] = 44;           /* hop-by-hop: next is a fragment header */
	f[62] = 17;           /* fragment header: next is UDP */
	f[70] = 0x12; f[71] = 0x34; f[72] = 0x00; f[73] = 0x35;
	add_input(f, 96);
	memcpy(f + 12, "\x08\x00\x45\x00\x00\x30", 6);
	add_input(f, 24);     /* IPv4 header cut at 10 of 20 bytes */
	memcpy(f + 12, "\x86\xdd\x60", 3);
	add_input(f, 40);     /* IPv6 header cut at 26 of 40 bytes */
	memcpy(f + 12, "\x08\x00\x45\x00\x00\x30\x00\x00\x00\x00\x40\x11", 12);
	add_input(f, 38);     /* UDP header cut at 4 of 8 bytes */
	/* seeded random frames */
	srand(1);
	while (ninputs < sizeof(inputs) / sizeof(inputs[0])) {
		uint32_t len = 14 + (uint32_t)(rand() % 300);

		for (i = 0; i < len; i++)
			f[i] = (uint8_t)rand();
		f[20] = (uint8_t)(rand() % 12);
		add_input(f, len);
	}
}

/* Per-CPU values are compared as the sum over CPUs of each 64-bit word
 * (the kernel ran on its CPU, xdp_compat on CPU 0). */
static void
compare_maps(const struct tcase *tc, struct bpf_object *kobj,
	     struct xdpc_obj *xobj)
{
	struct xdpc_map *m;
	int kcpus = libbpf_num_possible_cpus();

	for (unsigned int i = 0; (m = xdpc_obj_map_at(xobj, i)) != NULL; i++) {
		struct xdpc_map_info mi;
		struct bpf_map *km;
		uint8_t key[64], next[64];
		uint8_t *kv, *xv;
		uint32_t v8, nkeys = 0, xkeys = 0;
		bool has = false, percpu;
		int fd;

		xdpc_map_info(m, &mi);
		/* .rodata cannot change; a PROG_ARRAY holds fds in the kernel
		 * and program indexes here (its effect shows in the runs) */
		if ((tc->nocmp != NULL && !strcmp(mi.name, tc->nocmp)) ||
		    !strcmp(mi.name, ".rodata") ||
		    mi.type == BPF_MAP_TYPE_PROG_ARRAY ||
		    mi.type == BPF_MAP_TYPE_RINGBUF ||
		    mi.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
		    mi.type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		    mi.type == BPF_MAP_TYPE_HASH_OF_MAPS) /* fds there */
			continue;
		km = bpf_object__find_map_by_name(kobj, mi.name);
		CHECK(km != NULL, "%s: kernel has no map %s", tc->prog, mi.name);
		if (km == NULL)
			continue;
		fd = bpf_map__fd(km);
		v8 = (mi.value_size + 7) & ~7u;
		percpu = mi.nr_cpus > 1;
		kv = calloc((size_t)v8, (size_t)(percpu ? kcpus : 1));
		xv = calloc((size_t)v8, mi.nr_cpus);
		while (bpf_map_get_next_key(fd, has ? key : NULL, next) == 0) {
			memcpy(key, next, mi.key_size);
			has = true;
			nkeys++;
			if (bpf_map_lookup_elem(fd, key, kv) != 0)
				continue;
			if (xdpc_map_lookup(m, key, xv) != 0) {
				CHECK(0, "%s: map %s: key %02x%02x%02x%02x missing in "
				      "xdp_compat", tc->prog, mi.name, key[0], key[1],
				      key[2], key[3]);
				continue;
			}
			if (!percpu) {
				CHECK(memcmp(kv, xv, mi.value_size) == 0,
				      "%s: map %s: values differ for key %02x%02x%02x%02x",
				      tc->prog, mi.name, key[0], key[1], key[2], key[3]);
				continue;
			}
			for (uint32_t w = 0; w < mi.value_size / 8; w++) {
				uint64_t ks = 0, xs = 0, t;

				for (int c = 0; c < kcpus; c++) {
					memcpy(&t, kv + (size_t)c * v8 + w * 8, 8);
					ks += t;
				}
				for (uint32_t c = 0; c < mi.nr_cpus; c++) {
					memcpy(&t, xv + (size_t)c * v8 + w * 8, 8);
					xs += t;
				}
				CHECK(ks == xs, "%s: map %s: per-CPU sum %" PRIu64
				      " vs %" PRIu64, tc->prog, mi.name, ks, xs);
			}
		}
		has = false;
		while (xdpc_map_get_next_key(m, has ? key : NULL, next) == 0) {
			memcpy(key, next, mi.key_size);
			has = true;
			xkeys++;
		}
		CHECK(nkeys == xkeys, "%s: map %s: %u keys in the kernel, %u in "
		      "xdp_compat", tc->prog, mi.name, nkeys, xkeys);
		free(kv);
		free(xv);
	}
}

static enum xdpc_engine engine_asked = XDPC_ENGINE_JIT;

static void
run_case(const struct tcase *tc)
{
	struct bpf_object *kobj = bpf_object__open_file(
		tc->kfile != NULL ? tc->kfile : tc->file, NULL);
	struct xdpc_obj *xobj;
	struct xdpc_prog *xp;
	static struct perf_pair perf;
	char err[512];
	int fd;

	REQUIRE(kobj != NULL && !libbpf_get_error(kobj), "open %s", tc->file);
	xobj = xdpc_obj_open(tc->file, err, sizeof(err));
	REQUIRE(xobj != NULL, "xdp_compat: %s", err);
	if (tc->global != NULL) {
		struct bpf_map *ro = bpf_object__find_map_by_name(kobj, ".rodata");
		size_t sz;
		uint8_t *iv = ro ? (uint8_t *)(uintptr_t)
			      bpf_map__initial_value(ro, &sz) : NULL;
		int off = rodata_offset(kobj, tc->global);

		REQUIRE(iv != NULL && off >= 0 && (size_t)off + 4 <= sz,
			"kernel .rodata: %s", tc->global);
		memcpy(iv + off, &tc->gval, 4);
		CHECK_EQ(xdpc_obj_set_global(xobj, tc->global, &tc->gval, 4, err,
					     sizeof(err)), 0);
	}
	if (bpf_object__load(kobj) != 0) {
		if (errno == EPERM)
			SKIP("bpf() not permitted");
		CHECK(0, "kernel rejected %s", tc->file);
		return;
	}
	CHECK_EQ(xdpc_obj_load(xobj, err, sizeof(err)), 0);
	if (tc->setup != NULL)
		tc->setup(kobj, xobj);
	open_perf(tc, kobj, xobj, &perf);
	fd = bpf_program__fd(bpf_object__find_program_by_name(kobj, tc->prog));
	xp = xdpc_obj_prog(xobj, tc->prog);
	REQUIRE(fd >= 0 && xp != NULL, "program %s", tc->prog);
	/* the engine asked for is the one that runs */
	{
		struct xdpc_prog *any;

		for (unsigned int k = 0; (any = xdpc_obj_prog_at(xobj, k)); k++)
			CHECK_EQ(xdpc_prog_engine(any), engine_asked);
	}
	for (unsigned int i = 0; i < ninputs; i++) {
		static uint8_t kout[4096], xbuf[4096];
		struct xdpc_buff b = {
			.hard_start = xbuf, .frame_sz = sizeof(xbuf),
			.ingress_ifindex = 1,
		};
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = inputs[i].d,
			    .data_size_in = inputs[i].len, .data_out = kout,
			    .data_size_out = sizeof(kout), .repeat = 1);
		char trace[256];
		uint32_t xret, xlen;
		int rc = bpf_prog_test_run_opts(fd, &o);

		CHECK(rc == 0, "%s input %u: kernel test run: %s", tc->prog, i,
		      strerror(errno));
		/* the kernel's test run starts from a zeroed buffer */
		memset(xbuf, 0, sizeof(xbuf));
		b.data = xbuf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + inputs[i].len;
		memcpy(b.data, inputs[i].d, inputs[i].len);
		xret = xdpc_prog_run(xp, &b, trace, sizeof(trace));
		xlen = (uint32_t)(b.data_end - b.data_meta);
		CHECK(o.retval == xret, "%s input %u (%u B, selector %u): kernel "
		      "%u, xdp_compat %u %s", tc->prog, i, inputs[i].len,
		      inputs[i].d[20], o.retval, xret, trace);
		CHECK(o.data_size_out == xlen, "%s input %u: output %u vs %u bytes",
		      tc->prog, i, o.data_size_out, xlen);
		if (o.data_size_out == xlen && memcmp(kout, b.data_meta, xlen)) {
			uint32_t at = 0;

			while (kout[at] == b.data_meta[at])
				at++;
			CHECK(0, "%s input %u (selector %u): output bytes differ "
			      "from byte %u: kernel %02x, xdp_compat %02x", tc->prog,
			      i, inputs[i].d[20], at, kout[at], b.data_meta[at]);
		}
	}
	compare_maps(tc, kobj, xobj);
	compare_ringbufs(tc, kobj, xobj);
	compare_perf(tc, &perf);
	bpf_object__close(kobj);
	xdpc_obj_close(xobj);
}

/* Malformed input gets a clear error naming the problem, never a crash. */
/* Control-flow errors: the kernel's verifier and the loader both refuse
 * each of these programs. */
static void
test_bad_objects(void)
{
	char err[512], path[] = "/tmp/xdpc-bad-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	struct xdpc_obj *o;
	uint8_t buf[65536];
	size_t n;

	close(fd);
	o = xdpc_obj_open("/nonexistent.o", err, sizeof(err));
	CHECK(o == NULL && strstr(err, "/nonexistent.o"), "missing file: %s", err);
	f = fopen(path, "wb");
	fputs("not an elf", f);
	fclose(f);
	o = xdpc_obj_open(path, err, sizeof(err));
	CHECK(o == NULL && strstr(err, "not an ELF"), "garbage: %s", err);
	/* every truncation of a real object */
	f = fopen(MLX5X_BUILD_ROOT "/tests/xdp/corpus_maps.o", "rb");
	REQUIRE(f != NULL, "corpus");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (size_t cut = 0; cut < n; cut += 37) {
		f = fopen(path, "wb");
		fwrite(buf, 1, cut, f);
		fclose(f);
		o = xdpc_obj_open(path, err, sizeof(err));
		if (o != NULL) {
			xdpc_obj_close(o);
			continue;
		}
		CHECK(strstr(err, path) != NULL, "truncated at %zu: %s", cut, err);
	}
	unlink(path);
}

int
main(void)
{
	if (geteuid() != 0)
		SKIP("not root: the kernel side needs bpf()");
	libbpf_set_print(NULL);
	/* BPF_F_CURRENT_CPU and per-CPU maps: the kernel's test runs and
	 * ours (xdpc_buff cpu 0) on the same CPU */
	{
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(0, &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0) {
			fprintf(stderr, "pin to CPU 0: %s\n", strerror(errno));
			return 1;
		}
	}
	make_inputs();
	/* every case on both engines: the JIT (the default) and the
	 * interpreter */
	for (int eng = 0; eng < 2; eng++) {
		engine_asked = eng == 0 ? XDPC_ENGINE_JIT : XDPC_ENGINE_INTERP;
		xdpc_set_default_engine(engine_asked);
		for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			int before = t_failed;

			run_case(&cases[i]);
			printf("%s %s%s%s (%u inputs, %s)\n",
			       t_failed == before ? "ok  " : "FAIL", cases[i].prog,
			       cases[i].global ? " with " : "",
			       cases[i].global ? cases[i].global : "", ninputs,
			       eng == 0 ? "jit" : "interp");
		}
	}
	xdpc_set_default_engine(XDPC_ENGINE_JIT);
	RUN(test_bad_objects);
	return test_report("test_xdpc_diff");
}
