// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf.h of the libbpf-compatible API (src/compat/bpf.c, bpf_attach.c)
 * against the scripted fake kernel: every wrapper's attr (what reaches
 * bpf(2)), its result in libbpf's convention (value, or negative errno and
 * errno), the outputs written back (counts, ids, info length, test-run
 * results only as far as the caller's sz reaches), new fds below 3 moved
 * up, the verifier/BTF log retry, EAGAIN retries, the LINK_CREATE ->
 * RAW_TRACEPOINT_OPEN fallback of tracing programs, and options refused
 * before any call.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "compat_sys.h"
#include "fake_sys.h"

#define PTR(p) ((__u64)(uintptr_t)(p))

struct env {
	struct fs_script s;
	struct bbpf_sys sys;
	/* dup/close seen, for the fd-below-3 rule */
	int dups, dup_of, closes, closed;
	/* what the callback does */
	long (*cb)(struct env *e, int cmd, union bpf_attr *attr);
};

static struct env *env_of(struct fs_script *s)
{
	return (struct env *)((char *)s - offsetof(struct env, s));
}

static long env_bpf_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct env *e = env_of(s);

	(void)size;
	return e->cb ? e->cb(e, cmd, attr) : FS_DEFAULT;
}

static long env_dup(void *ctx, int fd)
{
	struct env *e = env_of(ctx);

	e->dups++;
	e->dup_of = fd;
	return 200 + fd;
}

static long env_close(void *ctx, int fd)
{
	struct env *e = env_of(ctx);

	e->closes++;
	e->closed = fd;
	if (fd < FS_FAKE_FD_BASE)
		return 0;	/* an fd below 3 the test handed out: nothing to close */
	return e->sys.close(e->sys.ctx, fd);
}

/* The fake (its ctx), with dup and close seen first. */
static struct bbpf_sys table;

static int setup_table(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->sys = fs_script_init(&e->s);
	e->s.bpf_cb = env_bpf_cb;
	table = e->sys;
	table.dup = env_dup;
	table.close = env_close;
	tc_compat_use(&table);
	libbpf_set_print(NULL);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	tc_compat_use(NULL);
	fs_script_fini(&e->s);
	free(e);
	return 0;
}

static const struct fs_call *last(struct env *e, int cmd)
{
	const struct fs_call *c = fs_script_last(&e->s, cmd);

	assert_non_null(c);
	return c;
}

/* ---- maps ---- */

static void test_map_create(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_map_create_opts, o, .btf_fd = 3, .btf_key_type_id = 4,
		    .btf_value_type_id = 5, .btf_vmlinux_value_type_id = 6, .inner_map_fd = 7,
		    .map_flags = BPF_F_NO_PREALLOC, .map_extra = 9, .numa_node = 1, .map_ifindex = 2);
	const struct fs_call *c;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "a_name_longer_than_15", 4, 8, 16, &o);
	assert_true(fd >= FS_FAKE_FD_BASE);
	c = last(e, BPF_MAP_CREATE);
	assert_int_equal(c->attr.map_type, BPF_MAP_TYPE_HASH);
	assert_string_equal(c->attr.map_name, "a_name_longer_t");	/* BPF_OBJ_NAME_LEN - 1 */
	assert_int_equal(c->attr.key_size, 4);
	assert_int_equal(c->attr.value_size, 8);
	assert_int_equal(c->attr.max_entries, 16);
	assert_int_equal(c->attr.btf_fd, 3);
	assert_int_equal(c->attr.btf_key_type_id, 4);
	assert_int_equal(c->attr.btf_value_type_id, 5);
	assert_int_equal(c->attr.btf_vmlinux_value_type_id, 6);
	assert_int_equal(c->attr.inner_map_fd, 7);
	assert_int_equal(c->attr.map_flags, BPF_F_NO_PREALLOC);
	assert_int_equal(c->attr.map_extra, 9);
	assert_int_equal(c->attr.numa_node, 1);
	assert_int_equal(c->attr.map_ifindex, 2);
	/* NULL options and name */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	assert_true(fd >= FS_FAKE_FD_BASE);
	c = last(e, BPF_MAP_CREATE);
	assert_string_equal(c->attr.map_name, "");
	assert_int_equal(c->attr.map_flags, 0);
	/* the kernel's error */
	fs_script_push(&e->s, BPF_MAP_CREATE, -EPERM);
	errno = 0;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL), -EPERM);
	assert_int_equal(errno, EPERM);
}

