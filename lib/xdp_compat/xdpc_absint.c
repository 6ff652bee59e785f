/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verifier's abstract interpreter: walks every path of a program
 * (after the control-flow pass) with a type and a value range for each
 * register and stack byte, in the spirit of the kernel's verifier, and
 * refuses the program at the first instruction that could touch memory
 * it may not: packet bytes not proven inside data_end (or metadata
 * inside data), map values outside value_size or unchecked for NULL,
 * stack outside the frame or read before written, the context other
 * than its readable fields, helpers called against their prototypes,
 * pointer arithmetic the kernel forbids, references and locks left
 * held. Paths are pruned at jump targets when an explored state
 * contains the current one; a loop that returns to a state it already
 * had is infinite, and 1M instructions processed is the kernel's limit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xdpc_internal.h"
#include "xdpc_verify.h"
#include "xdpc_vscalar.h"

#define MAX_PROCESSED 1000000u
#define MAX_PKT_OFF 0xffff     /* the kernel's MAX_PACKET_OFF */
#define MAX_VAR_OFF (1 << 29)  /* ...BPF_MAX_VAR_OFF */
#define NSLOTS (XDPC_STACK / 8)
#define MAX_REFS 8
#define MAX_CPS_PER_INSN 64
#define U32M 0xffffffffull
#define INNER 0x80000000u      /* aux: the inner map of map aux & ~INNER */

enum { T_NOINIT, T_SCALAR, T_CTX, T_PKT, T_META, T_PKT_END, T_STACK,
       T_MAPV, T_MAPV_NULL, T_MAP, T_MAP_NULL, T_MEM, T_MEM_NULL, T_FUNC };

static const char *const tname[] = {
	"uninit", "scalar", "ctx", "pkt", "pkt_meta", "pkt_end", "fp",
	"map_value", "map_value_or_null", "map_ptr", "map_ptr_or_null",
	"mem", "mem_or_null", "func",
};

struct vreg {
	struct xdpc_sc v;       /* scalar value, or a pointer's variable offset */
	int32_t off;            /* pointer's fixed offset */
	int32_t range;          /* packet: bytes proven from data+var */
	uint32_t id;            /* copies of a scalar / packet var / NULL check */
	uint32_t ref;           /* acquired reference (a ringbuf record) */
	uint32_t aux;           /* map index (| INNER), record size, insn */
	uint8_t type, frame;
};

enum { S_INVALID = 0, S_MISC, S_ZERO, S_SPILL };

struct vslot {
	uint8_t kind[8];        /* per byte, bottom up */
	struct vreg spill;      /* all 8 bytes S_SPILL */
};

struct vframe {
	struct vreg r[11];
	struct vslot s[NSLOTS]; /* s[i] is fp-8(i+1) .. fp-8i */
	uint32_t callsite;      /* where exit returns to */
	uint32_t entry;         /* the subprogram */
	bool cb;                /* a bpf_loop callback... */
	struct vreg cbarg;      /* ...and the context it is called with */
};

struct vcp;

struct vstate {
	struct vframe *f[XDPC_MAX_CALL_DEPTH];
	uint32_t cur;           /* current frame */
	uint32_t insn;
	uint32_t refs[MAX_REFS];
	uint32_t nrefs;
	uint32_t lock_aux, lock_id;
	int32_t lock_off;
	bool locked;
	struct vcp *parent;
};

/* an explored state, kept at a prune point */
struct vcp {
	struct vstate st;
	struct vcp *next;       /* same instruction */
	struct vcp *parent;
	uint32_t branches;      /* paths from it still being explored */
};

#define F_PRUNE 1
#define F_ENTRY 2

struct venv {
	const struct xdpc_obj *obj;
	struct xdpc_prog *p;
	const struct bpf_insn *in;
	uint32_t n;
	uint16_t *live;
	uint8_t *flag;
	struct vcp **cps;
	uint16_t *ncps;
	struct vstate **pending;
	uint32_t npending, cap;
	uint64_t processed;
	uint32_t next_id;
	uint32_t nstates;
	uint32_t *depth;        /* per subprogram entry: deepest stack byte */
	char *err;
	size_t errlen;
};

/* ---- states ---- */

static struct vstate *
st_copy(const struct vstate *s)
{
	struct vstate *c = malloc(sizeof(*c));

	if (c == NULL)
		return NULL;
	*c = *s;
	for (uint32_t i = 0; i <= s->cur; i++) {
		c->f[i] = malloc(sizeof(struct vframe));
		if (c->f[i] == NULL) {
			while (i-- > 0)
				free(c->f[i]);
			free(c);
			return NULL;
		}
		memcpy(c->f[i], s->f[i], sizeof(struct vframe));
	}
	return c;
}

static void
st_free_frames(struct vstate *s)
{
	for (uint32_t i = 0; i <= s->cur; i++)
		free(s->f[i]);
}

static void
st_free(struct vstate *s)
{
	if (s == NULL)
		return;
	st_free_frames(s);
	free(s);
}

static struct vreg *
R(struct vstate *s, int i)
{
	return &s->f[s->cur]->r[i];
}

static void
mark_scalar(struct vreg *r, struct xdpc_sc v)
{
	memset(r, 0, sizeof(*r));
	r->type = T_SCALAR;
	r->v = v;
}

static void
mark_unknown(struct vreg *r)
{
	mark_scalar(r, xdpc_sc_unknown());
}

static bool
is_ptr(const struct vreg *r)
{
	return r->type != T_SCALAR && r->type != T_NOINIT;
}

static const struct xdpc_map *
vmap(const struct venv *e, uint32_t aux)
{
	return &e->obj->maps[aux & ~INNER];
}

static uint32_t
map_type(const struct venv *e, uint32_t aux)
{
	return aux & INNER ? vmap(e, aux)->inner_type : vmap(e, aux)->type;
}

static uint32_t
map_key_size(const struct venv *e, uint32_t aux)
{
	return aux & INNER ? vmap(e, aux)->inner_key_size : vmap(e, aux)->key_size;
}

static uint32_t
map_value_size(const struct venv *e, uint32_t aux)
{
	return aux & INNER ? vmap(e, aux)->inner_value_size :
	       vmap(e, aux)->value_size;
}

static bool
map_readonly(const struct xdpc_map *m)
{
	return m->readonly ||
	       (m->sec_idx >= 0 && !strncmp(m->name, ".rodata", 7));
}

static bool
map_writable(const struct venv *e, uint32_t aux)
{
	const struct xdpc_map *m = vmap(e, aux);

	if (aux & INNER)
		return xdpc_vmap_prog_writable(m->inner_type, 0, false);
	return xdpc_vmap_prog_writable(m->type, m->flags, map_readonly(m));
}

/* ---- messages ---- */

static int
fmt_reg(const struct venv *e, const struct vreg *r, char *b, size_t len)
{
	char v[96];

	xdpc_sc_fmt(&r->v, v, sizeof(v));
	switch (r->type) {
	case T_NOINIT:
		return snprintf(b, len, "uninit");
	case T_SCALAR:
		return snprintf(b, len, "scalar(%s)", v);
	case T_PKT:
	case T_META:
		return snprintf(b, len, "%s(off=%d,var=%s,r=%d)", tname[r->type],
				r->off, v, r->range);
	case T_STACK:
		return snprintf(b, len, "fp%u%+d%s%s", r->frame, r->off,
				xdpc_sc_is_const(&r->v) && r->v.tv == 0 ? "" : "+",
				xdpc_sc_is_const(&r->v) && r->v.tv == 0 ? "" : v);
	case T_MAPV:
	case T_MAPV_NULL:
	case T_MAP:
	case T_MAP_NULL:
		return snprintf(b, len, "%s(%s%s,off=%d,var=%s,vs=%u)",
				tname[r->type], r->aux & INNER ? "inner of " : "",
				vmap(e, r->aux)->name, r->off, v,
				map_value_size(e, r->aux));
	case T_MEM:
	case T_MEM_NULL:
		return snprintf(b, len, "%s(size=%u,off=%d,var=%s)", tname[r->type],
				r->aux, r->off, v);
	case T_FUNC:
		return snprintf(b, len, "func(insn %u)", r->aux);
	default:
		return snprintf(b, len, "%s(off=%d)", tname[r->type], r->off);
	}
}

