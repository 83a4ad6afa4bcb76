/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whole-file reads through the syscall table (procfs and sysfs files report
 * size 0, so read until EOF), regular files of a known size (uprobe
 * targets), and the possible-CPU count.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <linux/stat.h>
#include "kern.h"

#define READ_CHUNK 4096

static int read_all(const struct bbpf_sys *sys, int fd, const struct bbpf_alloc *alloc,
		    size_t max, uint8_t **out, size_t *out_len, size_t *out_cap)
{
	uint8_t *buf = NULL, *nbuf;
	size_t len = 0, cap = 0;
	long n;

	/* Room for max + 1 bytes tells "exactly max" from "more than max". */
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : READ_CHUNK;

			if (cap > max) {
				n = -EFBIG;
				break;
			}
			if (ncap < cap || ncap > max + 1)
				ncap = max + 1;
			nbuf = alloc->resize(alloc->ctx, buf, cap, ncap);
			if (!nbuf) {
				n = -ENOMEM;
				break;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = sys->read(sys->ctx, fd, buf + len, cap - len);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n > cap - len) {
			n = -EIO;	/* a table that overran the buffer */
			break;
		}
		len += (size_t)n;
		if (len > max) {
			n = -EFBIG;
			break;
		}
	}
	if (n < 0) {
		if (buf)
			alloc->resize(alloc->ctx, buf, cap, 0);
		return (int)n;
	}
	*out = buf;
	*out_len = len;
	*out_cap = cap;
	return 0;
}

int bbpf_sys_read_file(struct bbpf_ctx *ctx, const char *path, struct bbpf_arena *arena,
		       size_t max, char **out, size_t *len)
{
	const struct bbpf_sys *sys = &ctx->sys;
	const struct bbpf_alloc *alloc = &arena->alloc;
	uint8_t *tmp = NULL;
	size_t n = 0, cap = 0;
	char *s;
	long fd;
	int err;

	if (max >= SIZE_MAX - 1)
		max = SIZE_MAX - 2;
	fd = sys->open(sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	err = read_all(sys, (int)fd, alloc, max, &tmp, &n, &cap);
	sys->close(sys->ctx, (int)fd);	/* released even if close fails */
	if (err)
		return err;
	/* One arena copy of the exact size: growth waste stays out of the arena. */
	s = bbpf_arena_zalloc(arena, n + 1);
	if (s && n)
		memcpy(s, tmp, n);
	if (tmp)
		alloc->resize(alloc->ctx, tmp, cap, 0);
	if (!s)
		return -ENOMEM;
	*out = s;
	*len = n;
	return 0;
}

#define LINE_CHUNK	(64 * 1024)	/* also the longest line looked at in full */

int bbpf_sys_read_lines(struct bbpf_ctx *ctx, int fd, bbpf_line_fn fn, void *arg)
{
	const struct bbpf_sys *sys = &ctx->sys;
	const struct bbpf_alloc *alloc = &ctx->alloc;
	size_t fill = 0, start, i;
	bool skipping = false;	/* in the tail of an overlong line */
	char *buf, *nl;
	long n;
	int err = 0;

	buf = alloc->resize(alloc->ctx, NULL, 0, LINE_CHUNK);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = sys->read(sys->ctx, fd, buf + fill, LINE_CHUNK - fill);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			err = (int)n;
			goto out;
		}
		if ((size_t)n > LINE_CHUNK - fill) {
			err = -EIO;	/* a table that overran the buffer */
			goto out;
		}
		if (n == 0)
			break;
		i = fill;
		fill += (size_t)n;
		start = 0;
		if (skipping) {
			nl = memchr(buf + i, '\n', fill - i);
			if (!nl) {
				fill = 0;
				continue;
			}
			start = (size_t)(nl - buf) + 1;
			i = start;
			skipping = false;
		}
		while ((nl = memchr(buf + i, '\n', fill - i))) {
			err = fn(arg, buf + start, (size_t)(nl - buf) - start, false);
			if (err)
				goto out;
			start = i = (size_t)(nl - buf) + 1;
		}
		if (start == 0 && fill == LINE_CHUNK) {
			/* A line longer than the buffer: look at its head, drop the rest. */
			err = fn(arg, buf, fill, true);
			if (err)
				goto out;
			skipping = true;
			fill = 0;
			continue;
		}
		memmove(buf + 0, buf + start, fill - start);
		fill -= start;
	}
	if (!skipping && fill)
		err = fn(arg, buf, fill, false);	/* no final newline */
out:
	alloc->resize(alloc->ctx, buf, LINE_CHUNK, 0);
	return err;
}

/* A decimal CPU number; at most 7 digits, far above any real CPU count. */
static int parse_num(const char **p, const char *end, unsigned long *v)
{
	const char *s = *p;
	unsigned long n = 0;
	int digits = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		if (++digits > 7)
			return -EBADMSG;
		n = n * 10 + (unsigned long)(*s - '0');
		s++;
	}
	if (!digits)
		return -EBADMSG;
	*p = s;
	*v = n;
	return 0;
}

/*
 * The kernel's cpulist format: "0-3,5,7-8\n", ranges ascending and
 * disjoint. Returns the number of CPUs listed, or -EBADMSG. With mask, also
 * sets mask[cpu] = 1 for each listed cpu below mask_len; *top (if given) is
 * the highest cpu listed + 1.
 */
