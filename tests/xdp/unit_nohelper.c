// SPDX-License-Identifier: BSD-3-Clause
/* Calls a helper xdp_compat does not provide: loading must fail naming
 * it, its id and the instruction. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int wants_fib(struct xdp_md *ctx)
{
	struct bpf_fib_lookup p = {};

	return bpf_fib_lookup(ctx, &p, sizeof(p), 0) == 0 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
