/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL comes up the way every integration test and the app start it: no
 * hugepages, no PCI, in memory; the system's PMDs load, and a vdev port
 * (net_null) carries packets.
 */
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_dev.h>

#include "mlx5x_test.h"

int
main(int argc, char **argv)
{
	char *eargv[16];
	int eargc = test_eal_args(eargv, 16, argv[0], "0@0,1@1");
	struct rte_mempool *mp;
	struct rte_eth_conf conf = {0};
	struct rte_mbuf *pkts[32];
	uint16_t port;
	int rc;

	(void)argc;
	rc = rte_eal_init(eargc, eargv);
	REQUIRE_OR_EXIT(rc >= 0, "rte_eal_init failed: %s", rte_strerror(rte_errno));
	CHECK_EQ(rte_lcore_count(), 2);
	if (!getenv("MLX5X_TEST_HUGE"))
		CHECK(!rte_eal_has_hugepages(), "--no-huge honoured");
	CHECK_EQ(rte_eth_dev_count_avail(), 0); /* --no-pci: no NIC taken */

	mp = rte_pktmbuf_pool_create("eal_test", 1023, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	REQUIRE_OR_EXIT(mp != NULL, "mbuf pool: %s", rte_strerror(rte_errno));

	rc = rte_dev_probe("net_null0,size=64");
	REQUIRE_OR_EXIT(rc == 0, "net_null from the system PMD directory: %d", rc);
	REQUIRE_OR_EXIT(rte_eth_dev_get_port_by_name("net_null0", &port) == 0, "port");
	CHECK_EQ(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	CHECK_EQ(rte_eth_rx_queue_setup(port, 0, 256, SOCKET_ID_ANY, NULL, mp), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(port, 0, 256, SOCKET_ID_ANY, NULL), 0);
	CHECK_EQ(rte_eth_dev_start(port), 0);
	rc = rte_eth_rx_burst(port, 0, pkts, 32);
	CHECK_EQ(rc, 32);
	for (int i = 0; i < rc; i++)
		CHECK_EQ(rte_pktmbuf_pkt_len(pkts[i]), 64);
	rte_pktmbuf_free_bulk(pkts, rc);
	CHECK_EQ(rte_mempool_in_use_count(mp), 0);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return test_report("test_eal");
}
