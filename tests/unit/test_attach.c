// SPDX-License-Identifier: BSD-2-Clause
/*
 * The attach layer (src/attach/): links, tracepoints, raw tracepoints,
 * BTF-typed tracing, iterators, link pinning, with no kernel: an object
 * built in the test (one program per section name asked for), opened and
 * loaded through a syscall table that records every call in front of
 * tests/lib/fake_sys (fs_wrap for fault injection and fd tracking,
 * fs_script as the kernel). It checks the exact calls each attach kind
 * makes and that a failure at any step leaves no fd open.
 * tests/kernel/test_attach_kernel.c does the same against the real kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <cmocka.h>

#include <barebpf/loader.h>
#include "attach/attach.h"
#include "tiny_obj.h"
#include "fail_alloc.h"
#include "fake_sys.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- recorder ---- */

#define REC_MAX 128

struct rec_call {
	int hook;			/* enum fs_hook */
	int cmd;			/* bpf command */
	union bpf_attr attr;		/* bpf: as passed */
	char str[256];			/* open path, raw tp name, pin path; "(null)" */
	struct perf_event_attr pattr;
	int pid, cpu, group;
	unsigned long flags;
	int fd;				/* ioctl, close, read */
	unsigned long req, arg;		/* ioctl */
	long ret;
};

struct rec {
	struct bbpf_sys inner;		/* the fs_wrap table */
	const struct fs_script *script;	/* the fake kernel behind it */
	struct rec_call calls[REC_MAX];
	size_t cnt;
};

static struct rec_call *rec_add(struct rec *r, int hook)
{
	struct rec_call *c;

	assert_true(r->cnt < REC_MAX);
	c = &r->calls[r->cnt++];
	memset(c, 0, sizeof(*c));
	c->hook = hook;
	return c;
}

static void copy_str(char *dst, size_t size, uint64_t p)
{
	snprintf(dst, size, "%s", p ? (const char *)(uintptr_t)p : "(null)");
}

static long rec_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_BPF);

	c->cmd = cmd;
	c->attr = *attr;
	if (cmd == BPF_RAW_TRACEPOINT_OPEN)
		copy_str(c->str, sizeof(c->str), attr->raw_tracepoint.name);
	if (cmd == BPF_OBJ_PIN)
		copy_str(c->str, sizeof(c->str), attr->pathname);
	return c->ret = r->inner.bpf(r->inner.ctx, cmd, attr, size);
}

static long rec_perf_event_open(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu,
				int group_fd, unsigned long flags)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_PERF_EVENT_OPEN);

	c->pattr = *attr;
	c->pid = pid;
	c->cpu = cpu;
	c->group = group_fd;
	c->flags = flags;
	return c->ret = r->inner.perf_event_open(r->inner.ctx, attr, pid, cpu, group_fd, flags);
}

static long rec_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_IOCTL);

	c->fd = fd;
	c->req = request;
	c->arg = arg;
	return c->ret = r->inner.ioctl(r->inner.ctx, fd, request, arg);
}

static long rec_close(void *ctx, int fd)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_CLOSE);

	c->fd = fd;
	/* never a double or stray close */
	assert_true(fd >= FS_FAKE_FD_BASE && fd < FS_FAKE_FD_BASE + FS_FAKE_FDS);
	assert_true(r->script->fds[fd - FS_FAKE_FD_BASE].open);
	c->ret = r->inner.close(r->inner.ctx, fd);
	return c->ret;
}

static long rec_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_OPEN);

	snprintf(c->str, sizeof(c->str), "%s", path);
	return c->ret = r->inner.open(r->inner.ctx, path, flags, mode);
}

/* Mappings and reads are not recorded: how a file is read is sysfile.c's business. */
static long rec_mmap(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		     void **out)
{
	struct rec *r = ctx;

	return r->inner.mmap(r->inner.ctx, addr, len, prot, flags, fd, off, out);
}

