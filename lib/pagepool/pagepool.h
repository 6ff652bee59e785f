/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool: per-RX-queue page recycling with the Linux page_pool model.
 *
 * A pool belongs to one RX queue and one owner thread. It hands out fixed
 * size buffers ("pages") from a memory provider: host memory from an
 * rte_mempool (default), or chunks of an externally registered region
 * (devmem). The owner allocates and recycles through a 128-entry LIFO
 * cache with no atomics; pages freed anywhere else come back through a
 * multi-producer recycle ring that refill drains before it asks the
 * provider. See doc/pagepool.md.
 *
 * Threading contract:
 *  - pp_alloc_*(), pp_recycle_direct*(), pp_alloc_frag() and
 *    pp_set_provider() run on the owner thread only.
 *  - pp_put_page(), pp_frag_put() and freeing an mbuf built on a page are
 *    safe from any thread.
 */
#ifndef PAGEPOOL_H
#define PAGEPOOL_H

#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <pthread.h>

#include <rte_common.h>
#include <rte_branch_prediction.h>
#include <rte_memory.h>
#include <rte_spinlock.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Entries in the owner's alloc cache (the kernel's PP_ALLOC_CACHE_SIZE). */
#define PP_CACHE_SIZE 128u
/** Pages moved per refill from the ring or the provider. */
#define PP_REFILL 64u

#define PP_PAGE_SIZE_MIN 2048u
#define PP_PAGE_SIZE_MAX 65536u
#define PP_PAGE_SIZE_DEFAULT 4096u

/** Page flags. */
#define PP_PAGE_F_UNREADABLE 0x1 /**< CPU must not read (device memory). */
#define PP_PAGE_F_MBUF 0x2       /**< The page is its own rte_mbuf (host). */

struct pp_pool;
struct pp_mp;

/**
 * One buffer handed out by a pool. Carries what the device needs to DMA
 * into it (iova, lkey) so the driver needs no lookup per packet.
 * Fields are read-only for users.
 */
struct pp_page {
	void *addr;          /**< CPU address of the buffer (page_size bytes). */
	rte_iova_t iova;     /**< Device address of addr. */
	uint32_t lkey;       /**< Registration key of the memory it lives in. */
	uint32_t idx;        /**< Index within its provider instance. */
	struct pp_mp *mp;    /**< Provider instance the page belongs to. */
	struct pp_pool *pool;/**< Owning pool. */
	uint64_t offset;     /**< Offset within the provider's memory. */
	uint32_t ref;        /**< References (fragments); 1 when whole. */
	uint16_t flags;      /**< PP_PAGE_F_*. */
	uint16_t rsvd;
	void *priv;          /**< params.priv_size bytes for the user, or NULL. */
};

/** Counters, with the kernel's page_pool names. */
struct pp_alloc_stats {
	uint64_t fast;            /**< Served from the alloc cache. */
	uint64_t slow;            /**< Served by a provider refill. */
	uint64_t slow_high_order; /**< Slow allocations of pages > 4 KiB. */
	uint64_t empty;           /**< Refills that found the ring empty. */
	uint64_t refill;          /**< Served by a refill from the ring. */
	uint64_t waive;           /**< Ring pages of a retired provider, released. */
};

struct pp_recycle_stats {
	uint64_t cached;          /**< Direct recycles into the alloc cache. */
	uint64_t cache_full;      /**< Direct recycles that found it full. */
	uint64_t ring;            /**< Pages put into the recycle ring. */
	uint64_t ring_full;       /**< Ring full: released to the provider. */
	uint64_t released_refcnt; /**< Puts that left other references alive. */
};

struct pp_stats {
	struct pp_alloc_stats alloc;
	struct pp_recycle_stats recycle;
	uint64_t hold;     /**< Pages taken from providers. */
	uint64_t release;  /**< Pages given back to providers. */
	uint64_t inflight; /**< hold - release: cache, ring, device, application. */
};

