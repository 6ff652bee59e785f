/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verifier's control-flow pass, run by the loader on every program
 * after relocation: registers exist, every jump, bpf-to-bpf call and
 * callback address lands on an instruction (not inside a 64-bit load),
 * nothing falls off the end, no instruction is unreachable and none
 * writes r10, the frame pointer, with the
 * kernel's rules and an error naming the instruction. The interpreter
 * relies on it: it checks neither pc nor register numbers per
 * instruction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdpc_internal.h"

#define VFAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto out; } while (0)

static bool
is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Is @code an instruction the ISA has? Checked on every instruction,
 * reachable or not, as the kernel does (engines must never meet one). */
static bool
known_opcode(uint8_t code)
{
	uint8_t cls = BPF_CLASS(code), op = BPF_OP(code), mode = BPF_MODE(code);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return op <= BPF_END && !(op == BPF_NEG && BPF_SRC(code) == BPF_X);
	case BPF_LD:
		return code == (BPF_LD | BPF_IMM | BPF_DW);
	case BPF_LDX:
		return mode == BPF_MEM || mode == 0x80 /* MEMSX */;
	case BPF_ST:
		return mode == BPF_MEM;
	case BPF_STX:
		return mode == BPF_MEM || mode == BPF_ATOMIC;
	default: /* BPF_JMP, BPF_JMP32 */
		return op <= BPF_JSLE &&
		       !(cls == BPF_JMP32 && (op == BPF_CALL || op == BPF_EXIT));
	}
}

/* Subprograms start at 0, at call targets and at callback addresses:
 * jumps stay inside theirs, and each ends in an exit or a jump, as the
 * kernel requires. */
static int
subprogs(const struct xdpc_obj *obj, const struct xdpc_prog *p, char *err,
	 size_t errlen)
{
	const uint32_t n = p->n;
	uint32_t *sub = calloc(n, sizeof(*sub)), cur = 0;
	uint8_t *start = calloc(n, 1);
	int rc = -EINVAL;

	if (sub == NULL || start == NULL) {
		free(sub);
		free(start);
		return -ENOMEM;
	}
	start[0] = 1;
	for (uint32_t i = 0; i < n; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (is_ldimm64(in) && in->src_reg == XDPC_PSEUDO_FUNC)
			start[in->imm] = 1;
		if (in->code == (BPF_JMP | BPF_CALL) &&
		    in->src_reg == BPF_PSEUDO_CALL)
			start[i + 1 + in->imm] = 1;
		if (is_ldimm64(in))
			i++;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (start[i] && i > 0) {
			const struct bpf_insn *last = &p->insns[i - 1];
			uint8_t op = BPF_OP(last->code), cls = BPF_CLASS(last->code);

			if (!((cls == BPF_JMP || cls == BPF_JMP32) &&
			      (op == BPF_EXIT || op == BPF_JA)) ||
			    (i >= 2 && is_ldimm64(&p->insns[i - 2])))
				VFAIL("%s: program %s: instruction %u: the "
				      "subprogram ends without an exit or a jump "
				      "(it would fall into the next at %u)",
				      obj->path, p->name, i - 1, i);
			cur = i;
		}
		sub[i] = cur;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct bpf_insn *in = &p->insns[i];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		int64_t t;

		if (is_ldimm64(in)) {
			i++;
			continue;
		}
		if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
		    op == BPF_EXIT)
			continue;
		t = (int64_t)i + 1 + (cls == BPF_JMP32 && op == BPF_JA ? in->imm :
				      in->off);
		if (sub[t] != sub[i])
			VFAIL("%s: program %s: instruction %u: jump to %lld, "
			      "outside its subprogram (which starts at %u)",
			      obj->path, p->name, i, (long long)t, sub[i]);
	}
	rc = 0;
out:
	free(sub);
	free(start);
	return rc;
}

