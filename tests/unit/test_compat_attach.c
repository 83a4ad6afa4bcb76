// SPDX-License-Identifier: BSD-2-Clause
/*
 * Links and attach functions of the libbpf-compatible API
 * (src/compat/link.c, attach.c, net.c, skel.c) against the fake kernel, on
 * an object built in the test: attach by section (tp/, raw_tp/), refusals
 * (not loaded, no auto-attach), struct bpf_link (fd, pin/unpin, update,
 * detach, disconnect, bpf_link__open, destroy) with nothing left open;
 * every bpf_program__attach_*() and the XDP/TC calls: options refused
 * before the native call (sz rule, libbpf's argument rules), and then
 * either the native function's answer or, while it is not merged
 * (src/compat/pending.h), -EOPNOTSUPP with errno and libbpf_get_error();
 * the skeleton refusing a section it cannot attach yet rather than
 * skipping it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "compat/compat.h"
#include "compat/pending.h"
#include "compat_sys.h"
#include "fake_sys.h"
#include "tiny_obj.h"

#define TP_ID "/sys/kernel/tracing/events/syscalls/sys_enter_getppid/id"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const secs[] = {
	"tp/syscalls/sys_enter_getppid",	/* prog0: auto-attached */
	"raw_tp/sys_exit",			/* prog1 */
	"xdp",					/* prog2: no auto-attach */
	"kprobe/do_unlinkat",			/* prog3 */
	"uprobe",				/* prog4: no target */
	"iter/task",				/* prog5 */
	"?tp/syscalls/sys_enter_getpid",	/* prog6: not loaded */
};

struct env {
	struct fs_script s;
	struct fs_wrap w;
	struct bbpf_sys inner, sys;
	uint8_t *elf, *vmlinux;
	size_t elf_len;
	struct bpf_object *obj;
	struct bpf_program *p[ARRAY_LEN(secs)];
	size_t base_fds;
};

static int setup(void **state)
{
	static const char *const funcs[] = { "bpf_iter_task" };
	struct env *e = calloc(1, sizeof(*e));
	uint32_t vlen;
	size_t i;
	char name[8];

	assert_non_null(e);
	e->inner = fs_script_init(&e->s);
	e->sys = fs_wrap_init(&e->w, &e->inner);
	fs_script_add_file(&e->s, TP_ID, "733\n", 4);
	e->vmlinux = tk_tiny_vmlinux(funcs, 1, NULL, 0, &vlen);
	fs_script_add_file(&e->s, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux, vlen);
	tc_compat_use(&e->sys);
	libbpf_set_print(NULL);
	e->elf = tk_tiny_object(secs, ARRAY_LEN(secs), &e->elf_len);
	e->obj = bpf_object__open_mem(e->elf, e->elf_len, NULL);
	assert_non_null(e->obj);
	for (i = 0; i < ARRAY_LEN(secs); i++) {
		snprintf(name, sizeof(name), "prog%zu", i);
		e->p[i] = bpf_object__find_program_by_name(e->obj, name);
		assert_non_null(e->p[i]);
	}
	assert_int_equal(bpf_object__load(e->obj), 0);
	e->base_fds = fs_wrap_open_fds(&e->w);
	*state = e;
	return 0;
}

static void assert_no_new_fds(struct env *e)
{
	if (fs_wrap_open_fds(&e->w) != e->base_fds) {
		fs_wrap_dump(&e->w, stderr);
		fail_msg("%zu fds left", fs_wrap_open_fds(&e->w) - e->base_fds);
	}
}

static int teardown(void **state)
{
	struct env *e = *state;

	assert_no_new_fds(e);
	bpf_object__close(e->obj);
	assert_int_equal(fs_wrap_open_fds(&e->w), 0);
	assert_int_equal(fs_wrap_open_maps(&e->w), 0);
	tc_compat_use(NULL);
	fs_script_fini(&e->s);
	free(e->elf);
	free(e->vmlinux);
	free(e);
	return 0;
}

/* ---- attach by section, links ---- */

