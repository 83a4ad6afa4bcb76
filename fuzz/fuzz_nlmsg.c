/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The netlink reply parser (src/parse/nlmsg.c) on arbitrary bytes, as one
 * received datagram: every message, its error and extended ack, its
 * attributes after the fixed headers barebpf reads (ifinfomsg, tcmsg,
 * genlmsghdr) and two levels of nesting, and the decoded rtnetlink
 * messages net show reads (links, qdiscs, classes, filters). Everything
 * returned must lie in the input; every walk ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include "parse/nlmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TYPE 64

static void in(const void *p, size_t n, const uint8_t *data, size_t size)
{
	const uint8_t *b = p;

	if (n && (b < data || b + n > data + size))
		abort();
}

static void attrs(const struct bbpf_nlattr *tb, int depth, const uint8_t *data, size_t size)
{
	struct bbpf_nlattr nt[MAX_TYPE + 1];
	const char *s;
	uint64_t v;
	int i;

	for (i = 0; i <= MAX_TYPE; i++) {
		if (!tb[i].data)
			continue;
		in(tb[i].data, tb[i].len, data, size);
		if (bbpf_nlattr_u64(&tb[i], &v) && tb[i].len < 8)
			abort();
		s = bbpf_nlattr_str(&tb[i]);
		if (s && strlen(s) >= tb[i].len)
			abort();
		if (depth < 2 && !bbpf_nlattr_nested(&tb[i], nt, MAX_TYPE))
			attrs(nt, depth + 1, data, size);
	}
}

/* A decoded string: NULL, or NUL-terminated inside the input. */
static void str_in(const char *s, const uint8_t *data, size_t size)
{
	if (s)
		in(s, strlen(s) + 1, data, size);
}

static void decoded(const struct bbpf_nlmsg *m, const uint8_t *data, size_t size)
{
	static const uint16_t tc_types[] = { RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER };
	struct bbpf_nlmsg_link l;
	struct bbpf_nlmsg_tc tc;
	size_t i;

	if (bbpf_nlmsg_link(m, &l) > 0)
		str_in(l.name, data, size);
	for (i = 0; i < sizeof(tc_types) / sizeof(tc_types[0]); i++) {
		if (bbpf_nlmsg_tc(m, tc_types[i], &tc) <= 0)
			continue;
		str_in(tc.kind, data, size);
		str_in(tc.bpf_name, data, size);
		if ((tc.bpf_id || tc.bpf_name) && tc_types[i] != RTM_NEWTFILTER)
			abort();	/* cls_bpf options only in a filter */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t hdrs[] = { 4, 16, 20 };	/* genlmsghdr, ifinfomsg, tcmsg */
	struct bbpf_nlattr tb[MAX_TYPE + 1];
	struct bbpf_nlmsg m;
	const char *ext;
	size_t off = 0, last = 0, i;
	int err;

	while (bbpf_nlmsg_next(data, size, &off, &m) > 0) {
		if (off <= last || off > size)
			abort();	/* every step moves on */
		last = off;
		in(m.data, m.data_len, data, size);
		if (!bbpf_nlmsg_error(&m, &err, &ext)) {
			if (err > 0 || err < -4095)
				abort();
			if (ext)
				in(ext, strlen(ext) + 1, data, size);
		}
		for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++)
			if (!bbpf_nlmsg_attrs(&m, hdrs[i], tb, MAX_TYPE))
				attrs(tb, 0, data, size);
		decoded(&m, data, size);
	}
	return 0;
}
