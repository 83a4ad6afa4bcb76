// SPDX-License-Identifier: BSD-2-Clause
/*
 * Whole-lifecycle robustness on the real kernel (issue 3, "Fault-injection
 * sweep" and "1000 cycles"). Each test starts with TK_NEED_KERNEL() (skipped,
 * saying why, without root or BPF) and mounts tracefs and bpffs if needed
 * (a failure to mount fails the test). `make fixtures` first.
 *
 * Sweep: the lifecycle (new context, open, load, attach, trigger, read the
 * counter back through the mmaped .bss, close, free the context) runs once
 * through fs_wrap to count its table calls K; then for each n in 1..K and a
 * rotating set of errnos the nth call fails. Each run must end with a
 * negative errno from the first failing API call (or, where the library
 * tolerates the failure, complete fully), log a WARN for failures outside
 * the feature probes, leave no fd or mapping open (fs_wrap's record), no
 * byte allocated (a counting allocator for the context and the object), no
 * pin under the private pin root, and no kernel object behind.
 *
 * Kernel objects: below fs_wrap sits a layer that records the id of every
 * prog, map, BTF and link a run created (the library makes every kernel call
 * through the table; only bbpf_object_open_file reads with libc) and traces
 * the clean run's calls, so a finding names the failed call. Waiting for the
 * kernel's asynchronous frees after every run would take minutes, so the ids
 * are kept with their (n, errno) and checked once per object: the kernel's
 * id sets are polled until they equal the baseline (up to SETTLE_MS); an id
 * still there that a run created is a leak, reported with that run; a new id
 * no run created belongs to another process on this machine and is noted.
 *
 * LC_VERBOSE=1 prints every log line; LC_FULL_ERRNO=N sweeps all six errnos
 * for n <= N (default 40), one (rotating) beyond; LC_RUN=file:n:ERRNO runs
 * one case verbosely (reproduction: the other objects' sweeps and the cycles
 * are then skipped, saying so); LC_READ_STRIDE=1 sweeps every read (below).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/magic.h>
#include <cmocka.h>

#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "kernel_avail.h"
#include "kern/kern.h"
#include "fail_alloc.h"
#include "fake_sys.h"

#if defined(__SANITIZE_ADDRESS__)
#define LC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LC_ASAN 1
#endif
#endif
#ifdef LC_ASAN
/* from <sanitizer/allocator_interface.h>, which not every gcc installs */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SETTLE_MS 3000
#define MAX_IDS 4096
#define MAX_MADE 512
#define MAX_TRACE 16384
#define CYCLES 1000
#define WARMUP 100
#define LC_COOKIE 0x1c0000c0c0ull

static const int errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF, -EFAULT };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ==== kernel id sets ==== */

static const struct bbpf_sys *L = &bbpf_sys_linux;

enum { K_PROG, K_MAP, K_LINK, K_BTF, K_CNT };
static const char *const kind_name[K_CNT] = { "prog", "map", "link", "btf" };

union obj_info {
	struct bpf_prog_info p;
	struct bpf_map_info m;
	struct bpf_link_info l;
	struct bpf_btf_info b;
};

struct idset {
	uint32_t id[K_CNT][MAX_IDS];
	size_t cnt[K_CNT];
};

/* BPF_{PROG,MAP,LINK,BTF}_GET_NEXT_ID share the attr layout. */
static int next_id(int kind, uint32_t id, uint32_t *next)
{
	static const int cmds[K_CNT] = { BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID,
					 BPF_LINK_GET_NEXT_ID, BPF_BTF_GET_NEXT_ID };
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.start_id = id;
	r = bbpf_bpf(L, cmds[kind], &a);
	if (!r)
		*next = a.next_id;
	return (int)r;
}

static void snapshot(struct idset *s)
{
	uint32_t id, next;
	int k;

	for (k = 0; k < K_CNT; k++) {
		s->cnt[k] = 0;
		for (id = 0; next_id(k, id, &next) == 0 && s->cnt[k] < MAX_IDS; id = next)
			s->id[k][s->cnt[k]++] = next;
	}
}

