/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's copy of an object's BTF (relo/btf_fixup.c) and its loading
 * (kern/btf_load.c): DATASEC sizes and VAR offsets from the ELF, extern
 * DATASECs, replacement of kinds an older kernel lacks; byte-for-byte
 * equality with what libbpf 1.1 makes of the same object (its open-time
 * BTF through dlopen, and the BTF bpftool loads into the kernel); loading
 * into the running kernel, through scripted syscall tables that act as an
 * older kernel or reject BTF.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <barebpf/loader.h>
#include "obj/object_int.h"
#include "kern/kern.h"
#include "load/load.h"
#include "relo/btf_fixup.h"
#include "proc_run.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

/* Fixtures with BTF that libbpf 1.1 opens; each also exists as <name>.bpfeb.o. */
static const char *const fixtures[] = {
	"globals", "externs", "maps_btf", "core_tm", "ksym_typed", "callbacks", "core",
	"autoload_off", "globals_bss_custom", "progs_loadable", "progs_sections",
};
#define NFIX (sizeof(fixtures) / sizeof(fixtures[0]))

static const struct bbpf_btf_kinds kinds_none;	/* an old kernel: every newer kind replaced */

static struct bbpf_object *open_path(const char *path)
{
	struct bbpf_object *obj = NULL;
	struct bbpf_diag d = { 0 };
	int err = bbpf_object_open_file(&obj, path, NULL, &d);

	if (err)
		fprintf(stderr, "open %s: %d (%s)\n", path, err, bbpf_bad_str(d.why));
	assert_int_equal(err, 0);
	assert_non_null(obj->btf);
	return obj;
}

static struct bbpf_object *open_fix(const char *name, bool eb)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.%s.o", BBPF_FIXTURE_DIR, name, eb ? "bpfeb" : "bpf");
	return open_path(path);
}

static void fixup(const struct bbpf_object *obj, const struct bbpf_btf_kinds *k,
		  struct bbpf_arena *arena, struct bbpf_btf_blob *blob, struct bbpf_btf *out)
{
	struct bbpf_diag d = { 0 };

	assert_int_equal(bbpf_btf_fixup(obj, k, arena, blob), 0);
	assert_int_equal(bbpf_btf_parse_raw(out, blob->data, blob->len, NULL, arena, &d), 0);
	assert_int_equal(out->type_cnt, blob->type_cnt);
	assert_int_equal(blob->type_cnt, obj->btf->type_cnt + blob->added);
}

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

/* ---- pure: DATASEC sizes and VAR offsets ---- */

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