static void test_attach_auto(void **state)
{
	struct env *e = *state;
	struct bpf_link *tp, *raw;

	tp = bpf_program__attach(e->p[0]);
	assert_non_null(tp);
	assert_true(bpf_link__fd(tp) >= 0);
	raw = bpf_program__attach(e->p[1]);
	assert_non_null(raw);
	assert_int_equal(fs_script_last(&e->s, BPF_RAW_TRACEPOINT_OPEN)->attr.raw_tracepoint.prog_fd,
			 bpf_program__fd(e->p[1]));
	/* no auto-attach for xdp, no target for a bare uprobe: EOPNOTSUPP */
	errno = 0;
	assert_null(bpf_program__attach(e->p[2]));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_null(bpf_program__attach(e->p[4]));
	assert_int_equal(libbpf_get_error(NULL), -EOPNOTSUPP);
	/* not loaded: EINVAL */
	errno = 0;
	assert_null(bpf_program__attach(e->p[6]));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach(NULL));
	assert_int_equal(bpf_link__destroy(tp), 0);
	assert_int_equal(bpf_link__destroy(raw), 0);
	assert_int_equal(bpf_link__destroy(NULL), 0);
}

static void test_link_ops(void **state)
{
	struct env *e = *state;
	struct bpf_link *l = bpf_program__attach(e->p[0]), *opened;
	const struct fs_call *c;
	int fd;

	assert_non_null(l);
	fd = bpf_link__fd(l);
	assert_null(bpf_link__pin_path(l));
	assert_int_equal(bpf_link__unpin(l), -EINVAL);	/* not pinned */
	assert_int_equal(bpf_link__pin(l, "/sys/fs/bpf/l1"), 0);
	c = fs_script_last(&e->s, BPF_OBJ_PIN);
	assert_int_equal(c->attr.bpf_fd, fd);
	assert_string_equal(bpf_link__pin_path(l), "/sys/fs/bpf/l1");
	assert_int_equal(bpf_link__pin(l, "/sys/fs/bpf/l2"), -EBUSY);
	fs_script_push(&e->s, BPF_OBJ_PIN, -EEXIST);
	assert_int_equal(bpf_link__unpin(l), 0);
	assert_null(bpf_link__pin_path(l));
	errno = 0;
	assert_int_equal(bpf_link__pin(l, "/sys/fs/bpf/l3"), -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_null(bpf_link__pin_path(l));
	/* BPF_LINK_UPDATE with another program; BPF_LINK_DETACH */
	assert_int_equal(bpf_link__update_program(l, e->p[1]), 0);
	c = fs_script_last(&e->s, BPF_LINK_UPDATE);
	assert_int_equal(c->attr.link_update.link_fd, fd);
	assert_int_equal(c->attr.link_update.new_prog_fd, bpf_program__fd(e->p[1]));
	assert_int_equal(bpf_link__update_program(l, e->p[6]), -EINVAL);	/* not loaded */
	assert_int_equal(bpf_link__detach(l), 0);
	assert_int_equal(fs_script_last(&e->s, BPF_LINK_DETACH)->attr.link_detach.link_fd, fd);
	bpf_link__destroy(l);

	/* a pinned link opened by path: its fd, closed at destroy */
	opened = bpf_link__open("/sys/fs/bpf/pinned");
	assert_non_null(opened);
	c = fs_script_last(&e->s, BPF_OBJ_GET);
	assert_string_equal((const char *)(uintptr_t)c->attr.pathname, "/sys/fs/bpf/pinned");
	assert_string_equal(bpf_link__pin_path(opened), "/sys/fs/bpf/pinned");
	assert_true(bpf_link__fd(opened) >= 0);
	bpf_link__destroy(opened);
	fs_script_push(&e->s, BPF_OBJ_GET, -ENOENT);
	errno = 0;
	assert_null(bpf_link__open("/sys/fs/bpf/none"));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_link__fd(NULL), -EINVAL);
}

static void test_link_disconnect(void **state)
{
	struct env *e = *state;
	struct bpf_link *l = bpf_program__attach(e->p[1]);
	size_t open_fds;
	int fd;

	assert_non_null(l);
	fd = bpf_link__fd(l);
	open_fds = fs_wrap_open_fds(&e->w);
	bpf_link__disconnect(l);
	assert_int_equal(bpf_link__destroy(l), 0);
	/* the link's fd stays open: detaching is the kernel's business now */
	assert_int_equal(fs_wrap_open_fds(&e->w), open_fds);
	/* the test closes it */
	assert_int_equal(e->sys.close(e->sys.ctx, fd), 0);
}

