/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF64 reader; see elf.h. References are to the System V ABI, "ELF Object
 * Files". Every byte of input is read with load_*() (cursor.h) inside a
 * range proven first: the file length for the header, span_ok() for the
 * tables and every entry's range. <elf.h> is used for constants and sizes
 * only.
 *
 * bbpf_elf_parse() validates in this order, so that each step may rely on
 * the previous ones:
 *   1. ELF header (identification, type/machine, table geometry)
 *   2. section header table decoded; every section's file range checked
 *   3. .shstrtab ends in NUL; every sh_name inside it
 *   4. symbol tables: entsize, size, string table, every symbol
 *   5. REL/RELA: entsize, size, links, every entry's symbol index
 *   6. program header table decoded; PT_LOAD ranges checked
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <barebpf/object.h>	/* BBPF_MAX_SECTIONS, BBPF_MAX_SYMBOLS, BBPF_MAX_RELOS */
#include "elf.h"
#include "../base/cursor.h"

/* Offsets of the fields the diagnostics point at (ELF64 file header). */
#define EH_TYPE		16
#define EH_MACHINE	18
#define EH_VERSION	20
#define EH_PHOFF	32
#define EH_SHOFF	40
#define EH_EHSIZE	52
#define EH_PHENTSIZE	54
#define EH_SHENTSIZE	58
#define EH_SHSTRNDX	62

/* A header failure: no section, index 0, off the field's offset in the file. */
__attribute__((noinline))
static int hdr_bad(struct bbpf_diag *d, enum bbpf_bad why, uint64_t off)
{
	return bbpf_diag_fail(d, why, BBPF_DIAG_NO_SEC, off, 0);
}

/* The 48 bytes after e_ident, in the file's layout (copied as is, then swapped). */
struct ehdr {
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
_Static_assert(sizeof(struct ehdr) == sizeof(Elf64_Ehdr) - EI_NIDENT, "ehdr as in the file");
_Static_assert(offsetof(struct bbpf_elf_shdr, name) == sizeof(Elf64_Shdr) &&
	       offsetof(struct bbpf_elf_shdr, entsize) == offsetof(Elf64_Shdr, sh_entsize) &&
	       offsetof(struct bbpf_elf_shdr, link) == offsetof(Elf64_Shdr, sh_link),
	       "bbpf_elf_shdr starts as Elf64_Shdr");
_Static_assert(sizeof(struct bbpf_elf_phdr) == sizeof(Elf64_Phdr) &&
	       offsetof(struct bbpf_elf_phdr, align) == offsetof(Elf64_Phdr, p_align),
	       "bbpf_elf_phdr is Elf64_Phdr");

static int read_ident(struct bbpf_elf *e, struct bbpf_diag *d)
{
	const uint8_t *id = e->buf;

	if (e->len < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
		return hdr_bad(d, BBPF_BAD_ELF_MAGIC, 0);
	if (e->len < EI_NIDENT)
		return hdr_bad(d, BBPF_BAD_ELF_TRUNCATED, e->len);
	if (id[EI_CLASS] != ELFCLASS64)
		return hdr_bad(d, BBPF_BAD_ELF_CLASS, EI_CLASS);
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return hdr_bad(d, BBPF_BAD_ELF_DATA, EI_DATA);
	if (id[EI_VERSION] != EV_CURRENT)
		return hdr_bad(d, BBPF_BAD_ELF_VERSION, EI_VERSION);
	e->big_endian = id[EI_DATA] == ELFDATA2MSB;
	e->swap = e->big_endian == host_is_le();
	return 0;
}

static int check_kind(const struct ehdr *h, unsigned int flags, struct bbpf_diag *d)
{
	if (flags & BBPF_ELF_BPF_OBJECT) {
		if (h->type != ET_REL)
			return hdr_bad(d, BBPF_BAD_ELF_TYPE, EH_TYPE);
		/* Old LLVM emitted EM_NONE for BPF objects. */
		if (h->machine != EM_BPF && h->machine != EM_NONE)
			return hdr_bad(d, BBPF_BAD_ELF_MACHINE, EH_MACHINE);
		return 0;
	}
	if (h->type != ET_REL && h->type != ET_EXEC && h->type != ET_DYN)
		return hdr_bad(d, BBPF_BAD_ELF_TYPE, EH_TYPE);
	return 0;
}

/* Section and program header table geometry; nothing is multiplied before this. */
static int check_tables(const struct ehdr *h, uint64_t len, struct bbpf_diag *d)
{
	const uint32_t ns = BBPF_DIAG_NO_SEC;

	/* Extended numbering keeps the real counts in section 0: unsupported. */
	if ((h->shnum == 0 && h->shoff != 0) || h->shstrndx == SHN_XINDEX)
		return hdr_bad(d, BBPF_BAD_ELF_EXTENDED, EH_SHOFF);
	if (h->phnum == PN_XNUM)
		return hdr_bad(d, BBPF_BAD_ELF_EXTENDED, EH_PHOFF);
	if (h->shnum > 0 && h->shentsize != sizeof(Elf64_Shdr))
		return hdr_bad(d, BBPF_BAD_ELF_SHENTSIZE, EH_SHENTSIZE);
	if (h->phnum > 0 && h->phentsize != sizeof(Elf64_Phdr))
		return hdr_bad(d, BBPF_BAD_ELF_PHDR, EH_PHENTSIZE);
	if (h->shnum > BBPF_MAX_SECTIONS)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_LIMIT, ns, EH_SHOFF, h->shnum);
	/* Counts are at most 0xffff, so the products fit easily in 64 bits. */
	if (!span_ok(h->shoff, (uint64_t)h->shnum * sizeof(Elf64_Shdr), len))
		return hdr_bad(d, BBPF_BAD_ELF_SECTION_TABLE, EH_SHOFF);
	if (!span_ok(h->phoff, (uint64_t)h->phnum * sizeof(Elf64_Phdr), len))
		return hdr_bad(d, BBPF_BAD_ELF_PHDR, EH_PHOFF);
	if (h->shnum == 0 ? h->shstrndx != SHN_UNDEF : h->shstrndx >= h->shnum)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_SHSTRNDX, ns, EH_SHSTRNDX, h->shstrndx);
	return 0;
}

