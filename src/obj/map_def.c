/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Map definitions: BTF-defined maps in SEC(".maps") and samples/bpf's legacy
 * SEC("maps") records, plus the initial slots of prog arrays and
 * map-in-maps (relocations against .maps).
 *
 * A BTF map is a variable of an anonymous struct whose members encode the
 * attributes in their types (bpf_helpers.h):
 *   __uint(name, val)   int (*name)[val]     value = array nelems
 *   __type(name, T)     T *name              type = pointer target
 *   __array(name, T)    T *name[]            zero-length array of pointers
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"
#include "../base/cursor.h"
#include "../base/fmt.h"

struct map_ctx {
	struct bbpf_object *obj;
	struct bbpf_diag *diag;
	const char *map_name;
	uint64_t file_off;	/* of the definition, for messages */
	uint32_t var_id;
};

/* "map 'NAME': " + fmt with field, the prefix formatted here once. */
static int map_fail(struct map_ctx *c, const char *fmt, const char *field)
{
	char msg[256];

	bbpf_snprintf(msg, sizeof(msg), fmt, field);
	return bbpf_obj_fail(c->obj, c->diag, BBPF_BAD_OBJ_MAP, c->obj->maps_shndx, c->file_off,
			     c->var_id, "map '%s': %s", c->map_name, msg);
}

/* __uint(): pointer to an array whose element count is the value. */
static int field_uint(struct map_ctx *c, const struct btf_member *m, const char *name,
		      uint32_t *out)
{
	const struct bbpf_btf *btf = c->obj->btf;
	const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, m->type));
	const struct btf_type *a;

	if (!t || bbpf_btf_kind(t) != BTF_KIND_PTR)
		return map_fail(c, "field '%s' is not a pointer (use __uint)", name);
	a = bbpf_btf_type(btf, t->type);
	if (!a || bbpf_btf_kind(a) != BTF_KIND_ARRAY)
		return map_fail(c, "field '%s' does not point to an array (use __uint)",
				name);
	*out = bbpf_btf_array(a)->nelems;
	return 0;
}

/* __type(): pointer target's id and size. */
static int field_type(struct map_ctx *c, const struct btf_member *m, const char *name,
		      uint32_t *type_id, uint32_t *size)
{
	const struct bbpf_btf *btf = c->obj->btf;
	const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, m->type));
	int64_t sz;

	if (!t || bbpf_btf_kind(t) != BTF_KIND_PTR)
		return map_fail(c, "field '%s' is not a pointer (use __type)", name);
	sz = bbpf_btf_resolve_size(btf, t->type);
	if (sz < 0 || sz > UINT32_MAX)
		return map_fail(c, "cannot size the type of field '%s'", name);
	*type_id = t->type;
	*size = (uint32_t)sz;
	return 0;
}

static int set_size(struct map_ctx *c, uint32_t *dst, uint32_t val, const char *name)
{
	if (*dst && *dst != val)
		return map_fail(c, "conflicting sizes for '%s'", name);
	*dst = val;
	return 0;
}

struct values_info {
	uint32_t inner_struct;	/* STRUCT id of an inner map definition */
	bool is_prog;		/* array of function pointers */
	uint32_t byte_off;	/* of the values member */
	bool present;
};

/* __array(values, T): zero-length array of pointers to a map def or a function. */
static int field_values(struct map_ctx *c, const struct btf_type *st, const struct btf_member *m,
			bool is_inner, struct values_info *vi)
{
	const struct bbpf_btf *btf = c->obj->btf;
	const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, m->type));
	const struct btf_type *p, *target;
	uint32_t bit_off = bbpf_btf_member_bit_off(st, m);

	if (is_inner)
		return map_fail(c, "'%s' in an inner map: multi-level inner maps are not supported",
				"values");
	if (!t || bbpf_btf_kind(t) != BTF_KIND_ARRAY || bbpf_btf_array(t)->nelems)
		return map_fail(c, "'%s' must be a zero-length array (use __array)",
				"values");
	p = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, bbpf_btf_array(t)->type));
	if (!p || bbpf_btf_kind(p) != BTF_KIND_PTR)
		return map_fail(c, "'%s' must be an array of pointers", "values");
	target = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, p->type));
	if (target && bbpf_btf_kind(target) == BTF_KIND_STRUCT)
		vi->inner_struct = bbpf_btf_skip_mods(btf, p->type);
	else if (target && bbpf_btf_kind(target) == BTF_KIND_FUNC_PROTO)
		vi->is_prog = true;
	else
		return map_fail(c, "'%s' must point to a map definition or a function",
				"values");
	if (bit_off % 8)
		return map_fail(c, "'%s' is not byte aligned", "values");
	if (!vi->present)	/* the first 'values' member, as collect_slot() reads it */
		vi->byte_off = bit_off / 8;
	vi->present = true;
	return 0;
}

