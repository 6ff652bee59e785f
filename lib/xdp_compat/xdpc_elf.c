/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat ELF loader, libbpf conventions: programs in SEC("xdp"),
 * "xdp.frags", "xdp/devmap" and "xdp/cpumap" sections (others skipped
 * with a note), BTF-defined maps in ".maps" (read with libbpf's BTF API)
 * and legacy "maps" of struct bpf_map_def, global data in .rodata, .data
 * and .bss as one-element array maps, relocations of map and global data
 * references, and bpf-to-bpf calls into .text (appended to each program
 * that calls it, as libbpf does). load() turns map references into
 * pointers and checks every helper call.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "xdpc_internal.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

struct sec_info {
	const char *name;
	Elf_Data *data;
	GElf_Shdr sh;
	int map_idx;            /* global data: its map, else -1 */
	Elf_Data *rel;          /* its .rel section */
	bool is_text, is_prog;
};

struct elf_state {
	int fd;
	Elf *elf;
	size_t nsec;
	struct sec_info *sec;
	Elf_Data *symtab;
	size_t strtab_idx;
	int maps_shndx, legacy_shndx, text_shndx;
};

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *
symname(struct elf_state *st, const GElf_Sym *s)
{
	const char *n = elf_strptr(st->elf, st->strtab_idx, s->st_name);

	return n ? n : "?";
}

static bool
prog_section(const char *n)
{
	return !strcmp(n, "xdp") || !strncmp(n, "xdp/", 4) ||
	       !strcmp(n, "xdp.frags") || !strncmp(n, "xdp.frags/", 10);
}

static void
state_free(struct elf_state *st)
{
	if (st == NULL)
		return;
	if (st->elf != NULL)
		elf_end(st->elf);
	if (st->fd >= 0)
		close(st->fd);
	free(st->sec);
	free(st);
}

/* BTF-defined maps: each variable of DATASEC .maps is a struct whose
 * members encode the definition: __uint(x, N) is a pointer to an array
 * of N elements, __type(key, T) a pointer to T. */
/* __array(values, struct inner): an array of pointers to a struct that
 * describes the inner map as a map definition does. */
static void
inner_template(const struct btf *btf, const struct btf_type *t,
	       struct xdpc_map *m)
{
	const struct btf_member *mb;

	if (!btf_is_array(t))
		return;
	t = btf__type_by_id(btf, btf_array(t)->type);
	if (!btf_is_ptr(t))
		return;
	t = btf__type_by_id(btf, t->type);
	while (btf_is_mod(t) || btf_is_typedef(t))
		t = btf__type_by_id(btf, t->type);
	if (!btf_is_struct(t))
		return; /* PROG_ARRAY: function prototypes */
	mb = btf_members(t);
	for (int k = 0; k < btf_vlen(t); k++, mb++) {
		const char *mn = btf__name_by_offset(btf, mb->name_off);
		const struct btf_type *f = btf__type_by_id(btf, mb->type);

		if (!btf_is_ptr(f))
			continue;
		f = btf__type_by_id(btf, f->type);
		if (!strcmp(mn, "type") && btf_is_array(f))
			m->inner_type = btf_array(f)->nelems;
		else if (!strcmp(mn, "key_size") && btf_is_array(f))
			m->inner_key_size = btf_array(f)->nelems;
		else if (!strcmp(mn, "value_size") && btf_is_array(f))
			m->inner_value_size = btf_array(f)->nelems;
		else if (!strcmp(mn, "key"))
			m->inner_key_size = (uint32_t)btf__resolve_size(btf,
				btf__type_by_id(btf, mb->type)->type);
		else if (!strcmp(mn, "value"))
			m->inner_value_size = (uint32_t)btf__resolve_size(btf,
				btf__type_by_id(btf, mb->type)->type);
	}
}

static int
btf_maps(struct xdpc_obj *obj, char *err, size_t errlen)
{
	struct btf *btf = btf__parse_elf(obj->path, NULL);
	int sec_id, n, i;
	const struct btf_type *sec;
	const struct btf_var_secinfo *vi;

	if (libbpf_get_error(btf))
		return fail(err, errlen, "%s: section .maps: no usable BTF "
			    "(build with clang -g)", obj->path);
	sec_id = btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC);
	if (sec_id < 0) {
		btf__free(btf);
		return fail(err, errlen, "%s: section .maps: no DATASEC in BTF",
			    obj->path);
	}
	sec = btf__type_by_id(btf, sec_id);
	n = btf_vlen(sec);
	vi = btf_var_secinfos(sec);
	for (i = 0; i < n; i++, vi++) {
		const struct btf_type *var = btf__type_by_id(btf, vi->type);
		const struct btf_type *def = btf__type_by_id(btf, var->type);
		const struct btf_member *mb;
		struct xdpc_map *m;
		int k;

		while (btf_is_mod(def) || btf_is_typedef(def))
			def = btf__type_by_id(btf, def->type);
		if (obj->nr_maps == XDPC_MAX_MAPS) {
			btf__free(btf);
			return fail(err, errlen, "%s: more than %u maps", obj->path,
				    XDPC_MAX_MAPS);
		}
		if (!btf_is_struct(def)) {
			btf__free(btf);
			return fail(err, errlen, "%s: section .maps: map %s is not "
				    "a struct", obj->path,
				    btf__name_by_offset(btf, var->name_off));
		}
		m = &obj->maps[obj->nr_maps];
		snprintf(m->name, sizeof(m->name), "%s",
			 btf__name_by_offset(btf, var->name_off));
		m->sec_idx = -1;
		m->values_off = -1;
		mb = btf_members(def);
		for (k = 0; k < btf_vlen(def); k++, mb++) {
			const char *mn = btf__name_by_offset(btf, mb->name_off);
			const struct btf_type *t = btf__type_by_id(btf, mb->type);
			uint32_t val = 0;

			if (!strcmp(mn, "values")) {
				/* __array(values, ...): static initialisers;
				 * for map-in-map the element type is the
				 * inner map's template */
				m->values_off = (int)(btf_member_bit_offset(def, k) / 8);
				inner_template(btf, t, m);
				continue;
			}
			if (!btf_is_ptr(t))
				continue;
			t = btf__type_by_id(btf, t->type);
			if (btf_is_array(t))
				val = btf_array(t)->nelems;
			if (!strcmp(mn, "type"))
				m->type = val;
			else if (!strcmp(mn, "max_entries"))
				m->max_entries = val;
			else if (!strcmp(mn, "map_flags"))
				m->flags = val;
			else if (!strcmp(mn, "key_size"))
				m->key_size = val;
			else if (!strcmp(mn, "value_size"))
				m->value_size = val;
			else if (!strcmp(mn, "key"))
				m->key_size = (uint32_t)btf__resolve_size(btf,
						btf__type_by_id(btf, mb->type)->type);
			else if (!strcmp(mn, "value"))
				m->value_size = (uint32_t)btf__resolve_size(btf,
						btf__type_by_id(btf, mb->type)->type);
		}
		obj->nr_maps++;
	}
	btf__free(btf);
	return 0;
}

