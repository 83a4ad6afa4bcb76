/* SPDX-License-Identifier: BSD-2-Clause */
/* see fake_sys.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <linux/btf.h>
#include <linux/stat.h>
#include "fake_sys.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

static const char *const hook_names[FS_HOOK_CNT] = {
	[FS_HOOK_BPF] = "bpf",
	[FS_HOOK_PERF_EVENT_OPEN] = "perf_event_open",
	[FS_HOOK_IOCTL] = "ioctl",
	[FS_HOOK_CLOSE] = "close",
	[FS_HOOK_OPEN] = "open",
	[FS_HOOK_READ] = "read",
	[FS_HOOK_WRITE] = "write",
	[FS_HOOK_MMAP] = "mmap",
	[FS_HOOK_MUNMAP] = "munmap",
	[FS_HOOK_MKDIR] = "mkdir",
	[FS_HOOK_UNLINK] = "unlink",
	[FS_HOOK_RMDIR] = "rmdir",
	[FS_HOOK_STATFS] = "statfs",
	[FS_HOOK_MOUNT] = "mount",
	[FS_HOOK_GETRLIMIT] = "getrlimit",
	[FS_HOOK_SETRLIMIT] = "setrlimit",
	[FS_HOOK_UNAME] = "uname",
	[FS_HOOK_DUP] = "dup",
	[FS_HOOK_STATX] = "statx",
	[FS_HOOK_PREAD] = "pread",
	[FS_HOOK_READLINK] = "readlink",
	[FS_HOOK_GETDENTS64] = "getdents64",
	[FS_HOOK_GETPID] = "getpid",
	[FS_HOOK_PAGE_SIZE] = "page_size",
	[FS_HOOK_CLOCK_GETTIME] = "clock_gettime",
	[FS_HOOK_EPOLL_CREATE] = "epoll_create",
	[FS_HOOK_EPOLL_CTL] = "epoll_ctl",
	[FS_HOOK_EPOLL_WAIT] = "epoll_wait",
	[FS_HOOK_SOCKET] = "socket",
	[FS_HOOK_BIND] = "bind",
	[FS_HOOK_SENDTO] = "sendto",
	[FS_HOOK_RECVFROM] = "recvfrom",
	[FS_HOOK_SETSOCKOPT] = "setsockopt",
	[FS_HOOK_GETSOCKOPT] = "getsockopt",
};

const char *fs_hook_name(int hook)
{
	return hook >= 0 && hook < FS_HOOK_CNT ? hook_names[hook] : "?";
}

bool fs_bpf_cmd_returns_fd(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_PROG_LOAD:
	case BPF_OBJ_GET:
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_MAP_GET_FD_BY_ID:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_BTF_LOAD:
	case BPF_BTF_GET_FD_BY_ID:
	case BPF_LINK_CREATE:
	case BPF_LINK_GET_FD_BY_ID:
	case BPF_ITER_CREATE:
	case 36:	/* BPF_TOKEN_CREATE (6.9) */
		return true;
	default:
		return false;
	}
}

static int cmd_slot(int cmd)
{
	return cmd >= 0 && cmd < FS_BPF_CMD_MAX ? cmd : FS_BPF_CMD_MAX - 1;
}

/* ---- wrapper ---- */

/* Count the call; 0 to go ahead, or the error to inject. */
static long w_begin(struct fs_wrap *w, int hook, int cmd)
{
	bool match;

	w->calls++;
	w->hook_calls[hook]++;
	if (hook == FS_HOOK_BPF)
		w->bpf_calls[cmd_slot(cmd)]++;
	if (!w->fail_at)
		return 0;
	match = w->fail_hook == FS_HOOK_ANY ||
		(w->fail_hook == hook && (hook != FS_HOOK_BPF || w->fail_cmd < 0 || w->fail_cmd == cmd));
	if (!match)
		return 0;
	w->matched++;
	if (w->matched == w->fail_at || (w->fail_sticky && w->matched > w->fail_at)) {
		w->injected++;
		w->injected_hook = hook;
		w->injected_cmd = cmd;
		return w->fail_err;
	}
	return 0;
}

static void w_track_fd(struct fs_wrap *w, long fd, int hook, int cmd)
{
	if (fd < 0)
		return;
	if (w->fd_cnt == FS_WRAP_FDS) {
		w->overflow = true;
		return;
	}
	w->fds[w->fd_cnt++] = (struct fs_open_fd){ (int)fd, hook, cmd, w->calls };
}

static void w_untrack_fd(struct fs_wrap *w, int fd)
{
	size_t i;

	for (i = 0; i < w->fd_cnt; i++) {
		if (w->fds[i].fd == fd) {
			w->fds[i] = w->fds[--w->fd_cnt];
			return;
		}
	}
}

static long w_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_BPF, cmd);

	if (ret)
		return ret;
	ret = w->inner.bpf(w->inner.ctx, cmd, attr, size);
	if (fs_bpf_cmd_returns_fd(cmd))
		w_track_fd(w, ret, FS_HOOK_BPF, cmd);
	return ret;
}