/* a == b; a plain loop (no libc call: one lazy binding fewer, and most
 * compares end at the first byte). */
static bool str_eq(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (!*a)
			return true;
	return false;
}

enum def_field {
	F_UNKNOWN, F_TYPE, F_MAX_ENTRIES, F_MAP_FLAGS, F_NUMA_NODE, F_MAP_EXTRA, F_KEY_SIZE,
	F_VALUE_SIZE, F_KEY, F_VALUE, F_VALUES, F_PINNING,
};

/* The field a member name names: dispatched on the first byte. */
static enum def_field def_field(const char *n)
{
	switch (n[0]) {
	case 't':
		return str_eq(n + 1, "ype") ? F_TYPE : F_UNKNOWN;
	case 'm':
		if (str_eq(n + 1, "ax_entries"))
			return F_MAX_ENTRIES;
		if (str_eq(n + 1, "ap_flags"))
			return F_MAP_FLAGS;
		return str_eq(n + 1, "ap_extra") ? F_MAP_EXTRA : F_UNKNOWN;
	case 'n':
		return str_eq(n + 1, "uma_node") ? F_NUMA_NODE : F_UNKNOWN;
	case 'k':
		if (n[1] != 'e' || n[2] != 'y')
			return F_UNKNOWN;
		if (!n[3])
			return F_KEY;
		return str_eq(n + 3, "_size") ? F_KEY_SIZE : F_UNKNOWN;
	case 'v':
		if (n[1] != 'a' || n[2] != 'l' || n[3] != 'u' || n[4] != 'e')
			return F_UNKNOWN;
		if (!n[5])
			return F_VALUE;
		if (n[5] == 's' && !n[6])
			return F_VALUES;
		return str_eq(n + 5, "_size") ? F_VALUE_SIZE : F_UNKNOWN;
	case 'p':
		return str_eq(n + 1, "inning") ? F_PINNING : F_UNKNOWN;
	}
	return F_UNKNOWN;
}

/* Fill m from the definition struct st_id. */
static int parse_def(struct map_ctx *c, uint32_t st_id, struct bbpf_map *m, bool is_inner,
		     struct values_info *vi)
{
	const struct bbpf_btf *btf = c->obj->btf;
	const struct btf_type *st = bbpf_btf_type(btf, st_id);
	const struct btf_member *mem;
	enum def_field f;
	uint32_t i, v = 0;
	int err = 0;

	if (!st || bbpf_btf_kind(st) != BTF_KIND_STRUCT)
		return map_fail(c, "definition is not a struct%s", "");
	mem = bbpf_btf_members(st);
	for (i = 0; i < bbpf_btf_vlen(st) && !err; i++) {
		const char *name = bbpf_btf_str(btf, mem[i].name_off);

		if (!name || !*name)
			return map_fail(c, "unnamed field%s", "");
		f = def_field(name);
		if (f == F_UNKNOWN)	/* libbpf 1.x rejects unknown fields in .maps, so do we. */
			return map_fail(c, "unknown field '%s'", name);
		if (f == F_PINNING && is_inner)
			return map_fail(c, "inner map cannot be pinned%s", "");
		if (f == F_VALUES) {
			err = field_values(c, st, &mem[i], is_inner, vi);
			continue;
		}
		/* every other field is a number (__uint) or a type (__type), read first */
		if (f == F_KEY || f == F_VALUE)
			err = field_type(c, &mem[i], name,
					 f == F_KEY ? &m->btf_key_type_id : &m->btf_value_type_id, &v);
		else
			err = field_uint(c, &mem[i], name, &v);
		if (err)
			break;
		switch (f) {
		case F_TYPE:
			m->type = v;
			break;
		case F_MAX_ENTRIES:
			m->max_entries = v;
			m->defined_max_entries = true;
			break;
		case F_MAP_FLAGS:
			m->map_flags = v;
			break;
		case F_NUMA_NODE:
			m->numa_node = v;
			break;
		case F_MAP_EXTRA:
			m->map_extra = v;
			break;
		case F_KEY:
		case F_KEY_SIZE:
			err = set_size(c, &m->key_size, v, name);
			break;
		case F_VALUE:
		case F_VALUE_SIZE:
			err = set_size(c, &m->value_size, v, name);
			break;
		default:	/* F_PINNING */
			if (v != BBPF_PIN_NONE && v != BBPF_PIN_BY_NAME)
				return map_fail(c, "invalid '%s' value", name);
			m->pinning = v;
			break;
		}
	}
	return err;
}

