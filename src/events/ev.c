/* SPDX-License-Identifier: BSD-2-Clause */
/* The ring buffer check both ring buffer kinds share; see ev.h. */
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