static void test_datasec_sizes_and_offsets(void **state)
{
	size_t f;

	(void)state;
	for (f = 0; f < NFIX; f++) {
		struct bbpf_object *obj = open_fix(fixtures[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		check_datasecs(obj, &b);
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
	}
}

/* The globals fixture by hand: sizes and offsets from its source. */
static void test_globals_values(void **state)
{
	struct bbpf_object *obj = open_fix("globals", false);
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
	fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
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

/* ---- pure: big-endian objects give the same host-order blob ---- */

static void test_bpfeb_same_blob(void **state)
{
	const struct bbpf_btf_kinds *ks[] = { &bbpf_btf_kinds_all, &kinds_none };
	size_t f, k;

	(void)state;
	for (f = 0; f < NFIX; f++) {
		struct bbpf_object *el = open_fix(fixtures[f], false);
		struct bbpf_object *eb = open_fix(fixtures[f], true);

		assert_true(eb->elf.big_endian);
		for (k = 0; k < 2; k++) {
			struct bbpf_arena arena;
			struct bbpf_btf_blob a, b;
			struct bbpf_btf pa, pb;

			bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
			fixup(el, ks[k], &arena, &a, &pa);
			fixup(eb, ks[k], &arena, &b, &pb);
			if (a.len != b.len || memcmp(a.data, b.data, a.len))
				fail_msg("%s: bpfel and bpfeb blobs differ (kinds %zu)", fixtures[f], k);
			bbpf_arena_free(&arena);
		}
		bbpf_object_close(el);
		bbpf_object_close(eb);
	}
}

/* ---- pure: an old kernel ---- */

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
	for (f = 0; f < NFIX; f++) {
		struct bbpf_object *obj = open_fix(fixtures[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		uint32_t id, n64 = 0;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		fixup(obj, &kinds_none, &arena, &blob, &b);
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
	struct bbpf_object *obj = open_fix("core_tm", false);
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
		fixup(obj, &k, &arena, &blob, &b);
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

/* ---- pure: extern DATASECs ---- */

static void test_extern_datasecs(void **state)
{
	static const char *const names[] = { "externs", "ksym_typed" };
	size_t f;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct bbpf_object *obj = open_fix(names[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		const struct btf_type *t;
		uint32_t i, id, int_id = 0;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
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

/* ---- differential: libbpf 1.1's BTF after bpf_object__open() ---- */

struct libbpf_fns {
	void *h;
	void *(*open_file)(const char *path, const void *opts);
	void *(*btf)(const void *obj);
	const void *(*raw)(const void *btf, uint32_t *size);
	void (*close)(void *obj);
	void *(*set_print)(void *fn);
};

static int quiet(int level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool libbpf_load(struct libbpf_fns *l)
{
	l->h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		return false;
	*(void **)&l->open_file = dlsym(l->h, "bpf_object__open_file");
	*(void **)&l->btf = dlsym(l->h, "bpf_object__btf");
	*(void **)&l->raw = dlsym(l->h, "btf__raw_data");
	*(void **)&l->close = dlsym(l->h, "bpf_object__close");
	*(void **)&l->set_print = dlsym(l->h, "libbpf_set_print");
	if (!l->open_file || !l->btf || !l->raw || !l->close || !l->set_print) {
		dlclose(l->h);
		return false;
	}
	l->set_print((void *)quiet);
	return true;
}

static void test_same_as_libbpf_open(void **state)
{
	struct libbpf_fns l;
	size_t f;

	(void)state;
	if (!libbpf_load(&l)) {
		printf("SKIP: libbpf.so.1 not loadable: %s\n", dlerror());
		skip();
	}
	for (f = 0; f < NFIX; f++) {
		char path[512];
		struct bbpf_object *obj = open_fix(fixtures[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		const void *ref;
		uint32_t ref_len = 0;
		bool same;
		void *lo;

		snprintf(path, sizeof(path), "%s/%s.bpf.o", BBPF_FIXTURE_DIR, fixtures[f]);
		lo = l.open_file(path, NULL);
		assert_non_null(lo);
		ref = l.raw(l.btf(lo), &ref_len);
		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		same = blob.len == ref_len && !memcmp(blob.data, ref, ref_len);
		l.close(lo);
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
		if (!same)
			fail_msg("%s: blob differs from libbpf's (%u bytes)", fixtures[f], ref_len);
	}
	dlclose(l.h);
}

/* ---- the kernel ---- */

static bool have_bpf(void)
{
	union bpf_attr a;

	if (geteuid() != 0) {
		printf("SKIP: not root\n");
		return false;
	}
	memset(&a, 0, sizeof(a));
	if (syscall(__NR_bpf, BPF_PROG_GET_NEXT_ID, &a, sizeof(a)) < 0 && errno != ENOENT) {
		printf("SKIP: bpf(2) unavailable: %s\n", strerror(errno));
		return false;
	}
	return true;
}

struct logbuf {
	char text[16384];
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct logbuf *lb = ctx;
	size_t n = strlen(lb->text);

	(void)level;
	snprintf(lb->text + n, sizeof(lb->text) - n, "%s\n", msg);
}

/* A scripted table: bpf(2) answers from a script, everything else is Linux's. */
struct script {
	int btf_loads;			/* BPF_BTF_LOAD calls seen */
	int enum64_loads;		/* of which with an ENUM64 in the blob */
	bool reject_enum64;		/* an old kernel: ENUM64 is -EINVAL */
	bool reject_all;		/* the BTF of any object is refused */
	uint32_t enospc_below;		/* with reject_all: -ENOSPC for smaller logs */
	uint32_t log_sizes[16];
	int log_cnt;
};

static bool blob_has_kind(const void *data, uint32_t len, uint32_t kind)
{
	struct bbpf_arena arena;
	struct bbpf_diag d = { 0 };
	struct bbpf_btf b;
	bool found = false;
	uint32_t id;

	bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
	if (!bbpf_btf_parse_raw(&b, data, len, NULL, &arena, &d))
		for (id = 1; id < b.type_cnt && !found; id++)
			found = bbpf_btf_kind(bbpf_btf_type(&b, id)) == kind;
	bbpf_arena_free(&arena);
	return found;
}

static long script_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct script *s = ctx;

	if (cmd == BPF_BTF_LOAD) {
		const void *data = (const void *)(uintptr_t)attr->btf;
		bool e64 = blob_has_kind(data, attr->btf_size, BTF_KIND_ENUM64);

		s->btf_loads++;
		s->enum64_loads += e64;
		if (s->reject_enum64 && e64)
			return -EINVAL;
		if (s->reject_all && blob_has_kind(data, attr->btf_size, BTF_KIND_DATASEC)) {
			if (s->log_cnt < 16)
				s->log_sizes[s->log_cnt++] = attr->btf_log_size;
			if (attr->btf_log_size && attr->btf_log_size < s->enospc_below)
				return -ENOSPC;
			if (attr->btf_log_size)
				snprintf((char *)(uintptr_t)attr->btf_log_buf, attr->btf_log_size,
					 "magic: 0xeb9f\n[1] INT bad\n");
			return -EINVAL;
		}
	}
	return bbpf_sys_linux.bpf(bbpf_sys_linux.ctx, cmd, attr, size);
}

static struct bbpf_ctx *new_ctx(struct bbpf_sys *sys, struct script *s, struct logbuf *lb)
{
	struct bbpf_ctx_opts o = { .log = log_cb, .log_ctx = lb };
	struct bbpf_ctx *ctx = NULL;

	if (s) {
		*sys = bbpf_sys_linux;
		sys->ctx = s;
		sys->bpf = script_bpf;
		o.sys = sys;
	}
	assert_int_equal(bbpf_ctx_new(&ctx, &o), 0);
	return ctx;
}

/* The load's BTF step alone, in an instance of obj; the BTF fd is handed to the caller. */
static int load_btf(struct bbpf_ctx *ctx, struct bbpf_object *obj, int *fd)
{
	struct bbpf_inst *inst;
	int err;

	assert_int_equal(bbpf_inst_new(obj, ctx, &inst), 0);
	err = bbpf_ctx_prepare(ctx);
	err = err ?: bbpf_btf_load_object(inst);
	*fd = inst->btf_fd;
	inst->btf_fd = -1;
	bbpf_inst_free(inst, err != 0);
	return err;
}

static void test_kernel_loads_every_fixture(void **state)
{
	struct logbuf lb = { { 0 } };
	struct bbpf_ctx *ctx;
	size_t f;
	int eb;

	(void)state;
	if (!have_bpf())
		skip();
	ctx = new_ctx(NULL, NULL, &lb);
	for (f = 0; f < NFIX; f++) {
		for (eb = 0; eb < 2; eb++) {
			struct bbpf_object *obj = open_fix(fixtures[f], eb);
			int fd = -1;

			assert_int_equal(load_btf(ctx, obj, &fd), 0);
			if (fd < 0)
				fail_msg("%s%s: BTF not loaded:\n%s", fixtures[f], eb ? " (eb)" : "",
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
	struct script s = { .reject_enum64 = true };
	struct logbuf lb = { { 0 } };
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	int fd = -1, before;

	(void)state;
	if (!have_bpf())
		skip();
	ctx = new_ctx(&sys, &s, &lb);
	obj = open_fix("core_tm", false);
	assert_int_equal(bbpf_features_probe(ctx), 0);
	assert_false(ctx->feat.btf_enum64);
	assert_true(ctx->feat.btf_type_tag);
	before = s.btf_loads;
	assert_int_equal(load_btf(ctx, obj, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(s.btf_loads, before + 1);	/* first try, no log needed */
	assert_int_equal(s.enum64_loads, 1);		/* the probe's only */
	close(fd);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
}

/* Rejected BTF: the log is fetched (grown on -ENOSPC) and passed on; loading goes on. */
static void test_rejected_btf_is_optional(void **state)
{
	struct script s = { .reject_all = true, .enospc_below = 256 << 10 };
	struct logbuf lb = { { 0 } };
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	int fd = 7;

	(void)state;
	ctx = new_ctx(&sys, &s, &lb);
	/* features as a 6.x kernel, without probing */
	ctx->feat = (struct bbpf_features){
		.probed = true, .btf = true, .btf_func = true, .btf_global_func = true,
		.btf_datasec = true, .btf_float = true, .btf_decl_tag = true,
		.btf_type_tag = true, .btf_enum64 = true,
	};
	obj = open_fix("globals", false);
	assert_int_equal(load_btf(ctx, obj, &fd), 0);
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
}

/* ---- differential: the BTF bpftool (libbpf 1.1) loads into the kernel ---- */

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

/* The kernel's copy of the BTF a pinned program uses; malloc'ed, NULL on failure. */
static void *pinned_prog_btf(const char *path, uint32_t *len)
{
	struct bpf_prog_info pi;
	struct bpf_btf_info bi;
	union bpf_attr a;
	void *data = NULL;
	int pfd, bfd;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	pfd = (int)sys_bpf(BPF_OBJ_GET, &a);
	if (pfd < 0)
		return NULL;
	memset(&pi, 0, sizeof(pi));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)pfd;
	a.info.info_len = sizeof(pi);
	a.info.info = (uintptr_t)&pi;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) || !pi.btf_id)
		goto out;
	memset(&a, 0, sizeof(a));
	a.btf_id = pi.btf_id;
	bfd = (int)sys_bpf(BPF_BTF_GET_FD_BY_ID, &a);
	if (bfd < 0)
		goto out;
	data = calloc(1, 16 << 20);
	memset(&bi, 0, sizeof(bi));
	bi.btf = (uintptr_t)data;
	bi.btf_size = 16 << 20;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)bfd;
	a.info.info_len = sizeof(bi);
	a.info.info = (uintptr_t)&bi;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a)) {
		free(data);
		data = NULL;
	}
	*len = bi.btf_size;
	close(bfd);
out:
	close(pfd);
	return data;
}

static void test_same_as_bpftool_in_kernel(void **state)
{
	static const char *const names[] = { "globals", "maps_btf", "callbacks" };
	const char *tools[] = { "bpftool", "/usr/sbin/bpftool" };
	struct logbuf lb = { { 0 } };
	const char *bpftool;
	struct bbpf_ctx *ctx;
	size_t f;

	(void)state;
	if (!have_bpf())
		skip();
	bpftool = proc_find_tool(tools, 2);
	if (!bpftool) {
		printf("SKIP: no bpftool\n");
		skip();
	}
	/* A kernel with every BTF kind: neither libbpf nor barebpf sanitizes. */
	ctx = new_ctx(NULL, NULL, &lb);
	assert_int_equal(bbpf_features_probe(ctx), 0);
	assert_true(ctx->feat.btf_enum64 && ctx->feat.btf_type_tag && ctx->feat.btf_decl_tag);
	for (f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		char dir[256], cmd[1024], prog[600];
		struct bbpf_object *obj = open_fix(names[f], false);
		struct bbpf_arena arena;
		struct bbpf_btf_blob blob;
		struct bbpf_btf b;
		struct dirent *de;
		uint32_t len = 0;
		void *kbtf = NULL;
		DIR *d;
		char *out;

		snprintf(dir, sizeof(dir), "/sys/fs/bpf/bbpf_btfref_%d", (int)getpid());
		snprintf(cmd, sizeof(cmd), "%s prog loadall %s/%s.bpf.o %s 2>&1; echo rc=$?", bpftool,
			 BBPF_FIXTURE_DIR, names[f], dir);
		out = proc_capture(cmd);
		d = opendir(dir);
		while (d && (de = readdir(d)) && !kbtf) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(prog, sizeof(prog), "%s/%s", dir, de->d_name);
			kbtf = pinned_prog_btf(prog, &len);
		}
		if (d)
			closedir(d);
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		free(proc_capture(cmd));
		if (!kbtf)
			fail_msg("%s: bpftool loaded nothing with BTF: %s", names[f], out ? out : "");
		free(out);
		bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)64 << 20);
		fixup(obj, &bbpf_btf_kinds_all, &arena, &blob, &b);
		if (blob.len != len || memcmp(blob.data, kbtf, len))
			fail_msg("%s: blob (%u bytes) differs from the kernel's copy of libbpf's (%u)",
				 names[f], blob.len, len);
		free(kbtf);
		bbpf_arena_free(&arena);
		bbpf_object_close(obj);
	}
	bbpf_ctx_free(ctx);
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
		cmocka_unit_test(test_same_as_libbpf_open),
		cmocka_unit_test(test_rejected_btf_is_optional),
		cmocka_unit_test(test_kernel_loads_every_fixture),
		cmocka_unit_test(test_kernel_old_enum64),
		cmocka_unit_test(test_same_as_bpftool_in_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
