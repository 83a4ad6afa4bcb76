/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe/, uretprobe/ (and .s) programs, and bbpf_program_attach_uprobe(),
 * as libbpf 1.8's bpf_program__attach_uprobe_opts():
 *  - the target file: a name with a '/' as given, else searched
 *    (src/kern/binpath.h) with the context's LD_LIBRARY_PATH/PATH values;
 *  - the offset: a file offset, plus the symbol's (src/parse/usym.h) when a
 *    function name is given ("func", "func@@VER", "func+0x10");
 *  - the event: the uprobe PMU (/sys/bus/event_source/devices/uprobe) with
 *    config1 = path, config2 = offset, the retprobe bit and the semaphore
 *    offset where its format files say; without the PMU (or in legacy mode)
 *    a tracefs probe "p:uprobes/<name> PATH:0xOFF" under a name of our own,
 *    removed when the link goes;
 *  - the attachment: a BPF perf link (5.15+; carries the BPF cookie), else
 *    PERF_EVENT_IOC_SET_BPF; then PERF_EVENT_IOC_ENABLE.
 * pid 0 is this process, -1 every process.
 */
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"
#include "../base/fmt.h"
#include "../kern/binpath.h"
#include "../parse/usym.h"

/* Largest uprobe target read into memory. */
#define TARGET_MAX	((uint64_t)1 << 31)
/* libbpf's MAX_EVENT_NAME_LEN: tracefs event names stay below 64 bytes. */
#define EVENT_NAME_MAX	64
/* Legacy probe names taken by someone else: try this many sequence numbers. */
#define EVENT_NAME_TRIES 16

/* ---- target files ---- */

int bbpf_uprobe_path(struct bbpf_ctx *ctx, const struct bbpf_program *prog, const char *what,
		     const char *file, char out[BBPF_UPROBE_PATH_MAX])
{
	struct bbpf_binpath_opts o = { .ld_library_path = ctx->ld_library_path,
				       .path = ctx->exec_path };
	int err = -EINVAL;

	if (file && file[0])
		err = bbpf_binpath_resolve(ctx, file, &o, out, BBPF_UPROBE_PATH_MAX);
	if (err)
		bbpf_attach_warn(ctx, prog, err, "%s target '%s' not found", what, file);
	return err;
}

int bbpf_uprobe_elf_open(struct bbpf_ctx *ctx, const char *path, struct bbpf_uprobe_elf *u)
{
	struct bbpf_diag diag = { 0 };
	int err;

	memset(u, 0, sizeof(*u));
	err = bbpf_sys_load_file(ctx, path, TARGET_MAX, &u->buf, &u->len, &u->id);
	if (err) {
		bbpf_log_warn(&ctx->log, "uprobe target", path, err, "cannot read it");
		return err;
	}
	bbpf_arena_init(&u->arena, &ctx->alloc, (size_t)1 << 30);
	err = bbpf_elf_parse(&u->elf, u->buf, u->len, 0, &u->arena, &diag);
	if (err) {
		bbpf_log_warn(&ctx->log, "uprobe target", path, 0, "not a usable ELF file: %s",
			      bbpf_bad_str(diag.why));
		bbpf_uprobe_elf_close(ctx, u);
	}
	return err;
}

void bbpf_uprobe_elf_close(struct bbpf_ctx *ctx, struct bbpf_uprobe_elf *u)
{
	bbpf_arena_free(&u->arena);
	bbpf_sys_unload_file(ctx, u->buf, u->len);
	u->buf = NULL;
	u->len = 0;
}

