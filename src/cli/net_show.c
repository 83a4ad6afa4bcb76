/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf net { show | list } [dev NAME]
 *
 * What is attached to the network devices and the network namespace, as
 * bpftool prints it: "xdp" (each device of an RTM_GETLINK dump with its
 * IFLA_XDP program and mode), "tc" (per device: the tcx and netkit chains,
 * BPF_PROG_QUERY by ifindex, as upstream bpftool 7.3+ lists them first;
 * then the cls_bpf filters, RTM_GETTFILTER dumps on each class and qdisc
 * but clsact, on root and on clsact ingress/egress, with their
 * TCA_BPF_NAME and TCA_BPF_ID), "flow_dissector" (BPF_PROG_QUERY on
 * /proc/self/ns/net). bpftool 7.1 has no tcx/netkit lines (README: known
 * differences). Its JSON is reproduced as it is, including
 * "flow_dissector":["id":N], which is not valid JSON. bpftool's netfilter
 * section (7.3+) and the actions of a filter (TCA_BPF_ACT) are not shown.
 * The dump of links gives the device of "dev NAME", so no if_nametoindex().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>

#include "kobj.h"
#include "../base/fmt.h"
#include "../base/uapi_compat.h"
#include "../kern/netlink.h"

#define MPROG_MAX	64	/* programs per tcx/netkit chain, as bpftool */
#define NAME_MAX_LEN	64

struct dev {
	int ifindex;
	char name[NAME_MAX_LEN];
	struct bbpf_nl_xdp xdp;
};

struct tcq {
	uint32_t handle;
	char kind[NAME_MAX_LEN];
};

struct show {
	struct bbpf_cli_kobj *k;
	const char *want;	/* dev NAME, NULL: every device */
	struct dev *devs;
	size_t cnt, cap;
	struct tcq *q;		/* a device's classes and qdiscs */
	size_t qcnt, qcap;
	bool qdiscs;		/* the qdisc pass of on_tcq(), not the class pass */
	const struct dev *cur;
	const char *kind;
};

/* arr (cnt used of *cap, size bytes each) with room for one more, or NULL (arr kept). */
static void *grow(void *arr, size_t cnt, size_t *cap, size_t size)
{
	void *n;

	if (cnt < *cap)
		return arr;
	n = realloc(arr, (*cap + 16) * size);
	if (n)
		*cap += 16;
	return n;
}

static int on_link(void *arg, const struct bbpf_nl_link *l)
{
	struct show *s = arg;
	struct dev *d;

	if (s->want && (!l->name || strcmp(l->name, s->want)))
		return 0;
	d = grow(s->devs, s->cnt, &s->cap, sizeof(*d));
	if (!d)
		return -ENOMEM;
	s->devs = d;
	d = &s->devs[s->cnt++];
	d->ifindex = l->ifindex;
	bbpf_snprintf(d->name, sizeof(d->name), "%s", l->name ? l->name : "");
	d->xdp = l->xdp;
	return 0;
}

/* "devname(ifindex) kind" of a line, or its first members. */
static void dev_head(struct show *s, const struct dev *d, const char *kind)
{
	if (s->k->json)
		bbpf_cli_json_obj_begin(&s->k->j);
	if (d->name[0])
		bbpf_cli_kobj_s(s->k, "devname", "%s", d->name);
	bbpf_cli_kobj_u(s->k, "ifindex", "(%llu)", (uint32_t)d->ifindex);
	if (kind)
		bbpf_cli_kobj_s(s->k, "kind", " %s", kind);
}

static void line_end(struct show *s)
{
	bbpf_cli_kobj_j(s->k, BBPF_CLI_J_LINE_END);
}

static void xdp_mode(struct show *s, const char *mode, uint32_t id, bool obj)
{
	bool json = s->k->json;

	if (!id)
		return;
	if (obj && json)
		bbpf_cli_json_obj_begin(&s->k->j);
	bbpf_cli_kobj_s(s->k, "mode", " %s", mode);
	bbpf_cli_kobj_u(s->k, "id", " id %llu", id);
	if (obj && json)
		bbpf_cli_json_obj_end(&s->k->j);
}

static void show_xdp(struct show *s, const struct dev *d)
{
	static const char *const modes[] = { "", "driver", "generic", "offload" };
	const struct bbpf_nl_xdp *x = &d->xdp;

	if (x->attach_mode == XDP_ATTACHED_NONE)
		return;
	dev_head(s, d, NULL);
	if (x->attach_mode == XDP_ATTACHED_MULTI) {
		if (s->k->json) {
			bbpf_cli_json_kvs(&s->k->j, "[multi_attachments\0");
		}
		xdp_mode(s, "generic", x->skb_prog_id, true);
		xdp_mode(s, "driver", x->drv_prog_id, true);
		xdp_mode(s, "offload", x->hw_prog_id, true);
		if (s->k->json)
			bbpf_cli_json_arr_end(&s->k->j);
	} else if (x->attach_mode < sizeof(modes) / sizeof(modes[0])) {
		xdp_mode(s, modes[x->attach_mode], x->prog_id, false);
	}
	line_end(s);
}

