/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests for src/dump: BTF as C (dump_c*.c) and as records
 * (dump_raw.c). The expected texts are bpftool 7.1's output for the same
 * bytes (tests/lib/dump_cases.c; tests/diff/test_btf_dump_bpftool.c runs
 * bpftool on them live). Hostile BTF: cycles, deep chains, exponential
 * sharing and huge sizes must end in an error, with bounded output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "dump/dump_c.h"
#include "dump/dump_raw.h"
#include "btf_builder.h"
#include "dump_cases.h"
#include "fail_alloc.h"
#include "sweep_util.h"

#define BUDGET (1024u << 20)
#define S BTF_INT_SIGNED

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

/* bpftool 7.1's C output between head and tail, per case. */
static const struct {
	const char *name;
	const char *c;
} expects[] = {
	{ "basic",
	  "struct point {\n"
	  "\tint x;\n"
	  "\tint y;\n"
	  "\tchar *name;\n"
	  "};\n"
	  "\n"
	  "typedef struct point point_t;\n"
	  "\n"
	  "struct shape {\n"
	  "\tpoint_t origin;\n"
	  "\tconst char *label;\n"
	  "\tlong unsigned int size;\n"
	  "};\n"
	  "\n" },
	{ "fwd_cycle",
	  "struct b;\n"
	  "\n"
	  "struct a {\n"
	  "\tstruct b *b;\n"
	  "\tint x;\n"
	  "};\n"
	  "\n"
	  "struct b {\n"
	  "\tstruct a *a;\n"
	  "};\n"
	  "\n"
	  "struct node {\n"
	  "\tstruct node *next;\n"
	  "\tint v;\n"
	  "};\n"
	  "\n" },
	{ "anon",
	  "struct outer {\n"
	  "\tunion {\n"
	  "\t\tint i;\n"
	  "\t\tchar c;\n"
	  "\t} u;\n"
	  "\tstruct {\n"
	  "\t\tint a;\n"
	  "\t\tstruct {\n"
	  "\t\t\tchar x;\n"
	  "\t\t\tchar y;\n"
	  "\t\t} in;\n"
	  "\t} s;\n"
	  "\tenum {\n"
	  "\t\tOA = 0,\n"
	  "\t\tOB = 1,\n"
	  "\t} e;\n"
	  "\tstruct {\n"
	  "\t\tint q;\n"
	  "\t} *p;\n"
	  "\tunion {\n"
	  "\t\tlong l;\n"
	  "\t\tstruct {\n"
	  "\t\t\tint lo;\n"
	  "\t\t\tint hi;\n"
	  "\t\t};\n"
	  "\t};\n"
	  "};\n"
	  "\n"
	  "enum {\n"
	  "\tK1 = 1,\n"
	  "\tK2 = 2,\n"
	  "};\n"
	  "\n" },
	{ "bitfields",
	  "struct flags {\n"
	  "\tunsigned int a: 3;\n"
	  "\tunsigned int b: 5;\n"
	  "\tchar: 4;\n"
	  "\tunsigned int c: 4;\n"
	  "\tchar: 8;\n"
	  "\tchar d;\n"
	  "\tunsigned int e: 1;\n"
	  "\tchar: 7;\n"
	  "\tlong f: 20;\n"
	  "\tint: 32;\n"
	  "\tshort unsigned int g;\n"
	  "};\n"
	  "\n"
	  "struct bits2 {\n"
	  "\tunsigned int x: 2;\n"
	  "\tint: 30;\n"
	  "\tunsigned int y: 7;\n"
	  "};\n"
	  "\n"
	  "struct bits3 {\n"
	  "\tchar: 1;\n"
	  "\tunsigned int z: 31;\n"
	  "};\n"
	  "\n" },
	{ "packed",
	  "struct pk {\n"
	  "\tchar a;\n"
	  "\tint b;\n"
	  "} __attribute__((packed));\n"
	  "\n"
	  "struct pk2 {\n"
	  "\tint a;\n"
	  "\tshort int b;\n"
	  "} __attribute__((packed));\n"
	  "\n"
	  "struct holder {\n"
	  "\tchar c;\n"
	  "\tstruct pk p;\n"
	  "};\n"
	  "\n"
	  "struct holder2 {\n"
	  "\tchar c;\n"
	  "\tint: 0;\n"
	  "\tstruct pk p;\n"
	  "\tchar d;\n"
	  "\tint: 0;\n"
	  "};\n"
	  "\n"
	  "union pku {\n"
	  "\tshort int a;\n"
	  "\tchar b;\n"
	  "};\n"
	  "\n" },
	{ "aligned",
	  "struct al {\n"
	  "\tchar a;\n"
	  "\tlong: 64;\n"
	  "\tlong b;\n"
	  "\tlong: 64;\n"
	  "};\n"
	  "\n"
	  "struct al2 {\n"
	  "\tchar a;\n"
	  "\tlong: 0;\n"
	  "};\n"
	  "\n"
	  "struct al3 {\n"
	  "\tint a;\n"
	  "\tlong: 0;\n"
	  "\tint b;\n"
	  "\tchar c;\n"
	  "};\n"
	  "\n"
	  "struct al4 {\n"
	  "\tchar a;\n"
	  "\tshort: 0;\n"
	  "\tchar: 8;\n"
	  "\tchar b;\n"
	  "};\n"
	  "\n"
	  "union alu {\n"
	  "\tchar a;\n"
	  "};\n"
	  "\n"
	  "struct al5 {\n"
	  "\tint a;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tchar: 8;\n"
	  "\tchar b;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "};\n"
	  "\n"
	  "struct al6 {\n"
	  "\tchar: 8;\n"
	  "\tchar a;\n"
	  "\tlong: 64;\n"
	  "\tlong b;\n"
	  "};\n"
	  "\n"
	  "struct sized {\n"
	  "\tlong: 64;\n"
	  "\tint: 32;\n"
	  "};\n"
	  "\n" },
	{ "enums",
	  "enum color {\n"
	  "\tRED = 0,\n"
	  "\tGREEN = 1,\n"
	  "\tWHITE = 4294967295,\n"
	  "};\n"
	  "\n"
	  "enum sgn {\n"
	  "\tNEG = -5,\n"
	  "\tPOS = 7,\n"
	  "};\n"
	  "\n"
	  "enum big {\n"
	  "\tBIG = 4294967296ULL,\n"
	  "\tALL = 18446744073709551615ULL,\n"
	  "};\n"
	  "\n"
	  "enum sbig {\n"
	  "\tSNEG = -1LL,\n"
	  "\tSPOS = 9223372036854775807LL,\n"
	  "\tSMIN = -9223372036854775808LL,\n"
	  "};\n"
	  "\n"
	  "enum small {\n"
	  "\tS1 = 1,\n"
	  "};\n"
	  "\n"
	  "enum half {\n"
	  "\tH1 = -1,\n"
	  "};\n"
	  "\n"
	  "enum word {\n"
	  "\tW1 = 1,\n"
	  "};\n"
	  "\n"
	  "enum fits {\n"
	  "\tF1 = 1ULL,\n"
	  "};\n"
	  "\n"
	  "enum fits4 {\n"
	  "\tF4 = 4ULL,\n"
	  "};\n"
	  "\n"
	  "enum empty;\n"
	  "\n"
	  "enum {\n"
	  "\tTOP1 = 1,\n"
	  "};\n"
	  "\n"
	  "enum {\n"
	  "\tTOP64 = 4886718345ULL,\n"
	  "};\n"
	  "\n"
	  "struct user {\n"
	  "\tenum color c;\n"
	  "\tenum sgn s;\n"
	  "};\n"
	  "\n" },
	{ "typedefs",
	  "typedef int myint;\n"
	  "\n"
	  "typedef myint myint2;\n"
	  "\n"
	  "typedef struct {\n"
	  "\tint a;\n"
	  "} anon_t;\n"
	  "\n"
	  "struct tagged;\n"
	  "\n"
	  "typedef struct tagged tagged_t;\n"
	  "\n"
	  "struct tagged {\n"
	  "\ttagged_t *next;\n"
	  "\tint v;\n"
	  "};\n"
	  "\n"
	  "typedef void (*cb_t)(int, void *);\n"
	  "\n"
	  "typedef char buf_t[16];\n"
	  "\n"
	  "typedef const int cint_t;\n"
	  "\n"
	  "struct list;\n"
	  "\n"
	  "typedef struct list list_t;\n"
	  "\n"
	  "struct item {\n"
	  "\tlist_t *l;\n"
	  "};\n"
	  "\n"
	  "struct list {\n"
	  "\tint x;\n"
	  "};\n"
	  "\n" },
	{ "funcs",
	  "struct ops {\n"
	  "\tint (*open)(int fd, const char *path);\n"
	  "\tvoid (*close)(void);\n"
	  "\tint (*printf)(const char *fmt, ...);\n"
	  "\tint (* (*get)(int))(char);\n"
	  "\tvoid (*arr[4])(int);\n"
	  "\tstruct {\n"
	  "\t\tint x;\n"
	  "\t} (*mk)(void);\n"
	  "\tvoid (*die)(void);\n"
	  "};\n"
	  "\n" },
	{ "arrays",
	  "struct arr {\n"
	  "\tint a[4];\n"
	  "\tint m[2][3];\n"
	  "\tchar *pa[5];\n"
	  "\tint (*ap)[7];\n"
	  "\tconst int ca[2];\n"
	  "\tint k[4];\n"
	  "\tint (**app[2])[7];\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tlong: 64;\n"
	  "\tint fl[0];\n"
	  "};\n"
	  "\n" },
	{ "cv",
	  "struct cv {\n"
	  "\tconst int a;\n"
	  "\tvolatile int b;\n"
	  "\tvolatile const int c;\n"
	  "\tconst char *p;\n"
	  "\tchar * const q;\n"
	  "\tconst char * const r;\n"
	  "\tchar * restrict s;\n"
	  "\tvolatile long * const *t;\n"
	  "\tvoid * volatile u;\n"
	  "\tconst void *w;\n"
	  "};\n"
	  "\n" },
	{ "tags",
	  "struct tg {\n"
	  "\tint __attribute__((btf_type_tag(\"user\"))) *p;\n"
	  "\tint * __attribute__((btf_type_tag(\"rcu\"))) *q;\n"
	  "\tintconst  __attribute__((btf_type_tag(\"user\"))) *r;\n"
	  "};\n"
	  "\n"
	  "typedef int __attribute__((btf_type_tag(\"user\"))) *uptr_t;\n"
	  "\n" },
	{ "names",
	  "struct dup {\n"
	  "\tint a;\n"
	  "};\n"
	  "\n"
	  "struct dup___2 {\n"
	  "\tchar b;\n"
	  "};\n"
	  "\n"
	  "union dup___3 {\n"
	  "\tint c;\n"
	  "};\n"
	  "\n"
	  "typedef int dup;\n"
	  "\n"
	  "enum e1 {\n"
	  "\tVAL = 1,\n"
	  "};\n"
	  "\n"
	  "enum e2 {\n"
	  "\tVAL___2 = 2,\n"
	  "\tOTHER = 3,\n"
	  "};\n"
	  "\n"
	  "typedef char OTHER___2;\n"
	  "\n"
	  "struct fwdx;\n"
	  "\n"
	  "struct fwdx {\n"
	  "\tint a;\n"
	  "};\n"
	  "\n"
	  "enum ee;\n"
	  "\n"
	  "enum ee {\n"
	  "\tX = 1,\n"
	  "};\n"
	  "\n"
	  "struct user {\n"
	  "\tstruct dup d1;\n"
	  "\tstruct dup___2 d2;\n"
	  "\tunion dup___3 d3;\n"
	  "\tstruct fwdx *pf;\n"
	  "\tenum ee *pe;\n"
	  "\tenum ee e;\n"
	  "\tOTHER___2 o;\n"
	  "};\n"
	  "\n" },
	{ "array_ptr",
	  "struct inner2 {\n"
	  "\tint x;\n"
	  "};\n"
	  "\n"
	  "struct outer2 {\n"
	  "\tstruct inner2 (*p)[2];\n"
	  "};\n"
	  "\n" },
	{ "anon_ptr",
	  "struct emb {\n"
	  "\tint v;\n"
	  "};\n"
	  "\n"
	  "struct holder {\n"
	  "\tstruct {\n"
	  "\t\tstruct emb y;\n"
	  "\t} *x;\n"
	  "};\n"
	  "\n"
	  "struct ctx;\n"
	  "\n"
	  "typedef struct ctx *fn_ctx_t;\n"
	  "\n"
	  "struct ctx {\n"
	  "\tfn_ctx_t self;\n"
	  "\tint (*cb)(fn_ctx_t c);\n"
	  "};\n"
	  "\n" },
	{ "misc",
	  "typedef __builtin_va_list __gnuc_va_list;\n"
	  "\n"
	  "typedef __gnuc_va_list va_list;\n"
	  "\n"
	  "typedef unsigned char __Poly8_t;\n"
	  "\n"
	  "typedef unsigned __int128 __Poly128_t;\n"
	  "\n"
	  "struct misc {\n"
	  "\tdouble d;\n"
	  "\tlong: 64;\n"
	  "\tlong double ld;\n"
	  "\t__builtin_va_list ap;\n"
	  "\tva_list ap2;\n"
	  "\tlong: 64;\n"
	  "\t__Poly8_t p8;\n"
	  "\tlong: 64;\n"
	  "\t__Poly128_t p128;\n"
	  "\t_Bool b;\n"
	  "\tlong: 64;\n"
	  "\t__int128 x;\n"
	  "};\n"
	  "\n" },
	{ "ptr32",
	  "struct s32 {\n"
	  "\tint *p;\n"
	  "\tlong int l;\n"
	  "\tchar c;\n"
	  "\tlong: 32;\n"
	  "\tlong long int ll;\n"
	  "};\n"
	  "\n"
	  "struct gap32 {\n"
	  "\tchar c;\n"
	  "\tlong: 32;\n"
	  "\tlong: 32;\n"
	  "\tchar d;\n"
	  "\tlong: 0;\n"
	  "};\n"
	  "\n" },
	{ "vars", "" },
};