static void
vappend(char *b, size_t len, const char *fmt, ...)
{
	size_t at = strlen(b);
	va_list ap;

	if (at + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(b + at, len - at, fmt, ap);
	va_end(ap);
}

/* The error: file, program, instruction, its source line, the rule, and
 * the registers of the current frame. */
static int
verr(struct venv *e, struct vstate *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
verr(struct venv *e, struct vstate *s, const char *fmt, ...)
{
	char rule[512];
	va_list ap;
	const char *file, *line;
	uint32_t lno;

	va_start(ap, fmt);
	vsnprintf(rule, sizeof(rule), fmt, ap);
	va_end(ap);
	snprintf(e->err, e->errlen, "%s: program %s: instruction %u", e->obj->path,
		 e->p->name, s->insn);
	if (xdpc_prog_line(e->p, s->insn, &file, &lno, &line))
		vappend(e->err, e->errlen, " (%s:%u: %s)", file, lno, line);
	vappend(e->err, e->errlen, ": %s", rule);
	vappend(e->err, e->errlen, "; frame %u:", s->cur);
	for (int i = 0; i < 11; i++) {
		char b[192];

		if (R(s, i)->type == T_NOINIT)
			continue;
		fmt_reg(e, R(s, i), b, sizeof(b));
		vappend(e->err, e->errlen, " R%d=%s", i, b);
	}
	return -EINVAL;
}

/* ---- registers ---- */

static int
check_read(struct venv *e, struct vstate *s, int r)
{
	if (R(s, r)->type == T_NOINIT)
		return verr(e, s, "R%d is read before it is written (the "
			    "kernel: R%d !read_ok)", r, r);
	return 0;
}

/* Every register and spilled register in every frame. */
#define FOR_EACH_REG(s, reg, BODY) do {                                       \
		for (uint32_t fi_ = 0; fi_ <= (s)->cur; fi_++) {              \
			struct vframe *f_ = (s)->f[fi_];                      \
			for (int ri_ = 0; ri_ < 11; ri_++) {                  \
				struct vreg *reg = &f_->r[ri_];               \
				BODY                                          \
			}                                                     \
			for (int si_ = 0; si_ < (int)NSLOTS; si_++) {         \
				struct vreg *reg = &f_->s[si_].spill;         \
				if (f_->s[si_].kind[0] != S_SPILL)            \
					continue;                             \
				BODY                                          \
			}                                                     \
		}                                                             \
	} while (0)

/* A scalar's bounds learnt: so are its copies'. */
static void
sync_copies(struct vstate *s, const struct vreg *src)
{
	if (src->type != T_SCALAR || src->id == 0)
		return;
	FOR_EACH_REG(s, x, {
		if (x != src && x->type == T_SCALAR && x->id == src->id)
			x->v = src->v;
	});
}

static void
clear_pkt_pointers(struct vstate *s)
{
	FOR_EACH_REG(s, x, {
		if (x->type == T_PKT || x->type == T_META || x->type == T_PKT_END)
			mark_unknown(x);
	});
}

/* ---- stack ---- */

static struct vslot *
slot_at(struct vframe *f, int off)
{
	return &f->s[(-off - 1) / 8];
}

static uint8_t *
kind_at(struct vframe *f, int off)
{
	int i = (-off - 1) / 8, b = ((off % 8) + 8) % 8;

	return &f->s[i].kind[b];
}

static void
note_depth(struct venv *e, const struct vframe *f, int off)
{
	uint32_t d = (uint32_t)-off;

	if (d > e->depth[f->entry])
		e->depth[f->entry] = d;
}

/* a write of [off, off+size) loses whatever was spilled there */
static void
unspill(struct vframe *f, int off, int size)
{
	for (int o = off; o < off + size; o++) {
		struct vslot *sl = slot_at(f, o);

		if (sl->kind[0] == S_SPILL) {
			for (int b = 0; b < 8; b++)
				sl->kind[b] = S_MISC;
			memset(&sl->spill, 0, sizeof(sl->spill));
		}
	}
}

static int
stack_write(struct venv *e, struct vstate *s, struct vframe *f, int off,
	    int size, const struct vreg *val, bool has_val, int64_t imm)
{
	note_depth(e, f, off);
	if (size == 8 && off % 8 == 0) {
		struct vslot *sl = slot_at(f, off);

		for (int b = 0; b < 8; b++)
			sl->kind[b] = S_SPILL;
		if (has_val)
			sl->spill = *val;
		else
			mark_scalar(&sl->spill, xdpc_sc_const((uint64_t)imm));
		return 0;
	}
	if (has_val && is_ptr(val))
		return verr(e, s, "a %d-byte store of pointer R (%s) to the stack "
			    "would split it (the kernel: invalid size of "
			    "register spill)", size, tname[val->type]);
	unspill(f, off, size);
	{
		bool zero = has_val ? xdpc_sc_is_const(&val->v) && val->v.tv == 0 :
			    imm == 0;

		for (int o = off; o < off + size; o++)
			*kind_at(f, o) = zero ? S_ZERO : S_MISC;
	}
	return 0;
}

/* What a load of @size bytes (sign-extended: @sx) may give. */
static struct xdpc_sc
loaded(int size, bool sx)
{
	if (size == 8)
		return xdpc_sc_unknown();
	if (sx)
		return xdpc_sc_srange(-(1ll << (size * 8 - 1)),
				      (1ll << (size * 8 - 1)) - 1);
	return xdpc_sc_urange(0, (1ull << (size * 8)) - 1);
}

static int
stack_read(struct venv *e, struct vstate *s, struct vframe *f, int off,
	   int size, struct vreg *dst, bool sx)
{
	struct vslot *sl = slot_at(f, off);
	bool zero = true;

	if (size == 8 && off % 8 == 0 && sl->kind[0] == S_SPILL) {
		*dst = sl->spill;
		return 0;
	}
	for (int o = off; o < off + size; o++) {
		struct vslot *x = slot_at(f, o);
		uint8_t k = *kind_at(f, o);

		if (k == S_INVALID)
			return verr(e, s, "read of %d bytes at fp%+d reads stack "
				    "byte fp%+d, which was never written (invalid "
				    "read from stack)", size, off, o);
		if (k == S_SPILL && is_ptr(&x->spill))
			return verr(e, s, "a %d-byte read at fp%+d of a spilled "
				    "pointer (%s) (the kernel: invalid size of "
				    "register fill)", size, off,
				    tname[x->spill.type]);
		if (k == S_SPILL && !(xdpc_sc_is_const(&x->spill.v) &&
				      x->spill.v.tv == 0))
			zero = false;
		if (k == S_MISC)
			zero = false;
	}
	mark_scalar(dst, zero ? xdpc_sc_const(0) : loaded(size, sx));
	return 0;
}

/* [lo, hi) of the frame a stack pointer with a variable part may touch */
static int
stack_span(struct venv *e, struct vstate *s, const struct vreg *r, int off,
	   int size, int *lo, int *hi, const char *what)
{
	int64_t a = (int64_t)r->off + off + r->v.smin;
	int64_t b = (int64_t)r->off + off + r->v.smax + size;

	if (r->v.smin < -MAX_VAR_OFF || r->v.smax > MAX_VAR_OFF ||
	    a < -(int64_t)XDPC_STACK || b > 0)
		return verr(e, s, "%s of %d bytes at fp%+d%s outside the %u-byte "
			    "stack frame (invalid stack access)", what, size,
			    r->off + off,
			    xdpc_sc_is_const(&r->v) ? "" : " + a variable offset",
			    XDPC_STACK);
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

/* ---- memory access ---- */

static int
var_ok(struct venv *e, struct vstate *s, const struct vreg *r, int reg)
{
	if (r->v.smin < 0)
		return verr(e, s, "R%d (%s) has a variable offset that may be "
			    "negative (the kernel: min value is negative)", reg,
			    tname[r->type]);
	if (r->v.umax >= MAX_VAR_OFF)
		return verr(e, s, "R%d (%s) has an unbounded variable offset "
			    "(unbounded memory access, make sure to bounds check "
			    "any such access)", reg, tname[r->type]);
	return 0;
}

/* reading .rodata at a known place gives the constant there */
static bool
rodata_const(const struct venv *e, const struct vreg *r, int off, int size,
	     uint64_t *v)
{
	const struct xdpc_map *m;
	uint64_t x = 0;

	if (r->aux & INNER || !xdpc_sc_is_const(&r->v))
		return false;
	m = vmap(e, r->aux);
	if (!map_readonly(m) || m->sec_idx < 0 || m->data == NULL)
		return false;
	memcpy(&x, m->data + r->off + off + r->v.tv, (size_t)size);
	*v = x;
	return true;
}

enum acc { ACC_READ, ACC_WRITE, ACC_ATOMIC };

/* Check an access of @size bytes at R@reg + @off; for a read, *dst
 * receives what is read. @val is what a write stores (NULL: @imm). */
static int
mem_access(struct venv *e, struct vstate *s, int reg, int off, int size,
	   enum acc acc, struct vreg *dst, const struct vreg *val, int64_t imm,
	   bool sx)
{
	struct vreg *r = R(s, reg);
	const char *what = acc == ACC_READ ? "read" : "write";
	bool write = acc != ACC_READ;

	if (write && val != NULL && is_ptr(val) && r->type != T_STACK)
		return verr(e, s, "storing a pointer (%s) into %s memory: no "
			    "pointer may leave the registers and the stack",
			    tname[val->type], tname[r->type]);
	switch (r->type) {
	case T_CTX: {
		int o = r->off + off;

		if (!xdpc_sc_is_const(&r->v) || r->v.tv != 0 || r->off != 0)
			return verr(e, s, "R%d: dereference of a modified ctx "
				    "pointer (off %d) is not allowed", reg, r->off);
		if (write)
			return verr(e, s, "write to struct xdp_md at offset %d: "
				    "the context is read only", o);
		if (size != 4 || o < 0 || o >= 24 || o % 4 || sx)
			return verr(e, s, "invalid struct xdp_md access at offset "
				    "%d, size %d: fields are 4-byte loads of data, "
				    "data_end, data_meta, ingress_ifindex, "
				    "rx_queue_index, egress_ifindex", o, size);
		memset(dst, 0, sizeof(*dst));
		dst->v = xdpc_sc_const(0);
		switch (o) {
		case 0: dst->type = T_PKT; break;
		case 4: dst->type = T_PKT_END; break;
		case 8: dst->type = T_META; break;
		default: mark_scalar(dst, xdpc_sc_urange(0, U32M)); break;
		}
		return 0;
	}
	case T_PKT:
	case T_META: {
		int64_t o = (int64_t)r->off + off;
		int rc = var_ok(e, s, r, reg);

		if (rc)
			return rc;
		if (acc == ACC_ATOMIC)
			return verr(e, s, "atomic operation on the packet is not "
				    "allowed");
		if (o < 0 || o + size > r->range)
			return verr(e, s, "invalid access to %s: %s of %d bytes at "
				    "offset %lld, but only %d bytes are proven "
				    "inside %s (compare against %s first)",
				    r->type == T_PKT ? "packet" : "packet metadata",
				    what, size, (long long)o, r->range,
				    r->type == T_PKT ? "data_end" : "data",
				    r->type == T_PKT ? "data_end" : "data");
		if (!write)
			mark_scalar(dst, loaded(size, sx));
		return 0;
	}
	case T_MAPV:
	case T_MEM: {
		uint32_t lim = r->type == T_MAPV ? map_value_size(e, r->aux) : r->aux;
		int64_t lo = (int64_t)r->off + off + r->v.smin;
		int64_t hi = (int64_t)r->off + off + (int64_t)r->v.umax + size;
		int rc = var_ok(e, s, r, reg);

		if (rc)
			return rc;
		if (lo < 0 || hi > lim)
			return verr(e, s, "invalid access to %s: %s of %d bytes at "
				    "offset %lld..%lld, outside its %u bytes",
				    r->type == T_MAPV ? "map value" : "ringbuf record",
				    what, size, (long long)lo,
				    (long long)(hi - size), lim);
		if (r->type == T_MAPV) {
			const struct xdpc_map *m = vmap(e, r->aux);

			if (write && !map_writable(e, r->aux))
				return verr(e, s, "write into map %s, which is read "
					    "only to programs", m->name);
			if (!write && !(r->aux & INNER) &&
			    (m->flags & BPF_F_WRONLY_PROG))
				return verr(e, s, "read from map %s, which is write "
					    "only to programs", m->name);
		}
		if (acc == ACC_ATOMIC &&
		    ((r->off + off) % size || (r->v.tv | r->v.tm) % size))
			return verr(e, s, "misaligned atomic access of %d bytes",
				    size);
		if (!write) {
			uint64_t c;

			if (r->type == T_MAPV && !sx && rodata_const(e, r, off, size, &c))
				mark_scalar(dst, xdpc_sc_const(c));
			else
				mark_scalar(dst, loaded(size, sx));
		}
		return 0;
	}
	case T_STACK: {
		struct vframe *f = s->f[r->frame];
		int lo = 0, hi = 0, rc = stack_span(e, s, r, off, size, &lo, &hi, what);

		if (rc)
			return rc;
		if (write && val != NULL && val->type == T_STACK &&
		    val->frame > r->frame)
			return verr(e, s, "storing a pointer to frame %u's stack "
				    "into frame %u's, which outlives it", val->frame,
				    r->frame);
		if (acc == ACC_ATOMIC && (lo % size))
			return verr(e, s, "misaligned atomic access of %d bytes",
				    size);
		if (!xdpc_sc_is_const(&r->v)) {
			/* variable offset: every byte it may touch */
			if (!write)
				for (int o = lo; o < hi; o++)
					if (*kind_at(f, o) == S_SPILL &&
					    is_ptr(&slot_at(f, o)->spill))
						e->p->vflags |= XDPC_VF_ADDR;
			for (int o = lo; o < hi; o++) {
				uint8_t k = *kind_at(f, o);

				if (k == S_INVALID)
					return verr(e, s, "variable-offset %s of %d "
						    "bytes may touch stack byte fp%+d, "
						    "which was never written", what,
						    size, o);
				if (write && k == S_SPILL && is_ptr(&slot_at(f, o)->spill))
					return verr(e, s, "variable-offset write "
						    "may overwrite a spilled pointer "
						    "at fp%+d", o);
			}
			note_depth(e, f, lo);
			if (write) {
				unspill(f, lo, hi - lo);
				for (int o = lo; o < hi; o++)
					*kind_at(f, o) = S_MISC;
			} else {
				mark_scalar(dst, loaded(size, sx));
			}
			return 0;
		}
		note_depth(e, f, lo);
		if (acc == ACC_ATOMIC) {
			struct vreg tmp;

			rc = stack_read(e, s, f, lo, size, &tmp, false);
			if (rc)
				return rc;
			if (tmp.type != T_SCALAR)
				return verr(e, s, "atomic operation on a spilled "
					    "pointer at fp%+d", lo);
			return stack_write(e, s, f, lo, size, &(struct vreg){
					.type = T_SCALAR, .v = xdpc_sc_unknown() },
					true, 0);
		}
		if (write)
			return stack_write(e, s, f, lo, size, val, val != NULL, imm);
		return stack_read(e, s, f, lo, size, dst, sx);
	}
	case T_NOINIT:
		return verr(e, s, "R%d is read before it is written (the kernel: "
			    "R%d !read_ok)", reg, reg);
	case T_MAPV_NULL:
	case T_MEM_NULL:
		return verr(e, s, "R%d is %s: check it against NULL before the "
			    "access (the kernel: invalid mem access '%s')", reg,
			    tname[r->type], tname[r->type]);
	default:
		return verr(e, s, "R%d is %s, which cannot be %s through (the "
			    "kernel: invalid mem access '%s')", reg, tname[r->type],
			    write ? "written" : "read", tname[r->type]);
	}
}

/* ---- ALU ---- */

static int
ptr_arith(struct venv *e, struct vstate *s, const struct bpf_insn *in,
	  struct vreg *d, const struct vreg *ptr, const struct vreg *sc,
	  uint8_t op)
{
	struct vreg res = *ptr;

	switch (ptr->type) {
	case T_PKT_END:
	case T_MAP:
	case T_FUNC:
	case T_MAP_NULL:
	case T_MAPV_NULL:
	case T_MEM_NULL:
		if (ptr->type == T_MAP && xdpc_sc_is_const(&sc->v) &&
		    sc->v.tv == 0) {
			*d = res;
			return 0;
		}
		return verr(e, s, "R%d: pointer arithmetic on %s is prohibited%s",
			    in->dst_reg, tname[ptr->type],
			    ptr->type == T_MAPV_NULL || ptr->type == T_MAP_NULL ||
			    ptr->type == T_MEM_NULL ? ", null-check it first" : "");
	default:
		break;
	}
	if (xdpc_sc_is_const(&sc->v)) {
		int64_t k = (int64_t)sc->v.tv, no;

		if (op == BPF_SUB)
			k = -k;
		no = (int64_t)res.off + k;
		if (k <= -MAX_VAR_OFF || k >= MAX_VAR_OFF || no <= -MAX_VAR_OFF ||
		    no >= MAX_VAR_OFF)
			return verr(e, s, "R%d: adding %lld puts the %s pointer "
				    "out of bounds", in->dst_reg, (long long)k,
				    tname[ptr->type]);
		res.off = (int32_t)no;
		*d = res;
		return 0;
	}
	if (sc->v.smin == INT64_MIN)
		return verr(e, s, "R%d: math between a %s pointer and a register "
			    "with unbounded min value is not allowed",
			    in->dst_reg, tname[ptr->type]);
	xdpc_sc_alu(op, true, 0, &res.v, sc->v);
	if (res.v.smin == INT64_MIN || res.v.smin <= -MAX_VAR_OFF)
		return verr(e, s, "R%d: the variable offset of the %s pointer "
			    "may reach %lld, out of bounds", in->dst_reg,
			    tname[ptr->type], (long long)res.v.smin);
	if (res.type == T_PKT || res.type == T_META) {
		res.id = ++e->next_id;  /* a new var part: nothing proven */
		res.range = 0;
	}
	*d = res;
	return 0;
}

static int
do_alu(struct venv *e, struct vstate *s, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);
	struct vreg *d = R(s, in->dst_reg), src;
	int rc;

	if (op > BPF_END || (op == BPF_NEG && BPF_SRC(in->code) == BPF_X))
		return verr(e, s, "invalid ALU opcode 0x%02x", in->code);
	if (BPF_SRC(in->code) == BPF_X || op == BPF_END || op == BPF_NEG) {
		if (op != BPF_END && op != BPF_NEG && in->imm != 0)
			return verr(e, s, "BPF_ALU uses reserved fields (imm)");
	} else if (in->src_reg != 0) {
		return verr(e, s, "BPF_ALU uses reserved fields (src_reg)");
	}
	/* movsx: a register, 8/16(/32 for ALU64) bits; sdiv/smod: off 1 */
	if ((op == BPF_DIV || op == BPF_MOD) ? (in->off != 0 && in->off != 1) :
	    op == BPF_MOV ? (in->off != 0 &&
			     (BPF_SRC(in->code) != BPF_X ||
			      (in->off != 8 && in->off != 16 &&
			       (in->off != 32 || !is64)))) : in->off != 0)
		return verr(e, s, "BPF_ALU uses reserved fields (off %d)", in->off);
	if (op == BPF_END) {
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return verr(e, s, "invalid byte swap width %d", in->imm);
		if ((rc = check_read(e, s, in->dst_reg)))
			return rc;
		if (is_ptr(d))
			return verr(e, s, "R%d: byte swap of a pointer is prohibited",
				    in->dst_reg);
		xdpc_sc_end(is64, BPF_SRC(in->code) == BPF_TO_BE, in->imm, &d->v);
		d->id = 0;
		return 0;
	}
	if (BPF_SRC(in->code) == BPF_X) {
		if ((rc = check_read(e, s, in->src_reg)))
			return rc;
		src = *R(s, in->src_reg);
	} else {
		mark_scalar(&src, xdpc_sc_const((uint64_t)(int64_t)in->imm));
	}
	if (BPF_SRC(in->code) == BPF_K &&
	    (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) &&
	    (in->imm < 0 || in->imm >= (is64 ? 64 : 32)))
		return verr(e, s, "invalid shift %d", in->imm);
	if (BPF_SRC(in->code) == BPF_K && (op == BPF_DIV || op == BPF_MOD) &&
	    in->imm == 0)
		return verr(e, s, "division by zero (the kernel: div by zero)");
	if (op == BPF_MOV) {
		if (in->off != 0) {
			if (is_ptr(&src))
				return verr(e, s, "R%d: sign-extending move of a "
					    "pointer", in->src_reg);
			mark_scalar(d, src.v);
			xdpc_sc_alu(op, is64, in->off, &d->v, src.v);
			return 0;
		}
		if (!is64) {
			if (is_ptr(&src)) {
				/* the kernel keeps a partial copy as a scalar */
				e->p->vflags |= XDPC_VF_ADDR;
				mark_scalar(d, xdpc_sc_urange(0, U32M));
				return 0;
			}
			mark_scalar(d, xdpc_sc_zext32(src.v));
			return 0;
		}
		if (BPF_SRC(in->code) == BPF_X && src.type == T_SCALAR) {
			/* copies share an id: a bound learnt on one holds
			 * for the other */
			struct vreg *sr = R(s, in->src_reg);

			if (sr->id == 0)
				sr->id = ++e->next_id;
			*d = *sr;
			return 0;
		}
		*d = src;
		return 0;
	}
	if ((rc = check_read(e, s, in->dst_reg)))
		return rc;
	if (is_ptr(d) || is_ptr(&src)) {
		if (!is64)
			return verr(e, s, "R%d: 32-bit pointer arithmetic is "
				    "prohibited", in->dst_reg);
		if (is_ptr(d) && is_ptr(&src)) {
			bool pk = (d->type == T_PKT || d->type == T_META ||
				   d->type == T_PKT_END) &&
				  (src.type == T_PKT || src.type == T_META ||
				   src.type == T_PKT_END);

			if (op != BPF_SUB || (d->type != src.type && !pk))
				return verr(e, s, "R%d: %s %s %s is prohibited",
					    in->dst_reg, tname[d->type],
					    op == BPF_SUB ? "-=" : "op=",
					    tname[src.type]);
			/* same region: an offset; else addresses show */
			if (!pk && !(d->type == T_STACK && d->frame == src.frame) &&
			    !((d->type == T_MAPV || d->type == T_MEM) &&
			      d->aux == src.aux && d->id == src.id))
				e->p->vflags |= XDPC_VF_ADDR;
			mark_unknown(d);
			return 0;
		}
		if (is_ptr(d)) {
			if (op != BPF_ADD && op != BPF_SUB)
				return verr(e, s, "R%d: pointer arithmetic with "
					    "operator 0x%02x is prohibited (only "
					    "+ and -)", in->dst_reg, op);
			return ptr_arith(e, s, in, d, d, &src, op);
		}
		if (op != BPF_ADD)
			return verr(e, s, "R%d: %s with a pointer (R%d, %s) is "
				    "prohibited%s", in->dst_reg,
				    op == BPF_SUB ? "subtracting a pointer from a "
				    "scalar" : "this operation", in->src_reg,
				    tname[src.type], "");
		{
			struct vreg sc = *d;

			return ptr_arith(e, s, in, d, &src, &sc, op);
		}
	}
	xdpc_sc_alu(op, is64, in->off, &d->v, src.v);
	d->id = 0;
	return 0;
}

/* ---- jumps ---- */

static void
mark_pkt_range(struct vstate *s, uint8_t type, uint32_t id, int32_t range)
{
	FOR_EACH_REG(s, x, {
		if (x->type == type && x->id == id && x->range < range)
			x->range = range;
	});
}

/* P op E with E the end of P's region: what holds when the comparison
 * is @taken, for every pointer sharing P's variable part. */
static void
learn_pkt(struct vstate *s, const struct vreg *p, uint8_t op, bool taken)
{
	int32_t range;

	if (!taken)
		switch (op) {
		case BPF_JGT: op = BPF_JLE; break;
		case BPF_JGE: op = BPF_JLT; break;
		case BPF_JLT: op = BPF_JGE; break;
		case BPF_JLE: op = BPF_JGT; break;
		}
	if (op == BPF_JLE)
		range = p->off;
	else if (op == BPF_JLT)
		range = p->off + 1;
	else
		return;
	if (p->off < 0 || p->v.umax > MAX_PKT_OFF ||
	    p->v.umax + (uint64_t)p->off > MAX_PKT_OFF)
		return;
	mark_pkt_range(s, p->type, p->id, range);
}

static uint8_t
mirror(uint8_t op)
{
	switch (op) {
	case BPF_JGT: return BPF_JLT;
	case BPF_JGE: return BPF_JLE;
	case BPF_JLT: return BPF_JGT;
	case BPF_JLE: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLT;
	case BPF_JSGE: return BPF_JSLE;
	case BPF_JSLT: return BPF_JSGT;
	case BPF_JSLE: return BPF_JSGE;
	}
	return op;
}

static bool
init_pkt(const struct vreg *r)
{
	return r->type == T_PKT && r->off == 0 && xdpc_sc_is_const(&r->v) &&
	       r->v.tv == 0;
}

/* The end register of a region pointer: pkt_end for pkt, data for meta */
static bool
ends(const struct vreg *p, const struct vreg *end)
{
	return (p->type == T_PKT && end->type == T_PKT_END) ||
	       (p->type == T_META && init_pkt(end));
}

static void
mark_null(struct vstate *s, uint32_t id, bool is_null)
{
	FOR_EACH_REG(s, x, {
		if (x->id != id || (x->type != T_MAPV_NULL &&
				    x->type != T_MAP_NULL && x->type != T_MEM_NULL))
			continue;
		if (is_null) {
			mark_scalar(x, xdpc_sc_const(0));
		} else {
			x->type = x->type == T_MAPV_NULL ? T_MAPV :
				  x->type == T_MAP_NULL ? T_MAP : T_MEM;
		}
	});
	if (is_null)
		/* nothing was reserved: nothing to release */
		for (uint32_t i = 0; i < s->nrefs; i++)
			if (s->refs[i] == id) {
				s->refs[i] = s->refs[--s->nrefs];
				break;
			}
}

static int push(struct venv *e, struct vstate *s);

/* Apply what the jump being @taken teaches to state @s. false: this
 * side cannot happen. */
static bool
learn(struct vstate *s, const struct bpf_insn *in, bool taken)
{
	bool is32 = BPF_CLASS(in->code) == BPF_JMP32;
	uint8_t op = BPF_OP(in->code);
	struct vreg *a = R(s, in->dst_reg), *b, kb;

	if (BPF_SRC(in->code) == BPF_X) {
		b = R(s, in->src_reg);
	} else {
		mark_scalar(&kb, xdpc_sc_const((uint64_t)(int64_t)in->imm));
		b = &kb;
	}
	if (a->type == T_SCALAR && b->type == T_SCALAR) {
		if (!xdpc_sc_refine(op, is32, taken, &a->v, &b->v))
			return false;
		sync_copies(s, a);
		if (b != &kb)
			sync_copies(s, b);
		return true;
	}
	if (is32)
		return true;
	if ((op == BPF_JEQ || op == BPF_JNE) && b->type == T_SCALAR &&
	    xdpc_sc_is_const(&b->v) && b->v.tv == 0 &&
	    (a->type == T_MAPV_NULL || a->type == T_MAP_NULL ||
	     a->type == T_MEM_NULL)) {
		mark_null(s, a->id, (op == BPF_JEQ) == taken);
		return true;
	}
	if (ends(a, b))
		learn_pkt(s, a, op, taken);
	else if (ends(b, a))
		learn_pkt(s, b, mirror(op), taken);
	return true;
}

static bool
never_null(const struct vreg *r)
{
	return r->type != T_SCALAR && r->type != T_NOINIT &&
	       r->type != T_MAPV_NULL && r->type != T_MAP_NULL &&
	       r->type != T_MEM_NULL;
}

static int
do_cond_jump(struct venv *e, struct vstate *s, const struct bpf_insn *in)
{
	bool is32 = BPF_CLASS(in->code) == BPF_JMP32;
	uint8_t op = BPF_OP(in->code);
	uint32_t target = s->insn + 1 + in->off, next = s->insn + 1;
	struct vreg *a, kb, *b;
	int decided = -1, rc;
	struct vstate *other;

	if (op > BPF_JSLE && op != BPF_JSET)
		return verr(e, s, "invalid jump opcode 0x%02x", in->code);
	if ((rc = check_read(e, s, in->dst_reg)))
		return rc;
	if (BPF_SRC(in->code) == BPF_X) {
		if ((rc = check_read(e, s, in->src_reg)))
			return rc;
		b = R(s, in->src_reg);
	} else {
		if (in->src_reg != 0)
			return verr(e, s, "BPF_JMP uses reserved fields");
		mark_scalar(&kb, xdpc_sc_const((uint64_t)(int64_t)in->imm));
		b = &kb;
	}
	a = R(s, in->dst_reg);
	if (a->type == T_SCALAR && b->type == T_SCALAR)
		decided = xdpc_sc_branch(op, is32, &a->v, &b->v);
	else if ((op == BPF_JEQ || op == BPF_JNE) && !is32 &&
		 b->type == T_SCALAR && xdpc_sc_is_const(&b->v) &&
		 b->v.tv == 0 && never_null(a))
		decided = op == BPF_JNE;
	if (decided == 1) {
		s->insn = target;
		return 0;
	}
	if (decided == 0) {
		s->insn = next;
		return 0;
	}
	if ((is_ptr(a) || is_ptr(b)) && !ends(a, b) && !ends(b, a) &&
	    !((op == BPF_JEQ || op == BPF_JNE) && b->type == T_SCALAR &&
	      xdpc_sc_is_const(&b->v) && b->v.tv == 0))
		e->p->vflags |= XDPC_VF_ADDR;
	other = st_copy(s);
	if (other == NULL)
		return -ENOMEM;
	if (learn(other, in, true)) {
		other->insn = target;
		if ((rc = push(e, other)) != 0)
			return rc;
	} else {
		st_free(other);
	}
	if (!learn(s, in, false))
		return 1;       /* this side cannot happen: the path ends */
	s->insn = next;
	return 0;
}

/* ---- calls ---- */

static int
helper_mem(struct venv *e, struct vstate *s, int reg, uint64_t size,
	   bool write, bool need_init, const char *fn)
{
	struct vreg *r = R(s, reg);

	if (size == 0)
		return 0;
	if (size >= MAX_VAR_OFF)
		return verr(e, s, "%s: R%d: size %llu is too large", fn, reg,
			    (unsigned long long)size);
	switch (r->type) {
	case T_STACK: {
		struct vframe *f = s->f[r->frame];
		int lo = 0, hi = 0;
		int rc = stack_span(e, s, r, 0, (int)size, &lo, &hi, fn);

		if (rc)
			return rc;
		note_depth(e, f, lo);
		for (int o = lo; o < hi; o++) {
			uint8_t k = *kind_at(f, o);

			if (need_init && k == S_INVALID)
				return verr(e, s, "%s: R%d: stack byte fp%+d of the "
					    "%llu bytes it reads was never written "
					    "(invalid indirect read from stack)", fn,
					    reg, o, (unsigned long long)size);
			if (write && k == S_SPILL && is_ptr(&slot_at(f, o)->spill))
				return verr(e, s, "%s: R%d: would overwrite a "
					    "spilled pointer at fp%+d", fn, reg, o);
			if (k == S_SPILL && is_ptr(&slot_at(f, o)->spill))
				e->p->vflags |= XDPC_VF_ADDR;
		}
		if (write) {
			unspill(f, lo, hi - lo);
			for (int o = lo; o < hi; o++)
				*kind_at(f, o) = S_MISC;
		}
		return 0;
	}
	case T_PKT:
	case T_META:
	case T_MAPV:
	case T_MEM: {
		struct vreg dummy;
		int rc;

		/* as an access of the first and of the last byte */
		rc = mem_access(e, s, reg, 0, 1, write ? ACC_WRITE : ACC_READ,
				&dummy, NULL, 0, false);
		if (rc == 0)
			rc = mem_access(e, s, reg, (int)size - 1, 1,
					write ? ACC_WRITE : ACC_READ, &dummy, NULL,
					0, false);
		if (rc == 0 && write && r->type == T_MAPV && !map_writable(e, r->aux))
			rc = verr(e, s, "%s: R%d: map value is read only", fn, reg);
		return rc;
	}
	default:
		return verr(e, s, "%s: R%d is %s; expected a pointer to the "
			    "stack, packet, map value or ringbuf record", fn, reg,
			    tname[r->type]);
	}
}

static int
size_arg(struct venv *e, struct vstate *s, int reg, bool zero_ok,
	 const char *fn, uint64_t *max)
{
	struct vreg *r = R(s, reg);

	if (r->type != T_SCALAR)
		return verr(e, s, "%s: R%d (a size) is %s, expected a scalar", fn,
			    reg, tname[r->type]);
	if (r->v.smin < 0)
		return verr(e, s, "%s: R%d (a size) may be negative: R%d min "
			    "value is negative, either use unsigned or 'var &= "
			    "const'", fn, reg, reg);
	if (!zero_ok && r->v.umin == 0)
		return verr(e, s, "%s: R%d (a size) may be zero (invalid "
			    "zero-sized read)", fn, reg);
	if (r->v.umax >= MAX_VAR_OFF)
		return verr(e, s, "%s: R%d (a size) is unbounded: R%d unbounded "
			    "memory access, use 'var &= const' or 'if (var < "
			    "const)'", fn, reg, reg);
	*max = r->v.umax;
	return 0;
}

/* The key of a lookup, R2, when the stack holds a known constant there:
 * zeroed bytes, or a spilled constant of the key's size (the kernel's
 * get_constant_map_key) */
static bool
stack_key_const(struct vstate *s, uint32_t key_size, uint32_t *key)
{
	struct vreg *k = R(s, 2);
	struct vframe *f;
	int off;

	if (k->type != T_STACK || !xdpc_sc_is_const(&k->v))
		return false;
	off = k->off + (int)k->v.tv;
	if (off < -(int)XDPC_STACK || off + 4 > 0)
		return false;
	f = s->f[k->frame];
	if (off % 8 == 0 && key_size == 8) {
		struct vslot *sl = slot_at(f, off);

		if (sl->kind[0] == S_SPILL && sl->spill.type == T_SCALAR &&
		    xdpc_sc_is_const(&sl->spill.v)) {
			*key = (uint32_t)sl->spill.v.tv;
			return true;
		}
	}
	for (int o = off; o < off + 4; o++)
		if (*kind_at(f, o) != S_ZERO)
			return false;
	*key = 0;
	return true;
}

/* An array lookup with a constant key in range always finds its
 * element, as the kernel knows too: no NULL check needed. */
static bool
array_hit(const struct venv *e, struct vstate *s, uint32_t aux)
{
	uint32_t t = map_type(e, aux), key;

	if ((t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_PERCPU_ARRAY) ||
	    (aux & INNER))
		return false;
	return stack_key_const(s, map_key_size(e, aux), &key) &&
	       key < vmap(e, aux)->max_entries;
}

static void
clobber_caller_saved(struct vstate *s)
{
	for (int i = 1; i <= 5; i++)
		memset(R(s, i), 0, sizeof(struct vreg));
}

/* r10: the frame's own stack, offset 0 */
static void
init_fp(struct vframe *f, uint32_t frame)
{
	memset(&f->r[10], 0, sizeof(f->r[10]));
	f->r[10].type = T_STACK;
	f->r[10].frame = (uint8_t)frame;
	f->r[10].v = xdpc_sc_const(0);
}

static int
enter_frame(struct venv *e, struct vstate *s, uint32_t entry, uint32_t ret,
	    bool cb)
{
	struct vframe *f;

	if (s->cur + 1 >= XDPC_MAX_CALL_DEPTH)
		return verr(e, s, "the call stack of %u frames is too deep",
			    s->cur + 2);
	if (s->locked)
		return verr(e, s, "function calls are not allowed while holding "
			    "a lock");
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->callsite = ret;
	f->entry = entry;
	f->cb = cb;
	s->f[++s->cur] = f;
	init_fp(f, s->cur);
	s->insn = entry;
	return 0;
}

static int
do_pseudo_call(struct venv *e, struct vstate *s, const struct bpf_insn *in)
{
	struct vframe *caller = s->f[s->cur];
	int rc;

	rc = enter_frame(e, s, s->insn + 1 + in->imm, s->insn + 1, false);
	if (rc)
		return rc;
	for (int i = 1; i <= 5; i++)
		s->f[s->cur]->r[i] = caller->r[i];
	/* the caller's argument registers are gone after the call */
	for (int i = 0; i <= 5; i++)
		memset(&caller->r[i], 0, sizeof(struct vreg));
	return 0;
}

static int
do_helper(struct venv *e, struct vstate *s, const struct bpf_insn *in)
{
	const struct xdpc_proto *pr = xdpc_proto((uint32_t)in->imm);
	uint32_t map_aux = 0;
	bool have_map = false, hit;
	uint64_t sz = 0;
	int rc;
	uint32_t rec_size = 0;

	if (pr == NULL || xdpc_helper((uint32_t)in->imm) == NULL)
		return verr(e, s, "call to unknown helper %d", in->imm);
	if (s->locked && in->imm != BPF_FUNC_spin_unlock)
		return verr(e, s, "%s: function calls are not allowed while "
			    "holding a lock", pr->name);
	for (int a = 0; a < 5 && pr->arg[a] != XA_NONE; a++) {
		int reg = a + 1;
		struct vreg *r = R(s, reg);
		uint8_t t = pr->arg[a];

		if (r->type == T_NOINIT)
			return verr(e, s, "%s: argument R%d is read before it is "
				    "written (R%d !read_ok)", pr->name, reg, reg);
		switch (t) {
		case XA_ANY:
			if (is_ptr(r))
				e->p->vflags |= XDPC_VF_ADDR;
			break;
		case XA_CTX:
			if (r->type != T_CTX || r->off != 0)
				return verr(e, s, "%s: R%d is %s(off=%d); expected "
					    "the context (ctx, unmoved)", pr->name, reg,
					    tname[r->type], r->off);
			break;
		case XA_MAP:
			if (r->type != T_MAP || r->off != 0)
				return verr(e, s, "%s: R%d is %s; expected a map "
					    "(map_ptr)", pr->name, reg, tname[r->type]);
			if (!(pr->maps & (1u << map_type(e, r->aux))))
				return verr(e, s, "%s: cannot be used with map %s "
					    "(type %u)", pr->name, vmap(e, r->aux)->name,
					    map_type(e, r->aux));
			map_aux = r->aux;
			have_map = true;
			break;
		case XA_KEY:
		case XA_VALUE:
			if (!have_map)
				return verr(e, s, "%s: no map before R%d", pr->name,
					    reg);
			rc = helper_mem(e, s, reg, t == XA_KEY ?
					map_key_size(e, map_aux) :
					map_value_size(e, map_aux),
					false, true, pr->name);
			if (rc)
				return rc;
			break;
		case XA_MEM_RO_NULL:
			if (r->type == T_SCALAR && xdpc_sc_is_const(&r->v) &&
			    r->v.tv == 0) {
				a++;    /* NULL: the size goes unchecked */
				break;
			}
			/* fall through */
		case XA_MEM_RO:
		case XA_MEM_RW:
		case XA_MEM_UNINIT:
			if (a + 1 >= 5 || (pr->arg[a + 1] != XA_SIZE &&
					   pr->arg[a + 1] != XA_SIZE0))
				return verr(e, s, "%s: prototype without a size",
					    pr->name);
			rc = size_arg(e, s, reg + 1, pr->arg[a + 1] == XA_SIZE0,
				      pr->name, &sz);
			if (rc == 0)
				rc = helper_mem(e, s, reg, sz,
						t == XA_MEM_RW || t == XA_MEM_UNINIT,
						t != XA_MEM_UNINIT, pr->name);
			if (rc)
				return rc;
			a++;
			break;
		case XA_INT:
			rc = helper_mem(e, s, reg, 4, true, true, pr->name);
			if (rc)
				return rc;
			break;
		case XA_CONST_SIZE0:
			if (r->type != T_SCALAR || !xdpc_sc_is_const(&r->v))
				return verr(e, s, "%s: R%d must be a known constant",
					    pr->name, reg);
			if (r->v.tv >= MAX_VAR_OFF)
				return verr(e, s, "%s: R%d: size %llu is too large",
					    pr->name, reg,
					    (unsigned long long)r->v.tv);
			rec_size = (uint32_t)r->v.tv;
			break;
		case XA_LOCK:
			if (r->type != T_MAPV || !xdpc_sc_is_const(&r->v) ||
			    r->off < 0 || (uint32_t)r->off + 4 >
			    map_value_size(e, r->aux) || r->off % 4)
				return verr(e, s, "%s: R%d is %s; expected a "
					    "struct bpf_spin_lock at a known, aligned "
					    "offset in a map value", pr->name, reg,
					    tname[r->type]);
			if (in->imm == BPF_FUNC_spin_lock) {
				if (s->locked)
					return verr(e, s, "bpf_spin_lock: a lock is "
						    "already held (locks do not "
						    "nest)");
				s->locked = true;
				s->lock_aux = r->aux;
				s->lock_off = r->off;
				s->lock_id = r->id;
			} else {
				if (!s->locked)
					return verr(e, s, "bpf_spin_unlock without "
						    "a lock held");
				if (s->lock_aux != r->aux || s->lock_off != r->off ||
				    s->lock_id != r->id)
					return verr(e, s, "bpf_spin_unlock of a "
						    "different lock than the one "
						    "held");
				s->locked = false;
			}
			break;
		case XA_FUNC:
			if (r->type != T_FUNC)
				return verr(e, s, "%s: R%d is %s; expected a "
					    "callback (a subprogram's address)",
					    pr->name, reg, tname[r->type]);
			break;
		case XA_STACK_NULL:
			if (!(r->type == T_STACK ||
			      (r->type == T_SCALAR && xdpc_sc_is_const(&r->v) &&
			       r->v.tv == 0)))
				return verr(e, s, "%s: R%d is %s; expected a "
					    "stack pointer or NULL", pr->name, reg,
					    tname[r->type]);
			break;
		case XA_RECORD: {
			uint32_t ref = r->ref;
			uint32_t i;

			if (r->type != T_MEM || r->ref == 0 || r->off != 0 ||
			    !xdpc_sc_is_const(&r->v) || r->v.tv != 0)
				return verr(e, s, "%s: R%d is %s(off=%d); expected "
					    "a ringbuf record as reserved", pr->name,
					    reg, tname[r->type], r->off);
			for (i = 0; i < s->nrefs && s->refs[i] != ref; i++)
				;
			if (i == s->nrefs)
				return verr(e, s, "%s: R%d: record already "
					    "released", pr->name, reg);
			s->refs[i] = s->refs[--s->nrefs];
			FOR_EACH_REG(s, x, {
				if (x->ref == ref)
					mark_unknown(x);
			});
			break;
		}
		default:
			return verr(e, s, "%s: bad prototype", pr->name);
		}
	}
	if (in->imm == BPF_FUNC_tail_call) {
		if (s->cur != 0)
			return verr(e, s, "bpf_tail_call from a subprogram is not "
				    "supported (xdp_compat runs tail calls from the "
				    "main program only)");
		if (s->nrefs)
			return verr(e, s, "bpf_tail_call would leak reference %u",
				    s->refs[0]);
	}
	if (in->imm == BPF_FUNC_loop) {
		struct vreg cbctx = *R(s, 3);
		uint32_t entry = R(s, 2)->aux;

		if (!(e->flag[entry] & F_ENTRY))
			return verr(e, s, "bpf_loop: callback insn %u is not a "
				    "subprogram", entry);
		/* the loop may run zero times: the caller goes on... */
		{
			struct vstate *skip = st_copy(s);

			if (skip == NULL)
				return -ENOMEM;
			clobber_caller_saved(skip);
			mark_unknown(&skip->f[skip->cur]->r[0]);
			skip->insn = s->insn + 1;
			if ((rc = push(e, skip)) != 0)
				return rc;
		}
		/* ...or runs the callback, maybe again and again (exit) */
		rc = enter_frame(e, s, entry, s->insn + 1, true);
		if (rc)
			return rc;
		mark_scalar(&s->f[s->cur]->r[1], xdpc_sc_urange(0, U32M));
		s->f[s->cur]->r[2] = cbctx;
		s->f[s->cur]->cbarg = cbctx;
		for (int i = 0; i <= 5; i++)
			memset(&s->f[s->cur - 1]->r[i], 0, sizeof(struct vreg));
		return 0;
	}
	hit = in->imm == BPF_FUNC_map_lookup_elem && array_hit(e, s, map_aux);
	if (in->imm == BPF_FUNC_map_lookup_elem) {
		/* the JIT inlines array lookups of one known map */
		uint32_t *vc = &e->p->vcall[s->insn];
		uint32_t want = map_aux & INNER ? XDPC_VCALL_MANY : map_aux + 1;

		*vc = *vc == 0 || *vc == want ? want : XDPC_VCALL_MANY;
	}
	clobber_caller_saved(s);
	if (pr->pkt_changes)
		clear_pkt_pointers(s);
	{
		struct vreg *r0 = R(s, 0);

		memset(r0, 0, sizeof(*r0));
		r0->v = xdpc_sc_const(0);
		switch (pr->ret) {
		case XR_MAPV_NULL:
			r0->aux = map_aux;
			r0->id = ++e->next_id;
			if (xdpc_is_map_of_maps(map_type(e, map_aux))) {
				if (map_aux & INNER)
					return verr(e, s, "maps nested twice are "
						    "not supported");
				r0->type = T_MAP_NULL;
				r0->aux = map_aux | INNER;
			} else {
				r0->type = hit ? T_MAPV : T_MAPV_NULL;
			}
			break;
		case XR_MEM_NULL:
			if (s->nrefs == MAX_REFS)
				return verr(e, s, "more than %u ringbuf records "
					    "held", MAX_REFS);
			r0->type = T_MEM_NULL;
			r0->aux = rec_size;
			r0->id = ++e->next_id;
			r0->ref = r0->id;
			s->refs[s->nrefs++] = r0->id;
			break;
		default:
			mark_unknown(r0);
			break;
		}
	}
	s->insn++;
	return 0;
}

/* The callback's next iteration sees the callers' scalars as unknown:
 * without this, a counter it keeps in the caller's frame would make
 * every iteration a new state and the walk would never converge. */
static void
widen_callers(struct vstate *s)
{
	for (uint32_t fi = 0; fi < s->cur; fi++) {
		struct vframe *f = s->f[fi];

		for (int r = 0; r < 10; r++)
			if (f->r[r].type == T_SCALAR)
				mark_unknown(&f->r[r]);
		for (uint32_t i = 0; i < NSLOTS; i++) {
			struct vslot *sl = &f->s[i];

			if (sl->kind[0] == S_SPILL) {
				if (sl->spill.type == T_SCALAR)
					mark_unknown(&sl->spill);
				continue;
			}
			for (int b = 0; b < 8; b++)
				if (sl->kind[b] == S_ZERO)
					sl->kind[b] = S_MISC;
		}
	}
}

/* exit: from the program, a subprogram or a callback. 1: path done. */
static int
do_exit(struct venv *e, struct vstate *s)
{
	struct vreg *r0 = R(s, 0);
	struct vframe *f = s->f[s->cur];

	if (r0->type == T_NOINIT)
		return verr(e, s, "R0 is not set at exit (R0 !read_ok)");
	if (s->locked)
		return verr(e, s, "exit with a lock held (bpf_spin_unlock is "
			    "missing)");
	if (s->cur == 0) {
		if (r0->type != T_SCALAR)
			return verr(e, s, "the program returns a pointer (%s); XDP "
				    "programs return an action", tname[r0->type]);
		if (s->nrefs)
			return verr(e, s, "unreleased reference id=%u (a ringbuf "
				    "record neither submitted nor discarded)",
				    s->refs[0]);
		return 1;
	}
	if (r0->type == T_STACK && r0->frame == s->cur)
		return verr(e, s, "a subprogram returns a pointer to its own stack "
			    "(cannot return stack pointer to the caller)");
	if (f->cb) {
		struct vstate *again;
		int rc;

		if (r0->type != T_SCALAR || r0->v.umax > 1)
			return verr(e, s, "a bpf_loop callback must return 0 or 1");
		/* another iteration: the callback again, from here */
		again = st_copy(s);
		if (again == NULL)
			return -ENOMEM;
		memset(again->f[again->cur]->r, 0, sizeof(again->f[0]->r));
		memset(again->f[again->cur]->s, 0, sizeof(again->f[0]->s));
		init_fp(again->f[again->cur], again->cur);
		mark_scalar(&again->f[again->cur]->r[1], xdpc_sc_urange(0, U32M));
		again->f[again->cur]->r[2] = f->cbarg;
		again->insn = f->entry;
		widen_callers(again);
		if ((rc = push(e, again)) != 0)
			return rc;
	}
	{
		struct vreg ret = *r0;
		uint32_t to = f->callsite;
		bool cb = f->cb;

		free(f);
		s->f[s->cur] = NULL;
		s->cur--;
		if (cb)
			mark_unknown(&ret); /* bpf_loop returns the count */
		*R(s, 0) = ret;
		s->insn = to;
	}
	return 0;
}

/* ---- one instruction ---- */

/* The JIT turns context loads into loads from struct xdpc_buff: an
 * instruction must reach the context on every path or on none (the
 * kernel's rule too). */
static int
note_base(struct venv *e, struct vstate *s, int reg)
{
	uint8_t k = R(s, reg)->type == T_CTX ? XDPC_VAUX_CTX : XDPC_VAUX_MEM;
	uint8_t *a = &e->p->vaux[s->insn];

	if (*a != 0 && *a != k)
		return verr(e, s, "the same instruction accesses the context on "
			    "one path and other memory on another (R%d is %s "
			    "here)", reg, tname[R(s, reg)->type]);
	*a = k;
	return 0;
}

static int
insn_size(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

static int
do_insn(struct venv *e, struct vstate *s)
{
	const struct bpf_insn *in = &e->in[s->insn];
	uint8_t cls = BPF_CLASS(in->code);
	int rc;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		rc = do_alu(e, s, in);
		if (rc == 0)
			s->insn++;
		return rc;
	case BPF_LD: {
		struct vreg *d = R(s, in->dst_reg);

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			return verr(e, s, "legacy packet loads (BPF_LD_ABS/IND) "
				    "are not supported");
		memset(d, 0, sizeof(*d));
		d->v = xdpc_sc_const(0);
		switch (in->src_reg) {
		case 0:
			mark_scalar(d, xdpc_sc_const((uint32_t)in->imm |
					(uint64_t)(uint32_t)in[1].imm << 32));
			break;
		case XDPC_PSEUDO_MAP:
			d->type = T_MAP;
			d->aux = (uint32_t)in->imm;
			break;
		case XDPC_PSEUDO_MAP_VALUE:
			d->type = T_MAPV;
			d->aux = (uint32_t)in->imm;
			d->off = in[1].imm;
			break;
		case XDPC_PSEUDO_FUNC:
			d->type = T_FUNC;
			d->aux = (uint32_t)in->imm;
			break;
		default:
			return verr(e, s, "64-bit load kind %u", in->src_reg);
		}
		s->insn += 2;
		return 0;
	}
	case BPF_LDX: {
		int size = insn_size(in->code);
		struct vreg val;
		bool sx = BPF_MODE(in->code) == 0x80;

		if (BPF_MODE(in->code) != BPF_MEM && !sx)
			return verr(e, s, "invalid load mode 0x%02x", in->code);
		if (sx && size == 8)
			return verr(e, s, "invalid sign-extending 8-byte load");
		if (in->imm != 0)
			return verr(e, s, "BPF_LDX uses reserved fields");
		if ((rc = check_read(e, s, in->src_reg)))
			return rc;
		if ((rc = note_base(e, s, in->src_reg)))
			return rc;
		memset(&val, 0, sizeof(val));
		rc = mem_access(e, s, in->src_reg, in->off, size, ACC_READ, &val,
				NULL, 0, sx);
		if (rc)
			return rc;
		*R(s, in->dst_reg) = val;
		s->insn++;
		return 0;
	}
	case BPF_ST:
	case BPF_STX: {
		int size = insn_size(in->code);

		if ((rc = check_read(e, s, in->dst_reg)))
			return rc;
		if (cls == BPF_STX && (rc = check_read(e, s, in->src_reg)))
			return rc;
		if ((rc = note_base(e, s, in->dst_reg)))
			return rc;
		if (BPF_MODE(in->code) == BPF_MEM) {
			const struct vreg *v = cls == BPF_STX ? R(s, in->src_reg) :
					       NULL;
			struct vreg copy;

			if (cls == BPF_ST && in->src_reg != 0)
				return verr(e, s, "BPF_ST uses reserved fields");
			if (v != NULL) {
				copy = *v;
				v = &copy;
			}
			rc = mem_access(e, s, in->dst_reg, in->off, size, ACC_WRITE,
					NULL, v, in->imm, false);
			if (rc == 0)
				s->insn++;
			return rc;
		}
		if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC) {
			struct vreg *src = R(s, in->src_reg);
			int32_t op = in->imm;
			struct vreg dummy;

			if (size != 4 && size != 8)
				return verr(e, s, "invalid atomic operand size %d",
					    size);
			if (op != BPF_ADD && op != BPF_OR && op != BPF_AND &&
			    op != BPF_XOR && op != (BPF_ADD | BPF_FETCH) &&
			    op != (BPF_OR | BPF_FETCH) &&
			    op != (BPF_AND | BPF_FETCH) &&
			    op != (BPF_XOR | BPF_FETCH) && op != BPF_XCHG &&
			    op != BPF_CMPXCHG)
				return verr(e, s, "invalid atomic operation %#x", op);
			if (src->type != T_SCALAR)
				return verr(e, s, "atomic operation with a pointer "
					    "(R%d is %s) would leak it into memory",
					    in->src_reg, tname[src->type]);
			if (op == BPF_CMPXCHG) {
				if ((rc = check_read(e, s, 0)))
					return rc;
				if (R(s, 0)->type != T_SCALAR)
					return verr(e, s, "cmpxchg: R0 is a pointer "
						    "(%s)", tname[R(s, 0)->type]);
			}
			if (R(s, in->dst_reg)->type != T_STACK &&
			    R(s, in->dst_reg)->type != T_MAPV)
				return verr(e, s, "atomic operation on R%d (%s): "
					    "only the stack and map values allow "
					    "them", in->dst_reg,
					    tname[R(s, in->dst_reg)->type]);
			rc = mem_access(e, s, in->dst_reg, in->off, size, ACC_ATOMIC,
					&dummy, src, 0, false);
			if (rc)
				return rc;
			if (op == BPF_CMPXCHG)
				mark_scalar(R(s, 0), size == 8 ? xdpc_sc_unknown() :
					    xdpc_sc_urange(0, U32M));
			else if (op & BPF_FETCH)
				mark_scalar(src, size == 8 ? xdpc_sc_unknown() :
					    xdpc_sc_urange(0, U32M));
			s->insn++;
			return 0;
		}
		return verr(e, s, "invalid store mode 0x%02x", in->code);
	}
	case BPF_JMP:
	case BPF_JMP32: {
		uint8_t op = BPF_OP(in->code);

		if (op == BPF_JA) {
			s->insn += 1 + (cls == BPF_JMP ? in->off : in->imm);
			return 0;
		}
		if (op == BPF_CALL) {
			if (cls != BPF_JMP)
				return verr(e, s, "invalid call opcode 0x%02x",
					    in->code);
			if (in->src_reg == BPF_PSEUDO_CALL)
				return do_pseudo_call(e, s, in);
			if (in->src_reg != 0)
				return verr(e, s, "call kind %u is not supported",
					    in->src_reg);
			return do_helper(e, s, in);
		}
		if (op == BPF_EXIT) {
			if (cls != BPF_JMP)
				return verr(e, s, "invalid exit opcode 0x%02x",
					    in->code);
			return do_exit(e, s);
		}
		return do_cond_jump(e, s, in);
	}
	}
	return verr(e, s, "invalid opcode 0x%02x", in->code);
}

