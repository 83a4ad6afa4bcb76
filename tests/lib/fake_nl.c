/* SPDX-License-Identifier: BSD-2-Clause */
/* see fake_nl.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "fake_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#define NETDEV_CMD_DEV_GET		1
#define NETDEV_A_DEV_IFINDEX		1
#define NETDEV_A_DEV_XDP_FEATURES	3

#define INGRESS	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
#define EGRESS	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)

/* ---- replies ---- */

struct out {
	uint8_t buf[16384];
	size_t len;
	bool overflow;
};

static void put(struct out *o, const void *p, size_t n)
{
	size_t pad = NLMSG_ALIGN(n) - n;

	if (o->len + n + pad > sizeof(o->buf)) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	memset(o->buf + o->len + n, 0, pad);
	o->len += n + pad;
}

static size_t msg_begin(struct out *o, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid,
			const void *hdr, size_t hdr_len)
{
	struct nlmsghdr nh = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq,
			       .nlmsg_pid = pid };
	size_t start = o->len;

	put(o, &nh, sizeof(nh));
	if (hdr_len)
		put(o, hdr, hdr_len);
	return start;
}

static void msg_end(struct out *o, size_t start)
{
	uint32_t len = (uint32_t)(o->len - start);

	if (!o->overflow)
		memcpy(o->buf + start, &len, sizeof(len));
}

static void attr(struct out *o, uint16_t type, const void *d, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };
	uint8_t tmp[256];

	if (n > sizeof(tmp) - NLA_HDRLEN) {
		o->overflow = true;
		return;
	}
	memcpy(tmp, &a, sizeof(a));
	memcpy(tmp + NLA_HDRLEN, d, n);
	put(o, tmp, NLA_HDRLEN + n);
}

static void attr_u32(struct out *o, uint16_t type, uint32_t v)
{
	attr(o, type, &v, sizeof(v));
}

static size_t nest_begin(struct out *o, uint16_t type)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN, .nla_type = type | NLA_F_NESTED };
	size_t start = o->len;

	put(o, &a, sizeof(a));
	return start;
}

static void nest_end(struct out *o, size_t start)
{
	uint16_t len = (uint16_t)(o->len - start);

	if (!o->overflow)
		memcpy(o->buf + start, &len, sizeof(len));
}

static void enqueue(struct fnl_sock *s, const void *p, size_t n)
{
	struct fnl_dgram *d;

	if (s->cnt == FNL_QUEUE)
		return;	/* a full receive queue drops, as the kernel's would */
	d = &s->q[(s->head + s->cnt++) % FNL_QUEUE];
	d->buf = malloc(n ? n : 1);
	if (!d->buf) {
		s->cnt--;
		return;
	}
	memcpy(d->buf, p, n);
	d->len = n;
}

static void flush(struct fnl_sock *s, struct out *o)
{
	if (o->len && !o->overflow)
		enqueue(s, o->buf, o->len);
	o->len = 0;
	o->overflow = false;
}

/* The ack (err 0) or error of req, with msg as extended ack when asked for. */
static void ack(struct fnl_sock *s, const struct nlmsghdr *req, int err, const char *msg)
{
	struct out *o = calloc(1, sizeof(*o));
	uint16_t flags = 0;
	size_t start, echo;

	if (!o)
		return;
	if (!err && !(req->nlmsg_flags & NLM_F_ACK)) {
		free(o);
		return;
	}
	if (s->cap_ack)
		flags |= NLM_F_CAPPED;
	if (err && msg && s->ext_ack)
		flags |= NLM_F_ACK_TLVS;
	start = msg_begin(o, NLMSG_ERROR, flags, req->nlmsg_seq, 0, &err, sizeof(err));
	/* the request: its header only when capped */
	echo = s->cap_ack ? sizeof(*req) : req->nlmsg_len;
	o->len = start + NLMSG_HDRLEN + sizeof(err);
	put(o, req, echo);
	if (flags & NLM_F_ACK_TLVS)
		attr(o, NLMSGERR_ATTR_MSG, msg, strlen(msg) + 1);
	msg_end(o, start);
	flush(s, o);
	free(o);
}

/* ---- request parsing (the requests come from the code under test) ---- */

struct attrs {
	const struct nlattr *a[64];
};

static void parse(const void *p, size_t len, struct attrs *t)
{
	const uint8_t *b = p;
	size_t off = 0;

	memset(t, 0, sizeof(*t));
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const void *)(b + off);
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			break;
		if (type < 64)
			t->a[type] = a;
		off += NLA_ALIGN(a->nla_len);
	}
}

static const void *adata(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t alen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint32_t au32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (a && alen(a) >= 4)
		memcpy(&v, adata(a), 4);
	return v;
}

static int root_of(const struct fake_nl *f, int fd)
{
	size_t i;

	for (i = 0; i < FNL_ALIASES; i++)
		if (f->alias[i].fd == fd && fd > 0)
			return f->alias[i].root;
	return fd;
}

