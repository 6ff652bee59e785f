/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PERF_EVENT_ARRAY: per-slot sample rings standing in for the per-CPU
 * perf events libbpf's perf_buffer installs, the producer side of
 * bpf_perf_event_output and the application's consumer.
 *
 * A slot is bound to one CPU, as a per-CPU perf event is, so only the
 * lcore running as that CPU writes it: a single-producer single-consumer
 * ring where the producer publishes its position with a release store and
 * the consumer frees space the same way, no lock on the datapath.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdpc_internal.h"

struct xdpc_perf_slot {
	uint8_t *ring;          /* NULL: not open (-ENOENT) */
	uint8_t *scratch;       /* a wrapped sample made contiguous */
	uint32_t size;          /* power of two */
	unsigned int cpu;
	uint64_t prod;          /* written by the producer only */
	uint64_t cons;          /* written by the consumer only */
	uint64_t lost;          /* producer's count */
	uint64_t lost_seen;     /* consumer's */
};

int
xdpc_perf_create(struct xdpc_map *m, char *err, size_t errlen)
{
	if (m->key_size != 4 || m->value_size != 4) {
		snprintf(err, errlen, "map %s: a PERF_EVENT_ARRAY has 4-byte "
			 "keys and values (key %u value %u)", m->name,
			 m->key_size, m->value_size);
		return -EINVAL;
	}
	if (m->max_entries == 0)
		m->max_entries = XDPC_NCPU; /* libbpf: the possible CPUs */
	m->perf = calloc(m->max_entries, sizeof(*m->perf));
	return m->perf == NULL ? -ENOMEM : 0;
}

void
xdpc_perf_free(struct xdpc_map *m)
{
	if (m->perf == NULL)
		return;
	for (uint32_t i = 0; i < m->max_entries; i++) {
		free(m->perf[i].ring);
		free(m->perf[i].scratch);
	}
	free(m->perf);
	m->perf = NULL;
}

int
xdpc_perf_open(struct xdpc_map *m, uint32_t index, unsigned int cpu,
	       uint32_t size)
{
	struct xdpc_perf_slot *s;

	if (m == NULL || m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
	    index >= m->max_entries || size < 4096 || (size & (size - 1)))
		return -EINVAL;
	s = &m->perf[index];
	if (s->ring != NULL)
		return -EBUSY;
	s->scratch = malloc(size);
	if (s->scratch == NULL)
		return -ENOMEM;
	s->size = size;
	s->cpu = cpu;
	s->prod = s->cons = s->lost = s->lost_seen = 0;
	/* published last: a run that sees the ring sees the rest */
	__atomic_store_n(&s->ring, calloc(1, size), __ATOMIC_RELEASE);
	if (s->ring == NULL) {
		free(s->scratch);
		s->scratch = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void
ring_put(struct xdpc_perf_slot *s, uint64_t pos, const void *src, uint32_t len)
{
	uint32_t off = (uint32_t)(pos & (s->size - 1));
	uint32_t first = len < s->size - off ? len : s->size - off;

	if (src == NULL) {
		memset(s->ring + off, 0, first);
		memset(s->ring, 0, len - first);
		return;
	}
	memcpy(s->ring + off, src, first);
	memcpy(s->ring, (const uint8_t *)src + first, len - first);
}

long
xdpc_perf_output(struct xdpc_map *m, uint64_t flags, unsigned int cpu,
		 const void *meta, uint32_t meta_len, const void *pkt,
		 uint32_t pkt_len)
{
	uint64_t idx = flags & BPF_F_INDEX_MASK;
	struct xdpc_perf_slot *s;
	uint64_t total, raw, cons;
	uint32_t hdr;
	uint8_t *ring;

	if (idx == BPF_F_CURRENT_CPU)
		idx = cpu;
	if (idx >= m->max_entries)
		return -E2BIG;
	s = &m->perf[idx];
	ring = __atomic_load_n(&s->ring, __ATOMIC_ACQUIRE);
	if (ring == NULL)
		return -ENOENT;
	if (s->cpu != cpu)
		return -EOPNOTSUPP;
	/* the kernel's raw sample: u32 size, data, padded to 8 */
	total = (uint64_t)meta_len + pkt_len;
	raw = (total + 4 + 7) & ~7ull;
	cons = __atomic_load_n(&s->cons, __ATOMIC_ACQUIRE);
	if (total > UINT16_MAX || s->prod - cons + raw > s->size) {
		__atomic_store_n(&s->lost, s->lost + 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	hdr = (uint32_t)(raw - 4);
	ring_put(s, s->prod, &hdr, 4);
	ring_put(s, s->prod + 4, meta, meta_len);
	ring_put(s, s->prod + 4 + meta_len, pkt, pkt_len);
	ring_put(s, s->prod + 4 + total, NULL, (uint32_t)(raw - 4 - total));
	__atomic_store_n(&s->prod, s->prod + raw, __ATOMIC_RELEASE);
	return 0;
}

int
xdpc_perf_consume(struct xdpc_map *m, uint32_t index, xdpc_perf_cb cb,
		  void *ctx, uint64_t *lost)
{
	struct xdpc_perf_slot *s;
	int n = 0;

	if (m == NULL || m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
	    index >= m->max_entries || m->perf[index].ring == NULL)
		return -EINVAL;
	s = &m->perf[index];
	for (;;) {
		uint64_t prod = __atomic_load_n(&s->prod, __ATOMIC_ACQUIRE);
		uint32_t off = (uint32_t)(s->cons & (s->size - 1));
		uint32_t size, first;

		if (s->cons >= prod)
			break;
		/* records are 8-aligned and the ring is a multiple of 8,
		 * so the header never wraps */
		memcpy(&size, s->ring + off, 4);
		off = (off + 4) & (s->size - 1);
		first = size < s->size - off ? size : s->size - off;
		if (first == size) {
			cb(ctx, index, s->ring + off, size);
		} else {
			memcpy(s->scratch, s->ring + off, first);
			memcpy(s->scratch + first, s->ring, size - first);
			cb(ctx, index, s->scratch, size);
		}
		n++;
		__atomic_store_n(&s->cons, s->cons + size + 4, __ATOMIC_RELEASE);
	}
	if (lost != NULL) {
		uint64_t l = __atomic_load_n(&s->lost, __ATOMIC_RELAXED);

		*lost = l - s->lost_seen;
		s->lost_seen = l;
	}
	return n;
}
