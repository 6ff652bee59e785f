/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verifier's scalar domain (see xdpc_vscalar.h): bounds and known
 * bits for every ALU operation, jump outcomes and what a taken or
 * untaken jump teaches. Every function over-approximates: a result may
 * know less than is true, never more. Constants fold through
 * xdpc_alu_eval, the interpreter's own arithmetic, so the two agree.
 */
#include <stdio.h>

#include "xdpc_internal.h"
#include "xdpc_vscalar.h"

#define U32M 0xffffffffull
#define SIGN 0x8000000000000000ull

/* tnums: (v, m), v & m == 0, as in the kernel's tnum.c */
struct tn { uint64_t v, m; };

static struct tn
tn_range(uint64_t lo, uint64_t hi)
{
	uint64_t chi = lo ^ hi, delta;
	int bits = chi ? 64 - __builtin_clzll(chi) : 0;

	if (bits > 63)
		return (struct tn){ 0, ~0ull };
	delta = (1ull << bits) - 1;
	return (struct tn){ lo & ~delta, delta };
}

static struct tn
tn_add(struct tn a, struct tn b)
{
	uint64_t sm = a.m + b.m, sv = a.v + b.v, sigma = sm + sv;
	uint64_t chi = sigma ^ sv, mu = chi | a.m | b.m;

	return (struct tn){ sv & ~mu, mu };
}

static struct tn
tn_sub(struct tn a, struct tn b)
{
	uint64_t dv = a.v - b.v, alpha = dv + a.m, beta = dv - b.m;
	uint64_t chi = alpha ^ beta, mu = chi | a.m | b.m;

	return (struct tn){ dv & ~mu, mu };
}

static struct tn
tn_and(struct tn a, struct tn b)
{
	uint64_t alpha = a.v | a.m, beta = b.v | b.m, v = a.v & b.v;

	return (struct tn){ v, alpha & beta & ~v };
}

static struct tn
tn_or(struct tn a, struct tn b)
{
	uint64_t v = a.v | b.v, mu = a.m | b.m;

	return (struct tn){ v, mu & ~v };
}

static struct tn
tn_xor(struct tn a, struct tn b)
{
	uint64_t v = a.v ^ b.v, mu = a.m | b.m;

	return (struct tn){ v & ~mu, mu };
}

static struct tn
tn_mul(struct tn a, struct tn b)
{
	struct tn acc = { 0, 0 };
	uint64_t accv = a.v * b.v;

	while (a.v || a.m) {
		if (a.v & 1)
			acc = tn_add(acc, (struct tn){ 0, b.m });
		else if (a.m & 1)
			acc = tn_add(acc, (struct tn){ 0, b.v | b.m });
		a.v >>= 1; a.m >>= 1;
		b.v <<= 1; b.m <<= 1;
	}
	return tn_add((struct tn){ accv, 0 }, acc);
}

static struct tn
tn_of(const struct xdpc_sc *s)
{
	return (struct tn){ s->tv, s->tm };
}

static void
set_tn(struct xdpc_sc *s, struct tn t)
{
	s->tv = t.v;
	s->tm = t.m;
}

static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

struct xdpc_sc
xdpc_sc_const(uint64_t v)
{
	return (struct xdpc_sc){ v, v, (int64_t)v, (int64_t)v, v, 0 };
}

struct xdpc_sc
xdpc_sc_unknown(void)
{
	return (struct xdpc_sc){ 0, ~0ull, INT64_MIN, INT64_MAX, 0, ~0ull };
}

struct xdpc_sc
xdpc_sc_urange(uint64_t lo, uint64_t hi)
{
	struct xdpc_sc s = xdpc_sc_unknown();

	s.umin = lo;
	s.umax = hi;
	xdpc_sc_sync(&s);
	return s;
}

struct xdpc_sc
xdpc_sc_srange(int64_t lo, int64_t hi)
{
	struct xdpc_sc s = xdpc_sc_unknown();

	s.smin = lo;
	s.smax = hi;
	xdpc_sc_sync(&s);
	return s;
}

