// SPDX-License-Identifier: BSD-3-Clause
/* Reads a variable no section defines: the relocation points at an
 * undefined symbol, and loading must fail naming it and the
 * instruction. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern __u32 missing_limit;

SEC("xdp")
int wants_extern(struct xdp_md *ctx)
{
	(void)ctx;
	return missing_limit > 3 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
