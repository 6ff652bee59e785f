// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: VLAN push and pop. Untagged IPv4 gets tag 100
 * pushed; a frame tagged 200 has its tag popped; other tags pass. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct vhdr {
	__be16 tci;
	__be16 proto;
};

SEC("xdp")
int corpus_vlan(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, copy;
	struct vhdr *v;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		__builtin_memcpy(&copy, eth, sizeof(copy));
		if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct vhdr)))
			return XDP_DROP;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		eth = data;
		if ((void *)(eth + 1) + sizeof(*v) > data_end)
			return XDP_ABORTED;
		__builtin_memcpy(eth->h_dest, copy.h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_source, copy.h_source, ETH_ALEN);
		eth->h_proto = bpf_htons(ETH_P_8021Q);
		v = (void *)(eth + 1);
		v->tci = bpf_htons(100);
		v->proto = bpf_htons(ETH_P_IP);
		return XDP_TX;
	}
	if (eth->h_proto != bpf_htons(ETH_P_8021Q))
		return XDP_PASS;
	v = (void *)(eth + 1);
	if ((void *)(v + 1) > data_end)
		return XDP_ABORTED;
	if ((bpf_ntohs(v->tci) & 0xfff) != 200)
		return XDP_PASS;
	__builtin_memcpy(&copy, eth, sizeof(copy));
	copy.h_proto = v->proto;
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct vhdr)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, &copy, sizeof(copy));
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
