/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mlx5x ports for the integration tests: probe a net_mlx5x vdev with
 * devargs, configure, set up queues from the test's mbuf pool, start;
 * take it down again; read one xstat by name. Include after
 * mlx5x_test.h.
 */
#ifndef MLX5X_TEST_PORT_H
#define MLX5X_TEST_PORT_H

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

static struct rte_mempool *mbufs;
static int seq;

/* EAL (two lcores, --no-huge unless MLX5X_TEST_HUGE) and the mbuf pool
 * the ports take their buffers from. 0, or 1 with the reason printed. */
static int
test_ports_init(char *argv0)
{
	char *eargv[16];
	int eargc = test_eal_args(eargv, 16, argv0, "0@0,1@1");

	if (rte_eal_init(eargc, eargv) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	mbufs = rte_pktmbuf_pool_create("t_mbufs", 8191, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mbufs == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	return 0;
}

struct port_opts {
	uint16_t nrxq, ntxq;
	uint64_t rx_offloads, tx_offloads;
	uint64_t rss_hf;
	uint16_t mtu;
	bool no_start;     /* configure only; the caller starts */
};

/* Probe net_mlx5x<seq> with @args and start it (@o NULL: one queue each
 * way; 0 queues in @o mean one). Returns port or -1. */
static int
port_up(const char *args, const struct port_opts *o, char *name, size_t nlen)
{
	struct rte_eth_conf conf = {0};
	struct port_opts d = { 1, 1, 0, 0, 0, 0, false };
	char dev[1024];
	uint16_t port, q, nrxq, ntxq;

	if (o == NULL)
		o = &d;
	nrxq = o->nrxq ? o->nrxq : 1;
	ntxq = o->ntxq ? o->ntxq : 1;
	snprintf(name, nlen, "net_mlx5x%d", seq++);
	snprintf(dev, sizeof(dev), "%s,%s", name, args);
	if (rte_dev_probe(dev) != 0 ||
	    rte_eth_dev_get_port_by_name(name, &port) != 0) {
		CHECK(0, "probe %s", dev);
		return -1;
	}
	conf.rxmode.offloads = o->rx_offloads;
	conf.txmode.offloads = o->tx_offloads;
	if (o->rss_hf) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = o->rss_hf;
	}
	CHECK_EQ(rte_eth_dev_configure(port, nrxq, ntxq, &conf), 0);
	if (o->mtu)
		CHECK_EQ(rte_eth_dev_set_mtu(port, o->mtu), 0);
	for (q = 0; q < nrxq; q++)
		CHECK_EQ(rte_eth_rx_queue_setup(port, q, 256, SOCKET_ID_ANY, NULL,
						mbufs), 0);
	for (q = 0; q < ntxq; q++)
		CHECK_EQ(rte_eth_tx_queue_setup(port, q, 256, SOCKET_ID_ANY, NULL), 0);
	/* test frames are not all addressed to the port's MAC */
	CHECK_EQ(rte_eth_promiscuous_enable(port), 0);
	if (!o->no_start)
		CHECK_EQ(rte_eth_dev_start(port), 0);
	return port;
}

static void
port_down(int port, const char *name)
{
	struct rte_eth_dev_info info;
	struct rte_device *d;

	if (port < 0)
		return;
	rte_eth_dev_info_get((uint16_t)port, &info);
	d = info.device;
	CHECK_EQ(rte_eth_dev_stop((uint16_t)port), 0);
	CHECK_EQ(rte_eth_dev_close((uint16_t)port), 0);
	CHECK(rte_dev_remove(d) == 0, "remove %s", name);
}

static __attribute__((unused)) uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

#endif
