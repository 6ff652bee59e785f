/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat maps: storage and the kernel's semantics for ARRAY,
 * PERCPU_ARRAY, PROG_ARRAY, HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH
 * and LPM_TRIE (update flags BPF_ANY, BPF_NOEXIST, BPF_EXIST; -ENOENT,
 * -EEXIST, -E2BIG, -EINVAL as bpf(2) returns them), for programs and for
 * the application. Global data sections are one-element arrays. LRU maps
 * evict the least recently used element when full; LPM_TRIE looks up the
 * longest matching prefix (a linear scan: the reference, not the fast
 * path).
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "xdpc_internal.h"

/* Chained hash over a fixed pool of max_entries elements. */
struct xdpc_hash {
	uint32_t *lru_prev, *lru_next; /* LRU: index + 1; head most recent */
	uint32_t lru_head, lru_tail;
	uint32_t nbuckets;
	uint32_t *bucket;       /* element index + 1, 0 = empty */
	uint32_t *next;         /* per element: next index + 1 */
	uint32_t free_head;     /* index + 1 */
	uint32_t count;
	uint32_t elem_size;     /* key (rounded to 8) + value block */
	uint8_t *elems;
	uint8_t *used;
	/* LPM_TRIE: the elements in use, longest prefix first, rebuilt
	 * after a change (the first match is the longest) */
	uint32_t *lpm_order, lpm_n;
	bool lpm_dirty;
};

