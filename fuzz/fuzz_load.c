/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open, load, attach and close an object against a fake kernel driven by
 * the input (fuzz/sys_fuzz.h), checking what the loader promises
 * (loader.h): a failed call leaves nothing behind, a successful one hands
 * out open fds and mappings as long as it says, and after close no fd,
 * mapping, pin of a failed call or allocation is left.
 *
 * Input (fuzz/README.md):
 *   u8  flags     bits 0-1 CO-RE mode (AUTO, KERNEL, USER, USER with the
 *                 caller's target file), bits 2-3 verifier log level (0,
 *                 1, 2, 0), bit 4 the caller's kconfig text, bit 5 extras
 *                 after attach (map operations, pins, a program's own
 *                 link, detach and attach again; after close, the object
 *                 loaded again with the same context), bit 6 a second load
 *                 after a failed one, bit 7 a log callback
 *   u8  page      bits 0-6: the page size the table reports, 4096 << (p % 5),
 *                 or a bogus 3000 when p == 0x7f; bit 7: open the object with
 *                 bbpf_object_open_file (FZ_OBJECT_PATH) through the table
 *   u16 fail_at   LE; the fail_at-th allocation fails (0: none does)
 *   u32 obj_len   LE, then obj_len bytes: the object file
 *   u8  nfiles    then nfiles times: u8 class (enum fz_file), u32 len LE,
 *                 len bytes
 *   ...           the script (fuzz/sys_fuzz.h)
 * A short input is padded with zeros, which reads as "all defaults".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/loader.h>
#include "sys_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PIN_DIR "/sys/fs/bpf/fz"

/* ---- a checking allocator: exact old_len, nothing left, failure on demand ---- */

struct fz_alloc {
	unsigned long calls;		/* allocations and growths so far */
	unsigned long fail_at;		/* 0: never */
	size_t live;			/* blocks */
};

#define HDR 16

static void *fz_resize(void *vctx, void *ptr, size_t old_len, size_t new_len)
{
	struct fz_alloc *a = vctx;
	uint8_t *p = ptr ? (uint8_t *)ptr - HDR : NULL, *n;
	size_t have;

	if (p) {
		memcpy(&have, p, sizeof(have));
		if (have != old_len)
			fz_die("allocator: block of %zu bytes resized with old_len %zu", have, old_len);
	}
	if (!new_len) {
		if (p) {
			free(p);
			a->live--;
		}
		return NULL;
	}
	if (new_len > old_len && ++a->calls == a->fail_at)
		return NULL;
	if (new_len > ((size_t)1 << 34))
		return NULL;
	n = realloc(p, new_len + HDR);
	if (!n)
		return NULL;
	memcpy(n, &new_len, sizeof(new_len));
	if (!p)
		a->live++;
	return n + HDR;
}

/* The log callback: every message is a string of bounded length. FZ_VERBOSE prints them. */
static void fz_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	if ((unsigned int)level > BBPF_LOG_DEBUG || strnlen(msg, 4096) == 4096)
		fz_die("log: bad message (level %d)", (int)level);
	if (*(const bool *)ctx)
		fprintf(stderr, "log %d: %s\n", (int)level, msg);
}

static void say(bool verbose, const char *what, int err, const struct bbpf_object *obj)
{
	const struct bbpf_diag *d = bbpf_object_error(obj);

	if (verbose)
		fprintf(stderr, "%s: %d%s%s%s\n", what, err, d ? " at " : "",
			d ? bbpf_stage_str(d->stage) : "", d && d->name ? d->name : "");
}

/* ---- input ---- */

struct reader {
	const uint8_t *p;
	size_t len, off;
};

static uint32_t rd_u(struct reader *r, int bytes)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (uint32_t)(r->off < r->len ? r->p[r->off++] : 0) << (8 * i);
	return v;
}

static struct fz_span rd_span(struct reader *r, uint32_t n)
{
	struct fz_span s = { r->p + r->off, r->len - r->off };

	if (s.len > n)
		s.len = n;
	r->off += s.len;
	return s;
}

