// SPDX-License-Identifier: BSD-2-Clause
/*
 * The libbpf-compatible API as an application sees it once installed.
 *
 * This file is two things. Compiled with -DCOMPAT_API_STANDALONE it is a
 * program that uses every name of tests/build/libbpf-api-used.txt (the
 * libbpf API used by libbpf-bootstrap's examples and bcc's libbpf-tools,
 * and by the skeletons bpftool 7.1 generates for them): functions,
 * macros, enumerators, options and skeleton structs, UAPI structs. It
 * runs the calls only when given an argument that no test passes; without
 * one it prints a line and exits 0.
 *
 * As the cmocka test (the default), it checks that:
 *  - every name of the list occurs in this file (so the list is covered);
 *  - `make install PREFIX=/usr DESTDIR=<tmp>` installs the headers, both
 *    libraries and barebpf-libbpf.pc, whose --libs and --libs --static
 *    name barebpf's libraries and nothing else;
 *  - this file compiles with gcc -Wall -Wmissing-field-initializers
 *    -Werror -Werror=undef using only `pkg-config --cflags barebpf-libbpf`
 *    and links with only `pkg-config --libs --static barebpf-libbpf`,
 *    statically with glibc and with musl-gcc, and dynamically against the
 *    installed .so; every binary runs;
 *  - the headers compile as C++ (g++ -Wall -Werror).
 * It prints the sizes of the static binaries.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_common.h>
#include <bpf/libbpf_legacy.h>
#include <bpf/libbpf_version.h>

/* ---- the application part ---- */

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)ctx;
	(void)cpu;
	(void)data;
	(void)size;
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