/* ---- explicit attach: options, then the native answer (or pending) ---- */

/*
 * The result of an attach call whose native side may be pending: NULL with
 * errno EOPNOTSUPP while it is (macro in pending.h), else whatever the
 * native function answered against this fake: a link to destroy, or NULL
 * and an errno. Either way nothing may be left.
 */
#define CHECK_NATIVE(e, native, call)						\
	do {									\
		struct bpf_link *l_;						\
		errno = 0;							\
		l_ = (call);							\
		if (native##_PENDING) {						\
			assert_null(l_);					\
			assert_int_equal(errno, EOPNOTSUPP);			\
			assert_int_equal(libbpf_get_error(l_), -EOPNOTSUPP);	\
		} else if (l_) {						\
			bpf_link__destroy(l_);					\
		} else {							\
			assert_true(errno > 0);					\
		}								\
		assert_no_new_fds(e);						\
	} while (0)

#ifdef bbpf_program_attach_kprobe
#define kprobe_PENDING 1
#else
#define kprobe_PENDING 0
#endif
#ifdef bbpf_program_attach_kprobe_multi
#define kprobe_multi_PENDING 1
#else
#define kprobe_multi_PENDING 0
#endif
#ifdef bbpf_program_attach_ksyscall
#define ksyscall_PENDING 1
#else
#define ksyscall_PENDING 0
#endif
#ifdef bbpf_program_attach_uprobe
#define uprobe_PENDING 1
#else
#define uprobe_PENDING 0
#endif
#ifdef bbpf_program_attach_uprobe_multi
#define uprobe_multi_PENDING 1
#else
#define uprobe_multi_PENDING 0
#endif
#ifdef bbpf_program_attach_usdt
#define usdt_PENDING 1
#else
#define usdt_PENDING 0
#endif
#ifdef bbpf_program_attach_perf_event
#define perf_event_PENDING 1
#else
#define perf_event_PENDING 0
#endif
#ifdef bbpf_program_attach_tracepoint
#define tracepoint_PENDING 1
#else
#define tracepoint_PENDING 0
#endif
#ifdef bbpf_program_attach_raw_tracepoint
#define raw_tracepoint_PENDING 1
#else
#define raw_tracepoint_PENDING 0
#endif
#ifdef bbpf_program_attach_trace
#define trace_PENDING 1
#else
#define trace_PENDING 0
#endif
#ifdef bbpf_program_attach_lsm
#define lsm_PENDING 1
#else
#define lsm_PENDING 0
#endif
#ifdef bbpf_program_attach_freplace
#define freplace_PENDING 1
#else
#define freplace_PENDING 0
#endif
#ifdef bbpf_program_attach_iter
#define iter_PENDING 1
#else
#define iter_PENDING 0
#endif
#ifdef bbpf_program_attach_cgroup
#define cgroup_PENDING 1
#else
#define cgroup_PENDING 0
#endif
#ifdef bbpf_program_attach_netns
#define netns_PENDING 1
#else
#define netns_PENDING 0
#endif
#ifdef bbpf_program_attach_sockmap
#define sockmap_PENDING 1
#else
#define sockmap_PENDING 0
#endif
#ifdef bbpf_program_attach_xdp
#define xdp_PENDING 1
#else
#define xdp_PENDING 0
#endif
#ifdef bbpf_program_attach_netfilter
#define netfilter_PENDING 1
#else
#define netfilter_PENDING 0
#endif
#ifdef bbpf_program_attach_tcx
#define tcx_PENDING 1
#else
#define tcx_PENDING 0
#endif
#ifdef bbpf_program_attach_netkit
#define netkit_PENDING 1
#else
#define netkit_PENDING 0
#endif
#ifdef bbpf_map_attach_struct_ops
#define struct_ops_PENDING 1
#else
#define struct_ops_PENDING 0
#endif

