/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The device model (emulation layer): the hardware side of the PRM queue
 * contract. It owns the memory registration table, the device's view of
 * each RQ, SQ and CQ, receive-side classification (parsing, checksums,
 * Toeplitz RSS through the RETA, rte_flow steering) and the wire. The
 * driver talks to it only through WQEs, doorbell records, CQEs and the
 * control calls declared here, which stand in for firmware commands.
 */
#ifndef MLX5X_EMU_H
#define MLX5X_EMU_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

#include "mlx5x_prm.h"
#include "mlx5x_wire.h"

#define MLX5X_MAX_QUEUES 16
/* XDP send queues a device hosts (XDP_TX and redirect from any RX queue
 * of any port), after the ethdev SQs in its SQ table. */
#define MLX5X_MAX_XDPSQ 48
#define MLX5X_MAX_SQ (MLX5X_MAX_QUEUES + MLX5X_MAX_XDPSQ)
#define MLX5X_RETA_SIZE 512
#define MLX5X_RSS_KEY_LEN 40
#define MLX5X_MR_MAX 1024
#define MLX5X_MAX_FLOWS 256

/* ---- Memory registration: lkey -> (iova range, CPU mapping) ----
 * One table for every port of the process, as one protection domain on
 * one HCA: a page of port A's pool can be sent by port B (XDP redirect)
 * with the lkey it was registered under. Entries are tagged with the
 * device that registered them; lookups for reuse see only the caller's
 * own, and a device's entries go when it does. */
struct mlx5x_emu;

struct mlx5x_mr {
	rte_iova_t iova;
	uint64_t len;
	uint8_t *va;
	const struct mlx5x_emu *owner;
	uint32_t lkey;      /* 0: free entry */
};

struct mlx5x_mr_table {
	rte_spinlock_t lock;  /* registration only; lookups are lock-free */
	uint32_t n;
	struct mlx5x_mr ent[MLX5X_MR_MAX];
};

extern struct mlx5x_mr_table mlx5x_mr_global;

/* Register [va, va+len) at iova for @emu; returns the lkey, or 0 (table
 * full). */
uint32_t mlx5x_mr_reg(const struct mlx5x_emu *emu, void *va, rte_iova_t iova,
		      uint64_t len);
/* Drop one registration of @emu. */
void mlx5x_mr_dereg(const struct mlx5x_emu *emu, uint32_t lkey);
/* Drop every registration of @emu. */
void mlx5x_mr_dereg_all(const struct mlx5x_emu *emu);
/* Find an lkey of @emu covering [iova, iova+len); its range in @mr. */
uint32_t mlx5x_mr_find(const struct mlx5x_emu *emu, rte_iova_t iova,
		       uint64_t len, struct mlx5x_mr *mr);
/* Registrations @emu holds. */
uint32_t mlx5x_mr_count(const struct mlx5x_emu *emu);

/* The DMA check the device makes for every access: returns the CPU
 * address of [iova, iova+len) under lkey, or NULL. */
static inline uint8_t *
mlx5x_mr_dma(uint32_t lkey, rte_iova_t iova, uint32_t len)
{
	const struct mlx5x_mr *mr =
		&mlx5x_mr_global.ent[(lkey >> 8) % MLX5X_MR_MAX];

	if (unlikely(mr->lkey != lkey || lkey == 0 || iova < mr->iova ||
		     iova + len > mr->iova + mr->len || iova + len < iova))
		return NULL;
	return mr->va + (iova - mr->iova);
}

/* ---- Device-side queues ---- */
enum mlx5x_qstate { MLX5X_Q_RST = 0, MLX5X_Q_RDY, MLX5X_Q_ERR };

struct mlx5x_emu_cq {
	volatile struct mlx5_cqe64 *cqes;
	uint32_t log_n;
	uint32_t pi;                      /* device producer index */
	uint32_t room;                    /* free slots last seen */
	volatile rte_be32_t *dbrec;       /* driver's consumer index */
};

