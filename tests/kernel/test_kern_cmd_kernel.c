// SPDX-License-Identifier: BSD-2-Clause
/*
 * The bpf(2) command wrappers and the feature probes on the running kernel:
 * map operations and batches, pins, object info and ids, BTF load, raw
 * tracepoint attach; every feature this kernel has found by the probes,
 * also with each probe call failing in turn (the counting wrapper: no fd
 * may stay open). The attrs each wrapper builds are checked on the fake in
 * tests/unit/test_kern_cmd.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <cmocka.h>

#include "kernel_avail.h"
#include "kern_util.h"

/* The pin test_real_pin_info_ids makes; removed by the teardown whatever happened. */
static char pin_path[64];

static int unpin(void **state)
{
	(void)state;
	if (pin_path[0])
		unlink(pin_path);
	return 0;
}

static void test_real_map_ops(void **state)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	union bpf_attr a;
	uint32_t k, next, keys[16], count;
	uint64_t v, vals[16], out_batch = 0;
	int hash, arr, n, ret;

	(void)state;
	TK_NEED_KERNEL();
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 16;
	strcpy(a.map_name, "bbpf_t_hash");
	hash = bbpf_cmd_map_create(sys, &a);
	assert_true(hash >= 0);

	for (k = 1; k <= 5; k++) {
		v = k * 10;
		assert_int_equal(bbpf_cmd_map_update(sys, hash, &k, &v, BPF_NOEXIST), 0);
	}
	k = 1;
	assert_int_equal(bbpf_cmd_map_update(sys, hash, &k, &v, BPF_NOEXIST), -EEXIST);
	k = 3;
	assert_int_equal(bbpf_cmd_map_lookup(sys, hash, &k, &v, 0), 0);
	assert_true(v == 30);
	/* walk the keys */
	n = 0;
	ret = bbpf_cmd_map_next_key(sys, hash, NULL, &next);
	while (ret == 0 && n < 100) {
		n++;
		k = next;
		ret = bbpf_cmd_map_next_key(sys, hash, &k, &next);
	}
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(n, 5);
	k = 3;
	assert_int_equal(bbpf_cmd_map_delete(sys, hash, &k, 0), 0);
	assert_int_equal(bbpf_cmd_map_lookup(sys, hash, &k, &v, 0), -ENOENT);
	assert_int_equal(bbpf_cmd_map_delete(sys, hash, &k, 0), -ENOENT);

	/* one batch holds all four: the kernel says -ENOENT (done) with count 4 */
	count = KC_ARRAY_LEN(keys);
	ret = bbpf_cmd_map_batch(sys, BPF_MAP_LOOKUP_BATCH, hash, NULL, &out_batch, keys, vals,
				 &count, 0, 0);
	assert_true(ret == 0 || ret == -ENOENT);
	assert_int_equal(count, 4);
	for (n = 0; n < 4; n++)
		assert_true(vals[n] == keys[n] * 10ull);
	assert_int_equal(bbpf_cmd_map_batch(sys, BPF_MAP_DELETE_BATCH, hash, NULL, NULL, keys, NULL,
					    &count, 0, 0), 0);
	assert_int_equal(count, 4);
	assert_int_equal(bbpf_cmd_map_next_key(sys, hash, NULL, &next), -ENOENT);

	/* a frozen array refuses syscall-side updates */
	a = kc_array_attr(8, 4);
	arr = bbpf_cmd_map_create(sys, &a);
	assert_true(arr >= 0);
	k = 2;
	v = 7;
	assert_int_equal(bbpf_cmd_map_update(sys, arr, &k, &v, 0), 0);
	assert_int_equal(bbpf_cmd_map_freeze(sys, arr), 0);
	assert_int_equal(bbpf_cmd_map_update(sys, arr, &k, &v, 0), -EPERM);
	v = 0;
	assert_int_equal(bbpf_cmd_map_lookup(sys, arr, &k, &v, 0), 0);
	assert_true(v == 7);
	/* frozen: no write access at all (an unfrozen array would say -EINVAL) */
	assert_int_equal(bbpf_cmd_map_delete(sys, arr, &k, 0), -EPERM);

	sys->close(sys->ctx, arr);
	sys->close(sys->ctx, hash);
}

