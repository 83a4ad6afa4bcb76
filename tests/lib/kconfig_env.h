/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For the kconfig tests (tests/unit/test_kconfig.c,
 * tests/kernel/test_kconfig_kernel.c): externs.bpf.o opened with its
 * .kconfig map's buffer filled with 0xaa (a fill must write every extern),
 * the special values of a 6.18 kernel, and an extern's bytes in the buffer.
 * cmocka setup/teardown; include after <cmocka.h>.
 */
#ifndef KE_KCONFIG_ENV_H
#define KE_KCONFIG_ENV_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "obj/object_int.h"
#include "obj/kconfig.h"
#include "logbuf.h"

struct ke_env {
	struct lb_log log;
	struct bbpf_object *obj;
	uint8_t *buf;
	size_t len;
	struct bbpf_diag diag;
};

static inline int ke_setup(void **state)
{
	struct ke_env *e = calloc(1, sizeof(*e));
	struct bbpf_open_opts opts = { .log = lb_log_cb };
	struct bbpf_map *m;

	assert_non_null(e);
	opts.log_ctx = &e->log;
	assert_int_equal(bbpf_object_open_file(&e->obj, BBPF_FIXTURE_DIR "/externs.bpf.o", &opts, NULL), 0);
	assert_int_not_equal(e->obj->kconfig_map, UINT32_MAX);
	m = &e->obj->maps[e->obj->kconfig_map];
	e->buf = m->data;
	e->len = m->value_size;
	memset(e->buf, 0xaa, e->len);	/* fill must write every extern, zeros included */
	*state = e;
	return 0;
}

static inline int ke_teardown(void **state)
{
	struct ke_env *e = *state;

	bbpf_object_close(e->obj);
	free(e);
	return 0;
}

static inline const struct bbpf_kconfig_special *ke_special(void)
{
	static const struct bbpf_kconfig_special sp = {
		.release = "6.18.44-fc-v657",
		.has_syscall_wrapper = true,
	};

	return &sp;
}

static inline const uint8_t *ke_val(struct ke_env *e, const char *name)
{
	struct bbpf_extern *x = bbpf_object_find_extern(e->obj, name);

	assert_non_null(x);
	assert_true(bbpf_extern_data_off(x) + bbpf_extern_size(x) <= e->len);
	return e->buf + bbpf_extern_data_off(x);
}

static inline int64_t ke_val_int(struct ke_env *e, const char *name)
{
	int32_t v;

	memcpy(&v, ke_val(e, name), 4);
	return v;
}

#endif