static uint32_t id_of(struct fake_nl *f, int fd)
{
	if (fd < 0)
		return 0;
	fd = root_of(f, fd);
	return f->id_of ? f->id_of(f->id_ctx, fd) : (uint32_t)fd + 1000;
}

uint32_t fnl_prog_id(struct fake_nl *f, int fd)
{
	return id_of(f, fd);
}

struct fnl_dev *fnl_dev(struct fake_nl *f, int ifindex)
{
	size_t i;

	for (i = 0; i < f->dev_cnt; i++)
		if (f->devs[i].ifindex == ifindex)
			return &f->devs[i];
	return NULL;
}

/* ---- XDP ---- */

static void link_msg(struct out *o, const struct fnl_dev *d, uint32_t seq, uint16_t flags)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = d->ifindex,
				 .ifi_flags = 0x1 /* IFF_UP */ };
	uint8_t mode = XDP_ATTACHED_NONE, n = 0;
	uint32_t mtu = 1500, id = 0;
	size_t start, nest;

	start = msg_begin(o, RTM_NEWLINK, flags, seq, 0, &ifi, sizeof(ifi));
	attr(o, IFLA_IFNAME, d->name, strlen(d->name) + 1);
	attr_u32(o, IFLA_MTU, mtu);
	if (d->xdp_drv) {
		mode = XDP_ATTACHED_DRV;
		id = d->xdp_drv;
		n++;
	}
	if (d->xdp_skb) {
		mode = XDP_ATTACHED_SKB;
		id = d->xdp_skb;
		n++;
	}
	if (d->xdp_hw) {
		mode = XDP_ATTACHED_HW;
		id = d->xdp_hw;
		n++;
	}
	if (n > 1)
		mode = XDP_ATTACHED_MULTI;
	nest = nest_begin(o, IFLA_XDP);
	attr(o, IFLA_XDP_ATTACHED, &mode, 1);
	if (n == 1)
		attr_u32(o, IFLA_XDP_PROG_ID, id);
	if (d->xdp_drv)
		attr_u32(o, IFLA_XDP_DRV_PROG_ID, d->xdp_drv);
	if (d->xdp_skb)
		attr_u32(o, IFLA_XDP_SKB_PROG_ID, d->xdp_skb);
	if (d->xdp_hw)
		attr_u32(o, IFLA_XDP_HW_PROG_ID, d->xdp_hw);
	nest_end(o, nest);
	msg_end(o, start);
}

static int setlink(struct fake_nl *f, const struct nlmsghdr *nh, const char **msg)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	struct attrs t, x;
	struct fnl_dev *d;
	uint32_t flags, *slot, *others[3], id, cur, want;
	size_t i;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return -EINVAL;
	d = fnl_dev(f, ifi->ifi_index);
	if (!d)
		return -ENODEV;
	parse((const uint8_t *)ifi + NLMSG_ALIGN(sizeof(*ifi)),
	      nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)), &t);
	if (!t.a[IFLA_XDP])
		return 0;
	parse(adata(t.a[IFLA_XDP]), alen(t.a[IFLA_XDP]), &x);
	if (!x.a[IFLA_XDP_FD])
		return -EINVAL;
	flags = au32(x.a[IFLA_XDP_FLAGS]);
	if (flags & ~XDP_FLAGS_MASK)
		return -EINVAL;
	if ((flags & XDP_FLAGS_REPLACE) && f->no_replace)
		return -EINVAL;
	if (__builtin_popcount(flags & XDP_FLAGS_MODES) > 1)
		return -EINVAL;
	if (flags & XDP_FLAGS_HW_MODE) {
		*msg = "Underlying driver does not support XDP in HW mode";
		return -EOPNOTSUPP;
	}
	if ((flags & XDP_FLAGS_DRV_MODE) && !d->native) {
		*msg = "Underlying driver does not support XDP in native mode";
		return -EOPNOTSUPP;
	}
	slot = (flags & XDP_FLAGS_SKB_MODE) || (!(flags & XDP_FLAGS_DRV_MODE) && !d->native) ?
	       &d->xdp_skb : &d->xdp_drv;
	others[0] = &d->xdp_drv;
	others[1] = &d->xdp_skb;
	others[2] = &d->xdp_hw;
	id = id_of(f, (int)au32(x.a[IFLA_XDP_FD]));
	cur = *slot;
	for (i = 0; i < 3; i++) {
		if (others[i] != slot && *others[i] && id) {
			*msg = "Native and generic XDP can't be active at the same time";
			return -EEXIST;
		}
	}
	if (flags & XDP_FLAGS_REPLACE) {
		want = id_of(f, (int)au32(x.a[IFLA_XDP_EXPECTED_FD]));
		if (cur != want) {
			*msg = "Active program does not match expected";
			return -EEXIST;
		}
	} else if ((flags & XDP_FLAGS_UPDATE_IF_NOEXIST) && cur && id) {
		*msg = "XDP program already attached";
		return -EBUSY;
	}
	*slot = id;
	return 0;
}

