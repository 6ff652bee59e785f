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
#include <rte_ring.h>

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

static struct xdpc_obj *
xskcpu(uint32_t mode)
{
	char err[512];
	struct xdpc_obj *o = xdpc_obj_open(MLX5X_BUILD_ROOT
					   "/tests/xdp/corpus_xskcpu.o",
					   err, sizeof(err));

	CHECK(o != NULL, "%s", err);
	if (o == NULL)
		return NULL;
	CHECK_EQ(xdpc_obj_set_global(o, "mode", &mode, 4, err, sizeof(err)), 0);
	CHECK(xdpc_obj_load(o, err, sizeof(err)) == 0, "%s", err);
	return o;
}

/* The device lost none of @want frames (all reached the program); then
 * detach and close the port. */
static void
close_counted(uint16_t gen, uint64_t want)
{
	struct rte_eth_stats es;

	CHECK_EQ(rte_eth_stats_get(gen, &es), 0);
	CHECK(es.imissed == 0 && es.ipackets == want, "ipackets %" PRIu64
	      " imissed %" PRIu64, es.ipackets, es.imissed);
	CHECK_EQ(xdpc_generic_detach(gen, 0), 0);
	rte_eth_dev_stop(gen);
	rte_eth_dev_close(gen);
}

/* XSKMAP: frames land in the application's ring while a socket is
 * attached for this queue; attached for another queue they are redirect
 * errors; with none the miss action (XDP_PASS) hands them to the app. */
static void
test_xskmap_to_ring(void)
{
	int gen = port("net_mlx5x2,wire=gen,gen_count=3000,dev_mode=inline");
	struct xdpc_obj *o = xskcpu(1);
	struct rte_ring *ring = rte_ring_create("xsk0", 4096, SOCKET_ID_ANY,
						RING_F_SC_DEQ);
	struct xdpc_generic_stats st;
	struct rte_mbuf *b[32];
	unsigned int passed = 0, got = 0;
	void *objs[64];

	REQUIRE(gen >= 0 && o != NULL && ring != NULL, "setup");
	CHECK_EQ(xdpc_xsk_attach(xdpc_obj_map(o, "xsks"), 0, ring, 0), 0);
	CHECK_EQ(xdpc_xsk_attach(xdpc_obj_map(o, "xsks"), 4, ring, 0), -EINVAL);
	CHECK_EQ(xdpc_generic_attach((uint16_t)gen, 0, xdpc_obj_prog(o, NULL)), 0);
	for (int phase = 0; phase < 3; phase++) {
		if (phase == 1) /* the socket is bound to queue 3 */
			CHECK_EQ(xdpc_xsk_attach(xdpc_obj_map(o, "xsks"), 0,
						 ring, 3), 0);
		if (phase == 2)
			CHECK_EQ(xdpc_xsk_attach(xdpc_obj_map(o, "xsks"), 0,
						 NULL, 0), 0);
		/* exactly 1000 frames a phase: never ask past the boundary */
		for (int i = 0; i < 100000; i++) {
			uint16_t n, want;
			unsigned int d;

			CHECK_EQ(xdpc_generic_stats((uint16_t)gen, 0, &st), 0);
			if (st.rx >= (uint64_t)(phase + 1) * 1000)
				break;
			want = (uint16_t)RTE_MIN(32u, (phase + 1) * 1000 - st.rx);
			n = rte_eth_rx_burst((uint16_t)gen, 0, b, want);
			passed += n;
			rte_pktmbuf_free_bulk(b, n);
			while ((d = rte_ring_dequeue_burst(ring, objs, 64,
							   NULL)) != 0) {
				got += d;
				rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, d);
			}
		}
	}
	CHECK_EQ(xdpc_generic_stats((uint16_t)gen, 0, &st), 0);
	CHECK_EQ(st.rx, 3000);
	CHECK_EQ(got, 1000);
	CHECK_EQ(st.redirect_errors, 1000);
	CHECK_EQ(st.act[XDPC_REDIRECT], 2000);
	CHECK_EQ(passed, 1000);
	CHECK_EQ(st.act[XDPC_PASS], 1000);
	close_counted((uint16_t)gen, 3000);
	rte_ring_free(ring);
	xdpc_obj_close(o);
}

