/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extern resolution at load: .kconfig values into the .kconfig map (from
 * the caller's config, /proc/config.gz or /boot/config-*; LINUX_* specials
 * computed here), typeless .ksyms from /proc/kallsyms, typed .ksyms and
 * kfuncs from the kernel's BTF. A missing weak extern is 0; a missing
 * strong one fails the load, naming it.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "load.h"
#include "../obj/kconfig.h"

static bool is_special_kcfg(const char *name)
{
	return !strncmp(name, "LINUX_", 6);
}

static int fill_kconfig(struct bbpf_inst *inst, struct bbpf_arena *scratch)
{
	const struct bbpf_object *obj = inst->obj;
	struct bbpf_ctx *ctx = inst->ctx;
	const struct bbpf_map *m = &obj->maps[obj->kconfig_map];
	uint8_t *value;
	struct bbpf_kconfig_special sp = { 0 };
	const char *text = "";
	size_t len = 0, i;
	bool need_text = false;
	struct utsname u;
	struct bbpf_diag diag = { 0 };
	int err;

	for (i = 0; i < obj->extern_cnt; i++)
		if (obj->externs[i].kind == BBPF_EXTERN_KCONFIG && !is_special_kcfg(obj->externs[i].name))
			need_text = true;
	if (need_text) {
		err = bbpf_kconfig_text(ctx, scratch, &text, &len);
		if (err)
			return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, UINT32_MAX, err,
					      "cannot read the kernel configuration for .kconfig externs");
	}
	err = (int)ctx->sys.uname(ctx->sys.ctx, &u);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, UINT32_MAX, err,
				      "uname() failed: LINUX_KERNEL_VERSION is unknown");
	sp.release = u.release;
	sp.has_syscall_wrapper = bbpf_ksyscall_has_wrapper(ctx);
	sp.has_bpf_cookie = ctx->feat.perf_link;
	/* The values go into a copy: the object keeps the .kconfig map as it was opened. */
	value = bbpf_arena_memdup(&inst->arena, m->data, m->value_size);
	if (!value)
		return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, UINT32_MAX, -ENOMEM,
				      "no memory for the .kconfig values");
	err = bbpf_kconfig_fill(inst->obj, text, len, &sp, value, m->value_size, &diag);
	if (err && diag.why == BBPF_BAD_OBJ_EXTERN)	/* named and logged by the filler */
		bbpf_inst_record(inst, BBPF_STAGE_EXTERN, diag.idx, err);
	else if (err)
		bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, diag.idx, err, "bad kernel configuration value%s%s",
			       diag.why ? ": " : "", diag.why ? bbpf_bad_str(diag.why) : "");
	inst->maps[obj->kconfig_map].init = value;
	return err;
}

static int missing(struct bbpf_inst *inst, uint32_t idx, const char *where)
{
	if (inst->obj->externs[idx].is_weak)
		return 0;
	return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, idx, -ESRCH, "not found in %s", where);
}

static int resolve_typeless(struct bbpf_inst *inst, struct bbpf_arena *scratch)
{
	const struct bbpf_object *obj = inst->obj;
	struct bbpf_extern_val *vals = inst->ext_vals;
	const char **names = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*names));
	uint64_t *addrs = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*addrs));
	bool *found = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*found));
	uint32_t *idx = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*idx));
	size_t i, n = 0;
	int err;

	if (!names || !addrs || !found || !idx)
		return -ENOMEM;
	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (e->kind == BBPF_EXTERN_KSYM && !e->is_func && !e->type_id) {
			idx[n] = (uint32_t)i;
			names[n++] = e->name;
		}
	}
	if (!n)
		return 0;
	err = bbpf_kallsyms_resolve(inst->ctx, names, n, addrs, found);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, idx[0], err,
				      "cannot read /proc/kallsyms");
	for (i = 0; i < n; i++) {
		if (!found[i]) {
			err = missing(inst, idx[i], "/proc/kallsyms");
			if (err)
				return err;
			continue;
		}
		vals[idx[i]].resolved = true;
		vals[idx[i]].addr = addrs[i];
	}
	return 0;
}

static bool typed_ksym(const struct bbpf_extern *e)
{
	return e->kind == BBPF_EXTERN_KSYM && (e->is_func || e->type_id);
}

int bbpf_externs_want(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t i;

	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (typed_ksym(e) && e->name[0] &&
		    bbpf_kname_want(inst->ctx, e->name, e->is_func ? BTF_KIND_FUNC : BTF_KIND_VAR))
			return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, i, -ENOMEM,
					      "no memory for its lookup");
	}
	return 0;
}

/* Typed ksyms: every name announced first, so one walk over vmlinux answers them all. */
static int resolve_typed(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t i;
	int err;

	err = bbpf_externs_want(inst);	/* done by the load already: no new names */
	if (err)
		return err;
	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];
		uint32_t id = 0;

		if (!typed_ksym(e))
			continue;
		err = e->name[0] ? bbpf_kname_find(inst->ctx, e->name,
						   e->is_func ? BTF_KIND_FUNC : BTF_KIND_VAR, &id)
				 : 0;
		if (err)
			return bbpf_inst_fail(inst, BBPF_STAGE_EXTERN, i, err,
					      "needs the kernel's BTF");
		if (!id) {
			err = missing(inst, i, "the kernel's BTF");
			if (err)
				return err;
			continue;
		}
		inst->ext_vals[i].resolved = true;
		inst->ext_vals[i].btf_id = id;
	}
	return 0;
}

int bbpf_externs_resolve(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	struct bbpf_arena scratch;
	int err = 0;

	if (!obj->extern_cnt)
		return 0;
	inst->ext_vals = bbpf_arena_calloc(&inst->arena, obj->extern_cnt, sizeof(*inst->ext_vals));
	if (!inst->ext_vals)
		return -ENOMEM;
	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 28);
	if (obj->kconfig_map < obj->map_cnt)
		err = fill_kconfig(inst, &scratch);
	err = err ?: resolve_typeless(inst, &scratch);
	err = err ?: resolve_typed(inst);
	bbpf_arena_free(&scratch);
	return err;
}
