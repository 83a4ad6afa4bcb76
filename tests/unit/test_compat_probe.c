// SPDX-License-Identifier: BSD-2-Clause
/*
 * Names and probes of the libbpf-compatible API (src/compat/probe.c)
 * against the fake kernel: type names (prog, map, attach, link), section
 * names to types (libbpf's table only: samples/bpf prefixes are -ESRCH),
 * vmlinux BTF ids with libbpf's prefixes, possible CPUs, and the feature
 * probes: what each loads or creates (attrs), how the answer is read from
 * the result and the verifier log, and that every probe closes what it
 * made.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "compat_sys.h"
#include "fake_sys.h"
#include "tiny_obj.h"

struct env {
	struct fs_script s;
	struct fs_wrap w;
	struct bbpf_sys inner, sys;
	uint8_t *vmlinux;
	const char *log;	/* written into a PROG_LOAD's log buffer */
	uint32_t btf_kinds;	/* of the last BPF_BTF_LOAD, read during the call */
	bool btf_size_exact;	/* its btf_size was header + sections, no more */
	long load_ret;		/* PROG_LOAD's answer (FS_DEFAULT: a new fd) */
};

static struct env *cur;

static long cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)s;
	(void)size;
	if (cmd == BPF_BTF_LOAD) {
		struct btf_header h;

		cur->btf_kinds = fs_btf_kinds((const void *)(uintptr_t)attr->btf, attr->btf_size);
		memcpy(&h, (const void *)(uintptr_t)attr->btf, sizeof(h));
		/* the kernel refuses bytes past the sections */
		cur->btf_size_exact = attr->btf_size == h.hdr_len + h.type_len + h.str_len &&
				      h.str_off == h.type_off + h.type_len;
	}
	if (cmd != BPF_PROG_LOAD)
		return FS_DEFAULT;
	if (cur->log && attr->log_buf && attr->log_size)
		snprintf((char *)(uintptr_t)attr->log_buf, attr->log_size, "%s", cur->log);
	return cur->load_ret;
}

static int setup(void **state)
{
	static const char *const funcs[] = { "do_unlinkat", "bpf_lsm_file_open", "bpf_iter_task" };
	static const char *const tps[] = { "sched_switch" };
	struct env *e = calloc(1, sizeof(*e));
	uint32_t len;

	assert_non_null(e);
	cur = e;
	e->inner = fs_script_init(&e->s);
	e->s.bpf_cb = cb;
	e->load_ret = FS_DEFAULT;
	e->sys = fs_wrap_init(&e->w, &e->inner);
	e->vmlinux = tk_tiny_vmlinux(funcs, 3, tps, 1, &len);
	fs_script_add_file(&e->s, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux, len);
	fs_script_add_file(&e->s, "/sys/devices/system/cpu/possible", "0-7\n", 4);
	tc_compat_use(&e->sys);
	libbpf_set_print(NULL);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	assert_int_equal(fs_wrap_open_fds(&e->w), 0);
	tc_compat_use(NULL);
	fs_script_fini(&e->s);
	free(e->vmlinux);
	free(e);
	return 0;
}

