// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: maps (hash, array, per-CPU array), update flags,
 * delete, atomics on map values, global data in .data and .bss, a
 * const volatile selector in .rodata and a bpf-to-bpf call. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counters {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct counters);
} by_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} by_byte SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

const volatile __u32 salt = 7;
__u64 seen = 0;            /* .data or .bss */
__u64 last_hash = 1;       /* .data */

static __attribute__((noinline)) __u32
mix(__u32 a, __u32 b)
{
	a ^= b * 2654435761u;
	return (a << 13 | a >> 19) + salt;
}

SEC("xdp")
int corpus_maps(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	struct counters *c, init = {};
	__u32 src, k0 = 0, k1 = 1, byte;
	__u64 *v;
	__s64 r;

	if (data + 34 > data_end)
		return XDP_PASS;
	src = p[26] | p[27] << 8 | p[28] << 16 | (__u32)p[29] << 24;
	src &= 0x0f;
	c = bpf_map_lookup_elem(&by_src, &src);
	if (!c) {
		r = bpf_map_update_elem(&by_src, &src, &init, BPF_NOEXIST);
		bpf_map_update_elem(&results, &k0, &r, BPF_ANY);
		c = bpf_map_lookup_elem(&by_src, &src);
		if (!c)
			return XDP_ABORTED;
	} else {
		r = bpf_map_update_elem(&by_src, &src, &init, BPF_NOEXIST);
		bpf_map_update_elem(&results, &k1, &r, BPF_ANY);
	}
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, data_end - data);
	byte = p[33];
	v = bpf_map_lookup_elem(&by_byte, &byte);
	if (v)
		*v += 1;
	if (p[32] == 0xdd) {
		r = bpf_map_delete_elem(&by_src, &src);
		__u32 k2 = 2;
		bpf_map_update_elem(&results, &k2, &r, BPF_ANY);
	}
	seen++;
	last_hash = mix(src, byte);
	return last_hash & 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
