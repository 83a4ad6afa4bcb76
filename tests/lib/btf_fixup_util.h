/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by tests/unit/test_btf_fixup.c, tests/kernel/test_btf_load_kernel.c
 * and tests/diff/test_btf_libbpf.c: the fixtures with BTF, opening them, the
 * kernel's copy of their BTF (bbpf_btf_fixup), and a syscall table whose
 * BPF_BTF_LOAD answers from a script (an older kernel, a kernel refusing
 * BTF) over another table (the fake or Linux). Include after <cmocka.h>.
 */
#ifndef BF_BTF_FIXUP_UTIL_H
#define BF_BTF_FIXUP_UTIL_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <barebpf/loader.h>
#include "logbuf.h"
#include "obj/object_int.h"
#include "kern/kern.h"
#include "load/load.h"
#include "relo/btf_fixup.h"

/* Fixtures with BTF that libbpf 1.1 opens; each also exists as <name>.bpfeb.o. */
#define BF_NFIX 12
static inline const char *bf_fixture(size_t i)
{
	static const char *const names[BF_NFIX] = {
		"globals", "externs", "maps_btf", "core_tm", "ksym_typed", "callbacks", "core",
		"autoload_off", "globals_bss_custom", "progs_loadable", "progs_sections",
		"many_globals",
	};

	return i < BF_NFIX ? names[i] : NULL;
}

static inline struct bbpf_object *bf_open_path(const char *path)
{
	struct bbpf_object *obj = NULL;
	struct bbpf_diag d = { 0 };
	int err = bbpf_object_open_file(&obj, path, NULL, &d);

	if (err)
		fail_msg("open %s: %d (%s) (run `make fixtures`)", path, err, bbpf_bad_str(d.why));
	assert_non_null(obj->btf);
	return obj;
}

static inline struct bbpf_object *bf_open_fix(const char *name, bool eb)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.%s.o", BBPF_FIXTURE_DIR, name, eb ? "bpfeb" : "bpf");
	return bf_open_path(path);
}

/* The kernel's copy of obj's BTF for kernel kinds k, parsed back into *out. */
static inline void bf_fixup(const struct bbpf_object *obj, const struct bbpf_btf_kinds *k,
			    struct bbpf_arena *arena, struct bbpf_btf_blob *blob,
			    struct bbpf_btf *out)
{
	struct bbpf_diag d = { 0 };

	assert_int_equal(bbpf_btf_fixup(obj, k, arena, blob), 0);
	assert_int_equal(bbpf_btf_parse_raw(out, blob->data, blob->len, NULL, arena, &d), 0);
	assert_int_equal(out->type_cnt, blob->type_cnt);
	assert_int_equal(blob->type_cnt, obj->btf->type_cnt + blob->added);
}

/*
 * A script for BPF_BTF_LOAD (an older kernel, a kernel refusing BTF); other
 * commands pass. Over Linux: bf_new_ctx(sys, s, lb). Over the fake: set
 * the fs_script's bpf_cb to bf_fake_cb and its cb_ctx to s.
 */
struct bf_script {
	int btf_loads;			/* BPF_BTF_LOAD calls seen */
	int enum64_loads;		/* of which with an ENUM64 in the blob */
	bool reject_enum64;		/* an old kernel: ENUM64 is -EINVAL */
	bool reject_all;		/* the BTF of any object is refused */
	uint32_t enospc_below;		/* with reject_all: -ENOSPC for smaller logs */
	uint32_t log_sizes[16];
	int log_cnt;
};

#define BF_PASS LONG_MIN	/* the script has no answer: the table below gives it */

static inline bool bf_blob_has_kind(const void *data, uint32_t len, uint32_t kind)
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

static inline long bf_script_answer(struct bf_script *s, int cmd, union bpf_attr *attr)
{
	if (cmd == BPF_BTF_LOAD) {
		const void *data = (const void *)(uintptr_t)attr->btf;
		bool e64 = bf_blob_has_kind(data, attr->btf_size, BTF_KIND_ENUM64);

		s->btf_loads++;
		s->enum64_loads += e64;
		if (s->reject_enum64 && e64)
			return -EINVAL;
		if (s->reject_all && bf_blob_has_kind(data, attr->btf_size, BTF_KIND_DATASEC)) {
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
	return BF_PASS;
}

/* bpf(2) of a table whose ctx is a bf_script: the script, else Linux. */
static inline long bf_script_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	long r = bf_script_answer(ctx, cmd, attr);

	return r != BF_PASS ? r : bbpf_sys_linux.bpf(bbpf_sys_linux.ctx, cmd, attr, size);
}

/* A context on Linux, through s's script if s is not NULL. */
static inline struct bbpf_ctx *bf_new_ctx(struct bbpf_sys *sys, struct bf_script *s,
					  struct lb_log *lb)
{
	struct bbpf_ctx_opts o = { .log = lb_log_cb, .log_ctx = lb };
	struct bbpf_ctx *ctx = NULL;

	if (s) {
		*sys = bbpf_sys_linux;	/* Linux's hooks ignore ctx */
		sys->ctx = s;
		sys->bpf = bf_script_bpf;
		o.sys = sys;
	}
	assert_int_equal(bbpf_ctx_new(&ctx, &o), 0);
	return ctx;
}

/* The load's BTF step alone, in an instance of obj; the BTF fd is handed to the caller. */
static inline int bf_load_btf(struct bbpf_ctx *ctx, struct bbpf_object *obj, int *fd)
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

#endif
