/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtnetlink and generic netlink requests for XDP and tc (see netlink.h).
 * Requests are built in a fixed buffer; replies are read into a buffer
 * sized by a MSG_PEEK | MSG_TRUNC look at the next datagram and parsed with
 * the bounds-checked src/parse/nlmsg.c.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "netlink.h"
#include "../base/fmt.h"
#include "../parse/nlmsg.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
/* <linux/netdev.h> (6.3+), not in Debian 12's headers */
#define NETDEV_CMD_DEV_GET		1
#define NETDEV_A_DEV_IFINDEX		1
#define NETDEV_A_DEV_XDP_FEATURES	3

#define REQ_MAX		512		/* the largest request: a filter with its name */
#define RECV_MAX	(1u << 20)	/* a datagram larger than this is refused */
#define DATAGRAMS_MAX	(1u << 16)	/* per request: bounds a reply that never ends */
#define RETRIES_MAX	64		/* EINTR/EAGAIN in a row */

struct req {
	union {
		struct nlmsghdr nh;
		uint8_t buf[REQ_MAX];
		uint32_t align;
	};
	uint32_t len;
	int err;	/* sticky -EMSGSIZE */
	/*
	 * A dump (NLM_F_DUMP, answered up to NLMSG_DONE), else a request
	 * answered by an ack. Not read from the flags: NLM_F_DUMP's bits are
	 * NLM_F_REPLACE and NLM_F_EXCL in a NEW request.
	 */
	bool dump;
};

static void req_init(struct req *r, uint16_t type, uint16_t flags, const void *hdr, size_t hdr_len)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->dump = type % 4 == 2 && (flags & NLM_F_DUMP) == NLM_F_DUMP;	/* RTM_GET* */
	memcpy(r->buf + NLMSG_HDRLEN, hdr, hdr_len);
	r->len = NLMSG_HDRLEN + NLMSG_ALIGN(hdr_len);
}

static void *req_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };
	uint8_t *p;

	if (r->err || len > REQ_MAX || r->len + NLA_HDRLEN + NLA_ALIGN(len) > REQ_MAX) {
		r->err = -EMSGSIZE;
		return NULL;
	}
	p = r->buf + r->len;
	memcpy(p, &a, sizeof(a));
	if (len)
		memcpy(p + NLA_HDRLEN, data, len);
	r->len += NLA_HDRLEN + NLA_ALIGN(len);
	return p;
}

static void req_u32(struct req *r, uint16_t type, uint32_t v)
{
	req_attr(r, type, &v, sizeof(v));
}

static void req_str(struct req *r, uint16_t type, const char *s)
{
	req_attr(r, type, s, strlen(s) + 1);
}

/* A nested attribute: begin returns its offset, end fixes its length. */
static uint32_t req_nest(struct req *r, uint16_t type)
{
	uint32_t off = r->len;

	req_attr(r, type | NLA_F_NESTED, NULL, 0);
	return off;
}

static void req_nest_end(struct req *r, uint32_t off)
{
	uint16_t len = (uint16_t)(r->len - off);

	if (!r->err)
		memcpy(r->buf + off, &len, sizeof(len));
}

/* ---- socket ---- */

/* nl->ext until the kernel says more (what the messages print then) */
#define NO_EXT "no message"

