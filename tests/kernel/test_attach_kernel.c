// SPDX-License-Identifier: BSD-2-Clause
/*
 * The attach layer against the real kernel (root, working bpf(2); the
 * build/bpf fixtures): tracepoints through perf links and through the
 * ioctl path, raw_tp, tp_btf and iterators firing, pinned links outliving
 * the object, and a fault sweep that leaves no fd and no kernel link.
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
#include "fake_sys.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N_WRITES 16

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
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
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
	assert_true(ctx->feat.perf_link ? link->fd >= 0 : link->fd == -1);
	expect_counting(mm + cnt_off, true);
	bbpf_link_destroy(link);
	expect_counting(mm + cnt_off, false);

	/* the PERF_EVENT_IOC_SET_BPF path of older kernels */
	ctx->feat.perf_link = false;
	assert_int_equal(bbpf_program_attach(prog, &link), 0);
	assert_int_equal(link->fd, -1);	/* no BPF link: the event is the attachment */
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
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
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

/* test_kern_pin's pins, removed by its teardown also when an assert fails */
static void kern_pin_paths(char *lpath, char *mpath, size_t size)
{
	snprintf(lpath, size, "/sys/fs/bpf/bbpf_test_attach_%d_link", (int)getpid());
	snprintf(mpath, size, "/sys/fs/bpf/bbpf_test_attach_%d_bss", (int)getpid());
}

static int kern_pin_teardown(void **state)
{
	char lpath[128], mpath[128];

	(void)state;
	kern_pin_paths(lpath, mpath, sizeof(lpath));
	unlink(lpath);
	unlink(mpath);
	return 0;
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
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	kern_pin_paths(lpath, mpath, sizeof(lpath));
	ctx = real_ctx(NULL, false);
	obj = open_minimal(ctx, &bss, &cnt_off);
	prog = bbpf_object_find_program(obj, "handle_tp");
	assert_int_equal(bbpf_program_attach(prog, &link), 0);
	assert_true(link->fd >= 0);
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
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
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
	bbpf_object_detach(obj);
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
			bbpf_object_detach(obj);
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
		cmocka_unit_test(test_kern_tracepoint),
		cmocka_unit_test(test_kern_progs),
		cmocka_unit_test_teardown(test_kern_pin, kern_pin_teardown),
		cmocka_unit_test(test_kern_fault_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