/** A memory provider: where pages come from and go back to. */
struct pp_provider {
	const char *name;
	/** Create an instance for @p pp; returns NULL and sets rte_errno. */
	struct pp_mp *(*create)(struct pp_pool *pp, const void *arg);
	/** Take up to @p n free pages. */
	unsigned int (*alloc_bulk)(struct pp_mp *mp, struct pp_page **pages,
				   unsigned int n);
	/** Give pages back; any thread. */
	void (*release_bulk)(struct pp_mp *mp, struct pp_page **pages,
			     unsigned int n);
	/** Free the instance; called once every page is back. */
	void (*destroy)(struct pp_mp *mp);
	/** Stamp each page's lkey: call @p reg per contiguous chunk. */
	int (*reg_mem)(struct pp_mp *mp,
		       uint32_t (*reg)(void *ctx, void *addr, rte_iova_t iova,
				       size_t len),
		       void *ctx);
};

/** Provider instance header; providers embed it first in their state. */
struct pp_mp {
	const struct pp_provider *ops;
	struct pp_pool *pp;
	uint32_t page_size;
	uint32_t n_pages;
	uint64_t hold;                 /**< Pages taken; owner-written. */
	struct pp_mp *next_retired;    /**< Pool's list of retired instances. */
	_Alignas(RTE_CACHE_LINE_SIZE)
	uint64_t release;              /**< Pages given back; atomic. */
};

/** The host provider: pages are mbuf objects of a private rte_mempool. */
extern const struct pp_provider pp_provider_host;
/** The region provider: pages are chunks of a registered memory region. */
extern const struct pp_provider pp_provider_region;

/** Argument of pp_provider_region. */
struct pp_region {
	void *va;          /**< Mapping of the region (the device writes here). */
	rte_iova_t iova;   /**< Device address of va. */
	uint64_t len;      /**< Bytes; the usable part is a multiple of page_size. */
	uint32_t lkey;     /**< Registration key of the region. */
	bool unreadable;   /**< Mark pages PP_PAGE_F_UNREADABLE. */
};

struct pp_params {
	const char *name;     /**< Unique, for logs and telemetry. */
	uint32_t page_size;   /**< Power of two, 2 KiB..64 KiB; 0 = 4 KiB. */
	uint32_t pool_size;   /**< Pages of the host provider; 0 = 1024. */
	uint32_t ring_size;   /**< Recycle ring; power of two; 0 = 1024. */
	uint32_t frags_per_page; /**< Fragment mode: N fragments; 0/1 = off. */
	int socket_id;        /**< NUMA socket; SOCKET_ID_ANY allowed. */
	uint32_t priv_size;   /**< Per-page user area (pp_page.priv), bytes. */
	const struct pp_provider *provider; /**< NULL = pp_provider_host. */
	const void *provider_arg;
};

/**
 * The pool. Its layout is visible only so the fast path can inline; use
 * the functions.
 */
struct pp_pool {
	/* Owner-only, hot. */
	uint32_t count;
	uint32_t page_size;
	struct pp_mp *mp;
	struct pp_alloc_stats alloc;
	uint64_t rc_cached;
	uint64_t rc_cache_full;
	uint64_t rc_ring_owner;
	uint64_t rc_ring_full_owner;
	struct pp_page *cache[PP_CACHE_SIZE];

	/* Owner-only, fragment mode. */
	struct pp_page *frag_page;
	uint32_t frag_next;
	uint32_t frags_per_page;
	uint32_t frag_size;

	/* Read-mostly. */
	_Alignas(RTE_CACHE_LINE_SIZE)
	struct rte_ring *ring;
	pthread_t owner;
	uint32_t owner_bound;
	uint32_t destroying;
	int socket_id;
	uint32_t pool_size;
	uint32_t priv_size;
	char name[32];

	/* Written by any thread with atomics. */
	_Alignas(RTE_CACHE_LINE_SIZE)
	uint64_t rc_ring_remote;
	uint64_t rc_ring_full_remote;
	uint64_t rc_released_refcnt;

