/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The region provider: carves page_size chunks out of an externally
 * registered memory region (a dma-buf, or a memfd standing in for one) for
 * devmem header/payload split. Free chunks sit in a ring in plain memory,
 * so the provider needs no EAL; pages may be flagged unreadable by the CPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "pp_internal.h"

struct pp_region_mp {
	struct pp_mp mp;           /* first: providers embed the header */
	struct pp_region r;
	struct rte_ring *store;
	uint8_t *priv;             /* n x priv_size */
	struct pp_page pages[];
};

static struct pp_mp *
region_create(struct pp_pool *pp, const void *arg)
{
	const struct pp_region *r = arg;
	struct pp_region_mp *rm;
	uint32_t n, i;
	ssize_t ring_mem;
	char name[RTE_RING_NAMESIZE];

	if (r == NULL || r->va == NULL) {
		PP_LOG(ERR, "%s: region provider: no region given", pp->name);
		rte_errno = EINVAL;
		return NULL;
	}
	if (r->len < pp->page_size || r->len / pp->page_size > (1u << 24)) {
		PP_LOG(ERR, "%s: region provider: length %" PRIu64 " holds no "
		       "page of %u B, or more than 16M", pp->name, r->len,
		       pp->page_size);
		rte_errno = EINVAL;
		return NULL;
	}
	if ((uintptr_t)r->va % RTE_CACHE_LINE_SIZE) {
		PP_LOG(ERR, "%s: region provider: address %p not cache-line "
		       "aligned", pp->name, r->va);
		rte_errno = EINVAL;
		return NULL;
	}
	n = r->len / pp->page_size;
	rm = aligned_alloc(RTE_CACHE_LINE_SIZE,
			   RTE_ALIGN_CEIL(sizeof(*rm) + n * sizeof(rm->pages[0]),
					  RTE_CACHE_LINE_SIZE));
	if (rm == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	memset(rm, 0, sizeof(*rm));
	ring_mem = rte_ring_get_memsize(rte_align32pow2(n + 1));
	rm->store = aligned_alloc(RTE_CACHE_LINE_SIZE,
				  RTE_ALIGN_CEIL(ring_mem, RTE_CACHE_LINE_SIZE));
	snprintf(name, sizeof(name), "r%.*s", (int)sizeof(name) - 2,
		 pp->name);
	if (rm->store == NULL ||
	    rte_ring_init(rm->store, name, n, RING_F_EXACT_SZ) != 0) {
		free(rm->store);
		free(rm);
		rte_errno = ENOMEM;
		return NULL;
	}
	if (pp->priv_size != 0) {
		rm->priv = calloc(n, pp->priv_size);
		if (rm->priv == NULL) {
			free(rm->store);
			free(rm);
			rte_errno = ENOMEM;
			return NULL;
		}
	}
	rm->r = *r;
	rm->mp.pp = pp;
	rm->mp.n_pages = n;
	for (i = 0; i < n; i++) {
		struct pp_page *pg = &rm->pages[i];

		pg->addr = (char *)r->va + (uint64_t)i * pp->page_size;
		pg->iova = r->iova + (uint64_t)i * pp->page_size;
		pg->lkey = r->lkey;
		pg->idx = i;
		pg->mp = &rm->mp;
		pg->pool = pp;
		pg->offset = (uint64_t)i * pp->page_size;
		pg->ref = 1;
		pg->flags = r->unreadable ? PP_PAGE_F_UNREADABLE : 0;
		pg->priv = rm->priv ? rm->priv + (size_t)i * pp->priv_size : NULL;
		rte_ring_enqueue(rm->store, pg);
	}
	return &rm->mp;
}

static unsigned int
region_alloc_bulk(struct pp_mp *mp, struct pp_page **pages, unsigned int n)
{
	struct pp_region_mp *rm = (struct pp_region_mp *)mp;

	return rte_ring_dequeue_burst(rm->store, (void **)pages, n, NULL);
}

static void
region_release_bulk(struct pp_mp *mp, struct pp_page **pages, unsigned int n)
{
	struct pp_region_mp *rm = (struct pp_region_mp *)mp;

	rte_ring_enqueue_bulk(rm->store, (void **)pages, n, NULL);
}

static void
region_destroy(struct pp_mp *mp)
{
	struct pp_region_mp *rm = (struct pp_region_mp *)mp;

	free(rm->priv);
	free(rm->store);
	free(rm);
}

static int
region_reg_mem(struct pp_mp *mp, pp_mem_reg_t reg, void *ctx)
{
	struct pp_region_mp *rm = (struct pp_region_mp *)mp;
	uint32_t lkey = reg(ctx, rm->r.va, rm->r.iova, rm->r.len);
	uint32_t i;

	rm->r.lkey = lkey;
	for (i = 0; i < mp->n_pages; i++)
		rm->pages[i].lkey = lkey;
	return 0;
}

const struct pp_provider pp_provider_region = {
	.name = "region",
	.create = region_create,
	.alloc_bulk = region_alloc_bulk,
	.release_bulk = region_release_bulk,
	.destroy = region_destroy,
	.reg_mem = region_reg_mem,
};
