// SPDX-License-Identifier: BSD-2-Clause
/*
 * Network, socket and cgroup attach kinds with no kernel: an object built
 * in the test (one "r0 = 0; exit" program per section), loaded through
 * fs_wrap (fault injection, fd tracking) in front of tests/lib/fake_nl (a
 * modelled rtnetlink/genetlink kernel with devices, XDP slots, clsact and
 * cls_bpf filters) in front of fs_script (the bpf(2) side). Checked: the
 * exact bpf attrs and netlink messages of each kind, what the links undo,
 * the fallbacks (no XDP/cgroup/sockmap links, no XDP_FLAGS_REPLACE),
 * netkit (neither test kernel has it), malformed and stale replies, and a
 * fault sweep in which every call of every attach fails in turn and no fd,
 * netlink socket, XDP program, qdisc or filter is left behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>

#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "attach/attach.h"
#include "fail_alloc.h"
#include "fake_nl.h"
#include "fake_sys.h"
#include "tiny_obj.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define INGRESS TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
#define EGRESS TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)
#define VA 3		/* native XDP */
#define ETH 5		/* generic XDP only */
#define NETDEV_FAMILY 27

static const char *const secs[] = {
	"xdp", "tc", "tcx/ingress", "tcx/egress", "netkit/primary", "netkit/peer",
	"cgroup/connect4", "socket", "sk_msg", "sk_lookup", "flow_dissector", "netfilter",
	"cgroup_skb/egress", "xdp",
};

enum { P_XDP, P_TC, P_TCX_IN, P_TCX_EG, P_NK_PRI, P_NK_PEER, P_CONNECT4, P_SOCKET, P_SK_MSG,
       P_SK_LOOKUP, P_FLOW, P_NF, P_CG_EG, P_XDP2, P_CNT };

struct env {
	struct fs_script script;
	struct fake_nl nl;
	struct fs_wrap wrap;
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	uint8_t *elf;
	struct bbpf_program *p[P_CNT];
	int fd[P_CNT];
	size_t base_fds;
	unsigned long hist0;	/* bpf calls recorded before the step under test */
	char log[8192];
	size_t log_len;
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct env *e = ctx;
	int n;

	(void)level;
	if (e->log_len < sizeof(e->log) - 1) {
		n = snprintf(e->log + e->log_len, sizeof(e->log) - e->log_len, "%s\n", msg);
		if (n > 0)
			e->log_len += (size_t)n;
		if (e->log_len >= sizeof(e->log))
			e->log_len = sizeof(e->log) - 1;
	}
}

/* BPF_OBJ_GET_INFO_BY_FD of a program: its fake id (fake_nl's) and name. */
static long bpf_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct env *e = s->cb_ctx;
	struct bpf_prog_info info;
	uint32_t id;
	size_t i;

	(void)size;
	if (cmd != BPF_OBJ_GET_INFO_BY_FD)
		return FS_DEFAULT;
	id = fnl_prog_id(&e->nl, (int)attr->info.bpf_fd);
	for (i = 0; i < P_CNT; i++)
		if (e->fd[i] >= 0 && fnl_prog_id(&e->nl, e->fd[i]) == id)
			break;
	if (i == P_CNT)
		return -EBADF;
	memset(&info, 0, sizeof(info));
	info.id = id;
	snprintf((char *)info.name, sizeof(info.name), "prog%zu", i);
	memcpy((void *)(uintptr_t)attr->info.info, &info,
	       attr->info.info_len < sizeof(info) ? attr->info.info_len : sizeof(info));
	return 0;
}

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { .log = log_cb };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_sys s1, s2;
	size_t i, len;

	assert_non_null(e);
	s1 = fs_script_init(&e->script);
	e->script.bpf_cb = bpf_cb;
	e->script.cb_ctx = e;
	s2 = fnl_init(&e->nl, &s1);
	e->nl.netdev_family = NETDEV_FAMILY;
	fnl_add_dev(&e->nl, VA, "va", true)->xdp_features = 0x7;
	fnl_add_dev(&e->nl, 4, "vb", true);
	fnl_add_dev(&e->nl, ETH, "eth0", false);
	e->sys = fs_wrap_init(&e->wrap, &s2);
	co.sys = &e->sys;
	co.log_ctx = e;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	e->ctx->feat.probed = true;
	e->ctx->feat.memcg_account = true;
	e->ctx->feat.prog_name = true;
	e->ctx->feat.perf_link = true;
	e->elf = tk_tiny_object(secs, ARRAY_LEN(secs), &len);
	assert_int_equal(bbpf_object_open_mem(&e->obj, e->elf, len, NULL, NULL), 0);
	for (i = 0; i < P_CNT; i++) {
		e->p[i] = bbpf_object_program(e->obj, i);
		e->fd[i] = -1;
	}
	lo.ctx = e->ctx;
	assert_int_equal(bbpf_object_load(e->obj, &lo), 0);
	for (i = 0; i < P_CNT; i++) {
		e->fd[i] = bbpf_program_fd(e->p[i]);
		assert_true(e->fd[i] >= 0);
	}
	e->base_fds = fs_wrap_open_fds(&e->wrap);
	e->hist0 = e->script.hist_cnt;
	return e;
}

static void assert_clean(struct env *e)
{
	if (fs_wrap_open_fds(&e->wrap) != e->base_fds) {
		fs_wrap_dump(&e->wrap, stderr);
		fail_msg("%zu fds left open", fs_wrap_open_fds(&e->wrap) - e->base_fds);
	}
	assert_int_equal(fnl_open_socks(&e->nl), 0);
}

static void env_free(struct env *e)
{
	assert_clean(e);
	bbpf_object_close(e->obj);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	bbpf_ctx_free(e->ctx);
	free(e->elf);
	fnl_fini(&e->nl);
	fs_script_fini(&e->script);
	free(e);
}

static void mark(struct env *e)
{
	e->hist0 = e->script.hist_cnt;
	e->log_len = 0;
	e->log[0] = '\0';
}

/* The k-th bpf call since mark(), which must be cmd. */
static const union bpf_attr *bpf_call(struct env *e, unsigned long k, int cmd)
{
	unsigned long n = e->hist0 + k;
	const struct fs_call *c;

	if (n >= e->script.hist_cnt)
		fail_msg("bpf call #%lu missing (%lu made)", k, e->script.hist_cnt - e->hist0);
	c = &e->script.hist[n % FS_HIST_MAX];
	if (c->cmd != cmd)
		fail_msg("bpf call #%lu: cmd %d, expected %d", k, c->cmd, cmd);
	return &c->attr;
}

static unsigned long bpf_calls(struct env *e)
{
	return e->script.hist_cnt - e->hist0;
}

/* The link_create bytes past the common part (tcx, netkit, netfilter). */
static void lc_extra(const union bpf_attr *a, void *out, size_t len)
{
	memcpy(out, (const uint8_t *)&a->link_create.target_btf_id, len);
}

static uint32_t id(struct env *e, int i)
{
	return fnl_prog_id(&e->nl, e->fd[i]);
}

/* ---- request inspection ---- */

static const struct fnl_req *req(struct env *e, size_t n, uint16_t type, uint16_t flags)
{
	const struct fnl_req *r = fnl_req(&e->nl, n);

	if (!r)
		fail_msg("netlink request #%zu missing (%zu made)", n, e->nl.hist_cnt);
	if (fnl_req_type(r) != type)
		fail_msg("netlink request #%zu: type %u, expected %u", n, fnl_req_type(r), type);
	if (fnl_req_flags(r) != flags)
		fail_msg("netlink request #%zu: flags 0x%x, expected 0x%x", n, fnl_req_flags(r),
			 flags);
	return r;
}

