/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bbpf_sys_linux: the syscall table on Linux. The only file in barebpf that
 * includes <sys/syscall.h> and calls syscall(2). Each hook is one system
 * call; libc's syscall() reports failure as -1 with errno set, which is
 * turned back into -errno here and nowhere else.
 *
 * Path calls use the *at variants with AT_FDCWD (arm64 and riscv have no
 * open/mkdir/unlink/rmdir), mmap uses mmap2 where the architecture has it
 * (32-bit), and the rlimit calls use prlimit64 so 32-bit userspace with a
 * 64-bit rlim_t gets the layout it expects.
 */
#define _GNU_SOURCE	/* syscall(2) */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <asm/statfs.h>	/* the kernel's struct statfs, not libc's */
#include <linux/stat.h>	/* struct statx: one layout on every architecture */
#include <barebpf/sys.h>

#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR 0x200
#endif

/* (unused on x86-64 without the socket hooks: the init build) */
static __attribute__((unused)) long ret_or_errno(long ret)
{
	return ret == -1 ? -errno : ret;
}

/*
 * One system call, -errno on failure. On x86-64 the instruction itself
 * (the kernel answers -errno already): no libc syscall() with its errno
 * round trip behind every hook of the table.
 */
#if defined(__x86_64__) && !defined(__ILP32__)
static inline __attribute__((always_inline)) long sc3(long n, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long sc1(long n, long a1)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1) : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long sc4(long n, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a4;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long sc(long n, long a1, long a2, long a3, long a4,
						     long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
static long sc(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return ret_or_errno(syscall(n, a1, a2, a3, a4, a5, a6));
}

static long sc3(long n, long a1, long a2, long a3)
{
	return ret_or_errno(syscall(n, a1, a2, a3));
}
#define sc1(n, a1) sc3(n, a1, 0, 0)
#define sc4(n, a1, a2, a3, a4) sc(n, a1, a2, a3, a4, 0, 0)
#endif
#define SC1(n, a) sc1(n, (long)(a))
#define SC3(n, a, b, c) sc3(n, (long)(a), (long)(b), (long)(c))
#define SC4(n, a, b, c, d) sc4(n, (long)(a), (long)(b), (long)(c), (long)(d))
#define SC(n, a, b, c, d, e, f) \
	sc(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static long linux_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)ctx;
	return SC3(__NR_bpf, cmd, attr, size);
}

static long linux_perf_event_open(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu,
				  int group_fd, unsigned long flags)
{
	(void)ctx;
	return SC(__NR_perf_event_open, attr, pid, cpu, group_fd, flags, 0);
}

static long linux_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	(void)ctx;
	return SC3(__NR_ioctl, fd, request, arg);
}

/* Linux releases the fd even when close fails (EINTR, EIO): never retry. */
static long linux_close(void *ctx, int fd)
{
	(void)ctx;
	return SC1(__NR_close, fd);
}

static long linux_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	(void)ctx;
	return SC4(__NR_openat, AT_FDCWD, path, flags, mode);
}

static long linux_read(void *ctx, int fd, void *buf, size_t len)
{
	(void)ctx;
	return SC3(__NR_read, fd, buf, len);
}

static long linux_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	return SC3(__NR_write, fd, buf, len);
}

/*
 * A mapping's address may look negative as a long on 32-bit hosts, so only
 * libc's -1 means failure (no mapping can start at the last byte).
 */
static long linux_mmap(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		       void **out)
{
	long ret;

	(void)ctx;
	if (off < 0)
		return -EINVAL;
#ifdef __NR_mmap2
	/* mmap2 takes the offset in 4096-byte units on every architecture using it. */
	if (off & 4095)
		return -EINVAL;
	ret = SC(__NR_mmap2, addr, len, prot, flags, fd, (unsigned long)(off >> 12));
#else
	ret = SC(__NR_mmap, addr, len, prot, flags, fd, off);
#endif
	if ((unsigned long)ret > -4096ul)
		return ret;	/* -errno: no mapping starts in the last page */
	*out = (void *)(uintptr_t)(unsigned long)ret;
	return 0;
}

static long linux_munmap(void *ctx, void *addr, size_t len)
{
	(void)ctx;
	return SC3(__NR_munmap, addr, len, 0);
}

static long linux_mkdir(void *ctx, const char *path, unsigned int mode)
{
	(void)ctx;
	return SC3(__NR_mkdirat, AT_FDCWD, path, mode);
}

static long linux_unlink(void *ctx, const char *path)
{
	(void)ctx;
	return SC3(__NR_unlinkat, AT_FDCWD, path, 0);
}