static bool id_listed(const struct bbpf_sys *sys,
		      int (*next_fn)(const struct bbpf_sys *, uint32_t, uint32_t *), uint32_t want)
{
	uint32_t id = 0;
	int i;

	for (i = 0; i < 1000000; i++) {
		if (next_fn(sys, id, &id))
			return false;
		if (id == want)
			return true;
	}
	return false;
}

static void test_real_pin_info_ids(void **state)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	union bpf_attr a = kc_array_attr(8, 2);
	struct bpf_map_info mi, mi2;
	struct bpf_prog_info pi;
	struct bpf_btf_info bi;
	uint32_t len, id;
	int map, got, byid, prog, btf, tp;
	/* [1] int */
	static const uint32_t types[] = { 1, BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32 };
	struct btf_header hdr = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(hdr),
		.type_len = sizeof(types), .str_off = sizeof(types), .str_len = 5,
	};
	uint8_t blob[sizeof(hdr) + sizeof(types) + 5];

	(void)state;
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	strcpy(a.map_name, "bbpf_t_pin");
	map = bbpf_cmd_map_create(sys, &a);
	assert_true(map >= 0);
	snprintf(pin_path, sizeof(pin_path), "/sys/fs/bpf/bbpf_test_kern_%d", (int)getpid());
	sys->unlink(sys->ctx, pin_path);
	assert_int_equal(bbpf_cmd_obj_pin(sys, map, pin_path), 0);
	assert_int_equal(bbpf_cmd_obj_pin(sys, map, pin_path), -EEXIST);
	got = bbpf_cmd_obj_get(sys, pin_path, 0);
	assert_true(got >= 0);
	assert_int_equal(sys->unlink(sys->ctx, pin_path), 0);
	assert_int_equal(bbpf_cmd_obj_get(sys, pin_path, 0), -ENOENT);

	memset(&mi, 0, sizeof(mi));
	len = sizeof(mi);
	assert_int_equal(bbpf_cmd_obj_info(sys, map, &mi, &len), 0);
	assert_true(len > 0 && len <= sizeof(mi));
	assert_int_equal(mi.type, BPF_MAP_TYPE_ARRAY);
	assert_int_equal(mi.key_size, 4);
	assert_int_equal(mi.value_size, 8);
	assert_int_equal(mi.max_entries, 2);
	assert_string_equal(mi.name, "bbpf_t_pin");
	memset(&mi2, 0, sizeof(mi2));
	len = sizeof(mi2);
	assert_int_equal(bbpf_cmd_obj_info(sys, got, &mi2, &len), 0);
	assert_int_equal(mi2.id, mi.id);

	assert_true(id_listed(sys, bbpf_cmd_map_get_next_id, mi.id));
	byid = bbpf_cmd_map_get_fd_by_id(sys, mi.id);
	assert_true(byid >= 0);
	memset(&mi2, 0, sizeof(mi2));
	len = sizeof(mi2);
	assert_int_equal(bbpf_cmd_obj_info(sys, byid, &mi2, &len), 0);
	assert_int_equal(mi2.id, mi.id);

	/* a program: info with a caller-set pointer (the translated instructions) */
	prog = kc_load_ret0(sys, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_true(prog >= 0);
	memset(&pi, 0, sizeof(pi));
	len = sizeof(pi);
	assert_int_equal(bbpf_cmd_obj_info(sys, prog, &pi, &len), 0);
	assert_int_equal(pi.xlated_prog_len, sizeof(kc_ret0));
	{
		struct bpf_insn xl[2];

		id = pi.id;
		memset(&pi, 0, sizeof(pi));
		pi.xlated_prog_insns = KC_PTR(xl);
		pi.xlated_prog_len = sizeof(xl);
		len = sizeof(pi);
		assert_int_equal(bbpf_cmd_obj_info(sys, prog, &pi, &len), 0);
		assert_memory_equal(xl, kc_ret0, sizeof(xl));
		assert_int_equal(pi.id, id);
	}
	assert_true(id_listed(sys, bbpf_cmd_prog_get_next_id, id));
	sys->close(sys->ctx, got);
	got = bbpf_cmd_prog_get_fd_by_id(sys, id);
	assert_true(got >= 0);

	/* a BTF object, found again by id */
	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), types, sizeof(types));
	memcpy(blob + sizeof(hdr) + sizeof(types), "\0int", 5);
	btf = bbpf_cmd_btf_load(sys, blob, sizeof(blob), NULL, 0, 0);
	assert_true(btf >= 0);
	memset(&bi, 0, sizeof(bi));
	len = sizeof(bi);
	assert_int_equal(bbpf_cmd_obj_info(sys, btf, &bi, &len), 0);
	assert_int_equal(bi.btf_size, sizeof(blob));
	sys->close(sys->ctx, byid);
	byid = bbpf_cmd_btf_get_fd_by_id(sys, bi.id);
	assert_true(byid >= 0);

	/* raw tracepoint attach, and the link listed by id */
	sys->close(sys->ctx, prog);
	prog = kc_load_ret0(sys, BPF_PROG_TYPE_RAW_TRACEPOINT);
	assert_true(prog >= 0);
	tp = bbpf_cmd_raw_tp_open(sys, "sys_enter", prog);
	assert_true(tp >= 0);
	assert_int_equal(bbpf_cmd_raw_tp_open(sys, "no_such_tracepoint_bbpf", prog), -ENOENT);
	id = 0;
	assert_int_equal(bbpf_cmd_link_get_next_id(sys, 0, &id), 0);
	assert_true(id > 0);

	sys->close(sys->ctx, tp);
	sys->close(sys->ctx, prog);
	sys->close(sys->ctx, btf);
	sys->close(sys->ctx, byid);
	sys->close(sys->ctx, got);
	sys->close(sys->ctx, map);
}

