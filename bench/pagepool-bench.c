/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool-bench: cycles per element of the pagepool paths, in the shape of
 * the kernel's bench_page_pool_simple, against rte_mempool with a per-lcore
 * cache in the same run. rdtsc, many iterations, median of several runs.
 *
 *   single  one element per call (a driver refilling one descriptor)
 *   bulk    32 elements per call (a burst-oriented driver)
 *
 * Cases (each element is one allocation plus its return):
 *   fast                alloc, recycle_direct on the owner
 *   ring                the owner allocates; another lcore frees through
 *                       the recycle ring; the owner refills from it.
 *                       Cost = owner's alloc cycles + the freeing lcore's
 *                       put cycles, per element.
 *   ring_1core          the same on one lcore (pool unbound), like the
 *                       kernel's page_pool02_ptr_ring
 *   slow                every page from the provider and back to it
 *                       (kernel's page_pool03_slow)
 *   frag                4 fragments per page: alloc_frag, put
 *   mbuf_page           page handed up as its own mbuf, freed with
 *                       rte_pktmbuf_free on the owner
 *   mbuf_extbuf         page attached to an mbuf as an external buffer,
 *                       freed with rte_pktmbuf_free on the owner
 *   rte_mempool_cached  rte_mempool_get/put (single), get_bulk/put_bulk
 *                       (bulk), per-lcore cache, same element size
 *
 * Last lines: case=<name> shape=<single|bulk> cycles_per_elem=<number>
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "pagepool.h"

#define BULK 32u

/* Keep the compiler from fusing an inlined alloc with the free that
 * follows: the element must exist in a register and memory must be
 * re-read, as in a driver that does work in between. Used in every case,
 * the rte_mempool peer included. */
#define ESCAPE(p) __asm__ volatile("" : : "r"(p) : "memory")

static unsigned int iters = 4000000;
static unsigned int runs = 7;

struct result {
	const char *name;
	const char *shape;
	double cpe;
};
static struct result results[32];
static unsigned int nresults;

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef double (*bench_fn)(void *ctx);

static void
measure(const char *name, const char *shape, bench_fn fn, void *ctx)
{
	double v[32];
	unsigned int r;

	fn(ctx); /* warm-up */
	for (r = 0; r < runs; r++)
		v[r] = fn(ctx);
	qsort(v, runs, sizeof(v[0]), cmp_double);
	results[nresults++] = (struct result){ name, shape, v[runs / 2] };
	printf("  %-20s %-6s median %7.2f  min %7.2f  max %7.2f cycles/elem\n",
	       name, shape, v[runs / 2], v[0], v[runs - 1]);
	fflush(stdout);
}

static struct pp_pool *
mkpool(const char *name, uint32_t frags, bool bind)
{
	struct pp_params p = { .name = name, .pool_size = 2048,
			       .ring_size = 1024, .frags_per_page = frags,
			       .socket_id = rte_socket_id() };
	struct pp_pool *pp = pp_create(&p);

	if (pp == NULL) {
		fprintf(stderr, "pp_create %s: %s\n", name,
			rte_strerror(rte_errno));
		exit(1);
	}
	if (bind)
		pp_owner_bind(pp);
	return pp;
}

/* --- fast --- */
static double
fast_single(void *ctx)
{
	struct pp_pool *pp = ctx;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		struct pp_page *pg = pp_alloc_page(pp);

		ESCAPE(pg);
		pp_recycle_direct(pp, pg);
	}
	return (double)(rte_rdtsc() - t0) / iters;
}

static double
fast_bulk(void *ctx)
{
	struct pp_pool *pp = ctx;
	struct pp_page *pages[BULK];
	unsigned int n = iters / BULK;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < n; i++) {
		pp_alloc_bulk(pp, pages, BULK);
		ESCAPE(pages);
		pp_recycle_direct_bulk(pp, pages, BULK);
	}
	return (double)(rte_rdtsc() - t0) / ((double)n * BULK);
}

/* --- ring, two lcores --- */
static struct {
	struct pp_pool *pp;
	struct rte_ring *xfer;
	bool bulk;
	volatile int stop;
	uint64_t put_cycles;
	uint64_t put_elems;
} R;

static int
ring_freer(void *arg)
{
	struct pp_page *pages[BULK];
	unsigned int n, i;
	uint64_t cyc = 0, elems = 0, t0;

	(void)arg;
	while (!R.stop || !rte_ring_empty(R.xfer)) {
		n = rte_ring_sc_dequeue_burst(R.xfer, (void **)pages, BULK, NULL);
		if (n == 0)
			continue;
		t0 = rte_rdtsc();
		if (R.bulk) {
			pp_put_page_bulk(pages, n);
		} else {
			for (i = 0; i < n; i++)
				pp_put_page(pages[i]);
		}
		cyc += rte_rdtsc() - t0;
		elems += n;
	}
	R.put_cycles = cyc;
	R.put_elems = elems;
	return 0;
}

