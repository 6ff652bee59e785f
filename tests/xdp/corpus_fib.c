// SPDX-License-Identifier: BSD-3-Clause
/* bpf_fib_lookup as the kernel's xdp_fwd sample uses it: look up the
 * IPv4 or IPv6 destination from the ingress device, on success rewrite
 * the MACs and redirect to the egress device. The return code, egress
 * ifindex and MTU result also go into bytes 100.. of the frame (frames
 * of 128 bytes) for the test to read. Byte 99 selects the flags. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define AF_INET 2
#define AF_INET6 10

SEC("xdp")
int corpus_fib(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct bpf_fib_lookup fib = {};
	struct ethhdr *eth = data;
	__u8 *b = data;
	__u32 flags;
	long rc;

	if (data + 128 > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = data + sizeof(*eth);

		fib.family = AF_INET;
		fib.tos = iph->tos;
		fib.l4_protocol = iph->protocol;
		fib.tot_len = bpf_ntohs(iph->tot_len);
		fib.ipv4_src = iph->saddr;
		fib.ipv4_dst = iph->daddr;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = data + sizeof(*eth);

		fib.family = AF_INET6;
		fib.l4_protocol = ip6h->nexthdr;
		fib.tot_len = bpf_ntohs(ip6h->payload_len) + sizeof(*ip6h);
		__builtin_memcpy(fib.ipv6_src, &ip6h->saddr, 16);
		__builtin_memcpy(fib.ipv6_dst, &ip6h->daddr, 16);
	} else {
		return XDP_PASS;
	}
	fib.ifindex = ctx->ingress_ifindex;
	flags = b[99] & 7 ? BPF_FIB_LOOKUP_SKIP_NEIGH : 0;
	if (b[99] & 8)
		flags |= BPF_FIB_LOOKUP_TBID; /* refused here */
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), flags);
	*(__s32 *)(b + 100) = (__s32)rc;
	*(__u32 *)(b + 104) = fib.ifindex;
	*(__u16 *)(b + 108) = fib.mtu_result;
	*(__u32 *)(b + 112) = fib.ipv4_dst;   /* the gateway when there is one */
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rc == BPF_FIB_LKUP_RET_NOT_FWDED ? XDP_PASS : XDP_DROP;
	__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
	return bpf_redirect(fib.ifindex, 0);
}

char _license[] SEC("license") = "Dual BSD/GPL";
