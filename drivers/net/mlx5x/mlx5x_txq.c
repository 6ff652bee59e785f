/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TX queue control path: SQ ring, CQ and doorbell memory, the send queue
 * number, runtime stop/start (outstanding mbufs are freed) and release.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "mlx5x.h"

int
mlx5x_tx_queue_start(struct rte_eth_dev *dev, uint16_t idx)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_txq *txq = dev->data->tx_queues[idx];
	struct mlx5x_emu_sq cfg;

	if (txq == NULL)
		return -EINVAL;
	if (txq->running)
		return 0;
	for (uint32_t i = 0; i < (1u << txq->log_cqe_n); i++)
		txq->cqes[i].op_own = MLX5X_CQE_INVALIDATE;
	txq->cq_ci = 0;
	*txq->cq_db = 0;
	txq->wqe_ci = 0;
	txq->wqe_tail = 0;
	txq->since_comp = 0;
	*txq->db = 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.log_n = txq->log_n;
	cfg.sqn = txq->sqn;
	cfg.wqes = txq->wqes;
	cfg.dbrec = txq->db;
	cfg.cq.cqes = txq->cqes;
	cfg.cq.log_n = txq->log_cqe_n;
	cfg.cq.dbrec = txq->cq_db;
	mlx5x_emu_sq_create(&priv->emu, idx, &cfg);
	txq->bf_reg = &priv->emu.sq[idx].bf_reg;
	mlx5x_emu_sq_modify(&priv->emu, idx, MLX5X_Q_RDY);
	txq->running = true;
	dev->data->tx_queue_state[idx] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

int
mlx5x_tx_queue_stop(struct rte_eth_dev *dev, uint16_t idx)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_txq *txq = dev->data->tx_queues[idx];

	if (txq == NULL)
		return -EINVAL;
	if (txq->running) {
		mlx5x_emu_sq_destroy(&priv->emu, idx);
		mlx5x_txq_drain(txq);
		txq->running = false;
	}
	dev->data->tx_queue_state[idx] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

void
mlx5x_tx_queue_release(struct rte_eth_dev *dev, uint16_t idx)
{
	struct mlx5x_txq *txq = dev->data->tx_queues[idx];

	if (txq == NULL)
		return;
	mlx5x_tx_queue_stop(dev, idx);
	rte_memzone_free(txq->mz);
	rte_free(txq->elts);
	rte_free(txq);
	dev->data->tx_queues[idx] = NULL;
}

int
mlx5x_tx_queue_setup(struct rte_eth_dev *dev, uint16_t idx, uint16_t desc,
		     unsigned int socket, const struct rte_eth_txconf *conf)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	char name[RTE_MEMZONE_NAMESIZE];
	struct mlx5x_txq *txq;
	size_t wq_bytes, cq_bytes;
	uint32_t wqe_n;
	uint8_t *mem;

	if (dev->data->tx_queues[idx] != NULL)
		mlx5x_tx_queue_release(dev, idx);
	if (desc == 0)
		desc = priv->da.txq_size;
	wqe_n = RTE_MIN(rte_align32pow2(RTE_MAX(desc, 64u)), 32768u);
	txq = rte_zmalloc_socket("mlx5x_txq", sizeof(*txq), RTE_CACHE_LINE_SIZE,
				 socket);
	if (txq == NULL)
		return -ENOMEM;
	txq->dev = dev;
	txq->idx = idx;
	txq->nb_desc = (uint16_t)wqe_n;
	txq->socket = socket;
	txq->emu = &priv->emu;
	txq->inline_dev = priv->da.dev_mode == MLX5X_DEV_INLINE;
	txq->offloads = conf->offloads | dev->data->dev_conf.txmode.offloads;
	txq->comp_every = priv->da.txq_comp_every;
	/* segments of devmem regions (zero-copy TX) get notifications */
	txq->dm_flag = mlx5x_devmem_dyn_flag();
	txq->sqn = (uint32_t)dev->data->port_id << 8 | idx;
	txq->log_n = rte_log2_u32(wqe_n);
	txq->log_cqe_n = txq->log_n;
	wq_bytes = (size_t)wqe_n * MLX5X_WQEBB;
	cq_bytes = (size_t)wqe_n * sizeof(struct mlx5_cqe64);
	snprintf(name, sizeof(name), "mlx5x_sq_p%uq%u", dev->data->port_id, idx);
	txq->mz = rte_memzone_reserve_aligned(name, wq_bytes + cq_bytes + 128,
					      (int)socket, 0, 4096);
	txq->elts = rte_zmalloc_socket("mlx5x_tx_elts",
				       wqe_n * sizeof(*txq->elts),
				       RTE_CACHE_LINE_SIZE, socket);
	if (txq->mz == NULL || txq->elts == NULL) {
		MLX5X_LOG(ERR, "port %u txq %u: ring memory: %s",
			  dev->data->port_id, idx, rte_strerror(rte_errno));
		rte_memzone_free(txq->mz);
		rte_free(txq->elts);
		rte_free(txq);
		return -ENOMEM;
	}
	mem = txq->mz->addr;
	memset(mem, 0, wq_bytes + cq_bytes + 128);
	txq->cqes = (volatile struct mlx5_cqe64 *)mem;
	txq->wqes = mem + cq_bytes;
	txq->db = (volatile rte_be32_t *)(mem + cq_bytes + wq_bytes);
	txq->cq_db = (volatile rte_be32_t *)(mem + cq_bytes + wq_bytes + 64);
	dev->data->tx_queues[idx] = txq;
	if (priv->started && !conf->tx_deferred_start)
		return mlx5x_tx_queue_start(dev, idx);
	return 0;
}

void
mlx5x_txq_info_get(struct rte_eth_dev *dev, uint16_t idx,
		   struct rte_eth_txq_info *qinfo)
{
	struct mlx5x_txq *txq = dev->data->tx_queues[idx];

	if (txq == NULL)
		return;
	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.offloads = txq->offloads;
}
