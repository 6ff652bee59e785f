// SPDX-License-Identifier: BSD-3-Clause
/* A program the verifier refuses, for the native path's ABORTED count:
 * tests/integration/test_mlx5x_xdp.c loads it past the verifier (a
 * test-only entry) so the interpreter's runtime check must catch it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Reads past data_end without a check: the verifier refuses it; the
 * interpreter's runtime check turns it into XDP_ABORTED. */
SEC("xdp")
int nat_fault(struct xdp_md *ctx)
{
	volatile __u8 *p = (void *)(long)ctx->data_end;

	return p[100] ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