/* struct bpf_map_def { type, key_size, value_size, max_entries, flags } */
static int
legacy_maps(struct xdpc_obj *obj, struct elf_state *st, char *err,
	    size_t errlen)
{
	struct sec_info *s = &st->sec[st->legacy_shndx];
	size_t nsym = st->symtab->d_size / sizeof(Elf64_Sym);

	for (size_t i = 0; i < nsym; i++) {
		GElf_Sym sym;
		const uint32_t *d;
		struct xdpc_map *m;

		gelf_getsym(st->symtab, (int)i, &sym);
		if (sym.st_shndx != st->legacy_shndx ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		if (sym.st_value + 20 > s->data->d_size)
			return fail(err, errlen, "%s: section maps: symbol %s is "
				    "not a whole struct bpf_map_def", obj->path,
				    symname(st, &sym));
		if (obj->nr_maps == XDPC_MAX_MAPS)
			return fail(err, errlen, "%s: more than %u maps",
				    obj->path, XDPC_MAX_MAPS);
		d = (const uint32_t *)((const uint8_t *)s->data->d_buf +
				       sym.st_value);
		m = &obj->maps[obj->nr_maps];
		snprintf(m->name, sizeof(m->name), "%s", symname(st, &sym));
		m->type = d[0];
		m->key_size = d[1];
		m->value_size = d[2];
		m->max_entries = d[3];
		m->flags = d[4];
		m->sec_idx = -1;
		m->values_off = -1;
		obj->nr_maps++;
	}
	return 0;
}

static int map_at(struct xdpc_obj *obj, struct elf_state *st,
		  const GElf_Sym *sym);

/* libbpf's static PROG_ARRAY initialisers, `.values = { [k] = &prog }`:
 * relocations in .rel.maps point slots of a map's `values` array at
 * programs. Slots hold program index + 1. */
static int
init_prog_arrays(struct xdpc_obj *obj, struct elf_state *st, char *err,
		 size_t errlen)
{
	Elf_Data *rel = st->maps_shndx > 0 ? st->sec[st->maps_shndx].rel : NULL;
	size_t nsym = st->symtab->d_size / sizeof(Elf64_Sym);

	if (rel == NULL)
		return 0;
	for (size_t r = 0; r < rel->d_size / sizeof(Elf64_Rel); r++) {
		GElf_Rel rl;
		GElf_Sym target, ms;
		struct xdpc_map *m = NULL;
		struct xdpc_prog *p;
		uint32_t slot, v;

		gelf_getrel(rel, (int)r, &rl);
		gelf_getsym(st->symtab, (int)GELF_R_SYM(rl.r_info), &target);
		/* which map's struct holds this offset */
		for (size_t k = 0; k < nsym && m == NULL; k++) {
			gelf_getsym(st->symtab, (int)k, &ms);
			if (ms.st_shndx == (unsigned)st->maps_shndx &&
			    GELF_ST_TYPE(ms.st_info) == STT_OBJECT &&
			    rl.r_offset >= ms.st_value &&
			    rl.r_offset < ms.st_value + ms.st_size) {
				int mi = map_at(obj, st, &ms);

				m = mi >= 0 ? &obj->maps[mi] : NULL;
			}
		}
		if (m != NULL && xdpc_is_map_of_maps(m->type) &&
		    m->values_off >= 0 &&
		    target.st_shndx == (unsigned)st->maps_shndx) {
			int in = map_at(obj, st, &target);

			slot = (uint32_t)((rl.r_offset - ms.st_value -
					   (uint32_t)m->values_off) / 8);
			v = (uint32_t)in + 1;
			if (in < 0 || slot >= m->max_entries ||
			    xdpc_map_update(m, &slot, &v, BPF_ANY) != 0)
				return fail(err, errlen, "%s: map %s: initialiser "
					    "slot %u: %s is not a map of the "
					    "inner template's shape", obj->path,
					    m->name, slot, symname(st, &target));
			continue;
		}
		p = xdpc_obj_prog(obj, symname(st, &target));
		if (m == NULL || m->type != BPF_MAP_TYPE_PROG_ARRAY ||
		    m->values_off < 0 || p == NULL)
			return fail(err, errlen, "%s: section .maps: initialiser "
				    "for %s is not a program in a PROG_ARRAY",
				    obj->path, symname(st, &target));
		slot = (uint32_t)((rl.r_offset - ms.st_value -
				   (uint32_t)m->values_off) / 8);
		if (slot >= m->max_entries)
			return fail(err, errlen, "%s: map %s: initialiser slot %u "
				    "beyond max_entries", obj->path, m->name, slot);
		v = (uint32_t)(p - obj->progs) + 1;
		memcpy(m->data + (size_t)slot * m->vsz8, &v, 4);
	}
	return 0;
}

static int
data_map(struct xdpc_obj *obj, struct elf_state *st, size_t idx, char *err,
	 size_t errlen)
{
	struct sec_info *s = &st->sec[idx];
	struct xdpc_map *m;
	int rc;

	if (obj->nr_maps == XDPC_MAX_MAPS)
		return fail(err, errlen, "%s: more than %u maps", obj->path,
			    XDPC_MAX_MAPS);
	m = &obj->maps[obj->nr_maps];
	snprintf(m->name, sizeof(m->name), "%s", s->name);
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = 4;
	m->value_size = s->sh.sh_size ? (uint32_t)s->sh.sh_size : 1;
	m->max_entries = 1;
	m->sec_idx = (int)idx;
	rc = xdpc_map_create(m, err, errlen);
	if (rc != 0)
		return rc;
	if (s->sh.sh_type != SHT_NOBITS && s->data != NULL && s->data->d_buf)
		memcpy(m->data, s->data->d_buf, s->data->d_size);
	s->map_idx = (int)obj->nr_maps;
	obj->nr_maps++;
	return 0;
}

/* Find the map a relocation symbol in .maps / maps names. (By name: the
 * DATASEC offsets in an object's BTF are only final after libbpf's fixup,
 * which we do not run.) */
static int
map_at(struct xdpc_obj *obj, struct elf_state *st, const GElf_Sym *sym)
{
	const char *n = symname(st, sym);

	for (uint32_t i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].sec_idx < 0 && !strcmp(obj->maps[i].name, n))
			return (int)i;
	return -1;
}

