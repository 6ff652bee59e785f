/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes the fuzzer's seed corpus: the instructions of every program in
 * the given objects as the verifier sees them (before relocation), with
 * map references moved onto xdpc_obj_synth's maps, one file each.
 * Usage: make_seeds OUTDIR OBJ...
 */
#include <stdio.h>
#include <string.h>

#include "xdpc_internal.h"

int
main(int argc, char **argv)
{
	for (int a = 2; a < argc; a++) {
		char err[1024];
		struct xdpc_obj *o = xdpc_obj_open(argv[a], err, sizeof(err));
		const char *base = strrchr(argv[a], '/');

		if (o == NULL) {
			fprintf(stderr, "%s\n", err);
			continue;
		}
		base = base ? base + 1 : argv[a];
		for (uint32_t i = 0; i < o->nr_progs; i++) {
			struct xdpc_prog *p = &o->progs[i];
			char path[1024];
			FILE *f;

			for (uint32_t k = 0; k + 1 < p->n; k++) {
				struct bpf_insn *in = &p->insns[k];

				if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
					continue;
				if (in->src_reg == XDPC_PSEUDO_MAP)
					in->imm = (int32_t)((uint32_t)in->imm % 4);
				if (in->src_reg == XDPC_PSEUDO_MAP_VALUE) {
					in->imm = 4;            /* .data */
					in[1].imm = (int32_t)((uint32_t)in[1].imm % 64);
				}
				k++;
			}
			snprintf(path, sizeof(path), "%s/%.*s-%s.bin", argv[1],
				 (int)(strlen(base) - 2), base, p->name);
			f = fopen(path, "wb");
			if (f == NULL || fwrite(p->insns, 8, p->n, f) != p->n) {
				perror(path);
				return 1;
			}
			fclose(f);
		}
		xdpc_obj_close(o);
	}
	return 0;
}
