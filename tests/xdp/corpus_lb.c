// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: an L4 load balancer. UDP to the VIP 10.0.0.100
 * is hashed on its ports to one of four backends and encapsulated in an
 * outer IPv4 header (IP-in-IP) pushed with adjust_head; the outer header
 * checksum is computed with bpf_csum_diff. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} per_backend SEC(".maps");

static __always_inline __u16
fold(__u64 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

SEC("xdp")
int corpus_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, e;
	struct iphdr *ip = (void *)(eth + 1), *outer;
	struct udphdr *udp = (void *)(ip + 1);
	__u32 b;
	__u64 *cnt;
	__u16 inner_len;

	if ((void *)(udp + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    ip->daddr != bpf_htonl(0x0a000064))
		return XDP_PASS;
	b = (bpf_ntohs(udp->source) ^ bpf_ntohs(udp->dest)) & 3;
	cnt = bpf_map_lookup_elem(&per_backend, &b);
	if (cnt)
		*cnt += 1;
	inner_len = bpf_ntohs(ip->tot_len);
	__builtin_memcpy(&e, eth, sizeof(e));
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, &e, sizeof(e));
	outer->version = 4;
	outer->ihl = 5;
	outer->tos = 0;
	outer->tot_len = bpf_htons(inner_len + sizeof(struct iphdr));
	outer->id = 0;
	outer->frag_off = 0;
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->check = 0;
	outer->saddr = bpf_htonl(0x0a0000fe);
	outer->daddr = bpf_htonl(0x0a000a00 + b + 1);
	outer->check = fold(bpf_csum_diff(0, 0, (__be32 *)outer,
					  sizeof(*outer), 0));
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