/* Apply the relocations of section @sidx to @insns, a copy of that
 * section's code placed at @base within a program; @text_base is where
 * .text was appended (or -1). */
static int
relocate(struct xdpc_obj *obj, struct elf_state *st, struct xdpc_prog *p,
	 size_t sidx, uint32_t sec_first, uint32_t count, uint32_t base,
	 int64_t text_base, char *err, size_t errlen)
{
	Elf_Data *rel = st->sec[sidx].rel;
	size_t nrel;

	if (rel == NULL)
		return 0;
	nrel = rel->d_size / sizeof(Elf64_Rel);
	for (size_t r = 0; r < nrel; r++) {
		GElf_Rel rl;
		GElf_Sym sym;
		uint32_t ii;
		struct bpf_insn *in;

		gelf_getrel(rel, (int)r, &rl);
		if (rl.r_offset % 8)
			return fail(err, errlen, "%s: section %s: relocation at "
				    "unaligned offset %lu", obj->path,
				    st->sec[sidx].name, (unsigned long)rl.r_offset);
		ii = (uint32_t)(rl.r_offset / 8);
		if (ii < sec_first || ii >= sec_first + count)
			continue; /* another program of this section */
		in = &p->insns[base + ii - sec_first];
		if (!gelf_getsym(st->symtab, (int)GELF_R_SYM(rl.r_info), &sym))
			return fail(err, errlen, "%s: section %s: bad relocation "
				    "symbol", obj->path, st->sec[sidx].name);
		if (in->code == (BPF_JMP | BPF_CALL)) {
			int64_t target;

			if (in->src_reg != BPF_PSEUDO_CALL ||
			    sym.st_shndx != (unsigned)st->text_shndx ||
			    text_base < 0)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: call relocation "
					    "against %s", obj->path, p->name,
					    base + ii - sec_first, symname(st, &sym));
			target = text_base + (int64_t)(sym.st_value / 8) +
				 in->imm + 1;
			in->imm = (int32_t)(target - (base + ii - sec_first) - 1);
			continue;
		}
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			return fail(err, errlen, "%s: program %s: instruction %u: "
				    "relocation against %s on an instruction that "
				    "is not a 64-bit load", obj->path, p->name,
				    base + ii - sec_first, symname(st, &sym));
		if (sym.st_shndx == (unsigned)st->text_shndx &&
		    st->text_shndx > 0) {
			/* a subprogram's address (a callback): clang puts the
			 * byte offset in imm against the section symbol */
			uint64_t off = (GELF_ST_TYPE(sym.st_info) == STT_SECTION ?
					0 : sym.st_value) + (uint32_t)in->imm;
			int64_t target = text_base + (int64_t)(off / 8);

			if (text_base < 0 || off % 8 || target >= p->n)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: function address "
					    "outside .text", obj->path, p->name,
					    base + ii - sec_first);
			in->src_reg = XDPC_PSEUDO_FUNC;
			in->imm = (int32_t)target;
			in[1].imm = 0;
		} else if (sym.st_shndx == (unsigned)st->maps_shndx ||
		    sym.st_shndx == (unsigned)st->legacy_shndx) {
			int mi = map_at(obj, st, &sym);

			if (mi < 0)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: no map at %s",
					    obj->path, p->name, base + ii - sec_first,
					    symname(st, &sym));
			in->src_reg = XDPC_PSEUDO_MAP;
			in->imm = mi;
		} else if (sym.st_shndx > 0 && sym.st_shndx < st->nsec &&
			   st->sec[sym.st_shndx].map_idx >= 0) {
			uint64_t off = (GELF_ST_TYPE(sym.st_info) == STT_SECTION ?
					0 : sym.st_value) + (uint32_t)in->imm;

			in->src_reg = XDPC_PSEUDO_MAP_VALUE;
			in->imm = st->sec[sym.st_shndx].map_idx;
			in[1].imm = (int32_t)off;
		} else {
			return fail(err, errlen, "%s: program %s: instruction %u: "
				    "relocation to %s, which is %s", obj->path,
				    p->name, base + ii - sec_first,
				    symname(st, &sym),
				    sym.st_shndx == SHN_UNDEF ? "undefined" :
				    "in a section xdp_compat does not load");
		}
	}
	return 0;
}