/* ---- pruning ---- */

struct idmap {
	uint32_t old[64], cur[64];
	uint32_t n;
};

static bool
id_ok(struct idmap *m, uint32_t old, uint32_t cur)
{
	if (old == 0)
		return true;
	if (cur == 0)
		return false;
	for (uint32_t i = 0; i < m->n; i++) {
		if (m->old[i] == old)
			return m->cur[i] == cur;
		if (m->cur[i] == cur)
			return false;
	}
	if (m->n == 64)
		return false;
	m->old[m->n] = old;
	m->cur[m->n++] = cur;
	return true;
}

static bool
regsafe(const struct vreg *o, const struct vreg *c, struct idmap *m)
{
	if (o->type == T_NOINIT)
		return true;
	if (o->type != c->type)
		return false;
	switch (o->type) {
	case T_SCALAR:
		return xdpc_sc_within(&o->v, &c->v) && id_ok(m, o->id, c->id);
	case T_PKT:
	case T_META:
		return o->off == c->off && c->range >= o->range &&
		       xdpc_sc_within(&o->v, &c->v) && id_ok(m, o->id, c->id);
	case T_CTX:
	case T_PKT_END:
	case T_FUNC:
		return o->off == c->off && o->aux == c->aux &&
		       xdpc_sc_within(&o->v, &c->v);
	case T_STACK:
		return o->frame == c->frame && o->off == c->off &&
		       xdpc_sc_within(&o->v, &c->v);
	default: /* maps and records */
		return o->aux == c->aux && o->off == c->off &&
		       xdpc_sc_within(&o->v, &c->v) && id_ok(m, o->id, c->id) &&
		       id_ok(m, o->ref, c->ref);
	}
}

