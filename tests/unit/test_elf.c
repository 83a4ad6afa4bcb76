/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/parse/elf.c: valid objects in both byte orders and both section table
 * placements, one test per rejection reason (each run on all four
 * variants), truncation and byte-flip sweeps, allocation failure. Real
 * clang BPF objects and host binaries against readelf(1):
 * tests/diff/test_elf_host.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "parse/elf.h"
#include "base/arena.h"
#include "elf_builder.h"
#include "fail_alloc.h"
#include "elf_parse_util.h"
#include <barebpf/object.h>

static const unsigned char byte_orders[] = { ELFDATA2LSB, ELFDATA2MSB };
static const enum eb_layout layouts[] = { EB_SHDRS_LAST, EB_SHDRS_FIRST };

/* ---- helpers ---- */

static bool elf_untouched(const struct bbpf_elf *elf)
{
	const uint8_t *b = (const uint8_t *)elf;

	for (size_t i = 0; i < sizeof(*elf); i++) {
		if (b[i] != 0xa5)
			return false;
	}
	return true;
}

/* ---- the basic BPF object every case starts from ---- */

struct basic {
	uint32_t text, data, bss, license;
	uint32_t sec_sym, prog, var, abs, common, ext;
};

#define BASIC_SYM_CNT 7		/* null + 6 */

static const uint8_t insns[32] = {
	0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* ld_imm64 r1, 0 */
	0xb7, 0x00, 0, 0, 0, 0, 0, 0,				/* r0 = 0 */
	0x95, 0, 0, 0, 0, 0, 0, 0,				/* exit */
};

static struct eb *basic_new(unsigned char ei_data, struct basic *id)
{
	struct eb *b = eb_new(ei_data, ET_REL, EM_BPF);

	id->text = eb_add_section(b, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, insns,
				  sizeof(insns), 0, 0, 0, 8);
	id->data = eb_add_section(b, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
				  "\1\2\3\4\5\6\7\10", 8, 0, 0, 0, 8);
	id->bss = eb_add_section(b, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, NULL, 64,
				 0, 0, 0, 8);
	id->license = eb_add_section(b, "license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
				     "GPL", 4, 0, 0, 0, 1);
	id->sec_sym = eb_add_sym(b, NULL, 0, 0, (uint16_t)id->text, STB_LOCAL, STT_SECTION);
	id->prog = eb_add_sym(b, "prog", 0, sizeof(insns), (uint16_t)id->text, STB_GLOBAL,
			      STT_FUNC);
	id->var = eb_add_sym(b, "var", 4, 4, (uint16_t)id->data, STB_GLOBAL, STT_OBJECT);
	id->abs = eb_add_sym(b, "abs", 0x1234, 0, SHN_ABS, STB_GLOBAL, STT_NOTYPE);
	id->common = eb_add_sym(b, "common", 8, 8, SHN_COMMON, STB_GLOBAL, STT_OBJECT);
	id->ext = eb_add_sym(b, "ext", 0, 0, SHN_UNDEF, STB_GLOBAL, STT_NOTYPE);
	eb_add_rel(b, id->text, 0, id->var, R_BPF_64_64);
	eb_add_rel(b, id->text, 16, id->sec_sym, R_BPF_64_32);
	return b;
}

