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

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, __u32);
} ro_prog SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_WRONLY_PROG);
	__type(key, __u32);
	__type(value, __u32);
} wo_prog SEC(".maps");

SEC("xdp")
int write_rdonly_prog(struct xdp_md *ctx)
{
	__u32 k = 0, *v = bpf_map_lookup_elem(&ro_prog, &k);

	(void)ctx;
	if (v)
		*(volatile __u32 *)v = 1;
	return XDP_PASS;
}

SEC("xdp")
int read_wronly_prog(struct xdp_md *ctx)
{
	__u32 k = 0, *v = bpf_map_lookup_elem(&wo_prog, &k);

	(void)ctx;
	return v && *(volatile __u32 *)v ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
