// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel layer's bottom: the Linux syscall table, the bpf(2) command
 * wrappers, feature probes and file reads through the table.
 *
 * Wrapper tests run against the scripted fake (tests/lib/fake_sys.h) and
 * check the attr each command receives. The Linux table is exercised only
 * on files it needs no privilege for (a directory under the build dir,
 * the tree's Makefile, /proc/self). Probes are run under the counting
 * wrapper (no fd may stay open) and under fault injection (failing each of
 * their calls in turn). The same wrappers and probes on the running kernel:
 * tests/kernel/test_kern_cmd_kernel.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/btf.h>
#include <cmocka.h>

#include "kern/kern.h"
#include "fake_sys.h"
#include "kern_util.h"



/* ---- helpers ---- */

static struct fs_script *script_new(struct bbpf_sys *sys)
{
	struct fs_script *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	*sys = fs_script_init(s);
	return s;
}

static void script_free(struct fs_script *s)
{
	fs_script_fini(s);
	free(s);
}

/* ---- wrappers: the right command and fields, checked on the scripted fake ---- */

static const struct fs_call *last(const struct fs_script *s, int cmd)
{
	const struct fs_call *c = fs_script_last(s, -1);

	assert_non_null(c);
	assert_int_equal(c->cmd, cmd);
	assert_int_equal(c->size, sizeof(union bpf_attr));
	return c;
}

static void test_cmd_map_elem(void **state)
{
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	union bpf_attr in = kc_array_attr(8, 4);
	const struct fs_call *c;
	uint32_t key = 1, next;
	uint64_t val = 2;
	int fd;

	(void)state;
	strcpy(in.map_name, "m");
	in.map_flags = BPF_F_MMAPABLE;
	fd = bbpf_cmd_map_create(&sys, &in);
	assert_true(fd >= FS_FAKE_FD_BASE);
	c = last(s, BPF_MAP_CREATE);
	assert_memory_equal(&c->attr, &in, sizeof(in));

	assert_int_equal(bbpf_cmd_map_lookup(&sys, 7, &key, &val, BPF_F_LOCK), 0);
	c = last(s, BPF_MAP_LOOKUP_ELEM);
	assert_int_equal(c->attr.map_fd, 7);
	assert_true(c->attr.key == KC_PTR(&key) && c->attr.value == KC_PTR(&val));
	assert_true(c->attr.flags == BPF_F_LOCK);

	assert_int_equal(bbpf_cmd_map_update(&sys, 8, &key, &val, BPF_NOEXIST), 0);
	c = last(s, BPF_MAP_UPDATE_ELEM);
	assert_int_equal(c->attr.map_fd, 8);
	assert_true(c->attr.key == KC_PTR(&key) && c->attr.value == KC_PTR(&val));
	assert_true(c->attr.flags == BPF_NOEXIST);

	assert_int_equal(bbpf_cmd_map_delete(&sys, 9, &key, 0), 0);
	c = last(s, BPF_MAP_DELETE_ELEM);
	assert_int_equal(c->attr.map_fd, 9);
	assert_true(c->attr.key == KC_PTR(&key) && c->attr.value == 0 && c->attr.flags == 0);

	assert_int_equal(bbpf_cmd_map_next_key(&sys, 10, NULL, &next), 0);
	c = last(s, BPF_MAP_GET_NEXT_KEY);
	assert_int_equal(c->attr.map_fd, 10);
	assert_true(c->attr.key == 0 && c->attr.next_key == KC_PTR(&next));

	assert_int_equal(bbpf_cmd_map_freeze(&sys, 11), 0);
	c = last(s, BPF_MAP_FREEZE);
	assert_int_equal(c->attr.map_fd, 11);

	/* kernel errors pass through */
	fs_script_push(s, BPF_MAP_LOOKUP_ELEM, -ENOENT);
	assert_int_equal(bbpf_cmd_map_lookup(&sys, 7, &key, &val, 0), -ENOENT);
	script_free(s);
}

static long batch_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)s; (void)size;
	if (cmd != BPF_MAP_LOOKUP_BATCH)
		return FS_DEFAULT;
	attr->batch.count = 3;
	return -ENOENT;
}