static bool
stacksafe(const struct vframe *o, const struct vframe *c, struct idmap *m)
{
	for (uint32_t i = 0; i < NSLOTS; i++) {
		const struct vslot *os = &o->s[i], *cs = &c->s[i];

		if (os->kind[0] == S_SPILL) {
			if (cs->kind[0] != S_SPILL ||
			    !regsafe(&os->spill, &cs->spill, m))
				return false;
			continue;
		}
		for (int b = 0; b < 8; b++) {
			uint8_t ok = os->kind[b], ck = cs->kind[b];

			if (ok == S_INVALID || ok == ck)
				continue;
			if (ok == S_MISC && (ck == S_ZERO ||
					     (ck == S_SPILL && !is_ptr(&cs->spill))))
				continue;
			return false;
		}
	}
	return true;
}

/* Does explored state @o contain @c, for everything still to come? */
static bool
subsumes(const struct venv *e, const struct vstate *o, const struct vstate *c)
{
	struct idmap m = { .n = 0 };

	if (o->cur != c->cur || o->nrefs != c->nrefs || o->locked != c->locked ||
	    (o->locked && (o->lock_aux != c->lock_aux ||
			   o->lock_off != c->lock_off ||
			   !id_ok(&m, o->lock_id, c->lock_id))))
		return false;
	for (uint32_t fi = 0; fi <= o->cur; fi++) {
		const struct vframe *of = o->f[fi], *cf = c->f[fi];
		uint16_t live = fi == o->cur ? e->live[c->insn] : 0x3c0;

		if (of->callsite != cf->callsite || of->entry != cf->entry ||
		    of->cb != cf->cb)
			return false;
		for (int r = 0; r < 10; r++)
			if ((live & (1u << r)) &&
			    !regsafe(&of->r[r], &cf->r[r], &m))
				return false;
		if (!stacksafe(of, cf, &m))
			return false;
	}
	for (uint32_t i = 0; i < o->nrefs; i++) {
		uint32_t j;

		for (j = 0; j < c->nrefs; j++)
			if (id_ok(&m, o->refs[i], c->refs[j]))
				break;
		if (j == c->nrefs)
			return false;
	}
	return true;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A scalar id held by one register links nothing: drop it, so states
 * that differ only there still prune each other. */
static void
normalize_ids(struct vstate *s)
{
	uint32_t ids[XDPC_MAX_CALL_DEPTH * (11 + NSLOTS)], n = 0;

	FOR_EACH_REG(s, x, {
		if (x->type == T_SCALAR && x->id)
			ids[n++] = x->id;
	});
	if (n == 0)
		return;
	qsort(ids, n, sizeof(ids[0]), cmp_u32);
	FOR_EACH_REG(s, x, {
		if (x->type == T_SCALAR && x->id) {
			uint32_t *at = bsearch(&x->id, ids, n, sizeof(ids[0]),
					       cmp_u32);

			if ((at == ids || at[-1] != x->id) &&
			    (at + 1 == ids + n || at[1] != x->id))
				x->id = 0;
		}
	});
}

/* 1: pruned, 0: go on, <0: error */
static int
visit(struct venv *e, struct vstate *s)
{
	struct vcp *cp;

	normalize_ids(s);

	for (cp = e->cps[s->insn]; cp != NULL; cp = cp->next) {
		if (!subsumes(e, &cp->st, s))
			continue;
		if (cp->branches == 0)
			return 1;
		/* back at a state this very path already had: a callback's
		 * next iteration is covered (bpf_loop bounds it), anything
		 * else loops forever */
		if ((e->flag[s->insn] & F_ENTRY) && s->f[s->cur]->cb &&
		    s->f[s->cur]->entry == s->insn)
			return 1;
		return verr(e, s, "infinite loop detected: this instruction is "
			    "reached again with nothing changed that could end "
			    "the loop");
	}
	if (e->ncps[s->insn] >= MAX_CPS_PER_INSN)
		return 0;       /* enough kept here: a loop's every turn differs */
	cp = calloc(1, sizeof(*cp));
	if (cp == NULL)
		return -ENOMEM;
	e->ncps[s->insn]++;
	cp->st = *s;
	for (uint32_t i = 0; i <= s->cur; i++) {
		cp->st.f[i] = malloc(sizeof(struct vframe));
		if (cp->st.f[i] == NULL) {
			while (i-- > 0)
				free(cp->st.f[i]);
			free(cp);
			return -ENOMEM;
		}
		memcpy(cp->st.f[i], s->f[i], sizeof(struct vframe));
	}
	cp->branches = 1;
	cp->parent = s->parent;
	cp->st.parent = NULL;
	s->parent = cp;
	cp->next = e->cps[s->insn];
	e->cps[s->insn] = cp;
	e->nstates++;
	return 0;
}

static int
push(struct venv *e, struct vstate *s)
{
	if (e->npending == e->cap) {
		uint32_t nc = e->cap ? e->cap * 2 : 64;
		struct vstate **t = realloc(e->pending, nc * sizeof(*t));

		if (t == NULL) {
			st_free(s);
			return -ENOMEM;
		}
		e->pending = t;
		e->cap = nc;
	}
	if (e->npending > 65536) {
		int rc = verr(e, s, "more than 65536 paths pending: the program "
			      "is too complex");

		st_free(s);
		return rc;
	}
	if (s->parent != NULL)
		s->parent->branches++;
	e->pending[e->npending++] = s;
	return 0;
}

static void
path_done(struct vstate *s)
{
	for (struct vcp *cp = s->parent; cp != NULL; cp = cp->parent)
		if (--cp->branches != 0)
			break;
}

/* ---- liveness ---- */

/* registers an instruction reads and writes (r10 aside) */
static void
uses_defs(const struct bpf_insn *in, uint16_t *use, uint16_t *def)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint16_t d = (uint16_t)(1u << in->dst_reg), sr = (uint16_t)(1u << in->src_reg);

	*use = *def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		*def = d;
		if (op != BPF_MOV)
			*use |= d;
		if (BPF_SRC(in->code) == BPF_X && op != BPF_END && op != BPF_NEG)
			*use |= sr;
		break;
	case BPF_LD:
		*def = d;
		break;
	case BPF_LDX:
		*use = sr;
		*def = d;
		break;
	case BPF_ST:
		*use = d;
		break;
	case BPF_STX:
		*use = d | sr;
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			if (in->imm == BPF_CMPXCHG)
				*use |= 1, *def |= 1;
			else if (in->imm & BPF_FETCH)
				*def |= sr;
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL) {
			*use = 0x3e;    /* r1-r5 */
			*def = 0x3f;    /* r0-r5 */
		} else if (op == BPF_EXIT) {
			*use = 1;
		} else if (op != BPF_JA) {
			*use = d;
			if (BPF_SRC(in->code) == BPF_X)
				*use |= sr;
		}
		break;
	}
	*use &= 0x3ff;
	*def &= 0x3ff;
}