static void test_names(void **state)
{
	enum bpf_prog_type pt;
	enum bpf_attach_type at;

	(void)state;
	assert_string_equal(libbpf_bpf_prog_type_str(BPF_PROG_TYPE_KPROBE), "kprobe");
	assert_string_equal(libbpf_bpf_prog_type_str(BPF_PROG_TYPE_SCHED_CLS), "sched_cls");
	assert_string_equal(libbpf_bpf_map_type_str(BPF_MAP_TYPE_PERCPU_ARRAY), "percpu_array");
	assert_string_equal(libbpf_bpf_attach_type_str(BPF_TRACE_FENTRY), "trace_fentry");
	assert_string_equal(libbpf_bpf_link_type_str(BPF_LINK_TYPE_KPROBE_MULTI), "kprobe_multi");
	assert_string_equal(libbpf_bpf_link_type_str(BPF_LINK_TYPE_UNSPEC), "unspec");
	assert_null(libbpf_bpf_link_type_str((enum bpf_link_type)1000));
	assert_null(libbpf_bpf_prog_type_str((enum bpf_prog_type)1000));

	assert_int_equal(libbpf_prog_type_by_name("tp/syscalls/sys_enter_x", &pt, &at), 0);
	assert_int_equal(pt, BPF_PROG_TYPE_TRACEPOINT);
	assert_int_equal(libbpf_prog_type_by_name("xdp", &pt, &at), 0);
	assert_int_equal(pt, BPF_PROG_TYPE_XDP);
	assert_int_equal(at, BPF_XDP);
	assert_int_equal(libbpf_prog_type_by_name("fentry/do_unlinkat", &pt, &at), 0);
	assert_int_equal(pt, BPF_PROG_TYPE_TRACING);
	assert_int_equal(at, BPF_TRACE_FENTRY);
	/* samples/bpf's prefixes are barebpf's, not libbpf's */
	errno = 0;
	assert_int_equal(libbpf_prog_type_by_name("socket1", &pt, &at), -ESRCH);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(libbpf_prog_type_by_name("no_such", &pt, &at), -ESRCH);
	assert_int_equal(libbpf_prog_type_by_name(NULL, &pt, &at), -EINVAL);
	assert_int_equal(libbpf_attach_type_by_name("cgroup_skb/ingress", &at), 0);
	assert_int_equal(at, BPF_CGROUP_INET_INGRESS);
	/* known but not attachable by type */
	assert_int_equal(libbpf_attach_type_by_name("tp/syscalls/x", &at), -EINVAL);
	assert_int_equal(libbpf_attach_type_by_name("no_such", &at), -ESRCH);
}

static void test_btf_ids_cpus(void **state)
{
	struct env *e = *state;
	struct btf *btf;
	int id;

	id = libbpf_find_vmlinux_btf_id("do_unlinkat", BPF_TRACE_FENTRY);
	assert_true(id > 0);
	btf = btf__load_vmlinux_btf();
	assert_non_null(btf);
	assert_int_equal(id, btf__find_by_name_kind(btf, "do_unlinkat", BTF_KIND_FUNC));
	/* libbpf's prefixes */
	assert_int_equal(libbpf_find_vmlinux_btf_id("file_open", BPF_LSM_MAC),
			 btf__find_by_name_kind(btf, "bpf_lsm_file_open", BTF_KIND_FUNC));
	assert_int_equal(libbpf_find_vmlinux_btf_id("task", BPF_TRACE_ITER),
			 btf__find_by_name_kind(btf, "bpf_iter_task", BTF_KIND_FUNC));
	assert_int_equal(libbpf_find_vmlinux_btf_id("sched_switch", BPF_TRACE_RAW_TP),
			 btf__find_by_name_kind(btf, "btf_trace_sched_switch", BTF_KIND_TYPEDEF));
	btf__free(btf);
	errno = 0;
	assert_int_equal(libbpf_find_vmlinux_btf_id("missing", BPF_TRACE_FENTRY), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(libbpf_num_possible_cpus(), 8);
	e->s.files[1].open_err = -EACCES;
	errno = 0;
	assert_int_equal(libbpf_num_possible_cpus(), -EACCES);
	assert_int_equal(errno, EACCES);
}

static void test_probe_prog(void **state)
{
	struct env *e = *state;
	const struct fs_call *c;

	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, NULL), 1);
	c = fs_script_last(&e->s, BPF_PROG_LOAD);
	assert_int_equal(c->attr.prog_type, BPF_PROG_TYPE_KPROBE);
	assert_int_equal(c->attr.insn_cnt, 2);
	assert_int_equal(c->attr.kern_version, (6u << 16) + (18u << 8));	/* the fake's 6.18.0 */
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SK_LOOKUP, NULL), 1);
	assert_int_equal(fs_script_last(&e->s, BPF_PROG_LOAD)->attr.expected_attach_type,
			 BPF_SK_LOOKUP);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SYSCALL, NULL), 1);
	assert_int_equal(fs_script_last(&e->s, BPF_PROG_LOAD)->attr.prog_flags, BPF_F_SLEEPABLE);
	/* refused by the kernel: not supported */
	e->load_ret = -EINVAL;
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL), 0);
	/* types that need a BTF target: the kernel's message after the type check */
	e->log = "attach_btf_id 1 is not a function\n";
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACING, NULL), 1);
	c = fs_script_last(&e->s, BPF_PROG_LOAD);
	assert_int_equal(c->attr.attach_btf_id, 1);
	assert_int_equal(c->attr.expected_attach_type, BPF_TRACE_FENTRY);
	e->log = "unknown prog type\n";
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACING, NULL), 0);
	e->load_ret = FS_DEFAULT;	/* loaded with no target: not how a supporting kernel answers */
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_LSM, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_UNSPEC, NULL), -EOPNOTSUPP);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, (void *)1), -EINVAL);
}

