/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Uprobe target search (src/kern/binpath.c) and the ld.so.cache reader
 * (src/parse/ldcache.c):
 *  - the search against the scripted syscall table, every statx recorded:
 *    LD_LIBRARY_PATH, /usr/lib64, /usr/lib, the multiarch directories, then
 *    the cache, for libraries; PATH then /usr/bin, /usr/sbin for programs;
 *    empty elements, relative elements, permissions, directories, names
 *    with '/', small buffers, no fd left open;
 *  - this machine's /etc/ld.so.cache against `ldconfig -p`, entry by entry;
 *  - hostile caches (truncated, magic, old format, version, byte order,
 *    counts, string offsets, string table), every prefix and byte flips of a
 *    good one; tests/data/bad/ldcache-* replayed.
 * The search on the real file system against libbpf 1.1's
 * resolve_full_path() is in tests/diff/test_diff_uprobe.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/stat.h>
#include <barebpf/loader.h>
#include "kern/kern.h"
#include "kern/binpath.h"
#include "parse/ldcache.h"
#include "fake_sys.h"
#include "proc_run.h"
#include "sweep_util.h"

#define MA1 "/lib/x86_64-linux-gnu"
#define MA2 "/usr/lib/x86_64-linux-gnu"

/* ---- a recording layer over the scripted table ---- */

struct rec {
	struct bbpf_sys inner;
	struct fs_script *s;
	char statx_log[4096];	/* every statx path, ';'-separated */
	unsigned long statx_calls, open_calls;
};

static long r_statx(void *ctx, int dirfd, const char *path, int flags, unsigned int mask,
		    struct statx *buf)
{
	struct rec *r = ctx;
	size_t n = strlen(r->statx_log);

	r->statx_calls++;
	snprintf(r->statx_log + n, sizeof(r->statx_log) - n, "%s;", path);
	return r->inner.statx(r->inner.ctx, dirfd, path, flags, mask, buf);
}

static long r_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct rec *r = ctx;

	r->open_calls++;
	return r->inner.open(r->inner.ctx, path, flags, mode);
}

static long r_read(void *ctx, int fd, void *buf, size_t len)
{
	struct rec *r = ctx;

	return r->inner.read(r->inner.ctx, fd, buf, len);
}

static long r_close(void *ctx, int fd)
{
	struct rec *r = ctx;

	return r->inner.close(r->inner.ctx, fd);
}

static long r_page_size(void *ctx)
{
	(void)ctx;
	return 4096;
}

struct env {
	struct fs_script *s;
	struct rec rec;
	struct bbpf_sys table;
	struct bbpf_ctx *ctx;
	char log[4096];
};

static void log_cb(void *c, enum bbpf_log_level level, const char *msg)
{
	struct env *e = c;
	size_t n = strlen(e->log);

	(void)level;
	snprintf(e->log + n, sizeof(e->log) - n, "%s\n", msg);
}

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts opts = { 0 };

	assert_non_null(e);
	e->s = calloc(1, sizeof(*e->s));
	assert_non_null(e->s);
	e->rec.inner = fs_script_init(e->s);
	e->rec.s = e->s;
	e->table = (struct bbpf_sys){ .ctx = &e->rec, .statx = r_statx, .open = r_open,
				      .read = r_read, .close = r_close, .page_size = r_page_size };
	opts.sys = &e->table;
	opts.log = log_cb;
	opts.log_ctx = e;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &opts), 0);
	return e;
}

static void env_free(struct env *e)
{
	assert_int_equal(fs_script_open_fds(e->s), 0);
	bbpf_ctx_free(e->ctx);
	fs_script_fini(e->s);
	free(e->s);
	free(e);
}

static void reset_log(struct env *e)
{
	e->rec.statx_log[0] = '\0';
	e->rec.statx_calls = 0;
	e->rec.open_calls = 0;
	e->log[0] = '\0';
}

static int resolve(struct env *e, const char *file, const char *ldlp, const char *path,
		   const char *cache, char *out, size_t size)
{
	struct bbpf_binpath_opts o = { .ld_library_path = ldlp, .path = path, .ld_cache = cache };

	reset_log(e);
	return bbpf_binpath_resolve(e->ctx, file, &o, out, size);
}

static const char elf_bytes[] = "\x7f" "ELF";

static void add(struct env *e, const char *path, unsigned int mode)
{
	fs_script_add_file_mode(e->s, path, elf_bytes, 4, mode);
}

