/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mlx5x driver internals: the per-port private data and the RX/TX queue
 * structures the datapath runs on. Everything a burst touches lives in its
 * queue struct (no per-lcore variables: in a PMD loaded with -d each one
 * costs a __tls_get_addr call).
 */
#ifndef MLX5X_H
#define MLX5X_H

#include <sys/queue.h>

#include <ethdev_driver.h>
#include <rte_ethdev.h>
#include <rte_flow_driver.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "pagepool.h"
#include "mlx5x_devargs.h"
#include "mlx5x_emu.h"
#include "mlx5x_prm.h"

extern int mlx5x_logtype;
#define MLX5X_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, mlx5x_logtype, "mlx5x: " fmt "\n", ##__VA_ARGS__)

/* Headroom before every received frame: XDP's XDP_PACKET_HEADROOM. */
#define MLX5X_RX_HEADROOM 256u

struct mlx5x_xdp_prog;
struct mlx5x_xdpsq;
struct xdpc_obj;
struct xdpc_prog;

/* Native XDP counters of one RX queue; every frame the program ran on is
 * in exactly one of act[] (verdicts carried out), tx_errors or
 * redirect_errors. */
struct mlx5x_xdp_stats {
	uint64_t rx;
	uint64_t act[5];                /* by enum xdpc_action */
	uint64_t tx_errors;             /* XDP_TX: no room on the send queue */
	uint64_t redirect_errors;       /* no such target, or it refused */
	uint64_t mbufs;                 /* mbufs made (PASS, CPUMAP, XSKMAP,
					 * non-mlx5x targets) */
};

struct mlx5x_mr_cache {
	uintptr_t start, end;
	uint32_t lkey;
};

struct mlx5x_rxq {
	/* ---- hot: read every burst ---- */
	volatile struct mlx5_cqe64 *cqes;
	uint32_t cq_ci;
	uint32_t log_cqe_n;
	uint32_t rq_ci;                 /* WQEs posted (doorbell value) */
	uint32_t log_wqe_n;
	uint32_t sges;                  /* data segments per cyclic WQE */
	uint32_t seg_len;               /* bytes per posted segment */
	void *wqes;
	volatile rte_be32_t *rq_db;
	volatile rte_be32_t *cq_db;
	struct pp_page **elts;          /* [wqe * sges + seg] */
	struct pp_pool *pp;
	uint64_t mbuf_rearm;            /* data_off, refcnt, nb_segs, port */
	uint64_t offloads;
	struct mlx5x_emu *emu;
	bool inline_dev;
	bool mprq;
	bool mark;                      /* a flow uses MARK */
	uint16_t port_id;
	uint16_t idx;
	/* Buffer split (RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT): WQE segment s is
	 * an mbuf of split_mp[s] taking split_len[s] bytes. */
	bool split;
	uint16_t split_off[MLX5X_RQ_MAX_SEGS];
	uint32_t split_len[MLX5X_RQ_MAX_SEGS];
	struct rte_mempool *split_mp[MLX5X_RQ_MAX_SEGS];
	struct rte_mbuf **melts;        /* [wqe * sges + seg] in split mode */
	struct mlx5x_mr_cache split_mrc[MLX5X_RQ_MAX_SEGS];
	/* MPRQ */
	uint32_t log_strides;
	uint32_t log_stride_size;
	uint32_t strd_pkts;             /* packets of the WQE in progress */
	uint32_t strd_pos;              /* next stride of that WQE */
	struct rte_mempool *mb_pool;    /* MPRQ: mbufs for the strides */
	/* CQE decompression in progress */
	struct {
		uint32_t n;                 /* mini CQEs in the session */
		uint32_t i;                 /* next one to deliver */
		uint32_t title_ci;          /* CQ index of the title */
		struct mlx5_cqe64 title;
	} zip;
	/* Bursts entered and left (odd inside one): a queue restart waits
	 * it out after raising alt (mlx5x_rxq_restart.c). */
	uint32_t burst_seq;
	uint8_t alt;                    /* MLX5X_RXQ_ALT_*: not the plain path */
	/* Devmem: the binding's per-queue state, and the payload pool whose
	 * pages are chunks of the bound region (segment 1 of each WQE). */
	struct mlx5x_dm_queue *dmq;
	struct pp_pool *pay;
	/* Native XDP: the program (NULL: none), swapped under xdp_seq, odd
	 * while a burst runs it (mlx5x_xdp.c). */
	struct mlx5x_xdp_prog *xdp;
	uint32_t xdp_seq;
	unsigned int lcore;             /* the polling lcore: per-CPU maps */
	int meta_off;                   /* mbuf dynfield: XDP metadata length */
	/* ---- counters ---- */
	uint64_t packets;
	uint64_t bytes;
	uint64_t nombuf;                /* no page to repost: frame dropped */
	uint64_t cqe_errors;
	uint64_t csum_bad;
	uint64_t zip_sessions;
	uint64_t dm_splits;             /* devmem: header + payload chunk */
	uint64_t dm_fallback;           /* devmem: not split, all in host */
	uint64_t dm_chunks;             /* devmem: chunks handed to the app */
	uint64_t dm_hdr_bytes;
	uint64_t dm_pay_bytes;
	bool running;
	bool fail_next_start;           /* fault injection (restart test) */
	uint32_t mem_gen;               /* queue memory generation (names) */
	bool started_by_dev;            /* not deferred-start */
	uint16_t nb_desc;
	unsigned int socket;
	struct rte_eth_dev *dev;
	const struct rte_memzone *mz;
	/* ---- native XDP, colder ---- */
	struct mlx5x_xdp_stats xst;
	struct mlx5x_xdpsq *xsq[RTE_MAX_ETHPORTS]; /* by host port */
	struct mlx5x_xdpsq *xsq_list[RTE_MAX_ETHPORTS];
	uint16_t nxsq;
	uint64_t abort_tsc;             /* last ABORTED logged */
};

