/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_relo_program (see relo.h): the image libbpf 1.1 builds in
 * bpf_object__relocate() for one program, in three steps:
 *
 *   layout   which subprograms are appended and where. libbpf's
 *            bpf_object__reloc_code() recurses on the first use of each
 *            subprogram; an explicit stack gives the same depth-first
 *            preorder. Every function is pushed once, when it is placed,
 *            so the stack never holds more than 1 + subprog_cnt frames.
 *   code     copy the functions, fix bpf-to-bpf calls and subprogram
 *            addresses, then apply data relocations to each copy.
 *   ext      func_info/line_info of each placed function, in layout
 *            order, with byte offsets turned into image instruction indexes.
 *
 * Checked against bpftool 7.1 (libbpf 1.1) on kernel 6.18: in
 * callbacks.bpf.o, run_loop references loop_cb (callback) before it calls
 * sum_squares, and loop_cb calls square; the kernel's xlated dump shows the
 * functions as run_loop, loop_cb, square, sum_squares (depth-first
 * preorder; breadth-first would put sum_squares before square).
 * run_for_each is run_for_each, sum_elem, count_elem; xdp_loop is
 * xdp_loop, loop_cb, square; in progs_loadable.bpf.o each user of mix or
 * classify_len gets exactly that one function appended. Compared with
 * Debian's libbpf 1.1.2 directly (bpf_program__insns() after
 * bpf_object__load(), our env filled with its map fds), the images of
 * callbacks, progs_loadable, maps_btf, globals, globals_bss_custom and
 * minimal are byte-identical, and so are func_info/line_info wherever the
 * kernel's prog info reports them unrewritten.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <elf.h>
#include "relo.h"
#include "../obj/object_int.h"
#include "../base/fmt.h"

#define INSN_SZ sizeof(struct bpf_insn)
#define INSN_LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define INSN_CALL (BPF_JMP | BPF_CALL)
#define NOT_PLACED UINT32_MAX
/* Call offsets are s32: an image this long could not encode them. */
#define MAX_IMAGE_INSNS ((uint32_t)INT32_MAX)

struct relo_ctx {
	struct bbpf_object *obj;	/* written only through its log */
	const struct bbpf_program *main;
	const struct bbpf_relo_env *env;
	struct bbpf_arena *arena;
	struct bbpf_diag *diag;
	uint32_t *place;		/* per slot() (program, subprograms): image offset or NOT_PLACED */
	uint32_t **relo_at;		/* per slot(), built on first use: relos index + 1 per insn */
	uint32_t *order;		/* placed functions, the program first */
	struct frame {			/* layout()'s stack */
		uint32_t fn;
		uint32_t next;		/* next instruction to look at */
	} *stack;
	struct site {			/* calls and subprogram addresses found by layout() */
		uint32_t fn, insn, callee;
	} *sites;
	uint32_t site_cnt, site_cap;
	uint32_t order_cnt;
	uint32_t insn_cnt;		/* image length so far */
};

static bool is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == INSN_LD_IMM64;
}

/* libbpf's insn_is_subprog_call(). */
static bool is_subprog_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL | BPF_K) && insn->src_reg == BPF_PSEUDO_CALL &&
	       insn->dst_reg == 0 && insn->off == 0;
}

/*
 * libbpf marks every ld_imm64 with a subprogram-address relocation as
 * src_reg=BPF_PSEUDO_FUNC before relocating calls; r is the insn's relocation.
 */
static bool is_pseudo_func(const struct bpf_insn *insn, const struct bbpf_relo *r)
{
	return is_ld_imm64(insn) &&
	       (insn->src_reg == BPF_PSEUDO_FUNC || (r && r->kind == BBPF_RELO_CALLBACK));
}

static const char *kind_str(enum bbpf_relo_kind k)
{
	/* in enum order (bbpf_relo_kind, checked below): no pointer table */
	static const char names[] = "map\0global data\0call\0subprogram address\0extern\0kfunc\0"
				    "CO-RE";
	_Static_assert(BBPF_RELO_MAP == 0 && BBPF_RELO_DATA == 1 && BBPF_RELO_CALL == 2 &&
		       BBPF_RELO_CALLBACK == 3 && BBPF_RELO_EXTERN_VAR == 4 &&
		       BBPF_RELO_EXTERN_FUNC == 5 && BBPF_RELO_CORE == 6 && BBPF_RELO_KIND_CNT == 7,
		       "relocation kind names out of order");

	return (unsigned int)k < BBPF_RELO_KIND_CNT ? bbpf_fmt_nth(names, (unsigned int)k) : "?";
}

