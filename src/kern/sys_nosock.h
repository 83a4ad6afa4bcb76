/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The socket hooks' -ENOSYS stubs, one copy for the two tables that use
 * them: bbpf_sys_fill()'s (sys_fill.c) for a table that leaves them NULL,
 * and bbpf_sys_linux's own (sys_linux.c) in a build without network attach
 * (BBPF_NO_NET_ATTACH: the init build, whose bbpf_sys_fill() copies the
 * table as it is). Static: each file that includes this uses them.
 */
#ifndef BBPF_KERN_SYS_NOSOCK_H
#define BBPF_KERN_SYS_NOSOCK_H

#include <errno.h>
#include <stddef.h>
#include <barebpf/sys.h>

static long no_socket(void *c, int d, int t, int p)
{
	(void)c; (void)d; (void)t; (void)p;
	return -ENOSYS;
}

static long no_bind(void *c, int fd, const struct sockaddr *a, unsigned int l)
{
	(void)c; (void)fd; (void)a; (void)l;
	return -ENOSYS;
}

static long no_sendto(void *c, int fd, const void *b, size_t l, int f, const struct sockaddr *a,
		      unsigned int al)
{
	(void)c; (void)fd; (void)b; (void)l; (void)f; (void)a; (void)al;
	return -ENOSYS;
}

static long no_recvfrom(void *c, int fd, void *b, size_t l, int f, struct sockaddr *a,
			unsigned int *al)
{
	(void)c; (void)fd; (void)b; (void)l; (void)f; (void)a; (void)al;
	return -ENOSYS;
}

static long no_setsockopt(void *c, int fd, int lv, int n, const void *v, unsigned int l)
{
	(void)c; (void)fd; (void)lv; (void)n; (void)v; (void)l;
	return -ENOSYS;
}

static long no_getsockopt(void *c, int fd, int lv, int n, void *v, unsigned int *l)
{
	(void)c; (void)fd; (void)lv; (void)n; (void)v; (void)l;
	return -ENOSYS;
}

#endif
