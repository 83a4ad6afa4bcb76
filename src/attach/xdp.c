/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XDP on a device: a BPF link (BPF_LINK_CREATE, BPF_XDP, 5.9+) as libbpf's
 * bpf_program__attach_xdp(), or netlink (RTM_SETLINK with IFLA_XDP) as
 * libbpf's bpf_xdp_attach/detach/query(). A netlink attachment made for a
 * link is undone by the link: the program detached with XDP_FLAGS_REPLACE
 * and the link's own copy of the program fd as the expected one, so a
 * program someone attached since is left alone; the request goes through
 * the socket the attach used, i.e. into the network namespace of the attach.
 */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <barebpf/attach.h>
#include "attach.h"
#include "../kern/netlink.h"

static int mode_cnt(uint32_t flags)
{
	return __builtin_popcount(flags & XDP_FLAGS_MODES);
}

/* The attach's answer was lost: if our program is now attached where it was not, detach it. */
static void xdp_recover(struct bbpf_ctx *ctx, struct bbpf_nl *nl, int ifindex, uint32_t flags,
			int prog_fd, uint32_t before)
{
	struct bpf_prog_info info;
	struct bbpf_nl_xdp x;

	if (bbpf_cmd_obj_info_zero(&ctx->sys, prog_fd, &info, sizeof(info)) || !info.id ||
	    info.id == before || bbpf_netlink_xdp_get(nl, ifindex, &x) ||
	    bbpf_netlink_xdp_mode_id(&x, flags) != info.id)
		return;
	bbpf_netlink_xdp_set(nl, ifindex, -1, (flags & XDP_FLAGS_MODES) | XDP_FLAGS_REPLACE,
			     prog_fd);
}

/* The netlink attach of a link, undone by it (see above). */
static int xdp_nl_link(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       int ifindex, uint32_t flags, int old_fd, struct bbpf_link *link)
{
	uint32_t mode = flags & XDP_FLAGS_MODES, before;
	struct bbpf_nl_xdp x;
	struct bbpf_nl nl;
	int err, dfd;

	err = bbpf_netlink_open(&nl, &ctx->sys, &ctx->alloc, NETLINK_ROUTE);
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "netlink socket");
		return err;
	}
	err = bbpf_link_undo_add(link, BBPF_UNDO_CLOSE, nl.fd, 0, 0);
	if (err)
		goto out;
	dfd = bbpf_attach_dup(ctx, link, prog_fd);
	if (dfd < 0) {
		err = dfd;
		goto out;
	}
	/* What is there now, to tell whether a lost answer meant success. */
	err = bbpf_netlink_xdp_get(&nl, ifindex, &x);
	if (err) {
		bbpf_attach_warn(ctx, prog, 0, "XDP query of ifindex %d: %s "
			      "(%s)", ifindex, bbpf_err_name(err), nl.ext);
		goto out;
	}
	before = bbpf_netlink_xdp_mode_id(&x, mode);
	err = bbpf_netlink_xdp_set(&nl, ifindex, prog_fd, flags, old_fd);
	if (err) {
		bbpf_attach_warn(ctx, prog, 0, "XDP attach to ifindex %d "
			      "(flags 0x%x) by netlink: %s (%s)", ifindex, flags,
			      bbpf_err_name(err), nl.ext);
		if (nl.sent && !nl.answered)
			xdp_recover(ctx, &nl, ifindex, flags, prog_fd, before);
		goto out;
	}
	err = bbpf_link_undo_netlink(link, BBPF_UNDO_XDP, nl.fd,
				     (const uint32_t[4]){ (uint32_t)ifindex, mode, (uint32_t)dfd, 0 });
out:
	bbpf_netlink_close(&nl, false);	/* the link owns the socket */
	return err;
}

