/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devmem internals: a binding (a registered region and the RX queues
 * whose payloads land in it), the per-queue state the split datapath
 * reads, the region memory providers and the per-queue restart steps
 * (Linux's queue_mem_alloc / queue_stop / queue_start / queue_mem_free).
 */
#ifndef MLX5X_DEVMEM_H
#define MLX5X_DEVMEM_H

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "mlx5x.h"
#include "rte_pmd_mlx5x_devmem.h"

/* What the split datapath of one bound queue needs, in one place. */
struct mlx5x_dm_queue {
	uint32_t binding;          /* id, for frag descriptors */
	uint32_t tok_base;         /* token of the queue's chunk 0 */
	uint64_t off_base;         /* region offset of the queue's chunk 0 */
	uint32_t chunk_size;
	uint8_t hds;               /* MLX5X_HDS_* */
	uint16_t hds_len;
	uint8_t *held;             /* by token: handed out, not returned */
	struct pp_page **page;     /* by token: the chunk's page */
	struct rte_mempool *frag_mp; /* mbufs for unreadable segments */
	int dyn_off;               /* frag descriptor dynfield */
	uint64_t dyn_flag;         /* unreadable-segment ol_flags bit */
	uint64_t frag_rearm;       /* data_off 0, refcnt 1, nb_segs 1, port */
	struct mlx5x_dm_mem *mem;  /* the region, for providers that sync */
};

/* The frag descriptor an unreadable segment carries (mbuf dynfield). */
struct mlx5x_dm_dyn {
	uint32_t binding;
	uint32_t token;            /* RX chunk; UINT32_MAX on a TX segment */
	uint32_t seq;              /* TX: send sequence number */
	uint32_t rsvd;
	uint64_t offset;           /* in the region */
};

/* Region memory as the device sees it, from a provider. */
struct mlx5x_dm_mem {
	const struct mlx5x_dm_provider *prov;
	uint8_t *va;               /* what the (emulated) device writes */
	rte_iova_t iova;
	uint64_t len;
	void *priv;                /* provider state */
	/* rdma-core registration (RTE_PMD_MLX5X_DEVMEM_F_VERBS) */
	void *verbs_ctx, *verbs_pd, *verbs_mr;
};

struct mlx5x_dm_provider {
	const char *name;
	int (*open)(const struct rte_pmd_mlx5x_devmem_region *r,
		    struct mlx5x_dm_mem *m);
	void (*close)(struct mlx5x_dm_mem *m);
	/* Where the device cannot write the memory itself (a GPU behind
	 * the emulated device): make the burst's payloads, at region
	 * offsets @off, visible there before the app sees them. NULL: the
	 * device's writes are the memory. */
	void (*sync)(struct mlx5x_dm_mem *m, const uint64_t *off,
		     const uint32_t *len, unsigned int n);
};

extern const struct mlx5x_dm_provider mlx5x_dm_fd;
extern const struct mlx5x_dm_provider mlx5x_dm_va;
extern const struct mlx5x_dm_provider mlx5x_dm_cuda;

/* The provider for a region type, or NULL. */
const struct mlx5x_dm_provider *mlx5x_dm_provider_of(int type);
/* Register @m with the first RDMA device (ibv_reg_dmabuf_mr for an fd,
 * ibv_reg_mr for a VA range): -ENODEV, logged, when there is none. */
int mlx5x_dm_verbs_reg(struct mlx5x_dm_mem *m,
		       const struct rte_pmd_mlx5x_devmem_region *r);
void mlx5x_dm_verbs_dereg(struct mlx5x_dm_mem *m);

/*
 * Per-queue restart (mlx5x_rxq_restart.c). The memory of a queue is its
 * rings, its page arrays, its header pool and, bound, its payload pool;
 * restart swaps all of it while the other queues carry traffic.
 */
struct mlx5x_rxq_mem {
	const struct rte_memzone *mz;
	struct pp_page **elts;
	struct pp_pool *pp;
	struct pp_pool *pay;
	struct mlx5x_dm_queue *dmq;
	uint32_t sges, log_wqe_n, log_cqe_n, gen;
};

/* Geometry of new queue memory: bound (with @dmq and its region slice)
 * or plain (dmq NULL). */
struct mlx5x_rxq_mem_req {
	struct mlx5x_dm_queue *dmq;
	uint8_t *pay_va;
	rte_iova_t pay_iova;
	uint64_t pay_len;
	uint32_t pay_lkey;
};

int mlx5x_rxq_mem_alloc(struct mlx5x_rxq *rxq,
			const struct mlx5x_rxq_mem_req *req,
			struct mlx5x_rxq_mem *mem);
void mlx5x_rxq_mem_free(struct mlx5x_rxq *rxq, struct mlx5x_rxq_mem *mem);
/* Restart @rxq on @mem: on success the old memory is freed; on failure
 * the queue runs again on its old memory, @mem is freed and the error
 * returned. */
int mlx5x_rxq_restart(struct rte_eth_dev *dev, struct mlx5x_rxq *rxq,
		      struct mlx5x_rxq_mem *mem);

#endif
