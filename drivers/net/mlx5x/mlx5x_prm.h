/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The queue contract between the mlx5x driver and the device model, in
 * ConnectX PRM terms, on rdma-core's <infiniband/mlx5dv.h> structs: CQE64
 * accessors (including the PRM fields mlx5dv.h leaves reserved), mini-CQE
 * arrays, WQE segment layout and owner-bit arithmetic. Both sides include
 * it; nothing here knows which side it is on.
 */
#ifndef MLX5X_PRM_H
#define MLX5X_PRM_H

#include <stddef.h>
#include <stdint.h>

#include <infiniband/mlx5dv.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_io.h>

/* Receive WQE: cyclic RQ entries are arrays of data segments. */
#define MLX5X_RQ_MAX_SEGS 8

/* Send WQE building block and segment size. */
#define MLX5X_WQEBB MLX5_SEND_WQE_BB
#define MLX5X_WSEG 16u
/* Bytes inlined in the Ethernet segment: L2 header plus a VLAN tag. */
#define MLX5X_ESEG_INLINE 18u

/* CQE opcodes as the hardware writes them. */
#define MLX5X_CQE_FMT_NORMAL 0
#define MLX5X_CQE_FMT_COMPRESSED 3

/* An unwritten CQE: invalid opcode, owner bit set. */
#define MLX5X_CQE_INVALIDATE ((MLX5_CQE_INVALID << 4) | MLX5_CQE_OWNER_MASK)

/* PRM L4 header types in l4_hdr_type_etc[6:4]. */
enum {
	MLX5X_L4_NONE = 0,
	MLX5X_L4_TCP = 1,
	MLX5X_L4_UDP = 2,
	MLX5X_L4_TCP_EMPTY_ACK = 3,
	MLX5X_L4_TCP_ACK = 4,
};
/* l4_hdr_type_etc[0]: a VLAN tag was present (and stripped if asked). */
#define MLX5X_CQE_VLAN_STRIPPED 0x1
/* l4_hdr_type_etc[1]: L3 tunnel / IP fragment marker, PRM "ip_frag". */
#define MLX5X_CQE_IP_FRAG 0x2

/* Syndromes beyond the two mlx5dv.h names. */
#define MLX5X_SYND_LOCAL_LENGTH_ERR 0x01

/*
 * PRM CQE64 fields that mlx5dv.h folds into reserved bytes. Offsets from
 * the PRM (and DPDK's struct mlx5_cqe): pkt_info 0, rx_hash_res 12,
 * rx_hash_type 16, checksum 20, stride_idx 4 (MPRQ; inside rsvd4).
 */
#define MLX5X_CQE_OFF_PKT_INFO 0
#define MLX5X_CQE_OFF_STRIDE_IDX 4
#define MLX5X_CQE_OFF_HASH_RES 12
#define MLX5X_CQE_OFF_HASH_TYPE 16
#define MLX5X_CQE_OFF_CSUM 20
/*
 * Header/data split (devmem queues): the header length (be16) at 36 and
 * its flags at 38, in the immediate-data field a receive CQE of an RQ
 * leaves unused. byte_cnt stays the whole frame; the payload, if any, is
 * byte_cnt - header length in the WQE's second data segment. Compression
 * is off for such queues (a mini CQE has no room for the split).
 */
#define MLX5X_CQE_OFF_HDS_LEN 36
#define MLX5X_CQE_OFF_HDS_FLAGS 38
#define MLX5X_CQE_HDS_SPLIT 0x1     /* payload in the second segment */
#define MLX5X_CQE_HDS_FALLBACK 0x2  /* could not split: all in the first */

static_assert(sizeof(struct mlx5_cqe64) == 64, "CQE64 size");
static_assert(offsetof(struct mlx5_cqe64, byte_cnt) == 44, "byte_cnt");
static_assert(offsetof(struct mlx5_cqe64, sop_drop_qpn) == 56, "flow tag");
static_assert(offsetof(struct mlx5_cqe64, wqe_counter) == 60, "wqe_counter");
static_assert(offsetof(struct mlx5_cqe64, op_own) == 63, "op_own");
static_assert(offsetof(struct mlx5_cqe64, hds_ip_ext) == 28, "csum flags");
static_assert(sizeof(struct mlx5_wqe_ctrl_seg) == 16, "ctrl seg");
static_assert(sizeof(struct mlx5_wqe_eth_seg) == 32, "eth seg");
static_assert(sizeof(struct mlx5_wqe_data_seg) == 16, "data seg");

