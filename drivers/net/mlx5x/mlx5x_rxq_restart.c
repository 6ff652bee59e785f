/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-queue restart, as the Linux netdev queue API does it
 * (queue_mem_alloc, queue_stop, queue_start, queue_mem_free): new memory
 * for one RX queue is allocated while it runs, the queue is paused and
 * stopped, started on the new memory, and the old memory freed; if the
 * start fails the queue is started again on its old memory. Other queues
 * never stop.
 *
 * Pausing a queue that an lcore may be polling costs the datapath two
 * plain stores a burst (burst_seq odd inside, even outside) and no fence:
 * the restarter raises alt, then runs membarrier(), which puts a full
 * barrier on every thread of the process, then reads burst_seq. Either
 * the burst saw alt, or the restarter sees it inside and waits for it to
 * leave (the asymmetric Dekker of userspace RCU).
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "mlx5x.h"
#include "mlx5x_devmem.h"

static int
membarrier(int cmd)
{
	return (int)syscall(__NR_membarrier, cmd, 0, 0);
}

/* A full barrier on every thread of the process. */
static void
barrier_all(void)
{
	static int expedited; /* 0 unknown, 1 registered, -1 unavailable */

	if (expedited == 0)
		expedited = membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)
			    == 0 ? 1 : -1;
	if (expedited == 1 &&
	    membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0)
		return;
	if (membarrier(MEMBARRIER_CMD_GLOBAL) == 0)
		return;
	/* No membarrier (pre-4.3 kernel): wait out a scheduler tick
	 * instead, which serialises any running lcore in practice. */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	usleep(20000);
}

/* Keep the datapath off @rxq until resume(). */
static void
pause_queue(struct mlx5x_rxq *rxq)
{
	uint32_t s;

	__atomic_store_n(&rxq->alt, (uint8_t)(rxq->alt | MLX5X_RXQ_ALT_PAUSE),
			 __ATOMIC_SEQ_CST);
	barrier_all();
	s = __atomic_load_n(&rxq->burst_seq, __ATOMIC_ACQUIRE);
	if (s & 1)
		while (__atomic_load_n(&rxq->burst_seq, __ATOMIC_ACQUIRE) == s)
			rte_pause();
}

static void
resume_queue(struct mlx5x_rxq *rxq)
{
	__atomic_store_n(&rxq->alt, rxq->dmq != NULL ? MLX5X_RXQ_ALT_DEVMEM : 0,
			 __ATOMIC_RELEASE);
}

static void
mem_take(const struct mlx5x_rxq *rxq, struct mlx5x_rxq_mem *m)
{
	m->mz = rxq->mz;
	m->elts = rxq->elts;
	m->pp = rxq->pp;
	m->pay = rxq->pay;
	m->dmq = rxq->dmq;
	m->sges = rxq->sges;
	m->log_wqe_n = rxq->log_wqe_n;
	m->log_cqe_n = rxq->log_cqe_n;
	m->gen = rxq->mem_gen;
}

/* Point the queue at @m: rings (CQ, WQ, then both doorbell records, as
 * setup lays them out), pages, pools. */
static void
mem_install(struct mlx5x_rxq *rxq, const struct mlx5x_rxq_mem *m)
{
	size_t cq_bytes = ((size_t)1 << m->log_cqe_n) *
			  sizeof(struct mlx5_cqe64);
	size_t wq_bytes = ((size_t)1 << m->log_wqe_n) * m->sges *
			  sizeof(struct mlx5_wqe_data_seg);
	uint8_t *mem = m->mz->addr;

	rxq->mz = m->mz;
	rxq->cqes = (volatile struct mlx5_cqe64 *)mem;
	rxq->wqes = mem + cq_bytes;
	rxq->rq_db = (volatile rte_be32_t *)(mem + cq_bytes + wq_bytes);
	rxq->cq_db = (volatile rte_be32_t *)(mem + cq_bytes + wq_bytes + 64);
	rxq->elts = m->elts;
	rxq->pp = m->pp;
	rxq->pay = m->pay;
	rxq->dmq = m->dmq;
	rxq->sges = m->sges;
	rxq->log_wqe_n = m->log_wqe_n;
	rxq->log_cqe_n = m->log_cqe_n;
	rxq->mem_gen = m->gen;
}

