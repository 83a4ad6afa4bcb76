// SPDX-License-Identifier: BSD-2-Clause
/*
 * The attach commands of the CLI (net attach|detach, cgroup attach|detach,
 * prog attach|detach, run --xdp/--tc/--cgroup) against live objects in a
 * private network namespace and cgroup (tests/lib/net_env.h), compared
 * with bpftool 7.1 doing the same: what the kernel shows afterwards
 * (`bpftool net show`, `bpftool cgroup show`, BPF_PROG_QUERY), the exit
 * status, the JSON (null on success, {"error":...}) and the text of each
 * error (bpftool's "Error: X" is barebpf's "barebpf: <command>: X"); every
 * attachment made by one tool is removed by the other's detach. The
 * programs are loaded by the test (build/bpf/net_attach.bpf.o) and named
 * by id, pinned path, name and tag.
 *
 * net show|list: XDP (generic), cls_bpf filters on clsact ingress and
 * egress (made with iproute2's tc), tcx programs (by net attach and by a
 * tcx link) and a flow dissector in the private namespace; barebpf's text,
 * -j and -p against bpftool's, dev filtering, the error of an unknown
 * device. bpftool 7.1 does not list tcx (7.3+ does): barebpf's tcx lines
 * (text) and objects (-j) are asserted on their own and dropped before the
 * comparison; once the tcx programs are gone the outputs are compared as
 * they are (known difference, README).
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "kernel_avail.h"
#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "base/uapi_compat.h"
#include "json_mini.h"
#include "net_env.h"
#include "proc_run.h"

#define BAREBPF BBPF_BUILD_DIR "/barebpf"

struct st {
	struct net_env net;
	struct bbpf_object *obj;
	struct bbpf_link *link;	/* net show's tcx link */
	char pin_dir[128];
	char bpftool[256];
};

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
	char path[300];

	bbpf_link_destroy(s->link);
	bbpf_object_close(s->obj);
	if (s->pin_dir[0]) {
		snprintf(path, sizeof(path), "%s/xdp", s->pin_dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/tc", s->pin_dir);
		unlink(path);
		rmdir(s->pin_dir);
	}
	net_env_leave(&s->net);
	free(s);
	return 0;
}

static struct st *begin(void **state, const char *tag)
{
	struct st *s = *state;
	char *p;
	int err;

	if (net_env_enter(&s->net, tag))
		fail_msg("%s", net_env_enter(&s->net, tag));
	p = net_env_sh("command -v bpftool || ls /usr/sbin/bpftool");
	if (!p || !p[0])
		fail_msg("bpftool is missing (a reference tool: a failure, not a skip)");
	snprintf(s->bpftool, sizeof(s->bpftool), "%.*s", (int)strcspn(p, "\n"), p);
	free(p);
	err = bbpf_object_open_file(&s->obj, BBPF_FIXTURE_DIR "/net_attach.bpf.o", NULL, NULL);
	if (err)
		fail_msg("open net_attach.bpf.o: %d (run `make fixtures`)", err);
	assert_int_equal(bbpf_object_load(s->obj, NULL), 0);
	return s;
}

/* Run a command line (words separated by single spaces, no quoting). */
static void run(struct proc_run *r, const char *fmt, ...)
{
	char line[1024], *argv[32], *save = NULL, *w;
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (w = strtok_r(line, " ", &save); w && n < 31; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	assert_int_equal(proc_run(argv, r), 0);
}

static int status(const struct proc_run *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128;
}

static struct bbpf_program *prog(struct st *s, const char *name)
{
	struct bbpf_program *p = bbpf_object_find_program(s->obj, name);

	assert_non_null(p);
	return p;
}

static void info_of(int fd, struct bpf_prog_info *info)
{
	union bpf_attr attr;

	memset(info, 0, sizeof(*info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(*info);
	attr.info.info = (uint64_t)(uintptr_t)info;
	assert_int_equal(syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)), 0);
}

static uint32_t id_of(struct st *s, const char *name)
{
	struct bpf_prog_info info;

	info_of(bbpf_program_fd(prog(s, name)), &info);
	return info.id;
}

static uint32_t map_id(struct st *s, const char *name)
{
	struct bpf_map_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)bbpf_map_fd(bbpf_object_find_map(s->obj, name));
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	assert_int_equal(syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)), 0);
	return info.id;
}

