// SPDX-License-Identifier: BSD-2-Clause
/*
 * barebpf net show against a scripted kernel, in-process through
 * bbpf_cli_main(): rtnetlink answers written here byte by byte (a link
 * dump with a device in generic XDP, an empty class and qdisc dump, a
 * cls_bpf filter on clsact ingress), a tcx chain and a flow dissector
 * from BPF_PROG_QUERY (tests/lib/fake_sys.h for the bpf side). Checked:
 * the exact text and JSON, the requests in bpftool's order (links,
 * classes, qdiscs, root, clsact ingress, clsact egress), a reply cut short
 * (-EBADMSG: an error line, no partial document), an NLMSG_ERROR answer
 * (its errno in the error; with -j one {"error"} and a valid document even
 * when the failure comes in the middle of the "tc" list), and the netlink
 * socket closed every time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "cli/cli.h"
#include "base/uapi_compat.h"
#include "fake_sys.h"
#include "json_mini.h"

#define NL_FD		900
#define VA		3
#define XDP_ID		42
#define TC_ID		7
#define TCX_ID		9
#define DISSECT_ID	5
#define TCX_FD		800
#define REQS_MAX	32
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define INGRESS		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
#define EGRESS		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)

enum mode { GOOD, TRUNCATED, LINK_ERROR, FILTER_ERROR };

struct env {
	struct fs_script script;	/* first: the table's ctx is both */
	struct bbpf_sys inner, sys;
	enum mode mode;
	bool open;			/* the netlink socket */
	uint8_t reply[4096];		/* the answer to the last request */
	size_t reply_len;
	bool pending;
	uint16_t req_type[REQS_MAX];	/* requests seen */
	uint32_t req_parent[REQS_MAX];	/* tcm_parent of tc requests */
	size_t reqs;
};

/* ---- building replies ---- */

static size_t put(struct env *e, const void *p, size_t n)
{
	size_t at = e->reply_len;

	assert_true(at + n + 4 <= sizeof(e->reply));
	memcpy(e->reply + at, p, n);
	e->reply_len += n;
	while (e->reply_len % 4)
		e->reply[e->reply_len++] = 0;
	return at;
}

static size_t msg_begin(struct env *e, uint16_t type, uint32_t seq)
{
	struct nlmsghdr nh = { .nlmsg_type = type, .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = seq };

	return put(e, &nh, sizeof(nh));
}

static void len_end(struct env *e, size_t at, bool attr)
{
	uint32_t len = (uint32_t)(e->reply_len - at);
	uint16_t alen = (uint16_t)len;

	if (attr)
		memcpy(e->reply + at, &alen, sizeof(alen));
	else
		memcpy(e->reply + at, &len, sizeof(len));
}

static size_t attr(struct env *e, uint16_t type, const void *d, uint16_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };
	size_t at = put(e, &a, sizeof(a));

	if (n)
		put(e, d, n);
	return at;
}

static void attr_u32(struct env *e, uint16_t type, uint32_t v)
{
	attr(e, type, &v, sizeof(v));
}

static void done(struct env *e, uint32_t seq)
{
	int zero = 0;
	size_t m = msg_begin(e, NLMSG_DONE, seq);

	put(e, &zero, sizeof(zero));
	len_end(e, m, false);
}

static void nl_error(struct env *e, uint32_t seq, int err, const char *text)
{
	struct nlmsghdr nh = { .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq,
			       .nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS };
	struct nlmsghdr req = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_seq = seq };
	size_t m = put(e, &nh, sizeof(nh));

	put(e, &err, sizeof(err));
	put(e, &req, sizeof(req));
	attr(e, NLMSGERR_ATTR_MSG, text, (uint16_t)(strlen(text) + 1));
	len_end(e, m, false);
}

static void link_msg(struct env *e, uint32_t seq, int ifindex, const char *name, uint8_t mode,
		     uint32_t id)
{
	struct ifinfomsg ifi = { .ifi_index = ifindex };
	size_t m = msg_begin(e, RTM_NEWLINK, seq), x;

	put(e, &ifi, sizeof(ifi));
	attr(e, IFLA_IFNAME, name, (uint16_t)(strlen(name) + 1));
	x = attr(e, IFLA_XDP | NLA_F_NESTED, NULL, 0);
	attr(e, IFLA_XDP_ATTACHED, &mode, 1);
	if (id)
		attr_u32(e, IFLA_XDP_PROG_ID, id);
	len_end(e, x, true);
	len_end(e, m, false);
}