static void on_dump(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* What a skeleton holds (as bpftool 7.1 generates it). */
struct app_skel {
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
	struct bpf_map *map;
	struct bpf_program *prog;
	struct bpf_link *link;
	void *bss;
};

static int skeleton(const void *data, size_t size)
{
	struct app_skel *skel = calloc(1, sizeof(*skel));
	struct bpf_object_skeleton *s = calloc(1, sizeof(*s));
	int err;

	s->sz = sizeof(*s);
	s->name = "app";
	s->obj = &skel->obj;
	s->data = data;
	s->data_sz = size;
	s->map_cnt = 1;
	s->map_skel_sz = sizeof(struct bpf_map_skeleton);
	s->maps = calloc(1, sizeof(struct bpf_map_skeleton));
	s->maps[0].name = "app.bss";
	s->maps[0].map = &skel->map;
	s->maps[0].mmaped = &skel->bss;
	s->prog_cnt = 1;
	s->prog_skel_sz = sizeof(struct bpf_prog_skeleton);
	s->progs = calloc(1, sizeof(struct bpf_prog_skeleton));
	s->progs[0].name = "handle";
	s->progs[0].prog = &skel->prog;
	s->progs[0].link = &skel->link;
	skel->skeleton = s;
	err = bpf_object__open_skeleton(s, NULL);
	err = err ?: bpf_object__load_skeleton(s);
	err = err ?: bpf_object__attach_skeleton(s);
	bpf_object__detach_skeleton(s);
	bpf_object__destroy_skeleton(s);
	free(skel);
	return err;
}

/* Every name of the list, in use. Runs only when run is true. */
static int use_every_name(bool run, const char *path)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .btf_custom_path = NULL);
	DECLARE_LIBBPF_OPTS(bpf_uprobe_opts, uprobe_opts, .func_name = "malloc", .retprobe = false);
	LIBBPF_OPTS(bpf_iter_attach_opts, iter_opts);
	LIBBPF_OPTS(bpf_prog_load_opts, load_opts, .log_level = 0);
	LIBBPF_OPTS(bpf_tc_hook, tc_hook, .ifindex = 1, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, tc_opts, .handle = 1, .priority = 1);
	LIBBPF_OPTS(btf_dump_type_data_opts, dump_opts, .compact = true);
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0 },
	};
	struct perf_event_attr attr;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	struct bpf_link *link;
	struct perf_buffer *pb;
	struct ring_buffer *rb;
	struct btf *btf, *vmlinux, *mod;
	struct btf_dump *dump;
	const struct btf_type *t;
	__u32 key = 0, next, value = 0, count = 1, keys[1], values[1];
	int fd, err, id, cpus, pfd = -1;
	enum libbpf_print_level level = LIBBPF_DEBUG;

	if (!run)
		return 0;
	libbpf_set_print(print_fn);
	(void)level;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	cpus = libbpf_num_possible_cpus();

	obj = bpf_object__open_file(path, &open_opts);
	err = libbpf_get_error(obj);
	if (err)
		return err;
	prog = bpf_object__find_program_by_name(obj, "handle");
	bpf_program__set_autoload(prog, true);
	bpf_program__set_attach_target(prog, 0, "do_unlinkat");
	map = bpf_object__find_map_by_name(obj, "counts");
	bpf_map__set_type(map, BPF_MAP_TYPE_HASH);
	bpf_map__set_key_size(map, 4);
	bpf_map__set_value_size(map, 4);
	bpf_map__set_max_entries(map, 64);
	bpf_map__set_autocreate(map, true);
	err = bpf_object__load(obj);
	fd = bpf_map__fd(map);
	bpf_map_update_elem(fd, &key, &value, BPF_ANY);
	bpf_map_lookup_elem(fd, &key, &value);
	bpf_map_get_next_key(fd, NULL, &next);
	bpf_map_delete_elem(fd, &key);
	bpf_map__update_elem(map, &key, sizeof(key), &value, sizeof(value), 0);
	bpf_map_lookup_batch(fd, NULL, &next, keys, values, &count, NULL);
	bpf_map_lookup_and_delete_batch(fd, NULL, &next, keys, values, &count, NULL);
	printf("%s fd %d\n", bpf_program__name(prog), bpf_program__fd(prog));

	link = bpf_program__attach(prog);
	bpf_link__destroy(link);
	link = bpf_program__attach_kprobe(prog, false, "do_unlinkat");
	bpf_link__destroy(link);
	link = bpf_program__attach_uprobe(prog, false, -1, "/bin/true", 0);
	bpf_link__destroy(link);
	link = bpf_program__attach_uprobe_opts(prog, -1, "/lib/libc.so.6", 0, &uprobe_opts);
	bpf_link__destroy(link);
	link = bpf_program__attach_usdt(prog, -1, "/bin/true", "p", "n", NULL);
	bpf_link__destroy(link);
	link = bpf_program__attach_perf_event(prog, pfd);
	bpf_link__destroy(link);
	link = bpf_program__attach_iter(prog, &iter_opts);
	if (link) {
		fd = bpf_iter_create(bpf_link__fd(link));
		close(fd);
	}
	bpf_link__destroy(link);
	fd = bpf_raw_tracepoint_open("sched_switch", bpf_program__fd(prog));
	close(fd);

	bpf_tc_hook_create(&tc_hook);
	tc_opts.prog_fd = bpf_program__fd(prog);
	bpf_tc_attach(&tc_hook, &tc_opts);
	bpf_tc_detach(&tc_hook, &tc_opts);
	bpf_tc_hook_destroy(&tc_hook);

	pb = perf_buffer__new(bpf_map__fd(map), 8, on_sample, NULL, NULL, NULL);
	perf_buffer__poll(pb, 10);
	perf_buffer__free(pb);
	rb = ring_buffer__new(bpf_map__fd(map), on_record, NULL, NULL);
	ring_buffer__poll(rb, 10);
	ring_buffer__free(rb);

	btf = bpf_object__btf(obj);
	id = btf__find_by_name_kind(btf, "counts", BTF_KIND_FUNC);
	t = btf__type_by_id(btf, (__u32)id);
	if (t && (btf_is_func_proto(t) || btf_kind(t) == BTF_KIND_FUNC_PROTO))
		printf("%u params, %lld bytes\n", btf_vlen(t), (long long)btf__resolve_size(btf, 1));
	if (t && btf_is_enum(t))
		printf("%s\n", btf__name_by_offset(btf, btf_enum(t)->name_off));
	if (t && btf_is_ptr(t))
		printf("%s\n", btf__str_by_offset(btf, t->name_off));
	dump = btf_dump__new(btf, on_dump, stdout, NULL);
	btf_dump__dump_type_data(dump, 1, &value, sizeof(value), &dump_opts);
	btf_dump__free(dump);
	vmlinux = btf__load_vmlinux_btf();
	printf("%u types\n", btf__type_cnt(vmlinux));
	mod = btf__load_module_btf("nf_tables", vmlinux);
	btf__free(mod);
	btf__free(vmlinux);
	btf = btf__new_empty();
	btf__add_str(btf, "x");
	btf__free(btf);
	printf("%d\n", libbpf_find_vmlinux_btf_id("do_unlinkat", BPF_TRACE_FENTRY));
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "a", 4, 4, 1, NULL);
	close(fd);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "p", "GPL", insns, 2, &load_opts);
	close(fd);
	bpf_object__close(obj);
	return skeleton(insns, sizeof(insns)) + cpus;
}