/* Reject instruction insn_idx of function p: logged with its file offset. */
__attribute__((format(printf, 5, 6)))
BBPF_NO_FP_VARARGS
static int insn_fail(struct relo_ctx *c, const struct bbpf_program *p, uint32_t insn_idx,
		     enum bbpf_bad why, const char *fmt, ...)
{
	const struct bbpf_elf_shdr *sh = bbpf_elf_shdr(&c->obj->elf, p->sec_idx);
	uint64_t sec_insn = (uint64_t)p->sec_insn_off + insn_idx;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bbpf_obj_fail(c->obj, c->diag, why, p->sec_idx,
			     (sh ? sh->off : 0) + sec_insn * INSN_SZ, (uint32_t)sec_insn,
			     "program '%s': function '%s' insn #%u: %s", c->main->name, p->name,
			     insn_idx, msg);
}

/*
 * Where a function's placement and relocation index live: the main program
 * at 0, subprogram j at 1 + j. Only the main program and subprograms are
 * ever placed (a call targets a subprogram), so the per-program state is
 * sized by the subprograms, not by every program of the object: loading
 * each of N programs stays linear in N.
 */
static inline __attribute__((always_inline)) uint32_t slot(const struct relo_ctx *c, uint32_t fn)
{
	return fn < c->obj->prog_cnt ? 0 : fn - c->obj->prog_cnt + 1;
}

static uint32_t fn_index(const struct relo_ctx *c, const struct bbpf_program *p)
{
	return (uint32_t)(p - c->obj->progs);
}

/* Per-instruction index of fn's relocations; CO-RE records are not ours. */
static int relo_index(struct relo_ctx *c, uint32_t fn, const uint32_t **out)
{
	const struct bbpf_program *p = &c->obj->progs[fn];
	uint32_t *at, i;

	if (!c->relo_at[slot(c, fn)]) {
		at = bbpf_arena_calloc(c->arena, p->insn_cnt, sizeof(*at));
		if (!at)
			return -ENOMEM;
		for (i = 0; i < p->relo_cnt; i++) {
			const struct bbpf_relo *r = &p->relos[i];

			if (r->kind == BBPF_RELO_CORE)
				continue;
			if (r->insn_idx >= p->insn_cnt)
				return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_RELO,
						 "relocation outside the function");
			/* libbpf would pick one by bsearch; clang never emits two. */
			if (at[r->insn_idx])
				return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_RELO,
						 "two relocations for one instruction");
			at[r->insn_idx] = i + 1;
		}
		c->relo_at[slot(c, fn)] = at;
	}
	*out = c->relo_at[slot(c, fn)];
	return 0;
}

/* libbpf's sym_is_subprog(): a static function is referenced through its
 * section symbol, a global one through its own STT_FUNC symbol. */
static bool sym_is_subprog(const struct bbpf_object *obj, uint32_t sym_idx)
{
	const struct bbpf_elf_sym *s = bbpf_obj_sym(obj, sym_idx);

	if (!s || !obj->text_shndx || s->shndx != obj->text_shndx)
		return false;
	return (s->bind == STB_LOCAL && s->type == STT_SECTION) ||
	       (s->bind == STB_GLOBAL && s->type == STT_FUNC);
}

/*
 * If instruction i of function fn is a bpf-to-bpf call or a subprogram
 * address, the function it targets in *callee, else NOT_PLACED. As in
 * libbpf, a target inside a subprogram means that subprogram's start.
 */
