/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/ live: each example (static glibc and static musl builds, from
 * `make examples`: barebpf's skeletons and barebpf-libbpf) runs on this
 * kernel while the test makes the activity it reports, and its output
 * must show it (tests/lib/examples_run.c has the checks):
 *   minimal    its bpf_printk line with its own PID in the trace
 *   bootstrap  EXEC and EXIT lines of /bin/true and of a shell that exits 3
 *   uprobe     BPF saw the 3 calls of uprobed_add() (arguments, result)
 *   usdt       BPF saw the 3 ticks of its USDT probe (both arguments)
 *   task_iter  the task list, with itself in it
 *   tc         >= 3 IPv4 packets at lo ingress in a private netns, and the
 *              clsact qdisc it created gone after it exits
 *   sockfilter a UDP packet 127.0.0.1 -> 127.0.0.1 on lo (private netns)
 * kprobe is built but not run (no kprobes on this kernel; tests/kernels).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "examples_run.h"
#include "kernel_avail.h"

static void run_all(const char *libc)
{
	char dir[512], *err;
	size_t i;
	int failed = 0;

	snprintf(dir, sizeof(dir), "%s/build/examples/%s", BBPF_SRC_DIR, libc);
	for (i = 0; i < sizeof(ex_run_apps) / sizeof(ex_run_apps[0]); i++) {
		err = ex_check(dir, ex_run_apps[i]);
		if (err) {
			print_message("%s/%s: %s\n", libc, ex_run_apps[i], err);
			failed++;
		}
		free(err);
	}
	assert_int_equal(failed, 0);
}

static void test_examples_glibc(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	assert_int_equal(ex_build_barebpf(), 0);
	run_all("glibc");
}

static void test_examples_musl(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	assert_int_equal(ex_build_barebpf(), 0);
	run_all("musl");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_glibc),
		cmocka_unit_test(test_examples_musl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