/* sz rule and "not loaded" come before the native call, pending or not. */
static void test_attach_refusals(void **state)
{
	struct env *e = *state;
	struct { struct bpf_kprobe_opts o; int x; } bigk;
	LIBBPF_OPTS(bpf_kprobe_multi_opts, km);
	LIBBPF_OPTS(bpf_uprobe_multi_opts, um);
	const char *syms[] = { "a" };
	unsigned long addrs[] = { 1 };
	unsigned long offs[] = { 1 };

	memset(&bigk, 0, sizeof(bigk));
	bigk.o.sz = sizeof(bigk);
	bigk.x = 1;
	errno = 0;
	assert_null(bpf_program__attach_kprobe_opts(e->p[3], "f", &bigk.o));
	assert_int_equal(errno, EINVAL);
	/* not loaded */
	errno = 0;
	assert_null(bpf_program__attach_kprobe(e->p[6], false, "f"));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_kprobe(e->p[3], false, NULL));
	assert_int_equal(errno, EINVAL);
	/* kprobe.multi: a pattern or a list, not both, not neither */
	assert_null(bpf_program__attach_kprobe_multi_opts(e->p[3], NULL, &km));
	assert_int_equal(errno, EINVAL);
	km.syms = syms;
	km.cnt = 1;
	assert_null(bpf_program__attach_kprobe_multi_opts(e->p[3], "do_*", &km));
	assert_int_equal(errno, EINVAL);
	km.addrs = addrs;
	assert_null(bpf_program__attach_kprobe_multi_opts(e->p[3], NULL, &km));
	assert_int_equal(errno, EINVAL);
	/* uprobe.multi likewise */
	assert_null(bpf_program__attach_uprobe_multi(e->p[4], -1, "/bin/true", NULL, &um));
	assert_int_equal(errno, EINVAL);
	um.offsets = offs;
	um.syms = syms;
	um.cnt = 1;
	assert_null(bpf_program__attach_uprobe_multi(e->p[4], -1, "/bin/true", NULL, &um));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_uprobe_multi(e->p[4], -1, NULL, "f*", NULL));
	assert_int_equal(errno, EINVAL);
	/* other argument rules */
	assert_null(bpf_program__attach_uprobe(e->p[4], false, 0, NULL, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_usdt(e->p[4], 0, "/bin/true", NULL, "n", NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_tracepoint(e->p[0], NULL, "x"));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_freplace(e->p[0], 3, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_tcx(e->p[2], 0, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_netkit(e->p[2], 0, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_perf_event(e->p[0], -1));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_map__attach_struct_ops(NULL));
	assert_int_equal(errno, EINVAL);
	assert_no_new_fds(e);
}

static void test_attach_native(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_kprobe_opts, ko, .retprobe = true, .bpf_cookie = 3,
		    .attach_mode = PROBE_ATTACH_MODE_LINK);
	LIBBPF_OPTS(bpf_kprobe_multi_opts, km);
	LIBBPF_OPTS(bpf_ksyscall_opts, so, .retprobe = true);
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = "main");
	LIBBPF_OPTS(bpf_usdt_opts, usdo, .usdt_cookie = 9);
	LIBBPF_OPTS(bpf_tracepoint_opts, to, .bpf_cookie = 4);
	LIBBPF_OPTS(bpf_raw_tracepoint_opts, ro, .cookie = 5);
	LIBBPF_OPTS(bpf_trace_opts, tro, .cookie = 6);
	LIBBPF_OPTS(bpf_iter_attach_opts, io);
	LIBBPF_OPTS(bpf_netfilter_opts, no, .pf = 2, .hooknum = 1);
	LIBBPF_OPTS(bpf_tcx_opts, xo);
	LIBBPF_OPTS(bpf_netkit_opts, nko);
	LIBBPF_OPTS(bpf_uprobe_multi_opts, um);
	LIBBPF_OPTS(bpf_perf_event_opts, po, .bpf_cookie = 1);
	struct bpf_map *m = bpf_object__next_map(e->obj, NULL);

	CHECK_NATIVE(e, kprobe, bpf_program__attach_kprobe(e->p[3], false, "do_unlinkat"));
	CHECK_NATIVE(e, kprobe, bpf_program__attach_kprobe_opts(e->p[3], "do_unlinkat", &ko));
	CHECK_NATIVE(e, kprobe_multi, bpf_program__attach_kprobe_multi_opts(e->p[3], "do_*", &km));
	CHECK_NATIVE(e, ksyscall, bpf_program__attach_ksyscall(e->p[3], "openat", &so));
	CHECK_NATIVE(e, uprobe, bpf_program__attach_uprobe(e->p[4], true, -1, "/bin/true", 0));
	CHECK_NATIVE(e, uprobe, bpf_program__attach_uprobe_opts(e->p[4], 0, "/bin/true", 0, &uo));
	CHECK_NATIVE(e, uprobe_multi,
		     bpf_program__attach_uprobe_multi(e->p[4], -1, "/bin/true", "ma*", &um));
	CHECK_NATIVE(e, usdt, bpf_program__attach_usdt(e->p[4], -1, "/bin/true", "p", "n", &usdo));
	CHECK_NATIVE(e, tracepoint,
		     bpf_program__attach_tracepoint(e->p[0], "syscalls", "sys_enter_getppid"));
	CHECK_NATIVE(e, tracepoint, bpf_program__attach_tracepoint_opts(e->p[0], "syscalls",
									"sys_enter_getppid", &to));
	CHECK_NATIVE(e, raw_tracepoint, bpf_program__attach_raw_tracepoint(e->p[1], "sys_exit"));
	CHECK_NATIVE(e, raw_tracepoint,
		     bpf_program__attach_raw_tracepoint_opts(e->p[1], "sys_exit", &ro));
	CHECK_NATIVE(e, trace, bpf_program__attach_trace(e->p[5]));
	CHECK_NATIVE(e, trace, bpf_program__attach_trace_opts(e->p[5], &tro));
	CHECK_NATIVE(e, lsm, bpf_program__attach_lsm(e->p[5]));
	CHECK_NATIVE(e, freplace, bpf_program__attach_freplace(e->p[5], 0, NULL));
	CHECK_NATIVE(e, iter, bpf_program__attach_iter(e->p[5], &io));
	CHECK_NATIVE(e, cgroup, bpf_program__attach_cgroup(e->p[2], 100));
	CHECK_NATIVE(e, netns, bpf_program__attach_netns(e->p[2], 100));
	CHECK_NATIVE(e, sockmap, bpf_program__attach_sockmap(e->p[2], 100));
	CHECK_NATIVE(e, xdp, bpf_program__attach_xdp(e->p[2], 1));
	CHECK_NATIVE(e, netfilter, bpf_program__attach_netfilter(e->p[2], &no));
	CHECK_NATIVE(e, tcx, bpf_program__attach_tcx(e->p[2], 1, &xo));
	CHECK_NATIVE(e, netkit, bpf_program__attach_netkit(e->p[2], 1, &nko));
	(void)po;
	if (m)
		CHECK_NATIVE(e, struct_ops, bpf_map__attach_struct_ops(m));
#if perf_event_PENDING
	/* libbpf's link owns the perf event; pending, it stays the caller's */
	CHECK_NATIVE(e, perf_event, bpf_program__attach_perf_event_opts(e->p[0], 100, &po));
#endif
}