static bool
is_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool
is_lru(uint32_t t)
{
	return t == BPF_MAP_TYPE_LRU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool
is_hash(uint32_t t)
{
	return t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       is_lru(t) || t == BPF_MAP_TYPE_LPM_TRIE ||
	       t == BPF_MAP_TYPE_DEVMAP_HASH || t == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* LRU list maintenance (caller holds the map lock). */
static void
lru_unlink(struct xdpc_hash *h, uint32_t e)
{
	uint32_t p = h->lru_prev[e - 1], n = h->lru_next[e - 1];

	if (p) h->lru_next[p - 1] = n; else h->lru_head = n;
	if (n) h->lru_prev[n - 1] = p; else h->lru_tail = p;
	h->lru_prev[e - 1] = h->lru_next[e - 1] = 0;
}

static void
lru_push(struct xdpc_hash *h, uint32_t e)
{
	h->lru_prev[e - 1] = 0;
	h->lru_next[e - 1] = h->lru_head;
	if (h->lru_head)
		h->lru_prev[h->lru_head - 1] = e;
	h->lru_head = e;
	if (!h->lru_tail)
		h->lru_tail = e;
}

static uint32_t
vblock(const struct xdpc_map *m)
{
	return is_percpu(m->type) ? m->vsz8 * XDPC_NCPU : m->vsz8;
}

uint32_t
xdpc_map_vblock(const struct xdpc_map *m)
{
	return vblock(m);
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

/* The map_flags each type takes, as the kernel's map_alloc_check
 * callbacks accept them; the access flags work for all. */
static int
check_flags(const struct xdpc_map *m, char *err, size_t errlen)
{
	const uint32_t access = BPF_F_RDONLY | BPF_F_WRONLY |
				BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG |
				BPF_F_NUMA_NODE;
	uint32_t ok = access;

	if (is_hash(m->type) && m->type != BPF_MAP_TYPE_LPM_TRIE)
		ok |= BPF_F_ZERO_SEED | (is_lru(m->type) ? BPF_F_NO_COMMON_LRU :
					 BPF_F_NO_PREALLOC);
	else if (m->type == BPF_MAP_TYPE_LPM_TRIE)
		ok |= BPF_F_NO_PREALLOC;
	else if (m->type == BPF_MAP_TYPE_ARRAY ||
		 m->type == BPF_MAP_TYPE_PERCPU_ARRAY)
		ok |= BPF_F_MMAPABLE | BPF_F_INNER_MAP;
	else if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		ok |= BPF_F_PRESERVE_ELEMS;
	if ((m->flags & ~ok) ||
	    (m->flags & (BPF_F_RDONLY | BPF_F_WRONLY)) ==
	    (BPF_F_RDONLY | BPF_F_WRONLY) ||
	    (m->flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) ==
	    (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) {
		snprintf(err, errlen, "map %s: map_flags %#x not valid for map "
			 "type %u (the kernel refuses them too)", m->name,
			 m->flags, m->type);
		return -EINVAL;
	}
	return 0;
}

int
xdpc_map_create(struct xdpc_map *m, char *err, size_t errlen)
{
	if (check_flags(m, err, errlen) != 0)
		return -EINVAL;
	if (m->type == BPF_MAP_TYPE_PROG_ARRAY)
		m->value_size = 4; /* program index + 1, 0 = empty */
	m->vsz8 = (m->value_size + 7) & ~7u;
	pthread_mutex_init(&m->lock, NULL);
	switch (m->type) {
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_CPUMAP:
		return xdpc_ringmap_create(m, err, errlen);
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
		if (m->value_size != 4 && m->value_size != 8) {
			snprintf(err, errlen, "map %s: a DEVMAP value is an "
				 "ifindex (4 bytes) or struct bpf_devmap_val (8)",
				 m->name);
			return -EINVAL;
		}
		if (m->type == BPF_MAP_TYPE_DEVMAP_HASH)
			goto hash;
		/* fall through */
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		if (m->value_size == 0)
			m->value_size = 4; /* libbpf: an fd */
		if (m->value_size != 4) {
			snprintf(err, errlen, "map %s: a map-in-map value is 4 "
				 "bytes", m->name);
			return -EINVAL;
		}
		m->vsz8 = 8;
		if (m->type == BPF_MAP_TYPE_HASH_OF_MAPS)
			goto hash;
		/* fall through */
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY:
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
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
hash: {
		struct xdpc_hash *h;
		uint32_t kb;

		if (m->type == BPF_MAP_TYPE_LPM_TRIE &&
		    (m->key_size < 5 || m->key_size > 4 + 256 ||
		     !(m->flags & BPF_F_NO_PREALLOC))) {
			snprintf(err, errlen, "map %s: LPM_TRIE needs a key of "
				 "struct bpf_lpm_trie_key (4 + 1..256 bytes) and "
				 "BPF_F_NO_PREALLOC, as the kernel does", m->name);
			return -EINVAL;
		}
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
		h->lru_prev = calloc(m->max_entries, sizeof(uint32_t));
		h->lru_next = calloc(m->max_entries, sizeof(uint32_t));
		h->next = calloc(m->max_entries, sizeof(uint32_t));
		h->used = calloc(m->max_entries, 1);
		h->elems = aligned_alloc(64, ((size_t)m->max_entries *
					      h->elem_size + 63) & ~(size_t)63);
		if (h->bucket == NULL || h->next == NULL || h->used == NULL ||
		    h->elems == NULL || h->lru_prev == NULL || h->lru_next == NULL) {
			free(h->lru_prev);
			free(h->lru_next);
			free(h->bucket);
			free(h->next);
			free(h->used);
			free(h->lpm_order);
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
	case BPF_MAP_TYPE_RINGBUF: {
		int fd;
		uint8_t *area;
		long pg = sysconf(_SC_PAGESIZE);

		if (m->max_entries < (uint32_t)pg ||
		    (m->max_entries & (m->max_entries - 1)) || m->key_size ||
		    m->value_size) {
			snprintf(err, errlen, "map %s: a RINGBUF size is a power "
				 "of two of at least a page, with no key or "
				 "value", m->name);
			return -EINVAL;
		}
		fd = memfd_create("xdpc-ringbuf", 0);
		if (fd < 0 || ftruncate(fd, m->max_entries) != 0) {
			if (fd >= 0)
				close(fd);
			return -ENOMEM;
		}
		area = mmap(NULL, (size_t)m->max_entries * 2, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (area == MAP_FAILED ||
		    mmap(area, m->max_entries, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
		    mmap(area + m->max_entries, m->max_entries,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
			 0) == MAP_FAILED) {
			close(fd);
			return -ENOMEM;
		}
		close(fd);
		m->data = area;
		m->data_len = (size_t)m->max_entries * 2;
		m->rb_size = m->max_entries;
		return 0;
	}
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return xdpc_perf_create(m, err, errlen);
	default:
		snprintf(err, errlen, "map %s: map type %u is not supported yet",
			 m->name, m->type);
		return -ENOTSUP;
	}
}

/* Maps whose storage is not elements the program or bpf(2)-style
 * calls may look up: ring buffers, perf event rings. */
static inline bool
no_elems(const struct xdpc_map *m)
{
	return m->type == BPF_MAP_TYPE_RINGBUF ||
	       m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

/* Record header: length with the busy and discard bits, as the kernel's
 * BPF_RINGBUF_BUSY_BIT / DISCARD_BIT; data padded to 8 bytes. */
#define RB_BUSY (1u << 31)
#define RB_DISCARD (1u << 30)
#define RB_HDR 8u

void *
xdpc_ringbuf_reserve(struct xdpc_map *m, uint64_t size)
{
	uint64_t len8 = (size + RB_HDR + 7) & ~7ull;
	uint8_t *rec;
	uint32_t hdr;

	if (size == 0 || size > (1u << 30) || len8 > m->rb_size)
		return NULL;
	pthread_mutex_lock(&m->lock);
	if (m->rb_prod - __atomic_load_n(&m->rb_cons, __ATOMIC_ACQUIRE) + len8 >
	    m->rb_size) {
		pthread_mutex_unlock(&m->lock);
		return NULL;
	}
	rec = m->data + (m->rb_prod & (m->rb_size - 1));
	hdr = (uint32_t)size | RB_BUSY;
	memcpy(rec, &hdr, 4);
	memset(rec + 4, 0, 4);
	m->rb_prod += len8;
	pthread_mutex_unlock(&m->lock);
	return rec + RB_HDR;
}

void
xdpc_ringbuf_commit(void *data, bool discard)
{
	uint32_t *hdr = (uint32_t *)((uint8_t *)data - RB_HDR);
	uint32_t v = __atomic_load_n(hdr, __ATOMIC_RELAXED) & ~RB_BUSY;

	__atomic_store_n(hdr, discard ? v | RB_DISCARD : v, __ATOMIC_RELEASE);
}

int
xdpc_ringbuf_consume(struct xdpc_map *m, xdpc_ringbuf_cb cb, void *ctx)
{
	int n = 0;

	if (m->type != BPF_MAP_TYPE_RINGBUF)
		return -EINVAL;
	for (;;) {
		uint64_t prod = __atomic_load_n(&m->rb_prod, __ATOMIC_ACQUIRE);
		uint8_t *rec;
		uint32_t hdr;

		if (m->rb_cons >= prod)
			break;
		rec = m->data + (m->rb_cons & (m->rb_size - 1));
		hdr = __atomic_load_n((uint32_t *)rec, __ATOMIC_ACQUIRE);
		if (hdr & RB_BUSY)
			break;
		if (!(hdr & RB_DISCARD)) {
			cb(ctx, rec + RB_HDR, hdr & ~(RB_BUSY | RB_DISCARD));
			n++;
		}
		__atomic_store_n(&m->rb_cons, m->rb_cons +
				 (((hdr & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) &
				  ~7ull), __ATOMIC_RELEASE);
	}
	return n;
}

void
xdpc_map_free(struct xdpc_map *m)
{
	if (xdpc_is_ringmap(m->type))
		xdpc_ringmap_free(m); /* then the array below */
	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		xdpc_perf_free(m);
		pthread_mutex_destroy(&m->lock);
		return;
	}
	if (m->type == BPF_MAP_TYPE_RINGBUF && m->data != NULL) {
		munmap(m->data, m->data_len);
		m->data = NULL;
		pthread_mutex_destroy(&m->lock);
		return;
	}
	if (m->hash != NULL) {
		free(m->hash->lru_prev);
		free(m->hash->lru_next);
		free(m->hash->bucket);
		free(m->hash->next);
		free(m->hash->used);
		free(m->hash->lpm_order);
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

/* Longest prefix match: key = { u32 prefixlen; u8 data[] } (network
 * order data). Index + 1 of the best element, 0 if none. */
static int
lpm_cmp(const void *a, const void *b, void *map)
{
	uint32_t pa, pb;

	memcpy(&pa, helem(map, *(const uint32_t *)a), 4);
	memcpy(&pb, helem(map, *(const uint32_t *)b), 4);
	return pa > pb ? -1 : pa < pb;
}

/* under m->lock */
static void
lpm_sort(struct xdpc_map *m)
{
	struct xdpc_hash *h = m->hash;

	if (h->lpm_order == NULL) {
		h->lpm_order = malloc(sizeof(uint32_t) * m->max_entries);
		if (h->lpm_order == NULL)
			return;
	}
	h->lpm_n = 0;
	for (uint32_t i = 0; i < m->max_entries; i++)
		if (h->used[i])
			h->lpm_order[h->lpm_n++] = i;
	qsort_r(h->lpm_order, h->lpm_n, sizeof(uint32_t), lpm_cmp, m);
	h->lpm_dirty = false;
}

/* longest match: the first of the prefixes, longest first, that
 * covers the key (under m->lock) */
static uint32_t
lpm_find(struct xdpc_map *m, const uint8_t *key)
{
	uint32_t want, dlen = m->key_size - 4;
	struct xdpc_hash *h = m->hash;

	if (h->lpm_dirty || h->lpm_order == NULL)
		lpm_sort(m);
	if (h->lpm_order == NULL)
		return 0;
	memcpy(&want, key, 4);
	if (want > dlen * 8)
		want = dlen * 8;
	for (uint32_t n = 0; n < h->lpm_n; n++) {
		uint32_t i = h->lpm_order[n];
		const uint8_t *k = helem(m, i);
		uint32_t plen, b, full;

		uint32_t d;

		memcpy(&plen, k, 4);
		if (plen > want)
			continue;
		full = plen / 8;
		/* a few bytes: a loop beats a call to memcmp here */
		for (d = 0; d < full && k[4 + d] == key[4 + d]; d++)
			;
		if (d < full)
			continue;
		b = plen % 8;
		if (b && ((k[4 + full] ^ key[4 + full]) & (0xff00 >> b) & 0xff))
			continue;
		return i + 1;
	}
	return 0;
}

void *
xdpc_map_lookup_elem(struct xdpc_map *m, const void *key, unsigned int cpu)
{
	uint32_t idx;
	uint8_t *v;

	if (no_elems(m))
		return NULL; /* the kernel's verifier refuses these */
	if (!is_hash(m->type)) {
		memcpy(&idx, key, 4);
		if (idx >= m->max_entries)
			return NULL;
		if (xdpc_is_ringmap(m->type) && xdpc_ringmap_ring(m, idx) == NULL)
			return NULL; /* no socket / no CPU queue there */
		v = m->data + (size_t)idx * vblock(m);
	} else {
		uint32_t e;

		pthread_mutex_lock(&m->lock);
		e = m->type == BPF_MAP_TYPE_LPM_TRIE ? lpm_find(m, key) :
		    hfind(m, key, NULL);
		if (e != 0 && is_lru(m->type)) {
			lru_unlink(m->hash, e);
			lru_push(m->hash, e);
		}
		pthread_mutex_unlock(&m->lock);
		if (e == 0)
			return NULL;
		v = hval(m, e - 1);
	}
	return is_percpu(m->type) ? v + (size_t)(cpu % XDPC_NCPU) * m->vsz8 : v;
}

/* LPM keys that differ only past the prefix are the same entry. */
static const void *
lpm_canon(const struct xdpc_map *m, const void *key, uint8_t *buf)
{
	uint32_t plen, full, b;

	if (m->type != BPF_MAP_TYPE_LPM_TRIE)
		return key;
	memcpy(buf, key, m->key_size);
	memcpy(&plen, buf, 4);
	full = plen / 8;
	b = plen % 8;
	if (4 + full < m->key_size) {
		buf[4 + full] &= (uint8_t)(0xff00 >> b);
		memset(buf + 4 + full + 1, 0, m->key_size - 4 - full - 1);
	}
	return buf;
}

/* Update one element: for per-CPU maps from a program (@cpu set) only
 * that CPU's copy; from the application (@cpu = UINT32_MAX) all copies,
 * laid out as nr_cpus values of vsz8 bytes. */
static long
update(struct xdpc_map *m, const void *key, const void *value, uint64_t flags,
       unsigned int cpu)
{
	uint8_t *v, kbuf[4 + 256];
	uint32_t idx;

	if (flags > BPF_EXIST)
		return -EINVAL;
	key = lpm_canon(m, key, kbuf);
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

		if (m->type == BPF_MAP_TYPE_LPM_TRIE) {
			uint32_t plen;

			memcpy(&plen, key, 4);
			if (plen > (m->key_size - 4) * 8)
				return -EINVAL;
		}
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
			if (h->free_head == 0 && is_lru(m->type) && h->lru_tail) {
				/* full: evict the least recently used */
				uint32_t victim = h->lru_tail, *vl;

				hfind(m, helem(m, victim - 1), &vl);
				*vl = h->next[victim - 1];
				lru_unlink(h, victim);
				h->used[victim - 1] = 0;
				h->lpm_dirty = true;
				h->count--;
				h->next[victim - 1] = h->free_head;
				h->free_head = victim;
				hfind(m, key, &link); /* the chain may have moved */
			}
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
			h->lpm_dirty = true;
			h->count++;
			*link = e;
		}
		if (is_lru(m->type)) {
			if (h->lru_prev[e - 1] || h->lru_head == e)
				lru_unlink(h, e);
			lru_push(h, e);
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
	if (no_elems(m) || xdpc_is_ringmap(m->type))
		return -EINVAL; /* the application's to change */
	return update(m, key, value, flags, cpu);
}

long
xdpc_map_delete_elem(struct xdpc_map *m, const void *key)
{
	if (no_elems(m) || xdpc_is_ringmap(m->type))
		return -EINVAL;
	uint32_t *link, e;
	uint8_t kbuf[4 + 256];

	key = lpm_canon(m, key, kbuf);
	if (!is_hash(m->type))
		return -EINVAL; /* array elements cannot be deleted */
	pthread_mutex_lock(&m->lock);
	e = hfind(m, key, &link);
	if (e == 0) {
		pthread_mutex_unlock(&m->lock);
		return -ENOENT;
	}
	*link = m->hash->next[e - 1];
	if (is_lru(m->type))
		lru_unlink(m->hash, e);
	m->hash->next[e - 1] = m->hash->free_head;
	m->hash->free_head = e;
	m->hash->used[e - 1] = 0;
	m->hash->lpm_dirty = true;
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
	if (m->type == BPF_MAP_TYPE_RINGBUF)
		return true; /* reserved records (the verifier will narrow it) */
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

void
xdpc_map_value_extent(const struct xdpc_map *m, const void *p, uintptr_t *lo,
		      uintptr_t *hi)
{
	size_t off = (size_t)((const uint8_t *)p - m->data), start;

	if (m->max_entries == 1 && !is_percpu(m->type)) {
		/* global data: the whole section */
		*lo = (uintptr_t)m->data;
		*hi = (uintptr_t)m->data + m->data_len;
		return;
	}
	start = off - off % (is_percpu(m->type) ? m->vsz8 : vblock(m));
	*lo = (uintptr_t)m->data + start;
	*hi = *lo + m->value_size;
}

/* ---- application API ---- */

int
xdpc_map_lookup(struct xdpc_map *m, const void *key, void *value)
{
	uint8_t *v;

	if (no_elems(m))
		return -EINVAL;
	if (m->flags & BPF_F_WRONLY)
		return -EPERM; /* the application may not read it */
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

struct xdpc_map *
xdpc_map_inner(struct xdpc_map *outer, const uint32_t *v)
{
	struct xdpc_map *in;

	if (v == NULL || *v == 0 || outer->obj == NULL ||
	    *v > outer->obj->nr_maps)
		return NULL;
	in = &outer->obj->maps[*v - 1];
	/* the kernel checks the inner map against the template when it is
	 * inserted; a map of another shape never gets in */
	if (in->type != outer->inner_type ||
	    in->key_size != outer->inner_key_size ||
	    in->value_size != outer->inner_value_size ||
	    xdpc_is_map_of_maps(in->type))
		return NULL;
	return in;
}

int
xdpc_map_update(struct xdpc_map *m, const void *key, const void *value,
		uint64_t flags)
{
	if (no_elems(m))
		return -EINVAL;
	if (m->readonly || (m->flags & BPF_F_RDONLY))
		return -EPERM;
	if (xdpc_is_ringmap(m->type)) {
		uint32_t k;

		memcpy(&k, key, 4);
		if (flags > BPF_EXIST)
			return -EINVAL;
		return xdpc_ringmap_update(m, k, value);
	}
	if (xdpc_is_map_of_maps(m->type) && xdpc_map_inner(m, value) == NULL)
		return -EINVAL; /* not a map of this object shaped as the
				 * template */
	return (int)update(m, key, value, flags, UINT32_MAX);
}

int
xdpc_map_delete(struct xdpc_map *m, const void *key)
{
	if (m->flags & BPF_F_RDONLY)
		return -EPERM;
	if (xdpc_is_ringmap(m->type)) {
		uint32_t k;

		memcpy(&k, key, 4);
		return xdpc_ringmap_delete(m, k);
	}
	if (m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	    m->type == BPF_MAP_TYPE_PROG_ARRAY) {
		/* fd arrays: deleting empties the slot, as in bpf(2) */
		uint32_t idx, old;

		memcpy(&idx, key, 4);
		if (idx >= m->max_entries)
			return -E2BIG;
		memcpy(&old, m->data + (size_t)idx * m->vsz8, 4);
		__atomic_store_n((uint32_t *)(m->data + (size_t)idx * m->vsz8),
				 0, __ATOMIC_RELEASE);
		return old != 0 ? 0 : -ENOENT;
	}
	return (int)xdpc_map_delete_elem(m, key);
}

int
xdpc_map_get_next_key(struct xdpc_map *m, const void *key, void *next)
{
	uint32_t idx;

	if (m->flags & BPF_F_WRONLY)
		return -EPERM;
	/* a PERF_EVENT_ARRAY's slots iterate as an array's, as in bpf(2) */
	if (m->type == BPF_MAP_TYPE_RINGBUF)
		return -EINVAL;
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
	info->id = m->obj != NULL ? (uint32_t)(m - m->obj->maps) + 1 : 0;
}