static long rec_munmap(void *ctx, void *addr, size_t len)
{
	struct rec *r = ctx;

	return r->inner.munmap(r->inner.ctx, addr, len);
}

static long rec_read(void *ctx, int fd, void *buf, size_t len)
{
	struct rec *r = ctx;

	return r->inner.read(r->inner.ctx, fd, buf, len);
}

/* ---- an object loaded with no kernel behind it ---- */

#define TP_ID_PATH "/sys/kernel/tracing/events/syscalls/sys_enter_write/id"
#define TP_ID_PATH_DEBUG "/sys/kernel/debug/tracing/events/syscalls/sys_enter_write/id"
#define PROG_MAX 8

struct env {
	struct fs_script script;
	struct fs_wrap wrap;
	struct rec rec;
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	uint8_t *elf;
	uint8_t *vmlinux;
	struct bbpf_program *progs[PROG_MAX];
	int prog_fds[PROG_MAX];
	size_t base_fds;	/* fds open after load: the programs' */
};

/* The kernel BTF the BTF-typed programs' targets are found in. */
static uint8_t *build_vmlinux(uint32_t *len)
{
	static const char *const funcs[] = { "do_unlinkat", "bpf_lsm_file_open", "bpf_iter_task" };
	static const char *const raw_tps[] = { "sched_switch" };

	return tk_tiny_vmlinux(funcs, ARRAY_LEN(funcs), raw_tps, ARRAY_LEN(raw_tps), len);
}

/*
 * The object, loaded through the recorder with a kernel that has perf
 * links or not; a program whose section is in no_load stays unloaded
 * (autoload off). Recording starts after the load.
 */
static struct env *env_new_opts(const char *const *secs, size_t cnt, bool perf_link, bool debugfs,
				int no_load)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_sys inner;
	size_t i, len;
	uint32_t blen;

	assert_non_null(e);
	assert_true(cnt <= PROG_MAX);
	inner = fs_script_init(&e->script);
	e->vmlinux = build_vmlinux(&blen);
	fs_script_add_file(&e->script, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux, blen);
	if (debugfs)
		fs_script_add_file(&e->script, TP_ID_PATH_DEBUG, "1234\n", 5);
	else
		fs_script_add_file(&e->script, TP_ID_PATH, "1234\n", 5);
	e->rec.inner = fs_wrap_init(&e->wrap, &inner);
	e->rec.script = &e->script;
	e->sys = (struct bbpf_sys){ .ctx = &e->rec, .bpf = rec_bpf,
				    .perf_event_open = rec_perf_event_open, .ioctl = rec_ioctl,
				    .close = rec_close, .open = rec_open, .read = rec_read,
				    .mmap = rec_mmap, .munmap = rec_munmap };
	co.sys = &e->sys;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	/* this fake kernel's features, as a probe of it would find them */
	e->ctx->feat.probed = true;
	e->ctx->feat.memcg_account = true;
	e->ctx->feat.prog_name = true;
	e->ctx->feat.perf_link = perf_link;

	e->elf = tk_tiny_object(secs, cnt, &len);
	assert_int_equal(bbpf_object_open_mem(&e->obj, e->elf, len, NULL, NULL), 0);
	assert_int_equal(bbpf_object_program_cnt(e->obj), cnt);
	for (i = 0; i < cnt; i++) {
		e->progs[i] = bbpf_object_program(e->obj, i);
		assert_string_equal(bbpf_program_section(e->progs[i]), secs[i]);
		if ((int)i == no_load)
			assert_int_equal(bbpf_program_set_autoload(e->progs[i], false), 0);
	}
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	for (i = 0; i < cnt; i++) {
		e->prog_fds[i] = bbpf_program_fd(e->progs[i]);
		assert_true((int)i == no_load ? e->prog_fds[i] == -1 : e->prog_fds[i] >= 0);
	}
	e->base_fds = fs_wrap_open_fds(&e->wrap);
	e->rec.cnt = 0;
	fs_wrap_reset_counts(&e->wrap);
	return e;
}

