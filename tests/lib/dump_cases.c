/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * see dump_cases.h. Ids are assigned in order from 1, so a case that
 * refers forward computes the id (b->next_id + k) before adding it.
 */
#include <string.h>
#include "dump_cases.h"

#define S BTF_INT_SIGNED
/* kflag member offset: bitfield size and bit offset */
#define BF(size, off) (((uint32_t)(size) << 24) | (off))

static void c_basic(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t ul = bb_btf_add_int(b, "long unsigned int", 8, 0, 64);
	uint32_t pc = bb_btf_add_ptr(b, c);
	uint32_t pt = bb_btf_add_struct(b, "point", 16, false);
	uint32_t td, cc, pcc;

	bb_btf_add_member(b, "x", i, 0);
	bb_btf_add_member(b, "y", i, 32);
	bb_btf_add_member(b, "name", pc, 64);
	td = bb_btf_add_typedef(b, "point_t", pt);
	cc = bb_btf_add_const(b, c);
	pcc = bb_btf_add_ptr(b, cc);
	bb_btf_add_struct(b, "shape", 32, false);
	bb_btf_add_member(b, "origin", td, 0);
	bb_btf_add_member(b, "label", pcc, 128);
	bb_btf_add_member(b, "size", ul, 192);
	bb_btf_add_ptr(b, 0);	/* void * */
}

/* Two structs pointing at each other, a self-referencing list. */
static void c_fwd_cycle(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t a = b->next_id, pa = a + 1, sb = a + 2, pb = a + 3, node;

	bb_btf_add_struct(b, "a", 16, false);
	bb_btf_add_member(b, "b", pb, 0);
	bb_btf_add_member(b, "x", i, 64);
	bb_btf_add_ptr(b, a);
	bb_btf_add_struct(b, "b", 8, false);
	bb_btf_add_member(b, "a", pa, 0);
	bb_btf_add_ptr(b, sb);
	node = b->next_id;
	bb_btf_add_struct(b, "node", 16, false);
	bb_btf_add_member(b, "next", node + 1, 0);
	bb_btf_add_member(b, "v", i, 64);
	bb_btf_add_ptr(b, node);
}

/* Anonymous structs, unions and enums inlined; an unreferenced anonymous enum. */
static void c_anon(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t l = bb_btf_add_int(b, "long", 8, S, 64);
	uint32_t u, in, s, e, q, pq, lohi, ul;

	u = bb_btf_add_union(b, NULL, 4, false);
	bb_btf_add_member(b, "i", i, 0);
	bb_btf_add_member(b, "c", c, 0);
	in = bb_btf_add_struct(b, NULL, 2, false);
	bb_btf_add_member(b, "x", c, 0);
	bb_btf_add_member(b, "y", c, 8);
	s = bb_btf_add_struct(b, NULL, 8, false);
	bb_btf_add_member(b, "a", i, 0);
	bb_btf_add_member(b, "in", in, 32);
	e = bb_btf_add_enum(b, NULL, 4, false);
	bb_btf_add_enum_val(b, "OA", 0);
	bb_btf_add_enum_val(b, "OB", 1);
	q = bb_btf_add_struct(b, NULL, 4, false);
	bb_btf_add_member(b, "q", i, 0);
	pq = bb_btf_add_ptr(b, q);
	lohi = bb_btf_add_struct(b, NULL, 8, false);
	bb_btf_add_member(b, "lo", i, 0);
	bb_btf_add_member(b, "hi", i, 32);
	ul = bb_btf_add_union(b, NULL, 8, false);
	bb_btf_add_member(b, "l", l, 0);
	bb_btf_add_member(b, NULL, lohi, 0);
	bb_btf_add_struct(b, "outer", 32, false);
	bb_btf_add_member(b, "u", u, 0);
	bb_btf_add_member(b, "s", s, 32);
	bb_btf_add_member(b, "e", e, 96);
	bb_btf_add_member(b, "p", pq, 128);
	bb_btf_add_member(b, NULL, ul, 192);
	bb_btf_add_enum(b, NULL, 4, false);
	bb_btf_add_enum_val(b, "K1", 1);
	bb_btf_add_enum_val(b, "K2", 2);
}

