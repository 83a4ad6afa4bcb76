/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Typed data as libbpf's btf_dump__dump_type_data() prints it: every value
 * with a C cast of its type ("(struct s){", ".a = (int)1,", "}"), the type
 * names through the C dumper (so anonymous and ___N names match its
 * declarations). Reimplemented from the output libbpf 1.8 produces,
 * including its quirks, which a caller comparing output would see:
 *  - a member whose value is all zero is left out (not at the top level,
 *    nor in a non-char array, nor with emit_zeroes); a struct or union
 *    counts as zero when its first member does (libbpf's zero test stops
 *    at the first member);
 *  - once a char array has been printed, later arrays in the same call
 *    are treated as char arrays too (their zero elements are left out,
 *    their 1-byte elements printed as characters);
 *  - with emit_strings, a string is printed without the "," and newline
 *    that follow other values.
 * Where libbpf reads past the data it was given (the zero test of a value
 * cut short) the value counts as non-zero here (see check_zero()), and an
 * array stops at the end of the data. Nesting is bounded
 * (BBPF_DUMP_C_DATA_MAX_DEPTH, -ELOOP). Pure: snprintf and memory helpers.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "dump_c_int.h"

#define MAX_MODS	32u	/* libbpf's MAX_RESOLVE_DEPTH for modifier chains */
#define ENODATA_	61	/* "all zero": an internal result, never returned */

struct td {
	struct bbpf_dump_c *d;
	const uint8_t *end;
	uint32_t depth;
	uint32_t indent_lvl;
	uint32_t nest;
	bool compact, skip_names, emit_zeroes, emit_strings;
	bool is_array_member, is_array_terminated, is_array_char;
	char indent_str[32];
};

static void put(struct td *td, const char *s)
{
	bbpf_dump_c_puts(td->d, s);
}

