// SPDX-License-Identifier: BSD-3-Clause
/*
 * An IPv4 source blocklist: an LPM trie of prefixes (the application
 * fills `blocklist`, value 1 = block) drops matching frames, passes the
 * rest, and counts per-CPU packets and bytes per verdict in `verdicts`
 * (0 = dropped by a rule, 1 = passed, 2 = not IPv4, 3 = runt).
 *   testpmd-xdp ... --xdp xdp_filter.o --map-update blocklist hex:18000000c61200=1
 * blocks 198.18.0.0/24 (key: prefix length 24, then the address bytes).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct datarec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4);
	__type(value, __u32);
} blocklist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct datarec);
} verdicts SEC(".maps");

static __always_inline int
count(__u32 v, __u64 len, int action)
{
	struct datarec *r = bpf_map_lookup_elem(&verdicts, &v);

	if (r) {
		r->packets++;
		r->bytes += len;
	}
	return action;
}

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct lpm_v4 key = { .prefixlen = 32 };
	__u64 len = data_end - data;
	__u32 *rule;

	if ((void *)(ip + 1) > data_end)
		return count(3, len, XDP_PASS);
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return count(2, len, XDP_PASS);
	__builtin_memcpy(key.addr, &ip->saddr, 4);
	rule = bpf_map_lookup_elem(&blocklist, &key);
	if (rule && *rule)
		return count(0, len, XDP_DROP);
	return count(1, len, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