static long w_perf_event_open(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu,
			      int group_fd, unsigned long flags)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_PERF_EVENT_OPEN, -1);

	if (ret)
		return ret;
	ret = w->inner.perf_event_open(w->inner.ctx, attr, pid, cpu, group_fd, flags);
	w_track_fd(w, ret, FS_HOOK_PERF_EVENT_OPEN, -1);
	return ret;
}

static long w_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_IOCTL, -1);

	return ret ? ret : w->inner.ioctl(w->inner.ctx, fd, request, arg);
}

static long w_close(void *ctx, int fd)
{
	struct fs_wrap *w = ctx;
	long inj = w_begin(w, FS_HOOK_CLOSE, -1);
	long ret;

	/* Even an injected failure releases the fd, as close(2) does. */
	ret = w->inner.close(w->inner.ctx, fd);
	w_untrack_fd(w, fd);
	return inj ? inj : ret;
}

static long w_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_OPEN, -1);

	if (ret)
		return ret;
	ret = w->inner.open(w->inner.ctx, path, flags, mode);
	w_track_fd(w, ret, FS_HOOK_OPEN, -1);
	return ret;
}

static long w_read(void *ctx, int fd, void *buf, size_t len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_READ, -1);

	return ret ? ret : w->inner.read(w->inner.ctx, fd, buf, len);
}

static long w_write(void *ctx, int fd, const void *buf, size_t len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_WRITE, -1);

	return ret ? ret : w->inner.write(w->inner.ctx, fd, buf, len);
}

static long w_mmap(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		   void **out)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_MMAP, -1);

	if (ret)
		return ret;
	ret = w->inner.mmap(w->inner.ctx, addr, len, prot, flags, fd, off, out);
	if (ret == 0 && (flags & MAP_FIXED)) {
		size_t i;

		/* a mapping placed over one already tracked replaces it */
		for (i = 0; i < w->map_cnt; i++)
			if (w->maps[i].addr == *out)
				return ret;
	}
	if (ret == 0) {
		if (w->map_cnt == FS_WRAP_MAPS)
			w->overflow = true;
		else
			w->maps[w->map_cnt++] = (struct fs_mapping){ *out, len };
	}
	return ret;
}

static long w_munmap(void *ctx, void *addr, size_t len)
{
	struct fs_wrap *w = ctx;
	long inj = w_begin(w, FS_HOOK_MUNMAP, -1);
	long ret;
	size_t i;

	/* Even an injected failure unmaps. */
	ret = w->inner.munmap(w->inner.ctx, addr, len);
	if (ret == 0) {
		for (i = 0; i < w->map_cnt; i++) {
			if (w->maps[i].addr == addr) {
				w->maps[i] = w->maps[--w->map_cnt];
				break;
			}
		}
	}
	return inj ? inj : ret;
}

static long w_mkdir(void *ctx, const char *path, unsigned int mode)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_MKDIR, -1);

	return ret ? ret : w->inner.mkdir(w->inner.ctx, path, mode);
}

static long w_unlink(void *ctx, const char *path)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_UNLINK, -1);

	return ret ? ret : w->inner.unlink(w->inner.ctx, path);
}

static long w_rmdir(void *ctx, const char *path)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_RMDIR, -1);

	return ret ? ret : w->inner.rmdir(w->inner.ctx, path);
}

static long w_statfs(void *ctx, const char *path, long *fs_type)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_STATFS, -1);

	return ret ? ret : w->inner.statfs(w->inner.ctx, path, fs_type);
}

static long w_mount(void *ctx, const char *source, const char *target, const char *fstype,
		    unsigned long flags, const void *data)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_MOUNT, -1);

	return ret ? ret : w->inner.mount(w->inner.ctx, source, target, fstype, flags, data);
}

static long w_getrlimit(void *ctx, int resource, struct rlimit *rlim)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_GETRLIMIT, -1);

	return ret ? ret : w->inner.getrlimit(w->inner.ctx, resource, rlim);
}

static long w_setrlimit(void *ctx, int resource, const struct rlimit *rlim)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_SETRLIMIT, -1);

	return ret ? ret : w->inner.setrlimit(w->inner.ctx, resource, rlim);
}

static long w_uname(void *ctx, struct utsname *buf)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_UNAME, -1);

	return ret ? ret : w->inner.uname(w->inner.ctx, buf);
}

static long w_dup(void *ctx, int fd)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_DUP, -1);

	if (ret)
		return ret;
	ret = w->inner.dup(w->inner.ctx, fd);
	w_track_fd(w, ret, FS_HOOK_DUP, -1);
	return ret;
}

static long w_statx(void *ctx, int dirfd, const char *path, int flags, unsigned int mask,
		    struct statx *buf)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_STATX, -1);

	return ret ? ret : w->inner.statx(w->inner.ctx, dirfd, path, flags, mask, buf);
}

static long w_pread(void *ctx, int fd, void *buf, size_t len, uint64_t off)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_PREAD, -1);

	return ret ? ret : w->inner.pread(w->inner.ctx, fd, buf, len, off);
}