static bool is_map_in_map(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_ARRAY_OF_MAPS || t == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static int finish_values(struct map_ctx *c, struct bbpf_map *m, const struct values_info *vi)
{
	struct bbpf_map *inner;
	struct values_info none = { 0 };
	char name[BBPF_MAX_NAME_LEN];
	int err;

	if (!vi->present)
		return 0;
	if (vi->is_prog && m->type != BPF_MAP_TYPE_PROG_ARRAY)
		return map_fail(c, "'%s' of functions needs a prog array", "values");
	if (vi->inner_struct && !is_map_in_map(m->type))
		return map_fail(c, "'%s' of maps needs a map-in-map type", "values");
	/* The value of both is a 4-byte fd or id. */
	err = set_size(c, &m->value_size, 4, "value_size");
	if (err)
		return err;
	if (!vi->inner_struct)
		return 0;
	inner = bbpf_arena_zalloc(&c->obj->arena, sizeof(*inner));
	bbpf_snprintf(name, sizeof(name), "%s.inner", m->name);
	if (!inner || !(inner->name = bbpf_arena_strdup(&c->obj->arena, name)))
		return -ENOMEM;
	bbpf_obj_map_init(c->obj, inner);
	inner->real_name = inner->name;
	inner->kind = BBPF_MAP_INNER;
	err = parse_def(c, vi->inner_struct, inner, true, &none);
	if (err)
		return err;
	m->inner = inner;
	return 0;
}

/*
 * The symbols of .maps, in symbol-table order: each map's name is looked up
 * among these (as bbpf_obj_find_sym, first match) rather than among all the
 * symbols, which grow with the programs. NULL only for -ENOMEM.
 */
static const struct bbpf_elf_sym **maps_syms(struct bbpf_object *obj, uint32_t *cnt)
{
	const struct bbpf_elf_sym **out;
	uint32_t i, n = 0;

	for (i = 1; i < obj->sym_cnt; i++)
		n += obj->syms[i].shndx == obj->maps_shndx && obj->syms[i].type != STT_SECTION;
	out = bbpf_arena_alloc_array(&obj->arena, n ? n : 1, sizeof(*out));
	if (!out)
		return NULL;
	for (i = 1, n = 0; i < obj->sym_cnt; i++)
		if (obj->syms[i].shndx == obj->maps_shndx && obj->syms[i].type != STT_SECTION)
			out[n++] = &obj->syms[i];
	*cnt = n;
	return out;
}

static const struct bbpf_elf_sym *find_in(const struct bbpf_elf_sym **syms, uint32_t n,
					  const char *name)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (str_eq(syms[i]->name, name))
			return syms[i];
	return NULL;
}

static int collect_btf_maps(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	const struct bbpf_elf_sym **msyms;
	uint32_t msym_cnt = 0;
	const struct bbpf_elf_shdr *sh = bbpf_elf_shdr(&obj->elf, obj->maps_shndx);
	const struct btf_type *ds;
	const struct btf_var_secinfo *vsi;
	uint32_t ds_id, i, n;
	int first, err;

	if (!obj->btf)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_NO_BTF, obj->maps_shndx, sh->off, 0,
				     "SEC(\".maps\") needs .BTF");
	ds_id = bbpf_obj_find_datasec(obj, ".maps");
	ds = bbpf_btf_type(obj->btf, ds_id);
	if (!ds)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, obj->maps_shndx, sh->off, 0,
				     "no DATASEC '.maps' in BTF");
	n = bbpf_btf_vlen(ds);
	first = bbpf_obj_grow_maps(obj, n, diag);
	if (first < 0)
		return first;
	vsi = bbpf_btf_secinfos(ds);
	msyms = maps_syms(obj, &msym_cnt);
	if (!msyms)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct bbpf_map *m = &obj->maps[first + i];
		const struct btf_type *var = bbpf_btf_type(obj->btf, vsi[i].type);
		struct map_ctx c = { .obj = obj, .diag = diag, .var_id = vsi[i].type,
				     .file_off = sh->off };
		struct values_info vi = { 0 };
		const struct bbpf_elf_sym *sym;

		if (!var || bbpf_btf_kind(var) != BTF_KIND_VAR)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, obj->maps_shndx, sh->off,
					     vsi[i].type, "'.maps' entry %u is not a variable", i);
		bbpf_obj_map_init(obj, m);
		m->name = m->real_name = bbpf_btf_name(obj->btf, vsi[i].type);
		m->kind = BBPF_MAP_BTF;
		m->sec_idx = obj->maps_shndx;
		m->btf_var_id = vsi[i].type;
		c.map_name = m->name;
		/* clang leaves DATASEC offsets to the linker; the symbol has it. */
		sym = find_in(msyms, msym_cnt, m->name);
		if (!sym)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, obj->maps_shndx, sh->off,
					     vsi[i].type, "map '%s' has no symbol", m->name);
		m->sec_off = sym->value;
		m->sec_len = sym->size;
		c.file_off = sh->off + sym->value;
		err = parse_def(&c, bbpf_btf_skip_mods(obj->btf, var->type), m, false, &vi);
		err = err ?: finish_values(&c, m, &vi);
		if (err)
			return err;
		m->values_off = vi.present ? vi.byte_off : UINT32_MAX;
	}
	return 0;
}

