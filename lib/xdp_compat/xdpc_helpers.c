/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat helpers, by the kernel's helper IDs and with its semantics:
 * map access, time, random numbers, the CPU id, trace_printk, redirect,
 * csum_diff, and the XDP buffer helpers (adjust_head/meta/tail with the
 * kernel's limits and return codes, get_buff_len, load/store_bytes).
 * Pointer arguments are checked like the interpreter's own accesses,
 * unless the run's checks are off (the JIT's runs, or the application's
 * choice): then the verifier's proof of them stands alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "xdpc_internal.h"

/* The kernel keeps a struct xdp_frame in the headroom (40 bytes) and a
 * struct skb_shared_info at the end of the buffer (320 bytes on x86-64):
 * adjust helpers may not move into either. */
#define XDP_FRAME_SZ 40u
#define SKB_SHINFO_SZ 320u
#define ETH_HLEN 14u

static bool
rd(struct xdpc_run *r, uint64_t p, uint64_t len, const char *what)
{
	if (len == 0 || r->unchecked ||
	    xdpc_mem_ok(r, (const void *)(uintptr_t)p, len, false, r->stack_lo,
			r->stack_hi))
		return true;
	xdpc_fault(r, "program %s: %s: %lu bytes at %#lx not readable",
		   r->prog->name, what, (unsigned long)len, (unsigned long)p);
	return false;
}

static bool
wr(struct xdpc_run *r, uint64_t p, uint64_t len, const char *what)
{
	if (len == 0 || r->unchecked ||
	    xdpc_mem_ok(r, (const void *)(uintptr_t)p, len, true, r->stack_lo,
			r->stack_hi))
		return true;
	xdpc_fault(r, "program %s: %s: %lu bytes at %#lx not writable",
		   r->prog->name, what, (unsigned long)len, (unsigned long)p);
	return false;
}

static struct xdpc_map *
map_arg(struct xdpc_run *r, uint64_t p, const char *what)
{
	struct xdpc_obj *obj = r->prog->obj;

	for (uint32_t i = 0; i < obj->nr_maps; i++)
		if ((uintptr_t)&obj->maps[i] == p)
			return &obj->maps[i];
	xdpc_fault(r, "program %s: %s: argument is not a map", r->prog->name,
		   what);
	return NULL;
}

static uint64_t
h_map_lookup(struct xdpc_run *r, uint64_t m, uint64_t k, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	struct xdpc_map *map = map_arg(r, m, "bpf_map_lookup_elem");

	(void)a3; (void)a4; (void)a5;
	if (map == NULL || !rd(r, k, map->key_size, "bpf_map_lookup_elem key"))
		return 0;
	if (xdpc_is_map_of_maps(map->type))
		/* the inner map itself, for the next helper call */
		return (uintptr_t)xdpc_map_inner(map, xdpc_map_lookup_elem(
					map, (const void *)(uintptr_t)k, r->cpu));
	return (uintptr_t)xdpc_map_lookup_elem(map, (const void *)(uintptr_t)k,
					       r->cpu);
}

static uint64_t
h_map_update(struct xdpc_run *r, uint64_t m, uint64_t k, uint64_t v,
	     uint64_t flags, uint64_t a5)
{
	struct xdpc_map *map = map_arg(r, m, "bpf_map_update_elem");

	(void)a5;
	if (map == NULL || !rd(r, k, map->key_size, "bpf_map_update_elem key") ||
	    !rd(r, v, map->value_size, "bpf_map_update_elem value"))
		return 0;
	if (xdpc_is_map_of_maps(map->type)) {
		/* the kernel's verifier refuses this from a program */
		xdpc_fault(r, "program %s: bpf_map_update_elem on map-in-map %s",
			   r->prog->name, map->name);
		return 0;
	}
	if (map->readonly)
		return (uint64_t)-EPERM;
	if (map->flags & BPF_F_RDONLY_PROG) {
		xdpc_fault(r, "program %s: bpf_map_update_elem on map %s, which "
			   "is BPF_F_RDONLY_PROG", r->prog->name, map->name);
		return 0;
	}
	return (uint64_t)xdpc_map_update_elem(map, (const void *)(uintptr_t)k,
					      (const void *)(uintptr_t)v, flags,
					      r->cpu);
}