static int
liveness(struct venv *e)
{
	bool changed = true;

	e->live = calloc(e->n + 1, sizeof(*e->live));
	if (e->live == NULL)
		return -ENOMEM;
	while (changed) {
		changed = false;
		for (uint32_t i = e->n; i-- > 0;) {
			const struct bpf_insn *in = &e->in[i];
			uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
			uint16_t use, def, out = 0, nl;

			if (i > 0 && e->in[i - 1].code == (BPF_LD | BPF_IMM | BPF_DW))
				continue; /* second half of a 64-bit load */
			uses_defs(in, &use, &def);
			if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
				out = i + 2 < e->n ? e->live[i + 2] : 0;
			} else if ((cls == BPF_JMP || cls == BPF_JMP32) &&
				   op == BPF_EXIT) {
				out = 0;
			} else if ((cls == BPF_JMP || cls == BPF_JMP32) &&
				   op == BPF_JA) {
				out = e->live[i + 1 + (cls == BPF_JMP ? in->off :
						       in->imm)];
			} else if ((cls == BPF_JMP || cls == BPF_JMP32) &&
				   op != BPF_CALL) {
				out = e->live[i + 1] | e->live[i + 1 + in->off];
			} else {
				out = i + 1 < e->n ? e->live[i + 1] : 0;
			}
			nl = (uint16_t)(use | (out & ~def));
			if (nl != e->live[i]) {
				e->live[i] = nl;
				changed = true;
			}
		}
	}
	return 0;
}

