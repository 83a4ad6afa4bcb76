// SPDX-License-Identifier: BSD-2-Clause
/*
 * The attach layer (src/attach/): links, tracepoints, raw tracepoints,
 * BTF-typed tracing, iterators, link pinning.
 *
 * Part 1 runs with no kernel: a hand-built loaded object whose context's
 * syscall table is a recorder in front of tests/lib/fake_sys (fs_wrap for
 * fault injection and fd tracking, fs_script as the kernel). It checks the
 * exact calls each attach kind makes and that a failure at any step leaves
 * no fd open.
 *
 * Part 2 needs root and a working bpf(2) (skipped with the reason printed
 * otherwise): the real loader and kernel, with build/bpf fixtures
 * (`make fixtures` first).
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

#include "kernel_avail.h"
#include <barebpf/loader.h>
#include "attach/attach.h"
#include "kern/load_int.h"
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

/* Reads are not recorded: how many a file takes is sysfile.c's business. */
static long rec_read(void *ctx, int fd, void *buf, size_t len)
{
	struct rec *r = ctx;

	return r->inner.read(r->inner.ctx, fd, buf, len);
}

/* ---- a loaded object with no kernel behind it ---- */

#define TP_ID_PATH "/sys/kernel/tracing/events/syscalls/sys_enter_write/id"
#define TP_ID_PATH_DEBUG "/sys/kernel/debug/tracing/events/syscalls/sys_enter_write/id"
#define PROG_MAX 8

struct env {
	struct fs_script script;
	struct fs_wrap wrap;
	struct rec rec;
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object obj;
	struct bbpf_obj_kern kern;
	struct bbpf_program progs[PROG_MAX];
	int prog_fds[PROG_MAX];
};

static struct env *env_new(const char *const *secs, size_t cnt, bool perf_link, bool debugfs)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_sys inner;
	size_t i;

	assert_non_null(e);
	assert_true(cnt <= PROG_MAX);
	inner = fs_script_init(&e->script);
	if (debugfs)
		fs_script_add_file(&e->script, TP_ID_PATH_DEBUG, "1234\n", 5);
	else
		fs_script_add_file(&e->script, TP_ID_PATH, "1234\n", 5);
	e->rec.inner = fs_wrap_init(&e->wrap, &inner);
	e->rec.script = &e->script;
	e->sys = (struct bbpf_sys){ .ctx = &e->rec, .bpf = rec_bpf,
				    .perf_event_open = rec_perf_event_open, .ioctl = rec_ioctl,
				    .close = rec_close, .open = rec_open, .read = rec_read };
	co.sys = &e->sys;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	e->ctx->feat.probed = true;
	e->ctx->feat.perf_link = perf_link;

	bbpf_arena_init(&e->obj.arena, &bbpf_alloc_libc, 1 << 20);
	snprintf(e->obj.name, sizeof(e->obj.name), "fake");
	e->obj.state = BBPF_OBJ_LOADED;
	e->obj.kern = &e->kern;
	e->kern.ctx = e->ctx;
	e->kern.btf_fd = -1;
	e->obj.progs = e->progs;
	e->obj.prog_cnt = (uint32_t)cnt;
	for (i = 0; i < cnt; i++) {
		struct bbpf_program *p = &e->progs[i];

		p->obj = &e->obj;
		p->name = secs[i];
		p->sec_name = secs[i];
		p->sec_def = bbpf_sec_def_find(secs[i]);
		assert_non_null(p->sec_def);
		p->type = p->sec_def->prog_type;
		p->expected_attach_type = p->sec_def->expected_attach_type;
		p->attach_target = bbpf_sec_def_target(p->sec_def, secs[i]);
		p->autoload = true;
		/* Program fds come from the fake kernel, not through the wrapper. */
		p->fd = (int)fs_script_new_fd(&e->script);
		e->prog_fds[i] = p->fd;
	}
	return e;
}

/* Everything made through the wrapper must be closed by now. */
static void assert_no_fds(struct env *e)
{
	if (fs_wrap_open_fds(&e->wrap)) {
		fs_wrap_dump(&e->wrap, stderr);
		fail_msg("%zu fds left open", fs_wrap_open_fds(&e->wrap));
	}
}

