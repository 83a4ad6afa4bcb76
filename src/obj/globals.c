/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_object_find_global: where a global variable lives in the object's
 * global data maps (.data, .rodata, .bss and their ".name" variants), so a
 * caller can set it before load through bbpf_map_initial_value() or read it
 * after load through bbpf_map_mmaped().
 *
 * The variable is looked up as a VAR of the section's DATASEC; clang may
 * leave VAR offsets at 0 in an unlinked object, so the offset comes from the
 * ELF symbol when there is one (as libbpf's BTF fixup does). An object
 * without BTF is served from the symbol table alone.
 */
#include <errno.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"

static bool is_data_map(const struct bbpf_map *m)
{
	return m->kind == BBPF_MAP_DATA || m->kind == BBPF_MAP_RODATA || m->kind == BBPF_MAP_BSS;
}

/*
 * The VAR called name in the map's DATASEC: 0 and *off, *size; or -ENOENT
 * (also when its size is 0 and cannot be resolved).
 */
static int find_in_datasec(const struct bbpf_object *obj, const struct bbpf_map *m,
			   const char *name, uint64_t *off, uint64_t *size)
{
	const struct btf_type *ds, *v;
	const struct btf_var_secinfo *vsi;
	uint32_t i;
	int64_t sz;

	if (!obj->btf || !m->btf_value_type_id)
		return -ENOENT;
	ds = bbpf_btf_type(obj->btf, m->btf_value_type_id);
	if (!ds || bbpf_btf_kind(ds) != BTF_KIND_DATASEC)
		return -ENOENT;
	vsi = bbpf_btf_secinfos(ds);
	for (i = 0; i < bbpf_btf_vlen(ds); i++) {
		v = bbpf_btf_type(obj->btf, vsi[i].type);
		if (!v || bbpf_btf_kind(v) != BTF_KIND_VAR ||
		    strcmp(bbpf_btf_name(obj->btf, vsi[i].type), name))
			continue;
		*off = vsi[i].offset;
		*size = vsi[i].size;
		if (!*size) {
			sz = bbpf_btf_resolve_size(obj->btf, v->type);
			if (sz <= 0)
				return -ENOENT;
			*size = (uint64_t)sz;
		}
		return 0;
	}
	return -ENOENT;
}

int bbpf_object_find_global(const struct bbpf_object *obj, const char *name,
			    struct bbpf_map **map, size_t *off, size_t *size)
{
	struct bbpf_elf_sym sym;
	uint64_t o = 0, s;
	uint32_t i;

	if (!obj || !name || !*name)
		return -EINVAL;
	for (i = 0; i < obj->map_cnt; i++) {
		struct bbpf_map *m = &obj->maps[i];
		bool has_sym;	/* a data symbol called name in the map's section */

		if (!is_data_map(m))
			continue;
		has_sym = !bbpf_obj_find_sym(obj, m->sec_idx, name, &sym, NULL) &&
			  sym.type == STT_OBJECT;
		/* A VAR's offset comes from its symbol; without a VAR, the symbol alone. */
		if (find_in_datasec(obj, m, name, &o, &s)) {
			if (!has_sym || !sym.size)
				continue;
			s = sym.size;
		}
		if (has_sym)
			o = sym.value;
		/* Hostile offsets: the variable must lie inside the map's value. */
		if (s > m->value_size || o > m->value_size - s)
			return -EBADMSG;
		if (map)
			*map = m;
		if (off)
			*off = (size_t)o;
		if (size)
			*size = (size_t)s;
		return 0;
	}
	return -ENOENT;
}
