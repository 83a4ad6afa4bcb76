// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe, uretprobe, uprobe.multi/session and USDT attach (src/attach/
 * uprobe.c, uprobe_multi.c, usdt.c) against a fake kernel: a target program
 * compiled here (tests/lib/uprobe_target.c, PIE and non-PIE) served as
 * /t/target and /t/target_nopie, the uprobe PMU's sysfs files, tracefs, and
 * objects loaded through a syscall table that records every call in front
 * of tests/lib/fake_sys (fs_wrap tracks fds and injects faults, fs_script
 * is the kernel). Offsets are checked against the test's own ELF reader.
 *
 * What is checked: the exact perf_event_open attributes (PMU type, config
 * bits from the format files, path, offset, pid/cpu), the perf link or the
 * ioctls, the legacy tracefs commands and their removal, BPF_LINK_CREATE
 * for uprobe-multi/session with every array, the USDT spec map values, ip
 * map entries and spec ids (reuse across links), the load-side feature
 * probe and expected attach type, auto-attach from section names, and a
 * fault sweep: every call failing in turn leaves no fd, no uprobe_events
 * entry, no non-zero spec and no spec id taken.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/perf_event.h>
#include <asm/ptrace.h>
#include <cmocka.h>

#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "attach/attach.h"
#include "base/uapi_compat.h"
#include "kern/kern.h"
#include "fail_alloc.h"
#include "fake_sys.h"
#include "tiny_obj.h"
#include "uprobe_target.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define TGT "/t/target"
#define TGT_NOPIE "/t/target_nopie"
#define PMU_TYPE "/sys/bus/event_source/devices/uprobe/type"
#define PMU_RET "/sys/bus/event_source/devices/uprobe/format/retprobe"
#define PMU_REF "/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset"
#define UPROBE_EVENTS "/sys/kernel/tracing/uprobe_events"
#define FAKE_PID 4242	/* fs_script's getpid */
#define PMU 8

/* The target, built once. */
static struct ut_dir g_dir;
static uint8_t *g_pie, *g_nopie;
static size_t g_pie_len, g_nopie_len;

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int group_setup(void **state)
{
	(void)state;
	if (ut_build(&g_dir, "uprobe_unit"))
		return -1;
	g_pie = read_all(g_dir.pie, &g_pie_len);
	g_nopie = read_all(g_dir.nopie, &g_nopie_len);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(g_pie);
	free(g_nopie);
	ut_clean(&g_dir);
	return 0;
}

/* File offset of a function of the PIE build (the test's own reader). */
static uint64_t sym_off(const char *name)
{
	int64_t off = ut_sym_off(g_dir.pie, name);

	if (off < 0)
		fail_msg("no symbol %s in %s", name, g_dir.pie);
	return (uint64_t)off;
}

static struct ut_note note_of(const char *path, const char *name)
{
	struct ut_note n[2];

	if (ut_notes(path, "bbpf_t", name, n, 2) != 1)
		fail_msg("expected one note bbpf_t:%s in %s", name, path);
	return n[0];
}

/* ---- recorder ---- */

#define REC_MAX 256
#define ARR_MAX 16

struct rec_call {
	int hook;
	int cmd;
	union bpf_attr attr;
	char str[512];			/* open path, write text, config1 path, multi path */
	struct perf_event_attr pattr;
	int pid, cpu, group;
	unsigned long flags;
	int fd;
	unsigned long req, arg;
	bool file;			/* open/close/read of a served file: not the kernel's work */
	uint64_t key;			/* map update/delete */
	uint8_t value[512];
	uint32_t value_len;
	uint64_t offs[ARR_MAX], refs[ARR_MAX], cookies[ARR_MAX];
	bool has_refs, has_cookies;
	long ret;
};

struct rec {
	struct bbpf_sys inner;
	const struct fs_script *script;
	struct rec_call calls[REC_MAX];
	size_t cnt;
	bool overflow;
	bool file_fd[FS_FAKE_FDS];	/* fds from open() */
	bool events_fd[FS_FAKE_FDS];	/* fds of uprobe_events */
	int specs_fd, ip_fd;		/* the object's USDT maps */
	bool specs_alias[FS_FAKE_FDS];	/* dups of them */
	bool ip_alias[FS_FAKE_FDS];
	uint32_t spec_size;
	int write_fail[8];		/* errors for the next writes to uprobe_events */
	size_t write_fail_cnt;
	/* what uprobe_events holds now (our adds minus our removals) */
	char events[16][80];
	size_t event_cnt;
	/* the spec map: last value written per key (ids < 64) */
	bool spec_nonzero[64];
};

static struct rec_call *rec_add(struct rec *r, int hook)
{
	struct rec_call *c;

	if (r->cnt == REC_MAX) {
		r->overflow = true;
		r->cnt = 0;	/* keep going: the sweeps make many calls */
	}
	c = &r->calls[r->cnt++];
	memset(c, 0, sizeof(*c));
	c->hook = hook;
	return c;
}

static bool fd_ok(int fd)
{
	return fd >= FS_FAKE_FD_BASE && fd < FS_FAKE_FD_BASE + FS_FAKE_FDS;
}

static void copy_arr(uint64_t *dst, uint64_t src, uint32_t cnt)
{
	if (src)
		memcpy(dst, (const void *)(uintptr_t)src, (cnt < ARR_MAX ? cnt : ARR_MAX) * 8);
}

static bool is_specs(const struct rec *r, int fd)
{
	return fd == r->specs_fd || (fd_ok(fd) && r->specs_alias[fd - FS_FAKE_FD_BASE]);
}

static bool is_ip(const struct rec *r, int fd)
{
	return fd == r->ip_fd || (fd_ok(fd) && r->ip_alias[fd - FS_FAKE_FD_BASE]);
}

static long rec_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_BPF);

	c->cmd = cmd;
	c->attr = *attr;
	if (cmd == BPF_LINK_CREATE) {
		struct bbpf_uprobe_multi_attr um;

		memcpy(&um, (const char *)attr + BBPF_LINK_CREATE_UPROBE_MULTI_OFF, sizeof(um));
		if ((int)attr->link_create.attach_type == BBPF_TRACE_UPROBE_MULTI ||
		    (int)attr->link_create.attach_type == BBPF_TRACE_UPROBE_SESSION) {
			if (um.path)
				snprintf(c->str, sizeof(c->str), "%s", (const char *)(uintptr_t)um.path);
			copy_arr(c->offs, um.offsets, um.cnt);
			copy_arr(c->refs, um.ref_ctr_offsets, um.cnt);
			copy_arr(c->cookies, um.cookies, um.cnt);
			c->has_refs = um.ref_ctr_offsets != 0;
			c->has_cookies = um.cookies != 0;
		}
	}
	if (cmd == BPF_OBJ_PIN)
		snprintf(c->str, sizeof(c->str), "%s", (const char *)(uintptr_t)attr->pathname);
	if ((cmd == BPF_MAP_UPDATE_ELEM || cmd == BPF_MAP_DELETE_ELEM) &&
	    (is_specs(r, (int)attr->map_fd) || is_ip(r, (int)attr->map_fd))) {
		bool specs = is_specs(r, (int)attr->map_fd);
		const void *key = (const void *)(uintptr_t)attr->key;

		if (specs) {
			uint32_t k;

			memcpy(&k, key, 4);
			c->key = k;
		} else {
			memcpy(&c->key, key, 8);
		}
		if (cmd == BPF_MAP_UPDATE_ELEM) {
			c->value_len = specs ? r->spec_size : 4;
			memcpy(c->value, (const void *)(uintptr_t)attr->value, c->value_len);
		}
	}
	c->ret = r->inner.bpf(r->inner.ctx, cmd, attr, size);
	/* The spec map as the kernel would hold it. */
	if (!c->ret && cmd == BPF_MAP_UPDATE_ELEM && is_specs(r, (int)attr->map_fd) &&
	    c->key < 64) {
		bool nz = false;

		for (uint32_t i = 0; i < c->value_len; i++)
			nz |= c->value[i] != 0;
		r->spec_nonzero[c->key] = nz;
	}
	return c->ret;
}

static long rec_perf_event_open(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu,
				int group_fd, unsigned long flags)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_PERF_EVENT_OPEN);

	c->pattr = *attr;
	if (attr->type == PMU && attr->config1)
		snprintf(c->str, sizeof(c->str), "%s", (const char *)(uintptr_t)attr->config1);
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
	assert_true(fd_ok(fd));
	assert_true(r->script->fds[fd - FS_FAKE_FD_BASE].open);
	c->file = r->file_fd[fd - FS_FAKE_FD_BASE];
	r->file_fd[fd - FS_FAKE_FD_BASE] = false;
	r->events_fd[fd - FS_FAKE_FD_BASE] = false;
	r->specs_alias[fd - FS_FAKE_FD_BASE] = false;
	r->ip_alias[fd - FS_FAKE_FD_BASE] = false;
	return c->ret = r->inner.close(r->inner.ctx, fd);
}

static long rec_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_OPEN);

	snprintf(c->str, sizeof(c->str), "%s", path);
	c->file = true;
	c->ret = r->inner.open(r->inner.ctx, path, flags, mode);
	if (c->ret >= 0 && fd_ok((int)c->ret)) {
		r->file_fd[c->ret - FS_FAKE_FD_BASE] = true;
		r->events_fd[c->ret - FS_FAKE_FD_BASE] = !strcmp(path, UPROBE_EVENTS);
	}
	return c->ret;
}

