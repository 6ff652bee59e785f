/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pieces both RX datapaths share (the mbuf path in mlx5x_rx.c and the
 * native XDP path in mlx5x_rx_xdp.c): reading a CQE or a mini CQE into
 * per-packet metadata, mbuf offload fields, error-CQE reposting and the
 * burst's start and end (doorbell records).
 */
#ifndef MLX5X_RX_H
#define MLX5X_RX_H

#include <rte_branch_prediction.h>
#include <rte_lcore.h>
#include <rte_prefetch.h>

#include "mlx5x.h"

static const uint32_t ptype_l3[4] = {
	[MLX5_CQE_L3_HDR_TYPE_NONE] = 0,
	[MLX5_CQE_L3_HDR_TYPE_IPV6] = RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
	[MLX5_CQE_L3_HDR_TYPE_IPV4] = RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
	[3] = 0,
};

static const uint32_t ptype_l4[8] = {
	[MLX5X_L4_NONE] = 0,
	[MLX5X_L4_TCP] = RTE_PTYPE_L4_TCP,
	[MLX5X_L4_UDP] = RTE_PTYPE_L4_UDP,
	[MLX5X_L4_TCP_EMPTY_ACK] = RTE_PTYPE_L4_TCP,
	[MLX5X_L4_TCP_ACK] = RTE_PTYPE_L4_TCP,
};

/* Per-packet metadata a CQE (or title + mini CQE) carries. */
struct rx_meta {
	uint32_t len;
	uint32_t hash;
	bool has_hash;
	uint8_t csum;
	uint8_t hdr;
	uint32_t mark;
	uint16_t hds_len;       /* split queues: header bytes */
	uint8_t hds_flags;      /* MLX5X_CQE_HDS_* */
};

static inline void
meta_from_cqe(const volatile struct mlx5_cqe64 *c, struct rx_meta *mt)
{
	mt->hash = rte_be_to_cpu_32(*MLX5X_CQE_P32(c, MLX5X_CQE_OFF_HASH_RES));
	mt->has_hash = MLX5X_CQE_U8(c, MLX5X_CQE_OFF_HASH_TYPE) != 0;
	mt->csum = c->hds_ip_ext;
	mt->hdr = c->l4_hdr_type_etc;
	mt->mark = rte_be_to_cpu_32(c->sop_drop_qpn) & MLX5X_FLOW_TAG_MASK;
	/* Plain loads (the owner check and barrier came first): on paths
	 * that never look at the split, the compiler drops them. */
	{
		const uint8_t *b = (const uint8_t *)(uintptr_t)c;
		rte_be16_t hl;

		memcpy(&hl, b + MLX5X_CQE_OFF_HDS_LEN, sizeof(hl));
		mt->hds_len = rte_be_to_cpu_16(hl);
		mt->hds_flags = b[MLX5X_CQE_OFF_HDS_FLAGS];
	}
}

static inline void
fill_mbuf(struct rte_mbuf *m, const struct rx_meta *mt)
{
	uint8_t l3 = (mt->hdr >> 2) & 3, l4 = (mt->hdr >> 4) & 7;
	uint64_t ol = 0;

	m->packet_type = RTE_PTYPE_L2_ETHER | ptype_l3[l3] |
			 ((mt->hdr & MLX5X_CQE_IP_FRAG) ? RTE_PTYPE_L4_FRAG :
			  ptype_l4[l4]);
	if (l3 != MLX5_CQE_L3_HDR_TYPE_NONE) {
		ol |= (mt->csum & MLX5_CQE_L3_OK) ? RTE_MBUF_F_RX_IP_CKSUM_GOOD :
						    RTE_MBUF_F_RX_IP_CKSUM_BAD;
		if (l4 != MLX5X_L4_NONE)
			ol |= (mt->csum & MLX5_CQE_L4_OK) ?
			      RTE_MBUF_F_RX_L4_CKSUM_GOOD :
			      RTE_MBUF_F_RX_L4_CKSUM_BAD;
	}
	if (mt->has_hash) {
		ol |= RTE_MBUF_F_RX_RSS_HASH;
		m->hash.rss = mt->hash;
	}
	if (mt->mark != 0) {
		ol |= RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_FDIR_ID;
		m->hash.fdir.hi = mt->mark - 1;
	}
	m->ol_flags = ol;
}

