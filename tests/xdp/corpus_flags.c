// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: map access flags. A BPF_F_RDONLY_PROG table the
 * application fills (the program only reads it: per-port verdicts) and a
 * BPF_F_WRONLY_PROG array the program only writes (the last frame's
 * length and first bytes per verdict), which the application reads. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, __u32);
} verdict SEC(".maps");

struct last {
	__u32 len;
	__u8 head[12];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__uint(map_flags, BPF_F_WRONLY_PROG);
	__type(key, __u32);
	__type(value, struct last);
} last_seen SEC(".maps");

SEC("xdp")
int corpus_flags(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 k, act = XDP_PASS, *v;
	struct last *l;

	if (data + 24 > data_end)
		return XDP_PASS;
	k = p[21] & 15;
	v = bpf_map_lookup_elem(&verdict, &k);
	if (v && *v <= XDP_REDIRECT)
		act = *v == XDP_REDIRECT ? XDP_DROP : *v;
	l = bpf_map_lookup_elem(&last_seen, &act);
	if (l) {
		l->len = (__u32)(data_end - data);
		__builtin_memcpy(l->head, p, 12);
	}
	return act;
}

char _license[] SEC("license") = "Dual BSD/GPL";