static struct env *env_new(const char *const *secs, size_t cnt, bool perf_link, bool debugfs)
{
	return env_new_opts(secs, cnt, perf_link, debugfs, -1);
}

/* Everything attach made through the wrapper must be closed by now. */
static void assert_no_fds(struct env *e)
{
	if (fs_wrap_open_fds(&e->wrap) != e->base_fds) {
		fs_wrap_dump(&e->wrap, stderr);
		fail_msg("%zu fds left open", fs_wrap_open_fds(&e->wrap) - e->base_fds);
	}
}

static void env_free(struct env *e)
{
	bbpf_object_detach(e->obj);
	assert_no_fds(e);
	bbpf_object_close(e->obj);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	free(e->elf);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);
}

static void rec_clear(struct env *e)
{
	e->rec.cnt = 0;
}

/* The nth recorded call, which must be of this hook. */
static const struct rec_call *call_at(struct env *e, size_t n, int hook)
{
	if (n >= e->rec.cnt)
		fail_msg("call #%zu missing: only %zu recorded", n, e->rec.cnt);
	if (e->rec.calls[n].hook != hook)
		fail_msg("call #%zu: %s, expected %s", n, fs_hook_name(e->rec.calls[n].hook),
			 fs_hook_name(hook));
	return &e->rec.calls[n];
}

static const struct rec_call *bpf_at(struct env *e, size_t n, int cmd)
{
	const struct rec_call *c = call_at(e, n, FS_HOOK_BPF);

	assert_int_equal(c->cmd, cmd);
	return c;
}

static void expect_tp_id_read(struct env *e, size_t *n, bool debugfs)
{
	const struct rec_call *c = call_at(e, (*n)++, FS_HOOK_OPEN);

	if (debugfs) {
		assert_string_equal(c->str, TP_ID_PATH);
		assert_int_equal(c->ret, -ENOENT);
		c = call_at(e, (*n)++, FS_HOOK_OPEN);
		assert_string_equal(c->str, TP_ID_PATH_DEBUG);
	} else {
		assert_string_equal(c->str, TP_ID_PATH);
	}
	assert_true(c->ret >= 0);
	assert_int_equal(call_at(e, (*n)++, FS_HOOK_CLOSE)->fd, c->ret);
}

static void expect_perf_open(struct env *e, size_t n)
{
	const struct rec_call *c = call_at(e, n, FS_HOOK_PERF_EVENT_OPEN);

	assert_int_equal(c->pattr.type, PERF_TYPE_TRACEPOINT);
	assert_int_equal(c->pattr.size, sizeof(struct perf_event_attr));
	assert_int_equal(c->pattr.config, 1234);
	assert_int_equal(c->pattr.sample_period, 1);
	assert_int_equal(c->pattr.wakeup_events, 1);
	assert_int_equal(c->pattr.disabled, 0);
	assert_int_equal(c->pid, -1);
	assert_int_equal(c->cpu, 0);
	assert_int_equal(c->group, -1);
	assert_int_equal(c->flags, PERF_FLAG_FD_CLOEXEC);
	assert_true(c->ret >= 0);
}

static const char *const tp_secs[] = { "tp/syscalls/sys_enter_write" };

