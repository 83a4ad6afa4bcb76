/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attaching by section kind: the table from the section table's kind id to
 * each kind's attach function, one program's attach, and every
 * auto-attachable program of an object. See loader.h.
 */
#include <errno.h>
#include <string.h>
#include "attach.h"

struct attach_kind {
	bbpf_attach_fn fn;
	bool needs_target;	/* libbpf: no auto-attach for a bare SEC("tp") or SEC("raw_tp") */
};

static const struct attach_kind kinds[] = {
	/* libbpf: no auto-attach for bare SEC("uprobe"), SEC("uprobe.multi"), SEC("usdt") */
	[BBPF_ATTACH_UPROBE] = { bbpf_attach_uprobe, true },
	[BBPF_ATTACH_UPROBE_MULTI] = { bbpf_attach_uprobe_multi, true },
#ifndef BBPF_NO_USDT	/* the init build (make static-init) leaves USDT out */
	[BBPF_ATTACH_USDT] = { bbpf_attach_usdt, true },
#endif

	[BBPF_ATTACH_TRACEPOINT] = { bbpf_attach_tracepoint, true },
	[BBPF_ATTACH_RAW_TP] = { bbpf_attach_raw_tp, true },
	[BBPF_ATTACH_TRACING] = { bbpf_attach_tracing, false },
	[BBPF_ATTACH_LSM] = { bbpf_attach_tracing, false },
	[BBPF_ATTACH_ITER] = { bbpf_attach_iter, false },
};

static const struct attach_kind *kind_of(const struct bbpf_program *prog)
{
	unsigned int k = prog->sec_def ? prog->sec_def->attach : BBPF_ATTACH_NONE;

	return k < sizeof(kinds) / sizeof(kinds[0]) && kinds[k].fn ? &kinds[k] : NULL;
}

bool bbpf_attach_is_auto(const struct bbpf_program *prog, const char **why)
{
	const struct attach_kind *k = kind_of(prog);
	const char *reason = NULL;

	if (bbpf_program_fd(prog) < 0)
		reason = "not loaded";
	else if (!prog->sec_def)
		reason = "unknown section";
	else if (!k)
		reason = "no auto-attach for this kind (yet)";
	else if (k->needs_target && (!prog->attach_target || !prog->attach_target[0]))
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
	err = kind_of(prog)->fn(inst->ctx, prog, bbpf_program_fd(prog), link);
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

int bbpf_object_attach(struct bbpf_object *obj)
{
	struct bbpf_inst *inst = bbpf_inst_of(obj);
	uint32_t i, first;
	const char *why;
	int err;

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
			bbpf_inst_fail(inst, BBPF_STAGE_ATTACH, i, err, "attach failed (section '%s')",
				       p->sec_name);
			/* this call's links go: all or nothing, as libbpf's skeleton attach */
			for (i = first; i < inst->link_cnt; i++)
				set_status(inst, bbpf_prog_idx(inst->links[i]->prog),
					   BBPF_ATTACH_NOT_TRIED, NULL, 0);
			bbpf_inst_drop_links(inst, first);
			return err;
		}
		set_status(inst, i, BBPF_ATTACH_DONE, NULL, 0);
	}
	return 0;
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
