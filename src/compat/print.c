// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf_set_print() and the messages of the compat layer. libbpf's API
 * makes the print callback process-wide, so it is the one mutable global of
 * the library (named in the Makefile's check-globals as the only
 * exemption); it is read and swapped atomically.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "compat.h"

/* The default, as libbpf's: warnings and information to stderr, debug not. */
static int default_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	const char *env = getenv("LIBBPF_LOG_LEVEL");
	enum libbpf_print_level max = LIBBPF_INFO;
	const struct bbpf_sys *sys = bbpf_compat_sys();
	char buf[2048];
	int n;

	if (env && !strcasecmp(env, "warn"))
		max = LIBBPF_WARN;
	else if (env && !strcasecmp(env, "debug"))
		max = LIBBPF_DEBUG;
	if (level > max)
		return 0;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return (int)sys->write(sys->ctx, 2, buf, (size_t)n);
}

static libbpf_print_fn_t print_fn = default_print;

libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)
{
	return __atomic_exchange_n(&print_fn, fn, __ATOMIC_RELAXED);
}

static void vprint(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	libbpf_print_fn_t fn = __atomic_load_n(&print_fn, __ATOMIC_RELAXED);

	if (fn)
		fn(level, fmt, ap);
}

static void print(enum libbpf_print_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(level, fmt, ap);
	va_end(ap);
}

void bbpf_compat_pr(enum libbpf_print_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	print(level, "libbpf: %s", line);
}

/* The verifier's lines (native prefix "verifier: ") into the object's kernel_log_buf. */
static void collect(struct bpf_object *obj, const char *msg)
{
	static const char pfx[] = "verifier: ";
	size_t len, room;

	if (!obj->kernel_log_buf || !obj->kernel_log_size || strncmp(msg, pfx, sizeof(pfx) - 1))
		return;
	msg += sizeof(pfx) - 1;
	len = strlen(msg);
	room = obj->kernel_log_size - 1 - obj->kernel_log_len;	/* kept below size - 1 */
	if (len + 1 > room)
		len = room ? room - 1 : 0;
	if (room) {
		memcpy(obj->kernel_log_buf + obj->kernel_log_len, msg, len);
		obj->kernel_log_buf[obj->kernel_log_len + len] = '\n';
		obj->kernel_log_len += len + 1;
	}
	obj->kernel_log_buf[obj->kernel_log_len] = '\0';
}

void bbpf_compat_print_log(void *log_ctx, enum bbpf_log_level level, const char *msg)
{
	enum libbpf_print_level l = level == BBPF_LOG_WARN ? LIBBPF_WARN :
				    level == BBPF_LOG_INFO ? LIBBPF_INFO : LIBBPF_DEBUG;

	if (log_ctx)
		collect(log_ctx, msg);
	print(l, "libbpf: %s\n", msg);
}
