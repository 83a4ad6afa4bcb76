/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kprobe.multi/, kretprobe.multi/ and kprobe.session/ programs: one link on
 * many kernel functions (BPF_LINK_CREATE with BPF_TRACE_KPROBE_MULTI, 5.18,
 * or BPF_TRACE_KPROBE_SESSION, 6.10; CONFIG_FPROBE), as libbpf 1.8's
 * bpf_program__attach_kprobe_multi_opts(). A glob pattern ('*', '?') is
 * resolved the way libbpf chooses: against tracefs
 * available_filter_functions_addrs ("ADDR NAME [MODULE]", 6.5+) where that
 * file exists, else the names in available_filter_functions looked up in
 * /proc/kallsyms (every address of a matching name, also a name the
 * kernel lists with a ".llvm.<hash>" suffix only in kallsyms). Or the
 * caller gives symbols or addresses, with cookies. Files are read in
 * chunks; memory holds the matches only.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "attach.h"

#define MATCH_MAX	(1u << 20)	/* the kernel's MAX_KPROBE_MULTI_CNT */

bool bbpf_kprobe_glob_match(const char *str, size_t len, const char *pat)
{
	const char *star = NULL;
	size_t si = 0, star_si = 0;

	/* Backtracking to the last '*' only: each star retried at most len times. */
	while (si < len) {
		if (*pat == '*') {
			star = ++pat;
			star_si = si;
		} else if (*pat && (*pat == '?' || *pat == str[si])) {
			pat++;
			si++;
		} else if (star) {
			pat = star;
			si = ++star_si;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

struct resolve {
	struct bbpf_ctx *ctx;
	const char *pattern;
	struct bbpf_arena names_arena;	/* matching names (kallsyms route) */
	const char **names;
	size_t name_cnt, name_cap;
	unsigned long *addrs;
	size_t cnt, cap;
	uint64_t line_no;
	const char *file;
};

static int grow(struct bbpf_ctx *ctx, void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 64;
	void *n;

	if (need <= *cap)
		return 0;
	if (need > MATCH_MAX)
		return -E2BIG;
	if (ncap > MATCH_MAX)
		ncap = MATCH_MAX;
	n = ctx->alloc.resize(ctx->alloc.ctx, *arr, *cap * elem, ncap * elem);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

static int add_addr(struct resolve *r, uint64_t addr)
{
	int err = grow(r->ctx, (void **)&r->addrs, &r->cap, r->cnt + 1, sizeof(*r->addrs));

	if (!err)
		r->addrs[r->cnt++] = (unsigned long)addr;
	return err;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The first blank-separated token of a line, from *p on. */
static const char *token(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *t;

	while (s < end && is_space(*s))
		s++;
	t = s;
	while (s < end && !is_space(*s) && *s)
		s++;
	*len = (size_t)(s - t);
	*p = s;
	return t;
}

static int bad_line(struct resolve *r)
{
	bbpf_log(&r->ctx->log, BBPF_LOG_WARN, "tracefs %s: line %llu is malformed", r->file,
		 (unsigned long long)r->line_no);
	return -EINVAL;
}

/* "ADDR NAME [MODULE]" */
static int addrs_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct resolve *r = arg;
	const char *p = line, *end = line + len, *tok;
	uint64_t addr = 0;
	size_t n, i;

	r->line_no++;
	tok = token(&p, end, &n);
	if (!n)
		return 0;	/* a blank line */
	if (truncated || n > 16)
		return bad_line(r);
	for (i = 0; i < n; i++) {
		char c = tok[i];
		unsigned int d = c >= '0' && c <= '9' ? (unsigned int)(c - '0') :
				 c >= 'a' && c <= 'f' ? (unsigned int)(c - 'a' + 10) :
				 c >= 'A' && c <= 'F' ? (unsigned int)(c - 'A' + 10) : 16;

		if (d > 15)
			return bad_line(r);
		addr = addr << 4 | d;
	}
	tok = token(&p, end, &n);
	if (!n)
		return bad_line(r);
	if (!bbpf_kprobe_glob_match(tok, n, r->pattern))
		return 0;
	return add_addr(r, addr);
}

/* "NAME [MODULE]": matching names kept for the kallsyms walk. */
static int names_line(void *arg, const char *line, size_t len, bool truncated)
{
	struct resolve *r = arg;
	const char *p = line, *tok;
	char *copy;
	size_t n;
	int err;

	r->line_no++;
	tok = token(&p, line + len, &n);
	if (!n)
		return 0;
	if (truncated)
		return bad_line(r);
	if (!bbpf_kprobe_glob_match(tok, n, r->pattern))
		return 0;
	err = grow(r->ctx, (void **)&r->names, &r->name_cap, r->name_cnt + 1, sizeof(*r->names));
	if (err)
		return err;
	copy = bbpf_arena_strndup(&r->names_arena, tok, n);
	if (!copy)
		return -ENOMEM;
	r->names[r->name_cnt++] = copy;
	return 0;
}

/* Shell sort: a few dozen bytes where qsort() costs 2 KiB in the static CLI. */
static void sort_names(const char **v, size_t n)
{
	size_t gap, i, j;

	for (gap = n / 2; gap; gap /= 2) {
		for (i = gap; i < n; i++) {
			const char *t = v[i];

			for (j = i; j >= gap && strcmp(v[j - gap], t) > 0; j -= gap)
				v[j] = v[j - gap];
			v[j] = t;
		}
	}
}

/* tok[0..len) among the sorted names. */
static bool has_name(const struct resolve *r, const char *tok, size_t len)
{
	size_t lo = 0, hi = r->name_cnt, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(r->names[mid], tok, len);
		if (!c)
			c = r->names[mid][len] ? 1 : 0;
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int kallsyms_sym(void *arg, const char *name, size_t len, uint64_t addr, char type)
{
	struct resolve *r = arg;
	size_t i;

	(void)type;
	if (has_name(r, name, len))
		return add_addr(r, addr);
	/*
	 * Some kernels drop the .llvm.<hash> suffix of (LTO-renamed) functions
	 * in available_filter_functions but not in kallsyms: libbpf matches the
	 * name without it too.
	 */
	for (i = 0; i + 6 <= len; i++)
		if (!memcmp(name + i, ".llvm.", 6))
			return has_name(r, name, i) ? add_addr(r, addr) : 0;
	return 0;
}

static int read_tracefs(struct resolve *r, long fd, bbpf_line_fn fn)
{
	int err;

	err = bbpf_sys_read_lines(r->ctx, (int)fd, fn, r);
	r->ctx->sys.close(r->ctx->sys.ctx, (int)fd);
	if (err && err != -EINVAL)
		bbpf_log_warn(&r->ctx->log, NULL, NULL, err, "tracefs %s: cannot read it", r->file);
	return err;
}

static long open_tracefs(struct resolve *r, const char *file, bool quiet_enoent)
{
	long fd = bbpf_tracefs_open(&r->ctx->sys, file, O_RDONLY);

	r->file = file;
	if (fd < 0 && !(quiet_enoent && fd == -ENOENT))
		bbpf_log_warn(&r->ctx->log, NULL, NULL, (int)fd, "tracefs %s: cannot open it", file);
	return fd;
}

static int resolve_pattern(struct resolve *r)
{
	long fd;
	int err;

	fd = open_tracefs(r, "available_filter_functions_addrs", true);
	if (fd >= 0) {
		err = read_tracefs(r, fd, addrs_line);
	} else if (fd != -ENOENT) {
		err = (int)fd;
	} else {
		fd = open_tracefs(r, "available_filter_functions", false);
		if (fd < 0)
			return (int)fd;
		err = read_tracefs(r, fd, names_line);
		if (!err && r->name_cnt) {
			sort_names(r->names, r->name_cnt);
			err = bbpf_kallsyms_walk(r->ctx, kallsyms_sym, r);
		}
	}
	if (!err && !r->cnt)
		err = -ENOENT;
	return err;
}

static void resolve_fini(struct resolve *r)
{
	const struct bbpf_alloc *a = &r->ctx->alloc;

	if (r->addrs)
		a->resize(a->ctx, r->addrs, r->cap * sizeof(*r->addrs), 0);
	if (r->names)
		a->resize(a->ctx, r->names, r->name_cap * sizeof(*r->names), 0);
	bbpf_arena_free(&r->names_arena);
}

static int multi_attach(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			const char *pattern, const struct bbpf_kprobe_multi_opts *opts,
			struct bbpf_link *link)
{
	struct bbpf_kprobe_multi_opts o = { 0 };
	struct resolve r = { .ctx = ctx, .pattern = pattern };
	const unsigned long *addrs;
	union bpf_attr extra;
	size_t cnt;
	int fd, err;

	if (opts)
		o = *opts;
	addrs = o.addrs;
	cnt = o.cnt;
	/* libbpf's rules: a pattern alone, or syms or addrs (with cookies) and their count */
	if ((!pattern && !o.addrs && !o.syms) ||
	    (pattern && (o.addrs || o.syms || o.cookies || o.cnt)) || (!pattern && !o.cnt) ||
	    (!pattern && o.unique_match) || (o.addrs && o.syms) || (o.retprobe && o.session)) {
		bbpf_attach_warn(ctx, prog, 0, "kprobe.multi takes a pattern, "
			      "or symbols or addresses with a count (and not retprobe with session)");
		return -EINVAL;
	}
	if (pattern) {
		bbpf_arena_init(&r.names_arena, &ctx->alloc, (size_t)64 << 20);
		err = resolve_pattern(&r);
		if (err == -ENOENT)
			bbpf_attach_warn(ctx, prog, 0, "no traceable kernel "
				      "function matches '%s'", pattern);
		if (!err && o.unique_match && r.cnt != 1) {
			bbpf_attach_warn(ctx, prog, 0, "failed to find a "
				      "unique match for '%s' (%zu matches)", pattern, r.cnt);
			err = -EINVAL;
		}
		if (err)
			goto out;
		addrs = r.addrs;
		cnt = r.cnt;
	}
	if (cnt > UINT32_MAX) {
		err = -E2BIG;
		goto out;
	}
	memset(&extra, 0, sizeof(extra));
	extra.link_create.kprobe_multi.flags = o.retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0;
	extra.link_create.kprobe_multi.cnt = (uint32_t)cnt;
	extra.link_create.kprobe_multi.syms = (uint64_t)(uintptr_t)o.syms;
	extra.link_create.kprobe_multi.addrs = (uint64_t)(uintptr_t)addrs;
	extra.link_create.kprobe_multi.cookies = (uint64_t)(uintptr_t)o.cookies;
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, 0,
				  o.session ? BBPF_TRACE_KPROBE_SESSION : BPF_TRACE_KPROBE_MULTI,
				  &extra);
	err = fd < 0 ? fd : 0;
	if (err)
		bbpf_attach_warn(ctx, prog, err, "%s link on %zu functions "
			      "failed", o.session ? "kprobe session" : "kprobe multi", cnt);
	else
		link->fd = fd;
out:
	if (pattern)
		resolve_fini(&r);
	return err;
}

int bbpf_attach_kprobe_multi(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link)
{
	struct bbpf_kprobe_multi_opts o = { 0 };
	const char *t = prog->attach_target;
	char pattern[256];
	size_t len = 0;

	o.retprobe = !strncmp(prog->sec_name, "kretprobe.multi", 15);
	o.session = (int)prog->sec_def->expected_attach_type == BBPF_TRACE_KPROBE_SESSION;
	/* libbpf: "%m[a-zA-Z0-9_.*?]" */
	while ((t[len] >= 'a' && t[len] <= 'z') || (t[len] >= 'A' && t[len] <= 'Z') ||
	       (t[len] >= '0' && t[len] <= '9') || t[len] == '_' || t[len] == '.' ||
	       t[len] == '*' || t[len] == '?')
		len++;
	if (!len || len >= sizeof(pattern)) {
		bbpf_attach_warn(ctx, prog, 0, "kprobe multi pattern is "
			      "invalid: %s", t);
		return -EINVAL;
	}
	memcpy(pattern, t, len);
	pattern[len] = '\0';
	return multi_attach(ctx, prog, prog_fd, pattern, &o, link);
}

struct multi_args {
	const char *pattern;
	const struct bbpf_kprobe_multi_opts *opts;
};

static int attach_multi_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			    struct bbpf_link *link, const void *varg)
{
	const struct multi_args *a = varg;

	return multi_attach(ctx, prog, prog_fd, a->pattern, a->opts, link);
}

int bbpf_program_attach_kprobe_multi(struct bbpf_program *prog, const char *pattern,
				     const struct bbpf_kprobe_multi_opts *opts,
				     struct bbpf_link **out)
{
	struct multi_args a = { pattern, opts };

	return bbpf_attach_api(prog, attach_multi_api, &a, out);
}