static void env_free(struct env *e)
{
	bbpf_attach_release(&e->obj);
	assert_no_fds(e);
	bbpf_arena_free(&e->obj.arena);
	bbpf_ctx_free(e->ctx);
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
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 1);
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

	link = bbpf_object_link(&e->obj, 0);
	assert_non_null(link);
	assert_null(bbpf_object_link(&e->obj, 1));
	assert_ptr_equal(bbpf_link_program(link), &e->progs[0]);
	assert_int_equal(bbpf_link_fd(link), lfd);
	assert_int_equal(link->kind, BBPF_LINK_BPF);

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
	bbpf_attach_release(&e->obj);
	assert_int_equal(e->rec.cnt, 2);
	assert_int_equal(call_at(e, 0, FS_HOOK_CLOSE)->fd, lfd);
	assert_int_equal(call_at(e, 1, FS_HOOK_CLOSE)->fd, pfd);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 0);
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
	assert_int_equal(bbpf_program_attach(&e->progs[0], &link), 0);
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
	assert_int_equal(link->kind, BBPF_LINK_PERF_IOCTL);
	assert_int_equal(bbpf_link_fd(link), pfd);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 0);

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
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 2);
	assert_int_equal(e->rec.cnt, 2);
	c = bpf_at(e, 0, BPF_RAW_TRACEPOINT_OPEN);
	assert_string_equal(c->str, "sched_switch");
	assert_int_equal(c->attr.raw_tracepoint.prog_fd, e->prog_fds[0]);
	assert_int_equal(bbpf_link_fd(bbpf_object_link(&e->obj, 0)), c->ret);
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
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(e->rec.cnt, 4);
	for (i = 0; i < 4; i++) {
		c = bpf_at(e, i, BPF_LINK_CREATE);
		assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[i]);
		assert_int_equal(c->attr.link_create.target_fd, 0);
		assert_int_equal(c->attr.link_create.attach_type, types[i]);
	}
	bbpf_attach_release(&e->obj);

	/* an older kernel: LINK_CREATE knows none of these */
	rec_clear(e);
	for (i = 0; i < 4; i++)
		assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(e->rec.cnt, 8);
	for (i = 0; i < 4; i++) {
		bpf_at(e, 2 * i, BPF_LINK_CREATE);
		c = bpf_at(e, 2 * i + 1, BPF_RAW_TRACEPOINT_OPEN);
		assert_string_equal(c->str, "(null)");
		assert_int_equal(c->attr.raw_tracepoint.name, 0);
		assert_int_equal(c->attr.raw_tracepoint.prog_fd, e->prog_fds[i]);
	}
	bbpf_attach_release(&e->obj);

	/* other errors are the kernel's answer: no fallback */
	rec_clear(e);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EPERM), 0);
	assert_int_equal(bbpf_object_attach(&e->obj), -EPERM);
	assert_int_equal(e->rec.cnt, 1);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 0);
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
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[0]);
	assert_int_equal(c->attr.link_create.target_fd, 0);
	assert_int_equal(c->attr.link_create.attach_type, BPF_TRACE_ITER);
	link = bbpf_object_link(&e->obj, 0);
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

