/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Public API of the mlx5x PMD (net_mlx5x) beyond ethdev. Everything else a
 * user needs goes through the standard ethdev, rte_flow and xstats calls.
 */
#ifndef RTE_PMD_MLX5X_H
#define RTE_PMD_MLX5X_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Counters of the far end of the emulated cable (the wire). */
struct rte_pmd_mlx5x_wire_stats {
	uint64_t rx_frames;  /**< Frames the wire offered (gen: sent). */
	uint64_t rx_bytes;
	uint64_t tx_frames;  /**< Frames the port put on the wire. */
	uint64_t tx_bytes;
	uint64_t tx_dropped; /**< Frames the far end did not take. */
};

/** 1 if @p port is an mlx5x port, else 0. */
int rte_pmd_mlx5x_is_mlx5x(uint16_t port);

/** Read the wire counters of @p port. 0 or -EINVAL. */
int rte_pmd_mlx5x_wire_stats(uint16_t port,
			     struct rte_pmd_mlx5x_wire_stats *st);

/**
 * Run one device-model step now (transmit what is posted, receive what
 * the wire has). Useful with dev_mode=inline when nothing polls RX.
 * Returns the work done, or -EINVAL.
 */
int rte_pmd_mlx5x_device_step(uint16_t port);

/**
 * Fault injection, for testing recovery: corrupt the lkey of the next RX
 * WQE the device will consume on @p queue, as a driver bug would. The
 * device answers with a local protection error CQE and flushes the queue;
 * the driver must recover. Cyclic RQ only. 0 or -EINVAL.
 */
int rte_pmd_mlx5x_inject_rx_fault(uint16_t port, uint16_t queue);

/*
 * Native XDP: the program runs inside the RX burst on the receive page,
 * before any mbuf exists (see doc/mlx5x.md). Programs come from
 * lib/xdp_compat (xdpc_obj_open, xdpc_obj_load, xdpc_obj_prog); the
 * devargs xdp=FILE.o[,xdp_prog=NAME] do the same for an unmodified app.
 */
struct xdpc_prog;

/** Every RX queue of the port (and queues set up later). */
#define RTE_PMD_MLX5X_ALL_QUEUES UINT16_MAX

/**
 * Attach @p prog to RX queue @p queue of @p port (or all of them), or
 * replace the program there, while traffic flows: each queue switches
 * between two bursts, and when this returns no burst still runs the
 * previous program (the caller may free it). The queue must be a cyclic
 * RQ (not mprq=1, not buffer split); a queue that scatters frames over
 * several pages needs an xdp.frags program. 0, -EINVAL (bad port, queue
 * or program, with a log line saying which) or -ENOTSUP.
 */
int rte_pmd_mlx5x_xdp_attach(uint16_t port, uint16_t queue,
			     struct xdpc_prog *prog);

/** Detach the program of @p queue (or all). Same quiescence as attach. */
int rte_pmd_mlx5x_xdp_detach(uint16_t port, uint16_t queue);

/**
 * Native XDP counters; every frame a program ran on is in exactly one of
 * drop, pass, tx, redirect, aborted, tx_errors, redirect_errors.
 */
struct rte_pmd_mlx5x_xdp_stats {
	uint64_t rx;              /**< Frames the program ran on. */
	uint64_t drop;
	uint64_t pass;
	uint64_t tx;              /**< Posted on the queue's XDP send queue. */
	uint64_t redirect;        /**< Handed to their target. */
	uint64_t aborted;         /**< XDP_ABORTED, faults, invalid verdicts. */
	uint64_t tx_errors;       /**< XDP_TX with no room to send. */
	uint64_t redirect_errors; /**< No such target, or it refused. */
	uint64_t mbufs;           /**< mbufs made (PASS and mbuf targets). */
};

/** Counters of @p queue, or summed over all. 0 or -EINVAL. */
int rte_pmd_mlx5x_xdp_stats_get(uint16_t port, uint16_t queue,
				struct rte_pmd_mlx5x_xdp_stats *st);

/** Name of the mbuf dynfield holding the XDP metadata length (uint8_t). */
#define RTE_PMD_MLX5X_XDP_META_DYNFIELD "rte_pmd_mlx5x_dynfield_xdp_meta_len"

struct rte_mbuf;
/**
 * The metadata an XDP program left before the data of a PASS mbuf
 * (bpf_xdp_adjust_meta): its address, with its length in @p len (0 and
 * NULL when there is none).
 */
const void *rte_pmd_mlx5x_xdp_meta(const struct rte_mbuf *m, uint32_t *len);

#ifdef __cplusplus
}
#endif
#endif
