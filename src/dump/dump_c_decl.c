/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF as C: declarations. A type chain (pointers, arrays, prototypes,
 * modifiers down to a base type) is collected on d->decl, then printed
 * from the base type outwards the way C nests declarators:
 *
 *   typedef const int *const arr_t[10];   BTF: typedef -> array -> const
 *                                               -> ptr -> const -> int
 *
 * Modifiers of a base type go before it ("const int"), those of a pointer
 * after the '*' ("* const"); an array or prototype below a pointer gets
 * parentheses ("int (*fn)(int)", "char (*p)[4]"). Struct and union bodies
 * come with libbpf's padding rules. Nesting (anonymous bodies, prototype
 * parameters, arrays) is bounded by BBPF_DUMP_C_MAX_NEST.
 */
#include <errno.h>
#include <string.h>
#include "dump_c_int.h"
#include "dump_value.h"

static bool is_mod(const struct btf_type *t)
{
	uint32_t k = t ? bbpf_btf_kind(t) : 0;

	return k == BTF_KIND_VOLATILE || k == BTF_KIND_CONST || k == BTF_KIND_RESTRICT ||
	       k == BTF_KIND_TYPE_TAG;
}

/* A view of one level's chain: ids[0] is the outermost type, ids[*cnt - 1] next to print. */
struct chain {
	const uint32_t *ids;
	uint32_t cnt;
};

static void chain_print(struct bbpf_dump_c *d, struct chain *c, const char *fname, uint32_t lvl);

/* The qualifiers, by kind from BTF_KIND_VOLATILE on (VOLATILE, CONST, RESTRICT follow each other). */
static const char quals[][9] = { "volatile", "const", "restrict" };

static int qual(const struct btf_type *t)
{
	uint32_t k = t ? bbpf_btf_kind(t) : 0;

	return k >= BTF_KIND_VOLATILE && k <= BTF_KIND_RESTRICT ? (int)(k - BTF_KIND_VOLATILE) : -1;
}

/* Modifiers that precede a base type: "const volatile int". */
static void put_mods(struct bbpf_dump_c *d, struct chain *c)
{
	int q;

	while (c->cnt && (q = qual(bbpf_dump_c_t(d, c->ids[c->cnt - 1]))) >= 0) {
		bbpf_dump_c_puts(d, quals[q]);
		bbpf_dump_c_putc(d, ' ');
		c->cnt--;
	}
}

/* Modifiers on an array or a function mean nothing in C (GCC emits them): dropped. */
static void drop_mods(struct bbpf_dump_c *d, struct chain *c)
{
	while (c->cnt && is_mod(bbpf_dump_c_t(d, c->ids[c->cnt - 1])))
		c->cnt--;
}

static void put_name(struct bbpf_dump_c *d, const char *name, bool last_was_ptr)
{
	if (name[0] && !last_was_ptr)
		bbpf_dump_c_putc(d, ' ');
	bbpf_dump_c_puts(d, name);
}

void bbpf_dump_c_decl_tag(struct bbpf_dump_c *d, uint32_t id)
{
	const struct btf_type *t = bbpf_dump_c_t(d, id);

	if (bbpf_btf_kind(t) == BTF_KIND_FWD) {
		bbpf_dump_c_puts(d, bbpf_btf_kflag(t) ? "union " : "struct ");
	} else {
		bbpf_dump_c_puts(d, bbpf_btf_kind(t) == BTF_KIND_UNION ? "union" : "struct");
		if (t->name_off)
			bbpf_dump_c_putc(d, ' ');
	}
	bbpf_dump_c_names_put_type(d, id);
}

static void put_enum_tag(struct bbpf_dump_c *d, uint32_t id)
{
	bbpf_dump_c_puts(d, "enum ");
	bbpf_dump_c_names_put_type(d, id);
}

static void put_array(struct bbpf_dump_c *d, const struct btf_array *a)
{
	bbpf_dump_c_putc(d, '[');
	bbpf_dump_c_put_u64(d, a->nelems);
	bbpf_dump_c_putc(d, ']');
}

