// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tracing attach kinds of include/barebpf/attach.h on this kernel
 * (root, working bpf(2); `make fixtures`): trace_kinds.bpf.o's programs
 * attached through the public calls, each seen firing (its counter for
 * this process rises with every getpid(2), and it read back the cookie
 * its attach gave it), then detached: the counter stops, and neither
 * bpftool link show nor the kernel's link ids hold a link of the program.
 *
 *  - tracepoint with a cookie (perf link), raw tracepoint with a cookie
 *    (6.10+), tp_btf with a cookie (BPF_LINK_CREATE tracing.cookie);
 *  - a task iterator given one process through link_info (map element
 *    iterators are refused at load here: the 6.1 guest runs them);
 *  - perf_event: a software clock on every online CPU as one link (fires
 *    on each CPU), and a caller's event (borrowed: still open after the
 *    link goes; through the perf link and through the ioctl);
 *  - freplace of a global function of a loaded tc program
 *    (bbpf_program_set_attach_target + bbpf_program_attach_freplace), seen
 *    through BPF_PROG_TEST_RUN's return value.
 * kprobes, fentry/fexit/fmod_ret and lsm need the 6.1 guest
 * (tests/kernels); kprobe.multi needs CONFIG_FPROBE, which neither kernel
 * has (tests/unit/test_attach_trace.c: ..._fake_kernel_no_fprobe_here).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <cmocka.h>

#include "kernel_avail.h"
#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "attach/attach.h"
#include "proc_run.h"
#include "ref_tools.h"

#define N_CALLS 20
#define COOKIE 0x5eed0000c00c1e5ull

static void print_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN)
		print_message("  log: %s\n", msg);
}

struct kobj {
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	struct bbpf_map *bss;
	uint8_t *mem;
};

static size_t global_off(struct kobj *k, const char *name)
{
	struct bbpf_map *m;
	size_t off, size;

	if (bbpf_object_find_global(k->obj, name, &m, &off, &size))
		fail_msg("no global '%s'", name);
	k->bss = m;
	return off;
}

static void open_load(struct kobj *k, const char *file)
{
	struct bbpf_ctx_opts co = { .log = print_log };
	struct bbpf_open_opts oo = { .log = print_log };
	struct bbpf_load_opts lo = { 0 };
	char path[512];
	uint8_t *iv;
	size_t size;
	int pid = getpid(), err;
	long nr = SYS_getpid;

	memset(k, 0, sizeof(*k));
	assert_int_equal(bbpf_ctx_new(&k->ctx, &co), 0);
	snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, file);
	err = bbpf_object_open_file(&k->obj, path, &oo, NULL);
	if (err)
		fail_msg("open %s: %d (run `make fixtures`)", path, err);
	if (!strcmp(file, "trace_kinds.bpf.o")) {
		size_t pid_off = global_off(k, "my_pid"), nr_off = global_off(k, "nr_getpid");

		iv = bbpf_map_initial_value(k->bss, &size);
		assert_non_null(iv);
		memcpy(iv + pid_off, &pid, sizeof(pid));
		memcpy(iv + nr_off, &nr, sizeof(nr));
	}
	lo.ctx = k->ctx;
	err = bbpf_object_load(k->obj, &lo);
	if (err)
		fail_msg("load %s: %d (the loader's failure, not attach's)", file, err);
	if (k->bss)
		k->mem = bbpf_map_mmaped(k->bss, NULL);
}

static void close_obj(struct kobj *k)
{
	bbpf_object_close(k->obj);
	bbpf_ctx_free(k->ctx);
}

static uint64_t u64_at(struct kobj *k, const char *name)
{
	uint64_t v;

	__atomic_load((const uint64_t *)(const void *)(k->mem + global_off(k, name)), &v,
		      __ATOMIC_SEQ_CST);
	return v;
}

static struct bbpf_program *prog_of(struct kobj *k, const char *name)
{
	struct bbpf_program *p = bbpf_object_find_program(k->obj, name);

