/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ISA conformance: one program or more per opcode and the edge cases
 * (shifts by the width or more, division and modulo by zero, INT_MIN /
 * -1, 32-bit results zero-extended, sign extension, JMP32, atomics with
 * fetch, byte swaps, register use around helper and bpf-to-bpf calls,
 * division and shifts whose operands live in the registers x86 needs
 * for them). Operands come from the packet, so neither the verifier nor
 * the JIT sees them as constants; the result is written back to the
 * packet. Each runs on the interpreter and on the JIT against the
 * expected value, and, as root, on the kernel (BPF_PROG_TEST_RUN).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "mlx5x_test.h"
#include "xdpc.h"
#include "xdpc_testing.h"

#define I(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), \
	.src_reg = (s), .off = (o), .imm = (i) })
#define A64K(op, d, i) I(BPF_ALU64 | BPF_##op | BPF_K, d, 0, 0, i)
#define A64X(op, d, s) I(BPF_ALU64 | BPF_##op | BPF_X, d, s, 0, 0)
#define A32K(op, d, i) I(BPF_ALU | BPF_##op | BPF_K, d, 0, 0, i)
#define A32X(op, d, s) I(BPF_ALU | BPF_##op | BPF_X, d, s, 0, 0)
#define SDIV64(d, s) I(BPF_ALU64 | BPF_DIV | BPF_X, d, s, 1, 0)
#define SMOD64(d, s) I(BPF_ALU64 | BPF_MOD | BPF_X, d, s, 1, 0)
#define SDIV32(d, s) I(BPF_ALU | BPF_DIV | BPF_X, d, s, 1, 0)
#define SMOD32(d, s) I(BPF_ALU | BPF_MOD | BPF_X, d, s, 1, 0)
#define MOVSX64(d, s, w) I(BPF_ALU64 | BPF_MOV | BPF_X, d, s, w, 0)
#define MOVSX32(d, s, w) I(BPF_ALU | BPF_MOV | BPF_X, d, s, w, 0)
#define MOV(d, s) A64X(MOV, d, s)
#define MOVK(d, i) A64K(MOV, d, i)
#define END(d, src, bits) I(BPF_ALU | BPF_END | (src), d, 0, 0, bits)
#define BSWAP(d, bits) I(BPF_ALU64 | BPF_END | BPF_TO_LE, d, 0, 0, bits)
#define J64K(op, d, i, o) I(BPF_JMP | BPF_##op | BPF_K, d, 0, o, i)
#define J64X(op, d, s, o) I(BPF_JMP | BPF_##op | BPF_X, d, s, o, 0)
#define J32K(op, d, i, o) I(BPF_JMP32 | BPF_##op | BPF_K, d, 0, o, i)
#define J32X(op, d, s, o) I(BPF_JMP32 | BPF_##op | BPF_X, d, s, o, 0)
#define LDX(sz, d, s, o) I(BPF_LDX | BPF_MEM | BPF_##sz, d, s, o, 0)
#define LDXSX(sz, d, s, o) I(BPF_LDX | 0x80 | BPF_##sz, d, s, o, 0)
#define STX(sz, d, s, o) I(BPF_STX | BPF_MEM | BPF_##sz, d, s, o, 0)
#define ST(sz, d, o, i) I(BPF_ST | BPF_MEM | BPF_##sz, d, 0, o, i)
#define ATOM(sz, d, s, o, op) I(BPF_STX | BPF_ATOMIC | BPF_##sz, d, s, o, op)
#define CALL(id) I(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define PCALL I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, -12345)
#define EXIT I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD64(d, v) I(BPF_LD | BPF_IMM | BPF_DW, d, 0, 0, (int32_t)(uint32_t)(v)), \
	I(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))

#define MAXB 24

/* A in r2, B in r3 (both from the packet), the result in r0 */
struct isa_case {
	const char *name;
	uint64_t a, b, want;
	struct bpf_insn body[MAXB];
	struct bpf_insn sub[MAXB];   /* a subprogram, called by PCALL */
};

