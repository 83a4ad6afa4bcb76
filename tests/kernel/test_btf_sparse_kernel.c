/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sparse id index of trusted BTF (btf_index.c) on the running kernel's
 * /sys/kernel/btf/vmlinux: one lazy walk counts every named type and
 * builds the index; every id resolves to the same record as with the dense
 * index, and name lookups agree. A missing vmlinux BTF is a failure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <barebpf/object.h>
#include "kernel_avail.h"
#include "btf_sparse_util.h"
#include "test_file.h"

struct count {
	uint32_t n;
};

static int count_one(void *ctx, uint32_t id, const struct btf_type *t, const char *name)
{
	(void)id;
	(void)t;
	(void)name;
	((struct count *)ctx)->n++;
	return 0;
}

static void test_vmlinux(void **state)
{
	static const char *const names[] = { "task_struct", "int", "sk_buff", "bpf_prog" };
	struct bbpf_btf_filter all;
	struct count c = { 0 };
	struct bbpf_diag d = { 0 };
	struct bs_parsed p;
	uint32_t len, id, named = 0, i;
	uint8_t *raw;

	(void)state;
	TK_NEED_KERNEL();
	raw = tf_read_file("/sys/kernel/btf/vmlinux", &len);
	if (!raw)
		fail_msg("cannot read /sys/kernel/btf/vmlinux on this machine (CONFIG_DEBUG_INFO_BTF)");
	bs_parse_both(&p, raw, len);
	/* One walk counts every named type and builds the index. */
	bbpf_btf_filter_all(&all, BS_ALL_KINDS);
	assert_int_equal(bbpf_btf_visit(&p.lazy, 0, &all, count_one, &c), 0);
	assert_int_equal(bbpf_btf_complete(&p.lazy, &d), 0);
	assert_int_equal(p.lazy.type_cnt, p.dense.type_cnt);
	printf("vmlinux: %u types\n", p.dense.type_cnt - 1);
	bs_same_records(&p.dense, &p.lazy, p.dense.type_cnt);
	for (id = 1; id < p.dense.type_cnt; id++)
		named += *bbpf_btf_name(&p.dense, id) != '\0';
	assert_int_equal(c.n, named);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(bbpf_btf_find_by_name_kind(&p.lazy, names[i], 0),
				 bbpf_btf_find_by_name_kind(&p.dense, names[i], 0));
	for (id = 1; id < p.dense.type_cnt; id += 97) {
		const char *name = bbpf_btf_name(&p.dense, id);
		uint32_t kind = bbpf_btf_kind(bbpf_btf_type(&p.dense, id));

		if (*name)
			assert_int_equal(bbpf_btf_find_by_name_kind(&p.lazy, name, kind),
					 bbpf_btf_find_by_name_kind(&p.dense, name, kind));
	}
	bbpf_arena_free(&p.arena);
	free(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmlinux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
