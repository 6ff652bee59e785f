/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RX queue control path: ring memory (WQEs, CQEs, doorbell records), the
 * queue's pagepool and its registration with the device, posting buffers,
 * runtime stop/start (everything posted goes back to the pool) and
 * release.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "mlx5x.h"
#include "mlx5x_devmem.h"

struct reg_ctx {
	struct mlx5x_emu *emu;
	int err;
};

static void
reg_chunk(struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *h,
	  unsigned int idx)
{
	struct reg_ctx *c = opaque;

	(void)mp;
	(void)idx;
	if (c->err == 0 && h->iova != RTE_BAD_IOVA &&
	    mlx5x_mr_reg_cb(c->emu, h->addr, h->iova, h->len) == 0)
		c->err = ENOSPC;
}

/* lkey of a split segment's buffer: the last chunk seen for that segment,
 * else a table lookup (the pools were registered at setup). */
uint32_t
mlx5x_rx_split_lkey(struct mlx5x_rxq *rxq, uint32_t seg, rte_iova_t iova)
{
	struct mlx5x_mr_cache *c = &rxq->split_mrc[seg];
	struct mlx5x_mr mr;
	uint32_t lkey;

	if (likely(iova >= c->start && iova < c->end))
		return c->lkey;
	lkey = mlx5x_mr_find(rxq->emu, iova, 1, &mr);
	if (lkey != 0) {
		c->start = mr.iova;
		c->end = mr.iova + mr.len;
		c->lkey = lkey;
	}
	return lkey;
}

/* Register every memory chunk of @mp (skipping ones already known). */
int
mlx5x_mr_reg_mempool(struct mlx5x_emu *emu, struct rte_mempool *mp)
{
	struct reg_ctx c = { emu, 0 };

	rte_mempool_mem_iter(mp, reg_chunk, &c);
	return -c.err;
}

uint32_t
mlx5x_mr_reg_cb(void *ctx, void *addr, rte_iova_t iova, size_t len)
{
	struct mlx5x_emu *emu = ctx;
	uint32_t lkey = mlx5x_mr_find(emu, iova, len, NULL);

	return lkey ? lkey : mlx5x_mr_reg(emu, addr, iova, len);
}

static inline unsigned int
log2u(uint32_t v)
{
	return rte_log2_u32(v);
}

/* Write WQE @wqe's segments from fresh pages. */
static int
post_wqe(struct mlx5x_rxq *rxq, uint32_t wqe)
{
	if (rxq->mprq) {
		struct mlx5_mprq_wqe *w = (struct mlx5_mprq_wqe *)rxq->wqes + wqe;
		struct pp_page *pg = pp_alloc_page(rxq->pp);

		if (pg == NULL)
			return -ENOMEM;
		/* one reference per stride (pagepool fragment mode) */
		pp_page_ref(pg, (1u << rxq->log_strides) - 1);
		rxq->elts[wqe] = pg;
		memset(&w->nseg, 0, sizeof(w->nseg));
		w->dseg.byte_count = rte_cpu_to_be_32(pp_page_size(rxq->pp));
		w->dseg.lkey = rte_cpu_to_be_32(pg->lkey);
		w->dseg.addr = rte_cpu_to_be_64(pg->iova);
		return 0;
	}
	if (rxq->split) {
		for (uint32_t s = 0; s < rxq->sges; s++) {
			struct mlx5_wqe_data_seg *ds = (struct mlx5_wqe_data_seg *)
				rxq->wqes + wqe * rxq->sges + s;
			struct rte_mbuf *m = rte_pktmbuf_alloc(rxq->split_mp[s]);

			if (m == NULL)
				return -ENOMEM;
			rxq->melts[wqe * rxq->sges + s] = m;
			ds->byte_count = rte_cpu_to_be_32(rxq->split_len[s]);
			ds->lkey = rte_cpu_to_be_32(mlx5x_rx_split_lkey(rxq, s,
				rte_pktmbuf_iova(m)));
			ds->addr = rte_cpu_to_be_64(rte_pktmbuf_iova(m) +
				rxq->split_off[s] - RTE_PKTMBUF_HEADROOM);
		}
		return 0;
	}
	for (uint32_t s = 0; s < rxq->sges; s++) {
		struct mlx5_wqe_data_seg *ds =
			(struct mlx5_wqe_data_seg *)rxq->wqes + wqe * rxq->sges + s;
		/* a split queue posts a payload chunk of the region second */
		struct pp_pool *pool = s == 1 && rxq->pay ? rxq->pay : rxq->pp;
		struct pp_page *pg = pp_alloc_page(pool);
		uint32_t head = s == 0 ? MLX5X_RX_HEADROOM : 0;

		if (pg == NULL)
			return -ENOMEM;
		rxq->elts[wqe * rxq->sges + s] = pg;
		ds->byte_count = rte_cpu_to_be_32(pp_page_size(pool) - head);
		ds->lkey = rte_cpu_to_be_32(pg->lkey);
		ds->addr = rte_cpu_to_be_64(pg->iova + head);
	}
	return 0;
}

