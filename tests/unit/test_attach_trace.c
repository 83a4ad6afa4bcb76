// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tracing attach kinds against a fake kernel (no kernel needed):
 * kprobe/kretprobe through the kprobe PMU (perf link or ioctl) and through
 * tracefs kprobe events (libbpf's legacy mode, and samples/bpf's mechanism
 * for samples-format objects), ksyscall, kprobe.multi/session with their
 * glob resolution, perf_event (a caller's fd, every online CPU), cookies
 * of tp/raw_tp/tracing, iterator link_info, freplace and module BTF
 * targets at load.
 *
 * The kernel is tests/lib/fake_sys's fs_script with a model of tracefs in
 * front of it (struct fk: kprobe_events parses p:/r:/-: lines into a live
 * event table whose events/<group>/<name>/id files it serves), of the
 * kprobe PMU files, of BTF objects by id, and of program info. fs_wrap
 * sits above the model (fault injection, fd tracking) and a recorder
 * above that, so each test checks the exact calls: perf attrs, the text
 * written to kprobe_events and removed again, link_create attrs.
 * Sweeps fail every call in turn (and every allocation) and check that no
 * fd and no kprobe event is left behind.
 *
 * kprobe.multi and kprobe.session need CONFIG_FPROBE, which neither kernel
 * at hand has: their tests say so in their names.
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
#include <unistd.h>
#include <linux/btf.h>
#include <linux/perf_event.h>
#include <cmocka.h>

#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "attach/attach.h"
#include "btf_builder.h"
#include "elf_builder.h"
#include "fail_alloc.h"
#include "fake_sys.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define TRACEFS "/sys/kernel/tracing"
#define PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"
#define PMU_RET "/sys/bus/event_source/devices/kprobe/format/retprobe"
#define KPROBE_PMU 8

/* ==== the fake kernel's tracefs, PMU, BTF objects ==== */

#define FK_EVENTS 64
#define FK_FILES 32
#define FK_BTFS 8

struct fk_event {
	bool used;
	char group[16], name[96], probe[160];
	int id;
	int probes;	/* > 1: someone appended to an event (must never happen to ours) */
};

enum { FK_KEVENTS = 1, FK_ID };

struct fk_file {
	int fd;		/* 0: free */
	int kind;
	char buf[32];
	size_t len, off;
};

struct fk_btf {
	uint32_t id;
	const char *name;	/* "vmlinux", a module's name, or "" (a program's) */
	bool kernel;
	uint8_t *raw;
	uint32_t len;
	int fds[8];		/* fds handed out for it */
};

struct fk {
	struct fs_script script;
	struct bbpf_sys inner;		/* the script's table */
	struct fk_event ev[FK_EVENTS];
	int next_id;
	int clash;			/* this many name lookups of "bbpf_*" find an event */
	const char *reject[4];		/* symbols kprobe_events refuses (-ENOENT) */
	bool no_kprobe_events;		/* no kprobe_events file (this machine) */
	struct fk_file files[FK_FILES];
	struct fk_btf btfs[FK_BTFS];
	size_t btf_cnt;
	int prog_fd_with_btf;		/* a program fd whose info says btf_id ... */
	uint32_t prog_btf_id;		/* ... this one */
	unsigned long appended;		/* writes that appended to an existing event */
};

static struct fk *fk_of(void *c)
{
	return c;	/* the script is the first member */
}

static struct fk_file *fk_file(struct fk *k, int fd)
{
	size_t i;

	for (i = 0; i < FK_FILES; i++)
		if (k->files[i].fd == fd && fd)
			return &k->files[i];
	return NULL;
}

static long fk_new_file(struct fk *k, int kind, const char *text)
{
	long fd = fs_script_new_fd(&k->script);
	size_t i;

	if (fd < 0)
		return fd;
	for (i = 0; i < FK_FILES && k->files[i].fd; i++)
		;
	assert_true(i < FK_FILES);
	k->files[i] = (struct fk_file){ .fd = (int)fd, .kind = kind };
	if (text) {
		snprintf(k->files[i].buf, sizeof(k->files[i].buf), "%s", text);
		k->files[i].len = strlen(k->files[i].buf);
	}
	return fd;
}

static struct fk_event *fk_event(struct fk *k, const char *group, size_t glen, const char *name)
{
	size_t i;

	for (i = 0; i < FK_EVENTS; i++)
		if (k->ev[i].used && strlen(k->ev[i].group) == glen &&
		    !strncmp(k->ev[i].group, group, glen) && !strcmp(k->ev[i].name, name))
			return &k->ev[i];
	return NULL;
}

/* Add an event as if someone else had (a "foreign" entry the library must leave alone). */
static void fk_add_event(struct fk *k, const char *group, const char *name, const char *probe)
{
	size_t i;

	for (i = 0; i < FK_EVENTS && k->ev[i].used; i++)
		;
	assert_true(i < FK_EVENTS);
	k->ev[i] = (struct fk_event){ .used = true, .id = k->next_id++, .probes = 1 };
	snprintf(k->ev[i].group, sizeof(k->ev[i].group), "%s", group);
	snprintf(k->ev[i].name, sizeof(k->ev[i].name), "%s", name);
	snprintf(k->ev[i].probe, sizeof(k->ev[i].probe), "%s", probe);
}

static size_t fk_event_cnt(const struct fk *k)
{
	size_t i, n = 0;

	for (i = 0; i < FK_EVENTS; i++)
		n += k->ev[i].used;
	return n;
}

static long fk_open(void *c, const char *path, int flags, unsigned int mode)
{
	struct fk *k = fk_of(c);
	char group[32], name[128];
	const char *p;
	struct fk_event *e;
	char id[16];

	if (!strcmp(path, TRACEFS "/kprobe_events")) {
		if (k->no_kprobe_events)
			return -ENOENT;
		return fk_new_file(k, FK_KEVENTS, NULL);
	}
	if (!strncmp(path, TRACEFS "/events/", sizeof(TRACEFS "/events/") - 1)) {
		p = path + sizeof(TRACEFS "/events/") - 1;
		if (sscanf(p, "%31[^/]/%127[^/]/id", group, name) == 2 &&
		    strlen(p) == strlen(group) + strlen(name) + 4) {
			e = fk_event(k, group, strlen(group), name);
			if (e) {
				snprintf(id, sizeof(id), "%d\n", e->id);
				return fk_new_file(k, FK_ID, id);
			}
			if (k->clash > 0 && !strncmp(name, "bbpf_", 5)) {
				k->clash--;
				return fk_new_file(k, FK_ID, "999\n");
			}
		}
	}
	return k->inner.open(k->inner.ctx, path, flags, mode);
}

static long fk_read(void *c, int fd, void *buf, size_t len)
{
	struct fk *k = fk_of(c);
	struct fk_file *f = fk_file(k, fd);
	size_t n;

	if (!f)
		return k->inner.read(k->inner.ctx, fd, buf, len);
	if (f->kind != FK_ID)
		return -EBADF;
	n = f->len - f->off < len ? f->len - f->off : len;
	memcpy(buf, f->buf + f->off, n);
	f->off += n;
	return (long)n;
}

/* One kprobe_events command, as the kernel parses it (enough of it). */
static long fk_command(struct fk *k, const char *cmd, size_t len)
{
	char text[512], *sp, *slash, *sym;
	struct fk_event *e;
	size_t i;

	if (len >= sizeof(text) || memchr(cmd, '\n', len))
		return -EINVAL;
	memcpy(text, cmd, len);
	text[len] = '\0';
	if ((text[0] != 'p' && text[0] != 'r' && text[0] != '-') || text[1] != ':')
		return -EINVAL;
	slash = strchr(text + 2, '/');
	if (!slash)
		return -EINVAL;
	sp = strchr(text + 2, ' ');
	if (text[0] == '-') {
		if (sp)
			return -EINVAL;
		e = fk_event(k, text + 2, (size_t)(slash - text - 2), slash + 1);
		if (!e)
			return -ENOENT;
		e->used = false;
		return (long)len;
	}
	if (!sp || sp < slash)
		return -EINVAL;
	*sp = '\0';
	sym = sp + 1;
	for (i = 0; i < ARRAY_LEN(k->reject); i++)
		if (k->reject[i] && !strncmp(sym, k->reject[i], strlen(k->reject[i])) &&
		    (!sym[strlen(k->reject[i])] || sym[strlen(k->reject[i])] == '+'))
			return -ENOENT;
	e = fk_event(k, text + 2, (size_t)(slash - text - 2), slash + 1);
	if (e) {
		e->probes++;	/* 5.7+: a second probe on the event */
		k->appended++;
		return (long)len;
	}
	*slash = '\0';
	fk_add_event(k, text + 2, slash + 1, sym);
	return (long)len;
}

static long fk_write(void *c, int fd, const void *buf, size_t len)
{
	struct fk *k = fk_of(c);
	struct fk_file *f = fk_file(k, fd);

	if (!f)
		return k->inner.write(k->inner.ctx, fd, buf, len);
	if (f->kind != FK_KEVENTS)
		return -EBADF;
	if (!len)
		return 0;	/* the kernel parses no command out of an empty write */
	return fk_command(k, buf, len);
}

static long fk_close(void *c, int fd)
{
	struct fk *k = fk_of(c);
	struct fk_file *f = fk_file(k, fd);
	size_t i, j;

	if (f)
		f->fd = 0;
	for (i = 0; i < k->btf_cnt; i++)
		for (j = 0; j < ARRAY_LEN(k->btfs[i].fds); j++)
			if (k->btfs[i].fds[j] == fd)
				k->btfs[i].fds[j] = 0;
	return k->inner.close(k->inner.ctx, fd);
}

static struct fk_btf *fk_btf_of_fd(struct fk *k, int fd)
{
	size_t i, j;

	for (i = 0; i < k->btf_cnt; i++)
		for (j = 0; j < ARRAY_LEN(k->btfs[i].fds); j++)
			if (k->btfs[i].fds[j] == fd && fd)
				return &k->btfs[i];
	return NULL;
}

/* BTF objects by id and program info: what module and freplace targets need. */
static long fk_bpf_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct fk *k = fk_of(s);
	struct fk_btf *b;
	size_t i, j;
	long fd;

	(void)size;
	switch (cmd) {
	case BPF_BTF_GET_NEXT_ID:
		for (i = 0; i < k->btf_cnt; i++)
			if (k->btfs[i].id > attr->start_id) {
				attr->next_id = k->btfs[i].id;
				return 0;
			}
		return -ENOENT;
	case BPF_BTF_GET_FD_BY_ID:
		for (i = 0; i < k->btf_cnt; i++) {
			if (k->btfs[i].id != attr->btf_id)
				continue;
			fd = fs_script_new_fd(s);
			for (j = 0; fd >= 0 && j < ARRAY_LEN(k->btfs[i].fds); j++)
				if (!k->btfs[i].fds[j]) {
					k->btfs[i].fds[j] = (int)fd;
					break;
				}
			return fd;
		}
		return -ENOENT;
	case BPF_OBJ_GET_INFO_BY_FD:
		b = fk_btf_of_fd(k, (int)attr->info.bpf_fd);
		if (b) {
			struct bpf_btf_info *bi = (void *)(uintptr_t)attr->info.info;

			if (bi->btf && bi->btf_size >= b->len)
				memcpy((void *)(uintptr_t)bi->btf, b->raw, b->len);
			bi->btf_size = b->len;
			bi->id = b->id;
			bi->kernel_btf = b->kernel;
			if (bi->name && bi->name_len)
				snprintf((char *)(uintptr_t)bi->name, bi->name_len, "%s", b->name);
			return 0;
		}
		if ((int)attr->info.bpf_fd == k->prog_fd_with_btf && k->prog_fd_with_btf) {
			struct bpf_prog_info *pi = (void *)(uintptr_t)attr->info.info;

			pi->btf_id = k->prog_btf_id;
			return 0;
		}
		return FS_DEFAULT;
	default:
		return FS_DEFAULT;
	}
}

