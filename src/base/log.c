/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include "log.h"
#include "fmt.h"

BBPF_NO_FP_VARARGS
void bbpf_log(const struct bbpf_log *log, enum bbpf_log_level level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!log || !log->fn || (log->warn_only && level != BBPF_LOG_WARN))
		return;
	va_start(ap, fmt);
	bbpf_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log->fn(log->ctx, level, buf);
}

BBPF_NO_FP_VARARGS
int bbpf_log_warn(const struct bbpf_log *log, const char *what, const char *name, int err,
		  const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (!log || !log->fn)
		return err;
	va_start(ap, fmt);
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (what)
		bbpf_log(log, BBPF_LOG_WARN, err ? "%s '%s': %s: %s" : "%s '%s': %s", what, name, msg,
			 bbpf_err_name(err));
	else
		bbpf_log(log, BBPF_LOG_WARN, err ? "%s: %s" : "%s", msg, bbpf_err_name(err));
	return err;
}

/*
 * The errno values the library's messages name, as one packed string
 * ("-EPERM\0-ENOENT\0...") and a byte per value in the same order: no
 * pointer table (ENOTSUP is EOPNOTSUPP on Linux, so never found apart).
 */
#define ERR_NAMES(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(E2BIG) X(EBADF) X(EAGAIN) X(ENOMEM) X(EACCES) \
	X(EFAULT) X(EBUSY) X(EEXIST) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) \
	X(EFBIG) X(ENOSPC) X(ERANGE) X(ENAMETOOLONG) X(ENOSYS) X(ELOOP) X(EBADMSG) X(EOPNOTSUPP) \
	X(EADDRNOTAVAIL) X(ENOTSUP) X(ETIMEDOUT) X(EMSGSIZE) X(ENXIO) X(EROFS) X(ESTALE) X(EOVERFLOW) \
	X(EAFNOSUPPORT) X(EPROTONOSUPPORT)
#define ERR_TEXT(e) "-" #e "\0"
#define ERR_NUM(e) e,
static const char err_text[] = ERR_NAMES(ERR_TEXT);
static const unsigned char err_num[] = { ERR_NAMES(ERR_NUM) };
_Static_assert(EPROTONOSUPPORT <= 255 && EADDRNOTAVAIL <= 255 && ENOTSUP <= 255,
	       "errno values are bytes");

const char *bbpf_err_name(int err)
{
	const unsigned char *q = err < 0 && err >= -255 ? memchr(err_num, -err, sizeof(err_num))
							 : NULL;

	if (q)
		return bbpf_fmt_nth(err_text, (unsigned int)(q - err_num));
	return err >= 0 ? "success" : "-E?";
}

void bbpf_log_lines(const struct bbpf_log *log, enum bbpf_log_level level, const char *prefix,
		    const char *text, size_t len)
{
	size_t i = 0;

	if (log->warn_only && level != BBPF_LOG_WARN)
		return;
	while (log->fn && i < len && text[i]) {
		size_t n = 0;

		while (i + n < len && text[i + n] && text[i + n] != '\n')
			n++;
		if (n)
			bbpf_log(log, level, "%s%.*s", prefix, (int)n, text + i);
		i += n + 1;
	}
}
