/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic tc over netlink, as libbpf's bpf_tc_* model: the clsact qdisc as
 * the hook (ingress and egress), cls_bpf filters in direct-action mode for
 * all protocols at a handle and priority (0: the kernel picks, the echo of
 * the request says which), and bbpf_program_attach_tc(), whose link
 * deletes its filter and, if the attach made the clsact qdisc, the qdisc
 * too once no filter is left on it.
 *
 * When the answer to a filter request is lost (sent, then the receive
 * failed), the filter may exist without the caller knowing its handle: the
 * filters of the program on that parent are listed before an automatic
 * (handle 0 or priority 0) request, and after such a failure the new ones
 * are deleted; with both given, the filter there is deleted if it runs the
 * program.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <barebpf/attach.h>
#include "attach.h"
#include "../base/fmt.h"
#include "../kern/netlink.h"

#define KNOWN_MAX 16	/* filters of the program already on the parent, remembered */

/* libbpf's tc_get_tcm_parent(). */
static int hook_parent(const struct bbpf_tc_hook *hook, uint32_t *parent)
{
	switch ((int)hook->attach_point) {
	case BBPF_TC_INGRESS:
	case BBPF_TC_EGRESS:
		if (hook->parent)
			return -EINVAL;
		*parent = TC_H_MAKE(TC_H_CLSACT, hook->attach_point == BBPF_TC_INGRESS ?
						 TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
		return 0;
	case BBPF_TC_CUSTOM:
		if (!hook->parent)
			return -EINVAL;
		*parent = hook->parent;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The request's socket in ctx (a private context if ctx is NULL). */
struct tc_call {
	struct bbpf_ctx *ctx;
	bool own;
	struct bbpf_nl nl;
};

static int call_begin(struct tc_call *c, struct bbpf_ctx *ctx)
{
	int err;

	c->ctx = ctx;
	err = bbpf_attach_ctx(&c->ctx, &c->own);
	if (err)
		return err;
	err = bbpf_netlink_open(&c->nl, &c->ctx->sys, &c->ctx->alloc, NETLINK_ROUTE);
	if (err) {
		bbpf_log_warn(&c->ctx->log, NULL, NULL, err, "tc: netlink socket");
		if (c->own)
			bbpf_ctx_free(c->ctx);
	}
	return err;
}

static int call_end(struct tc_call *c, int err)
{
	bbpf_netlink_close(&c->nl, true);
	if (c->own)
		bbpf_ctx_free(c->ctx);
	return err;
}

int bbpf_tc_hook_create(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook)
{
	struct tc_call c;
	int err;

	if (!hook || hook->ifindex <= 0)
		return -EINVAL;
	switch ((int)hook->attach_point) {
	case BBPF_TC_INGRESS:
	case BBPF_TC_EGRESS:
	case BBPF_TC_INGRESS | BBPF_TC_EGRESS:
		if (hook->parent)
			return -EINVAL;
		break;
	case BBPF_TC_CUSTOM:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	err = call_begin(&c, ctx);
	if (err)
		return err;
	err = bbpf_netlink_clsact(&c.nl, hook->ifindex, true);
	if (err && err != -EEXIST)
		bbpf_log(&c.ctx->log, BBPF_LOG_WARN, "tc: clsact qdisc on ifindex %d: %s (%s)",
			 hook->ifindex, bbpf_err_name(err), c.nl.ext);
	return call_end(&c, err);
}

int bbpf_tc_hook_destroy(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook)
{
	uint32_t parent = 0;
	struct tc_call c;
	int err, ap;

	if (!hook || hook->ifindex <= 0)
		return -EINVAL;
	ap = (int)hook->attach_point;
	if (ap == BBPF_TC_CUSTOM)
		return -EOPNOTSUPP;
	if (ap != (BBPF_TC_INGRESS | BBPF_TC_EGRESS) && hook_parent(hook, &parent))
		return -EINVAL;
	err = call_begin(&c, ctx);
	if (err)
		return err;
	/* Both: the qdisc goes; one: every filter of that side (libbpf's flush). */
	if (ap == (BBPF_TC_INGRESS | BBPF_TC_EGRESS))
		err = bbpf_netlink_clsact(&c.nl, hook->ifindex, false);
	else
		err = bbpf_netlink_filter_del(&c.nl, hook->ifindex, parent, 0, 0);
	if (err)
		bbpf_log(&c.ctx->log, BBPF_LOG_WARN, "tc: destroying the hook on ifindex %d: %s (%s)",
			 hook->ifindex, bbpf_err_name(err), c.nl.ext);
	return call_end(&c, err);
}

/* ---- adding a filter, with what a lost answer needs ---- */

struct known {
	uint32_t prog_id;
	struct { uint32_t handle, prio; } f[KNOWN_MAX];
	uint32_t cnt;
	bool overflow;
};

static int note_ours(void *arg, const struct bbpf_nl_filter *f)
{
	struct known *k = arg;

	if (f->prog_id != k->prog_id || !f->kind || strcmp(f->kind, "bpf"))
		return 0;
	if (k->cnt == KNOWN_MAX) {
		k->overflow = true;
		return 0;
	}
	k->f[k->cnt].handle = f->handle;
	k->f[k->cnt++].prio = f->prio;
	return 0;
}

static bool is_known(const struct known *k, uint32_t handle, uint32_t prio)
{
	uint32_t i;

	for (i = 0; i < k->cnt; i++)
		if (k->f[i].handle == handle && k->f[i].prio == prio)
			return true;
	return false;
}

/* The request's answer was lost: delete the filter it may have made. */
static void filter_recover(struct bbpf_nl *nl, int ifindex, const struct bbpf_nl_filter *f,
			   const struct known *before)
{
	struct bbpf_nl_filter g = *f;
	struct known now = { .prog_id = before->prog_id };
	uint32_t i;

	if (f->handle && f->prio) {
		if (!bbpf_netlink_filter_get(nl, ifindex, &g) && g.prog_id == before->prog_id)
			bbpf_netlink_filter_del(nl, ifindex, f->parent, f->handle, f->prio);
		return;
	}
	if (before->overflow || bbpf_netlink_filter_dump(nl, ifindex, f->parent, note_ours, &now))
		return;
	for (i = 0; i < now.cnt; i++)
		if (!is_known(before, now.f[i].handle, now.f[i].prio))
			bbpf_netlink_filter_del(nl, ifindex, f->parent, now.f[i].handle,
						now.f[i].prio);
}

/*
 * Add f (prog_fd, parent, handle, prio set) with libbpf's TCA_BPF_NAME
 * "<name>:[<id>]"; on success f's handle, prio and prog_id are the kernel's.
 */
static int filter_add(struct bbpf_ctx *ctx, struct bbpf_nl *nl, int ifindex,
		      struct bbpf_nl_filter *f, bool replace)
{
	struct known before = { 0 };
	struct bpf_prog_info info;
	char name[BPF_OBJ_NAME_LEN + 16];
	int err;

	err = bbpf_cmd_obj_info_zero(&ctx->sys, f->prog_fd, &info, sizeof(info));
	if (err) {
		bbpf_log_warn(&ctx->log, NULL, NULL, err, "tc: program fd %d", f->prog_fd);
		return err;
	}
	info.name[BPF_OBJ_NAME_LEN - 1] = '\0';
	bbpf_snprintf(name, sizeof(name), "%s:[%u]", info.name, info.id);
	f->name = name;
	before.prog_id = info.id;
	if (!f->handle || !f->prio) {
		err = bbpf_netlink_filter_dump(nl, ifindex, f->parent, note_ours, &before);
		if (err) {
			bbpf_log(&ctx->log, BBPF_LOG_WARN,
				 "tc: listing the filters of ifindex %d parent %x:%x: %s (%s)",
				 ifindex, TC_H_MAJ(f->parent) >> 16, TC_H_MIN(f->parent),
				 bbpf_err_name(err), nl->ext);
			return err;
		}
	}
	err = bbpf_netlink_filter_add(nl, ifindex, f, replace);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "tc: bpf filter for '%s' on ifindex %d parent %x:%x: %s (%s)", name,
			 ifindex, TC_H_MAJ(f->parent) >> 16, TC_H_MIN(f->parent),
			 bbpf_err_name(err), nl->ext);
		if (nl->sent && !nl->answered)
			filter_recover(nl, ifindex, f, &before);
	}
	f->name = NULL;
	return err;
}

int bbpf_tc_attach(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook, struct bbpf_tc_opts *opts)
{
	struct bbpf_nl_filter f = { 0 };
	struct tc_call c;
	int err;

	if (!hook || !opts || hook->ifindex <= 0 || opts->prog_fd <= 0 || opts->prog_id ||
	    opts->priority > UINT16_MAX || (opts->flags & ~BBPF_TC_F_REPLACE) ||
	    hook_parent(hook, &f.parent))
		return -EINVAL;
	f.handle = opts->handle;
	f.prio = opts->priority;
	f.prog_fd = opts->prog_fd;
	err = call_begin(&c, ctx);
	if (err)
		return err;
	err = filter_add(c.ctx, &c.nl, hook->ifindex, &f, opts->flags & BBPF_TC_F_REPLACE);
	if (!err) {
		opts->handle = f.handle;
		opts->priority = f.prio;
		opts->prog_id = f.prog_id;
	}
	return call_end(&c, err);
}

/* libbpf's checks for detach and query: a (handle, priority) and nothing else. */
static int check_one(const struct bbpf_tc_hook *hook, const struct bbpf_tc_opts *opts,
		     uint32_t *parent)
{
	if (!hook || !opts || hook->ifindex <= 0 || opts->flags || opts->prog_fd ||
	    opts->prog_id || !opts->handle || !opts->priority || opts->priority > UINT16_MAX)
		return -EINVAL;
	return hook_parent(hook, parent);
}

int bbpf_tc_detach(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook,
		   const struct bbpf_tc_opts *opts)
{
	uint32_t parent;
	struct tc_call c;
	int err = check_one(hook, opts, &parent);

	if (err)
		return err;
	err = call_begin(&c, ctx);
	if (err)
		return err;
	err = bbpf_netlink_filter_del(&c.nl, hook->ifindex, parent, opts->handle, opts->priority);
	if (err)
		bbpf_log(&c.ctx->log, BBPF_LOG_WARN,
			 "tc: deleting filter %x prio %u on ifindex %d: %s (%s)", opts->handle,
			 opts->priority, hook->ifindex, bbpf_err_name(err), c.nl.ext);
	return call_end(&c, err);
}

int bbpf_tc_query(struct bbpf_ctx *ctx, const struct bbpf_tc_hook *hook, struct bbpf_tc_opts *opts)
{
	struct bbpf_nl_filter f = { 0 };
	struct tc_call c;
	int err = check_one(hook, opts, &f.parent);

	if (err)
		return err;
	f.handle = opts->handle;
	f.prio = opts->priority;
	err = call_begin(&c, ctx);
	if (err)
		return err;
	err = bbpf_netlink_filter_get(&c.nl, hook->ifindex, &f);
	if (!err)
		opts->prog_id = f.prog_id;
	else if (err != -ENOENT)
		bbpf_log(&c.ctx->log, BBPF_LOG_WARN,
			 "tc: querying filter %x prio %u on ifindex %d: %s (%s)", opts->handle,
			 opts->priority, hook->ifindex, bbpf_err_name(err), c.nl.ext);
	return call_end(&c, err);
}

/* ---- a link ---- */

/* clsact there, or made now (and then recorded, to go with the link). */
static int ensure_clsact(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			 struct bbpf_nl *nl, int ifindex, struct bbpf_link *link)
{
	int has = bbpf_netlink_has_clsact(nl, ifindex), err;

	if (has < 0) {
		bbpf_attach_warn(ctx, prog, 0, "qdiscs of ifindex %d: %s (%s)",
			      ifindex, bbpf_err_name(has), nl->ext);
		return has;
	}
	if (has)
		return 0;	/* someone else's: kept */
	err = bbpf_netlink_clsact(nl, ifindex, true);
	if (err == -EEXIST)
		return 0;	/* made meanwhile by someone else */
	if (err && nl->sent && !nl->answered && bbpf_netlink_has_clsact(nl, ifindex) == 1)
		err = 0;	/* the answer was lost, the qdisc is there: ours */
	if (err) {
		bbpf_attach_warn(ctx, prog, 0, "clsact qdisc on ifindex %d: "
			      "%s (%s)", ifindex, bbpf_err_name(err), nl->ext);
		return err;
	}
	return bbpf_link_undo_netlink(link, BBPF_UNDO_QDISC, nl->fd,
				      (const uint32_t[4]){ (uint32_t)ifindex, 0, 0, 0 });
}

int bbpf_program_attach_tc(struct bbpf_program *prog, int ifindex,
			   enum bbpf_tc_attach_point point, struct bbpf_link **out)
{
	struct bbpf_nl_filter f = { 0 };
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	struct bbpf_nl nl;
	int err, prog_fd;

	err = bbpf_attach_begin(prog, out, &ctx, &prog_fd, &link);
	if (err)
		return err;
	if (ifindex <= 0 || (point != BBPF_TC_INGRESS && point != BBPF_TC_EGRESS)) {
		bbpf_attach_warn(ctx, prog, 0, "tc: bad ifindex %d or attach "
			      "point %d (ingress or egress)", ifindex, (int)point);
		return bbpf_attach_end(link, -EINVAL, out);
	}
	err = bbpf_netlink_open(&nl, &ctx->sys, &ctx->alloc, NETLINK_ROUTE);
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "netlink socket");
		return bbpf_attach_end(link, err, out);
	}
	/* The link keeps the socket: its undo goes to this network namespace. */
	err = bbpf_link_undo_add(link, BBPF_UNDO_CLOSE, nl.fd, 0, 0);
	if (!err)
		err = ensure_clsact(ctx, prog, &nl, ifindex, link);
	if (!err) {
		f.parent = TC_H_MAKE(TC_H_CLSACT, point == BBPF_TC_INGRESS ? TC_H_MIN_INGRESS :
									     TC_H_MIN_EGRESS);
		f.prog_fd = prog_fd;
		err = filter_add(ctx, &nl, ifindex, &f, false);
	}
	if (!err)
		err = bbpf_link_undo_netlink(link, BBPF_UNDO_TC_FILTER, nl.fd,
					     (const uint32_t[4]){ (uint32_t)ifindex, f.parent,
								  f.handle, f.prio });
	bbpf_netlink_close(&nl, false);
	return bbpf_attach_end(link, err, out);
}
