// SPDX-License-Identifier: BSD-2-Clause
/*
 * Network, socket and cgroup attach against the running kernel, each in a
 * network namespace (with a veth pair va/vb) and, for cgroups, a cgroup v2
 * directory the test makes and removes (tests/lib/net_env.h). Every test
 * asserts that the program ran (its counter in .bss grew, or the address
 * it recorded) while attached, and that after the link is destroyed
 * nothing is left, as the kernel's own tools see it: `bpftool net show`,
 * `tc qdisc/filter show`, `bpftool cgroup show`, `bpftool link show`,
 * BPF_PROG_QUERY; and that the program no longer runs. Two sweeps fail
 * every call of a netlink attach (classic tc, XDP by netlink) in turn in
 * front of the real kernel: nothing may be left. Fixture:
 * build/bpf/net_attach.bpf.o (tests/bpf/net_attach.bpf.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <cmocka.h>

#include "kernel_avail.h"
#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "base/uapi_compat.h"
#include "fake_sys.h"
#include "json_mini.h"
#include "net_env.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N_FRAMES 8
#define LINKS_MAX 8

struct st {
	struct net_env net;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	struct bbpf_link *links[LINKS_MAX];
	char log[16384];
	size_t log_len;
};

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct st *s = ctx;
	int n;

	if (level == BBPF_LOG_WARN)
		print_message("  log: %s\n", msg);
	if (s->log_len < sizeof(s->log) - 1) {
		n = snprintf(s->log + s->log_len, sizeof(s->log) - s->log_len, "%s\n", msg);
		if (n > 0)
			s->log_len += (size_t)n;
		if (s->log_len >= sizeof(s->log))
			s->log_len = sizeof(s->log) - 1;
	}
}

static int setup(void **state)
{
	struct st *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->net.orig_ns = -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct st *s = *state;
	size_t i;

	for (i = 0; i < LINKS_MAX; i++)
		bbpf_link_destroy(s->links[i]);
	bbpf_object_close(s->obj);
	bbpf_ctx_free(s->ctx);
	net_env_leave(&s->net);
	free(s);
	return 0;
}

/* The namespace entered, the fixture loaded in it. */
static struct st *begin(void **state, const char *tag)
{
	struct st *s = *state;
	struct bbpf_ctx_opts co = { .log = log_cb, .log_ctx = s };
	struct bbpf_load_opts lo = { 0 };
	const char *why;
	int err;

	why = net_env_enter(&s->net, tag);
	if (why)
		fail_msg("%s", why);
	assert_int_equal(bbpf_ctx_new(&s->ctx, &co), 0);
	err = bbpf_object_open_file(&s->obj, BBPF_FIXTURE_DIR "/net_attach.bpf.o", NULL, NULL);
	if (err)
		fail_msg("open net_attach.bpf.o: %d (run `make fixtures`)", err);
	lo.ctx = s->ctx;
	err = bbpf_object_load(s->obj, &lo);
	if (err)
		fail_msg("load net_attach.bpf.o: %d (the loader's failure, not attach's)", err);
	return s;
}

static struct bbpf_program *prog(struct st *s, const char *name)
{
	struct bbpf_program *p = bbpf_object_find_program(s->obj, name);

	assert_non_null(p);
	return p;
}

static uint32_t prog_id(struct bbpf_program *p)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)bbpf_program_fd(p);
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	assert_int_equal(syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)), 0);
	assert_true(info.id > 0);
	return info.id;
}

/* A .bss counter of the fixture. */
static volatile unsigned long long *cnt(struct st *s, const char *name)
{
	struct bbpf_map *map;
	size_t off, size, len;
	uint8_t *mem;

	assert_int_equal(bbpf_object_find_global(s->obj, name, &map, &off, &size), 0);
	mem = bbpf_map_mmaped(map, &len);
	assert_non_null(mem);
	assert_true(off + size <= len);
	return (volatile unsigned long long *)(mem + off);
}

static volatile uint32_t *u32_at(struct st *s, const char *name)
{
	return (volatile uint32_t *)(uintptr_t)cnt(s, name);
}

static void keep(struct st *s, struct bbpf_link *l)
{
	size_t i;

	for (i = 0; i < LINKS_MAX && s->links[i]; i++)
		;
	assert_true(i < LINKS_MAX);
	s->links[i] = l;
}

static void drop(struct st *s, struct bbpf_link *l)
{
	size_t i;

	for (i = 0; i < LINKS_MAX; i++)
		if (s->links[i] == l)
			s->links[i] = NULL;
	bbpf_link_destroy(l);
}

/* Frames out of ifindex and the counter up by at least n (ingress of the peer, or egress). */
static void expect_fires(volatile unsigned long long *c, int ifindex, const char *what)
{
	unsigned long long before = *c, got;

	assert_int_equal(net_env_send_frames(ifindex, N_FRAMES), N_FRAMES);
	got = net_env_wait(c, before + N_FRAMES, 2000);
	if (got < before + N_FRAMES)
		fail_msg("%s: counter %llu -> %llu after %d frames", what, before, got, N_FRAMES);
}

static void expect_silent(volatile unsigned long long *c, int ifindex, const char *what)
{
	unsigned long long before = *c;

	assert_int_equal(net_env_send_frames(ifindex, N_FRAMES), N_FRAMES);
	usleep(100 * 1000);
	if (*c != before)
		fail_msg("%s: still runs after detach (%llu -> %llu)", what, before, *c);
}

/* `bpftool -j ARGS` parsed; fails the test if bpftool fails or prints no JSON. */
static struct jm_value *bpftool_json(const char *fmt, ...)
{
	char args[512], *out;
	struct jm_value *v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	out = net_env_sh("bpftool -j %s", args);
	if (!out)
		fail_msg("bpftool %s: could not run", args);
	v = jm_parse(out);
	if (!v) {
		print_message("bpftool %s: not JSON: '%s'\n", args, out);
		free(out);
		fail();
	}
	free(out);
	return v;
}

