/* SPDX-License-Identifier: BSD-2-Clause */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sweep_util.h"

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

uint8_t *su_dup(const void *buf, size_t len)
{
	uint8_t *p = xmalloc(len);

	if (len)
		memcpy(p, buf, len);
	return p;
}

/* ---- files ---- */

int su_read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t n = 0, cap = 0, got;
	int err = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			p = realloc(p, cap);
			if (!p)
				abort();
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				err = -EIO;
			break;
		}
	}
	fclose(f);
	if (err) {
		free(p);
		return err;
	}
	/* Exactly sized, so an over-read is an ASan report, not slack. */
	*buf = n ? su_dup(p, n) : NULL;
	*len = n;
	free(p);
	return 0;
}

int su_write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -EIO;
	return err;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct su_file *)a)->name, ((const struct su_file *)b)->name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int su_load_dir(const char *dir, const char *suffix, struct su_file **files, size_t *cnt)
{
	struct su_file *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int err = 0;

	*files = NULL;
	*cnt = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		struct su_file f = { 0 };
		struct stat st;
		size_t plen;

		if (de->d_name[0] == '.' || !ends_with(de->d_name, suffix))
			continue;
		plen = strlen(dir) + strlen(de->d_name) + 2;
		f.path = xmalloc(plen);
		snprintf(f.path, plen, "%s/%s", dir, de->d_name);
		if (stat(f.path, &st) || !S_ISREG(st.st_mode)) {
			free(f.path);
			continue;
		}
		err = su_read_file(f.path, &f.buf, &f.len);
		if (err) {
			free(f.path);
			break;
		}
		f.name = xstrdup(de->d_name);
		if (ends_with(f.name, ".o"))
			f.name[strlen(f.name) - 2] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		v[n++] = f;
	}
	closedir(d);
	if (err) {
		su_free_files(v, n);
		return err;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_file);
	*files = v;
	*cnt = n;
	return 0;
}

void su_free_files(struct su_file *files, size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		free(files[i].name);
		free(files[i].path);
		free(files[i].buf);
	}
	free(files);
}

/* ---- ELF64 fields ---- */

uint64_t su_get(const uint8_t *buf, uint64_t off, unsigned int width, bool be)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < width; i++) {
		unsigned int shift = be ? 8 * (width - 1 - i) : 8 * i;

		v |= (uint64_t)buf[off + i] << shift;
	}
	return v;
}

void su_put(uint8_t *buf, uint64_t off, unsigned int width, uint64_t v, bool be)
{
	unsigned int i;

	for (i = 0; i < width; i++) {
		unsigned int shift = be ? 8 * (width - 1 - i) : 8 * i;

		buf[off + i] = (uint8_t)(v >> shift);
	}
}

#define EH(buf, e, field)							\
	su_get((buf), offsetof(Elf64_Ehdr, field), sizeof(((Elf64_Ehdr *)0)->field), (e)->be)
#define SH(buf, base, e, field)							\
	su_get((buf), (base) + offsetof(Elf64_Shdr, field),			\
	       sizeof(((Elf64_Shdr *)0)->field), (e)->be)

uint64_t su_shdr_off(const struct su_elf *e, uint32_t idx)
{
	return e->shoff + (uint64_t)idx * e->shentsize;
}

void su_shdr_get(const uint8_t *buf, const struct su_elf *e, uint32_t idx, struct su_shdr *sh)
{
	uint64_t b = su_shdr_off(e, idx);

	sh->name = (uint32_t)SH(buf, b, e, sh_name);
	sh->type = (uint32_t)SH(buf, b, e, sh_type);
	sh->flags = SH(buf, b, e, sh_flags);
	sh->addr = SH(buf, b, e, sh_addr);
	sh->off = SH(buf, b, e, sh_offset);
	sh->size = SH(buf, b, e, sh_size);
	sh->link = (uint32_t)SH(buf, b, e, sh_link);
	sh->info = (uint32_t)SH(buf, b, e, sh_info);
	sh->addralign = SH(buf, b, e, sh_addralign);
	sh->entsize = SH(buf, b, e, sh_entsize);
}

static bool in_file(uint64_t off, uint64_t n, uint64_t len)
{
	return n <= len && off <= len - n;
}

