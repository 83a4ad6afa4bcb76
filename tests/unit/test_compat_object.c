// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct bpf_object, bpf_program, bpf_map and skeletons of the
 * libbpf-compatible API (src/compat/object.c, program.c, map.c, skel.c)
 * against the fake kernel, on build/bpf/compat_app.bpf.o and
 * maps_btf.bpf.o: open (file and memory, default names, options refused),
 * iteration and lookups, setters before and after load with libbpf's
 * error codes, one load only, internal maps whose memory keeps its address
 * across load (re-mapped MAP_FIXED, read-only for .rodata), pin paths by
 * name from open on, pinning, kconfig text, the verifier log into
 * kernel_log_buf, the object's BTF, set_attach_target against a fake
 * vmlinux, skeletons with 24- and 32-byte map entries, and a fault sweep
 * over the skeleton's life that must leave nothing open.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "compat/compat.h"
#include "compat_sys.h"
#include "fake_sys.h"
#include "test_file.h"
#include "tiny_obj.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name
#define APP FIX("compat_app.bpf.o")
#define TP_ID "/sys/kernel/tracing/events/syscalls/sys_enter_getppid/id"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define MMAP_MAX 32

struct mmap_call {
	void *addr, *out;
	size_t len;
	int prot, flags, fd;
	long ret;
};

struct env {
	struct fs_script s;
	struct fs_wrap w;
	struct bbpf_sys inner;		/* the fake */
	struct bbpf_sys wrapped;	/* fs_wrap over it */
	struct bbpf_sys sys;		/* what compat uses: the wrap, mmap recorded */
	struct mmap_call mmaps[MMAP_MAX];
	size_t mmap_cnt;
	uint8_t *app;			/* compat_app.bpf.o */
	uint32_t app_len;
	uint8_t *vmlinux;
	char log_line[16][160];
	int log_cnt;
	long (*cb)(struct env *e, int cmd, union bpf_attr *attr);
};

static struct env *cur;

static long rec_mmap(void *ctx, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		     void **out)
{
	struct env *e = cur;
	long ret = e->wrapped.mmap(ctx, addr, len, prot, flags, fd, off, out);

	if (e->mmap_cnt < MMAP_MAX)
		e->mmaps[e->mmap_cnt++] = (struct mmap_call){ addr, ret ? NULL : *out, len, prot,
							     flags, fd, ret };
	return ret;
}

static long env_bpf_cb(struct fs_script *s, int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)s;
	(void)size;
	return cur->cb ? cur->cb(cur, cmd, attr) : FS_DEFAULT;
}

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (cur && cur->log_cnt < 16)
		vsnprintf(cur->log_line[cur->log_cnt++], sizeof(cur->log_line[0]), fmt, ap);
	return 0;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	static const char *const funcs[] = { "do_unlinkat" };
	uint32_t vlen;

	assert_non_null(e);
	cur = e;
	e->inner = fs_script_init(&e->s);
	e->s.bpf_cb = env_bpf_cb;
	e->wrapped = fs_wrap_init(&e->w, &e->inner);
	e->sys = e->wrapped;
	e->sys.mmap = rec_mmap;
	e->app = tf_read_file(APP, &e->app_len);
	assert_non_null(e->app);
	fs_script_add_file(&e->s, "/obj/compat_app.bpf.o", (const char *)e->app, e->app_len);
	fs_script_add_file(&e->s, TP_ID, "733\n", 4);
	e->vmlinux = tk_tiny_vmlinux(funcs, 1, NULL, 0, &vlen);
	fs_script_add_file(&e->s, "/sys/kernel/btf/vmlinux", (const char *)e->vmlinux, vlen);
	fs_script_add_file(&e->s, "/sys/devices/system/cpu/possible", "0-3\n", 4);
	tc_compat_use(&e->sys);
	libbpf_set_print(print_cb);
	*state = e;
	return 0;
}

/* Nothing made through the table may be left open. */
static void assert_clean(struct env *e)
{
	if (fs_wrap_open_fds(&e->w) || fs_wrap_open_maps(&e->w)) {
		fs_wrap_dump(&e->w, stderr);
		fail_msg("%zu fds and %zu mappings left", fs_wrap_open_fds(&e->w),
			 fs_wrap_open_maps(&e->w));
	}
}

static int teardown(void **state)
{
	struct env *e = *state;

	assert_clean(e);
	tc_compat_use(NULL);
	libbpf_set_print(NULL);
	fs_script_fini(&e->s);
	free(e->app);
	free(e->vmlinux);
	free(e);
	cur = NULL;
	return 0;
}

static struct bpf_object *open_app(const struct bpf_object_open_opts *opts)
{
	struct bpf_object *obj = bpf_object__open_file("/obj/compat_app.bpf.o", opts);

