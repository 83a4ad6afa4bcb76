/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user-space CO-RE engine on the fixtures against libbpf:
 * build/bpf/core.bpf.o and core_tm.bpf.o relocated against
 * /sys/kernel/btf/vmlinux, compared instruction by instruction with what
 * libbpf 1.1.2 (dlopen'ed) produces for the same object. libbpf is stopped
 * just before BPF_PROG_LOAD: a custom program handler for "tp/" (libbpf
 * consults custom handlers before its own) copies bpf_program__insns() in
 * its prog_prepare_load_fn, when CO-RE, data and call relocations are all
 * done. Both images then differ only in map fds in ld_imm64 immediates,
 * which are compared by map name instead. libbpf's load needs the kernel
 * (TK_NEED_KERNEL); a missing libbpf.so.1 or vmlinux BTF is a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <barebpf/object.h>
#include "obj/object_int.h"
#include "relo/relo.h"
#include "relo/core.h"
#include "kernel_avail.h"
#include "logbuf.h"
#include "test_file.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name

struct lb_api {
	void *h;
	void *(*open_file)(const char *, const void *);
	int (*load)(void *);
	void (*close)(void *);
	int (*reg)(const char *, int, int, const void *);
	int (*unreg)(int);
	const struct bpf_insn *(*insns)(const void *);
	size_t (*insn_cnt)(const void *);
	const char *(*name)(const void *);
	void *(*set_print)(void *);
	int handler_id;			/* registered once per process: see group_setup */
	char why[256];			/* why h is NULL */
	struct captured *cur;		/* where capture() stores images */
};

/* libbpf_prog_handler_opts as in libbpf 1.1's libbpf.h. */
struct lb_handler_opts {
	size_t sz;
	long cookie;
	void *prog_setup_fn;
	int (*prog_prepare_load_fn)(void *prog, void *opts, long cookie);
	void *prog_attach_fn;
};

#define MAX_CAP 16
struct captured {
	int cnt;
	char name[MAX_CAP][64];
	struct bpf_insn *insns[MAX_CAP];
	uint32_t insn_cnt[MAX_CAP];
};

static int capture(void *prog, void *opts, long cookie)
{
	const struct lb_api *a = (const struct lb_api *)cookie;
	struct captured *c = a->cur;
	const struct bpf_insn *in = a->insns(prog);
	size_t n = a->insn_cnt(prog);

	(void)opts;
	if (c && c->cnt < MAX_CAP) {
		snprintf(c->name[c->cnt], sizeof(c->name[0]), "%s", a->name(prog));
		c->insns[c->cnt] = malloc(n * sizeof(*in));
		memcpy(c->insns[c->cnt], in, n * sizeof(*in));
		c->insn_cnt[c->cnt++] = (uint32_t)n;
	}
	/*
	 * Let libbpf go on: returning an error would stop it at the first
	 * program. The fixtures are meant to load; they are unloaded at close.
	 */
	return 0;
}

static int silent(int level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool lb_api_open(struct lb_api *a)
{
	a->h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!a->h)
		return false;
	*(void **)&a->open_file = dlsym(a->h, "bpf_object__open_file");
	*(void **)&a->load = dlsym(a->h, "bpf_object__load");
	*(void **)&a->close = dlsym(a->h, "bpf_object__close");
	*(void **)&a->reg = dlsym(a->h, "libbpf_register_prog_handler");
	*(void **)&a->unreg = dlsym(a->h, "libbpf_unregister_prog_handler");
	*(void **)&a->insns = dlsym(a->h, "bpf_program__insns");
	*(void **)&a->insn_cnt = dlsym(a->h, "bpf_program__insn_cnt");
	*(void **)&a->name = dlsym(a->h, "bpf_program__name");
	*(void **)&a->set_print = dlsym(a->h, "libbpf_set_print");
	if (!(a->open_file && a->load && a->close && a->reg && a->unreg && a->insns &&
	      a->insn_cnt && a->name && a->set_print))
		return false;
	{
		/*
		 * Registered once, unregistered just before dlclose: libbpf 1.1
		 * frees its handler table when the last handler goes but keeps
		 * the pointer, so registering again would reuse freed memory.
		 */
		struct lb_handler_opts o = { .sz = sizeof(o), .prog_prepare_load_fn = capture,
					     .cookie = (long)a };

		a->set_print((void *)silent);
		a->handler_id = a->reg("tp/", BPF_PROG_TYPE_TRACEPOINT, 0, &o);
	}
	return a->handler_id > 0;
}

/* libbpf's final images of every "tp/" program of path; cnt -1 if libbpf failed early. */
static void libbpf_images(const char *path, struct captured *c, struct lb_api *a)
{
	void *obj;

	memset(c, 0, sizeof(*c));
	obj = a->open_file(path, NULL);
	if (!obj || ((long)obj < 0 && (long)obj > -4096)) {
		c->cnt = -1;
		return;
	}
	a->cur = c;
	a->load(obj);	/* c->cnt says how far it got */
	a->cur = NULL;
	a->close(obj);
}

static bool is_map_ldimm64(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (i->src_reg == BPF_PSEUDO_MAP_FD || i->src_reg == BPF_PSEUDO_MAP_VALUE ||
		i->src_reg == BPF_PSEUDO_MAP_IDX || i->src_reg == BPF_PSEUDO_MAP_IDX_VALUE);
}

static void check_fixture(struct lb_api *api, const char *file, uint32_t want_progs)
{
	struct bbpf_open_opts o = { .log = lb_log_cb };
	struct lb_log *lbuf = calloc(1, sizeof(*lbuf));
	struct bbpf_object *obj = NULL;
	struct bbpf_btf vml;
	struct bbpf_arena arena;
	struct bbpf_core_cache cache;
	struct bbpf_core_obj co;
	struct bbpf_relo_env env;
	struct bbpf_diag d = { 0 };
	struct captured *c = calloc(1, sizeof(*c));
	int fds[BBPF_MAX_MAPS];
	struct bbpf_extern_val ext[64] = { { 0 } };
	uint8_t *raw;
	uint32_t len, i, k, compared = 0, core_insns = 0, changed = 0;

	assert_non_null(lbuf);
	assert_non_null(c);
	raw = tf_read_file("/sys/kernel/btf/vmlinux", &len);
	if (!raw || !len)
		fail_msg("%s: cannot read /sys/kernel/btf/vmlinux on this machine "
			 "(CONFIG_DEBUG_INFO_BTF), the CO-RE target", file);
	bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)1 << 30);
	assert_int_equal(bbpf_btf_parse_raw(&vml, raw, len, NULL, &arena, &d), 0);
	bbpf_core_cache_init(&cache, &vml, false, &arena);

	o.log_ctx = lbuf;
	assert_int_equal(bbpf_object_open_file(&obj, file, &o, &d), 0);
	assert_int_equal(bbpf_core_resolve(&co, obj, &cache, &arena, &d), 0);
	assert_true(co.relo_cnt > 0);
	for (i = 0; i < BBPF_MAX_MAPS; i++)
		fds[i] = 1000 + (int)i;
	env = (struct bbpf_relo_env){ .map_fds = fds, .ext = ext, .kconfig_map_fd = -1 };

	if (!api->h)
		fail_msg("libbpf.so.1 (the reference) not usable: %s", api->why);
	libbpf_images(file, c, api);
	if (c->cnt <= 0)
		fail_msg("%s: libbpf did not get to program load (%d images)", file, c->cnt);
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bbpf_program *p = &obj->progs[i];
		struct bbpf_prog_image img;
		const struct bpf_insn *ref = NULL;
		uint32_t ref_cnt = 0;

		assert_int_equal(bbpf_relo_program(obj, p, &env, &arena, &img, &d), 0);
		assert_int_equal(bbpf_core_apply(&co, &img, &d), 0);
		for (k = 0; k < img.func_cnt; k++) {
			const struct bbpf_program *f = img.funcs[k].prog;
			uint32_t j;

			for (j = 0; j < f->relo_cnt; j++) {
				const struct bbpf_relo *r = &f->relos[j];
				const struct bpf_insn *a, *b;

				if (r->kind != BBPF_RELO_CORE)
					continue;
				a = &img.insns[img.funcs[k].insn_off + r->insn_idx];
				b = &f->insns[r->insn_idx];
				core_insns++;
				changed += memcmp(a, b, sizeof(*a)) != 0;
			}
		}
		for (k = 0; c->cnt > 0 && k < (uint32_t)c->cnt; k++)
			if (strcmp(c->name[k], p->name) == 0) {
				ref = c->insns[k];
				ref_cnt = c->insn_cnt[k];
			}
		if (!ref)
			fail_msg("%s: libbpf made no image of program %s", file, p->name);
		assert_int_equal(img.insn_cnt, ref_cnt);
		for (k = 0; k < ref_cnt; k++) {
			const struct bpf_insn *a = &img.insns[k], *b = &ref[k];
			bool map = is_map_ldimm64(a) || (k > 0 && is_map_ldimm64(&img.insns[k - 1]));

			if (a->code != b->code || a->dst_reg != b->dst_reg ||
			    a->src_reg != b->src_reg || a->off != b->off ||
			    (!map && a->imm != b->imm))
				fail_msg("%s prog %s insn %u: barebpf %02x %u %u %d %d, libbpf %02x %u %u %d %d",
					 file, p->name, k, a->code, a->dst_reg, a->src_reg, a->off,
					 a->imm, b->code, b->dst_reg, b->src_reg, b->off, b->imm);
			compared++;
		}
	}
	assert_int_equal(obj->prog_cnt, want_progs);
	assert_non_null(strstr(lbuf->text, "relo #0: <"));
	printf("%s: %u CO-RE relocations (%u poisoned), %u relocated insns of which %u changed, "
	       "%u instructions equal to libbpf's, %u target pass(es)\n",
	       file, co.relo_cnt, co.poison_cnt, core_insns, changed, compared, cache.scan_cnt);
	/* vmlinux_min.h lays task_struct out unlike any kernel: offsets must move. */
	assert_true(changed > 0);
	assert_int_equal(cache.scan_cnt, 1);

	for (k = 0; c->cnt > 0 && k < (uint32_t)c->cnt; k++)
		free(c->insns[k]);
	bbpf_object_close(obj);
	bbpf_arena_free(&arena);
	free(raw);
	free(lbuf);
	free(c);
}