/* Move the RQ out of the error state once its error CQEs are consumed. */
static inline void
rx_recover(struct mlx5x_rxq *rxq)
{
	rte_io_wmb();
	*rxq->rq_db = rte_cpu_to_be_32(rxq->rq_ci);
	*rxq->cq_db = rte_cpu_to_be_32(rxq->cq_ci);
	mlx5x_emu_rq_modify(rxq->emu, rxq->idx, MLX5X_Q_RDY);
}

static inline void
rx_rewrite_wqe(struct mlx5x_rxq *rxq, uint32_t wqe)
{
	struct mlx5_wqe_data_seg *ds =
		(struct mlx5_wqe_data_seg *)rxq->wqes + wqe * rxq->sges;

	if (rxq->split) {
		for (uint32_t s = 0; s < rxq->sges; s++) {
			struct rte_mbuf *m = rxq->melts[wqe * rxq->sges + s];

			ds[s].byte_count = rte_cpu_to_be_32(rxq->split_len[s]);
			ds[s].lkey = rte_cpu_to_be_32(mlx5x_rx_split_lkey(rxq, s,
				rte_pktmbuf_iova(m)));
			ds[s].addr = rte_cpu_to_be_64(rte_pktmbuf_iova(m) +
				rxq->split_off[s] - RTE_PKTMBUF_HEADROOM);
		}
		return;
	}

	for (uint32_t s = 0; s < rxq->sges; s++) {
		const struct pp_page *pg = rxq->elts[wqe * rxq->sges + s];
		uint32_t head = s == 0 ? MLX5X_RX_HEADROOM : 0;

		/* a split queue's segment 1 is a payload chunk */
		ds[s].byte_count = rte_cpu_to_be_32(s == 1 && rxq->pay ?
			pp_page_size(rxq->pay) : rxq->seg_len - head);
		ds[s].lkey = rte_cpu_to_be_32(pg->lkey);
		ds[s].addr = rte_cpu_to_be_64(pg->iova + head);
	}
}

/* Start of a burst. The pool's owner is whoever polls the queue now (apps
 * may flush queues from the main lcore before forwarding elsewhere); in
 * inline mode the device runs first, as a NIC would have meanwhile. */
static inline void
rx_burst_begin(struct mlx5x_rxq *rxq)
{
	if (unlikely(!pp_is_owner(rxq->pp))) {
		pp_owner_bind(rxq->pp);
		rxq->lcore = rte_lcore_id(); /* per-CPU map slot, once */
	}
	if (rxq->inline_dev)
		mlx5x_emu_kick(rxq->emu, true);
}

/* End of a burst: counters, then both doorbell records once. While a
 * compressed session is being delivered the CQ consumer index stays at
 * its title, so the device does not reuse the slots being read. */
static inline void
rx_burst_end(struct mlx5x_rxq *rxq, uint16_t n, uint64_t bytes, bool recover)
{
	rxq->packets += n;
	rxq->bytes += bytes;
	rte_io_wmb();
	*rxq->rq_db = rte_cpu_to_be_32(rxq->rq_ci);
	*rxq->cq_db = rte_cpu_to_be_32(rxq->zip.n ? rxq->zip.title_ci :
					rxq->cq_ci);
	if (unlikely(recover))
		rx_recover(rxq);
}

static inline void
zip_start(struct mlx5x_rxq *rxq, const volatile struct mlx5_cqe64 *c)
{
	rxq->zip.n = rte_be_to_cpu_32(c->byte_cnt);
	rxq->zip.i = 0;
	rxq->zip.title_ci = rxq->cq_ci;
	rxq->zip.title = *(const struct mlx5_cqe64 *)(uintptr_t)c;
	rxq->zip_sessions++;
}

