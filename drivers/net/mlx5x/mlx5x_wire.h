/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wires: what sits at the far end of the emulated cable. The device model
 * pulls received frames from its wire and pushes transmitted frames into
 * it. A wire never sees WQEs or CQEs, only whole frames.
 */
#ifndef MLX5X_WIRE_H
#define MLX5X_WIRE_H

#include <stdint.h>

struct mlx5x_devargs;
struct mlx5x_wire;

/* A frame offered by a wire. flow is a stable small id of the frame's
 * template when the wire has one (gen), else MLX5X_FLOW_NONE; the device
 * may cache per-template parse results under it. */
#define MLX5X_FLOW_NONE UINT32_MAX
struct mlx5x_frame {
	const uint8_t *data;
	uint32_t len;
	uint32_t flow;
};

struct mlx5x_wire_stats {
	uint64_t rx_frames;   /* frames the wire handed to the device */
	uint64_t rx_bytes;
	uint64_t tx_frames;   /* frames the device handed to the wire */
	uint64_t tx_bytes;
	uint64_t tx_dropped;  /* the far end refused (full, closed) */
	uint64_t rx_dropped;  /* the wire discarded before the device */
	/* iface: what the kernel's offloads left for the cable to finish */
	uint64_t rx_csum_completed;
	uint64_t rx_gso_frames;
	uint64_t rx_gso_segments;
};

struct mlx5x_wire_ops {
	const char *name;
	int (*open)(struct mlx5x_wire *w, const struct mlx5x_devargs *da);
	/* Peek up to n frames; they stay valid until rx_release(). */
	unsigned int (*rx_peek)(struct mlx5x_wire *w, struct mlx5x_frame *f,
				unsigned int n);
	/* The device consumed the first n peeked frames. */
	void (*rx_release)(struct mlx5x_wire *w, unsigned int n);
	/* Send n frames; returns how many the far end took. */
	unsigned int (*tx)(struct mlx5x_wire *w, const struct mlx5x_frame *f,
			   unsigned int n);
	void (*close)(struct mlx5x_wire *w);
};

struct mlx5x_wire {
	const struct mlx5x_wire_ops *ops;
	struct mlx5x_emu *emu;      /* the device this wire is plugged into */
	struct mlx5x_wire_stats st; /* written by the device thread only */
	void *priv;
};

extern const struct mlx5x_wire_ops mlx5x_wire_gen;
extern const struct mlx5x_wire_ops mlx5x_wire_pcap;
extern const struct mlx5x_wire_ops mlx5x_wire_iface;
extern const struct mlx5x_wire_ops mlx5x_wire_peer;
extern const struct mlx5x_wire_ops mlx5x_wire_loop;

/* Largest frame any wire carries (jumbo, with VLAN). */
#define MLX5X_WIRE_MAX_FRAME 9238u

#endif
