/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Externs: undefined ELF symbols declared in BTF as extern VARs or FUNCs and
 * placed by clang in DATASEC ".kconfig" (kernel config values, filled at
 * load) or ".ksyms" (kernel variables and kfuncs, resolved at load).
 * Like libbpf, .kconfig externs come first, by descending alignment, then
 * ascending size, then by name; they are laid out in that order in the ".kconfig" map.
 */
#include <errno.h>
#include <string.h>
#include <elf.h>
#include "object_int.h"

/* BTF id of the extern VAR/FUNC named name, 0 if none. */
static uint32_t find_extern_btf(struct bbpf_object *obj, const char *name, bool *is_func)
{
	uint32_t id = bbpf_btf_find_by_name_kind(obj->btf, name, BTF_KIND_VAR);
	const struct btf_type *t = bbpf_btf_type(obj->btf, id);

	if (t && bbpf_btf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN) {
		*is_func = false;
		return id;
	}
	id = bbpf_btf_find_by_name_kind(obj->btf, name, BTF_KIND_FUNC);
	t = bbpf_btf_type(obj->btf, id);
	if (t && bbpf_btf_vlen(t) == BTF_FUNC_EXTERN) {
		*is_func = true;
		return id;
	}
	return 0;
}

/* Which DATASEC holds a type id: 1 = .kconfig, 2 = .ksyms, 0 = neither. */
static int extern_section(struct bbpf_object *obj, uint32_t id)
{
	static const char *const secs[] = { ".kconfig", ".ksyms" };
	uint32_t s, i;

	for (s = 0; s < 2; s++) {
		const struct btf_type *ds = bbpf_btf_type(obj->btf, bbpf_obj_find_datasec(obj, secs[s]));

		if (!ds)
			continue;
		for (i = 0; i < bbpf_btf_vlen(ds); i++)
			if (bbpf_btf_secinfos(ds)[i].type == id)
				return (int)s + 1;
	}
	return 0;
}

/* Classify a .kconfig value's type as libbpf does. */
static int classify_kcfg(struct bbpf_object *obj, struct bbpf_extern *e)
{
	const struct bbpf_btf *btf = obj->btf;
	uint32_t id = bbpf_btf_skip_mods(btf, e->type_id);
	const struct btf_type *t = bbpf_btf_type(btf, id);
	int64_t sz = bbpf_btf_resolve_size(btf, id);

	if (!t || sz <= 0 || sz > 4096)
		return -1;
	e->size = (uint32_t)sz;
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_INT: {
		uint32_t enc = *(const uint32_t *)(t + 1);

		e->align = e->size;
		e->is_signed = BTF_INT_ENCODING(enc) & BTF_INT_SIGNED;
		if (e->size == 1 && (BTF_INT_ENCODING(enc) & BTF_INT_BOOL))
			e->kcfg_type = BBPF_KCFG_BOOL;
		else if (e->size == 1 && (BTF_INT_ENCODING(enc) & BTF_INT_CHAR))
			e->kcfg_type = BBPF_KCFG_CHAR;
		else if (e->size == 1 || e->size == 2 || e->size == 4 || e->size == 8)
			e->kcfg_type = BBPF_KCFG_INT;
		else
			return -1;
		return 0;
	}
	case BTF_KIND_ENUM:
		if (e->size != 4 || strcmp(bbpf_btf_name(btf, id), "libbpf_tristate"))
			return -1;
		e->kcfg_type = BBPF_KCFG_TRISTATE;
		e->align = 4;
		return 0;
	case BTF_KIND_ARRAY: {
		const struct btf_type *el = bbpf_btf_type(btf, bbpf_btf_skip_mods(btf,
							   bbpf_btf_array(t)->type));

		if (!el || bbpf_btf_kind(el) != BTF_KIND_INT || el->size != 1)
			return -1;
		e->kcfg_type = BBPF_KCFG_CHAR_ARR;
		e->align = 1;
		return 0;
	}
	default:
		return -1;
	}
}

static bool extern_before(const void *pa, const void *pb)
{
	const struct bbpf_extern *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind == BBPF_EXTERN_KCONFIG;
	if (a->kind == BBPF_EXTERN_KCONFIG && a->align != b->align)
		return a->align > b->align;
	if (a->kind == BBPF_EXTERN_KCONFIG && a->size != b->size)
		return a->size < b->size;	/* ascending size within an alignment class */
	return strcmp(a->name, b->name) < 0;
}

