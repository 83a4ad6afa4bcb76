/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Symbol addresses from /proc/kallsyms, read in chunks through the syscall
 * table (the file is ~10 MB; memory stays at one chunk plus an index of the
 * wanted names). Lines are "ADDR TYPE NAME[\t[MODULE]]"; as in libbpf 1.1
 * (libbpf_kallsyms_parse + kallsyms_cb) the module part is ignored, so a
 * module symbol matches its bare name, an address of 0 (kptr_restrict)
 * counts as found, and one name seen at two different addresses is
 * ambiguous: -EINVAL. A line that is not of that form is -EINVAL too.
 * The same walk also names addresses (bbpf_kallsyms_names: bpftool's
 * call targets in `prog dump`) and lists every symbol (kprobe.multi).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "kern.h"

#define KALLSYMS_PATH	"/proc/kallsyms"

struct want {
	const char *name;
	size_t idx;	/* into the caller's arrays */
};

struct ksym_scan {
	struct bbpf_ctx *ctx;
	const struct want *want;	/* sorted by name */
	size_t cnt;
	uint64_t *addrs;
	bool *found;
};

struct ksym_walk {
	struct bbpf_ctx *ctx;
	bbpf_kallsyms_fn fn;
	void *arg;
	uint64_t line_no;
};

/*
 * Shell sort by name: a few dozen bytes where qsort() costs 2 KiB in the
 * static CLI. Equal names may end up in any order; match() visits them all.
 */
static void sort_want(struct want *w, size_t n)
{
	size_t gap, i, j;

	for (gap = n / 2; gap; gap /= 2) {
		for (i = gap; i < n; i++) {
			struct want t = w[i];

			for (j = i; j >= gap && strcmp(w[j - gap].name, t.name) > 0; j -= gap)
				w[j] = w[j - gap];
			w[j] = t;
		}
	}
}

/* strcmp() order of tok[0..len) (no NUL inside) against a C string. */
static int tok_cmp(const char *tok, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)tok[i] != (unsigned char)name[i])
			return (unsigned char)tok[i] - (unsigned char)name[i];
	}
	return name[len] ? -1 : 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int match(void *arg, const char *tok, size_t len, uint64_t addr, char type)
{
	struct ksym_scan *s = arg;
	size_t lo = 0, hi = s->cnt, mid, i;
	int c;

	(void)type;

	/* Lower bound of tok among the wanted names. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tok_cmp(tok, len, s->want[mid].name) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < s->cnt; i++) {
		const struct want *w = &s->want[i];

		c = tok_cmp(tok, len, w->name);
		if (c)
			break;
		if (s->found[w->idx] && s->addrs[w->idx] != addr) {
			bbpf_log(&s->ctx->log, BBPF_LOG_WARN,
				 "kallsyms: symbol '%s' is ambiguous: 0x%llx or 0x%llx", w->name,
				 (unsigned long long)s->addrs[w->idx], (unsigned long long)addr);
			return -EINVAL;
		}
		s->found[w->idx] = true;
		s->addrs[w->idx] = addr;
	}
	return 0;
}

/*
 * One line without its newline. truncated: only the first bytes of an
 * overlong line; a name running into the cut is longer than any chunk and
 * is skipped.
 */
static int scan_line(void *arg, const char *p, size_t len, bool truncated)
{
	struct ksym_walk *s = arg;
	const char *end = p + len, *tok;
	uint64_t addr = 0;
	int digits = 0, d;
	char type;

	s->line_no++;
	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return 0;	/* blank lines are skipped, as fscanf() does */
	for (; p < end && (d = hex_val(*p)) >= 0; p++) {
		if (++digits > 16)
			goto bad;
		addr = addr << 4 | (uint64_t)d;
	}
	if (!digits || p == end || !is_blank(*p))
		goto bad;
	while (p < end && is_blank(*p))
		p++;
	if (p == end || is_blank(*p) || !*p)
		goto bad;
	type = *p++;		/* the type letter */
	if (p == end || !is_blank(*p))
		goto bad;
	while (p < end && is_blank(*p))
		p++;
	tok = p;
	while (p < end && !is_blank(*p) && *p)
		p++;
	if (p == tok)
		goto bad;
	if (p == end && truncated)
		return 0;
	return s->fn(s->arg, tok, (size_t)(p - tok), addr, type);
bad:
	bbpf_log(&s->ctx->log, BBPF_LOG_WARN, "kallsyms: line %llu is malformed",
		 (unsigned long long)s->line_no);
	return -EINVAL;
}

int bbpf_kallsyms_walk(struct bbpf_ctx *ctx, bbpf_kallsyms_fn fn, void *arg)
{
	struct ksym_walk w = { .ctx = ctx, .fn = fn, .arg = arg };
	long fd;
	int err;

	fd = ctx->sys.open(ctx->sys.ctx, KALLSYMS_PATH, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		err = (int)fd;
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "kallsyms: cannot open %s: error %s",
			 KALLSYMS_PATH, bbpf_err_name(err));
		return err;
	}
	err = bbpf_sys_read_lines(ctx, (int)fd, scan_line, &w);
	ctx->sys.close(ctx->sys.ctx, (int)fd);	/* released even if close fails */
	if (err)	/* a malformed line was named above; this says which file */
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "kallsyms: cannot read %s: error %s",
			 KALLSYMS_PATH, bbpf_err_name(err));
	return err;
}

