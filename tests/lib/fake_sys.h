/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Syscall tables for tests (names prefixed fs_).
 *
 * fs_wrap: a counting, fault-injecting wrapper around another table (the
 * real bbpf_sys_linux, or an fs_script). It counts every call, in total,
 * per hook and per bpf command; can make the nth call fail with a chosen
 * -errno; and keeps the fds and mappings that were created through it and
 * are still open, so a test can assert that nothing leaked. An injected
 * close or munmap failure still performs the real call first (the resource
 * is released, as close(2) does), then returns the error; any other
 * injected failure does not reach the inner table.
 *
 * fs_script: a table with no kernel behind it. bpf() answers from a queue
 * of programmed results per command, else from a callback, else with a
 * default (a fresh fake fd for commands that create one, 0 otherwise,
 * -ENOENT for GET_NEXT_ID). Every bpf call's attr is recorded. open/read
 * serve in-memory files; fake fds are allocated lowest-first like the
 * kernel's, and closing a fd that is not open gives -EBADF; statx describes
 * the files it serves (a regular file, mode 0644 unless set). mmap hands out
 * zeroed heap memory, holding the file's bytes from the offset on when the
 * fd is an in-memory file, unless mmap_cb hands out memory of its own (a
 * fake shared mapping: a ring buffer's pages, a perf ring), which munmap
 * then only forgets; MAP_ANONYMOUS needs no fd; MAP_FIXED at the address of
 * one of its mappings maps it again in place (same memory: the fake has no
 * shared memory between mappings of one fd). epoll_ctl keeps registrations (closing either fd drops
 * them, as the last close of a file does); epoll_wait reports the
 * registrations whose fd ready_cb says is ready (none without it).
 *
 * Both are plain structs with no global state; put them on the heap (they
 * are large) and pass the table returned by fs_wrap_init()/fs_script_init()
 * wherever a struct bbpf_sys goes. No cmocka dependency.
 */
#ifndef FS_FAKE_SYS_H
#define FS_FAKE_SYS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <barebpf/sys.h>

enum fs_hook {
	FS_HOOK_BPF,
	FS_HOOK_PERF_EVENT_OPEN,
	FS_HOOK_IOCTL,
	FS_HOOK_CLOSE,
	FS_HOOK_OPEN,
	FS_HOOK_READ,
	FS_HOOK_WRITE,
	FS_HOOK_MMAP,
	FS_HOOK_MUNMAP,
	FS_HOOK_MKDIR,
	FS_HOOK_UNLINK,
	FS_HOOK_RMDIR,
	FS_HOOK_STATFS,
	FS_HOOK_MOUNT,
	FS_HOOK_GETRLIMIT,
	FS_HOOK_SETRLIMIT,
	FS_HOOK_UNAME,
	FS_HOOK_DUP,
	FS_HOOK_STATX,
	FS_HOOK_PREAD,
	FS_HOOK_READLINK,
	FS_HOOK_GETDENTS64,
	FS_HOOK_GETPID,
	FS_HOOK_PAGE_SIZE,
	FS_HOOK_CLOCK_GETTIME,
	FS_HOOK_EPOLL_CREATE,
	FS_HOOK_EPOLL_CTL,
	FS_HOOK_EPOLL_WAIT,
	FS_HOOK_SOCKET,
	FS_HOOK_BIND,
	FS_HOOK_SENDTO,
	FS_HOOK_RECVFROM,
	FS_HOOK_SETSOCKOPT,
	FS_HOOK_GETSOCKOPT,
	FS_HOOK_CNT,
	FS_HOOK_ANY = -1,
};

#define FS_BPF_CMD_MAX 64	/* bpf commands counted separately; larger ones share the last slot */

const char *fs_hook_name(int hook);
/* True for the bpf commands whose result is a new fd. */
bool fs_bpf_cmd_returns_fd(int cmd);

/* ---- counting, fault-injecting wrapper ---- */

#define FS_WRAP_FDS 1024
#define FS_WRAP_MAPS 256

struct fs_open_fd {
	int fd;
	int hook;	/* enum fs_hook that created it */
	int cmd;	/* bpf command, or -1 */
	unsigned long call;	/* call number that created it (1-based) */
};

struct fs_mapping {
	void *addr;
	size_t len;
};

struct fs_wrap {
	struct bbpf_sys inner;
	/* counters */
	unsigned long calls;
	unsigned long hook_calls[FS_HOOK_CNT];
	unsigned long bpf_calls[FS_BPF_CMD_MAX];
	/* fault injection: set with fs_wrap_fail() */
	unsigned long fail_at;	/* fail the fail_at-th matching call (1-based); 0: never */
	int fail_hook;		/* FS_HOOK_ANY or the hook whose calls are matched */
	int fail_cmd;		/* with FS_HOOK_BPF: only this command (-1: any) */
	int fail_err;		/* negative errno to return */
	bool fail_sticky;	/* fail every matching call from fail_at on */
	unsigned long matched;	/* matching calls so far */
	unsigned long injected;	/* failures injected so far */
	int injected_hook;	/* the hook (and bpf command) of the last one */
	int injected_cmd;
	/* what was created through the wrapper and is still open */
	struct fs_open_fd fds[FS_WRAP_FDS];
	size_t fd_cnt;
	struct fs_mapping maps[FS_WRAP_MAPS];
	size_t map_cnt;
	bool overflow;		/* more fds or maps than the arrays hold: tracking is wrong */
};

/* Zero *w, wrap inner and return the table to use. */
struct bbpf_sys fs_wrap_init(struct fs_wrap *w, const struct bbpf_sys *inner);
/* Zero the counters (not the tracking); fault injection off. */
void fs_wrap_reset_counts(struct fs_wrap *w);
/* Fail the nth call of any hook (n >= 1; 0 turns injection off). Counting starts now. */
void fs_wrap_fail(struct fs_wrap *w, unsigned long nth, int err);
/* Fail the nth call of one hook (and, for FS_HOOK_BPF, of one command unless cmd < 0). */
void fs_wrap_fail_hook(struct fs_wrap *w, int hook, int cmd, unsigned long nth, int err,
		       bool sticky);
size_t fs_wrap_open_fds(const struct fs_wrap *w);
size_t fs_wrap_open_maps(const struct fs_wrap *w);
/* One line per open fd and mapping, for failure messages. */
void fs_wrap_dump(const struct fs_wrap *w, FILE *out);
/* Close and unmap everything still tracked, through the inner table (test cleanup). */
void fs_wrap_release(struct fs_wrap *w);

/* ---- scripted fake kernel ---- */

#define FS_QUEUE_MAX 32
#define FS_HIST_MAX 64
#define FS_FILES_MAX 16
#define FS_FAKE_FD_BASE 100
#define FS_FAKE_FDS 1024
#define FS_FAKE_MAPS 64
/* A callback's "not mine": fall through to the default answer. */
#define FS_DEFAULT LONG_MIN

struct fs_call {
	int cmd;
	unsigned int size;
	union bpf_attr attr;	/* copy as passed in (pointers may dangle later) */
};

struct fs_file {
	const char *path;
	const char *data;	/* not copied: must outlive the script */
	size_t len;
	int open_err;		/* nonzero: open fails with it */
	unsigned int mode;	/* statx's stx_mode; 0: S_IFREG | 0644 */
};

struct fs_script;
typedef long (*fs_bpf_fn)(struct fs_script *s, int cmd, union bpf_attr *attr,
			  unsigned int size);
/* 0 and *out set: a borrowed mapping (never freed by the fake); FS_DEFAULT: the default. */
typedef long (*fs_mmap_fn)(struct fs_script *s, int fd, size_t len, int prot, off_t off,
			   void **out);
/* The result of perf_event_open (FS_DEFAULT: a fresh fake fd). */
typedef long (*fs_perf_fn)(struct fs_script *s, struct perf_event_attr *attr, pid_t pid,
			   int cpu, int group_fd, unsigned long flags);
/* Whether fd is ready for the events registered (epoll_wait reports it if so). */
typedef bool (*fs_ready_fn)(struct fs_script *s, int fd, uint32_t events);

#define FS_EPOLL_REGS 64

struct fs_epoll_reg {
	bool used;
	int epfd, fd;
	struct epoll_event ev;
};

struct fs_fake_fd {
	bool open;
	int file;		/* index into files, or -1 */
	size_t off;
};

struct fs_script {
	fs_bpf_fn bpf_cb;	/* optional; called when the command's queue is empty */
	void *cb_ctx;		/* for the callback */
	struct {
		long res[FS_QUEUE_MAX];
		size_t head, cnt;
	} queue[FS_BPF_CMD_MAX];
	unsigned long bpf_calls[FS_BPF_CMD_MAX];
	unsigned long hook_calls[FS_HOOK_CNT];
	struct fs_call hist[FS_HIST_MAX];	/* ring of the last FS_HIST_MAX bpf calls */
	unsigned long hist_cnt;			/* bpf calls recorded in total */
	/* files for open/read */
	struct fs_file files[FS_FILES_MAX];
	size_t file_cnt;
	size_t read_max;	/* 0: no limit; else at most this many bytes per read */
	unsigned long eintr_every;	/* n > 0: every nth read fails with -EINTR */
	unsigned long reads;
	struct fs_fake_fd fds[FS_FAKE_FDS];
	/* mmap: zeroed heap memory, freed by munmap or fs_script_fini() */
	struct fs_mapping maps[FS_FAKE_MAPS];
	bool map_borrowed[FS_FAKE_MAPS];	/* from mmap_cb: not ours to free */
	fs_mmap_fn mmap_cb;
	fs_perf_fn perf_cb;
	/* epoll */
	struct fs_epoll_reg epoll_regs[FS_EPOLL_REGS];
	fs_ready_fn ready_cb;
	/* other answers */
	long fs_type;		/* statfs; default BPF_FS_MAGIC */
	char release[65];	/* uname; default "6.18.0" */
	unsigned long rlim_cur, rlim_max;	/* get/setrlimit, any resource */
};

/* Zero *s, set the defaults and return the table to use. */
struct bbpf_sys fs_script_init(struct fs_script *s);
/* Free what mmap handed out. */
void fs_script_fini(struct fs_script *s);
/* Queue a result for the next call of cmd. 0, or -ENOSPC when full. */
int fs_script_push(struct fs_script *s, int cmd, long result);
/* Serve data at path (not copied). */
void fs_script_add_file(struct fs_script *s, const char *path, const char *data, size_t len);
/* Same, with the stx_mode statx reports (type and permission bits, e.g. S_IFREG | 0755). */
void fs_script_add_file_mode(struct fs_script *s, const char *path, const char *data, size_t len,
			     unsigned int mode);
/* A fresh fake fd, as the default answers use (for callbacks). */
long fs_script_new_fd(struct fs_script *s);
/* The most recent recorded call of cmd (cmd < 0: any), NULL if none. */
const struct fs_call *fs_script_last(const struct fs_script *s, int cmd);
/* Fake fds still open. */
size_t fs_script_open_fds(const struct fs_script *s);
/* Live epoll registrations (epfd < 0: all). */
size_t fs_script_epoll_regs(const struct fs_script *s, int epfd);
/* Mappings still handed out (borrowed or not). */
size_t fs_script_open_maps(const struct fs_script *s);

/* ---- BTF inspection for fakes ---- */

/*
 * The kinds a raw BTF blob (host byte order, as BPF_BTF_LOAD takes it) uses:
 * bit k set for BTF kind k. 0 for a malformed blob.
 */
uint32_t fs_btf_kinds(const void *blob, size_t len);

#endif
