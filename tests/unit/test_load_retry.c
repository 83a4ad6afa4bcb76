// SPDX-License-Identifier: BSD-2-Clause
/*
 * A failed load leaves the object as it was: nothing open, nothing mapped,
 * the structured error (bbpf_object_error) saying the stage, which map or
 * program and the errno; and once the cause is fixed (here: the failing
 * program's autoload turned off) the same object loads. Against the fake
 * syscall table; tests/kernel/test_load_retry_kernel.c does it with the
 * verifier.
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
#include "kern/kern.h"
#include "fake_sys.h"
#include "tiny_obj.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct env {
	struct fs_script script;
	struct fs_wrap wrap;
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	uint8_t *elf;
	size_t elf_len;
	unsigned int warns;
};

static void count_warn(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct env *e = ctx;

	(void)msg;
	if (level == BBPF_LOG_WARN)
		e->warns++;
}

static struct env *env_new(const char *const *secs, size_t cnt)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { .log = count_warn };
	struct bbpf_sys inner;

	assert_non_null(e);
	inner = fs_script_init(&e->script);
	e->sys = fs_wrap_init(&e->wrap, &inner);
	co.sys = &e->sys;
	co.log_ctx = e;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	e->ctx->feat = (struct bbpf_features){ .probed = true, .memcg_account = true,
					       .prog_name = true };
	e->elf = tk_tiny_object(secs, cnt, &e->elf_len);
	assert_int_equal(bbpf_object_open_mem(&e->obj, e->elf, e->elf_len, NULL, NULL), 0);
	return e;
}

static void env_free(struct env *e)
{
	bbpf_object_close(e->obj);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	bbpf_ctx_free(e->ctx);
	free(e->elf);
	fs_script_fini(&e->script);
	free(e);
}

static int load(struct env *e)
{
	struct bbpf_load_opts lo = { .ctx = e->ctx };

	return bbpf_object_load(e->obj, &lo);
}

static void test_prog_refused_then_retried(void **state)
{
	static const char *const secs[] = { "socket", "xdp", "tc" };
	struct env *e = env_new(secs, ARRAY_LEN(secs));
	struct bbpf_program *bad = bbpf_object_program(e->obj, 1);
	const struct bbpf_diag *d;

	(void)state;
	assert_null(bbpf_object_error(e->obj));
	/* prog0 loads, the verifier refuses prog1 (and again when asked for its log) */
	assert_int_equal(fs_script_push(&e->script, BPF_PROG_LOAD, fs_script_new_fd(&e->script)), 0);
	assert_int_equal(fs_script_push(&e->script, BPF_PROG_LOAD, -EACCES), 0);
	assert_int_equal(fs_script_push(&e->script, BPF_PROG_LOAD, -EACCES), 0);
	assert_int_equal(load(e), -EACCES);
	d = bbpf_object_error(e->obj);
	assert_non_null(d);
	assert_int_equal(d->stage, BBPF_STAGE_PROG);
	assert_int_equal(d->err, -EACCES);
	assert_int_equal(d->idx, 1);
	assert_string_equal(d->name, "prog1");
	assert_string_equal(bbpf_stage_str(d->stage), "program");
	assert_true(e->warns >= 1);
	/* nothing kept: no fd, the object unloaded and changeable */
	assert_false(bbpf_object_is_loaded(e->obj));
	assert_int_equal(fs_script_open_fds(&e->script), 0);
	assert_int_equal(bbpf_program_fd(bbpf_object_program(e->obj, 0)), -1);
	assert_int_equal(bbpf_program_set_autoload(bad, false), 0);

	/* fixed: the same object loads */
	assert_int_equal(load(e), 0);
	assert_null(bbpf_object_error(e->obj));
	assert_true(bbpf_object_is_loaded(e->obj));
	assert_true(bbpf_program_fd(bbpf_object_program(e->obj, 0)) >= 0);
	assert_int_equal(bbpf_program_fd(bad), -1);
	assert_true(bbpf_program_fd(bbpf_object_program(e->obj, 2)) >= 0);
	/* loaded: a second load and setters are refused */
	assert_int_equal(load(e), -EINVAL);
	assert_int_equal(bbpf_program_set_autoload(bad, true), -EINVAL);
	env_free(e);
}

/*
 * Every call of a load failing in turn, and every later one with it (a
 * failed BPF_PROG_LOAD is retried for its log): each failure is recorded
 * with its stage, nothing stays open, and the object loads afterwards.
 */
static void test_every_failure_says_where(void **state)
{
	static const char *const secs[] = { "socket", "xdp" };
	static const int errs[] = { -EPERM, -ENOMEM, -EINVAL };
	struct env *e = env_new(secs, ARRAY_LEN(secs));
	unsigned long total, n;
	size_t i, failed = 0;

	(void)state;
	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(load(e), 0);
	total = e->wrap.calls;
	bbpf_object_close(e->obj);
	e->obj = NULL;
	assert_true(total >= 2);
	for (n = 1; n <= total; n++) {
		for (i = 0; i < ARRAY_LEN(errs); i++) {
			const struct bbpf_diag *d;
			int err;

			assert_int_equal(bbpf_object_open_mem(&e->obj, e->elf, e->elf_len, NULL, NULL),
					 0);
			fs_wrap_reset_counts(&e->wrap);
			fs_wrap_fail_hook(&e->wrap, FS_HOOK_ANY, -1, n, errs[i], true);
			err = load(e);
			fs_wrap_fail(&e->wrap, 0, 0);
			d = bbpf_object_error(e->obj);
			if (err) {
				failed++;
				assert_int_equal(err, errs[i]);
				assert_non_null(d);
				assert_int_equal(d->err, err);
				assert_int_equal(d->stage, BBPF_STAGE_PROG);
				assert_non_null(d->name);
				assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
				/* and loads once the kernel stops failing */
				assert_int_equal(load(e), 0);
			} else {
				assert_null(d);
			}
			bbpf_object_close(e->obj);
			e->obj = NULL;
			assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
		}
	}
	assert_true(failed > 0);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prog_refused_then_retried),
		cmocka_unit_test(test_every_failure_says_where),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
