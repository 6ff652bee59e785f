/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device model engine: executes the queue contract as a ConnectX would.
 * Receive: takes frames from the wire, classifies them, consumes RQ WQEs
 * (cyclic or striding), DMAs through the lkey table and writes CQEs,
 * compressed into mini-CQE arrays when enabled. Transmit: reads SQ WQEs up
 * to the doorbell record, gathers inline data and data segments, applies
 * checksum offload, hands frames to the wire and writes completions where
 * the WQE asks for one. Bad WQEs produce error CQEs and move the queue to
 * the error state, where remaining WQEs are flushed. Runs on its own
 * thread or inline in the driver's bursts.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_prefetch.h>

#include "mlx5x_emu.h"
#include "mlx5x_devargs.h"

extern int mlx5x_logtype;
#define EMU_LOG(l, fmt, ...) \
	rte_log(RTE_LOG_##l, mlx5x_logtype, "mlx5x: %s: " fmt "\n", emu->name, \
		##__VA_ARGS__)

/* ---------------------------------------------------------------- CQ -- */

static inline uint32_t
cq_free(struct mlx5x_emu_cq *cq)
{
	uint32_t ci = rte_be_to_cpu_32(__atomic_load_n(cq->dbrec,
						       __ATOMIC_ACQUIRE));

	cq->room = (1u << cq->log_n) - (cq->pi - ci);
	return cq->room;
}

/* Room for @need more CQEs? Reads the driver's doorbell record only when
 * the last value seen is not enough, as hardware caches it. */
static inline bool
cq_has_room(struct mlx5x_emu_cq *cq, uint32_t need)
{
	return likely(cq->room >= need) || cq_free(cq) >= need;
}

/* WQEs posted beyond the consumer index, re-reading the doorbell record
 * only when the cached value is used up. */
static inline bool
rq_has_wqe(struct mlx5x_emu_rq *rq)
{
	if (likely(rq->ci != rq->posted))
		return true;
	rq->posted = rte_be_to_cpu_32(__atomic_load_n(rq->dbrec,
						      __ATOMIC_ACQUIRE));
	return rq->ci != rq->posted;
}

/* Publish a CQE: the body first, then the last 8 bytes (op_own) with
 * release order, so a driver that sees the owner bit sees the body. */
static inline void
cq_push(struct mlx5x_emu_cq *cq, struct mlx5_cqe64 *c, uint8_t opcode,
	uint8_t fmt)
{
	volatile uint64_t *dst = (volatile uint64_t *)
		&cq->cqes[cq->pi & ((1u << cq->log_n) - 1)];
	const uint64_t *src = (const uint64_t *)c;

	c->op_own = (uint8_t)(opcode << 4 | fmt << 2 |
			      mlx5x_cqe_owner(cq->pi, cq->log_n));
	for (int i = 0; i < 7; i++)
		dst[i] = src[i];
	__atomic_store_n(&dst[7], src[7], __ATOMIC_RELEASE);
	cq->pi++;
	if (cq->room != 0)
		cq->room--;
}

/* A raw slot (mini-CQE array): written before the title that covers it. */
static inline void
cq_push_raw(struct mlx5x_emu_cq *cq, uint32_t at, const void *slot)
{
	volatile struct mlx5_cqe64 *dst =
		&cq->cqes[at & ((1u << cq->log_n) - 1)];

	memcpy((void *)(uintptr_t)dst, slot, 64);
	if (cq->room != 0)
		cq->room--;
}

static void
err_cqe(struct mlx5x_emu_cq *cq, uint8_t opcode, uint8_t synd,
	uint16_t wqe_counter, uint32_t qpn)
{
	struct mlx5_cqe64 c;
	struct mlx5_err_cqe *e = (struct mlx5_err_cqe *)&c;

	memset(&c, 0, sizeof(c));
	e->syndrome = synd;
	e->s_wqe_opcode_qpn = rte_cpu_to_be_32(qpn & 0xffffff);
	e->wqe_counter = rte_cpu_to_be_16(wqe_counter);
	cq_push(cq, &c, opcode, MLX5X_CQE_FMT_NORMAL);
}

/* ---------------------------------------------------------------- RX -- */

/* Pending compression session of one RQ. */
struct mlx5x_emu_comp {
	uint32_t n;
	uint16_t wqe_counter;       /* first packet's WQE */
	struct mlx5_cqe64 title;
	struct mlx5x_mini_cqe8 mini[MLX5X_COMP_MAX_MINI];
};


static void
fill_cqe_rx(struct mlx5_cqe64 *c, const struct mlx5x_parse *res,
	    uint32_t mark, bool vlan_strip)
{
	memset(c, 0, sizeof(*c));
	c->hds_ip_ext = res->csum_ok;
	c->l4_hdr_type_etc = (uint8_t)(res->l4 << 4 | res->l3 << 2 |
		(res->frag ? MLX5X_CQE_IP_FRAG : 0) |
		(res->vlan && vlan_strip ? MLX5X_CQE_VLAN_STRIPPED : 0));
	c->vlan_info = rte_cpu_to_be_16(res->vlan_tci);
	*MLX5X_CQE_P32(c, MLX5X_CQE_OFF_HASH_RES) = rte_cpu_to_be_32(res->hash);
	MLX5X_CQE_U8(c, MLX5X_CQE_OFF_HASH_TYPE) = res->hash_type;
	c->sop_drop_qpn = rte_cpu_to_be_32(mark & MLX5X_FLOW_TAG_MASK);
}

static void
comp_flush(struct mlx5x_emu_rq *rq, struct mlx5x_emu_comp *s)
{
	struct mlx5x_emu_cq *cq = &rq->cq;
	uint32_t slots = (s->n + MLX5X_MINI_PER_CQE - 1) / MLX5X_MINI_PER_CQE;
	uint32_t title_at = cq->pi, i;

	if (s->n == 0)
		return;
	for (i = 0; i < slots; i++)
		cq_push_raw(cq, title_at + 1 + i, &s->mini[i * MLX5X_MINI_PER_CQE]);
	s->title.byte_cnt = rte_cpu_to_be_32(s->n);
	s->title.wqe_counter = rte_cpu_to_be_16(s->wqe_counter);
	cq_push(cq, &s->title, MLX5_CQE_RESP_SEND, MLX5X_CQE_FMT_COMPRESSED);
	cq->pi += slots;
	rq->comp_sessions++;
	s->n = 0;
}

/* Can this packet join the open session? Same title fields, room left. */
static inline bool
comp_fits(const struct mlx5x_emu_comp *s, const struct mlx5_cqe64 *c,
	  uint16_t wqe_counter, bool mprq)
{
	return s->n != 0 && s->n < MLX5X_COMP_MAX_MINI &&
	       (mprq || (uint16_t)(s->wqe_counter + s->n) == wqe_counter) &&
	       c->hds_ip_ext == s->title.hds_ip_ext &&
	       c->l4_hdr_type_etc == s->title.l4_hdr_type_etc &&
	       c->vlan_info == s->title.vlan_info &&
	       c->sop_drop_qpn == s->title.sop_drop_qpn &&
	       (mprq ? c->wqe_counter == s->title.wqe_counter : true);
}

/* An uncompressed receive CQE, written straight into its ring slot as
 * eight 64-bit words; the word holding op_own goes last, with release. */
static inline void
cq_push_rx(struct mlx5x_emu_cq *cq, const struct mlx5_cqe64 *c,
	   uint16_t wqe_counter, uint32_t byte_cnt, uint16_t stride,
	   uint64_t w4)
{
	volatile uint64_t *dst = (volatile uint64_t *)
		&cq->cqes[cq->pi & ((1u << cq->log_n) - 1)];
	const uint64_t *src = (const uint64_t *)c;
	union {
		uint64_t w;
		struct {
			rte_be32_t sop_drop_qpn;
			rte_be16_t wqe_counter;
			uint8_t signature;
			uint8_t op_own;
		} f;
	} last;

	last.f.sop_drop_qpn = c->sop_drop_qpn;
	last.f.wqe_counter = rte_cpu_to_be_16(wqe_counter);
	last.f.signature = 0;
	last.f.op_own = (uint8_t)(MLX5_CQE_RESP_SEND << 4 |
				  mlx5x_cqe_owner(cq->pi, cq->log_n));
	dst[0] = (uint64_t)rte_cpu_to_be_16(stride) << 32; /* stride_idx @4 */
	dst[1] = src[1];
	dst[2] = src[2];
	dst[3] = src[3];
	dst[4] = w4;                                     /* split @36 */
	dst[5] = (uint64_t)rte_cpu_to_be_32(byte_cnt) << 32; /* byte_cnt @44 */
	dst[6] = 0;
	__atomic_store_n(&dst[7], last.w, __ATOMIC_RELEASE);
	cq->pi++;
	if (cq->room != 0)
		cq->room--;
}

static void
rx_complete(struct mlx5x_emu *emu, struct mlx5x_emu_rq *rq, uint16_t qidx,
	    struct mlx5_cqe64 *c, uint16_t wqe_counter, uint32_t len,
	    uint32_t byte_cnt_field, uint16_t stride)
{
	struct mlx5x_emu_comp *s = &emu->sess[qidx];
	uint32_t need;

	if (!emu->cqe_comp) {
		cq_push_rx(&rq->cq, c, wqe_counter, byte_cnt_field, stride, 0);
		return;
	}
	c->wqe_counter = rte_cpu_to_be_16(wqe_counter);
	if (!comp_fits(s, c, wqe_counter, rq->mprq)) {
		comp_flush(rq, s);
		s->title = *c;
		s->wqe_counter = wqe_counter;
	}
	if (emu->comp_hash) {
		s->mini[s->n].rx_hash_result =
			*MLX5X_CQE_P32(c, MLX5X_CQE_OFF_HASH_RES);
	} else {
		s->mini[s->n].checksum = *MLX5X_CQE_P16(c, MLX5X_CQE_OFF_CSUM);
		s->mini[s->n].stride_idx = rte_cpu_to_be_16(stride);
	}
	s->mini[s->n].byte_cnt = rte_cpu_to_be_32(byte_cnt_field);
	s->n++;
	(void)len;
	/* A session must fit the CQ as a whole: close it while it does. */
	need = 1 + (s->n + MLX5X_MINI_PER_CQE) / MLX5X_MINI_PER_CQE;
	if (!cq_has_room(&rq->cq, need + 2))
		comp_flush(rq, s);
}

/* The RQ saw a bad WQE: report it, then flush every posted WQE. */
static void
rq_error(struct mlx5x_emu *emu, struct mlx5x_emu_rq *rq, uint16_t qidx,
	 uint8_t synd)
{
	uint32_t posted = rte_be_to_cpu_32(__atomic_load_n(rq->dbrec,
							  __ATOMIC_ACQUIRE));

	rq->posted = posted;
	comp_flush(rq, &emu->sess[qidx]);
	err_cqe(&rq->cq, MLX5_CQE_RESP_ERR, synd, (uint16_t)rq->ci, qidx);
	rq->ci++;
	rq->stride_ci = 0;
	rq->err_cqes++;
	while (rq->ci != posted && cq_has_room(&rq->cq, 2)) {
		err_cqe(&rq->cq, MLX5_CQE_RESP_ERR,
			MLX5_CQE_SYNDROME_WR_FLUSH_ERR, (uint16_t)rq->ci, qidx);
		rq->ci++;
		rq->err_cqes++;
	}
	__atomic_store_n(&rq->state, MLX5X_Q_ERR, __ATOMIC_RELEASE);
	EMU_LOG(DEBUG, "rq %u: error syndrome 0x%x, queue in error", qidx,
		synd);
}

/* Where a header/data split queue cuts @f: the header length, or 0 when
 * the frame cannot be split (no TCP or UDP header, a fragment, a header
 * that is not all there). */
static uint32_t
hds_cut(const struct mlx5x_emu_rq *rq, const struct mlx5x_frame *f,
	const struct mlx5x_parse *pr)
{
	uint32_t h;

	if (rq->hds == MLX5X_HDS_FIXED)
		return RTE_MIN((uint32_t)rq->hds_len, f->len);
	if (pr->frag || pr->l4 == MLX5X_L4_NONE)
		return 0;
	if (pr->l4 == MLX5X_L4_UDP) {
		h = pr->l4_off + 8u;
	} else {
		if ((uint32_t)pr->l4_off + 20 > f->len)
			return 0;
		h = pr->l4_off + (uint32_t)(f->data[pr->l4_off + 12] >> 4) * 4;
	}
	return h <= f->len ? h : 0;
}

/* Header/data split: headers into segment 0 (host memory), payload into
 * segment 1 (the bound region), each through its own lkey and bounds
 * check; a frame that cannot be split lands whole in segment 0. */
static void
rx_hds(struct mlx5x_emu *emu, struct mlx5x_emu_rq *rq, uint16_t qidx,
       const struct mlx5x_frame *f, const struct mlx5x_parse *pr,
       struct mlx5_cqe64 *c)
{
	const struct mlx5_wqe_data_seg *ds = (const struct mlx5_wqe_data_seg *)
		rq->wqes + (size_t)(rq->ci & ((1u << rq->log_wqe_n) - 1)) * 2;
	uint32_t h = hds_cut(rq, f, pr), p, flags = 0;
	uint8_t *dst, w4[8] = {0};
	uint64_t word;

	if (h == 0) {
		h = f->len;
		flags = MLX5X_CQE_HDS_FALLBACK;
		rq->hds_fallback++;
	}
	p = f->len - h;
	if (unlikely(h > rte_be_to_cpu_32(ds[0].byte_count) ||
		     (p != 0 && p > rte_be_to_cpu_32(ds[1].byte_count)))) {
		rq_error(emu, rq, qidx, MLX5X_SYND_LOCAL_LENGTH_ERR);
		return;
	}
	dst = mlx5x_mr_dma(rte_be_to_cpu_32(ds[0].lkey),
			   rte_be_to_cpu_64(ds[0].addr), h);
	if (unlikely(dst == NULL)) {
		rq_error(emu, rq, qidx, MLX5_CQE_SYNDROME_LOCAL_PROT_ERR);
		return;
	}
	rte_memcpy(dst, f->data, h);
	if (p != 0) {
		dst = mlx5x_mr_dma(rte_be_to_cpu_32(ds[1].lkey),
				   rte_be_to_cpu_64(ds[1].addr), p);
		if (unlikely(dst == NULL)) {
			rq_error(emu, rq, qidx, MLX5_CQE_SYNDROME_LOCAL_PROT_ERR);
			return;
		}
		rte_memcpy(dst, f->data + h, p);
		flags |= MLX5X_CQE_HDS_SPLIT;
		rq->hds_split++;
	}
	rq->hds_host_bytes += h;
	rq->hds_dev_bytes += p;
	*(rte_be16_t *)&w4[MLX5X_CQE_OFF_HDS_LEN - 32] =
		rte_cpu_to_be_16((uint16_t)h);
	w4[MLX5X_CQE_OFF_HDS_FLAGS - 32] = (uint8_t)flags;
	memcpy(&word, w4, sizeof(word));
	cq_push_rx(&rq->cq, c, (uint16_t)rq->ci, f->len, 0, word);
	rq->ci++;
}

/* Cyclic RQ: one WQE per packet, scattered over its data segments. */
static void
rx_cyclic(struct mlx5x_emu *emu, struct mlx5x_emu_rq *rq, uint16_t qidx,
	  const struct mlx5x_frame *f, struct mlx5_cqe64 *c)
{
	const struct mlx5_wqe_data_seg *ds = (const struct mlx5_wqe_data_seg *)
		rq->wqes + (size_t)(rq->ci & ((1u << rq->log_wqe_n) - 1)) * rq->sges;
	uint32_t left = f->len, off = 0, s;

	for (s = 0; s < rq->sges && left != 0; s++) {
		uint32_t bc = rte_be_to_cpu_32(ds[s].byte_count);
		uint32_t lkey = rte_be_to_cpu_32(ds[s].lkey);
		uint32_t chunk = RTE_MIN(left, bc);
		uint8_t *dst;

		if (bc == 0 || lkey == MLX5_INVALID_LKEY)
			break;
		dst = mlx5x_mr_dma(lkey,
				   rte_be_to_cpu_64(ds[s].addr), chunk);
		if (unlikely(dst == NULL)) {
			rq_error(emu, rq, qidx, MLX5_CQE_SYNDROME_LOCAL_PROT_ERR);
			return;
		}
		rte_memcpy(dst, f->data + off, chunk);
		off += chunk;
		left -= chunk;
	}
	if (unlikely(left != 0)) {
		rq_error(emu, rq, qidx, MLX5X_SYND_LOCAL_LENGTH_ERR);
		return;
	}
	rx_complete(emu, rq, qidx, c, (uint16_t)rq->ci, f->len, f->len, 0);
	rq->ci++;
}

/* Striding RQ: packets land at stride boundaries of the WQE's buffer; a
 * packet that does not fit the strides left ends the WQE with a filler. */
static bool
rx_mprq(struct mlx5x_emu *emu, struct mlx5x_emu_rq *rq, uint16_t qidx,
	const struct mlx5x_frame *f, struct mlx5_cqe64 *c)
{
	uint32_t nstrides = 1u << rq->log_strides;
	uint32_t ssize = 1u << rq->log_stride_size;
	uint32_t need = (f->len + ssize - 1) / ssize;
	const struct mlx5_mprq_wqe *w;
	uint8_t *dst;

	if (need > nstrides) {
		rq_error(emu, rq, qidx, MLX5X_SYND_LOCAL_LENGTH_ERR);
		return true;
	}
	if (rq->stride_ci + need > nstrides) {
		/* Filler: give back the rest of this WQE, take the next. */
		struct mlx5_cqe64 fill;

		memset(&fill, 0, sizeof(fill));
		comp_flush(rq, &emu->sess[qidx]);
		fill.byte_cnt = rte_cpu_to_be_32(MLX5X_MPRQ_FILLER |
			(nstrides - rq->stride_ci) << MLX5X_MPRQ_STRIDES_SHIFT);
		fill.wqe_counter = rte_cpu_to_be_16((uint16_t)rq->ci);
		*MLX5X_CQE_P16(&fill, MLX5X_CQE_OFF_STRIDE_IDX) =
			rte_cpu_to_be_16(rq->stride_ci);
		cq_push(&rq->cq, &fill, MLX5_CQE_RESP_SEND, MLX5X_CQE_FMT_NORMAL);
		rq->ci++;
		rq->stride_ci = 0;
		if (!rq_has_wqe(rq)) {
			rq->out_of_buffer++;
			return false;
		}
	}
	w = (const struct mlx5_mprq_wqe *)rq->wqes +
	    (rq->ci & ((1u << rq->log_wqe_n) - 1));
	dst = mlx5x_mr_dma(rte_be_to_cpu_32(w->dseg.lkey),
			   rte_be_to_cpu_64(w->dseg.addr) +
			   (uint64_t)rq->stride_ci * ssize, f->len);
	if (unlikely(dst == NULL)) {
		rq_error(emu, rq, qidx, MLX5_CQE_SYNDROME_LOCAL_PROT_ERR);
		return true;
	}
	rte_memcpy(dst, f->data, f->len);
	rx_complete(emu, rq, qidx, c, (uint16_t)rq->ci, f->len,
		    need << MLX5X_MPRQ_STRIDES_SHIFT | f->len,
		    (uint16_t)rq->stride_ci);
	rq->stride_ci += need;
	if (rq->stride_ci == nstrides) {
		rq->ci++;
		rq->stride_ci = 0;
	}
	return true;
}

static inline bool
mac_accept(const struct mlx5x_emu *emu, const uint8_t *p)
{
	if (emu->promisc)
		return true;
	if (p[0] & 1) /* multicast or broadcast */
		return emu->allmulti ||
		       (p[0] == 0xff && p[1] == 0xff && p[2] == 0xff &&
			p[3] == 0xff && p[4] == 0xff && p[5] == 0xff) ||
		       /* IPv6 neighbour discovery keeps working */
		       (p[0] == 0x33 && p[1] == 0x33);
	return memcmp(p, emu->mac, 6) == 0;
}

static void
rx_one(struct mlx5x_emu *emu, const struct mlx5x_frame *f)
{
	struct mlx5x_parse res;
	const struct mlx5x_parse *pr = &res;
	struct mlx5_cqe64 c;
	struct mlx5x_emu_rq *rq;
	uint32_t mark = 0;
	int q;

	if (unlikely(f->len < 14)) {
		emu->cnt.rx_runt++;
		return;
	}
	if (unlikely(f->len > (uint32_t)emu->mtu + 18)) {
		emu->cnt.rx_oversize++;
		return;
	}
	if (unlikely(!mac_accept(emu, f->data))) {
		emu->cnt.rx_mac_filtered++;
		return;
	}
	if (f->flow < emu->flow_cache_n) {
		/* Same template, same answer: parse it once per RSS setup. */
		if (emu->flow_cache_gen[f->flow] != emu->parse_gen) {
			mlx5x_emu_parse(emu, f->data, f->len,
					&emu->flow_cache[f->flow]);
			emu->flow_cache_gen[f->flow] = emu->parse_gen;
		}
		pr = &emu->flow_cache[f->flow];
	} else {
		mlx5x_emu_parse(emu, f->data, f->len, &res);
	}
	/* One queue and no rules: nothing to steer. */
	q = likely(emu->nb_flows == 0 && emu->nb_rq <= 1) ? 0 :
	    mlx5x_emu_classify(emu, f->data, f->len, pr, &mark);
	if (unlikely(q < 0)) {
		emu->cnt.rx_flow_drop++;
		return;
	}
	rq = &emu->rq[q];
	if (unlikely(q >= emu->nb_rq ||
		     __atomic_load_n(&rq->state, __ATOMIC_ACQUIRE) != MLX5X_Q_RDY)) {
		emu->cnt.rx_queue_stopped++;
		return;
	}
	if (!rq_has_wqe(rq) || !cq_has_room(&rq->cq, 2 +
	    (emu->cqe_comp ? MLX5X_COMP_MAX_MINI / MLX5X_MINI_PER_CQE : 0))) {
		rq->out_of_buffer++;
		return;
	}
	fill_cqe_rx(&c, pr, mark, rq->vlan_strip);
	if (rq->mprq) {
		if (!rx_mprq(emu, rq, (uint16_t)q, f, &c))
			return;
	} else if (unlikely(rq->hds != MLX5X_HDS_OFF)) {
		rx_hds(emu, rq, (uint16_t)q, f, pr, &c);
	} else {
		rx_cyclic(emu, rq, (uint16_t)q, f, &c);
	}
	rq->packets++;
	rq->bytes += f->len;
}

static unsigned int
rx_step(struct mlx5x_emu *emu)
{
	struct mlx5x_frame f[64];
	struct mlx5x_wire *w = &emu->wire;
	unsigned int n, i;
	uint16_t q;

	n = w->ops->rx_peek(w, f, RTE_MIN(emu->burst, RTE_DIM(f)));
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(f[i + 1].data);
		rx_one(emu, &f[i]);
		w->st.rx_bytes += f[i].len;
	}
	w->st.rx_frames += n;
	if (emu->cqe_comp)
		for (q = 0; q < emu->nb_rq; q++)
			comp_flush(&emu->rq[q], &emu->sess[q]);
	w->ops->rx_release(w, n);
	return n;
}