/* ---- checks ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 1099511628211ull;
	return h;
}

/*
 * What the parsed object says (instructions, map definitions and initial
 * values, autoload): a load, failed or not, must leave it as it was.
 */
static uint64_t object_hash(struct bbpf_object *obj)
{
	uint64_t h = 14695981039346656037ull;
	size_t i, n;

	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		const struct bbpf_program *p = bbpf_object_program(obj, i);
		bool al = bbpf_program_autoload(p);

		h = fnv(h, bbpf_program_insns(p), bbpf_program_insn_cnt(p) * sizeof(struct bpf_insn));
		h = fnv(h, &al, sizeof(al));
	}
	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		struct bbpf_map *m = bbpf_object_map(obj, i);
		uint32_t def[4] = { bbpf_map_type(m), bbpf_map_key_size(m), bbpf_map_value_size(m),
				    bbpf_map_max_entries(m) };
		const void *v = bbpf_map_initial_value(m, &n);

		h = fnv(h, def, sizeof(def));
		if (v)
			h = fnv(h, v, n);
	}
	return h;
}

static void check_failed(const struct fz_kernel *k, struct bbpf_object *obj, int err,
			 size_t pins_before, const char *what)
{
	const struct bbpf_diag *d = bbpf_object_error(obj);

	if (err >= 0)
		fz_die("%s: failure code %d", what, err);
	if (!d || d->err >= 0)
		fz_die("%s failed (%d) without a structured error", what, err);
	if ((unsigned int)d->stage > BBPF_STAGE_PIN)
		fz_die("%s: error stage %d", what, (int)d->stage);
	if (k->pin_cnt != pins_before)
		fz_die("%s failed and left %zu pin(s)", what, k->pin_cnt - pins_before);
}

/* After a failed load nothing of the instance is left: the context holds no fd. */
static void check_unloaded(const struct fz_kernel *k, const struct bbpf_object *obj)
{
	size_t i;

	if (bbpf_object_is_loaded(obj))
		fz_die("load failed but the object says it is loaded");
	if (fz_kernel_open_fds(k))
		fz_kernel_check_clean(k, "failed load");
	if (fz_kernel_map_mappings(k))
		fz_die("failed load left %zu map mapping(s)", fz_kernel_map_mappings(k));
	for (i = 0; i < bbpf_object_program_cnt(obj); i++)
		if (bbpf_program_fd(bbpf_object_program(obj, i)) != -1)
			fz_die("failed load: program %zu still has an fd", i);
	for (i = 0; i < bbpf_object_map_cnt(obj); i++)
		if (bbpf_map_fd(bbpf_object_map(obj, i)) != -1 ||
		    bbpf_map_mmaped(bbpf_object_map(obj, i), NULL))
			fz_die("failed load: map %zu still has an fd or a mapping", i);
}

static void check_loaded(const struct fz_kernel *k, const struct bbpf_object *obj)
{
	size_t i, size;

	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		const struct bbpf_program *p = bbpf_object_program(obj, i);

		if (bbpf_program_autoload(p) && !fz_fd_is_open(k, bbpf_program_fd(p), FZ_FD_PROG))
			fz_die("loaded: program %zu ('%s') has no open program fd (%d)", i,
			       bbpf_program_name(p), bbpf_program_fd(p));
	}
	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		struct bbpf_map *m = bbpf_object_map(obj, i);
		int fd = bbpf_map_fd(m);
		uint8_t *mem;

		if (bbpf_map_autocreate(m) && !fz_fd_is_open(k, fd, FZ_FD_MAP))
			fz_die("loaded: map %zu ('%s') has no open map fd (%d)", i, bbpf_map_name(m), fd);
		mem = bbpf_map_mmaped(m, &size);
		if (mem && size) {
			/* as long as it says */
			volatile uint8_t x = mem[0] ^ mem[size - 1];
			(void)x;
		}
	}
}

static void check_links(const struct fz_kernel *k, const struct bbpf_object *obj)
{
	size_t i;

	for (i = 0; i < bbpf_object_link_cnt(obj); i++) {
		struct bbpf_link *l = bbpf_object_link(obj, i);
		int fd = bbpf_link_fd(l);

		if (!bbpf_link_program(l))
			fz_die("link %zu has no program", i);
		if (fd != -1 && !fz_fd_is_open(k, fd, FZ_FD_FREE))
			fz_die("link %zu: fd %d is not open", i, fd);
	}
}

