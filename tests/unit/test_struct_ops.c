// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct_ops against a fake kernel (tests/lib/fake_sys's fs_script, behind
 * fs_wrap for fd tracking and fault injection), with the fixture
 * build/bpf/struct_ops.bpf.o and a hand-built vmlinux BTF whose
 * tcp_congestion_ops has another member order than the object's, a member
 * the object lacks (set_state) and the wrapper struct
 * bpf_struct_ops_tcp_congestion_ops with "data" 8 bytes in. Checked: the
 * open phase (maps, slots, unused program not autoloaded), the exact
 * BPF_MAP_CREATE and BPF_PROG_LOAD attrs, the value given to the kernel
 * (members copied by name, program fds in the function pointers), the
 * attach of a plain and of a .struct_ops.link map and their undo, refusals
 * (no such kernel struct, a non-zero member the kernel lacks, a size
 * mismatch), the link operations (update, detach, info, pin/unpin) and a
 * fault sweep that leaves no fd behind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <cmocka.h>

#include <barebpf/attach.h>
#include <barebpf/loader.h>
#include "load/load.h"
#include "btf_builder.h"
#include "fake_sys.h"

/* Kernel layout (vmlinux below): the wrapper's "data" at 8. */
#define DATA_OFF 8
#define K_FLAGS 0
#define K_SSTHRESH 8
#define K_CONG_AVOID 16
#define K_SET_STATE 24
#define K_UNDO 32
#define K_NAME 40
#define K_SIZE 56
#define W_SIZE (DATA_OFF + K_SIZE)

enum { V_NORMAL, V_NO_WRAPPER, V_NO_NAME, V_SHORT_FLAGS };

struct env {
	struct fs_script script;
	struct fs_wrap wrap;
	struct bbpf_sys sys;
	struct bbpf_ctx *ctx;
	struct bbpf_object *obj;
	uint8_t *vmlinux;
	uint32_t vmlinux_len, kid, wid;
	/* the last BPF_MAP_UPDATE_ELEM's value (copied in the callback) */
	uint8_t value[W_SIZE];
	int update_fd;
	unsigned long updates;
};

static long cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct env *e = (struct env *)((char *)s - offsetof(struct env, script));

	(void)size;
	if (cmd == BPF_MAP_UPDATE_ELEM) {
		memcpy(e->value, (const void *)(uintptr_t)attr->value, sizeof(e->value));
		e->update_fd = (int)attr->map_fd;
		e->updates++;
	}
	return FS_DEFAULT;
}

static void build_vmlinux(struct env *e, int variant)
{
	struct bb_btf b;
	uint32_t u32, u8, chr, name, sock, psock, proto, fp;

	bb_btf_init(&b);
	u32 = bb_btf_add_int(&b, "unsigned int", 4, 0, 32);
	u8 = bb_btf_add_int(&b, "u8", 1, 0, 8);
	chr = bb_btf_add_int(&b, "char", 1, BTF_INT_SIGNED, 8);
	name = bb_btf_add_array(&b, chr, u32, 16);
	sock = bb_btf_add_struct(&b, "sock", 8, false);
	psock = bb_btf_add_ptr(&b, sock);
	proto = bb_btf_add_func_proto(&b, u32);
	bb_btf_add_param(&b, "sk", psock);
	fp = bb_btf_add_ptr(&b, proto);
	e->kid = bb_btf_add_struct(&b, "tcp_congestion_ops", K_SIZE, false);
	bb_btf_add_member(&b, "flags", variant == V_SHORT_FLAGS ? u8 : u32, K_FLAGS * 8);
	bb_btf_add_member(&b, "ssthresh", fp, K_SSTHRESH * 8);
	bb_btf_add_member(&b, "cong_avoid", fp, K_CONG_AVOID * 8);
	bb_btf_add_member(&b, "set_state", fp, K_SET_STATE * 8);
	bb_btf_add_member(&b, "undo_cwnd", fp, K_UNDO * 8);
	if (variant != V_NO_NAME)
		bb_btf_add_member(&b, "name", name, K_NAME * 8);
	e->wid = bb_btf_add_struct(&b, variant == V_NO_WRAPPER ? "other" :
				   "bpf_struct_ops_tcp_congestion_ops", W_SIZE, false);
	bb_btf_add_member(&b, "refcnt", u32, 0);
	bb_btf_add_member(&b, "state", u32, 32);
	bb_btf_add_member(&b, "data", e->kid, DATA_OFF * 8);
	e->vmlinux = bb_btf_raw(&b, false, &e->vmlinux_len);
	bb_btf_free(&b);
}