static const void *
sec_bytes(const struct elf_state *st, const char *name, size_t *len)
{
	for (size_t i = 1; i < st->nsec; i++)
		if (st->sec[i].name != NULL && !strcmp(st->sec[i].name, name) &&
		    st->sec[i].data != NULL) {
			*len = st->sec[i].data->d_size;
			return st->sec[i].data->d_buf;
		}
	*len = 0;
	return NULL;
}

static int
add_prog(struct xdpc_obj *obj, struct elf_state *st, size_t sidx,
	 const GElf_Sym *sym, char *err, size_t errlen)
{
	struct sec_info *s = &st->sec[sidx];
	struct sec_info *text = st->text_shndx > 0 ? &st->sec[st->text_shndx] :
			       NULL;
	struct xdpc_prog *p;
	uint32_t first = (uint32_t)(sym->st_value / 8);
	uint32_t n = (uint32_t)(sym->st_size / 8), ntext = 0;
	bool calls_text = false;
	int rc;

	if (obj->nr_progs == XDPC_MAX_PROGS)
		return fail(err, errlen, "%s: more than %u programs", obj->path,
			    XDPC_MAX_PROGS);
	if (sym->st_value + sym->st_size > s->data->d_size || n == 0)
		return fail(err, errlen, "%s: section %s: program %s lies outside "
			    "its section", obj->path, s->name, symname(st, sym));
	/* Does it call into .text? (a relocated call, or any call when the
	 * program's section is .text itself is handled by relative jumps) */
	if (s->rel != NULL && text != NULL) {
		size_t nrel = s->rel->d_size / sizeof(Elf64_Rel);

		for (size_t r = 0; r < nrel; r++) {
			GElf_Rel rl;
			const struct bpf_insn *in;

			gelf_getrel(s->rel, (int)r, &rl);
			if (rl.r_offset / 8 < first || rl.r_offset / 8 >= first + n)
				continue;
			in = (const struct bpf_insn *)s->data->d_buf + rl.r_offset / 8;
			if (in->code == (BPF_JMP | BPF_CALL))
				calls_text = true;
			if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
				GElf_Sym ts;

				if (gelf_getsym(st->symtab, (int)GELF_R_SYM(rl.r_info),
						&ts) != NULL &&
				    ts.st_shndx == (unsigned)st->text_shndx)
					calls_text = true; /* a callback */
			}
		}
	}
	if (calls_text)
		ntext = (uint32_t)(text->data->d_size / 8);
	p = &obj->progs[obj->nr_progs];
	snprintf(p->name, sizeof(p->name), "%s", symname(st, sym));
	snprintf(p->sec, sizeof(p->sec), "%s", s->name);
	p->frags = strstr(p->sec, ".frags") != NULL;
	p->obj = obj;
	p->main_n = n;
	p->n = n + ntext;
	p->insns = calloc(p->n, sizeof(struct bpf_insn));
	if (p->insns == NULL)
		return -ENOMEM;
	memcpy(p->insns, (const struct bpf_insn *)s->data->d_buf + first,
	       (size_t)n * 8);
	if (ntext != 0)
		memcpy(p->insns + n, text->data->d_buf, (size_t)ntext * 8);
	rc = relocate(obj, st, p, sidx, first, n, 0, ntext ? (int64_t)n : -1,
		      err, errlen);
	if (rc == 0 && ntext != 0)
		rc = relocate(obj, st, p, (size_t)st->text_shndx, 0, ntext, n, n,
			      err, errlen);
	if (rc == 0) {
		/* source lines for the verifier's messages */
		size_t blen, elen;
		const void *btf = sec_bytes(st, ".BTF", &blen);
		const void *ext = sec_bytes(st, ".BTF.ext", &elen);

		rc = xdpc_btf_lines_add(obj, p, btf, blen, ext, elen, s->name,
					first, n, 0);
		if (rc == 0 && ntext != 0)
			rc = xdpc_btf_lines_add(obj, p, btf, blen, ext, elen,
						".text", 0, ntext, n);
	}
	if (rc != 0) {
		free(p->insns);
		free(p->lines);
		p->lines = NULL;
		p->nr_lines = 0;
		return rc;
	}
	obj->nr_progs++;
	return 0;
}