static void check_basic(const struct bbpf_elf *e, const struct eb *b, const struct basic *id,
			bool big)
{
	uint32_t symtab = eb_symtab_idx(b), rel = eb_rel_idx(b, id->text);
	const struct bbpf_elf_shdr *s;
	struct bbpf_elf_sym sym;
	struct bbpf_elf_rel r;

	assert_int_equal(e->big_endian, big);
	assert_int_equal(e->swap, big == (*(const uint8_t *)&(uint16_t){ 1 } == 1));
	assert_int_equal(e->type, ET_REL);
	assert_int_equal(e->machine, EM_BPF);
	assert_int_equal(e->shnum, eb_shnum(b));
	assert_int_equal(e->phnum, 0);
	assert_int_equal(e->symtab, symtab);
	assert_int_equal(e->dynsym, 0);
	assert_int_equal(e->shstrndx, eb_strtab_idx(b));

	assert_int_equal(bbpf_elf_find_sec(e, "xdp"), id->text);
	assert_int_equal(bbpf_elf_find_sec(e, ".rel" "xdp"), rel);
	assert_int_equal(bbpf_elf_find_sec(e, "nope"), 0);
	s = bbpf_elf_shdr(e, id->text);
	assert_string_equal(s->name, "xdp");
	assert_int_equal(s->type, SHT_PROGBITS);
	assert_int_equal(s->flags, SHF_ALLOC | SHF_EXECINSTR);
	assert_int_equal(s->size, sizeof(insns));
	assert_int_equal(s->addralign, 8);
	assert_memory_equal(bbpf_elf_sec_data(e, id->text), insns, sizeof(insns));
	assert_string_equal((const char *)bbpf_elf_sec_data(e, id->license), "GPL");
	assert_null(bbpf_elf_sec_data(e, id->bss));
	assert_int_equal(bbpf_elf_shdr(e, id->bss)->size, 64);

	assert_int_equal(bbpf_elf_sym_cnt(e, symtab), BASIC_SYM_CNT);
	assert_int_equal(bbpf_elf_sym(e, symtab, id->prog, &sym), 0);
	assert_string_equal(sym.name, "prog");
	assert_int_equal(sym.size, sizeof(insns));
	assert_int_equal(sym.shndx, id->text);
	assert_int_equal(sym.bind, STB_GLOBAL);
	assert_int_equal(sym.type, STT_FUNC);
	assert_int_equal(sym.visibility, STV_DEFAULT);
	assert_int_equal(bbpf_elf_sym(e, symtab, id->abs, &sym), 0);
	assert_int_equal(sym.value, 0x1234);
	assert_int_equal(sym.shndx, SHN_ABS);
	assert_int_equal(bbpf_elf_sym(e, symtab, id->sec_sym, &sym), 0);
	assert_string_equal(sym.name, "");
	assert_int_equal(sym.type, STT_SECTION);

	assert_int_equal(bbpf_elf_rel_cnt(e, rel), 2);
	assert_int_equal(bbpf_elf_rel(e, rel, 1, &r), 0);
	assert_int_equal(r.off, 16);
	assert_int_equal(r.sym, id->sec_sym);
	assert_int_equal(r.type, R_BPF_64_32);
	assert_int_equal(r.addend, 0);
	s = bbpf_elf_shdr(e, rel);
	assert_int_equal(s->link, symtab);
	assert_int_equal(s->info, id->text);
	ep_walk_all(e);
}

static void test_valid_all_variants(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		for (size_t l = 0; l < 2; l++) {
			struct basic id;
			struct eb *b = basic_new(byte_orders[o], &id);
			struct ep_parsed p;

			eb_build(b, layouts[l]);
			assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), 0);
			assert_int_equal(p.diag.why, BBPF_BAD_NONE);
			check_basic(&p.elf, b, &id, byte_orders[o] == ELFDATA2MSB);
			ep_parsed_free(&p);
			/* The same file is fine as a generic ELF, and with EM_NONE (old LLVM). */
			assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), 0), 0);
			ep_parsed_free(&p);
			EB_EHDR_SET(b, e_machine, EM_NONE);
			assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), 0);
			ep_parsed_free(&p);
			eb_free(b);
		}
	}
}

static void test_rela(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		struct basic id;
		struct eb *b = basic_new(byte_orders[o], &id);
		struct bbpf_elf_rel r;
		struct ep_parsed p;
		uint32_t rela;

		eb_add_rela(b, id.data, 8, id.prog, 1, -12345678901LL);
		eb_build(b, EB_SHDRS_LAST);
		rela = eb_rela_idx(b, id.data);
		assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), 0);
		assert_int_equal(bbpf_elf_find_sec(&p.elf, ".rela.data"), rela);
		assert_int_equal(bbpf_elf_rel_cnt(&p.elf, rela), 1);
		assert_int_equal(bbpf_elf_rel(&p.elf, rela, 0, &r), 0);
		assert_int_equal(r.off, 8);
		assert_int_equal(r.sym, id.prog);
		assert_int_equal(r.type, 1);
		assert_true(r.addend == -12345678901LL);
		ep_parsed_free(&p);
		eb_free(b);
	}
}

