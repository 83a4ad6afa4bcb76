/* SPDX-License-Identifier: BSD-2-Clause */
/* The ring buffer check both ring buffer kinds share, and the memory functions; see ev.h. */
#include "ev.h"

int bbpf_ev_rb_check(struct bbpf_ctx *ctx, const char *what, int fd,
		     const struct bpf_map_info *info, uint32_t want_type, size_t *prod_len)
{
	uint64_t sz = info->max_entries, len;

	if (info->type != want_type) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: map fd %d is of type %u, not %u", what, fd,
			 info->type, want_type);
		return -EINVAL;
	}
	if (!sz || (sz & (sz - 1)) || sz % ctx->page_size) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: map fd %d: bad size %u", what, fd,
			 info->max_entries);
		return -EINVAL;
	}
	len = ctx->page_size + 2 * sz;
	if ((uint64_t)(size_t)len != len) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: map fd %d: size %u too big to map", what,
			 fd, info->max_entries);
		return -E2BIG;
	}
	*prod_len = (size_t)len;
	return 0;
}


void *bbpf_ev_zalloc(struct bbpf_ctx *ctx, size_t n)
{
	return bbpf_ev_grow(ctx, NULL, 0, 1, n);
}

void bbpf_ev_free(struct bbpf_ctx *ctx, void *p, size_t n)
{
	if (p)
		ctx->alloc.resize(ctx->alloc.ctx, p, n, 0);
}

void *bbpf_ev_grow(struct bbpf_ctx *ctx, void *p, size_t old_cnt, size_t new_cnt, size_t size)
{
	uint8_t *np;

	if (new_cnt > SIZE_MAX / size)
		return NULL;
	np = ctx->alloc.resize(ctx->alloc.ctx, p, old_cnt * size, new_cnt * size);
	if (np)
		memset(np + old_cnt * size, 0, (new_cnt - old_cnt) * size);
	return np;
}
