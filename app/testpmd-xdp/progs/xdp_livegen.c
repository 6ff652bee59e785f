// SPDX-License-Identifier: BSD-3-Clause
/* The kernel's traffic generator for benchmarks (testpmd-xdp bench
 * --kernel, bench/xdp-live-gen): run with BPF_PROG_TEST_RUN and
 * BPF_F_TEST_XDP_LIVE_FRAMES, each frame is redirected out of the
 * interface set in `ifindex` at load time. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 ifindex = 0;

SEC("xdp")
int xdp_livegen(struct xdp_md *ctx)
{
	(void)ctx;
	return bpf_redirect(ifindex, 0);
}

char _license[] SEC("license") = "Dual BSD/GPL";
