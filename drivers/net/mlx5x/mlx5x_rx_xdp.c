/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native XDP receive path: for each completion the XDP buffer is built
 * over the pagepool page itself (256 bytes of headroom) before any mbuf
 * exists, the program runs over the whole burst, then each verdict is
 * carried out: DROP and ABORTED recycle the page into the alloc cache,
 * TX and redirect to an mlx5x port post the page on an XDP send queue,
 * PASS (and targets that need one) turn the page into its own mbuf with
 * no copy. The program pointer is read once per burst between two
 * xdp_seq stores, which is what makes a swap safe (mlx5x_xdp.c).
 */
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "mlx5x.h"
#include "mlx5x_rx.h"
#include "mlx5x_xdp.h"

struct xdp_pkt {
	struct xdpc_buff b;
	struct rx_meta mt;
	uint32_t npg;
	struct pp_page *pg[MLX5X_RQ_MAX_SEGS];
	struct xdpc_frag frags[MLX5X_RQ_MAX_SEGS];
};

/* mbufs for targets that take mbufs: a ring (CPUMAP, XSKMAP) or a port
 * of another driver. Grouped by target, handed over once per burst. */
#define OUT_TARGETS 4
struct out_batch {
	struct rte_ring *ring;          /* NULL: port */
	uint16_t port;
	uint16_t n;
	bool count;                     /* one frame each (not a broadcast copy) */
	struct rte_mbuf *m[MLX5X_XDP_BURST];
};
struct out {
	uint32_t n;
	struct out_batch b[OUT_TARGETS];
};

/* Take the completed WQE's pages, post fresh ones in their place and lay
 * the XDP buffer over them. False when the pool is dry: the frame is
 * dropped (rx_nombuf) and its pages stay posted. */
static __rte_always_inline bool
harvest(struct mlx5x_rxq *rxq, uint32_t wqe, struct xdp_pkt *p)
{
	const struct rx_meta *mt = &p->mt;
	struct pp_page **e = &rxq->elts[wqe * rxq->sges];
	struct mlx5_wqe_data_seg *ds =
		(struct mlx5_wqe_data_seg *)rxq->wqes + wqe * rxq->sges;
	const uint32_t room0 = rxq->seg_len - MLX5X_RX_HEADROOM;
	struct pp_page *fresh[MLX5X_RQ_MAX_SEGS];
	uint32_t nseg = 1, s, left;
	uint8_t *data;

	if (likely(mt->len <= room0)) {
		fresh[0] = pp_alloc_page(rxq->pp);
		if (unlikely(fresh[0] == NULL)) {
			rxq->nombuf++;
			return false;
		}
		p->pg[0] = e[0];
		e[0] = fresh[0];
		ds->lkey = rte_cpu_to_be_32(fresh[0]->lkey);
		ds->addr = rte_cpu_to_be_64(fresh[0]->iova + MLX5X_RX_HEADROOM);
	} else {
		nseg += (mt->len - room0 + rxq->seg_len - 1) / rxq->seg_len;
		s = pp_alloc_bulk(rxq->pp, fresh, nseg);
		if (unlikely(s != nseg)) {
			pp_recycle_direct_bulk(rxq->pp, fresh, s);
			rxq->nombuf++;
			return false;
		}
		for (s = 0; s < nseg; s++) {
			p->pg[s] = e[s];
			e[s] = fresh[s];
			ds[s].lkey = rte_cpu_to_be_32(fresh[s]->lkey);
			ds[s].addr = rte_cpu_to_be_64(fresh[s]->iova +
					(s == 0 ? MLX5X_RX_HEADROOM : 0));
		}
	}
	p->npg = nseg;
	data = (uint8_t *)p->pg[0]->addr + MLX5X_RX_HEADROOM;
	rte_prefetch0(data);
	p->b.hard_start = p->pg[0]->addr;
	p->b.data_meta = data;
	p->b.data = data;
	p->b.data_end = data + RTE_MIN(mt->len, room0);
	p->b.frame_sz = rxq->seg_len;
	p->b.ingress_ifindex = (uint32_t)rxq->port_id + 1;
	p->b.rx_queue_index = rxq->idx;
	p->b.egress_ifindex = 0;
	p->b.cpu = rxq->lcore;
	p->b.nr_frags = nseg - 1;
	p->b.frags = p->frags;
	left = mt->len - RTE_MIN(mt->len, room0);
	for (s = 1; s < nseg; s++) {
		uint32_t take = RTE_MIN(left, rxq->seg_len);

		p->frags[s - 1].data = p->pg[s]->addr;
		p->frags[s - 1].len = take;
		p->frags[s - 1].room = rxq->seg_len;
		left -= take;
	}
	return true;
}

