// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct bpf_object: open, load, close, pinning, lookups and iteration,
 * over the native object (bbpf_object_*). The compat object adds what
 * libbpf keeps and the native object does not: per-program autoattach and
 * log settings, pin paths by name computed at open, a load attempted at
 * most once, and stable memory for internal maps (see struct bpf_map).
 */
#include <stdio.h>
#include <sys/mman.h>
#include "compat.h"

#define DEFAULT_PIN_ROOT "/sys/fs/bpf"

struct bpf_program *bbpf_compat_object_prog(const struct bpf_object *obj,
					    const struct bbpf_program *p)
{
	uint32_t i;

	for (i = 0; obj && p && i < obj->prog_cnt; i++)
		if (obj->progs[i].p == p)
			return &obj->progs[i];
	return NULL;
}

struct bpf_map *bbpf_compat_object_map(const struct bpf_object *obj, const struct bbpf_map *m)
{
	uint32_t i;

	for (i = 0; obj && m && i < obj->map_cnt; i++)
		if (obj->maps[i].m == m)
			return &obj->maps[i];
	return NULL;
}

/* ---- kconfig: the caller's lines first (the first line naming an option wins), then the kernel's ---- */

static int kconfig_text(const char *user, char **out)
{
	struct bbpf_ctx *tmp = NULL;
	const char *sys_text = NULL;
	size_t sys_len = 0, ulen = strlen(user);
	struct bbpf_arena arena;
	char *text;

	bbpf_arena_init(&arena, &bbpf_alloc_libc, SIZE_MAX);
	if (!bbpf_compat_sys_ctx(&tmp, NULL) && bbpf_kconfig_text(tmp, &arena, &sys_text, &sys_len))
		sys_text = NULL;
	text = bbpf_compat_sys_zalloc(ulen + 1 + (sys_text ? sys_len : 0) + 1);
	if (text) {
		memcpy(text, user, ulen);
		text[ulen] = '\n';
		if (sys_text)
			memcpy(text + ulen + 1, sys_text, sys_len);
	}
	bbpf_arena_free(&arena);
	bbpf_ctx_free(tmp);
	*out = text;
	return text ? 0 : -ENOMEM;
}

int bbpf_compat_object_ctx(struct bpf_object *obj, struct bbpf_ctx **out)
{
	struct bbpf_ctx_opts co = { 0 };
	char *kconfig = NULL;
	int err;

	if (obj->ctx) {
		*out = obj->ctx;
		return 0;
	}
	if (obj->kconfig) {
		err = kconfig_text(obj->kconfig, &kconfig);
		if (err)
			return err;
		co.kconfig = kconfig;
	}
	co.btf_path = obj->btf_custom_path;
	co.pin_root = obj->pin_root;
	co.log_ctx = obj;
	err = bbpf_compat_sys_ctx(&obj->ctx, &co);
	bbpf_compat_sys_strfree(kconfig);	/* the context keeps a copy */
	if (err)
		return err;
	*out = obj->ctx;
	return 0;
}

/* ---- open ---- */

static size_t page_size(void)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	long ps = sys->page_size(sys->ctx);

	return ps > 0 ? (size_t)ps : 4096;
}

/* An internal map's memory: an anonymous shared mapping holding its initial value. */
static int map_memory(struct bpf_map *map)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	size_t size = 0, ps = page_size();
	const void *init = bbpf_map_initial_value(map->m, &size);
	size_t len = ((size > 0 ? size : 1) + ps - 1) / ps * ps;
	void *mem;
	long err;

	err = sys->mmap(sys->ctx, NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			0, &mem);
	if (err)
		return (int)err;
	if (init)
		memcpy(mem, init, size);
	map->mmaped = mem;
	map->mmap_len = len;
	return 0;
}