/* Kinds attached in a later issue, bare SEC("tp"), unloaded programs: skipped, not errors. */
static void test_skip(void **state)
{
	static const char *const secs[] = { "kprobe/do_sys_open", "uprobe/x", "xdp", "tp",
					    "raw_tp", "socket", "tp/syscalls/sys_enter_write" };
	struct env *e = env_new(secs, 7, true, false);
	struct bbpf_link *link = NULL;
	int lines = 0;

	(void)state;
	e->ctx->log.fn = count_log;
	e->ctx->log.ctx = &lines;
	e->progs[6].fd = -1;	/* autoload off: not loaded */
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 0);
	assert_int_equal(e->rec.cnt, 0);
	assert_int_equal(lines, 7);	/* one debug line per skipped program */
	assert_int_equal(bbpf_program_attach(&e->progs[0], &link), -EOPNOTSUPP);
	assert_int_equal(bbpf_program_attach(&e->progs[3], &link), -EOPNOTSUPP);
	assert_int_equal(bbpf_program_attach(&e->progs[6], &link), -EINVAL);
	assert_int_equal(bbpf_program_attach(NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach(&e->progs[0], NULL), -EINVAL);
	assert_null(link);
	assert_int_equal(bbpf_object_attach(NULL), -EINVAL);
	e->obj.state = BBPF_OBJ_OPENED;
	assert_int_equal(bbpf_object_attach(&e->obj), -EINVAL);
	e->obj.state = BBPF_OBJ_LOADED;
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
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(e->rec.cnt, 2);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 2);
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
		if (bbpf_tp_check_name(bad[i]) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	for (i = 0; i < ARRAY_LEN(good); i++)
		assert_int_equal(bbpf_tp_check_name(good[i]), 0);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	long_name[10] = '/';
	assert_int_equal(bbpf_tp_check_name(long_name), -EINVAL);
	assert_int_equal(bbpf_tp_check_name(NULL), -EINVAL);
}

/* An escaping section name is refused before any file is opened. */
static void test_tp_escape_no_syscalls(void **state)
{
	static const char *const secs[] = { "tp/../../x/y", "tracepoint/a/b/c" };
	struct env *e = env_new(secs, 2, true, false);
	struct bbpf_link *link;

	(void)state;
	assert_int_equal(bbpf_object_attach(&e->obj), -EINVAL);
	assert_int_equal(bbpf_program_attach(&e->progs[1], &link), -EINVAL);
	assert_int_equal(e->rec.cnt, 0);
	assert_int_equal(bbpf_tp_id(e->ctx, "../../etc/passwd"), -EINVAL);
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
		assert_int_equal(bbpf_object_attach(&e->obj), -EBADMSG);
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
					    "fentry/do_unlinkat", "iter/task", "kprobe/x",
					    "tracepoint/syscalls/sys_enter_write" };
	static const int errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF };
	struct env *e = env_new(secs, ARRAY_LEN(secs), perf_link, false);
	unsigned long total, n, failed = 0;
	size_t i;

	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(bbpf_object_attach(&e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(&e->obj), 5);
	total = e->wrap.calls;
	bbpf_attach_release(&e->obj);
	assert_no_fds(e);
	assert_true(total > 10);
	rec_clear(e);

	for (n = 1; n <= total; n++) {
		for (i = 0; i < ARRAY_LEN(errs); i++) {
			int err;

			rec_clear(e);
			fs_wrap_reset_counts(&e->wrap);
			fs_wrap_fail(&e->wrap, n, errs[i]);
			err = bbpf_object_attach(&e->obj);
			assert_int_equal(e->wrap.injected, 1);
			fs_wrap_fail(&e->wrap, 0, 0);
			if (err == 0) {
				assert_int_equal(bbpf_object_link_cnt(&e->obj), 5);
				bbpf_attach_release(&e->obj);
			} else {
				assert_int_equal(err, errs[i]);
				assert_int_equal(bbpf_object_link_cnt(&e->obj), 0);
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
	/* the object's arena has no room for the link array */
	e->obj.arena.budget = 0;
	assert_int_equal(bbpf_object_attach(&e->obj), -ENOMEM);
	assert_int_equal(e->rec.cnt, 0);
	e->obj.arena.budget = 1 << 20;

	/* links and tracefs reads allocate from the context's allocator */
	for (n = 0;; n++) {
		e->ctx->alloc = fa_after(&fa, n);
		err = bbpf_object_attach(&e->obj);
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_int_equal(bbpf_object_link_cnt(&e->obj), 0);
		assert_no_fds(e);
		assert_int_equal(fa.live, 0);
	}
	assert_true(n >= 4);
	bbpf_attach_release(&e->obj);
	assert_int_equal(fa.live, 0);
	e->ctx->alloc = saved;
	env_free(e);
}

/* ==== part 2: the real kernel ==== */

#define N_WRITES 16

/* Why real-kernel tests cannot run here, or NULL if they can. */
static const char *kernel_unavailable(void)
{
	return tk_kernel_unavailable();
}

/* Mount fstype at path unless it is there already. NULL or why not. */
static const char *ensure_fs(const char *path, long magic, const char *fstype)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	long type = 0;

	if (sys->statfs(sys->ctx, path, &type) == 0 && type == magic)
		return NULL;
	if (sys->mount(sys->ctx, fstype, path, fstype, 0, NULL) != 0)
		return "cannot mount a file system the test needs (tracefs or bpffs)";
	if (sys->statfs(sys->ctx, path, &type) != 0 || type != magic)
		return "mounted, but statfs disagrees";
	return NULL;
}

static const char *kernel_and_fs_unavailable(void)
{
	const char *why = kernel_unavailable();

	if (!why)
		why = ensure_fs("/sys/kernel/tracing", TRACEFS_MAGIC, "tracefs");
	if (!why)
		why = ensure_fs("/sys/fs/bpf", BPF_FS_MAGIC, "bpf");
	return why;
}

#define NEED_KERNEL()								\
	do {									\
		const char *why_ = kernel_and_fs_unavailable();			\
		if (why_) {							\
			print_message("[  SKIP    ] %s: %s\n", __func__, why_);	\
			skip();							\
		}								\
	} while (0)

static void print_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN)
		print_message("  log: %s\n", msg);
}

