/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TX datapath. One send WQE per packet: control segment, Ethernet segment
 * with the first 18 bytes inlined and checksum-offload flags, one data
 * segment per mbuf segment (lkeys from a per-queue MR cache). A completion
 * is requested every txq_comp_every WQEs and on the last of a burst; the
 * doorbell record and the doorbell register are written once per burst.
 * Completions free mbufs in bulk; an error completion frees everything
 * outstanding and moves the SQ back to ready.
 */
#include <rte_branch_prediction.h>
#include <rte_eal_memconfig.h>
#include <rte_memory.h>

#include "mlx5x.h"

static inline uint8_t *
wseg(const struct mlx5x_txq *txq, uint32_t wqebb, uint32_t k)
{
	uint32_t mask = (4u << txq->log_n) - 1;

	return txq->wqes + (((wqebb << 2) + k) & mask) * MLX5X_WSEG;
}

/* Free WQEs [tail, end) and move the tail there. */
static void
free_until(struct mlx5x_txq *txq, uint32_t end)
{
	const uint32_t mask = (1u << txq->log_n) - 1;
	struct rte_mbuf *batch[64], *zc[64];
	unsigned int n = 0, nzc = 0;

	while (txq->wqe_tail != end) {
		struct mlx5x_tx_elt *e = &txq->elts[txq->wqe_tail & mask];

		if (e->m != NULL) {
			if (unlikely(e->zc)) {
				/* region segments: the device is done with
				 * them; notified with the batch they are in */
				zc[nzc++] = e->m;
				e->zc = 0;
			}
			batch[n++] = e->m;
			e->m = NULL;
			if (n == RTE_DIM(batch)) {
				if (nzc != 0)
					mlx5x_devmem_tx_done(zc, nzc);
				nzc = 0;
				rte_pktmbuf_free_bulk(batch, n);
				n = 0;
			}
		}
		txq->wqe_tail += e->nbb ? e->nbb : 1;
	}
	if (nzc != 0)
		mlx5x_devmem_tx_done(zc, nzc);
	if (n != 0)
		rte_pktmbuf_free_bulk(batch, n);
}

void
mlx5x_txq_complete(struct mlx5x_txq *txq)
{
	const uint32_t cq_mask = (1u << txq->log_cqe_n) - 1;
	const uint32_t mask = (1u << txq->log_n) - 1;
	bool seen = false;

	for (;;) {
		const volatile struct mlx5_cqe64 *c =
			&txq->cqes[txq->cq_ci & cq_mask];
		uint32_t w, start;

		if (!mlx5x_cqe_ready(c, txq->cq_ci, txq->log_cqe_n))
			break;
		rte_io_rmb();
		seen = true;
		txq->cq_ci++;
		if (unlikely((c->op_own >> 4) == MLX5_CQE_REQ_ERR)) {
			/* Everything posted is lost with the failed WQE. */
			txq->cqe_errors++;
			*txq->cq_db = rte_cpu_to_be_32(txq->cq_ci);
			free_until(txq, txq->wqe_ci);
			mlx5x_emu_sq_modify(txq->emu, txq->idx, MLX5X_Q_RDY);
			continue;
		}
		w = rte_be_to_cpu_16(c->wqe_counter);
		start = txq->wqe_tail + ((w - txq->wqe_tail) & 0xffff);
		free_until(txq, start + RTE_MAX(txq->elts[start & mask].nbb,
						(uint16_t)1));
	}
	if (seen)
		*txq->cq_db = rte_cpu_to_be_32(txq->cq_ci);
}

void
mlx5x_txq_drain(struct mlx5x_txq *txq)
{
	free_until(txq, txq->wqe_ci);
	txq->cq_ci = 0;
}

/* Cache miss: find, or register, the memory behind [iova, iova + len):
 * the whole mempool the buffer lives in (one entry per memory chunk, as
 * mlx5's MR cache does), else the memory segment list holding it. */
