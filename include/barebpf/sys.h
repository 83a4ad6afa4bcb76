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
#include <sys/types.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

struct rlimit;
struct utsname;

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
};

extern const struct bbpf_sys bbpf_sys_linux;

#endif
