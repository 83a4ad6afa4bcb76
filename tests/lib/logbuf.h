/* SPDX-License-Identifier: BSD-2-Clause */
/* A log callback that appends every line to a buffer, for tests to search. */
#ifndef LB_LOGBUF_H
#define LB_LOGBUF_H

#include <stdio.h>
#include <string.h>
#include <barebpf/object.h>

struct lb_log {
	char text[1 << 16];
};

/* Appends "msg\n"; what does not fit is dropped. */
static inline void lb_log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct lb_log *lb = ctx;
	size_t n = strlen(lb->text);

	(void)level;
	snprintf(lb->text + n, sizeof(lb->text) - n, "%s\n", msg);
}

#endif
