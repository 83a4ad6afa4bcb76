/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BTF parser (src/parse/btf.c) on the running kernel's
 * /sys/kernel/btf/vmlinux, against bpftool's dump of the same file: the
 * same number of types, the same size of task_struct; every accessor on
 * every id stays in bounds; the same BTF in the other byte order parses to
 * the same records. A missing bpftool or vmlinux BTF is a failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <barebpf/object.h>
#include "parse/btf.h"
#include "btf_builder.h"
#include "btf_parse_ctx.h"
#include "test_file.h"

static long run_count(const char *cmd)
{
	char line[256];
	FILE *f = popen(cmd, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		v = strtol(line, NULL, 10);
	if (pclose(f) != 0)
		return -1;
	return v;
}

/*
 * The same BTF in the other byte order: every field is a u32, so swapping
 * the header words and every word of the type section converts it.
 */
static void check_vmlinux_swapped(struct bp_ctx *c, const uint8_t *p, uint32_t len)
{
	struct bbpf_btf host = c->btf, foreign;
	uint32_t hdr_len = bb_get_u32(p + 4, false), i, id;
	uint32_t type_start = hdr_len + bb_get_u32(p + 8, false);
	uint32_t type_end = type_start + bb_get_u32(p + 12, false);
	uint8_t *q = malloc(len);

	assert_non_null(q);
	memcpy(q, p, len);
	q[0] = p[1];
	q[1] = p[0];
	for (i = 4; i < 24; i += 4)
		bb_put_u32(q + i, bb_get_u32(p + i, false), true);
	for (i = type_start; i < type_end; i += 4)
		bb_put_u32(q + i, bb_get_u32(p + i, false), true);
	assert_int_equal(bp_parse_raw(c, q, len), 0);
	foreign = c->btf;
	assert_true(foreign.swap);
	assert_int_equal(foreign.type_cnt, host.type_cnt);
	for (id = 1; id < host.type_cnt; id++) {
		const struct btf_type *a = bbpf_btf_type(&host, id);

		assert_memory_equal(a, bbpf_btf_type(&foreign, id), bbpf_btf_type_rec_len(a));
	}
	free(q);
}

static void test_vmlinux(void **state)
{
	struct bp_ctx *c = *state;
	const char *path = "/sys/kernel/btf/vmlinux";
	struct timespec t0, t1;
	long want_cnt, want_size;
	uint32_t len, id, sized = 0;
	uint8_t *p;

	p = tf_read_file(path, &len);
	if (!p)
		fail_msg("cannot read %s on this machine (CONFIG_DEBUG_INFO_BTF)", path);
	if (system("command -v bpftool >/dev/null 2>&1") != 0)
		fail_msg("bpftool (the reference) not found");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(bp_parse_raw(c, p, len), 0);
	id = bbpf_btf_find_by_name_kind(&c->btf, "task_struct", BTF_KIND_STRUCT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("vmlinux: %u bytes, %u types, parse + index %.1f ms\n", len, c->btf.type_cnt - 1,
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	want_cnt = run_count("bpftool btf dump file /sys/kernel/btf/vmlinux | grep -c '^\\['");
	want_size = run_count("bpftool btf dump file /sys/kernel/btf/vmlinux | "
			      "grep \"STRUCT 'task_struct'\" | sed -n 's/.*size=\\([0-9]*\\).*/\\1/p'");
	assert_true(want_cnt > 0 && want_size > 0);
	assert_int_equal(c->btf.type_cnt - 1, want_cnt);
	assert_int_not_equal(id, 0);
	assert_int_equal(bbpf_btf_resolve_size(&c->btf, id), want_size);
	assert_int_equal(bbpf_btf_type(&c->btf, id)->size, want_size);
	/* Every accessor over every id stays in bounds. */
	for (id = 1; id < c->btf.type_cnt; id++) {
		(void)bbpf_btf_skip_mods(&c->btf, id);
		sized += bbpf_btf_resolve_size(&c->btf, id) >= 0;
		assert_non_null(bbpf_btf_name(&c->btf, id));
	}
	assert_true(sized > 0);
	assert_int_not_equal(bbpf_btf_find_by_name_kind(&c->btf, "int", BTF_KIND_INT), 0);
	check_vmlinux_swapped(c, p, len);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vmlinux, bp_setup, bp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
