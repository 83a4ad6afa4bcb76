/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attach layer internals: the link object and one attach function per kind.
 * Every kernel interaction goes through a struct bbpf_sys. Not public.
 */
#ifndef BBPF_ATTACH_H
#define BBPF_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <barebpf/loader.h>
#include "../kern/kern.h"
#include "../obj/object_int.h"

enum bbpf_link_kind {
	BBPF_LINK_BPF,		/* fd is a BPF link (LINK_CREATE, RAW_TRACEPOINT_OPEN) */
	BBPF_LINK_PERF_IOCTL,	/* fd is a perf event with the program set by ioctl */
};

/*
 * The link keeps its own copy of the syscall table and allocator, so that
 * destroying it needs neither the object nor the context.
 */
struct bbpf_link {
	struct bbpf_program *prog;
	struct bbpf_sys sys;
	struct bbpf_alloc alloc;
	enum bbpf_link_kind kind;
	enum bbpf_attach_kind attach;	/* of the program, kept past object close */
	int fd;			/* link fd, or the perf event fd for BBPF_LINK_PERF_IOCTL */
	int perf_fd;		/* tracepoint: the perf event (== fd for ioctl); else -1 */
	bool held;		/* owned by the object: destroyed at close only */
	char *pin_path;		/* alloc'd copy, NULL */
	size_t pin_path_size;
};

/* What a per-kind attach made: fds to own, or nothing on failure. */
struct bbpf_attach_res {
	enum bbpf_link_kind kind;
	int fd;
	int perf_fd;
};

/*
 * True if bbpf_object_attach() attaches prog: a loaded program of an
 * auto-attach kind with a usable target. *why says why not, for the log.
 */
bool bbpf_attach_is_auto(const struct bbpf_program *prog, const char **why);

/* ---- tracepoint.c ---- */

/* 0 if "category/name" is safe to put in a tracefs path, -EINVAL otherwise. */
int bbpf_tp_check_name(const char *target);
/* The tracepoint's id from tracefs (debugfs fallback); > 0, or -errno. */
int bbpf_tp_id(struct bbpf_ctx *ctx, const char *target);
/*
 * tp/, tracepoint/: perf_event_open + LINK_CREATE(BPF_PERF_EVENT), or
 * PERF_EVENT_IOC_SET_BPF without perf links; then PERF_EVENT_IOC_ENABLE.
 */
int bbpf_attach_tracepoint(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			   struct bbpf_attach_res *res);

/* ---- raw_tp.c ---- */

/* raw_tp/, raw_tracepoint/(.w): RAW_TRACEPOINT_OPEN(target). */
int bbpf_attach_raw_tp(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
		       struct bbpf_attach_res *res);
/*
 * tp_btf/, fentry/, fexit/, fmod_ret/, freplace/, lsm/: LINK_CREATE with the
 * expected attach type, falling back to RAW_TRACEPOINT_OPEN(NULL) on -EINVAL
 * for the types that command can attach (libbpf 1.1's bpf_link_create()).
 */
int bbpf_attach_tracing(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			struct bbpf_attach_res *res);

/* ---- iter.c ---- */

/* iter/: LINK_CREATE(BPF_TRACE_ITER). */
int bbpf_attach_iter(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
		     struct bbpf_attach_res *res);
/*
 * BPF_ITER_CREATE on an iterator link: a new fd whose read(2) yields the
 * iterator's output. The caller owns and closes it. -EINVAL if link is not
 * an iterator link.
 */
int bbpf_link_iter_create(struct bbpf_link *link);

#endif
