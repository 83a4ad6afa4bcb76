/* SPDX-License-Identifier: BSD-2-Clause */
/* See elf_builder.h. Test code: allocation failure and misuse abort. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf_builder.h"

struct eb_sec {
	char *name;
	uint32_t type;
	uint64_t flags, addr;
	uint8_t *data;		/* NULL: zero-filled (or no bytes for NOBITS) */
	size_t len;
	uint32_t link, info;
	uint64_t entsize, addralign;
};

struct eb_sym {
	char *name;
	uint64_t value, size;
	uint16_t shndx;
	unsigned char info;
};

struct eb_rel {
	uint32_t target;
	bool rela;
	uint64_t off;
	uint32_t sym, type;
	int64_t addend;
};

struct eb {
	bool be;
	uint16_t type, machine;
	struct eb_sec *secs;	/* user sections; secs[i] is section i + 1 */
	uint32_t sec_cnt;
	struct eb_sym *syms;	/* syms[i] is symbol i + 1 */
	uint32_t sym_cnt;
	struct eb_rel *rels;
	size_t rel_cnt;
	Elf64_Phdr *phdrs;	/* host order; encoded at build */
	uint32_t phnum;

	/* Set by eb_build(). */
	uint8_t *img;
	size_t img_len;
	struct eb_sec *all;	/* every section of the image, [0] null */
	uint32_t shnum;
	uint64_t shoff;
	uint64_t *sec_off;	/* [shnum] */
	uint32_t *rel_idx;	/* [sec_cnt + 1] */
	uint32_t *rela_idx;
	uint32_t symtab, strtab;
	char *str;		/* .strtab contents */
	size_t str_len;
};

static void die(const char *what)
{
	fprintf(stderr, "elf_builder: %s\n", what);
	abort();
}