static void
release_posted(struct mlx5x_rxq *rxq)
{
	uint32_t n = (1u << rxq->log_wqe_n) * (rxq->mprq ? 1 : rxq->sges);

	if (rxq->split) {
		for (uint32_t i = 0; i < n; i++) {
			rte_pktmbuf_free(rxq->melts[i]);
			rxq->melts[i] = NULL;
		}
		return;
	}

	for (uint32_t i = 0; i < n; i++) {
		struct pp_page *pg = rxq->elts[i];

		if (pg == NULL)
			continue;
		rxq->elts[i] = NULL;
		if (rxq->mprq) {
			/* Strides handed up hold their own references. */
			uint32_t unused = (1u << rxq->log_strides) -
					  (i == (rxq->rq_ci & ((1u << rxq->log_wqe_n) - 1)) ?
					   rxq->strd_pkts : 0);

			pp_page_unref(pg, unused);
		} else {
			pp_put_page(pg);
		}
	}
}

static void
cq_reset(struct mlx5x_rxq *rxq)
{
	for (uint32_t i = 0; i < (1u << rxq->log_cqe_n); i++)
		rxq->cqes[i].op_own = MLX5X_CQE_INVALIDATE;
	rxq->cq_ci = 0;
	*rxq->cq_db = 0;
	rxq->zip.n = 0;
	rxq->zip.i = 0;
}

int
mlx5x_rx_queue_start(struct rte_eth_dev *dev, uint16_t idx)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_rxq *rxq = dev->data->rx_queues[idx];
	struct mlx5x_emu_rq cfg;
	uint32_t wqe_n;

	if (rxq == NULL)
		return -EINVAL;
	if (rxq->running)
		return 0;
	wqe_n = 1u << rxq->log_wqe_n;
	cq_reset(rxq);
	rxq->rq_ci = 0;
	rxq->strd_pkts = 0;
	rxq->strd_pos = 0;
	for (uint32_t i = 0; i < wqe_n; i++) {
		if (post_wqe(rxq, i) != 0) {
			MLX5X_LOG(ERR, "port %u rxq %u: pagepool %s exhausted "
				  "posting %u WQEs", dev->data->port_id, idx,
				  pp_name(rxq->pp), wqe_n);
			release_posted(rxq);
			return -ENOMEM;
		}
	}
	if (unlikely(rxq->fail_next_start)) {
		/* fault injection: fail where a device command could */
		rxq->fail_next_start = false;
		MLX5X_LOG(ERR, "port %u rxq %u: start failed (injected fault)",
			  dev->data->port_id, idx);
		release_posted(rxq);
		return -EIO;
	}
	rxq->rq_ci = wqe_n;
	memset(&cfg, 0, sizeof(cfg));
	cfg.log_wqe_n = rxq->log_wqe_n;
	cfg.sges = rxq->sges;
	cfg.mprq = rxq->mprq;
	cfg.log_strides = rxq->log_strides;
	cfg.log_stride_size = rxq->log_stride_size;
	cfg.wqes = rxq->wqes;
	cfg.dbrec = rxq->rq_db;
	cfg.cq.cqes = rxq->cqes;
	cfg.cq.log_n = rxq->log_cqe_n;
	cfg.cq.dbrec = rxq->cq_db;
	if (rxq->dmq != NULL) {
		cfg.hds = rxq->dmq->hds;
		cfg.hds_len = rxq->dmq->hds_len;
	}
	mlx5x_emu_rq_create(&priv->emu, idx, &cfg);
	rte_io_wmb();
	*rxq->rq_db = rte_cpu_to_be_32(rxq->rq_ci);
	mlx5x_emu_rq_modify(&priv->emu, idx, MLX5X_Q_RDY);
	rxq->running = true;
	dev->data->rx_queue_state[idx] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