int su_elf_read(const uint8_t *buf, size_t len, struct su_elf *e)
{
	uint32_t i;

	if (len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) ||
	    buf[EI_CLASS] != ELFCLASS64 ||
	    (buf[EI_DATA] != ELFDATA2LSB && buf[EI_DATA] != ELFDATA2MSB))
		return -EBADMSG;
	e->be = buf[EI_DATA] == ELFDATA2MSB;
	e->shoff = EH(buf, e, e_shoff);
	e->shnum = (uint32_t)EH(buf, e, e_shnum);
	e->shentsize = (uint32_t)EH(buf, e, e_shentsize);
	e->shstrndx = (uint32_t)EH(buf, e, e_shstrndx);
	e->phnum = (uint32_t)EH(buf, e, e_phnum);
	if (e->shentsize != sizeof(Elf64_Shdr) || e->shnum == 0 || e->shstrndx >= e->shnum ||
	    !in_file(e->shoff, (uint64_t)e->shnum * e->shentsize, len))
		return -EBADMSG;
	for (i = 1; i < e->shnum; i++) {
		struct su_shdr sh;

		su_shdr_get(buf, e, i, &sh);
		if (sh.type != SHT_NOBITS && !in_file(sh.off, sh.size, len))
			return -EBADMSG;
	}
	return 0;
}

const char *su_sec_name(const uint8_t *buf, size_t len, const struct su_elf *e, uint32_t idx)
{
	struct su_shdr str, sh;

	if (idx >= e->shnum)
		return NULL;
	su_shdr_get(buf, e, e->shstrndx, &str);
	su_shdr_get(buf, e, idx, &sh);
	if (str.type == SHT_NOBITS || !in_file(str.off, str.size, len) || sh.name >= str.size ||
	    !memchr(buf + str.off + sh.name, '\0', str.size - sh.name))
		return NULL;
	return (const char *)buf + str.off + sh.name;
}