/* ---- driver ---- */

static int
mark_points(struct venv *e)
{
	e->flag = calloc(e->n + 1, 1);
	e->cps = calloc(e->n + 1, sizeof(*e->cps));
	e->depth = calloc(e->n + 1, sizeof(*e->depth));
	e->ncps = calloc(e->n + 1, sizeof(*e->ncps));
	if (e->flag == NULL || e->cps == NULL || e->depth == NULL ||
	    e->ncps == NULL)
		return -ENOMEM;
	e->flag[0] |= F_ENTRY;
	for (uint32_t i = 0; i < e->n; i++) {
		const struct bpf_insn *in = &e->in[i];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (in->src_reg == XDPC_PSEUDO_FUNC)
				e->flag[in->imm] |= F_ENTRY | F_PRUNE;
			i++;
			continue;
		}
		if (cls != BPF_JMP && cls != BPF_JMP32)
			continue;
		if (op == BPF_CALL) {
			if (in->src_reg == BPF_PSEUDO_CALL)
				e->flag[i + 1 + in->imm] |= F_ENTRY;
			e->flag[i + 1] |= F_PRUNE;
		} else if (op == BPF_JA) {
			e->flag[i + 1 + (cls == BPF_JMP ? in->off : in->imm)] |=
				F_PRUNE;
		} else if (op != BPF_EXIT) {
			e->flag[i + 1 + in->off] |= F_PRUNE;
			e->flag[i + 1] |= F_PRUNE;
		}
	}
	return 0;
}