#ifdef COMPAT_API_STANDALONE

int main(int argc, char **argv)
{
	/* no test passes two arguments: the calls are linked, not run */
	int err = use_every_name(argc == 3, argc > 1 ? argv[1] : NULL);

	printf("libbpf %s api: ok (%d.%d)\n", libbpf_version_string(), LIBBPF_MAJOR_VERSION,
	       LIBBPF_MINOR_VERSION);
	return err;
}

#else /* the cmocka test */

#include <setjmp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "proc_run.h"

#define SRC BBPF_SRC_DIR
#define STRICT "-Wall -Wmissing-field-initializers -Werror -Werror=undef"

static char tmp[] = "/tmp/bbpf-compat-api-XXXXXX";

/* Run a shell command; its stdout (malloc'd). Fails the test unless it exits 0. */
static char *sh(const char *fmt, ...)
{
	char cmd[4096];
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct proc_run r;
	va_list ap;
	char *out;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(proc_run(argv, &r), 0);
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status))
		fail_msg("%s\nstatus 0x%x\nstdout:\n%s\nstderr:\n%s", cmd, r.status, r.out, r.err);
	out = r.out;
	r.out = NULL;
	proc_run_free(&r);
	return out;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Every name of the list (kind name count files, or "skel: kind name count files"). */