/* ---------------------------------------------------------------- TX -- */

struct mlx5x_emu_txb {
	struct mlx5x_frame f[32];
	unsigned int n;
	uint8_t buf[32][MLX5X_WIRE_MAX_FRAME];
};

static inline const uint8_t *
sq_seg(const struct mlx5x_emu_sq *sq, uint32_t wqebb, uint32_t k)
{
	uint32_t segs_mask = (4u << sq->log_n) - 1;

	return sq->wqes + (((wqebb << 2) + k) & segs_mask) * MLX5X_WSEG;
}

static void
tx_flush(struct mlx5x_emu *emu)
{
	struct mlx5x_wire *w = &emu->wire;
	unsigned int sent;

	if (emu->txb->n == 0)
		return;
	sent = w->ops->tx(w, emu->txb->f, emu->txb->n);
	w->st.tx_frames += sent;
	w->st.tx_dropped += emu->txb->n - sent;
	for (unsigned int i = 0; i < sent; i++)
		w->st.tx_bytes += emu->txb->f[i].len;
	emu->txb->n = 0;
}

static void
sq_error(struct mlx5x_emu *emu, struct mlx5x_emu_sq *sq, uint16_t qidx,
	 uint8_t synd, uint16_t wqe_idx)
{
	err_cqe(&sq->cq, MLX5_CQE_REQ_ERR, synd, wqe_idx, sq->sqn);
	sq->err_cqes++;
	__atomic_store_n(&sq->state, MLX5X_Q_ERR, __ATOMIC_RELEASE);
	EMU_LOG(DEBUG, "sq %u: error syndrome 0x%x at wqe %u", qidx, synd,
		wqe_idx);
}

