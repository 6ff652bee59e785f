/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RX datapath. Polls the CQ by owner bit, turns each completion into an
 * mbuf with no copy (the page is its own mbuf, or for MPRQ strides an
 * external buffer on a page fragment), reposts the WQE from the queue's
 * pagepool and rings the RQ and CQ doorbell records once per burst.
 * Decompresses mini-CQE sessions, and recovers from error CQEs by
 * reposting and moving the RQ back to ready.
 */
#include <rte_branch_prediction.h>
#include <rte_prefetch.h>

#include "mlx5x.h"
#include "mlx5x_rx.h"

/* Cyclic RQ: WQE @wqe completed with @mt; returns the packet or NULL when
 * it had to be dropped (no page to repost: the old one stays posted). */
static inline struct rte_mbuf *
rx_cyclic_pkt(struct mlx5x_rxq *rxq, uint32_t wqe, const struct rx_meta *mt)
{
	struct pp_page **e = &rxq->elts[wqe * rxq->sges];
	struct mlx5_wqe_data_seg *ds =
		(struct mlx5_wqe_data_seg *)rxq->wqes + wqe * rxq->sges;
	struct rte_mbuf *head, *prev = NULL;
	uint32_t left = mt->len, s = 0, nseg;
	struct pp_page *fresh[MLX5X_RQ_MAX_SEGS];

	if (likely(rxq->sges == 1)) {
		/* The common case: one page, which is the mbuf itself. */
		struct pp_page *pg = e[0], *np = pp_alloc_page(rxq->pp);

		if (unlikely(np == NULL)) {
			rxq->nombuf++;
			return NULL;
		}
		head = pp_page_mbuf(pg);
		*mlx5x_mbuf_rearm(head) = rxq->mbuf_rearm;
		head->data_len = (uint16_t)mt->len;
		head->pkt_len = mt->len;
		fill_mbuf(head, mt);
		e[0] = np;
		ds->lkey = rte_cpu_to_be_32(np->lkey);
		ds->addr = rte_cpu_to_be_64(np->iova + MLX5X_RX_HEADROOM);
		return head;
	}
	nseg = 1;
	if (unlikely(rxq->sges > 1 && left > rxq->seg_len - MLX5X_RX_HEADROOM))
		nseg += (left - (rxq->seg_len - MLX5X_RX_HEADROOM) +
			 rxq->seg_len - 1) / rxq->seg_len;
	s = pp_alloc_bulk(rxq->pp, fresh, nseg);
	if (unlikely(s != nseg)) {
		/* Drop the frame; its buffers stay posted. */
		pp_recycle_direct_bulk(rxq->pp, fresh, s);
		rxq->nombuf++;
		return NULL;
	}
	head = pp_page_mbuf(e[0]);
	for (s = 0; s < nseg; s++) {
		struct rte_mbuf *m = pp_page_mbuf(e[s]);
		uint32_t room = s == 0 ? rxq->seg_len - MLX5X_RX_HEADROOM :
					 rxq->seg_len;
		uint32_t take = RTE_MIN(left, room);

		*mlx5x_mbuf_rearm(m) = rxq->mbuf_rearm;
		if (s != 0) {
			m->data_off = 0;
			prev->next = m;
		}
		m->data_len = (uint16_t)take;
		left -= take;
		prev = m;
		e[s] = fresh[s];
		ds[s].lkey = rte_cpu_to_be_32(fresh[s]->lkey);
		ds[s].addr = rte_cpu_to_be_64(fresh[s]->iova +
					      (s == 0 ? MLX5X_RX_HEADROOM : 0));
	}
	prev->next = NULL;
	head->nb_segs = (uint16_t)nseg;
	head->pkt_len = mt->len;
	fill_mbuf(head, mt);
	return head;
}

/* Buffer split: the frame spans the WQE's segments, each an mbuf of the
 * application's pool for that segment; used segments are replaced. */
static struct rte_mbuf *
rx_split_pkt(struct mlx5x_rxq *rxq, uint32_t wqe, const struct rx_meta *mt)
{
	struct rte_mbuf **e = &rxq->melts[wqe * rxq->sges];
	struct mlx5_wqe_data_seg *ds =
		(struct mlx5_wqe_data_seg *)rxq->wqes + wqe * rxq->sges;
	struct rte_mbuf *fresh[MLX5X_RQ_MAX_SEGS], *head = e[0], *prev = NULL;
	uint32_t left = mt->len, nseg = 0, s;

	for (s = 0; s < rxq->sges && (left > 0 || s == 0); s++) {
		left -= RTE_MIN(left, rxq->split_len[s]);
		nseg++;
	}
	for (s = 0; s < nseg; s++) {
		fresh[s] = rte_pktmbuf_alloc(rxq->split_mp[s]);
		if (unlikely(fresh[s] == NULL)) {
			while (s-- > 0)
				rte_pktmbuf_free(fresh[s]);
			rxq->nombuf++;
			return NULL;
		}
	}
	left = mt->len;
	for (s = 0; s < nseg; s++) {
		struct rte_mbuf *m = e[s];
		uint32_t take = RTE_MIN(left, rxq->split_len[s]);

		m->data_off = rxq->split_off[s];
		m->data_len = (uint16_t)take;
		m->nb_segs = 1;
		m->port = rxq->port_id;
		if (prev != NULL)
			prev->next = m;
		prev = m;
		left -= take;
		e[s] = fresh[s];
		ds[s].lkey = rte_cpu_to_be_32(mlx5x_rx_split_lkey(rxq, s,
			rte_pktmbuf_iova(fresh[s])));
		ds[s].addr = rte_cpu_to_be_64(rte_pktmbuf_iova(fresh[s]) +
					      rxq->split_off[s] -
					      RTE_PKTMBUF_HEADROOM);
	}
	prev->next = NULL;
	head->nb_segs = (uint16_t)nseg;
	head->pkt_len = mt->len;
	fill_mbuf(head, mt);
	return head;
}