static void test_cmd_map_batch(void **state)
{
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	uint32_t keys[10], in = 0, out, count = 10;
	uint64_t vals[10];
	const struct fs_call *c;

	(void)state;
	s->bpf_cb = batch_cb;
	assert_int_equal(bbpf_cmd_map_batch(&sys, BPF_MAP_LOOKUP_BATCH, 5, &in, &out, keys, vals,
					    &count, BPF_F_LOCK, 0), -ENOENT);
	assert_int_equal(count, 3);	/* the kernel's progress, even on -ENOENT */
	c = last(s, BPF_MAP_LOOKUP_BATCH);
	assert_int_equal(c->attr.batch.map_fd, 5);
	assert_int_equal(c->attr.batch.count, 10);
	assert_true(c->attr.batch.in_batch == KC_PTR(&in) && c->attr.batch.out_batch == KC_PTR(&out));
	assert_true(c->attr.batch.keys == KC_PTR(keys) && c->attr.batch.values == KC_PTR(vals));
	assert_true(c->attr.batch.elem_flags == BPF_F_LOCK && c->attr.batch.flags == 0);

	count = 4;
	assert_int_equal(bbpf_cmd_map_batch(&sys, BPF_MAP_DELETE_BATCH, 6, NULL, NULL, keys, NULL,
					    &count, 0, 0), 0);
	c = last(s, BPF_MAP_DELETE_BATCH);
	assert_true(c->attr.batch.in_batch == 0 && c->attr.batch.values == 0);
	assert_int_equal(c->attr.batch.count, 4);
	script_free(s);
}

static void test_cmd_prog_load_eagain(void **state)
{
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	union bpf_attr a;
	int i;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = KC_PTR(kc_ret0);
	a.insn_cnt = 2;

	/* four interruptions, then success: 5 calls */
	for (i = 0; i < 4; i++)
		fs_script_push(s, BPF_PROG_LOAD, -EAGAIN);
	fs_script_push(s, BPF_PROG_LOAD, 42);
	assert_int_equal(bbpf_cmd_prog_load(&sys, &a), 42);
	assert_int_equal(s->bpf_calls[BPF_PROG_LOAD], 5);
	assert_memory_equal(&last(s, BPF_PROG_LOAD)->attr, &a, sizeof(a));

	/* five interruptions: give up after 5 attempts */
	s->bpf_calls[BPF_PROG_LOAD] = 0;
	for (i = 0; i < 6; i++)
		fs_script_push(s, BPF_PROG_LOAD, -EAGAIN);
	assert_int_equal(bbpf_cmd_prog_load(&sys, &a), -EAGAIN);
	assert_int_equal(s->bpf_calls[BPF_PROG_LOAD], 5);

	/* other errors are not retried */
	s->bpf_calls[BPF_PROG_LOAD] = 0;
	s->queue[BPF_PROG_LOAD].cnt = 0;
	fs_script_push(s, BPF_PROG_LOAD, -EINVAL);
	assert_int_equal(bbpf_cmd_prog_load(&sys, &a), -EINVAL);
	assert_int_equal(s->bpf_calls[BPF_PROG_LOAD], 1);
	script_free(s);
}

static void test_cmd_btf_pin_link(void **state)
{
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	static const char blob[] = "btf";
	char log[64];
	union bpf_attr extra;
	const struct fs_call *c;

	(void)state;
	assert_true(bbpf_cmd_btf_load(&sys, blob, 3, log, sizeof(log), 1) >= 0);
	c = last(s, BPF_BTF_LOAD);
	assert_true(c->attr.btf == KC_PTR(blob) && c->attr.btf_size == 3);
	assert_true(c->attr.btf_log_buf == KC_PTR(log) && c->attr.btf_log_size == sizeof(log));
	assert_int_equal(c->attr.btf_log_level, 1);

	assert_int_equal(bbpf_cmd_obj_pin(&sys, 12, "/sys/fs/bpf/x"), 0);
	c = last(s, BPF_OBJ_PIN);
	assert_string_equal((const char *)(uintptr_t)c->attr.pathname, "/sys/fs/bpf/x");
	assert_int_equal(c->attr.bpf_fd, 12);
	assert_int_equal(c->attr.file_flags, 0);

	assert_true(bbpf_cmd_obj_get(&sys, "/sys/fs/bpf/y", BPF_F_RDONLY) >= 0);
	c = last(s, BPF_OBJ_GET);
	assert_string_equal((const char *)(uintptr_t)c->attr.pathname, "/sys/fs/bpf/y");
	assert_int_equal(c->attr.file_flags, BPF_F_RDONLY);
	assert_int_equal(c->attr.bpf_fd, 0);

	memset(&extra, 0, sizeof(extra));
	extra.link_create.perf_event.bpf_cookie = 99;
	extra.link_create.prog_fd = 1000;	/* overridden */
	assert_true(bbpf_cmd_link_create(&sys, 13, 14, BPF_PERF_EVENT, &extra) >= 0);
	c = last(s, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, 13);
	assert_int_equal(c->attr.link_create.target_fd, 14);
	assert_int_equal(c->attr.link_create.attach_type, BPF_PERF_EVENT);
	assert_true(c->attr.link_create.perf_event.bpf_cookie == 99);

	assert_true(bbpf_cmd_link_create(&sys, 15, -1, BPF_TRACE_ITER, NULL) >= 0);
	c = last(s, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, 15);
	assert_int_equal((int)c->attr.link_create.target_fd, -1);
	assert_true(c->attr.link_create.perf_event.bpf_cookie == 0);

	assert_true(bbpf_cmd_raw_tp_open(&sys, "sys_enter", 16) >= 0);
	c = last(s, BPF_RAW_TRACEPOINT_OPEN);
	assert_string_equal((const char *)(uintptr_t)c->attr.raw_tracepoint.name, "sys_enter");
	assert_int_equal(c->attr.raw_tracepoint.prog_fd, 16);
	script_free(s);
}