static double
ring_2core(void *ctx)
{
	struct pp_page *pages[BULK];
	unsigned int n = iters / BULK, i, j, lc = rte_get_next_lcore(-1, 1, 0);
	uint64_t cyc = 0, t0;

	R.bulk = ctx != NULL;
	R.stop = 0;
	rte_eal_remote_launch(ring_freer, NULL, lc);
	for (i = 0; i < n; i++) {
		t0 = rte_rdtsc();
		if (R.bulk) {
			j = pp_alloc_bulk(R.pp, pages, BULK);
		} else {
			for (j = 0; j < BULK; j++)
				if ((pages[j] = pp_alloc_page(R.pp)) == NULL)
					break;
		}
		cyc += rte_rdtsc() - t0;
		/* hand-off to the freeing lcore is not part of the cost */
		for (unsigned int k = 0; k < j;)
			k += rte_ring_sp_enqueue_burst(R.xfer,
				(void **)&pages[k], j - k, NULL);
	}
	R.stop = 1;
	rte_eal_wait_lcore(lc);
	return (double)(cyc + R.put_cycles) / ((double)n * BULK);
}

/* --- ring on one lcore (pool not bound: every put goes to the ring) --- */
static double
ring_1core_single(void *ctx)
{
	struct pp_pool *pp = ctx;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++)
		pp_put_page(pp_alloc_page(pp));
	return (double)(rte_rdtsc() - t0) / iters;
}

static double
ring_1core_bulk(void *ctx)
{
	struct pp_pool *pp = ctx;
	struct pp_page *pages[BULK];
	unsigned int n = iters / BULK;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < n; i++) {
		pp_alloc_bulk(pp, pages, BULK);
		pp_put_page_bulk(pages, BULK);
	}
	return (double)(rte_rdtsc() - t0) / ((double)n * BULK);
}

/* --- slow: provider round trip --- */
static double
slow_single(void *ctx)
{
	struct pp_pool *pp = ctx;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++)
		pp_page_release(pp_alloc_page(pp));
	return (double)(rte_rdtsc() - t0) / iters;
}

static double
slow_bulk(void *ctx)
{
	struct pp_pool *pp = ctx;
	struct pp_page *pages[BULK];
	unsigned int n = iters / BULK;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < n; i++) {
		pp_alloc_bulk(pp, pages, BULK);
		pp_page_release_bulk(pages, BULK);
	}
	return (double)(rte_rdtsc() - t0) / ((double)n * BULK);
}

/* --- fragments --- */
static double
frag_single(void *ctx)
{
	struct pp_pool *pp = ctx;
	uint32_t off;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++)
		pp_put_page(pp_alloc_frag(pp, &off));
	return (double)(rte_rdtsc() - t0) / iters;
}

static double
frag_bulk(void *ctx)
{
	struct pp_pool *pp = ctx;
	struct pp_page *pages[BULK];
	uint32_t off;
	unsigned int n = iters / BULK, j;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < n; i++) {
		for (j = 0; j < BULK; j++)
			pages[j] = pp_alloc_frag(pp, &off);
		pp_put_page_bulk(pages, BULK);
	}
	return (double)(rte_rdtsc() - t0) / ((double)n * BULK);
}

/* --- pages handed up as mbufs --- */
static double
mbuf_page_single(void *ctx)
{
	struct pp_pool *pp = ctx;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		struct rte_mbuf *m = pp_page_mbuf(pp_alloc_page(pp));

		rte_pktmbuf_reset(m);
		m->data_len = m->pkt_len = 64;
		rte_pktmbuf_free(m);
	}
	return (double)(rte_rdtsc() - t0) / iters;
}

static struct rte_mempool *ext_mbufs;
static struct rte_mbuf_ext_shared_info ext_shinfo;

static double
mbuf_extbuf_single(void *ctx)
{
	struct pp_pool *pp = ctx;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(ext_mbufs);

		pp_attach_extbuf(m, pp_alloc_page(pp), 0, 4096, &ext_shinfo);
		m->data_len = m->pkt_len = 64;
		rte_pktmbuf_free(m);
	}
	return (double)(rte_rdtsc() - t0) / iters;
}

/* --- the peer: rte_mempool with a per-lcore cache --- */
static double
mempool_single(void *ctx)
{
	struct rte_mempool *mp = ctx;
	void *obj;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < iters; i++) {
		if (unlikely(rte_mempool_get(mp, &obj) != 0))
			abort();
		ESCAPE(obj);
		rte_mempool_put(mp, obj);
	}
	return (double)(rte_rdtsc() - t0) / iters;
}

