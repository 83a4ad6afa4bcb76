/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running kernel's BTF as a CO-RE target: a user-space CO-RE load of
 * core.bpf.o into the running kernel uses vmlinux as the target and leaves
 * it without a name index (the CO-RE cache scans it once instead).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <barebpf/loader.h>
#include <barebpf/object.h>
#include "kernel_avail.h"
#include "tb_env.h"
#include "kern/kern.h"
#include "relo/core.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

/* A CO-RE-only load of core.bpf.o leaves vmlinux without a name index. */
static void test_real_core_load_no_index(void **state)
{
	struct bbpf_load_opts lo = { .core_mode = BBPF_CORE_USER };
	struct bbpf_object *obj;
	struct tb_env *e;
	int err;

	(void)state;
	TK_NEED_KERNEL();
	e = tb_env_new(true, NULL);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_open_file(&obj, FIX("core.bpf.o"), NULL, NULL), 0);
	err = bbpf_object_load(obj, &lo);
	if (err)
		fail_msg("load: %d\n%s", err, e->log.text);
	assert_non_null(e->ctx->vmlinux);
	assert_ptr_equal(e->ctx->core_target, e->ctx->vmlinux);
	assert_null(e->ctx->vmlinux->name_hash);
	assert_true(e->ctx->core_cache->scan_cnt >= 1);
	bbpf_object_close(obj);
	tb_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_core_load_no_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