static void fk_add_btf(struct fk *k, uint32_t id, const char *name, bool kernel, uint8_t *raw,
		       uint32_t len)
{
	assert_true(k->btf_cnt < FK_BTFS);
	k->btfs[k->btf_cnt++] = (struct fk_btf){ .id = id, .name = name, .kernel = kernel,
						 .raw = raw, .len = len };
}

/* ==== the recorder on top ==== */

#define REC_MAX 256

struct rec_call {
	int hook;
	int cmd;
	union bpf_attr attr;
	char str[256];			/* open path, write text, kprobe_func, raw tp name */
	struct perf_event_attr pattr;
	int pid, cpu, group;
	unsigned long flags;
	int fd;
	unsigned long req, arg;
	uint64_t raw_cookie;		/* BPF_RAW_TRACEPOINT_OPEN: bytes 16..23 */
	unsigned long addrs[16];	/* kprobe_multi: copied at the call */
	char syms[4][32];
	uint64_t cookies[4];
	long ret;
};

struct rec {
	struct bbpf_sys inner;		/* fs_wrap's table */
	struct fk *k;
	struct rec_call calls[REC_MAX];
	size_t cnt;
	bool off;			/* not recording (sweeps) */
};

static struct rec_call *rec_add(struct rec *r, int hook)
{
	static struct rec_call scratch;
	struct rec_call *c;

	if (r->off || r->cnt == REC_MAX)
		return &scratch;
	c = &r->calls[r->cnt++];
	memset(c, 0, sizeof(*c));
	c->hook = hook;
	return c;
}

static long rec_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_BPF);
	size_t i;

	c->cmd = cmd;
	c->attr = *attr;
	if (cmd == BPF_RAW_TRACEPOINT_OPEN) {
		snprintf(c->str, sizeof(c->str), "%s", attr->raw_tracepoint.name ?
			 (const char *)(uintptr_t)attr->raw_tracepoint.name : "(null)");
		memcpy(&c->raw_cookie, (char *)attr + 16, 8);
	}
	if (cmd == BPF_LINK_CREATE && (attr->link_create.attach_type == BPF_TRACE_KPROBE_MULTI ||
				       (int)attr->link_create.attach_type ==
				       BBPF_TRACE_KPROBE_SESSION)) {
		const unsigned long *a = (const void *)(uintptr_t)attr->link_create.kprobe_multi.addrs;
		const char *const *sy = (const void *)(uintptr_t)attr->link_create.kprobe_multi.syms;
		const uint64_t *ck = (const void *)(uintptr_t)attr->link_create.kprobe_multi.cookies;

		for (i = 0; i < attr->link_create.kprobe_multi.cnt && i < 16; i++)
			if (a)
				c->addrs[i] = a[i];
		for (i = 0; i < attr->link_create.kprobe_multi.cnt && i < 4; i++) {
			if (sy)
				snprintf(c->syms[i], sizeof(c->syms[i]), "%s", sy[i]);
			if (ck)
				c->cookies[i] = ck[i];
		}
	}
	return c->ret = r->inner.bpf(r->inner.ctx, cmd, attr, size);
}

static long rec_perf(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu, int group,
		     unsigned long flags)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_PERF_EVENT_OPEN);

	c->pattr = *attr;
	if (attr->type == KPROBE_PMU && attr->config1)
		snprintf(c->str, sizeof(c->str), "%s", (const char *)(uintptr_t)attr->config1);
	c->pid = pid;
	c->cpu = cpu;
	c->group = group;
	c->flags = flags;
	return c->ret = r->inner.perf_event_open(r->inner.ctx, attr, pid, cpu, group, flags);
}

static long rec_ioctl(void *ctx, int fd, unsigned long req, unsigned long arg)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_IOCTL);

	c->fd = fd;
	c->req = req;
	c->arg = arg;
	return c->ret = r->inner.ioctl(r->inner.ctx, fd, req, arg);
}

static long rec_close(void *ctx, int fd)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_CLOSE);

	c->fd = fd;
	/* never a double or stray close */
	assert_true(fd >= FS_FAKE_FD_BASE && fd < FS_FAKE_FD_BASE + FS_FAKE_FDS);
	assert_true(r->k->script.fds[fd - FS_FAKE_FD_BASE].open);
	return c->ret = r->inner.close(r->inner.ctx, fd);
}

static long rec_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_OPEN);

	snprintf(c->str, sizeof(c->str), "%s", path);
	c->flags = (unsigned long)flags;
	return c->ret = r->inner.open(r->inner.ctx, path, flags, mode);
}

static long rec_write(void *ctx, int fd, const void *buf, size_t len)
{
	struct rec *r = ctx;
	struct rec_call *c = rec_add(r, FS_HOOK_WRITE);

	c->fd = fd;
	snprintf(c->str, sizeof(c->str), "%.*s", (int)len, (const char *)buf);
	return c->ret = r->inner.write(r->inner.ctx, fd, buf, len);
}

/* Reads are not recorded: how a file is read is sysfile.c's business. */
static long rec_read(void *ctx, int fd, void *buf, size_t len)
{
	struct rec *r = ctx;

	return r->inner.read(r->inner.ctx, fd, buf, len);
}

#define PASS(name, hook, sig, args)					\
	static long name sig						\
	{								\
		struct rec *r = ctx;					\
		return r->inner.hook args;				\
	}
PASS(rec_mmap, mmap, (void *ctx, void *a, size_t l, int p, int f, int fd, off_t o, void **out),
     (r->inner.ctx, a, l, p, f, fd, o, out))
PASS(rec_munmap, munmap, (void *ctx, void *a, size_t l), (r->inner.ctx, a, l))
PASS(rec_uname, uname, (void *ctx, struct utsname *u), (r->inner.ctx, u))
PASS(rec_getpid, getpid, (void *ctx), (r->inner.ctx))
#undef PASS

/* ==== an object loaded on the fake kernel ==== */

#define PROG_MAX 8

struct env {
	struct fk k;
	struct fs_wrap wrap;
	struct rec rec;
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	uint8_t *elf;
	uint8_t *vmlinux;
	uint32_t vmlinux_len, vmlinux_types, vmlinux_strs;
	struct bbpf_program *progs[PROG_MAX];
	int prog_fds[PROG_MAX];
	size_t base_fds;
	struct fa fa;
};

enum env_flags {
	E_PMU = 1 << 0,		/* the kprobe PMU exists */
	E_PERF_LINK = 1 << 1,	/* BPF perf links (5.15+) */
	E_MAPS = 1 << 2,	/* a samples/bpf object: SEC("maps") with a prog array first */
	E_NO_LOAD = 1 << 3,	/* open only */
};

/* The object: one "r0 = 0; exit" program per section; with E_MAPS a legacy prog array first. */
static uint8_t *build_object(const char *const *secs, size_t cnt, bool maps, size_t *len)
{
	static const uint8_t insns[16] = { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	struct eb *b = eb_new(ELFDATA2LSB, ET_REL, EM_BPF);
	uint32_t def[5] = { BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 8, 0 }, sec;
	char name[32];
	uint8_t *img;
	size_t i;

	if (maps) {
		sec = eb_add_section(b, "maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, def,
				     sizeof(def), 0, 0, 0, 4);
		eb_add_sym(b, "progs", 0, sizeof(def), (uint16_t)sec, STB_GLOBAL, STT_OBJECT);
	}
	for (i = 0; i < cnt; i++) {
		sec = eb_add_section(b, secs[i], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, insns,
				     sizeof(insns), 0, 0, 0, 8);
		snprintf(name, sizeof(name), "prog%zu", i);
		eb_add_sym(b, name, 0, sizeof(insns), (uint16_t)sec, STB_GLOBAL, STT_FUNC);
	}
	eb_add_section(b, "license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, "GPL", 4, 0, 0, 0, 1);
	eb_build(b, EB_SHDRS_LAST);
	img = malloc(eb_len(b));
	assert_non_null(img);
	memcpy(img, eb_buf(b), eb_len(b));
	*len = eb_len(b);
	eb_free(b);
	return img;
}

/* vmlinux: FUNCs (fentry, lsm, iter targets) and btf_trace_ typedefs. */
static void build_vmlinux(struct env *e)
{
	static const char *const funcs[] = { "do_unlinkat", "bpf_lsm_file_open", "bpf_iter_task",
					     "bpf_iter_bpf_map_elem" };
	struct bb_btf b;
	uint32_t proto;
	size_t i;

	bb_btf_init(&b);
	proto = bb_btf_add_func_proto(&b, 0);
	for (i = 0; i < ARRAY_LEN(funcs); i++)
		bb_btf_add_func(&b, funcs[i], proto, BTF_FUNC_GLOBAL);
	bb_btf_add_typedef(&b, "btf_trace_sched_switch", bb_btf_add_ptr(&b, proto));
	e->vmlinux = bb_btf_raw(&b, false, &e->vmlinux_len);
	e->vmlinux_types = b.next_id;
	e->vmlinux_strs = (uint32_t)b.str_len;
	bb_btf_free(&b);
}

/* A module's BTF, split on vmlinux, with one FUNC. */
static uint8_t *build_module_btf(struct env *e, const char *func, uint32_t *len, uint32_t *id)
{
	struct bb_btf b;
	uint32_t proto;
	uint8_t *raw;

	bb_btf_init_split(&b, e->vmlinux_types, e->vmlinux_strs);
	proto = bb_btf_add_func_proto(&b, 0);
	*id = bb_btf_add_func(&b, func, proto, BTF_FUNC_GLOBAL);
	raw = bb_btf_raw(&b, false, len);
	bb_btf_free(&b);
	return raw;
}

/* A program's BTF (not split) with FUNC func. */
static uint8_t *build_prog_btf(const char *func, uint32_t *len, uint32_t *id)
{
	struct bb_btf b;
	uint32_t proto, i32;
	uint8_t *raw;

	bb_btf_init(&b);
	i32 = bb_btf_add_int(&b, "int", 4, BTF_INT_SIGNED, 32);
	proto = bb_btf_add_func_proto(&b, i32);
	bb_btf_add_param(&b, "x", i32);
	bb_btf_add_func(&b, "other", proto, BTF_FUNC_GLOBAL);
	*id = bb_btf_add_func(&b, func, proto, BTF_FUNC_GLOBAL);
	raw = bb_btf_raw(&b, false, len);
	bb_btf_free(&b);
	return raw;
}

static void env_init(struct env *e, unsigned int flags)
{
	struct bbpf_ctx_opts co = { 0 };

	e->k.inner = fs_script_init(&e->k.script);
	e->k.next_id = 2000;
	e->k.script.bpf_cb = fk_bpf_cb;
	build_vmlinux(e);
	fs_script_add_file(&e->k.script, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux,
			   e->vmlinux_len);
	fs_script_add_file(&e->k.script, TRACEFS "/events/syscalls/sys_enter_getpid/id", "1234\n",
			   5);
	fs_script_add_file(&e->k.script, "/sys/devices/system/cpu/online", "0-1,3\n", 6);
	if (flags & E_PMU) {
		fs_script_add_file(&e->k.script, PMU_TYPE, "8\n", 2);
		fs_script_add_file(&e->k.script, PMU_RET, "config:0\n", 9);
	}
	/* the model sits under fs_wrap: injected failures never reach it */
	{
		struct bbpf_sys model = e->k.inner;

		model.ctx = &e->k;
		model.open = fk_open;
		model.read = fk_read;
		model.write = fk_write;
		model.close = fk_close;
		/* the script's own hooks take the script: it is the model's first member */
		e->rec.inner = fs_wrap_init(&e->wrap, &model);
	}
	e->rec.k = &e->k;
	e->sys = (struct bbpf_sys){ .ctx = &e->rec, .bpf = rec_bpf, .perf_event_open = rec_perf,
				    .ioctl = rec_ioctl, .close = rec_close, .open = rec_open,
				    .read = rec_read, .write = rec_write, .mmap = rec_mmap,
				    .munmap = rec_munmap, .uname = rec_uname, .getpid = rec_getpid };
	co.sys = &e->sys;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	e->ctx->feat.probed = true;
	e->ctx->feat.memcg_account = true;
	e->ctx->feat.prog_name = true;
	e->ctx->feat.perf_link = (flags & E_PERF_LINK) != 0;
}

static void env_open_load(struct env *e, const char *const *secs, size_t cnt, unsigned int flags)
{
	struct bbpf_load_opts lo = { .ctx = e->ctx };
	size_t i, len;

	assert_true(cnt <= PROG_MAX);
	e->elf = build_object(secs, cnt, (flags & E_MAPS) != 0, &len);
	assert_int_equal(bbpf_object_open_mem(&e->obj, e->elf, len, NULL, NULL), 0);
	for (i = 0; i < cnt; i++) {
		e->progs[i] = bbpf_object_program(e->obj, i);
		assert_string_equal(bbpf_program_section(e->progs[i]), secs[i]);
	}
	if (flags & E_NO_LOAD)
		return;
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	for (i = 0; i < cnt; i++) {
		e->prog_fds[i] = bbpf_program_fd(e->progs[i]);
		assert_true(e->prog_fds[i] >= 0);
	}
	e->base_fds = fs_wrap_open_fds(&e->wrap);
	e->rec.cnt = 0;
	fs_wrap_reset_counts(&e->wrap);
}

static struct env *env_new(const char *const *secs, size_t cnt, unsigned int flags)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	env_init(e, flags);
	if (cnt)
		env_open_load(e, secs, cnt, flags);
	return e;
}

static void assert_no_fds(struct env *e)
{
	if (fs_wrap_open_fds(&e->wrap) != e->base_fds) {
		fs_wrap_dump(&e->wrap, stderr);
		fail_msg("%zu fds left open", fs_wrap_open_fds(&e->wrap) - e->base_fds);
	}
}

static void env_free(struct env *e)
{
	size_t i;

	bbpf_object_detach(e->obj);
	assert_no_fds(e);
	bbpf_object_close(e->obj);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	assert_int_equal(e->k.appended, 0);
	free(e->elf);
	bbpf_ctx_free(e->ctx);
	free(e->vmlinux);
	for (i = 0; i < e->k.btf_cnt; i++)
		free(e->k.btfs[i].raw);
	fs_script_fini(&e->k.script);
	free(e);
}

static void rec_clear(struct env *e)
{
	e->rec.cnt = 0;
}

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

	if (c->cmd != cmd)
		fail_msg("call #%zu: bpf cmd %d, expected %d", n, c->cmd, cmd);
	return c;
}