/* "(int a, char *b)", "(void)", "(int, ...)". */
static void put_params(struct bbpf_dump_c *d, const struct btf_type *t, uint32_t lvl)
{
	const struct btf_param *p = bbpf_btf_params(t);
	uint32_t i, vlen = bbpf_btf_vlen(t);

	bbpf_dump_c_putc(d, '(');
	/* Clang writes "f(void)" as one void parameter: both are "(void)". */
	if (vlen == 0 || (vlen == 1 && p[0].type == 0)) {
		bbpf_dump_c_puts(d, "void)");
		return;
	}
	for (i = 0; i < vlen && !d->err; i++) {
		if (i > 0)
			bbpf_dump_c_puts(d, ", ");
		if (i == vlen - 1 && p[i].type == 0) {
			bbpf_dump_c_puts(d, "...");	/* a trailing void is varargs */
			break;
		}
		bbpf_dump_c_decl_of(d, p[i].type, bbpf_dump_c_str(d, p[i].name_off), lvl);
	}
	bbpf_dump_c_putc(d, ')');
}

/* Print c from its top (the base type) outwards, then the name. */
static void chain_print(struct bbpf_dump_c *d, struct chain *c, const char *fname, uint32_t lvl)
{
	const struct btf_type *t, *next;
	bool last_was_ptr = true;	/* "int ***", not "int * * *" */
	uint32_t id, kind;

	if (++d->nest > BBPF_DUMP_C_MAX_NEST) {
		bbpf_dump_c_fail(d, -ELOOP, c->cnt ? c->ids[c->cnt - 1] : 0);
		goto out;
	}
	while (c->cnt && !d->err) {
		id = c->ids[--c->cnt];
		if (id == 0) {
			put_mods(d, c);
			bbpf_dump_c_puts(d, "void");
			last_was_ptr = false;
			continue;
		}
		t = bbpf_dump_c_t(d, id);
		kind = bbpf_btf_kind(t);
		/* the kinds whose modifiers precede them */
		if ((1u << BTF_KIND_INT | 1u << BTF_KIND_FLOAT | 1u << BTF_KIND_STRUCT |
		     1u << BTF_KIND_UNION | 1u << BTF_KIND_ENUM | 1u << BTF_KIND_ENUM64 |
		     1u << BTF_KIND_FWD | 1u << BTF_KIND_TYPEDEF | 1u << BTF_KIND_TYPE_TAG) >> kind & 1)
			put_mods(d, c);
		switch (kind) {
		case BTF_KIND_INT:
		case BTF_KIND_FLOAT:
			bbpf_dump_c_puts(d, bbpf_dump_c_str(d, t->name_off));
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (t->name_off || d->skip_anon)
				bbpf_dump_c_decl_tag(d, id);
			else
				bbpf_dump_c_decl_struct(d, id, lvl);	/* anonymous: inline */
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (t->name_off || d->skip_anon)
				put_enum_tag(d, id);
			else
				bbpf_dump_c_decl_enum(d, id, lvl);
			break;
		case BTF_KIND_FWD:
			bbpf_dump_c_decl_tag(d, id);
			break;
		case BTF_KIND_TYPEDEF:
			bbpf_dump_c_names_put_ident(d, id);
			break;
		case BTF_KIND_PTR:
			bbpf_dump_c_puts(d, last_was_ptr ? "*" : " *");
			break;
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
			bbpf_dump_c_putc(d, ' ');
			bbpf_dump_c_puts(d, quals[kind - BTF_KIND_VOLATILE]);
			break;
		case BTF_KIND_TYPE_TAG:
			bbpf_dump_c_puts(d, " __attribute__((btf_type_tag(\"");
			bbpf_dump_c_puts(d, bbpf_dump_c_str(d, t->name_off));
			bbpf_dump_c_puts(d, "\")))");
			break;
		case BTF_KIND_ARRAY:
			drop_mods(d, c);
			if (!c->cnt) {
				put_name(d, fname, last_was_ptr);
				put_array(d, bbpf_btf_array(t));
				goto out;
			}
			next = bbpf_dump_c_t(d, c->ids[c->cnt - 1]);
			if (fname[0] && !last_was_ptr)
				bbpf_dump_c_putc(d, ' ');
			/* "int a[2][3]", but "int (*a)[3]" */
			if (bbpf_btf_kind(next) == BTF_KIND_ARRAY) {
				chain_print(d, c, fname, lvl);
			} else {
				bbpf_dump_c_putc(d, '(');
				chain_print(d, c, fname, lvl);
				bbpf_dump_c_putc(d, ')');
			}
			put_array(d, bbpf_btf_array(t));
			goto out;
		case BTF_KIND_FUNC_PROTO:
			drop_mods(d, c);
			if (c->cnt) {
				bbpf_dump_c_puts(d, " (");
				chain_print(d, c, fname, lvl);
				bbpf_dump_c_putc(d, ')');
			} else {
				put_name(d, fname, last_was_ptr);
			}
			put_params(d, t, lvl);
			goto out;
		default:	/* not a type a declaration can have: stop */
			goto out;
		}
		last_was_ptr = kind == BTF_KIND_PTR;
	}
	put_name(d, fname, last_was_ptr);
out:
	d->nest--;
}