static void filter_msg(struct env *e, uint32_t seq, uint32_t parent, uint32_t handle)
{
	struct tcmsg tc = { .tcm_ifindex = VA, .tcm_parent = parent, .tcm_handle = handle,
			    .tcm_info = TC_H_MAKE(1u << 16, 0x300) };
	size_t m = msg_begin(e, RTM_NEWTFILTER, seq), o;

	put(e, &tc, sizeof(tc));
	attr(e, TCA_KIND, "bpf", 4);
	if (handle) {	/* the chain head (handle 0) carries no options */
		o = attr(e, TCA_OPTIONS | NLA_F_NESTED, NULL, 0);
		attr(e, TCA_BPF_NAME, "f:[7]", 6);
		attr_u32(e, TCA_BPF_ID, TC_ID);
		attr_u32(e, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
		len_end(e, o, true);
	}
	len_end(e, m, false);
}

/* The kernel's answer to one request. */
static void answer(struct env *e, const struct nlmsghdr *nh, const void *body)
{
	struct tcmsg tc;
	size_t m;

	e->reply_len = 0;
	e->pending = true;
	if (e->reqs < REQS_MAX) {
		e->req_type[e->reqs] = nh->nlmsg_type;
		memset(&tc, 0, sizeof(tc));
		if (nh->nlmsg_type != RTM_GETLINK)
			memcpy(&tc, body, sizeof(tc));
		e->req_parent[e->reqs++] = tc.tcm_parent;
	}
	assert_true(nh->nlmsg_flags & NLM_F_DUMP);
	switch (nh->nlmsg_type) {
	case RTM_GETLINK:
		if (e->mode == LINK_ERROR) {
			nl_error(e, nh->nlmsg_seq, -EPERM, "not for you");
			return;
		}
		link_msg(e, nh->nlmsg_seq, 1, "lo", XDP_ATTACHED_NONE, 0);
		m = e->reply_len;
		link_msg(e, nh->nlmsg_seq, VA, "va", XDP_ATTACHED_SKB, XDP_ID);
		if (e->mode == TRUNCATED) {	/* the second message claims more than was sent */
			uint32_t len = 4000;

			memcpy(e->reply + m, &len, sizeof(len));
			return;
		}
		break;
	case RTM_GETTFILTER:
		memcpy(&tc, body, sizeof(tc));
		if (tc.tcm_ifindex == VA && tc.tcm_parent == INGRESS) {
			filter_msg(e, nh->nlmsg_seq, INGRESS, 0);
			filter_msg(e, nh->nlmsg_seq, INGRESS, 1);
		}
		if (tc.tcm_ifindex == VA && tc.tcm_parent == EGRESS && e->mode == FILTER_ERROR) {
			nl_error(e, nh->nlmsg_seq, -EINVAL, "bad parent");
			return;
		}
		break;
	default:	/* classes, qdiscs: none */
		break;
	}
	done(e, nh->nlmsg_seq);
}

/* ---- the socket hooks ---- */

static long f_socket(void *ctx, int domain, int type, int protocol)
{
	struct env *e = ctx;

	assert_int_equal(domain, AF_NETLINK);
	assert_int_equal(protocol, NETLINK_ROUTE);
	(void)type;
	assert_false(e->open);
	e->open = true;
	return NL_FD;
}

static long f_bind(void *ctx, int fd, const struct sockaddr *addr, unsigned int len)
{
	(void)ctx;
	(void)addr;
	(void)len;
	assert_int_equal(fd, NL_FD);
	return 0;
}

static long f_setsockopt(void *ctx, int fd, int level, int name, const void *val,
			 unsigned int len)
{
	(void)ctx;
	(void)level;
	(void)name;
	(void)val;
	(void)len;
	assert_int_equal(fd, NL_FD);
	return 0;
}

static long f_sendto(void *ctx, int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *addr, unsigned int addr_len)
{
	struct env *e = ctx;
	struct nlmsghdr nh;

	(void)flags;
	(void)addr;
	(void)addr_len;
	assert_int_equal(fd, NL_FD);
	assert_true(len >= NLMSG_HDRLEN + sizeof(struct ifinfomsg));
	memcpy(&nh, buf, sizeof(nh));
	assert_int_equal(nh.nlmsg_len, len);
	answer(e, &nh, (const uint8_t *)buf + NLMSG_HDRLEN);
	return (long)len;
}

static long f_recvfrom(void *ctx, int fd, void *buf, size_t len, int flags,
		       struct sockaddr *addr, unsigned int *addr_len)
{
	struct env *e = ctx;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	assert_int_equal(fd, NL_FD);
	assert_true(e->pending);
	memcpy(buf, e->reply, e->reply_len < len ? e->reply_len : len);
	if (flags & MSG_PEEK)
		return (long)e->reply_len;
	if (addr) {
		memcpy(addr, &kernel, sizeof(kernel));
		*addr_len = sizeof(kernel);
	}
	e->pending = false;
	return (long)e->reply_len;
}

static long f_close(void *ctx, int fd)
{
	struct env *e = ctx;

	if (fd != NL_FD)
		return e->inner.close(ctx, fd);
	assert_true(e->open);
	e->open = false;
	return 0;
}

/* ---- the bpf side ---- */

static long bpf_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct bpf_prog_info info;
	uint64_t links[2];
	uint32_t one;

	(void)size;
	switch (cmd) {
	case BPF_PROG_QUERY:
		if (attr->query.attach_type == BPF_FLOW_DISSECTOR) {
			one = DISSECT_ID;
		} else if (attr->query.attach_type == BBPF_TCX_INGRESS &&
			   attr->query.target_fd == VA) {
			one = TCX_ID;
			memcpy(links, (char *)&attr->query.prog_attach_flags + 8, sizeof(links));
			assert_true(links[0] && links[1]);	/* link ids and flags asked */
			memcpy((void *)(uintptr_t)links[0], &(uint32_t){ 11 }, 4);
		} else if (attr->query.attach_type == BBPF_TCX_EGRESS) {
			attr->query.prog_cnt = 0;
			return 0;
		} else {
			return -EINVAL;	/* netkit: not such a device */
		}
		assert_true(attr->query.prog_cnt >= 1);
		memcpy((void *)(uintptr_t)attr->query.prog_ids, &one, 4);
		attr->query.prog_cnt = 1;
		return 0;
	case BPF_PROG_GET_FD_BY_ID:
		assert_int_equal(attr->prog_id, TCX_ID);
		return fs_script_new_fd(s);
	case BPF_OBJ_GET_INFO_BY_FD:
		memset(&info, 0, sizeof(info));
		info.id = TCX_ID;
		strcpy((char *)info.name, "tcx_prog");
		memcpy((void *)(uintptr_t)attr->info.info, &info,
		       attr->info.info_len < sizeof(info) ? attr->info.info_len : sizeof(info));
		return 0;
	default:
		return FS_DEFAULT;
	}
}

