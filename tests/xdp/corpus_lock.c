// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a token bucket under bpf_spin_lock. The clock is
 * the packet count (deterministic for the comparison): one token every
 * 4 packets, a bucket of 3. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bucket {
	struct bpf_spin_lock lock;
	__u32 tokens;
	__u64 ticks;
	__u64 passed;
	__u64 dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

SEC("xdp")
int corpus_lock(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct bucket *b = bpf_map_lookup_elem(&buckets, &k);
	int pass;

	(void)ctx;
	if (!b)
		return XDP_ABORTED;
	bpf_spin_lock(&b->lock);
	b->ticks++;
	if (b->ticks % 4 == 0 && b->tokens < 3)
		b->tokens++;
	pass = b->tokens > 0;
	if (pass) {
		b->tokens--;
		b->passed++;
	} else {
		b->dropped++;
	}
	bpf_spin_unlock(&b->lock);
	return pass ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