/* bpftool net show dev DEV: the XDP entries' (mode, id). */
static size_t bpftool_xdp(const char *dev, char modes[][16], uint32_t *ids, size_t max)
{
	struct jm_value *v = bpftool_json("net show dev %s", dev);
	const struct jm_value *xdp;
	size_t i, n = 0;

	assert_int_equal(v->type, JM_ARRAY);
	assert_true(v->len >= 1);
	xdp = jm_get(&v->items[0], "xdp");
	assert_non_null(xdp);
	for (i = 0; i < xdp->len && n < max; i++, n++) {
		const struct jm_value *m = jm_get(&xdp->items[i], "mode"),
				      *id = jm_get(&xdp->items[i], "id");

		assert_non_null(m);
		assert_non_null(id);
		snprintf(modes[n], 16, "%s", m->str);
		ids[n] = (uint32_t)id->num;
	}
	jm_free(v);
	return n;
}

/* Links in the kernel that run program id (bpftool link show). */
static size_t links_of(uint32_t id)
{
	struct jm_value *v = bpftool_json("link show");
	size_t i, n = 0;

	assert_int_equal(v->type, JM_ARRAY);
	for (i = 0; i < v->len; i++) {
		const struct jm_value *p = jm_get(&v->items[i], "prog_id");

		if (p && p->num == id)
			n++;
	}
	jm_free(v);
	return n;
}

/* ---- XDP ---- */

static void test_xdp_link(void **state)
{
	struct st *s;
	struct bbpf_program *p;
	struct bbpf_xdp_query q;
	struct bbpf_link *l;
	char modes[4][16];
	uint32_t ids[4], id;

	TK_NEED_KERNEL();
	s = begin(state, "xdp");
	p = prog(s, "xdp_count");
	id = prog_id(p);
	assert_int_equal(bbpf_program_attach_xdp(p, s->net.va, &l), 0);
	keep(s, l);
	assert_true(bbpf_link_fd(l) >= 0);
	expect_fires(cnt(s, "xdp_cnt"), s->net.vb, "xdp link");
	/* as bpftool and the kernel see it: a driver-mode program on va, held by a link */
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 1);
	assert_string_equal(modes[0], "driver");
	assert_int_equal(ids[0], id);
	assert_int_equal(links_of(id), 1);
	assert_int_equal(bbpf_xdp_query(s->ctx, s->net.va, 0, &q), 0);
	assert_int_equal(q.prog_id, id);
	assert_int_equal(q.drv_prog_id, id);
	assert_int_equal(q.attach_mode, XDP_ATTACHED_DRV);
	/* a second program cannot take the device while the link holds it */
	assert_int_equal(bbpf_program_attach_xdp(prog(s, "xdp_count2"), s->net.va, &l), -EBUSY);
	assert_null(l);

	drop(s, s->links[0]);
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 0);
	assert_int_equal(links_of(id), 0);
	assert_int_equal(bbpf_xdp_query(s->ctx, s->net.va, 0, &q), 0);
	assert_int_equal(q.prog_id, 0);
	assert_int_equal(q.attach_mode, XDP_ATTACHED_NONE);
	expect_silent(cnt(s, "xdp_cnt"), s->net.vb, "xdp link");
}

static void test_xdp_netlink_generic(void **state)
{
	struct bbpf_xdp_link_opts o = { .flags = XDP_FLAGS_SKB_MODE, .netlink = true };
	struct bbpf_program *p1, *p2;
	struct bbpf_link *l1, *l2;
	struct bbpf_xdp_query q;
	char modes[4][16];
	uint32_t ids[4], id1, id2;
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "xdpgen");
	p1 = prog(s, "xdp_count");
	p2 = prog(s, "xdp_count2");
	id1 = prog_id(p1);
	id2 = prog_id(p2);
	assert_int_equal(bbpf_program_attach_xdp_opts(p1, s->net.va, &o, &l1), 0);
	keep(s, l1);
	assert_int_equal(bbpf_link_fd(l1), -1);	/* netlink: no BPF link */
	assert_int_equal(links_of(id1), 0);
	expect_fires(cnt(s, "xdp_cnt"), s->net.vb, "xdp generic by netlink");
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 1);
	assert_string_equal(modes[0], "generic");
	assert_int_equal(ids[0], id1);
	assert_int_equal(bbpf_xdp_query(s->ctx, s->net.va, XDP_FLAGS_SKB_MODE, &q), 0);
	assert_int_equal(q.skb_prog_id, id1);
	assert_int_equal(q.attach_mode, XDP_ATTACHED_SKB);

	/* never replace unless asked: UPDATE_IF_NOEXIST refuses */
	o.flags = XDP_FLAGS_SKB_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST;
	assert_int_equal(bbpf_program_attach_xdp_opts(p2, s->net.va, &o, &l2), -EBUSY);
	assert_true(strstr(s->log, "XDP program already attached") != NULL);
	/* REPLACE with the old program: the second takes over */
	o.flags = XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE;
	o.old_prog_fd = bbpf_program_fd(p1);
	assert_int_equal(bbpf_program_attach_xdp_opts(p2, s->net.va, &o, &l2), 0);
	keep(s, l2);
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 1);
	assert_int_equal(ids[0], id2);
	expect_fires(cnt(s, "xdp2_cnt"), s->net.vb, "replacing program");
	/* the first link no longer owns the device: destroying it leaves the second */
	drop(s, l1);
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 1);
	assert_int_equal(ids[0], id2);
	drop(s, l2);
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 0);
	expect_silent(cnt(s, "xdp2_cnt"), s->net.vb, "xdp generic by netlink");
}

