// SPDX-License-Identifier: BSD-2-Clause
/* see dump_value.h */
#include <errno.h>
#include <string.h>
#include "../base/cursor.h"
#include "dump_sig.h"
#include "dump_value.h"

/* libbpf's MAX_RESOLVE_DEPTH: bpftool resolves modifier chains with it. */
#define RESOLVE_HOPS	32u

struct dv {
	struct bbpf_dump_json *j;
	const struct bbpf_btf *btf;
	const uint8_t *data;
	uint64_t len;		/* readable bytes: data_len, or in partial mode min(data_len, size) */
	bool plain;		/* bpftool's is_plain_text */
	bool partial;
	bool le;		/* data byte order */
	uint64_t nodes;		/* values still allowed */
	uint32_t depth;		/* open containers */
	const struct bbpf_dump_value_opts *opts;
};

struct u128 {
	uint64_t hi, lo;
};

static int do_type(struct dv *d, uint32_t id, uint32_t bit_off, uint64_t off);

static const char *str_or_empty(const struct bbpf_btf *btf, uint32_t off)
{
	const char *s = bbpf_btf_str(btf, off);

	return s ? s : "";
}

#define KB(k) (1u << BTF_KIND_##k)
#define QUALS (KB(VOLATILE) | KB(CONST) | KB(RESTRICT))

/*
 * From *id, follow the records whose kind is in mask (bits 1 << kind), at
 * most RESOLVE_HOPS records: the first record of another kind (its id in
 * *id), or NULL (an invalid id, or too long a chain).
 */
static const struct btf_type *skip_kinds(const struct bbpf_btf *btf, uint32_t *id, uint32_t mask)
{
	const struct btf_type *t;
	uint32_t hops;

	for (hops = 0; hops < RESOLVE_HOPS; hops++) {
		t = bbpf_btf_type(btf, *id);
		if (!t || !(mask >> bbpf_btf_kind(t) & 1))
			return t;
		*id = t->type;
	}
	return NULL;
}

static uint64_t load_uint(const uint8_t *p, uint32_t n, bool le)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (le)
			v |= (uint64_t)p[i] << (8 * i);
		else
			v = (v << 8) | p[i];
	}
	return v;
}

static bool readable(const struct dv *d, uint64_t off, uint64_t n)
{
	return span_ok(off, n, d->len);
}

static void put_value(struct dv *d, const char *s, size_t n)
{
	bbpf_dump_json_value(d->j, s, n);
}

static void put_lit(struct dv *d, const char *s)
{
	put_value(d, s, strlen(s));
}

/* ---- 128-bit helpers for bitfields ---- */

/* Shifts here are below 8: the bit offset inside the first byte, or the slack after the field. */
static void shr128(struct u128 *v, uint32_t s)
{
	if (!s || s >= 64)
		return;
	v->lo = (v->lo >> s) | (v->hi << (64 - s));
	v->hi >>= s;
}

static void mask128(struct u128 *v, uint32_t bits)
{
	if (bits >= 128)
		return;
	if (bits >= 64) {
		v->hi &= bits == 64 ? 0 : (UINT64_MAX >> (128 - bits));
	} else {
		v->hi = 0;
		v->lo &= bits ? UINT64_MAX >> (64 - bits) : 0;
	}
}

/* bpftool prints 128-bit quantities as 0x<hex>, quoted in JSON. */
static void put_hex128(struct dv *d, const struct u128 *v)
{
	char buf[40];
	size_t n = 0;

	if (!d->plain)
		buf[n++] = '"';
	buf[n++] = '0';
	buf[n++] = 'x';
	if (v->hi) {
		n += bbpf_dump_json_fmt_hex(buf + n, v->hi, 0);
		n += bbpf_dump_json_fmt_hex(buf + n, v->lo, 16);
	} else {
		n += bbpf_dump_json_fmt_hex(buf + n, v->lo, 0);
	}
	if (!d->plain)
		buf[n++] = '"';
	put_value(d, buf, n);
}