	assert_non_null(obj);
	return obj;
}

/* ---- open ---- */

static void test_open_iterate(void **state)
{
	static const char *const maps[] = { "counts", "pcpu", "rb", "pb", "compat_a.rodata",
					    "compat_a.bss", "compat_a.data" };
	static const char *const progs[] = { "on_getppid", "never_loaded", "on_sys_exit" };
	struct env *e = *state;
	struct bpf_object *obj = open_app(NULL);
	struct bpf_program *p;
	struct bpf_map *m;
	size_t i = 0;

	(void)e;
	/* the default name: the file's base name up to the first '.' */
	assert_string_equal(bpf_object__name(obj), "compat_app");
	bpf_object__for_each_map(m, obj) {
		assert_true(i < ARRAY_LEN(maps));
		assert_string_equal(bpf_map__name(m), maps[i]);
		assert_int_equal(bpf_map__is_internal(m), i >= 4);
		i++;
	}
	assert_int_equal(i, ARRAY_LEN(maps));
	i = 0;
	bpf_object__for_each_program(p, obj) {
		assert_true(i < ARRAY_LEN(progs));
		assert_string_equal(bpf_program__name(p), progs[i]);
		i++;
	}
	assert_int_equal(i, ARRAY_LEN(progs));
	/* backwards */
	p = bpf_object__prev_program(obj, NULL);
	assert_string_equal(bpf_program__name(p), "on_sys_exit");
	p = bpf_object__prev_program(obj, p);
	assert_string_equal(bpf_program__name(p), "never_loaded");
	m = bpf_object__prev_map(obj, NULL);
	assert_string_equal(bpf_map__name(m), "compat_a.data");
	assert_null(bpf_object__prev_map(obj, bpf_object__next_map(obj, NULL)));

	p = bpf_object__find_program_by_name(obj, "never_loaded");
	assert_non_null(p);
	assert_string_equal(bpf_program__section_name(p), "tp/syscalls/sys_enter_getpgid");
	assert_false(bpf_program__autoload(p));
	assert_true(bpf_program__autoattach(p));
	assert_int_equal(bpf_program__type(p), BPF_PROG_TYPE_TRACEPOINT);
	assert_int_equal(bpf_program__insn_cnt(p), 2);
	assert_non_null(bpf_program__insns(p));
	/* internal maps by either name */
	assert_ptr_equal(bpf_object__find_map_by_name(obj, ".bss"),
			 bpf_object__find_map_by_name(obj, "compat_a.bss"));
	m = bpf_object__find_map_by_name(obj, "counts");
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_HASH);
	assert_int_equal(bpf_map__key_size(m), 4);
	assert_int_equal(bpf_map__value_size(m), 32);
	assert_int_equal(bpf_map__max_entries(m), 64);
	assert_true(bpf_map__btf_value_type_id(m) > 0);
	assert_true(bpf_map__autocreate(m));
	/* misses: NULL and ENOENT */
	errno = 0;
	assert_null(bpf_object__find_map_by_name(obj, "nope"));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(bpf_object__find_program_by_name(obj, "nope"));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_object__find_map_fd_by_name(obj, "nope"), -ENOENT);
	/* before load: no fds */
	assert_int_equal(bpf_map__fd(m), -EINVAL);
	assert_int_equal(bpf_program__fd(p), -ENOENT);
	assert_int_equal(bpf_object__btf_fd(obj), -1);
	bpf_object__close(obj);
	bpf_object__close(NULL);
}

static void test_open_mem_and_opts(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_object_open_opts, named, .object_name = "other");
	LIBBPF_OPTS(bpf_object_open_opts, token, .bpf_token_path = "/sys/fs/bpf");
	LIBBPF_OPTS(bpf_object_open_opts, badlog, .kernel_log_size = 10);
	struct bpf_object *obj;
	uint8_t *copy = malloc(e->app_len);
	char name[64];

	/* the bytes are copied: the caller may free them at once */
	memcpy(copy, e->app, e->app_len);
	obj = bpf_object__open_mem(copy, e->app_len, NULL);
	assert_non_null(obj);
	snprintf(name, sizeof(name), "%lx-%zx", (unsigned long)(uintptr_t)copy,
		 (size_t)e->app_len);
	free(copy);
	assert_string_equal(bpf_object__name(obj), name);
	assert_non_null(bpf_object__find_map_by_name(obj, "counts"));
	bpf_object__close(obj);
	/* a name: internal maps carry it */
	obj = bpf_object__open_mem(e->app, e->app_len, &named);
	assert_string_equal(bpf_object__name(obj), "other");
	assert_non_null(bpf_object__find_map_by_name(obj, "other.bss"));
	bpf_object__close(obj);
	/* refused options */
	errno = 0;
	assert_null(bpf_object__open_mem(e->app, e->app_len, &token));
	assert_int_equal(errno, EOPNOTSUPP);
	errno = 0;
	assert_null(bpf_object__open_mem(e->app, e->app_len, &badlog));
	assert_int_equal(errno, EINVAL);
	/* not an object */
	errno = 0;
	assert_null(bpf_object__open_mem("garbage!", 8, NULL));
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(libbpf_get_error(NULL), -EBADMSG);
}

