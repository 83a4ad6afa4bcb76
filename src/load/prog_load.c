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

/* The prefix and kind of the kernel BTF type a target name maps to (libbpf's find_attach_btf_id). */
static const char *attach_btf_prefix(const struct bbpf_program *p, uint32_t *kind)
{
	*kind = BTF_KIND_FUNC;	/* fentry, fexit, fmod_ret */
	switch (p->expected_attach_type) {
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

/* The vmlinux name a program's kernel attach target is looked up by; NULL: none or a module's. */
static const char *vmlinux_target(const struct bbpf_program *p, char *buf, size_t len,
				  uint32_t *kind)
{
	const char *name = p->attach_func_name ? p->attach_func_name : p->attach_target;
	const char *colon, *prefix;
	int n;

	if (!p->autoload || !p->sec_def || !(p->sec_def->flags & BBPF_SEC_ATTACH_BTF) ||
	    p->type == BPF_PROG_TYPE_EXT || p->attach_prog_fd || !name || !name[0])
		return NULL;
	colon = strchr(name, ':');
	if (colon && (colon - name != 7 || memcmp(name, "vmlinux", 7)))
		return NULL;
	prefix = attach_btf_prefix(p, kind);
	n = bbpf_snprintf(buf, len, "%s%s", prefix, colon ? colon + 1 : name);
	return n > 0 && (size_t)n < len ? buf : NULL;
}

int bbpf_prog_want_targets(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	const char *name;
	char buf[256];
	uint32_t i, kind;

	for (i = 0; i < obj->prog_cnt; i++) {
		name = vmlinux_target(&obj->progs[i], buf, sizeof(buf), &kind);
		if (name && bbpf_kname_want(inst->ctx, name, kind) == -ENOMEM)
			return bbpf_inst_fail(inst, BBPF_STAGE_PROG, i, -ENOMEM,
					      "no memory for its attach target");
	}
	return 0;
}

/*
 * attach_btf_id of a BTF-typed program, with the fd BPF_PROG_LOAD takes
 * beside it (*fd_field): the target program's (freplace, or a program
 * retargeted by bbpf_program_set_attach_target), or a module's BTF object
 * (opened here: *obj_fd, closed by the caller after the load).
 */
static int find_attach_btf_id(struct bbpf_inst *inst, const struct bbpf_program *p,
			      uint32_t *id, uint32_t *fd_field, int *obj_fd)
{
	uint32_t idx = bbpf_prog_idx(p);
	const char *name = p->attach_func_name ? p->attach_func_name : p->attach_target;
	const char *prefix;
	uint32_t kind;
	int err;

	*id = 0;
	*fd_field = 0;
	*obj_fd = -1;
#ifndef BBPF_NO_STRUCT_OPS	/* the init build loads no struct_ops program (autoload off at open) */
	if (p->type == BPF_PROG_TYPE_STRUCT_OPS) {
		/*
		 * No map uses it (the caller turned its autoload on): the kernel
		 * refuses it without a target (-ENOTSUPP), as it does libbpf's.
		 */
		*id = inst->st_progs ? inst->st_progs[idx].btf_id : 0;
		if (!*id)
			bbpf_inst_log(inst, BBPF_LOG_WARN, "program '%s': no struct_ops map uses "
				      "this struct_ops program", p->name);
		return 0;
	}
#endif
	if (!p->sec_def || !(p->sec_def->flags & BBPF_SEC_ATTACH_BTF))
		return 0;
	if (p->type == BPF_PROG_TYPE_EXT || p->attach_prog_fd) {
		if (!p->attach_prog_fd)
			return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, -EINVAL,
					      "freplace needs its target program: "
					      "bbpf_program_set_attach_target()");
		if (!name || !name[0])
			return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, -EINVAL,
					      "no function of the target program named");
		err = bbpf_attach_btf_prog(inst->ctx, p->attach_prog_fd, name, id);
		if (err)
			return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err,
					      "function '%s' not found in the BTF of program fd %d",
					      name, p->attach_prog_fd);
		*fd_field = (uint32_t)p->attach_prog_fd;
		return 0;
	}
	if (!name || !name[0])
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, -EINVAL,
				      "no BTF attach target in section '%s': "
				      "bbpf_program_set_attach_target()", p->sec_name);
	prefix = attach_btf_prefix(p, &kind);
	err = bbpf_attach_btf_kernel(inst->ctx, name, prefix, kind, id, obj_fd);
	if (err == -ESRCH)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err,
				      "attach target '%s%s' not found in kernel or module BTF",
				      prefix, name);
	if (err == -EINVAL)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err,
				      "attach target '%s%s' is not a valid name", prefix, name);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_PROG, idx, err,
				      "kernel BTF needed for '%s' is not available", p->sec_name);
	if (*obj_fd >= 0)
		*fd_field = (uint32_t)*obj_fd;
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
		      const struct bbpf_prog_image *img, uint32_t attach_btf_id,
		      uint32_t attach_fd, union bpf_attr *a)
{
	const struct bbpf_ctx *ctx = inst->ctx;
	const struct bbpf_object *obj = inst->obj;
	int btf_fd = inst->btf_fd;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->prog_type = p->type;
	a->expected_attach_type = bbpf_prog_load_attach_type(ctx, p);
	a->insns = (uint64_t)(uintptr_t)img->insns;
	a->insn_cnt = img->insn_cnt;
	a->license = (uint64_t)(uintptr_t)obj->license;
	a->kern_version = obj->kern_version;
	a->prog_flags = p->prog_flags;
	a->prog_ifindex = p->ifindex;
	/* snprintf("%s")'s truncation, by hand: a was cleared, so the name stays NUL-terminated */
	for (i = 0; ctx->feat.prog_name && i + 1 < sizeof(a->prog_name) && p->name[i]; i++)
		a->prog_name[i] = p->name[i];
	a->attach_btf_id = attach_btf_id;
	a->attach_prog_fd = attach_fd;	/* or attach_btf_obj_fd: one field */
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

/* The init build attaches no usdt program: they load as plain uprobes, no probe asked. */
#ifdef BBPF_NO_USDT
#define USDT_BUILT false
#else
#define USDT_BUILT true
#endif

static bool usdt_multi(const struct bbpf_ctx *ctx, const struct bbpf_program *p)
{
	return USDT_BUILT && p->sec_def && (p->sec_def->flags & BBPF_SEC_USDT) &&
	       !p->expected_attach_type && ctx->feat.uprobe_multi_probed &&
	       ctx->feat.uprobe_multi_link;
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

	if (!USDT_BUILT || !p->sec_def || !(p->sec_def->flags & BBPF_SEC_USDT) ||
	    p->expected_attach_type)
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

/*
 * As libbpf 1.8 after each program load: every created read-only internal
 * map (.rodata, .rodata.*) bound to the program (BPF_PROG_BIND_MAP, 5.10),
 * so the kernel keeps them with the program even where its code no longer
 * refers to them (dead-code elimination, a constant folded by the verifier),
 * and the program's map list shows them. Where the kernel lacks the command
 * nothing is bound; a failed bind is a warning, never a failed load.
 */
static void bind_rodata(struct bbpf_inst *inst, const struct bbpf_program *p, int prog_fd)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t i;
	int err = 0;

	for (i = 0; i < obj->map_cnt; i++) {
		if (obj->maps[i].kind != BBPF_MAP_RODATA || inst->map_fds[i] < 0)
			continue;
		if (!err)
			err = bbpf_features_bind_map(inst->ctx);
		if (err < 0)
			bbpf_inst_log(inst, BBPF_LOG_WARN,
				      "cannot tell whether the kernel binds maps to programs: %s",
				      bbpf_err_name(err));
		if (err <= 0)
			return;
		err = bbpf_cmd_prog_bind_map(&inst->ctx->sys, prog_fd, inst->map_fds[i]);
		if (err)
			bbpf_inst_log(inst, BBPF_LOG_WARN, "program '%s': cannot bind map '%s': %s",
				      p->name, obj->maps[i].real_name, bbpf_err_name(err));
		err = 1;
	}
}

int bbpf_prog_load_one(struct bbpf_inst *inst, struct bbpf_program *prog)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t idx = bbpf_prog_idx(prog);
	struct bbpf_arena *scratch = &inst->scratch;
	struct bbpf_prog_image img;
	struct bbpf_relo_env env = { .map_fds = inst->map_fds, .ext = inst->ext_vals,
				     .kconfig_map_fd = -1 };
	struct bbpf_diag diag = { 0 };
	struct bpf_core_relo *core = NULL;
	uint32_t attach_btf_id, attach_fd, core_cnt = 0;
	int err, btf_obj_fd = -1;
	union bpf_attr a;

	if (obj->kconfig_map < obj->map_cnt)
		env.kconfig_map_fd = inst->map_fds[obj->kconfig_map];

	err = probe_for(inst, prog);
	if (err)
		return err;
	err = bbpf_relo_program(obj, prog, &env, scratch, &img, &diag);
#ifndef BBPF_NO_USER_CORE
	if (!err && inst->core_mode == BBPF_CORE_USER)
		err = bbpf_core_apply(inst->core, &img, &diag);	/* user space, as libbpf */
	else
#endif
	if (!err && inst->core_mode == BBPF_CORE_KERNEL)
		err = collect_core_relos(&img, scratch, &core, &core_cnt);	/* the kernel's */
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
	err = err ?: find_attach_btf_id(inst, prog, &attach_btf_id, &attach_fd, &btf_obj_fd);
	if (err)
		goto out;
	fill_attr(inst, prog, &img, attach_btf_id, attach_fd, &a);
#ifndef BBPF_NO_STRUCT_OPS
	if (prog->type == BPF_PROG_TYPE_STRUCT_OPS && inst->st_progs)	/* none: no map is created */
		a.expected_attach_type = inst->st_progs[idx].member;	/* the member's index */
#endif
	if (core_cnt) {
		a.core_relos = (uint64_t)(uintptr_t)core;
		a.core_relo_cnt = core_cnt;
		a.core_relo_rec_size = sizeof(struct bpf_core_relo);
	}
	err = load_with_log(inst, prog, &a, scratch);
	if (err >= 0) {
		inst->prog_fds[idx] = err;
		bind_rodata(inst, prog, err);
		err = 0;
	}
out:
	/* the program holds the module's BTF now */
	if (btf_obj_fd >= 0)
		inst->ctx->sys.close(inst->ctx->sys.ctx, btf_obj_fd);
	return err;
}
