/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat's JIT against its interpreter, the kernel's JIT
 * (BPF_PROG_TEST_RUN with repeat) and DPDK's rte_bpf JIT (map-less
 * programs, built from the same source for its packet-pointer context),
 * per program and frame size (64, 512, 1500 bytes). Each side's cost of
 * a program that only returns XDP_PASS, measured the same way, is
 * subtracted: marginal ns per run. Needs root for the kernel side.
 *
 *   build/bench/jit-bench [--runs N] [--iters N] [--json FILE] [--only NAME]
 *
 * Summary lines: jit_vs_kernel_marginal_median (JIT / kernel, goal
 * <= 0.8), jit_vs_rte_bpf_median (JIT / rte_bpf, goal <= 1),
 * jit_vs_interp_median (interpreter / JIT, goal >= 15).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <rte_bpf.h>

#include "mlx5x_config.h"
#include "xdpc.h"

#define BB MLX5X_BUILD_ROOT "/bench/"
#define PP MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/"
#define TX MLX5X_BUILD_ROOT "/tests/xdp/"

struct prog {
	const char *name, *xdp, *rte; /* objects: XDP, rte_bpf (or NULL) */
	const char *xprog;            /* program name in the XDP object */
	void (*setup_x)(struct xdpc_obj *);
	void (*setup_k)(struct bpf_object *);
};

struct lpm_v4 {
	uint32_t prefixlen;
	uint8_t addr[4];
};

/* 16 blocked prefixes, none matching the frames' source: every lookup
 * walks the trie to the end */
static void
filter_x(struct xdpc_obj *o)
{
	for (uint32_t i = 0; i < 16; i++) {
		struct lpm_v4 k = { 8 + i, { (uint8_t)(10 + i), 1, 2, 0 } };
		uint32_t v = 1;

		xdpc_map_update(xdpc_obj_map(o, "blocklist"), &k, &v, BPF_ANY);
	}
}

static void
filter_k(struct bpf_object *o)
{
	int fd = bpf_map__fd(bpf_object__find_map_by_name(o, "blocklist"));

	for (uint32_t i = 0; i < 16; i++) {
		struct lpm_v4 k = { 8 + i, { (uint8_t)(10 + i), 1, 2, 0 } };
		uint32_t v = 1;

		bpf_map_update_elem(fd, &k, &v, BPF_ANY);
	}
}

static const struct prog progs[] = {
	{ "pass", BB "jit_pass.o", BB "jit_pass_rte.o", "jit_prog", NULL, NULL },
	{ "drop", BB "jit_drop.o", BB "jit_drop_rte.o", "jit_prog", NULL, NULL },
	{ "macswap", BB "jit_macswap.o", BB "jit_macswap_rte.o", "jit_prog",
	  NULL, NULL },
	{ "parse", BB "jit_parse.o", BB "jit_parse_rte.o", "jit_prog", NULL, NULL },
	{ "xdp_tx", PP "xdp_tx.o", NULL, "xdp_tx", NULL, NULL },
	{ "xdp_filter (LPM)", PP "xdp_filter.o", NULL, "xdp_filter", filter_x,
	  filter_k },
	{ "xdp_lb (L4 LB)", PP "xdp_lb.o", NULL, "xdp_lb", NULL, NULL },
	{ "corpus_firewall", TX "corpus_firewall.o", NULL, "corpus_firewall",
	  filter_x, filter_k },
	/* the rest of the differential corpus (corpus_printk aside: a
	 * million trace_printk calls a run would flood the trace pipe) */
#define C(n) { n, TX n ".o", NULL, n, NULL, NULL }
	C("corpus_adjust"), C("corpus_alu"), C("corpus_fib"), C("corpus_flags"),
	C("corpus_icmp"), C("corpus_lb"), C("corpus_lock"), C("corpus_loop"),
	C("corpus_mapinmap"), C("corpus_maps"), C("corpus_mtu"),
	C("corpus_perf"), C("corpus_ratelimit"), C("corpus_redirect"),
	C("corpus_sampler"), C("corpus_tailcall"), C("corpus_vlan"),
	C("corpus_xskcpu"),
#undef C
};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

static const uint32_t sizes[] = { 64, 512, 1500 };
#define NSIZES 3

enum { JIT, INTERP, KERNEL, RTE, NSIDES };

static unsigned long iters = 1000000;
static unsigned int runs = 3;

/* UDP to the balancer's VIP 10.0.0.100, port 4789, a valid header
 * checksum */