static int getlink(struct fake_nl *f, struct fnl_sock *s, const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	struct out *o;
	struct fnl_dev *d = fnl_dev(f, ifi->ifi_index);

	if (nh->nlmsg_flags & NLM_F_DUMP)
		return -EOPNOTSUPP;	/* barebpf asks for one device */
	if (!d)
		return -ENODEV;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	link_msg(o, d, nh->nlmsg_seq, 0);
	flush(s, o);
	free(o);
	return 0;
}

/* ---- tc ---- */

static void filter_msg(struct out *o, const struct fnl_filter *flt, uint32_t seq, uint16_t flags,
		       bool head)
{
	struct tcmsg tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = flt->ifindex,
			    .tcm_parent = flt->parent, .tcm_handle = head ? 0 : flt->handle,
			    .tcm_info = TC_H_MAKE(flt->prio << 16, 0x0300 /* htons(ETH_P_ALL) */) };
	size_t start = msg_begin(o, RTM_NEWTFILTER, flags, seq, 0, &tc, sizeof(tc)), nest;

	attr(o, TCA_KIND, "bpf", 4);
	attr_u32(o, TCA_CHAIN, 0);
	if (!head) {
		nest = nest_begin(o, TCA_OPTIONS);
		attr_u32(o, TCA_BPF_ID, flt->prog_id);
		attr(o, TCA_BPF_NAME, flt->name, strlen(flt->name) + 1);
		attr_u32(o, TCA_BPF_FLAGS, flt->flags);
		nest_end(o, nest);
	}
	msg_end(o, start);
}

static struct fnl_filter *find_filter(struct fake_nl *f, int ifindex, uint32_t parent,
				      uint32_t prio, uint32_t handle)
{
	size_t i;

	for (i = 0; i < FNL_FILTERS; i++) {
		struct fnl_filter *x = &f->filters[i];

		if (x->used && x->ifindex == ifindex && x->parent == parent && x->prio == prio &&
		    x->handle == handle)
			return x;
	}
	return NULL;
}

static void drop_filters(struct fake_nl *f, int ifindex, uint32_t parent)
{
	size_t i;

	for (i = 0; i < FNL_FILTERS; i++)
		if (f->filters[i].used && f->filters[i].ifindex == ifindex &&
		    (!parent || f->filters[i].parent == parent))
			f->filters[i].used = false;
}

static int qdisc(struct fake_nl *f, struct fnl_sock *s, const struct nlmsghdr *nh,
		 const char **msg)
{
	const struct tcmsg *tc = NLMSG_DATA(nh);
	struct fnl_dev *d;
	struct attrs t;
	struct out *o;
	size_t i, start;

	if (nh->nlmsg_type == RTM_GETQDISC) {
		if (!(nh->nlmsg_flags & NLM_F_DUMP))
			return -EOPNOTSUPP;
		o = calloc(1, sizeof(*o));
		if (!o)
			return -ENOMEM;
		for (i = 0; i < f->dev_cnt; i++) {
			struct tcmsg q = { .tcm_family = AF_UNSPEC, .tcm_ifindex = f->devs[i].ifindex,
					   .tcm_parent = TC_H_ROOT };

			/* like kernels that ignore tcm_ifindex in a dump: every device */
			start = msg_begin(o, RTM_NEWQDISC, NLM_F_MULTI, nh->nlmsg_seq, 0, &q,
					  sizeof(q));
			attr(o, TCA_KIND, "noqueue", 8);
			msg_end(o, start);
			if (f->devs[i].clsact) {
				q.tcm_parent = TC_H_CLSACT;
				q.tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0);
				start = msg_begin(o, RTM_NEWQDISC, NLM_F_MULTI, nh->nlmsg_seq, 0,
						  &q, sizeof(q));
				attr(o, TCA_KIND, "clsact", 7);
				msg_end(o, start);
			}
		}
		flush(s, o);
		msg_begin(o, NLMSG_DONE, NLM_F_MULTI, nh->nlmsg_seq, 0, &(int){ 0 }, sizeof(int));
		msg_end(o, 0);
		flush(s, o);
		free(o);
		return 1;	/* answered: no ack */
	}
	d = fnl_dev(f, tc->tcm_ifindex);
	if (!d)
		return -ENODEV;
	parse((const uint8_t *)tc + NLMSG_ALIGN(sizeof(*tc)),
	      nh->nlmsg_len - NLMSG_LENGTH(sizeof(*tc)), &t);
	if (tc->tcm_parent != TC_H_CLSACT || !t.a[TCA_KIND] ||
	    strcmp(adata(t.a[TCA_KIND]), "clsact"))
		return -EINVAL;
	if (nh->nlmsg_type == RTM_NEWQDISC) {
		if (d->clsact) {
			if (nh->nlmsg_flags & NLM_F_EXCL) {
				*msg = "Exclusivity flag on, cannot modify";
				return -EEXIST;
			}
			return 0;
		}
		if (!(nh->nlmsg_flags & NLM_F_CREATE))
			return -ENOENT;
		d->clsact = true;
		return 0;
	}
	if (!d->clsact) {
		*msg = "Cannot find specified qdisc on specified device";
		return -EINVAL;
	}
	d->clsact = false;
	drop_filters(f, d->ifindex, 0);
	return 0;
}