/* The file offset of function spec ("name", "name@VER", "name+off") in path. */
static int sym_offset(struct bbpf_ctx *ctx, const struct bbpf_program *prog, const char *path,
		       const char *spec, uint64_t *off)
{
	struct bbpf_uprobe_elf u;
	struct bbpf_usym sym;
	char name[512];
	size_t name_len;
	int64_t plus;
	int err;

	bbpf_usym_split_off(spec, &name_len, &plus);
	if (!name_len) {
		*off = (uint64_t)plus;	/* "+0x1234": no symbol, an offset */
		return 0;
	}
	if (name_len >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, spec, name_len);
	name[name_len] = '\0';
	err = bbpf_uprobe_elf_open(ctx, path, &u);
	if (err)
		return err;
	err = bbpf_usym_find(&u.elf, name, 0, &sym);
	bbpf_uprobe_elf_close(ctx, &u);
	if (err == -ENOENT)
		bbpf_attach_warn(ctx, prog, 0, "function '%s' not found in "
			      "'%s'%s", name, path,
			      sym.undef_seen ? " (only referenced there: name the shared library "
					  "that defines it)" : "");
	else if (err == -ENOTUNIQ)
		bbpf_attach_warn(ctx, prog, 0, "function '%s' is ambiguous in "
			      "'%s' (name a version: '%s@@VER')", name, path, name);
	else if (err)
		bbpf_attach_warn(ctx, prog, err, "looking up '%s' in '%s'",
			      name, path);
	if (err)
		return err;
	*off = sym.off + (uint64_t)plus;
	return 0;
}

/* ---- the perf event ---- */

#ifndef BBPF_NO_LEGACY_PROBES	/* the init build has no tracefs uprobe events */
/* A path as the tracefs command parser will read it: no blanks, no control bytes. */
static bool tracefs_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

/* "bbpf_<pid>_<seq>_<file name>_0x<offset>", non-alphanumerics as '_', < 64 bytes. */
static void event_name(struct bbpf_ctx *ctx, const struct bbpf_uprobe_req *r, char *buf)
{
	const char *base = strrchr(r->path, '/');

	bbpf_snprintf(buf, EVENT_NAME_MAX, "bbpf_%ld_%u_%s_0x%llx",
		      ctx->sys.getpid(ctx->sys.ctx), ctx->probe_seq++, base ? base + 1 : r->path,
		      (unsigned long long)r->offset);
	bbpf_tracefs_name_fix(buf);
}

/*
 * A tracefs uprobe event, its removal ("-:GROUP/NAME", in target) recorded
 * in link; its id, or -errno.
 */
static int legacy_event(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			const struct bbpf_uprobe_req *r, struct bbpf_link *link, char *target)
{
	const char *group = r->retprobe ? "uretprobes" : "uprobes";
	char name[EVENT_NAME_MAX], cmd[4096 + 2 * EVENT_NAME_MAX];
	int err = -EEXIST, n, tries;

	if (r->ref_ctr_offset) {
		bbpf_attach_warn(ctx, prog, 0, "a legacy (tracefs) uprobe "
			      "cannot take a semaphore");
		return -EINVAL;	/* libbpf's answer too */
	}
	if (!tracefs_safe(r->path)) {
		bbpf_attach_warn(ctx, prog, 0, "'%s': a blank or control byte "
			      "in the path cannot go into uprobe_events", r->path);
		return -EINVAL;
	}
	for (tries = 0; err == -EEXIST && tries < EVENT_NAME_TRIES; tries++) {
		event_name(ctx, r, name);
		n = bbpf_snprintf(cmd, sizeof(cmd), "%c:%s/%s %s:0x%llx", r->retprobe ? 'r' : 'p',
				  group, name, r->path, (unsigned long long)r->offset);
		if (n < 0 || (size_t)n >= sizeof(cmd))
			return -ENAMETOOLONG;
		err = bbpf_tracefs_write(&ctx->sys, BBPF_TRACEFS_UPROBE_EVENTS, cmd, (size_t)n);
	}
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "adding '%s' to "
			      "uprobe_events failed", cmd);
		return err;
	}
	bbpf_snprintf(target, EVENT_NAME_MAX + 16, "-:%s/%s", group, name);
	err = bbpf_link_undo_tracefs(link, BBPF_TRACEFS_UPROBE_EVENTS, target);
	if (err)
		return err;	/* removed already */
	return bbpf_tracefs_event_id(ctx, target + 2);
}
#endif