/* A new fd 0, 1 or 2 is duplicated above 2 and the low one closed. */
static void test_low_fd_moved(void **state)
{
	struct env *e = *state;
	int fd;

	fs_script_push(&e->s, BPF_MAP_CREATE, 1);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	assert_int_equal(fd, 201);
	assert_int_equal(e->dups, 1);
	assert_int_equal(e->dup_of, 1);
	assert_int_equal(e->closes, 1);
	assert_int_equal(e->closed, 1);
	/* fd 3 and up stay */
	fs_script_push(&e->s, BPF_OBJ_GET, 3);
	assert_int_equal(bpf_obj_get("/sys/fs/bpf/x"), 3);
	assert_int_equal(e->dups, 1);
}

static void test_elem_ops(void **state)
{
	struct env *e = *state;
	__u32 key = 1, next;
	__u64 value = 2;
	const struct fs_call *c;

	assert_int_equal(bpf_map_update_elem(100, &key, &value, BPF_NOEXIST), 0);
	c = last(e, BPF_MAP_UPDATE_ELEM);
	assert_int_equal(c->attr.map_fd, 100);
	assert_int_equal(c->attr.key, PTR(&key));
	assert_int_equal(c->attr.value, PTR(&value));
	assert_int_equal(c->attr.flags, BPF_NOEXIST);
	assert_int_equal(bpf_map_lookup_elem(100, &key, &value), 0);
	c = last(e, BPF_MAP_LOOKUP_ELEM);
	assert_int_equal(c->attr.flags, 0);
	assert_int_equal(bpf_map_lookup_elem_flags(100, &key, &value, BPF_F_LOCK), 0);
	assert_int_equal(last(e, BPF_MAP_LOOKUP_ELEM)->attr.flags, BPF_F_LOCK);
	assert_int_equal(bpf_map_lookup_and_delete_elem(100, &key, &value), 0);
	assert_int_equal(last(e, BPF_MAP_LOOKUP_AND_DELETE_ELEM)->attr.value, PTR(&value));
	assert_int_equal(bpf_map_lookup_and_delete_elem_flags(100, &key, &value, 4), 0);
	assert_int_equal(last(e, BPF_MAP_LOOKUP_AND_DELETE_ELEM)->attr.flags, 4);
	assert_int_equal(bpf_map_delete_elem(100, &key), 0);
	c = last(e, BPF_MAP_DELETE_ELEM);
	assert_int_equal(c->attr.key, PTR(&key));
	assert_int_equal(c->attr.value, 0);
	assert_int_equal(bpf_map_delete_elem_flags(100, &key, 8), 0);
	assert_int_equal(last(e, BPF_MAP_DELETE_ELEM)->attr.flags, 8);
	assert_int_equal(bpf_map_get_next_key(100, NULL, &next), 0);
	c = last(e, BPF_MAP_GET_NEXT_KEY);
	assert_int_equal(c->attr.key, 0);
	assert_int_equal(c->attr.next_key, PTR(&next));
	assert_int_equal(bpf_map_freeze(100), 0);
	assert_int_equal(last(e, BPF_MAP_FREEZE)->attr.map_fd, 100);
	fs_script_push(&e->s, BPF_MAP_GET_NEXT_KEY, -ENOENT);
	errno = 0;
	assert_int_equal(bpf_map_get_next_key(100, &key, &next), -ENOENT);
	assert_int_equal(errno, ENOENT);
}

static long batch_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	if (cmd != BPF_MAP_LOOKUP_BATCH && cmd != BPF_MAP_LOOKUP_AND_DELETE_BATCH &&
	    cmd != BPF_MAP_UPDATE_BATCH && cmd != BPF_MAP_DELETE_BATCH)
		return FS_DEFAULT;
	attr->batch.count = 2;	/* two done, then the end */
	return -ENOENT;
}

