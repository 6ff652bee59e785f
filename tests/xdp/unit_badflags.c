// SPDX-License-Identifier: BSD-3-Clause
/* An ARRAY with BPF_F_NO_PREALLOC, which the kernel refuses at map
 * creation: loading must fail naming the map and its flags. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u32);
} bad_flags SEC(".maps");

SEC("xdp")
int uses_bad_map(struct xdp_md *ctx)
{
	__u32 k = 0, *v = bpf_map_lookup_elem(&bad_flags, &k);

	(void)ctx;
	return v ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
