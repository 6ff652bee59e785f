// SPDX-License-Identifier: BSD-3-Clause
/* Calls a helper xdp_compat does not provide (SYN cookies need the
 * kernel's TCP stack): loading must fail naming it, its id and the
 * instruction. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int wants_syncookie(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 60 > data_end)
		return XDP_PASS;
	return bpf_tcp_gen_syncookie(0, data + 14, 20, data + 34, 20) > 0 ?
	       XDP_TX : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