	/* Control path. */
	rte_spinlock_t retired_lock;
	struct pp_mp *retired;     /**< Switched-away providers with pages out. */
	uint64_t gone_hold;        /**< hold/release of freed retired providers. */
	uint64_t gone_release;
	struct pp_pool *next_dying;
	uint64_t dying_since;      /**< Deferred destroy: start, in seconds. */
	uint64_t warned_at;        /**< Deferred destroy: last stall warning. */
};

/** Create a pool. Returns NULL and sets rte_errno (EINVAL, ENOMEM, EEXIST). */
struct pp_pool *pp_create(const struct pp_params *params);

/**
 * Destroy a pool. Pages still in flight keep it alive: release is deferred
 * until they come back (logged like page_pool_release_retry), and memory
 * a page points to is never freed before. Returns the number of pages in
 * flight at the call (0: freed now).
 */
uint64_t pp_destroy(struct pp_pool *pp);

/** Is the calling thread the pool's owner? (One register read.) */
static inline bool
pp_is_owner(const struct pp_pool *pp)
{
	return pp->owner_bound && pthread_equal(pp->owner, pthread_self());
}

/** Pools destroyed with pages in flight and not yet released. */
int pp_deferred_count(void);

/**
 * Release now, in the calling thread, every deferred pool whose pages
 * are all back (the reaper thread would within 20 ms). A driver calls it
 * when closing a port, whose queues may have held another port's pages,
 * so the release is done before the application goes on to
 * rte_eal_cleanup. Returns the pools still deferred.
 */
int pp_reap(void);

/** Make the calling thread the pool's owner (direct recycling on frees). */
void pp_owner_bind(struct pp_pool *pp);

/**
 * Switch the memory provider (owner thread, with the queue stopped). Cached
 * and ringed pages go back to the old provider; its pages still out are
 * waived back to it as they return, and it is freed with the last one.
 */
int pp_set_provider(struct pp_pool *pp, const struct pp_provider *prov,
		    const void *arg);

/** Assign the lkey of each page: @p reg is called per contiguous chunk. */
typedef uint32_t (*pp_mem_reg_t)(void *ctx, void *addr, rte_iova_t iova,
				 size_t len);
int pp_register_mem(struct pp_pool *pp, pp_mem_reg_t reg, void *ctx);

/* Slow paths, out of line. */
struct pp_page *pp_alloc_page_slow(struct pp_pool *pp);
unsigned int pp_alloc_bulk_slow(struct pp_pool *pp, struct pp_page **pages,
				unsigned int n);
void pp_recycle_direct_slow(struct pp_pool *pp, struct pp_page *pg);

/** Owner: one page, or NULL when the provider is exhausted. */
static inline struct pp_page *
pp_alloc_page(struct pp_pool *pp)
{
	if (likely(pp->count != 0)) {
		pp->alloc.fast++;
		return pp->cache[--pp->count];
	}
	return pp_alloc_page_slow(pp);
}

/** Owner: up to @p n pages (fewer only when the provider is exhausted). */
static inline unsigned int
pp_alloc_bulk(struct pp_pool *pp, struct pp_page **pages, unsigned int n)
{
	if (likely(pp->count >= n)) {
		pp->count -= n;
		memcpy(pages, &pp->cache[pp->count], n * sizeof(*pages));
		pp->alloc.fast += n;
		return n;
	}
	return pp_alloc_bulk_slow(pp, pages, n);
}

/**
 * Owner: recycle a page the caller holds alone (XDP_DROP, TX completion,
 * a buffer never posted) straight into the alloc cache.
 */
static inline void
pp_recycle_direct(struct pp_pool *pp, struct pp_page *pg)
{
	if (likely(pp->count < PP_CACHE_SIZE)) {
		pp->rc_cached++;
		pp->cache[pp->count++] = pg;
		return;
	}
	pp_recycle_direct_slow(pp, pg);
}

