/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * BTF as C: state, output, and the two walks (ordering, top-level
 * emission). Declarations are printed by dump_c_decl.c, names chosen by
 * dump_c_names.c, sizes and alignment computed by dump_c_layout.c. See
 * dump_c.h.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "dump_c_int.h"
#include "dump_json.h"
#include "../base/fmt.h"

#define STK_INIT	256u
#define OUT_SLACK	((uint64_t)1 << 20)
#define NAME_MAX_LEN	BBPF_DUMP_C_NAME_LEN
#define NOT_ON_PATH	UINT32_MAX

/* ---- output ---- */

int bbpf_dump_c_fail(struct bbpf_dump_c *d, int err, uint32_t id)
{
	if (!d->err) {
		d->err = err;
		d->err_id = id;
	}
	return d->err;
}

void bbpf_dump_c_put(struct bbpf_dump_c *d, const char *s, size_t len)
{
	if (d->err)
		return;
	bbpf_dump_json_raw(&d->out, s, len);
	if (d->out.full)
		bbpf_dump_c_fail(d, -E2BIG, 0);
}

void bbpf_dump_c_puts(struct bbpf_dump_c *d, const char *s)
{
	bbpf_dump_c_put(d, s, strlen(s));
}

void bbpf_dump_c_putc(struct bbpf_dump_c *d, char c)
{
	bbpf_dump_c_put(d, &c, 1);
}

void bbpf_dump_c_put_u64(struct bbpf_dump_c *d, uint64_t v)
{
	char b[24];

	bbpf_dump_c_put(d, b, bbpf_dump_json_fmt_u64(b, v));
}

void bbpf_dump_c_put_i64(struct bbpf_dump_c *d, int64_t v)
{
	if (v < 0) {
		bbpf_dump_c_putc(d, '-');
		bbpf_dump_c_put_u64(d, 0 - (uint64_t)v);
		return;
	}
	bbpf_dump_c_put_u64(d, (uint64_t)v);
}

void bbpf_dump_c_newline(struct bbpf_dump_c *d, uint32_t lvl)
{
	static const char nl_tabs[] = "\n\t\t\t\t\t\t\t\t\t\t\t\t\t";

	if (lvl > sizeof(nl_tabs) - 2)
		lvl = sizeof(nl_tabs) - 2;
	bbpf_dump_c_put(d, nl_tabs, lvl + 1);
}

int bbpf_dump_c_flush(struct bbpf_dump_c *d)
{
	bbpf_dump_json_flush(&d->out);
	return d->err;
}

uint32_t bbpf_dump_c_err_id(const struct bbpf_dump_c *d)
{
	return d->err_id;
}

/* ---- setup ---- */

const char *bbpf_dump_c_str(const struct bbpf_dump_c *d, uint32_t off)
{
	const char *s = bbpf_btf_str(d->btf, off);

	return s ? s : "";
}

int bbpf_dump_c_grow_stack(struct bbpf_dump_c *d, struct bbpf_dump_c_frame **stk, uint32_t *cap)
{
	struct bbpf_dump_c_frame *n;

	if (*cap > UINT32_MAX / 2)
		return bbpf_dump_c_fail(d, -ENOMEM, 0);
	n = bbpf_arena_alloc_array(d->arena, (size_t)*cap * 2, sizeof(*n));
	if (!n)
		return bbpf_dump_c_fail(d, -ENOMEM, 0);
	memcpy(n, *stk, (size_t)*cap * sizeof(*n));
	*stk = n;
	*cap *= 2;
	return 0;
}

static bool name_is(const struct bbpf_dump_c *d, const struct btf_type *t, const char *s)
{
	return t->name_off && !strcmp(bbpf_dump_c_str(d, t->name_off), s);
}

/*
 * One of libbpf's eleven spellings of long: the words "long" and, if at
 * all, "int" and "unsigned", each once, in any order, one space apart.
 */