static long w_readlink(void *ctx, const char *path, char *buf, size_t len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_READLINK, -1);

	return ret ? ret : w->inner.readlink(w->inner.ctx, path, buf, len);
}

static long w_getdents64(void *ctx, int fd, void *buf, size_t len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_GETDENTS64, -1);

	return ret ? ret : w->inner.getdents64(w->inner.ctx, fd, buf, len);
}

static long w_getpid(void *ctx)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_GETPID, -1);

	return ret ? ret : w->inner.getpid(w->inner.ctx);
}

static long w_page_size(void *ctx)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_PAGE_SIZE, -1);

	return ret ? ret : w->inner.page_size(w->inner.ctx);
}

static long w_clock_gettime(void *ctx, int clock, struct timespec *ts)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_CLOCK_GETTIME, -1);

	return ret ? ret : w->inner.clock_gettime(w->inner.ctx, clock, ts);
}

static long w_epoll_create(void *ctx)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_EPOLL_CREATE, -1);

	if (ret)
		return ret;
	ret = w->inner.epoll_create(w->inner.ctx);
	w_track_fd(w, ret, FS_HOOK_EPOLL_CREATE, -1);
	return ret;
}

static long w_epoll_ctl(void *ctx, int epfd, int op, int fd, struct epoll_event *ev)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_EPOLL_CTL, -1);

	return ret ? ret : w->inner.epoll_ctl(w->inner.ctx, epfd, op, fd, ev);
}

static long w_epoll_wait(void *ctx, int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_EPOLL_WAIT, -1);

	return ret ? ret : w->inner.epoll_wait(w->inner.ctx, epfd, evs, max, timeout_ms);
}

static long w_socket(void *ctx, int domain, int type, int protocol)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_SOCKET, -1);

	if (ret)
		return ret;
	ret = w->inner.socket(w->inner.ctx, domain, type, protocol);
	w_track_fd(w, ret, FS_HOOK_SOCKET, -1);
	return ret;
}

static long w_bind(void *ctx, int fd, const struct sockaddr *addr, unsigned int addr_len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_BIND, -1);

	return ret ? ret : w->inner.bind(w->inner.ctx, fd, addr, addr_len);
}

static long w_sendto(void *ctx, int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *addr, unsigned int addr_len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_SENDTO, -1);

	return ret ? ret : w->inner.sendto(w->inner.ctx, fd, buf, len, flags, addr, addr_len);
}

static long w_recvfrom(void *ctx, int fd, void *buf, size_t len, int flags,
		       struct sockaddr *addr, unsigned int *addr_len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_RECVFROM, -1);

	return ret ? ret : w->inner.recvfrom(w->inner.ctx, fd, buf, len, flags, addr, addr_len);
}

static long w_setsockopt(void *ctx, int fd, int level, int name, const void *val,
			 unsigned int len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_SETSOCKOPT, -1);

	return ret ? ret : w->inner.setsockopt(w->inner.ctx, fd, level, name, val, len);
}

static long w_getsockopt(void *ctx, int fd, int level, int name, void *val, unsigned int *len)
{
	struct fs_wrap *w = ctx;
	long ret = w_begin(w, FS_HOOK_GETSOCKOPT, -1);

	return ret ? ret : w->inner.getsockopt(w->inner.ctx, fd, level, name, val, len);
}

struct bbpf_sys fs_wrap_init(struct fs_wrap *w, const struct bbpf_sys *inner)
{
	memset(w, 0, sizeof(*w));
	bbpf_sys_fill(&w->inner, inner);
	w->fail_hook = FS_HOOK_ANY;
	w->fail_cmd = -1;
	return (struct bbpf_sys){
		.ctx = w,
		.bpf = w_bpf,
		.perf_event_open = w_perf_event_open,
		.ioctl = w_ioctl,
		.close = w_close,
		.open = w_open,
		.read = w_read,
		.write = w_write,
		.mmap = w_mmap,
		.munmap = w_munmap,
		.mkdir = w_mkdir,
		.unlink = w_unlink,
		.rmdir = w_rmdir,
		.statfs = w_statfs,
		.mount = w_mount,
		.getrlimit = w_getrlimit,
		.setrlimit = w_setrlimit,
		.uname = w_uname,
		.dup = w_dup,
		.statx = w_statx,
		.pread = w_pread,
		.readlink = w_readlink,
		.getdents64 = w_getdents64,
		.getpid = w_getpid,
		.page_size = w_page_size,
		.clock_gettime = w_clock_gettime,
		.epoll_create = w_epoll_create,
		.epoll_ctl = w_epoll_ctl,
		.epoll_wait = w_epoll_wait,
		.socket = w_socket,
		.bind = w_bind,
		.sendto = w_sendto,
		.recvfrom = w_recvfrom,
		.setsockopt = w_setsockopt,
		.getsockopt = w_getsockopt,
	};
}

void fs_wrap_reset_counts(struct fs_wrap *w)
{
	w->calls = 0;
	memset(w->hook_calls, 0, sizeof(w->hook_calls));
	memset(w->bpf_calls, 0, sizeof(w->bpf_calls));
	fs_wrap_fail(w, 0, 0);
	w->injected = 0;
}