static uint32_t rattr_u32(const struct fnl_req *r, size_t hdr, const uint16_t *path, size_t depth)
{
	uint16_t len;
	const void *p = fnl_req_attr(r, hdr, path, depth, &len);
	uint32_t v;

	if (!p)
		fail_msg("attribute %u (depth %zu) missing", path[depth - 1], depth);
	assert_int_equal(len, 4);
	memcpy(&v, p, 4);
	return v;
}

static bool rattr_has(const struct fnl_req *r, size_t hdr, const uint16_t *path, size_t depth)
{
	uint16_t len;

	return fnl_req_attr(r, hdr, path, depth, &len) != NULL;
}

static void rattr_str(const struct fnl_req *r, size_t hdr, const uint16_t *path, size_t depth,
		      const char *want)
{
	uint16_t len;
	const char *p = fnl_req_attr(r, hdr, path, depth, &len);

	if (!p)
		fail_msg("string attribute %u missing", path[depth - 1]);
	assert_int_equal(len, strlen(want) + 1);
	assert_string_equal(p, want);
}

static struct ifinfomsg req_ifi(const struct fnl_req *r)
{
	struct ifinfomsg ifi;

	fnl_req_hdr(r, &ifi, sizeof(ifi));
	return ifi;
}

static struct tcmsg req_tc(const struct fnl_req *r)
{
	struct tcmsg tc;

	fnl_req_hdr(r, &tc, sizeof(tc));
	return tc;
}

#define ACKED (NLM_F_REQUEST | NLM_F_ACK)
#define DUMP (NLM_F_REQUEST | NLM_F_DUMP)

/* RTM_SETLINK IFLA_XDP as expected: fd, flags (0: absent), expected fd (-2: absent). */
static void expect_setlink(struct env *e, size_t n, int ifindex, int fd, uint32_t flags,
			   int expected)
{
	const struct fnl_req *r = req(e, n, RTM_SETLINK, ACKED);
	struct ifinfomsg ifi = req_ifi(r);
	uint16_t p_fd[] = { IFLA_XDP, IFLA_XDP_FD }, p_fl[] = { IFLA_XDP, IFLA_XDP_FLAGS },
		 p_ex[] = { IFLA_XDP, IFLA_XDP_EXPECTED_FD };

	assert_int_equal(ifi.ifi_family, AF_UNSPEC);
	assert_int_equal(ifi.ifi_index, ifindex);
	assert_int_equal((int)rattr_u32(r, sizeof(ifi), p_fd, 2), fd);
	if (flags)
		assert_int_equal(rattr_u32(r, sizeof(ifi), p_fl, 2), flags);
	else
		assert_false(rattr_has(r, sizeof(ifi), p_fl, 2));
	if (expected == -2)
		assert_false(rattr_has(r, sizeof(ifi), p_ex, 2));
	else
		assert_int_equal((int)rattr_u32(r, sizeof(ifi), p_ex, 2), expected);
}

static void expect_getlink(struct env *e, size_t n, int ifindex)
{
	struct ifinfomsg ifi = req_ifi(req(e, n, RTM_GETLINK, ACKED));

	assert_int_equal(ifi.ifi_index, ifindex);
}

/* ---- XDP ---- */

static void test_xdp_link_attrs(void **state)
{
	struct bbpf_xdp_link_opts o = { .flags = XDP_FLAGS_SKB_MODE };
	const union bpf_attr *a;
	struct env *e = env_new();
	struct bbpf_link *l;

	(void)state;
	assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP], VA, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.prog_fd, e->fd[P_XDP]);
	assert_int_equal(a->link_create.target_ifindex, VA);
	assert_int_equal(a->link_create.attach_type, BPF_XDP);
	assert_int_equal(a->link_create.flags, 0);
	assert_int_equal(bpf_calls(e), 1);
	assert_int_equal(e->nl.hist_cnt, 0);
	assert_true(bbpf_link_fd(l) >= 0);
	bbpf_link_destroy(l);
	assert_clean(e);

	mark(e);
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], ETH, &o, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.flags, XDP_FLAGS_SKB_MODE);
	assert_int_equal(a->link_create.target_ifindex, ETH);
	bbpf_link_destroy(l);

	/* refused before any call */
	mark(e);
	o.flags = XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE;
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], VA, &o, &l), -EINVAL);
	assert_null(l);
	o.flags = XDP_FLAGS_REPLACE;	/* without old_prog_fd */
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], VA, &o, &l), -EINVAL);
	o.flags = 1u << 9;
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], VA, &o, &l), -EINVAL);
	assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP], 0, &l), -EINVAL);
	assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP], VA, NULL), -EINVAL);
	assert_int_equal(bbpf_program_attach_xdp(NULL, VA, &l), -EINVAL);
	assert_int_equal(bpf_calls(e), 0);
	assert_int_equal(e->nl.hist_cnt, 0);
	env_free(e);
}

/* No XDP links (-EINVAL): netlink, never replacing; the link detaches its own program only. */
static void test_xdp_link_fallback(void **state)
{
	struct env *e = env_new();
	struct bbpf_link *l;
	int dfd;

	(void)state;
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP], VA, &l), 0);
	assert_int_equal(bbpf_link_fd(l), -1);
	assert_int_equal(e->nl.hist_cnt, 2);
	expect_getlink(e, 0, VA);
	expect_setlink(e, 1, VA, e->fd[P_XDP], XDP_FLAGS_UPDATE_IF_NOEXIST, -2);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_drv, id(e, P_XDP));
	/* the link: its netlink socket, its copy of the program fd, the detach */
	assert_int_equal(l->undo_cnt, 3);
	assert_int_equal(l->undo[0].kind, BBPF_UNDO_CLOSE);
	assert_int_equal(l->undo[1].kind, BBPF_UNDO_CLOSE);
	assert_int_equal(l->undo[2].kind, BBPF_UNDO_XDP);
	assert_int_equal(l->undo[2].fd, l->undo[0].fd);
	assert_int_equal(l->undo[2].a[0], VA);
	assert_int_equal(l->undo[2].a[1], 0);
	dfd = l->undo[1].fd;
	assert_int_equal(l->undo[2].a[2], (uint32_t)dfd);
	assert_int_equal(fnl_prog_id(&e->nl, dfd), id(e, P_XDP));
	assert_int_equal(bbpf_link_pin(l, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	bbpf_link_destroy(l);
	expect_setlink(e, 2, VA, -1, XDP_FLAGS_REPLACE, dfd);
	assert_int_equal(e->nl.hist_cnt, 3);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_drv, 0);
	assert_clean(e);

	/* generic only: the same request lands in the generic slot, mode 0 undone as 0 */
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP], ETH, &l), 0);
	assert_int_equal(fnl_dev(&e->nl, ETH)->xdp_skb, id(e, P_XDP));
	/* a second one is refused by UPDATE_IF_NOEXIST, as a link would be */
	{
		struct bbpf_link *l2;

		assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
		assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP2], ETH, &l2), -EBUSY);
		assert_non_null(strstr(e->log, "XDP program already attached"));
	}
	bbpf_link_destroy(l);
	assert_int_equal(fnl_dev(&e->nl, ETH)->xdp_skb, 0);
	/* another error than -EINVAL is the answer */
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EBUSY), 0);
	e->nl.hist_cnt = 0;
	assert_int_equal(bbpf_program_attach_xdp(e->p[P_XDP], VA, &l), -EBUSY);
	assert_int_equal(e->nl.hist_cnt, 0);
	env_free(e);
}

