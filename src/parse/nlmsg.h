/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Netlink replies as bounds-checked views: the messages of one received
 * datagram, the attributes of a message or of a nested attribute, and the
 * error and extended-ack text of an NLMSG_ERROR. The bytes come from the
 * kernel (or from whatever answers the socket), so nothing in them is
 * trusted: every length is checked against what was received, and walks
 * are bounded by the input size (each step consumes at least 4 bytes).
 * Netlink is in host byte order.
 *
 *   message:   u32 len (header included), u16 type, u16 flags, u32 seq,
 *              u32 pid, payload; the next message starts at NLMSG_ALIGN(len)
 *   attribute: u16 len (header included), u16 type (NLA_F_NESTED,
 *              NLA_F_NET_BYTEORDER in the top bits), data; the next one at
 *              NLA_ALIGN(len)
 *   error:     s32 error, the request's header (and its payload unless the
 *              reply has NLM_F_CAPPED), then attributes if NLM_F_ACK_TLVS
 */
#ifndef BBPF_NLMSG_H
#define BBPF_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bbpf_nlmsg {
	uint16_t type, flags;
	uint32_t seq, pid;
	const uint8_t *data;	/* payload, data_len bytes */
	uint32_t data_len;
};

/*
 * The message at *off of buf (len bytes): 1 and *off moved past it, 0 at
 * the end of the buffer, -EBADMSG for a truncated or undersized message
 * (nothing after it is trusted).
 */
int bbpf_nlmsg_next(const void *buf, size_t len, size_t *off, struct bbpf_nlmsg *msg);

struct bbpf_nlattr {
	const uint8_t *data;	/* NULL: absent */
	uint16_t len;		/* of data */
	bool nested;		/* NLA_F_NESTED was set */
};

/*
 * Index the attributes in buf (len bytes) by type into tb[0..max]: absent
 * ones NULL, a repeated type keeps the last (as the kernel's nla_parse),
 * types above max are skipped. -EBADMSG if an attribute is cut short or
 * shorter than its header; tb is filled up to there.
 */
int bbpf_nlattr_parse(const void *buf, size_t len, struct bbpf_nlattr *tb, uint16_t max);
/* The attributes after hdr_len bytes of a message's fixed header (ifinfomsg, tcmsg, ...). */
int bbpf_nlmsg_attrs(const struct bbpf_nlmsg *msg, size_t hdr_len, struct bbpf_nlattr *tb,
		     uint16_t max);
/* The attributes nested in a. */
int bbpf_nlattr_nested(const struct bbpf_nlattr *a, struct bbpf_nlattr *tb, uint16_t max);

/* Fixed-size values: false if absent or too short (*v untouched). */
bool bbpf_nlattr_u8(const struct bbpf_nlattr *a, uint8_t *v);
bool bbpf_nlattr_u16(const struct bbpf_nlattr *a, uint16_t *v);
bool bbpf_nlattr_u32(const struct bbpf_nlattr *a, uint32_t *v);
bool bbpf_nlattr_u64(const struct bbpf_nlattr *a, uint64_t *v);
/* A NUL-terminated string filling the attribute (padding NULs allowed), or NULL. */
const char *bbpf_nlattr_str(const struct bbpf_nlattr *a);

/*
 * An NLMSG_ERROR message: *err the negative errno (0 for an ack), and the
 * kernel's extended-ack message (NLMSGERR_ATTR_MSG) in *ext, or NULL.
 * -EBADMSG if the message is too short or its tail malformed; an error
 * value that is positive or below -4095 is -EBADMSG too.
 */
int bbpf_nlmsg_error(const struct bbpf_nlmsg *msg, int *err, const char **ext);

/*
 * The rtnetlink messages barebpf reads, decoded (strings and ids point into
 * or come from the message; absent ones NULL or 0):
 *   RTM_NEWLINK: ifinfomsg, IFLA_IFNAME, IFLA_XDP {ATTACHED, PROG_ID,
 *     DRV/SKB/HW_PROG_ID};
 *   RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER: tcmsg, TCA_KIND, and for a
 *     cls_bpf filter ("bpf") TCA_OPTIONS {TCA_BPF_ID, TCA_BPF_NAME}.
 * 1 when decoded, 0 when m is not of that type (or shorter than its fixed
 * header: not one), -EBADMSG when its attributes are malformed.
 */
struct bbpf_nlmsg_link {
	int ifindex;
	const char *name;
	uint8_t xdp_mode;	/* XDP_ATTACHED_* */
	uint32_t xdp_id, drv_id, skb_id, hw_id;
};
int bbpf_nlmsg_link(const struct bbpf_nlmsg *m, struct bbpf_nlmsg_link *l);

struct bbpf_nlmsg_tc {
	int ifindex;
	uint32_t parent, handle, info;
	const char *kind;
	uint32_t bpf_id;
	const char *bpf_name;
};
int bbpf_nlmsg_tc(const struct bbpf_nlmsg *m, uint16_t type, struct bbpf_nlmsg_tc *tc);

#endif
