// SPDX-License-Identifier: BSD-3-Clause
/* Programs for the native XDP tests of the mlx5x driver
 * (tests/integration/test_mlx5x_xdp.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* PASS after pushing an 8-byte tag in front of the frame and 4 bytes of
 * metadata holding the original frame length. */
SEC("xdp")
int nat_push_meta(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	void *data, *meta;

	if (bpf_xdp_adjust_head(ctx, -8))
		return XDP_ABORTED;
	if (bpf_xdp_adjust_meta(ctx, -4))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	if (meta + 4 > data || data + 8 > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	*(__u32 *)meta = len;
	__builtin_memcpy(data, "XDPHEAD!", 8);
	return XDP_PASS;
}

/* Multi-buffer: copy the last 8 bytes of the frame over bytes 1788..1795
 * (across the end of the linear part of a 2 KiB page with 256 bytes of
 * headroom), then cut 4 bytes off the tail; PASS. Frames too short for
 * that are dropped. */
SEC("xdp.frags")
int nat_frags(struct xdp_md *ctx)
{
	__u8 buf[8];
	__u32 len = bpf_xdp_get_buff_len(ctx);

	if (len < 1800)
		return XDP_DROP;
	if (bpf_xdp_load_bytes(ctx, len - 8, buf, 8))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 1788, buf, 8))
		return XDP_ABORTED;
	if (bpf_xdp_adjust_tail(ctx, -4))
		return XDP_ABORTED;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
