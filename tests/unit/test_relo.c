/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The relocation engine on clang-built fixtures, checked instruction by
 * instruction against the programs' own code and an independent (recursive)
 * model of libbpf's layout, and on crafted objects for calls into nothing,
 * recursion and deep chains.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "obj/object_int.h"
#include "relo/relo.h"
#include "elf_builder.h"
#include "test_file.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name
#define MAX_FN 512
#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define CALL (BPF_JMP | BPF_CALL)
#define R_BPF_64_32 10

struct logbuf {
	char text[8192];
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct logbuf *lb = ctx;
	size_t n = strlen(lb->text);

	if (level == BBPF_LOG_DEBUG)
		return;
	snprintf(lb->text + n, sizeof(lb->text) - n, "%s\n", msg);
}

/* Everything one relocation run needs; fds are 100 + map index. */
struct run {
	struct bbpf_object *obj;
	struct logbuf lb;
	int fds[BBPF_MAX_MAPS];
	struct bbpf_extern_val ext[256];
	struct bbpf_relo_env env;
	struct bbpf_arena arena;
	struct bbpf_prog_image img;
	struct bbpf_diag diag;
};

static void run_init(struct run *r)
{
	uint32_t i;

	for (i = 0; i < BBPF_MAX_MAPS; i++)
		r->fds[i] = 100 + (int)i;
	r->env = (struct bbpf_relo_env){ .map_fds = r->fds, .ext = r->ext, .kconfig_map_fd = 77 };
	bbpf_arena_init(&r->arena, &bbpf_alloc_libc, (size_t)1 << 28);
}

static struct run *open_run(const char *path)
{
	struct run *r = calloc(1, sizeof(*r));
	struct bbpf_open_opts o = { .log = log_cb };
	struct bbpf_diag d = { 0 };

	assert_non_null(r);
	o.log_ctx = &r->lb;
	assert_int_equal(bbpf_object_open_file(&r->obj, path, &o, &d), 0);
	assert_true(r->obj->extern_cnt <= 256);
	run_init(r);
	return r;
}

static void run_free(struct run *r)
{
	bbpf_arena_free(&r->arena);
	bbpf_object_close(r->obj);
	free(r);
}

static int relocate(struct run *r, const struct bbpf_program *p)
{
	memset(&r->diag, 0, sizeof(r->diag));
	return bbpf_relo_program(r->obj, p, &r->env, &r->arena, &r->img, &r->diag);
}

/* ---- an independent model of libbpf's layout ---- */

static const struct bbpf_relo *relo_at(const struct bbpf_program *f, uint32_t i)
{
	uint32_t k;

	for (k = 0; k < f->relo_cnt; k++)
		if (f->relos[k].insn_idx == i && f->relos[k].kind != BBPF_RELO_CORE)
			return &f->relos[k];
	return NULL;
}

/* The subprogram instruction i of f calls or takes the address of, or -1. */
static int target_of(const struct bbpf_object *obj, const struct bbpf_program *f, uint32_t i)
{
	const struct bpf_insn *in = &f->insns[i];
	const struct bbpf_relo *r = relo_at(f, i);
	int64_t t;
	uint32_t k;

	if (in->code == CALL && in->src_reg == BPF_PSEUDO_CALL) {
		if (r && r->kind == BBPF_RELO_EXTERN_FUNC)
			return -1;
		t = r ? (int64_t)(r->sym_off / 8) + in->imm + 1
		      : (int64_t)f->sec_insn_off + i + in->imm + 1;
	} else if (in->code == LD_IMM64 && r && r->kind == BBPF_RELO_CALLBACK) {
		t = ((int64_t)r->sym_off + in->imm) / 8;
	} else {
		return -1;
	}
	for (k = obj->prog_cnt; k < obj->prog_cnt + obj->subprog_cnt; k++) {
		const struct bbpf_program *s = &obj->progs[k];

		if (t >= s->sec_insn_off && t < (int64_t)s->sec_insn_off + s->insn_cnt)
			return (int)k;
	}
	fail_msg("%s insn %u: target %lld is in no subprogram", f->name, i, (long long)t);
	return -1;
}

