// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf_xdp_* and bpf_tc_* (netlink attachment) over the native functions of
 * include/barebpf/attach.h, each call with a context of its own. Functions
 * whose native side is not merged yet answer -EOPNOTSUPP through pending.h.
 */
#include <linux/if_link.h>
#include "compat.h"
#include "pending.h"

#ifndef XDP_FLAGS_REPLACE
#define XDP_FLAGS_REPLACE (1U << 4)
#endif

/* Run fn with a fresh context over the compat table; its result, or the context's error. */
#define WITH_CTX(ctx, expr)							\
	({									\
		struct bbpf_ctx *ctx = NULL;					\
		int r_ = bbpf_compat_sys_ctx(&ctx, NULL);			\
		if (!r_)							\
			r_ = (expr);						\
		bbpf_ctx_free(ctx);						\
		r_;								\
	})

/* ---- XDP ---- */

int bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags, const struct bpf_xdp_attach_opts *opts)
{
	struct bbpf_xdp_opts o = { .old_prog_fd = BBPF_OPTS_GET(opts, old_prog_fd, 0) };

	if (!BBPF_OPTS_VALID(opts, bpf_xdp_attach_opts))
		return bbpf_compat_err(-EINVAL);
	if (o.old_prog_fd)
		flags |= XDP_FLAGS_REPLACE;
	else
		o.old_prog_fd = -1;
	return bbpf_compat_err(WITH_CTX(ctx, bbpf_xdp_attach(ctx, ifindex, prog_fd, flags, &o)));
}

int bpf_xdp_detach(int ifindex, __u32 flags, const struct bpf_xdp_attach_opts *opts)
{
	struct bbpf_xdp_opts o = { .old_prog_fd = BBPF_OPTS_GET(opts, old_prog_fd, 0) };

	if (!BBPF_OPTS_VALID(opts, bpf_xdp_attach_opts))
		return bbpf_compat_err(-EINVAL);
	if (o.old_prog_fd)
		flags |= XDP_FLAGS_REPLACE;
	else
		o.old_prog_fd = -1;
	return bbpf_compat_err(WITH_CTX(ctx, bbpf_xdp_detach(ctx, ifindex, flags, &o)));
}

int bpf_xdp_query(int ifindex, int flags, struct bpf_xdp_query_opts *opts)
{
	struct bbpf_xdp_query q;
	int err;

	if (!BBPF_OPTS_VALID(opts, bpf_xdp_query_opts))
		return bbpf_compat_err(-EINVAL);
	if ((__u32)flags & ~XDP_FLAGS_MASK)
		return bbpf_compat_err(-EINVAL);
	memset(&q, 0, sizeof(q));
	err = WITH_CTX(ctx, bbpf_xdp_query(ctx, ifindex, (__u32)flags, &q));
	if (err)
		return bbpf_compat_err(err);
	if (!opts)
		return 0;
#define SET(f, v) do {									\
		if (opts->sz >= bbpf_offsetofend(struct bpf_xdp_query_opts, f))		\
			opts->f = (v);							\
	} while (0)
	SET(prog_id, q.prog_id);
	SET(drv_prog_id, q.drv_prog_id);
	SET(hw_prog_id, q.hw_prog_id);
	SET(skb_prog_id, q.skb_prog_id);
	SET(attach_mode, q.attach_mode);
	SET(feature_flags, q.feature_flags);
	SET(xdp_zc_max_segs, 0);	/* not reported by the native query */
#undef SET
	return 0;
}

int bpf_xdp_query_id(int ifindex, int flags, __u32 *prog_id)
{
	struct bpf_xdp_query_opts opts = { .sz = sizeof(opts) };
	__u32 modes = (__u32)flags & XDP_FLAGS_MODES;
	int err;

	if (!prog_id)
		return bbpf_compat_err(-EINVAL);
	err = bpf_xdp_query(ifindex, flags, &opts);
	if (err)
		return err;
	if (opts.attach_mode != XDP_ATTACHED_MULTI && !modes)
		*prog_id = opts.prog_id;
	else if (modes & XDP_FLAGS_DRV_MODE)
		*prog_id = opts.drv_prog_id;
	else if (modes & XDP_FLAGS_HW_MODE)
		*prog_id = opts.hw_prog_id;
	else if (modes & XDP_FLAGS_SKB_MODE)
		*prog_id = opts.skb_prog_id;
	else
		*prog_id = 0;
	return 0;
}

/* ---- TC ---- */