static void test_xdp_api(void **state)
{
	struct bbpf_xdp_opts xo = { 0 };
	struct bbpf_xdp_query q;
	char modes[4][16];
	uint32_t ids[4], id1, id2;
	int fd1, fd2;
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "xdpapi");
	fd1 = bbpf_program_fd(prog(s, "xdp_count"));
	fd2 = bbpf_program_fd(prog(s, "xdp_count2"));
	id1 = prog_id(prog(s, "xdp_count"));
	id2 = prog_id(prog(s, "xdp_count2"));
	assert_int_equal(bbpf_xdp_attach(s->ctx, s->net.va, fd1, XDP_FLAGS_SKB_MODE, NULL), 0);
	assert_int_equal(bbpf_xdp_attach(s->ctx, s->net.va, fd2,
					 XDP_FLAGS_SKB_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL),
			 -EBUSY);
	xo.old_prog_fd = fd2;	/* not the one attached */
	assert_int_equal(bbpf_xdp_attach(s->ctx, s->net.va, fd2, XDP_FLAGS_SKB_MODE, &xo), -EEXIST);
	xo.old_prog_fd = fd1;
	assert_int_equal(bbpf_xdp_attach(s->ctx, s->net.va, fd2, XDP_FLAGS_SKB_MODE, &xo), 0);
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 1);
	assert_string_equal(modes[0], "generic");
	assert_int_equal(ids[0], id2);
	/* a private context (NULL) works too */
	assert_int_equal(bbpf_xdp_query(NULL, s->net.va, 0, &q), 0);
	assert_int_equal(q.prog_id, id2);
	assert_int_equal(q.skb_prog_id, id2);
	assert_int_equal(q.attach_mode, XDP_ATTACHED_SKB);
	/* veth says what it can do (NETDEV_XDP_ACT_BASIC at least) */
	assert_true(q.feature_flags & 1);
	assert_int_equal(bbpf_xdp_query(s->ctx, s->net.va, XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE,
					&q), -EINVAL);
	assert_int_equal(bbpf_xdp_query(s->ctx, 999999, 0, &q), -ENODEV);
	assert_int_equal(bbpf_xdp_detach(s->ctx, s->net.va, XDP_FLAGS_SKB_MODE, NULL), 0);
	assert_int_equal(bpftool_xdp("va", modes, ids, 4), 0);
	(void)id1;
}


/* ---- tcx ---- */

/* BPF_PROG_QUERY of a device's tcx chain: the program ids in order. */
static uint32_t prog_query(int ifindex, int type, uint32_t *ids, uint32_t max)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)ifindex;
	attr.query.attach_type = (uint32_t)type;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = max;
	assert_int_equal(syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)), 0);
	return attr.query.prog_cnt;
}

static void test_tcx(void **state)
{
	struct bbpf_tcx_opts o = { 0 };
	struct bbpf_link *in, *in2, *eg, *l;
	uint32_t ids[4], id_in, id_in2, id_eg;
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "tcx");
	id_in = prog_id(prog(s, "tcx_in_count"));
	id_in2 = prog_id(prog(s, "tcx_in_count2"));
	id_eg = prog_id(prog(s, "tcx_eg_count"));
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count"), s->net.va, NULL, &in), 0);
	keep(s, in);
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_eg_count"), s->net.va, NULL, &eg), 0);
	keep(s, eg);
	expect_fires(cnt(s, "tcx_in_cnt"), s->net.vb, "tcx ingress");
	expect_fires(cnt(s, "tcx_eg_cnt"), s->net.va, "tcx egress");
	/* placed before the first by its id; a stale revision is refused */
	o.flags = BPF_F_BEFORE;
	o.relative_id = id_in;
	o.expected_revision = 1000;
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count2"), s->net.va, &o, &l),
			 -ESTALE);
	o.expected_revision = 0;
	o.relative_fd = (uint32_t)bbpf_program_fd(prog(s, "tcx_in_count"));
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count2"), s->net.va, &o, &l),
			 -EINVAL);	/* relative_fd and relative_id */
	o.relative_fd = 0;
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count2"), s->net.va, &o, &in2), 0);
	keep(s, in2);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 2);
	assert_int_equal(ids[0], id_in2);
	assert_int_equal(ids[1], id_in);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_EGRESS, ids, 4), 1);
	assert_int_equal(ids[0], id_eg);
	assert_int_equal(links_of(id_in), 1);
	expect_fires(cnt(s, "tcx_in2_cnt"), s->net.vb, "second tcx ingress");
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count"), 0, NULL, &l), -EINVAL);

	/* libbpf 1.8's prepend and append: BPF_F_BEFORE / BPF_F_AFTER with no relative */
	drop(s, in2);
	o = (struct bbpf_tcx_opts){ .flags = BPF_F_BEFORE };
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count2"), s->net.va, &o, &in2), 0);
	keep(s, in2);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 2);
	assert_int_equal(ids[0], id_in2);
	drop(s, in2);
	o.flags = BPF_F_AFTER;
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count2"), s->net.va, &o, &in2), 0);
	keep(s, in2);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 2);
	assert_int_equal(ids[0], id_in);
	assert_int_equal(ids[1], id_in2);
	drop(s, in2);

	/* BPF_LINK_UPDATE: the link runs the new program, in the old one's place */
	assert_int_equal(bbpf_link_update_program(in, prog(s, "tcx_in_count2")), 0);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 1);
	assert_int_equal(ids[0], id_in2);
	expect_fires(cnt(s, "tcx_in2_cnt"), s->net.vb, "tcx ingress after the update");
	expect_silent(cnt(s, "tcx_in_cnt"), s->net.vb, "the program updated away");
	assert_int_equal(bbpf_link_update_program(in, prog(s, "tcx_in_count")), 0);
	expect_fires(cnt(s, "tcx_in_cnt"), s->net.vb, "tcx ingress updated back");
	/* BPF_LINK_DETACH: the chain is empty, the link stays until destroyed */
	assert_int_equal(bbpf_link_detach(eg), 0);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_EGRESS, ids, 4), 0);
	expect_silent(cnt(s, "tcx_eg_cnt"), s->net.va, "tcx egress after detach");
	assert_true(bbpf_link_fd(eg) >= 0);

	drop(s, in);
	drop(s, eg);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 0);
	assert_int_equal(prog_query(s->net.va, BBPF_TCX_EGRESS, ids, 4), 0);
	assert_int_equal(links_of(id_in) + links_of(id_in2) + links_of(id_eg), 0);
	expect_silent(cnt(s, "tcx_in_cnt"), s->net.vb, "tcx ingress");
	expect_silent(cnt(s, "tcx_eg_cnt"), s->net.va, "tcx egress");
}

