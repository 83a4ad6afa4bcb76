/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_object_open_file: read the whole file through the syscall table
 * (opts->sys), then open it from memory; the object keeps the bytes.
 * Outside libbarebpf_obj.a because it does I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/stat.h>
#include <barebpf/object.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

int bbpf_object_open_owned(struct bbpf_object **out, const void *buf, size_t len, void *owned,
			   const struct bbpf_open_opts *opts, struct bbpf_diag *diag);

/* libbpf's default object name: the base name up to its first dot. */
static void default_name(const char *path, char *name, size_t size)
{
	const char *base = path, *s;
	size_t n;

	/* Plain loops: one pass each, no further libc string calls at start-up. */
	for (s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	for (n = 0; base[n] && base[n] != '.'; n++)
		;
	if (n >= size)
		n = size - 1;
	memcpy(name, base, n);
	name[n] = '\0';
}

static int read_all(const struct bbpf_sys *sys, int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long n = sys->read(sys->ctx, fd, buf + done, len - done);

		if (n == -EINTR)
			continue;
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EIO;	/* file shrank under us */
		done += (size_t)n;
	}
	return 0;
}

int bbpf_object_open_file(struct bbpf_object **out, const char *path,
			  const struct bbpf_open_opts *opts, struct bbpf_diag *diag)
{
	const struct bbpf_alloc *alloc = opts && opts->alloc ? opts->alloc : &bbpf_alloc_libc;
	struct bbpf_open_opts o = opts ? *opts : (struct bbpf_open_opts){ 0 };
	struct bbpf_sys sys;
	struct statx st;
	char name[256];
	uint8_t *buf;
	size_t len;
	long fd;
	int err;

	if (!out || !path)
		return -EINVAL;
	bbpf_sys_fill(&sys, o.sys ? o.sys : &bbpf_sys_linux);
	fd = sys.open(sys.ctx, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	memset(&st, 0, sizeof(st));
	err = (int)sys.statx(sys.ctx, (int)fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, &st);
	if (err) {
		sys.close(sys.ctx, (int)fd);
		return err;
	}
	if (!S_ISREG(st.stx_mode) || st.stx_size > SIZE_MAX / 2) {
		sys.close(sys.ctx, (int)fd);
		return S_ISDIR(st.stx_mode) ? -EISDIR : -EINVAL;
	}
	len = (size_t)st.stx_size;
	buf = alloc->resize(alloc->ctx, NULL, 0, len ? len : 1);
	if (!buf) {
		sys.close(sys.ctx, (int)fd);
		return -ENOMEM;
	}
	err = read_all(&sys, (int)fd, buf, len);
	sys.close(sys.ctx, (int)fd);
	if (!err) {
		if (!o.object_name) {
			default_name(path, name, sizeof(name));
			o.object_name = name;
		}
		err = bbpf_object_open_owned(out, buf, len, buf, &o, diag);
	}
	if (err)
		alloc->resize(alloc->ctx, buf, len ? len : 1, 0);
	return err;
}
