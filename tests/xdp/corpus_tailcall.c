// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a tail-call dispatcher with a statically
 * initialised PROG_ARRAY: IPv4 to slot 0, IPv6 to slot 1, VLAN to the
 * empty slot 2 (the call falls through), the rest PASS. And tc_chain, in
 * slot 3, tail-calling itself until the limit stops it: 33 tail calls,
 * 34 runs of it per frame, counted in .bss and in the frame. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

int tc_ipv4(struct xdp_md *ctx);
int tc_ipv6(struct xdp_md *ctx);
int tc_chain(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jump SEC(".maps") = {
	.values = { [0] = (void *)&tc_ipv4, [1] = (void *)&tc_ipv6,
		    [3] = (void *)&tc_chain },
};

SEC("xdp")
int tc_ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	unsigned char *p = data;

	if (data + 16 > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	p[15] = 0x44;
	return XDP_TX;
}

SEC("xdp")
int tc_ipv6(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_DROP;
}

__u64 chain_runs;

SEC("xdp")
int tc_chain(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	unsigned char *p = data;

	chain_runs++;
	if (data + 16 > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	p[14] = (unsigned char)(p[14] + 1);     /* this frame's count */
	bpf_tail_call(ctx, &jump, 3);
	return XDP_PASS;                        /* the limit was reached */
}

SEC("xdp")
int corpus_tailcall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		bpf_tail_call(ctx, &jump, 0);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		bpf_tail_call(ctx, &jump, 1);
	else if (eth->h_proto == bpf_htons(ETH_P_8021Q))
		bpf_tail_call(ctx, &jump, 2);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
