/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Minimal assertion and reporting helpers shared by the C tests, plus the
 * EAL arguments every EAL test uses (--no-huge unless MLX5X_TEST_HUGE=1,
 * always --no-pci, a private file prefix so tests run side by side).
 * Exit codes follow meson: 0 pass, 1 fail, 77 skip.
 */
#ifndef MLX5X_TEST_H
#define MLX5X_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEST_SKIP_RC 77

static int t_checks, t_failed;

/* Each macro evaluates its condition (and operands) exactly once, so a
 * call with side effects can sit inside it. */
#define CHECK(cond, ...) CHECK_AS(cond, #cond, __VA_ARGS__)
#define CHECK_AS(cond, text, ...)                                            \
	do {                                                                 \
		t_checks++;                                                  \
		if (!(cond)) {                                               \
			t_failed++;                                          \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,        \
				__LINE__, text);                             \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		unsigned long long t_a_ = (unsigned long long)(a);           \
		unsigned long long t_b_ = (unsigned long long)(b);           \
		CHECK_AS(t_a_ == t_b_, #a " == " #b, "%s = %llu, %s = %llu", \
			 #a, t_a_, #b, t_b_);                                \
	} while (0)

/* In a void test function: stop it on failure. */
#define REQUIRE(cond, ...)                                                   \
	do {                                                                 \
		int t_ok_ = !!(cond);                                        \
		CHECK_AS(t_ok_, #cond, __VA_ARGS__);                         \
		if (!t_ok_)                                                  \
			return;                                              \
	} while (0)

/* Anywhere: end the program on failure. */
#define REQUIRE_OR_EXIT(cond, ...)                                           \
	do {                                                                 \
		int t_ok_ = !!(cond);                                        \
		CHECK_AS(t_ok_, #cond, __VA_ARGS__);                         \
		if (!t_ok_)                                                  \
			exit(test_report(__func__));                         \
	} while (0)

#define SKIP(...)                                                            \
	do {                                                                 \
		printf("SKIP: ");                                            \
		printf(__VA_ARGS__);                                         \
		printf("\n");                                                \
		exit(TEST_SKIP_RC);                                          \
	} while (0)

static inline int
test_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, t_checks, t_failed);
	return t_failed ? 1 : 0;
}

#define RUN(fn)                                                              \
	do {                                                                 \
		int before = t_failed;                                       \
		fn();                                                        \
		printf("%s %s\n", t_failed == before ? "ok  " : "FAIL", #fn); \
	} while (0)

/* EAL: argv for rte_eal_init(); lcores e.g. "0@0,1@1". */
static inline int
test_eal_args(char **argv, int max, const char *prog, const char *lcores)
{
	static char lc[64], prefix[64];
	int n = 0;

	argv[n++] = (char *)prog;
	snprintf(lc, sizeof(lc), "--lcores=%s", lcores ? lcores : "0");
	argv[n++] = lc;
	argv[n++] = (char *)"--no-pci";
	/* --no-huge rules out --in-memory; a private prefix and no shared
	 * config let tests run side by side. */
	argv[n++] = (char *)"--no-shconf";
	snprintf(prefix, sizeof(prefix), "--file-prefix=mlx5x-test-%d",
		 (int)getpid());
	argv[n++] = prefix;
	argv[n++] = (char *)"--log-level=lib.eal:warning";
	if (!getenv("MLX5X_TEST_HUGE")) {
		argv[n++] = (char *)"--no-huge";
		argv[n++] = (char *)"-m";
		argv[n++] = (char *)"512";
	}
	(void)max;
	argv[n] = NULL;
	return n;
}

#endif
