/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attaching by section kind: the table from the section table's kind id to
 * each kind's attach function, one program's attach, and every
 * auto-attachable program of an object. See loader.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "attach.h"
#include "../base/fmt.h"

/* The kinds that attach without a target in the section name; the others need one (libbpf: no auto-attach for a bare SEC("tp") or SEC("raw_tp")). */
#define NO_TARGET ((1u << BBPF_ATTACH_TRACING) | (1u << BBPF_ATTACH_LSM) | (1u << BBPF_ATTACH_ITER))

BBPF_NO_FP_VARARGS
int bbpf_attach_warn(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int err,
		     const char *fmt, ...)
{
	char msg[768];	/* bbpf_log_warn()'s own limit */
	va_list ap;

	if (!ctx->log.fn)
		return err;
	va_start(ap, fmt);
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bbpf_log_warn(&ctx->log, "program", prog->name, err, "%s", msg);
}

int bbpf_attach_not_built(struct bbpf_ctx *ctx, const struct bbpf_program *prog, const char *what)
{
	bbpf_attach_warn(ctx, prog, 0, "section '%s': %s not supported in "
		      "this build", prog->sec_name, what);
	return -EOPNOTSUPP;
}

#if defined(BBPF_NO_MULTI_ATTACH) || defined(BBPF_NO_KSYSCALL)
static int kind_not_built(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			  struct bbpf_link *link)
{
	(void)prog_fd;
	(void)link;
	return bbpf_attach_not_built(ctx, prog, "this attach kind");
}
#endif
#ifdef BBPF_NO_MULTI_ATTACH	/* the init build: no kprobe.multi, uprobe.multi, *.session */
#define bbpf_attach_uprobe_multi kind_not_built
#define bbpf_attach_kprobe_multi kind_not_built
#endif
#ifdef BBPF_NO_KSYSCALL		/* the init build: no ksyscall/kretsyscall */
#define bbpf_attach_ksyscall kind_not_built
#endif

static const bbpf_attach_fn kinds[] = {
	/* libbpf: no auto-attach for bare SEC("uprobe"), SEC("uprobe.multi"), SEC("usdt") */
	[BBPF_ATTACH_UPROBE] = bbpf_attach_uprobe,
	[BBPF_ATTACH_UPROBE_MULTI] = bbpf_attach_uprobe_multi,
#ifndef BBPF_NO_USDT	/* the init build (make static-init) leaves USDT out */
	[BBPF_ATTACH_USDT] = bbpf_attach_usdt,
#endif

	[BBPF_ATTACH_TRACEPOINT] = bbpf_attach_tracepoint,
	[BBPF_ATTACH_RAW_TP] = bbpf_attach_raw_tp,
	[BBPF_ATTACH_TRACING] = bbpf_attach_tracing,
	[BBPF_ATTACH_LSM] = bbpf_attach_tracing,
	[BBPF_ATTACH_ITER] = bbpf_attach_iter,
	/* libbpf: no auto-attach for a bare SEC("kprobe"), SEC("ksyscall"), SEC("kprobe.multi") */
	[BBPF_ATTACH_KPROBE] = bbpf_attach_kprobe,
	[BBPF_ATTACH_KSYSCALL] = bbpf_attach_ksyscall,
	[BBPF_ATTACH_KPROBE_MULTI] = bbpf_attach_kprobe_multi,
};

/* prog's kind id, if it has an attach function, else BBPF_ATTACH_NONE (no function) */
static unsigned int kind_of(const struct bbpf_program *prog)
{
	unsigned int k = prog->sec_def ? prog->sec_def->attach : BBPF_ATTACH_NONE;

	return k < sizeof(kinds) / sizeof(kinds[0]) && kinds[k] ? k : BBPF_ATTACH_NONE;
}

bool bbpf_attach_is_auto(const struct bbpf_program *prog, const char **why)
{
	unsigned int k = kind_of(prog);
	const char *reason = NULL;

	if (bbpf_program_fd(prog) < 0)
		reason = "not loaded";
	else if (!prog->sec_def)
		reason = "unknown section";
	else if (prog->sec_def->attach == BBPF_ATTACH_STRUCT_OPS)
		reason = "a struct_ops map's member: registered with the map";
	else if (!k)
		reason = "no auto-attach for this kind (yet)";
	else if (!(NO_TARGET >> k & 1) && (!prog->attach_target || !prog->attach_target[0]))
		reason = "no target in the section name";
	if (why)
		*why = reason;
	return !reason;
}