/* ---- load ---- */

static const struct mmap_call *find_mmap(struct env *e, void *addr, bool fixed)
{
	size_t i;

	for (i = 0; i < e->mmap_cnt; i++)
		if (e->mmaps[i].addr == addr && !!(e->mmaps[i].flags & MAP_FIXED) == fixed)
			return &e->mmaps[i];
	return NULL;
}

static void test_load_global_data(void **state)
{
	struct env *e = *state;
	struct bpf_object *obj = open_app(NULL);
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	struct bpf_map *ro = bpf_object__find_map_by_name(obj, ".rodata");
	struct bpf_map *data = bpf_object__find_map_by_name(obj, ".data");
	const struct mmap_call *mc;
	size_t size = 0;
	__u32 *ro_mem;
	__u64 *data_mem;
	void *bss_mem;

	/* before load: writable memory with the initial values */
	ro_mem = bpf_map__initial_value(ro, &size);
	assert_non_null(ro_mem);
	assert_int_equal(size, 4);
	data_mem = bpf_map__initial_value(data, &size);
	assert_int_equal(size, 8);
	assert_int_equal(*data_mem, 5);	/* total = 5 */
	bss_mem = bpf_map__initial_value(bss, NULL);
	/* an anonymous shared mapping per internal map */
	mc = find_mmap(e, NULL, false);
	assert_non_null(mc);
	assert_true(mc->flags & MAP_ANONYMOUS);
	*ro_mem = 1234;
	assert_int_equal(bpf_map__set_initial_value(data, &(__u64){ 77 }, 8), 0);
	assert_int_equal(*data_mem, 77);
	assert_int_equal(bpf_map__set_initial_value(data, &(__u64){ 77 }, 4), -EINVAL);
	assert_int_equal(bpf_map__set_initial_value(bpf_object__find_map_by_name(obj, "counts"),
						    &(__u64){ 0 }, 8), -EINVAL);

	e->mmap_cnt = 0;
	assert_int_equal(bpf_object__load(obj), 0);
	/* the same addresses, now mapped over the maps: .rodata read-only */
	assert_ptr_equal(bpf_map__initial_value(ro, NULL), ro_mem);
	assert_ptr_equal(bpf_map__initial_value(bss, NULL), bss_mem);
	mc = find_mmap(e, ro_mem, true);
	assert_non_null(mc);
	assert_int_equal(mc->ret, 0);
	assert_int_equal(mc->prot, PROT_READ);
	assert_int_equal(mc->fd, bpf_map__fd(ro));
	assert_true(mc->flags & MAP_SHARED);
	mc = find_mmap(e, bss_mem, true);
	assert_non_null(mc);
	assert_int_equal(mc->prot, PROT_READ | PROT_WRITE);
	assert_int_equal(mc->fd, bpf_map__fd(bss));
	/* what was written before load became the maps' initial values */
	assert_int_equal(*(__u32 *)bbpf_map_initial_value(ro->m, NULL), 1234);
	assert_int_equal(*(__u64 *)bbpf_map_initial_value(data->m, NULL), 77);
	/* loaded: fds */
	assert_true(bpf_map__fd(bss) >= 0);
	assert_true(bpf_program__fd(bpf_object__find_program_by_name(obj, "on_getppid")) >= 0);
	assert_int_equal(bpf_program__fd(bpf_object__find_program_by_name(obj, "never_loaded")),
			 -ENOENT);
	assert_int_equal(bpf_object__find_map_fd_by_name(obj, "counts"),
			 bpf_map__fd(bpf_object__find_map_by_name(obj, "counts")));
	/* once only */
	e->log_cnt = 0;
	errno = 0;
	assert_int_equal(bpf_object__load(obj), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(e->log_line[0],
			    "libbpf: object 'compat_app': load can't be attempted twice\n");
	bpf_object__close(obj);
}

static void test_setters(void **state)
{
	struct bpf_object *obj = open_app(NULL);
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "on_getppid");
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "counts");
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	char buf[16];
	size_t sz = 0;

	(void)state;
	/* before load */
	assert_int_equal(bpf_map__set_max_entries(m, 128), 0);
	assert_int_equal(bpf_map__max_entries(m), 128);
	assert_int_equal(bpf_map__set_map_flags(m, BPF_F_NO_PREALLOC), 0);
	assert_int_equal(bpf_map__map_flags(m), BPF_F_NO_PREALLOC);
	assert_int_equal(bpf_map__set_numa_node(m, 0), 0);
	assert_int_equal(bpf_map__set_map_extra(m, 0), 0);
	assert_int_equal(bpf_map__set_key_size(m, 4), 0);
	assert_int_equal(bpf_map__set_value_size(m, 32), 0);
	assert_int_equal(bpf_map__set_type(m, BPF_MAP_TYPE_LRU_HASH), 0);
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_LRU_HASH);
	assert_int_equal(bpf_map__set_ifindex(m, 0), 0);
	assert_int_equal(bpf_map__ifindex(m), 0);
	/* global data cannot be resized here (barebpf) */
	assert_int_equal(bpf_map__set_value_size(bss, 64), -EOPNOTSUPP);
	/* struct_ops only */
	assert_int_equal(bpf_map__set_autoattach(m, false), -EINVAL);
	assert_int_equal(bpf_program__set_type(p, BPF_PROG_TYPE_TRACEPOINT), 0);
	assert_int_equal(bpf_program__set_expected_attach_type(p, 0), 0);
	assert_int_equal(bpf_program__set_flags(p, BPF_F_SLEEPABLE), 0);
	assert_int_equal(bpf_program__flags(p), BPF_F_SLEEPABLE);
	assert_int_equal(bpf_program__set_flags(p, 0), 0);
	assert_int_equal(bpf_program__set_log_level(p, 1), 0);
	assert_int_equal(bpf_program__log_level(p), 1);
	assert_int_equal(bpf_program__set_log_buf(p, buf, sizeof(buf)), 0);
	assert_ptr_equal(bpf_program__log_buf(p, &sz), buf);
	assert_int_equal(sz, sizeof(buf));
	assert_int_equal(bpf_program__set_log_buf(p, NULL, 8), -EINVAL);
	bpf_program__set_autoattach(p, false);
	assert_false(bpf_program__autoattach(p));
	assert_int_equal(bpf_object__set_kversion(obj, 0x60100), 0);
	assert_int_equal(bpf_object__kversion(obj), 0x60100);

	assert_int_equal(bpf_object__load(obj), 0);
	/* after load: libbpf's codes, errno too */
	errno = 0;
	assert_int_equal(bpf_map__set_max_entries(m, 8), -EBUSY);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(bpf_map__set_autocreate(m, false), -EBUSY);
	assert_int_equal(bpf_map__set_type(m, BPF_MAP_TYPE_HASH), -EBUSY);
	assert_int_equal(bpf_map__set_initial_value(bss, &(__u32){ 0 }, 4), -EBUSY);
	assert_int_equal(bpf_program__set_type(p, BPF_PROG_TYPE_KPROBE), -EBUSY);
	assert_int_equal(bpf_program__set_log_level(p, 2), -EBUSY);
	assert_int_equal(bpf_program__set_flags(p, 0), -EBUSY);
	errno = 0;
	assert_int_equal(bpf_program__set_autoload(p, false), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bpf_program__set_attach_target(p, 0, "x"), -EINVAL);
	assert_int_equal(bpf_object__set_kversion(obj, 1), -EBUSY);
	assert_int_equal(bpf_map__max_entries(m), 128);
	bpf_object__close(obj);
}