/* libbpf's recursion, literally. */
static void model_dfs(const struct bbpf_object *obj, uint32_t fn, uint32_t *order, uint32_t *n)
{
	const struct bbpf_program *f = &obj->progs[fn];
	uint32_t i, k;

	order[(*n)++] = fn;
	for (i = 0; i < f->insn_cnt; i++) {
		int t = target_of(obj, f, i);
		bool seen = false;

		if (t < 0)
			continue;
		for (k = 0; k < *n; k++)
			seen |= order[k] == (uint32_t)t;
		if (!seen)
			model_dfs(obj, (uint32_t)t, order, n);
	}
}

static int64_t func_off(const struct bbpf_prog_image *img, uint32_t fn, const struct bbpf_object *obj)
{
	uint32_t k;

	for (k = 0; k < img->func_cnt; k++)
		if (img->funcs[k].prog == &obj->progs[fn])
			return img->funcs[k].insn_off;
	return -1;
}

static bool insn_eq(const struct bpf_insn *a, const struct bpf_insn *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Check one instruction of function f, at image index at; returns insns consumed. */
static uint32_t check_insn(const struct run *r, const struct bbpf_program *f, uint32_t i,
			   uint32_t at)
{
	const struct bbpf_object *obj = r->obj;
	const struct bbpf_prog_image *img = &r->img;
	const struct bpf_insn *o = &f->insns[i], *g = &img->insns[at];
	const struct bbpf_relo *rel = relo_at(f, i);
	int t = target_of(obj, f, i);

	if (t >= 0) {
		/* Lands on the first instruction of the right subprogram. */
		int64_t dst = (int64_t)at + g->imm + 1;

		assert_true(func_off(img, (uint32_t)t, obj) >= 0);
		assert_int_equal(dst, func_off(img, (uint32_t)t, obj));
		assert_int_equal(g->code, o->code);
		assert_int_equal(g->src_reg, o->code == CALL ? BPF_PSEUDO_CALL : BPF_PSEUDO_FUNC);
		if (o->code == LD_IMM64) {
			assert_true(insn_eq(&g[1], &o[1]));
			return 2;
		}
		return 1;
	}
	if (!rel) {
		assert_true(insn_eq(g, o));
		return 1;
	}
	switch (rel->kind) {
	case BBPF_RELO_MAP:
		assert_int_equal(g->code, LD_IMM64);
		assert_int_equal(g->src_reg, BPF_PSEUDO_MAP_FD);
		assert_int_equal(g->dst_reg, o->dst_reg);
		assert_int_equal(g->imm, r->fds[rel->target]);
		assert_true(insn_eq(&g[1], &o[1]));
		return 2;
	case BBPF_RELO_DATA:
		assert_int_equal(g->src_reg, BPF_PSEUDO_MAP_VALUE);
		assert_int_equal(g->imm, r->fds[rel->target]);
		assert_int_equal(g[1].imm, o->imm + (int32_t)rel->sym_off);
		assert_int_equal(obj->maps[rel->target].sec_idx, rel->sec_idx);
		return 2;
	default:
		return o->code == LD_IMM64 ? 2 : 1;	/* externs: checked by their tests */
	}
}

/* Full check of a relocated program against the model. */
static void check_program(struct run *r, const struct bbpf_program *p)
{
	const struct bbpf_object *obj = r->obj;
	const struct bbpf_prog_image *img = &r->img;
	uint32_t order[MAX_FN], n = 0, k, i, total = 0, lines = 0;

	model_dfs(obj, (uint32_t)(p - obj->progs), order, &n);
	assert_int_equal(img->func_cnt, n);
	for (k = 0; k < n; k++) {
		const struct bbpf_program *f = &obj->progs[order[k]];

		assert_ptr_equal(img->funcs[k].prog, f);
		assert_int_equal(img->funcs[k].insn_off, total);
		assert_true(k == 0 ? !f->is_subprog : f->is_subprog);
		for (i = 0; i < f->insn_cnt;)
			i += check_insn(r, f, i, total + i);
		total += f->insn_cnt;
		lines += f->line_info.cnt;
	}
	assert_int_equal(img->insn_cnt, total);
	if (!obj->btf_ext)
		return;
	/* One func_info per function, at its start, with its own type. */
	assert_int_equal(img->func_info_cnt, n);
	for (k = 0; k < n; k++) {
		const struct bbpf_program *f = img->funcs[k].prog;
		const struct bpf_func_info *fi = f->func_info.sec->recs;

		assert_int_equal(img->func_info[k].insn_off, img->funcs[k].insn_off);
		assert_int_equal(img->func_info[k].type_id, fi[f->func_info.first].type_id);
	}
	assert_int_equal(img->line_info_cnt, lines);
	assert_true(lines > 0);
	assert_int_equal(img->line_info[0].insn_off, 0);
	for (i = 0; i < img->line_info_cnt; i++) {
		assert_true(img->line_info[i].insn_off < img->insn_cnt);
		if (i)
			assert_true(img->line_info[i].insn_off >= img->line_info[i - 1].insn_off);
	}
}

static void check_all(const char *path)
{
	struct run *r = open_run(path);
	uint32_t i;

	for (i = 0; i < r->obj->prog_cnt; i++) {
		const struct bbpf_program *p = &r->obj->progs[i];
		bool externs = false;
		uint32_t k;

		for (k = 0; k < p->relo_cnt; k++)
			externs |= p->relos[k].kind == BBPF_RELO_EXTERN_VAR ||
				   p->relos[k].kind == BBPF_RELO_EXTERN_FUNC;
		if (externs)
			continue;
		assert_int_equal(relocate(r, p), 0);
		check_program(r, p);
	}
	run_free(r);
}

static void expect_layout(struct run *r, const char *prog, const char *const *names, uint32_t n)
{
	const struct bbpf_program *p = bbpf_object_find_program(r->obj, prog);
	uint32_t k;

	assert_non_null(p);
	assert_int_equal(relocate(r, p), 0);
	check_program(r, p);
	assert_int_equal(r->img.func_cnt, n);
	for (k = 0; k < n; k++)
		assert_string_equal(r->img.funcs[k].prog->name, names[k]);
}

/* ---- fixtures ---- */

static void test_callbacks(void **state)
{
	static const char *const loop[] = { "run_loop", "loop_cb", "square", "sum_squares" };
	static const char *const each[] = { "run_for_each", "sum_elem", "count_elem" };
	static const char *const xdp[] = { "xdp_loop", "loop_cb", "square" };
	struct run *r = open_run(FIX("callbacks.bpf.o"));

	(void)state;
	/* The order the kernel's xlated dump of bpftool's load shows. */
	expect_layout(r, "run_loop", loop, 4);
	expect_layout(r, "run_for_each", each, 3);
	expect_layout(r, "xdp_loop", xdp, 3);
	run_free(r);
}

static void test_progs_loadable(void **state)
{
	static const char *const mix_users[] = { "tp_getpid", "raw_tp_switch", "xdp_pass_too",
						 "cg_egress" };
	static const char *const len_users[] = { "xdp_pass", "sock_filter" };
	struct run *r = open_run(FIX("progs_loadable.bpf.o"));
	const struct bbpf_program *p;
	uint32_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		const char *names[] = { mix_users[i], "mix" };

		expect_layout(r, mix_users[i], names, 2);
	}
	for (i = 0; i < 2; i++) {
		const char *names[] = { len_users[i], "classify_len" };

		expect_layout(r, len_users[i], names, 2);
	}
	/* No subprogram, no relocation: unchanged. */
	p = bbpf_object_find_program(r->obj, "cg_ingress");
	assert_int_equal(relocate(r, p), 0);
	assert_int_equal(r->img.insn_cnt, p->insn_cnt);
	assert_memory_equal(r->img.insns, p->insns, p->insn_cnt * sizeof(struct bpf_insn));
	assert_int_equal(r->img.func_info_cnt, 1);
	run_free(r);
	check_all(FIX("progs_loadable.bpf.o"));
}