static int site_callee(struct relo_ctx *c, uint32_t fn, uint32_t i, uint32_t *callee)
{
	const struct bbpf_object *obj = c->obj;
	const struct bbpf_program *p = &obj->progs[fn], *t;
	const struct bpf_insn *insn = &p->insns[i];
	const struct bbpf_relo *r = NULL;
	const uint32_t *at;
	int64_t sub;
	int err;

	*callee = NOT_PLACED;
	at = c->relo_at[slot(c, fn)];	/* built by the first site of fn */
	if (!at && (err = relo_index(c, fn, &at)))
		return err;
	if (at[i])
		r = &p->relos[at[i] - 1];
	if (!is_subprog_call(insn) && !is_pseudo_func(insn, r))
		return 0;
	if (!r) {
		if (is_ld_imm64(insn))
			return insn_fail(c, p, i, BBPF_BAD_OBJ_RELO,
					 "subprogram address without a relocation");
		/* A static callee in the same section needs no relocation:
		 * imm is relative to the call's place in the section. */
		sub = (int64_t)p->sec_insn_off + i + insn->imm + 1;
	} else if (r->kind == BBPF_RELO_EXTERN_FUNC) {
		return 0;	/* a kfunc: a data relocation */
	} else if (r->kind != BBPF_RELO_CALL && r->kind != BBPF_RELO_CALLBACK) {
		return insn_fail(c, p, i, BBPF_BAD_OBJ_RELO,
				 "%s relocation on a call or subprogram address", kind_str(r->kind));
	} else if (!obj->text_shndx || r->sec_idx != obj->text_shndx) {
		return insn_fail(c, p, i, BBPF_BAD_OBJ_RELO,
				 "%s target is not in .text", kind_str(r->kind));
	} else if (r->sym_off > ((uint64_t)1 << 48)) {
		/* st_value beyond any section: keep the sums below from overflowing. */
		return insn_fail(c, p, i, BBPF_BAD_OBJ_RELO, "%s target out of range",
				 kind_str(r->kind));
	} else if (r->kind == BBPF_RELO_CALL) {
		/* Global callee: symbol + imm(-1) + 1; static: section + imm + 1. */
		sub = (int64_t)(r->sym_off / INSN_SZ) + insn->imm + 1;
	} else {
		if (!sym_is_subprog(obj, r->sym_idx) || r->sym_off % INSN_SZ ||
		    insn->imm % (int32_t)INSN_SZ)
			return insn_fail(c, p, i, BBPF_BAD_OBJ_RELO,
					 "bad subprogram address relocation (+%lld%+d)",
					 (long long)r->sym_off, insn->imm);
		sub = ((int64_t)r->sym_off + insn->imm) / (int64_t)INSN_SZ;
		if ((int64_t)r->sym_off + insn->imm < 0)
			sub = -1;
	}
	t = sub >= 0 && obj->text_shndx ? bbpf_obj_prog_at(obj, obj->text_shndx, (uint64_t)sub)
					 : NULL;
	if (!t || !t->is_subprog)
		return insn_fail(c, p, i, BBPF_BAD_OBJ_RELO,
				 "call or subprogram address at .text insn %lld, outside every subprogram",
				 (long long)sub);
	*callee = fn_index(c, t);
	return 0;
}

static int place_fn(struct relo_ctx *c, uint32_t fn)
{
	const struct bbpf_program *p = &c->obj->progs[fn];

	if (p->insn_cnt > MAX_IMAGE_INSNS - c->insn_cnt)
		return insn_fail(c, p, 0, BBPF_BAD_OBJ_LIMIT, "program image over %u instructions",
				 MAX_IMAGE_INSNS);
	c->place[slot(c, fn)] = c->insn_cnt;
	c->insn_cnt += p->insn_cnt;
	c->order[c->order_cnt++] = fn;
	if (p != c->main)
		bbpf_obj_log(c->obj, BBPF_LOG_DEBUG, "program '%s': subprogram '%s' at insn %u",
			     c->main->name, p->name, c->place[slot(c, fn)]);
	return 0;
}

/* Remember a site for emit_code(), which then patches sites instead of rescanning. */
static int add_site(struct relo_ctx *c, uint32_t fn, uint32_t insn, uint32_t callee)
{
	if (c->site_cnt == c->site_cap) {
		uint32_t cap = c->site_cap ? c->site_cap * 2 : 16;
		struct site *n = bbpf_arena_alloc_array(c->arena, cap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		if (c->site_cnt)
			memcpy(n, c->sites, c->site_cnt * sizeof(*n));
		c->sites = n;
		c->site_cap = cap;
	}
	c->sites[c->site_cnt++] = (struct site){ fn, insn, callee };
	return 0;
}

/*
 * The first instruction at or after i that can be a site: a bpf-to-bpf call
 * or an ld_imm64 (site_callee() decides). Once the function's relocation
 * index is built (indexed: by its first call or ld_imm64, as before), a
 * call whose src_reg is not BPF_PSEUDO_CALL (a helper's) is skipped:
 * site_callee() returns nothing for it whatever its relocation. Not
 * inlined: in the big inlined body the loop kept its counters on the
 * stack, at three times the cost.
 */
#define IS_SITE(k) (in[k].code == INSN_LD_IMM64 || \
		    (in[k].code == INSN_CALL && (!indexed || in[k].src_reg == BPF_PSEUDO_CALL)))