static __rte_always_inline void
recycle(struct mlx5x_rxq *rxq, struct xdp_pkt *p)
{
	for (uint32_t s = 0; s < p->npg; s++)
		pp_recycle_direct(rxq->pp, p->pg[s]);
}

/* The page becomes its own mbuf, around what the program left: data,
 * data_end, the metadata length in the dynfield, the fragments as
 * segments. Pages of fragments the program trimmed away go back. */
static struct rte_mbuf *
to_mbuf_frags(struct mlx5x_rxq *rxq, struct xdp_pkt *p,
	      struct rte_mbuf *head);

static __rte_always_inline struct rte_mbuf *
to_mbuf(struct mlx5x_rxq *rxq, struct xdp_pkt *p)
{
	struct rte_mbuf *head = pp_page_mbuf(p->pg[0]);

	*mlx5x_mbuf_rearm(head) = rxq->mbuf_rearm;
	head->data_off = (uint16_t)(p->b.data - (uint8_t *)head->buf_addr);
	head->data_len = (uint16_t)(p->b.data_end - p->b.data);
	head->pkt_len = head->data_len;
	fill_mbuf(head, &p->mt);
	if (rxq->meta_off >= 0)
		*RTE_MBUF_DYNFIELD(head, rxq->meta_off, uint8_t *) =
			(uint8_t)(p->b.data - p->b.data_meta);
	rxq->xst.mbufs++;
	if (unlikely(p->npg > 1))
		return to_mbuf_frags(rxq, p, head);
	head->next = NULL;
	return head;
}

/* The fragments as further segments. */
static struct rte_mbuf *
to_mbuf_frags(struct mlx5x_rxq *rxq, struct xdp_pkt *p, struct rte_mbuf *head)
{
	struct rte_mbuf *prev = head;
	uint32_t s, nf = p->b.nr_frags;

	for (s = 1; s <= nf; s++) {
		struct rte_mbuf *m = pp_page_mbuf(p->pg[s]);

		*mlx5x_mbuf_rearm(m) = rxq->mbuf_rearm;
		m->data_off = (uint16_t)(p->frags[s - 1].data -
					 (uint8_t *)m->buf_addr);
		m->data_len = (uint16_t)p->frags[s - 1].len;
		head->pkt_len += m->data_len;
		prev->next = m;
		prev = m;
	}
	prev->next = NULL;
	head->nb_segs = (uint16_t)(nf + 1);
	for (; s < p->npg; s++)
		pp_recycle_direct(rxq->pp, p->pg[s]);
	p->npg = nf + 1;
	return head;
}

static void
out_flush(struct mlx5x_rxq *rxq, struct out *o)
{
	for (uint32_t i = 0; i < o->n; i++) {
		struct out_batch *b = &o->b[i];
		unsigned int sent;

		if (b->ring != NULL) {
			sent = rte_ring_enqueue_burst(b->ring, (void **)b->m,
						      b->n, NULL);
		} else {
			uint16_t ntxq = rte_eth_devices[b->port].data->nb_tx_queues;

			sent = ntxq == 0 ? 0 :
			       rte_eth_tx_burst(b->port, rxq->idx % ntxq,
						b->m, b->n);
		}
		if (b->count) {
			rxq->xst.act[XDPC_REDIRECT] += sent;
			rxq->xst.redirect_errors += b->n - sent;
		}
		if (sent < b->n)
			rte_pktmbuf_free_bulk(b->m + sent, b->n - sent);
	}
	o->n = 0;
}