/* Execute one send WQE at sq->ci. Returns WQEBBs consumed, 0 on error. */
static uint32_t
tx_wqe(struct mlx5x_emu *emu, struct mlx5x_emu_sq *sq, uint16_t qidx)
{
	const struct mlx5_wqe_ctrl_seg *ctrl =
		(const void *)sq_seg(sq, sq->ci, 0);
	const struct mlx5_wqe_eth_seg *eseg = (const void *)sq_seg(sq, sq->ci, 1);
	uint32_t opc = rte_be_to_cpu_32(ctrl->opmod_idx_opcode);
	uint32_t ds = rte_be_to_cpu_32(ctrl->qpn_ds) & 0x3f;
	uint16_t wqe_idx = (uint16_t)(opc >> 8);
	uint32_t nbb = (ds + 3) / 4, inl, k, len = 0;
	uint8_t *frame = emu->txb->buf[emu->txb->n];
	bool sink = emu->wire.ops == &mlx5x_wire_gen;

	if (unlikely((opc & 0xff) != MLX5_OPCODE_SEND || ds < 3 ||
		     wqe_idx != (uint16_t)sq->ci)) {
		emu->cnt.tx_bad_wqe++;
		sq_error(emu, sq, qidx, 0x02 /* local QP operation error */,
			 wqe_idx);
		return 0;
	}
	/* Inline headers: 2 bytes in inline_hdr_start and 16 in inline_hdr
	 * fill the Ethernet segment (segments 1-2); more continue from
	 * segment 3. Data segments follow the inline part. */
	inl = rte_be_to_cpu_16(eseg->inline_hdr_sz);
	k = 3;
	if (inl != 0) {
		uint32_t done = RTE_MIN(inl, 2u + sizeof(eseg->inline_hdr));

		if (inl > MLX5X_WIRE_MAX_FRAME || 3 + (inl - done + 15) / 16 > ds) {
			emu->cnt.tx_bad_wqe++;
			sq_error(emu, sq, qidx, 0x02, wqe_idx);
			return 0;
		}
		if (!sink)
			memcpy(frame, eseg->inline_hdr_start, done);
		while (done < inl) {
			uint32_t chunk = RTE_MIN(inl - done, MLX5X_WSEG);

			if (!sink)
				memcpy(frame + done, sq_seg(sq, sq->ci, k), chunk);
			done += chunk;
			k++;
		}
		len = inl;
	}
	for (; k < ds; k++) {
		const struct mlx5_wqe_data_seg *d = (const void *)sq_seg(sq, sq->ci, k);
		uint32_t bc = rte_be_to_cpu_32(d->byte_count);
		const uint8_t *src;

		if (bc == 0)
			continue;
		src = mlx5x_mr_dma(rte_be_to_cpu_32(d->lkey),
				   rte_be_to_cpu_64(d->addr), bc);
		if (unlikely(src == NULL)) {
			sq_error(emu, sq, qidx, MLX5_CQE_SYNDROME_LOCAL_PROT_ERR,
				 wqe_idx);
			return 0;
		}
		if (unlikely(len + bc > MLX5X_WIRE_MAX_FRAME)) {
			emu->cnt.tx_bad_wqe++;
			sq_error(emu, sq, qidx, MLX5X_SYND_LOCAL_LENGTH_ERR,
				 wqe_idx);
			return 0;
		}
		if (!sink)
			rte_memcpy(frame + len, src, bc);
		len += bc;
	}
	if (!sink && (eseg->cs_flags & (MLX5_ETH_WQE_L3_CSUM |
					MLX5_ETH_WQE_L4_CSUM)))
		mlx5x_emu_fill_csum(frame, len,
				    eseg->cs_flags & MLX5_ETH_WQE_L3_CSUM,
				    eseg->cs_flags & MLX5_ETH_WQE_L4_CSUM);
	emu->txb->f[emu->txb->n].data = frame;
	emu->txb->f[emu->txb->n].len = len;
	emu->txb->f[emu->txb->n].flow = MLX5X_FLOW_NONE;
	if (++emu->txb->n == RTE_DIM(emu->txb->f))
		tx_flush(emu);
	sq->packets++;
	sq->bytes += len;
	if (ctrl->fm_ce_se & MLX5_WQE_CTRL_CQ_UPDATE) {
		struct mlx5_cqe64 c;

		memset(&c, 0, sizeof(c));
		c.wqe_counter = rte_cpu_to_be_16(wqe_idx);
		c.sop_drop_qpn = rte_cpu_to_be_32((uint32_t)MLX5_OPCODE_SEND << 24 |
						  sq->sqn);
		c.byte_cnt = rte_cpu_to_be_32(len);
		cq_push(&sq->cq, &c, MLX5_CQE_REQ, MLX5X_CQE_FMT_NORMAL);
	}
	return nbb;
}