#define N(x) ((uint64_t)(int64_t)(x))

static const struct isa_case cases[] = {
	/* ALU64 and ALU32, register and immediate */
	{ "add64", 5, N(-7), N(-2), { MOV(0, 2), A64X(ADD, 0, 3) } },
	{ "add64 imm", N(-1), 0, 0x7ffffffe, { MOV(0, 2), A64K(ADD, 0, 0x7fffffff) } },
	{ "add32 wraps, zero-extended", 0xffffffffffffffffull, 2, 1,
	  { MOV(0, 2), A32X(ADD, 0, 3) } },
	{ "sub64", 3, 5, N(-2), { MOV(0, 2), A64X(SUB, 0, 3) } },
	{ "sub32", 0x100000003ull, 5, 0xfffffffe, { MOV(0, 2), A32X(SUB, 0, 3) } },
	{ "mul64", 0x100000001ull, 3, 0x300000003ull, { MOV(0, 2), A64X(MUL, 0, 3) } },
	{ "mul32", 0x1ffffffffull, 0x10, 0xfffffff0, { MOV(0, 2), A32X(MUL, 0, 3) } },
	{ "mul64 imm negative", 7, 0, N(-21), { MOV(0, 2), A64K(MUL, 0, -3) } },
	{ "or/and/xor64", 0xf0f0, 0x0ff0, 0xf0f0 ^ 0x0ff0 ^ (0xf0f0 & 0x0ff0) ^ (0xf0f0 | 0x0ff0),
	  { MOV(0, 2), A64X(XOR, 0, 3), MOV(4, 2), A64X(AND, 4, 3), A64X(XOR, 0, 4),
	    MOV(4, 2), A64X(OR, 4, 3), A64X(XOR, 0, 4) } },
	{ "and32 imm zero-extends", 0xffffffffffffffffull, 0, 0xff00ff00,
	  { MOV(0, 2), A32K(AND, 0, (int32_t)0xff00ff00) } },
	{ "or64 imm sign-extends", 1, 0, N(-255), { MOV(0, 2), A64K(OR, 0, -256) } },
	{ "neg64", 5, 0, N(-5), { MOV(0, 2), A64K(NEG, 0, 0) } },
	{ "neg32", 5, 0, 0xfffffffb, { MOV(0, 2), A32K(NEG, 0, 0) } },
	{ "mov32 zero-extends", 0x123456789abcdef0ull, 0, 0x9abcdef0, { A32X(MOV, 0, 2) } },
	{ "mov32 imm", 0, 0, 0xffffffff, { A32K(MOV, 0, -1) } },
	{ "mov64 imm sign-extends", 0, 0, N(-1), { MOVK(0, -1) } },
	{ "ld_imm64", 0, 0, 0x8877665544332211ull, { LD64(0, 0x8877665544332211ull) } },
	/* shifts: by the width or more the count is masked */
	{ "lsh64 reg 65 = 1", 3, 65, 6, { MOV(0, 2), A64X(LSH, 0, 3) } },
	{ "rsh64 reg 64 = 0", 0x80, 64, 0x80, { MOV(0, 2), A64X(RSH, 0, 3) } },
	{ "lsh32 reg 33 = 1", 0x80000001ull, 33, 2, { MOV(0, 2), A32X(LSH, 0, 3) } },
	{ "rsh32 reg 32 = 0", 0x1ffffffffull, 32, 0xffffffff, { MOV(0, 2), A32X(RSH, 0, 3) } },
	{ "arsh64", N(-64), 3, N(-8), { MOV(0, 2), A64X(ARSH, 0, 3) } },
	{ "arsh32", 0x80000000ull, 4, 0xf8000000, { MOV(0, 2), A32X(ARSH, 0, 3) } },
	{ "arsh64 imm 63", N(-2), 0, N(-1), { MOV(0, 2), A64K(ARSH, 0, 63) } },
	{ "lsh imm 31 32-bit", 3, 0, 0x80000000, { MOV(0, 2), A32K(LSH, 0, 31) } },
	{ "shift count in r4 (rcx), dst r4", 1, 5, 32,
	  { MOV(4, 2), A64X(LSH, 4, 3), MOV(0, 4) } },
	{ "shift dst r0 by r4", 0x100, 4, 0x10, { MOV(4, 3), MOV(0, 2), A64X(RSH, 0, 4) } },
	{ "shift r4 by itself", 2, 0, 8, { MOV(4, 2), A64X(LSH, 4, 4), MOV(0, 4) } },
	/* division and modulo */
	{ "div64", 100, 7, 14, { MOV(0, 2), A64X(DIV, 0, 3) } },
	{ "div64 by zero = 0", 100, 0, 0, { MOV(0, 2), A64X(DIV, 0, 3) } },
	{ "mod64 by zero = dividend", 100, 0, 100, { MOV(0, 2), A64X(MOD, 0, 3) } },
	{ "div32 by zero = 0", 0x100000064ull, 0x100000000ull, 0,
	  { MOV(0, 2), A32X(DIV, 0, 3) } },
	{ "mod32 by zero = dividend, truncated", 0x100000005ull, 0x100000000ull, 5,
	  { MOV(0, 2), A32X(MOD, 0, 3) } },
	{ "div32 uses low halves", 0x700000064ull, 0x500000007ull, 14,
	  { MOV(0, 2), A32X(DIV, 0, 3) } },
	{ "mod64 imm", 100, 0, 2, { MOV(0, 2), A64K(MOD, 0, 7) } },
	{ "div64 unsigned, huge", N(-1), 2, 0x7fffffffffffffffull, { MOV(0, 2), A64X(DIV, 0, 3) } },
	{ "sdiv64", N(-100), 7, N(-14), { MOV(0, 2), SDIV64(0, 3) } },
	{ "smod64", N(-100), 7, N(-2), { MOV(0, 2), SMOD64(0, 3) } },
	{ "sdiv64 INT_MIN / -1", 0x8000000000000000ull, N(-1), 0x8000000000000000ull,
	  { MOV(0, 2), SDIV64(0, 3) } },
	{ "smod64 INT_MIN % -1 = 0", 0x8000000000000000ull, N(-1), 0,
	  { MOV(0, 2), SMOD64(0, 3) } },
	{ "sdiv32 INT_MIN / -1", 0x80000000ull, 0xffffffffull, 0x80000000ull,
	  { MOV(0, 2), SDIV32(0, 3) } },
	{ "smod32", 0xffffff9cull, 7, 0xfffffffe, { MOV(0, 2), SMOD32(0, 3) } },
	{ "sdiv64 by zero = 0", N(-5), 0, 0, { MOV(0, 2), SDIV64(0, 3) } },
	{ "smod64 by zero = dividend", N(-5), 0, N(-5), { MOV(0, 2), SMOD64(0, 3) } },
	{ "div: dst r3 (rdx), src r0 (rax)", 6, 50, 8,
	  { MOV(0, 2), A64X(DIV, 3, 0), MOV(0, 3) } },
	{ "mod: dst r0, src r3", 50, 6, 2, { MOV(0, 2), A64X(MOD, 0, 3) } },
	{ "div keeps r0 and r3 around it", 50, 6, 50 + 6 + 8,
	  { MOV(5, 2), A64X(DIV, 5, 3), MOV(0, 2), A64X(ADD, 0, 3), A64X(ADD, 0, 5) } },
	/* sign extension */
	{ "movsx64 8", 0x80, 0, N(-128), { MOVSX64(0, 2, 8) } },
	{ "movsx64 16", 0x8001, 0, N(-32767), { MOVSX64(0, 2, 16) } },
	{ "movsx64 32", 0xfffffffe, 0, N(-2), { MOVSX64(0, 2, 32) } },
	{ "movsx32 8 zero-extends", 0xff, 0, 0xffffffff, { MOVSX32(0, 2, 8) } },
	{ "movsx32 16", 0x7fff, 0, 0x7fff, { MOVSX32(0, 2, 16) } },
	/* byte swaps */
	{ "be16", 0x1234, 0, 0x3412, { MOV(0, 2), END(0, BPF_TO_BE, 16) } },
	{ "be32", 0xaabb11223344ull, 0, 0x44332211, { MOV(0, 2), END(0, BPF_TO_BE, 32) } },
	{ "be64", 0x0102030405060708ull, 0, 0x0807060504030201ull,
	  { MOV(0, 2), END(0, BPF_TO_BE, 64) } },
	{ "le16 truncates", 0x12345678, 0, 0x5678, { MOV(0, 2), END(0, BPF_TO_LE, 16) } },
	{ "le32 truncates", 0x1234567890ull, 0, 0x34567890, { MOV(0, 2), END(0, BPF_TO_LE, 32) } },
	{ "le64", 0x1234567890ull, 0, 0x1234567890ull, { MOV(0, 2), END(0, BPF_TO_LE, 64) } },
	{ "bswap16", 0xffff1234, 0, 0x3412, { MOV(0, 2), BSWAP(0, 16) } },
	{ "bswap64", 0x0102030405060708ull, 0, 0x0807060504030201ull,
	  { MOV(0, 2), BSWAP(0, 64) } },
	/* jumps: r0 = 1 when taken */
	{ "jgt64 not taken", 1, 0x100000000ull, 0, { MOVK(0, 0), J64X(JGT, 2, 3, 1), EXIT, MOVK(0, 1) } },
	{ "jgt32 taken (low halves)", 1, 0x100000000ull, 1,
	  { MOVK(0, 0), J32X(JGT, 2, 3, 1), J64K(JA, 0, 0, 1), MOVK(0, 1) } },
	{ "jlt32 vs jlt64", 0x100000000ull, 1, 2,
	  { MOVK(0, 0), J32X(JLT, 2, 3, 1), J64K(JA, 0, 0, 1), A64K(ADD, 0, 2),
	    J64X(JLT, 2, 3, 1), J64K(JA, 0, 0, 1), A64K(ADD, 0, 4) } },
	{ "jsgt64 signed", N(-1), 1, 0, { MOVK(0, 1), J64X(JSGT, 2, 3, 1), MOVK(0, 0) } },
	{ "jsgt32 signed low half", 0x1ffffffffull, 0, 0,
	  { MOVK(0, 1), J32X(JSGT, 2, 3, 1), MOVK(0, 0) } },
	{ "jsge/jsle/jslt imm", N(-5), 0, 7,
	  { MOVK(0, 0), J64K(JSGE, 2, -5, 1), J64K(JA, 0, 0, 1), A64K(OR, 0, 1),
	    J64K(JSLE, 2, -6, 1), A64K(OR, 0, 2), J64K(JSLT, 2, -4, 1),
	    J64K(JA, 0, 0, 1), A64K(OR, 0, 4) } },
	{ "jset64 and jset32", 0x100000000ull, 0x100000001ull, 1,
	  { MOVK(0, 0), J32X(JSET, 2, 3, 1), J64K(JA, 0, 0, 1), A64K(OR, 0, 2),
	    J64X(JSET, 2, 3, 1), J64K(JA, 0, 0, 1), A64K(OR, 0, 1) } },
	{ "jeq imm sign-extends", N(-1), 0, 1, { MOVK(0, 0), J64K(JEQ, 2, -1, 1), J64K(JA, 0, 0, 1), MOVK(0, 1) } },
	{ "jeq32 imm", 0x1ffffffffull, 0, 1, { MOVK(0, 0), J32K(JEQ, 2, -1, 1), J64K(JA, 0, 0, 1), MOVK(0, 1) } },
	{ "jne/jge/jle", 5, 5, 6,
	  { MOVK(0, 0), J64X(JNE, 2, 3, 1), A64K(OR, 0, 2), J64X(JGE, 2, 3, 1),
	    J64K(JA, 0, 0, 1), A64K(OR, 0, 4), J64X(JLE, 2, 3, 1), A64K(OR, 0, 8) } },
	{ "gotol (jmp32 ja)", 0, 0, 3,
	  { MOVK(0, 3), J64K(JNE, 2, 0, 1), I(BPF_JMP32 | BPF_JA, 0, 0, 0, 1),
	    MOVK(0, 9) } },
	/* loads and stores, sign-extending loads, on the stack */
	{ "stack store/load widths", 0x8877665544332211ull, 0, 0x2211 + 0x44332211 + 0x11,
	  { STX(DW, 10, 2, -16), LDX(H, 0, 10, -16), LDX(W, 4, 10, -16),
	    A64X(ADD, 0, 4), LDX(B, 4, 10, -16), A64X(ADD, 0, 4) } },
	{ "ldsx 1/2/4", 0x80ff8001ull, 0,
	  N((int8_t)0x80) + N((int16_t)0x8001) + N((int32_t)0x80ff8001),
	  { STX(DW, 10, 2, -16), LDXSX(B, 0, 10, -13), LDXSX(H, 4, 10, -16),
	    A64X(ADD, 0, 4), LDXSX(W, 4, 10, -16), A64X(ADD, 0, 4) } },
	{ "st imm, byte store from r1/r2", 0x1234, 0, 0x34ffffffffffff7full,
	  { ST(DW, 10, -16, -129), STX(B, 10, 2, -9), LDX(DW, 0, 10, -16) } },
	/* atomics */
	{ "atomic add64 fetch", 10, 3, (10 + 3) * 100 + 10,
	  { STX(DW, 10, 2, -16), ATOM(DW, 10, 3, -16, BPF_ADD | BPF_FETCH),
	    LDX(DW, 0, 10, -16), A64K(MUL, 0, 100), A64X(ADD, 0, 3) } },
	{ "atomic add32 no fetch", 0xffffffffull, 2, 1,
	  { STX(DW, 10, 2, -16), ATOM(W, 10, 3, -16, BPF_ADD), LDX(W, 0, 10, -16) } },
	{ "atomic or/and/xor fetch64", 0xf0, 0x0f, 0xff * 1000 + 0xf0,
	  { STX(DW, 10, 2, -16), MOV(4, 3), ATOM(DW, 10, 4, -16, BPF_OR | BPF_FETCH),
	    LDX(DW, 0, 10, -16), A64K(MUL, 0, 1000), A64X(ADD, 0, 4) } },
	{ "atomic and fetch32, src r0", 0xff, 0x0f, 0x0f * 1000 + 0xff,
	  { STX(DW, 10, 2, -16), MOV(0, 3), ATOM(W, 10, 0, -16, BPF_AND | BPF_FETCH),
	    LDX(W, 4, 10, -16), A64K(MUL, 4, 1000), A64X(ADD, 0, 4) } },
	{ "atomic xor fetch64", 0xff, 0x0f, 0xf0 * 1000 + 0xff,
	  { STX(DW, 10, 2, -16), MOV(5, 3), ATOM(DW, 10, 5, -16, BPF_XOR | BPF_FETCH),
	    LDX(DW, 0, 10, -16), A64K(MUL, 0, 1000), A64X(ADD, 0, 5) } },
	{ "xchg64", 7, 9, 9 * 100 + 7,
	  { STX(DW, 10, 2, -16), MOV(4, 3), ATOM(DW, 10, 4, -16, BPF_XCHG),
	    LDX(DW, 0, 10, -16), A64K(MUL, 0, 100), A64X(ADD, 0, 4) } },
	{ "cmpxchg64 hit", 7, 9, 9 * 100 + 7,
	  { STX(DW, 10, 2, -16), MOV(0, 2), ATOM(DW, 10, 3, -16, BPF_CMPXCHG),
	    LDX(DW, 4, 10, -16), A64K(MUL, 4, 100), A64X(ADD, 0, 4) } },
	{ "cmpxchg32 miss", 7, 9, 7 * 100 + 7,
	  { STX(DW, 10, 2, -16), MOVK(0, 1), ATOM(W, 10, 3, -16, BPF_CMPXCHG),
	    LDX(W, 4, 10, -16), A64K(MUL, 4, 100), A64X(ADD, 0, 4) } },
	/* calls: r6-r9 survive, r1-r5 carry arguments */
	{ "helper call keeps r6-r9", 11, 13, 64 + 11 + 13 + 5 + 7,
	  { MOV(6, 2), MOV(7, 3), MOVK(8, 5), MOVK(9, 7),
	    LDX(DW, 1, 10, -8), CALL(BPF_FUNC_xdp_get_buff_len),
	    A64X(ADD, 0, 6), A64X(ADD, 0, 7), A64X(ADD, 0, 8), A64X(ADD, 0, 9) } },
	{ "bpf-to-bpf call: arguments, r6-r9 kept", 2, 3,
	  2 + 3 * 2 + 4 * 3 + 5 * 4 + 6 * 5 + 100 + 200,
	  { MOVK(6, 100), MOVK(7, 200), MOV(1, 2), MOV(2, 3), MOVK(3, 4),
	    MOVK(4, 5), MOVK(5, 6), PCALL, A64X(ADD, 0, 6), A64X(ADD, 0, 7) },
	  /* r0 = r1 + 2 r2 + 3 r3 + 4 r4 + 5 r5, using r6-r9 as its own */
	  { MOV(0, 1), MOV(6, 2), A64K(MUL, 6, 2), A64X(ADD, 0, 6),
	    MOV(7, 3), A64K(MUL, 7, 3), A64X(ADD, 0, 7), MOV(8, 4), A64K(MUL, 8, 4),
	    A64X(ADD, 0, 8), MOV(9, 5), A64K(MUL, 9, 5), A64X(ADD, 0, 9), EXIT } },
};