#define MLX5X_CQE_U8(c, off) (((volatile uint8_t *)(c))[off])
#define MLX5X_CQE_P16(c, off) ((volatile rte_be16_t *)((volatile uint8_t *)(c) + (off)))
#define MLX5X_CQE_P32(c, off) ((volatile rte_be32_t *)((volatile uint8_t *)(c) + (off)))

/* Flow tag (rte_flow MARK) in sop_drop_qpn[23:0]; 0 = none. */
#define MLX5X_FLOW_TAG_MASK 0xffffffu
/* The PMD reports MARK m as flow tag m + 1 so that mark 0 is usable. */

/*
 * Mini CQE (8 bytes), 8 per CQE slot, in the hash or checksum format
 * (mlx5dv_cqe_comp_res_format). mlx5dv.h names the formats, not the struct.
 */
struct mlx5x_mini_cqe8 {
	union {
		rte_be32_t rx_hash_result;  /* hash format */
		struct {
			rte_be16_t checksum; /* checksum format */
			rte_be16_t stride_idx;
		};
	};
	rte_be32_t byte_cnt;
};
static_assert(sizeof(struct mlx5x_mini_cqe8) == 8, "mini CQE");
#define MLX5X_MINI_PER_CQE 8

/*
 * CQE compression session, as both sides lay it out: a title CQE in the
 * compressed format (op_own format bits = 3), whose byte_cnt holds the
 * number of mini CQEs N and whose wqe_counter is the first packet's, and
 * whose other fields (packet type, flow tag, checksum flags) hold for
 * every packet of the session; then ceil(N / 8) slots of mini-CQE arrays.
 * Packet k of the session consumed WQE wqe_counter + k (cyclic RQ) or the
 * stride in its mini CQE (MPRQ). The device writes the arrays before the
 * title's owner byte; the driver stamps the array slots invalid once read.
 */
#define MLX5X_COMP_MAX_MINI 64

/* Owner bit a CQE at consumer index ci must carry to be the device's. */
static inline uint8_t
mlx5x_cqe_owner(uint32_t ci, unsigned int log_n)
{
	return (ci >> log_n) & 1;
}

/* Does the CQE at index ci (ring of 2^log_n) hold a fresh completion? */
static inline int
mlx5x_cqe_ready(const volatile struct mlx5_cqe64 *cqe, uint32_t ci,
		unsigned int log_n)
{
	uint8_t op_own = cqe->op_own;

	return (op_own & MLX5_CQE_OWNER_MASK) == mlx5x_cqe_owner(ci, log_n) &&
	       (op_own >> 4) != MLX5_CQE_INVALID;
}

/* Ring an SQ's doorbell after posting up to WQEBB counter @pi: the
 * doorbell record (after the WQEs are visible), then the first 8 bytes of
 * the last WQE's control segment into the doorbell register, whose
 * completion flag the caller has set. */
static inline void
mlx5x_sq_doorbell(volatile rte_be32_t *db, volatile uint64_t *bf_reg,
		  uint32_t pi, const struct mlx5_wqe_ctrl_seg *last)
{
	rte_io_wmb();
	*db = rte_cpu_to_be_32(pi);
	rte_wmb();
	*bf_reg = *(const volatile uint64_t *)last;
}

/* Multi-packet (striding) RQ WQE: next-segment header plus one data
 * segment spanning all strides, as struct mlx5_mprq_wqe. */
static_assert(sizeof(struct mlx5_mprq_wqe) == 32, "MPRQ WQE");
/* MPRQ CQE: stride index at MLX5X_CQE_OFF_STRIDE_IDX (be16), number of
 * strides consumed in byte_cnt[29:16], length in byte_cnt[15:0], and
 * byte_cnt[31] set when the WQE is exhausted (filler / last). */
#define MLX5X_MPRQ_LEN_MASK 0xffffu
#define MLX5X_MPRQ_STRIDES_SHIFT 16
#define MLX5X_MPRQ_STRIDES_MASK 0x3fffu
#define MLX5X_MPRQ_FILLER (1u << 31)

#endif
