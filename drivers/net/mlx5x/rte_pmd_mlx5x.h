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

#ifdef __cplusplus
}
#endif
#endif