static struct bbpf_ctx *real_ctx(const struct bbpf_sys *sys, bool quiet)
{
	struct bbpf_ctx_opts co = { .sys = sys, .log = quiet ? NULL : print_log };
	struct bbpf_ctx *ctx;

	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	return ctx;
}

static struct bbpf_object *open_fixture(const char *name, bool quiet)
{
	struct bbpf_open_opts oo = { .log = quiet ? NULL : print_log };
	struct bbpf_object *obj = NULL;
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, name);
	err = bbpf_object_open_file(&obj, path, &oo, NULL);
	if (err)
		fail_msg("open %s: %d (run `make fixtures`)", path, err);
	return obj;
}

/* A load failure is the loader's, not the attach layer's, but still fails the test. */
static void load(struct bbpf_object *obj, struct bbpf_ctx *ctx)
{
	struct bbpf_load_opts lo = { .ctx = ctx };
	int err = bbpf_object_load(obj, &lo);

	if (err)
		fail_msg("bbpf_object_load: %d (loader, not attach)", err);
}

/* minimal.bpf.o with my_pid set to this process; *cnt_off: write_count in .bss. */
static struct bbpf_object *open_minimal(struct bbpf_ctx *ctx, struct bbpf_map **bss,
					size_t *cnt_off)
{
	struct bbpf_object *obj = open_fixture("minimal.bpf.o", false);
	struct bbpf_map *m2;
	size_t pid_off, size, ivsize;
	int pid = getpid();
	uint8_t *iv;

	assert_int_equal(bbpf_object_find_global(obj, "my_pid", bss, &pid_off, &size), 0);
	assert_int_equal(size, sizeof(int));
	assert_int_equal(bbpf_object_find_global(obj, "write_count", &m2, cnt_off, &size), 0);
	assert_ptr_equal(m2, *bss);
	assert_int_equal(size, 8);
	iv = bbpf_map_initial_value(*bss, &ivsize);
	assert_non_null(iv);
	assert_true(pid_off + sizeof(pid) <= ivsize);
	memcpy(iv + pid_off, &pid, sizeof(pid));
	load(obj, ctx);
	return obj;
}

static void do_writes(int n)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int i;

	assert_true(fd >= 0);
	for (i = 0; i < n; i++)
		assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
}

static uint64_t load_u64(const uint8_t *p)
{
	uint64_t v;

	__atomic_load((const uint64_t *)(const void *)p, &v, __ATOMIC_SEQ_CST);
	return v;
}

