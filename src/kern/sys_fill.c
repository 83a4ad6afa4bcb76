/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_sys_fill: a table with every hook set. Hooks a caller's table leaves
 * NULL (it was written before they existed) fail with -ENOSYS, which every
 * caller already handles as "not supported here".
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <barebpf/sys.h>

#ifdef BBPF_CLI_INIT
/*
 * The init build (make static-init): its one table is the CLI's
 * bbpf_sys_linux, which sets every hook (sys_linux.c), so the copy is the
 * whole fill, and no stub is linked.
 */
void bbpf_sys_fill(struct bbpf_sys *dst, const struct bbpf_sys *src)
{
	*dst = *src;
}
#else

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

#include "sys_nosock.h"

/* Every hook after ctx, in struct bbpf_sys's order, with its stub. */
#define HOOKS(X) \
	X(bpf, no_bpf) X(perf_event_open, no_perf_event_open) X(ioctl, no_fd_ul_ul) \
	X(close, no_fd) X(open, no_path_int_uint) X(read, no_fd_buf) X(write, no_fd_cbuf) \
	X(mmap, no_mmap) X(munmap, no_munmap) X(mkdir, no_path_uint) X(unlink, no_path) \
	X(rmdir, no_path) X(statfs, no_statfs) X(mount, no_mount) X(getrlimit, no_getrlimit) \
	X(setrlimit, no_setrlimit) X(uname, no_uname) X(dup, no_fd) X(statx, no_statx) \
	X(pread, no_pread) X(readlink, no_readlink) X(getdents64, no_fd_buf) \
	X(getpid, no_void) X(page_size, default_page_size) X(clock_gettime, no_clock) \
	X(epoll_create, no_void) X(epoll_ctl, no_epoll_ctl) X(epoll_wait, no_epoll_wait) \
	X(socket, no_socket) X(bind, no_bind) X(sendto, no_sendto) X(recvfrom, no_recvfrom) \
	X(setsockopt, no_setsockopt) X(getsockopt, no_getsockopt)

typedef void (*any_fn)(void);

/*
 * The hooks are consecutive pointers after ctx: hook i is pointer i of that
 * run, each stub of its hook's own type (checked here at compile time), so
 * one loop fills the table (34 hand-written conditional stores were 0.7 KiB).
 */
#define POS(h, s) POS_##h,
enum { HOOKS(POS) HOOK_CNT };
#define CHECK(h, s) \
	_Static_assert(offsetof(struct bbpf_sys, h) == \
		       offsetof(struct bbpf_sys, bpf) + POS_##h * sizeof(any_fn), #h " out of order"); \
	_Static_assert(__builtin_types_compatible_p(__typeof__(((struct bbpf_sys *)0)->h), \
						    __typeof__(&s)), #h ": stub of another type");
HOOKS(CHECK)
_Static_assert(sizeof(struct bbpf_sys) == offsetof(struct bbpf_sys, bpf) + HOOK_CNT * sizeof(any_fn),
	       "a hook without a stub");

#define STUB(h, s) (any_fn)(s),
static const any_fn stubs[HOOK_CNT] = { HOOKS(STUB) };

void bbpf_sys_fill(struct bbpf_sys *dst, const struct bbpf_sys *src)
{
	char *hook = (char *)dst + offsetof(struct bbpf_sys, bpf);
	any_fn fn;
	size_t i;

	*dst = *src;
	for (i = 0; i < HOOK_CNT; i++, hook += sizeof(fn)) {
		memcpy(&fn, hook, sizeof(fn));
		if (!fn)
			memcpy(hook, &stubs[i], sizeof(fn));
	}
}
#endif
