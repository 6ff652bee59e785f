/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool core: pool lifecycle, the owner's refill paths (ring, then
 * provider), recycling from any thread, fragments and provider switch.
 * The inline fast path lives in pagepool.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "pp_internal.h"

RTE_LOG_REGISTER(pp_logtype, lib.pagepool, INFO);

static inline bool
is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

unsigned int
pp_mp_alloc(struct pp_mp *mp, struct pp_page **pages, unsigned int n)
{
	unsigned int got = mp->ops->alloc_bulk(mp, pages, n);

	__atomic_store_n(&mp->hold, mp->hold + got, __ATOMIC_RELAXED);
	return got;
}

void
pp_mp_release(struct pp_mp *mp, struct pp_page **pages, unsigned int n)
{
	mp->ops->release_bulk(mp, pages, n);
	__atomic_fetch_add(&mp->release, n, __ATOMIC_RELEASE);
}

uint64_t
pp_mp_inflight(const struct pp_mp *mp)
{
	uint64_t rel = __atomic_load_n(&mp->release, __ATOMIC_ACQUIRE);

	return __atomic_load_n(&mp->hold, __ATOMIC_RELAXED) - rel;
}

static struct pp_mp *
mp_create(struct pp_pool *pp, const struct pp_provider *prov, const void *arg)
{
	struct pp_mp *mp;

	if (prov == NULL || prov->create == NULL || prov->alloc_bulk == NULL ||
	    prov->release_bulk == NULL || prov->destroy == NULL) {
		PP_LOG(ERR, "%s: provider %s lacks an operation", pp->name,
		       prov && prov->name ? prov->name : "(null)");
		rte_errno = EINVAL;
		return NULL;
	}
	mp = prov->create(pp, arg);
	if (mp == NULL)
		return NULL;
	mp->ops = prov;
	mp->pp = pp;
	mp->page_size = pp->page_size;
	return mp;
}

