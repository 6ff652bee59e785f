/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generic XDP for any DPDK port: an ethdev RX callback runs the program
 * over each burst of mbufs and acts on the verdicts (see xdpc.h). One
 * attachment per (port, queue); its counters are written only by the
 * lcore polling that queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "xdpc_internal.h"

#define MAX_Q 16

struct attach {
	struct xdpc_prog *prog;
	const struct rte_eth_rxtx_callback *cb;
	uint16_t port, queue;
	struct xdpc_generic_stats st;
	uint16_t txq[RTE_MAX_ETHPORTS]; /* redirect targets' TX queues, 0 = ? */
};

/* TX queue count of a redirect target, asked once. */
static uint16_t
target_txqs(struct attach *a, uint16_t p)
{
	if (a->txq[p] == 0) {
		struct rte_eth_dev_info di;

		a->txq[p] = rte_eth_dev_info_get(p, &di) == 0 && di.nb_tx_queues ?
			    di.nb_tx_queues : 1;
	}
	return a->txq[p];
}

static struct attach *slots[RTE_MAX_ETHPORTS][MAX_Q];

static inline void
add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, *c + v, __ATOMIC_RELAXED);
}

static uint16_t
rx_cb(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n,
      uint16_t max, void *arg)
{
	struct attach *a = arg;
	struct xdpc_prog *prog = __atomic_load_n(&a->prog, __ATOMIC_ACQUIRE);
	struct rte_mbuf *tx[512], *redir[512], *rq[512];
	struct rte_ring *rq_ring[512];  /* XSKMAP/CPUMAP targets */
	uint16_t redir_port[512];
	uint16_t keep = 0, ntx = 0, nredir = 0, nrq = 0, i;
	unsigned int cpu = rte_lcore_id();
	uint64_t cnt[5] = {0};
	struct xdpc_frag frags[XDPC_MAX_FRAGS];

	(void)max;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct xdpc_buff b;
		uint32_t act;

		if (m->nb_segs > 1 && !xdpc_prog_frags(prog)) {
			/* a program not written for fragments cannot see
			 * the whole frame: the kernel drops these too */
			add(&a->st.too_big, 1);
			cnt[XDPC_DROP]++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (m->nb_segs > XDPC_MAX_FRAGS + 1) {
			add(&a->st.too_big, 1);
			cnt[XDPC_DROP]++;
			rte_pktmbuf_free(m);
			continue;
		}
		b.hard_start = m->buf_addr;
		b.data = rte_pktmbuf_mtod(m, uint8_t *);
		b.data_meta = b.data;
		b.data_end = b.data + m->data_len;
		b.frame_sz = m->buf_len;
		b.ingress_ifindex = (uint32_t)port + 1;
		b.rx_queue_index = queue;
		b.egress_ifindex = 0;
		b.cpu = cpu;
		b.nr_frags = 0;
		b.frags = frags;
		for (struct rte_mbuf *s = m->next; s != NULL; s = s->next) {
			frags[b.nr_frags].data = rte_pktmbuf_mtod(s, uint8_t *);
			frags[b.nr_frags].len = s->data_len;
			frags[b.nr_frags++].room = s->buf_len - s->data_off;
		}
		act = xdpc_prog_run(prog, &b, NULL, 0);
		/* the program may have moved the frame within the buffer,
		 * and trimmed or grown the fragments */
		m->data_off = (uint16_t)(b.data - (uint8_t *)m->buf_addr);
		m->data_len = (uint16_t)(b.data_end - b.data);
		m->pkt_len = m->data_len;
		if (m->nb_segs > 1) {
			struct rte_mbuf *s = m, *next;
			uint32_t f;

			for (f = 0; f < b.nr_frags; f++) {
				s = s->next;
				s->data_len = (uint16_t)frags[f].len;
				m->pkt_len += s->data_len;
			}
			next = s->next;
			s->next = NULL;
			if (next != NULL)
				rte_pktmbuf_free(next);
			m->nb_segs = (uint16_t)(b.nr_frags + 1);
		}
		cnt[act]++;
		switch (act) {
		case XDPC_PASS:
			pkts[keep++] = m;
			break;
		case XDPC_TX:
			tx[ntx++] = m;
			break;
		case XDPC_REDIRECT:
			if (b.redirect_map != NULL &&
			    xdpc_is_ringmap(b.redirect_map->type)) {
				struct rte_ring *rg = xdpc_ringmap_ring(
					b.redirect_map, b.redirect_key);
				uint32_t qid;

				memcpy(&qid, b.redirect_map->data +
				       (size_t)b.redirect_key * 8, 4);
				/* an AF_XDP socket takes frames of its own
				 * queue only (xsk_rcv's -EINVAL) */
				if (rg == NULL ||
				    (b.redirect_map->type == BPF_MAP_TYPE_XSKMAP &&
				     qid != queue)) {
					add(&a->st.redirect_errors, 1);
					rte_pktmbuf_free(m);
					break;
				}
				rq_ring[nrq] = rg;
				rq[nrq++] = m;
				break;
			}
			if (b.redirect_map != NULL &&
			    (b.redirect_flags & BPF_F_BROADCAST)) {
				/* one copy per entry of the map (the ingress
				 * port left out on request), the original
				 * to the last */
				struct xdpc_map *dm = b.redirect_map;
				uint32_t key, nk, *ifx, last = 0;
				bool first = true;
				int rr;

				for (rr = xdpc_map_get_next_key(dm, NULL, &nk);
				     rr == 0; rr = xdpc_map_get_next_key(dm, &key, &nk)) {
					key = nk;
					ifx = xdpc_map_lookup_elem(dm, &key, cpu);
					if (ifx == NULL || *ifx == 0 ||
					    !rte_eth_dev_is_valid_port((uint16_t)(*ifx - 1)) ||
					    ((b.redirect_flags & BPF_F_EXCLUDE_INGRESS) &&
					     *ifx == (uint32_t)port + 1))
						continue;
					if (!first && nredir < 512) {
						struct rte_mbuf *c = rte_pktmbuf_copy(m,
							m->pool, 0, UINT32_MAX);

						if (c != NULL) {
							redir_port[nredir] = (uint16_t)(last - 1);
							redir[nredir++] = c;
						}
					}
					first = false;
					last = *ifx;
				}
				if (last == 0) {
					cnt[XDPC_REDIRECT]--;
					cnt[XDPC_DROP]++;
					rte_pktmbuf_free(m);
					break;
				}
				if (nredir == 512) {
					add(&a->st.redirect_errors, 1);
					rte_pktmbuf_free(m);
					break;
				}
				redir_port[nredir] = (uint16_t)(last - 1);
				redir[nredir++] = m;
				break;
			}
			if (b.redirect_ifindex == 0 ||
			    !rte_eth_dev_is_valid_port((uint16_t)(b.redirect_ifindex - 1))) {
				cnt[XDPC_REDIRECT]--;
				cnt[XDPC_ABORTED]++;
				rte_pktmbuf_free(m);
				break;
			}
			redir_port[nredir] = (uint16_t)(b.redirect_ifindex - 1);
			redir[nredir++] = m;
			break;
		default: /* DROP, ABORTED */
			rte_pktmbuf_free(m);
			break;
		}
	}
	if (ntx != 0) {
		uint16_t s = rte_eth_tx_burst(port, queue, tx, ntx);

		if (s < ntx) {
			add(&a->st.tx_errors, ntx - s);
			rte_pktmbuf_free_bulk(tx + s, ntx - s);
		}
	}
	/* the flush: one burst per target port, in arrival order */
	for (i = 0; i < nredir;) {
		uint16_t p = redir_port[i], k = 0, j, s;
		struct rte_mbuf *batch[512];

		for (j = i; j < nredir; j++)
			if (redir[j] != NULL && redir_port[j] == p) {
				batch[k++] = redir[j];
				redir[j] = NULL;
			}
		s = rte_eth_tx_burst(p, queue % target_txqs(a, p), batch, k);
		if (s < k) {
			add(&a->st.redirect_errors, k - s);
			rte_pktmbuf_free_bulk(batch + s, k - s);
		}
		while (i < nredir && redir[i] == NULL)
			i++;
	}
	/* ring targets: one enqueue per ring, in arrival order */
	for (i = 0; i < nrq;) {
		struct rte_ring *rg = rq_ring[i];
		struct rte_mbuf *batch[512];
		uint16_t k = 0, j;
		unsigned int s;

		for (j = i; j < nrq; j++)
			if (rq[j] != NULL && rq_ring[j] == rg) {
				batch[k++] = rq[j];
				rq[j] = NULL;
			}
		s = rte_ring_enqueue_burst(rg, (void **)batch, k, NULL);
		if (s < k) {
			add(&a->st.redirect_errors, k - s);
			rte_pktmbuf_free_bulk(batch + s, k - s);
		}
		while (i < nrq && rq[i] == NULL)
			i++;
	}
	add(&a->st.rx, n);
	for (i = 0; i < 5; i++)
		if (cnt[i])
			add(&a->st.act[i], cnt[i]);
	return keep;
}