/* NOBITS sections occupy no file bytes: their sh_offset is not checked. */
static void test_nobits_offset_unchecked(void **state)
{
	struct basic id;
	struct eb *b = basic_new(ELFDATA2LSB, &id);
	struct ep_parsed p;

	(void)state;
	eb_build(b, EB_SHDRS_LAST);
	EB_SHDR_SET(b, id.bss, sh_offset, UINT64_MAX - 3);
	EB_SHDR_SET(b, id.bss, sh_size, UINT64_MAX);
	assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), 0);
	assert_null(bbpf_elf_sec_data(&p.elf, id.bss));
	ep_parsed_free(&p);
	eb_free(b);
}

/* A header without sections (shnum = shoff = shstrndx = 0) is a valid, empty file. */
static void test_no_sections(void **state)
{
	struct basic id;
	struct eb *b = basic_new(ELFDATA2MSB, &id);
	struct ep_parsed p;

	(void)state;
	eb_build(b, EB_SHDRS_FIRST);
	EB_EHDR_SET(b, e_shnum, 0);
	EB_EHDR_SET(b, e_shoff, 0);
	EB_EHDR_SET(b, e_shstrndx, 0);
	assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), 0);
	assert_int_equal(p.elf.shnum, 0);
	assert_null(bbpf_elf_shdr(&p.elf, 0));
	assert_int_equal(bbpf_elf_find_sec(&p.elf, ""), 0);
	assert_int_equal(bbpf_elf_sym_cnt(&p.elf, 0), 0);
	ep_parsed_free(&p);
	eb_free(b);
}

/* Exactly BBPF_MAX_SYMBOLS is accepted; one more is -E2BIG. */
static void test_symbol_limit(void **state)
{
	(void)state;
	for (uint64_t extra = 0; extra < 2; extra++) {
		uint64_t size = (BBPF_MAX_SYMBOLS + extra) * sizeof(Elf64_Sym);
		struct basic id;
		struct eb *b = basic_new(ELFDATA2LSB, &id);
		uint32_t pad = eb_add_section(b, "pad", SHT_PROGBITS, 0, NULL, size, 0, 0, 0, 8);
		struct ep_parsed p;

		eb_build(b, EB_SHDRS_LAST);
		EB_SHDR_SET(b, eb_symtab_idx(b), sh_offset, eb_sec_off(b, pad));
		EB_SHDR_SET(b, eb_symtab_idx(b), sh_size, size);
		assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), 0), extra ? -E2BIG : 0);
		assert_int_equal(p.diag.why, extra ? BBPF_BAD_ELF_LIMIT : BBPF_BAD_NONE);
		if (!extra)
			assert_int_equal(bbpf_elf_sym_cnt(&p.elf, p.elf.symtab), BBPF_MAX_SYMBOLS);
		ep_parsed_free(&p);
		eb_free(b);
	}
}

/* ---- rejections: one case per reason, each run on all four variants ---- */

#define MUT(fn)									\
	static void fn(struct eb *b __attribute__((unused)),			\
		       enum eb_layout lay __attribute__((unused)),		\
		       const struct basic *id __attribute__((unused)),		\
		       uint64_t *len __attribute__((unused)))

static uint64_t strtab_size(const struct eb *b)
{
	return eb_get(b, eb_shdr_off(b, eb_strtab_idx(b)) + offsetof(Elf64_Shdr, sh_size), 8);
}