void fs_wrap_fail_hook(struct fs_wrap *w, int hook, int cmd, unsigned long nth, int err,
		       bool sticky)
{
	w->fail_at = nth;
	w->fail_hook = hook;
	w->fail_cmd = cmd;
	w->fail_err = err;
	w->fail_sticky = sticky;
	w->matched = 0;
}

void fs_wrap_fail(struct fs_wrap *w, unsigned long nth, int err)
{
	fs_wrap_fail_hook(w, FS_HOOK_ANY, -1, nth, err, false);
}

size_t fs_wrap_open_fds(const struct fs_wrap *w)
{
	return w->fd_cnt;
}

size_t fs_wrap_open_maps(const struct fs_wrap *w)
{
	return w->map_cnt;
}

void fs_wrap_dump(const struct fs_wrap *w, FILE *out)
{
	size_t i;

	for (i = 0; i < w->fd_cnt; i++)
		fprintf(out, "open fd %d from %s (cmd %d) at call %lu\n", w->fds[i].fd,
			fs_hook_name(w->fds[i].hook), w->fds[i].cmd, w->fds[i].call);
	for (i = 0; i < w->map_cnt; i++)
		fprintf(out, "mapping %p, %zu bytes\n", w->maps[i].addr, w->maps[i].len);
	if (w->overflow)
		fprintf(out, "tracking overflowed\n");
}

void fs_wrap_release(struct fs_wrap *w)
{
	while (w->map_cnt) {
		w->map_cnt--;
		w->inner.munmap(w->inner.ctx, w->maps[w->map_cnt].addr, w->maps[w->map_cnt].len);
	}
	while (w->fd_cnt) {
		w->fd_cnt--;
		w->inner.close(w->inner.ctx, w->fds[w->fd_cnt].fd);
	}
}

/* ---- scripted fake ---- */

long fs_script_new_fd(struct fs_script *s)
{
	size_t i;

	for (i = 0; i < FS_FAKE_FDS; i++) {
		if (!s->fds[i].open) {
			s->fds[i] = (struct fs_fake_fd){ .open = true, .file = -1 };
			return FS_FAKE_FD_BASE + (long)i;
		}
	}
	return -EMFILE;
}

static struct fs_fake_fd *s_fd(struct fs_script *s, int fd)
{
	if (fd < FS_FAKE_FD_BASE || fd >= FS_FAKE_FD_BASE + FS_FAKE_FDS)
		return NULL;
	if (!s->fds[fd - FS_FAKE_FD_BASE].open)
		return NULL;
	return &s->fds[fd - FS_FAKE_FD_BASE];
}

static long s_default(struct fs_script *s, int cmd)
{
	if (fs_bpf_cmd_returns_fd(cmd))
		return fs_script_new_fd(s);
	switch (cmd) {
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
	case BPF_BTF_GET_NEXT_ID:
	case BPF_LINK_GET_NEXT_ID:
		return -ENOENT;
	default:
		return 0;
	}
}

static long s_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct fs_script *s = ctx;
	struct fs_call *c = &s->hist[s->hist_cnt % FS_HIST_MAX];
	int slot = cmd_slot(cmd);
	long ret;

	s->hook_calls[FS_HOOK_BPF]++;
	s->bpf_calls[slot]++;
	c->cmd = cmd;
	c->size = size;
	memset(&c->attr, 0, sizeof(c->attr));
	memcpy(&c->attr, attr, size < sizeof(c->attr) ? size : sizeof(c->attr));
	s->hist_cnt++;

	if (s->queue[slot].cnt) {
		ret = s->queue[slot].res[s->queue[slot].head];
		s->queue[slot].head = (s->queue[slot].head + 1) % FS_QUEUE_MAX;
		s->queue[slot].cnt--;
		return ret;
	}
	if (s->bpf_cb) {
		ret = s->bpf_cb(s, cmd, attr, size);
		if (ret != FS_DEFAULT)
			return ret;
	}
	return s_default(s, cmd);
}

static long s_perf_event_open(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu,
			      int group_fd, unsigned long flags)
{
	struct fs_script *s = ctx;

	s->hook_calls[FS_HOOK_PERF_EVENT_OPEN]++;
	if (s->perf_cb) {
		long ret = s->perf_cb(s, attr, pid, cpu, group_fd, flags);

		if (ret != FS_DEFAULT)
			return ret;
	}
	return fs_script_new_fd(s);
}

static void s_epoll_forget(struct fs_script *s, int fd)
{
	size_t i;

	for (i = 0; i < FS_EPOLL_REGS; i++)
		if (s->epoll_regs[i].used && (s->epoll_regs[i].epfd == fd || s->epoll_regs[i].fd == fd))
			s->epoll_regs[i].used = false;
}

static long s_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	struct fs_script *s = ctx;

	(void)request; (void)arg;
	s->hook_calls[FS_HOOK_IOCTL]++;
	return s_fd(s, fd) ? 0 : -EBADF;
}