/* Poll @gen until its attachment has seen @upto frames in all, never
 * asking past that; with @cpus, CPU 1 takes its queue after each burst.
 * Returns frames the application got (PASS). */
static unsigned int
pull(int gen, uint64_t upto, struct xdpc_map *cpus, unsigned int *taken)
{
	struct xdpc_generic_stats st;
	struct rte_mbuf *b[32];
	unsigned int passed = 0;

	for (int i = 0; i < 100000; i++) {
		uint16_t n;

		if (xdpc_generic_stats((uint16_t)gen, 0, &st) != 0 || st.rx >= upto)
			break;
		n = rte_eth_rx_burst((uint16_t)gen, 0, b,
				     (uint16_t)RTE_MIN(32u, upto - st.rx));
		passed += n;
		rte_pktmbuf_free_bulk(b, n);
		while (cpus != NULL &&
		       (n = (uint16_t)xdpc_cpumap_dequeue(cpus, 1, b, 32)) != 0) {
			*taken += n;
			rte_pktmbuf_free_bulk(b, n);
		}
	}
	return passed;
}

/* CPUMAP: frames wait in CPU 1's queue until it takes them; a full
 * queue refuses the rest as redirect errors; no entry: the miss action
 * (XDP_DROP). Every frame is counted once and every mbuf comes back. */
static void
test_cpumap_queue(void)
{
	int gen = port("net_mlx5x3,wire=gen,gen_count=3000,dev_mode=inline");
	struct xdpc_obj *o = xskcpu(2);
	struct xdpc_map *cpus;
	struct xdpc_generic_stats st;
	struct bpf_cpumap_val v = { .qsize = 255 };
	struct rte_mbuf *b[32];
	unsigned int taken = 0, passed = 0, n;
	uint32_t cpu = 1;

	REQUIRE(gen >= 0 && o != NULL, "setup");
	cpus = xdpc_obj_map(o, "cpus");
	v.bpf_prog.fd = 7;
	CHECK_EQ(xdpc_map_update(cpus, &cpu, &v, BPF_ANY), -EOPNOTSUPP);
	v.bpf_prog.fd = 0;
	CHECK_EQ(xdpc_map_update(cpus, &cpu, &v, BPF_ANY), 0);
	CHECK_EQ(xdpc_generic_attach((uint16_t)gen, 0, xdpc_obj_prog(o, NULL)), 0);
	/* 1000 frames with nobody taking them: 255 fit */
	passed += pull(gen, 1000, NULL, NULL);
	CHECK_EQ(xdpc_generic_stats((uint16_t)gen, 0, &st), 0);
	CHECK_EQ(st.redirect_errors, 1000 - 255);
	while ((n = xdpc_cpumap_dequeue(cpus, cpu, b, 32)) != 0) {
		taken += n;
		rte_pktmbuf_free_bulk(b, n);
	}
	CHECK_EQ(taken, 255);
	/* now CPU 1 keeps up */
	passed += pull(gen, 2000, cpus, &taken);
	CHECK_EQ(taken, 255 + 1000);
	CHECK_EQ(xdpc_map_delete(cpus, &cpu), 0);
	CHECK_EQ(xdpc_map_delete(cpus, &cpu), -ENOENT);
	passed += pull(gen, 3000, NULL, NULL);
	CHECK_EQ(xdpc_generic_stats((uint16_t)gen, 0, &st), 0);
	CHECK_EQ(st.rx, 3000);
	CHECK_EQ(st.act[XDPC_REDIRECT], 2000);
	CHECK_EQ(st.redirect_errors, 1000 - 255);
	CHECK_EQ(st.act[XDPC_DROP], 1000);
	CHECK_EQ(passed, 0);
	close_counted((uint16_t)gen, 3000);
	xdpc_obj_close(o);
	/* every mbuf back in the pool */
	CHECK_EQ(rte_mempool_in_use_count(mp), 0);
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
	RUN(test_xskmap_to_ring);
	RUN(test_cpumap_queue);
	rte_eal_cleanup();
	return test_report("test_xdpc_generic");
}
