/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Element operations on loaded maps, with sizes checked against the map.
 * Per-CPU maps take libbpf's layout: one value per possible CPU, each
 * padded to 8 bytes.
 */
#include <errno.h>
#include "load.h"

static bool is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* Bytes a value buffer must have for this map, or a negative errno. */
static long value_bytes(const struct bbpf_map *m)
{
	int cpus;

	if (!is_percpu(m->type))
		return m->value_size;
	cpus = bbpf_sys_possible_cpus(bbpf_inst_of(m->obj)->ctx);
	if (cpus < 0)
		return cpus;
	return (long)(((m->value_size + 7ul) & ~7ul) * (unsigned long)cpus);
}

static const struct bbpf_sys *map_sys(const struct bbpf_map *m)
{
	return &bbpf_inst_of(m->obj)->ctx->sys;
}

static int check(const struct bbpf_map *m, size_t key_size, const void *value, size_t value_size)
{
	long want;

	if (!m || bbpf_map_fd(m) < 0 || key_size != m->key_size)
		return -EINVAL;
	if (!value)
		return 0;
	want = value_bytes(m);
	if (want < 0)
		return (int)want;
	return (size_t)want == value_size ? 0 : -EINVAL;
}

int bbpf_map_lookup_elem(const struct bbpf_map *map, const void *key, size_t key_size,
			 void *value, size_t value_size, uint64_t flags)
{
	int err = check(map, key_size, value ? value : (void *)1, value_size);

	return err ?: bbpf_cmd_map_lookup(map_sys(map), bbpf_map_fd(map), key, value, flags);
}

int bbpf_map_update_elem(const struct bbpf_map *map, const void *key, size_t key_size,
			 const void *value, size_t value_size, uint64_t flags)
{
	int err = check(map, key_size, value ? value : (void *)1, value_size);

	return err ?: bbpf_cmd_map_update(map_sys(map), bbpf_map_fd(map), key, value, flags);
}

int bbpf_map_delete_elem(const struct bbpf_map *map, const void *key, size_t key_size,
			 uint64_t flags)
{
	int err = check(map, key_size, NULL, 0);

	return err ?: bbpf_cmd_map_delete(map_sys(map), bbpf_map_fd(map), key, flags);
}

int bbpf_map_get_next_key(const struct bbpf_map *map, const void *key, void *next_key,
			  size_t key_size)
{
	int err = check(map, key_size, NULL, 0);

	return err ?: bbpf_cmd_map_next_key(map_sys(map), bbpf_map_fd(map), key, next_key);
}

static int batch(const struct bbpf_map *map, int cmd, void *in, void *out, void *keys,
		 void *values, uint32_t *count, uint64_t flags)
{
	if (!map || bbpf_map_fd(map) < 0 || !count)
		return -EINVAL;
	return bbpf_cmd_map_batch(map_sys(map), cmd, bbpf_map_fd(map), in, out, keys, values, count, flags, 0);
}

int bbpf_map_lookup_batch(const struct bbpf_map *map, void *in_batch, void *out_batch,
			  void *keys, void *values, uint32_t *count, uint64_t flags)
{
	return batch(map, BPF_MAP_LOOKUP_BATCH, in_batch, out_batch, keys, values, count, flags);
}

int bbpf_map_lookup_and_delete_batch(const struct bbpf_map *map, void *in_batch,
				     void *out_batch, void *keys, void *values, uint32_t *count,
				     uint64_t flags)
{
	return batch(map, BPF_MAP_LOOKUP_AND_DELETE_BATCH, in_batch, out_batch, keys, values, count,
		     flags);
}

int bbpf_map_delete_batch(const struct bbpf_map *map, const void *keys, uint32_t *count,
			  uint64_t flags)
{
	return batch(map, BPF_MAP_DELETE_BATCH, NULL, NULL, (void *)keys, NULL, count, flags);
}