static long linux_rmdir(void *ctx, const char *path)
{
	(void)ctx;
	return SC3(__NR_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
}

static long linux_statfs(void *ctx, const char *path, long *fs_type)
{
	long ret;

	(void)ctx;
#ifdef __NR_statfs64
	/* 32-bit: statfs64 has 64-bit block counts; f_type is the same. */
	struct statfs64 st;

	ret = SC3(__NR_statfs64, path, sizeof(st), &st);
#else
	struct statfs st;

	ret = SC3(__NR_statfs, path, &st, 0);
#endif
	if (ret < 0)
		return ret;
	*fs_type = (long)st.f_type;
	return 0;
}

static long linux_mount(void *ctx, const char *source, const char *target, const char *fstype,
			unsigned long flags, const void *data)
{
	(void)ctx;
	return SC(__NR_mount, source, target, fstype, flags, data, 0);
}

/* prlimit64's layout: two u64, RLIM64_INFINITY = ~0. */
struct rlimit64_k {
	uint64_t cur;
	uint64_t max;
};

static uint64_t to_k(rlim_t v)
{
	return v == RLIM_INFINITY ? UINT64_MAX : (uint64_t)v;
}

static rlim_t from_k(uint64_t v)
{
	if (v == UINT64_MAX || v > (uint64_t)(rlim_t)-1)
		return RLIM_INFINITY;
	return (rlim_t)v;
}

static long linux_getrlimit(void *ctx, int resource, struct rlimit *rlim)
{
	struct rlimit64_k k;
	long ret;

	(void)ctx;
	ret = SC4(__NR_prlimit64, 0, resource, NULL, &k);
	if (ret < 0)
		return ret;
	rlim->rlim_cur = from_k(k.cur);
	rlim->rlim_max = from_k(k.max);
	return 0;
}

static long linux_setrlimit(void *ctx, int resource, const struct rlimit *rlim)
{
	struct rlimit64_k k = { to_k(rlim->rlim_cur), to_k(rlim->rlim_max) };

	(void)ctx;
	return SC4(__NR_prlimit64, 0, resource, &k, NULL);
}

/* libc's struct utsname is the kernel's new_utsname (6 x 65 bytes). */
static long linux_uname(void *ctx, struct utsname *buf)
{
	(void)ctx;
	return SC1(__NR_uname, buf);
}

static long linux_dup(void *ctx, int fd)
{
	(void)ctx;
#ifdef __NR_fcntl64
	return SC3(__NR_fcntl64, fd, F_DUPFD_CLOEXEC, 3);
#else
	return SC3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, 3);
#endif
}

static long linux_statx(void *ctx, int dirfd, const char *path, int flags, unsigned int mask,
			struct statx *buf)
{
	(void)ctx;
	return SC(__NR_statx, dirfd, path, flags, mask, buf, 0);
}

static long linux_pread(void *ctx, int fd, void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	if (off > (uint64_t)INT64_MAX)
		return -EINVAL;
#if defined(__x86_64__) && !defined(__ILP32__)
	return SC4(__NR_pread64, fd, buf, len, off);	/* the offset in one register */
#else
	/* pread (not pread64) on 32-bit: libc splits the 64-bit offset as the ABI wants. */
	return ret_or_errno((long)pread(fd, buf, len, (off_t)off));
#endif
}

static long linux_readlink(void *ctx, const char *path, char *buf, size_t len)
{
	(void)ctx;
	return SC4(__NR_readlinkat, AT_FDCWD, path, buf, len);
}

static long linux_getdents64(void *ctx, int fd, void *buf, size_t len)
{
	(void)ctx;
	return SC3(__NR_getdents64, fd, buf, len);
}

static long linux_getpid(void *ctx)
{
	(void)ctx;
	return SC1(__NR_getpid, 0);
}

static long linux_page_size(void *ctx)
{
	unsigned long p = getauxval(AT_PAGESZ);

	(void)ctx;
	return p ? (long)p : 4096;
}

/*
 * The system call, not libc's vDSO path: the library asks the time only to
 * bound waits, and the vDSO lookup would add a kilobyte to static builds.
 * 32-bit architectures with a 32-bit time_t in libc would need
 * clock_gettime64 here.
 */
static long linux_clock_gettime(void *ctx, int clock, struct timespec *ts)
{
	(void)ctx;
	return SC3(__NR_clock_gettime, clock, ts, 0);
}

static long linux_epoll_create(void *ctx)
{
	(void)ctx;
	return SC1(__NR_epoll_create1, EPOLL_CLOEXEC);
}

static long linux_epoll_ctl(void *ctx, int epfd, int op, int fd, struct epoll_event *ev)
{
	(void)ctx;
	return SC4(__NR_epoll_ctl, epfd, op, fd, ev);
}

/* epoll_pwait exists everywhere (arm64 and riscv have no epoll_wait). */
static long linux_epoll_wait(void *ctx, int epfd, struct epoll_event *evs, int max,
			     int timeout_ms)
{
	(void)ctx;
	return SC(__NR_epoll_pwait, epfd, evs, max, timeout_ms, NULL, 8);
}

#ifndef BBPF_NO_NET_ATTACH
/*
 * Socket calls: the instruction itself where the architecture has one
 * system call per socket call (x86-64, arm64, riscv, ...), through libc
 * where it multiplexes them through socketcall(2) (i386 before Linux 4.3).
 * The init build (make static-init) attaches nothing through sockets or
 * netlink: its socket hooks (below the #else) fail with -ENOSYS, as
 * bbpf_sys_fill() makes a NULL hook; there this table is the only one and
 * sets every hook, and bbpf_sys_fill() copies it.
 */