static bool has_id(const uint32_t *ids, size_t cnt, uint32_t id)
{
	size_t i;

	for (i = 0; i < cnt; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Name and type from BPF_OBJ_GET_INFO_BY_FD, for reports. */
static void describe(int kind, uint32_t id, char *out, size_t size)
{
	static const int cmds[K_CNT] = { BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID,
					 BPF_LINK_GET_FD_BY_ID, BPF_BTF_GET_FD_BY_ID };
	union obj_info info;
	uint32_t len = sizeof(info);
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;	/* map_id, btf_id and link_id share the slot */
	fd = bbpf_bpf(L, cmds[kind], &a);
	memset(&info, 0, sizeof(info));
	if (fd < 0 || bbpf_cmd_obj_info(L, (int)fd, &info, &len))
		snprintf(out, size, "(no info: gone?)");
	else if (kind == K_PROG || kind == K_MAP)
		snprintf(out, size, "'%s' type %u", kind == K_PROG ? info.p.name : info.m.name,
			 kind == K_PROG ? info.p.type : info.m.type);
	else
		snprintf(out, size, "(%s %u)", kind == K_LINK ? "prog id" : "size",
			 kind == K_LINK ? info.l.prog_id : info.b.btf_size);
	if (fd >= 0)
		L->close(L->ctx, (int)fd);
}

/* ==== the layer below fs_wrap: records created ids, traces calls ==== */

struct trace_ent {
	int hook, cmd;
	char arg[40];
};

struct below {
	uint32_t made[K_CNT][MAX_MADE];
	size_t made_cnt[K_CNT];
	bool made_overflow;
	struct trace_ent *trace;	/* NULL: no tracing */
	size_t trace_cnt;
	char fdpath[FS_WRAP_FDS][40];	/* what open() returned each fd for */
};

static const char *fdp(void *c, int fd)
{
	return fd >= 0 && fd < FS_WRAP_FDS ? ((struct below *)c)->fdpath[fd] : NULL;
}

static void note(struct below *b, int hook, int cmd, const char *arg)
{
	struct trace_ent *t;

	if (!b->trace || b->trace_cnt == MAX_TRACE)
		return;
	t = &b->trace[b->trace_cnt++];
	t->hook = hook;
	t->cmd = cmd;
	snprintf(t->arg, sizeof(t->arg), "%s", arg ? arg : "");
}

static void record_made(struct below *b, int cmd, int fd)
{
	union obj_info info;
	uint32_t len = sizeof(info), id;
	int kind;

	switch (cmd) {
	case BPF_PROG_LOAD: kind = K_PROG; break;
	case BPF_MAP_CREATE: kind = K_MAP; break;
	case BPF_BTF_LOAD: kind = K_BTF; break;
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN: kind = K_LINK; break;
	default: return;	/* OBJ_GET, *_GET_FD_BY_ID: objects that existed before */
	}
	memset(&info, 0, sizeof(info));
	if (bbpf_cmd_obj_info(L, fd, &info, &len)) {
		b->made_overflow = true;	/* cannot tell: treat as a tracking failure */
		return;
	}
	id = kind == K_PROG ? info.p.id : kind == K_MAP ? info.m.id :
	     kind == K_LINK ? info.l.id : info.b.id;
	if (b->made_cnt[kind] == MAX_MADE)
		b->made_overflow = true;
	else
		b->made[kind][b->made_cnt[kind]++] = id;
}

static long b_bpf(void *c, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct below *b = c;
	long r = L->bpf(L->ctx, cmd, attr, size);

	note(b, FS_HOOK_BPF, cmd, cmd == BPF_OBJ_PIN || cmd == BPF_OBJ_GET ?
		 (const char *)(uintptr_t)attr->pathname : NULL);
	if (r >= 0 && fs_bpf_cmd_returns_fd(cmd))
		record_made(b, cmd, (int)r);
	return r;
}

/* Plain pass-through with a trace entry. */
#define PASS(hook, arg, call)				\
	do {						\
		note((struct below *)c, hook, -1, arg);	\
		return L->call;				\
	} while (0)

static long b_perf(void *c, struct perf_event_attr *a, pid_t p, int cpu, int g, unsigned long f)
{ PASS(FS_HOOK_PERF_EVENT_OPEN, NULL, perf_event_open(L->ctx, a, p, cpu, g, f)); }
static long b_ioctl(void *c, int fd, unsigned long rq, unsigned long arg)
{ PASS(FS_HOOK_IOCTL, NULL, ioctl(L->ctx, fd, rq, arg)); }
static long b_close(void *c, int fd)
{
	note(c, FS_HOOK_CLOSE, -1, fdp(c, fd));
	if (fdp(c, fd))	/* the number may come back as a bpf fd */
		((struct below *)c)->fdpath[fd][0] = '\0';
	return L->close(L->ctx, fd);
}
static long b_read(void *c, int fd, void *buf, size_t n)
{ PASS(FS_HOOK_READ, fdp(c, fd), read(L->ctx, fd, buf, n)); }

static long b_open(void *c, const char *p, int fl, unsigned int m)
{
	long fd = L->open(L->ctx, p, fl, m);

	note(c, FS_HOOK_OPEN, -1, p);
	if (fd >= 0 && fd < FS_WRAP_FDS)
		snprintf(((struct below *)c)->fdpath[fd], 40, "%s", p);
	return fd;
}
static long b_write(void *c, int fd, const void *buf, size_t n)
{ PASS(FS_HOOK_WRITE, NULL, write(L->ctx, fd, buf, n)); }
static long b_mmap(void *c, void *ad, size_t n, int pr, int fl, int fd, off_t off, void **out)
{ PASS(FS_HOOK_MMAP, NULL, mmap(L->ctx, ad, n, pr, fl, fd, off, out)); }
static long b_munmap(void *c, void *ad, size_t n)
{ PASS(FS_HOOK_MUNMAP, NULL, munmap(L->ctx, ad, n)); }
static long b_mkdir(void *c, const char *p, unsigned int m)
{ PASS(FS_HOOK_MKDIR, p, mkdir(L->ctx, p, m)); }
static long b_unlink(void *c, const char *p)
{ PASS(FS_HOOK_UNLINK, p, unlink(L->ctx, p)); }
static long b_rmdir(void *c, const char *p)
{ PASS(FS_HOOK_RMDIR, p, rmdir(L->ctx, p)); }
static long b_statfs(void *c, const char *p, long *t)
{ PASS(FS_HOOK_STATFS, p, statfs(L->ctx, p, t)); }
static long b_mount(void *c, const char *s, const char *t, const char *f, unsigned long fl,
		    const void *d)
{ PASS(FS_HOOK_MOUNT, t, mount(L->ctx, s, t, f, fl, d)); }
static long b_getrlimit(void *c, int r, struct rlimit *rl)
{ PASS(FS_HOOK_GETRLIMIT, NULL, getrlimit(L->ctx, r, rl)); }
static long b_setrlimit(void *c, int r, const struct rlimit *rl)
{ PASS(FS_HOOK_SETRLIMIT, NULL, setrlimit(L->ctx, r, rl)); }
static long b_uname(void *c, struct utsname *u)
{ PASS(FS_HOOK_UNAME, NULL, uname(L->ctx, u)); }
static long b_dup(void *c, int fd)
{ PASS(FS_HOOK_DUP, NULL, dup(L->ctx, fd)); }

static long b_statx(void *c, int d, const char *p, int fl, unsigned int m, struct statx *st)
{ PASS(FS_HOOK_STATX, p, statx(L->ctx, d, p, fl, m, st)); }
static long b_pread(void *c, int fd, void *buf, size_t n, uint64_t off)
{ PASS(FS_HOOK_PREAD, fdp(c, fd), pread(L->ctx, fd, buf, n, off)); }
static long b_readlink(void *c, const char *p, char *buf, size_t n)
{ PASS(FS_HOOK_READLINK, p, readlink(L->ctx, p, buf, n)); }
static long b_getdents64(void *c, int fd, void *buf, size_t n)
{ PASS(FS_HOOK_GETDENTS64, fdp(c, fd), getdents64(L->ctx, fd, buf, n)); }
static long b_getpid(void *c)
{ PASS(FS_HOOK_GETPID, NULL, getpid(L->ctx)); }
static long b_page_size(void *c)
{ PASS(FS_HOOK_PAGE_SIZE, NULL, page_size(L->ctx)); }
static long b_clock_gettime(void *c, int clk, struct timespec *ts)
{ PASS(FS_HOOK_CLOCK_GETTIME, NULL, clock_gettime(L->ctx, clk, ts)); }
static long b_epoll_create(void *c)
{ PASS(FS_HOOK_EPOLL_CREATE, NULL, epoll_create(L->ctx)); }
static long b_epoll_ctl(void *c, int e, int op, int fd, struct epoll_event *ev)
{ PASS(FS_HOOK_EPOLL_CTL, NULL, epoll_ctl(L->ctx, e, op, fd, ev)); }
static long b_epoll_wait(void *c, int e, struct epoll_event *ev, int max, int t)
{ PASS(FS_HOOK_EPOLL_WAIT, NULL, epoll_wait(L->ctx, e, ev, max, t)); }
static long b_socket(void *c, int d, int t, int p)
{ PASS(FS_HOOK_SOCKET, NULL, socket(L->ctx, d, t, p)); }
static long b_bind(void *c, int fd, const struct sockaddr *a, unsigned int l)
{ PASS(FS_HOOK_BIND, NULL, bind(L->ctx, fd, a, l)); }
static long b_sendto(void *c, int fd, const void *buf, size_t n, int fl, const struct sockaddr *a,
		     unsigned int l)
{ PASS(FS_HOOK_SENDTO, NULL, sendto(L->ctx, fd, buf, n, fl, a, l)); }
static long b_recvfrom(void *c, int fd, void *buf, size_t n, int fl, struct sockaddr *a,
		       unsigned int *l)
{ PASS(FS_HOOK_RECVFROM, NULL, recvfrom(L->ctx, fd, buf, n, fl, a, l)); }
static long b_setsockopt(void *c, int fd, int lv, int nm, const void *v, unsigned int l)
{ PASS(FS_HOOK_SETSOCKOPT, NULL, setsockopt(L->ctx, fd, lv, nm, v, l)); }
static long b_getsockopt(void *c, int fd, int lv, int nm, void *v, unsigned int *l)
{ PASS(FS_HOOK_GETSOCKOPT, NULL, getsockopt(L->ctx, fd, lv, nm, v, l)); }

static struct bbpf_sys below_init(struct below *b, struct trace_ent *trace)
{
	memset(b, 0, sizeof(*b));
	b->trace = trace;
	return (struct bbpf_sys){
		.ctx = b, .bpf = b_bpf, .perf_event_open = b_perf, .ioctl = b_ioctl,
		.close = b_close, .open = b_open, .read = b_read, .write = b_write,
		.mmap = b_mmap, .munmap = b_munmap, .mkdir = b_mkdir, .unlink = b_unlink,
		.rmdir = b_rmdir, .statfs = b_statfs, .mount = b_mount,
		.getrlimit = b_getrlimit, .setrlimit = b_setrlimit, .uname = b_uname,
		.dup = b_dup, .statx = b_statx, .pread = b_pread, .readlink = b_readlink,
		.getdents64 = b_getdents64, .getpid = b_getpid, .page_size = b_page_size,
		.clock_gettime = b_clock_gettime, .epoll_create = b_epoll_create,
		.epoll_ctl = b_epoll_ctl, .epoll_wait = b_epoll_wait, .socket = b_socket,
		.bind = b_bind, .sendto = b_sendto, .recvfrom = b_recvfrom,
		.setsockopt = b_setsockopt, .getsockopt = b_getsockopt,
	};
}

static void trace_str(const struct below *b, unsigned long n, char *out, size_t size)
{
	const struct trace_ent *t;

	if (!b->trace || n == 0 || n > b->trace_cnt) {
		snprintf(out, size, "?");
		return;
	}
	t = &b->trace[n - 1];
	if (t->hook == FS_HOOK_BPF)
		snprintf(out, size, "bpf(cmd %d)%s%s", t->cmd, *t->arg ? " " : "", t->arg);
	else
		snprintf(out, size, "%s(%s)", fs_hook_name(t->hook), t->arg);
}

/* A kernel object a sweep run created, and which run: checked once at the end. */
struct made_by {
	uint32_t id, n;
	uint8_t kind, err;	/* err: index into errs, 0xff for the clean run */
};

static struct made_by pend[1u << 18];
static size_t pend_cnt;

static const struct made_by *find_pend(int kind, uint32_t id)
{
	size_t i;

	for (i = 0; i < pend_cnt; i++)
		if (pend[i].kind == kind && pend[i].id == id)
			return &pend[i];
	return NULL;
}

static const char *errname(int err)
{
	static const char *const names[] = { "EPERM", "ENOMEM", "EINTR", "EINVAL", "EBADF",
					     "EFAULT" };
	size_t i;

	for (i = 0; i < ARRAY_LEN(errs); i++)
		if (errs[i] == err)
			return names[i];
	return "?";
}

/*
 * Poll until the id sets equal base, or SETTLE_MS pass; then report every
 * new id. Only ids in pend (created by a sweep run or a cycle) count; a new
 * id not created through the table belongs to another process and is just
 * noted. Returns the count.
 */
static size_t settle(const struct idset *base, struct idset *now, const char *who)
{
	double until = now_s() + SETTLE_MS / 1000.0;
	size_t bad = 0, newc, i;
	char desc[160];
	int k;

	for (;;) {
		snapshot(now);
		newc = 0;
		for (k = 0; k < K_CNT; k++)
			for (i = 0; i < now->cnt[k]; i++)
				newc += !has_id(base->id[k], base->cnt[k], now->id[k][i]);
		if (!newc || now_s() >= until)
			break;
		usleep(5000);
	}
	for (k = 0; k < K_CNT && newc; k++) {
		for (i = 0; i < now->cnt[k]; i++) {
			uint32_t id = now->id[k][i];
			const struct made_by *m = find_pend(k, id);

			if (has_id(base->id[k], base->cnt[k], id))
				continue;
			bad += m != NULL;
			describe(k, id, desc, sizeof(desc));
			if (m)
				print_message("  FINDING %s n=%u %s: %s id %u %s left in the kernel "
					      "after %d ms\n", who, m->n,
					      m->err == 0xff ? "clean" : errname(errs[m->err]),
					      kind_name[k], id, desc, SETTLE_MS);
			else
				print_message("  %s: %s id %u %s left in the kernel: not created "
					      "through the table (another process?)\n", who,
					      kind_name[k], id, desc);
		}
	}
	return bad;
}

/* ==== the lifecycle ==== */

struct lc_spec {
	const char *file;
	bool attach;		/* bbpf_object_attach */
	bool trigger;		/* minimal: my_pid, a write(2), write_count read back */
	bool pins;		/* private pin root */
	bool api;		/* trace_kinds: attach calls with cookies, getpid(2), hits read back */
	unsigned long k;	/* clean-run call count, for the summary */
	size_t runs, tolerated_cnt;
	double secs;
	char tolerated[1024];
};

struct lc_run {
	const struct lc_spec *sp;
	struct fs_wrap *w;	/* NULL: no fs_wrap (cycles) */
	struct fa fa;
	struct bbpf_alloc alloc;
	unsigned int warn, msgs;
	char warn1[240];
	unsigned long pre_load, probe_end;
	const char *step;	/* failing API call, or NULL */
	int err;
	struct bbpf_diag diag;	/* bbpf_object_error() after a failed load or attach */
	char diag_name[64];	/* its name (the object's, gone after close) */
	bool has_diag;
	bool done;
	uint64_t count;
	struct bbpf_link *links[3];	/* the api spec's, destroyed before close */
};

static char pin_root[64];

static void cap_log(void *c, enum bbpf_log_level level, const char *msg)
{
	struct lc_run *r = c;

	r->msgs++;
	if (level == BBPF_LOG_WARN && r->warn++ == 0)
		snprintf(r->warn1, sizeof(r->warn1), "%s", msg);
	if (r->w && !r->probe_end && !strncmp(msg, "kernel features:", 16))
		r->probe_end = r->w->calls;
	if (getenv("LC_VERBOSE"))
		print_message("    log[%d]: %s\n", (int)level, msg);
}

static void lc_run_init(struct lc_run *r, const struct lc_spec *sp, struct fs_wrap *w)
{
	memset(r, 0, sizeof(*r));
	r->sp = sp;
	r->w = w;
	r->alloc = fa_after(&r->fa, ULONG_MAX);
}

#define STEP(name, expr)				\
	do {						\
		r->err = (expr);			\
		if (r->err) {				\
			r->step = name;			\
			goto out;			\
		}					\
	} while (0)

/* One lifecycle; ctx NULL: a new one through sys (freed at the end). */
static void lifecycle(struct lc_run *r, const struct bbpf_sys *sys, struct bbpf_ctx *shared)
{
	const struct lc_spec *sp = r->sp;
	struct bbpf_ctx_opts co = { .sys = sys, .log = cap_log, .log_ctx = r, .alloc = &r->alloc,
				    .pin_root = sp->pins ? pin_root : NULL };
	struct bbpf_open_opts oo = { .log = cap_log, .log_ctx = r, .alloc = &r->alloc };
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = shared;
	struct bbpf_map *bss;
	size_t off, size;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, sp->file);
	if (!ctx)
		STEP("bbpf_ctx_new", bbpf_ctx_new(&ctx, &co));
	STEP("bbpf_object_open_file", bbpf_object_open_file(&obj, path, &oo, NULL));
	if (sp->trigger) {
		int pid = getpid();
		uint8_t *iv;

		assert_int_equal(bbpf_object_find_global(obj, "my_pid", &bss, &off, &size), 0);
		iv = bbpf_map_initial_value(bss, &size);
		assert_non_null(iv);
		memcpy(iv + off, &pid, sizeof(pid));
	}
	if (sp->api) {
		long nr = SYS_getpid;
		int pid = getpid();
		uint8_t *iv;

		assert_int_equal(bbpf_object_find_global(obj, "my_pid", &bss, &off, &size), 0);
		iv = bbpf_map_initial_value(bss, &size);
		assert_non_null(iv);
		memcpy(iv + off, &pid, sizeof(pid));
		assert_int_equal(bbpf_object_find_global(obj, "nr_getpid", &bss, &off, &size), 0);
		memcpy(iv + off, &nr, sizeof(nr));
	}
	r->pre_load = r->w ? r->w->calls : 0;
	STEP("bbpf_object_load", bbpf_object_load(obj, &(struct bbpf_load_opts){ .ctx = ctx }));
	if (sp->attach)
		STEP("bbpf_object_attach", bbpf_object_attach(obj));
	if (sp->api) {
		/* the public attach calls this kernel can run: a tracepoint and a raw one with cookies, a clock on every CPU */
		struct bbpf_tracepoint_opts to = { .bpf_cookie = LC_COOKIE };
		struct bbpf_raw_tracepoint_opts ro = { .cookie = LC_COOKIE + 1 };
		struct bbpf_perf_cpus_opts po = { .freq = 100 };
		const uint8_t *mem;
		uint64_t hits, c1, c2;
		size_t o2, o3;
		int i;

		STEP("bbpf_program_attach_tracepoint",
		     bbpf_program_attach_tracepoint(bbpf_object_find_program(obj, "tp_getpid"),
						    "syscalls", "sys_enter_getpid", &to,
						    &r->links[0]));
		STEP("bbpf_program_attach_raw_tracepoint",
		     bbpf_program_attach_raw_tracepoint(bbpf_object_find_program(obj, "raw_sys_enter"),
							"sys_enter", &ro, &r->links[1]));
		STEP("bbpf_program_attach_perf_event_cpus",
		     bbpf_program_attach_perf_event_cpus(bbpf_object_find_program(obj, "on_sample"),
							 &po, &r->links[2]));
		for (i = 0; i < 3; i++)
			syscall(SYS_getpid);
		assert_int_equal(bbpf_object_find_global(obj, "tp_hits", &bss, &off, &size), 0);
		assert_int_equal(bbpf_object_find_global(obj, "tp_cookie", &bss, &o2, &size), 0);
		assert_int_equal(bbpf_object_find_global(obj, "raw_cookie", &bss, &o3, &size), 0);
		mem = bbpf_map_mmaped(bss, NULL);
		if (mem) {
			__atomic_load((const uint64_t *)(const void *)(mem + off), &hits,
				      __ATOMIC_SEQ_CST);
			__atomic_load((const uint64_t *)(const void *)(mem + o2), &c1, __ATOMIC_SEQ_CST);
			__atomic_load((const uint64_t *)(const void *)(mem + o3), &c2, __ATOMIC_SEQ_CST);
			r->count = c1 == LC_COOKIE && c2 == LC_COOKIE + 1 ? hits : 0;
		}
	}
	if (sp->trigger) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		const uint8_t *mem;

		assert_true(fd >= 0);
		assert_int_equal(write(fd, "x", 1), 1);
		close(fd);
		assert_int_equal(bbpf_object_find_global(obj, "write_count", &bss, &off, &size), 0);
		mem = bbpf_map_mmaped(bss, NULL);
		if (mem)
			__atomic_load((const uint64_t *)(const void *)(mem + off), &r->count,
				      __ATOMIC_SEQ_CST);
	}
	r->done = true;
out:
	if (obj && bbpf_object_error(obj)) {
		r->diag = *bbpf_object_error(obj);
		snprintf(r->diag_name, sizeof(r->diag_name), "%s", r->diag.name ? r->diag.name : "");
		r->diag.name = NULL;
		r->has_diag = true;
	}
	for (size_t i = 0; i < ARRAY_LEN(r->links); i++)
		bbpf_link_destroy(r->links[i]);
	bbpf_object_close(obj);
	if (!shared)
		bbpf_ctx_free(ctx);
}