/* ---- classic tc ---- */

static bool has_clsact(const char *dev)
{
	char *out = net_env_sh("tc qdisc show dev %s", dev);
	bool yes;

	assert_non_null(out);
	yes = strstr(out, "qdisc clsact") != NULL;
	free(out);
	return yes;
}

/* `tc filter show dev DEV DIR`, malloc'ed. */
static char *tc_filters(const char *dev, const char *dir)
{
	char *out = net_env_sh("tc filter show dev %s %s", dev, dir);

	assert_non_null(out);
	return out;
}

static void expect_filter(const char *dev, const char *dir, const char *name, uint32_t id)
{
	char *out = tc_filters(dev, dir), want[64];

	snprintf(want, sizeof(want), "%s:[%u] direct-action", name, id);
	if (!strstr(out, want) || !strstr(out, "bpf chain 0 handle"))
		fail_msg("tc filter show dev %s %s: no '%s' in\n%s", dev, dir, want, out);
	free(out);
}

static void expect_no_filter(const char *dev, const char *dir)
{
	char *out = tc_filters(dev, dir);

	if (out[0])
		fail_msg("tc filter show dev %s %s: left behind:\n%s", dev, dir, out);
	free(out);
}

static void test_tc_clsact_made(void **state)
{
	struct bbpf_link *in, *eg;
	uint32_t id;
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "tc");
	id = prog_id(prog(s, "tc_count"));
	assert_false(has_clsact("va"));
	assert_int_equal(bbpf_program_attach_tc(prog(s, "tc_count"), s->net.va, BBPF_TC_INGRESS,
						&in), 0);
	keep(s, in);
	assert_true(has_clsact("va"));
	expect_filter("va", "ingress", "tc_count", id);
	expect_fires(cnt(s, "tc_cnt"), s->net.vb, "tc ingress");
	/* a second link on the qdisc the first made: it is not its to remove */
	assert_int_equal(bbpf_program_attach_tc(prog(s, "tc_count"), s->net.va, BBPF_TC_EGRESS,
						&eg), 0);
	keep(s, eg);
	expect_filter("va", "egress", "tc_count", id);
	drop(s, eg);
	expect_no_filter("va", "egress");
	assert_true(has_clsact("va"));
	/* the maker's link goes last: filter and qdisc gone */
	drop(s, in);
	expect_no_filter("va", "ingress");
	assert_false(has_clsact("va"));
	expect_silent(cnt(s, "tc_cnt"), s->net.vb, "tc ingress");
	assert_int_equal(bbpf_program_attach_tc(prog(s, "tc_count"), s->net.va,
						BBPF_TC_INGRESS | BBPF_TC_EGRESS, &in), -EINVAL);
}

static void test_tc_clsact_kept(void **state)
{
	struct bbpf_link *l;
	uint32_t id;
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "tckeep");
	id = prog_id(prog(s, "tc_count"));
	assert_int_equal(net_env_run("tc qdisc add dev va clsact"), 0);
	assert_int_equal(bbpf_program_attach_tc(prog(s, "tc_count"), s->net.va, BBPF_TC_EGRESS,
						&l), 0);
	keep(s, l);
	expect_filter("va", "egress", "tc_count", id);
	expect_fires(cnt(s, "tc_cnt"), s->net.va, "tc egress");
	drop(s, l);
	expect_no_filter("va", "egress");
	assert_true(has_clsact("va"));	/* someone else's: kept */
	expect_silent(cnt(s, "tc_cnt"), s->net.va, "tc egress");
}