static void
out_add(struct mlx5x_rxq *rxq, struct out *o, struct rte_ring *ring,
	uint16_t port, bool count, struct rte_mbuf *m)
{
	struct out_batch *b = NULL;

	for (uint32_t i = 0; i < o->n; i++)
		if (o->b[i].ring == ring && o->b[i].count == count &&
		    (ring != NULL || o->b[i].port == port)) {
			b = &o->b[i];
			break;
		}
	if (b == NULL) {
		if (o->n == OUT_TARGETS)
			out_flush(rxq, o); /* more targets than slots: early */
		b = &o->b[o->n++];
		b->ring = ring;
		b->port = port;
		b->count = count;
		b->n = 0;
	}
	b->m[b->n++] = m;
}

/* The XDP send queue this RX queue owns on mlx5x port @port, made on
 * first use; NULL when the port is not an mlx5x port up and running. */
static struct mlx5x_xdpsq *
xsq_get(struct mlx5x_rxq *rxq, uint16_t port, struct mlx5x_priv *host)
{
	struct mlx5x_xdpsq *sq = rxq->xsq[port];
	char name[24];

	if (likely(sq != NULL && !sq->dead))
		return sq;
	if (sq != NULL) {
		/* its host went away: forget it */
		for (uint16_t i = 0; i < rxq->nxsq; i++)
			if (rxq->xsq_list[i] == sq)
				rxq->xsq_list[i] = rxq->xsq_list[--rxq->nxsq];
		mlx5x_xdpsq_destroy(sq);
		rxq->xsq[port] = NULL;
	}
	snprintf(name, sizeof(name), "p%uq%u", rxq->port_id, rxq->idx);
	sq = mlx5x_xdpsq_create(port, &host->emu, rxq->pp,
				host->da.dev_mode == MLX5X_DEV_INLINE, name);
	if (sq == NULL)
		return NULL;
	rxq->xsq[port] = sq;
	rxq->xsq_list[rxq->nxsq++] = sq;
	return sq;
}

/* Send the frame's pages out of mlx5x port @port (@host: its private
 * data, or NULL to look it up when a send queue must be made). */
static __rte_always_inline bool
xmit_pages(struct mlx5x_rxq *rxq, uint16_t port, struct mlx5x_priv *host,
	   struct xdp_pkt *p)
{
	struct mlx5x_xdpsq *sq = rxq->xsq[port];
	uint32_t off[MLX5X_RQ_MAX_SEGS], len[MLX5X_RQ_MAX_SEGS];
	uint32_t n = p->b.nr_frags + 1;

	if (unlikely(sq == NULL || sq->dead)) {
		/* first frame to that port, or its queue went with it */
		if (host == NULL)
			host = mlx5x_port_priv(port);
		if (host == NULL || !host->started ||
		    (sq = xsq_get(rxq, port, host)) == NULL)
			return false;
	}
	off[0] = (uint32_t)(p->b.data - p->b.hard_start);
	len[0] = (uint32_t)(p->b.data_end - p->b.data);
	for (uint32_t s = 1; s < n; s++) {
		off[s] = (uint32_t)(p->frags[s - 1].data -
				    (uint8_t *)p->pg[s]->addr);
		len[s] = p->frags[s - 1].len;
	}
	if (!mlx5x_xdpsq_post(sq, p->pg, off, len, n))
		return false;
	/* trimmed fragments are not sent */
	for (uint32_t s = n; s < p->npg; s++)
		pp_recycle_direct(rxq->pp, p->pg[s]);
	return true;
}

