/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcx (6.6+) and netkit (6.7+): a BPF link on a device's multi-program
 * chain (BPF_LINK_CREATE with target_ifindex and the program's expected
 * attach type: BPF_TCX_INGRESS/EGRESS, BPF_NETKIT_PRIMARY/PEER), placed by
 * flags (BPF_F_BEFORE, BPF_F_AFTER, BPF_F_ID, BPF_F_LINK) relative to a
 * program or link, and refused if the chain's revision is not the expected
 * one, as libbpf's bpf_program__attach_tcx/netkit().
 */
#include <errno.h>
#include <string.h>
#include <barebpf/attach.h>
#include "attach.h"

/* link_create.tcx / link_create.netkit: same layout. */
struct mprog_attr {
	uint32_t relative;	/* relative_fd or, with BPF_F_ID, relative_id */
	uint32_t pad;
	uint64_t expected_revision;
};

static int attach_mprog(struct bbpf_program *prog, int ifindex, const struct bbpf_tcx_opts *opts,
			const char *what, struct bbpf_link **out)
{
	struct mprog_attr m = { 0 };
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	union bpf_attr extra;
	int err, prog_fd, fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	if (ifindex <= 0) {
		bbpf_attach_warn(ctx, prog, 0, "%s: bad ifindex %d", what,
			      ifindex);
		return bbpf_attach_end(link, -EINVAL, out);
	}
	memset(&extra, 0, sizeof(extra));
	if (opts) {
		if (opts->relative_fd && opts->relative_id) {
			bbpf_attach_warn(ctx, prog, 0, "%s: relative_fd and "
				      "relative_id both set", what);
			return bbpf_attach_end(link, -EINVAL, out);
		}
		extra.link_create.flags = opts->flags;
		m.relative = opts->relative_fd;
		if (opts->relative_id) {
			m.relative = opts->relative_id;
			extra.link_create.flags |= BPF_F_ID;
		}
		m.expected_revision = opts->expected_revision;
		bbpf_attach_lc_extra(&extra, &m, sizeof(m));
	}
	fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, ifindex, prog->expected_attach_type, &extra);
	if (fd < 0) {
		bbpf_attach_warn(ctx, prog, fd, "%s link on ifindex %d", what,
			      ifindex);
		return bbpf_attach_end(link, fd, out);
	}
	link->fd = fd;
	return bbpf_attach_end(link, 0, out);
}

int bbpf_program_attach_tcx(struct bbpf_program *prog, int ifindex,
			    const struct bbpf_tcx_opts *opts, struct bbpf_link **out)
{
	return attach_mprog(prog, ifindex, opts, "tcx", out);
}

int bbpf_program_attach_netkit(struct bbpf_program *prog, int ifindex,
			       const struct bbpf_tcx_opts *opts, struct bbpf_link **out)
{
	return attach_mprog(prog, ifindex, opts, "netkit", out);
}