/* The next recorded call of hook at or after *n (skipping file reads' opens and closes). */
static const struct rec_call *next_of(struct env *e, size_t *n, int hook)
{
	while (*n < e->rec.cnt && e->rec.calls[*n].hook != hook)
		(*n)++;
	if (*n >= e->rec.cnt)
		fail_msg("no %s after call #%zu", fs_hook_name(hook), *n);
	return &e->rec.calls[(*n)++];
}

static size_t count_hook(struct env *e, int hook)
{
	size_t i, n = 0;

	for (i = 0; i < e->rec.cnt; i++)
		n += e->rec.calls[i].hook == hook;
	return n;
}

/* The written kprobe_events lines, in order. */
static size_t writes(struct env *e, const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < e->rec.cnt && n < max; i++)
		if (e->rec.calls[i].hook == FS_HOOK_WRITE)
			out[n++] = e->rec.calls[i].str;
	return n;
}

/* "p:kprobes/NAME FUNC+0x10" -> NAME; checks the unique-name shape. */
static void event_name(const char *line, char *name, size_t size)
{
	const char *slash = strchr(line, '/'), *sp = strchr(line, ' ');
	size_t n = sp ? (size_t)(sp - slash - 1) : strlen(slash + 1);
	char pfx[32];

	assert_non_null(slash);
	assert_true(n < size && n <= 63);
	memcpy(name, slash + 1, n);
	name[n] = '\0';
	snprintf(pfx, sizeof(pfx), "bbpf_4242_");
	if (strncmp(name, pfx, strlen(pfx)))
		fail_msg("event name '%s' does not start with '%s'", name, pfx);
	for (n = 0; name[n]; n++)
		assert_true((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
			    (name[n] >= '0' && name[n] <= '9') || name[n] == '_');
}

static const struct rec_call *expect_perf_tp(struct env *e, size_t *n, int id, bool samples)
{
	const struct rec_call *c = next_of(e, n, FS_HOOK_PERF_EVENT_OPEN);

	assert_int_equal(c->pattr.type, PERF_TYPE_TRACEPOINT);
	assert_int_equal(c->pattr.size, sizeof(struct perf_event_attr));
	assert_int_equal(c->pattr.config, id);
	assert_int_equal(c->pattr.sample_type, samples ? PERF_SAMPLE_RAW : 0);
	assert_int_equal(c->pattr.sample_period, samples ? 1 : 0);
	assert_int_equal(c->pattr.wakeup_events, samples ? 1 : 0);
	assert_int_equal(c->pid, -1);
	assert_int_equal(c->cpu, 0);
	assert_int_equal(c->group, -1);
	assert_int_equal(c->flags, PERF_FLAG_FD_CLOEXEC);
	assert_true(c->ret >= 0);
	return c;
}

/* ==== kprobe through the PMU ==== */

static void expect_pmu_open(const struct rec_call *c, const char *func, uint64_t off, bool ret)
{
	assert_int_equal(c->pattr.type, KPROBE_PMU);
	assert_int_equal(c->pattr.size, sizeof(struct perf_event_attr));
	assert_int_equal(c->pattr.config, ret ? 1 : 0);	/* format/retprobe: config:0 */
	assert_string_equal(c->str, func);
	assert_int_equal(c->pattr.config2, off);
	assert_int_equal(c->pid, -1);
	assert_int_equal(c->cpu, 0);
	assert_int_equal(c->group, -1);
	assert_int_equal(c->flags, PERF_FLAG_FD_CLOEXEC);
	assert_true(c->ret >= 0);
}

static void test_kprobe_pmu_link(void **state)
{
	static const char *const secs[] = { "kprobe/do_sys_open+0x10", "kretprobe/do_sys_open" };
	struct env *e = env_new(secs, 2, E_PMU | E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0;
	long pfd, lfd;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 2);
	c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
	expect_pmu_open(c, "do_sys_open", 0x10, false);
	pfd = c->ret;
	c = next_of(e, &n, FS_HOOK_BPF);
	assert_int_equal(c->cmd, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[0]);
	assert_int_equal(c->attr.link_create.target_fd, pfd);
	assert_int_equal(c->attr.link_create.attach_type, BPF_PERF_EVENT);
	assert_int_equal(c->attr.link_create.perf_event.bpf_cookie, 0);
	lfd = c->ret;
	c = next_of(e, &n, FS_HOOK_IOCTL);
	assert_int_equal(c->fd, pfd);
	assert_int_equal(c->req, PERF_EVENT_IOC_ENABLE);
	c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
	expect_pmu_open(c, "do_sys_open", 0, true);
	assert_int_equal(count_hook(e, FS_HOOK_WRITE), 0);	/* no tracefs with the PMU */
	link = bbpf_object_link(e->obj, 0);
	assert_int_equal(bbpf_link_fd(link), lfd);
	assert_int_equal(link->undo_cnt, 1);
	assert_int_equal(link->undo[0].kind, BBPF_UNDO_CLOSE);	/* the link holds the event */
	rec_clear(e);
	bbpf_object_detach(e->obj);
	assert_int_equal(count_hook(e, FS_HOOK_CLOSE), 4);
	assert_int_equal(count_hook(e, FS_HOOK_IOCTL), 0);
	env_free(e);
}

/* attach_mode PERF (and DEFAULT on a kernel without perf links): PERF_EVENT_IOC_SET_BPF. */
static void test_kprobe_pmu_ioctl(void **state)
{
	static const char *const secs[] = { "kprobe" };
	struct bbpf_kprobe_opts o = { .attach_mode = BBPF_PROBE_ATTACH_PERF, .offset = 4 };
	struct env *e = env_new(secs, 1, E_PMU | E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0;
	long pfd;

	(void)state;
	/* a bare SEC("kprobe") is not auto-attached */
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "vfs_read", &o, &link), 0);
	c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
	expect_pmu_open(c, "vfs_read", 4, false);
	pfd = c->ret;
	c = next_of(e, &n, FS_HOOK_IOCTL);
	assert_int_equal(c->req, PERF_EVENT_IOC_SET_BPF);
	assert_int_equal(c->arg, (unsigned long)e->prog_fds[0]);
	c = next_of(e, &n, FS_HOOK_IOCTL);
	assert_int_equal(c->req, PERF_EVENT_IOC_ENABLE);
	assert_int_equal(count_hook(e, FS_HOOK_BPF), 0);
	assert_int_equal(link->fd, -1);
	assert_int_equal(bbpf_link_fd(link), pfd);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	rec_clear(e);
	bbpf_link_destroy(link);
	c = call_at(e, 0, FS_HOOK_IOCTL);
	assert_int_equal(c->req, PERF_EVENT_IOC_DISABLE);
	assert_int_equal(call_at(e, 1, FS_HOOK_CLOSE)->fd, pfd);
	assert_int_equal(e->rec.cnt, 2);

	/* a cookie: through the link; none possible with the ioctl */
	o.attach_mode = BBPF_PROBE_ATTACH_LINK;
	o.bpf_cookie = 0xabcdef;
	o.retprobe = true;
	o.offset = 0;
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "vfs_read", &o, &link), 0);
	n = 0;
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "vfs_read", 0, true);
	c = next_of(e, &n, FS_HOOK_BPF);
	assert_int_equal(c->attr.link_create.perf_event.bpf_cookie, 0xabcdef);
	bbpf_link_destroy(link);
	o.attach_mode = BBPF_PROBE_ATTACH_PERF;
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "vfs_read", &o, &link),
			 -EOPNOTSUPP);
	assert_no_fds(e);
	env_free(e);
}

/* What attach_mode asks for must be there: -EOPNOTSUPP (libbpf's -ENOTSUP) before any event. */
static void test_kprobe_modes_unsupported(void **state)
{
	static const char *const secs[] = { "kprobe" };
	struct bbpf_kprobe_opts o = { 0 };
	struct env *e = env_new(secs, 1, 0);	/* no PMU, no perf links */
	struct bbpf_link *link = NULL;

	(void)state;
	o.attach_mode = BBPF_PROBE_ATTACH_PERF;
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "f", &o, &link), -EOPNOTSUPP);
	o.attach_mode = BBPF_PROBE_ATTACH_LINK;
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "f", &o, &link), -EOPNOTSUPP);
	o.attach_mode = (enum bbpf_probe_attach_mode)7;
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "f", &o, &link), -EINVAL);
	assert_int_equal(count_hook(e, FS_HOOK_WRITE) + count_hook(e, FS_HOOK_PERF_EVENT_OPEN), 0);
	/* a symbol that is no symbol never reaches kprobe_events */
	o.attach_mode = BBPF_PROBE_ATTACH_DEFAULT;
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "a b", &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "x\n-:kprobes/y", &o, &link),
			 -EINVAL);
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "", &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], NULL, &o, &link), -EINVAL);
	assert_int_equal(e->rec.cnt, 0);
	assert_true(bbpf_kprobe_func_ok("nf_conntrack:nf_ct_delete"));
	assert_true(bbpf_kprobe_func_ok("ext4_file_write_iter.cold"));
	assert_false(bbpf_kprobe_func_ok(":x"));
	assert_false(bbpf_kprobe_func_ok("a:b:c"));
	assert_false(bbpf_kprobe_func_ok("x:"));
	assert_null(link);
	env_free(e);
}

