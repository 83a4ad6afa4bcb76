/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Global data: .data, .rodata, .bss and their ".name" variants become
 * single-entry array maps holding the section's initial bytes, named as
 * libbpf names them so existing tools recognize them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"
#include "../base/fmt.h"

static bool has_sec_prefix_n(const char *name, const char *pfx, size_t n)
{
	size_t i;

	/* pfx has no NUL in its n bytes: the compare stops at name's end. */
	for (i = 0; i < n; i++)
		if (name[i] != pfx[i])
			return false;
	return name[n] == '\0' || name[n] == '.';
}
#define has_sec_prefix(name, lit) has_sec_prefix_n((name), lit, sizeof(lit) - 1)

/* The kind of global data a section holds, or -1. */
static int data_kind(const struct bbpf_elf_shdr *sh)
{
	if (sh->size == 0)
		return -1;
	if (sh->type == SHT_PROGBITS && !(sh->flags & SHF_EXECINSTR)) {
		if (has_sec_prefix(sh->name, ".data"))
			return BBPF_MAP_DATA;
		if (has_sec_prefix(sh->name, ".rodata"))
			return BBPF_MAP_RODATA;
	}
	if (sh->type == SHT_NOBITS && has_sec_prefix(sh->name, ".bss"))
		return BBPF_MAP_BSS;
	return -1;
}

static bool has_dot(const char *s)
{
	for (; *s; s++)
		if (*s == '.')
			return true;
	return false;
}

void bbpf_obj_internal_map_name(const char *obj_name, const char *real_name,
				char out[BBPF_OBJ_NAME_LEN])
{
	size_t sfx_len = strlen(real_name), pfx_len, i, n;

	/*
	 * libbpf's rule: reserve at least 7 characters for the section name and
	 * fill the rest of the 15 with the object name's start; a section name
	 * with a second dot (".rodata.str1.1", ".data.foo") is used alone.
	 */
	if (sfx_len < 7)
		sfx_len = 7;
	if (sfx_len > BBPF_OBJ_NAME_LEN - 1)
		sfx_len = BBPF_OBJ_NAME_LEN - 1;
	if (real_name[0] && has_dot(real_name + 1))
		pfx_len = 0;
	else
		pfx_len = strnlen(obj_name, BBPF_OBJ_NAME_LEN - sfx_len - 1);
	/* "%.*s%.*s" of obj_name and real_name, by hand: pfx_len + n <= 15 */
	for (n = 0; n < sfx_len && real_name[n]; n++)
		;
	memcpy(out, obj_name, pfx_len);
	memcpy(out + pfx_len, real_name, n);
	out[pfx_len + n] = '\0';
	for (i = 0; out[i]; i++) {
		char c = out[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.'))
			out[i] = '_';
	}
}

/*
 * libbpf makes an internal map mmapable only if its DATASEC has a
 * non-static variable (one a skeleton would expose).
 */
static bool datasec_has_global_var(const struct bbpf_object *obj, uint32_t datasec)
{
	const struct btf_type *t = bbpf_btf_type(obj->btf, datasec);
	const struct btf_var_secinfo *vsi;
	uint32_t i;

	if (!t || bbpf_btf_kind(t) != BTF_KIND_DATASEC)
		return false;
	vsi = bbpf_btf_secinfos(t);
	for (i = 0; i < bbpf_btf_vlen(t); i++) {
		const struct btf_type *v = bbpf_btf_type(obj->btf, vsi[i].type);

		if (v && bbpf_btf_kind(v) == BTF_KIND_VAR &&
		    bbpf_btf_var(v)->linkage != BTF_VAR_STATIC)
			return true;
	}
	return false;
}

struct bbpf_map *bbpf_obj_add_internal_map(struct bbpf_object *obj, struct bbpf_map *m,
					   enum bbpf_map_kind kind, const char *real_name,
					   uint32_t sec_idx, uint32_t size)
{
	char name[BBPF_OBJ_NAME_LEN];

	bbpf_obj_internal_map_name(obj->name, real_name, name);
	bbpf_obj_map_init(obj, m);
	m->name = bbpf_arena_strdup(&obj->arena, name);
	m->real_name = real_name;
	m->kind = kind;
	m->sec_idx = sec_idx;
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = sizeof(uint32_t);
	m->value_size = size;
	m->max_entries = 1;
	m->data = bbpf_arena_zalloc(&obj->arena, size);
	if (!m->name || !m->data)
		return NULL;
	if (kind == BBPF_MAP_RODATA || kind == BBPF_MAP_KCONFIG)
		m->map_flags = BPF_F_RDONLY_PROG;
	m->btf_value_type_id = bbpf_obj_find_datasec(obj, real_name);
	m->btf_var_id = m->btf_value_type_id;
	if (m->btf_value_type_id && datasec_has_global_var(obj, m->btf_value_type_id))
		m->map_flags |= BPF_F_MMAPABLE;
	return m;
}

void bbpf_obj_map_init(struct bbpf_object *obj, struct bbpf_map *m)
{
	m->obj = obj;
	m->autocreate = true;
	m->reuse_fd = -1;
	m->inner_map_fd = -1;
	m->legacy_inner_idx = UINT32_MAX;
}

int bbpf_obj_grow_maps(struct bbpf_object *obj, uint32_t n, struct bbpf_diag *diag)
{
	struct bbpf_map *maps;
	uint32_t first = obj->map_cnt;

	if (n > BBPF_MAX_MAPS || obj->map_cnt > BBPF_MAX_MAPS - n)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_LIMIT, BBPF_DIAG_NO_SEC, 0, 0,
				     "more than %u maps", BBPF_MAX_MAPS);
	/* Maps are few and nothing holds pointers to them during the open
	 * phase (inner templates are separate), so copying is fine. */
	maps = bbpf_arena_calloc(&obj->arena, (size_t)obj->map_cnt + n, sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	if (obj->map_cnt)
		memcpy(maps, obj->maps, obj->map_cnt * sizeof(*maps));
	obj->maps = maps;
	obj->map_cnt += n;
	return (int)first;
}

int bbpf_obj_collect_data(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t i, n = 0, first, end = 0;

	for (i = 1; i < obj->elf.shnum; i++) {
		const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[i];

		if (data_kind(sh) < 0)
			continue;
		if (sh->size > UINT32_MAX)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_DATA, i, sh->off, 0,
					     "global data section larger than 4 GiB");
		n++;
		end = i + 1;
	}
	if (!n)
		return 0;
	first = bbpf_obj_grow_maps(obj, n, diag);
	if ((int)first < 0)
		return (int)first;
	for (i = 1, n = first; i < end; i++) {
		const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[i];
		int kind = data_kind(sh);
		struct bbpf_map *m;
		const uint8_t *p;

		if (kind < 0)
			continue;
		m = bbpf_obj_add_internal_map(obj, &obj->maps[n++], kind, sh->name, i,
					      (uint32_t)sh->size);
		if (!m)
			return -ENOMEM;
		p = bbpf_elf_sec_data(&obj->elf, i);
		if (p && kind != BBPF_MAP_BSS)
			memcpy(m->data, p, sh->size);
	}
	return 0;
}