static void test_tc_api(void **state)
{
	struct bbpf_tc_hook both = { .attach_point = BBPF_TC_INGRESS | BBPF_TC_EGRESS },
			    in = { .attach_point = BBPF_TC_INGRESS };
	struct bbpf_tc_opts o = { 0 }, q = { 0 };
	uint32_t id;
	struct st *s;
	char *out;

	TK_NEED_KERNEL();
	s = begin(state, "tcapi");
	id = prog_id(prog(s, "tc_count"));
	both.ifindex = in.ifindex = s->net.va;
	assert_int_equal(bbpf_tc_hook_create(s->ctx, &both), 0);
	assert_int_equal(bbpf_tc_hook_create(s->ctx, &both), -EEXIST);
	assert_true(has_clsact("va"));
	/* the kernel picks handle and priority: the echo tells */
	o.prog_fd = bbpf_program_fd(prog(s, "tc_count"));
	assert_int_equal(bbpf_tc_attach(s->ctx, &in, &o), 0);
	assert_int_equal(o.handle, 1);
	assert_int_equal(o.priority, 0xc000);
	assert_int_equal(o.prog_id, id);
	expect_fires(cnt(s, "tc_cnt"), s->net.vb, "tc_attach");
	/* chosen ones; EXCL refuses the same place, REPLACE takes it */
	o = (struct bbpf_tc_opts){ .prog_fd = o.prog_fd, .handle = 7, .priority = 3 };
	assert_int_equal(bbpf_tc_attach(s->ctx, &in, &o), 0);
	o.prog_id = 0;
	assert_int_equal(bbpf_tc_attach(s->ctx, &in, &o), -EEXIST);
	o.flags = BBPF_TC_F_REPLACE;
	assert_int_equal(bbpf_tc_attach(s->ctx, &in, &o), 0);
	out = tc_filters("va", "ingress");
	assert_non_null(strstr(out, "pref 3 bpf chain 0 handle 0x7 tc_count:"));
	assert_non_null(strstr(out, "pref 49152 bpf chain 0 handle 0x1 tc_count:"));
	free(out);
	q.handle = 7;
	q.priority = 3;
	assert_int_equal(bbpf_tc_query(s->ctx, &in, &q), 0);
	assert_int_equal(q.prog_id, id);
	q.prog_id = 0;
	q.handle = 8;
	assert_int_equal(bbpf_tc_query(s->ctx, &in, &q), -ENOENT);
	q.handle = 7;
	q.prog_fd = 3;
	assert_int_equal(bbpf_tc_query(s->ctx, &in, &q), -EINVAL);	/* as libbpf */
	q.prog_fd = 0;
	assert_int_equal(bbpf_tc_detach(s->ctx, &in, &q), 0);
	assert_int_equal(bbpf_tc_query(s->ctx, &in, &q), -ENOENT);
	/* one side: its filters flushed, the qdisc stays */
	assert_int_equal(bbpf_tc_hook_destroy(s->ctx, &in), 0);
	expect_no_filter("va", "ingress");
	assert_true(has_clsact("va"));
	assert_int_equal(bbpf_tc_hook_destroy(NULL, &both), 0);
	assert_false(has_clsact("va"));
	in.attach_point = BBPF_TC_CUSTOM;
	assert_int_equal(bbpf_tc_hook_create(s->ctx, &in), -EOPNOTSUPP);
}

/* ---- cgroups ---- */

/*
 * A child in the test's cgroup: a UDP socket bound to 127.0.0.1:port sends
 * one datagram to itself (egress and ingress) and connect()s (connect4).
 */
static void cgroup_child_traffic(const char *cgroup, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char path[300], buf[8];
	pid_t pid = fork();
	int st, fd, pfd;

	assert_true(pid >= 0);
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		pfd = open(path, O_WRONLY);
		if (pfd < 0 || write(pfd, "0", 1) != 1)
			_exit(2);
		close(pfd);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
		    sendto(fd, "ping", 4, 0, (struct sockaddr *)&a, sizeof(a)) != 4 ||
		    recv(fd, buf, sizeof(buf), 0) != 4 ||
		    connect(fd, (struct sockaddr *)&a, sizeof(a)))
			_exit(3);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* bpftool cgroup show PATH: the attached programs' (id, attach_type, attach_flags). */
static size_t bpftool_cgroup(const char *path, uint32_t *ids, char types[][40], char flags[][16],
			     size_t max)
{
	char *out = net_env_sh("bpftool -j cgroup show %s", path);
	struct jm_value *v;
	size_t i, n = 0;

	assert_non_null(out);
	if (!out[strspn(out, " \n")]) {
		free(out);	/* bpftool 7.1 prints nothing for a cgroup with nothing */
		return 0;
	}
	v = jm_parse(out);
	if (!v)
		fail_msg("bpftool cgroup show: not JSON: %s", out);
	free(out);
	assert_int_equal(v->type, JM_ARRAY);
	for (i = 0; i < v->len && n < max; i++, n++) {
		const struct jm_value *id = jm_get(&v->items[i], "id"),
				      *t = jm_get(&v->items[i], "attach_type"),
				      *f = jm_get(&v->items[i], "attach_flags");

		assert_non_null(id);
		ids[n] = (uint32_t)id->num;
		snprintf(types[n], 40, "%s", t ? t->str : "?");
		snprintf(flags[n], 16, "%s", f ? f->str : "");
	}
	jm_free(v);
	return n;
}

static void test_cgroup(void **state)
{
	static const char *const names[] = { "cg_in_count", "cg_eg_count", "cg_connect4" };
	static const char *const types[] = { "cgroup_inet_ingress", "cgroup_inet_egress",
					     "cgroup_inet4_connect" };
	char got_types[8][40], got_flags[8][16];
	uint32_t ids[3], got[8];
	struct bbpf_link *l[3];
	struct st *s;
	size_t i, j, n;
	int cg;

	TK_NEED_KERNEL();
	s = begin(state, "cg");
	if (net_env_cgroup(&s->net))
		fail_msg("%s", net_env_cgroup(&s->net));
	cg = open(s->net.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cg >= 0);
	for (i = 0; i < 3; i++) {
		ids[i] = prog_id(prog(s, names[i]));
		assert_int_equal(bbpf_program_attach_cgroup(prog(s, names[i]), cg, &l[i]), 0);
		keep(s, l[i]);
		assert_true(bbpf_link_fd(l[i]) >= 0);
	}
	close(cg);	/* the links hold the cgroup */
	n = bpftool_cgroup(s->net.cgroup, got, got_types, got_flags, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < n && got[j] != ids[i]; j++)
			;
		if (j == n)
			fail_msg("bpftool cgroup show lacks %s", names[i]);
		assert_string_equal(got_types[j], types[i]);
		assert_string_equal(got_flags[j], "multi");
		assert_int_equal(links_of(ids[i]), 1);
	}
	cgroup_child_traffic(s->net.cgroup, 4242);
	assert_true(*cnt(s, "cg_in_cnt") >= 1);
	assert_true(*cnt(s, "cg_eg_cnt") >= 1);
	assert_int_equal(*cnt(s, "connect_cnt"), 1);
	assert_int_equal(*u32_at(s, "connect_ip"), htonl(INADDR_LOOPBACK));
	assert_int_equal(*u32_at(s, "connect_port"), htons(4242));

	for (i = 0; i < 3; i++)
		drop(s, l[i]);
	assert_int_equal(bpftool_cgroup(s->net.cgroup, got, got_types, got_flags, 8), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(links_of(ids[i]), 0);
	cgroup_child_traffic(s->net.cgroup, 4243);
	assert_int_equal(*cnt(s, "connect_cnt"), 1);
}