/* Output collected in memory. */
struct sink {
	char *buf;
	size_t len, cap;
};

static void sink_write(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	if (k->len + n + 1 > k->cap) {
		size_t cap = k->cap ? k->cap : 4096;

		while (cap < k->len + n + 1)
			cap *= 2;
		k->buf = realloc(k->buf, cap);
		assert_non_null(k->buf);
		k->cap = cap;
	}
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

struct t {
	struct bbpf_arena arena;
	struct bbpf_btf btf;
	struct sink out;
	struct bbpf_dump_out w;
	uint8_t *raw;
	uint32_t raw_len;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	bbpf_arena_init(&t->arena, &bbpf_alloc_libc, BUDGET);
	t->w = (struct bbpf_dump_out){ .write = sink_write, .ctx = &t->out };
	*state = t;
	return 0;
}

static void reset(struct t *t)
{
	free(t->raw);
	free(t->out.buf);
	bbpf_arena_free(&t->arena);
	t->raw = NULL;
	t->out = (struct sink){ 0 };
}

static int teardown(void **state)
{
	reset(*state);
	free(*state);
	return 0;
}

/* Build b's bytes and parse them (full checks) into t->btf; frees b. */
static void load(struct t *t, struct bb_btf *b)
{
	struct bbpf_diag d = { 0 };

	reset(t);
	t->raw = bb_btf_raw(b, false, &t->raw_len);
	bb_btf_free(b);
	assert_int_equal(bbpf_btf_parse_raw(&t->btf, t->raw, t->raw_len, NULL, &t->arena, &d), 0);
}

static void load_case(struct t *t, const char *name)
{
	const struct dump_case *c = dump_case_find(name);
	struct bb_btf b;

	assert_non_null(c);
	bb_btf_init(&b);
	c->build(&b);
	load(t, &b);
}

static int dump_header(struct t *t, uint32_t *err_id)
{
	t->out.len = 0;
	return bbpf_dump_c_header(&t->btf, &t->w, &t->arena, NULL, err_id);
}

static void check_text(const char *got, const char *want, const char *what)
{
	const char *g = got, *w = want;
	int line = 1;

	for (; *g && *g == *w; g++, w++)
		line += *g == '\n';
	if (*g || *w) {
		print_error("%s: first difference at line %d\n--- got:\n%.200s\n--- want:\n%.200s\n",
			    what, line, g, w);
		fail();
	}
}

/* ---- every construct, as bpftool prints it ---- */

static void test_cases_c(void **state)
{
	struct t *t = *state;
	size_t i, n = 0;
	char *want;

	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++) {
		load_case(t, expects[i].name);
		assert_int_equal(dump_header(t, NULL), 0);
		want = malloc(sizeof(head) + strlen(expects[i].c) + sizeof(tail));
		assert_non_null(want);
		strcpy(want, head);
		strcat(want, expects[i].c);
		strcat(want, tail);
		check_text(t->out.buf, want, expects[i].name);
		free(want);
		n++;
	}
	assert_int_equal(n, dump_case_cnt - 1);	/* all but raw_kinds */
}