static long ids_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)s; (void)size;
	switch (cmd) {
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
	case BPF_LINK_GET_NEXT_ID:
		if (attr->start_id >= 3)
			return -ENOENT;
		attr->next_id = attr->start_id + 1;
		return 0;
	case BPF_OBJ_GET_INFO_BY_FD:
		attr->info.info_len = 8;
		return 0;
	default:
		return FS_DEFAULT;
	}
}

static void test_cmd_ids_info(void **state)
{
	static const struct {
		int (*fn)(const struct bbpf_sys *, uint32_t, uint32_t *);
		int cmd;
	} next[] = {
		{ bbpf_cmd_prog_get_next_id, BPF_PROG_GET_NEXT_ID },
		{ bbpf_cmd_map_get_next_id, BPF_MAP_GET_NEXT_ID },
		{ bbpf_cmd_link_get_next_id, BPF_LINK_GET_NEXT_ID },
	};
	static const struct {
		int (*fn)(const struct bbpf_sys *, uint32_t);
		int cmd;
	} byid[] = {
		{ bbpf_cmd_prog_get_fd_by_id, BPF_PROG_GET_FD_BY_ID },
		{ bbpf_cmd_map_get_fd_by_id, BPF_MAP_GET_FD_BY_ID },
		{ bbpf_cmd_btf_get_fd_by_id, BPF_BTF_GET_FD_BY_ID },
	};
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	const struct fs_call *c;
	struct bpf_map_info info;
	uint32_t id, len;
	size_t i;

	(void)state;
	s->bpf_cb = ids_cb;
	for (i = 0; i < KC_ARRAY_LEN(next); i++) {
		id = 77;
		assert_int_equal(next[i].fn(&sys, 1, &id), 0);
		assert_int_equal(id, 2);
		assert_int_equal(last(s, next[i].cmd)->attr.start_id, 1);
		assert_int_equal(next[i].fn(&sys, 3, &id), -ENOENT);
		assert_int_equal(id, 2);	/* untouched on failure */
	}
	for (i = 0; i < KC_ARRAY_LEN(byid); i++) {
		assert_true(byid[i].fn(&sys, 55) >= FS_FAKE_FD_BASE);
		c = last(s, byid[i].cmd);
		assert_int_equal(c->attr.prog_id, 55);
		assert_int_equal(c->attr.open_flags, 0);
	}

	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	assert_int_equal(bbpf_cmd_obj_info(&sys, 17, &info, &len), 0);
	assert_int_equal(len, 8);
	c = last(s, BPF_OBJ_GET_INFO_BY_FD);
	assert_int_equal(c->attr.info.bpf_fd, 17);
	assert_int_equal(c->attr.info.info_len, sizeof(info));
	assert_true(c->attr.info.info == KC_PTR(&info));
	script_free(s);
}

/* ---- the Linux table itself ---- */