static uint32_t query(int target, int type, uint32_t *ids, uint32_t max)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)target;
	attr.query.attach_type = (uint32_t)type;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = max;
	assert_int_equal(syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)), 0);
	return attr.query.prog_cnt;
}

/* `bpftool net show dev va` as text (the kernel's view, as bpftool prints it). */
static char *net_show(struct st *s)
{
	struct proc_run r;
	char *out;

	run(&r, "%s net show dev va", s->bpftool);
	assert_int_equal(status(&r), 0);
	out = r.out;
	r.out = NULL;
	proc_run_free(&r);
	return out;
}

static char *cgroup_show(struct st *s)
{
	struct proc_run r;
	char *out;

	run(&r, "%s -j cgroup show %s", s->bpftool, s->net.cgroup);
	assert_int_equal(status(&r), 0);
	out = r.out;
	r.out = NULL;
	proc_run_free(&r);
	return out;
}

static void expect_net(struct st *s, const char *want)
{
	char *got = net_show(s);

	assert_string_equal(got, want);
	free(got);
}

static void expect_net_has(struct st *s, const char *part)
{
	char *got = net_show(s);

	if (!strstr(got, part))
		fail_msg("bpftool net show dev va: no '%s' in\n%s", part, got);
	free(got);
}

static void expect_cgroup(struct st *s, const char *want)
{
	char *got = cgroup_show(s);

	assert_string_equal(got, want);
	free(got);
}

static void expect_cgroup_lacks(struct st *s, const char *part)
{
	char *got = cgroup_show(s);

	assert_null(strstr(got, part));
	free(got);
}

/* barebpf succeeds and, with -j, prints null (as bpftool does). */
static void ours_ok(struct st *s, const char *args)
{
	struct proc_run r;

	(void)s;
	run(&r, "%s -j %s", BAREBPF, args);
	if (status(&r) != 0 || strcmp(r.out, "null\n"))
		fail_msg("barebpf %s: exit %d, out '%s', err '%s'", args, status(&r), r.out, r.err);
	proc_run_free(&r);
}

static void bpftool_ok(struct st *s, const char *args)
{
	struct proc_run r;

	run(&r, "%s -j %s", s->bpftool, args);
	if (status(&r) != 0 || strcmp(r.out, "null\n"))
		fail_msg("bpftool %s: exit %d, out '%s', err '%s'", args, status(&r), r.out, r.err);
	proc_run_free(&r);
}

/*
 * Both fail the same way: bpftool's "Error: X" is "barebpf: <what>: X", and
 * with -j both print {"error":"X"}. bpftool's exit status is its negative
 * errno; barebpf's 1 (failure) or 2 (usage).
 */
static void same_error(struct st *s, const char *what, const char *args)
{
	struct proc_run b, r, bj, rj;
	char want[600], *nl;
	const char *x;

	run(&b, "%s %s", s->bpftool, args);
	run(&r, "%s %s", BAREBPF, args);
	run(&bj, "%s -j %s", s->bpftool, args);
	run(&rj, "%s -j %s", BAREBPF, args);
	assert_int_not_equal(status(&b), 0);
	assert_true(status(&r) == 1 || status(&r) == 2);
	x = strstr(b.err, "Error: ");
	if (!x)
		fail_msg("bpftool %s: no error line in '%s'", args, b.err);
	snprintf(want, sizeof(want), "barebpf: %s: %s", what, x + 7);
	nl = strchr(want, '\n');
	if (nl)
		nl[1] = '\0';
	if (!strstr(r.err, want))
		fail_msg("%s: bpftool says '%s', barebpf '%s' (wanted '%s')", args, x, r.err, want);
	assert_string_equal(rj.out, bj.out);
	assert_string_equal(rj.err, "");
	proc_run_free(&b);
	proc_run_free(&r);
	proc_run_free(&bj);
	proc_run_free(&rj);
}

