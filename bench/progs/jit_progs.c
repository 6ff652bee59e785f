// SPDX-License-Identifier: BSD-3-Clause
/* Map-less programs for bench/jit-bench.c, one per object (-DPROG_...),
 * compiled twice from this source: for XDP (struct xdp_md context) and,
 * with -DRTE_CTX, for DPDK's rte_bpf, whose context is the packet
 * pointer itself (64 bytes of it, which is all these programs read). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifdef RTE_CTX
#define CTX void *ctx
#define DATA ((void *)ctx)
#define DATA_END ((void *)((char *)ctx + 64))
#else
#define CTX struct xdp_md *ctx
#define DATA ((void *)(long)ctx->data)
#define DATA_END ((void *)(long)ctx->data_end)
#endif

SEC("xdp")
int jit_prog(CTX)
{
	void *data = DATA, *data_end = DATA_END;

#if defined(PROG_pass)
	(void)data; (void)data_end;
	return XDP_PASS;
#elif defined(PROG_drop)
	(void)data; (void)data_end;
	return XDP_DROP;
#elif defined(PROG_macswap)
	/* xdp_tx's work: swap the MACs, send it back */
	struct ethhdr *eth = data;
	__u8 t[ETH_ALEN];

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(t, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, t, ETH_ALEN);
	return XDP_TX;
#elif defined(PROG_parse)
	/* Ethernet, IPv4 with its header checksum verified, UDP port */
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *uh = (void *)(ip + 1);
	__u16 *w = (void *)ip;
	__u32 sum = 0;

	if ((void *)(uh + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5)
		return XDP_PASS;
#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	if ((__u16)~sum != 0 || ip->protocol != IPPROTO_UDP)
		return XDP_DROP;
	return uh->dest == bpf_htons(4789) ? XDP_TX : XDP_PASS;
#endif
}

char _license[] SEC("license") = "Dual BSD/GPL";