bool
xdpc_sc_sync(struct xdpc_sc *s)
{
	for (int pass = 0; pass < 3; pass++) {
		struct tn t;

		/* known bits bound both orders */
		s->umin = umax64(s->umin, s->tv);
		s->umax = umin64(s->umax, s->tv | s->tm);
		if (!(s->tm & SIGN)) {
			s->smin = smax64(s->smin, (int64_t)s->tv);
			s->smax = smin64(s->smax, (int64_t)(s->tv | s->tm));
		} else {
			s->smin = smax64(s->smin, (int64_t)(s->tv | SIGN));
			s->smax = smin64(s->smax, (int64_t)((s->tv | s->tm) & ~SIGN));
		}
		/* a signed range on one side of zero is an unsigned one */
		if (s->smin >= 0 || s->smax < 0) {
			s->umin = umax64(s->umin, (uint64_t)s->smin);
			s->umax = umin64(s->umax, (uint64_t)s->smax);
		}
		/* an unsigned range within one signed half is a signed one */
		if ((int64_t)s->umax >= 0 || (int64_t)s->umin < 0) {
			s->smin = smax64(s->smin, (int64_t)s->umin);
			s->smax = smin64(s->smax, (int64_t)s->umax);
		}
		if (s->umin > s->umax || s->smin > s->smax)
			return false;
		/* bounds give known high bits */
		t = tn_range(s->umin, s->umax);
		if ((t.v ^ s->tv) & ~(t.m | s->tm))
			return false;
		{
			uint64_t v = t.v | s->tv, mu = t.m & s->tm;

			s->tv = v & ~mu;
			s->tm = mu;
		}
	}
	return true;
}

struct xdpc_sc
xdpc_sc_zext32(struct xdpc_sc s)
{
	if (s.umax <= U32M)
		return s;
	s.tv &= U32M;
	s.tm &= U32M;
	s.umin = 0;
	s.umax = U32M;
	s.smin = 0;
	s.smax = (int64_t)U32M;
	xdpc_sc_sync(&s);
	return s;
}

static void
full(struct xdpc_sc *d, struct tn t)
{
	*d = xdpc_sc_unknown();
	set_tn(d, t);
}

/* Signed bounds unknown, unsigned and tnum as computed: sync derives
 * the signed view. */
static void
from_unsigned(struct xdpc_sc *d, uint64_t lo, uint64_t hi, struct tn t)
{
	*d = xdpc_sc_unknown();
	d->umin = lo;
	d->umax = hi;
	set_tn(d, t);
}

