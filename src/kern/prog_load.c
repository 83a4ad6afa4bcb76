/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One program: relocate, find its attach BTF id, BPF_PROG_LOAD, and on
 * failure fetch the verifier log (growing the buffer) for the log callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "load_int.h"
#include "../base/fmt.h"

#define LOG_MIN (64u * 1024)
#define LOG_MAX (16u * 1024 * 1024)

/* Hand a multi-line kernel log to the callback, one line at a time. */
void bbpf_log_lines(const struct bbpf_log *log, enum bbpf_log_level level, const char *prefix,
		    const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && text[i]) {
		size_t n = 0;

		while (i + n < len && text[i + n] && text[i + n] != '\n')
			n++;
		if (n)
			bbpf_log(log, level, "%s%.*s", prefix, (int)n, text + i);
		i += n + 1;
	}
}

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

static int find_attach_btf_id(struct bbpf_object *obj, const struct bbpf_program *p,
			      uint32_t *id)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	struct bbpf_btf *vmlinux;
	char name[256];
	uint32_t kind;
	int err;

	*id = 0;
	if (!p->sec_def || !(p->sec_def->flags & BBPF_SEC_ATTACH_BTF))
		return 0;
	if (p->type == BPF_PROG_TYPE_EXT) {
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
			 "%s: program '%s': freplace needs a target program, which barebpf cannot take yet",
			 obj->name, p->name);
		return -EOPNOTSUPP;
	}
	err = attach_btf_name(p, name, sizeof(name), &kind);
	err = err ?: bbpf_ctx_vmlinux_btf(ctx, &vmlinux);
	if (err) {
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
			 "%s: program '%s': kernel BTF needed for '%s' is not available: %s", obj->name,
			 p->name, p->sec_name, bbpf_err_name(err));
		return err;
	}
	*id = bbpf_btf_find_by_name_kind(vmlinux, name, kind);
	if (!*id) {
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
			 "%s: program '%s': attach target '%s' not found in kernel BTF", obj->name,
			 p->name, name);
		return -ESRCH;
	}
	return 0;
}

/*
 * CO-RE records of the program and its appended subprograms, with
 * instruction offsets (in bytes) rebased to the image. The kernel (5.17+)
 * applies them against its own BTF at load, exactly as libbpf would in user
 * space; the records' type ids and access strings refer to the object's BTF,
 * loaded as prog_btf_fd.
 */
static int collect_core_relos(const struct bbpf_object *obj, const struct bbpf_prog_image *img,
			      struct bbpf_arena *scratch, struct bpf_core_relo **out, uint32_t *cnt)
{
	uint32_t f, i, n = 0;
	struct bpf_core_relo *recs;

	(void)obj;
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

static int check_core(struct bbpf_object *obj, const struct bbpf_program *p, uint32_t core_cnt,
		      int btf_fd)
{
	if (!core_cnt || btf_fd >= 0)
		return 0;
	bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
		 "%s: program '%s' has %u CO-RE relocations but no BTF was loaded into the kernel; "
		 "refusing to load it unrelocated", obj->name, p->name, core_cnt);
	return -EOPNOTSUPP;
}

static void fill_attr(const struct bbpf_object *obj, const struct bbpf_program *p,
		      const struct bbpf_prog_image *img, int btf_fd, uint32_t attach_btf_id,
		      union bpf_attr *a)
{
	const struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);

	memset(a, 0, sizeof(*a));
	a->prog_type = p->type;
	a->expected_attach_type = p->expected_attach_type;
	if (!ctx->feat.exp_attach_type && p->sec_def &&
	    (p->sec_def->flags & BBPF_SEC_EXP_ATTACH_OPT))
		a->expected_attach_type = 0;
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

/* Load; on failure load again with a log (grown until it fits) for the message. */
static int load_with_log(struct bbpf_object *obj, const struct bbpf_program *p, union bpf_attr *a,
			 uint32_t log_level, struct bbpf_arena *scratch)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	uint32_t size = LOG_MIN;
	char *buf = NULL;
	int fd;

	for (;;) {
		if (log_level) {
			buf = bbpf_arena_zalloc(scratch, size);
			if (!buf)
				return -ENOMEM;
			a->log_level = log_level;
			a->log_buf = (uint64_t)(uintptr_t)buf;
			a->log_size = size;
		}
		fd = bbpf_cmd_prog_load(&ctx->sys, a);
		if (fd >= 0 && log_level && buf[0])
			bbpf_log_lines(bbpf_obj_klog(obj), BBPF_LOG_DEBUG, "verifier: ", buf, size);
		if (fd >= 0)
			return fd;
		if (!log_level) {
			log_level = 1;
			continue;
		}
		if (fd == -ENOSPC && size < LOG_MAX) {
			size *= 4;
			continue;
		}
		break;
	}
	bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN, "%s: program '%s' (section '%s'): load failed: %s",
		 obj->name, p->name, p->sec_name, bbpf_err_name(fd));
	if (buf)
		bbpf_log_lines(bbpf_obj_klog(obj), BBPF_LOG_WARN, "verifier: ", buf, size);
	return fd;
}

int bbpf_prog_load_one(struct bbpf_object *obj, struct bbpf_program *prog,
		       const struct bbpf_extern_val *ext, int btf_fd, uint32_t log_level)
{
	const struct bbpf_obj_kern *k = obj->kern;
	struct bbpf_arena scratch;
	struct bbpf_prog_image img;
	struct bbpf_relo_env env = { .ext = ext, .kconfig_map_fd = -1 };
	struct bbpf_diag diag = { 0 };
	struct bpf_core_relo *core = NULL;
	uint32_t i, attach_btf_id, core_cnt = 0;
	union bpf_attr a;
	int *fds, err;

	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 30);
	fds = bbpf_arena_calloc(&scratch, obj->map_cnt, sizeof(int));
	if (!fds) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < obj->map_cnt; i++)
		fds[i] = obj->maps[i].fd;
	env.map_fds = fds;
	if (obj->kconfig_map < obj->map_cnt)
		env.kconfig_map_fd = obj->maps[obj->kconfig_map].fd;
	err = bbpf_relo_program(obj, prog, &env, &scratch, &img, &diag);
	if (!err && k->core)
		err = bbpf_core_apply(k->core, &img, &diag);	/* user space, as libbpf */
	else if (!err)
		err = collect_core_relos(obj, &img, &scratch, &core, &core_cnt);	/* the kernel's */
	err = err ?: check_core(obj, prog, core_cnt, btf_fd);
	err = err ?: find_attach_btf_id(obj, prog, &attach_btf_id);
	if (err)
		goto out;
	fill_attr(obj, prog, &img, btf_fd, attach_btf_id, &a);
	if (core_cnt) {
		a.core_relos = (uint64_t)(uintptr_t)core;
		a.core_relo_cnt = core_cnt;
		a.core_relo_rec_size = sizeof(struct bpf_core_relo);
	}
	err = load_with_log(obj, prog, &a, log_level, &scratch);
	if (err >= 0) {
		prog->fd = err;
		err = 0;
	}
out:
	bbpf_arena_free(&scratch);
	return err;
}