__attribute__((noinline))
static bool is_long(const char *s)
{
	static const char words[3][9] = { "long", "int", "unsigned" };
	unsigned int seen = 0, i;
	size_t n = 0;

	for (;;) {
		for (i = 0; i < 3; i++) {
			n = strlen(words[i]);
			if (!strncmp(s, words[i], n) && (s[n] == ' ' || !s[n]))
				break;
		}
		if (i == 3 || (seen & (1u << i)))
			return false;
		seen |= 1u << i;
		if (!s[n])
			return seen & 1;
		s += n + 1;
	}
}

/* libbpf's guess: the size of the first INT spelled like "long", else 8. */
static uint32_t guess_ptr_size(const struct bbpf_dump_c *d)
{
	const struct btf_type *t;
	uint32_t id;

	for (id = 1; id < d->cnt; id++) {
		t = d->types[id];
		if (bbpf_btf_kind(t) == BTF_KIND_INT && (t->size == 4 || t->size == 8) &&
		    is_long(bbpf_dump_c_str(d, t->name_off)))
			return t->size;
	}
	return 8;
}

static bool ref(struct bbpf_dump_c *d, uint32_t id)
{
	if (id >= d->cnt)
		return false;
	d->st[id] |= ST_REFERENCED;
	return true;
}

/*
 * Mark every type another type refers to (an anonymous enum nobody refers
 * to is a top-level definition), check every id, count edges and
 * enumerators for the budgets and the name table.
 */
static int scan(struct bbpf_dump_c *d, uint64_t *edges, uint64_t *enumerators)
{
	const struct btf_type *t;
	uint32_t id, j, vlen;
	bool ok;

	for (id = 1; id < d->cnt; id++) {
		t = d->types[id];
		vlen = bbpf_btf_vlen(t);
		ok = true;
		switch (bbpf_btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_FWD:
		case BTF_KIND_FLOAT:
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			*enumerators += vlen;
			break;
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_FUNC:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			ok = ref(d, t->type);
			break;
		case BTF_KIND_ARRAY:
			ok = ref(d, bbpf_btf_array(t)->index_type) && ref(d, bbpf_btf_array(t)->type);
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			for (j = 0; j < vlen && ok; j++)
				ok = ref(d, bbpf_btf_members(t)[j].type);
			*edges += vlen;
			break;
		case BTF_KIND_FUNC_PROTO:
			/* The return type is not marked, as in libbpf. */
			ok = t->type < d->cnt;
			for (j = 0; j < vlen && ok; j++)
				ok = ref(d, bbpf_btf_params(t)[j].type);
			*edges += vlen;
			break;
		case BTF_KIND_DATASEC:
			for (j = 0; j < vlen && ok; j++)
				ok = ref(d, bbpf_btf_secinfos(t)[j].type);
			break;
		default:
			ok = false;
		}
		if (!ok)
			return bbpf_dump_c_fail(d, -EBADMSG, id);
	}
	return 0;
}

__attribute__((noinline))
static uint64_t btf_bytes(const struct bbpf_btf *btf)
{
	uint64_t n = 0;

	for (; btf; btf = btf->base)
		n += (uint64_t)btf->types_len + (btf->str_len - btf->start_str_off);
	return n;
}

/* The context's arrays: the field, its element size, how many (0: one per type), zeroed. */
struct dc_array {
	uint16_t off, size, n;
	bool zero;
};
#define DC_ARRAY(f, n, zero) \
	{ offsetof(struct bbpf_dump_c, f), sizeof(*((struct bbpf_dump_c *)0)->f), n, zero }
static const struct dc_array arrays[] = {
	DC_ARRAY(types, 0, false),
	DC_ARRAY(st, 0, true),
	DC_ARRAY(dup, 0, true),
	DC_ARRAY(align, 0, true),
	DC_ARRAY(queue, 0, false),
	DC_ARRAY(stk, STK_INIT, false),
	DC_ARRAY(astk, STK_INIT, false),
	DC_ARRAY(decl, BBPF_DUMP_C_MAX_CHAIN, false),
	DC_ARRAY(path_pos, 0, false),
};

