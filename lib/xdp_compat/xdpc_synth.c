/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Objects made from raw instructions rather than an ELF file, for the
 * verifier's fuzzer (tests/fuzz/): one program over a fixed set of maps
 * that 64-bit loads name by index, as a relocated ELF program would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdpc_internal.h"

static const struct {
	const char *name;
	uint32_t type, key_size, value_size, max_entries;
	bool global;
} synth_maps[] = {
	{ "arr", BPF_MAP_TYPE_ARRAY, 4, 16, 4, false },
	{ "hash", BPF_MAP_TYPE_HASH, 8, 8, 16, false },
	{ "pcpu", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, false },
	{ "rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, false },
	{ ".data", BPF_MAP_TYPE_ARRAY, 4, 64, 1, true },
};

struct xdpc_obj *
xdpc_obj_synth(const struct bpf_insn *insns, uint32_t n, char *err,
	       size_t errlen)
{
	struct xdpc_obj *obj = calloc(1, sizeof(*obj));
	struct xdpc_prog *p;

	if (obj == NULL || n == 0) {
		free(obj);
		snprintf(err, errlen, "synth: %s", n ? "out of memory" :
			 "no instructions");
		return NULL;
	}
	snprintf(obj->path, sizeof(obj->path), "synth");
	for (uint32_t i = 0; i < sizeof(synth_maps) / sizeof(synth_maps[0]); i++) {
		struct xdpc_map *m = &obj->maps[obj->nr_maps];

		snprintf(m->name, sizeof(m->name), "%s", synth_maps[i].name);
		m->type = synth_maps[i].type;
		m->key_size = synth_maps[i].key_size;
		m->value_size = synth_maps[i].value_size;
		m->max_entries = synth_maps[i].max_entries;
		m->sec_idx = synth_maps[i].global ? 1 : -1;
		m->values_off = -1;
		m->obj = obj;
		if (xdpc_map_create(m, err, errlen) != 0) {
			xdpc_obj_close(obj);
			return NULL;
		}
		obj->nr_maps++;
	}
	p = &obj->progs[0];
	snprintf(p->name, sizeof(p->name), "fuzz");
	snprintf(p->sec, sizeof(p->sec), "xdp");
	p->obj = obj;
	p->n = p->main_n = n;
	p->insns = malloc((size_t)n * sizeof(*insns));
	if (p->insns == NULL) {
		xdpc_obj_close(obj);
		snprintf(err, errlen, "synth: out of memory");
		return NULL;
	}
	memcpy(p->insns, insns, (size_t)n * sizeof(*insns));
	obj->nr_progs = 1;
	return obj;
}

bool
xdpc_prog_addr_dependent(const struct xdpc_prog *prog)
{
	return prog->vflags & XDPC_VF_ADDR;
}