static void test_batch(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_map_batch_opts, o, .elem_flags = BPF_F_LOCK, .flags = 0);
	__u32 keys[4], vals[4], in = 0, out, count = 4;
	const struct fs_call *c;

	e->cb = batch_cb;
	errno = 0;
	assert_int_equal(bpf_map_lookup_batch(100, &in, &out, keys, vals, &count, &o), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(count, 2);	/* written back on the error too */
	c = last(e, BPF_MAP_LOOKUP_BATCH);
	assert_int_equal(c->attr.batch.map_fd, 100);
	assert_int_equal(c->attr.batch.in_batch, PTR(&in));
	assert_int_equal(c->attr.batch.out_batch, PTR(&out));
	assert_int_equal(c->attr.batch.keys, PTR(keys));
	assert_int_equal(c->attr.batch.values, PTR(vals));
	assert_int_equal(c->attr.batch.count, 4);
	assert_int_equal(c->attr.batch.elem_flags, BPF_F_LOCK);
	count = 4;
	assert_int_equal(bpf_map_lookup_and_delete_batch(100, NULL, &out, keys, vals, &count, NULL),
			 -ENOENT);
	assert_int_equal(count, 2);
	count = 4;
	assert_int_equal(bpf_map_update_batch(100, keys, vals, &count, NULL), -ENOENT);
	c = last(e, BPF_MAP_UPDATE_BATCH);
	assert_int_equal(c->attr.batch.in_batch, 0);
	count = 4;
	assert_int_equal(bpf_map_delete_batch(100, keys, &count, NULL), -ENOENT);
	c = last(e, BPF_MAP_DELETE_BATCH);
	assert_int_equal(c->attr.batch.values, 0);
	/* no count: refused */
	assert_int_equal(bpf_map_lookup_batch(100, NULL, &out, keys, vals, NULL, NULL), -EINVAL);
}

/* ---- program and BTF loads ---- */

static const struct bpf_insn prog[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static void test_prog_load(void **state)
{
	struct env *e = *state;
	int fd_array[2] = { 5, 6 };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY,
		    .prog_btf_fd = 4, .prog_flags = BPF_F_SLEEPABLE, .kern_version = 0x60100,
		    .attach_btf_id = 77, .attach_btf_obj_fd = 8, .fd_array = fd_array,
		    .func_info = prog, .func_info_cnt = 1, .func_info_rec_size = 8,
		    .line_info = fd_array, .line_info_cnt = 2, .line_info_rec_size = 16);
	const struct fs_call *c;
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "a_program_name_long", "GPL", prog, 2, &o);
	assert_true(fd >= FS_FAKE_FD_BASE);
	c = last(e, BPF_PROG_LOAD);
	assert_int_equal(c->attr.prog_type, BPF_PROG_TYPE_TRACING);
	assert_string_equal(c->attr.prog_name, "a_program_name_");
	assert_string_equal((const char *)(uintptr_t)c->attr.license, "GPL");
	assert_int_equal(c->attr.insns, PTR(prog));
	assert_int_equal(c->attr.insn_cnt, 2);
	assert_int_equal(c->attr.expected_attach_type, BPF_TRACE_FENTRY);
	assert_int_equal(c->attr.prog_btf_fd, 4);
	assert_int_equal(c->attr.prog_flags, BPF_F_SLEEPABLE);
	assert_int_equal(c->attr.kern_version, 0x60100);
	assert_int_equal(c->attr.attach_btf_id, 77);
	assert_int_equal(c->attr.attach_btf_obj_fd, 8);
	assert_int_equal(c->attr.fd_array, PTR(fd_array));
	assert_int_equal(c->attr.func_info, PTR(prog));
	assert_int_equal(c->attr.func_info_cnt, 1);
	assert_int_equal(c->attr.func_info_rec_size, 8);
	assert_int_equal(c->attr.line_info_cnt, 2);
	assert_int_equal(c->attr.line_info_rec_size, 16);
	assert_int_equal(c->attr.log_level, 0);
	assert_int_equal(c->attr.log_buf, 0);
	/* attach_prog_fd takes the shared slot when given */
	o.attach_prog_fd = 9;
	assert_true(bpf_prog_load(BPF_PROG_TYPE_EXT, NULL, "GPL", prog, 2, &o) >= 0);
	assert_int_equal(last(e, BPF_PROG_LOAD)->attr.attach_prog_fd, 9);
}