MUT(mut_empty) { *len = 0; }
MUT(mut_short_magic) { *len = 3; }
MUT(mut_trunc_ident) { *len = 10; }
MUT(mut_trunc_header) { *len = sizeof(Elf64_Ehdr) - 1; }
MUT(mut_magic) { eb_put(b, 1, 1, 'X'); }
MUT(mut_class) { eb_put(b, EI_CLASS, 1, ELFCLASS32); }
MUT(mut_data) { eb_put(b, EI_DATA, 1, ELFDATANONE); }
MUT(mut_ident_version) { eb_put(b, EI_VERSION, 1, 0); }
MUT(mut_version) { EB_EHDR_SET(b, e_version, 2); }
MUT(mut_ehsize) { EB_EHDR_SET(b, e_ehsize, 52); }
MUT(mut_type_exec) { EB_EHDR_SET(b, e_type, ET_EXEC); }
MUT(mut_type_core) { EB_EHDR_SET(b, e_type, ET_CORE); }
MUT(mut_machine) { EB_EHDR_SET(b, e_machine, EM_X86_64); }
MUT(mut_shentsize) { EB_EHDR_SET(b, e_shentsize, sizeof(Elf64_Shdr) - 1); }
MUT(mut_shoff_past) { EB_EHDR_SET(b, e_shoff, *len); }
MUT(mut_shoff_tail) { EB_EHDR_SET(b, e_shoff, *len - sizeof(Elf64_Shdr)); }
MUT(mut_shoff_overflow) { EB_EHDR_SET(b, e_shoff, UINT64_MAX - 63); }
MUT(mut_shnum_limit) { EB_EHDR_SET(b, e_shnum, BBPF_MAX_SECTIONS + 1); }
MUT(mut_ext_shnum) { EB_EHDR_SET(b, e_shnum, 0); }
MUT(mut_ext_shstrndx) { EB_EHDR_SET(b, e_shstrndx, SHN_XINDEX); }
MUT(mut_ext_phnum) { EB_EHDR_SET(b, e_phnum, PN_XNUM); }
MUT(mut_shstrndx_range) { EB_EHDR_SET(b, e_shstrndx, eb_shnum(b)); }
MUT(mut_shstrndx_type) { EB_EHDR_SET(b, e_shstrndx, id->text); }
MUT(mut_shstrndx_none) { EB_EHDR_SET(b, e_shstrndx, SHN_UNDEF); }
MUT(mut_sec0_type) { EB_SHDR_SET(b, 0, sh_type, SHT_PROGBITS); }
MUT(mut_name_range) { EB_SHDR_SET(b, id->data, sh_name, strtab_size(b)); }
MUT(mut_sec_past) { EB_SHDR_SET(b, id->text, sh_offset, *len); }
MUT(mut_sec_size) { EB_SHDR_SET(b, id->text, sh_size, *len + 1); }
MUT(mut_sec_overflow) { EB_SHDR_SET(b, id->text, sh_offset, UINT64_MAX - 8); }
MUT(mut_sec_size_overflow) { EB_SHDR_SET(b, id->text, sh_size, UINT64_MAX); }
MUT(mut_strtab_unterminated)
{
	eb_put(b, eb_sec_off(b, eb_strtab_idx(b)) + strtab_size(b) - 1, 1, 'x');
}
MUT(mut_strtab_empty) { EB_SHDR_SET(b, eb_strtab_idx(b), sh_size, 0); }
MUT(mut_symstr_unterminated)
{
	uint32_t s = eb_add_section(b, ".mystr", SHT_STRTAB, 0, "\0ab", 3, 0, 0, 0, 1);

	eb_build(b, lay);
	*len = eb_len(b);
	EB_SHDR_SET(b, eb_symtab_idx(b), sh_link, s);
}
MUT(mut_symtab_link_type) { EB_SHDR_SET(b, eb_symtab_idx(b), sh_link, id->text); }
MUT(mut_symtab_link_range) { EB_SHDR_SET(b, eb_symtab_idx(b), sh_link, eb_shnum(b) + 5); }
MUT(mut_symtab_entsize) { EB_SHDR_SET(b, eb_symtab_idx(b), sh_entsize, 23); }
MUT(mut_symtab_size)
{
	EB_SHDR_SET(b, eb_symtab_idx(b), sh_size, BASIC_SYM_CNT * sizeof(Elf64_Sym) - 1);
}
MUT(mut_symtab_dup)
{
	uint32_t dup = eb_add_section(b, ".symtab2", SHT_SYMTAB, 0, NULL, sizeof(Elf64_Sym),
				      0, 0, sizeof(Elf64_Sym), 8);

	eb_build(b, lay);
	*len = eb_len(b);
	EB_SHDR_SET(b, dup, sh_link, eb_strtab_idx(b));
}
MUT(mut_sym_name) { EB_SYM_SET(b, id->prog, st_name, strtab_size(b)); }
MUT(mut_sym_shndx) { EB_SYM_SET(b, id->var, st_shndx, eb_shnum(b)); }
MUT(mut_sym_shndx_loproc) { EB_SYM_SET(b, id->var, st_shndx, SHN_LOPROC); }
MUT(mut_sym_shndx_xindex) { EB_SYM_SET(b, id->var, st_shndx, SHN_XINDEX); }
MUT(mut_rel_entsize) { EB_SHDR_SET(b, eb_rel_idx(b, id->text), sh_entsize, 24); }
MUT(mut_rel_size) { EB_SHDR_SET(b, eb_rel_idx(b, id->text), sh_size, 24); }
MUT(mut_rel_link_type) { EB_SHDR_SET(b, eb_rel_idx(b, id->text), sh_link, id->text); }
MUT(mut_rel_link_range) { EB_SHDR_SET(b, eb_rel_idx(b, id->text), sh_link, 0xffffffffu); }
MUT(mut_rel_link_zero) { EB_SHDR_SET(b, eb_rel_idx(b, id->text), sh_link, 0); }
MUT(mut_rel_info) { EB_SHDR_SET(b, eb_rel_idx(b, id->text), sh_info, eb_shnum(b)); }
MUT(mut_rel_sym)
{
	uint64_t off = eb_sec_off(b, eb_rel_idx(b, id->text)) + sizeof(Elf64_Rel) + 8;

	eb_put_u64(b, off, ELF64_R_INFO((uint64_t)BASIC_SYM_CNT, R_BPF_64_64));
}
MUT(mut_rela_sym)
{
	eb_add_rela(b, id->data, 0, BASIC_SYM_CNT, 1, 0);
	eb_build(b, lay);
	*len = eb_len(b);
}
/* A PT_LOAD covering the ELF header, then corrupted. */
static void add_load_phdr(struct eb *b, enum eb_layout lay, uint64_t *len)
{
	eb_add_phdr(b, PT_LOAD, PF_R, 0, 0x400000, sizeof(Elf64_Ehdr), sizeof(Elf64_Ehdr), 0x1000);
	eb_build(b, lay);
	*len = eb_len(b);
}
MUT(mut_phentsize) { add_load_phdr(b, lay, len); EB_EHDR_SET(b, e_phentsize, 32); }
MUT(mut_phoff) { add_load_phdr(b, lay, len); EB_EHDR_SET(b, e_phoff, *len); }
MUT(mut_phoff_overflow) { add_load_phdr(b, lay, len); EB_EHDR_SET(b, e_phoff, UINT64_MAX - 7); }
MUT(mut_pt_load_range)
{
	add_load_phdr(b, lay, len);
	eb_put_u64(b, sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_filesz), *len + 1);
}

