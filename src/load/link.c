/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Links as data: an fd plus a list of what else the attach made, undone in
 * reverse order on destroy, on close and on every failure path of an
 * attach. Nothing here knows how a kind attaches (src/attach does).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <linux/pkt_sched.h>
#include "load.h"
#include "../kern/netlink.h"

int bbpf_link_new(struct bbpf_ctx *ctx, const struct bbpf_program *prog, struct bbpf_link **out)
{
	struct bbpf_link *link = ctx->alloc.resize(ctx->alloc.ctx, NULL, 0, sizeof(*link));

	if (!link)
		return -ENOMEM;
	memset(link, 0, sizeof(*link));
	link->prog = prog;
	link->sys = ctx->sys;
	link->alloc = ctx->alloc;
	link->attach = prog && prog->sec_def ? (enum bbpf_attach_kind)prog->sec_def->attach :
		       BBPF_ATTACH_NONE;
	link->fd = -1;
	*out = link;
	return 0;
}

#ifndef BBPF_NO_NET_ATTACH
/* Before 5.7 (no XDP_FLAGS_REPLACE): detach only if the program is still the link's. */
static int xdp_detach_if_ours(struct bbpf_nl *nl, const struct bbpf_undo *u)
{
	struct bpf_prog_info info;
	struct bbpf_nl_xdp x;
	int err;

	err = bbpf_cmd_obj_info_zero(nl->sys, (int)u->a[2], &info, sizeof(info));
	if (!err)
		err = bbpf_netlink_xdp_get(nl, (int)u->a[0], &x);
	if (!err && info.id && bbpf_netlink_xdp_mode_id(&x, u->a[1]) == info.id)
		err = bbpf_netlink_xdp_set(nl, (int)u->a[0], -1, u->a[1], -1);
	return err;
}

static int filter_seen(void *arg, const struct bbpf_nl_filter *f)
{
	(void)f;
	(*(uint32_t *)arg)++;
	return 0;
}

static void undo_netlink(const struct bbpf_link *link, const struct bbpf_undo *u)
{
	const uint32_t parents[] = { TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
				     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS) };
	/* the attach numbered its requests from 1; each entry has its own range after */
	uintptr_t at = (uintptr_t)u, first = (uintptr_t)link->undo;
	size_t idx = link->undo && at >= first && at < first + link->undo_cnt * sizeof(*u) ?
		     (at - first) / sizeof(*u) : link->undo_cnt;
	struct bbpf_nl nl;
	uint32_t left = 0, i;
	int err = 0;

	bbpf_netlink_wrap(&nl, &link->sys, &link->alloc, u->fd, (uint32_t)(idx + 1) << 16);
	switch (u->kind) {
	case BBPF_UNDO_XDP:
		if (bbpf_netlink_xdp_set(&nl, (int)u->a[0], -1, u->a[1] | XDP_FLAGS_REPLACE,
					 (int)u->a[2]) == -EINVAL)
			xdp_detach_if_ours(&nl, u);
		break;
	case BBPF_UNDO_TC_FILTER:
		bbpf_netlink_filter_del(&nl, (int)u->a[0], u->a[1], u->a[2], u->a[3]);
		break;
	case BBPF_UNDO_QDISC:
		/* Filters that are not ours keep the qdisc (and an unreadable list does too). */
		for (i = 0; !err && i < 2; i++)
			err = bbpf_netlink_filter_dump(&nl, (int)u->a[0], parents[i], filter_seen,
						       &left);
		if (!err && !left)
			bbpf_netlink_clsact(&nl, (int)u->a[0], false);
		break;
	default:
		break;
	}
	bbpf_netlink_close(&nl, false);
}
#endif

/* The largest __bpf_usdt_specs value (usdt.bpf.h 1.7+'s layout is 304 bytes). */
#define USDT_SPEC_MAX 512

/*
 * Undo one entry. A pinned link (pinned) outlives its destruction in the
 * kernel, and with it what it reads or needs: its USDT specs and ip map
 * entries stay (and their ids stay taken), and so does a tracefs probe
 * event (the kernel would refuse to remove it while in use anyway).
 */
