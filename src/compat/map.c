// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct bpf_map: getters, setters (before load; -EBUSY after, as libbpf),
 * pin paths and element operations over the native map.
 */
#include "compat.h"

static bool loaded(const struct bpf_map *map)
{
	return map->obj->load_tried;
}

/* A setter's common checks and result. */
#define SET(map, call)							\
	do {								\
		if (!(map))						\
			return bbpf_compat_err(-EINVAL);		\
		if (loaded(map))					\
			return bbpf_compat_err(-EBUSY);			\
		return bbpf_compat_err(call);				\
	} while (0)

int bpf_map__set_autocreate(struct bpf_map *map, bool autocreate)
{
	SET(map, bbpf_map_set_autocreate(map->m, autocreate));
}

bool bpf_map__autocreate(const struct bpf_map *map)
{
	return map && bbpf_map_autocreate(map->m);
}

int bpf_map__set_autoattach(struct bpf_map *map, bool autoattach)
{
	if (!map || bbpf_map_type(map->m) != BPF_MAP_TYPE_STRUCT_OPS)
		return bbpf_compat_err(-EINVAL);
	map->autoattach = autoattach;
	return 0;
}

bool bpf_map__autoattach(const struct bpf_map *map)
{
	return map && map->autoattach;
}

int bpf_map__fd(const struct bpf_map *map)
{
	int fd = map ? bbpf_map_fd(map->m) : -1;

	return fd >= 0 ? fd : bbpf_compat_err(-EINVAL);
}

int bpf_map__reuse_fd(struct bpf_map *map, int fd)
{
	SET(map, bbpf_map_reuse_fd(map->m, fd));
}

const char *bpf_map__name(const struct bpf_map *map)
{
	return map ? bbpf_map_name(map->m) : NULL;
}

enum bpf_map_type bpf_map__type(const struct bpf_map *map)
{
	return map ? bbpf_map_type(map->m) : BPF_MAP_TYPE_UNSPEC;
}

int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type)
{
	SET(map, bbpf_map_set_type(map->m, type));
}

__u32 bpf_map__max_entries(const struct bpf_map *map)
{
	return map ? bbpf_map_max_entries(map->m) : 0;
}

int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries)
{
	SET(map, bbpf_map_set_max_entries(map->m, max_entries));
}

__u32 bpf_map__map_flags(const struct bpf_map *map)
{
	return map ? bbpf_map_flags(map->m) : 0;
}

int bpf_map__set_map_flags(struct bpf_map *map, __u32 flags)
{
	SET(map, bbpf_map_set_flags(map->m, flags));
}

__u32 bpf_map__numa_node(const struct bpf_map *map)
{
	return map ? bbpf_map_numa_node(map->m) : 0;
}

int bpf_map__set_numa_node(struct bpf_map *map, __u32 numa_node)
{
	SET(map, bbpf_map_set_numa_node(map->m, numa_node));
}

__u32 bpf_map__key_size(const struct bpf_map *map)
{
	return map ? bbpf_map_key_size(map->m) : 0;
}

int bpf_map__set_key_size(struct bpf_map *map, __u32 size)
{
	SET(map, bbpf_map_set_key_size(map->m, size));
}

__u32 bpf_map__value_size(const struct bpf_map *map)
{
	return map ? bbpf_map_value_size(map->m) : 0;
}

int bpf_map__set_value_size(struct bpf_map *map, __u32 size)
{
	if (map && map->mmaped && size != bbpf_map_value_size(map->m)) {
		pr_warn("map '%s': resizing global data is not supported\n", bbpf_map_name(map->m));
		return bbpf_compat_err(loaded(map) ? -EBUSY : -EOPNOTSUPP);
	}
	SET(map, bbpf_map_set_value_size(map->m, size));
}

__u32 bpf_map__btf_key_type_id(const struct bpf_map *map)
{
	return map ? bbpf_map_btf_key_type_id(map->m) : 0;
}