int bbpf_kallsyms_resolve(struct bbpf_ctx *ctx, const char *const *names, size_t cnt,
			  uint64_t *addrs, bool *found)
{
	const struct bbpf_alloc *alloc = &ctx->alloc;
	struct ksym_scan s = { .ctx = ctx, .cnt = cnt };
	struct want *want = NULL;
	size_t want_sz, i;
	int err;

	for (i = 0; i < cnt; i++) {
		addrs[i] = 0;
		found[i] = false;
	}
	if (!cnt)
		return 0;
	if (cnt > SIZE_MAX / sizeof(*want))
		return -ENOMEM;
	want_sz = cnt * sizeof(*want);
	want = alloc->resize(alloc->ctx, NULL, 0, want_sz);
	if (!want)
		return -ENOMEM;
	for (i = 0; i < cnt; i++)
		want[i] = (struct want){ .name = names[i], .idx = i };
	sort_want(want, cnt);
	s.want = want;
	s.addrs = addrs;
	s.found = found;
	err = bbpf_kallsyms_walk(ctx, match, &s);
	alloc->resize(alloc->ctx, want, want_sz, 0);
	if (err) {
		for (i = 0; i < cnt; i++) {
			addrs[i] = 0;
			found[i] = false;
		}
	}
	return err;
}

/* bbpf_kallsyms_names: the first name at each wanted address (addrs sorted, no duplicates). */
struct ksym_names {
	const uint64_t *addrs;
	size_t cnt;
	const char **names;
	struct bbpf_arena *arena;
};

static int name_addr(void *arg, const char *tok, size_t len, uint64_t addr, char type)
{
	struct ksym_names *s = arg;
	size_t lo = 0, hi = s->cnt, mid;

	(void)type;
	if (!addr)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->addrs[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->cnt || s->addrs[lo] != addr || s->names[lo])
		return 0;
	s->names[lo] = bbpf_arena_strndup(s->arena, tok, len);
	return s->names[lo] ? 0 : -ENOMEM;
}

int bbpf_kallsyms_names(struct bbpf_ctx *ctx, const uint64_t *addrs, size_t cnt,
			struct bbpf_arena *arena, const char **names)
{
	struct ksym_names s = { .arena = arena };
	uint64_t *sorted;
	const char **snames;
	size_t i, j, n = 0;
	int err;

	for (i = 0; i < cnt; i++)
		names[i] = NULL;
	if (!cnt)
		return 0;
	sorted = bbpf_arena_alloc_array(arena, cnt, sizeof(*sorted));
	snames = bbpf_arena_calloc(arena, cnt, sizeof(*snames));
	if (!sorted || !snames)
		return -ENOMEM;
	/* Insertion into a sorted, duplicate-free list: call sites are few. */
	for (i = 0; i < cnt; i++) {
		for (j = n; j > 0 && sorted[j - 1] > addrs[i]; j--)
			;
		if (j > 0 && sorted[j - 1] == addrs[i])
			continue;
		memmove(sorted + j + 1, sorted + j, (n - j) * sizeof(*sorted));
		sorted[j] = addrs[i];
		n++;
	}
	s.addrs = sorted;
	s.cnt = n;
	s.names = snames;
	err = bbpf_kallsyms_walk(ctx, name_addr, &s);
	for (i = 0; !err && i < cnt; i++) {
		for (j = 0; j < n && sorted[j] != addrs[i]; j++)
			;
		names[i] = j < n ? snames[j] : NULL;
	}
	return err;
}