/* Execute what SQ @q has posted, while its CQ has room. */
static unsigned int
tx_sq(struct mlx5x_emu *emu, uint16_t q)
{
	struct mlx5x_emu_sq *sq = &emu->sq[q];
	unsigned int work = 0;
	uint32_t posted, nbb;

	if (__atomic_load_n(&sq->state, __ATOMIC_ACQUIRE) != MLX5X_Q_RDY)
		return 0;
	posted = rte_be_to_cpu_32(__atomic_load_n(sq->dbrec, __ATOMIC_ACQUIRE));
	/* Completions need room: stop while the CQ is nearly full. */
	while (sq->ci != posted && cq_has_room(&sq->cq, 3)) {
		nbb = tx_wqe(emu, sq, q);
		if (nbb == 0)
			break;
		sq->ci += nbb;
		work++;
	}
	return work;
}

/* The ethdev SQs, then the XDP SQs the device hosts. */
static unsigned int
tx_step(struct mlx5x_emu *emu)
{
	uint16_t xend = __atomic_load_n(&emu->xsq_end, __ATOMIC_ACQUIRE);
	unsigned int work = 0;
	uint16_t q;

	for (q = 0; q < emu->nb_sq; q++)
		work += tx_sq(emu, q);
	for (q = MLX5X_MAX_QUEUES; q < xend; q++)
		work += tx_sq(emu, q);
	tx_flush(emu);
	return work;
}