static void
make_frame(uint8_t *f, uint32_t len)
{
	static const uint8_t hdr[42] = {
		0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0,
		192, 168, 1, 7, 10, 0, 0, 100,
		0x30, 0x39, 0x12, 0xb5, 0, 0, 0, 0 };
	uint32_t sum = 0;

	memset(f, 0xab, len);
	memcpy(f, hdr, sizeof(hdr));
	f[16] = (uint8_t)((len - 14) >> 8);
	f[17] = (uint8_t)(len - 14);
	f[38] = (uint8_t)((len - 34) >> 8);
	f[39] = (uint8_t)(len - 34);
	for (int i = 14; i < 34; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	f[24] = (uint8_t)(~sum >> 8);
	f[25] = (uint8_t)~sum;
}

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* ns per run on xdp_compat, measured as the kernel's test run with
 * repeat measures: the frame is set up once, and each run sees what the
 * one before left (a program that rewrites the frame works on its own
 * output from the second run on, on both sides) */
static double
time_ours(struct xdpc_prog *p, const uint8_t *frame, uint32_t len)
{
	static uint8_t buf[XDPC_HEADROOM + 1500 + 512];
	struct xdpc_buff b = { 0 };
	double best = 1e30;

	for (unsigned int r = 0; r < runs; r++) {
		double t0;

		b.hard_start = buf;
		b.frame_sz = sizeof(buf);
		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + len;
		memcpy(b.data, frame, len);
		t0 = now_ns();
		for (unsigned long i = 0; i < iters; i++)
			xdpc_prog_run(p, &b, NULL, 0);
		t0 = (now_ns() - t0) / (double)iters;
		if (t0 < best)
			best = t0;
	}
	return best;
}

static double
time_kernel(int fd, const uint8_t *frame, uint32_t len)
{
	static uint8_t out[2048];
	double best = 1e30;

	for (unsigned int r = 0; r < runs; r++) {
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame,
			    .data_size_in = len, .data_out = out,
			    .data_size_out = sizeof(out),
			    .repeat = (int)iters);

		if (bpf_prog_test_run_opts(fd, &t) != 0)
			return -1;
		if (t.duration < best)
			best = t.duration;
	}
	return best;
}