static int tfilter(struct fake_nl *f, struct fnl_sock *s, const struct nlmsghdr *nh,
		   const char **msg)
{
	const struct tcmsg *tc = NLMSG_DATA(nh);
	uint32_t prio = TC_H_MAJ(tc->tcm_info) >> 16, handle = tc->tcm_handle, min_prio = 0;
	struct fnl_filter *x;
	struct fnl_dev *d = fnl_dev(f, tc->tcm_ifindex);
	struct attrs t, b;
	struct out *o;
	size_t i;
	int err = 0;

	if (!d)
		return -ENODEV;
	if (tc->tcm_parent != INGRESS && tc->tcm_parent != EGRESS)
		return -EINVAL;
	if (!d->clsact) {
		*msg = "Parent Qdisc doesn't exists";
		return -EINVAL;
	}
	parse((const uint8_t *)tc + NLMSG_ALIGN(sizeof(*tc)),
	      nh->nlmsg_len - NLMSG_LENGTH(sizeof(*tc)), &t);
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	switch (nh->nlmsg_type) {
	case RTM_NEWTFILTER:
		if (!t.a[TCA_KIND] || strcmp(adata(t.a[TCA_KIND]), "bpf") || !t.a[TCA_OPTIONS]) {
			err = -EINVAL;
			break;
		}
		parse(adata(t.a[TCA_OPTIONS]), alen(t.a[TCA_OPTIONS]), &b);
		if (!b.a[TCA_BPF_FD]) {
			*msg = "Missing BPF filter";
			err = -EINVAL;
			break;
		}
		for (i = 0; i < FNL_FILTERS; i++) {
			x = &f->filters[i];
			if (x->used && x->ifindex == d->ifindex && x->parent == tc->tcm_parent &&
			    (!min_prio || x->prio < min_prio))
				min_prio = x->prio;
		}
		if (!prio)
			prio = min_prio ? min_prio - 1 : 0xc000;
		if (!handle) {
			handle = 1;
			while (find_filter(f, d->ifindex, tc->tcm_parent, prio, handle))
				handle++;
		}
		x = find_filter(f, d->ifindex, tc->tcm_parent, prio, handle);
		if (x && (nh->nlmsg_flags & NLM_F_EXCL)) {
			*msg = "Filter already exists";
			err = -EEXIST;
			break;
		}
		if (!x) {
			if (!(nh->nlmsg_flags & NLM_F_CREATE)) {
				err = -ENOENT;
				break;
			}
			for (i = 0; i < FNL_FILTERS && f->filters[i].used; i++)
				;
			if (i == FNL_FILTERS) {
				err = -ENOSPC;
				break;
			}
			x = &f->filters[i];
		}
		memset(x, 0, sizeof(*x));
		x->used = true;
		x->ifindex = d->ifindex;
		x->parent = tc->tcm_parent;
		x->prio = prio;
		x->handle = handle;
		x->prog_id = id_of(f, (int)au32(b.a[TCA_BPF_FD]));
		x->flags = au32(b.a[TCA_BPF_FLAGS]);
		if (b.a[TCA_BPF_NAME])
			strncpy(x->name, adata(b.a[TCA_BPF_NAME]), sizeof(x->name) - 1);
		if (nh->nlmsg_flags & NLM_F_ECHO) {
			filter_msg(o, x, nh->nlmsg_seq, NLM_F_ECHO, false);
			flush(s, o);
		}
		break;
	case RTM_DELTFILTER:
		if (!handle && !prio) {
			drop_filters(f, d->ifindex, tc->tcm_parent);
			break;
		}
		x = find_filter(f, d->ifindex, tc->tcm_parent, prio, handle);
		if (!x) {
			*msg = "Filter with specified priority/protocol not found";
			err = -ENOENT;
			break;
		}
		x->used = false;
		break;
	case RTM_GETTFILTER:
		if (!(nh->nlmsg_flags & NLM_F_DUMP)) {
			x = find_filter(f, d->ifindex, tc->tcm_parent, prio, handle);
			if (!x) {
				*msg = "Specified filter handle not found";
				err = -ENOENT;
				break;
			}
			filter_msg(o, x, nh->nlmsg_seq, 0, false);
			flush(s, o);
			break;
		}
		/* a head entry per priority, then its filters, as the kernel's dump */
		for (i = 0; i < FNL_FILTERS; i++) {
			x = &f->filters[i];
			if (!x->used || x->ifindex != d->ifindex || x->parent != tc->tcm_parent)
				continue;
			filter_msg(o, x, nh->nlmsg_seq, NLM_F_MULTI, true);
			filter_msg(o, x, nh->nlmsg_seq, NLM_F_MULTI, false);
		}
		flush(s, o);
		msg_begin(o, NLMSG_DONE, NLM_F_MULTI, nh->nlmsg_seq, 0, &(int){ 0 }, sizeof(int));
		msg_end(o, 0);
		flush(s, o);
		err = 1;
		break;
	default:
		err = -EOPNOTSUPP;
	}
	free(o);
	return err;
}