static void assert_all_features(const struct bbpf_features *f)
{
	assert_true(f->probed);
	assert_true(f->prog_name);
	assert_true(f->global_data);
	assert_true(f->array_mmap);
	assert_true(f->btf);
	assert_true(f->btf_func);
	assert_true(f->btf_global_func);
	assert_true(f->btf_datasec);
	assert_true(f->btf_float);
	assert_true(f->btf_decl_tag);
	assert_true(f->btf_type_tag);
	assert_true(f->btf_enum64);
	assert_true(f->perf_link);
	assert_true(f->memcg_account);
	assert_true(f->exp_attach_type);
}

static void test_features_real(void **state)
{
	struct bbpf_sys sys;
	struct fs_wrap *w;
	struct bbpf_ctx ctx;
	unsigned long calls;

	(void)state;
	TK_NEED_KERNEL();
	w = kc_wrap_new(&sys, &bbpf_sys_linux);
	kc_ctx_init(&ctx, &sys);
	assert_int_equal(bbpf_features_probe(&ctx), 0);
	assert_all_features(&ctx.feat);
	kc_assert_no_leak(w, "probe", 0, 0);
	assert_true(w->hook_calls[FS_HOOK_CLOSE] > 0);
	/* once per context */
	calls = w->calls;
	assert_int_equal(bbpf_features_probe(&ctx), 0);
	assert_int_equal(w->calls, calls);
	kc_ctx_fini(&ctx);
	free(w);
}

static void test_features_real_fault_sweep(void **state)
{
	(void)state;
	TK_NEED_KERNEL();
	kc_probe_sweep(&bbpf_sys_linux, NULL);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_map_ops),
		cmocka_unit_test_teardown(test_real_pin_info_ids, unpin),
		cmocka_unit_test(test_features_real),
		cmocka_unit_test(test_features_real_fault_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