static void test_prog_load_log(void **state)
{
	struct env *e = *state;
	char log[64] = "stale";
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log));
	unsigned long before;
	const struct fs_call *c;

	/* level 0 with a buffer: no log on the first try; a failure is retried at level 1 */
	fs_script_push(&e->s, BPF_PROG_LOAD, -EACCES);
	fs_script_push(&e->s, BPF_PROG_LOAD, -EACCES);
	before = e->s.bpf_calls[BPF_PROG_LOAD];
	errno = 0;
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &o), -EACCES);
	assert_int_equal(errno, EACCES);
	assert_int_equal(e->s.bpf_calls[BPF_PROG_LOAD] - before, 2);
	c = last(e, BPF_PROG_LOAD);
	assert_int_equal(c->attr.log_level, 1);
	assert_int_equal(c->attr.log_buf, PTR(log));
	assert_int_equal(c->attr.log_size, sizeof(log));
	assert_string_equal(log, "");	/* cleared for the kernel's text */
	/* level 2: logged from the first try, no retry */
	o.log_level = 2;
	fs_script_push(&e->s, BPF_PROG_LOAD, -EACCES);
	before = e->s.bpf_calls[BPF_PROG_LOAD];
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &o), -EACCES);
	assert_int_equal(e->s.bpf_calls[BPF_PROG_LOAD] - before, 1);
	assert_int_equal(last(e, BPF_PROG_LOAD)->attr.log_level, 2);
	/* inconsistent log options: refused before any call */
	before = e->s.bpf_calls[BPF_PROG_LOAD];
	o.log_size = 0;
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &o), -EINVAL);
	o.log_buf = NULL;
	o.log_size = 0;
	o.log_level = 1;
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &o), -EINVAL);
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", NULL, 2, NULL), -EINVAL);
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 0, NULL), -EINVAL);
	assert_int_equal(e->s.bpf_calls[BPF_PROG_LOAD] - before, 0);
}

static void test_prog_load_eagain(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_prog_load_opts, o, .attempts = 2);
	unsigned long before;
	int i;

	/* the default: 5 attempts */
	for (i = 0; i < 5; i++)
		fs_script_push(&e->s, BPF_PROG_LOAD, -EAGAIN);
	before = e->s.bpf_calls[BPF_PROG_LOAD];
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, NULL), -EAGAIN);
	assert_int_equal(e->s.bpf_calls[BPF_PROG_LOAD] - before, 5);
	/* attempts = 2; the second succeeds */
	fs_script_push(&e->s, BPF_PROG_LOAD, -EAGAIN);
	before = e->s.bpf_calls[BPF_PROG_LOAD];
	assert_true(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &o) >= 0);
	assert_int_equal(e->s.bpf_calls[BPF_PROG_LOAD] - before, 2);
	o.attempts = -1;
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &o), -EINVAL);
	/* options longer than known with a non-zero tail */
	{
		struct { struct bpf_prog_load_opts o; int x; } big;

		memset(&big, 0, sizeof(big));
		big.o.sz = sizeof(big);
		big.x = 1;
		assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", prog, 2, &big.o),
				 -EINVAL);
	}
}

static void test_btf_load(void **state)
{
	struct env *e = *state;
	char log[32];
	char blob[24] = { 0 };
	LIBBPF_OPTS(bpf_btf_load_opts, o, .log_buf = log, .log_size = sizeof(log));
	const struct fs_call *c;

	assert_true(bpf_btf_load(blob, sizeof(blob), NULL) >= FS_FAKE_FD_BASE);
	c = last(e, BPF_BTF_LOAD);
	assert_int_equal(c->attr.btf, PTR(blob));
	assert_int_equal(c->attr.btf_size, sizeof(blob));
	assert_int_equal(c->attr.btf_log_level, 0);
	/* the failure's log: again at level 1 */
	fs_script_push(&e->s, BPF_BTF_LOAD, -EINVAL);
	fs_script_push(&e->s, BPF_BTF_LOAD, -EINVAL);
	assert_int_equal(bpf_btf_load(blob, sizeof(blob), &o), -EINVAL);
	c = last(e, BPF_BTF_LOAD);
	assert_int_equal(c->attr.btf_log_level, 1);
	assert_int_equal(c->attr.btf_log_buf, PTR(log));
	assert_int_equal(c->attr.btf_log_size, sizeof(log));
	o.log_buf = NULL;
	assert_int_equal(bpf_btf_load(blob, sizeof(blob), &o), -EINVAL);
	assert_int_equal(bpf_btf_load(NULL, 4, NULL), -EINVAL);
}

