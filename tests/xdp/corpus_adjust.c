// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: the XDP buffer helpers. Byte 20 of the frame picks
 * the operation; the helper's return code is written into the frame (or
 * returned as the action) so the kernel and xdp_compat can be compared
 * byte for byte, limits and error codes included. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int corpus_adjust(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	unsigned char buf[16];
	long rc;
	__u8 op;

	if (data + 24 > data_end)
		return XDP_ABORTED;
	op = p[20];
	switch (op & 15) {
	case 0: /* push an 8-byte header */
		rc = bpf_xdp_adjust_head(ctx, -8);
		break;
	case 1: /* pop 14 bytes */
		rc = bpf_xdp_adjust_head(ctx, 14);
		break;
	case 2: /* grow the tail */
		rc = bpf_xdp_adjust_tail(ctx, 16);
		break;
	case 3: /* shrink the tail */
		rc = bpf_xdp_adjust_tail(ctx, -10);
		break;
	case 4: /* 8 bytes of metadata */
		rc = bpf_xdp_adjust_meta(ctx, -8);
		if (rc == 0) {
			void *meta = (void *)(long)ctx->data_meta;
			void *d = (void *)(long)ctx->data;

			if (meta + 8 <= d)
				__builtin_memset(meta, 0xab, 8);
		}
		break;
	case 5: /* beyond the headroom: -EINVAL */
		rc = bpf_xdp_adjust_head(ctx, -300);
		break;
	case 6: /* metadata not a multiple of 4: -EACCES */
		rc = bpf_xdp_adjust_meta(ctx, -6);
		break;
	case 7: /* load and store bytes */
		rc = bpf_xdp_load_bytes(ctx, 0, buf, 12);
		if (rc == 0)
			rc = bpf_xdp_store_bytes(ctx, 6, buf, 6);
		break;
	case 8: /* shrink below an Ethernet header: -EINVAL */
		rc = bpf_xdp_adjust_tail(ctx, -(int)(data_end - data));
		break;
	case 9: /* buffer length */
		rc = bpf_xdp_get_buff_len(ctx);
		break;
	case 10: { /* checksum difference over two header words */
		__be32 from[2] = { 0x01020304, 0x05060708 };
		__be32 to[2] = { 0x11121314, 0x15161718 };

		/* The raw 32-bit sum's representation depends on the
		 * kernel's csum_partial; programs fold it, so do we. */
		rc = bpf_csum_diff(from, 8, to, 8, 0x1234);
		rc = (rc & 0xffff) + (rc >> 16);
		rc = (rc & 0xffff) + (rc >> 16);
		break;
	}
	default:
		return XDP_PASS;
	}
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + 24 > data_end)
		return rc == 0 ? XDP_TX : XDP_DROP;
	p = data;
	p[21] = (unsigned char)rc;
	p[22] = (unsigned char)(rc >> 8);
	p[23] = (unsigned char)(rc >> 16);
	return rc < 0 ? XDP_DROP : XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