int bbpf_program_attach_xdp_opts(struct bbpf_program *prog, int ifindex,
				 const struct bbpf_xdp_link_opts *opts, struct bbpf_link **out)
{
	uint32_t flags = opts ? opts->flags : 0;
	bool netlink = opts && opts->netlink;
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	union bpf_attr extra;
	int err, prog_fd, fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	if (ifindex <= 0 || (flags & ~XDP_FLAGS_MASK) || mode_cnt(flags) > 1 ||
	    (!(flags & XDP_FLAGS_REPLACE) != !(opts && opts->old_prog_fd > 0))) {
		bbpf_attach_warn(ctx, prog, 0, "XDP: bad ifindex %d, flags "
			      "0x%x or old program fd", ifindex, flags);
		return bbpf_attach_end(link, -EINVAL, out);
	}
	/* A link can neither replace nor be told not to: those need netlink. */
	if (!netlink && !(flags & (XDP_FLAGS_REPLACE | XDP_FLAGS_UPDATE_IF_NOEXIST))) {
		memset(&extra, 0, sizeof(extra));
		extra.link_create.flags = flags;
		fd = bbpf_cmd_link_create(&ctx->sys, prog_fd, ifindex, BPF_XDP, &extra);
		if (fd >= 0) {
			link->fd = fd;
			return bbpf_attach_end(link, 0, out);
		}
		if (fd != -EINVAL) {
			bbpf_attach_warn(ctx, prog, fd, "XDP link on ifindex "
				      "%d", ifindex);
			return bbpf_attach_end(link, fd, out);
		}
		bbpf_log(&ctx->log, BBPF_LOG_DEBUG,
			 "program '%s': no XDP link (-EINVAL: before 5.9?): attaching by netlink",
			 prog->name);
		/* as a link would: never replace what is there */
		flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	}
	err = xdp_nl_link(ctx, prog, prog_fd, ifindex, flags,
			  opts && (flags & XDP_FLAGS_REPLACE) ? opts->old_prog_fd : -1, link);
	return bbpf_attach_end(link, err, out);
}

int bbpf_program_attach_xdp(struct bbpf_program *prog, int ifindex, struct bbpf_link **out)
{
	return bbpf_program_attach_xdp_opts(prog, ifindex, NULL, out);
}

/* ---- libbpf's netlink API ---- */

int bbpf_xdp_attach(struct bbpf_ctx *ctx, int ifindex, int prog_fd, uint32_t flags,
		    const struct bbpf_xdp_opts *opts)
{
	int old_fd = opts && opts->old_prog_fd ? opts->old_prog_fd : -1;
	struct bbpf_nl nl;
	bool own;
	int err;

	if (old_fd != -1)
		flags |= XDP_FLAGS_REPLACE;	/* as libbpf */
	err = bbpf_attach_ctx(&ctx, &own);
	if (err)
		return err;
	err = bbpf_netlink_open(&nl, &ctx->sys, &ctx->alloc, NETLINK_ROUTE);
	if (!err) {
		err = bbpf_netlink_xdp_set(&nl, ifindex, prog_fd, flags, old_fd);
		if (err)
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "XDP %s ifindex %d (flags 0x%x): %s (%s)",
				 prog_fd < 0 ? "detach from" : "attach to", ifindex, flags,
				 bbpf_err_name(err), nl.ext);
		bbpf_netlink_close(&nl, true);
	}
	if (own)
		bbpf_ctx_free(ctx);
	return err;
}

int bbpf_xdp_detach(struct bbpf_ctx *ctx, int ifindex, uint32_t flags,
		    const struct bbpf_xdp_opts *opts)
{
	return bbpf_xdp_attach(ctx, ifindex, -1, flags, opts);
}

int bbpf_xdp_query(struct bbpf_ctx *ctx, int ifindex, uint32_t flags, struct bbpf_xdp_query *out)
{
	struct bbpf_nl_xdp x;
	struct bbpf_nl nl;
	uint64_t features = 0;
	bool own;
	int err;

	if (!out || (flags & ~XDP_FLAGS_MASK) || mode_cnt(flags) > 1)
		return -EINVAL;
	err = bbpf_attach_ctx(&ctx, &own);
	if (err)
		return err;
	err = bbpf_netlink_open(&nl, &ctx->sys, &ctx->alloc, NETLINK_ROUTE);
	if (!err) {
		err = bbpf_netlink_xdp_get(&nl, ifindex, &x);
		if (err)
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "XDP query of ifindex %d: %s (%s)",
				 ifindex, bbpf_err_name(err), nl.ext);
		bbpf_netlink_close(&nl, true);
	}
	if (!err)
		err = bbpf_netlink_open(&nl, &ctx->sys, &ctx->alloc, NETLINK_GENERIC);
	if (!err) {
		err = bbpf_netlink_xdp_features(&nl, ifindex, &features);
		if (err == -EOPNOTSUPP)
			err = 0;	/* no "netdev" family (before 6.3): no features known */
		else if (err)
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "XDP features of ifindex %d: %s (%s)",
				 ifindex, bbpf_err_name(err), nl.ext);
		bbpf_netlink_close(&nl, true);
	}
	if (!err) {
		memset(out, 0, sizeof(*out));
		out->prog_id = x.prog_id;
		out->drv_prog_id = x.drv_prog_id;
		out->hw_prog_id = x.hw_prog_id;
		out->skb_prog_id = x.skb_prog_id;
		out->attach_mode = x.attach_mode;
		out->feature_flags = features;
	}
	if (own)
		bbpf_ctx_free(ctx);
	return err;
}
