// SPDX-License-Identifier: BSD-2-Clause
/*
 * A load the kernel refuses, then the same opened object loaded once the
 * cause is fixed, against the real kernel: load_retry.bpf.o's map has
 * max_entries 0 (stage MAP, -EINVAL), then its "bad" program is refused by
 * the verifier (stage PROG, -EACCES); nothing stays in the kernel after
 * either failure; sized and with "bad" off, it loads and runs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <barebpf/loader.h>
#include "kernel_avail.h"
#include "kern/kern.h"
#include "fake_sys.h"

struct logcap {
	char verifier[256];	/* first verifier line at WARN */
};

static void cap(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct logcap *l = ctx;

	if (level == BBPF_LOG_WARN && !l->verifier[0] && strstr(msg, "verifier: "))
		snprintf(l->verifier, sizeof(l->verifier), "%s", msg);
}

static void test_retry_after_fix(void **state)
{
	struct fs_wrap *w = calloc(1, sizeof(*w));
	struct logcap lc = { { 0 } };
	struct bbpf_ctx_opts co = { .log = cap, .log_ctx = &lc };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	struct bbpf_sys sys;
	const struct bbpf_diag *d;
	struct bbpf_map *map;
	char path[512];

	(void)state;
	assert_non_null(w);
	TK_NEED_KERNEL();
	sys = fs_wrap_init(w, &bbpf_sys_linux);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	lo.ctx = ctx;
	snprintf(path, sizeof(path), "%s/load_retry.bpf.o", BBPF_FIXTURE_DIR);
	assert_int_equal(bbpf_object_open_file(&obj, path, NULL, NULL), 0);
	map = bbpf_object_find_map(obj, "sized_later");
	assert_non_null(map);
	/* the probes' fds are the context's: count from here */
	assert_int_equal(bbpf_ctx_prepare(ctx), 0);

	/* 1: the map */
	assert_int_equal(bbpf_object_load(obj, &lo), -EINVAL);
	d = bbpf_object_error(obj);
	assert_non_null(d);
	assert_int_equal(d->stage, BBPF_STAGE_MAP);
	assert_int_equal(d->err, -EINVAL);
	assert_string_equal(d->name, "sized_later");
	assert_ptr_equal(bbpf_object_map(obj, d->idx), map);
	assert_int_equal(fs_wrap_open_fds(w), 0);	/* BTF, maps: all released */
	assert_int_equal(bbpf_map_set_max_entries(map, 16), 0);

	/* 2: the verifier */
	assert_int_equal(bbpf_object_load(obj, &lo), -EACCES);
	d = bbpf_object_error(obj);
	assert_non_null(d);
	assert_int_equal(d->stage, BBPF_STAGE_PROG);
	assert_int_equal(d->err, -EACCES);
	assert_string_equal(d->name, "bad");
	assert_ptr_equal(bbpf_object_program(obj, d->idx), bbpf_object_find_program(obj, "bad"));
	assert_true(lc.verifier[0]);	/* the verifier's reason reached the log */
	assert_int_equal(fs_wrap_open_fds(w), 0);
	assert_false(bbpf_object_is_loaded(obj));

	/* 3: fixed */
	assert_int_equal(bbpf_program_set_autoload(bbpf_object_find_program(obj, "bad"), false), 0);
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	assert_null(bbpf_object_error(obj));
	assert_true(bbpf_program_fd(bbpf_object_find_program(obj, "good")) >= 0);
	assert_int_equal(bbpf_program_fd(bbpf_object_find_program(obj, "bad")), -1);
	assert_true(bbpf_map_fd(map) >= 0);
	bbpf_object_close(obj);
	assert_int_equal(fs_wrap_open_fds(w), 0);
	bbpf_ctx_free(ctx);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_after_fix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