static void check_raw(struct t *t, const char *name, enum bbpf_dump_raw_fmt fmt, const char *want)
{
	load_case(t, name);
	t->out.len = 0;
	assert_int_equal(bbpf_dump_raw(&t->btf, &t->w, fmt, 0), 0);
	check_text(t->out.buf, want, name);
}

static void test_cases_raw(void **state)
{
	struct t *t = *state;

	check_raw(t, "raw_kinds", BBPF_DUMP_RAW_TEXT,
	  "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	  "[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=CHAR\n"
	  "[3] INT 'bool' size=1 bits_offset=0 nr_bits=1 encoding=BOOL\n"
	  "[4] INT 'u24' size=4 bits_offset=0 nr_bits=24 encoding=(none)\n"
	  "[5] INT 'shifted' size=4 bits_offset=8 nr_bits=16 encoding=(none)\n"
	  "[6] FWD 'fs' fwd_kind=struct\n"
	  "[7] FWD 'fu' fwd_kind=union\n"
	  "[8] TYPEDEF 'quote\"d' type_id=1\n"
	  "[9] TYPEDEF 'tab\tand'apos'' type_id=1\n"
	  "[10] TYPEDEF 'back\\slash' type_id=1\n"
	  "[11] STRUCT '(anon)' size=0 vlen=0\n"
	  "[12] UNION 'u' size=4 vlen=2\n"
	  "\t'bf' type_id=1 bits_offset=0 bitfield_size=3\n"
	  "\t'(anon)' type_id=1 bits_offset=0\n"
	  "[13] PTR '(anon)' type_id=1\n"
	  "[14] RESTRICT '(anon)' type_id=13\n");
	check_raw(t, "vars", BBPF_DUMP_RAW_TEXT,
	  "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	  "[2] VAR 'counter' type_id=1, linkage=global\n"
	  "[3] VAR 'hidden' type_id=1, linkage=static\n"
	  "[4] VAR 'ext' type_id=1, linkage=extern\n"
	  "[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	  "\t'x' type_id=1\n"
	  "[6] FUNC 'f_static' type_id=5 linkage=static\n"
	  "[7] FUNC 'f_global' type_id=5 linkage=global\n"
	  "[8] FUNC 'f_extern' type_id=5 linkage=extern\n"
	  "[9] DATASEC '.data' size=8 vlen=2\n"
	  "\ttype_id=2 offset=0 size=4 (VAR 'counter')\n"
	  "\ttype_id=3 offset=4 size=4 (VAR 'hidden')\n"
	  "[10] DATASEC '.ksyms' size=0 vlen=2\n"
	  "\ttype_id=4 offset=0 size=4 (VAR 'ext')\n"
	  "\ttype_id=8 offset=0 size=0 (FUNC 'f_extern')\n"
	  "[11] DECL_TAG 'tag_on_func' type_id=6 component_idx=-1\n"
	  "[12] DECL_TAG 'tag_on_param' type_id=7 component_idx=0\n"
	  "[13] DECL_TAG 'tag_on_var' type_id=2 component_idx=-1\n");
	check_raw(t, "enums", BBPF_DUMP_RAW_TEXT,
	  "[1] ENUM 'color' encoding=UNSIGNED size=4 vlen=3\n"
	  "\t'RED' val=0\n"
	  "\t'GREEN' val=1\n"
	  "\t'WHITE' val=4294967295\n"
	  "[2] ENUM 'sgn' encoding=SIGNED size=4 vlen=2\n"
	  "\t'NEG' val=-5\n"
	  "\t'POS' val=7\n"
	  "[3] ENUM64 'big' encoding=UNSIGNED size=8 vlen=2\n"
	  "\t'BIG' val=4294967296ULL\n"
	  "\t'ALL' val=18446744073709551615ULL\n"
	  "[4] ENUM64 'sbig' encoding=SIGNED size=8 vlen=3\n"
	  "\t'SNEG' val=-1LL\n"
	  "\t'SPOS' val=9223372036854775807LL\n"
	  "\t'SMIN' val=-9223372036854775808LL\n"
	  "[5] ENUM 'small' encoding=UNSIGNED size=1 vlen=1\n"
	  "\t'S1' val=1\n"
	  "[6] ENUM 'half' encoding=SIGNED size=2 vlen=1\n"
	  "\t'H1' val=-1\n"
	  "[7] ENUM 'word' encoding=UNSIGNED size=8 vlen=1\n"
	  "\t'W1' val=1\n"
	  "[8] ENUM64 'fits' encoding=UNSIGNED size=8 vlen=1\n"
	  "\t'F1' val=1ULL\n"
	  "[9] ENUM64 'fits4' encoding=UNSIGNED size=4 vlen=1\n"
	  "\t'F4' val=4ULL\n"
	  "[10] ENUM 'empty' encoding=UNSIGNED size=4 vlen=0\n"
	  "[11] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=1\n"
	  "\t'TOP1' val=1\n"
	  "[12] ENUM64 '(anon)' encoding=UNSIGNED size=8 vlen=1\n"
	  "\t'TOP64' val=4886718345ULL\n"
	  "[13] STRUCT 'user' size=8 vlen=2\n"
	  "\t'c' type_id=1 bits_offset=0\n"
	  "\t's' type_id=2 bits_offset=32\n");
	check_raw(t, "raw_kinds", BBPF_DUMP_RAW_JSON,
	  "{\"types\":[{\"id\":1,\"kind\":\"INT\",\"name\":\"int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,\"encoding\":\"SIGNED\"},{\"id\":2,\"kind\":\"INT\",\"name\":\"char\",\"size\":1,\"bits_offset\":0,\"nr_bits\":8,\"encoding\":\"CHAR\"},{\"id\":3,\"kind\":\"INT\",\"name\":\"bool\",\"size\":1,\"bits_offset\":0,\"nr_bits\":1,\"encoding\":\"BOOL\"},{\"id\":4,\"kind\":\"INT\",\"name\":\"u24\",\"size\":4,\"bits_offset\":0,\"nr_bits\":24,\"encoding\":\"(none)\"},{\"id\":5,\"kind\":\"INT\",\"name\":\"shifted\",\"size\":4,\"bits_offset\":8,\"nr_bits\":16,\"encoding\":\"(none)\"},{\"id\":6,\"kind\":\"FWD\",\"name\":\"fs\",\"fwd_kind\":\"struct\"},{\"id\":7,\"kind\":\"FWD\",\"name\":\"fu\",\"fwd_kind\":\"union\"},{\"id\":8,\"kind\":\"TYPEDEF\",\"name\":\"quote\\\"d\",\"type_id\":1},{\"id\":9,\"kind\":\"TYPEDEF\",\"name\":\"tab\\tand'apos'\",\"type_id\":1},{\"id\":10,\"kind\":\"TYPEDEF\",\"name\":\"back\\nslash\",\"type_id\":1},{\"id\":11,\"kind\":\"STRUCT\",\"name\":\"(anon)\",\"size\":0,\"vlen\":0,\"members\":[]},{\"id\":12,\"kind\":\"UNION\",\"name\":\"u\",\"size\":4,\"vlen\":2,\"members\":[{\"name\":\"bf\",\"type_id\":1,\"bits_offset\":0,\"bitfield_size\":3},{\"name\":\"(anon)\",\"type_id\":1,\"bits_offset\":0}]},{\"id\":13,\"kind\":\"PTR\",\"name\":\"(anon)\",\"type_id\":1},{\"id\":14,\"kind\":\"RESTRICT\",\"name\":\"(anon)\",\"type_id\":13}]}\n");
	check_raw(t, "vars", BBPF_DUMP_RAW_PRETTY,
	  "{\n"
	  "    \"types\": [{\n"
	  "            \"id\": 1,\n"
	  "            \"kind\": \"INT\",\n"
	  "            \"name\": \"int\",\n"
	  "            \"size\": 4,\n"
	  "            \"bits_offset\": 0,\n"
	  "            \"nr_bits\": 32,\n"
	  "            \"encoding\": \"SIGNED\"\n"
	  "        },{\n"
	  "            \"id\": 2,\n"
	  "            \"kind\": \"VAR\",\n"
	  "            \"name\": \"counter\",\n"
	  "            \"type_id\": 1,\n"
	  "            \"linkage\": \"global\"\n"
	  "        },{\n"
	  "            \"id\": 3,\n"
	  "            \"kind\": \"VAR\",\n"
	  "            \"name\": \"hidden\",\n"
	  "            \"type_id\": 1,\n"
	  "            \"linkage\": \"static\"\n"
	  "        },{\n"
	  "            \"id\": 4,\n"
	  "            \"kind\": \"VAR\",\n"
	  "            \"name\": \"ext\",\n"
	  "            \"type_id\": 1,\n"
	  "            \"linkage\": \"extern\"\n"
	  "        },{\n"
	  "            \"id\": 5,\n"
	  "            \"kind\": \"FUNC_PROTO\",\n"
	  "            \"name\": \"(anon)\",\n"
	  "            \"ret_type_id\": 1,\n"
	  "            \"vlen\": 1,\n"
	  "            \"params\": [{\n"
	  "                    \"name\": \"x\",\n"
	  "                    \"type_id\": 1\n"
	  "                }\n"
	  "            ]\n"
	  "        },{\n"
	  "            \"id\": 6,\n"
	  "            \"kind\": \"FUNC\",\n"
	  "            \"name\": \"f_static\",\n"
	  "            \"type_id\": 5,\n"
	  "            \"linkage\": \"static\"\n"
	  "        },{\n"
	  "            \"id\": 7,\n"
	  "            \"kind\": \"FUNC\",\n"
	  "            \"name\": \"f_global\",\n"
	  "            \"type_id\": 5,\n"
	  "            \"linkage\": \"global\"\n"
	  "        },{\n"
	  "            \"id\": 8,\n"
	  "            \"kind\": \"FUNC\",\n"
	  "            \"name\": \"f_extern\",\n"
	  "            \"type_id\": 5,\n"
	  "            \"linkage\": \"extern\"\n"
	  "        },{\n"
	  "            \"id\": 9,\n"
	  "            \"kind\": \"DATASEC\",\n"
	  "            \"name\": \".data\",\n"
	  "            \"size\": 8,\n"
	  "            \"vlen\": 2,\n"
	  "            \"vars\": [{\n"
	  "                    \"type_id\": 2,\n"
	  "                    \"offset\": 0,\n"
	  "                    \"size\": 4\n"
	  "                },{\n"
	  "                    \"type_id\": 3,\n"
	  "                    \"offset\": 4,\n"
	  "                    \"size\": 4\n"
	  "                }\n"
	  "            ]\n"
	  "        },{\n"
	  "            \"id\": 10,\n"
	  "            \"kind\": \"DATASEC\",\n"
	  "            \"name\": \".ksyms\",\n"
	  "            \"size\": 0,\n"
	  "            \"vlen\": 2,\n"
	  "            \"vars\": [{\n"
	  "                    \"type_id\": 4,\n"
	  "                    \"offset\": 0,\n"
	  "                    \"size\": 4\n"
	  "                },{\n"
	  "                    \"type_id\": 8,\n"
	  "                    \"offset\": 0,\n"
	  "                    \"size\": 0\n"
	  "                }\n"
	  "            ]\n"
	  "        },{\n"
	  "            \"id\": 11,\n"
	  "            \"kind\": \"DECL_TAG\",\n"
	  "            \"name\": \"tag_on_func\",\n"
	  "            \"type_id\": 6,\n"
	  "            \"component_idx\": -1\n"
	  "        },{\n"
	  "            \"id\": 12,\n"
	  "            \"kind\": \"DECL_TAG\",\n"
	  "            \"name\": \"tag_on_param\",\n"
	  "            \"type_id\": 7,\n"
	  "            \"component_idx\": 0\n"
	  "        },{\n"
	  "            \"id\": 13,\n"
	  "            \"kind\": \"DECL_TAG\",\n"
	  "            \"name\": \"tag_on_var\",\n"
	  "            \"type_id\": 2,\n"
	  "            \"component_idx\": -1\n"
	  "        }\n"
	  "    ]\n"
	  "}\n");
}

/* ---- one declaration, one type ---- */

static struct bbpf_dump_c *new_dumper(struct t *t, uint64_t max_out)
{
	struct bbpf_dump_c_opts o = { .max_out = max_out };
	struct bbpf_dump_c *d;

	t->out.len = 0;
	assert_int_equal(bbpf_dump_c_new(&d, &t->btf, &t->w, &t->arena, &o), 0);
	return d;
}

static void check_decl(struct t *t, struct bbpf_dump_c *d, uint32_t id, const char *name,
		       uint32_t indent, bool strip, const char *want)
{
	t->out.len = 0;
	assert_int_equal(bbpf_dump_c_decl(d, id, name, indent, strip), 0);
	assert_int_equal(bbpf_dump_c_flush(d), 0);
	check_text(t->out.len ? t->out.buf : "", want, name ? name : "(null)");
}

static void test_decl(void **state)
{
	struct t *t = *state;
	uint32_t i, c, arr, foo, pfoo, pr, pfn, an, cvi, pcc, s2, ps2, an_e;
	struct bbpf_dump_c *d;
	struct bb_btf b;

	bb_btf_init(&b);
	i = bb_btf_add_int(&b, "int", 4, S, 32);
	c = bb_btf_add_int(&b, "char", 1, S, 8);
	arr = bb_btf_add_array(&b, c, i, 16);
	foo = bb_btf_add_struct(&b, "foo", 4, false);
	bb_btf_add_member(&b, "a", i, 0);
	pfoo = bb_btf_add_ptr(&b, foo);
	pr = bb_btf_add_func_proto(&b, i);
	bb_btf_add_param(&b, NULL, i);
	pfn = bb_btf_add_ptr(&b, pr);
	an = bb_btf_add_struct(&b, NULL, 8, false);
	bb_btf_add_member(&b, "x", i, 0);
	bb_btf_add_member(&b, "y", pfoo, 0);	/* odd offsets are printed as they are */
	cvi = bb_btf_add_const(&b, bb_btf_add_volatile(&b, i));
	pcc = bb_btf_add_ptr(&b, bb_btf_add_const(&b, c));
	s2 = bb_btf_add_struct(&b, "foo", 1, false);	/* a second "foo" */
	bb_btf_add_member(&b, "c", c, 0);
	ps2 = bb_btf_add_ptr(&b, s2);
	an_e = bb_btf_add_enum(&b, NULL, 4, false);
	bb_btf_add_enum_val(&b, "A", 0);
	load(t, &b);

	d = new_dumper(t, 0);
	check_decl(t, d, arr, "comm", 2, true, "char comm[16]");
	check_decl(t, d, pfoo, "p", 2, true, "struct foo *p");
	check_decl(t, d, pfn, "fn", 0, false, "int (*fn)(int)");
	check_decl(t, d, an, "v", 2, true,
		   "struct {\n\t\t\tint x;\n\t\t\tstruct foo *y;\n\t\t} v");
	/* modifiers of a base type print innermost first, as libbpf does */
	check_decl(t, d, cvi, "k", 0, false, "volatile const int k");
	check_decl(t, d, cvi, "k", 0, true, "int k");
	check_decl(t, d, pcc, "s", 0, true, "char *s");
	check_decl(t, d, pcc, "", 0, false, "const char *");
	check_decl(t, d, i, NULL, 0, false, "int");
	check_decl(t, d, 0, "nothing", 0, false, "void nothing");
	/* names are taken in order of first use: the second foo is foo___2 */
	check_decl(t, d, ps2, "q", 1, false, "struct foo___2 *q");
	check_decl(t, d, an_e, "e", 1, false, "enum {\n\t\tA = 0,\n\t} e");
	/* the same anonymous enum again: its enumerator is now taken */
	check_decl(t, d, an_e, "e", 1, false, "enum {\n\t\tA___2 = 0,\n\t} e");
	assert_int_equal(bbpf_dump_c_decl(d, t->btf.type_cnt, "x", 0, false), -EINVAL);
	/* the dumper is still usable after a refused id */
	check_decl(t, d, i, "z", 0, false, "int z");
}

static void test_dump_type(void **state)
{
	struct t *t = *state;
	struct bbpf_dump_c *d;

	load_case(t, "basic");	/* 5: struct point, 6: point_t, 9: struct shape */
	d = new_dumper(t, 0);
	assert_int_equal(bbpf_dump_c_type(d, 9), 0);
	assert_int_equal(bbpf_dump_c_flush(d), 0);
	check_text(t->out.buf,
		   "struct point {\n\tint x;\n\tint y;\n\tchar *name;\n};\n\n"
		   "typedef struct point point_t;\n\n"
		   "struct shape {\n\tpoint_t origin;\n\tconst char *label;\n"
		   "\tlong unsigned int size;\n};\n\n", "shape");
	/* already printed: nothing more */
	t->out.len = 0;
	assert_int_equal(bbpf_dump_c_type(d, 5), 0);
	assert_int_equal(bbpf_dump_c_type(d, 6), 0);
	assert_int_equal(bbpf_dump_c_flush(d), 0);
	assert_int_equal(t->out.len, 0);
	assert_int_equal(bbpf_dump_c_type(d, t->btf.type_cnt), -EINVAL);

	/* a forward declaration for a pointer cycle, when asked for one end */
	load_case(t, "fwd_cycle");	/* 2: struct a, 4: struct b */
	d = new_dumper(t, 0);
	assert_int_equal(bbpf_dump_c_type(d, 4), 0);
	assert_int_equal(bbpf_dump_c_flush(d), 0);
	check_text(t->out.buf, "struct a;\n\nstruct b {\n\tstruct a *a;\n};\n\n", "b");
}

/* Split BTF: C covers the base too, raw only the split's own types. */
static void test_split(void **state)
{
	struct t *t = *state;
	struct bbpf_diag dg = { 0 };
	struct bbpf_btf split;
	struct bb_btf b, s;
	uint8_t *sraw;
	uint32_t slen, m;

	bb_btf_init(&b);
	dump_case_find("basic")->build(&b);
	bb_btf_init_split(&s, b.next_id, (uint32_t)b.str_len);
	m = bb_btf_add_struct(&s, "mod_state", 24, false);
	bb_btf_add_member(&s, "pt", 6, 0);
	bb_btf_add_member(&s, "next", m + 1, 128);
	bb_btf_add_ptr(&s, m);
	bb_btf_add_struct(&s, "point", 4, false);
	bb_btf_add_member(&s, "z", 1, 0);
	sraw = bb_btf_raw(&s, false, &slen);
	bb_btf_free(&s);
	load(t, &b);
	assert_int_equal(bbpf_btf_parse_raw(&split, sraw, slen, &t->btf, &t->arena, &dg), 0);
	assert_int_equal(bbpf_dump_c_header(&split, &t->w, &t->arena, NULL, NULL), 0);
	assert_non_null(strstr(t->out.buf, "typedef struct point point_t;\n\n"));
	assert_non_null(strstr(t->out.buf, "struct mod_state {\n\tpoint_t pt;\n"
					   "\tstruct mod_state *next;\n};\n\n"
					   "struct point___2 {\n\tint z;\n};\n\n"));
	t->out.len = 0;
	assert_int_equal(bbpf_dump_raw(&split, &t->w, BBPF_DUMP_RAW_TEXT, 0), 0);
	check_text(t->out.buf,
		   "[11] STRUCT 'mod_state' size=24 vlen=2\n"
		   "\t'pt' type_id=6 bits_offset=0\n"
		   "\t'next' type_id=12 bits_offset=128\n"
		   "[12] PTR '(anon)' type_id=11\n"
		   "[13] STRUCT 'point' size=4 vlen=1\n"
		   "\t'z' type_id=1 bits_offset=0\n", "split raw");
	free(sraw);
}

/* ---- hostile BTF ---- */

/*
 * The whole header of t->btf must end in err, having written at most
 * max_out bytes (0: no check); the type it names (if any) in *id.
 */
static void expect_header_err(struct t *t, int err, uint32_t *id)
{
	uint32_t got_id = 0;

	assert_int_equal(dump_header(t, &got_id), err);
	if (id)
		*id = got_id;
	/* bpftool stops there too: no closing lines */
	assert_null(strstr(t->out.len ? t->out.buf : "", "#endif /* __VMLINUX_H__ */"));
}

/*
 * Declarations of the first and last types terminate (0 or an error), each
 * from a fresh dumper (errors are sticky) in a scratch arena.
 */
static void all_decls_end(struct t *t)
{
	uint32_t id, cnt = t->btf.type_cnt;
	struct bbpf_dump_c_opts o = { .max_out = 1u << 20 };
	struct bbpf_arena arena;
	struct bbpf_dump_c *d;
	int err;

	for (id = 0; id < cnt; id = id == 16 && cnt > 48 ? cnt - 16 : id + 1) {
		bbpf_arena_init(&arena, &bbpf_alloc_libc, BUDGET);
		t->out.len = 0;
		assert_int_equal(bbpf_dump_c_new(&d, &t->btf, &t->w, &arena, &o), 0);
		err = bbpf_dump_c_decl(d, id, "v", 0, id & 1);
		assert_true(err == 0 || err == -ELOOP || err == -E2BIG);
		bbpf_dump_c_flush(d);
		bbpf_arena_free(&arena);
	}
}

static void test_cycles(void **state)
{
	struct t *t = *state;
	uint32_t i, a, s, p, pr, td, id;
	struct bb_btf b;

	/* PTR -> itself: libbpf recurses forever */
	bb_btf_init(&b);
	bb_btf_add_ptr(&b, 1);
	bb_btf_add_typedef(&b, "self_ptr", 1);
	load(t, &b);
	expect_header_err(t, -ELOOP, &id);
	assert_int_equal(id, 1);
	all_decls_end(t);

	/* const -> volatile -> const; typedef of itself; array of itself */
	bb_btf_init(&b);
	bb_btf_add_const(&b, 2);
	bb_btf_add_volatile(&b, 1);
	bb_btf_add_typedef(&b, "loop", 3);
	bb_btf_add_array(&b, 4, 4, 2);
	load(t, &b);
	expect_header_err(t, -ELOOP, NULL);
	all_decls_end(t);

	/* typedef -> pointer -> the typedef again, no struct in between */
	bb_btf_init(&b);
	td = bb_btf_add_typedef(&b, "tp", 2);
	bb_btf_add_ptr(&b, td);
	load(t, &b);
	expect_header_err(t, -ELOOP, &id);
	assert_int_equal(id, td);
	all_decls_end(t);

	/* pointer -> prototype -> parameter: the same pointer */
	bb_btf_init(&b);
	i = bb_btf_add_int(&b, "int", 4, S, 32);
	p = bb_btf_add_ptr(&b, 3);
	pr = bb_btf_add_func_proto(&b, i);
	bb_btf_add_param(&b, "self", p);
	bb_btf_add_typedef(&b, "fp_t", p);
	load(t, &b);
	expect_header_err(t, -ELOOP, NULL);
	all_decls_end(t);
	(void)pr;

	/* a struct embedding itself (not through a pointer): bpftool fails too */
	bb_btf_init(&b);
	i = bb_btf_add_int(&b, "int", 4, S, 32);
	s = bb_btf_add_struct(&b, "me", 8, false);
	bb_btf_add_member(&b, "x", i, 0);
	bb_btf_add_member(&b, "me", s, 32);
	load(t, &b);
	expect_header_err(t, -ELOOP, &id);
	assert_int_equal(id, s);
	all_decls_end(t);

	/* an anonymous struct reached again through a pointer: no name to forward-declare */
	bb_btf_init(&b);
	a = bb_btf_add_struct(&b, NULL, 8, false);
	bb_btf_add_member(&b, "next", 2, 0);
	bb_btf_add_ptr(&b, a);
	bb_btf_add_typedef(&b, "anon_loop_t", a);
	load(t, &b);
	expect_header_err(t, -ELOOP, NULL);
	all_decls_end(t);

	/* through a named struct the same shape is fine: typedef struct s *sp; */
	bb_btf_init(&b);
	td = bb_btf_add_typedef(&b, "node_t", 2);
	s = bb_btf_add_struct(&b, "node", 8, false);
	bb_btf_add_member(&b, "next", 3, 0);
	bb_btf_add_ptr(&b, td);
	load(t, &b);
	assert_int_equal(dump_header(t, NULL), 0);
	assert_non_null(strstr(t->out.buf, "struct node;\n\ntypedef struct node node_t;\n\n"
					   "struct node {\n\tnode_t *next;\n};\n\n"));
	(void)s;
}

/* n structs, each embedding the previous one (named) or the next (anonymous). */
static void build_chain(struct bb_btf *b, uint32_t n, bool anon)
{
	uint32_t i, k, first;

	bb_btf_init(b);
	i = bb_btf_add_int(b, "int", 4, S, 32);
	first = b->next_id;
	for (k = 0; k < n; k++) {
		char name[32];

		snprintf(name, sizeof(name), "s%u", k);
		bb_btf_add_struct(b, anon && k ? NULL : name, 4, false);
		if (anon)
			bb_btf_add_member(b, "in", k + 1 < n ? first + k + 1 : i, 0);
		else
			bb_btf_add_member(b, "in", k ? first + k - 1 : i, 0);
	}
}

static void test_depth(void **state)
{
	struct t *t = *state;
	uint32_t k, n = 100000, i, prev;
	struct bb_btf b;
	char name[48];
	clock_t t0;

	/* legit: 100000 nested named structs, ordered without recursion */
	build_chain(&b, n, false);
	load(t, &b);
	t0 = clock();
	assert_int_equal(dump_header(t, NULL), 0);
	assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
	snprintf(name, sizeof(name), "struct s%u {\n\tstruct s%u in;\n};\n", n - 1, n - 2);
	assert_non_null(strstr(t->out.buf, name));
	assert_true(strstr(t->out.buf, "struct s1 {") < strstr(t->out.buf, "struct s2 {"));

	/* 100000 nested anonymous structs: printing nests past the limit */
	build_chain(&b, n, true);
	load(t, &b);
	expect_header_err(t, -ELOOP, NULL);
	assert_true(t->out.len < (size_t)BBPF_DUMP_C_MAX_NEST * 64 + 4096);
	all_decls_end(t);

	/* 100000 typedefs of typedefs: fine */
	bb_btf_init(&b);
	prev = bb_btf_add_int(&b, "int", 4, S, 32);
	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "t%u", k);
		prev = bb_btf_add_typedef(&b, name, prev);
	}
	load(t, &b);
	assert_int_equal(dump_header(t, NULL), 0);
	assert_non_null(strstr(t->out.buf, "typedef t99998 t99999;\n"));

	/* int followed by 5000 pointers: the declaration chain is capped */
	bb_btf_init(&b);
	prev = i = bb_btf_add_int(&b, "int", 4, S, 32);
	for (k = 0; k < 5000; k++)
		prev = bb_btf_add_ptr(&b, prev);
	bb_btf_add_typedef(&b, "deep_t", prev);
	load(t, &b);
	expect_header_err(t, -ELOOP, NULL);
}

