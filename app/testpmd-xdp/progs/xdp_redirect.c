// SPDX-License-Identifier: BSD-3-Clause
/* Redirects each frame through a DEVMAP_HASH keyed by the ingress ifindex
 * (DPDK port + 1): `--map-update tx_port 1=2` sends port 0's frames out
 * of port 1. Ports without an entry pass their frames to the application
 * (the miss action), so a port never redirects to itself by accident. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, ctx->ingress_ifindex, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
