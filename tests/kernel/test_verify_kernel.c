/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verifier against the kernel's (BPF_PROG_LOAD through libbpf):
 * every program the project ships or tests with (the positive corpus)
 * must be accepted by both; every program of the negative corpus
 * (tests/xdp/verify_neg.c, one broken rule each) must be refused by
 * xdp_compat for that rule and by the kernel, except where we are
 * stricter than the kernel as root, listed here and in
 * doc/xdp_compat.md; for those, the kernel without CAP_PERFMON (its
 * rules for programs that may not leak pointers or read uninitialised
 * stack) must refuse them too. Also the control-flow refusals
 * (tests/xdp/unit_cfg.c) and the time a 4,000-instruction program
 * takes to verify.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "xdpc.h"

#define TX MLX5X_BUILD_ROOT "/tests/xdp/"
#define PROGS MLX5X_BUILD_ROOT "/app/testpmd-xdp/progs/"

/* 1 the kernel accepts, 0 it refuses; -1 bpf() not usable */
static int
kernel_accepts(const char *path)
{
	struct bpf_object *k = bpf_object__open_file(path, NULL);
	int rc;

	if (k == NULL || libbpf_get_error(k))
		return 0;
	rc = bpf_object__load(k);
	bpf_object__close(k);
	if (rc != 0 && (errno == EPERM || rc == -EPERM))
		return -1;
	return rc == 0;
}

/* The kernel's verdict for a loader holding CAP_BPF and CAP_NET_ADMIN
 * but not CAP_PERFMON or CAP_SYS_ADMIN: no pointer leaks, no reads of
 * uninitialised stack. In a child, so the test keeps its capabilities. */
static int
kernel_accepts_unprivileged(const char *path)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2] = { { 0 } };
		uint64_t keep = (1ull << CAP_BPF) | (1ull << CAP_NET_ADMIN);

		d[0].effective = d[0].permitted = (uint32_t)keep;
		d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
		if (syscall(SYS_capset, &h, d) != 0)
			_exit(2);
		_exit(kernel_accepts(path) == 1 ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st) == 0 ? 1 : WEXITSTATUS(st) == 1 ? 0 : -1;
}

static int
ours(const char *path, char *err, size_t errlen)
{
	struct xdpc_obj *o = xdpc_obj_open(path, err, errlen);
	int rc;

	if (o == NULL)
		return -1;
	rc = xdpc_obj_load(o, err, errlen);
	xdpc_obj_close(o);
	return rc == 0;
}

static void
test_positive_corpus(void)
{
	static const char *const objs[] = {
		TX "corpus_adjust.o", TX "corpus_alu.o", TX "corpus_fib.o",
		TX "corpus_firewall.o", TX "corpus_flags.o", TX "corpus_icmp.o",
		TX "corpus_lb.o", TX "corpus_legacy_btf.o", TX "corpus_lock.o",
		TX "corpus_loop.o", TX "corpus_mapinmap.o", TX "corpus_maps.o",
		TX "corpus_mtu.o", TX "corpus_perf.o", TX "corpus_printk.o",
		TX "corpus_ratelimit.o", TX "corpus_redirect.o",
		TX "corpus_sampler.o", TX "corpus_tailcall.o", TX "corpus_vlan.o",
		TX "corpus_xskcpu.o", TX "unit_maps.o", TX "native_test.o",
		TX "verify_scale.o",
		PROGS "xdp_drop.o", PROGS "xdp_pass.o", PROGS "xdp_tx.o",
		PROGS "xdp_redirect.o", PROGS "xdp_bench.o", PROGS "xdp_filter.o",
		PROGS "xdp_lb.o", PROGS "xdp_livegen.o",
	};

	for (unsigned int i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		char err[2048] = "";
		int k = kernel_accepts(objs[i]);
		int x = ours(objs[i], err, sizeof(err));

		if (k < 0)
			SKIP("bpf() not permitted");
		CHECK(k == 1 && x == 1, "%s: kernel %s, xdp_compat %s %s", objs[i],
		      k ? "accepts" : "refuses", x == 1 ? "accepts" : "refuses",
		      err);
	}
}

struct neg {
	const char *name;
	const char *rule;       /* what our refusal must say */
	/* why we refuse what the kernel, as root, accepts; NULL when the
	 * kernel refuses it too */
	const char *stricter;
};