/* The wrappers the inspection commands use: each attr as the kernel reads it, outputs back. */
static long inspect_cb(struct fs_script *s, int cmd, union bpf_attr *a, unsigned int size)
{
	(void)s;
	(void)size;
	switch (cmd) {
	case BPF_PROG_TEST_RUN:
		a->test.retval = 7;
		a->test.duration = 99;
		a->test.data_size_out = 3;
		a->test.ctx_size_out = 1;
		return -ENOSPC;	/* outputs reported even so */
	case BPF_TASK_FD_QUERY:
		a->task_fd_query.buf_len = 5;
		a->task_fd_query.prog_id = 11;
		a->task_fd_query.fd_type = BPF_FD_TYPE_TRACEPOINT;
		a->task_fd_query.probe_offset = 12;
		a->task_fd_query.probe_addr = 13;
		return 0;
	case BPF_PROG_QUERY:
		a->query.attach_flags = BPF_F_ALLOW_MULTI;
		a->query.prog_cnt = 2;
		return 0;
	case BPF_BTF_GET_NEXT_ID:
		a->next_id = a->start_id + 5;
		return 0;
	}
	return FS_DEFAULT;
}

static void test_cmd_inspect(void **state)
{
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	struct bbpf_cmd_test_run t = { 0 };
	const struct fs_call *c;
	uint8_t din[4] = { 1, 2, 3, 4 }, dout[8], cin[2], cout[2];
	uint32_t key = 3, val, len = 16, prog_id, fd_type, ids[4], flags[4], cnt = 4, af, next;
	uint64_t off, addr;
	char buf[16];

	(void)state;
	s->bpf_cb = inspect_cb;
	t.data_in = din;
	t.data_size_in = 4;
	t.data_out = dout;
	t.data_size_out = 8;
	t.ctx_in = cin;
	t.ctx_size_in = 2;
	t.ctx_out = cout;
	t.ctx_size_out = 2;
	t.repeat = 5;
	t.flags = BPF_F_TEST_RUN_ON_CPU;
	t.cpu = 1;
	assert_int_equal(bbpf_cmd_prog_test_run(&sys, 9, &t), -ENOSPC);
	c = last(s, BPF_PROG_TEST_RUN);
	assert_int_equal(c->attr.test.prog_fd, 9);
	assert_true(c->attr.test.data_in == KC_PTR(din) && c->attr.test.data_size_in == 4);
	assert_true(c->attr.test.data_out == KC_PTR(dout) && c->attr.test.data_size_out == 8);
	assert_true(c->attr.test.ctx_in == KC_PTR(cin) && c->attr.test.ctx_size_in == 2);
	assert_true(c->attr.test.ctx_out == KC_PTR(cout) && c->attr.test.ctx_size_out == 2);
	assert_true(c->attr.test.repeat == 5 && c->attr.test.flags == BPF_F_TEST_RUN_ON_CPU &&
		    c->attr.test.cpu == 1);
	assert_true(t.retval == 7 && t.duration == 99 && t.data_size_out == 3 &&
		    t.ctx_size_out == 1);

	assert_int_equal(bbpf_cmd_task_fd_query(&sys, 42, 6, buf, &len, &prog_id, &fd_type, &off,
						&addr), 0);
	c = last(s, BPF_TASK_FD_QUERY);
	assert_true(c->attr.task_fd_query.pid == 42 && c->attr.task_fd_query.fd == 6);
	assert_true(c->attr.task_fd_query.buf == KC_PTR(buf) && c->attr.task_fd_query.buf_len == 16);
	assert_true(len == 5 && prog_id == 11 && fd_type == BPF_FD_TYPE_TRACEPOINT && off == 12 &&
		    addr == 13);

	assert_int_equal(bbpf_cmd_prog_query(&sys, 4, BPF_CGROUP_INET_EGRESS, BPF_F_QUERY_EFFECTIVE,
					     &af, ids, flags, &cnt), 0);
	c = last(s, BPF_PROG_QUERY);
	assert_true(c->attr.query.target_fd == 4 && c->attr.query.attach_type == BPF_CGROUP_INET_EGRESS);
	assert_true(c->attr.query.query_flags == BPF_F_QUERY_EFFECTIVE);
	assert_true(c->attr.query.prog_ids == KC_PTR(ids) && c->attr.query.prog_attach_flags == KC_PTR(flags));
	assert_int_equal(c->attr.query.prog_cnt, 4);
	assert_true(cnt == 2 && af == BPF_F_ALLOW_MULTI);

	assert_int_equal(bbpf_cmd_map_lookup_and_delete(&sys, 8, &key, &val, BPF_F_LOCK), 0);
	c = last(s, BPF_MAP_LOOKUP_AND_DELETE_ELEM);
	assert_true(c->attr.map_fd == 8 && c->attr.key == KC_PTR(&key) && c->attr.value == KC_PTR(&val) &&
		    c->attr.flags == BPF_F_LOCK);

	assert_true(bbpf_cmd_link_get_fd_by_id(&sys, 77) >= FS_FAKE_FD_BASE);
	assert_int_equal(last(s, BPF_LINK_GET_FD_BY_ID)->attr.link_id, 77);
	assert_int_equal(bbpf_cmd_link_detach(&sys, 12), 0);
	assert_int_equal(last(s, BPF_LINK_DETACH)->attr.link_detach.link_fd, 12);
	assert_int_equal(bbpf_cmd_btf_get_next_id(&sys, 10, &next), 0);
	assert_int_equal(last(s, BPF_BTF_GET_NEXT_ID)->attr.start_id, 10);
	assert_int_equal(next, 15);
	script_free(s);
}