/* The mbuf path of the cyclic RQ (no XDP program on the queue). */
uint16_t
mlx5x_rx_burst_mbuf(struct mlx5x_rxq *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i = 0;
	uint64_t bytes = 0;
	bool recover = false;
	struct rx_meta mt;
	uint32_t wqe;

	rx_burst_begin(rxq);
	while (i < n && rx_next(rxq, &wqe, &mt, &recover)) {
		struct rte_mbuf *m = unlikely(rxq->split) ?
				     rx_split_pkt(rxq, wqe, &mt) :
				     rx_cyclic_pkt(rxq, wqe, &mt);

		if (likely(m != NULL)) {
			pkts[i++] = m;
			bytes += mt.len;
		}
	}
	rx_burst_end(rxq, i, bytes, recover);
	return i;
}

/* burst_seq is odd while a burst runs; with alt it lets a queue restart
 * wait out the burst in progress without a fence here (see
 * mlx5x_rxq_restart.c). */
uint16_t
mlx5x_rx_burst(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct mlx5x_rxq *rxq = q;
	uint8_t alt;
	uint16_t r;

	__atomic_store_n(&rxq->burst_seq, rxq->burst_seq + 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	alt = __atomic_load_n(&rxq->alt, __ATOMIC_RELAXED);
	if (unlikely(alt != 0))
		r = (alt & MLX5X_RXQ_ALT_PAUSE) ? 0 :
		    mlx5x_rx_burst_devmem(rxq, pkts, n);
	else if (unlikely(__atomic_load_n(&rxq->xdp, __ATOMIC_RELAXED) != NULL))
		r = mlx5x_rx_burst_xdp(rxq, pkts, n);
	else
		r = mlx5x_rx_burst_mbuf(rxq, pkts, n);
	__atomic_store_n(&rxq->burst_seq, rxq->burst_seq + 1, __ATOMIC_RELEASE);
	return r;
}

/* ---- Striding RQ ---- */

static void
mprq_repost(struct mlx5x_rxq *rxq, uint32_t wqe)
{
	struct mlx5_mprq_wqe *w = (struct mlx5_mprq_wqe *)rxq->wqes + wqe;
	struct pp_page *old = rxq->elts[wqe], *pg;
	uint32_t strides = 1u << rxq->log_strides;

	/* Strides not handed up give their references back. */
	if (old != NULL)
		pp_page_unref(old, strides - rxq->strd_pkts);
	rxq->strd_pkts = 0;
	rxq->strd_pos = 0;
	pg = pp_alloc_page(rxq->pp);
	if (unlikely(pg == NULL)) {
		/* Nothing to post: the device will fail this WQE with a
		 * protection error, and the error path posts it again. */
		rxq->nombuf++;
		rxq->elts[wqe] = NULL;
		w->dseg.byte_count = rte_cpu_to_be_32(pp_page_size(rxq->pp));
		w->dseg.lkey = rte_cpu_to_be_32(MLX5_INVALID_LKEY);
		w->dseg.addr = 0;
		rxq->rq_ci++;
		return;
	}
	pp_page_ref(pg, strides - 1);
	rxq->elts[wqe] = pg;
	w->dseg.lkey = rte_cpu_to_be_32(pg->lkey);
	w->dseg.addr = rte_cpu_to_be_64(pg->iova);
	w->dseg.byte_count = rte_cpu_to_be_32(pp_page_size(rxq->pp));
	rxq->rq_ci++;
}

static inline struct rte_mbuf *
mprq_pkt(struct mlx5x_rxq *rxq, uint32_t wqe, uint32_t stride, uint32_t len,
	 uint32_t nstrides, const struct rx_meta *mt)
{
	struct pp_page *pg = rxq->elts[wqe];
	struct rte_mbuf_ext_shared_info *sh =
		(struct rte_mbuf_ext_shared_info *)pg->priv + stride;
	struct rte_mbuf *m = rte_pktmbuf_alloc(rxq->mb_pool);
	uint32_t ssize = 1u << rxq->log_stride_size;

	if (unlikely(m == NULL)) {
		rxq->nombuf++;
		return NULL;
	}
	rxq->strd_pkts++;
	pp_attach_extbuf(m, pg, stride * ssize,
			 (uint16_t)RTE_MIN(nstrides * ssize, 65535u), sh);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->port = rxq->port_id;
	fill_mbuf(m, mt);
	/* fill_mbuf assigns ol_flags: keep the external-buffer mark, or the
	 * free would never hand the stride back. */
	m->ol_flags |= RTE_MBUF_F_EXTERNAL;
	return m;
}

uint16_t
mlx5x_rx_burst_mprq(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct mlx5x_rxq *rxq = q;
	const uint32_t cq_mask = (1u << rxq->log_cqe_n) - 1;
	const uint32_t wq_mask = (1u << rxq->log_wqe_n) - 1;
	const uint32_t strides = 1u << rxq->log_strides;
	uint16_t i = 0;
	uint64_t bytes = 0;
	bool recover = false;

	rx_burst_begin(rxq);
	while (i < n) {
		const volatile struct mlx5_cqe64 *c;
		struct rx_meta mt;
		struct rte_mbuf *m;
		uint32_t wqe, bc, stride, ns;
		uint8_t op_own;

		if (rxq->zip.n != 0) {
			const volatile struct mlx5x_mini_cqe8 *mc =
				zip_mini(rxq, rxq->zip.i);
			uint32_t k = rxq->zip.i++;

			zip_meta(rxq, k, &mt);
			bc = rte_be_to_cpu_32(mc->byte_cnt);
			stride = rxq->emu->comp_hash ? UINT32_MAX :
				 rte_be_to_cpu_16(mc->stride_idx);
			wqe = rte_be_to_cpu_16(rxq->zip.title.wqe_counter) & wq_mask;
			if (rxq->zip.i == rxq->zip.n)
				zip_end(rxq);
		} else {
			c = &rxq->cqes[rxq->cq_ci & cq_mask];
			if (!mlx5x_cqe_ready(c, rxq->cq_ci, rxq->log_cqe_n))
				break;
			rte_io_rmb();
			op_own = c->op_own;
			if (unlikely((op_own >> 4) != MLX5_CQE_RESP_SEND)) {
				rxq->cqe_errors++;
				rxq->cq_ci++;
				/* the WQE is gone: give its strides back */
				mprq_repost(rxq, rte_be_to_cpu_16(c->wqe_counter) &
					    wq_mask);
				recover = true;
				continue;
			}
			if (((op_own >> 2) & 3) == MLX5X_CQE_FMT_COMPRESSED) {
				zip_start(rxq, c);
				continue;
			}
			meta_from_cqe(c, &mt);
			bc = rte_be_to_cpu_32(c->byte_cnt);
			stride = rte_be_to_cpu_16(*MLX5X_CQE_P16(c,
					MLX5X_CQE_OFF_STRIDE_IDX));
			wqe = rte_be_to_cpu_16(c->wqe_counter) & wq_mask;
			rxq->cq_ci++;
		}
		ns = (bc >> MLX5X_MPRQ_STRIDES_SHIFT) & MLX5X_MPRQ_STRIDES_MASK;
		mt.len = bc & MLX5X_MPRQ_LEN_MASK;
		/* Hash-format mini CQEs carry no stride index: packets of
		 * a WQE sit in consecutive strides. */
		if (stride == UINT32_MAX)
			stride = rxq->strd_pos;
		if (bc & MLX5X_MPRQ_FILLER) {
			mprq_repost(rxq, wqe);
			continue;
		}
		m = mprq_pkt(rxq, wqe, stride, mt.len, ns, &mt);
		if (likely(m != NULL)) {
			pkts[i++] = m;
			bytes += mt.len;
		}
		rxq->strd_pos = stride + ns;
		if (stride + ns == strides)
			mprq_repost(rxq, wqe);
	}
	rx_burst_end(rxq, i, bytes, recover);
	return i;
}

int
mlx5x_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t idx,
			struct rte_eth_burst_mode *mode)
{
	struct mlx5x_rxq *rxq = dev->data->rx_queues[idx];
	char *o = mode->info;
	size_t n = sizeof(mode->info);
	int k;

	if (rxq == NULL)
		return -EINVAL;
	if (rxq->mprq)
		k = snprintf(o, n, "Striding RQ (MPRQ) %u x %u B strides",
			     1u << rxq->log_strides, 1u << rxq->log_stride_size);
	else if (rxq->split)
		k = snprintf(o, n, "Cyclic RQ, buffer split in %u segments",
			     rxq->sges);
	else
		k = snprintf(o, n, "Cyclic RQ, %u B pagepool pages x %u",
			     rxq->seg_len, rxq->sges);
	if (rxq->emu->cqe_comp && k > 0 && (size_t)k < n)
		snprintf(o + k, n - k, ", CQE compression (%s)",
			 rxq->emu->comp_hash ? "hash" : "csum");
	mode->flags = 0;
	return 0;
}
