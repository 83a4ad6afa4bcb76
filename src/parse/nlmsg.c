/* SPDX-License-Identifier: BSD-2-Clause */
/* Netlink messages and attributes; see nlmsg.h. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include "nlmsg.h"
#include "../base/cursor.h"

#define MSG_HDR		16u	/* struct nlmsghdr */
#define ATTR_HDR	4u	/* struct nlattr */
#define ERR_HDR		(4u + MSG_HDR)	/* struct nlmsgerr */
#define ALIGN4(x)	(((uint64_t)(x) + 3) & ~(uint64_t)3)

int bbpf_nlmsg_next(const void *buf, size_t len, size_t *off, struct bbpf_nlmsg *msg)
{
	const uint8_t *p = (const uint8_t *)buf + *off;
	uint32_t mlen;

	if (*off >= len)
		return 0;
	if (len - *off < MSG_HDR)	/* the header, read in place below */
		return -EBADMSG;
	mlen = load_u32(p, false);
	msg->type = load_u16(p + 4, false);
	msg->flags = load_u16(p + 6, false);
	msg->seq = load_u32(p + 8, false);
	msg->pid = load_u32(p + 12, false);
	if (mlen < MSG_HDR || !span_ok(*off, mlen, len))
		return -EBADMSG;
	msg->data = (const uint8_t *)buf + *off + MSG_HDR;
	msg->data_len = mlen - MSG_HDR;
	/* The last message may lack its padding. */
	*off = ALIGN4(*off + mlen) < len ? (size_t)ALIGN4(*off + mlen) : len;
	return 1;
}

int bbpf_nlattr_parse(const void *buf, size_t len, struct bbpf_nlattr *tb, uint16_t max)
{
	uint64_t start = 0;

	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	/* each step consumes at least ATTR_HDR bytes: bounded by len / 4 */
	while (len - start >= ATTR_HDR) {
		const uint8_t *p = (const uint8_t *)buf + start;
		uint16_t alen = load_u16(p, false), type = load_u16(p + 2, false);
		uint16_t bare = type & NLA_TYPE_MASK;

		if (alen < ATTR_HDR || !span_ok(start, alen, len))
			return -EBADMSG;
		if (bare <= max) {
			tb[bare].data = (const uint8_t *)buf + start + ATTR_HDR;
			tb[bare].len = (uint16_t)(alen - ATTR_HDR);
			tb[bare].nested = (type & NLA_F_NESTED) != 0;
		}
		start = ALIGN4(start + alen) < len ? ALIGN4(start + alen) : len;
	}
	/* Fewer than 4 bytes left over: ignored, as the kernel's nla_parse does. */
	return 0;
}

int bbpf_nlmsg_attrs(const struct bbpf_nlmsg *msg, size_t hdr_len, struct bbpf_nlattr *tb,
		     uint16_t max)
{
	uint64_t skip = ALIGN4(hdr_len);

	if (skip > msg->data_len) {
		memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
		return -EBADMSG;
	}
	return bbpf_nlattr_parse(msg->data + skip, msg->data_len - skip, tb, max);
}

int bbpf_nlattr_nested(const struct bbpf_nlattr *a, struct bbpf_nlattr *tb, uint16_t max)
{
	if (!a->data) {
		memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
		return 0;
	}
	return bbpf_nlattr_parse(a->data, a->len, tb, max);
}

static bool get(const struct bbpf_nlattr *a, void *v, size_t n)
{
	if (!a->data || a->len < n)
		return false;
	memcpy(v, a->data, n);
	return true;
}

bool bbpf_nlattr_u8(const struct bbpf_nlattr *a, uint8_t *v)
{
	return get(a, v, sizeof(*v));
}

bool bbpf_nlattr_u16(const struct bbpf_nlattr *a, uint16_t *v)
{
	return get(a, v, sizeof(*v));
}

bool bbpf_nlattr_u32(const struct bbpf_nlattr *a, uint32_t *v)
{
	return get(a, v, sizeof(*v));
}

bool bbpf_nlattr_u64(const struct bbpf_nlattr *a, uint64_t *v)
{
	return get(a, v, sizeof(*v));
}

const char *bbpf_nlattr_str(const struct bbpf_nlattr *a)
{
	return a->data && str_in_span(a->data, a->len) ? (const char *)a->data : NULL;
}

