/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Maps and globals from the command line, for both run mode and
 * prog-run: --set GLOBAL=VALUE, dumping maps as JSON (hex keys and
 * values, per-CPU values per CPU, and with BTF the same as named fields)
 * and updating an entry by name from KEY=VALUE text (numbers, hex:BYTES,
 * or {field=value,...} where the object's BTF names the fields).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "txp.h"

int
txp_set_global(struct xdpc_obj *obj, const char *set, char *err,
	       size_t errlen)
{
	const char *eq = strchr(set, '=');
	char name[128];
	unsigned long long v;
	int sz;

	if (eq == NULL) {
		snprintf(err, errlen, "expected GLOBAL=VALUE");
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - set), set);
	sz = xdpc_obj_global_size(obj, name);
	if (sz <= 0) {
		snprintf(err, errlen, "no such global in the object");
		return -ENOENT;
	}
	if (sz > 8) {
		snprintf(err, errlen, "not an integer global");
		return -EINVAL;
	}
	v = strtoull(eq + 1, NULL, 0);
	return xdpc_obj_set_global(obj, name, &v, (size_t)sz, err, errlen);
}

void
txp_map_dump(struct xdpc_obj *obj, const char *const *names,
	     unsigned int nnames, FILE *f)
{
	struct xdpc_map *m;
	bool first_map = true;

	fprintf(f, "{\"maps\": [");
	for (unsigned int i = 0; (m = xdpc_obj_map_at(obj, i)) != NULL; i++) {
		struct xdpc_map_info mi;
		uint8_t key[256], next[256], *val;
		size_t vlen, v8;
		bool first = true, has = false, want = nnames == 0, kf, vf;
		static struct txp_fields kfs, vfs;

		xdpc_map_info(m, &mi);
		for (unsigned int n = 0; n < nnames; n++)
			want |= !strcmp(names[n], mi.name);
		if (!want || mi.key_size > sizeof(key))
			continue;
		v8 = (mi.value_size + 7) & ~7u;
		vlen = v8 * mi.nr_cpus;
		val = malloc(vlen);
		if (val == NULL)
			continue;
		kf = txp_btf_fields(xdpc_obj_path(obj), mi.name, false,
				    mi.key_size, &kfs) == 0;
		vf = txp_btf_fields(xdpc_obj_path(obj), mi.name, true,
				    mi.value_size, &vfs) == 0;
		fprintf(f, "%s\n  {\"name\": \"%s\", \"type\": %u, \"entries\": [",
			first_map ? "" : ",", mi.name, mi.type);
		first_map = false;
		while (xdpc_map_get_next_key(m, has ? key : NULL, next) == 0) {
			size_t k;

			memcpy(key, next, mi.key_size);
			has = true;
			if (xdpc_map_lookup(m, key, val) != 0)
				continue;
			/* arrays have every key: leave out the all-zero ones */
			if (mi.type == BPF_MAP_TYPE_ARRAY ||
			    mi.type == BPF_MAP_TYPE_PERCPU_ARRAY) {
				for (k = 0; k < vlen && val[k] == 0; k++)
					;
				if (k == vlen)
					continue;
			}
			fprintf(f, "%s\n    {\"key\": \"", first ? "" : ",");
			for (k = 0; k < mi.key_size; k++)
				fprintf(f, "%02x", key[k]);
			fprintf(f, "\", \"value\": \"");
			if (mi.nr_cpus == 1) {
				for (k = 0; k < mi.value_size; k++)
					fprintf(f, "%02x", val[k]);
			} else {
				/* per CPU: the CPUs with a non-zero value */
				for (uint32_t c = 0; c < mi.nr_cpus; c++) {
					const uint8_t *cv = val + c * v8;

					for (k = 0; k < mi.value_size && cv[k] == 0; k++)
						;
					if (k == mi.value_size)
						continue;
					fprintf(f, "cpu%u:", c);
					for (k = 0; k < mi.value_size; k++)
						fprintf(f, "%02x", cv[k]);
					fprintf(f, " ");
				}
			}
			fprintf(f, "\"");
			if (kf) {
				fprintf(f, ", \"key_fields\": ");
				txp_fields_print(&kfs, key, f);
			}
			if (vf && mi.nr_cpus == 1) {
				fprintf(f, ", \"value_fields\": ");
				txp_fields_print(&vfs, val, f);
			} else if (vf) {
				bool fc = true;

				fprintf(f, ", \"value_fields\": {");
				for (uint32_t c = 0; c < mi.nr_cpus; c++) {
					const uint8_t *cv = val + c * v8;

					for (k = 0; k < mi.value_size && cv[k] == 0; k++)
						;
					if (k == mi.value_size)
						continue;
					fprintf(f, "%s\"cpu%u\": ", fc ? "" : ", ", c);
					txp_fields_print(&vfs, cv, f);
					fc = false;
				}
				fprintf(f, "}");
			}
			fprintf(f, "}");
			first = false;
		}
		fprintf(f, "]}");
		free(val);
	}
	fprintf(f, "\n]}\n");
}

