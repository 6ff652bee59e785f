/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp-live-gen: a kernel traffic source for benchmarks. Runs an XDP
 * program with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES, which
 * redirects UDP frames (60 bytes, or SIZE - 4 for the FCS) into an
 * interface (one end of a veth pair) as fast as the kernel sends them,
 * for a fixed time.
 *
 *   xdp-live-gen OBJ IFNAME SECONDS [SIZE]
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

int
main(int argc, char **argv)
{
	static unsigned char pkt[1600] = {
		0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
		0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1,
		198, 19, 0, 1, 0x04, 0x00, 0, 9, 0, 26, 0, 0,
	};
	size_t len = 60;
	struct bpf_object *obj;
	struct bpf_map *ro;
	uint32_t *ifx;
	size_t sz;
	int fd, ifindex;
	double secs;
	unsigned long long sent = 0;
	struct timespec t0, t1;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: xdp-live-gen OBJ IFNAME SECONDS [SIZE]\n");
		return 2;
	}
	if (argc == 5) {
		len = (size_t)atoi(argv[4]) - 4;
		if (len < 60 || len > 1514) {
			fprintf(stderr, "xdp-live-gen: SIZE 64..1518\n");
			return 2;
		}
		/* IP total length and UDP length follow the frame size */
		pkt[16] = (unsigned char)((len - 14) >> 8);
		pkt[17] = (unsigned char)(len - 14);
		pkt[38] = (unsigned char)((len - 34) >> 8);
		pkt[39] = (unsigned char)(len - 34);
	}
	ifindex = (int)if_nametoindex(argv[2]);
	secs = atof(argv[3]);
	if (ifindex == 0) {
		fprintf(stderr, "xdp-live-gen: no interface %s\n", argv[2]);
		return 1;
	}
	libbpf_set_print(NULL);
	obj = bpf_object__open_file(argv[1], NULL);
	if (obj == NULL || libbpf_get_error(obj)) {
		fprintf(stderr, "xdp-live-gen: cannot open %s\n", argv[1]);
		return 1;
	}
	ro = bpf_object__find_map_by_name(obj, ".rodata");
	ifx = ro ? (uint32_t *)(uintptr_t)bpf_map__initial_value(ro, &sz) : NULL;
	if (ifx == NULL) {
		fprintf(stderr, "xdp-live-gen: %s has no .rodata\n", argv[1]);
		return 1;
	}
	*ifx = (uint32_t)ifindex;
	if (bpf_object__load(obj) != 0) {
		fprintf(stderr, "xdp-live-gen: load failed (root? bpf())\n");
		return 1;
	}
	fd = bpf_program__fd(bpf_object__next_program(obj, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
			    .data_size_in = len, .repeat = 1 << 20,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
			    .batch_size = 64);
		if (bpf_prog_test_run_opts(fd, &o) != 0) {
			fprintf(stderr, "xdp-live-gen: test run: %s\n",
				strerror(errno));
			return 1;
		}
		sent += 1 << 20;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	printf("xdp-live-gen: %llu frames in %.1f s (%.2f Mpps)\n", sent,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       sent / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9) / 1e6);
	bpf_object__close(obj);
	return 0;
}
