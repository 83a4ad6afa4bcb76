/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_object_load: BTF → externs → maps (reuse/pins, creation fixups,
 * global data filled, frozen and mapped, map-in-map slots) → programs
 * (relocated, attach BTF ids, verifier log) → prog-array slots. Any failure
 * rolls everything back; see loader.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "kern.h"
#include "load_int.h"
#include "../relo/relo.h"
#include "../base/fmt.h"

struct bbpf_ctx *bbpf_obj_ctx(const struct bbpf_object *obj)
{
	const struct bbpf_obj_kern *k = obj->kern;

	return k ? k->ctx : NULL;
}

const struct bbpf_log *bbpf_obj_klog(const struct bbpf_object *obj)
{
	const struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);

	return ctx && ctx->log.fn ? &ctx->log : &obj->log;
}

/* ---- teardown ---- */

static void close_fd(struct bbpf_ctx *ctx, int *fd)
{
	if (*fd >= 0)
		ctx->sys.close(ctx->sys.ctx, *fd);
	*fd = -1;
}

/* Release every kernel resource of the object; pins made by a failed load go too. */
static void release(struct bbpf_object *obj, bool failed)
{
	struct bbpf_obj_kern *k = obj->kern;
	struct bbpf_ctx *ctx = k->ctx;
	uint32_t i;

	bbpf_attach_release(obj);
	for (i = 0; i < obj->prog_cnt + obj->subprog_cnt; i++)
		close_fd(ctx, &obj->progs[i].fd);
	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_map *m = &obj->maps[i];

		if (m->mmaped)
			ctx->sys.munmap(ctx->sys.ctx, m->mmaped, m->mmap_len);
		m->mmaped = NULL;
		if (failed && m->pinned_here && m->pin_path)
			ctx->sys.unlink(ctx->sys.ctx, m->pin_path);
		m->pinned_here = false;
		close_fd(ctx, &m->fd);
	}
	close_fd(ctx, &k->btf_fd);
}

static void unload(struct bbpf_object *obj)
{
	struct bbpf_obj_kern *k = obj->kern;

	release(obj, false);
	if (k->own_ctx)
		bbpf_ctx_free(k->ctx);
	obj->kern = NULL;
	obj->unload = NULL;
}

/* ---- maps ---- */

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

static void fill_map_attr(const struct bbpf_map *m, union bpf_attr *a, bool with_name)
{
	memset(a, 0, sizeof(*a));
	a->map_type = m->type;
	a->key_size = m->key_size;
	a->value_size = m->value_size;
	a->max_entries = m->max_entries;
	a->map_flags = m->map_flags;
	a->numa_node = m->numa_node;
	a->map_extra = m->map_extra;
	if (with_name)
		bbpf_snprintf(a->map_name, sizeof(a->map_name), "%s", m->name);
}

static int create_one(struct bbpf_object *obj, struct bbpf_map *m, int btf_fd, int inner_fd)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	union bpf_attr a;
	int fd, err;

	fill_map_attr(m, &a, ctx->feat.prog_name);
	err = fixup_def(ctx, m, &a);
	if (err)
		return err;
	a.inner_map_fd = inner_fd >= 0 ? (uint32_t)inner_fd : 0;
	if (btf_fd >= 0 && map_takes_btf(m->type) && (m->btf_key_type_id || m->btf_value_type_id)) {
		a.btf_fd = (uint32_t)btf_fd;
		a.btf_key_type_id = m->btf_key_type_id;
		a.btf_value_type_id = m->btf_value_type_id;
	}
	fd = bbpf_cmd_map_create(&ctx->sys, &a);
	if (fd < 0 && a.btf_fd) {
		/* libbpf retries without BTF: some map types reject it. */
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_INFO,
			 "%s: map '%s': creation with BTF failed (%d); retrying without BTF",
			 obj->name, m->name, fd);
		a.btf_fd = a.btf_key_type_id = a.btf_value_type_id = 0;
		fd = bbpf_cmd_map_create(&ctx->sys, &a);
	}
	if (fd < 0)
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN, "%s: map '%s': creation failed: %s",
			 obj->name, m->name, bbpf_err_name(fd));
	return fd;
}

/* The inner-map template (or legacy inner map) a map-in-map needs, as an fd. */
static int inner_fd_for(struct bbpf_object *obj, struct bbpf_map *m, int btf_fd, bool *temp)
{
	*temp = false;
	if (m->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && m->type != BPF_MAP_TYPE_HASH_OF_MAPS)
		return -1;
	if (m->inner_map_fd >= 0)
		return m->inner_map_fd;
	if (m->kind == BBPF_MAP_LEGACY && m->legacy_inner_idx < obj->map_cnt) {
		int fd = obj->maps[m->legacy_inner_idx].fd;

		if (fd < 0)
			bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
				 "%s: map '%s': inner map '%s' must come first", obj->name, m->name,
				 obj->maps[m->legacy_inner_idx].name);
		return fd < 0 ? -EINVAL : fd;
	}
	if (!m->inner) {
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN, "%s: map '%s': map-in-map without an inner map",
			 obj->name, m->name);
		return -EINVAL;
	}
	*temp = true;
	return create_one(obj, m->inner, btf_fd, -1);
}

