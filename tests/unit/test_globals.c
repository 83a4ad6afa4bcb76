// SPDX-License-Identifier: BSD-2-Clause
/*
 * bbpf_object_find_global(): global variables of the fixtures found in the
 * right global data map, at the offset holding their initial value, with
 * their size; no kernel involved.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <barebpf/object.h>

#define FIX BBPF_FIXTURE_DIR "/"

static void test_find_global(void **state)
{
	static const struct {
		const char *name, *map;
		size_t size;
	} vars[] = {
		{ "data_int", "globals.data", 4 },	{ "data_static", "globals.data", 4 },
		{ "ro_arr", "globals.rodata", 12 },	{ "bss_int", "globals.bss", 4 },
		{ "foo_int", ".data.foo", 4 },		{ "foo_str", ".data.foo", 8 },
		{ "bar_arr", ".rodata.bar", 16 },
	};
	struct bbpf_object *obj;
	struct bbpf_map *map;
	size_t off, size, vsz, i;
	uint8_t *data;
	int32_t v;

	(void)state;
	assert_int_equal(bbpf_object_open_file(&obj, FIX "globals.bpf.o", NULL, NULL), 0);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (bbpf_object_find_global(obj, vars[i].name, &map, &off, &size))
			fail_msg("%s not found", vars[i].name);
		assert_string_equal(bbpf_map_name(map), vars[i].map);
		assert_int_equal(size, vars[i].size);
		assert_true(off + size <= bbpf_map_value_size(map));
	}
	assert_int_equal(bbpf_object_find_global(obj, "data_int", &map, &off, &size), 0);
	data = bbpf_map_initial_value(map, &vsz);
	assert_true(off + 4 <= vsz);
	memcpy(&v, data + off, 4);
	assert_int_equal(v, 7);
	assert_int_equal(bbpf_object_find_global(obj, "foo_int", &map, &off, &size), 0);
	memcpy(&v, (uint8_t *)bbpf_map_initial_value(map, NULL) + off, 4);
	assert_int_equal(v, 42);
	assert_int_equal(bbpf_object_find_global(obj, "foo_str", &map, &off, &size), 0);
	assert_string_equal((char *)bbpf_map_initial_value(map, NULL) + off, "foo");
	assert_int_equal(bbpf_object_find_global(obj, "ro_int", &map, &off, &size), 0);
	memcpy(&v, (uint8_t *)bbpf_map_initial_value(map, NULL) + off, 4);
	assert_int_equal(v, 3);

	assert_int_equal(bbpf_object_find_global(obj, "nope", &map, &off, &size), -ENOENT);
	assert_int_equal(bbpf_object_find_global(obj, "", &map, &off, &size), -EINVAL);
	assert_int_equal(bbpf_object_find_global(NULL, "x", &map, &off, &size), -EINVAL);
	/* Programs and maps are not global variables. */
	assert_int_equal(bbpf_object_find_global(obj, "touch_std", &map, &off, &size), -ENOENT);
	bbpf_object_close(obj);

	/* The minimal example, as "run --set my_pid=self" uses it. */
	assert_int_equal(bbpf_object_open_file(&obj, FIX "minimal.bpf.o", NULL, NULL), 0);
	assert_int_equal(bbpf_object_find_global(obj, "my_pid", &map, &off, &size), 0);
	assert_int_equal(off, 0);
	assert_int_equal(size, 4);
	assert_int_equal(bbpf_object_find_global(obj, "write_count", &map, &off, &size), 0);
	assert_int_equal(off, 8);
	assert_int_equal(size, 8);
	assert_string_equal(bbpf_map_name(map), "minimal.bss");
	bbpf_object_close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_global),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