/* ---- generic netlink ---- */

static int genl(struct fake_nl *f, struct fnl_sock *s, const struct nlmsghdr *nh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nh);
	struct genlmsghdr rg = { .cmd = g->cmd, .version = 2 };
	struct attrs t;
	struct out *o;
	struct fnl_dev *d;
	size_t start;
	int err = 0;

	parse((const uint8_t *)g + GENL_HDRLEN, nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), &t);
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (nh->nlmsg_type == GENL_ID_CTRL && g->cmd == CTRL_CMD_GETFAMILY) {
		if (!f->netdev_family || !t.a[CTRL_ATTR_FAMILY_NAME] ||
		    strcmp(adata(t.a[CTRL_ATTR_FAMILY_NAME]), "netdev")) {
			err = -ENOENT;
		} else {
			rg.cmd = CTRL_CMD_NEWFAMILY;
			start = msg_begin(o, GENL_ID_CTRL, 0, nh->nlmsg_seq, 0, &rg, sizeof(rg));
			attr(o, CTRL_ATTR_FAMILY_NAME, "netdev", 7);
			attr(o, CTRL_ATTR_FAMILY_ID, &f->netdev_family, 2);
			msg_end(o, start);
			flush(s, o);
		}
	} else if (f->netdev_family && nh->nlmsg_type == f->netdev_family &&
		   g->cmd == NETDEV_CMD_DEV_GET) {
		d = fnl_dev(f, (int)au32(t.a[NETDEV_A_DEV_IFINDEX]));
		if (!d) {
			err = -ENODEV;
		} else {
			start = msg_begin(o, f->netdev_family, 0, nh->nlmsg_seq, 0, &rg, sizeof(rg));
			attr_u32(o, NETDEV_A_DEV_IFINDEX, (uint32_t)d->ifindex);
			attr(o, NETDEV_A_DEV_XDP_FEATURES, &d->xdp_features, 8);
			msg_end(o, start);
			flush(s, o);
		}
	} else {
		err = -EOPNOTSUPP;
	}
	free(o);
	return err;
}

/* ---- the socket hooks ---- */

static struct fnl_sock *sock_of(struct fake_nl *f, int fd)
{
	size_t i;

	for (i = 0; i < FNL_SOCKS; i++)
		if (f->socks[i].used && f->socks[i].fd == fd)
			return &f->socks[i];
	return NULL;
}

static void drop_queue(struct fnl_sock *s)
{
	while (s->cnt) {
		free(s->q[s->head].buf);
		s->head = (s->head + 1) % FNL_QUEUE;
		s->cnt--;
	}
}

static long n_socket(void *ctx, int domain, int type, int protocol)
{
	struct fake_nl *f = ctx;
	long fd;
	size_t i;

	if (domain != AF_NETLINK)
		return f->inner.socket(f->inner.ctx, domain, type, protocol);
	if (protocol != NETLINK_ROUTE && protocol != NETLINK_GENERIC)
		return -EPROTONOSUPPORT;
	for (i = 0; i < FNL_SOCKS && f->socks[i].used; i++)
		;
	if (i == FNL_SOCKS)
		return -EMFILE;
	fd = f->inner.socket(f->inner.ctx, domain, type, protocol);
	if (fd < 0)
		return fd;
	memset(&f->socks[i], 0, sizeof(f->socks[i]));
	f->socks[i].used = true;
	f->socks[i].fd = (int)fd;
	f->socks[i].proto = protocol;
	return fd;
}

static long n_dup(void *ctx, int fd)
{
	struct fake_nl *f = ctx;
	long nfd = f->inner.dup(f->inner.ctx, fd);
	size_t i;

	if (nfd < 0)
		return nfd;
	for (i = 0; i < FNL_ALIASES && f->alias[i].fd > 0; i++)
		;
	if (i < FNL_ALIASES) {
		f->alias[i].root = root_of(f, fd);
		f->alias[i].fd = (int)nfd;
	}
	return nfd;
}

static long n_close(void *ctx, int fd)
{
	struct fake_nl *f = ctx;
	struct fnl_sock *s = sock_of(f, fd);
	size_t i;

	for (i = 0; i < FNL_ALIASES; i++)
		if (f->alias[i].fd == fd)
			f->alias[i].fd = 0;
	if (s) {
		drop_queue(s);
		s->used = false;
	}
	return f->inner.close(f->inner.ctx, fd);
}