/* While attached write_count rises by at least N_WRITES; detached, not at all. */
static void expect_counting(const uint8_t *cnt, bool on)
{
	uint64_t before = load_u64(cnt), after;

	do_writes(N_WRITES);
	after = load_u64(cnt);
	if (on && after < before + N_WRITES)
		fail_msg("write_count %llu -> %llu after %d writes", (unsigned long long)before,
			 (unsigned long long)after, N_WRITES);
	if (!on && after != before)
		fail_msg("still counting after detach: %llu -> %llu", (unsigned long long)before,
			 (unsigned long long)after);
}

static void test_kern_tracepoint(void **state)
{
	struct bbpf_program *prog;
	struct bbpf_link *link;
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	struct bbpf_map *bss;
	size_t cnt_off;
	uint8_t *mm;

	(void)state;
	NEED_KERNEL();
	ctx = real_ctx(NULL, false);
	obj = open_minimal(ctx, &bss, &cnt_off);
	mm = bbpf_map_mmaped(bss, NULL);
	assert_non_null(mm);
	prog = bbpf_object_find_program(obj, "handle_tp");
	assert_non_null(prog);
	if (!ctx->feat.perf_link)
		print_message("  note: no perf links on this kernel; ioctl path only\n");

	/* a standalone link (a BPF link where the kernel has them), then detached */
	assert_int_equal(bbpf_program_attach(prog, &link), 0);
	assert_int_equal(link->kind, ctx->feat.perf_link ? BBPF_LINK_BPF : BBPF_LINK_PERF_IOCTL);
	expect_counting(mm + cnt_off, true);
	bbpf_link_destroy(link);
	expect_counting(mm + cnt_off, false);

	/* the PERF_EVENT_IOC_SET_BPF path of older kernels */
	ctx->feat.perf_link = false;
	assert_int_equal(bbpf_program_attach(prog, &link), 0);
	assert_int_equal(link->kind, BBPF_LINK_PERF_IOCTL);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/bbpf_never"), -EOPNOTSUPP);
	expect_counting(mm + cnt_off, true);
	bbpf_link_destroy(link);
	expect_counting(mm + cnt_off, false);
	ctx->feat.perf_link = true;

	/* the object's links: every auto-attachable program, destroyed at close */
	assert_int_equal(bbpf_object_attach(obj), 0);
	assert_int_equal(bbpf_object_link_cnt(obj), 1);
	assert_ptr_equal(bbpf_link_program(bbpf_object_link(obj, 0)), prog);
	expect_counting(mm + cnt_off, true);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
}

static uint64_t run_cnt(int prog_fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, prog_fd, &info, &len), 0);
	return info.run_cnt;
}

static uint32_t link_info(int link_fd, struct bpf_link_info *out)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, link_fd, &info, &len), 0);
	if (out)
		*out = info;
	return info.id;
}

static bool link_id_exists(uint32_t id)
{
	uint32_t cur = 0, next;

	while (bbpf_cmd_link_get_next_id(&bbpf_sys_linux, cur, &next) == 0) {
		if (next == id)
			return true;
		cur = next;
	}
	return false;
}

/* The kernel frees links asynchronously: wait up to 2 s for each id to go. */
static void expect_links_gone(const uint32_t *ids, size_t cnt)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	size_t i;
	int tries;

	for (i = 0; i < cnt; i++) {
		for (tries = 0; tries < 200 && link_id_exists(ids[i]); tries++)
			nanosleep(&ts, NULL);
		if (link_id_exists(ids[i]))
			fail_msg("link id %u still in the kernel after 2 s", ids[i]);
	}
}

