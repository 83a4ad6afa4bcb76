/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where this load's CO-RE relocations are applied, decided once: by the
 * kernel (BPF_PROG_LOAD core_relos, 5.17+, when no caller BTF is given) or
 * in user space against the context's target BTF, every record computed
 * here before any program is relocated, in libbpf's order.
 */
#include <errno.h>
#include "load.h"

static bool has_core_relos(const struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt + obj->subprog_cnt; i++)
		if (obj->progs[i].core_relo.cnt && (obj->progs[i].is_subprog || obj->progs[i].autoload))
			return true;
	return false;
}

int bbpf_core_setup(struct bbpf_inst *inst, enum bbpf_core_mode asked)
{
	struct bbpf_ctx *ctx = inst->ctx;
	struct bbpf_core_cache *cache;
	struct bbpf_diag diag = { 0 };
	int err;

	inst->core_mode = BBPF_CORE_AUTO;	/* nothing to relocate */
	if (!has_core_relos(inst->obj))
		return 0;
	if (asked == BBPF_CORE_AUTO)
		asked = ctx->feat.kern_core && !ctx->btf_path ? BBPF_CORE_KERNEL : BBPF_CORE_USER;
	inst->core_mode = asked;
	if (asked == BBPF_CORE_KERNEL) {
		if (!ctx->feat.kern_core)
			return bbpf_inst_fail(inst, BBPF_STAGE_CORE, 0, -EOPNOTSUPP,
					      "kernel-side CO-RE asked for, but this kernel does not take CO-RE records (5.17+)");
		return 0;
	}
#ifdef BBPF_NO_USER_CORE
	/* the init build carries only kernel-side CO-RE (README "Static builds") */
	(void)cache;
	(void)diag;
	(void)err;
	return bbpf_inst_fail(inst, BBPF_STAGE_CORE, 0, -EOPNOTSUPP,
			      "CO-RE in user space is not in this build; the kernel takes CO-RE records from 5.17");
#else
	err = bbpf_ctx_core_cache(ctx, &cache);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_CORE, 0, err, "no CO-RE target BTF [target: %s]",
				      ctx->btf_path ? ctx->btf_path : "/sys/kernel/btf/vmlinux");
	inst->core = bbpf_arena_zalloc(&inst->arena, sizeof(*inst->core));
	if (!inst->core)
		return bbpf_inst_fail(inst, BBPF_STAGE_CORE, 0, -ENOMEM, "CO-RE relocation failed");
	err = bbpf_core_resolve(inst->core, inst->obj, cache, &inst->arena, &diag);
	/*
	 * The engine logs what it finds wrong in the object; a damaged target
	 * BTF (walked lazily, during the candidate search) is said here.
	 */
	if (err && diag.why != BBPF_BAD_NONE)
		return bbpf_inst_fail(inst, BBPF_STAGE_CORE, 0, err,
				      "CO-RE relocation failed: %s (offset 0x%llx) [target: %s]",
				      bbpf_bad_str(diag.why), (unsigned long long)diag.off,
				      ctx->btf_path ? ctx->btf_path : "/sys/kernel/btf/vmlinux");
	if (err)	/* the engine said which relocation */
		bbpf_inst_record(inst, BBPF_STAGE_CORE, 0, err);
	return err;
#endif
}