__u32 bpf_map__btf_value_type_id(const struct bpf_map *map)
{
	return map ? bbpf_map_btf_value_type_id(map->m) : 0;
}

__u32 bpf_map__ifindex(const struct bpf_map *map)
{
	return map ? map->ifindex : 0;
}

int bpf_map__set_ifindex(struct bpf_map *map, __u32 ifindex)
{
	if (!map)
		return bbpf_compat_err(-EINVAL);
	if (loaded(map))
		return bbpf_compat_err(-EBUSY);
	map->ifindex = ifindex;
	return 0;
}

__u64 bpf_map__map_extra(const struct bpf_map *map)
{
	return map ? bbpf_map_extra(map->m) : 0;
}

int bpf_map__set_map_extra(struct bpf_map *map, __u64 map_extra)
{
	SET(map, bbpf_map_set_extra(map->m, map_extra));
}

int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size)
{
	if (!map || !data)
		return bbpf_compat_err(-EINVAL);
	if (loaded(map))
		return bbpf_compat_err(-EBUSY);
	if (!map->mmaped || bbpf_map_kind(map->m) == BBPF_MAP_KCONFIG ||
	    size != bbpf_map_value_size(map->m))
		return bbpf_compat_err(-EINVAL);
	memcpy(map->mmaped, data, size);
	return 0;
}

void *bpf_map__initial_value(const struct bpf_map *map, size_t *psize)
{
	if (!map || !map->mmaped)
		return NULL;
	if (psize)
		*psize = bbpf_map_value_size(map->m);
	return map->mmaped;
}

bool bpf_map__is_internal(const struct bpf_map *map)
{
	return map && bbpf_map_is_internal(map->m);
}

/* ---- pinning ---- */

int bpf_map__set_pin_path(struct bpf_map *map, const char *path)
{
	char *copy = NULL;
	int err;

	if (!map)
		return bbpf_compat_err(-EINVAL);
	if (path && !(copy = bbpf_compat_sys_strdup(path)))
		return bbpf_compat_err(-ENOMEM);
	if (!loaded(map)) {
		/* the native load pins (or reuses the pin) at this path */
		err = bbpf_map_set_pin_path(map->m, path);
		if (err) {
			bbpf_compat_sys_strfree(copy);
			return bbpf_compat_err(err);
		}
	}
	bbpf_compat_sys_strfree(map->pin_path);
	map->pin_path = copy;
	return 0;
}

const char *bpf_map__pin_path(const struct bpf_map *map)
{
	return map ? map->pin_path : NULL;
}

const char *bpf_map__get_pin_path(const struct bpf_map *map)
{
	return bpf_map__pin_path(map);
}

bool bpf_map__is_pinned(const struct bpf_map *map)
{
	return map && map->pinned;
}

int bpf_map__pin(struct bpf_map *map, const char *path)
{
	int err;

	if (!map)
		return bbpf_compat_err(-EINVAL);
	if (map->pin_path) {
		if (path && strcmp(path, map->pin_path)) {
			pr_warn("map '%s' already has pin path '%s' different from '%s'\n",
				bbpf_map_name(map->m), map->pin_path, path);
			return bbpf_compat_err(-EINVAL);
		}
		if (map->pinned) {
			pr_debug("map '%s' already pinned at '%s'; not re-pinning\n",
				 bbpf_map_name(map->m), map->pin_path);
			return 0;
		}
	} else {
		if (!path) {
			pr_warn("missing a path to pin map '%s' at\n", bbpf_map_name(map->m));
			return bbpf_compat_err(-EINVAL);
		}
		if (map->pinned) {
			pr_warn("map '%s' already pinned\n", bbpf_map_name(map->m));
			return bbpf_compat_err(-EEXIST);
		}
	}
	if (bbpf_map_fd(map->m) < 0) {
		pr_warn("map '%s': can't pin BPF map without FD (was it created?)\n",
			bbpf_map_name(map->m));
		return bbpf_compat_err(-EINVAL);
	}
	err = bbpf_map_pin(map->m, map->pin_path ? map->pin_path : path);
	if (err) {
		pr_warn("map '%s': failed to pin at '%s': %s\n", bbpf_map_name(map->m),
			map->pin_path ? map->pin_path : path, strerror(-err));
		return bbpf_compat_err(err);
	}
	if (!map->pin_path && !(map->pin_path = bbpf_compat_sys_strdup(path)))
		return bbpf_compat_err(-ENOMEM);
	map->pinned = true;
	return 0;
}