/* ---- XDP and TC ---- */

#ifdef bbpf_xdp_attach
#define NET_PENDING 1
#else
#define NET_PENDING 0
#endif

#define CHECK_NET(ret)								\
	do {									\
		int r_;								\
		errno = 0;							\
		r_ = (ret);							\
		if (NET_PENDING) {						\
			assert_int_equal(r_, -EOPNOTSUPP);			\
			assert_int_equal(errno, EOPNOTSUPP);			\
		} else if (r_ < 0) {						\
			assert_int_equal(errno, -r_);				\
		}								\
	} while (0)

static void test_xdp_tc(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_xdp_attach_opts, xo, .old_prog_fd = 3);
	LIBBPF_OPTS(bpf_xdp_query_opts, qo);
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = 1, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_hook, nohook, .ifindex = 0, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, to, .prog_fd = bpf_program__fd(e->p[2]));
	LIBBPF_OPTS(bpf_tc_opts, dto, .handle = 1, .priority = 1);
	__u32 id;

	/* refused before any native call */
	assert_int_equal(bpf_xdp_query(1, 1 << 20, &qo), -EINVAL);
	assert_int_equal(bpf_xdp_query_id(1, 0, NULL), -EINVAL);
	assert_int_equal(bpf_tc_hook_create(NULL), -EINVAL);
	assert_int_equal(bpf_tc_hook_create(&nohook), -EINVAL);
	hook.attach_point = BPF_TC_CUSTOM;
	assert_int_equal(bpf_tc_hook_destroy(&hook), -EOPNOTSUPP);
	hook.attach_point = BPF_TC_INGRESS;
	assert_int_equal(bpf_tc_attach(&hook, NULL), -EINVAL);
	to.prog_fd = 0;
	assert_int_equal(bpf_tc_attach(&hook, &to), -EINVAL);
	to.prog_fd = bpf_program__fd(e->p[2]);
	to.flags = 2;
	assert_int_equal(bpf_tc_attach(&hook, &to), -EINVAL);
	to.flags = 0;
	to.priority = 70000;
	assert_int_equal(bpf_tc_attach(&hook, &to), -EINVAL);
	to.priority = 0;
	assert_int_equal(bpf_tc_detach(&hook, &to), -EINVAL);	/* no handle/priority */
	assert_int_equal(bpf_tc_query(&hook, &to), -EINVAL);
	/* the native calls */
	CHECK_NET(bpf_xdp_attach(1, bpf_program__fd(e->p[2]), XDP_FLAGS_SKB_MODE, &xo));
	CHECK_NET(bpf_xdp_detach(1, 0, NULL));
	CHECK_NET(bpf_xdp_query(1, 0, &qo));
	CHECK_NET(bpf_xdp_query_id(1, 0, &id));
	CHECK_NET(bpf_tc_hook_create(&hook));
	CHECK_NET(bpf_tc_attach(&hook, &to));
	CHECK_NET(bpf_tc_query(&hook, &dto));
	CHECK_NET(bpf_tc_detach(&hook, &dto));
	CHECK_NET(bpf_tc_hook_destroy(&hook));
	assert_no_new_fds(e);
}