	assert_non_null(p);
	assert_true(bbpf_program_fd(p) >= 0);
	return p;
}

static void getpids(int n)
{
	int i;

	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
}

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, fd, &info, &len), 0);
	return info.id;
}

/* Ids of the kernel's links whose program is prog_id. */
static size_t links_of(uint32_t pid_, uint32_t *ids, size_t max)
{
	uint32_t cur = 0, next;
	size_t n = 0;

	while (bbpf_cmd_link_get_next_id(&bbpf_sys_linux, cur, &next) == 0) {
		union bpf_attr a;
		struct bpf_link_info info;
		uint32_t len = sizeof(info);
		long fd;

		cur = next;
		memset(&a, 0, sizeof(a));
		a.link_id = next;
		fd = bbpf_bpf(&bbpf_sys_linux, BPF_LINK_GET_FD_BY_ID, &a);
		if (fd < 0)
			continue;	/* gone meanwhile */
		memset(&info, 0, sizeof(info));
		if (!bbpf_cmd_obj_info(&bbpf_sys_linux, (int)fd, &info, &len) &&
		    info.prog_id == pid_ && n < max)
			ids[n++] = next;
		close((int)fd);
	}
	return n;
}

/* bpftool link show -j: does any link name program id? */
static bool bpftool_has_link(uint32_t pid_)
{
	const char *bpftool = ref_bpftool();
	char cmd[256], pat[64], *out, *p;
	bool found;

	if (!bpftool)
		fail_msg("bpftool not found (a missing reference tool is a failure)");
	snprintf(cmd, sizeof(cmd), "%s link show -j 2>&1", bpftool);
	out = proc_capture(cmd);
	assert_non_null(out);
	snprintf(pat, sizeof(pat), "\"prog_id\":%u", pid_);
	for (found = false, p = out; !found && (p = strstr(p, pat)); p++)
		found = p[strlen(pat)] < '0' || p[strlen(pat)] > '9';
	free(out);
	return found;
}

/* While attached: a link of the program; after: none (links go asynchronously: 2 s). */
static void expect_no_links(uint32_t pid_)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	uint32_t ids[8];
	int tries;

	for (tries = 0; tries < 200 && links_of(pid_, ids, 8); tries++)
		nanosleep(&ts, NULL);
	assert_int_equal(links_of(pid_, ids, 8), 0);
	assert_false(bpftool_has_link(pid_));
}

/* The counter rises by >= N_CALLS per N_CALLS getpid()s, then the cookie is checked. */
static void expect_fires(struct kobj *k, const char *hits, const char *cookie, uint64_t want)
{
	uint64_t before = u64_at(k, hits);

	getpids(N_CALLS);
	if (u64_at(k, hits) < before + N_CALLS)
		fail_msg("%s: %llu -> %llu after %d getpid()s", hits, (unsigned long long)before,
			 (unsigned long long)u64_at(k, hits), N_CALLS);
	if (cookie && u64_at(k, cookie) != want)
		fail_msg("%s = %#llx, attached with %#llx", cookie,
			 (unsigned long long)u64_at(k, cookie), (unsigned long long)want);
}

static void expect_stopped(struct kobj *k, const char *hits)
{
	uint64_t before = u64_at(k, hits);

	getpids(N_CALLS);
	assert_int_equal(u64_at(k, hits), before);
}