static int read_header(struct bbpf_elf *e, struct ehdr *h,
		       unsigned int flags, struct bbpf_diag *d)
{
	int err = read_ident(e, d);

	if (err)
		return err;
	if (e->len < sizeof(Elf64_Ehdr)) {
		hdr_bad(d, BBPF_BAD_ELF_TRUNCATED, e->len);
		return -EBADMSG;	/* as returned: the compiler then knows *h is read below */
	}
	memcpy(h, e->buf + EI_NIDENT, sizeof(*h));
	if (e->swap)
		bbpf_cursor_swap(h, "2248884222222");
	if (h->version != EV_CURRENT)
		return hdr_bad(d, BBPF_BAD_ELF_VERSION, EH_VERSION);
	if (h->ehsize != sizeof(Elf64_Ehdr))
		return hdr_bad(d, BBPF_BAD_ELF_EHSIZE, EH_EHSIZE);
	err = check_kind(h, flags, d);
	if (err)
		return err;
	e->type = h->type;
	e->machine = h->machine;
	e->entry = h->entry;
	return check_tables(h, e->len, d);
}

/* ---- section header table ---- */

static uint64_t shdr_off(const struct ehdr *h, uint32_t i)
{
	return h->shoff + (uint64_t)i * sizeof(Elf64_Shdr);
}

/*
 * Decode every section header and check its file range (sh_name stays in
 * ->name_off for check_names()). check_tables() proved the whole table is
 * inside the file (span_ok): entries are copied in place.
 */
static int read_shdrs(struct bbpf_elf *e, const struct ehdr *h, struct bbpf_diag *d)
{
	const uint8_t *p = e->buf + h->shoff;

	for (uint32_t i = 0; i < e->shnum; i++, p += sizeof(Elf64_Shdr)) {
		struct bbpf_elf_shdr *s = &e->shdrs[i];

		memcpy(s, p, sizeof(Elf64_Shdr));
		if (e->swap)
			bbpf_cursor_swap(s, "4488884488");
		/* With extended numbering ruled out, section 0 must be the null section. */
		if (i == 0 && s->type != SHT_NULL)
			return bbpf_diag_fail(d, BBPF_BAD_ELF_SECTION_TABLE, 0, h->shoff, 0);
		if (s->type != SHT_NOBITS && !span_ok(s->off, s->size, e->len))
			return bbpf_diag_fail(d, BBPF_BAD_ELF_SECTION_RANGE, i, shdr_off(h, i), 0);
	}
	return 0;
}