static uint64_t
h_map_delete(struct xdpc_run *r, uint64_t m, uint64_t k, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	struct xdpc_map *map = map_arg(r, m, "bpf_map_delete_elem");

	(void)a3; (void)a4; (void)a5;
	if (map == NULL || !rd(r, k, map->key_size, "bpf_map_delete_elem key"))
		return 0;
	if (xdpc_is_map_of_maps(map->type)) {
		xdpc_fault(r, "program %s: bpf_map_delete_elem on map-in-map %s",
			   r->prog->name, map->name);
		return 0;
	}
	if (map->flags & BPF_F_RDONLY_PROG) {
		xdpc_fault(r, "program %s: bpf_map_delete_elem on map %s, which "
			   "is BPF_F_RDONLY_PROG", r->prog->name, map->name);
		return 0;
	}
	return (uint64_t)xdpc_map_delete_elem(map, (const void *)(uintptr_t)k);
}

static uint64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
h_ktime(struct xdpc_run *r, uint64_t a1, uint64_t a2, uint64_t a3,
	uint64_t a4, uint64_t a5)
{
	(void)r; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return clock_ns(CLOCK_MONOTONIC);
}

static uint64_t
h_ktime_boot(struct xdpc_run *r, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	(void)r; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return clock_ns(CLOCK_BOOTTIME);
}

static uint64_t
h_ktime_coarse(struct xdpc_run *r, uint64_t a1, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)r; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

static uint64_t
h_prandom(struct xdpc_run *r, uint64_t a1, uint64_t a2, uint64_t a3,
	  uint64_t a4, uint64_t a5)
{
	static __thread uint64_t s;

	(void)r; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	if (s == 0)
		s = clock_ns(CLOCK_MONOTONIC) | 1;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (uint32_t)s;
}

static uint64_t
h_cpu(struct xdpc_run *r, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
      uint64_t a5)
{
	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return r->cpu;
}

/* bpf_trace_printk lines go to the DPDK log, type lib.xdp_compat */
RTE_LOG_REGISTER(xdpc_logtype, lib.xdp_compat, INFO);

static uint64_t
h_trace_printk(struct xdpc_run *r, uint64_t fmt, uint64_t len, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	const uint64_t args[3] = { a3, a4, a5 };
	char out[512]; /* the kernel's MAX_BPRINTF_BUF */
	int n;

	if (!rd(r, fmt, len, "bpf_trace_printk format"))
		return 0;
	n = xdpc_bprintf(r, (const char *)(uintptr_t)fmt, (size_t)len, args,
			 out, sizeof(out));
	if (n < 0)
		return (uint64_t)(int64_t)n;
	rte_log(RTE_LOG_INFO, xdpc_logtype, "xdp_compat: %s: %s%s",
		r->prog->name, out,
		n > 0 && out[strlen(out) - 1] == '\n' ? "" : "\n");
	return (uint64_t)n;
}

static uint64_t
h_redirect(struct xdpc_run *r, uint64_t ifindex, uint64_t flags, uint64_t a3,
	   uint64_t a4, uint64_t a5)
{
	(void)a3; (void)a4; (void)a5;
	if (flags != 0)
		return XDPC_ABORTED;
	r->buf->redirect_ifindex = (uint32_t)ifindex;
	r->buf->redirect_map = NULL;
	return XDPC_REDIRECT;
}

/* bpf_redirect_map on DEVMAP/DEVMAP_HASH, as __bpf_xdp_redirect_map:
 * the lower two flag bits are the action when the key is missing. */
