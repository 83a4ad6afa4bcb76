/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_object_open_file: read the whole file through the syscall table
 * (opts->sys, bbpf_sys_load_raw), then open it from memory; the object keeps the bytes.
 * Outside libbarebpf_obj.a because it does I/O.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <barebpf/object.h>
#include "kern.h"

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

int bbpf_object_open_file(struct bbpf_object **out, const char *path,
			  const struct bbpf_open_opts *opts, struct bbpf_diag *diag)
{
	const struct bbpf_alloc *alloc = opts && opts->alloc ? opts->alloc : &bbpf_alloc_libc;
	struct bbpf_open_opts o = opts ? *opts : (struct bbpf_open_opts){ 0 };
	struct bbpf_sys sys;
	char name[256];
	uint8_t *buf;
	size_t len;
	int err;

	if (!out || !path)
		return -EINVAL;
	bbpf_sys_fill(&sys, o.sys ? o.sys : &bbpf_sys_linux);
	err = bbpf_sys_load_raw(&sys, alloc, path, SIZE_MAX / 2, true, &buf, &len, NULL);
	if (err)
		return err;
	if (!o.object_name) {
		default_name(path, name, sizeof(name));
		o.object_name = name;
	}
	err = bbpf_object_open_owned(out, buf, len, buf, &o, diag);
	if (err)
		alloc->resize(alloc->ctx, buf, len ? len : 1, 0);
	return err;
}