int
mlx5x_rx_queue_stop(struct rte_eth_dev *dev, uint16_t idx)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_rxq *rxq = dev->data->rx_queues[idx];

	if (rxq == NULL)
		return -EINVAL;
	if (rxq->running) {
		/* The device lets go of the queue before we take its pages. */
		mlx5x_emu_rq_destroy(&priv->emu, idx);
		release_posted(rxq);
		/* and what its XDP send queues still hold */
		mlx5x_xdp_rxq_stop(rxq);
		/* nothing cached while stopped: inflight shows only pages
		 * the application (or another port) still holds */
		pp_drain(rxq->pp);
		if (rxq->pay != NULL)
			pp_drain(rxq->pay);
		cq_reset(rxq);
		rxq->running = false;
	}
	dev->data->rx_queue_state[idx] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

void
mlx5x_rx_queue_release(struct rte_eth_dev *dev, uint16_t idx)
{
	struct mlx5x_rxq *rxq = dev->data->rx_queues[idx];
	uint64_t inflight;

	if (rxq == NULL)
		return;
	mlx5x_rx_queue_stop(dev, idx);
	mlx5x_xdp_rxq_release(rxq);
	inflight = pp_destroy(rxq->pp);
	if (inflight != 0)
		MLX5X_LOG(INFO, "port %u rxq %u: %" PRIu64 " pages still held "
			  "by the application; the pool is freed when they "
			  "return", dev->data->port_id, idx, inflight);
	rte_memzone_free(rxq->mz);
	rte_free(rxq->elts);
	rte_free(rxq->melts);
	rte_free(rxq);
	dev->data->rx_queues[idx] = NULL;
}

