/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --devmem MIB: every stream's queue of each mlx5x port bound to a memfd
 * region (the stand-in for GPU memory), so frames arrive split: headers
 * in host mbufs, payloads in the region. The forwarding lcores give the
 * payload tokens back once per burst; at the end a line per port says
 * what the split did, and the bindings go.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "rte_pmd_mlx5x.h"
#include "rte_pmd_mlx5x_devmem.h"
#include "txp.h"

int
txp_devmem_setup(struct txp_conf *c)
{
	uint16_t queues[16];

	if (c->fwd != TXP_FWD_RXONLY && c->xdp_obj == NULL) {
		fprintf(stderr, "testpmd-xdp: --devmem: split frames carry an "
			"unreadable payload segment; use --fwd rxonly or an XDP "
			"program\n");
		return 2;
	}
	for (uint16_t q = 0; q < c->queues; q++)
		queues[q] = q;
	for (unsigned int i = 0; i < c->nb_ports; i++) {
		uint16_t port = c->ports[i];
		struct rte_pmd_mlx5x_devmem_region r = {
			.type = RTE_PMD_MLX5X_DEVMEM_FD,
			.len = (uint64_t)c->devmem_mib << 20,
		};
		int id;

		if (!rte_pmd_mlx5x_is_mlx5x(port)) {
			fprintf(stderr, "testpmd-xdp: --devmem: port %u is not an "
				"mlx5x port\n", port);
			return 2;
		}
		r.fd = memfd_create("testpmd-xdp-devmem", MFD_CLOEXEC);
		if (r.fd < 0 || ftruncate(r.fd, (off_t)r.len) != 0) {
			fprintf(stderr, "testpmd-xdp: --devmem: memfd of %u MiB: "
				"%s\n", c->devmem_mib, strerror(errno));
			return 1;
		}
		id = rte_pmd_mlx5x_devmem_bind(port, queues, c->queues, &r,
					       NULL, NULL);
		/* the binding keeps its own mapping */
		close(r.fd);
		if (id < 0) {
			fprintf(stderr, "testpmd-xdp: --devmem: port %u: bind: %s "
				"(the driver's log says why)\n", port,
				strerror(-id));
			return 2;
		}
		c->devmem_ids[i] = (uint32_t)id;
		for (unsigned int s = 0; s < c->nb_streams; s++)
			if (c->streams[s].port == port)
				c->streams[s].dm_id = (uint32_t)id;
		printf("  devmem: port %u queues 0..%u bound to a %u MiB memfd "
		       "(binding %d)\n", port, c->queues - 1, c->devmem_mib, id);
	}
	return 0;
}

int
txp_devmem_finish(struct txp_conf *c)
{
	int rc = 0;

	for (unsigned int i = 0; i < c->nb_ports; i++) {
		struct rte_pmd_mlx5x_devmem_stats st;
		uint32_t id = c->devmem_ids[i];
		uint64_t pk;
		int r;

		if (id == 0 || rte_pmd_mlx5x_devmem_stats_get(id, &st) != 0)
			continue;
		pk = st.splits + st.fallback;
		printf("  devmem port %u: %" PRIu64 " split, %" PRIu64 " fallback, "
		       "chunks delivered %" PRIu64 ", returned %" PRIu64
		       ", in flight %" PRIu64 ", host bytes per frame %.1f, "
		       "region bytes per frame %.1f\n", c->ports[i], st.splits,
		       st.fallback, st.chunks_delivered, st.chunks_returned,
		       st.chunks_in_flight,
		       pk ? (double)st.header_bytes / pk : 0.0,
		       pk ? (double)st.payload_bytes / pk : 0.0);
		r = rte_pmd_mlx5x_devmem_unbind(id);
		if (r > 0) {
			printf("  devmem port %u: %d chunks were still held\n",
			       c->ports[i], r);
			rc = 1;
		}
		c->devmem_ids[i] = 0;
	}
	return rc;
}
