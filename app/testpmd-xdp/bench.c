/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd-xdp bench: the standard matrix on the emulated NIC, cases x
 * frame sizes x modes, each the median of --runs runs. A case is a
 * bundled program (or none) on a fresh mlx5x port whose generator runs
 * on the main lcore's CPU while one worker lcore polls; the rate is the
 * port's ipackets over the window (every frame the driver took, whatever
 * the program did). --kernel adds the same object attached in driver mode
 * to a veth pair that the kernel's own generator fills
 * (BPF_PROG_TEST_RUN live frames), rated by the program's run count.
 * Writes PREFIX.md (table), PREFIX.json and PREFIX.png (chart, with
 * python3-matplotlib or gnuplot).
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "mlx5x_config.h"
#include "rte_pmd_mlx5x.h"
#include "txp.h"

#define MAXV 16

struct bcase {
	const char *name;       /* as on the command line */
	const char *label;      /* in the table */
	const char *obj;        /* bundled object, NULL: no program */
	const char *sets[2];    /* GLOBAL=VALUE */
	bool redirect;          /* a peer port as the DEVMAP target */
};

static const struct bcase cases_all[] = {
	{ "drop", "drop", "xdp_drop.o", { NULL }, false },
	{ "drop-read", "drop (read)", "xdp_bench.o", { "action=1", "touch=1" },
	  false },
	{ "tx", "tx (macswap)", "xdp_tx.o", { NULL }, false },
	{ "redirect", "redirect (peer port)", "xdp_redirect.o", { NULL }, true },
	{ "pass", "pass (rxonly)", "xdp_pass.o", { NULL }, false },
	{ "none", "no program", NULL, { NULL }, false },
};

enum { M_NATIVE, M_GENERIC, M_KERNEL, M_N };
static const char *const mode_name[M_N] = { "native", "generic", "kernel" };

struct bopts {
	const struct bcase *cases[8];
	unsigned int ncases;
	unsigned int sizes[MAXV];
	unsigned int nsizes;
	bool mode[M_N];
	double seconds;
	unsigned int runs;
	const char *out;
	char progs[512];
	bool inline_dev;        /* the device model in the polling lcore */
};

static struct rte_mempool *bmp;
static volatile int poll_done;
static uint64_t poll_frames, poll_cycles;
static double poll_secs;

/* ---------------------------------------------------------- mlx5x side */

static int
poll_lcore(void *arg)
{
	uint16_t port = (uint16_t)(uintptr_t)arg;
	struct rte_mbuf *b[32];
	struct rte_eth_stats s0, s1;
	uint64_t t0, end;

	end = rte_rdtsc() + rte_get_tsc_hz() / 4; /* warm-up */
	while (rte_rdtsc() < end)
		rte_pktmbuf_free_bulk(b, rte_eth_rx_burst(port, 0, b, 32));
	rte_eth_stats_get(port, &s0);
	t0 = rte_rdtsc();
	end = t0 + (uint64_t)(poll_secs * rte_get_tsc_hz());
	while (rte_rdtsc() < end)
		rte_pktmbuf_free_bulk(b, rte_eth_rx_burst(port, 0, b, 32));
	poll_cycles = rte_rdtsc() - t0;
	rte_eth_stats_get(port, &s1);
	poll_frames = s1.ipackets - s0.ipackets;
	poll_done = 1;
	return 0;
}

