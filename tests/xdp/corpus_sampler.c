// SPDX-License-Identifier: BSD-3-Clause
/* Differential corpus: a sampler on a ring buffer. Byte 20 mod 3 picks
 * bpf_ringbuf_output of the first 16 bytes, reserve + submit of a record,
 * or reserve + discard; the available-data count is kept in a global so
 * the header and padding accounting is compared too. */
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
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