/* ---- legacy SEC("maps") ---- */

/* struct bpf_load_map_def: type, key_size, value_size, max_entries,
 * map_flags, inner_map_idx, numa_node; all u32. Older struct bpf_map_def
 * has the first five. */
#define LEGACY_DEF_FIELDS 7
static const uint8_t legacy_field[LEGACY_DEF_FIELDS] = {
	offsetof(struct bbpf_map, type), offsetof(struct bbpf_map, key_size),
	offsetof(struct bbpf_map, value_size), offsetof(struct bbpf_map, max_entries),
	offsetof(struct bbpf_map, map_flags), offsetof(struct bbpf_map, legacy_inner_idx),
	offsetof(struct bbpf_map, numa_node),
};
_Static_assert(offsetof(struct bbpf_map, legacy_inner_idx) <= UINT8_MAX, "byte offsets");

static bool map_before(const void *a, const void *b)
{
	return ((const struct bbpf_map *)a)->sec_off < ((const struct bbpf_map *)b)->sec_off;
}

static int collect_legacy_maps(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t shndx = obj->legacy_maps_shndx;
	const struct bbpf_elf_shdr *sh = bbpf_elf_shdr(&obj->elf, shndx);
	const uint8_t *data = bbpf_elf_sec_data(&obj->elf, shndx);
	uint32_t i, n = 0, k, rec;
	int first;

	for (i = 1; i < obj->sym_cnt; i++)
		if (obj->syms[i].shndx == shndx && obj->syms[i].type != STT_SECTION)
			n++;
	if (!n || !data || sh->size % n || sh->size / n < 4 || sh->size / n % 4)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, shndx, sh->off, n,
				     "legacy maps section of %llu bytes does not divide into %u records",
				     (unsigned long long)sh->size, n);
	rec = (uint32_t)(sh->size / n);
	first = bbpf_obj_grow_maps(obj, n, diag);
	if (first < 0)
		return first;
	for (i = 1, k = 0; i < obj->sym_cnt; i++) {
		const struct bbpf_elf_sym *s = &obj->syms[i];
		struct bbpf_map *m;
		uint32_t j;

		if (s->shndx != shndx || s->type == STT_SECTION)
			continue;
		if (s->value % rec || s->value / rec >= n)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, shndx, sh->off + s->value, i,
					     "legacy map '%s' is not at a record boundary", s->name);
		m = &obj->maps[first + k++];
		bbpf_obj_map_init(obj, m);
		m->name = m->real_name = s->name;
		m->kind = BBPF_MAP_LEGACY;
		m->sec_idx = shndx;
		m->sec_off = s->value;
		m->defined_max_entries = true;
		m->legacy_inner_idx = 0;	/* 0 when the record is shorter, like every field */
		/* A smaller record is zero-extended; a larger one may only add zeros. */
		for (j = 0; j < rec / 4; j++) {
			uint32_t v = load_u32(data + s->value + 4 * j, obj->elf.swap);

			if (j < LEGACY_DEF_FIELDS)
				*(uint32_t *)((char *)m + legacy_field[j]) = v;
			else if (v)
				return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, shndx,
						     sh->off + s->value + 4 * j, i,
						     "legacy map '%s' has unknown non-zero fields",
						     s->name);
		}
	}
	/* samples/bpf indexes legacy maps (inner_map_idx, map_fd[]) in offset order. */
	bbpf_obj_sort(obj->maps + first, n, sizeof(*obj->maps), map_before);
	for (i = 0; i < n; i++) {
		struct bbpf_map *m = &obj->maps[first + i];

		if (i + 1 < n && m->sec_off == obj->maps[first + i + 1].sec_off)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, shndx, sh->off + m->sec_off,
					     i, "two legacy maps at one offset");
		if (m->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && m->type != BPF_MAP_TYPE_HASH_OF_MAPS) {
			m->legacy_inner_idx = UINT32_MAX;
			continue;
		}
		if (m->legacy_inner_idx >= n || m->legacy_inner_idx == i)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, shndx, sh->off + m->sec_off,
					     i, "legacy map '%s': inner_map_idx %u names no other map",
					     m->name, m->legacy_inner_idx);
		m->legacy_inner_idx += (uint32_t)first;
	}
	return 0;
}

