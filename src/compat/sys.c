// SPDX-License-Identifier: BSD-2-Clause
/*
 * The compat layer's syscall table, contexts and memory. libbpf's API has
 * no context argument, so the table is chosen at link time: the weak
 * bbpf_compat_sys() below gives the real kernel; a program or test that
 * defines its own runs every libbpf-compatible call over its table.
 */
#include "compat.h"

__attribute__((weak)) const struct bbpf_sys *bbpf_compat_sys(void)
{
	return &bbpf_sys_linux;
}

int bbpf_compat_sys_ctx(struct bbpf_ctx **out, const struct bbpf_ctx_opts *extra)
{
	struct bbpf_ctx_opts co = { 0 };

	if (extra)
		co = *extra;
	co.sys = bbpf_compat_sys();
	co.log = bbpf_compat_print_log;
	return bbpf_ctx_new(out, &co);
}

int bbpf_compat_sys_fd(long fd)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	long nfd;

	if (fd < 0)
		return bbpf_compat_err((int)fd);
	if (fd >= 3)
		return (int)fd;
	nfd = sys->dup(sys->ctx, (int)fd);
	sys->close(sys->ctx, (int)fd);
	return nfd < 0 ? bbpf_compat_err((int)nfd) : (int)nfd;
}

void *bbpf_compat_sys_zalloc(size_t n)
{
	void *p = bbpf_alloc_libc.resize(bbpf_alloc_libc.ctx, NULL, 0, n ? n : 1);

	if (p)
		memset(p, 0, n ? n : 1);
	return p;
}

void bbpf_compat_sys_free(void *p, size_t n)
{
	if (p)
		bbpf_alloc_libc.resize(bbpf_alloc_libc.ctx, p, n ? n : 1, 0);
}

char *bbpf_compat_sys_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = bbpf_compat_sys_zalloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void bbpf_compat_sys_strfree(char *s)
{
	if (s)
		bbpf_compat_sys_free(s, strlen(s) + 1);
}