/* A string table usable with plain `off < size` checks: non-empty, last byte NUL. */
static int check_strtab(const struct bbpf_elf *e, uint32_t idx, struct bbpf_diag *d)
{
	const struct bbpf_elf_shdr *s = &e->shdrs[idx];

	if (s->size == 0 || e->buf[s->off + s->size - 1] != '\0')
		return bbpf_diag_fail(d, BBPF_BAD_ELF_STRTAB, idx, s->off, 0);
	return 0;
}

static int check_names(struct bbpf_elf *e, const struct ehdr *h, struct bbpf_diag *d)
{
	const struct bbpf_elf_shdr *strs;
	/* SHN_UNDEF: no name table; only the empty name (offset 0) is possible. */
	const char *base = "";
	uint64_t size = 1;
	int err;

	/* No sections: check_tables() made shstrndx SHN_UNDEF, and the loop is empty. */
	if (e->shstrndx != SHN_UNDEF) {
		strs = &e->shdrs[e->shstrndx];
		if (strs->type != SHT_STRTAB)
			return bbpf_diag_fail(d, BBPF_BAD_ELF_SHSTRNDX, e->shstrndx,
					      EH_SHSTRNDX, e->shstrndx);
		err = check_strtab(e, e->shstrndx, d);
		if (err)
			return err;
		base = (const char *)e->buf + strs->off;
		size = strs->size;
	}
	for (uint32_t i = 0; i < e->shnum; i++) {
		uint32_t off = e->shdrs[i].name_off;

		if (off >= size)
			return bbpf_diag_fail(d, BBPF_BAD_ELF_SECTION_NAME, i, shdr_off(h, i), 0);
		e->shdrs[i].name = base + off;
	}
	return 0;
}

/* ---- symbol tables ---- */

static bool is_symtab(uint32_t type)
{
	return type == SHT_SYMTAB || type == SHT_DYNSYM;
}

static bool is_rel(uint32_t type)
{
	return type == SHT_REL || type == SHT_RELA;
}

/* Reserved st_shndx values a symbol may carry; any other >= SHN_LORESERVE is rejected. */
static bool shndx_ok(uint16_t shndx, uint32_t shnum)
{
	return shndx < shnum || shndx == SHN_UNDEF || shndx == SHN_ABS || shndx == SHN_COMMON;
}

/*
 * Elf64_Sym: st_name u32, st_info u8, st_other u8, st_shndx u16,
 * st_value u64, st_size u64. The caller has checked the 24 bytes are in
 * the file.
 */
static void decode_sym(const struct bbpf_elf *e, const uint8_t *p, uint32_t *name_off,
		       struct bbpf_elf_sym *s)
{
	uint8_t info = p[4], other = p[5];

	*name_off = load_u32(p, e->swap);
	s->shndx = load_u16(p + 6, e->swap);
	s->value = load_u64(p + 8, e->swap);
	s->size = load_u64(p + 16, e->swap);
	s->bind = ELF64_ST_BIND(info);
	s->type = ELF64_ST_TYPE(info);
	s->visibility = ELF64_ST_VISIBILITY(other);
}

/* st_name and st_shndx of every symbol: plain loads, nothing else decoded. */
static int check_syms(const struct bbpf_elf *e, uint32_t idx, struct bbpf_diag *d)
{
	const struct bbpf_elf_shdr *s = &e->shdrs[idx];
	uint64_t str_size = e->shdrs[s->link].size, cnt = s->size / sizeof(Elf64_Sym);
	const uint8_t *p = e->buf + s->off;
	bool sw = e->swap;

	for (uint64_t i = 0; i < cnt; i++, p += sizeof(Elf64_Sym)) {
		if (load_u32(p, sw) >= str_size || !shndx_ok(load_u16(p + 6, sw), e->shnum))
			return bbpf_diag_fail(d, BBPF_BAD_ELF_SYM, idx, s->off + i * sizeof(Elf64_Sym),
					      (uint32_t)i);
	}
	return 0;
}

/*
 * A symbol table: whole entries, a string table link, symbols that point
 * inside it. *total counts symbols over all tables against the limit.
 */
