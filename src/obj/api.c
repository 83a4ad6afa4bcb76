/* SPDX-License-Identifier: BSD-2-Clause */
/* Getters and pre-load setters of include/barebpf/object.h (see there). */
#include <errno.h>
#include <string.h>
#include "object_int.h"

const char *bbpf_object_name(const struct bbpf_object *obj)
{
	return obj ? obj->name : NULL;
}

const char *bbpf_object_license(const struct bbpf_object *obj)
{
	return obj ? obj->license : NULL;
}

uint32_t bbpf_object_kern_version(const struct bbpf_object *obj)
{
	return obj ? obj->kern_version : 0;
}

bool bbpf_object_is_foreign_endian(const struct bbpf_object *obj)
{
	return obj && obj->elf.swap;
}

size_t bbpf_object_program_cnt(const struct bbpf_object *obj)
{
	return obj ? obj->prog_cnt : 0;
}

struct bbpf_program *bbpf_object_program(const struct bbpf_object *obj, size_t idx)
{
	return obj && idx < obj->prog_cnt ? &obj->progs[idx] : NULL;
}

struct bbpf_program *bbpf_object_find_program(const struct bbpf_object *obj, const char *name)
{
	uint32_t i;

	if (!obj || !name)
		return NULL;
	for (i = 0; i < obj->prog_cnt; i++)
		if (!strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return NULL;
}

size_t bbpf_object_subprog_cnt(const struct bbpf_object *obj)
{
	return obj ? obj->subprog_cnt : 0;
}

size_t bbpf_object_map_cnt(const struct bbpf_object *obj)
{
	return obj ? obj->map_cnt : 0;
}

struct bbpf_map *bbpf_object_map(const struct bbpf_object *obj, size_t idx)
{
	return obj && idx < obj->map_cnt ? &obj->maps[idx] : NULL;
}

struct bbpf_map *bbpf_object_find_map(const struct bbpf_object *obj, const char *name)
{
	uint32_t i;

	if (!obj || !name)
		return NULL;
	/* Like libbpf: the kernel-visible name or, for internal maps, the section name. */
	for (i = 0; i < obj->map_cnt; i++)
		if (!strcmp(obj->maps[i].name, name) || !strcmp(obj->maps[i].real_name, name))
			return &obj->maps[i];
	return NULL;
}

size_t bbpf_object_extern_cnt(const struct bbpf_object *obj)
{
	return obj ? obj->extern_cnt : 0;
}

struct bbpf_extern *bbpf_object_extern(const struct bbpf_object *obj, size_t idx)
{
	return obj && idx < obj->extern_cnt ? &obj->externs[idx] : NULL;
}

struct bbpf_extern *bbpf_object_find_extern(const struct bbpf_object *obj, const char *name)
{
	uint32_t i;