void bbpf_dump_c_decl_of(struct bbpf_dump_c *d, uint32_t id, const char *fname, uint32_t lvl)
{
	uint32_t start = d->decl_cnt, hops;
	const struct btf_type *t;
	struct chain c;

	for (hops = 0; !d->err; hops++) {
		t = bbpf_dump_c_t(d, id);
		if (hops == BBPF_DUMP_C_MAX_CHAIN || (!(d->strip_mods && is_mod(t)) &&
						      d->decl_cnt == BBPF_DUMP_C_MAX_CHAIN)) {
			bbpf_dump_c_fail(d, -ELOOP, id);
			break;
		}
		if (!(d->strip_mods && is_mod(t)))
			d->decl[d->decl_cnt++] = id;
		if (id == 0)
			break;
		switch (bbpf_btf_kind(t)) {
		case BTF_KIND_PTR:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_FUNC_PROTO:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			id = bbpf_btf_array(t)->type;
			continue;
		default:	/* a base type, or one no declaration has */
			break;
		}
		break;
	}
	if (!d->err) {
		c.ids = d->decl + start;
		c.cnt = d->decl_cnt - start;
		chain_print(d, &c, fname, lvl);
	}
	d->decl_cnt = start;
}

int bbpf_dump_c_decl(struct bbpf_dump_c *d, uint32_t id, const char *name, uint32_t indent,
		     bool strip_mods)
{
	if (d->err)
		return d->err;
	if (id >= d->cnt)
		return -EINVAL;
	d->strip_mods = strip_mods;
	bbpf_dump_c_decl_of(d, id, name ? name : "", indent);
	d->strip_mods = false;
	return d->err;
}

void bbpf_dump_c_decl_typedef(struct bbpf_dump_c *d, uint32_t id, uint32_t lvl)
{
	const struct btf_type *t = bbpf_dump_c_t(d, id);
	char buf[BBPF_DUMP_C_NAME_LEN];
	const char *name = bbpf_dump_c_names_ident(d, id, buf);

	/* Old GCC's typedef of __gnuc_va_list to void, made compilable. */
	if (t->type == 0 && !strcmp(name, "__gnuc_va_list")) {
		bbpf_dump_c_puts(d, "typedef __builtin_va_list __gnuc_va_list");
		return;
	}
	bbpf_dump_c_puts(d, "typedef ");
	bbpf_dump_c_decl_of(d, t->type, name, lvl);
}

/* ---- enums ---- */

