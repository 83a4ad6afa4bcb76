/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Map creation at load, as libbpf 1.1 does it: a caller's fd or a pinned map
 * reused when compatible, else BPF_MAP_CREATE (with BTF, retried without),
 * libbpf's creation fixups (perf arrays sized to the CPUs, ring buffers to
 * pages), global data filled, read-only sections frozen, mmapable ones
 * mapped and map-in-map initial slots set, new maps pinned; prog-array
 * initial slots after the programs load. A slot whose target has no fd
 * fails the load (-EBADF), as libbpf's update with that fd does.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include "load.h"
#include "../base/fmt.h"

static bool map_takes_btf(enum bpf_map_type t)
{
	/* libbpf passes no BTF for these: the kernel rejects or ignores it. */
	switch ((int)t) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return false;
	default:
		return true;
	}
}

/* libbpf's creation fixups: a perf array sized to the CPUs, ring buffers to pages. */
static int fixup_def(struct bbpf_ctx *ctx, const struct bbpf_map *m, union bpf_attr *a)
{
	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !a->max_entries) {
		int n = bbpf_sys_possible_cpus(ctx);

		if (n < 0)
			return n;
		a->max_entries = (uint32_t)n;
	}
	if (m->type == BPF_MAP_TYPE_RINGBUF || m->type == BPF_MAP_TYPE_USER_RINGBUF) {
		uint64_t pg = ctx->page_size, mul = 1, pages = (a->max_entries + pg - 1) / pg;

		/* round up to a power-of-2 multiple of the page size */
		while (mul < pages)
			mul <<= 1;
		if (mul * pg > UINT32_MAX)
			return -E2BIG;
		a->max_entries = (uint32_t)(mul * pg);
	}
	return 0;
}

#define SAME_RUN(a, m) (offsetof(union bpf_attr, a) - offsetof(union bpf_attr, map_type) == \
			offsetof(struct bbpf_map, m) - offsetof(struct bbpf_map, type))
_Static_assert(sizeof(enum bpf_map_type) == sizeof(uint32_t) && SAME_RUN(key_size, key_size) &&
	       SAME_RUN(value_size, value_size) && SAME_RUN(max_entries, max_entries) &&
	       SAME_RUN(map_flags, map_flags), "map attr fields copied as one block");

static void fill_map_attr(const struct bbpf_map *m, union bpf_attr *a, bool with_name)
{
	const char *name;
	size_t i;

	memset(a, 0, sizeof(*a));
	/* type, key_size, value_size, max_entries, map_flags: the same run of u32 on both sides */
	memcpy(&a->map_type, &m->type, 5 * sizeof(uint32_t));
	a->numa_node = m->numa_node;
	a->map_extra = m->map_extra;
	a->map_ifindex = m->ifindex;
	/* snprintf("%s")'s truncation, by hand: a was cleared, so the name stays NUL-terminated */
	name = m->name ? m->name : "(null)";
	for (i = 0; with_name && i + 1 < sizeof(a->map_name) && name[i]; i++)
		a->map_name[i] = name[i];
}

/* BPF_MAP_CREATE of m (or of an inner-map template: idx is then the outer map's). */
static int create_one(struct bbpf_inst *inst, const struct bbpf_map *m, uint32_t idx,
		      int inner_fd)
{
	struct bbpf_ctx *ctx = inst->ctx;
	union bpf_attr a;
	int fd, err;

	fill_map_attr(m, &a, ctx->feat.prog_name);
	err = fixup_def(ctx, m, &a);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, err, "cannot size the map");
	a.inner_map_fd = inner_fd >= 0 ? (uint32_t)inner_fd : 0;
#ifndef BBPF_NO_STRUCT_OPS	/* the init build: no struct_ops map (src/obj/struct_ops.c) */
	if (m->type == BPF_MAP_TYPE_STRUCT_OPS && inst->maps[idx].st_value) {
		/* the kernel's wrapper struct, as libbpf: the object's BTF without ids */
		a.value_size = inst->maps[idx].st_size;
		a.btf_vmlinux_value_type_id = inst->maps[idx].st_type_id;
		a.btf_fd = inst->btf_fd >= 0 ? (uint32_t)inst->btf_fd : 0;
	} else