/** Owner: bulk form of pp_recycle_direct(). */
static inline void
pp_recycle_direct_bulk(struct pp_pool *pp, struct pp_page **pages,
		       unsigned int n)
{
	if (likely(pp->count + n <= PP_CACHE_SIZE)) {
		memcpy(&pp->cache[pp->count], pages, n * sizeof(*pages));
		pp->count += n;
		pp->rc_cached += n;
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		pp_recycle_direct(pp, pages[i]);
}

/**
 * Any thread: drop one reference. The last one recycles the page: into the
 * cache on the owner thread, through the ring elsewhere.
 */
void pp_put_page(struct pp_page *pg);

/** Any thread: pp_put_page() for a burst; one ring operation per pool. */
void pp_put_page_bulk(struct pp_page **pages, unsigned int n);

/** Any thread: drop @p n references at once (unused fragments). */
void pp_page_unref(struct pp_page *pg, uint32_t n);

/** Any thread: take one more reference (e.g. a packet sent twice). */
void pp_page_ref(struct pp_page *pg, uint32_t n);

/**
 * Owner: give a page straight back to its provider, bypassing recycling
 * (the kernel's page_pool_release_page).
 */
void pp_page_release(struct pp_page *pg);
void pp_page_release_bulk(struct pp_page **pages, unsigned int n);

/**
 * Owner, fragment mode: one fragment of frag_size bytes. Returns its page
 * and sets @p offset; the fragment goes back with pp_put_page(page).
 */
struct pp_page *pp_alloc_frag(struct pp_pool *pp, uint32_t *offset);

/** Fragment size in fragment mode, else the page size. */
uint32_t pp_frag_size(const struct pp_pool *pp);
uint32_t pp_page_size(const struct pp_pool *pp);
const char *pp_name(const struct pp_pool *pp);

/**
 * Owner, or any thread while the owner is quiescent (a stopped queue):
 * give every page in the alloc cache and the recycle ring back to its
 * provider. Returns the pages still out (device, application), which is
 * what the inflight counter then shows.
 */
uint64_t pp_drain(struct pp_pool *pp);

/** Snapshot of the counters; safe from any thread. */
void pp_get_stats(const struct pp_pool *pp, struct pp_stats *st);

/**
 * Counters as a flat list, in the order of their names (for a PMD's
 * xstats). Both return the number of counters; pass NULL to size.
 */
int pp_stats_names(const char **names, unsigned int n);
int pp_stats_values(const struct pp_pool *pp, uint64_t *vals, unsigned int n);

/* The host provider lays pages out as [rte_mbuf][pp_page][buffer]; the
 * mbuf header is 2 cache lines in every DPDK build. */
#define PP_MBUF_HDR_SIZE 128u

/** Host provider pages are mbufs: the page's own rte_mbuf, else NULL. */
static inline struct rte_mbuf *
pp_page_mbuf(struct pp_page *pg)
{
	if (unlikely(!(pg->flags & PP_PAGE_F_MBUF)))
		return NULL;
	return (struct rte_mbuf *)((char *)pg - PP_MBUF_HDR_SIZE);
}

/** Inverse of pp_page_mbuf(). */
static inline struct pp_page *
pp_mbuf_page(struct rte_mbuf *m)
{
	return (struct pp_page *)((char *)m + PP_MBUF_HDR_SIZE);
}

/**
 * Attach a page (or fragment) to @p m as an external buffer that returns
 * to the pool, from any thread, when the last mbuf referring to it is
 * freed. @p shinfo must stay valid as long as the page is out; the
 * fragment's tail is a good place (see pp_extbuf_shinfo_size()).
 */
struct rte_mbuf_ext_shared_info;
void pp_attach_extbuf(struct rte_mbuf *m, struct pp_page *pg,
		      uint32_t offset, uint16_t len,
		      struct rte_mbuf_ext_shared_info *shinfo);

#ifdef __cplusplus
}
#endif
#endif /* PAGEPOOL_H */