static void attach(struct fz_kernel *k, const struct bbpf_sys *sys, struct bbpf_object *obj,
		   bool verbose)
{
	size_t pins = k->pin_cnt, i;
	int err = bbpf_object_attach(obj);

	say(verbose, "attach", err, obj);
	if (verbose)
		fprintf(stderr, "links: %zu\n", bbpf_object_link_cnt(obj));
	if (err) {
		check_failed(k, obj, err, pins, "attach");
		if (bbpf_object_link_cnt(obj))
			fz_die("attach failed and kept %zu link(s)", bbpf_object_link_cnt(obj));
		for (i = 0; i < bbpf_object_program_cnt(obj); i++)
			if (bbpf_program_attach_status(bbpf_object_program(obj, i), NULL, NULL) ==
			    BBPF_ATTACH_DONE)
				fz_die("attach failed but program %zu says attached", i);
		return;
	}
	if (bbpf_object_error(obj))
		fz_die("attach succeeded with an error recorded");
	check_links(k, obj);
	for (i = 0; i < bbpf_object_link_cnt(obj); i++) {
		int fd = bbpf_link_iter_create(bbpf_object_link(obj, i));

		if (fd >= 0)
			sys->close(sys->ctx, fd);	/* the caller's */
	}
}

/* Map operations with the sizes the map says, and refused ones with wrong sizes. */
static void map_ops(struct fz_kernel *k, struct bbpf_ctx *ctx, const struct bbpf_object *obj)
{
	size_t i;

	for (i = 0; i < bbpf_object_map_cnt(obj); i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);
		size_t ks = bbpf_map_key_size(m), vs = bbpf_map_value_size(m);
		uint8_t *key, *val, *keys, *vals, *next;
		unsigned long calls;
		uint32_t cnt = 2;
		int cpus;

		if (bbpf_map_fd(m) < 0 || !ks || ks > 4096 || vs > 65536)
			continue;
		switch (bbpf_map_type(m)) {
		case BPF_MAP_TYPE_PERCPU_HASH:
		case BPF_MAP_TYPE_PERCPU_ARRAY:
		case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
			cpus = bbpf_ctx_possible_cpus(ctx);
			if (cpus <= 0 || cpus > 64)
				continue;
			vs = (vs + 7) / 8 * 8 * (size_t)cpus;
			break;
		default:
			break;
		}
		key = calloc(1, ks);
		next = calloc(1, ks < 4 ? 4 : ks);
		val = calloc(1, vs ? vs : 1);
		keys = calloc(2, ks);
		vals = calloc(2, vs ? vs : 1);
		if (key && next && val && keys && vals) {
			(void)bbpf_map_lookup_elem(m, key, ks, val, vs, 0);
			memset(val, 0, vs);	/* not the kernel's answer: it may be an fd */
			(void)bbpf_map_update_elem(m, key, ks, val, vs, 0);
			(void)bbpf_map_delete_elem(m, key, ks, 0);
			(void)bbpf_map_get_next_key(m, NULL, next, ks);
			(void)bbpf_map_lookup_batch(m, NULL, next, keys, vals, &cnt, 0);
			if (cnt > 2)
				fz_die("map batch: %u elements in room for 2", cnt);
			calls = k->calls + k->bpf_calls;
			if (bbpf_map_lookup_elem(m, key, ks + 1, val, vs, 0) != -EINVAL ||
			    bbpf_map_update_elem(m, key, ks, val, vs + 1, 0) != -EINVAL ||
			    k->calls + k->bpf_calls != calls)
				fz_die("map '%s': wrong key/value size not refused", bbpf_map_name(m));
		}
		free(key);
		free(next);
		free(val);
		free(keys);
		free(vals);
	}
}

static void extras(struct fz_kernel *k, const struct bbpf_sys *sys, struct bbpf_ctx *ctx,
		   struct bbpf_object *obj, bool verbose)
{
	size_t pins = k->pin_cnt, i;
	struct bbpf_link *link;
	int err;

