/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF reader; see btf.h.
 *
 * Raw layout (section offsets are relative to the end of the header):
 *
 *   0        btf_header: u16 magic 0xeB9F, u8 version 1, u8 flags 0,
 *            u32 hdr_len, type_off, type_len, str_off, str_len
 *   24       (hdr_len - 24 bytes of a newer header: must be zero)
 *   hdr_len  type section: records of struct btf_type followed by kind
 *            specific u32 words (every field of every record is a u32)
 *            string section: "\0name\0name\0...", last byte NUL
 *
 * Parsing has two phases, as in the kernel: parse_types() walks the records
 * and records their offsets (structure only), then check_type() validates
 * every id and name offset once. After that, accessors trust the records.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <barebpf/object.h>
#include "../base/cursor.h"
#include "btf_int.h"

#define BTF_HDR_LEN	24u
/* vlen, kind and kind_flag; bits 16-23 and 29-30 are reserved. */
#define BTF_INFO_MASK	0x9f00ffffu
/* Reserved bits of an INT's u32 (the kernel leaves 8-15 unchecked). */
#define BTF_INT_RESERVED 0xf0000000u

struct btf_hdr {
	uint32_t hdr_len;
	uint32_t type_off;
	uint32_t type_len;
	uint32_t str_off;
	uint32_t str_len;
};
_Static_assert(sizeof(struct btf_hdr) == BTF_HDR_LEN - 4, "btf_hdr as in the input");

static int bad(struct bbpf_diag *d, enum bbpf_bad why, uint64_t off, uint32_t id)
{
	return bbpf_diag_fail(d, why, BBPF_DIAG_NO_SEC, off, id);
}

/* The header of data[0..len), read in place once the 24 bytes are known to be there. */
static int read_hdr(const uint8_t *data, uint32_t len, bool sw, struct btf_hdr *h,
		    struct bbpf_diag *d)
{
	uint64_t data_len, i;

	if (len < BTF_HDR_LEN || load_u16(data, sw) != BTF_MAGIC) {
		bad(d, BBPF_BAD_BTF_HEADER, 0, 0);
		return -EBADMSG;	/* as returned: the compiler then knows *h is set */
	}
	memcpy(h, data + 4, sizeof(*h));	/* the five u32 after magic, version, flags */
	if (sw)
		bbpf_cursor_swap(h, "44444");
	if (data[2] != BTF_VERSION)
		return bad(d, BBPF_BAD_BTF_HEADER, 2, 0);
	if (data[3])	/* flags */
		return bad(d, BBPF_BAD_BTF_HEADER, 3, 0);
	if (h->hdr_len < BTF_HDR_LEN || h->hdr_len > len)
		return bad(d, BBPF_BAD_BTF_HEADER, 4, 0);
	/* A longer header is a newer format; accept it only if it says nothing. */
	for (i = BTF_HDR_LEN; i < h->hdr_len; i++) {
		if (data[i])
			return bad(d, BBPF_BAD_BTF_HEADER, i, 0);
	}
	data_len = len - h->hdr_len;
	if (h->type_off % 4)
		return bad(d, BBPF_BAD_BTF_HEADER, 8, 0);
	if (!span_ok(h->type_off, h->type_len, data_len))
		return bad(d, BBPF_BAD_BTF_HEADER, 12, 0);
	if (!span_ok(h->str_off, h->str_len, data_len))
		return bad(d, BBPF_BAD_BTF_HEADER, 20, 0);
	/* Both spans are in range, so these sums cannot overflow 64 bits. */
	if (h->type_len && h->str_len &&
	    (uint64_t)h->type_off < (uint64_t)h->str_off + h->str_len &&
	    (uint64_t)h->str_off < (uint64_t)h->type_off + h->type_len)
		return bad(d, BBPF_BAD_BTF_HEADER, 16, 0);
	return 0;
}

/*
 * Split BTF may have no strings of its own, and its first byte need not be
 * NUL (offset start_str_off is then a real name). Base BTF must start with
 * "" so that offset 0 is the empty name.
 */
static int check_strings(struct bbpf_btf *b, const uint8_t *s, uint32_t len, uint64_t file_off,
			 struct bbpf_diag *d)
{
	b->strs = (const char *)s;
	if ((uint64_t)b->start_str_off + len > BBPF_MAX_BTF_STR_LEN)
		return bad(d, BBPF_BAD_BTF_LIMIT, file_off, 0);
	b->str_len = b->start_str_off + len;
	if (b->base && len == 0)
		return 0;
	if (len == 0 || (!b->base && s[0]))
		return bad(d, BBPF_BAD_BTF_STRINGS, file_off, 0);
	if (s[len - 1])
		return bad(d, BBPF_BAD_BTF_STRINGS, file_off + len - 1, 0);
	return 0;
}