static uint64_t
h_redirect_map(struct xdpc_run *r, uint64_t mp, uint64_t key, uint64_t flags,
	       uint64_t a4, uint64_t a5)
{
	struct xdpc_map *m = map_arg(r, mp, "bpf_redirect_map");
	const uint64_t act_mask = 3, flag_mask = BPF_F_BROADCAST |
						BPF_F_EXCLUDE_INGRESS;
	uint32_t k = (uint32_t)key, *v;

	(void)a4; (void)a5;
	if (m == NULL)
		return XDPC_ABORTED;
	if (xdpc_is_ringmap(m->type)) {
		/* XSKMAP and CPUMAP take no flags past the miss action */
		if (flags & ~act_mask)
			return XDPC_ABORTED;
		if (xdpc_ringmap_ring(m, k) == NULL)
			return flags & act_mask;
		r->buf->redirect_map = m;
		r->buf->redirect_key = k;
		r->buf->redirect_flags = 0;
		r->buf->redirect_ifindex = 0;
		return XDPC_REDIRECT;
	}
	if (m->type != BPF_MAP_TYPE_DEVMAP && m->type != BPF_MAP_TYPE_DEVMAP_HASH) {
		xdpc_fault(r, "program %s: bpf_redirect_map on map %s of type "
			   "%u, which cannot redirect", r->prog->name,
			   m->name, m->type);
		return XDPC_ABORTED;
	}
	if (flags & ~(act_mask | flag_mask))
		return XDPC_ABORTED;
	v = xdpc_map_lookup_elem(m, &k, r->cpu);
	if ((v == NULL || *v == 0) && !(flags & BPF_F_BROADCAST))
		return flags & act_mask;
	r->buf->redirect_map = m;
	r->buf->redirect_flags = flags;
	r->buf->redirect_ifindex = v != NULL ? *v : 0;
	return XDPC_REDIRECT;
}

/* bpf_csum_diff: 32-bit one's-complement sum of `to` minus `from`, added
 * to seed; both sizes multiples of 4. */
static uint64_t
h_csum_diff(struct xdpc_run *r, uint64_t from, uint64_t fsz, uint64_t to,
	    uint64_t tsz, uint64_t seed)
{
	uint64_t sum = (uint32_t)seed;
	const uint32_t *f = (const uint32_t *)(uintptr_t)from;
	const uint32_t *t = (const uint32_t *)(uintptr_t)to;

	if ((fsz | tsz) % 4 || fsz > 512 || tsz > 512 ||
	    (from == 0 && fsz) || (to == 0 && tsz))
		return (uint64_t)-EINVAL;
	if (!rd(r, from, fsz, "bpf_csum_diff from") ||
	    !rd(r, to, tsz, "bpf_csum_diff to"))
		return 0;
	for (uint64_t i = 0; i < fsz / 4; i++)
		sum += (uint32_t)~f[i];
	for (uint64_t i = 0; i < tsz / 4; i++)
		sum += t[i];
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return sum;
}

static uint64_t
h_adjust_head(struct xdpc_run *r, uint64_t ctx, uint64_t off, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct xdpc_buff *b = r->buf;
	int32_t d = (int32_t)off;
	uint8_t *data = b->data + d;
	size_t metalen = (size_t)(b->data - b->data_meta);

	(void)ctx; (void)a3; (void)a4; (void)a5;
	if (data < b->hard_start + XDP_FRAME_SZ + metalen ||
	    data > b->data_end - ETH_HLEN)
		return (uint64_t)-EINVAL;
	if (metalen)
		memmove(b->data_meta + d, b->data_meta, metalen);
	b->data_meta += d;
	b->data = data;
	return 0;
}