/* prefix: save ctx at fp-8, A and B from the packet into r2, r3 */
static uint32_t
build(const struct isa_case *c, struct bpf_insn *p)
{
	static const struct bpf_insn pre[] = {
		STX(DW, 10, 1, -8), LDX(W, 6, 1, 0), LDX(W, 7, 1, 4), MOV(8, 6),
		A64K(ADD, 8, 16), J64X(JLE, 8, 7, 2), MOVK(0, 1), EXIT,
		LDX(DW, 2, 6, 0), LDX(DW, 3, 6, 8), MOVK(0, 0),
	};
	static const struct bpf_insn post[] = {
		LDX(DW, 1, 10, -8), LDX(W, 6, 1, 0), LDX(W, 7, 1, 4), MOV(8, 6),
		A64K(ADD, 8, 8), J64X(JLE, 8, 7, 2), MOVK(0, 1), EXIT,
		STX(DW, 6, 0, 0), MOVK(0, XDP_PASS), EXIT,
	};
	uint32_t n = 0, nb = 0, sub_at, call_at = UINT32_MAX;

	memcpy(p, pre, sizeof(pre));
	n = sizeof(pre) / sizeof(pre[0]);
	while (nb < MAXB && (c->body[nb].code != 0 || (nb > 0 &&
	       c->body[nb - 1].code == (BPF_LD | BPF_IMM | BPF_DW))))
		nb++;
	for (uint32_t i = 0; i < nb; i++) {
		if (c->body[i].code == (BPF_JMP | BPF_CALL) &&
		    c->body[i].imm == -12345)
			call_at = n;
		/* a body's EXIT ends the case: go to the epilogue */
		if (c->body[i].code == (BPF_JMP | BPF_EXIT))
			p[n] = I(BPF_JMP | BPF_JA, 0, 0, (int16_t)(nb - i - 1), 0);
		else
			p[n] = c->body[i];
		n++;
	}
	memcpy(p + n, post, sizeof(post));
	n += sizeof(post) / sizeof(post[0]);
	sub_at = n;
	for (uint32_t i = 0; i < MAXB && c->sub[i].code != 0; i++)
		p[n++] = c->sub[i];
	if (call_at != UINT32_MAX)
		p[call_at].imm = (int32_t)(sub_at - call_at - 1);
	return n;
}