uint32_t bbpf_btf_type_rec_len(const struct btf_type *t)
{
	return bbpf_btf_info_rec_len(t->info);
}

static void swap_words(uint8_t *p, uint32_t len)
{
	uint32_t i, v;

	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&v, p + i, 4);
		v = __builtin_bswap32(v);
		memcpy(p + i, &v, 4);
	}
}

/*
 * Walk the records of b->types, swapping them in place first when mut (the
 * same bytes, a private copy) is given, and store each record's offset in
 * offs (room for one per BTF_MIN_REC_LEN bytes). Returns the record count,
 * or a negative errno. vlen is a 16-bit field, so the BBPF_MAX_BTF_VLEN
 * limit holds by construction and a record is < 1 MiB.
 */
static int64_t walk_types(const struct bbpf_btf *b, uint8_t *mut, uint32_t *offs,
			  uint64_t file_off, struct bbpf_diag *d)
{
	const uint32_t max_own = b->start_id < BBPF_MAX_BTF_TYPES ?
				 BBPF_MAX_BTF_TYPES - b->start_id : 0;
	uint32_t off = 0, cnt = 0, len, info;

	while (off < b->types_len) {
		if (b->types_len - off < BTF_MIN_REC_LEN)
			return bad(d, BBPF_BAD_BTF_TYPE, file_off + off, b->start_id + cnt);
		if (mut)
			swap_words(mut + off, BTF_MIN_REC_LEN);
		memcpy(&info, b->types + off + offsetof(struct btf_type, info), sizeof(info));
		len = bbpf_btf_info_rec_len(info);
		if (!len)
			return bad(d, BBPF_BAD_BTF_KIND, file_off + off + 4, b->start_id + cnt);
		if (len > b->types_len - off)
			return bad(d, BBPF_BAD_BTF_TYPE, file_off + off, b->start_id + cnt);
		if (cnt == max_own)
			return bad(d, BBPF_BAD_BTF_LIMIT, file_off + off, b->start_id + cnt);
		if (mut)
			swap_words(mut + off + BTF_MIN_REC_LEN, len - BTF_MIN_REC_LEN);
		offs[cnt++] = off;	/* cnt < types_len / BTF_MIN_REC_LEN: off + len fits */
		off += len;
	}
	return cnt;
}

static bool id_ok(const struct bbpf_btf *b, uint32_t id)
{
	return id < b->type_cnt;
}

/* The last string byte is NUL, so every offset below str_len is a string. */
static bool name_ok(const struct bbpf_btf *b, uint32_t off)
{
	return off < b->str_len;
}

static bool has_name(const struct bbpf_btf *b, uint32_t off)
{
	const char *s = bbpf_btf_str(b, off);

	return s && *s;
}

struct check {
	const struct bbpf_btf *b;
	uint32_t id;
	uint64_t off;		/* of the record in the input, for diagnostics */
	struct bbpf_diag *d;
};

static int fail(const struct check *c, enum bbpf_bad why, uint32_t field_off)
{
	return bad(c->d, why, c->off + field_off, c->id);
}

static bool kind_is(const struct bbpf_btf *b, uint32_t id, uint32_t kind)
{
	const struct btf_type *t = bbpf_btf_type(b, id);

	return t && bbpf_btf_kind(t) == kind;
}

static int check_int(const struct check *c, const struct btf_type *t)
{
	uint32_t v, bits, enc;

	memcpy(&v, t + 1, sizeof(v));
	bits = BTF_INT_BITS(v);
	enc = BTF_INT_ENCODING(v);
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 && t->size != 16)
		return fail(c, BBPF_BAD_BTF_TYPE, 8);
	if ((v & BTF_INT_RESERVED) || bits > 128 ||
	    BTF_INT_OFFSET(v) + bits > t->size * 8)
		return fail(c, BBPF_BAD_BTF_TYPE, 12);
	/* At most one encoding flag: SIGNED, CHAR or BOOL. */
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return fail(c, BBPF_BAD_BTF_TYPE, 12);
	return 0;
}

