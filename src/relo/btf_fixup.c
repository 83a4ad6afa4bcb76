/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's copy of an object's BTF (see btf_fixup.h). The steps and
 * their order follow libbpf 1.1: bpf_object__collect_externs() and
 * bpf_object_fixup_btf() at open, the hidden-subprogram FUNC edit and
 * bpf_object__sanitize_btf() at load. Only the copy is edited: the object's
 * parsed BTF stays as the compiler wrote it.
 *
 * Blob layout (host byte order):
 *   +-------------------+ 0
 *   | struct btf_header |   type_off = 0, str_off = type_len
 *   +-------------------+ 24
 *   | types             |   the object's records, then appended ones
 *   +-------------------+ 24 + type_len
 *   | strings           |   the object's strings, then appended ones
 *   +-------------------+
 */
#include <errno.h>
#include <string.h>
#include <elf.h>
#include "btf_fixup.h"
#include "../obj/object_int.h"

const struct bbpf_btf_kinds bbpf_btf_kinds_all = {
	.func = true, .global_func = true, .datasec = true, .float_kind = true,
	.decl_tag = true, .type_tag = true, .enum64 = true,
};

/* At most two types are appended: dummy_ksym and enum64_placeholder. */
#define MAX_ADDED 2
#define ADDED_REC_LEN (sizeof(struct btf_type) + sizeof(uint32_t))

static const char dummy_ksym_name[] = "dummy_ksym";
static const char placeholder_name[] = "enum64_placeholder";

/* The BTF being edited: a writable copy with room for the appended types. */
struct wbtf {
	const struct bbpf_object *obj;
	struct bbpf_arena *arena;
	uint8_t *types;
	uint32_t types_len;
	uint32_t *offs;		/* offs[id] for ids [1, cnt) */
	uint32_t cnt;
	char *strs;
	uint32_t str_len;
	uint32_t *ext_of;	/* type id -> extern index + 1, 0 if none */
};

static uint32_t info_enc(uint32_t kind, bool kflag, uint32_t vlen)
{
	return (uint32_t)kflag << 31 | kind << 24 | (vlen & 0xffff);
}

/* An INT's trailing word: encoding, bit offset, bits (the uapi has only decoders). */
static uint32_t int_enc(uint32_t encoding, uint32_t bit_off, uint32_t bits)
{
	return encoding << 24 | bit_off << 16 | bits;
}

static struct btf_type *wt(const struct wbtf *w, uint32_t id)
{
	return id && id < w->cnt ? (struct btf_type *)(w->types + w->offs[id]) : NULL;
}

static char *wstr(const struct wbtf *w, uint32_t off)
{
	return off < w->str_len ? w->strs + off : NULL;
}

static uint32_t kind_of(const struct btf_type *t)
{
	return t ? BTF_INFO_KIND(t->info) : BTF_KIND_UNKN;
}

/* Offset of an existing identical string (libbpf's strset dedup), else appended. */
static uint32_t add_str(struct wbtf *w, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = 0, start;

	while (off < w->str_len) {
		if (!strcmp(w->strs + off, s))
			return off;
		off += (uint32_t)strlen(w->strs + off) + 1;
	}
	start = w->str_len;
	memcpy(w->strs + start, s, n);	/* room reserved in bbpf_btf_fixup() */
	w->str_len += (uint32_t)n;
	return start;
}

/* A record with one trailing u32 (VAR linkage, INT encoding). Returns its id. */
static uint32_t add_type(struct wbtf *w, const char *name, uint32_t info, uint32_t size_type,
			 uint32_t extra)
{
	struct btf_type t = { .name_off = add_str(w, name), .info = info, .size = size_type };

	memcpy(w->types + w->types_len, &t, sizeof(t));
	memcpy(w->types + w->types_len + sizeof(t), &extra, sizeof(extra));
	w->offs[w->cnt] = w->types_len;
	w->types_len += ADDED_REC_LEN;
	return w->cnt++;
}