static int populate_internal(struct bbpf_object *obj, struct bbpf_map *m)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	const uint32_t zero = 0;
	bool ro = m->kind == BBPF_MAP_RODATA || m->kind == BBPF_MAP_KCONFIG;
	size_t len;
	int err;

	err = bbpf_cmd_map_update(&ctx->sys, m->fd, &zero, m->data, 0);
	if (!err && ro)
		err = bbpf_cmd_map_freeze(&ctx->sys, m->fd);
	if (err) {
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN, "%s: map '%s': filling initial value failed: %s",
			 obj->name, m->name, bbpf_err_name(err));
		return err;
	}
	if (!(m->map_flags & BPF_F_MMAPABLE))
		return 0;
	len = ((size_t)m->value_size + 7) / 8 * 8;
	len = (len + ctx->page_size - 1) / ctx->page_size * ctx->page_size;
	err = (int)ctx->sys.mmap(ctx->sys.ctx, NULL, len, ro ? PROT_READ : PROT_READ | PROT_WRITE,
				 MAP_SHARED, m->fd, 0, &m->mmaped);
	if (err) {
		m->mmaped = NULL;
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN, "%s: map '%s': mmap failed: %s", obj->name,
			 m->name, bbpf_err_name(err));
		return err;
	}
	m->mmap_len = len;
	return 0;
}

static int create_map(struct bbpf_object *obj, struct bbpf_map *m, int btf_fd)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	bool temp;
	int inner, fd, err;

	if (m->reuse_fd >= 0) {
		fd = (int)ctx->sys.dup(ctx->sys.ctx, m->reuse_fd);
		if (fd < 0)
			return fd;
		m->fd = fd;
		return bbpf_map_check_compat(obj, m, fd);
	}
	err = bbpf_map_reuse_pinned(obj, m);
	if (err || m->fd >= 0)
		return err;
	inner = inner_fd_for(obj, m, btf_fd, &temp);
	if (inner < 0 && inner != -1)
		return inner;
	fd = create_one(obj, m, btf_fd, inner);
	if (temp)
		ctx->sys.close(ctx->sys.ctx, inner);	/* the kernel keeps what it needs */
	if (fd < 0)
		return fd;
	m->fd = fd;
	if (bbpf_map_is_internal(m)) {
		err = populate_internal(obj, m);
		if (err)
			return err;
	}
	return bbpf_map_pin_new(obj, m);
}

static int set_slots(struct bbpf_object *obj, bool progs)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	uint32_t i, j;
	int err;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_map *m = &obj->maps[i];

		if (m->fd < 0 || (m->type == BPF_MAP_TYPE_PROG_ARRAY) != progs)
			continue;
		for (j = 0; j < m->slot_cnt; j++) {
			const struct bbpf_init_slot *s = &m->slots[j];
			int target = -1;

			if (s->is_prog) {
				const struct bbpf_program *p = bbpf_object_find_program(obj, s->target);

				target = p ? p->fd : -1;
			} else {
				const struct bbpf_map *t = bbpf_object_find_map(obj, s->target);

				target = t ? t->fd : -1;
			}
			if (target < 0)
				continue;	/* not loaded/created: slot stays empty, as in libbpf */
			err = bbpf_cmd_map_update(&ctx->sys, m->fd, &s->slot, &target, 0);
			if (err) {
				bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
					 "%s: map '%s': setting slot %u to '%s' failed: %s", obj->name,
					 m->name, s->slot, s->target, bbpf_err_name(err));
				return err;
			}
		}
	}
	return 0;
}

static int create_maps(struct bbpf_object *obj, int btf_fd)
{
	uint32_t i;
	int err;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_map *m = &obj->maps[i];

		if (!m->autocreate)
			continue;
		err = create_map(obj, m, btf_fd);
		if (err)
			return err;
	}
	return set_slots(obj, false);
}

/* ---- CO-RE ---- */

static bool has_core_relos(const struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt + obj->subprog_cnt; i++)
		if (obj->progs[i].core_relo.cnt && (obj->progs[i].is_subprog || obj->progs[i].autoload))
			return true;
	return false;
}

