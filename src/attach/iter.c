/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iter/ programs: an iterator link (BPF_LINK_CREATE, BPF_TRACE_ITER), and
 * iterator instances made from it (BPF_ITER_CREATE) whose reads run the
 * program, as libbpf's bpf_program__attach_iter() and bpf_iter_create().
 */
#include <errno.h>
#include <string.h>
#include "attach.h"

static int cmd_iter_create(const struct bbpf_sys *sys, int link_fd)
{
	return bbpf_cmd_words(sys, BPF_ITER_CREATE, BBPF_U32S(link_fd, 0), 0, 0, 0);
}

static int iter_attach(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       const struct bbpf_iter_attach_opts *opts, struct bbpf_link *link)
{
	union bpf_attr extra;
	int fd;

	/*
	 * The iterator target ("task", "bpf_map_elem", ...) was fixed at load
	 * via attach_btf_id; link_info says which map, cgroup or task to walk.
	 */
	memset(&extra, 0, sizeof(extra));
	if (opts && opts->link_info) {
		extra.link_create.iter_info = (uint64_t)(uintptr_t)opts->link_info;
		extra.link_create.iter_info_len = opts->link_info_len;
	}
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, 0, BPF_TRACE_ITER, &extra);
	if (fd < 0) {
		bbpf_attach_warn(ctx, prog, fd, "iterator link failed");
		return fd;
	}
	link->fd = fd;
	return 0;
}

int bbpf_attach_iter(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		     struct bbpf_link *link)
{
	return iter_attach(ctx, prog, prog_fd, NULL, link);
}

static int attach_iter_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   struct bbpf_link *link, const void *opts)
{
	return iter_attach(ctx, prog, prog_fd, opts, link);
}

int bbpf_program_attach_iter(struct bbpf_program *prog, const struct bbpf_iter_attach_opts *opts,
			     struct bbpf_link **out)
{
	if (opts && !opts->link_info != !opts->link_info_len)
		return bbpf_attach_api_fail(prog, -EINVAL, "iterator link_info without its length");
	return bbpf_attach_api(prog, attach_iter_api, opts, out);
}

int bbpf_link_iter_create(struct bbpf_link *link)
{
	if (!link || link->attach != BBPF_ATTACH_ITER || link->fd < 0)
		return -EINVAL;
	return cmd_iter_create(&link->sys, link->fd);
}