struct xdpc_obj *
xdpc_obj_open(const char *path, char *err, size_t errlen)
{
	struct xdpc_obj *obj = calloc(1, sizeof(*obj));
	struct elf_state *st = calloc(1, sizeof(*st));
	size_t shstrndx, i;
	GElf_Ehdr eh;
	int rc = -EINVAL;

	if (obj == NULL || st == NULL) {
		free(obj);
		free(st);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	snprintf(obj->path, sizeof(obj->path), "%s", path);
	st->fd = -1;
	st->maps_shndx = st->legacy_shndx = st->text_shndx = -1;
	elf_version(EV_CURRENT);
	st->fd = open(path, O_RDONLY);
	if (st->fd < 0) {
		fail(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	st->elf = elf_begin(st->fd, ELF_C_READ, NULL);
	if (st->elf == NULL || elf_kind(st->elf) != ELF_K_ELF ||
	    gelf_getehdr(st->elf, &eh) == NULL) {
		fail(err, errlen, "%s: not an ELF object", path);
		goto out;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_BPF ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		fail(err, errlen, "%s: not a little-endian 64-bit BPF object "
		     "(machine %u)", path, eh.e_machine);
		goto out;
	}
	if (elf_getshdrnum(st->elf, &st->nsec) != 0 ||
	    elf_getshdrstrndx(st->elf, &shstrndx) != 0) {
		fail(err, errlen, "%s: truncated or malformed section headers",
		     path);
		goto out;
	}
	st->sec = calloc(st->nsec, sizeof(*st->sec));
	if (st->sec == NULL)
		goto out;
	for (i = 1; i < st->nsec; i++) {
		Elf_Scn *scn = elf_getscn(st->elf, i);
		struct sec_info *s = &st->sec[i];

		s->map_idx = -1;
		if (scn == NULL || gelf_getshdr(scn, &s->sh) == NULL) {
			fail(err, errlen, "%s: section %zu: malformed header",
			     path, i);
			goto out;
		}
		s->name = elf_strptr(st->elf, shstrndx, s->sh.sh_name);
		if (s->name == NULL) {
			fail(err, errlen, "%s: section %zu: bad name", path, i);
			goto out;
		}
		s->data = elf_getdata(scn, NULL);
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size != 0 &&
		    (s->data == NULL || s->data->d_size != s->sh.sh_size)) {
			fail(err, errlen, "%s: section %s: truncated", path,
			     s->name);
			goto out;
		}
		if (s->sh.sh_type == SHT_SYMTAB) {
			st->symtab = s->data;
			st->strtab_idx = s->sh.sh_link;
		} else if (!strcmp(s->name, ".maps")) {
			st->maps_shndx = (int)i;
		} else if (!strcmp(s->name, "maps")) {
			st->legacy_shndx = (int)i;
		} else if (!strcmp(s->name, ".text")) {
			st->text_shndx = (int)i;
			s->is_text = true;
		} else if (s->sh.sh_type == SHT_PROGBITS &&
			   (s->sh.sh_flags & SHF_EXECINSTR)) {
			s->is_prog = prog_section(s->name);
			if (!s->is_prog)
				fprintf(stderr, "xdp_compat: %s: section %s is not "
					"an XDP program; skipped\n", path, s->name);
		}
	}
	for (i = 1; i < st->nsec; i++) {
		struct sec_info *s = &st->sec[i];

		if (s->sh.sh_type == SHT_REL && s->sh.sh_info < st->nsec)
			st->sec[s->sh.sh_info].rel = s->data;
	}
	if (st->symtab == NULL) {
		fail(err, errlen, "%s: no symbol table", path);
		goto out;
	}
	if (st->maps_shndx > 0 && (rc = btf_maps(obj, err, errlen)) != 0)
		goto out;
	if (st->legacy_shndx > 0 &&
	    (rc = legacy_maps(obj, st, err, errlen)) != 0)
		goto out;
	for (i = 0; i < obj->nr_maps; i++) {
		obj->maps[i].obj = obj;
		rc = xdpc_map_create(&obj->maps[i], err, errlen);
		if (rc != 0)
			goto out;
	}
	for (i = 1; i < st->nsec; i++) {
		const char *n = st->sec[i].name;

		if ((!strncmp(n, ".rodata", 7) || !strncmp(n, ".data", 5) ||
		     !strncmp(n, ".bss", 4)) &&
		    (rc = data_map(obj, st, i, err, errlen)) != 0)
			goto out;
	}
	{
		size_t nsym = st->symtab->d_size / sizeof(Elf64_Sym);

		for (size_t k = 0; k < nsym; k++) {
			GElf_Sym sym;

			gelf_getsym(st->symtab, (int)k, &sym);
			if (GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    GELF_ST_BIND(sym.st_info) != STB_GLOBAL ||
			    sym.st_shndx >= st->nsec ||
			    !st->sec[sym.st_shndx].is_prog)
				continue;
			rc = add_prog(obj, st, sym.st_shndx, &sym, err, errlen);
			if (rc != 0)
				goto out;
		}
	}
	if (obj->nr_progs == 0) {
		rc = fail(err, errlen, "%s: no XDP program (SEC(\"xdp\") and "
			  "friends)", path);
		goto out;
	}
	rc = init_prog_arrays(obj, st, err, errlen);
	if (rc != 0)
		goto out;
	obj->elf_state = st;
	return obj;
out:
	state_free(st);
	obj->elf_state = NULL;
	xdpc_obj_close(obj);
	(void)rc;
	return NULL;
}

int
xdpc_obj_set_global(struct xdpc_obj *obj, const char *name, const void *val,
		    size_t len, char *err, size_t errlen)
{
	struct elf_state *st = obj->elf_state;
	size_t nsym;

	if (st == NULL || obj->loaded)
		return fail(err, errlen, "%s: global %s: set it before load",
			    obj->path, name);
	nsym = st->symtab->d_size / sizeof(Elf64_Sym);
	for (size_t k = 0; k < nsym; k++) {
		GElf_Sym sym;
		struct xdpc_map *m;

		gelf_getsym(st->symtab, (int)k, &sym);
		if (GELF_ST_TYPE(sym.st_info) != STT_OBJECT ||
		    sym.st_shndx >= st->nsec || st->sec[sym.st_shndx].map_idx < 0 ||
		    strcmp(symname(st, &sym), name) != 0)
			continue;
		if (len != sym.st_size)
			return fail(err, errlen, "%s: global %s is %lu bytes, "
				    "given %zu", obj->path, name,
				    (unsigned long)sym.st_size, len);
		m = &obj->maps[st->sec[sym.st_shndx].map_idx];
		memcpy(m->data + sym.st_value, val, len);
		return 0;
	}
	return fail(err, errlen, "%s: no global variable %s in .rodata, .data "
		    "or .bss", obj->path, name);
}

int
xdpc_obj_global_size(struct xdpc_obj *obj, const char *name)
{
	struct elf_state *st = obj->elf_state;
	size_t nsym;

	if (st == NULL)
		return -ENOENT;
	nsym = st->symtab->d_size / sizeof(Elf64_Sym);
	for (size_t k = 0; k < nsym; k++) {
		GElf_Sym sym;

		gelf_getsym(st->symtab, (int)k, &sym);
		if (GELF_ST_TYPE(sym.st_info) == STT_OBJECT &&
		    sym.st_shndx < st->nsec && st->sec[sym.st_shndx].map_idx >= 0 &&
		    !strcmp(symname(st, &sym), name))
			return (int)sym.st_size;
	}
	return -ENOENT;
}

/* Helpers that exist, 64-bit load kinds that do, map value offsets
 * inside their map: what the verifier takes for granted. */
static int
precheck(struct xdpc_obj *obj, struct xdpc_prog *p, char *err, size_t errlen)
{
	for (uint32_t i = 0; i < p->n; i++) {
		struct bpf_insn *in = &p->insns[i];

		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (i + 1 >= p->n)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: truncated 64-bit "
					    "load", obj->path, p->name, i);
			if ((in->src_reg == XDPC_PSEUDO_MAP ||
			     in->src_reg == XDPC_PSEUDO_MAP_VALUE) &&
			    (uint32_t)in->imm >= obj->nr_maps)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: no map %d", obj->path,
					    p->name, i, in->imm);
			if (in->src_reg == XDPC_PSEUDO_MAP_VALUE &&
			    (uint32_t)in[1].imm >= obj->maps[in->imm].data_len)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: offset beyond %s",
					    obj->path, p->name, i,
					    obj->maps[in->imm].name);
			if (in->src_reg > XDPC_PSEUDO_FUNC)
				return fail(err, errlen, "%s: program %s: "
					    "instruction %u: 64-bit load kind %u "
					    "not supported", obj->path, p->name,
					    i, in->src_reg);
			i++;
			continue;
		}
		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0 &&
		    xdpc_helper((uint32_t)in->imm) == NULL) {
			static const char *const names[] = {
#define XDPC_FN(x) [BPF_FUNC_##x] = "bpf_" #x
				__BPF_FUNC_MAPPER(XDPC_FN)
#undef XDPC_FN
			};
			const char *hn = in->imm >= 0 &&
				(size_t)in->imm < sizeof(names) / sizeof(names[0]) &&
				names[in->imm] ? names[in->imm] : "unknown";

			return fail(err, errlen, "%s: program %s: instruction %u "
				    "calls helper %s (id %d), which xdp_compat "
				    "does not provide", obj->path, p->name, i, hn,
				    in->imm);
		}
	}
	return 0;
}