/* ---- pins, ids, info ---- */

static long info_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	if (cmd == BPF_OBJ_GET_INFO_BY_FD) {
		attr->info.info_len = 40;
		return 0;
	}
	if (cmd == BPF_PROG_GET_NEXT_ID) {
		attr->next_id = attr->start_id + 3;
		return 0;
	}
	return FS_DEFAULT;
}

static void test_pin_ids_info(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_obj_get_opts, go, .file_flags = BPF_F_RDONLY);
	LIBBPF_OPTS(bpf_get_fd_by_id_opts, io, .open_flags = BPF_F_WRONLY);
	struct bpf_prog_info info;
	__u32 len = sizeof(info), next = 0;
	const struct fs_call *c;

	e->cb = info_cb;
	assert_int_equal(bpf_obj_pin(100, "/sys/fs/bpf/p"), 0);
	c = last(e, BPF_OBJ_PIN);
	assert_int_equal(c->attr.bpf_fd, 100);
	assert_string_equal((const char *)(uintptr_t)c->attr.pathname, "/sys/fs/bpf/p");
	assert_int_equal(bpf_obj_pin(100, NULL), -EINVAL);
	assert_true(bpf_obj_get_opts("/sys/fs/bpf/p", &go) >= 0);
	assert_int_equal(last(e, BPF_OBJ_GET)->attr.file_flags, BPF_F_RDONLY);
	assert_true(bpf_obj_get("/sys/fs/bpf/p") >= 0);
	assert_int_equal(last(e, BPF_OBJ_GET)->attr.file_flags, 0);

	assert_int_equal(bpf_prog_get_next_id(4, &next), 0);
	assert_int_equal(next, 7);
	assert_int_equal(last(e, BPF_PROG_GET_NEXT_ID)->attr.start_id, 4);
	assert_int_equal(bpf_link_get_next_id(0, &next), -ENOENT);	/* the fake's end */
	assert_int_equal(bpf_btf_get_next_id(0, &next), -ENOENT);
	assert_true(bpf_prog_get_fd_by_id(12) >= 0);
	c = last(e, BPF_PROG_GET_FD_BY_ID);
	assert_int_equal(c->attr.prog_id, 12);
	assert_int_equal(c->attr.open_flags, 0);
	assert_true(bpf_link_get_fd_by_id_opts(13, &io) >= 0);
	c = last(e, BPF_LINK_GET_FD_BY_ID);
	assert_int_equal(c->attr.link_id, 13);
	assert_int_equal(c->attr.open_flags, BPF_F_WRONLY);
	assert_true(bpf_btf_get_fd_by_id(14) >= 0);
	assert_int_equal(last(e, BPF_BTF_GET_FD_BY_ID)->attr.btf_id, 14);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_prog_get_info_by_fd(100, &info, &len), 0);
	assert_int_equal(len, 40);
	c = last(e, BPF_OBJ_GET_INFO_BY_FD);
	assert_int_equal(c->attr.info.bpf_fd, 100);
	assert_int_equal(c->attr.info.info_len, sizeof(info));
	assert_int_equal(c->attr.info.info, PTR(&info));
	assert_int_equal(bpf_obj_get_info_by_fd(100, NULL, &len), -EINVAL);
}

/* ---- attaching ---- */

static long query_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	if (cmd != BPF_PROG_QUERY)
		return FS_DEFAULT;
	attr->query.attach_flags = BPF_F_ALLOW_MULTI;
	attr->query.prog_cnt = 3;
	return -ENOSPC;	/* the array was too small */
}

