// SPDX-License-Identifier: BSD-3-Clause
/* Programs the kernel's verifier would refuse, for tests/unit/test_xdpc.c:
 * xdp_compat (no verifier yet) must run them without harm, ending each as
 * XDP_ABORTED with a trace. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 limit = 1;

SEC("xdp")
int oob_read(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	return data[5000] ? XDP_PASS : XDP_DROP; /* no bounds check */
}

SEC("xdp")
int endless(struct xdp_md *ctx)
{
	volatile __u32 i = 0;

	(void)ctx;
	while (i < 10 || limit) /* never ends */
		i++;
	return XDP_PASS;
}

SEC("xdp")
int write_rodata(struct xdp_md *ctx)
{
	(void)ctx;
	*(volatile __u32 *)&limit = 7;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