static void test_xdp_netlink_not_ours(void **state)
{
	struct bbpf_xdp_link_opts o = { .flags = XDP_FLAGS_SKB_MODE, .netlink = true };
	struct bbpf_xdp_opts xo = { 0 };
	struct env *e = env_new();
	struct bbpf_link *l;

	(void)state;
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], VA, &o, &l), 0);
	assert_int_equal(bpf_calls(e), 0);	/* no link tried */
	expect_setlink(e, 1, VA, e->fd[P_XDP], XDP_FLAGS_SKB_MODE, -2);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_skb, id(e, P_XDP));
	/* someone replaces it: the link must not take theirs away */
	xo.old_prog_fd = e->fd[P_XDP];
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP2], XDP_FLAGS_SKB_MODE, &xo), 0);
	expect_setlink(e, 2, VA, e->fd[P_XDP2], XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE,
		       e->fd[P_XDP]);
	bbpf_link_destroy(l);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_skb, id(e, P_XDP2));
	assert_int_equal(bbpf_xdp_detach(e->ctx, VA, XDP_FLAGS_SKB_MODE, NULL), 0);
	expect_setlink(e, 4, VA, -1, XDP_FLAGS_SKB_MODE, -2);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_skb, 0);

	/* REPLACE through the link's options */
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP2], 0, NULL), 0);
	o.flags = XDP_FLAGS_REPLACE;
	o.netlink = false;	/* REPLACE needs netlink anyway */
	o.old_prog_fd = e->fd[P_XDP2];
	mark(e);
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], VA, &o, &l), 0);
	assert_int_equal(bpf_calls(e), 0);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_drv, id(e, P_XDP));
	bbpf_link_destroy(l);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_drv, 0);
	env_free(e);
}

/* Before 5.7 there is no XDP_FLAGS_REPLACE: detach after comparing ids. */
static void test_xdp_old_kernel_detach(void **state)
{
	struct bbpf_xdp_link_opts o = { .flags = XDP_FLAGS_SKB_MODE, .netlink = true };
	struct env *e = env_new();
	struct bbpf_link *l;
	size_t n;
	int dfd;

	(void)state;
	e->nl.no_replace = true;
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], ETH, &o, &l), 0);
	n = e->nl.hist_cnt;
	dfd = l->undo[1].fd;
	bbpf_link_destroy(l);
	expect_setlink(e, n, ETH, -1, XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE, dfd);
	assert_int_equal(fnl_dev(&e->nl, ETH)->xdp_skb, 0);
	expect_getlink(e, n + 1, ETH);
	expect_setlink(e, n + 2, ETH, -1, XDP_FLAGS_SKB_MODE, -2);
	assert_clean(e);

	/* not ours any more: left alone */
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], ETH, &o, &l), 0);
	fnl_dev(&e->nl, ETH)->xdp_skb = id(e, P_XDP2);
	n = e->nl.hist_cnt;
	bbpf_link_destroy(l);
	assert_int_equal(e->nl.hist_cnt, n + 2);	/* the refused REPLACE, the query */
	assert_int_equal(fnl_dev(&e->nl, ETH)->xdp_skb, id(e, P_XDP2));
	fnl_dev(&e->nl, ETH)->xdp_skb = 0;
	env_free(e);
}

static void test_xdp_api(void **state)
{
	struct bbpf_xdp_opts xo = { .old_prog_fd = 0 };
	struct bbpf_xdp_query q;
	const struct fnl_req *r;
	struct genlmsghdr gh;
	struct env *e = env_new();
	uint16_t p_name[] = { CTRL_ATTR_FAMILY_NAME }, p_if[] = { 1 /* NETDEV_A_DEV_IFINDEX */ };

	(void)state;
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP], 0, &xo), 0);
	expect_setlink(e, 0, VA, e->fd[P_XDP], 0, -2);
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, 0, &q), 0);
	expect_getlink(e, 1, VA);
	r = req(e, 2, GENL_ID_CTRL, ACKED);
	assert_int_equal(r->proto, NETLINK_GENERIC);
	fnl_req_hdr(r, &gh, sizeof(gh));
	assert_int_equal(gh.cmd, CTRL_CMD_GETFAMILY);
	assert_int_equal(gh.version, 2);
	rattr_str(r, GENL_HDRLEN, p_name, 1, "netdev");
	r = req(e, 3, NETDEV_FAMILY, ACKED);
	fnl_req_hdr(r, &gh, sizeof(gh));
	assert_int_equal(gh.cmd, 1 /* NETDEV_CMD_DEV_GET */);
	assert_int_equal(rattr_u32(r, GENL_HDRLEN, p_if, 1), VA);
	assert_int_equal(q.prog_id, id(e, P_XDP));
	assert_int_equal(q.drv_prog_id, id(e, P_XDP));
	assert_int_equal(q.skb_prog_id, 0);
	assert_int_equal(q.hw_prog_id, 0);
	assert_int_equal(q.attach_mode, XDP_ATTACHED_DRV);
	assert_int_equal(q.feature_flags, 0x7);
	/* generic and driver at once: not both (the kernel's rule) */
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP2], XDP_FLAGS_SKB_MODE, NULL),
			 -EEXIST);
	assert_non_null(strstr(e->log, "XDP attach to ifindex 3 (flags 0x2): -EEXIST (Native and "
				       "generic XDP can't be active at the same time)"));
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP2], XDP_FLAGS_DRV_MODE, NULL), 0);
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, XDP_FLAGS_DRV_MODE, &q), 0);
	assert_int_equal(q.drv_prog_id, id(e, P_XDP2));
	/* no "netdev" family (before 6.3): features unknown, not an error */
	e->nl.netdev_family = 0;
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, 0, &q), 0);
	assert_int_equal(q.feature_flags, 0);
	assert_int_equal(q.prog_id, id(e, P_XDP2));
	assert_int_equal(bbpf_xdp_query(e->ctx, 77, 0, &q), -ENODEV);
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, XDP_FLAGS_SKB_MODE | XDP_FLAGS_HW_MODE, &q),
			 -EINVAL);
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, 0, NULL), -EINVAL);
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP], XDP_FLAGS_HW_MODE, NULL),
			 -EOPNOTSUPP);
	assert_int_equal(bbpf_xdp_detach(e->ctx, VA, 0, NULL), 0);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_drv, 0);
	env_free(e);
}

/* ---- tcx and netkit ---- */

struct mprog {
	uint32_t relative, pad;
	uint64_t revision;
};