/*
 * nbits bits starting bo bits into the bytes at off, in the data's bit
 * order: from the least significant bit of the first byte (little endian)
 * or from the most significant one (big endian), as the compiler lays out
 * bitfields.
 */
static int dump_bitfield(struct dv *d, uint32_t nbits, uint32_t bo, uint64_t off)
{
	uint32_t nb, i;
	struct u128 v = { 0, 0 };
	uint64_t c;

	/* The kernel rejects more than 128 bits to copy (bo is below 8). */
	if (nbits > 128 || bo + nbits > 128)
		return -EINVAL;
	nb = (bo + nbits + 7) / 8;
	if (!readable(d, off, nb))
		return -EBADMSG;
	/* The nb bytes as one number: byte i is the i-th least significant one (little endian). */
	for (i = 0; i < nb; i++) {
		c = d->data[off + (d->le ? i : nb - 1 - i)];
		if (i < 8)
			v.lo |= c << (8 * i);
		else
			v.hi |= c << (8 * (i - 8));
	}
	shr128(&v, d->le ? bo : nb * 8 - bo - nbits);
	mask128(&v, nbits);
	put_hex128(d, &v);
	return 0;
}

/* ---- kinds ---- */

static int dump_int(struct dv *d, const struct btf_type *t, uint32_t bit_off, uint64_t off)
{
	uint32_t w, bits, enc, total;
	char buf[32];
	size_t n = 0;
	uint64_t u;
	uint8_t c;

	memcpy(&w, t + 1, sizeof(w));
	bits = BTF_INT_BITS(w);
	enc = BTF_INT_ENCODING(w);
	if (bit_off || BTF_INT_OFFSET(w) || (bits & 7) || bits == 128 ||
	    (bits != 8 && bits != 16 && bits != 32 && bits != 64 &&
	     enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)) {
		/* A bitfield, an int of an odd width or of 128 bits: hex. */
		total = bit_off + BTF_INT_OFFSET(w);
		return dump_bitfield(d, bits, total & 7, off + total / 8);
	}
	switch (enc) {
	case 0:
	case BTF_INT_SIGNED:
		if (!readable(d, off, bits / 8))
			return -EBADMSG;
		u = load_uint(d->data + off, bits / 8, d->le);
		if (enc == BTF_INT_SIGNED && bits < 64 && (u >> (bits - 1)) & 1)
			u |= UINT64_MAX << bits;	/* sign-extend */
		if (enc == BTF_INT_SIGNED)
			n = bbpf_dump_json_fmt_i64(buf, (int64_t)u);
		else
			n = bbpf_dump_json_fmt_u64(buf, u);
		put_value(d, buf, n);
		return 0;
	case BTF_INT_CHAR:
		if (!readable(d, off, 1))
			return -EBADMSG;
		c = d->data[off];
		if (c >= 0x20 && c < 0x7f) {
			/* Printed bare inside quotes, '"' and '\' included, as bpftool does. */
			buf[n++] = '"';
			buf[n++] = (char)c;
			buf[n++] = '"';
		} else if (d->plain) {
			buf[n++] = '0';
			buf[n++] = 'x';
			n += bbpf_dump_json_fmt_hex(buf + n, c, 0);
		} else {
			memcpy(buf, "\"\\u00", 5);
			n = 5 + bbpf_dump_json_fmt_hex(buf + 5, c, 2);
			buf[n++] = '"';
		}
		put_value(d, buf, n);
		return 0;
	case BTF_INT_BOOL:
		if (!readable(d, off, 1))
			return -EBADMSG;
		put_lit(d, d->data[off] ? "true" : "false");
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * bpftool reads an ENUM as a signed integer of its size, an ENUM64 as 8
 * bytes whatever its size (bytes past the data count as zero here; bpftool
 * would read beyond its buffer).
 */
static int dump_enum(struct dv *d, const struct btf_type *t, uint64_t off)
{
	bool is64 = bbpf_btf_kind(t) == BTF_KIND_ENUM64;
	uint32_t i, vlen = bbpf_btf_vlen(t), size = t->size, name_off;
	uint8_t b[8] = { 0 };
	uint64_t u, ev;

	if (is64) {
		if (!readable(d, off, 1) || !readable(d, off, size ? size : 1))
			return -EBADMSG;
		size = d->len - off < 8 ? (uint32_t)(d->len - off) : 8;
		memcpy(b, d->data + off, size);
		u = load_uint(b, 8, d->le);
	} else {
		if (size != 1 && size != 2 && size != 4 && size != 8)
			return -EINVAL;
		if (!readable(d, off, size))
			return -EBADMSG;
		u = load_uint(d->data + off, size, d->le);
		if (size < 8 && (u >> (size * 8 - 1)) & 1)
			u |= UINT64_MAX << (size * 8);
	}
	for (i = 0; i < vlen; i++) {
		ev = bbpf_dump_value_enumerator(t, i, &name_off);
		if (u == ev) {
			bbpf_dump_json_string(d->j, str_or_empty(d->btf, name_off));
			return 0;
		}
	}
	bbpf_dump_json_i64(d->j, (int64_t)u);
	return 0;
}

uint64_t bbpf_dump_value_enumerator(const struct btf_type *t, uint32_t i, uint32_t *name_off)
{
	if (bbpf_btf_kind(t) == BTF_KIND_ENUM64) {
		*name_off = bbpf_btf_enums64(t)[i].name_off;
		return (uint64_t)bbpf_btf_enums64(t)[i].val_hi32 << 32 | bbpf_btf_enums64(t)[i].val_lo32;
	}
	*name_off = bbpf_btf_enums(t)[i].name_off;
	return (uint64_t)(int64_t)bbpf_btf_enums(t)[i].val;
}

/* bpftool's prog_id_as_func_ptr: 0 printed, 1 not a function pointer (or no name). */
static int dump_func_ptr(struct dv *d, const struct btf_type *t, uint64_t v)
{
	const struct bbpf_dump_value_opts *o = d->opts;
	char b[512], name[160], num[24];
	struct bbpf_dump_sig s = { d->btf, b, sizeof(b), 0, false };
	uint32_t id = t->type;

	t = skip_kinds(d->btf, &id, KB(TYPEDEF) | QUALS);
	if (!t || bbpf_btf_kind(t) != BTF_KIND_FUNC_PROTO || v > UINT32_MAX)
		return 1;
	if (v && o->prog_name(o->cb_ctx, (uint32_t)v, name, sizeof(name)) < 0)
		return 1;
	b[0] = 0;
	/* depth -1: the prototype's own types at depth 0 */
	bbpf_dump_sig_type(&s, id, -1);
	num[bbpf_dump_json_fmt_u64(num, v)] = 0;
	if (!v)
		bbpf_dump_sig_put(&s, " 0", NULL);
	else
		bbpf_dump_sig_put(&s, " ", name), bbpf_dump_sig_put(&s, "/prog_id:", num);
	bbpf_dump_json_string(d->j, b);
	return 0;
}

static int dump_ptr(struct dv *d, const struct btf_type *t, uint64_t off)
{
	char buf[24];
	size_t n;
	uint64_t v;

	/* BPF pointers are 8 bytes. */
	if (!readable(d, off, 8))
		return -EBADMSG;
	v = load_uint(d->data + off, 8, d->le);
	if (d->opts->prog_name && !dump_func_ptr(d, t, v))
		return 0;
	if (!d->plain) {
		n = bbpf_dump_json_fmt_u64(buf, v);
	} else if (!v) {
		/* glibc's %p, which bpftool uses */
		memcpy(buf, "(nil)", 5);
		n = 5;
	} else {
		buf[0] = '0';
		buf[1] = 'x';
		n = 2 + bbpf_dump_json_fmt_hex(buf + 2, v, 0);
	}
	put_value(d, buf, n);
	return 0;
}

/*
 * Modifiers, typedefs and VARs down to a real type (its id in *id), as
 * libbpf's btf__resolve_type; NULL where that fails.
 */
static const struct btf_type *resolve_type(const struct bbpf_btf *btf, uint32_t *id)
{
	const struct btf_type *t = skip_kinds(btf, id, KB(TYPEDEF) | QUALS | KB(TYPE_TAG) | KB(VAR));

	/* libbpf counts a FWD as void here */
	return t && bbpf_btf_kind(t) != BTF_KIND_FWD ? t : NULL;
}

/*
 * A char array: elements are 1-byte ints, CHAR-encoded or named "char",
 * behind const/volatile/restrict/type tags (not typedefs), as bpftool's
 * is_str_array() decides.
 */
static bool is_char_array(const struct bbpf_btf *btf, const struct btf_array *a)
{
	uint32_t id = a->type, w;
	const struct btf_type *t = a->nelems ? skip_kinds(btf, &id, QUALS | KB(TYPE_TAG)) : NULL;

	if (!t || bbpf_btf_kind(t) != BTF_KIND_INT || t->size != 1)
		return false;
	memcpy(&w, t + 1, sizeof(w));
	return BTF_INT_ENCODING(w) == BTF_INT_CHAR ||
	       !strcmp(str_or_empty(btf, t->name_off), "char");
}

static int dump_array(struct dv *d, const struct btf_type *t, uint64_t off)
{
	const struct btf_array *a = bbpf_btf_array(t);
	int64_t esize;
	uint32_t i;
	int err = 0;

	if (is_char_array(d->btf, a)) {
		uint64_t avail = off < d->len ? d->len - off : 0;
		uint64_t n = a->nelems < avail ? a->nelems : avail;
		const uint8_t *s = d->data + (off < d->len ? off : 0);
		const uint8_t *nul = n ? memchr(s, 0, n) : NULL;

		if (d->partial) {
			bbpf_dump_json_string_strict(d->j, (const char *)s,
						     nul ? (size_t)(nul - s) : (size_t)n);
			return 0;
		}
		/* A string if a NUL comes before any unprintable byte. */
		if (nul) {
			uint64_t k;

			for (k = 0; k < (uint64_t)(nul - s); k++)
				if (s[k] < 0x20 || s[k] >= 0x7f)
					break;
			if (k == (uint64_t)(nul - s)) {
				bbpf_dump_json_string(d->j, (const char *)s);
				return 0;
			}
		}
	}
	esize = bbpf_btf_resolve_size(d->btf, a->type);
	if (esize < 0)
		return (int)esize;
	bbpf_dump_json_start_array(d->j);
	for (i = 0; i < a->nelems; i++) {
		uint64_t eoff;

		/* Offsets past 2^64 exist only in broken BTF; they are past the data too. */
		if (esize && i > (UINT64_MAX - off) / (uint64_t)esize) {
			err = -EBADMSG;
			break;
		}
		eoff = off + (uint64_t)i * (uint64_t)esize;
		/* Elements are in order: the first that does not fit ends the array. */
		if (d->partial && !readable(d, eoff, (uint64_t)esize))
			break;
		err = do_type(d, a->type, 0, eoff);
		if (err)
			break;
	}
	bbpf_dump_json_end_array(d->j);
	return err;
}

/* Bytes a member occupies from its byte offset, for the partial-mode fit test. */
static int64_t member_bytes(const struct dv *d, const struct btf_type *t,
			    const struct btf_member *m, uint32_t bit_off)
{
	uint32_t bf = bbpf_btf_member_bitfield_size(t, m), w, id = m->type;
	const struct btf_type *mt;

	if (bf)
		return ((bit_off & 7) + bf + 7) / 8;
	mt = resolve_type(d->btf, &id);
	if (mt && bbpf_btf_kind(mt) == BTF_KIND_INT) {
		memcpy(&w, mt + 1, sizeof(w));
		/* An int bitfield of the old encoding (bits in the INT itself). */
		if ((bit_off & 7) || BTF_INT_OFFSET(w) || (BTF_INT_BITS(w) & 7))
			return ((bit_off & 7) + BTF_INT_OFFSET(w) + BTF_INT_BITS(w) + 7) / 8;
	}
	return bbpf_btf_resolve_size(d->btf, m->type);
}

/* Something left out in partial mode costs a node too: skipping is work. */
static int skip_node(struct dv *d)
{
	if (!d->nodes)
		return -E2BIG;
	d->nodes--;
	return 0;
}

static int dump_struct(struct dv *d, const struct btf_type *t, uint64_t off)
{
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i, vlen = bbpf_btf_vlen(t);
	int err = 0;

	bbpf_dump_json_start_object(d->j);
	for (i = 0; i < vlen; i++) {
		uint32_t bit_off = bbpf_btf_member_bit_off(t, &m[i]);
		uint32_t bf = bbpf_btf_member_bitfield_size(t, &m[i]);
		uint64_t moff = off + bit_off / 8;

		if (d->partial) {
			int64_t size = member_bytes(d, t, &m[i], bit_off);

			if (size < 0 || !readable(d, moff, (uint64_t)size)) {
				err = skip_node(d);
				if (err)
					break;
				continue;
			}
		}
		bbpf_dump_json_name(d->j, str_or_empty(d->btf, m[i].name_off));
		if (bf)
			err = dump_bitfield(d, bf, bit_off & 7, moff);
		else
			err = do_type(d, m[i].type, bit_off & 7, moff);
		if (err)
			break;
	}
	bbpf_dump_json_end_object(d->j);
	return err;
}

static int dump_var(struct dv *d, const struct btf_type *t, uint32_t bit_off, uint64_t off)
{
	int err;

	bbpf_dump_json_start_object(d->j);
	bbpf_dump_json_name(d->j, str_or_empty(d->btf, t->name_off));
	err = do_type(d, t->type, bit_off, off);
	bbpf_dump_json_end_object(d->j);
	return err;
}

static int dump_datasec(struct dv *d, const struct btf_type *t, uint64_t off)
{
	const struct btf_var_secinfo *v = bbpf_btf_secinfos(t);
	uint32_t i, vlen = bbpf_btf_vlen(t);
	int err = 0;

	bbpf_dump_json_start_object(d->j);
	bbpf_dump_json_name(d->j, str_or_empty(d->btf, t->name_off));
	bbpf_dump_json_start_array(d->j);
	for (i = 0; i < vlen; i++) {
		if (d->partial && !readable(d, off + v[i].offset, v[i].size)) {
			err = skip_node(d);
			if (err)
				break;
			continue;
		}
		err = do_type(d, v[i].type, 0, off + v[i].offset);
		if (err)
			break;
	}
	bbpf_dump_json_end_array(d->j);
	bbpf_dump_json_end_object(d->j);
	return err;
}

static int do_type(struct dv *d, uint32_t id, uint32_t bit_off, uint64_t off)
{
	const struct btf_type *t;
	int r;

	if (d->j->full || !d->nodes)
		return -E2BIG;
	d->nodes--;
	if (!id) {
		put_lit(d, "(unknown)");
		return 0;
	}
	t = bbpf_btf_type(d->btf, id);
	if (!t)
		return -EINVAL;
	/* Resolved once: the result is neither a modifier nor a VAR. */
	if ((KB(TYPEDEF) | QUALS) >> bbpf_btf_kind(t) & 1) {
		t = resolve_type(d->btf, &id);
		if (!t)
			return -EINVAL;
	}
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_INT:
		return dump_int(d, t, bit_off, off);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return dump_enum(d, t, off);
	case BTF_KIND_PTR:
		return dump_ptr(d, t, off);
	case BTF_KIND_FWD:
		put_lit(d, "(fwd-kind-invalid)");
		return -EINVAL;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ARRAY:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
		break;
	default:
		/* bpftool's text, unbalanced parenthesis included */
		put_lit(d, "(unsupported-kind");
		return -EINVAL;
	}
	if (d->depth >= BBPF_DUMP_VALUE_MAX_DEPTH)
		return -ELOOP;
	d->depth++;
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		r = dump_struct(d, t, off);
		break;
	case BTF_KIND_ARRAY:
		r = dump_array(d, t, off);
		break;
	case BTF_KIND_VAR:
		r = dump_var(d, t, bit_off, off);
		break;
	default:
		r = dump_datasec(d, t, off);
		break;
	}
	d->depth--;
	return r;
}