/* ==== kprobe through tracefs (no PMU, or attach_mode LEGACY) ==== */

static void check_legacy(struct env *e, const char *func, uint64_t off, bool ret, bool link_mode,
			 const char *sec_target)
{
	const char *w[4];
	char name[96], want[256], del[160];
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0, events0 = fk_event_cnt(&e->k);
	long pfd;
	int id;

	(void)sec_target;
	assert_int_equal(writes(e, w, 4), 1);
	event_name(w[0], name, sizeof(name));
	snprintf(want, sizeof(want), "%c:%s/%s %s+0x%llx", ret ? 'r' : 'p',
		 ret ? "kretprobes" : "kprobes", name, func, (unsigned long long)off);
	assert_string_equal(w[0], want);
	snprintf(want, sizeof(want), "_%s_0x%llx", func, (unsigned long long)off);
	assert_string_equal(name + strlen(name) - strlen(want), want);
	assert_non_null(fk_event(&e->k, ret ? "kretprobes" : "kprobes",
				 strlen(ret ? "kretprobes" : "kprobes"), name));
	id = fk_event(&e->k, ret ? "kretprobes" : "kprobes", strlen(ret ? "kretprobes" : "kprobes"),
		      name)->id;
	c = expect_perf_tp(e, &n, id, false);
	pfd = c->ret;
	c = next_of(e, &n, link_mode ? FS_HOOK_BPF : FS_HOOK_IOCTL);
	if (link_mode) {
		assert_int_equal(c->attr.link_create.attach_type, BPF_PERF_EVENT);
		assert_int_equal(c->attr.link_create.target_fd, pfd);
	} else {
		assert_int_equal(c->req, PERF_EVENT_IOC_SET_BPF);
	}
	assert_int_equal(next_of(e, &n, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_ENABLE);
	/* detach: fds first, then the event, exactly ours */
	link = bbpf_object_link_cnt(e->obj) ? bbpf_object_link(e->obj, 0) : NULL;
	assert_non_null(link);
	rec_clear(e);
	bbpf_object_detach(e->obj);
	snprintf(del, sizeof(del), "-:%s/%s", ret ? "kretprobes" : "kprobes", name);
	assert_int_equal(writes(e, w, 4), 1);
	assert_string_equal(w[0], del);
	assert_int_equal(e->rec.calls[e->rec.cnt - 1].hook, FS_HOOK_CLOSE);	/* kprobe_events */
	assert_int_equal(fk_event_cnt(&e->k), events0 - 1);
}

static void test_kprobe_legacy_tracefs(void **state)
{
	static const char *const secs[] = { "kprobe/do_sys_open+0x10" };
	static const char *const rsecs[] = { "kretprobe/do_exit" };
	struct env *e;

	(void)state;
	/* no PMU: tracefs event + perf link */
	e = env_new(secs, 1, E_PERF_LINK);
	fk_add_event(&e->k, "kprobes", "someone_elses", "vfs_write");
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	check_legacy(e, "do_sys_open", 0x10, false, true, NULL);
	assert_non_null(fk_event(&e->k, "kprobes", 7, "someone_elses"));	/* untouched */
	env_free(e);
	/* no PMU and no perf links: ioctl; a kretprobe */
	e = env_new(rsecs, 1, 0);
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	check_legacy(e, "do_exit", 0, true, false, NULL);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	env_free(e);
}

/* attach_mode LEGACY with the PMU there: tracefs and the ioctl, as libbpf (force_ioctl_attach). */
static void test_kprobe_legacy_forced(void **state)
{
	static const char *const secs[] = { "kprobe" };
	struct bbpf_kprobe_opts o = { .attach_mode = BBPF_PROBE_ATTACH_LEGACY, .retprobe = true };
	struct env *e = env_new(secs, 1, E_PMU | E_PERF_LINK);
	struct bbpf_link *link;
	const char *w[4];
	char name[96];
	size_t n = 0;

	(void)state;
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "vfs_read", &o, &link), 0);
	assert_int_equal(writes(e, w, 4), 1);
	event_name(w[0], name, sizeof(name));
	assert_int_equal(strncmp(w[0], "r:kretprobes/", 13), 0);
	expect_perf_tp(e, &n, fk_event(&e->k, "kretprobes", 10, name)->id, false);
	assert_int_equal(next_of(e, &n, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_SET_BPF);
	assert_int_equal(count_hook(e, FS_HOOK_BPF), 0);
	assert_int_equal(fk_event_cnt(&e->k), 1);
	/* a cookie cannot go through the ioctl: refused, and the event removed again */
	bbpf_link_destroy(link);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	o.bpf_cookie = 1;
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], "vfs_read", &o, &link),
			 -EOPNOTSUPP);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	assert_no_fds(e);
	env_free(e);
}

/* Names in use are skipped: an event of that name may be someone else's. */
static void test_kprobe_name_in_use(void **state)
{
	static const char *const secs[] = { "kprobe/vfs_read" };
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	const char *w[4];
	char name[96], *p;
	unsigned long seq;

	(void)state;
	e->k.clash = 3;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(writes(e, w, 4), 1);
	event_name(w[0], name, sizeof(name));
	/* bbpf_<pid>_<ctx>_<seq>_...: the fourth name tried */
	p = strchr(strchr(name + 5, '_') + 1, '_') + 1;
	seq = strtoul(p, NULL, 10);
	assert_int_equal(seq, 3);
	/* a second attach of the same function gets a name of its own */
	{
		struct bbpf_link *link;
		const char *w2[4];
		char name2[96];

		rec_clear(e);
		assert_int_equal(bbpf_program_attach(e->progs[0], &link), 0);
		assert_int_equal(writes(e, w2, 4), 1);
		event_name(w2[0], name2, sizeof(name2));
		assert_string_not_equal(name, name2);
		assert_int_equal(fk_event_cnt(&e->k), 2);
		bbpf_link_destroy(link);
	}
	assert_int_equal(e->k.appended, 0);
	/* every name taken: -EEXIST, nothing written */
	bbpf_object_detach(e->obj);
	e->k.clash = 1000;
	rec_clear(e);
	assert_int_equal(bbpf_object_attach(e->obj), -EEXIST);
	assert_int_equal(count_hook(e, FS_HOOK_WRITE), 0);
	e->k.clash = 0;
	env_free(e);
}

/* Long function names are cut at 63 characters, the unique part first. */
static void test_kprobe_long_name(void **state)
{
	static const char *const secs[] = { "kprobe" };
	char func[160];
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	struct bbpf_link *link;
	const char *w[4];
	char name[96];

	(void)state;
	memset(func, 'f', sizeof(func) - 1);
	func[sizeof(func) - 1] = '\0';
	assert_int_equal(bbpf_program_attach_kprobe(e->progs[0], func, NULL, &link), 0);
	assert_int_equal(writes(e, w, 4), 1);
	event_name(w[0], name, sizeof(name));
	assert_int_equal(strlen(name), 63);
	bbpf_link_destroy(link);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	env_free(e);
}

static void test_kprobe_section_names(void **state)
{
	static const char *const secs[] = { "kprobe/f+16", "kprobe/f+020", "kprobe/f.isra.0",
					     "kretprobe/f+4", "kprobe/f+zz", "kprobe/+4" };
	struct env *e = env_new(secs, 6, E_PMU | E_PERF_LINK);
	struct bbpf_link *link;
	size_t n = 0;

	(void)state;
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), 0);
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "f", 16, false);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach(e->progs[1], &link), 0);
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "f", 16, false);	/* octal */
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach(e->progs[2], &link), 0);
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "f.isra.0", 0, false);
	bbpf_link_destroy(link);
	rec_clear(e);
	/* kretprobes take no offset; a bad offset or no function: -EINVAL, no call */
	assert_int_equal(bbpf_program_attach(e->progs[3], &link), -EINVAL);
	assert_int_equal(bbpf_program_attach(e->progs[4], &link), -EINVAL);
	assert_int_equal(bbpf_program_attach(e->progs[5], &link), -EINVAL);
	assert_int_equal(e->rec.cnt, 0);
	env_free(e);
}

/* ==== samples/bpf objects ==== */

static void test_samples_kprobes(void **state)
{
	static const char *const secs[] = { "kprobe/sys_write", "kretprobe/do_exit", "kprobe/3" };
	struct env *e = env_new(secs, 3, E_PMU | E_PERF_LINK | E_MAPS);
	const struct rec_call *c;
	struct bbpf_map *progs = bbpf_object_find_map(e->obj, "progs");
	const char *w[8];
	char name[96], name2[96], want[200];
	size_t n = 0, i;
	long pfd;
	uint32_t key;

	(void)state;
	assert_non_null(progs);
	assert_true(bbpf_kprobe_is_samples(e->progs[0]));
	fk_add_event(&e->k, "kprobes", "sys_write", "sys_write");	/* another samples loader's */
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 3);
	/* the PMU and perf links exist, yet bpf_load.c's way: tracefs, ENABLE, SET_BPF */
	assert_int_equal(writes(e, w, 8), 2);
	event_name(w[0], name, sizeof(name));
	snprintf(want, sizeof(want), "p:kprobes/%s __x64_sys_write", name);
	assert_string_equal(w[0], want);
	c = expect_perf_tp(e, &n, fk_event(&e->k, "kprobes", 7, name)->id, true);
	pfd = c->ret;
	c = next_of(e, &n, FS_HOOK_IOCTL);
	assert_int_equal(c->fd, pfd);
	assert_int_equal(c->req, PERF_EVENT_IOC_ENABLE);
	c = next_of(e, &n, FS_HOOK_IOCTL);
	assert_int_equal(c->req, PERF_EVENT_IOC_SET_BPF);
	assert_int_equal(c->arg, (unsigned long)e->prog_fds[0]);
	event_name(w[1], name2, sizeof(name2));
	snprintf(want, sizeof(want), "r:kprobes/%s do_exit", name2);
	assert_string_equal(w[1], want);
	/* kprobe/3: slot 3 of the first map, no probe */
	for (i = 0; i < e->rec.cnt; i++)
		if (e->rec.calls[i].hook == FS_HOOK_BPF &&
		    e->rec.calls[i].cmd == BPF_MAP_UPDATE_ELEM)
			break;
	assert_true(i < e->rec.cnt);
	c = &e->rec.calls[i];
	assert_int_equal(c->attr.map_fd, bbpf_map_fd(progs));
	assert_int_equal(c->attr.flags, BPF_ANY);
	/* the slot's undo: delete key 3 of that map */
	key = bbpf_object_link(e->obj, 2)->undo[0].a[0];
	assert_int_equal(bbpf_object_link(e->obj, 2)->undo[0].kind, BBPF_UNDO_MAP_DELETE);
	assert_int_equal(key, 3);
	assert_int_equal(count_hook(e, FS_HOOK_BPF), 1);	/* no perf link anywhere */
	assert_int_equal(bbpf_link_pin(bbpf_object_link(e->obj, 0), "/sys/fs/bpf/x"), -EOPNOTSUPP);
	assert_int_equal(fk_event_cnt(&e->k), 3);

	rec_clear(e);
	bbpf_object_detach(e->obj);
	/* slot 3 emptied, both events removed, the other loader's event kept */
	c = bpf_at(e, 0, BPF_MAP_DELETE_ELEM);
	assert_int_equal(c->attr.map_fd, bbpf_map_fd(progs));
	assert_int_equal(writes(e, w, 8), 2);
	snprintf(want, sizeof(want), "-:kprobes/%s", name2);
	assert_string_equal(w[0], want);
	snprintf(want, sizeof(want), "-:kprobes/%s", name);
	assert_string_equal(w[1], want);
	assert_int_equal(fk_event_cnt(&e->k), 1);
	assert_non_null(fk_event(&e->k, "kprobes", 7, "sys_write"));
	env_free(e);
}

