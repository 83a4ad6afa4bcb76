/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attach targets and typed ksyms are looked up in the kernel's BTF by one
 * batched walk (kname.c), without a name index. These tests check, against
 * the running kernel's BTF, that the batched lookup gives the same ids as
 * the full name index for every BTF attach target of the fixtures and for
 * a set of kernel names, and that loading tp_btf programs builds no index.
 */
#include <dirent.h>
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
#include "obj/object_int.h"
#include "obj/sec_def.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

/* libbpf's prefix and kind for a BTF attach target (find_attach_btf_id). */
static const char *prefix_of(uint32_t eat, uint32_t *kind)
{
	*kind = BTF_KIND_FUNC;
	switch (eat) {
	case BPF_TRACE_RAW_TP:
		*kind = BTF_KIND_TYPEDEF;
		return "btf_trace_";
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		return "bpf_lsm_";
	case BPF_TRACE_ITER:
		return "bpf_iter_";
	default:
		return "";
	}
}

/* Batched answer in a fresh context (lazy vmlinux) vs the full index. */
static void check_name(struct bbpf_btf *indexed, const char *name, uint32_t kind)
{
	struct tb_env *e = tb_env_new(true, NULL);
	uint32_t want = bbpf_btf_find_by_name_kind(indexed, name, kind), got = 1;

	assert_int_equal(bbpf_kname_find(e->ctx, name, kind, &got), 0);
	if (got != want)
		fail_msg("'%s' kind %u: batched %u, index %u", name, kind, got, want);
	/* asked again: the context's answer, no walk */
	assert_int_equal(bbpf_kname_find(e->ctx, name, kind, &got), 0);
	assert_int_equal(got, want);
	assert_null(e->ctx->vmlinux->name_hash);
	tb_env_free(e);
}

static void test_fixture_targets_match_index(void **state)
{
	struct tb_env *ref;
	struct bbpf_btf *indexed;
	struct dirent *d;
	uint32_t checked = 0, i, kind;
	DIR *dir;

	(void)state;
	TK_NEED_KERNEL();
	ref = tb_env_new(true, NULL);
	assert_int_equal(bbpf_kernel_btf_indexed(ref->ctx, &indexed), 0);
	dir = opendir(BBPF_FIXTURE_DIR);
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		struct bbpf_object *obj;
		char path[512];

		if (n < 7 || strcmp(d->d_name + n - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, d->d_name);
		if (bbpf_object_open_file(&obj, path, NULL, NULL))
			continue;	/* the deliberately broken fixtures */
		for (i = 0; i < obj->prog_cnt; i++) {
			const struct bbpf_program *p = &obj->progs[i];
			const char *t = p->attach_func_name ? p->attach_func_name : p->attach_target;
			char name[256];

			if (!p->sec_def || !(p->sec_def->flags & BBPF_SEC_ATTACH_BTF) ||
			    p->type == BPF_PROG_TYPE_EXT || !t || !t[0] || strchr(t, ':'))
				continue;
			snprintf(name, sizeof(name), "%s%s", prefix_of(p->expected_attach_type, &kind), t);
			check_name(indexed, name, kind);
			checked++;
		}
		bbpf_object_close(obj);
	}
	closedir(dir);
	tb_env_free(ref);
	assert_true(checked >= 3);
}

/* Names present and absent, each kind, and several at once in one context. */
static void test_names_match_index(void **state)
{
	static const struct { const char *name; uint32_t kind; } names[] = {
		{ "btf_trace_sched_switch", BTF_KIND_TYPEDEF },
		{ "bpf_lsm_file_open", BTF_KIND_FUNC },
		{ "bpf_iter_task", BTF_KIND_FUNC },
		{ "do_unlinkat", BTF_KIND_FUNC },
		{ "task_struct", BTF_KIND_STRUCT },
		{ "task_struct", 0 },
		{ "bpf_prog_active", BTF_KIND_VAR },
		{ "runqueues", BTF_KIND_VAR },
		{ "bpf_task_acquire", BTF_KIND_FUNC },
		{ "int", BTF_KIND_INT },
		{ "task_struct", BTF_KIND_FUNC },		/* wrong kind: absent */
		{ "no_such_function_xyzzy", BTF_KIND_FUNC },	/* absent */
	};
	struct tb_env *ref, *e;
	struct bbpf_btf *indexed;
	uint32_t i, id;

	(void)state;
	TK_NEED_KERNEL();
	ref = tb_env_new(true, NULL);
	assert_int_equal(bbpf_kernel_btf_indexed(ref->ctx, &indexed), 0);
	assert_int_not_equal(bbpf_btf_find_by_name_kind(indexed, "task_struct", BTF_KIND_STRUCT), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_name(indexed, names[i].name, names[i].kind);
	/* all announced, then answered by one walk */
	e = tb_env_new(true, NULL);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(bbpf_kname_want(e->ctx, names[i].name, names[i].kind), 0);
	assert_int_equal(bbpf_kname_resolve(e->ctx), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(bbpf_kname_find(e->ctx, names[i].name, names[i].kind, &id), 0);
		assert_int_equal(id, bbpf_btf_find_by_name_kind(indexed, names[i].name,
								names[i].kind));
	}
	assert_int_equal(bbpf_kname_want(e->ctx, "", BTF_KIND_FUNC), -EINVAL);
	tb_env_free(e);
	tb_env_free(ref);
}

/* Loading tp_btf programs resolves their targets without a name index of vmlinux. */
static void test_tp_btf_load_no_index(void **state)
{
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj;
	struct tb_env *e;
	uint32_t i, btf_progs = 0;
	int err;

	(void)state;
	TK_NEED_KERNEL();
	e = tb_env_new(true, NULL);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_open_file(&obj, FIX("progs_loadable.bpf.o"), NULL, NULL), 0);
	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].sec_def && (obj->progs[i].sec_def->flags & BBPF_SEC_ATTACH_BTF))
			btf_progs++;
	assert_true(btf_progs >= 2);	/* tp_btf and iter */
	err = bbpf_object_load(obj, &lo);
	if (err)
		fail_msg("load: %d\n%s", err, e->log.text);
	assert_non_null(e->ctx->vmlinux);
	assert_null(e->ctx->vmlinux->name_hash);
	bbpf_object_close(obj);
	tb_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_targets_match_index),
		cmocka_unit_test(test_names_match_index),
		cmocka_unit_test(test_tp_btf_load_no_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