/* Kinds whose parts can be left out in partial mode; others must fit whole. */
static bool has_parts(const struct bbpf_btf *btf, uint32_t id)
{
	const struct btf_type *t = resolve_type(btf, &id);
	uint32_t kind = t ? bbpf_btf_kind(t) : 0;

	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_ARRAY ||
	       kind == BTF_KIND_DATASEC;
}

int bbpf_dump_value_write(struct bbpf_dump_json *j, bool plain, const struct bbpf_btf *btf,
			  uint32_t type_id, const void *data, size_t data_len,
			  const struct bbpf_dump_value_opts *opts)
{
	struct bbpf_dump_value_opts def = { 0 };
	uint64_t max_out, cap = j ? j->cap : 0;
	struct dv d;
	int64_t size;
	int err;

	if (!j || !btf || (!data && data_len))
		return -EINVAL;
	if (!opts)
		opts = &def;
	memset(&d, 0, sizeof(d));
	d.j = j;
	d.btf = btf;
	d.data = data ? data : (const void *)"";
	d.len = data_len;
	d.plain = plain;
	d.partial = opts->partial;
	d.opts = opts;
	d.le = host_is_le() != btf->swap;
	/* Defaults grow with the data, so that no real value (a 4 MB array) is cut. */
	d.nodes = opts->max_nodes ? opts->max_nodes :
		  BBPF_DUMP_VALUE_MAX_NODES + BBPF_DUMP_VALUE_NODES_PER_BYTE * (uint64_t)data_len;
	size = bbpf_btf_resolve_size(btf, type_id);
	if (size >= 0 && (uint64_t)size > d.len) {
		if (!d.partial || !has_parts(btf, type_id))
			return -EBADMSG;
	} else if (size >= 0 && d.partial) {
		d.len = (uint64_t)size;
	}
	/* This value's share of the output: at most max_out more bytes. */
	max_out = opts->max_out ? opts->max_out :
		  BBPF_DUMP_VALUE_MAX_OUT + BBPF_DUMP_VALUE_OUT_PER_BYTE * (uint64_t)data_len;
	if (j->cap - j->written > max_out)
		j->cap = j->written + max_out;
	err = do_type(&d, type_id, 0, 0);
	if (!err && j->full)
		err = -E2BIG;
	if (j->cap != cap && !j->full)
		j->cap = cap;
	return err;
}

int bbpf_dump_value(const struct bbpf_dump_out *out, const struct bbpf_btf *btf, uint32_t type_id,
		    const void *data, size_t data_len, const struct bbpf_dump_value_opts *opts)
{
	struct bbpf_dump_value_opts def = { 0 };
	struct bbpf_dump_json j;
	int err;

	if (!out || !out->write)
		return -EINVAL;
	if (!opts)
		opts = &def;
	bbpf_dump_json_init(&j, out, opts->fmt != BBPF_DUMP_VALUE_JSON, 0);
	err = bbpf_dump_value_write(&j, opts->fmt == BBPF_DUMP_VALUE_PLAIN, btf, type_id, data,
				    data_len, opts);
	bbpf_dump_json_flush(&j);
	return err;
}