static void test_prog_attach_query(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_prog_attach_opts, ao, .flags = BPF_F_REPLACE, .replace_prog_fd = 9);
	__u32 ids[1], cnt = 1, flags = 0;
	const struct fs_call *c;

	assert_int_equal(bpf_prog_attach(100, 101, BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI), 0);
	c = last(e, BPF_PROG_ATTACH);
	assert_int_equal(c->attr.attach_bpf_fd, 100);
	assert_int_equal(c->attr.target_fd, 101);
	assert_int_equal(c->attr.attach_type, BPF_CGROUP_INET_INGRESS);
	assert_int_equal(c->attr.attach_flags, BPF_F_ALLOW_MULTI);
	assert_int_equal(bpf_prog_attach_opts(100, 101, BPF_CGROUP_INET_EGRESS, &ao), 0);
	c = last(e, BPF_PROG_ATTACH);
	assert_int_equal(c->attr.attach_flags, BPF_F_REPLACE);
	assert_int_equal(c->attr.replace_bpf_fd, 9);
	assert_int_equal(bpf_prog_detach2(100, 101, BPF_CGROUP_INET_EGRESS), 0);
	c = last(e, BPF_PROG_DETACH);
	assert_int_equal(c->attr.attach_bpf_fd, 100);
	assert_int_equal(bpf_prog_detach(101, BPF_CGROUP_INET_EGRESS), 0);
	assert_int_equal(last(e, BPF_PROG_DETACH)->attr.attach_bpf_fd, 0);

	e->cb = query_cb;
	errno = 0;
	assert_int_equal(bpf_prog_query(101, BPF_CGROUP_INET_INGRESS, BPF_F_QUERY_EFFECTIVE, &flags,
					ids, &cnt), -ENOSPC);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(cnt, 3);	/* written back: how many there are */
	assert_int_equal(flags, BPF_F_ALLOW_MULTI);
	c = last(e, BPF_PROG_QUERY);
	assert_int_equal(c->attr.query.target_fd, 101);
	assert_int_equal(c->attr.query.query_flags, BPF_F_QUERY_EFFECTIVE);
	assert_int_equal(c->attr.query.prog_ids, PTR(ids));
	assert_int_equal(c->attr.query.prog_cnt, 1);
	assert_int_equal(bpf_prog_query_opts(101, BPF_CGROUP_INET_INGRESS, NULL), -EINVAL);
}

static void test_link_create(void **state)
{
	struct env *e = *state;
	const char *syms[] = { "a", "b" };
	__u64 cookies[2] = { 1, 2 };
	union bpf_iter_link_info li;
	LIBBPF_OPTS(bpf_link_create_opts, po, .perf_event.bpf_cookie = 42);
	LIBBPF_OPTS(bpf_link_create_opts, ko, .kprobe_multi.flags = 1, .kprobe_multi.cnt = 2,
		    .kprobe_multi.syms = syms, .kprobe_multi.cookies = cookies);
	LIBBPF_OPTS(bpf_link_create_opts, to, .target_btf_id = 5, .tracing.cookie = 7);
	LIBBPF_OPTS(bpf_link_create_opts, io, .iter_info = &li, .iter_info_len = sizeof(li));
	const struct fs_call *c;
	unsigned long before;

	assert_true(bpf_link_create(100, 101, BPF_PERF_EVENT, &po) >= 0);
	c = last(e, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, 100);
	assert_int_equal(c->attr.link_create.target_fd, 101);
	assert_int_equal(c->attr.link_create.attach_type, BPF_PERF_EVENT);
	assert_int_equal(c->attr.link_create.perf_event.bpf_cookie, 42);
	assert_true(bpf_link_create(100, 0, BPF_TRACE_KPROBE_MULTI, &ko) >= 0);
	c = last(e, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.kprobe_multi.flags, 1);
	assert_int_equal(c->attr.link_create.kprobe_multi.cnt, 2);
	assert_int_equal(c->attr.link_create.kprobe_multi.syms, PTR(syms));
	assert_int_equal(c->attr.link_create.kprobe_multi.cookies, PTR(cookies));
	assert_int_equal(c->attr.link_create.kprobe_multi.addrs, 0);
	assert_true(bpf_link_create(100, 0, BPF_TRACE_FENTRY, &to) >= 0);
	c = last(e, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.target_btf_id, 5);
	assert_int_equal(c->attr.link_create.tracing.cookie, 7);
	assert_true(bpf_link_create(100, 0, BPF_TRACE_ITER, &io) >= 0);
	c = last(e, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.iter_info, PTR(&li));
	assert_int_equal(c->attr.link_create.iter_info_len, sizeof(li));
	/* iter_info and target_btf_id share a slot */
	io.target_btf_id = 3;
	assert_int_equal(bpf_link_create(100, 0, BPF_TRACE_ITER, &io), -EINVAL);

	/* an old kernel refuses LINK_CREATE for fentry: RAW_TRACEPOINT_OPEN(NULL) instead */
	fs_script_push(&e->s, BPF_LINK_CREATE, -EINVAL);
	before = e->s.bpf_calls[BPF_RAW_TRACEPOINT_OPEN];
	assert_true(bpf_link_create(100, 0, BPF_TRACE_FENTRY, NULL) >= 0);
	assert_int_equal(e->s.bpf_calls[BPF_RAW_TRACEPOINT_OPEN] - before, 1);
	c = last(e, BPF_RAW_TRACEPOINT_OPEN);
	assert_int_equal(c->attr.raw_tracepoint.name, 0);
	assert_int_equal(c->attr.raw_tracepoint.prog_fd, 100);
	/* ... but not when the request needs LINK_CREATE (a cookie, a target) */
	fs_script_push(&e->s, BPF_LINK_CREATE, -EINVAL);
	assert_int_equal(bpf_link_create(100, 0, BPF_TRACE_FENTRY, &to), -EINVAL);
	fs_script_push(&e->s, BPF_LINK_CREATE, -EINVAL);
	assert_int_equal(bpf_link_create(100, 0, BPF_CGROUP_INET_INGRESS, NULL), -EINVAL);
	assert_int_equal(e->s.bpf_calls[BPF_RAW_TRACEPOINT_OPEN] - before, 1);
	/* other errors are the result */
	fs_script_push(&e->s, BPF_LINK_CREATE, -EPERM);
	assert_int_equal(bpf_link_create(100, 0, BPF_TRACE_FENTRY, NULL), -EPERM);
}