int bbpf_dump_c_new(struct bbpf_dump_c **out, const struct bbpf_btf *btf,
		    const struct bbpf_dump_out *w, struct bbpf_arena *arena,
		    const struct bbpf_dump_c_opts *opts)
{
	uint64_t edges = 0, enumerators = 0;
	struct bbpf_dump_c *d;
	uint32_t id, cnt = bbpf_btf_type_cnt(btf);
	size_t i;
	int err;

	*out = NULL;
	if (!cnt)
		return -EBADMSG;	/* a lazy BTF whose walk failed */
	d = bbpf_arena_zalloc(arena, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->btf = btf;
	d->arena = arena;
	d->cnt = cnt;
	for (i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		const struct dc_array *a = &arrays[i];
		size_t n = a->n ? a->n : cnt;
		void *arr = a->zero ? bbpf_arena_calloc(arena, n, a->size) :
				      bbpf_arena_alloc_array(arena, n, a->size);

		if (!arr)
			return -ENOMEM;
		memcpy((char *)d + a->off, &arr, sizeof(arr));
	}
	d->stk_cap = d->astk_cap = STK_INIT;
	memset(d->path_pos, 0xff, (size_t)cnt * sizeof(*d->path_pos));	/* NOT_ON_PATH */
	d->types[0] = NULL;
	for (id = 1; id < cnt; id++) {
		d->types[id] = bbpf_btf_type(btf, id);
		if (!d->types[id])
			return -EBADMSG;
	}
	/* void is always ordered and emitted */
	d->st[0] = ORD_DONE | (EMIT_DONE << 2);
	err = scan(d, &edges, &enumerators);
	if (err)
		return err;
	d->ptr_sz = guess_ptr_size(d);
	err = bbpf_dump_c_names_init(d, &d->type_names, cnt);
	err = err ?: bbpf_dump_c_names_init(d, &d->ident_names, (uint64_t)cnt + enumerators);
	if (err)
		return err;
	d->work_max = opts && opts->max_work ? opts->max_work :
		      64 * ((uint64_t)cnt + edges) + OUT_SLACK;
	bbpf_dump_json_init(&d->out, w, false,
			    opts && opts->max_out ? opts->max_out : 64 * btf_bytes(btf) + OUT_SLACK);
	d->enum_size_attr = opts && opts->enum_size_attr;
	*out = d;
	return 0;
}

/* ---- ordering ---- */

static int push(struct bbpf_dump_c *d, uint32_t *sp, uint32_t id, uint32_t cont)
{
	if (*sp == d->stk_cap && bbpf_dump_c_grow_stack(d, &d->stk, &d->stk_cap))
		return d->err;
	d->stk[(*sp)++] = (struct bbpf_dump_c_frame){ .id = id, .cont = cont };
	return 0;
}

/*
 * The walks' path: path_pos[id] is the stack index of the type's innermost
 * frame that is walking its children, and each such frame counts the
 * "stateful" frames (structs, unions; in emission also typedefs) at or
 * below it. Re-entering a stateless type (pointer, array, modifier,
 * prototype, typedef in ordering) is fine when a stateful frame lies in
 * between: that type's state stops the repetition. Without one, libbpf
 * would recurse forever: an error here.
 */
static void path_enter(struct bbpf_dump_c *d, uint32_t sp, bool stateful)
{
	struct bbpf_dump_c_frame *f = &d->stk[sp - 1];

	f->phase = 1;
	f->nstate = (sp > 1 ? d->stk[sp - 2].nstate : 0) + stateful;
	f->saved_pos = d->path_pos[f->id];
	d->path_pos[f->id] = sp - 1;
}

static void path_leave(struct bbpf_dump_c *d, const struct bbpf_dump_c_frame *f)
{
	d->path_pos[f->id] = f->saved_pos;
}

static bool path_loops(const struct bbpf_dump_c *d, uint32_t sp, uint32_t id)
{
	uint32_t pos = d->path_pos[id];

	return pos != NOT_ON_PATH && sp > 1 && d->stk[sp - 2].nstate == d->stk[pos].nstate;
}

static bool named(const struct btf_type *t)
{
	return t->name_off != 0;
}

static bool is_composite(const struct btf_type *t)
{
	return bbpf_btf_kind(t) == BTF_KIND_STRUCT || bbpf_btf_kind(t) == BTF_KIND_UNION;
}

static void set_ord(struct bbpf_dump_c *d, uint32_t id, uint8_t ord)
{
	d->st[id] = (uint8_t)((d->st[id] & ~ST_ORD_MASK) | ord);
}

static void queue(struct bbpf_dump_c *d, uint32_t id)
{
	d->queue[d->qcnt++] = id;	/* each id once: it is ORD_DONE after */
}

/*
 * Enter a frame: 1 or 0 (strong/weak) in *ret and the frame popped, or
 * the frame left for its children (phase 1), or an error.
 */
static int order_enter(struct bbpf_dump_c *d, uint32_t *sp, int *ret)
{
	struct bbpf_dump_c_frame *f = &d->stk[*sp - 1];
	uint32_t id = f->id, ord = d->st[id] & ST_ORD_MASK, child;
	bool tp = f->cont != 0;
	const struct btf_type *t = d->types[id];

	if (ord == ORD_DONE) {
		*ret = 1;	/* lets a typedef know its target is there */
		goto pop;
	}
	if (ord == ORD_BUSY) {
		if (is_composite(t) && tp && named(t)) {
			*ret = 0;	/* a loop a forward declaration resolves */
			goto pop;
		}
		return bbpf_dump_c_fail(d, -ELOOP, id);
	}
	if (!is_composite(t) && path_loops(d, *sp, id))
		return bbpf_dump_c_fail(d, -ELOOP, id);	/* libbpf would recurse forever */
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		set_ord(d, id, ORD_DONE);
		*ret = 0;
		goto pop;
	case BTF_KIND_PTR:
		child = t->type;
		tp = true;
		break;
	case BTF_KIND_ARRAY:
		child = bbpf_btf_array(t)->type;
		tp = false;	/* an array embeds its elements */
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		/* Strong only when embedded, or anonymous (printed inline). */
		if (tp && named(t)) {
			*ret = 0;
			goto pop;
		}
		set_ord(d, id, ORD_BUSY);
		path_enter(d, *sp, true);	/* order_resume() walks the members */
		return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		if (named(t) || !(d->st[id] & ST_REFERENCED))
			queue(d, id);
		set_ord(d, id, ORD_DONE);
		*ret = 1;
		goto pop;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC_PROTO:
		child = t->type;
		break;
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		set_ord(d, id, ORD_DONE);
		*ret = 0;
		goto pop;
	default:
		return bbpf_dump_c_fail(d, -EINVAL, id);
	}
	path_enter(d, *sp, false);
	return push(d, sp, child, tp);
pop:
	(*sp)--;
	return 0;
}