static uint64_t
h_adjust_meta(struct xdpc_run *r, uint64_t ctx, uint64_t off, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct xdpc_buff *b = r->buf;
	uint8_t *meta = b->data_meta + (int32_t)off;
	size_t metalen;

	(void)ctx; (void)a3; (void)a4; (void)a5;
	if (meta < b->hard_start + XDP_FRAME_SZ || meta > b->data)
		return (uint64_t)-EINVAL;
	metalen = (size_t)(b->data - meta);
	if (metalen > 32 || metalen % 4)
		return (uint64_t)-EACCES;
	b->data_meta = meta;
	return 0;
}

/* Total frame length: the linear part and the fragments. */
static uint64_t
buff_len(const struct xdpc_buff *b)
{
	uint64_t len = (uint64_t)(b->data_end - b->data);

	for (uint32_t i = 0; i < b->nr_frags; i++)
		len += b->frags[i].len;
	return len;
}

/* Multi-buffer adjust_tail, as bpf_xdp_frags_{shrink,increase}_tail:
 * growing takes the last fragment's room; shrinking eats fragments from
 * the end, then the linear part once none is left. */
static uint64_t
adjust_tail_frags(struct xdpc_buff *b, int32_t off)
{
	if (off > 0) {
		struct xdpc_frag *f = &b->frags[b->nr_frags - 1];

		if ((uint32_t)off > f->room - f->len)
			return (uint64_t)-EINVAL;
		memset(f->data + f->len, 0, (size_t)off);
		f->len += (uint32_t)off;
		return 0;
	}
	off = -off;
	if ((uint64_t)off > buff_len(b) - ETH_HLEN)
		return (uint64_t)-EINVAL;
	while (b->nr_frags > 0 && off > 0) {
		struct xdpc_frag *f = &b->frags[b->nr_frags - 1];
		uint32_t shrink = RTE_MIN((uint32_t)off, f->len);

		f->len -= shrink;
		off -= (int32_t)shrink;
		if (f->len != 0)
			break;
		b->nr_frags--;
	}
	if (b->nr_frags == 0)
		b->data_end -= off;
	return 0;
}

static uint64_t
h_adjust_tail(struct xdpc_run *r, uint64_t ctx, uint64_t off, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct xdpc_buff *b = r->buf;
	uint8_t *end = b->data_end + (int32_t)off;
	uint8_t *hard_end = b->hard_start + b->frame_sz - SKB_SHINFO_SZ;

	(void)ctx; (void)a3; (void)a4; (void)a5;
	if (b->nr_frags != 0)
		return adjust_tail_frags(b, (int32_t)off);
	if (end > hard_end || end < b->data + ETH_HLEN)
		return (uint64_t)-EINVAL;
	if ((int32_t)off > 0)
		memset(b->data_end, 0, (size_t)(int32_t)off);
	b->data_end = end;
	return 0;
}

static uint64_t
h_buff_len(struct xdpc_run *r, uint64_t ctx, uint64_t a2, uint64_t a3,
	   uint64_t a4, uint64_t a5)
{
	(void)ctx; (void)a2; (void)a3; (void)a4; (void)a5;
	return buff_len(r->buf);
}

/* Copy between the frame at offset @off (across the fragments) and
 * @p, as bpf_xdp_copy_buf. The caller checked the range. */
static void
copy_frame(struct xdpc_buff *b, uint64_t off, uint8_t *p, uint64_t len,
	   bool to_frame)
{
	uint64_t lin = (uint64_t)(b->data_end - b->data);
	uint32_t i = 0;
	uint8_t *src;
	uint64_t avail;

	src = b->data;
	avail = lin;
	while (len > 0) {
		while (off >= avail) {
			off -= avail;
			src = b->frags[i].data;
			avail = b->frags[i].len;
			i++;
		}
		uint64_t n = RTE_MIN(len, avail - off);

		if (to_frame)
			memmove(src + off, p, n);
		else
			memcpy(p, src + off, n);
		p += n;
		len -= n;
		off += n;
	}
}