static void *xrealloc(void *p, size_t cnt, size_t size)
{
	if (size && cnt > SIZE_MAX / size)
		die("size overflow");
	p = realloc(p, cnt * size > 0 ? cnt * size : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t cnt, size_t size)
{
	void *p = calloc(cnt ? cnt : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	return s ? strcpy(xrealloc(NULL, strlen(s) + 1, 1), s) : NULL;
}

/* Byte by byte, so the host's byte order never matters. */
static void enc(uint8_t *p, unsigned int width, uint64_t v, bool be)
{
	for (unsigned int i = 0; i < width; i++)
		p[be ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint64_t dec(const uint8_t *p, unsigned int width, bool be)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < width; i++)
		v |= (uint64_t)p[be ? width - 1 - i : i] << (8 * i);
	return v;
}

struct eb *eb_new(unsigned char ei_data, uint16_t e_type, uint16_t e_machine)
{
	struct eb *b = xcalloc(1, sizeof(*b));

	b->be = ei_data == ELFDATA2MSB;
	b->type = e_type;
	b->machine = e_machine;
	return b;
}

static void free_image(struct eb *b)
{
	free(b->img);
	free(b->all);
	free(b->sec_off);
	free(b->rel_idx);
	free(b->rela_idx);
	free(b->str);
	b->img = NULL;
	b->all = NULL;
	b->sec_off = NULL;
	b->rel_idx = b->rela_idx = NULL;
	b->str = NULL;
	b->img_len = b->str_len = 0;
	b->shnum = b->symtab = b->strtab = 0;
}

void eb_free(struct eb *b)
{
	if (!b)
		return;
	free_image(b);
	for (uint32_t i = 0; i < b->sec_cnt; i++) {
		free(b->secs[i].name);
		free(b->secs[i].data);
	}
	for (uint32_t i = 0; i < b->sym_cnt; i++)
		free(b->syms[i].name);
	free(b->secs);
	free(b->syms);
	free(b->rels);
	free(b->phdrs);
	free(b);
}

uint32_t eb_add_section(struct eb *b, const char *name, uint32_t type, uint64_t flags,
			const void *data, size_t len, uint32_t link, uint32_t info,
			uint64_t entsize, uint64_t addralign)
{
	struct eb_sec *s;

	b->secs = xrealloc(b->secs, b->sec_cnt + 1, sizeof(*b->secs));
	s = &b->secs[b->sec_cnt++];
	*s = (struct eb_sec){ .name = xstrdup(name), .type = type, .flags = flags, .len = len,
			      .link = link, .info = info, .entsize = entsize,
			      .addralign = addralign };
	if (data && len)
		s->data = memcpy(xrealloc(NULL, len, 1), data, len);
	return b->sec_cnt;
}

void eb_set_addr(struct eb *b, uint32_t sec, uint64_t addr)
{
	if (sec == 0 || sec > b->sec_cnt)
		die("eb_set_addr: bad section");
	b->secs[sec - 1].addr = addr;
}

uint32_t eb_add_sym(struct eb *b, const char *name, uint64_t value, uint64_t size,
		    uint16_t shndx, unsigned char bind, unsigned char type)
{
	b->syms = xrealloc(b->syms, b->sym_cnt + 1, sizeof(*b->syms));
	b->syms[b->sym_cnt++] = (struct eb_sym){ .name = xstrdup(name), .value = value,
						 .size = size, .shndx = shndx,
						 .info = ELF64_ST_INFO(bind, type) };
	return b->sym_cnt;
}

static void add_rel(struct eb *b, struct eb_rel r)
{
	if (r.target == 0 || r.target > b->sec_cnt)
		die("eb_add_rel: target must be a section added with eb_add_section");
	b->rels = xrealloc(b->rels, b->rel_cnt + 1, sizeof(*b->rels));
	b->rels[b->rel_cnt++] = r;
}

void eb_add_rel(struct eb *b, uint32_t target, uint64_t offset, uint32_t sym, uint32_t type)
{
	add_rel(b, (struct eb_rel){ .target = target, .off = offset, .sym = sym, .type = type });
}

void eb_add_rela(struct eb *b, uint32_t target, uint64_t offset, uint32_t sym, uint32_t type,
		 int64_t addend)
{
	add_rel(b, (struct eb_rel){ .target = target, .rela = true, .off = offset, .sym = sym,
				    .type = type, .addend = addend });
}

void eb_add_phdr(struct eb *b, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
		 uint64_t filesz, uint64_t memsz, uint64_t align)
{
	b->phdrs = xrealloc(b->phdrs, b->phnum + 1, sizeof(*b->phdrs));
	b->phdrs[b->phnum++] = (Elf64_Phdr){ .p_type = type, .p_flags = flags,
					     .p_offset = offset, .p_vaddr = vaddr,
					     .p_paddr = vaddr, .p_filesz = filesz,
					     .p_memsz = memsz, .p_align = align };
}

/* ---- build ---- */

static uint32_t add_str(struct eb *b, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = (uint32_t)b->str_len;

	if (!*s)
		return 0;
	b->str = xrealloc(b->str, b->str_len + n, 1);
	memcpy(b->str + b->str_len, s, n);
	b->str_len += n;
	return off;
}

static uint32_t name_off(struct eb *b, const char *s)
{
	return s ? add_str(b, s) : 0;
}

/* One generated .rel/.rela section for target t, or nothing if it has no entries. */
static void gen_rel(struct eb *b, uint32_t t, bool rela, struct eb_sec *out, uint32_t *idx)
{
	size_t ent = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel), cnt = 0;
	const char *tname = b->secs[t - 1].name ? b->secs[t - 1].name : "";
	uint8_t *p;
	char *name;

	for (size_t i = 0; i < b->rel_cnt; i++)
		cnt += b->rels[i].target == t && b->rels[i].rela == rela;
	if (!cnt)
		return;
	name = xrealloc(NULL, strlen(tname) + 6, 1);
	sprintf(name, "%s%s", rela ? ".rela" : ".rel", tname);
	p = xcalloc(cnt, ent);
	*out = (struct eb_sec){ .name = name, .type = rela ? SHT_RELA : SHT_REL,
				.flags = SHF_INFO_LINK, .data = p, .len = cnt * ent,
				.link = b->symtab, .info = t, .entsize = ent, .addralign = 8 };
	for (size_t i = 0; i < b->rel_cnt; i++) {
		const struct eb_rel *r = &b->rels[i];

		if (r->target != t || r->rela != rela)
			continue;
		enc(p, 8, r->off, b->be);
		enc(p + 8, 8, ELF64_R_INFO((uint64_t)r->sym, r->type), b->be);
		if (rela)
			enc(p + 16, 8, (uint64_t)r->addend, b->be);
		p += ent;
	}
	*idx = (uint32_t)(out - b->all);
}

static void gen_symtab(struct eb *b, struct eb_sec *out)
{
	uint8_t *p = xcalloc(b->sym_cnt + 1, sizeof(Elf64_Sym));
	uint32_t first_global = b->sym_cnt + 1;

	for (uint32_t i = 0; i < b->sym_cnt; i++) {
		const struct eb_sym *s = &b->syms[i];
		uint8_t *e = p + (i + 1) * sizeof(Elf64_Sym);

		enc(e, 4, name_off(b, s->name), b->be);
		e[4] = s->info;
		enc(e + 6, 2, s->shndx, b->be);
		enc(e + 8, 8, s->value, b->be);
		enc(e + 16, 8, s->size, b->be);
		if (ELF64_ST_BIND(s->info) != STB_LOCAL && first_global > i + 1)
			first_global = i + 1;
	}
	*out = (struct eb_sec){ .name = xstrdup(".symtab"), .type = SHT_SYMTAB, .data = p,
				.len = (b->sym_cnt + 1) * sizeof(Elf64_Sym), .link = b->strtab,
				.info = first_global, .entsize = sizeof(Elf64_Sym),
				.addralign = 8 };
}

/* Fill b->all: null, user sections, .rel*, .symtab, .strtab. */
static void gen_sections(struct eb *b)
{
	uint32_t nrel = 0, i = 1 + b->sec_cnt;

	for (uint32_t t = 1; t <= b->sec_cnt; t++) {
		bool has_rel = false, has_rela = false;

		for (size_t k = 0; k < b->rel_cnt; k++) {
			has_rel |= b->rels[k].target == t && !b->rels[k].rela;
			has_rela |= b->rels[k].target == t && b->rels[k].rela;
		}
		nrel += has_rel + has_rela;
	}
	b->shnum = 1 + b->sec_cnt + nrel + (b->sym_cnt || b->rel_cnt) + 1;
	b->symtab = (b->sym_cnt || b->rel_cnt) ? 1 + b->sec_cnt + nrel : 0;
	b->strtab = b->shnum - 1;
	b->all = xcalloc(b->shnum, sizeof(*b->all));
	b->rel_idx = xcalloc(b->sec_cnt + 1, sizeof(uint32_t));
	b->rela_idx = xcalloc(b->sec_cnt + 1, sizeof(uint32_t));
	memcpy(b->all + 1, b->secs, b->sec_cnt * sizeof(*b->secs));

	for (uint32_t t = 1; t <= b->sec_cnt; t++) {
		gen_rel(b, t, false, &b->all[i], &b->rel_idx[t]);
		i += b->rel_idx[t] != 0;
		gen_rel(b, t, true, &b->all[i], &b->rela_idx[t]);
		i += b->rela_idx[t] != 0;
	}
	b->str = xcalloc(1, 1);
	b->str_len = 1;
	if (b->symtab)
		gen_symtab(b, &b->all[b->symtab]);
	b->all[b->strtab] = (struct eb_sec){ .name = xstrdup(".strtab"), .type = SHT_STRTAB,
					     .addralign = 1 };
}

static uint64_t align_up(uint64_t off, uint64_t align)
{
	if (align <= 1)
		return off;
	return (off + align - 1) / align * align;
}

static uint64_t layout(struct eb *b, enum eb_layout lay, uint64_t *name_offs)
{
	uint64_t off = sizeof(Elf64_Ehdr) + (uint64_t)b->phnum * sizeof(Elf64_Phdr);

	for (uint32_t i = 1; i < b->shnum; i++)
		name_offs[i] = name_off(b, b->all[i].name);
	/* .strtab is complete only now: every name has been added. */
	b->all[b->strtab].len = b->str_len;

	b->sec_off = xcalloc(b->shnum, sizeof(uint64_t));
	if (lay == EB_SHDRS_FIRST) {
		b->shoff = off = align_up(off, 8);
		off += (uint64_t)b->shnum * sizeof(Elf64_Shdr);
	}
	for (uint32_t i = 1; i < b->shnum; i++) {
		const struct eb_sec *s = &b->all[i];

		if (s->type != SHT_NOBITS)
			off = align_up(off, s->addralign);
		b->sec_off[i] = off;
		if (s->type != SHT_NOBITS)
			off += s->len;
	}
	if (lay == EB_SHDRS_LAST) {
		b->shoff = off = align_up(off, 8);
		off += (uint64_t)b->shnum * sizeof(Elf64_Shdr);
	}
	return off;
}

static void write_ehdr(struct eb *b)
{
	uint8_t *p = b->img;

	memcpy(p, ELFMAG, SELFMAG);
	p[EI_CLASS] = ELFCLASS64;
	p[EI_DATA] = b->be ? ELFDATA2MSB : ELFDATA2LSB;
	p[EI_VERSION] = EV_CURRENT;
	enc(p + 16, 2, b->type, b->be);
	enc(p + 18, 2, b->machine, b->be);
	enc(p + 20, 4, EV_CURRENT, b->be);
	enc(p + 32, 8, b->phnum ? sizeof(Elf64_Ehdr) : 0, b->be);
	enc(p + 40, 8, b->shoff, b->be);
	enc(p + 52, 2, sizeof(Elf64_Ehdr), b->be);
	enc(p + 54, 2, sizeof(Elf64_Phdr), b->be);
	enc(p + 56, 2, b->phnum, b->be);
	enc(p + 58, 2, sizeof(Elf64_Shdr), b->be);
	enc(p + 60, 2, b->shnum, b->be);
	enc(p + 62, 2, b->strtab, b->be);
}

static void write_phdrs(struct eb *b)
{
	for (uint32_t i = 0; i < b->phnum; i++) {
		const Elf64_Phdr *h = &b->phdrs[i];
		uint8_t *p = b->img + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr);

		enc(p, 4, h->p_type, b->be);
		enc(p + 4, 4, h->p_flags, b->be);
		enc(p + 8, 8, h->p_offset, b->be);
		enc(p + 16, 8, h->p_vaddr, b->be);
		enc(p + 24, 8, h->p_paddr, b->be);
		enc(p + 32, 8, h->p_filesz, b->be);
		enc(p + 40, 8, h->p_memsz, b->be);
		enc(p + 48, 8, h->p_align, b->be);
	}
}