/* A copy of the frame in fresh pages of our pool (broadcast). */
static bool
copy_pkt(struct mlx5x_rxq *rxq, const struct xdp_pkt *p, struct xdp_pkt *c)
{
	uint32_t n = p->b.nr_frags + 1, s;

	if (pp_alloc_bulk(rxq->pp, c->pg, n) != n)
		return false;
	c->npg = n;
	c->mt = p->mt;
	c->b = p->b;
	c->b.hard_start = c->pg[0]->addr;
	c->b.data = c->b.hard_start + (p->b.data - p->b.hard_start);
	c->b.data_meta = c->b.hard_start + (p->b.data_meta - p->b.hard_start);
	c->b.data_end = c->b.data + (p->b.data_end - p->b.data);
	c->b.frags = c->frags;
	memcpy(c->b.data_meta, p->b.data_meta, p->b.data_end - p->b.data_meta);
	for (s = 1; s < n; s++) {
		c->frags[s - 1] = p->frags[s - 1];
		c->frags[s - 1].data = (uint8_t *)c->pg[s]->addr +
			(p->frags[s - 1].data - (uint8_t *)p->pg[s]->addr);
		memcpy(c->frags[s - 1].data, p->frags[s - 1].data,
		       p->frags[s - 1].len);
	}
	return true;
}

/* One target of a redirect: an mlx5x port takes the pages, anything
 * else an mbuf. Consumes @p either way; true when it was taken. With
 * @count the frame's verdict is counted here (a send queue) or when its
 * mbuf batch goes out. */
static bool
redirect_one(struct mlx5x_rxq *rxq, struct out *o, uint32_t ifindex,
	     struct xdp_pkt *p, bool count)
{
	uint16_t port = (uint16_t)(ifindex - 1);
	struct mlx5x_priv *host = NULL;

	if (ifindex == 0 || ifindex > RTE_MAX_ETHPORTS ||
	    !rte_eth_dev_is_valid_port(port))
		goto refused;
	/* a send queue there already: an mlx5x port, no lookup */
	if (rxq->xsq[port] != NULL || (host = mlx5x_port_priv(port)) != NULL) {
		if (!xmit_pages(rxq, port, host, p))
			goto refused;
		if (count)
			rxq->xst.act[XDPC_REDIRECT]++;
		return true;
	}
	out_add(rxq, o, NULL, port, count, to_mbuf(rxq, p));
	return true;
refused:
	recycle(rxq, p);
	if (count)
		rxq->xst.redirect_errors++;
	return false;
}

static void
do_redirect(struct mlx5x_rxq *rxq, struct out *o, struct xdp_pkt *p)
{
	uint32_t ifx[RTE_MAX_ETHPORTS];
	struct rte_ring *ring;
	int nt = xdpc_redirect_targets(&p->b, ifx, RTE_DIM(ifx), &ring);
	bool ok = false;
	int i;

	if (nt < 0) {
		rxq->xst.redirect_errors++;
		recycle(rxq, p);
		return;
	}
	if (ring != NULL) {
		out_add(rxq, o, ring, 0, true, to_mbuf(rxq, p));
		return;
	}
	if (nt == 1) {
		redirect_one(rxq, o, ifx[0], p, true);
		return;
	}
	/* broadcast: a copy per target, the original goes back */
	for (i = 0; i < nt; i++) {
		struct xdp_pkt c;
		if (!copy_pkt(rxq, p, &c))
			continue;
		/* a copy handed to an mbuf target counts as taken here */
		if (redirect_one(rxq, o, ifx[i], &c, false))
			ok = true;
	}
	recycle(rxq, p);
	if (ok)
		rxq->xst.act[XDPC_REDIRECT]++;
	else
		rxq->xst.redirect_errors++;
}

/* ABORTED (or a verdict that is no action): dropped, counted, and traced
 * at most once a second per queue. */