static void test_link_ops_raw_tp(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_link_update_opts, uo, .flags = BPF_F_REPLACE, .old_prog_fd = 3);
	LIBBPF_OPTS(bpf_raw_tp_opts, ro, .tp_name = "sched_switch", .cookie = 0x1122334455667788ull);
	const struct fs_call *c;
	__u64 cookie;

	assert_int_equal(bpf_link_update(102, 100, &uo), 0);
	c = last(e, BPF_LINK_UPDATE);
	assert_int_equal(c->attr.link_update.link_fd, 102);
	assert_int_equal(c->attr.link_update.new_prog_fd, 100);
	assert_int_equal(c->attr.link_update.flags, BPF_F_REPLACE);
	assert_int_equal(c->attr.link_update.old_prog_fd, 3);
	assert_int_equal(bpf_link_detach(102), 0);
	assert_int_equal(last(e, BPF_LINK_DETACH)->attr.link_detach.link_fd, 102);
	assert_true(bpf_iter_create(102) >= 0);
	assert_int_equal(last(e, BPF_ITER_CREATE)->attr.iter_create.link_fd, 102);
	assert_true(bpf_raw_tracepoint_open("sys_enter", 100) >= 0);
	c = last(e, BPF_RAW_TRACEPOINT_OPEN);
	assert_string_equal((const char *)(uintptr_t)c->attr.raw_tracepoint.name, "sys_enter");
	/* the cookie (Linux 6.10) right after prog_fd */
	assert_true(bpf_raw_tracepoint_open_opts(100, &ro) >= 0);
	c = last(e, BPF_RAW_TRACEPOINT_OPEN);
	memcpy(&cookie, (const char *)&c->attr + 16, sizeof(cookie));
	assert_true(cookie == 0x1122334455667788ull);
}

static long test_run_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	if (cmd != BPF_PROG_TEST_RUN)
		return FS_DEFAULT;
	attr->test.retval = 2;
	attr->test.duration = 33;
	attr->test.data_size_out = 14;
	attr->test.ctx_size_out = 4;
	return 0;
}

/* An options struct as an older caller knew it: up to ctx_size_out, no retval/duration. */
struct old_test_run_opts {
	size_t sz;
	const void *data_in;
	void *data_out;
	__u32 data_size_in;
	__u32 data_size_out;
	const void *ctx_in;
	void *ctx_out;
	__u32 ctx_size_in;
	__u32 ctx_size_out;
};