static void write_sections(struct eb *b, const uint64_t *name_offs)
{
	for (uint32_t i = 1; i < b->shnum; i++) {
		const struct eb_sec *s = &b->all[i];
		uint8_t *h = b->img + b->shoff + i * sizeof(Elf64_Shdr);
		const void *data = i == b->strtab ? (const void *)b->str : s->data;

		enc(h, 4, name_offs[i], b->be);
		enc(h + 4, 4, s->type, b->be);
		enc(h + 8, 8, s->flags, b->be);
		enc(h + 16, 8, s->addr, b->be);
		enc(h + 24, 8, b->sec_off[i], b->be);
		enc(h + 32, 8, s->len, b->be);
		enc(h + 40, 4, s->link, b->be);
		enc(h + 44, 4, s->info, b->be);
		enc(h + 48, 8, s->addralign, b->be);
		enc(h + 56, 8, s->entsize, b->be);
		if (s->type != SHT_NOBITS && data && s->len)
			memcpy(b->img + b->sec_off[i], data, s->len);
	}
}

void eb_build(struct eb *b, enum eb_layout lay)
{
	uint64_t *name_offs;

	free_image(b);
	gen_sections(b);
	name_offs = xcalloc(b->shnum, sizeof(uint64_t));
	b->img_len = layout(b, lay, name_offs);
	b->img = xcalloc(b->img_len, 1);
	write_ehdr(b);
	write_phdrs(b);
	write_sections(b, name_offs);
	free(name_offs);
	/* Generated sections own their data; user sections are still in b->secs. */
	for (uint32_t i = 1 + b->sec_cnt; i < b->shnum; i++) {
		free(b->all[i].name);
		free(b->all[i].data);
		b->all[i].name = NULL;
		b->all[i].data = NULL;
	}
}