static long prog_fail_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	if (cmd != BPF_PROG_LOAD || attr->prog_type != BPF_PROG_TYPE_TRACEPOINT)
		return FS_DEFAULT;
	if (attr->log_level && attr->log_buf && attr->log_size > 32)
		snprintf((char *)(uintptr_t)attr->log_buf, attr->log_size, "0: R1=ctx\nbad insn\n");
	return -EACCES;
}

/* bpf_program__set_ifindex / bpf_map__set_ifindex reach BPF_PROG_LOAD / BPF_MAP_CREATE. */
static void test_load_ifindex(void **state)
{
	struct env *e = *state;
	struct bpf_object *obj = open_app(NULL);
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "on_getppid");
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "counts");
	unsigned long i, first = e->s.hist_cnt;
	int maps = 0, progs = 0;

	assert_non_null(p);
	assert_non_null(m);
	bpf_program__set_ifindex(p, 7);
	assert_int_equal(bpf_map__set_ifindex(m, 9), 0);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_true(e->s.hist_cnt - first <= FS_HIST_MAX);
	for (i = first; i < e->s.hist_cnt; i++) {
		const struct fs_call *c = &e->s.hist[i % FS_HIST_MAX];

		if (c->cmd == BPF_MAP_CREATE && !strcmp(c->attr.map_name, "counts")) {
			assert_int_equal(c->attr.map_ifindex, 9);
			maps++;
		} else if (c->cmd == BPF_MAP_CREATE) {
			assert_int_equal(c->attr.map_ifindex, 0);
		} else if (c->cmd == BPF_PROG_LOAD && !strcmp(c->attr.prog_name, "on_getppid")) {
			assert_int_equal(c->attr.prog_ifindex, 7);
			progs++;
		} else if (c->cmd == BPF_PROG_LOAD) {
			assert_int_equal(c->attr.prog_ifindex, 0);
		}
	}
	assert_true(maps >= 1);
	assert_true(progs >= 1);
	bpf_object__close(obj);
}