unsigned int
mlx5x_emu_step(struct mlx5x_emu *emu, bool rx)
{
	if (!emu->started)
		return 0;
	return tx_step(emu) + (rx ? rx_step(emu) : 0);
}

/* ------------------------------------------------------------ thread -- */

static void *
dev_thread(void *arg)
{
	struct mlx5x_emu *emu = arg;
	unsigned int idle = 0;

	while (__atomic_load_n(&emu->thread_run, __ATOMIC_ACQUIRE)) {
		unsigned int work;

		rte_spinlock_lock(&emu->lock);
		work = mlx5x_emu_step(emu, true);
		rte_spinlock_unlock(&emu->lock);
		if (work != 0) {
			idle = 0;
		} else if (++idle > 1024) {
			/* Nothing posted for a while: stop burning the CPU
			 * the app may share with us. */
			rte_delay_us_sleep(50);
		} else {
			rte_pause();
		}
	}
	return NULL;
}

int
mlx5x_emu_start(struct mlx5x_emu *emu)
{
	rte_spinlock_lock(&emu->lock);
	emu->started = true;
	rte_spinlock_unlock(&emu->lock);
	if (emu->mode != MLX5X_DEV_THREAD || emu->thread_run)
		return 0;
	emu->thread_run = 1;
	if (pthread_create(&emu->thread, NULL, dev_thread, emu) != 0) {
		emu->thread_run = 0;
		EMU_LOG(ERR, "cannot start the device thread");
		return -EAGAIN;
	}
	if (emu->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(emu->cpu, &set);
		if (pthread_setaffinity_np(emu->thread, sizeof(set), &set) != 0)
			EMU_LOG(WARNING, "cannot pin the device thread to CPU %d",
				emu->cpu);
	}
	pthread_setname_np(emu->thread, "mlx5x-dev");
	return 0;
}

