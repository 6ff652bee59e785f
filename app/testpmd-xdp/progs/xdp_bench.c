// SPDX-License-Identifier: BSD-3-Clause
/*
 * Returns the action chosen at load time (testpmd-xdp --set action=N), and
 * counts packets and bytes per action in a per-CPU array. With touch=1 it
 * reads the Ethernet header first, the "drop with a read" benchmark shape.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 action = XDP_PASS;
const volatile __u8 touch = 0;

struct datarec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, struct datarec);
} stats SEC(".maps");

SEC("xdp")
int xdp_bench(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 act = action;
	struct datarec *rec;

	if (touch) {
		struct ethhdr *eth = data;

		if ((void *)(eth + 1) > data_end)
			return XDP_ABORTED;
		if (eth->h_proto == 0)
			act = XDP_PASS;
	}
	if (act > XDP_REDIRECT)
		return XDP_ABORTED;
	rec = bpf_map_lookup_elem(&stats, &act);
	if (rec) {
		rec->packets++;
		rec->bytes += data_end - data;
	}
	return act;
}

char _license[] SEC("license") = "Dual BSD/GPL";
