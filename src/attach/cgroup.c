/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cgroup programs (cgroup_skb, cgroup/sock*, cgroup/connect4, sockops,
 * cgroup/dev, cgroup/sysctl, cgroup/{get,set}sockopt, ...) on a cgroup v2
 * directory, at the program's expected attach type: a BPF link (5.7+), as
 * libbpf's bpf_program__attach_cgroup(); a kernel without cgroup links
 * (LINK_CREATE fails with -EINVAL) gets BPF_PROG_ATTACH with
 * BPF_F_ALLOW_MULTI, which the link detaches (BPF_PROG_DETACH) through its
 * own copies of the cgroup and program fds. And libbpf's low-level
 * bpf_prog_attach()/bpf_prog_detach2().
 */
#include <errno.h>
#include <string.h>
#include <barebpf/attach.h>
#include "attach.h"

static int prog_attach(const struct bbpf_sys *sys, int prog_fd, int target_fd,
		       enum bpf_attach_type type, uint32_t flags)
{
	/* target_fd, attach_bpf_fd, attach_type, attach_flags */
	return bbpf_cmd_words(sys, BPF_PROG_ATTACH, BBPF_U32S(target_fd, prog_fd),
			      BBPF_U32S(type, flags), 0, 0);
}

/*
 * BPF_PROG_ATTACH for a link: the target and program fds duplicated into
 * the link (the caller may close its own), BPF_PROG_DETACH at undo.
 */
int bbpf_cgroup_prog_attach_link(struct bbpf_ctx *ctx, struct bbpf_link *link, int prog_fd,
				 int target_fd, enum bpf_attach_type type, uint32_t flags)
{
	int tfd, pfd, err;

	tfd = bbpf_attach_dup(ctx, link, target_fd);
	if (tfd < 0)
		return tfd;
	pfd = bbpf_attach_dup(ctx, link, prog_fd);
	if (pfd < 0)
		return pfd;
	err = prog_attach(&ctx->sys, pfd, tfd, type, flags);
	if (err)
		return err;
	return bbpf_link_undo_add(link, BBPF_UNDO_PROG_DETACH, tfd, type, (uint32_t)pfd);
}

int bbpf_program_attach_cgroup(struct bbpf_program *prog, int cgroup_fd, struct bbpf_link **out)
{
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	enum bpf_attach_type type;
	int err, prog_fd, fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	type = prog->expected_attach_type;
	if (cgroup_fd < 0) {
		bbpf_attach_warn(ctx, prog, 0, "cgroup: bad fd %d", cgroup_fd);
		return bbpf_attach_end(link, -EINVAL, out);
	}
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, cgroup_fd, type, NULL);
	if (fd >= 0) {
		link->fd = fd;
		return bbpf_attach_end(link, 0, out);
	}
	if (fd != -EINVAL) {
		bbpf_attach_warn(ctx, prog, fd, "cgroup link (attach type %u)",
			      (unsigned int)type);
		return bbpf_attach_end(link, fd, out);
	}
	bbpf_log(&ctx->log, BBPF_LOG_DEBUG,
		 "program '%s': no cgroup link (-EINVAL: before 5.7?): BPF_PROG_ATTACH", prog->name);
	err = bbpf_cgroup_prog_attach_link(ctx, link, prog_fd, cgroup_fd, type, BPF_F_ALLOW_MULTI);
	if (err)
		bbpf_attach_warn(ctx, prog, err, "BPF_PROG_ATTACH to cgroup "
			      "(attach type %u, multi)", (unsigned int)type);
	return bbpf_attach_end(link, err, out);
}

int bbpf_prog_attach(struct bbpf_ctx *ctx, int prog_fd, int target_fd,
		     enum bpf_attach_type type, uint32_t flags)
{
	bool own;
	int err = bbpf_attach_ctx(&ctx, &own);

	if (err)
		return err;
	err = prog_attach(&ctx->sys, prog_fd, target_fd, type, flags);
	if (own)
		bbpf_ctx_free(ctx);
	return err;
}

int bbpf_prog_detach(struct bbpf_ctx *ctx, int prog_fd, int target_fd,
		     enum bpf_attach_type type)
{
	bool own;
	int err = bbpf_attach_ctx(&ctx, &own);

	if (err)
		return err;
	/* target_fd, attach_bpf_fd (none: the kernel picks), attach_type */
	err = bbpf_cmd_words(&ctx->sys, BPF_PROG_DETACH,
			     BBPF_U32S(target_fd, prog_fd < 0 ? 0 : prog_fd), BBPF_U32S(type, 0), 0,
			     0);
	if (own)
		bbpf_ctx_free(ctx);
	return err;
}