static struct env *env_new(int variant)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_sys inner;

	assert_non_null(e);
	inner = fs_script_init(&e->script);
	e->script.bpf_cb = cb;
	build_vmlinux(e, variant);
	fs_script_add_file(&e->script, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux,
			   e->vmlinux_len);
	e->sys = fs_wrap_init(&e->wrap, &inner);
	co.sys = &e->sys;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	e->ctx->feat = (struct bbpf_features){ .probed = true, .prog_name = true,
					       .memcg_account = true, .btf = true,
					       .btf_func = true, .btf_global_func = true,
					       .btf_datasec = true, .btf_float = true,
					       .btf_decl_tag = true, .btf_type_tag = true,
					       .btf_enum64 = true, .exp_attach_type = true,
					       .perf_link = true, .kern_core = true };
	assert_int_equal(bbpf_object_open_file(&e->obj, BBPF_FIXTURE_DIR "/struct_ops.bpf.o", NULL,
					       NULL), 0);
	return e;
}

static int env_load(struct env *e)
{
	struct bbpf_load_opts lo = { .ctx = e->ctx };

	return bbpf_object_load(e->obj, &lo);
}

static void env_free(struct env *e)
{
	bbpf_object_close(e->obj);
	bbpf_ctx_free(e->ctx);
	assert_int_equal(fs_wrap_open_fds(&e->wrap), 0);
	fs_script_fini(&e->script);
	free(e->vmlinux);
	free(e);
}

/* The last recorded call of cmd whose predicate holds (the ring keeps 64). */
static const struct fs_call *find_call(const struct env *e, int cmd, const char *name)
{
	unsigned long n = e->script.hist_cnt < FS_HIST_MAX ? e->script.hist_cnt : FS_HIST_MAX;
	unsigned long i;

	for (i = 0; i < n; i++) {
		const struct fs_call *c = &e->script.hist[(e->script.hist_cnt - 1 - i) % FS_HIST_MAX];

		if (c->cmd != cmd)
			continue;
		if (cmd == BPF_MAP_CREATE && strcmp(c->attr.map_name, name))
			continue;
		if (cmd == BPF_PROG_LOAD && strcmp(c->attr.prog_name, name))
			continue;
		return c;
	}
	return NULL;
}

static void test_open(void **state)
{
	struct env *e = env_new(V_NORMAL);
	struct bbpf_map *plain = bbpf_object_find_map(e->obj, "bb_cc");
	struct bbpf_map *link = bbpf_object_find_map(e->obj, "bb_cc_link");
	const char *target;
	uint32_t slot;
	size_t size;

	(void)state;
	assert_non_null(plain);
	assert_non_null(link);
	assert_int_equal(bbpf_map_kind(plain), BBPF_MAP_STRUCT_OPS);
	assert_int_equal(bbpf_map_type(plain), BPF_MAP_TYPE_STRUCT_OPS);
	assert_int_equal(bbpf_map_flags(plain), 0);
	assert_int_equal(bbpf_map_flags(link), BPF_F_LINK);
	assert_int_equal(bbpf_map_key_size(plain), 4);
	assert_int_equal(bbpf_map_value_size(plain), 48);	/* the object's struct */
	assert_int_equal(bbpf_map_max_entries(plain), 1);
	assert_string_equal((const char *)bbpf_map_initial_value(plain, &size), "bb_cc");
	assert_int_equal(size, 48);
	/* three members with programs: local member indexes 1, 2, 3 */
	assert_int_equal(bbpf_map_init_slot_cnt(plain), 3);
	assert_int_equal(bbpf_map_init_slot(plain, 0, &slot, &target), 0);
	assert_int_equal(slot, 1);
	assert_string_equal(target, "bb_ssthresh");
	assert_int_equal(bbpf_map_init_slot(plain, 2, &slot, &target), 0);
	assert_int_equal(slot, 3);
	assert_string_equal(target, "bb_undo_cwnd");
	assert_false(bbpf_program_autoload(bbpf_object_find_program(e->obj, "bb_unused")));
	assert_true(bbpf_program_autoload(bbpf_object_find_program(e->obj, "bb_cong_avoid")));
	env_free(e);
}

