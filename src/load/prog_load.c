/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One program: relocate (map fds straight from the instance), apply CO-RE
 * as this load decided, find its attach BTF id, BPF_PROG_LOAD, and hand the
 * verifier log (bbpf_klog_run) to the log callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "load.h"
#include "../base/fmt.h"

/* Name of the kernel BTF type a section's target maps to, and its kind. */
static int attach_btf_name(const struct bbpf_program *p, char *buf, size_t size, uint32_t *kind)
{
	const char *pfx = "";
	int n;

	switch (p->expected_attach_type) {
	case BPF_TRACE_RAW_TP:
		pfx = "btf_trace_";
		*kind = BTF_KIND_TYPEDEF;
		break;
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		pfx = "bpf_lsm_";
		*kind = BTF_KIND_FUNC;
		break;
	case BPF_TRACE_ITER:
		pfx = "bpf_iter_";
		*kind = BTF_KIND_FUNC;
		break;
	default:
		*kind = BTF_KIND_FUNC;	/* fentry, fexit, fmod_ret */
		break;
	}
	n = bbpf_snprintf(buf, size, "%s%s", pfx, p->attach_target);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int find_attach_btf_id(struct bbpf_inst *inst, const struct bbpf_program *p,
			      uint32_t *id)
{
	uint32_t idx = bbpf_prog_idx(p);
	struct bbpf_btf *vmlinux;
	char name[256];
	uint32_t kind;
	int err;

	*id = 0;
	if (!p->sec_def || !(p->sec_def->flags & BBPF_SEC_ATTACH_BTF))
		return 0;
	if (p->type == BPF_PROG_TYPE_EXT)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, -EOPNOTSUPP,
				      "freplace needs a target program, which barebpf cannot take yet");
	err = attach_btf_name(p, name, sizeof(name), &kind);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err, "attach target name too long");
	err = bbpf_kernel_btf_indexed(inst->ctx, &vmlinux);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err,
				      "kernel BTF needed for '%s' is not available", p->sec_name);
	*id = bbpf_btf_find_by_name_kind(vmlinux, name, kind);
	if (!*id)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, -ESRCH,
				      "attach target '%s' not found in kernel BTF", name);
	return 0;
}

/*
 * CO-RE records of the program and its appended subprograms, with
 * instruction offsets (in bytes) rebased to the image. The kernel (5.17+)
 * applies them against its own BTF at load, exactly as libbpf would in user
 * space; the records' type ids and access strings refer to the object's BTF,
 * loaded as prog_btf_fd.
 */
static int collect_core_relos(const struct bbpf_prog_image *img, struct bbpf_arena *scratch,
			      struct bpf_core_relo **out, uint32_t *cnt)
{
	uint32_t f, i, n = 0;
	struct bpf_core_relo *recs;

	for (f = 0; f < img->func_cnt; f++)
		n += img->funcs[f].prog->core_relo.cnt;
	*cnt = 0;
	*out = NULL;
	if (!n)
		return 0;
	recs = bbpf_arena_calloc(scratch, n, sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	for (f = 0; f < img->func_cnt; f++) {
		const struct bbpf_program *p = img->funcs[f].prog;

		for (i = 0; i < p->relo_cnt; i++) {
			const struct bbpf_relo *r = &p->relos[i];
			const struct bpf_core_relo *src;

			if (r->kind != BBPF_RELO_CORE)
				continue;
			src = (const struct bpf_core_relo *)p->core_relo.sec->recs + r->target;
			recs[*cnt] = *src;
			recs[*cnt].insn_off = (img->funcs[f].insn_off + r->insn_idx) *
					      (uint32_t)sizeof(struct bpf_insn);
			(*cnt)++;
		}
	}
	*out = recs;
	return 0;
}

static int check_core(struct bbpf_inst *inst, const struct bbpf_program *p, uint32_t core_cnt)
{
	if (!core_cnt || inst->btf_fd >= 0)
		return 0;
	return bbpf_inst_fail(inst, BBPF_STAGE_PROG, bbpf_prog_idx(p), -EOPNOTSUPP,
			      "%u CO-RE relocations but no BTF was loaded into the kernel; "
			      "refusing to load it unrelocated", core_cnt);
}

static void fill_attr(const struct bbpf_inst *inst, const struct bbpf_program *p,
		      const struct bbpf_prog_image *img, uint32_t attach_btf_id, union bpf_attr *a)
{
	const struct bbpf_ctx *ctx = inst->ctx;
	const struct bbpf_object *obj = inst->obj;
	int btf_fd = inst->btf_fd;

	memset(a, 0, sizeof(*a));
	a->prog_type = p->type;
	a->expected_attach_type = bbpf_prog_load_attach_type(ctx, p);
	a->insns = (uint64_t)(uintptr_t)img->insns;
	a->insn_cnt = img->insn_cnt;
	a->license = (uint64_t)(uintptr_t)obj->license;
	a->kern_version = obj->kern_version;
	a->prog_flags = p->prog_flags;
	if (ctx->feat.prog_name)
		bbpf_snprintf(a->prog_name, sizeof(a->prog_name), "%s", p->name);
	a->attach_btf_id = attach_btf_id;
	/* Like libbpf: func/line info only where the kernel has BTF FUNC (5.0). */
	if (btf_fd >= 0) {
		a->prog_btf_fd = (uint32_t)btf_fd;
	}
	if (btf_fd >= 0 && ctx->feat.btf_func) {
		if (img->func_info_cnt) {
			a->func_info = (uint64_t)(uintptr_t)img->func_info;
			a->func_info_cnt = img->func_info_cnt;
			a->func_info_rec_size = sizeof(struct bpf_func_info);
		}
		if (img->line_info_cnt) {
			a->line_info = (uint64_t)(uintptr_t)img->line_info;
			a->line_info_cnt = img->line_info_cnt;
			a->line_info_rec_size = sizeof(struct bpf_line_info);
		}
	}
}

static bool usdt_multi(const struct bbpf_ctx *ctx, const struct bbpf_program *p)
{
	return p->sec_def && (p->sec_def->flags & BBPF_SEC_USDT) && !p->expected_attach_type &&
	       ctx->feat.uprobe_multi_probed && ctx->feat.uprobe_multi_link;
}

enum bpf_attach_type bbpf_prog_load_attach_type(const struct bbpf_ctx *ctx,
						const struct bbpf_program *p)
{
	if (usdt_multi(ctx, p))
		return (enum bpf_attach_type)BBPF_TRACE_UPROBE_MULTI;
	if (!ctx->feat.exp_attach_type && p->sec_def &&
	    (p->sec_def->flags & BBPF_SEC_EXP_ATTACH_OPT))
		return 0;
	return p->expected_attach_type;
}

/* A usdt program's load asks whether the kernel has uprobe-multi links (probed once). */
static int probe_for(struct bbpf_inst *inst, const struct bbpf_program *p)
{
	int err;

	if (!p->sec_def || !(p->sec_def->flags & BBPF_SEC_USDT) || p->expected_attach_type)
		return 0;
	err = bbpf_features_uprobe_multi(inst->ctx);
	if (err < 0)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, bbpf_prog_idx(p), err,
				      "cannot tell whether the kernel has uprobe-multi links");
	return 0;
}