static void section(struct bbpf_cli_kobj *k, const char *name, const char *fmt)
{
	if (k->json) {
		bbpf_cli_json_key(&k->j, name);
		bbpf_cli_json_arr_begin(&k->j);
	} else {
		bbpf_cli_kobj_printf(k, fmt, name);
	}
}

static void section_end(struct bbpf_cli_kobj *k, const char *end)
{
	if (k->json)
		bbpf_cli_json_arr_end(&k->j);
	else
		bbpf_cli_kobj_printf(k, "%s", end);
}

/* bpftool's flag arrays: "NAME 1 8 " / "NAME":[1,8]. */
static void flag_list(struct show *s, const char *name, uint32_t flags)
{
	struct bbpf_cli_kobj *k = s->k;
	uint32_t bit;

	section(k, name, "%s ");
	for (bit = 1; bit; bit <<= 1) {
		if (!(flags & bit))
			continue;
		if (k->json)
			bbpf_cli_json_u64(&k->j, bit);
		else
			bbpf_cli_kobj_printf(k, "%u ", bit);
	}
	section_end(k, "");
}

/* A tcx or netkit chain, as upstream bpftool (7.3+) shows it. */
static void show_mprog(struct show *s, const struct dev *d, int type, const char *kind)
{
	uint32_t ids[MPROG_MAX], cnt = MPROG_MAX, i;
	struct {
		uint32_t pflags[MPROG_MAX], links[MPROG_MAX], lflags[MPROG_MAX];
	} z;	/* zeros where the kernel says nothing */
	struct bbpf_cli_kobj *k = s->k;
	char name[BBPF_CLI_PROG_NAME_MAX];
	struct bpf_prog_info info;
	bool json = k->json;

	memset(&z, 0, sizeof(z));
	if (bbpf_cmd_prog_query_mprog(k->sys, d->ifindex, (enum bpf_attach_type)type, ids, z.pflags,
				      z.links, z.lflags, &cnt))
		return;	/* none, or not a device of this kind (netkit) */
	for (i = 0; i < cnt && i < MPROG_MAX; i++) {
		dev_head(s, d, kind);
		name[0] = '\0';	/* kept when the program is gone */
		bbpf_cli_kobj_prog_by_id(k, ids[i], &info, name, sizeof(name));
		if (name[0])
			bbpf_cli_kobj_s(s->k, "name", " %s", name);
		bbpf_cli_kobj_u(s->k, "prog_id", " prog_id %llu ", ids[i]);
		if (z.pflags[i] || json)
			flag_list(s, "prog_flags", z.pflags[i]);
		if (z.links[i] || json) {
			bbpf_cli_kobj_u(s->k, "link_id", "link_id %llu ", z.links[i]);
			if (z.lflags[i] || json)
				flag_list(s, "link_flags", z.lflags[i]);
		}
		line_end(s);
	}
}

static int on_filter(void *arg, const struct bbpf_nl_filter *f)
{
	struct show *s = arg;

	if (!f->kind || strcmp(f->kind, "bpf"))
		return 0;
	dev_head(s, s->cur, s->kind);
	if (f->name)
		bbpf_cli_kobj_s(s->k, "name", " %s", f->name);
	if (f->prog_id)
		bbpf_cli_kobj_u(s->k, "id", " id %llu", f->prog_id);
	line_end(s);
	return 0;
}

/* Classes, and qdiscs with a handle but clsact (its two parents are dumped by name). */
static int on_tcq(void *arg, uint32_t handle, const char *kind)
{
	struct show *s = arg;
	struct tcq *q;

	if (s->qdiscs && (!handle || (kind && !strcmp(kind, "clsact"))))
		return 0;
	q = grow(s->q, s->qcnt, &s->qcap, sizeof(*q));
	if (!q)
		return -ENOMEM;
	s->q = q;
	q = &s->q[s->qcnt++];
	q->handle = handle;
	bbpf_snprintf(q->kind, sizeof(q->kind), "%s", kind ? kind : "unknown");
	return 0;
}