static void run_exec(void)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "true", NULL };

		execv("/bin/true", argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

/* tp/, tracepoint/, raw_tp/, tp_btf/ and iter/ from progs_loadable.bpf.o, seen through run_cnt. */
static void test_kern_progs(void **state)
{
	static const char *const names[] = { "tp_getpid", "tracepoint_exec", "raw_tp_switch",
					     "tp_btf_switch", "iter_task" };
	struct timespec ts = { 0, 1000 * 1000 };
	struct bbpf_link *iter_link = NULL;
	uint32_t ids[ARRAY_LEN(names)];
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	union bpf_attr a;
	char buf[4096];
	size_t i, total = 0;
	int stats_fd, fd, tries;
	long n;

	(void)state;
	NEED_KERNEL();
	/* run_cnt counts while BPF_ENABLE_STATS's fd is open */
	memset(&a, 0, sizeof(a));
	a.enable_stats.type = BPF_STATS_RUN_TIME;
	stats_fd = (int)bbpf_bpf(&bbpf_sys_linux, BPF_ENABLE_STATS, &a);
	assert_true(stats_fd >= 0);

	ctx = real_ctx(NULL, false);
	obj = open_fixture("progs_loadable.bpf.o", false);
	load(obj, ctx);
	assert_int_equal(bbpf_object_attach(obj), 0);
	assert_int_equal(bbpf_object_link_cnt(obj), ARRAY_LEN(names));
	for (i = 0; i < ARRAY_LEN(names); i++) {
		struct bbpf_link *l = bbpf_object_link(obj, i);

		assert_string_equal(bbpf_program_name(bbpf_link_program(l)), names[i]);
		ids[i] = link_info(bbpf_link_fd(l), NULL);
		if (!strcmp(names[i], "iter_task"))
			iter_link = l;
	}

	for (tries = 0; tries < 1000; tries++) {
		bool all = true;

		getpid();
		nanosleep(&ts, NULL);	/* sched_switch */
		if (tries % 100 == 0)
			run_exec();
		for (i = 0; i < 4; i++)
			all = all && run_cnt(bbpf_program_fd(bbpf_link_program(
					     bbpf_object_link(obj, i)))) > 0;
		if (all)
			break;
	}
	for (i = 0; i < 4; i++) {
		const struct bbpf_program *p = bbpf_link_program(bbpf_object_link(obj, i));

		if (!run_cnt(bbpf_program_fd(p)))
			fail_msg("program %s never ran", bbpf_program_name(p));
	}

	/* an iterator instance: reading it runs iter_task once per task */
	fd = bbpf_link_iter_create(iter_link);
	assert_true(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		if (!total)
			assert_non_null(strstr(buf, "task "));
		total += (size_t)n;
	}
	assert_int_equal(n, 0);
	close(fd);
	assert_true(total > 0);
	assert_int_equal(bbpf_link_iter_create(bbpf_object_link(obj, 0)), -EINVAL);

	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	close(stats_fd);
	expect_links_gone(ids, ARRAY_LEN(ids));
}

static uint64_t pinned_count(int map_fd, uint8_t *val, size_t cnt_off)
{
	uint32_t key = 0;
	uint64_t v;

	assert_int_equal(bbpf_cmd_map_lookup(&bbpf_sys_linux, map_fd, &key, val, 0), 0);
	memcpy(&v, val + cnt_off, sizeof(v));
	return v;
}

/*
 * A pinned tracepoint link outlives the object: the program keeps counting
 * into the (pinned) .bss map; the link goes when its pin is removed.
 */
static void test_kern_pin(void **state)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	struct bpf_link_info li, li2;
	char lpath[128], mpath[128];
	struct bbpf_program *prog;
	struct bbpf_link *link;
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	struct bbpf_map *bss;
	uint64_t before;
	size_t cnt_off;
	uint8_t *val;
	int lfd, mfd;

	(void)state;
	NEED_KERNEL();
	snprintf(lpath, sizeof(lpath), "/sys/fs/bpf/bbpf_test_attach_%d_link", (int)getpid());
	snprintf(mpath, sizeof(mpath), "/sys/fs/bpf/bbpf_test_attach_%d_bss", (int)getpid());
	ctx = real_ctx(NULL, false);
	obj = open_minimal(ctx, &bss, &cnt_off);
	prog = bbpf_object_find_program(obj, "handle_tp");
	assert_int_equal(bbpf_program_attach(prog, &link), 0);
	assert_int_equal(link->kind, BBPF_LINK_BPF);
	link_info(bbpf_link_fd(link), &li);
	assert_int_equal(li.type, BPF_LINK_TYPE_PERF_EVENT);
	assert_int_equal(bbpf_link_pin(link, lpath), 0);
	assert_int_equal(bbpf_map_pin(bss, mpath), 0);
	val = calloc(1, bbpf_map_value_size(bss));
	assert_non_null(val);
	bbpf_link_destroy(link);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);

	/* object gone, link and map pinned: still counting */
	mfd = bbpf_cmd_obj_get(sys, mpath, 0);
	assert_true(mfd >= 0);
	before = pinned_count(mfd, val, cnt_off);
	do_writes(N_WRITES);
	if (pinned_count(mfd, val, cnt_off) < before + N_WRITES)
		fail_msg("the pinned link stopped counting when the object closed");

	lfd = bbpf_cmd_obj_get(sys, lpath, 0);
	assert_true(lfd >= 0);
	link_info(lfd, &li2);
	assert_int_equal(li2.id, li.id);
	assert_int_equal(li2.prog_id, li.prog_id);
	assert_int_equal(li2.type, BPF_LINK_TYPE_PERF_EVENT);
	sys->close(sys->ctx, lfd);

	/* unpinned: the link goes and the program stops */
	assert_int_equal(sys->unlink(sys->ctx, lpath), 0);
	expect_links_gone(&li.id, 1);
	before = pinned_count(mfd, val, cnt_off);
	do_writes(N_WRITES);
	assert_true(pinned_count(mfd, val, cnt_off) == before);
	sys->close(sys->ctx, mfd);
	assert_int_equal(sys->unlink(sys->ctx, mpath), 0);
	free(val);
}