static void events_apply(struct rec *r, const char *cmd)
{
	const char *name = strchr(cmd, '/');
	size_t i, len;

	if (!name)
		return;
	name++;
	len = strcspn(name, " ");
	if (cmd[0] == '-') {
		for (i = 0; i < r->event_cnt; i++)
			if (strlen(r->events[i]) == len && !memcmp(r->events[i], name, len)) {
				memcpy(r->events[i], r->events[--r->event_cnt], sizeof(r->events[i]));
				return;
			}
		fail_msg("removing %s, which is not there", cmd);
	}
	assert_true(r->event_cnt < ARRAY_LEN(r->events) && len < sizeof(r->events[0]));
	memcpy(r->events[r->event_cnt], name, len);
	r->events[r->event_cnt++][len] = '\0';
}

static long rec_write(void *ctx, int fd, const void *buf, size_t len)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_WRITE);

	c->fd = fd;
	snprintf(c->str, sizeof(c->str), "%.*s", (int)len, (const char *)buf);
	if (fd_ok(fd) && r->events_fd[fd - FS_FAKE_FD_BASE] && r->write_fail_cnt) {
		c->ret = r->write_fail[0];
		memmove(r->write_fail, r->write_fail + 1, --r->write_fail_cnt * sizeof(int));
		return c->ret;
	}
	c->ret = r->inner.write(r->inner.ctx, fd, buf, len);
	if (c->ret == (long)len && fd_ok(fd) && r->events_fd[fd - FS_FAKE_FD_BASE])
		events_apply(r, c->str);
	return c->ret;
}

/* Reads, statx and mappings are how files are read: passed on, not recorded. */
static long rec_read(void *ctx, int fd, void *buf, size_t len)
{
	struct rec *r = ctx;

	return r->inner.read(r->inner.ctx, fd, buf, len);
}

static long rec_pread(void *ctx, int fd, void *buf, size_t len, uint64_t off)
{
	struct rec *r = ctx;

	return r->inner.pread(r->inner.ctx, fd, buf, len, off);
}

static long rec_statx(void *ctx, int dirfd, const char *path, int flags, unsigned int mask,
		      struct statx *buf)
{
	struct rec *r = ctx;

	return r->inner.statx(r->inner.ctx, dirfd, path, flags, mask, buf);
}

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

static long rec_dup(void *ctx, int fd)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_DUP);

	c->fd = fd;
	c->ret = r->inner.dup(r->inner.ctx, fd);
	if (c->ret >= 0 && fd_ok((int)c->ret)) {
		r->specs_alias[c->ret - FS_FAKE_FD_BASE] = is_specs(r, fd);
		r->ip_alias[c->ret - FS_FAKE_FD_BASE] = is_ip(r, fd);
	}
	return c->ret;
}

static long rec_getpid(void *ctx)
{
	struct rec *r = ctx;

	return r->inner.getpid(r->inner.ctx);
}

static long rec_uname(void *ctx, struct utsname *u)
{
	struct rec *r = ctx;

	return r->inner.uname(r->inner.ctx, u);
}

/* ---- an object loaded with no kernel behind it ---- */

enum {
	F_PERF_LINK = 1 << 0,	/* the kernel has BPF perf links (and so BPF cookies) */
	F_MULTI = 1 << 1,	/* ... and uprobe-multi links */
	F_NO_PMU = 1 << 2,	/* no uprobe PMU: legacy tracefs probes */
	F_NO_REF = 1 << 3,	/* the PMU has no ref_ctr_offset format */
	F_RECORD_LOAD = 1 << 4,	/* keep the load's calls; uprobe-multi not probed yet */
};

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
	size_t prog_cnt;
	struct bbpf_program *progs[PROG_MAX];
	int prog_fds[PROG_MAX];
	size_t base_fds;
	char maps_text[512];
};

static void add_files(struct env *e, unsigned int flags)
{
	fs_script_add_file(&e->script, TGT, (const char *)g_pie, g_pie_len);
	fs_script_add_file(&e->script, TGT_NOPIE, (const char *)g_nopie, g_nopie_len);
	if (!(flags & F_NO_PMU))
		fs_script_add_file(&e->script, PMU_TYPE, "8\n", 2);
	fs_script_add_file(&e->script, PMU_RET, "config:0\n", 9);
	if (!(flags & F_NO_REF))
		fs_script_add_file(&e->script, PMU_REF, "config:32-63\n", 13);
	fs_script_add_file(&e->script, UPROBE_EVENTS, "", 0);
}

/* Serve path with new contents (replacing an earlier one). */
static void serve(struct env *e, const char *path, const char *data)
{
	for (size_t i = 0; i < e->script.file_cnt; i++) {
		if (!strcmp(e->script.files[i].path, path)) {
			e->script.files[i].data = data;
			e->script.files[i].len = strlen(data);
			e->script.files[i].open_err = 0;
			return;
		}
	}
	fs_script_add_file(&e->script, path, data, strlen(data));
}

static void unserve(struct env *e, const char *path)
{
	for (size_t i = 0; i < e->script.file_cnt; i++)
		if (!strcmp(e->script.files[i].path, path))
			e->script.files[i].open_err = -ENOENT;
}

/*
 * A fixture (build/bpf/NAME) or, with secs, an object of one trivial
 * program per section, loaded through the recorder on a kernel with the
 * features flags say. Recording starts after the load unless F_RECORD_LOAD.
 */
static struct env *env_new(const char *fixture, const char *const *secs, size_t cnt,
			   unsigned int flags)
{
	static const char *const funcs[] = { "bpf_session_is_return", "bpf_session_cookie" };
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { .ld_library_path = "/t/lib", .exec_path = "/t/bin" };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_sys inner;
	struct bbpf_map *m;
	size_t i, len;
	uint32_t blen;

	assert_non_null(e);
	inner = fs_script_init(&e->script);
	e->vmlinux = tk_tiny_vmlinux(funcs, ARRAY_LEN(funcs), NULL, 0, &blen);
	fs_script_add_file(&e->script, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux, blen);
	add_files(e, flags);
	e->rec.inner = fs_wrap_init(&e->wrap, &inner);
	e->rec.script = &e->script;
	e->rec.specs_fd = e->rec.ip_fd = -1;
	e->sys = (struct bbpf_sys){ .ctx = &e->rec, .bpf = rec_bpf,
				    .perf_event_open = rec_perf_event_open, .ioctl = rec_ioctl,
				    .close = rec_close, .open = rec_open, .read = rec_read,
				    .write = rec_write, .pread = rec_pread, .statx = rec_statx,
				    .mmap = rec_mmap, .munmap = rec_munmap, .dup = rec_dup,
				    .getpid = rec_getpid, .uname = rec_uname };
	co.sys = &e->sys;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	e->ctx->feat.probed = true;
	e->ctx->feat.memcg_account = true;
	e->ctx->feat.prog_name = true;
	e->ctx->feat.global_data = true;
	e->ctx->feat.array_mmap = true;
	e->ctx->feat.exp_attach_type = true;
	e->ctx->feat.perf_link = flags & F_PERF_LINK;
	e->ctx->feat.uprobe_multi_probed = !(flags & F_RECORD_LOAD);
	e->ctx->feat.uprobe_multi_link = flags & F_MULTI;

	if (fixture) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, fixture);
		assert_int_equal(bbpf_object_open_file(&e->obj, path, NULL, NULL), 0);
	} else {
		e->elf = tk_tiny_object(secs, cnt, &len);
		assert_int_equal(bbpf_object_open_mem(&e->obj, e->elf, len, NULL, NULL), 0);
	}
	e->prog_cnt = bbpf_object_program_cnt(e->obj);
	assert_true(e->prog_cnt <= PROG_MAX);
	for (i = 0; i < e->prog_cnt; i++)
		e->progs[i] = bbpf_object_program(e->obj, i);
	lo.ctx = e->ctx;
	if (!(flags & F_RECORD_LOAD))
		assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	for (i = 0; i < e->prog_cnt && !(flags & F_RECORD_LOAD); i++) {
		e->prog_fds[i] = bbpf_program_fd(e->progs[i]);
		assert_true(e->prog_fds[i] >= 0);
	}
	m = bbpf_object_find_map(e->obj, "__bpf_usdt_specs");
	if (m && !(flags & F_RECORD_LOAD)) {
		e->rec.specs_fd = bbpf_map_fd(m);
		e->rec.spec_size = bbpf_map_value_size(m);
		e->rec.ip_fd = bbpf_map_fd(bbpf_object_find_map(e->obj, "__bpf_usdt_ip_to_spec_id"));
	}
	e->base_fds = fs_wrap_open_fds(&e->wrap);
	e->rec.cnt = 0;
	fs_wrap_reset_counts(&e->wrap);
	return e;
}

static struct bbpf_program *prog_named(struct env *e, const char *name)
{
	struct bbpf_program *p = bbpf_object_find_program(e->obj, name);

	assert_non_null(p);
	return p;
}

/* Everything attach made must be gone: fds, probe events, specs, spec ids. */
static void assert_clean(struct env *e)
{
	struct bbpf_inst *inst = bbpf_inst_of(e->obj);

	if (fs_wrap_open_fds(&e->wrap) != e->base_fds) {
		fs_wrap_dump(&e->wrap, stderr);
		fail_msg("%zu fds left open", fs_wrap_open_fds(&e->wrap) - e->base_fds);
	}
	if (e->rec.event_cnt)
		fail_msg("uprobe_events still has %s", e->rec.events[0]);
	for (size_t k = 0; k < 64; k++)
		if (e->rec.spec_nonzero[k])
			fail_msg("spec #%zu still set", k);
	if (inst && inst->usdt_ids)
		assert_int_equal(inst->usdt_ids->free_cnt, inst->usdt_ids->next);
}

static void env_free(struct env *e)
{
	bbpf_object_detach(e->obj);
	assert_clean(e);
	bbpf_object_close(e->obj);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	free(e->elf);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);
}

/* ---- the recorded calls: the kernel's work, without reading served files ---- */

struct cur {
	struct env *e;
	size_t i;
};

static const struct rec_call *next_k(struct cur *c)
{
	while (c->i < c->e->rec.cnt && c->e->rec.calls[c->i].file)
		c->i++;
	return c->i < c->e->rec.cnt ? &c->e->rec.calls[c->i++] : NULL;
}