/*
 * r's perf event: of the uprobe PMU (type), or, legacy, of a tracefs event
 * (its removal recorded in link). Its fd, or -errno (logged).
 */
static long probe_open(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int type,
		       bool legacy, const struct bbpf_uprobe_req *r, struct bbpf_link *link)
{
	const char *kind = r->retprobe ? "uretprobe" : "uprobe";
	struct perf_event_attr attr;
	unsigned int lo, hi;
	long pfd;
	int err;
#ifndef BBPF_NO_LEGACY_PROBES
	char target[EVENT_NAME_MAX + 16];
#endif

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (uint32_t)type;
	if (legacy) {
#ifdef BBPF_NO_LEGACY_PROBES	/* the init build: the uprobe PMU (4.17+) only */
		(void)link;
		return bbpf_attach_not_built(ctx, prog, "a legacy (tracefs) uprobe");
#else
		err = legacy_event(ctx, prog, r, link, target);
		if (err < 0)
			return err;
		attr.type = PERF_TYPE_TRACEPOINT;
		attr.config = (uint64_t)err;	/* the event's id */
#endif
	} else if (r->retprobe) {
		err = bbpf_pmu_format(ctx, "uprobe", "retprobe", &lo, &hi);
		if (err) {
			bbpf_attach_warn(ctx, prog, err, "uprobe PMU without "
				      "a retprobe bit");
			return err;
		}
		attr.config |= (uint64_t)1 << lo;
	}
	if (r->ref_ctr_offset) {	/* a legacy event has none (legacy_event) */
		err = bbpf_pmu_format(ctx, "uprobe", "ref_ctr_offset", &lo, &hi);
		if (err == -ENOENT)
			err = -EOPNOTSUPP;	/* before 4.20: no semaphores */
		if (!err && hi - lo < 63 && r->ref_ctr_offset >> (hi - lo + 1))
			err = -EINVAL;
		if (err) {
			bbpf_attach_warn(ctx, prog, err, "semaphore at "
				      "0x%llx: the uprobe PMU cannot take it",
				      (unsigned long long)r->ref_ctr_offset);
			return err;
		}
		attr.config |= r->ref_ctr_offset << lo;
	}
	if (!legacy) {
		attr.config1 = (uint64_t)(uintptr_t)r->path;	/* uprobe_path */
		attr.config2 = r->offset;			/* probe_offset */
	}
	/* a pid filter needs cpu -1; all processes, one cpu */
	pfd = ctx->sys.perf_event_open(ctx->sys.ctx, &attr, r->pid < 0 ? -1 : r->pid,
				       r->pid < 0 ? 0 : -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd >= 0)
		return pfd;
#ifndef BBPF_NO_LEGACY_PROBES
	if (legacy)
		return bbpf_attach_warn(ctx, prog, (int)pfd, "perf_event_open on "
					"legacy %s '%s' failed", kind, target + 2);
#endif
	return bbpf_attach_warn(ctx, prog, (int)pfd, "perf_event_open on %s "
				"'%s:0x%llx' failed", kind, r->path, (unsigned long long)r->offset);
}

int bbpf_uprobe_attach_one(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   const struct bbpf_uprobe_req *r, bool sub, struct bbpf_link *link)
{
	/* the BPF link fd goes to link->fd, or to the undo list when sub (one of many sites) */
	struct bbpf_perf_attach pa = { .what = r->retprobe ? "uretprobe" : "uprobe",
				       .cookie = r->cookie, .link_fd_in_undo = sub };
	bool legacy;
	int type = bbpf_kprobe_pmu_type(ctx, "uprobe"), err;
	long pfd;

	/* No PMU (before 4.17): legacy probes. Not being able to tell is an error. */
	if (type < 0 && type != -ENOENT) {
		bbpf_attach_warn(ctx, prog, type, "reading the uprobe PMU's "
			      "type");
		return type;
	}
	legacy = type < 0;
	err = r->mode ? bbpf_probe_mode(ctx, r->mode, &legacy, &pa) : 0;
	if (err)
		return err;
	pfd = probe_open(ctx, prog, type, legacy, r, link);
	if (pfd < 0)
		return (int)pfd;
	return bbpf_attach_perf_fd(ctx, prog, prog_fd, (int)pfd, &pa, link);
}

