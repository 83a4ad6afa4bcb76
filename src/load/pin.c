/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pinning: maps pinned by name under the pin root (reused when compatible,
 * created and pinned otherwise), explicit pins of maps, programs and all of
 * an object's maps. A map name never makes a path leave the pin root.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "load.h"
#include "../base/fmt.h"

#define PATH_MAX_LEN 4096

/* A name that stays one path component: no '/', not "." or "..". */
static bool is_safe_component(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

/*
 * DIR/<map name> with '.' turned into '_': bpffs refuses dots in names
 * ("minimal.bss" is pinned as "minimal_bss", as libbpf and bpftool do).
 */
static int map_pin_path(const char *dir, const char *name, char *buf, size_t size)
{
	int n = bbpf_snprintf(buf, size, "%s/", dir);
	size_t i;

	if (n < 0 || (size_t)n >= size || strlen(name) >= size - (size_t)n)
		return -ENAMETOOLONG;
	for (i = 0; name[i]; i++)
		buf[n + i] = name[i] == '.' ? '_' : name[i];
	buf[n + i] = '\0';
	return 0;
}

/* The pin path of a map pinned by name, derived for this load; caller's paths stay. */
static int pin_path_of(struct bbpf_inst *inst, const struct bbpf_map *m)
{
	struct bbpf_inst_map *im = &inst->maps[bbpf_map_idx(m)];
	char path[PATH_MAX_LEN];
	int err;

	if (im->pin_path || m->pinning != BBPF_PIN_BY_NAME)
		return 0;
	if (!is_safe_component(m->name))
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), -EINVAL,
				      "name cannot be pinned under %s: it would leave the pin root",
				      inst->ctx->pin_root);
	err = map_pin_path(inst->ctx->pin_root, m->name, path, sizeof(path));
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), err,
				      "pin path under %s too long", inst->ctx->pin_root);
	im->pin_path = bbpf_arena_strdup(&inst->arena, path);
	return im->pin_path ? 0 : bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), -ENOMEM,
						  "no memory for its pin path");
}

/* ---- compatibility, BTF included ---- */

/* The names at offsets oa of a and ob of b are equal (a missing name is ""). */
static bool same_name(const struct bbpf_btf *a, uint32_t oa, const struct bbpf_btf *b, uint32_t ob)
{
	return !strcmp(bbpf_btf_str(a, oa) ?: "", bbpf_btf_str(b, ob) ?: "");
}

/*
 * Same shape: kind, size and name after modifiers, and for structs, unions
 * and enums their members (names, offsets, sizes). One level deep: enough to
 * tell one key/value layout from another without walking whole graphs.
 */
static bool same_type(const struct bbpf_btf *a, uint32_t ia, const struct bbpf_btf *b, uint32_t ib)
{
	const struct btf_type *ta, *tb;
	uint32_t i, n;

	ia = bbpf_btf_skip_mods(a, ia);
	ib = bbpf_btf_skip_mods(b, ib);
	ta = bbpf_btf_type(a, ia);
	tb = bbpf_btf_type(b, ib);
	if (!ta || !tb)
		return !ta && !tb;
	if (bbpf_btf_kind(ta) != bbpf_btf_kind(tb) || bbpf_btf_vlen(ta) != bbpf_btf_vlen(tb) ||
	    bbpf_btf_resolve_size(a, ia) != bbpf_btf_resolve_size(b, ib) ||
	    !same_name(a, ta->name_off, b, tb->name_off))
		return false;
	n = bbpf_btf_vlen(ta);
	switch (bbpf_btf_kind(ta)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < n; i++) {
			const struct btf_member *ma = &bbpf_btf_members(ta)[i];
			const struct btf_member *mb = &bbpf_btf_members(tb)[i];

			if (!same_name(a, ma->name_off, b, mb->name_off) ||
			    ma->offset != mb->offset ||
			    bbpf_btf_resolve_size(a, ma->type) != bbpf_btf_resolve_size(b, mb->type))
				return false;
		}
		return true;
	case BTF_KIND_ENUM:
		for (i = 0; i < n; i++)
			if (bbpf_btf_enums(ta)[i].val != bbpf_btf_enums(tb)[i].val)
				return false;
		return true;
	case BTF_KIND_ARRAY:
		return same_type(a, bbpf_btf_array(ta)->type, b, bbpf_btf_array(tb)->type) &&
		       bbpf_btf_array(ta)->nelems == bbpf_btf_array(tb)->nelems;
	default:
		return true;
	}
}