int
mlx5x_rxq_mem_alloc(struct mlx5x_rxq *rxq, const struct mlx5x_rxq_mem_req *req,
		    struct mlx5x_rxq_mem *m)
{
	struct mlx5x_priv *priv = mlx5x_priv(rxq->dev);
	uint32_t wqe_n = 1u << rxq->log_wqe_n, cqe_n = 1u << rxq->log_cqe_n;
	uint32_t max_frame = rxq->dev->data->mtu + RTE_ETHER_HDR_LEN +
			     RTE_VLAN_HLEN * 2;
	struct pp_params pp = { .socket_id = (int)rxq->socket };
	char name[RTE_MEMZONE_NAMESIZE];
	size_t wq_bytes, cq_bytes;

	memset(m, 0, sizeof(*m));
	if (rxq->mprq || rxq->split) {
		MLX5X_LOG(ERR, "port %u rxq %u: queue restart needs a cyclic RQ "
			  "with pagepool pages (not mprq=1, not buffer split)",
			  rxq->port_id, rxq->idx);
		return -ENOTSUP;
	}
	m->gen = rxq->mem_gen + 1;
	m->dmq = req->dmq;
	if (req->dmq != NULL) {
		/* A frame that cannot be split lands whole in the header
		 * page, so it must fit one. */
		if (max_frame + MLX5X_RX_HEADROOM > rxq->seg_len) {
			MLX5X_LOG(ERR, "port %u rxq %u: devmem: a %u-byte frame "
				  "(MTU %u) does not fit the %u-byte header page "
				  "that unsplit frames land in", rxq->port_id,
				  rxq->idx, max_frame, rxq->dev->data->mtu,
				  rxq->seg_len);
			return -EINVAL;
		}
		if (req->pay_len / req->dmq->chunk_size < 2ull * wqe_n) {
			MLX5X_LOG(ERR, "port %u rxq %u: devmem: the queue's share "
				  "of the region holds %" PRIu64 " chunks of %u B; "
				  "it needs at least 2 x %u descriptors",
				  rxq->port_id, rxq->idx,
				  req->pay_len / req->dmq->chunk_size,
				  req->dmq->chunk_size, wqe_n);
			return -EINVAL;
		}
		m->sges = 2;
	} else {
		m->sges = max_frame + MLX5X_RX_HEADROOM > rxq->seg_len ?
			  rte_align32pow2((max_frame + MLX5X_RX_HEADROOM +
					   rxq->seg_len - 1) / rxq->seg_len) : 1;
	}
	m->log_wqe_n = rxq->log_wqe_n;
	m->log_cqe_n = rxq->log_cqe_n;

