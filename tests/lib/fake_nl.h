/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fake rtnetlink and generic-netlink kernel for tests (names fnl_): a
 * table that answers the socket hooks for AF_NETLINK sockets and passes
 * every other call, and the fds, to an inner table (an fs_script). It
 * models what barebpf's XDP and tc code touches:
 *  - devices with XDP slots (driver, generic, offload), native XDP or not,
 *    the kernel's rules for flags (XDP_FLAGS_UPDATE_IF_NOEXIST -> -EBUSY,
 *    XDP_FLAGS_REPLACE with another program -> -EEXIST, one mode at a time);
 *  - the clsact qdisc and cls_bpf filters on its ingress/egress (automatic
 *    handle and priority as the kernel picks them, NLM_F_EXCL/REPLACE,
 *    NLM_F_ECHO), dumps with a head entry per priority;
 *  - the "netdev" generic family (XDP features), or its absence;
 *  - acks with extended-ack messages (NETLINK_EXT_ACK) and capped
 *    requests (NETLINK_CAP_ACK), multi-part dumps ending in NLMSG_DONE,
 *    recvfrom with MSG_PEEK | MSG_TRUNC.
 * A program fd becomes an id through id_of (default: fd + 1000); a fd
 * made by dup() through this table is the program it copies. Every
 * request is recorded. Written independently of src/parse/nlmsg.c (plain
 * struct access: the requests come from the code under test, the replies
 * from here). No cmocka dependency, no global state.
 */
#ifndef BBPF_TEST_FAKE_NL_H
#define BBPF_TEST_FAKE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <barebpf/sys.h>

#define FNL_SOCKS	16
#define FNL_QUEUE	16
#define FNL_DEVS	8
#define FNL_FILTERS	32
#define FNL_HIST	64
#define FNL_REQ_MAX	1024
#define FNL_ALIASES	32

struct fnl_dgram {
	uint8_t *buf;
	size_t len;
};

struct fnl_sock {
	bool used;
	int fd, proto;
	bool bound, ext_ack, cap_ack;
	struct fnl_dgram q[FNL_QUEUE];
	size_t head, cnt;
};

struct fnl_dev {
	int ifindex;
	char name[16];
	bool native;		/* driver-mode XDP (veth: yes) */
	uint32_t xdp_drv, xdp_skb, xdp_hw;	/* program ids, 0: none */
	bool clsact;
	uint64_t xdp_features;
};

struct fnl_filter {
	bool used;
	int ifindex;
	uint32_t parent, handle, prio, prog_id, flags;
	char name[64];
};

struct fnl_req {
	int proto;
	size_t len;
	uint8_t buf[FNL_REQ_MAX];
};

struct fake_nl {
	struct bbpf_sys inner;
	struct fnl_sock socks[FNL_SOCKS];
	struct fnl_dev devs[FNL_DEVS];
	size_t dev_cnt;
	struct fnl_filter filters[FNL_FILTERS];
	uint16_t netdev_family;		/* its id; 0: no "netdev" family (before 6.3) */
	uint32_t (*id_of)(void *ctx, int fd);
	void *id_ctx;
	struct fnl_req hist[FNL_HIST];	/* the first FNL_HIST requests */
	size_t hist_cnt;		/* all requests */
	struct { int fd, root; } alias[FNL_ALIASES];	/* dup()ed fds: the same program */
	bool no_replace;		/* a kernel before 5.7: XDP_FLAGS_REPLACE is -EINVAL */
	bool garbage_reply;		/* the next answer is a truncated message */
	int stale_replies;		/* answer the next requests with an extra stale datagram first */
	/* the last setsockopt on a socket that is not netlink (socket filters) */
	struct { int fd, level, name, val; unsigned int len; bool null; } sockopt;
	unsigned long sockopt_cnt;
};

/* Zero *f, put it in front of inner and return the table to use. */
struct bbpf_sys fnl_init(struct fake_nl *f, const struct bbpf_sys *inner);
/* Free queued replies (the sockets themselves belong to the inner table). */
void fnl_fini(struct fake_nl *f);
struct fnl_dev *fnl_add_dev(struct fake_nl *f, int ifindex, const char *name, bool native);
struct fnl_dev *fnl_dev(struct fake_nl *f, int ifindex);

/*
 * The id of the program behind fd: dup()s (made through this table) are
 * the program they copy, as in the kernel.
 */
uint32_t fnl_prog_id(struct fake_nl *f, int fd);

/* Netlink sockets open now. */
size_t fnl_open_socks(const struct fake_nl *f);
/* Filters on (ifindex, parent); parent 0: on any. */
size_t fnl_filter_cnt(const struct fake_nl *f, int ifindex, uint32_t parent);
/* Datagrams not read yet, over all sockets. */
size_t fnl_pending(const struct fake_nl *f);

/* ---- for assertions on recorded requests ---- */

/* The request n (0-based), NULL if not recorded. */
const struct fnl_req *fnl_req(const struct fake_nl *f, size_t n);
uint16_t fnl_req_type(const struct fnl_req *r);
uint16_t fnl_req_flags(const struct fnl_req *r);
/* Its fixed header (ifinfomsg, tcmsg, genlmsghdr) copied out. */
void fnl_req_hdr(const struct fnl_req *r, void *hdr, size_t len);
/*
 * An attribute of the request after hdr_len bytes of fixed header, by a
 * path of types (nested ones first): its data and length, NULL if absent.
 */
const void *fnl_req_attr(const struct fnl_req *r, size_t hdr_len, const uint16_t *path,
			 size_t depth, uint16_t *len);

#endif