/* Without cgroup links (LINK_CREATE answering -EINVAL, injected): BPF_PROG_ATTACH, multi. */
static void test_cgroup_prog_attach_fallback(void **state)
{
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_load_opts lo = { 0 };
	char got_types[4][40], got_flags[4][16];
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = NULL;
	struct fs_wrap *w = calloc(1, sizeof(*w));
	struct bbpf_sys sys;
	struct bbpf_link *l;
	uint32_t got[4], id;
	struct st *s;
	int cg, fd;

	TK_NEED_KERNEL();
	s = begin(state, "cgfb");
	assert_non_null(w);
	if (net_env_cgroup(&s->net))
		fail_msg("no cgroup");
	sys = fs_wrap_init(w, &bbpf_sys_linux);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	assert_int_equal(bbpf_object_open_file(&obj, BBPF_FIXTURE_DIR "/net_attach.bpf.o", NULL,
					       NULL), 0);
	lo.ctx = ctx;
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	cg = open(s->net.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cg >= 0);
	fd = (int)fs_wrap_open_fds(w);
	fs_wrap_fail_hook(w, FS_HOOK_BPF, BPF_LINK_CREATE, 1, -EINVAL, true);
	assert_int_equal(bbpf_program_attach_cgroup(bbpf_object_find_program(obj, "cg_eg_count"), cg,
						    &l), 0);
	assert_int_equal(bbpf_link_fd(l), -1);
	close(cg);	/* the link holds its own copy */
	id = prog_id(bbpf_object_find_program(obj, "cg_eg_count"));
	assert_int_equal(bpftool_cgroup(s->net.cgroup, got, got_types, got_flags, 4), 1);
	assert_int_equal(got[0], id);
	assert_string_equal(got_types[0], "cgroup_inet_egress");
	assert_string_equal(got_flags[0], "multi");
	assert_int_equal(links_of(id), 0);
	bbpf_link_destroy(l);
	assert_int_equal(bpftool_cgroup(s->net.cgroup, got, got_types, got_flags, 4), 0);
	assert_int_equal((int)fs_wrap_open_fds(w), fd);
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	free(w);
}

static void test_prog_attach_api(void **state)
{
	char got_types[4][40], got_flags[4][16];
	uint32_t got[4], id;
	struct st *s;
	int cg, fd;

	TK_NEED_KERNEL();
	s = begin(state, "cgapi");
	if (net_env_cgroup(&s->net))
		fail_msg("no cgroup");
	cg = open(s->net.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cg >= 0);
	fd = bbpf_program_fd(prog(s, "cg_in_count"));
	id = prog_id(prog(s, "cg_in_count"));
	assert_int_equal(bbpf_prog_attach(s->ctx, fd, cg, BPF_CGROUP_INET_INGRESS,
					  BPF_F_ALLOW_OVERRIDE), 0);
	assert_int_equal(bpftool_cgroup(s->net.cgroup, got, got_types, got_flags, 4), 1);
	assert_int_equal(got[0], id);
	assert_string_equal(got_flags[0], "override");
	assert_int_equal(bbpf_prog_detach(NULL, fd, cg, BPF_CGROUP_INET_INGRESS), 0);
	assert_int_equal(bpftool_cgroup(s->net.cgroup, got, got_types, got_flags, 4), 0);
	assert_int_equal(bbpf_prog_detach(s->ctx, fd, cg, BPF_CGROUP_INET_INGRESS), -ENOENT);
	close(cg);
}

/* ---- sockets ---- */