int bbpf_netlink_open(struct bbpf_nl *nl, const struct bbpf_sys *sys,
		      const struct bbpf_alloc *alloc, int protocol)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;
	long fd, err;

	bbpf_netlink_wrap(nl, sys, alloc, -1, 0);
	fd = sys->socket(sys->ctx, AF_NETLINK, SOCK_RAW, protocol);
	if (fd < 0)
		return (int)fd;
	nl->fd = (int)fd;
	/* Error texts and capped acks are a nicety: older kernels lack them. */
	sys->setsockopt(sys->ctx, nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	sys->setsockopt(sys->ctx, nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	err = sys->bind(sys->ctx, nl->fd, (const struct sockaddr *)&sa, sizeof(sa));
	if (err) {
		sys->close(sys->ctx, nl->fd);
		nl->fd = -1;
		return (int)err;
	}
	return 0;
}

void bbpf_netlink_wrap(struct bbpf_nl *nl, const struct bbpf_sys *sys,
		       const struct bbpf_alloc *alloc, int fd, uint32_t seq_base)
{
	memset(nl, 0, sizeof(*nl));
	nl->sys = sys;
	nl->alloc = *alloc;
	nl->buf = nl->inbuf;
	nl->cap = sizeof(nl->inbuf);
	nl->fd = fd;
	nl->seq = seq_base;
	memcpy(nl->ext, NO_EXT, sizeof(NO_EXT));
}

void bbpf_netlink_close(struct bbpf_nl *nl, bool close_fd)
{
	if (nl->buf && nl->buf != nl->inbuf)
		nl->alloc.resize(nl->alloc.ctx, nl->buf, nl->cap, 0);
	nl->buf = nl->inbuf;
	nl->cap = sizeof(nl->inbuf);
	if (close_fd && nl->fd >= 0)
		nl->sys->close(nl->sys->ctx, nl->fd);
	nl->fd = -1;
}

static int grow(struct bbpf_nl *nl, size_t need)
{
	bool heap = nl->buf != nl->inbuf;
	uint8_t *n;

	if (need <= nl->cap)
		return 0;
	n = nl->alloc.resize(nl->alloc.ctx, heap ? nl->buf : NULL, heap ? nl->cap : 0, need);
	if (!n)
		return -ENOMEM;
	nl->buf = n;
	nl->cap = need;
	return 0;
}

/* One datagram into nl->buf: its length, or -errno. *from_kernel: the sender is the kernel. */
static long recv_one(struct bbpf_nl *nl, bool *from_kernel)
{
	const struct bbpf_sys *sys = nl->sys;
	struct sockaddr_nl sa;
	unsigned int sa_len;
	long n = -EAGAIN;
	int i, err;

	for (i = 0; i < RETRIES_MAX && (n == -EINTR || n == -EAGAIN); i++)
		n = sys->recvfrom(sys->ctx, nl->fd, nl->buf, nl->cap, MSG_PEEK | MSG_TRUNC, NULL,
				  NULL);
	if (n < 0)
		return n;
	if ((size_t)n > RECV_MAX)
		return -EMSGSIZE;
	err = grow(nl, (size_t)n);
	if (err)
		return err;
	n = -EAGAIN;
	for (i = 0; i < RETRIES_MAX && (n == -EINTR || n == -EAGAIN); i++) {
		sa_len = sizeof(sa);
		memset(&sa, 0, sizeof(sa));
		n = sys->recvfrom(sys->ctx, nl->fd, nl->buf, nl->cap, 0, (struct sockaddr *)&sa,
				  &sa_len);
	}
	if (n < 0)
		return n;
	if ((size_t)n > nl->cap)
		return -EMSGSIZE;	/* grew between the peek and the read: cannot happen */
	*from_kernel = sa_len >= sizeof(sa) && sa.nl_family == AF_NETLINK && sa.nl_pid == 0;
	return n;
}

typedef int (*msg_fn)(void *arg, const struct bbpf_nlmsg *msg);

/*
 * Send r and read the answer: each reply message of r's sequence number to
 * fn, until the ack (NLMSG_ERROR) or, for a dump, NLMSG_DONE.
 */
static int talk(struct bbpf_nl *nl, struct req *r, msg_fn fn, void *arg)
{
	const struct bbpf_sys *sys = nl->sys;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	bool from_kernel = false;
	struct bbpf_nlmsg m;
	const char *ext;
	uint32_t seq, i;
	size_t off;
	long n;
	int ret, err;

	nl->sent = nl->answered = false;
	memcpy(nl->ext, NO_EXT, sizeof(NO_EXT));
	if (r->err)
		return r->err;
	if (!r->dump)
		r->nh.nlmsg_flags |= NLM_F_ACK;
	seq = ++nl->seq;
	r->nh.nlmsg_seq = seq;
	r->nh.nlmsg_len = r->len;
	n = sys->sendto(sys->ctx, nl->fd, r->buf, r->len, 0, (const struct sockaddr *)&kernel,
			sizeof(kernel));
	if (n < 0)
		return (int)n;
	if ((size_t)n != r->len)
		return -EIO;
	nl->sent = true;
	for (i = 0; i < DATAGRAMS_MAX; i++) {
		n = recv_one(nl, &from_kernel);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EIO;
		if (!from_kernel)
			continue;
		off = 0;
		while ((ret = bbpf_nlmsg_next(nl->buf, (size_t)n, &off, &m)) > 0) {
			if (m.seq != seq)
				continue;	/* an answer to an earlier request */
			switch (m.type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				return -EOVERFLOW;
			case NLMSG_ERROR:
				if (bbpf_nlmsg_error(&m, &err, &ext))
					return -EBADMSG;
				nl->answered = true;
				if (ext && ext[0])
					bbpf_snprintf(nl->ext, sizeof(nl->ext), "%s", ext);
				return err;
			case NLMSG_DONE:
				nl->answered = true;
				/* a dump that failed part way says so here (an int after the header) */
				if (m.data_len >= sizeof(int)) {
					memcpy(&err, m.data, sizeof(err));
					if (err < 0 && err >= -4095)
						return err;
				}
				return 0;
			default:
				break;
			}
			if (fn) {
				err = fn(arg, &m);
				if (err < 0)
					return err;
			}
		}
		if (ret < 0)
			return ret;
	}
	return -E2BIG;
}

/* ---- XDP ---- */

int bbpf_netlink_xdp_set(struct bbpf_nl *nl, int ifindex, int prog_fd, uint32_t flags,
			 int expected_fd)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct req r;
	uint32_t nest;

	req_init(&r, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	nest = req_nest(&r, IFLA_XDP);
	req_u32(&r, IFLA_XDP_FD, (uint32_t)prog_fd);
	if (flags)
		req_u32(&r, IFLA_XDP_FLAGS, flags);
	if (flags & XDP_FLAGS_REPLACE)
		req_u32(&r, IFLA_XDP_EXPECTED_FD, (uint32_t)expected_fd);
	req_nest_end(&r, nest);
	return talk(nl, &r, NULL, NULL);
}

/* A link message into l (name and XDP state): 1, 0 if it is not one, -EBADMSG. */
static int parse_link(const struct bbpf_nlmsg *m, struct bbpf_nl_link *l)
{
	struct bbpf_nlmsg_link d;
	int ret = bbpf_nlmsg_link(m, &d);

	l->ifindex = d.ifindex;
	l->name = d.name;
	l->xdp = (struct bbpf_nl_xdp){ .prog_id = d.xdp_id, .drv_prog_id = d.drv_id,
				       .hw_prog_id = d.hw_id, .skb_prog_id = d.skb_id,
				       .attach_mode = d.xdp_mode };
	return ret;
}

struct xdp_get {
	int ifindex;
	struct bbpf_nl_xdp *out;
	bool seen;
};

static int on_link(void *arg, const struct bbpf_nlmsg *m)
{
	struct xdp_get *g = arg;
	struct bbpf_nl_link l;
	int ret = parse_link(m, &l);

	if (ret <= 0 || l.ifindex != g->ifindex)
		return ret;
	g->seen = true;
	*g->out = l.xdp;
	return 0;
}

int bbpf_netlink_xdp_get(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_xdp *out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct xdp_get g = { .ifindex = ifindex, .out = out };
	struct req r;
	int err;

	memset(out, 0, sizeof(*out));
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	err = talk(nl, &r, on_link, &g);
	if (!err && !g.seen)
		err = -ENODEV;
	return err;
}

struct link_walk {
	bbpf_nl_link_fn fn;
	void *arg;
};

static int on_link_dump(void *arg, const struct bbpf_nlmsg *m)
{
	struct link_walk *w = arg;
	struct bbpf_nl_link l;
	int ret = parse_link(m, &l);

	return ret <= 0 ? ret : w->fn(w->arg, &l);
}

int bbpf_netlink_link_dump(struct bbpf_nl *nl, bbpf_nl_link_fn fn, void *arg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_PACKET };
	struct link_walk w = { .fn = fn, .arg = arg };
	struct req r;

	req_init(&r, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi));
	return talk(nl, &r, on_link_dump, &w);
}