/* libbpf's find_int_btf_id(): the first 32-bit INT, or 0 (void). */
static uint32_t find_int32(const struct wbtf *w)
{
	uint32_t id;

	for (id = 1; id < w->cnt; id++) {
		const struct btf_type *t = wt(w, id);

		if (kind_of(t) == BTF_KIND_INT && BTF_INT_BITS(*(const uint32_t *)(t + 1)) == 32)
			return id;
	}
	return 0;
}

/* ---- a stable merge sort (no qsort in the pure layers) ---- */

typedef bool (*less_fn)(const void *a, const void *b, const void *ctx);

static int msort(void *base, uint32_t n, size_t sz, less_fn less, const void *ctx,
		 struct bbpf_arena *arena)
{
	uint8_t *a = base, *b, *t;
	uint64_t width, lo;
	uint32_t s;

	/* Already in order (clang's secinfos usually are): a stable sort leaves it as is. */
	for (s = 1; s < n && !less(a + (size_t)s * sz, a + (size_t)(s - 1) * sz, ctx); s++)
		;
	if (s >= n)
		return 0;
	b = bbpf_arena_calloc(arena, n, sz);
	if (!b)
		return -ENOMEM;
	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			uint64_t mid = lo + width < n ? lo + width : n;
			uint64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			uint64_t i = lo, j = mid, k = lo;

			while (i < mid || j < hi) {
				bool right = j < hi && (i == mid || less(a + j * sz, a + i * sz, ctx));

				memcpy(b + k++ * sz, a + (right ? j++ : i++) * sz, sz);
			}
		}
		t = a;
		a = b;
		b = t;
	}
	if (a != base)
		memcpy(base, a, (size_t)n * sz);
	return 0;
}

static bool secinfo_less(const void *a, const void *b, const void *ctx)
{
	const struct btf_var_secinfo *x = a, *y = b;

	(void)ctx;
	return x->offset < y->offset;
}

static bool sym_less(const void *a, const void *b, const void *ctx)
{
	const struct bbpf_object *obj = ctx;
	uint32_t x, y;
	int c;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	c = strcmp(obj->syms[x].name, obj->syms[y].name);
	return c < 0 || (c == 0 && x < y);
}

/*
 * Symbols libbpf's find_elf_var_sym() considers (STT_OBJECT, global or
 * weak), sorted by name then index, so that a lookup finds the first one
 * in symbol order as libbpf's linear search does.
 */
/* Up to this many, a linear search costs less than sorting (small objects). */
#define VAR_SYMS_LINEAR 32

struct var_syms {
	uint32_t *idx;
	uint32_t cnt;
};

static int index_var_syms(const struct bbpf_object *obj, struct bbpf_arena *arena,
			  struct var_syms *vs)
{
	uint32_t i;

	vs->cnt = 0;
	vs->idx = bbpf_arena_calloc(arena, obj->sym_cnt, sizeof(uint32_t));
	if (!vs->idx)
		return -ENOMEM;
	for (i = 0; i < obj->sym_cnt; i++) {
		const struct bbpf_elf_sym *s = &obj->syms[i];

		if (s->type == STT_OBJECT && (s->bind == STB_GLOBAL || s->bind == STB_WEAK))
			vs->idx[vs->cnt++] = i;
	}
	if (vs->cnt <= VAR_SYMS_LINEAR)
		return 0;	/* searched in symbol order, unsorted */
	return msort(vs->idx, vs->cnt, sizeof(uint32_t), sym_less, obj, arena);
}