static void
alu64(uint8_t op, int16_t off, int width, struct xdpc_sc *d,
      const struct xdpc_sc *b)
{
	struct xdpc_sc a = *d;
	struct tn ta = tn_of(&a), tb = tn_of(b);
	bool bk = xdpc_sc_is_const(b);
	uint64_t k = b->tv;

	switch (op) {
	case BPF_ADD: {
		uint64_t lo, hi;
		int64_t slo, shi;

		from_unsigned(d, 0, ~0ull, tn_add(ta, tb));
		if (!__builtin_add_overflow(a.umin, b->umin, &lo) &&
		    !__builtin_add_overflow(a.umax, b->umax, &hi))
			d->umin = lo, d->umax = hi;
		if (!__builtin_add_overflow(a.smin, b->smin, &slo) &&
		    !__builtin_add_overflow(a.smax, b->smax, &shi))
			d->smin = slo, d->smax = shi;
		break;
	}
	case BPF_SUB: {
		int64_t slo, shi;

		from_unsigned(d, 0, ~0ull, tn_sub(ta, tb));
		if (a.umin >= b->umax)
			d->umin = a.umin - b->umax, d->umax = a.umax - b->umin;
		if (!__builtin_sub_overflow(a.smin, b->smax, &slo) &&
		    !__builtin_sub_overflow(a.smax, b->smin, &shi))
			d->smin = slo, d->smax = shi;
		break;
	}
	case BPF_MUL:
		if (a.umax <= U32M && b->umax <= U32M)
			from_unsigned(d, a.umin * b->umin, a.umax * b->umax,
				      tn_mul(ta, tb));
		else
			full(d, tn_mul(ta, tb));
		break;
	case BPF_AND:
		from_unsigned(d, 0, umin64(a.umax, b->umax), tn_and(ta, tb));
		break;
	case BPF_OR:
		from_unsigned(d, umax64(a.umin, b->umin), ~0ull, tn_or(ta, tb));
		break;
	case BPF_XOR:
		full(d, tn_xor(ta, tb));
		break;
	case BPF_LSH:
		if (bk) {
			k &= (uint64_t)width - 1;
			if (k == 0)
				break;
			if ((a.umax >> (64 - k)) == 0)
				from_unsigned(d, a.umin << k, a.umax << k,
					      (struct tn){ ta.v << k, ta.m << k });
			else
				full(d, (struct tn){ ta.v << k, ta.m << k });
		} else {
			full(d, (struct tn){ 0, ~0ull });
		}
		break;
	case BPF_RSH:
		if (bk) {
			k &= (uint64_t)width - 1;
			from_unsigned(d, a.umin >> k, a.umax >> k,
				      (struct tn){ ta.v >> k, ta.m >> k });
		} else {
			from_unsigned(d, 0, a.umax, (struct tn){ 0, ~0ull });
		}
		break;
	case BPF_ARSH:
		/* 64-bit only: the 32-bit form comes here only when the
		 * value is non-negative as an s32 (see xdpc_sc_alu) */
		if (bk) {
			k &= (uint64_t)width - 1;
			*d = xdpc_sc_unknown();
			d->smin = a.smin >> k;
			d->smax = a.smax >> k;
			set_tn(d, (struct tn){ (uint64_t)((int64_t)ta.v >> k),
					       (uint64_t)((int64_t)ta.m >> k) });
		} else {
			*d = xdpc_sc_unknown();
			d->smin = a.smin < 0 ? a.smin : 0;
			d->smax = a.smax > 0 ? a.smax : 0;
		}
		break;
	case BPF_DIV:
		if (off == 1)
			*d = xdpc_sc_unknown();
		else if (bk && k != 0)
			from_unsigned(d, a.umin / k, a.umax / k, (struct tn){ 0, ~0ull });
		else
			from_unsigned(d, 0, a.umax, (struct tn){ 0, ~0ull });
		break;
	case BPF_MOD:
		if (off == 1)
			*d = xdpc_sc_unknown();
		else if (bk && k != 0 && a.umax < k)
			break; /* unchanged */
		else if (bk && k != 0)
			from_unsigned(d, 0, k - 1, (struct tn){ 0, ~0ull });
		else if (b->umin > 0)
			from_unsigned(d, 0, umin64(a.umax, b->umax - 1),
				      (struct tn){ 0, ~0ull });
		else
			from_unsigned(d, 0, a.umax, (struct tn){ 0, ~0ull });
		break;
	case BPF_NEG:
		full(d, tn_sub((struct tn){ 0, 0 }, ta));
		break;
	default: /* BPF_MOV */
		if (off == 8 || off == 16 || off == 32) {
			uint64_t half = 1ull << (off - 1);

			if (b->umax < half) {
				*d = *b;
			} else {
				*d = xdpc_sc_unknown();
				d->smin = -(int64_t)half;
				d->smax = (int64_t)(half - 1);
			}
		} else {
			*d = *b;
		}
		break;
	}
	if (!xdpc_sc_sync(d))
		*d = xdpc_sc_unknown(); /* cannot happen for sound inputs */
}

void
xdpc_sc_alu(uint8_t op, bool is64, int16_t off, struct xdpc_sc *d,
	    struct xdpc_sc b)
{
	if (xdpc_sc_is_const(&b) && (xdpc_sc_is_const(d) || op == BPF_MOV)) {
		*d = xdpc_sc_const(xdpc_alu_eval(op, is64, off, d->tv, b.tv));
		return;
	}
	if (is64) {
		alu64(op, off, 64, d, &b);
		return;
	}
	/* ALU32: the same operation on the low halves, truncated */
	if (op == BPF_MOV && off != 0) {
		b = xdpc_sc_zext32(b);
		if (b.umax >= (1ull << (off - 1)))
			b = xdpc_sc_urange(0, U32M);
		*d = b;
		return;
	}
	*d = xdpc_sc_zext32(*d);
	b = xdpc_sc_zext32(b);
	if (op == BPF_ARSH && d->umax > 0x7fffffffull) {
		*d = xdpc_sc_urange(0, U32M);
		return;
	}
	if ((op == BPF_DIV || op == BPF_MOD) && off == 1) {
		*d = xdpc_sc_urange(0, U32M);
		return;
	}
	if (op == BPF_NEG) {
		*d = xdpc_sc_urange(0, U32M);
		return;
	}
	alu64(op, off, 32, d, &b);
	*d = xdpc_sc_zext32(*d);
}