static void test_blowup(void **state)
{
	struct t *t = *state;
	uint32_t i, k, prev, c, pr;
	struct bb_btf b;
	clock_t t0;

	/* anonymous structs each holding two of the previous: 2^40 lines */
	bb_btf_init(&b);
	prev = bb_btf_add_int(&b, "int", 4, S, 32);
	for (k = 0; k < 40; k++) {
		uint32_t sz = 4u << (k < 20 ? k : 20);

		uint32_t old = prev;

		prev = bb_btf_add_struct(&b, k == 39 ? "bomb" : NULL, sz, false);
		bb_btf_add_member(&b, "a", old, 0);
		bb_btf_add_member(&b, "b", old, 0);
	}
	load(t, &b);
	t0 = clock();
	expect_header_err(t, -E2BIG, NULL);
	assert_true(clock() - t0 < 10 * CLOCKS_PER_SEC);
	/* the default budget: 64 bytes per input byte + 1 MiB */
	assert_true(t->out.len <= 64 * (uint64_t)t->raw_len + (1u << 20));

	/* prototypes taking two of the previous prototype: an exponential walk */
	bb_btf_init(&b);
	i = bb_btf_add_int(&b, "int", 4, S, 32);
	prev = bb_btf_add_func_proto(&b, i);
	for (k = 0; k < 60; k++) {
		pr = bb_btf_add_func_proto(&b, i);
		bb_btf_add_param(&b, "x", prev);
		bb_btf_add_param(&b, "y", prev);
		prev = pr;
	}
	bb_btf_add_typedef(&b, "fp_t", bb_btf_add_ptr(&b, prev));
	load(t, &b);
	t0 = clock();
	expect_header_err(t, -E2BIG, NULL);
	assert_true(clock() - t0 < 10 * CLOCKS_PER_SEC);

	/* a 4 GiB struct with one char: padding lines past the budget */
	bb_btf_init(&b);
	c = bb_btf_add_int(&b, "char", 1, S, 8);
	bb_btf_add_struct(&b, "huge", 0xfffffff0u, false);
	bb_btf_add_member(&b, "c", c, 0);
	load(t, &b);
	expect_header_err(t, -E2BIG, NULL);

	/* 65535 members: linear and fine */
	bb_btf_init(&b);
	i = bb_btf_add_int(&b, "int", 4, S, 32);
	bb_btf_add_struct(&b, "wide", 65535u * 4, false);
	for (k = 0; k < 65535; k++) {
		char name[16];

		snprintf(name, sizeof(name), "m%u", k);
		bb_btf_add_member(&b, name, i, k * 32);
	}
	load(t, &b);
	assert_int_equal(dump_header(t, NULL), 0);
	assert_non_null(strstr(t->out.buf, "\tint m65534;\n};\n"));

	/* an explicit small budget cuts the output there */
	load_case(t, "funcs");
	{
		struct bbpf_dump_c *d = new_dumper(t, 100);
		uint32_t id;

		for (id = 1; id < t->btf.type_cnt; id++)
			if (bbpf_dump_c_type(d, id))
				break;
		assert_int_equal(bbpf_dump_c_flush(d), -E2BIG);
		assert_true(t->out.len <= 100);
		/* sticky */
		assert_int_equal(bbpf_dump_c_type(d, 1), -E2BIG);
		assert_int_equal(bbpf_dump_c_decl(d, 1, "x", 0, false), -E2BIG);
	}
}

