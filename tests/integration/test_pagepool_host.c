/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool on EAL with the host provider: pages as mbufs returning from
 * any lcore, fragments as external buffers, a multi-lcore stress checked
 * against a page bitmap, provider switch host <-> region, registration of
 * lkeys, and destroy with mbufs still held by the application.
 */
#include <errno.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_random.h>
#include <rte_ring.h>

#include "pagepool.h"
#include "mlx5x_test.h"

#define NPAGES 1024u

static struct pp_pool *
mkhost(const char *name, uint32_t pool_size, uint32_t frags)
{
	struct pp_params p = {
		.name = name,
		.pool_size = pool_size,
		.frags_per_page = frags,
		.socket_id = SOCKET_ID_ANY,
	};
	struct pp_pool *pp = pp_create(&p);

	CHECK(pp != NULL, "pp_create %s: %s", name, rte_strerror(rte_errno));
	return pp;
}

static int
free_mbufs_remote(void *arg)
{
	struct rte_ring *r = arg;
	void *m;

	while (rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
	return 0;
}

/* A page is its own mbuf; freeing it on the owner recycles it into the
 * cache, freeing it on another lcore sends it through the ring. */
static void
test_page_mbuf(void)
{
	struct pp_pool *pp = mkhost("mbuf", 256, 0);
	struct rte_ring *handoff;
	struct pp_stats st0, st;
	struct pp_page *pg;
	struct rte_mbuf *m;
	unsigned int i;

	if (pp == NULL)
		return;
	pp_owner_bind(pp);
	pg = pp_alloc_page(pp);
	REQUIRE(pg != NULL, "alloc");
	m = pp_page_mbuf(pg);
	REQUIRE(m != NULL, "host pages are mbufs");
	CHECK(m->buf_addr == pg->addr, "mbuf buffer is the page");
	CHECK_EQ(m->buf_iova, pg->iova);
	CHECK_EQ(m->buf_len, 4096);
	CHECK(pp_mbuf_page(m) == pg, "inverse mapping");
	rte_pktmbuf_reset(m);
	CHECK(rte_pktmbuf_append(m, 1500) != NULL, "append");
	pp_get_stats(pp, &st0);
	rte_pktmbuf_free(m);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.cached - st0.recycle.cached, 1);

	handoff = rte_ring_create("handoff", 256, SOCKET_ID_ANY, 0);
	REQUIRE(handoff != NULL, "ring");
	for (i = 0; i < 100; i++) {
		pg = pp_alloc_page(pp);
		REQUIRE(pg != NULL, "alloc %u", i);
		m = pp_page_mbuf(pg);
		rte_pktmbuf_reset(m);
		rte_ring_enqueue(handoff, m);
	}
	pp_get_stats(pp, &st0);
	rte_eal_remote_launch(free_mbufs_remote, handoff, 1);
	rte_eal_wait_lcore(1);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.ring - st0.recycle.ring, 100);
	CHECK_EQ(st.recycle.cached, st0.recycle.cached);
	CHECK_EQ(st.inflight, st.hold - st.release);
	rte_ring_free(handoff);
	CHECK_EQ(pp_destroy(pp), 0);
}

static struct rte_mbuf_ext_shared_info shinfo[64];

/* Fragments go up as external buffers; the page recycles when the last
 * mbuf that points into it is freed, on whatever lcore. */
static void
test_frag_extbuf(void)
{
	struct pp_pool *pp = mkhost("fragx", 64, 2);
	struct rte_mempool *hdr;
	struct rte_ring *handoff;
	struct pp_stats st0, st;
	struct pp_page *pg[4];
	uint32_t off;
	unsigned int i;

	if (pp == NULL)
		return;
	pp_owner_bind(pp);
	hdr = rte_pktmbuf_pool_create("fragx_hdr", 255, 0, 0, 0, SOCKET_ID_ANY);
	handoff = rte_ring_create("handoff2", 64, SOCKET_ID_ANY, 0);
	REQUIRE(hdr != NULL && handoff != NULL, "pools");
	for (i = 0; i < 4; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(hdr);

		pg[i] = pp_alloc_frag(pp, &off);
		REQUIRE(pg[i] != NULL && m != NULL, "frag %u", i);
		CHECK_EQ(off, (i % 2) * 2048);
		pp_attach_extbuf(m, pg[i], off, 2048, &shinfo[i]);
		CHECK(rte_pktmbuf_mtod(m, char *) ==
		      (char *)pg[i]->addr + off, "data points into fragment");
		m->data_len = m->pkt_len = 100;
		rte_ring_enqueue(handoff, m);
	}
	CHECK(pg[0] == pg[1] && pg[2] == pg[3] && pg[0] != pg[2], "pairs");
	pp_get_stats(pp, &st0);
	rte_eal_remote_launch(free_mbufs_remote, handoff, 1);
	rte_eal_wait_lcore(1);
	pp_get_stats(pp, &st);
	CHECK_EQ(st.recycle.ring - st0.recycle.ring, 2);
	CHECK_EQ(st.recycle.released_refcnt - st0.recycle.released_refcnt, 2);
	CHECK_EQ(rte_mempool_in_use_count(hdr), 0);
	rte_ring_free(handoff);
	rte_mempool_free(hdr);
	CHECK_EQ(pp_destroy(pp), 0);
}