static uint64_t
h_load_bytes(struct xdpc_run *r, uint64_t ctx, uint64_t off, uint64_t to,
	     uint64_t len, uint64_t a5)
{
	struct xdpc_buff *b = r->buf;

	(void)ctx; (void)a5;
	if (off + len > buff_len(b) || off + len < off)
		return (uint64_t)-EINVAL;
	if (!wr(r, to, len, "bpf_xdp_load_bytes buffer"))
		return 0;
	copy_frame(b, off, (uint8_t *)(uintptr_t)to, len, false);
	return 0;
}

static uint64_t
h_store_bytes(struct xdpc_run *r, uint64_t ctx, uint64_t off, uint64_t from,
	      uint64_t len, uint64_t a5)
{
	struct xdpc_buff *b = r->buf;

	(void)ctx; (void)a5;
	if (off + len > buff_len(b) || off + len < off)
		return (uint64_t)-EINVAL;
	if (!rd(r, from, len, "bpf_xdp_store_bytes buffer"))
		return 0;
	copy_frame(b, off, (uint8_t *)(uintptr_t)from, len, true);
	return 0;
}

static struct xdpc_map *
ringbuf_arg(struct xdpc_run *r, uint64_t mp, const char *what)
{
	struct xdpc_map *m = map_arg(r, mp, what);

	if (m != NULL && m->type != BPF_MAP_TYPE_RINGBUF) {
		xdpc_fault(r, "program %s: %s on map %s, not a RINGBUF",
			   r->prog->name, what, m->name);
		return NULL;
	}
	return m;
}

static uint64_t
h_ringbuf_output(struct xdpc_run *r, uint64_t mp, uint64_t data, uint64_t size,
		 uint64_t flags, uint64_t a5)
{
	struct xdpc_map *m = ringbuf_arg(r, mp, "bpf_ringbuf_output");
	void *rec;

	(void)flags; (void)a5;
	if (m == NULL || !rd(r, data, size, "bpf_ringbuf_output data"))
		return 0;
	rec = xdpc_ringbuf_reserve(m, size);
	if (rec == NULL)
		return (uint64_t)-EAGAIN;
	memcpy(rec, (const void *)(uintptr_t)data, size);
	xdpc_ringbuf_commit(rec, false);
	return 0;
}

static uint64_t
h_ringbuf_reserve(struct xdpc_run *r, uint64_t mp, uint64_t size,
		  uint64_t flags, uint64_t a4, uint64_t a5)
{
	struct xdpc_map *m = ringbuf_arg(r, mp, "bpf_ringbuf_reserve");

	(void)a4; (void)a5;
	if (m == NULL || flags != 0)
		return 0;
	return (uintptr_t)xdpc_ringbuf_reserve(m, size);
}

static uint64_t
h_ringbuf_submit(struct xdpc_run *r, uint64_t data, uint64_t flags,
		 uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)flags; (void)a3; (void)a4; (void)a5;
	if (!wr(r, data - 8, 8, "bpf_ringbuf_submit record"))
		return 0;
	xdpc_ringbuf_commit((void *)(uintptr_t)data, false);
	return 0;
}

static uint64_t
h_ringbuf_discard(struct xdpc_run *r, uint64_t data, uint64_t flags,
		  uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)flags; (void)a3; (void)a4; (void)a5;
	if (!wr(r, data - 8, 8, "bpf_ringbuf_discard record"))
		return 0;
	xdpc_ringbuf_commit((void *)(uintptr_t)data, true);
	return 0;
}

static uint64_t
h_ringbuf_query(struct xdpc_run *r, uint64_t mp, uint64_t flags, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	struct xdpc_map *m = ringbuf_arg(r, mp, "bpf_ringbuf_query");
	uint64_t cons, prod;

	(void)a3; (void)a4; (void)a5;
	if (m == NULL)
		return 0;
	cons = __atomic_load_n(&m->rb_cons, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&m->rb_prod, __ATOMIC_ACQUIRE);
	switch (flags) {
	case BPF_RB_AVAIL_DATA: return prod - cons;
	case BPF_RB_RING_SIZE: return m->rb_size;
	case BPF_RB_CONS_POS: return cons;
	case BPF_RB_PROD_POS: return prod;
	default: return 0;
	}
}