static int check_symtab(struct bbpf_elf *e, uint32_t idx, uint64_t *total,
			struct bbpf_diag *d)
{
	const struct bbpf_elf_shdr *s = &e->shdrs[idx];
	uint32_t *slot = s->type == SHT_SYMTAB ? &e->symtab : &e->dynsym;
	int err;

	if (*slot != 0 || s->entsize != sizeof(Elf64_Sym) || s->size % sizeof(Elf64_Sym))
		return bbpf_diag_fail(d, BBPF_BAD_ELF_SYMTAB, idx, s->off, 0);
	*total += s->size / sizeof(Elf64_Sym);
	if (*total > BBPF_MAX_SYMBOLS)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_LIMIT, idx, s->off, 0);
	if (s->link == 0 || s->link >= e->shnum || e->shdrs[s->link].type != SHT_STRTAB)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_SECTION_LINK, idx, s->off, s->link);
	err = check_strtab(e, s->link, d);
	if (err)
		return err;
	err = check_syms(e, idx, d);
	if (err)
		return err;
	*slot = idx;
	return 0;
}

/* ---- relocations ---- */

static uint64_t rel_entsize(uint32_t type)
{
	return type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
}

/* Elf64_Rel[a]: r_offset u64, r_info u64 (sym << 32 | type)[, r_addend i64]. */
static void decode_rel(const struct bbpf_elf *e, const uint8_t *p, bool rela,
		       struct bbpf_elf_rel *r)
{
	uint64_t info = load_u64(p + 8, e->swap);

	r->off = load_u64(p, e->swap);
	r->sym = (uint32_t)ELF64_R_SYM(info);
	r->type = (uint32_t)ELF64_R_TYPE(info);
	r->addend = rela ? (int64_t)load_u64(p + 16, e->swap) : 0;
}

/*
 * Symbol count of a REL/RELA section's sh_link. Host binaries (static-pie,
 * some .rela.dyn) may link to nothing when every entry uses symbol 0; that is
 * accepted outside BPF objects by treating the table as the null symbol only.
 */
static int rel_sym_cnt(const struct bbpf_elf *e, uint32_t idx, unsigned int flags,
		       uint64_t *cnt, struct bbpf_diag *d)
{
	const struct bbpf_elf_shdr *s = &e->shdrs[idx];

	if (s->link == 0 && !(flags & BBPF_ELF_BPF_OBJECT)) {
		*cnt = 1;
		return 0;
	}
	if (s->link >= e->shnum || !is_symtab(e->shdrs[s->link].type))
		return bbpf_diag_fail(d, BBPF_BAD_ELF_SECTION_LINK, idx, s->off, s->link);
	*cnt = e->shdrs[s->link].size / sizeof(Elf64_Sym);
	return 0;
}

static int check_rel(const struct bbpf_elf *e, uint32_t idx, unsigned int flags,
		     uint64_t *total, struct bbpf_diag *d)
{
	const struct bbpf_elf_shdr *s = &e->shdrs[idx];
	uint64_t ent = rel_entsize(s->type), sym_cnt = 0, n, lim;
	const uint8_t *p, *end;
	int err;

	if (s->entsize != ent || s->size % ent)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_RELO, idx, s->off, 0);
	/* Sections may overlap, so the file size alone does not bound the work. */
	*total += s->size / ent;
	if (*total > BBPF_MAX_RELOS)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_LIMIT, idx, s->off, 0);
	err = rel_sym_cnt(e, idx, flags, &sym_cnt, d);
	if (err)
		return err;
	/* sh_info: the section the entries apply to (0 for dynamic relocations). */
	if (s->info >= e->shnum)
		return bbpf_diag_fail(d, BBPF_BAD_ELF_SECTION_LINK, idx, s->off, s->info);
	/*
	 * Only r_info's symbol (its high half) is checked here: one load and
	 * one compare an entry (sym_cnt <= BBPF_MAX_SYMBOLS: the shift fits).
	 */
	_Static_assert(BBPF_MAX_SYMBOLS < (1ull << 32), "sym_cnt << 32 fits");
	lim = sym_cnt << 32;
	p = e->buf + s->off;
	end = p + s->size;
	/* the byte order tested once, not per entry (a flag the loop kept in memory) */
	if (e->swap) {
		while (p < end && load_u64(p + 8, true) < lim)
			p += ent;
	} else {
		while (p < end && load_u64(p + 8, false) < lim)
			p += ent;
	}
	if (p < end) {
		n = (uint64_t)(p - (e->buf + s->off)) / ent;
		return bbpf_diag_fail(d, BBPF_BAD_ELF_RELO, idx, s->off + n * ent, (uint32_t)n);
	}
	return 0;
}

