// SPDX-License-Identifier: BSD-3-Clause
/* Passes every frame to the application untouched: the cost of the hook
 * itself, next to a run without --xdp. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