static const struct rec_call *expect(struct cur *c, int hook)
{
	const struct rec_call *k = next_k(c);

	if (!k)
		fail_msg("expected %s, no more calls", fs_hook_name(hook));
	if (k->hook != hook)
		fail_msg("call #%zu: %s, expected %s", c->i - 1, fs_hook_name(k->hook),
			 fs_hook_name(hook));
	return k;
}

static const struct rec_call *expect_bpf(struct cur *c, int cmd)
{
	const struct rec_call *k = expect(c, FS_HOOK_BPF);

	if (k->cmd != cmd)
		fail_msg("call #%zu: bpf command %d, expected %d", c->i - 1, k->cmd, cmd);
	return k;
}

static void expect_end(struct cur *c)
{
	const struct rec_call *k = next_k(c);

	if (k)
		fail_msg("unexpected call #%zu: %s", c->i - 1, fs_hook_name(k->hook));
}

static void rec_clear(struct env *e)
{
	e->rec.cnt = 0;
}

/* The files opened, in order, as "a,b,c" (served files only). */
static void opened(struct env *e, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < e->rec.cnt; i++)
		if (e->rec.calls[i].hook == FS_HOOK_OPEN)
			n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "",
					      e->rec.calls[i].str);
}

/* A PMU uprobe's perf_event_open. */
static const struct rec_call *expect_pmu_open(struct cur *c, const char *path, uint64_t off,
					      uint64_t config, int pid)
{
	const struct rec_call *k = expect(c, FS_HOOK_PERF_EVENT_OPEN);

	assert_int_equal(k->pattr.type, PMU);
	assert_int_equal(k->pattr.size, sizeof(struct perf_event_attr));
	assert_int_equal(k->pattr.config, config);
	assert_string_equal(k->str, path);
	assert_int_equal(k->pattr.config2, off);
	assert_int_equal(k->pattr.sample_period, 0);
	assert_int_equal(k->pid, pid < 0 ? -1 : pid);
	assert_int_equal(k->cpu, pid < 0 ? 0 : -1);
	assert_int_equal(k->group, -1);
	assert_int_equal(k->flags, PERF_FLAG_FD_CLOEXEC);
	assert_true(k->ret >= 0);
	return k;
}

/* LINK_CREATE(BPF_PERF_EVENT) on pfd with cookie, then ENABLE; the link fd. */
static long expect_perf_link(struct cur *c, int prog_fd, long pfd, uint64_t cookie)
{
	const struct rec_call *k = expect_bpf(c, BPF_LINK_CREATE);
	long lfd = k->ret;

	assert_int_equal(k->attr.link_create.prog_fd, prog_fd);
	assert_int_equal(k->attr.link_create.target_fd, pfd);
	assert_int_equal(k->attr.link_create.attach_type, BPF_PERF_EVENT);
	assert_int_equal(k->attr.link_create.flags, 0);
	assert_int_equal(k->attr.link_create.perf_event.bpf_cookie, cookie);
	k = expect(c, FS_HOOK_IOCTL);
	assert_int_equal(k->fd, pfd);
	assert_int_equal(k->req, PERF_EVENT_IOC_ENABLE);
	return lfd;
}

static void expect_ioctl_attach(struct cur *c, int prog_fd, long pfd)
{
	const struct rec_call *k = expect(c, FS_HOOK_IOCTL);

	assert_int_equal(k->fd, pfd);
	assert_int_equal(k->req, PERF_EVENT_IOC_SET_BPF);
	assert_int_equal(k->arg, (unsigned long)prog_fd);
	k = expect(c, FS_HOOK_IOCTL);
	assert_int_equal(k->fd, pfd);
	assert_int_equal(k->req, PERF_EVENT_IOC_ENABLE);
}

static const char *const up_secs[] = { "uprobe", "uretprobe" };

/* ---- PMU format ---- */

static void test_pmu_format(void **state)
{
	static const struct {
		const char *text;
		int err;
		unsigned int lo, hi;
	} cases[] = {
		{ "config:0\n", 0, 0, 0 },      { "config:32-63\n", 0, 32, 63 },
		{ "config:5", 0, 5, 5 },        { "config:7-7\n", 0, 7, 7 },
		{ "config1:0-63\n", -EOPNOTSUPP, 0, 0 }, { "config2:0\n", -EOPNOTSUPP, 0, 0 },
		{ "cfg:1\n", -EOPNOTSUPP, 0, 0 },     { "config:64\n", -EBADMSG, 0, 0 },
		{ "config:5-3\n", -EBADMSG, 0, 0 },   { "config:\n", -EBADMSG, 0, 0 },
		{ "config:1x\n", -EBADMSG, 0, 0 },    { "config:1-\n", -EBADMSG, 0, 0 },
		{ "config:-1\n", -EBADMSG, 0, 0 },    { "config:100\n", -EBADMSG, 0, 0 },
		{ "config:0,5\n", -EBADMSG, 0, 0 },
	};
	unsigned int lo, hi;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		lo = hi = 99;
		int err = bbpf_pmu_format_parse(cases[i].text, strlen(cases[i].text), &lo, &hi);

		if (err != cases[i].err)
			fail_msg("'%s': %d, expected %d", cases[i].text, err, cases[i].err);
		if (!err && (lo != cases[i].lo || hi != cases[i].hi))
			fail_msg("'%s': %u-%u", cases[i].text, lo, hi);
	}
}

/* ---- uprobe ---- */

static void test_uprobe_perf_link(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, F_PERF_LINK);
	struct bbpf_uprobe_opts o = { .func_name = "tgt_add", .bpf_cookie = 0x77 };
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	char files[512];
	long pfd, lfd;

	(void)state;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0, &o, &link), 0);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_add"), 0, 0)->ret;
	lfd = expect_perf_link(&c, e->prog_fds[0], pfd, 0x77);
	expect_end(&c);
	opened(e, files, sizeof(files));
	assert_string_equal(files, TGT "," PMU_TYPE);
	assert_int_equal(link->fd, lfd);
	assert_int_equal(bbpf_link_fd(link), lfd);
	assert_ptr_equal(bbpf_link_program(link), e->progs[0]);
	assert_int_equal(link->undo_cnt, 1);
	assert_int_equal(link->undo[0].kind, BBPF_UNDO_CLOSE);	/* the link holds the event */
	assert_int_equal(link->undo[0].fd, pfd);

	rec_clear(e);
	bbpf_link_destroy(link);
	c.i = 0;
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, lfd);
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, pfd);
	expect_end(&c);

	/* a pid filter; a retprobe (bit from the format file); a semaphore */
	serve(e, PMU_RET, "config:5\n");
	o = (struct bbpf_uprobe_opts){ .func_name = "tgt_sess", .retprobe = true,
				       .ref_ctr_offset = 0x2abc };
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[1], 1234, TGT, 0, &o, &link), 0);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_sess"), (1ull << 5) | (0x2abcull << 32),
			      1234)->ret;
	expect_perf_link(&c, e->prog_fds[1], pfd, 0);
	expect_end(&c);
	opened(e, files, sizeof(files));
	assert_string_equal(files, TGT "," PMU_TYPE "," PMU_RET "," PMU_REF);
	bbpf_link_destroy(link);

	/* every process: pid -1 on cpu 0 (any negative pid is "all") */
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], -7, TGT, 0x1000, NULL, &link), 0);
	pfd = expect_pmu_open(&c, TGT, 0x1000, 0, -1)->ret;
	expect_perf_link(&c, e->prog_fds[0], pfd, 0);
	bbpf_link_destroy(link);
	env_free(e);
}

/* The semaphore's place in config comes from the format file and must fit it. */
static void test_uprobe_ref_ctr(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, F_PERF_LINK);
	struct bbpf_uprobe_opts o = { .ref_ctr_offset = 0xffffff };
	struct cur c = { e, 0 };
	struct bbpf_link *link = NULL;

	(void)state;
	serve(e, PMU_REF, "config:40-63\n");	/* 24 bits at 40 */
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x20, &o, &link), 0);
	expect_pmu_open(&c, TGT, 0x20, 0xffffffull << 40, 0);
	bbpf_link_destroy(link);
	o.ref_ctr_offset = 0x1000000;	/* 25 bits */
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x20, &o, &link), -EINVAL);
	assert_int_equal(e->wrap.hook_calls[FS_HOOK_PERF_EVENT_OPEN], 1);
	/* a kernel without semaphore support (before 4.20): no format file */
	unserve(e, PMU_REF);
	o.ref_ctr_offset = 0x10;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x20, &o, &link),
			 -EOPNOTSUPP);
	serve(e, PMU_REF, "config2:0-31\n");
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x20, &o, &link),
			 -EOPNOTSUPP);
	assert_int_equal(e->wrap.hook_calls[FS_HOOK_PERF_EVENT_OPEN], 1);
	env_free(e);
}

static void test_uprobe_ioctl(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, 0);
	struct bbpf_uprobe_opts o = { .func_name = "tgt_add" };
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	long pfd;

	(void)state;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0, &o, &link), 0);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_add"), 0, 0)->ret;
	expect_ioctl_attach(&c, e->prog_fds[0], pfd);
	expect_end(&c);
	assert_int_equal(link->fd, -1);
	assert_int_equal(bbpf_link_fd(link), pfd);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	rec_clear(e);
	bbpf_link_destroy(link);
	c.i = 0;
	assert_int_equal(expect(&c, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_DISABLE);
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, pfd);
	expect_end(&c);

	/* a BPF cookie needs a perf link: refused, nothing left */
	o.bpf_cookie = 5;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0, &o, &link), -EOPNOTSUPP);
	assert_clean(e);
	env_free(e);
}