static void c_bitfields(struct bb_btf *b)
{
	uint32_t ui = bb_btf_add_int(b, "unsigned int", 4, 0, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t l = bb_btf_add_int(b, "long", 8, S, 64);
	uint32_t us = bb_btf_add_int(b, "short unsigned int", 2, 0, 16);

	bb_btf_add_struct(b, "flags", 16, true);
	bb_btf_add_member(b, "a", ui, BF(3, 0));
	bb_btf_add_member(b, "b", ui, BF(5, 3));
	bb_btf_add_member(b, "c", ui, BF(4, 12));	/* 4-bit hole before */
	bb_btf_add_member(b, "d", c, BF(0, 24));
	bb_btf_add_member(b, "e", ui, BF(1, 32));
	bb_btf_add_member(b, "f", l, BF(20, 40));
	bb_btf_add_member(b, "g", us, BF(0, 96));
	bb_btf_add_struct(b, "bits2", 8, true);
	bb_btf_add_member(b, "x", ui, BF(2, 0));
	bb_btf_add_member(b, "y", ui, BF(7, 32));	/* next unit: a 30-bit hole */
	bb_btf_add_struct(b, "bits3", 4, true);
	bb_btf_add_member(b, "z", ui, BF(31, 1));
}

static void c_packed(struct bb_btf *b)
{
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t sh = bb_btf_add_int(b, "short int", 2, S, 16);
	uint32_t pk;

	pk = bb_btf_add_struct(b, "pk", 5, false);
	bb_btf_add_member(b, "a", c, 0);
	bb_btf_add_member(b, "b", i, 8);
	bb_btf_add_struct(b, "pk2", 6, false);
	bb_btf_add_member(b, "a", i, 0);
	bb_btf_add_member(b, "b", sh, 32);
	bb_btf_add_struct(b, "holder", 6, false);
	bb_btf_add_member(b, "c", c, 0);
	bb_btf_add_member(b, "p", pk, 8);
	bb_btf_add_struct(b, "holder2", 12, false);
	bb_btf_add_member(b, "c", c, 0);
	bb_btf_add_member(b, "p", pk, 32);
	bb_btf_add_member(b, "d", c, 72);
	bb_btf_add_union(b, "pku", 3, false);
	bb_btf_add_member(b, "a", sh, 0);
	bb_btf_add_member(b, "b", c, 0);
}

/* Over-aligned members and structs: padding bitfields, "long: 0;". */
static void c_aligned(struct bb_btf *b)
{
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t l = bb_btf_add_int(b, "long", 8, S, 64);
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);

	bb_btf_add_struct(b, "al", 32, false);
	bb_btf_add_member(b, "a", c, 0);
	bb_btf_add_member(b, "b", l, 128);
	bb_btf_add_struct(b, "al2", 8, false);
	bb_btf_add_member(b, "a", c, 0);
	bb_btf_add_struct(b, "al3", 16, false);
	bb_btf_add_member(b, "a", i, 0);
	bb_btf_add_member(b, "b", i, 64);
	bb_btf_add_member(b, "c", c, 96);
	bb_btf_add_struct(b, "al4", 4, false);
	bb_btf_add_member(b, "a", c, 0);
	bb_btf_add_member(b, "b", c, 24);
	bb_btf_add_union(b, "alu", 8, false);
	bb_btf_add_member(b, "a", c, 0);
	bb_btf_add_struct(b, "al5", 64, false);
	bb_btf_add_member(b, "a", i, 0);
	bb_btf_add_member(b, "b", c, 264);
	bb_btf_add_struct(b, "al6", 24, false);
	bb_btf_add_member(b, "a", c, 8);
	bb_btf_add_member(b, "b", l, 128);
	bb_btf_add_struct(b, "sized", 12, false);	/* size, no members */
}

