/* SPDX-License-Identifier: BSD-2-Clause */
/* see dump_raw.h */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "dump_raw.h"
#include "../base/fmt.h"

/*
 * Output state: plain text, or JSON laid out as bpftool's writer does it:
 * a value's separator goes before it, a key starts a new line when pretty
 * (4 spaces per level), an array's objects follow "[" and "}," directly.
 */
struct raw {
	struct bbpf_dump_out w;
	enum bbpf_dump_raw_fmt fmt;
	uint32_t depth;
	char sep;		/* JSON: what goes before the next value */
	size_t len;
	char buf[4096];
};

static void flush(struct raw *r)
{
	if (r->len)
		r->w.write(r->w.ctx, r->buf, r->len);
	r->len = 0;
}

static void put(struct raw *r, const char *s, size_t n)
{
	size_t k;

	while (n) {
		if (r->len == sizeof(r->buf))
			flush(r);
		k = sizeof(r->buf) - r->len;
		if (k > n)
			k = n;
		memcpy(r->buf + r->len, s, k);
		r->len += k;
		s += k;
		n -= k;
	}
}

static void puts_(struct raw *r, const char *s)
{
	put(r, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void printf_(struct raw *r, const char *fmt, ...)
{
	char b[96];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bbpf_vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	put(r, b, n < 0 ? 0 : (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

static bool json(const struct raw *r)
{
	return r->fmt != BBPF_DUMP_RAW_TEXT;
}

/* ---- JSON, bpftool's writer ---- */

static void j_sep(struct raw *r)
{
	if (r->sep)
		put(r, &r->sep, 1);
	r->sep = ',';
}

static void j_eol(struct raw *r)
{
	uint32_t i;

	if (r->fmt != BBPF_DUMP_RAW_PRETTY)
		return;
	put(r, "\n", 1);
	for (i = 0; i < r->depth; i++)
		put(r, "    ", 4);
}

static void j_begin(struct raw *r, char c)
{
	j_sep(r);
	put(r, &c, 1);
	r->depth++;
	r->sep = 0;
}

static void j_end(struct raw *r, char c)
{
	r->depth--;
	if (r->sep)
		j_eol(r);
	put(r, &c, 1);
	r->sep = ',';
}

/* bpftool's escapes (a backslash comes out as "\n"). */
static void j_str(struct raw *r, const char *s)
{
	put(r, "\"", 1);
	for (; *s; s++) {
		switch (*s) {
		case '\t': puts_(r, "\\t"); break;
		case '\n': puts_(r, "\\n"); break;
		case '\r': puts_(r, "\\r"); break;
		case '\f': puts_(r, "\\f"); break;
		case '\b': puts_(r, "\\b"); break;
		case '\\': puts_(r, "\\n"); break;
		case '"': puts_(r, "\\\""); break;
		default: put(r, s, 1);
		}
	}
	put(r, "\"", 1);
}

static void j_key(struct raw *r, const char *k)
{
	j_sep(r);
	j_eol(r);
	r->sep = 0;
	j_str(r, k);
	puts_(r, r->fmt == BBPF_DUMP_RAW_PRETTY ? ": " : ":");
}

static void j_u64(struct raw *r, const char *k, uint64_t v)
{
	j_key(r, k);
	j_sep(r);
	printf_(r, "%llu", (unsigned long long)v);
}

static void j_i64(struct raw *r, const char *k, int64_t v)
{
	j_key(r, k);
	j_sep(r);
	printf_(r, "%lld", (long long)v);
}

static void j_kstr(struct raw *r, const char *k, const char *v)
{
	j_key(r, k);
	j_sep(r);
	j_str(r, v);
}

/* ---- the records ---- */

static const char *kind_str(uint32_t kind)
{
	static const char *const names[] = {
		[BTF_KIND_UNKN] = "UNKNOWN",	[BTF_KIND_INT] = "INT",
		[BTF_KIND_PTR] = "PTR",		[BTF_KIND_ARRAY] = "ARRAY",
		[BTF_KIND_STRUCT] = "STRUCT",	[BTF_KIND_UNION] = "UNION",
		[BTF_KIND_ENUM] = "ENUM",	[BTF_KIND_FWD] = "FWD",
		[BTF_KIND_TYPEDEF] = "TYPEDEF",	[BTF_KIND_VOLATILE] = "VOLATILE",
		[BTF_KIND_CONST] = "CONST",	[BTF_KIND_RESTRICT] = "RESTRICT",
		[BTF_KIND_FUNC] = "FUNC",	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
		[BTF_KIND_VAR] = "VAR",		[BTF_KIND_DATASEC] = "DATASEC",
		[BTF_KIND_FLOAT] = "FLOAT",	[BTF_KIND_DECL_TAG] = "DECL_TAG",
		[BTF_KIND_TYPE_TAG] = "TYPE_TAG", [BTF_KIND_ENUM64] = "ENUM64",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "UNKNOWN";
}

static const char *int_enc_str(uint32_t enc)
{
	switch (enc) {
	case 0: return "(none)";
	case BTF_INT_SIGNED: return "SIGNED";
	case BTF_INT_CHAR: return "CHAR";
	case BTF_INT_BOOL: return "BOOL";
	default: return "UNKN";
	}
}

static const char *func_linkage_str(uint32_t l)
{
	switch (l) {
	case BTF_FUNC_STATIC: return "static";
	case BTF_FUNC_GLOBAL: return "global";
	case BTF_FUNC_EXTERN: return "extern";
	default: return "(unknown)";
	}
}

static const char *var_linkage_str(uint32_t l)
{
	switch (l) {
	case BTF_VAR_STATIC: return "static";
	case BTF_VAR_GLOBAL_ALLOCATED: return "global";
	case BTF_VAR_GLOBAL_EXTERN: return "extern";
	default: return "(unknown)";
	}
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

/* A member/param/value line (text) or object (JSON) opener. */
static void item_begin(struct raw *r, const char *name)
{
	if (json(r)) {
		j_begin(r, '{');
		if (name)
			j_kstr(r, "name", name);
	} else if (name) {
		printf_(r, "\n\t'");
		puts_(r, name);
		puts_(r, "'");
	} else {
		puts_(r, "\n\t");
	}
}

static void item_end(struct raw *r)
{
	if (json(r))
		j_end(r, '}');
}

/* " size=%u vlen=%u" or their JSON fields, then the array's key. */
static void list_begin(struct raw *r, const struct btf_type *t, const char *key)
{
	if (json(r)) {
		j_u64(r, "size", t->size);
		j_u64(r, "vlen", bbpf_btf_vlen(t));
		j_key(r, key);
		j_begin(r, '[');
	} else {
		printf_(r, " size=%u vlen=%u", t->size, bbpf_btf_vlen(t));
	}
}

static void list_end(struct raw *r)
{
	if (json(r))
		j_end(r, ']');
}

/* "type_id=N" in text (after prefix), a field in JSON. */
static void field_u(struct raw *r, const char *prefix, const char *key, uint64_t v)
{
	if (json(r)) {
		j_u64(r, key, v);
	} else {
		puts_(r, prefix);
		puts_(r, key);
		printf_(r, "=%llu", (unsigned long long)v);
	}
}

static void field_s(struct raw *r, const char *prefix, const char *key, const char *v)
{
	if (json(r)) {
		j_kstr(r, key, v);
	} else {
		puts_(r, prefix);
		puts_(r, key);
		puts_(r, "=");
		puts_(r, v);
	}
}

static void dump_members(struct raw *r, const struct bbpf_btf *btf, const struct btf_type *t)
{
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i, bits;

	list_begin(r, t, "members");
	for (i = 0; i < bbpf_btf_vlen(t); i++) {
		item_begin(r, name_of(btf, m[i].name_off));
		field_u(r, " ", "type_id", m[i].type);
		field_u(r, " ", "bits_offset", bbpf_btf_member_bit_off(t, &m[i]));
		bits = bbpf_btf_member_bitfield_size(t, &m[i]);
		if (bits)
			field_u(r, " ", "bitfield_size", bits);
		item_end(r);
	}
	list_end(r);
}

static void dump_enum(struct raw *r, const struct bbpf_btf *btf, const struct btf_type *t)
{
	bool is64 = bbpf_btf_kind(t) == BTF_KIND_ENUM64, sign = bbpf_btf_kflag(t);
	uint32_t i, name_off;
	uint64_t v;

	if (json(r)) {
		j_kstr(r, "encoding", sign ? "SIGNED" : "UNSIGNED");
	} else {
		puts_(r, " encoding=");
		puts_(r, sign ? "SIGNED" : "UNSIGNED");
	}
	list_begin(r, t, "values");
	for (i = 0; i < bbpf_btf_vlen(t); i++) {
		if (is64) {
			name_off = bbpf_btf_enums64(t)[i].name_off;
			v = (uint64_t)bbpf_btf_enums64(t)[i].val_hi32 << 32 |
			    bbpf_btf_enums64(t)[i].val_lo32;
		} else {
			name_off = bbpf_btf_enums(t)[i].name_off;
			/* a 32-bit value: signed ones widen with their sign */
			v = sign ? (uint64_t)(int64_t)bbpf_btf_enums(t)[i].val :
				   (uint32_t)bbpf_btf_enums(t)[i].val;
		}
		item_begin(r, name_of(btf, name_off));
		if (json(r) && sign)
			j_i64(r, "val", (int64_t)v);
		else if (json(r) && !is64)	/* bpftool widens the s32 with its sign */
			j_u64(r, "val", (uint64_t)(int64_t)bbpf_btf_enums(t)[i].val);
		else if (json(r))
			j_u64(r, "val", v);
		else if (sign)
			printf_(r, " val=%lld%s", (long long)v, is64 ? "LL" : "");
		else
			printf_(r, " val=%llu%s", (unsigned long long)v, is64 ? "ULL" : "");
		item_end(r);
	}
	list_end(r);
}

static void dump_proto(struct raw *r, const struct bbpf_btf *btf, const struct btf_type *t)
{
	const struct btf_param *p = bbpf_btf_params(t);
	uint32_t i;

	field_u(r, " ", "ret_type_id", t->type);
	field_u(r, " ", "vlen", bbpf_btf_vlen(t));
	if (json(r)) {
		j_key(r, "params");
		j_begin(r, '[');
	}
	for (i = 0; i < bbpf_btf_vlen(t); i++) {
		item_begin(r, name_of(btf, p[i].name_off));
		field_u(r, " ", "type_id", p[i].type);
		item_end(r);
	}
	list_end(r);
}

static void dump_datasec(struct raw *r, const struct bbpf_btf *btf, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = bbpf_btf_secinfos(t);
	const struct btf_type *vt;
	uint32_t i;

	list_begin(r, t, "vars");
	for (i = 0; i < bbpf_btf_vlen(t); i++) {
		item_begin(r, NULL);
		field_u(r, "", "type_id", v[i].type);
		field_u(r, " ", "offset", v[i].offset);
		field_u(r, " ", "size", v[i].size);
		vt = bbpf_btf_type(btf, v[i].type);
		if (!json(r) && vt) {
			printf_(r, " (%s '", kind_str(bbpf_btf_kind(vt)));
			puts_(r, name_of(btf, vt->name_off));
			puts_(r, "')");
		}
		item_end(r);
	}
	list_end(r);
}

static void dump_type(struct raw *r, const struct bbpf_btf *btf, uint32_t id,
		      const struct btf_type *t)
{
	uint32_t kind = bbpf_btf_kind(t), v;
	int32_t idx;

	if (json(r)) {
		j_begin(r, '{');
		j_u64(r, "id", id);
		j_kstr(r, "kind", kind_str(kind));
		j_kstr(r, "name", name_of(btf, t->name_off));
	} else {
		printf_(r, "[%u] %s '", id, kind_str(kind));
		puts_(r, name_of(btf, t->name_off));
		puts_(r, "'");
	}
	switch (kind) {
	case BTF_KIND_INT:
		memcpy(&v, t + 1, sizeof(v));
		field_u(r, " ", "size", t->size);
		field_u(r, " ", "bits_offset", BTF_INT_OFFSET(v));
		field_u(r, " ", "nr_bits", BTF_INT_BITS(v));
		field_s(r, " ", "encoding", int_enc_str(BTF_INT_ENCODING(v)));
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		field_u(r, " ", "type_id", t->type);
		break;
	case BTF_KIND_ARRAY:
		field_u(r, " ", "type_id", bbpf_btf_array(t)->type);
		field_u(r, " ", "index_type_id", bbpf_btf_array(t)->index_type);
		field_u(r, " ", "nr_elems", bbpf_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		dump_members(r, btf, t);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		dump_enum(r, btf, t);
		break;
	case BTF_KIND_FWD:
		field_s(r, " ", "fwd_kind", bbpf_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		field_u(r, " ", "type_id", t->type);
		field_s(r, " ", "linkage", func_linkage_str(bbpf_btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		dump_proto(r, btf, t);
		break;
	case BTF_KIND_VAR:
		field_u(r, " ", "type_id", t->type);
		field_s(r, ", ", "linkage", var_linkage_str(bbpf_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		dump_datasec(r, btf, t);
		break;
	case BTF_KIND_FLOAT:
		field_u(r, " ", "size", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		memcpy(&idx, t + 1, sizeof(idx));
		field_u(r, " ", "type_id", t->type);
		if (json(r))
			j_i64(r, "component_idx", idx);
		else
			printf_(r, " component_idx=%d", idx);
		break;
	default:
		break;
	}
	if (json(r))
		j_end(r, '}');
	else
		put(r, "\n", 1);
}

int bbpf_dump_raw(const struct bbpf_btf *btf, const struct bbpf_dump_out *w,
		  enum bbpf_dump_raw_fmt fmt, uint32_t start)
{
	struct raw r = { .w = *w, .fmt = fmt };
	uint32_t id, cnt = bbpf_btf_type_cnt(btf);
	const struct btf_type *t;

	if (!cnt)
		return -EBADMSG;
	if (start < btf->start_id)
		start = btf->start_id;
	if (json(&r)) {
		j_begin(&r, '{');
		j_key(&r, "types");
		j_begin(&r, '[');
	}
	for (id = start; id < cnt; id++) {
		t = bbpf_btf_type(btf, id);
		if (t)
			dump_type(&r, btf, id, t);
	}
	if (json(&r)) {
		j_end(&r, ']');
		j_end(&r, '}');
		put(&r, "\n", 1);
	}
	flush(&r);
	return 0;
}