static void test_uprobe_modes(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, F_PERF_LINK);
	struct bbpf_uprobe_opts o = { .attach_mode = BBPF_PROBE_ATTACH_PERF };
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	long pfd;

	(void)state;
	/* PERF: the PMU, attached by ioctl although the kernel has perf links */
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x40, &o, &link), 0);
	pfd = expect_pmu_open(&c, TGT, 0x40, 0, 0)->ret;
	expect_ioctl_attach(&c, e->prog_fds[0], pfd);
	expect_end(&c);
	bbpf_link_destroy(link);
	/* LINK: a perf link */
	o.attach_mode = BBPF_PROBE_ATTACH_LINK;
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x40, &o, &link), 0);
	pfd = expect_pmu_open(&c, TGT, 0x40, 0, 0)->ret;
	expect_perf_link(&c, e->prog_fds[0], pfd, 0);
	bbpf_link_destroy(link);
	/* LINK without perf links, PERF or LINK without the PMU, an unknown mode: no event made */
	e->ctx->feat.perf_link = false;
	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x40, &o, &link),
			 -EOPNOTSUPP);
	unserve(e, PMU_TYPE);
	o.attach_mode = BBPF_PROBE_ATTACH_PERF;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x40, &o, &link),
			 -EOPNOTSUPP);
	o.attach_mode = (enum bbpf_probe_attach_mode)99;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x40, &o, &link), -EINVAL);
	assert_int_equal(e->wrap.hook_calls[FS_HOOK_PERF_EVENT_OPEN], 0);
	assert_int_equal(e->wrap.hook_calls[FS_HOOK_WRITE], 0);
	/* misuse */
	assert_int_equal(bbpf_program_attach_uprobe(NULL, 0, TGT, 0, NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, NULL, 0, NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0, NULL, NULL), -EINVAL);
	env_free(e);
}

static void expected_event(char *buf, size_t size, unsigned int seq, const char *base,
			   uint64_t off)
{
	snprintf(buf, size, "bbpf_%d_%u_%s_0x%llx", FAKE_PID, seq, base, (unsigned long long)off);
	for (char *p = buf; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			*p = '_';
}

/* Without the PMU: a tracefs event of our own, a perf event on its id, removed at destroy. */
static void test_uprobe_legacy(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, F_PERF_LINK | F_NO_PMU);
	uint64_t off = sym_off("tgt_add");
	struct bbpf_uprobe_opts o = { .func_name = "tgt_add", .retprobe = true };
	const struct rec_call *k;
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	char name[64], cmd[256], idpath[256];
	long pfd, lfd;

	(void)state;
	expected_event(name, sizeof(name), 0, "target", off);
	snprintf(idpath, sizeof(idpath), "/sys/kernel/tracing/events/uretprobes/%s/id", name);
	serve(e, idpath, "1717\n");
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[1], 99, TGT, 0, &o, &link), 0);
	k = expect(&c, FS_HOOK_WRITE);
	snprintf(cmd, sizeof(cmd), "r:uretprobes/%s " TGT ":0x%llx", name, (unsigned long long)off);
	assert_string_equal(k->str, cmd);
	k = expect(&c, FS_HOOK_PERF_EVENT_OPEN);
	assert_int_equal(k->pattr.type, PERF_TYPE_TRACEPOINT);
	assert_int_equal(k->pattr.config, 1717);
	assert_int_equal(k->pid, 99);
	assert_int_equal(k->cpu, -1);
	assert_int_equal(k->flags, PERF_FLAG_FD_CLOEXEC);
	pfd = k->ret;
	lfd = expect_perf_link(&c, e->prog_fds[1], pfd, 0);
	expect_end(&c);
	assert_int_equal(e->rec.event_cnt, 1);
	assert_string_equal(e->rec.events[0], name);
	assert_true(strlen(name) < 64);

	rec_clear(e);
	bbpf_link_destroy(link);
	c.i = 0;
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, lfd);
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, pfd);
	k = expect(&c, FS_HOOK_WRITE);
	snprintf(cmd, sizeof(cmd), "-:uretprobes/%s", name);
	assert_string_equal(k->str, cmd);
	expect_end(&c);
	assert_clean(e);

	/* LEGACY mode with the PMU there: tracefs and ioctl; a name taken: the next one */
	serve(e, PMU_TYPE, "8\n");
	expected_event(name, sizeof(name), 2, "target", 0x30);
	snprintf(idpath, sizeof(idpath), "/sys/kernel/tracing/events/uprobes/%s/id", name);
	serve(e, idpath, "1718\n");
	e->rec.write_fail[0] = -EEXIST;
	e->rec.write_fail_cnt = 1;
	o = (struct bbpf_uprobe_opts){ .attach_mode = BBPF_PROBE_ATTACH_LEGACY };
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], -1, TGT, 0x30, &o, &link), 0);
	k = expect(&c, FS_HOOK_WRITE);
	assert_int_equal(k->ret, -EEXIST);
	expected_event(cmd, sizeof(cmd), 1, "target", 0x30);
	assert_non_null(strstr(k->str, cmd));
	k = expect(&c, FS_HOOK_WRITE);
	snprintf(cmd, sizeof(cmd), "p:uprobes/%s " TGT ":0x30", name);
	assert_string_equal(k->str, cmd);
	k = expect(&c, FS_HOOK_PERF_EVENT_OPEN);
	assert_int_equal(k->pattr.config, 1718);
	assert_int_equal(k->pid, -1);
	assert_int_equal(k->cpu, 0);
	expect_ioctl_attach(&c, e->prog_fds[0], k->ret);
	expect_end(&c);
	bbpf_link_destroy(link);
	assert_clean(e);

	/* refused before anything is written: a semaphore, a path tracefs cannot parse */
	unserve(e, PMU_TYPE);
	fs_wrap_reset_counts(&e->wrap);
	o = (struct bbpf_uprobe_opts){ .ref_ctr_offset = 8 };
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x30, &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, "/t/a b", 0x30, NULL, &link),
			 -EINVAL);
	assert_int_equal(e->wrap.hook_calls[FS_HOOK_WRITE], 0);
	/* the kernel refusing the event: the error, nothing left */
	e->rec.write_fail[0] = -EINVAL;
	e->rec.write_fail_cnt = 1;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x30, NULL, &link),
			 -EINVAL);
	/* no id file: the event is removed again */
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0x31, NULL, &link),
			 -ENOENT);
	assert_clean(e);
	env_free(e);
}

static void test_uprobe_symbols(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, F_PERF_LINK);
	struct bbpf_uprobe_opts o = { .func_name = "tgt_nops+2" };
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	unsigned long preads;

	(void)state;
	/* func+off, plus func_offset */
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 1, &o, &link), 0);
	expect_pmu_open(&c, TGT, sym_off("tgt_nops") + 3, 0, 0);
	bbpf_link_destroy(link);
	/* "+0x10": an offset, no symbol, the file is not read */
	o.func_name = "+0x10";
	rec_clear(e);
	c.i = 0;
	preads = e->script.hook_calls[FS_HOOK_PREAD];
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0, &o, &link), 0);
	expect_pmu_open(&c, TGT, 0x10, 0, 0);
	assert_int_equal(e->script.hook_calls[FS_HOOK_PREAD], preads);
	bbpf_link_destroy(link);
	/* a versioned name; the non-PIE build */
	o.func_name = "tgt_multi_2";
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT_NOPIE, 0, &o, &link), 0);
	expect_pmu_open(&c, TGT_NOPIE, (uint64_t)ut_sym_off(g_dir.nopie, "tgt_multi_2"), 0, 0);
	bbpf_link_destroy(link);
	/* absent: -ENOENT before any event */
	fs_wrap_reset_counts(&e->wrap);
	o.func_name = "no_such_function";
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, TGT, 0, &o, &link), -ENOENT);
	o.func_name = "tgt_add";
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, "/t/none", 0, &o, &link),
			 -ENOENT);
	/* not an ELF file */
	serve(e, "/t/junk", "junk junk junk junk junk junk junk junk junk junk junk junk junk");
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, "/t/junk", 0, &o, &link),
			 -EBADMSG);
	assert_int_equal(e->wrap.hook_calls[FS_HOOK_PERF_EVENT_OPEN], 0);
	env_free(e);
}

/* Bare names: LD_LIBRARY_PATH for libraries, PATH for programs (the context's values). */
static void test_uprobe_search(void **state)
{
	struct env *e = env_new(NULL, up_secs, 2, F_PERF_LINK);
	struct bbpf_uprobe_opts o = { .func_name = "tgt_add" };
	struct cur c = { e, 0 };
	struct bbpf_link *link;

	(void)state;
	fs_script_add_file(&e->script, "/t/lib/libtgt.so.1", (const char *)g_pie, g_pie_len);
	fs_script_add_file_mode(&e->script, "/t/bin/tgt", (const char *)g_pie, g_pie_len,
				S_IFREG | 0755);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, "libtgt.so.1", 0, &o, &link), 0);
	expect_pmu_open(&c, "/t/lib/libtgt.so.1", sym_off("tgt_add"), 0, 0);
	bbpf_link_destroy(link);
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, "tgt", 0, &o, &link), 0);
	expect_pmu_open(&c, "/t/bin/tgt", sym_off("tgt_add"), 0, 0);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach_uprobe(e->progs[0], 0, "libnone.so", 0, &o, &link),
			 -ENOENT);
	env_free(e);
}