static void test_tp_perf_link(void **state)
{
	struct env *e = env_new(tp_secs, 1, true, false);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0;
	long pfd, lfd;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 1);
	expect_tp_id_read(e, &n, false);
	expect_perf_open(e, n);
	pfd = e->rec.calls[n++].ret;
	c = bpf_at(e, n++, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[0]);
	assert_int_equal(c->attr.link_create.target_fd, pfd);
	assert_int_equal(c->attr.link_create.attach_type, BPF_PERF_EVENT);
	assert_int_equal(c->attr.link_create.flags, 0);
	lfd = c->ret;
	c = call_at(e, n++, FS_HOOK_IOCTL);
	assert_int_equal(c->fd, pfd);
	assert_int_equal(c->req, PERF_EVENT_IOC_ENABLE);
	assert_int_equal(n, e->rec.cnt);

	link = bbpf_object_link(e->obj, 0);
	assert_non_null(link);
	assert_null(bbpf_object_link(e->obj, 1));
	assert_ptr_equal(bbpf_link_program(link), e->progs[0]);
	assert_int_equal(bbpf_link_fd(link), lfd);
	/* the perf event is closed, not disabled: the link holds it */
	assert_int_equal(link->undo_cnt, 1);
	assert_int_equal(link->undo[0].kind, BBPF_UNDO_CLOSE);
	assert_int_equal(link->undo[0].fd, pfd);

	/* pinning a BPF link: OBJ_PIN of the link fd */
	rec_clear(e);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), 0);
	c = bpf_at(e, 0, BPF_OBJ_PIN);
	assert_int_equal(c->attr.bpf_fd, lfd);
	assert_string_equal(c->str, "/sys/fs/bpf/x");
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/y"), -EBUSY);

	/* held by the object: a direct destroy is refused, close detaches */
	bbpf_link_destroy(link);
	rec_clear(e);
	bbpf_object_detach(e->obj);
	assert_int_equal(e->rec.cnt, 2);
	assert_int_equal(call_at(e, 0, FS_HOOK_CLOSE)->fd, lfd);
	assert_int_equal(call_at(e, 1, FS_HOOK_CLOSE)->fd, pfd);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	env_free(e);
}

static void test_tp_ioctl(void **state)
{
	struct env *e = env_new(tp_secs, 1, false, true);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0;
	long pfd;

	(void)state;
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), 0);
	expect_tp_id_read(e, &n, true);
	expect_perf_open(e, n);
	pfd = e->rec.calls[n++].ret;
	c = call_at(e, n++, FS_HOOK_IOCTL);
	assert_int_equal(c->fd, pfd);
	assert_int_equal(c->req, PERF_EVENT_IOC_SET_BPF);
	assert_int_equal(c->arg, (unsigned long)e->prog_fds[0]);
	c = call_at(e, n++, FS_HOOK_IOCTL);
	assert_int_equal(c->fd, pfd);
	assert_int_equal(c->req, PERF_EVENT_IOC_ENABLE);
	assert_int_equal(n, e->rec.cnt);
	assert_int_equal(link->fd, -1);	/* no BPF link: the event is the attachment */
	assert_int_equal(bbpf_link_fd(link), pfd);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);

	rec_clear(e);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	assert_int_equal(e->rec.cnt, 0);
	bbpf_link_destroy(link);
	c = call_at(e, 0, FS_HOOK_IOCTL);
	assert_int_equal(c->fd, pfd);
	assert_int_equal(c->req, PERF_EVENT_IOC_DISABLE);
	assert_int_equal(call_at(e, 1, FS_HOOK_CLOSE)->fd, pfd);
	assert_int_equal(e->rec.cnt, 2);
	env_free(e);
}

static void test_raw_tp(void **state)
{
	static const char *const secs[] = { "raw_tp/sched_switch", "raw_tracepoint.w/foo" };
	struct env *e = env_new(secs, 2, true, false);
	const struct rec_call *c;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 2);
	assert_int_equal(e->rec.cnt, 2);
	c = bpf_at(e, 0, BPF_RAW_TRACEPOINT_OPEN);
	assert_string_equal(c->str, "sched_switch");
	assert_int_equal(c->attr.raw_tracepoint.prog_fd, e->prog_fds[0]);
	assert_int_equal(bbpf_link_fd(bbpf_object_link(e->obj, 0)), c->ret);
	c = bpf_at(e, 1, BPF_RAW_TRACEPOINT_OPEN);
	assert_string_equal(c->str, "foo");
	assert_int_equal(c->attr.raw_tracepoint.prog_fd, e->prog_fds[1]);
	env_free(e);
}