static long s_close(void *ctx, int fd)
{
	struct fs_script *s = ctx;
	struct fs_fake_fd *f = s_fd(s, fd);

	s->hook_calls[FS_HOOK_CLOSE]++;
	if (!f)
		return -EBADF;
	f->open = false;
	s_epoll_forget(s, fd);
	return 0;
}

static long s_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct fs_script *s = ctx;
	long fd;
	size_t i;

	(void)flags; (void)mode;
	s->hook_calls[FS_HOOK_OPEN]++;
	for (i = 0; i < s->file_cnt; i++) {
		if (strcmp(s->files[i].path, path) != 0)
			continue;
		if (s->files[i].open_err)
			return s->files[i].open_err;
		fd = fs_script_new_fd(s);
		if (fd >= 0)
			s->fds[fd - FS_FAKE_FD_BASE].file = (int)i;
		return fd;
	}
	return -ENOENT;
}

static long s_read(void *ctx, int fd, void *buf, size_t len)
{
	struct fs_script *s = ctx;
	struct fs_fake_fd *f = s_fd(s, fd);
	const struct fs_file *file;
	size_t n;

	s->hook_calls[FS_HOOK_READ]++;
	if (!f || f->file < 0)
		return -EBADF;
	s->reads++;
	if (s->eintr_every && s->reads % s->eintr_every == 0)
		return -EINTR;
	file = &s->files[f->file];
	n = file->len - f->off;
	if (n > len)
		n = len;
	if (s->read_max && n > s->read_max)
		n = s->read_max;
	memcpy(buf, file->data + f->off, n);
	f->off += n;
	return (long)n;
}

static long s_write(void *ctx, int fd, const void *buf, size_t len)
{
	struct fs_script *s = ctx;

	(void)buf;
	s->hook_calls[FS_HOOK_WRITE]++;
	return s_fd(s, fd) ? (long)len : -EBADF;
}

