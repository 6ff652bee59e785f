// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: an ICMP echo responder. Echo requests to any
 * address become replies sent back with XDP_TX: MACs and IPs swapped,
 * type 0, ICMP checksum updated incrementally. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* <linux/icmp.h> pulls in libc headers; the part we need: */
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 rest;
};

SEC("xdp")
int corpus_icmp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct icmphdr *ic;
	unsigned char mac[ETH_ALEN];
	__be32 a;
	__u32 sum;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	ic = (void *)(ip + 1);
	if ((void *)(ic + 1) > data_end || ic->type != ICMP_ECHO)
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	/* type 8 -> 0: the checksum rises by 0x0800 (RFC 1624) */
	ic->type = ICMP_ECHOREPLY;
	sum = (__u32)ic->checksum + bpf_htons(0x0800);
	ic->checksum = (__u16)(sum + (sum >> 16));
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