/* Stress: the owner hands pages to three lcores that free them in random
 * ways and batch sizes while it keeps allocating and recycling. A bitmap
 * of pages out catches any page handed out twice; the counts at the end
 * catch any page lost. */
static struct {
	struct pp_pool *pp;
	struct rte_ring *to[4];
	uint8_t out[NPAGES];
	uint64_t freed[4];
	volatile int stop;
	int errors;
} S;

static int
stress_worker(void *arg)
{
	unsigned int id = (uintptr_t)arg;
	void *objs[32];
	unsigned int n, i;

	for (;;) {
		n = rte_ring_sc_dequeue_burst(S.to[id], objs,
					      1 + rte_rand_max(32), NULL);
		if (n == 0) {
			if (S.stop && rte_ring_empty(S.to[id]))
				break;
			continue;
		}
		for (i = 0; i < n; i++) {
			struct pp_page *pg = objs[i];

			if (!__atomic_exchange_n(&S.out[pg->idx], 0,
						 __ATOMIC_ACQ_REL))
				__atomic_fetch_add(&S.errors, 1,
						   __ATOMIC_RELAXED);
			if (rte_rand() & 1)
				pp_put_page(pg);
			else
				rte_pktmbuf_free(pp_page_mbuf(pg));
		}
		S.freed[id] += n;
	}
	return 0;
}

static void
test_stress(unsigned int rounds)
{
	struct pp_page *pages[64];
	struct pp_stats st;
	uint64_t allocated = 0, owner_freed = 0;
	unsigned int lc, w, i, n;
	char name[32];

	memset(&S, 0, sizeof(S));
	S.pp = mkhost("stress", NPAGES, 0);
	if (S.pp == NULL)
		return;
	pp_owner_bind(S.pp);
	for (w = 1; w < 4; w++) {
		snprintf(name, sizeof(name), "stress%u", w);
		S.to[w] = rte_ring_create(name, 256, SOCKET_ID_ANY,
					  RING_F_SP_ENQ | RING_F_SC_DEQ);
		REQUIRE(S.to[w] != NULL, "ring");
	}
	w = 1;
	RTE_LCORE_FOREACH_WORKER(lc)
		rte_eal_remote_launch(stress_worker, (void *)(uintptr_t)w++, lc);

	for (unsigned int r = 0; r < rounds; r++) {
		unsigned int want = 1 + rte_rand_max(64);

		n = rte_rand() & 1 ? pp_alloc_bulk(S.pp, pages, want) : 0;
		if (n == 0)
			for (; n < want; n++)
				if ((pages[n] = pp_alloc_page(S.pp)) == NULL)
					break;
		allocated += n;
		for (i = 0; i < n; i++) {
			if (__atomic_exchange_n(&S.out[pages[i]->idx], 1,
						__ATOMIC_ACQ_REL))
				S.errors++; /* handed out twice */
		}
		for (i = 0; i < n; i++) {
			unsigned int dst = rte_rand_max(5);

			if (dst >= 1 && dst <= 3 &&
			    rte_ring_sp_enqueue(S.to[dst], pages[i]) == 0)
				continue;
			/* the owner frees this one itself */
			__atomic_store_n(&S.out[pages[i]->idx], 0,
					 __ATOMIC_RELEASE);
			owner_freed++;
			if (dst == 0)
				pp_recycle_direct(S.pp, pages[i]);
			else
				rte_pktmbuf_free(pp_page_mbuf(pages[i]));
		}
	}
	S.stop = 1;
	rte_eal_mp_wait_lcore();
	CHECK_EQ(S.errors, 0);
	CHECK_EQ(owner_freed + S.freed[1] + S.freed[2] + S.freed[3], allocated);
	pp_get_stats(S.pp, &st);
	CHECK_EQ(st.alloc.fast + st.alloc.refill + st.alloc.slow, allocated);
	CHECK(st.recycle.ring > 0 && st.alloc.refill > 0, "ring used");
	CHECK(st.hold <= NPAGES, "hold %" PRIu64, st.hold);
	for (i = 0; i < NPAGES; i++)
		CHECK(S.out[i] == 0, "page %u still out", i);
	printf("stress: %" PRIu64 " pages, fast %" PRIu64 " refill %" PRIu64
	       " slow %" PRIu64 " ring %" PRIu64 " ring_full %" PRIu64 "\n",
	       allocated, st.alloc.fast, st.alloc.refill, st.alloc.slow,
	       st.recycle.ring, st.recycle.ring_full);
	/* Nothing lost: every page is back in cache, ring or provider. */
	CHECK_EQ(pp_destroy(S.pp), 0);
	for (w = 1; w < 4; w++)
		rte_ring_free(S.to[w]);
}