static void test_sys_linux_files(void **state)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	char dir[] = BBPF_BUILD_DIR "/bbpf_sys_XXXXXX", path[sizeof(dir) + 8], buf[8];
	struct utsname u, mine;
	struct rlimit rl, rl2;
	void *p = NULL;
	long fd, fd2, type = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sys->rmdir(sys->ctx, dir), 0);
	assert_int_equal(sys->mkdir(sys->ctx, dir, 0700), 0);
	assert_int_equal(sys->mkdir(sys->ctx, dir, 0700), -EEXIST);
	snprintf(path, sizeof(path), "%s/f", dir);
	fd = sys->open(sys->ctx, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(sys->write(sys->ctx, (int)fd, "hello", 5), 5);
	assert_int_equal(sys->close(sys->ctx, (int)fd), 0);
	fd = sys->open(sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	fd2 = sys->dup(sys->ctx, (int)fd);
	assert_true(fd2 >= 3 && fd2 != fd);
	assert_true(fcntl((int)fd2, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(sys->read(sys->ctx, (int)fd2, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(sys->close(sys->ctx, (int)fd2), 0);
	assert_int_equal(sys->close(sys->ctx, (int)fd2), -EBADF);
	assert_int_equal(sys->ioctl(sys->ctx, (int)fd2, 0, 0), -EBADF);

	assert_int_equal(sys->mmap(sys->ctx, NULL, 4096, PROT_READ, MAP_PRIVATE, (int)fd, 0, &p), 0);
	assert_memory_equal(p, "hello", 5);
	assert_int_equal(sys->munmap(sys->ctx, p, 4096), 0);
	assert_int_equal(sys->mmap(sys->ctx, NULL, 4096, PROT_READ, MAP_PRIVATE, (int)fd, 1, &p),
			 -EINVAL);
	assert_int_equal(sys->close(sys->ctx, (int)fd), 0);

	assert_int_equal(sys->open(sys->ctx, "/nonexistent/x", O_RDONLY, 0), -ENOENT);
	assert_int_equal(sys->unlink(sys->ctx, path), 0);
	assert_int_equal(sys->unlink(sys->ctx, path), -ENOENT);
	assert_int_equal(sys->rmdir(sys->ctx, dir), 0);

	assert_int_equal(sys->statfs(sys->ctx, "/proc", &type), 0);
	assert_true(type == 0x9fa0);	/* PROC_SUPER_MAGIC */
	assert_int_equal(sys->statfs(sys->ctx, "/nonexistent", &type), -ENOENT);

	assert_int_equal(sys->uname(sys->ctx, &u), 0);
	assert_int_equal(uname(&mine), 0);
	assert_string_equal(u.release, mine.release);
	assert_string_equal(u.sysname, "Linux");

	assert_int_equal(sys->getrlimit(sys->ctx, RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl2), 0);
	assert_true(rl.rlim_cur == rl2.rlim_cur && rl.rlim_max == rl2.rlim_max);
	assert_int_equal(sys->setrlimit(sys->ctx, RLIMIT_NOFILE, &rl), 0);
	rl2 = rl;
	rl2.rlim_cur = rl2.rlim_max == RLIM_INFINITY ? rl2.rlim_cur : rl2.rlim_max + 1;
	if (rl2.rlim_cur != rl.rlim_cur)
		assert_int_equal(sys->setrlimit(sys->ctx, RLIMIT_NOFILE, &rl2), -EINVAL);
	assert_int_equal(sys->getrlimit(sys->ctx, RLIMIT_MEMLOCK, &rl), 0);

	/* a perf_event_attr of size 0 is invalid; the error comes back as -errno */
	{
		struct perf_event_attr pa;

		memset(&pa, 0, sizeof(pa));
		pa.size = 1;
		assert_true(sys->perf_event_open(sys->ctx, &pa, 0, -1, -1, 0) < 0);
	}
}

/* ---- features ---- */

/* A 6.0-era kernel minus FLOAT/DECL_TAG/TYPE_TAG/ENUM64 support in BTF. */
static long old_btf_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	const uint32_t newer = 1u << BTF_KIND_FLOAT | 1u << BTF_KIND_DECL_TAG |
			       1u << BTF_KIND_TYPE_TAG | 1u << BTF_KIND_ENUM64;
	uint32_t kinds;

	(void)s; (void)size;
	if (cmd != BPF_BTF_LOAD)
		return FS_DEFAULT;
	kinds = fs_btf_kinds((const void *)(uintptr_t)attr->btf, attr->btf_size);
	assert_true(kinds != 0);	/* the probe's blobs are well-formed */
	return kinds & newer ? -EINVAL : FS_DEFAULT;
}

static void test_features_old_btf(void **state)
{
	struct bbpf_sys inner, sys;
	struct fs_script *s = script_new(&inner);
	struct fs_wrap *w = kc_wrap_new(&sys, &inner);
	struct bbpf_ctx ctx;

	(void)state;
	s->bpf_cb = old_btf_cb;
	kc_ctx_init(&ctx, &sys);
	assert_int_equal(bbpf_features_probe(&ctx), 0);
	assert_true(ctx.feat.probed);
	assert_true(ctx.feat.prog_name && ctx.feat.global_data && ctx.feat.array_mmap);
	assert_true(ctx.feat.btf && ctx.feat.btf_func && ctx.feat.btf_global_func);
	assert_true(ctx.feat.btf_datasec);
	assert_false(ctx.feat.btf_float);
	assert_false(ctx.feat.btf_decl_tag);
	assert_false(ctx.feat.btf_type_tag);
	assert_false(ctx.feat.btf_enum64);
	/* the fake's link_create succeeds: not the EBADF a perf-link kernel gives */
	assert_false(ctx.feat.perf_link);
	kc_assert_no_leak(w, "old btf", 0, 0);
	assert_int_equal(fs_script_open_fds(s), 0);
	kc_ctx_fini(&ctx);
	kc_probe_sweep(&inner, s);
	free(w);
	script_free(s);
}

static bool has_map_value_ldimm(const union bpf_attr *a)
{
	const struct bpf_insn *insn = (const void *)(uintptr_t)a->insns;
	uint32_t i;

	for (i = 0; i < a->insn_cnt; i++)
		if (insn[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    insn[i].src_reg == BPF_PSEUDO_MAP_VALUE)
			return true;
	return false;
}

static bool calls_helper(const union bpf_attr *a, int32_t helper)
{
	const struct bpf_insn *insn = (const void *)(uintptr_t)a->insns;
	uint32_t i;

	for (i = 0; i < a->insn_cnt; i++)
		if (insn[i].code == (BPF_JMP | BPF_CALL) && insn[i].imm == helper)
			return true;
	return false;
}

/* A 4.14-era kernel: none of the probed features. */
static long ancient_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)s; (void)size;
	switch (cmd) {
	case BPF_PROG_LOAD:
		if (attr->prog_name[0] || attr->expected_attach_type || attr->core_relo_rec_size)
			return -E2BIG;	/* attr bytes past what the kernel knows */
		if (has_map_value_ldimm(attr) || calls_helper(attr, BPF_FUNC_ktime_get_coarse_ns))
			return -EINVAL;
		return FS_DEFAULT;
	case BPF_MAP_CREATE:
		return attr->map_flags & BPF_F_MMAPABLE ? -EINVAL : FS_DEFAULT;
	case BPF_BTF_LOAD:
	case BPF_LINK_CREATE:
		return -EINVAL;	/* unknown command */
	default:
		return FS_DEFAULT;
	}
}

static void test_features_ancient(void **state)
{
	struct bbpf_sys inner, sys;
	struct fs_script *s = script_new(&inner);
	struct fs_wrap *w = kc_wrap_new(&sys, &inner);
	struct bbpf_ctx ctx;
	struct bbpf_features none = { .probed = true };

	(void)state;
	s->bpf_cb = ancient_cb;
	kc_ctx_init(&ctx, &sys);
	assert_int_equal(bbpf_features_probe(&ctx), 0);
	assert_memory_equal(&ctx.feat, &none, sizeof(none));
	/* no BTF at all: the kind probes are skipped */
	assert_int_equal(w->bpf_calls[BPF_BTF_LOAD], 1);
	kc_assert_no_leak(w, "ancient", 0, 0);
	assert_int_equal(fs_script_open_fds(s), 0);
	kc_ctx_fini(&ctx);
	free(w);
	script_free(s);
}

static void test_features_transient_not_cached(void **state)
{
	struct bbpf_sys sys;
	struct fs_script *s = script_new(&sys);
	struct bbpf_ctx ctx;

	(void)state;
	kc_ctx_init(&ctx, &sys);
	fs_script_push(s, BPF_MAP_CREATE, -ENOMEM);
	assert_int_equal(bbpf_features_probe(&ctx), -ENOMEM);
	assert_false(ctx.feat.probed);
	assert_false(ctx.feat.prog_name);	/* nothing half-written */
	assert_int_equal(bbpf_features_probe(&ctx), 0);
	assert_true(ctx.feat.probed && ctx.feat.global_data && ctx.feat.btf_enum64);
	assert_int_equal(fs_script_open_fds(s), 0);
	kc_ctx_fini(&ctx);
	script_free(s);
}

/* ---- sysfile ---- */

static void test_read_file_real(void **state)
{
	struct bbpf_sys sys;
	struct fs_wrap *w = kc_wrap_new(&sys, &bbpf_sys_linux);
	struct bbpf_ctx ctx;
	struct bbpf_arena a;
	const char *path = BBPF_SRC_DIR "/Makefile";
	char *text, *want;
	size_t len, want_len;
	FILE *f;

	(void)state;
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	want_len = (size_t)ftell(f);
	rewind(f);
	want = malloc(want_len);
	assert_non_null(want);
	assert_int_equal(fread(want, 1, want_len, f), want_len);
	fclose(f);

	kc_ctx_init(&ctx, &sys);
	bbpf_arena_init(&a, &bbpf_alloc_libc, 1u << 24);
	assert_int_equal(bbpf_sys_read_file(&ctx, path, &a, 1u << 20, &text, &len), 0);
	assert_int_equal(len, want_len);
	assert_memory_equal(text, want, len);
	assert_int_equal(text[len], '\0');
	/* exactly max fits; one byte less does not */
	assert_int_equal(bbpf_sys_read_file(&ctx, path, &a, want_len, &text, &len), 0);
	assert_int_equal(bbpf_sys_read_file(&ctx, path, &a, want_len - 1, &text, &len), -EFBIG);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/nonexistent/x", &a, 100, &text, &len),
			 -ENOENT);
	/* procfs reports size 0 */
	assert_int_equal(bbpf_sys_read_file(&ctx, "/proc/self/status", &a, 1u << 20, &text, &len),
			 0);
	assert_non_null(strstr(text, "Name:"));
	kc_assert_no_leak(w, "read_file", 0, 0);
	assert_true(bbpf_sys_possible_cpus(&ctx) > 0);
	kc_assert_no_leak(w, "possible_cpus", 0, 0);
	bbpf_arena_free(&a);
	kc_ctx_fini(&ctx);
	free(want);
	free(w);
}

static void test_read_file_fake(void **state)
{
	static const char data[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct bbpf_sys inner, sys;
	struct fs_script *s = script_new(&inner);
	struct fs_wrap *w = kc_wrap_new(&sys, &inner);
	struct bbpf_ctx ctx;
	struct bbpf_arena a;
	unsigned long k, n;
	char *text;
	size_t len;
	int ret;

	(void)state;
	fs_script_add_file(s, "/f", data, sizeof(data) - 1);
	fs_script_add_file(s, "/empty", "", 0);
	fs_script_add_file(s, "/denied", "", 0);
	s->files[2].open_err = -EACCES;
	s->read_max = 7;	/* short reads */
	s->eintr_every = 3;	/* and interruptions */
	kc_ctx_init(&ctx, &sys);
	bbpf_arena_init(&a, &bbpf_alloc_libc, 1u << 20);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/f", &a, 100, &text, &len), 0);
	assert_int_equal(len, sizeof(data) - 1);
	assert_string_equal(text, data);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/f", &a, 36, &text, &len), 0);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/f", &a, 35, &text, &len), -EFBIG);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/f", &a, 0, &text, &len), -EFBIG);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/empty", &a, 0, &text, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	assert_int_equal(bbpf_sys_read_file(&ctx, "/denied", &a, 10, &text, &len), -EACCES);
	kc_assert_no_leak(w, "read_file fake", 0, 0);
	assert_int_equal(fs_script_open_fds(s), 0);

	/* each call failing in turn: no fd left, the error passed on (EINTR retried) */
	s->eintr_every = 0;	/* the same call sequence every run */
	fs_wrap_reset_counts(w);
	assert_int_equal(bbpf_sys_read_file(&ctx, "/f", &a, 100, &text, &len), 0);
	k = w->calls;
	for (n = 1; n <= k; n++) {
		fs_wrap_reset_counts(w);
		fs_wrap_fail(w, n, -EIO);
		ret = bbpf_sys_read_file(&ctx, "/f", &a, 100, &text, &len);
		kc_assert_no_leak(w, "read_file sweep", n, -EIO);
		assert_int_equal(fs_script_open_fds(s), 0);
		/* a failed close still closed: the read itself succeeded */
		assert_int_equal(ret, n == k ? 0 : -EIO);
		fs_wrap_reset_counts(w);
		fs_wrap_fail(w, n, -EINTR);
		ret = bbpf_sys_read_file(&ctx, "/f", &a, 100, &text, &len);
		kc_assert_no_leak(w, "read_file sweep", n, -EINTR);
		assert_int_equal(ret, n == 1 ? -EINTR : 0);	/* only open is not retried */
	}
	bbpf_arena_free(&a);
	kc_ctx_fini(&ctx);
	free(w);
	script_free(s);
}

static void test_possible_cpus(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "0\n", 1 },
		{ "0-3\n", 4 },
		{ "0-3", 4 },
		{ "0-3,5,7-8\n", 7 },
		{ "0,2,4,6\n", 4 },
		{ "0-127\n", 128 },
		{ "1-1\n", 1 },
		{ "", -EBADMSG },
		{ "\n", -EBADMSG },
		{ "abc\n", -EBADMSG },
		{ "3-1\n", -EBADMSG },
		{ "0-3,2\n", -EBADMSG },
		{ "0-3,3\n", -EBADMSG },
		{ "0,\n", -EBADMSG },
		{ ",0\n", -EBADMSG },
		{ "0-\n", -EBADMSG },
		{ "-1\n", -EBADMSG },
		{ "0 1\n", -EBADMSG },
		{ "0\n\n", -EBADMSG },
		{ "99999999\n", -EBADMSG },
		{ "0--3\n", -EBADMSG },
	};
	size_t i;

	(void)state;
	for (i = 0; i < KC_ARRAY_LEN(cases); i++) {
		struct bbpf_sys sys;
		struct fs_script *s = script_new(&sys);
		struct bbpf_ctx ctx;
		int ret;

		fs_script_add_file(s, "/sys/devices/system/cpu/possible", cases[i].text,
				   strlen(cases[i].text));
		s->read_max = 2;
		kc_ctx_init(&ctx, &sys);
		ret = bbpf_sys_possible_cpus(&ctx);
		if (ret != cases[i].want)
			fail_msg("\"%s\": got %d, want %d", cases[i].text, ret, cases[i].want);
		assert_int_equal(fs_script_open_fds(s), 0);
		/* cached on success; retried after a failure */
		assert_int_equal(bbpf_sys_possible_cpus(&ctx), cases[i].want);
		assert_int_equal(s->hook_calls[FS_HOOK_OPEN], ret > 0 ? 1 : 2);
		assert_int_equal(ctx.possible_cpus, ret > 0 ? ret : 0);
		kc_ctx_fini(&ctx);
		script_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_map_elem),
		cmocka_unit_test(test_cmd_map_batch),
		cmocka_unit_test(test_cmd_prog_load_eagain),
		cmocka_unit_test(test_cmd_btf_pin_link),
		cmocka_unit_test(test_cmd_ids_info),
		cmocka_unit_test(test_cmd_inspect),
		cmocka_unit_test(test_sys_linux_files),
		cmocka_unit_test(test_features_old_btf),
		cmocka_unit_test(test_features_ancient),
		cmocka_unit_test(test_features_transient_not_cached),
		cmocka_unit_test(test_read_file_real),
		cmocka_unit_test(test_read_file_fake),
		cmocka_unit_test(test_possible_cpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