static void test_tcx_attrs(void **state)
{
	struct bbpf_tcx_opts o = { .flags = BPF_F_AFTER, .relative_fd = 9, .expected_revision = 5 };
	const union bpf_attr *a;
	struct env *e = env_new();
	struct bbpf_link *l;
	struct mprog m;

	(void)state;
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_IN], VA, NULL, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.prog_fd, e->fd[P_TCX_IN]);
	assert_int_equal(a->link_create.target_ifindex, VA);
	assert_int_equal(a->link_create.attach_type, BBPF_TCX_INGRESS);
	assert_int_equal(a->link_create.flags, 0);
	lc_extra(a, &m, sizeof(m));
	assert_int_equal(m.relative, 0);
	assert_int_equal(m.revision, 0);
	bbpf_link_destroy(l);

	mark(e);
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_EG], VA, &o, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.attach_type, BBPF_TCX_EGRESS);
	assert_int_equal(a->link_create.flags, BPF_F_AFTER);
	lc_extra(a, &m, sizeof(m));
	assert_int_equal(m.relative, 9);
	assert_int_equal(m.revision, 5);
	bbpf_link_destroy(l);

	/* an id instead: BPF_F_ID added */
	mark(e);
	o.relative_fd = 0;
	o.relative_id = 77;
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_EG], VA, &o, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.flags, BPF_F_AFTER | BPF_F_ID);
	lc_extra(a, &m, sizeof(m));
	assert_int_equal(m.relative, 77);
	bbpf_link_destroy(l);

	/* libbpf 1.8's prepend: BPF_F_BEFORE with no relative, no BPF_F_ID */
	mark(e);
	o = (struct bbpf_tcx_opts){ .flags = BPF_F_BEFORE };
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_EG], VA, &o, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.flags, BPF_F_BEFORE);
	lc_extra(a, &m, sizeof(m));
	assert_int_equal(m.relative, 0);
	assert_int_equal(m.revision, 0);
	bbpf_link_destroy(l);

	mark(e);
	o.relative_id = 77;
	o.relative_fd = 3;
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_EG], VA, &o, &l), -EINVAL);
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_EG], 0, NULL, &l), -EINVAL);
	assert_int_equal(bpf_calls(e), 0);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -ESTALE), 0);
	assert_int_equal(bbpf_program_attach_tcx(e->p[P_TCX_IN], VA, NULL, &l), -ESTALE);
	assert_non_null(strstr(e->log, "tcx link on ifindex 3: -ESTALE"));
	env_free(e);
}

/* Netkit: neither test kernel has it (CONFIG_NETKIT), so only here. */
static void test_netkit_fake_only(void **state)
{
	struct bbpf_tcx_opts o = { .flags = BPF_F_BEFORE | BPF_F_LINK, .relative_fd = 12,
				   .expected_revision = 3 };
	const union bpf_attr *a;
	struct env *e = env_new();
	struct bbpf_link *l;
	struct mprog m;

	(void)state;
	assert_int_equal(bbpf_program_attach_netkit(e->p[P_NK_PRI], 4, &o, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.prog_fd, e->fd[P_NK_PRI]);
	assert_int_equal(a->link_create.target_ifindex, 4);
	assert_int_equal(a->link_create.attach_type, BBPF_NETKIT_PRIMARY);
	assert_int_equal(a->link_create.flags, BPF_F_BEFORE | BPF_F_LINK);
	lc_extra(a, &m, sizeof(m));
	assert_int_equal(m.relative, 12);
	assert_int_equal(m.pad, 0);
	assert_int_equal(m.revision, 3);
	assert_true(bbpf_link_fd(l) >= 0);
	bbpf_link_destroy(l);
	mark(e);
	assert_int_equal(bbpf_program_attach_netkit(e->p[P_NK_PEER], 4, NULL, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.attach_type, BBPF_NETKIT_PEER);
	bbpf_link_destroy(l);
	/* a device without netkit: the kernel's error, nothing left */
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -ENXIO), 0);
	assert_int_equal(bbpf_program_attach_netkit(e->p[P_NK_PRI], VA, NULL, &l), -ENXIO);
	assert_null(l);
	env_free(e);
}

/* ---- classic tc ---- */

static void expect_newqdisc(struct env *e, size_t n, int ifindex)
{
	const struct fnl_req *r = req(e, n, RTM_NEWQDISC, ACKED | NLM_F_CREATE | NLM_F_EXCL);
	struct tcmsg tc = req_tc(r);
	uint16_t p_kind[] = { TCA_KIND };

	assert_int_equal(tc.tcm_family, AF_UNSPEC);
	assert_int_equal(tc.tcm_ifindex, ifindex);
	assert_int_equal(tc.tcm_parent, TC_H_CLSACT);
	assert_int_equal(tc.tcm_handle, TC_H_MAKE(TC_H_CLSACT, 0));
	rattr_str(r, sizeof(tc), p_kind, 1, "clsact");
}

static void expect_filter_dump(struct env *e, size_t n, int ifindex, uint32_t parent)
{
	struct tcmsg tc = req_tc(req(e, n, RTM_GETTFILTER, DUMP));

	assert_int_equal(tc.tcm_ifindex, ifindex);
	assert_int_equal(tc.tcm_parent, parent);
	assert_int_equal(tc.tcm_handle, 0);
}

static void expect_newtfilter(struct env *e, size_t n, int ifindex, uint32_t parent,
			      uint32_t handle, uint32_t prio, uint16_t excl, int fd,
			      const char *name)
{
	const struct fnl_req *r = req(e, n, RTM_NEWTFILTER,
				      ACKED | NLM_F_CREATE | NLM_F_ECHO | excl);
	struct tcmsg tc = req_tc(r);
	uint16_t p_kind[] = { TCA_KIND }, p_fd[] = { TCA_OPTIONS, TCA_BPF_FD },
		 p_name[] = { TCA_OPTIONS, TCA_BPF_NAME }, p_fl[] = { TCA_OPTIONS, TCA_BPF_FLAGS };

	assert_int_equal(tc.tcm_family, AF_UNSPEC);
	assert_int_equal(tc.tcm_ifindex, ifindex);
	assert_int_equal(tc.tcm_parent, parent);
	assert_int_equal(tc.tcm_handle, handle);
	assert_int_equal(tc.tcm_info, TC_H_MAKE(prio << 16, 0x0300));	/* htons(ETH_P_ALL) */
	rattr_str(r, sizeof(tc), p_kind, 1, "bpf");
	assert_int_equal((int)rattr_u32(r, sizeof(tc), p_fd, 2), fd);
	rattr_str(r, sizeof(tc), p_name, 2, name);
	assert_int_equal(rattr_u32(r, sizeof(tc), p_fl, 2), TCA_BPF_FLAG_ACT_DIRECT);
}

static void expect_deltfilter(struct env *e, size_t n, int ifindex, uint32_t parent,
			      uint32_t handle, uint32_t prio)
{
	const struct fnl_req *r = req(e, n, RTM_DELTFILTER, ACKED);
	struct tcmsg tc = req_tc(r);
	uint16_t p_kind[] = { TCA_KIND };

	assert_int_equal(tc.tcm_ifindex, ifindex);
	assert_int_equal(tc.tcm_parent, parent);
	assert_int_equal(tc.tcm_handle, handle);
	if (handle || prio) {
		assert_int_equal(tc.tcm_info, TC_H_MAKE(prio << 16, 0x0300));
		rattr_str(r, sizeof(tc), p_kind, 1, "bpf");
	} else {
		assert_int_equal(tc.tcm_info, 0);	/* a flush */
		assert_false(rattr_has(r, sizeof(tc), p_kind, 1));
	}
}

