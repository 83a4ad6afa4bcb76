/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * struct_ops maps: every variable of SEC(".struct_ops") and
 * SEC(".struct_ops.link") is one BPF_MAP_TYPE_STRUCT_OPS map named after
 * it, holding the variable's bytes (the data members' initial values), and
 * each relocation against the section puts a struct_ops program into a
 * function-pointer member (a slot: the local member's index and the
 * program's name). The kernel side (which struct, which members, the value
 * the kernel takes) is resolved at load (src/load/struct_ops.c).
 */
#include <errno.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"

static bool is_st_ops_sec(const struct bbpf_elf_shdr *sh, bool *link)
{
	const char *n = sh->name;

	/* Most sections are not: one byte-compare rejects them before any strncmp. */
	*link = false;
	if (n[0] != '.' || n[1] != 's' || strncmp(n, ".struct_ops", 11) ||
	    (n[11] && strcmp(n + 11, ".link")))
		return false;
	*link = n[11] != '\0';	/* ".struct_ops.link" */
	return sh->type == SHT_PROGBITS;
}

/* libbpf 1.8: a struct_ops program no map uses is not loaded (it could not be). */
static void autoload_off(struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (obj->progs[i].type == BPF_PROG_TYPE_STRUCT_OPS)
			obj->progs[i].autoload = false;
}

#ifdef BBPF_NO_STRUCT_OPS
/*
 * The init build (make static-init, README "Static builds") has no
 * struct_ops: an object with a struct_ops section fails to open, saying so;
 * its struct_ops programs (which need such a map) are not loaded.
 */
int bbpf_obj_collect_struct_ops(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t sec;
	bool link;

	(void)diag;
	autoload_off(obj);
	for (sec = 1; sec < obj->elf.shnum; sec++) {
		if (!is_st_ops_sec(&obj->elf.shdrs[sec], &link))
			continue;
		bbpf_obj_log(obj, BBPF_LOG_WARN, "section '%s': struct_ops not supported in this build",
			     obj->elf.shdrs[sec].name);
		return -EOPNOTSUPP;
	}
	return 0;
}

int bbpf_obj_collect_struct_ops_progs(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	(void)obj;
	(void)diag;
	return 0;
}
#else

static int add_maps(struct bbpf_object *obj, uint32_t sec, bool link, struct bbpf_diag *diag)
{
	const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[sec];
	const uint8_t *data = bbpf_elf_sec_data(&obj->elf, sec);
	uint32_t ds = obj->btf ? bbpf_obj_find_datasec(obj, sh->name) : 0;
	const struct btf_type *t = ds ? bbpf_btf_type(obj->btf, ds) : NULL;
	const struct btf_var_secinfo *vsi;
	uint32_t i, n;
	int first;

	if (!t || !data)
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_NO_BTF, sec, sh->off, 0,
				     "section %s has no BTF DATASEC", sh->name);
	n = bbpf_btf_vlen(t);
	vsi = bbpf_btf_secinfos(t);
	first = bbpf_obj_grow_maps(obj, n, diag);
	if (first < 0)
		return first;
	for (i = 0; i < n; i++) {
		struct bbpf_map *m = &obj->maps[(uint32_t)first + i];
		const struct btf_type *v = bbpf_btf_type(obj->btf, vsi[i].type);
		uint32_t st = v ? bbpf_btf_skip_mods(obj->btf, v->type) : 0;
		const struct btf_type *s = bbpf_btf_type(obj->btf, st);

		if (!v || bbpf_btf_kind(v) != BTF_KIND_VAR || !s ||
		    bbpf_btf_kind(s) != BTF_KIND_STRUCT || s->size != vsi[i].size ||
		    (uint64_t)vsi[i].offset + vsi[i].size > sh->size)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_MAP, sec, sh->off + vsi[i].offset,
					     vsi[i].type, "%s: entry %u is not a struct variable",
					     sh->name, i);
		bbpf_obj_map_init(obj, m);
		m->name = m->real_name = bbpf_btf_str(obj->btf, v->name_off);
		m->kind = BBPF_MAP_STRUCT_OPS;
		m->sec_idx = sec;
		m->sec_off = vsi[i].offset;
		m->sec_len = vsi[i].size;
		m->type = BPF_MAP_TYPE_STRUCT_OPS;
		m->key_size = sizeof(uint32_t);
		m->value_size = s->size;
		m->max_entries = 1;
		m->map_flags = link ? BPF_F_LINK : 0;
		m->btf_var_id = vsi[i].type;
		m->btf_value_type_id = st;
		m->data = bbpf_arena_zalloc(&obj->arena, s->size ? s->size : 1);
		if (!m->data)
			return -ENOMEM;
		memcpy(m->data, data + vsi[i].offset, s->size);
	}
	return 0;
}