	snprintf(name, sizeof(name), "mlx5x_p%uq%ug%u", rxq->port_id,
		 rxq->idx, m->gen);
	pp.name = name;
	pp.page_size = rxq->seg_len;
	pp.ring_size = 1024;
	pp.pool_size = RTE_MAX(wqe_n * (req->dmq ? 1 : m->sges) * 4, 4096u);
	m->pp = pp_create(&pp);
	if (m->pp == NULL) {
		MLX5X_LOG(ERR, "port %u rxq %u: pagepool: %s", rxq->port_id,
			  rxq->idx, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (pp_register_mem(m->pp, mlx5x_mr_reg_cb, &priv->emu) != 0) {
		MLX5X_LOG(ERR, "port %u rxq %u: memory registration failed",
			  rxq->port_id, rxq->idx);
		goto fail;
	}
	if (req->dmq != NULL) {
		struct pp_region r = {
			.va = req->pay_va, .iova = req->pay_iova,
			.len = req->pay_len, .lkey = req->pay_lkey,
			.unreadable = true,
		};
		struct pp_params pq = {
			.page_size = req->dmq->chunk_size,
			.ring_size = 4096,
			.socket_id = (int)rxq->socket,
			.provider = &pp_provider_region,
			.provider_arg = &r,
		};

		snprintf(name, sizeof(name), "mlx5x_dm_p%uq%ug%u", rxq->port_id,
			 rxq->idx, m->gen);
		pq.name = name;
		m->pay = pp_create(&pq);
		if (m->pay == NULL) {
			MLX5X_LOG(ERR, "port %u rxq %u: devmem payload pool: %s",
				  rxq->port_id, rxq->idx,
				  rte_strerror(rte_errno));
			goto fail;
		}
	}
	wq_bytes = (size_t)wqe_n * m->sges * sizeof(struct mlx5_wqe_data_seg);
	cq_bytes = (size_t)cqe_n * sizeof(struct mlx5_cqe64);
	snprintf(name, sizeof(name), "mlx5x_rq_p%uq%ug%u", rxq->port_id,
		 rxq->idx, m->gen);
	m->mz = rte_memzone_reserve_aligned(name, wq_bytes + cq_bytes + 128,
					    (int)rxq->socket, 0, 4096);
	m->elts = rte_zmalloc_socket("mlx5x_rx_elts",
				     (size_t)wqe_n * m->sges * sizeof(*m->elts),
				     RTE_CACHE_LINE_SIZE, rxq->socket);
	if (m->mz == NULL || m->elts == NULL) {
		MLX5X_LOG(ERR, "port %u rxq %u: ring memory: %s", rxq->port_id,
			  rxq->idx, rte_strerror(rte_errno));
		goto fail;
	}
	memset(m->mz->addr, 0, wq_bytes + cq_bytes + 128);
	return 0;
fail:
	mlx5x_rxq_mem_free(rxq, m);
	return -ENOMEM;
}

void
mlx5x_rxq_mem_free(struct mlx5x_rxq *rxq, struct mlx5x_rxq_mem *m)
{
	uint64_t held;

	if (m->pp != NULL) {
		held = pp_destroy(m->pp);
		if (held != 0)
			MLX5X_LOG(INFO, "port %u rxq %u: %" PRIu64 " header pages "
				  "of the old queue memory still held by the "
				  "application; freed when they return",
				  rxq->port_id, rxq->idx, held);
	}
	if (m->pay != NULL) {
		held = pp_destroy(m->pay);
		if (held != 0)
			MLX5X_LOG(DEBUG, "port %u rxq %u: %" PRIu64 " payload "
				  "chunks held by the application (an unbind "
				  "reclaims them)", rxq->port_id, rxq->idx, held);
	}
	rte_memzone_free(m->mz);
	rte_free(m->elts);
	memset(m, 0, sizeof(*m));
}

int
mlx5x_rxq_restart(struct rte_eth_dev *dev, struct mlx5x_rxq *rxq,
		  struct mlx5x_rxq_mem *nm)
{
	struct mlx5x_rxq_mem old;
	bool running = rxq->running;
	int rc, rc2;

	mem_take(rxq, &old);
	pause_queue(rxq);
	/* queue_stop: the device lets go, posted pages go back */
	mlx5x_rx_queue_stop(dev, rxq->idx);
	mem_install(rxq, nm);
	rc = running ? mlx5x_rx_queue_start(dev, rxq->idx) : 0;
	if (rc != 0) {
		/* queue_start failed: back on the old memory */
		mem_install(rxq, &old);
		rc2 = mlx5x_rx_queue_start(dev, rxq->idx);
		MLX5X_LOG(ERR, "port %u rxq %u: restart on new memory failed "
			  "(%s); restarted on the old memory%s", rxq->port_id,
			  rxq->idx, rte_strerror(-rc),
			  rc2 != 0 ? ", which failed too: queue stopped" : "");
		mlx5x_rxq_mem_free(rxq, nm);
		resume_queue(rxq);
		return rc;
	}
	/* The new memory must not be freed by mem_free of the caller. */
	resume_queue(rxq);
	mlx5x_rxq_mem_free(rxq, &old);
	return 0;
}