static void test_maps_and_globals(void **state)
{
	(void)state;
	check_all(FIX("maps_btf.bpf.o"));
	check_all(FIX("globals.bpf.o"));
	check_all(FIX("globals_bss_custom.bpf.o"));
	check_all(FIX("legacy_maps.bpf.o"));
	check_all(FIX("minimal.bpf.o"));
	check_all(FIX("nobtf.bpf.o"));
	check_all(FIX("core.bpf.o"));
}

/* Foreign-endian objects relocate to the same image (host order). */
static void test_big_endian(void **state)
{
	struct run *le = open_run(FIX("callbacks.bpf.o")), *be = open_run(FIX("callbacks.bpfeb.o"));
	uint32_t i, k;

	(void)state;
	for (i = 0; i < le->obj->prog_cnt; i++) {
		assert_int_equal(relocate(le, &le->obj->progs[i]), 0);
		assert_int_equal(relocate(be, &be->obj->progs[i]), 0);
		check_program(be, &be->obj->progs[i]);
		/* clang's code differs by byte order; the layout does not. */
		assert_int_equal(le->img.func_cnt, be->img.func_cnt);
		for (k = 0; k < le->img.func_cnt; k++)
			assert_string_equal(le->img.funcs[k].prog->name, be->img.funcs[k].prog->name);
		assert_int_equal(le->img.func_info_cnt, be->img.func_info_cnt);
	}
	run_free(le);
	run_free(be);
}