static uint32_t
reg_cb(void *ctx, void *addr, rte_iova_t iova, size_t len)
{
	unsigned int *n = ctx;

	(void)addr;
	(void)iova;
	(void)len;
	return 0x1000 + (*n)++;
}

static void
test_register_and_switch(void)
{
	struct pp_pool *pp = mkhost("switchh", 128, 0);
	struct pp_page *host_pg[8], *pg;
	struct pp_region r;
	struct pp_stats st;
	unsigned int nreg = 0, i;
	void *va;

	if (pp == NULL)
		return;
	pp_owner_bind(pp);
	CHECK_EQ(pp_register_mem(pp, reg_cb, &nreg), 0);
	CHECK(nreg >= 1, "at least one chunk");
	CHECK_EQ(pp_alloc_bulk(pp, host_pg, 8), 8);
	for (i = 0; i < 8; i++)
		CHECK(host_pg[i]->lkey >= 0x1000 && host_pg[i]->lkey < 0x1000 + nreg,
		      "lkey %x", host_pg[i]->lkey);

	va = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(va != MAP_FAILED, "mmap");
	r = (struct pp_region){ .va = va, .iova = 0x5000000, .len = 64 * 4096,
				.lkey = 0x99, .unreadable = true };
	CHECK_EQ(pp_set_provider(pp, &pp_provider_region, &r), 0);
	pg = pp_alloc_page(pp);
	REQUIRE(pg != NULL, "region page");
	CHECK(pg->flags & PP_PAGE_F_UNREADABLE, "unreadable flag");
	CHECK_EQ(pg->lkey, 0x99);
	CHECK(pp_page_mbuf(pg) == NULL, "region pages are not mbufs");
	/* host pages still out come home as mbuf frees and are waived */
	for (i = 0; i < 8; i++)
		rte_pktmbuf_free(pp_page_mbuf(host_pg[i]));
	pp_get_stats(pp, &st);
	CHECK_EQ(st.alloc.waive, 8);
	CHECK(pp->retired == NULL, "host provider freed after its last page");
	/* and back to host memory */
	pp_recycle_direct(pp, pg);
	CHECK_EQ(pp_set_provider(pp, &pp_provider_host, NULL), 0);
	pg = pp_alloc_page(pp);
	REQUIRE(pg != NULL, "host again");
	CHECK(pp_page_mbuf(pg) != NULL, "host page");
	pp_recycle_direct(pp, pg);
	CHECK_EQ(pp_destroy(pp), 0);
	munmap(va, 64 * 4096);
}

static void
test_destroy_with_mbufs_out(void)
{
	struct pp_pool *pp = mkhost("dying", 64, 0);
	struct rte_mbuf *m[10];
	unsigned int i;

	if (pp == NULL)
		return;
	for (i = 0; i < 10; i++)
		m[i] = pp_page_mbuf(pp_alloc_page(pp));
	CHECK_EQ(pp_destroy(pp), 10);
	CHECK_EQ(pp_deferred_count(), 1);
	for (i = 0; i < 10; i++) {
		memset(rte_pktmbuf_mtod(m[i], void *), 0xab, 64);
		rte_pktmbuf_free(m[i]);
	}
	for (i = 0; i < 200 && pp_deferred_count(); i++)
		rte_delay_ms(5);
	CHECK_EQ(pp_deferred_count(), 0);
}

/* pp_reap releases, in the calling thread and at once, a deferred pool
 * whose pages are all back; one with pages out stays deferred. */
static void
test_reap_now(void)
{
	struct pp_pool *a = mkhost("reap_a", 64, 0), *b = mkhost("reap_b", 64, 0);
	struct rte_mbuf *ma, *mb;

	if (a == NULL || b == NULL)
		return;
	ma = pp_page_mbuf(pp_alloc_page(a));
	mb = pp_page_mbuf(pp_alloc_page(b));
	CHECK_EQ(pp_destroy(a), 1);
	CHECK_EQ(pp_destroy(b), 1);
	rte_pktmbuf_free(ma);
	CHECK_EQ(pp_reap(), 1);          /* a released now, b still out */
	rte_pktmbuf_free(mb);
	CHECK_EQ(pp_reap(), 0);
	CHECK_EQ(pp_deferred_count(), 0);
}

int
main(int argc, char **argv)
{
	char *eargv[16];
	int eargc = test_eal_args(eargv, 16, argv[0], "0@0,1@1,2@0,3@1");
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 20000;

	if (rte_eal_init(eargc, eargv) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	RUN(test_page_mbuf);
	RUN(test_frag_extbuf);
	RUN(test_register_and_switch);
	RUN(test_destroy_with_mbufs_out);
	RUN(test_reap_now);
	{
		int before = t_failed;

		test_stress(rounds);
		printf("%s test_stress (%u rounds)\n",
		       t_failed != before ? "FAIL" : "ok  ", rounds);
	}
	rte_eal_cleanup();
	return test_report("test_pagepool_host");
}
