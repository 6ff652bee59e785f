// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: map-in-map. An ARRAY_OF_MAPS and a HASH_OF_MAPS
 * whose slots are filled by static initialisers with inner arrays (and
 * some left empty), looked up from the program, the inner map then read
 * and updated, as per-tenant tables are. Results go into the frame and
 * the inner maps are compared afterwards. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner tenant_a SEC(".maps"), tenant_b SEC(".maps"),
	tenant_c SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} tenants SEC(".maps") = {
	.values = { [0] = &tenant_a, [2] = &tenant_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} by_id SEC(".maps") = {
	.values = { [1] = &tenant_c, [3] = &tenant_a },
};

SEC("xdp")
int corpus_mapinmap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *b = data;
	__u32 *out;
	__u32 k, idx, res[4] = {};
	void *inner;
	__u64 *v;

	if (data + 64 > data_end)
		return XDP_PASS;
	k = b[20] % 5;                /* 4: past max_entries */
	idx = b[21] % 9;              /* 8: past the inner's */
	inner = bpf_map_lookup_elem(&tenants, &k);
	if (inner) {
		res[0] = 1;
		v = bpf_map_lookup_elem(inner, &idx);
		if (v) {
			*v += (__u64)(data_end - data);
			res[1] = (__u32)*v;
		}
	}
	k = b[22] % 6;
	inner = bpf_map_lookup_elem(&by_id, &k);
	if (inner) {
		__u64 one = b[23];

		res[2] = 1;
		idx = b[23] & 7;
		res[3] = (__u32)bpf_map_update_elem(inner, &idx, &one, BPF_ANY);
	}
	out = data;
	out[8] = res[0];
	out[9] = res[1];
	out[10] = res[2];
	out[11] = res[3];
	return res[0] && res[2] ? XDP_TX : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