void
mlx5x_emu_stop(struct mlx5x_emu *emu)
{
	if (emu->thread_run) {
		__atomic_store_n(&emu->thread_run, 0, __ATOMIC_RELEASE);
		pthread_join(emu->thread, NULL);
	}
	rte_spinlock_lock(&emu->lock);
	emu->started = false;
	rte_spinlock_unlock(&emu->lock);
}

/* ----------------------------------------------------------- control -- */

int
mlx5x_emu_rq_create(struct mlx5x_emu *emu, uint16_t idx,
		    const struct mlx5x_emu_rq *cfg)
{
	rte_spinlock_lock(&emu->lock);
	emu->rq[idx] = *cfg;
	emu->rq[idx].ci = 0;
	emu->rq[idx].posted = 0;
	emu->rq[idx].stride_ci = 0;
	emu->rq[idx].cq.pi = 0;
	emu->rq[idx].cq.room = 0;
	emu->sess[idx].n = 0;
	__atomic_store_n(&emu->rq[idx].state, MLX5X_Q_RST, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&emu->lock);
	return 0;
}

int
mlx5x_emu_sq_create(struct mlx5x_emu *emu, uint16_t idx,
		    const struct mlx5x_emu_sq *cfg)
{
	rte_spinlock_lock(&emu->lock);
	emu->sq[idx] = *cfg;
	emu->sq[idx].ci = 0;
	emu->sq[idx].cq.pi = 0;
	emu->sq[idx].cq.room = 0;
	__atomic_store_n(&emu->sq[idx].state, MLX5X_Q_RST, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&emu->lock);
	return 0;
}