int bbpf_core_prepare(struct bbpf_object *obj, enum bbpf_core_mode mode)
{
	struct bbpf_obj_kern *k = obj->kern;
	struct bbpf_core_cache *cache;
	struct bbpf_diag diag = { 0 };
	int err;

	if (!has_core_relos(obj))
		return 0;
	if (mode == BBPF_CORE_AUTO)
		mode = k->ctx->feat.kern_core && !k->ctx->btf_path ? BBPF_CORE_KERNEL : BBPF_CORE_USER;
	if (mode == BBPF_CORE_KERNEL) {
		if (!k->ctx->feat.kern_core) {
			bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
				 "%s: kernel-side CO-RE asked for, but this kernel does not take CO-RE records (5.17+)",
				 obj->name);
			return -EOPNOTSUPP;
		}
		return 0;
	}
	err = bbpf_ctx_core_cache(k->ctx, &cache);
	if (err)
		return err;
	k->core = bbpf_arena_zalloc(&obj->arena, sizeof(*k->core));
	if (!k->core)
		return -ENOMEM;
	err = bbpf_core_resolve(k->core, obj, cache, &obj->arena, &diag);
	/*
	 * The engine logs what it finds wrong in the object; a damaged target
	 * BTF (walked lazily, during the candidate search) is said here.
	 */
	if (err && diag.why != BBPF_BAD_NONE)
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
			 "%s: CO-RE relocation failed: %s (%s, offset 0x%llx) [target: %s]",
			 obj->name, bbpf_err_name(err), bbpf_bad_str(diag.why),
			 (unsigned long long)diag.off,
			 k->ctx->btf_path ? k->ctx->btf_path : "/sys/kernel/btf/vmlinux");
	return err;
}

/* ---- load ---- */

static int load_programs(struct bbpf_object *obj, const struct bbpf_load_opts *opts)
{
	struct bbpf_obj_kern *k = obj->kern;
	uint32_t i;
	int err;

	for (i = 0; i < obj->prog_cnt; i++) {
		struct bbpf_program *p = &obj->progs[i];

		if (!p->autoload)
			continue;
		err = bbpf_prog_load_one(obj, p, k->ext_vals, k->btf_fd, opts ? opts->log_level : 0);
		if (err)
			return err;
	}
	return 0;
}

static int setup_kern(struct bbpf_object *obj, const struct bbpf_load_opts *opts)
{
	struct bbpf_obj_kern *k = bbpf_arena_zalloc(&obj->arena, sizeof(*k));
	int err;

	if (!k)
		return -ENOMEM;
	k->btf_fd = -1;
	if (opts && opts->ctx) {
		k->ctx = opts->ctx;
	} else {
		struct bbpf_ctx_opts co = { .log = obj->log.fn, .log_ctx = obj->log.ctx,
					    .alloc = &obj->arena.alloc };

		err = bbpf_ctx_new(&k->ctx, &co);
		if (err)
			return err;
		k->own_ctx = true;
	}
	obj->kern = k;
	obj->unload = unload;
	return 0;
}

int bbpf_object_load(struct bbpf_object *obj, const struct bbpf_load_opts *opts)
{
	struct bbpf_obj_kern *k;
	struct bbpf_arena scratch;
	int err;

	if (!obj || obj->state != BBPF_OBJ_OPENED || obj->kern)
		return -EINVAL;
	if (obj->elf.swap) {
		bbpf_log(&obj->log, BBPF_LOG_WARN,
			 "%s: the object is %s-endian and this host is not; it can be inspected, not loaded",
			 obj->name, obj->elf.big_endian ? "big" : "little");
		return -ENOTSUP;
	}
	err = setup_kern(obj, opts);
	if (err)
		return err;
	k = obj->kern;
	err = bbpf_ctx_prepare(k->ctx);
	if (err)
		goto fail;
	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 30);
	err = bbpf_btf_load_object(k->ctx, obj, &scratch, &k->btf_fd);
	bbpf_arena_free(&scratch);
	err = err ?: bbpf_core_prepare(obj, opts ? opts->core_mode : BBPF_CORE_AUTO);
	err = err ?: bbpf_resolve_externs(obj);
	err = err ?: create_maps(obj, k->btf_fd);
	err = err ?: load_programs(obj, opts);
	err = err ?: set_slots(obj, true);
	if (err)
		goto fail;
	obj->state = BBPF_OBJ_LOADED;
	return 0;
fail:
	release(obj, true);
	obj->state = BBPF_OBJ_FAILED;
	return err;
}

int bbpf_program_fd(const struct bbpf_program *prog)
{
	return prog ? prog->fd : -1;
}

int bbpf_map_fd(const struct bbpf_map *map)
{
	return map ? map->fd : -1;
}

void *bbpf_map_mmaped(const struct bbpf_map *map, size_t *size)
{
	if (!map || !map->mmaped)
		return NULL;
	if (size)
		*size = map->value_size;
	return map->mmaped;
}