/* Pins under the private root: none expected after a failure, only pinned_hash after success. Removes all. */
static size_t pins_check(bool success, char *what, size_t size)
{
	size_t bad = 0, found = 0;
	struct dirent *e;
	DIR *d;

	*what = '\0';
	d = opendir(pin_root);
	if (!d) {
		if (success)
			snprintf(what, size, " pin root %s missing after a successful load;", pin_root);
		return success;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (success && !strcmp(e->d_name, "pinned_hash")) {
			found++;
		} else {
			bad++;
			snprintf(what + strlen(what), size - strlen(what),  " pin left: %.64s;",
				 e->d_name);
		}
		unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	rmdir(pin_root);
	if (success && !found) {
		bad++;
		snprintf(what + strlen(what), size - strlen(what), " pinned_hash not pinned;");
	}
	return bad;
}

/* ==== sweep ==== */

struct sweep {
	struct fs_wrap *w;
	struct below *b;
	struct trace_ent *trace;	/* the clean run's calls */
	struct idset *base, *now;
	unsigned long probe_lo, probe_hi;	/* calls (lo, hi] are the feature probes */
	unsigned char *tolerated;	/* per n: bit j set if errs[j] was tolerated */
	size_t findings, not_reached, no_warn_probe, sampled_out;
	size_t diag_checked;	/* failed loads/attaches whose structured error was checked */
};

/*
 * The stage a failure of the clean run's call n must be reported in, when
 * the call says it (BBPF_STAGE_MAX: any stage is plausible).
 */
static enum bbpf_stage stage_of_call(const struct sweep *s, unsigned long n, bool attaching)
{
	const struct trace_ent *t;

	if (!s->trace || n == 0 || n > s->b->trace_cnt)
		return BBPF_STAGE_MAX;
	t = &s->trace[n - 1];
	if (attaching)
		return BBPF_STAGE_ATTACH;
	if (t->hook == FS_HOOK_BPF && t->cmd == BPF_PROG_LOAD && n > s->probe_hi)
		return BBPF_STAGE_PROG;
	if (t->hook == FS_HOOK_BPF && (t->cmd == BPF_MAP_CREATE || t->cmd == BPF_MAP_FREEZE) &&
	    n > s->probe_hi)
		return BBPF_STAGE_MAP;
	if (t->hook == FS_HOOK_MMAP)
		return BBPF_STAGE_MAP;
	return BBPF_STAGE_MAX;
}

/* One run with call n failing with err (n 0: clean run, traced). Returns the problems found. */
static size_t one_run(struct sweep *s, struct lc_spec *sp, unsigned long n, int err,
		      struct lc_run *r)
{
	struct bbpf_sys bsys = below_init(s->b, n ? NULL : s->trace), sys;
	char label[160], call[96], pins[256];
	size_t bad = 0, i;
	uint8_t ei = 0xff;
	bool probe;
	int k;

	for (i = 0; n && i < ARRAY_LEN(errs); i++)
		if (errs[i] == err)
			ei = (uint8_t)i;
	sys = fs_wrap_init(s->w, &bsys);
	if (n)
		fs_wrap_fail(s->w, n, err);
	lc_run_init(r, sp, s->w);
	lifecycle(r, &sys, NULL);
	sp->runs++;
	{	/* the clean run's trace names call n */
		struct below tb = { .trace = s->trace, .trace_cnt = sp->k };

		trace_str(&tb, n, call, sizeof(call));
	}
	snprintf(label, sizeof(label), "%s n=%lu (%s) %s", sp->file, n, call, n ? errname(err) : "clean");
	probe = n > s->probe_lo && n <= s->probe_hi;
#define BAD(...) do { bad++; print_message("  FINDING %s: ", label); print_message(__VA_ARGS__); } while (0)
	if (r->step && r->err >= 0)
		BAD("%s returned %d, not a negative errno\n", r->step, r->err);
	if (!r->step && sp->trigger && r->count < 1)
		BAD("run completed but write_count is %llu\n", (unsigned long long)r->count);
	if (!r->step && sp->api && r->count < 3)
		BAD("run completed but tp_hits (with both cookies right) is %llu\n",
		    (unsigned long long)r->count);
	if (n && !s->w->injected)
		s->not_reached++;
	if (n && r->step && !r->warn) {
		if (probe)
			s->no_warn_probe++;
		else
			BAD("%s failed with %d and logged no WARN (%u messages)\n", r->step,
			    r->err, r->msgs);
	}
	/* a failed load or attach says where, through the structured error */
	if (r->step && (!strcmp(r->step, "bbpf_object_load") ||
			!strcmp(r->step, "bbpf_object_attach"))) {
		bool attaching = !strcmp(r->step, "bbpf_object_attach");
		enum bbpf_stage want = stage_of_call(s, n, attaching);

		if (!r->has_diag)
			BAD("%s failed with %d and bbpf_object_error() is NULL\n", r->step, r->err);
		else if (r->diag.err != r->err)
			BAD("%s returned %d but the structured error says %d\n", r->step, r->err,
			    r->diag.err);
		else if (attaching ? r->diag.stage != BBPF_STAGE_ATTACH :
			 (r->diag.stage < BBPF_STAGE_PREPARE || r->diag.stage > BBPF_STAGE_SLOT))
			BAD("%s failed in stage %s\n", r->step, bbpf_stage_str(r->diag.stage));
		else if (want != BBPF_STAGE_MAX && r->diag.stage != want)
			BAD("call %lu failed: stage %s, expected %s\n", n,
			    bbpf_stage_str(r->diag.stage), bbpf_stage_str(want));
		else if ((r->diag.stage == BBPF_STAGE_MAP || r->diag.stage == BBPF_STAGE_PROG ||
			  r->diag.stage == BBPF_STAGE_ATTACH || r->diag.stage == BBPF_STAGE_SLOT) &&
			 !r->diag_name[0])
			BAD("stage %s failure names no map or program\n",
			    bbpf_stage_str(r->diag.stage));
		else
			s->diag_checked++;
	}
	if (fs_wrap_open_fds(s->w) || fs_wrap_open_maps(s->w) || s->w->overflow) {
		BAD("%zu fds and %zu mappings left open:\n", fs_wrap_open_fds(s->w),
		    fs_wrap_open_maps(s->w));
		fs_wrap_dump(s->w, stdout);
		fs_wrap_release(s->w);
	}
	if (r->fa.live)
		BAD("%zu bytes still allocated after close\n", r->fa.live);
	if (sp->pins && pins_check(!r->step, pins, sizeof(pins)))
		BAD("pins:%s\n", pins);
	for (k = 0; k < K_CNT; k++)
		for (i = 0; i < s->b->made_cnt[k] && pend_cnt < ARRAY_LEN(pend); i++)
			pend[pend_cnt++] = (struct made_by){ s->b->made[k][i], (uint32_t)n,
							     (uint8_t)k, ei };
	if (s->b->made_overflow || pend_cnt == ARRAY_LEN(pend))
		BAD("id recording failed or overflowed\n");
	if (bad && r->step)
		print_message("    (%s returned %d; first WARN: %s)\n", r->step, r->err, r->warn1);
#undef BAD
	return bad;
}

/*
 * Inside a loop of more than six reads of one file, only the first and last
 * three reads and every LC_READ_STRIDE-th (default 64; 1: every n) are
 * swept: the same code path, and externs.bpf.o reads /proc/kallsyms in
 * ~2700 chunks, each run reading up to n of them, which under ASan would
 * make the exhaustive sweep take ~40 minutes.
 */
static bool sampled_out(const struct trace_ent *t, unsigned long n, unsigned long k)
{
	const char *env = getenv("LC_READ_STRIDE");
	unsigned long stride = env ? strtoul(env, NULL, 10) : 64, i;

	if (!stride || n < 4 || n + 3 > k || n % stride == 0)
		return false;
	for (i = n - 3; i <= n + 3; i++)
		if (t[i - 1].hook != FS_HOOK_READ || strcmp(t[i - 1].arg, t[n - 1].arg))
			return false;
	return true;
}

/* Static, so a failing assertion (a longjmp) leaks nothing LSan would report. */
static struct fs_wrap sw_wrap;
static struct below sw_below;
static struct trace_ent sw_trace[MAX_TRACE];
static struct idset sw_base, sw_now;
static unsigned char sw_tolerated[MAX_TRACE + 1];

/* LC_RUN=file:n:ERRNO: only that run, verbose. True if it names another object. */
static bool only_run(const struct lc_spec *sp, unsigned long *n, int *err)
{
	const char *env = getenv("LC_RUN"), *c1, *c2;
	size_t j;

	*n = 0;
	if (!env)
		return false;
	c1 = strchr(env, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || strncmp(env, sp->file, (size_t)(c1 - env)) || sp->file[c1 - env])
		return true;
	*n = strtoul(c1 + 1, NULL, 10);
	for (j = 0; j < ARRAY_LEN(errs); j++)
		if (!strcmp(c2 + 1, errname(errs[j])))
			*err = errs[j];
	setenv("LC_VERBOSE", "1", 1);
	return false;
}

static void sweep_object(struct lc_spec *sp)
{
	struct sweep s = { .w = &sw_wrap, .b = &sw_below, .trace = sw_trace, .base = &sw_base,
			   .now = &sw_now, .tolerated = sw_tolerated };
	struct lc_run r;
	unsigned long n, k, full = 40, only;
	double t0 = now_s();
	size_t j, cnt, i, len = 0;
	const char *env = getenv("LC_FULL_ERRNO");
	int only_err = -EPERM;

	if (env)
		full = strtoul(env, NULL, 10);
	if (only_run(sp, &only, &only_err)) {
		print_message("[  SKIP    ] %s: not selected by LC_RUN=%s\n", sp->file,
			      getenv("LC_RUN"));
		skip();
	}

	/* the clean run: K, the breakdown, the probe range */
	snapshot(s.base);
	pend_cnt = 0;
	assert_int_equal(one_run(&s, sp, 0, 0, &r), 0);
	if (r.step)
		fail_msg("%s: clean run: %s failed: %d (%s)", sp->file, r.step, r.err, r.warn1);
	k = sp->k = s.w->calls;
	s.probe_lo = r.pre_load;
	s.probe_hi = r.probe_end;
	assert_true(s.b->trace_cnt == k);
	print_message("  %s: K = %lu table calls (feature probes: calls %lu..%lu)%s\n", sp->file,
		      k, s.probe_lo + 1, s.probe_hi, sp->trigger ? ", write_count read back" : "");
	print_message("    per hook:");
	for (i = 0; i < FS_HOOK_CNT; i++)
		if (s.w->hook_calls[i])
			print_message(" %s %lu", fs_hook_name((int)i), s.w->hook_calls[i]);
	print_message("\n    bpf per cmd:");
	for (i = 0; i < FS_BPF_CMD_MAX; i++)
		if (s.w->bpf_calls[i])
			print_message(" %zu:%lu", i, s.w->bpf_calls[i]);
	print_message("\n");

	assert_true(k <= MAX_TRACE);
	memset(s.tolerated, 0, k + 1);
	if (only) {
		s.findings = one_run(&s, sp, only, only_err, &r);
		print_message("  LC_RUN %s n=%lu %s: %s -> %d, %zu findings\n", sp->file, only,
			      errname(only_err), r.step ? r.step : "completed", r.err, s.findings);
		s.findings += settle(s.base, s.now, sp->file);
		assert_int_equal(s.findings, 0);
		return;
	}
	for (n = 1; n <= k; n++) {
		if (sampled_out(s.trace, n, k)) {
			s.sampled_out++;
			continue;
		}
		cnt = n <= full ? ARRAY_LEN(errs) : 1;
		for (j = 0; j < cnt; j++) {
			size_t e = n <= full ? j : n % ARRAY_LEN(errs);

			s.findings += one_run(&s, sp, n, errs[e], &r);
			if (!r.step)
				s.tolerated[n] |= (unsigned char)(1u << e);
		}
	}

	s.findings += settle(s.base, s.now, sp->file);

	/* tolerated n's: "n call [errnos]" */
	for (n = 1; n <= k; n++) {
		char call[96];
		struct below tb = { .trace = s.trace, .trace_cnt = k };

		if (!s.tolerated[n])
			continue;
		sp->tolerated_cnt++;
		trace_str(&tb, n, call, sizeof(call));
		len += (size_t)snprintf(sp->tolerated + len, len < sizeof(sp->tolerated) ?
					sizeof(sp->tolerated) - len : 0, " %lu", n);
		if (len >= sizeof(sp->tolerated))
			len = sizeof(sp->tolerated) - 1;
		print_message("    tolerated n=%lu %s%s:", n, call,
			      n > s.probe_lo && n <= s.probe_hi ? " [probe]" : "");
		for (j = 0; j < ARRAY_LEN(errs); j++)
			if (s.tolerated[n] & (1u << j))
				print_message(" %s", errname(errs[j]));
		print_message("\n");
	}
	sp->secs = now_s() - t0;
	print_message("  %s: %zu runs in %.1f s; %zu of %lu n tolerated; %zu n past the run's end; "
		      "%zu probe failures without WARN; %zu n in read loops skipped (LC_READ_STRIDE); "
		      "%zu failed loads/attaches checked through bbpf_object_error()\n", sp->file,
		      sp->runs, sp->secs, sp->tolerated_cnt, k, s.not_reached, s.no_warn_probe,
		      s.sampled_out, s.diag_checked);
	/* the sweep must have met failing loads, and checked each one's structured error */
	assert_true(s.diag_checked > 0);
	if (s.findings)
		fail_msg("%s: %zu findings (see FINDING lines)", sp->file, s.findings);
}

static struct lc_spec spec_minimal = { .file = "minimal.bpf.o", .attach = true, .trigger = true };
static struct lc_spec spec_maps = { .file = "maps_btf.bpf.o", .pins = true };
static struct lc_spec spec_externs = { .file = "externs.bpf.o", .attach = true };
static struct lc_spec spec_trace = { .file = "trace_kinds.bpf.o", .api = true };

static void test_sweep_minimal(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	sweep_object(&spec_minimal);
}

static void test_sweep_maps(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/bbpf_lc_%d", (int)getpid());
	sweep_object(&spec_maps);
}

/* All three programs, kfuncs included: a clean run that fails is a failure. */
static void test_sweep_externs(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	sweep_object(&spec_externs);
}

/* The public attach calls (tracepoint and raw tracepoint with cookies, a clock on every CPU). */
static void test_sweep_trace_kinds(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	sweep_object(&spec_trace);
}

/* ==== 1000 cycles ==== */

static size_t count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3;	/* ".", ".." and the directory's own fd */
}

