// SPDX-License-Identifier: BSD-3-Clause
/*
 * An L4 load balancer: UDP and TCP to the virtual IP `vip` (set with
 * --set vip=0xC6130001 for 198.19.0.1, host byte order; default
 * 10.0.0.100) are hashed on their addresses and ports to one of
 * `nb_backends` backends (default 4, at most 16), encapsulated in an outer
 * IPv4 header (IP-in-IP, protocol 4) to 10.0.10.<backend + 1> from
 * 10.0.0.254, and sent back out (XDP_TX). Per-CPU packets per backend in
 * `per_backend`. Anything else passes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 vip = 0x0a000064;
const volatile __u32 nb_backends = 4;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 16);
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
int xdp_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, e;
	struct iphdr *ip = (void *)(eth + 1), *outer;
	struct udphdr *l4 = (void *)(ip + 1); /* TCP ports sit the same */
	__u32 h, b, n = nb_backends;
	__u64 *cnt;
	__u16 inner_len;

	if ((void *)(l4 + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->daddr != bpf_htonl(vip) ||
	    (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_TCP))
		return XDP_PASS;
	if (n == 0 || n > 16)
		n = 4;
	h = ip->saddr ^ ((__u32)l4->source << 16 | l4->dest) ^ ip->protocol;
	h ^= h >> 16;
	h *= 0x45d9f3b;
	h ^= h >> 16;
	b = h % n;
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
	/* back out of the port it came in: swap the MACs */
	__builtin_memcpy(eth->h_dest, e.h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, e.h_dest, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
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