static void free_object(struct bpf_object *obj)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	uint32_t i;

	if (!obj)
		return;
	btf__free(obj->btf);
	for (i = 0; i < obj->map_cnt; i++) {
		if (obj->maps[i].mmaped)
			sys->munmap(sys->ctx, obj->maps[i].mmaped, obj->maps[i].mmap_len);
		bbpf_compat_sys_strfree(obj->maps[i].pin_path);
	}
	bbpf_object_close(obj->o);
	bbpf_ctx_free(obj->ctx);
	for (i = 0; i < obj->prog_cnt; i++)
		bbpf_compat_sys_strfree(obj->progs[i].attach_target);
	bbpf_compat_sys_free(obj->progs, obj->prog_cnt * sizeof(*obj->progs));
	bbpf_compat_sys_free(obj->maps, obj->map_cnt * sizeof(*obj->maps));
	bbpf_compat_sys_free(obj->buf, obj->buf_len);
	bbpf_compat_sys_strfree(obj->kconfig);
	bbpf_compat_sys_strfree(obj->btf_custom_path);
	bbpf_compat_sys_strfree(obj->pin_root);
	bbpf_compat_sys_free(obj, sizeof(*obj));
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s && !(*out = bbpf_compat_sys_strdup(s)))
		return -ENOMEM;
	return 0;
}

/* Map pinning by name: the pin path <root>/<name> is known from open on, as in libbpf. */
static int init_map(struct bpf_object *obj, struct bpf_map *map, const char *root)
{
	const char *path = bbpf_map_pin_path(map->m);
	char buf[4096];
	int err;

	map->obj = obj;
	map->autoattach = true;
	if (!path && bbpf_map_pinning(map->m) == BBPF_PIN_BY_NAME) {
		if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", root, bbpf_map_name(map->m)) >=
		    sizeof(buf))
			return -ENAMETOOLONG;
		err = bbpf_map_set_pin_path(map->m, buf);
		if (err)
			return err;
		path = buf;
	}
	if (path && !(map->pin_path = bbpf_compat_sys_strdup(path)))
		return -ENOMEM;
	return bbpf_map_is_internal(map->m) ? map_memory(map) : 0;
}

static int wrap_object(struct bpf_object *obj, const struct bpf_object_open_opts *opts)
{
	const char *root = BBPF_OPTS_GET(opts, pin_root_path, NULL);
	uint32_t i;
	int err;

	obj->prog_cnt = (uint32_t)bbpf_object_program_cnt(obj->o);
	obj->map_cnt = (uint32_t)bbpf_object_map_cnt(obj->o);
	obj->progs = bbpf_compat_sys_zalloc(obj->prog_cnt * sizeof(*obj->progs));
	obj->maps = bbpf_compat_sys_zalloc(obj->map_cnt * sizeof(*obj->maps));
	if (!obj->progs || !obj->maps)
		return -ENOMEM;
	for (i = 0; i < obj->prog_cnt; i++) {
		obj->progs[i].p = bbpf_object_program(obj->o, i);
		obj->progs[i].obj = obj;
		obj->progs[i].autoattach = true;
	}
	for (i = 0; i < obj->map_cnt; i++) {
		obj->maps[i].m = bbpf_object_map(obj->o, i);
		err = init_map(obj, &obj->maps[i], root ? root : DEFAULT_PIN_ROOT);
		if (err)
			return err;
	}
	if (dup_opt(BBPF_OPTS_GET(opts, kconfig, NULL), &obj->kconfig) ||
	    dup_opt(BBPF_OPTS_GET(opts, btf_custom_path, NULL), &obj->btf_custom_path) ||
	    dup_opt(root, &obj->pin_root))
		return -ENOMEM;
	obj->kernel_log_buf = BBPF_OPTS_GET(opts, kernel_log_buf, NULL);
	obj->kernel_log_size = BBPF_OPTS_GET(opts, kernel_log_size, 0);
	obj->kernel_log_level = BBPF_OPTS_GET(opts, kernel_log_level, 0);
	obj->kern_version = bbpf_object_kern_version(obj->o);
	return 0;
}

static int check_open_opts(const struct bpf_object_open_opts *opts)
{
	const char *token = BBPF_OPTS_GET(opts, bpf_token_path, NULL);

	if (!BBPF_OPTS_VALID(opts, bpf_object_open_opts))
		return -EINVAL;
	if (token && token[0]) {
		pr_warn("BPF token path '%s': BPF tokens are not supported\n", token);
		return -EOPNOTSUPP;
	}
	if (!!BBPF_OPTS_GET(opts, kernel_log_buf, NULL) !=
	    !!BBPF_OPTS_GET(opts, kernel_log_size, 0))
		return -EINVAL;
	return 0;
}

/* libbpf's default name of a file's object: its base name up to the first '.'. */
static void file_obj_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	snprintf(buf, size, "%.*s", (int)strcspn(base, "."), base);
}