	map_ops(k, ctx, obj);
	err = bbpf_object_pin_maps(obj, PIN_DIR);
	if (err)
		check_failed(k, obj, err, pins, "pin maps");
	for (i = 0; i < bbpf_object_map_cnt(obj) && i < 2; i++) {
		struct bbpf_map *m = bbpf_object_map(obj, i);

		pins = k->pin_cnt;
		err = bbpf_map_pin(m, PIN_DIR "/one");
		if (err && err != -EINVAL)
			check_failed(k, obj, err, pins, "map pin");
		if (!err && (!fz_is_pinned(k, PIN_DIR "/one") ||
			     strcmp(bbpf_map_pin_path(m) ? bbpf_map_pin_path(m) : "", PIN_DIR "/one")))
			fz_die("map pin: not pinned where asked");
		if (!err && !bbpf_map_unpin(m, NULL) && fz_is_pinned(k, PIN_DIR "/one"))
			fz_die("map unpin: still pinned");
	}
	if (bbpf_object_program_cnt(obj)) {
		struct bbpf_program *p = bbpf_object_program(obj, 0);

		pins = k->pin_cnt;
		err = bbpf_program_pin(p, PIN_DIR "/prog");
		if (err && err != -EINVAL)
			check_failed(k, obj, err, pins, "program pin");
		if (!bbpf_program_attach(p, &link)) {
			if (bbpf_link_program(link) != p)
				fz_die("program attach: link of another program");
			(void)bbpf_link_pin(link, PIN_DIR "/plink");
			bbpf_link_destroy(link);
		}
	}
	if (bbpf_object_link_cnt(obj)) {
		link = bbpf_object_link(obj, 0);
		(void)bbpf_link_pin(link, PIN_DIR "/link");
		bbpf_link_destroy(link);	/* held by the object: must be a no-op */
		if (bbpf_object_link(obj, 0) != link)
			fz_die("bbpf_link_destroy freed a link the object holds");
	}
	bbpf_object_detach(obj);
	if (bbpf_object_link_cnt(obj))
		fz_die("detach kept %zu link(s)", bbpf_object_link_cnt(obj));
	attach(k, sys, obj, verbose);
}

/*
 * A second object from the same bytes with the same context, after the
 * first is closed: maps pinned by name are reused where the first pinned
 * them (their info and BTF as the kernel gives them back, corrupted by the
 * script at will).
 */