void
xdpc_sc_end(bool is64, bool to_be, int32_t bits, struct xdpc_sc *d)
{
	uint64_t lim = bits == 16 ? 0xffff : bits == 32 ? U32M : ~0ull;

	if (xdpc_sc_is_const(d)) {
		uint64_t v = d->tv;

		if (is64 || to_be)
			v = bits == 16 ? __builtin_bswap16((uint16_t)v) :
			    bits == 32 ? __builtin_bswap32((uint32_t)v) :
			    __builtin_bswap64(v);
		else
			v &= lim;
		*d = xdpc_sc_const(v);
		return;
	}
	if (!is64 && !to_be && d->umax <= lim)
		return; /* to little endian on x86: truncation */
	*d = xdpc_sc_urange(0, lim);
}

/* a view where the jump's comparison is the 64-bit one, or false */
static bool
view32(const struct xdpc_sc *s, struct xdpc_sc *o, bool is_signed)
{
	if (s->umax > (is_signed ? 0x7fffffffull : U32M))
		return false;
	*o = *s;
	return true;
}

static bool
is_signed_op(uint8_t op)
{
	return op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT ||
	       op == BPF_JSLE;
}

int
xdpc_sc_branch(uint8_t op, bool is32, const struct xdpc_sc *a0,
	       const struct xdpc_sc *b0)
{
	struct xdpc_sc a, b;

	if (is32) {
		if (xdpc_sc_is_const(a0) && xdpc_sc_is_const(b0)) {
			uint32_t x = (uint32_t)a0->tv, y = (uint32_t)b0->tv;

			switch (op) {
			case BPF_JEQ: return x == y;
			case BPF_JNE: return x != y;
			case BPF_JGT: return x > y;
			case BPF_JGE: return x >= y;
			case BPF_JLT: return x < y;
			case BPF_JLE: return x <= y;
			case BPF_JSET: return (x & y) != 0;
			case BPF_JSGT: return (int32_t)x > (int32_t)y;
			case BPF_JSGE: return (int32_t)x >= (int32_t)y;
			case BPF_JSLT: return (int32_t)x < (int32_t)y;
			case BPF_JSLE: return (int32_t)x <= (int32_t)y;
			}
			return -1;
		}
		if (!view32(a0, &a, is_signed_op(op)) ||
		    !view32(b0, &b, is_signed_op(op)))
			return -1;
	} else {
		a = *a0;
		b = *b0;
	}
	switch (op) {
	case BPF_JEQ:
	case BPF_JNE: {
		int eq = -1;

		if (xdpc_sc_is_const(&a) && xdpc_sc_is_const(&b))
			eq = a.tv == b.tv;
		else if (a.umax < b.umin || a.umin > b.umax ||
			 a.smax < b.smin || a.smin > b.smax ||
			 ((a.tv ^ b.tv) & ~(a.tm | b.tm)))
			eq = 0;
		if (eq < 0)
			return -1;
		return op == BPF_JEQ ? eq : !eq;
	}
	case BPF_JGT:
		return a.umin > b.umax ? 1 : a.umax <= b.umin ? 0 : -1;
	case BPF_JGE:
		return a.umin >= b.umax ? 1 : a.umax < b.umin ? 0 : -1;
	case BPF_JLT:
		return a.umax < b.umin ? 1 : a.umin >= b.umax ? 0 : -1;
	case BPF_JLE:
		return a.umax <= b.umin ? 1 : a.umin > b.umax ? 0 : -1;
	case BPF_JSGT:
		return a.smin > b.smax ? 1 : a.smax <= b.smin ? 0 : -1;
	case BPF_JSGE:
		return a.smin >= b.smax ? 1 : a.smax < b.smin ? 0 : -1;
	case BPF_JSLT:
		return a.smax < b.smin ? 1 : a.smin >= b.smax ? 0 : -1;
	case BPF_JSLE:
		return a.smax <= b.smin ? 1 : a.smin > b.smax ? 0 : -1;
	case BPF_JSET:
		if (a.tv & b.tv)
			return 1;
		if (((a.tv | a.tm) & (b.tv | b.tm)) == 0)
			return 0;
		return -1;
	}
	return -1;
}

static uint8_t
negate(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	case BPF_JSLE: return BPF_JSGT;
	}
	return op;
}

/* x != k: trim k off either end of x's ranges */
static void
trim_ne(struct xdpc_sc *x, uint64_t k)
{
	if (x->umin == k && x->umin != ~0ull)
		x->umin++;
	else if (x->umax == k && x->umax != 0)
		x->umax--;
	if (x->smin == (int64_t)k && x->smin != INT64_MAX)
		x->smin++;
	else if (x->smax == (int64_t)k && x->smax != INT64_MIN)
		x->smax--;
}