static void undo_one(const struct bbpf_link *link, const struct bbpf_undo *u, bool pinned)
{
	const struct bbpf_sys *sys = &link->sys;
#ifndef BBPF_NO_USDT
	uint8_t zeros[USDT_SPEC_MAX];
#endif
#ifndef BBPF_NO_NET_ATTACH
	int zero;
#endif

#if defined(BBPF_NO_LEGACY_PROBES) && defined(BBPF_NO_USDT) && defined(BBPF_NO_STRUCT_OPS)
	(void)pinned;	/* the init build: these three kinds do nothing below */
#else
	if (pinned && (u->kind == BBPF_UNDO_TRACEFS || u->kind == BBPF_UNDO_MAP_DELETE ||
		       u->kind == BBPF_UNDO_USDT_SPEC))
		return;
#endif
	switch (u->kind) {
	case BBPF_UNDO_CLOSE:
		break;
	case BBPF_UNDO_PERF_EVENT:
		/*
		 * An ioctl attachment ends when the event is disabled and
		 * closed. (A BPF link holds its own reference to the event;
		 * disabling it would stop a pinned link too: that event is
		 * recorded as BBPF_UNDO_CLOSE.)
		 */
		sys->ioctl(sys->ctx, u->fd, PERF_EVENT_IOC_DISABLE, 0);
		if (u->a[0])
			return;	/* the caller's event: it stays open */
		break;
	case BBPF_UNDO_TRACEFS:
#ifndef BBPF_NO_LEGACY_PROBES	/* the init build makes no tracefs probe events */
		bbpf_tracefs_write(sys, (enum bbpf_tracefs_file)u->a[0], u->text, u->text_len);
#endif
		break;
	case BBPF_UNDO_PROG_DETACH:
#ifndef BBPF_NO_NET_ATTACH	/* the init build: none of its auto-attach kinds is a cgroup's */
		/* target_fd, attach_bpf_fd, attach_type */
		bbpf_cmd_words(sys, BPF_PROG_DETACH, BBPF_U32S(u->fd, u->a[1]),
			       BBPF_U32S(u->a[0], 0), 0, 0);
#endif
		return;		/* the target fd is the caller's */
	case BBPF_UNDO_SOCKOPT:
#ifndef BBPF_NO_NET_ATTACH	/* the init build: none of its auto-attach kinds is a socket's */
		/* the kernel reads an int for every SOL_SOCKET option, SO_DETACH_BPF included */
		zero = 0;
		sys->setsockopt(sys->ctx, u->fd, (int)u->a[0], (int)u->a[1], &zero, sizeof(zero));
#endif
		return;		/* the socket is the caller's */
	case BBPF_UNDO_MAP_DELETE:
		/* made by struct_ops maps, USDT and samples/bpf kprobes: none in the init build */
#if !defined(BBPF_NO_STRUCT_OPS) || !defined(BBPF_NO_USDT) || !defined(BBPF_NO_LEGACY_PROBES)
		bbpf_cmd_map_delete(sys, u->fd, &u->a[0], 0);
#endif
		return;		/* the map is the object's */
	case BBPF_UNDO_XDP:
	case BBPF_UNDO_TC_FILTER:
	case BBPF_UNDO_QDISC:
#ifndef BBPF_NO_NET_ATTACH	/* the init build: none of its auto-attach kinds uses netlink */
		undo_netlink(link, u);
#endif
		return;		/* the socket has its own entry */
	case BBPF_UNDO_USDT_SPEC:
#ifndef BBPF_NO_USDT	/* the init build attaches no USDT */
		if (u->a[1] <= sizeof(zeros)) {
			memset(zeros, 0, u->a[1]);
			bbpf_cmd_map_update(sys, u->fd, &u->a[0], zeros, BPF_ANY);
		}
		bbpf_usdt_ids_release(u->ptr, u->a[0]);
#endif
		return;
	case BBPF_UNDO_USDT_PUT:
#ifndef BBPF_NO_USDT
		bbpf_usdt_ids_put(u->ptr);
#endif
		return;
	}
	if (u->fd >= 0)
		sys->close(sys->ctx, u->fd);
}

