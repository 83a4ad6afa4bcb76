/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Uprobe symbol offsets; see usym.h. Symbols are decoded through
 * bbpf_elf_sym() (validated at parse time); the version sections
 * (.gnu.version, .gnu.version_d), which bbpf_elf_parse() does not check,
 * are read here through span_ok() and the cursor. A malformed version
 * section makes the affected lookups miss, as libelf's failing getters do in
 * libbpf; it is never an error of its own.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include "usym.h"
#include "../base/cursor.h"
#include "../base/num.h"

#define VERSYM_HIDDEN	0x8000u
#define VERSYM_VERSION	0x7fffu
#define VERDEF_SIZE	20u	/* Elf64_Verdef */
#define VERDAUX_SIZE	8u	/* Elf64_Verdaux */

/* One symbol table and, for .dynsym, its version sections. */
struct table {
	const struct bbpf_elf *elf;
	uint32_t idx;			/* section index, 0 if absent */
	uint32_t cnt;
	bool dynsym;
	const uint8_t *versym;		/* .gnu.version bytes, NULL if none */
	uint64_t versym_len;
	uint32_t verdef;		/* .gnu.version_d section, 0 if none */
};

/* A symbol as the matchers see it. */
struct cand {
	struct bbpf_elf_sym s;
	uint32_t i;
	uint64_t off;
	uint16_t ver;
	bool hidden;
};

static uint32_t first_sec_of_type(const struct bbpf_elf *elf, uint32_t type)
{
	for (uint32_t i = 1; i < elf->shnum; i++) {
		if (elf->shdrs[i].type == type)
			return i;
	}
	return 0;
}

/* libbpf takes the first SHT_GNU_versym / SHT_GNU_verdef section of the file. */
static void table_init(struct table *t, const struct bbpf_elf *elf, uint32_t idx)
{
	uint32_t vs;

	memset(t, 0, sizeof(*t));
	t->elf = elf;
	t->idx = idx;
	t->cnt = bbpf_elf_sym_cnt(elf, idx);	/* 0 for idx 0 */
	t->dynsym = idx && idx == elf->dynsym;
	if (!t->dynsym)
		return;
	vs = first_sec_of_type(elf, SHT_GNU_versym);
	if (vs) {
		/* NULL when empty (or NOBITS); versym_len is read only with versym */
		t->versym = bbpf_elf_sec_data(elf, vs);
		t->versym_len = elf->shdrs[vs].size;
	}
	if (t->versym)
		t->verdef = first_sec_of_type(elf, SHT_GNU_verdef);
}

/* A NUL-terminated string at off in string table sec; NULL if anything is off. */
static const char *strtab_str(const struct bbpf_elf *elf, uint32_t sec, uint64_t off)
{
	const struct bbpf_elf_shdr *s = bbpf_elf_shdr(elf, sec);
	const uint8_t *p;

	if (!s || sec == 0 || s->type != SHT_STRTAB || off >= s->size)
		return NULL;
	p = bbpf_elf_sec_data(elf, sec);
	if (!p || p[s->size - 1] != '\0')
		return NULL;
	return (const char *)p + off;
}

/*
 * The name of version index ver in .gnu.version_d: walk the vd_next chain
 * for vd_ndx == ver, then its first Verdaux's vda_name (libbpf's
 * elf_get_vername). Bounded: at most 0x8000 entries (there are no more
 * version indices) and every entry must lie in the section.
 */
static const char *version_name(const struct table *t, uint16_t ver)
{
	const struct bbpf_elf *elf = t->elf;
	const struct bbpf_elf_shdr *s = bbpf_elf_shdr(elf, t->verdef);
	const uint8_t *p = bbpf_elf_sec_data(elf, t->verdef);
	uint64_t off = 0;

	if (!t->verdef || !s || !p)
		return NULL;
	for (uint32_t n = 0; n <= VERSYM_VERSION; n++) {
		uint32_t aux, next;

		/* vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash, vd_aux, vd_next */
		if (!span_ok(off, VERDEF_SIZE, s->size))
			return NULL;
		aux = load_u32(p + off + 12, elf->swap);
		next = load_u32(p + off + 16, elf->swap);
		if (load_u16(p + off + 4, elf->swap) == ver) {
			if (!span_ok(off + aux, VERDAUX_SIZE, s->size))
				return NULL;
			/* vda_name; vda_next follows */
			return strtab_str(elf, s->link, load_u32(p + off + aux, elf->swap));
		}
		if (!next)
			return NULL;
		off += next;
	}
	return NULL;
}