int bbpf_obj_collect_maps(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	int err = 0;

	if (obj->maps_shndx)
		err = collect_btf_maps(obj, diag);
	if (!err && obj->legacy_maps_shndx)
		err = collect_legacy_maps(obj, diag);
	return err;
}

/* ---- initial slots: relocations against .maps ---- */

int bbpf_obj_map_add_slot(struct bbpf_object *obj, struct bbpf_map *m, uint32_t slot,
			  const char *target, bool is_prog)
{
	struct bbpf_init_slot *s = bbpf_arena_calloc(&obj->arena, (size_t)m->slot_cnt + 1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (m->slot_cnt)
		memcpy(s, m->slots, m->slot_cnt * sizeof(*s));
	s[m->slot_cnt++] = (struct bbpf_init_slot){ .slot = slot, .target = target,
						    .is_prog = is_prog };
	m->slots = s;
	return 0;
}

static int collect_slot(struct bbpf_object *obj, uint32_t rel_sec, uint32_t i,
			struct bbpf_diag *diag)
{
	const struct bbpf_elf_shdr *msh = bbpf_elf_shdr(&obj->elf, obj->maps_shndx);
	struct bbpf_elf_rel r;
	const struct bbpf_elf_sym *s;
	struct bbpf_map *m, *target = NULL;
	struct bbpf_program *prog = NULL;
	uint32_t voff;
	uint64_t moff;

	if (bbpf_elf_rel(&obj->elf, rel_sec, i, &r) || !(s = bbpf_obj_sym(obj, r.sym)))
		return bbpf_obj_fail(obj, diag, BBPF_BAD_ELF_RELO, rel_sec, 0, i, "bad entry");
	/* The symbol size, not the struct's, covers the initial values. */
	m = bbpf_obj_map_containing(obj, obj->maps_shndx, r.off);
	voff = m ? m->values_off : UINT32_MAX;
	if (!m || voff == UINT32_MAX || r.off - m->sec_off < voff)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_RELO, obj->maps_shndx,
				     msh->off + r.off, i,
				     "relocation is not inside a map's 'values' array");
	moff = r.off - m->sec_off - voff;
	if (moff % 8)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_RELO, obj->maps_shndx,
				     msh->off + r.off, i, "map '%s': misaligned 'values' slot",
				     m->name);
	if (s->shndx == obj->maps_shndx && m->inner)
		target = bbpf_obj_map_at(obj, s->shndx, s->value);
	else if (m->type == BPF_MAP_TYPE_PROG_ARRAY && bbpf_obj_sec_is_exec(obj, s->shndx) &&
		 s->type == STT_FUNC && s->value % 8 == 0)
		prog = bbpf_obj_prog_at(obj, s->shndx, s->value / 8);
	if ((!target && !prog) || (prog && prog->is_subprog))
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_RELO, obj->maps_shndx,
				     msh->off + r.off, i,
				     "map '%s': slot %llu refers to '%s', which is not a %s",
				     m->name, (unsigned long long)(moff / 8), s->name,
				     m->inner ? "map" : "program");
	if (moff / 8 >= BBPF_MAX_PROGRAMS * 16)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_LIMIT, obj->maps_shndx,
				     msh->off + r.off, i, "slot index too large");
	return bbpf_obj_map_add_slot(obj, m, (uint32_t)(moff / 8), target ? target->name : prog->name, !!prog);
}

int bbpf_obj_collect_map_slots(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t sec, i;
	int err;

	if (!obj->maps_shndx)
		return 0;
	for (sec = 1; sec < obj->elf.shnum; sec++) {
		const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[sec];

		if ((sh->type != SHT_REL && sh->type != SHT_RELA) || sh->info != obj->maps_shndx)
			continue;
		if (sh->link != obj->elf.symtab)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_ELF_SECTION_LINK, sec, sh->off, 0,
					     "relocations against .maps use another symbol table");
		for (i = 0; i < bbpf_elf_rel_cnt(&obj->elf, sec); i++) {
			err = collect_slot(obj, sec, i, diag);
			if (err)
				return err;
		}
	}
	return 0;
}
