/* SPDX-License-Identifier: BSD-2-Clause */
/* see dump_raw.h */
#include <errno.h>
#include <string.h>
#include "dump_raw.h"
#include "dump_json.h"
#include "dump_value.h"

/*
 * Output through dump_json's writer: its JSON layout is bpftool's, and
 * plain text goes through it as raw bytes (no cap).
 */
struct raw {
	struct bbpf_dump_json j;
	bool json;
};

static void puts_(struct raw *r, const char *s)
{
	bbpf_dump_json_raw_str(&r->j, s);
}

/* v in decimal, as text or as a JSON value. */
static void num(struct raw *r, int64_t v, bool sign)
{
	char b[24];
	size_t n = sign ? bbpf_dump_json_fmt_i64(b, v) : bbpf_dump_json_fmt_u64(b, (uint64_t)v);

	if (r->json)
		bbpf_dump_json_value(&r->j, b, n);
	else
		bbpf_dump_json_raw(&r->j, b, n);
}

/* ---- the records ---- */

const char *bbpf_dump_raw_kind_name(uint32_t kind)
{
	/* By kind, BTF_KIND_UNKN (0) to BTF_KIND_ENUM64 (19): no table of pointers. */
	static const char names[] =
		"UNKN\0INT\0PTR\0ARRAY\0STRUCT\0UNION\0ENUM\0FWD\0TYPEDEF\0VOLATILE\0"
		"CONST\0RESTRICT\0FUNC\0FUNC_PROTO\0VAR\0DATASEC\0FLOAT\0DECL_TAG\0TYPE_TAG\0ENUM64";
	const char *p = names;

	_Static_assert(BTF_KIND_ENUM64 == 19, "one name per kind");
	if (kind > BTF_KIND_ENUM64)
		return NULL;
	for (; kind; kind--)
		p += strlen(p) + 1;
	return p;
}

/* bpftool's names: UNKNOWN for 0 and past the last kind. */
static const char *kind_str(uint32_t kind)
{
	return kind && kind <= BTF_KIND_ENUM64 ? bbpf_dump_raw_kind_name(kind) : "UNKNOWN";
}

/* Encodings 0..4 (BTF_INT_SIGNED 1, CHAR 2, BOOL 4), linkages 0..2. */
static const char int_enc[][7] = { "(none)", "SIGNED", "CHAR", "UNKN", "BOOL" };
static const char linkage[][7] = { "static", "global", "extern" };
static const char array_keys[][15] = { " type_id", " index_type_id", " nr_elems" };

static const char *linkage_str(uint32_t l)
{
	return l < 3 ? linkage[l] : "(unknown)";
}

/* bpftool's btf_str(): "(anon)" for 0, "(invalid)" past the strings. */
static const char *name_of(const struct bbpf_btf *btf, uint32_t off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = bbpf_btf_str(btf, off);
	return s ? s : "(invalid)";
}

/* Text: pre, "KIND 'name", post. */
static void kind_and_name(struct raw *r, const char *pre, const struct bbpf_btf *btf,
			  const struct btf_type *t, const char *post)
{
	puts_(r, pre);
	puts_(r, kind_str(bbpf_btf_kind(t)));
	puts_(r, " '");
	puts_(r, name_of(btf, t->name_off));
	puts_(r, post);
}

/*
 * k is the text's separator and key (" size", ", linkage"): "k=" in text,
 * the key without the separator as the member name in JSON.
 */
static void key(struct raw *r, const char *k)
{
	if (r->json) {
		while (*k == ',' || *k == ' ')
			k++;
		bbpf_dump_json_name(&r->j, k);
	} else {
		puts_(r, k);
		puts_(r, "=");
	}
}

static void field_u(struct raw *r, const char *k, uint64_t v)
{
	key(r, k);
	num(r, (int64_t)v, false);
}

static void field_s(struct raw *r, const char *k, const char *v)
{
	key(r, k);
	if (r->json)
		bbpf_dump_json_string(&r->j, v);
	else
		puts_(r, v);
}

/* A member/param/value line (text) or object (JSON) opener. */
static void item_begin(struct raw *r, const char *name)
{
	if (r->json) {
		bbpf_dump_json_start_object(&r->j);
		if (name)
			field_s(r, "name", name);
		return;
	}
	puts_(r, "\n\t");
	if (name) {
		puts_(r, "'");
		puts_(r, name);
		puts_(r, "'");
	}
}

static void item_end(struct raw *r)
{
	if (r->json)
		bbpf_dump_json_end_object(&r->j);
}

/* The array's key in JSON. */
static void list_key(struct raw *r, const char *k)
{
	if (r->json) {
		bbpf_dump_json_name(&r->j, k);
		bbpf_dump_json_start_array(&r->j);
	}
}

/* " size=%u vlen=%u" or their JSON fields, then the array's key. */
static void list_begin(struct raw *r, const struct btf_type *t, const char *k)
{
	field_u(r, " size", t->size);
	field_u(r, " vlen", bbpf_btf_vlen(t));
	list_key(r, k);
}

static void list_end(struct raw *r)
{
	if (r->json)
		bbpf_dump_json_end_array(&r->j);
}