static void set_externs(struct run *r, bool resolve_weak, int32_t btf_obj_fd)
{
	uint32_t i;

	for (i = 0; i < r->obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &r->obj->externs[i];
		bool res = !e->is_weak || resolve_weak;

		r->ext[i] = (struct bbpf_extern_val){
			.resolved = res,
			.addr = res ? 0xffffffff81000000ull + 0x40 * i : 0,
			.btf_id = 500 + i,
			.btf_obj_fd = btf_obj_fd,
			.btf_fd_idx = (int16_t)(res ? i : 0),
		};
	}
}

static void check_externs(struct run *r, int32_t btf_obj_fd)
{
	uint32_t i, k, seen = 0;

	for (i = 0; i < r->obj->prog_cnt; i++) {
		const struct bbpf_program *p = &r->obj->progs[i];

		assert_int_equal(relocate(r, p), 0);
		check_program(r, p);
		for (k = 0; k < p->relo_cnt; k++) {
			const struct bbpf_relo *rel = &p->relos[k];
			const struct bbpf_extern *e = &r->obj->externs[rel->target];
			const struct bbpf_extern_val *v = &r->ext[rel->target];
			const struct bpf_insn *g = &r->img.insns[rel->insn_idx];
			const struct bpf_insn *o = &p->insns[rel->insn_idx];

			if (rel->kind == BBPF_RELO_EXTERN_FUNC) {
				assert_int_equal(g->src_reg, BPF_PSEUDO_KFUNC_CALL);
				assert_int_equal(g->imm, v->resolved ? (int32_t)v->btf_id : 0);
				assert_int_equal(g->off, v->resolved ? v->btf_fd_idx : 0);
			} else if (rel->kind != BBPF_RELO_EXTERN_VAR) {
				continue;
			} else if (e->kind == BBPF_EXTERN_KCONFIG) {
				assert_int_equal(g->src_reg, BPF_PSEUDO_MAP_VALUE);
				assert_int_equal(g->imm, 77);
				assert_int_equal(g[1].imm, e->data_off);
			} else if (e->type_id && v->resolved) {
				assert_int_equal(g->src_reg, BPF_PSEUDO_BTF_ID);
				assert_int_equal(g->imm, v->btf_id);
				assert_int_equal(g[1].imm, e->is_func ? 0 : btf_obj_fd);
			} else {
				assert_int_equal(g->src_reg, o->src_reg);
				assert_int_equal((uint32_t)g->imm, (uint32_t)v->addr);
				assert_int_equal((uint32_t)g[1].imm, (uint32_t)(v->addr >> 32));
			}
			seen++;
		}
	}
	assert_true(seen > 0);
}

static void test_externs(void **state)
{
	struct run *r = open_run(FIX("externs.bpf.o"));

	(void)state;
	set_externs(r, false, 0);
	check_externs(r, 0);
	set_externs(r, true, 0);	/* the weak kfunc's address resolved too */
	check_externs(r, 0);
	run_free(r);
	r = open_run(FIX("ksym_typed.bpf.o"));
	set_externs(r, false, 9);
	check_externs(r, 9);
	run_free(r);
}

static void test_map_not_created(void **state)
{
	struct run *r = open_run(FIX("maps_btf.bpf.o"));
	const struct bbpf_program *p = bbpf_object_find_program(r->obj, "use_hashes");
	uint32_t k;

	(void)state;
	for (k = 0; k < p->relo_cnt && p->relos[k].kind != BBPF_RELO_MAP; k++)
		;
	assert_true(k < p->relo_cnt);
	r->fds[p->relos[k].target] = -1;
	assert_int_equal(relocate(r, p), -ENOENT);
	assert_non_null(strstr(r->lb.text, "use_hashes"));
	assert_non_null(strstr(r->lb.text, r->obj->maps[p->relos[k].target].name));
	/* .kconfig map missing */
	run_free(r);
	r = open_run(FIX("externs.bpf.o"));
	set_externs(r, false, 0);
	r->env.kconfig_map_fd = -1;
	assert_int_equal(relocate(r, bbpf_object_find_program(r->obj, "read_kconfig")), -ENOENT);
	assert_non_null(strstr(r->lb.text, "read_kconfig"));
	run_free(r);
}

