/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd-xdp: puts ports to work and shows what they do, every interval.
 * This file owns the command line, port and queue setup, the mapping of
 * (port, queue) streams to lcores, the run loop and the exit path.
 *
 *   testpmd-xdp [EAL options] -- [--xdp OBJ[:PROG]] [--mode native|generic|auto]
 *               [--fwd rxonly|io|macswap] [--ports LIST] [--queues N]
 *               [--duration S] [--interval S] [--json FILE] [-i] ...
 *   testpmd-xdp prog-run ...
 *   testpmd-xdp [EAL options] -- bench ...
 *
 * XDP runs natively in the mlx5x driver or generic (xdp_compat's RX
 * callback) on any port; without a program the classic forwarding modes
 * give the no-XDP baseline.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_version.h>

#include "mlx5x_config.h"
#include "rte_pmd_mlx5x.h"
#include "txp.h"

volatile int txp_quit;

static void
on_signal(int sig)
{
	(void)sig;
	txp_quit = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: testpmd-xdp [EAL options] -- [options]\n"
"  --fwd rxonly|io|macswap   forwarding mode (default rxonly)\n"
"  --ports LIST              port ids, e.g. 0,1 (default: all)\n"
"  --queues N                RX/TX queues per port, RSS across them (default 1)\n"
"  --duration SECONDS        stop after this long (default: until Ctrl-C)\n"
"  --interval SECONDS        live table period (default 1)\n"
"  --burst N                 packets per rx burst, 1..512 (default 32)\n"
"  --rxd N, --txd N          ring sizes (default: the port's preference)\n"
"  --json FILE               write config, samples and summary as JSON\n"
"  --xdp OBJECT[:PROG]       run an XDP program on every stream\n"
"  --mode native|generic|auto  where XDP runs: in the mlx5x driver on the\n"
"                            receive page, on mbufs through an RX callback\n"
"                            (any port), or native where the port has it\n"
"                            (default auto)\n"
"  --engine jit|interp       how XDP programs run: the x86-64 JIT (default)\n"
"                            or the reference interpreter\n"
"  -i, --interactive         a prompt (show stats, xdp load/unload, map\n"
"                            dump/update, quit) while traffic runs\n"
"  --set GLOBAL=VALUE        set a const volatile global before load\n"
"  --map-update MAP KEY=VALUE  set an entry before the run (numbers, or\n"
"                            hex:BYTES for raw bytes)\n"
"  --map-dump MAP            print the map as JSON after the run\n"
"  --capture FILE.pcap       write the frames XDP passes (without XDP: all\n"
"                            received) to a pcap file\n"
"  --devmem MIB              bind every queue of each mlx5x port to a memfd\n"
"                            of MIB MiB: headers in mbufs, payloads in the\n"
"                            region (doc/devmem.md); with --fwd rxonly or XDP\n"
"  testpmd-xdp prog-run ...  run a program on one packet, like bpftool prog run\n"
"  testpmd-xdp [EAL] -- bench ...  the benchmark matrix (bench --help)\n"
"  -h, --help\n");
}

static int __rte_format_printf(1, 2)
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "testpmd-xdp: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 2;
}