/* 64-bit loads of maps, map values and functions become addresses. */
static void
relocate_loads(struct xdpc_obj *obj, struct xdpc_prog *p)
{
	for (uint32_t i = 0; i + 1 < p->n; i++) {
		struct bpf_insn *in = &p->insns[i];
		uint64_t v;

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (in->src_reg == XDPC_PSEUDO_MAP)
			v = (uintptr_t)&obj->maps[in->imm];
		else if (in->src_reg == XDPC_PSEUDO_MAP_VALUE)
			v = (uintptr_t)(obj->maps[in->imm].data + (uint32_t)in[1].imm);
		else if (in->src_reg == XDPC_PSEUDO_FUNC)
			v = XDPC_FUNC_TAG | (uint32_t)in->imm;
		else {
			i++;
			continue;
		}
		in->src_reg = 0;
		in[0].imm = (int32_t)(uint32_t)v;
		in[1].imm = (int32_t)(uint32_t)(v >> 32);
		i++;
	}
}

static enum xdpc_engine default_engine = XDPC_ENGINE_JIT;

void
xdpc_set_default_engine(enum xdpc_engine e)
{
	default_engine = e;
}

int
xdpc_prog_set_engine(struct xdpc_prog *prog, enum xdpc_engine e)
{
	char err[256];

	if (e == XDPC_ENGINE_JIT && prog->jit == NULL) {
		int rc;

		if (!xdpc_jit_available())
			return -ENOTSUP;
		if (prog->vaux == NULL || !prog->obj->loaded)
			return -EINVAL;
		rc = xdpc_jit_compile(prog, err, sizeof(err));
		if (rc != 0)
			return rc;
	}
	prog->engine = (uint8_t)e;
	return 0;
}