uint8_t *eb_buf(const struct eb *b)
{
	return b->img;
}

size_t eb_len(const struct eb *b)
{
	return b->img_len;
}

uint8_t *eb_take(struct eb *b, size_t *len)
{
	uint8_t *p = b->img;

	*len = b->img_len;
	b->img = NULL;
	b->img_len = 0;
	return p;
}

uint32_t eb_symtab_idx(const struct eb *b)
{
	return b->symtab;
}

uint32_t eb_strtab_idx(const struct eb *b)
{
	return b->strtab;
}

uint32_t eb_rel_idx(const struct eb *b, uint32_t target)
{
	return b->rel_idx && target <= b->sec_cnt ? b->rel_idx[target] : 0;
}

uint32_t eb_rela_idx(const struct eb *b, uint32_t target)
{
	return b->rela_idx && target <= b->sec_cnt ? b->rela_idx[target] : 0;
}

uint32_t eb_shnum(const struct eb *b)
{
	return b->shnum;
}

uint64_t eb_shdr_off(const struct eb *b, uint32_t sec)
{
	if (!b->img || sec >= b->shnum)
		die("eb_shdr_off: no image or bad section");
	return b->shoff + (uint64_t)sec * sizeof(Elf64_Shdr);
}

uint64_t eb_sec_off(const struct eb *b, uint32_t sec)
{
	if (!b->img || sec >= b->shnum)
		die("eb_sec_off: no image or bad section");
	return b->sec_off[sec];
}