/*
 * libbpf since 1.2 (not bpftool 7.1's snapshot): an enum whose size C would
 * not give it by itself says so, mode(byte) for 1 byte, mode(word) for 8
 * when no value needs the upper 32 bits.
 */
static void put_enum_size(struct bbpf_dump_c *d, const struct btf_type *t)
{
	uint32_t i, vlen = bbpf_btf_vlen(t);
	bool word = true;

	if (t->size == 1) {
		bbpf_dump_c_puts(d, " __attribute__((mode(byte)))");
		return;
	}
	if (t->size != 8 || d->ptr_sz != 8)
		return;
	for (i = 0; bbpf_btf_kind(t) == BTF_KIND_ENUM64 && i < vlen; i++)
		if (bbpf_btf_enums64(t)[i].val_hi32)
			word = false;
	if (word)
		bbpf_dump_c_puts(d, " __attribute__((mode(word)))");
}

void bbpf_dump_c_decl_enum(struct bbpf_dump_c *d, uint32_t id, uint32_t lvl)
{
	const struct btf_type *t = bbpf_dump_c_t(d, id);
	bool is64 = bbpf_btf_kind(t) == BTF_KIND_ENUM64, sign = bbpf_btf_kflag(t);
	uint32_t i, vlen = bbpf_btf_vlen(t), dup, name_off;
	const char *name;
	uint64_t v;

	bbpf_dump_c_puts(d, t->name_off ? "enum " : "enum");
	bbpf_dump_c_names_put_type(d, id);
	if (!vlen)
		return;
	bbpf_dump_c_puts(d, " {");
	for (i = 0; i < vlen && !d->err; i++) {
		v = bbpf_dump_value_enumerator(t, i, &name_off);	/* ENUM: sign-extended */
		name = bbpf_dump_c_str(d, name_off);
		/* Enumerators share the namespace of typedef names. */
		dup = bbpf_dump_c_names_enumerator(d, name);
		bbpf_dump_c_newline(d, lvl + 1);
		bbpf_dump_c_puts(d, name);
		if (dup > 1) {
			bbpf_dump_c_puts(d, "___");
			bbpf_dump_c_put_u64(d, dup);
		}
		bbpf_dump_c_puts(d, " = ");
		if (sign)
			bbpf_dump_c_put_i64(d, (int64_t)v);
		else
			bbpf_dump_c_put_u64(d, is64 ? v : (uint32_t)v);
		if (is64)
			bbpf_dump_c_puts(d, sign ? "LL" : "ULL");
		bbpf_dump_c_putc(d, ',');
	}
	bbpf_dump_c_newline(d, lvl);
	bbpf_dump_c_putc(d, '}');
	if (d->enum_size_attr)
		put_enum_size(d, t);
}

/* ---- structs and unions ---- */

static int64_t round_up(int64_t x, int64_t to)
{
	return to > 0 ? (x + to - 1) / to * to : x;	/* libbpf divides by zero on 0 */
}

/*
 * Fill the bit gap [cur, next) with anonymous bitfields the compiler will
 * lay out exactly there: first align to the largest of long/int/short/char
 * that fits (with an explicit "<type>: 0;" mark where natural alignment
 * would not land on it, or a bit count inside a bitfield run), then whole
 * units, then the smallest type holding the rest.
 */
/* "\n\t...TYPE: BITS;" */
static void pad_line(struct bbpf_dump_c *d, uint32_t lvl, const char *type, int64_t bits)
{
	bbpf_dump_c_newline(d, lvl);
	bbpf_dump_c_puts(d, type);
	bbpf_dump_c_puts(d, ": ");
	bbpf_dump_c_put_i64(d, bits);
	bbpf_dump_c_putc(d, ';');
}