/* Steps 4 and 5: all symbol tables first, since relocations refer to them. */
static int check_sections(struct bbpf_elf *e, unsigned int flags, struct bbpf_diag *d)
{
	uint64_t total_syms = 0, total_rels = 0;
	int err;

	for (uint32_t i = 1; i < e->shnum; i++) {
		if (!is_symtab(e->shdrs[i].type))
			continue;
		err = check_symtab(e, i, &total_syms, d);
		if (err)
			return err;
	}
	for (uint32_t i = 1; i < e->shnum; i++) {
		if (!is_rel(e->shdrs[i].type))
			continue;
		err = check_rel(e, i, flags, &total_rels, d);
		if (err)
			return err;
	}
	return 0;
}

/* ---- program headers ---- */

/*
 * Loadable segments are what virtual addresses translate through: keep them
 * in the file. check_tables() proved the table is inside the file: entries
 * are read in place.
 */
static int read_phdrs(struct bbpf_elf *e, const struct ehdr *h, struct bbpf_diag *d)
{
	for (uint32_t i = 0; i < e->phnum; i++) {
		struct bbpf_elf_phdr *p = &e->phdrs[i];
		uint64_t at = h->phoff + (uint64_t)i * sizeof(Elf64_Phdr);

		memcpy(p, e->buf + at, sizeof(*p));
		if (e->swap)
			bbpf_cursor_swap(p, "44888888");
		if (p->type == PT_LOAD && !span_ok(p->off, p->filesz, e->len))
			return bbpf_diag_fail(d, BBPF_BAD_ELF_PHDR, BBPF_DIAG_NO_SEC, at, i);
	}
	return 0;
}

/* ---- parse ---- */

static int alloc_tables(struct bbpf_elf *e, struct bbpf_arena *arena)
{
	/* not cleared: read_shdrs(), check_names() and read_phdrs() fill every entry
	 * before the tables are handed out (*elf is set on success only) */
	e->shdrs = bbpf_arena_alloc_array(arena, e->shnum, sizeof(*e->shdrs));
	e->phdrs = bbpf_arena_alloc_array(arena, e->phnum, sizeof(*e->phdrs));
	if (!e->shdrs || !e->phdrs)
		return -ENOMEM;
	return 0;
}

int bbpf_elf_parse(struct bbpf_elf *elf, const void *buf, uint64_t len, unsigned int flags,
		   struct bbpf_arena *arena, struct bbpf_diag *diag)
{
	struct bbpf_elf e = { .buf = buf, .len = len };
	struct ehdr h;
	int err;

	if (!elf || !buf || !arena || (flags & ~(unsigned int)BBPF_ELF_BPF_OBJECT))
		return -EINVAL;
	err = read_header(&e, &h, flags, diag);
	if (err)
		return err;
	e.shnum = h.shnum;
	e.phnum = h.phnum;
	e.shstrndx = h.shstrndx;
	err = alloc_tables(&e, arena);
	if (!err)
		err = read_shdrs(&e, &h, diag);
	if (!err)
		err = check_names(&e, &h, diag);
	if (!err)
		err = check_sections(&e, flags, diag);
	if (!err)
		err = read_phdrs(&e, &h, diag);
	if (err)
		return err;
	*elf = e;
	return 0;
}

/* ---- accessors: indices only; bbpf_elf_parse() checked the rest ---- */

const uint8_t *bbpf_elf_sec_data(const struct bbpf_elf *elf, uint32_t idx)
{
	const struct bbpf_elf_shdr *s = bbpf_elf_shdr(elf, idx);

	if (!s || s->type == SHT_NOBITS || s->size == 0)
		return NULL;
	return elf->buf + s->off;
}

