/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One program over a burst of xdp buffers: the verdicts, and the
 * redirects queued per target and flushed when the burst is done, as the
 * kernel's driver loop does with xdp_do_redirect and xdp_do_flush. The
 * queue lives on the caller's stack: nothing shared, no lock.
 */
#include <errno.h>
#include <string.h>

#include "xdpc_internal.h"

/* A broadcast puts one buffer on several targets: room for that. */
#define QMAX (XDPC_BURST_MAX * 4)

struct redir_q {
	uint32_t ifx[QMAX];
	struct xdpc_buff *b[QMAX];
	struct xdpc_buff *group[QMAX];
	uint32_t n;
	xdpc_flush_fn flush;
	void *ctx;
};

/* One flush per target, targets in first-seen order, buffers in burst
 * order. */
static void
flush_all(struct redir_q *q)
{
	for (uint32_t i = 0; i < q->n; i++) {
		uint32_t t = q->ifx[i];
		uint16_t g = 0;

		if (q->b[i] == NULL)
			continue; /* already in an earlier target's group */
		for (uint32_t j = i; j < q->n; j++)
			if (q->b[j] != NULL && q->ifx[j] == t) {
				q->group[g++] = q->b[j];
				q->b[j] = NULL;
			}
		q->flush(q->ctx, t, q->group, g);
	}
	q->n = 0;
}

static void
enqueue(struct redir_q *q, uint32_t ifx, struct xdpc_buff *b)
{
	if (q->n == QMAX)
		flush_all(q); /* a broadcast to a very large map: flush early
			       * rather than lose any */
	q->ifx[q->n] = ifx;
	q->b[q->n++] = b;
}

/* BPF_F_BROADCAST: every target in the map, the ingress one left out
 * with BPF_F_EXCLUDE_INGRESS. */
static void
enqueue_broadcast(struct redir_q *q, struct xdpc_buff *b)
{
	uint32_t ifx[QMAX];
	struct rte_ring *ring;
	int n = xdpc_redirect_targets(b, ifx, QMAX, &ring);

	for (int i = 0; i < n; i++)
		enqueue(q, ifx[i], b);
}

int
xdpc_prog_run_burst(struct xdpc_prog *prog, struct xdpc_buff *const *bufs,
		    uint16_t n, uint32_t *actions, xdpc_flush_fn flush,
		    void *ctx)
{
	struct redir_q q;
	int nredir = 0;

	if (prog == NULL || bufs == NULL || actions == NULL ||
	    n > XDPC_BURST_MAX)
		return -EINVAL;
	q.n = 0;
	q.flush = flush;
	q.ctx = ctx;
	for (uint16_t i = 0; i < n; i++) {
		actions[i] = xdpc_prog_run(prog, bufs[i], NULL, 0);
		if (actions[i] != XDPC_REDIRECT)
			continue;
		nredir++;
		if (flush == NULL)
			continue;
		if (bufs[i]->redirect_map != NULL &&
		    xdpc_is_ringmap(bufs[i]->redirect_map->type))
			continue; /* XSKMAP/CPUMAP: the caller's (see xdpc.h) */
		if (bufs[i]->redirect_map != NULL &&
		    (bufs[i]->redirect_flags & BPF_F_BROADCAST))
			enqueue_broadcast(&q, bufs[i]);
		else
			enqueue(&q, bufs[i]->redirect_ifindex, bufs[i]);
	}
	if (flush != NULL)
		flush_all(&q);
	return nredir;
}

int
xdpc_redirect_targets(const struct xdpc_buff *b, uint32_t *ifindex,
		      uint32_t max, struct rte_ring **ring)
{
	struct xdpc_map *m = b->redirect_map;
	uint32_t key, next, n = 0;
	int rc;

	*ring = NULL;
	if (m != NULL && xdpc_is_ringmap(m->type)) {
		uint32_t qid;

		*ring = xdpc_ringmap_ring(m, b->redirect_key);
		if (*ring == NULL)
			return -ENOENT;
		memcpy(&qid, m->data + (size_t)b->redirect_key * 8, 4);
		if (m->type == BPF_MAP_TYPE_XSKMAP && qid != b->rx_queue_index) {
			*ring = NULL;
			return -EINVAL;
		}
		return 0;
	}
	if (m == NULL || !(b->redirect_flags & BPF_F_BROADCAST)) {
		if (b->redirect_ifindex == 0 || max == 0)
			return -ENOENT;
		ifindex[0] = b->redirect_ifindex;
		return 1;
	}
	for (rc = xdpc_map_get_next_key(m, NULL, &next); rc == 0 && n < max;
	     rc = xdpc_map_get_next_key(m, &key, &next)) {
		uint32_t *ifx;

		key = next;
		ifx = xdpc_map_lookup_elem(m, &key, b->cpu);
		if (ifx == NULL || *ifx == 0 ||
		    ((b->redirect_flags & BPF_F_EXCLUDE_INGRESS) &&
		     *ifx == b->ingress_ifindex))
			continue;
		ifindex[n++] = *ifx;
	}
	return n != 0 ? (int)n : -ENOENT;
}
