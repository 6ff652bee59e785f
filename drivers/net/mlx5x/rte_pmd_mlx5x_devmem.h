/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devmem header/payload split on net_mlx5x (see doc/devmem.md).
 *
 * A region of device memory (a dma-buf, a memfd standing in for one, or
 * a registered virtual address range) is bound to RX queues. Each frame
 * those queues receive is split by the device: the headers land in a
 * host mbuf, the payload in a chunk of the region. The application gets
 * a two-segment mbuf whose second segment is unreadable (buf_addr NULL)
 * and describes the payload (binding, offset, length, token); it returns
 * the token when done with the payload, which frees the chunk.
 */
#ifndef RTE_PMD_MLX5X_DEVMEM_H
#define RTE_PMD_MLX5X_DEVMEM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;

/** Region types. */
enum rte_pmd_mlx5x_devmem_type {
	/** An fd (dma-buf, memfd) with offset and length. */
	RTE_PMD_MLX5X_DEVMEM_FD = 1,
	/** A virtual address range the caller keeps mapped while bound. */
	RTE_PMD_MLX5X_DEVMEM_VA = 2,
	/** GPU memory from rte_pmd_mlx5x_devmem_cuda_alloc() (va is the
	 * CUdeviceptr, fd its dma-buf). */
	RTE_PMD_MLX5X_DEVMEM_CUDA = 3,
};

struct rte_pmd_mlx5x_devmem_region {
	int type;          /**< enum rte_pmd_mlx5x_devmem_type */
	int fd;            /**< FD: the fd (the binding maps it) */
	uint64_t offset;   /**< FD: page-aligned offset in the fd */
	uint64_t len;      /**< bytes */
	void *va;          /**< VA: start, 64-byte aligned; CUDA: device ptr */
	int gpu;           /**< CUDA: device ordinal */
};

/**
 * CUDA (in builds made with the CUDA toolkit; needs the NVIDIA driver at
 * run time): allocate @p len bytes (a multiple of the page size) on GPU
 * @p gpu with cuMemAlloc and export them as a dma-buf with
 * cuMemGetHandleForAddressRange; fills @p r for bind. Payloads of bound
 * queues reach the GPU memory: on the emulated device through a batch of
 * copies per receive burst, on a real ConnectX by DMA (F_VERBS).
 * 0, -EINVAL, -ENOTSUP (built without CUDA), -ENODEV (no driver or GPU,
 * logged), -ENOMEM.
 */
int rte_pmd_mlx5x_devmem_cuda_alloc(int gpu, uint64_t len,
				    struct rte_pmd_mlx5x_devmem_region *r);

/** Free what rte_pmd_mlx5x_devmem_cuda_alloc() made (unbind first). */
void rte_pmd_mlx5x_devmem_cuda_free(struct rte_pmd_mlx5x_devmem_region *r);

/** Where frames are split. */
enum rte_pmd_mlx5x_devmem_split {
	/** After the TCP or UDP header, over IPv4 or IPv6 (default);
	 * frames without one land whole in host memory (a fallback). */
	RTE_PMD_MLX5X_DEVMEM_SPLIT_L4 = 0,
	/** After split_len bytes. */
	RTE_PMD_MLX5X_DEVMEM_SPLIT_FIXED = 1,
};

/** Also register the region with the first RDMA device (rdma-core:
 * ibv_reg_dmabuf_mr, or ibv_reg_mr for a VA range), as a real
 * ConnectX needs; bind fails with -ENODEV when there is none. */
#define RTE_PMD_MLX5X_DEVMEM_F_VERBS 0x1

struct rte_pmd_mlx5x_devmem_conf {
	uint32_t split;      /**< enum rte_pmd_mlx5x_devmem_split */
	uint32_t split_len;  /**< FIXED: header bytes, 14..1024 */
	uint32_t chunk_size; /**< payload chunk, power of two 2K..64K; 0: 4K */
	uint32_t flags;      /**< RTE_PMD_MLX5X_DEVMEM_F_* */
};

/**
 * Bind @p region to RX queues @p queues[0..nq) of @p port (nq 0: a
 * binding for TX only). Each queue is restarted on new memory (header
 * pool + a slice of the region) while the other queues carry traffic;
 * if a restart fails, the queues already moved go back and the error is
 * returned. @p conf may be NULL (L4 split, 4 KiB chunks).
 *
 * @p handle (may be NULL) receives an fd owned by the caller: closing it
 * unbinds, as closing the netlink socket does in Linux.
 *
 * Returns the binding id (> 0) or -EINVAL (bad port, queue, region or
 * conf; logged with which), -EBUSY (a queue is bound already), -ENODEV
 * (F_VERBS without an RDMA device), -ENOMEM, -EIO (restart failed).
 */
