/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_SYS_H
#define BAREBPF_SYS_H

/*
 * Everything barebpf asks of the kernel, as one replaceable table. Each hook
 * maps 1:1 to one system call and returns its result (>= 0) or -errno;
 * errno is never used. bbpf_sys_linux is the real implementation (the only
 * code that calls syscall(2)); tests and fuzzers pass their own table to
 * run without a kernel, record calls, or fail any call they choose.
 *
 * Policy (EAGAIN retries, log-buffer growth, fallbacks) lives above this
 * table, never in it.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

struct rlimit;
struct utsname;
struct statx;
struct timespec;
struct epoll_event;
struct sockaddr;

struct bbpf_sys {
	void *ctx;
	long (*bpf)(void *ctx, int cmd, union bpf_attr *attr, unsigned int size);
	long (*perf_event_open)(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu,
				int group_fd, unsigned long flags);
	long (*ioctl)(void *ctx, int fd, unsigned long request, unsigned long arg);
	/* The fd is released even when close fails (as close(2) does on Linux). */
	long (*close)(void *ctx, int fd);
	long (*open)(void *ctx, const char *path, int flags, unsigned int mode);
	long (*read)(void *ctx, int fd, void *buf, size_t len);
	long (*write)(void *ctx, int fd, const void *buf, size_t len);
	/* On success *out is the mapping and 0 is returned. */
	long (*mmap)(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		     void **out);
	long (*munmap)(void *ctx, void *addr, size_t len);
	long (*mkdir)(void *ctx, const char *path, unsigned int mode);
	long (*unlink)(void *ctx, const char *path);
	long (*rmdir)(void *ctx, const char *path);
	/* statfs(2)'s f_type of path, in *fs_type. */
	long (*statfs)(void *ctx, const char *path, long *fs_type);
	long (*mount)(void *ctx, const char *source, const char *target, const char *fstype,
		      unsigned long flags, const void *data);
	long (*getrlimit)(void *ctx, int resource, struct rlimit *rlim);
	long (*setrlimit)(void *ctx, int resource, const struct rlimit *rlim);
	long (*uname)(void *ctx, struct utsname *buf);
	/* A file descriptor duplicated at or above 3 (F_DUPFD_CLOEXEC). */
	long (*dup)(void *ctx, int fd);
	/* statx(2); with AT_EMPTY_PATH and path "" it describes dirfd (fstat). */
	long (*statx)(void *ctx, int dirfd, const char *path, int flags, unsigned int mask,
		      struct statx *buf);
	long (*pread)(void *ctx, int fd, void *buf, size_t len, uint64_t off);
	/* readlinkat(AT_FDCWD, ...): bytes placed in buf, not NUL-terminated. */
	long (*readlink)(void *ctx, const char *path, char *buf, size_t len);
	long (*getdents64)(void *ctx, int fd, void *buf, size_t len);
	long (*getpid)(void *ctx);
	/* Not a system call: the page size the kernel told the process (AT_PAGESZ). */
	long (*page_size)(void *ctx);
	long (*clock_gettime)(void *ctx, int clock, struct timespec *ts);
	/* epoll_create1(EPOLL_CLOEXEC). */
	long (*epoll_create)(void *ctx);
	long (*epoll_ctl)(void *ctx, int epfd, int op, int fd, struct epoll_event *ev);
	/* epoll_pwait with no signal mask; timeout in ms, -1 waits forever. */
	long (*epoll_wait)(void *ctx, int epfd, struct epoll_event *evs, int max, int timeout_ms);
	long (*socket)(void *ctx, int domain, int type, int protocol);
	long (*bind)(void *ctx, int fd, const struct sockaddr *addr, unsigned int addr_len);
	long (*sendto)(void *ctx, int fd, const void *buf, size_t len, int flags,
		       const struct sockaddr *addr, unsigned int addr_len);
	long (*recvfrom)(void *ctx, int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
			 unsigned int *addr_len);
	long (*setsockopt)(void *ctx, int fd, int level, int name, const void *val,
			   unsigned int len);
	long (*getsockopt)(void *ctx, int fd, int level, int name, void *val, unsigned int *len);
};

/*
 * dst = src with every NULL hook replaced by one that fails with -ENOSYS, so
 * that a table written before a hook existed (a test's, a fuzzer's) keeps
 * working: the code above only sees an unsupported call.
 */
void bbpf_sys_fill(struct bbpf_sys *dst, const struct bbpf_sys *src);

extern const struct bbpf_sys bbpf_sys_linux;

#endif
