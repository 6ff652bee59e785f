/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat internals shared by the loader, the maps, the helpers and
 * the interpreter.
 */
#ifndef XDPC_INTERNAL_H
#define XDPC_INTERNAL_H

#include <errno.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "xdpc.h"
#include "xdpc_testing.h"

#define XDPC_STACK 512u
#define XDPC_MAX_CALL_DEPTH 8u
#define XDPC_MAX_TAIL_CALLS 33u /* the kernel's MAX_TAIL_CALL_CNT */
#define XDPC_MAX_MAPS 64u
#define XDPC_MAX_PROGS 64u
#define XDPC_NCPU 128u        /* per-CPU value copies (RTE_MAX_LCORE) */

/* Marker the loader puts in ld_imm64 src_reg for a map address, and for
 * an address inside a map's value (global data), before load() turns
 * them into real pointers. */
#define XDPC_PSEUDO_MAP 1
#define XDPC_PSEUDO_MAP_VALUE 2
/* ...and for the address of a subprogram (a bpf_loop callback); load()
 * turns it into XDPC_FUNC_TAG | instruction index, which only the
 * callback-taking helpers accept. */
#define XDPC_PSEUDO_FUNC 3
#define XDPC_FUNC_TAG 0xbf00c0de00000000ull
#define XDPC_MAX_LOOPS (1u << 23) /* the kernel's BPF_MAX_LOOPS */

struct xdpc_map {
	char name[64];
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	uint32_t vsz8;          /* value size rounded to 8 (per-CPU stride) */
	bool readonly;          /* .rodata (after load) */
	/* storage */
	uint8_t *data;          /* array: max_entries x value (x ncpu) */
	size_t data_len;
	struct xdpc_hash *hash; /* hash maps */
	/* RINGBUF: data is mapped twice back to back (as in the kernel) so
	 * a record that wraps stays contiguous */
	uint64_t rb_size, rb_cons, rb_prod;
	struct xdpc_perf_slot *perf; /* PERF_EVENT_ARRAY: one per entry */
	struct rte_ring **rings;     /* XSKMAP, CPUMAP: one per entry */
	pthread_mutex_t lock;   /* application updates vs each other */
	/* ARRAY_OF_MAPS / HASH_OF_MAPS: values are inner map index + 1
	 * in obj, checked against the __array(values, ...) template */
	struct xdpc_obj *obj;
	uint32_t inner_type, inner_key_size, inner_value_size;
	/* global data sections are single-element array maps */
	int sec_idx;
	int values_off;         /* BTF `values` member offset, -1 if none */
};

struct xdpc_prog {
	char name[64];
	char sec[64];
	bool frags;             /* an xdp.frags program */
	struct xdpc_obj *obj;
	struct bpf_insn *insns;
	uint32_t n;
	uint32_t main_n;        /* before appended subprograms */
	struct xdpc_verify_stats vstats;
	/* per instruction, from the verifier: XDPC_VAUX_*; and XDPC_VF_* */
	uint8_t *vaux;
	uint32_t vflags;
	/* per instruction: a bpf_map_lookup_elem's map (index + 1), the
	 * same on every path, or XDPC_VCALL_MANY */
	uint32_t *vcall;
	/* the JIT's code, when this program is compiled (xdpc_jit_x86.c),
	 * and the engine xdpc_prog_run uses */
	struct xdpc_jit *jit;
	uint8_t engine;
	/* BTF line info: sorted by insn; strings in obj->btf_str */
	struct xdpc_line *lines;
	uint32_t nr_lines;
};

/* the access is to the context (struct xdp_md), whose fields the JIT
 * reads from struct xdpc_buff */
#define XDPC_VAUX_CTX 1
/* ...to other memory */
#define XDPC_VAUX_MEM 2

/* what the program computes may depend on where things are in memory
 * (a pointer compared, converted or handed to a helper as a number) */
#define XDPC_VF_ADDR 1u
#define XDPC_VCALL_MANY UINT32_MAX