struct pp_pool *
pp_create(const struct pp_params *p)
{
	struct pp_pool *pp;
	uint32_t page_size, ring_size, frags;
	ssize_t ring_mem;

	if (p == NULL || p->name == NULL || p->name[0] == '\0') {
		PP_LOG(ERR, "create: a name is required");
		rte_errno = EINVAL;
		return NULL;
	}
	if (strlen(p->name) >= sizeof(pp->name) - 4) {
		PP_LOG(ERR, "%s: name longer than %zu characters", p->name,
		       sizeof(pp->name) - 5);
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	page_size = p->page_size ? p->page_size : PP_PAGE_SIZE_DEFAULT;
	if (!is_pow2(page_size) || page_size < PP_PAGE_SIZE_MIN ||
	    page_size > PP_PAGE_SIZE_MAX) {
		PP_LOG(ERR, "%s: page_size %u: must be a power of two in [%u, %u]",
		       p->name, page_size, PP_PAGE_SIZE_MIN, PP_PAGE_SIZE_MAX);
		rte_errno = EINVAL;
		return NULL;
	}
	ring_size = p->ring_size ? p->ring_size : 1024;
	if (ring_size < 2 || ring_size > (1u << 24)) {
		PP_LOG(ERR, "%s: ring_size %u: must be in [2, 16M]", p->name,
		       ring_size);
		rte_errno = EINVAL;
		return NULL;
	}
	frags = p->frags_per_page > 1 ? p->frags_per_page : 1;
	if (page_size % frags || (page_size / frags) % RTE_CACHE_LINE_SIZE) {
		PP_LOG(ERR, "%s: frags_per_page %u: page_size %u must split into "
		       "fragments that are whole cache lines", p->name, frags,
		       page_size);
		rte_errno = EINVAL;
		return NULL;
	}

	pp = aligned_alloc(RTE_CACHE_LINE_SIZE,
			   RTE_ALIGN_CEIL(sizeof(*pp), RTE_CACHE_LINE_SIZE));
	if (pp == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	memset(pp, 0, sizeof(*pp));
	snprintf(pp->name, sizeof(pp->name), "%s", p->name);
	pp->page_size = page_size;
	pp->frags_per_page = frags;
	pp->frag_size = page_size / frags;
	pp->socket_id = p->socket_id;
	pp->pool_size = p->pool_size ? p->pool_size : 1024;
	pp->priv_size = RTE_ALIGN_CEIL(p->priv_size, 8);
	if (pp->priv_size > 16384) {
		PP_LOG(ERR, "%s: priv_size %u: at most 16384", p->name,
		       p->priv_size);
		rte_errno = EINVAL;
		free(pp);
		return NULL;
	}
	rte_spinlock_init(&pp->retired_lock);

	/* The ring lives in plain memory (rte_ring_init), so a pool on the
	 * region provider works before and without EAL. */
	ring_mem = rte_ring_get_memsize(rte_align32pow2(ring_size + 1));
	pp->ring = aligned_alloc(RTE_CACHE_LINE_SIZE,
				 RTE_ALIGN_CEIL(ring_mem, RTE_CACHE_LINE_SIZE));
	if (pp->ring == NULL) {
		rte_errno = ENOMEM;
		goto fail;
	}
	if (rte_ring_init(pp->ring, pp->name, ring_size,
			  RING_F_SC_DEQ | RING_F_EXACT_SZ) != 0) {
		PP_LOG(ERR, "%s: recycle ring init failed", pp->name);
		rte_errno = EINVAL;
		goto fail;
	}

	pp->mp = mp_create(pp, p->provider ? p->provider : &pp_provider_host,
			   p->provider_arg);
	if (pp->mp == NULL)
		goto fail;
	if (pp_registry_add(pp) != 0) {
		int err = rte_errno;

		pp->mp->ops->destroy(pp->mp);
		rte_errno = err;
		goto fail;
	}
	return pp;
fail:
	free(pp->ring);
	free(pp);
	return NULL;
}

void
pp_owner_bind(struct pp_pool *pp)
{
	pp->owner = pthread_self();
	__atomic_store_n(&pp->owner_bound, 1, __ATOMIC_RELEASE);
}

static inline bool
on_owner(const struct pp_pool *pp)
{
	return __atomic_load_n(&pp->owner_bound, __ATOMIC_ACQUIRE) &&
	       pthread_equal(pp->owner, pthread_self());
}

/* Free retired providers whose pages are all back. */
static void
reap_retired(struct pp_pool *pp)
{
	struct pp_mp **pm, *mp;

	rte_spinlock_lock(&pp->retired_lock);
	pm = &pp->retired;
	while ((mp = *pm) != NULL) {
		if (pp_mp_inflight(mp) == 0) {
			*pm = mp->next_retired;
			pp->gone_hold += mp->hold;
			pp->gone_release += mp->release;
			mp->ops->destroy(mp);
		} else {
			pm = &mp->next_retired;
		}
	}
	rte_spinlock_unlock(&pp->retired_lock);
}

/* Owner: move up to PP_REFILL ring pages into the cache. Pages of a
 * retired provider are waived back to it. Returns pages added. */
static unsigned int
refill_from_ring(struct pp_pool *pp)
{
	void *objs[PP_REFILL];
	unsigned int n, i, added = 0;
	unsigned int room = PP_CACHE_SIZE - pp->count;

	do {
		n = rte_ring_sc_dequeue_burst(pp->ring, objs,
					      RTE_MIN(room, PP_REFILL), NULL);
		if (n == 0) {
			if (added == 0)
				pp->alloc.empty++;
			break;
		}
		for (i = 0; i < n; i++) {
			struct pp_page *pg = objs[i];

			if (likely(pg->mp == pp->mp)) {
				pp->cache[pp->count++] = pg;
				added++;
			} else {
				pp->alloc.waive++;
				pp_mp_release(pg->mp, &pg, 1);
			}
		}
		room = PP_CACHE_SIZE - pp->count;
	} while (added == 0 && room != 0);
	if (unlikely(pp->retired != NULL))
		reap_retired(pp);
	return added;
}

static unsigned int
refill_from_provider(struct pp_pool *pp, unsigned int want)
{
	unsigned int room = PP_CACHE_SIZE - pp->count;
	unsigned int n = pp_mp_alloc(pp->mp, &pp->cache[pp->count],
				     RTE_MIN(room, RTE_MAX(want, PP_REFILL)));

	pp->count += n;
	return n;
}

struct pp_page *
pp_alloc_page_slow(struct pp_pool *pp)
{
	if (refill_from_ring(pp) != 0) {
		pp->alloc.refill++;
		return pp->cache[--pp->count];
	}
	if (refill_from_provider(pp, 1) != 0) {
		pp->alloc.slow++;
		if (pp->page_size > 4096)
			pp->alloc.slow_high_order++;
		return pp->cache[--pp->count];
	}
	return NULL;
}

/* Each page handed out is counted once, by where it came from: the cache
 * as the call began (fast), the ring (refill) or the provider (slow). */
unsigned int
pp_alloc_bulk_slow(struct pp_pool *pp, struct pp_page **pages, unsigned int n)
{
	unsigned int got = RTE_MIN(pp->count, n), k;

	pp->count -= got;
	memcpy(pages, &pp->cache[pp->count], got * sizeof(*pages));
	pp->alloc.fast += got;

	while (got < n) {
		k = refill_from_ring(pp);
		if (k != 0) {
			k = RTE_MIN(k, n - got);
			pp->alloc.refill += k;
		} else {
			k = refill_from_provider(pp, n - got);
			if (k == 0)
				break;
			k = RTE_MIN(k, n - got);
			pp->alloc.slow += k;
			if (pp->page_size > 4096)
				pp->alloc.slow_high_order += k;
		}
		pp->count -= k;
		memcpy(&pages[got], &pp->cache[pp->count], k * sizeof(*pages));
		got += k;
	}
	return got;
}

void
pp_recycle_direct_slow(struct pp_pool *pp, struct pp_page *pg)
{
	pp->rc_cache_full++;
	if (rte_ring_mp_enqueue(pp->ring, pg) == 0) {
		pp->rc_ring_owner++;
	} else {
		pp->rc_ring_full_owner++;
		pp_mp_release(pg->mp, &pg, 1);
	}
}

void
pp_recycle_any(struct pp_pool *pp, struct pp_page *pg)
{
	if (unlikely(__atomic_load_n(&pp->destroying, __ATOMIC_ACQUIRE))) {
		pp_mp_release(pg->mp, &pg, 1);
		return;
	}
	if (on_owner(pp)) {
		if (likely(pg->mp == pp->mp)) {
			pp_recycle_direct(pp, pg);
		} else {
			pp->alloc.waive++;
			pp_mp_release(pg->mp, &pg, 1);
			reap_retired(pp);
		}
		return;
	}
	if (likely(rte_ring_mp_enqueue(pp->ring, pg) == 0)) {
		__atomic_fetch_add(&pp->rc_ring_remote, 1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&pp->rc_ring_full_remote, 1,
				   __ATOMIC_RELAXED);
		pp_mp_release(pg->mp, &pg, 1);
	}
}

void
pp_put_page(struct pp_page *pg)
{
	struct pp_pool *pp = pg->pool;

	/* A lone holder needs no atomic: nobody else can touch ref. */
	if (__atomic_load_n(&pg->ref, __ATOMIC_ACQUIRE) != 1) {
		if (__atomic_sub_fetch(&pg->ref, 1, __ATOMIC_ACQ_REL) != 0) {
			__atomic_fetch_add(&pp->rc_released_refcnt, 1,
					   __ATOMIC_RELAXED);
			return;
		}
		__atomic_store_n(&pg->ref, 1, __ATOMIC_RELAXED);
	}
	pp_recycle_any(pp, pg);
}

/* Recycle a run of whole pages of one pool: one ring reservation for the
 * run instead of one per page. */
static void
recycle_run(struct pp_pool *pp, struct pp_page **pages, unsigned int n)
{
	unsigned int done, i;

	if (unlikely(__atomic_load_n(&pp->destroying, __ATOMIC_ACQUIRE))) {
		for (i = 0; i < n; i++)
			pp_recycle_any(pp, pages[i]);
		return;
	}
	if (on_owner(pp)) {
		/* The application freeing on the queue's own lcore: straight
		 * into the alloc cache, unless a page is from a retired
		 * provider. */
		for (i = 0; i < n; i++)
			if (unlikely(pages[i]->mp != pp->mp))
				break;
		if (likely(i == n)) {
			pp_recycle_direct_bulk(pp, pages, n);
			return;
		}
		for (i = 0; i < n; i++)
			pp_recycle_any(pp, pages[i]);
		return;
	}
	done = rte_ring_mp_enqueue_burst(pp->ring, (void **)pages, n, NULL);
	__atomic_fetch_add(&pp->rc_ring_remote, done, __ATOMIC_RELAXED);
	if (unlikely(done < n)) {
		__atomic_fetch_add(&pp->rc_ring_full_remote, n - done,
				   __ATOMIC_RELAXED);
		for (i = done; i < n; i++)
			pp_mp_release(pages[i]->mp, &pages[i], 1);
	}
}

void
pp_put_page_bulk(struct pp_page **pages, unsigned int n)
{
	struct pp_page *run[PP_REFILL];
	struct pp_pool *pp = NULL;
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		struct pp_page *pg = pages[i];

		if (__atomic_load_n(&pg->ref, __ATOMIC_ACQUIRE) != 1) {
			if (__atomic_sub_fetch(&pg->ref, 1,
					       __ATOMIC_ACQ_REL) != 0) {
				__atomic_fetch_add(&pg->pool->rc_released_refcnt,
						   1, __ATOMIC_RELAXED);
				continue;
			}
			__atomic_store_n(&pg->ref, 1, __ATOMIC_RELAXED);
		}
		if (k != 0 && (pg->pool != pp || k == RTE_DIM(run))) {
			recycle_run(pp, run, k);
			k = 0;
		}
		pp = pg->pool;
		run[k++] = pg;
	}
	if (k != 0)
		recycle_run(pp, run, k);
}

void
pp_page_release_bulk(struct pp_page **pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		pp_mp_release(pages[i]->mp, &pages[i], 1);
}

void
pp_page_unref(struct pp_page *pg, uint32_t n)
{
	if (n == 0)
		return;
	/* Holding every reference: nobody else can touch ref. */
	if (__atomic_load_n(&pg->ref, __ATOMIC_ACQUIRE) != n) {
		if (__atomic_sub_fetch(&pg->ref, n, __ATOMIC_ACQ_REL) != 0) {
			__atomic_fetch_add(&pg->pool->rc_released_refcnt, 1,
					   __ATOMIC_RELAXED);
			return;
		}
	}
	__atomic_store_n(&pg->ref, 1, __ATOMIC_RELAXED);
	pp_recycle_any(pg->pool, pg);
}

void
pp_page_ref(struct pp_page *pg, uint32_t n)
{
	__atomic_fetch_add(&pg->ref, n, __ATOMIC_RELAXED);
}

void
pp_page_release(struct pp_page *pg)
{
	pp_mp_release(pg->mp, &pg, 1);
}

struct pp_page *
pp_alloc_frag(struct pp_pool *pp, uint32_t *offset)
{
	struct pp_page *pg = pp->frag_page;

	if (pg != NULL && pp->frag_next < pp->frags_per_page) {
		*offset = pp->frag_next++ * pp->frag_size;
		return pg;
	}
	pg = pp_alloc_page(pp);
	if (unlikely(pg == NULL)) {
		pp->frag_page = NULL;
		return NULL;
	}
	/* Take every fragment's reference up front (the kernel's bias
	 * trick): carving then needs no atomic, only frees do. */
	__atomic_store_n(&pg->ref, pp->frags_per_page, __ATOMIC_RELAXED);
	pp->frag_page = pg;
	pp->frag_next = 1;
	*offset = 0;
	return pg;
}

/* Owner: give back the references of fragments never carved. */
static void
frag_flush(struct pp_pool *pp)
{
	struct pp_page *pg = pp->frag_page;
	uint32_t unused;

	if (pg == NULL)
		return;
	pp->frag_page = NULL;
	unused = pp->frags_per_page - pp->frag_next;
	if (unused == 0)
		return;
	if (__atomic_sub_fetch(&pg->ref, unused, __ATOMIC_ACQ_REL) == 0) {
		__atomic_store_n(&pg->ref, 1, __ATOMIC_RELAXED);
		pp_recycle_any(pp, pg);
	}
}

/* Release every cached and ringed page to its own provider. */
static void
drain_cache_and_ring(struct pp_pool *pp)
{
	void *objs[PP_REFILL];
	unsigned int n, i;

	for (i = 0; i < pp->count; i++)
		pp_mp_release(pp->cache[i]->mp, &pp->cache[i], 1);
	pp->count = 0;
	while ((n = rte_ring_sc_dequeue_burst(pp->ring, objs, PP_REFILL,
					      NULL)) != 0) {
		for (i = 0; i < n; i++) {
			struct pp_page *pg = objs[i];

			pp_mp_release(pg->mp, &pg, 1);
		}
	}
}

int
pp_set_provider(struct pp_pool *pp, const struct pp_provider *prov,
		const void *arg)
{
	struct pp_mp *old = pp->mp, *mp;

	mp = mp_create(pp, prov, arg);
	if (mp == NULL)
		return -rte_errno;
	frag_flush(pp);
	drain_cache_and_ring(pp);
	pp->mp = mp;
	PP_LOG(INFO, "%s: provider %s -> %s, %" PRIu64 " old pages in flight",
	       pp->name, old->ops->name, prov->name, pp_mp_inflight(old));
	rte_spinlock_lock(&pp->retired_lock);
	old->next_retired = pp->retired;
	pp->retired = old;
	rte_spinlock_unlock(&pp->retired_lock);
	reap_retired(pp);
	return 0;
}

int
pp_register_mem(struct pp_pool *pp, pp_mem_reg_t reg, void *ctx)
{
	if (pp->mp->ops->reg_mem == NULL) {
		rte_errno = ENOTSUP;
		return -ENOTSUP;
	}
	return pp->mp->ops->reg_mem(pp->mp, reg, ctx);
}

uint64_t
pp_drain(struct pp_pool *pp)
{
	uint64_t inflight;
	struct pp_mp *mp;

	drain_cache_and_ring(pp);
	reap_retired(pp);
	inflight = pp_mp_inflight(pp->mp);
	rte_spinlock_lock(&pp->retired_lock);
	for (mp = pp->retired; mp != NULL; mp = mp->next_retired)
		inflight += pp_mp_inflight(mp);
	rte_spinlock_unlock(&pp->retired_lock);
	return inflight;
}

void
pp_free(struct pp_pool *pp)
{
	reap_retired(pp);
	pp->mp->ops->destroy(pp->mp);
	free(pp->ring);
	free(pp);
}

uint64_t
pp_destroy(struct pp_pool *pp)
{
	uint64_t inflight;

	if (pp == NULL)
		return 0;
	pp_registry_del(pp);
	__atomic_store_n(&pp->destroying, 1, __ATOMIC_SEQ_CST);
	frag_flush(pp);
	inflight = pp_drain(pp);
	if (inflight == 0) {
		pp_free(pp);
		return 0;
	}
	PP_LOG(WARNING, "%s: destroy deferred, %" PRIu64 " pages in flight",
	       pp->name, inflight);
	if (pp_reaper_add(pp) != 0)
		PP_LOG(ERR, "%s: no reaper thread; pool leaked, never freed "
		       "under its pages", pp->name);
	return inflight;
}

uint32_t
pp_frag_size(const struct pp_pool *pp)
{
	return pp->frag_size;
}

uint32_t
pp_page_size(const struct pp_pool *pp)
{
	return pp->page_size;
}

const char *
pp_name(const struct pp_pool *pp)
{
	return pp->name;
}
