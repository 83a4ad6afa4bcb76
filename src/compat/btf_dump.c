// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct btf_dump over src/dump's C dumper: C declarations (the same output
 * as `bpftool btf dump ... format c`) and typed data (dump_c_data.c), both
 * handed to the caller's printf-style callback.
 */
#include <stdarg.h>
#include "compat.h"
#include "../dump/dump_c.h"

struct btf_dump {
	const struct btf *btf;
	btf_dump_printf_fn_t printf_fn;
	void *ctx;
	const struct bbpf_btf *view;	/* the view d was made over */
	struct bbpf_arena arena;
	struct bbpf_dump_c *d;
};

static void call_printf(struct btf_dump *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	d->printf_fn(d->ctx, fmt, ap);
	va_end(ap);
}

static void write_out(void *ctx, const char *s, size_t len)
{
	struct btf_dump *d = ctx;

	while (len) {
		int n = len > INT32_MAX ? INT32_MAX : (int)len;

		call_printf(d, "%.*s", n, s);
		s += n;
		len -= (size_t)n;
	}
}

/*
 * The C dumper over the BTF's current view. A BTF that was changed since
 * (btf__add_str() re-parses it) gets a new dumper, which forgets what the
 * old one had printed.
 */
static int dumper(struct btf_dump *d)
{
	struct bbpf_dump_out w = { .write = write_out, .ctx = d };
	struct bbpf_dump_c_opts o = { .enum_size_attr = true };	/* as libbpf 1.8 */
	const struct bbpf_btf *view;
	int err = -EINVAL;

	view = bbpf_compat_btf_view(d->btf, &err);
	if (!view)
		return err;
	if (d->d && view == d->view)
		return 0;
	bbpf_arena_free(&d->arena);
	bbpf_arena_init(&d->arena, &bbpf_alloc_libc, SIZE_MAX);
	d->d = NULL;
	err = bbpf_dump_c_new(&d->d, view, &w, &d->arena, &o);
	if (!err)
		d->view = view;
	return err;
}

struct btf_dump *btf_dump__new(const struct btf *btf, btf_dump_printf_fn_t printf_fn, void *ctx,
			       const struct btf_dump_opts *opts)
{
	struct btf_dump *d;
	int err;

	if (!BBPF_OPTS_VALID(opts, btf_dump_opts) || !printf_fn || !btf)
		return bbpf_compat_errp(-EINVAL);
	d = bbpf_compat_sys_zalloc(sizeof(*d));
	if (!d)
		return bbpf_compat_errp(-ENOMEM);
	d->btf = btf;
	d->printf_fn = printf_fn;
	d->ctx = ctx;
	bbpf_arena_init(&d->arena, &bbpf_alloc_libc, SIZE_MAX);
	err = dumper(d);
	if (err) {
		btf_dump__free(d);
		return bbpf_compat_errp(err);
	}
	return d;
}

void btf_dump__free(struct btf_dump *d)
{
	if (!d)
		return;
	bbpf_arena_free(&d->arena);
	bbpf_compat_sys_free(d, sizeof(*d));
}

int btf_dump__dump_type(struct btf_dump *d, __u32 id)
{
	int err;

	if (!d || id >= btf__type_cnt(d->btf))
		return bbpf_compat_err(-EINVAL);
	err = dumper(d);
	if (err)
		return bbpf_compat_err(err);
	err = bbpf_dump_c_type(d->d, id);
	err = bbpf_dump_c_flush(d->d) ?: err;
	return bbpf_compat_err(err);
}

int btf_dump__emit_type_decl(struct btf_dump *d, __u32 id,
			     const struct btf_dump_emit_type_decl_opts *opts)
{
	int lvl = BBPF_OPTS_GET(opts, indent_level, 0);
	int err;

	if (!d || !BBPF_OPTS_VALID(opts, btf_dump_emit_type_decl_opts))
		return bbpf_compat_err(-EINVAL);
	err = dumper(d);
	if (err)
		return bbpf_compat_err(err);
	err = bbpf_dump_c_decl(d->d, id, BBPF_OPTS_GET(opts, field_name, ""),
			       lvl > 0 ? (uint32_t)lvl : 0, BBPF_OPTS_GET(opts, strip_mods, false));
	err = bbpf_dump_c_flush(d->d) ?: err;
	return bbpf_compat_err(err);
}

int btf_dump__dump_type_data(struct btf_dump *d, __u32 id, const void *data, size_t data_sz,
			     const struct btf_dump_type_data_opts *opts)
{
	struct bbpf_dump_c_data_opts o = {
		.indent_str = BBPF_OPTS_GET(opts, indent_str, NULL),
		.compact = BBPF_OPTS_GET(opts, compact, false),
		.skip_names = BBPF_OPTS_GET(opts, skip_names, false),
		.emit_zeroes = BBPF_OPTS_GET(opts, emit_zeroes, false),
		.emit_strings = BBPF_OPTS_GET(opts, emit_strings, false),
	};
	int lvl = BBPF_OPTS_GET(opts, indent_level, 0);
	int err;

	if (!d || !BBPF_OPTS_VALID(opts, btf_dump_type_data_opts))
		return bbpf_compat_err(-EINVAL);
	err = dumper(d);
	if (err)
		return bbpf_compat_err(err);
	o.indent_level = lvl > 0 ? (uint32_t)lvl : 0;
	return bbpf_compat_err(bbpf_dump_c_data(d->d, id, data, data_sz, &o));
}