static int
port_new(const char *args, uint16_t *port)
{
	static unsigned int seq;
	struct rte_eth_conf conf = {0};
	char name[64], dev[256];

	snprintf(name, sizeof(name), "net_mlx5x_bench%u", seq++);
	snprintf(dev, sizeof(dev), "%s,%s", name, args);
	if (rte_dev_probe(dev) != 0 || rte_eth_dev_get_port_by_name(name, port))
		return -1;
	if (rte_eth_dev_configure(*port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(*port, 0, 1024, SOCKET_ID_ANY, NULL, bmp) ||
	    rte_eth_tx_queue_setup(*port, 0, 1024, SOCKET_ID_ANY, NULL) ||
	    rte_eth_dev_start(*port) != 0)
		return -1;
	rte_eth_promiscuous_enable(*port);
	return 0;
}

static void
port_gone(uint16_t port)
{
	struct rte_eth_dev_info di;

	if (rte_eth_dev_info_get(port, &di) != 0)
		return;
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_dev_remove(di.device);
}

static struct xdpc_obj *
xobj_load(const struct bopts *o, const struct bcase *bc, char *err,
	  size_t errlen)
{
	char path[700];
	struct xdpc_obj *x;

	snprintf(path, sizeof(path), "%s/%s", o->progs, bc->obj);
	x = xdpc_obj_open(path, err, errlen);
	if (x == NULL)
		return NULL;
	for (unsigned int i = 0; i < RTE_DIM(bc->sets) && bc->sets[i]; i++)
		if (txp_set_global(x, bc->sets[i], err, errlen) != 0) {
			xdpc_obj_close(x);
			return NULL;
		}
	if (xdpc_obj_load(x, err, errlen) != 0) {
		xdpc_obj_close(x);
		return NULL;
	}
	return x;
}

/* One run of a case on mlx5x; Mpps or a negative errno. */
static double
run_mlx5x(const struct bopts *o, const struct bcase *bc, unsigned int size,
	  int mode, unsigned int lcore)
{
	char args[256], err[512];
	struct xdpc_obj *x = NULL;
	struct xdpc_prog *prog = NULL;
	uint16_t port, peer = UINT16_MAX;
	double mpps = -EINVAL;
	int rc = 0;

	if (o->inline_dev)
		snprintf(args, sizeof(args), "wire=gen,gen_flows=64,gen_size=%u,"
			 "dev_mode=inline", size - 4);
	else
		snprintf(args, sizeof(args), "wire=gen,gen_flows=64,gen_size=%u,"
			 "dev_cpu=%u", size - 4, rte_lcore_to_cpu_id(
			 (int)rte_get_main_lcore()));
	if (port_new(args, &port) != 0) {
		fprintf(stderr, "bench: cannot create an mlx5x port\n");
		return -ENODEV;
	}
	if (bc->redirect) {
		if (o->inline_dev)
			snprintf(args, sizeof(args), "wire=gen,gen_pps=1,"
				 "dev_mode=inline");
		else
			snprintf(args, sizeof(args), "wire=gen,gen_pps=1,dev_cpu=%u",
				 rte_lcore_to_cpu_id((int)rte_get_main_lcore()));
		if (port_new(args, &peer) != 0)
			goto out;
	}
	if (bc->obj != NULL) {
		x = xobj_load(o, bc, err, sizeof(err));
		if (x == NULL) {
			fprintf(stderr, "bench: %s: %s\n", bc->obj, err);
			goto out;
		}
		prog = xdpc_obj_prog(x, NULL);
		if (bc->redirect) {
			uint32_t k = (uint32_t)port + 1, v = (uint32_t)peer + 1;

			xdpc_map_update(xdpc_obj_map(x, "tx_port"), &k, &v, 0);
		}
		rc = mode == M_NATIVE ? rte_pmd_mlx5x_xdp_attach(port, 0, prog) :
		     xdpc_generic_attach(port, 0, prog);
		if (rc != 0)
			goto out;
	}
	poll_done = 0;
	poll_secs = o->seconds;
	rte_eal_remote_launch(poll_lcore, (void *)(uintptr_t)port, lcore);
	/* sleep, do not spin: the generator shares this CPU */
	while (!poll_done)
		rte_delay_us_sleep(10000);
	rte_eal_wait_lcore(lcore);
	mpps = poll_frames / ((double)poll_cycles / rte_get_tsc_hz()) / 1e6;
	if (bc->obj != NULL && mode == M_GENERIC)
		xdpc_generic_detach(port, 0);
out:
	port_gone(port);
	if (peer != UINT16_MAX)
		port_gone(peer);
	xdpc_obj_close(x);
	return mpps;
}

/* --------------------------------------------------------- kernel side */

struct kgen {
	int fd;                 /* the generator program */
	unsigned int size;
	volatile int stop;
	pthread_t th;
};

/* Set global @name (any of .rodata/.data/.bss) before load, through BTF. */
static int
kset_global(struct bpf_object *obj, const char *name, unsigned long long v)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *mn = bpf_map__name(m), *dot = strrchr(mn, '.');
		const struct btf_type *sec;
		const struct btf_var_secinfo *vs;
		const uint8_t *init;
		uint8_t data[4096];
		size_t sz;
		int id;

		if (!bpf_map__is_internal(m) || btf == NULL || dot == NULL ||
		    (id = btf__find_by_name(btf, dot)) < 0)
			continue;
		sec = btf__type_by_id(btf, id);
		init = bpf_map__initial_value(m, &sz);
		if (!btf_is_datasec(sec) || init == NULL || sz > sizeof(data))
			continue;
		memcpy(data, init, sz);
		vs = btf_var_secinfos(sec);
		for (int i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);

			if (strcmp(btf__name_by_offset(btf, var->name_off), name))
				continue;
			if (vs->offset + vs->size > sz || vs->size > sizeof(v))
				return -EINVAL;
			memcpy(data + vs->offset, &v, vs->size);
			return bpf_map__set_initial_value(m, data, sz);
		}
	}
	return -ENOENT;
}

