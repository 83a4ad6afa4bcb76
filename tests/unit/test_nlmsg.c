// SPDX-License-Identifier: BSD-2-Clause
/*
 * The netlink reply parser (src/parse/nlmsg.c): messages of a datagram,
 * attributes (nested, repeated, out of range, unpadded last one), fixed
 * values, strings, NLMSG_ERROR with and without the echoed request and
 * with extended acks; and every truncation of a valid datagram, which must
 * give -EBADMSG or fewer messages, never a read past the end (ASan: each
 * truncated copy is a heap buffer of exactly its size). The fuzz corpus of
 * fuzz_nlmsg is replayed too.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>

#include "parse/nlmsg.h"
#include "test_file.h"

struct buf {
	uint8_t b[1024];
	size_t len;
};

static void put(struct buf *o, const void *p, size_t n, bool pad)
{
	memcpy(o->b + o->len, p, n);
	o->len += n;
	while (pad && o->len % 4)
		o->b[o->len++] = 0;
}

static size_t msg(struct buf *o, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr nh = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq,
			       .nlmsg_pid = 0 };
	size_t start = o->len;

	put(o, &nh, sizeof(nh), true);
	return start;
}

static void msg_end(struct buf *o, size_t start)
{
	uint32_t len = (uint32_t)(o->len - start);

	memcpy(o->b + start, &len, 4);
}

static void attr(struct buf *o, uint16_t type, const void *d, uint16_t n, bool pad)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };

	put(o, &a, sizeof(a), false);
	put(o, d, n, pad);
}

static void test_messages(void **state)
{
	struct buf o = { .len = 0 };
	struct bbpf_nlmsg m;
	size_t off = 0, s;
	uint32_t x = 7;

	(void)state;
	s = msg(&o, RTM_NEWLINK, NLM_F_MULTI, 5);
	put(&o, &x, 4, true);
	msg_end(&o, s);
	s = msg(&o, NLMSG_DONE, NLM_F_MULTI, 5);
	put(&o, &(int){ 0 }, 4, true);
	msg_end(&o, s);
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(m.type, RTM_NEWLINK);
	assert_int_equal(m.flags, NLM_F_MULTI);
	assert_int_equal(m.seq, 5);
	assert_int_equal(m.data_len, 4);
	assert_ptr_equal(m.data, o.b + 16);
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(m.type, NLMSG_DONE);
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 0);
	assert_int_equal(off, o.len);
	/* shorter than its header, longer than the datagram */
	o.len = 0;
	s = msg(&o, 20, 0, 1);
	msg_end(&o, s);
	memcpy(o.b, &(uint32_t){ 12 }, 4);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), -EBADMSG);
	memcpy(o.b, &(uint32_t){ 17 }, 4);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), -EBADMSG);
	memcpy(o.b, &(uint32_t){ 0xffffffff }, 4);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), -EBADMSG);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, 10, &off, &m), -EBADMSG);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, 0, &off, &m), 0);
}

/* The decoded messages of net show: a link with XDP, a cls_bpf filter, and malformed ones. */
static void test_decoded(void **state)
{
	struct ifinfomsg ifi = { .ifi_index = 3 };
	struct tcmsg tc = { .tcm_ifindex = 3, .tcm_parent = 0xfffffff2, .tcm_handle = 1,
			    .tcm_info = 0x10300 };
	struct buf o = { .len = 0 };
	struct bbpf_nlmsg_link l;
	struct bbpf_nlmsg_tc t;
	struct bbpf_nlmsg m;
	uint32_t id = 42;
	uint8_t mode = XDP_ATTACHED_SKB;
	size_t off = 0, s, x;

	(void)state;
	s = msg(&o, RTM_NEWLINK, NLM_F_MULTI, 1);
	put(&o, &ifi, sizeof(ifi), true);
	attr(&o, IFLA_IFNAME, "va", 3, true);
	x = o.len;
	attr(&o, IFLA_XDP | NLA_F_NESTED, "", 0, false);
	attr(&o, IFLA_XDP_ATTACHED, &mode, 1, true);
	attr(&o, IFLA_XDP_PROG_ID, &id, 4, true);
	memcpy(o.b + x, &(uint16_t){ (uint16_t)(o.len - x) }, 2);
	msg_end(&o, s);
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(bbpf_nlmsg_link(&m, &l), 1);
	assert_int_equal(l.ifindex, 3);
	assert_string_equal(l.name, "va");
	assert_int_equal(l.xdp_mode, XDP_ATTACHED_SKB);
	assert_int_equal(l.xdp_id, 42);
	assert_int_equal(l.skb_id, 0);
	assert_int_equal(bbpf_nlmsg_tc(&m, RTM_NEWTFILTER, &t), 0);	/* not a filter */
	/* the nested XDP attribute claims more than it has: malformed */
	memcpy(o.b + x, &(uint16_t){ (uint16_t)(o.len - x + 8) }, 2);
	assert_int_equal(bbpf_nlmsg_link(&m, &l), -EBADMSG);
	/* a filter */
	o.len = 0;
	off = 0;
	s = msg(&o, RTM_NEWTFILTER, NLM_F_MULTI, 1);
	put(&o, &tc, sizeof(tc), true);
	attr(&o, TCA_KIND, "bpf", 4, true);
	x = o.len;
	attr(&o, TCA_OPTIONS | NLA_F_NESTED, "", 0, false);
	attr(&o, TCA_BPF_NAME, "f:[42]", 7, true);
	attr(&o, TCA_BPF_ID, &id, 4, true);
	memcpy(o.b + x, &(uint16_t){ (uint16_t)(o.len - x) }, 2);
	msg_end(&o, s);
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(bbpf_nlmsg_link(&m, &l), 0);
	assert_int_equal(bbpf_nlmsg_tc(&m, RTM_NEWQDISC, &t), 0);
	assert_int_equal(bbpf_nlmsg_tc(&m, RTM_NEWTFILTER, &t), 1);
	assert_int_equal(t.ifindex, 3);
	assert_int_equal(t.parent, 0xfffffff2);
	assert_int_equal(t.handle, 1);
	assert_int_equal(t.info, 0x10300);
	assert_string_equal(t.kind, "bpf");
	assert_string_equal(t.bpf_name, "f:[42]");
	assert_int_equal(t.bpf_id, 42);
	/* the name without its NUL: absent, not read past */
	o.b[x + 4 + 4 + 6] = 'x';
	assert_int_equal(bbpf_nlmsg_tc(&m, RTM_NEWTFILTER, &t), 1);
	assert_null(t.bpf_name);
	assert_int_equal(t.bpf_id, 42);
	/* shorter than a tcmsg: not one */
	m.data_len = sizeof(tc) - 1;
	assert_int_equal(bbpf_nlmsg_tc(&m, RTM_NEWTFILTER, &t), 0);
}