static void c_enums(struct bb_btf *b)
{
	uint32_t col, sg;

	col = bb_btf_add_enum(b, "color", 4, false);
	bb_btf_add_enum_val(b, "RED", 0);
	bb_btf_add_enum_val(b, "GREEN", 1);
	bb_btf_add_enum_val(b, "WHITE", (int32_t)0xffffffffu);
	sg = bb_btf_add_enum(b, "sgn", 4, true);
	bb_btf_add_enum_val(b, "NEG", -5);
	bb_btf_add_enum_val(b, "POS", 7);
	bb_btf_add_enum64(b, "big", 8, false);
	bb_btf_add_enum64_val(b, "BIG", 0x100000000ull);
	bb_btf_add_enum64_val(b, "ALL", ~0ull);
	bb_btf_add_enum64(b, "sbig", 8, true);
	bb_btf_add_enum64_val(b, "SNEG", ~0ull);
	bb_btf_add_enum64_val(b, "SPOS", 0x7fffffffffffffffull);
	bb_btf_add_enum64_val(b, "SMIN", 0x8000000000000000ull);
	bb_btf_add_enum(b, "small", 1, false);
	bb_btf_add_enum_val(b, "S1", 1);
	bb_btf_add_enum(b, "half", 2, true);
	bb_btf_add_enum_val(b, "H1", -1);
	bb_btf_add_enum(b, "word", 8, false);
	bb_btf_add_enum_val(b, "W1", 1);
	bb_btf_add_enum64(b, "fits", 8, false);
	bb_btf_add_enum64_val(b, "F1", 1);
	bb_btf_add_enum64(b, "fits4", 4, false);
	bb_btf_add_enum64_val(b, "F4", 4);
	bb_btf_add_enum(b, "empty", 4, false);
	bb_btf_add_enum(b, NULL, 4, false);
	bb_btf_add_enum_val(b, "TOP1", 1);
	bb_btf_add_enum64(b, NULL, 8, false);
	bb_btf_add_enum64_val(b, "TOP64", 0x123456789ull);
	bb_btf_add_struct(b, "user", 8, false);
	bb_btf_add_member(b, "c", col, 0);
	bb_btf_add_member(b, "s", sg, 32);
}

static void c_typedefs(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t t1, an, tg, vp, fp, pr, arr, ci, lst, itm;

	t1 = bb_btf_add_typedef(b, "myint", i);
	bb_btf_add_typedef(b, "myint2", t1);
	an = bb_btf_add_struct(b, NULL, 4, false);
	bb_btf_add_member(b, "a", i, 0);
	bb_btf_add_typedef(b, "anon_t", an);
	/* typedef struct tagged tagged_t; struct tagged { tagged_t *next; int v; } */
	tg = b->next_id;
	bb_btf_add_typedef(b, "tagged_t", tg + 1);
	bb_btf_add_struct(b, "tagged", 16, false);
	bb_btf_add_member(b, "next", tg + 2, 0);
	bb_btf_add_member(b, "v", i, 64);
	bb_btf_add_ptr(b, tg);
	vp = bb_btf_add_ptr(b, 0);
	pr = bb_btf_add_func_proto(b, 0);
	bb_btf_add_param(b, NULL, i);
	bb_btf_add_param(b, NULL, vp);
	fp = bb_btf_add_ptr(b, pr);
	bb_btf_add_typedef(b, "cb_t", fp);
	arr = bb_btf_add_array(b, c, i, 16);
	bb_btf_add_typedef(b, "buf_t", arr);
	ci = bb_btf_add_const(b, i);
	bb_btf_add_typedef(b, "cint_t", ci);
	/* struct item { list_t *l; }; typedef struct list list_t; struct list { int x; } */
	itm = b->next_id;
	lst = itm + 3;
	bb_btf_add_struct(b, "item", 8, false);
	bb_btf_add_member(b, "l", itm + 1, 0);
	bb_btf_add_ptr(b, itm + 2);
	bb_btf_add_typedef(b, "list_t", lst);
	bb_btf_add_struct(b, "list", 4, false);
	bb_btf_add_member(b, "x", i, 0);
}