int rte_pmd_mlx5x_devmem_bind(uint16_t port, const uint16_t *queues,
			      uint16_t nq,
			      const struct rte_pmd_mlx5x_devmem_region *region,
			      const struct rte_pmd_mlx5x_devmem_conf *conf,
			      int *handle);

/**
 * Unbind: the queues are restarted on host memory, every chunk the
 * application still holds is reclaimed (its token becomes invalid) and
 * the region is unmapped. Returns the number of chunks reclaimed (>= 0,
 * each one logged as a leak), or -ENOENT.
 */
int rte_pmd_mlx5x_devmem_unbind(uint32_t binding);

/** The payload of one unreadable segment (like struct dmabuf_cmsg). */
struct rte_pmd_mlx5x_devmem_frag {
	uint32_t binding;
	uint32_t token;     /**< give back with ..._tokens_return() */
	uint64_t offset;    /**< in the region */
	uint32_t len;
};

/** Is @p seg (one segment) an unreadable devmem segment? */
int rte_pmd_mlx5x_devmem_unreadable(const struct rte_mbuf *seg);

/**
 * The frag descriptors of the unreadable segments of packet @p m, up to
 * @p n. Returns how many the packet has (may exceed @p n).
 */
int rte_pmd_mlx5x_devmem_frags(const struct rte_mbuf *m,
			       struct rte_pmd_mlx5x_devmem_frag *f,
			       unsigned int n);

/**
 * Give payload chunks back (like SO_DEVMEM_DONTNEED), from any thread.
 * Freeing the mbuf does not; this does. Returns the number freed;
 * tokens not held (returned twice, or reclaimed by an unbind) are
 * skipped and counted in bad_tokens. -ENOENT: no such binding.
 */
int rte_pmd_mlx5x_devmem_tokens_return(uint32_t binding,
				       const uint32_t *tokens,
				       unsigned int n);

struct rte_pmd_mlx5x_devmem_stats {
	uint64_t bound_queues;
	uint64_t chunks;           /**< chunks the region holds */
	uint64_t chunks_in_flight; /**< handed out, not returned */
	uint64_t chunks_delivered;
	uint64_t chunks_returned;
	uint64_t splits;           /**< frames split header + payload */
	uint64_t fallback;         /**< frames that landed whole in host */
	uint64_t header_bytes;     /**< host memory written by receive */
	uint64_t payload_bytes;    /**< region memory written by receive */
	uint64_t bad_tokens;
	uint64_t tx_segs;          /**< TX segments made */
	uint64_t tx_notified;      /**< TX segments completed and notified */
	uint64_t tx_notif_dropped; /**< completed, but the notification ring
				    *   was full: never notified */
};

/** Counters of a binding. 0 or -ENOENT. */
int rte_pmd_mlx5x_devmem_stats_get(uint32_t binding,
				   struct rte_pmd_mlx5x_devmem_stats *st);

/**
 * Zero-copy TX from the region: an unreadable segment of @p len bytes at
 * @p offset, to chain after a header mbuf and send on any queue of the
 * binding's port. Its send sequence number goes to @p seq. NULL with
 * rte_errno ENOENT, ERANGE (outside the region) or ENOMEM.
 */
struct rte_mbuf *rte_pmd_mlx5x_devmem_tx_seg(uint32_t binding,
					     uint64_t offset, uint32_t len,
					     uint32_t *seq);

/** Sends [lo, hi] (sequence numbers, inclusive) are complete: the device
 * no longer reads their region bytes. */
struct rte_pmd_mlx5x_devmem_notif {
	uint32_t lo, hi;
};

/**
 * Completion notifications of zero-copy sends, batched: consecutive
 * sends completed together come as one range. Returns how many were
 * read (0..n), or -ENOENT.
 */
int rte_pmd_mlx5x_devmem_tx_notif(uint32_t binding,
				  struct rte_pmd_mlx5x_devmem_notif *nt,
				  unsigned int n);

/**
 * Fault injection, for testing queue restart: the next start of RX queue
 * @p queue of @p port fails after its buffers are posted, as a failed
 * device command would. 0 or -EINVAL.
 */
int rte_pmd_mlx5x_inject_restart_fault(uint16_t port, uint16_t queue);

#ifdef __cplusplus
}
#endif
#endif
