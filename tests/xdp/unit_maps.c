// SPDX-License-Identifier: BSD-3-Clause
/* Maps for tests/unit/test_xdpc.c: small enough to fill, and a program
 * that exercises every kind from the program side. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} small_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} small_hash SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, __u32);
} prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} pcpu SEC(".maps");

SEC("xdp")
int unit_maps(struct xdp_md *ctx)
{
	__u32 k = ctx->rx_queue_index, one = 1;

	bpf_map_update_elem(&pcpu, &k, &one, BPF_ANY);
	return XDP_PASS;
}

SEC("tc")
int not_xdp(void *ctx)
{
	(void)ctx;
	return 0;
}

char _license[] SEC("license") = "Dual BSD/GPL";