uint32_t bbpf_netlink_xdp_mode_id(const struct bbpf_nl_xdp *x, uint32_t flags)
{
	flags &= XDP_FLAGS_MODES;
	if (!flags && x->attach_mode != XDP_ATTACHED_MULTI)
		return x->prog_id;
	if (flags & XDP_FLAGS_DRV_MODE)
		return x->drv_prog_id;
	if (flags & XDP_FLAGS_HW_MODE)
		return x->hw_prog_id;
	if (flags & XDP_FLAGS_SKB_MODE)
		return x->skb_prog_id;
	return 0;
}

struct genl_get {
	uint16_t attr;		/* CTRL_ATTR_FAMILY_ID or NETDEV_A_DEV_XDP_FEATURES */
	int ifindex;		/* for the netdev reply */
	uint64_t val;
	bool seen;
};

static int on_genl(void *arg, const struct bbpf_nlmsg *m)
{
	struct bbpf_nlattr tb[NETDEV_A_DEV_XDP_FEATURES + 1];
	struct genl_get *g = arg;
	uint32_t ifindex;
	uint16_t id;

	if (bbpf_nlmsg_attrs(m, GENL_HDRLEN, tb, NETDEV_A_DEV_XDP_FEATURES))
		return -EBADMSG;
	if (g->attr == CTRL_ATTR_FAMILY_ID) {
		if (!bbpf_nlattr_u16(&tb[CTRL_ATTR_FAMILY_ID], &id))
			return 0;
		g->val = id;
	} else {
		if (!bbpf_nlattr_u32(&tb[NETDEV_A_DEV_IFINDEX], &ifindex) ||
		    ifindex != (uint32_t)g->ifindex ||
		    !bbpf_nlattr_u64(&tb[NETDEV_A_DEV_XDP_FEATURES], &g->val))
			return 0;
	}
	g->seen = true;
	return 0;
}

