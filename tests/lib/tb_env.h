/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the target BTF tests (tests/unit/test_target_btf.c, and its
 * kernel and diff parts): a context over the scripted fake or over Linux,
 * both under the counting wrapper, with its log captured. Include after
 * <cmocka.h>.
 */
#ifndef TB_ENV_H
#define TB_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/loader.h>
#include "logbuf.h"
#include "fake_sys.h"

#define TB_REL "5.99.1-test"	/* the fake's kernel release */

struct tb_env {
	struct fs_script s;
	struct fs_wrap w;
	struct bbpf_sys sys;
	struct lb_log log;
	struct bbpf_ctx *ctx;
	uint8_t *blobs[8];
	int nblobs;
};

/* A context over the scripted fake (real == false) or the real kernel, both counted. */
static inline struct tb_env *tb_env_new(bool real, const char *btf_path)
{
	struct tb_env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts opts = { .log = lb_log_cb, .btf_path = btf_path };
	struct bbpf_sys inner;

	assert_non_null(e);
	inner = real ? bbpf_sys_linux : fs_script_init(&e->s);
	snprintf(e->s.release, sizeof(e->s.release), "%s", TB_REL);
	e->sys = fs_wrap_init(&e->w, real ? &bbpf_sys_linux : &inner);
	/* fs_wrap keeps a copy of the inner table, whose ctx points at e->s. */
	opts.sys = &e->sys;
	opts.log_ctx = &e->log;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &opts), 0);
	return e;
}

static inline void tb_env_free(struct tb_env *e)
{
	int i;

	bbpf_ctx_free(e->ctx);
	assert_int_equal(fs_wrap_open_maps(&e->w), 0);
	assert_int_equal(fs_wrap_open_fds(&e->w), 0);
	fs_script_fini(&e->s);
	for (i = 0; i < e->nblobs; i++)
		free(e->blobs[i]);
	free(e);
}

#endif