struct mlx5x_emu_rq {
	uint32_t state;                   /* enum mlx5x_qstate, atomic */
	uint32_t log_wqe_n;
	uint32_t sges;                    /* data segments per cyclic WQE */
	bool mprq;
	uint32_t log_strides;             /* MPRQ */
	uint32_t log_stride_size;
	void *wqes;
	volatile rte_be32_t *dbrec;       /* driver's posted WQE counter */
	uint32_t posted;                  /* dbrec as last read */
	uint32_t ci;                      /* WQEs consumed */
	uint32_t stride_ci;               /* MPRQ: strides used in WQE ci */
	struct mlx5x_emu_cq cq;
	bool vlan_strip;
	/* header/data split: 0 off, else MLX5X_HDS_* (segment 0 takes the
	 * headers, segment 1 the payload) */
	uint8_t hds;
	uint16_t hds_len;                 /* MLX5X_HDS_FIXED: header bytes */
	/* counters, device thread only */
	uint64_t out_of_buffer;
	uint64_t packets;
	uint64_t bytes;
	uint64_t err_cqes;
	uint64_t comp_sessions;
	uint64_t hds_split;               /* frames split in two */
	uint64_t hds_fallback;            /* no L4 header: all to segment 0 */
	uint64_t hds_host_bytes;          /* bytes written to segment 0 */
	uint64_t hds_dev_bytes;           /* bytes written to segment 1 */
};

enum { MLX5X_HDS_OFF = 0, MLX5X_HDS_L4, MLX5X_HDS_FIXED };

struct mlx5x_emu_sq {
	uint32_t state;
	uint32_t log_n;                   /* WQEBBs */
	uint32_t sqn;
	uint8_t *wqes;
	volatile rte_be32_t *dbrec;       /* driver's producer WQEBB counter */
	uint64_t bf_reg;                  /* doorbell "register" */
	uint32_t ci;                      /* WQEBBs consumed */
	struct mlx5x_emu_cq cq;
	uint64_t packets;
	uint64_t bytes;
	uint64_t err_cqes;
};

/* Result of receive-side classification. */
struct mlx5x_parse {
	uint16_t l3_off, l4_off;
	uint8_t l3;          /* MLX5_CQE_L3_HDR_TYPE_* */
	uint8_t l4;          /* MLX5X_L4_* */
	uint8_t csum_ok;     /* MLX5_CQE_L3_OK | MLX5_CQE_L4_OK */
	uint8_t vlan;        /* a VLAN tag is present */
	uint8_t frag;        /* IP fragment */
	uint8_t hash_type;
	uint16_t vlan_tci;
	uint32_t hash;       /* Toeplitz over the fields rss_hf selects */
};

/* rte_flow rule as the device executes it. */
struct mlx5x_flow_rule {
	uint32_t prio;
	/* match: byte masks over (eth dst/src/type, vlan tci, ip src/dst, proto,
	 * l4 ports); the PMD compiles the pattern into this */
	_Alignas(8) uint8_t key[64];
	_Alignas(8) uint8_t mask[64];
	uint8_t need_l3, need_l4, need_vlan;  /* header presence required */
	/* actions */
	bool drop;
	bool has_queue;
	uint16_t queue;
	bool has_rss;
	uint16_t rss_queues[MLX5X_MAX_QUEUES];
	uint16_t rss_n;
	bool has_mark;
	uint32_t mark;
	uint64_t hits;
};

struct mlx5x_emu_counters {
	uint64_t rx_runt;          /* shorter than an Ethernet header */
	uint64_t rx_oversize;      /* longer than MTU + L2 */
	uint64_t rx_mac_filtered;  /* not for us (promiscuous off) */
	uint64_t rx_flow_drop;     /* rte_flow DROP */
	uint64_t rx_queue_stopped; /* steered to a queue not running */
	uint64_t tx_bad_wqe;       /* malformed send WQEs */
};

enum mlx5x_dev_mode { MLX5X_DEV_THREAD = 0, MLX5X_DEV_INLINE };
struct mlx5x_emu_comp;
struct mlx5x_emu_txb;

