// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: bpf_loop with callbacks that read the frame
 * through a context struct on the caller's stack, stop early (return 1),
 * nest a bpf-to-bpf call, and an out-of-range nr_loops / bad flags
 * returned as errors. The iteration counts and a checksum are written
 * back into the frame and decide the action. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct walk {
	struct xdp_md *ctx;
	__u32 sum;
	__u32 stop_at;     /* stop when a byte equals this */
	__u32 seen;
};

static __attribute__((noinline)) __u32
mix(__u32 s, __u32 b)
{
	return (s << 5) + s + b;
}

static long
walk_byte(__u32 i, void *arg)
{
	struct walk *w = arg;
	void *data = (void *)(long)w->ctx->data;
	void *data_end = (void *)(long)w->ctx->data_end;
	__u8 *p = data;

	if (i > 255)
		return 1;
	p += i;
	if ((void *)(p + 1) > data_end)
		return 1;
	w->seen++;
	w->sum = mix(w->sum, *p);
	if (*p == w->stop_at)
		return 1;
	return 0;
}

static long
count_only(__u32 i, void *arg)
{
	__u64 *acc = arg;

	*acc += i;
	return 0;
}

SEC("xdp")
int corpus_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct walk w = { .ctx = ctx, .sum = 5381 };
	__u32 *out = data;
	__u64 acc = 0;
	long n1, n2, n3, n4;
	__u8 *b = data;

	if (data + 64 > data_end)
		return XDP_PASS;
	w.stop_at = b[14];
	n1 = bpf_loop(b[15] + 16, walk_byte, &w, 0);
	n2 = bpf_loop(b[16] & 31, count_only, &acc, 0);
	n3 = bpf_loop(1 << 24, count_only, &acc, 0);  /* over the limit */
	n4 = bpf_loop(0, count_only, &acc, b[17] & 1); /* flags must be 0 */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	out = data;
	if (data + 64 > data_end)
		return XDP_ABORTED;
	out[8] = (__u32)n1;
	out[9] = w.sum;
	out[10] = w.seen;
	out[11] = (__u32)n2;
	out[12] = (__u32)acc;
	out[13] = (__u32)n3;
	out[14] = (__u32)n4;
	return w.sum & 1 ? XDP_TX : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
