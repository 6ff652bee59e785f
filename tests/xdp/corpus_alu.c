// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: ALU edge cases on values taken from the frame,
 * results written back into it: division and modulo by zero, shifts by
 * the width or more, 32-bit zero extension, signed compares, byte swaps. */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int corpus_alu(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 *q = data;
	__u32 *w = data;
	volatile __u64 a, b;
	volatile __u32 x, y;
	volatile __s64 sa;
	volatile __u64 z64 = 0;   /* a zero the compiler cannot see */
	volatile __u32 z32 = 0;

	if (data + 128 > data_end)
		return XDP_PASS;
	a = q[2];
	b = q[3];
	x = w[8];
	y = w[9];
	sa = (__s64)q[2];
	q[5] = b ? a / b : 0;
	q[6] = a / z64;              /* divide by zero: 0 */
	q[7] = a % z64;              /* modulo by zero: a */
	w[16] = x / z32;
	w[17] = x % z32;
	q[9] = a << (b & 127);       /* shift counts are masked */
	w[20] = x >> (y & 63);
	q[11] = (__u32)(x + y);      /* 32-bit zero extension */
	w[24] = sa < (__s64)b;
	w[25] = (__s32)x < (__s32)y;
	w[26] = bpf_htonl(x);
	w[27] = bpf_htons((__u16)y);
	q[14] = __builtin_bswap64(a);
	q[15] = (__u64)(sa >> (b & 63));
	return (a ^ b) & 1 ? XDP_TX : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
