/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive on a devmem-bound queue: each WQE holds a header page (host
 * pagepool) and a payload chunk (the region's pagepool). A completed
 * frame becomes a two-segment mbuf: the header page is its own mbuf, the
 * payload an unreadable segment (buf_addr NULL) carrying the frag
 * descriptor and a token; the chunk stays out until the token comes back
 * (mlx5x_devmem.c), not when the mbuf is freed. An XDP program on the
 * queue sees the header only: data_end is its end and there are no
 * fragments, so no helper can reach the payload.
 */
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_mbuf_dyn.h>

#include "mlx5x.h"
#include "mlx5x_devmem.h"
#include "mlx5x_rx.h"
#include "mlx5x_xdp.h"

/* The frame's verdict from the program, on the header only. PASS may
 * have moved data and data_end: @off and @len say where the header is. */
static uint32_t
run_xdp(struct mlx5x_rxq *rxq, struct xdpc_prog *prog, struct pp_page *hpg,
	uint32_t hlen, uint32_t *off, uint32_t *len, uint8_t *meta)
{
	uint8_t *data = (uint8_t *)hpg->addr + MLX5X_RX_HEADROOM;
	struct xdpc_buff b = {
		.hard_start = hpg->addr,
		.data_meta = data,
		.data = data,
		.data_end = data + hlen,
		.frame_sz = rxq->seg_len,
		.ingress_ifindex = (uint32_t)rxq->port_id + 1,
		.rx_queue_index = rxq->idx,
		.cpu = rxq->lcore,
	};
	uint32_t act = xdpc_prog_run(prog, &b, NULL, 0);

	*off = (uint32_t)(b.data - (uint8_t *)hpg->addr);
	*len = (uint32_t)(b.data_end - b.data);
	*meta = (uint8_t)(b.data - b.data_meta);
	rxq->xst.rx++;
	switch (act) {
	case XDPC_PASS:
	case XDPC_DROP:
		rxq->xst.act[act]++;
		return act;
	case XDPC_TX:
		/* the payload is in device memory: the frame cannot be
		 * sent from here */
		rxq->xst.tx_errors++;
		return XDPC_DROP;
	case XDPC_REDIRECT:
		rxq->xst.redirect_errors++;
		return XDPC_DROP;
	default:
		rxq->xst.act[XDPC_ABORTED]++;
		return XDPC_DROP;
	}
}

uint16_t
mlx5x_rx_burst_devmem(struct mlx5x_rxq *rxq, struct rte_mbuf **pkts,
		      uint16_t n)
{
	struct mlx5x_dm_queue *dq = rxq->dmq;
	struct pp_pool *pay = rxq->pay;
	struct mlx5x_xdp_prog *xp;
	uint64_t bytes = 0;
	bool recover = false;
	struct rx_meta mt;
	uint32_t wqe, nsync = 0;
	uint16_t i = 0;
	/* providers that copy to where the device cannot write (a GPU) */
	uint64_t soff[64];
	uint32_t slen[64];

	/* the XDP swap protocol of mlx5x_rx_burst_xdp */
	__atomic_store_n(&rxq->xdp_seq, rxq->xdp_seq + 1, __ATOMIC_RELAXED);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	xp = __atomic_load_n(&rxq->xdp, __ATOMIC_ACQUIRE);
	rx_burst_begin(rxq);
	if (unlikely(!pp_is_owner(pay)))
		pp_owner_bind(pay);
	while (i < n && rx_next(rxq, &wqe, &mt, &recover)) {
		struct pp_page **e = &rxq->elts[wqe * 2];
		struct mlx5_wqe_data_seg *ds =
			(struct mlx5_wqe_data_seg *)rxq->wqes + wqe * 2;
		bool split = mt.hds_flags & MLX5X_CQE_HDS_SPLIT;
		uint32_t hlen = split ? mt.hds_len : mt.len;
		uint32_t plen = mt.len - hlen, off = MLX5X_RX_HEADROOM;
		struct pp_page *hpg = e[0], *cpg = e[1], *nh, *nc = NULL;
		struct rte_mbuf *head, *fm = NULL;
		uint8_t meta = 0;

		nh = pp_alloc_page(rxq->pp);
		if (unlikely(nh == NULL)) {
			rxq->nombuf++;
			continue;
		}
		if (split) {
			nc = pp_alloc_page(pay);
			fm = nc != NULL ? rte_mbuf_raw_alloc(dq->frag_mp) : NULL;
			if (unlikely(fm == NULL)) {
				/* no chunk or no mbuf to describe it: the
				 * frame is dropped, its buffers stay posted */
				pp_recycle_direct(rxq->pp, nh);
				if (nc != NULL)
					pp_recycle_direct(pay, nc);
				rxq->nombuf++;
				continue;
			}
			e[1] = nc;
			ds[1].lkey = rte_cpu_to_be_32(nc->lkey);
			ds[1].addr = rte_cpu_to_be_64(nc->iova);
		}
		e[0] = nh;
		ds[0].lkey = rte_cpu_to_be_32(nh->lkey);
		ds[0].addr = rte_cpu_to_be_64(nh->iova + MLX5X_RX_HEADROOM);
		if (split) {
			rxq->dm_splits++;
		} else {
			rxq->dm_fallback += !!(mt.hds_flags &
					       MLX5X_CQE_HDS_FALLBACK);
		}
		rxq->dm_hdr_bytes += hlen;
		rxq->dm_pay_bytes += plen;
		if (xp != NULL &&
		    run_xdp(rxq, xp->prog, hpg, hlen, &off, &hlen, &meta) !=
		    XDPC_PASS) {
			pp_recycle_direct(rxq->pp, hpg);
			if (split) {
				pp_recycle_direct(pay, cpg);
				rte_mbuf_raw_free(fm);
			}
			continue;
		}
		head = pp_page_mbuf(hpg);
		*mlx5x_mbuf_rearm(head) = rxq->mbuf_rearm;
		head->data_off = (uint16_t)off;
		head->data_len = (uint16_t)hlen;
		head->pkt_len = hlen + plen;
		fill_mbuf(head, &mt);
		if (xp != NULL) {
			rxq->xst.mbufs++;
			if (rxq->meta_off >= 0)
				*RTE_MBUF_DYNFIELD(head, rxq->meta_off,
						   uint8_t *) = meta;
		}
		if (split) {
			uint32_t tok = dq->tok_base + cpg->idx;
			struct mlx5x_dm_dyn *d =
				RTE_MBUF_DYNFIELD(fm, dq->dyn_off,
						  struct mlx5x_dm_dyn *);

			fm->buf_addr = NULL;
			fm->buf_iova = cpg->iova;
			fm->buf_len = (uint16_t)RTE_MIN(dq->chunk_size, 65535u);
			*mlx5x_mbuf_rearm(fm) = dq->frag_rearm;
			fm->data_len = (uint16_t)plen;
			fm->pkt_len = plen;
			fm->ol_flags = dq->dyn_flag;
			fm->packet_type = 0;
			d->binding = dq->binding;
			d->token = tok;
			d->seq = 0;
			d->offset = dq->off_base + cpg->offset;
			dq->page[tok] = cpg;
			__atomic_store_n(&dq->held[tok], 1, __ATOMIC_RELAXED);
			rxq->dm_chunks++;
			if (unlikely(dq->mem != NULL)) {
				soff[nsync] = d->offset;
				slen[nsync++] = plen;
				if (nsync == RTE_DIM(soff)) {
					dq->mem->prov->sync(dq->mem, soff, slen,
							    nsync);
					nsync = 0;
				}
			}
			head->next = fm;
			head->nb_segs = 2;
		} else {
			head->next = NULL;
		}
		pkts[i++] = head;
		bytes += mt.len;
	}
	if (nsync != 0)
		dq->mem->prov->sync(dq->mem, soff, slen, nsync);
	rx_burst_end(rxq, i, bytes, recover);
	__atomic_store_n(&rxq->xdp_seq, rxq->xdp_seq + 1, __ATOMIC_RELEASE);
	return i;
}