int bbpf_nlmsg_error(const struct bbpf_nlmsg *msg, int *err, const char **ext)
{
	struct bbpf_nlattr tb[NLMSGERR_ATTR_MSG + 1];
	uint64_t tlv_off;
	int32_t e;
	uint32_t req_len;

	*ext = NULL;
	if (msg->data_len < ERR_HDR)
		return -EBADMSG;
	e = (int32_t)load_u32(msg->data, false);
	req_len = load_u32(msg->data + 4, false);	/* the request's nlmsg_len */
	if (e > 0 || e < -4095)
		return -EBADMSG;
	*err = e;
	if (!(msg->flags & NLM_F_ACK_TLVS))
		return 0;
	/* Capped: only the request's header was echoed; else all of it. */
	tlv_off = msg->flags & NLM_F_CAPPED ? ERR_HDR : 4 + ALIGN4(req_len);
	if (req_len < MSG_HDR || tlv_off > msg->data_len)
		return -EBADMSG;
	if (bbpf_nlattr_parse(msg->data + tlv_off, msg->data_len - tlv_off, tb, NLMSGERR_ATTR_MSG))
		return -EBADMSG;
	*ext = bbpf_nlattr_str(&tb[NLMSGERR_ATTR_MSG]);
	return 0;
}

int bbpf_nlmsg_link(const struct bbpf_nlmsg *m, struct bbpf_nlmsg_link *l)
{
	struct bbpf_nlattr tb[IFLA_MAX + 1], xtb[IFLA_XDP_MAX + 1];
	struct ifinfomsg ifi;

	memset(l, 0, sizeof(*l));
	if (m->type != RTM_NEWLINK || m->data_len < sizeof(ifi))
		return 0;
	memcpy(&ifi, m->data, sizeof(ifi));
	if (bbpf_nlmsg_attrs(m, sizeof(ifi), tb, IFLA_MAX) ||
	    bbpf_nlattr_nested(&tb[IFLA_XDP], xtb, IFLA_XDP_MAX))
		return -EBADMSG;
	l->ifindex = ifi.ifi_index;
	l->name = bbpf_nlattr_str(&tb[IFLA_IFNAME]);
	if (!bbpf_nlattr_u8(&xtb[IFLA_XDP_ATTACHED], &l->xdp_mode) ||
	    l->xdp_mode == XDP_ATTACHED_NONE)
		return 1;
	bbpf_nlattr_u32(&xtb[IFLA_XDP_PROG_ID], &l->xdp_id);
	bbpf_nlattr_u32(&xtb[IFLA_XDP_SKB_PROG_ID], &l->skb_id);
	bbpf_nlattr_u32(&xtb[IFLA_XDP_DRV_PROG_ID], &l->drv_id);
	bbpf_nlattr_u32(&xtb[IFLA_XDP_HW_PROG_ID], &l->hw_id);
	return 1;
}

int bbpf_nlmsg_tc(const struct bbpf_nlmsg *m, uint16_t type, struct bbpf_nlmsg_tc *tc)
{
	struct bbpf_nlattr tb[TCA_MAX + 1], btb[TCA_BPF_MAX + 1];
	struct tcmsg t;

	memset(tc, 0, sizeof(*tc));
	if (m->type != type || m->data_len < sizeof(t))
		return 0;
	memcpy(&t, m->data, sizeof(t));
	if (bbpf_nlmsg_attrs(m, sizeof(t), tb, TCA_MAX))
		return -EBADMSG;
	tc->ifindex = t.tcm_ifindex;
	tc->parent = t.tcm_parent;
	tc->handle = t.tcm_handle;
	tc->info = t.tcm_info;
	tc->kind = bbpf_nlattr_str(&tb[TCA_KIND]);
	if (type == RTM_NEWTFILTER && tc->kind && !strcmp(tc->kind, "bpf")) {
		if (bbpf_nlattr_nested(&tb[TCA_OPTIONS], btb, TCA_BPF_MAX))
			return -EBADMSG;
		bbpf_nlattr_u32(&btb[TCA_BPF_ID], &tc->bpf_id);
		tc->bpf_name = bbpf_nlattr_str(&btb[TCA_BPF_NAME]);
	}
	return 1;
}
