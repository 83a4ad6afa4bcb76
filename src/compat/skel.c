// SPDX-License-Identifier: BSD-2-Clause
/*
 * Skeletons as bpftool generates them: struct bpf_object_skeleton with its
 * map and program entries, read map_skel_sz / prog_skel_sz bytes apart so
 * that 24-byte map entries (bpftool up to 7.4, no link) and 32-byte ones
 * (with link, for struct_ops) both work, and subskeletons.
 */
#include <stdlib.h>
#include "compat.h"
#include "../attach/attach.h"

/* A map entry: only name, map and mmaped are read unless the entry has link. */
static struct bpf_map_skeleton *map_at(const struct bpf_object_skeleton *s, int i)
{
	return (struct bpf_map_skeleton *)((char *)s->maps + (size_t)i * (size_t)s->map_skel_sz);
}

static struct bpf_prog_skeleton *prog_at(const struct bpf_object_skeleton *s, int i)
{
	return (struct bpf_prog_skeleton *)((char *)s->progs + (size_t)i * (size_t)s->prog_skel_sz);
}

static bool map_has_link(int map_skel_sz)
{
	return (size_t)map_skel_sz >= bbpf_offsetofend(struct bpf_map_skeleton, link);
}

/* Entry sizes must hold the fields every version has. */
static int check_sizes(int map_cnt, int map_skel_sz, int prog_cnt, int prog_skel_sz)
{
	if (map_cnt < 0 || prog_cnt < 0)
		return -EINVAL;
	if (map_cnt && (size_t)map_skel_sz < bbpf_offsetofend(struct bpf_map_skeleton, mmaped))
		return -EINVAL;
	if (prog_cnt && (size_t)prog_skel_sz < sizeof(struct bpf_prog_skeleton))
		return -EINVAL;
	return 0;
}

static int fill_maps(struct bpf_object *obj, struct bpf_map_skeleton *maps, int cnt, int sz)
{
	int i;

	for (i = 0; i < cnt; i++) {
		struct bpf_map_skeleton *ms =
			(struct bpf_map_skeleton *)((char *)maps + (size_t)i * (size_t)sz);
		struct bpf_map *map = bpf_object__find_map_by_name(obj, ms->name);

		if (!map) {
			pr_warn("failed to find skeleton map '%s'\n", ms->name);
			return -ESRCH;
		}
		*ms->map = map;
		/* global data: writable now, the same memory after load */
		if (ms->mmaped)
			*ms->mmaped = bpf_map__initial_value(map, NULL);
	}
	return 0;
}

static int fill_progs(struct bpf_object *obj, struct bpf_prog_skeleton *progs, int cnt, int sz)
{
	int i;

	for (i = 0; i < cnt; i++) {
		struct bpf_prog_skeleton *ps =
			(struct bpf_prog_skeleton *)((char *)progs + (size_t)i * (size_t)sz);
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, ps->name);

		if (!prog) {
			pr_warn("failed to find skeleton program '%s'\n", ps->name);
			return -ESRCH;
		}
		*ps->prog = prog;
	}
	return 0;
}

int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
			      const struct bpf_object_open_opts *opts)
{
	struct bpf_object_open_opts o = { .sz = sizeof(o) };
	struct bpf_object *obj;
	int err;

	if (!s || !s->obj || !s->data || !s->data_sz)
		return bbpf_compat_err(-EINVAL);
	err = check_sizes(s->map_cnt, s->map_skel_sz, s->prog_cnt, s->prog_skel_sz);
	if (err)
		return bbpf_compat_err(err);
	if (!BBPF_OPTS_VALID(opts, bpf_object_open_opts))
		return bbpf_compat_err(-EINVAL);
	/*
	 * The caller's options, with the skeleton's name unless the caller
	 * names the object (the skeleton's map names carry that name).
	 */
	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	o.sz = sizeof(o);
	if (!o.object_name)
		o.object_name = s->name;
	obj = bpf_object__open_mem(s->data, s->data_sz, &o);
	if (!obj) {
		err = -errno;
		pr_warn("failed to initialize skeleton BPF object '%s': %s\n", s->name,
			strerror(-err));
		return bbpf_compat_err(err);
	}
	*s->obj = obj;
	err = fill_maps(obj, s->maps, s->map_cnt, s->map_skel_sz);
	err = err ?: fill_progs(obj, s->progs, s->prog_cnt, s->prog_skel_sz);
	if (err)
		return bbpf_compat_err(err);	/* the object is closed by destroy_skeleton */
	return 0;
}

int bpf_object__load_skeleton(struct bpf_object_skeleton *s)
{
	int i, err;

	if (!s || !s->obj)
		return bbpf_compat_err(-EINVAL);
	err = bpf_object__load(*s->obj);
	if (err) {
		pr_warn("failed to load BPF skeleton '%s': %s\n", s->name, strerror(-err));
		return err;
	}
	/* *mmaped keeps its address (the map is mapped over it); NULL if the map cannot be mapped */
	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = map_at(s, i);
		struct bpf_map *map = *ms->map;

		if (ms->mmaped && (!map->remapped || !bbpf_map_mmaped(map->m, NULL)))
			*ms->mmaped = NULL;
	}
	return 0;
}