struct mlx5x_emu {
	char name[32];
	rte_spinlock_t lock;        /* device step vs control commands */
	struct mlx5x_emu_rq rq[MLX5X_MAX_QUEUES];
	struct mlx5x_emu_sq sq[MLX5X_MAX_SQ];
	uint16_t nb_rq, nb_sq;      /* configured counts */
	void *xsq[MLX5X_MAX_SQ];    /* XDP SQ slots: the driver's queue */
	uint16_t xsq_end;           /* one past the last XDP SQ slot taken */
	/* receive classification */
	uint8_t rss_key[MLX5X_RSS_KEY_LEN];
	uint64_t rss_hf;
	uint16_t reta[MLX5X_RETA_SIZE];
	uint32_t toeplitz[MLX5X_RSS_KEY_LEN - 4][256]; /* per-byte tables */
	uint32_t parse_gen;         /* bumps on key/hf change */
	struct mlx5x_parse *flow_cache; /* per wire template */
	uint32_t *flow_cache_gen;
	uint32_t flow_cache_n;
	struct mlx5x_flow_rule *flows[MLX5X_MAX_FLOWS];
	uint32_t nb_flows;
	uint16_t mtu;
	bool promisc, allmulti;
	uint8_t mac[6];
	bool started;
	/* compression */
	bool cqe_comp;
	bool comp_hash;             /* hash format, else checksum format */
	/* execution */
	enum mlx5x_dev_mode mode;
	int cpu;
	pthread_t thread;
	volatile int thread_run;
	struct mlx5x_wire wire;
	struct mlx5x_emu_counters cnt;
	struct mlx5x_emu_comp *sess;  /* per-RQ compression sessions */
	struct mlx5x_emu_txb *txb;    /* frames gathered for the wire */
	uint32_t burst;             /* frames pulled per step */
};

int mlx5x_emu_init(struct mlx5x_emu *emu, const char *name,
		   const struct mlx5x_devargs *da);
void mlx5x_emu_fini(struct mlx5x_emu *emu);

/* Firmware-style commands (control thread). */
int mlx5x_emu_rq_create(struct mlx5x_emu *emu, uint16_t idx,
			const struct mlx5x_emu_rq *cfg);
int mlx5x_emu_sq_create(struct mlx5x_emu *emu, uint16_t idx,
			const struct mlx5x_emu_sq *cfg);
void mlx5x_emu_rq_modify(struct mlx5x_emu *emu, uint16_t idx,
			 enum mlx5x_qstate st);
void mlx5x_emu_sq_modify(struct mlx5x_emu *emu, uint16_t idx,
			 enum mlx5x_qstate st);
/* XDP send queue slots: a free SQ index (>= MLX5X_MAX_QUEUES) or
 * -ENOSPC; then sq_create/modify/destroy as for any SQ. */
int mlx5x_emu_xsq_alloc(struct mlx5x_emu *emu, void *owner);
void mlx5x_emu_xsq_free(struct mlx5x_emu *emu, uint16_t idx);
void mlx5x_emu_rq_destroy(struct mlx5x_emu *emu, uint16_t idx);
void mlx5x_emu_sq_destroy(struct mlx5x_emu *emu, uint16_t idx);
void mlx5x_emu_set_rss(struct mlx5x_emu *emu, const uint8_t *key,
		       uint64_t hf);
void mlx5x_emu_set_reta(struct mlx5x_emu *emu, const uint16_t *reta);
int mlx5x_emu_start(struct mlx5x_emu *emu);
void mlx5x_emu_stop(struct mlx5x_emu *emu);
int mlx5x_emu_flow_insert(struct mlx5x_emu *emu, struct mlx5x_flow_rule *r);
void mlx5x_emu_flow_remove(struct mlx5x_emu *emu, struct mlx5x_flow_rule *r);

/* One device step: transmit what is posted and, with @rx, receive what
 * the wire has. Returns work done. In inline mode the driver's bursts
 * call it: rx_burst for both, tx_burst (the doorbell) for transmit. */
unsigned int mlx5x_emu_step(struct mlx5x_emu *emu, bool rx);

/* Inline mode: run a step unless another lcore is running one. */
static inline unsigned int
mlx5x_emu_kick(struct mlx5x_emu *emu, bool rx)
{
	unsigned int work;

	if (!rte_spinlock_trylock(&emu->lock))
		return 0;
	work = mlx5x_emu_step(emu, rx);
	rte_spinlock_unlock(&emu->lock);
	return work;
}

/* Receive classification pieces (mlx5x_emu_parse.c). */
void mlx5x_emu_parse(const struct mlx5x_emu *emu, const uint8_t *p,
		     uint32_t len, struct mlx5x_parse *res);
void mlx5x_toeplitz_init(struct mlx5x_emu *emu);
/* Complete the checksums a transmitter left to the device: IPv4 header
 * and/or L4 (TCP, UDP) over IPv4 and IPv6. */
void mlx5x_emu_fill_csum(uint8_t *p, uint32_t len, bool l3, bool l4);
/* Steer: returns queue, sets *mark (0 none) or returns -1 to drop. */
int mlx5x_emu_classify(struct mlx5x_emu *emu, const uint8_t *p,
		       uint32_t len, const struct mlx5x_parse *res,
		       uint32_t *mark);

#endif