/* Resume a frame whose child returned *ret (>= 0). */
static int order_resume(struct bbpf_dump_c *d, uint32_t *sp, int *ret)
{
	struct bbpf_dump_c_frame *f = &d->stk[*sp - 1];
	const struct btf_type *t = d->types[f->id];
	uint32_t id = f->id, tp = f->cont;

	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_PTR:
		set_ord(d, id, ORD_DONE);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (f->i < bbpf_btf_vlen(t))
			return push(d, sp, bbpf_btf_members(t)[f->i++].type, 0);
		if (named(t))
			queue(d, id);
		set_ord(d, id, ORD_DONE);
		*ret = 1;
		break;
	case BTF_KIND_TYPEDEF:
		/* Like a struct: behind a pointer, only a strong target needs it now. */
		if (tp && !*ret)
			break;
		queue(d, id);
		set_ord(d, id, ORD_DONE);
		*ret = 1;
		break;
	case BTF_KIND_FUNC_PROTO:
		if (*ret > 0)
			f->acc = 1;
		if (f->i < bbpf_btf_vlen(t))
			return push(d, sp, bbpf_btf_params(t)[f->i++].type, tp);
		*ret = f->acc;
		break;
	default:	/* array, modifiers: the child's answer */
		break;
	}
	path_leave(d, f);
	(*sp)--;
	return 0;
}

/* ---- top-level emission ---- */

static void set_emit(struct bbpf_dump_c *d, uint32_t id, uint8_t e)
{
	d->st[id] = (uint8_t)((d->st[id] & ~ST_EMIT_MASK) | (e << 2));
}

