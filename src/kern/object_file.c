/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_object_open_file: read the whole file, then open it from memory; the
 * object keeps the bytes. Outside libbarebpf_obj.a because it does I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <barebpf/object.h>

int bbpf_object_open_owned(struct bbpf_object **out, const void *buf, size_t len, void *owned,
			   const struct bbpf_open_opts *opts, struct bbpf_diag *diag);

/* libbpf's default object name: the base name up to its first dot. */
static void default_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (n >= size)
		n = size - 1;
	memcpy(name, base, n);
	name[n] = '\0';
}

static int read_all(int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
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
	char name[256];
	struct stat st;
	uint8_t *buf;
	size_t len;
	int fd, err;

	if (!out || !path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 || (uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	len = (size_t)st.st_size;
	buf = alloc->resize(alloc->ctx, NULL, 0, len ? len : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	err = read_all(fd, buf, len);
	close(fd);
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