/* fentry & co: LINK_CREATE with the program's attach type; RAW_TRACEPOINT_OPEN(NULL) on EINVAL. */
static void test_tracing(void **state)
{
	static const char *const secs[] = { "fentry/do_unlinkat", "tp_btf/sched_switch",
					     "lsm/file_open", "fexit/do_unlinkat" };
	static const enum bpf_attach_type types[] = { BPF_TRACE_FENTRY, BPF_TRACE_RAW_TP,
						      BPF_LSM_MAC, BPF_TRACE_FEXIT };
	struct env *e = env_new(secs, 4, true, false);
	const struct rec_call *c;
	size_t i;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(e->rec.cnt, 4);
	for (i = 0; i < 4; i++) {
		c = bpf_at(e, i, BPF_LINK_CREATE);
		assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[i]);
		assert_int_equal(c->attr.link_create.target_fd, 0);
		assert_int_equal(c->attr.link_create.attach_type, types[i]);
	}
	bbpf_object_detach(e->obj);

	/* an older kernel: LINK_CREATE knows none of these */
	rec_clear(e);
	for (i = 0; i < 4; i++)
		assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(e->rec.cnt, 8);
	for (i = 0; i < 4; i++) {
		bpf_at(e, 2 * i, BPF_LINK_CREATE);
		c = bpf_at(e, 2 * i + 1, BPF_RAW_TRACEPOINT_OPEN);
		assert_string_equal(c->str, "(null)");
		assert_int_equal(c->attr.raw_tracepoint.name, 0);
		assert_int_equal(c->attr.raw_tracepoint.prog_fd, e->prog_fds[i]);
	}
	bbpf_object_detach(e->obj);

	/* other errors are the kernel's answer: no fallback */
	rec_clear(e);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EPERM), 0);
	assert_int_equal(bbpf_object_attach(e->obj), -EPERM);
	assert_int_equal(e->rec.cnt, 1);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	env_free(e);
}

static void test_iter(void **state)
{
	static const char *const secs[] = { "iter/task" };
	struct env *e = env_new(secs, 1, true, false);
	const struct rec_call *c;
	struct bbpf_link *link;
	int fd;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[0]);
	assert_int_equal(c->attr.link_create.target_fd, 0);
	assert_int_equal(c->attr.link_create.attach_type, BPF_TRACE_ITER);
	link = bbpf_object_link(e->obj, 0);
	rec_clear(e);
	fd = bbpf_link_iter_create(link);
	assert_true(fd >= 0);
	c = bpf_at(e, 0, BPF_ITER_CREATE);
	assert_int_equal(c->attr.iter_create.link_fd, bbpf_link_fd(link));
	assert_int_equal(c->attr.iter_create.flags, 0);
	e->sys.close(e->sys.ctx, fd);
	assert_int_equal(bbpf_link_iter_create(NULL), -EINVAL);
	env_free(e);
}

static void count_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)level;
	(void)msg;
	(*(int *)ctx)++;
}