static void c_funcs(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t cc = bb_btf_add_const(b, c), pcc = bb_btf_add_ptr(b, cc);
	uint32_t p_open, p_close, p_printf, p_inner, p_get, p_arr, an, p_mk, arr, vol, pin, parr;
	uint32_t m[7];

	p_open = bb_btf_add_func_proto(b, i);
	bb_btf_add_param(b, "fd", i);
	bb_btf_add_param(b, "path", pcc);
	p_close = bb_btf_add_func_proto(b, 0);
	p_printf = bb_btf_add_func_proto(b, i);
	bb_btf_add_param(b, "fmt", pcc);
	bb_btf_add_param(b, NULL, 0);
	/* int (*(*get)(int))(char): ptr -> proto(int) returning ptr -> proto(char) */
	p_inner = bb_btf_add_func_proto(b, i);
	bb_btf_add_param(b, NULL, c);
	pin = bb_btf_add_ptr(b, p_inner);
	p_get = bb_btf_add_func_proto(b, pin);
	bb_btf_add_param(b, NULL, i);
	p_arr = bb_btf_add_func_proto(b, 0);
	bb_btf_add_param(b, NULL, i);
	parr = bb_btf_add_ptr(b, p_arr);
	arr = bb_btf_add_array(b, parr, i, 4);
	an = bb_btf_add_struct(b, NULL, 4, false);
	bb_btf_add_member(b, "x", i, 0);
	p_mk = bb_btf_add_func_proto(b, an);
	bb_btf_add_param(b, NULL, 0);
	vol = bb_btf_add_volatile(b, p_close);	/* GCC's noreturn: dropped */
	m[0] = bb_btf_add_ptr(b, p_open);
	m[1] = bb_btf_add_ptr(b, p_close);
	m[2] = bb_btf_add_ptr(b, p_printf);
	m[3] = bb_btf_add_ptr(b, p_get);
	m[4] = arr;
	m[5] = bb_btf_add_ptr(b, p_mk);
	m[6] = bb_btf_add_ptr(b, vol);
	bb_btf_add_struct(b, "ops", 80, false);
	bb_btf_add_member(b, "open", m[0], 0);
	bb_btf_add_member(b, "close", m[1], 64);
	bb_btf_add_member(b, "printf", m[2], 128);
	bb_btf_add_member(b, "get", m[3], 192);
	bb_btf_add_member(b, "arr", m[4], 256);
	bb_btf_add_member(b, "mk", m[5], 512);
	bb_btf_add_member(b, "die", m[6], 576);
	bb_btf_add_func(b, "open_it", p_open, BTF_FUNC_GLOBAL);
}

static void c_arrays(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t a4 = bb_btf_add_array(b, i, i, 4);
	uint32_t a3 = bb_btf_add_array(b, i, i, 3);
	uint32_t a23 = bb_btf_add_array(b, a3, i, 2);
	uint32_t pc = bb_btf_add_ptr(b, c);
	uint32_t apc = bb_btf_add_array(b, pc, i, 5);
	uint32_t a7 = bb_btf_add_array(b, i, i, 7);
	uint32_t pa7 = bb_btf_add_ptr(b, a7);
	uint32_t ci = bb_btf_add_const(b, i);
	uint32_t aci = bb_btf_add_array(b, ci, i, 2);
	uint32_t cai = bb_btf_add_const(b, a4);	/* GCC's const array: dropped */
	uint32_t fl = bb_btf_add_array(b, i, i, 0);
	uint32_t ppa = bb_btf_add_ptr(b, pa7);
	uint32_t appa = bb_btf_add_array(b, ppa, i, 2);

	bb_btf_add_struct(b, "arr", 168, false);
	bb_btf_add_member(b, "a", a4, 0);
	bb_btf_add_member(b, "m", a23, 128);
	bb_btf_add_member(b, "pa", apc, 320);
	bb_btf_add_member(b, "ap", pa7, 640);
	bb_btf_add_member(b, "ca", aci, 704);
	bb_btf_add_member(b, "k", cai, 768);
	bb_btf_add_member(b, "app", appa, 896);
	bb_btf_add_member(b, "fl", fl, 1344);
}

