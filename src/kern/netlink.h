/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtnetlink and generic netlink for the network attach kinds: XDP on a
 * device (RTM_SETLINK/RTM_GETLINK with IFLA_XDP), the clsact qdisc and
 * cls_bpf filters (RTM_*QDISC, RTM_*TFILTER), and the netdev family's XDP
 * features. One request at a time on a private socket: the request asks
 * for an ack (a dump ends with NLMSG_DONE); replies of other sequence
 * numbers or from anyone but the kernel are skipped, errors carry the
 * kernel's extended-ack text. Sockets go through the syscall table
 * (socket/bind/sendto/recvfrom); replies are parsed by src/parse/nlmsg.c.
 * Nothing here logs: the text of the last error is left in nl->ext.
 */
#ifndef BBPF_KERN_NETLINK_H
#define BBPF_KERN_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <barebpf/alloc.h>
#include <barebpf/sys.h>

#define BBPF_NL_EXT_MAX 128

struct bbpf_nl {
	const struct bbpf_sys *sys;
	struct bbpf_alloc alloc;
	int fd;
	uint32_t seq;
	/*
	 * The receive buffer: first inbuf (replies to requests like ours fit:
	 * the kernel sizes dump datagrams to about a page), then, for a larger
	 * datagram, one from alloc. So a request's answer can always be read
	 * without allocating, also while undoing.
	 */
	uint8_t *buf;
	size_t cap;
	uint8_t inbuf[8192];
	/*
	 * The last request reached the kernel (sent) and its final answer was
	 * read (answered): sent && !answered after a failure means the answer
	 * was lost and whether the request took effect is unknown.
	 */
	bool sent, answered;
	char ext[BBPF_NL_EXT_MAX];	/* extended ack of the last error, "no message" */
};

/* A new socket of protocol (NETLINK_ROUTE, NETLINK_GENERIC), bound. */
int bbpf_netlink_open(struct bbpf_nl *nl, const struct bbpf_sys *sys,
		      const struct bbpf_alloc *alloc, int protocol);
/*
 * An open socket someone else owns (a link's): bbpf_netlink_close() leaves
 * it open. Requests are numbered from seq_base + 1: give each user of one
 * socket its own range, so that none takes another's unread answers.
 */
void bbpf_netlink_wrap(struct bbpf_nl *nl, const struct bbpf_sys *sys,
		       const struct bbpf_alloc *alloc, int fd, uint32_t seq_base);
/* Free the buffer and, if bbpf_netlink_open() made it, close the socket. */
void bbpf_netlink_close(struct bbpf_nl *nl, bool close_fd);

/* ---- XDP ---- */

/* RTM_SETLINK, IFLA_XDP {FD, FLAGS (if any), EXPECTED_FD (with XDP_FLAGS_REPLACE)}. */
int bbpf_netlink_xdp_set(struct bbpf_nl *nl, int ifindex, int prog_fd, uint32_t flags,
			 int expected_fd);

struct bbpf_nl_xdp {
	uint32_t prog_id, drv_prog_id, hw_prog_id, skb_prog_id;
	uint8_t attach_mode;	/* XDP_ATTACHED_* */
};
/* RTM_GETLINK of one device: its IFLA_XDP. -ENODEV if there is no such device. */
int bbpf_netlink_xdp_get(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_xdp *out);
/* The program id attached in the mode flags name (XDP_FLAGS_*_MODE, or none: the only one). */
uint32_t bbpf_netlink_xdp_mode_id(const struct bbpf_nl_xdp *x, uint32_t flags);

/* A device of a link dump: its name (IFLA_IFNAME, NULL if none) and XDP state. */
struct bbpf_nl_link {
	int ifindex;
	const char *name;
	struct bbpf_nl_xdp xdp;
};
/* RTM_GETLINK dump: each device, in the kernel's order; fn's negative result stops it. */
typedef int (*bbpf_nl_link_fn)(void *arg, const struct bbpf_nl_link *l);
int bbpf_netlink_link_dump(struct bbpf_nl *nl, bbpf_nl_link_fn fn, void *arg);

/*
 * NETLINK_GENERIC socket: the "netdev" family's NETDEV_A_DEV_XDP_FEATURES
 * of the device. -EOPNOTSUPP if the kernel has no such family (before 6.3).
 */
int bbpf_netlink_xdp_features(struct bbpf_nl *nl, int ifindex, uint64_t *features);

/* ---- tc: the clsact qdisc and cls_bpf filters ---- */

/* RTM_NEWQDISC clsact (NLM_F_CREATE | NLM_F_EXCL) or RTM_DELQDISC clsact. */
int bbpf_netlink_clsact(struct bbpf_nl *nl, int ifindex, bool add);
/*
 * Each qdisc (classes: each class) of the device, from a dump: its handle
 * and TCA_KIND (NULL if none); fn's negative result stops the walk.
 */
typedef int (*bbpf_nl_qdisc_fn)(void *arg, uint32_t handle, const char *kind);
int bbpf_netlink_qdisc_dump(struct bbpf_nl *nl, int ifindex, bool classes, bbpf_nl_qdisc_fn fn,
			    void *arg);
/* 1 if the device has a clsact qdisc, 0 if not (a dump of its qdiscs). */
int bbpf_netlink_has_clsact(struct bbpf_nl *nl, int ifindex);

struct bbpf_nl_filter {
	uint32_t parent;	/* TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), ... */
	uint32_t handle;
	uint32_t prio;		/* 1..65535; 0 in a request: the kernel picks */
	/* add: the program, and TCA_BPF_NAME ("name:[id]", libbpf's); replies: its id */
	int prog_fd;
	const char *name;
	uint32_t prog_id;
	const char *kind;	/* dumps: TCA_KIND ("bpf", "u32", ...) */
};

/*
 * RTM_NEWTFILTER "bpf", direct action, ETH_P_ALL, NLM_F_CREATE | NLM_F_ECHO
 * and NLM_F_REPLACE or NLM_F_EXCL; the echo fills f's handle, prio and
 * prog_id (-ENOENT if the kernel sent none).
 */
int bbpf_netlink_filter_add(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_filter *f,
			    bool replace);
/* RTM_DELTFILTER of (handle, prio) on parent; both 0: every filter on parent. */
int bbpf_netlink_filter_del(struct bbpf_nl *nl, int ifindex, uint32_t parent, uint32_t handle,
			    uint32_t prio);
/* RTM_GETTFILTER of f's (parent, handle, prio): f->prog_id (-ENOENT if not a bpf filter). */
int bbpf_netlink_filter_get(struct bbpf_nl *nl, int ifindex, struct bbpf_nl_filter *f);

/* Each filter on parent (every kind); fn's negative result stops the walk and is returned. */
typedef int (*bbpf_nl_filter_fn)(void *arg, const struct bbpf_nl_filter *f);
int bbpf_netlink_filter_dump(struct bbpf_nl *nl, int ifindex, uint32_t parent,
			     bbpf_nl_filter_fn fn, void *arg);

#endif
