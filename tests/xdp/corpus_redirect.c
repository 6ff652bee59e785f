// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: bpf_redirect and bpf_redirect_map over DEVMAP and
 * DEVMAP_HASH. Byte 20 picks the case: a hit, misses whose lower flag
 * bits give the action, broadcast, invalid flags. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} ports_hash SEC(".maps");

SEC("xdp")
int corpus_redirect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	unsigned char *p = data;

	if (data + 24 > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	switch (p[20] % 9) {
	case 0: return bpf_redirect_map(&ports, 0, 0);          /* hit */
	case 1: return bpf_redirect_map(&ports, 1, XDP_PASS);   /* miss */
	case 2: return bpf_redirect_map(&ports, 3, XDP_DROP);   /* miss */
	case 3: return bpf_redirect_map(&ports, 0, BPF_F_BROADCAST |
					BPF_F_EXCLUDE_INGRESS);
	case 4: return bpf_redirect_map(&ports, 0, 1 << 5);     /* bad flags */
	case 5: return bpf_redirect_map(&ports_hash, 7, 0);     /* hash hit */
	case 6: return bpf_redirect_map(&ports_hash, 8, XDP_TX);
	case 7: return bpf_redirect(1, 0);
	default: return bpf_redirect(1, 1);                     /* bad flags */
	}
}

char _license[] SEC("license") = "Dual BSD/GPL";
