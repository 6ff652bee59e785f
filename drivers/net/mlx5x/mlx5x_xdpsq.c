/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XDP send queues: SQs an RX queue owns on its own port (XDP_TX) and on
 * other mlx5x ports (redirect), carrying pagepool pages with no mbuf.
 * Creation takes a slot on the host device; completions recycle pages
 * straight into the owner's alloc cache; teardown gives back whatever
 * the device had not completed.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "mlx5x.h"
#include "mlx5x_xdp.h"

struct mlx5x_xdpsq *
mlx5x_xdpsq_create(uint16_t host_port, struct mlx5x_emu *host,
		   struct pp_pool *pp, bool inline_dev, const char *owner_name)
{
	const size_t wq = (size_t)MLX5X_XDPSQ_SIZE * MLX5X_WQEBB;
	const size_t cq = (size_t)MLX5X_XDPSQ_SIZE * sizeof(struct mlx5_cqe64);
	const size_t meta = (size_t)MLX5X_XDPSQ_SIZE * 2 +
			    (size_t)MLX5X_XDPSQ_SIZE * 4 * sizeof(void *);
	static uint32_t seq;
	char name[RTE_MEMZONE_NAMESIZE];
	struct mlx5x_emu_sq cfg;
	struct mlx5x_xdpsq *sq;
	uint8_t *mem;
	int idx;

	sq = rte_zmalloc("mlx5x_xdpsq", sizeof(*sq), RTE_CACHE_LINE_SIZE);
	if (sq == NULL)
		return NULL;
	snprintf(name, sizeof(name), "mlx5x_xsq%u_%s",
		 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED), owner_name);
	sq->mz = rte_memzone_reserve_aligned(name, wq + cq + 128 + meta,
					     SOCKET_ID_ANY, 0, 4096);
	if (sq->mz == NULL) {
		MLX5X_LOG(ERR, "%s: XDP send queue on port %u: %s", owner_name,
			  host_port, rte_strerror(rte_errno));
		rte_free(sq);
		return NULL;
	}
	mem = sq->mz->addr;
	memset(mem, 0, wq + cq + 128 + meta);
	sq->cqes = (volatile struct mlx5_cqe64 *)mem;
	sq->wqes = mem + cq;
	sq->db = (volatile rte_be32_t *)(mem + cq + wq);
	sq->cq_db = (volatile rte_be32_t *)(mem + cq + wq + 64);
	sq->nbb = mem + cq + wq + 128;
	sq->npg = sq->nbb + MLX5X_XDPSQ_SIZE;
	sq->pgs = (struct pp_page **)(void *)(sq->npg + MLX5X_XDPSQ_SIZE);
	for (uint32_t i = 0; i < MLX5X_XDPSQ_SIZE; i++)
		sq->cqes[i].op_own = MLX5X_CQE_INVALIDATE;
	sq->pp = pp;
	sq->host = host;
	sq->inline_dev = inline_dev;
	idx = mlx5x_emu_xsq_alloc(host, sq);
	if (idx < 0) {
		MLX5X_LOG(ERR, "%s: port %u hosts %u XDP send queues already",
			  owner_name, host_port, MLX5X_MAX_XDPSQ);
		rte_memzone_free(sq->mz);
		rte_free(sq);
		return NULL;
	}
	sq->idx = (uint16_t)idx;
	sq->sqn = (uint32_t)host_port << 8 | (uint32_t)idx;
	memset(&cfg, 0, sizeof(cfg));
	cfg.log_n = rte_log2_u32(MLX5X_XDPSQ_SIZE);
	cfg.sqn = sq->sqn;
	cfg.wqes = sq->wqes;
	cfg.dbrec = sq->db;
	cfg.cq.cqes = sq->cqes;
	cfg.cq.log_n = rte_log2_u32(MLX5X_XDPSQ_SIZE);
	cfg.cq.dbrec = sq->cq_db;
	mlx5x_emu_sq_create(host, sq->idx, &cfg);
	sq->bf_reg = &host->sq[sq->idx].bf_reg;
	mlx5x_emu_sq_modify(host, sq->idx, MLX5X_Q_RDY);
	return sq;
}

/* Pages of WQEs [wqe_tail, end) are done with. */
static void
free_until(struct mlx5x_xdpsq *sq, uint32_t end, bool owner)
{
	const uint32_t mask = MLX5X_XDPSQ_SIZE - 1;
	const uint32_t pmask = 4 * MLX5X_XDPSQ_SIZE - 1;

	while (sq->wqe_tail != end) {
		uint32_t t = sq->wqe_tail & mask;

		for (uint32_t i = 0; i < sq->npg[t]; i++) {
			struct pp_page *pg = sq->pgs[sq->pg_tail++ & pmask];

			if (owner)
				pp_recycle_direct(sq->pp, pg);
			else
				pp_put_page(pg);
		}
		sq->wqe_tail += sq->nbb[t] ? sq->nbb[t] : 1;
	}
}

void
mlx5x_xdpsq_complete(struct mlx5x_xdpsq *sq)
{
	const uint32_t mask = MLX5X_XDPSQ_SIZE - 1;
	const uint32_t log_n = rte_log2_u32(MLX5X_XDPSQ_SIZE);
	bool seen = false;

	for (;;) {
		const volatile struct mlx5_cqe64 *c = &sq->cqes[sq->cq_ci & mask];
		uint32_t w, start;

		if (!mlx5x_cqe_ready(c, sq->cq_ci, log_n))
			break;
		rte_io_rmb();
		seen = true;
		sq->cq_ci++;
		if (unlikely((c->op_own >> 4) == MLX5_CQE_REQ_ERR)) {
			/* everything posted is lost with the failed WQE (the
			 * device counts the error CQE in its SQ counters) */
			*sq->cq_db = rte_cpu_to_be_32(sq->cq_ci);
			free_until(sq, sq->wqe_ci, true);
			mlx5x_emu_sq_modify(sq->host, sq->idx, MLX5X_Q_RDY);
			continue;
		}
		w = rte_be_to_cpu_16(c->wqe_counter);
		start = sq->wqe_tail + ((w - sq->wqe_tail) & 0xffff);
		free_until(sq, start + RTE_MAX(sq->nbb[start & mask],
					       (uint8_t)1), true);
	}
	if (seen)
		*sq->cq_db = rte_cpu_to_be_32(sq->cq_ci);
}

void
mlx5x_xdpsq_orphan(struct mlx5x_xdpsq *sq)
{
	if (sq->dead)
		return;
	mlx5x_emu_xsq_free(sq->host, sq->idx);
	free_until(sq, sq->wqe_ci, false);
	sq->dead = true;
}

void
mlx5x_xdpsq_destroy(struct mlx5x_xdpsq *sq)
{
	if (sq == NULL)
		return;
	/* After xsq_free the device no longer reads the queue (it takes
	 * the device lock a step holds), so every page is ours again. */
	mlx5x_xdpsq_orphan(sq);
	rte_memzone_free(sq->mz);
	rte_free(sq);
}