__attribute__((noinline))
static void dump_type(struct raw *r, const struct bbpf_btf *btf, uint32_t id,
		      const struct btf_type *t)
{
	uint32_t kind = bbpf_btf_kind(t), vlen = bbpf_btf_vlen(t), v, i, bits, name_off;
	bool is64 = kind == BTF_KIND_ENUM64, sign = bbpf_btf_kflag(t);
	const struct btf_member *m = bbpf_btf_members(t);
	const struct btf_param *p = bbpf_btf_params(t);
	const struct btf_var_secinfo *vs = bbpf_btf_secinfos(t);
	const struct btf_type *vt;
	int64_t val;
	int32_t idx;

	if (r->json) {
		bbpf_dump_json_start_object(&r->j);
		field_u(r, "id", id);
		field_s(r, "kind", kind_str(kind));
		field_s(r, "name", name_of(btf, t->name_off));
	} else {
		puts_(r, "[");
		num(r, id, false);
		kind_and_name(r, "] ", btf, t, "'");
	}
	/* The kinds whose first field is the type (size) they refer to. */
	if ((1u << BTF_KIND_PTR | 1u << BTF_KIND_TYPEDEF | 1u << BTF_KIND_VOLATILE |
	     1u << BTF_KIND_CONST | 1u << BTF_KIND_RESTRICT | 1u << BTF_KIND_FUNC |
	     1u << BTF_KIND_VAR | 1u << BTF_KIND_DECL_TAG | 1u << BTF_KIND_TYPE_TAG) >> kind & 1)
		field_u(r, " type_id", t->type);
	if ((1u << BTF_KIND_INT | 1u << BTF_KIND_FLOAT) >> kind & 1)
		field_u(r, " size", t->size);
	switch (kind) {
	case BTF_KIND_INT:
		memcpy(&v, t + 1, sizeof(v));
		field_u(r, " bits_offset", BTF_INT_OFFSET(v));
		field_u(r, " nr_bits", BTF_INT_BITS(v));
		v = BTF_INT_ENCODING(v);
		field_s(r, " encoding", v <= 4 ? int_enc[v] : int_enc[3]);
		break;
	case BTF_KIND_ARRAY:
		/* struct btf_array: type, index_type, nelems */
		for (i = 0; i < 3; i++) {
			memcpy(&v, (const uint8_t *)(t + 1) + 4 * i, sizeof(v));
			field_u(r, array_keys[i], v);
		}
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		list_begin(r, t, "members");
		for (i = 0; i < vlen; i++) {
			item_begin(r, name_of(btf, m[i].name_off));
			field_u(r, " type_id", m[i].type);
			field_u(r, " bits_offset", bbpf_btf_member_bit_off(t, &m[i]));
			bits = bbpf_btf_member_bitfield_size(t, &m[i]);
			if (bits)
				field_u(r, " bitfield_size", bits);
			item_end(r);
		}
		list_end(r);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		field_s(r, " encoding", sign ? "SIGNED" : "UNSIGNED");
		list_begin(r, t, "values");
		for (i = 0; i < vlen; i++) {
			val = (int64_t)bbpf_dump_value_enumerator(t, i, &name_off);
			/*
			 * A 32-bit value: signed ones widen with their sign,
			 * and so do unsigned ones in JSON (bpftool).
			 */
			if (!is64 && !sign && !r->json)
				val = (uint32_t)val;
			item_begin(r, name_of(btf, name_off));
			key(r, " val");
			num(r, val, sign);
			if (is64 && !r->json)
				puts_(r, sign ? "LL" : "ULL");
			item_end(r);
		}
		list_end(r);
		break;
	case BTF_KIND_FWD:
		field_s(r, " fwd_kind", sign ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		field_s(r, " linkage", linkage_str(vlen));
		break;
	case BTF_KIND_FUNC_PROTO:
		field_u(r, " ret_type_id", t->type);
		field_u(r, " vlen", vlen);
		list_key(r, "params");
		for (i = 0; i < vlen; i++) {
			item_begin(r, name_of(btf, p[i].name_off));
			field_u(r, " type_id", p[i].type);
			item_end(r);
		}
		list_end(r);
		break;
	case BTF_KIND_VAR:
		field_s(r, ", linkage", linkage_str(bbpf_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		list_begin(r, t, "vars");
		for (i = 0; i < vlen; i++) {
			item_begin(r, NULL);
			field_u(r, "type_id", vs[i].type);
			field_u(r, " offset", vs[i].offset);
			field_u(r, " size", vs[i].size);
			vt = bbpf_btf_type(btf, vs[i].type);
			if (!r->json && vt)
				kind_and_name(r, " (", btf, vt, "')");
			item_end(r);
		}
		list_end(r);
		break;
	case BTF_KIND_DECL_TAG:
		memcpy(&idx, t + 1, sizeof(idx));
		key(r, " component_idx");
		num(r, idx, true);
		break;
	default:
		break;
	}
	if (r->json)
		bbpf_dump_json_end_object(&r->j);
	else
		puts_(r, "\n");
}

__attribute__((noinline))
int bbpf_dump_raw(const struct bbpf_btf *btf, const struct bbpf_dump_out *w,
		  enum bbpf_dump_raw_fmt fmt, uint32_t start)
{
	struct raw r;
	uint32_t id, cnt = bbpf_btf_type_cnt(btf);
	const struct btf_type *t;

	if (!cnt)
		return -EBADMSG;
	bbpf_dump_json_init(&r.j, w, fmt == BBPF_DUMP_RAW_PRETTY, 0);
	r.json = fmt != BBPF_DUMP_RAW_TEXT;
	if (start < btf->start_id)
		start = btf->start_id;
	if (r.json) {
		bbpf_dump_json_start_object(&r.j);
		list_key(&r, "types");
	}
	for (id = start; id < cnt; id++) {
		t = bbpf_btf_type(btf, id);
		if (t)
			dump_type(&r, btf, id, t);
	}
	if (r.json) {
		bbpf_dump_json_end_array(&r.j);
		bbpf_dump_json_end_object(&r.j);
		puts_(&r, "\n");
	}
	bbpf_dump_json_flush(&r.j);
	return 0;
}