uint32_t
mlx5x_tx_mr_lookup_slow(struct mlx5x_txq *txq, struct rte_mbuf *m,
			uintptr_t addr, uint32_t len)
{
	struct mlx5x_emu *emu = txq->emu;
	struct mlx5x_mr_cache *c;
	struct mlx5x_mr mr;
	uint32_t lkey;

	txq->mr_miss++;
	lkey = mlx5x_mr_find(emu, addr, len, &mr);
	if (lkey == 0 && !RTE_MBUF_HAS_EXTBUF(m) && m->pool != NULL) {
		mlx5x_mr_reg_mempool(emu, m->pool);
		lkey = mlx5x_mr_find(emu, addr, len, &mr);
	}
	if (lkey == 0) {
		void *va = (uint8_t *)m->buf_addr +
			   (addr - (uintptr_t)m->buf_iova);
		const struct rte_memseg_list *msl = rte_mem_virt2memseg_list(va);
		const struct rte_memseg *ms = rte_mem_virt2memseg(va, msl);

		if (msl != NULL && rte_eal_iova_mode() == RTE_IOVA_VA)
			/* IOVA is VA: the whole list is one range. */
			lkey = mlx5x_mr_reg(emu, msl->base_va,
					    (rte_iova_t)(uintptr_t)msl->base_va,
					    msl->len);
		else if (ms != NULL && ms->iova != RTE_BAD_IOVA)
			lkey = mlx5x_mr_reg(emu, ms->addr, ms->iova, ms->len);
		if (lkey == 0) {
			MLX5X_LOG(ERR, "txq %u: cannot register memory of a "
				  "buffer at %p", txq->idx, va);
			return MLX5_INVALID_LKEY;
		}
	}
	/* cache the whole registration the buffer is in */
	if (mlx5x_mr_find(emu, addr, len, &mr) != 0) {
		c = &txq->mrc[txq->mrc_next++ % RTE_DIM(txq->mrc)];
		c->start = mr.iova;
		c->end = mr.iova + mr.len;
		c->lkey = mr.lkey;
		lkey = mr.lkey;
	}
	return lkey;
}

static inline uint32_t
mr_lookup(struct mlx5x_txq *txq, struct rte_mbuf *m, uintptr_t iova,
	  uint32_t len)
{
	for (unsigned int i = 0; i < RTE_DIM(txq->mrc); i++)
		if (iova >= txq->mrc[i].start && iova + len <= txq->mrc[i].end)
			return txq->mrc[i].lkey;
	return mlx5x_tx_mr_lookup_slow(txq, m, iova, len);
}

