/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a uprobe/USDT target file is: libbpf 1.8's resolve_full_path()
 * order, then /etc/ld.so.cache for libraries. Every file-system touch goes
 * through ctx->sys (statx, open, read, close); environment values come in
 * through the options, never from getenv().
 *
 *  - a name with a '/' is used as given (absolute or relative), unchecked;
 *  - a library (ends in ".so" or contains ".so.", libbpf's test): each
 *    directory of LD_LIBRARY_PATH, then /usr/lib64, /usr/lib, then the
 *    multiarch directories of the build's architecture
 *    (/lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu here; libbpf has only
 *    the /lib one), then the ld.so.cache entry for the build's architecture;
 *  - anything else: each directory of PATH, then /usr/bin, /usr/sbin.
 * Empty list elements are skipped (libbpf; unlike the shell they do not
 * mean "."). A candidate counts if statx says it is a regular file (libbpf's
 * access() would also accept a directory), open(O_RDONLY) succeeds (R_OK
 * with the caller's real permissions) and, for an executable, some x bit is
 * set (X_OK as root sees it; libbpf asks faccessat for the effective ids).
 */
#ifndef BBPF_BINPATH_H
#define BBPF_BINPATH_H

#include <stdbool.h>
#include <stddef.h>
#include "kern.h"

struct bbpf_binpath_opts {
	const char *ld_library_path;	/* LD_LIBRARY_PATH's value; NULL: unset */
	const char *path;		/* PATH's value; NULL: unset */
	const char *ld_cache;		/* NULL: /etc/ld.so.cache; "": no cache fallback */
};

/* libbpf's library test: ends in ".so" or contains ".so.". */
bool bbpf_binpath_is_lib(const char *file);

/*
 * The multiarch directories searched after /usr/lib64:/usr/lib, as a
 * colon-separated list ("/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"),
 * or NULL for an architecture without one (libbpf's arch_specific_lib_paths).
 */
const char *bbpf_binpath_multiarch(void);

/*
 * The path of file into out (size bytes, NUL-terminated). 0; -ENOENT if no
 * candidate qualifies (a candidate longer than size is skipped, as libbpf's
 * truncated snprintf would fail access()); -ENAMETOOLONG if a name with '/'
 * does not fit; -EINVAL; -ENOMEM (reading the cache). A malformed cache is
 * logged and treated as absent. The choice is logged at debug level.
 */
int bbpf_binpath_resolve(struct bbpf_ctx *ctx, const char *file,
			 const struct bbpf_binpath_opts *opts, char *out, size_t size);

#endif