__attribute__((noinline))
static uint32_t next_site(const struct bpf_insn *in, uint32_t i, uint32_t n, bool indexed)
{
	/* four at a time: the loop's own test once per four */
	for (; n - i >= 4; i += 4) {
		if (IS_SITE(i))
			return i;
		if (IS_SITE(i + 1))
			return i + 1;
		if (IS_SITE(i + 2))
			return i + 2;
		if (IS_SITE(i + 3))
			return i + 3;
	}
	while (i < n && !IS_SITE(i))
		i++;
	return i;
}

/* Depth-first, preorder: the order libbpf's recursion appends in. */
__attribute__((noinline))
static int layout(struct relo_ctx *c, uint32_t main_fn)
{
	struct frame *stack = c->stack;
	uint32_t depth = 0, callee;
	int err;

	err = place_fn(c, main_fn);
	if (err)
		return err;
	stack[depth++] = (struct frame){ .fn = main_fn };
	while (depth) {
		struct frame *f = &stack[depth - 1];
		const struct bbpf_program *p = &c->obj->progs[f->fn];
		uint32_t i = f->next;

		callee = NOT_PLACED;
		while (callee == NOT_PLACED &&
		       (i = next_site(p->insns, i, p->insn_cnt, c->relo_at[slot(c, f->fn)] != NULL)) <
			       p->insn_cnt) {
			err = site_callee(c, f->fn, i++, &callee);
			if (err)
				return err;
			if (callee == NOT_PLACED)
				continue;
			err = add_site(c, f->fn, i - 1, callee);
			if (err)
				return err;
			if (c->place[slot(c, callee)] != NOT_PLACED)
				callee = NOT_PLACED;	/* seen: recursion ends here */
		}
		f->next = i;
		if (callee == NOT_PLACED) {
			depth--;
			continue;
		}
		err = place_fn(c, callee);
		if (err)
			return err;
		/* depth <= order_cnt <= nfn: a function is pushed only when placed. */
		stack[depth++] = (struct frame){ .fn = callee };
	}
	return 0;
}

/* Copy every placed function and fix its calls and subprogram addresses (layout()'s sites). */
static int emit_code(struct relo_ctx *c, struct bpf_insn *img)
{
	uint32_t k;
	int err;

	for (k = 0; k < c->order_cnt; k++) {
		uint32_t fn = c->order[k], base = c->place[slot(c, fn)];
		const struct bbpf_program *p = &c->obj->progs[fn];
		const uint32_t *at;

		memcpy(img + base, p->insns, (size_t)p->insn_cnt * INSN_SZ);
		/* checks the relocations of functions layout() found no site in, too */
		err = relo_index(c, fn, &at);
		if (err)
			return err;
	}
	for (k = 0; k < c->site_cnt; k++) {
		const struct site *s = &c->sites[k];
		uint32_t base = c->place[slot(c, s->fn)];

		if (c->place[slot(c, s->callee)] == NOT_PLACED)	/* layout placed every callee */
			return -EFAULT;
		img[base + s->insn].imm =
			(int32_t)((int64_t)c->place[slot(c, s->callee)] - base - s->insn - 1);
	}
	return 0;
}

static int need_ld_imm64(struct relo_ctx *c, const struct bbpf_program *p,
			 const struct bbpf_relo *r)
{
	if (r->insn_idx + 1 >= p->insn_cnt || !is_ld_imm64(&p->insns[r->insn_idx]))
		return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_INSN,
				 "%s relocation of an instruction that is not a whole ld_imm64",
				 kind_str(r->kind));
	return 0;
}

static int map_fd(struct relo_ctx *c, const struct bbpf_program *p, const struct bbpf_relo *r,
		  int *fd)
{
	const struct bbpf_object *obj = c->obj;

	if (r->target >= obj->map_cnt)
		return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_RELO, "map #%u does not exist",
				 r->target);
	if (!c->env->map_fds)
		return -EINVAL;
	*fd = c->env->map_fds[r->target];
	if (*fd < 0) {
		bbpf_obj_log(obj, BBPF_LOG_WARN,
			     "program '%s' (function '%s') uses map '%s', which was not created",
			     c->main->name, p->name, obj->maps[r->target].name);
		return -ENOENT;
	}
	return 0;
}