/* ---- net ---- */

static void test_net_xdp(void **state)
{
	struct st *s;
	char args[256], *mine, *theirs, *empty;
	uint32_t id, id2;

	TK_NEED_KERNEL();
	s = begin(state, "clixdp");
	id = id_of(s, "xdp_count");
	id2 = id_of(s, "xdp_count2");
	empty = net_show(s);
	snprintf(args, sizeof(args), "net attach xdpgeneric id %u dev va", id);
	ours_ok(s, args);
	mine = net_show(s);
	assert_non_null(strstr(mine, "generic"));
	/* it stays after the command; bpftool's detach removes it */
	bpftool_ok(s, "net detach xdpgeneric dev va");
	expect_net(s, empty);
	bpftool_ok(s, args);
	theirs = net_show(s);
	assert_string_equal(theirs, mine);
	/* already there: both refuse without overwrite, in the same words */
	snprintf(args, sizeof(args), "net attach xdpgeneric id %u dev va", id2);
	same_error(s, "net attach", args);
	snprintf(args, sizeof(args), "net attach xdpg id %u dev va overwrite", id2);
	ours_ok(s, args);
	expect_net_has(s, "generic");
	ours_ok(s, "net detach xdpgeneric dev va");
	expect_net(s, empty);
	/* driver mode on veth; and detaching what is not there is no error */
	snprintf(args, sizeof(args), "net attach xdpdrv id %u dev va", id);
	ours_ok(s, args);
	expect_net_has(s, "driver");
	ours_ok(s, "net detach xdpdrv dev va");
	ours_ok(s, "net detach xdpdrv dev va");
	expect_net(s, empty);
	/* errors with bpftool's text */
	snprintf(args, sizeof(args), "net attach xdpx id %u dev va", id);
	same_error(s, "net attach", args);
	snprintf(args, sizeof(args), "net attach xdp id %u dev nosuchdev", id);
	same_error(s, "net attach", args);
	snprintf(args, sizeof(args), "net attach xdp id %u dev va foo", id);
	same_error(s, "net attach", args);
	snprintf(args, sizeof(args), "net attach xdp id %u", id);
	same_error(s, "net attach", args);
	snprintf(args, sizeof(args), "net attach xdp id %u dev va", id_of(s, "tc_count"));
	same_error(s, "net attach", args);	/* not an XDP program */
	same_error(s, "net attach", "net attach xdp id 4000000000 dev va");
	same_error(s, "net attach", "net attach xdp idx 3 dev va");
	same_error(s, "net detach", "net detach xdp dev nosuchdev");
	free(mine);
	free(theirs);
	free(empty);
}