void bbpf_link_free(struct bbpf_link *link)
{
	struct bbpf_alloc alloc;
	uint32_t i;

	if (!link)
		return;
	alloc = link->alloc;
	/* The BPF link first: it holds the attachment the other entries feed. */
	if (link->fd >= 0 && !link->disconnected)
		link->sys.close(link->sys.ctx, link->fd);
	for (i = link->undo_cnt; i-- > 0;) {
#ifdef BBPF_NO_USDT	/* the init build: no USDT_PUT entries */
		if (!link->disconnected)
#else
		if (!link->disconnected || link->undo[i].kind == BBPF_UNDO_USDT_PUT)
#endif
			undo_one(link, &link->undo[i], link->pin_path != NULL);
#ifndef BBPF_NO_LEGACY_PROBES	/* only tracefs entries have text: none in the init build */
		if (link->undo[i].text)
			alloc.resize(alloc.ctx, link->undo[i].text, link->undo[i].text_len + 1, 0);
#endif
	}
	if (link->undo)
		alloc.resize(alloc.ctx, link->undo, link->undo_cap * sizeof(*link->undo), 0);
	if (link->pin_path)
		alloc.resize(alloc.ctx, link->pin_path, link->pin_path_size, 0);
	alloc.resize(alloc.ctx, link, sizeof(*link), 0);
}

static int undo_push(struct bbpf_link *link, const struct bbpf_undo *u)
{
	if (link->undo_cnt == link->undo_cap) {
		uint32_t cap = link->undo_cap ? link->undo_cap * 2 : 4;
		struct bbpf_undo *n = link->alloc.resize(link->alloc.ctx, link->undo,
							 link->undo_cap * sizeof(*n), cap * sizeof(*n));

		if (!n || cap > (1u << 20)) {
			if (n)
				link->undo = n;
			return -ENOMEM;
		}
		link->undo = n;
		link->undo_cap = cap;
	}
	link->undo[link->undo_cnt++] = *u;
	return 0;
}

int bbpf_link_undo_add(struct bbpf_link *link, enum bbpf_undo_kind kind, int fd, uint32_t a0,
		       uint32_t a1)
{
	struct bbpf_undo u = { .kind = kind, .fd = fd, .a = { a0, a1 } };
	int err = undo_push(link, &u);

	if (err)
		undo_one(link, &u, false);	/* what was made does not outlive the failure */
	return err;
}

int bbpf_link_undo_netlink(struct bbpf_link *link, enum bbpf_undo_kind kind, int nl_fd,
			   const uint32_t a[4])
{
	struct bbpf_undo u = { .kind = kind, .fd = nl_fd, .a = { a[0], a[1], a[2], a[3] } };
	int err = undo_push(link, &u);

	if (err)
		undo_one(link, &u, false);
	return err;
}

int bbpf_link_undo_push(struct bbpf_link *link, const struct bbpf_undo *u)
{
	struct bbpf_undo c = *u;
	int err;

	c.text = NULL;	/* text entries go through bbpf_link_undo_tracefs() */
	c.text_len = 0;
	err = undo_push(link, &c);
	if (err)
		undo_one(link, &c, false);
	return err;
}

/*
 * Not in the init build (BBPF_NO_LEGACY_PROBES): bbpf_link_free() there
 * neither runs nor frees tracefs entries, so a caller that made one would
 * fail to link instead of leaking the event.
 */
#ifndef BBPF_NO_LEGACY_PROBES
int bbpf_link_undo_tracefs(struct bbpf_link *link, enum bbpf_tracefs_file file,
			   const char *text)
{
	size_t len = strlen(text);
	struct bbpf_undo u = { .kind = BBPF_UNDO_TRACEFS, .fd = -1, .a = { (uint32_t)file, 0 },
			       .text_len = len };
	int err = -ENOMEM;

	u.text = link->alloc.resize(link->alloc.ctx, NULL, 0, len + 1);
	if (u.text) {
		memcpy(u.text, text, len + 1);
		err = undo_push(link, &u);
		if (err)
			link->alloc.resize(link->alloc.ctx, u.text, len + 1, 0);
	}
	if (err)
		bbpf_tracefs_write(&link->sys, file, text, len);
	return err;
}
#endif