static void test_tc_link_made(void **state)
{
	struct env *e = env_new();
	struct bbpf_link *l;
	char name[32];
	size_t n = 0;

	(void)state;
	snprintf(name, sizeof(name), "prog%d:[%u]", P_TC, id(e, P_TC));
	assert_int_equal(bbpf_program_attach_tc(e->p[P_TC], VA, BBPF_TC_INGRESS, &l), 0);
	assert_int_equal(bbpf_link_fd(l), -1);
	assert_int_equal(fnl_req_type(req(e, n++, RTM_GETQDISC, DUMP)), RTM_GETQDISC);
	expect_newqdisc(e, n++, VA);
	expect_filter_dump(e, n++, VA, INGRESS);
	expect_newtfilter(e, n++, VA, INGRESS, 0, 0, NLM_F_EXCL, e->fd[P_TC], name);
	assert_int_equal(e->nl.hist_cnt, n);
	bpf_call(e, 0, BPF_OBJ_GET_INFO_BY_FD);
	assert_true(fnl_dev(&e->nl, VA)->clsact);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, INGRESS), 1);
	assert_int_equal(e->nl.filters[0].handle, 1);
	assert_int_equal(e->nl.filters[0].prio, 0xc000);
	assert_int_equal(e->nl.filters[0].prog_id, id(e, P_TC));
	assert_int_equal(e->nl.filters[0].flags, TCA_BPF_FLAG_ACT_DIRECT);
	/* the link: socket, qdisc (made here), filter as the echo named it */
	assert_int_equal(l->undo_cnt, 3);
	assert_int_equal(l->undo[1].kind, BBPF_UNDO_QDISC);
	assert_int_equal(l->undo[2].kind, BBPF_UNDO_TC_FILTER);
	assert_int_equal(l->undo[2].a[1], INGRESS);
	assert_int_equal(l->undo[2].a[2], 1);
	assert_int_equal(l->undo[2].a[3], 0xc000);
	bbpf_link_destroy(l);
	expect_deltfilter(e, n++, VA, INGRESS, 1, 0xc000);
	expect_filter_dump(e, n++, VA, INGRESS);
	expect_filter_dump(e, n++, VA, EGRESS);
	req(e, n++, RTM_DELQDISC, ACKED);
	assert_int_equal(e->nl.hist_cnt, n);
	assert_false(fnl_dev(&e->nl, VA)->clsact);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, 0), 0);
	assert_int_equal(fnl_pending(&e->nl), 0);
	env_free(e);
}

static void test_tc_link_existing_qdisc(void **state)
{
	struct env *e = env_new();
	struct bbpf_link *l;
	size_t n;

	(void)state;
	fnl_dev(&e->nl, VA)->clsact = true;
	assert_int_equal(bbpf_program_attach_tc(e->p[P_TC], VA, BBPF_TC_EGRESS, &l), 0);
	req(e, 0, RTM_GETQDISC, DUMP);
	expect_filter_dump(e, 1, VA, EGRESS);
	req(e, 2, RTM_NEWTFILTER, ACKED | NLM_F_CREATE | NLM_F_ECHO | NLM_F_EXCL);
	assert_int_equal(l->undo_cnt, 2);	/* no qdisc to remove */
	n = e->nl.hist_cnt;
	bbpf_link_destroy(l);
	expect_deltfilter(e, n, VA, EGRESS, 1, 0xc000);
	assert_int_equal(e->nl.hist_cnt, n + 1);
	assert_true(fnl_dev(&e->nl, VA)->clsact);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, 0), 0);
	fnl_dev(&e->nl, VA)->clsact = false;
	env_free(e);
}

/* A qdisc the link made, still used by someone else's filter: kept. */
static void test_tc_link_qdisc_in_use(void **state)
{
	struct bbpf_tc_hook eg = { .ifindex = VA, .attach_point = BBPF_TC_EGRESS };
	struct env *e = env_new();
	struct bbpf_tc_opts o = { .prog_fd = e->fd[P_TC] };
	struct bbpf_link *l, *l2;

	(void)state;
	assert_int_equal(bbpf_program_attach_tc(e->p[P_TC], VA, BBPF_TC_INGRESS, &l), 0);
	assert_int_equal(bbpf_tc_attach(e->ctx, &eg, &o), 0);
	assert_int_equal(bbpf_program_attach_tc(e->p[P_CG_EG], VA, BBPF_TC_INGRESS, &l2), 0);
	assert_int_equal(e->nl.filters[2].prio, 0xbfff);	/* below the first: the kernel's pick */
	bbpf_link_destroy(l);
	assert_true(fnl_dev(&e->nl, VA)->clsact);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, INGRESS), 1);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, EGRESS), 1);
	bbpf_link_destroy(l2);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, INGRESS), 0);
	assert_true(fnl_dev(&e->nl, VA)->clsact);	/* l2 did not make it */
	assert_int_equal(bbpf_tc_detach(e->ctx, &eg, &o), -EINVAL);	/* prog_fd set */
	o.prog_fd = 0;
	o.prog_id = 0;
	assert_int_equal(bbpf_tc_detach(e->ctx, &eg, &o), 0);
	fnl_dev(&e->nl, VA)->clsact = false;
	env_free(e);
}