static void test_every_name_used(void **state)
{
	FILE *list = fopen(SRC "/tests/build/libbpf-api-used.txt", "r");
	FILE *self = fopen(SRC "/tests/build/test_compat_api.c", "r");
	static char text[1 << 16];
	char line[256], name[128];
	size_t len;
	int names = 0;

	(void)state;
	assert_non_null(list);
	assert_non_null(self);
	len = fread(text, 1, sizeof(text) - 1, self);
	text[len] = '\0';
	fclose(self);
	while (fgets(line, sizeof(line), list)) {
		const char *p = line, *hit;
		char kind[32];
		bool found = false;
		size_t n;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (!strncmp(p, "skel: ", 6))
			p += 6;
		/* "<kind> <name> <uses> <files>": kind is one word ("struct(uapi)" too) */
		if (sscanf(p, "%31s %127s", kind, name) != 2)
			fail_msg("bad line: %s", line);
		n = strlen(name);
		/* as a whole word, outside this test's own code below */
		for (hit = text; (hit = strstr(hit, name)) && hit < strstr(text, "#ifdef COMPAT_API_STANDALONE");
		     hit += n) {
			char before = hit > text ? hit[-1] : ' ', after = hit[n];

			if (!(before == '_' || (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9')) &&
			    !(after == '_' || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9'))) {
				found = true;
				break;
			}
		}
		if (!found)
			fail_msg("%s is not used by tests/build/test_compat_api.c", name);
		names++;
	}
	fclose(list);
	assert_true(names >= 100);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

static void test_installed(void **state)
{
	char *cflags, *libs, *slibs, *out, pc[512], bin[512];
	const char *env;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	out = sh("make -s -C %s install PREFIX=/usr DESTDIR=%s 2>&1", SRC, tmp);
	free(out);
	/* what is installed */
	snprintf(pc, sizeof(pc), "%s/usr/lib/pkgconfig/barebpf-libbpf.pc", tmp);
	assert_true(file_size(pc) > 0);
	assert_true(file_size(SRC "/build/libbarebpf-libbpf.a") > 0);
	free(sh("test -f %s/usr/include/barebpf-libbpf/bpf/libbpf.h && "
		"test -f %s/usr/include/barebpf-libbpf/bpf/bpf.h && "
		"test -f %s/usr/include/barebpf-libbpf/bpf/btf.h && "
		"test -f %s/usr/include/barebpf-libbpf/bpf/libbpf_common.h && "
		"test -f %s/usr/include/barebpf-libbpf/bpf/libbpf_legacy.h && "
		"test -f %s/usr/include/barebpf-libbpf/bpf/libbpf_version.h && "
		"test -f %s/usr/lib/libbarebpf-libbpf.a && test -f %s/usr/lib/libbarebpf.a && "
		"test -L %s/usr/lib/libbarebpf-libbpf.so && test -L %s/usr/lib/libbarebpf.so",
		tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp));

	/* the pkg-config module, seen through the DESTDIR */
	static char penv[1024];
	snprintf(penv, sizeof(penv), "PKG_CONFIG_SYSROOT_DIR=%s PKG_CONFIG_PATH=%s/usr/lib/pkgconfig",
		 tmp, tmp);
	env = penv;
	cflags = sh("%s pkg-config --cflags barebpf-libbpf", env);
	libs = sh("%s pkg-config --libs barebpf-libbpf", env);
	slibs = sh("%s pkg-config --libs --static barebpf-libbpf", env);
	chomp(cflags);
	chomp(libs);
	chomp(slibs);
	{
		char want_c[512], want_l[512];

		snprintf(want_c, sizeof(want_c), "-I%s/usr/include/barebpf-libbpf", tmp);
		snprintf(want_l, sizeof(want_l), "-L%s/usr/lib -lbarebpf-libbpf -lbarebpf", tmp);
		assert_string_equal(cflags, want_c);
		assert_string_equal(libs, want_l);		/* barebpf's libraries, nothing else */
		assert_string_equal(slibs, want_l);
	}

	/* glibc, static: compile with the strict flags, link with --libs --static only */
	snprintf(bin, sizeof(bin), "%s/api-glibc", tmp);
	free(sh("cc -std=gnu11 -O2 " STRICT " -DCOMPAT_API_STANDALONE %s -o %s "
		"%s/tests/build/test_compat_api.c -static %s 2>&1", cflags, bin, SRC, slibs));
	out = sh("%s", bin);
	assert_non_null(strstr(out, "libbpf v1.8 api: ok (1.8)"));
	free(out);
	print_message("static glibc binary: %ld bytes\n", file_size(bin));

	/* musl, static: the kernel UAPI headers come from the system */
	snprintf(bin, sizeof(bin), "%s/api-musl", tmp);
	free(sh("musl-gcc -std=gnu11 -O2 " STRICT " -DCOMPAT_API_STANDALONE %s "
		"-isystem %s/build/musl-include -o %s %s/tests/build/test_compat_api.c -static %s 2>&1",
		cflags, SRC, bin, SRC, slibs));
	out = sh("%s", bin);
	assert_non_null(strstr(out, "libbpf v1.8 api: ok (1.8)"));
	free(out);
	print_message("static musl binary: %ld bytes\n", file_size(bin));
	free(sh("strip -o %s.stripped %s", bin, bin));
	{
		char s[600];

		snprintf(s, sizeof(s), "%s.stripped", bin);
		print_message("static musl binary, stripped: %ld bytes\n", file_size(s));
	}

	/* dynamic: the installed shared libraries */
	snprintf(bin, sizeof(bin), "%s/api-dyn", tmp);
	free(sh("cc -std=gnu11 -O2 " STRICT " -DCOMPAT_API_STANDALONE %s -o %s "
		"%s/tests/build/test_compat_api.c %s 2>&1", cflags, bin, SRC, libs));
	out = sh("LD_LIBRARY_PATH=%s/usr/lib %s", tmp, bin);
	assert_non_null(strstr(out, "api: ok"));
	free(out);
	out = sh("LD_LIBRARY_PATH=%s/usr/lib ldd %s", tmp, bin);
	assert_non_null(strstr(out, "libbarebpf-libbpf.so.0"));
	assert_non_null(strstr(out, "libbarebpf.so.0"));
	assert_null(strstr(out, "libelf"));
	assert_null(strstr(out, "libz"));
	free(out);

	/* the headers as C++ */
	free(sh("printf '#include <bpf/libbpf.h>\\n#include <bpf/bpf.h>\\n#include <bpf/btf.h>\\n"
		"int main() { return libbpf_major_version() == 1 ? 0 : 1; }\\n' | "
		"g++ -std=gnu++17 -Wall -Wextra -Werror -Werror=undef %s -fsyntax-only -x c++ - 2>&1",
		cflags));
	free(cflags);
	free(libs);
	free(slibs);
	free(sh("rm -rf %s", tmp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_name_used),
		cmocka_unit_test(test_installed),
	};

	/* linked here too (the ASan build of the library): referenced, not run */
	if (use_every_name(false, NULL))
		return 2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