int bbpf_inst_hold_link(struct bbpf_inst *inst, struct bbpf_link *link)
{
	if (inst->link_cnt == inst->link_cap) {
		const struct bbpf_alloc *a = &inst->ctx->alloc;
		uint32_t cap = inst->link_cap ? inst->link_cap * 2 : 8;
		struct bbpf_link **n;

		if (cap > (1u << 24))
			return -ENOMEM;
		n = a->resize(a->ctx, inst->links, inst->link_cap * sizeof(*n), cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		inst->links = n;
		inst->link_cap = cap;
	}
	link->held = true;
	inst->links[inst->link_cnt++] = link;
	return 0;
}

void bbpf_inst_drop_links(struct bbpf_inst *inst, uint32_t keep)
{
	while (inst->link_cnt > keep)
		bbpf_link_free(inst->links[--inst->link_cnt]);
	if (!inst->link_cnt && inst->links) {
		inst->ctx->alloc.resize(inst->ctx->alloc.ctx, inst->links,
					inst->link_cap * sizeof(*inst->links), 0);
		inst->links = NULL;
		inst->link_cap = 0;
	}
}

/* ---- public ---- */

void bbpf_link_destroy(struct bbpf_link *link)
{
	/* The object destroys the links it holds at close; freeing one here would double-free. */
	if (!link || link->held)
		return;
	bbpf_link_free(link);
}

void bbpf_link_disconnect(struct bbpf_link *link)
{
	if (link)
		link->disconnected = true;
}

int bbpf_link_fd(const struct bbpf_link *link)
{
	uint32_t i;

	if (!link)
		return -1;
	if (link->fd >= 0)
		return link->fd;
	for (i = link->undo_cnt; i-- > 0;)
		if (link->undo[i].kind == BBPF_UNDO_PERF_EVENT)
			return link->undo[i].fd;
	return -1;
}

struct bbpf_program *bbpf_link_program(const struct bbpf_link *link)
{
	return link ? (struct bbpf_program *)link->prog : NULL;
}

int bbpf_link_pin(struct bbpf_link *link, const char *path)
{
	size_t size;
	char *copy;
	int err;

	if (!link || !path || !path[0])
		return -EINVAL;
	if (link->fd < 0)
		return -EOPNOTSUPP;	/* no BPF link: an ioctl, netlink or sockopt attachment */
	if (link->pin_path)
		return -EBUSY;
	size = strlen(path) + 1;
	copy = link->alloc.resize(link->alloc.ctx, NULL, 0, size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, path, size);
	err = bbpf_cmd_obj_pin(&link->sys, link->fd, path);
	if (err) {
		link->alloc.resize(link->alloc.ctx, copy, size, 0);
		return err;
	}
	link->pin_path = copy;
	link->pin_path_size = size;
	return 0;
}

int bbpf_link_unpin(struct bbpf_link *link)
{
	long err;

	if (!link || !link->pin_path)
		return -EINVAL;
	err = link->sys.unlink(link->sys.ctx, link->pin_path);
	if (err)
		return (int)err;
	link->alloc.resize(link->alloc.ctx, link->pin_path, link->pin_path_size, 0);
	link->pin_path = NULL;
	return 0;
}

int bbpf_link_update_program(struct bbpf_link *link, const struct bbpf_program *prog)
{
	int prog_fd = bbpf_program_fd(prog);
	if (!link || link->fd < 0 || prog_fd < 0)
		return -EINVAL;
	return bbpf_cmd_words(&link->sys, BPF_LINK_UPDATE, BBPF_U32S(link->fd, prog_fd), 0, 0, 0);
}

int bbpf_link_detach(struct bbpf_link *link)
{
	return link && link->fd >= 0 ? bbpf_cmd_link_detach(&link->sys, link->fd) : -EINVAL;
}

int bbpf_link_info(const struct bbpf_link *link, struct bpf_link_info *info, uint32_t *info_len)
{
	if (!link || link->fd < 0 || !info || !info_len)
		return -EINVAL;
	return bbpf_cmd_obj_info(&link->sys, link->fd, info, info_len);
}

size_t bbpf_object_link_cnt(const struct bbpf_object *obj)
{
	const struct bbpf_inst *inst = bbpf_inst_of(obj);

	return inst ? inst->link_cnt : 0;
}

struct bbpf_link *bbpf_object_link(const struct bbpf_object *obj, size_t idx)
{
	const struct bbpf_inst *inst = bbpf_inst_of(obj);

	return inst && idx < inst->link_cnt ? inst->links[idx] : NULL;
}
