/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Socket-side attach kinds:
 *  - a socket filter on the caller's socket: SO_ATTACH_BPF, undone with
 *    SO_DETACH_BPF (the socket stays the caller's);
 *  - sk_msg and sk_skb (stream parser/verdict, verdict) programs on a
 *    sockmap or sockhash: a BPF link (6.10+), as libbpf 1.8's
 *    bpf_program__attach_sockmap(); before that (LINK_CREATE fails with
 *    -EINVAL) BPF_PROG_ATTACH to the map, which the link detaches;
 *  - sk_lookup and flow_dissector: a link on a network namespace (5.8+),
 *    as bpf_program__attach_netns();
 *  - netfilter: a link on a hook of the current network namespace (6.4+)
 *    with protocol family, hook number, priority and flags, as
 *    bpf_program__attach_netfilter().
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <barebpf/attach.h>
#include "attach.h"

#ifndef SO_ATTACH_BPF
#define SO_ATTACH_BPF	50
#endif
#ifndef SO_DETACH_BPF
#define SO_DETACH_BPF	27	/* SO_DETACH_FILTER */
#endif

int bbpf_program_attach_socket(struct bbpf_program *prog, int sock_fd, struct bbpf_link **out)
{
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	int err, prog_fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	if (sock_fd < 0)
		err = -EINVAL;
	else
		err = (int)ctx->sys.setsockopt(ctx->sys.ctx, sock_fd, SOL_SOCKET, SO_ATTACH_BPF,
					       &prog_fd, sizeof(prog_fd));
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "SO_ATTACH_BPF on fd %d",
			      sock_fd);
		return bbpf_attach_end(link, err, out);
	}
	err = bbpf_link_undo_add(link, BBPF_UNDO_SOCKOPT, sock_fd, SOL_SOCKET, SO_DETACH_BPF);
	return bbpf_attach_end(link, err, out);
}

/* A link on target_fd with the program's expected attach type. */
static int fd_link(struct bbpf_program *prog, int target_fd, const char *what, bool prog_attach,
		   struct bbpf_link **out)
{
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	enum bpf_attach_type type;
	int err, prog_fd, fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	type = prog->expected_attach_type;
	if (target_fd < 0) {
		bbpf_attach_warn(ctx, prog, 0, "%s: bad fd %d", what, target_fd);
		return bbpf_attach_end(link, -EINVAL, out);
	}
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, target_fd, type, NULL);
	if (fd >= 0) {
		link->fd = fd;
		return bbpf_attach_end(link, 0, out);
	}
	if (fd == -EINVAL && prog_attach) {
		bbpf_log(&ctx->log, BBPF_LOG_DEBUG,
			 "program '%s': no %s link (-EINVAL): BPF_PROG_ATTACH", prog->name, what);
		err = bbpf_cgroup_prog_attach_link(ctx, link, prog_fd, target_fd, type, 0);
		if (err)
			bbpf_attach_warn(ctx, prog, err, "BPF_PROG_ATTACH to "
				      "%s (attach type %u)", what, (unsigned int)type);
		return bbpf_attach_end(link, err, out);
	}
	bbpf_attach_warn(ctx, prog, fd, "%s link (attach type %u)", what,
		      (unsigned int)type);
	return bbpf_attach_end(link, fd, out);
}

int bbpf_program_attach_sockmap(struct bbpf_program *prog, int map_fd, struct bbpf_link **out)
{
	return fd_link(prog, map_fd, "sockmap", true, out);
}

int bbpf_program_attach_netns(struct bbpf_program *prog, int netns_fd, struct bbpf_link **out)
{
	return fd_link(prog, netns_fd, "netns", false, out);
}

/* link_create.netfilter (6.4), newer than the system's <linux/bpf.h>. */
struct nf_attr {
	uint32_t pf;
	uint32_t hooknum;
	int32_t priority;
	uint32_t flags;
};

int bbpf_program_attach_netfilter(struct bbpf_program *prog,
				  const struct bbpf_netfilter_opts *opts, struct bbpf_link **out)
{
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	union bpf_attr extra;
	struct nf_attr nf;
	int err, prog_fd, fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	if (!opts) {
		bbpf_attach_warn(ctx, prog, 0, "netfilter: needs a protocol "
			      "family and a hook");
		return bbpf_attach_end(link, -EINVAL, out);
	}
	nf = (struct nf_attr){ opts->pf, opts->hooknum, opts->priority, opts->flags };
	memset(&extra, 0, sizeof(extra));
	bbpf_attach_lc_extra(&extra, &nf, sizeof(nf));
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, 0, BBPF_NETFILTER, &extra);
	if (fd < 0) {
		bbpf_attach_warn(ctx, prog, fd, "netfilter link (pf %u, hook "
			      "%u, priority %d)", opts->pf, opts->hooknum, opts->priority);
		return bbpf_attach_end(link, fd, out);
	}
	link->fd = fd;
	return bbpf_attach_end(link, 0, out);
}