bool
xdpc_sc_refine(uint8_t op, bool is32, bool taken, struct xdpc_sc *a,
	       struct xdpc_sc *b)
{
	struct xdpc_sc tmp;

	if (is32 && (!view32(a, &tmp, is_signed_op(op)) ||
		     !view32(b, &tmp, is_signed_op(op))))
		return true; /* nothing learnt, nothing ruled out */
	if (op == BPF_JSET) {
		if (taken) {
			if (xdpc_sc_is_const(b) && b->tv &&
			    !(b->tv & (b->tv - 1)) && (a->tm & b->tv))
				a->tv |= b->tv, a->tm &= ~b->tv;
		} else if (xdpc_sc_is_const(b)) {
			if (a->tv & b->tv)
				return false;
			a->tm &= ~b->tv;
		}
		return xdpc_sc_sync(a);
	}
	if (!taken)
		op = negate(op);
	switch (op) {
	case BPF_JEQ: {
		struct xdpc_sc m = *a;
		uint64_t v, mu;

		if ((a->tv ^ b->tv) & ~(a->tm | b->tm))
			return false;
		m.umin = umax64(a->umin, b->umin);
		m.umax = umin64(a->umax, b->umax);
		m.smin = smax64(a->smin, b->smin);
		m.smax = smin64(a->smax, b->smax);
		v = a->tv | b->tv;
		mu = a->tm & b->tm;
		m.tv = v & ~mu;
		m.tm = mu;
		*a = *b = m;
		break;
	}
	case BPF_JNE:
		if (xdpc_sc_is_const(b))
			trim_ne(a, b->tv);
		if (xdpc_sc_is_const(a))
			trim_ne(b, a->tv);
		break;
	case BPF_JGT:
		if (b->umin == ~0ull || a->umax == 0)
			return false;
		a->umin = umax64(a->umin, b->umin + 1);
		b->umax = umin64(b->umax, a->umax - 1);
		break;
	case BPF_JGE:
		a->umin = umax64(a->umin, b->umin);
		b->umax = umin64(b->umax, a->umax);
		break;
	case BPF_JLT:
		if (b->umax == 0 || a->umin == ~0ull)
			return false;
		a->umax = umin64(a->umax, b->umax - 1);
		b->umin = umax64(b->umin, a->umin + 1);
		break;
	case BPF_JLE:
		a->umax = umin64(a->umax, b->umax);
		b->umin = umax64(b->umin, a->umin);
		break;
	case BPF_JSGT:
		if (b->smin == INT64_MAX || a->smax == INT64_MIN)
			return false;
		a->smin = smax64(a->smin, b->smin + 1);
		b->smax = smin64(b->smax, a->smax - 1);
		break;
	case BPF_JSGE:
		a->smin = smax64(a->smin, b->smin);
		b->smax = smin64(b->smax, a->smax);
		break;
	case BPF_JSLT:
		if (b->smax == INT64_MIN || a->smin == INT64_MAX)
			return false;
		a->smax = smin64(a->smax, b->smax - 1);
		b->smin = smax64(b->smin, a->smin + 1);
		break;
	case BPF_JSLE:
		a->smax = smin64(a->smax, b->smax);
		b->smin = smax64(b->smin, a->smin);
		break;
	}
	return xdpc_sc_sync(a) && xdpc_sc_sync(b);
}

bool
xdpc_sc_within(const struct xdpc_sc *old, const struct xdpc_sc *cur)
{
	if (cur->umin < old->umin || cur->umax > old->umax ||
	    cur->smin < old->smin || cur->smax > old->smax)
		return false;
	if (cur->tm & ~old->tm)
		return false;
	return (cur->tv & ~old->tm) == old->tv;
}

int
xdpc_sc_fmt(const struct xdpc_sc *s, char *buf, size_t len)
{
	if (xdpc_sc_is_const(s))
		return snprintf(buf, len, "%lld", (long long)s->tv);
	if (s->umin == 0 && s->umax == ~0ull && s->smin == INT64_MIN &&
	    s->smax == INT64_MAX)
		return snprintf(buf, len, "?");
	if (s->smin >= 0)
		return snprintf(buf, len, "[%llu,%llu]",
				(unsigned long long)s->umin,
				(unsigned long long)s->umax);
	return snprintf(buf, len, "[s%lld,s%lld u%llu,u%llu]",
			(long long)s->smin, (long long)s->smax,
			(unsigned long long)s->umin, (unsigned long long)s->umax);
}
