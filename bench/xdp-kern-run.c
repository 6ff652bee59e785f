/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp-kern-run: the kernel side of the XDP benchmark. Loads an XDP object
 * with libbpf (const volatile globals set first), attaches one program in
 * native (driver) mode to an interface, optionally points its DEVMAP
 * `tx_port` from that interface to another, and reports how many times
 * the kernel ran it per second (BPF_ENABLE_STATS run counts) over a
 * fixed time. The traffic comes from elsewhere (bench/xdp-live-gen).
 *
 *   xdp-kern-run OBJ[:PROG] IFNAME SECONDS [GLOBAL=VALUE]... [redirect=IFNAME]
 *
 * Prints: kernel_pps=<n> kernel_mpps=<x> run_ns=<avg ns per run>
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

/* Set global @name in .rodata/.data/.bss before load, through BTF. */
static int
set_global(struct bpf_object *obj, const char *name, unsigned long long v)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const struct btf *btf = bpf_object__btf(obj);
		const struct btf_type *sec;
		const struct btf_var_secinfo *vs;
		size_t sz;
		const uint8_t *init;
		uint8_t data[4096];
		int id;

		if (!bpf_map__is_internal(m) || btf == NULL)
			continue;
		id = btf__find_by_name(btf, bpf_map__name(m));
		if (id < 0) {
			/* libbpf names the map "<obj>.rodata": find the section */
			const char *dot = strrchr(bpf_map__name(m), '.');

			id = dot ? btf__find_by_name(btf, dot) : -1;
		}
		if (id < 0)
			continue;
		sec = btf__type_by_id(btf, id);
		if (!btf_is_datasec(sec))
			continue;
		init = bpf_map__initial_value(m, &sz);
		if (init == NULL || sz > sizeof(data))
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

int
main(int argc, char **argv)
{
	char path[512], *pname;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_prog_info info;
	__u32 ilen = sizeof(info);
	int ifindex, target = 0, pfd, sfd;
	unsigned long long cnt0, t0;
	double secs;

	if (argc < 4) {
		fprintf(stderr, "usage: xdp-kern-run OBJ[:PROG] IFNAME SECONDS "
			"[GLOBAL=VALUE]... [redirect=IFNAME]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s", argv[1]);
	pname = strrchr(path, ':');
	if (pname != NULL)
		*pname++ = '\0';
	ifindex = (int)if_nametoindex(argv[2]);
	secs = atof(argv[3]);
	if (ifindex == 0) {
		fprintf(stderr, "xdp-kern-run: no interface %s\n", argv[2]);
		return 1;
	}
	libbpf_set_print(NULL);
	obj = bpf_object__open_file(path, NULL);
	if (obj == NULL || libbpf_get_error(obj)) {
		fprintf(stderr, "xdp-kern-run: cannot open %s\n", path);
		return 1;
	}
	for (int i = 4; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL) {
			fprintf(stderr, "xdp-kern-run: %s: expected NAME=VALUE\n",
				argv[i]);
			return 2;
		}
		*eq = '\0';
		if (!strcmp(argv[i], "redirect")) {
			target = (int)if_nametoindex(eq + 1);
			if (target == 0) {
				fprintf(stderr, "xdp-kern-run: no interface %s\n",
					eq + 1);
				return 1;
			}
		} else if (set_global(obj, argv[i],
				      strtoull(eq + 1, NULL, 0)) != 0) {
			fprintf(stderr, "xdp-kern-run: %s: no global %s\n", path,
				argv[i]);
			return 1;
		}
	}
	if (bpf_object__load(obj) != 0) {
		fprintf(stderr, "xdp-kern-run: %s: load failed (root?)\n", path);
		return 1;
	}
	prog = pname ? bpf_object__find_program_by_name(obj, pname) :
	       bpf_object__next_program(obj, NULL);
	if (prog == NULL) {
		fprintf(stderr, "xdp-kern-run: %s: no program %s\n", path,
			pname ? pname : "");
		return 1;
	}
	pfd = bpf_program__fd(prog);
	if (target != 0) {
		struct bpf_map *tx = bpf_object__find_map_by_name(obj, "tx_port");
		__u32 k = (__u32)ifindex, v = (__u32)target;

		if (tx == NULL ||
		    bpf_map_update_elem(bpf_map__fd(tx), &k, &v, 0) != 0) {
			fprintf(stderr, "xdp-kern-run: tx_port update: %s\n",
				strerror(errno));
			return 1;
		}
	}
	sfd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (sfd < 0) {
		fprintf(stderr, "xdp-kern-run: BPF_ENABLE_STATS: %s\n",
			strerror(errno));
		return 1;
	}
	if (bpf_xdp_attach(ifindex, pfd, XDP_FLAGS_DRV_MODE, NULL) != 0) {
		fprintf(stderr, "xdp-kern-run: attach to %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	usleep(250000); /* warm-up */
	memset(&info, 0, sizeof(info));
	bpf_obj_get_info_by_fd(pfd, &info, &ilen);
	cnt0 = info.run_cnt;
	t0 = info.run_time_ns;
	usleep((useconds_t)(secs * 1e6));
	memset(&info, 0, sizeof(info));
	ilen = sizeof(info);
	bpf_obj_get_info_by_fd(pfd, &info, &ilen);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	printf("kernel_pps=%.0f kernel_mpps=%.3f run_ns=%.1f\n",
	       (info.run_cnt - cnt0) / secs, (info.run_cnt - cnt0) / secs / 1e6,
	       info.run_cnt > cnt0 ? (double)(info.run_time_ns - t0) /
				     (info.run_cnt - cnt0) : 0);
	close(sfd);
	bpf_object__close(obj);
	return 0;
}