uint16_t
mlx5x_tx_burst(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct mlx5x_txq *txq = q;
	const uint32_t wqe_n = 1u << txq->log_n;
	const uint32_t mask = wqe_n - 1;
	struct mlx5_wqe_ctrl_seg *last = NULL;
	uint32_t max_len = txq->dev->data->mtu + RTE_ETHER_HDR_LEN +
			   2 * RTE_VLAN_HLEN;
	uint64_t bytes = 0, sent = 0, zc;
	uint16_t i;

	mlx5x_txq_complete(txq);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i], *s;
		uint32_t inl, ds, nbb, k, start = txq->wqe_ci;
		struct mlx5_wqe_ctrl_seg *ctrl;
		struct mlx5_wqe_eth_seg *eseg;
		uint8_t cs = 0;

		if (unlikely(m->pkt_len < RTE_ETHER_HDR_LEN ||
			     m->pkt_len > max_len || m->nb_segs > 48)) {
			/* Runt, oversized or too scattered: not a frame the
			 * wire can carry. Consumed and counted, not sent. */
			txq->bad++;
			if (txq->dm_flag != 0)
				mlx5x_devmem_tx_done(&m, 1);
			rte_pktmbuf_free(m);
			continue;
		}
		inl = RTE_MIN((uint32_t)m->data_len, MLX5X_ESEG_INLINE);
		/* ctrl (1) + Ethernet segment with its 18 inline bytes (2) */
		ds = 3;
		for (s = m; s != NULL; s = s->next)
			ds += (s->data_len - (s == m ? inl : 0)) != 0;
		nbb = (ds + 3) / 4;
		if (unlikely(nbb > wqe_n - (txq->wqe_ci - txq->wqe_tail))) {
			txq->full++;
			break;
		}
		if (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM)
			cs |= MLX5_ETH_WQE_L3_CSUM;
		if (m->ol_flags & RTE_MBUF_F_TX_L4_MASK)
			cs |= MLX5_ETH_WQE_L4_CSUM;
		ctrl = (struct mlx5_wqe_ctrl_seg *)wseg(txq, start, 0);
		ctrl->opmod_idx_opcode = rte_cpu_to_be_32((start & 0xffff) << 8 |
							  MLX5_OPCODE_SEND);
		ctrl->qpn_ds = rte_cpu_to_be_32(txq->sqn << 8 | ds);
		ctrl->signature = 0;
		ctrl->dci_stream_channel_id = 0;
		ctrl->imm = 0;
		if (++txq->since_comp >= txq->comp_every) {
			ctrl->fm_ce_se = MLX5_WQE_CTRL_CQ_UPDATE;
			txq->since_comp = 0;
		} else {
			ctrl->fm_ce_se = 0;
		}
		eseg = (struct mlx5_wqe_eth_seg *)wseg(txq, start, 1);
		eseg->rsvd0 = 0;
		eseg->cs_flags = cs;
		eseg->rsvd1 = 0;
		eseg->mss = 0;
		eseg->rsvd2 = 0;
		eseg->inline_hdr_sz = rte_cpu_to_be_16((uint16_t)inl);
		rte_memcpy(eseg->inline_hdr_start, rte_pktmbuf_mtod(m, void *),
			   inl);
		k = 3;
		zc = 0;
		for (s = m; s != NULL; s = s->next) {
			uint32_t off = s == m ? inl : 0;
			uint32_t len = s->data_len - off;
			uintptr_t iova = rte_pktmbuf_iova_offset(s, off);
			struct mlx5_wqe_data_seg *d;

			if (len == 0)
				continue;
			d = (struct mlx5_wqe_data_seg *)wseg(txq, start, k++);
			d->byte_count = rte_cpu_to_be_32(len);
			d->lkey = rte_cpu_to_be_32(mr_lookup(txq, s, iova, len));
			d->addr = rte_cpu_to_be_64(iova);
			zc |= s->ol_flags & txq->dm_flag;
		}
		txq->elts[start & mask].m = m;
		txq->elts[start & mask].nbb = (uint16_t)nbb;
		txq->elts[start & mask].zc = zc != 0;
		for (k = 1; k < nbb; k++) {
			txq->elts[(start + k) & mask].m = NULL;
			txq->elts[(start + k) & mask].nbb = 0;
		}
		txq->wqe_ci += nbb;
		bytes += m->pkt_len;
		sent++;
		last = ctrl;
	}
	if (last != NULL) {
		if (!(last->fm_ce_se & MLX5_WQE_CTRL_CQ_UPDATE)) {
			last->fm_ce_se = MLX5_WQE_CTRL_CQ_UPDATE;
			txq->since_comp = 0;
		}
		mlx5x_sq_doorbell(txq->db, txq->bf_reg, txq->wqe_ci, last);
		if (txq->inline_dev)
			mlx5x_emu_kick(txq->emu, false);
	}
	txq->packets += sent;
	txq->bytes += bytes;
	return i;
}

int
mlx5x_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t idx,
			struct rte_eth_burst_mode *mode)
{
	struct mlx5x_txq *txq = dev->data->tx_queues[idx];

	if (txq == NULL)
		return -EINVAL;
	snprintf(mode->info, sizeof(mode->info), "SEND WQEs, %u B inline "
		 "headers, a completion every %u WQEs", MLX5X_ESEG_INLINE,
		 txq->comp_every);
	mode->flags = 0;
	return 0;
}