struct reject_case {
	void (*mutate)(struct eb *b, enum eb_layout lay, const struct basic *id, uint64_t *len);
	unsigned int flags;
	enum bbpf_bad why;
	int err;
};

static void test_reject(void **state)
{
	const struct reject_case *c = *state;

	for (size_t o = 0; o < 2; o++) {
		for (size_t l = 0; l < 2; l++) {
			struct basic id;
			struct eb *b = basic_new(byte_orders[o], &id);
			struct ep_parsed p;
			uint64_t len;

			eb_build(b, layouts[l]);
			len = eb_len(b);
			c->mutate(b, layouts[l], &id, &len);
			assert_int_equal(ep_parse_copy(&p, eb_buf(b), len, c->flags), c->err);
			if (p.diag.why != c->why)
				fail_msg("order %zu layout %zu: why %d (%s), expected %d (%s)", o, l,
					 p.diag.why, bbpf_bad_str(p.diag.why), c->why,
					 bbpf_bad_str(c->why));
			assert_true(elf_untouched(&p.elf));
			ep_parsed_free(&p);
			eb_free(b);
		}
	}
}

#define BPF BBPF_ELF_BPF_OBJECT
#define REJECT(fn, fl, reason, e)						\
	{ #fn "/" #fl, test_reject, NULL, NULL,					\
	  (void *)&(const struct reject_case){ fn, fl, BBPF_BAD_##reason, e } }
#define BAD(fn, fl, reason) REJECT(fn, fl, reason, -EBADMSG)

/* ---- sweeps ---- */

/* Every prefix of a valid object fails cleanly (the last section ends the file). */
static void test_truncation_sweep(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		for (size_t l = 0; l < 2; l++) {
			struct basic id;
			struct eb *b = basic_new(byte_orders[o], &id);

			eb_build(b, layouts[l]);
			for (size_t n = 0; n <= eb_len(b); n++) {
				struct ep_parsed p;
				int rc = ep_parse_copy(&p, eb_buf(b), n, BBPF_ELF_BPF_OBJECT);

				assert_int_equal(rc, n == eb_len(b) ? 0 : -EBADMSG);
				assert_true(rc == 0 || p.diag.why != BBPF_BAD_NONE);
				ep_parsed_free(&p);
			}
			eb_free(b);
		}
	}
}

/* Flip every byte, one at a time: each result is success or a clean rejection. */
static void test_byte_flip_sweep(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		struct basic id;
		struct eb *b = basic_new(byte_orders[o], &id);
		uint8_t *img;

		eb_build(b, EB_SHDRS_LAST);
		img = eb_buf(b);
		for (size_t i = 0; i < eb_len(b); i++) {
			for (unsigned int f = 0; f < 2; f++) {
				struct ep_parsed p;
				uint8_t saved = img[i];
				int rc;

				img[i] = f ? 0xff : saved ^ 0x80;
				rc = ep_parse_copy(&p, img, eb_len(b), f ? 0 : BBPF_ELF_BPF_OBJECT);
				img[i] = saved;
				assert_true(rc == 0 || rc == -EBADMSG || rc == -E2BIG);
				if (rc == 0)
					ep_walk_all(&p.elf);
				else
					assert_int_not_equal(p.diag.why, BBPF_BAD_NONE);
				ep_parsed_free(&p);
			}
		}
		eb_free(b);
	}
}