static struct bpf_object *
kobj_load(const char *path, const char *const *sets, unsigned int nsets)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	if (obj == NULL || libbpf_get_error(obj))
		return NULL;
	for (unsigned int i = 0; i < nsets && sets[i] != NULL; i++) {
		char g[64];
		const char *eq = strchr(sets[i], '=');

		snprintf(g, sizeof(g), "%.*s", (int)(eq - sets[i]), sets[i]);
		if (kset_global(obj, g, strtoull(eq + 1, NULL, 0)) != 0) {
			bpf_object__close(obj);
			return NULL;
		}
	}
	if (bpf_object__load(obj) != 0) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* The kernel's generator: live frames redirected out of one veth end,
 * from a thread pinned to the main lcore's CPU. */
static void *
kgen_thread(void *arg)
{
	struct kgen *g = arg;
	static unsigned char pkt[1600] = {
		0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
		0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1,
		198, 19, 0, 1, 0x04, 0x00, 0, 9, 0, 26, 0, 0,
	};
	size_t len = g->size - 4;

	pkt[16] = (unsigned char)((len - 14) >> 8);
	pkt[17] = (unsigned char)(len - 14);
	pkt[38] = (unsigned char)((len - 34) >> 8);
	pkt[39] = (unsigned char)(len - 34);
	while (!g->stop) {
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt,
			    .data_size_in = (__u32)len, .repeat = 1 << 20,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
			    .batch_size = 64);

		if (bpf_prog_test_run_opts(g->fd, &t) != 0)
			break;
	}
	return NULL;
}

static int
sh(const char *cmd)
{
	int rc = system(cmd);

	return rc == 0 ? 0 : -1;
}

static bool kveth;

static void
kveth_down(void)
{
	if (kveth) {
		sh("ip link del txpb0 2>/dev/null; ip link del txpb2 2>/dev/null");
		kveth = false;
	}
}

static int
kveth_up(void)
{
	if (kveth)
		return 0;
	sh("ip link del txpb0 2>/dev/null; ip link del txpb2 2>/dev/null");
	/* a veth takes redirected frames only with NAPI on at the
	 * receiving end: GRO, or an XDP program */
	if (sh("ip link add txpb0 type veth peer name txpb1 && "
	       "ip link add txpb2 type veth peer name txpb3 && "
	       "for i in 0 1 2 3; do ip link set txpb$i up || exit 1; done && "
	       "ethtool -K txpb0 gro on >/dev/null && "
	       "ethtool -K txpb1 gro on >/dev/null && "
	       "ethtool -K txpb3 gro on >/dev/null") != 0)
		return -1;
	kveth = true;
	atexit(kveth_down);
	return 0;
}

static uint64_t
rx_packets(const char *ifname)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets",
		 ifname);
	f = fopen(path, "r");
	if (f != NULL) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* One run of a case on the kernel's veth XDP; Mpps or a negative errno. */
