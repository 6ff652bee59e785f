/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat reference interpreter. Executes the eBPF ISA (v1-v4: ALU and
 * ALU32 with zero extension, JMP and JMP32, signed division and modulo,
 * sign-extending moves and loads, byte swaps, atomics with fetch, xchg and
 * cmpxchg, 64-bit immediates, helper calls, bpf-to-bpf calls with a
 * 512-byte frame each). Every memory access is checked against the
 * regions the program may touch: packet and metadata, stack, map values
 * (read-only for .rodata) and the context, whose struct xdp_md fields are
 * served as the kernel's convert_ctx_access would. A fault, or running
 * past the instruction budget, ends the run as XDP_ABORTED with a trace.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "xdpc_internal.h"

/* ISA v4 encodings the 6.1 UAPI header does not name. */
#define XDPC_MEMSX 0x80
#define XDPC_BUDGET (1u << 20)

void
xdpc_fault(struct xdpc_run *r, const char *fmt, ...)
{
	va_list ap;

	r->fault = true;
	if (r->trace == NULL || r->tracelen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(r->trace, r->tracelen, fmt, ap);
	va_end(ap);
}

bool
xdpc_mem_ok(struct xdpc_run *r, const void *p, size_t len, bool write,
	    const uint8_t *stack_lo, const uint8_t *stack_hi)
{
	const uint8_t *a = p;
	struct xdpc_obj *obj = r->prog->obj;

	if (a + len < a)
		return false;
	if (stack_lo != NULL && a >= stack_lo && a + len <= stack_hi)
		return true;
	if (a >= r->buf->data_meta && a + len <= r->buf->data_end)
		return true;
	if ((uintptr_t)a >= r->val_lo && (uintptr_t)(a + len) <= r->val_hi)
		return !write || r->val_w;
	for (uint32_t i = 0; i < obj->nr_maps; i++) {
		const struct xdpc_map *m = &obj->maps[i];
		bool w, rd;

		if (!xdpc_map_value_range(m, p, len))
			continue;
		/* BPF_F_RDONLY_PROG / WRONLY_PROG: what the verifier would
		 * refuse, refused here at the access */
		w = !m->readonly && !(m->flags & BPF_F_RDONLY_PROG);
		rd = !(m->flags & BPF_F_WRONLY_PROG);
		if (rd && m->hash == NULL && m->type != BPF_MAP_TYPE_RINGBUF)
			/* arrays keep their elements: remember this one */
			xdpc_map_value_extent(m, p, &r->val_lo, &r->val_hi),
			r->val_w = w;
		return write ? w : rd;
	}
	return false;
}

static bool
ctx_load(struct xdpc_run *r, uintptr_t addr, int size, uint64_t *v)
{
	uint32_t off = (uint32_t)(addr - (uintptr_t)r->ctx);
	struct xdpc_buff *b = r->buf;

	if (size != 4 || off % 4 != 0)
		return false;
	switch (off) {
	case 0: *v = (uintptr_t)b->data; return true;
	case 4: *v = (uintptr_t)b->data_end; return true;
	case 8: *v = (uintptr_t)b->data_meta; return true;
	case 12: *v = b->ingress_ifindex; return true;
	case 16: *v = b->rx_queue_index; return true;
	case 20: *v = b->egress_ifindex; return true;
	}
	return false;
}

/* Fixed-width loads and stores: a variable-length memcpy into a 64-bit
 * temporary costs a store-forwarding stall on every packet byte read. */
static inline uint64_t
load_sz(uintptr_t a, int sz)
{
	uint16_t h;
	uint32_t w;
	uint64_t d;

	switch (sz) {
	case 1: return *(const uint8_t *)a;
	case 2: memcpy(&h, (const void *)a, 2); return h;
	case 4: memcpy(&w, (const void *)a, 4); return w;
	default: memcpy(&d, (const void *)a, 8); return d;
	}
}

static inline void
store_sz(uintptr_t a, int sz, uint64_t v)
{
	uint16_t h = (uint16_t)v;
	uint32_t w = (uint32_t)v;

	switch (sz) {
	case 1: *(uint8_t *)a = (uint8_t)v; break;
	case 2: memcpy((void *)a, &h, 2); break;
	case 4: memcpy((void *)a, &w, 4); break;
	default: memcpy((void *)a, &v, 8); break;
	}
}

/* The fast path's check: the packet (with its metadata) or the stack,
 * nothing else. */
/* The verifier proved every access; these checks are the second line
 * of defence, on unless the application turns them off. */
static bool runtime_checks = true;

void
xdpc_set_runtime_checks(bool on)
{
	__atomic_store_n(&runtime_checks, on, __ATOMIC_RELAXED);
}

static inline bool
fast_mem(const struct xdpc_run *r, uintptr_t a, size_t len, bool write,
	 const uint8_t *stack_lo, const uint8_t *stack_hi)
{
	/* unchecked, everything but the context (its loads are served
	 * the long way) */
	return (r->unchecked && (a < (uintptr_t)r->ctx ||
				 a >= (uintptr_t)r->ctx + sizeof(r->ctx))) ||
	       (a >= (uintptr_t)r->buf->data_meta &&
		a + len <= (uintptr_t)r->buf->data_end && a + len >= a) ||
	       (a >= (uintptr_t)stack_lo && a + len <= (uintptr_t)stack_hi &&
		a + len >= a) ||
	       (a >= r->val_lo && a + len <= r->val_hi && a + len >= a &&
		(!write || r->val_w));
}

/* The common cases inline: the packet (with its metadata) and the stack;
 * maps and faults go the long way. */
static inline bool
mem_ok(struct xdpc_run *r, uintptr_t a, size_t len, bool write,
       const uint8_t *stack_lo, const uint8_t *stack_hi)
{
	if (r->unchecked)
		return true;
	if (a >= (uintptr_t)r->buf->data_meta &&
	    a + len <= (uintptr_t)r->buf->data_end && a + len >= a)
		return true;
	if (a >= (uintptr_t)stack_lo && a + len <= (uintptr_t)stack_hi &&
	    a + len >= a)
		return true;
	return xdpc_mem_ok(r, (const void *)a, len, write, stack_lo, stack_hi);
}

static inline bool
in_ctx(const struct xdpc_run *r, uintptr_t a, size_t len)
{
	return a >= (uintptr_t)r->ctx && a + len <= (uintptr_t)r->ctx + sizeof(r->ctx);
}

static inline uint64_t
bswap(uint64_t v, int32_t bits)
{
	switch (bits) {
	case 16: return __builtin_bswap16((uint16_t)v);
	case 32: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

struct frame {
	uint32_t ret_pc;
	uint64_t saved[4];      /* r6-r9 */
	/* a bpf_loop in progress: the callback returns to the loop, which
	 * calls it again or returns the count to ret_pc */
	bool loop;
	uint32_t cb_pc, i, n;
	uint64_t cb_ctx;
};

static uint32_t
too_deep(struct xdpc_run *r, const struct xdpc_prog *prog, uint32_t at)
{
	xdpc_fault(r, "program %s: instruction %u: calls nested deeper than %u",
		   prog->name, at, XDPC_MAX_CALL_DEPTH);
	return XDPC_ABORTED;
}

uint32_t
xdpc_prog_run(struct xdpc_prog *prog, struct xdpc_buff *buf, char *trace,
	      size_t tracelen)
{
	if (prog->jit != NULL && prog->engine == XDPC_ENGINE_JIT)
		return xdpc_jit_run(prog, buf, trace, tracelen);
	return xdpc_interp_run(prog, buf, trace, tracelen);
}

uint32_t
xdpc_interp_run(struct xdpc_prog *prog, struct xdpc_buff *buf, char *trace,
		size_t tracelen)
{
	uint8_t stack[XDPC_STACK * XDPC_MAX_CALL_DEPTH] __attribute__((aligned(16)));
	struct frame frames[XDPC_MAX_CALL_DEPTH];
	struct xdpc_run r = { .prog = prog, .buf = buf, .trace = trace,
			      .tracelen = tracelen };
	const struct bpf_insn *insns = prog->insns;
	uint64_t reg[11] = {0};
	uint32_t pc = 0, depth = 0, budget = XDPC_BUDGET, tail_calls = 0;
	uint8_t *stack_lo = stack, *stack_hi = stack + sizeof(stack);

	if (!prog->obj->loaded) {
		xdpc_fault(&r, "program %s: object not loaded", prog->name);
		return XDPC_ABORTED;
	}
	if (trace != NULL && tracelen != 0)
		trace[0] = '\0';
	r.cpu = buf->cpu;
	r.unchecked = !__atomic_load_n(&runtime_checks, __ATOMIC_RELAXED);
	reg[1] = (uintptr_t)r.ctx;
	/* frame 0 at the top; each call moves down one frame */
	reg[10] = (uintptr_t)stack_hi;
	buf->redirect_ifindex = 0;
	buf->redirect_map = NULL;
	buf->redirect_flags = 0;

	for (;;) {
		const struct bpf_insn *in;
		uint64_t *dst, src, imm;
		uint8_t cls, op;

		if (--budget == 0) {
			xdpc_fault(&r, "program %s: over %u instructions run "
				   "(endless loop?)", prog->name, XDPC_BUDGET);
			return XDPC_ABORTED;
		}
		/* pc stays inside the program, registers exist and r10 is
		 * never written: the loader's control-flow pass proved it
		 * (xdpc_verify.c) */
		in = &insns[pc];
		dst = &reg[in->dst_reg];

		/* The common instructions, one dispatch on the whole opcode;
		 * the rest, and accesses outside the packet and the stack,
		 * take the general path below. */
		switch (in->code) {
#define FAST_ALU(OP, E64, E32)                                                \
		case BPF_ALU64 | OP | BPF_K: {                                \
			uint64_t a = *dst, b = (uint64_t)(int64_t)in->imm;     \
			*dst = (E64); pc++; continue; }                       \
		case BPF_ALU64 | OP | BPF_X: {                                \
			uint64_t a = *dst, b = reg[in->src_reg];              \
			*dst = (E64); pc++; continue; }                       \
		case BPF_ALU | OP | BPF_K: {                                  \
			uint32_t a = (uint32_t)*dst, b = (uint32_t)in->imm;   \
			*dst = (uint32_t)(E32); pc++; continue; }             \
		case BPF_ALU | OP | BPF_X: {                                  \
			uint32_t a = (uint32_t)*dst,                          \
				 b = (uint32_t)reg[in->src_reg];              \
			*dst = (uint32_t)(E32); pc++; continue; }
		FAST_ALU(BPF_ADD, a + b, a + b)
		FAST_ALU(BPF_SUB, a - b, a - b)
		FAST_ALU(BPF_OR, a | b, a | b)
		FAST_ALU(BPF_AND, a & b, a & b)
		FAST_ALU(BPF_XOR, a ^ b, a ^ b)
		FAST_ALU(BPF_MUL, a * b, a * b)
		FAST_ALU(BPF_LSH, a << (b & 63), a << (b & 31))
		FAST_ALU(BPF_RSH, a >> (b & 63), a >> (b & 31))
		FAST_ALU(BPF_ARSH, (uint64_t)((int64_t)a >> (b & 63)),
			 (uint32_t)((int32_t)a >> (b & 31)))
#undef FAST_ALU
		case BPF_ALU64 | BPF_MOV | BPF_K:
			if (in->off != 0)
				break; /* sign-extending moves: below */
			*dst = (uint64_t)(int64_t)in->imm;
			pc++;
			continue;
		case BPF_ALU64 | BPF_MOV | BPF_X:
			if (in->off != 0)
				break;
			*dst = reg[in->src_reg];
			pc++;
			continue;
		case BPF_ALU | BPF_MOV | BPF_K:
			if (in->off != 0)
				break;
			*dst = (uint32_t)in->imm;
			pc++;
			continue;
		case BPF_ALU | BPF_MOV | BPF_X:
			if (in->off != 0)
				break;
			*dst = (uint32_t)reg[in->src_reg];
			pc++;
			continue;
		case BPF_LD | BPF_IMM | BPF_DW:
			/* the loader resolved maps and globals into the two
			 * halves */
			*dst = (uint32_t)in->imm |
			       (uint64_t)(uint32_t)insns[pc + 1].imm << 32;
			pc += 2;
			continue;
#define FAST_LDX(SZ, N)                                                       \
		case BPF_LDX | BPF_MEM | SZ: {                                \
			uintptr_t a = (uintptr_t)(reg[in->src_reg] +          \
						  (int64_t)in->off);          \
			if (!fast_mem(&r, a, N, false, stack_lo, stack_hi))   \
				break;                                        \
			*dst = load_sz(a, N);                                 \
			pc++;                                                 \
			continue; }
		FAST_LDX(BPF_B, 1)
		FAST_LDX(BPF_H, 2)
		FAST_LDX(BPF_W, 4)
		FAST_LDX(BPF_DW, 8)
#undef FAST_LDX
#define FAST_ST(SZ, N)                                                        \
		case BPF_STX | BPF_MEM | SZ:                                  \
		case BPF_ST | BPF_MEM | SZ: {                                 \
			uintptr_t a = (uintptr_t)(*dst + (int64_t)in->off);   \
			if (!fast_mem(&r, a, N, true, stack_lo, stack_hi))    \
				break;                                        \
			store_sz(a, N, BPF_CLASS(in->code) == BPF_ST ?        \
				 (uint64_t)(int64_t)in->imm :                 \
				 reg[in->src_reg]);                           \
			pc++;                                                 \
			continue; }
		FAST_ST(BPF_B, 1)
		FAST_ST(BPF_H, 2)
		FAST_ST(BPF_W, 4)
		FAST_ST(BPF_DW, 8)
#undef FAST_ST
		case BPF_JMP | BPF_JA:
			pc += 1 + in->off;
			continue;
#define FAST_JMP(OP, COND)                                                    \
		case BPF_JMP | OP | BPF_K: {                                  \
			uint64_t a = *dst, b = (uint64_t)(int64_t)in->imm;     \
			int64_t sa = (int64_t)a, sb = (int64_t)b;             \
			(void)sa; (void)sb;                                   \
			pc += (COND) ? 1 + in->off : 1;                       \
			continue; }                                           \
		case BPF_JMP | OP | BPF_X: {                                  \
			uint64_t a = *dst, b = reg[in->src_reg];              \
			int64_t sa = (int64_t)a, sb = (int64_t)b;             \
			(void)sa; (void)sb;                                   \
			pc += (COND) ? 1 + in->off : 1;                       \
			continue; }                                           \
		case BPF_JMP32 | OP | BPF_K: {                                \
			uint64_t a = (uint32_t)*dst, b = (uint32_t)in->imm;   \
			int64_t sa = (int32_t)a, sb = (int32_t)b;             \
			(void)sa; (void)sb;                                   \
			pc += (COND) ? 1 + in->off : 1;                       \
			continue; }                                           \
		case BPF_JMP32 | OP | BPF_X: {                                \
			uint64_t a = (uint32_t)*dst,                          \
				 b = (uint32_t)reg[in->src_reg];              \
			int64_t sa = (int32_t)a, sb = (int32_t)b;             \
			(void)sa; (void)sb;                                   \
			pc += (COND) ? 1 + in->off : 1;                       \
			continue; }
		FAST_JMP(BPF_JEQ, a == b)
		FAST_JMP(BPF_JNE, a != b)
		FAST_JMP(BPF_JGT, a > b)
		FAST_JMP(BPF_JGE, a >= b)
		FAST_JMP(BPF_JLT, a < b)
		FAST_JMP(BPF_JLE, a <= b)
		FAST_JMP(BPF_JSET, (a & b) != 0)
		FAST_JMP(BPF_JSGT, sa > sb)
		FAST_JMP(BPF_JSGE, sa >= sb)
		FAST_JMP(BPF_JSLT, sa < sb)
		FAST_JMP(BPF_JSLE, sa <= sb)
#undef FAST_JMP
		default:
			break;
		}
		cls = BPF_CLASS(in->code);
		op = BPF_OP(in->code);
		imm = (uint64_t)(int64_t)in->imm;
		src = BPF_SRC(in->code) == BPF_X ? reg[in->src_reg] : imm;
		pc++;

		switch (cls) {
		case BPF_ALU64:
		case BPF_ALU: {
			bool is64 = cls == BPF_ALU64;
			uint64_t a = is64 ? *dst : (uint32_t)*dst;
			uint64_t res;

			if (in->dst_reg == 10) {
				xdpc_fault(&r, "program %s: instruction %u writes "
					   "r10", prog->name, pc - 1);
				return XDPC_ABORTED;
			}
			switch (op) {
			case BPF_END:
				if (is64) /* v4 bswap, unconditional */
					res = bswap(*dst, in->imm);
				else if (BPF_SRC(in->code) == BPF_TO_BE)
					res = bswap(*dst, in->imm);
				else /* to little endian: truncate on x86 */
					res = in->imm == 16 ? (uint16_t)*dst :
					      in->imm == 32 ? (uint32_t)*dst : *dst;
				*dst = res;
				continue;
			case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR:
			case BPF_AND: case BPF_XOR: case BPF_LSH: case BPF_RSH:
			case BPF_ARSH: case BPF_NEG: case BPF_DIV: case BPF_MOD:
			case BPF_MOV:
				res = xdpc_alu_eval(op, is64, in->off, a, src);
				break;
			default:
				xdpc_fault(&r, "program %s: instruction %u: bad ALU "
					   "opcode 0x%02x", prog->name, pc - 1,
					   in->code);
				return XDPC_ABORTED;
			}
			*dst = is64 ? res : (uint32_t)res;
			continue;
		}
		case BPF_LD:
			if (in->code != (BPF_LD | BPF_IMM | BPF_DW) || pc >= prog->n) {
				xdpc_fault(&r, "program %s: instruction %u: legacy "
					   "packet loads are not supported",
					   prog->name, pc - 1);
				return XDPC_ABORTED;
			}
			*dst = (uint32_t)in->imm | (uint64_t)(uint32_t)insns[pc].imm << 32;
			pc++;
			continue;
		case BPF_LDX: {
			int sz = BPF_SIZE(in->code) == BPF_B ? 1 :
				 BPF_SIZE(in->code) == BPF_H ? 2 :
				 BPF_SIZE(in->code) == BPF_W ? 4 : 8;
			uintptr_t addr = (uintptr_t)(reg[in->src_reg] + (int64_t)in->off);
			uint64_t v = 0;

			if (BPF_MODE(in->code) != BPF_MEM &&
			    BPF_MODE(in->code) != XDPC_MEMSX) {
				xdpc_fault(&r, "program %s: instruction %u: bad load "
					   "mode", prog->name, pc - 1);
				return XDPC_ABORTED;
			}
			if (in_ctx(&r, addr, sz)) {
				if (!ctx_load(&r, addr, sz, &v)) {
					xdpc_fault(&r, "program %s: instruction %u: "
						   "invalid xdp_md access at offset %lu "
						   "size %d", prog->name, pc - 1,
						   (unsigned long)(addr - (uintptr_t)r.ctx), sz);
					return XDPC_ABORTED;
				}
				*dst = v;
				continue;
			}
			if (!mem_ok(&r, addr, sz, false, stack_lo, stack_hi)) {
				xdpc_fault(&r, "program %s: instruction %u: read of %d "
					   "bytes at %#lx outside packet, stack and "
					   "map values", prog->name, pc - 1, sz,
					   (unsigned long)addr);
				return XDPC_ABORTED;
			}
			v = load_sz(addr, sz);
			if (BPF_MODE(in->code) == XDPC_MEMSX)
				v = sz == 1 ? (uint64_t)(int64_t)(int8_t)v :
				    sz == 2 ? (uint64_t)(int64_t)(int16_t)v :
				    (uint64_t)(int64_t)(int32_t)v;
			*dst = v;
			continue;
		}
		case BPF_ST:
		case BPF_STX: {
			int sz = BPF_SIZE(in->code) == BPF_B ? 1 :
				 BPF_SIZE(in->code) == BPF_H ? 2 :
				 BPF_SIZE(in->code) == BPF_W ? 4 : 8;
			uintptr_t addr = (uintptr_t)(*dst + (int64_t)in->off);
			uint64_t v = cls == BPF_ST ? imm : reg[in->src_reg];

			if (in_ctx(&r, addr, sz) ||
			    !mem_ok(&r, addr, sz, true, stack_lo, stack_hi)) {
				xdpc_fault(&r, "program %s: instruction %u: write of %d "
					   "bytes at %#lx outside packet, stack and "
					   "writable map values", prog->name, pc - 1,
					   sz, (unsigned long)addr);
				return XDPC_ABORTED;
			}
			if (BPF_MODE(in->code) == BPF_MEM) {
				store_sz(addr, sz, v);
				continue;
			}
			if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC &&
			    (sz == 4 || sz == 8) && addr % sz == 0) {
				uint64_t *s = &reg[in->src_reg];
				bool fetch = in->imm & BPF_FETCH;

				if (sz == 8) {
					uint64_t *p = (uint64_t *)addr, old;

					switch (in->imm) {
					case BPF_ADD: case BPF_ADD | BPF_FETCH:
						old = __atomic_fetch_add(p, *s, __ATOMIC_SEQ_CST); break;
					case BPF_OR: case BPF_OR | BPF_FETCH:
						old = __atomic_fetch_or(p, *s, __ATOMIC_SEQ_CST); break;
					case BPF_AND: case BPF_AND | BPF_FETCH:
						old = __atomic_fetch_and(p, *s, __ATOMIC_SEQ_CST); break;
					case BPF_XOR: case BPF_XOR | BPF_FETCH:
						old = __atomic_fetch_xor(p, *s, __ATOMIC_SEQ_CST); break;
					case BPF_XCHG:
						old = __atomic_exchange_n(p, *s, __ATOMIC_SEQ_CST); break;
					case BPF_CMPXCHG:
						old = reg[0];
						__atomic_compare_exchange_n(p, &old, *s, false,
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
						reg[0] = old;
						continue;
					default: goto bad_atomic;
					}
					if (fetch)
						*s = old;
				} else {
					uint32_t *p = (uint32_t *)addr, old;
					uint32_t sv = (uint32_t)*s;

					switch (in->imm) {
					case BPF_ADD: case BPF_ADD | BPF_FETCH:
						old = __atomic_fetch_add(p, sv, __ATOMIC_SEQ_CST); break;
					case BPF_OR: case BPF_OR | BPF_FETCH:
						old = __atomic_fetch_or(p, sv, __ATOMIC_SEQ_CST); break;
					case BPF_AND: case BPF_AND | BPF_FETCH:
						old = __atomic_fetch_and(p, sv, __ATOMIC_SEQ_CST); break;
					case BPF_XOR: case BPF_XOR | BPF_FETCH:
						old = __atomic_fetch_xor(p, sv, __ATOMIC_SEQ_CST); break;
					case BPF_XCHG:
						old = __atomic_exchange_n(p, sv, __ATOMIC_SEQ_CST); break;
					case BPF_CMPXCHG:
						old = (uint32_t)reg[0];
						__atomic_compare_exchange_n(p, &old, sv, false,
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
						reg[0] = old; /* zero-extended */
						continue;
					default: goto bad_atomic;
					}
					if (fetch)
						*s = old;
				}
				continue;
			}
bad_atomic:
			xdpc_fault(&r, "program %s: instruction %u: unsupported store "
				   "0x%02x imm %d", prog->name, pc - 1, in->code,
				   in->imm);
			return XDPC_ABORTED;
		}
		case BPF_JMP:
		case BPF_JMP32: {
			bool is64 = cls == BPF_JMP, take;
			uint64_t a = is64 ? *dst : (uint32_t)*dst;
			uint64_t b = is64 ? src : (uint32_t)src;
			int64_t sa = is64 ? (int64_t)a : (int32_t)a;
			int64_t sb = is64 ? (int64_t)b : (int32_t)b;

			switch (op) {
			case BPF_JA:
				/* v4 gotol: BPF_JMP32 | BPF_JA with a 32-bit offset */
				pc += is64 ? in->off : in->imm;
				continue;
			case BPF_JEQ: take = a == b; break;
			case BPF_JNE: take = a != b; break;
			case BPF_JGT: take = a > b; break;
			case BPF_JGE: take = a >= b; break;
			case BPF_JLT: take = a < b; break;
			case BPF_JLE: take = a <= b; break;
			case BPF_JSET: take = (a & b) != 0; break;
			case BPF_JSGT: take = sa > sb; break;
			case BPF_JSGE: take = sa >= sb; break;
			case BPF_JSLT: take = sa < sb; break;
			case BPF_JSLE: take = sa <= sb; break;
			case BPF_CALL:
				if (!is64)
					goto bad_jmp;
				if (in->src_reg == BPF_PSEUDO_CALL) {
					if (depth + 1 >= XDPC_MAX_CALL_DEPTH)
						return too_deep(&r, prog, pc - 1);
					frames[depth].ret_pc = pc;
					frames[depth].loop = false;
					memcpy(frames[depth].saved, &reg[6], 32);
					depth++;
					reg[10] -= XDPC_STACK;
					pc += in->imm;
					continue;
				} else if (in->imm == BPF_FUNC_loop) {
					/* r1 nr_loops, r2 callback, r3 ctx, r4
					 * flags: errors as the kernel's */
					uint64_t cb = reg[2];
					int64_t le;

					if ((cb & ~0xffffffffull) != XDPC_FUNC_TAG ||
					    (uint32_t)cb >= prog->n) {
						xdpc_fault(&r, "program %s: instruction %u: "
							   "bpf_loop callback is not a "
							   "function", prog->name, pc - 1);
						return XDPC_ABORTED;
					}
					le = xdpc_loop_args((uint32_t)reg[1], reg[4]);
					if (le != 0 || (uint32_t)reg[1] == 0) {
						reg[0] = (uint64_t)le;
						continue;
					}
					if (depth + 1 >= XDPC_MAX_CALL_DEPTH)
						return too_deep(&r, prog, pc - 1);
					frames[depth] = (struct frame){
						.ret_pc = pc, .loop = true,
						.cb_pc = (uint32_t)cb, .i = 0,
						.n = (uint32_t)reg[1], .cb_ctx = reg[3] };
					memcpy(frames[depth].saved, &reg[6], 32);
					depth++;
					reg[10] -= XDPC_STACK;
					reg[1] = 0;
					reg[2] = frames[depth - 1].cb_ctx;
					pc = frames[depth - 1].cb_pc;
					continue;
				} else if (in->imm == BPF_FUNC_tail_call) {
					/* r1 ctx, r2 map, r3 index. A miss falls
					 * through, as in the kernel. */
					struct xdpc_obj *obj = prog->obj;
					struct xdpc_map *m = NULL;
					struct xdpc_prog *next;

					for (uint32_t k = 0; k < obj->nr_maps; k++)
						if ((uintptr_t)&obj->maps[k] == reg[2])
							m = &obj->maps[k];
					if (m == NULL || m->type != BPF_MAP_TYPE_PROG_ARRAY) {
						xdpc_fault(&r, "program %s: instruction %u: "
							   "bpf_tail_call on a map that is "
							   "not a PROG_ARRAY", prog->name,
							   pc - 1);
						return XDPC_ABORTED;
					}
					if (depth != 0) {
						xdpc_fault(&r, "program %s: instruction %u: "
							   "tail call from a subprogram",
							   prog->name, pc - 1);
						return XDPC_ABORTED;
					}
					next = xdpc_tail_target(m, (uint32_t)reg[3]);
					if (next == NULL ||
					    tail_calls >= XDPC_MAX_TAIL_CALLS)
						continue;
					tail_calls++;
					r.prog = next;
					insns = r.prog->insns;
					prog = r.prog;
					pc = 0;
					continue;
				} else {
					const struct xdpc_helper *h =
						xdpc_helper((uint32_t)in->imm);

					if (h == NULL) {
						xdpc_fault(&r, "program %s: instruction %u: "
							   "unknown helper %d", prog->name,
							   pc - 1, in->imm);
						return XDPC_ABORTED;
					}
					r.stack_lo = stack_lo;
					r.stack_hi = stack_hi;
					reg[0] = h->fn(&r, reg[1], reg[2], reg[3], reg[4],
						       reg[5]);
					if (r.fault)
						return XDPC_ABORTED;
					continue;
				}
			case BPF_EXIT:
				if (!is64)
					goto bad_jmp;
				if (depth == 0)
					return (uint32_t)reg[0] <= XDPC_REDIRECT ?
					       (uint32_t)reg[0] : XDPC_ABORTED;
				if (frames[depth - 1].loop) {
					struct frame *f = &frames[depth - 1];

					/* the kernel: stop on a nonzero return and
					 * report the iterations run, this one too */
					f->i++;
					if (reg[0] == 0 && f->i < f->n) {
						reg[1] = f->i;
						reg[2] = f->cb_ctx;
						pc = f->cb_pc;
						continue;
					}
					reg[0] = f->i;
				}
				depth--;
				pc = frames[depth].ret_pc;
				memcpy(&reg[6], frames[depth].saved, 32);
				reg[10] += XDPC_STACK;
				continue;
			default:
bad_jmp:
				xdpc_fault(&r, "program %s: instruction %u: bad jump "
					   "opcode 0x%02x", prog->name, pc - 1,
					   in->code);
				return XDPC_ABORTED;
			}
			if (take)
				pc += in->off;
			continue;
		}
		default:
			xdpc_fault(&r, "program %s: instruction %u: bad opcode 0x%02x",
				   prog->name, pc - 1, in->code);
			return XDPC_ABORTED;
		}
	}
}
