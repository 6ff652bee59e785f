// SPDX-License-Identifier: BSD-3-Clause
/* The verifier's scale case, an L4 load balancer's size: parse Ethernet,
 * IPv4 and TCP/UDP, then 192 service rules, each a branch on address
 * and port with its own counter and header rewrite. Over 4,000
 * instructions; tests/kernel/test_verify_kernel.c checks it verifies in
 * under a second (and that the kernel accepts it too). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct svc_stat {
	__u64 pkts, bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct svc_stat);
} svc_stats SEC(".maps");

static __always_inline void
account(__u32 svc, __u64 len)
{
	struct svc_stat *s = bpf_map_lookup_elem(&svc_stats, &svc);

	if (s) {
		__sync_fetch_and_add(&s->pkts, 1);
		__sync_fetch_and_add(&s->bytes, len);
	}
}

#define RULE(i)                                                              \
	if (ip->daddr == bpf_htonl(0x0a000000u + (i) * 3u) &&                \
	    dport == bpf_htons(1000 + (i) * 11)) {                             \
		account((i), len);                                             \
		eth->h_dest[5] = (__u8)(i);                                    \
		eth->h_source[4] = (__u8)((i) >> 1);                           \
		ip->daddr = bpf_htonl(0xc0a80000u + (i) * 5u);                 \
		ip->check = (__u16)(ip->check + (i) * 13u);                    \
		return (i) % 3 ? XDP_TX : XDP_PASS;                            \
	}
#define R4(b) RULE(b) RULE((b) + 1) RULE((b) + 2) RULE((b) + 3)
#define R16(b) R4(b) R4((b) + 4) R4((b) + 8) R4((b) + 12)
#define R64(b) R16(b) R16((b) + 16) R16((b) + 32) R16((b) + 48)

SEC("xdp")
int verify_scale(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u64 len = data_end - data;
	__u16 dport;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *th = (void *)(ip + 1);

		if ((void *)(th + 1) > data_end)
			return XDP_DROP;
		dport = th->dest;
	} else if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *uh = (void *)(ip + 1);

		if ((void *)(uh + 1) > data_end)
			return XDP_DROP;
		dport = uh->dest;
	} else {
		return XDP_PASS;
	}
	R64(0)
	R64(64)
	R64(128)
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