static int check_members(const struct check *c, const struct btf_type *t)
{
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i, vlen = bbpf_btf_vlen(t), field;
	uint64_t bit_off;

	for (i = 0; i < vlen; i++) {
		field = sizeof(*t) + i * sizeof(*m);
		if (!name_ok(c->b, m[i].name_off))
			return fail(c, BBPF_BAD_BTF_NAME, field);
		/* A member cannot be void. */
		if (!m[i].type || !id_ok(c->b, m[i].type))
			return fail(c, BBPF_BAD_BTF_TYPE_ID, field + 4);
		bit_off = bbpf_btf_member_bit_off(t, &m[i]);
		if (bbpf_btf_kind(t) == BTF_KIND_UNION && bit_off)
			return fail(c, BBPF_BAD_BTF_TYPE, field + 8);
		/* ">" rather than ">=": a trailing "char a[0]" sits at the end. */
		if ((bit_off + bbpf_btf_member_bitfield_size(t, &m[i]) + 7) / 8 > t->size)
			return fail(c, BBPF_BAD_BTF_TYPE, field + 8);
	}
	return 0;
}

static int check_enum(const struct check *c, const struct btf_type *t)
{
	uint32_t i, vlen = bbpf_btf_vlen(t), esz;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return fail(c, BBPF_BAD_BTF_TYPE, 8);
	esz = bbpf_btf_kind(t) == BTF_KIND_ENUM ? sizeof(struct btf_enum) :
						  sizeof(struct btf_enum64);
	/* name_off is the first word of both btf_enum and btf_enum64. */
	for (i = 0; i < vlen; i++) {
		uint32_t name_off;

		memcpy(&name_off, (const uint8_t *)(t + 1) + i * esz, sizeof(name_off));
		if (!name_ok(c->b, name_off))
			return fail(c, BBPF_BAD_BTF_NAME, sizeof(*t) + i * esz);
	}
	return 0;
}

static int check_proto(const struct check *c, const struct btf_type *t)
{
	const struct btf_param *p = bbpf_btf_params(t);
	uint32_t i, vlen = bbpf_btf_vlen(t), field;

	/* name and return type: kind_rules[] */
	for (i = 0; i < vlen; i++) {
		field = sizeof(*t) + i * sizeof(*p);
		if (!name_ok(c->b, p[i].name_off))
			return fail(c, BBPF_BAD_BTF_NAME, field);
		if (!id_ok(c->b, p[i].type))
			return fail(c, BBPF_BAD_BTF_TYPE_ID, field + 4);
		/* void marks varargs: only last, and unnamed. */
		if (!p[i].type && (i + 1 != vlen || p[i].name_off))
			return fail(c, BBPF_BAD_BTF_TYPE, field + 4);
	}
	return 0;
}

static int check_datasec(const struct check *c, const struct btf_type *t)
{
	const struct btf_var_secinfo *s = bbpf_btf_secinfos(t);
	uint32_t i, vlen = bbpf_btf_vlen(t);

	/*
	 * The name: kind_rules[]. Offsets and sizes are not checked against t->size: objects carry
	 * .kconfig/.ksyms sections of size 0 that the loader fills in.
	 * Entries are VARs, or FUNCs for kfunc externs in .ksyms.
	 */
	for (i = 0; i < vlen; i++) {
		if (!kind_is(c->b, s[i].type, BTF_KIND_VAR) &&
		    !kind_is(c->b, s[i].type, BTF_KIND_FUNC))
			return fail(c, BBPF_BAD_BTF_TYPE_ID, sizeof(*t) + i * sizeof(*s));
	}
	return 0;
}

/* component_idx -1 tags the whole target, otherwise a member or parameter. */
static int check_decl_tag(const struct check *c, const struct btf_type *t)
{
	const struct btf_type *target;
	int32_t idx;

	memcpy(&idx, t + 1, sizeof(idx));
	/* name and target: kind_rules[] */
	if (idx == -1)
		return 0;
	target = bbpf_btf_type(c->b, t->type);
	/* A FUNC's parameters live in its FUNC_PROTO. */
	if (bbpf_btf_kind(target) == BTF_KIND_FUNC) {
		target = bbpf_btf_type(c->b, target->type);
		if (!target || bbpf_btf_kind(target) != BTF_KIND_FUNC_PROTO)
			return fail(c, BBPF_BAD_BTF_TYPE, 12);
	} else if (bbpf_btf_kind(target) != BTF_KIND_STRUCT &&
		   bbpf_btf_kind(target) != BTF_KIND_UNION) {
		return fail(c, BBPF_BAD_BTF_TYPE, 12);
	}
	if (idx < 0 || (uint32_t)idx >= bbpf_btf_vlen(target))
		return fail(c, BBPF_BAD_BTF_TYPE, 12);
	return 0;
}