/* __builtin_va_list is the compiler's own: never redefined. */
static bool blocked(const struct bbpf_dump_c *d, uint32_t id)
{
	return name_is(d, d->types[id], "__builtin_va_list");
}

static void end_def(struct bbpf_dump_c *d)
{
	bbpf_dump_c_put(d, ";\n\n", 3);
}

static void emit_typedef(struct bbpf_dump_c *d, uint32_t id)
{
	if (blocked(d, id))
		return;
	bbpf_dump_c_decl_typedef(d, id, 0);
	end_def(d);
}

/* "struct name;" (or the FWD's own), once. */
static void fwd_decl(struct bbpf_dump_c *d, uint32_t id)
{
	bbpf_dump_c_decl_tag(d, id);
	end_def(d);
	d->st[id] |= ST_FWD_DONE;
}

/* Typedefs GCC emits for ARM's polynomial types, aliased to standard ones. */
__attribute__((noinline))
static void emit_missing_alias(struct bbpf_dump_c *d, uint32_t id)
{
	static const char alias[][2][19] = {
		{ "__Poly8_t", "unsigned char" },
		{ "__Poly16_t", "unsigned short" },
		{ "__Poly64_t", "unsigned long long" },
		{ "__Poly128_t", "unsigned __int128" },
	};
	char buf[NAME_MAX_LEN];
	const char *name = bbpf_dump_c_names_resolve(d, id, &d->type_names, buf);
	uint32_t i;

	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++) {
		if (strcmp(name, alias[i][0]))
			continue;
		bbpf_dump_c_puts(d, "typedef ");
		bbpf_dump_c_puts(d, alias[i][1]);
		bbpf_dump_c_putc(d, ' ');
		bbpf_dump_c_puts(d, name);
		end_def(d);
		break;
	}
}

/* A type reached again while it is being emitted: forward-declare it. */
static void emit_busy(struct bbpf_dump_c *d, uint32_t id, uint32_t cont)
{
	const struct btf_type *t = d->types[id];

	if (d->st[id] & ST_FWD_DONE)
		return;
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		/* A struct referring to itself needs nothing; an anonymous loop cannot be. */
		if (id == cont || !named(t))
			return;
		fwd_decl(d, id);
		break;
	case BTF_KIND_TYPEDEF:
		/* Printed early for uses through pointers; embedding still waits. */
		emit_typedef(d, id);
		d->st[id] |= ST_FWD_DONE;
		break;
	default:
		break;
	}
}

static int emit_enter(struct bbpf_dump_c *d, uint32_t *sp)
{
	struct bbpf_dump_c_frame *f = &d->stk[*sp - 1];
	uint32_t id = f->id, cont = f->cont, e = (d->st[id] & ST_EMIT_MASK) >> 2, child;
	const struct btf_type *t = d->types[id];
	bool top = cont == 0;

	if (e == EMIT_DONE)
		goto pop;
	if (e == EMIT_BUSY) {
		emit_busy(d, id, cont);
		goto pop;
	}
	if (path_loops(d, *sp, id))
		return bbpf_dump_c_fail(d, -ELOOP, id);	/* libbpf would recurse forever */
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_INT:
		emit_missing_alias(d, id);
		set_emit(d, id, EMIT_DONE);
		goto pop;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (top) {
			bbpf_dump_c_decl_enum(d, id, 0);
			end_def(d);
		}
		set_emit(d, id, EMIT_DONE);
		goto pop;
	case BTF_KIND_PTR:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		child = t->type;
		break;
	case BTF_KIND_ARRAY:
		child = bbpf_btf_array(t)->type;
		break;
	case BTF_KIND_FWD:
		fwd_decl(d, id);	/* the flag is not read for a FWD */
		set_emit(d, id, EMIT_DONE);
		goto pop;
	case BTF_KIND_TYPEDEF:
		set_emit(d, id, EMIT_BUSY);
		child = t->type;
		cont = id;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		set_emit(d, id, EMIT_BUSY);
		/* Members are printed in full: their types need declaring first. */
		if (top || !named(t)) {
			f->cont = named(t) ? id : cont;	/* container for the members */
			f->acc = top;
			path_enter(d, *sp, true);	/* emit_resume() walks the members */
			return 0;
		}
		if (!(d->st[id] & ST_FWD_DONE) && id != cont)
			fwd_decl(d, id);
		set_emit(d, id, EMIT_NONE);
		goto pop;
	case BTF_KIND_FUNC_PROTO:
		child = t->type;
		break;
	default:	/* func, var, datasec, tags, float: nothing to define */
		goto pop;
	}
	path_enter(d, *sp, bbpf_btf_kind(t) == BTF_KIND_TYPEDEF);
	return push(d, sp, child, cont);