	if (!obj || !name)
		return NULL;
	for (i = 0; i < obj->extern_cnt; i++)
		if (!strcmp(obj->externs[i].name, name))
			return &obj->externs[i];
	return NULL;
}

int bbpf_object_btf_summary(const struct bbpf_object *obj, struct bbpf_btf_summary *out)
{
	struct bbpf_btf_summary s = { 0 };
	uint32_t id;

	if (!obj || !out)
		return -EINVAL;
	if (obj->btf) {
		s.has_btf = true;
		s.type_cnt = obj->btf->type_cnt - 1;
		s.str_len = obj->btf->str_len;
		for (id = 1; id < obj->btf->type_cnt; id++)
			s.kind_cnt[bbpf_btf_kind(bbpf_btf_type(obj->btf, id)) & 31]++;
	}
	if (obj->btf_ext) {
		s.has_btf_ext = true;
		s.func_info_cnt = obj->btf_ext->func_info.rec_cnt;
		s.line_info_cnt = obj->btf_ext->line_info.rec_cnt;
		s.core_relo_cnt = obj->btf_ext->core_relo.rec_cnt;
	}
	*out = s;
	return 0;
}

/* ---- programs ---- */

static bool prog_settable(const struct bbpf_program *p)
{
	return p && !p->obj->inst && !p->is_subprog;
}

const char *bbpf_program_name(const struct bbpf_program *p)
{
	return p ? p->name : NULL;
}

const char *bbpf_program_section(const struct bbpf_program *p)
{
	return p ? p->sec_name : NULL;
}

enum bpf_prog_type bbpf_program_type(const struct bbpf_program *p)
{
	return p ? p->type : BPF_PROG_TYPE_UNSPEC;
}

enum bpf_attach_type bbpf_program_expected_attach_type(const struct bbpf_program *p)
{
	return p ? p->expected_attach_type : 0;
}

const char *bbpf_program_attach_target(const struct bbpf_program *p)
{
	return p ? p->attach_target : NULL;
}

uint32_t bbpf_program_flags(const struct bbpf_program *p)
{
	return p ? p->prog_flags : 0;
}

size_t bbpf_program_insn_cnt(const struct bbpf_program *p)
{
	return p ? p->insn_cnt : 0;
}

const struct bpf_insn *bbpf_program_insns(const struct bbpf_program *p)
{
	return p ? p->insns : NULL;
}

size_t bbpf_program_section_insn_off(const struct bbpf_program *p)
{
	return p ? p->sec_insn_off : 0;
}

bool bbpf_program_autoload(const struct bbpf_program *p)
{
	return p && p->autoload;
}

int bbpf_program_set_autoload(struct bbpf_program *p, bool autoload)
{
	if (!prog_settable(p))
		return -EINVAL;
	p->autoload = autoload;
	return 0;
}

int bbpf_program_set_ifindex(struct bbpf_program *p, uint32_t ifindex)
{
	if (!prog_settable(p))
		return -EINVAL;
	p->ifindex = ifindex;
	return 0;
}

int bbpf_program_set_type(struct bbpf_program *p, enum bpf_prog_type type)
{
	if (!prog_settable(p))
		return -EINVAL;
	p->type = type;
	return 0;
}

int bbpf_program_set_expected_attach_type(struct bbpf_program *p, enum bpf_attach_type type)
{
	if (!prog_settable(p))
		return -EINVAL;
	p->expected_attach_type = type;
	return 0;
}

int bbpf_program_set_attach_target(struct bbpf_program *p, int attach_prog_fd,
				   const char *attach_func_name)
{
	const char *name = NULL;

	if (!prog_settable(p) || attach_prog_fd < 0 || (!attach_prog_fd && !attach_func_name))
		return -EINVAL;
	if (attach_func_name) {
		if (!attach_func_name[0])
			return -EINVAL;
		name = bbpf_arena_strdup(&p->obj->arena, attach_func_name);
		if (!name)
			return -ENOMEM;
	}
	p->attach_prog_fd = attach_prog_fd;
	p->attach_func_name = name;
	return 0;
}

void bbpf_program_relo_counts(const struct bbpf_program *p, struct bbpf_relo_counts *out)
{
	uint32_t i;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	for (i = 0; p && i < p->relo_cnt; i++)
		out->cnt[p->relos[i].kind]++;
}

/* ---- maps ---- */

static bool map_settable(const struct bbpf_map *m)
{
	return m && !m->obj->inst;
}

const char *bbpf_map_name(const struct bbpf_map *m)
{
	return m ? m->name : NULL;
}

enum bbpf_map_kind bbpf_map_kind(const struct bbpf_map *m)
{
	return m ? m->kind : BBPF_MAP_BTF;
}

bool bbpf_map_is_internal(const struct bbpf_map *m)
{
	return m && (m->kind == BBPF_MAP_DATA || m->kind == BBPF_MAP_RODATA ||
		     m->kind == BBPF_MAP_BSS || m->kind == BBPF_MAP_KCONFIG);
}

enum bpf_map_type bbpf_map_type(const struct bbpf_map *m)
{
	return m ? m->type : BPF_MAP_TYPE_UNSPEC;
}

uint32_t bbpf_map_key_size(const struct bbpf_map *m)
{
	return m ? m->key_size : 0;
}

uint32_t bbpf_map_value_size(const struct bbpf_map *m)
{
	return m ? m->value_size : 0;
}

uint32_t bbpf_map_max_entries(const struct bbpf_map *m)
{
	return m ? m->max_entries : 0;
}

uint32_t bbpf_map_flags(const struct bbpf_map *m)
{
	return m ? m->map_flags : 0;
}

uint32_t bbpf_map_numa_node(const struct bbpf_map *m)
{
	return m ? m->numa_node : 0;
}

uint64_t bbpf_map_extra(const struct bbpf_map *m)
{
	return m ? m->map_extra : 0;
}

enum bbpf_pinning bbpf_map_pinning(const struct bbpf_map *m)
{
	return m ? m->pinning : BBPF_PIN_NONE;
}

uint32_t bbpf_map_btf_key_type_id(const struct bbpf_map *m)
{
	return m ? m->btf_key_type_id : 0;
}

uint32_t bbpf_map_btf_value_type_id(const struct bbpf_map *m)
{
	return m ? m->btf_value_type_id : 0;
}

struct bbpf_map *bbpf_map_inner(const struct bbpf_map *m)
{
	if (!m)
		return NULL;
	if (m->kind == BBPF_MAP_LEGACY && m->legacy_inner_idx < m->obj->map_cnt)
		return &m->obj->maps[m->legacy_inner_idx];
	return m->inner;
}

bool bbpf_map_autocreate(const struct bbpf_map *m)
{
	return m && m->autocreate;
}

int bbpf_map_reused_fd(const struct bbpf_map *m)
{
	return m ? m->reuse_fd : -1;
}

void *bbpf_map_initial_value(struct bbpf_map *m, size_t *size)
{
	if (!m || !m->data)
		return NULL;
	if (size)
		*size = m->value_size;
	return m->data;
}

int bbpf_map_set_initial_value(struct bbpf_map *m, const void *data, size_t size)
{
	if (!map_settable(m) || !m->data || !data || size != m->value_size)
		return -EINVAL;
	memcpy(m->data, data, size);
	return 0;
}

size_t bbpf_map_init_slot_cnt(const struct bbpf_map *m)
{
	return m ? m->slot_cnt : 0;
}

int bbpf_map_init_slot(const struct bbpf_map *m, size_t i, uint32_t *slot, const char **target)
{
	if (!m || i >= m->slot_cnt)
		return -EINVAL;
	if (slot)
		*slot = m->slots[i].slot;
	if (target)
		*target = m->slots[i].target;
	return 0;
}

/* Internal maps' shape is fixed by their section; only flags may change. */
static int set_shape(struct bbpf_map *m, uint32_t *field, uint32_t v)
{
	if (!map_settable(m) || bbpf_map_is_internal(m))
		return -EINVAL;
	*field = v;
	return 0;
}

int bbpf_map_set_type(struct bbpf_map *m, enum bpf_map_type type)
{
	return m ? set_shape(m, (uint32_t *)&m->type, type) : -EINVAL;
}

int bbpf_map_set_key_size(struct bbpf_map *m, uint32_t size)
{
	if (!m)
		return -EINVAL;
	/* A changed size no longer matches the BTF key type. */
	if (m->btf_key_type_id && m->key_size != size && map_settable(m) && !bbpf_map_is_internal(m))
		m->btf_key_type_id = 0;
	return set_shape(m, &m->key_size, size);
}

int bbpf_map_set_value_size(struct bbpf_map *m, uint32_t size)
{
	if (!m)
		return -EINVAL;
	if (m->btf_value_type_id && m->value_size != size && map_settable(m) &&
	    !bbpf_map_is_internal(m))
		m->btf_value_type_id = 0;
	return set_shape(m, &m->value_size, size);
}

int bbpf_map_set_max_entries(struct bbpf_map *m, uint32_t max_entries)
{
	int err;

	if (!m)
		return -EINVAL;
	err = set_shape(m, &m->max_entries, max_entries);
	if (!err)
		m->defined_max_entries = true;
	return err;
}

int bbpf_map_set_flags(struct bbpf_map *m, uint32_t flags)
{
	if (!map_settable(m))
		return -EINVAL;
	m->map_flags = flags;
	return 0;
}

int bbpf_map_set_numa_node(struct bbpf_map *m, uint32_t node)
{
	if (!map_settable(m))
		return -EINVAL;
	m->numa_node = node;
	return 0;
}

int bbpf_map_set_ifindex(struct bbpf_map *m, uint32_t ifindex)
{
	if (!map_settable(m))
		return -EINVAL;
	m->ifindex = ifindex;
	return 0;
}

int bbpf_map_set_extra(struct bbpf_map *m, uint64_t extra)
{
	if (!map_settable(m))
		return -EINVAL;
	m->map_extra = extra;
	return 0;
}

int bbpf_map_set_autocreate(struct bbpf_map *m, bool autocreate)
{
	if (!map_settable(m))
		return -EINVAL;
	m->autocreate = autocreate;
	return 0;
}

int bbpf_map_set_pin_path(struct bbpf_map *m, const char *path)
{
	char *copy = NULL;

	if (!map_settable(m))
		return -EINVAL;
	if (path) {
		if (!*path || strlen(path) >= 4096)
			return -EINVAL;
		copy = bbpf_arena_strdup(&m->obj->arena, path);
		if (!copy)
			return -ENOMEM;
	}
	m->pin_path = copy;
	return 0;
}

int bbpf_map_reuse_fd(struct bbpf_map *m, int fd)
{
	if (!map_settable(m) || fd < 0)
		return -EINVAL;
	m->reuse_fd = fd;
	return 0;
}

int bbpf_map_set_inner_map_fd(struct bbpf_map *m, int fd)
{
	if (!map_settable(m) || fd < 0 ||
	    (m->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && m->type != BPF_MAP_TYPE_HASH_OF_MAPS))
		return -EINVAL;
	m->inner_map_fd = fd;
	return 0;
}

int bbpf_map_inner_map_fd(const struct bbpf_map *m)
{
	return m ? m->inner_map_fd : -1;
}

/* ---- externs ---- */

const char *bbpf_extern_name(const struct bbpf_extern *e)
{
	return e ? e->name : NULL;
}

enum bbpf_extern_kind bbpf_extern_kind(const struct bbpf_extern *e)
{
	return e ? e->kind : BBPF_EXTERN_KCONFIG;
}

bool bbpf_extern_is_weak(const struct bbpf_extern *e)
{
	return e && e->is_weak;
}

bool bbpf_extern_is_typed(const struct bbpf_extern *e)
{
	return e && e->kind == BBPF_EXTERN_KSYM && (e->is_func || e->type_id != 0);
}

bool bbpf_extern_is_func(const struct bbpf_extern *e)
{
	return e && e->is_func;
}

uint32_t bbpf_extern_btf_id(const struct bbpf_extern *e)
{
	return e ? e->btf_id : 0;
}

enum bbpf_kcfg_type bbpf_extern_kcfg_type(const struct bbpf_extern *e)
{
	return e ? e->kcfg_type : BBPF_KCFG_UNKNOWN;
}

uint32_t bbpf_extern_size(const struct bbpf_extern *e)
{
	return e ? e->size : 0;
}

bool bbpf_extern_is_signed(const struct bbpf_extern *e)
{
	return e && e->is_signed;
}

uint32_t bbpf_extern_data_off(const struct bbpf_extern *e)
{
	return e ? e->data_off : 0;
}

const struct bbpf_btf *bbpf_object_btf(const struct bbpf_object *obj)
{
	return obj ? obj->btf : NULL;
}