/*
 * The checks every kind starts with, in this order: kind_flag and vlen
 * (TYPE at 4), its name (NAME at 0), FUNC's linkage (TYPE at 4), then
 * t->type (TYPE_ID at 8). Kind-specific checks follow in check_type().
 */
enum {
	N_NONE = 1,	/* name_off must be 0 */
	N_REQ = 2,	/* a non-empty name */
	T_ID = 4,	/* t->type a valid id, void allowed */
	T_NONVOID = 8,	/* t->type a valid id other than void */
	LINKAGE = 16,	/* vlen is a FUNC's linkage */
	KFLAG = 32,	/* kind_flag has a meaning; otherwise it must be 0 */
	VLEN = 64,	/* vlen has a meaning; otherwise it must be 0 */
};

static const uint8_t kind_rules[NR_BTF_KINDS] = {
	[BTF_KIND_INT] = 0,
	[BTF_KIND_PTR] = N_NONE | T_ID,
	[BTF_KIND_VOLATILE] = N_NONE | T_ID,
	[BTF_KIND_CONST] = N_NONE | T_ID,
	[BTF_KIND_RESTRICT] = N_NONE | T_ID,
	[BTF_KIND_TYPEDEF] = N_REQ | T_ID,
	[BTF_KIND_TYPE_TAG] = N_REQ | T_ID | KFLAG,
	[BTF_KIND_ARRAY] = N_NONE,
	[BTF_KIND_STRUCT] = KFLAG | VLEN,
	[BTF_KIND_UNION] = KFLAG | VLEN,
	[BTF_KIND_ENUM] = KFLAG | VLEN,
	[BTF_KIND_ENUM64] = KFLAG | VLEN,
	[BTF_KIND_FWD] = N_REQ | KFLAG,
	[BTF_KIND_FUNC] = N_REQ | LINKAGE | T_ID | VLEN,
	[BTF_KIND_FUNC_PROTO] = N_NONE | T_ID | VLEN,
	[BTF_KIND_VAR] = N_REQ | T_NONVOID,
	[BTF_KIND_DATASEC] = N_REQ | VLEN,
	[BTF_KIND_DECL_TAG] = N_REQ | T_NONVOID | KFLAG,
};

static int check_type(const struct check *c, const struct btf_type *t)
{
	uint32_t kind = bbpf_btf_kind(t), rules;
	const struct btf_array *a;

	/* walk_types() let only known kinds through */
	rules = kind < NR_BTF_KINDS ? kind_rules[kind] : 0;
	if (t->info & ~BTF_INFO_MASK)
		return fail(c, BBPF_BAD_BTF_TYPE, 4);
	if ((bbpf_btf_kflag(t) && !(rules & KFLAG)) || (bbpf_btf_vlen(t) && !(rules & VLEN)))
		return fail(c, BBPF_BAD_BTF_TYPE, 4);
	if (!name_ok(c->b, t->name_off))
		return fail(c, BBPF_BAD_BTF_NAME, 0);
	if (((rules & N_NONE) && t->name_off) || ((rules & N_REQ) && !has_name(c->b, t->name_off)))
		return fail(c, BBPF_BAD_BTF_NAME, 0);
	/* Linkage in vlen: static, global, extern (kfunc externs in objects). */
	if ((rules & LINKAGE) && bbpf_btf_vlen(t) > BTF_FUNC_EXTERN)
		return fail(c, BBPF_BAD_BTF_TYPE, 4);
	if ((rules & (T_ID | T_NONVOID)) &&
	    (!id_ok(c->b, t->type) || ((rules & T_NONVOID) && !t->type)))
		return fail(c, BBPF_BAD_BTF_TYPE_ID, 8);

	switch (kind) {
	case BTF_KIND_INT:
		return check_int(c, t);
	case BTF_KIND_PTR:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		a = bbpf_btf_array(t);
		if (t->size)
			return fail(c, BBPF_BAD_BTF_TYPE, 8);
		if (!a->type || !id_ok(c->b, a->type))
			return fail(c, BBPF_BAD_BTF_TYPE_ID, 12);
		return id_ok(c->b, a->index_type) ? 0 : fail(c, BBPF_BAD_BTF_TYPE_ID, 16);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return check_members(c, t);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return check_enum(c, t);
	case BTF_KIND_FWD:
		return t->type ? fail(c, BBPF_BAD_BTF_TYPE, 8) : 0;
	case BTF_KIND_FUNC:
		return kind_is(c->b, t->type, BTF_KIND_FUNC_PROTO) ? 0 :
								     fail(c, BBPF_BAD_BTF_TYPE, 8);
	case BTF_KIND_FUNC_PROTO:
		return check_proto(c, t);
	case BTF_KIND_VAR:
		return bbpf_btf_var(t)->linkage > BTF_VAR_GLOBAL_EXTERN ?
			       fail(c, BBPF_BAD_BTF_TYPE, 12) : 0;
	case BTF_KIND_DATASEC:
		return check_datasec(c, t);
	case BTF_KIND_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
			return fail(c, BBPF_BAD_BTF_TYPE, 8);
		return 0;
	case BTF_KIND_DECL_TAG:
		return check_decl_tag(c, t);
	default:
		return fail(c, BBPF_BAD_BTF_KIND, 4);
	}
}