static void test_tracepoint_cookie(void **state)
{
	struct bbpf_tracepoint_opts o = { .bpf_cookie = COOKIE };
	struct bbpf_program *p;
	struct bbpf_link *link;
	struct kobj k;
	uint32_t ids[8], pid_;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "tp_getpid");
	pid_ = prog_id(bbpf_program_fd(p));
	assert_int_equal(bbpf_program_attach_tracepoint(p, "syscalls", "sys_enter_getpid", &o,
							&link), 0);
	assert_true(link->fd >= 0);	/* a perf link: 5.15+ */
	assert_int_equal(links_of(pid_, ids, 8), 1);
	assert_true(bpftool_has_link(pid_));
	expect_fires(&k, "tp_hits", "tp_cookie", COOKIE);
	bbpf_link_destroy(link);
	expect_stopped(&k, "tp_hits");
	expect_no_links(pid_);

	/* the ioctl path cannot carry a cookie: refused, nothing left */
	k.ctx->feat.perf_link = false;
	assert_int_equal(bbpf_program_attach_tracepoint(p, "syscalls", "sys_enter_getpid", &o,
							&link), -EOPNOTSUPP);
	o.bpf_cookie = 0;
	assert_int_equal(bbpf_program_attach_tracepoint(p, "syscalls", "sys_enter_getpid", &o,
							&link), 0);
	assert_int_equal(link->fd, -1);
	expect_fires(&k, "tp_hits", "tp_cookie", 0);
	bbpf_link_destroy(link);
	expect_stopped(&k, "tp_hits");
	k.ctx->feat.perf_link = true;
	/* misuse */
	assert_int_equal(bbpf_program_attach_tracepoint(p, "syscalls", "../x", &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_tracepoint(p, "syscalls", "no_such_tp", &o, &link),
			 -ENOENT);
	close_obj(&k);
}

static void test_raw_tp_cookie(void **state)
{
	struct bbpf_raw_tracepoint_opts o = { .cookie = COOKIE + 1 };
	struct bbpf_program *p;
	struct bbpf_link *link;
	struct kobj k;
	uint32_t ids[8], pid_;

	(void)state;
	TK_NEED_KERNEL();
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "raw_sys_enter");
	pid_ = prog_id(bbpf_program_fd(p));
	assert_int_equal(bbpf_program_attach_raw_tracepoint(p, "sys_enter", &o, &link), 0);
	assert_int_equal(links_of(pid_, ids, 8), 1);
	assert_true(bpftool_has_link(pid_));
	expect_fires(&k, "raw_hits", "raw_cookie", COOKIE + 1);
	bbpf_link_destroy(link);
	expect_stopped(&k, "raw_hits");
	expect_no_links(pid_);
	/* without a cookie: the plain open, cookie 0 */
	assert_int_equal(bbpf_program_attach_raw_tracepoint(p, "sys_enter", NULL, &link), 0);
	expect_fires(&k, "raw_hits", "raw_cookie", 0);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach_raw_tracepoint(p, "no_such_tp", &o, &link), -ENOENT);
	close_obj(&k);
}

static void test_tp_btf_cookie(void **state)
{
	struct bbpf_trace_opts o = { .cookie = COOKIE + 2 };
	struct bbpf_program *p;
	struct bbpf_link *link;
	struct kobj k;
	uint32_t ids[8], pid_;

	(void)state;
	TK_NEED_KERNEL();
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "btf_sys_enter");
	pid_ = prog_id(bbpf_program_fd(p));
	assert_int_equal(bbpf_program_attach_trace(p, &o, &link), 0);
	assert_int_equal(links_of(pid_, ids, 8), 1);
	assert_true(bpftool_has_link(pid_));
	expect_fires(&k, "btf_hits", "btf_cookie", COOKIE + 2);
	bbpf_link_destroy(link);
	expect_stopped(&k, "btf_hits");
	expect_no_links(pid_);
	close_obj(&k);
}