/* RST/ERR -> RDY resumes at the driver's current posting point; the
 * driver reposts every WQE it got a completion for. */
void
mlx5x_emu_rq_modify(struct mlx5x_emu *emu, uint16_t idx, enum mlx5x_qstate st)
{
	rte_spinlock_lock(&emu->lock);
	comp_flush(&emu->rq[idx], &emu->sess[idx]);
	__atomic_store_n(&emu->rq[idx].state, st, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&emu->lock);
}

void
mlx5x_emu_sq_modify(struct mlx5x_emu *emu, uint16_t idx, enum mlx5x_qstate st)
{
	struct mlx5x_emu_sq *sq = &emu->sq[idx];

	rte_spinlock_lock(&emu->lock);
	if (st == MLX5X_Q_RDY && sq->state == MLX5X_Q_ERR) {
		/* Flush what was posted after the failed WQE. */
		uint32_t posted = rte_be_to_cpu_32(*sq->dbrec);

		sq->ci = posted;
	}
	__atomic_store_n(&sq->state, st, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&emu->lock);
}

int
mlx5x_emu_xsq_alloc(struct mlx5x_emu *emu, void *owner)
{
	int idx = -ENOSPC;

	rte_spinlock_lock(&emu->lock);
	for (uint16_t q = MLX5X_MAX_QUEUES; q < MLX5X_MAX_SQ; q++)
		if (emu->xsq[q] == NULL) {
			emu->xsq[q] = owner;
			emu->sq[q].state = MLX5X_Q_RST;
			if (q + 1 > emu->xsq_end)
				__atomic_store_n(&emu->xsq_end, q + 1,
						 __ATOMIC_RELEASE);
			idx = q;
			break;
		}
	rte_spinlock_unlock(&emu->lock);
	return idx;
}

void
mlx5x_emu_xsq_free(struct mlx5x_emu *emu, uint16_t idx)
{
	uint16_t end = MLX5X_MAX_QUEUES;

	rte_spinlock_lock(&emu->lock);
	__atomic_store_n(&emu->sq[idx].state, MLX5X_Q_RST, __ATOMIC_RELEASE);
	emu->xsq[idx] = NULL;
	for (uint16_t q = MLX5X_MAX_QUEUES; q < MLX5X_MAX_SQ; q++)
		if (emu->xsq[q] != NULL)
			end = q + 1;
	__atomic_store_n(&emu->xsq_end, end, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&emu->lock);
}