/* BTF parsed as trusted keeps ids unchecked: the dumper checks them. */
static void test_bad_ids(void **state)
{
	struct t *t = *state;
	struct bbpf_diag dg = { 0 };
	struct bbpf_dump_c *d;
	struct bb_btf b;

	bb_btf_init(&b);
	bb_btf_add_int(&b, "int", 4, S, 32);
	bb_btf_add_struct(&b, "s", 4, false);
	bb_btf_add_member(&b, "x", 77, 0);
	reset(t);
	t->raw = bb_btf_raw(&b, false, &t->raw_len);
	bb_btf_free(&b);
	assert_int_equal(bbpf_btf_parse_trusted(&t->btf, t->raw, t->raw_len, NULL, &t->arena, &dg),
			 0);
	assert_int_equal(bbpf_dump_c_new(&d, &t->btf, &t->w, &t->arena, NULL), -EBADMSG);
	assert_int_equal(dump_header(t, NULL), -EBADMSG);
	assert_int_equal(t->out.len, 0);
}

/* Every allocation failing in turn: -ENOMEM, never a crash or a leak. */
static void test_alloc_failures(void **state)
{
	struct t *t = *state;
	struct bbpf_arena arena;
	struct bbpf_alloc al;
	struct fa fa;
	unsigned long n;
	int err = -ENOMEM;

	load_case(t, "anon");
	for (n = 0; err == -ENOMEM && n < 100; n++) {
		al = fa_after(&fa, n);
		bbpf_arena_init(&arena, &al, BUDGET);
		t->out.len = 0;
		err = bbpf_dump_c_header(&t->btf, &t->w, &arena, NULL, NULL);
		assert_true(err == 0 || err == -ENOMEM);
		bbpf_arena_free(&arena);
		assert_int_equal(fa.live, 0);
	}
	assert_int_equal(err, 0);
	assert_true(n > 1);
}