struct mlx5x_tx_elt {
	struct rte_mbuf *m;
	uint16_t nbb;                   /* WQEBBs of the WQE starting here */
	uint16_t zc;                    /* a segment of it is in a devmem
					 * region: notify on completion */
};

struct mlx5x_txq {
	/* ---- hot ---- */
	uint8_t *wqes;
	uint32_t log_n;                 /* WQEBBs */
	uint32_t wqe_ci;                /* producer, WQEBBs */
	uint32_t wqe_tail;              /* first WQEBB not completed */
	volatile rte_be32_t *db;
	volatile uint64_t *bf_reg;
	volatile struct mlx5_cqe64 *cqes;
	uint32_t cq_ci;
	uint32_t log_cqe_n;
	volatile rte_be32_t *cq_db;
	struct mlx5x_tx_elt *elts;      /* by WQEBB index */
	uint32_t comp_every;
	uint32_t since_comp;
	uint32_t sqn;
	struct mlx5x_emu *emu;
	bool inline_dev;
	uint64_t offloads;
	struct mlx5x_mr_cache mrc[8];
	uint32_t mrc_next;
	uint64_t dm_flag;               /* ol_flags bit of devmem segments */
	/* ---- counters ---- */
	uint64_t packets;
	uint64_t bytes;
	uint64_t cqe_errors;
	uint64_t mr_miss;
	uint64_t bad;                   /* runt/oversized: freed, not sent */
	uint64_t full;                  /* bursts cut short: no room */
	bool running;
	uint16_t idx;
	uint16_t nb_desc;
	unsigned int socket;
	struct rte_eth_dev *dev;
	const struct rte_memzone *mz;
};

struct rte_flow {
	TAILQ_ENTRY(rte_flow) next;
	struct mlx5x_flow_rule rule;
};

struct mlx5x_priv {
	struct mlx5x_emu emu;           /* the device this port drives */
	struct mlx5x_devargs da;
	struct rte_eth_dev *dev;
	uint16_t port_id;
	struct rte_ether_addr mac;
	uint16_t reta[MLX5X_RETA_SIZE];
	uint8_t rss_key[MLX5X_RSS_KEY_LEN];
	uint64_t rss_hf;
	TAILQ_HEAD(, rte_flow) flows;
	bool started;
	/* native XDP from the xdp= devarg (mlx5x_xdp.c) */
	struct xdpc_obj *xdp_obj;
	struct xdpc_prog *xdp_prog;
	/* xstats reset baseline */
	uint64_t *xstats_base;
	unsigned int xstats_n;
};

/* The 8 bytes of rte_mbuf that DPDK drivers rewrite in one store on
 * receive: data_off, refcnt, nb_segs, port. */
static inline uint64_t *
mlx5x_mbuf_rearm(struct rte_mbuf *m)
{
	return (uint64_t *)((char *)m + offsetof(struct rte_mbuf, rearm_data));
}