static void test_tc_api(void **state)
{
	struct bbpf_tc_hook both = { .ifindex = VA, .attach_point = BBPF_TC_INGRESS | BBPF_TC_EGRESS },
			    in = { .ifindex = VA, .attach_point = BBPF_TC_INGRESS },
			    custom = { .ifindex = VA, .attach_point = BBPF_TC_CUSTOM,
				       .parent = TC_H_MAKE(1u << 16, 0) };
	struct env *e = env_new();
	struct bbpf_tc_opts o = { .prog_fd = e->fd[P_TC], .handle = 5, .priority = 7 }, q;
	const struct fnl_req *r;
	struct tcmsg tc;
	char name[32];
	size_t n = 0;

	(void)state;
	snprintf(name, sizeof(name), "prog%d:[%u]", P_TC, id(e, P_TC));
	/* refused before anything is sent, as libbpf */
	{
		struct bbpf_tc_hook bad = in;
		struct bbpf_tc_opts bo = o;

		bad.ifindex = 0;
		assert_int_equal(bbpf_tc_hook_create(e->ctx, &bad), -EINVAL);
		assert_int_equal(bbpf_tc_attach(e->ctx, &bad, &bo), -EINVAL);
		bad = in;
		bad.parent = 5;
		assert_int_equal(bbpf_tc_hook_create(e->ctx, &bad), -EINVAL);
		bad = in;
		bad.attach_point = 0;
		assert_int_equal(bbpf_tc_hook_create(e->ctx, &bad), -EINVAL);
		assert_int_equal(bbpf_tc_hook_destroy(e->ctx, &bad), -EINVAL);
		assert_int_equal(bbpf_tc_hook_create(e->ctx, &custom), -EOPNOTSUPP);
		assert_int_equal(bbpf_tc_hook_destroy(e->ctx, &custom), -EOPNOTSUPP);
		bo.priority = 0x10000;
		assert_int_equal(bbpf_tc_attach(e->ctx, &in, &bo), -EINVAL);
		bo = o;
		bo.prog_id = 3;
		assert_int_equal(bbpf_tc_attach(e->ctx, &in, &bo), -EINVAL);
		bo = o;
		bo.flags = 2;
		assert_int_equal(bbpf_tc_attach(e->ctx, &in, &bo), -EINVAL);
		bo = o;
		bo.prog_fd = 0;
		assert_int_equal(bbpf_tc_attach(e->ctx, &in, &bo), -EINVAL);
		assert_int_equal(bbpf_tc_attach(e->ctx, &in, NULL), -EINVAL);
		q = (struct bbpf_tc_opts){ .handle = 5 };
		assert_int_equal(bbpf_tc_query(e->ctx, &in, &q), -EINVAL);	/* no priority */
		assert_int_equal(bbpf_tc_detach(e->ctx, &in, NULL), -EINVAL);
		assert_int_equal(e->nl.hist_cnt, 0);
		assert_int_equal(fs_wrap_open_fds(&e->wrap), e->base_fds);
	}
	assert_int_equal(bbpf_tc_hook_create(e->ctx, &both), 0);
	expect_newqdisc(e, n++, VA);
	assert_int_equal(bbpf_tc_hook_create(e->ctx, &in), -EEXIST);
	expect_newqdisc(e, n++, VA);
	/* chosen handle and priority: no listing before */
	assert_int_equal(bbpf_tc_attach(e->ctx, &in, &o), 0);
	expect_newtfilter(e, n++, VA, INGRESS, 5, 7, NLM_F_EXCL, e->fd[P_TC], name);
	assert_int_equal(o.prog_id, id(e, P_TC));
	assert_int_equal(o.handle, 5);
	assert_int_equal(o.priority, 7);
	o.prog_id = 0;
	assert_int_equal(bbpf_tc_attach(e->ctx, &in, &o), -EEXIST);
	assert_non_null(strstr(e->log, "-EEXIST (Filter already exists)"));
	n++;
	o.flags = BBPF_TC_F_REPLACE;
	o.prog_fd = e->fd[P_CG_EG];
	snprintf(name, sizeof(name), "prog%d:[%u]", P_CG_EG, id(e, P_CG_EG));
	assert_int_equal(bbpf_tc_attach(e->ctx, &in, &o), 0);
	expect_newtfilter(e, n++, VA, INGRESS, 5, 7, NLM_F_REPLACE, e->fd[P_CG_EG], name);
	assert_int_equal(o.prog_id, id(e, P_CG_EG));
	q = (struct bbpf_tc_opts){ .handle = 5, .priority = 7 };
	assert_int_equal(bbpf_tc_query(e->ctx, &in, &q), 0);
	r = req(e, n++, RTM_GETTFILTER, ACKED);
	tc = req_tc(r);
	assert_int_equal(tc.tcm_handle, 5);
	assert_int_equal(tc.tcm_info, TC_H_MAKE(7u << 16, 0x0300));
	assert_int_equal(q.prog_id, id(e, P_CG_EG));
	assert_int_equal(bbpf_tc_detach(e->ctx, &in, &q), -EINVAL);	/* prog_id set */
	q.prog_id = 0;
	assert_int_equal(bbpf_tc_detach(e->ctx, &in, &q), 0);
	expect_deltfilter(e, n++, VA, INGRESS, 5, 7);
	assert_int_equal(bbpf_tc_query(e->ctx, &in, &q), -ENOENT);
	n++;
	/* automatic: the program's filters listed first */
	o = (struct bbpf_tc_opts){ .prog_fd = e->fd[P_TC] };
	snprintf(name, sizeof(name), "prog%d:[%u]", P_TC, id(e, P_TC));
	assert_int_equal(bbpf_tc_attach(e->ctx, &in, &o), 0);
	expect_filter_dump(e, n++, VA, INGRESS);
	expect_newtfilter(e, n++, VA, INGRESS, 0, 0, NLM_F_EXCL, e->fd[P_TC], name);
	assert_int_equal(o.handle, 1);
	assert_int_equal(o.priority, 0xc000);
	/* one side: flushed; both: the qdisc goes */
	assert_int_equal(bbpf_tc_hook_destroy(e->ctx, &in), 0);
	expect_deltfilter(e, n++, VA, INGRESS, 0, 0);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, 0), 0);
	assert_true(fnl_dev(&e->nl, VA)->clsact);
	assert_int_equal(bbpf_tc_hook_destroy(e->ctx, &both), 0);
	req(e, n++, RTM_DELQDISC, ACKED);
	assert_false(fnl_dev(&e->nl, VA)->clsact);
	assert_int_equal(bbpf_tc_hook_destroy(e->ctx, &both), -EINVAL);
	assert_non_null(strstr(e->log, "Cannot find specified qdisc on specified device"));
	/* a filter with no qdisc: the kernel's answer */
	assert_int_equal(bbpf_tc_attach(e->ctx, &in, &o), -EINVAL);
	/* custom parent: taken as given */
	custom.parent = INGRESS;
	fnl_dev(&e->nl, VA)->clsact = true;
	o = (struct bbpf_tc_opts){ .prog_fd = e->fd[P_TC], .handle = 2, .priority = 2 };
	assert_int_equal(bbpf_tc_attach(e->ctx, &custom, &o), 0);
	assert_int_equal(fnl_filter_cnt(&e->nl, VA, INGRESS), 1);
	fnl_dev(&e->nl, VA)->clsact = false;
	env_free(e);
}

/* ---- cgroup, sockets, netns, netfilter ---- */

static void test_cgroup_attrs(void **state)
{
	const union bpf_attr *a;
	struct env *e = env_new();
	struct bbpf_link *l;
	uint32_t tfd, pfd;
	int cg = 42;

	(void)state;
	assert_int_equal(bbpf_program_attach_cgroup(e->p[P_CONNECT4], cg, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.prog_fd, e->fd[P_CONNECT4]);
	assert_int_equal(a->link_create.target_fd, cg);
	assert_int_equal(a->link_create.attach_type, BPF_CGROUP_INET4_CONNECT);
	assert_int_equal(bpf_calls(e), 1);
	bbpf_link_destroy(l);

	/* before cgroup links: PROG_ATTACH, multi, with the link's own fds; PROG_DETACH after */
	mark(e);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_cgroup(e->p[P_CG_EG], e->fd[P_SOCKET], &l), 0);
	bpf_call(e, 0, BPF_LINK_CREATE);
	a = bpf_call(e, 1, BPF_PROG_ATTACH);
	tfd = a->target_fd;
	pfd = a->attach_bpf_fd;
	assert_int_not_equal(tfd, e->fd[P_SOCKET]);
	assert_int_not_equal(pfd, e->fd[P_CG_EG]);
	assert_int_equal(fnl_prog_id(&e->nl, (int)pfd), id(e, P_CG_EG));
	assert_int_equal(a->attach_type, BPF_CGROUP_INET_EGRESS);
	assert_int_equal(a->attach_flags, BPF_F_ALLOW_MULTI);
	assert_int_equal(bbpf_link_fd(l), -1);
	bbpf_link_destroy(l);
	a = bpf_call(e, 2, BPF_PROG_DETACH);
	assert_int_equal(a->target_fd, tfd);
	assert_int_equal(a->attach_bpf_fd, pfd);
	assert_int_equal(a->attach_type, BPF_CGROUP_INET_EGRESS);
	assert_clean(e);

	/* libbpf's low-level pair */
	mark(e);
	assert_int_equal(bbpf_prog_attach(e->ctx, e->fd[P_CG_EG], cg, BPF_CGROUP_INET_EGRESS,
					  BPF_F_ALLOW_OVERRIDE), 0);
	a = bpf_call(e, 0, BPF_PROG_ATTACH);
	assert_int_equal(a->target_fd, cg);
	assert_int_equal(a->attach_bpf_fd, e->fd[P_CG_EG]);
	assert_int_equal(a->attach_flags, BPF_F_ALLOW_OVERRIDE);
	assert_int_equal(bbpf_prog_detach(e->ctx, -1, VA, BBPF_TCX_INGRESS), 0);
	a = bpf_call(e, 1, BPF_PROG_DETACH);
	assert_int_equal(a->target_fd, VA);	/* target_ifindex in newer headers */
	assert_int_equal(a->attach_bpf_fd, 0);	/* none: the kernel's choice */
	assert_int_equal(a->attach_type, BBPF_TCX_INGRESS);
	assert_int_equal(bbpf_program_attach_cgroup(e->p[P_CG_EG], -1, &l), -EINVAL);
	env_free(e);
}