/* ---- the skeleton with a section it cannot attach yet ---- */

static void test_skeleton_pending_kind(void **state)
{
	static const char *const ksecs[] = { "kprobe/do_unlinkat", "kprobe" };
	struct env *e = *state;
	struct bpf_object *obj = NULL;
	struct bpf_program *p0 = NULL, *p1 = NULL;
	struct bpf_link *l0 = NULL, *l1 = NULL;
	struct bpf_object_skeleton *s = calloc(1, sizeof(*s));
	uint8_t *elf;
	size_t len;
	int err;

	elf = tk_tiny_object(ksecs, 2, &len);
	s->sz = sizeof(*s);
	s->name = "k";
	s->data = elf;
	s->data_sz = len;
	s->obj = &obj;
	s->prog_cnt = 2;
	s->prog_skel_sz = sizeof(*s->progs);
	s->progs = calloc(2, sizeof(*s->progs));
	s->progs[0] = (struct bpf_prog_skeleton){ "prog0", &p0, &l0 };
	s->progs[1] = (struct bpf_prog_skeleton){ "prog1", &p1, &l1 };
	assert_int_equal(bpf_object__open_skeleton(s, NULL), 0);
	assert_int_equal(bpf_object__load_skeleton(s), 0);
	errno = 0;
	err = bpf_object__attach_skeleton(s);
	if (kprobe_PENDING) {
		/* kprobe/do_unlinkat names a target: refused, not skipped */
		assert_int_equal(err, -EOPNOTSUPP);
		assert_int_equal(errno, EOPNOTSUPP);
		assert_null(l0);
	} else if (err) {
		assert_int_equal(errno, -err);
	}
	assert_null(l1);	/* a bare kprobe is skipped in either case */
	bpf_object__destroy_skeleton(s);
	free(elf);
	(void)e;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_disconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_native, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xdp_tc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skeleton_pending_kind, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