/* ---- allocation failure ---- */

static void test_oom(void **state)
{
	struct basic id;
	struct eb *b = basic_new(ELFDATA2MSB, &id);
	unsigned long n;

	(void)state;
	eb_build(b, EB_SHDRS_LAST);
	for (n = 0; n < 100; n++) {
		struct fa fa;
		struct bbpf_alloc alloc = fa_after(&fa, n);
		struct bbpf_arena arena;
		struct bbpf_elf elf;
		int rc;

		memset(&elf, 0xa5, sizeof(elf));
		bbpf_arena_init(&arena, &alloc, EP_ARENA_BUDGET);
		rc = bbpf_elf_parse(&elf, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT, &arena, NULL);
		if (rc == 0)
			check_basic(&elf, b, &id, true);
		else
			assert_true(elf_untouched(&elf));
		bbpf_arena_free(&arena);
		assert_int_equal(fa.live, 0);
		if (rc == 0)
			break;
		assert_int_equal(rc, -ENOMEM);
		assert_true(fa.failed > 0);
	}
	assert_true(n > 0 && n < 100);	/* at least one -ENOMEM, then success */

	/* A budget too small for the tables is -ENOMEM as well. */
	{
		struct bbpf_arena arena;
		struct bbpf_elf elf;

		bbpf_arena_init(&arena, &bbpf_alloc_libc, 64);
		assert_int_equal(bbpf_elf_parse(&elf, eb_buf(b), eb_len(b), 0, &arena, NULL),
				 -ENOMEM);
		bbpf_arena_free(&arena);
	}
	eb_free(b);
}

/* ---- misuse and accessors ---- */

static void test_einval_and_bad_indices(void **state)
{
	struct basic id;
	struct eb *b = basic_new(ELFDATA2LSB, &id);
	struct bbpf_elf_sym sym;
	struct bbpf_elf_rel rel;
	struct ep_parsed p;
	uint64_t off;
	uint32_t rel_idx;

	(void)state;
	eb_build(b, EB_SHDRS_LAST);
	rel_idx = eb_rel_idx(b, id.text);
	assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), 0x80), -EINVAL);
	ep_parsed_free(&p);
	assert_int_equal(bbpf_elf_parse(NULL, eb_buf(b), eb_len(b), 0, &p.arena, NULL), -EINVAL);
	assert_int_equal(bbpf_elf_parse(&p.elf, NULL, 0, 0, &p.arena, NULL), -EINVAL);
	assert_int_equal(bbpf_elf_parse(&p.elf, eb_buf(b), eb_len(b), 0, NULL, NULL), -EINVAL);

	assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), 0);
	assert_null(bbpf_elf_shdr(&p.elf, p.elf.shnum));
	assert_null(bbpf_elf_shdr(NULL, 0));
	assert_null(bbpf_elf_sec_data(&p.elf, p.elf.shnum));
	assert_null(bbpf_elf_sec_data(&p.elf, 0));
	assert_int_equal(bbpf_elf_sym_cnt(&p.elf, id.text), 0);
	assert_int_equal(bbpf_elf_sym_cnt(&p.elf, UINT32_MAX), 0);
	assert_int_equal(bbpf_elf_sym(&p.elf, p.elf.symtab, BASIC_SYM_CNT, &sym), -EINVAL);
	assert_int_equal(bbpf_elf_sym(&p.elf, id.text, 0, &sym), -EINVAL);
	assert_int_equal(bbpf_elf_sym(&p.elf, p.elf.symtab, 0, NULL), -EINVAL);
	assert_int_equal(bbpf_elf_rel_cnt(&p.elf, p.elf.symtab), 0);
	assert_int_equal(bbpf_elf_rel(&p.elf, rel_idx, 2, &rel), -EINVAL);
	assert_int_equal(bbpf_elf_rel(&p.elf, id.text, 0, &rel), -EINVAL);
	assert_int_equal(bbpf_elf_find_sec(&p.elf, NULL), 0);
	/* A BPF object has no segments: no address maps into the file. */
	assert_int_equal(bbpf_elf_vaddr_off(&p.elf, 0, &off, NULL), -ESRCH);
	assert_int_equal(bbpf_elf_vaddr_off(&p.elf, 0, NULL, NULL), -EINVAL);
	assert_int_equal(bbpf_elf_vaddr_off(NULL, 0, &off, NULL), -EINVAL);
	ep_parsed_free(&p);
	eb_free(b);
}