static void test_attrs(void **state)
{
	struct bbpf_nlattr tb[8], nt[4];
	struct buf o = { .len = 0 }, in = { .len = 0 };
	uint64_t v64 = 0x1122334455667788ull, g64;
	uint32_t v32 = 0xdeadbeef, g32;
	uint16_t g16;
	uint8_t g8;

	(void)state;
	attr(&in, 1, &v32, 4, true);
	attr(&o, 1, &v32, 4, true);
	attr(&o, 2 | NLA_F_NESTED, in.b, (uint16_t)in.len, true);
	attr(&o, 3, "abc", 4, true);
	attr(&o, 3, "last", 5, true);		/* repeated: the last one */
	attr(&o, 42, &v32, 4, true);		/* above max: skipped */
	attr(&o, 5, "xy", 2, true);		/* not NUL-terminated */
	attr(&o, 6, &v64, 8, false);		/* the last one, unpadded anyway */
	assert_int_equal(bbpf_nlattr_parse(o.b, o.len, tb, 7), 0);
	assert_true(bbpf_nlattr_u32(&tb[1], &g32));
	assert_int_equal(g32, v32);
	assert_true(bbpf_nlattr_u16(&tb[1], &g16));
	assert_true(bbpf_nlattr_u8(&tb[1], &g8));
	assert_false(bbpf_nlattr_u64(&tb[1], &g64));	/* too short */
	assert_true(tb[2].nested);
	assert_false(tb[1].nested);
	assert_int_equal(bbpf_nlattr_nested(&tb[2], nt, 3), 0);
	assert_true(bbpf_nlattr_u32(&nt[1], &g32));
	assert_int_equal(g32, v32);
	assert_string_equal(bbpf_nlattr_str(&tb[3]), "last");
	assert_null(bbpf_nlattr_str(&tb[5]));
	assert_null(tb[4].data);
	assert_false(bbpf_nlattr_u32(&tb[4], &g32));
	assert_null(bbpf_nlattr_str(&tb[4]));
	assert_true(bbpf_nlattr_u64(&tb[6], &g64));
	assert_int_equal(g64, v64);
	assert_int_equal(bbpf_nlattr_nested(&tb[4], nt, 3), 0);	/* absent: empty */
	assert_null(nt[1].data);
	/* cut short, or a length below the header */
	assert_int_equal(bbpf_nlattr_parse(o.b, 6, tb, 7), -EBADMSG);
	assert_int_equal(bbpf_nlattr_parse(o.b, 3, tb, 7), 0);	/* < 4 left over: ignored */
	memcpy(o.b, &(uint16_t){ 3 }, 2);
	assert_int_equal(bbpf_nlattr_parse(o.b, o.len, tb, 7), -EBADMSG);
	memcpy(o.b, &(uint16_t){ 0xfff0 }, 2);
	assert_int_equal(bbpf_nlattr_parse(o.b, o.len, tb, 7), -EBADMSG);
}

