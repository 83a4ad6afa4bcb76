/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe.multi/, uretprobe.multi/, uprobe.session/ (and .s) programs and
 * bbpf_program_attach_uprobe_multi(), as libbpf 1.8's
 * bpf_program__attach_uprobe_multi(): one BPF_LINK_CREATE
 * (BPF_TRACE_UPROBE_MULTI, 6.6; BPF_TRACE_UPROBE_SESSION, 6.13) with the
 * target path, file offsets, optional semaphore offsets and cookies, and a
 * process filter. Offsets come from the caller, from symbol names (exact
 * names, both symbol tables: libbpf's elf_resolve_syms_offsets) or from a
 * glob pattern (libbpf's elf_resolve_pattern_offsets).
 */
#include <errno.h>
#include <string.h>
#include "attach.h"
#include "../base/fmt.h"
#include "../parse/usym.h"

/* The kernel's MAX_UPROBE_MULTI_CNT. */
#define MULTI_MAX	(1u << 20)

int bbpf_uprobe_multi_link(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   const struct bbpf_uprobe_multi_req *r, struct bbpf_link *link)
{
	struct bbpf_uprobe_multi_attr um = {
		.path = (uint64_t)(uintptr_t)r->path,
		.offsets = (uint64_t)(uintptr_t)r->offsets,
		.ref_ctr_offsets = (uint64_t)(uintptr_t)r->ref_ctr_offsets,
		.cookies = (uint64_t)(uintptr_t)r->cookies,
		.cnt = (uint32_t)r->cnt,
		.flags = r->retprobe ? BPF_F_UPROBE_MULTI_RETURN : 0,
	};
	union bpf_attr attr;
	int fd;

	if (r->pid == 0)
		um.pid = (uint32_t)ctx->sys.getpid(ctx->sys.ctx);
	else if (r->pid > 0)
		um.pid = (uint32_t)r->pid;
	memset(&attr, 0, sizeof(attr));
	bbpf_uprobe_multi_attr_set(&attr, &um);
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, 0,
				  (enum bpf_attach_type)(r->session ? BBPF_TRACE_UPROBE_SESSION :
							 BBPF_TRACE_UPROBE_MULTI), &attr);
	if (fd < 0) {
		bbpf_attach_warn(ctx, prog, fd, "BPF_LINK_CREATE (%s, %zu "
			      "offsets in '%s') failed",
			      r->session ? "uprobe session" : "uprobe multi", r->cnt, r->path);
		return fd;
	}
	link->fd = fd;
	return 0;
}

/* The offsets of a pattern's or of exact names' functions, in arena. */
static int resolve(struct bbpf_ctx *ctx, const struct bbpf_program *prog, const char *path,
		   const char *pattern, const char **syms, size_t cnt, struct bbpf_arena *arena,
		   unsigned long **offs, size_t *out_cnt)
{
	struct bbpf_uprobe_elf u;
	struct bbpf_usym *found = NULL;
	size_t i, n = 0, bad = 0;
	int err;

	err = bbpf_uprobe_elf_open(ctx, path, &u);
	if (err)
		return err;
	if (pattern) {
		err = bbpf_usym_glob(&u.elf, pattern, 0, arena, &found, &n);
		if (err == -ENOENT)
			bbpf_attach_warn(ctx, prog, 0, "no function matches "
				      "'%s' in '%s'", pattern, path);
	} else {
		found = bbpf_arena_calloc(arena, cnt, sizeof(*found));
		err = found ? 0 : -ENOMEM;
		for (i = 0; !err && i < cnt; i++) {
			found[i].name = syms[i];
			if (!syms[i])
				err = -EINVAL;
		}
		n = cnt;
		if (!err)
			err = bbpf_usym_resolve(&u.elf, found, cnt, BBPF_USYM_EXACT, arena, &bad);
		if (err == -ENOENT || err == -ENOTUNIQ)
			bbpf_attach_warn(ctx, prog, 0, "function '%s' %s in "
				      "'%s'", syms[bad], err == -ENOENT ? "not found" : "ambiguous",
				      path);
	}
	if (!err && n > MULTI_MAX)
		err = -E2BIG;
	if (!err) {
		*offs = bbpf_arena_calloc(arena, n, sizeof(**offs));
		if (!*offs)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < n; i++)
		(*offs)[i] = (unsigned long)found[i].off;
	bbpf_uprobe_elf_close(ctx, &u);
	*out_cnt = n;
	return err;
}

int bbpf_program_attach_uprobe_multi(struct bbpf_program *prog, pid_t pid,
				     const char *binary_path, const char *func_pattern,
				     const struct bbpf_uprobe_multi_opts *opts,
				     struct bbpf_link **out)
{
	struct bbpf_uprobe_multi_opts o = opts ? *opts : (struct bbpf_uprobe_multi_opts){ 0 };
	struct bbpf_uprobe_multi_req r;
	struct bbpf_arena arena;
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	char path[BBPF_UPROBE_PATH_MAX];
	unsigned long *offs = NULL;
	size_t cnt = o.cnt;
	int err, prog_fd;

	if (!prog || !out || !binary_path || prog->is_subprog)
		return -EINVAL;
	/* libbpf's rules: a pattern alone, or exactly one of syms/offsets with cnt */
	if (!func_pattern && !cnt)
		return -EINVAL;
	if (func_pattern && (o.syms || o.offsets || o.ref_ctr_offsets || o.cookies || cnt))
		return -EINVAL;
	if (!func_pattern && !!o.syms == !!o.offsets)
		return -EINVAL;
	if (o.retprobe && o.session)
		return -EINVAL;
	if (cnt > MULTI_MAX)
		return -E2BIG;
	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	err = bbpf_uprobe_path(ctx, prog, "uprobe", binary_path, path);
	bbpf_arena_init(&arena, &ctx->alloc, (size_t)1 << 30);
	if (!err && (func_pattern || o.syms))
		err = resolve(ctx, prog, path, func_pattern, o.syms, cnt, &arena, &offs, &cnt);
	else
		offs = (unsigned long *)o.offsets;
	if (!err) {
		r = (struct bbpf_uprobe_multi_req){
			.pid = pid, .path = path, .offsets = offs,
			.ref_ctr_offsets = o.ref_ctr_offsets, .cookies = o.cookies, .cnt = cnt,
			.retprobe = o.retprobe, .session = o.session };
		err = bbpf_uprobe_multi_link(ctx, prog, prog_fd, &r, link);
	}
	bbpf_arena_free(&arena);
	return bbpf_attach_end(link, err, out);
}

/* SEC("uprobe.multi/PATH:PATTERN") and friends, every process (libbpf's attach_uprobe_multi). */
int bbpf_attach_uprobe_multi(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link)
{
	struct bbpf_uprobe_multi_req r = { .pid = -1 };
	struct bbpf_uprobe_sec s;
	struct bbpf_arena arena;
	char path[BBPF_UPROBE_PATH_MAX];
	unsigned long *offs = NULL;
	int err;

	err = bbpf_uprobe_sec_split(prog, &s);
	if (err) {
		bbpf_attach_warn(ctx, prog, 0, "section '%s': expected "
			      "\"%s/PATH:PATTERN\"", prog->sec_name,
			      s.type[0] ? s.type : "uprobe.multi");
		return err;
	}
	r.session = !strncmp(s.type, "uprobe.session", 14);
	r.retprobe = !strncmp(s.type, "uretprobe.multi", 15);
	err = bbpf_uprobe_path(ctx, prog, "uprobe", s.path, path);
	if (err)
		return err;
	bbpf_arena_init(&arena, &ctx->alloc, (size_t)1 << 30);
	err = resolve(ctx, prog, path, s.func, NULL, 0, &arena, &offs, &r.cnt);
	if (!err) {
		r.path = path;
		r.offsets = offs;
		err = bbpf_uprobe_multi_link(ctx, prog, prog_fd, &r, link);
	}
	bbpf_arena_free(&arena);
	return err;
}
