/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A DPDK application outside the tree, built only from the installed
 * headers and `pkg-config mlx5x`: proves the installed libraries link and
 * work.
 */
#include <stdio.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <pagepool.h>

int
main(int argc, char **argv)
{
	struct pp_params p = { .name = "external", .pool_size = 64,
			       .socket_id = SOCKET_ID_ANY };
	struct pp_pool *pp;
	struct pp_page *pg;
	struct pp_stats st;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "external: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	pp = pp_create(&p);
	if (pp == NULL) {
		fprintf(stderr, "external: pp_create: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	pp_owner_bind(pp);
	pg = pp_alloc_page(pp);
	if (pg == NULL || pp_page_mbuf(pg) == NULL)
		return 1;
	rte_pktmbuf_free(pp_page_mbuf(pg));
	pp_get_stats(pp, &st);
	printf("external: slow=%lu cached=%lu inflight=%lu\n",
	       (unsigned long)st.alloc.slow, (unsigned long)st.recycle.cached,
	       (unsigned long)st.inflight);
	if (st.alloc.slow != 1 || st.recycle.cached != 1)
		return 1;
	if (pp_destroy(pp) != 0)
		return 1;
	rte_eal_cleanup();
	printf("external: ok\n");
	return 0;
}