struct xdpc_line {
	uint32_t insn, line;
	uint32_t file_off, src_off;
};

struct xdpc_obj {
	char path[256];
	struct xdpc_map maps[XDPC_MAX_MAPS];
	uint32_t nr_maps;
	struct xdpc_prog progs[XDPC_MAX_PROGS];
	uint32_t nr_progs;
	bool loaded;
	void *elf_state;        /* loader-private until load() */
	char *btf_str;          /* BTF strings (line info), or NULL */
	size_t btf_str_len;
};

/* One ALU or ALU32 operation with the ISA's semantics (division by zero
 * gives 0, modulo by zero keeps the dividend, shifts are masked to the
 * width, off selects sdiv/smod and movsx), for the interpreter and for
 * the verifier's constant folding. BPF_END is not here. */
static inline uint64_t
xdpc_alu_eval(uint8_t op, bool is64, int16_t off, uint64_t a64, uint64_t b64)
{
	uint64_t a = is64 ? a64 : (uint32_t)a64;
	uint64_t b = is64 ? b64 : (uint32_t)b64;
	uint64_t res;

	switch (op) {
	case BPF_ADD: res = a + b; break;
	case BPF_SUB: res = a - b; break;
	case BPF_MUL: res = a * b; break;
	case BPF_OR: res = a | b; break;
	case BPF_AND: res = a & b; break;
	case BPF_XOR: res = a ^ b; break;
	case BPF_LSH: res = a << (b & (is64 ? 63 : 31)); break;
	case BPF_RSH: res = a >> (b & (is64 ? 63 : 31)); break;
	case BPF_ARSH:
		res = is64 ? (uint64_t)((int64_t)a >> (b & 63)) :
		      (uint32_t)((int32_t)a >> (b & 31));
		break;
	case BPF_NEG: res = -a; break;
	case BPF_DIV:
		if (off == 1) { /* sdiv */
			if (b == 0)
				res = 0;
			else if (is64)
				res = (int64_t)b == -1 ? -a :
				      (uint64_t)((int64_t)a / (int64_t)b);
			else
				res = (int32_t)b == -1 ? (uint32_t)-a :
				      (uint32_t)((int32_t)a / (int32_t)b);
		} else {
			res = b ? a / b : 0;
		}
		break;
	case BPF_MOD:
		if (off == 1) { /* smod */
			if (b == 0)
				res = a;
			else if (is64)
				res = (int64_t)b == -1 ? 0 :
				      (uint64_t)((int64_t)a % (int64_t)b);
			else
				res = (int32_t)b == -1 ? 0 :
				      (uint32_t)((int32_t)a % (int32_t)b);
		} else {
			res = b ? a % b : a;
		}
		break;
	default: /* BPF_MOV */
		if (off == 8)
			res = (uint64_t)(int64_t)(int8_t)b64;
		else if (off == 16)
			res = (uint64_t)(int64_t)(int16_t)b64;
		else if (off == 32)
			res = (uint64_t)(int64_t)(int32_t)b64;
		else
			res = b;
		break;
	}
	return is64 ? res : (uint32_t)res;
}

/* The program slot @idx of PROG_ARRAY @m holds, or NULL (empty or out
 * of range): a tail call's target, for both engines. */
static inline struct xdpc_prog *
xdpc_tail_target(struct xdpc_map *m, uint32_t idx)
{
	uint32_t v = 0;

	if (idx < m->max_entries)
		memcpy(&v, m->data + (size_t)idx * m->vsz8, 4);
	return v == 0 || v > m->obj->nr_progs ? NULL : &m->obj->progs[v - 1];
}

/* bpf_loop's argument errors as the kernel returns them, or 0 when the
 * loop may run, for both engines. */
static inline int64_t
xdpc_loop_args(uint32_t nr, uint64_t flags)
{
	if (flags != 0)
		return -EINVAL;
	return nr > XDPC_MAX_LOOPS ? -E2BIG : 0;
}