#if defined(__NR_socket) && defined(__NR_getsockopt)
static long linux_socket(void *ctx, int domain, int type, int protocol)
{
	(void)ctx;
	return SC3(__NR_socket, domain, type | SOCK_CLOEXEC, protocol);
}

static long linux_bind(void *ctx, int fd, const struct sockaddr *addr, unsigned int addr_len)
{
	(void)ctx;
	return SC3(__NR_bind, fd, addr, addr_len);
}

static long linux_sendto(void *ctx, int fd, const void *buf, size_t len, int flags,
			 const struct sockaddr *addr, unsigned int addr_len)
{
	(void)ctx;
	return SC(__NR_sendto, fd, buf, len, flags, addr, addr_len);
}

static long linux_recvfrom(void *ctx, int fd, void *buf, size_t len, int flags,
			   struct sockaddr *addr, unsigned int *addr_len)
{
	(void)ctx;	/* the kernel's socklen is an int, as addr_len */
	return SC(__NR_recvfrom, fd, buf, len, flags, addr, addr_len);
}

static long linux_setsockopt(void *ctx, int fd, int level, int name, const void *val,
			     unsigned int len)
{
	(void)ctx;
	return SC(__NR_setsockopt, fd, level, name, val, len, 0);
}

static long linux_getsockopt(void *ctx, int fd, int level, int name, void *val,
			     unsigned int *len)
{
	(void)ctx;
	return SC(__NR_getsockopt, fd, level, name, val, len, 0);
}
#else
static long linux_socket(void *ctx, int domain, int type, int protocol)
{
	(void)ctx;
	return ret_or_errno(socket(domain, type | SOCK_CLOEXEC, protocol));
}

static long linux_bind(void *ctx, int fd, const struct sockaddr *addr, unsigned int addr_len)
{
	(void)ctx;
	return ret_or_errno(bind(fd, addr, addr_len));
}

static long linux_sendto(void *ctx, int fd, const void *buf, size_t len, int flags,
			 const struct sockaddr *addr, unsigned int addr_len)
{
	(void)ctx;
	return ret_or_errno((long)sendto(fd, buf, len, flags, addr, addr_len));
}

static long linux_recvfrom(void *ctx, int fd, void *buf, size_t len, int flags,
			   struct sockaddr *addr, unsigned int *addr_len)
{
	socklen_t l = addr_len ? *addr_len : 0;
	long ret;

	(void)ctx;
	ret = ret_or_errno((long)recvfrom(fd, buf, len, flags, addr, addr_len ? &l : NULL));
	if (ret >= 0 && addr_len)
		*addr_len = l;
	return ret;
}

static long linux_setsockopt(void *ctx, int fd, int level, int name, const void *val,
			     unsigned int len)
{
	(void)ctx;
	return ret_or_errno(setsockopt(fd, level, name, val, len));
}

static long linux_getsockopt(void *ctx, int fd, int level, int name, void *val,
			     unsigned int *len)
{
	socklen_t l = *len;
	long ret;

	(void)ctx;
	ret = ret_or_errno(getsockopt(fd, level, name, val, &l));
	if (!ret)
		*len = l;
	return ret;
}
#endif
#else	/* the init build: the socket hooks answer -ENOSYS */
#include "sys_nosock.h"
#define linux_socket no_socket
#define linux_bind no_bind
#define linux_sendto no_sendto
#define linux_recvfrom no_recvfrom
#define linux_setsockopt no_setsockopt
#define linux_getsockopt no_getsockopt
#endif

const struct bbpf_sys bbpf_sys_linux = {
	.ctx = NULL,
	.bpf = linux_bpf,
	.perf_event_open = linux_perf_event_open,
	.ioctl = linux_ioctl,
	.close = linux_close,
	.open = linux_open,
	.read = linux_read,
	.write = linux_write,
	.mmap = linux_mmap,
	.munmap = linux_munmap,
	.mkdir = linux_mkdir,
	.unlink = linux_unlink,
	.rmdir = linux_rmdir,
	.statfs = linux_statfs,
	.mount = linux_mount,
	.getrlimit = linux_getrlimit,
	.setrlimit = linux_setrlimit,
	.uname = linux_uname,
	.dup = linux_dup,
	.statx = linux_statx,
	.pread = linux_pread,
	.readlink = linux_readlink,
	.getdents64 = linux_getdents64,
	.getpid = linux_getpid,
	.page_size = linux_page_size,
	.clock_gettime = linux_clock_gettime,
	.epoll_create = linux_epoll_create,
	.epoll_ctl = linux_epoll_ctl,
	.epoll_wait = linux_epoll_wait,
	.socket = linux_socket,
	.bind = linux_bind,
	.sendto = linux_sendto,
	.recvfrom = linux_recvfrom,
	.setsockopt = linux_setsockopt,
	.getsockopt = linux_getsockopt,
};