/* "sys_*" without the wrapper symbol: the plain name, as bpf_load.c fell back. */
static void test_samples_no_wrapper(void **state)
{
	static const char *const secs[] = { "kprobe/sys_write", "kprobe/" };
	struct env *e = env_new(secs, 2, E_MAPS);
	const char *w[8];
	char name[96], want[200];
	struct bbpf_link *link;

	(void)state;
	e->k.reject[0] = "__x64_sys_write";
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), 0);
	assert_int_equal(writes(e, w, 8), 2);
	assert_int_equal(strncmp(w[0], "p:kprobes/", 10), 0);
	assert_non_null(strstr(w[0], " __x64_sys_write"));	/* refused by the kernel */
	event_name(w[1], name, sizeof(name));
	snprintf(want, sizeof(want), "p:kprobes/%s sys_write", name);
	assert_string_equal(w[1], want);
	assert_int_equal(fk_event_cnt(&e->k), 1);
	bbpf_link_destroy(link);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	/* "kprobe/" names nothing: bpf_load.c's "event name cannot be empty" */
	rec_clear(e);
	assert_int_equal(bbpf_program_attach(e->progs[1], &link), -EOPNOTSUPP);
	e->k.reject[1] = "sys_write";
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), -ENOENT);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	assert_no_fds(e);
	env_free(e);
}

/* ==== ksyscall ==== */

static long perf_no_wrapper(struct fs_script *s, struct perf_event_attr *attr, pid_t pid, int cpu,
			    int group, unsigned long flags)
{
	(void)pid; (void)cpu; (void)group; (void)flags;
	if (attr->type == KPROBE_PMU && !strcmp((const char *)(uintptr_t)attr->config1,
						"__x64_sys_bpf"))
		return -ENOENT;
	(void)s;
	return FS_DEFAULT;
}

static void test_ksyscall(void **state)
{
	static const char *const secs[] = { "ksyscall/openat", "kretsyscall/openat", "ksyscall" };
	struct bbpf_ksyscall_opts o = { .bpf_cookie = 77 };
	struct env *e = env_new(secs, 3, E_PMU | E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0;

	(void)state;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 2);	/* bare "ksyscall": skipped */
	/* the wrapper probe, once per context, then the entry points */
	c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
	assert_string_equal(c->str, "__x64_sys_bpf");
	assert_int_equal(c->pid, 4242);
	assert_int_equal(c->cpu, -1);
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "__x64_sys_openat", 0, false);
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "__x64_sys_openat", 0, true);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_ksyscall(e->progs[2], "getpid", &o, &link), 0);
	n = 0;
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "__x64_sys_getpid", 0, false);
	assert_int_equal(next_of(e, &n, FS_HOOK_BPF)->attr.link_create.perf_event.bpf_cookie, 77);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach_ksyscall(e->progs[2], "get pid", &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_ksyscall(e->progs[2], NULL, &o, &link), -EINVAL);
	bbpf_object_detach(e->obj);
	env_free(e);

	/* no wrapper: __se_sys_, as libbpf 1.x */
	e = env_new(secs, 3, E_PMU | E_PERF_LINK);
	e->k.script.perf_cb = perf_no_wrapper;
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	n = 0;
	assert_string_equal(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN)->str, "__x64_sys_bpf");
	expect_pmu_open(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN), "__se_sys_openat", 0, false);
	env_free(e);

	/*
	 * no PMU: the wrapper probe is a tracefs event, added and removed at
	 * once, after an empty write that finds kprobe_events there
	 */
	e = env_new(secs, 3, E_PERF_LINK);
	assert_int_equal(bbpf_program_attach_ksyscall(e->progs[2], "getpid", NULL, &link), 0);
	{
		const char *w[8];

		assert_int_equal(writes(e, w, 8), 4);
		assert_string_equal(w[0], "");
		assert_int_equal(strncmp(w[1], "p:kprobes/bbpf_4242_", 20), 0);
		assert_non_null(strstr(w[1], " __x64_sys_bpf"));
		assert_int_equal(strncmp(w[2], "-:kprobes/bbpf_4242_", 20), 0);
		assert_non_null(strstr(w[3], " __x64_sys_getpid+0x0"));
	}
	assert_int_equal(fk_event_cnt(&e->k), 1);
	bbpf_link_destroy(link);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	env_free(e);

	/* no PMU and no kprobe_events (this machine): no wrapper, and no name for its probe */
	e = env_new(secs, 3, E_PERF_LINK);
	e->k.no_kprobe_events = true;
	assert_int_equal(bbpf_program_attach_ksyscall(e->progs[2], "getpid", NULL, &link), -ENOENT);
	{
		const char *w[8];
		size_t i, opens = 0;

		assert_int_equal(writes(e, w, 8), 0);
		for (i = 0; i < e->rec.cnt; i++) {
			if (e->rec.calls[i].hook != FS_HOOK_OPEN)
				continue;
			assert_null(strstr(e->rec.calls[i].str, "sys_bpf"));
			opens += strstr(e->rec.calls[i].str, "/kprobe_events") != NULL;
		}
		assert_true(opens >= 1);
	}
	env_free(e);
}

/* ==== kprobe.multi / kretprobe.multi / kprobe.session (no CONFIG_FPROBE here) ==== */

#define AFF_ADDRS TRACEFS "/available_filter_functions_addrs"
#define AFF TRACEFS "/available_filter_functions"

static const char aff_addrs[] =
	"ffffffff81001000 tcp_sendmsg\n"
	"ffffffff81002000 tcp_recvmsg\n"
	"ffffffff81003000 udp_sendmsg\n"
	"\n"
	"ffffffff81004000 tcp_v4_rcv [some_mod]\n"
	"ffffffff81005000 tcp_close\n";

static const char aff_names[] =
	"tcp_sendmsg\n"
	"tcp_recvmsg\n"
	"udp_sendmsg\n"
	"tcp_v4_rcv [some_mod]\n"
	"tcp_close\n"
	"tcp_close\n"			/* two static functions of one name */
	"tcp_lto_fn\n";			/* kallsyms has it with a .llvm. suffix */

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 T tcp_sendmsg\n"
	"ffffffff81002000 T tcp_recvmsg\n"
	"ffffffff81003000 T udp_sendmsg\n"
	"ffffffff81005000 t tcp_close\n"
	"ffffffff81005800 t tcp_close\n"
	"ffffffff81006000 t tcp_lto_fn.llvm.1234567\n"
	"ffffffff81007000 T tcp_not_traceable\n"
	"ffffffffc0001000 t tcp_v4_rcv\t[some_mod]\n";

/* Serve data at path (replacing what was served there), or fail its open with open_err. */
static void set_file(struct env *e, const char *path, const char *data, size_t len, int open_err)
{
	size_t i;

	for (i = 0; i < e->k.script.file_cnt; i++)
		if (!strcmp(e->k.script.files[i].path, path))
			break;
	if (i == e->k.script.file_cnt)
		fs_script_add_file(&e->k.script, path, data, len);
	e->k.script.files[i].data = data;
	e->k.script.files[i].len = len;
	e->k.script.files[i].open_err = open_err;
}

static const struct rec_call *multi_call(struct env *e)
{
	size_t n = 0;
	const struct rec_call *c = next_of(e, &n, FS_HOOK_BPF);

	assert_int_equal(c->cmd, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.target_fd, 0);
	return c;
}

static void test_kprobe_multi_addrs_file_fake_kernel_no_fprobe_here(void **state)
{
	static const char *const secs[] = { "kprobe.multi/tcp_*", "kretprobe.multi/tcp_?ecvmsg",
					     "kprobe.session/*sendmsg", "kprobe.multi" };
	static const unsigned long want[] = { 0xffffffff81001000, 0xffffffff81002000,
					      0xffffffff81004000, 0xffffffff81005000 };
	struct env *e = env_new(secs, 4, E_PERF_LINK);
	struct bbpf_kprobe_multi_opts o = { .unique_match = true };
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t i;

	(void)state;
	fs_script_add_file(&e->k.script, AFF_ADDRS, aff_addrs, sizeof(aff_addrs) - 1);
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), 0);
	c = multi_call(e);
	assert_int_equal(c->attr.link_create.prog_fd, e->prog_fds[0]);
	assert_int_equal(c->attr.link_create.attach_type, BPF_TRACE_KPROBE_MULTI);
	assert_int_equal(c->attr.link_create.kprobe_multi.flags, 0);
	assert_int_equal(c->attr.link_create.kprobe_multi.cnt, 4);
	assert_int_equal(c->attr.link_create.kprobe_multi.syms, 0);
	assert_int_equal(c->attr.link_create.kprobe_multi.cookies, 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(c->addrs[i], want[i]);
	assert_int_equal(bbpf_link_fd(link), c->ret);
	/* no kallsyms read when the addrs file is there */
	for (i = 0; i < e->rec.cnt; i++)
		if (e->rec.calls[i].hook == FS_HOOK_OPEN)
			assert_string_not_equal(e->rec.calls[i].str, "/proc/kallsyms");
	bbpf_link_destroy(link);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach(e->progs[1], &link), 0);
	c = multi_call(e);
	assert_int_equal(c->attr.link_create.kprobe_multi.flags, BPF_F_KPROBE_MULTI_RETURN);
	assert_int_equal(c->attr.link_create.kprobe_multi.cnt, 1);
	assert_int_equal(c->addrs[0], 0xffffffff81002000);
	bbpf_link_destroy(link);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach(e->progs[2], &link), 0);
	c = multi_call(e);
	assert_int_equal((int)c->attr.link_create.attach_type, BBPF_TRACE_KPROBE_SESSION);
	assert_int_equal(c->attr.link_create.kprobe_multi.flags, 0);
	assert_int_equal(c->attr.link_create.kprobe_multi.cnt, 2);
	assert_int_equal(c->addrs[0], 0xffffffff81001000);
	assert_int_equal(c->addrs[1], 0xffffffff81003000);
	bbpf_link_destroy(link);
	/* unique_match: exactly one */
	assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[3], "tcp_*", &o, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[3], "tcp_clos?", &o, &link), 0);
	bbpf_link_destroy(link);
	/* nothing matches: -ENOENT, no link */
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[3], "nope*", NULL, &link),
			 -ENOENT);
	assert_int_equal(count_hook(e, FS_HOOK_BPF), 0);
	/* a bare SEC("kprobe.multi") is not auto-attached */
	assert_int_equal(bbpf_program_attach(e->progs[3], &link), -EOPNOTSUPP);
	assert_no_fds(e);
	env_free(e);
}

/* Older kernels: names from available_filter_functions, addresses from /proc/kallsyms. */
static void test_kprobe_multi_kallsyms_fake_kernel_no_fprobe_here(void **state)
{
	static const char *const secs[] = { "kprobe.multi/tcp_*" };
	static const unsigned long want[] = { 0xffffffff81001000, 0xffffffff81002000,
					      0xffffffff81005000, 0xffffffff81005800,
					      0xffffffff81006000, 0xffffffffc0001000 };
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t i;

	(void)state;
	fs_script_add_file(&e->k.script, AFF, aff_names, sizeof(aff_names) - 1);
	fs_script_add_file(&e->k.script, "/proc/kallsyms", kallsyms, sizeof(kallsyms) - 1);
	e->k.script.read_max = 7;	/* lines split across reads */
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), 0);
	c = multi_call(e);
	/* kallsyms order; both tcp_close, the .llvm. one, the module's; not the untraceable one */
	assert_int_equal(c->attr.link_create.kprobe_multi.cnt, ARRAY_LEN(want));
	for (i = 0; i < ARRAY_LEN(want); i++)
		assert_int_equal(c->addrs[i], want[i]);
	bbpf_link_destroy(link);
	/* a malformed kallsyms line: -EINVAL, nothing attached */
	{
		static const char bad[] = "ffffffff81001000 T tcp_sendmsg\nzzz\n";

		set_file(e, "/proc/kallsyms", bad, sizeof(bad) - 1, 0);
		assert_int_equal(bbpf_program_attach(e->progs[0], &link), -EINVAL);
	}
	/* the names file unreadable: the open's error */
	set_file(e, AFF, aff_names, sizeof(aff_names) - 1, -EACCES);
	assert_int_equal(bbpf_program_attach(e->progs[0], &link), -EACCES);
	assert_no_fds(e);
	env_free(e);
}