static struct bpf_object *open_common(const char *path, const void *buf, size_t len,
				      const struct bpf_object_open_opts *opts)
{
	struct bbpf_open_opts oo = { .log = bbpf_compat_print_log, .sys = bbpf_compat_sys() };
	struct bpf_object *obj;
	char name[256];
	int err;

	err = check_open_opts(opts);
	if (err)
		return bbpf_compat_errp(err);
	obj = bbpf_compat_sys_zalloc(sizeof(*obj));
	if (!obj)
		return bbpf_compat_errp(-ENOMEM);
	oo.object_name = BBPF_OPTS_GET(opts, object_name, NULL);
	if (path) {
		if (!oo.object_name) {
			file_obj_name(path, name, sizeof(name));
			oo.object_name = name;
		}
		err = bbpf_object_open_file(&obj->o, path, &oo, NULL);
	} else {
		if (!oo.object_name) {
			snprintf(name, sizeof(name), "%lx-%zx", (unsigned long)(uintptr_t)buf, len);
			oo.object_name = name;
		}
		obj->buf = bbpf_compat_sys_zalloc(len);
		obj->buf_len = len;
		err = obj->buf ? 0 : -ENOMEM;
		if (!err) {
			memcpy(obj->buf, buf, len);
			err = bbpf_object_open_mem(&obj->o, obj->buf, len, &oo, NULL);
		}
	}
	err = err ?: wrap_object(obj, opts);
	if (err) {
		if (path)
			pr_warn("failed to open %s: %s\n", path, strerror(-err));
		free_object(obj);
		return bbpf_compat_errp(err);
	}
	return obj;
}

struct bpf_object *bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts)
{
	if (!path)
		return bbpf_compat_errp(-EINVAL);
	return open_common(path, NULL, 0, opts);
}

struct bpf_object *bpf_object__open(const char *path)
{
	return bpf_object__open_file(path, NULL);
}

struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
					const struct bpf_object_open_opts *opts)
{
	if (!obj_buf || !obj_buf_sz)
		return bbpf_compat_errp(-EINVAL);
	return open_common(NULL, obj_buf, obj_buf_sz, opts);
}

/* ---- load ---- */

/* Offload devices (bpf_program__set_ifindex, bpf_map__set_ifindex) handed to the loader. */
static void set_ifindexes(const struct bpf_object *obj)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].ifindex)
			bbpf_program_set_ifindex(obj->progs[i].p, obj->progs[i].ifindex);
	for (i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].ifindex)
			bbpf_map_set_ifindex(obj->maps[i].m, obj->maps[i].ifindex);
}

/* What the caller wrote into internal maps' memory becomes their initial value (not .kconfig's). */
static void sync_initial_values(struct bpf_object *obj)
{
	uint32_t i;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bpf_map *map = &obj->maps[i];
		size_t size = 0;
		void *init;

		if (!map->mmaped || bbpf_map_kind(map->m) == BBPF_MAP_KCONFIG)
			continue;
		init = bbpf_map_initial_value(map->m, &size);
		if (init)
			memcpy(init, map->mmaped, size < map->mmap_len ? size : map->mmap_len);
	}
}

static bool map_read_only(const struct bbpf_map *m)
{
	return bbpf_map_kind(m) == BBPF_MAP_RODATA || bbpf_map_kind(m) == BBPF_MAP_KCONFIG ||
	       (bbpf_map_flags(m) & BPF_F_RDONLY_PROG);
}

/*
 * Map each loaded internal map over the memory the caller has had since
 * open, so that pointers into it (skel->bss) stay valid and now see the map.
 */
static int remap_internal(struct bpf_object *obj)
{
	const struct bbpf_sys *sys = &obj->ctx->sys;
	uint32_t i;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bpf_map *map = &obj->maps[i];
		int prot = map_read_only(map->m) ? PROT_READ : PROT_READ | PROT_WRITE;
		void *out = NULL;
		long err;

		if (!map->mmaped || !bbpf_map_mmaped(map->m, NULL))
			continue;	/* not created, or the kernel cannot map it */
		err = sys->mmap(sys->ctx, map->mmaped, map->mmap_len, prot, MAP_SHARED | MAP_FIXED,
				bbpf_map_fd(map->m), 0, &out);
		if (!err && out != map->mmaped) {
			sys->munmap(sys->ctx, out, map->mmap_len);
			err = -EFAULT;
		}
		if (err) {
			pr_warn("map '%s': failed to re-mmap(): %s\n", bbpf_map_name(map->m),
				strerror((int)-err));
			return (int)err;
		}
		map->remapped = true;
	}
	return 0;
}

