/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The attach layer: one function per attach kind, each producing a link
 * (src/load/load.h: an fd plus what else to undo), and the table from the
 * section table's kind id (enum bbpf_attach_kind, src/obj/sec_def.h) to
 * those functions. Adding a kind is one row here plus one file. Not public.
 */
#ifndef BBPF_ATTACH_H
#define BBPF_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "../load/load.h"
#include "../parse/elf.h"

/*
 * Attach prog (loaded: prog_fd) and describe what was made in link: its BPF
 * link fd and, through bbpf_link_undo_*(), everything else to undo, in the
 * order made. On failure return a negative errno and leave in link what was
 * recorded: the caller frees the link, which undoes it.
 */
typedef int (*bbpf_attach_fn)(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			      struct bbpf_link *link);

/*
 * True if bbpf_object_attach() attaches prog: a loaded program of a kind
 * with an attach function and, where the kind needs one, a target in its
 * section name. *why says why not.
 */
bool bbpf_attach_is_auto(const struct bbpf_program *prog, const char **why);

/*
 * The public bbpf_program_attach_*() calls: prog must be loaded; a new link
 * is filled by fn (arg: the call's arguments) and given to *out, or undone
 * on failure. A failure is logged at WARN (fn names its cause; a failure
 * here, before fn, gets its own line).
 */
typedef int (*bbpf_attach_api_fn)(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
				  int prog_fd, struct bbpf_link *link, const void *arg);
int bbpf_attach_api(struct bbpf_program *prog, bbpf_attach_api_fn fn, const void *arg,
		    struct bbpf_link **out);
/* A public call's own misuse error: "program '<name>': <why>" at WARN; returns err. */
int bbpf_attach_api_fail(const struct bbpf_program *prog, int err, const char *why);

/*
 * bbpf_log_warn(&ctx->log, "program", prog->name, err, fmt, ...): one WARN
 * line "program 'P': " + fmt (+ ": -EXXX" for err); returns err.
 */