/* SEC("u[ret]probe[.s]/PATH:FUNC[+OFF]"): every process; bare sections are not attached. */
static void test_uprobe_auto(void **state)
{
	static const char *const secs[] = {
		"uprobe//t/target:tgt_add", "uretprobe//t/target:tgt_sess",
		"uprobe.s//t/target:tgt_nops+0x2", "uretprobe.s//t/target:tgt_multi_1", "uprobe",
		"uretprobe",
	};
	struct env *e = env_new(NULL, secs, ARRAY_LEN(secs), F_PERF_LINK);
	struct cur c = { e, 0 };
	const char *why;
	long pfd;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 4);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_add"), 0, -1)->ret;
	expect_perf_link(&c, e->prog_fds[0], pfd, 0);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_sess"), 1, -1)->ret;
	expect_perf_link(&c, e->prog_fds[1], pfd, 0);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_nops") + 2, 0, -1)->ret;
	expect_perf_link(&c, e->prog_fds[2], pfd, 0);
	pfd = expect_pmu_open(&c, TGT, sym_off("tgt_multi_1"), 1, -1)->ret;
	expect_perf_link(&c, e->prog_fds[3], pfd, 0);
	expect_end(&c);
	assert_int_equal(bbpf_program_attach_status(e->progs[4], &why, NULL), BBPF_ATTACH_SKIPPED);
	assert_string_equal(why, "no target in the section name");
	assert_int_equal(bbpf_program_attach_status(e->progs[0], NULL, NULL), BBPF_ATTACH_DONE);
	env_free(e);
}

static void test_uprobe_auto_bad(void **state)
{
	static const char *const bad[] = {
		"uprobe//t/target", "uprobe//t/target:", "uretprobe//t/target:tgt_add+4",
		"uprobe/:tgt_add", "uprobe//t/none:tgt_add", "uprobe//t/target:nope",
		"uprobe.multi//t/target", "uprobe.multi//t/target:nope*", "usdt//t/target:bbpf_t",
		"usdt//t/target", "usdt/::x",
	};
	static const int errs[] = { -EINVAL, -EINVAL, -EINVAL, -EINVAL, -ENOENT, -ENOENT,
				    -EINVAL, -ENOENT, -EINVAL, -EINVAL, -EINVAL };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct env *e = env_new(NULL, &bad[i], 1, F_PERF_LINK | F_MULTI);
		int err = bbpf_object_attach(e->obj);

		if (err != errs[i])
			fail_msg("'%s': %d, expected %d", bad[i], err, errs[i]);
		assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
		assert_int_equal(e->wrap.hook_calls[FS_HOOK_PERF_EVENT_OPEN], 0);
		assert_int_equal(e->wrap.bpf_calls[BPF_LINK_CREATE], 0);
		env_free(e);
	}
}

/* ---- uprobe.multi and uprobe.session ---- */

static bool same_set(const uint64_t *a, const uint64_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < n && a[i] != b[j]; j++)
			;
		if (j == n)
			return false;
	}
	return true;
}

static const struct rec_call *expect_multi(struct cur *c, int prog_fd, int type, uint32_t flags,
					   uint32_t pid, size_t cnt)
{
	const struct rec_call *k = expect_bpf(c, BPF_LINK_CREATE);
	struct bbpf_uprobe_multi_attr um;

	memcpy(&um, (const char *)&k->attr + BBPF_LINK_CREATE_UPROBE_MULTI_OFF, sizeof(um));
	assert_int_equal(k->attr.link_create.prog_fd, prog_fd);
	assert_int_equal(k->attr.link_create.target_fd, 0);
	assert_int_equal(k->attr.link_create.attach_type, type);
	assert_int_equal(k->attr.link_create.flags, 0);
	assert_int_equal(um.flags, flags);
	assert_int_equal(um.pid, pid);
	assert_int_equal(um.cnt, cnt);
	assert_true(k->ret >= 0);
	return k;
}

static void test_uprobe_multi(void **state)
{
	static const char *const secs[] = { "uprobe.multi", "uretprobe.multi", "uprobe.session" };
	struct env *e = env_new(NULL, secs, 3, F_PERF_LINK | F_MULTI);
	const char *syms[] = { "tgt_sess", "tgt_add" };
	const unsigned long offs[] = { 0x100, 0x200 }, refs[] = { 0x30, 0 };
	const uint64_t cookies[] = { 7, 9 };
	uint64_t want[3] = { sym_off("tgt_multi_1"), sym_off("tgt_multi_2"),
			     sym_off("tgt_multi_3") };
	struct bbpf_uprobe_multi_opts o = { 0 };
	const struct rec_call *k;
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	unsigned long preads;

	(void)state;
	/* a pattern; pid 0 is this process */
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, "tgt_multi_*", NULL,
							  &link), 0);
	k = expect_multi(&c, e->prog_fds[0], BBPF_TRACE_UPROBE_MULTI, 0, FAKE_PID, 3);
	assert_string_equal(k->str, TGT);
	assert_true(same_set(k->offs, want, 3));
	assert_false(k->has_refs);
	assert_false(k->has_cookies);
	expect_end(&c);
	assert_int_equal(link->fd, k->ret);
	assert_int_equal(link->undo_cnt, 0);
	bbpf_link_destroy(link);

	/* exact names (the order kept), cookies, semaphores; a retprobe; every process */
	o = (struct bbpf_uprobe_multi_opts){ .syms = syms, .cookies = cookies,
					     .ref_ctr_offsets = refs, .cnt = 2, .retprobe = true };
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[1], -1, TGT, NULL, &o, &link), 0);
	k = expect_multi(&c, e->prog_fds[1], BBPF_TRACE_UPROBE_MULTI, BPF_F_UPROBE_MULTI_RETURN, 0, 2);
	assert_int_equal(k->offs[0], sym_off("tgt_sess"));
	assert_int_equal(k->offs[1], sym_off("tgt_add"));
	assert_int_equal(k->refs[0], 0x30);
	assert_int_equal(k->cookies[0], 7);
	assert_int_equal(k->cookies[1], 9);
	bbpf_link_destroy(link);

	/* offsets as given, a session, a pid */
	o = (struct bbpf_uprobe_multi_opts){ .offsets = offs, .cnt = 2, .session = true };
	rec_clear(e);
	c.i = 0;
	preads = e->script.hook_calls[FS_HOOK_PREAD];
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[2], 77, TGT, NULL, &o, &link), 0);
	k = expect_multi(&c, e->prog_fds[2], BBPF_TRACE_UPROBE_SESSION, 0, 77, 2);
	assert_int_equal(k->offs[0], 0x100);
	assert_int_equal(k->offs[1], 0x200);
	assert_int_equal(e->script.hook_calls[FS_HOOK_PREAD], preads);	/* the file is not read */
	bbpf_link_destroy(link);

	/* libbpf's rules for what goes together; nothing reaches the kernel */
	fs_wrap_reset_counts(&e->wrap);
	o = (struct bbpf_uprobe_multi_opts){ .offsets = offs, .cnt = 2 };
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, "x*", &o, &link),
			 -EINVAL);
	o = (struct bbpf_uprobe_multi_opts){ .offsets = offs, .syms = syms, .cnt = 2 };
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, NULL, &o, &link),
			 -EINVAL);
	o = (struct bbpf_uprobe_multi_opts){ .offsets = offs };
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, NULL, &o, &link),
			 -EINVAL);
	o = (struct bbpf_uprobe_multi_opts){ .retprobe = true, .session = true };
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, "x*", &o, &link),
			 -EINVAL);
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, NULL, "x*", NULL, &link),
			 -EINVAL);
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, NULL, NULL, &link),
			 -EINVAL);
	assert_int_equal(e->wrap.calls, 0);
	/* nothing matches; a name missing */
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, "zz*", NULL, &link),
			 -ENOENT);
	syms[1] = "nope";
	o = (struct bbpf_uprobe_multi_opts){ .syms = syms, .cnt = 2 };
	assert_int_equal(bbpf_program_attach_uprobe_multi(e->progs[0], 0, TGT, NULL, &o, &link),
			 -ENOENT);
	assert_int_equal(e->wrap.bpf_calls[BPF_LINK_CREATE], 0);
	env_free(e);
}

static void test_uprobe_multi_auto(void **state)
{
	static const char *const secs[] = {
		"uprobe.multi//t/target:tgt_multi_*", "uretprobe.multi//t/target:tgt_multi_?",
		"uprobe.session//t/target:tgt_sess", "uprobe.multi.s//t/target:tgt_add",
		"uprobe.multi",
	};
	struct env *e = env_new(NULL, secs, ARRAY_LEN(secs), F_PERF_LINK | F_MULTI);
	uint64_t want[3] = { sym_off("tgt_multi_1"), sym_off("tgt_multi_2"),
			     sym_off("tgt_multi_3") };
	const struct rec_call *k;
	struct cur c = { e, 0 };

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 4);
	k = expect_multi(&c, e->prog_fds[0], BBPF_TRACE_UPROBE_MULTI, 0, 0, 3);
	assert_true(same_set(k->offs, want, 3));
	k = expect_multi(&c, e->prog_fds[1], BBPF_TRACE_UPROBE_MULTI, BPF_F_UPROBE_MULTI_RETURN, 0, 3);
	assert_true(same_set(k->offs, want, 3));
	k = expect_multi(&c, e->prog_fds[2], BBPF_TRACE_UPROBE_SESSION, 0, 0, 1);
	assert_int_equal(k->offs[0], sym_off("tgt_sess"));
	k = expect_multi(&c, e->prog_fds[3], BBPF_TRACE_UPROBE_MULTI, 0, 0, 1);
	assert_int_equal(k->offs[0], sym_off("tgt_add"));
	expect_end(&c);
	env_free(e);
}

/* ---- USDT ---- */

/* usdt.bpf.h 1.0-1.6 (V1): 16-byte args {u64 val_off; u32 type; s16 reg_off; u8 signed; s8 shift}. */
struct v1_arg {
	uint64_t val_off;
	uint32_t type;
	int16_t reg_off;
	uint8_t is_signed;
	int8_t shift;
};

static struct v1_arg v1_arg(const uint8_t *value, unsigned int i)
{
	struct v1_arg a;

	memcpy(&a, value + 16 * i, sizeof(a));
	return a;
}

