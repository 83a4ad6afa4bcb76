/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's copy of an object's BTF (relo/btf_fixup.c) and its loading
 * (kern/btf_load.c) without a kernel: DATASEC sizes and VAR offsets from the
 * ELF, extern DATASECs, replacement of kinds an older kernel lacks, and a
 * scripted kernel that rejects the BTF. The running kernel's side is
 * tests/kernel/test_btf_load_kernel.c; libbpf's and bpftool's blobs are
 * compared in tests/diff/test_btf_libbpf.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "btf_fixup_util.h"
#include "fake_sys.h"

static const struct bbpf_btf_kinds kinds_none;	/* an old kernel: every newer kind replaced */

/* Global or weak STT_OBJECT symbol, as libbpf looks VARs up; else any symbol of that name. */
static const struct bbpf_elf_sym *var_sym(const struct bbpf_object *obj, const char *name,
					  bool any)
{
	uint32_t i;

	for (i = 1; i < obj->sym_cnt; i++) {
		const struct bbpf_elf_sym *s = &obj->syms[i];

		if (strcmp(s->name, name))
			continue;
		if (any || (s->type == STT_OBJECT && (s->bind == STB_GLOBAL || s->bind == STB_WEAK)))
			return s;
	}
	return NULL;
}

static void check_datasecs(const struct bbpf_object *obj, const struct bbpf_btf *b)
{
	uint32_t id, i;

	for (id = 1; id < b->type_cnt; id++) {
		const struct btf_type *t = bbpf_btf_type(b, id);
		const struct bbpf_elf_shdr *sh;
		const char *name = bbpf_btf_name(b, id);
		const struct btf_var_secinfo *vs = bbpf_btf_secinfos(t);

		if (bbpf_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		for (i = 1; i < bbpf_btf_vlen(t); i++)
			assert_true(vs[i - 1].offset <= vs[i].offset);
		if (!strcmp(name, ".kconfig") || !strcmp(name, ".ksyms"))
			continue;
		sh = bbpf_elf_shdr(&obj->elf, bbpf_elf_find_sec(&obj->elf, name));
		assert_non_null(sh);
		assert_int_equal(t->size, sh->size);
		for (i = 0; i < bbpf_btf_vlen(t); i++) {
			const char *vn = bbpf_btf_name(b, vs[i].type);
			const struct bbpf_elf_sym *s = var_sym(obj, vn, true);

			/* clang writes static VARs' offsets itself; libbpf fixes globals */
			assert_non_null(s);
			assert_int_equal(vs[i].offset, s->value);
			assert_true(vs[i].offset + vs[i].size <= t->size);
		}
	}
}

/* Global or weak STT_OBJECT symbols: the fixup's var index (linear up to 32, sorted above). */
static uint32_t var_sym_cnt(const struct bbpf_object *obj)
{
	uint32_t i, n = 0;

	for (i = 0; i < obj->sym_cnt; i++)
		n += obj->syms[i].type == STT_OBJECT &&
		     (obj->syms[i].bind == STB_GLOBAL || obj->syms[i].bind == STB_WEAK);
	return n;
}

static void test_datasec_sizes_and_offsets(void **state)
{
	size_t f, small = 0, large = 0;

	(void)state;
	for (f = 0; f < BF_NFIX; f++) {
		struct bbpf_object *obj = bf_open_fix(bf_fixture(f), false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;

		if (var_sym_cnt(obj) > 32)
			large++;
		else
			small++;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		bf_fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		check_datasecs(obj, &b);
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
	}
	/* both lookups of the fixup were checked (many_globals has 42 globals) */
	assert_true(small > 0);
	assert_true(large > 0);
}

/* The globals fixture by hand: sizes and offsets from its source. */
static void test_globals_values(void **state)
{
	struct bbpf_object *obj = bf_open_fix("globals", false);
	struct bbpf_arena arena;
	struct bbpf_btf_blob blob;
	struct bbpf_btf b;
	const struct btf_type *t;
	const struct btf_var_secinfo *vs;

	(void)state;
	bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
	/* the compiler leaves DATASEC sizes 0 */
	t = bbpf_btf_type(obj->btf, bbpf_obj_find_datasec(obj, ".data"));
	assert_int_equal(t->size, 0);
	bf_fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
	assert_int_equal(blob.added, 0);
	t = bbpf_btf_type(&b, bbpf_obj_find_datasec(obj, ".data"));
	vs = bbpf_btf_secinfos(t);
	/* data_int, data_arr[4] (8-aligned), data_cfg, data_static */
	assert_int_equal(t->size, 60);
	assert_string_equal(bbpf_btf_name(&b, vs[0].type), "data_int");
	assert_int_equal(vs[0].offset, 0);
	assert_string_equal(bbpf_btf_name(&b, vs[1].type), "data_arr");
	assert_int_equal(vs[1].offset, 8);
	assert_string_equal(bbpf_btf_name(&b, vs[2].type), "data_cfg");
	assert_int_equal(vs[2].offset, 40);
	assert_string_equal(bbpf_btf_name(&b, vs[3].type), "data_static");
	assert_int_equal(vs[3].offset, 56);
	bbpf_arena_free(&arena);
	bbpf_object_close(obj);
}

static void test_bpfeb_same_blob(void **state)
{
	const struct bbpf_btf_kinds *ks[] = { &bbpf_btf_kinds_all, &kinds_none };
	size_t f, k;

	(void)state;
	for (f = 0; f < BF_NFIX; f++) {
		struct bbpf_object *el = bf_open_fix(bf_fixture(f), false);
		struct bbpf_object *eb = bf_open_fix(bf_fixture(f), true);

		assert_true(eb->elf.big_endian);
		for (k = 0; k < 2; k++) {
			struct bbpf_arena arena;
			struct bbpf_btf_blob a, b;
			struct bbpf_btf pa, pb;

			bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
			bf_fixup(el, ks[k], &arena, &a, &pa);
			bf_fixup(eb, ks[k], &arena, &b, &pb);
			if (a.len != b.len || memcmp(a.data, b.data, a.len))
				fail_msg("%s: bpfel and bpfeb blobs differ (kinds %zu)", bf_fixture(f), k);
			bbpf_arena_free(&arena);
		}
		bbpf_object_close(el);
		bbpf_object_close(eb);
	}
}

/* What libbpf 1.1 turns each kind into when nothing newer than 4.18 is there: a fixpoint. */
static uint32_t old_kind(uint32_t kind)
{
	switch (kind) {
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: return BTF_KIND_INT;
	case BTF_KIND_DATASEC: case BTF_KIND_FLOAT: return BTF_KIND_STRUCT;
	case BTF_KIND_FUNC_PROTO: return BTF_KIND_ENUM;
	case BTF_KIND_FUNC: return BTF_KIND_TYPEDEF;
	case BTF_KIND_TYPE_TAG: return BTF_KIND_CONST;
	case BTF_KIND_ENUM64: return BTF_KIND_UNION;
	default: return kind;
	}
}

static void test_old_kernel_kinds(void **state)
{
	size_t f;
	bool saw_enum64 = false;

	(void)state;
	for (f = 0; f < BF_NFIX; f++) {
		struct bbpf_object *obj = bf_open_fix(bf_fixture(f), false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		uint32_t id, n64 = 0;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		bf_fixup(obj, &kinds_none, &arena, &blob, &b);
		for (id = 1; id < b.type_cnt; id++) {
			const struct btf_type *t = bbpf_btf_type(&b, id);
			const struct btf_type *o = bbpf_btf_type(obj->btf, id);

			assert_int_equal(old_kind(bbpf_btf_kind(t)), bbpf_btf_kind(t));
			if (bbpf_btf_kind(t) == BTF_KIND_ENUM)
				assert_false(bbpf_btf_kflag(t));
			if (!o)		/* appended */
				continue;
			assert_int_equal(bbpf_btf_kind(t), old_kind(bbpf_btf_kind(o)));
			if (bbpf_btf_kind(o) == BTF_KIND_FLOAT) {
				assert_int_equal(t->size, o->size);
				assert_int_equal(t->name_off, 0);
			}
			if (bbpf_btf_kind(o) == BTF_KIND_DATASEC)
				assert_null(strchr(bbpf_btf_name(&b, id), '.'));
			if (bbpf_btf_kind(o) == BTF_KIND_ENUM64) {
				n64++;
				assert_int_equal(bbpf_btf_vlen(t), bbpf_btf_vlen(o));
				assert_int_equal(bbpf_btf_members(t)[0].name_off,
						 bbpf_btf_enums64(o)[0].name_off);
			}
		}
		/* enum64_placeholder: an INT of 1 byte, appended once */
		if (n64) {
			const struct btf_type *p = bbpf_btf_type(&b, b.type_cnt - 1);

			saw_enum64 = true;
			assert_true(blob.added >= 1);
			assert_int_equal(bbpf_btf_kind(p), BTF_KIND_INT);
			assert_int_equal(p->size, 1);
			assert_string_equal(bbpf_btf_name(&b, b.type_cnt - 1), "enum64_placeholder");
		}
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
	}
	assert_true(saw_enum64);	/* core_tm has one */
}

/* One missing feature at a time: only its kinds change. */
static void test_one_kind_at_a_time(void **state)
{
	static const struct {
		size_t off;
		uint32_t kind;
	} feats[] = {
		{ offsetof(struct bbpf_btf_kinds, enum64), BTF_KIND_ENUM64 },
		{ offsetof(struct bbpf_btf_kinds, float_kind), BTF_KIND_FLOAT },
		{ offsetof(struct bbpf_btf_kinds, decl_tag), BTF_KIND_DECL_TAG },
		{ offsetof(struct bbpf_btf_kinds, type_tag), BTF_KIND_TYPE_TAG },
		{ offsetof(struct bbpf_btf_kinds, datasec), BTF_KIND_DATASEC },
		{ offsetof(struct bbpf_btf_kinds, func), BTF_KIND_FUNC },
		{ offsetof(struct bbpf_btf_kinds, global_func), BTF_KIND_UNKN },
	};
	struct bbpf_object *obj = bf_open_fix("core_tm", false);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(feats) / sizeof(feats[0]); i++) {
		struct bbpf_btf_kinds k = bbpf_btf_kinds_all;
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		uint32_t id;

		*(bool *)((char *)&k + feats[i].off) = false;
		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		bf_fixup(obj, &k, &arena, &blob, &b);
		for (id = 1; id < obj->btf->type_cnt; id++) {
			uint32_t ok = bbpf_btf_kind(bbpf_btf_type(obj->btf, id));
			uint32_t nk = bbpf_btf_kind(bbpf_btf_type(&b, id));

			assert_int_not_equal(nk, feats[i].kind);
			if (feats[i].kind == BTF_KIND_UNKN && ok == BTF_KIND_FUNC)	/* global_func */
				assert_int_equal(bbpf_btf_vlen(bbpf_btf_type(&b, id)), BTF_FUNC_STATIC);
			if (ok == feats[i].kind ||
			    (feats[i].kind == BTF_KIND_DATASEC && ok == BTF_KIND_VAR) ||
			    (feats[i].kind == BTF_KIND_FUNC && ok == BTF_KIND_FUNC_PROTO))
				assert_int_equal(nk, old_kind(ok));
			else
				assert_int_equal(nk, ok);
		}
		bbpf_arena_free(&arena);
	}
	bbpf_object_close(obj);
}

static void test_extern_datasecs(void **state)
{
	static const char *const names[] = { "externs", "ksym_typed" };
	size_t f;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct bbpf_object *obj = bf_open_fix(names[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		const struct btf_type *t;
		uint32_t i, id, int_id = 0;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		bf_fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		id = bbpf_obj_find_datasec(obj, ".ksyms");
		t = bbpf_btf_type(&b, id);
		if (t) {
			const struct btf_var_secinfo *vs = bbpf_btf_secinfos(t);

			assert_int_equal(t->size, 4 * bbpf_btf_vlen(t));
			for (i = 0; i < bbpf_btf_vlen(t); i++) {
				const struct btf_type *v = bbpf_btf_type(&b, vs[i].type);

				assert_int_equal(vs[i].offset, 4 * i);
				assert_int_equal(vs[i].size, 4);
				/* kfuncs point at the appended dummy_ksym VAR */
				assert_int_equal(bbpf_btf_kind(v), BTF_KIND_VAR);
				assert_int_equal(bbpf_btf_var(v)->linkage, BTF_VAR_GLOBAL_ALLOCATED);
				int_id = v->type;
				t = bbpf_btf_type(&b, int_id);
				assert_int_equal(bbpf_btf_kind(t), BTF_KIND_INT);
				assert_int_equal(BTF_INT_BITS(*(const uint32_t *)(t + 1)), 32);
				t = bbpf_btf_type(&b, id);
			}
		}
		for (i = 0; i < obj->extern_cnt; i++) {
			const struct bbpf_extern *e = &obj->externs[i];
			const struct btf_type *v = bbpf_btf_type(&b, e->btf_id);

			if (e->is_func) {
				assert_int_equal(bbpf_btf_vlen(v), BTF_FUNC_GLOBAL);
				assert_string_equal(bbpf_btf_name(&b, b.type_cnt - 1), "dummy_ksym");
			} else {
				assert_int_equal(bbpf_btf_var(v)->linkage, BTF_VAR_GLOBAL_ALLOCATED);
			}
		}
		id = bbpf_obj_find_datasec(obj, ".kconfig");
		t = bbpf_btf_type(&b, id);
		if (t) {
			const struct btf_var_secinfo *vs = bbpf_btf_secinfos(t);
			const struct bbpf_map *km = &obj->maps[obj->kconfig_map];

			assert_int_equal(t->size, km->value_size);
			for (i = 0; i < bbpf_btf_vlen(t); i++) {
				uint32_t j;

				for (j = 0; j < obj->extern_cnt; j++)
					if (obj->externs[j].btf_id == vs[i].type)
						assert_int_equal(vs[i].offset, obj->externs[j].data_off);
			}
		}
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
	}
}

static long fake_cb(struct fs_script *fs, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)size;
	return bf_script_answer(fs->cb_ctx, cmd, attr);	/* BF_PASS is FS_DEFAULT */
}

/*
 * Rejected BTF: the log is fetched (grown on -ENOSPC) and passed on; loading
 * goes on. The script answers BPF_BTF_LOAD over the fake kernel.
 */
static void test_rejected_btf_is_optional(void **state)
{
	struct bf_script s = { .reject_all = true, .enospc_below = 256 << 10 };
	struct lb_log lb = { { 0 } };
	struct fs_script *fs = calloc(1, sizeof(*fs));
	struct bbpf_ctx_opts o = { .log = lb_log_cb, .log_ctx = &lb };
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx = NULL;
	struct bbpf_object *obj;
	int fd = 7;

	(void)state;
	assert_non_null(fs);
	sys = fs_script_init(fs);
	fs->bpf_cb = fake_cb;
	fs->cb_ctx = &s;
	o.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &o), 0);
	/* features as a 6.x kernel, without probing */
	ctx->feat = (struct bbpf_features){
		.probed = true, .btf = true, .btf_func = true, .btf_global_func = true,
		.btf_datasec = true, .btf_float = true, .btf_decl_tag = true,
		.btf_type_tag = true, .btf_enum64 = true,
	};
	obj = bf_open_fix("globals", false);
	assert_int_equal(bf_load_btf(ctx, obj, &fd), 0);
	assert_int_equal(fd, -1);
	assert_int_equal(s.log_cnt, 4);
	assert_int_equal(s.log_sizes[0], 0);
	assert_int_equal(s.log_sizes[1], 64 << 10);
	assert_int_equal(s.log_sizes[2], 128 << 10);
	assert_int_equal(s.log_sizes[3], 256 << 10);
	assert_non_null(strstr(lb.text, "globals: BTF: [1] INT bad\n"));
	assert_non_null(strstr(lb.text, "BTF is optional, ignoring."));
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	assert_int_equal(fs_script_open_fds(fs), 0);
	fs_script_fini(fs);
	free(fs);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datasec_sizes_and_offsets),
		cmocka_unit_test(test_globals_values),
		cmocka_unit_test(test_bpfeb_same_blob),
		cmocka_unit_test(test_old_kernel_kinds),
		cmocka_unit_test(test_one_kind_at_a_time),
		cmocka_unit_test(test_extern_datasecs),
		cmocka_unit_test(test_rejected_btf_is_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
