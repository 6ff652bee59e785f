// SPDX-License-Identifier: BSD-3-Clause
/* On a devmem-bound queue: what the program can see of a split frame.
 * Counts frames, the longest packet it saw, loads past data_end that
 * succeeded (none may), and buff_len beyond the header (none may); drops
 * frames of odd UDP source ports so the test sees drops recycle chunks. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} dm_seen SEC(".maps");

static __always_inline void
bump(__u32 k, __u64 by)
{
	__u64 *v = bpf_map_lookup_elem(&dm_seen, &k);

	if (v)
		__sync_fetch_and_add(v, by);
}

SEC("xdp")
int devmem_hdr(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 k = 1, len = (__u32)(end - data);
	__u64 *max;
	__u8 b;

	bump(0, 1);
	max = bpf_map_lookup_elem(&dm_seen, &k);
	if (max && len > *max)
		*max = len;
	if (bpf_xdp_load_bytes(ctx, len, &b, 1) == 0)
		bump(2, 1);
	if (bpf_xdp_get_buff_len(ctx) != len)
		bump(3, 1);
	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_UDP && (bpf_ntohs(udp->source) & 1))
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
