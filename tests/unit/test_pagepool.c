/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool unit tests, without EAL: pools on the region provider over a
 * memfd. Covers the alloc/recycle paths and their counters, the ring from
 * other threads, fragments, provider switch, deferred destroy and the
 * parameter checks.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>

#include <rte_errno.h>

#include "pagepool.h"
#include "mlx5x_test.h"

struct region {
	int fd;
	size_t len;
	struct pp_region r;
};

static void
region_open(struct region *rg, size_t len, uint32_t lkey)
{
	rg->fd = memfd_create("pp-test", 0);
	if (rg->fd < 0 || ftruncate(rg->fd, len) != 0)
		SKIP("memfd_create: %s", strerror(errno));
	rg->len = len;
	rg->r.va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, rg->fd, 0);
	if (rg->r.va == MAP_FAILED)
		SKIP("mmap memfd: %s", strerror(errno));
	rg->r.iova = 0x100000000ull;
	rg->r.len = len;
	rg->r.lkey = lkey;
	rg->r.unreadable = false;
}

static void
region_close(struct region *rg)
{
	munmap(rg->r.va, rg->len);
	close(rg->fd);
}

static struct pp_pool *
mkpool(const char *name, struct region *rg, uint32_t frags)
{
	struct pp_params p = {
		.name = name,
		.page_size = 4096,
		.ring_size = 256,
		.frags_per_page = frags,
		.provider = &pp_provider_region,
		.provider_arg = &rg->r,
	};
	return pp_create(&p);
}

static uint64_t
allocs(const struct pp_stats *st)
{
	return st->alloc.fast + st->alloc.refill + st->alloc.slow;
}

/* Every page once, each inside the region with its metadata; then NULL. */
static void
test_exhaust_and_metadata(void)
{
	struct region rg;
	struct pp_pool *pp;
	struct pp_page *pages[64], *pg;
	uint8_t seen[64] = {0};
	struct pp_stats st;
	unsigned int i;

	region_open(&rg, 64 * 4096, 0x77);
	pp = mkpool("exhaust", &rg, 0);
	CHECK(pp != NULL, "pp_create: %s", rte_strerror(rte_errno));
	if (pp == NULL)
		return;
	for (i = 0; i < 64; i++) {
		pages[i] = pp_alloc_page(pp);
		CHECK(pages[i] != NULL, "page %u", i);
		if (pages[i] == NULL)
			return;
		CHECK(pages[i]->idx < 64, "idx %u", pages[i]->idx);
		CHECK(!seen[pages[i]->idx], "page %u handed out twice",
		      pages[i]->idx);
		seen[pages[i]->idx] = 1;
		CHECK_EQ((char *)pages[i]->addr - (char *)rg.r.va,
			 (uint64_t)pages[i]->idx * 4096);
		CHECK_EQ(pages[i]->iova, rg.r.iova + pages[i]->offset);
		CHECK_EQ(pages[i]->lkey, 0x77);
		/* the device writes the whole page */
		memset(pages[i]->addr, i, 4096);
	}
	pg = pp_alloc_page(pp);
	CHECK(pg == NULL, "allocation past the region's end");
	pp_get_stats(pp, &st);
	CHECK_EQ(allocs(&st), 64);
	CHECK_EQ(st.hold, 64);
	CHECK_EQ(st.inflight, 64);
	CHECK(st.alloc.slow >= 1, "slow path used");
	for (i = 0; i < 64; i++)
		pp_recycle_direct(pp, pages[i]);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.cached, 64);
	CHECK_EQ(st.inflight, 64); /* in the cache still counts */
	CHECK_EQ(pp_destroy(pp), 0);
	region_close(&rg);
}

/* The kernel's accounting: each allocation is fast, refill or slow; each
 * recycle cached, or cache_full then ring (or ring_full). */