static bool type_ok(uint8_t type, unsigned int flags)
{
	switch (type) {
	case STT_FUNC:
		return !(flags & BBPF_USYM_NO_FUNC);
	case STT_GNU_IFUNC:
		return flags & BBPF_USYM_IFUNC;
	case STT_OBJECT:
		return flags & BBPF_USYM_OBJECT;
	default:
		return false;
	}
}

/*
 * Symbol i as a candidate: a wanted type, a version entry when the table
 * has versions (libbpf skips a .dynsym symbol gelf_getversym() cannot
 * read). *undef is set for an undefined symbol of a wanted type, which is
 * then not a candidate. The offset goes through the symbol's section.
 */
static bool cand_get(const struct table *t, uint32_t i, unsigned int flags, struct cand *c,
		     bool *undef)
{
	const struct bbpf_elf_shdr *sec;

	*undef = false;
	if (bbpf_elf_sym(t->elf, t->idx, i, &c->s) != 0 || !type_ok(c->s.type, flags))
		return false;
	c->ver = 0;
	c->hidden = false;
	if (t->versym) {
		uint64_t at = (uint64_t)i * 2;

		if (!span_ok(at, 2, t->versym_len))
			return false;
		/* Elf64_Versym: a half-word in the file's byte order. */
		c->ver = t->elf->big_endian ? (uint16_t)(t->versym[at] << 8 | t->versym[at + 1]) :
					      (uint16_t)(t->versym[at] | t->versym[at + 1] << 8);
		c->hidden = c->ver & VERSYM_HIDDEN;
		c->ver &= VERSYM_VERSION;
	}
	if (c->s.shndx == SHN_UNDEF) {
		*undef = true;
		return false;
	}
	if (c->s.shndx >= t->elf->shnum)	/* SHN_ABS, SHN_COMMON: libbpf finds no section */
		return false;
	sec = &t->elf->shdrs[c->s.shndx];
	c->i = i;
	c->off = c->s.value - sec->addr + sec->off;	/* libbpf's unsigned long arithmetic */
	return true;
}

/* Length of name up to its first '@' (the whole name if none). */
static size_t base_len(const char *name)
{
	size_t n = 0;

	while (name[n] && name[n] != '@')
		n++;
	return n;
}

/* ---- matching one name (libbpf's symbol_match) ---- */

struct query {
	struct bbpf_usym *q;
	size_t idx;		/* in the caller's array */
	size_t base;		/* length before '@' */
	const char *ver;	/* after "@" or "@@"; NULL for a plain name */
	bool dyn_done;		/* found in .dynsym: .symtab is not consulted */
};

static void query_init(struct query *w, struct bbpf_usym *q, size_t idx)
{
	const char *at;

	w->q = q;
	w->idx = idx;
	w->base = base_len(q->name);
	at = q->name[w->base] ? q->name + w->base : NULL;
	w->ver = at ? at + (at[1] == '@' ? 2 : 1) : NULL;
	w->dyn_done = false;
}

/* The symbol's base (up to '@') equals the query's; is it a match? */
static bool name_match(const struct table *t, const struct cand *c, const struct query *w,
		       unsigned int flags)
{
	const char *name = c->s.name, *vn;

	if (flags & BBPF_USYM_EXACT)
		return strcmp(name, w->q->name) == 0;
	if (!w->ver) {
		if (!(flags & BBPF_USYM_DEFAULT_VER))
			return true;
		if (t->dynsym)
			return !c->hidden;
		/* .symtab: "f@V" is a non-default version, "f@@V" the default. */
		return name[w->base] != '@' || name[w->base + 1] == '@';
	}
	if (t->dynsym) {
		vn = version_name(t, c->ver);
		return vn && strcmp(vn, w->ver) == 0;
	}
	return strcmp(name, w->q->name) == 0;
}

/* Record a match under libbpf's multiple-match rule. */
static int record(const struct table *t, const struct cand *c, struct query *w)
{
	struct bbpf_usym *q = w->q;

	if (q->off) {
		if (c->off == q->off)
			return 0;
		if (q->bind != STB_WEAK && c->s.bind != STB_WEAK)
			return -ENOTUNIQ;
		if (c->s.bind == STB_WEAK)
			return 0;
	}
	q->off = c->off;
	q->addr = c->s.value;
	q->size = c->s.size;
	q->table = t->idx;
	q->sym = c->i;
	q->bind = c->s.bind;
	q->type = c->s.type;
	return 0;
}