#endif
	if (inst->btf_fd >= 0 && map_takes_btf(m->type) &&
	    (m->btf_key_type_id || m->btf_value_type_id)) {
		a.btf_fd = (uint32_t)inst->btf_fd;
		a.btf_key_type_id = m->btf_key_type_id;
		a.btf_value_type_id = m->btf_value_type_id;
	}
	fd = bbpf_cmd_map_create(&ctx->sys, &a);
	if (fd < 0 && a.btf_fd && !a.btf_vmlinux_value_type_id) {
		/* libbpf retries without BTF: some map types reject it. */
		bbpf_inst_log(inst, BBPF_LOG_INFO,
			      "map '%s': creation with BTF failed (%s); retrying without BTF", m->name,
			      bbpf_err_name(fd));
		a.btf_fd = a.btf_key_type_id = a.btf_value_type_id = 0;
		fd = bbpf_cmd_map_create(&ctx->sys, &a);
	}
	if (fd < 0)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, fd,
				      m == &inst->obj->maps[idx] ? "creation failed" :
				      "creating its inner map failed");
	return fd;
}

/*
 * The inner-map template (or legacy inner map) a map-in-map needs: *fd, or
 * -1 if none; *temp when it was made here (closed once the outer map
 * exists). 0 or a negative errno: an errno is never taken for "no fd",
 * which -EPERM (-1) from creating the template once was.
 */
static int inner_fd_for(struct bbpf_inst *inst, const struct bbpf_map *m, uint32_t idx, int *fd,
			bool *temp)
{
	const struct bbpf_object *obj = inst->obj;
	int ret;

	*fd = -1;
	*temp = false;
	if (m->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && m->type != BPF_MAP_TYPE_HASH_OF_MAPS)
		return 0;
	if (m->inner_map_fd >= 0) {
		*fd = m->inner_map_fd;
		return 0;
	}
	if (m->kind == BBPF_MAP_LEGACY && m->legacy_inner_idx < obj->map_cnt) {
		*fd = inst->map_fds[m->legacy_inner_idx];
		if (*fd < 0)
			return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -EINVAL,
					      "inner map '%s' must come first",
					      obj->maps[m->legacy_inner_idx].name);
		return 0;
	}
	if (!m->inner)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, -EINVAL,
				      "map-in-map without an inner map");
	ret = create_one(inst, m->inner, idx, -1);
	if (ret < 0)
		return ret;
	*fd = ret;
	*temp = true;
	return 0;
}

static int populate_internal(struct bbpf_inst *inst, const struct bbpf_map *m, uint32_t idx)
{
	struct bbpf_ctx *ctx = inst->ctx;
	struct bbpf_inst_map *im = &inst->maps[idx];
	const uint32_t zero = 0;
	bool ro = m->kind == BBPF_MAP_RODATA || m->kind == BBPF_MAP_KCONFIG;
	int fd = inst->map_fds[idx];
	size_t len;
	int err;

	err = bbpf_cmd_map_update(&ctx->sys, fd, &zero, im->init, 0);
	if (!err && ro)
		err = bbpf_cmd_map_freeze(&ctx->sys, fd);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, err, "filling its initial value failed");
	if (!(m->map_flags & BPF_F_MMAPABLE))
		return 0;
	len = ((size_t)m->value_size + 7) / 8 * 8;
	len = (len + ctx->page_size - 1) / ctx->page_size * ctx->page_size;
	err = (int)ctx->sys.mmap(ctx->sys.ctx, NULL, len, ro ? PROT_READ : PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0, &im->mem);
	if (err) {
		im->mem = NULL;
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, err, "mmap failed");
	}
	im->mem_len = len;
	return 0;
}

/*
 * The initial slots of map idx, as libbpf sets them: every slot is updated
 * with its target's fd, with no check that the target was loaded or
 * created. A target without an fd (a program with autoload off, a map not
 * created or not yet created) fails the load with -EBADF, which is what
 * libbpf's update with that fd (-1, or -2 from bpf_program__fd) gets from
 * the kernel ("failed to initialize slot"); barebpf says so without the
 * call. The key of slot n is n as a u32 (libbpf's int index) at the start
 * of a zeroed key of the map's key size: the kernel reads key_size bytes,
 * which for a hash of maps may be more than 4.
 */
