// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: bpf_check_mtu on the ingress device (ifindex 0),
 * by ifindex, on a missing device (-ENODEV), with flags (-EINVAL), with
 * the frame's length and with an L3 length passed in, len_diff from the
 * packet of either sign near the boundary. Results and the MTU reported
 * back go into the frame; the verdict follows the first check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int corpus_mtu(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *b = data;
	__s32 *out;
	__u32 m[6];
	long r[6];
	__s32 diff;

	if (data + 96 > data_end)
		return XDP_PASS;
	diff = (__s32)((b[22] << 8) | b[23]) - 32768;
	m[0] = 0;
	r[0] = bpf_check_mtu(ctx, 0, &m[0], 0, 0);
	m[1] = 65536 - 40 + (b[21] & 63);     /* around lo's 65536 */
	r[1] = bpf_check_mtu(ctx, 0, &m[1], (__s32)(b[24] & 31) - 16, 0);
	m[2] = 0;
	r[2] = bpf_check_mtu(ctx, 1, &m[2], diff, 0);
	m[3] = 1500;
	r[3] = bpf_check_mtu(ctx, 999, &m[3], 0, 0);   /* no such device */
	m[4] = 1500;
	r[4] = bpf_check_mtu(ctx, 0, &m[4], 0, BPF_MTU_CHK_SEGS);
	m[5] = b[25] & 1 ? 0xfffffff0 : 65536;  /* wraps negative in the kernel */
	r[5] = bpf_check_mtu(ctx, 1, &m[5], -14, 0);
	out = data;
	for (int i = 0; i < 6; i++) {
		out[8 + 2 * i] = (__s32)r[i];
		out[9 + 2 * i] = (__s32)m[i];
	}
	return r[0] == BPF_MTU_CHK_RET_SUCCESS ? XDP_TX : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