static void test_load_attrs(void **state)
{
	struct env *e = env_new(V_NORMAL);
	const struct fs_call *c;
	static const struct { const char *prog; uint32_t member; } progs[] = {
		{ "bb_ssthresh", 1 }, { "bb_cong_avoid", 2 }, { "bb_undo_cwnd", 4 },
	};
	size_t i;

	(void)state;
	assert_int_equal(env_load(e), 0);
	c = find_call(e, BPF_MAP_CREATE, "bb_cc_link");
	assert_non_null(c);
	assert_int_equal(c->attr.map_type, BPF_MAP_TYPE_STRUCT_OPS);
	assert_int_equal(c->attr.key_size, 4);
	assert_int_equal(c->attr.value_size, W_SIZE);
	assert_int_equal(c->attr.max_entries, 1);
	assert_int_equal(c->attr.map_flags, BPF_F_LINK);
	assert_int_equal(c->attr.btf_vmlinux_value_type_id, e->wid);
	assert_int_not_equal(c->attr.btf_fd, 0);
	assert_int_equal(c->attr.btf_key_type_id, 0);
	assert_int_equal(c->attr.btf_value_type_id, 0);
	c = find_call(e, BPF_MAP_CREATE, "bb_cc");
	assert_non_null(c);
	assert_int_equal(c->attr.map_flags, 0);
	/* programs: attach_btf_id the kernel struct, the kernel's member index */
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		c = find_call(e, BPF_PROG_LOAD, progs[i].prog);
		assert_non_null(c);
		assert_int_equal(c->attr.prog_type, BPF_PROG_TYPE_STRUCT_OPS);
		assert_int_equal(c->attr.attach_btf_id, e->kid);
		assert_int_equal(c->attr.expected_attach_type, progs[i].member);
	}
	assert_null(find_call(e, BPF_PROG_LOAD, "bb_unused"));
	/* nothing goes to the kernel before attach */
	assert_int_equal(e->updates, 0);
	env_free(e);
}

static void check_value(const struct env *e, const char *name)
{
	uint64_t fd;

	assert_string_equal((const char *)e->value + DATA_OFF + K_NAME, name);
	memcpy(&fd, e->value + DATA_OFF + K_SSTHRESH, 8);
	assert_int_equal(fd, bbpf_program_fd(bbpf_object_find_program(e->obj, "bb_ssthresh")));
	memcpy(&fd, e->value + DATA_OFF + K_CONG_AVOID, 8);
	assert_int_equal(fd, bbpf_program_fd(bbpf_object_find_program(e->obj, "bb_cong_avoid")));
	memcpy(&fd, e->value + DATA_OFF + K_UNDO, 8);
	assert_int_equal(fd, bbpf_program_fd(bbpf_object_find_program(e->obj, "bb_undo_cwnd")));
	memcpy(&fd, e->value + DATA_OFF + K_SET_STATE, 8);
	assert_int_equal(fd, 0);
	memcpy(&fd, e->value, 8);
	assert_int_equal(fd, 0);	/* the wrapper's own members are the kernel's */
}

static void test_attach_plain(void **state)
{
	struct env *e = env_new(V_NORMAL);
	struct bbpf_map *m = bbpf_object_find_map(e->obj, "bb_cc");
	const struct fs_call *c;
	struct bbpf_link *link;

	(void)state;
	assert_int_equal(env_load(e), 0);
	assert_int_equal(bbpf_map_attach_struct_ops(m, &link), 0);
	assert_int_equal(e->updates, 1);
	assert_int_equal(e->update_fd, bbpf_map_fd(m));
	check_value(e, "bb_cc");
	assert_null(find_call(e, BPF_LINK_CREATE, NULL));
	assert_int_equal(bbpf_link_fd(link), -1);
	/* no BPF link: no pin, update, detach or info */
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/x"), -EOPNOTSUPP);
	assert_int_equal(bbpf_link_detach(link), -EINVAL);
	bbpf_link_destroy(link);
	c = fs_script_last(&e->script, BPF_MAP_DELETE_ELEM);
	assert_non_null(c);
	/* on its own duplicate of the map fd (the key pointer is gone by now) */
	assert_int_not_equal(c->attr.map_fd, (uint32_t)bbpf_map_fd(m));	/* its own dup */
	env_free(e);
}

