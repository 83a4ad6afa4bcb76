/* SPDX-License-Identifier: BSD-2-Clause */
/* A private tracefs instance for bpf_printk output (trace.c says why). */
#ifndef BBPF_CLI_TRACE_H
#define BBPF_CLI_TRACE_H

#include <limits.h>
#include <stddef.h>

struct bbpf_cli_trace {
	char dir[PATH_MAX];	/* the instance, "" if none */
	int fd;			/* its trace_pipe, non-blocking; -1 */
};

/*
 * Make the instance under tracefs (the mount point) with bpf_trace_printk
 * enabled and open its trace_pipe. 0, or a negative errno with the reason
 * in why and nothing left behind.
 */
int bbpf_cli_trace_open(struct bbpf_cli_trace *t, const char *tracefs, char *why, size_t why_len);
/* What the pipe holds now, at most cap bytes; 0 if nothing (never blocks); -errno. */
long bbpf_cli_trace_read(struct bbpf_cli_trace *t, char *buf, size_t cap);
/* Close the pipe and remove the instance. */
void bbpf_cli_trace_close(struct bbpf_cli_trace *t);

#endif
