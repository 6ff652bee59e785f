/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host memory provider. Each page is an mbuf object of a private
 * rte_mempool (mbuf header, then struct pp_page in the private area, then
 * page_size bytes of buffer), so a page goes up to the application as its
 * own mbuf with no copy and no second allocation. The mempool runs on the
 * "pagepool" ops: its cache is off, so an application's rte_pktmbuf_free()
 * lands in our enqueue, which routes the page back into its pool (alloc
 * cache on the owner thread, recycle ring elsewhere).
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "pp_internal.h"

/* mbuf private area: struct pp_page, then the user's priv_size bytes. */
#define PP_MBUF_PRIV(pp) RTE_ALIGN_CEIL(sizeof(struct pp_page) + \
					(pp)->priv_size, RTE_CACHE_LINE_SIZE)

struct pp_host {
	struct pp_mp mp;           /* first: providers embed the header */
	struct rte_mempool *mpool;
	struct rte_ring *store;    /* free pages: the mempool's own storage */
	uint32_t ready;            /* populated: enqueues are frees now */
};

static inline struct pp_page *
obj_page(void *obj)
{
	return RTE_PTR_ADD(obj, sizeof(struct rte_mbuf));
}

static int
ops_alloc(struct rte_mempool *mpool)
{
	struct pp_host *h = mpool->pool_config;
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "s%.*s", (int)sizeof(name) - 2,
		 mpool->name);
	h->store = rte_ring_create(name, mpool->size, mpool->socket_id,
				   RING_F_EXACT_SZ);
	if (h->store == NULL)
		return -rte_errno;
	mpool->pool_data = h->store;
	return 0;
}

static void
ops_free(struct rte_mempool *mpool)
{
	rte_ring_free(mpool->pool_data);
}

static int
ops_enqueue(struct rte_mempool *mpool, void * const *objs, unsigned int n)
{
	struct pp_host *h = mpool->pool_config;
	unsigned int i;

	if (unlikely(!__atomic_load_n(&h->ready, __ATOMIC_ACQUIRE))) {
		/* Population: every object starts free in the store. */
		for (i = 0; i < n; i++) {
			struct pp_page *pg = obj_page(objs[i]);

			if (rte_ring_enqueue(h->store, pg) != 0)
				return -ENOBUFS;
		}
		return 0;
	}
	if (n == 1) {
		pp_put_page(obj_page(objs[0]));
		return 0;
	}
	while (n != 0) {
		struct pp_page *pages[PP_REFILL];
		unsigned int k = RTE_MIN(n, PP_REFILL);

		for (i = 0; i < k; i++)
			pages[i] = obj_page(objs[i]);
		pp_put_page_bulk(pages, k);
		objs += k;
		n -= k;
	}
	return 0;
}

/* Pages leave only through pp_alloc_*(), which counts them; an mbuf taken
 * behind the pool's back would corrupt its in-flight accounting. */
static int
ops_dequeue(struct rte_mempool *mpool, void **objs, unsigned int n)
{
	(void)mpool;
	(void)objs;
	(void)n;
	return -ENOBUFS;
}

static unsigned int
ops_get_count(const struct rte_mempool *mpool)
{
	return rte_ring_count(mpool->pool_data);
}

static const struct rte_mempool_ops pp_mempool_ops = {
	.name = "pagepool",
	.alloc = ops_alloc,
	.free = ops_free,
	.enqueue = ops_enqueue,
	.dequeue = ops_dequeue,
	.get_count = ops_get_count,
};
RTE_MEMPOOL_REGISTER_OPS(pp_mempool_ops);

static void
page_init(struct rte_mempool *mpool, void *opaque, void *obj, unsigned int idx)
{
	struct pp_host *h = opaque;
	struct rte_mbuf *m = obj;
	struct pp_page *pg = obj_page(obj);

	rte_pktmbuf_init(mpool, NULL, obj, idx);
	pg->addr = m->buf_addr;
	pg->iova = m->buf_iova;
	pg->lkey = 0;
	pg->idx = idx;
	pg->mp = &h->mp;
	pg->pool = h->mp.pp;
	pg->offset = 0;
	pg->ref = 1;
	pg->flags = PP_PAGE_F_MBUF;
	pg->priv = h->mp.pp->priv_size ? (void *)(pg + 1) : NULL;
}