static void test_load_failure_log(void **state)
{
	struct env *e = *state;
	char klog[64];
	LIBBPF_OPTS(bpf_object_open_opts, o, .kernel_log_buf = klog, .kernel_log_size = sizeof(klog));
	struct bpf_object *obj = open_app(&o);

	e->cb = prog_fail_cb;
	errno = 0;
	assert_int_equal(bpf_object__load(obj), -EACCES);
	assert_int_equal(errno, EACCES);
	/* the verifier's lines, collected */
	assert_string_equal(klog, "0: R1=ctx\nbad insn\n");
	/* nothing of the failed load is left (the three global-data areas stay), and
	 * the object cannot be loaded again */
	assert_int_equal(fs_wrap_open_fds(&e->w), 0);
	assert_int_equal(fs_wrap_open_maps(&e->w), 3);
	e->cb = NULL;
	assert_int_equal(bpf_object__load(obj), -EINVAL);
	bpf_object__close(obj);
	/* a buffer too small keeps what fits, terminated */
	{
		char small[8];
		LIBBPF_OPTS(bpf_object_open_opts, so, .kernel_log_buf = small,
			    .kernel_log_size = sizeof(small));

		obj = open_app(&so);
		e->cb = prog_fail_cb;
		assert_int_equal(bpf_object__load(obj), -EACCES);
		/* a line cut to fit, with its newline */
		assert_string_equal(small, "0: R1=\n");
		e->cb = NULL;
		bpf_object__close(obj);
	}
}

static void test_object_btf(void **state)
{
	struct bpf_object *obj = open_app(NULL);
	struct btf *btf = bpf_object__btf(obj);
	int id;

	(void)state;
	assert_non_null(btf);
	assert_ptr_equal(bpf_object__btf(obj), btf);	/* one per object */
	id = btf__find_by_name_kind(btf, "val", BTF_KIND_STRUCT);
	assert_true(id > 0);
	assert_int_equal(btf__resolve_size(btf, (__u32)id), 32);
	assert_int_equal(btf__fd(btf), -1);
	assert_int_equal(btf__add_str(btf, "x"), -EINVAL);	/* the object's: read-only */
	assert_int_equal(bpf_object__load(obj), 0);
	assert_true(btf__fd(btf) >= 0);
	assert_int_equal(btf__fd(btf), bpf_object__btf_fd(obj));
	bpf_object__close(obj);	/* frees the BTF too (ASan checks) */
}

/* ---- pinning ---- */

static void test_pin_paths(void **state)
{
	struct env *e = *state;
	uint32_t len;
	uint8_t *maps = tf_read_file(FIX("maps_btf.bpf.o"), &len);
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = "/sys/fs/bpf/root");
	struct bpf_object *obj;
	struct bpf_map *m;

	assert_non_null(maps);
	/* pinning by name: the path is known at open */
	obj = bpf_object__open_mem(maps, len, NULL);
	assert_non_null(obj);
	m = bpf_object__find_map_by_name(obj, "pinned_hash");
	assert_string_equal(bpf_map__pin_path(m), "/sys/fs/bpf/pinned_hash");
	assert_string_equal(bpf_map__get_pin_path(m), "/sys/fs/bpf/pinned_hash");
	assert_false(bpf_map__is_pinned(m));
	assert_null(bpf_map__pin_path(bpf_object__find_map_by_name(obj, "lru")));
	bpf_object__close(obj);
	obj = bpf_object__open_mem(maps, len, &o);
	m = bpf_object__find_map_by_name(obj, "pinned_hash");
	assert_string_equal(bpf_map__pin_path(m), "/sys/fs/bpf/root/pinned_hash");
	assert_int_equal(bpf_map__set_pin_path(m, "/sys/fs/bpf/mine"), 0);
	assert_string_equal(bpf_map__pin_path(m), "/sys/fs/bpf/mine");
	bpf_object__close(obj);
	free(maps);
	(void)e;
}