static void test_bad_args(void **state)
{
	struct run *r = open_run(FIX("progs_loadable.bpf.o"));
	const struct bbpf_program *sub = &r->obj->progs[r->obj->prog_cnt];

	(void)state;
	assert_true(sub->is_subprog);
	assert_int_equal(relocate(r, sub), -EINVAL);
	assert_int_equal(bbpf_relo_program(r->obj, r->obj->progs, NULL, &r->arena, &r->img, NULL),
			 -EINVAL);
	run_free(r);
}

/* ---- crafted objects ---- */

#define I_CALL(i) { .code = CALL, .src_reg = BPF_PSEUDO_CALL, .imm = (i) }
#define I_MOV0 { .code = BPF_ALU64 | BPF_MOV | BPF_K }
#define I_EXIT { .code = BPF_JMP | BPF_EXIT }

struct crafted {
	struct eb *b;
	uint32_t text, xdp, text_sym;
	struct run *r;
};

/* .text from insns (functions added by the caller), an "xdp" program that calls. */
static void craft_imm(struct crafted *c, const struct bpf_insn *text, size_t n, int32_t call_imm)
{
	const struct bpf_insn prog[] = { I_CALL(call_imm), I_EXIT };

	c->b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	c->text = eb_add_section(c->b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text,
				 n * sizeof(*text), 0, 0, 0, 8);
	c->xdp = eb_add_section(c->b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, prog,
				sizeof(prog), 0, 0, 0, 8);
	c->text_sym = eb_add_sym(c->b, NULL, 0, 0, (uint16_t)c->text, STB_LOCAL, STT_SECTION);
}

static void craft(struct crafted *c, const struct bpf_insn *text, size_t n)
{
	craft_imm(c, text, n, -1);
}

static uint32_t craft_fn(struct crafted *c, const char *name, uint32_t insn_off, uint32_t cnt)
{
	return eb_add_sym(c->b, name, insn_off * 8ull, cnt * 8ull, (uint16_t)c->text, STB_GLOBAL,
			  STT_FUNC);
}

/* Builds, opens, relocates "prog"; returns bbpf_relo_program's result. */
static int craft_relocate(struct crafted *c)
{
	struct bbpf_open_opts o = { .object_name = "crafted", .log = log_cb };
	struct bbpf_diag d = { 0 };

	eb_add_sym(c->b, "prog", 0, 16, (uint16_t)c->xdp, STB_GLOBAL, STT_FUNC);
	eb_build(c->b, EB_SHDRS_LAST);
	c->r = calloc(1, sizeof(*c->r));
	assert_non_null(c->r);
	o.log_ctx = &c->r->lb;
	assert_int_equal(bbpf_object_open_mem(&c->r->obj, eb_buf(c->b), eb_len(c->b), &o, &d), 0);
	run_init(c->r);
	return relocate(c->r, bbpf_object_find_program(c->r->obj, "prog"));
}

static void craft_free(struct crafted *c)
{
	run_free(c->r);
	eb_free(c->b);
}

static void test_call_into_nothing(void **state)
{
	static const struct bpf_insn text[] = { I_MOV0, I_EXIT, I_MOV0, I_EXIT };
	static const int32_t imms[] = { 1, 100, -5 };	/* a gap, past .text, before it */
	uint32_t k;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct crafted c;

		/* A static call: section symbol + imm + 1. */
		craft_imm(&c, text, 4, imms[k]);
		craft_fn(&c, "f", 0, 2);	/* insns 2..3 belong to no function */
		eb_add_rel(c.b, c.xdp, 0, c.text_sym, R_BPF_64_32);
		assert_int_equal(craft_relocate(&c), -EBADMSG);
		assert_int_equal(c.r->diag.why, BBPF_BAD_OBJ_RELO);
		assert_int_equal(c.r->diag.sec, c.xdp);
		assert_non_null(strstr(c.r->lb.text, "outside every subprogram"));
		craft_free(&c);
	}
}