/* libbpf's load creates maps before it prepares programs: it needs the kernel. */
static void test_fixture_core(void **state)
{
	TK_NEED_KERNEL();
	check_fixture(*state, FIX("core.bpf.o"), 2);
}

static void test_fixture_core_tm(void **state)
{
	TK_NEED_KERNEL();
	check_fixture(*state, FIX("core_tm.bpf.o"), 2);
}

static int fixture_group_setup(void **state)
{
	struct lb_api *a = calloc(1, sizeof(*a));

	if (!a)
		return -1;
	if (!lb_api_open(a)) {
		const char *e = dlerror();

		snprintf(a->why, sizeof(a->why), "%s", a->h ? "a symbol is missing, or the handler "
			 "was refused" : e ? e : "dlopen failed");
		if (a->h)
			dlclose(a->h);
		a->h = NULL;
	}
	*state = a;
	return 0;
}

static int fixture_group_teardown(void **state)
{
	struct lb_api *a = *state;

	if (a->h) {
		/* Last use of this copy of libbpf: its stale table pointer dies with it. */
		a->unreg(a->handler_id);
		dlclose(a->h);
	}
	free(a);
	return 0;
}

int main(void)
{
	const struct CMUnitTest fixtures[] = {
		cmocka_unit_test(test_fixture_core),
		cmocka_unit_test(test_fixture_core_tm),
	};

	return cmocka_run_group_tests(fixtures, fixture_group_setup, fixture_group_teardown);
}