static void
aborted(struct mlx5x_rxq *rxq, struct xdp_pkt *p, uint32_t act,
	const char *trace)
{
	uint64_t now = rte_get_tsc_cycles();

	rxq->xst.act[XDPC_ABORTED]++;
	recycle(rxq, p);
	if (now - rxq->abort_tsc < rte_get_tsc_hz() && rxq->abort_tsc != 0)
		return;
	rxq->abort_tsc = now;
	MLX5X_LOG(NOTICE, "port %u rxq %u: XDP program %s: %s%s",
		  rxq->port_id, rxq->idx, "aborted",
		  act == XDPC_ABORTED ? "" : "invalid action, ",
		  trace[0] != '\0' ? trace : "XDP_ABORTED returned");
}

uint16_t
mlx5x_rx_burst_xdp(struct mlx5x_rxq *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	struct xdp_pkt pk[MLX5X_XDP_BURST];
	uint32_t act[MLX5X_XDP_BURST];
	const uint32_t budget = RTE_MIN((uint32_t)n, MLX5X_XDP_BURST);
	struct mlx5x_xdp_prog *xp;
	uint32_t k = 0, i, wqe;
	uint64_t bytes = 0;
	uint16_t npass = 0;
	bool recover = false;
	char trace[160], first[160];
	struct out o;

	/* Dekker with the swapper: the odd store is visible before the
	 * program is read (one fence a burst), see mlx5x_xdp_swap(). */
	__atomic_store_n(&rxq->xdp_seq, rxq->xdp_seq + 1, __ATOMIC_RELAXED);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	xp = __atomic_load_n(&rxq->xdp, __ATOMIC_ACQUIRE);
	if (unlikely(xp == NULL)) {
		__atomic_store_n(&rxq->xdp_seq, rxq->xdp_seq + 1,
				 __ATOMIC_RELEASE);
		return mlx5x_rx_burst_mbuf(rxq, pkts, n);
	}
	rx_burst_begin(rxq);
	while (k < budget && rx_next(rxq, &wqe, &pk[k].mt, &recover))
		if (harvest(rxq, wqe, &pk[k])) {
			bytes += pk[k].mt.len;
			k++;
		}
	first[0] = '\0';
	for (i = 0; i < k; i++) {
		act[i] = xdpc_prog_run(xp->prog, &pk[i].b, trace, sizeof(trace));
		if (unlikely(trace[0] != '\0') && first[0] == '\0')
			memcpy(first, trace, sizeof(first));
	}
	o.n = 0;
	for (i = 0; i < k; i++) {
		struct xdp_pkt *p = &pk[i];

		switch (act[i]) {
		case XDPC_DROP:
			recycle(rxq, p);
			rxq->xst.act[XDPC_DROP]++;
			break;
		case XDPC_PASS:
			pkts[npass++] = to_mbuf(rxq, p);
			rxq->xst.act[XDPC_PASS]++;
			break;
		case XDPC_TX:
			if (likely(xmit_pages(rxq, rxq->port_id,
					      mlx5x_priv(rxq->dev), p))) {
				rxq->xst.act[XDPC_TX]++;
			} else {
				rxq->xst.tx_errors++;
				recycle(rxq, p);
			}
			break;
		case XDPC_REDIRECT:
			do_redirect(rxq, &o, p);
			break;
		default:
			aborted(rxq, p, act[i], first);
			break;
		}
	}
	if (o.n != 0)
		out_flush(rxq, &o);
	for (i = 0; i < rxq->nxsq; i++) {
		mlx5x_xdpsq_ring(rxq->xsq_list[i]);
		mlx5x_xdpsq_complete(rxq->xsq_list[i]);
	}
	rxq->xst.rx += k;
	rx_burst_end(rxq, (uint16_t)k, bytes, recover);
	__atomic_store_n(&rxq->xdp_seq, rxq->xdp_seq + 1, __ATOMIC_RELEASE);
	return npass;
}