enum xdpc_engine
xdpc_prog_engine(const struct xdpc_prog *prog)
{
	return prog->jit != NULL && prog->engine == XDPC_ENGINE_JIT ?
	       XDPC_ENGINE_JIT : XDPC_ENGINE_INTERP;
}

static int
load(struct xdpc_obj *obj, bool verify, char *err, size_t errlen)
{
	if (obj->loaded)
		return fail(err, errlen, "%s: already loaded", obj->path);
	for (uint32_t i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].sec_idx >= 0 &&
		    !strncmp(obj->maps[i].name, ".rodata", 7))
			obj->maps[i].readonly = true;
	for (uint32_t pi = 0; pi < obj->nr_progs; pi++) {
		struct xdpc_prog *p = &obj->progs[pi];

		/* the interpreter trusts what these prove (no pc or register
		 * checks per instruction) */
		if (precheck(obj, p, err, errlen) != 0 ||
		    xdpc_verify_cfg(obj, p, err, errlen) != 0 ||
		    (verify && xdpc_verify_prog(obj, p, err, errlen) != 0))
			return -EINVAL;
	}
	for (uint32_t pi = 0; pi < obj->nr_progs; pi++) {
		struct xdpc_prog *p = &obj->progs[pi];

		relocate_loads(obj, p);
		p->engine = XDPC_ENGINE_INTERP;
		if (verify && default_engine == XDPC_ENGINE_JIT &&
		    xdpc_jit_available()) {
			if (xdpc_jit_compile(p, err, errlen) != 0)
				return -EINVAL;
			p->engine = XDPC_ENGINE_JIT;
		}
	}
	state_free(obj->elf_state);
	obj->elf_state = NULL;
	obj->loaded = true;
	return 0;
}