int bbpf_program_attach(struct bbpf_program *prog, struct bbpf_link **out)
{
	struct bbpf_inst *inst;
	struct bbpf_link *link;
	int err;

	if (!prog || !out || prog->is_subprog)
		return -EINVAL;
	inst = bbpf_inst_of(prog->obj);
	if (!inst || !inst->loaded || bbpf_program_fd(prog) < 0)
		return -EINVAL;
	if (!bbpf_attach_is_auto(prog, NULL))
		return -EOPNOTSUPP;
	err = bbpf_link_new(inst->ctx, prog, &link);
	if (err)
		return err;
	err = kinds[kind_of(prog)](inst->ctx, prog, bbpf_program_fd(prog), link);
	if (err) {
		bbpf_link_free(link);	/* undoes whatever the attach made */
		return err;
	}
	*out = link;
	return 0;
}

/* ---- the public bbpf_program_attach_*() calls ---- */

static const struct bbpf_log *api_log(const struct bbpf_program *prog)
{
	const struct bbpf_inst *inst = bbpf_inst_of(prog->obj);

	return bbpf_inst_log_of(prog->obj, inst ? inst->ctx : NULL);
}

int bbpf_attach_api_fail(const struct bbpf_program *prog, int err, const char *why)
{
	if (prog)
		bbpf_log_warn(api_log(prog), "program", prog->name, 0, "%s", why);
	return err;
}

int bbpf_attach_api(struct bbpf_program *prog, bbpf_attach_api_fn fn, const void *arg,
		    struct bbpf_link **out)
{
	struct bbpf_inst *inst;
	struct bbpf_link *link;
	int err, prog_fd;

	if (!prog || !out || prog->is_subprog)
		return -EINVAL;
	inst = bbpf_inst_of(prog->obj);
	prog_fd = bbpf_program_fd(prog);
	if (!inst || !inst->loaded || prog_fd < 0)
		return bbpf_attach_api_fail(prog, -EINVAL, "cannot attach a program that is not loaded");
	err = bbpf_link_new(inst->ctx, prog, &link);
	if (err)
		return bbpf_attach_api_fail(prog, err, "no memory for a link");
	err = fn(inst->ctx, prog, prog_fd, link, arg);
	if (err) {
		bbpf_link_free(link);	/* undoes whatever the attach made */
		return err;
	}
	*out = link;
	return 0;
}

/* ---- the object's links ---- */

static void set_status(struct bbpf_inst *inst, uint32_t i, enum bbpf_attach_status st,
		       const char *why, int err)
{
	inst->attach[i] = (struct bbpf_inst_attach){ st, err, why };
}

/* This call's links go: all or nothing, as libbpf's skeleton attach. */
static void drop_since(struct bbpf_inst *inst, uint32_t first)
{
	uint32_t i;

	for (i = first; i < inst->link_cnt; i++)
		if (inst->links[i]->prog)
			set_status(inst, bbpf_prog_idx(inst->links[i]->prog),
				   BBPF_ATTACH_NOT_TRIED, NULL, 0);
	bbpf_inst_drop_links(inst, first);
}

static bool map_held(const struct bbpf_inst *inst, const struct bbpf_map *m)
{
	uint32_t i;

	for (i = 0; i < inst->link_cnt; i++)
		if (inst->links[i]->map == m)
			return true;
	return false;
}

/* Then every struct_ops map, as libbpf's skeleton attach does after the programs. */
static int attach_struct_ops(struct bbpf_inst *inst, uint32_t first, bool keep_going)
{
	struct bbpf_object *obj = inst->obj;
	struct bbpf_link *link;
	int err, first_err = 0;
	uint32_t i;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_map *m = &obj->maps[i];

		if (!inst->maps[i].st_value || inst->map_fds[i] < 0 || map_held(inst, m))
			continue;
		err = bbpf_map_attach_struct_ops(m, &link);
		if (!err) {
			err = bbpf_inst_hold_link(inst, link);
			if (err)
				bbpf_link_free(link);
		}
		if (!err)
			continue;
		bbpf_inst_record(inst, BBPF_STAGE_ATTACH, UINT32_MAX, err);
		if (!keep_going) {
			drop_since(inst, first);
			return err;
		}
		first_err = first_err ?: err;
	}
	return first_err;
}

int bbpf_object_attach(struct bbpf_object *obj)
{
	return bbpf_object_attach_opts(obj, NULL);
}