int bbpf_netlink_xdp_features(struct bbpf_nl *nl, int ifindex, uint64_t *features)
{
	struct genlmsghdr gh = { .cmd = CTRL_CMD_GETFAMILY, .version = 2 };
	struct genl_get g = { .attr = CTRL_ATTR_FAMILY_ID };
	struct req r;
	int err;

	req_init(&r, GENL_ID_CTRL, 0, &gh, sizeof(gh));
	req_str(&r, CTRL_ATTR_FAMILY_NAME, "netdev");
	err = talk(nl, &r, on_genl, &g);
	if (err == -ENOENT || (!err && !g.seen))
		return -EOPNOTSUPP;	/* no such family */
	if (err)
		return err;
	gh.cmd = NETDEV_CMD_DEV_GET;
	req_init(&r, (uint16_t)g.val, 0, &gh, sizeof(gh));
	req_u32(&r, NETDEV_A_DEV_IFINDEX, (uint32_t)ifindex);
	g = (struct genl_get){ .attr = NETDEV_A_DEV_XDP_FEATURES, .ifindex = ifindex };
	err = talk(nl, &r, on_genl, &g);
	if (err)
		return err;
	if (!g.seen)
		return -EBADMSG;	/* the family answered without the value */
	*features = g.val;
	return 0;
}

/* ---- tc ---- */

int bbpf_netlink_clsact(struct bbpf_nl *nl, int ifindex, bool add)
{
	struct tcmsg tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex,
			    .tcm_parent = TC_H_CLSACT,
			    .tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0) };
	struct req r;

	req_init(&r, add ? RTM_NEWQDISC : RTM_DELQDISC, add ? NLM_F_CREATE | NLM_F_EXCL : 0, &tc,
		 sizeof(tc));
	req_str(&r, TCA_KIND, "clsact");
	return talk(nl, &r, NULL, NULL);
}

struct qdisc_walk {
	int ifindex;
	uint16_t type;		/* RTM_NEWQDISC or RTM_NEWTCLASS */
	bbpf_nl_qdisc_fn fn;
	void *arg;
};

static int on_qdisc(void *arg, const struct bbpf_nlmsg *m)
{
	struct qdisc_walk *w = arg;
	struct bbpf_nlmsg_tc tc;
	int ret = bbpf_nlmsg_tc(m, w->type, &tc);

	/* a qdisc dump lists every device */
	if (ret <= 0 || tc.ifindex != w->ifindex)
		return ret;
	return w->fn(w->arg, tc.handle, tc.kind);
}

int bbpf_netlink_qdisc_dump(struct bbpf_nl *nl, int ifindex, bool classes, bbpf_nl_qdisc_fn fn,
			    void *arg)
{
	struct tcmsg tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex };
	struct qdisc_walk w = { .ifindex = ifindex, .fn = fn, .arg = arg,
				.type = classes ? RTM_NEWTCLASS : RTM_NEWQDISC };
	struct req r;

	req_init(&r, classes ? RTM_GETTCLASS : RTM_GETQDISC, NLM_F_DUMP, &tc, sizeof(tc));
	return talk(nl, &r, on_qdisc, &w);
}

static int on_clsact(void *arg, uint32_t handle, const char *kind)
{
	(void)handle;
	if (kind && !strcmp(kind, "clsact"))
		*(bool *)arg = true;
	return 0;
}

int bbpf_netlink_has_clsact(struct bbpf_nl *nl, int ifindex)
{
	bool found = false;
	int err = bbpf_netlink_qdisc_dump(nl, ifindex, false, on_clsact, &found);

	return err ? err : found;
}

/* tcm_info: the priority and, in network byte order, the protocol (all of them). */
static uint32_t tc_info(uint32_t prio)
{
	const uint8_t be[2] = { (uint8_t)(ETH_P_ALL >> 8), (uint8_t)ETH_P_ALL };
	uint16_t proto;

	memcpy(&proto, be, sizeof(proto));
	return TC_H_MAKE(prio << 16, proto);
}