uint64_t eb_sym_off(const struct eb *b, uint32_t sym)
{
	if (!b->symtab || sym > b->sym_cnt)
		die("eb_sym_off: no .symtab or bad symbol");
	return eb_sec_off(b, b->symtab) + (uint64_t)sym * sizeof(Elf64_Sym);
}

uint32_t eb_str_off(const struct eb *b, const char *s)
{
	for (size_t off = 0; b->str && off < b->str_len; off += strlen(b->str + off) + 1) {
		if (strcmp(b->str + off, s) == 0)
			return (uint32_t)off;
	}
	die("eb_str_off: string not in .strtab");
	return 0;
}

static void check_span(const struct eb *b, uint64_t off, unsigned int width)
{
	if (!b->img || (width != 1 && width != 2 && width != 4 && width != 8) ||
	    width > b->img_len || off > b->img_len - width)
		die("eb_put/eb_get: outside the image or bad width");
}

void eb_put(struct eb *b, uint64_t off, unsigned int width, uint64_t v)
{
	check_span(b, off, width);
	enc(b->img + off, width, v, b->be);
}

uint64_t eb_get(const struct eb *b, uint64_t off, unsigned int width)
{
	check_span(b, off, width);
	return dec(b->img + off, width, b->be);
}

void eb_put_u16(struct eb *b, uint64_t off, uint16_t v)
{
	eb_put(b, off, 2, v);
}

void eb_put_u32(struct eb *b, uint64_t off, uint32_t v)
{
	eb_put(b, off, 4, v);
}

void eb_put_u64(struct eb *b, uint64_t off, uint64_t v)
{
	eb_put(b, off, 8, v);
}