static void test_socket_filter_calls(void **state)
{
	struct env *e = env_new();
	struct bbpf_link *l;
	int sock = (int)e->sys.socket(e->sys.ctx, AF_UNIX, SOCK_DGRAM, 0);

	(void)state;
	assert_true(sock >= 0);
	assert_int_equal(bbpf_program_attach_socket(e->p[P_SOCKET], sock, &l), 0);
	assert_int_equal(e->nl.sockopt.fd, sock);
	assert_int_equal(e->nl.sockopt.level, SOL_SOCKET);
	assert_int_equal(e->nl.sockopt.name, 50 /* SO_ATTACH_BPF */);
	assert_int_equal(e->nl.sockopt.val, e->fd[P_SOCKET]);
	assert_int_equal(e->nl.sockopt.len, sizeof(int));
	assert_int_equal(bbpf_link_fd(l), -1);
	bbpf_link_destroy(l);
	assert_int_equal(e->nl.sockopt_cnt, 2);
	assert_int_equal(e->nl.sockopt.name, 27 /* SO_DETACH_BPF */);
	assert_false(e->nl.sockopt.null);	/* the kernel reads an int */
	assert_int_equal(e->nl.sockopt.len, sizeof(int));
	/* the socket is still the caller's */
	assert_int_equal(e->sys.close(e->sys.ctx, sock), 0);
	fs_wrap_fail_hook(&e->wrap, FS_HOOK_SETSOCKOPT, -1, 1, -ENOTSOCK, false);
	assert_int_equal(bbpf_program_attach_socket(e->p[P_SOCKET], 3, &l), -ENOTSOCK);
	env_free(e);
}

static void test_sockmap_netns_netfilter_attrs(void **state)
{
	struct bbpf_netfilter_opts nf = { .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
					  .priority = -128, .flags = 1 };
	struct { uint32_t pf, hook; int32_t prio; uint32_t flags; } got;
	const union bpf_attr *a;
	struct env *e = env_new();
	struct bbpf_link *l;

	(void)state;
	assert_int_equal(bbpf_program_attach_sockmap(e->p[P_SK_MSG], 61, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.target_fd, 61);
	assert_int_equal(a->link_create.attach_type, BPF_SK_MSG_VERDICT);
	bbpf_link_destroy(l);
	/* before sockmap links: PROG_ATTACH to the map, no flags */
	mark(e);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_sockmap(e->p[P_SK_MSG], e->fd[P_NF], &l), 0);
	a = bpf_call(e, 1, BPF_PROG_ATTACH);
	assert_int_equal(a->attach_type, BPF_SK_MSG_VERDICT);
	assert_int_equal(a->attach_flags, 0);
	bbpf_link_destroy(l);
	bpf_call(e, 2, BPF_PROG_DETACH);
	/* netns: a link, no fallback */
	mark(e);
	assert_int_equal(bbpf_program_attach_netns(e->p[P_SK_LOOKUP], 66, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.target_fd, 66);
	assert_int_equal(a->link_create.attach_type, BPF_SK_LOOKUP);
	bbpf_link_destroy(l);
	assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	assert_int_equal(bbpf_program_attach_netns(e->p[P_FLOW], 66, &l), -EINVAL);
	assert_int_equal(bbpf_program_attach_netns(e->p[P_FLOW], -1, &l), -EINVAL);
	/* netfilter: the hook in link_create.netfilter */
	mark(e);
	assert_int_equal(bbpf_program_attach_netfilter(e->p[P_NF], &nf, &l), 0);
	a = bpf_call(e, 0, BPF_LINK_CREATE);
	assert_int_equal(a->link_create.prog_fd, e->fd[P_NF]);
	assert_int_equal(a->link_create.target_fd, 0);
	assert_int_equal(a->link_create.attach_type, BBPF_NETFILTER);
	assert_int_equal(a->link_create.flags, 0);
	lc_extra(a, &got, sizeof(got));
	assert_int_equal(got.pf, NFPROTO_IPV4);
	assert_int_equal(got.hook, NF_INET_LOCAL_OUT);
	assert_int_equal(got.prio, -128);
	assert_int_equal(got.flags, 1);
	bbpf_link_destroy(l);
	assert_int_equal(bbpf_program_attach_netfilter(e->p[P_NF], NULL, &l), -EINVAL);
	env_free(e);
}

/* ---- malformed, stale and uncapped answers ---- */

static void test_nl_answers(void **state)
{
	struct bbpf_xdp_link_opts o = { .netlink = true };
	struct env *e = env_new();
	struct bbpf_xdp_query q;
	struct bbpf_link *l;

	(void)state;
	/* a truncated message: -EBADMSG, nothing left */
	e->nl.garbage_reply = true;
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, 0, &q), -EBADMSG);
	e->nl.garbage_reply = true;
	assert_int_equal(bbpf_program_attach_tc(e->p[P_TC], VA, BBPF_TC_INGRESS, &l), -EBADMSG);
	assert_false(fnl_dev(&e->nl, VA)->clsact);
	assert_clean(e);
	/* answers to earlier requests are skipped */
	e->nl.stale_replies = 5;
	assert_int_equal(bbpf_program_attach_xdp_opts(e->p[P_XDP], VA, &o, &l), 0);
	assert_int_equal(bbpf_xdp_query(e->ctx, VA, 0, &q), 0);
	assert_int_equal(q.prog_id, id(e, P_XDP));
	bbpf_link_destroy(l);
	assert_int_equal(fnl_dev(&e->nl, VA)->xdp_drv, 0);
	/* without NETLINK_CAP_ACK the error echoes the whole request: the text is after it */
	mark(e);
	fs_wrap_fail_hook(&e->wrap, FS_HOOK_SETSOCKOPT, -1, 2, -ENOPROTOOPT, false);
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP], XDP_FLAGS_HW_MODE, NULL),
			 -EOPNOTSUPP);
	assert_non_null(strstr(e->log, "(Underlying driver does not support XDP in HW mode)"));
	/* and without NETLINK_EXT_ACK there is no text */
	mark(e);
	fs_wrap_fail_hook(&e->wrap, FS_HOOK_SETSOCKOPT, -1, 1, -ENOPROTOOPT, false);
	assert_int_equal(bbpf_xdp_attach(e->ctx, VA, e->fd[P_XDP], XDP_FLAGS_HW_MODE, NULL),
			 -EOPNOTSUPP);
	assert_non_null(strstr(e->log, "(no message)"));
	env_free(e);
}

/* ---- every call failing in turn ---- */

enum kind {
	K_XDP_LINK, K_XDP_FALLBACK, K_XDP_NETLINK, K_TCX, K_NETKIT, K_TC_MADE, K_TC_EXISTING,
	K_TC_API, K_CGROUP, K_CGROUP_FALLBACK, K_SOCKET, K_SOCKMAP, K_SOCKMAP_FALLBACK, K_NETNS,
	K_NETFILTER, K_CNT
};

static const char *const kind_names[] = {
	"xdp link", "xdp fallback", "xdp netlink", "tcx", "netkit", "tc (qdisc made)",
	"tc (qdisc there)", "bbpf_tc_attach", "cgroup", "cgroup fallback", "socket", "sockmap",
	"sockmap fallback", "netns", "netfilter",
};