static int tc_hook(const struct bpf_tc_hook *hook, struct bbpf_tc_hook *out)
{
	if (!hook || !BBPF_OPTS_VALID(hook, bpf_tc_hook) || BBPF_OPTS_GET(hook, ifindex, 0) <= 0)
		return -EINVAL;
	out->ifindex = BBPF_OPTS_GET(hook, ifindex, 0);
	out->attach_point = (enum bbpf_tc_attach_point)BBPF_OPTS_GET(hook, attach_point, 0);
	out->parent = BBPF_OPTS_GET(hook, parent, 0);
	return 0;
}

int bpf_tc_hook_create(struct bpf_tc_hook *hook)
{
	struct bbpf_tc_hook h;
	int err = tc_hook(hook, &h);

	if (err)
		return bbpf_compat_err(err);
	return bbpf_compat_err(WITH_CTX(ctx, bbpf_tc_hook_create(ctx, &h)));
}

int bpf_tc_hook_destroy(struct bpf_tc_hook *hook)
{
	struct bbpf_tc_hook h;
	int err = tc_hook(hook, &h);

	if (err)
		return bbpf_compat_err(err);
	if (h.attach_point == BBPF_TC_CUSTOM)
		return bbpf_compat_err(-EOPNOTSUPP);
	if (!h.attach_point || (h.attach_point & ~(BBPF_TC_INGRESS | BBPF_TC_EGRESS)))
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(WITH_CTX(ctx, bbpf_tc_hook_destroy(ctx, &h)));
}

static int tc_opts(const struct bpf_tc_opts *opts, struct bbpf_tc_opts *out)
{
	if (!opts || !BBPF_OPTS_VALID(opts, bpf_tc_opts))
		return -EINVAL;
	out->prog_fd = BBPF_OPTS_GET(opts, prog_fd, 0);
	out->flags = BBPF_OPTS_GET(opts, flags, 0);
	out->prog_id = BBPF_OPTS_GET(opts, prog_id, 0);
	out->handle = BBPF_OPTS_GET(opts, handle, 0);
	out->priority = BBPF_OPTS_GET(opts, priority, 0);
	return 0;
}

static void tc_opts_out(struct bpf_tc_opts *opts, const struct bbpf_tc_opts *o)
{
#define SET(f) do {									\
		if (opts->sz >= bbpf_offsetofend(struct bpf_tc_opts, f))		\
			opts->f = o->f;							\
	} while (0)
	SET(prog_id);
	SET(handle);
	SET(priority);
#undef SET
}

int bpf_tc_attach(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts)
{
	struct bbpf_tc_hook h;
	struct bbpf_tc_opts o;
	int err = tc_hook(hook, &h);

	err = err ?: tc_opts(opts, &o);
	if (!err && (o.prog_fd <= 0 || o.prog_id || o.priority > UINT16_MAX ||
		     (o.flags & ~(__u32)BPF_TC_F_REPLACE)))
		err = -EINVAL;
	if (err)
		return bbpf_compat_err(err);
	err = WITH_CTX(ctx, bbpf_tc_attach(ctx, &h, &o));
	if (err)
		return bbpf_compat_err(err);
	tc_opts_out(opts, &o);
	return 0;
}

int bpf_tc_detach(const struct bpf_tc_hook *hook, const struct bpf_tc_opts *opts)
{
	struct bbpf_tc_hook h;
	struct bbpf_tc_opts o;
	int err = tc_hook(hook, &h);

	err = err ?: tc_opts(opts, &o);
	/* a filter is named by handle and priority alone */
	if (!err && (!o.handle || !o.priority || o.prog_fd || o.prog_id || o.flags))
		err = -EINVAL;
	if (err)
		return bbpf_compat_err(err);
	return bbpf_compat_err(WITH_CTX(ctx, bbpf_tc_detach(ctx, &h, &o)));
}

int bpf_tc_query(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts)
{
	struct bbpf_tc_hook h;
	struct bbpf_tc_opts o;
	int err = tc_hook(hook, &h);

	err = err ?: tc_opts(opts, &o);
	if (!err && (!o.handle || !o.priority || o.prog_fd || o.prog_id || o.flags))
		err = -EINVAL;
	if (err)
		return bbpf_compat_err(err);
	err = WITH_CTX(ctx, bbpf_tc_query(ctx, &h, &o));
	if (err)
		return bbpf_compat_err(err);
	if (opts->sz >= bbpf_offsetofend(struct bpf_tc_opts, prog_id))
		opts->prog_id = o.prog_id;
	return 0;
}