static void test_attach_link_and_link_ops(void **state)
{
	struct env *e = env_new(V_NORMAL);
	struct bbpf_map *m = bbpf_object_find_map(e->obj, "bb_cc_link");
	struct bbpf_program *p = bbpf_object_find_program(e->obj, "bb_cong_avoid");
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	const struct fs_call *c;
	struct bbpf_link *link;
	unsigned long closes;

	(void)state;
	assert_int_equal(env_load(e), 0);
	/* a value already in (a map attached before) is fine for a link map */
	fs_script_push(&e->script, BPF_MAP_UPDATE_ELEM, -EBUSY);
	assert_int_equal(bbpf_map_attach_struct_ops(m, &link), 0);
	c = fs_script_last(&e->script, BPF_LINK_CREATE);
	assert_non_null(c);
	assert_int_equal(c->attr.link_create.prog_fd, bbpf_map_fd(m));
	assert_int_equal(c->attr.link_create.target_fd, 0);
	assert_int_equal(c->attr.link_create.attach_type, 44 /* BPF_STRUCT_OPS */);
	assert_true(bbpf_link_fd(link) >= 0);
	/* link operations on it: the exact commands */
	assert_int_equal(bbpf_link_update_program(link, p), 0);
	c = fs_script_last(&e->script, BPF_LINK_UPDATE);
	assert_non_null(c);
	assert_int_equal(c->attr.link_update.link_fd, bbpf_link_fd(link));
	assert_int_equal(c->attr.link_update.new_prog_fd, bbpf_program_fd(p));
	assert_int_equal(c->attr.link_update.flags, 0);
	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_link_info(link, &info, &len), 0);
	c = fs_script_last(&e->script, BPF_OBJ_GET_INFO_BY_FD);
	assert_int_equal(c->attr.info.bpf_fd, bbpf_link_fd(link));
	assert_int_equal(c->attr.info.info_len, sizeof(info));
	assert_int_equal(bbpf_link_pin(link, "/sys/fs/bpf/so_link"), 0);
	assert_int_equal(fs_script_last(&e->script, BPF_OBJ_PIN)->attr.bpf_fd, bbpf_link_fd(link));
	assert_int_equal(bbpf_link_unpin(link), 0);
	assert_int_equal(e->script.hook_calls[FS_HOOK_UNLINK], 1);
	assert_int_equal(bbpf_link_unpin(link), -EINVAL);
	assert_int_equal(bbpf_link_detach(link), 0);
	c = fs_script_last(&e->script, BPF_LINK_DETACH);
	assert_non_null(c);
	assert_int_equal(c->attr.link_detach.link_fd, bbpf_link_fd(link));
	assert_int_equal(bbpf_link_update_program(link, NULL), -EINVAL);
	/* destroy: the link fd closed, no map delete (the link's release unregisters) */
	closes = e->script.hook_calls[FS_HOOK_CLOSE];
	bbpf_link_destroy(link);
	assert_int_equal(e->script.hook_calls[FS_HOOK_CLOSE], closes + 1);
	assert_null(fs_script_last(&e->script, BPF_MAP_DELETE_ELEM));
	/* any other update error fails the attach */
	fs_script_push(&e->script, BPF_MAP_UPDATE_ELEM, -EINVAL);
	assert_int_equal(bbpf_map_attach_struct_ops(m, &link), -EINVAL);
	assert_null(link);
	env_free(e);
}