int
xdpc_generic_attach(uint16_t port, uint16_t queue, struct xdpc_prog *prog)
{
	struct attach *a;

	if (!rte_eth_dev_is_valid_port(port) || queue >= MAX_Q || prog == NULL)
		return -EINVAL;
	if (slots[port][queue] != NULL)
		return -EBUSY;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	a->prog = prog;
	a->port = port;
	a->queue = queue;
	a->cb = rte_eth_add_rx_callback(port, queue, rx_cb, a);
	if (a->cb == NULL) {
		int err = rte_errno ? rte_errno : ENOTSUP;

		free(a);
		return -err;
	}
	slots[port][queue] = a;
	return 0;
}

int
xdpc_generic_detach(uint16_t port, uint16_t queue)
{
	struct attach *a;

	if (port >= RTE_MAX_ETHPORTS || queue >= MAX_Q ||
	    (a = slots[port][queue]) == NULL)
		return -ENOENT;
	/* DPDK's rule for RX callbacks: the caller makes sure no lcore is
	 * inside this queue's rx_burst (stopped, or the polling lcore
	 * itself between bursts) before the callback's memory goes. */
	rte_eth_remove_rx_callback(port, queue, a->cb);
	slots[port][queue] = NULL;
	free(a);
	return 0;
}

int
xdpc_generic_replace(uint16_t port, uint16_t queue, struct xdpc_prog *prog)
{
	struct attach *a;

	if (prog == NULL)
		return -EINVAL;
	if (port >= RTE_MAX_ETHPORTS || queue >= MAX_Q ||
	    (a = slots[port][queue]) == NULL)
		return -ENOENT;
	__atomic_store_n(&a->prog, prog, __ATOMIC_RELEASE);
	return 0;
}

int
xdpc_generic_stats(uint16_t port, uint16_t queue, struct xdpc_generic_stats *st)
{
	struct attach *a;

	if (port >= RTE_MAX_ETHPORTS || queue >= MAX_Q ||
	    (a = slots[port][queue]) == NULL)
		return -ENOENT;
	st->rx = __atomic_load_n(&a->st.rx, __ATOMIC_RELAXED);
	for (int i = 0; i < 5; i++)
		st->act[i] = __atomic_load_n(&a->st.act[i], __ATOMIC_RELAXED);
	st->tx_errors = __atomic_load_n(&a->st.tx_errors, __ATOMIC_RELAXED);
	st->redirect_errors = __atomic_load_n(&a->st.redirect_errors,
					      __ATOMIC_RELAXED);
	st->too_big = __atomic_load_n(&a->st.too_big, __ATOMIC_RELAXED);
	return 0;
}