/* A filter message of the device into f; 0 if it is not one (wrong type or device, too short). */
static int parse_filter(const struct bbpf_nlmsg *m, int ifindex, struct bbpf_nl_filter *f)
{
	struct bbpf_nlmsg_tc tc;
	int ret = bbpf_nlmsg_tc(m, RTM_NEWTFILTER, &tc);

	if (ret <= 0 || tc.ifindex != ifindex)
		return ret;
	memset(f, 0, sizeof(*f));
	f->parent = tc.parent;
	f->handle = tc.handle;
	f->prio = TC_H_MAJ(tc.info) >> 16;
	f->kind = tc.kind;
	f->prog_id = tc.bpf_id;
	f->name = tc.bpf_name;
	return 1;
}

struct filter_one {
	int ifindex;
	struct bbpf_nl_filter *f;
	bool seen;
};

static int on_filter_one(void *arg, const struct bbpf_nlmsg *m)
{
	struct filter_one *o = arg;
	struct bbpf_nl_filter f;
	int ret = parse_filter(m, o->ifindex, &f);

	if (ret <= 0)
		return ret;
	/* a dump with a handle would list more: the one asked for is the first */
	if (o->seen || !f.kind || strcmp(f.kind, "bpf") || !f.prog_id)
		return 0;
	o->f->handle = f.handle;
	o->f->prio = f.prio;
	o->f->prog_id = f.prog_id;
	o->seen = true;
	return 0;
}

/*
 * f's filter (kind "bpf" at its parent, handle and priority): RTM_NEWTFILTER
 * makes it from f's program, name and flags, RTM_GETTFILTER asks for it;
 * the kernel's answer sets f's handle, priority and program id.
 */
static int filter_req(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_filter *f, uint16_t type,
		      uint16_t flags)
{
	struct tcmsg tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex,
			    .tcm_parent = f->parent, .tcm_handle = f->handle,
			    .tcm_info = tc_info(f->prio) };
	struct filter_one o = { .ifindex = ifindex, .f = f };
	struct req r;
	uint32_t nest;
	int err;

	req_init(&r, type, flags, &tc, sizeof(tc));
	req_str(&r, TCA_KIND, "bpf");
	if (type == RTM_NEWTFILTER) {
		nest = req_nest(&r, TCA_OPTIONS);
		req_u32(&r, TCA_BPF_FD, (uint32_t)f->prog_fd);
		if (f->name)
			req_str(&r, TCA_BPF_NAME, f->name);
		req_u32(&r, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
		req_nest_end(&r, nest);
	}
	err = talk(nl, &r, on_filter_one, &o);
	if (!err && !o.seen)
		err = -ENOENT;
	return err;
}

int bbpf_netlink_filter_add(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_filter *f,
			    bool replace)
{
	return filter_req(nl, ifindex, f, RTM_NEWTFILTER,
			  NLM_F_CREATE | NLM_F_ECHO | (replace ? NLM_F_REPLACE : NLM_F_EXCL));
}

int bbpf_netlink_filter_del(struct bbpf_nl *nl, int ifindex, uint32_t parent, uint32_t handle,
			    uint32_t prio)
{
	struct tcmsg tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex, .tcm_parent = parent };
	struct req r;
	bool flush = !handle && !prio;

	if (!flush) {
		tc.tcm_handle = handle;
		tc.tcm_info = tc_info(prio);
	}
	req_init(&r, RTM_DELTFILTER, 0, &tc, sizeof(tc));
	if (!flush)
		req_str(&r, TCA_KIND, "bpf");
	return talk(nl, &r, NULL, NULL);
}

int bbpf_netlink_filter_get(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_filter *f)
{
	return filter_req(nl, ifindex, f, RTM_GETTFILTER, 0);
}

struct filter_walk {
	int ifindex;
	bbpf_nl_filter_fn fn;
	void *arg;
};

static int on_filter_dump(void *arg, const struct bbpf_nlmsg *m)
{
	struct filter_walk *w = arg;
	struct bbpf_nl_filter f;
	int ret = parse_filter(m, w->ifindex, &f);

	if (ret <= 0)
		return ret;
	/* A dump lists each tcf_proto once without a handle (its head): not a filter. */
	if (!f.handle)
		return 0;
	return w->fn(w->arg, &f);
}

int bbpf_netlink_filter_dump(struct bbpf_nl *nl, int ifindex, uint32_t parent,
			     bbpf_nl_filter_fn fn, void *arg)
{
	struct tcmsg tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex, .tcm_parent = parent };
	struct filter_walk w = { .ifindex = ifindex, .fn = fn, .arg = arg };
	struct req r;

	req_init(&r, RTM_GETTFILTER, NLM_F_DUMP, &tc, sizeof(tc));
	return talk(nl, &r, on_filter_dump, &w);
}