static void reload(struct fz_kernel *k, struct fz_span objb, const struct bbpf_open_opts *oo,
		   const struct bbpf_load_opts *lo, bool verbose)
{
	struct bbpf_object *obj = NULL;
	size_t pins = k->pin_cnt;
	int err;

	if (bbpf_object_open_mem(&obj, objb.p, objb.len, oo, NULL))
		return;
	err = bbpf_object_load(obj, lo);
	say(verbose, "reload", err, obj);
	if (err) {
		check_failed(k, obj, err, pins, "reload");
		check_unloaded(k, obj);
	} else {
		check_loaded(k, obj);
	}
	bbpf_object_close(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size, 0 };
	struct fz_alloc fa = { 0 };
	struct bbpf_alloc alloc = { &fa, fz_resize };
	struct bbpf_ctx_opts co = { .alloc = &alloc, .pin_root = "/sys/fs/bpf" };
	struct bbpf_open_opts oo = { .object_name = "fuzz", .alloc = &alloc };
	struct bbpf_load_opts lo = { 0 };
	struct bbpf_object *obj = NULL;
	struct bbpf_ctx *ctx = NULL;
	struct bbpf_diag diag = { 0 };
	struct fz_kernel *k;
	struct fz_span objb;
	struct bbpf_sys sys;
	char *kconfig = NULL;
	uint8_t flags, page;
	uint32_t i, nfiles;
	bool verbose = getenv("FZ_VERBOSE") != NULL;
	uint64_t before;
	size_t pins;
	int err;

	flags = (uint8_t)rd_u(&r, 1);
	page = (uint8_t)rd_u(&r, 1);
	fa.fail_at = rd_u(&r, 2);
	objb = rd_span(&r, rd_u(&r, 4));
	k = calloc(1, sizeof(*k));
	if (!k)
		return 0;
	nfiles = rd_u(&r, 1);
	{
		struct fz_span files[FZ_FILE_CNT];
		bool has[FZ_FILE_CNT] = { false };

		for (i = 0; i < nfiles && r.off < r.len; i++) {
			uint32_t cls = rd_u(&r, 1) % FZ_FILE_CNT;
			struct fz_span s = rd_span(&r, rd_u(&r, 4));

			files[cls] = s;
			has[cls] = true;
		}
		sys = fz_kernel_init(k, r.p + r.off, r.len - r.off);
		memcpy(k->file, files, sizeof(files));
		memcpy(k->has_file, has, sizeof(has));
	}
	k->page_size = (page & 0x7f) == 0x7f ? 3000 : 4096l << ((page & 0x7f) % 5);
	k->file[FZ_FILE_OBJECT] = objb;
	k->has_file[FZ_FILE_OBJECT] = true;

	co.sys = &sys;
	oo.sys = &sys;
	if (flags & 0x80) {
		co.log = oo.log = fz_log;
		co.log_ctx = oo.log_ctx = &verbose;
	}
	if ((flags & 3) == 3)
		co.btf_path = FZ_TARGET_BTF_PATH;
	if ((flags & 0x10) && k->has_file[FZ_FILE_KCONFIG_OPT]) {
		kconfig = strndup((const char *)k->file[FZ_FILE_KCONFIG_OPT].p,
				  k->file[FZ_FILE_KCONFIG_OPT].len);
		co.kconfig = kconfig;
	}
	lo.core_mode = (enum bbpf_core_mode)((flags & 3) == 3 ? BBPF_CORE_USER : flags & 3);
	lo.log_level = (flags >> 2) & 3;
	if (lo.log_level == 3)
		lo.log_level = 0;

	err = bbpf_ctx_new(&ctx, &co);
	if (err) {
		if (err != -ENOMEM)
			fz_die("ctx_new: %d", err);
		goto out;
	}
	if (page & 0x80)	/* read through the table, as a file */
		err = bbpf_object_open_file(&obj, FZ_OBJECT_PATH, &oo, &diag);
	else
		err = bbpf_object_open_mem(&obj, objb.p, objb.len, &oo, &diag);
	if (fz_kernel_open_fds(k))
		fz_die("open (%d) left %zu fd(s)", err, fz_kernel_open_fds(k));
	if (err)
		goto out;

	lo.ctx = ctx;
	pins = k->pin_cnt;
	before = object_hash(obj);
	err = bbpf_object_load(obj, &lo);
	say(verbose, "load", err, obj);
	if (object_hash(obj) != before)
		fz_die("load (%d) changed the parsed object", err);
	if (err) {
		check_failed(k, obj, err, pins, "load");
		check_unloaded(k, obj);
		if (!(flags & 0x40))
			goto out;
		/* loader.h: the object is as before, so it can be loaded again */
		err = bbpf_object_load(obj, &lo);
		if (err) {
			check_failed(k, obj, err, pins, "second load");
			check_unloaded(k, obj);
			goto out;
		}
	}
	if (!bbpf_object_is_loaded(obj) || bbpf_object_error(obj))
		fz_die("load succeeded but the object is not loaded or has an error");
	if (bbpf_object_load(obj, &lo) != -EINVAL)
		fz_die("a second load of a loaded object did not fail with -EINVAL");
	check_loaded(k, obj);
	attach(k, &sys, obj, verbose);
	if (flags & 0x20) {
		extras(k, &sys, ctx, obj, verbose);
		bbpf_object_close(obj);
		obj = NULL;
		if (fz_kernel_open_fds(k))
			fz_kernel_check_clean(k, "close with the context still alive");
		reload(k, objb, &oo, &lo, verbose);
	}
out:
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
	fz_kernel_check_clean(k, "after close");
	if (fa.live)
		fz_die("allocator: %zu block(s) not freed after close", fa.live);
	fz_kernel_fini(k);
	free(k);
	free(kconfig);
	return 0;
}