/* One read of an iterator: the tgids it wrote. */
static size_t read_iter(struct bbpf_link *link, int *tgids, size_t max)
{
	char buf[1 << 16];
	size_t got = 0;
	ssize_t n;
	int fd = bbpf_link_iter_create(link);

	assert_true(fd >= 0);
	while ((n = read(fd, buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	assert_int_equal(n, 0);
	close(fd);
	assert_int_equal(got % sizeof(int), 0);
	if (got / sizeof(int) <= max)
		memcpy(tgids, buf, got);
	return got / sizeof(int);
}

/*
 * iter/task given this process through link_info (6.1+): only its threads.
 * (Map element iterators take a map the same way; this kernel refuses
 * them at load: the 6.1 guest runs iter_map_elem.bpf.o.)
 */
static void test_iter_link_info(void **state)
{
	union bpf_iter_link_info li;
	struct bbpf_iter_attach_opts o = { .link_info = &li, .link_info_len = sizeof(li) };
	struct bbpf_program *p;
	struct bbpf_link *link;
	struct kobj k;
	int tgids[64];
	uint32_t pid_;
	size_t n, i;

	(void)state;
	TK_NEED_KERNEL();
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "walk_tasks");
	pid_ = prog_id(bbpf_program_fd(p));
	/* every task without link_info */
	assert_int_equal(bbpf_program_attach_iter(p, NULL, &link), 0);
	n = read_iter(link, tgids, 0);
	assert_true(n > 1);
	assert_true(u64_at(&k, "iter_other_tgid") > 0);
	bbpf_link_destroy(link);
	/* this process only */
	memset(&li, 0, sizeof(li));
	li.task.pid = (uint32_t)getpid();
	assert_int_equal(bbpf_program_attach_iter(p, &o, &link), 0);
	assert_true(bpftool_has_link(pid_));
	n = read_iter(link, tgids, 64);
	assert_true(n >= 1 && n <= 64);
	for (i = 0; i < n; i++)
		assert_int_equal(tgids[i], getpid());
	bbpf_link_destroy(link);
	expect_no_links(pid_);
	/* link_info without its length: misuse */
	o.link_info_len = 0;
	assert_int_equal(bbpf_program_attach_iter(p, &o, &link), -EINVAL);
	close_obj(&k);
}

/* Run on each online CPU for a while, so a cpu-clock sample lands there. */
static void busy_everywhere(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), cpu;
	cpu_set_t set, old;
	struct timespec t0, t1;

	assert_int_equal(sched_getaffinity(0, sizeof(old), &old), 0);
	for (cpu = 0; cpu < ncpu && cpu < CPU_SETSIZE; cpu++) {
		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t1);
		while ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 60000000L);
	}
	sched_setaffinity(0, sizeof(old), &old);
}

static int online_cpus(uint8_t *online, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int lo, hi, n = 0, c;
	char sep;

	assert_non_null(f);
	memset(online, 0, (size_t)max);
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		sep = (char)fgetc(f);
		if (sep == '-') {
			assert_int_equal(fscanf(f, "%d", &hi), 1);
			sep = (char)fgetc(f);
		}
		for (c = lo; c <= hi && c < max; c++, n++)
			online[c] = 1;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

static void test_perf_event_every_cpu(void **state)
{
	struct bbpf_perf_cpus_opts o = { .freq = 1000, .bpf_cookie = COOKIE + 3 };
	uint64_t before[256], after[256];
	uint8_t online[256];
	struct bbpf_program *p;
	struct bbpf_link *link;
	size_t off, i, events = 0;
	struct kobj k;
	uint32_t pid_;
	int n, cpu;

	(void)state;
	TK_NEED_KERNEL();
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "on_sample");
	pid_ = prog_id(bbpf_program_fd(p));
	off = global_off(&k, "perf_hits");
	n = online_cpus(online, 256);
	assert_true(n > 0);
	assert_int_equal(bbpf_program_attach_perf_event_cpus(p, &o, &link), 0);
	/* one perf event and one BPF link per online CPU, all in the one link */
	for (i = 0; i < link->undo_cnt; i++)
		events += link->undo[i].kind == BBPF_UNDO_CLOSE;
	assert_int_equal(events, 2 * (size_t)n);
	assert_int_equal(link->fd, -1);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/bbpf_never"), -EOPNOTSUPP);
	assert_true(bpftool_has_link(pid_));
	memcpy(before, k.mem + off, sizeof(before));
	busy_everywhere();
	memcpy(after, k.mem + off, sizeof(after));
	for (cpu = 0; cpu < 256; cpu++)
		if (online[cpu] && after[cpu] <= before[cpu])
			fail_msg("no sample on cpu %d (%llu -> %llu)", cpu,
				 (unsigned long long)before[cpu], (unsigned long long)after[cpu]);
	assert_int_equal(u64_at(&k, "perf_cookie"), COOKIE + 3);
	bbpf_link_destroy(link);
	expect_no_links(pid_);
	memcpy(before, k.mem + off, sizeof(before));
	busy_everywhere();
	assert_memory_equal(before, k.mem + off, sizeof(before));
	close_obj(&k);
}