int bpf_object__load(struct bpf_object *obj)
{
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_ctx *ctx;
	uint32_t i;
	int err;

	if (!obj)
		return bbpf_compat_err(-EINVAL);
	if (obj->load_tried) {
		pr_warn("object '%s': load can't be attempted twice\n", bbpf_object_name(obj->o));
		return bbpf_compat_err(-EINVAL);
	}
	obj->load_tried = true;
	err = bbpf_compat_object_ctx(obj, &ctx);
	if (err)
		return bbpf_compat_err(err);
	set_ifindexes(obj);
	sync_initial_values(obj);
	lo.ctx = ctx;
	lo.log_level = obj->kernel_log_level;
	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].log_level > lo.log_level)
			lo.log_level = obj->progs[i].log_level;
	obj->kernel_log_len = 0;
	if (obj->kernel_log_buf)
		obj->kernel_log_buf[0] = '\0';
	err = bbpf_object_load(obj->o, &lo);
	if (err) {
		pr_warn("failed to load object '%s'\n", bbpf_object_name(obj->o));
		return bbpf_compat_err(err);
	}
	for (i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].pin_path && bbpf_map_fd(obj->maps[i].m) >= 0)
			obj->maps[i].pinned = true;
	err = remap_internal(obj);
	if (err)
		return bbpf_compat_err(err);
	obj->loaded = true;
	return 0;
}

void bpf_object__close(struct bpf_object *obj)
{
	free_object(obj);
}

/* ---- names and lookups ---- */

const char *bpf_object__name(const struct bpf_object *obj)
{
	return obj ? bbpf_object_name(obj->o) : (const char *)bbpf_compat_errp(-EINVAL);
}

unsigned int bpf_object__kversion(const struct bpf_object *obj)
{
	return obj ? obj->kern_version : 0;
}

int bpf_object__set_kversion(struct bpf_object *obj, __u32 kern_version)
{
	if (!obj)
		return bbpf_compat_err(-EINVAL);
	if (obj->load_tried)
		return bbpf_compat_err(-EBUSY);
	obj->kern_version = kern_version;
	return 0;
}

struct btf *bpf_object__btf(const struct bpf_object *obj)
{
	struct bpf_object *o = (struct bpf_object *)obj;

	if (!obj)
		return bbpf_compat_errp(-EINVAL);
	if (!o->btf)
		o->btf = bbpf_compat_btf_of_object(obj->o);
	return o->btf;
}

int bpf_object__btf_fd(const struct bpf_object *obj)
{
	const struct bbpf_inst *inst = obj ? bbpf_inst_of(obj->o) : NULL;

	return inst && inst->loaded ? inst->btf_fd : -1;
}

struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj,
						     const char *name)
{
	struct bpf_program *prog;

	if (!obj || !name)
		return bbpf_compat_errp(-EINVAL);
	prog = bbpf_compat_object_prog(obj, bbpf_object_find_program(obj->o, name));
	return bbpf_compat_ptr(prog, -ENOENT);
}

struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name)
{
	struct bpf_map *map;

	if (!obj || !name)
		return bbpf_compat_errp(-EINVAL);
	map = bbpf_compat_object_map(obj, bbpf_object_find_map(obj->o, name));
	return bbpf_compat_ptr(map, -ENOENT);
}

int bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	return map ? bpf_map__fd(map) : bbpf_compat_err(-errno);
}

/* ---- iteration ---- */

struct bpf_program *bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog)
{
	size_t i;

	if (!obj)
		return NULL;
	i = prog ? (size_t)(prog - obj->progs) + 1 : 0;
	return i < obj->prog_cnt ? &obj->progs[i] : NULL;
}

struct bpf_program *bpf_object__prev_program(const struct bpf_object *obj, struct bpf_program *prog)
{
	size_t i;

	if (!obj || !obj->prog_cnt)
		return NULL;
	i = prog ? (size_t)(prog - obj->progs) : obj->prog_cnt;
	return i > 0 ? &obj->progs[i - 1] : NULL;
}

struct bpf_map *bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map)
{
	size_t i;

	if (!obj)
		return NULL;
	i = map ? (size_t)(map - obj->maps) + 1 : 0;
	return i < obj->map_cnt ? &obj->maps[i] : NULL;
}