static long n_bind(void *ctx, int fd, const struct sockaddr *addr, unsigned int addr_len)
{
	struct fake_nl *f = ctx;
	struct fnl_sock *s = sock_of(f, fd);

	if (!s)
		return f->inner.bind(f->inner.ctx, fd, addr, addr_len);
	if (addr_len < sizeof(struct sockaddr_nl) || addr->sa_family != AF_NETLINK)
		return -EINVAL;
	s->bound = true;
	return 0;
}

static long n_setsockopt(void *ctx, int fd, int level, int name, const void *val,
			 unsigned int len)
{
	struct fake_nl *f = ctx;
	struct fnl_sock *s = sock_of(f, fd);
	int v;

	if (!s) {
		f->sockopt_cnt++;
		f->sockopt.fd = fd;
		f->sockopt.level = level;
		f->sockopt.name = name;
		f->sockopt.len = len;
		f->sockopt.null = !val;
		f->sockopt.val = 0;
		if (val && len >= sizeof(int))
			memcpy(&f->sockopt.val, val, sizeof(int));
		return f->inner.setsockopt(f->inner.ctx, fd, level, name, val, len);
	}
	if (level != SOL_NETLINK || len < sizeof(int))
		return -ENOPROTOOPT;
	memcpy(&v, val, sizeof(v));
	if (name == NETLINK_EXT_ACK)
		s->ext_ack = v;
	else if (name == NETLINK_CAP_ACK)
		s->cap_ack = v;
	else
		return -ENOPROTOOPT;
	return 0;
}

static long n_sendto(void *ctx, int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *addr, unsigned int addr_len)
{
	struct fake_nl *f = ctx;
	struct fnl_sock *s = sock_of(f, fd);
	const struct nlmsghdr *nh = buf;
	const struct sockaddr_nl *sa = (const void *)addr;
	const char *msg = NULL;
	struct fnl_req *r;
	int err;

	if (!s)
		return f->inner.sendto(f->inner.ctx, fd, buf, len, flags, addr, addr_len);
	if (addr && (addr_len < sizeof(*sa) || sa->nl_family != AF_NETLINK || sa->nl_pid))
		return -EINVAL;	/* only the kernel is spoken to */
	if (len < NLMSG_HDRLEN || nh->nlmsg_len != len || !(nh->nlmsg_flags & NLM_F_REQUEST))
		return -EINVAL;
	if (f->hist_cnt < FNL_HIST) {
		r = &f->hist[f->hist_cnt];
		r->proto = s->proto;
		r->len = len < FNL_REQ_MAX ? len : FNL_REQ_MAX;
		memcpy(r->buf, buf, r->len);
	}
	f->hist_cnt++;
	if (f->stale_replies > 0) {
		struct nlmsghdr old = *nh;

		f->stale_replies--;
		old.nlmsg_seq -= 1;
		old.nlmsg_flags |= NLM_F_ACK;
		ack(s, &old, -EIO, "stale");	/* an answer to an earlier request */
	}
	if (f->garbage_reply) {
		uint32_t bad[2] = { 100, 0 };	/* claims 100 bytes, has 8 */

		f->garbage_reply = false;
		enqueue(s, bad, sizeof(bad));
		return (long)len;
	}
	if (s->proto == NETLINK_GENERIC)
		err = genl(f, s, nh);
	else if (nh->nlmsg_type == RTM_SETLINK)
		err = setlink(f, nh, &msg);
	else if (nh->nlmsg_type == RTM_GETLINK)
		err = getlink(f, s, nh);
	else if (nh->nlmsg_type == RTM_NEWQDISC || nh->nlmsg_type == RTM_DELQDISC ||
		 nh->nlmsg_type == RTM_GETQDISC)
		err = qdisc(f, s, nh, &msg);
	else if (nh->nlmsg_type == RTM_NEWTFILTER || nh->nlmsg_type == RTM_DELTFILTER ||
		 nh->nlmsg_type == RTM_GETTFILTER)
		err = tfilter(f, s, nh, &msg);
	else
		err = -EOPNOTSUPP;
	if (err != 1)	/* 1: a dump, answered with NLMSG_DONE */
		ack(s, nh, err, msg);
	return (long)len;
}

static long n_recvfrom(void *ctx, int fd, void *buf, size_t len, int flags,
		       struct sockaddr *addr, unsigned int *addr_len)
{
	struct fake_nl *f = ctx;
	struct fnl_sock *s = sock_of(f, fd);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct fnl_dgram *d;
	size_t n;

	if (!s)
		return f->inner.recvfrom(f->inner.ctx, fd, buf, len, flags, addr, addr_len);
	if (!s->cnt)
		return -EAGAIN;	/* a blocking socket with nothing coming: would hang */
	d = &s->q[s->head];
	n = d->len < len ? d->len : len;
	memcpy(buf, d->buf, n);
	if (addr && addr_len) {
		memcpy(addr, &sa, *addr_len < sizeof(sa) ? *addr_len : sizeof(sa));
		*addr_len = sizeof(sa);
	}
	if (!(flags & MSG_PEEK)) {
		free(d->buf);
		s->head = (s->head + 1) % FNL_QUEUE;
		s->cnt--;
	}
	return (long)((flags & MSG_TRUNC) ? d->len : n);
}