/* How much of the input is checked, and when; see btf.h. */
enum mode {
	FULL,		/* untrusted: structure and phase 2, dense index */
	TRUSTED,	/* structure now, sparse index */
	LAZY,		/* structure on first need, sparse index */
};

static int parse(struct bbpf_btf *out, const uint8_t *data, uint32_t len, bool swap,
		 enum mode mode, const struct bbpf_btf *base, struct bbpf_arena *arena,
		 struct bbpf_diag *d)
{
	struct bbpf_btf b = { .base = base, .swap = swap, .arena = arena };
	struct btf_hdr h;
	const uint8_t *types;
	uint64_t types_file_off;
	uint8_t *copy = NULL;
	int64_t cnt;
	uint32_t i;
	int err;

	err = read_hdr(data, len, swap, &h, d);
	if (err)
		return err;
	/* A lazy base is walked now: split ids start after its last. */
	b.start_id = base ? bbpf_btf_type_cnt(base) : 1;
	if (!b.start_id)
		return bad(d, BBPF_BAD_BTF_TYPE, 0, 0);
	b.start_str_off = base ? base->str_len : 0;
	err = check_strings(&b, data + h.hdr_len + h.str_off, h.str_len,
			    (uint64_t)h.hdr_len + h.str_off, d);
	if (err)
		return err;

	/* Records are served as structs: they must be host order and aligned. */
	types_file_off = (uint64_t)h.hdr_len + h.type_off;
	types = data + types_file_off;
	b.types_len = h.type_len;
	if (swap || (uintptr_t)types % 4) {
		copy = bbpf_arena_memdup(arena, types, h.type_len);
		if (!copy)
			return -ENOMEM;
		types = copy;
	}
	b.types = types;
	/* Host order: the sparse index; its walk is now (TRUSTED) or later (LAZY). */
	if (mode != FULL && !swap) {
		err = bbpf_btf_sparse_init(&b, types_file_off);
		if (!err && mode == TRUSTED)
			err = bbpf_btf_complete(&b, d);
		if (err)
			return err;
		*out = b;
		return 0;
	}
	/* One pass checks, swaps, counts and stores offsets (not cleared: read below cnt). */
	b.type_offs = bbpf_arena_alloc_array(arena, h.type_len / BTF_MIN_REC_LEN,
					     sizeof(uint32_t));
	if (!b.type_offs)
		return -ENOMEM;
	cnt = walk_types(&b, swap ? copy : NULL, b.type_offs, types_file_off, d);
	if (cnt < 0)
		return (int)cnt;
	b.type_cnt = b.start_id + (uint32_t)cnt;

	/* Trusted input stops after the structural pass (see btf.h). */
	for (i = 0; mode == FULL && i < (uint32_t)cnt; i++) {
		struct check chk = {
			.b = &b, .id = b.start_id + i, .off = types_file_off + b.type_offs[i], .d = d,
		};

		err = check_type(&chk, (const struct btf_type *)(b.types + b.type_offs[i]));
		if (err)
			return err;
	}
	*out = b;
	return 0;
}

int bbpf_btf_parse(struct bbpf_btf *btf, const void *data, uint32_t len, bool swap,
		   const struct bbpf_btf *base, struct bbpf_arena *arena,
		   struct bbpf_diag *diag)
{
	if (!btf || !arena || (!data && len))
		return -EINVAL;
	return parse(btf, data, len, swap, FULL, base, arena, diag);
}

