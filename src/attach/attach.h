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

/* ---- tracepoint.c ---- */

/*
 * tp/, tracepoint/: perf_event_open + LINK_CREATE(BPF_PERF_EVENT), or
 * PERF_EVENT_IOC_SET_BPF without perf links; then PERF_EVENT_IOC_ENABLE.
 */
int bbpf_attach_tracepoint(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   struct bbpf_link *link);

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

/* file as libbpf 1.8 finds a uprobe target (the context's LD_LIBRARY_PATH/PATH). */
int bbpf_uprobe_path(struct bbpf_ctx *ctx, const char *file, char *out, size_t size);

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