/* maps (xdpc_maps.c) */
int xdpc_map_create(struct xdpc_map *m, char *err, size_t errlen);
void xdpc_map_free(struct xdpc_map *m);
/* Program-side lookup: pointer to the value (this CPU's copy), or NULL. */
void *xdpc_map_lookup_elem(struct xdpc_map *m, const void *key, unsigned int cpu);
long xdpc_map_update_elem(struct xdpc_map *m, const void *key,
			  const void *value, uint64_t flags, unsigned int cpu);
long xdpc_map_delete_elem(struct xdpc_map *m, const void *key);
/* Bytes from one array element to the next (all CPUs' copies). */
uint32_t xdpc_map_vblock(const struct xdpc_map *m);
/* RINGBUF producer side (helpers). */
void *xdpc_ringbuf_reserve(struct xdpc_map *m, uint64_t size);
void xdpc_ringbuf_commit(void *data, bool discard);
struct xdpc_run;
/* bpf_trace_printk's formatter (xdpc_printk.c): the kernel's accepted
 * conversions, at most three of @args; the length the kernel would
 * return, or -EINVAL. */
int xdpc_bprintf(struct xdpc_run *r, const char *fmt, size_t fmt_size,
		 const uint64_t *args, char *out, size_t outlen);

/* bpf_check_mtu (xdpc_netdev.c): the kernel's return codes. */
long xdpc_check_mtu(uint32_t ingress_ifindex, uint32_t ifindex,
		    uint32_t frame_len, uint32_t *mtu_len, int32_t len_diff,
		    uint64_t flags);

/* XSKMAP and CPUMAP (xdpc_ringmaps.c) */
int xdpc_ringmap_create(struct xdpc_map *m, char *err, size_t errlen);
void xdpc_ringmap_free(struct xdpc_map *m);
int xdpc_ringmap_update(struct xdpc_map *m, uint32_t key, const void *value);
int xdpc_ringmap_delete(struct xdpc_map *m, uint32_t key);
/* The slot's ring (acquire: the ring is set up before it is seen). */
static inline struct rte_ring *
xdpc_ringmap_ring(const struct xdpc_map *m, uint32_t key)
{
	return key < m->max_entries ?
	       __atomic_load_n(&m->rings[key], __ATOMIC_ACQUIRE) : NULL;
}
static inline bool
xdpc_is_ringmap(uint32_t t)
{
	return t == BPF_MAP_TYPE_XSKMAP || t == BPF_MAP_TYPE_CPUMAP;
}

/* Devices (xdpc_netdev.c): MTU 0 means no such device. */
uint32_t xdpc_netdev_mtu(uint32_t ifindex);
void xdpc_netdev_mac(uint32_t ifindex, uint8_t mac[6]);

/* bpf_fib_lookup (xdpc_fib.c) */
long xdpc_fib_lookup(struct bpf_fib_lookup *params, uint32_t plen,
		     uint32_t flags);

/* PERF_EVENT_ARRAY (xdpc_perf.c) */
int xdpc_perf_create(struct xdpc_map *m, char *err, size_t errlen);
void xdpc_perf_free(struct xdpc_map *m);
/* bpf_perf_event_output: @meta then @pkt_len bytes of @pkt, to the slot
 * @flags names; the kernel's return codes. */
long xdpc_perf_output(struct xdpc_map *m, uint64_t flags, unsigned int cpu,
		      const void *meta, uint32_t meta_len, const void *pkt,
		      uint32_t pkt_len);
/* Map-in-map: the inner map a value names, or NULL. */
struct xdpc_map *xdpc_map_inner(struct xdpc_map *outer, const uint32_t *v);
static inline bool
xdpc_is_map_of_maps(uint32_t t)
{
	return t == BPF_MAP_TYPE_ARRAY_OF_MAPS || t == BPF_MAP_TYPE_HASH_OF_MAPS;
}
/* Is [p, p+len) inside some value of @m? (for memory checks) */
bool xdpc_map_value_range(const struct xdpc_map *m, const void *p, size_t len);
/* The value (one CPU's copy, one element; global data: the section) of
 * array map @m that @p lies in, as [*lo, *hi). */