static int parse_raw(struct bbpf_btf *btf, const void *data, uint32_t len, enum mode mode,
		     const struct bbpf_btf *base, struct bbpf_arena *arena, struct bbpf_diag *diag)
{
	uint16_t magic = BTF_MAGIC;

	if (!btf || !arena || (!data && len))
		return -EINVAL;
	/* Too short for a magic: read_hdr() reports the header as for any short input. */
	if (len >= sizeof(magic))
		memcpy(&magic, data, sizeof(magic));
	/* A magic of the wrong shape either way is reported by read_hdr(). */
	return parse(btf, data, len, magic != BTF_MAGIC && __builtin_bswap16(magic) == BTF_MAGIC,
		     mode, base, arena, diag);
}

int bbpf_btf_parse_raw(struct bbpf_btf *btf, const void *data, uint32_t len,
		       const struct bbpf_btf *base, struct bbpf_arena *arena,
		       struct bbpf_diag *diag)
{
	return parse_raw(btf, data, len, FULL, base, arena, diag);
}

int bbpf_btf_parse_trusted(struct bbpf_btf *btf, const void *data, uint32_t len,
			   const struct bbpf_btf *base, struct bbpf_arena *arena,
			   struct bbpf_diag *diag)
{
	return parse_raw(btf, data, len, TRUSTED, base, arena, diag);
}

int bbpf_btf_parse_lazy(struct bbpf_btf *btf, const void *data, uint32_t len,
			const struct bbpf_btf *base, struct bbpf_arena *arena,
			struct bbpf_diag *diag)
{
	return parse_raw(btf, data, len, LAZY, base, arena, diag);
}

const struct btf_type *bbpf_btf_type(const struct bbpf_btf *btf, uint32_t id)
{
	if (!btf || id == 0 || id >= btf->type_cnt)
		return NULL;
	/* The root's start_id is 1 and id >= 1, so this stops. */
	while (id < btf->start_id)
		btf = btf->base;
	if (btf->sparse)
		return bbpf_btf_sparse_type(btf, id - btf->start_id);
	return (const struct btf_type *)(btf->types + btf->type_offs[id - btf->start_id]);
}

const char *bbpf_btf_str(const struct bbpf_btf *btf, uint32_t off)
{
	if (!btf || off >= btf->str_len)
		return NULL;
	/* The root's start_str_off is 0, so this stops. */
	while (off < btf->start_str_off)
		btf = btf->base;
	return btf->strs + (off - btf->start_str_off);
}

const char *bbpf_btf_name(const struct bbpf_btf *btf, uint32_t id)
{
	const struct btf_type *t = bbpf_btf_type(btf, id);
	const char *s = t ? bbpf_btf_str(btf, t->name_off) : NULL;

	return s ? s : "";
}

static bool is_mod(uint32_t kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_CONST ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

uint32_t bbpf_btf_skip_mods(const struct bbpf_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	uint32_t hops;

	for (hops = 0;; hops++) {
		t = bbpf_btf_type(btf, id);
		if (!t || !is_mod(bbpf_btf_kind(t)))
			return id;
		if (hops == BBPF_MAX_DEPTH)
			return 0;
		id = t->type;
	}
}

uint32_t bbpf_btf_resolve(const struct bbpf_btf *btf, uint32_t id)
{
	return bbpf_btf_skip_mods(btf, id);
}

/* Arrays of arrays multiply; a loop with the same hop bound as skip_mods. */
int64_t bbpf_btf_resolve_size(const struct bbpf_btf *btf, uint32_t id)
{
	const struct btf_array *a;
	const struct btf_type *t;
	uint64_t nelems = 1, size;
	uint32_t hops;

	for (hops = 0;; hops++) {
		t = bbpf_btf_type(btf, id);
		if (!t)
			return -EINVAL;
		switch (bbpf_btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_FLOAT:
		case BTF_KIND_DATASEC:
			size = t->size;
			goto out;
		case BTF_KIND_PTR:
			size = 8;	/* BPF is a 64-bit target */
			goto out;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR:
			id = t->type;
			break;
		case BTF_KIND_ARRAY:
			a = bbpf_btf_array(t);
			if (a->nelems && nelems > INT64_MAX / a->nelems)
				return -E2BIG;
			nelems *= a->nelems;
			id = a->type;
			break;
		default:
			return -EINVAL;
		}
		if (hops == BBPF_MAX_DEPTH)
			return -ELOOP;
	}
out:
	if (size && nelems > INT64_MAX / size)
		return -E2BIG;
	return (int64_t)(nelems * size);
}
