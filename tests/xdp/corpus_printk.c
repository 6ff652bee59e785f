// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: bpf_trace_printk return values (the formatted
 * length, or -EINVAL for a format the kernel refuses) over the kernel's
 * conversions with packet-derived arguments: widths and flags, 32 and
 * 64-bit integers, %c, %s from the stack, %pI4/%pI6/%pi6 from the
 * packet, %%, too many conversions, unknown conversions, a format with
 * no NUL. Results are written into the frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TP(i, f, ...) ({ static const char _f[] = f; \
	r[i] = bpf_trace_printk(_f, sizeof(_f), ##__VA_ARGS__); })

SEC("xdp")
int corpus_printk(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *b = data;
	__s32 *out;
	long r[16];
	__u64 x;
	__s32 s;
	char name[8] = "eth";

	if (data + 96 > data_end)
		return XDP_PASS;
	x = *(__u64 *)(b + 24);
	s = *(__s32 *)(b + 32);
	name[3] = '0' + (b[21] & 7);
	TP(0, "plain line\n");
	TP(1, "d=%d u=%u x=%x\n", s, s, s);
	TP(2, "ld=%ld lu=%lu llx=%llx\n", x, x, x);
	TP(3, "w=%08x|%-6d|%+d|% d\n", s, s, s);  /* 4th: -EINVAL */
	TP(14, "w=%08x|%-6d|% d\n", s, s, s);
	TP(4, "c=%c s=%s%%\n", b[22] | 0x40, name);
	TP(5, "ip=%pI4 ip6=%pI6\n", b + 26, b + 40);
	TP(6, "raw=%pi6 X=%X\n", b + 40, s);
	TP(7, "four %d %d %d %d\n", 1, 2, 3);       /* 4 conversions */
	TP(8, "float %f\n", s);                     /* unknown */
	TP(9, "hex %lX and %5u\n", x, (__u32)x);
	{
		static const char nonul[4] = { 'a', 'b', 'c', 'd' };

		r[10] = bpf_trace_printk(nonul, sizeof(nonul));
	}
	TP(11, "%10s|%-5c|\n", name, 'z');
	TP(12, "bad %q\n", s);
	TP(13, "%i%i%i\n", s, -s, b[23]);
	out = data;
	for (int i = 0; i < 15; i++)
		out[8 + i] = (__s32)r[i];
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
