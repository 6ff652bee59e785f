/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * portbench: one polling lcore, one port, one queue, a forwarding mode
 * (rxonly, io, macswap), for a fixed time. Prints packets per second and
 * TSC cycles per packet on the polling lcore. Any DPDK port works, so the
 * same binary measures mlx5x and its peers (net_null, net_af_packet) in
 * one run of bench/mlx5x-bench.sh.
 *
 *   portbench [EAL options] -- --mode rxonly|io|macswap [--seconds S]
 *             [--burst N] [--desc N]
 *
 * Last line: mode=<m> pps=<n> mpps=<x> cycles_per_pkt=<y> ...
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

enum mode { RXONLY, IO, MACSWAP };

static enum mode mode = RXONLY;
static double seconds = 5;
static uint16_t burst = 32, desc = 1024;
static volatile int stop;
static volatile int done;
static uint64_t rx_total, tx_total, busy_cycles, total_cycles;

static int
poll_loop(void *arg)
{
	struct rte_mbuf *b[512];
	uint64_t rx = 0, tx = 0, busy = 0, t0, t1, end;

	(void)arg;
	/* warm-up: a quarter second that does not count */
	end = rte_rdtsc() + rte_get_tsc_hz() / 4;
	while (rte_rdtsc() < end) {
		uint16_t n = rte_eth_rx_burst(0, 0, b, burst);

		rte_pktmbuf_free_bulk(b, n);
	}
	t0 = rte_rdtsc();
	end = t0 + (uint64_t)(seconds * rte_get_tsc_hz());
	while (!stop && (t1 = rte_rdtsc()) < end) {
		uint16_t n = rte_eth_rx_burst(0, 0, b, burst), s = 0;

		if (n == 0)
			continue;
		rx += n;
		if (mode == RXONLY) {
			rte_pktmbuf_free_bulk(b, n);
		} else {
			if (mode == MACSWAP) {
				for (uint16_t i = 0; i < n; i++) {
					struct rte_ether_hdr *e = rte_pktmbuf_mtod(
						b[i], struct rte_ether_hdr *);
					struct rte_ether_addr t = e->dst_addr;

					e->dst_addr = e->src_addr;
					e->src_addr = t;
				}
			}
			s = rte_eth_tx_burst(0, 0, b, n);
			tx += s;
			if (s < n)
				rte_pktmbuf_free_bulk(b + s, n - s);
		}
		busy += rte_rdtsc() - t1;
	}
	total_cycles = rte_rdtsc() - t0;
	rx_total = rx;
	tx_total = tx;
	busy_cycles = busy;
	done = 1;
	return 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'b' },
		{ "desc", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct rte_eth_conf conf = {0};
	struct rte_mempool *mp;
	struct rte_eth_stats st;
	unsigned int lcore;
	double secs;
	int rc, c;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "portbench: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "rxonly")) mode = RXONLY;
			else if (!strcmp(optarg, "io")) mode = IO;
			else if (!strcmp(optarg, "macswap")) mode = MACSWAP;
			else { fprintf(stderr, "portbench: --mode %s: rxonly, io "
				       "or macswap\n", optarg); return 1; }
			break;
		case 's': seconds = atof(optarg); break;
		case 'b': burst = (uint16_t)atoi(optarg); break;
		case 'd': desc = (uint16_t)atoi(optarg); break;
		default: return 1;
		}
	}
	if (burst == 0 || burst > 512 || seconds <= 0) {
		fprintf(stderr, "portbench: --burst 1..512, --seconds > 0\n");
		return 1;
	}
	if (rte_eth_dev_count_avail() < 1) {
		fprintf(stderr, "portbench: no port (give --vdev)\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("pb", 32767, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL ||
	    rte_eth_dev_configure(0, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(0, 0, desc, rte_socket_id(), NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(0, 0, desc, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(0) != 0) {
		fprintf(stderr, "portbench: port setup failed\n");
		return 1;
	}
	rte_eth_promiscuous_enable(0);
	signal(SIGINT, on_signal);
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE) {
		poll_loop(NULL);
	} else {
		rte_eal_remote_launch(poll_loop, NULL, lcore);
		/* Sleep, do not spin: a device thread may share this CPU. */
		while (!done)
			rte_delay_us_sleep(10000);
		rte_eal_mp_wait_lcore();
	}
	secs = (double)total_cycles / rte_get_tsc_hz();
	rte_eth_stats_get(0, &st);
	printf("mode=%s pps=%.0f mpps=%.3f cycles_per_pkt=%.1f "
	       "busy_cycles_per_pkt=%.1f tx_mpps=%.3f imissed=%" PRIu64 "\n",
	       mode == RXONLY ? "rxonly" : mode == IO ? "io" : "macswap",
	       rx_total / secs, rx_total / secs / 1e6,
	       rx_total ? (double)total_cycles / rx_total : 0,
	       rx_total ? (double)busy_cycles / rx_total : 0,
	       tx_total / secs / 1e6, st.imissed);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_eal_cleanup();
	return 0;
}