/* struct bpf_spin_lock lives in a map value: a 32-bit word. */
static uint64_t
h_spin_lock(struct xdpc_run *r, uint64_t lock, uint64_t a2, uint64_t a3,
	    uint64_t a4, uint64_t a5)
{
	uint32_t *l = (uint32_t *)(uintptr_t)lock;

	(void)a2; (void)a3; (void)a4; (void)a5;
	if (lock % 4 || !wr(r, lock, 4, "bpf_spin_lock"))
		return 0;
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
	return 0;
}

static uint64_t
h_spin_unlock(struct xdpc_run *r, uint64_t lock, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	(void)a2; (void)a3; (void)a4; (void)a5;
	if (lock % 4 || !wr(r, lock, 4, "bpf_spin_unlock"))
		return 0;
	__atomic_store_n((uint32_t *)(uintptr_t)lock, 0, __ATOMIC_RELEASE);
	return 0;
}

static uint64_t
h_fib_lookup(struct xdpc_run *r, uint64_t ctx, uint64_t params, uint64_t plen,
	     uint64_t flags, uint64_t a5)
{
	(void)ctx; (void)a5;
	if (plen < sizeof(struct bpf_fib_lookup))
		return (uint64_t)-EINVAL;
	if (!wr(r, params, sizeof(struct bpf_fib_lookup),
		"bpf_fib_lookup params"))
		return 0;
	return (uint64_t)xdpc_fib_lookup(
		(struct bpf_fib_lookup *)(uintptr_t)params, (uint32_t)plen,
		(uint32_t)flags);
}

static uint64_t
h_check_mtu(struct xdpc_run *r, uint64_t ctx, uint64_t ifindex,
	    uint64_t mtu_len, uint64_t len_diff, uint64_t flags)
{
	uint32_t *m = (uint32_t *)(uintptr_t)mtu_len;

	(void)ctx;
	if (!wr(r, mtu_len, 4, "bpf_check_mtu mtu_len"))
		return 0;
	return (uint64_t)xdpc_check_mtu(r->buf->ingress_ifindex,
					(uint32_t)ifindex,
					(uint32_t)(r->buf->data_end - r->buf->data),
					m, (int32_t)len_diff, flags);
}

/* bpf_perf_event_output(ctx, map, flags, data, size): the flags carry
 * the slot (or BPF_F_CURRENT_CPU) and, in BPF_F_CTXLEN_MASK, how many
 * packet bytes to append after the program's, as bpf_xdp_event_output. */
static uint64_t
h_perf_event_output(struct xdpc_run *r, uint64_t ctx, uint64_t mp,
		    uint64_t flags, uint64_t data, uint64_t size)
{
	struct xdpc_map *m = map_arg(r, mp, "bpf_perf_event_output");
	struct xdpc_buff *b = r->buf;
	uint64_t pkt_len = (flags & BPF_F_CTXLEN_MASK) >> 32;

	(void)ctx;
	if (m == NULL)
		return 0;
	if (m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		xdpc_fault(r, "program %s: bpf_perf_event_output on map %s, not "
			   "a PERF_EVENT_ARRAY", r->prog->name, m->name);
		return 0;
	}
	if (!rd(r, data, size, "bpf_perf_event_output data"))
		return 0;
	if (flags & ~(BPF_F_INDEX_MASK | BPF_F_CTXLEN_MASK))
		return (uint64_t)-EINVAL;
	if (pkt_len > (uint64_t)(b->data_end - b->data))
		return (uint64_t)-EFAULT;
	return (uint64_t)xdpc_perf_output(m, flags, r->cpu,
					  (const void *)(uintptr_t)data,
					  (uint32_t)size, b->data,
					  (uint32_t)pkt_len);
}

