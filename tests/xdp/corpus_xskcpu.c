// SPDX-License-Identifier: BSD-3-Clause
/* XSKMAP and CPUMAP redirects. With mode 0 (the differential run, maps
 * empty on both sides) byte 20 picks: an AF_XDP-style redirect to the
 * socket of this RX queue with XDP_PASS on a miss, a CPUMAP redirect
 * with XDP_DROP on a miss, and flags these maps refuse. Mode 1 sends
 * everything to the socket map, mode 2 to CPU 1 (the generic-XDP test). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

const volatile __u32 mode = 0;

SEC("xdp")
int corpus_xskcpu(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	__u8 *p = data;

	if (mode == 1)
		return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	if (mode == 2)
		return bpf_redirect_map(&cpus, 1, XDP_DROP);
	if (data + 24 > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	switch (p[20] % 5) {
	case 0: return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	case 1: return bpf_redirect_map(&cpus, p[21] % 6, XDP_DROP);
	case 2: return bpf_redirect_map(&xsks, 0, BPF_F_BROADCAST);
	case 3: return bpf_redirect_map(&cpus, 0, XDP_TX | BPF_F_EXCLUDE_INGRESS);
	default: return bpf_redirect_map(&xsks, p[21], XDP_TX);
	}
}

char _license[] SEC("license") = "Dual BSD/GPL";
