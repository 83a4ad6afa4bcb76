// SPDX-License-Identifier: BSD-2-Clause
/*
 * bbpf_needs_program (src/relo/needs.c) on fixtures whose needs are known
 * from their source: helpers reached through subprograms and callbacks,
 * kfunc and .kconfig externs, CO-RE root types, in both byte orders.
 * (tests/diff/test_cli_requirements.c compares every fixture's helpers
 * with llvm-objdump.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "parse/btf.h"
#include "relo/needs.h"
#include "obj/sec_def.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

struct nctx {
	struct bbpf_object *obj;
	struct bbpf_arena arena;
	struct bbpf_needs nd;
};

static void needs_of(struct nctx *c, const char *file, const char *prog)
{
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE };
	struct bbpf_program *p;

	assert_int_equal(bbpf_object_open_file(&c->obj, file, NULL, &diag), 0);
	p = bbpf_object_find_program(c->obj, prog);
	assert_non_null(p);
	bbpf_arena_init(&c->arena, &bbpf_alloc_libc, 64u << 20);
	assert_int_equal(bbpf_needs_program(c->obj, p, &c->arena, &c->nd, &diag), 0);
}

static void done(struct nctx *c)
{
	bbpf_arena_free(&c->arena);
	bbpf_object_close(c->obj);
}

static void expect_helpers(const struct bbpf_needs *nd, const uint32_t *want, uint32_t n)
{
	uint32_t i;

	assert_int_equal(nd->helper_cnt, n);
	for (i = 0; i < n; i++)
		assert_int_equal(nd->helpers[i], want[i]);
}

static const char *ext_name(const struct nctx *c, uint32_t i)
{
	return bbpf_extern_name(bbpf_object_extern(c->obj, c->nd.externs[i]));
}

static void test_req_tp(const char *file)
{
	static const uint32_t tp_helpers[] = { 1, 2, 14, 35, 113 };
	static const uint32_t raw_helpers[] = { 130 };
	const struct bbpf_btf *btf;
	struct nctx c;

	needs_of(&c, file, "rq_tp");
	expect_helpers(&c.nd, tp_helpers, 5);
	assert_int_equal(c.nd.func_cnt, 2);	/* rq_tp, rq_count */
	assert_int_equal(c.nd.attach, BBPF_ATTACH_TRACEPOINT);
	assert_int_equal(c.nd.extern_cnt, 1);
	assert_string_equal(ext_name(&c, 0), "CONFIG_HZ");
	assert_int_equal(c.nd.core_cnt, 1);
	btf = bbpf_object_btf(c.obj);
	assert_string_equal(bbpf_btf_name(btf, c.nd.core[0].type_id), "task_struct");
	assert_int_equal(c.nd.core[0].kind, BPF_CORE_FIELD_BYTE_OFFSET);
	done(&c);

	needs_of(&c, file, "rq_raw");
	expect_helpers(&c.nd, raw_helpers, 1);
	assert_int_equal(c.nd.func_cnt, 1);
	assert_int_equal(c.nd.attach, BBPF_ATTACH_RAW_TP);
	assert_int_equal(c.nd.extern_cnt, 0);
	assert_int_equal(c.nd.core_cnt, 0);
	done(&c);
}

static void test_req_tp_el(void **state)
{
	(void)state;
	test_req_tp(FIX("req_tp.bpf.o"));
}

static void test_req_tp_eb(void **state)
{
	(void)state;
	test_req_tp(FIX("req_tp.bpfeb.o"));
}

/* run_loop: bpf_loop (181) with loop_cb as callback, which calls square; sum_squares is a call. */
static void test_callbacks(void **state)
{
	struct nctx c;
	uint32_t i;
	bool loop = false;

	(void)state;
	needs_of(&c, FIX("callbacks.bpf.o"), "run_loop");
	for (i = 0; i < c.nd.helper_cnt; i++)
		loop |= c.nd.helpers[i] == 181;
	assert_true(loop);
	assert_int_equal(c.nd.func_cnt, 4);	/* run_loop, loop_cb, square, sum_squares */
	done(&c);
}

/* Kfunc calls are not helpers: use_kfuncs calls four kfuncs and no helper with id -1. */
static void test_kfuncs(void **state)
{
	static const char *const want[] = {
		"barebpf_no_such_kfunc", "bpf_task_acquire", "bpf_task_from_pid", "bpf_task_release",
	};
	bool seen[4] = { false };
	struct nctx c;
	uint32_t i, k;

	(void)state;
	needs_of(&c, FIX("externs.bpf.o"), "use_kfuncs");
	for (i = 0; i < c.nd.helper_cnt; i++)
		assert_true(c.nd.helpers[i] < 1000);
	for (i = 0; i < c.nd.extern_cnt; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(c.obj, c.nd.externs[i]);

		assert_true(bbpf_extern_is_func(e));
		for (k = 0; k < 4; k++)
			if (!strcmp(bbpf_extern_name(e), want[k]))
				seen[k] = true;
	}
	assert_int_equal(c.nd.extern_cnt, 4);
	for (k = 0; k < 4; k++)
		assert_true(seen[k]);
	done(&c);
}

/* core_types: existence checks on a type that no kernel has, and enum pid_type values. */
static void test_core_types(void **state)
{
	const struct bbpf_btf *btf;
	bool bogus = false, pid_type = false;
	struct nctx c;
	uint32_t i;

	(void)state;
	needs_of(&c, FIX("core.bpf.o"), "core_types");
	btf = bbpf_object_btf(c.obj);
	assert_true(c.nd.core_cnt >= 2);
	for (i = 0; i < c.nd.core_cnt; i++) {
		const char *n = bbpf_btf_name(btf, c.nd.core[i].type_id);

		if (!strcmp(n, "barebpf_no_such_type")) {
			bogus = true;
			assert_true(c.nd.core[i].kind == BPF_CORE_TYPE_EXISTS ||
				    c.nd.core[i].kind == BPF_CORE_TYPE_SIZE);
		}
		pid_type |= !strcmp(n, "pid_type");
		if (i)	/* ascending, each (type, kind) once */
			assert_true(c.nd.core[i - 1].type_id < c.nd.core[i].type_id ||
				    (c.nd.core[i - 1].type_id == c.nd.core[i].type_id &&
				     c.nd.core[i - 1].kind < c.nd.core[i].kind));
	}
	assert_true(bogus);
	assert_true(pid_type);
	done(&c);
}

static void test_subprog_refused(void **state)
{
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE };
	struct bbpf_object *obj;
	struct bbpf_arena arena;
	struct bbpf_needs nd;

	(void)state;
	assert_int_equal(bbpf_object_open_file(&obj, FIX("req_tp.bpf.o"), NULL, &diag), 0);
	bbpf_arena_init(&arena, &bbpf_alloc_libc, 1u << 20);
	assert_int_equal(bbpf_needs_program(obj, NULL, &arena, &nd, &diag), -EINVAL);
	bbpf_arena_free(&arena);
	bbpf_object_close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_tp_el),
		cmocka_unit_test(test_req_tp_eb),
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_kfuncs),
		cmocka_unit_test(test_core_types),
		cmocka_unit_test(test_subprog_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