static long s_mmap(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		   void **out)
{
	struct fs_script *s = ctx;
	size_t i, size = (len + 4095) & ~(size_t)4095;

	s->hook_calls[FS_HOOK_MMAP]++;
	/* MAP_FIXED over one of our mappings: the same memory, mapped again in place */
	if ((flags & MAP_FIXED) && addr) {
		for (i = 0; i < FS_FAKE_MAPS; i++) {
			if (s->maps[i].addr == addr && len <= s->maps[i].len) {
				if (!s_fd(s, fd))
					return -EBADF;
				*out = addr;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!len || (!(flags & MAP_ANONYMOUS) && !s_fd(s, fd)))
		return -EINVAL;
	for (i = 0; i < FS_FAKE_MAPS; i++) {
		if (s->maps[i].addr)
			continue;
		if (s->mmap_cb && !(flags & MAP_ANONYMOUS)) {
			long ret = s->mmap_cb(s, fd, len, prot, off, out);

			if (ret != FS_DEFAULT) {
				if (ret == 0) {
					s->maps[i] = (struct fs_mapping){ *out, len };
					s->map_borrowed[i] = true;
				}
				return ret;
			}
		}
		s->map_borrowed[i] = false;
		s->maps[i].addr = aligned_alloc(4096, size);
		if (!s->maps[i].addr)
			return -ENOMEM;
		memset(s->maps[i].addr, 0, size);
		/* A file's mapping shows its bytes from off (zeros past the end). */
		if (!(flags & MAP_ANONYMOUS) && s_fd(s, fd)->file >= 0 && off >= 0 &&
		    (size_t)off < s->files[s_fd(s, fd)->file].len) {
			const struct fs_file *file = &s->files[s_fd(s, fd)->file];
			size_t n = file->len - (size_t)off;

			memcpy(s->maps[i].addr, file->data + off, n < len ? n : len);
		}
		s->maps[i].len = len;
		*out = s->maps[i].addr;
		return 0;
	}
	return -ENOMEM;
}

static long s_munmap(void *ctx, void *addr, size_t len)
{
	struct fs_script *s = ctx;
	size_t i;

	(void)len;
	s->hook_calls[FS_HOOK_MUNMAP]++;
	for (i = 0; i < FS_FAKE_MAPS; i++) {
		if (s->maps[i].addr == addr && addr) {
			if (!s->map_borrowed[i])
				free(addr);
			s->maps[i] = (struct fs_mapping){ 0 };
			return 0;
		}
	}
	return -EINVAL;
}

static long s_path_op(struct fs_script *s, int hook)
{
	s->hook_calls[hook]++;
	return 0;
}

static long s_mkdir(void *ctx, const char *path, unsigned int mode)
{
	(void)path; (void)mode;
	return s_path_op(ctx, FS_HOOK_MKDIR);
}

static long s_unlink(void *ctx, const char *path)
{
	(void)path;
	return s_path_op(ctx, FS_HOOK_UNLINK);
}

static long s_rmdir(void *ctx, const char *path)
{
	(void)path;
	return s_path_op(ctx, FS_HOOK_RMDIR);
}

static long s_statfs(void *ctx, const char *path, long *fs_type)
{
	struct fs_script *s = ctx;

	(void)path;
	s->hook_calls[FS_HOOK_STATFS]++;
	*fs_type = s->fs_type;
	return 0;
}

static long s_mount(void *ctx, const char *source, const char *target, const char *fstype,
		    unsigned long flags, const void *data)
{
	(void)source; (void)target; (void)fstype; (void)flags; (void)data;
	return s_path_op(ctx, FS_HOOK_MOUNT);
}

static long s_getrlimit(void *ctx, int resource, struct rlimit *rlim)
{
	struct fs_script *s = ctx;

	(void)resource;
	s->hook_calls[FS_HOOK_GETRLIMIT]++;
	rlim->rlim_cur = s->rlim_cur;
	rlim->rlim_max = s->rlim_max;
	return 0;
}

static long s_setrlimit(void *ctx, int resource, const struct rlimit *rlim)
{
	struct fs_script *s = ctx;

	(void)resource;
	s->hook_calls[FS_HOOK_SETRLIMIT]++;
	if (rlim->rlim_cur > rlim->rlim_max)
		return -EINVAL;
	s->rlim_cur = rlim->rlim_cur;
	s->rlim_max = rlim->rlim_max;
	return 0;
}

static long s_uname(void *ctx, struct utsname *buf)
{
	struct fs_script *s = ctx;

	s->hook_calls[FS_HOOK_UNAME]++;
	memset(buf, 0, sizeof(*buf));
	strcpy(buf->sysname, "Linux");
	strcpy(buf->nodename, "fake");
	memcpy(buf->release, s->release, sizeof(buf->release) < sizeof(s->release) ?
	       sizeof(buf->release) : sizeof(s->release));
	buf->release[sizeof(buf->release) - 1] = '\0';
	strcpy(buf->machine, "x86_64");
	return 0;
}

static long s_dup(void *ctx, int fd)
{
	struct fs_script *s = ctx;
	struct fs_fake_fd *f = s_fd(s, fd);
	long nfd;

	s->hook_calls[FS_HOOK_DUP]++;
	if (!f)
		return -EBADF;
	nfd = fs_script_new_fd(s);
	if (nfd >= 0)
		s->fds[nfd - FS_FAKE_FD_BASE] = s->fds[fd - FS_FAKE_FD_BASE];
	return nfd;
}

static long s_statx(void *ctx, int dirfd, const char *path, int flags, unsigned int mask,
		    struct statx *buf)
{
	struct fs_script *s = ctx;
	struct fs_fake_fd *f = NULL;
	size_t i;

	(void)mask;
	s->hook_calls[FS_HOOK_STATX]++;
	memset(buf, 0, sizeof(*buf));
	if ((flags & AT_EMPTY_PATH) && path && !path[0]) {
		f = s_fd(s, dirfd);
		if (!f)
			return -EBADF;
		buf->stx_mode = f->file >= 0 && s->files[f->file].mode ? s->files[f->file].mode :
				S_IFREG | 0644;
		buf->stx_size = f->file >= 0 ? s->files[f->file].len : 0;
		return 0;
	}
	for (i = 0; i < s->file_cnt; i++) {
		if (strcmp(s->files[i].path, path) == 0) {
			buf->stx_mode = s->files[i].mode ? s->files[i].mode : S_IFREG | 0644;
			buf->stx_size = s->files[i].len;
			return 0;
		}
	}
	return -ENOENT;
}

static long s_pread(void *ctx, int fd, void *buf, size_t len, uint64_t off)
{
	struct fs_script *s = ctx;
	struct fs_fake_fd *f = s_fd(s, fd);
	const struct fs_file *file;
	size_t n;

	s->hook_calls[FS_HOOK_PREAD]++;
	if (!f || f->file < 0)
		return -EBADF;
	file = &s->files[f->file];
	if (off >= file->len)
		return 0;
	n = file->len - (size_t)off;
	if (n > len)
		n = len;
	if (s->read_max && n > s->read_max)
		n = s->read_max;
	memcpy(buf, file->data + off, n);
	return (long)n;
}

static long s_readlink(void *ctx, const char *path, char *buf, size_t len)
{
	struct fs_script *s = ctx;

	(void)path; (void)buf; (void)len;
	s->hook_calls[FS_HOOK_READLINK]++;
	return -ENOENT;
}

static long s_getdents64(void *ctx, int fd, void *buf, size_t len)
{
	struct fs_script *s = ctx;

	(void)buf; (void)len;
	s->hook_calls[FS_HOOK_GETDENTS64]++;
	return s_fd(s, fd) ? 0 : -EBADF;
}

static long s_getpid(void *ctx)
{
	struct fs_script *s = ctx;

	s->hook_calls[FS_HOOK_GETPID]++;
	return 4242;
}

static long s_page_size(void *ctx)
{
	struct fs_script *s = ctx;

	s->hook_calls[FS_HOOK_PAGE_SIZE]++;
	return 4096;
}

static long s_clock_gettime(void *ctx, int clock, struct timespec *ts)
{
	struct fs_script *s = ctx;

	(void)clock;
	s->hook_calls[FS_HOOK_CLOCK_GETTIME]++;
	/* A clock that moves 1 ms per call, so timeouts end. */
	ts->tv_sec = (time_t)(s->hook_calls[FS_HOOK_CLOCK_GETTIME] / 1000);
	ts->tv_nsec = (long)(s->hook_calls[FS_HOOK_CLOCK_GETTIME] % 1000) * 1000000;
	return 0;
}

static long s_new_fd_hook(struct fs_script *s, int hook)
{
	s->hook_calls[hook]++;
	return fs_script_new_fd(s);
}

static long s_epoll_create(void *ctx)
{
	return s_new_fd_hook(ctx, FS_HOOK_EPOLL_CREATE);
}

static struct fs_epoll_reg *s_epoll_find(struct fs_script *s, int epfd, int fd)
{
	size_t i;

	for (i = 0; i < FS_EPOLL_REGS; i++)
		if (s->epoll_regs[i].used && s->epoll_regs[i].epfd == epfd && s->epoll_regs[i].fd == fd)
			return &s->epoll_regs[i];
	return NULL;
}

static long s_epoll_ctl(void *ctx, int epfd, int op, int fd, struct epoll_event *ev)
{
	struct fs_script *s = ctx;
	struct fs_epoll_reg *r;
	size_t i;

	s->hook_calls[FS_HOOK_EPOLL_CTL]++;
	if (!s_fd(s, epfd) || !s_fd(s, fd))
		return -EBADF;
	r = s_epoll_find(s, epfd, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (r)
			return -EEXIST;
		for (i = 0; i < FS_EPOLL_REGS; i++) {
			if (!s->epoll_regs[i].used) {
				s->epoll_regs[i] = (struct fs_epoll_reg){ true, epfd, fd, *ev };
				return 0;
			}
		}
		return -ENOSPC;
	case EPOLL_CTL_MOD:
		if (!r)
			return -ENOENT;
		r->ev = *ev;
		return 0;
	case EPOLL_CTL_DEL:
		if (!r)
			return -ENOENT;
		r->used = false;
		return 0;
	default:
		return -EINVAL;
	}
}

static long s_epoll_wait(void *ctx, int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
	struct fs_script *s = ctx;
	long n = 0;
	size_t i;

	(void)timeout_ms;
	s->hook_calls[FS_HOOK_EPOLL_WAIT]++;
	if (!s_fd(s, epfd))
		return -EBADF;
	if (max <= 0)
		return -EINVAL;
	for (i = 0; i < FS_EPOLL_REGS && n < max && s->ready_cb; i++) {
		const struct fs_epoll_reg *r = &s->epoll_regs[i];

		if (r->used && r->epfd == epfd && s->ready_cb(s, r->fd, r->ev.events))
			evs[n++] = r->ev;
	}
	return n;
}

static long s_socket(void *ctx, int domain, int type, int protocol)
{
	(void)domain; (void)type; (void)protocol;
	return s_new_fd_hook(ctx, FS_HOOK_SOCKET);
}

static long s_fd_op(struct fs_script *s, int hook, int fd)
{
	s->hook_calls[hook]++;
	return s_fd(s, fd) ? 0 : -EBADF;
}

static long s_bind(void *ctx, int fd, const struct sockaddr *addr, unsigned int addr_len)
{
	(void)addr; (void)addr_len;
	return s_fd_op(ctx, FS_HOOK_BIND, fd);
}

static long s_sendto(void *ctx, int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *addr, unsigned int addr_len)
{
	long ret = s_fd_op(ctx, FS_HOOK_SENDTO, fd);

	(void)buf; (void)flags; (void)addr; (void)addr_len;
	return ret ? ret : (long)len;
}

static long s_recvfrom(void *ctx, int fd, void *buf, size_t len, int flags,
		       struct sockaddr *addr, unsigned int *addr_len)
{
	long ret = s_fd_op(ctx, FS_HOOK_RECVFROM, fd);

	(void)buf; (void)len; (void)flags; (void)addr; (void)addr_len;
	return ret ? ret : -EAGAIN;
}

static long s_setsockopt(void *ctx, int fd, int level, int name, const void *val,
			 unsigned int len)
{
	(void)level; (void)name; (void)val; (void)len;
	return s_fd_op(ctx, FS_HOOK_SETSOCKOPT, fd);
}

static long s_getsockopt(void *ctx, int fd, int level, int name, void *val, unsigned int *len)
{
	long ret = s_fd_op(ctx, FS_HOOK_GETSOCKOPT, fd);

	(void)level; (void)name;
	if (!ret)
		memset(val, 0, *len);
	return ret;
}

struct bbpf_sys fs_script_init(struct fs_script *s)
{
	memset(s, 0, sizeof(*s));
	s->fs_type = BPF_FS_MAGIC;
	strcpy(s->release, "6.18.0");
	s->rlim_cur = 8 << 20;
	s->rlim_max = 8 << 20;
	return (struct bbpf_sys){
		.ctx = s,
		.bpf = s_bpf,
		.perf_event_open = s_perf_event_open,
		.ioctl = s_ioctl,
		.close = s_close,
		.open = s_open,
		.read = s_read,
		.write = s_write,
		.mmap = s_mmap,
		.munmap = s_munmap,
		.mkdir = s_mkdir,
		.unlink = s_unlink,
		.rmdir = s_rmdir,
		.statfs = s_statfs,
		.mount = s_mount,
		.getrlimit = s_getrlimit,
		.setrlimit = s_setrlimit,
		.uname = s_uname,
		.dup = s_dup,
		.statx = s_statx,
		.pread = s_pread,
		.readlink = s_readlink,
		.getdents64 = s_getdents64,
		.getpid = s_getpid,
		.page_size = s_page_size,
		.clock_gettime = s_clock_gettime,
		.epoll_create = s_epoll_create,
		.epoll_ctl = s_epoll_ctl,
		.epoll_wait = s_epoll_wait,
		.socket = s_socket,
		.bind = s_bind,
		.sendto = s_sendto,
		.recvfrom = s_recvfrom,
		.setsockopt = s_setsockopt,
		.getsockopt = s_getsockopt,
	};
}

void fs_script_fini(struct fs_script *s)
{
	size_t i;

	for (i = 0; i < FS_FAKE_MAPS; i++) {
		if (!s->map_borrowed[i])
			free(s->maps[i].addr);
		s->maps[i] = (struct fs_mapping){ 0 };
	}
}

size_t fs_script_epoll_regs(const struct fs_script *s, int epfd)
{
	size_t i, n = 0;

	for (i = 0; i < FS_EPOLL_REGS; i++)
		n += s->epoll_regs[i].used && (epfd < 0 || s->epoll_regs[i].epfd == epfd);
	return n;
}

size_t fs_script_open_maps(const struct fs_script *s)
{
	size_t i, n = 0;

	for (i = 0; i < FS_FAKE_MAPS; i++)
		n += s->maps[i].addr != NULL;
	return n;
}

int fs_script_push(struct fs_script *s, int cmd, long result)
{
	int slot = cmd_slot(cmd);

	if (s->queue[slot].cnt == FS_QUEUE_MAX)
		return -ENOSPC;
	s->queue[slot].res[(s->queue[slot].head + s->queue[slot].cnt) % FS_QUEUE_MAX] = result;
	s->queue[slot].cnt++;
	return 0;
}

void fs_script_add_file(struct fs_script *s, const char *path, const char *data, size_t len)
{
	if (s->file_cnt == FS_FILES_MAX)
		abort();	/* test bug */
	s->files[s->file_cnt++] = (struct fs_file){ .path = path, .data = data, .len = len };
}

void fs_script_add_file_mode(struct fs_script *s, const char *path, const char *data, size_t len,
			     unsigned int mode)
{
	fs_script_add_file(s, path, data, len);
	s->files[s->file_cnt - 1].mode = mode;
}

const struct fs_call *fs_script_last(const struct fs_script *s, int cmd)
{
	unsigned long i, oldest = s->hist_cnt > FS_HIST_MAX ? s->hist_cnt - FS_HIST_MAX : 0;

	for (i = s->hist_cnt; i > oldest; i--) {
		const struct fs_call *c = &s->hist[(i - 1) % FS_HIST_MAX];

		if (cmd < 0 || c->cmd == cmd)
			return c;
	}
	return NULL;
}

size_t fs_script_open_fds(const struct fs_script *s)
{
	size_t i, n = 0;

	for (i = 0; i < FS_FAKE_FDS; i++)
		n += s->fds[i].open;
	return n;
}

/* ---- BTF ---- */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint32_t fs_btf_kinds(const void *blob, size_t len)
{
	const uint8_t *b = blob;
	struct btf_header h;
	uint64_t off, end;
	uint32_t kinds = 0;

	if (!b || len < sizeof(h))
		return 0;
	memcpy(&h, b, sizeof(h));
	if (h.magic != BTF_MAGIC || h.hdr_len < sizeof(h) || h.hdr_len > len)
		return 0;
	off = (uint64_t)h.hdr_len + h.type_off;
	end = off + h.type_len;
	if (end > len)
		return 0;
	while (off < end) {
		uint32_t info, kind, vlen;
		uint64_t extra;

		if (end - off < 12)
			return 0;
		info = rd32(b + off + 4);
		kind = (info >> 24) & 0x1f;
		vlen = info & 0xffff;
		switch (kind) {
		case BTF_KIND_INT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
			extra = 4;
			break;
		case BTF_KIND_PTR:
		case BTF_KIND_FWD:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_FUNC:
		case BTF_KIND_FLOAT:
		case BTF_KIND_TYPE_TAG:
			extra = 0;
			break;
		case BTF_KIND_ARRAY:
			extra = 12;
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_DATASEC:
		case BTF_KIND_ENUM64:
			extra = 12ull * vlen;
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_FUNC_PROTO:
			extra = 8ull * vlen;
			break;
		default:
			return 0;
		}
		kinds |= 1u << kind;
		off += 12;
		if (end - off < extra)
			return 0;
		off += extra;
	}
	return kinds;
}