/* ---- every other hook, passed to the inner table with its own context ---- */

static long p_bpf(void *ctx, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct fake_nl *f = ctx;

	return f->inner.bpf(f->inner.ctx, cmd, attr, size);
}

static long p_perf_event_open(void *ctx, struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, unsigned long flags)
{
	struct fake_nl *f = ctx;

	return f->inner.perf_event_open(f->inner.ctx, attr, pid, cpu, group_fd, flags);
}

static long p_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	struct fake_nl *f = ctx;

	return f->inner.ioctl(f->inner.ctx, fd, request, arg);
}

static long p_open(void *ctx, const char *path, int flags, unsigned int mode)
{
	struct fake_nl *f = ctx;

	return f->inner.open(f->inner.ctx, path, flags, mode);
}

static long p_read(void *ctx, int fd, void *buf, size_t len)
{
	struct fake_nl *f = ctx;

	return f->inner.read(f->inner.ctx, fd, buf, len);
}

static long p_write(void *ctx, int fd, const void *buf, size_t len)
{
	struct fake_nl *f = ctx;

	return f->inner.write(f->inner.ctx, fd, buf, len);
}

static long p_mmap(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off, void **out)
{
	struct fake_nl *f = ctx;

	return f->inner.mmap(f->inner.ctx, addr, len, prot, flags, fd, off, out);
}

static long p_munmap(void *ctx, void *addr, size_t len)
{
	struct fake_nl *f = ctx;

	return f->inner.munmap(f->inner.ctx, addr, len);
}

static long p_mkdir(void *ctx, const char *path, unsigned int mode)
{
	struct fake_nl *f = ctx;

	return f->inner.mkdir(f->inner.ctx, path, mode);
}

static long p_unlink(void *ctx, const char *path)
{
	struct fake_nl *f = ctx;

	return f->inner.unlink(f->inner.ctx, path);
}

static long p_rmdir(void *ctx, const char *path)
{
	struct fake_nl *f = ctx;

	return f->inner.rmdir(f->inner.ctx, path);
}

static long p_statfs(void *ctx, const char *path, long *fs_type)
{
	struct fake_nl *f = ctx;

	return f->inner.statfs(f->inner.ctx, path, fs_type);
}

static long p_mount(void *ctx, const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)
{
	struct fake_nl *f = ctx;

	return f->inner.mount(f->inner.ctx, source, target, fstype, flags, data);
}

static long p_getrlimit(void *ctx, int resource, struct rlimit *rlim)
{
	struct fake_nl *f = ctx;

	return f->inner.getrlimit(f->inner.ctx, resource, rlim);
}

static long p_setrlimit(void *ctx, int resource, const struct rlimit *rlim)
{
	struct fake_nl *f = ctx;

	return f->inner.setrlimit(f->inner.ctx, resource, rlim);
}

static long p_uname(void *ctx, struct utsname *buf)
{
	struct fake_nl *f = ctx;

	return f->inner.uname(f->inner.ctx, buf);
}

