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
#include <barebpf/loader.h>
#include "../load/load.h"

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

#endif