static const struct bbpf_elf_sym *find_var_sym(const struct bbpf_object *obj,
					       const struct var_syms *vs, const char *name)
{
	uint32_t lo = 0, hi = vs->cnt;

	if (vs->cnt <= VAR_SYMS_LINEAR) {
		/* the first in symbol order, as the sorted search finds */
		for (lo = 0; lo < vs->cnt; lo++) {
			const struct bbpf_elf_sym *s = &obj->syms[vs->idx[lo]];

			if (s->name[0] == name[0] && !strcmp(s->name, name))
				return s;
		}
		return NULL;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strcmp(obj->syms[vs->idx[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < vs->cnt && !strcmp(obj->syms[vs->idx[lo]].name, name))
		return &obj->syms[vs->idx[lo]];
	return NULL;
}

/* ---- step 1 and 2: extern DATASECs (libbpf's bpf_object__collect_externs) ---- */

static const struct bbpf_extern *ext_of(const struct wbtf *w, uint32_t id)
{
	return id < w->cnt && w->ext_of[id] ? &w->obj->externs[w->ext_of[id] - 1] : NULL;
}

/* An extern DATASEC entry without its extern (libbpf's wording for each section). */
static int no_extern(const struct wbtf *w, const char *what, uint32_t type, const char *sec)
{
	bbpf_obj_log(w->obj, BBPF_LOG_WARN, "failed to find extern definition for BTF %s [%u] in %s",
		     what, type, sec);
	return -ESRCH;
}

static int fix_ksyms(struct wbtf *w, uint32_t sec_id)
{
	struct btf_type *sec = wt(w, sec_id);
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(sec + 1);
	uint32_t i, j, n = BTF_INFO_VLEN(sec->info), dummy = 0, int_id = find_int32(w);
	bool has_ext = false;

	for (i = 0; i < n; i++) {
		const struct bbpf_extern *e = ext_of(w, vs[i].type);

		if (e && e->kind == BBPF_EXTERN_KSYM)
			has_ext = true;
		if (!dummy && kind_of(wt(w, vs[i].type)) == BTF_KIND_FUNC)
			dummy = add_type(w, dummy_ksym_name, info_enc(BTF_KIND_VAR, false, 0), int_id,
					 BTF_VAR_GLOBAL_ALLOCATED);
	}
	/* add_type() may only append: sec and vs stay valid. */
	if (!has_ext)
		return 0;
	for (i = 0; i < n; i++) {
		struct btf_type *vt = wt(w, vs[i].type);

		if (!vt || !ext_of(w, vs[i].type))
			return no_extern(w, "type", vs[i].type, ".ksyms");
		if (kind_of(vt) == BTF_KIND_FUNC) {
			struct btf_type *proto = wt(w, vt->type);
			struct btf_param *p = proto ? (struct btf_param *)(proto + 1) : NULL;

			for (j = 0; kind_of(proto) == BTF_KIND_FUNC_PROTO &&
				    j < BTF_INFO_VLEN(proto->info); j++)
				if (p[j].type && !p[j].name_off)
					p[j].name_off = wt(w, dummy)->name_off;
			vs[i].type = dummy;
			vt->info = info_enc(BTF_KIND_FUNC, false, BTF_FUNC_GLOBAL);
		} else {
			((struct btf_var *)(vt + 1))->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			vt->type = int_id;
		}
		vs[i].offset = i * (uint32_t)sizeof(int);
		vs[i].size = sizeof(int);
	}
	sec->size = n * (uint32_t)sizeof(int);
	return 0;
}

static int fix_kconfig(struct wbtf *w, uint32_t sec_id)
{
	const struct bbpf_object *obj = w->obj;
	struct btf_type *sec = wt(w, sec_id);
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(sec + 1);
	uint32_t i, end = 0, n = BTF_INFO_VLEN(sec->info);
	bool any = false;

	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (e->kind != BBPF_EXTERN_KCONFIG)
			continue;
		any = true;
		if (e->data_off + e->size > end)
			end = e->data_off + e->size;
	}
	if (!any)
		return 0;
	sec->size = end;
	for (i = 0; i < n; i++) {
		struct btf_type *vt = wt(w, vs[i].type);
		const struct bbpf_extern *e = ext_of(w, vs[i].type);

		if (kind_of(vt) != BTF_KIND_VAR || !e || e->kind != BBPF_EXTERN_KCONFIG)
			return no_extern(w, "var", vs[i].type, ".kconfig");
		((struct btf_var *)(vt + 1))->linkage = BTF_VAR_GLOBAL_ALLOCATED;
		vs[i].offset = e->data_off;
	}
	return 0;
}

/*
 * Beyond libbpf (which refuses them at open): kfuncs declared without
 * __ksym, so in no DATASEC, still get global linkage, as the kernel
 * refuses extern FUNCs.
 */
static void fix_loose_kfuncs(struct wbtf *w)
{
	uint32_t i;

	for (i = 0; i < w->obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &w->obj->externs[i];
		struct btf_type *t = wt(w, e->btf_id);

		if (e->kind == BBPF_EXTERN_KSYM && e->is_func && kind_of(t) == BTF_KIND_FUNC &&
		    BTF_INFO_VLEN(t->info) == BTF_FUNC_EXTERN)
			t->info = info_enc(BTF_KIND_FUNC, false, BTF_FUNC_GLOBAL);
	}
}

/* ---- step 3: DATASEC sizes and VAR offsets (libbpf's btf_fixup_datasec) ---- */

static int fix_datasec(struct wbtf *w, uint32_t id, const struct var_syms *syms)
{
	const struct bbpf_object *obj = w->obj;
	struct btf_type *t = wt(w, id);
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(t + 1);
	uint32_t i, n = BTF_INFO_VLEN(t->info);
	const char *name = wstr(w, t->name_off);
	bool fix_offs = false;

	if (!name)
		return -ENOENT;
	/* Extern DATASECs were laid out above; not every extern has a symbol. */
	if (!strcmp(name, ".kconfig") || !strcmp(name, ".ksyms"))
		goto sort;
	if (!t->size) {
		const struct bbpf_elf_shdr *sh = bbpf_elf_shdr(&obj->elf,
							       bbpf_elf_find_sec(&obj->elf, name));

		if (!sh || !sh->size || sh->size > UINT32_MAX) {
			bbpf_obj_log(obj, BBPF_LOG_WARN, "sec '%s': failed to determine size from ELF", name);
			return -ENOENT;
		}
		t->size = (uint32_t)sh->size;
		fix_offs = true;
	}
	for (i = 0; i < n; i++) {
		struct btf_type *vt = wt(w, vs[i].type);
		struct btf_var *var = (struct btf_var *)(vt + 1);
		const struct bbpf_elf_sym *sym;
		const char *vname;

		if (kind_of(vt) != BTF_KIND_VAR) {
			bbpf_obj_log(obj, BBPF_LOG_WARN, "sec '%s': unexpected non-VAR type found", name);
			return -EINVAL;
		}
		if (var->linkage == BTF_VAR_STATIC || var->linkage == BTF_VAR_GLOBAL_EXTERN)
			continue;
		vname = wstr(w, vt->name_off);
		sym = vname ? find_var_sym(obj, syms, vname) : NULL;
		if (!sym) {
			bbpf_obj_log(obj, BBPF_LOG_WARN, "sec '%s': failed to find ELF symbol for VAR '%s'",
				     name, vname ? vname : "?");
			return -ENOENT;
		}
		if (fix_offs)
			vs[i].offset = (uint32_t)sym->value;
		if (sym->visibility == STV_HIDDEN || sym->visibility == STV_INTERNAL)
			var->linkage = BTF_VAR_STATIC;
	}
sort:
	return msort(vs, n, sizeof(*vs), secinfo_less, NULL, w->arena);
}

/* ---- step 4: hidden global subprograms verified as static ---- */

static void mark_hidden_subprogs(struct wbtf *w)
{
	const struct bbpf_object *obj = w->obj;
	uint32_t i, id;

	for (i = 0; i < obj->prog_cnt + obj->subprog_cnt; i++) {
		const struct bbpf_program *p = &obj->progs[i];
		struct bbpf_elf_sym s;

		if (!p->is_subprog || bbpf_obj_find_sym(obj, p->sec_idx, p->name, &s, NULL) ||
		    s.bind == STB_LOCAL ||
		    (s.visibility != STV_HIDDEN && s.visibility != STV_INTERNAL))
			continue;
		/* The first global FUNC of that name; the index finds the first of any linkage. */
		id = bbpf_btf_find_by_name_kind(obj->btf, p->name, BTF_KIND_FUNC);
		for (; id && id < w->cnt; id++) {
			struct btf_type *t = wt(w, id);
			const char *n = wstr(w, t->name_off);

			if (kind_of(t) == BTF_KIND_FUNC && BTF_INFO_VLEN(t->info) == BTF_FUNC_GLOBAL &&
			    n && !strcmp(n, p->name)) {
				t->info = info_enc(BTF_KIND_FUNC, false, BTF_FUNC_STATIC);
				break;
			}
		}
	}
}

/* ---- step 5: libbpf's bpf_object__sanitize_btf() ---- */

bool bbpf_btf_kinds_lacking(const struct bbpf_btf_kinds *k)
{
	return !k->func || !k->datasec || !k->global_func || !k->float_kind || !k->decl_tag ||
	       !k->type_tag || !k->enum64;
}

static void datasec_to_struct(struct wbtf *w, struct btf_type *t)
{
	struct btf_var_secinfo *v = (struct btf_var_secinfo *)(t + 1);
	struct btf_member *m = (struct btf_member *)(t + 1);
	uint32_t j, vlen = BTF_INFO_VLEN(t->info);
	char *name = wstr(w, t->name_off);

	for (; name && *name; name++)
		if (*name == '.')
			*name = '_';
	t->info = info_enc(BTF_KIND_STRUCT, false, vlen);
	/* Same 12-byte slots: read each secinfo whole before writing its member. */
	for (j = 0; j < vlen; j++) {
		struct btf_var_secinfo si = v[j];
		const struct btf_type *vt = wt(w, si.type);

		m[j].offset = si.offset * 8;
		m[j].type = si.type;
		m[j].name_off = vt ? vt->name_off : 0;
	}
}

static void sanitize(struct wbtf *w, const struct bbpf_btf_kinds *k)
{
	uint32_t id, j, placeholder = 0;

	for (id = 1; id < w->cnt; id++) {
		struct btf_type *t = wt(w, id);
		uint32_t kind = kind_of(t), vlen = BTF_INFO_VLEN(t->info);

		if ((!k->datasec && kind == BTF_KIND_VAR) ||
		    (!k->decl_tag && kind == BTF_KIND_DECL_TAG)) {
			/* 1 byte: 4 could exceed the variable and fail validation */
			t->info = info_enc(BTF_KIND_INT, false, 0);
			t->size = 1;
			*(uint32_t *)(t + 1) = int_enc(0, 0, 8);
		} else if (!k->datasec && kind == BTF_KIND_DATASEC) {
			datasec_to_struct(w, t);
		} else if (!k->func && kind == BTF_KIND_FUNC_PROTO) {
			t->info = info_enc(BTF_KIND_ENUM, false, vlen);
			t->size = sizeof(uint32_t);
		} else if (!k->func && kind == BTF_KIND_FUNC) {
			t->info = info_enc(BTF_KIND_TYPEDEF, false, 0);
		} else if (!k->global_func && kind == BTF_KIND_FUNC) {
			t->info = info_enc(BTF_KIND_FUNC, false, BTF_FUNC_STATIC);
		} else if (!k->float_kind && kind == BTF_KIND_FLOAT) {
			/* "float" is no valid struct name: anonymous */
			t->name_off = 0;
			t->info = info_enc(BTF_KIND_STRUCT, false, 0);
		} else if (!k->type_tag && kind == BTF_KIND_TYPE_TAG) {
			t->name_off = 0;
			t->info = info_enc(BTF_KIND_CONST, false, 0);
		} else if (!k->enum64 && kind == BTF_KIND_ENUM) {
			t->info = info_enc(BTF_KIND_ENUM, false, vlen);
		} else if (!k->enum64 && kind == BTF_KIND_ENUM64) {
			/* btf_enum64 and btf_member are both 12 bytes: names stay */
			struct btf_member *m = (struct btf_member *)(t + 1);

			if (!placeholder)
				placeholder = add_type(w, placeholder_name,
						       info_enc(BTF_KIND_INT, false, 0), 1,
						       int_enc(0, 0, 8));
			t->info = info_enc(BTF_KIND_UNION, false, vlen);
			for (j = 0; j < vlen; j++) {
				m[j].type = placeholder;
				m[j].offset = 0;
			}
		}
	}
}

/* ---- the whole ---- */

static int setup(struct wbtf *w, const struct bbpf_object *obj, struct bbpf_arena *arena)
{
	const struct bbpf_btf *btf = obj->btf;
	uint32_t i;

	w->obj = obj;
	w->arena = arena;
	w->cnt = btf->type_cnt;
	w->types_len = btf->types_len;
	w->str_len = btf->str_len;
	/*
	 * One block, the blob to be: header, types and room for the appended
	 * ones, strings and room for theirs (serialize() closes the gap). Not
	 * cleared: the copies below fill the used part, and add_type/add_str
	 * write whole records and strings into the reserved room before
	 * types_len/str_len cover them.
	 */
	w->types = bbpf_arena_alloc(arena, sizeof(struct btf_header) + (size_t)btf->types_len +
				   MAX_ADDED * ADDED_REC_LEN + btf->str_len +
				   sizeof(dummy_ksym_name) + sizeof(placeholder_name));
	/* offs, then ext_of */
	w->offs = bbpf_arena_calloc(arena, (size_t)btf->type_cnt + MAX_ADDED, 2 * sizeof(uint32_t));
	if (!w->types || !w->offs)
		return -ENOMEM;
	w->ext_of = w->offs + btf->type_cnt + MAX_ADDED;
	w->types += sizeof(struct btf_header);
	w->strs = (char *)w->types + btf->types_len + MAX_ADDED * ADDED_REC_LEN;
	memcpy(w->types, btf->types, btf->types_len);
	memcpy(w->strs, btf->strs, btf->str_len);
	for (i = 1; i < btf->type_cnt; i++)
		w->offs[i] = btf->type_offs[i - 1];
	for (i = 0; i < obj->extern_cnt; i++)
		if (obj->externs[i].btf_id < w->cnt)
			w->ext_of[obj->externs[i].btf_id] = i + 1;
	return 0;
}

static int serialize(struct wbtf *w, uint32_t orig_cnt, struct bbpf_btf_blob *out)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
		.type_off = 0, .type_len = w->types_len,
		.str_off = w->types_len, .str_len = w->str_len,
	};
	size_t len = sizeof(h) + (size_t)w->types_len + w->str_len;
	uint8_t *p = w->types - sizeof(h);	/* setup()'s block */

	if (len > UINT32_MAX)
		return -E2BIG;
	memcpy(p, &h, sizeof(h));
	memmove(w->types + w->types_len, w->strs, w->str_len);
	out->data = p;
	out->len = (uint32_t)len;
	out->type_cnt = w->cnt;
	out->added = w->cnt - orig_cnt;
	return 0;
}

int bbpf_btf_fixup(const struct bbpf_object *obj, const struct bbpf_btf_kinds *kinds,
		   struct bbpf_arena *arena, struct bbpf_btf_blob *out)
{
	struct var_syms syms;
	struct wbtf w;
	uint32_t id;
	int err;

	if (!obj->btf || obj->btf->base)
		return -EINVAL;
	err = setup(&w, obj, arena);
	err = err ?: index_var_syms(obj, arena, &syms);
	if (err)
		return err;
	id = bbpf_obj_find_datasec(obj, ".ksyms");
	if (id)
		err = fix_ksyms(&w, id);
	id = bbpf_obj_find_datasec(obj, ".kconfig");
	if (!err && id)
		err = fix_kconfig(&w, id);
	if (err)
		return err;
	fix_loose_kfuncs(&w);
	for (id = 1; id < w.cnt; id++) {
		if (kind_of(wt(&w, id)) != BTF_KIND_DATASEC)
			continue;
		err = fix_datasec(&w, id, &syms);
		if (err)
			return err;
	}
	mark_hidden_subprogs(&w);
	if (bbpf_btf_kinds_lacking(kinds))
		sanitize(&w, kinds);
	return serialize(&w, obj->btf->type_cnt, out);
}