static const struct xdpc_helper helpers[] = {
	[BPF_FUNC_tail_call] = { "bpf_tail_call", NULL }, /* the interpreter's */
	[BPF_FUNC_loop] = { "bpf_loop", NULL }, /* the interpreter's */
	[BPF_FUNC_spin_lock] = { "bpf_spin_lock", h_spin_lock },
	[BPF_FUNC_ringbuf_output] = { "bpf_ringbuf_output", h_ringbuf_output },
	[BPF_FUNC_ringbuf_reserve] = { "bpf_ringbuf_reserve", h_ringbuf_reserve },
	[BPF_FUNC_ringbuf_submit] = { "bpf_ringbuf_submit", h_ringbuf_submit },
	[BPF_FUNC_ringbuf_discard] = { "bpf_ringbuf_discard", h_ringbuf_discard },
	[BPF_FUNC_ringbuf_query] = { "bpf_ringbuf_query", h_ringbuf_query },
	[BPF_FUNC_spin_unlock] = { "bpf_spin_unlock", h_spin_unlock },
	[BPF_FUNC_map_lookup_elem] = { "bpf_map_lookup_elem", h_map_lookup },
	[BPF_FUNC_map_update_elem] = { "bpf_map_update_elem", h_map_update },
	[BPF_FUNC_map_delete_elem] = { "bpf_map_delete_elem", h_map_delete },
	[BPF_FUNC_ktime_get_ns] = { "bpf_ktime_get_ns", h_ktime },
	[BPF_FUNC_trace_printk] = { "bpf_trace_printk", h_trace_printk },
	[BPF_FUNC_get_prandom_u32] = { "bpf_get_prandom_u32", h_prandom },
	[BPF_FUNC_get_smp_processor_id] = { "bpf_get_smp_processor_id", h_cpu },
	[BPF_FUNC_redirect] = { "bpf_redirect", h_redirect },
	[BPF_FUNC_redirect_map] = { "bpf_redirect_map", h_redirect_map },
	[BPF_FUNC_csum_diff] = { "bpf_csum_diff", h_csum_diff },
	[BPF_FUNC_xdp_adjust_head] = { "bpf_xdp_adjust_head", h_adjust_head },
	[BPF_FUNC_xdp_adjust_meta] = { "bpf_xdp_adjust_meta", h_adjust_meta },
	[BPF_FUNC_xdp_adjust_tail] = { "bpf_xdp_adjust_tail", h_adjust_tail },
	[BPF_FUNC_ktime_get_boot_ns] = { "bpf_ktime_get_boot_ns", h_ktime_boot },
	[BPF_FUNC_ktime_get_coarse_ns] = { "bpf_ktime_get_coarse_ns",
					   h_ktime_coarse },
	[BPF_FUNC_xdp_get_buff_len] = { "bpf_xdp_get_buff_len", h_buff_len },
	[BPF_FUNC_xdp_load_bytes] = { "bpf_xdp_load_bytes", h_load_bytes },
	[BPF_FUNC_xdp_store_bytes] = { "bpf_xdp_store_bytes", h_store_bytes },
	[BPF_FUNC_check_mtu] = { "bpf_check_mtu", h_check_mtu },
	[BPF_FUNC_fib_lookup] = { "bpf_fib_lookup", h_fib_lookup },
	[BPF_FUNC_perf_event_output] = { "bpf_perf_event_output",
					 h_perf_event_output },
};

const struct xdpc_helper *
xdpc_helper(uint32_t id)
{
	if (id >= sizeof(helpers) / sizeof(helpers[0]) ||
	    (helpers[id].fn == NULL && id != BPF_FUNC_tail_call &&
	     id != BPF_FUNC_loop))
		return NULL;
	return &helpers[id];
}