static long pin_cb(struct env *e, int cmd, union bpf_attr *attr)
{
	(void)e;
	(void)attr;
	/* nothing is pinned yet: the load's reuse lookup finds nothing */
	return cmd == BPF_OBJ_GET ? -ENOENT : FS_DEFAULT;
}

static void test_pinning(void **state)
{
	struct env *e = *state;
	struct bpf_object *obj;
	struct bpf_map *m;
	unsigned long pins;
	const struct fs_call *c;

	e->cb = pin_cb;
	obj = open_app(NULL);
	m = bpf_object__find_map_by_name(obj, "counts");
	/* not loaded yet */
	assert_int_equal(bpf_object__pin_maps(obj, "/sys/fs/bpf/x"), -ENOENT);
	assert_int_equal(bpf_map__pin(m, NULL), -EINVAL);	/* no path at all */
	assert_int_equal(bpf_object__load(obj), 0);
	pins = e->s.bpf_calls[BPF_OBJ_PIN];
	assert_int_equal(bpf_map__pin(m, "/sys/fs/bpf/counts"), 0);
	assert_true(bpf_map__is_pinned(m));
	assert_string_equal(bpf_map__pin_path(m), "/sys/fs/bpf/counts");
	c = fs_script_last(&e->s, BPF_OBJ_PIN);
	assert_int_equal(c->attr.bpf_fd, bpf_map__fd(m));
	assert_string_equal((const char *)(uintptr_t)c->attr.pathname, "/sys/fs/bpf/counts");
	/* again at the same path: nothing to do; elsewhere: refused */
	assert_int_equal(bpf_map__pin(m, NULL), 0);
	assert_int_equal(bpf_map__pin(m, "/sys/fs/bpf/other"), -EINVAL);
	assert_int_equal(e->s.bpf_calls[BPF_OBJ_PIN] - pins, 1);
	assert_int_equal(bpf_map__unpin(m, "/sys/fs/bpf/other"), -EINVAL);
	assert_int_equal(bpf_map__unpin(m, NULL), 0);
	assert_false(bpf_map__is_pinned(m));
	/* under a directory: refused for a map whose pin path is elsewhere (as libbpf) */
	assert_int_equal(bpf_object__pin_maps(obj, "/sys/fs/bpf/all"), -EINVAL);
	bpf_object__close(obj);
	/* every map under a directory, and every program */
	obj = open_app(NULL);
	assert_int_equal(bpf_object__load(obj), 0);
	pins = e->s.bpf_calls[BPF_OBJ_PIN];
	assert_int_equal(bpf_object__pin_maps(obj, "/sys/fs/bpf/all"), 0);
	assert_int_equal(e->s.bpf_calls[BPF_OBJ_PIN] - pins, 7);
	assert_int_equal(bpf_object__unpin_maps(obj, "/sys/fs/bpf/all"), 0);
	pins = e->s.bpf_calls[BPF_OBJ_PIN];
	assert_int_equal(bpf_object__pin_programs(obj, "/sys/fs/bpf/progs"), 0);
	assert_int_equal(e->s.bpf_calls[BPF_OBJ_PIN] - pins, 2);	/* never_loaded is not */
	c = fs_script_last(&e->s, BPF_OBJ_PIN);
	assert_string_equal((const char *)(uintptr_t)c->attr.pathname,
			    "/sys/fs/bpf/progs/on_sys_exit");
	assert_int_equal(bpf_object__unpin_programs(obj, "/sys/fs/bpf/progs"), 0);
	/* a failure part way: the pins made are removed, the error returned */
	bpf_object__close(obj);
	obj = open_app(NULL);
	assert_int_equal(bpf_object__load(obj), 0);
	pins = e->s.hook_calls[FS_HOOK_UNLINK];
	fs_script_push(&e->s, BPF_OBJ_PIN, 0);
	fs_script_push(&e->s, BPF_OBJ_PIN, -EEXIST);
	errno = 0;
	assert_int_equal(bpf_object__pin(obj, "/sys/fs/bpf/both"), -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(e->s.hook_calls[FS_HOOK_UNLINK] - pins, 1);	/* the first map's pin */
	bpf_object__close(obj);
}

/* ---- kconfig and BTF targets ---- */

static void test_kconfig_text(void **state)
{
	struct env *e = *state;
	LIBBPF_OPTS(bpf_object_open_opts, o, .kconfig = "CONFIG_HZ=1000");
	struct bpf_object *obj;
	struct bbpf_ctx *ctx;

	fs_script_add_file(&e->s, "/proc/config.gz", NULL, 0);
	e->s.files[e->s.file_cnt - 1].open_err = -ENOENT;
	fs_script_add_file(&e->s, "/boot/config-6.18.0", "CONFIG_HZ=250\nCONFIG_BPF=y\n", 27);
	obj = open_app(&o);
	assert_int_equal(bbpf_compat_object_ctx(obj, &ctx), 0);
	/* the caller's line first (so it wins), then the kernel's */
	assert_non_null(ctx->kconfig);
	assert_memory_equal(ctx->kconfig, "CONFIG_HZ=1000\nCONFIG_HZ=250\nCONFIG_BPF=y\n", 42);
	assert_null(ctx->btf_path);
	bpf_object__close(obj);
	/* btf_custom_path: the CO-RE target of the object's context */
	{
		LIBBPF_OPTS(bpf_object_open_opts, bo, .btf_custom_path = "/my/vmlinux.btf",
			    .pin_root_path = "/sys/fs/bpf/here");

		obj = open_app(&bo);
		assert_int_equal(bbpf_compat_object_ctx(obj, &ctx), 0);
		assert_string_equal(ctx->btf_path, "/my/vmlinux.btf");
		assert_string_equal(ctx->pin_root, "/sys/fs/bpf/here");
		assert_null(ctx->kconfig);
		bpf_object__close(obj);
	}
}

static void test_attach_target(void **state)
{
	static const char *const secs[] = { "fentry/do_unlinkat", "tp_btf/sched_switch" };
	struct env *e = *state;
	struct bpf_object *obj;
	struct bpf_program *p;
	const struct fs_call *c;
	uint8_t *elf;
	size_t len;

	elf = tk_tiny_object(secs, 1, &len);
	obj = bpf_object__open_mem(elf, len, NULL);
	assert_non_null(obj);
	p = bpf_object__find_program_by_name(obj, "prog0");
	assert_non_null(p);
	assert_int_equal(bpf_program__set_attach_target(p, 0, "no_such_function"), -ESRCH);
	assert_int_equal(bpf_program__set_attach_target(p, -1, "do_unlinkat"), -EINVAL);
	assert_int_equal(bpf_program__set_attach_target(p, 0, NULL), -EINVAL);
	assert_int_equal(bpf_program__set_attach_target(p, 5, "f"), -EOPNOTSUPP);
	assert_int_equal(bpf_program__set_attach_target(p, 0, "do_unlinkat"), 0);
	assert_int_equal(bpf_object__load(obj), 0);
	c = fs_script_last(&e->s, BPF_PROG_LOAD);
	assert_non_null(c);
	assert_int_equal(c->attr.expected_attach_type, BPF_TRACE_FENTRY);
	/* do_unlinkat's FUNC in the fake vmlinux */
	assert_true(c->attr.attach_btf_id > 0);
	assert_int_equal(c->attr.attach_btf_id,
			 libbpf_find_vmlinux_btf_id("do_unlinkat", BPF_TRACE_FENTRY));
	bpf_object__close(obj);
	free(elf);
}

/* ---- skeletons ---- */

/* bpftool up to 7.4: 24-byte map entries, no link. */
struct map_skel24 {
	const char *name;
	struct bpf_map **map;
	void **mmaped;
};

struct app_skel {
	struct bpf_object *obj;
	struct bpf_map *counts, *bss, *rodata;
	struct bpf_program *on_getppid, *never_loaded, *on_sys_exit;
	struct bpf_link *l_getppid, *l_never, *l_exit;
	void *bss_mem, *rodata_mem;
};

static struct bpf_object_skeleton *make_skel(struct env *e, struct app_skel *k, bool entry24)
{
	struct bpf_object_skeleton *s = calloc(1, sizeof(*s));
	const char *names[] = { "counts", "compat_a.bss", "compat_a.rodata" };
	struct bpf_map **maps[] = { &k->counts, &k->bss, &k->rodata };
	void **mm[] = { NULL, &k->bss_mem, &k->rodata_mem };
	int i;

	s->sz = sizeof(*s);
	s->name = "compat_app";
	s->data = e->app;
	s->data_sz = e->app_len;
	s->obj = &k->obj;
	s->map_cnt = 3;
	if (entry24) {
		struct map_skel24 *m = calloc(3, sizeof(*m));

		s->map_skel_sz = sizeof(*m);
		for (i = 0; i < 3; i++)
			m[i] = (struct map_skel24){ names[i], maps[i], mm[i] };
		s->maps = (struct bpf_map_skeleton *)m;
	} else {
		s->map_skel_sz = sizeof(*s->maps);
		s->maps = calloc(3, sizeof(*s->maps));
		for (i = 0; i < 3; i++)
			s->maps[i] = (struct bpf_map_skeleton){ names[i], maps[i], mm[i], NULL };
	}
	s->prog_cnt = 3;
	s->prog_skel_sz = sizeof(*s->progs);
	s->progs = calloc(3, sizeof(*s->progs));
	s->progs[0] = (struct bpf_prog_skeleton){ "on_getppid", &k->on_getppid, &k->l_getppid };
	s->progs[1] = (struct bpf_prog_skeleton){ "never_loaded", &k->never_loaded, &k->l_never };
	s->progs[2] = (struct bpf_prog_skeleton){ "on_sys_exit", &k->on_sys_exit, &k->l_exit };
	return s;
}

static void run_skeleton(struct env *e, bool entry24)
{
	struct app_skel k = { 0 };
	struct bpf_object_skeleton *s = make_skel(e, &k, entry24);
	void *bss_before;

	assert_int_equal(bpf_object__open_skeleton(s, NULL), 0);
	assert_non_null(k.obj);
	assert_string_equal(bpf_object__name(k.obj), "compat_app");
	assert_string_equal(bpf_map__name(k.counts), "counts");
	assert_ptr_equal(k.bss, bpf_object__find_map_by_name(k.obj, ".bss"));
	assert_string_equal(bpf_program__name(k.on_sys_exit), "on_sys_exit");
	/* global data writable before load */
	assert_non_null(k.rodata_mem);
	*(__u32 *)k.rodata_mem = 4242;
	bss_before = k.bss_mem;
	assert_int_equal(bpf_object__load_skeleton(s), 0);
	assert_ptr_equal(k.bss_mem, bss_before);
	assert_int_equal(*(__u32 *)bbpf_map_initial_value(k.rodata->m, NULL), 4242);
	assert_int_equal(bpf_object__attach_skeleton(s), 0);
	assert_non_null(k.l_getppid);	/* tp/ */
	assert_non_null(k.l_exit);	/* raw_tp/ */
	assert_null(k.l_never);		/* not loaded */
	assert_true(bpf_link__fd(k.l_getppid) >= 0);
	/* attach again: links already there are kept */
	{
		struct bpf_link *l = k.l_getppid;

		assert_int_equal(bpf_object__attach_skeleton(s), 0);
		assert_ptr_equal(k.l_getppid, l);
	}
	bpf_object__detach_skeleton(s);
	assert_null(k.l_getppid);
	assert_null(k.l_exit);
	bpf_object__destroy_skeleton(s);
	assert_null(k.obj);
}

static void test_skeleton_32(void **state)
{
	run_skeleton(*state, false);
}

static void test_skeleton_24(void **state)
{
	run_skeleton(*state, true);
}

static void test_skeleton_errors(void **state)
{
	struct env *e = *state;
	struct app_skel k = { 0 };
	struct bpf_object_skeleton *s = make_skel(e, &k, false);

	s->maps[0].name = "no_such_map";
	errno = 0;
	assert_int_equal(bpf_object__open_skeleton(s, NULL), -ESRCH);
	assert_int_equal(errno, ESRCH);
	bpf_object__destroy_skeleton(s);
	s = make_skel(e, &k, false);
	s->map_skel_sz = 16;	/* too small for name, map, mmaped */
	assert_int_equal(bpf_object__open_skeleton(s, NULL), -EINVAL);
	bpf_object__destroy_skeleton(s);
	bpf_object__destroy_skeleton(NULL);
}

/* Every table call of open, load, attach in turn fails: the error comes back, nothing is left. */
static void test_skeleton_fault_sweep(void **state)
{
	static const int errs[] = { -EPERM, -ENOMEM, -EINVAL };
	struct env *e = *state;
	unsigned long n, total;
	int fails = 0;
	size_t ei;

	/* a clean run counts the calls */
	fs_wrap_reset_counts(&e->w);
	run_skeleton(e, false);
	total = e->w.calls;
	assert_true(total > 20);
	for (ei = 0; ei < ARRAY_LEN(errs); ei++) {
		for (n = 1; n <= total; n++) {
			struct app_skel k = { 0 };
			struct bpf_object_skeleton *s = make_skel(e, &k, false);
			int err;

			fs_wrap_fail(&e->w, n, errs[ei]);
			err = bpf_object__open_skeleton(s, NULL);
			err = err ?: bpf_object__load_skeleton(s);
			err = err ?: bpf_object__attach_skeleton(s);
			if (err) {
				fails++;
				assert_true(err < 0);
				assert_int_equal(errno, -err);
			}
			bpf_object__destroy_skeleton(s);
			fs_wrap_fail(&e->w, 0, 0);
			assert_clean(e);
		}
	}
	assert_true(fails > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_iterate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_mem_and_opts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_global_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_ifindex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_failure_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_object_btf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pinning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kconfig_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skeleton_32, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skeleton_24, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skeleton_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skeleton_fault_sweep, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
