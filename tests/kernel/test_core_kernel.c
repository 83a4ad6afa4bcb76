// SPDX-License-Identifier: BSD-2-Clause
/*
 * CO-RE against the running kernel, end to end (issue 4, "Kernel tests").
 *
 * A child process started here has a worker thread named "bbpf-core-kid"
 * (pid != tgid, SCHED_RESET_ON_FORK set) that loops on getppid(2).
 * tests/bpf/core_task.bpf.c, filtered on the child's tgid through a
 * .rodata global set before load, reads the current task with CO-RE in
 * tp/syscalls/sys_enter_getppid; the values it leaves in .bss are compared
 * with /proc/<child>/status, /proc/<child>/task/<tid>/{status,comm} and
 * with what bpftool reports from /sys/kernel/btf/vmlinux (field offset and
 * size, enumerator value). The same object is loaded with CO-RE done by the
 * kernel, by barebpf's engine, by barebpf against a caller-given copy of
 * the vmlinux BTF (BBPF_CORE_USER and BBPF_CORE_AUTO): every mode must give
 * the same values and the same translated instructions.
 *
 * tests/bpf/core_poison.bpf.c reads a missing field unguarded: the
 * instruction is poisoned and the verifier's "invalid func
 * unknown#195896080" must reach the log callback, in every mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "lk_util.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

#define KID_COMM "bbpf-core-kid"
#define POISON_MSG "invalid func unknown#195896080"
#define MAX_XLATED 1024

/* ---- the child: cleaned up by teardown in every path ---- */

static pid_t kid = -1;
static char btf_copy[64];