static long open_clock(int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.freq = 1;
	a.sample_freq = 1000;
	return syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static uint64_t cpu0_hits(struct kobj *k)
{
	uint64_t v;

	__atomic_load((const uint64_t *)(const void *)(k->mem + global_off(k, "perf_hits")), &v,
		      __ATOMIC_SEQ_CST);
	return v;
}

/* The caller's event, through a perf link and through the ioctl: borrowed, never closed. */
static void test_perf_event_caller_fd(void **state)
{
	struct bbpf_perf_event_opts o = { .bpf_cookie = COOKIE + 4 };
	struct bbpf_program *p;
	struct bbpf_link *link;
	struct kobj k;
	uint64_t h;
	uint32_t pid_;
	long pfd;
	int round;

	(void)state;
	TK_NEED_KERNEL();
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "on_sample");
	pid_ = prog_id(bbpf_program_fd(p));
	for (round = 0; round < 2; round++) {
		pfd = open_clock(0);
		assert_true(pfd >= 0);
		o.force_ioctl_attach = round == 1;
		o.bpf_cookie = round == 1 ? 0 : COOKIE + 4;
		assert_int_equal(bbpf_program_attach_perf_event(p, (int)pfd, &o, &link), 0);
		assert_int_equal(bbpf_link_fd(link), round == 1 ? pfd : link->fd);
		h = cpu0_hits(&k);
		busy_everywhere();
		assert_true(cpu0_hits(&k) > h);
		assert_int_equal(u64_at(&k, "perf_cookie"), o.bpf_cookie);
		bbpf_link_destroy(link);
		/* the fd is the caller's: still open */
		assert_true(fcntl((int)pfd, F_GETFD) >= 0);
		if (round == 0)
			expect_no_links(pid_);
		/* detached (link gone) or disabled (ioctl): no more samples */
		h = cpu0_hits(&k);
		busy_everywhere();
		assert_int_equal(cpu0_hits(&k), h);
		close((int)pfd);
	}
	assert_int_equal(bbpf_program_attach_perf_event(p, -1, NULL, &link), -EINVAL);
	/* a cookie needs the perf link */
	pfd = open_clock(0);
	o.force_ioctl_attach = true;
	o.bpf_cookie = 1;
	assert_int_equal(bbpf_program_attach_perf_event(p, (int)pfd, &o, &link), -EOPNOTSUPP);
	assert_true(fcntl((int)pfd, F_GETFD) >= 0);
	close((int)pfd);
	close_obj(&k);
}