static void put_padding(struct bbpf_dump_c *d, int64_t cur, int64_t next, int next_align,
			bool in_bitfield, uint32_t lvl)
{
	static const char names[4][6] = { "long", "int", "short", "char" };
	const int64_t bits[4] = { (int64_t)d->ptr_sz * 8, 32, 16, 8 };
	int64_t new_off = 0, pad_bits = 0, n;
	const char *pad_type = NULL;
	int i;

	if (cur >= next)
		return;
	for (i = 0; i < 4; i++) {
		pad_bits = bits[i];
		pad_type = names[i];
		new_off = round_up(cur, pad_bits);
		if (new_off <= next)
			break;
	}
	if (new_off > cur && new_off <= next) {
		if (in_bitfield ||
		    (new_off == next && round_up(cur, (int64_t)next_align * 8) != new_off) ||
		    (new_off != next && next - new_off <= new_off - cur))
			pad_line(d, lvl, pad_type, in_bitfield ? new_off - cur : 0);
		cur = new_off;
	}
	while (cur != next && !d->err) {
		n = next - cur < pad_bits ? next - cur : pad_bits;
		if (n < pad_bits) {
			/* The rest: the smallest type that holds it. */
			for (i = 3; i >= 0 && bits[i] < n; i--)
				;
			pad_type = names[i < 0 ? 0 : i];
		}
		pad_line(d, lvl, pad_type, n);
		cur += n;
	}
}

/* Packed if a plain member sits off its alignment or the size is not a multiple of it. */
static bool is_packed(struct bbpf_dump_c *d, const struct btf_type *t)
{
	const struct btf_member *m = bbpf_btf_members(t);
	uint32_t i, vlen = bbpf_btf_vlen(t);
	int align, max_align = 1;

	for (i = 0; i < vlen; i++) {
		align = bbpf_dump_c_layout_align(d, m[i].type);
		if (align && !bbpf_btf_member_bitfield_size(t, &m[i]) &&
		    m[i].offset % (8u * (uint32_t)align))
			return true;
		if (align > max_align)
			max_align = align;
	}
	return t->size % (uint32_t)max_align != 0;
}

void bbpf_dump_c_decl_struct(struct bbpf_dump_c *d, uint32_t id, uint32_t lvl)
{
	const struct btf_type *t = bbpf_dump_c_t(d, id);
	const struct btf_member *m = bbpf_btf_members(t);
	bool is_struct = bbpf_btf_kind(t) == BTF_KIND_STRUCT, packed, prev_bitfield = false;
	uint32_t i, vlen = bbpf_btf_vlen(t), bf;
	int align = bbpf_dump_c_layout_align(d, id), m_align;
	int64_t off = 0, m_off, sz;

	packed = is_struct && is_packed(d, t);
	bbpf_dump_c_decl_tag(d, id);
	bbpf_dump_c_puts(d, " {");
	for (i = 0; i < vlen && !d->err; i++) {
		bf = bbpf_btf_member_bitfield_size(t, &m[i]);
		m_off = bbpf_btf_member_bit_off(t, &m[i]);
		m_align = packed ? 1 : bbpf_dump_c_layout_align(d, m[i].type);
		put_padding(d, off, m_off, m_align, prev_bitfield && bf, lvl + 1);
		bbpf_dump_c_newline(d, lvl + 1);
		bbpf_dump_c_decl_of(d, m[i].type, bbpf_dump_c_str(d, m[i].name_off), lvl + 1);
		if (bf) {
			bbpf_dump_c_puts(d, ": ");
			bbpf_dump_c_put_u64(d, bf);
			off = m_off + bf;
			prev_bitfield = true;
		} else {
			sz = bbpf_dump_c_layout_size(d, m[i].type);
			off = m_off + (sz > 0 ? sz * 8 : 0);
			prev_bitfield = false;
		}
		bbpf_dump_c_putc(d, ';');
	}
	if (is_struct)
		put_padding(d, off, (int64_t)t->size * 8, align, false, lvl + 1);
	/* "struct empty {}" stays on one line */
	if (vlen || t->size) {
		bbpf_dump_c_newline(d, lvl);
	}
	bbpf_dump_c_putc(d, '}');
	if (packed)
		bbpf_dump_c_puts(d, " __attribute__((packed))");
}