static void
test_stats_arithmetic(void)
{
	struct region rg;
	struct pp_pool *pp;
	struct pp_page *pages[200];
	struct pp_stats st;
	unsigned int i, n;
	uint64_t total = 0;

	region_open(&rg, 1024 * 4096, 1);
	pp = mkpool("arith", &rg, 0);
	REQUIRE(pp != NULL, "create");
	for (int round = 0; round < 5; round++) {
		n = pp_alloc_bulk(pp, pages, 200);
		CHECK_EQ(n, 200);
		total += n;
		/* 200 > cache: 128 cached, 72 cache_full -> ring */
		for (i = 0; i < n; i++)
			pp_recycle_direct(pp, pages[i]);
		for (i = 0; i < 37; i++) {
			pages[i] = pp_alloc_page(pp);
			total++;
		}
		pp_recycle_direct_bulk(pp, pages, 37);
	}
	pp_get_stats(pp, &st);
	CHECK_EQ(allocs(&st), total);
	CHECK_EQ(st.recycle.cached + st.recycle.cache_full, total);
	CHECK_EQ(st.recycle.cache_full, st.recycle.ring + st.recycle.ring_full);
	CHECK(st.alloc.refill > 0, "ring refills happened");
	CHECK(st.alloc.slow > 0 && st.alloc.slow_high_order == 0,
	      "slow %" PRIu64 " high %" PRIu64, st.alloc.slow,
	      st.alloc.slow_high_order);
	/* pages never went back to the provider: hold = distinct pages */
	CHECK_EQ(st.release, 0);
	CHECK(st.hold <= 128 + 256 + 200, "hold %" PRIu64, st.hold);
	CHECK_EQ(pp_destroy(pp), 0);
	region_close(&rg);
}

/* A ring smaller than the spill: the excess goes back to the provider and
 * is counted ring_full, and nothing is lost. */
static void
test_ring_full(void)
{
	struct region rg;
	struct pp_params p = { .name = "ringfull", .ring_size = 8,
			       .provider = &pp_provider_region };
	struct pp_pool *pp;
	struct pp_page *pages[160];
	struct pp_stats st;
	unsigned int room;

	region_open(&rg, 256 * 4096, 1);
	p.provider_arg = &rg.r;
	pp = pp_create(&p);
	REQUIRE(pp != NULL, "create");
	CHECK_EQ(pp_alloc_bulk(pp, pages, 160), 160);
	/* bulk refills overshoot, as the kernel's do: some pages stay cached */
	room = PP_CACHE_SIZE - pp->count;
	CHECK(room < 160, "cache room %u", room);
	pp_recycle_direct_bulk(pp, pages, 160);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.cached, room);
	CHECK_EQ(st.recycle.cache_full, 160 - room);
	CHECK_EQ(st.recycle.ring, 8);
	CHECK_EQ(st.recycle.ring_full, 160 - room - 8);
	CHECK_EQ(st.release, 160 - room - 8);
	CHECK_EQ(st.inflight, st.hold - st.release);
	CHECK_EQ(st.inflight, 128 + 8);
	CHECK_EQ(pp_destroy(pp), 0);
	region_close(&rg);
}

struct remote_arg {
	struct pp_page **pages;
	unsigned int n;
};

static void *
remote_free(void *a)
{
	struct remote_arg *ra = a;

	for (unsigned int i = 0; i < ra->n; i++)
		pp_put_page(ra->pages[i]);
	return NULL;
}

/* Pages freed on another thread come back through the ring, and the
 * owner's next refill takes them before the provider. */
static void
test_remote_ring(void)
{
	struct region rg;
	struct pp_pool *pp;
	struct pp_page *pages[100], *again[100];
	struct remote_arg ra = { pages, 100 };
	struct pp_stats st0, st;
	pthread_t t;
	unsigned int i;

	region_open(&rg, 128 * 4096, 1);
	pp = mkpool("remote", &rg, 0);
	REQUIRE(pp != NULL, "create");
	pp_owner_bind(pp);
	CHECK_EQ(pp_alloc_bulk(pp, pages, 100), 100);
	/* empty the cache so the next allocation must refill */
	while (pp->count)
		pp_page_release(pp_alloc_page(pp));
	pp_get_stats(pp, &st0);
	pthread_create(&t, NULL, remote_free, &ra);
	pthread_join(t, NULL);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.ring - st0.recycle.ring, 100);
	CHECK_EQ(st.recycle.cached, st0.recycle.cached);
	CHECK_EQ(pp_alloc_bulk(pp, again, 100), 100);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.alloc.refill - st0.alloc.refill, 100);
	CHECK_EQ(st.alloc.slow, st0.alloc.slow);
	/* On the owner thread, pp_put_page recycles directly. */
	for (i = 0; i < 100; i++)
		pp_put_page(again[i]);
	pp_get_stats(pp, &st0);
	CHECK_EQ(st0.recycle.cached - st.recycle.cached, 100);
	CHECK_EQ(pp_destroy(pp), 0);
	region_close(&rg);
}