static void test_socket_filter(void **state)
{
	volatile unsigned long long *c;
	struct bbpf_link *l;
	char buf[16];
	struct st *s;
	int sv[2];

	TK_NEED_KERNEL();
	s = begin(state, "sock");
	c = cnt(s, "sock_cnt");
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(bbpf_program_attach_socket(prog(s, "sock_count"), sv[1], &l), 0);
	keep(s, l);
	assert_int_equal(send(sv[0], "hello", 5, 0), 5);
	assert_int_equal(recv(sv[1], buf, sizeof(buf), 0), 5);	/* the filter passes it whole */
	assert_int_equal(*c, 1);
	assert_int_equal(bbpf_link_fd(l), -1);
	assert_int_equal(bbpf_link_pin(l, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	drop(s, l);
	assert_int_equal(send(sv[0], "again", 5, 0), 5);
	assert_int_equal(recv(sv[1], buf, sizeof(buf), 0), 5);
	assert_int_equal(*c, 1);	/* detached: SO_DETACH_BPF worked */
	assert_int_equal(bbpf_program_attach_socket(prog(s, "sock_count"), -1, &l), -EINVAL);
	close(sv[0]);
	close(sv[1]);
}

/* A connected TCP pair on 127.0.0.1 in the test's namespace. */
static void tcp_pair(int *cli, int *srv, uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	*cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(*cli >= 0);
	assert_int_equal(connect(*cli, (struct sockaddr *)&a, sizeof(a)), 0);
	*srv = accept(lfd, NULL, NULL);
	assert_true(*srv >= 0);
	close(lfd);
}

static uint32_t map_query(int map_fd, int type)
{
	uint32_t ids[4];

	return prog_query(map_fd, type, ids, 4);
}

static void sockmap_case(struct st *s, struct bbpf_program *p, bool fallback)
{
	struct bbpf_map *m = bbpf_object_find_map(s->obj, "sock_map");
	volatile unsigned long long *c = cnt(s, "msg_cnt");
	struct bbpf_link *l;
	uint32_t key = 0, val;
	uint16_t port;
	char buf[16];
	int cli, srv, mfd = bbpf_map_fd(m);

	assert_non_null(m);
	assert_int_equal(bbpf_program_attach_sockmap(p, mfd, &l), 0);
	keep(s, l);
	assert_int_equal(bbpf_link_fd(l) >= 0, !fallback);
	assert_int_equal(map_query(mfd, BPF_SK_MSG_VERDICT), 1);
	assert_int_equal(links_of(prog_id(p)), fallback ? 0 : 1);
	tcp_pair(&cli, &srv, &port);
	val = (uint32_t)cli;
	assert_int_equal(bbpf_map_update_elem(m, &key, sizeof(key), &val, sizeof(val), BPF_ANY), 0);
	assert_int_equal(send(cli, "hello", 5, 0), 5);
	assert_int_equal(recv(srv, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_true(*c >= 1);
	drop(s, l);
	assert_int_equal(map_query(mfd, BPF_SK_MSG_VERDICT), 0);
	assert_int_equal(links_of(prog_id(p)), 0);
	/* a socket added now gets no program */
	assert_int_equal(bbpf_map_delete_elem(m, &key, sizeof(key), 0), 0);
	assert_int_equal(bbpf_map_update_elem(m, &key, sizeof(key), &val, sizeof(val), BPF_ANY), 0);
	val = (uint32_t)*c;
	assert_int_equal(send(cli, "again", 5, 0), 5);
	assert_int_equal(recv(srv, buf, sizeof(buf), 0), 5);
	assert_int_equal(*c, val);
	assert_int_equal(bbpf_map_delete_elem(m, &key, sizeof(key), 0), 0);
	close(cli);
	close(srv);
}

static void test_sockmap_msg(void **state)
{
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "skmsg");
	sockmap_case(s, prog(s, "msg_count"), false);
}

static void test_sockmap_prog_attach_fallback(void **state)
{
	struct bbpf_ctx_opts co = { .log = log_cb };
	struct bbpf_load_opts lo = { 0 };
	struct fs_wrap *w = calloc(1, sizeof(*w));
	struct bbpf_sys sys;
	struct st *s;

	TK_NEED_KERNEL();
	s = *state;
	co.log_ctx = s;
	if (net_env_enter(&s->net, "skfb"))
		fail_msg("no namespace");
	assert_non_null(w);
	sys = fs_wrap_init(w, &bbpf_sys_linux);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&s->ctx, &co), 0);
	assert_int_equal(bbpf_object_open_file(&s->obj, BBPF_FIXTURE_DIR "/net_attach.bpf.o", NULL,
					       NULL), 0);
	lo.ctx = s->ctx;
	assert_int_equal(bbpf_object_load(s->obj, &lo), 0);
	/* a kernel before sockmap links (6.10): LINK_CREATE says -EINVAL */
	fs_wrap_fail_hook(w, FS_HOOK_BPF, BPF_LINK_CREATE, 1, -EINVAL, true);
	sockmap_case(s, prog(s, "msg_count"), true);
	bbpf_object_close(s->obj);
	s->obj = NULL;
	assert_int_equal(fs_wrap_open_fds(w), 0);
	bbpf_ctx_free(s->ctx);
	s->ctx = NULL;
	free(w);
}

static int netns_fd(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static void test_sk_lookup(void **state)
{
	volatile unsigned long long *c;
	struct bbpf_link *l;
	unsigned long long before;
	uint16_t port;
	uint32_t id;
	struct st *s;
	int ns, cli, srv;

	TK_NEED_KERNEL();
	s = begin(state, "sklookup");
	c = cnt(s, "lookup_cnt");
	id = prog_id(prog(s, "lookup_count"));
	ns = netns_fd();
	assert_int_equal(bbpf_program_attach_netns(prog(s, "lookup_count"), ns, &l), 0);
	keep(s, l);
	close(ns);
	assert_int_equal(links_of(id), 1);
	tcp_pair(&cli, &srv, &port);	/* the SYN's socket lookup runs it */
	assert_true(*c >= 1);
	close(cli);
	close(srv);
	drop(s, l);
	assert_int_equal(links_of(id), 0);
	before = *c;
	tcp_pair(&cli, &srv, &port);
	assert_int_equal(*c, before);
	close(cli);
	close(srv);
}

/*
 * The flow dissector bpftool shows. From its text output: bpftool 7.1's
 * JSON for it is not JSON ("flow_dissector":["id":N]).
 */
static uint32_t bpftool_flow_dissector(void)
{
	char *out = net_env_sh("bpftool net show"), *p;
	unsigned int id = 0;

	assert_non_null(out);
	p = strstr(out, "flow_dissector:\n");
	assert_non_null(p);
	if (sscanf(p, "flow_dissector:\nid %u", &id) != 1)
		id = 0;
	free(out);
	return id;
}

static void test_flow_dissector(void **state)
{
	struct bbpf_link *l;
	uint32_t id, qid;
	struct st *s;
	int ns;

	TK_NEED_KERNEL();
	s = begin(state, "flowd");
	id = prog_id(prog(s, "dissect_count"));
	/* RPS on va hashes every received frame: the dissector runs for it */
	assert_int_equal(net_env_run("ip netns exec %s sh -c "
				     "'echo 1 > /sys/class/net/va/queues/rx-0/rps_cpus'",
				     s->net.name), 0);
	ns = netns_fd();
	assert_int_equal(bbpf_program_attach_netns(prog(s, "dissect_count"), ns, &l), 0);
	keep(s, l);
	close(ns);
	assert_int_equal(bpftool_flow_dissector(), id);
	assert_int_equal(links_of(id), 1);
	ns = netns_fd();
	assert_int_equal(prog_query(ns, BPF_FLOW_DISSECTOR, &qid, 1), 1);
	assert_int_equal(qid, id);
	expect_fires(cnt(s, "dissect_cnt"), s->net.vb, "flow dissector");
	drop(s, l);
	assert_int_equal(bpftool_flow_dissector(), 0);
	assert_int_equal(links_of(id), 0);
	assert_int_equal(prog_query(ns, BPF_FLOW_DISSECTOR, &qid, 1), 0);
	close(ns);
	expect_silent(cnt(s, "dissect_cnt"), s->net.vb, "flow dissector");
}

static void udp_to_lo(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	close(fd);
}

static void test_netfilter(void **state)
{
	struct bbpf_netfilter_opts o = { .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
					 .priority = -128 };
	volatile unsigned long long *c;
	struct bbpf_link *l;
	unsigned long long before;
	uint32_t id;
	struct st *s;

	TK_NEED_KERNEL();
	s = begin(state, "nf");
	c = cnt(s, "nf_cnt");
	id = prog_id(prog(s, "nf_count"));
	assert_int_equal(bbpf_program_attach_netfilter(prog(s, "nf_count"), NULL, &l), -EINVAL);
	assert_int_equal(bbpf_program_attach_netfilter(prog(s, "nf_count"), &o, &l), 0);
	keep(s, l);
	assert_int_equal(links_of(id), 1);
	udp_to_lo();
	assert_true(*c >= 1);
	drop(s, l);
	assert_int_equal(links_of(id), 0);
	before = *c;
	udp_to_lo();
	assert_int_equal(*c, before);
}

/*
 * Every call of a netlink attach failing in turn, against the real kernel
 * (the fault-injecting wrapper in front of it): the attach either recovers
 * (a retried read, a lost answer whose effect is found and kept or undone)
 * or fails, and in no case is a fd, an XDP program, a filter or a qdisc
 * made by it left behind.
 */
static void live_sweep(void **state, bool tc)
{
	struct bbpf_xdp_link_opts xo = { .flags = XDP_FLAGS_SKB_MODE, .netlink = true };
	static const int errs[] = { -EIO, -EINTR };
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_load_opts lo = { 0 };
	struct fs_wrap *w = calloc(1, sizeof(*w));
	unsigned long n, total, failed = 0, ok = 0;
	struct bbpf_program *p;
	struct bbpf_xdp_query q;
	struct bbpf_sys sys;
	struct bbpf_link *l;
	size_t i, base;
	struct st *s;
	char *f;
	int err;

	TK_NEED_KERNEL();
	s = *state;
	if (net_env_enter(&s->net, tc ? "tcsweep" : "xdpsweep"))
		fail_msg("no namespace");
	assert_non_null(w);
	sys = fs_wrap_init(w, &bbpf_sys_linux);
	co.sys = &sys;
	assert_int_equal(bbpf_ctx_new(&s->ctx, &co), 0);
	assert_int_equal(bbpf_object_open_file(&s->obj, BBPF_FIXTURE_DIR "/net_attach.bpf.o", NULL,
					       NULL), 0);
	lo.ctx = s->ctx;
	assert_int_equal(bbpf_object_load(s->obj, &lo), 0);
	p = prog(s, tc ? "tc_count" : "xdp_count");
	base = fs_wrap_open_fds(w);
	fs_wrap_reset_counts(w);
	assert_int_equal(tc ? bbpf_program_attach_tc(p, s->net.va, BBPF_TC_INGRESS, &l) :
			      bbpf_program_attach_xdp_opts(p, s->net.va, &xo, &l), 0);
	total = w->calls;
	bbpf_link_destroy(l);
	for (n = 1; n <= total; n++) {
		for (i = 0; i < ARRAY_LEN(errs); i++) {
			fs_wrap_reset_counts(w);
			fs_wrap_fail(w, n, errs[i]);
			err = tc ? bbpf_program_attach_tc(p, s->net.va, BBPF_TC_INGRESS, &l) :
				   bbpf_program_attach_xdp_opts(p, s->net.va, &xo, &l);
			fs_wrap_fail(w, 0, 0);
			if (!err) {
				ok++;
				bbpf_link_destroy(l);
			} else {
				failed++;
				assert_null(l);
			}
			if (fs_wrap_open_fds(w) != base) {
				fs_wrap_dump(w, stderr);
				fail_msg("call %lu failing with %d: fds left", n, errs[i]);
			}
			if (tc) {
				f = net_env_sh("tc qdisc show dev va; tc filter show dev va ingress");
				if (strstr(f, "clsact") || strstr(f, "bpf"))
					fail_msg("call %lu failing with %d: left\n%s", n, errs[i], f);
				free(f);
			} else {
				assert_int_equal(bbpf_xdp_query(NULL, s->net.va, 0, &q), 0);
				if (q.prog_id)
					fail_msg("call %lu failing with %d: XDP program %u left", n,
						 errs[i], q.prog_id);
			}
		}
	}
	assert_true(total >= 8);
	assert_true(failed > 0 && ok > 0);	/* -EINTR on reads is retried */
	bbpf_object_close(s->obj);
	s->obj = NULL;
	bbpf_ctx_free(s->ctx);
	s->ctx = NULL;
	free(w);
}

static void test_tc_live_fault_sweep(void **state)
{
	live_sweep(state, true);
}

static void test_xdp_netlink_live_fault_sweep(void **state)
{
	live_sweep(state, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xdp_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xdp_netlink_generic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xdp_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_clsact_made, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_clsact_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_prog_attach_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prog_attach_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockmap_msg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockmap_prog_attach_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sk_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow_dissector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netfilter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_live_fault_sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xdp_netlink_live_fault_sweep, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