void
mlx5x_emu_rq_destroy(struct mlx5x_emu *emu, uint16_t idx)
{
	rte_spinlock_lock(&emu->lock);
	comp_flush(&emu->rq[idx], &emu->sess[idx]);
	__atomic_store_n(&emu->rq[idx].state, MLX5X_Q_RST, __ATOMIC_RELEASE);
	emu->rq[idx].dbrec = NULL;
	rte_spinlock_unlock(&emu->lock);
}

void
mlx5x_emu_sq_destroy(struct mlx5x_emu *emu, uint16_t idx)
{
	rte_spinlock_lock(&emu->lock);
	__atomic_store_n(&emu->sq[idx].state, MLX5X_Q_RST, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&emu->lock);
}

void
mlx5x_emu_set_rss(struct mlx5x_emu *emu, const uint8_t *key, uint64_t hf)
{
	rte_spinlock_lock(&emu->lock);
	if (key != NULL)
		memcpy(emu->rss_key, key, MLX5X_RSS_KEY_LEN);
	emu->rss_hf = hf;
	mlx5x_toeplitz_init(emu);
	emu->parse_gen++;
	rte_spinlock_unlock(&emu->lock);
}

void
mlx5x_emu_set_reta(struct mlx5x_emu *emu, const uint16_t *reta)
{
	rte_spinlock_lock(&emu->lock);
	memcpy(emu->reta, reta, sizeof(emu->reta));
	rte_spinlock_unlock(&emu->lock);
}

int
mlx5x_emu_flow_insert(struct mlx5x_emu *emu, struct mlx5x_flow_rule *r)
{
	uint32_t i;

	rte_spinlock_lock(&emu->lock);
	if (emu->nb_flows == MLX5X_MAX_FLOWS) {
		rte_spinlock_unlock(&emu->lock);
		return -ENOSPC;
	}
	/* Keep rules sorted by priority; equal priorities keep their order. */
	for (i = emu->nb_flows; i > 0 && emu->flows[i - 1]->prio > r->prio; i--)
		emu->flows[i] = emu->flows[i - 1];
	emu->flows[i] = r;
	emu->nb_flows++;
	rte_spinlock_unlock(&emu->lock);
	return 0;
}

void
mlx5x_emu_flow_remove(struct mlx5x_emu *emu, struct mlx5x_flow_rule *r)
{
	uint32_t i, j;

	rte_spinlock_lock(&emu->lock);
	for (i = 0, j = 0; i < emu->nb_flows; i++)
		if (emu->flows[i] != r)
			emu->flows[j++] = emu->flows[i];
	emu->nb_flows = j;
	rte_spinlock_unlock(&emu->lock);
}

int
mlx5x_emu_init(struct mlx5x_emu *emu, const char *name,
	       const struct mlx5x_devargs *da)
{
	/* The common Toeplitz key (also mlx5's default). */
	static const uint8_t key[MLX5X_RSS_KEY_LEN] = {
		0x2c, 0xc6, 0x81, 0xd1, 0x5b, 0xdb, 0xf4, 0xf7,
		0xfc, 0xa2, 0x83, 0x19, 0xdb, 0x1a, 0x3e, 0x94,
		0x6b, 0x9e, 0x38, 0xd9, 0x2c, 0x9c, 0x03, 0xd1,
		0xad, 0x99, 0x44, 0xa7, 0xd9, 0x56, 0x3d, 0x59,
		0x06, 0x3c, 0x25, 0xf3, 0xfc, 0x1f, 0xdc, 0x2a,
	};
	int rc;

	memset(emu, 0, sizeof(*emu));
	snprintf(emu->name, sizeof(emu->name), "%s", name);
	rte_spinlock_init(&emu->lock);
	memcpy(emu->rss_key, key, sizeof(key));
	emu->rss_hf = 0;
	mlx5x_toeplitz_init(emu);
	emu->mtu = 1500;
	emu->promisc = true;
	emu->mode = da->dev_mode;
	emu->cpu = da->dev_cpu;
	emu->cqe_comp = da->cqe_comp;
	emu->comp_hash = da->cqe_comp_fmt_hash;
	emu->burst = 32;
	emu->mac[0] = 0x02;
	emu->mac[5] = (uint8_t)da->port_seq;
	emu->txb = rte_zmalloc("mlx5x_txb", sizeof(*emu->txb), 64);
	emu->sess = rte_zmalloc("mlx5x_comp",
				sizeof(*emu->sess) * MLX5X_MAX_QUEUES, 64);
	if (emu->txb == NULL || emu->sess == NULL) {
		rte_free(emu->txb);
		rte_free(emu->sess);
		return -ENOMEM;
	}
	emu->wire.emu = emu;
	emu->wire.ops = da->wire_ops;
	rc = emu->wire.ops->open(&emu->wire, da);
	if (rc != 0)
		return rc;
	return 0;
}

void
mlx5x_emu_fini(struct mlx5x_emu *emu)
{
	mlx5x_emu_stop(emu);
	mlx5x_mr_dereg_all(emu);
	if (emu->wire.ops != NULL && emu->wire.ops->close != NULL)
		emu->wire.ops->close(&emu->wire);
	free(emu->flow_cache);
	free(emu->flow_cache_gen);
	rte_free(emu->txb);
	rte_free(emu->sess);
	emu->txb = NULL;
	emu->sess = NULL;
	emu->flow_cache = NULL;
	emu->flow_cache_gen = NULL;
	emu->flow_cache_n = 0;
}