/* N fragments per page; the page recycles only with its last fragment. */
static void
test_fragments(void)
{
	struct region rg;
	struct pp_pool *pp;
	struct pp_page *frag[8];
	uint32_t off[8];
	struct pp_stats st0, st;
	unsigned int i;

	region_open(&rg, 16 * 4096, 1);
	pp = mkpool("frags", &rg, 4);
	REQUIRE(pp != NULL, "create");
	CHECK_EQ(pp_frag_size(pp), 1024);
	for (i = 0; i < 8; i++) {
		frag[i] = pp_alloc_frag(pp, &off[i]);
		REQUIRE(frag[i] != NULL, "frag %u", i);
		CHECK_EQ(off[i], (i % 4) * 1024);
	}
	CHECK(frag[0] == frag[3] && frag[4] == frag[7] && frag[0] != frag[4],
	      "4 fragments per page");
	CHECK_EQ(frag[0]->ref, 4);
	pp_get_stats(pp, &st0);
	for (i = 0; i < 3; i++)
		pp_put_page(frag[i]);
	CHECK_EQ(frag[0]->ref, 1);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.released_refcnt - st0.recycle.released_refcnt, 3);
	CHECK_EQ(st.recycle.cached + st.recycle.ring, 0);
	pp_put_page(frag[3]); /* last one: the page goes back */
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.cached + st.recycle.ring, 1);
	/* Fragments freed on another thread, last one too. */
	{
		struct remote_arg ra = { &frag[4], 4 };
		pthread_t t;

		pthread_create(&t, NULL, remote_free, &ra);
		pthread_join(t, NULL);
	}
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.cached + st.recycle.ring, 2);
	/* A partly carved page at destroy gives back its unused references */
	frag[0] = pp_alloc_frag(pp, &off[0]);
	REQUIRE(frag[0] != NULL, "frag");
	pp_put_page(frag[0]);
	CHECK_EQ(pp_destroy(pp), 0);
	region_close(&rg);
}

/* Provider switch: cached pages go back to the old region, new pages come
 * from the new one, and old pages returning later are waived to the old
 * provider, which is freed with its last page. */
static void
test_provider_switch(void)
{
	struct region a, b;
	struct pp_pool *pp;
	struct pp_page *old[10], *pg;
	struct pp_stats st;
	unsigned int i;

	region_open(&a, 32 * 4096, 0xa);
	region_open(&b, 32 * 4096, 0xb);
	pp = mkpool("switch", &a, 0);
	REQUIRE(pp != NULL, "create");
	CHECK_EQ(pp_alloc_bulk(pp, old, 10), 10);
	CHECK_EQ(pp_set_provider(pp, &pp_provider_region, &b.r), 0);
	pg = pp_alloc_page(pp);
	REQUIRE(pg != NULL, "alloc after switch");
	CHECK_EQ(pg->lkey, 0xb);
	CHECK((char *)pg->addr >= (char *)b.r.va &&
	      (char *)pg->addr < (char *)b.r.va + b.len, "page from region b");
	pp_get_stats(pp, &st);
	/* 10 old pages out; region b's 32 held (one out, the rest cached) */
	CHECK_EQ(st.inflight, 10 + 32);
	/* old pages come back through the ring (not the owner) */
	{
		struct remote_arg ra = { old, 10 };
		pthread_t t;

		pthread_create(&t, NULL, remote_free, &ra);
		pthread_join(t, NULL);
	}
	pp_recycle_direct(pp, pg);
	/* drain: allocate everything region b has; old pages get waived */
	{
		struct pp_page *all[40];
		unsigned int n = pp_alloc_bulk(pp, all, 40);

		CHECK_EQ(n, 32);
		for (i = 0; i < n; i++)
			CHECK_EQ(all[i]->lkey, 0xb);
		pp_recycle_direct_bulk(pp, all, n);
	}
	pp_get_stats(pp, &st);
	CHECK_EQ(st.alloc.waive, 10);
	CHECK(pp->retired == NULL, "old provider freed with its last page");
	CHECK_EQ(st.inflight, 32);
	CHECK_EQ(pp_destroy(pp), 0);
	region_close(&a);
	region_close(&b);
}

