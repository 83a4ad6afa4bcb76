// SPDX-License-Identifier: BSD-2-Clause
/*
 * CO-RE specs: access strings, type compatibility and matching, following
 * libbpf's relo_core.c rule for rule. Where libbpf would read out of bounds
 * on hostile input (a negative access index, an invalid type id), we
 * return -EINVAL instead; on well-formed input the results are libbpf's.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core_int.h"
#include "../base/fmt.h"

static const struct btf_type void_type;	/* kind 0, as libbpf's btf_void */

const struct btf_type *bbpf_core_type(const struct bbpf_btf *btf, uint32_t id)
{
	return id == 0 ? &void_type : bbpf_btf_type(btf, id);
}

static bool is_mod_or_typedef(uint32_t kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_CONST ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

const struct btf_type *bbpf_core_skip(const struct bbpf_btf *btf, uint32_t id, uint32_t *out_id)
{
	const struct btf_type *t = bbpf_core_type(btf, id);
	uint32_t hops;

	for (hops = 0; t && is_mod_or_typedef(bbpf_btf_kind(t)); hops++) {
		if (hops == BBPF_MAX_DEPTH)
			return NULL;
		id = t->type;
		t = bbpf_core_type(btf, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

const char *bbpf_core_str(const struct bbpf_btf *btf, uint32_t off)
{
	const char *s = bbpf_btf_str(btf, off);

	return s ? s : "";
}

const char *bbpf_core_kind_str(const struct btf_type *t)
{
	/* BTF_KIND_UNKN .. BTF_KIND_ENUM64, in order (checked below): no pointer table */
	static const char names[] = "void\0int\0ptr\0array\0struct\0union\0enum\0fwd\0typedef\0"
				    "volatile\0const\0restrict\0func\0func_proto\0var\0datasec\0"
				    "float\0decl_tag\0type_tag\0enum64";
	_Static_assert(BTF_KIND_UNKN == 0 && BTF_KIND_INT == 1 && BTF_KIND_PTR == 2 &&
		       BTF_KIND_ARRAY == 3 && BTF_KIND_STRUCT == 4 && BTF_KIND_UNION == 5 &&
		       BTF_KIND_ENUM == 6 && BTF_KIND_FWD == 7 && BTF_KIND_TYPEDEF == 8 &&
		       BTF_KIND_VOLATILE == 9 && BTF_KIND_CONST == 10 && BTF_KIND_RESTRICT == 11 &&
		       BTF_KIND_FUNC == 12 && BTF_KIND_FUNC_PROTO == 13 && BTF_KIND_VAR == 14 &&
		       BTF_KIND_DATASEC == 15 && BTF_KIND_FLOAT == 16 && BTF_KIND_DECL_TAG == 17 &&
		       BTF_KIND_TYPE_TAG == 18 && BTF_KIND_ENUM64 == 19, "BTF kind names out of order");
	uint32_t k = t ? bbpf_btf_kind(t) : UINT32_MAX;

	return k <= BTF_KIND_ENUM64 ? bbpf_fmt_nth(names, k) : "unknown";
}

int64_t bbpf_core_resolve_size(const struct bbpf_btf *btf, uint32_t id)
{
	int64_t sz = bbpf_btf_resolve_size(btf, id);

	if (sz == -ELOOP)
		return -EINVAL;
	if (sz > UINT32_MAX)
		return -E2BIG;
	return sz;
}

const char *bbpf_core_relo_kind_str(uint32_t kind)
{
	/* enum bpf_core_relo_kind in order (checked below) */
	static const char names[] = "byte_off\0byte_sz\0field_exists\0signed\0lshift_u64\0"
				    "rshift_u64\0local_type_id\0target_type_id\0type_exists\0"
				    "type_size\0enumval_exists\0enumval_value\0type_matches";
	_Static_assert(BPF_CORE_FIELD_BYTE_OFFSET == 0 && BPF_CORE_FIELD_BYTE_SIZE == 1 &&
		       BPF_CORE_FIELD_EXISTS == 2 && BPF_CORE_FIELD_SIGNED == 3 &&
		       BPF_CORE_FIELD_LSHIFT_U64 == 4 && BPF_CORE_FIELD_RSHIFT_U64 == 5 &&
		       BPF_CORE_TYPE_ID_LOCAL == 6 && BPF_CORE_TYPE_ID_TARGET == 7 &&
		       BPF_CORE_TYPE_EXISTS == 8 && BPF_CORE_TYPE_SIZE == 9 &&
		       BPF_CORE_ENUMVAL_EXISTS == 10 && BPF_CORE_ENUMVAL_VALUE == 11 &&
		       BPF_CORE_TYPE_MATCHES == 12, "CO-RE relocation kind names out of order");

	return kind <= BPF_CORE_TYPE_MATCHES ? bbpf_fmt_nth(names, kind) : "unknown";
}

uint64_t bbpf_core_enum_val(const struct btf_type *t, uint32_t i)
{
	const struct btf_enum64 *e = bbpf_btf_enums64(t) + i;

	/* btf_enum.val is a __s32: libbpf sign-extends it. */
	if (bbpf_btf_kind(t) == BTF_KIND_ENUM)
		return (uint64_t)(int64_t)bbpf_btf_enums(t)[i].val;
	return ((uint64_t)e->val_hi32 << 32) | e->val_lo32;
}

/* "X___Y" where X and Y are not underscores: s points at X. */
static bool is_flavor_sep(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] != '_';
}

size_t bbpf_core_essential_name_len(const char *name)
{
	size_t n = strlen(name), i;

	/* The last separator wins: "a___b___c" is "a___b". */
	for (i = n >= 5 ? n - 5 + 1 : 0; i > 0; i--)
		if (is_flavor_sep(name + i - 1))
			return i;
	return n;
}

/* Same essential name; with empty_ok, an empty one matches any. */
static bool ess_eq(const char *a, const char *b, bool empty_ok)
{
	size_t la = bbpf_core_essential_name_len(a), lb = bbpf_core_essential_name_len(b);

	return (empty_ok && (!la || !lb)) || (la == lb && strncmp(a, b, la) == 0);
}

static bool names_match(const struct bbpf_btf *lb, uint32_t loff, const struct bbpf_btf *tb,
			uint32_t toff)
{
	const char *ln = bbpf_core_str(lb, loff), *tn = bbpf_core_str(tb, toff);

	if (!*tn)
		return !*ln;
	return ess_eq(ln, tn, false);
}

static bool int_has_offset(const struct btf_type *t)
{
	return BTF_INT_OFFSET(core_int_data(t)) != 0;
}

static int types_are_compat(const struct bbpf_btf *lb, uint32_t lid, const struct bbpf_btf *tb,
			    uint32_t tid, int level)
{
	const struct btf_type *lt = bbpf_core_type(lb, lid), *tt = bbpf_core_type(tb, tid);
	uint32_t depth;

	if (!lt || !tt)
		return -EINVAL;
	/* The caller matched the names; the kinds must agree before modifiers are skipped. */
	if (!core_kind_compat(lt, tt))
		return 0;
	for (depth = 0; depth < BBPF_MAX_DEPTH; depth++) {
		lt = bbpf_core_skip(lb, lid, &lid);
		tt = bbpf_core_skip(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		if (!core_kind_compat(lt, tt))
			return 0;
		switch (bbpf_btf_kind(lt)) {
		case BTF_KIND_UNKN:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM64:
			return 1;
		case BTF_KIND_INT:
			/* Only the deprecated bitfield-like ints are refused. */
			return !int_has_offset(lt) && !int_has_offset(tt);
		case BTF_KIND_PTR:
			lid = lt->type;
			tid = tt->type;
			break;
		case BTF_KIND_ARRAY:
			lid = bbpf_btf_array(lt)->type;
			tid = bbpf_btf_array(tt)->type;
			break;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = bbpf_btf_params(lt), *tp = bbpf_btf_params(tt);
			uint32_t i, n = bbpf_btf_vlen(lt), l2, t2;
			int err;

			if (n != bbpf_btf_vlen(tt))
				return 0;
			for (i = 0; i < n; i++) {
				if (level <= 0)
					return -EINVAL;
				bbpf_core_skip(lb, lp[i].type, &l2);
				bbpf_core_skip(tb, tp[i].type, &t2);
				err = types_are_compat(lb, l2, tb, t2, level - 1);
				if (err <= 0)
					return err;
			}
			bbpf_core_skip(lb, lt->type, &lid);
			bbpf_core_skip(tb, tt->type, &tid);
			break;
		}
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int bbpf_core_types_are_compat(const struct bbpf_btf *local_btf, uint32_t local_id,
			       const struct bbpf_btf *targ_btf, uint32_t targ_id)
{
	return types_are_compat(local_btf, local_id, targ_btf, targ_id, BBPF_CORE_MAX_LEVEL);
}

static int types_match(const struct bbpf_btf *lb, uint32_t lid, const struct bbpf_btf *tb,
		       uint32_t tid, bool behind_ptr, int level);

/* Every local enumerator has a namesake in the target; values do not matter. */
static int enums_match(const struct bbpf_btf *lb, const struct btf_type *lt,
		       const struct bbpf_btf *tb, const struct btf_type *tt)
{
	uint32_t i, j, ln = bbpf_btf_vlen(lt), tn = bbpf_btf_vlen(tt);

	if (lt->size != tt->size || ln > tn)
		return 0;
	for (i = 0; i < ln; i++) {
		uint32_t loff = core_enum_name_off(lt, i);

		for (j = 0; j < tn; j++)
			if (names_match(lb, loff, tb, core_enum_name_off(tt, j)))
				break;
		if (j == tn)
			return 0;
	}
	return 1;
}

static int composites_match(const struct bbpf_btf *lb, const struct btf_type *lt,
			    const struct bbpf_btf *tb, const struct btf_type *tt, bool behind_ptr,
			    int level)
{
	const struct btf_member *lm = bbpf_btf_members(lt), *tm = bbpf_btf_members(tt);
	uint32_t i, j, ln = bbpf_btf_vlen(lt), tn = bbpf_btf_vlen(tt);
	int err;

	if (ln > tn)
		return 0;
	for (i = 0; i < ln; i++) {
		bool matched = false;

		for (j = 0; j < tn && !matched; j++) {
			if (!names_match(lb, lm[i].name_off, tb, tm[j].name_off))
				continue;
			err = types_match(lb, lm[i].type, tb, tm[j].type, behind_ptr, level - 1);
			if (err < 0)
				return err;
			matched = err > 0;
		}
		if (!matched)
			return 0;
	}
	return 1;
}

static int types_match(const struct bbpf_btf *lb, uint32_t lid, const struct bbpf_btf *tb,
		       uint32_t tid, bool behind_ptr, int level)
{
	const struct btf_type *lt, *tt;
	uint32_t lk, tk;
	uint32_t depth;

	if (level <= 0)
		return -EINVAL;
	for (depth = 0; depth < BBPF_MAX_DEPTH; depth++) {
		lt = bbpf_core_skip(lb, lid, &lid);
		tt = bbpf_core_skip(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		/* Root typedefs were name-matched by the caller (candidate search). */
		if (!names_match(lb, lt->name_off, tb, tt->name_off))
			return 0;
		lk = bbpf_btf_kind(lt);
		tk = bbpf_btf_kind(tt);
		switch (lk) {
		case BTF_KIND_UNKN:
			return lk == tk;
		case BTF_KIND_FWD: {
			bool lf = bbpf_btf_kflag(lt);

			if (lk == tk)
				return lf == bbpf_btf_kflag(tt);
			/* Behind a pointer, a forward declaration matches the definition. */
			if (!behind_ptr)
				return 0;
			return (tk == BTF_KIND_STRUCT && !lf) || (tk == BTF_KIND_UNION && lf);
		}
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (!core_is_any_enum(tt))
				return 0;
			return enums_match(lb, lt, tb, tt);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (behind_ptr) {
				if (lk == tk)
					return 1;
				if (tk != BTF_KIND_FWD)
					return 0;
				return (lk == BTF_KIND_UNION) == bbpf_btf_kflag(tt);
			}
			if (lk != tk)
				return 0;
			return composites_match(lb, lt, tb, tt, behind_ptr, level);
		case BTF_KIND_INT:
			if (lk != tk)
				return 0;
			return lt->size == tt->size &&
			       (BTF_INT_ENCODING(core_int_data(lt)) & BTF_INT_SIGNED) ==
				       (BTF_INT_ENCODING(core_int_data(tt)) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = true;
			lid = lt->type;
			tid = tt->type;
			break;
		case BTF_KIND_ARRAY: {
			const struct btf_array *la = bbpf_btf_array(lt), *ta;

			if (lk != tk)
				return 0;
			ta = bbpf_btf_array(tt);
			if (la->nelems != ta->nelems)
				return 0;
			lid = la->type;
			tid = ta->type;
			break;
		}
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = bbpf_btf_params(lt), *tp;
			uint32_t i, n = bbpf_btf_vlen(lt);
			int err;

			if (lk != tk || n != bbpf_btf_vlen(tt))
				return 0;
			tp = bbpf_btf_params(tt);
			for (i = 0; i < n; i++) {
				err = types_match(lb, lp[i].type, tb, tp[i].type, behind_ptr, level - 1);
				if (err <= 0)
					return err;
			}
			lid = lt->type;
			tid = tt->type;
			break;
		}
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int bbpf_core_types_match(const struct bbpf_btf *local_btf, uint32_t local_id,
			  const struct bbpf_btf *targ_btf, uint32_t targ_id)
{
	return types_match(local_btf, local_id, targ_btf, targ_id, false, BBPF_CORE_MAX_LEVEL);
}

/* A zero-length array that is the last member of its struct. acc: the member's accessor. */
static bool is_flex_arr(const struct bbpf_btf *btf, const struct bbpf_core_acc *acc,
			const struct btf_array *arr)
{
	const struct btf_type *t;

	if (!acc->name || arr->nelems > 0)
		return false;
	t = bbpf_core_type(btf, acc->type_id);
	return t && acc->idx + 1 == bbpf_btf_vlen(t);
}

static uint32_t scaled_bits(uint32_t idx, int64_t sz)
{
	/* libbpf keeps bit offsets in a __u32: wrap the same way. */
	return (uint32_t)((uint64_t)idx * (uint64_t)sz * 8);
}

/* One decimal index as sscanf("%d") reads it, negatives and overflow refused. */
static int parse_index(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	*sp = s;
	*out = (uint32_t)v;
	return 0;
}

int bbpf_core_parse_spec(const struct bbpf_btf *btf, const struct bpf_core_relo *relo,
			 struct bbpf_core_spec *spec)
{
	const char *s = bbpf_core_str(btf, relo->access_str_off);
	const struct btf_type *t;
	struct bbpf_core_acc *acc;
	uint32_t i, id, idx;
	int64_t sz;

	if (!*s || *s == ':')
		return -EINVAL;
	spec->btf = btf;
	spec->root_type_id = relo->type_id;
	spec->kind = relo->kind;
	spec->len = spec->raw_len = spec->bit_off = 0;

	if (core_is_type_based(relo->kind))
		return strcmp(s, "0") ? -EINVAL : 0;

	while (*s) {
		if (*s == ':')
			s++;
		if (parse_index(&s, &idx))
			return -EINVAL;
		if (spec->raw_len == BBPF_CORE_SPEC_MAX_LEN)
			return -E2BIG;
		spec->raw[spec->raw_len++] = idx;
	}

	t = bbpf_core_skip(btf, relo->type_id, &id);
	if (!t)
		return -EINVAL;
	idx = spec->raw[0];
	acc = &spec->acc[0];
	*acc = (struct bbpf_core_acc){ .type_id = id, .idx = idx };
	spec->len = 1;

	if (core_is_enumval_based(relo->kind)) {
		if (!core_is_any_enum(t) || spec->raw_len > 1 || idx >= bbpf_btf_vlen(t))
			return -EINVAL;
		acc->name = bbpf_core_str(btf, core_enum_name_off(t, idx));
		return 0;
	}
	if (!core_is_field_based(relo->kind))
		return -EINVAL;

	sz = bbpf_core_resolve_size(btf, id);
	if (sz < 0)
		return (int)sz;
	spec->bit_off = scaled_bits(idx, sz);

	for (i = 1; i < spec->raw_len; i++) {
		t = bbpf_core_skip(btf, id, &id);
		if (!t)
			return -EINVAL;
		idx = spec->raw[i];
		acc = &spec->acc[spec->len];	/* len <= i < raw_len: in bounds */

		if (core_is_composite(t)) {
			const struct btf_member *m;

			if (idx >= bbpf_btf_vlen(t))
				return -EINVAL;
			m = bbpf_btf_members(t) + idx;
			spec->bit_off += bbpf_btf_member_bit_off(t, m);
			/* Anonymous members are steps of the raw spec only. */
			if (m->name_off) {
				const char *name = bbpf_core_str(btf, m->name_off);

				if (!*name)
					return -EINVAL;
				*acc = (struct bbpf_core_acc){ .type_id = id, .idx = idx, .name = name };
				spec->len++;
			}
			id = m->type;
		} else if (bbpf_btf_kind(t) == BTF_KIND_ARRAY) {
			const struct btf_array *a = bbpf_btf_array(t);

			t = bbpf_core_skip(btf, a->type, &id);
			if (!t)
				return -EINVAL;
			if (!is_flex_arr(btf, acc - 1, a) && idx >= a->nelems)
				return -EINVAL;
			*acc = (struct bbpf_core_acc){ .type_id = id, .idx = idx };
			spec->len++;
			sz = bbpf_core_resolve_size(btf, id);
			if (sz < 0)
				return (int)sz;
			spec->bit_off += scaled_bits(idx, sz);
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * libbpf's bpf_core_fields_are_compat(): structs and unions mix, pointers
 * and floats always match, enums/fwds by essential name (or one anonymous),
 * ints unless bitfield-like, arrays by element type.
 */
static int fields_are_compat(const struct bbpf_btf *lb, uint32_t lid, const struct bbpf_btf *tb,
			     uint32_t tid)
{
	const struct btf_type *lt, *tt;
	uint32_t hops;

	for (hops = 0; hops < BBPF_MAX_DEPTH; hops++) {
		lt = bbpf_core_skip(lb, lid, &lid);
		tt = bbpf_core_skip(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		if (core_is_composite(lt) && core_is_composite(tt))
			return 1;
		if (!core_kind_compat(lt, tt))
			return 0;
		switch (bbpf_btf_kind(lt)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return ess_eq(bbpf_core_str(lb, lt->name_off), bbpf_core_str(tb, tt->name_off),
				      true);
		case BTF_KIND_INT:
			return !int_has_offset(lt) && !int_has_offset(tt);
		case BTF_KIND_ARRAY:
			lid = bbpf_btf_array(lt)->type;
			tid = bbpf_btf_array(tt)->type;
			break;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * libbpf's bpf_core_match_member(), with an explicit stack instead of
 * recursion: find the member named as local_acc's in targ_id, descending
 * into anonymous structs/unions depth first, extending spec's raw spec and
 * bit offset along the way. 1 found, 0 not, < 0 error.
 *
 * Faithful to libbpf in one odd corner: when a namesake member inside an
 * anonymous member is incompatible, that level gives up without undoing
 * its own step, and the search resumes in the enclosing level.
 */
struct mm_frame {
	uint32_t id;			/* composite at this level, modifiers skipped */
	const struct btf_type *t;
	uint32_t i;			/* member being tried */
	uint32_t bit;			/* its bit offset, added to spec->bit_off */
};

static int match_member(const struct bbpf_btf *lb, const struct bbpf_core_acc *local_acc,
			const struct bbpf_btf *tb, uint32_t targ_id, struct bbpf_core_spec *spec,
			uint32_t *next_targ_id)
{
	struct mm_frame st[BBPF_CORE_SPEC_MAX_LEN + 1];
	const struct btf_type *lt = bbpf_core_type(lb, local_acc->type_id), *t;
	const struct btf_member *lm, *m;
	const char *lname, *tname;
	uint32_t top = 0, id;
	int found;

	if (!lt || !core_is_composite(lt) || local_acc->idx >= bbpf_btf_vlen(lt))
		return -EINVAL;
	lm = bbpf_btf_members(lt) + local_acc->idx;
	lname = bbpf_core_str(lb, lm->name_off);

	t = bbpf_core_skip(tb, targ_id, &id);
	if (!t)
		return -EINVAL;
	if (!core_is_composite(t))
		return 0;
	st[top++] = (struct mm_frame){ .id = id, .t = t };

	while (top) {
		struct mm_frame *f = &st[top - 1];

		if (f->i == bbpf_btf_vlen(f->t)) {
			found = 0;
			goto level_done;
		}
		m = bbpf_btf_members(f->t) + f->i;
		if (spec->raw_len == BBPF_CORE_SPEC_MAX_LEN)
			return -E2BIG;
		/* Speculate that this member is the one. */
		f->bit = bbpf_btf_member_bit_off(f->t, m);
		spec->bit_off += f->bit;
		spec->raw[spec->raw_len++] = f->i;

		tname = bbpf_core_str(tb, m->name_off);
		if (!*tname) {
			t = bbpf_core_skip(tb, m->type, &id);
			if (!t)
				return -EINVAL;
			if (core_is_composite(t)) {
				/* raw_len grew before each push: top <= raw_len + 1. */
				st[top++] = (struct mm_frame){ .id = id, .t = t };
				continue;
			}
		} else if (strcmp(lname, tname) == 0) {
			struct bbpf_core_acc *acc = &spec->acc[spec->len++];

			*acc = (struct bbpf_core_acc){ .type_id = f->id, .idx = f->i, .name = tname };
			*next_targ_id = m->type;
			found = fields_are_compat(lb, lm->type, tb, m->type);
			if (!found)
				spec->len--;
			if (found)
				return found;
			goto level_done;
		}
		spec->bit_off -= f->bit;
		spec->raw_len--;
		f->i++;
		continue;
level_done:
		/* This level answers "not found" to the level that descended into it. */
		if (--top == 0)
			return found;
		f = &st[top - 1];
		spec->bit_off -= f->bit;
		spec->raw_len--;
		f->i++;
	}
	return 0;
}

int bbpf_core_spec_match(const struct bbpf_core_spec *local, const struct bbpf_btf *targ_btf,
			 uint32_t targ_id, struct bbpf_core_spec *targ)
{
	const struct bbpf_core_acc *lacc = &local->acc[0];
	const struct btf_type *tt;
	uint32_t i;
	int64_t sz;
	int matched;

	targ->btf = targ_btf;
	targ->root_type_id = targ_id;
	targ->kind = local->kind;
	targ->len = targ->raw_len = targ->bit_off = 0;

	if (core_is_type_based(local->kind)) {
		if (local->kind == BPF_CORE_TYPE_MATCHES)
			return bbpf_core_types_match(local->btf, local->root_type_id, targ_btf,
						     targ_id);
		return bbpf_core_types_are_compat(local->btf, local->root_type_id, targ_btf,
						  targ_id);
	}

	if (core_is_enumval_based(local->kind)) {
		tt = bbpf_core_skip(targ_btf, targ_id, &targ_id);
		if (!tt)
			return -EINVAL;
		if (!core_is_any_enum(tt))
			return 0;
		for (i = 0; i < bbpf_btf_vlen(tt); i++) {
			const char *tname = bbpf_core_str(targ_btf, core_enum_name_off(tt, i));

			if (!ess_eq(lacc->name, tname, false))
				continue;
			targ->acc[0] = (struct bbpf_core_acc){ .type_id = targ_id, .idx = i,
							       .name = tname };
			targ->len = 1;
			targ->raw[0] = i;
			targ->raw_len = 1;
			return 1;
		}
		return 0;
	}

	if (!core_is_field_based(local->kind))
		return -EINVAL;

	for (i = 0; i < local->len; i++, lacc++) {
		tt = bbpf_core_skip(targ_btf, targ_id, &targ_id);
		if (!tt)
			return -EINVAL;
		if (lacc->name) {
			matched = match_member(local->btf, lacc, targ_btf, targ_id, targ, &targ_id);
			if (matched <= 0)
				return matched;
			continue;
		}
		/* An index. At i == 0 the root itself is the "array element". */
		if (i > 0) {
			const struct btf_array *a;

			if (bbpf_btf_kind(tt) != BTF_KIND_ARRAY)
				return 0;
			a = bbpf_btf_array(tt);
			if (!is_flex_arr(targ_btf, &targ->acc[targ->len - 1], a) &&
			    lacc->idx >= a->nelems)
				return 0;
			if (!bbpf_core_skip(targ_btf, a->type, &targ_id))
				return -EINVAL;
		}
		if (targ->raw_len == BBPF_CORE_SPEC_MAX_LEN)
			return -E2BIG;
		targ->acc[targ->len++] = (struct bbpf_core_acc){ .type_id = targ_id,
								  .idx = lacc->idx };
		targ->raw[targ->raw_len++] = lacc->idx;
		sz = bbpf_core_resolve_size(targ_btf, targ_id);
		if (sz < 0)
			return (int)sz;
		targ->bit_off += scaled_bits(lacc->idx, sz);
	}
	return 1;
}

/* Appends to buf like snprintf, never past len. */
static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = bbpf_vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n;
}

void bbpf_core_format_spec(char *buf, size_t len, const struct bbpf_core_spec *spec)
{
	const struct btf_type *t = bbpf_core_type(spec->btf, spec->root_type_id);
	const char *name = t ? bbpf_core_str(spec->btf, t->name_off) : "";
	size_t pos = 0;
	uint64_t v;
	uint32_t i;

	if (!len)
		return;
	buf[0] = '\0';
	append(buf, len, &pos, "<%s> [%u] %s %s", bbpf_core_relo_kind_str(spec->kind),
	       spec->root_type_id, bbpf_core_kind_str(t), *name ? name : "<anon>");
	if (core_is_type_based(spec->kind))
		return;
	if (core_is_enumval_based(spec->kind)) {
		t = bbpf_core_skip(spec->btf, spec->root_type_id, NULL);
		if (!t || !core_is_any_enum(t) || !spec->raw_len || spec->raw[0] >= bbpf_btf_vlen(t))
			return;
		v = bbpf_core_enum_val(t, spec->raw[0]);
		if (bbpf_btf_kind(t) == BTF_KIND_ENUM && !bbpf_btf_kflag(t))
			v = (uint32_t)v;
		/* %lld of the sign-extended value prints what %d of the s32 does */
		append(buf, len, &pos, bbpf_btf_kflag(t) ? "::%s = %lld" : "::%s = %llu",
		       bbpf_core_str(spec->btf, core_enum_name_off(t, spec->raw[0])), (unsigned long long)v);
		return;
	}
	for (i = 0; i < spec->len; i++) {
		if (spec->acc[i].name)
			append(buf, len, &pos, ".%s", spec->acc[i].name);
		else if (i > 0 || spec->acc[i].idx > 0)
			append(buf, len, &pos, "[%u]", spec->acc[i].idx);
	}
	append(buf, len, &pos, " (");
	for (i = 0; i < spec->raw_len; i++)
		append(buf, len, &pos, "%s%u", i ? ":" : "", spec->raw[i]);
	if (spec->bit_off % 8)
		append(buf, len, &pos, " @ offset %u.%u)", spec->bit_off / 8, spec->bit_off % 8);
	else
		append(buf, len, &pos, " @ offset %u)", spec->bit_off / 8);
}