/* ---- a cache builder ---- */

struct centry {
	int32_t flags;
	const char *key, *value;
	uint64_t hwcap;
};

#define X64 (BBPF_LDCACHE_ELF_LIBC6 | BBPF_LDCACHE_X8664_LIB64)

static void put(uint8_t *p, unsigned int width, uint64_t v, bool be)
{
	for (unsigned int i = 0; i < width; i++)
		p[be ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* A glibc-ld.so.cache1.1 image; *len its size. order: 0 unset, 2 little, 3 big. */
static uint8_t *cache_build(const struct centry *e, size_t n, uint8_t order, size_t *len)
{
	bool be = order == 3 || (order == 0 && !(*(const uint8_t *)&(uint16_t){ 1 }));
	size_t strings = 0, at;
	uint8_t *b;

	for (size_t i = 0; i < n; i++)
		strings += strlen(e[i].key) + 1 + strlen(e[i].value) + 1;
	*len = 48 + 24 * n + strings + 16;	/* + an extension area, as glibc writes */
	b = calloc(1, *len);
	assert_non_null(b);
	memcpy(b, "glibc-ld.so.cache1.1", 20);
	put(b + 20, 4, n, be);
	put(b + 24, 4, strings, be);
	b[28] = order;
	put(b + 32, 4, 48 + 24 * n + strings, be);
	at = 48 + 24 * n;
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = b + 48 + 24 * i;

		put(p, 4, (uint32_t)e[i].flags, be);
		put(p + 4, 4, at, be);
		memcpy(b + at, e[i].key, strlen(e[i].key) + 1);
		at += strlen(e[i].key) + 1;
		put(p + 8, 4, at, be);
		memcpy(b + at, e[i].value, strlen(e[i].value) + 1);
		at += strlen(e[i].value) + 1;
		put(p + 16, 8, e[i].hwcap, be);
	}
	memcpy(b + at, "extension", 9);
	return b;
}

static const struct centry centries[] = {
	{ X64, "libbar.so.2", "/opt/x/libbar.so.2", 0 },
	{ BBPF_LDCACHE_ELF_LIBC6, "libbar.so.2", "/opt/i386/libbar.so.2", 0 },	/* another arch */
	{ X64, "libhw.so.1", "/opt/hw/glibc-hwcaps/x86-64-v3/libhw.so.1", 1ull << 62 | 2 },
	{ X64, "libhw.so.1", "/opt/hw/libhw.so.1", 0 },
	{ X64, "libonlyhw.so.1", "/opt/hw/glibc-hwcaps/x86-64-v2/libonlyhw.so.1", 1ull << 62 },
	{ X64, "libgone.so.1", "/opt/gone/libgone.so.1", 0 },
};
#define NCENTRIES (sizeof(centries) / sizeof(centries[0]))

/* ---- the search ---- */

static void test_library_order(void **state)
{
	struct env *e = env_new();
	char out[256];

	(void)state;
	add(e, "/b/libfoo.so.1", S_IFREG | 0644);
	add(e, "/usr/lib64/libfoo.so.1", S_IFREG | 0644);
	add(e, "/usr/lib/libfoo.so.1", S_IFREG | 0644);
	add(e, MA1 "/libfoo.so.1", S_IFREG | 0644);
	add(e, MA2 "/libfoo.so.1", S_IFREG | 0644);
	/* LD_LIBRARY_PATH first, element by element, empty ones skipped */
	assert_int_equal(resolve(e, "libfoo.so.1", ":/a::/b:", NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, "/b/libfoo.so.1");
	assert_string_equal(e->rec.statx_log, "/a/libfoo.so.1;/b/libfoo.so.1;");
	assert_int_equal(e->rec.open_calls, 1);	/* the readability check */
	assert_non_null(strstr(e->log, "resolved 'libfoo.so.1' to '/b/libfoo.so.1'"));
	/* then /usr/lib64, /usr/lib */
	assert_int_equal(resolve(e, "libfoo.so.1", "/a", NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/lib64/libfoo.so.1");
	assert_string_equal(e->rec.statx_log, "/a/libfoo.so.1;/usr/lib64/libfoo.so.1;");
	e->s->files[1].path = "/gone1";
	assert_int_equal(resolve(e, "libfoo.so.1", NULL, NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/lib/libfoo.so.1");
	/* then the multiarch directories, /lib first */
	e->s->files[2].path = "/gone2";
	assert_int_equal(resolve(e, "libfoo.so.1", NULL, NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, MA1 "/libfoo.so.1");
	e->s->files[3].path = "/gone3";
	assert_int_equal(resolve(e, "libfoo.so.1", NULL, NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, MA2 "/libfoo.so.1");
	assert_string_equal(e->rec.statx_log, "/usr/lib64/libfoo.so.1;/usr/lib/libfoo.so.1;"
			    MA1 "/libfoo.so.1;" MA2 "/libfoo.so.1;");
	e->s->files[4].path = "/gone4";
	assert_int_equal(resolve(e, "libfoo.so.1", NULL, NULL, "", out, sizeof(out)), -ENOENT);
	assert_string_equal(out, "");
	/* a relative element is used as is, like libbpf */
	add(e, "rel/libfoo.so.1", S_IFREG | 0644);
	assert_int_equal(resolve(e, "libfoo.so.1", "rel", NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, "rel/libfoo.so.1");
	/* the library test: ".so" at the end or ".so." inside */
	assert_true(bbpf_binpath_is_lib("libfoo.so"));
	assert_true(bbpf_binpath_is_lib("libfoo.so.1.2.3"));
	assert_true(bbpf_binpath_is_lib(".so"));
	assert_false(bbpf_binpath_is_lib("libfoo.sox"));
	assert_false(bbpf_binpath_is_lib("so"));
	assert_false(bbpf_binpath_is_lib(""));
	assert_false(bbpf_binpath_is_lib(NULL));
	assert_string_equal(bbpf_binpath_multiarch(), MA1 ":" MA2);
	env_free(e);
}

static void test_library_checks(void **state)
{
	struct env *e = env_new();
	char out[256];

	(void)state;
	add(e, "/d1/libx.so", S_IFDIR | 0755);	/* a directory: skipped */
	add(e, "/d2/libx.so", S_IFREG | 0644);
	e->s->files[1].open_err = -EACCES;	/* not readable: skipped */
	add(e, "/d3/libx.so", S_IFREG | 0600);	/* no x bit needed for a library */
	assert_int_equal(resolve(e, "libx.so", "/d1:/d2:/d3", NULL, "", out, sizeof(out)), 0);
	assert_string_equal(out, "/d3/libx.so");
	/* a candidate that does not fit out is skipped, like a truncated path */
	assert_int_equal(resolve(e, "libx.so", "/d3", NULL, "", out, strlen("/d3/libx.so")), -ENOENT);
	assert_int_equal(e->rec.statx_calls, 0);	/* no candidate fits: none tried */
	assert_int_equal(resolve(e, "libx.so", "/d3", NULL, "", out,
				 strlen("/d3/libx.so") + 1), 0);
	env_free(e);
}

static void test_program_order(void **state)
{
	struct env *e = env_new();
	char out[256];

	(void)state;
	add(e, "/p1/tool", S_IFREG | 0644);	/* no x bit: skipped */
	add(e, "/p2/tool", S_IFDIR | 0755);	/* a directory: skipped */
	add(e, "/p3/tool", S_IFREG | 0711);
	add(e, "/usr/bin/tool", S_IFREG | 0755);
	add(e, "/usr/sbin/tool", S_IFREG | 0755);
	add(e, "/usr/lib/tool", S_IFREG | 0755);	/* never searched for programs */
	assert_int_equal(resolve(e, "tool", NULL, "/p1:/p2::/p3", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/p3/tool");
	assert_string_equal(e->rec.statx_log, "/p1/tool;/p2/tool;/p3/tool;");
	assert_int_equal(resolve(e, "tool", NULL, "/p1", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/bin/tool");
	e->s->files[3].path = "/gone";
	assert_int_equal(resolve(e, "tool", "/usr/lib", "/p1", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/sbin/tool");
	e->s->files[4].path = "/gone";
	assert_int_equal(resolve(e, "tool", "/usr/lib", NULL, NULL, out, sizeof(out)), -ENOENT);
	/* the cache is for libraries only */
	assert_null(strstr(e->rec.statx_log, "ld.so.cache"));
	assert_int_equal(e->rec.open_calls, 0);
	env_free(e);
}

static void test_names_with_slash(void **state)
{
	struct env *e = env_new();
	char out[16];

	(void)state;
	assert_int_equal(resolve(e, "./rel/tool", NULL, "/x", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "./rel/tool");
	assert_int_equal(resolve(e, "/abs/libz.so.1", "/x", NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/abs/libz.so.1");
	assert_int_equal(e->rec.statx_calls + e->rec.open_calls, 0);	/* used as given */
	assert_int_equal(resolve(e, "/a/much/too/long/path", NULL, NULL, NULL, out, sizeof(out)),
			 -ENAMETOOLONG);
	assert_int_equal(resolve(e, "", NULL, NULL, NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(bbpf_binpath_resolve(e->ctx, NULL, NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(bbpf_binpath_resolve(e->ctx, "x", NULL, out, 0), -EINVAL);
	assert_int_equal(bbpf_binpath_resolve(NULL, "x", NULL, out, sizeof(out)), -EINVAL);
	env_free(e);
}

static void test_cache_fallback(void **state)
{
	struct env *e = env_new();
	char out[256];
	size_t len;
	uint8_t *img = cache_build(centries, NCENTRIES, 2, &len);
	uint8_t *broken = su_dup(img, len);

	(void)state;
	broken[0] = 'X';
	fs_script_add_file(e->s, "/etc/ld.so.cache", (const char *)img, len);
	fs_script_add_file(e->s, "/broken.cache", (const char *)broken, len);
	add(e, "/opt/x/libbar.so.2", S_IFREG | 0644);
	add(e, "/opt/i386/libbar.so.2", S_IFREG | 0644);
	add(e, "/opt/hw/libhw.so.1", S_IFREG | 0644);
	add(e, "/opt/hw/glibc-hwcaps/x86-64-v3/libhw.so.1", S_IFREG | 0644);
	add(e, "/opt/hw/glibc-hwcaps/x86-64-v2/libonlyhw.so.1", S_IFREG | 0644);
	add(e, "/usr/lib/libbar.so.2", S_IFREG | 0644);
	e->s->read_max = 7;	/* the cache arrives in small reads */
	/* a directory wins over the cache */
	assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/usr/lib/libbar.so.2");
	assert_int_equal(e->rec.open_calls, 1);
	/* then the cache, after every directory; this architecture's entry */
	e->s->files[7].path = "/gone";
	assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/opt/x/libbar.so.2");
	assert_string_equal(e->rec.statx_log, "/usr/lib64/libbar.so.2;/usr/lib/libbar.so.2;"
			    MA1 "/libbar.so.2;" MA2 "/libbar.so.2;/opt/x/libbar.so.2;");
	/* the baseline entry before a glibc-hwcaps one; a hwcaps one if that is all */
	assert_int_equal(resolve(e, "libhw.so.1", NULL, NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/opt/hw/libhw.so.1");
	assert_int_equal(resolve(e, "libonlyhw.so.1", NULL, NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/opt/hw/glibc-hwcaps/x86-64-v2/libonlyhw.so.1");
	/* an entry whose file is gone, a name the cache lacks */
	assert_int_equal(resolve(e, "libgone.so.1", NULL, NULL, NULL, out, sizeof(out)), -ENOENT);
	assert_int_equal(resolve(e, "libnone.so.1", NULL, NULL, NULL, out, sizeof(out)), -ENOENT);
	/* the fallback can be turned off or pointed elsewhere */
	assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, "", out, sizeof(out)), -ENOENT);
	assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, "/no/cache", out, sizeof(out)),
			 -ENOENT);
	assert_non_null(strstr(e->log, "/no/cache: not read: -ENOENT"));
	/* a malformed cache is said and ignored */
	assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, "/broken.cache", out, sizeof(out)),
			 -ENOENT);
	assert_non_null(strstr(e->log, "/broken.cache: ignored: malformed ld.so.cache"));
	/* a cache path longer than out is not used */
	assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, NULL, out, 12), -ENOENT);
	env_free(e);
	free(img);
	free(broken);
}

/* Every read of the cache failing or short, and every allocation failing: no fd left. */
static void test_cache_failures(void **state)
{
	char out[256];
	size_t len;
	uint8_t *img = cache_build(centries, NCENTRIES, 2, &len);

	(void)state;
	for (int k = 0; k < 3; k++) {
		struct env *e = env_new();

		fs_script_add_file(e->s, "/etc/ld.so.cache", (const char *)img, len);
		add(e, "/opt/x/libbar.so.2", S_IFREG | 0644);
		if (k == 0)
			e->s->files[0].open_err = -EACCES;
		if (k == 1)
			e->s->eintr_every = 2;	/* EINTR is retried */
		if (k == 2)
			e->s->files[1].open_err = -EACCES;	/* entry found, file unreadable */
		assert_int_equal(resolve(e, "libbar.so.2", NULL, NULL, NULL, out, sizeof(out)),
				 k == 1 ? 0 : -ENOENT);
		env_free(e);
	}
	free(img);
}

/* ---- the cache format ---- */

static void test_cache_parse_synthetic(void **state)
{
	(void)state;
	for (uint8_t order = 0; order <= 3; order++) {
		struct bbpf_ldcache c;
		struct bbpf_ldcache_entry en;
		struct bbpf_diag d = { 0 };
		const char *path;
		size_t len;
		uint8_t *img;

		if (order == 1)
			continue;
		img = cache_build(centries, NCENTRIES, order, &len);
		assert_int_equal(bbpf_ldcache_parse(&c, img, len, &d), 0);
		assert_int_equal(c.nlibs, NCENTRIES);
		for (uint32_t i = 0; i < c.nlibs; i++) {
			assert_int_equal(bbpf_ldcache_entry(&c, i, &en), 0);
			assert_string_equal(en.key, centries[i].key);
			assert_string_equal(en.value, centries[i].value);
			assert_int_equal(en.flags, centries[i].flags);
			assert_int_equal(en.hwcap, centries[i].hwcap);
		}
		assert_int_equal(bbpf_ldcache_entry(&c, c.nlibs, &en), -EINVAL);
		assert_int_equal(bbpf_ldcache_lookup(&c, "libbar.so.2", X64, &path), 0);
		assert_string_equal(path, "/opt/x/libbar.so.2");
		assert_int_equal(bbpf_ldcache_lookup(&c, "libbar.so.2", BBPF_LDCACHE_ELF_LIBC6, &path),
				 0);
		assert_string_equal(path, "/opt/i386/libbar.so.2");
		assert_int_equal(bbpf_ldcache_lookup(&c, "libbar.so", X64, &path), -ENOENT);
		free(img);
	}
	assert_int_equal(bbpf_ldcache_host_flags(), X64);
}

static void test_cache_hostile(void **state)
{
	size_t len;
	uint8_t *img = cache_build(centries, NCENTRIES, 2, &len);
	struct bbpf_ldcache c;
	struct bbpf_diag d;
	size_t strings_at = 48 + 24 * NCENTRIES, accepted = 0, flips = 0;

	(void)state;
#define TRY(buf, n, why_)							\
	do {									\
		uint8_t *copy_ = su_dup((buf), (n));				\
		memset(&d, 0, sizeof(d));					\
		assert_int_equal(bbpf_ldcache_parse(&c, copy_, (n), &d), -EBADMSG); \
		assert_int_equal(d.why, (why_));				\
		free(copy_);							\
	} while (0)
#define MUT(off, width, v) \
	(memcpy(m, img, len), put(m + (off), (width), (v), false))
	{
		uint8_t *m = malloc(len);

		TRY(img, 0, BBPF_BAD_LDCACHE);
		TRY(img, 47, BBPF_BAD_LDCACHE);
		TRY("ld.so-1.7.0\0\0\0\0\0", 16, BBPF_BAD_LDCACHE_FORMAT);
		MUT(17, 1, '2');	/* version 2.1 */
		TRY(m, len, BBPF_BAD_LDCACHE_FORMAT);
		MUT(0, 1, 'G');
		TRY(m, len, BBPF_BAD_LDCACHE);
		MUT(28, 1, 1);		/* byte order "invalid" */
		TRY(m, len, BBPF_BAD_LDCACHE);
		assert_int_equal(d.off, 28);
		MUT(20, 4, 0xffffffff);	/* absurd count */
		TRY(m, len, BBPF_BAD_LDCACHE);
		assert_int_equal(d.off, 20);
		MUT(20, 4, NCENTRIES + 1);	/* one entry too many: strings move */
		TRY(m, len, BBPF_BAD_LDCACHE);
		MUT(24, 4, len);		/* string table past the file */
		TRY(m, len, BBPF_BAD_LDCACHE);
		assert_int_equal(d.off, 24);
		MUT(24, 4, 5);			/* string table not ending in NUL */
		TRY(m, len, BBPF_BAD_LDCACHE);
		MUT(48 + 4, 4, 3);		/* key inside the header */
		TRY(m, len, BBPF_BAD_LDCACHE);
		assert_int_equal(d.idx, 0);
		assert_int_equal(d.off, 48);
		MUT(48 + 24 + 8, 4, 0xfffffff0);	/* value past the end */
		TRY(m, len, BBPF_BAD_LDCACHE);
		assert_int_equal(d.idx, 1);
		MUT(48 + 4, 4, len - 3);	/* key in the extension, not the table */
		TRY(m, len, BBPF_BAD_LDCACHE);
		free(m);
	}
	assert_int_equal(bbpf_ldcache_parse(NULL, img, len, NULL), -EINVAL);
	assert_int_equal(bbpf_ldcache_parse(&c, NULL, 5, NULL), -EINVAL);
	/* every prefix: only those holding the whole string table parse */
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = su_dup(img, cut);
		int rc = bbpf_ldcache_parse(&c, copy, cut, NULL);

		if (rc == 0) {
			assert_true(cut >= len - 16);
			accepted++;
		}
		free(copy);
	}
	assert_int_equal(accepted, 16);
	/* byte flips: parse or reject, entries always inside */
	for (size_t at = 0; at < strings_at; at++) {
		for (int bit = 0; bit < 8; bit++) {
			uint8_t *copy = su_dup(img, len);
			const char *path;

			copy[at] ^= (uint8_t)(1u << bit);
			if (bbpf_ldcache_parse(&c, copy, len, NULL) == 0) {
				for (uint32_t i = 0; i < c.nlibs; i++) {
					struct bbpf_ldcache_entry en;

					assert_int_equal(bbpf_ldcache_entry(&c, i, &en), 0);
					assert_true(strlen(en.key) < len && strlen(en.value) < len);
				}
				(void)bbpf_ldcache_lookup(&c, "libbar.so.2", X64, &path);
			}
			free(copy);
			flips++;
		}
	}
	assert_int_equal(flips, strings_at * 8);
	free(img);
#undef TRY
#undef MUT
}

/* ---- real caches vs ldconfig -p ---- */

static const char *ldconfig_tool(void)
{
	const char *tools[] = { "ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig" };
	const char *t = proc_find_tool(tools, 3);

	if (!t)
		fail_msg("ldconfig not found");
	return t;
}

/* Every entry of cache_path as `ldconfig -p -C cache_path` lists it, in order. */
static uint32_t check_cache_vs_ldconfig(const char *cache_path)
{
	char cmd[512], *out, *line, *save = NULL;
	struct bbpf_ldcache c;
	struct bbpf_diag d = { 0 };
	uint8_t *buf;
	size_t len, k = 0;
	unsigned long total = 0;

	assert_int_equal(su_read_file(cache_path, &buf, &len), 0);
	assert_int_equal(bbpf_ldcache_parse(&c, buf, len, &d), 0);
	snprintf(cmd, sizeof(cmd), "%s -p -C '%s'", ldconfig_tool(), cache_path);
	out = proc_capture(cmd);
	assert_non_null(out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct bbpf_ldcache_entry en;
		char key[256];
		const char *arrow = strstr(line, " => ");

		if (sscanf(line, "%lu libs found", &total) == 1 ||
		    !strncmp(line, "Cache generated by", 18))	/* the extension section */
			continue;
		if (!arrow || sscanf(line, " %255s", key) != 1)
			fail_msg("unexpected ldconfig -p line: %s", line);
		assert_true(k < c.nlibs);
		assert_int_equal(bbpf_ldcache_entry(&c, (uint32_t)k, &en), 0);
		assert_string_equal(en.key, key);
		assert_string_equal(en.value, arrow + 4);
		if (strstr(line, "(libc6,x86-64"))
			assert_int_equal(en.flags, X64);
		else if (strstr(line, "(libc6)"))
			assert_int_equal(en.flags, BBPF_LDCACHE_ELF_LIBC6);
		k++;
	}
	free(out);
	assert_int_equal(total, c.nlibs);
	assert_int_equal(k, c.nlibs);
	printf("  %s: %u entries, each as ldconfig -p lists it\n", cache_path, c.nlibs);
	free(buf);
	return c.nlibs;
}

static void test_cache_vs_ldconfig(void **state)
{
	struct bbpf_ldcache c;
	uint8_t *buf;
	size_t len;
	const char *path;

	(void)state;
	assert_true(check_cache_vs_ldconfig(BBPF_LDCACHE_PATH) > 10);
	assert_int_equal(su_read_file(BBPF_LDCACHE_PATH, &buf, &len), 0);
	assert_int_equal(bbpf_ldcache_parse(&c, buf, len, NULL), 0);
	assert_int_equal(bbpf_ldcache_lookup(&c, "libc.so.6", bbpf_ldcache_host_flags(), &path), 0);
	assert_string_equal(path, MA1 "/libc.so.6");
	free(buf);
}

/*
 * A cache ldconfig writes here, holding a library in a directory no search
 * list has: only the fallback finds it, on the real file system.
 */
static void test_real_fallback(void **state)
{
	char dir[64], cmd[512], cache[128], lib[128], out[4096];
	struct bbpf_binpath_opts o = { .ld_library_path = "/nonexistent" };
	struct bbpf_ctx *ctx;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_binpath_%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir lib && echo 'int f(void) { return 1; }' > l.c && "
		 "cc -shared -fPIC -Wl,-soname,libbbpftest.so.7 l.c -o lib/libbbpftest.so.7 && "
		 "echo '%s/lib' > ld.conf && %s -X -C '%s/ld.so.cache' -f '%s/ld.conf'",
		 dir, dir, ldconfig_tool(), dir, dir);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
	snprintf(cache, sizeof(cache), "%s/ld.so.cache", dir);
	snprintf(lib, sizeof(lib), "%s/lib/libbbpftest.so.7", dir);
	assert_true(check_cache_vs_ldconfig(cache) > 1);
	assert_int_equal(bbpf_ctx_new(&ctx, NULL), 0);
	o.ld_cache = cache;
	assert_int_equal(bbpf_binpath_resolve(ctx, "libbbpftest.so.7", &o, out, sizeof(out)), 0);
	assert_string_equal(out, lib);
	/* directories still come first */
	assert_int_equal(bbpf_binpath_resolve(ctx, "libc.so.6", &o, out, sizeof(out)), 0);
	assert_string_equal(out, MA1 "/libc.so.6");
	o.ld_cache = "";
	assert_int_equal(bbpf_binpath_resolve(ctx, "libbbpftest.so.7", &o, out, sizeof(out)),
			 -ENOENT);
	o.ld_cache = NULL;	/* the system cache does not know it */
	assert_int_equal(bbpf_binpath_resolve(ctx, "libbbpftest.so.7", &o, out, sizeof(out)),
			 -ENOENT);
	bbpf_ctx_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Fuzzer findings (tests/data/bad/ldcache-*) and the fuzzer's seeds. */
static size_t replay_dir(const char *dir, const char *prefix)
{
	struct su_file *files;
	size_t cnt, seen = 0;

	assert_int_equal(su_load_dir(dir, "", &files, &cnt), 0);
	for (size_t i = 0; i < cnt; i++) {
		struct bbpf_ldcache c;
		struct bbpf_diag d = { 0 };
		const char *path;
		int rc;

		if (strncmp(files[i].name, prefix, strlen(prefix)))
			continue;
		rc = bbpf_ldcache_parse(&c, files[i].buf, files[i].len, &d);
		printf("  %s: %d (%s)\n", files[i].name, rc, bbpf_bad_str(d.why));
		assert_true(rc == 0 || (rc == -EBADMSG && d.why != BBPF_BAD_NONE));
		if (rc == 0)
			(void)bbpf_ldcache_lookup(&c, "libc.so.6", X64, &path);
		seen++;
	}
	su_free_files(files, cnt);
	printf("  %s: %zu inputs replayed\n", dir, seen);
	return seen;
}

static void test_replay(void **state)
{
	size_t n;

	(void)state;
	n = replay_dir(BBPF_SRC_DIR "/tests/data/bad", "ldcache-");
	n += replay_dir(BBPF_SRC_DIR "/fuzz/corpus/fuzz_ldcache", "");
	assert_true(n >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_library_order),
		cmocka_unit_test(test_library_checks),
		cmocka_unit_test(test_program_order),
		cmocka_unit_test(test_names_with_slash),
		cmocka_unit_test(test_cache_fallback),
		cmocka_unit_test(test_cache_failures),
		cmocka_unit_test(test_cache_parse_synthetic),
		cmocka_unit_test(test_cache_hostile),
		cmocka_unit_test(test_cache_vs_ldconfig),
		cmocka_unit_test(test_real_fallback),
		cmocka_unit_test(test_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