/* tcx: bpftool 7.1 has no tcx words; the kernel's chain is the reference. */
static void test_net_tcx(void **state)
{
	struct proc_run r;
	uint32_t ids[4], in, in2, eg;
	struct st *s;
	char args[256];

	TK_NEED_KERNEL();
	s = begin(state, "clitcx");
	in = id_of(s, "tcx_in_count");
	in2 = id_of(s, "tcx_in_count2");
	eg = id_of(s, "tcx_eg_count");
	snprintf(args, sizeof(args), "net attach tcx_ingress id %u dev va", in);
	ours_ok(s, args);
	snprintf(args, sizeof(args), "net attach tcx_ingress name tcx_in_count2 dev va");
	ours_ok(s, args);
	snprintf(args, sizeof(args), "net attach tcx_e id %u dev va", eg);
	ours_ok(s, args);
	assert_int_equal(query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 2);
	assert_int_equal(ids[0], in);	/* appended: the second runs last */
	assert_int_equal(ids[1], in2);
	assert_int_equal(query(s->net.va, BBPF_TCX_EGRESS, ids, 4), 1);
	assert_int_equal(ids[0], eg);
	/* overwrite is for XDP only */
	snprintf(args, sizeof(args), "net attach tcx_ingress id %u dev va overwrite", in);
	run(&r, "%s %s", BAREBPF, args);
	assert_int_equal(status(&r), 2);
	assert_non_null(strstr(r.err, "barebpf: net attach: 'overwrite' is only supported for xdp "
				      "types"));
	proc_run_free(&r);
	/* detach takes the last one off the chain */
	ours_ok(s, "net detach tcx_ingress dev va");
	assert_int_equal(query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 1);
	assert_int_equal(ids[0], in);
	ours_ok(s, "net detach tcx_ingress dev va");
	ours_ok(s, "net detach tcx_egress dev va");
	assert_int_equal(query(s->net.va, BBPF_TCX_INGRESS, ids, 4), 0);
	assert_int_equal(query(s->net.va, BBPF_TCX_EGRESS, ids, 4), 0);
	run(&r, "%s net detach tcx_ingress dev va", BAREBPF);
	assert_int_equal(status(&r), 1);
	assert_non_null(strstr(r.err, "interface tcx_ingress detach failed: No such file or "
				      "directory"));
	proc_run_free(&r);
}

/* ---- net show ---- */

/* stdout of a successful run of tool (barebpf or bpftool) with args. */
static char *out_of(const char *tool, const char *args)
{
	struct proc_run r;
	char *out;

	run(&r, "%s %s", tool, args);
	if (status(&r) != 0)
		fail_msg("%s %s: exit %d: %s", tool, args, status(&r), r.err);
	assert_string_equal(r.err, "");
	out = r.out;
	r.out = NULL;
	proc_run_free(&r);
	return out;
}

/* Remove barebpf's tcx entries (bpftool 7.1 has none): text lines, or -j objects. */
static size_t drop_tcx(char *o)
{
	char *p, *e;
	size_t n = 0;

	if (o[0] != '[') {
		while ((p = strstr(o, " tcx/"))) {
			while (p > o && p[-1] != '\n')
				p--;
			e = strchr(p, '\n');
			assert_non_null(e);
			memmove(p, e + 1, strlen(e + 1) + 1);
			n++;
		}
		return n;
	}
	while ((e = strstr(o, "\"kind\":\"tcx/"))) {
		for (p = e; p > o && *p != '{'; p--)
			;
		e = strchr(e, '}');	/* flat objects: the first '}' ends it */
		assert_non_null(e);
		e++;
		if (*e == ',')
			e++;
		else if (p > o && p[-1] == ',')
			p--;
		memmove(p, e, strlen(e) + 1);
		n++;
	}
	return n;
}

/* barebpf and bpftool print the same for args, once barebpf's tcx entries (want of them) are dropped. */
static void same_show(struct st *s, const char *args, size_t want_tcx)
{
	char *mine = out_of(BAREBPF, args), *theirs = out_of(s->bpftool, args);

	assert_int_equal(drop_tcx(mine), want_tcx);
	if (strcmp(mine, theirs))
		fail_msg("%s:\nbarebpf (tcx dropped):\n%s\nbpftool:\n%s", args, mine, theirs);
	free(mine);
	free(theirs);
}

