/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/ against the reference tools:
 *  - barebpf's skeleton of every example object is byte-identical to
 *    bpftool 7.1's;
 *  - the same example sources built with bpftool's skeletons and Debian's
 *    libbpf (`make -C examples dyn SKEL_GEN="bpftool gen skeleton"
 *    LIB_LIBS="-lbpf -lelf -lz"`) run and pass the same output checks as
 *    the barebpf builds (tests/lib/examples_run.c);
 *  - sizes: the static barebpf builds (glibc, musl) against the same
 *    examples linked statically with Debian's libbpf.a + libelf.a + libz.a,
 *    all stripped; printed for README "Examples", and barebpf's must be
 *    the smaller.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "examples_run.h"
#include "kernel_avail.h"
#include "proc_run.h"

#define EXD BBPF_SRC_DIR "/" BBPF_BUILD_DIR "/examples"
#define CLI BBPF_SRC_DIR "/" BBPF_BUILD_DIR "/barebpf"
#define REF_VARS "SKEL_GEN='bpftool gen skeleton' BAREBPF=" CLI " LIB_CFLAGS= "

static const char *const apps[] = { "minimal", "bootstrap", "uprobe", "usdt", "task_iter", "tc",
				    "sockfilter", "kprobe" };
#define NAPPS (sizeof(apps) / sizeof(apps[0]))

static void test_skeletons_match_bpftool(void **state)
{
	char *cmd, *o;
	size_t i;

	(void)state;
	assert_int_equal(ex_build_barebpf(), 0);
	for (i = 0; i < NAPPS; i++) {
		assert_true(asprintf(&cmd, "cd %s && bpftool gen skeleton %s.bpf.o | cmp - %s.skel.h "
				     "&& echo SAME", EXD, apps[i], apps[i]) > 0);
		o = proc_capture(cmd);
		free(cmd);
		assert_non_null(o);
		if (!strstr(o, "SAME"))
			print_message("%s: %s\n", apps[i], o);
		assert_non_null(strstr(o, "SAME"));
		free(o);
	}
}

static void test_libbpf_build_runs(void **state)
{
	char *o, *err;
	int failed = 0;
	size_t i;

	(void)state;
	TK_NEED_KERNEL();
	o = ex_make("dyn OUT=" EXD "-libbpf " REF_VARS "LIB_LIBS='-lbpf -lelf -lz'");
	assert_non_null(o);
	free(o);
	for (i = 0; i < sizeof(ex_run_apps) / sizeof(ex_run_apps[0]); i++) {
		err = ex_check(EXD "-libbpf/dyn", ex_run_apps[i]);
		if (err) {
			print_message("libbpf build, %s: %s\n", ex_run_apps[i], err);
			failed++;
		}
		free(err);
	}
	assert_int_equal(failed, 0);
}

static long stripped(const char *path)
{
	char *cmd, *o, s[600];

	snprintf(s, sizeof(s), "%s.stripped", path);
	assert_true(asprintf(&cmd, "strip -o %s %s 2>&1", s, path) > 0);
	o = proc_capture(cmd);
	free(cmd);
	free(o);
	return ex_file_size(s);
}

static void test_sizes(void **state)
{
	char p[3][512], *o;
	long sz[3], tot[3] = { 0, 0, 0 };
	size_t i, k;

	(void)state;
	assert_int_equal(ex_build_barebpf(), 0);
	o = ex_make("glibc OUT=" EXD "-libbpfa " REF_VARS
		    "LIB_LIBS='-l:libbpf.a -l:libelf.a -l:libz.a'");
	assert_non_null(o);
	free(o);
	print_message("%-10s %12s %12s %12s  (stripped bytes)\n", "example", "barebpf-glibc",
		      "barebpf-musl", "libbpf.a-glibc");
	for (i = 0; i < NAPPS; i++) {
		snprintf(p[0], sizeof(p[0]), "%s/glibc/%s", EXD, apps[i]);
		snprintf(p[1], sizeof(p[1]), "%s/musl/%s", EXD, apps[i]);
		snprintf(p[2], sizeof(p[2]), "%s-libbpfa/glibc/%s", EXD, apps[i]);
		for (k = 0; k < 3; k++) {
			sz[k] = stripped(p[k]);
			assert_true(sz[k] > 0);
			tot[k] += sz[k];
		}
		print_message("%-10s %12ld %12ld %12ld\n", apps[i], sz[0], sz[1], sz[2]);
		assert_true(sz[0] < sz[2]);
		assert_true(sz[1] < sz[2]);
	}
	print_message("%-10s %12ld %12ld %12ld\n", "total", tot[0], tot[1], tot[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skeletons_match_bpftool),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_libbpf_build_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