static struct env *env_new(enum mode mode)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->inner = fs_script_init(&e->script);
	e->script.bpf_cb = bpf_cb;
	fs_script_add_file(&e->script, "/proc/self/ns/net", "", 0);
	e->sys = e->inner;
	e->sys.socket = f_socket;
	e->sys.bind = f_bind;
	e->sys.setsockopt = f_setsockopt;
	e->sys.sendto = f_sendto;
	e->sys.recvfrom = f_recvfrom;
	e->sys.close = f_close;
	e->mode = mode;
	return e;
}

static void env_free(struct env *e)
{
	assert_false(e->open);	/* the socket was closed */
	assert_int_equal(fs_script_open_fds(&e->script), 0);
	fs_script_fini(&e->script);
	free(e);
}

struct result {
	int code;
	char out[8192], err[4096];
};

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/*
 * barebpf ARGS (words split on spaces) in-process, its exit code and
 * output (NOREDIR=1 in the environment: left on the terminal, to debug).
 */
static struct result *run(struct env *e, const char *line_in)
{
	static struct result r;
	char line[256], *argv[16], *w, *save = NULL;
	FILE *fo = tmpfile(), *fe = tmpfile();
	int so, se, argc = 0;

	assert_non_null(fo);
	assert_non_null(fe);
	snprintf(line, sizeof(line), "%s", line_in);
	argv[argc++] = "barebpf";
	for (w = strtok_r(line, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	e->reqs = 0;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	if (!getenv("NOREDIR")) {
		dup2(fileno(fo), 1);
		dup2(fileno(fe), 2);
	}
	r.code = bbpf_cli_main(argc, argv, &e->sys);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fo, r.out, sizeof(r.out));
	slurp(fe, r.err, sizeof(r.err));
	return &r;
}

static void test_scripted(void **state)
{
	static const uint16_t types[] = { RTM_GETLINK, RTM_GETTCLASS, RTM_GETQDISC,
					  RTM_GETTFILTER, RTM_GETTFILTER, RTM_GETTFILTER };
	static const uint32_t parents[] = { 0, 0, 0, TC_H_ROOT, INGRESS, EGRESS };
	struct env *e = env_new(GOOD);
	struct result *r;
	size_t i;

	(void)state;
	r = run(e, "net show dev va");
	assert_int_equal(r->code, 0);
	assert_string_equal(r->err, "");
	assert_string_equal(r->out,
		"xdp:\n"
		"va(3) generic id 42\n"
		"\n"
		"tc:\n"
		"va(3) tcx/ingress tcx_prog prog_id 9 link_id 11 \n"
		"va(3) clsact/ingress f:[7] id 7\n"
		"\n"
		"flow_dissector:\n"
		"id 5\n");
	/* bpftool's requests, in its order: links, then per device classes, qdiscs, filters */
	assert_int_equal(e->reqs, ARRAY_LEN(types));
	for (i = 0; i < ARRAY_LEN(types); i++) {
		assert_int_equal(e->req_type[i], types[i]);
		assert_int_equal(e->req_parent[i], parents[i]);
	}
	/* every device: lo has nothing, and two more rounds of tc requests */
	r = run(e, "-j net list");
	assert_int_equal(r->code, 0);
	assert_string_equal(r->out,
		"[{\"xdp\":[{\"devname\":\"va\",\"ifindex\":3,\"mode\":\"generic\",\"id\":42}],"
		"\"tc\":[{\"devname\":\"va\",\"ifindex\":3,\"kind\":\"tcx/ingress\","
		"\"name\":\"tcx_prog\",\"prog_id\":9,\"prog_flags\":[],\"link_id\":11,"
		"\"link_flags\":[]},{\"devname\":\"va\",\"ifindex\":3,"
		"\"kind\":\"clsact/ingress\",\"name\":\"f:[7]\",\"id\":7}],"
		"\"flow_dissector\":[\"id\":5]}]\n");
	assert_int_equal(e->reqs, 1 + 2 * 5);
	/* a device the dump does not list */
	r = run(e, "net show dev vb");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->out, "");
	assert_string_equal(r->err, "barebpf: net show: invalid devname vb\n");
	r = run(e, "-j net show dev vb");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->out, "{\"error\":\"invalid devname vb\"}\n");
	assert_string_equal(r->err, "");
	env_free(e);
}

