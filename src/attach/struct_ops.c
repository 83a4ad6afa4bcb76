/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Registering a struct_ops map (libbpf's bpf_map__attach_struct_ops): its
 * value (src/load/struct_ops.c) goes in as element 0. A .struct_ops.link
 * map (BPF_F_LINK) is then registered by BPF_LINK_CREATE (BPF_STRUCT_OPS,
 * the map fd as the program): the link fd, whose last close unregisters it
 * (-EBUSY from the update means the value is already in: a map once
 * attached keeps it). A plain .struct_ops map is registered by the update
 * itself; the link has no fd and deletes element 0 at undo, on its own
 * duplicate of the map fd, so it outlives the object safely.
 */
#include <errno.h>
#include "attach.h"

static int attach_map(struct bbpf_inst *inst, uint32_t idx, struct bbpf_link *link)
{
	const struct bbpf_map *m = &inst->obj->maps[idx];
	struct bbpf_ctx *ctx = inst->ctx;
	const uint32_t zero = 0;
	int fd = inst->map_fds[idx], err;

	err = bbpf_cmd_map_update(&ctx->sys, fd, &zero, inst->maps[idx].st_value, 0);
	if (err && (err != -EBUSY || !(m->map_flags & BPF_F_LINK))) {
		bbpf_log_warn(&ctx->log, "map", m->name, err, "registering struct_ops failed");
		return err;
	}
	if (m->map_flags & BPF_F_LINK) {
		link->fd = bbpf_cmd_link_create(&ctx->sys, fd, 0, BBPF_STRUCT_OPS, NULL);
		err = link->fd < 0 ? link->fd : 0;
	} else {
		fd = bbpf_attach_dup(ctx, link, fd);
		err = fd < 0 ? fd : bbpf_link_undo_add(link, BBPF_UNDO_MAP_DELETE, fd, 0, 0);
		if (fd < 0)
			bbpf_cmd_map_delete(&ctx->sys, inst->map_fds[idx], &zero, 0);
	}
	if (err)
		bbpf_log_warn(&ctx->log, "map", m->name, err, "struct_ops link failed");
	return err;
}

int bbpf_map_attach_struct_ops(struct bbpf_map *map, struct bbpf_link **out)
{
	struct bbpf_inst *inst = map ? bbpf_inst_of(map->obj) : NULL;
	struct bbpf_link *link;
	int err;

	if (out)
		*out = NULL;
	if (!out || !inst || !inst->loaded || map->kind != BBPF_MAP_STRUCT_OPS ||
	    inst->map_fds[bbpf_map_idx(map)] < 0 || !inst->maps[bbpf_map_idx(map)].st_value)
		return -EINVAL;
	err = bbpf_link_new(inst->ctx, NULL, &link);
	if (err)
		return err;
	link->attach = BBPF_ATTACH_STRUCT_OPS;
	link->map = map;
	err = attach_map(inst, bbpf_map_idx(map), link);
	return bbpf_attach_end(link, err, out);
}