static struct pp_mp *
host_create(struct pp_pool *pp, const void *arg)
{
	static uint32_t seq;
	struct rte_pktmbuf_pool_private priv = {
		/* buf_len is 16 bits: a 64 KiB page shows 65535 bytes. */
		.mbuf_data_room_size = (uint16_t)RTE_MIN(pp->page_size,
							 (uint32_t)UINT16_MAX),
		.mbuf_priv_size = (uint16_t)PP_MBUF_PRIV(pp),
	};
	char name[RTE_MEMPOOL_NAMESIZE];
	struct pp_host *h;
	int rc;

	(void)arg;
	h = rte_zmalloc_socket("pp_host", sizeof(*h), RTE_CACHE_LINE_SIZE,
			       pp->socket_id);
	if (h == NULL) {
		PP_LOG(ERR, "%s: host provider: no memory (is EAL up?)",
		       pp->name);
		rte_errno = ENOMEM;
		return NULL;
	}
	h->mp.pp = pp;
	h->mp.n_pages = pp->pool_size;
	snprintf(name, sizeof(name), "pp%u",
		 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	h->mpool = rte_mempool_create_empty(name, pp->pool_size,
		sizeof(struct rte_mbuf) + PP_MBUF_PRIV(pp) + pp->page_size, 0,
		sizeof(struct rte_pktmbuf_pool_private), pp->socket_id, 0);
	if (h->mpool == NULL) {
		PP_LOG(ERR, "%s: host provider: mempool of %u x %u B: %s",
		       pp->name, pp->pool_size, pp->page_size,
		       rte_strerror(rte_errno));
		goto fail;
	}
	rc = rte_mempool_set_ops_byname(h->mpool, "pagepool", h);
	if (rc != 0) {
		rte_errno = -rc;
		goto fail;
	}
	rte_pktmbuf_pool_init(h->mpool, &priv);
	rc = rte_mempool_populate_default(h->mpool);
	if (rc < 0 || (unsigned int)rc < pp->pool_size) {
		PP_LOG(ERR, "%s: host provider: populate %u pages: %s",
		       pp->name, pp->pool_size,
		       rte_strerror(rc < 0 ? -rc : ENOMEM));
		rte_errno = rc < 0 ? -rc : ENOMEM;
		goto fail;
	}
	rte_mempool_obj_iter(h->mpool, page_init, h);
	__atomic_store_n(&h->ready, 1, __ATOMIC_RELEASE);
	return &h->mp;
fail:
	rte_mempool_free(h->mpool);
	rte_free(h);
	return NULL;
}

static unsigned int
host_alloc_bulk(struct pp_mp *mp, struct pp_page **pages, unsigned int n)
{
	struct pp_host *h = (struct pp_host *)mp;

	return rte_ring_dequeue_burst(h->store, (void **)pages, n, NULL);
}

static void
host_release_bulk(struct pp_mp *mp, struct pp_page **pages, unsigned int n)
{
	struct pp_host *h = (struct pp_host *)mp;

	/* The store holds every page, so this cannot overflow. */
	rte_ring_enqueue_bulk(h->store, (void **)pages, n, NULL);
}

static void
host_destroy(struct pp_mp *mp)
{
	struct pp_host *h = (struct pp_host *)mp;

	rte_mempool_free(h->mpool);
	rte_free(h);
}

struct reg_chunk {
	void *addr;
	size_t len;
	uint32_t lkey;
};

struct reg_ctx {
	pp_mem_reg_t reg;
	void *ctx;
	struct reg_chunk chunks[256];
	unsigned int n;
	int err;
};

static void
reg_chunk_cb(struct rte_mempool *mpool, void *opaque,
	     struct rte_mempool_memhdr *memhdr, unsigned int idx)
{
	struct reg_ctx *rc = opaque;

	(void)mpool;
	(void)idx;
	if (rc->n == RTE_DIM(rc->chunks)) {
		rc->err = E2BIG;
		return;
	}
	rc->chunks[rc->n].addr = memhdr->addr;
	rc->chunks[rc->n].len = memhdr->len;
	rc->chunks[rc->n].lkey = rc->reg(rc->ctx, memhdr->addr, memhdr->iova,
					 memhdr->len);
	rc->n++;
}

static void
reg_page_cb(struct rte_mempool *mpool, void *opaque, void *obj,
	    unsigned int idx)
{
	struct reg_ctx *rc = opaque;
	struct pp_page *pg = obj_page(obj);
	unsigned int i;

	(void)mpool;
	(void)idx;
	for (i = 0; i < rc->n; i++) {
		char *a = rc->chunks[i].addr;

		if ((char *)obj >= a && (char *)obj < a + rc->chunks[i].len) {
			pg->lkey = rc->chunks[i].lkey;
			return;
		}
	}
	rc->err = ENOENT;
}

static int
host_reg_mem(struct pp_mp *mp, pp_mem_reg_t reg, void *ctx)
{
	struct pp_host *h = (struct pp_host *)mp;
	struct reg_ctx *rc = calloc(1, sizeof(*rc));
	int err;

	if (rc == NULL)
		return -ENOMEM;
	rc->reg = reg;
	rc->ctx = ctx;
	rte_mempool_mem_iter(h->mpool, reg_chunk_cb, rc);
	if (rc->err == 0)
		rte_mempool_obj_iter(h->mpool, reg_page_cb, rc);
	err = rc->err;
	free(rc);
	if (err != 0)
		PP_LOG(ERR, "%s: registering host memory: %s", mp->pp->name,
		       strerror(err));
	return -err;
}

const struct pp_provider pp_provider_host = {
	.name = "host",
	.create = host_create,
	.alloc_bulk = host_alloc_bulk,
	.release_bulk = host_release_bulk,
	.destroy = host_destroy,
	.reg_mem = host_reg_mem,
};
