/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_object_load: context → BTF → CO-RE → externs → maps (reuse/pins,
 * creation fixups, global data filled, frozen and mapped, map-in-map slots)
 * → programs (relocated, attach BTF ids, verifier log) → prog-array slots.
 * Any failure undoes the instance (see load.h): the object is as before.
 */
#include <errno.h>
#include "load.h"

/*
 * Every failure site records itself (with its map, program or extern); this
 * catches any that did not, so a failed load always says its stage.
 */
static int step(struct bbpf_inst *inst, enum bbpf_stage stage, int err)
{
	if (err && !inst->obj->kerr.err)
		bbpf_inst_fail(inst, stage, UINT32_MAX, err, "%s step failed", bbpf_stage_str(stage));
	return err;
}

static int load_programs(struct bbpf_inst *inst)
{
	struct bbpf_object *obj = inst->obj;
	uint32_t i;
	int err = 0;

	bbpf_arena_init(&inst->scratch, &obj->arena.alloc, (size_t)1 << 30);
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bbpf_program *p = &obj->progs[i];

		if (!p->autoload)
			continue;
		bbpf_arena_reset(&inst->scratch);
		err = bbpf_prog_load_one(inst, p);
		if (err)
			break;
	}
	bbpf_arena_free(&inst->scratch);
	return err;
}

int bbpf_object_load(struct bbpf_object *obj, const struct bbpf_load_opts *opts)
{
	static const struct bbpf_load_opts defaults;	/* opts NULL: a new context, CO-RE auto */
	struct bbpf_inst *inst;
	int err;

	if (!obj || obj->inst)
		return -EINVAL;
	if (!opts)
		opts = &defaults;
	bbpf_obj_error_reset(obj);
	if (obj->elf.swap)
		return bbpf_obj_fail_kern(obj, opts->ctx, BBPF_STAGE_PREPARE, 0, -ENOTSUP,
					  "the object is %s-endian and this host is not; it can be inspected, not loaded",
					  obj->elf.big_endian ? "big" : "little");
	err = bbpf_inst_new(obj, opts->ctx, &inst);
	if (err)
		return bbpf_obj_fail_kern(obj, opts->ctx, BBPF_STAGE_PREPARE, 0, err,
					  "cannot set up the load");
	inst->log_level = opts->log_level;
	err = step(inst, BBPF_STAGE_PREPARE, bbpf_ctx_prepare(inst->ctx));
	err = err ?: step(inst, BBPF_STAGE_BTF, bbpf_btf_load_object(inst));
	/*
	 * Every vmlinux name the load looks up, announced before CO-RE: one
	 * walk answers them all, the candidate search's when it runs in user
	 * space against vmlinux (kern/kname.c).
	 */
	err = err ?: step(inst, BBPF_STAGE_EXTERN, bbpf_externs_want(inst));
	err = err ?: step(inst, BBPF_STAGE_PROG, bbpf_prog_want_targets(inst));
	err = err ?: step(inst, BBPF_STAGE_CORE,
			  bbpf_core_setup(inst, opts->core_mode));
	err = err ?: step(inst, BBPF_STAGE_EXTERN, bbpf_externs_resolve(inst));
	err = err ?: step(inst, BBPF_STAGE_MAP, bbpf_struct_ops_prepare(inst));
	err = err ?: step(inst, BBPF_STAGE_MAP, bbpf_map_create_all(inst));
	err = err ?: step(inst, BBPF_STAGE_PROG, load_programs(inst));
	/* libbpf 1.8's order: prog-array slots, then the struct_ops values */
	err = err ?: step(inst, BBPF_STAGE_SLOT, bbpf_map_set_prog_slots(inst));
	err = err ?: step(inst, BBPF_STAGE_SLOT, bbpf_struct_ops_fill(inst));
	if (err) {
		bbpf_inst_free(inst, true);
		return err;
	}
	inst->loaded = true;
	return 0;
}
