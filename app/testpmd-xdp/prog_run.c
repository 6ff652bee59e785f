/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd-xdp prog-run: a command-line mirror of `bpftool prog run` on
 * xdp_compat, with no EAL, hugepages or root. The output buffer is what
 * the kernel's BPF_PROG_TEST_RUN writes for XDP: data_meta to data_end.
 *
 *   testpmd-xdp prog-run OBJECT [--prog NAME] --data-in FILE
 *       [--data-out FILE] [--repeat N] [--engine jit|interp]
 *       [--set GLOBAL=VALUE]... [--map-dump]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xdpc.h"
#include "txp.h"

static const char *const act_names[] = {
	"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT",
};


int
txp_prog_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "data-in", required_argument, NULL, 'i' },
		{ "data-out", required_argument, NULL, 'o' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "engine", required_argument, NULL, 'e' },
		{ "set", required_argument, NULL, 's' },
		{ "map-dump", no_argument, NULL, 'm' },
		{ "map-update", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog_name = NULL, *in = NULL, *out = NULL, *sets[64];
	const char *upd[16][2];
	unsigned int nsets = 0, nupd = 0;
	unsigned long repeat = 1;
	bool map_dump = false;
	char err[512];
	struct xdpc_obj *obj;
	struct xdpc_prog *prog;
	static uint8_t buf[4096], orig[4096];
	size_t len;
	FILE *f;
	int o;
	uint32_t ret = 0;
	struct xdpc_buff b;
	struct timespec t0, t1;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': prog_name = optarg; break;
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'r':
			repeat = strtoul(optarg, NULL, 0);
			if (repeat == 0 || repeat > 100000000ul) {
				fprintf(stderr, "testpmd-xdp prog-run: --repeat %s: "
					"expected 1..100000000\n", optarg);
				return 2;
			}
			break;
		case 'e':
			if (strcmp(optarg, "interp") == 0) {
				xdpc_set_default_engine(XDPC_ENGINE_INTERP);
			} else if (strcmp(optarg, "jit") == 0) {
				xdpc_set_default_engine(XDPC_ENGINE_JIT);
			} else {
				fprintf(stderr, "testpmd-xdp prog-run: --engine %s: "
					"expected jit or interp\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (nsets == 64 || strchr(optarg, '=') == NULL) {
				fprintf(stderr, "testpmd-xdp prog-run: --set %s: "
					"expected GLOBAL=VALUE\n", optarg);
				return 2;
			}
			sets[nsets++] = optarg;
			break;
		case 'm': map_dump = true; break;
		case 'u':
			/* two words: MAP then KEY=VALUE */
			if (nupd == 16 || optind >= argc ||
			    strchr(argv[optind], '=') == NULL) {
				fprintf(stderr, "testpmd-xdp prog-run: --map-update "
					"%s: expected MAP KEY=VALUE\n", optarg);
				return 2;
			}
			upd[nupd][0] = optarg;
			upd[nupd++][1] = argv[optind++];
			break;
		default:
			fprintf(stderr, "testpmd-xdp prog-run: unknown or incomplete "
				"option %s\nusage: testpmd-xdp prog-run OBJECT [--prog "
				"NAME] --data-in FILE [--data-out FILE] [--repeat N] "
				"[--engine jit|interp] [--set GLOBAL=VALUE]... "
				"[--map-update MAP KEY=VALUE]... [--map-dump]\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind != argc - 1 || in == NULL) {
		fprintf(stderr, "testpmd-xdp prog-run: need one OBJECT and "
			"--data-in FILE\n");
		return 2;
	}
	obj = xdpc_obj_open(argv[optind], err, sizeof(err));
	if (obj == NULL) {
		fprintf(stderr, "testpmd-xdp prog-run: %s\n", err);
		return 1;
	}
	for (unsigned int i = 0; i < nsets; i++)
		if (txp_set_global(obj, sets[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "testpmd-xdp prog-run: --set %s: %s\n",
				sets[i], err);
			xdpc_obj_close(obj);
			return 1;
		}
	if (xdpc_obj_load(obj, err, sizeof(err)) != 0) {
		fprintf(stderr, "testpmd-xdp prog-run: %s\n", err);
		xdpc_obj_close(obj);
		return 1;
	}
	for (unsigned int i = 0; i < nupd; i++)
		if (txp_map_update(obj, upd[i][0], upd[i][1], err,
				   sizeof(err)) != 0) {
			fprintf(stderr, "testpmd-xdp prog-run: --map-update %s %s: "
				"%s\n", upd[i][0], upd[i][1], err);
			xdpc_obj_close(obj);
			return 2;
		}
	prog = xdpc_obj_prog(obj, prog_name);
	if (prog == NULL) {
		fprintf(stderr, "testpmd-xdp prog-run: %s: no program %s\n",
			argv[optind], prog_name);
		xdpc_obj_close(obj);
		return 1;
	}
	f = fopen(in, "rb");
	if (f == NULL) {
		fprintf(stderr, "testpmd-xdp prog-run: --data-in %s: %s\n", in,
			strerror(errno));
		xdpc_obj_close(obj);
		return 1;
	}
	len = fread(orig, 1, sizeof(orig) - XDPC_HEADROOM - 320, f);
	fclose(f);
	if (len < 14) {
		fprintf(stderr, "testpmd-xdp prog-run: --data-in %s: %zu bytes, an "
			"XDP frame needs at least 14\n", in, len);
		xdpc_obj_close(obj);
		return 1;
	}
	/* the kernel's test run starts from a zeroed buffer */
	memset(buf, 0, sizeof(buf));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long k = 0; k < repeat; k++) {
		char trace[256];

		/* every run starts from the input, as the kernel's does */
		memset(&b, 0, sizeof(b));
		b.hard_start = buf;
		b.frame_sz = sizeof(buf);
		b.data = buf + XDPC_HEADROOM;
		b.data_meta = b.data;
		b.data_end = b.data + len;
		b.ingress_ifindex = 1;
		memcpy(b.data, orig, len);
		ret = xdpc_prog_run(prog, &b, trace, sizeof(trace));
		if (k == 0 && trace[0] != '\0')
			fprintf(stderr, "testpmd-xdp prog-run: aborted: %s\n", trace);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("retval: %u (%s)\n", ret, ret < 5 ? act_names[ret] : "?");
	printf("size: %zu\n", (size_t)(b.data_end - b.data_meta));
	printf("duration: %.0f ns\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
				      (t1.tv_nsec - t0.tv_nsec)) / repeat);
	if (out != NULL) {
		f = fopen(out, "wb");
		if (f == NULL || fwrite(b.data_meta, 1, (size_t)(b.data_end -
					b.data_meta), f) != (size_t)(b.data_end -
								  b.data_meta)) {
			fprintf(stderr, "testpmd-xdp prog-run: --data-out %s: %s\n",
				out, strerror(errno));
			if (f != NULL)
				fclose(f);
			xdpc_obj_close(obj);
			return 1;
		}
		fclose(f);
	}
	if (map_dump)
		txp_map_dump(obj, NULL, 0, stdout);
	xdpc_obj_close(obj);
	return 0;
}
