/* SPDX-License-Identifier: BSD-2-Clause */
/* Uprobe target search; see binpath.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/stat.h>	/* struct statx; mode bits spelled out below (libc's may clash) */
#include "binpath.h"
#include "../base/fmt.h"
#include "../parse/ldcache.h"

#define MODE_FMT	0170000u
#define MODE_REG	0100000u
#define MODE_X_ANY	0111u

#define LIB_DIRS	"/usr/lib64:/usr/lib"
#define EXE_DIRS	"/usr/bin:/usr/sbin"
#define CACHE_MAX	((size_t)64 << 20)	/* a real cache is ~50 KiB */

/* "x.so" or "x.so.N" (a plain loop: strstr is 1.3 KiB of the static CLI). */
bool bbpf_binpath_is_lib(const char *file)
{
	size_t n = file ? strlen(file) : 0, i;

	if (n >= 3 && memcmp(file + n - 3, ".so", 3) == 0)
		return true;
	for (i = 0; i + 4 <= n; i++)
		if (memcmp(file + i, ".so.", 4) == 0)
			return true;
	return false;
}

/* Debian's multiarch tuples, for the architectures libbpf lists. */
const char *bbpf_binpath_multiarch(void)
{
#define MA(t) "/lib/" t ":/usr/lib/" t
#if defined(__x86_64__) && !defined(__ILP32__)
	return MA("x86_64-linux-gnu");
#elif defined(__i386__)
	return MA("i386-linux-gnu");
#elif defined(__s390x__)
	return MA("s390x-linux-gnu");
#elif defined(__arm__) && defined(__SOFTFP__)
	return MA("arm-linux-gnueabi");
#elif defined(__arm__)
	return MA("arm-linux-gnueabihf");
#elif defined(__aarch64__)
	return MA("aarch64-linux-gnu");
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SZLONG == 64
	return MA("mips64el-linux-gnuabi64");
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SZLONG == 32
	return MA("mipsel-linux-gnu");
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return MA("powerpc64le-linux-gnu");
#elif defined(__sparc__) && defined(__arch64__)
	return MA("sparc64-linux-gnu");
#elif defined(__riscv) && __riscv_xlen == 64
	return MA("riscv64-linux-gnu");
#else
	return NULL;
#endif
#undef MA
}

/* A regular file we can open for reading, with an x bit for an executable. */
static int usable(struct bbpf_ctx *ctx, const char *path, bool exe)
{
	const struct bbpf_sys *sys = &ctx->sys;
	struct statx st;
	long r;

	memset(&st, 0, sizeof(st));
	r = sys->statx(sys->ctx, AT_FDCWD, path, 0, STATX_TYPE | STATX_MODE, &st);
	if (r < 0)
		return (int)r;
	if ((st.stx_mode & MODE_FMT) != MODE_REG)
		return -EISDIR;
	if (exe && !(st.stx_mode & MODE_X_ANY))
		return -EACCES;
	r = sys->open(sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);
	if (r < 0)
		return (int)r;
	sys->close(sys->ctx, (int)r);
	return 0;
}

/* Each non-empty element of a colon-separated list, joined with file. */
static int search(struct bbpf_ctx *ctx, const char *list, const char *file, bool exe,
		  char *out, size_t size)
{
	const char *s = list;

	while (s && *s) {
		const char *colon = strchr(s, ':');
		size_t len = colon ? (size_t)(colon - s) : strlen(s);

		if (len && len < size) {
			int n = bbpf_snprintf(out, size, "%.*s/%s", (int)len, s, file);

			if (n > 0 && (size_t)n < size && usable(ctx, out, exe) == 0)
				return 0;
		}
		s = colon ? colon + 1 : NULL;
	}
	return -ENOENT;
}

#ifdef BBPF_NO_LDCACHE
/* The init build (make static-init) reads no ld.so.cache: library directories only. */
static int from_cache(struct bbpf_ctx *ctx, const char *cache_path, const char *file,
		      char *out, size_t size)
{
	(void)out;
	(void)size;
	bbpf_log(&ctx->log, BBPF_LOG_WARN,
		 "%s: not in the library directories; %s lookup not supported in this build", file,
		 cache_path);
	return -ENOENT;
}
#else
/* The ld.so.cache entry for file, if the cache is readable and sane. */
static int from_cache(struct bbpf_ctx *ctx, const char *cache_path, const char *file,
		      char *out, size_t size)
{
	struct bbpf_diag diag = { 0 };
	struct bbpf_ldcache cache;
	struct bbpf_arena tmp;
	const char *path;
	int32_t flags = bbpf_ldcache_host_flags();
	char *buf;
	size_t len;
	int err;

	if (flags < 0)
		return -ENOENT;
	bbpf_arena_init(&tmp, &ctx->alloc, CACHE_MAX + 4096);
	err = bbpf_sys_read_file(ctx, cache_path, &tmp, CACHE_MAX, &buf, &len);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "%s: not read: %s", cache_path,
			 bbpf_err_name(err));
		err = err == -ENOMEM ? err : -ENOENT;
		goto out;
	}
	err = bbpf_ldcache_parse(&cache, buf, len, &diag);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: ignored: %s at offset %llu", cache_path,
			 bbpf_bad_str(diag.why), (unsigned long long)diag.off);
		err = -ENOENT;
		goto out;
	}
	err = bbpf_ldcache_lookup(&cache, file, flags, &path);
	if (err)
		goto out;
	if (strlen(path) >= size || usable(ctx, path, false) != 0) {
		err = -ENOENT;
		goto out;
	}
	memcpy(out, path, strlen(path) + 1);
out:
	bbpf_arena_free(&tmp);
	return err;
}
#endif

int bbpf_binpath_resolve(struct bbpf_ctx *ctx, const char *file,
			 const struct bbpf_binpath_opts *opts, char *out, size_t size)
{
	const char *cache = opts && opts->ld_cache ? opts->ld_cache : BBPF_LDCACHE_PATH;
	bool lib = bbpf_binpath_is_lib(file);
	const char *lists[3] = { opts ? opts->path : NULL, EXE_DIRS, NULL };
	int err = -ENOENT;
	size_t i;

	if (!ctx || !file || !*file || !out || !size)
		return -EINVAL;
	if (strchr(file, '/')) {
		if (strlen(file) >= size)
			return -ENAMETOOLONG;
		memcpy(out, file, strlen(file) + 1);
		return 0;
	}
	/* a library: the caller's path, the default directories, multiarch ones, ld.so.cache */
	if (lib) {
		lists[0] = opts ? opts->ld_library_path : NULL;
		lists[1] = LIB_DIRS;
		lists[2] = bbpf_binpath_multiarch();
	}
	for (i = 0; err && i < 3; i++)
		err = search(ctx, lists[i], file, !lib, out, size);
	if (err && lib && *cache)
		err = from_cache(ctx, cache, file, out, size);
	if (err) {
		out[0] = '\0';
		return err;
	}
	bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "resolved '%s' to '%s'", file, out);
	return 0;
}