static void c_cv(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t l = bb_btf_add_int(b, "long", 8, S, 64);
	uint32_t ci = bb_btf_add_const(b, i), vi = bb_btf_add_volatile(b, i);
	uint32_t cvi = bb_btf_add_const(b, vi);
	uint32_t cc = bb_btf_add_const(b, c), pcc = bb_btf_add_ptr(b, cc);
	uint32_t pc = bb_btf_add_ptr(b, c), cpc = bb_btf_add_const(b, pc);
	uint32_t cpcc = bb_btf_add_const(b, pcc);
	uint32_t rpc = bb_btf_add_restrict(b, pc);
	uint32_t vl = bb_btf_add_volatile(b, l), pvl = bb_btf_add_ptr(b, vl);
	uint32_t cpvl = bb_btf_add_const(b, pvl), pcpvl = bb_btf_add_ptr(b, cpvl);
	uint32_t vvp = bb_btf_add_volatile(b, bb_btf_add_ptr(b, 0));
	uint32_t cv = bb_btf_add_const(b, 0), pcv = bb_btf_add_ptr(b, cv);

	bb_btf_add_struct(b, "cv", 72, false);
	bb_btf_add_member(b, "a", ci, 0);
	bb_btf_add_member(b, "b", vi, 32);
	bb_btf_add_member(b, "c", cvi, 64);
	bb_btf_add_member(b, "p", pcc, 128);
	bb_btf_add_member(b, "q", cpc, 192);
	bb_btf_add_member(b, "r", cpcc, 256);
	bb_btf_add_member(b, "s", rpc, 320);
	bb_btf_add_member(b, "t", pcpvl, 384);
	bb_btf_add_member(b, "u", vvp, 448);
	bb_btf_add_member(b, "w", pcv, 512);
}

static void c_tags(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t tu = bb_btf_add_type_tag(b, "user", i);
	uint32_t ptu = bb_btf_add_ptr(b, tu);
	uint32_t pi = bb_btf_add_ptr(b, i);
	uint32_t tr = bb_btf_add_type_tag(b, "rcu", pi);
	uint32_t ptr2 = bb_btf_add_ptr(b, tr);
	uint32_t ct = bb_btf_add_const(b, tu);
	uint32_t pct = bb_btf_add_ptr(b, ct);
	uint32_t s;

	s = bb_btf_add_struct(b, "tg", 24, false);
	bb_btf_add_member(b, "p", ptu, 0);
	bb_btf_add_member(b, "q", ptr2, 64);
	bb_btf_add_member(b, "r", pct, 128);
	bb_btf_add_decl_tag(b, "whole", s, -1);
	bb_btf_add_decl_tag(b, "field", s, 1);
	bb_btf_add_typedef(b, "uptr_t", ptu);
}

/* Names used twice in one C namespace get ___N. */
static void c_names(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t d1, d2, d3, fw, fs, e0, e1, ty, pf, pe;

	d1 = bb_btf_add_struct(b, "dup", 4, false);
	bb_btf_add_member(b, "a", i, 0);
	d2 = bb_btf_add_struct(b, "dup", 1, false);
	bb_btf_add_member(b, "b", c, 0);
	d3 = bb_btf_add_union(b, "dup", 4, false);
	bb_btf_add_member(b, "c", i, 0);
	bb_btf_add_typedef(b, "dup", i);
	bb_btf_add_enum(b, "e1", 4, false);
	bb_btf_add_enum_val(b, "VAL", 1);
	bb_btf_add_enum(b, "e2", 4, false);
	bb_btf_add_enum_val(b, "VAL", 2);
	bb_btf_add_enum_val(b, "OTHER", 3);
	ty = bb_btf_add_typedef(b, "OTHER", c);
	fw = bb_btf_add_fwd(b, "fwdx", false);
	fs = bb_btf_add_struct(b, "fwdx", 4, false);
	bb_btf_add_member(b, "a", i, 0);
	e0 = bb_btf_add_enum(b, "ee", 4, false);
	e1 = bb_btf_add_enum(b, "ee", 4, false);
	bb_btf_add_enum_val(b, "X", 1);
	pf = bb_btf_add_ptr(b, fw);
	pe = bb_btf_add_ptr(b, e0);
	bb_btf_add_struct(b, "user", 40, false);
	bb_btf_add_member(b, "d1", d1, 0);
	bb_btf_add_member(b, "d2", d2, 32);
	bb_btf_add_member(b, "d3", d3, 64);
	bb_btf_add_member(b, "pf", pf, 128);
	bb_btf_add_member(b, "pe", pe, 192);
	bb_btf_add_member(b, "e", e1, 256);
	bb_btf_add_member(b, "o", ty, 288);
	(void)fs;
}

