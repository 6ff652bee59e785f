// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: bpf_perf_event_output into a PERF_EVENT_ARRAY, as
 * xdpdump-style samplers do: a metadata struct followed by a prefix of
 * the packet (BPF_F_CTXLEN_MASK), sometimes longer than the frame
 * (-EFAULT); the slot of another CPU (-EOPNOTSUPP), past max_entries
 * (-E2BIG), bad flags (-EINVAL), program bytes only. The test runs pinned
 * to CPU 0; the return codes are written into the frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 4);
} events SEC(".maps");

struct sample_meta {
	__u32 magic;
	__u16 len;
	__u8 proto;
	__u8 sel;
	__u64 seq;
};

SEC("xdp")
int corpus_perf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct sample_meta m = {};
	__u8 *b = data;
	__s32 *out;
	__u64 n;
	long r1, r2, r3, r4, r5, r6;

	if (data + 64 > data_end)
		return XDP_PASS;
	m.magic = 0xfeedbeef;
	m.len = (__u16)(data_end - data);
	m.proto = b[23];
	m.sel = b[20];
	m.seq = ((__u64)b[24] << 32) | b[25];
	n = b[21] % 160;        /* past a short frame's end: -EFAULT */
	r1 = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU | (n << 32),
				   &m, sizeof(m));
	r2 = bpf_perf_event_output(ctx, &events, 1, &m, 4);
	r3 = bpf_perf_event_output(ctx, &events, 3, &m, 4);
	r4 = bpf_perf_event_output(ctx, &events, 7, &m, 4);
	r5 = bpf_perf_event_output(ctx, &events,
				   BPF_F_CURRENT_CPU | (1ull << 60), &m, 4);
	r6 = bpf_perf_event_output(ctx, &events, 0, &m, 1 + (b[22] & 15));
	out = data;
	out[8] = (__s32)r1;
	out[9] = (__s32)r2;
	out[10] = (__s32)r3;
	out[11] = (__s32)r4;
	out[12] = (__s32)r5;
	out[13] = (__s32)r6;
	return r1 == 0 ? XDP_TX : XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