static void test_self_recursion(void **state)
{
	/* f: r0 = 0; call f (no relocation: imm relative in .text); exit */
	static const struct bpf_insn text[] = { I_MOV0, I_CALL(-2), I_EXIT };
	struct crafted c;
	uint32_t f;

	(void)state;
	craft(&c, text, 3);
	f = craft_fn(&c, "f", 0, 3);
	eb_add_rel(c.b, c.xdp, 0, f, R_BPF_64_32);
	assert_int_equal(craft_relocate(&c), 0);
	assert_int_equal(c.r->img.insn_cnt, 5);
	assert_int_equal(c.r->img.func_cnt, 2);
	assert_int_equal(c.r->img.insns[0].imm, 1);	/* prog -> f at 2 */
	assert_int_equal(c.r->img.insns[3].imm, -2);	/* f -> f */
	check_program(c.r, bbpf_object_find_program(c.r->obj, "prog"));
	craft_free(&c);
}

static void test_mutual_recursion(void **state)
{
	/* f (0..1) calls g (2..3), g calls f; no relocations inside .text */
	static const struct bpf_insn text[] = { I_CALL(1), I_EXIT, I_CALL(-3), I_EXIT };
	struct crafted c;
	uint32_t f;

	(void)state;
	craft(&c, text, 4);
	f = craft_fn(&c, "f", 0, 2);
	craft_fn(&c, "g", 2, 2);
	eb_add_rel(c.b, c.xdp, 0, f, R_BPF_64_32);
	assert_int_equal(craft_relocate(&c), 0);
	assert_int_equal(c.r->img.insn_cnt, 6);
	assert_string_equal(c.r->img.funcs[1].prog->name, "f");
	assert_string_equal(c.r->img.funcs[2].prog->name, "g");
	assert_int_equal(c.r->img.insns[2].imm, 1);	/* f at 2 -> g at 4 */
	assert_int_equal(c.r->img.insns[4].imm, -3);	/* g at 4 -> f at 2 */
	check_program(c.r, bbpf_object_find_program(c.r->obj, "prog"));
	craft_free(&c);
}

static void test_deep_chain(void **state)
{
	enum { N = 200 };
	struct bpf_insn text[2 * N];
	struct crafted c;
	uint32_t k, f0 = 0;
	char name[16];

	(void)state;
	/* f_k calls f_k+1: even k through a relocation against the section
	 * symbol (static call), odd k with no relocation at all. */
	for (k = 0; k < N; k++) {
		text[2 * k] = (struct bpf_insn)I_CALL(k % 2 ? 1 : (int32_t)(2 * (k + 1) - 1));
		text[2 * k + 1] = (struct bpf_insn)I_EXIT;
	}
	text[2 * (N - 1)] = (struct bpf_insn)I_MOV0;
	craft(&c, text, 2 * N);
	for (k = 0; k < N; k++) {
		snprintf(name, sizeof(name), "f%u", k);
		if (!k)
			f0 = craft_fn(&c, name, 0, 2);
		else
			craft_fn(&c, name, 2 * k, 2);
		if (k % 2 == 0 && k != N - 1)
			eb_add_rel(c.b, c.text, 16ull * k, c.text_sym, R_BPF_64_32);
	}
	eb_add_rel(c.b, c.xdp, 0, f0, R_BPF_64_32);
	assert_int_equal(craft_relocate(&c), 0);
	assert_int_equal(c.r->img.func_cnt, N + 1);
	assert_int_equal(c.r->img.insn_cnt, 2 + 2 * N);
	for (k = 0; k < N; k++) {
		snprintf(name, sizeof(name), "f%u", k);
		assert_string_equal(c.r->img.funcs[k + 1].prog->name, name);
		if (k != N - 1)
			assert_int_equal(c.r->img.insns[2 + 2 * k].imm, 1);
	}
	check_program(c.r, bbpf_object_find_program(c.r->obj, "prog"));
	craft_free(&c);
}

static void test_subprog_addr_without_relo(void **state)
{
	static const struct bpf_insn text[] = { I_MOV0, I_EXIT };
	struct crafted c;
	uint32_t f;

	(void)state;
	craft(&c, text, 2);
	f = craft_fn(&c, "f", 0, 2);
	eb_add_rel(c.b, c.xdp, 0, f, R_BPF_64_32);
	assert_int_equal(craft_relocate(&c), 0);
	craft_free(&c);
	/* f: ld_imm64 r1 = <src_reg 4, no relocation>; exit */
	{
		const struct bpf_insn bad[] = {
			{ .code = LD_IMM64, .dst_reg = 1, .src_reg = BPF_PSEUDO_FUNC }, { 0 },
			I_EXIT,
		};

		craft(&c, bad, 3);
		f = craft_fn(&c, "f", 0, 3);
		eb_add_rel(c.b, c.xdp, 0, f, R_BPF_64_32);
		assert_int_equal(craft_relocate(&c), -EBADMSG);
		assert_non_null(strstr(c.r->lb.text, "without a relocation"));
		craft_free(&c);
	}
}