static int parse_cpulist_mask(const char *s, size_t len, uint8_t *mask, unsigned long mask_len,
			      unsigned long *top)
{
	const char *p = s, *end = s + len;
	unsigned long lo, hi, total = 0;
	long prev = -1;

	if (len && end[-1] == '\n')
		end--;
	if (p == end)
		return -EBADMSG;
	for (;;) {
		if (parse_num(&p, end, &lo))
			return -EBADMSG;
		hi = lo;
		if (p < end && *p == '-') {
			p++;
			if (parse_num(&p, end, &hi))
				return -EBADMSG;
		}
		if (hi < lo || (long)lo <= prev)
			return -EBADMSG;
		if (mask)
			for (unsigned long c = lo; c <= hi && c < mask_len; c++)
				mask[c] = 1;
		total += hi - lo + 1;
		prev = (long)hi;
		if (p == end)
			break;
		if (*p != ',')
			return -EBADMSG;
		p++;
	}
	if (top)
		*top = (unsigned long)prev + 1;
	return (int)total;
}

/* A cpulist file read into arena and counted; *top as parse_cpulist_mask's. Failures logged. */
static int read_cpulist(struct bbpf_ctx *ctx, const char *path, struct bbpf_arena *arena,
			char **text, size_t *len, unsigned long *top)
{
	int ret = bbpf_sys_read_file(ctx, path, arena, 16 * 1024, text, len);

	if (ret) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: read failed: error %s", path,
			 bbpf_err_name(ret));
		return ret;
	}
	ret = parse_cpulist_mask(*text, *len, NULL, 0, top);
	if (ret < 0)
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: malformed CPU list", path);
	return ret;
}

int bbpf_sys_cpu_mask(struct bbpf_ctx *ctx, const char *path, struct bbpf_arena *arena,
		      uint8_t **mask, int *n)
{
	unsigned long top = 0;
	uint8_t *m;
	char *text;
	size_t len;
	int ret;

	ret = read_cpulist(ctx, path, arena, &text, &len, &top);
	if (ret < 0)
		return ret;
	m = bbpf_arena_zalloc(arena, top);
	if (!m)
		return -ENOMEM;
	parse_cpulist_mask(text, len, m, top, NULL);
	*mask = m;
	*n = (int)top;
	return 0;
}

int bbpf_sys_possible_cpus(struct bbpf_ctx *ctx)
{
	unsigned long top;
	struct bbpf_arena tmp;
	char *text;
	size_t len;
	int ret;

	if (ctx->possible_cpus > 0)
		return ctx->possible_cpus;
	bbpf_arena_init(&tmp, &ctx->alloc, 64 * 1024);
	ret = read_cpulist(ctx, "/sys/devices/system/cpu/possible", &tmp, &text, &len, &top);
	bbpf_arena_free(&tmp);
	if (ret > 0)
		ctx->possible_cpus = ret;
	return ret;
}

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

int bbpf_sys_load_raw(const struct bbpf_sys *sys, const struct bbpf_alloc *alloc,
		      const char *path, uint64_t max, bool empty_ok, uint8_t **out, size_t *len,
		      struct bbpf_sys_file_id *id)
{
	uint8_t *buf = NULL;
	struct statx st;
	size_t size = 0, done = 0;
	long fd, n;
	int err;

	fd = sys->open(sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	memset(&st, 0, sizeof(st));
	err = (int)sys->statx(sys->ctx, (int)fd, "", AT_EMPTY_PATH,
			      STATX_TYPE | STATX_SIZE | STATX_INO, &st);
	if (!err && (st.stx_mode & 0170000) != 0100000)	/* not a regular file */
		err = (st.stx_mode & 0170000) == 0040000 ? -EISDIR : -EINVAL;
	if (!err && (st.stx_size > max || st.stx_size > SIZE_MAX))
		err = -EFBIG;
	if (!err && !st.stx_size && !empty_ok)
		err = -EBADMSG;	/* empty: no ELF header */
	if (!err) {
		size = (size_t)st.stx_size;
		buf = alloc->resize(alloc->ctx, NULL, 0, size ? size : 1);
		if (!buf)
			err = -ENOMEM;
	}
	while (!err && done < size) {
		n = sys->pread(sys->ctx, (int)fd, buf + done, size - done, done);
		if (n == -EINTR)
			continue;
		if (n < 0)
			err = (int)n;
		else if (n == 0 || (size_t)n > size - done)
			err = -EIO;	/* the file shrank under us, or a table overran */
		else
			done += (size_t)n;
	}
	sys->close(sys->ctx, (int)fd);	/* released even if close fails */
	if (err) {
		if (buf)
			alloc->resize(alloc->ctx, buf, size ? size : 1, 0);
		return err;
	}
	if (id) {
		id->ino = st.stx_ino;
		id->dev_major = st.stx_dev_major;
		id->dev_minor = st.stx_dev_minor;
	}
	*out = buf;
	*len = size;
	return 0;
}

int bbpf_sys_load_file(struct bbpf_ctx *ctx, const char *path, uint64_t max, uint8_t **out,
		       size_t *len, struct bbpf_sys_file_id *id)
{
	int err = bbpf_sys_load_raw(&ctx->sys, &ctx->alloc, path, max, false, out, len, id);

	return err == -EISDIR ? -EINVAL : err;
}

void bbpf_sys_unload_file(struct bbpf_ctx *ctx, uint8_t *buf, size_t len)
{
	if (buf)
		ctx->alloc.resize(ctx->alloc.ctx, buf, len, 0);
}
