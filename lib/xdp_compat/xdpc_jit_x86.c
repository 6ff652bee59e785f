/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat's x86-64 JIT: compiles a verified program (relocated, as
 * the interpreter runs it) to machine code, mapped writable while it is
 * written and executable after (W^X). No runtime memory checks: the
 * verifier proved every access. Registers as the kernel's JIT maps them
 * (r0 rax, r1-r5 rdi rsi rdx rcx r8, r6-r9 rbx r13 r14 r15, r10 rbp),
 * r12 holds the run's struct xdpc_run, r9-r11 are scratch. The BPF
 * stack is the run's own array (r10 moves down 512 bytes per call, as
 * in the interpreter), so helpers see the same stack bounds on either
 * engine. The context (r1) is the struct xdpc_buff itself: xdp_md
 * loads, which the verifier marked, read its fields. Helpers are direct
 * calls; bpf_loop and tail calls go through small C functions here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xdpc_internal.h"

#if defined(__x86_64__)

enum { RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12,
       R13, R14, R15 };

static const uint8_t map[11] = { RAX, RDI, RSI, RDX, RCX, R8, RBX, R13, R14,
				 R15, RBP };

typedef uint64_t (*jit_entry)(void *ctx, struct xdpc_run *r, uint8_t *fp);
typedef uint64_t (*jit_cb)(uint64_t i, uint64_t ctx, struct xdpc_run *r,
			   uint8_t *fp);

struct xdpc_jit {
	void *image;
	size_t size;
	jit_entry entry;
	uint32_t n;
	void **cb;              /* per instruction: its callback's trampoline */
};