/* func_info/line_info counts of each program of r, relocated; -1 where relocation fails. */
static void ext_counts(struct run *r, int *fi, int *li, uint32_t n)
{
	uint32_t i;

	assert_true(r->obj->prog_cnt <= n);
	for (i = 0; i < r->obj->prog_cnt; i++) {
		int err = relocate(r, &r->obj->progs[i]);

		fi[i] = err ? -1 : (int)r->img.func_info_cnt;
		li[i] = err ? -1 : (int)r->img.line_info_cnt;
	}
}

static uint32_t prog_by_sec(const struct bbpf_object *obj, const char *elf_name)
{
	uint32_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (!strcmp(obj->elf.shdrs[obj->progs[i].sec_idx].name, elf_name))
			return i;
	fail_msg("no program in section %s", elf_name);
	return 0;
}

/*
 * .BTF.ext blocks are named by ELF section names, "?" included (the name
 * index at open looks sections up by the blocks' names): every program of
 * autoload_off gets its func_info and line_info, "?tp/..." and "?xdp" too.
 * With an earlier section renamed "?xdp" (.text, empty), the block maps to
 * that one, the first of the name, as in libbpf: "?xdp" loses its records,
 * the others keep theirs.
 */
static void test_btf_ext_by_elf_name(void **state)
{
	struct run *r = open_run(FIX("autoload_off.bpf.o"));
	struct bbpf_open_opts o = { .log = log_cb };
	int fi[8], li[8];
	uint32_t len, i, xdp, text = 0, xdp_sec = 0, shoff, name_off = 0;
	uint8_t *buf;

	(void)state;
	ext_counts(r, fi, li, 8);
	assert_int_equal(r->obj->prog_cnt, 3);
	for (i = 0; i < 3; i++) {
		assert_true(fi[i] >= 1);
		assert_true(li[i] >= 1);
	}
	xdp = prog_by_sec(r->obj, "?xdp");
	(void)prog_by_sec(r->obj, "?tp/syscalls/sys_enter_close");
	for (i = 1; i < r->obj->elf.shnum; i++) {
		if (!strcmp(r->obj->elf.shdrs[i].name, ".text"))
			text = i;
		if (!strcmp(r->obj->elf.shdrs[i].name, "?xdp"))
			xdp_sec = i;
	}
	assert_true(text && text < xdp_sec);
	run_free(r);

	/* .text's sh_name := ?xdp's (ELF64 little-endian: e_shoff at 40, 64-byte headers) */
	buf = tf_read_file(FIX("autoload_off.bpf.o"), &len);
	assert_non_null(buf);
	memcpy(&shoff, buf + 40, sizeof(shoff));	/* low half of e_shoff */
	memcpy(&name_off, buf + shoff + 64 * xdp_sec, sizeof(name_off));
	memcpy(buf + shoff + 64 * text, &name_off, sizeof(name_off));
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	o.log_ctx = &r->lb;
	assert_int_equal(bbpf_object_open_mem(&r->obj, buf, len, &o, &r->diag), 0);
	run_init(r);
	ext_counts(r, fi, li, 8);
	xdp = prog_by_sec(r->obj, "?xdp");
	assert_int_equal(fi[xdp], 0);
	assert_int_equal(li[xdp], 0);
	assert_non_null(strstr(r->lb.text, "no .BTF.ext func_info"));
	for (i = 0; i < 3; i++) {
		if (i == xdp)
			continue;
		assert_true(fi[i] >= 1);
		assert_true(li[i] >= 1);
	}
	run_free(r);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_progs_loadable),
		cmocka_unit_test(test_maps_and_globals),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_externs),
		cmocka_unit_test(test_map_not_created),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_call_into_nothing),
		cmocka_unit_test(test_self_recursion),
		cmocka_unit_test(test_mutual_recursion),
		cmocka_unit_test(test_deep_chain),
		cmocka_unit_test(test_subprog_addr_without_relo),
		cmocka_unit_test(test_btf_ext_by_elf_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