/* A pointer to an array of a struct defined later: does the array embed it? */
static void c_array_ptr(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t o = b->next_id;

	bb_btf_add_struct(b, "outer2", 8, false);
	bb_btf_add_member(b, "p", o + 1, 0);
	bb_btf_add_ptr(b, o + 2);
	bb_btf_add_array(b, o + 3, i, 2);
	bb_btf_add_struct(b, "inner2", 4, false);
	bb_btf_add_member(b, "x", i, 0);
}

/* An anonymous struct behind a pointer still needs what it embeds. */
static void c_anon_ptr(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t o = b->next_id;

	bb_btf_add_struct(b, "holder", 8, false);
	bb_btf_add_member(b, "x", o + 1, 0);
	bb_btf_add_ptr(b, o + 2);
	bb_btf_add_struct(b, NULL, 4, false);
	bb_btf_add_member(b, "y", o + 3, 0);
	bb_btf_add_struct(b, "emb", 4, false);
	bb_btf_add_member(b, "v", i, 0);
	/* a typedef of a pointer to a struct that points back at the typedef */
	o = b->next_id;
	bb_btf_add_typedef(b, "fn_ctx_t", o + 1);
	bb_btf_add_ptr(b, o + 2);
	bb_btf_add_struct(b, "ctx", 16, false);
	bb_btf_add_member(b, "self", o, 0);
	bb_btf_add_member(b, "cb", o + 3, 64);
	bb_btf_add_ptr(b, o + 4);
	bb_btf_add_func_proto(b, i);
	bb_btf_add_param(b, "c", o);
}

static void c_misc(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t dbl = bb_btf_add_float(b, "double", 8);
	uint32_t ld = bb_btf_add_float(b, "long double", 16);
	uint32_t va = bb_btf_add_typedef(b, "__builtin_va_list", bb_btf_add_ptr(b, 0));
	uint32_t gva = bb_btf_add_typedef(b, "__gnuc_va_list", 0);
	uint32_t va2 = bb_btf_add_typedef(b, "va_list", gva);
	uint32_t p8 = bb_btf_add_int(b, "__Poly8_t", 1, 0, 8);
	uint32_t p128 = bb_btf_add_int(b, "__Poly128_t", 16, 0, 128);
	uint32_t b1 = bb_btf_add_int(b, "_Bool", 1, BTF_INT_BOOL, 8);
	uint32_t i128 = bb_btf_add_int(b, "__int128", 16, S, 128);

	bb_btf_add_struct(b, "misc", 96, false);
	bb_btf_add_member(b, "d", dbl, 0);
	bb_btf_add_member(b, "ld", ld, 128);
	bb_btf_add_member(b, "ap", va, 256);
	bb_btf_add_member(b, "ap2", va2, 320);
	bb_btf_add_member(b, "p8", p8, 384);
	bb_btf_add_member(b, "p128", p128, 512);
	bb_btf_add_member(b, "b", b1, 640);
	bb_btf_add_member(b, "x", i128, 768);
	(void)i;
}

/* A 32-bit target: "long" is 4 bytes, so are pointers and "long" padding. */
static void c_ptr32(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t l = bb_btf_add_int(b, "long int", 4, S, 32);
	uint32_t ll = bb_btf_add_int(b, "long long int", 8, S, 64);
	uint32_t c = bb_btf_add_int(b, "char", 1, S, 8);
	uint32_t p = bb_btf_add_ptr(b, i);

	bb_btf_add_struct(b, "s32", 24, false);
	bb_btf_add_member(b, "p", p, 0);
	bb_btf_add_member(b, "l", l, 32);
	bb_btf_add_member(b, "c", c, 64);
	bb_btf_add_member(b, "ll", ll, 128);
	bb_btf_add_struct(b, "gap32", 16, false);
	bb_btf_add_member(b, "c", c, 0);
	bb_btf_add_member(b, "d", c, 96);
}