static bool
parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int
parse_args(int argc, char **argv, struct txp_conf *c)
{
	static const struct option opts[] = {
		{ "fwd", required_argument, NULL, 'f' },
		{ "ports", required_argument, NULL, 'p' },
		{ "queues", required_argument, NULL, 'q' },
		{ "duration", required_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, 'V' },
		{ "burst", required_argument, NULL, 'b' },
		{ "rxd", required_argument, NULL, 'r' },
		{ "txd", required_argument, NULL, 't' },
		{ "json", required_argument, NULL, 'j' },
		{ "xdp", required_argument, NULL, 'x' },
		{ "mode", required_argument, NULL, 'M' },
		{ "engine", required_argument, NULL, 'E' },
		{ "set", required_argument, NULL, 'S' },
		{ "map-update", required_argument, NULL, 'U' },
		{ "map-dump", required_argument, NULL, 'D' },
		{ "capture", required_argument, NULL, 'C' },
		{ "devmem", required_argument, NULL, 'G' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double v;
	int o;

	c->fwd = TXP_FWD_RXONLY;
	c->queues = 1;
	c->burst = 32;
	c->interval = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "hi", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			if (!strcmp(optarg, "rxonly")) c->fwd = TXP_FWD_RXONLY;
			else if (!strcmp(optarg, "io")) c->fwd = TXP_FWD_IO;
			else if (!strcmp(optarg, "macswap")) c->fwd = TXP_FWD_MACSWAP;
			else return die("--fwd %s: expected rxonly, io or macswap", optarg);
			break;
		case 'p': {
			char *dup = strdup(optarg), *tok, *save = NULL;

			c->nb_ports = 0;
			for (tok = strtok_r(dup, ",", &save); tok != NULL;
			     tok = strtok_r(NULL, ",", &save)) {
				if (!parse_num(tok, 0, RTE_MAX_ETHPORTS - 1, &v) ||
				    !rte_eth_dev_is_valid_port((uint16_t)v)) {
					free(dup);
					return die("--ports %s: not a list of existing "
						   "port ids", optarg);
				}
				c->ports[c->nb_ports++] = (uint16_t)v;
			}
			free(dup);
			break;
		}
		case 'q':
			if (!parse_num(optarg, 1, 16, &v))
				return die("--queues %s: expected 1..16", optarg);
			c->queues = (uint16_t)v;
			break;
		case 'd':
			if (!parse_num(optarg, 0, 1e7, &v))
				return die("--duration %s: expected seconds >= 0", optarg);
			c->duration = v;
			break;
		case 'V':
			if (!parse_num(optarg, 0.1, 3600, &v))
				return die("--interval %s: expected 0.1..3600 s", optarg);
			c->interval = v;
			break;
		case 'b':
			if (!parse_num(optarg, 1, 512, &v))
				return die("--burst %s: expected 1..512", optarg);
			c->burst = (uint16_t)v;
			break;
		case 'r':
		case 't':
			if (!parse_num(optarg, 64, 32768, &v))
				return die("ring size %s: expected 64..32768", optarg);
			if (o == 'r')
				c->rxd = (uint16_t)v;
			else
				c->txd = (uint16_t)v;
			break;
		case 'j':
			c->json = optarg;
			break;
		case 'x': {
			char *colon = strrchr(optarg, ':');

			c->xdp_obj = optarg;
			if (colon != NULL && strchr(colon, '/') == NULL) {
				*colon = '\0';
				c->xdp_prog = colon + 1;
			}
			break;
		}
		case 'M':
			if (!strcmp(optarg, "native"))
				c->mode = TXP_MODE_NATIVE;
			else if (!strcmp(optarg, "generic"))
				c->mode = TXP_MODE_GENERIC;
			else if (!strcmp(optarg, "auto"))
				c->mode = TXP_MODE_AUTO;
			else
				return die("--mode %s: expected native, generic or "
					   "auto", optarg);
			break;
		case 'E':
			/* objects load after the options: the default is enough */
			if (!strcmp(optarg, "jit"))
				xdpc_set_default_engine(XDPC_ENGINE_JIT);
			else if (!strcmp(optarg, "interp"))
				xdpc_set_default_engine(XDPC_ENGINE_INTERP);
			else
				return die("--engine %s: expected jit or interp",
					   optarg);
			break;
		case 'i':
			c->interactive = true;
			break;
		case 'G':
			if (!parse_num(optarg, 1, 65536, &v))
				return die("--devmem %s: expected MiB of region per "
					   "port, 1..65536", optarg);
			c->devmem_mib = (unsigned int)v;
			break;
		case 'S':
			if (c->nsets == 64 || strchr(optarg, '=') == NULL)
				return die("--set %s: expected GLOBAL=VALUE", optarg);
			c->sets[c->nsets++] = optarg;
			break;
		case 'U':
			/* two words: MAP then KEY=VALUE */
			if (c->nmap_updates == 64 || optind >= argc ||
			    strchr(argv[optind], '=') == NULL)
				return die("--map-update %s: expected MAP KEY=VALUE",
					   optarg);
			c->map_updates[c->nmap_updates][0] = optarg;
			c->map_updates[c->nmap_updates++][1] = argv[optind++];
			break;
		case 'C':
			c->capture = optarg;
			break;
		case 'D':
			if (c->nmap_dumps == 64)
				return die("--map-dump: too many");
			c->map_dumps[c->nmap_dumps++] = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return die("unknown or incomplete option %s",
				   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return die("unexpected argument %s", argv[optind]);
	if ((c->nsets | c->nmap_updates | c->nmap_dumps) != 0 &&
	    c->xdp_obj == NULL)
		return die("--set, --map-update and --map-dump need --xdp");
	return 0;
}

static int
port_setup(struct txp_conf *c, uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	int rc;

	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		return rc;
	if (c->queues > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	}
	rc = rte_eth_dev_configure(port, c->queues, c->queues, &conf);
	for (uint16_t q = 0; rc == 0 && q < c->queues; q++) {
		rc = rte_eth_rx_queue_setup(port, q, c->rxd,
					    rte_eth_dev_socket_id(port), NULL, mp);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(port, q, c->txd,
						    rte_eth_dev_socket_id(port),
						    NULL);
	}
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc == 0)
		rte_eth_promiscuous_enable(port);
	return rc;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static struct txp_conf c;
	struct txp_report *rep;
	struct rte_mempool *mp = NULL;
	unsigned int lc, i;
	double t0, next;
	int rc;

	/* Subcommands that need no EAL. */
	if (argc > 1 && !strcmp(argv[1], "prog-run"))
		return txp_prog_run(argc - 1, argv + 1);
	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "testpmd-xdp: EAL: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	argc -= rc;
	argv += rc;
	argv[0] = (char *)"testpmd-xdp";
	if (argc > 1 && !strcmp(argv[1], "bench")) {
		rc = txp_bench(argc - 1, argv + 1);
		rte_eal_cleanup();
		return rc;
	}
	rc = parse_args(argc, argv, &c);
	if (rc != 0)
		goto out;
	if (c.nb_ports == 0) {
		uint16_t p;

		RTE_ETH_FOREACH_DEV(p)
			c.ports[c.nb_ports++] = p;
	}
	if (c.nb_ports == 0) {
		fprintf(stderr, "testpmd-xdp: no ports: give EAL --vdev, e.g. "
			"--vdev net_mlx5x0,wire=gen\n");
		rc = 2;
		goto out;
	}
	RTE_LCORE_FOREACH_WORKER(lc)
		c.lcores[c.nb_lcores++] = lc;
	if (c.nb_lcores == 0) {
		fprintf(stderr, "testpmd-xdp: needs a worker lcore besides the "
			"main one (EAL -l 0,1)\n");
		rc = 2;
		goto out;
	}
	if ((unsigned int)c.nb_ports * c.queues > TXP_MAX_STREAMS) {
		fprintf(stderr, "testpmd-xdp: %u ports x %u queues: at most %u "
			"streams\n", c.nb_ports, c.queues, TXP_MAX_STREAMS);
		rc = 2;
		goto out;
	}
	mp = rte_pktmbuf_pool_create("txp_mbufs",
		RTE_MAX(16383u, 4096u * c.nb_ports * c.queues), 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL) {
		fprintf(stderr, "testpmd-xdp: mbuf pool: %s\n",
			rte_strerror(rte_errno));
		rc = 1;
		goto out;
	}
	for (i = 0; i < c.nb_ports; i++) {
		rc = port_setup(&c, c.ports[i], mp);
		if (rc != 0) {
			char name[RTE_ETH_NAME_MAX_LEN] = "";

			rte_eth_dev_get_name_by_port(c.ports[i], name);
			fprintf(stderr, "testpmd-xdp: port %u (%s): setup failed: "
				"%s\n", c.ports[i], name, rte_strerror(-rc));
			rc = 1;
			goto out;
		}
	}
	/* One lcore per stream while lcores last, then round robin. */
	printf("testpmd-xdp %s (%s): %s%s, %u port(s) x %u queue(s)\n",
	       MLX5X_VERSION, rte_version(), c.xdp_obj ? "XDP" : "fwd ",
	       c.xdp_obj ? "" : txp_fwd_name(c.fwd), c.nb_ports, c.queues);
	for (i = 0; i < c.nb_ports; i++) {
		for (uint16_t q = 0; q < c.queues; q++) {
			struct txp_stream *s = &c.streams[c.nb_streams];
			char name[RTE_ETH_NAME_MAX_LEN] = "";

			s->port = c.ports[i];
			s->queue = q;
			s->lcore = c.lcores[c.nb_streams % c.nb_lcores];
			rte_eth_dev_get_name_by_port(s->port, name);
			printf("  lcore %u <- port %u (%s%s) queue %u\n", s->lcore,
			       s->port, name,
			       rte_pmd_mlx5x_is_mlx5x(s->port) ? ", mlx5x" : "", q);
			c.nb_streams++;
		}
	}
	if (c.devmem_mib != 0) {
		rc = txp_devmem_setup(&c);
		if (rc != 0)
			goto out;
	}
	if (c.xdp_obj != NULL) {
		rc = txp_xdp_setup(&c);
		if (rc != 0)
			goto out;
		printf("  XDP program %s from %s, %s mode\n", c.xdp_prog,
		       c.xdp_obj, txp_mode_name(&c));
	}
	if (c.capture != NULL && txp_capture_open(c.capture) != 0) {
		rc = 2;
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rep = txp_report_new(&c);
	if (rep == NULL) {
		rc = 1;
		goto out;
	}
	RTE_LCORE_FOREACH_WORKER(lc)
		rte_eal_remote_launch(txp_fwd_lcore, &c, lc);
	c.running = true;
	fflush(stdout); /* the set-up lines before the prompt's */
	if (c.interactive && txp_cli_open(&c, rep) != 0) {
		rc = 1;
		txp_quit = 1;
	}
	t0 = now_s();
	next = t0 + c.interval;
	while (!txp_quit) {
		double t = now_s();

		if (t >= next) {
			txp_report_sample(rep, t - t0);
			next += c.interval;
		}
		if (c.duration > 0 && t - t0 >= c.duration)
			break;
		if (c.interactive && txp_cli_poll() != 0)
			break;
		if (t >= next)
			continue;
		/* Sleep, do not spin: a device thread may share this CPU. */
		rte_delay_us_sleep((unsigned int)RTE_MIN((next - t) * 1e6, 50000.0));
	}
	txp_quit = 1;
	rte_eal_mp_wait_lcore();
	c.running = false;
	if (c.interactive)
		txp_cli_close();
	rc = txp_report_finish(rep) == 0 ? 0 : 1;
	if (c.devmem_mib != 0 && txp_devmem_finish(&c) != 0)
		rc = 1;
	if (c.capture != NULL)
		printf("  captured %" PRIu64 " frames to %s\n",
		       txp_capture_close(), c.capture);
	if (c.nmap_dumps != 0)
		txp_map_dump(c.obj, c.map_dumps, c.nmap_dumps, stdout);
out:
	/* Every exit after EAL init closes the ports (the vdevs go with
	 * rte_eal_cleanup), so nothing a PMD allocated is left behind. */
	for (i = 0; i < c.nb_ports; i++) {
		rte_eth_dev_stop(c.ports[i]);
		rte_eth_dev_close(c.ports[i]);
	}
	rte_mempool_free(mp);
	xdpc_obj_close(c.obj);
	for (i = 0; i < c.nold; i++)
		xdpc_obj_close(c.old_objs[i]);
	rte_eal_cleanup();
	return rc;
}
