/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdpbench: XDP frames per second on one polling lcore, one port, one
 * queue, with the program native in the mlx5x driver, generic (the
 * xdp_compat RX callback on mbufs) or absent (rxonly). The rate is the
 * port's ipackets over the measured window: every frame the driver took,
 * whatever the program did with it. Port 1, when given, is the redirect
 * target: DEVMAP `tx_port` gets ingress ifindex -> port 1.
 *
 *   xdpbench [EAL options] -- [--xdp OBJ[:PROG]] [--engine native|generic]
 *            [--set GLOBAL=VALUE]... [--seconds S]
 *
 * Last line: engine=<e> pps=<n> mpps=<x> cycles_per_pkt=<y> drop=<n> ...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "rte_pmd_mlx5x.h"
#include "xdpc.h"

static double seconds = 3;
static volatile int done;
static uint64_t frames, cycles;

static int
poll_loop(void *arg)
{
	struct rte_mbuf *b[32];
	struct rte_eth_stats s0, s1;
	uint64_t t0, end;

	(void)arg;
	end = rte_rdtsc() + rte_get_tsc_hz() / 4; /* warm-up */
	while (rte_rdtsc() < end)
		rte_pktmbuf_free_bulk(b, rte_eth_rx_burst(0, 0, b, 32));
	rte_eth_stats_get(0, &s0);
	t0 = rte_rdtsc();
	end = t0 + (uint64_t)(seconds * rte_get_tsc_hz());
	while (rte_rdtsc() < end)
		rte_pktmbuf_free_bulk(b, rte_eth_rx_burst(0, 0, b, 32));
	cycles = rte_rdtsc() - t0;
	rte_eth_stats_get(0, &s1);
	frames = s1.ipackets - s0.ipackets;
	done = 1;
	return 0;
}

static int
port_setup(uint16_t p, struct rte_mempool *mp)
{
	struct rte_eth_conf conf = {0};

	if (rte_eth_dev_configure(p, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(p, 0, 1024, rte_socket_id(), NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(p, 0, 1024, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(p) != 0)
		return -1;
	rte_eth_promiscuous_enable(p);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "xdp", required_argument, NULL, 'x' },
		{ "engine", required_argument, NULL, 'e' },
		{ "set", required_argument, NULL, 'S' },
		{ "seconds", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *obj_path = NULL, *engine = "native", *sets[8];
	unsigned int nsets = 0, lcore;
	struct xdpc_obj *obj = NULL;
	struct xdpc_prog *prog = NULL;
	struct rte_mempool *mp;
	char err[512], path[512], *colon;
	int rc, c;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "xdpbench: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'x': obj_path = optarg; break;
		case 'e': engine = optarg; break;
		case 'S':
			if (nsets == RTE_DIM(sets))
				return 1;
			sets[nsets++] = optarg;
			break;
		case 's': seconds = atof(optarg); break;
		default: return 1;
		}
	}
	if (strcmp(engine, "native") && strcmp(engine, "generic")) {
		fprintf(stderr, "xdpbench: --engine native or generic\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("xb", 32767, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL || rte_eth_dev_count_avail() < 1 || port_setup(0, mp) ||
	    (rte_eth_dev_count_avail() > 1 && port_setup(1, mp))) {
		fprintf(stderr, "xdpbench: port setup failed\n");
		return 1;
	}
	if (obj_path != NULL) {
		snprintf(path, sizeof(path), "%s", obj_path);
		colon = strrchr(path, ':');
		if (colon != NULL)
			*colon++ = '\0';
		obj = xdpc_obj_open(path, err, sizeof(err));
		if (obj == NULL)
			goto bad;
		for (unsigned int i = 0; i < nsets; i++) {
			char g[64];
			const char *eq = strchr(sets[i], '=');
			uint64_t v;
			int sz;

			if (eq == NULL || (size_t)(eq - sets[i]) >= sizeof(g))
				return 1;
			memcpy(g, sets[i], eq - sets[i]);
			g[eq - sets[i]] = '\0';
			v = strtoull(eq + 1, NULL, 0);
			sz = xdpc_obj_global_size(obj, g);
			if (sz <= 0 || sz > 8 || xdpc_obj_set_global(obj, g, &v,
					(size_t)sz, err, sizeof(err)) != 0)
				goto bad;
		}
		if (xdpc_obj_load(obj, err, sizeof(err)) != 0)
			goto bad;
		prog = xdpc_obj_prog(obj, colon);
		if (prog == NULL) {
			snprintf(err, sizeof(err), "%s: no such program", obj_path);
			goto bad;
		}
		if (xdpc_obj_map(obj, "tx_port") != NULL &&
		    rte_eth_dev_count_avail() > 1) {
			uint32_t k = 1, v = 2; /* port 0 -> port 1 */

			xdpc_map_update(xdpc_obj_map(obj, "tx_port"), &k, &v, 0);
		}
		rc = !strcmp(engine, "native") ?
		     rte_pmd_mlx5x_xdp_attach(0, 0, prog) :
		     xdpc_generic_attach(0, 0, prog);
		if (rc != 0) {
			snprintf(err, sizeof(err), "attach: %s", strerror(-rc));
			goto bad;
		}
	}
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE) {
		poll_loop(NULL);
	} else {
		rte_eal_remote_launch(poll_loop, NULL, lcore);
		while (!done)
			rte_delay_us_sleep(10000);
		rte_eal_mp_wait_lcore();
	}
	{
		double secs = (double)cycles / rte_get_tsc_hz();
		struct rte_pmd_mlx5x_xdp_stats xs = {0};
		struct xdpc_generic_stats gs = {0};

		if (prog != NULL && !strcmp(engine, "native"))
			rte_pmd_mlx5x_xdp_stats_get(0, 0, &xs);
		if (prog != NULL && !strcmp(engine, "generic")) {
			xdpc_generic_stats(0, 0, &gs);
			xs.drop = gs.act[XDPC_DROP];
			xs.pass = gs.act[XDPC_PASS];
			xs.tx = gs.act[XDPC_TX];
			xs.redirect = gs.act[XDPC_REDIRECT];
			xs.aborted = gs.act[XDPC_ABORTED];
			xs.tx_errors = gs.tx_errors;
			xs.redirect_errors = gs.redirect_errors;
		}
		printf("engine=%s pps=%.0f mpps=%.3f cycles_per_pkt=%.1f "
		       "drop=%" PRIu64 " pass=%" PRIu64 " tx=%" PRIu64
		       " redirect=%" PRIu64 " aborted=%" PRIu64 " errors=%" PRIu64
		       "\n", prog == NULL ? "none" : engine, frames / secs,
		       frames / secs / 1e6, frames ? (double)cycles / frames : 0,
		       xs.drop, xs.pass, xs.tx, xs.redirect, xs.aborted,
		       xs.tx_errors + xs.redirect_errors);
	}
	if (prog != NULL && !strcmp(engine, "generic"))
		xdpc_generic_detach(0, 0);
	for (uint16_t p = 0; p < rte_eth_dev_count_avail(); p++) {
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
	xdpc_obj_close(obj);
	rte_eal_cleanup();
	return 0;
bad:
	fprintf(stderr, "xdpbench: %s\n", err);
	return 1;
}
