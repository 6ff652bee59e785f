/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed map keys and values from the object's BTF: a map's key or value
 * type flattened into named scalar fields (nested structs as a.b, byte
 * arrays as one field), so the command line can say
 * `{prefixlen=16,addr=10.1.0.0}` and dumps can show field names. Objects
 * without BTF for a map keep the raw forms (numbers, hex:BYTES).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "txp.h"

static const struct btf_type *
skip_mods(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t != NULL && (btf_is_typedef(t) || btf_is_const(t) ||
			     btf_is_volatile(t) || btf_is_restrict(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static int
add(struct txp_fields *f, const char *name, uint32_t off, uint32_t size,
    enum txp_field_kind kind)
{
	struct txp_field *x;

	if (f->n == TXP_MAX_FIELDS)
		return -E2BIG;
	x = &f->f[f->n++];
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->off = off;
	x->size = size;
	x->kind = kind;
	return 0;
}

static int
flatten(const struct btf *btf, __u32 id, const char *prefix, uint32_t off,
	struct txp_fields *f, int depth)
{
	const struct btf_type *t = skip_mods(btf, &id);
	char name[96];

	if (t == NULL || depth > 4)
		return -EINVAL;
	if (btf_is_int(t) || btf_is_enum(t)) {
		bool sgn = btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED);

		return add(f, prefix, off, t->size, sgn ? TXP_F_SINT : TXP_F_UINT);
	}
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		__u32 eid = a->type;
		const struct btf_type *e = skip_mods(btf, &eid);
		__s64 esz = btf__resolve_size(btf, eid);

		if (e == NULL || esz <= 0)
			return -EINVAL;
		if (esz == 1) /* bytes: one field (addresses, MACs) */
			return add(f, prefix, off, a->nelems, TXP_F_BYTES);
		for (__u32 i = 0; i < a->nelems; i++) {
			snprintf(name, sizeof(name), "%s[%u]", prefix, i);
			if (flatten(btf, eid, name, off + i * (uint32_t)esz, f,
				    depth + 1) != 0)
				return -EINVAL;
		}
		return 0;
	}
	if (btf_is_struct(t) || btf_is_union(t)) {
		const struct btf_member *m = btf_members(t);

		for (int i = 0; i < btf_vlen(t); i++, m++) {
			const char *mn = btf__name_by_offset(btf, m->name_off);

			if (btf_member_bitfield_size(t, i) != 0 ||
			    btf_member_bit_offset(t, i) % 8 != 0)
				return -EINVAL; /* bitfields: raw only */
			snprintf(name, sizeof(name), "%s%s%s", prefix,
				 prefix[0] && mn[0] ? "." : "", mn);
			if (flatten(btf, m->type, name,
				    off + btf_member_bit_offset(t, i) / 8, f,
				    depth + 1) != 0)
				return -EINVAL;
		}
		return 0;
	}
	return -EINVAL;
}

int
txp_btf_fields(const char *obj_path, const char *map, bool value,
	       uint32_t size, struct txp_fields *out)
{
	struct btf *btf = btf__parse_elf(obj_path, NULL);
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;
	int id, rc = -ENOENT;

	out->n = 0;
	if (libbpf_get_error(btf))
		return -ENOENT;
	id = btf__find_by_name(btf, ".maps");
	sec = id > 0 ? btf__type_by_id(btf, (__u32)id) : NULL;
	if (sec == NULL || !btf_is_datasec(sec))
		goto out;
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		__u32 tid;
		const struct btf_type *def;
		const struct btf_member *m;

		if (strcmp(btf__name_by_offset(btf, var->name_off), map))
			continue;
		tid = var->type;
		def = skip_mods(btf, &tid);
		if (def == NULL || !btf_is_struct(def))
			break;
		m = btf_members(def);
		for (int k = 0; k < btf_vlen(def); k++, m++) {
			const struct btf_type *ptr;

			if (strcmp(btf__name_by_offset(btf, m->name_off),
				   value ? "value" : "key"))
				continue;
			ptr = btf__type_by_id(btf, m->type);
			if (ptr == NULL || !btf_is_ptr(ptr) ||
			    btf__resolve_size(btf, ptr->type) != size)
				break;
			rc = flatten(btf, ptr->type, "", 0, out, 0);
			break;
		}
		break;
	}
out:
	btf__free(btf);
	if (rc != 0)
		out->n = 0;
	return rc;
}