pop:
	(*sp)--;
	return 0;
}

static int emit_resume(struct bbpf_dump_c *d, uint32_t *sp)
{
	struct bbpf_dump_c_frame *f = &d->stk[*sp - 1];
	const struct btf_type *t = d->types[f->id];
	uint32_t id = f->id;

	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_TYPEDEF:
		if (!(d->st[id] & ST_FWD_DONE))
			emit_typedef(d, id);
		set_emit(d, id, EMIT_DONE);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (f->i < bbpf_btf_vlen(t))
			return push(d, sp, bbpf_btf_members(t)[f->i++].type, f->cont);
		if (f->acc) {	/* top level */
			bbpf_dump_c_decl_struct(d, id, 0);
			end_def(d);
			set_emit(d, id, EMIT_DONE);
		} else {
			set_emit(d, id, EMIT_NONE);
		}
		break;
	case BTF_KIND_FUNC_PROTO:
		if (f->i < bbpf_btf_vlen(t))
			return push(d, sp, bbpf_btf_params(t)[f->i++].type, f->cont);
		break;
	default:
		break;
	}
	path_leave(d, f);
	(*sp)--;
	return 0;
}

/* The walk from root: ordering (emit false) or emission, as an explicit stack. */
static int walk_type(struct bbpf_dump_c *d, uint32_t root, bool emit)
{
	uint32_t sp = 0;
	int ret = 0, err;

	err = push(d, &sp, root, 0);
	while (!err && sp) {
		if (++d->work > d->work_max)
			return bbpf_dump_c_fail(d, -E2BIG, d->stk[sp - 1].id);
		if (!emit)
			err = d->stk[sp - 1].phase ? order_resume(d, &sp, &ret) :
						     order_enter(d, &sp, &ret);
		else
			err = (d->stk[sp - 1].phase ? emit_resume(d, &sp) : emit_enter(d, &sp)) ?:
			      d->err;
	}
	return err;
}

__attribute__((noinline))
int bbpf_dump_c_type(struct bbpf_dump_c *d, uint32_t id)
{
	uint32_t i;

	if (d->err)
		return d->err;
	if (id >= d->cnt)
		return -EINVAL;
	d->qcnt = 0;
	if (walk_type(d, id, false))
		return d->err;
	for (i = 0; i < d->qcnt && !d->err; i++)
		walk_type(d, d->queue[i], true);
	return d->err;
}

int bbpf_dump_c_header(const struct bbpf_btf *btf, const struct bbpf_dump_out *w,
		       struct bbpf_arena *arena, const struct bbpf_dump_c_opts *opts,
		       uint32_t *err_id)
{
	static const char head[] =
		"#ifndef __VMLINUX_H__\n"
		"#define __VMLINUX_H__\n"
		"\n"
		"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
		"#endif\n"
		"\n";
	static const char tail[] =
		"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute pop\n"
		"#endif\n"
		"\n"
		"#endif /* __VMLINUX_H__ */\n";
	struct bbpf_dump_c *d;
	uint32_t id;
	int err;

	if (err_id)
		*err_id = 0;
	err = bbpf_dump_c_new(&d, btf, w, arena, opts);
	if (err)
		return err;
	bbpf_dump_c_put(d, head, sizeof(head) - 1);
	for (id = 1; id < d->cnt && !d->err; id++)
		bbpf_dump_c_type(d, id);
	bbpf_dump_c_put(d, tail, sizeof(tail) - 1);
	if (err_id)
		*err_id = d->err_id;
	return bbpf_dump_c_flush(d);
}