static double
run_kernel(const struct bopts *o, const struct bcase *bc, unsigned int size)
{
	char path[700];
	struct bpf_object *gen = NULL, *obj = NULL;
	struct kgen g = { .size = size };
	int ifx = (int)if_nametoindex("txpb0"), sfd = -1, pfd = -1;
	const char *gset[1];
	char gbuf[32];
	double mpps = -EINVAL;
	cpu_set_t cpus;

	snprintf(gbuf, sizeof(gbuf), "ifindex=%u", if_nametoindex("txpb1"));
	gset[0] = gbuf;
	snprintf(path, sizeof(path), "%s/xdp_livegen.o", o->progs);
	gen = kobj_load(path, gset, 1);
	if (gen == NULL) {
		fprintf(stderr, "bench: --kernel: cannot load %s (root? bpf())\n",
			path);
		return -EPERM;
	}
	g.fd = bpf_program__fd(bpf_object__next_program(gen, NULL));
	if (bc->obj != NULL) {
		snprintf(path, sizeof(path), "%s/%s", o->progs, bc->obj);
		obj = kobj_load(path, bc->sets, RTE_DIM(bc->sets));
		if (obj == NULL) {
			fprintf(stderr, "bench: --kernel: the kernel refused %s\n",
				path);
			goto out;
		}
		pfd = bpf_program__fd(bpf_object__next_program(obj, NULL));
		if (bc->redirect) {
			struct bpf_map *tx = bpf_object__find_map_by_name(obj,
									 "tx_port");
			__u32 k = (__u32)ifx, v = if_nametoindex("txpb2");

			if (tx == NULL ||
			    bpf_map_update_elem(bpf_map__fd(tx), &k, &v, 0) != 0)
				goto out;
		}
		sfd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (sfd < 0 || bpf_xdp_attach(ifx, pfd, XDP_FLAGS_DRV_MODE,
					      NULL) != 0) {
			fprintf(stderr, "bench: --kernel: attach: %s\n",
				strerror(errno));
			goto out;
		}
	}
	if (pthread_create(&g.th, NULL, kgen_thread, &g) != 0)
		goto detach;
	CPU_ZERO(&cpus);
	CPU_SET(rte_lcore_to_cpu_id((int)rte_get_main_lcore()), &cpus);
	pthread_setaffinity_np(g.th, sizeof(cpus), &cpus);
	usleep(250000); /* warm-up */
	{
		struct bpf_prog_info info;
		__u32 ilen = sizeof(info);
		uint64_t c0 = 0, c1 = 0;
		uint64_t t0 = rte_rdtsc(), t1;

		memset(&info, 0, sizeof(info));
		if (pfd >= 0 && bpf_obj_get_info_by_fd(pfd, &info, &ilen) == 0)
			c0 = info.run_cnt;
		else
			c0 = rx_packets("txpb0");
		usleep((useconds_t)(o->seconds * 1e6));
		t1 = rte_rdtsc();
		memset(&info, 0, sizeof(info));
		ilen = sizeof(info);
		if (pfd >= 0 && bpf_obj_get_info_by_fd(pfd, &info, &ilen) == 0)
			c1 = info.run_cnt;
		else
			c1 = rx_packets("txpb0");
		mpps = (c1 - c0) / ((double)(t1 - t0) / rte_get_tsc_hz()) / 1e6;
	}
	g.stop = 1;
	pthread_join(g.th, NULL);
detach:
	if (pfd >= 0)
		bpf_xdp_detach(ifx, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (sfd >= 0)
		close(sfd);
	if (obj != NULL)
		bpf_object__close(obj);
	bpf_object__close(gen);
	return mpps;
}

/* ------------------------------------------------------------- output */

static double
median(double *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n == 0 ? -1 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
cell(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", v);
}

static void
ratio(char *buf, size_t len, double a, double b)
{
	if (a < 0 || b <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2fx", a / b);
}

/* The chart: Mpps against frame size, one panel per case, a line per
 * mode. python3-matplotlib first, gnuplot second. */
static int
chart(const struct bopts *o, const char *json, const char *png)
{
	char cmd[8192];
	FILE *p;

	/* Debian's interpreter, where python3-matplotlib installs (a
	 * pyenv or venv python3 first in PATH may not have it) */
	snprintf(cmd, sizeof(cmd), "%s - '%s' '%s'",
		 access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" :
		 "python3", json, png);
	p = popen(cmd, "w");
	if (p != NULL) {
		fputs(
"import json, sys\n"
"import matplotlib\n"
"matplotlib.use('Agg')\n"
"import matplotlib.pyplot as plt\n"
"d = json.load(open(sys.argv[1]))\n"
"cases = list(dict.fromkeys(r['case'] for r in d['results']))\n"
"n = len(cases); cols = min(3, n); rows = (n + cols - 1) // cols\n"
"fig, axs = plt.subplots(rows, cols, figsize=(5 * cols, 3.6 * rows), squeeze=False)\n"
"for i, c in enumerate(cases):\n"
"    ax = axs[i // cols][i % cols]\n"
"    for m in ('native', 'generic', 'kernel'):\n"
"        pts = [(r['size'], r['mpps']) for r in d['results'] if r['case'] == c and r['mode'] == m and r['mpps'] >= 0]\n"
"        if pts:\n"
"            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker='o', label=m)\n"
"    ax.set_title(c); ax.set_xlabel('frame bytes'); ax.set_ylabel('Mpps')\n"
"    ax.set_xscale('log', base=2); ax.grid(True, alpha=0.3); ax.legend(fontsize=8)\n"
"for j in range(n, rows * cols):\n"
"    axs[j // cols][j % cols].axis('off')\n"
"fig.suptitle('testpmd-xdp bench: ' + d['config']['machine'])\n"
"fig.tight_layout(); fig.savefig(sys.argv[2], dpi=90)\n", p);
		if (pclose(p) == 0)
			return 0;
	}
	(void)o;
	snprintf(cmd, sizeof(cmd), "command -v gnuplot >/dev/null && python3 -c "
		 "\"import json,sys; d=json.load(open('%s'));"
		 "[print(r['case'].replace(' ','_'), r['mode'], r['size'], r['mpps']) "
		 "for r in d['results'] if r['mpps'] >= 0]\" > '%s.dat' && "
		 "gnuplot -e \"set terminal png size 1000,600; set output '%s'; "
		 "set logscale x 2; set xlabel 'frame bytes'; set ylabel 'Mpps'; "
		 "plot '%s.dat' using 3:4:(0) with points title 'all cases'\" && "
		 "rm -f '%s.dat'", json, png, png, png, png);
	return system(cmd) == 0 ? 0 : -1;
}

static void
usage(void)
{
	printf(
"usage: testpmd-xdp [EAL options] -- bench [options]\n"
"  --cases LIST     drop,drop-read,tx,redirect,pass,none (default: all)\n"
"  --sizes LIST     frame bytes (default 64,128,256,512,1024,1500)\n"
"  --modes LIST     native,generic (default both)\n"
"  --kernel         add the kernel's XDP on a veth pair (root)\n"
"  --seconds S      measured time per run (default 2)\n"
"  --runs N         runs per cell, the median is reported (default 3)\n"
"  --out PREFIX     PREFIX.md, PREFIX.json, PREFIX.png (default txp-bench)\n"
"  --progs DIR      the bundled XDP objects (default: the build's)\n"
"  --inline         the device model runs inside the polling lcore\n"
"                   (dev_mode=inline): the whole NIC and driver on one\n"
"                   core, steadier figures on a shared VM\n"
"EAL needs two lcores (-l 0,1): the generator runs on the main lcore's\n"
"CPU, the polling on the worker.\n");
}

static int
parse_list(const char *s, unsigned int *out, unsigned int max, unsigned int lo,
	   unsigned int hi)
{
	char *dup = strdup(s), *tok, *save = NULL;
	unsigned int n = 0;

	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v = strtoul(tok, &end, 10);

		if (*end != '\0' || v < lo || v > hi || n == max) {
			free(dup);
			return -1;
		}
		out[n++] = (unsigned int)v;
	}
	free(dup);
	return (int)n;
}

int
txp_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cases", required_argument, NULL, 'c' },
		{ "sizes", required_argument, NULL, 's' },
		{ "modes", required_argument, NULL, 'm' },
		{ "kernel", no_argument, NULL, 'k' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "runs", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "progs", required_argument, NULL, 'p' },
		{ "inline", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned int def_sizes[] = { 64, 128, 256, 512, 1024, 1500 };
	struct bopts o = { .seconds = 2, .runs = 3, .out = "txp-bench" };
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0), cellno = 0, ncells;
	double res[8][MAXV][M_N];
	char path[600], a[32], b[32], c3[32], r1[32], r2[32];
	FILE *md, *js;
	int opt;

	snprintf(o.progs, sizeof(o.progs), "%s/app/testpmd-xdp/progs",
		 MLX5X_BUILD_ROOT);
	o.mode[M_NATIVE] = o.mode[M_GENERIC] = true;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': {
			char *dup = strdup(optarg), *tok, *save = NULL;

			o.ncases = 0;
			for (tok = strtok_r(dup, ",", &save); tok != NULL;
			     tok = strtok_r(NULL, ",", &save)) {
				unsigned int k;

				for (k = 0; k < RTE_DIM(cases_all); k++)
					if (!strcmp(tok, cases_all[k].name))
						break;
				if (k == RTE_DIM(cases_all) || o.ncases == 8) {
					fprintf(stderr, "testpmd-xdp bench: --cases: "
						"unknown case %s\n", tok);
					free(dup);
					return 2;
				}
				o.cases[o.ncases++] = &cases_all[k];
			}
			free(dup);
			break;
		}
		case 's': {
			int n = parse_list(optarg, o.sizes, MAXV, 64, 1518);

			if (n <= 0) {
				fprintf(stderr, "testpmd-xdp bench: --sizes %s: "
					"frame bytes 64..1518\n", optarg);
				return 2;
			}
			o.nsizes = (unsigned int)n;
			break;
		}
		case 'm':
			o.mode[M_NATIVE] = strstr(optarg, "native") != NULL;
			o.mode[M_GENERIC] = strstr(optarg, "generic") != NULL;
			if (!o.mode[M_NATIVE] && !o.mode[M_GENERIC]) {
				fprintf(stderr, "testpmd-xdp bench: --modes %s: "
					"native and/or generic\n", optarg);
				return 2;
			}
			break;
		case 'k': o.mode[M_KERNEL] = true; break;
		case 'S':
			o.seconds = atof(optarg);
			if (o.seconds <= 0 || o.seconds > 600) {
				fprintf(stderr, "testpmd-xdp bench: --seconds %s: "
					"0..600\n", optarg);
				return 2;
			}
			break;
		case 'r':
			o.runs = (unsigned int)atoi(optarg);
			if (o.runs < 1 || o.runs > 101) {
				fprintf(stderr, "testpmd-xdp bench: --runs %s: "
					"1..101\n", optarg);
				return 2;
			}
			break;
		case 'o': o.out = optarg; break;
		case 'p': snprintf(o.progs, sizeof(o.progs), "%s", optarg); break;
		case 'i': o.inline_dev = true; break;
		case 'h': usage(); return 0;
		default:
			fprintf(stderr, "testpmd-xdp bench: unknown option %s "
				"(bench --help)\n", argv[optind - 1]);
			return 2;
		}
	}
	if (o.ncases == 0)
		for (unsigned int k = 0; k < RTE_DIM(cases_all); k++)
			o.cases[o.ncases++] = &cases_all[k];
	if (o.nsizes == 0) {
		memcpy(o.sizes, def_sizes, sizeof(def_sizes));
		o.nsizes = RTE_DIM(def_sizes);
	}
	if (lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "testpmd-xdp bench: needs a worker lcore (EAL -l "
			"0,1)\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/xdp_drop.o", o.progs);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "testpmd-xdp bench: no bundled programs in %s "
			"(--progs DIR)\n", o.progs);
		return 2;
	}
	if (o.mode[M_KERNEL] && kveth_up() != 0) {
		fprintf(stderr, "testpmd-xdp bench: --kernel: cannot make the veth "
			"pairs (root? ip, ethtool)\n");
		return 1;
	}
	bmp = rte_pktmbuf_pool_create("txpb_mbufs", 16383, 256, 0,
				      RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (bmp == NULL) {
		fprintf(stderr, "testpmd-xdp bench: mbuf pool\n");
		return 1;
	}
	ncells = o.ncases * o.nsizes *
		 (o.mode[M_NATIVE] + o.mode[M_GENERIC] + o.mode[M_KERNEL]);
	for (unsigned int ci = 0; ci < o.ncases; ci++) {
		const struct bcase *bc = o.cases[ci];

		for (unsigned int si = 0; si < o.nsizes; si++) {
			for (int m = 0; m < M_N; m++) {
				double v[101];
				unsigned int n = 0;

				res[ci][si][m] = -1;
				if (!o.mode[m] || (m == M_GENERIC && bc->obj == NULL))
					continue;
				cellno++;
				for (unsigned int r = 0; r < o.runs; r++) {
					double x = m == M_KERNEL ?
						run_kernel(&o, bc, o.sizes[si]) :
						run_mlx5x(&o, bc, o.sizes[si], m,
							  lcore);
					if (x >= 0)
						v[n++] = x;
				}
				res[ci][si][m] = median(v, n);
				fprintf(stderr, "[%u/%u] %-22s %5u B %-8s %8.2f Mpps\n",
					cellno, ncells, bc->label, o.sizes[si],
					mode_name[m], res[ci][si][m]);
			}
		}
	}
	kveth_down();
	rte_mempool_free(bmp);

	/* the table */
	snprintf(path, sizeof(path), "%s.md", o.out);
	md = fopen(path, "w");
	snprintf(path, sizeof(path), "%s.json", o.out);
	js = fopen(path, "w");
	if (md == NULL || js == NULL) {
		fprintf(stderr, "testpmd-xdp bench: cannot write %s.*\n", o.out);
		return 1;
	}
	fprintf(md, "| case | bytes | native Mpps | generic Mpps | kernel veth "
		"Mpps | native / generic | native / kernel |\n"
		"|---|---|---|---|---|---|---|\n");
	fprintf(js, "{\n  \"config\": {\"seconds\": %g, \"runs\": %u, "
		"\"machine\": \"%u CPUs, generator %s %u, polling on CPU %u\", "
		"\"version\": \"%s\"},\n  \"results\": [",
		o.seconds, o.runs, (unsigned int)sysconf(_SC_NPROCESSORS_ONLN),
		o.inline_dev ? "inline in the polling lcore, CPU" : "on CPU",
		o.inline_dev ? rte_lcore_to_cpu_id((int)lcore) :
		rte_lcore_to_cpu_id((int)rte_get_main_lcore()),
		rte_lcore_to_cpu_id((int)lcore), MLX5X_VERSION);
	{
		bool first = true;

		for (unsigned int ci = 0; ci < o.ncases; ci++)
			for (unsigned int si = 0; si < o.nsizes; si++) {
				double *r = res[ci][si];

				cell(a, sizeof(a), r[M_NATIVE]);
				cell(b, sizeof(b), r[M_GENERIC]);
				cell(c3, sizeof(c3), r[M_KERNEL]);
				ratio(r1, sizeof(r1), r[M_NATIVE], r[M_GENERIC]);
				ratio(r2, sizeof(r2), r[M_NATIVE], r[M_KERNEL]);
				fprintf(md, "| %s | %u | %s | %s | %s | %s | %s |\n",
					o.cases[ci]->label, o.sizes[si], a, b, c3,
					r1, r2);
				for (int m = 0; m < M_N; m++) {
					if (r[m] < 0)
						continue;
					fprintf(js, "%s\n    {\"case\": \"%s\", \"size\": "
						"%u, \"mode\": \"%s\", \"mpps\": %.3f}",
						first ? "" : ",", o.cases[ci]->label,
						o.sizes[si], mode_name[m], r[m]);
					first = false;
				}
			}
	}
	fprintf(js, "\n  ]\n}\n");
	fclose(md);
	fclose(js);
	snprintf(path, sizeof(path), "%s.md", o.out);
	{
		FILE *f = fopen(path, "r");
		char line[256];

		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			fputs(line, stdout);
		if (f != NULL)
			fclose(f);
	}
	{
		char json[600], png[600];

		snprintf(json, sizeof(json), "%s.json", o.out);
		snprintf(png, sizeof(png), "%s.png", o.out);
		if (chart(&o, json, png) != 0)
			fprintf(stderr, "testpmd-xdp bench: no chart: install "
				"python3-matplotlib or gnuplot\n");
		else
			printf("wrote %s.md, %s.json, %s.png\n", o.out, o.out,
			       o.out);
	}
	return 0;
}