int
xdpc_verify_cfg(const struct xdpc_obj *obj, const struct xdpc_prog *p,
		char *err, size_t errlen)
{
	const uint32_t n = p->n;
	uint8_t *seen = calloc(n ? n : 1, 1);  /* 1 queued, 2 second slot */
	uint32_t *stack = malloc(sizeof(*stack) * (n ? n : 1));
	uint32_t sp = 0, i;
	int rc = -EINVAL;

	if (seen == NULL || stack == NULL) {
		free(seen);
		free(stack);
		return -ENOMEM;
	}
	if (n == 0)
		VFAIL("%s: program %s: no instructions", obj->path, p->name);
	for (i = 0; i < n; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (!known_opcode(in->code))
			VFAIL("%s: program %s: instruction %u: unknown opcode "
			      "0x%02x", obj->path, p->name, i, in->code);
		if (in->dst_reg > 10 || in->src_reg > 10)
			VFAIL("%s: program %s: instruction %u: register r%u does "
			      "not exist", obj->path, p->name, i,
			      in->dst_reg > 10 ? in->dst_reg : in->src_reg);
		if (in->dst_reg == 10 &&
		    (BPF_CLASS(in->code) == BPF_ALU ||
		     BPF_CLASS(in->code) == BPF_ALU64 ||
		     BPF_CLASS(in->code) == BPF_LDX || is_ldimm64(in)))
			VFAIL("%s: program %s: instruction %u: r10, the frame "
			      "pointer, is read only", obj->path, p->name, i);
		if (is_ldimm64(in)) {
			if (i + 1 >= n)
				VFAIL("%s: program %s: instruction %u: truncated "
				      "64-bit load", obj->path, p->name, i);
			if (in[1].code != 0 || in[1].dst_reg != 0 ||
			    in[1].src_reg != 0 || in[1].off != 0)
				VFAIL("%s: program %s: instruction %u: invalid "
				      "second half of a 64-bit load", obj->path,
				      p->name, i + 1);
			seen[++i] = 2;
		}
	}
	{
		const struct bpf_insn *last = &p->insns[n - 1];
		uint8_t cls = BPF_CLASS(last->code), op = BPF_OP(last->code);

		if (seen[n - 1] == 2 || !((cls == BPF_JMP || cls == BPF_JMP32) &&
					  (op == BPF_EXIT || op == BPF_JA)))
			VFAIL("%s: program %s: instruction %u: the last instruction "
			      "is neither an exit nor a jump: execution would fall "
			      "off the end", obj->path, p->name, n - 1);
	}

/* Queue instruction @t, reached from @from. */
#define REACH(t, from, what) do {                                             \
		int64_t t_ = (t);                                             \
		if (t_ < 0 || t_ >= (int64_t)n || seen[t_] == 2)              \
			VFAIL("%s: program %s: instruction %u: %s to %lld, "  \
			      "outside the program [0, %u) or inside a 64-bit " \
			      "load", obj->path, p->name, (from), (what),     \
			      (long long)t_, n);                              \
		if (seen[t_] == 0) {                                          \
			seen[t_] = 1;                                         \
			stack[sp++] = (uint32_t)t_;                           \
		}                                                             \
	} while (0)

	REACH(0, 0u, "entry");
	while (sp > 0) {
		uint32_t at = stack[--sp];
		const struct bpf_insn *in = &p->insns[at];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

		if (is_ldimm64(in)) {
			/* a subprogram address (bpf_loop callbacks) */
			if (in->src_reg == XDPC_PSEUDO_FUNC)
				REACH((int64_t)in->imm, at, "callback address");
			if (at + 2 < n)
				REACH(at + 2, at, "fall-through");
			continue;
		}
		if (cls != BPF_JMP && cls != BPF_JMP32) {
			REACH(at + 1, at, "fall-through");
			continue;
		}
		switch (op) {
		case BPF_EXIT:
			break;
		case BPF_JA:
			REACH((int64_t)at + 1 + (cls == BPF_JMP ? in->off : in->imm),
			      at, "jump");
			break;
		case BPF_CALL:
			if (in->src_reg == BPF_PSEUDO_CALL)
				REACH((int64_t)at + 1 + in->imm, at, "call");
			REACH(at + 1, at, "fall-through");
			break;
		default:
			REACH((int64_t)at + 1 + in->off, at, "jump");
			REACH(at + 1, at, "fall-through");
			break;
		}
	}
#undef REACH
	for (i = 0; i < n; i++)
		if (seen[i] == 0)
			VFAIL("%s: program %s: instruction %u is unreachable",
			      obj->path, p->name, i);
	rc = subprogs(obj, p, err, errlen);
out:
	free(seen);
	free(stack);
	return rc;
}