/* NLMSG_ERROR: capped or echoing the request, with or without the TLVs. */
static void test_error(void **state)
{
	struct nlmsghdr req = { .nlmsg_len = 40, .nlmsg_type = RTM_SETLINK };
	uint8_t payload[24] = { 0 };
	struct buf o = { .len = 0 };
	struct bbpf_nlmsg m;
	const char *ext;
	size_t s, off;
	int err, e = -EBUSY;

	(void)state;
	/* capped */
	s = msg(&o, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1);
	put(&o, &e, 4, true);
	put(&o, &req, sizeof(req), true);
	attr(&o, NLMSGERR_ATTR_OFFS, &(uint32_t){ 20 }, 4, true);
	attr(&o, NLMSGERR_ATTR_MSG, "busy", 5, true);
	msg_end(&o, s);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), 0);
	assert_int_equal(err, -EBUSY);
	assert_string_equal(ext, "busy");
	/* the whole request echoed */
	o.len = 0;
	s = msg(&o, NLMSG_ERROR, NLM_F_ACK_TLVS, 1);
	put(&o, &e, 4, true);
	put(&o, &req, sizeof(req), true);
	put(&o, payload, sizeof(payload), true);
	attr(&o, NLMSGERR_ATTR_MSG, "echoed", 7, true);
	msg_end(&o, s);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), 0);
	assert_string_equal(ext, "echoed");
	/* a request length that points past the message */
	memcpy(o.b + 20, &(uint32_t){ 4000 }, 4);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), -EBADMSG);
	memcpy(o.b + 20, &(uint32_t){ 8 }, 4);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), -EBADMSG);
	/* an ack: no TLVs read */
	o.len = 0;
	e = 0;
	s = msg(&o, NLMSG_ERROR, NLM_F_CAPPED, 1);
	put(&o, &e, 4, true);
	put(&o, &req, sizeof(req), true);
	msg_end(&o, s);
	off = 0;
	assert_int_equal(bbpf_nlmsg_next(o.b, o.len, &off, &m), 1);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), 0);
	assert_int_equal(err, 0);
	assert_null(ext);
	/* impossible errors */
	e = 5;
	memcpy(o.b + 16, &e, 4);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), -EBADMSG);
	e = -5000;
	memcpy(o.b + 16, &e, 4);
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), -EBADMSG);
	m.data_len = 8;
	assert_int_equal(bbpf_nlmsg_error(&m, &err, &ext), -EBADMSG);
}

/* Walk a datagram as the kernel code does; returns messages seen, or -EBADMSG. */
static int walk(const uint8_t *p, size_t len)
{
	struct bbpf_nlattr tb[32], nt[32];
	struct bbpf_nlmsg m;
	const char *ext;
	size_t off = 0;
	int n = 0, ret, err, i;

	while ((ret = bbpf_nlmsg_next(p, len, &off, &m)) > 0) {
		n++;
		if (m.type == NLMSG_ERROR) {
			bbpf_nlmsg_error(&m, &err, &ext);
			if (ext)
				assert_true(strlen(ext) < m.data_len);
			continue;
		}
		if (bbpf_nlmsg_attrs(&m, 16, tb, 31))
			continue;
		for (i = 0; i < 32; i++) {
			if (!tb[i].data)
				continue;
			assert_true(tb[i].data >= p && tb[i].data + tb[i].len <= p + len);
			bbpf_nlattr_nested(&tb[i], nt, 31);
			bbpf_nlattr_str(&tb[i]);
		}
	}
	return ret < 0 ? ret : n;
}

static void test_truncations(void **state)
{
	struct buf o = { .len = 0 }, in = { .len = 0 };
	struct nlmsghdr req = { .nlmsg_len = 16 };
	size_t s, cut;
	int e = -EEXIST, full;

	(void)state;
	s = msg(&o, RTM_NEWTFILTER, NLM_F_ECHO, 3);
	put(&o, &(uint8_t[16]){ 0 }, 16, true);
	attr(&in, 1, &(uint32_t){ 9 }, 4, true);
	attr(&in, 2, "name:[9]", 9, true);
	attr(&o, 1, "bpf", 4, true);
	attr(&o, 2 | NLA_F_NESTED, in.b, (uint16_t)in.len, true);
	msg_end(&o, s);
	s = msg(&o, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 3);
	put(&o, &e, 4, true);
	put(&o, &req, sizeof(req), true);
	attr(&o, NLMSGERR_ATTR_MSG, "exists", 7, true);
	msg_end(&o, s);
	full = walk(o.b, o.len);
	assert_int_equal(full, 2);
	for (cut = 0; cut < o.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		int n;

		memcpy(copy, o.b, cut);
		n = walk(copy, cut);
		assert_true(n == -EBADMSG || n < full);
		free(copy);
	}
}

static void test_fuzz_corpus(void **state)
{
	char path[600];
	struct dirent *de;
	size_t n = 0;
	uint32_t len;
	uint8_t *data;
	DIR *d;

	(void)state;
	d = opendir(BBPF_SRC_DIR "/fuzz/corpus/fuzz_nlmsg");
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", BBPF_SRC_DIR "/fuzz/corpus/fuzz_nlmsg",
			 de->d_name);
		data = tf_read_file(path, &len);
		assert_non_null(data);
		walk(data, len);
		free(data);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_attrs),
		cmocka_unit_test(test_decoded),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_fuzz_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