static int apply_extern_var(struct relo_ctx *c, const struct bbpf_program *p,
			    const struct bbpf_extern *e, const struct bbpf_extern_val *v,
			    struct bpf_insn *insn)
{
	if (e->kind == BBPF_EXTERN_KCONFIG) {
		if (c->env->kconfig_map_fd < 0) {
			bbpf_obj_log(c->obj, BBPF_LOG_WARN,
				     "program '%s' (function '%s') uses .kconfig extern '%s', but the .kconfig map was not created",
				     c->main->name, p->name, e->name);
			return -ENOENT;
		}
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = c->env->kconfig_map_fd;
		insn[1].imm = (int32_t)e->data_off;
	} else if (e->type_id && v->resolved) {
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = (int32_t)v->btf_id;
		/* libbpf 1.1 never sets kernel_btf_obj_fd for a kfunc, so the
		 * address of a kfunc (bpf_ksym_exists) keeps 0 here even in a
		 * module; 1.2 fills the module's BTF fd in. */
		insn[1].imm = e->is_func ? 0 : v->btf_obj_fd;
	} else {
		/* Typeless, or typed but unresolved (weak): the address, 0 if missing. */
		insn[0].imm = (int32_t)(uint32_t)v->addr;
		insn[1].imm = (int32_t)(uint32_t)(v->addr >> 32);
	}
	return 0;
}

/* bpf_object__relocate_data() on one placed function. */
__attribute__((noinline))
static int apply_data(struct relo_ctx *c, uint32_t fn, struct bpf_insn *img)
{
	const struct bbpf_object *obj = c->obj;
	const struct bbpf_program *p = &obj->progs[fn];
	uint32_t i;
	int err, fd = -1;

	for (i = 0; i < p->relo_cnt; i++) {
		const struct bbpf_relo *r = &p->relos[i];
		struct bpf_insn *insn = &img[c->place[slot(c, fn)] + r->insn_idx];
		const struct bbpf_extern *e = NULL;
		const struct bbpf_extern_val *v = NULL;

		if (r->kind == BBPF_RELO_CORE || r->kind == BBPF_RELO_CALL)
			continue;	/* CO-RE: elsewhere; calls: emit_code() */
		/* r->insn_idx < p->insn_cnt: emit_code()'s relo_index() checked every non-CO-RE one */
		if (r->kind == BBPF_RELO_EXTERN_VAR || r->kind == BBPF_RELO_EXTERN_FUNC) {
			if (r->target >= obj->extern_cnt)
				return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_RELO,
						 "extern #%u does not exist", r->target);
			if (!c->env->ext)
				return -EINVAL;
			e = &obj->externs[r->target];
			v = &c->env->ext[r->target];
		}
		/* the kinds whose instruction is an ld_imm64 */
		if (((unsigned int)r->kind <= BBPF_RELO_DATA || r->kind == BBPF_RELO_EXTERN_VAR) &&
		    (err = need_ld_imm64(c, p, r)))
			return err;
		switch (r->kind) {
		case BBPF_RELO_MAP:
		case BBPF_RELO_DATA:
			err = map_fd(c, p, r, &fd);
			if (err)
				return err;
			insn[0].src_reg = BPF_PSEUDO_MAP_FD;
			if (r->kind == BBPF_RELO_DATA) {
				/* libbpf adds st_value as an int: wrap the same way. */
				insn[1].imm = (int32_t)((uint32_t)insn[0].imm + (uint32_t)r->sym_off);
				insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
			}
			insn[0].imm = fd;
			break;
		case BBPF_RELO_EXTERN_VAR:
			err = apply_extern_var(c, p, e, v, insn);
			if (err)
				return err;
			break;
		case BBPF_RELO_EXTERN_FUNC:
			if (insn->code != INSN_CALL)
				return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_INSN,
						 "kfunc relocation of a non-call instruction");
			insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
			/* Unresolved (weak) kfunc: imm 0 off 0, as libbpf 1.1. */
			insn->imm = v->resolved ? (int32_t)v->btf_id : 0;
			insn->off = v->resolved ? v->btf_fd_idx : 0;
			break;
		case BBPF_RELO_CALLBACK:
			/* libbpf marks every one before relocating calls: only imm changed since */
			if (is_ld_imm64(insn))
				insn->src_reg = BPF_PSEUDO_FUNC;
			else if (insn->src_reg != BPF_PSEUDO_FUNC)
				return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_INSN,
						 "subprogram address is not an ld_imm64");
			break;
		default:
			return insn_fail(c, p, r->insn_idx, BBPF_BAD_OBJ_RELO,
					 "unknown relocation kind %d", (int)r->kind);
		}
	}
	return 0;
}