/* An executable built in memory: symbol values are translated through PT_LOAD. */
static void test_vaddr_synthetic(void **state)
{
	(void)state;
	for (size_t o = 0; o < 2; o++) {
		struct eb *b = eb_new(byte_orders[o], ET_EXEC, EM_X86_64);
		uint32_t text = eb_add_section(b, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
					       insns, sizeof(insns), 0, 0, 0, 16);
		const struct bbpf_elf_phdr *seg;
		struct ep_parsed p;
		uint64_t off = 0;
		uint32_t flags = 0;

		eb_set_addr(b, text, 0x401000);
		eb_add_phdr(b, PT_NOTE, PF_R, 0, 0x401000, 0x100, 0x100, 8);
		eb_add_phdr(b, PT_LOAD, PF_R | PF_X, 0x40, 0x401000, 0x20, 0x1000, 0x1000);
		eb_add_phdr(b, PT_LOAD, PF_R | PF_W, 0x40, 0x400800, 0x20, 0x1000, 0x1000);
		eb_build(b, EB_SHDRS_LAST);

		assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), 0), 0);
		assert_int_equal(p.elf.phnum, 3);
		assert_int_equal(p.elf.phdrs[1].vaddr, 0x401000);
		assert_int_equal(bbpf_elf_vaddr_off(&p.elf, 0x401010, &off, &flags), 0);
		/* Both loads hold it; the lower p_vaddr wins. */
		assert_int_equal(off, 0x40 + 0x810);
		assert_int_equal(flags, PF_R | PF_W);
		assert_int_equal(bbpf_elf_vaddr_off(&p.elf, 0x401900, &off, &flags), 0);
		assert_int_equal(off, 0x940);
		assert_int_equal(flags, PF_R | PF_X);
		assert_int_equal(bbpf_elf_vaddr_seg(&p.elf, 0x401fff, &seg), 0);
		assert_ptr_equal(seg, &p.elf.phdrs[1]);
		assert_int_equal(bbpf_elf_vaddr_off(&p.elf, 0x402000, &off, NULL), -ESRCH);
		assert_int_equal(bbpf_elf_vaddr_off(&p.elf, 0x400000, &off, NULL), -ESRCH);
		/* PT_NOTE does not count. */
		assert_int_equal(bbpf_elf_vaddr_seg(&p.elf, UINT64_MAX, &seg), -ESRCH);
		ep_parsed_free(&p);
		/* A BPF object must be ET_REL. */
		assert_int_equal(ep_parse_copy(&p, eb_buf(b), eb_len(b), BBPF_ELF_BPF_OBJECT), -EBADMSG);
		assert_int_equal(p.diag.why, BBPF_BAD_ELF_TYPE);
		ep_parsed_free(&p);
		eb_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_all_variants),
		cmocka_unit_test(test_rela),
		cmocka_unit_test(test_nobits_offset_unchecked),
		cmocka_unit_test(test_no_sections),
		cmocka_unit_test(test_symbol_limit),
		BAD(mut_empty, 0, ELF_MAGIC),
		BAD(mut_short_magic, 0, ELF_MAGIC),
		BAD(mut_trunc_ident, 0, ELF_TRUNCATED),
		BAD(mut_trunc_header, 0, ELF_TRUNCATED),
		BAD(mut_magic, 0, ELF_MAGIC),
		BAD(mut_class, 0, ELF_CLASS),
		BAD(mut_data, 0, ELF_DATA),
		BAD(mut_ident_version, 0, ELF_VERSION),
		BAD(mut_version, 0, ELF_VERSION),
		BAD(mut_ehsize, 0, ELF_EHSIZE),
		BAD(mut_type_exec, BPF, ELF_TYPE),
		BAD(mut_type_core, 0, ELF_TYPE),
		BAD(mut_machine, BPF, ELF_MACHINE),
		BAD(mut_shentsize, 0, ELF_SHENTSIZE),
		BAD(mut_shoff_past, 0, ELF_SECTION_TABLE),
		BAD(mut_shoff_tail, 0, ELF_SECTION_TABLE),
		BAD(mut_shoff_overflow, 0, ELF_SECTION_TABLE),
		REJECT(mut_shnum_limit, 0, ELF_LIMIT, -E2BIG),
		BAD(mut_ext_shnum, 0, ELF_EXTENDED),
		BAD(mut_ext_shstrndx, 0, ELF_EXTENDED),
		BAD(mut_ext_phnum, 0, ELF_EXTENDED),
		BAD(mut_shstrndx_range, 0, ELF_SHSTRNDX),
		BAD(mut_shstrndx_type, 0, ELF_SHSTRNDX),
		BAD(mut_shstrndx_none, 0, ELF_SECTION_NAME),
		BAD(mut_sec0_type, 0, ELF_SECTION_TABLE),
		BAD(mut_name_range, 0, ELF_SECTION_NAME),
		BAD(mut_sec_past, 0, ELF_SECTION_RANGE),
		BAD(mut_sec_size, 0, ELF_SECTION_RANGE),
		BAD(mut_sec_overflow, 0, ELF_SECTION_RANGE),
		BAD(mut_sec_size_overflow, 0, ELF_SECTION_RANGE),
		BAD(mut_strtab_unterminated, 0, ELF_STRTAB),
		BAD(mut_strtab_empty, 0, ELF_STRTAB),
		BAD(mut_symstr_unterminated, 0, ELF_STRTAB),
		BAD(mut_symtab_link_type, 0, ELF_SECTION_LINK),
		BAD(mut_symtab_link_range, 0, ELF_SECTION_LINK),
		BAD(mut_symtab_entsize, 0, ELF_SYMTAB),
		BAD(mut_symtab_size, 0, ELF_SYMTAB),
		BAD(mut_symtab_dup, 0, ELF_SYMTAB),
		BAD(mut_sym_name, 0, ELF_SYM),
		BAD(mut_sym_shndx, 0, ELF_SYM),
		BAD(mut_sym_shndx_loproc, 0, ELF_SYM),
		BAD(mut_sym_shndx_xindex, 0, ELF_SYM),
		BAD(mut_rel_entsize, 0, ELF_RELO),
		BAD(mut_rel_size, 0, ELF_RELO),
		BAD(mut_rel_link_type, 0, ELF_SECTION_LINK),
		BAD(mut_rel_link_range, 0, ELF_SECTION_LINK),
		BAD(mut_rel_link_zero, BPF, ELF_SECTION_LINK),
		/* Outside BPF objects sh_link 0 is allowed, but only for symbol 0. */
		BAD(mut_rel_link_zero, 0, ELF_RELO),
		BAD(mut_rel_info, 0, ELF_SECTION_LINK),
		BAD(mut_rel_sym, 0, ELF_RELO),
		BAD(mut_rela_sym, 0, ELF_RELO),
		BAD(mut_phentsize, 0, ELF_PHDR),
		BAD(mut_phoff, 0, ELF_PHDR),
		BAD(mut_phoff_overflow, 0, ELF_PHDR),
		BAD(mut_pt_load_range, 0, ELF_PHDR),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_byte_flip_sweep),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_einval_and_bad_indices),
		cmocka_unit_test(test_vaddr_synthetic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