struct prog_load_arg {
	const struct bbpf_sys *sys;
	union bpf_attr *attr;
};

static long prog_load(void *varg, char *buf, uint32_t size, uint32_t level)
{
	const struct prog_load_arg *arg = varg;

	arg->attr->log_level = level;
	arg->attr->log_buf = (uint64_t)(uintptr_t)buf;
	arg->attr->log_size = size;
	return bbpf_cmd_prog_load(arg->sys, arg->attr);
}

/* BPF_PROG_LOAD with the log policy; the verifier's lines go to the log callback. */
static int load_with_log(struct bbpf_inst *inst, const struct bbpf_program *p, union bpf_attr *a,
			 struct bbpf_arena *scratch)
{
	const struct bbpf_log *log = bbpf_inst_log_of(inst->obj, inst->ctx);
	struct prog_load_arg arg = { &inst->ctx->sys, a };
	struct bbpf_klog klog;
	int fd;

	fd = (int)bbpf_klog_run(scratch, inst->log_level, prog_load, &arg, &klog);
	if (fd >= 0 && klog.buf)
		bbpf_log_lines(log, BBPF_LOG_DEBUG, "verifier: ", klog.buf, klog.size);
	if (fd >= 0)
		return fd;
	bbpf_inst_fail(inst, BBPF_STAGE_PROG, bbpf_prog_idx(p), fd, "load failed (section '%s')",
		       p->sec_name);
	if (klog.buf)
		bbpf_log_lines(log, BBPF_LOG_WARN, "verifier: ", klog.buf, klog.size);
	return fd;
}

int bbpf_prog_load_one(struct bbpf_inst *inst, struct bbpf_program *prog)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t idx = bbpf_prog_idx(prog);
	struct bbpf_arena scratch;
	struct bbpf_prog_image img;
	struct bbpf_relo_env env = { .map_fds = inst->map_fds, .ext = inst->ext_vals,
				     .kconfig_map_fd = -1 };
	struct bbpf_diag diag = { 0 };
	struct bpf_core_relo *core = NULL;
	uint32_t attach_btf_id, core_cnt = 0;
	union bpf_attr a;
	int err;

	if (obj->kconfig_map < obj->map_cnt)
		env.kconfig_map_fd = inst->map_fds[obj->kconfig_map];

	err = probe_for(inst, prog);
	if (err)
		return err;
	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 30);
	err = bbpf_relo_program(obj, prog, &env, &scratch, &img, &diag);
#ifndef BBPF_NO_USER_CORE
	if (!err && inst->core_mode == BBPF_CORE_USER)
		err = bbpf_core_apply(inst->core, &img, &diag);	/* user space, as libbpf */
	else
#endif
	if (!err && inst->core_mode == BBPF_CORE_KERNEL)
		err = collect_core_relos(&img, &scratch, &core, &core_cnt);	/* the kernel's */
	if (err == -ENOMEM) {
		bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err, "no memory to relocate it");
		goto out;
	}
	if (err) {
		/* relocation and CO-RE log what is wrong with the code; diag says where */
		bbpf_inst_record(inst, BBPF_STAGE_PROG, idx, err);
		goto out;
	}
	err = check_core(inst, prog, core_cnt);
	err = err ?: find_attach_btf_id(inst, prog, &attach_btf_id);
	if (err)
		goto out;
	fill_attr(inst, prog, &img, attach_btf_id, &a);
	if (core_cnt) {
		a.core_relos = (uint64_t)(uintptr_t)core;
		a.core_relo_cnt = core_cnt;
		a.core_relo_rec_size = sizeof(struct bpf_core_relo);
	}
	err = load_with_log(inst, prog, &a, &scratch);
	if (err >= 0) {
		inst->prog_fds[idx] = err;
		err = 0;
	}
out:
	bbpf_arena_free(&scratch);
	return err;
}