int bbpf_obj_collect_struct_ops(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t sec;
	bool link;
	int err;

	for (sec = 1; sec < obj->elf.shnum; sec++) {
		if (!is_st_ops_sec(&obj->elf.shdrs[sec], &link))
			continue;
		err = add_maps(obj, sec, link, diag);
		if (err)
			return err;
	}
	return 0;
}

/* Index of the member of struct st at byte offset off, or -1. */
static int member_at(const struct bbpf_btf *btf, uint32_t st, uint64_t off)
{
	const struct btf_type *t = bbpf_btf_type(btf, st);
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i;

	for (i = 0; i < bbpf_btf_vlen(t); i++)
		if (bbpf_btf_member_bit_off(t, &m[i]) == off * 8)
			return (int)i;
	return -1;
}

static bool is_func_ptr(const struct bbpf_btf *btf, uint32_t id)
{
	const struct btf_type *t = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, id));

	t = t && bbpf_btf_kind(t) == BTF_KIND_PTR ?
		    bbpf_btf_type(btf, bbpf_btf_skip_mods(btf, t->type)) : NULL;
	return t && bbpf_btf_kind(t) == BTF_KIND_FUNC_PROTO;
}

static int collect_relo(struct bbpf_object *obj, uint32_t rel_sec, uint32_t sec, uint32_t i,
			struct bbpf_diag *diag)
{
	const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[sec];
	const struct bbpf_elf_sym *s;
	struct bbpf_program *prog = NULL;
	struct bbpf_elf_rel r;
	struct bbpf_map *m;
	int mi = -1;

	if (bbpf_elf_rel(&obj->elf, rel_sec, i, &r) || !(s = bbpf_obj_sym(obj, r.sym)))
		return bbpf_obj_fail(obj, diag, BBPF_BAD_ELF_RELO, rel_sec, 0, i, "bad entry");
	m = bbpf_obj_map_containing(obj, sec, r.off);
	if (m && m->kind == BBPF_MAP_STRUCT_OPS)
		mi = member_at(obj->btf, m->btf_value_type_id, r.off - m->sec_off);
	if (mi >= 0 && bbpf_obj_sec_is_exec(obj, s->shndx) && s->type == STT_FUNC &&
	    s->value % 8 == 0)
		prog = bbpf_obj_prog_at(obj, s->shndx, s->value / 8);
	if (!prog || prog->is_subprog || prog->type != BPF_PROG_TYPE_STRUCT_OPS ||
	    !is_func_ptr(obj->btf, bbpf_btf_members(bbpf_btf_type(obj->btf,
								    m->btf_value_type_id))[mi].type))
		return bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_RELO, sec, sh->off + r.off, i,
				     "%s: '%s' is not a struct_ops program in a function pointer "
				     "member", sh->name, s->name);
	prog->autoload = true;
	return bbpf_obj_map_add_slot(obj, m, (uint32_t)mi, prog->name, true);
}

int bbpf_obj_collect_struct_ops_progs(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t rel, i;
	bool link;
	int err;

	autoload_off(obj);
	for (rel = 1; rel < obj->elf.shnum; rel++) {
		const struct bbpf_elf_shdr *sh = &obj->elf.shdrs[rel];

		if ((sh->type != SHT_REL && sh->type != SHT_RELA) || sh->info >= obj->elf.shnum ||
		    !is_st_ops_sec(&obj->elf.shdrs[sh->info], &link))
			continue;
		if (sh->link != obj->elf.symtab)
			return bbpf_obj_fail(obj, diag, BBPF_BAD_ELF_SECTION_LINK, rel, sh->off, 0,
					     "relocations use another symbol table");
		for (i = 0; i < bbpf_elf_rel_cnt(&obj->elf, rel); i++) {
			err = collect_relo(obj, rel, sh->info, i, diag);
			if (err)
				return err;
		}
	}
	return 0;
}
#endif /* BBPF_NO_STRUCT_OPS */