static int test_run(int prog_fd, uint32_t *retval)
{
	uint8_t pkt[64] = { 0 };
	union bpf_attr a;
	long err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.data_in = (uint64_t)(uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = 1;
	err = bbpf_bpf(&bbpf_sys_linux, BPF_PROG_TEST_RUN, &a);
	*retval = a.test.retval;
	return (int)err;
}

/* The last BPF_PROG_LOAD of an EXT program, recorded in front of the real table. */
struct load_rec {
	union bpf_attr attr;
	bool seen;
};

static long rec_bpf(void *c, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct load_rec *r = c;

	if (cmd == BPF_PROG_LOAD && attr->prog_type == BPF_PROG_TYPE_EXT) {
		r->attr = *attr;
		r->seen = true;
	}
	return bbpf_sys_linux.bpf(bbpf_sys_linux.ctx, cmd, attr, size);
}

/* bpftool's id of FUNC name in BTF object btf_id (the reference for ours). */
static uint32_t bpftool_func_id(uint32_t btf_id, const char *name)
{
	char cmd[256], pat[128], *out, *p;
	unsigned int id = 0;

	snprintf(cmd, sizeof(cmd), "%s btf dump id %u 2>&1", ref_bpftool(), btf_id);
	out = proc_capture(cmd);
	assert_non_null(out);
	snprintf(pat, sizeof(pat), "] FUNC '%s' ", name);
	p = strstr(out, pat);
	if (p) {
		while (p > out && p[-1] != '[')
			p--;
		id = (unsigned int)strtoul(p, NULL, 10);
	}
	free(out);
	return id;
}

/*
 * freplace of a tc program's global function. BPF_PROG_LOAD of the EXT
 * program must name the target program and get_val's id in its BTF (as
 * bpftool reads that BTF); this kernel refuses the load itself with EPERM,
 * as it refuses fentry (lockdown), so the replacement is run on the 6.1
 * guest (tests/kernels). Where the load succeeds, the test goes on: the
 * replaced function runs while linked, the original after.
 */
static void test_freplace(void **state)
{
	struct bbpf_program *ext, *tgt;
	struct bbpf_link *link;
	struct kobj t, e;
	struct bbpf_open_opts oo = { .log = print_log };
	struct bbpf_load_opts lo = { 0 };
	struct load_rec rec = { 0 };
	struct bbpf_sys sys = bbpf_sys_linux;
	struct bpf_prog_info info;
	uint32_t ret, pid_, len = sizeof(info);
	char path[512];
	int tfd, err;

	(void)state;
	TK_NEED_KERNEL();
	assert_non_null(ref_bpftool());
	open_load(&t, "freplace_target.bpf.o");
	tgt = prog_of(&t, "call_get_val");
	tfd = bbpf_program_fd(tgt);
	assert_int_equal(test_run(tfd, &ret), 0);
	assert_int_equal(ret, 2);	/* get_val(1) as written */
	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, tfd, &info, &len), 0);
	assert_true(info.btf_id > 0);

	memset(&e, 0, sizeof(e));
	sys.ctx = &rec;
	sys.bpf = rec_bpf;
	assert_int_equal(bbpf_ctx_new(&e.ctx, &(struct bbpf_ctx_opts){ .log = print_log,
							       .sys = &sys }), 0);
	snprintf(path, sizeof(path), "%s/freplace_ext.bpf.o", BBPF_FIXTURE_DIR);
	assert_int_equal(bbpf_object_open_file(&e.obj, path, &oo, NULL), 0);
	ext = bbpf_object_find_program(e.obj, "new_get_val");
	assert_non_null(ext);
	/* without a target program the load cannot find get_val, and says so before the kernel */
	lo.ctx = e.ctx;
	assert_int_equal(bbpf_object_load(e.obj, &lo), -EINVAL);
	assert_false(rec.seen);
	assert_int_equal(bbpf_program_set_attach_target(ext, -1, "get_val"), -EINVAL);
	assert_int_equal(bbpf_program_set_attach_target(ext, 0, NULL), -EINVAL);
	assert_int_equal(bbpf_program_set_attach_target(ext, tfd, "no_such_func"), 0);
	assert_int_equal(bbpf_object_load(e.obj, &lo), -ESRCH);
	assert_false(rec.seen);
	assert_int_equal(bbpf_program_set_attach_target(ext, tfd, "get_val"), 0);
	err = bbpf_object_load(e.obj, &lo);
	assert_true(rec.seen);
	assert_int_equal(rec.attr.attach_prog_fd, tfd);
	assert_int_equal(rec.attr.attach_btf_id, bpftool_func_id(info.btf_id, "get_val"));
	assert_true(rec.attr.attach_btf_id > 0);
	if (err == -EPERM) {
		print_message("  BPF_PROG_LOAD of the EXT program: EPERM on this kernel (as fentry); "
			      "freplace runs on the 6.1 guest\n");
		assert_int_equal(bbpf_program_attach_freplace(ext, tfd, "get_val", &link), -EINVAL);
		close_obj(&e);
		close_obj(&t);
		return;
	}
	if (err)
		fail_msg("freplace load: %d", err);
	assert_int_equal(bbpf_program_set_attach_target(ext, tfd, "get_val"), -EINVAL);	/* loaded */
	pid_ = prog_id(bbpf_program_fd(ext));
	/* misuse: half a target, a program that is no freplace */
	assert_int_equal(bbpf_program_attach_freplace(ext, tfd, NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_freplace(tgt, tfd, "get_val", &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_freplace(ext, tfd, "no_such_func", &link), -ESRCH);
	assert_int_equal(bbpf_program_attach_freplace(ext, tfd, "get_val", &link), 0);
	assert_true(bpftool_has_link(pid_));
	assert_int_equal(test_run(tfd, &ret), 0);
	assert_int_equal(ret, 1001);	/* replaced */
	bbpf_link_destroy(link);
	expect_no_links(pid_);
	assert_int_equal(test_run(tfd, &ret), 0);
	assert_int_equal(ret, 2);
	/* the target given at load: auto-attach */
	assert_int_equal(bbpf_object_attach(e.obj), 0);
	assert_int_equal(test_run(tfd, &ret), 0);
	assert_int_equal(ret, 1001);
	close_obj(&e);
	expect_no_links(pid_);
	assert_int_equal(test_run(tfd, &ret), 0);
	assert_int_equal(ret, 2);
	close_obj(&t);
}

/* kprobes: this kernel has none (no PMU, no kprobe_events); the calls say so and leave nothing. */
static void test_no_kprobes_here(void **state)
{
	struct bbpf_kprobe_opts o = { .attach_mode = BBPF_PROBE_ATTACH_PERF };
	struct bbpf_program *p;
	struct bbpf_link *link;
	struct kobj k;

	(void)state;
	TK_NEED_KERNEL();
	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0) {
		print_message("  this kernel has kprobes: covered by the 6.1 guest instead\n");
		return;
	}
	open_load(&k, "trace_kinds.bpf.o");
	p = prog_of(&k, "tp_getpid");	/* any program: the kernel refuses before it matters */
	assert_int_equal(bbpf_program_attach_kprobe(p, "do_nanosleep", &o, &link), -EOPNOTSUPP);
	o.attach_mode = BBPF_PROBE_ATTACH_LINK;
	assert_int_equal(bbpf_program_attach_kprobe(p, "do_nanosleep", &o, &link), -EOPNOTSUPP);
	o.attach_mode = BBPF_PROBE_ATTACH_DEFAULT;
	/* the legacy path: no kprobe_events file */
	assert_int_equal(bbpf_program_attach_kprobe(p, "do_nanosleep", &o, &link), -ENOENT);
	assert_int_equal(bbpf_program_attach_ksyscall(p, "getpid", NULL, &link), -ENOENT);
	o.attach_mode = 99;
	assert_int_equal(bbpf_program_attach_kprobe(p, "do_nanosleep", &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_kprobe(p, "x\n-:kprobes/y", NULL, &link), -EINVAL);
	close_obj(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracepoint_cookie),
		cmocka_unit_test(test_raw_tp_cookie),
		cmocka_unit_test(test_tp_btf_cookie),
		cmocka_unit_test(test_iter_link_info),
		cmocka_unit_test(test_perf_event_every_cpu),
		cmocka_unit_test(test_perf_event_caller_fd),
		cmocka_unit_test(test_freplace),
		cmocka_unit_test(test_no_kprobes_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