static const struct neg negs[] = {
	{ "pkt_unchecked", "invalid access to packet", NULL },
	{ "pkt_off_by_one", "offset 14, but only 14 bytes are proven", NULL },
	{ "meta_unchecked", "invalid access to packet metadata", NULL },
	{ "map_null", "check it against NULL", NULL },
	{ "map_value_oob", "invalid access to map value", NULL },
	{ "map_var_oob", "offset 0..255, outside its 8 bytes", NULL },
	{ "stale_pkt", "R6 is scalar, which cannot be read", NULL },
	{ "lock_held", "bpf_spin_unlock is missing", NULL },
	{ "ringbuf_leak", "unreleased reference", NULL },
	{ "rodata_write", "read only to programs", NULL },
	{ "stack_combined", "combined stack of its calls is 640 bytes", NULL },
	{ "callback_ret", "callback must return 0 or 1", NULL },
	{ "helper_unbounded", "(a size) may be negative", NULL },
	{ "wrong_map_type", "cannot be used with map arr", NULL },
	{ "pkt_var_unbounded", "unbounded min value", NULL },
	{ "stack_oob", "outside the 512-byte stack frame", NULL },
	{ "infinite_loop", "infinite loop detected", NULL },
	{ "too_complex", "1000000 instructions processed", NULL },
	{ "helper_bad_arg", "R1 is scalar; expected a map", NULL },
	{ "unknown_helper", "which xdp_compat does not provide", NULL },
	{ "pkt_end_arith", "pointer arithmetic on pkt_end is prohibited", NULL },
	{ "null_arith", "null-check it first", NULL },
	{ "ctx_write", "the context is read only", NULL },
	{ "ctx_bad_off", "invalid struct xdp_md access at offset 2", NULL },
	{ "div_zero_imm", "division by zero", NULL },
	{ "shift_width", "invalid shift 64", NULL },
	{ "r0_unset", "R0 is not set at exit", NULL },
	{ "read_uninit_reg", "R5 is read before it is written", NULL },
	{ "ptr_mul", "pointer arithmetic with operator", NULL },
	{ "scalar_deref", "R2 is scalar, which cannot be read", NULL },
	{ "ptr_in_map", "storing a pointer (pkt) into map_value",
	  "a pointer in a map outlives the run that made it; root may leak "
	  "addresses in the kernel, xdp_compat never does" },
	{ "stack_uninit", "which was never written",
	  "reading uninitialised stack gives stale bytes of earlier runs; "
	  "the kernel allows it only with CAP_PERFMON" },
	{ "helper_uninit_key", "was never written",
	  "the same rule for a helper's key: uninitialised stack is never "
	  "read, by the program or by a helper for it" },
};

static void
test_negative_corpus(void)
{
	for (unsigned int i = 0; i < sizeof(negs) / sizeof(negs[0]); i++) {
		const struct neg *n = &negs[i];
		char path[512], err[2048] = "";
		int k, x;

		snprintf(path, sizeof(path), TX "verify_neg_%s.o", n->name);
		k = kernel_accepts(path);
		if (k < 0)
			SKIP("bpf() not permitted");
		x = ours(path, err, sizeof(err));
		CHECK(x == 0 && strstr(err, n->rule) != NULL &&
		      strstr(err, "verify_neg_") != NULL,
		      "%s: xdp_compat must refuse it for \"%s\": %s", n->name,
		      n->rule, x == 1 ? "accepted" : err);
		/* every refusal for a rule names the instruction and, from
		 * BTF, the source line */
		if (strstr(n->rule, "combined stack") == NULL &&
		    strstr(n->rule, "does not provide") == NULL)
			CHECK(strstr(err, "instruction ") != NULL &&
			      strstr(err, "verify_neg.c:") != NULL &&
			      strstr(err, "; frame ") != NULL &&
			      strstr(err, " R10=fp") != NULL,
			      "%s: message without instruction, line or registers: "
			      "%s", n->name, err);
		if (n->stricter == NULL) {
			CHECK(k == 0, "%s: the kernel accepts it, xdp_compat "
			      "refuses it: %s", n->name, err);
		} else {
			int u = kernel_accepts_unprivileged(path);

			CHECK(k == 1, "%s: listed as stricter than the kernel, but "
			      "the kernel refuses it too", n->name);
			CHECK(u == 0, "%s: the kernel without CAP_PERFMON %s it "
			      "(%d)", n->name, u == 1 ? "accepts" : "cannot load",
			      u);
			printf("  stricter than root: %s: %s\n", n->name, n->stricter);
		}
	}
}

/* The control-flow refusals, and the objects the runtime-check tests
 * load past the verifier: both verifiers refuse them. */
static void
test_cfg_verdicts(void)
{
	static const char *const c[] = { "unit_cfg_jump_out", "unit_cfg_fall_off",
					 "unit_cfg_unreachable",
					 "unit_cfg_into_ldimm", "unit_bad",
					 "native_fault" };

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char path[512], err[512];
		int k, x;

		snprintf(path, sizeof(path), TX "%s.o", c[i]);
		k = kernel_accepts(path);
		if (k < 0)
			SKIP("bpf() not permitted");
		x = ours(path, err, sizeof(err));
		CHECK(k == 0 && x == 0, "%s: kernel %d, xdp_compat %d", c[i], k, x);
	}
}

/* A load balancer's size: 4,000 instructions and hundreds of branches
 * verify in well under a second. */
static void
test_scale(void)
{
	char err[1024];
	struct xdpc_obj *o = xdpc_obj_open(TX "verify_scale.o", err, sizeof(err));
	struct xdpc_verify_stats st;
	struct xdpc_prog *p;
	uint32_t n = 0;
	struct timespec t0, t1;

	REQUIRE(o != NULL, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(xdpc_obj_load(o, err, sizeof(err)), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	p = xdpc_obj_prog(o, NULL);
	REQUIRE(p != NULL, "program");
	xdpc_prog_verify_stats(p, &st);
	n = xdpc_prog_insn_count(p);
	CHECK(n >= 4000, "verify_scale has %u instructions", n);
	CHECK(st.ns < 1000000000ull, "verification took %lu ms",
	      (unsigned long)(st.ns / 1000000));
	printf("  verify_scale: %u instructions, %lu processed, %u states, "
	       "%.1f ms (load %.1f ms)\n", n, (unsigned long)st.insns_processed,
	       st.states, st.ns / 1e6,
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e6);
	xdpc_obj_close(o);
}

int
main(void)
{
	if (geteuid() != 0)
		SKIP("not root: the kernel side needs bpf()");
	libbpf_set_print(NULL);
	RUN(test_positive_corpus);
	RUN(test_negative_corpus);
	RUN(test_cfg_verdicts);
	RUN(test_scale);
	return test_report("test_verify_kernel");
}
