/* SPDX-License-Identifier: BSD-2-Clause */
/* bbpf_needs_program: see needs.h. */
#include <errno.h>
#include <string.h>
#include "needs.h"
#include "relo.h"
#include "../obj/object_int.h"

#define STANDIN_FD 1	/* any fd: the image is read, never loaded */

/* Insert v into the ascending set a[0, *n) (room for one more); no-op if present. */
static void set_add(uint32_t *a, uint32_t *n, uint32_t v)
{
	uint32_t i = *n;

	while (i > 0 && a[i - 1] > v)
		i--;
	if (i > 0 && a[i - 1] == v)
		return;
	memmove(&a[i + 1], &a[i], (*n - i) * sizeof(*a));
	a[i] = v;
	(*n)++;
}

static void core_add(struct bbpf_needs *out, uint32_t type_id, uint32_t kind)
{
	struct bbpf_needs_core *c = out->core;
	uint32_t i = out->core_cnt;

	while (i > 0 && (c[i - 1].type_id > type_id ||
			 (c[i - 1].type_id == type_id && c[i - 1].kind > kind)))
		i--;
	if (i > 0 && c[i - 1].type_id == type_id && c[i - 1].kind == kind)
		return;
	memmove(&c[i + 1], &c[i], (out->core_cnt - i) * sizeof(*c));
	c[i].type_id = type_id;
	c[i].kind = kind;
	out->core_cnt++;
}

int bbpf_needs_program(const struct bbpf_object *obj, const struct bbpf_program *prog,
		       struct bbpf_arena *arena, struct bbpf_needs *out, struct bbpf_diag *diag)
{
	struct bbpf_relo_env env = { .kconfig_map_fd = STANDIN_FD };
	struct bbpf_extern_val *ext;
	struct bbpf_prog_image img;
	uint32_t i, j, relo_cnt = 0, core_cnt = 0;
	int *fds;
	int err;

	memset(out, 0, sizeof(*out));
	if (!obj || !prog || prog->is_subprog)
		return -EINVAL;
	fds = bbpf_arena_calloc(arena, obj->map_cnt + 1, sizeof(*fds));
	ext = bbpf_arena_calloc(arena, obj->extern_cnt + 1, sizeof(*ext));
	if (!fds || !ext)
		return -ENOMEM;
	for (i = 0; i < obj->map_cnt; i++)
		fds[i] = STANDIN_FD;
	for (i = 0; i < obj->extern_cnt; i++)
		ext[i].resolved = true;
	env.map_fds = fds;
	env.ext = ext;
	err = bbpf_relo_program(obj, prog, &env, arena, &img, diag);
	if (err)
		return err;

	for (i = 0; i < img.func_cnt; i++) {
		relo_cnt += img.funcs[i].prog->relo_cnt;
		core_cnt += img.funcs[i].prog->core_relo.cnt;
	}
	out->helpers = bbpf_arena_calloc(arena, img.insn_cnt + 1, sizeof(uint32_t));
	out->externs = bbpf_arena_calloc(arena, relo_cnt + 1, sizeof(uint32_t));
	out->core = bbpf_arena_calloc(arena, core_cnt + 1, sizeof(*out->core));
	if (!out->helpers || !out->externs || !out->core)
		return -ENOMEM;
	/* Helper calls are the calls left with src_reg 0: kfunc calls now say BPF_PSEUDO_KFUNC_CALL. */
	for (i = 0; i < img.insn_cnt; i++) {
		const struct bpf_insn *in = &img.insns[i];

		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0)
			set_add(out->helpers, &out->helper_cnt, (uint32_t)in->imm);
	}
	for (i = 0; i < img.func_cnt; i++) {
		const struct bbpf_program *f = img.funcs[i].prog;
		const struct bpf_core_relo *cr = f->core_relo.sec ? f->core_relo.sec->recs : NULL;

		for (j = 0; j < f->relo_cnt; j++)
			if (f->relos[j].kind == BBPF_RELO_EXTERN_VAR ||
			    f->relos[j].kind == BBPF_RELO_EXTERN_FUNC)
				set_add(out->externs, &out->extern_cnt, f->relos[j].target);
		for (j = 0; cr && j < f->core_relo.cnt; j++)
			core_add(out, cr[f->core_relo.first + j].type_id,
				 cr[f->core_relo.first + j].kind);
	}
	out->func_cnt = img.func_cnt;
	out->attach = prog->sec_def ? prog->sec_def->attach : BBPF_ATTACH_NONE;
	return 0;
}
