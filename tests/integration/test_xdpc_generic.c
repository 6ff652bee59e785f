/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generic XDP on DPDK ports: a program on a generator port redirects
 * every frame through a DEVMAP to a loopback port, whose RX then sees
 * them all; counters add up; detaching restores plain delivery.
 */
#include <linux/bpf.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "rte_pmd_mlx5x.h"
#include "xdpc.h"

static struct rte_mempool *mp;

static int
port(const char *dev)
{
	struct rte_eth_conf conf = {0};
	char name[64];
	uint16_t p;

	snprintf(name, sizeof(name), "%s", dev);
	*strchr(name, ',') = '\0';
	if (rte_dev_probe(dev) != 0 || rte_eth_dev_get_port_by_name(name, &p))
		return -1;
	if (rte_eth_dev_configure(p, 1, 1, &conf) ||
	    rte_eth_rx_queue_setup(p, 0, 512, SOCKET_ID_ANY, NULL, mp) ||
	    rte_eth_tx_queue_setup(p, 0, 512, SOCKET_ID_ANY, NULL) ||
	    rte_eth_dev_start(p))
		return -1;
	rte_eth_promiscuous_enable(p);
	return p;
}

static void
test_redirect_between_ports(void)
{
	int loop = port("net_mlx5x0,wire=loop,dev_mode=inline");
	int gen = port("net_mlx5x1,wire=gen,gen_count=1000,dev_mode=inline");
	char err[512];
	struct xdpc_obj *o;
	struct xdpc_generic_stats st;
	struct rte_mbuf *b[32];
	uint32_t key = 0, ifindex;
	unsigned int back = 0, passed = 0;

	REQUIRE(loop == 0 && gen == 1, "ports %d %d", loop, gen);
	o = xdpc_obj_open(MLX5X_BUILD_ROOT "/tests/xdp/corpus_redirect.o", err,
			  sizeof(err));
	REQUIRE(o != NULL && xdpc_obj_load(o, err, sizeof(err)) == 0, "%s", err);
	ifindex = (uint32_t)loop + 1;
	/* generator frames have 0 at byte 20: bpf_redirect_map(ports, 0) */
	CHECK_EQ(xdpc_map_update(xdpc_obj_map(o, "ports"), &key, &ifindex,
				 BPF_ANY), 0);
	CHECK_EQ(xdpc_generic_attach((uint16_t)gen, 0, xdpc_obj_prog(o, NULL)), 0);
	CHECK_EQ(xdpc_generic_attach((uint16_t)gen, 0, xdpc_obj_prog(o, NULL)),
		 -EBUSY);
	for (int i = 0; i < 2000; i++) {
		uint16_t n = rte_eth_rx_burst((uint16_t)gen, 0, b, 32);

		passed += n;
		rte_pktmbuf_free_bulk(b, n);
		rte_pmd_mlx5x_device_step((uint16_t)loop);
		n = rte_eth_rx_burst((uint16_t)loop, 0, b, 32);
		back += n;
		rte_pktmbuf_free_bulk(b, n);
	}
	CHECK_EQ(passed, 0);
	CHECK_EQ(back, 1000);
	CHECK_EQ(xdpc_generic_stats((uint16_t)gen, 0, &st), 0);
	CHECK_EQ(st.rx, 1000);
	CHECK_EQ(st.act[XDPC_REDIRECT], 1000);
	CHECK_EQ(st.redirect_errors, 0);
	CHECK_EQ(xdpc_generic_detach((uint16_t)gen, 0), 0);
	CHECK_EQ(xdpc_generic_stats((uint16_t)gen, 0, &st), -ENOENT);
	rte_eth_dev_stop((uint16_t)gen);
	rte_eth_dev_stop((uint16_t)loop);
	rte_eth_dev_close((uint16_t)gen);
	rte_eth_dev_close((uint16_t)loop);
	xdpc_obj_close(o);
}

int
main(int argc, char **argv)
{
	char *eargv[16];
	int eargc = test_eal_args(eargv, 16, argv[0], "0@0,1@1");

	(void)argc;
	if (rte_eal_init(eargc, eargv) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	mp = rte_pktmbuf_pool_create("g_mbufs", 8191, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		return 1;
	RUN(test_redirect_between_ports);
	rte_eal_cleanup();
	return test_report("test_xdpc_generic");
}
