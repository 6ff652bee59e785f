// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a sampler on a ring buffer and a perf event
 * array. Byte 20 mod 3 picks bpf_ringbuf_output of the first 16 bytes,
 * reserve + submit of a record, or reserve + discard; the available-data
 * count is kept in a global so the header and padding accounting is
 * compared too. Every 4th frame also goes to the perf ring (xdpdump
 * style: the seq number, then the first 32 packet bytes). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sample {
	__u32 len;
	__u32 seq;
	__u8 head[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 14);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 2);
} pcap SEC(".maps");

__u32 seq = 0;
__u64 avail = 0;

SEC("xdp")
int corpus_sampler(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = data;
	struct sample *s;
	__u8 head[16];

	if (data + 24 > data_end)
		return XDP_PASS;
	seq++;
	switch (p[20] % 3) {
	case 0: /* helpers may not read the packet: copy first */
		__builtin_memcpy(head, p, 16);
		bpf_ringbuf_output(&rb, head, 16, 0);
		break;
	case 1:
		s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
		if (!s)
			return XDP_DROP;
		s->len = data_end - data;
		s->seq = seq;
		__builtin_memcpy(s->head, p, 8);
		bpf_ringbuf_submit(s, 0);
		break;
	default:
		s = bpf_ringbuf_reserve(&rb, sizeof(*s), 0);
		if (!s)
			return XDP_DROP;
		bpf_ringbuf_discard(s, 0);
		break;
	}
	avail = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	if ((seq & 3) == 0)
		bpf_perf_event_output(ctx, &pcap, BPF_F_CURRENT_CPU | (32ull << 32),
				      &seq, sizeof(seq));
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