static void expect_in(const char *out, const char *fmt, ...)
{
	char want[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (!strstr(out, want))
		fail_msg("no '%s' in\n%s", want, out);
}

static void test_net_show(void **state)
{
	uint32_t xdp, tc, in, in2, eg, dissect;
	char args[512], *o;
	struct st *s;
	int va, vb;

	TK_NEED_KERNEL();
	s = begin(state, "clishow");
	va = s->net.va;
	vb = s->net.vb;
	xdp = id_of(s, "xdp_count");
	tc = id_of(s, "tc_count");
	in = id_of(s, "tcx_in_count");
	in2 = id_of(s, "tcx_in_count2");
	eg = id_of(s, "tcx_eg_count");
	dissect = id_of(s, "dissect_count");
	/* nothing attached yet: the three empty sections */
	same_show(s, "net show", 0);
	same_show(s, "-j net list", 0);
	/* xdp (generic), tc filters through iproute2 (pinned: named "tc:[*fsobj]"), tcx, flow dissector */
	snprintf(s->pin_dir, sizeof(s->pin_dir), "/sys/fs/bpf/bbpf_clishow_%d", (int)getpid());
	assert_int_equal(mkdir(s->pin_dir, 0700), 0);
	snprintf(args, sizeof(args), "%s/tc", s->pin_dir);
	assert_int_equal(bbpf_program_pin(prog(s, "tc_count"), args), 0);
	assert_int_equal(net_env_run("tc qdisc add dev va clsact && "
				     "tc filter add dev va ingress bpf da pinned %s/tc && "
				     "tc filter add dev va egress bpf pinned %s/tc",
				     s->pin_dir, s->pin_dir), 0);
	snprintf(args, sizeof(args), "net attach xdpgeneric id %u dev va", xdp);
	ours_ok(s, args);
	snprintf(args, sizeof(args), "net attach tcx_ingress id %u dev va", in);
	ours_ok(s, args);
	snprintf(args, sizeof(args), "net attach tcx_egress id %u dev vb", eg);
	ours_ok(s, args);
	assert_int_equal(bbpf_program_attach_tcx(prog(s, "tcx_in_count2"), va, NULL, &s->link), 0);
	snprintf(args, sizeof(args), "prog attach id %u flow_dissector", dissect);
	ours_ok(s, args);

	/* what bpftool shows is there (the comparison is not of empty lists) */
	o = out_of(s->bpftool, "net show");
	expect_in(o, "xdp:\nva(%d) generic id %u\n", va, xdp);
	expect_in(o, "va(%d) clsact/ingress tc:[*fsobj] id %u\n", va, tc);
	expect_in(o, "va(%d) clsact/egress tc:[*fsobj] id %u\n", va, tc);
	expect_in(o, "flow_dissector:\nid %u\n", dissect);
	free(o);
	/* barebpf's tcx lines, as upstream bpftool prints them (before the tc filters) */
	o = out_of(BAREBPF, "net show");
	expect_in(o, "tc:\nvb(%d) tcx/egress tcx_eg_count prog_id %u \n", vb, eg);
	expect_in(o, "va(%d) tcx/ingress tcx_in_count prog_id %u \n"
		     "va(%d) tcx/ingress tcx_in_count2 prog_id %u link_id ", va, in, va, in2);
	free(o);
	o = out_of(BAREBPF, "-j net show");
	expect_in(o, "{\"devname\":\"va\",\"ifindex\":%d,\"kind\":\"tcx/ingress\","
		     "\"name\":\"tcx_in_count\",\"prog_id\":%u,\"prog_flags\":[],\"link_id\":0,"
		     "\"link_flags\":[]}", va, in);
	free(o);
	/* the rest as bpftool 7.1's, whole and per device */
	same_show(s, "net show", 3);
	same_show(s, "net list", 3);
	same_show(s, "-j net show", 3);
	same_show(s, "net show dev va", 2);
	same_show(s, "net show dev vb", 1);
	same_show(s, "-j net list dev va", 2);
	same_show(s, "net show dev lo", 0);
	/* errors: an unknown device, a word that is not dev */
	snprintf(args, sizeof(args), "net show dev nosuch%d", (int)getpid());
	same_error(s, "net show", args);
	same_error(s, "net show", "net show foo bar");
	/* without tcx, byte for byte, -p included */
	bbpf_link_destroy(s->link);
	s->link = NULL;
	ours_ok(s, "net detach tcx_ingress dev va");
	ours_ok(s, "net detach tcx_egress dev vb");
	same_show(s, "net show", 0);
	same_show(s, "-j net show", 0);
	same_show(s, "-p net show", 0);
	same_show(s, "-p net show dev va", 0);
}

/* ---- cgroup ---- */

static void test_cgroup(void **state)
{
	struct proc_run r;
	struct st *s;
	char args[512], *empty, *mine, *theirs;
	uint32_t id;

	TK_NEED_KERNEL();
	s = begin(state, "clicg");
	if (net_env_cgroup(&s->net))
		fail_msg("no cgroup v2");
	id = id_of(s, "cg_in_count");
	empty = cgroup_show(s);
	snprintf(args, sizeof(args), "cgroup attach %s cgroup_inet_ingress id %u multi",
		 s->net.cgroup, id);
	ours_ok(s, args);
	mine = cgroup_show(s);
	assert_non_null(strstr(mine, "\"attach_type\":\"cgroup_inet_ingress\""));
	assert_non_null(strstr(mine, "\"attach_flags\":\"multi\""));
	snprintf(args, sizeof(args), "cgroup detach %s ingress id %u", s->net.cgroup, id);
	bpftool_ok(s, args);
	expect_cgroup(s, empty);
	snprintf(args, sizeof(args), "cgroup attach %s cgroup_inet_ingress id %u multi",
		 s->net.cgroup, id);
	bpftool_ok(s, args);
	theirs = cgroup_show(s);
	assert_string_equal(theirs, mine);
	snprintf(args, sizeof(args), "cgroup detach %s ingr id %u", s->net.cgroup, id);
	ours_ok(s, args);
	expect_cgroup(s, empty);
	/* override, the traditional word, the pinned handle */
	snprintf(s->pin_dir, sizeof(s->pin_dir), "/sys/fs/bpf/bbpf_clicg_%d", (int)getpid());
	assert_int_equal(mkdir(s->pin_dir, 0700), 0);
	snprintf(args, sizeof(args), "%s/xdp", s->pin_dir);
	assert_int_equal(bbpf_program_pin(prog(s, "cg_eg_count"), args), 0);
	snprintf(args, sizeof(args), "cgroup attach %s egress pinned %s/xdp override",
		 s->net.cgroup, s->pin_dir);
	ours_ok(s, args);
	free(mine);
	mine = cgroup_show(s);
	assert_non_null(strstr(mine, "\"attach_flags\":\"override\""));
	assert_non_null(strstr(mine, "\"name\":\"cg_eg_count\""));
	snprintf(args, sizeof(args), "cgroup detach %s egress name cg_eg_count", s->net.cgroup);
	ours_ok(s, args);
	expect_cgroup(s, empty);
	/* the same errors */
	snprintf(args, sizeof(args), "cgroup attach %s ingress id %u bogus", s->net.cgroup, id);
	same_error(s, "cgroup attach", args);
	snprintf(args, sizeof(args), "cgroup attach %s cgroup_inet_ingr id %u", s->net.cgroup, id);
	same_error(s, "cgroup attach", args);
	snprintf(args, sizeof(args), "cgroup attach /nonexistent ingress id %u", id);
	same_error(s, "cgroup attach", args);
	snprintf(args, sizeof(args), "cgroup attach %s ingress", s->net.cgroup);
	same_error(s, "cgroup attach", args);
	snprintf(args, sizeof(args), "cgroup attach %s ingress id %u", s->net.cgroup,
		 id_of(s, "xdp_count"));
	same_error(s, "cgroup attach", args);	/* an XDP program */
	snprintf(args, sizeof(args), "cgroup detach %s ingress id %u", s->net.cgroup, id);
	same_error(s, "cgroup detach", args);	/* not attached */
	/* a directory: bpftool 7.1 names its parent here (it prints dirname()'s result) */
	snprintf(args, sizeof(args), "%s cgroup attach %s ingress pinned %s", BAREBPF,
		 s->net.cgroup, s->pin_dir);
	run(&r, "%s", args);
	assert_int_equal(status(&r), 1);
	snprintf(args, sizeof(args), "barebpf: cgroup attach: bpf obj get (%s): Permission denied",
		 s->pin_dir);
	assert_non_null(strstr(r.err, args));
	proc_run_free(&r);
	free(empty);
	free(mine);
	free(theirs);
}

/* ---- prog attach|detach ---- */

static void test_prog_attach(void **state)
{
	uint32_t ids[4], msg, parser, dissect, mid;
	struct bpf_prog_info info;
	struct st *s;
	char args[256], tag[17];
	int ns, i, mfd;

	TK_NEED_KERNEL();
	s = begin(state, "cliprog");
	msg = id_of(s, "msg_count");
	parser = id_of(s, "skb_parser");
	dissect = id_of(s, "dissect_count");
	mid = map_id(s, "sock_map");
	mfd = bbpf_map_fd(bbpf_object_find_map(s->obj, "sock_map"));
	/*
	 * A tag names the instructions with map references blanked: the
	 * counting programs share one (several match); skb_parser's is its own.
	 */
	info_of(bbpf_program_fd(prog(s, "msg_count")), &info);
	for (i = 0; i < 8; i++)
		snprintf(tag + 2 * i, 3, "%02x", info.tag[i]);
	snprintf(args, sizeof(args), "prog attach tag %s msg_verdict id %u", tag, mid);
	same_error(s, "prog attach", args);
	snprintf(args, sizeof(args), "prog attach id %u msg_verdict id %u", msg, mid);
	ours_ok(s, args);
	assert_int_equal(query(mfd, BPF_SK_MSG_VERDICT, ids, 4), 1);
	assert_int_equal(ids[0], msg);
	snprintf(args, sizeof(args), "prog detach id %u sk_msg_verdict name sock_map", msg);
	bpftool_ok(s, args);
	assert_int_equal(query(mfd, BPF_SK_MSG_VERDICT, ids, 4), 0);
	snprintf(args, sizeof(args), "prog attach id %u sk_msg_verdict id %u", msg, mid);
	bpftool_ok(s, args);
	snprintf(args, sizeof(args), "prog detach id %u msg id %u", msg, mid);
	ours_ok(s, args);
	assert_int_equal(query(mfd, BPF_SK_MSG_VERDICT, ids, 4), 0);
	info_of(bbpf_program_fd(prog(s, "skb_parser")), &info);
	for (i = 0; i < 8; i++)
		snprintf(tag + 2 * i, 3, "%02x", info.tag[i]);
	snprintf(args, sizeof(args), "prog attach tag %s stream_p id %u", tag, mid);
	ours_ok(s, args);
	assert_int_equal(query(mfd, BPF_SK_SKB_STREAM_PARSER, ids, 4), 1);
	assert_int_equal(ids[0], parser);
	snprintf(args, sizeof(args), "prog detach id %u sk_skb_stream_parser id %u", parser, mid);
	ours_ok(s, args);
	assert_int_equal(query(mfd, BPF_SK_SKB_STREAM_PARSER, ids, 4), 0);
	/* flow dissector: no map, the current network namespace */
	snprintf(args, sizeof(args), "prog attach id %u flow_dissector", dissect);
	ours_ok(s, args);
	ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_int_equal(query(ns, BPF_FLOW_DISSECTOR, ids, 1), 1);
	assert_int_equal(ids[0], dissect);
	snprintf(args, sizeof(args), "prog detach id %u flow_dissector", dissect);
	bpftool_ok(s, args);
	assert_int_equal(query(ns, BPF_FLOW_DISSECTOR, ids, 1), 0);
	close(ns);
	/* errors */
	snprintf(args, sizeof(args), "prog attach id %u sk_msg id %u", msg, mid);
	same_error(s, "prog attach", args);
	snprintf(args, sizeof(args), "prog attach id %u msg_verdict", msg);
	same_error(s, "prog attach", args);
	snprintf(args, sizeof(args), "prog attach id %u msg_verdict id %u", msg, msg + 1000000);
	same_error(s, "prog attach", args);
	snprintf(args, sizeof(args), "prog detach id %u msg_verdict id %u", msg, mid);
	same_error(s, "prog detach", args);	/* not attached */
	snprintf(args, sizeof(args), "prog attach id %u cgroup_inet_ingress id %u", msg, mid);
	same_error(s, "prog attach", args);
	same_error(s, "prog attach", "prog attach tag 00ff xdp id 1");
}

/* ---- run --xdp --tc --cgroup ---- */

static unsigned long long shown(const char *out, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "%s = ", name);
	p = strstr(out, key);
	if (!p)
		fail_msg("no '%s' in the output of run: %s", name, out);
	return strtoull(p + strlen(key), NULL, 10);
}