static inline const volatile struct mlx5x_mini_cqe8 *
zip_mini(const struct mlx5x_rxq *rxq, uint32_t k)
{
	uint32_t slot = (rxq->zip.title_ci + 1 + k / MLX5X_MINI_PER_CQE) &
			((1u << rxq->log_cqe_n) - 1);

	return (const volatile struct mlx5x_mini_cqe8 *)&rxq->cqes[slot] +
	       k % MLX5X_MINI_PER_CQE;
}

/* All of the session delivered: stamp its slots and step past them. */
static inline void
zip_end(struct mlx5x_rxq *rxq)
{
	uint32_t slots = 1 + (rxq->zip.n + MLX5X_MINI_PER_CQE - 1) /
			     MLX5X_MINI_PER_CQE;
	uint32_t mask = (1u << rxq->log_cqe_n) - 1;

	for (uint32_t i = 0; i < slots; i++)
		rxq->cqes[(rxq->zip.title_ci + i) & mask].op_own =
			MLX5X_CQE_INVALIDATE;
	rxq->cq_ci = rxq->zip.title_ci + slots;
	rxq->zip.n = 0;
}

static inline void
zip_meta(const struct mlx5x_rxq *rxq, uint32_t k, struct rx_meta *mt)
{
	const volatile struct mlx5x_mini_cqe8 *mc = zip_mini(rxq, k);

	meta_from_cqe(&rxq->zip.title, mt);
	mt->len = rte_be_to_cpu_32(mc->byte_cnt);
	if (rxq->emu->comp_hash) {
		mt->hash = rte_be_to_cpu_32(mc->rx_hash_result);
	} else {
		mt->has_hash = false;
	}
}

/* Cyclic RQ: the next completed packet, its WQE and metadata; false when
 * the CQ holds nothing more. Error CQEs are reposted on the way (setting
 * *recover) and compressed sessions opened and walked. */
static __rte_always_inline bool
rx_next(struct mlx5x_rxq *rxq, uint32_t *wqe, struct rx_meta *mt,
	bool *recover)
{
	const uint32_t cq_mask = (1u << rxq->log_cqe_n) - 1;
	const uint32_t wq_mask = (1u << rxq->log_wqe_n) - 1;

	for (;;) {
		const volatile struct mlx5_cqe64 *c;
		uint8_t op_own;

		if (rxq->zip.n != 0) {
			uint32_t k = rxq->zip.i++;

			zip_meta(rxq, k, mt);
			*wqe = (rte_be_to_cpu_16(rxq->zip.title.wqe_counter) + k) &
			       wq_mask;
			if (rxq->zip.i == rxq->zip.n)
				zip_end(rxq);
			rxq->rq_ci++;
			return true;
		}
		c = &rxq->cqes[rxq->cq_ci & cq_mask];
		if (!mlx5x_cqe_ready(c, rxq->cq_ci, rxq->log_cqe_n))
			return false;
		rte_io_rmb();
		op_own = c->op_own;
		if (unlikely((op_own >> 4) != MLX5_CQE_RESP_SEND)) {
			/* Error or flush: repost the WQE as we built it, from
			 * its pages (whatever the device choked on is gone). */
			rx_rewrite_wqe(rxq, rte_be_to_cpu_16(c->wqe_counter) &
					    wq_mask);
			rxq->cqe_errors++;
			rxq->cq_ci++;
			rxq->rq_ci++;
			*recover = true;
			continue;
		}
		if (((op_own >> 2) & 3) == MLX5X_CQE_FMT_COMPRESSED) {
			zip_start(rxq, c);
			continue;
		}
		rte_prefetch0(&rxq->cqes[(rxq->cq_ci + 1) & cq_mask]);
		meta_from_cqe(c, mt);
		mt->len = rte_be_to_cpu_32(c->byte_cnt);
		*wqe = rte_be_to_cpu_16(c->wqe_counter) & wq_mask;
		rxq->cq_ci++;
		rxq->rq_ci++;
		return true;
	}
}

#endif
