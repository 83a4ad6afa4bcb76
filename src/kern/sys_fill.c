/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_sys_fill: a table with every hook set. Hooks a caller's table leaves
 * NULL (it was written before they existed) fail with -ENOSYS, which every
 * caller already handles as "not supported here".
 */
#include <errno.h>
#include <barebpf/sys.h>

static long no_bpf(void *c, int cmd, union bpf_attr *a, unsigned int s)
{
	(void)c; (void)cmd; (void)a; (void)s;
	return -ENOSYS;
}

static long no_perf_event_open(void *c, struct perf_event_attr *a, pid_t p, int cpu, int g,
			       unsigned long f)
{
	(void)c; (void)a; (void)p; (void)cpu; (void)g; (void)f;
	return -ENOSYS;
}

static long no_fd_ul_ul(void *c, int fd, unsigned long a, unsigned long b)
{
	(void)c; (void)fd; (void)a; (void)b;
	return -ENOSYS;
}

static long no_fd(void *c, int fd)
{
	(void)c; (void)fd;
	return -ENOSYS;
}

static long no_path_int_uint(void *c, const char *p, int f, unsigned int m)
{
	(void)c; (void)p; (void)f; (void)m;
	return -ENOSYS;
}

static long no_fd_buf(void *c, int fd, void *b, size_t l)
{
	(void)c; (void)fd; (void)b; (void)l;
	return -ENOSYS;
}

static long no_fd_cbuf(void *c, int fd, const void *b, size_t l)
{
	(void)c; (void)fd; (void)b; (void)l;
	return -ENOSYS;
}

static long no_mmap(void *c, void *a, size_t l, int p, int f, int fd, off_t o, void **out)
{
	(void)c; (void)a; (void)l; (void)p; (void)f; (void)fd; (void)o; (void)out;
	return -ENOSYS;
}

static long no_munmap(void *c, void *a, size_t l)
{
	(void)c; (void)a; (void)l;
	return -ENOSYS;
}

static long no_path_uint(void *c, const char *p, unsigned int m)
{
	(void)c; (void)p; (void)m;
	return -ENOSYS;
}

static long no_path(void *c, const char *p)
{
	(void)c; (void)p;
	return -ENOSYS;
}

static long no_statfs(void *c, const char *p, long *t)
{
	(void)c; (void)p; (void)t;
	return -ENOSYS;
}

static long no_mount(void *c, const char *s, const char *t, const char *f, unsigned long fl,
		     const void *d)
{
	(void)c; (void)s; (void)t; (void)f; (void)fl; (void)d;
	return -ENOSYS;
}

static long no_getrlimit(void *c, int r, struct rlimit *l)
{
	(void)c; (void)r; (void)l;
	return -ENOSYS;
}

static long no_setrlimit(void *c, int r, const struct rlimit *l)
{
	(void)c; (void)r; (void)l;
	return -ENOSYS;
}

static long no_uname(void *c, struct utsname *u)
{
	(void)c; (void)u;
	return -ENOSYS;
}

static long no_statx(void *c, int d, const char *p, int f, unsigned int m, struct statx *b)
{
	(void)c; (void)d; (void)p; (void)f; (void)m; (void)b;
	return -ENOSYS;
}

static long no_pread(void *c, int fd, void *b, size_t l, uint64_t o)
{
	(void)c; (void)fd; (void)b; (void)l; (void)o;
	return -ENOSYS;
}

static long no_readlink(void *c, const char *p, char *b, size_t l)
{
	(void)c; (void)p; (void)b; (void)l;
	return -ENOSYS;
}

static long no_void(void *c)
{
	(void)c;
	return -ENOSYS;
}

/* Without the real answer, the page size every Linux port but a few uses. */
static long default_page_size(void *c)
{
	(void)c;
	return 4096;
}

static long no_clock(void *c, int clk, struct timespec *ts)
{
	(void)c; (void)clk; (void)ts;
	return -ENOSYS;
}

static long no_epoll_ctl(void *c, int e, int op, int fd, struct epoll_event *ev)
{
	(void)c; (void)e; (void)op; (void)fd; (void)ev;
	return -ENOSYS;
}

static long no_epoll_wait(void *c, int e, struct epoll_event *ev, int m, int t)
{
	(void)c; (void)e; (void)ev; (void)m; (void)t;
	return -ENOSYS;
}

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

#define FILL(hook, stub) dst->hook = src->hook ? src->hook : (stub)

void bbpf_sys_fill(struct bbpf_sys *dst, const struct bbpf_sys *src)
{
	dst->ctx = src->ctx;
	FILL(bpf, no_bpf);
	FILL(perf_event_open, no_perf_event_open);
	FILL(ioctl, no_fd_ul_ul);
	FILL(close, no_fd);
	FILL(open, no_path_int_uint);
	FILL(read, no_fd_buf);
	FILL(write, no_fd_cbuf);
	FILL(mmap, no_mmap);
	FILL(munmap, no_munmap);
	FILL(mkdir, no_path_uint);
	FILL(unlink, no_path);
	FILL(rmdir, no_path);
	FILL(statfs, no_statfs);
	FILL(mount, no_mount);
	FILL(getrlimit, no_getrlimit);
	FILL(setrlimit, no_setrlimit);
	FILL(uname, no_uname);
	FILL(dup, no_fd);
	FILL(statx, no_statx);
	FILL(pread, no_pread);
	FILL(readlink, no_readlink);
	FILL(getdents64, no_fd_buf);
	FILL(getpid, no_void);
	FILL(page_size, default_page_size);
	FILL(clock_gettime, no_clock);
	FILL(epoll_create, no_void);
	FILL(epoll_ctl, no_epoll_ctl);
	FILL(epoll_wait, no_epoll_wait);
	FILL(socket, no_socket);
	FILL(bind, no_bind);
	FILL(sendto, no_sendto);
	FILL(recvfrom, no_recvfrom);
	FILL(setsockopt, no_setsockopt);
	FILL(getsockopt, no_getsockopt);
}