/* ---- func_info / line_info ---- */

static uint32_t rec_insn_off(const struct bbpf_btf_ext_sec *s, size_t rec_size, uint32_t i)
{
	uint32_t off;

	/* insn_off is the first u32 of every record kind. */
	memcpy(&off, (const uint8_t *)s->recs + (size_t)i * rec_size, sizeof(off));
	return off;
}

/*
 * The block of p's section. libbpf maps each .BTF.ext block to the first
 * ELF section of that name and takes the first block that maps to p's:
 * open indexed both (sec_first, ext_of_sec: an object with .BTF.ext always
 * has them), so no lookups by name.
 */
static const struct bbpf_btf_ext_sec *ext_block(const struct bbpf_object *obj, bool line,
						const struct bbpf_program *p)
{
	const char *name = bbpf_obj_sec_name(obj, p->sec_idx);

	if (!*name)
		return NULL;
	return obj->sec_first[p->sec_idx] == p->sec_idx ? obj->ext_of_sec[line][p->sec_idx] : NULL;
}

/*
 * p's records, as adjust_prog_btf_ext_info() picks them: from the first
 * record inside p up to the last one before the first record past p's
 * end. Clang sorts blocks, so that is exactly p's records.
 */
static uint32_t ext_span(const struct bbpf_btf_ext_sec *s, size_t rec_size,
			 const struct bbpf_program *p, uint32_t *first)
{
	uint64_t lo = p->sec_insn_off, hi = lo + p->insn_cnt;
	uint32_t i, cnt = 0;

	*first = 0;
	/* Sorted (clang's order): straight to the first record at lo. */
	for (i = bbpf_btf_ext_lower_bound(s, rec_size, lo * INSN_SZ); s && i < s->cnt; i++) {
		uint32_t off = rec_insn_off(s, rec_size, i) / INSN_SZ;

		if (off < lo)
			continue;
		if (off >= hi)
			break;
		if (!cnt)
			*first = i;
		cnt = i - *first + 1;
	}
	return cnt;
}

/*
 * reloc_prog_func_and_line_info() for every placed function: nothing if the
 * program has no records of this kind (libbpf warns and drops the kind);
 * an error if the program has some and a subprogram none.
 */
struct span {
	const struct bbpf_btf_ext_sec *s;
	uint32_t first, cnt;
};

/*
 * func_info (line false) or line_info (true) of the image, in *out, *out_cnt.
 * sp: room for each placed function's span, found once (a binary search
 * in clang's sorted blocks).
 */
__attribute__((noinline))
static int build_ext(struct relo_ctx *c, bool line, struct span *sp, void **out,
		     uint32_t *out_cnt)
{
	const struct bbpf_object *obj = c->obj;
	size_t rec_size = line ? sizeof(struct bpf_line_info) : sizeof(struct bpf_func_info);
	const char *what = line ? "line_info" : "func_info";
	uint64_t total = 0;
	uint32_t k, i, n = 0;
	uint8_t *buf;

	for (k = 0; k < c->order_cnt; k++) {
		const struct bbpf_program *p = &obj->progs[c->order[k]];

		sp[k].s = ext_block(obj, line, p);
		if (sp[k].s && sp[k].s->sorted) {
			/* sorted: the span is the slice open took from the same block */
			const struct bbpf_ext_slice *sl = line ? &p->line_info : &p->func_info;

			sp[k].first = sl->sec == sp[k].s ? sl->first : 0;
			sp[k].cnt = sl->sec == sp[k].s ? sl->cnt : 0;
		} else {
			sp[k].cnt = ext_span(sp[k].s, rec_size, p, &sp[k].first);
		}
		if (sp[k].cnt) {
			total += sp[k].cnt;
			continue;
		}
		if (k == 0) {
			bbpf_obj_log(obj, BBPF_LOG_WARN,
				     "program '%s': no .BTF.ext %s, loading without any", p->name, what);
			return 0;
		}
		return insn_fail(c, p, 0, BBPF_BAD_BTF_EXT_SECTION,
				 "no .BTF.ext %s for the subprogram, while its program has some",
				 what);
	}
	if (total > UINT32_MAX)
		return insn_fail(c, c->main, 0, BBPF_BAD_OBJ_LIMIT, "too many %s records", what);
	/* every byte is copied below */
	buf = bbpf_arena_alloc_array(c->arena, (size_t)total, rec_size);
	if (!buf)
		return -ENOMEM;
	for (k = 0; k < c->order_cnt; k++) {
		const struct bbpf_program *p = &obj->progs[c->order[k]];
		uint32_t cnt = sp[k].cnt, base = c->place[slot(c, c->order[k])] - p->sec_insn_off;
		uint8_t *rec = buf + (size_t)n * rec_size;

		memcpy(rec, (const uint8_t *)sp[k].s->recs + (size_t)sp[k].first * rec_size,
		       (size_t)cnt * rec_size);
		for (i = 0; i < cnt; i++, rec += rec_size) {
			uint32_t off;

			memcpy(&off, rec, sizeof(off));
			/* Bytes to instructions, rebased: u32 arithmetic as in libbpf. */
			off = off / INSN_SZ + base;
			memcpy(rec, &off, sizeof(off));
		}
		n += cnt;
	}
	*out = buf;
	*out_cnt = n;
	return 0;
}