/* Destroy with pages out defers the release until they are back; the
 * memory stays valid meanwhile. */
static void
test_destroy_inflight(void)
{
	struct region rg;
	struct pp_pool *pp;
	struct pp_page *pages[5];
	unsigned int i;

	region_open(&rg, 16 * 4096, 1);
	pp = mkpool("inflight", &rg, 0);
	REQUIRE(pp != NULL, "create");
	CHECK_EQ(pp_alloc_bulk(pp, pages, 5), 5);
	CHECK_EQ(pp_destroy(pp), 5);
	CHECK_EQ(pp_deferred_count(), 1);
	/* the pool is gone from the registry: the name is free again */
	{
		struct pp_pool *pp2 = mkpool("inflight", &rg, 0);

		CHECK(pp2 == NULL || pp_destroy(pp2) == 0, "reuse of name");
	}
	usleep(100000);
	CHECK_EQ(pp_deferred_count(), 1);
	for (i = 0; i < 5; i++) {
		memset(pages[i]->addr, 0xee, 64); /* still ours to touch */
		pp_put_page(pages[i]);
	}
	for (i = 0; i < 100 && pp_deferred_count(); i++)
		usleep(10000);
	CHECK_EQ(pp_deferred_count(), 0);
	region_close(&rg);
}

static void
test_bad_params(void)
{
	struct region rg;
	struct pp_params p = { .name = "bad", .provider = &pp_provider_region };
	struct pp_pool *pp;

	region_open(&rg, 16 * 4096, 1);
	p.provider_arg = &rg.r;
	p.page_size = 3000;
	CHECK(pp_create(&p) == NULL && rte_errno == EINVAL, "page 3000");
	p.page_size = 1024;
	CHECK(pp_create(&p) == NULL && rte_errno == EINVAL, "page 1 KiB");
	p.page_size = 131072;
	CHECK(pp_create(&p) == NULL && rte_errno == EINVAL, "page 128 KiB");
	p.page_size = 4096;
	p.frags_per_page = 3;
	CHECK(pp_create(&p) == NULL && rte_errno == EINVAL, "3 frags");
	p.frags_per_page = 0;
	p.provider_arg = NULL;
	CHECK(pp_create(&p) == NULL && rte_errno == EINVAL, "no region");
	p.provider_arg = &rg.r;
	p.name = NULL;
	CHECK(pp_create(&p) == NULL && rte_errno == EINVAL, "no name");
	p.name = "dup";
	pp = pp_create(&p);
	CHECK(pp != NULL, "dup 1");
	CHECK(pp_create(&p) == NULL && rte_errno == EEXIST, "dup 2");
	pp_destroy(pp);
	/* the region provider works for the largest pages too */
	region_close(&rg);
	region_open(&rg, 4 * 65536, 1);
	p.provider_arg = &rg.r;
	p.page_size = 65536;
	pp = pp_create(&p);
	CHECK(pp != NULL, "64 KiB pages");
	if (pp != NULL) {
		struct pp_page *pg = pp_alloc_page(pp);
		struct pp_stats st;

		pp_get_stats(pp, &st);
		CHECK_EQ(st.alloc.slow_high_order, 1);
		pp_recycle_direct(pp, pg);
		pp_destroy(pp);
	}
	region_close(&rg);
}

int
main(void)
{
	RUN(test_exhaust_and_metadata);
	RUN(test_stats_arithmetic);
	RUN(test_ring_full);
	RUN(test_remote_ring);
	RUN(test_fragments);
	RUN(test_provider_switch);
	RUN(test_destroy_inflight);
	RUN(test_bad_params);
	return test_report("test_pagepool");
}
