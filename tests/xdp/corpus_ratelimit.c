// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a token-bucket rate limiter on the real clock
 * (bpf_ktime_get_ns) under bpf_spin_lock, one token a second and a
 * bucket of 3, so within a test run the first 3 frames pass and the
 * rest drop on both sides; per-source counters in an LRU_PERCPU_HASH,
 * per-protocol bytes in a PERCPU_HASH.
 * The clocks and random numbers differ between runs, so the frame gets
 * facts that must hold for any run instead: boot time not behind
 * monotonic time, the coarse clock within 50 ms of it, the clock not
 * going back, two random numbers that differ, the CPU id (the test pins
 * itself to CPU 0). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NSEC 1000000000ull

struct bucket {
	struct bpf_spin_lock lock;
	__u32 tokens;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bucket);
} bucket SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} by_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} by_proto SEC(".maps");

SEC("xdp")
int corpus_ratelimit(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 *out, k = 0, src;
	struct bucket *b;
	__u64 now, boot, coarse, later, *cnt, one = 1;
	__u32 r1, r2;
	int pass = 0;

	if (data + 64 > data_end)
		return XDP_PASS;
	now = bpf_ktime_get_ns();
	b = bpf_map_lookup_elem(&bucket, &k);
	if (!b)
		return XDP_ABORTED;
	bpf_spin_lock(&b->lock);
	if (b->last_ns == 0) {
		b->last_ns = now;
		b->tokens = 3;
	} else if (now - b->last_ns >= NSEC) {
		__u64 add = (now - b->last_ns) / NSEC;

		b->tokens = b->tokens + add > 3 ? 3 : b->tokens + (__u32)add;
		b->last_ns += add * NSEC;
	}
	if (b->tokens > 0) {
		b->tokens--;
		pass = 1;
	}
	bpf_spin_unlock(&b->lock);

	src = p[29] & 15;   /* fewer sources than entries: no eviction, whose
			     * order the kernel only approximates */
	cnt = bpf_map_lookup_elem(&by_src, &src);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&by_src, &src, &one, BPF_NOEXIST);

	k = p[23];
	cnt = bpf_map_lookup_elem(&by_proto, &k);
	if (cnt)
		*cnt += data_end - data;
	else
		bpf_map_update_elem(&by_proto, &k, &one, BPF_NOEXIST);

	boot = bpf_ktime_get_boot_ns();
	coarse = bpf_ktime_get_coarse_ns();
	later = bpf_ktime_get_ns();
	r1 = bpf_get_prandom_u32();
	r2 = bpf_get_prandom_u32();
	out = data;
	out[8] = boot >= now;
	out[9] = coarse + 50000000ull > now && coarse < later + 50000000ull;
	out[10] = later >= now;
	out[11] = r1 != r2;
	out[12] = bpf_get_smp_processor_id();
	out[13] = pass;
	return pass ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