static void test_kprobe_multi_syms_cookies_fake_kernel_no_fprobe_here(void **state)
{
	static const char *const secs[] = { "kprobe.multi" };
	static const char *syms[] = { "vfs_read", "vfs_write" };
	static const unsigned long addrs[] = { 0x1000, 0x2000 };
	static const uint64_t cookies[] = { 11, 22 };
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	struct bbpf_kprobe_multi_opts o = { .syms = syms, .cookies = cookies, .cnt = 2 };
	const struct rec_call *c;
	struct bbpf_link *link;

	(void)state;
	assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[0], NULL, &o, &link), 0);
	c = multi_call(e);
	assert_int_equal(c->attr.link_create.kprobe_multi.cnt, 2);
	assert_string_equal(c->syms[0], "vfs_read");
	assert_string_equal(c->syms[1], "vfs_write");
	assert_int_equal(c->cookies[0], 11);
	assert_int_equal(c->cookies[1], 22);
	assert_int_equal(c->attr.link_create.kprobe_multi.addrs, 0);
	bbpf_link_destroy(link);
	/* addrs, retprobe */
	o.syms = NULL;
	o.addrs = addrs;
	o.retprobe = true;
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[0], NULL, &o, &link), 0);
	c = multi_call(e);
	assert_int_equal(c->addrs[1], 0x2000);
	assert_int_equal(c->attr.link_create.kprobe_multi.flags, BPF_F_KPROBE_MULTI_RETURN);
	bbpf_link_destroy(link);
	/* the kernel's refusal (no CONFIG_FPROBE: -EOPNOTSUPP) is passed on */
	assert_int_equal(fs_script_push(&e->k.script, BPF_LINK_CREATE, -EOPNOTSUPP), 0);
	assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[0], NULL, &o, &link),
			 -EOPNOTSUPP);
	/* libbpf's rules, refused before any call */
	rec_clear(e);
	{
		struct bbpf_kprobe_multi_opts bad[] = {
			{ .syms = syms, .addrs = addrs, .cnt = 2 },	/* both */
			{ .syms = syms },				/* no count */
			{ .cnt = 2 },					/* neither */
			{ .syms = syms, .cnt = 2, .unique_match = true },	/* no pattern */
			{ .syms = syms, .cnt = 2, .retprobe = true, .session = true },
		};
		struct bbpf_kprobe_multi_opts with_pattern = { .cookies = cookies };
		size_t i;

		for (i = 0; i < ARRAY_LEN(bad); i++)
			assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[0], NULL, &bad[i],
									  &link), -EINVAL);
		assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[0], "x*", &with_pattern,
								  &link), -EINVAL);
		assert_int_equal(bbpf_program_attach_kprobe_multi(e->progs[0], NULL, NULL, &link),
				 -EINVAL);
	}
	assert_int_equal(e->rec.cnt, 0);
	env_free(e);
}

/* libbpf's glob_match, recursive, as the reference for the iterative one. */
static bool ref_glob(const char *str, const char *pat)
{
	while (*str && *pat && *pat != '*') {
		if (*pat != '?' && *str != *pat)
			return false;
		str++;
		pat++;
	}
	if (*pat == '*') {
		while (*pat == '*')
			pat++;
		if (!*pat)
			return true;
		while (*str)
			if (ref_glob(str++, pat))
				return true;
	}
	return !*str && !*pat;
}

static void test_glob_match(void **state)
{
	static const char *const cases[][2] = {
		{ "tcp_sendmsg", "tcp_*" }, { "tcp_sendmsg", "*msg" }, { "tcp_sendmsg", "tcp_?endmsg" },
		{ "tcp", "tcp*" }, { "tcp", "*" }, { "", "*" }, { "", "" }, { "a", "" },
		{ "abc", "a*b*c" }, { "abcbc", "a*bc" }, { "ab", "a?b" }, { "aaa", "a*a*a*a" },
	};
	char str[12], pat[8];
	unsigned int seed = 1;
	size_t i, j, checked = 0;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++)
		assert_int_equal(bbpf_kprobe_glob_match(cases[i][0], strlen(cases[i][0]), cases[i][1]),
				 ref_glob(cases[i][0], cases[i][1]));
	assert_true(bbpf_kprobe_glob_match("tcp_sendmsg", 11, "tcp_*"));
	assert_false(bbpf_kprobe_glob_match("udp_sendmsg", 11, "tcp_*"));
	/* the length bounds the string: a token inside a line */
	assert_true(bbpf_kprobe_glob_match("tcp_close [mod]", 9, "tcp_close"));
	/* random strings over a small alphabet against the reference */
	for (i = 0; i < 200000; i++) {
		size_t sl = (seed = seed * 1103515245 + 12345) >> 16 & 7;
		size_t pl = (seed = seed * 1103515245 + 12345) >> 16 & 5;

		for (j = 0; j < sl; j++)
			str[j] = "ab"[(seed = seed * 1103515245 + 12345) >> 16 & 1];
		str[sl] = '\0';
		for (j = 0; j < pl; j++)
			pat[j] = "ab*?"[(seed = seed * 1103515245 + 12345) >> 16 & 3];
		pat[pl] = '\0';
		if (bbpf_kprobe_glob_match(str, sl, pat) != ref_glob(str, pat))
			fail_msg("glob \"%s\" against \"%s\"", str, pat);
		checked++;
	}
	assert_int_equal(checked, 200000);
}

/* ==== cookies of tp, raw_tp and BTF-typed tracing; iterator link_info ==== */

static void test_tp_raw_tp_cookies(void **state)
{
	static const char *const secs[] = { "tp", "raw_tp", "fentry/do_unlinkat",
					     "tp_btf/sched_switch", "lsm/file_open" };
	struct bbpf_tracepoint_opts to = { .bpf_cookie = 0x1111 };
	struct bbpf_raw_tracepoint_opts ro = { .cookie = 0x2222 };
	struct bbpf_trace_opts fo = { .cookie = 0x3333 };
	struct env *e = env_new(secs, 5, E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0;

	(void)state;
	assert_int_equal(bbpf_program_attach_tracepoint(e->progs[0], "syscalls", "sys_enter_getpid",
							&to, &link), 0);
	c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
	assert_int_equal(c->pattr.config, 1234);
	c = next_of(e, &n, FS_HOOK_BPF);
	assert_int_equal(c->attr.link_create.attach_type, BPF_PERF_EVENT);
	assert_int_equal(c->attr.link_create.perf_event.bpf_cookie, 0x1111);
	bbpf_link_destroy(link);
	/* no perf links: a cookie is refused and the event closed */
	e->ctx->feat.perf_link = false;
	assert_int_equal(bbpf_program_attach_tracepoint(e->progs[0], "syscalls", "sys_enter_getpid",
							&to, &link), -EOPNOTSUPP);
	assert_no_fds(e);
	e->ctx->feat.perf_link = true;
	assert_int_equal(bbpf_program_attach_tracepoint(e->progs[0], "syscalls", NULL, &to, &link),
			 -EINVAL);
	assert_int_equal(bbpf_program_attach_tracepoint(e->progs[0], "..", "x", &to, &link),
			 -EINVAL);

	rec_clear(e);
	assert_int_equal(bbpf_program_attach_raw_tracepoint(e->progs[1], "sys_enter", &ro, &link), 0);
	c = bpf_at(e, 0, BPF_RAW_TRACEPOINT_OPEN);
	assert_string_equal(c->str, "sys_enter");
	assert_int_equal(c->attr.raw_tracepoint.prog_fd, e->prog_fds[1]);
	assert_int_equal(c->raw_cookie, 0x2222);	/* byte 16 of the attr, 6.10+ */
	assert_int_equal(bbpf_link_fd(link), c->ret);
	bbpf_link_destroy(link);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_raw_tracepoint(e->progs[1], "sys_enter", NULL, &link),
			 0);
	assert_int_equal(bpf_at(e, 0, BPF_RAW_TRACEPOINT_OPEN)->raw_cookie, 0);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_program_attach_raw_tracepoint(e->progs[1], "", NULL, &link), -EINVAL);

	/* fentry with a cookie: LINK_CREATE tracing.cookie, and no RAW_TRACEPOINT_OPEN fallback */
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_trace(e->progs[2], &fo, &link), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.attach_type, BPF_TRACE_FENTRY);
	assert_int_equal(c->attr.link_create.tracing.cookie, 0x3333);
	assert_int_equal(c->attr.link_create.target_fd, 0);
	bbpf_link_destroy(link);
	rec_clear(e);
	assert_int_equal(fs_script_push(&e->k.script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_trace(e->progs[3], &fo, &link), -EINVAL);
	assert_int_equal(e->rec.cnt, 1);
	/* without one, the fallback of kernels before LINK_CREATE for tracing */
	assert_int_equal(fs_script_push(&e->k.script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_trace(e->progs[3], NULL, &link), 0);
	assert_string_equal(bpf_at(e, 2, BPF_RAW_TRACEPOINT_OPEN)->str, "(null)");
	bbpf_link_destroy(link);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_lsm(e->progs[4], &link), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.attach_type, BPF_LSM_MAC);
	assert_int_equal(c->attr.link_create.tracing.cookie, 0);
	bbpf_link_destroy(link);
	assert_no_fds(e);
	env_free(e);
}

static void test_iter_link_info(void **state)
{
	static const char *const secs[] = { "iter/bpf_map_elem" };
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	union bpf_iter_link_info li;
	struct bbpf_iter_attach_opts o = { .link_info = &li, .link_info_len = sizeof(li) };
	const struct rec_call *c;
	struct bbpf_link *link;

	(void)state;
	memset(&li, 0, sizeof(li));
	li.map.map_fd = 321;
	assert_int_equal(bbpf_program_attach_iter(e->progs[0], &o, &link), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.attach_type, BPF_TRACE_ITER);
	assert_int_equal(c->attr.link_create.iter_info, (uint64_t)(uintptr_t)&li);
	assert_int_equal(c->attr.link_create.iter_info_len, sizeof(li));
	assert_true(bbpf_link_iter_create(link) >= 0);	/* an iterator link */
	e->sys.close(e->sys.ctx, (int)e->rec.calls[e->rec.cnt - 1].ret);
	bbpf_link_destroy(link);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_iter(e->progs[0], NULL, &link), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.iter_info, 0);
	assert_int_equal(c->attr.link_create.iter_info_len, 0);
	bbpf_link_destroy(link);
	o.link_info_len = 0;
	assert_int_equal(bbpf_program_attach_iter(e->progs[0], &o, &link), -EINVAL);
	assert_no_fds(e);
	env_free(e);
}

/* ==== BTF targets at load: a BPF program's function (freplace), a module's ==== */

/* A second object on the env's context, opened; the caller loads it. */
static struct bbpf_object *open_second(const char *const *secs, size_t cnt, uint8_t **img)
{
	struct bbpf_object *obj;
	size_t len;