/*
 * Whether the skeleton attaches prog. A program whose section names a
 * target for a kind libbpf attaches but barebpf cannot yet is an error,
 * not a silent skip: the program would otherwise never run.
 */
static int attachable(const struct bpf_program *prog)
{
	const struct bbpf_program *p = prog->p;
	const char *why = NULL;

	if (bbpf_attach_is_auto(p, &why))
		return 1;
	if (p->sec_def && p->sec_def->attach != BBPF_ATTACH_NONE && p->attach_target &&
	    p->attach_target[0] && why && strstr(why, "(yet)")) {
		pr_warn("prog '%s': section '%s': this attach kind is not supported yet\n",
			bbpf_program_name(p), bbpf_program_section(p));
		return -EOPNOTSUPP;
	}
	return 0;
}

int bpf_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	int i, err;

	if (!s)
		return bbpf_compat_err(-EINVAL);
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = prog_at(s, i);
		struct bpf_program *prog = *ps->prog;

		if (!bbpf_program_autoload(prog->p) || !prog->autoattach)
			continue;
		if (!ps->link || *ps->link)
			continue;	/* no place for it, or attached by the caller */
		/* a section that names no target (SEC("kprobe"), SEC("uprobe")) is not an error */
		err = attachable(prog);
		if (err < 0)
			return bbpf_compat_err(err);
		if (!err)
			continue;
		*ps->link = bpf_program__attach(prog);
		if (!*ps->link) {
			err = -errno;
			pr_warn("prog '%s': failed to auto-attach: %s\n", bbpf_program_name(prog->p),
				strerror(-err));
			return bbpf_compat_err(err);
		}
	}
	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = map_at(s, i);
		struct bpf_map *map = *ms->map;

		if (!bbpf_map_autocreate(map->m) || !map->autoattach ||
		    bbpf_map_type(map->m) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (!map_has_link(s->map_skel_sz)) {
			pr_warn("map '%s': BPF skeleton version is old, skipping map auto-attachment...\n",
				bbpf_map_name(map->m));
			continue;
		}
		if (!ms->link || *ms->link)
			continue;
		*ms->link = bpf_map__attach_struct_ops(map);
		if (!*ms->link) {
			err = -errno;
			pr_warn("map '%s': failed to auto-attach: %s\n", bbpf_map_name(map->m),
				strerror(-err));
			return bbpf_compat_err(err);
		}
	}
	return 0;
}

void bpf_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = prog_at(s, i);

		if (ps->link) {
			bpf_link__destroy(*ps->link);
			*ps->link = NULL;
		}
	}
	if (!map_has_link(s->map_skel_sz))
		return;
	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = map_at(s, i);

		if (ms->link) {
			bpf_link__destroy(*ms->link);
			*ms->link = NULL;
		}
	}
}

/* s and its arrays come from the generated code's calloc(): freed with free(). */
void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	if (!s)
		return;
	bpf_object__detach_skeleton(s);
	if (s->obj) {
		bpf_object__close(*s->obj);
		*s->obj = NULL;
	}
	free(s->maps);
	free(s->progs);
	free(s);
}

/* ---- subskeletons: a library's view into an object opened elsewhere ---- */

int bpf_object__open_subskeleton(struct bpf_object_subskeleton *s)
{
	struct bpf_object *obj;
	int i, err;

	if (!s || !s->obj)
		return bbpf_compat_err(-EINVAL);
	obj = (struct bpf_object *)s->obj;
	err = check_sizes(s->map_cnt, s->map_skel_sz, s->prog_cnt, s->prog_skel_sz);
	if (!err && s->var_cnt && (s->var_cnt < 0 ||
				   (size_t)s->var_skel_sz < sizeof(struct bpf_var_skeleton)))
		err = -EINVAL;
	err = err ?: fill_maps(obj, s->maps, s->map_cnt, s->map_skel_sz);
	err = err ?: fill_progs(obj, s->progs, s->prog_cnt, s->prog_skel_sz);
	for (i = 0; !err && i < s->var_cnt; i++) {
		struct bpf_var_skeleton *vs = (struct bpf_var_skeleton *)((char *)s->vars +
								       (size_t)i * (size_t)s->var_skel_sz);
		struct bpf_map *map = *vs->map;
		struct bbpf_map *m = NULL;
		size_t off = 0, size = 0;

		if (!map || !map->mmaped ||
		    bbpf_object_find_global(obj->o, vs->name, &m, &off, &size) || m != map->m) {
			pr_warn("subskeleton: failed to find variable '%s'\n", vs->name);
			err = -ESRCH;
			break;
		}
		*vs->addr = (char *)map->mmaped + off;
	}
	return bbpf_compat_err(err);
}

void bpf_object__destroy_subskeleton(struct bpf_object_subskeleton *s)
{
	if (!s)
		return;
	free(s->maps);
	free(s->progs);
	free(s->vars);
	free(s);
}
