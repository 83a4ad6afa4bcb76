/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * With CO-RE done in user space against the running kernel's vmlinux, the
 * CO-RE candidate search and the vmlinux name lookups (attach targets of
 * tp_btf/iter/fentry/lsm programs, typed ksyms) share one walk: the names
 * announced before the CO-RE step ride on the candidate search's pass
 * (kern/kname.c, struct bbpf_core_rider). These tests count the walks
 * (the CO-RE cache's passes, the lookups' own walks and the passes they
 * rode on) and check the answers against the full name index.
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

/* The kernel's answer for name/kind from a separate, fully indexed context. */
static uint32_t index_id(const char *name, uint32_t kind)
{
	struct tb_env *ref = tb_env_new(true, NULL);
	struct bbpf_btf *indexed;
	uint32_t id;

	assert_int_equal(bbpf_kernel_btf_indexed(ref->ctx, &indexed), 0);
	id = bbpf_btf_find_by_name_kind(indexed, name, kind);
	tb_env_free(ref);
	return id;
}

static void walks(const struct tb_env *e, uint32_t *own, uint32_t *ridden)
{
	bbpf_kname_walks(e->ctx, own, ridden);
}

/* Asserts the lookups' own walks and the passes they rode on so far. */
static void assert_walks(const struct tb_env *e, uint32_t want_own, uint32_t want_ridden)
{
	uint32_t own, ridden;

	walks(e, &own, &ridden);
	assert_int_equal(own, want_own);
	assert_int_equal(ridden, want_ridden);
}

/* Opens and loads a fixture in e's context with the given CO-RE mode; the load must succeed. */
static struct bbpf_object *load_ok(struct tb_env *e, const char *path, enum bbpf_core_mode mode)
{
	struct bbpf_load_opts lo = { .core_mode = mode, .ctx = e->ctx };
	struct bbpf_object *obj;
	int err;

	assert_int_equal(bbpf_object_open_file(&obj, path, NULL, NULL), 0);
	err = bbpf_object_load(obj, &lo);
	if (err)
		fail_msg("%s: load: %d\n%s", path, err, e->log.text);
	return obj;
}

/* The context's answer, which must come without a walk of its own. */
static void check_cached(struct tb_env *e, const char *name, uint32_t kind, uint32_t want)
{
	uint32_t id = UINT32_MAX, own, ridden, own2, ridden2;

	walks(e, &own, &ridden);
	assert_int_equal(bbpf_kname_find(e->ctx, name, kind, &id), 0);
	if (id != want)
		fail_msg("'%s' kind %u: %u, index %u", name, kind, id, want);
	walks(e, &own2, &ridden2);
	assert_int_equal(own2, own);
	assert_int_equal(ridden2, ridden);
}

/*
 * progs_loadable.bpf.o: tp_btf/sched_switch, iter/task and CO-RE reads of
 * task_struct. User-space CO-RE: one pass over vmlinux, which also answers
 * both attach targets (the kernel accepts the programs with them).
 */
static void test_tp_btf_and_core_one_walk(void **state)
{
	uint32_t tp = index_id("btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	uint32_t it = index_id("bpf_iter_task", BTF_KIND_FUNC);
	struct bbpf_object *obj;
	struct tb_env *e;

	(void)state;
	TK_NEED_KERNEL();
	assert_int_not_equal(tp, 0);
	assert_int_not_equal(it, 0);
	e = tb_env_new(true, NULL);
	obj = load_ok(e, FIX("progs_loadable.bpf.o"), BBPF_CORE_USER);
	assert_non_null(e->ctx->core_cache);
	assert_ptr_equal(e->ctx->core_target, e->ctx->vmlinux);
	assert_int_equal(e->ctx->core_cache->scan_cnt, 1);
	assert_walks(e, 0, 1);
	assert_null(e->ctx->vmlinux->name_hash);
	check_cached(e, "btf_trace_sched_switch", BTF_KIND_TYPEDEF, tp);
	check_cached(e, "bpf_iter_task", BTF_KIND_FUNC, it);
	bbpf_object_close(obj);
	tb_env_free(e);
}

/* The same object with kernel-side CO-RE: no candidate search, one walk of the lookups' own. */
static void test_kernel_core_own_walk(void **state)
{
	struct bbpf_object *obj;
	struct tb_env *e;

	(void)state;
	TK_NEED_KERNEL();
	e = tb_env_new(true, NULL);
	obj = load_ok(e, FIX("progs_loadable.bpf.o"), BBPF_CORE_KERNEL);
	assert_null(e->ctx->core_cache);
	assert_walks(e, 1, 0);
	bbpf_object_close(obj);
	tb_env_free(e);
}

/*
 * Names announced before a user-space CO-RE load of core.bpf.o (no
 * targets of its own): present ones get the index's ids, an absent one 0,
 * all from the candidate search's pass (which goes to the end, since a
 * name is never found); more than the few compared one by one, so the
 * hashed path answers them.
 */
static void test_announced_names_ride(void **state)
{
	static const struct { const char *name; uint32_t kind; } names[] = {
		{ "btf_trace_sched_switch", BTF_KIND_TYPEDEF },
		{ "btf_trace_sched_wakeup", BTF_KIND_TYPEDEF },
		{ "bpf_iter_task", BTF_KIND_FUNC },
		{ "bpf_lsm_file_open", BTF_KIND_FUNC },
		{ "do_unlinkat", BTF_KIND_FUNC },
		{ "bpf_prog_active", BTF_KIND_VAR },
		{ "runqueues", BTF_KIND_VAR },
		{ "task_struct", 0 },
		{ "task_struct", BTF_KIND_FUNC },		/* wrong kind: absent */
		{ "no_such_function_xyzzy", BTF_KIND_FUNC },	/* absent */
	};
	uint32_t want[sizeof(names) / sizeof(names[0])];
	struct bbpf_object *obj;
	uint32_t i, found = 0;
	struct tb_env *e;

	(void)state;
	TK_NEED_KERNEL();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		want[i] = index_id(names[i].name, names[i].kind);
		found += want[i] != 0;
	}
	assert_true(found >= 6);
	assert_int_equal(want[sizeof(names) / sizeof(names[0]) - 1], 0);
	e = tb_env_new(true, NULL);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(bbpf_kname_want(e->ctx, names[i].name, names[i].kind), 0);
	obj = load_ok(e, FIX("core.bpf.o"), BBPF_CORE_USER);
	assert_int_equal(e->ctx->core_cache->scan_cnt, 1);
	assert_walks(e, 0, 1);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_cached(e, names[i].name, names[i].kind, want[i]);
	bbpf_object_close(obj);
	tb_env_free(e);
}