static void test_test_run(void **state)
{
	struct env *e = *state;
	char in[14], out[64], ctx_in[4];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = sizeof(in),
		    .data_out = out, .data_size_out = sizeof(out), .ctx_in = ctx_in,
		    .ctx_size_in = sizeof(ctx_in), .repeat = 3, .flags = 1, .cpu = 2,
		    .batch_size = 4);
	struct { struct old_test_run_opts o; __u32 guard; } old;
	const struct fs_call *c;

	e->cb = test_run_cb;
	assert_int_equal(bpf_prog_test_run_opts(100, &o), 0);
	c = last(e, BPF_PROG_TEST_RUN);
	assert_int_equal(c->attr.test.prog_fd, 100);
	assert_int_equal(c->attr.test.data_in, PTR(in));
	assert_int_equal(c->attr.test.data_size_in, sizeof(in));
	assert_int_equal(c->attr.test.data_size_out, sizeof(out));
	assert_int_equal(c->attr.test.ctx_size_in, sizeof(ctx_in));
	assert_int_equal(c->attr.test.repeat, 3);
	assert_int_equal(c->attr.test.flags, 1);
	assert_int_equal(c->attr.test.cpu, 2);
	assert_int_equal(c->attr.test.batch_size, 4);
	assert_int_equal(o.retval, 2);
	assert_int_equal(o.duration, 33);
	assert_int_equal(o.data_size_out, 14);
	assert_int_equal(o.ctx_size_out, 4);
	/* an older struct gets only the outputs it has: nothing past its end is written */
	memset(&old, 0, sizeof(old));
	old.o.sz = sizeof(old.o);
	old.guard = 0xabababab;
	assert_int_equal(bpf_prog_test_run_opts(100, (struct bpf_test_run_opts *)&old.o), 0);
	assert_int_equal(old.o.data_size_out, 14);
	assert_int_equal(old.guard, 0xabababab);
	assert_int_equal(bpf_prog_test_run_opts(100, NULL), -EINVAL);
}

static long fdq_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	if (cmd != BPF_TASK_FD_QUERY)
		return FS_DEFAULT;
	attr->task_fd_query.prog_id = 9;
	attr->task_fd_query.fd_type = BPF_FD_TYPE_KPROBE;
	attr->task_fd_query.probe_offset = 16;
	attr->task_fd_query.probe_addr = 0xffff;
	attr->task_fd_query.buf_len = 5;
	return 0;
}

static void test_small_commands(void **state)
{
	struct env *e = *state;
	char buf[32];
	__u32 len = sizeof(buf), prog_id, fd_type;
	__u64 off, addr;
	LIBBPF_OPTS(bpf_prog_bind_opts, bo, .flags = 0);
	const struct fs_call *c;

	e->cb = fdq_cb;
	assert_int_equal(bpf_task_fd_query(7, 8, 0, buf, &len, &prog_id, &fd_type, &off, &addr), 0);
	c = last(e, BPF_TASK_FD_QUERY);
	assert_int_equal(c->attr.task_fd_query.pid, 7);
	assert_int_equal(c->attr.task_fd_query.fd, 8);
	assert_int_equal(c->attr.task_fd_query.buf_len, sizeof(buf));
	assert_int_equal(len, 5);
	assert_int_equal(prog_id, 9);
	assert_int_equal(fd_type, BPF_FD_TYPE_KPROBE);
	assert_int_equal(off, 16);
	assert_int_equal(addr, 0xffff);
	assert_true(bpf_enable_stats(BPF_STATS_RUN_TIME) >= 0);
	assert_int_equal(last(e, BPF_ENABLE_STATS)->attr.enable_stats.type, BPF_STATS_RUN_TIME);
	assert_int_equal(bpf_prog_bind_map(100, 101, &bo), 0);
	c = last(e, BPF_PROG_BIND_MAP);
	assert_int_equal(c->attr.prog_bind_map.prog_fd, 100);
	assert_int_equal(c->attr.prog_bind_map.map_fd, 101);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_create, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_low_fd_moved, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_elem_ops, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_prog_load, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_prog_load_log, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_prog_load_eagain, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_btf_load, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_pin_ids_info, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_prog_attach_query, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_link_create, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_link_ops_raw_tp, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_test_run, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_small_commands, setup_table, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
