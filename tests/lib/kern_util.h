/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by tests/unit/test_kern_cmd.c and tests/kernel/test_kern_cmd_kernel.c:
 * a bare context over a table, the counting wrapper, a leak check, a trivial
 * program and the fault sweep over the feature probes (run on the fake and
 * on Linux). Include after <cmocka.h>.
 */
#ifndef KC_KERN_UTIL_H
#define KC_KERN_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kern/kern.h"
#include "fake_sys.h"

#define KC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define KC_PTR(p) ((uint64_t)(uintptr_t)(p))

static inline void kc_ctx_init(struct bbpf_ctx *ctx, const struct bbpf_sys *sys)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->sys = *sys;
	ctx->alloc = bbpf_alloc_libc;
	bbpf_arena_init(&ctx->arena, &ctx->alloc, 64u << 20);
}

static inline void kc_ctx_fini(struct bbpf_ctx *ctx)
{
	bbpf_arena_free(&ctx->arena);
}

static inline struct fs_wrap *kc_wrap_new(struct bbpf_sys *sys, const struct bbpf_sys *inner)
{
	struct fs_wrap *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	*sys = fs_wrap_init(w, inner);
	return w;
}

static inline void kc_assert_no_leak(struct fs_wrap *w, const char *what, unsigned long n, int err)
{
	if (fs_wrap_open_fds(w) || fs_wrap_open_maps(w) || w->overflow) {
		fprintf(stderr, "%s: leak with call %lu failing (%d):\n", what, n, err);
		fs_wrap_dump(w, stderr);
		fs_wrap_release(w);
		fail();
	}
}

static inline union bpf_attr kc_array_attr(uint32_t value_size, uint32_t entries)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = value_size;
	a.max_entries = entries;
	return a;
}

static const struct bpf_insn kc_ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static inline int kc_load_ret0(const struct bbpf_sys *sys, enum bpf_prog_type type)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = KC_PTR(kc_ret0);
	a.insn_cnt = KC_ARRAY_LEN(kc_ret0);
	a.license = KC_PTR("GPL");
	return bbpf_cmd_prog_load(sys, &a);
}

/*
 * Fail each of the probe's calls in turn: no fd may stay open, and the
 * probe either succeeds (the failure read as "feature missing") or returns
 * the transient error without caching anything.
 */
static inline void kc_probe_sweep(const struct bbpf_sys *inner, struct fs_script *script)
{
	static const int errs[] = { -EPERM, -ENOMEM, -EINTR, -EINVAL, -EBADF, -EIO };
	struct bbpf_sys sys;
	struct fs_wrap *w = kc_wrap_new(&sys, inner);
	struct bbpf_ctx ctx;
	unsigned long k, n;
	size_t e;
	int ret;

	kc_ctx_init(&ctx, &sys);
	assert_int_equal(bbpf_features_probe(&ctx), 0);
	k = w->calls;
	assert_true(k > 10);
	kc_ctx_fini(&ctx);
	for (e = 0; e < KC_ARRAY_LEN(errs); e++) {
		for (n = 1; n <= k; n++) {
			fs_wrap_reset_counts(w);
			fs_wrap_fail(w, n, errs[e]);
			kc_ctx_init(&ctx, &sys);
			ret = bbpf_features_probe(&ctx);
			kc_assert_no_leak(w, "probe sweep", n, errs[e]);
			if (script)
				assert_int_equal(fs_script_open_fds(script), 0);
			assert_true(w->injected <= 1);
			if (ret) {
				assert_int_equal(ret, errs[e]);
				assert_true(errs[e] == -ENOMEM || errs[e] == -EINTR);
				assert_false(ctx.feat.probed);
			} else {
				assert_true(ctx.feat.probed);
			}
			kc_ctx_fini(&ctx);
		}
	}
	free(w);
}

#endif