static int
run_ours(const struct bpf_insn *p, uint32_t n, enum xdpc_engine e,
	 const uint8_t *in, uint64_t *out, char *err, size_t errlen)
{
	struct xdpc_obj *o = xdpc_obj_synth(p, n, err, errlen);
	uint8_t buf[XDPC_HEADROOM + 64 + 320];
	struct xdpc_buff b = { 0 };
	uint32_t act;

	if (o == NULL)
		return -1;
	if (xdpc_obj_load(o, err, errlen) != 0 ||
	    xdpc_prog_set_engine(xdpc_obj_prog(o, NULL), e) != 0) {
		xdpc_obj_close(o);
		return -1;
	}
	memset(buf, 0, sizeof(buf));
	b.hard_start = buf;
	b.frame_sz = sizeof(buf);
	b.data = buf + XDPC_HEADROOM;
	b.data_meta = b.data;
	b.data_end = b.data + 64;
	memcpy(b.data, in, 16);
	act = xdpc_prog_run(xdpc_obj_prog(o, NULL), &b, err, errlen);
	memcpy(out, b.data, 8);
	xdpc_obj_close(o);
	return act == XDPC_PASS ? 0 : -1;
}

static int
run_kernel(const struct bpf_insn *p, uint32_t n, const uint8_t *in,
	   uint64_t *out)
{
	uint8_t data[64] = { 0 }, dout[64];
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = data,
		    .data_size_in = sizeof(data), .data_out = dout,
		    .data_size_out = sizeof(dout), .repeat = 1);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "isa", "GPL", p, n, NULL);
	int rc;

	if (fd < 0)
		return -2;
	memcpy(data, in, 16);
	rc = bpf_prog_test_run_opts(fd, &t);
	close(fd);
	if (rc != 0 || t.retval != XDP_PASS)
		return -1;
	memcpy(out, dout, 8);
	return 0;
}