/*
 * ksym_typed.bpf.o: a typed ksym (VAR runqueues) and CO-RE reads of struct
 * rq. The verifier refuses the program on this kernel (no address for a
 * data symbol without CONFIG_KALLSYMS_ALL), after the externs were
 * resolved: the ksym's id came from the candidate search's pass.
 */
static void test_typed_ksym_rides(void **state)
{
	struct bbpf_load_opts lo = { .core_mode = BBPF_CORE_USER };
	uint32_t rq = index_id("runqueues", BTF_KIND_VAR);
	const struct bbpf_diag *ke;
	struct bbpf_object *obj;
	struct tb_env *e;
	int err;

	(void)state;
	TK_NEED_KERNEL();
	assert_int_not_equal(rq, 0);
	e = tb_env_new(true, NULL);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_open_file(&obj, FIX("ksym_typed.bpf.o"), NULL, NULL), 0);
	err = bbpf_object_load(obj, &lo);
	if (err) {
		ke = bbpf_object_error(obj);
		assert_non_null(ke);
		if (ke->stage != BBPF_STAGE_PROG)
			fail_msg("load failed at stage %d (%d)\n%s", ke->stage, err, e->log.text);
	}
	assert_int_equal(e->ctx->core_cache->scan_cnt, 1);
	assert_walks(e, 0, 1);
	check_cached(e, "runqueues", BTF_KIND_VAR, rq);
	bbpf_object_close(obj);
	tb_env_free(e);
}

/*
 * kname_fused.bpf.o: a tp_btf target, two kfuncs (typed FUNC ksyms) and a
 * CO-RE read. User-space CO-RE: one pass answers all three names. Kernel-
 * side CO-RE: one walk of the lookups' own for the ksyms and the target
 * together (they are announced together before the externs are resolved).
 */
static void load_kfuncs(enum bbpf_core_mode mode, uint32_t want_own, uint32_t want_ridden,
			uint32_t want_scans)
{
	uint32_t tp = index_id("btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	uint32_t lock = index_id("bpf_rcu_read_lock", BTF_KIND_FUNC);
	uint32_t unlock = index_id("bpf_rcu_read_unlock", BTF_KIND_FUNC);
	struct bbpf_object *obj;
	struct tb_env *e;

	assert_int_not_equal(tp, 0);
	assert_int_not_equal(lock, 0);
	assert_int_not_equal(unlock, 0);
	e = tb_env_new(true, NULL);
	obj = load_ok(e, FIX("kname_fused.bpf.o"), mode);
	assert_walks(e, want_own, want_ridden);
	if (want_scans)
		assert_int_equal(e->ctx->core_cache->scan_cnt, want_scans);
	else
		assert_null(e->ctx->core_cache);
	check_cached(e, "btf_trace_sched_switch", BTF_KIND_TYPEDEF, tp);
	check_cached(e, "bpf_rcu_read_lock", BTF_KIND_FUNC, lock);
	check_cached(e, "bpf_rcu_read_unlock", BTF_KIND_FUNC, unlock);
	bbpf_object_close(obj);
	tb_env_free(e);
}

static void test_kfuncs_target_core_user(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	load_kfuncs(BBPF_CORE_USER, 0, 1, 1);
}

static void test_kfuncs_target_core_kernel(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	load_kfuncs(BBPF_CORE_KERNEL, 1, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tp_btf_and_core_one_walk),
		cmocka_unit_test(test_kernel_core_own_walk),
		cmocka_unit_test(test_announced_names_ride),
		cmocka_unit_test(test_typed_ksym_rides),
		cmocka_unit_test(test_kfuncs_target_core_user),
		cmocka_unit_test(test_kfuncs_target_core_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
