/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loading the kernel's copy of an object's BTF into the running kernel
 * (kern/btf_load.c): every fixture in both byte orders, and a kernel
 * without ENUM64 (a script over Linux's bpf(2)). The blob itself is
 * checked without a kernel in tests/unit/test_btf_fixup.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel_avail.h"
#include "btf_fixup_util.h"

static void test_kernel_loads_every_fixture(void **state)
{
	struct lb_log lb = { { 0 } };
	struct bbpf_ctx *ctx;
	size_t f;
	int eb;

	(void)state;
	TK_NEED_KERNEL();
	ctx = bf_new_ctx(NULL, NULL, &lb);
	for (f = 0; f < BF_NFIX; f++) {
		for (eb = 0; eb < 2; eb++) {
			struct bbpf_object *obj = bf_open_fix(bf_fixture(f), eb);
			int fd = -1;

			assert_int_equal(bf_load_btf(ctx, obj, &fd), 0);
			if (fd < 0)
				fail_msg("%s%s: BTF not loaded:\n%s", bf_fixture(f), eb ? " (eb)" : "",
					 lb.text);
			close(fd);
			bbpf_object_close(obj);
		}
	}
	assert_true(ctx->feat.btf_enum64);
	bbpf_ctx_free(ctx);
}

/* A kernel without ENUM64: the probe finds out, the blob has none, the kernel takes it. */
static void test_kernel_old_enum64(void **state)
{
	struct bf_script s = { .reject_enum64 = true };
	struct lb_log lb = { { 0 } };
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	int fd = -1, before;

	(void)state;
	TK_NEED_KERNEL();
	ctx = bf_new_ctx(&sys, &s, &lb);
	obj = bf_open_fix("core_tm", false);
	assert_int_equal(bbpf_features_probe(ctx), 0);
	assert_false(ctx->feat.btf_enum64);
	assert_true(ctx->feat.btf_type_tag);
	before = s.btf_loads;
	assert_int_equal(bf_load_btf(ctx, obj, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(s.btf_loads, before + 1);	/* first try, no log needed */
	assert_int_equal(s.enum64_loads, 1);		/* the probe's only */
	close(fd);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_loads_every_fixture),
		cmocka_unit_test(test_kernel_old_enum64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