/* bbpf_object_attach registers both maps (after the programs, which it skips). */
static void test_object_attach(void **state)
{
	struct env *e = env_new(V_NORMAL);
	const char *why;

	(void)state;
	assert_int_equal(env_load(e), 0);
	assert_int_equal(bbpf_object_attach(e->obj), 0);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 2);
	assert_int_equal(e->updates, 2);
	assert_int_equal(bbpf_program_attach_status(bbpf_object_find_program(e->obj, "bb_ssthresh"),
						    &why, NULL),
			 BBPF_ATTACH_SKIPPED);
	assert_non_null(strstr(why, "struct_ops map"));
	assert_int_equal(bbpf_object_attach(e->obj), 0);	/* not twice */
	assert_int_equal(e->updates, 2);
	/* all or nothing: the second map's failure undoes the first */
	bbpf_object_detach(e->obj);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	fs_script_push(&e->script, BPF_LINK_CREATE, -EPERM);
	assert_int_equal(bbpf_object_attach(e->obj), -EPERM);
	assert_int_equal(bbpf_object_link_cnt(e->obj), 0);
	env_free(e);
}

static void test_refusals(void **state)
{
	static const int variants[] = { V_NO_WRAPPER, V_NO_NAME, V_SHORT_FLAGS };
	static const int errs[] = { -ENOTSUP, -ENOTSUP, -EINVAL };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct env *e = env_new(variants[i]);
		const struct bbpf_diag *d;
		int err = env_load(e);

		assert_int_equal(err, errs[i]);
		d = bbpf_object_error(e->obj);
		assert_non_null(d);
		assert_int_equal(d->stage, BBPF_STAGE_MAP);
		assert_null(find_call(e, BPF_MAP_CREATE, "bb_cc"));
		env_free(e);
	}
}

/*
 * No struct_ops map is created (the caller turned autocreate off on both)
 * while their programs keep autoload: each program goes to the kernel
 * without a target (attach_btf_id and member 0), which refuses it as it
 * does libbpf's; the loader neither reads the member table it never made
 * nor sends a map.
 */
static void test_programs_without_maps(void **state)
{
	struct env *e = env_new(V_NORMAL);
	const struct fs_call *c;

	(void)state;
	assert_int_equal(bbpf_map_set_autocreate(bbpf_object_find_map(e->obj, "bb_cc"), false), 0);
	assert_int_equal(bbpf_map_set_autocreate(bbpf_object_find_map(e->obj, "bb_cc_link"), false), 0);
	assert_true(bbpf_program_autoload(bbpf_object_find_program(e->obj, "bb_ssthresh")));
	(void)env_load(e);	/* the fake kernel's verdict on a target-less program is its own */
	c = find_call(e, BPF_PROG_LOAD, "bb_ssthresh");
	assert_non_null(c);
	assert_int_equal(c->attr.prog_type, BPF_PROG_TYPE_STRUCT_OPS);
	assert_int_equal(c->attr.attach_btf_id, 0);
	assert_int_equal(c->attr.expected_attach_type, 0);
	assert_null(find_call(e, BPF_MAP_CREATE, "bb_cc"));
	assert_null(find_call(e, BPF_MAP_CREATE, "bb_cc_link"));
	env_free(e);
}

/* Every call of load + attach + destroy failing in turn: no fd left. */
static void test_fault_sweep(void **state)
{
	unsigned long n, total;
	struct bbpf_link *link;

	(void)state;
	{
		struct env *e = env_new(V_NORMAL);

		fs_wrap_reset_counts(&e->wrap);
		assert_int_equal(env_load(e), 0);
		assert_int_equal(bbpf_object_attach(e->obj), 0);
		total = e->wrap.calls;
		env_free(e);
	}
	for (n = 1; n <= total; n++) {
		struct env *e = env_new(V_NORMAL);
		int err;

		fs_wrap_fail(&e->wrap, n, -EIO);
		err = env_load(e);
		if (!err)
			err = bbpf_object_attach(e->obj);
		if (!err) {
			err = bbpf_map_attach_struct_ops(bbpf_object_find_map(e->obj, "bb_cc_link"),
							 &link);
			if (!err)
				bbpf_link_destroy(link);
		}
		env_free(e);	/* asserts no fd is left */
	}
	print_message("  %lu calls swept\n", total);
	assert_true(total > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_load_attrs),
		cmocka_unit_test(test_attach_plain),
		cmocka_unit_test(test_attach_link_and_link_ops),
		cmocka_unit_test(test_object_attach),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_programs_without_maps),
		cmocka_unit_test(test_fault_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
