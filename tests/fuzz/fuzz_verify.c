/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the verifier: the input is a program (8-byte
 * eBPF instructions over xdpc_obj_synth's maps). Whatever the verifier
 * accepts runs, with the interpreter's runtime checks off, on frames of
 * several sizes in buffers of exactly their size, under the address
 * sanitizer: an access the proof should have ruled out is a crash. A
 * helper refusing an argument at run time is reported the same way,
 * since the verifier checked it against the helper's prototype.
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

static void
run_frame(struct xdpc_prog *p, uint32_t len, uint64_t seed)
{
	uint32_t head = XDPC_HEADROOM, tail = 320 + 64;
	uint32_t frame_sz = head + len + tail;
	uint8_t *buf = malloc(frame_sz);
	struct xdpc_buff b = { 0 };
	char trace[256] = "";
	uint32_t act;

	if (buf == NULL)
		abort();
	for (uint32_t i = 0; i < frame_sz; i++)
		buf[i] = (uint8_t)mix(seed + i);
	b.hard_start = buf;
	b.frame_sz = frame_sz;
	b.data = buf + head;
	b.data_meta = b.data;
	b.data_end = b.data + len;
	b.ingress_ifindex = 1;
	act = xdpc_prog_run(p, &b, trace, sizeof(trace));
	if (act == XDPC_ABORTED && trace[0] != '\0' &&
	    strstr(trace, "instructions run") == NULL) {
		fprintf(stderr, "verified program faulted: %s\n", trace);
		abort();
	}
	free(buf);
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
	if (xdpc_obj_load(o, err, sizeof(err)) == 0)
		for (unsigned int i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
			run_frame(xdpc_obj_prog(o, NULL), lens[i], seed + i);
	xdpc_obj_close(o);
	return 0;
}
