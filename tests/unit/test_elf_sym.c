/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Uprobe symbol offsets (src/parse/usym.c):
 *  - ELF files built in memory (both byte orders): .symtab and a hand-made
 *    .dynsym with .gnu.version/.gnu.version_d: types, binds, duplicates,
 *    versions, hidden versions, broken version sections, batches, patterns;
 *  - glob and "func+off" against reference implementations (libbpf's
 *    recursive glob_match rule; the host's sscanf("+%li%n") as libbpf uses it);
 *  - binaries compiled here (non-PIE, PIE with -rdynamic, a shared library
 *    with a version script, .symver versions, IFUNCs, weak symbols and
 *    same-named static functions; and the library stripped): every FUNC
 *    name resolved in one batch and one by one, against a model of libbpf
 *    1.8's rules evaluated on readelf's symbol and section tables;
 *  - Debian's libc.so.6: malloc, versioned names, IFUNCs, ambiguous
 *    compat symbols, every function name, and the time of one batch.
 * The comparison with libbpf 1.1 itself (its offsets, through an
 * interposed perf_event_open) is tests/diff/test_diff_uprobe.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "parse/elf.h"
#include "parse/usym.h"
#include "base/arena.h"
#include "elf_builder.h"
#include "proc_run.h"
#include "sweep_util.h"
#include <barebpf/object.h>

#define ARENA_BUDGET (256u << 20)
#define LIBC "/lib/x86_64-linux-gnu/libc.so.6"

static const unsigned char byte_orders[] = { ELFDATA2LSB, ELFDATA2MSB };

/* ---- helpers ---- */

struct parsed {
	struct bbpf_arena arena;
	struct bbpf_elf elf;
	struct bbpf_diag diag;
	uint8_t *copy;
	size_t len;
};

static void parse_or_die(struct parsed *p, const void *buf, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->copy = su_dup(buf, len);
	p->len = len;
	bbpf_arena_init(&p->arena, &bbpf_alloc_libc, ARENA_BUDGET);
	assert_int_equal(bbpf_elf_parse(&p->elf, p->copy, len, 0, &p->arena, &p->diag), 0);
}

static void parse_file(struct parsed *p, const char *path)
{
	uint8_t *buf;
	size_t len;

	if (su_read_file(path, &buf, &len) != 0)
		fail_msg("cannot read %s", path);
	parse_or_die(p, buf, len);
	free(buf);
}

static void parsed_free(struct parsed *p)
{
	bbpf_arena_free(&p->arena);
	free(p->copy);
}

static int find(const struct parsed *p, const char *name, unsigned int flags, uint64_t *off)
{
	struct bbpf_usym u;
	int rc = bbpf_usym_find(&p->elf, name, flags, &u);

	*off = u.off;
	if (rc == 0)
		assert_int_not_equal(u.off, 0);
	else
		assert_int_equal(u.off, 0);
	return rc;
}

static void put(uint8_t *p, unsigned int width, uint64_t v, bool be)
{
	for (unsigned int i = 0; i < width; i++)
		p[be ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* ---- synthetic: .symtab ---- */

static const uint8_t code[0x100];

struct symtab_case {
	struct eb *b;
	uint32_t text, data;
	uint64_t text_off;	/* file offset of .text, known after eb_build() */
};

#define TEXT_ADDR 0x401000ull

static void symtab_build(struct symtab_case *c, unsigned char order, uint16_t type)
{
	struct eb *b = eb_new(order, type, EM_X86_64);

	c->b = b;
	c->text = eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, code,
				 sizeof(code), 0, 0, 0, 16);
	c->data = eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, code, 0x40, 0,
				 0, 0, 8);
	eb_set_addr(b, c->text, TEXT_ADDR);
	eb_set_addr(b, c->data, 0x600000);
	/* st_value -> offset through the section: value - 0x401000 + sh_offset(.text). */
	eb_add_sym(b, "loc", TEXT_ADDR + 0x08, 4, (uint16_t)c->text, STB_LOCAL, STT_FUNC);
	eb_add_sym(b, "func", TEXT_ADDR + 0x10, 16, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "func2", TEXT_ADDR + 0x20, 16, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "ifn", TEXT_ADDR + 0x30, 8, (uint16_t)c->text, STB_GLOBAL, STT_GNU_IFUNC);
	eb_add_sym(b, "var", 0x600008, 8, (uint16_t)c->data, STB_GLOBAL, STT_OBJECT);
	eb_add_sym(b, "undef", 0, 0, SHN_UNDEF, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "absf", 0x1234, 0, SHN_ABS, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "notype", TEXT_ADDR + 0x40, 0, (uint16_t)c->text, STB_GLOBAL, STT_NOTYPE);
	/* weak then global at another address: the global wins */
	eb_add_sym(b, "wg", TEXT_ADDR + 0x50, 1, (uint16_t)c->text, STB_WEAK, STT_FUNC);
	eb_add_sym(b, "wg", TEXT_ADDR + 0x58, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	/* global then weak: the global stays */
	eb_add_sym(b, "gw", TEXT_ADDR + 0x60, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "gw", TEXT_ADDR + 0x68, 1, (uint16_t)c->text, STB_WEAK, STT_FUNC);
	/* two weak: the first stays */
	eb_add_sym(b, "ww", TEXT_ADDR + 0x70, 1, (uint16_t)c->text, STB_WEAK, STT_FUNC);
	eb_add_sym(b, "ww", TEXT_ADDR + 0x78, 1, (uint16_t)c->text, STB_WEAK, STT_FUNC);
	/* two non-weak (local + global) at different addresses: ambiguous */
	eb_add_sym(b, "amb", TEXT_ADDR + 0x80, 1, (uint16_t)c->text, STB_LOCAL, STT_FUNC);
	eb_add_sym(b, "amb", TEXT_ADDR + 0x88, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	/* two globals at the same address: fine */
	eb_add_sym(b, "same", TEXT_ADDR + 0x90, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "same", TEXT_ADDR + 0x90, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	/* versioned names as .symtab spells them */
	eb_add_sym(b, "vf@@V2", TEXT_ADDR + 0xa0, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	eb_add_sym(b, "vf@V1", TEXT_ADDR + 0xa8, 1, (uint16_t)c->text, STB_GLOBAL, STT_FUNC);
	/* undefined reference only */
	eb_add_sym(b, "only_undef", 0, 0, SHN_UNDEF, STB_GLOBAL, STT_FUNC);
	eb_add_phdr(b, PT_LOAD, PF_R | PF_X, 0, TEXT_ADDR - 0x1000, 0x40, 0x2000, 0x1000);
	eb_build(b, EB_SHDRS_LAST);
	c->text_off = eb_sec_off(b, c->text);
}

#define TOFF(c, v) ((v) - TEXT_ADDR + (c)->text_off)

static void test_symtab_rules(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		for (uint16_t type = ET_EXEC; type <= ET_DYN; type++) {
			struct symtab_case c;
			struct parsed p;
			struct bbpf_usym u;
			uint64_t off;

			symtab_build(&c, byte_orders[o], type);
			parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
			assert_int_equal(find(&p, "func", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x10));
			assert_int_equal(bbpf_usym_find(&p.elf, "func", 0, &u), 0);
			assert_int_equal(u.addr, TEXT_ADDR + 0x10);
			assert_int_equal(u.size, 16);
			assert_int_equal(u.table, p.elf.symtab);
			assert_int_equal(u.bind, STB_GLOBAL);
			assert_int_equal(u.type, STT_FUNC);
			assert_int_equal(find(&p, "loc", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x08));
			/* "fun" is not "func", "func" is not "func2" */
			assert_int_equal(find(&p, "fun", 0, &off), -ENOENT);
			assert_int_equal(find(&p, "func2", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x20));
			/* IFUNCs only on request; objects only on request; NOTYPE never */
			assert_int_equal(find(&p, "ifn", 0, &off), -ENOENT);
			assert_int_equal(find(&p, "ifn", BBPF_USYM_IFUNC, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x30));
			assert_int_equal(find(&p, "var", 0, &off), -ENOENT);
			assert_int_equal(find(&p, "var", BBPF_USYM_OBJECT, &off), 0);
			assert_int_equal(off, 0x600008 - 0x600000 + eb_sec_off(c.b, c.data));
			assert_int_equal(find(&p, "func", BBPF_USYM_NO_FUNC | BBPF_USYM_OBJECT, &off),
					 -ENOENT);
			assert_int_equal(find(&p, "notype", BBPF_USYM_IFUNC | BBPF_USYM_OBJECT, &off),
					 -ENOENT);
			/* undefined and absolute symbols never resolve */
			assert_int_equal(bbpf_usym_find(&p.elf, "undef", 0, &u), -ENOENT);
			assert_true(u.undef_seen);
			assert_int_equal(bbpf_usym_find(&p.elf, "only_undef", 0, &u), -ENOENT);
			assert_true(u.undef_seen);
			assert_int_equal(bbpf_usym_find(&p.elf, "nosuch", 0, &u), -ENOENT);
			assert_false(u.undef_seen);
			assert_int_equal(find(&p, "absf", 0, &off), -ENOENT);
			/* weak/global */
			assert_int_equal(find(&p, "wg", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x58));
			assert_int_equal(find(&p, "gw", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x60));
			assert_int_equal(find(&p, "ww", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x70));
			assert_int_equal(find(&p, "amb", 0, &off), -ENOTUNIQ);
			assert_int_equal(find(&p, "same", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0x90));
			/* .symtab versions: exact names; a plain name sees every version */
			assert_int_equal(find(&p, "vf", 0, &off), -ENOTUNIQ);
			assert_int_equal(find(&p, "vf@@V2", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0xa0));
			assert_int_equal(find(&p, "vf@V1", 0, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0xa8));
			assert_int_equal(find(&p, "vf@V2", 0, &off), -ENOENT);
			assert_int_equal(find(&p, "vf@@V1", 0, &off), -ENOENT);
			assert_int_equal(find(&p, "vf", BBPF_USYM_DEFAULT_VER, &off), 0);
			assert_int_equal(off, TOFF(&c, TEXT_ADDR + 0xa0));
			/* misuse */
			assert_int_equal(bbpf_usym_find(&p.elf, NULL, 0, &u), -EINVAL);
			assert_int_equal(bbpf_usym_find(&p.elf, "func", 0, NULL), -EINVAL);
			assert_int_equal(bbpf_usym_find(NULL, "func", 0, &u), -EINVAL);
			assert_int_equal(bbpf_usym_find(&p.elf, "func", 1u << 30, &u), -EINVAL);
			parsed_free(&p);
			eb_free(c.b);
		}
	}
}

static void test_symtab_batch(void **state)
{
	struct symtab_case c;
	struct parsed p;
	struct bbpf_arena scratch;
	struct bbpf_usym q[8] = {
		{ .name = "func2" }, { .name = "wg" }, { .name = "func" }, { .name = "func2" },
		{ .name = "vf@@V2" }, { .name = "ww" }, { .name = "loc" }, { .name = "same" },
	};
	const uint64_t want[8] = { 0x20, 0x58, 0x10, 0x20, 0xa0, 0x70, 0x08, 0x90 };
	size_t bad = 99;

	(void)state;
	symtab_build(&c, ELFDATA2LSB, ET_DYN);
	parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
	bbpf_arena_init(&scratch, &bbpf_alloc_libc, 1 << 20);
	assert_int_equal(bbpf_usym_resolve(&p.elf, q, 8, 0, &scratch, &bad), 0);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(q[i].off, TOFF(&c, TEXT_ADDR + want[i]));
	/* a missing name: the others are still filled, bad names the first missing */
	q[5].name = "nosuch1";
	q[2].name = "nosuch0";
	assert_int_equal(bbpf_usym_resolve(&p.elf, q, 8, 0, &scratch, &bad), -ENOENT);
	assert_int_equal(bad, 2);
	assert_int_equal(q[0].off, TOFF(&c, TEXT_ADDR + 0x20));
	assert_int_equal(q[2].off, 0);
	assert_int_equal(q[5].off, 0);
	/* an ambiguous name fails the batch and is named */
	q[6].name = "amb";
	assert_int_equal(bbpf_usym_resolve(&p.elf, q, 8, 0, &scratch, &bad), -ENOTUNIQ);
	assert_int_equal(bad, 6);
	/* EXACT: libbpf's uprobe.multi list: "vf" matches nothing, "vf@V1" exactly */
	{
		struct bbpf_usym e[3] = { { .name = "vf" }, { .name = "vf@V1" }, { .name = "func" } };

		assert_int_equal(bbpf_usym_resolve(&p.elf, e, 3, BBPF_USYM_EXACT, &scratch, &bad),
				 -ENOENT);
		assert_int_equal(bad, 0);
		assert_int_equal(e[1].off, TOFF(&c, TEXT_ADDR + 0xa8));
		assert_int_equal(e[2].off, TOFF(&c, TEXT_ADDR + 0x10));
	}
	/* a batch of more than one needs scratch; none is fine */
	assert_int_equal(bbpf_usym_resolve(&p.elf, q, 2, 0, NULL, &bad), -EINVAL);
	assert_int_equal(bbpf_usym_resolve(&p.elf, q, 0, 0, NULL, NULL), 0);
	/* out of memory is reported */
	{
		struct bbpf_arena tiny;

		bbpf_arena_init(&tiny, &bbpf_alloc_libc, 16);
		assert_int_equal(bbpf_usym_resolve(&p.elf, q, 8, 0, &tiny, &bad), -ENOMEM);
		bbpf_arena_free(&tiny);
	}
	bbpf_arena_free(&scratch);
	parsed_free(&p);
	eb_free(c.b);
}

static void test_symtab_glob(void **state)
{
	struct symtab_case c;
	struct parsed p;
	struct bbpf_usym *hits;
	size_t cnt = 0;

	(void)state;
	symtab_build(&c, ELFDATA2MSB, ET_EXEC);
	parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
	/* table order, duplicates kept (as libbpf: "same" twice), undefined skipped */
	assert_int_equal(bbpf_usym_glob(&p.elf, "*", 0, &p.arena, &hits, &cnt), 0);
	assert_int_equal(cnt, 15);
	assert_string_equal(hits[0].name, "loc");
	assert_string_equal(hits[1].name, "func");
	assert_int_equal(bbpf_usym_glob(&p.elf, "s?me", 0, &p.arena, &hits, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(hits[0].off, hits[1].off);
	assert_int_equal(bbpf_usym_glob(&p.elf, "vf@*", 0, &p.arena, &hits, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_string_equal(hits[0].name, "vf@@V2");
	assert_int_equal(hits[1].off, TOFF(&c, TEXT_ADDR + 0xa8));
	assert_int_equal(bbpf_usym_glob(&p.elf, "*fn", 0, &p.arena, &hits, &cnt), -ENOENT);
	assert_int_equal(bbpf_usym_glob(&p.elf, "*fn", BBPF_USYM_IFUNC, &p.arena, &hits, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(bbpf_usym_glob(&p.elf, "*undef*", 0, &p.arena, &hits, &cnt), -ENOENT);
	assert_int_equal(bbpf_usym_glob(NULL, "*", 0, &p.arena, &hits, &cnt), -EINVAL);
	parsed_free(&p);
	eb_free(c.b);
}

/* ---- synthetic: .dynsym with versions ---- */

struct dsym {
	const char *name;
	uint64_t value;
	uint8_t bind, type;
	uint16_t shndx_text;	/* 1: .text, 0: undefined */
	uint16_t versym;
};

/*
 * .dynstr, .dynsym, .gnu.version and .gnu.version_d by hand, in the file's
 * byte order. Version 1 is the base (soname), 2 "V1", 3 "V2".
 */
struct dyn_case {
	struct eb *b;
	uint32_t text;
	uint64_t text_off;
	uint32_t versym_sec, verdef_sec;
};

static size_t strtab_add(char *tab, size_t *len, const char *s)
{
	size_t at = *len;

	memcpy(tab + at, s, strlen(s) + 1);
	*len += strlen(s) + 1;
	return at;
}

enum dyn_variant {
	DYN_OK,
	DYN_SHORT_VERSYM,	/* .gnu.version one entry short */
	DYN_NO_VERDEF,
	DYN_VERDEF_LOOP,	/* vd_next 0 before V2: V2 unreachable */
	DYN_VERDEF_OUT,		/* vd_aux points out of the section */
};

static void dyn_build(struct dyn_case *c, unsigned char order, enum dyn_variant v,
		      const struct dsym *syms, size_t n)
{
	bool be = order == ELFDATA2MSB;
	struct eb *b = eb_new(order, ET_DYN, EM_X86_64);
	static char dynstr[1024];
	static uint8_t dynsym[24 * 32], versym[2 * 32], verdef[3 * 28];
	size_t slen = 1, vlen = 0;
	uint32_t dynstr_sec, dynsym_sec;
	size_t vnames[3];

	assert_true(n < 31);
	memset(dynstr, 0, sizeof(dynstr));
	memset(dynsym, 0, sizeof(dynsym));
	memset(versym, 0, sizeof(versym));
	memset(verdef, 0, sizeof(verdef));
	c->b = b;
	c->text = eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, code,
				 sizeof(code), 0, 0, 0, 16);
	eb_set_addr(b, c->text, 0x1000);
	vnames[0] = strtab_add(dynstr, &slen, "libt.so.1");
	vnames[1] = strtab_add(dynstr, &slen, "V1");
	vnames[2] = strtab_add(dynstr, &slen, "V2");
	for (size_t i = 0; i < n; i++) {
		uint8_t *e = dynsym + 24 * (i + 1);

		put(e, 4, strtab_add(dynstr, &slen, syms[i].name), be);
		e[4] = (uint8_t)(syms[i].bind << 4 | syms[i].type);
		put(e + 6, 2, syms[i].shndx_text ? c->text : 0, be);
		put(e + 8, 8, syms[i].value, be);
		put(e + 16, 8, 1, be);
		put(versym + 2 * (i + 1), 2, syms[i].versym, be);
	}
	/* Verdef: vd_version, vd_flags, vd_ndx, vd_cnt, vd_hash, vd_aux, vd_next; Verdaux follows */
	for (int i = 0; i < 3; i++) {
		uint8_t *d = verdef + 28 * i;

		put(d, 2, 1, be);
		put(d + 2, 2, i == 0 ? VER_FLG_BASE : 0, be);
		put(d + 4, 2, (uint64_t)i + 1, be);
		put(d + 6, 2, 1, be);
		put(d + 12, 4, 20, be);
		put(d + 16, 4, i < 2 ? 28 : 0, be);
		put(d + 20, 4, vnames[i], be);
	}
	vlen = sizeof(verdef);
	if (v == DYN_VERDEF_LOOP)
		put(verdef + 28 + 16, 4, 0, be);	/* V1 has no next */
	if (v == DYN_VERDEF_OUT)
		put(verdef + 56 + 12, 4, 1000, be);	/* V2's Verdaux outside */
	dynstr_sec = eb_add_section(b, ".dynstr", SHT_STRTAB, SHF_ALLOC, dynstr, slen, 0, 0, 0, 1);
	dynsym_sec = eb_add_section(b, ".dynsym", SHT_DYNSYM, SHF_ALLOC, dynsym, 24 * (n + 1),
				    dynstr_sec, 1, 24, 8);
	c->versym_sec = eb_add_section(b, ".gnu.version", SHT_GNU_versym, SHF_ALLOC, versym,
				       2 * (n + 1) - (v == DYN_SHORT_VERSYM ? 2 : 0), dynsym_sec,
				       0, 2, 2);
	c->verdef_sec = v == DYN_NO_VERDEF ? 0 :
			eb_add_section(b, ".gnu.version_d", SHT_GNU_verdef, SHF_ALLOC, verdef, vlen,
				       dynstr_sec, 3, 0, 8);
	eb_add_phdr(b, PT_LOAD, PF_R | PF_X, 0, 0, 0x40, 0x2000, 0x1000);
	eb_build(b, EB_SHDRS_LAST);
	c->text_off = eb_sec_off(b, c->text);
}

#define DOFF(c, v) ((v) - 0x1000 + (c)->text_off)

static const struct dsym dsyms[] = {
	{ "malloc", 0x1010, STB_GLOBAL, STT_FUNC, 1, 2 },
	/* cond: hidden V1 (compat) and default V2 at different addresses */
	{ "cond", 0x1020, STB_GLOBAL, STT_FUNC, 1, 0x8000 | 2 },
	{ "cond", 0x1030, STB_GLOBAL, STT_FUNC, 1, 3 },
	/* cpy: a FUNC compat V1 and an IFUNC default V2 (glibc's memcpy) */
	{ "cpy", 0x1040, STB_GLOBAL, STT_FUNC, 1, 0x8000 | 2 },
	{ "cpy", 0x1048, STB_GLOBAL, STT_GNU_IFUNC, 1, 3 },
	{ "base", 0x1050, STB_GLOBAL, STT_FUNC, 1, 1 },
	{ "imported", 0, STB_GLOBAL, STT_FUNC, 0, 0 },
	{ "last", 0x1060, STB_WEAK, STT_FUNC, 1, 3 },
};
#define NDSYMS (sizeof(dsyms) / sizeof(dsyms[0]))

static void test_dynsym_versions(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		struct dyn_case c;
		struct parsed p;
		struct bbpf_usym u;
		uint64_t off;

		dyn_build(&c, byte_orders[o], DYN_OK, dsyms, NDSYMS);
		parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
		assert_int_not_equal(p.elf.dynsym, 0);
		assert_int_equal(p.elf.symtab, 0);
		assert_int_equal(find(&p, "malloc", 0, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1010));
		assert_int_equal(bbpf_usym_find(&p.elf, "malloc", 0, &u), 0);
		assert_int_equal(u.table, p.elf.dynsym);
		/* @ and @@ both compare the version name only (libbpf) */
		assert_int_equal(find(&p, "malloc@@V1", 0, &off), 0);
		assert_int_equal(find(&p, "malloc@V1", 0, &off), 0);
		assert_int_equal(find(&p, "malloc@V2", 0, &off), -ENOENT);
		assert_int_equal(find(&p, "malloc@", 0, &off), -ENOENT);
		/* a plain name sees hidden versions too: ambiguous, as in libbpf */
		assert_int_equal(find(&p, "cond", 0, &off), -ENOTUNIQ);
		assert_int_equal(find(&p, "cond", BBPF_USYM_DEFAULT_VER, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1030));
		assert_int_equal(find(&p, "cond@@V2", 0, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1030));
		assert_int_equal(find(&p, "cond@V1", 0, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1020));
		/* IFUNC skipped: plain "cpy" is the FUNC compat symbol, "cpy@@V2" is absent */
		assert_int_equal(find(&p, "cpy", 0, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1040));
		assert_int_equal(find(&p, "cpy@@V2", 0, &off), -ENOENT);
		assert_int_equal(find(&p, "cpy@@V2", BBPF_USYM_IFUNC, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1048));
		assert_int_equal(find(&p, "cpy", BBPF_USYM_DEFAULT_VER, &off), 0);	/* compat only */
		assert_int_equal(off, DOFF(&c, 0x1040));
		assert_int_equal(find(&p, "cpy", BBPF_USYM_IFUNC, &off), -ENOTUNIQ);
		assert_int_equal(find(&p, "cpy", BBPF_USYM_IFUNC | BBPF_USYM_DEFAULT_VER, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1048));
		/* version index 1 is the base: its name is the soname */
		assert_int_equal(find(&p, "base@libt.so.1", 0, &off), 0);
		assert_int_equal(bbpf_usym_find(&p.elf, "imported", 0, &u), -ENOENT);
		assert_true(u.undef_seen);
		assert_int_equal(find(&p, "last@@V2", 0, &off), 0);
		assert_int_equal(off, DOFF(&c, 0x1060));
		parsed_free(&p);
		eb_free(c.b);
	}
}

/* Broken version sections make versioned lookups miss, never crash or read outside. */
static void test_dynsym_broken_versions(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		struct dyn_case c;
		struct parsed p;
		uint64_t off;

		dyn_build(&c, byte_orders[o], DYN_SHORT_VERSYM, dsyms, NDSYMS);
		parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
		/* the last symbol has no versym entry: libbpf skips it */
		assert_int_equal(find(&p, "last", 0, &off), -ENOENT);
		assert_int_equal(find(&p, "malloc@V1", 0, &off), 0);
		parsed_free(&p);
		eb_free(c.b);

		dyn_build(&c, byte_orders[o], DYN_NO_VERDEF, dsyms, NDSYMS);
		parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
		assert_int_equal(find(&p, "malloc", 0, &off), 0);
		assert_int_equal(find(&p, "malloc@V1", 0, &off), -ENOENT);
		parsed_free(&p);
		eb_free(c.b);

		dyn_build(&c, byte_orders[o], DYN_VERDEF_LOOP, dsyms, NDSYMS);
		parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
		assert_int_equal(find(&p, "cond@V1", 0, &off), 0);
		assert_int_equal(find(&p, "cond@@V2", 0, &off), -ENOENT);
		parsed_free(&p);
		eb_free(c.b);

		dyn_build(&c, byte_orders[o], DYN_VERDEF_OUT, dsyms, NDSYMS);
		parse_or_die(&p, eb_buf(c.b), eb_len(c.b));
		assert_int_equal(find(&p, "cond@@V2", 0, &off), -ENOENT);
		assert_int_equal(find(&p, "cond@V1", 0, &off), 0);
		parsed_free(&p);
		eb_free(c.b);
	}
}

/* Every prefix and every byte flip of a dynsym file: lookups stay in bounds. */
static void test_dynsym_mutations(void **state)
{
	struct dyn_case c;
	uint8_t *img;
	size_t len, parsed_ok = 0;

	(void)state;
	dyn_build(&c, ELFDATA2LSB, DYN_OK, dsyms, NDSYMS);
	len = eb_len(c.b);
	img = su_dup(eb_buf(c.b), len);
	for (size_t at = 0; at < len; at++) {
		for (int bit = 0; bit < 8; bit += 3) {
			struct bbpf_arena a;
			struct bbpf_diag d = { 0 };
			struct bbpf_elf elf;
			struct bbpf_usym u, q[3] = { { .name = "cond@V1" }, { .name = "cpy" },
						      { .name = "malloc@@V1" } };
			uint8_t *m = su_dup(img, len);

			m[at] ^= (uint8_t)(1u << bit);
			bbpf_arena_init(&a, &bbpf_alloc_libc, 1 << 20);
			if (bbpf_elf_parse(&elf, m, len, 0, &a, &d) == 0) {
				parsed_ok++;
				(void)bbpf_usym_find(&elf, "cond@@V2", BBPF_USYM_IFUNC, &u);
				(void)bbpf_usym_resolve(&elf, q, 3, 0, &a, NULL);
			}
			bbpf_arena_free(&a);
			free(m);
		}
	}
	assert_true(parsed_ok > len / 2);
	free(img);
	eb_free(c.b);
}

/* ---- glob and "+off" against references ---- */

/* libbpf's glob_match(), recursive, as the reference. */
static bool ref_glob(const char *str, const char *pat)
{
	while (*str && *pat && *pat != '*') {
		if (*pat != '?' && *str != *pat)
			return false;
		str++;
		pat++;
	}
	if (*pat == '*') {
		while (*pat == '*')
			pat++;
		if (!*pat)
			return true;
		while (*str) {
			if (ref_glob(str++, pat))
				return true;
		}
	}
	return !*str && !*pat;
}

static void test_glob_vs_reference(void **state)
{
	static const char alpha[] = "ab*?";
	unsigned int seed = 12345;
	char s[12], pat[10];
	size_t agree = 0;

	(void)state;
	for (int n = 0; n < 200000; n++) {
		size_t sl = (size_t)(rand_r(&seed) % 10), pl = (size_t)(rand_r(&seed) % 8);

		for (size_t i = 0; i < sl; i++)
			s[i] = "abc"[rand_r(&seed) % 3];
		s[sl] = 0;
		for (size_t i = 0; i < pl; i++)
			pat[i] = alpha[rand_r(&seed) % 4];
		pat[pl] = 0;
		if (bbpf_usym_glob_match(s, pat) != ref_glob(s, pat))
			fail_msg("glob(\"%s\", \"%s\") differs from libbpf's rule", s, pat);
		agree++;
	}
	assert_true(bbpf_usym_glob_match("", ""));
	assert_true(bbpf_usym_glob_match("", "***"));
	assert_false(bbpf_usym_glob_match("", "?"));
	assert_true(bbpf_usym_glob_match("malloc", "m*c"));
	assert_false(bbpf_usym_glob_match("malloc", "m*c?"));
	/* pathological: no exponential blow-up */
	{
		char big[4097], p2[64];

		memset(big, 'a', 4096);
		big[4096] = 0;
		for (int i = 0; i < 30; i++) {
			p2[2 * i] = '*';
			p2[2 * i + 1] = 'a';
		}
		p2[60] = 'b';
		p2[61] = 0;
		assert_false(bbpf_usym_glob_match(big, p2));
	}
	assert_int_equal(agree, 200000);
}

/* libbpf 1.8's attach_uprobe(): strrchr('+'), then sscanf("+%li%n") to the end. */
static void ref_split(const char *spec, size_t *name_len, int64_t *off)
{
	const char *plus = strrchr(spec, '+');
	long v = 0;
	int c = 0;

	*name_len = strlen(spec);
	*off = 0;
	if (plus && sscanf(plus, "+%li%n", &v, &c) == 1 && plus[c] == '\0') {
		*name_len = (size_t)(plus - spec);
		*off = v;
	}
}

static void test_split_off_vs_sscanf(void **state)
{
	static const char *const specs[] = {
		"func", "func+0", "func+8", "func+0x10", "func+010", "func+-4", "func+ 12",
		"func+12 ", "func+0x", "func+08", "func+0xg", "a+b+16", "a+16+b", "+16", "func+",
		"func++1", "func+1+2", "func+\t0x1f", "sym@@GLIBC_2.2.5+0x20", "f+0X1A",
		"f+-0x10", "f+9223372036854775807", "f+-9223372036854775808", "func+ -3",
	};
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		size_t n1, n2;
		int64_t o1, o2;

		bbpf_usym_split_off(specs[i], &n1, &o1);
		ref_split(specs[i], &n2, &o2);
		if (n1 != n2 || o1 != o2)
			fail_msg("'%s': got (%zu, %lld), sscanf says (%zu, %lld)", specs[i], n1,
				 (long long)o1, n2, (long long)o2);
		checked++;
	}
	assert_int_equal(checked, sizeof(specs) / sizeof(specs[0]));
	/* overflow: sscanf would saturate; here the whole string stays the name */
	{
		size_t n;
		int64_t o;

		bbpf_usym_split_off("f+99999999999999999999", &n, &o);
		assert_int_equal(n, strlen("f+99999999999999999999"));
		assert_int_equal(o, 0);
	}
}

/* ---- real binaries: readelf's tables and a model of libbpf 1.8's rules ---- */

struct rsym {
	char name[256];		/* as readelf prints it (dynsym: with @VER / @@VER) */
	uint64_t value;
	int ndx;		/* -1: UND, ABS, COM */
	char type[16], bind[16];
};

/*
 * head/next: the symbols chained by a hash of their base name (before any
 * @), each chain in table order, so the model visits only the symbols that
 * can match a name instead of the whole table for every name (libc: ~3000
 * names, each looked up twice).
 */
struct rtab {
	struct rsym *syms;
	size_t cnt, cap;
	size_t *head, *next, hmask;
};
#define RT_NONE ((size_t)-1)

struct relf {
	uint64_t sec_addr[4096], sec_off[4096];
	int nsec;
	struct rtab dyn, sym;
};

static void relf_free(struct relf *r)
{
	free(r->dyn.syms);
	free(r->sym.syms);
	free(r->dyn.head);
	free(r->dyn.next);
	free(r->sym.head);
	free(r->sym.next);
	free(r);
}

static size_t rhash(const char *s, size_t len)
{
	size_t h = 2166136261u;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static size_t rbase(const char *s);

static void rtab_index(struct rtab *t)
{
	size_t n = 16, i;

	while (n < 2 * t->cnt)
		n *= 2;
	t->hmask = n - 1;
	t->head = malloc(n * sizeof(*t->head));
	t->next = malloc((t->cnt ? t->cnt : 1) * sizeof(*t->next));
	assert_true(t->head && t->next);
	for (i = 0; i < n; i++)
		t->head[i] = RT_NONE;
	for (i = t->cnt; i-- > 0;) {	/* backwards: each chain in table order */
		size_t h = rhash(t->syms[i].name, rbase(t->syms[i].name)) & t->hmask;

		t->next[i] = t->head[h];
		t->head[h] = i;
	}
}

/* The first symbol whose base name may be q's first qb bytes (then follow next[]). */
static size_t rtab_first(const struct rtab *t, const char *q, size_t qb)
{
	return t->head[rhash(q, qb) & t->hmask];
}

static struct relf *relf_read(const char *path)
{
	struct relf *r = calloc(1, sizeof(*r));
	char cmd[600], *out, *line, *save = NULL;
	struct rtab *cur = NULL;

	assert_non_null(r);
	snprintf(cmd, sizeof(cmd), "readelf -W -S '%s'", path);
	out = proc_capture(cmd);
	if (!out || !strstr(out, "Section Headers"))
		fail_msg("readelf -S failed on %s", path);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long addr, off;
		char name[256], type[64];
		int nr;

		if (sscanf(line, " [%d] %255s %63s %llx %llx", &nr, name, type, &addr, &off) == 5 &&
		    nr > 0 && nr < 4096) {
			r->sec_addr[nr] = addr;
			r->sec_off[nr] = off;
			if (nr >= r->nsec)
				r->nsec = nr + 1;
		}
	}
	free(out);
	snprintf(cmd, sizeof(cmd), "readelf -W -s '%s'", path);
	out = proc_capture(cmd);
	assert_non_null(out);
	save = NULL;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct rsym s;
		char ndx[16];
		unsigned long long v;

		if (strstr(line, "Symbol table '.dynsym'")) {
			cur = &r->dyn;
			continue;
		}
		if (strstr(line, "Symbol table '.symtab'")) {
			cur = &r->sym;
			continue;
		}
		memset(&s, 0, sizeof(s));
		if (!cur || sscanf(line, " %*u: %llx %*s %15s %15s %*s %15s %255s", &v, s.type,
				   s.bind, ndx, s.name) != 5)
			continue;
		s.value = v;
		s.ndx = (ndx[0] >= '0' && ndx[0] <= '9') ? atoi(ndx) : -1;
		if (cur->cnt == cur->cap) {
			cur->cap = cur->cap ? 2 * cur->cap : 256;
			cur->syms = realloc(cur->syms, cur->cap * sizeof(s));
			assert_non_null(cur->syms);
		}
		cur->syms[cur->cnt++] = s;
	}
	free(out);
	rtab_index(&r->dyn);
	rtab_index(&r->sym);
	return r;
}

static size_t rbase(const char *s)
{
	const char *at = strchr(s, '@');

	return at ? (size_t)(at - s) : strlen(s);
}

/* The version readelf shows after @ or @@ (NULL if none); *hidden for a single @. */
static const char *rver(const char *s, bool *hidden)
{
	const char *at = strchr(s, '@');

	*hidden = false;
	if (!at)
		return NULL;
	if (at[1] == '@')
		return at + 2;
	*hidden = true;
	return at + 1;
}

static bool rtype_ok(const char *type, unsigned int flags)
{
	if (!strcmp(type, "FUNC"))
		return !(flags & BBPF_USYM_NO_FUNC);
	if (!strcmp(type, "IFUNC"))
		return flags & BBPF_USYM_IFUNC;
	if (!strcmp(type, "OBJECT"))
		return flags & BBPF_USYM_OBJECT;
	return false;
}

/*
 * libbpf 1.8's elf_find_func_offset() on readelf's tables: .dynsym, then
 * .symtab only if nothing non-zero was found; the weak/non-weak rule.
 */
static int model_find1(const struct relf *r, const char *q, unsigned int flags, uint64_t *off);

/* BBPF_USYM_DEFAULT_VER: a plain name without a default version falls back to libbpf's rule. */
static int model_find(const struct relf *r, const char *q, unsigned int flags, uint64_t *off)
{
	int rc = model_find1(r, q, flags, off);

	if (rc == -ENOENT && (flags & BBPF_USYM_DEFAULT_VER) && !strchr(q, '@'))
		rc = model_find1(r, q, flags & ~(unsigned int)BBPF_USYM_DEFAULT_VER, off);
	return rc;
}

static int model_find1(const struct relf *r, const char *q, unsigned int flags, uint64_t *off)
{
	const struct rtab *tabs[2] = { &r->dyn, &r->sym };
	size_t qb = rbase(q);
	bool qhidden;
	const char *qv = rver(q, &qhidden);

	for (int t = 0; t < 2; t++) {
		uint64_t ret = 0;
		bool last_weak = false;

		/* only the symbols of q's hash chain: the others have another base name */
		for (size_t i = rtab_first(tabs[t], q, qb); i != RT_NONE; i = tabs[t]->next[i]) {
			const struct rsym *s = &tabs[t]->syms[i];
			bool weak = !strcmp(s->bind, "WEAK"), hidden;
			const char *sv = rver(s->name, &hidden);
			uint64_t o;

			if (!rtype_ok(s->type, flags) || s->ndx < 0 || s->ndx >= r->nsec)
				continue;
			if (rbase(s->name) != qb || strncmp(s->name, q, qb) != 0)
				continue;
			if (qv && t == 0 && (!sv || strcmp(sv, qv) != 0))
				continue;
			if (qv && t == 1 && strcmp(s->name, q) != 0)
				continue;
			if (!qv && (flags & BBPF_USYM_DEFAULT_VER) && sv && hidden)
				continue;
			o = s->value - r->sec_addr[s->ndx] + r->sec_off[s->ndx];
			if (ret) {
				if (o == ret)
					continue;
				if (!last_weak && !weak)
					return -ENOTUNIQ;
				if (weak)
					continue;
			}
			ret = o;
			last_weak = weak;
		}
		if (ret) {
			*off = ret;
			return 0;
		}
	}
	return -ENOENT;
}

/* Distinct base names of wanted-type defined symbols, each once. */
static char **distinct_names(const struct relf *r, unsigned int flags, size_t *n)
{
	const struct rtab *tabs[2] = { &r->dyn, &r->sym };
	size_t cnt = 0, hn = 16, *set;	/* set: open addressing over names[], RT_NONE empty */
	char **names;

	while (hn < 2 * (r->dyn.cnt + r->sym.cnt))
		hn *= 2;
	set = malloc(hn * sizeof(*set));
	names = malloc((r->dyn.cnt + r->sym.cnt + 1) * sizeof(*names));
	assert_true(set && names);
	for (size_t k = 0; k < hn; k++)
		set[k] = RT_NONE;
	for (int t = 0; t < 2; t++) {
		for (size_t i = 0; i < tabs[t]->cnt; i++) {
			const struct rsym *s = &tabs[t]->syms[i];
			size_t b = rbase(s->name), h;

			if (!rtype_ok(s->type, flags) || s->ndx < 0 || !b)
				continue;
			for (h = rhash(s->name, b) & (hn - 1); set[h] != RT_NONE; h = (h + 1) & (hn - 1))
				if (strlen(names[set[h]]) == b && !strncmp(names[set[h]], s->name, b))
					break;
			if (set[h] != RT_NONE)
				continue;	/* seen: each name once, in the order first met */
			names[cnt] = strndup(s->name, b);
			assert_non_null(names[cnt]);
			set[h] = cnt++;
		}
	}
	free(set);
	*n = cnt;
	return names;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Every distinct function name: one batch of all names the model resolves
 * uniquely (each offset checked), then every name alone (offset or error
 * checked). Returns the number of names checked.
 */
static size_t check_all_names(const char *path, unsigned int flags, size_t single_every)
{
	struct relf *r = relf_read(path);
	struct parsed p;
	struct bbpf_arena scratch;
	struct bbpf_usym *q;
	size_t n, nq = 0, bad = 0, checked = 0;
	char **names = distinct_names(r, flags, &n);
	uint64_t *want;
	double t0, t1;

	parse_file(&p, path);
	q = calloc(n ? n : 1, sizeof(*q));
	want = calloc(n ? n : 1, sizeof(*want));
	assert_true(q && want);
	for (size_t i = 0; i < n; i++) {
		uint64_t off;

		if (model_find(r, names[i], flags, &off) == 0) {
			q[nq].name = names[i];
			want[nq++] = off;
		}
	}
	bbpf_arena_init(&scratch, &bbpf_alloc_libc, 64 << 20);
	t0 = now();
	assert_int_equal(bbpf_usym_resolve(&p.elf, q, nq, flags, &scratch, &bad), 0);
	t1 = now();
	for (size_t i = 0; i < nq; i++) {
		if (q[i].off != want[i])
			fail_msg("%s: %s at %#llx, readelf says %#llx", path, q[i].name,
				 (unsigned long long)q[i].off, (unsigned long long)want[i]);
		checked++;
	}
	printf("  %s: %zu names, %zu resolvable, one batch %.2f ms\n", path, n, nq,
	       (t1 - t0) * 1e3);
	for (size_t i = 0; i < n; i += single_every) {
		uint64_t off = 0, mo = 0;
		int rc = find(&p, names[i], flags, &off), mrc = model_find(r, names[i], flags, &mo);

		if (rc != mrc || off != (mrc ? 0 : mo))
			fail_msg("%s: %s: rc %d off %#llx, model rc %d off %#llx", path, names[i], rc,
				 (unsigned long long)off, mrc, (unsigned long long)mo);
		checked++;
	}
	bbpf_arena_free(&scratch);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(q);
	free(want);
	parsed_free(&p);
	relf_free(r);
	return checked;
}

/* ---- programs compiled here ---- */

static char tmpdir[64];

static const char prog_c[] =
	"#include <stdio.h>\n"
	"__attribute__((noinline)) int g_func(int x) { return x * 3; }\n"
	"__attribute__((noinline)) static int s_func(int x) { return x + 7; }\n"
	"__attribute__((noinline, weak)) int w_func(int x) { return x - 1; }\n"
	"int alias_func(int) __attribute__((alias(\"g_func\")));\n"
	"static int ifn_impl(int x) { return x + 11; }\n"
	"static void *ifn_resolver(void) { return (void *)ifn_impl; }\n"
	"int ifn(int) __attribute__((ifunc(\"ifn_resolver\")));\n"
	"int other_cu(int);\n"
	"int main(int argc, char **argv) { (void)argv; puts(\"\");\n"
	"  return g_func(argc) + s_func(argc) + w_func(argc) + alias_func(1) + ifn(2) + other_cu(3); }\n"
	"__attribute__((noinline, used)) static int helper(int x) { return x ^ 5; }\n"
	"int (*keep_helper)(int) = helper;\n";

static const char prog2_c[] =
	"__attribute__((noinline, used)) static int helper(int x) { return x * 9; }\n"
	"int other_cu(int x) { return helper(x); }\n";

static const char lib_c[] =
	"int vf_1(int x) { return x + 1; }\n"
	"int vf_2(int x) { return x + 2; }\n"
	"__asm__(\".symver vf_1,vf@VERS_1\");\n"
	"__asm__(\".symver vf_2,vf@@VERS_2\");\n"
	"int plain(int x) { return x * 2; }\n"
	"__attribute__((weak)) int weak_one(int x) { return x; }\n"
	"static int lib_ifn_impl(int x) { return x + 3; }\n"
	"static void *lib_ifn_resolver(void) { return (void *)lib_ifn_impl; }\n"
	"int lib_ifn(int) __attribute__((ifunc(\"lib_ifn_resolver\")));\n"
	"int data_obj = 5;\n";

static const char lib_map[] =
	"VERS_1 { global: vf; plain; weak_one; lib_ifn; data_obj; local: *; };\n"
	"VERS_2 { global: vf; } VERS_1;\n";

static void write_file(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_int_equal(su_write_file(path, text, strlen(text)), 0);
}

static void run_or_fail(const char *cmd)
{
	char full[1024];

	snprintf(full, sizeof(full), "cd '%s' && %s", tmpdir, cmd);
	if (system(full) != 0)
		fail_msg("failed: %s", full);
}

static int setup_bins(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_elf_sym_%d", (int)getpid());
	if (mkdir(tmpdir, 0700) != 0)
		return -1;
	write_file("prog.c", prog_c);
	write_file("prog2.c", prog2_c);
	write_file("lib.c", lib_c);
	write_file("lib.map", lib_map);
	run_or_fail("cc -O1 -fno-pie -no-pie prog.c prog2.c -o nopie");
	run_or_fail("cc -O1 -fpie -pie -rdynamic prog.c prog2.c -o pie");
	run_or_fail("cc -O1 -fPIC -shared -Wl,--version-script=lib.map -Wl,-soname,libv.so.1 "
		    "lib.c -o libv.so.1");
	run_or_fail("cp libv.so.1 libv_stripped.so.1 && strip --strip-all libv_stripped.so.1");
	return 0;
}

static int teardown_bins(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void bin_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
}

/* Offset by readelf: value - sh_addr + sh_offset of the symbol's section. */
static uint64_t readelf_off(const struct relf *r, const char *name, bool dyn)
{
	const struct rtab *t = dyn ? &r->dyn : &r->sym;

	for (size_t i = 0; i < t->cnt; i++) {
		if (!strcmp(t->syms[i].name, name) && t->syms[i].ndx > 0)
			return t->syms[i].value - r->sec_addr[t->syms[i].ndx] +
			       r->sec_off[t->syms[i].ndx];
	}
	fail_msg("readelf lists no %s", name);
	return 0;
}

static void test_compiled_nopie(void **state)
{
	char path[128];
	struct relf *r;
	struct parsed p;
	uint64_t off;

	(void)state;
	bin_path(path, sizeof(path), "nopie");
	r = relf_read(path);
	parse_file(&p, path);
	assert_int_equal(p.elf.type, ET_EXEC);
	/* a non-PIE executable: section addresses differ from file offsets */
	assert_int_equal(find(&p, "g_func", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "g_func", false));
	for (size_t i = 0; i < r->sym.cnt; i++) {
		if (!strcmp(r->sym.syms[i].name, "g_func"))
			assert_true(r->sym.syms[i].value >= 0x400000 && off < 0x400000);
	}
	assert_int_equal(find(&p, "s_func", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "s_func", false));
	assert_int_equal(find(&p, "w_func", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "w_func", false));
	/* an alias has the same offset */
	assert_int_equal(find(&p, "alias_func", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "g_func", false));
	/* IFUNC: only on request */
	assert_int_equal(find(&p, "ifn", 0, &off), -ENOENT);
	assert_int_equal(find(&p, "ifn", BBPF_USYM_IFUNC, &off), 0);
	assert_int_equal(off, readelf_off(r, "ifn", false));
	/* two static "helper" from two CUs: ambiguous, as in libbpf */
	assert_int_equal(find(&p, "helper", 0, &off), -ENOTUNIQ);
	/* puts is only an undefined reference here */
	{
		struct bbpf_usym u;

		assert_int_equal(bbpf_usym_find(&p.elf, "puts", 0, &u), -ENOENT);
		assert_true(u.undef_seen);
	}
	parsed_free(&p);
	relf_free(r);
	assert_true(check_all_names(path, 0, 1) > 5);
	assert_true(check_all_names(path, BBPF_USYM_IFUNC | BBPF_USYM_OBJECT, 1) > 5);
}

static void test_compiled_pie(void **state)
{
	char path[128];
	struct relf *r;
	struct parsed p;
	struct bbpf_usym u;

	(void)state;
	bin_path(path, sizeof(path), "pie");
	r = relf_read(path);
	parse_file(&p, path);
	assert_int_equal(p.elf.type, ET_DYN);
	/* -rdynamic: g_func is in .dynsym, which wins */
	assert_int_equal(bbpf_usym_find(&p.elf, "g_func", 0, &u), 0);
	assert_int_equal(u.table, p.elf.dynsym);
	assert_int_equal(u.off, readelf_off(r, "g_func", true));
	/* static: only .symtab has it */
	assert_int_equal(bbpf_usym_find(&p.elf, "s_func", 0, &u), 0);
	assert_int_equal(u.table, p.elf.symtab);
	assert_int_equal(u.off, readelf_off(r, "s_func", false));
	parsed_free(&p);
	relf_free(r);
	assert_true(check_all_names(path, 0, 1) > 5);
	assert_true(check_all_names(path, BBPF_USYM_IFUNC | BBPF_USYM_DEFAULT_VER, 1) > 5);
}

static void check_lib(const char *name, bool stripped)
{
	char path[128];
	struct relf *r;
	struct parsed p;
	uint64_t off, v1, v2;

	bin_path(path, sizeof(path), name);
	r = relf_read(path);
	parse_file(&p, path);
	assert_int_equal(p.elf.type, ET_DYN);
	assert_int_equal(p.elf.symtab == 0, stripped);
	v1 = readelf_off(r, "vf@VERS_1", true);
	v2 = readelf_off(r, "vf@@VERS_2", true);
	assert_int_not_equal(v1, v2);
	assert_int_equal(find(&p, "vf@VERS_1", 0, &off), 0);
	assert_int_equal(off, v1);
	assert_int_equal(find(&p, "vf@@VERS_1", 0, &off), 0);	/* libbpf: @ or @@ alike */
	assert_int_equal(off, v1);
	assert_int_equal(find(&p, "vf@@VERS_2", 0, &off), 0);
	assert_int_equal(off, v2);
	assert_int_equal(find(&p, "vf", 0, &off), -ENOTUNIQ);
	assert_int_equal(find(&p, "vf", BBPF_USYM_DEFAULT_VER, &off), 0);
	assert_int_equal(off, v2);
	assert_int_equal(find(&p, "vf@VERS_3", 0, &off), -ENOENT);
	assert_int_equal(find(&p, "plain", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "plain@@VERS_1", true));
	assert_int_equal(find(&p, "plain@@VERS_1", 0, &off), 0);
	assert_int_equal(find(&p, "weak_one", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "weak_one@@VERS_1", true));
	assert_int_equal(find(&p, "lib_ifn", 0, &off), -ENOENT);
	assert_int_equal(find(&p, "lib_ifn", BBPF_USYM_IFUNC, &off), 0);
	assert_int_equal(off, readelf_off(r, "lib_ifn@@VERS_1", true));
	assert_int_equal(find(&p, "data_obj", BBPF_USYM_OBJECT, &off), 0);
	assert_int_equal(off, readelf_off(r, "data_obj@@VERS_1", true));
	/* hidden by the version script: only .symtab still has them */
	assert_int_equal(find(&p, "vf_1", 0, &off), stripped ? -ENOENT : 0);
	parsed_free(&p);
	relf_free(r);
	assert_true(check_all_names(path, 0, 1) >= 3);
	assert_true(check_all_names(path, BBPF_USYM_IFUNC | BBPF_USYM_OBJECT, 1) >= 5);
	assert_true(check_all_names(path, BBPF_USYM_DEFAULT_VER, 1) >= 3);
}

static void test_compiled_lib(void **state)
{
	(void)state;
	check_lib("libv.so.1", false);
	check_lib("libv_stripped.so.1", true);
}

/* ---- Debian's libc.so.6 ---- */

static void test_libc(void **state)
{
	struct relf *r = relf_read(LIBC);
	struct parsed p;
	uint64_t off, want;
	struct bbpf_usym u;
	double t0, t1;
	size_t n;

	(void)state;
	parse_file(&p, LIBC);
	assert_int_equal(p.elf.symtab, 0);	/* stripped: .dynsym only */
	want = readelf_off(r, "malloc@@GLIBC_2.2.5", true);
	assert_int_equal(find(&p, "malloc", 0, &off), 0);
	assert_int_equal(off, want);
	assert_int_equal(find(&p, "malloc@@GLIBC_2.2.5", 0, &off), 0);
	assert_int_equal(off, want);
	assert_int_equal(find(&p, "malloc@GLIBC_2.2.5", 0, &off), 0);
	assert_int_equal(off, want);
	assert_int_equal(find(&p, "malloc@GLIBC_2.3", 0, &off), -ENOENT);
	/* memcpy: @@GLIBC_2.14 is an IFUNC, @GLIBC_2.2.5 a plain FUNC */
	assert_int_equal(find(&p, "memcpy", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "memcpy@GLIBC_2.2.5", true));
	assert_int_equal(find(&p, "memcpy@@GLIBC_2.14", 0, &off), -ENOENT);
	assert_int_equal(find(&p, "memcpy@@GLIBC_2.14", BBPF_USYM_IFUNC, &off), 0);
	assert_int_equal(off, readelf_off(r, "memcpy@@GLIBC_2.14", true));
	assert_int_equal(bbpf_usym_find(&p.elf, "memcpy@@GLIBC_2.14", BBPF_USYM_IFUNC, &u), 0);
	assert_int_equal(u.type, STT_GNU_IFUNC);
	assert_int_equal(find(&p, "memcpy", BBPF_USYM_DEFAULT_VER, &off), 0);	/* compat only */
	assert_int_equal(off, readelf_off(r, "memcpy@GLIBC_2.2.5", true));
	assert_int_equal(find(&p, "memcpy", BBPF_USYM_IFUNC, &off), -ENOTUNIQ);
	assert_int_equal(find(&p, "memcpy", BBPF_USYM_IFUNC | BBPF_USYM_DEFAULT_VER, &off), 0);
	assert_int_equal(off, readelf_off(r, "memcpy@@GLIBC_2.14", true));
	/* two versions of pthread_cond_wait at different addresses */
	assert_int_equal(find(&p, "pthread_cond_wait", 0, &off), -ENOTUNIQ);
	assert_int_equal(find(&p, "pthread_cond_wait@@GLIBC_2.3.2", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "pthread_cond_wait@@GLIBC_2.3.2", true));
	assert_int_equal(find(&p, "pthread_cond_wait@GLIBC_2.2.5", 0, &off), 0);
	assert_int_equal(off, readelf_off(r, "pthread_cond_wait@GLIBC_2.2.5", true));
	assert_int_equal(find(&p, "pthread_cond_wait", BBPF_USYM_DEFAULT_VER, &off), 0);
	assert_int_equal(off, readelf_off(r, "pthread_cond_wait@@GLIBC_2.3.2", true));
	/* patterns: .dynsym, since there is no .symtab */
	{
		struct bbpf_usym *hits;

		assert_int_equal(bbpf_usym_glob(&p.elf, "mallo?", 0, &p.arena, &hits, &n), 0);
		assert_int_equal(n, 1);
		assert_int_equal(hits[0].off, want);
		assert_int_equal(bbpf_usym_glob(&p.elf, "pthread_cond_wai*", 0, &p.arena, &hits, &n),
				 0);
		assert_int_equal(n, 2);
	}
	/* the time of N single lookups vs one batch, for the report */
	t0 = now();
	for (int i = 0; i < 50; i++)
		assert_int_equal(find(&p, "malloc", 0, &off), 0);
	t1 = now();
	printf("  libc: one name %.3f ms\n", (t1 - t0) * 1e3 / 50);
	parsed_free(&p);
	relf_free(r);
	n = check_all_names(LIBC, 0, 7);
	assert_true(n > 2000);
	n = check_all_names(LIBC, BBPF_USYM_IFUNC | BBPF_USYM_DEFAULT_VER, 13);
	assert_true(n > 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symtab_rules),
		cmocka_unit_test(test_symtab_batch),
		cmocka_unit_test(test_symtab_glob),
		cmocka_unit_test(test_dynsym_versions),
		cmocka_unit_test(test_dynsym_broken_versions),
		cmocka_unit_test(test_dynsym_mutations),
		cmocka_unit_test(test_glob_vs_reference),
		cmocka_unit_test(test_split_off_vs_sscanf),
		cmocka_unit_test(test_compiled_nopie),
		cmocka_unit_test(test_compiled_pie),
		cmocka_unit_test(test_compiled_lib),
		cmocka_unit_test(test_libc),
	};

	return cmocka_run_group_tests(tests, setup_bins, teardown_bins);
}