int bpf_map__unpin(struct bpf_map *map, const char *path)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	long err;

	if (!map)
		return bbpf_compat_err(-EINVAL);
	if (map->pin_path) {
		if (path && strcmp(path, map->pin_path)) {
			pr_warn("map '%s' already has pin path '%s' different from '%s'\n",
				bbpf_map_name(map->m), map->pin_path, path);
			return bbpf_compat_err(-EINVAL);
		}
		path = map->pin_path;
	} else if (!path) {
		pr_warn("no path to unpin map '%s' from\n", bbpf_map_name(map->m));
		return bbpf_compat_err(-EINVAL);
	}
	err = sys->unlink(sys->ctx, path);
	if (err)
		return bbpf_compat_err((int)err);
	map->pinned = false;
	return 0;
}

int bpf_map__set_inner_map_fd(struct bpf_map *map, int fd)
{
	SET(map, bbpf_map_set_inner_map_fd(map->m, fd));
}

/*
 * libbpf hands out the inner-map template as a map; barebpf keeps it
 * inside the outer map's definition and has no handle for it (NULL).
 */
struct bpf_map *bpf_map__inner_map(struct bpf_map *map)
{
	(void)map;
	return bbpf_compat_errp(-EOPNOTSUPP);
}

/* ---- element operations ---- */

int bpf_map__lookup_elem(const struct bpf_map *map, const void *key, size_t key_sz, void *value,
			 size_t value_sz, __u64 flags)
{
	if (!map)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_map_lookup_elem(map->m, key, key_sz, value, value_sz, flags));
}

int bpf_map__update_elem(const struct bpf_map *map, const void *key, size_t key_sz,
			 const void *value, size_t value_sz, __u64 flags)
{
	if (!map)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_map_update_elem(map->m, key, key_sz, value, value_sz, flags));
}

int bpf_map__delete_elem(const struct bpf_map *map, const void *key, size_t key_sz, __u64 flags)
{
	if (!map)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_map_delete_elem(map->m, key, key_sz, flags));
}

static bool is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* The value size bpf_map__lookup_elem() accepts (libbpf's per-CPU layout). */
static bool value_size_ok(const struct bpf_map *map, size_t size)
{
	size_t vs = bbpf_map_value_size(map->m);
	int cpus;

	if (!is_percpu(bbpf_map_type(map->m)))
		return size == vs;
	cpus = map->obj->ctx ? bbpf_ctx_possible_cpus(map->obj->ctx) : -EINVAL;
	return cpus > 0 && size == (vs + 7) / 8 * 8 * (size_t)cpus;
}

int bpf_map__lookup_and_delete_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    void *value, size_t value_sz, __u64 flags)
{
	int fd;

	if (!map || key_sz != bbpf_map_key_size(map->m))
		return bbpf_compat_err(-EINVAL);
	fd = bbpf_map_fd(map->m);
	if (fd < 0)
		return bbpf_compat_err(-EINVAL);
	if (!value_size_ok(map, value_sz)) {
		pr_warn("map '%s': unexpected value size %zu provided\n", bbpf_map_name(map->m),
			value_sz);
		return bbpf_compat_err(-EINVAL);
	}
	return bpf_map_lookup_and_delete_elem_flags(fd, key, value, flags);
}

int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key, void *next_key,
			  size_t key_sz)
{
	if (!map)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_map_get_next_key(map->m, cur_key, next_key, key_sz));
}