static void check_v1(const uint8_t *value, uint64_t cookie, unsigned int cnt)
{
	uint64_t ck;
	int16_t ac;

	memcpy(&ck, value + 192, 8);
	memcpy(&ac, value + 200, 2);
	assert_int_equal(ck, cookie);
	assert_int_equal(ac, cnt);
}

#define PT(f) ((int16_t)offsetof(struct pt_regs, f))

static void test_usdt_load_type(void **state)
{
	struct bbpf_load_opts lo = { 0 };
	const struct rec_call *k;
	struct env *e;
	struct cur c;
	size_t n = 0;

	(void)state;
	/* first load of a usdt program: the probe, then the programs as uprobe-multi ones */
	e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_RECORD_LOAD);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EBADF), 0);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	assert_true(e->ctx->feat.uprobe_multi_probed);
	assert_true(e->ctx->feat.uprobe_multi_link);
	for (size_t i = 0; i < e->rec.cnt; i++) {
		struct bbpf_uprobe_multi_attr um;

		k = &e->rec.calls[i];
		if (k->hook != FS_HOOK_BPF)
			continue;
		if (k->cmd == BPF_LINK_CREATE) {
			memcpy(&um, (const char *)&k->attr + BBPF_LINK_CREATE_UPROBE_MULTI_OFF,
			       sizeof(um));
			assert_int_equal(k->attr.link_create.attach_type, BBPF_TRACE_UPROBE_MULTI);
			assert_string_equal(k->str, "/");
			assert_int_equal(um.cnt, 1);
			assert_int_equal(um.pid, n ? (uint32_t)-1 : 0);
			n++;
		}
		if (k->cmd == BPF_PROG_LOAD && k->attr.prog_type == BPF_PROG_TYPE_KPROBE)
			assert_int_equal(k->attr.expected_attach_type, BBPF_TRACE_UPROBE_MULTI);
	}
	assert_int_equal(n, 2);
	c = (struct cur){ e, 0 };
	(void)c;
	/* both usdt programs and the probe's program: three kprobe loads */
	assert_int_equal(e->script.bpf_calls[BPF_PROG_LOAD] >= 3, true);
	bbpf_object_close(e->obj);
	e->obj = NULL;
	free(e->elf);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);

	/* a kernel whose uprobe-multi pid filter is per thread (EBADF twice): programs at 0 */
	e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_RECORD_LOAD);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EBADF), 0);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EBADF), 0);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	assert_true(e->ctx->feat.uprobe_multi_probed);
	assert_false(e->ctx->feat.uprobe_multi_link);
	for (size_t i = 0; i < e->rec.cnt; i++) {
		k = &e->rec.calls[i];
		if (k->hook == FS_HOOK_BPF && k->cmd == BPF_PROG_LOAD &&
		    k->attr.prog_type == BPF_PROG_TYPE_KPROBE &&
		    k->attr.expected_attach_type != BBPF_TRACE_UPROBE_MULTI)
			n++;
	}
	assert_int_equal(n, 2 + 2);	/* the two usdt programs, at 0 */
	bbpf_object_close(e->obj);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);

	/* could not tell (ENOMEM): the load fails, nothing cached, the next load asks again */
	e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_RECORD_LOAD);
	lo.ctx = e->ctx;
	fs_wrap_fail_hook(&e->wrap, FS_HOOK_BPF, BPF_LINK_CREATE, 1, -ENOMEM, false);
	assert_int_equal(bbpf_object_load(e->obj, &lo), -ENOMEM);
	assert_false(e->ctx->feat.uprobe_multi_probed);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);	/* no links */
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	assert_true(e->ctx->feat.uprobe_multi_probed);
	assert_false(e->ctx->feat.uprobe_multi_link);
	bbpf_object_close(e->obj);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);

	/* objects without usdt programs never ask */
	e = env_new("uprobe.bpf.o", NULL, 0, F_PERF_LINK | F_RECORD_LOAD);
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	assert_false(e->ctx->feat.uprobe_multi_probed);
	assert_int_equal(e->script.bpf_calls[BPF_LINK_CREATE], 0);
	bbpf_object_close(e->obj);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);
}

/* The spec update of a new id: key, the V1 value's cookie and count. */
static const struct rec_call *expect_spec(struct cur *c, struct env *e, uint32_t id,
					  uint64_t cookie, unsigned int args)
{
	const struct rec_call *k = expect_bpf(c, BPF_MAP_UPDATE_ELEM);

	assert_int_equal(k->attr.map_fd, e->rec.specs_fd);
	assert_int_equal(k->key, id);
	assert_int_equal(k->attr.flags, BPF_ANY);
	check_v1(k->value, cookie, args);
	return k;
}

static void test_usdt_multi(void **state)
{
	struct env *e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI);
	struct ut_note regs = note_of(g_dir.pie, "regs"), mem = note_of(g_dir.pie, "mem");
	struct bbpf_usdt_opts o = { .usdt_cookie = 0xc0ffee };
	struct bbpf_program *pa = prog_named(e, "usdt_a"), *pb = prog_named(e, "usdt_b");
	struct bbpf_inst *inst = bbpf_inst_of(e->obj);
	const struct rec_call *k;
	struct cur c = { e, 0 };
	struct bbpf_link *la, *lb, *lc;
	struct v1_arg a;
	long dfd, lfd_a;

	(void)state;
	assert_int_equal(bbpf_program_expected_attach_type(pa), 0);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", &o, &la), 0);
	k = expect(&c, FS_HOOK_DUP);
	assert_int_equal(k->fd, e->rec.specs_fd);
	dfd = k->ret;
	k = expect_spec(&c, e, 0, 0xc0ffee, 6);
	/* -1@%dil: a register, signed, one byte */
	a = v1_arg(k->value, 0);
	assert_int_equal(a.type, 1);
	assert_int_equal(a.reg_off, PT(rdi));
	assert_int_equal(a.is_signed, 1);
	assert_int_equal(a.shift, 56);
	a = v1_arg(k->value, 5);
	assert_int_equal(a.reg_off, PT(r9));
	assert_int_equal(a.shift, 0);
	k = expect_multi(&c, bbpf_program_fd(pa), BBPF_TRACE_UPROBE_MULTI, 0, FAKE_PID, 1);
	assert_string_equal(k->str, TGT);
	assert_int_equal(k->offs[0], regs.pc_off);
	assert_true(k->has_refs);
	assert_int_equal(k->refs[0], regs.sema_off);
	assert_true(regs.sema_off != 0);
	assert_int_equal(k->cookies[0], 0);	/* the spec id */
	expect_end(&c);
	assert_int_equal(la->fd, k->ret);

	/* a second link of the object: the next id */
	o.usdt_cookie = 0xbeef;
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_usdt(pb, -1, TGT, "bbpf_t", "mem", &o, &lb), 0);
	expect(&c, FS_HOOK_DUP);
	k = expect_spec(&c, e, 1, 0xbeef, 6);
	a = v1_arg(k->value, 1);	/* -4@8(%rdi) */
	assert_int_equal(a.type, 2);
	assert_int_equal(a.val_off, 8);
	assert_int_equal(a.reg_off, PT(rdi));
	assert_int_equal(a.shift, 32);
	k = expect_multi(&c, bbpf_program_fd(pb), BBPF_TRACE_UPROBE_MULTI, 0, 0, 1);
	assert_int_equal(k->offs[0], mem.pc_off);
	assert_int_equal(k->cookies[0], 1);
	assert_int_equal(inst->usdt_ids->next, 2);

	/* the first goes: the link, then its spec zeroed, its map fd; the id comes back */
	lfd_a = la->fd;
	rec_clear(e);
	c.i = 0;
	bbpf_link_destroy(la);
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, lfd_a);
	k = expect_bpf(&c, BPF_MAP_UPDATE_ELEM);
	assert_int_equal(k->attr.map_fd, dfd);	/* the link's own fd of the map */
	assert_int_equal(k->key, 0);
	for (unsigned int i = 0; i < k->value_len; i++)
		assert_int_equal(k->value[i], 0);
	assert_int_equal(expect(&c, FS_HOOK_CLOSE)->fd, dfd);
	expect_end(&c);
	assert_int_equal(inst->usdt_ids->free_cnt, 1);
	assert_false(e->rec.spec_nonzero[0]);
	assert_true(e->rec.spec_nonzero[1]);

	/* the next attach reuses id 0; the same program twice at once is fine */
	o.usdt_cookie = 3;
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_usdt(pb, 0, TGT, "bbpf_t", "consts", &o, &lc), 0);
	expect(&c, FS_HOOK_DUP);
	k = expect_spec(&c, e, 0, 3, 5);
	a = v1_arg(k->value, 3);	/* 1@$-56: the constant as written, unsigned one byte */
	assert_int_equal(a.type, 0);
	assert_int_equal((int64_t)a.val_off, -56);
	assert_int_equal(a.is_signed, 0);
	assert_int_equal(a.shift, 56);
	k = expect_multi(&c, bbpf_program_fd(pb), BBPF_TRACE_UPROBE_MULTI, 0, FAKE_PID, 1);
	assert_int_equal(k->cookies[0], 0);
	assert_int_equal(inst->usdt_ids->next, 2);
	bbpf_link_destroy(lb);
	bbpf_link_destroy(lc);
	assert_int_equal(inst->usdt_ids->free_cnt, 2);
	env_free(e);
}