static inline struct mlx5x_priv *
mlx5x_priv(struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

/* The private data of an mlx5x port, or NULL (mlx5x_ethdev.c). */
struct mlx5x_priv *mlx5x_port_priv(uint16_t port);

#define MLX5X_RXQ_ALT_PAUSE 0x1      /* restarting: bursts return 0 */
#define MLX5X_RXQ_ALT_DEVMEM 0x2     /* header/data split queue */

/* Devmem (mlx5x_devmem.c, mlx5x_rx_devmem.c, mlx5x_rxq_restart.c) */
uint16_t mlx5x_rx_burst_devmem(struct mlx5x_rxq *rxq, struct rte_mbuf **pkts,
			       uint16_t n);
void mlx5x_devmem_port_close(uint16_t port);
void mlx5x_devmem_tx_done(struct rte_mbuf **m, unsigned int n);
uint64_t mlx5x_devmem_dyn_flag(void);

/* Native XDP (mlx5x_xdp.c, mlx5x_rx_xdp.c) */
uint16_t mlx5x_rx_burst_xdp(struct mlx5x_rxq *rxq, struct rte_mbuf **pkts,
			    uint16_t n);
uint16_t mlx5x_rx_burst_mbuf(struct mlx5x_rxq *rxq, struct rte_mbuf **pkts,
			     uint16_t n);
int mlx5x_xdp_devargs_load(struct mlx5x_priv *priv);
int mlx5x_xdp_rxq_setup(struct rte_eth_dev *dev, struct mlx5x_rxq *rxq);
void mlx5x_xdp_rxq_stop(struct mlx5x_rxq *rxq);
void mlx5x_xdp_rxq_release(struct mlx5x_rxq *rxq);
void mlx5x_xdp_dev_close(struct mlx5x_priv *priv);

/* RX queues (mlx5x_rxq.c, mlx5x_rx.c) */
int mlx5x_rx_queue_setup(struct rte_eth_dev *dev, uint16_t idx, uint16_t desc,
			 unsigned int socket, const struct rte_eth_rxconf *conf,
			 struct rte_mempool *mp);
void mlx5x_rx_queue_release(struct rte_eth_dev *dev, uint16_t idx);
int mlx5x_rx_queue_start(struct rte_eth_dev *dev, uint16_t idx);
int mlx5x_rx_queue_stop(struct rte_eth_dev *dev, uint16_t idx);
uint16_t mlx5x_rx_burst(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t mlx5x_rx_burst_mprq(void *rxq, struct rte_mbuf **pkts, uint16_t n);
int mlx5x_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t idx,
			    struct rte_eth_burst_mode *mode);
int mlx5x_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t idx,
			    struct rte_eth_burst_mode *mode);
void mlx5x_rxq_info_get(struct rte_eth_dev *dev, uint16_t idx,
			struct rte_eth_rxq_info *qinfo);

/* TX queues (mlx5x_txq.c, mlx5x_tx.c) */
int mlx5x_tx_queue_setup(struct rte_eth_dev *dev, uint16_t idx, uint16_t desc,
			 unsigned int socket, const struct rte_eth_txconf *conf);
void mlx5x_tx_queue_release(struct rte_eth_dev *dev, uint16_t idx);
int mlx5x_tx_queue_start(struct rte_eth_dev *dev, uint16_t idx);
int mlx5x_tx_queue_stop(struct rte_eth_dev *dev, uint16_t idx);
uint16_t mlx5x_tx_burst(void *txq, struct rte_mbuf **pkts, uint16_t n);
void mlx5x_txq_complete(struct mlx5x_txq *txq);
void mlx5x_txq_drain(struct mlx5x_txq *txq);
void mlx5x_txq_info_get(struct rte_eth_dev *dev, uint16_t idx,
			struct rte_eth_txq_info *qinfo);
uint32_t mlx5x_tx_mr_lookup_slow(struct mlx5x_txq *txq, struct rte_mbuf *m,
				 uintptr_t addr, uint32_t len);

/* Stats (mlx5x_stats.c) */
int mlx5x_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st);
int mlx5x_stats_reset(struct rte_eth_dev *dev);
int mlx5x_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		     unsigned int n);
int mlx5x_xstats_get_names(struct rte_eth_dev *dev,
			   struct rte_eth_xstat_name *names, unsigned int n);
int mlx5x_xstats_reset(struct rte_eth_dev *dev);

/* rte_flow (mlx5x_flow.c) */
extern const struct rte_flow_ops mlx5x_flow_ops;
void mlx5x_flow_flush_all(struct rte_eth_dev *dev);

/* MR registration helpers (mlx5x_rxq.c): pagepool chunks, and whole
 * mempools (TX MR cache misses, buffer-split pools). */
uint32_t mlx5x_mr_reg_cb(void *emu, void *addr, rte_iova_t iova, size_t len);
int mlx5x_mr_reg_mempool(struct mlx5x_emu *emu, struct rte_mempool *mp);
uint32_t mlx5x_rx_split_lkey(struct mlx5x_rxq *rxq, uint32_t seg,
			     rte_iova_t iova);

#endif