int
xdpc_obj_load(struct xdpc_obj *obj, char *err, size_t errlen)
{
	return load(obj, true, err, errlen);
}

int
xdpc_obj_load_unverified(struct xdpc_obj *obj, char *err, size_t errlen)
{
	return load(obj, false, err, errlen);
}

unsigned int
xdpc_prog_insn_count(const struct xdpc_prog *prog)
{
	return prog->n;
}

void
xdpc_prog_verify_stats(const struct xdpc_prog *prog,
		       struct xdpc_verify_stats *st)
{
	*st = prog->vstats;
}

void
xdpc_obj_close(struct xdpc_obj *obj)
{
	if (obj == NULL)
		return;
	state_free(obj->elf_state);
	for (uint32_t i = 0; i < obj->nr_progs; i++) {
		free(obj->progs[i].insns);
		free(obj->progs[i].lines);
		free(obj->progs[i].vaux);
		free(obj->progs[i].vcall);
		xdpc_jit_free(&obj->progs[i]);
	}
	free(obj->btf_str);
	for (uint32_t i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].data != NULL || obj->maps[i].hash != NULL)
			xdpc_map_free(&obj->maps[i]);
	free(obj);
}

struct xdpc_prog *
xdpc_obj_prog(struct xdpc_obj *obj, const char *name)
{
	for (uint32_t i = 0; i < obj->nr_progs; i++)
		if (name == NULL || !strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return NULL;
}

struct xdpc_prog *
xdpc_obj_prog_at(struct xdpc_obj *obj, unsigned int i)
{
	return i < obj->nr_progs ? &obj->progs[i] : NULL;
}

const char *
xdpc_prog_name(const struct xdpc_prog *prog)
{
	return prog->name;
}

const char *
xdpc_obj_path(const struct xdpc_obj *obj)
{
	return obj->path;
}

bool
xdpc_prog_frags(const struct xdpc_prog *prog)
{
	return prog->frags;
}

struct xdpc_map *
xdpc_obj_map(struct xdpc_obj *obj, const char *name)
{
	for (uint32_t i = 0; i < obj->nr_maps; i++)
		if (!strcmp(obj->maps[i].name, name))
			return &obj->maps[i];
	return NULL;
}

struct xdpc_map *
xdpc_obj_map_at(struct xdpc_obj *obj, unsigned int i)
{
	return i < obj->nr_maps ? &obj->maps[i] : NULL;
}
