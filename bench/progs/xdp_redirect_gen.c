// SPDX-License-Identifier: BSD-3-Clause
/* Traffic generator half: with BPF_F_TEST_XDP_LIVE_FRAMES, each test-run
 * frame is redirected out of the interface set at load time. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 ifindex = 0;

SEC("xdp")
int xdp_redirect_gen(struct xdp_md *ctx)
{
	(void)ctx;
	return bpf_redirect(ifindex, 0);
}

char _license[] SEC("license") = "Dual BSD/GPL";