int bbpf_attach_warn(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int err,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * A feature the build leaves out (make static-init, README "Static builds"):
 * "program 'P': section 'S': WHAT not supported in this build", -EOPNOTSUPP.
 */
int bbpf_attach_not_built(struct bbpf_ctx *ctx, const struct bbpf_program *prog, const char *what);

/* ---- perf_event.c ---- */

struct bbpf_perf_attach {
	const char *what;	/* "tracepoint 'a/b'", "kprobe 'f+0x0'": for messages */
	uint64_t cookie;	/* bpf_get_attach_cookie(): needs a BPF perf link */
	bool force_ioctl;	/* PERF_EVENT_IOC_SET_BPF even where perf links exist */
	bool borrowed;		/* the caller's event: never closed; an ioctl attachment is disabled */
	bool link_fd_in_undo;	/* the BPF link fd goes to the undo list, not link->fd */
};
/*
 * Attach prog_fd to perf event pfd (libbpf's
 * bpf_program__attach_perf_event_opts): a BPF perf link (5.15+; its fd in
 * link->fd, or in the undo list if link->fd is taken or asked) unless
 * force_ioctl, else PERF_EVENT_IOC_SET_BPF (-EOPNOTSUPP with a cookie);
 * then PERF_EVENT_IOC_ENABLE. An event not borrowed is recorded in link at
 * once (closed, or disabled and closed, at undo), also on failure.
 */
int bbpf_attach_perf_fd(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			int pfd, const struct bbpf_perf_attach *pa, struct bbpf_link *link);
/*
 * attach_mode as libbpf's probe_attach_mode: *legacy (true where the
 * kernel has no kprobe/uprobe PMU) and pa->force_ioctl as the mode asks;
 * -EOPNOTSUPP where the kernel cannot do it, -EINVAL for no mode.
 */
int bbpf_probe_mode(const struct bbpf_ctx *ctx, enum bbpf_probe_attach_mode mode, bool *legacy,
		    struct bbpf_perf_attach *pa);

/* ---- attach.c: the calls that name their target ---- */

/*
 * For the attach functions that name their target (xdp, cgroup, ...):
 * prog's context and fd and an empty link. -EINVAL if prog is not a loaded
 * program, out is NULL or out of memory for the link (-ENOMEM).
 */
int bbpf_attach_begin(const struct bbpf_program *prog, struct bbpf_link **out,
		      struct bbpf_ctx **ctx, int *prog_fd, struct bbpf_link **link);
/* Finish one: on err the link is freed (what it made undone), else *out = link. Returns err. */
int bbpf_attach_end(struct bbpf_link *link, int err, struct bbpf_link **out);
/* The caller's context, or a private default one (*own: free it with bbpf_ctx_free()). */
int bbpf_attach_ctx(struct bbpf_ctx **ctx, bool *own);
/*
 * link_create's kind-specific part newer than the system's <linux/bpf.h>
 * (tcx, netkit, netfilter: 6.4+), written where the kernel reads it: the
 * union that starts with target_btf_id.
 */
void bbpf_attach_lc_extra(union bpf_attr *attr, const void *data, size_t len);
/* dup(fd) recorded in link (closed when the link goes); the new fd or -errno. */
int bbpf_attach_dup(struct bbpf_ctx *ctx, struct bbpf_link *link, int fd);

/* ---- cgroup.c ---- */

/*
 * BPF_PROG_ATTACH of prog_fd to target_fd for a link: both fds duplicated
 * into the link (the caller may close its own), BPF_PROG_DETACH at undo.
 */
int bbpf_cgroup_prog_attach_link(struct bbpf_ctx *ctx, struct bbpf_link *link, int prog_fd,
				 int target_fd, enum bpf_attach_type type, uint32_t flags);

/* ---- tracepoint.c ---- */

/*
 * tp/, tracepoint/: perf_event_open + LINK_CREATE(BPF_PERF_EVENT), or
 * PERF_EVENT_IOC_SET_BPF without perf links; then PERF_EVENT_IOC_ENABLE.
 */
int bbpf_attach_tracepoint(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   struct bbpf_link *link);

/* The tracepoint "category/name" with a cookie (bbpf_program_attach_tracepoint). */
int bbpf_attach_tracepoint_to(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			      const char *target, uint64_t cookie, struct bbpf_link *link);

/* ---- raw_tp.c ---- */

/* raw_tp/, raw_tracepoint/(.w): RAW_TRACEPOINT_OPEN(target). */
int bbpf_attach_raw_tp(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link);
/*
 * tp_btf/, fentry/, fexit/, fmod_ret/, freplace/, lsm/: LINK_CREATE with the
 * expected attach type, falling back to RAW_TRACEPOINT_OPEN(NULL) on -EINVAL
 * for the types that command can attach (libbpf 1.1's bpf_link_create()).
 */
int bbpf_attach_tracing(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			struct bbpf_link *link);

/* ---- kprobe.c ---- */

/*
 * kprobe/FUNC[+OFF], kretprobe/FUNC: the kprobe PMU through a perf link
 * (or ioctl), else a tracefs kprobe event; in a samples/bpf object
 * (bbpf_kprobe_is_samples()), samples/bpf's way (kprobe_samples.c).
 */
int bbpf_attach_kprobe(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link);
/* One kprobe as bbpf_program_attach_kprobe() makes it (opts may be NULL). */
int bbpf_attach_kprobe_opts(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			    const char *func, const struct bbpf_kprobe_opts *opts,
			    struct bbpf_link *link);
/* A kernel symbol a kprobe may name in tracefs: letters, digits, '_', '.', one "mod:" prefix. */
bool bbpf_kprobe_func_ok(const char *func);
/*
 * A tracefs kprobe event ("p:kprobes/NAME FUNC+0xOFF", or "r:kretprobes/...")
 * of a name nobody uses, its removal recorded in link at once; its id, or
 * a negative errno. how: BBPF_KPROBE_EV_*;
 * a samples/bpf event is "p:kprobes/NAME FUNC" (or "r:kprobes/...", off
 * ignored), and QUIET leaves a failed write unlogged.
 */
#define BBPF_KPROBE_EV_RET	1u
#define BBPF_KPROBE_EV_SAMPLES	2u
#define BBPF_KPROBE_EV_QUIET	4u
int bbpf_kprobe_event_add(struct bbpf_ctx *ctx, const struct bbpf_program *prog, unsigned int how,
			  const char *func, uint64_t off, struct bbpf_link *link);

/* ---- kprobe_samples.c ---- */

/*
 * True for a program of a samples/bpf-format object (SEC("maps"), which
 * libbpf 1.x refuses) or of a section only samples/bpf's prefix rules know.
 */
bool bbpf_kprobe_is_samples(const struct bbpf_program *prog);
/*
 * samples/bpf's load_and_attach() for kprobe/ and kretprobe/: a tracefs
 * event (the architecture's syscall wrapper first for "sys_*" names), a
 * tracepoint perf event on it, PERF_EVENT_IOC_ENABLE, PERF_EVENT_IOC_SET_BPF;
 * kprobe/<number> puts the program in slot <number> of the object's first
 * map instead (a prog array of tail calls). Unique event names, and only
 * the link's own event is ever removed.
 */
int bbpf_attach_kprobe_samples(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			       int prog_fd, struct bbpf_link *link);

/* ---- ksyscall.c ---- */

/* ksyscall/NAME, kretsyscall/NAME: a kprobe on the system call's entry. */
int bbpf_attach_ksyscall(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			 struct bbpf_link *link);

/* ---- kprobe_multi.c ---- */

/* kprobe.multi/PATTERN, kretprobe.multi/PATTERN, kprobe.session/PATTERN. */
int bbpf_attach_kprobe_multi(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link);
/* '*' any run, '?' any one character, else itself (libbpf's glob_match), in O(len * len). */
bool bbpf_kprobe_glob_match(const char *str, size_t len, const char *pat);

/* ---- iter.c ---- */

/* iter/: LINK_CREATE(BPF_TRACE_ITER). */
int bbpf_attach_iter(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		     struct bbpf_link *link);

/* ---- uprobe.c ---- */

#define BBPF_UPROBE_PATH_MAX 4096

/* One uprobe to make. */
struct bbpf_uprobe_req {
	pid_t pid;			/* > 0 a process, else every process (-1) */
	const char *path;		/* the target file, as the kernel will open it */
	uint64_t offset;		/* file offset */
	uint64_t ref_ctr_offset;	/* file offset of a semaphore, 0 */
	uint64_t cookie;		/* BPF cookie (needs a perf link) */
	bool retprobe;
	enum bbpf_probe_attach_mode mode;
};

/*
 * Make r and attach prog_fd to it, everything recorded in link: the PMU's
 * event (or a tracefs probe and its event), and the BPF perf link, which
 * becomes link->fd, or an undo entry when sub (one site of several).
 */
int bbpf_uprobe_attach_one(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   const struct bbpf_uprobe_req *r, bool sub, struct bbpf_link *link);

/*
 * file as libbpf 1.8 finds a uprobe target (the context's
 * LD_LIBRARY_PATH/PATH), into out; a failure is logged ("WHAT target 'FILE'
 * not found").
 */
int bbpf_uprobe_path(struct bbpf_ctx *ctx, const struct bbpf_program *prog, const char *what,
		     const char *file, char out[BBPF_UPROBE_PATH_MAX]);

/* A target file read and parsed (symbols, notes, segments). */
struct bbpf_uprobe_elf {
	uint8_t *buf;
	size_t len;
	struct bbpf_sys_file_id id;
	struct bbpf_arena arena;
	struct bbpf_elf elf;
};
/* Logs why not. bbpf_uprobe_elf_close() only after success. */
int bbpf_uprobe_elf_open(struct bbpf_ctx *ctx, const char *path, struct bbpf_uprobe_elf *u);
void bbpf_uprobe_elf_close(struct bbpf_ctx *ctx, struct bbpf_uprobe_elf *u);

/* A "TYPE/PATH:FUNC" section name split as libbpf's sscanf("%m[^/]/%m[^:]:%m[^\n]"). */
struct bbpf_uprobe_sec {
	char type[32];
	char path[BBPF_UPROBE_PATH_MAX];
	char func[512];
};
/* 0; -EINVAL (no '/', no ':', empty path or function); -ENAMETOOLONG. */
int bbpf_uprobe_sec_split(const struct bbpf_program *prog, struct bbpf_uprobe_sec *s);

/* uprobe/, uretprobe/, uprobe.s/, uretprobe.s/ PATH:FUNC[+OFF]. */
int bbpf_attach_uprobe(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link);

/* ---- uprobe_multi.c ---- */

struct bbpf_uprobe_multi_req {
	pid_t pid;			/* > 0 a process, 0 this one, < 0 every process */
	const char *path;
	const unsigned long *offsets;	/* cnt file offsets */
	const unsigned long *ref_ctr_offsets;	/* NULL or cnt */
	const uint64_t *cookies;	/* NULL or cnt */
	size_t cnt;
	bool retprobe;
	bool session;
};
/* One uprobe-multi (or session) link: link->fd. */
int bbpf_uprobe_multi_link(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   const struct bbpf_uprobe_multi_req *r, struct bbpf_link *link);
/* uprobe.multi/, uretprobe.multi/, uprobe.session/ (and .s) PATH:PATTERN. */
int bbpf_attach_uprobe_multi(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link);

/* ---- usdt.c ---- */

/* usdt/, usdt.s/ PATH:PROVIDER:NAME. */
int bbpf_attach_usdt(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		     struct bbpf_link *link);

#endif