struct bpf_map *bpf_object__prev_map(const struct bpf_object *obj, const struct bpf_map *map)
{
	size_t i;

	if (!obj || !obj->map_cnt)
		return NULL;
	i = map ? (size_t)(map - obj->maps) : obj->map_cnt;
	return i > 0 ? &obj->maps[i - 1] : NULL;
}

/* ---- pinning ---- */

static int join(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int bpf_object__pin_maps(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	uint32_t i, j;
	int err = 0;

	if (!obj)
		return bbpf_compat_err(-ENOENT);
	if (!obj->loaded) {
		pr_warn("object not yet loaded; load it first\n");
		return bbpf_compat_err(-ENOENT);
	}
	for (i = 0; i < obj->map_cnt; i++) {
		struct bpf_map *map = &obj->maps[i];
		const char *pin = map->pin_path;

		if (!bbpf_map_autocreate(map->m))
			continue;
		if (path) {
			err = join(buf, sizeof(buf), path, bbpf_map_name(map->m));
			if (err)
				break;
			pin = buf;
		} else if (!pin) {
			continue;
		}
		err = bpf_map__pin(map, pin);
		if (err)
			break;
	}
	if (!err)
		return 0;
	for (j = 0; j < i; j++) {
		struct bpf_map *map = &obj->maps[j];

		if (!bbpf_map_autocreate(map->m))
			continue;
		if (path) {
			if (!join(buf, sizeof(buf), path, bbpf_map_name(map->m)))
				bpf_map__unpin(map, buf);
		} else if (map->pin_path) {
			bpf_map__unpin(map, NULL);
		}
	}
	return bbpf_compat_err(err < 0 ? err : -errno);
}

int bpf_object__unpin_maps(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	uint32_t i;
	int err;

	if (!obj)
		return bbpf_compat_err(-ENOENT);
	for (i = 0; i < obj->map_cnt; i++) {
		struct bpf_map *map = &obj->maps[i];
		const char *pin = map->pin_path;

		if (path) {
			err = join(buf, sizeof(buf), path, bbpf_map_name(map->m));
			if (err)
				return bbpf_compat_err(err);
			pin = buf;
		} else if (!pin) {
			continue;
		}
		err = bpf_map__unpin(map, pin);
		if (err)
			return err;
	}
	return 0;
}

int bpf_object__pin_programs(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	uint32_t i, j;
	int err = 0;

	if (!obj || !path)
		return bbpf_compat_err(-EINVAL);
	if (!obj->loaded) {
		pr_warn("object not yet loaded; load it first\n");
		return bbpf_compat_err(-ENOENT);
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		if (bbpf_program_fd(obj->progs[i].p) < 0)
			continue;
		err = join(buf, sizeof(buf), path, bbpf_program_name(obj->progs[i].p));
		err = err ?: bpf_program__pin(&obj->progs[i], buf);
		if (err)
			break;
	}
	if (!err)
		return 0;
	for (j = 0; j < i; j++) {
		if (bbpf_program_fd(obj->progs[j].p) >= 0 &&
		    !join(buf, sizeof(buf), path, bbpf_program_name(obj->progs[j].p)))
			bpf_program__unpin(&obj->progs[j], buf);
	}
	return bbpf_compat_err(err);
}

int bpf_object__unpin_programs(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	uint32_t i;
	int err;

	if (!obj || !path)
		return bbpf_compat_err(-EINVAL);
	for (i = 0; i < obj->prog_cnt; i++) {
		if (bbpf_program_fd(obj->progs[i].p) < 0)
			continue;
		err = join(buf, sizeof(buf), path, bbpf_program_name(obj->progs[i].p));
		err = err ?: bpf_program__unpin(&obj->progs[i], buf);
		if (err)
			return bbpf_compat_err(err);
	}
	return 0;
}

int bpf_object__pin(struct bpf_object *obj, const char *path)
{
	int err = bpf_object__pin_maps(obj, path);

	if (err)
		return err;
	err = bpf_object__pin_programs(obj, path);
	if (err) {
		bpf_object__unpin_maps(obj, path);
		return bbpf_compat_err(err);
	}
	return 0;
}

int bpf_object__unpin(struct bpf_object *obj, const char *path)
{
	int err = bpf_object__unpin_programs(obj, path);

	return err ?: bpf_object__unpin_maps(obj, path);
}