/* Kinds with no auto-attach (perf_event, ...), bare SEC("tp"), unloaded programs: skipped, not errors. */
static void test_skip(void **state)
{
	const char *why;
	int err;

	static const char *const secs[] = { "perf_event", "uprobe", "xdp", "tp",
					    "raw_tp", "socket", "tp/syscalls/sys_enter_write" };
	struct env *e = env_new_opts(secs, 7, true, false, 6);	/* the last not loaded */
	struct bbpf_object *unloaded;
	struct bbpf_link *link = NULL;
	size_t len;
	uint8_t *elf;
	int lines = 0;

	(void)state;
	e->ctx->log.fn = count_log;
	e->ctx->log.ctx = &lines;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	assert_int_equal(e->rec.cnt, 0);
	assert_int_equal(lines, 7);	/* one debug line per skipped program */
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), -EOPNOTSUPP);
	assert_int_equal(bbpf_program_attach(e->progs[3], &link), -EOPNOTSUPP);
	assert_int_equal(bbpf_program_attach(e->progs[6], &link), -EINVAL);
	assert_int_equal(bbpf_program_attach(NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach(e->progs[0], NULL), -EINVAL);
	assert_null(link);
	assert_int_equal(bbpf_object_attach(NULL), -EINVAL);
	/* an object that was never loaded */
	elf = tk_tiny_object(secs, 1, &len);
	assert_int_equal(bbpf_object_open_mem(&unloaded, elf, len, NULL, NULL), 0);
	assert_int_equal(bbpf_object_attach(unloaded), -EINVAL);
	assert_int_equal(bbpf_program_attach(bbpf_object_program(unloaded, 0), &link), -EINVAL);
	bbpf_object_close(unloaded);
	free(elf);
	/* what the attach said of each program */
	assert_int_equal(bbpf_program_attach_status(e->progs[0], &why, &err), BBPF_ATTACH_SKIPPED);
	assert_string_equal(why, "no auto-attach for this kind (yet)");
	assert_int_equal(bbpf_program_attach_status(e->progs[3], &why, &err), BBPF_ATTACH_SKIPPED);
	assert_string_equal(why, "no target in the section name");
	assert_int_equal(bbpf_program_attach_status(e->progs[6], &why, &err), BBPF_ATTACH_SKIPPED);
	assert_string_equal(why, "not loaded");
	assert_int_equal(bbpf_link_fd(NULL), -1);
	assert_null(bbpf_link_program(NULL));
	assert_int_equal(bbpf_link_pin(NULL, "/x"), -EINVAL);
	bbpf_link_destroy(NULL);
	env_free(e);
}

/* A second bbpf_object_attach() attaches nothing twice. */
static void test_attach_twice(void **state)
{
	static const char *const secs[] = { "raw_tp/a", "raw_tp/b" };
	struct env *e = env_new(secs, 2, true, false);

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(e->rec.cnt, 2);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 2);
	env_free(e);
}

static void test_tp_names(void **state)
{
	static const char *const bad[] = {
		"../../x/y", "a/b/c", "a/..", "../a", "./a", "a/.", "/a", "a/", "a", "",
		"a..b/c", "a b/c", "a/b\n", "a/b\t", "a\x7f/b", "a/\x80",
	};
	static const char *const good[] = { "syscalls/sys_enter_write", "sched/sched_switch",
					    "a.b/c-d" };
	char long_name[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++)
		if (bbpf_tracefs_check_event(bad[i]) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	for (i = 0; i < ARRAY_LEN(good); i++)
		assert_int_equal(bbpf_tracefs_check_event(good[i]), 0);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	long_name[10] = '/';
	assert_int_equal(bbpf_tracefs_check_event(long_name), -EINVAL);
	assert_int_equal(bbpf_tracefs_check_event(NULL), -EINVAL);
}

/* An escaping section name is refused before any file is opened. */
static void test_tp_escape_no_syscalls(void **state)
{
	static const char *const secs[] = { "tp/../../x/y", "tracepoint/a/b/c" };
	struct env *e = env_new(secs, 2, true, false);
	struct bbpf_link *link;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), -EINVAL);
	assert_int_equal(bbpf_program_attach(e->progs[1], &link), -EINVAL);
	assert_int_equal(e->rec.cnt, 0);
	assert_int_equal(bbpf_tracefs_event_id(e->ctx, "../../etc/passwd"), -EINVAL);
	assert_int_equal(e->rec.cnt, 0);
	env_free(e);
}