static void test_truncated(void **state)
{
	struct env *e = env_new(TRUNCATED);
	struct result *r;

	(void)state;
	r = run(e, "net show");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->out, "");
	assert_string_equal(r->err, "barebpf: net show: cannot list the devices: Bad message\n");
	assert_int_equal(e->reqs, 1);	/* nothing asked after it */
	r = run(e, "-j net show");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->out, "{\"error\":\"cannot list the devices: Bad message\"}\n");
	assert_string_equal(r->err, "");
	env_free(e);
}

static void test_nlmsg_error(void **state)
{
	struct env *e = env_new(LINK_ERROR);
	struct jm_value *v;
	struct result *r;

	(void)state;
	r = run(e, "net show");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->out, "");
	assert_string_equal(r->err,
			    "barebpf: net show: cannot list the devices: Operation not permitted\n");
	env_free(e);
	/* in the middle of the tc list: JSON stays one valid document */
	e = env_new(FILTER_ERROR);
	r = run(e, "-j net show dev va");
	assert_int_equal(r->code, 1);
	assert_string_equal(r->err, "");
	v = jm_parse(r->out);
	assert_non_null(v);
	jm_free(v);
	assert_non_null(strstr(r->out, "{\"error\":\"Invalid argument\"}"));
	r = run(e, "net show dev va");
	assert_int_equal(r->code, 1);
	assert_non_null(strstr(r->err, "barebpf: net show: Invalid argument\n"));
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripted),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_nlmsg_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
