/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verifier's scalar domain: what is known about a 64-bit value, as
 * unsigned and signed bounds plus known bits (a tnum: value, mask of
 * unknown bits), kept consistent with each other. The abstract ALU
 * (xdpc_vscalar.c) over-approximates every eBPF ALU operation, so a
 * program proven safe with these ranges is safe for every input.
 */
#ifndef XDPC_VSCALAR_H
#define XDPC_VSCALAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xdpc_sc {
	uint64_t umin, umax;
	int64_t smin, smax;
	uint64_t tv, tm;        /* known bits' values; unknown bits */
};

struct xdpc_sc xdpc_sc_const(uint64_t v);
struct xdpc_sc xdpc_sc_unknown(void);
/* [lo, hi] unsigned */
struct xdpc_sc xdpc_sc_urange(uint64_t lo, uint64_t hi);
/* [lo, hi] signed */
struct xdpc_sc xdpc_sc_srange(int64_t lo, int64_t hi);
static inline bool
xdpc_sc_is_const(const struct xdpc_sc *s)
{
	return s->tm == 0;
}
/* Tighten every view from the others; false when no value fits. */
bool xdpc_sc_sync(struct xdpc_sc *s);
/* The low 32 bits, zero-extended. */
struct xdpc_sc xdpc_sc_zext32(struct xdpc_sc s);
/* *d = *d OP b for ALU (is64 false: ALU32, result zero-extended); @off
 * selects sdiv/smod (1) and movsx widths (8/16/32) as the ISA does. */
void xdpc_sc_alu(uint8_t op, bool is64, int16_t off, struct xdpc_sc *d,
		 struct xdpc_sc b);
/* Byte swaps and endianness conversions (BPF_END). */
void xdpc_sc_end(bool is64, bool to_be, int32_t bits, struct xdpc_sc *d);
/* Is the jump OP (a, b) taken: 1 always, 0 never, -1 it depends. */
int xdpc_sc_branch(uint8_t op, bool is32, const struct xdpc_sc *a,
		   const struct xdpc_sc *b);
/* Learn from OP (a, b) being @taken; false when that is impossible. */
bool xdpc_sc_refine(uint8_t op, bool is32, bool taken, struct xdpc_sc *a,
		    struct xdpc_sc *b);
/* Does @old contain every value @cur may have? */
bool xdpc_sc_within(const struct xdpc_sc *old, const struct xdpc_sc *cur);
/* Human-readable, for error messages. */
int xdpc_sc_fmt(const struct xdpc_sc *s, char *buf, size_t len);

#endif