static bool is_extern_sym(const struct bbpf_elf_sym *s)
{
	return s->shndx == SHN_UNDEF && (s->bind == STB_GLOBAL || s->bind == STB_WEAK) &&
	       s->type != STT_SECTION && s->type != STT_FILE && s->name[0];
}

static int fill_extern(struct bbpf_object *obj, struct bbpf_extern *e, uint32_t i,
		       const struct bbpf_elf_sym *s, struct bbpf_diag *diag)
{
	enum bbpf_bad why = BBPF_BAD_OBJ_EXTERN;
	const char *kcfg = "", *what;
	const struct btf_type *t;
	int sec;

	if (!obj->btf) {
		why = BBPF_BAD_OBJ_NO_BTF;
		what = BBPF_MSGZ_STR(" needs .BTF");
		goto fail;
	}
	e->name = s->name;
	e->sym_idx = i;
	e->is_weak = s->bind == STB_WEAK;
	e->btf_id = find_extern_btf(obj, s->name, &e->is_func);
	what = BBPF_MSGZ_STR(" has no extern VAR or FUNC in BTF");
	if (!e->btf_id)
		goto fail;
	sec = extern_section(obj, e->btf_id);
	if (!sec && e->is_func)
		sec = 2;	/* kfuncs declared without __ksym still resolve via BTF */
	what = BBPF_MSGZ_STR(" is neither in .kconfig nor in .ksyms");
	if (!sec)
		goto fail;
	t = bbpf_btf_type(obj->btf, e->btf_id);
	e->type_id = t->type;
	if (sec == 1) {
		e->kind = BBPF_EXTERN_KCONFIG;
		kcfg = " (kcfg)";
		what = BBPF_MSGZ_STR(": unsupported type");
		if (e->is_func || classify_kcfg(obj, e))
			goto fail;
		return 0;
	}
	e->kind = BBPF_EXTERN_KSYM;
	/* "extern const void sym __ksym" is typeless: its type is (const) void. */
	if (!e->is_func && !bbpf_btf_skip_mods(obj->btf, e->type_id))
		e->type_id = 0;
	return 0;
fail:
	/* one call for the four failures: "extern 'NAME' ..." or "extern (kcfg) 'NAME': ..." */
	return bbpf_obj_fail(obj, diag, why, obj->elf.symtab,
			     obj->elf.shdrs[obj->elf.symtab].off + (uint64_t)i * sizeof(Elf64_Sym), i,
			     "extern%s '%s'%s", kcfg,
			     s->name, what);
}

static int add_kconfig_map(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t i, off = 0;
	int idx;

	for (i = 0; i < obj->extern_cnt; i++) {
		struct bbpf_extern *e = &obj->externs[i];

		if (e->kind != BBPF_EXTERN_KCONFIG)
			continue;
		off = (off + e->align - 1) / e->align * e->align;
		e->data_off = off;
		off += e->size;
	}
	if (!off)
		return 0;
	idx = bbpf_obj_grow_maps(obj, 1, diag);
	if (idx < 0)
		return idx;
	if (!bbpf_obj_add_internal_map(obj, &obj->maps[idx], BBPF_MAP_KCONFIG, ".kconfig", 0, off))
		return -ENOMEM;
	obj->kconfig_map = (uint32_t)idx;
	return 0;
}

int bbpf_obj_collect_externs(struct bbpf_object *obj, struct bbpf_diag *diag)
{
	uint32_t i, n = 0;
	int err;

	for (i = 1; i < obj->sym_cnt; i++)
		if (is_extern_sym(&obj->syms[i]))
			n++;
	if (!n)
		return 0;
	obj->externs = bbpf_arena_calloc(&obj->arena, n, sizeof(*obj->externs));
	if (!obj->externs)
		return -ENOMEM;
	for (i = 1; i < obj->sym_cnt; i++) {
		if (!is_extern_sym(&obj->syms[i]))
			continue;
		err = fill_extern(obj, &obj->externs[obj->extern_cnt++], i, &obj->syms[i], diag);
		if (err)
			return err;
	}
	bbpf_obj_sort(obj->externs, obj->extern_cnt, sizeof(*obj->externs), extern_before);
	obj->sym_extern = bbpf_arena_calloc(&obj->arena, obj->sym_cnt, sizeof(uint32_t));
	if (!obj->sym_extern)
		return -ENOMEM;
	memset(obj->sym_extern, 0xff, obj->sym_cnt * sizeof(uint32_t));
	for (i = 0; i < obj->extern_cnt; i++)
		obj->sym_extern[obj->externs[i].sym_idx] = i;
	return add_kconfig_map(obj, diag);
}