struct jbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static void
b1(struct jbuf *b, uint8_t x)
{
	if (b->len == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 4096;
		uint8_t *np = realloc(b->p, nc);

		if (np == NULL) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	b->p[b->len++] = x;
}

static void
b4(struct jbuf *b, uint32_t x)
{
	for (int i = 0; i < 4; i++)
		b1(b, (uint8_t)(x >> (8 * i)));
}

static void
b8(struct jbuf *b, uint64_t x)
{
	b4(b, (uint32_t)x);
	b4(b, (uint32_t)(x >> 32));
}

/* REX: W, reg (modrm.reg), rm (modrm.rm or base); @force for byte
 * registers sil/dil/bpl/spl */
static void
rex(struct jbuf *b, bool w, int reg, int rm, bool force)
{
	uint8_t r = (uint8_t)(0x40 | (w << 3) | ((reg >> 3) & 1) << 2 |
			      ((rm >> 3) & 1));

	if (r != 0x40 || force)
		b1(b, r);
}

static void
modrm_rr(struct jbuf *b, int reg, int rm)
{
	b1(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* [base + disp32] */
static void
modrm_m(struct jbuf *b, int reg, int base, int32_t disp)
{
	b1(b, (uint8_t)(0x80 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == 4)
		b1(b, 0x24);
	b4(b, (uint32_t)disp);
}

/* op rm, reg (opcode one byte) */
static void
op_rr(struct jbuf *b, bool w, uint8_t opc, int reg, int rm)
{
	rex(b, w, reg, rm, false);
	b1(b, opc);
	modrm_rr(b, reg, rm);
}

/* op rm, imm32 (0x81 /digit) */
static void
op_ri(struct jbuf *b, bool w, int digit, int rm, int32_t imm)
{
	rex(b, w, 0, rm, false);
	b1(b, 0x81);
	modrm_rr(b, digit, rm);
	b4(b, (uint32_t)imm);
}

static void
mov_rr(struct jbuf *b, bool w, int dst, int src)
{
	op_rr(b, w, 0x89, src, dst);
}

static void
mov_ri64(struct jbuf *b, int dst, uint64_t v)
{
	rex(b, true, 0, dst, false);
	b1(b, (uint8_t)(0xb8 + (dst & 7)));
	b8(b, v);
}

/* dst = sign-extended imm32 (64-bit) or imm32 (32-bit, zero-extended) */
static void
mov_ri(struct jbuf *b, bool w, int dst, int32_t imm)
{
	if (w) {
		rex(b, true, 0, dst, false);
		b1(b, 0xc7);
		modrm_rr(b, 0, dst);
	} else {
		rex(b, false, 0, dst, false);
		b1(b, (uint8_t)(0xb8 + (dst & 7)));
	}
	b4(b, (uint32_t)imm);
}

static void
push(struct jbuf *b, int r)
{
	rex(b, false, 0, r, false);
	b1(b, (uint8_t)(0x50 + (r & 7)));
}

static void
pop(struct jbuf *b, int r)
{
	rex(b, false, 0, r, false);
	b1(b, (uint8_t)(0x58 + (r & 7)));
}

/* a forward rel32 to patch: returns where its field is */
static size_t
jcc_fwd(struct jbuf *b, uint8_t cc)
{
	if (cc == 0xff) {
		b1(b, 0xe9);
	} else {
		b1(b, 0x0f);
		b1(b, (uint8_t)(0x80 | cc));
	}
	b4(b, 0);
	return b->len - 4;
}

static void
patch_here(struct jbuf *b, size_t at)
{
	int32_t rel = (int32_t)(b->len - (at + 4));

	if (!b->oom)
		memcpy(b->p + at, &rel, 4);
}

/* jump or call to a known image offset */
static void
rel_to(struct jbuf *b, uint8_t op1, int op2, size_t target)
{
	b1(b, op1);
	if (op2 >= 0)
		b1(b, (uint8_t)op2);
	b4(b, (uint32_t)(int32_t)((int64_t)target - (int64_t)(b->len + 4)));
}

#define CC_E 0x4
#define CC_NE 0x5
#define JMP 0xff

/* ---- compile ---- */

struct jctx {
	const struct xdpc_prog *p;
	size_t *addr;           /* image offset of each instruction */
	size_t *fn;             /* ...of each subprogram, its prologue */
	uint32_t *sub;          /* subprogram (entry insn) of each */
	uint8_t *entry;         /* 1: subprogram entry, 2: also a callback */
	size_t main_exit, abort_at;
	size_t *tramp;          /* callback trampolines' image offsets */
};

static int
cc_of(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return 0x4;
	case BPF_JNE: return 0x5;
	case BPF_JGT: return 0x7;
	case BPF_JGE: return 0x3;
	case BPF_JLT: return 0x2;
	case BPF_JLE: return 0x6;
	case BPF_JSET: return 0x5;
	case BPF_JSGT: return 0xf;
	case BPF_JSGE: return 0xd;
	case BPF_JSLT: return 0xc;
	case BPF_JSLE: return 0xe;
	}
	return -1;
}

static void
emit_divmod(struct jbuf *b, const struct bpf_insn *in, bool w)
{
	int d = map[in->dst_reg];
	bool mod = BPF_OP(in->code) == BPF_MOD, sgn = in->off == 1;
	size_t nz, done1, done2 = 0, norm = 0;

	if (BPF_SRC(in->code) == BPF_K)
		mov_ri(b, w, R11, in->imm);
	else
		mov_rr(b, true, R11, map[in->src_reg]);
	op_rr(b, w, 0x85, R11, R11);                    /* test */
	nz = jcc_fwd(b, CC_NE);
	if (mod) {
		if (!w)
			mov_rr(b, false, d, d);         /* keep, truncated */
	} else {
		op_rr(b, false, 0x31, d, d);            /* xor: 0 */
	}
	done1 = jcc_fwd(b, JMP);
	patch_here(b, nz);
	if (sgn) {
		op_ri(b, w, 7, R11, -1);                /* cmp r11, -1 */
		norm = jcc_fwd(b, CC_NE);
		if (mod) {
			op_rr(b, false, 0x31, d, d);
		} else {
			rex(b, w, 0, d, false);         /* neg */
			b1(b, 0xf7);
			modrm_rr(b, 3, d);
		}
		done2 = jcc_fwd(b, JMP);
		patch_here(b, norm);
	}
	push(b, RAX);
	push(b, RDX);
	mov_rr(b, w, RAX, d);
	if (sgn) {
		if (w)
			b1(b, 0x48);
		b1(b, 0x99);                            /* cqo / cdq */
	} else {
		op_rr(b, false, 0x31, RDX, RDX);
	}
	rex(b, w, 0, R11, false);
	b1(b, 0xf7);
	modrm_rr(b, sgn ? 7 : 6, R11);                  /* (i)div r11 */
	mov_rr(b, w, R11, mod ? RDX : RAX);
	pop(b, RDX);
	pop(b, RAX);
	mov_rr(b, w, d, R11);
	patch_here(b, done1);
	if (sgn)
		patch_here(b, done2);
}

static void
emit_shift(struct jbuf *b, const struct bpf_insn *in, bool w)
{
	int d = map[in->dst_reg];
	int digit = BPF_OP(in->code) == BPF_LSH ? 4 :
		    BPF_OP(in->code) == BPF_RSH ? 5 : 7;

	if (BPF_SRC(in->code) == BPF_K) {
		rex(b, w, 0, d, false);
		b1(b, 0xc1);
		modrm_rr(b, digit, d);
		b1(b, (uint8_t)in->imm);
		return;
	}
	if (map[in->src_reg] == RCX) {
		rex(b, w, 0, d, false);
		b1(b, 0xd3);
		modrm_rr(b, digit, d);
		return;
	}
	/* the count must be in cl: park rcx (BPF r4) in r11 */
	mov_rr(b, true, R11, RCX);
	mov_rr(b, true, RCX, map[in->src_reg]);
	rex(b, w, 0, d == RCX ? R11 : d, false);
	b1(b, 0xd3);
	modrm_rr(b, digit, d == RCX ? R11 : d);
	mov_rr(b, true, RCX, R11);
}

static void
emit_end(struct jbuf *b, const struct bpf_insn *in, bool is64)
{
	int d = map[in->dst_reg];
	bool swap = is64 || BPF_SRC(in->code) == BPF_TO_BE;

	if (in->imm == 16) {
		if (swap) {     /* rol d16, 8 */
			b1(b, 0x66);
			rex(b, false, 0, d, false);
			b1(b, 0xc1);
			modrm_rr(b, 0, d);
			b1(b, 8);
		}
		rex(b, false, d, d, false);     /* movzx d32, d16 */
		b1(b, 0x0f);
		b1(b, 0xb7);
		modrm_rr(b, d, d);
	} else if (in->imm == 32) {
		if (swap) {
			rex(b, false, 0, d, false);
			b1(b, 0x0f);
			b1(b, (uint8_t)(0xc8 + (d & 7)));
		} else {
			mov_rr(b, false, d, d);
		}
	} else if (swap) {
		rex(b, true, 0, d, false);
		b1(b, 0x0f);
		b1(b, (uint8_t)(0xc8 + (d & 7)));
	}
}

static void
emit_alu(struct jbuf *b, const struct bpf_insn *in)
{
	bool w = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);
	int d = map[in->dst_reg], s = map[in->src_reg];
	bool k = BPF_SRC(in->code) == BPF_K;
	static const struct { uint8_t op, rr; int digit; } simple[] = {
		{ BPF_ADD, 0x01, 0 }, { BPF_SUB, 0x29, 5 }, { BPF_AND, 0x21, 4 },
		{ BPF_OR, 0x09, 1 }, { BPF_XOR, 0x31, 6 },
	};

	for (unsigned int i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (simple[i].op == op) {
			if (k)
				op_ri(b, w, simple[i].digit, d, in->imm);
			else
				op_rr(b, w, simple[i].rr, s, d);
			return;
		}
	switch (op) {
	case BPF_MOV:
		if (k) {
			mov_ri(b, w, d, in->imm);
		} else if (in->off == 8 || in->off == 16) {
			rex(b, w, d, s, true);
			b1(b, 0x0f);
			b1(b, in->off == 8 ? 0xbe : 0xbf);
			modrm_rr(b, d, s);
		} else if (in->off == 32) {
			rex(b, true, d, s, false);      /* movsxd */
			b1(b, 0x63);
			modrm_rr(b, d, s);
		} else {
			mov_rr(b, w, d, s);
		}
		return;
	case BPF_MUL:
		if (k) {
			rex(b, w, d, d, false);
			b1(b, 0x69);
			modrm_rr(b, d, d);
			b4(b, (uint32_t)in->imm);
		} else {
			rex(b, w, d, s, false);
			b1(b, 0x0f);
			b1(b, 0xaf);
			modrm_rr(b, d, s);
		}
		return;
	case BPF_NEG:
		rex(b, w, 0, d, false);
		b1(b, 0xf7);
		modrm_rr(b, 3, d);
		return;
	case BPF_DIV:
	case BPF_MOD:
		emit_divmod(b, in, w);
		return;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		emit_shift(b, in, w);
		return;
	case BPF_END:
		emit_end(b, in, w);
		return;
	}
}

static int
size_of(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

static void
emit_ldx(struct jbuf *b, const struct bpf_insn *in, bool ctx)
{
	int d = map[in->dst_reg], base = map[in->src_reg], sz = size_of(in->code);
	int32_t off = in->off;
	bool sx = BPF_MODE(in->code) == 0x80;

	if (ctx) {
		/* struct xdp_md, served from struct xdpc_buff */
		switch (in->off) {
		case 0: off = offsetof(struct xdpc_buff, data); sz = 8; break;
		case 4: off = offsetof(struct xdpc_buff, data_end); sz = 8; break;
		case 8: off = offsetof(struct xdpc_buff, data_meta); sz = 8; break;
		case 12: off = offsetof(struct xdpc_buff, ingress_ifindex); break;
		case 16: off = offsetof(struct xdpc_buff, rx_queue_index); break;
		default: off = offsetof(struct xdpc_buff, egress_ifindex); break;
		}
	}
	if (sx) {
		rex(b, true, d, base, false);
		if (sz == 4) {
			b1(b, 0x63);
		} else {
			b1(b, 0x0f);
			b1(b, sz == 1 ? 0xbe : 0xbf);
		}
	} else if (sz >= 4) {
		rex(b, sz == 8, d, base, false);
		b1(b, 0x8b);
	} else {
		rex(b, false, d, base, false);
		b1(b, 0x0f);
		b1(b, sz == 1 ? 0xb6 : 0xb7);
	}
	modrm_m(b, d, base, off);
}

static void
emit_st(struct jbuf *b, const struct bpf_insn *in)
{
	int base = map[in->dst_reg], sz = size_of(in->code);
	bool imm = BPF_CLASS(in->code) == BPF_ST;
	int s = imm ? 0 : map[in->src_reg];

	if (sz == 2)
		b1(b, 0x66);
	rex(b, sz == 8, s, base, !imm && sz == 1);
	b1(b, imm ? (sz == 1 ? 0xc6 : 0xc7) : (sz == 1 ? 0x88 : 0x89));
	modrm_m(b, s, base, in->off);
	if (imm) {
		if (sz == 1)
			b1(b, (uint8_t)in->imm);
		else if (sz == 2)
			b1(b, (uint8_t)in->imm), b1(b, (uint8_t)(in->imm >> 8));
		else
			b4(b, (uint32_t)in->imm);
	}
}

static void
emit_atomic(struct jbuf *b, const struct bpf_insn *in)
{
	int base = map[in->dst_reg], s = map[in->src_reg];
	bool w = BPF_SIZE(in->code) == BPF_DW;
	int32_t op = in->imm;
	uint8_t rr = (op & ~BPF_FETCH) == BPF_ADD ? 0x01 :
		     (op & ~BPF_FETCH) == BPF_OR ? 0x09 :
		     (op & ~BPF_FETCH) == BPF_AND ? 0x21 : 0x31;
	size_t loop;

	switch (op) {
	case BPF_ADD: case BPF_OR: case BPF_AND: case BPF_XOR:
		b1(b, 0xf0);
		rex(b, w, s, base, false);
		b1(b, rr);
		modrm_m(b, s, base, in->off);
		return;
	case BPF_ADD | BPF_FETCH:
		b1(b, 0xf0);
		rex(b, w, s, base, false);
		b1(b, 0x0f);
		b1(b, 0xc1);                    /* xadd */
		modrm_m(b, s, base, in->off);
		return;
	case BPF_XCHG:
		rex(b, w, s, base, false);
		b1(b, 0x87);
		modrm_m(b, s, base, in->off);
		return;
	case BPF_CMPXCHG:                       /* compares with rax = r0 */
		b1(b, 0xf0);
		rex(b, w, s, base, false);
		b1(b, 0x0f);
		b1(b, 0xb1);
		modrm_m(b, s, base, in->off);
		return;
	}
	/* and/or/xor with fetch: a compare-and-swap loop */
	rex(b, true, R10, base, false);         /* lea r10, [base+off] */
	b1(b, 0x8d);
	modrm_m(b, R10, base, in->off);
	push(b, RAX);
	mov_rr(b, true, R9, s);
	rex(b, w, RAX, R10, false);
	b1(b, 0x8b);
	modrm_m(b, RAX, R10, 0);
	loop = b->len;
	mov_rr(b, w, R11, RAX);
	op_rr(b, w, rr, R9, R11);
	b1(b, 0xf0);
	rex(b, w, R11, R10, false);
	b1(b, 0x0f);
	b1(b, 0xb1);
	modrm_m(b, R11, R10, 0);
	rel_to(b, 0x0f, 0x80 | CC_NE, loop);
	mov_rr(b, w, R10, RAX);
	pop(b, RAX);
	mov_rr(b, w, s, R10);
}

static void
emit_jmp(struct jbuf *b, const struct jctx *j, const struct bpf_insn *in,
	 uint32_t at)
{
	bool w = BPF_CLASS(in->code) == BPF_JMP;
	uint8_t op = BPF_OP(in->code);
	int d = map[in->dst_reg];

	if (op == BPF_JA) {
		rel_to(b, 0xe9, -1, j->addr[at + 1 + (w ? in->off : in->imm)]);
		return;
	}
	if (BPF_SRC(in->code) == BPF_X) {
		op_rr(b, w, op == BPF_JSET ? 0x85 : 0x39, map[in->src_reg], d);
	} else if (op == BPF_JSET) {
		rex(b, w, 0, d, false);
		b1(b, 0xf7);
		modrm_rr(b, 0, d);
		b4(b, (uint32_t)in->imm);
	} else {
		op_ri(b, w, 7, d, in->imm);
	}
	rel_to(b, 0x0f, 0x80 | cc_of(op), j->addr[at + 1 + in->off]);
}

static void
sub_prologue(struct jbuf *b)
{
	push(b, RBX);
	push(b, R13);
	push(b, R14);
	push(b, R15);
	op_ri(b, true, 5, RSP, 8);              /* keep rsp 16-aligned */
}

static void
sub_epilogue(struct jbuf *b)
{
	op_ri(b, true, 0, RSP, 8);
	pop(b, R15);
	pop(b, R14);
	pop(b, R13);
	pop(b, RBX);
	b1(b, 0xc3);
}

static void
fault_check(struct jbuf *b, const struct jctx *j)
{
	rex(b, false, 0, R12, false);           /* cmp byte [r12+fault], 0 */
	b1(b, 0x80);
	modrm_m(b, 7, R12, offsetof(struct xdpc_run, fault));
	b1(b, 0);
	rel_to(b, 0x0f, 0x80 | CC_NE, j->abort_at);
}

static uint64_t xdpc_jit_tail_call(struct xdpc_run *r, uint64_t ctx,
				   uint64_t map, uint64_t idx, uint64_t a4,
				   uint64_t a5);
static uint64_t xdpc_jit_loop(struct xdpc_run *r, uint64_t nr, uint64_t cb,
			      uint64_t ctx, uint64_t flags, uint64_t a5);

/* bpf_map_lookup_elem on an ARRAY or PERCPU_ARRAY the verifier pinned
 * down: the element's address computed here, this CPU's copy for
 * per-CPU arrays (the run's cpu, as the helper takes it) */
static bool
emit_array_lookup(struct jbuf *b, const struct jctx *j, uint32_t at)
{
	const struct xdpc_prog *p = j->p;
	uint32_t mi = p->vcall != NULL ? p->vcall[at] : 0;
	const struct xdpc_map *m;
	size_t null, done;

	if (mi == 0 || mi == XDPC_VCALL_MANY)
		return false;
	m = &p->obj->maps[mi - 1];
	if ((m->type != BPF_MAP_TYPE_ARRAY &&
	     m->type != BPF_MAP_TYPE_PERCPU_ARRAY) || m->data == NULL ||
	    xdpc_map_vblock(m) > INT32_MAX)
		return false;
	rex(b, false, RAX, RSI, false);         /* mov eax, [rsi] (the key) */
	b1(b, 0x8b);
	modrm_m(b, RAX, RSI, 0);
	op_ri(b, false, 7, RAX, (int32_t)m->max_entries);
	null = jcc_fwd(b, 0x3);                 /* jae: no such element */
	rex(b, true, RAX, RAX, false);          /* imul rax, rax, stride */
	b1(b, 0x69);
	modrm_rr(b, RAX, RAX);
	b4(b, xdpc_map_vblock(m));
	mov_ri64(b, R11, (uintptr_t)m->data);
	op_rr(b, true, 0x01, R11, RAX);
	if (m->type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		rex(b, false, R11, R12, false); /* mov r11d, run->cpu */
		b1(b, 0x8b);
		modrm_m(b, R11, R12, offsetof(struct xdpc_run, cpu));
		op_ri(b, false, 4, R11, XDPC_NCPU - 1);
		rex(b, true, R11, R11, false);
		b1(b, 0x69);
		modrm_rr(b, R11, R11);
		b4(b, m->vsz8);
		op_rr(b, true, 0x01, R11, RAX);
	}
	done = jcc_fwd(b, JMP);
	patch_here(b, null);
	op_rr(b, false, 0x31, RAX, RAX);
	patch_here(b, done);
	return true;
}

static void
emit_call(struct jbuf *b, const struct jctx *j, const struct bpf_insn *in,
	  uint32_t at)
{
	uint64_t fn;

	if (in->src_reg == BPF_PSEUDO_CALL) {
		op_ri(b, true, 5, RBP, XDPC_STACK);
		rel_to(b, 0xe8, -1, j->fn[at + 1 + in->imm]);
		op_ri(b, true, 0, RBP, XDPC_STACK);
		return;
	}
	if (in->imm == BPF_FUNC_map_lookup_elem && emit_array_lookup(b, j, at))
		return;
	if (in->imm == BPF_FUNC_tail_call)
		fn = (uintptr_t)xdpc_jit_tail_call;
	else if (in->imm == BPF_FUNC_loop)
		fn = (uintptr_t)xdpc_jit_loop;
	else
		fn = (uintptr_t)xdpc_helper((uint32_t)in->imm)->fn;
	if (in->imm == BPF_FUNC_loop) {          /* the callee's frame */
		rex(b, true, RBP, R12, false);
		b1(b, 0x89);
		modrm_m(b, RBP, R12, offsetof(struct xdpc_run, jit_fp));
	}
	/* helper(run, r1..r5): shift the arguments up one register */
	mov_rr(b, true, R9, R8);
	mov_rr(b, true, R8, RCX);
	mov_rr(b, true, RCX, RDX);
	mov_rr(b, true, RDX, RSI);
	mov_rr(b, true, RSI, RDI);
	mov_rr(b, true, RDI, R12);
	mov_ri64(b, R11, fn);
	b1(b, 0x41);                            /* call r11 */
	b1(b, 0xff);
	b1(b, 0xd3);
	fault_check(b, j);
	if (in->imm == BPF_FUNC_tail_call) {    /* taken: leave for the next */
		op_rr(b, true, 0x85, RAX, RAX);
		rel_to(b, 0x0f, 0x80 | CC_NE, j->main_exit);
	}
}

static void
emit_body(struct jbuf *b, struct jctx *j)
{
	const struct xdpc_prog *p = j->p;

	/* main prologue: callee-saved registers, the run, the frame */
	push(b, RBP);
	push(b, RBX);
	push(b, R12);
	push(b, R13);
	push(b, R14);
	push(b, R15);
	op_ri(b, true, 5, RSP, 8);
	mov_rr(b, true, R12, RSI);
	mov_rr(b, true, RBP, RDX);
	rex(b, true, RSP, R12, false);          /* run->jit_rsp = rsp */
	b1(b, 0x89);
	modrm_m(b, RSP, R12, offsetof(struct xdpc_run, jit_rsp));
	for (uint32_t i = 0; i < p->n; i++) {
		const struct bpf_insn *in = &p->insns[i];
		uint8_t cls = BPF_CLASS(in->code);

		if (i != 0 && j->entry[i]) {
			j->fn[i] = b->len;
			sub_prologue(b);
		}
		j->addr[i] = b->len;
		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			emit_alu(b, in);
			break;
		case BPF_LD:            /* only the 64-bit immediate (relocated)
					 * passes the control-flow pass */
			mov_ri64(b, map[in->dst_reg], (uint32_t)in->imm |
				 (uint64_t)(uint32_t)in[1].imm << 32);
			j->addr[++i] = b->len;
			break;
		case BPF_LDX:
			emit_ldx(b, in, p->vaux[i] == XDPC_VAUX_CTX);
			break;
		case BPF_ST:
			emit_st(b, in);
			break;
		case BPF_STX:
			if (BPF_MODE(in->code) == BPF_ATOMIC)
				emit_atomic(b, in);
			else
				emit_st(b, in);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (BPF_OP(in->code) == BPF_CALL)
				emit_call(b, j, in, i);
			else if (BPF_OP(in->code) == BPF_EXIT) {
				if (j->sub[i] == 0)
					rel_to(b, 0xe9, -1, j->main_exit);
				else
					sub_epilogue(b);
			} else {
				emit_jmp(b, j, in, i);
			}
			break;
		}
	}
	/* the abort path: back to the main frame, whatever the depth */
	j->abort_at = b->len;
	rex(b, true, RSP, R12, false);          /* mov rsp, run->jit_rsp */
	b1(b, 0x8b);
	modrm_m(b, RSP, R12, offsetof(struct xdpc_run, jit_rsp));
	op_rr(b, false, 0x31, RAX, RAX);
	j->main_exit = b->len;
	op_ri(b, true, 0, RSP, 8);
	pop(b, R15);
	pop(b, R14);
	pop(b, R13);
	pop(b, R12);
	pop(b, RBX);
	pop(b, RBP);
	b1(b, 0xc3);
	/* callback trampolines: (index, ctx, run, frame) from C */
	for (uint32_t i = 0; i < p->n; i++) {
		if (j->entry[i] != 2)
			continue;
		j->tramp[i] = b->len;
		push(b, RBP);
		push(b, R12);
		op_ri(b, true, 5, RSP, 8);
		mov_rr(b, true, R12, RDX);
		mov_rr(b, true, RBP, RCX);
		rel_to(b, 0xe8, -1, j->fn[i]);
		op_ri(b, true, 0, RSP, 8);
		pop(b, R12);
		pop(b, RBP);
		b1(b, 0xc3);
	}
}

/* ---- run-time support ---- */

/* bpf_tail_call: the next program, if the slot holds one and the chain
 * is not 33 long; the jitted main returns and xdpc_jit_run goes on. */
static uint64_t
xdpc_jit_tail_call(struct xdpc_run *r, uint64_t ctx, uint64_t mp, uint64_t idx,
		   uint64_t a4, uint64_t a5)
{
	struct xdpc_prog *next = xdpc_tail_target(
		(struct xdpc_map *)(uintptr_t)mp, (uint32_t)idx);

	(void)ctx; (void)a4; (void)a5;
	if (next == NULL || next->jit == NULL ||
	    r->tail_calls >= XDPC_MAX_TAIL_CALLS)
		return 0;
	r->tail_calls++;
	r->tail_next = next;
	return 1;
}

/* bpf_loop: the kernel's errors and early stop, the callback through
 * its trampoline one frame down */
static uint64_t
xdpc_jit_loop(struct xdpc_run *r, uint64_t nr, uint64_t cb, uint64_t ctx,
	      uint64_t flags, uint64_t a5)
{
	struct xdpc_jit *jit = r->prog->jit;
	uint32_t at = (uint32_t)cb, n = (uint32_t)nr, i;
	int64_t le;
	jit_cb fn;

	(void)a5;
	if ((cb & ~0xffffffffull) != XDPC_FUNC_TAG || at >= jit->n ||
	    jit->cb[at] == NULL) {
		xdpc_fault(r, "program %s: bpf_loop callback is not a function",
			   r->prog->name);
		return 0;
	}
	le = xdpc_loop_args(n, flags);
	if (le != 0)
		return (uint64_t)le;
	fn = (jit_cb)jit->cb[at];
	for (i = 0; i < n;) {
		uint64_t ret = fn(i, ctx, r, r->jit_fp - XDPC_STACK);

		i++;
		if (ret != 0)
			break;
	}
	return i;
}

static void
mark_entries(const struct xdpc_prog *p, uint8_t *entry)
{
	for (uint32_t i = 0; i < p->n; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			uint64_t v = (uint32_t)in->imm |
				     (uint64_t)(uint32_t)in[1].imm << 32;

			if ((v & ~0xffffffffull) == XDPC_FUNC_TAG &&
			    (uint32_t)v < p->n)
				entry[(uint32_t)v] = 2;
			i++;
		} else if (in->code == (BPF_JMP | BPF_CALL) &&
			   in->src_reg == BPF_PSEUDO_CALL &&
			   entry[i + 1 + in->imm] == 0) {
			entry[i + 1 + in->imm] = 1;
		}
	}
}

int
xdpc_jit_compile(struct xdpc_prog *p, char *err, size_t errlen)
{
	struct jctx j = { .p = p };
	struct jbuf b = { 0 };
	struct xdpc_jit *jit = NULL;
	int rc = -ENOMEM;

	if (p->vaux == NULL) {
		snprintf(err, errlen, "program %s: not verified: no JIT", p->name);
		return -EINVAL;
	}
	j.addr = calloc(p->n + 1, sizeof(*j.addr));
	j.fn = calloc(p->n + 1, sizeof(*j.fn));
	j.sub = calloc(p->n + 1, sizeof(*j.sub));
	j.entry = calloc(p->n + 1, 1);
	j.tramp = calloc(p->n + 1, sizeof(*j.tramp));
	jit = calloc(1, sizeof(*jit));
	if (j.addr == NULL || j.fn == NULL || j.sub == NULL || j.entry == NULL ||
	    j.tramp == NULL || jit == NULL)
		goto out;
	mark_entries(p, j.entry);
	for (uint32_t i = 0, cur = 0; i < p->n; i++) {
		if (j.entry[i])
			cur = i;
		j.sub[i] = cur;
	}
	/* twice: every jump is rel32, so the second pass has the same
	 * layout and knows every target */
	for (int pass = 0; pass < 2; pass++) {
		b.len = 0;
		emit_body(&b, &j);
		if (b.oom)
			goto out;
	}
	jit->size = (b.len + 4095) & ~(size_t)4095;
	jit->image = mmap(NULL, jit->size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (jit->image == MAP_FAILED) {
		jit->image = NULL;
		goto out;
	}
	memcpy(jit->image, b.p, b.len);
	memset((uint8_t *)jit->image + b.len, 0xcc, jit->size - b.len);
	if (mprotect(jit->image, jit->size, PROT_READ | PROT_EXEC) != 0) {
		rc = -errno;
		goto out;
	}
	jit->entry = (jit_entry)jit->image;
	jit->n = p->n;
	{
		/* as `bpftool prog dump jited`: XDPC_JIT_DUMP=DIR writes the
		 * code of each program to DIR/NAME.bin (objdump -D -b binary
		 * -mi386:x86-64 reads it) */
		const char *dir = getenv("XDPC_JIT_DUMP");

		if (dir != NULL) {
			char path[512];
			FILE *f;

			snprintf(path, sizeof(path), "%s/%s.bin", dir, p->name);
			f = fopen(path, "wb");
			if (f != NULL) {
				fwrite(b.p, 1, b.len, f);
				fclose(f);
			}
		}
	}
	jit->cb = calloc(p->n + 1, sizeof(*jit->cb));
	if (jit->cb == NULL)
		goto out;
	for (uint32_t i = 0; i < p->n; i++)
		if (j.entry[i] == 2)
			jit->cb[i] = (uint8_t *)jit->image + j.tramp[i];
	p->jit = jit;
	jit = NULL;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, errlen, "program %s: JIT: %s", p->name,
			 strerror(-rc));
	if (jit != NULL) {
		if (jit->image != NULL)
			munmap(jit->image, jit->size);
		free(jit->cb);
		free(jit);
	}
	free(b.p);
	free(j.addr);
	free(j.fn);
	free(j.sub);
	free(j.entry);
	free(j.tramp);
	return rc;
}

void
xdpc_jit_free(struct xdpc_prog *p)
{
	if (p->jit == NULL)
		return;
	munmap(p->jit->image, p->jit->size);
	free(p->jit->cb);
	free(p->jit);
	p->jit = NULL;
}

uint32_t
xdpc_jit_run(struct xdpc_prog *prog, struct xdpc_buff *buf, char *trace,
	     size_t tracelen)
{
	uint8_t stack[XDPC_STACK * XDPC_MAX_CALL_DEPTH] __attribute__((aligned(16)));
	struct xdpc_run r = { .prog = prog, .buf = buf, .trace = trace,
			      .tracelen = tracelen };
	uint64_t ret;

	if (trace != NULL && tracelen != 0)
		trace[0] = '\0';
	r.cpu = buf->cpu;
	r.unchecked = true;     /* the verifier proved the helpers' arguments */
	r.stack_lo = stack;
	r.stack_hi = stack + sizeof(stack);
	buf->redirect_ifindex = 0;
	buf->redirect_map = NULL;
	buf->redirect_flags = 0;
	for (;;) {
		ret = r.prog->jit->entry(buf, &r, stack + sizeof(stack));
		if (r.fault)
			return XDPC_ABORTED;
		if (r.tail_next == NULL)
			break;
		r.prog = r.tail_next;
		r.tail_next = NULL;
	}
	return (uint32_t)ret <= XDPC_REDIRECT ? (uint32_t)ret : XDPC_ABORTED;
}

bool
xdpc_jit_available(void)
{
	return true;
}

#else /* not x86-64: the interpreter runs everything */

int
xdpc_jit_compile(struct xdpc_prog *p, char *err, size_t errlen)
{
	snprintf(err, errlen, "program %s: no JIT for this architecture", p->name);
	return -ENOTSUP;
}

void
xdpc_jit_free(struct xdpc_prog *p)
{
	(void)p;
}

uint32_t
xdpc_jit_run(struct xdpc_prog *prog, struct xdpc_buff *buf, char *trace,
	     size_t tracelen)
{
	return xdpc_interp_run(prog, buf, trace, tracelen);
}

bool
xdpc_jit_available(void)
{
	return false;
}

#endif
