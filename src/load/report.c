/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Messages and the structured error of the kernel-facing calls: which log
 * a message goes to, at what level, and what the caller can read back with
 * bbpf_object_error(). Every failure of load, attach and pin passes here.
 */
#include <stdarg.h>
#include <stdio.h>
#include "load.h"
#include "../base/fmt.h"

const struct bbpf_log *bbpf_inst_log_of(const struct bbpf_object *obj, const struct bbpf_ctx *ctx)
{
	return ctx && ctx->log.fn ? &ctx->log : &obj->log;
}

static void vlog(const struct bbpf_log *log, enum bbpf_log_level level, const char *obj_name,
		 const char *what, const char *name, int err, const char *fmt, va_list ap)
{
	char msg[768];
	int n = 0;

	if (!log->fn || (log->warn_only && level != BBPF_LOG_WARN))
		return;	/* what bbpf_log() would drop is not formatted either */
	if (what && name) {
		n = bbpf_snprintf(msg, 256, "%s '%s': ", what, name);
		n = n < 256 ? n : 255;	/* truncated */
	}
	bbpf_vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	if (err)
		bbpf_log(log, level, "%s: %s: %s", obj_name, msg, bbpf_err_name(err));
	else
		bbpf_log(log, level, "%s: %s", obj_name, msg);
}

BBPF_NO_FP_VARARGS
void bbpf_inst_log(const struct bbpf_inst *inst, enum bbpf_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(bbpf_inst_log_of(inst->obj, inst->ctx), level, inst->obj->name, NULL, NULL, 0, fmt,
	     ap);
	va_end(ap);
}

/* The name the stage's index refers to, and the word for it in messages. */
static const char *subject(const struct bbpf_object *obj, enum bbpf_stage stage, uint32_t idx,
			   const char **what)
{
	*what = NULL;
	switch (stage) {
	case BBPF_STAGE_MAP:
	case BBPF_STAGE_SLOT:
		*what = "map";
		return idx < obj->map_cnt ? obj->maps[idx].name : NULL;
	case BBPF_STAGE_PROG:
	case BBPF_STAGE_ATTACH:
		*what = "program";
		return idx < obj->prog_cnt + obj->subprog_cnt ? obj->progs[idx].name : NULL;
	case BBPF_STAGE_EXTERN:
		*what = "extern";
		return idx < obj->extern_cnt ? obj->externs[idx].name : NULL;
	case BBPF_STAGE_PIN:
		/* maps first, then programs: idx >= map_cnt is program idx - map_cnt */
		if (idx < obj->map_cnt) {
			*what = "map";
			return obj->maps[idx].name;
		}
		*what = "program";
		idx -= obj->map_cnt;
		return idx < obj->prog_cnt ? obj->progs[idx].name : NULL;
	default:
		return NULL;
	}
}

static void record(struct bbpf_object *obj, enum bbpf_stage stage, uint32_t idx, int err,
		   const char *name)
{
	obj->kerr = (struct bbpf_diag){ .stage = stage, .err = err, .name = name,
					.sec = BBPF_DIAG_NO_SEC };
	if (stage == BBPF_STAGE_PIN && idx >= obj->map_cnt)
		obj->kerr.idx = idx - obj->map_cnt;
	else if (name)
		obj->kerr.idx = idx;
}

/* fmt NULL: record only, a lower layer has logged it (ap is then not read). */
static int vfail(struct bbpf_object *obj, const struct bbpf_ctx *ctx, enum bbpf_stage stage,
		 uint32_t idx, int err, const char *fmt, va_list *ap)
{
	const char *what, *name = subject(obj, stage, idx, &what);

	if (obj->kerr.err)	/* already said, by a deeper step: the first, deepest wins */
		return err;
	if (fmt)
		vlog(bbpf_inst_log_of(obj, ctx), BBPF_LOG_WARN, obj->name, what, name, err, fmt, *ap);
	record(obj, stage, idx, err, name);
	return err;
}

BBPF_NO_FP_VARARGS
int bbpf_inst_fail(struct bbpf_inst *inst, enum bbpf_stage stage, uint32_t idx, int err,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vfail(inst->obj, inst->ctx, stage, idx, err, fmt, &ap);
	va_end(ap);
	return err;
}

BBPF_NO_FP_VARARGS
int bbpf_obj_fail_kern(struct bbpf_object *obj, const struct bbpf_ctx *ctx, enum bbpf_stage stage,
		       uint32_t idx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vfail(obj, ctx, stage, idx, err, fmt, &ap);
	va_end(ap);
	return err;
}

void bbpf_inst_record(struct bbpf_inst *inst, enum bbpf_stage stage, uint32_t idx, int err)
{
	vfail(inst->obj, inst->ctx, stage, idx, err, NULL, NULL);
}

void bbpf_obj_error_reset(struct bbpf_object *obj)
{
	obj->kerr = (struct bbpf_diag){ .sec = BBPF_DIAG_NO_SEC };
}

const struct bbpf_diag *bbpf_object_error(const struct bbpf_object *obj)
{
	return obj && obj->kerr.err ? &obj->kerr : NULL;
}