static int incompatible(struct bbpf_inst *inst, const struct bbpf_map *m, const char *what,
			unsigned long long have, unsigned long long want)
{
	const char *pin = inst->maps[bbpf_map_idx(m)].pin_path;

	return bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), -EINVAL,
			      "existing map%s%s is incompatible: %s is %llu, the object wants %llu",
			      pin ? " pinned at " : "", pin ?: "", what, have, want);
}

static const char *kind_word(const struct bbpf_btf *btf, uint32_t id)
{
	const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, id));

	switch (t ? bbpf_btf_kind(t) : 0) {
	case BTF_KIND_STRUCT:
		return "struct ";
	case BTF_KIND_UNION:
		return "union ";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return "enum ";
	default:
		return "";
	}
}

/* Both types named (and sized), since their ids come from different BTF objects. */
static int btf_mismatch(struct bbpf_inst *inst, const struct bbpf_map *m, const char *what,
			const struct bbpf_btf *kbtf, uint32_t kid, uint32_t id)
{
	const struct bbpf_btf *obtf = inst->obj->btf;
	uint32_t ks = bbpf_btf_skip_mods(kbtf, kid), os = bbpf_btf_skip_mods(obtf, id);
	const char *pin = inst->maps[bbpf_map_idx(m)].pin_path;

	return bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), -EINVAL,
			      "existing map%s%s is incompatible: its %s type is %s'%s' (%lld bytes), the object's is %s'%s' (%lld bytes) with a different layout",
			      pin ? " pinned at " : "", pin ?: "", what, kind_word(kbtf, kid),
			      bbpf_btf_name(kbtf, ks), (long long)bbpf_btf_resolve_size(kbtf, ks),
			      kind_word(obtf, id), bbpf_btf_name(obtf, os),
			      (long long)bbpf_btf_resolve_size(obtf, os));
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD(f) { #f, offsetof(struct bpf_map_info, f), offsetof(struct bbpf_map, f) }

int bbpf_map_check_compat(struct bbpf_inst *inst, struct bbpf_map *m, int fd)
{
	/* the 32-bit fields libbpf compares, in its order */
	static const struct {
		char name[12];
		uint8_t info_off;
		uint16_t map_off;
	} fields[] = { FIELD(type), FIELD(key_size), FIELD(value_size), FIELD(max_entries),
		       FIELD(map_flags) };
	const struct bbpf_object *obj = inst->obj;
	struct bbpf_ctx *ctx = inst->ctx;
	struct bpf_map_info info;
	uint32_t want_max = m->max_entries;
	struct bbpf_arena scratch;
	struct bbpf_btf *kbtf = NULL;
	size_t i;
	int err;

	_Static_assert(sizeof(m->type) == sizeof(uint32_t), "a 32-bit map type");
	err = bbpf_cmd_obj_info_zero(&ctx->sys, fd, &info, sizeof(info));
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), err,
				      "cannot read the existing map's info");
	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !want_max) {
		err = bbpf_sys_possible_cpus(ctx);
		if (err < 0)
			return bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), err,
					      "cannot count the possible CPUs");
		want_max = (uint32_t)err;
	}
	for (i = 0; i < ARRAY_LEN(fields); i++) {
		uint32_t have, want;

		memcpy(&have, (const char *)&info + fields[i].info_off, sizeof(have));
		memcpy(&want, (const char *)m + fields[i].map_off, sizeof(want));
		if (fields[i].info_off == offsetof(struct bpf_map_info, max_entries))
			want = want_max;
		if (have != want)
			return incompatible(inst, m, fields[i].name, have, want);
	}
	if (info.map_extra != m->map_extra)
		return incompatible(inst, m, "map_extra", info.map_extra, m->map_extra);
	/* Beyond libbpf: the key/value layouts, where both sides have BTF. */
	if (!obj->btf || !info.btf_id || (!m->btf_key_type_id && !m->btf_value_type_id) ||
	    (!info.btf_key_type_id && !info.btf_value_type_id))
		return 0;
	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 28);
	/* checked in full by the kernel at load: only its structure here; the comparison tests every NULL */
	err = bbpf_attach_btf_fetch(ctx, info.btf_id, true, &scratch, &kbtf);
	if (err)
		err = bbpf_inst_fail(inst, BBPF_STAGE_MAP, bbpf_map_idx(m), err,
				     "cannot read the existing map's BTF");
	if (!err && m->btf_key_type_id && info.btf_key_type_id &&
	    !same_type(obj->btf, m->btf_key_type_id, kbtf, info.btf_key_type_id))
		err = btf_mismatch(inst, m, "key", kbtf, info.btf_key_type_id, m->btf_key_type_id);
	if (!err && m->btf_value_type_id && info.btf_value_type_id &&
	    !same_type(obj->btf, m->btf_value_type_id, kbtf, info.btf_value_type_id))
		err = btf_mismatch(inst, m, "value", kbtf, info.btf_value_type_id,
				   m->btf_value_type_id);
	bbpf_arena_free(&scratch);
	return err;
}