int bbpf_object_attach_opts(struct bbpf_object *obj, const struct bbpf_object_attach_opts *opts)
{
	struct bbpf_inst *inst = bbpf_inst_of(obj);
	bool keep_going = opts && opts->keep_going;
	uint32_t i, first;
	const char *why;
	int err, first_err = 0;

	if (!inst || !inst->loaded)
		return -EINVAL;
	bbpf_obj_error_reset(obj);
	first = inst->link_cnt;
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bbpf_program *p = &obj->progs[i];
		struct bbpf_link *link;

		if (inst->attach[i].status == BBPF_ATTACH_DONE)
			continue;	/* by an earlier call */
		if (!bbpf_attach_is_auto(p, &why)) {
			set_status(inst, i, BBPF_ATTACH_SKIPPED, why, 0);
			bbpf_inst_log(inst, BBPF_LOG_DEBUG,
				      "program '%s' (section '%s'): not attached: %s", p->name,
				      p->sec_name, why);
			continue;
		}
		err = bbpf_program_attach(p, &link);
		if (!err) {
			err = bbpf_inst_hold_link(inst, link);
			if (err)
				bbpf_link_free(link);
		}
		if (err) {
			set_status(inst, i, BBPF_ATTACH_FAILED, NULL, err);
			/* the kind's function said why, in one line; the first failure is recorded */
			bbpf_inst_record(inst, BBPF_STAGE_ATTACH, i, err);
			bbpf_inst_log(inst, BBPF_LOG_DEBUG, "program '%s' (section '%s'): attach failed: %s",
				      p->name, p->sec_name, bbpf_err_name(err));
			if (keep_going) {
				first_err = first_err ?: err;
				continue;
			}
			drop_since(inst, first);
			return err;
		}
		set_status(inst, i, BBPF_ATTACH_DONE, NULL, 0);
	}
	err = attach_struct_ops(inst, first, keep_going);
	/* keep_going: what attached stays; the first failure is still said */
	return first_err ?: err;
}

enum bbpf_attach_status bbpf_program_attach_status(const struct bbpf_program *prog,
						   const char **why, int *err)
{
	const struct bbpf_inst *inst = prog ? bbpf_inst_of(prog->obj) : NULL;
	const struct bbpf_inst_attach *a;

	if (!inst || prog->is_subprog)
		return BBPF_ATTACH_NOT_TRIED;
	a = &inst->attach[bbpf_prog_idx(prog)];
	if (why)
		*why = a->why;
	if (err)
		*err = a->err;
	return a->status;
}

void bbpf_object_detach(struct bbpf_object *obj)
{
	struct bbpf_inst *inst = bbpf_inst_of(obj);

	if (!inst)
		return;
	bbpf_inst_drop_links(inst, 0);
	memset(inst->attach, 0, obj->prog_cnt * sizeof(*inst->attach));
}

/* ---- for the kinds with a target ---- */

int bbpf_attach_begin(const struct bbpf_program *prog, struct bbpf_link **out,
		      struct bbpf_ctx **ctx, int *prog_fd, struct bbpf_link **link)
{
	struct bbpf_inst *inst;

	if (out)
		*out = NULL;
	if (!prog || !out || prog->is_subprog)
		return -EINVAL;
	inst = bbpf_inst_of(prog->obj);
	if (!inst || !inst->loaded || bbpf_program_fd(prog) < 0)
		return -EINVAL;
	*ctx = inst->ctx;
	*prog_fd = bbpf_program_fd(prog);
	return bbpf_link_new(inst->ctx, prog, link);
}

int bbpf_attach_end(struct bbpf_link *link, int err, struct bbpf_link **out)
{
	if (err) {
		bbpf_link_free(link);
		return err;
	}
	*out = link;
	return 0;
}

int bbpf_attach_ctx(struct bbpf_ctx **ctx, bool *own)
{
	*own = !*ctx;
	return *ctx ? 0 : bbpf_ctx_new(ctx, NULL);
}

void bbpf_attach_lc_extra(union bpf_attr *attr, const void *data, size_t len)
{
	memcpy((uint8_t *)&attr->link_create.target_btf_id, data, len);
}

int bbpf_attach_dup(struct bbpf_ctx *ctx, struct bbpf_link *link, int fd)
{
	long nfd = ctx->sys.dup(ctx->sys.ctx, fd);
	int err;

	if (nfd < 0)
		return (int)nfd;
	err = bbpf_link_undo_add(link, BBPF_UNDO_CLOSE, (int)nfd, 0, 0);
	return err ? err : (int)nfd;
}
