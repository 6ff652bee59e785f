/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native XDP internals: the program an RX queue runs (swapped with
 * per-queue quiescence), the XDP send queues an RX queue owns (XDP_TX on
 * its own port, redirect to other mlx5x ports) and the per-queue action
 * counters.
 */
#ifndef MLX5X_XDP_H
#define MLX5X_XDP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_io.h>

#include "pagepool.h"
#include "xdpc.h"
#include "mlx5x_emu.h"

/* CQEs harvested per XDP burst: the program runs over this many before
 * any verdict is acted on. */
#define MLX5X_XDP_BURST 64u
/* WQEBBs of an XDP send queue. */
#define MLX5X_XDPSQ_SIZE 1024u
/* A completion every this many XDP send WQEs (and at each doorbell). */
#define MLX5X_XDPSQ_COMP_EVERY 32u

/* What an RX queue runs: swapped as a whole, freed after quiescence. */
struct mlx5x_xdp_prog {
	struct xdpc_prog *prog;
};

/*
 * An XDP send queue: an SQ on some mlx5x device (its host), posted and
 * completed only by the RX queue that owns it, whose pagepool pages it
 * carries with no mbuf. Each frame is one WQE of control + Ethernet
 * segment (nothing inlined) + one data segment per page.
 */
struct mlx5x_xdpsq {
	/* ---- hot ---- */
	uint8_t *wqes;
	uint32_t wqe_ci;                /* producer, WQEBBs */
	uint32_t wqe_tail;              /* first WQEBB not completed */
	uint32_t pg_ci, pg_tail;        /* page ring producer, consumer */
	volatile rte_be32_t *db;
	volatile uint64_t *bf_reg;
	volatile struct mlx5_cqe64 *cqes;
	uint32_t cq_ci;
	volatile rte_be32_t *cq_db;
	struct mlx5_wqe_ctrl_seg *last; /* posted since the last doorbell */
	uint32_t since_comp;
	uint32_t sqn;
	uint8_t *nbb;                   /* by WQEBB: WQEBBs of the WQE there */
	uint8_t *npg;                   /* by WQEBB: pages of the WQE there */
	struct pp_page **pgs;           /* page ring, 4 per WQEBB */
	struct pp_pool *pp;             /* the owner's pool */
	struct mlx5x_emu *host;
	bool inline_dev;                /* host runs in dev_mode=inline */
	bool dead;                      /* host closed: pages reclaimed */
	uint16_t idx;                   /* SQ index on the host */
	const struct rte_memzone *mz;
};

struct mlx5x_xdpsq *mlx5x_xdpsq_create(uint16_t host_port,
				       struct mlx5x_emu *host,
				       struct pp_pool *pp, bool inline_dev,
				       const char *owner_name);
/* Take the queue off its host (unless dead) and give back every page it
 * still holds (any thread; the owner must not be polling). */
void mlx5x_xdpsq_destroy(struct mlx5x_xdpsq *sq);
/* The host is closing under a stopped owner: reclaim the pages now and
 * leave the owner a dead queue to free. */
void mlx5x_xdpsq_orphan(struct mlx5x_xdpsq *sq);
/* Owner: recycle the pages of completed WQEs. */
void mlx5x_xdpsq_complete(struct mlx5x_xdpsq *sq);

static inline uint8_t *
mlx5x_xdpsq_seg(const struct mlx5x_xdpsq *sq, uint32_t wqebb, uint32_t k)
{
	uint32_t mask = 4u * MLX5X_XDPSQ_SIZE - 1;

	return sq->wqes + (((wqebb << 2) + k) & mask) * MLX5X_WSEG;
}

/* Owner: post one frame made of @n pages, frame bytes [off[i], off[i] +
 * len[i]) of each. False when the queue is full (nothing posted). */
static inline bool
mlx5x_xdpsq_post(struct mlx5x_xdpsq *sq, struct pp_page *const *pg,
		 const uint32_t *off, const uint32_t *len, uint32_t n)
{
	uint32_t ds = 3 + n, nbb = (ds + 3) / 4, start = sq->wqe_ci;
	const uint32_t mask = MLX5X_XDPSQ_SIZE - 1;
	struct mlx5_wqe_ctrl_seg *ctrl;
	uint64_t *eseg;

	if (unlikely(nbb > MLX5X_XDPSQ_SIZE - (sq->wqe_ci - sq->wqe_tail))) {
		mlx5x_xdpsq_complete(sq);
		if (nbb > MLX5X_XDPSQ_SIZE - (sq->wqe_ci - sq->wqe_tail))
			return false; /* counted by the caller (tx_errors) */
	}
	ctrl = (struct mlx5_wqe_ctrl_seg *)mlx5x_xdpsq_seg(sq, start, 0);
	ctrl->opmod_idx_opcode = rte_cpu_to_be_32((start & 0xffff) << 8 |
						  MLX5_OPCODE_SEND);
	ctrl->qpn_ds = rte_cpu_to_be_32(sq->sqn << 8 | ds);
	ctrl->signature = 0;
	ctrl->dci_stream_channel_id = 0;
	ctrl->imm = 0;
	if (++sq->since_comp >= MLX5X_XDPSQ_COMP_EVERY) {
		ctrl->fm_ce_se = MLX5_WQE_CTRL_CQ_UPDATE;
		sq->since_comp = 0;
	} else {
		ctrl->fm_ce_se = 0;
	}
	/* Ethernet segment: no offloads, nothing inlined */
	eseg = (uint64_t *)mlx5x_xdpsq_seg(sq, start, 1);
	eseg[0] = 0;
	eseg[1] = 0;
	eseg[2] = 0;
	eseg[3] = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct mlx5_wqe_data_seg *d = (struct mlx5_wqe_data_seg *)
			mlx5x_xdpsq_seg(sq, start, 3 + i);

		d->byte_count = rte_cpu_to_be_32(len[i]);
		d->lkey = rte_cpu_to_be_32(pg[i]->lkey);
		d->addr = rte_cpu_to_be_64(pg[i]->iova + off[i]);
		sq->pgs[sq->pg_ci++ & (4 * MLX5X_XDPSQ_SIZE - 1)] = pg[i];
	}
	sq->nbb[start & mask] = (uint8_t)nbb;
	sq->npg[start & mask] = (uint8_t)n;
	sq->wqe_ci += nbb;
	sq->last = ctrl;
	return true;
}

/* Owner, end of burst: one doorbell for everything posted. */
static inline void
mlx5x_xdpsq_ring(struct mlx5x_xdpsq *sq)
{
	struct mlx5_wqe_ctrl_seg *last = sq->last;

	if (last == NULL)
		return;
	if (!(last->fm_ce_se & MLX5_WQE_CTRL_CQ_UPDATE)) {
		last->fm_ce_se = MLX5_WQE_CTRL_CQ_UPDATE;
		sq->since_comp = 0;
	}
	mlx5x_sq_doorbell(sq->db, sq->bf_reg, sq->wqe_ci, last);
	sq->last = NULL;
	if (sq->inline_dev)
		mlx5x_emu_kick(sq->host, false);
}

#endif