static void *kid_worker(void *arg)
{
	struct sched_param sp = { 0 };
	struct timespec ts = { 0, 1000 * 1000 };
	int32_t msg[2];
	int wfd = *(int *)arg;

	prctl(PR_SET_NAME, KID_COMM, 0, 0, 0);
	msg[0] = (int32_t)syscall(SYS_gettid);
	msg[1] = sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp) == 0;
	if (write(wfd, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		_exit(3);
	for (;;) {
		syscall(SYS_getppid);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void kid_main(int wfd)
{
	pthread_t th;
	int fd;

	/* hold no bpf fd of the parent's */
	for (fd = 3; fd < 1024; fd++)
		if (fd != wfd)
			close(fd);
	prctl(PR_SET_NAME, "bbpf-core-main", 0, 0, 0);
	if (pthread_create(&th, NULL, kid_worker, &wfd) != 0)
		_exit(2);
	for (;;)
		pause();
}

static void kid_stop(void)
{
	if (kid > 0) {
		kill(kid, SIGKILL);
		while (waitpid(kid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	kid = -1;
}

/* Start the child; its worker's tid and whether it has SCHED_RESET_ON_FORK. */
static pid_t kid_start(bool *reset_on_fork)
{
	struct pollfd pfd;
	int32_t msg[2];
	int p[2];

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	kid = fork();
	assert_true(kid >= 0);
	if (kid == 0) {
		close(p[0]);
		kid_main(p[1]);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1 || read(p[0], msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
		close(p[0]);
		fail_msg("the child (pid %d) did not report its worker thread", (int)kid);
	}
	close(p[0]);
	assert_true(msg[0] > 0 && msg[0] != kid);
	*reset_on_fork = msg[1];
	return (pid_t)msg[0];
}

static int teardown(void **state)
{
	kid_stop();
	if (btf_copy[0])
		unlink(btf_copy);
	btf_copy[0] = '\0';
	return lk_teardown(state);
}

/* ---- /proc ---- */

/* "Key:\t<number>" of a /proc status file. */
static long proc_status(const char *path, const char *key)
{
	size_t klen = strlen(key);
	char line[256];
	long v = 0;
	bool found = false;
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("cannot open %s", path);
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			found = sscanf(line + klen + 1, "%ld", &v) == 1;
	fclose(f);
	if (!found)
		fail_msg("%s has no %s", path, key);
	return v;
}

static void proc_comm(const char *path, char out[32])
{
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("cannot open %s", path);
	if (!fgets(out, 32, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* ---- what bpftool says about the running kernel's BTF ---- */

struct kbtf {
	unsigned int pid_off, pid_size, tgid_off, comm_size;
	long sid, pgid;
};

/* Per type id: a size, or a referenced type (typedef, modifiers, arrays). */
struct ktype {
	uint32_t size, ref, nelems;
	char kind;	/* 'S' sized, 'R' reference, 'A' array, 'P' pointer, 0 other */
};

static uint32_t ktype_size(const struct ktype *t, uint32_t n, uint32_t id)
{
	uint32_t mult = 1;
	int depth;

	for (depth = 0; depth < 32 && id < n; depth++) {
		switch (t[id].kind) {
		case 'S':
			return mult * t[id].size;
		case 'P':
			return mult * (uint32_t)sizeof(void *);
		case 'A':
			mult *= t[id].nelems;
			/* fall through */
		case 'R':
			id = t[id].ref;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static uint32_t field_u32(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? (uint32_t)strtoul(p + strlen(key), NULL, 10) : 0;
}

/* Parse `bpftool btf dump file /sys/kernel/btf/vmlinux format raw`. false: no bpftool. */
static bool kbtf_read(struct kbtf *k)
{
	static const char *const refs[] = { "TYPEDEF", "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG" };
	FILE *f = popen("bpftool btf dump file /sys/kernel/btf/vmlinux format raw 2>/dev/null", "r");
	uint32_t n = 1 << 20, id = 0, pid_t_id = 0, comm_t_id = 0;
	struct ktype *t = calloc(n, sizeof(*t));
	char line[1024], kind[32], name[128];
	int in = 0;	/* 1: in task_struct, 2: in enum pid_type */
	bool ok;
	size_t i;

	assert_non_null(t);
	memset(k, 0, sizeof(*k));
	k->sid = k->pgid = -1;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned int mt, mo;
		long val;

		if (line[0] == '[') {
			in = 0;
			if (sscanf(line, "[%u] %31s", &id, kind) != 2 || id >= n)
				continue;
			in = strstr(line, " STRUCT 'task_struct' ") ? 1 :
			     strstr(line, " ENUM 'pid_type' ") ? 2 : 0;
			if (strstr(line, " size="))
				t[id] = (struct ktype){ .kind = 'S', .size = field_u32(line, " size=") };
			else if (!strcmp(kind, "ARRAY"))
				t[id] = (struct ktype){ .kind = 'A', .ref = field_u32(line, " type_id="),
							.nelems = field_u32(line, " nr_elems=") };
			else if (!strcmp(kind, "PTR"))
				t[id].kind = 'P';
			for (i = 0; i < ARRAY_LEN(refs); i++)
				if (!strcmp(kind, refs[i]))
					t[id] = (struct ktype){ .kind = 'R', .ref = field_u32(line, " type_id=") };
		} else if (in == 1 && sscanf(line, " '%127[^']' type_id=%u bits_offset=%u", name, &mt,
					     &mo) == 3) {
			if (!strcmp(name, "pid")) {
				pid_t_id = mt;
				k->pid_off = mo / 8;
			} else if (!strcmp(name, "tgid")) {
				k->tgid_off = mo / 8;
			} else if (!strcmp(name, "comm")) {
				comm_t_id = mt;
			}
		} else if (in == 2 && sscanf(line, " '%127[^']' val=%ld", name, &val) == 2) {
			if (!strcmp(name, "PIDTYPE_SID"))
				k->sid = val;
			else if (!strcmp(name, "PIDTYPE_PGID"))
				k->pgid = val;
		}
	}
	ok = f && pclose(f) == 0 && pid_t_id;
	k->pid_size = ktype_size(t, n, pid_t_id);
	k->comm_size = ktype_size(t, n, comm_t_id);
	free(t);
	return ok;
}

/* ---- loading and reading back core_task ---- */

struct mode {
	const char *name;
	enum bbpf_core_mode core;
	bool btf_file;	/* context with btf_path = a copy of the vmlinux BTF */
};

static const struct mode modes[] = {
	{ "AUTO", BBPF_CORE_AUTO, false },
	{ "KERNEL", BBPF_CORE_KERNEL, false },
	{ "USER", BBPF_CORE_USER, false },
	{ "USER+btf_path", BBPF_CORE_USER, true },
	{ "AUTO+btf_path", BBPF_CORE_AUTO, true },
};

struct res {
	int helper_pid, helper_tgid, pid, tgid, ppid;
	char comm[16];
	long comm_len, guarded, sid_value, pgid_value;
	int pid_exists, missing_exists, sid_exists;
	unsigned int pid_size, comm_size, pid_offset;
	unsigned long long reset_on_fork;
	uint32_t xcnt;
	struct bpf_insn x[MAX_XLATED];
};

static void res_str(const struct res *r, char *buf, size_t size)
{
	snprintf(buf, size,
		 "helper pid/tgid %d/%d, pid %d tgid %d ppid %d comm \"%.16s\" (len %ld), "
		 "exists pid %d missing %d, guarded %ld, size pid %u comm %u, offset pid %u, "
		 "enum SID exists %d value %ld, PGID %ld, reset_on_fork %llu",
		 r->helper_pid, r->helper_tgid, r->pid, r->tgid, r->ppid, r->comm, r->comm_len,
		 r->pid_exists, r->missing_exists, r->guarded, r->pid_size, r->comm_size,
		 r->pid_offset, r->sid_exists, r->sid_value, r->pgid_value, r->reset_on_fork);
}

/* Copy the .bss/.rodata global name (size bytes) of a loaded object. */
static void getg(struct bbpf_object *obj, const char *name, void *dst, size_t want)
{
	struct bbpf_map *m;
	size_t off, size;
	uint8_t *base;
	int err = bbpf_object_find_global(obj, name, &m, &off, &size);

	if (err)
		fail_msg("global '%s': %d", name, err);
	if (size != want)
		fail_msg("global '%s': %zu bytes, expected %zu", name, size, want);
	base = bbpf_map_mmaped(m, NULL);
	if (!base)
		fail_msg("global '%s': map '%s' is not mapped", name, bbpf_map_name(m));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memcpy(dst, base + off, size);
}

/* Translated instructions; map references replaced by the map's index in obj. */
static void get_xlated(struct bbpf_object *obj, int fd, struct res *r)
{
	uint32_t ids[64], len, i, j, nmaps;
	struct bpf_prog_info info;

	nmaps = (uint32_t)bbpf_object_map_cnt(obj);
	assert_true(nmaps <= ARRAY_LEN(ids));
	for (i = 0; i < nmaps; i++)
		ids[i] = lk_map_id(bbpf_map_fd(bbpf_object_map(obj, i)));
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	assert_int_equal(bbpf_cmd_obj_info(lk_sys, fd, &info, &len), 0);
	r->xcnt = info.xlated_prog_len / (uint32_t)sizeof(struct bpf_insn);
	if (!r->xcnt || r->xcnt > MAX_XLATED)
		fail_msg("%u translated instructions (kernel.bpf_dump_raw_ok?)", r->xcnt);
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = r->xcnt * (uint32_t)sizeof(struct bpf_insn);
	info.xlated_prog_insns = (uint64_t)(uintptr_t)r->x;
	len = sizeof(info);
	assert_int_equal(bbpf_cmd_obj_info(lk_sys, fd, &info, &len), 0);
	for (i = 0; i < r->xcnt; i++) {
		struct bpf_insn *in = &r->x[i];

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW) ||
		    (in->src_reg != BPF_PSEUDO_MAP_FD && in->src_reg != BPF_PSEUDO_MAP_VALUE))
			continue;
		for (j = 0; j < nmaps && ids[j] != (uint32_t)in->imm; j++)
			;
		if (j == nmaps)
			fail_msg("insn %u refers to map id %d, not one of the object's", i, in->imm);
		in->imm = (int32_t)(1000 + j);
	}
}

static bool kernel_has_core_relos(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	assert_int_equal(uname(&u), 0);
	sscanf(u.release, "%d.%d", &maj, &min);
	return maj > 5 || (maj == 5 && min >= 17);
}

static struct bbpf_ctx *mode_ctx(struct lk *st, const struct mode *md)
{
	struct bbpf_ctx_opts co = { .log = lk_log_cb, .log_ctx = st, .pin_root = st->root };

	if (!md->btf_file)
		return st->ctx;
	bbpf_ctx_free(st->ctx2);
	st->ctx2 = NULL;
	co.btf_path = btf_copy;
	assert_int_equal(bbpf_ctx_new(&st->ctx2, &co), 0);
	return st->ctx2;
}

/* Write a copy of /sys/kernel/btf/vmlinux to a temporary file, removed at teardown. */
static void copy_vmlinux_btf(void)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	snprintf(btf_copy, sizeof(btf_copy), "/tmp/bbpf_core_btf_XXXXXX");
	out = mkstemp(btf_copy);
	if (out < 0) {
		btf_copy[0] = '\0';
		fail_msg("mkstemp: %s", strerror(errno));
	}
	in = open("/sys/kernel/btf/vmlinux", O_RDONLY);
	if (in < 0) {
		close(out);
		fail_msg("/sys/kernel/btf/vmlinux: %s", strerror(errno));
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(in);
	assert_int_equal(n, 0);
	assert_int_equal(close(out), 0);
}

/*
 * Load core_task with target_tgid = tgid in mode md, attach, wait for the
 * child to hit the tracepoint, detach and read the results. false: the mode
 * is not available on this kernel.
 */
static bool run_mode(struct lk *st, const struct mode *md, pid_t tgid, struct res *r)
{
	struct bbpf_load_opts lo = { .ctx = mode_ctx(st, md), .core_mode = md->core };
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	struct bbpf_object *obj;
	struct bbpf_program *p;
	struct bbpf_map *ro;
	unsigned int hits = 0;
	int32_t target = (int32_t)tgid;
	size_t off, size;
	uint8_t *iv;
	int err, tries;

	memset(r, 0, sizeof(*r));
	lk_log_clear(st);
	obj = lk_open(st, 0, "core_task.bpf.o");
	assert_int_equal(bbpf_object_find_global(obj, "target_tgid", &ro, &off, &size), 0);
	assert_int_equal(size, sizeof(target));
	assert_int_equal(bbpf_map_kind(ro), BBPF_MAP_RODATA);
	iv = bbpf_map_initial_value(ro, NULL);
	assert_non_null(iv);
	memcpy(iv + off, &target, sizeof(target));

	err = bbpf_object_load(obj, &lo);
	if (err == -EOPNOTSUPP && md->core == BBPF_CORE_KERNEL && !kernel_has_core_relos()) {
		print_message("  %-14s: not available (kernel < 5.17)\n", md->name);
		lk_close(st, 0);
		return false;
	}
	if (err)
		fail_msg("%s: bbpf_object_load: %d\nlog:\n%s", md->name, err, st->log);
	getg(obj, "target_tgid", &target, sizeof(target));
	assert_int_equal(target, tgid);

	p = bbpf_object_find_program(obj, "core_task");
	assert_non_null(p);
	err = bbpf_program_attach(p, &st->links[0]);
	if (err)
		fail_msg("%s: attach: %d\nlog:\n%s", md->name, err, st->log);
	for (tries = 0; tries < 1000 && hits < 3; tries++) {
		nanosleep(&ts, NULL);
		getg(obj, "hits", &hits, sizeof(hits));
	}
	bbpf_link_destroy(st->links[0]);
	st->links[0] = NULL;
	if (hits < 3)
		fail_msg("%s: the child's getppid() hit the program %u times in 5 s", md->name, hits);

	getg(obj, "helper_pid", &r->helper_pid, sizeof(r->helper_pid));
	getg(obj, "helper_tgid", &r->helper_tgid, sizeof(r->helper_tgid));
	getg(obj, "pid", &r->pid, sizeof(r->pid));
	getg(obj, "tgid", &r->tgid, sizeof(r->tgid));
	getg(obj, "ppid", &r->ppid, sizeof(r->ppid));
	getg(obj, "comm", r->comm, sizeof(r->comm));
	getg(obj, "comm_len", &r->comm_len, sizeof(r->comm_len));
	getg(obj, "pid_exists", &r->pid_exists, sizeof(r->pid_exists));
	getg(obj, "missing_exists", &r->missing_exists, sizeof(r->missing_exists));
	getg(obj, "guarded", &r->guarded, sizeof(r->guarded));
	getg(obj, "pid_size", &r->pid_size, sizeof(r->pid_size));
	getg(obj, "comm_size", &r->comm_size, sizeof(r->comm_size));
	getg(obj, "pid_offset", &r->pid_offset, sizeof(r->pid_offset));
	getg(obj, "sid_exists", &r->sid_exists, sizeof(r->sid_exists));
	getg(obj, "sid_value", &r->sid_value, sizeof(r->sid_value));
	getg(obj, "pgid_value", &r->pgid_value, sizeof(r->pgid_value));
	getg(obj, "reset_on_fork", &r->reset_on_fork, sizeof(r->reset_on_fork));
	get_xlated(obj, bbpf_program_fd(p), r);
	lk_close(st, 0);
	return true;
}

/* The values of one mode against /proc and the kernel's BTF. */
static void check_res(const struct mode *md, const struct res *r, pid_t tgid, pid_t tid,
		      bool reset, const struct kbtf *k, bool have_kbtf)
{
	char path[96], comm[32], s[1024];
	long ppid;

	res_str(r, s, sizeof(s));
	print_message("  %-14s: %s; %u insns\n", md->name, s, r->xcnt);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tgid);
	if (proc_status(path, "Tgid") != tgid || proc_status(path, "Pid") != tgid)
		fail_msg("%s: Tgid/Pid is not %d", path, (int)tgid);
	ppid = proc_status(path, "PPid");
	assert_int_equal(ppid, getpid());
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)tgid, (int)tid);
	assert_int_equal(proc_status(path, "Pid"), tid);
	assert_int_equal(proc_status(path, "Tgid"), tgid);
	assert_int_equal(proc_status(path, "PPid"), ppid);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)tgid, (int)tid);
	proc_comm(path, comm);
	assert_string_equal(comm, KID_COMM);

#define EXPECT(cond) \
	do { if (!(cond)) fail_msg("%s: %s does not hold: %s", md->name, #cond, s); } while (0)
	/* the helper says which thread ran it; CO-RE must agree */
	EXPECT(r->helper_tgid == tgid && r->helper_pid == tid);
	EXPECT(r->pid == tid);
	EXPECT(r->tgid == tgid);
	EXPECT(r->ppid == ppid);
	EXPECT(!strncmp(r->comm, comm, sizeof(r->comm)));
	EXPECT(r->comm_len == (long)strlen(comm) + 1);
	EXPECT(r->pid_exists == 1);
	EXPECT(r->missing_exists == 0);
	EXPECT(r->guarded == 7);
	EXPECT(r->pid_size == sizeof(pid_t) && r->comm_size == 16);
	EXPECT(r->sid_exists == 1);
	EXPECT(r->reset_on_fork == (reset ? 1 : 0));
	if (have_kbtf) {
		EXPECT(r->pid_offset == k->pid_off && k->tgid_off == k->pid_off + 4);
		EXPECT(r->pid_size == k->pid_size && r->comm_size == k->comm_size);
		EXPECT(r->sid_value == k->sid && r->pgid_value == k->pgid);
	} else {
		EXPECT(r->sid_value == 3 && r->pgid_value == 2);	/* enum pid_type since 2.6 */
	}
#undef EXPECT
}

static void test_core_task(void **state)
{
	static struct res res[ARRAY_LEN(modes)];
	struct lk *st = *state;
	struct kbtf k;
	bool reset = false, have_kbtf, done[ARRAY_LEN(modes)] = { false };
	char a[1024], b[1024];
	pid_t tid;
	size_t i, ref = ARRAY_LEN(modes);
	uint32_t j;

	TK_NEED_KERNEL();
	have_kbtf = kbtf_read(&k);
	if (!have_kbtf)
		fail_msg("bpftool (the reference) gave no task_struct layout from "
			 "/sys/kernel/btf/vmlinux: offsets cannot be cross-checked");
	print_message("  bpftool: task_struct.pid at %u (%u bytes), comm %u bytes, "
		      "PIDTYPE_SID %ld, PIDTYPE_PGID %ld\n",
		      k.pid_off, k.pid_size, k.comm_size, k.sid, k.pgid);
	copy_vmlinux_btf();
	tid = kid_start(&reset);
	assert_true(reset);	/* root may always set it */
	assert_true((sched_getscheduler(tid) & SCHED_RESET_ON_FORK) != 0);

	for (i = 0; i < ARRAY_LEN(modes); i++) {
		done[i] = run_mode(st, &modes[i], kid, &res[i]);
		if (!done[i])
			continue;
		check_res(&modes[i], &res[i], kid, tid, reset, &k, have_kbtf);
		if (ref == ARRAY_LEN(modes)) {
			ref = i;
			continue;
		}
		res_str(&res[ref], a, sizeof(a));
		res_str(&res[i], b, sizeof(b));
		if (strcmp(a, b))
			fail_msg("%s and %s read different values:\n%s\n%s", modes[ref].name,
				 modes[i].name, a, b);
		if (res[ref].xcnt != res[i].xcnt)
			fail_msg("%s: %u translated instructions, %s: %u", modes[ref].name,
				 res[ref].xcnt, modes[i].name, res[i].xcnt);
		for (j = 0; j < res[i].xcnt; j++) {
			const struct bpf_insn *x = &res[ref].x[j], *y = &res[i].x[j];

			if (memcmp(x, y, sizeof(*x)))
				fail_msg("insn %u: %s {%02x %x %x %d %d}, %s {%02x %x %x %d %d}", j,
					 modes[ref].name, x->code, x->dst_reg, x->src_reg, x->off,
					 x->imm, modes[i].name, y->code, y->dst_reg, y->src_reg,
					 y->off, y->imm);
		}
	}
	assert_true(ref < ARRAY_LEN(modes));
	kid_stop();
}

/* ---- an unguarded read of a missing field: poisoned, rejected where reached ---- */

static void test_core_poison(void **state)
{
	struct lk *st = *state;
	struct bbpf_object *obj;
	struct bbpf_program *p;
	const char *line;
	bool user;
	size_t i;
	int err;

	TK_NEED_KERNEL();
	copy_vmlinux_btf();
	for (i = 0; i < ARRAY_LEN(modes); i++) {
		struct bbpf_load_opts lo = { .ctx = mode_ctx(st, &modes[i]),
					     .core_mode = modes[i].core };

		lk_snapshot(st);
		lk_log_clear(st);
		obj = lk_open(st, 1, "core_poison.bpf.o");
		p = bbpf_object_find_program(obj, "core_poison");
		assert_non_null(p);
		err = bbpf_object_load(obj, &lo);
		if (err == -EOPNOTSUPP && modes[i].core == BBPF_CORE_KERNEL &&
		    !kernel_has_core_relos()) {
			print_message("  %-14s: not available (kernel < 5.17)\n", modes[i].name);
			lk_close(st, 1);
			continue;
		}
		if (err != -EINVAL)
			fail_msg("%s: load of core_poison: %d, expected -EINVAL\nlog:\n%s",
				 modes[i].name, err, st->log);
		if (!strstr(st->log, POISON_MSG))
			fail_msg("%s: the log callback got no \"%s\":\n%s", modes[i].name, POISON_MSG,
				 st->log);
		/* who poisoned: barebpf's engine, or the kernel (its lines come as "verifier: ") */
		user = modes[i].btf_file || modes[i].core == BBPF_CORE_USER ||
		       !kernel_has_core_relos();
		line = strstr(st->log, "relo #0: substituting insn #1 w/ invalid insn");
		while (line && line > st->log && line[-1] != '\n')
			line--;
		if (!line || !strncmp(line, "verifier: ", 10) == user)
			fail_msg("%s: expected the poisoning to be done %s:\n%s", modes[i].name,
				 user ? "in user space" : "by the kernel", st->log);
		assert_int_equal(bbpf_program_fd(p), -1);
		print_message("  %-14s: poisoned %s, rejected (%d), log has \"%s\"\n",
			      modes[i].name, user ? "by barebpf" : "by the kernel", err, POISON_MSG);
		lk_close(st, 1);
		lk_expect_no_new_ids(st->before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_core_task, lk_setup, teardown),
		cmocka_unit_test_setup_teardown(test_core_poison, lk_setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