static void
test_isa(void)
{
	bool kernel = geteuid() == 0;
	unsigned int nk = 0;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct isa_case *c = &cases[i];
		struct bpf_insn prog[128];
		uint8_t in[16];
		uint32_t n = build(c, prog);
		char err[1024] = "";
		uint64_t oi = 0, oj = 0, ok = 0;

		memcpy(in, &c->a, 8);
		memcpy(in + 8, &c->b, 8);
		CHECK(run_ours(prog, n, XDPC_ENGINE_INTERP, in, &oi, err,
			       sizeof(err)) == 0 && oi == c->want,
		      "%s: interpreter 0x%llx, want 0x%llx %s", c->name,
		      (unsigned long long)oi, (unsigned long long)c->want, err);
		CHECK(run_ours(prog, n, XDPC_ENGINE_JIT, in, &oj, err,
			       sizeof(err)) == 0 && oj == c->want,
		      "%s: JIT 0x%llx, want 0x%llx %s", c->name,
		      (unsigned long long)oj, (unsigned long long)c->want, err);
		if (kernel) {
			int rc = run_kernel(prog, n, in, &ok);

			if (rc == -2 && errno == EPERM) {
				kernel = false;
				continue;
			}
			CHECK(rc == 0 && ok == c->want, "%s: kernel %d 0x%llx, want "
			      "0x%llx", c->name, rc, (unsigned long long)ok,
			      (unsigned long long)c->want);
			nk++;
		}
	}
	printf("  %zu cases on the interpreter and the JIT, %u on the kernel\n",
	       sizeof(cases) / sizeof(cases[0]), nk);
}

int
main(void)
{
	libbpf_set_print(NULL);
	RUN(test_isa);
	return test_report("test_jit_isa");
}
