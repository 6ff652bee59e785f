/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bundled XDP objects, as clang built them, are accepted by the
 * kernel's verifier (BPF_PROG_LOAD) and do what they say under
 * BPF_PROG_TEST_RUN: return code, output bytes and map contents.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"

#define PROGS MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/"

static unsigned char pkt[64] = {
	0x02, 0, 0, 0, 0, 0x01,  0x02, 0, 0, 0, 0, 0x02,  0x08, 0x00,
	0x45, 0, 0, 50,
};

static struct bpf_object *
open_obj(const char *file)
{
	struct bpf_object *obj = bpf_object__open_file(file, NULL);

	if (obj == NULL || libbpf_get_error(obj)) {
		CHECK(0, "open %s: %s", file, strerror(errno));
		return NULL;
	}
	return obj;
}

static int
load(struct bpf_object *obj, const char *file)
{
	int rc = bpf_object__load(obj);

	if (rc == -EPERM)
		SKIP("bpf() not permitted (needs root / CAP_BPF)");
	CHECK(rc == 0, "kernel rejected %s: %d", file, rc);
	return rc;
}

static int
run(int fd, void *in, size_t len, void *out, uint32_t *out_len, uint32_t *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len,
		    .data_out = out, .data_size_out = out ? *out_len : 0,
		    .repeat = 1);
	int rc = bpf_prog_test_run_opts(fd, &o);

	*ret = o.retval;
	if (out_len)
		*out_len = o.data_size_out;
	return rc;
}

static void
test_drop(void)
{
	struct bpf_object *obj = open_obj(PROGS "xdp_drop.o");
	uint32_t ret;

	if (obj == NULL || load(obj, "xdp_drop.o"))
		return;
	CHECK_EQ(run(bpf_program__fd(bpf_object__find_program_by_name(obj,
		 "xdp_drop")), pkt, sizeof(pkt), NULL, NULL, &ret), 0);
	CHECK_EQ(ret, XDP_DROP);
	bpf_object__close(obj);
}

static void
test_macswap(void)
{
	struct bpf_object *obj = open_obj(PROGS "xdp_tx.o");
	unsigned char out[128];
	uint32_t ret, len = sizeof(out);
	int fd;

	if (obj == NULL || load(obj, "xdp_tx.o"))
		return;
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "xdp_tx"));
	CHECK_EQ(run(fd, pkt, sizeof(pkt), out, &len, &ret), 0);
	CHECK_EQ(ret, XDP_TX);
	CHECK_EQ(len, sizeof(pkt));
	CHECK(memcmp(out, pkt + 6, 6) == 0 && memcmp(out + 6, pkt, 6) == 0,
	      "MACs swapped");
	CHECK(memcmp(out + 12, pkt + 12, sizeof(pkt) - 12) == 0, "rest intact");
	bpf_object__close(obj);
}

/* const volatile globals set before load, as a skeleton does, and the
 * per-CPU counters afterwards. */
static void
test_action_selector(void)
{
	struct bpf_object *obj = open_obj(PROGS "xdp_bench.o");
	struct bpf_map *rodata, *stats;
	uint32_t ret, key = XDP_TX;
	size_t sz;
	int fd, ncpu = libbpf_num_possible_cpus();
	struct { uint64_t packets, bytes; } vals[1024];
	uint64_t pkts = 0, bytes = 0;

	if (obj == NULL)
		return;
	REQUIRE(ncpu > 0 && ncpu <= 1024, "cpus %d", ncpu);
	rodata = bpf_object__find_map_by_name(obj, ".rodata");
	REQUIRE(rodata != NULL, "object has .rodata");
	{
		/* libbpf 1.1 declares it const; the skeleton writes it */
		uint32_t *action = (uint32_t *)(uintptr_t)
			bpf_map__initial_value(rodata, &sz);

		REQUIRE(action != NULL && sz >= 4, ".rodata initial value");
		CHECK_EQ(*action, XDP_PASS);
		*action = XDP_TX;
	}
	if (load(obj, "xdp_bench.o"))
		return;
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "xdp_bench"));
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(run(fd, pkt, sizeof(pkt), NULL, NULL, &ret), 0);
		CHECK_EQ(ret, XDP_TX);
	}
	stats = bpf_object__find_map_by_name(obj, "stats");
	REQUIRE(stats != NULL, "stats map");
	CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(stats), &key, vals), 0);
	for (int c = 0; c < ncpu; c++) {
		pkts += vals[c].packets;
		bytes += vals[c].bytes;
	}
	CHECK_EQ(pkts, 3);
	CHECK_EQ(bytes, 3 * sizeof(pkt));
	bpf_object__close(obj);
}

int
main(void)
{
	if (geteuid() != 0)
		SKIP("not root: BPF_PROG_LOAD needs CAP_BPF");
	libbpf_set_print(NULL);
	RUN(test_drop);
	RUN(test_macswap);
	RUN(test_action_selector);
	return test_report("test_bundled_progs");
}