int bbpf_map_reuse_pinned(struct bbpf_inst *inst, struct bbpf_map *m)
{
	uint32_t idx = bbpf_map_idx(m);
	const char *path;
	int fd, err;

	err = pin_path_of(inst, m);
	path = inst->maps[idx].pin_path;
	if (err || !path)
		return err;
	fd = bbpf_cmd_obj_get(&inst->ctx->sys, path, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return bbpf_inst_fail(inst, BBPF_STAGE_MAP, idx, fd, "cannot open pin %s", path);
	inst->map_fds[idx] = fd;	/* closed by the rollback if incompatible */
	err = bbpf_map_check_compat(inst, m, fd);
	if (!err)
		bbpf_inst_log(inst, BBPF_LOG_DEBUG, "map '%s': reusing %s", m->name, path);
	return err;
}

/* Create the directory holding path (one level, as libbpf does). */
static int make_parent(struct bbpf_ctx *ctx, const char *path)
{
	char dir[PATH_MAX_LEN];
	const char *slash = path + strlen(path);
	long err;

	/* strrchr(path, '/') from the end (strrchr itself would bind lazily in the
	 * dynamic build); the names are short, the directories long. */
	while (slash > path && *slash != '/')
		slash--;
	if (slash == path || (size_t)(slash - path) >= sizeof(dir))
		return 0;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	err = ctx->sys.mkdir(ctx->sys.ctx, dir, 0700);
	return err == -EEXIST ? 0 : (int)err;
}

/*
 * Pin fd at path; a failure is recorded as stage (MAP during a load, PIN
 * otherwise) of idx (see bbpf_inst_fail) and logged.
 */
static int pin_fd(struct bbpf_inst *inst, enum bbpf_stage stage, uint32_t idx, int fd,
		  const char *path)
{
	int err = make_parent(inst->ctx, path);

	err = err ?: bbpf_cmd_obj_pin(&inst->ctx->sys, fd, path);
	if (err)
		return bbpf_inst_fail(inst, stage, idx, err, "pinning at %s failed", path);
	return 0;
}

int bbpf_map_pin_new(struct bbpf_inst *inst, struct bbpf_map *m)
{
	uint32_t idx = bbpf_map_idx(m);
	struct bbpf_inst_map *im = &inst->maps[idx];
	int err;

	if (!im->pin_path)
		return 0;
	err = pin_fd(inst, BBPF_STAGE_MAP, idx, inst->map_fds[idx], im->pin_path);
	if (!err)
		im->pinned_here = true;
	return err;
}

/* ---- public ---- */

/* The instance of a loaded object, and the start of a new failing-call report. */
static struct bbpf_inst *loaded(struct bbpf_object *obj)
{
	struct bbpf_inst *inst = bbpf_inst_of(obj);

	if (!inst || !inst->loaded)
		return NULL;
	bbpf_obj_error_reset(obj);
	return inst;
}

int bbpf_map_pin(struct bbpf_map *map, const char *path)
{
	struct bbpf_inst *inst = map && path ? loaded(map->obj) : NULL;
	uint32_t idx;
	char *copy;
	int err;

	if (!inst || inst->map_fds[bbpf_map_idx(map)] < 0)
		return -EINVAL;
	idx = bbpf_map_idx(map);
	err = pin_fd(inst, BBPF_STAGE_PIN, idx, inst->map_fds[idx], path);
	if (err)
		return err;
	copy = bbpf_arena_strdup(&inst->arena, path);
	if (copy)
		inst->maps[idx].pin_path = copy;
	return 0;
}

int bbpf_map_unpin(struct bbpf_map *map, const char *path)
{
	struct bbpf_inst *inst = map ? loaded(map->obj) : NULL;
	uint32_t idx;
	int err;

	if (!inst || inst->map_fds[bbpf_map_idx(map)] < 0)
		return -EINVAL;
	idx = bbpf_map_idx(map);
	if (!path && !(path = inst->maps[idx].pin_path))
		return -EINVAL;
	err = (int)inst->ctx->sys.unlink(inst->ctx->sys.ctx, path);
	if (err)
		return bbpf_inst_fail(inst, BBPF_STAGE_PIN, idx, err, "unpinning %s failed", path);
	return 0;
}

int bbpf_program_pin(struct bbpf_program *prog, const char *path)
{
	struct bbpf_inst *inst = prog && path ? loaded(prog->obj) : NULL;
	uint32_t idx;

	if (!inst || inst->prog_fds[bbpf_prog_idx(prog)] < 0)
		return -EINVAL;
	idx = bbpf_prog_idx(prog);
	return pin_fd(inst, BBPF_STAGE_PIN, inst->obj->map_cnt + idx, inst->prog_fds[idx], path);
}

int bbpf_object_pin_maps(struct bbpf_object *obj, const char *dir)
{
	struct bbpf_inst *inst = obj && dir ? loaded(obj) : NULL;
	char path[PATH_MAX_LEN];
	uint32_t i, j;
	int err = 0;

	if (!inst)
		return -EINVAL;
	for (i = 0; i < obj->map_cnt && !err; i++) {
		const struct bbpf_map *m = &obj->maps[i];

		if (inst->map_fds[i] < 0)
			continue;
		if (!is_safe_component(m->name))
			err = bbpf_inst_fail(inst, BBPF_STAGE_PIN, i, -EINVAL,
					     "name cannot be a file name under %s", dir);
		else if (map_pin_path(dir, m->name, path, sizeof(path)))
			err = bbpf_inst_fail(inst, BBPF_STAGE_PIN, i, -ENAMETOOLONG,
					     "pin path under %s too long", dir);
		else
			err = pin_fd(inst, BBPF_STAGE_PIN, i, inst->map_fds[i], path);
	}
	if (!err)
		return 0;
	/* Undo the pins this call made: nothing is left behind on failure. */
	for (j = 0; j + 1 < i; j++) {
		if (inst->map_fds[j] < 0 || map_pin_path(dir, obj->maps[j].name, path, sizeof(path)))
			continue;
		inst->ctx->sys.unlink(inst->ctx->sys.ctx, path);
	}
	return err;
}