/* ---- entry point ---- */

int bbpf_relo_program(const struct bbpf_object *obj, const struct bbpf_program *prog,
		      const struct bbpf_relo_env *env, struct bbpf_arena *arena,
		      struct bbpf_prog_image *out, struct bbpf_diag *diag)
{
	struct relo_ctx c = {
		/* bbpf_obj_fail() and the log take a mutable object; neither
		 * changes anything but the log's callback state. */
		.obj = (struct bbpf_object *)obj,
		.main = prog,
		.env = env,
		.arena = arena,
		.diag = diag,
	};
	struct bbpf_prog_image img = { 0 };
	uint32_t nfn, k;
	uint64_t size;
	void *ext[2] = { NULL, NULL };
	int err;

	if (!obj || !prog || !env || !arena || !out || prog->is_subprog)
		return -EINVAL;
	nfn = obj->subprog_cnt + 1;	/* the program and its subprograms: see slot() */
	/* one block: relo_at, then place, order and the stack (zeroed: relo_at needs it) */
	c.relo_at = bbpf_arena_calloc(arena, nfn, sizeof(*c.relo_at) + 2 * sizeof(uint32_t) +
						  sizeof(*c.stack));
	if (!c.relo_at)
		return -ENOMEM;
	c.place = (uint32_t *)(c.relo_at + nfn);
	c.order = c.place + nfn;
	c.stack = (struct frame *)(c.order + nfn);
	for (k = 0; k < nfn; k++)
		c.place[k] = NOT_PLACED;

	err = layout(&c, fn_index(&c, prog));
	if (err)
		return err;
	img.insn_cnt = c.insn_cnt;
	/* funcs, then the instructions (emit_code writes all), in one block */
	size = (uint64_t)c.order_cnt * sizeof(*img.funcs) + (uint64_t)img.insn_cnt * INSN_SZ;
	img.funcs = size <= SIZE_MAX ? bbpf_arena_alloc(arena, (size_t)size) : NULL;
	if (!img.funcs)
		return -ENOMEM;
	img.insns = (struct bpf_insn *)(img.funcs + c.order_cnt);
	err = emit_code(&c, img.insns);
	for (k = 0; !err && k < c.order_cnt; k++) {
		img.funcs[k].prog = &obj->progs[c.order[k]];
		img.funcs[k].insn_off = c.place[slot(&c, c.order[k])];
		err = apply_data(&c, c.order[k], img.insns);
	}
	img.func_cnt = c.order_cnt;
	/* libbpf also needs the kernel to support BTF func info; the kernel
	 * layer drops both kinds when it does not. */
	if (!err && obj->btf_ext) {
		struct span *sp = bbpf_arena_alloc_array(arena, c.order_cnt, sizeof(*sp));

		err = sp ? 0 : -ENOMEM;
		for (k = 0; !err && k < 2; k++)
			err = build_ext(&c, k, sp, &ext[k], k ? &img.line_info_cnt : &img.func_info_cnt);
		img.func_info = ext[0];
		img.line_info = ext[1];
	}
	if (err)
		return err;
	*out = img;
	return 0;
}