/* ---- entry points ---- */

int bbpf_program_attach_uprobe(struct bbpf_program *prog, pid_t pid, const char *binary_path,
			       size_t func_offset, const struct bbpf_uprobe_opts *opts,
			       struct bbpf_link **out)
{
	struct bbpf_uprobe_opts o = opts ? *opts : (struct bbpf_uprobe_opts){ 0 };
	struct bbpf_uprobe_req r;
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	char path[BBPF_UPROBE_PATH_MAX];
	uint64_t off = 0;
	int err, prog_fd;

	if (!binary_path)
		return -EINVAL;
	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	err = bbpf_uprobe_path(ctx, prog, "uprobe", binary_path, path);
	if (!err && o.func_name)
		err = sym_offset(ctx, prog, path, o.func_name, &off);
	r = (struct bbpf_uprobe_req){ .pid = pid, .path = path, .offset = off + func_offset,
				      .ref_ctr_offset = o.ref_ctr_offset, .cookie = o.bpf_cookie,
				      .retprobe = o.retprobe, .mode = o.attach_mode };
	if (!err)
		err = bbpf_uprobe_attach_one(ctx, prog, prog_fd, &r, false, link);
	return bbpf_attach_end(link, err, out);
}

int bbpf_uprobe_sec_split(const struct bbpf_program *prog, struct bbpf_uprobe_sec *s)
{
	const char *name = prog->sec_name, *slash = strchr(name, '/'), *colon;
	size_t len;

	memset(s, 0, sizeof(*s));
	if (!slash)
		return -EINVAL;
	len = (size_t)(slash - name);
	if (len >= sizeof(s->type))
		return -EINVAL;
	memcpy(s->type, name, len);
	colon = strchr(slash + 1, ':');
	if (!colon || colon == slash + 1 || !colon[1] || colon[1] == '\n')
		return -EINVAL;
	len = (size_t)(colon - slash - 1);
	if (len >= sizeof(s->path))
		return -ENAMETOOLONG;
	memcpy(s->path, slash + 1, len);
	for (len = 0; colon[1 + len] && colon[1 + len] != '\n'; len++)
		;	/* strcspn(colon + 1, "\n"), which the init build would link for this alone */
	if (len >= sizeof(s->func))
		return -ENAMETOOLONG;
	memcpy(s->func, colon + 1, len);
	return 0;
}

/* SEC("u[ret]probe[.s]/PATH:FUNC[+OFF]"), every process (libbpf's attach_uprobe). */
int bbpf_attach_uprobe(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link)
{
	struct bbpf_uprobe_req r = { .pid = -1 };
	struct bbpf_uprobe_sec s;
	char path[BBPF_UPROBE_PATH_MAX];
	size_t name_len;
	int64_t plus;
	int err;

	err = bbpf_uprobe_sec_split(prog, &s);
	if (err) {
		bbpf_attach_warn(ctx, prog, 0, "section '%s': expected "
			      "\"%s/PATH:FUNCTION[+OFFSET]\"", prog->sec_name,
			      s.type[0] ? s.type : "uprobe");
		return err;
	}
	r.retprobe = !strcmp(s.type, "uretprobe") || !strcmp(s.type, "uretprobe.s");
	bbpf_usym_split_off(s.func, &name_len, &plus);
	if (r.retprobe && plus) {
		bbpf_attach_warn(ctx, prog, 0, "uretprobes do not support an "
			      "offset ('%s')", s.func);
		return -EINVAL;
	}
	err = bbpf_uprobe_path(ctx, prog, "uprobe", s.path, path);
	if (err)
		return err;
	err = sym_offset(ctx, prog, path, s.func, &r.offset);
	if (err)
		return err;
	r.path = path;
	return bbpf_uprobe_attach_one(ctx, prog, prog_fd, &r, false, link);
}
