/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BTF line info (.BTF.ext), so the verifier's errors can quote the
 * source line of the instruction they refuse: the records of one ELF
 * section, mapped to where the loader placed that section's
 * instructions in a program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/btf.h>

#include "xdpc_internal.h"

/* not in the UAPI headers: libbpf's layout */
struct ext_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
};

struct line_rec {
	uint32_t insn_off, file_name_off, line_off, line_col;
};

static int
cmp_line(const void *a, const void *b)
{
	const struct xdpc_line *x = a, *y = b;

	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

int
xdpc_btf_lines_add(struct xdpc_obj *obj, struct xdpc_prog *p, const void *btf,
		   size_t btf_len, const void *ext, size_t ext_len,
		   const char *sec, uint32_t first, uint32_t count, uint32_t base)
{
	const struct btf_header *bh = btf;
	struct ext_hdr eh;
	const uint8_t *li;
	uint32_t rec, at;

	if (btf == NULL || ext == NULL || btf_len < sizeof(*bh) ||
	    ext_len < sizeof(eh) || bh->magic != BTF_MAGIC)
		return 0;
	memcpy(&eh, ext, sizeof(eh));
	if (eh.magic != BTF_MAGIC || eh.hdr_len > ext_len ||
	    (uint64_t)bh->hdr_len + bh->str_off + bh->str_len > btf_len)
		return 0;
	if (obj->btf_str == NULL) {
		obj->btf_str = malloc(bh->str_len + 1);
		if (obj->btf_str == NULL)
			return -ENOMEM;
		memcpy(obj->btf_str, (const uint8_t *)btf + bh->hdr_len +
		       bh->str_off, bh->str_len);
		obj->btf_str[bh->str_len] = '\0';
		obj->btf_str_len = bh->str_len;
	}
	if ((uint64_t)eh.hdr_len + eh.line_info_off + eh.line_info_len > ext_len ||
	    eh.line_info_len < 4)
		return 0;
	li = (const uint8_t *)ext + eh.hdr_len + eh.line_info_off;
	memcpy(&rec, li, 4);
	if (rec < sizeof(struct line_rec))
		return 0;
	for (at = 4; at + 8 <= eh.line_info_len;) {
		uint32_t name_off, num;

		memcpy(&name_off, li + at, 4);
		memcpy(&num, li + at + 4, 4);
		at += 8;
		if ((uint64_t)num * rec > eh.line_info_len - at)
			return 0;
		if (name_off < obj->btf_str_len &&
		    !strcmp(obj->btf_str + name_off, sec)) {
			for (uint32_t k = 0; k < num; k++) {
				struct line_rec r;
				struct xdpc_line *nl;
				uint32_t ii;

				memcpy(&r, li + at + (size_t)k * rec, sizeof(r));
				ii = r.insn_off / 8;
				if (ii < first || ii >= first + count ||
				    r.file_name_off >= obj->btf_str_len ||
				    r.line_off >= obj->btf_str_len)
					continue;
				nl = realloc(p->lines, (p->nr_lines + 1) *
					     sizeof(*nl));
				if (nl == NULL)
					return -ENOMEM;
				p->lines = nl;
				nl[p->nr_lines++] = (struct xdpc_line){
					.insn = base + ii - first,
					.line = r.line_col >> 10,
					.file_off = r.file_name_off,
					.src_off = r.line_off };
			}
		}
		at += num * rec;
	}
	qsort(p->lines, p->nr_lines, sizeof(*p->lines), cmp_line);
	return 0;
}

bool
xdpc_prog_line(const struct xdpc_prog *p, uint32_t insn, const char **file,
	       uint32_t *line, const char **src)
{
	const struct xdpc_line *best = NULL;
	const char *f, *slash;

	for (uint32_t lo = 0, hi = p->nr_lines; lo < hi;) {
		uint32_t mid = (lo + hi) / 2;

		if (p->lines[mid].insn <= insn) {
			best = &p->lines[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (best == NULL || p->obj->btf_str == NULL)
		return false;
	f = p->obj->btf_str + best->file_off;
	slash = strrchr(f, '/');
	*file = slash ? slash + 1 : f;
	*line = best->line;
	*src = p->obj->btf_str + best->src_off;
	while (**src == ' ' || **src == '\t')
		(*src)++;
	return true;
}