uint32_t su_find_sec(const uint8_t *buf, size_t len, const struct su_elf *e, const char *name)
{
	uint32_t i;

	for (i = 1; i < e->shnum; i++) {
		const char *s = su_sec_name(buf, len, e, i);

		if (s && !strcmp(s, name))
			return i;
	}
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

uint8_t *su_shdrs_first(const uint8_t *in, size_t len, size_t *out_len)
{
	struct su_elf e, oe;
	uint64_t tab_len, pos, total;
	uint8_t *out;
	uint32_t i;

	if (su_elf_read(in, len, &e) || e.phnum)
		return NULL;
	tab_len = (uint64_t)e.shnum * e.shentsize;
	/* Pass 1: size of the new image. */
	pos = align_up(sizeof(Elf64_Ehdr), 8) + tab_len;
	for (i = 1; i < e.shnum; i++) {
		struct su_shdr sh;

		su_shdr_get(in, &e, i, &sh);
		if (sh.addralign & (sh.addralign - 1) || sh.addralign > 4096)
			return NULL;
		pos = align_up(pos, sh.addralign);
		if (sh.type != SHT_NOBITS)
			pos += sh.size;
	}
	total = pos;
	out = xmalloc(total);
	memset(out, 0, total);
	memcpy(out, in, sizeof(Elf64_Ehdr));
	oe = e;
	oe.shoff = align_up(sizeof(Elf64_Ehdr), 8);
	su_put(out, offsetof(Elf64_Ehdr, e_shoff), 8, oe.shoff, e.be);
	memcpy(out + oe.shoff, in + e.shoff, tab_len);
	/* Pass 2: place the contents and point sh_offset at them. */
	pos = oe.shoff + tab_len;
	for (i = 1; i < e.shnum; i++) {
		struct su_shdr sh;

		su_shdr_get(in, &e, i, &sh);
		pos = align_up(pos, sh.addralign);
		su_put(out, su_shdr_off(&oe, i) + offsetof(Elf64_Shdr, sh_offset), 8, pos, e.be);
		if (sh.type != SHT_NOBITS) {
			if (sh.size)
				memcpy(out + pos, in + sh.off, sh.size);
			pos += sh.size;
		}
	}
	*out_len = total;
	return out;
}

/* ---- PRNG ---- */

void su_rng_seed(struct su_rng *r, uint64_t seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15ull;	/* xorshift must not start at 0 */
}

uint64_t su_rng_next(struct su_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t su_rng_below(struct su_rng *r, uint64_t n)
{
	/* The modulo bias is irrelevant for n far below 2^64. */
	return su_rng_next(r) % n;
}

uint64_t su_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ---- mutations ---- */

static const uint32_t u32_vals[] = {
	0, 0xffffffffu, 1, 2, 3, 4, 7, 8, 12, 16, 24, 32, 64, 0x7fffffffu, 0x80000000u, 0xfffffff0u,
};

static uint64_t pick_off(struct su_rng *r, size_t len, const struct su_region *hot,
			 size_t hot_cnt)
{
	if (hot_cnt && su_rng_below(r, 2)) {
		const struct su_region *h = &hot[su_rng_below(r, hot_cnt)];

		if (h->len && h->off < len)
			return h->off + su_rng_below(r, h->len < len - h->off ? h->len : len - h->off);
	}
	return su_rng_below(r, len);
}

void su_mut_apply(uint8_t *buf, size_t *len, bool be, const struct su_mut *m)
{
	switch (m->kind) {
	case SU_MUT_FLIP:
		if (m->off < *len)
			buf[m->off] ^= (uint8_t)m->val;
		break;
	case SU_MUT_U32:
		if (in_file(m->off, 4, *len))
			su_put(buf, m->off, 4, m->val, be);
		break;
	case SU_MUT_COPY:
		if (in_file(m->off, m->n, *len) && in_file(m->src, m->n, *len))
			memmove(buf + m->off, buf + m->src, m->n);
		break;
	case SU_MUT_TRUNC:
		if (m->off < *len)
			*len = m->off;
		break;
	}
}

size_t su_mutate(struct su_rng *r, uint8_t *buf, size_t *len, bool be,
		 const struct su_region *hot, size_t hot_cnt, struct su_mut *muts)
{
	size_t cnt = 1 + su_rng_below(r, SU_MUT_MAX), i;

	for (i = 0; i < cnt; i++) {
		struct su_mut *m = &muts[i];
		uint64_t k = su_rng_below(r, 16);

		*m = (struct su_mut){ 0 };
		if (*len < 8) {
			m->kind = SU_MUT_FLIP;
			m->off = *len ? su_rng_below(r, *len) : 0;
			m->val = 1u << su_rng_below(r, 8);
		} else if (k < 6) {
			m->kind = SU_MUT_FLIP;
			m->off = pick_off(r, *len, hot, hot_cnt);
			/* Mostly one bit; sometimes a whole random byte. */
			m->val = su_rng_below(r, 4) ? 1u << su_rng_below(r, 8)
						    : 1 + (uint32_t)su_rng_below(r, 255);
		} else if (k < 12) {
			m->kind = SU_MUT_U32;
			m->off = pick_off(r, *len - 3, hot, hot_cnt) & ~(uint64_t)3;
			m->val = su_rng_below(r, 8) ? u32_vals[su_rng_below(r, 16)]
						    : (uint32_t)su_rng_next(r);
		} else if (k < 15) {
			m->kind = SU_MUT_COPY;
			m->n = 1 + su_rng_below(r, *len / 2 < 64 ? *len / 2 : 64);
			m->off = pick_off(r, *len - m->n + 1, hot, hot_cnt);
			m->src = su_rng_below(r, *len - m->n + 1);
		} else {
			m->kind = SU_MUT_TRUNC;
			m->off = su_rng_below(r, *len);
		}
		su_mut_apply(buf, len, be, m);
	}
	return cnt;
}

void su_mut_str(const struct su_mut *m, char *out, size_t size)
{
	switch (m->kind) {
	case SU_MUT_FLIP:
		snprintf(out, size, "flip 0x%" PRIx64 " ^0x%02x", m->off, m->val);
		break;
	case SU_MUT_U32:
		snprintf(out, size, "u32 0x%" PRIx64 " = 0x%x", m->off, m->val);
		break;
	case SU_MUT_COPY:
		snprintf(out, size, "copy 0x%" PRIx64 " <- 0x%" PRIx64 " (%" PRIu64 ")", m->off,
			 m->src, m->n);
		break;
	case SU_MUT_TRUNC:
		snprintf(out, size, "trunc 0x%" PRIx64, m->off);
		break;
	}
}
