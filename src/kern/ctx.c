/* SPDX-License-Identifier: BSD-2-Clause */
/* The context: what the objects loaded with it share. See loader.h. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include "kern.h"

/* Generous: the target BTF (~6 MB here) and its index live in the context. */
#define CTX_BUDGET ((size_t)1 << 30)

/* The caller's strings the context keeps a copy of: where in the options, where in ctx. */
#define STR(o, c) { offsetof(struct bbpf_ctx_opts, o), offsetof(struct bbpf_ctx, c) }
static const struct {
	uint16_t from, to;
} strs[] = { STR(pin_root, pin_root), STR(btf_path, btf_path),
	     STR(ld_library_path, ld_library_path), STR(exec_path, exec_path) };

int bbpf_ctx_new(struct bbpf_ctx **out, const struct bbpf_ctx_opts *opts)
{
	size_t i;
	const struct bbpf_alloc *alloc = opts && opts->alloc ? opts->alloc : &bbpf_alloc_libc;
	struct bbpf_ctx *ctx;
	long pg;

	if (!out)
		return -EINVAL;
	ctx = alloc->resize(alloc->ctx, NULL, 0, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	memset(ctx, 0, sizeof(*ctx));
	ctx->alloc = *alloc;
	bbpf_sys_fill(&ctx->sys, opts && opts->sys ? opts->sys : &bbpf_sys_linux);
	pg = ctx->sys.page_size(ctx->sys.ctx);
	ctx->page_size = pg >= 4096 && !(pg & (pg - 1)) ? (size_t)pg : 4096;
	if (opts) {
		ctx->log.fn = opts->log;
		ctx->log.ctx = opts->log_ctx;
		ctx->log.warn_only = opts->log_warn_only;
	}
	bbpf_arena_init(&ctx->arena, alloc, CTX_BUDGET);
	ctx->pin_root = "/sys/fs/bpf";
	for (i = 0; opts && i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *v;
		char *copy;

		memcpy(&v, (const char *)opts + strs[i].from, sizeof(v));
		if (!v)
			continue;
		copy = bbpf_arena_strdup(&ctx->arena, v);
		if (!copy)
			goto nomem;
		memcpy((char *)ctx + strs[i].to, &copy, sizeof(copy));
	}
	if (opts && opts->kconfig) {
		ctx->kconfig_len = strlen(opts->kconfig);
		ctx->kconfig = bbpf_arena_memdup(&ctx->arena, opts->kconfig, ctx->kconfig_len + 1);
		if (!ctx->kconfig)
			goto nomem;
	}
	*out = ctx;
	return 0;
nomem:
	bbpf_ctx_free(ctx);
	return -ENOMEM;
}

void bbpf_ctx_free(struct bbpf_ctx *ctx)
{
	const struct bbpf_ctx_map *m;
	struct bbpf_alloc alloc;

	if (!ctx)
		return;
	alloc = ctx->alloc;
	/* The mapping list lives in the arena: unmap first. */
	for (m = ctx->maps; m; m = m->next)
		ctx->sys.munmap(ctx->sys.ctx, m->addr, m->len);
	bbpf_arena_free(&ctx->arena);
	alloc.resize(alloc.ctx, ctx, sizeof(*ctx), 0);
}

int bbpf_ctx_possible_cpus(struct bbpf_ctx *ctx)
{
	return ctx ? bbpf_sys_possible_cpus(ctx) : -EINVAL;
}

/*
 * Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK; raise it there
 * only, once per context, as libbpf's bump_rlimit_memlock does.
 */
int bbpf_ctx_prepare(struct bbpf_ctx *ctx)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	int err = bbpf_features_probe(ctx);

	if (err)
		return err;
	if (ctx->feat.memcg_account || ctx->memlock_raised)
		return 0;
	err = (int)ctx->sys.setrlimit(ctx->sys.ctx, RLIMIT_MEMLOCK, &rl);
	if (err)
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "cannot raise RLIMIT_MEMLOCK (%d); loading may fail on this kernel", err);
	ctx->memlock_raised = true;
	return 0;
}
