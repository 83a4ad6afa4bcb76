/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include "log.h"
#include "fmt.h"

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

struct err_name {
	int err;
	const char *name;
};

static const struct err_name err_names[] = {
	{ EPERM, "-EPERM" }, { ENOENT, "-ENOENT" }, { ESRCH, "-ESRCH" }, { EINTR, "-EINTR" },
	{ EIO, "-EIO" }, { E2BIG, "-E2BIG" }, { EBADF, "-EBADF" }, { EAGAIN, "-EAGAIN" },
	{ ENOMEM, "-ENOMEM" }, { EACCES, "-EACCES" }, { EFAULT, "-EFAULT" }, { EBUSY, "-EBUSY" },
	{ EEXIST, "-EEXIST" }, { ENODEV, "-ENODEV" }, { ENOTDIR, "-ENOTDIR" },
	{ EISDIR, "-EISDIR" }, { EINVAL, "-EINVAL" }, { ENFILE, "-ENFILE" }, { EMFILE, "-EMFILE" },
	{ EFBIG, "-EFBIG" }, { ENOSPC, "-ENOSPC" }, { ERANGE, "-ERANGE" },
	{ ENAMETOOLONG, "-ENAMETOOLONG" }, { ENOSYS, "-ENOSYS" }, { ELOOP, "-ELOOP" },
	{ EBADMSG, "-EBADMSG" }, { EOPNOTSUPP, "-EOPNOTSUPP" }, { EADDRNOTAVAIL, "-EADDRNOTAVAIL" },
	{ ENOTSUP == EOPNOTSUPP ? 0 : ENOTSUP, "-ENOTSUP" }, { ETIMEDOUT, "-ETIMEDOUT" },
	{ EMSGSIZE, "-EMSGSIZE" }, { ENXIO, "-ENXIO" }, { EROFS, "-EROFS" },
	{ ESTALE, "-ESTALE" }, { EOVERFLOW, "-EOVERFLOW" }, { EAFNOSUPPORT, "-EAFNOSUPPORT" },
	{ EPROTONOSUPPORT, "-EPROTONOSUPPORT" },
};

const char *bbpf_err_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++)
		if (err_names[i].err && -err == err_names[i].err)
			return err_names[i].name;
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
