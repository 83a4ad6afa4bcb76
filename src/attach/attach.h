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
