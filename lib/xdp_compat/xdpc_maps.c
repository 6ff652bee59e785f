/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat maps: storage and the kernel's semantics for ARRAY,
 * PERCPU_ARRAY, HASH and PERCPU_HASH (update flags BPF_ANY, BPF_NOEXIST,
 * BPF_EXIST; -ENOENT, -EEXIST, -E2BIG, -EINVAL as bpf(2) returns them),
 * for programs and for the application. Global data sections are
 * one-element arrays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdpc_internal.h"

/* Chained hash over a fixed pool of max_entries elements. */
struct xdpc_hash {
	uint32_t nbuckets;
	uint32_t *bucket;       /* element index + 1, 0 = empty */
	uint32_t *next;         /* per element: next index + 1 */
	uint32_t free_head;     /* index + 1 */
	uint32_t count;
	uint32_t elem_size;     /* key (rounded to 8) + value block */
	uint8_t *elems;
	uint8_t *used;
};

static bool
is_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH;
}

static bool
is_hash(uint32_t t)
{
	return t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_PERCPU_HASH;
}

static uint32_t
vblock(const struct xdpc_map *m)
{
	return is_percpu(m->type) ? m->vsz8 * XDPC_NCPU : m->vsz8;
}

static uint32_t
khash(const void *k, uint32_t len)
{
	const uint8_t *p = k;
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int
xdpc_map_create(struct xdpc_map *m, char *err, size_t errlen)
{
	m->vsz8 = (m->value_size + 7) & ~7u;
	pthread_mutex_init(&m->lock, NULL);
	switch (m->type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		if (m->key_size != 4 || m->value_size == 0 || m->max_entries == 0) {
			snprintf(err, errlen, "map %s: an array needs key_size 4, "
				 "a value and max_entries > 0 (key %u value %u "
				 "max_entries %u)", m->name, m->key_size,
				 m->value_size, m->max_entries);
			return -EINVAL;
		}
		m->data_len = (size_t)m->max_entries * vblock(m);
		m->data = aligned_alloc(64, (m->data_len + 63) & ~(size_t)63);
		if (m->data == NULL)
			return -ENOMEM;
		memset(m->data, 0, m->data_len);
		return 0;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH: {
		struct xdpc_hash *h;
		uint32_t kb;

		if (m->key_size == 0 || m->value_size == 0 || m->max_entries == 0) {
			snprintf(err, errlen, "map %s: a hash needs key, value and "
				 "max_entries > 0", m->name);
			return -EINVAL;
		}
		h = calloc(1, sizeof(*h));
		if (h == NULL)
			return -ENOMEM;
		kb = (m->key_size + 7) & ~7u;
		h->elem_size = kb + vblock(m);
		for (h->nbuckets = 1; h->nbuckets < m->max_entries; h->nbuckets <<= 1)
			;
		h->bucket = calloc(h->nbuckets, sizeof(uint32_t));
		h->next = calloc(m->max_entries, sizeof(uint32_t));
		h->used = calloc(m->max_entries, 1);
		h->elems = aligned_alloc(64, ((size_t)m->max_entries *
					      h->elem_size + 63) & ~(size_t)63);
		if (h->bucket == NULL || h->next == NULL || h->used == NULL ||
		    h->elems == NULL) {
			free(h->bucket);
			free(h->next);
			free(h->used);
			free(h->elems);
			free(h);
			return -ENOMEM;
		}
		for (uint32_t i = 0; i < m->max_entries; i++)
			h->next[i] = i + 2 <= m->max_entries ? i + 2 : 0;
		h->free_head = 1;
		m->hash = h;
		m->data = h->elems;
		m->data_len = (size_t)m->max_entries * h->elem_size;
		return 0;
	}
	default:
		snprintf(err, errlen, "map %s: map type %u is not supported yet",
			 m->name, m->type);
		return -ENOTSUP;
	}
}

void
xdpc_map_free(struct xdpc_map *m)
{
	if (m->hash != NULL) {
		free(m->hash->bucket);
		free(m->hash->next);
		free(m->hash->used);
		free(m->hash->elems);
		free(m->hash);
		m->hash = NULL;
	} else {
		free(m->data);
	}
	m->data = NULL;
	pthread_mutex_destroy(&m->lock);
}

static uint8_t *
helem(const struct xdpc_map *m, uint32_t i)
{
	return m->hash->elems + (size_t)i * m->hash->elem_size;
}

static uint8_t *
hval(const struct xdpc_map *m, uint32_t i)
{
	return helem(m, i) + ((m->key_size + 7) & ~7u);
}

/* Index + 1 of the element holding @key, 0 if none; *prev_link set. */
static uint32_t
hfind(const struct xdpc_map *m, const void *key, uint32_t **link)
{
	struct xdpc_hash *h = m->hash;
	uint32_t *l = &h->bucket[khash(key, m->key_size) & (h->nbuckets - 1)];

	while (*l != 0) {
		if (memcmp(helem(m, *l - 1), key, m->key_size) == 0)
			break;
		l = &h->next[*l - 1];
	}
	if (link != NULL)
		*link = l;
	return *l;
}

void *
xdpc_map_lookup_elem(struct xdpc_map *m, const void *key, unsigned int cpu)
{
	uint32_t idx;
	uint8_t *v;

	if (!is_hash(m->type)) {
		memcpy(&idx, key, 4);
		if (idx >= m->max_entries)
			return NULL;
		v = m->data + (size_t)idx * vblock(m);
	} else {
		uint32_t e;

		pthread_mutex_lock(&m->lock);
		e = hfind(m, key, NULL);
		pthread_mutex_unlock(&m->lock);
		if (e == 0)
			return NULL;
		v = hval(m, e - 1);
	}
	return is_percpu(m->type) ? v + (size_t)(cpu % XDPC_NCPU) * m->vsz8 : v;
}

/* Update one element: for per-CPU maps from a program (@cpu set) only
 * that CPU's copy; from the application (@cpu = UINT32_MAX) all copies,
 * laid out as nr_cpus values of vsz8 bytes. */
static long
update(struct xdpc_map *m, const void *key, const void *value, uint64_t flags,
       unsigned int cpu)
{
	uint8_t *v;
	uint32_t idx;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (!is_hash(m->type)) {
		memcpy(&idx, key, 4);
		if (idx >= m->max_entries)
			return -E2BIG;
		if (flags == BPF_NOEXIST)
			return -EEXIST; /* array elements always exist */
		v = m->data + (size_t)idx * vblock(m);
	} else {
		struct xdpc_hash *h = m->hash;
		uint32_t *link, e;

		pthread_mutex_lock(&m->lock);
		e = hfind(m, key, &link);
		if (e != 0 && flags == BPF_NOEXIST) {
			pthread_mutex_unlock(&m->lock);
			return -EEXIST;
		}
		if (e == 0 && flags == BPF_EXIST) {
			pthread_mutex_unlock(&m->lock);
			return -ENOENT;
		}
		if (e == 0) {
			if (h->free_head == 0) {
				pthread_mutex_unlock(&m->lock);
				return -E2BIG;
			}
			e = h->free_head;
			h->free_head = h->next[e - 1];
			h->next[e - 1] = 0;
			memset(helem(m, e - 1), 0, h->elem_size);
			memcpy(helem(m, e - 1), key, m->key_size);
			h->used[e - 1] = 1;
			h->count++;
			*link = e;
		}
		v = hval(m, e - 1);
		pthread_mutex_unlock(&m->lock);
	}
	if (!is_percpu(m->type)) {
		memcpy(v, value, m->value_size);
	} else if (cpu == UINT32_MAX) {
		for (unsigned int c = 0; c < XDPC_NCPU; c++)
			memcpy(v + (size_t)c * m->vsz8,
			       (const uint8_t *)value + (size_t)c * m->vsz8,
			       m->value_size);
	} else {
		memcpy(v + (size_t)(cpu % XDPC_NCPU) * m->vsz8, value,
		       m->value_size);
	}
	return 0;
}

long
xdpc_map_update_elem(struct xdpc_map *m, const void *key, const void *value,
		     uint64_t flags, unsigned int cpu)
{
	return update(m, key, value, flags, cpu);
}

long
xdpc_map_delete_elem(struct xdpc_map *m, const void *key)
{
	uint32_t *link, e;

	if (!is_hash(m->type))
		return -EINVAL; /* array elements cannot be deleted */
	pthread_mutex_lock(&m->lock);
	e = hfind(m, key, &link);
	if (e == 0) {
		pthread_mutex_unlock(&m->lock);
		return -ENOENT;
	}
	*link = m->hash->next[e - 1];
	m->hash->next[e - 1] = m->hash->free_head;
	m->hash->free_head = e;
	m->hash->used[e - 1] = 0;
	m->hash->count--;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

bool
xdpc_map_value_range(const struct xdpc_map *m, const void *p, size_t len)
{
	const uint8_t *a = p;
	size_t off, within;

	if (m->data == NULL || a < m->data || a + len > m->data + m->data_len)
		return false;
	off = (size_t)(a - m->data);
	if (m->hash == NULL) {
		/* inside one value (one CPU's copy) of one element */
		within = off % (is_percpu(m->type) ? m->vsz8 : vblock(m));
		return within + len <= m->value_size ||
		       m->max_entries == 1; /* global data: the whole section */
	}
	within = off % m->hash->elem_size;
	if (within < ((m->key_size + 7) & ~7u) ||
	    !m->hash->used[off / m->hash->elem_size])
		return false;
	within -= (m->key_size + 7) & ~7u;
	return within % m->vsz8 + len <= m->value_size;
}

/* ---- application API ---- */

int
xdpc_map_lookup(struct xdpc_map *m, const void *key, void *value)
{
	uint8_t *v;

	if (!is_percpu(m->type)) {
		v = xdpc_map_lookup_elem(m, key, 0);
		if (v == NULL)
			return -ENOENT;
		memcpy(value, v, m->value_size);
		return 0;
	}
	v = xdpc_map_lookup_elem(m, key, 0);
	if (v == NULL)
		return -ENOENT;
	for (unsigned int c = 0; c < XDPC_NCPU; c++) {
		memset((uint8_t *)value + (size_t)c * m->vsz8, 0, m->vsz8);
		memcpy((uint8_t *)value + (size_t)c * m->vsz8,
		       v + (size_t)c * m->vsz8, m->value_size);
	}
	return 0;
}

int
xdpc_map_update(struct xdpc_map *m, const void *key, const void *value,
		uint64_t flags)
{
	if (m->readonly)
		return -EPERM;
	return (int)update(m, key, value, flags, UINT32_MAX);
}

int
xdpc_map_delete(struct xdpc_map *m, const void *key)
{
	return (int)xdpc_map_delete_elem(m, key);
}

int
xdpc_map_get_next_key(struct xdpc_map *m, const void *key, void *next)
{
	uint32_t idx;

	if (!is_hash(m->type)) {
		idx = 0;
		if (key != NULL) {
			memcpy(&idx, key, 4);
			idx = idx >= m->max_entries ? 0 : idx + 1;
		}
		if (idx >= m->max_entries)
			return -ENOENT;
		memcpy(next, &idx, 4);
		return 0;
	}
	pthread_mutex_lock(&m->lock);
	{
		struct xdpc_hash *h = m->hash;
		uint32_t b = 0, e = 0;

		if (key != NULL && (e = hfind(m, key, NULL)) != 0) {
			/* rest of this chain, then later buckets */
			b = khash(key, m->key_size) & (h->nbuckets - 1);
			e = h->next[e - 1];
			if (e == 0)
				b++;
		}
		for (; e == 0 && b < h->nbuckets; b++)
			if (h->bucket[b] != 0) {
				e = h->bucket[b];
				break;
			}
		if (e == 0) {
			pthread_mutex_unlock(&m->lock);
			return -ENOENT;
		}
		memcpy(next, helem(m, e - 1), m->key_size);
	}
	pthread_mutex_unlock(&m->lock);
	return 0;
}

void
xdpc_map_info(const struct xdpc_map *m, struct xdpc_map_info *info)
{
	info->name = m->name;
	info->type = m->type;
	info->key_size = m->key_size;
	info->value_size = m->value_size;
	info->max_entries = m->max_entries;
	info->nr_cpus = is_percpu(m->type) ? XDPC_NCPU : 1;
}