/*
 * bbpf_object_attach against the real kernel with each of its calls failed
 * in turn: the error comes back, no link is kept, no fd is left open, and
 * no link is left in the kernel.
 */
static void test_kern_fault_sweep(void **state)
{
	struct fs_wrap *w = calloc(1, sizeof(*w));
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;
	struct bbpf_sys sys;
	uint32_t ids[256];
	size_t base_fds, id_cnt = 0, i;
	unsigned long total, n;

	(void)state;
	assert_non_null(w);
	NEED_KERNEL();
	sys = fs_wrap_init(w, &bbpf_sys_linux);
	ctx = real_ctx(&sys, true);
	obj = open_fixture("progs_loadable.bpf.o", true);
	load(obj, ctx);
	base_fds = fs_wrap_open_fds(w);

	fs_wrap_reset_counts(w);
	assert_int_equal(bbpf_object_attach(obj), 0);
	total = w->calls;
	for (i = 0; i < bbpf_object_link_cnt(obj); i++)
		ids[id_cnt++] = link_info(bbpf_link_fd(bbpf_object_link(obj, i)), NULL);
	bbpf_attach_release(obj);
	assert_int_equal(fs_wrap_open_fds(w), base_fds);

	for (n = 1; n <= total; n++) {
		int err;

		fs_wrap_reset_counts(w);
		fs_wrap_fail(w, n, -EPERM);
		err = bbpf_object_attach(obj);
		fs_wrap_fail(w, 0, 0);
		if (err) {
			assert_int_equal(err, -EPERM);
			assert_int_equal(bbpf_object_link_cnt(obj), 0);
		} else {
			/* only a failed close lets the attach through */
			for (i = 0; i < bbpf_object_link_cnt(obj) && id_cnt < ARRAY_LEN(ids); i++)
				ids[id_cnt++] = link_info(bbpf_link_fd(bbpf_object_link(obj, i)),
							  NULL);
			bbpf_attach_release(obj);
		}
		if (fs_wrap_open_fds(w) != base_fds) {
			fs_wrap_dump(w, stderr);
			fail_msg("call %lu failed: fds left open", n);
		}
	}
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	assert_int_equal(fs_wrap_open_fds(w), 0);
	expect_links_gone(ids, id_cnt);
	free(w);
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
		cmocka_unit_test(test_kern_tracepoint),
		cmocka_unit_test(test_kern_progs),
		cmocka_unit_test(test_kern_pin),
		cmocka_unit_test(test_kern_fault_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
