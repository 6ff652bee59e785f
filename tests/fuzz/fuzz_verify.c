/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the verifier: the input is a program (8-byte
 * eBPF instructions over xdpc_obj_synth's maps). Whatever the verifier
 * accepts runs, with the interpreter's runtime checks off, on frames of
 * several sizes in buffers of exactly their size, under the address
 * sanitizer: an access the proof should have ruled out is a crash. A
 * helper refusing an argument at run time is reported the same way,
 * since the verifier checked it against the helper's prototype. The
 * same program, loaded again, runs on the JIT too, and must give the
 * same action, frame and global data (unless it reads clocks or random
 * numbers, or the verifier saw it turn addresses into numbers: the two
 * objects live in different memory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "xdpc.h"
#include "xdpc_testing.h"

#define MAX_INSNS 512u

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

struct frame {
	uint8_t *buf;
	struct xdpc_buff b;
	uint32_t act;
	char trace[256];
};

static void
run_frame(struct frame *f, struct xdpc_prog *p, uint32_t len, uint64_t seed)
{
	uint32_t head = XDPC_HEADROOM, tail = 320 + 64;
	uint32_t frame_sz = head + len + tail;

	f->buf = malloc(frame_sz);
	if (f->buf == NULL)
		abort();
	for (uint32_t i = 0; i < frame_sz; i++)
		f->buf[i] = (uint8_t)mix(seed + i);
	memset(&f->b, 0, sizeof(f->b));
	f->b.hard_start = f->buf;
	f->b.frame_sz = frame_sz;
	f->b.data = f->buf + head;
	f->b.data_meta = f->b.data;
	f->b.data_end = f->b.data + len;
	f->b.ingress_ifindex = 1;
	f->trace[0] = '\0';
	f->act = xdpc_prog_run(p, &f->b, f->trace, sizeof(f->trace));
	if (f->act == XDPC_ABORTED && f->trace[0] != '\0' &&
	    strstr(f->trace, "instructions run") == NULL) {
		fprintf(stderr, "verified program faulted: %s\n", f->trace);
		abort();
	}
}

/* clocks and random numbers differ between two runs */
static bool
deterministic(const struct bpf_insn *in, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == 0 &&
		    (in[i].imm == BPF_FUNC_ktime_get_ns ||
		     in[i].imm == BPF_FUNC_ktime_get_boot_ns ||
		     in[i].imm == BPF_FUNC_ktime_get_coarse_ns ||
		     in[i].imm == BPF_FUNC_get_prandom_u32))
			return false;
	return true;
}

static void
same(const struct frame *a, const struct frame *b, uint32_t frame_sz)
{
	if (a->act != b->act ||
	    a->b.data - a->buf != b->b.data - b->buf ||
	    a->b.data_meta - a->buf != b->b.data_meta - b->buf ||
	    a->b.data_end - a->buf != b->b.data_end - b->buf ||
	    memcmp(a->buf, b->buf, frame_sz) != 0 ||
	    a->b.redirect_ifindex != b->b.redirect_ifindex) {
		fprintf(stderr, "interpreter and JIT differ: action %u vs %u "
			"(%s | %s)\n", a->act, b->act, a->trace, b->trace);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xdpc_set_runtime_checks(false);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_insn insns[MAX_INSNS];
	uint32_t n = (uint32_t)(size / 8);
	static const uint32_t lens[] = { 0, 14, 60, 200, 1500 };
	struct xdpc_obj *o;
	char err[1024];
	uint64_t seed = 0;

	if (n == 0 || n > MAX_INSNS)
		return 0;
	memcpy(insns, data, (size_t)n * 8);
	for (size_t i = 0; i < size; i++)
		seed = mix(seed + data[i]);
	o = xdpc_obj_synth(insns, n, err, sizeof(err));
	if (o == NULL)
		return 0;
	if (xdpc_obj_load(o, err, sizeof(err)) == 0) {
		struct xdpc_obj *j = xdpc_obj_synth(insns, n, err, sizeof(err));
		bool cmp = deterministic(insns, n) &&
			   !xdpc_prog_addr_dependent(xdpc_obj_prog(o, NULL));

		if (j == NULL || xdpc_obj_load(j, err, sizeof(err)) != 0 ||
		    xdpc_prog_set_engine(xdpc_obj_prog(o, NULL),
					 XDPC_ENGINE_INTERP) != 0 ||
		    xdpc_prog_set_engine(xdpc_obj_prog(j, NULL),
					 XDPC_ENGINE_JIT) != 0)
			abort();
		for (unsigned int i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			struct frame fi, fj;

			run_frame(&fi, xdpc_obj_prog(o, NULL), lens[i], seed + i);
			run_frame(&fj, xdpc_obj_prog(j, NULL), lens[i], seed + i);
			if (cmp)
				same(&fi, &fj, fi.b.frame_sz);
			free(fi.buf);
			free(fj.buf);
		}
		if (cmp) {
			uint8_t dv[2][64];
			uint32_t k = 0;

			if (xdpc_map_lookup(xdpc_obj_map(o, ".data"), &k, dv[0]) != 0 ||
			    xdpc_map_lookup(xdpc_obj_map(j, ".data"), &k, dv[1]) != 0 ||
			    memcmp(dv[0], dv[1], sizeof(dv[0])) != 0) {
				fprintf(stderr, "interpreter and JIT leave different "
					"global data\n");
				abort();
			}
		}
		xdpc_obj_close(j);
	}
	xdpc_obj_close(o);
	return 0;
}
