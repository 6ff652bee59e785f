/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XSKMAP and CPUMAP: map slots that stand for a queue of frames rather
 * than a value. An XSKMAP slot holds the application's ring (its AF_XDP
 * socket) and the RX queue it is bound to; a CPUMAP slot holds a queue
 * this file creates for the target lcore. The array storage keeps what
 * bpf(2) would show (the queue id, struct bpf_cpumap_val); the rings
 * are published with release stores so a run that sees one sees it
 * whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "xdpc_internal.h"

int
xdpc_ringmap_create(struct xdpc_map *m, char *err, size_t errlen)
{
	bool xsk = m->type == BPF_MAP_TYPE_XSKMAP;

	if (m->key_size != 4 || m->max_entries == 0 ||
	    (xsk ? m->value_size != 4 :
		   m->value_size != 4 && m->value_size != 8)) {
		snprintf(err, errlen, "map %s: %s keys are 4 bytes and values "
			 "%s (key %u value %u max_entries %u)", m->name,
			 xsk ? "XSKMAP" : "CPUMAP",
			 xsk ? "4 bytes" : "struct bpf_cpumap_val",
			 m->key_size, m->value_size, m->max_entries);
		return -EINVAL;
	}
	m->vsz8 = 8;
	m->data_len = (size_t)m->max_entries * 8;
	m->data = calloc(1, m->data_len);
	m->rings = calloc(m->max_entries, sizeof(*m->rings));
	if (m->data == NULL || m->rings == NULL) {
		free(m->data);
		free(m->rings);
		m->data = NULL;
		m->rings = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void
cpu_queue_free(struct rte_ring *r)
{
	void *obj;

	if (r == NULL)
		return;
	while (rte_ring_dequeue(r, &obj) == 0)
		rte_pktmbuf_free(obj);
	free(r);
}

void
xdpc_ringmap_free(struct xdpc_map *m)
{
	if (m->rings == NULL)
		return;
	if (m->type == BPF_MAP_TYPE_CPUMAP)
		for (uint32_t i = 0; i < m->max_entries; i++)
			cpu_queue_free(m->rings[i]);
	free(m->rings);
	m->rings = NULL;
}

int
xdpc_xsk_attach(struct xdpc_map *m, uint32_t key, struct rte_ring *ring,
		uint32_t queue_id)
{
	if (m == NULL || m->type != BPF_MAP_TYPE_XSKMAP ||
	    key >= m->max_entries)
		return -EINVAL;
	memcpy(m->data + (size_t)key * 8, &queue_id, 4);
	__atomic_store_n(&m->rings[key], ring, __ATOMIC_RELEASE);
	return 0;
}

/* CPUMAP update: a new queue of qsize frames for that CPU; the old one,
 * if any, goes with its frames (the kernel flushes them to the stack;
 * here nobody would take them). The application must not dequeue from
 * a slot while it replaces it. */
int
xdpc_ringmap_update(struct xdpc_map *m, uint32_t key, const void *value)
{
	struct bpf_cpumap_val v = {0};
	struct rte_ring *r, *old;
	char name[RTE_RING_NAMESIZE];
	unsigned int count = 1;
	ssize_t sz;

	if (m->type != BPF_MAP_TYPE_CPUMAP)
		return -EINVAL; /* an XSKMAP takes xdpc_xsk_attach */
	if (key >= m->max_entries)
		return -E2BIG;
	memcpy(&v, value, m->value_size);
	if (m->value_size == 8 && v.bpf_prog.fd > 0)
		return -EOPNOTSUPP;
	if (v.qsize == 0 || v.qsize > 16384)
		return -EINVAL;
	while (count < v.qsize + 1) /* a ring holds count - 1 */
		count <<= 1;
	sz = rte_ring_get_memsize(count);
	if (sz < 0)
		return -EINVAL;
	r = aligned_alloc(RTE_CACHE_LINE_SIZE,
			  ((size_t)sz + RTE_CACHE_LINE_SIZE - 1) &
			  ~(size_t)(RTE_CACHE_LINE_SIZE - 1));
	if (r == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "xdpc_cpu_%u", key);
	/* many RX lcores enqueue, the target lcore alone dequeues */
	if (rte_ring_init(r, name, count, RING_F_SC_DEQ) != 0) {
		free(r);
		return -EINVAL;
	}
	memcpy(m->data + (size_t)key * 8, value, m->value_size);
	old = __atomic_exchange_n(&m->rings[key], r, __ATOMIC_ACQ_REL);
	cpu_queue_free(old);
	return 0;
}

int
xdpc_ringmap_delete(struct xdpc_map *m, uint32_t key)
{
	struct rte_ring *old;

	if (key >= m->max_entries)
		return -E2BIG;
	old = __atomic_exchange_n(&m->rings[key], NULL, __ATOMIC_ACQ_REL);
	memset(m->data + (size_t)key * 8, 0, 8);
	if (old == NULL)
		return -ENOENT;
	if (m->type == BPF_MAP_TYPE_CPUMAP)
		cpu_queue_free(old);
	return 0;
}

unsigned int
xdpc_cpumap_dequeue(struct xdpc_map *m, uint32_t cpu, struct rte_mbuf **pkts,
		    unsigned int n)
{
	struct rte_ring *r;

	if (m == NULL || m->type != BPF_MAP_TYPE_CPUMAP)
		return 0;
	r = xdpc_ringmap_ring(m, cpu);
	return r != NULL ? rte_ring_dequeue_burst(r, (void **)pkts, n, NULL) : 0;
}