/* A key or value: "hex:0102..." gives the bytes in order; a number
 * (decimal or 0x...) fills a field of up to 8 bytes in host order. */
static int
parse_bytes(const char *s, uint8_t *out, uint32_t size, char *err,
	    size_t errlen, const char *what)
{
	if (!strncmp(s, "hex:", 4)) {
		s += 4;
		if (strlen(s) != (size_t)size * 2) {
			snprintf(err, errlen, "%s: %u bytes (%u hex digits) "
				 "expected", what, size, size * 2);
			return -EINVAL;
		}
		for (uint32_t i = 0; i < size; i++) {
			unsigned int b;

			if (sscanf(s + 2 * i, "%2x", &b) != 1) {
				snprintf(err, errlen, "%s: not hex", what);
				return -EINVAL;
			}
			out[i] = (uint8_t)b;
		}
		return 0;
	}
	{
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(s, &end, 0);
		if (errno != 0 || end == s || *end != '\0' || size > 8 ||
		    (size < 8 && v >> (size * 8) != 0)) {
			snprintf(err, errlen, "%s: a number that fits %u bytes, "
				 "or hex:%s for the raw bytes", what, size,
				 size > 8 ? "..." : "BYTES");
			return -EINVAL;
		}
		memset(out, 0, size);
		memcpy(out, &v, size); /* little-endian host */
		return 0;
	}
}

/* A key or value in typed form, through the map's BTF. */
static int
parse_typed(struct xdpc_obj *obj, const char *map, bool value, const char *s,
	    uint8_t *out, uint32_t size, char *err, size_t errlen)
{
	static struct txp_fields fs;
	int rc;

	if (txp_btf_fields(xdpc_obj_path(obj), map, value, size, &fs) != 0) {
		snprintf(err, errlen, "%s: the object has no BTF naming the %s's "
			 "fields; give a number or hex:BYTES",
			 value ? "value" : "key", value ? "value" : "key");
		return -EINVAL;
	}
	rc = txp_fields_parse(&fs, s, out, size, err, errlen);
	if (rc != 0) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s: %s", value ? "value" : "key", err);
		snprintf(err, errlen, "%s", tmp);
	}
	return rc;
}

/* The '=' between KEY and VALUE: the first one outside braces. */
static const char *
kv_split(const char *kv)
{
	int depth = 0;

	for (const char *p = kv; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		else if (*p == '=' && depth == 0)
			return p;
	}
	return NULL;
}

int
txp_map_update(struct xdpc_obj *obj, const char *name, const char *kv,
	       char *err, size_t errlen)
{
	struct xdpc_map *m = xdpc_obj_map(obj, name);
	struct xdpc_map_info mi;
	const char *eq = kv_split(kv);
	uint8_t key[256], *val;
	char ks[600];
	size_t v8;
	int rc;

	if (m == NULL) {
		snprintf(err, errlen, "no map %s in the object", name);
		return -ENOENT;
	}
	if (eq == NULL || (size_t)(eq - kv) >= sizeof(ks)) {
		snprintf(err, errlen, "expected KEY=VALUE, got %s", kv);
		return -EINVAL;
	}
	xdpc_map_info(m, &mi);
	if (mi.key_size > sizeof(key)) {
		snprintf(err, errlen, "map %s: key too large", name);
		return -EINVAL;
	}
	snprintf(ks, sizeof(ks), "%.*s", (int)(eq - kv), kv);
	v8 = (mi.value_size + 7) & ~7u;
	val = calloc(mi.nr_cpus, v8);
	if (val == NULL)
		return -ENOMEM;
	rc = ks[0] == '{' ?
	     parse_typed(obj, name, false, ks, key, mi.key_size, err, errlen) :
	     parse_bytes(ks, key, mi.key_size, err, errlen, "key");
	if (rc == 0)
		rc = eq[1] == '{' ?
		     parse_typed(obj, name, true, eq + 1, val, mi.value_size, err,
				 errlen) :
		     parse_bytes(eq + 1, val, mi.value_size, err, errlen, "value");
	/* per-CPU maps: the same value on every CPU */
	for (uint32_t c = 1; rc == 0 && c < mi.nr_cpus; c++)
		memcpy(val + c * v8, val, mi.value_size);
	if (rc == 0) {
		rc = xdpc_map_update(m, key, val, BPF_ANY);
		if (rc != 0)
			snprintf(err, errlen, "map %s: update: %s", name,
				 strerror(-rc));
	}
	free(val);
	return rc;
}