static long p_statx(void *ctx, int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
{
	struct fake_nl *f = ctx;

	return f->inner.statx(f->inner.ctx, dirfd, path, flags, mask, buf);
}

static long p_pread(void *ctx, int fd, void *buf, size_t len, uint64_t off)
{
	struct fake_nl *f = ctx;

	return f->inner.pread(f->inner.ctx, fd, buf, len, off);
}

static long p_readlink(void *ctx, const char *path, char *buf, size_t len)
{
	struct fake_nl *f = ctx;

	return f->inner.readlink(f->inner.ctx, path, buf, len);
}

static long p_getdents64(void *ctx, int fd, void *buf, size_t len)
{
	struct fake_nl *f = ctx;

	return f->inner.getdents64(f->inner.ctx, fd, buf, len);
}

static long p_getpid(void *ctx)
{
	struct fake_nl *f = ctx;

	return f->inner.getpid(f->inner.ctx);
}

static long p_page_size(void *ctx)
{
	struct fake_nl *f = ctx;

	return f->inner.page_size(f->inner.ctx);
}

static long p_clock_gettime(void *ctx, int clock, struct timespec *ts)
{
	struct fake_nl *f = ctx;

	return f->inner.clock_gettime(f->inner.ctx, clock, ts);
}

static long p_epoll_create(void *ctx)
{
	struct fake_nl *f = ctx;

	return f->inner.epoll_create(f->inner.ctx);
}

static long p_epoll_ctl(void *ctx, int epfd, int op, int fd, struct epoll_event *ev)
{
	struct fake_nl *f = ctx;

	return f->inner.epoll_ctl(f->inner.ctx, epfd, op, fd, ev);
}

static long p_epoll_wait(void *ctx, int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
	struct fake_nl *f = ctx;

	return f->inner.epoll_wait(f->inner.ctx, epfd, evs, max, timeout_ms);
}

static long p_getsockopt(void *ctx, int fd, int level, int name, void *val, unsigned int *len)
{
	struct fake_nl *f = ctx;

	return f->inner.getsockopt(f->inner.ctx, fd, level, name, val, len);
}

struct bbpf_sys fnl_init(struct fake_nl *f, const struct bbpf_sys *inner)
{
	struct bbpf_sys t = *inner;

	memset(f, 0, sizeof(*f));
	f->inner = *inner;
	t.ctx = f;
	/* one context for the table: every hook needs a function of ours */
	t.bpf = p_bpf;
	t.perf_event_open = p_perf_event_open;
	t.ioctl = p_ioctl;
	t.open = p_open;
	t.read = p_read;
	t.write = p_write;
	t.mmap = p_mmap;
	t.munmap = p_munmap;
	t.mkdir = p_mkdir;
	t.unlink = p_unlink;
	t.rmdir = p_rmdir;
	t.statfs = p_statfs;
	t.mount = p_mount;
	t.getrlimit = p_getrlimit;
	t.setrlimit = p_setrlimit;
	t.uname = p_uname;
	t.statx = p_statx;
	t.pread = p_pread;
	t.readlink = p_readlink;
	t.getdents64 = p_getdents64;
	t.getpid = p_getpid;
	t.page_size = p_page_size;
	t.clock_gettime = p_clock_gettime;
	t.epoll_create = p_epoll_create;
	t.epoll_ctl = p_epoll_ctl;
	t.epoll_wait = p_epoll_wait;
	t.getsockopt = p_getsockopt;
	t.socket = n_socket;
	t.dup = n_dup;
	t.close = n_close;
	t.bind = n_bind;
	t.setsockopt = n_setsockopt;
	t.sendto = n_sendto;
	t.recvfrom = n_recvfrom;
	return t;
}

void fnl_fini(struct fake_nl *f)
{
	size_t i;

	for (i = 0; i < FNL_SOCKS; i++)
		if (f->socks[i].used)
			drop_queue(&f->socks[i]);
}

struct fnl_dev *fnl_add_dev(struct fake_nl *f, int ifindex, const char *name, bool native)
{
	struct fnl_dev *d;

	if (f->dev_cnt == FNL_DEVS)
		return NULL;
	d = &f->devs[f->dev_cnt++];
	memset(d, 0, sizeof(*d));
	d->ifindex = ifindex;
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->native = native;
	return d;
}

size_t fnl_open_socks(const struct fake_nl *f)
{
	size_t i, n = 0;

	for (i = 0; i < FNL_SOCKS; i++)
		n += f->socks[i].used;
	return n;
}

size_t fnl_filter_cnt(const struct fake_nl *f, int ifindex, uint32_t parent)
{
	size_t i, n = 0;

	for (i = 0; i < FNL_FILTERS; i++)
		n += f->filters[i].used && f->filters[i].ifindex == ifindex &&
		     (!parent || f->filters[i].parent == parent);
	return n;
}

size_t fnl_pending(const struct fake_nl *f)
{
	size_t i, n = 0;

	for (i = 0; i < FNL_SOCKS; i++)
		if (f->socks[i].used)
			n += f->socks[i].cnt;
	return n;
}

const struct fnl_req *fnl_req(const struct fake_nl *f, size_t n)
{
	return n < f->hist_cnt && n < FNL_HIST ? &f->hist[n] : NULL;
}

uint16_t fnl_req_type(const struct fnl_req *r)
{
	return ((const struct nlmsghdr *)r->buf)->nlmsg_type;
}

uint16_t fnl_req_flags(const struct fnl_req *r)
{
	return ((const struct nlmsghdr *)r->buf)->nlmsg_flags;
}

void fnl_req_hdr(const struct fnl_req *r, void *hdr, size_t len)
{
	memset(hdr, 0, len);
	if (r->len >= NLMSG_HDRLEN + len)
		memcpy(hdr, r->buf + NLMSG_HDRLEN, len);
}

const void *fnl_req_attr(const struct fnl_req *r, size_t hdr_len, const uint16_t *path,
			 size_t depth, uint16_t *len)
{
	const uint8_t *p = r->buf + NLMSG_HDRLEN + NLMSG_ALIGN(hdr_len);
	size_t n = r->len - NLMSG_HDRLEN - NLMSG_ALIGN(hdr_len), i;
	struct attrs t;

	if (r->len < NLMSG_HDRLEN + NLMSG_ALIGN(hdr_len))
		return NULL;
	for (i = 0; i < depth; i++) {
		parse(p, n, &t);
		if (path[i] >= 64 || !t.a[path[i]])
			return NULL;
		p = adata(t.a[path[i]]);
		n = alen(t.a[path[i]]);
	}
	*len = (uint16_t)n;
	return p;
}
