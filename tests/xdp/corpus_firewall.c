// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a firewall. An LPM blocklist of IPv4 source
 * prefixes (filled by the application), per-CPU counters per verdict, and
 * an LRU table of recently seen sources. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4);
	__type(value, __u32);
} blocklist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} recent SEC(".maps");

static __always_inline void
count(__u32 v)
{
	__u64 *c = bpf_map_lookup_elem(&verdicts, &v);

	if (c)
		*c += 1;
}

SEC("xdp")
int corpus_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct lpm_v4 key = { .prefixlen = 32 };
	__u32 *rule, src;
	__u64 *seen, one = 1;

	if ((void *)(ip + 1) > data_end) {
		count(3);
		return XDP_PASS;
	}
	if (eth->h_proto != bpf_htons(ETH_P_IP)) {
		count(2);
		return XDP_PASS;
	}
	src = ip->saddr & bpf_htonl(0xff00000f); /* few distinct sources */
	__builtin_memcpy(key.addr, &src, 4);
	seen = bpf_map_lookup_elem(&recent, &src);
	if (seen)
		__sync_fetch_and_add(seen, 1);
	else
		bpf_map_update_elem(&recent, &src, &one, BPF_NOEXIST);
	rule = bpf_map_lookup_elem(&blocklist, &key);
	if (rule && *rule) {
		count(0);
		return XDP_DROP;
	}
	count(1);
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