/* Variables, sections and functions: records only, nothing in C. */
static void c_vars(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);
	uint32_t v1, v2, v3, pr, f1, f2, f3;

	v1 = bb_btf_add_var(b, "counter", i, BTF_VAR_GLOBAL_ALLOCATED);
	v2 = bb_btf_add_var(b, "hidden", i, BTF_VAR_STATIC);
	v3 = bb_btf_add_var(b, "ext", i, BTF_VAR_GLOBAL_EXTERN);
	pr = bb_btf_add_func_proto(b, i);
	bb_btf_add_param(b, "x", i);
	f1 = bb_btf_add_func(b, "f_static", pr, BTF_FUNC_STATIC);
	f2 = bb_btf_add_func(b, "f_global", pr, BTF_FUNC_GLOBAL);
	f3 = bb_btf_add_func(b, "f_extern", pr, BTF_FUNC_EXTERN);
	bb_btf_add_datasec(b, ".data", 8);
	bb_btf_add_secinfo(b, v1, 0, 4);
	bb_btf_add_secinfo(b, v2, 4, 4);
	bb_btf_add_datasec(b, ".ksyms", 0);
	bb_btf_add_secinfo(b, v3, 0, 4);
	bb_btf_add_secinfo(b, f3, 0, 0);
	bb_btf_add_decl_tag(b, "tag_on_func", f1, -1);
	bb_btf_add_decl_tag(b, "tag_on_param", f2, 0);
	bb_btf_add_decl_tag(b, "tag_on_var", v1, -1);
}

/* Every raw-format field: int encodings and offsets, fwd kinds, odd names. */
static void c_raw_kinds(struct bb_btf *b)
{
	uint32_t i = bb_btf_add_int(b, "int", 4, S, 32);

	bb_btf_add_int(b, "char", 1, BTF_INT_CHAR, 8);
	bb_btf_add_int(b, "bool", 1, BTF_INT_BOOL, 1);
	bb_btf_add_int(b, "u24", 4, 0, 24);
	bb_btf_add_raw(b, bb_btf_str(b, "shifted"), (uint32_t)BTF_KIND_INT << 24, 4,
		       (const uint32_t[]){ (8u << 16) | 16u }, 1);
	bb_btf_add_fwd(b, "fs", false);
	bb_btf_add_fwd(b, "fu", true);
	bb_btf_add_typedef(b, "quote\"d", i);
	bb_btf_add_typedef(b, "tab\tand'apos'", i);
	bb_btf_add_typedef(b, "back\\slash", i);
	bb_btf_add_struct(b, NULL, 0, false);
	bb_btf_add_union(b, "u", 4, true);
	bb_btf_add_member(b, "bf", i, BF(3, 0));
	bb_btf_add_member(b, NULL, i, BF(0, 0));
	bb_btf_add_restrict(b, bb_btf_add_ptr(b, i));
}

const struct dump_case dump_cases[] = {
	{ "basic", c_basic },
	{ "fwd_cycle", c_fwd_cycle },
	{ "anon", c_anon },
	{ "bitfields", c_bitfields },
	{ "packed", c_packed },
	{ "aligned", c_aligned },
	{ "enums", c_enums },
	{ "typedefs", c_typedefs },
	{ "funcs", c_funcs },
	{ "arrays", c_arrays },
	{ "cv", c_cv },
	{ "tags", c_tags },
	{ "names", c_names },
	{ "array_ptr", c_array_ptr },
	{ "anon_ptr", c_anon_ptr },
	{ "misc", c_misc },
	{ "ptr32", c_ptr32 },
	{ "vars", c_vars },
	{ "raw_kinds", c_raw_kinds },
};

const size_t dump_case_cnt = sizeof(dump_cases) / sizeof(dump_cases[0]);

const struct dump_case *dump_case_find(const char *name)
{
	size_t i;

	for (i = 0; i < dump_case_cnt; i++)
		if (!strcmp(dump_cases[i].name, name))
			return &dump_cases[i];
	return NULL;
}