static void reset(struct bbpf_usym *q)
{
	const char *name = q->name;

	memset(q, 0, sizeof(*q));
	q->name = name;
}

/* ---- the batch: queries sorted by base name, one pass per table ---- */

/* Byte order of a[0..alen) against b[0..blen), as strcmp() orders. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int r = memcmp(a, b, n);

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

static int query_cmp(const struct query *a, const struct query *b)
{
	return key_cmp(a->q->name, a->base, b->q->name, b->base);
}

/* Shell sort: no qsort() in the pure layers. */
static void sort_queries(struct query *w, size_t n)
{
	for (size_t gap = n / 2; gap; gap /= 2) {
		for (size_t i = gap; i < n; i++) {
			struct query tmp = w[i];
			size_t j;

			for (j = i; j >= gap && query_cmp(&w[j - gap], &tmp) > 0; j -= gap)
				w[j] = w[j - gap];
			w[j] = tmp;
		}
	}
}

/* First query whose base is >= name[0..len). */
static size_t lower_bound(const struct query *w, size_t n, const char *name, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(w[mid].q->name, w[mid].base, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int scan_table(const struct table *t, struct query *w, size_t n, unsigned int flags,
		      size_t *bad)
{
	for (uint32_t i = 1; i < t->cnt; i++) {
		struct cand c;
		size_t len, k;
		bool undef;

		if (!cand_get(t, i, flags, &c, &undef) && !undef)
			continue;
		len = base_len(c.s.name);
		for (k = lower_bound(w, n, c.s.name, len);
		     k < n && key_cmp(w[k].q->name, w[k].base, c.s.name, len) == 0; k++) {
			if (w[k].dyn_done || !name_match(t, &c, &w[k], flags))
				continue;
			if (undef) {
				w[k].q->undef_seen = true;
				continue;
			}
			if (record(t, &c, &w[k])) {
				*bad = w[k].idx;
				reset(w[k].q);
				return -ENOTUNIQ;
			}
		}
	}
	return 0;
}

static int resolve(const struct bbpf_elf *elf, struct query *w, size_t n, unsigned int flags,
		   size_t *bad)
{
	struct table t;
	int err;

	/* .dynsym first: a stripped binary may only have it (libbpf's order). */
	table_init(&t, elf, elf->dynsym);
	err = scan_table(&t, w, n, flags, bad);
	if (err)
		return err;
	if (!(flags & BBPF_USYM_EXACT)) {
		for (size_t k = 0; k < n; k++)
			w[k].dyn_done = w[k].q->off != 0;
	}
	table_init(&t, elf, elf->symtab);
	return scan_table(&t, w, n, flags, bad);
}

/*
 * BBPF_USYM_DEFAULT_VER: plain names that found no default version get
 * libbpf's rule after all (a symbol kept only as a compat version stays
 * reachable). Those queries, in sorted order, go through the tables again.
 */
static int default_fallback(const struct bbpf_elf *elf, struct query *w, size_t n,
			    unsigned int flags, struct bbpf_arena *scratch, size_t *bad)
{
	struct query one, *v = &one;
	size_t m = 0;

	for (size_t k = 0; k < n; k++)
		m += !w[k].q->off && !w[k].ver;
	if (!m)
		return 0;
	if (m > 1) {
		v = bbpf_arena_alloc_array(scratch, m, sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	m = 0;
	for (size_t k = 0; k < n; k++) {
		if (w[k].q->off || w[k].ver)
			continue;
		v[m] = w[k];
		v[m].dyn_done = false;
		m++;
	}
	return resolve(elf, v, m, flags & ~(unsigned int)BBPF_USYM_DEFAULT_VER, bad);
}

static int finish(struct query *w, size_t n, size_t *bad)
{
	size_t first = SIZE_MAX;

	for (size_t k = 0; k < n; k++) {
		if (!w[k].q->off && w[k].idx < first)
			first = w[k].idx;
	}
	if (first == SIZE_MAX)
		return 0;
	*bad = first;
	return -ENOENT;
}

#define ALL_FLAGS (BBPF_USYM_IFUNC | BBPF_USYM_OBJECT | BBPF_USYM_NO_FUNC | BBPF_USYM_EXACT | \
		   BBPF_USYM_DEFAULT_VER)

int bbpf_usym_resolve(const struct bbpf_elf *elf, struct bbpf_usym *q, size_t cnt,
		      unsigned int flags, struct bbpf_arena *scratch, size_t *bad)
{
	struct query one, *w = &one;
	size_t dummy;
	int err;

	if (!bad)
		bad = &dummy;
	if (!elf || (!q && cnt) || (flags & ~(unsigned int)ALL_FLAGS) || (cnt > 1 && !scratch))
		return -EINVAL;
	for (size_t k = 0; k < cnt; k++) {
		if (!q[k].name)
			return -EINVAL;
	}
	if (cnt > 1) {
		w = bbpf_arena_alloc_array(scratch, cnt, sizeof(*w));
		if (!w)
			return -ENOMEM;
	}
	for (size_t k = 0; k < cnt; k++) {
		reset(&q[k]);
		query_init(&w[k], &q[k], k);
	}
	sort_queries(w, cnt);
	err = resolve(elf, w, cnt, flags, bad);
	if (!err && (flags & BBPF_USYM_DEFAULT_VER))
		err = default_fallback(elf, w, cnt, flags, scratch, bad);
	if (!err)
		err = finish(w, cnt, bad);
	return err;
}

int bbpf_usym_find(const struct bbpf_elf *elf, const char *name, unsigned int flags,
		   struct bbpf_usym *out)
{
	if (!out || !name)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->name = name;
	return bbpf_usym_resolve(elf, out, 1, flags & ~(unsigned int)BBPF_USYM_EXACT, NULL, NULL);
}

/* ---- patterns ---- */

bool bbpf_usym_glob_match(const char *str, const char *pat)
{
	const char *star_p = NULL, *star_s = NULL;

	/* Iterative, with one backtrack point: linear in practice, never recursive. */
	while (*str) {
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			if (!*pat)
				return true;
			star_p = pat;
			star_s = str;
			continue;
		}
		if (*pat && (*pat == '?' || *pat == *str)) {
			pat++;
			str++;
			continue;
		}
		if (!star_p)
			return false;
		pat = star_p;
		str = ++star_s;
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* Matches of pattern in one table: counted when out is NULL, else stored. */
static size_t glob_table(const struct table *t, const char *pattern, unsigned int flags,
			 struct bbpf_usym *out)
{
	size_t n = 0;

	for (uint32_t i = 1; i < t->cnt; i++) {
		struct cand c;
		bool undef;

		if (!cand_get(t, i, flags, &c, &undef) || !bbpf_usym_glob_match(c.s.name, pattern))
			continue;
		if (out) {
			struct bbpf_usym *u = &out[n];

			memset(u, 0, sizeof(*u));
			u->name = c.s.name;
			u->off = c.off;
			u->addr = c.s.value;
			u->size = c.s.size;
			u->table = t->idx;
			u->sym = i;
			u->bind = c.s.bind;
			u->type = c.s.type;
		}
		n++;
	}
	return n;
}

int bbpf_usym_glob(const struct bbpf_elf *elf, const char *pattern, unsigned int flags,
		   struct bbpf_arena *arena, struct bbpf_usym **out, size_t *cnt)
{
	const uint32_t order[2] = { elf ? elf->symtab : 0, elf ? elf->dynsym : 0 };

	if (!elf || !pattern || !arena || !out || !cnt || (flags & ~(unsigned int)ALL_FLAGS))
		return -EINVAL;
	for (int k = 0; k < 2; k++) {
		struct table t;
		size_t n;

		if (!order[k])
			continue;
		table_init(&t, elf, order[k]);
		n = glob_table(&t, pattern, flags, NULL);
		if (!n)
			continue;	/* only the first table with matches counts */
		*out = bbpf_arena_alloc_array(arena, n, sizeof(**out));
		if (!*out)
			return -ENOMEM;
		*cnt = glob_table(&t, pattern, flags, *out);
		return 0;
	}
	return -ENOENT;
}

/* ---- "func+off" ---- */

void bbpf_usym_split_off(const char *spec, size_t *name_len, int64_t *off)
{
	const char *plus = NULL, *p = spec;
	uint64_t v;

	/* strrchr(spec, '+') and strlen(spec) in one pass (no strrchr/memrchr from libc) */
	for (; p && *p; p++)
		if (*p == '+')
			plus = p;
	*off = 0;
	*name_len = spec ? (size_t)(p - spec) : 0;
	/* strtol(plus + 1, &end, 0) in long range with *end == '\0'; scanf's bare "0x" is 0 */
	if (plus && !bbpf_num_parse(plus + 1, (size_t)(p - plus - 1), BBPF_NUM_BARE_0X | BBPF_NUM_S64,
				    &v)) {
		*name_len = (size_t)(plus - spec);
		*off = (int64_t)v;
	}
}