/*
 * fuzz_dump_c's seeds and any minimized crasher kept as
 * tests/data/bad/dump-c-*.btf, through the harness's steps: parsed fully
 * and as trusted, then C (with the harness's budgets), records and JSON.
 */
static void replay_one(struct t *t, const uint8_t *buf, size_t len, bool trusted)
{
	struct bbpf_dump_c_opts o = { .max_out = 16 * (uint64_t)len + 65536,
				      .max_work = 64 * (uint64_t)len + 65536 };
	struct bbpf_diag dg = { 0 };
	int err;

	reset(t);
	bbpf_arena_init(&t->arena, &bbpf_alloc_libc, BUDGET);
	err = trusted ? bbpf_btf_parse_trusted(&t->btf, buf, (uint32_t)len, NULL, &t->arena, &dg) :
			bbpf_btf_parse_raw(&t->btf, buf, (uint32_t)len, NULL, &t->arena, &dg);
	if (err)
		return;
	err = bbpf_dump_c_header(&t->btf, &t->w, &t->arena, &o, NULL);
	assert_true(err == 0 || err == -ELOOP || err == -E2BIG || err == -EBADMSG);
	assert_true(t->out.len <= o.max_out);
	assert_int_equal(bbpf_dump_raw(&t->btf, &t->w, BBPF_DUMP_RAW_TEXT, 0), 0);
	assert_int_equal(bbpf_dump_raw(&t->btf, &t->w, BBPF_DUMP_RAW_PRETTY, 0), 0);
}

static void test_replay(void **state)
{
	static const char *const dirs[][2] = {
		{ BBPF_SRC_DIR "/fuzz/corpus/fuzz_dump_c", "" },
		{ BBPF_SRC_DIR "/tests/data/bad", ".btf" },
	};
	struct su_file *files;
	size_t cnt, i, k, n = 0;
	struct t *t = *state;

	for (k = 0; k < 2; k++) {
		assert_int_equal(su_load_dir(dirs[k][0], dirs[k][1], &files, &cnt), 0);
		for (i = 0; i < cnt; i++) {
			if (k == 1 && strncmp(files[i].name, "dump-c-", 7))
				continue;
			replay_one(t, files[i].buf, files[i].len, false);
			replay_one(t, files[i].buf, files[i].len, true);
			n++;
		}
		su_free_files(files, cnt);
	}
	assert_true(n >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cases_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cases_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blowup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