int
mlx5x_rx_queue_setup(struct rte_eth_dev *dev, uint16_t idx, uint16_t desc,
		     unsigned int socket, const struct rte_eth_rxconf *conf,
		     struct rte_mempool *mp)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_devargs *da = &priv->da;
	uint64_t offloads = conf->offloads | dev->data->dev_conf.rxmode.offloads;
	uint32_t max_frame = dev->data->mtu + RTE_ETHER_HDR_LEN +
			     RTE_VLAN_HLEN * 2;
	uint32_t page = da->page_size, wqe_n, cqe_n, sges = 1, elts_n;
	struct pp_params pp = { .socket_id = (int)socket };
	char name[RTE_MEMZONE_NAMESIZE];
	struct mlx5x_rxq *rxq;
	size_t wq_bytes, cq_bytes;
	uint8_t *mem;

	if (dev->data->rx_queues[idx] != NULL &&
	    ((struct mlx5x_rxq *)dev->data->rx_queues[idx])->dmq != NULL) {
		MLX5X_LOG(ERR, "port %u rxq %u is bound to devmem binding %u: "
			  "unbind it before setting the queue up again",
			  dev->data->port_id, idx,
			  ((struct mlx5x_rxq *)dev->data->rx_queues[idx])->dmq->binding);
		return -EBUSY;
	}
	if (dev->data->rx_queues[idx] != NULL)
		mlx5x_rx_queue_release(dev, idx);
	if (desc == 0)
		desc = da->rxq_size;
	desc = (uint16_t)RTE_MIN(rte_align32pow2(RTE_MAX((uint32_t)desc, 64u)),
				 32768u);

	rxq = rte_zmalloc_socket("mlx5x_rxq", sizeof(*rxq), RTE_CACHE_LINE_SIZE,
				 socket);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->dev = dev;
	rxq->idx = idx;
	rxq->port_id = dev->data->port_id;
	rxq->socket = socket;
	rxq->nb_desc = desc;
	rxq->offloads = offloads;
	rxq->emu = &priv->emu;
	rxq->inline_dev = da->dev_mode == MLX5X_DEV_INLINE;
	rxq->mb_pool = mp;

	if (offloads & RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT) {
		uint32_t total = 0;

		if (conf->rx_nseg < 2 || conf->rx_nseg > MLX5X_RQ_MAX_SEGS ||
		    da->mprq) {
			MLX5X_LOG(ERR, "port %u rxq %u: buffer split needs 2..%u "
				  "segments (rx_conf.rx_seg) and no MPRQ",
				  rxq->port_id, idx, MLX5X_RQ_MAX_SEGS);
			goto einval;
		}
		for (uint16_t k = 0; k < conf->rx_nseg; k++) {
			const struct rte_eth_rxseg_split *sp = &conf->rx_seg[k].split;
			uint32_t room;

			if (sp->mp == NULL) {
				MLX5X_LOG(ERR, "port %u rxq %u: split segment %u "
					  "has no mempool", rxq->port_id, idx, k);
				goto einval;
			}
			room = rte_pktmbuf_data_room_size(sp->mp) -
			       RTE_PKTMBUF_HEADROOM;
			if (sp->offset >= room || (sp->length != 0 &&
			    sp->length > room - sp->offset)) {
				MLX5X_LOG(ERR, "port %u rxq %u: split segment %u: "
					  "offset %u + length %u exceed the %u-byte "
					  "buffers of %s", rxq->port_id, idx, k,
					  sp->offset, sp->length, room, sp->mp->name);
				goto einval;
			}
			rxq->split_mp[k] = sp->mp;
			rxq->split_off[k] = RTE_PKTMBUF_HEADROOM + sp->offset;
			rxq->split_len[k] = sp->length ? sp->length :
					    room - sp->offset;
			total += rxq->split_len[k];
		}
		if (total < max_frame) {
			MLX5X_LOG(ERR, "port %u rxq %u: split segments hold %u "
				  "bytes, frames can be %u", rxq->port_id, idx,
				  total, max_frame);
			goto einval;
		}
		rxq->split = true;
		sges = conf->rx_nseg;
		wqe_n = desc;
		cqe_n = desc;
		pp.pool_size = 256; /* unused for data in split mode */
	} else if (da->mprq) {
		rxq->mprq = true;
		rxq->log_strides = da->mprq_log_stride_num;
		rxq->log_stride_size = da->mprq_log_stride_size;
		page = 1u << (rxq->log_strides + rxq->log_stride_size);
		if (max_frame > page) {
			MLX5X_LOG(ERR, "port %u rxq %u: MTU %u does not fit a "
				  "%u-byte MPRQ WQE", rxq->port_id, idx,
				  dev->data->mtu, page);
			goto einval;
		}
		wqe_n = RTE_MAX((uint32_t)desc >> rxq->log_strides, 8u);
		cqe_n = wqe_n << rxq->log_strides;
		pp.frags_per_page = 1u << rxq->log_strides;
		/* per-stride shared info for the external-buffer mbufs */
		pp.priv_size = sizeof(struct rte_mbuf_ext_shared_info) <<
			       rxq->log_strides;
		pp.pool_size = RTE_MAX(wqe_n * 4, 256u);
	} else {
		if (max_frame + MLX5X_RX_HEADROOM > page) {
			if (!(offloads & RTE_ETH_RX_OFFLOAD_SCATTER)) {
				MLX5X_LOG(ERR, "port %u rxq %u: a %u-byte frame "
					  "needs RTE_ETH_RX_OFFLOAD_SCATTER with "
					  "%u-byte buffers (or devarg page_size)",
					  rxq->port_id, idx, max_frame, page);
				goto einval;
			}
			sges = (max_frame + MLX5X_RX_HEADROOM + page - 1) / page;
			if (sges > MLX5X_RQ_MAX_SEGS) {
				MLX5X_LOG(ERR, "port %u rxq %u: %u segments per "
					  "frame, at most %u", rxq->port_id, idx,
					  sges, MLX5X_RQ_MAX_SEGS);
				goto einval;
			}
			sges = rte_align32pow2(sges);
		}
		wqe_n = desc;
		cqe_n = desc;
		pp.pool_size = RTE_MAX(desc * sges * 4, 4096u);
	}
	rxq->sges = sges;
	rxq->log_wqe_n = log2u(wqe_n);
	rxq->log_cqe_n = log2u(cqe_n);
	rxq->seg_len = page;

	snprintf(name, sizeof(name), "mlx5x_p%uq%u", rxq->port_id, idx);
	pp.name = name;
	pp.page_size = page;
	pp.ring_size = 1024;
	rxq->pp = pp_create(&pp);
	if (rxq->pp == NULL) {
		MLX5X_LOG(ERR, "port %u rxq %u: pagepool: %s", rxq->port_id, idx,
			  rte_strerror(rte_errno));
		rte_free(rxq);
		return -rte_errno;
	}
	if (pp_register_mem(rxq->pp, mlx5x_mr_reg_cb, &priv->emu) != 0) {
		MLX5X_LOG(ERR, "port %u rxq %u: memory registration failed",
			  rxq->port_id, idx);
		goto fail;
	}
	/* WQ ring, CQ ring and both doorbell records in one zone. */
	wq_bytes = (size_t)wqe_n * (rxq->mprq ? sizeof(struct mlx5_mprq_wqe) :
				    sizeof(struct mlx5_wqe_data_seg) * sges);
	cq_bytes = (size_t)cqe_n * sizeof(struct mlx5_cqe64);
	snprintf(name, sizeof(name), "mlx5x_rq_p%uq%u", rxq->port_id, idx);
	rxq->mz = rte_memzone_reserve_aligned(name, wq_bytes + cq_bytes + 128,
					      (int)socket, 0, 4096);
	if (rxq->mz == NULL) {
		MLX5X_LOG(ERR, "port %u rxq %u: ring memory: %s", rxq->port_id,
			  idx, rte_strerror(rte_errno));
		goto fail;
	}
	mem = rxq->mz->addr;
	memset(mem, 0, wq_bytes + cq_bytes + 128);
	rxq->cqes = (volatile struct mlx5_cqe64 *)mem;
	rxq->wqes = mem + cq_bytes;
	rxq->rq_db = (volatile rte_be32_t *)(mem + cq_bytes + wq_bytes);
	rxq->cq_db = (volatile rte_be32_t *)(mem + cq_bytes + wq_bytes + 64);
	elts_n = wqe_n * (rxq->mprq ? 1 : sges);
	rxq->elts = rte_zmalloc_socket("mlx5x_rx_elts",
				       elts_n * sizeof(*rxq->elts),
				       RTE_CACHE_LINE_SIZE, socket);
	if (rxq->elts == NULL)
		goto fail;
	if (rxq->split) {
		rxq->melts = rte_zmalloc_socket("mlx5x_rx_melts",
						elts_n * sizeof(*rxq->melts),
						RTE_CACHE_LINE_SIZE, socket);
		if (rxq->melts == NULL)
			goto fail;
		/* The device must be able to DMA into the app's pools. */
		for (uint32_t k = 0; k < sges; k++)
			if (mlx5x_mr_reg_mempool(&priv->emu,
						 rxq->split_mp[k]) != 0) {
				MLX5X_LOG(ERR, "port %u rxq %u: cannot register "
					  "mempool %s", rxq->port_id, idx,
					  rxq->split_mp[k]->name);
				goto fail;
			}
	}
	{
		struct rte_mbuf m;

		memset(&m, 0, sizeof(m));
		m.data_off = MLX5X_RX_HEADROOM;
		m.nb_segs = 1;
		m.port = rxq->port_id;
		rte_mbuf_refcnt_set(&m, 1);
		rxq->mbuf_rearm = *mlx5x_mbuf_rearm(&m);
	}
	rxq->started_by_dev = !conf->rx_deferred_start;
	if (mlx5x_xdp_rxq_setup(dev, rxq) != 0)
		goto einval_pp;
	dev->data->rx_queues[idx] = rxq;
	if (priv->started && rxq->started_by_dev)
		return mlx5x_rx_queue_start(dev, idx);
	return 0;
einval_pp:
	pp_destroy(rxq->pp);
	rte_memzone_free(rxq->mz);
	rte_free(rxq->elts);
	rte_free(rxq->melts);
	rte_free(rxq);
	return -EINVAL;
einval:
	rte_free(rxq);
	return -EINVAL;
fail:
	pp_destroy(rxq->pp);
	rte_memzone_free(rxq->mz);
	rte_free(rxq);
	return -ENOMEM;
}

void
mlx5x_rxq_info_get(struct rte_eth_dev *dev, uint16_t idx,
		   struct rte_eth_rxq_info *qinfo)
{
	struct mlx5x_rxq *rxq = dev->data->rx_queues[idx];

	if (rxq == NULL)
		return;
	qinfo->mp = rxq->mb_pool;
	qinfo->nb_desc = rxq->nb_desc;
	qinfo->scattered_rx = rxq->sges > 1;
	qinfo->conf.offloads = rxq->offloads;
	qinfo->conf.rx_deferred_start = !rxq->started_by_dev;
	qinfo->rx_buf_size = (uint16_t)RTE_MIN(rxq->seg_len, (uint32_t)UINT16_MAX);
}