static void test_tp_bad_id(void **state)
{
	static const char *const bad_ids[] = { "", "\n", "x\n", "0\n", "99999999999\n", "12 \n" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad_ids); i++) {
		struct env *e = env_new(tp_secs, 1, true, true);

		fs_script_add_file(&e->script, TP_ID_PATH, bad_ids[i], strlen(bad_ids[i]));
		assert_int_equal(bbpf_object_attach(e->obj), -EBADMSG);
		env_free(e);
	}
}

/*
 * Every attach kind in one object; fail each call in turn with each errno
 * the kernel might give. Either the attach still succeeds (a failed close,
 * which releases anyway; -EINTR on a read, retried; -EINVAL from fentry's
 * LINK_CREATE, which falls back) or it fails with that error, keeps no link
 * and leaves no fd open.
 */
static void sweep(bool perf_link)
{
	static const char *const secs[] = { "tp/syscalls/sys_enter_write", "raw_tp/sched_switch",
					    "fentry/do_unlinkat", "iter/task", "socket",
					    "tracepoint/syscalls/sys_enter_write" };
	static const int errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF };
	struct env *e = env_new(secs, ARRAY_LEN(secs), perf_link, false);
	unsigned long total, n, failed = 0;
	size_t i;

	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 5);
	total = e->wrap.calls;
	bbpf_object_detach(e->obj);
	assert_no_fds(e);
	assert_true(total > 10);
	rec_clear(e);

	for (n = 1; n <= total; n++) {
		for (i = 0; i < ARRAY_LEN(errs); i++) {
			int err;

			rec_clear(e);
			fs_wrap_reset_counts(&e->wrap);
			fs_wrap_fail(&e->wrap, n, errs[i]);
			err = bbpf_object_attach(e->obj);
			assert_int_equal(e->wrap.injected, 1);
			fs_wrap_fail(&e->wrap, 0, 0);
			if (err == 0) {
				assert_int_equal(bbpf_object_link_cnt(e->obj), 5);
				bbpf_object_detach(e->obj);
			} else {
				assert_int_equal(err, errs[i]);
				assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
				failed++;
			}
			assert_no_fds(e);
		}
	}
	/* most injected failures must fail the attach */
	assert_true(failed > total * 2);
	env_free(e);
}

static void test_fault_sweep_perf_link(void **state)
{
	(void)state;
	sweep(true);
}

static void test_fault_sweep_ioctl(void **state)
{
	(void)state;
	sweep(false);
}

/* Failing allocations: -ENOMEM, nothing attached, nothing open, nothing leaked. */
static void test_alloc_failure(void **state)
{
	static const char *const secs[] = { "raw_tp/a", "tp/syscalls/sys_enter_write",
					    "raw_tp/b" };
	struct env *e = env_new(secs, 3, true, false);
	struct bbpf_alloc saved = e->ctx->alloc;
	unsigned long n;
	struct fa fa;
	int err;

	(void)state;
	/* links, the link array and tracefs reads allocate from the context's allocator */
	for (n = 0;; n++) {
		e->ctx->alloc = fa_after(&fa, n);
		err = bbpf_object_attach(e->obj);
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
		assert_no_fds(e);
		assert_int_equal(fa.live, 0);
	}
	assert_true(n >= 4);
	bbpf_object_detach(e->obj);
	assert_int_equal(fa.live, 0);
	e->ctx->alloc = saved;
	env_free(e);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tp_perf_link),
		cmocka_unit_test(test_tp_ioctl),
		cmocka_unit_test(test_raw_tp),
		cmocka_unit_test(test_tracing),
		cmocka_unit_test(test_iter),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_attach_twice),
		cmocka_unit_test(test_tp_names),
		cmocka_unit_test(test_tp_escape_no_syscalls),
		cmocka_unit_test(test_tp_bad_id),
		cmocka_unit_test(test_fault_sweep_perf_link),
		cmocka_unit_test(test_fault_sweep_ioctl),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