void xdpc_map_value_extent(const struct xdpc_map *m, const void *p,
			   uintptr_t *lo, uintptr_t *hi);

/* helpers (xdpc_helpers.c) */
struct xdpc_run;
typedef uint64_t (*xdpc_helper_fn)(struct xdpc_run *r, uint64_t a1,
				   uint64_t a2, uint64_t a3, uint64_t a4,
				   uint64_t a5);
struct xdpc_helper {
	const char *name;
	xdpc_helper_fn fn;
};
const struct xdpc_helper *xdpc_helper(uint32_t id);

/* State of one run, seen by helpers and the interpreter. */
struct xdpc_run {
	struct xdpc_prog *prog;
	struct xdpc_buff *buf;
	uint8_t ctx[24];        /* what the program sees as struct xdp_md */
	unsigned int cpu;
	char *trace;
	size_t tracelen;
	bool fault;
	const uint8_t *stack_lo, *stack_hi; /* for helpers' pointer checks */
	/* the array value the run touched last, [lo, hi), and whether the
	 * program may write it: later accesses there skip the map scan */
	uintptr_t val_lo, val_hi;
	bool val_w;
	bool unchecked;         /* runtime memory checks off: the proof stands */
	/* the JIT's: the main frame's rsp (aborts unwind to it), the frame
	 * a bpf_loop callback is called under, a tail call's target */
	uintptr_t jit_rsp;
	uint8_t *jit_fp;
	struct xdpc_prog *tail_next;
	uint32_t tail_calls;
	/* the helpers that move packet bounds invalidate packet pointers in
	 * the kernel; here the run just re-reads the buffer */
};

/* The verifier, on a program before its 64-bit loads are relocated
 * (src_reg still says map, map value or function). Control flow
 * (xdpc_verify.c), then every path (xdpc_absint.c): 0, or -EINVAL with
 * the instruction named in @err. */
int xdpc_verify_cfg(const struct xdpc_obj *obj, const struct xdpc_prog *p,
		    char *err, size_t errlen);
int xdpc_verify_prog(const struct xdpc_obj *obj, struct xdpc_prog *p,
		     char *err, size_t errlen);
/* The source line of instruction @insn, when BTF line info has one. */
bool xdpc_prog_line(const struct xdpc_prog *p, uint32_t insn,
		    const char **file, uint32_t *line, const char **src);
/* Line info from .BTF/.BTF.ext for section @sec placed at @base in @p
 * (xdpc_btf_lines.c); nothing when the object has none. */
int xdpc_btf_lines_add(struct xdpc_obj *obj, struct xdpc_prog *p,
		       const void *btf, size_t btf_len, const void *ext,
		       size_t ext_len, const char *sec, uint32_t first,
		       uint32_t count, uint32_t base);

/* The engines: the reference interpreter (xdpc_interp.c) and the JIT
 * (xdpc_jit_x86.c; elsewhere it reports -ENOTSUP and runs the
 * interpreter). */
uint32_t xdpc_interp_run(struct xdpc_prog *prog, struct xdpc_buff *buf,
			 char *trace, size_t tracelen);
int xdpc_jit_compile(struct xdpc_prog *p, char *err, size_t errlen);
void xdpc_jit_free(struct xdpc_prog *p);
uint32_t xdpc_jit_run(struct xdpc_prog *prog, struct xdpc_buff *buf,
		      char *trace, size_t tracelen);
bool xdpc_jit_available(void);

void xdpc_fault(struct xdpc_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Is [p, p+len) memory the program may touch (write: writable)? */
bool xdpc_mem_ok(struct xdpc_run *r, const void *p, size_t len, bool write,
		 const uint8_t *stack_lo, const uint8_t *stack_hi);

#endif