uint32_t bbpf_elf_find_sec(const struct bbpf_elf *elf, const char *name)
{
	const struct bbpf_elf_shdr *s, *end;
	char c0, c1;

	if (!elf || !name || elf->shnum < 2)
		return 0;
	/* The first two bytes reject almost every section without a call. */
	c0 = name[0];
	c1 = c0 ? name[1] : 0;
	for (s = elf->shdrs + 1, end = elf->shdrs + elf->shnum; s < end; s++)
		if (s->name[0] == c0 && (!c0 || s->name[1] == c1) && strcmp(s->name, name) == 0)
			return (uint32_t)(s - elf->shdrs);
	return 0;
}

uint32_t bbpf_elf_sym_cnt(const struct bbpf_elf *elf, uint32_t symtab_idx)
{
	/* Only tables that passed check_symtab() count: those are recorded (below shnum). */
	if (!elf || symtab_idx == 0 || (symtab_idx != elf->symtab && symtab_idx != elf->dynsym))
		return 0;
	return (uint32_t)(elf->shdrs[symtab_idx].size / sizeof(Elf64_Sym));
}

int bbpf_elf_sym(const struct bbpf_elf *elf, uint32_t symtab_idx, uint32_t i,
		 struct bbpf_elf_sym *out)
{
	const struct bbpf_elf_shdr *s;
	uint32_t name_off;

	/* bbpf_elf_sym_cnt()'s test, without the calls: a recorded table (an index below
	 * shnum, see check_symtab()), i inside it */
	if (!out || !elf || !symtab_idx || (symtab_idx != elf->symtab && symtab_idx != elf->dynsym))
		return -EINVAL;
	s = &elf->shdrs[symtab_idx];
	/* check_symtab() made the size a whole number of entries: no division */
	if ((uint64_t)i * sizeof(Elf64_Sym) >= s->size)
		return -EINVAL;
	decode_sym(elf, elf->buf + s->off + (uint64_t)i * sizeof(Elf64_Sym), &name_off, out);
	out->name = (const char *)elf->buf + elf->shdrs[s->link].off + name_off;
	return 0;
}

uint32_t bbpf_elf_rel_cnt(const struct bbpf_elf *elf, uint32_t rel_idx)
{
	const struct bbpf_elf_shdr *s = bbpf_elf_shdr(elf, rel_idx);

	if (!s || !is_rel(s->type))
		return 0;
	return (uint32_t)(s->size / rel_entsize(s->type));
}

int bbpf_elf_rel(const struct bbpf_elf *elf, uint32_t rel_idx, uint32_t i,
		 struct bbpf_elf_rel *out)
{
	const struct bbpf_elf_shdr *s;
	struct bbpf_elf_rel r;

	if (!out || i >= bbpf_elf_rel_cnt(elf, rel_idx))
		return -EINVAL;
	s = &elf->shdrs[rel_idx];
	decode_rel(elf, elf->buf + s->off + (uint64_t)i * rel_entsize(s->type),
		   s->type == SHT_RELA, &r);
	*out = r;
	return 0;
}

/* ---- virtual addresses ---- */

int bbpf_elf_vaddr_seg(const struct bbpf_elf *elf, uint64_t vaddr, const struct bbpf_elf_phdr **seg)
{
	const struct bbpf_elf_phdr *best = NULL;

	if (!elf || !seg)
		return -EINVAL;
	for (uint32_t i = 0; i < elf->phnum; i++) {
		const struct bbpf_elf_phdr *p = &elf->phdrs[i];

		/* vaddr - p_vaddr cannot wrap once p_vaddr <= vaddr. */
		if (p->type != PT_LOAD || p->vaddr > vaddr || vaddr - p->vaddr >= p->memsz)
			continue;
		if (!best || p->vaddr < best->vaddr)
			best = p;
	}
	if (!best)
		return -ESRCH;
	*seg = best;
	return 0;
}

int bbpf_elf_vaddr_off(const struct bbpf_elf *elf, uint64_t vaddr, uint64_t *off, uint32_t *flags)
{
	const struct bbpf_elf_phdr *p;
	int err;

	if (!off)
		return -EINVAL;
	err = bbpf_elf_vaddr_seg(elf, vaddr, &p);
	if (err)
		return err;
	/* Wraps like libbpf's long arithmetic for absurd p_offset; the kernel rejects it. */
	*off = vaddr - p->vaddr + p->off;
	if (flags)
		*flags = p->flags;
	return 0;
}