/* One field's text: a number for integers; for bytes, hex:..., or a
 * dotted IPv4 address when it has 4. */
static int
parse_field(const struct txp_field *f, const char *s, uint8_t *buf,
	    char *err, size_t errlen)
{
	char *end;

	if (f->kind == TXP_F_BYTES) {
		struct in_addr a;

		if (f->size == 4 && inet_pton(AF_INET, s, &a) == 1) {
			memcpy(buf + f->off, &a, 4);
			return 0;
		}
		if (!strncmp(s, "hex:", 4) && strlen(s + 4) == f->size * 2) {
			for (uint32_t i = 0; i < f->size; i++) {
				unsigned int b;

				if (sscanf(s + 4 + 2 * i, "%2x", &b) != 1)
					goto bad;
				buf[f->off + i] = (uint8_t)b;
			}
			return 0;
		}
		goto bad;
	}
	errno = 0;
	if (f->kind == TXP_F_SINT) {
		long long v = strtoll(s, &end, 0);

		if (errno || end == s || *end)
			goto bad;
		memcpy(buf + f->off, &v, f->size); /* little-endian host */
	} else {
		unsigned long long v = strtoull(s, &end, 0);

		if (errno || end == s || *end || *s == '-' ||
		    (f->size < 8 && v >> (f->size * 8)))
			goto bad;
		memcpy(buf + f->off, &v, f->size);
	}
	return 0;
bad:
	snprintf(err, errlen, "field %s: %s does not fit (%s%u bytes)",
		 f->name[0] ? f->name : "(value)", s,
		 f->kind == TXP_F_BYTES ? "hex:BYTES or a.b.c.d, " :
		 "a number, ", f->size);
	return -EINVAL;
}

int
txp_fields_parse(const struct txp_fields *fs, const char *text, uint8_t *buf,
		 uint32_t size, char *err, size_t errlen)
{
	char *dup, *tok, *save = NULL;
	size_t len = strlen(text);
	int rc = 0;

	memset(buf, 0, size);
	if (len < 2 || text[0] != '{' || text[len - 1] != '}') {
		snprintf(err, errlen, "expected {field=value,...}");
		return -EINVAL;
	}
	dup = strndup(text + 1, len - 2);
	if (dup == NULL)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		unsigned int i;

		if (eq == NULL) {
			snprintf(err, errlen, "%s: expected field=value", tok);
			rc = -EINVAL;
			break;
		}
		*eq = '\0';
		for (i = 0; i < fs->n && strcmp(fs->f[i].name, tok); i++)
			;
		if (i == fs->n) {
			snprintf(err, errlen, "no field %s (fields:", tok);
			for (unsigned int k = 0; k < fs->n; k++) {
				size_t l = strlen(err);

				snprintf(err + l, errlen - l, " %s", fs->f[k].name);
			}
			strncat(err, ")", errlen - strlen(err) - 1);
			rc = -EINVAL;
			break;
		}
		rc = parse_field(&fs->f[i], eq + 1, buf, err, errlen);
	}
	free(dup);
	return rc;
}

void
txp_fields_print(const struct txp_fields *fs, const uint8_t *buf, FILE *f)
{
	bool bare = fs->n == 1 && fs->f[0].name[0] == '\0';

	if (!bare)
		fprintf(f, "{");
	for (unsigned int i = 0; i < fs->n; i++) {
		const struct txp_field *x = &fs->f[i];

		if (!bare)
			fprintf(f, "%s\"%s\": ", i ? ", " : "", x->name);
		if (x->kind == TXP_F_BYTES) {
			fprintf(f, "\"");
			for (uint32_t k = 0; k < x->size; k++)
				fprintf(f, "%02x", buf[x->off + k]);
			fprintf(f, "\"");
		} else {
			uint64_t v = 0;

			memcpy(&v, buf + x->off, x->size);
			if (x->kind == TXP_F_SINT && x->size < 8 &&
			    (v >> (x->size * 8 - 1)) & 1)
				v |= ~0ull << (x->size * 8);
			if (x->kind == TXP_F_SINT)
				fprintf(f, "%lld", (long long)v);
			else
				fprintf(f, "%llu", (unsigned long long)v);
		}
	}
	if (!bare)
		fprintf(f, "}");
}