static int show_tc(struct show *s, struct bbpf_nl *nl, const struct dev *d)
{
	static const struct { uint32_t parent; const char *kind; } fixed[] = {
		{ TC_H_ROOT, "root" },
		{ TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), "clsact/ingress" },
		{ TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), "clsact/egress" },
	};
	static const struct { uint8_t type; char kind[15]; } chains[] = {
		{ BBPF_TCX_INGRESS, "tcx/ingress" },
		{ BBPF_TCX_EGRESS, "tcx/egress" },
		{ BBPF_NETKIT_PRIMARY, "netkit/primary" },
		{ BBPF_NETKIT_PEER, "netkit/peer" },
	};
	size_t i;
	int err;

	for (i = 0; i < sizeof(chains) / sizeof(chains[0]); i++)
		show_mprog(s, d, chains[i].type, chains[i].kind);
	s->cur = d;
	s->qcnt = 0;
	s->qdiscs = false;
	err = bbpf_netlink_qdisc_dump(nl, d->ifindex, true, on_tcq, s);
	s->qdiscs = true;
	if (!err)
		err = bbpf_netlink_qdisc_dump(nl, d->ifindex, false, on_tcq, s);
	for (i = 0; !err && i < s->qcnt; i++) {
		s->kind = s->q[i].kind;
		err = bbpf_netlink_filter_dump(nl, d->ifindex, s->q[i].handle, on_filter, s);
	}
	for (i = 0; !err && i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		s->kind = fixed[i].kind;
		err = bbpf_netlink_filter_dump(nl, d->ifindex, fixed[i].parent, on_filter, s);
	}
	return err;
}

/* The flow dissector of this network namespace: its id, 0 if none. */
static int flow_dissector(struct bbpf_cli_kobj *k, uint32_t *id)
{
	uint32_t ids[1], cnt = 1, flags;
	long fd = k->sys->open(k->sys->ctx, "/proc/self/ns/net", O_RDONLY | O_CLOEXEC, 0);
	int err;

	*id = 0;
	if (fd < 0)
		return bbpf_cli_kobj_errno(k, (int)fd, "can't open /proc/self/ns/net");
	err = bbpf_cmd_prog_query(k->sys, (int)fd, BPF_FLOW_DISSECTOR, 0, &flags, ids, NULL, &cnt);
	k->sys->close(k->sys->ctx, (int)fd);
	if (err == -EINVAL)
		return 0;	/* a kernel that cannot say */
	if (err)
		return bbpf_cli_kobj_errno(k, err, "can't query prog");
	if (cnt == 1)
		*id = ids[0];
	return 0;
}

int bbpf_cli_net_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		      char **argv)
{
	struct bbpf_cli_kobj k;
	struct show s = { .k = &k };
	struct bbpf_nl nl;
	uint32_t fd_id = 0;
	size_t i;
	int ret, err;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "net show", argc, argv);
	if (ret)
		return ret;
	if (argc != 1 && argc != 3)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_usage(&k, "expected [dev NAME]"));
	/*
	 * From here a failure is reported as bpftool's: with -j {"error":"<msg>"}
	 * (no command prefix, as net attach's), else "barebpf: net show: <msg>".
	 */
	k.bare = true;
	if (argc == 3 && !bbpf_cli_kobj_kw(argv[1], "dev"))
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "expected 'dev', got: '%s'?",
								 argv[1]));
	s.want = argc == 3 ? argv[2] : NULL;
	err = bbpf_netlink_open(&nl, k.sys, &k.ctx->alloc, NETLINK_ROUTE);
	if (err)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_errno(&k, err,
								  "failed to open netlink sock"));
	err = bbpf_netlink_link_dump(&nl, on_link, &s);
	if (err)
		ret = bbpf_cli_kobj_errno(&k, err, "cannot list the devices");
	else if (s.want && !s.cnt)
		ret = bbpf_cli_kobj_err(&k, "invalid devname %s", s.want);
	else
		ret = flow_dissector(&k, &fd_id);
	if (ret)
		goto out;
	if (k.json) {
		bbpf_cli_json_arr_begin(&k.j);
		bbpf_cli_json_obj_begin(&k.j);
	}
	section(&k, "xdp", "%s:\n");
	for (i = 0; i < s.cnt; i++)
		show_xdp(&s, &s.devs[i]);
	section_end(&k, "\n");
	section(&k, "tc", "%s:\n");
	for (i = 0; !err && i < s.cnt; i++)
		err = show_tc(&s, &nl, &s.devs[i]);
	if (err) {
		ret = bbpf_cli_kobj_err(&k, "%s", bbpf_cli_kobj_strerror(err));
		goto out;
	}
	section_end(&k, "\n");
	section(&k, "flow_dissector", "%s:\n");
	if (fd_id)
		bbpf_cli_kobj_u(&k, "id", "id %llu", fd_id);	/* in the array (JSON), as bpftool */
	section_end(&k, "\n");
out:
	bbpf_netlink_close(&nl, true);
	free(s.devs);
	free(s.q);
	return bbpf_cli_kobj_close(&k, ret);
}