/* Kernels without uprobe-multi links: one uprobe per site, the spec id in its BPF cookie. */
static void test_usdt_per_site(void **state)
{
	struct env *e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK);
	struct ut_note n = note_of(g_dir.pie, "many");
	struct bbpf_usdt_opts o = { .usdt_cookie = 42 };
	struct bbpf_program *pa = prog_named(e, "usdt_a");
	const struct rec_call *k;
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	long pfd, lfd;

	(void)state;
	assert_int_equal(bbpf_program_attach_usdt(pa, 555, TGT, "bbpf_t", "many", &o, &link), 0);
	expect(&c, FS_HOOK_DUP);
	k = expect_spec(&c, e, 0, 42, 12);
	assert_int_equal(v1_arg(k->value, 4).type, 0);	/* -4@$1 */
	assert_int_equal(v1_arg(k->value, 4).val_off, 1);
	pfd = expect_pmu_open(&c, TGT, n.pc_off, n.sema_off << 32, 555)->ret;
	lfd = expect_perf_link(&c, bbpf_program_fd(pa), pfd, 0);
	expect_end(&c);
	/* no BPF link of its own: every site's perf link is in the undo list */
	assert_int_equal(link->fd, -1);
	assert_int_equal(link->undo[link->undo_cnt - 1].fd, lfd);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	bbpf_link_destroy(link);
	assert_clean(e);
	env_free(e);
}

/*
 * Kernels without BPF cookies: the program finds its spec by address in
 * __bpf_usdt_ip_to_spec_id; a non-PIE program's address is its link-time
 * one, a PIE's comes from the process's mappings.
 */
static void test_usdt_no_cookie(void **state)
{
	struct env *e = env_new("usdt.bpf.o", NULL, 0, 0);
	struct ut_note np = note_of(g_dir.nopie, "regs"), pie = note_of(g_dir.pie, "regs");
	struct bbpf_program *pa = prog_named(e, "usdt_a");
	struct bbpf_usdt_opts o = { .usdt_cookie = 9 };
	const struct rec_call *k;
	struct cur c = { e, 0 };
	struct bbpf_link *link;
	uint32_t v;
	long pfd;

	(void)state;
	assert_int_equal(bbpf_program_attach_usdt(pa, -1, TGT_NOPIE, "bbpf_t", "regs", &o, &link), 0);
	expect(&c, FS_HOOK_DUP);
	expect(&c, FS_HOOK_DUP);
	expect_spec(&c, e, 0, 9, 6);
	k = expect_bpf(&c, BPF_MAP_UPDATE_ELEM);
	assert_int_equal(k->attr.map_fd, e->rec.ip_fd);
	assert_int_equal(k->key, np.pc);
	memcpy(&v, k->value, 4);
	assert_int_equal(v, 0);
	assert_int_equal(k->attr.flags, BPF_NOEXIST);
	pfd = expect_pmu_open(&c, TGT_NOPIE, np.pc_off, np.sema_off << 32, -1)->ret;
	expect_ioctl_attach(&c, bbpf_program_fd(pa), pfd);
	expect_end(&c);
	rec_clear(e);
	bbpf_link_destroy(link);
	for (size_t i = 0; i < e->rec.cnt; i++)
		if (e->rec.calls[i].hook == FS_HOOK_BPF && e->rec.calls[i].cmd == BPF_MAP_DELETE_ELEM) {
			assert_int_equal(e->rec.calls[i].key, np.pc);
			v = 1;
		}
	assert_int_equal(v, 1);
	assert_clean(e);

	/* a PIE needs a process: every process is refused, pid 0 reads our mappings */
	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(bbpf_program_attach_usdt(pa, -1, TGT, "bbpf_t", "regs", &o, &link),
			 -EOPNOTSUPP);
	assert_int_equal(e->wrap.bpf_calls[BPF_MAP_UPDATE_ELEM], 0);
	snprintf(e->maps_text, sizeof(e->maps_text),
		 "555555554000-555555555000 r--p 00000000 00:00 0 " TGT "\n"
		 "555555555000-555555556000 r-xp 00001000 00:00 0 " TGT "\n"
		 "7ffff7dd0000-7ffff7df0000 r-xp 00000000 08:01 1234 /lib/other.so\n");
	serve(e, "/proc/4242/maps", e->maps_text);
	rec_clear(e);
	c.i = 0;
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", &o, &link), 0);
	expect(&c, FS_HOOK_DUP);
	expect(&c, FS_HOOK_DUP);
	expect_spec(&c, e, 0, 9, 6);
	k = expect_bpf(&c, BPF_MAP_UPDATE_ELEM);
	assert_int_equal(k->key, 0x555555555000ull - 0x1000 + pie.pc_off);
	pfd = expect_pmu_open(&c, TGT, pie.pc_off, pie.sema_off << 32, FAKE_PID)->ret;
	expect_ioctl_attach(&c, bbpf_program_fd(pa), pfd);
	/* the same site again: an IP collision, nothing of the second attach left */
	{
		struct bbpf_link *l2;

		assert_int_equal(fs_script_push(&e->script, BPF_MAP_UPDATE_ELEM, 0), 0);
		assert_int_equal(fs_script_push(&e->script, BPF_MAP_UPDATE_ELEM, -EEXIST), 0);
		assert_int_equal(bbpf_program_attach_usdt(prog_named(e, "usdt_b"), 0, TGT, "bbpf_t",
							  "regs", &o, &l2), -EEXIST);
	}
	bbpf_link_destroy(link);
	assert_clean(e);
	/* not mapped executable in the process */
	serve(e, "/proc/4242/maps", "555555554000-555555556000 r--p 00000000 00:00 0 " TGT "\n");
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", &o, &link), -ESRCH);
	assert_clean(e);
	env_free(e);
}

static void test_usdt_errors(void **state)
{
	struct env *e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI);
	struct bbpf_program *pa = prog_named(e, "usdt_a"), *pb = prog_named(e, "usdt_b");
	struct bbpf_link *link, *l2;
	struct env *u;

	(void)state;
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "nope", NULL, &link),
			 -ENOENT);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "other", "regs", NULL, &link),
			 -ENOENT);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, "/t/none", "bbpf_t", "regs", NULL, &link),
			 -ENOENT);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, NULL, "regs", NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", NULL, NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, NULL, "bbpf_t", "regs", NULL, &link),
			 -EINVAL);
	/* semaphores on a kernel that cannot count them */
	unserve(e, PMU_REF);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", NULL, &link),
			 -EOPNOTSUPP);
	serve(e, PMU_REF, "config:32-63\n");
	assert_clean(e);
	assert_int_equal(e->wrap.bpf_calls[BPF_LINK_CREATE], 0);
	/* the kernel refusing the link: the spec written is zeroed again, the id back */
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EPERM), 0);
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", NULL, &link), -EPERM);
	assert_clean(e);
	env_free(e);

	/* an object without usdt.bpf.h's maps */
	u = env_new("uprobe.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI);
	assert_int_equal(bbpf_program_attach_usdt(u->progs[0], 0, TGT, "bbpf_t", "regs", NULL,
						  &link), -ESRCH);
	env_free(u);

	/* all spec ids taken: -E2BIG until a link gives its id back */
	e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI | F_RECORD_LOAD);
	{
		struct bbpf_load_opts lo = { .ctx = e->ctx };

		e->ctx->feat.uprobe_multi_probed = true;
		assert_int_equal(bbpf_map_set_max_entries(
					 bbpf_object_find_map(e->obj, "__bpf_usdt_specs"), 1), 0);
		assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
		e->rec.specs_fd = bbpf_map_fd(bbpf_object_find_map(e->obj, "__bpf_usdt_specs"));
		e->rec.spec_size = 208;
		e->base_fds = fs_wrap_open_fds(&e->wrap);
	}
	pa = prog_named(e, "usdt_a");
	pb = prog_named(e, "usdt_b");
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", NULL, &link), 0);
	assert_int_equal(bbpf_program_attach_usdt(pb, 0, TGT, "bbpf_t", "mem", NULL, &l2), -E2BIG);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach_usdt(pb, 0, TGT, "bbpf_t", "mem", NULL, &l2), 0);
	bbpf_link_destroy(l2);
	env_free(e);
}

/* SEC("usdt/PATH:PROVIDER:NAME") and "usdt.s/": every process; bare SEC("usdt") skipped. */
static void test_usdt_auto(void **state)
{
	struct env *e = env_new("usdt_auto.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI);
	struct ut_note regs = note_of(g_dir.pie, "regs"), many = note_of(g_dir.pie, "many");
	const struct rec_call *k;
	struct cur c = { e, 0 };
	const char *why;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 2);
	expect(&c, FS_HOOK_DUP);
	expect_spec(&c, e, 0, 0, 6);
	k = expect_multi(&c, bbpf_program_fd(prog_named(e, "auto_regs")), BBPF_TRACE_UPROBE_MULTI, 0,
			 0, 1);
	assert_int_equal(k->offs[0], regs.pc_off);
	expect(&c, FS_HOOK_DUP);
	expect_spec(&c, e, 1, 0, 12);
	k = expect_multi(&c, bbpf_program_fd(prog_named(e, "auto_many")), BBPF_TRACE_UPROBE_MULTI,
			 0, 0, 1);
	assert_int_equal(k->offs[0], many.pc_off);
	assert_int_equal(k->refs[0], many.sema_off);
	expect_end(&c);
	assert_int_equal(bbpf_program_attach_status(prog_named(e, "auto_bare"), &why, NULL),
			 BBPF_ATTACH_SKIPPED);
	assert_string_equal(why, "no target in the section name");
	env_free(e);
}

/* A pinned link outlives its handle: its specs stay set and their ids taken. */
static void test_usdt_pinned(void **state)
{
	struct env *e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI);
	struct bbpf_program *pa = prog_named(e, "usdt_a");
	struct bbpf_inst *inst = bbpf_inst_of(e->obj);
	struct bbpf_link *link;

	(void)state;
	assert_int_equal(bbpf_program_attach_usdt(pa, 0, TGT, "bbpf_t", "regs", NULL, &link), 0);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/u"), 0);
	rec_clear(e);
	bbpf_link_destroy(link);
	for (size_t i = 0; i < e->rec.cnt; i++)
		assert_int_equal(e->rec.calls[i].hook, FS_HOOK_CLOSE);
	assert_true(e->rec.spec_nonzero[0]);
	assert_int_equal(inst->usdt_ids->free_cnt, 0);
	assert_int_equal(inst->usdt_ids->next, 1);
	e->rec.spec_nonzero[0] = false;	/* the pin's, not a leak */
	inst->usdt_ids->free_cnt = 1;
	inst->usdt_ids->free[0] = 0;
	env_free(e);
}