static double
mempool_bulk(void *ctx)
{
	struct rte_mempool *mp = ctx;
	void *objs[BULK];
	unsigned int n = iters / BULK;
	uint64_t t0 = rte_rdtsc();

	for (unsigned int i = 0; i < n; i++) {
		if (unlikely(rte_mempool_get_bulk(mp, objs, BULK) != 0))
			abort();
		ESCAPE(objs);
		rte_mempool_put_bulk(mp, objs, BULK);
	}
	return (double)(rte_rdtsc() - t0) / ((double)n * BULK);
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [--iters N] [--runs N] [--quick]\n",
	       prog);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iters", required_argument, NULL, 'i' },
		{ "runs", required_argument, NULL, 'r' },
		{ "quick", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *dflt[] = { argv[0], "--no-pci", "--no-huge", "-m", "512",
			 "--no-shconf", "-l", "0,1",
			 "--log-level=lib.eal:warning", NULL };
	struct pp_pool *pp;
	struct rte_mempool *mp;
	int rc, c;

	/* Without "--", EAL gets the README's defaults (two lcores, no
	 * hugepages, no PCI) and every argument is ours. */
	bool eal_args = false;

	for (c = 1; c < argc; c++)
		if (strcmp(argv[c], "--") == 0)
			eal_args = true;
	if (eal_args) {
		rc = rte_eal_init(argc, argv);
		if (rc >= 0) {
			argv[rc] = argv[0];
			argc -= rc;
			argv += rc;
		}
	} else {
		rc = rte_eal_init(RTE_DIM(dflt) - 1, dflt);
	}
	if (rc < 0) {
		fprintf(stderr, "pagepool-bench: EAL: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': iters = strtoul(optarg, NULL, 0); break;
		case 'r': runs = strtoul(optarg, NULL, 0); break;
		case 'q': iters = 500000; runs = 5; break;
		default: usage(argv[0]); return c == 'h' ? 0 : 1;
		}
	}
	if (runs == 0 || runs > 31 || iters < BULK) {
		fprintf(stderr, "pagepool-bench: --runs must be 1..31 and "
			"--iters at least %u\n", BULK);
		return 1;
	}
	printf("pagepool-bench: %u iterations x %u runs, TSC %.2f GHz, "
	       "4 KiB pages\n", iters, runs, rte_get_tsc_hz() / 1e9);

	pp = mkpool("b_fast", 0, true);
	measure("fast", "single", fast_single, pp);
	measure("fast", "bulk", fast_bulk, pp);
	pp_destroy(pp);

	if (rte_lcore_count() >= 2) {
		R.pp = mkpool("b_ring", 0, true);
		R.xfer = rte_ring_create("b_xfer", 4096, SOCKET_ID_ANY,
					 RING_F_SP_ENQ | RING_F_SC_DEQ);
		measure("ring", "single", ring_2core, NULL);
		measure("ring", "bulk", ring_2core, R.pp);
		pp_destroy(R.pp);
		rte_ring_free(R.xfer);
	} else {
		printf("  ring: needs two lcores (-l 0,1); skipped\n");
	}

	pp = mkpool("b_ring1", 0, false);
	measure("ring_1core", "single", ring_1core_single, pp);
	measure("ring_1core", "bulk", ring_1core_bulk, pp);
	pp_destroy(pp);

	pp = mkpool("b_slow", 0, true);
	measure("slow", "single", slow_single, pp);
	measure("slow", "bulk", slow_bulk, pp);
	pp_destroy(pp);

	pp = mkpool("b_frag", 4, true);
	measure("frag", "single", frag_single, pp);
	measure("frag", "bulk", frag_bulk, pp);
	pp_destroy(pp);

	pp = mkpool("b_mbuf", 0, true);
	measure("mbuf_page", "single", mbuf_page_single, pp);
	ext_mbufs = rte_pktmbuf_pool_create("b_ext", 4095, 256, 0, 0,
					    rte_socket_id());
	if (ext_mbufs == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	measure("mbuf_extbuf", "single", mbuf_extbuf_single, pp);
	pp_destroy(pp);

	mp = rte_mempool_create("b_mempool", 4095,
				sizeof(struct rte_mbuf) + 64 + 4096, 256, 0,
				NULL, NULL, NULL, NULL, rte_socket_id(), 0);
	if (mp == NULL) {
		fprintf(stderr, "mempool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	measure("rte_mempool_cached", "single", mempool_single, mp);
	measure("rte_mempool_cached", "bulk", mempool_bulk, mp);
	rte_mempool_free(mp);

	printf("\n");
	for (unsigned int i = 0; i < nresults; i++)
		printf("case=%s shape=%s cycles_per_elem=%.2f\n",
		       results[i].name, results[i].shape, results[i].cpe);
	rte_eal_cleanup();
	return 0;
}