/* the kernel's combined stack limit along every chain of calls */
static int
check_depth(struct venv *e, uint32_t entry, uint32_t level, uint32_t *worst)
{
	uint32_t own = (e->depth[entry] + 31) / 32 * 32, deepest = 0;

	if (level >= XDPC_MAX_CALL_DEPTH)
		return 0;
	for (uint32_t i = entry; i < e->n; i++) {
		const struct bpf_insn *in = &e->in[i];
		uint32_t sub = 0;

		if (i != entry && (e->flag[i] & F_ENTRY))
			break;
		if (in->code == (BPF_JMP | BPF_CALL) &&
		    in->src_reg == BPF_PSEUDO_CALL) {
			check_depth(e, i + 1 + in->imm, level + 1, &sub);
			if (sub > deepest)
				deepest = sub;
		}
	}
	*worst = own + deepest;
	return 0;
}

int
xdpc_verify_prog(const struct xdpc_obj *obj, struct xdpc_prog *p, char *err,
		 size_t errlen)
{
	struct venv e = { .obj = obj, .p = p, .in = p->insns, .n = p->n,
			  .err = err, .errlen = errlen };
	struct vstate *s = NULL;
	struct timespec t0, t1;
	uint32_t total = 0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	free(p->vaux);
	free(p->vcall);
	p->vaux = calloc(p->n + 1, 1);
	p->vcall = calloc(p->n + 1, sizeof(*p->vcall));
	p->vflags = 0;
	rc = p->vaux == NULL || p->vcall == NULL ? -ENOMEM : mark_points(&e);
	if (rc == 0)
		rc = liveness(&e);
	if (rc == 0) {
		s = calloc(1, sizeof(*s));
		if (s == NULL || (s->f[0] = calloc(1, sizeof(struct vframe))) == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0) {
		s->f[0]->r[1].type = T_CTX;
		s->f[0]->r[1].v = xdpc_sc_const(0);
		init_fp(s->f[0], 0);
		s->f[0]->callsite = UINT32_MAX;
	}
	while (rc == 0 && s != NULL) {
		int r;

		if (++e.processed > MAX_PROCESSED) {
			rc = verr(&e, s, "the program is too large or complex: "
				  "%u instructions processed (the kernel's limit)",
				  MAX_PROCESSED);
			break;
		}
		if (e.flag[s->insn] & F_PRUNE) {
			r = visit(&e, s);
			if (r < 0) {
				rc = r;
				break;
			}
			if (r == 1)
				goto next;
		}
		r = do_insn(&e, s);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == 0)
			continue;
next:
		path_done(s);
		st_free(s);
		s = e.npending ? e.pending[--e.npending] : NULL;
	}
	if (rc == 0) {
		check_depth(&e, 0, 0, &total);
		if (total > XDPC_STACK)
			rc = -EINVAL, snprintf(err, errlen, "%s: program %s: the "
					       "combined stack of its calls is %u "
					       "bytes, over %u", obj->path, p->name,
					       total, XDPC_STACK);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	p->vstats.insns_processed = e.processed;
	p->vstats.states = e.nstates;
	p->vstats.ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull +
		       (uint64_t)(t1.tv_nsec - t0.tv_nsec);
	p->vstats.stack_depth = total;
	st_free(s);
	while (e.npending)
		st_free(e.pending[--e.npending]);
	free(e.pending);
	if (e.cps != NULL)
		for (uint32_t i = 0; i <= e.n; i++)
			for (struct vcp *cp = e.cps[i], *nx; cp != NULL; cp = nx) {
				nx = cp->next;
				st_free_frames(&cp->st);
				free(cp);
			}
	free(e.cps);
	free(e.flag);
	free(e.live);
	free(e.depth);
	free(e.ncps);
	return rc;
}