static int do_attach(struct env *e, enum kind k, struct bbpf_link **l)
{
	struct bbpf_xdp_link_opts xo = { .flags = XDP_FLAGS_SKB_MODE, .netlink = true };
	struct bbpf_netfilter_opts nf = { .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN };
	struct bbpf_tc_hook eg = { .ifindex = VA, .attach_point = BBPF_TC_EGRESS };
	struct bbpf_tc_opts to = { .prog_fd = e->fd[P_TC] };
	int err;

	*l = NULL;
	switch (k) {
	case K_XDP_LINK:
		return bbpf_program_attach_xdp(e->p[P_XDP], VA, l);
	case K_XDP_FALLBACK:
		return bbpf_program_attach_xdp(e->p[P_XDP], VA, l);
	case K_XDP_NETLINK:
		return bbpf_program_attach_xdp_opts(e->p[P_XDP], ETH, &xo, l);
	case K_TCX:
		return bbpf_program_attach_tcx(e->p[P_TCX_IN], VA, NULL, l);
	case K_NETKIT:
		return bbpf_program_attach_netkit(e->p[P_NK_PRI], VA, NULL, l);
	case K_TC_MADE:
	case K_TC_EXISTING:
		return bbpf_program_attach_tc(e->p[P_TC], VA, BBPF_TC_EGRESS, l);
	case K_TC_API:
		err = bbpf_tc_attach(e->ctx, &eg, &to);
		if (!err) {
			/* no link: the filter is the caller's; gone here without a call */
			assert_int_equal(fnl_filter_cnt(&e->nl, VA, EGRESS), 1);
			memset(e->nl.filters, 0, sizeof(e->nl.filters));
		}
		return err;
	case K_CGROUP:
	case K_CGROUP_FALLBACK:
		return bbpf_program_attach_cgroup(e->p[P_CONNECT4], e->fd[P_SOCKET], l);
	case K_SOCKET:
		return bbpf_program_attach_socket(e->p[P_SOCKET], e->fd[P_SOCKET], l);
	case K_SOCKMAP:
	case K_SOCKMAP_FALLBACK:
		return bbpf_program_attach_sockmap(e->p[P_SK_MSG], e->fd[P_NF], l);
	case K_NETNS:
		return bbpf_program_attach_netns(e->p[P_SK_LOOKUP], e->fd[P_NF], l);
	case K_NETFILTER:
		return bbpf_program_attach_netfilter(e->p[P_NF], &nf, l);
	default:
		return -EINVAL;
	}
}

static void prepare(struct env *e, enum kind k)
{
	if (k == K_XDP_FALLBACK || k == K_CGROUP_FALLBACK || k == K_SOCKMAP_FALLBACK)
		assert_int_equal(fs_script_push(&e->script, BPF_LINK_CREATE, -EINVAL), 0);
	if (k == K_TC_EXISTING || k == K_TC_API)
		fnl_dev(&e->nl, VA)->clsact = true;
}

/* Nothing of the attach is left: fds, sockets, XDP programs, filters; the qdisc as it was. */
static void expect_nothing(struct env *e, enum kind k, unsigned long n)
{
	struct fnl_dev *va = fnl_dev(&e->nl, VA), *eth = fnl_dev(&e->nl, ETH);

	if (fs_wrap_open_fds(&e->wrap) != e->base_fds) {
		fs_wrap_dump(&e->wrap, stderr);
		fail_msg("%s, call %lu failing: %zu fds left", kind_names[k], n,
			 fs_wrap_open_fds(&e->wrap) - e->base_fds);
	}
	if (fnl_open_socks(&e->nl) || va->xdp_drv || va->xdp_skb || eth->xdp_skb ||
	    fnl_filter_cnt(&e->nl, VA, 0) ||
	    va->clsact != (k == K_TC_EXISTING || k == K_TC_API))
		fail_msg("%s, call %lu failing: netlink state left (socks %zu, xdp %u/%u/%u, "
			 "filters %zu, clsact %d)", kind_names[k], n, fnl_open_socks(&e->nl),
			 va->xdp_drv, va->xdp_skb, eth->xdp_skb, fnl_filter_cnt(&e->nl, VA, 0),
			 va->clsact);
}

static unsigned long sweep_kind(struct env *e, enum kind k, int inject)
{
	unsigned long n, total, failed = 0;
	struct bbpf_link *l;
	int err;

	prepare(e, k);
	fs_wrap_reset_counts(&e->wrap);
	assert_int_equal(do_attach(e, k, &l), 0);
	total = e->wrap.calls;
	bbpf_link_destroy(l);
	expect_nothing(e, k, 0);
	fnl_dev(&e->nl, VA)->clsact = false;
	for (n = 1; n <= total; n++) {
		prepare(e, k);
		fs_wrap_reset_counts(&e->wrap);
		fs_wrap_fail(&e->wrap, n, inject);
		err = do_attach(e, k, &l);
		assert_int_equal(e->wrap.injected, 1);
		fs_wrap_fail(&e->wrap, 0, 0);
		if (!err) {
			assert_true(l || k == K_TC_API);
			bbpf_link_destroy(l);	/* an ignored failure (setsockopt, a retried read) */
		} else {
			assert_null(l);
			failed++;
		}
		expect_nothing(e, k, n);
		fnl_dev(&e->nl, VA)->clsact = false;
		e->script.queue[BPF_LINK_CREATE].cnt = 0;	/* a fallback answer not taken */
	}
	return failed;
}

static void test_fault_sweep(void **state)
{
	static const int errs[] = { -EIO, -EINTR, -ENOMEM, -EINVAL };
	struct env *e = env_new();
	size_t i;
	int k;

	(void)state;
	for (k = 0; k < K_CNT; k++) {
		unsigned long failed = 0;

		for (i = 0; i < ARRAY_LEN(errs); i++)
			failed += sweep_kind(e, (enum kind)k, errs[i]);
		/* -EINVAL on LINK_CREATE falls back and -EINTR on a read is retried; others fail */
		if (!failed)
			fail_msg("%s: no injected failure failed the attach", kind_names[k]);
	}
	env_free(e);
}

/* Failing allocations: -ENOMEM and nothing left, for the kinds that allocate. */
static void test_alloc_failure(void **state)
{
	static const enum kind kinds[] = { K_XDP_FALLBACK, K_XDP_NETLINK, K_TC_MADE,
					   K_CGROUP_FALLBACK, K_SOCKET, K_TCX };
	struct env *e = env_new();
	struct bbpf_alloc saved = e->ctx->alloc;
	struct bbpf_link *l;
	unsigned long n;
	struct fa fa;
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kinds); i++) {
		for (n = 0;; n++) {
			prepare(e, kinds[i]);
			e->ctx->alloc = fa_after(&fa, n);
			err = do_attach(e, kinds[i], &l);
			e->script.queue[BPF_LINK_CREATE].cnt = 0;
			if (!err)
				break;
			assert_int_equal(err, -ENOMEM);
			expect_nothing(e, kinds[i], n);
			assert_int_equal(fa.live, 0);
		}
		assert_true(n >= 1);
		bbpf_link_destroy(l);
		expect_nothing(e, kinds[i], n);
		assert_int_equal(fa.live, 0);
		e->ctx->alloc = saved;
	}
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_link_attrs),
		cmocka_unit_test(test_xdp_link_fallback),
		cmocka_unit_test(test_xdp_netlink_not_ours),
		cmocka_unit_test(test_xdp_old_kernel_detach),
		cmocka_unit_test(test_xdp_api),
		cmocka_unit_test(test_tcx_attrs),
		cmocka_unit_test(test_netkit_fake_only),
		cmocka_unit_test(test_tc_link_made),
		cmocka_unit_test(test_tc_link_existing_qdisc),
		cmocka_unit_test(test_tc_link_qdisc_in_use),
		cmocka_unit_test(test_tc_api),
		cmocka_unit_test(test_cgroup_attrs),
		cmocka_unit_test(test_socket_filter_calls),
		cmocka_unit_test(test_sockmap_netns_netfilter_attrs),
		cmocka_unit_test(test_nl_answers),
		cmocka_unit_test(test_fault_sweep),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
