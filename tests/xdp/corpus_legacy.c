// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a program in the legacy style older samples use
 * (the kernel tree's xdp1/xdp_rxq_info era): maps declared as struct
 * bpf_map_def in SEC("maps"), no BTF for them. libbpf 1.x no longer
 * loads that, so the kernel runs the same source built with BTF_TWIN
 * (the same maps declared in .maps) and xdp_compat runs the legacy
 * object: same verdicts, bytes and map contents. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifdef BTF_TWIN
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} rxcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} bytes_by_src SEC(".maps");
#else
/* as samples/bpf/bpf_helpers.h declared it */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") rxcnt = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

struct bpf_map_def SEC("maps") bytes_by_src = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 64,
};
#endif

SEC("xdp")
int corpus_legacy(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	__u32 proto, src;
	__u64 *v, len = (__u64)(data_end - data);

	if ((void *)(iph + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	proto = iph->protocol;
	v = bpf_map_lookup_elem(&rxcnt, &proto);
	if (v)
		*v += 1;
	src = iph->saddr & bpf_htonl(0xff00000f); /* a few buckets */
	v = bpf_map_lookup_elem(&bytes_by_src, &src);
	if (v)
		__sync_fetch_and_add(v, len);
	else
		bpf_map_update_elem(&bytes_by_src, &src, &len, BPF_NOEXIST);
	return proto == 17 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
