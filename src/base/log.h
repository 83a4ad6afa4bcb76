/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BBPF_LOG_H
#define BBPF_LOG_H

#include <barebpf/object.h>

struct bbpf_log {
	bbpf_log_fn fn;		/* NULL: silent */
	void *ctx;
	bool warn_only;		/* INFO and DEBUG dropped before formatting */
};

/* Formats one line (truncated at 1 KiB) and hands it to the callback. */
void bbpf_log(const struct bbpf_log *log, enum bbpf_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * One WARN line "WHAT 'NAME': " (nothing if what is NULL) + fmt, then
 * ": -EXXX" when err is not 0 (the
 * common shape of the library's failure messages, formatted here once
 * rather than at every call site). Returns err.
 */
int bbpf_log_warn(const struct bbpf_log *log, const char *what, const char *name, int err,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A multi-line text (a kernel log) to the callback, one line at a time, each after prefix. */
void bbpf_log_lines(const struct bbpf_log *log, enum bbpf_log_level level, const char *prefix,
		    const char *text, size_t len);

/*
 * "-EPERM", "-ENOENT", ... for a negative errno (a static string; "-E?" if
 * unknown), so messages say which error without calling strerror.
 */
const char *bbpf_err_name(int err);

#endif