static void test_run_targets(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct proc_run r;
	char *before, *links_before, *links_after, path[300];
	struct st *s;
	pid_t gen;
	int st, i, fd;

	TK_NEED_KERNEL();
	s = begin(state, "clirun");
	if (net_env_cgroup(&s->net))
		fail_msg("no cgroup v2");
	before = net_show(s);
	links_before = net_env_sh("%s -j link show", s->bpftool);
	/* traffic while the run lasts: frames both ways on va, UDP from inside the cgroup */
	gen = fork();
	assert_true(gen >= 0);
	if (gen == 0) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", s->net.cgroup);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(2);
		close(fd);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		for (i = 0; i < 30; i++) {
			usleep(100 * 1000);
			net_env_send_frames(s->net.vb, 2);
			net_env_send_frames(s->net.va, 2);
			sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
		}
		_exit(0);
	}
	run(&r, "%s run %s/net_run.bpf.o --xdp va --tc va:egress --tc va:ingress --cgroup %s "
		"--duration 2.5 --show xdp_runs --show tc_runs --show tcx_runs --show cg_runs",
	    BAREBPF, BBPF_FIXTURE_DIR, s->net.cgroup);
	assert_int_equal(waitpid(gen, &st, 0), gen);
	if (status(&r) != 0)
		fail_msg("run: exit %d: %s", status(&r), r.err);
	assert_non_null(strstr(r.err, "5 program(s) attached"));	/* xdp, tcx, tc x2, cgroup */
	assert_true(shown(r.out, "xdp_runs") > 0);
	assert_true(shown(r.out, "tc_runs") > 0);
	assert_true(shown(r.out, "tcx_runs") > 0);
	assert_true(shown(r.out, "cg_runs") > 0);
	proc_run_free(&r);
	/* nothing left: no XDP, no clsact (the run made it), no filter, no link, no cgroup program */
	expect_net(s, before);
	path[0] = '\0';
	{
		char *q = net_env_sh("tc qdisc show dev va; tc filter show dev va ingress; "
				     "tc filter show dev va egress");

		assert_null(strstr(q, "clsact"));
		assert_null(strstr(q, "bpf"));
		free(q);
	}
	expect_cgroup_lacks(s, "cg");
	links_after = net_env_sh("%s -j link show", s->bpftool);
	assert_string_equal(links_after, links_before);
	/* a target without a program of its kind, and a bad one */
	run(&r, "%s run %s/net_attach.bpf.o --cgroup %s --xdp va --duration 1", BAREBPF,
	    BBPF_FIXTURE_DIR, s->net.cgroup);
	assert_int_equal(status(&r), 1);	/* two xdp programs: the second finds va taken */
	assert_non_null(strstr(r.err, "--xdp va: attaching program 'xdp_count2' failed"));
	proc_run_free(&r);
	expect_net(s, before);
	expect_cgroup_lacks(s, "cg");	/* what was attached went again */
	run(&r, "%s run %s/minimal.bpf.o --xdp va --duration 1", BAREBPF, BBPF_FIXTURE_DIR);
	assert_int_equal(status(&r), 1);
	assert_non_null(strstr(r.err, "--xdp va: no program in"));
	proc_run_free(&r);
	run(&r, "%s run %s/net_run.bpf.o --tc va --duration 1", BAREBPF, BBPF_FIXTURE_DIR);
	assert_int_equal(status(&r), 2);
	proc_run_free(&r);
	free(before);
	free(links_before);
	free(links_after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_net_xdp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_net_tcx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_net_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prog_attach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_targets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