/* A link destroyed after its object: its own map fds, no instance to give ids back to. */
static void test_usdt_link_outlives_object(void **state)
{
	struct env *e = env_new("usdt.bpf.o", NULL, 0, F_PERF_LINK | F_MULTI);
	struct bbpf_link *link;

	(void)state;
	assert_int_equal(bbpf_program_attach_usdt(prog_named(e, "usdt_a"), 0, TGT, "bbpf_t", "regs",
						  NULL, &link), 0);
	bbpf_object_close(e->obj);
	e->obj = NULL;
	rec_clear(e);
	bbpf_link_destroy(link);
	assert_false(e->rec.spec_nonzero[0]);	/* zeroed through the link's own fd */
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	fs_script_fini(&e->script);
	free(e);
}

/* ---- every call failing in turn ---- */

enum scenario {
	S_UPROBE_LINK, S_UPROBE_IOCTL, S_UPROBE_LEGACY, S_MULTI, S_USDT_MULTI, S_USDT_SITES,
	S_USDT_NOCOOKIE, S_CNT,
};

static const char *const scenario_names[] = {
	"uprobe (perf link)", "uprobe (ioctl)", "uprobe (legacy)", "uprobe.multi",
	"usdt (uprobe-multi)", "usdt (a uprobe per site)", "usdt (no cookies, PIE)",
};

static struct env *scenario_env(enum scenario s)
{
	static const unsigned int flags[] = {
		F_PERF_LINK, 0, F_PERF_LINK | F_NO_PMU, F_PERF_LINK | F_MULTI,
		F_PERF_LINK | F_MULTI, F_PERF_LINK, 0,
	};
	struct env *e = env_new(s >= S_USDT_MULTI ? "usdt.bpf.o" : "uprobe.bpf.o", NULL, 0, flags[s]);

	if (s == S_USDT_NOCOOKIE) {
		snprintf(e->maps_text, sizeof(e->maps_text),
			 "555555555000-555555556000 r-xp 00001000 00:00 0 " TGT "\n");
		serve(e, "/proc/4242/maps", e->maps_text);
	}
	return e;
}

/* Two links of the kind: each scenario makes more than one of everything. */
static int scenario_attach(struct env *e, enum scenario s, struct bbpf_link **l)
{
	struct bbpf_uprobe_opts uo = { .func_name = "tgt_add", .ref_ctr_offset = 0x40 };
	struct bbpf_usdt_opts so = { .usdt_cookie = 5 };
	char idpath[256], name[64];
	int err;

	l[0] = l[1] = NULL;
	switch (s) {
	case S_UPROBE_LINK:
	case S_UPROBE_IOCTL:
		err = bbpf_program_attach_uprobe(prog_named(e, "up_entry"), 0, TGT, 0, &uo, &l[0]);
		uo.retprobe = true;
		uo.ref_ctr_offset = 0;
		return err ?: bbpf_program_attach_uprobe(prog_named(e, "up_ret"), -1, TGT, 0, &uo,
							 &l[1]);
	case S_UPROBE_LEGACY:
		/* the names the next two probes may get (a name taken: the next one) */
		for (unsigned int i = 0; i < 8 && !e->ctx->probe_seq; i++) {
			expected_event(name, sizeof(name), i / 2, "target", sym_off("tgt_add"));
			snprintf(idpath, sizeof(idpath), "/sys/kernel/tracing/events/%s/%s/id",
				 i % 2 ? "uretprobes" : "uprobes", name);
			fs_script_add_file(&e->script, strdup(idpath), "77\n", 3);
		}
		uo.ref_ctr_offset = 0;
		err = bbpf_program_attach_uprobe(prog_named(e, "up_entry"), 0, TGT, 0, &uo, &l[0]);
		uo.retprobe = true;
		return err ?: bbpf_program_attach_uprobe(prog_named(e, "up_ret"), -1, TGT, 0, &uo,
							 &l[1]);
	case S_MULTI:
		err = bbpf_program_attach_uprobe_multi(prog_named(e, "up_multi"), 0, TGT,
						       "tgt_multi_*", NULL, &l[0]);
		return err ?: bbpf_program_attach_uprobe_multi(prog_named(e, "up_sess"), -1, TGT,
							       "tgt_sess", NULL, &l[1]);
	default:
		err = bbpf_program_attach_usdt(prog_named(e, "usdt_a"), 0, TGT, "bbpf_t", "regs",
					       &so, &l[0]);
		return err ?: bbpf_program_attach_usdt(prog_named(e, "usdt_b"), 0, TGT, "bbpf_t",
						       "many", &so, &l[1]);
	}
}

/* The probe names legacy scenarios registered leak into the script's file table: free them. */
static void scenario_free(struct env *e, enum scenario s)
{
	if (s == S_UPROBE_LEGACY)
		for (size_t i = 0; i < e->script.file_cnt; i++)
			if (strstr(e->script.files[i].path, "/events/"))
				free((char *)e->script.files[i].path);
	env_free(e);
}

static void sweep(enum scenario s)
{
	static const int errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF, -EEXIST };
	struct env *e = scenario_env(s);
	unsigned long total, n, failed = 0;
	struct bbpf_link *l[2];

	assert_int_equal(scenario_attach(e, s, l), 0);
	total = e->wrap.calls;
	bbpf_link_destroy(l[0]);
	bbpf_link_destroy(l[1]);
	assert_clean(e);
	assert_true(total > 6);
	if (s == S_UPROBE_LEGACY) {	/* fresh names for every round */
		scenario_free(e, s);
		e = NULL;
	}
	for (n = 1; n <= total; n++) {
		for (size_t i = 0; i < ARRAY_LEN(errs); i++) {
			int err;

			if (!e)
				e = scenario_env(s);
			fs_wrap_reset_counts(&e->wrap);
			fs_wrap_fail(&e->wrap, n, errs[i]);
			err = scenario_attach(e, s, l);
			fs_wrap_fail(&e->wrap, 0, 0);
			if (e->wrap.injected != 1)
				fail_msg("%s: call %lu not reached", scenario_names[s], n);
			if (err) {
				/* getpid() cannot fail: a made-up pid may fail the attach any way */
				if (err != errs[i] && e->wrap.injected_hook != FS_HOOK_GETPID)
					fail_msg("%s: call %lu failing with %d: attach gave %d",
						 scenario_names[s], n, errs[i], err);
				failed++;
			}
			bbpf_link_destroy(l[0]);
			bbpf_link_destroy(l[1]);
			assert_clean(e);
			if (s == S_UPROBE_LEGACY) {
				scenario_free(e, s);
				e = NULL;
			}
		}
	}
	/* most injected failures fail the attach */
	if (failed < total * 3)
		fail_msg("%s: only %lu of %lu failures failed the attach", scenario_names[s], failed,
			 total * ARRAY_LEN(errs));
	printf("  %s: %lu calls, each failed %zu ways\n", scenario_names[s], total,
	       ARRAY_LEN(errs));
	if (e)
		scenario_free(e, s);
}

static void test_fault_sweep(void **state)
{
	(void)state;
	for (int s = 0; s < S_CNT; s++)
		sweep((enum scenario)s);
}

/* Failing allocations: -ENOMEM, nothing attached, nothing open, nothing leaked. */
static void test_alloc_failure(void **state)
{
	(void)state;
	for (int s = 0; s < S_CNT; s++) {
		struct env *e = scenario_env((enum scenario)s);
		struct bbpf_alloc saved = e->ctx->alloc;
		struct bbpf_link *l[2];
		unsigned long n;
		struct fa fa;
		int err;

		if (s == S_UPROBE_LEGACY) {
			scenario_free(e, (enum scenario)s);
			continue;	/* its names change every round; the sweep covers it */
		}
		/* the object's spec ids live as long as it: made once, with its allocator */
		assert_int_equal(scenario_attach(e, (enum scenario)s, l), 0);
		bbpf_link_destroy(l[0]);
		bbpf_link_destroy(l[1]);
		for (n = 0;; n++) {
			e->ctx->alloc = fa_after(&fa, n);
			err = scenario_attach(e, (enum scenario)s, l);
			bbpf_link_destroy(l[0]);
			bbpf_link_destroy(l[1]);
			e->ctx->alloc = saved;
			assert_int_equal(fa.live, 0);
			assert_clean(e);
			if (!err)
				break;
			assert_int_equal(err, -ENOMEM);
		}
		assert_true(n >= 3);
		scenario_free(e, (enum scenario)s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmu_format),
		cmocka_unit_test(test_uprobe_perf_link),
		cmocka_unit_test(test_uprobe_ref_ctr),
		cmocka_unit_test(test_uprobe_ioctl),
		cmocka_unit_test(test_uprobe_modes),
		cmocka_unit_test(test_uprobe_legacy),
		cmocka_unit_test(test_uprobe_symbols),
		cmocka_unit_test(test_uprobe_search),
		cmocka_unit_test(test_uprobe_auto),
		cmocka_unit_test(test_uprobe_auto_bad),
		cmocka_unit_test(test_uprobe_multi),
		cmocka_unit_test(test_uprobe_multi_auto),
		cmocka_unit_test(test_usdt_load_type),
		cmocka_unit_test(test_usdt_multi),
		cmocka_unit_test(test_usdt_per_site),
		cmocka_unit_test(test_usdt_no_cookie),
		cmocka_unit_test(test_usdt_errors),
		cmocka_unit_test(test_usdt_auto),
		cmocka_unit_test(test_usdt_pinned),
		cmocka_unit_test(test_usdt_link_outlives_object),
		cmocka_unit_test(test_fault_sweep),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
