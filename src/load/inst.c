/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The loaded instance: made at the start of bbpf_object_load(), undone in
 * reverse when the load fails or the object is closed. See load.h.
 */
#include <errno.h>
#include <string.h>
#include "load.h"

/* Generous: extern values, CO-RE results, link arrays and pin paths. */
#define INST_BUDGET ((size_t)1 << 30)

int bbpf_inst_new(struct bbpf_object *obj, struct bbpf_ctx *ctx, struct bbpf_inst **out)
{
	uint32_t nprog = obj->prog_cnt + obj->subprog_cnt, i;
	struct bbpf_inst *inst;
	int err;

	inst = obj->arena.alloc.resize(obj->arena.alloc.ctx, NULL, 0, sizeof(*inst));
	if (!inst)
		return -ENOMEM;
	memset(inst, 0, sizeof(*inst));
	inst->obj = obj;
	inst->btf_fd = -1;
	bbpf_arena_init(&inst->arena, &obj->arena.alloc, INST_BUDGET);
	/* one more of each: never an empty allocation; prog_fds, then map_fds, all -1 */
	inst->prog_fds = bbpf_arena_alloc_array(&inst->arena, (size_t)nprog + obj->map_cnt + 1,
						sizeof(int));
	inst->maps = bbpf_arena_calloc(&inst->arena, (size_t)obj->map_cnt + 1, sizeof(*inst->maps));
	inst->attach = bbpf_arena_calloc(&inst->arena, (size_t)nprog + 1, sizeof(*inst->attach));
	if (!inst->prog_fds || !inst->maps || !inst->attach) {
		err = -ENOMEM;
		goto fail;
	}
	memset(inst->prog_fds, 0xff, ((size_t)nprog + obj->map_cnt) * sizeof(int));
	inst->map_fds = inst->prog_fds + nprog;
	for (i = 0; i < obj->map_cnt; i++) {
		inst->maps[i].pin_path = obj->maps[i].pin_path;
		inst->maps[i].init = obj->maps[i].data;
	}
	if (ctx) {
		inst->ctx = ctx;
	} else {
		struct bbpf_ctx_opts co = { .log = obj->log.fn, .log_ctx = obj->log.ctx,
					    .log_warn_only = obj->log.warn_only,
					    .alloc = &obj->arena.alloc };

		err = bbpf_ctx_new(&inst->ctx, &co);
		if (err)
			goto fail;
		inst->own_ctx = true;
	}
	obj->inst = inst;
	*out = inst;
	return 0;
fail:
	bbpf_arena_free(&inst->arena);
	obj->arena.alloc.resize(obj->arena.alloc.ctx, inst, sizeof(*inst), 0);
	return err;
}

static void close_fd(const struct bbpf_sys *sys, int *fd)
{
	if (*fd >= 0)
		sys->close(sys->ctx, *fd);
	*fd = -1;
}

void bbpf_inst_free(struct bbpf_inst *inst, bool failed)
{
	const struct bbpf_sys *sys;
	struct bbpf_object *obj;
	struct bbpf_alloc alloc;
	uint32_t i;

	if (!inst)
		return;
	obj = inst->obj;
	sys = &inst->ctx->sys;
	bbpf_inst_drop_links(inst, 0);
#ifndef BBPF_NO_USDT	/* the init build attaches no USDT: no ids */
	bbpf_usdt_ids_orphan(inst);	/* links not held keep it until destroyed */
#endif
	for (i = 0; i < obj->prog_cnt + obj->subprog_cnt; i++)
		close_fd(sys, &inst->prog_fds[i]);
	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_inst_map *m = &inst->maps[i];

		if (m->mem)
			sys->munmap(sys->ctx, m->mem, m->mem_len);
		if (failed && m->pinned_here && m->pin_path)
			sys->unlink(sys->ctx, m->pin_path);
		close_fd(sys, &inst->map_fds[i]);
	}
	close_fd(sys, &inst->btf_fd);
	if (inst->own_ctx)
		bbpf_ctx_free(inst->ctx);
	obj->inst = NULL;
	alloc = obj->arena.alloc;
	bbpf_arena_free(&inst->arena);
	alloc.resize(alloc.ctx, inst, sizeof(*inst), 0);
}

/* ---- public: what the kernel gave back ---- */

bool bbpf_object_is_loaded(const struct bbpf_object *obj)
{
	const struct bbpf_inst *inst = bbpf_inst_of(obj);

	return inst && inst->loaded;
}

int bbpf_program_fd(const struct bbpf_program *prog)
{
	const struct bbpf_inst *inst = prog ? bbpf_inst_of(prog->obj) : NULL;

	return inst ? inst->prog_fds[bbpf_prog_idx(prog)] : -1;
}

int bbpf_map_fd(const struct bbpf_map *map)
{
	const struct bbpf_inst *inst = map ? bbpf_inst_of(map->obj) : NULL;

	return inst ? inst->map_fds[bbpf_map_idx(map)] : -1;
}

void *bbpf_map_mmaped(const struct bbpf_map *map, size_t *size)
{
	const struct bbpf_inst *inst = map ? bbpf_inst_of(map->obj) : NULL;
	const struct bbpf_inst_map *m = inst ? &inst->maps[bbpf_map_idx(map)] : NULL;

	if (!m || !m->mem)
		return NULL;
	if (size)
		*size = map->value_size;
	return m->mem;
}

const char *bbpf_map_pin_path(const struct bbpf_map *map)
{
	const struct bbpf_inst *inst = map ? bbpf_inst_of(map->obj) : NULL;

	if (!map)
		return NULL;
	return inst ? inst->maps[bbpf_map_idx(map)].pin_path : map->pin_path;
}

/* ---- close: down the layers ---- */

void bbpf_object_close(struct bbpf_object *obj)
{
	if (!obj)
		return;
	bbpf_inst_free(obj->inst, false);	/* the kernel's side */
	bbpf_obj_free(obj);			/* the parsed object */
}