static void putf(struct td *td, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct td *td, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		bbpf_dump_c_put(td->d, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* After a value: "," and a newline inside a container (no newline when compact). */
static void value_end(struct td *td)
{
	if (td->depth) {
		put(td, ",");
		if (!td->compact)
			put(td, "\n");
	}
}

static void newline(struct td *td)
{
	if (td->depth && !td->compact)
		put(td, "\n");
}

static void pfx(struct td *td)
{
	uint32_t i, lvl = td->indent_lvl + td->depth;

	if (td->compact)
		return;
	for (i = 0; i < lvl; i++)
		put(td, td->indent_str);
}

static bool printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

static const struct btf_type *type(const struct td *td, uint32_t id)
{
	return bbpf_dump_c_t(td->d, id);
}

/* The type behind typedefs and modifiers (NULL for void or a chain too long). */
static const struct btf_type *skip_mods(const struct td *td, uint32_t id, uint32_t *out_id)
{
	const struct btf_type *t = type(td, id);
	uint32_t i, k;

	for (i = 0; t && i < MAX_MODS; i++) {
		k = bbpf_btf_kind(t);
		if (k != BTF_KIND_TYPEDEF && k != BTF_KIND_VOLATILE && k != BTF_KIND_CONST &&
		    k != BTF_KIND_RESTRICT && k != BTF_KIND_TYPE_TAG)
			break;
		id = t->type;
		t = type(td, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

static bool fits(const struct td *td, const uint8_t *p, uint64_t n)
{
	return p <= td->end && n <= (uint64_t)(td->end - p);
}

/* ---- reading values ---- */

static uint64_t load_le_or_host(const uint8_t *p, uint32_t size)
{
	uint8_t b[8] = { 0 };
	uint64_t v = 0;

	memcpy(b, p, size > 8 ? 8 : size);
	memcpy(&v, b, sizeof(v));
	return v;
}

/*
 * A bitfield of bit_sz bits at bits_offset (< 8) in an int of size bytes at
 * p. Only the bytes the bitfield spans must be inside the data (libbpf 1.8);
 * bytes of its storage unit past the end read as zero: they are outside
 * the bitfield, so its value does not depend on them.
 */
static int bitfield(const struct td *td, const struct btf_type *t, const uint8_t *p,
		    uint8_t bits_offset, uint8_t bit_sz, uint64_t *out)
{
	uint32_t nr_bytes = (bits_offset % 8u + bit_sz + 7u) / 8u, i;
	uint8_t b[8] = { 0 };
	uint64_t num = 0;
	uint32_t copy_bits;

	if (!fits(td, p, nr_bytes))
		return -E2BIG;
	if (t->size > 8 || !bit_sz || bit_sz > 64)
		return -EINVAL;
	for (i = 0; i < t->size && fits(td, p + i, 1); i++)
		b[i] = p[i];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (i = t->size; i-- > 0;)
		num = num * 256 + b[i];
	copy_bits = bit_sz + bits_offset;
#else
	for (i = 0; i < t->size; i++)
		num = num * 256 + b[i];
	copy_bits = t->size * 8 - bits_offset;
#endif
	if (copy_bits > 64 || copy_bits == 0)
		return -EINVAL;
	num <<= 64 - copy_bits;
	*out = bit_sz == 64 ? num : num >> (64 - bit_sz);
	return 0;
}

static int enum_value(const struct td *td, const struct btf_type *t, const uint8_t *p,
		      int64_t *out)
{
	bool sign = bbpf_btf_kflag(t);
	uint64_t v;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return -EINVAL;
	if (!fits(td, p, t->size))
		return -E2BIG;
	v = load_le_or_host(p, t->size);
	switch (t->size) {
	case 1:
		*out = sign ? (int64_t)(int8_t)v : (int64_t)(uint8_t)v;
		break;
	case 2:
		*out = sign ? (int64_t)(int16_t)v : (int64_t)(uint16_t)v;
		break;
	case 4:
		*out = sign ? (int64_t)(int32_t)v : (int64_t)(uint32_t)v;
		break;
	default:
		*out = (int64_t)v;
	}
	return 0;
}

/* ---- the zero test (libbpf's check_zero) ---- */

static int base_zero(struct td *td, const struct btf_type *t, const uint8_t *p)
{
	uint32_t n = bbpf_btf_kind(t) == BTF_KIND_PTR ? td->d->ptr_sz : t->size, i;

	if (n < 1 || n > 16)
		return -EINVAL;
	if (!fits(td, p, n))
		return 0;	/* see check_zero() */
	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return -ENODATA_;
}

/*
 * libbpf's zero test reads past the data when a value is cut short; here a
 * value that does not fit counts as non-zero, so it is printed, and its
 * printing fails with -E2BIG as libbpf's then does (libbpf decides on
 * whatever bytes follow; output differs only if they are all zero).
 */
static int check_zero(struct td *td, uint32_t id, const uint8_t *p, uint8_t bits_offset,
		      uint8_t bit_sz, uint32_t nest)
{
	const struct btf_type *t, *et;
	const struct btf_array *a;
	uint32_t i, eid;
	int64_t esize, v;
	uint64_t bv;
	int err;

	if (td->emit_zeroes || td->depth == 0 || (td->is_array_member && !td->is_array_char))
		return 0;
	if (nest > BBPF_DUMP_C_DATA_MAX_DEPTH)
		return -ELOOP;
	t = skip_mods(td, id, NULL);
	if (!t)
		return 0;
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_INT:
		if (bit_sz) {
			err = bitfield(td, t, p, bits_offset, bit_sz, &bv);
			return err == -E2BIG ? 0 : err ? err : bv ? 0 : -ENODATA_;
		}
		return base_zero(td, t, p);
	case BTF_KIND_FLOAT:
	case BTF_KIND_PTR:
		return base_zero(td, t, p);
	case BTF_KIND_ARRAY:
		a = bbpf_btf_array(t);
		eid = a->type;
		esize = bbpf_dump_c_layout_size(td->d, eid);
		et = skip_mods(td, eid, NULL);
		if (esize <= 0)
			return -EINVAL;
		for (i = 0; i < a->nelems; i++) {
			const uint8_t *ep = p + (uint64_t)i * (uint64_t)esize;

			if ((uint64_t)i * (uint64_t)esize >= (uint64_t)(td->end - p))
				return 0;
			/* a char array that starts with NUL is an empty string: zero */
			if (i == 0 && et && bbpf_btf_kind(et) == BTF_KIND_INT && esize == 1 &&
			    fits(td, p, 1) && p[0] == 0)
				return -ENODATA_;
			err = check_zero(td, eid, ep, bits_offset, 0, nest + 1);
			if (err != -ENODATA_)
				return err;
		}
		return -ENODATA_;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = bbpf_btf_members(t);
		uint32_t off;

		/* libbpf decides by the first member (see the file comment) */
		if (!bbpf_btf_vlen(t))
			return -ENODATA_;
		off = bbpf_btf_member_bit_off(t, &m[0]);
		return check_zero(td, m[0].type, p + off / 8, (uint8_t)(off % 8),
				  (uint8_t)bbpf_btf_member_bitfield_size(t, &m[0]), nest + 1);
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		err = enum_value(td, t, p, &v);
		return err == -E2BIG ? 0 : err ? err : v ? 0 : -ENODATA_;
	default:
		return 0;
	}
}

/* ---- printing ---- */

/* "(type)" with modifiers dropped and anonymous types as bare tags; nothing for array elements. */
static void cast(struct td *td, uint32_t id, bool parens)
{
	const struct btf_type *t = type(td, id);
	struct bbpf_dump_c *d = td->d;

	if (td->is_array_member)
		return;
	if (t && (bbpf_btf_kind(t) == BTF_KIND_VAR || bbpf_btf_kind(t) == BTF_KIND_DATASEC))
		return;
	if (parens)
		put(td, "(");
	d->skip_anon = true;
	d->strip_mods = true;
	bbpf_dump_c_decl_of(d, id, "", 0);
	d->strip_mods = false;
	d->skip_anon = false;
	if (parens)
		put(td, ")");
}

static int int_data(struct td *td, const struct btf_type *t, uint32_t id, const uint8_t *p)
{
	uint32_t enc = *(const uint32_t *)(t + 1);
	bool sign = BTF_INT_ENCODING(enc) & BTF_INT_SIGNED;
	uint64_t v, lo, hi;

	(void)id;
	if (t->size == 0 || t->size > 16 || !fits(td, p, t->size))
		return t->size > 16 || !t->size ? -EINVAL : -E2BIG;
	switch (t->size) {
	case 16:
		memcpy(&lo, p, 8);
		memcpy(&hi, p + 8, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = lo;
		lo = hi;
		hi = v;
#endif
		if (!hi)
			putf(td, "0x%llx", (unsigned long long)lo);
		else
			putf(td, "0x%llx%016llx", (unsigned long long)hi, (unsigned long long)lo);
		break;
	case 8:
		memcpy(&v, p, 8);
		if (sign)
			putf(td, "%lld", (long long)v);
		else
			putf(td, "%llu", (unsigned long long)v);
		break;
	case 4: {
		uint32_t u;

		memcpy(&u, p, 4);
		if (sign)
			putf(td, "%d", (int32_t)u);
		else
			putf(td, "%u", u);
		break;
	}
	case 2: {
		uint16_t u;

		memcpy(&u, p, 2);
		if (sign)
			putf(td, "%d", (int16_t)u);
		else
			putf(td, "%u", u);
		break;
	}
	case 1:
		if (td->is_array_char) {
			if (td->is_array_terminated)
				return 0;	/* nothing after the NUL */
			if (p[0] == 0) {
				put(td, "'\\0'");
				value_end(td);
				td->is_array_terminated = true;
				return 0;
			}
			if (printable(p[0])) {
				putf(td, "'%c'", p[0]);
				break;
			}
		}
		if (sign)
			putf(td, "%d", (int8_t)p[0]);
		else
			putf(td, "%u", p[0]);
		break;
	default:
		return -EINVAL;
	}
	value_end(td);
	return 0;
}

static int float_data(struct td *td, const struct btf_type *t, const uint8_t *p)
{
	if (!fits(td, p, t->size))
		return -E2BIG;
	switch (t->size) {
	case 16: {
		long double v;

		memcpy(&v, p, sizeof(v) < 16 ? sizeof(v) : 16);
		putf(td, "%Lf", v);
		break;
	}
	case 8: {
		double v;

		memcpy(&v, p, 8);
		putf(td, "%lf", v);
		break;
	}
	case 4: {
		float v;

		memcpy(&v, p, 4);
		putf(td, "%f", v);
		break;
	}
	default:
		return -EINVAL;
	}
	value_end(td);
	return 0;
}

/* libbpf prints an aligned pointer of the host's size with %p, any other in hex. */
static int ptr_data(struct td *td, const uint8_t *p)
{
	uint32_t sz = td->d->ptr_sz;
	uint64_t v = 0;

	if (!fits(td, p, sz))
		return -E2BIG;
	if (sz == sizeof(void *) && (uintptr_t)p % sz == 0) {
		void *ptr;

		memcpy(&ptr, p, sizeof(ptr));
		putf(td, "%p", ptr);
	} else if (sz == 4) {
		uint32_t u;

		memcpy(&u, p, 4);
		putf(td, "0x%x", u);
	} else {
		memcpy(&v, p, 8);
		putf(td, "0x%llx", (unsigned long long)v);
	}
	value_end(td);
	return 0;
}

static int enum_data(struct td *td, const struct btf_type *t, int64_t v)
{
	bool sign = bbpf_btf_kflag(t);
	uint32_t i, n = bbpf_btf_vlen(t);

	if (bbpf_btf_kind(t) == BTF_KIND_ENUM) {
		const struct btf_enum *e = bbpf_btf_enums(t);

		for (i = 0; i < n; i++) {
			/* the value is compared sign-extended, as libbpf does (so an
			 * unsigned one above INT32_MAX is printed as a number) */
			if (v == (int64_t)e[i].val) {
				put(td, bbpf_dump_c_str(td->d, e[i].name_off));
				value_end(td);
				return 0;
			}
		}
		if (sign)
			putf(td, "%d", (int32_t)v);
		else
			putf(td, "%u", (uint32_t)v);
	} else {
		const struct btf_enum64 *e = bbpf_btf_enums64(t);

		for (i = 0; i < n; i++) {
			if ((uint64_t)v == (((uint64_t)e[i].val_hi32 << 32) | e[i].val_lo32)) {
				put(td, bbpf_dump_c_str(td->d, e[i].name_off));
				value_end(td);
				return 0;
			}
		}
		if (sign)
			putf(td, "%lldLL", (long long)v);
		else
			putf(td, "%lluULL", (unsigned long long)v);
	}
	value_end(td);
	return 0;
}

static int dump(struct td *td, const char *fname, uint32_t id, const uint8_t *p,
		uint8_t bits_offset, uint8_t bit_sz);

/* A char array holding a NUL-terminated string, with emit_strings: "text". */
static int string_data(struct td *td, const struct btf_array *a, const uint8_t *p)
{
	uint32_t i;

	for (i = 0; i < a->nelems; i++) {
		if (!fits(td, p + i, 1))
			return -E2BIG;
		if (!p[i])
			break;
	}
	if (i == a->nelems)
		return -EINVAL;	/* no NUL: printed as an array */
	pfx(td);
	put(td, "\"");
	for (i = 0; p[i]; i++) {
		if (printable(p[i]))
			putf(td, "%c", p[i]);
		else
			putf(td, "\\x%02x", p[i]);
	}
	put(td, "\"");
	return 0;
}

static int array_data(struct td *td, const struct btf_type *t, const uint8_t *p)
{
	const struct btf_array *a = bbpf_btf_array(t);
	const struct btf_type *et = skip_mods(td, a->type, NULL);
	int64_t esize = bbpf_dump_c_layout_size(td->d, a->type);
	bool was_member = td->is_array_member, was_terminated = td->is_array_terminated;
	uint32_t i;

	if (esize <= 0)
		return -EINVAL;
	if (et && bbpf_btf_kind(et) == BTF_KIND_INT && esize == 1) {
		if (td->emit_strings && string_data(td, a, p) == 0)
			return 0;
		td->is_array_char = true;	/* and stays so for this call: libbpf's */
	}
	td->depth++;
	put(td, "[");
	newline(td);
	td->is_array_member = true;
	td->is_array_terminated = false;
	for (i = 0; i < a->nelems && !td->is_array_terminated; i++) {
		uint64_t off = (uint64_t)i * (uint64_t)esize;

		if (off >= (uint64_t)(td->end - p))
			break;	/* past the data: libbpf would go on reading */
		dump(td, NULL, a->type, p + off, 0, 0);	/* element errors do not stop the array */
	}
	td->is_array_member = was_member;
	td->is_array_terminated = was_terminated;
	td->depth--;
	pfx(td);
	put(td, "]");
	value_end(td);
	return 0;
}

static int struct_data(struct td *td, const struct btf_type *t, const uint8_t *p)
{
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i, n = bbpf_btf_vlen(t), off;
	int err = 0;

	td->depth++;
	put(td, "{");
	newline(td);
	for (i = 0; i < n; i++) {
		off = bbpf_btf_member_bit_off(t, &m[i]);
		err = dump(td, bbpf_dump_c_str(td->d, m[i].name_off), m[i].type, p + off / 8,
			   (uint8_t)(off % 8), (uint8_t)bbpf_btf_member_bitfield_size(t, &m[i]));
		if (err < 0)
			return err;	/* libbpf leaves the braces open */
	}
	td->depth--;
	pfx(td);
	put(td, "}");
	value_end(td);
	return err;
}

static int var_data(struct td *td, const struct btf_type *v, const uint8_t *p)
{
	switch (bbpf_btf_var(v)->linkage) {
	case BTF_FUNC_STATIC:
		put(td, "static ");
		break;
	case BTF_FUNC_EXTERN:
		put(td, "extern ");
		break;
	default:
		break;
	}
	cast(td, v->type, false);
	put(td, " ");
	put(td, bbpf_dump_c_str(td->d, v->name_off));
	put(td, " = ");
	return dump(td, NULL, v->type, p, 0, 0);
}

static int datasec_data(struct td *td, const struct btf_type *t, const uint8_t *p)
{
	const struct btf_var_secinfo *vsi = bbpf_btf_secinfos(t);
	uint32_t i, n = bbpf_btf_vlen(t);
	int err;

	put(td, "SEC(\"");
	put(td, bbpf_dump_c_str(td->d, t->name_off));
	put(td, "\") ");
	value_end(td);
	for (i = 0; i < n; i++) {
		if (vsi[i].offset > (uint64_t)(td->end - p))
			return -E2BIG;
		err = dump(td, NULL, vsi[i].type, p + vsi[i].offset, 0, 0);
		if (err < 0)
			return err;
		put(td, ";");
	}
	return 0;
}

/* Size of a value of type id at p, -E2BIG if a scalar one does not fit (libbpf's check_overflow). */
static int overflow(struct td *td, uint32_t id, const uint8_t *p, uint8_t bits_offset,
		    uint8_t bit_sz)
{
	const struct btf_type *t;
	int64_t size;

	if (bit_sz) {
		uint32_t nr = (bits_offset + bit_sz + 7u) / 8u;

		return fits(td, p, nr) ? (int)nr : -E2BIG;
	}
	size = bbpf_dump_c_layout_size(td->d, id);
	if (size < 0 || size >= INT_MAX)
		return -EINVAL;
	t = skip_mods(td, id, NULL);
	if (!t)
		return -EINVAL;
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_PTR:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!fits(td, p, bits_offset / 8u + (uint64_t)size))
			return -E2BIG;
		break;
	default:
		break;
	}
	return (int)size;
}

static int dump(struct td *td, const char *fname, uint32_t id, const uint8_t *p,
		uint8_t bits_offset, uint8_t bit_sz)
{
	const struct btf_type *t;
	int size, err;

	if (++td->nest > BBPF_DUMP_C_DATA_MAX_DEPTH) {
		td->nest--;
		return -ELOOP;
	}
	size = overflow(td, id, p, bits_offset, bit_sz);
	err = size < 0 ? size : check_zero(td, id, p, bits_offset, bit_sz, 0);
	if (err) {
		td->nest--;
		return err == -ENODATA_ ? size : err;	/* a zero value is skipped, not an error */
	}
	pfx(td);
	if (!td->skip_names) {
		if (fname && fname[0]) {
			put(td, ".");
			put(td, fname);
			put(td, " = ");
		}
		cast(td, id, true);
	}
	t = skip_mods(td, id, NULL);
	switch (t ? bbpf_btf_kind(t) : BTF_KIND_UNKN) {
	case BTF_KIND_UNKN:
	case BTF_KIND_FWD:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_DECL_TAG:
		putf(td, "<unsupported kind:%u>", t ? bbpf_btf_kind(t) : 0);
		err = -ENOTSUP;
		break;
	case BTF_KIND_INT:
		if (bit_sz) {
			uint64_t v;

			err = bitfield(td, t, p, bits_offset, bit_sz, &v);
			if (!err) {
				putf(td, "0x%llx", (unsigned long long)v);
				value_end(td);
			}
		} else {
			err = int_data(td, t, id, p);
		}
		break;
	case BTF_KIND_FLOAT:
		err = float_data(td, t, p);
		break;
	case BTF_KIND_PTR:
		err = ptr_data(td, p);
		break;
	case BTF_KIND_ARRAY:
		err = array_data(td, t, p);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		err = struct_data(td, t, p);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		int64_t v;

		if (bit_sz) {
			uint64_t bv;

			err = bitfield(td, t, p, bits_offset, bit_sz, &bv);
			v = (int64_t)bv;
		} else {
			err = enum_value(td, t, p, &v);
		}
		err = err ?: enum_data(td, t, v);
		break;
	}
	case BTF_KIND_VAR:
		err = var_data(td, t, p);
		break;
	case BTF_KIND_DATASEC:
		err = datasec_data(td, t, p);
		break;
	default:
		err = -EINVAL;
	}
	td->nest--;
	return err < 0 ? err : size;
}

int bbpf_dump_c_data(struct bbpf_dump_c *d, uint32_t id, const void *data, size_t data_len,
		     const struct bbpf_dump_c_data_opts *opts)
{
	struct td td = { .d = d };
	uint64_t written = d->out.written;
	int ret, err_before = d->err;

	if (id >= d->cnt)
		return -ENOENT;
	if (!data && data_len)
		return -EINVAL;
	td.end = (const uint8_t *)data + data_len;
	if (opts) {
		td.indent_lvl = opts->indent_level;
		td.compact = opts->compact;
		td.skip_names = opts->skip_names;
		td.emit_zeroes = opts->emit_zeroes;
		td.emit_strings = opts->emit_strings;
	}
	if (opts && opts->indent_str)
		snprintf(td.indent_str, sizeof(td.indent_str), "%s", opts->indent_str);
	else
		td.indent_str[0] = '\t';
	if (err_before)
		return err_before;
	ret = dump(&td, NULL, id, data, 0, 0);
	bbpf_dump_c_flush(d);
	/*
	 * Typed data is not C output: it neither counts against the header's
	 * output budget nor leaves an error behind (the budget's -E2BIG is this
	 * call's result).
	 */
	if (d->err && ret >= 0)
		ret = d->err;
	d->err = 0;
	d->err_id = 0;
	d->out.written = written;
	d->out.full = false;
	return ret;
}