static double
time_rte(const struct rte_bpf_jit *j, const uint8_t *frame, uint32_t len)
{
	static uint8_t buf[1500];
	double best = 1e30;
	volatile uint64_t sink = 0;

	memcpy(buf, frame, len);
	for (unsigned int r = 0; r < runs; r++) {
		double t0 = now_ns();

		for (unsigned long i = 0; i < iters; i++)
			sink += j->func(buf);
		t0 = (now_ns() - t0) / (double)iters;
		if (t0 < best)
			best = t0;
	}
	(void)sink;
	return best;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "iters", required_argument, NULL, 'n' },
		{ "json", required_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	double t[NPROGS][NSIZES][NSIDES];
	double rk[NPROGS * NSIZES], rr[NPROGS * NSIZES], ri[NPROGS * NSIZES];
	int nk = 0, nr = 0, ni = 0, o;
	const char *json = NULL, *only = NULL;
	bool kernel = geteuid() == 0;
	FILE *jf = NULL;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r': runs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'n': iters = strtoul(optarg, NULL, 0); break;
		case 'j': json = optarg; break;
		case 'o': only = optarg; break;
		default:
			fprintf(stderr, "usage: %s [--runs N] [--iters N] "
				"[--json FILE] [--only NAME]\n", argv[0]);
			return 2;
		}
	}
	if (runs == 0 || iters == 0) {
		fprintf(stderr, "jit-bench: --runs and --iters must be > 0\n");
		return 2;
	}
	libbpf_set_print(NULL);
	for (unsigned int p = 0; p < NPROGS; p++) {
		const struct prog *pr = &progs[p];
		char err[1024];
		struct xdpc_obj *x = xdpc_obj_open(pr->xdp, err, sizeof(err));
		struct bpf_object *k = NULL;
		struct rte_bpf *rb = NULL;
		struct rte_bpf_jit rj = { 0 };
		struct xdpc_prog *xp;
		int kfd = -1;

		if (only != NULL && p != 0 && strstr(pr->name, only) == NULL) {
			xdpc_obj_close(x);
			memset(t[p], 0, sizeof(t[p]));
			continue;
		}
		if (x == NULL || xdpc_obj_load(x, err, sizeof(err)) != 0) {
			fprintf(stderr, "jit-bench: %s\n", err);
			return 1;
		}
		if (pr->setup_x)
			pr->setup_x(x);
		xp = xdpc_obj_prog(x, pr->xprog);
		if (kernel) {
			k = bpf_object__open_file(pr->xdp, NULL);
			if (k == NULL || bpf_object__load(k) != 0) {
				fprintf(stderr, "jit-bench: the kernel refuses %s: %s\n",
					pr->xdp, strerror(errno));
				return 1;
			}
			if (pr->setup_k)
				pr->setup_k(k);
			kfd = bpf_program__fd(bpf_object__find_program_by_name(k,
							pr->xprog));
		}
		if (pr->rte != NULL) {
			struct rte_bpf_prm prm = {
				.prog_arg = { .type = RTE_BPF_ARG_PTR, .size = 64 } };

			rb = rte_bpf_elf_load(&prm, pr->rte, "xdp");
			if (rb == NULL || rte_bpf_get_jit(rb, &rj) != 0 ||
			    rj.func == NULL) {
				fprintf(stderr, "jit-bench: rte_bpf cannot JIT %s\n",
					pr->rte);
				return 1;
			}
		}
		for (int s = 0; s < NSIZES; s++) {
			uint8_t frame[1500];

			make_frame(frame, sizes[s]);
			xdpc_prog_set_engine(xp, XDPC_ENGINE_JIT);
			t[p][s][JIT] = time_ours(xp, frame, sizes[s]);
			xdpc_prog_set_engine(xp, XDPC_ENGINE_INTERP);
			t[p][s][INTERP] = time_ours(xp, frame, sizes[s]);
			t[p][s][KERNEL] = kfd >= 0 ? time_kernel(kfd, frame, sizes[s]) :
					  -1;
			t[p][s][RTE] = rb != NULL ? time_rte(&rj, frame, sizes[s]) : -1;
			fprintf(stderr, "  %-18s %4u B: jit %.1f, interp %.1f, kernel "
				"%.1f, rte_bpf %.1f ns a run\n", pr->name, sizes[s],
				t[p][s][JIT], t[p][s][INTERP], t[p][s][KERNEL],
				t[p][s][RTE]);
		}
		if (rb != NULL)
			rte_bpf_destroy(rb);
		bpf_object__close(k);
		xdpc_obj_close(x);
	}
	if (json != NULL && (jf = fopen(json, "w")) == NULL) {
		fprintf(stderr, "jit-bench: --json %s: %s\n", json, strerror(errno));
		return 1;
	}
	printf("| program | size | jit | interp | kernel | rte_bpf | jit/kernel | "
	       "jit/rte_bpf | interp/jit |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	if (jf)
		fprintf(jf, "{\"unit\": \"marginal ns per run\", \"rows\": [");
	for (unsigned int p = 1; p < NPROGS; p++) {
		for (int s = 0; s < NSIZES; s++) {
			double m[NSIDES];
			char rks[32] = "-", rrs[32] = "-", ris[32] = "-";

			/* marginal: minus the same side's XDP_PASS program */
			for (int d = 0; d < NSIDES; d++)
				m[d] = t[p][s][d] < 0 ? -1 : t[p][s][d] - t[0][s][d];
			/* below 0.5 ns the difference is noise: ratios of
			 * noise say nothing */
			if (m[KERNEL] >= 0.5 && m[JIT] >= 0) {
				rk[nk] = (m[JIT] > 0 ? m[JIT] : 0) / m[KERNEL];
				snprintf(rks, sizeof(rks), "%.2f", rk[nk++]);
			}
			if (m[RTE] >= 0.5 && m[JIT] >= 0) {
				rr[nr] = (m[JIT] > 0 ? m[JIT] : 0) / m[RTE];
				snprintf(rrs, sizeof(rrs), "%.2f", rr[nr++]);
			}
			if (m[JIT] >= 0.5) {
				ri[ni] = m[INTERP] / m[JIT];
				snprintf(ris, sizeof(ris), "%.1f", ri[ni++]);
			}
			{
				char rs[32] = "-";

				if (m[RTE] >= 0)
					snprintf(rs, sizeof(rs), "%.1f", m[RTE]);
				printf("| %s | %u | %.1f | %.1f | %.1f | %s | %s | %s | "
				       "%s |\n", progs[p].name, sizes[s], m[JIT],
				       m[INTERP], m[KERNEL], rs, rks, rrs, ris);
			}
			if (jf)
				fprintf(jf, "%s{\"program\": \"%s\", \"size\": %u, "
					"\"jit\": %.2f, \"interp\": %.2f, "
					"\"kernel\": %.2f, \"rte_bpf\": %.2f}",
					(p == 1 && s == 0) ? "" : ", ", progs[p].name,
					sizes[s], m[JIT], m[INTERP], m[KERNEL], m[RTE]);
		}
	}
	printf("baseline (XDP_PASS) per run: jit %.1f / %.1f / %.1f, interp %.1f / "
	       "%.1f / %.1f, kernel %.1f / %.1f / %.1f, rte_bpf %.1f / %.1f / %.1f "
	       "ns at 64 / 512 / 1500 B\n", t[0][0][JIT], t[0][1][JIT],
	       t[0][2][JIT], t[0][0][INTERP], t[0][1][INTERP], t[0][2][INTERP],
	       t[0][0][KERNEL], t[0][1][KERNEL], t[0][2][KERNEL], t[0][0][RTE],
	       t[0][1][RTE], t[0][2][RTE]);
	{
		double a = median(rk, nk), b = median(rr, nr), c = median(ri, ni);
		double worst = 0;

		for (int i = 0; i < nk; i++)
			if (rk[i] > worst)
				worst = rk[i];
		printf("jit_vs_kernel_marginal_median=%.2f\n", a);
		printf("jit_vs_kernel_marginal_worst=%.2f\n", worst);
		printf("jit_vs_rte_bpf_median=%.2f\n", b);
		printf("jit_vs_interp_median=%.1f\n", c);
		if (jf) {
			fprintf(jf, "], \"jit_vs_kernel_marginal_median\": %.3f, "
				"\"jit_vs_kernel_marginal_worst\": %.3f, "
				"\"jit_vs_rte_bpf_median\": %.3f, "
				"\"jit_vs_interp_median\": %.2f}\n", a, worst, b, c);
			fclose(jf);
		}
	}
	return 0;
}
