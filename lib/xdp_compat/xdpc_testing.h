/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test-only entry points of xdp_compat, not installed: the project's own
 * tests of the interpreter's runtime checks need programs the verifier
 * refuses.
 */
#ifndef XDPC_TESTING_H
#define XDPC_TESTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xdpc_obj;
struct bpf_insn;

/* xdpc_obj_load without the abstract interpreter (the control-flow pass
 * still runs, as the interpreter relies on it). */
int xdpc_obj_load_unverified(struct xdpc_obj *obj, char *err, size_t errlen);

/* An unloaded object of one program, @n instructions, over the maps
 * arr (ARRAY 4/16 x4), hash (HASH 8/8 x16), pcpu (PERCPU_ARRAY 4/8 x2),
 * rb (RINGBUF 4096) and .data (global data, 64 bytes): a 64-bit load
 * with src_reg 1 names one by index in imm, src_reg 2 a value of one
 * (imm the index, the next imm the offset), src_reg 3 a subprogram. */
struct xdpc_obj *xdpc_obj_synth(const struct bpf_insn *insns, uint32_t n,
				char *err, size_t errlen);

/* Could @prog's results depend on addresses (pointers compared with
 * numbers, converted to them, or passed to helpers as them)? Two runs
 * of it in different memory may then differ. */
struct xdpc_prog;
bool xdpc_prog_addr_dependent(const struct xdpc_prog *prog);

#endif