static void test_probe_helper(void **state)
{
	struct env *e = *state;
	const struct fs_call *c;

	/* loads: supported */
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_ktime_get_ns,
						 NULL), 1);
	c = fs_script_last(&e->s, BPF_PROG_LOAD);
	assert_int_equal(c->attr.log_level, 1);
	assert_true(c->attr.log_buf != 0);
	/* refused for another reason: still supported */
	e->load_ret = -EACCES;
	e->log = "R1 type=ctx expected=fp\n";
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_map_lookup_elem,
						 NULL), 1);
	/* the verifier does not know it, or not for this type */
	e->log = "invalid func unknown#999\n";
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, 999, NULL), 0);
	e->log = "unknown func bpf_sys_bpf#166\n";
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_sys_bpf, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACING, 1, NULL), -EOPNOTSUPP);
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, 1, (void *)1), -EINVAL);
}

static void test_probe_map(void **state)
{
	struct env *e = *state;
	const struct fs_call *c;
	unsigned long btf_loads;

	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH, NULL), 1);
	c = fs_script_last(&e->s, BPF_MAP_CREATE);
	assert_int_equal(c->attr.map_type, BPF_MAP_TYPE_HASH);
	assert_int_equal(c->attr.key_size, 4);
	assert_int_equal(c->attr.value_size, 4);
	assert_int_equal(c->attr.max_entries, 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_LPM_TRIE, NULL), 1);
	c = fs_script_last(&e->s, BPF_MAP_CREATE);
	assert_int_equal(c->attr.key_size, 8);
	assert_int_equal(c->attr.map_flags, BPF_F_NO_PREALLOC);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL), 1);
	c = fs_script_last(&e->s, BPF_MAP_CREATE);
	assert_int_equal(c->attr.key_size, 0);
	assert_int_equal(c->attr.max_entries, 4096);	/* the page size */
	/* local storage: a BTF with key int (1) and value struct (3) first */
	btf_loads = e->s.bpf_calls[BPF_BTF_LOAD];
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL), 1);
	assert_int_equal(e->s.bpf_calls[BPF_BTF_LOAD] - btf_loads, 1);
	assert_int_equal(e->btf_kinds, (1u << BTF_KIND_INT) | (1u << BTF_KIND_STRUCT));
	assert_true(e->btf_size_exact);
	c = fs_script_last(&e->s, BPF_MAP_CREATE);
	assert_int_equal(c->attr.btf_key_type_id, 1);
	assert_int_equal(c->attr.btf_value_type_id, 3);
	assert_int_equal(c->attr.max_entries, 0);
	/* map-in-map: an inner array first */
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_ARRAY_OF_MAPS, NULL), 1);
	c = fs_script_last(&e->s, BPF_MAP_CREATE);
	assert_true(c->attr.inner_map_fd >= FS_FAKE_FD_BASE);
	/* struct_ops: supported when the kernel says ENOTSUPP (524) */
	fs_script_push(&e->s, BPF_MAP_CREATE, -524);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_STRUCT_OPS, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_STRUCT_OPS, NULL), 0);
	fs_script_push(&e->s, BPF_MAP_CREATE, -EINVAL);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_BLOOM_FILTER, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_UNSPEC, NULL), -EOPNOTSUPP);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH, (void *)1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_btf_ids_cpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_prog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_helper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_map, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