	*img = build_object(secs, cnt, false, &len);
	assert_int_equal(bbpf_object_open_mem(&obj, *img, len, NULL, NULL), 0);
	return obj;
}

static const struct rec_call *find_cmd(struct env *e, int cmd)
{
	size_t i;

	for (i = 0; i < e->rec.cnt; i++)
		if (e->rec.calls[i].hook == FS_HOOK_BPF && e->rec.calls[i].cmd == cmd)
			return &e->rec.calls[i];
	return NULL;
}

static const struct rec_call *last_load(struct env *e)
{
	size_t i;

	for (i = e->rec.cnt; i-- > 0;)
		if (e->rec.calls[i].hook == FS_HOOK_BPF && e->rec.calls[i].cmd == BPF_PROG_LOAD)
			return &e->rec.calls[i];
	fail_msg("no BPF_PROG_LOAD recorded");
	return NULL;
}

static void test_freplace_target(void **state)
{
	static const char *const tsecs[] = { "tc" };
	static const char *const xsecs[] = { "freplace/get_val", "freplace" };
	struct env *e = env_new(tsecs, 1, E_PERF_LINK);
	struct bbpf_load_opts lo = { .ctx = e->ctx };
	struct bbpf_program *ext, *bare;
	const struct rec_call *c;
	struct bbpf_object *obj;
	struct bbpf_link *link;
	uint32_t len, func_id;
	uint8_t *img, *btf;
	int tfd = e->prog_fds[0];

	(void)state;
	btf = build_prog_btf("get_val", &len, &func_id);
	fk_add_btf(&e->k, 31, "", false, btf, len);
	e->k.prog_fd_with_btf = tfd;
	e->k.prog_btf_id = 31;

	obj = open_second(xsecs, 2, &img);
	ext = bbpf_object_program(obj, 0);
	bare = bbpf_object_program(obj, 1);
	assert_int_equal(bbpf_program_type(ext), BPF_PROG_TYPE_EXT);
	/* no target program: refused before the kernel */
	rec_clear(e);
	assert_int_equal(bbpf_object_load(obj, &lo), -EINVAL);
	assert_null(find_cmd(e, BPF_PROG_LOAD));
	assert_int_equal(bbpf_program_set_attach_target(ext, tfd, NULL), 0);	/* section's name */
	assert_int_equal(bbpf_program_set_attach_target(bare, tfd, "get_val"), 0);
	rec_clear(e);
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	c = last_load(e);
	assert_int_equal(c->attr.prog_type, BPF_PROG_TYPE_EXT);
	assert_int_equal(c->attr.attach_prog_fd, tfd);
	assert_int_equal(c->attr.attach_btf_id, func_id);
	/* the BTF object was opened to read it, and closed */
	assert_int_equal(e->k.btfs[0].fds[0], 0);

	/* freplace to a target named at attach: LINK_CREATE target_fd + target_btf_id */
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_freplace(ext, tfd, "get_val", &link), 0);
	c = find_cmd(e, BPF_LINK_CREATE);
	assert_non_null(c);
	assert_int_equal(c->attr.link_create.prog_fd, bbpf_program_fd(ext));
	assert_int_equal(c->attr.link_create.target_fd, tfd);
	assert_int_equal(c->attr.link_create.target_btf_id, func_id);
	assert_int_equal(c->attr.link_create.attach_type, 0);
	bbpf_link_destroy(link);
	/* the load's target: LINK_CREATE with nothing (auto-attach does the same) */
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_freplace(ext, 0, NULL, &link), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.target_fd, 0);
	assert_int_equal(c->attr.link_create.target_btf_id, 0);
	bbpf_link_destroy(link);
	assert_int_equal(bbpf_object_attach(obj), 0);
	assert_int_equal(bbpf_object_link_cnt(obj), 2);
	/* misuse */
	assert_int_equal(bbpf_program_attach_freplace(ext, tfd, NULL, &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_freplace(ext, 0, "get_val", &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_freplace(ext, -1, "get_val", &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_freplace(e->progs[0], tfd, "get_val", &link), -EINVAL);
	assert_int_equal(bbpf_program_attach_freplace(ext, tfd, "nope", &link), -ESRCH);
	assert_int_equal(bbpf_program_set_attach_target(ext, tfd, "x"), -EINVAL);	/* loaded */
	bbpf_object_close(obj);
	free(img);
	assert_no_fds(e);
	env_free(e);
}

/* fentry/lsm/iter targets not in vmlinux: each module's BTF object, as libbpf. */
static void test_module_btf_target(void **state)
{
	static const char *const secs[] = { "fentry/mod_func", "fentry/mymod:mod_func",
					     "fexit/vmlinux:do_unlinkat", "fentry/othermod:mod_func",
					     "fentry/vmlinux:mod_func", "fentry/nowhere" };
	struct env *e = env_new(NULL, 0, E_PERF_LINK);
	struct bbpf_load_opts lo = { .ctx = e->ctx };
	struct bbpf_object *obj;
	const struct rec_call *c;
	uint32_t len, len2, func_id, id2;
	uint8_t *img, *mod, *other;
	size_t i;
	int err;

	(void)state;
	mod = build_module_btf(e, "mod_func", &len, &func_id);
	other = build_module_btf(e, "unrelated", &len2, &id2);
	fk_add_btf(&e->k, 1, "vmlinux", true, NULL, 0);
	fk_add_btf(&e->k, 4, "", false, NULL, 0);		/* a program's BTF */
	fk_add_btf(&e->k, 6, "othermod", true, other, len2);
	fk_add_btf(&e->k, 9, "mymod", true, mod, len);
	for (i = 0; i < ARRAY_LEN(secs); i++) {
		obj = open_second(&secs[i], 1, &img);
		rec_clear(e);
		err = bbpf_object_load(obj, &lo);
		if (i < 3) {
			assert_int_equal(err, 0);
			c = last_load(e);
			if (i < 2) {
				/* the module's BTF object fd, closed again after the load */
				assert_int_equal(c->attr.attach_btf_id, func_id);
				assert_true(c->attr.attach_btf_obj_fd >= FS_FAKE_FD_BASE);
				assert_false(e->k.script.fds[c->attr.attach_btf_obj_fd -
							     FS_FAKE_FD_BASE].open);
			} else {
				assert_int_equal(c->attr.attach_btf_obj_fd, 0);	/* vmlinux */
				assert_int_equal(c->attr.attach_btf_id, 2);	/* do_unlinkat */
			}
		} else {
			assert_int_equal(err, -ESRCH);
		}
		bbpf_object_close(obj);
		free(img);
		assert_no_fds(e);
	}
	env_free(e);
}

/* bbpf_program_set_attach_target: another kernel function, or a BPF program's function. */
static void test_retarget(void **state)
{
	static const char *const tsecs[] = { "tc" };
	static const char *const secs[] = { "fentry/do_unlinkat", "fexit/do_unlinkat", "lsm" };
	struct env *e = env_new(tsecs, 1, E_PERF_LINK);
	struct bbpf_load_opts lo = { .ctx = e->ctx };
	struct bbpf_object *obj;
	const struct rec_call *c;
	uint32_t len, func_id;
	uint8_t *img, *btf;
	size_t i, n = 0;

	(void)state;
	btf = build_prog_btf("get_val", &len, &func_id);
	fk_add_btf(&e->k, 31, "", false, btf, len);
	e->k.prog_fd_with_btf = e->prog_fds[0];
	e->k.prog_btf_id = 31;
	obj = open_second(secs, 3, &img);
	/* fentry to another kernel function; fexit to the tc program's get_val; lsm named here */
	assert_int_equal(bbpf_program_set_attach_target(bbpf_object_program(obj, 0), 0,
							"bpf_iter_task"), 0);
	assert_int_equal(bbpf_program_set_attach_target(bbpf_object_program(obj, 1),
							e->prog_fds[0], "get_val"), 0);
	assert_int_equal(bbpf_program_set_attach_target(bbpf_object_program(obj, 2), 0,
							"file_open"), 0);
	rec_clear(e);
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	for (i = 0; i < 3; i++) {
		do
			c = next_of(e, &n, FS_HOOK_BPF);
		while (c->cmd != BPF_PROG_LOAD);
		switch (i) {
		case 0:	/* vmlinux: proto 1, do_unlinkat 2, bpf_lsm_file_open 3, bpf_iter_task 4 */
			assert_int_equal(c->attr.attach_btf_id, 4);
			assert_int_equal(c->attr.attach_prog_fd, 0);
			break;
		case 1:
			assert_int_equal(c->attr.attach_btf_id, func_id);
			assert_int_equal(c->attr.attach_prog_fd, e->prog_fds[0]);
			assert_int_equal(c->attr.expected_attach_type, BPF_TRACE_FEXIT);
			break;
		default:	/* "bpf_lsm_" + the name */
			assert_int_equal(c->attr.attach_btf_id, 3);
			break;
		}
	}
	bbpf_object_close(obj);
	free(img);
	/* a bare BTF-typed section without a target: the load says so */
	{
		static const char *const bare[] = { "fentry" };

		obj = open_second(bare, 1, &img);
		assert_int_equal(bbpf_object_load(obj, &lo), -EINVAL);
		assert_int_equal(bbpf_object_error(obj)->err, -EINVAL);
		bbpf_object_close(obj);
		free(img);
	}
	assert_no_fds(e);
	env_free(e);
}

/* ==== perf_event ==== */

static long perf_enodev_cpu1(struct fs_script *s, struct perf_event_attr *attr, pid_t pid,
			     int cpu, int group, unsigned long flags)
{
	(void)s; (void)attr; (void)pid; (void)group; (void)flags;
	return cpu == 1 ? -ENODEV : FS_DEFAULT;
}

static void test_perf_event_caller_fd(void **state)
{
	static const char *const secs[] = { "perf_event" };
	struct bbpf_perf_event_opts o = { .bpf_cookie = 9 };
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	long pfd = fs_script_new_fd(&e->k.script), lfd;	/* the caller's */

	(void)state;
	/* not auto-attached: libbpf has no auto-attach for perf_event */
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	assert_int_equal(bbpf_program_attach_perf_event(e->progs[0], (int)pfd, &o, &link), 0);
	c = bpf_at(e, 0, BPF_LINK_CREATE);
	assert_int_equal(c->attr.link_create.target_fd, pfd);
	assert_int_equal(c->attr.link_create.perf_event.bpf_cookie, 9);
	assert_int_equal(call_at(e, 1, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_ENABLE);
	assert_int_equal(link->undo_cnt, 0);	/* borrowed: nothing of the caller's is undone */
	lfd = c->ret;
	rec_clear(e);
	bbpf_link_destroy(link);
	assert_int_equal(e->rec.cnt, 1);
	assert_int_equal(call_at(e, 0, FS_HOOK_CLOSE)->fd, lfd);
	assert_true(e->k.script.fds[pfd - FS_FAKE_FD_BASE].open);
	/* by ioctl: destroy disables the caller's event and leaves it open */
	o.force_ioctl_attach = true;
	o.bpf_cookie = 0;
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_perf_event(e->progs[0], (int)pfd, &o, &link), 0);
	assert_int_equal(call_at(e, 0, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_SET_BPF);
	assert_int_equal(call_at(e, 1, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_ENABLE);
	assert_int_equal(bbpf_link_fd(link), pfd);
	rec_clear(e);
	bbpf_link_destroy(link);
	assert_int_equal(e->rec.cnt, 1);
	assert_int_equal(call_at(e, 0, FS_HOOK_IOCTL)->req, PERF_EVENT_IOC_DISABLE);
	assert_true(e->k.script.fds[pfd - FS_FAKE_FD_BASE].open);
	/* a failed SET_BPF leaves the caller's event alone */
	assert_int_equal(fs_script_push(&e->k.script, BPF_LINK_CREATE, -EPERM), 0);
	o.force_ioctl_attach = false;
	assert_int_equal(bbpf_program_attach_perf_event(e->progs[0], (int)pfd, &o, &link), -EPERM);
	assert_int_equal(bbpf_program_attach_perf_event(e->progs[0], -1, &o, &link), -EINVAL);
	assert_true(e->k.script.fds[pfd - FS_FAKE_FD_BASE].open);
	e->k.inner.close(e->k.inner.ctx, (int)pfd);
	env_free(e);
}

static void test_perf_event_every_cpu(void **state)
{
	static const char *const secs[] = { "perf_event" };
	struct bbpf_perf_cpus_opts o = { .freq = 4000, .bpf_cookie = 5 };
	struct perf_event_attr hw;
	struct env *e = env_new(secs, 1, E_PERF_LINK);
	const struct rec_call *c;
	struct bbpf_link *link;
	size_t n = 0, i;
	int cpus[3] = { 0, 1, 3 };

	(void)state;
	assert_int_equal(bbpf_program_attach_perf_event_cpus(e->progs[0], &o, &link), 0);
	for (i = 0; i < 3; i++) {	/* online: "0-1,3" */
		c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
		assert_int_equal(c->pattr.type, PERF_TYPE_SOFTWARE);
		assert_int_equal(c->pattr.config, PERF_COUNT_SW_CPU_CLOCK);
		assert_int_equal(c->pattr.freq, 1);
		assert_int_equal(c->pattr.sample_freq, 4000);
		assert_int_equal(c->pattr.size, sizeof(struct perf_event_attr));
		assert_int_equal(c->pid, -1);
		assert_int_equal(c->cpu, cpus[i]);
		assert_int_equal(next_of(e, &n, FS_HOOK_BPF)->attr.link_create.perf_event.bpf_cookie,
				 5);
	}
	assert_int_equal(count_hook(e, FS_HOOK_PERF_EVENT_OPEN), 3);
	assert_int_equal(link->undo_cnt, 6);	/* 3 events, 3 BPF links */
	assert_int_equal(link->fd, -1);
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	rec_clear(e);
	bbpf_link_destroy(link);
	assert_int_equal(count_hook(e, FS_HOOK_CLOSE), 6);
	assert_no_fds(e);

	/* a caller's attr, by ioctl; a CPU gone offline (ENODEV) is skipped */
	memset(&hw, 0, sizeof(hw));
	hw.type = PERF_TYPE_HARDWARE;
	hw.config = PERF_COUNT_HW_CPU_CYCLES;
	hw.sample_period = 100000;
	o = (struct bbpf_perf_cpus_opts){ .attr = &hw, .force_ioctl_attach = true };
	e->k.script.perf_cb = perf_enodev_cpu1;
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_perf_event_cpus(e->progs[0], &o, &link), 0);
	assert_int_equal(count_hook(e, FS_HOOK_PERF_EVENT_OPEN), 3);
	assert_int_equal(link->undo_cnt, 2);
	n = 0;
	c = next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN);
	assert_int_equal(c->pattr.type, PERF_TYPE_HARDWARE);
	assert_int_equal(c->pattr.sample_period, 100000);
	assert_int_equal(c->pattr.freq, 0);
	assert_int_equal(count_hook(e, FS_HOOK_BPF), 0);
	rec_clear(e);
	bbpf_link_destroy(link);
	assert_int_equal(count_hook(e, FS_HOOK_IOCTL), 2);	/* disabled, then closed */
	assert_int_equal(count_hook(e, FS_HOOK_CLOSE), 2);
	/* a failing CPU fails the whole link, and what was made goes */
	e->k.script.perf_cb = NULL;
	o = (struct bbpf_perf_cpus_opts){ 0 };
	fs_wrap_fail_hook(&e->wrap, FS_HOOK_BPF, BPF_LINK_CREATE, 2, -EPERM, false);
	rec_clear(e);
	assert_int_equal(bbpf_program_attach_perf_event_cpus(e->progs[0], &o, &link), -EPERM);
	n = 0;
	assert_int_equal(next_of(e, &n, FS_HOOK_PERF_EVENT_OPEN)->pattr.sample_freq, 99);
	assert_int_equal(count_hook(e, FS_HOOK_PERF_EVENT_OPEN), 2);
	assert_int_equal(count_hook(e, FS_HOOK_CLOSE), 4);	/* 2 events, 1 link, the cpu list */
	fs_wrap_fail(&e->wrap, 0, 0);
	assert_no_fds(e);
	env_free(e);
}

/* ==== every failure path: no fd, no kprobe event, no memory left ==== */

/* Every kind in one go: auto-attach of the object, then the public calls. */
static int attach_all(struct env *e, struct bbpf_link **links, size_t *cnt)
{
	static const char *syms[] = { "vfs_read" };
	struct bbpf_kprobe_opts ko = { .attach_mode = BBPF_PROBE_ATTACH_LEGACY };
	struct bbpf_kprobe_multi_opts mo = { .syms = syms, .cnt = 1 };
	struct bbpf_tracepoint_opts to = { .bpf_cookie = 1 };
	struct bbpf_perf_cpus_opts po = { .freq = 10 };
	int err;

	*cnt = 0;
	err = bbpf_object_attach(e->obj);
	if (!err)
		err = bbpf_program_attach_kprobe(e->progs[0], "vfs_write", &ko, &links[*cnt]);
	if (!err)
		err = bbpf_program_attach_kprobe_multi(e->progs[3], NULL, &mo, &links[++*cnt]);
	if (!err)
		err = bbpf_program_attach_tracepoint(e->progs[5], "syscalls", "sys_enter_getpid",
						     e->ctx->feat.perf_link ? &to : NULL,
						     &links[++*cnt]);
	if (!err)
		err = bbpf_program_attach_perf_event_cpus(e->progs[6], &po, &links[++*cnt]);
	if (!err)
		++*cnt;
	return err;
}

static void sweep(unsigned int flags, bool samples)
{
	/* samples/bpf knew no offsets; its kprobe/3 is a tail call slot */
	const char *const secs[] = { samples ? "kprobe/vfs_read" : "kprobe/vfs_read+0x4",
				     "kretprobe/vfs_read", "ksyscall/openat", "kprobe.multi/tcp_*",
				     "kprobe/3", "tp", "perf_event" };
	static const int errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF, -ENOENT };
	struct env *e = env_new(secs, ARRAY_LEN(secs), flags | (samples ? E_MAPS : 0));
	struct bbpf_link *links[8];
	unsigned long total, n, failed = 0;
	size_t cnt, i, j, auto_links;
	int err;

	fs_script_add_file(&e->k.script, AFF_ADDRS, aff_addrs, sizeof(aff_addrs) - 1);
	e->rec.off = true;
	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(attach_all(e, links, &cnt), 0);
	total = e->wrap.calls;
	auto_links = bbpf_object_link_cnt(e->obj);
	assert_int_equal(auto_links, 5);
	assert_true(fk_event_cnt(&e->k) >= 1);	/* the LEGACY kprobe at least */
	for (i = 0; i < cnt; i++)
		bbpf_link_destroy(links[i]);
	bbpf_object_detach(e->obj);
	assert_int_equal(fk_event_cnt(&e->k), 0);
	assert_no_fds(e);
	/* the context's one-time answers are in: every run makes the same calls */
	for (n = 1; n <= total; n++) {
		for (j = 0; j < ARRAY_LEN(errs); j++) {
			fs_wrap_reset_counts(&e->wrap);
			fs_wrap_fail(&e->wrap, n, errs[j]);
			err = attach_all(e, links, &cnt);
			fs_wrap_fail(&e->wrap, 0, 0);
			if (err) {
				failed++;
				assert_int_equal(err, errs[j]);
			}
			for (i = 0; i < cnt; i++)
				bbpf_link_destroy(links[i]);
			bbpf_object_detach(e->obj);
			if (fk_event_cnt(&e->k))
				fail_msg("call %lu failing with %d: %zu kprobe events left", n,
					 errs[j], fk_event_cnt(&e->k));
			assert_no_fds(e);
			assert_int_equal(e->k.appended, 0);
		}
	}
	print_message("  %s%s%s: %lu calls, %lu of %lu injected failures failed the attach\n",
		      flags & E_PMU ? "PMU" : "tracefs", flags & E_PERF_LINK ? "+link" : "+ioctl",
		      samples ? " (samples object)" : "", total, failed,
		      total * ARRAY_LEN(errs));
	assert_true(total > 40);
	assert_true(failed > total * 3);
	env_free(e);
}

static void test_fault_sweep_pmu_link(void **state)
{
	(void)state;
	sweep(E_PMU | E_PERF_LINK, false);
}

static void test_fault_sweep_tracefs_ioctl(void **state)
{
	(void)state;
	sweep(0, false);
}

static void test_fault_sweep_samples(void **state)
{
	(void)state;
	sweep(E_PMU | E_PERF_LINK, true);
}

static void test_alloc_failure(void **state)
{
	static const char *const secs[] = { "kprobe/vfs_read+0x4", "kretprobe/vfs_read",
					     "ksyscall/openat", "kprobe.multi/tcp_*",
					     "kprobe/3", "tp", "perf_event" };
	struct env *e;
	struct bbpf_link *links[8];
	struct bbpf_alloc saved;
	unsigned long n;
	size_t cnt, i;
	struct fa fa;
	int err, round;

	(void)state;
	for (round = 0; round < 2; round++) {
		e = env_new(secs, ARRAY_LEN(secs), round ? E_PMU | E_PERF_LINK : 0);
		fs_script_add_file(&e->k.script, AFF_ADDRS, aff_addrs, sizeof(aff_addrs) - 1);
		saved = e->ctx->alloc;
		for (n = 0;; n++) {
			e->ctx->alloc = fa_after(&fa, n);
			err = attach_all(e, links, &cnt);
			for (i = 0; i < cnt; i++)
				bbpf_link_destroy(links[i]);
			bbpf_object_detach(e->obj);
			assert_int_equal(fa.live, 0);
			assert_int_equal(fk_event_cnt(&e->k), 0);
			assert_no_fds(e);
			if (!err)
				break;
			assert_int_equal(err, -ENOMEM);
		}
		assert_true(n >= 8);
		e->ctx->alloc = saved;
		env_free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kprobe_pmu_link),
		cmocka_unit_test(test_kprobe_pmu_ioctl),
		cmocka_unit_test(test_kprobe_modes_unsupported),
		cmocka_unit_test(test_kprobe_legacy_tracefs),
		cmocka_unit_test(test_kprobe_legacy_forced),
		cmocka_unit_test(test_kprobe_name_in_use),
		cmocka_unit_test(test_kprobe_long_name),
		cmocka_unit_test(test_kprobe_section_names),
		cmocka_unit_test(test_samples_kprobes),
		cmocka_unit_test(test_samples_no_wrapper),
		cmocka_unit_test(test_ksyscall),
		cmocka_unit_test(test_kprobe_multi_addrs_file_fake_kernel_no_fprobe_here),
		cmocka_unit_test(test_kprobe_multi_kallsyms_fake_kernel_no_fprobe_here),
		cmocka_unit_test(test_kprobe_multi_syms_cookies_fake_kernel_no_fprobe_here),
		cmocka_unit_test(test_glob_match),
		cmocka_unit_test(test_tp_raw_tp_cookies),
		cmocka_unit_test(test_iter_link_info),
		cmocka_unit_test(test_freplace_target),
		cmocka_unit_test(test_module_btf_target),
		cmocka_unit_test(test_retarget),
		cmocka_unit_test(test_perf_event_caller_fd),
		cmocka_unit_test(test_perf_event_every_cpu),
		cmocka_unit_test(test_fault_sweep_pmu_link),
		cmocka_unit_test(test_fault_sweep_tracefs_ioctl),
		cmocka_unit_test(test_fault_sweep_samples),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