static size_t heap_bytes(void)
{
#ifdef LC_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

static double cycles_s;

static void test_cycles(void **state)
{
	struct lc_spec sp = { .file = "minimal.bpf.o", .attach = true, .trigger = true };
	struct idset *base = &sw_base, *now = &sw_now;
	size_t fds0, fds1 = 0, fds2, heap1 = 0, heap2, ctx1 = 0, ctx2, mi1 = 0, mi2;
	struct lc_run rc, r;
	struct bbpf_ctx *ctx;
	struct bbpf_sys sys;
	double t0;
	size_t j;
	int i, k;

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	if (getenv("LC_RUN")) {
		print_message("[  SKIP    ] %s: LC_RUN=%s selects one sweep run\n", __func__,
			      getenv("LC_RUN"));
		skip();
	}
	snapshot(base);
	fds0 = count_fds();
	/*
	 * The Linux table behind the recording layer (no injection): it only
	 * notes the ids created, so objects of other processes are told apart.
	 */
	sys = below_init(&sw_below, NULL);
	pend_cnt = 0;
	lc_run_init(&rc, &sp, NULL);	/* the context's log and counting allocator */
	assert_int_equal(bbpf_ctx_new(&ctx, &(struct bbpf_ctx_opts){ .sys = &sys, .log = cap_log,
			 .log_ctx = &rc, .alloc = &rc.alloc }), 0);
	t0 = now_s();
	for (i = 0; i < CYCLES; i++) {
		if (i == WARMUP) {
			fds1 = count_fds();
			heap1 = heap_bytes();
			ctx1 = rc.fa.live;
			mi1 = mallinfo2().uordblks;
		}
		lc_run_init(&r, &sp, NULL);
		lifecycle(&r, NULL, ctx);
		if (r.step)
			fail_msg("cycle %d: %s: %d (%s)", i, r.step, r.err, r.warn1);
		if (r.count < 1 || r.fa.live || rc.warn)
			fail_msg("cycle %d: write_count %llu, %zu object bytes left, %u ctx WARNs",
				 i, (unsigned long long)r.count, r.fa.live, rc.warn);
		for (k = 0; k < K_CNT; k++) {
			for (j = 0; j < sw_below.made_cnt[k] && pend_cnt < ARRAY_LEN(pend); j++)
				pend[pend_cnt++] = (struct made_by){ sw_below.made[k][j],
								     (uint32_t)i, (uint8_t)k, 0xff };
			sw_below.made_cnt[k] = 0;
		}
		assert_false(sw_below.made_overflow);
	}
	cycles_s = now_s() - t0;
	fds2 = count_fds();
	heap2 = heap_bytes();
	ctx2 = rc.fa.live;
	mi2 = mallinfo2().uordblks;
	bbpf_ctx_free(ctx);
	print_message("  %d cycles in %.1f s%s; fds %zu/%zu/%zu (start/after %d/end); "
		      "heap %zu -> %zu (%s); ctx-owned bytes %zu -> %zu, %zu after free; "
		      "mallinfo2 uordblks %zu -> %zu\n", CYCLES, cycles_s,
		      cycles_s > 90 ? " (over 90 s)" : "", fds0, fds1, fds2, WARMUP, heap1, heap2,
#ifdef LC_ASAN
		      "ASan allocated bytes",
#else
		      "mallinfo2 uordblks",
#endif
		      ctx1, ctx2, rc.fa.live, mi1, mi2);
	assert_int_equal(rc.fa.live, 0);
	assert_int_equal(fds2, fds1);
	assert_int_equal(count_fds(), fds0);
	if (heap2 > heap1 + 4096)
		fail_msg("heap grew by %zu bytes over %d cycles", heap2 - heap1, CYCLES - WARMUP);
	if (ctx2 > ctx1 + 4096)
		fail_msg("context-owned memory grew by %zu bytes over %d cycles", ctx2 - ctx1,
			 CYCLES - WARMUP);
	if (settle(base, now, "cycles"))
		fail_msg("kernel objects differ from the baseline after %d ms", SETTLE_MS);
}

static int summary(void **state)
{
	const struct lc_spec *all[] = { &spec_minimal, &spec_maps, &spec_externs, &spec_trace };
	size_t i;

	(void)state;
	print_message("summary:\n");
	for (i = 0; i < ARRAY_LEN(all); i++)
		print_message("  %-16s K=%-5lu runs=%-6zu %6.1f s  tolerated n (%zu):%s\n",
			      all[i]->file, all[i]->k, all[i]->runs, all[i]->secs, all[i]->tolerated_cnt,
			      all[i]->tolerated_cnt ? all[i]->tolerated : " none");
	print_message("  %d cycles: %.1f s\n", CYCLES, cycles_s);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_minimal),
		cmocka_unit_test(test_sweep_maps),
		cmocka_unit_test(test_sweep_externs),
		cmocka_unit_test(test_sweep_trace_kinds),
		cmocka_unit_test(test_cycles),
	};

	return cmocka_run_group_tests(tests, NULL, summary);
}