static int set_slots(struct bbpf_inst *inst, uint32_t idx)
{
	const struct bbpf_object *obj = inst->obj;
	const struct bbpf_map *m = &obj->maps[idx];
	uint8_t *key;
	uint32_t j;
	int err;

	key = bbpf_arena_zalloc(&inst->arena, m->key_size > 4 ? m->key_size : 4);
	if (!key)
		return bbpf_inst_fail(inst, BBPF_STAGE_SLOT, idx, -ENOMEM,
				      "no memory for a %u-byte key", m->key_size);
	for (j = 0; j < m->slot_cnt; j++) {
		const struct bbpf_init_slot *s = &m->slots[j];
		const char *kind = s->is_prog ? "program" : "map";
		int target;

		if (s->is_prog)
			target = bbpf_program_fd(bbpf_object_find_program(obj, s->target));
		else
			target = bbpf_map_fd(bbpf_object_find_map(obj, s->target));
		if (target < 0)
			return bbpf_inst_fail(inst, BBPF_STAGE_SLOT, idx, -EBADF,
					      "cannot set slot %u to %s '%s': not %s", s->slot,
					      kind, s->target, s->is_prog ? "loaded" : "created");
		memcpy(key, &s->slot, sizeof(s->slot));
		err = bbpf_cmd_map_update(&inst->ctx->sys, inst->map_fds[idx], key, &target, 0);
		if (err)
			return bbpf_inst_fail(inst, BBPF_STAGE_SLOT, idx, err,
					      "cannot set slot %u to %s '%s'", s->slot, kind,
					      s->target);
	}
	return 0;
}

/*
 * libbpf's order: a map created here gets its global data, then (a
 * map-in-map) its initial slots, then its pin; a map reused (the caller's fd,
 * a compatible pin) is left as it is. Prog-array slots wait for the
 * programs (bbpf_map_set_prog_slots).
 */
static int create_map(struct bbpf_inst *inst, uint32_t idx)
{
	struct bbpf_ctx *ctx = inst->ctx;
	const struct bbpf_map *m = &inst->obj->maps[idx];
	bool temp;
	int inner, fd, err;

	if (m->reuse_fd >= 0) {
		fd = (int)ctx->sys.dup(ctx->sys.ctx, m->reuse_fd);
		if (fd < 0)
			return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, fd,
					      "cannot duplicate the fd given to reuse");
		inst->map_fds[idx] = fd;
		return bbpf_map_check_compat(inst, &inst->obj->maps[idx], fd);
	}
	err = bbpf_map_reuse_pinned(inst, &inst->obj->maps[idx]);
	if (err || inst->map_fds[idx] >= 0)
		return err;
	err = inner_fd_for(inst, m, idx, &inner, &temp);
	if (err)
		return err;
	fd = create_one(inst, m, idx, inner);
	if (temp)
		ctx->sys.close(ctx->sys.ctx, inner);	/* the kernel keeps what it needs */
	if (fd < 0)
		return fd;
	inst->map_fds[idx] = fd;
	if (bbpf_map_is_internal(m)) {
		err = populate_internal(inst, m, idx);
		if (err)
			return err;
	}
	if (m->slot_cnt && m->type != BPF_MAP_TYPE_PROG_ARRAY && m->kind != BBPF_MAP_STRUCT_OPS) {
		err = set_slots(inst, idx);
		if (err)
			return err;
	}
	return bbpf_map_pin_new(inst, &inst->obj->maps[idx]);
}

int bbpf_map_create_all(struct bbpf_inst *inst)
{
	uint32_t i;
	int err;

	for (i = 0; i < inst->obj->map_cnt; i++) {
		if (!inst->obj->maps[i].autocreate)
			continue;
		err = create_map(inst, i);
		if (err)
			return err;
	}
	return 0;
}

int bbpf_map_set_prog_slots(struct bbpf_inst *inst)
{
	const struct bbpf_object *obj = inst->obj;
	uint32_t i;
	int err;

	for (i = 0; i < obj->map_cnt; i++) {
		const struct bbpf_map *m = &obj->maps[i];

		if (inst->map_fds[i] < 0 || m->type != BPF_MAP_TYPE_PROG_ARRAY || !m->slot_cnt)
			continue;
		err = set_slots(inst, i);
		if (err)
			return err;
	}
	return 0;
}
