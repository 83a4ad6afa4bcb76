// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct_ops against the real kernel: the fixture's TCP congestion control
 * (build/bpf/struct_ops.bpf.o), copied with its name "bb_cc" replaced by a
 * per-process one of the same length (symbols, BTF and the value's name
 * member alike), registered as a plain .struct_ops map and as a
 * .struct_ops.link map. The kernel's list of congestion controls must show
 * both after attach and neither after the links are destroyed; the link's
 * info must name the map. The CLI's register/unregister are checked the
 * same way and against bpftool 7.1, which must read the registered map as
 * barebpf built it (its dump names each member's program, and the name);
 * `barebpf struct_ops dump` (by id and name; text, -j, -p) prints bpftool's
 * bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <cmocka.h>

#include "kernel_avail.h"
#include "proc_run.h"
#include "ref_tools.h"
#include <barebpf/attach.h>
#include <barebpf/loader.h>

#define CC_LIST "/proc/sys/net/ipv4/tcp_available_congestion_control"

struct env {
	char name[6];		/* replaces "bb_cc" */
	char link_name[16];	/* name + "_link" */
	char path[64];		/* the renamed copy */
};

static void print_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN)
		print_message("  log: %s\n", msg);
}

/* Whether the kernel lists congestion control name. */
static bool cc_listed(const char *name)
{
	char buf[4096], *tok, *save;
	ssize_t n;
	int fd = open(CC_LIST, O_RDONLY);

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char src[512];
	FILE *f;
	long len;
	char *buf, *p;
	size_t hits = 0;

	snprintf(src, sizeof(src), "%s/struct_ops.bpf.o", BBPF_FIXTURE_DIR);
	f = fopen(src, "rb");
	if (!f || !e)
		return -1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		return -1;
	fclose(f);
	snprintf(e->name, sizeof(e->name), "b%04x", (unsigned int)getpid() & 0xffff);
	snprintf(e->link_name, sizeof(e->link_name), "%s_link", e->name);
	for (p = buf; p + 5 <= buf + len; p++)
		if (!memcmp(p, "bb_cc", 5)) {
			memcpy(p, e->name, 5);
			hits++;
		}
	snprintf(e->path, sizeof(e->path), "/tmp/bbpf_st_ops_%d.o", (int)getpid());
	f = fopen(e->path, "wb");
	if (!f || fwrite(buf, 1, (size_t)len, f) != (size_t)len || hits < 4)
		return -1;
	fclose(f);
	free(buf);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[512];

	/* whatever a failed test left registered or pinned */
	snprintf(cmd, sizeof(cmd),
		 "rm -rf /sys/fs/bpf/bbpf_st_%d; for n in %s %s; do "
		 "/usr/sbin/bpftool struct_ops unregister name $n; done >/dev/null 2>&1",
		 (int)getpid(), e->name, e->link_name);
	if (system(cmd) < 0)
		return -1;
	unlink(e->path);
	free(e);
	return 0;
}

static int map_info(int fd, struct bpf_map_info *info)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)) ? -errno : 0;
}

static struct bbpf_object *load(const struct env *e, struct bbpf_ctx **ctx)
{
	struct bbpf_ctx_opts co = { .log = print_log };
	struct bbpf_open_opts oo = { .log = print_log };
	struct bbpf_object *obj;
	struct bbpf_load_opts lo;

	assert_int_equal(bbpf_ctx_new(ctx, &co), 0);
	assert_int_equal(bbpf_object_open_file(&obj, e->path, &oo, NULL), 0);
	/* the struct_ops program no map uses is not loaded (libbpf 1.8) */
	assert_false(bbpf_program_autoload(bbpf_object_find_program(obj, "bb_unused")));
	assert_true(bbpf_program_autoload(bbpf_object_find_program(obj, "bb_ssthresh")));
	lo = (struct bbpf_load_opts){ .ctx = *ctx };
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	assert_true(bbpf_program_fd(bbpf_object_find_program(obj, "bb_unused")) < 0);
	return obj;
}

/*
 * A member program turned off: the load goes on, as libbpf's, and the
 * registration is refused by the kernel (-EBADF: the value has no valid
 * fd for that member), as libbpf's is; nothing is registered.
 */
static void test_member_off_live(void **state)
{
	const struct env *e = *state;
	struct bbpf_ctx_opts co = { .log = print_log };
	struct bbpf_open_opts oo = { .log = print_log };
	struct bbpf_load_opts lo;
	struct bbpf_link *link = (struct bbpf_link *)&lo;
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;

	TK_NEED_KERNEL();
	assert_int_equal(bbpf_ctx_new(&ctx, &co), 0);
	assert_int_equal(bbpf_object_open_file(&obj, e->path, &oo, NULL), 0);
	assert_int_equal(bbpf_program_set_autoload(bbpf_object_find_program(obj, "bb_cong_avoid"),
						   false), 0);
	lo = (struct bbpf_load_opts){ .ctx = ctx };
	assert_int_equal(bbpf_object_load(obj, &lo), 0);
	assert_true(bbpf_program_fd(bbpf_object_find_program(obj, "bb_cong_avoid")) < 0);
	assert_true(bbpf_program_fd(bbpf_object_find_program(obj, "bb_ssthresh")) >= 0);
	assert_int_equal(bbpf_map_attach_struct_ops(bbpf_object_find_map(obj, e->name), &link),
			 -EBADF);
	assert_null(link);
	assert_false(cc_listed(e->name));
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
}

/* bbpf_map_attach_struct_ops: registered while the links live, gone after. */
static void test_attach_struct_ops_live(void **state)
{
	const struct env *e = *state;
	struct bbpf_link *plain = NULL, *link = NULL;
	struct bpf_link_info info;
	struct bpf_map_info minfo;
	uint32_t len = sizeof(minfo);
	struct bbpf_object *obj;
	struct bbpf_ctx *ctx;

	TK_NEED_KERNEL();
	obj = load(e, &ctx);
	assert_false(cc_listed(e->name));
	assert_int_equal(bbpf_map_attach_struct_ops(bbpf_object_find_map(obj, e->name), &plain), 0);
	assert_int_equal(bbpf_map_attach_struct_ops(bbpf_object_find_map(obj, e->link_name), &link),
			 0);
	assert_true(cc_listed(e->name));
	assert_true(cc_listed(e->link_name));
	assert_int_equal(bbpf_link_fd(plain), -1);	/* registered by the update alone */
	assert_true(bbpf_link_fd(link) >= 0);
	/* the link's info names its map */
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	assert_int_equal(bbpf_link_info(link, &info, &len), 0);
	assert_int_equal(info.type, BPF_LINK_TYPE_STRUCT_OPS);
	memset(&minfo, 0, sizeof(minfo));
	len = sizeof(minfo);
	assert_int_equal(map_info(bbpf_map_fd(bbpf_object_find_map(obj, e->link_name)), &minfo), 0);
	/* the struct_ops member of the info's union (8-aligned after type, id, prog_id) */
	memcpy(&len, (const char *)&info + 16, sizeof(len));
	assert_int_equal(len, minfo.id);
	/* the kernel's value type: the wrapper, bigger than the object's struct */
	assert_true(minfo.value_size > bbpf_map_value_size(bbpf_object_find_map(obj, e->link_name)));
	assert_true(minfo.btf_vmlinux_value_type_id > 0);
	bbpf_link_destroy(link);
	assert_false(cc_listed(e->link_name));
	assert_true(cc_listed(e->name));
	bbpf_link_destroy(plain);
	assert_false(cc_listed(e->name));
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
}

/* bbpf_object_attach registers every struct_ops map; detach unregisters them. */
static void test_object_attach_live(void **state)
{
	const struct env *e = *state;
	const char *why = NULL;
	struct bbpf_object *obj;
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;

	TK_NEED_KERNEL();
	obj = load(e, &ctx);
	assert_int_equal(bbpf_object_attach(obj), 0);
	assert_int_equal(bbpf_object_link_cnt(obj), 2);
	assert_true(cc_listed(e->name));
	assert_true(cc_listed(e->link_name));
	/* the member programs are not attached on their own, and say why */
	assert_int_equal(bbpf_program_attach_status(bbpf_object_find_program(obj, "bb_ssthresh"),
						    &why, NULL),
			 BBPF_ATTACH_SKIPPED);
	assert_non_null(strstr(why, "struct_ops map"));
	/* a second call does not register them twice */
	assert_int_equal(bbpf_object_attach(obj), 0);
	assert_int_equal(bbpf_object_link_cnt(obj), 2);
	bbpf_object_detach(obj);
	assert_false(cc_listed(e->name));
	assert_false(cc_listed(e->link_name));
	/*
	 * Once registered, a struct_ops map's value is fixed: the kernel
	 * refuses a second update (-EBUSY). A .struct_ops.link map takes a new
	 * link (the update's -EBUSY is expected); a plain one cannot come back.
	 */
	assert_int_equal(bbpf_map_attach_struct_ops(bbpf_object_find_map(obj, e->name), &link),
			 -EBUSY);
	assert_int_equal(bbpf_map_attach_struct_ops(bbpf_object_find_map(obj, e->link_name), &link),
			 0);
	assert_true(cc_listed(e->link_name));
	bbpf_link_destroy(link);
	assert_false(cc_listed(e->link_name));
	bbpf_object_close(obj);
	bbpf_ctx_free(ctx);
}

static struct proc_run run(const char *const *argv)
{
	struct proc_run r;

	assert_int_equal(proc_run((char *const *)argv, &r), 0);
	return r;
}

/* CLI register/unregister/dump, read back by and compared with bpftool 7.1. */
static void test_cli_register_live(void **state)
{
	const struct env *e = *state;
	const char *bpftool = "/usr/sbin/bpftool";
	char dir[64], pin[96], id_s[16], msg[128];
	const char *cli = BBPF_BUILD_DIR "/barebpf";
	struct proc_run r;
	char *p;

	TK_NEED_KERNEL();
	assert_int_equal(access(bpftool, X_OK), 0);
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bbpf_st_%d", (int)getpid());
	snprintf(pin, sizeof(pin), "%s/%s", dir, e->link_name);
	assert_int_equal(mkdir(dir, 0700), 0);
	r = run((const char *[]){ cli, "struct_ops", "register", e->path, dir, NULL });
	assert_int_equal(r.status, 0);
	snprintf(msg, sizeof(msg), "Registered tcp_congestion_ops %s id ", e->name);
	assert_non_null(strstr(r.err, msg));
	proc_run_free(&r);
	/* both outlive the command: the plain map by itself, the link by its pin */
	assert_true(cc_listed(e->name));
	assert_true(cc_listed(e->link_name));
	/* bpftool reads the value barebpf built */
	r = run((const char *[]){ bpftool, "-j", "struct_ops", "dump", "name", e->name, NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"ssthresh\":\"u32 (struct sock *) bb_ssthresh/prog_id:"));
	assert_non_null(strstr(r.out, "bb_cong_avoid/prog_id:"));
	assert_non_null(strstr(r.out, "\"undo_cwnd\":\"u32 (struct sock *) bb_undo_cwnd/prog_id:"));
	snprintf(msg, sizeof(msg), "\"name\":\"%s\"", e->name);
	assert_non_null(strstr(r.out, msg));
	assert_non_null(strstr(r.out, "\"set_state\":\"void (struct sock *, u8) 0\""));
	p = strstr(r.out, "\"id\":");
	assert_non_null(p);
	snprintf(id_s, sizeof(id_s), "%lu", strtoul(p + 5, NULL, 10));
	proc_run_free(&r);
	/* show by id: the same JSON as bpftool's */
	{
		struct proc_run a = run((const char *[]){ cli, "-j", "struct_ops", "show", "id",
							  id_s, NULL });
		struct proc_run b = run((const char *[]){ bpftool, "-j", "struct_ops", "show", "id",
							  id_s, NULL });

		assert_int_equal(a.status, 0);
		assert_int_equal(b.status, 0);
		assert_string_equal(a.out, b.out);
		proc_run_free(&a);
		proc_run_free(&b);
	}
	/* dump by id and by name, text, -j and -p: bpftool's bytes (function pointers included) */
	for (int f = 0; f < 3; f++) {
		const char *fl = f == 0 ? "--" : f == 1 ? "-j" : "-p";
		const char *sel[2][2] = { { "id", id_s }, { "name", e->link_name } };

		for (int s = 0; s < 2; s++) {
			const char *av[] = { cli, "struct_ops", "dump", sel[s][0], sel[s][1], fl, NULL };
			struct proc_run a, b;

			if (!f)
				av[5] = NULL;
			a = run(av);
			av[0] = bpftool;
			b = run(av);
			assert_int_equal(a.status, 0);
			assert_int_equal(b.status, 0);
			assert_non_null(strstr(b.out, "bb_undo_cwnd/prog_id:"));
			assert_string_equal(a.out, b.out);
			proc_run_free(&a);
			proc_run_free(&b);
		}
	}
	/* unregister the plain one by id, -j: null and nothing else */
	r = run((const char *[]){ cli, "-j", "struct_ops", "unregister", "id", id_s, NULL });
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "null\n");
	assert_string_equal(r.err, "");
	proc_run_free(&r);
	assert_false(cc_listed(e->name));
	/* again: no such map, as bpftool says it */
	r = run((const char *[]){ cli, "struct_ops", "unregister", "name", e->name, NULL });
	assert_int_not_equal(r.status, 0);
	snprintf(msg, sizeof(msg), "no struct_ops found for %s", e->name);
	assert_non_null(strstr(r.err, msg));
	proc_run_free(&r);
	/* the pinned link: gone with its pin */
	assert_int_equal(unlink(pin), 0);
	assert_int_equal(rmdir(dir), 0);
	for (int i = 0; i < 100 && cc_listed(e->link_name); i++)
		usleep(10000);	/* the link's release is deferred */
	assert_false(cc_listed(e->link_name));
}

/* run: both maps registered while it runs (no "not attached" line), gone after. */
static void test_cli_run_live(void **state)
{
	const struct env *e = *state;
	struct proc_run r;

	TK_NEED_KERNEL();
	r = run((const char *[]){ BBPF_BUILD_DIR "/barebpf", "run", e->path, "--duration", "0.3",
				  NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, ": 2 program(s) attached"));
	assert_null(strstr(r.err, "not attached"));
	proc_run_free(&r);
	assert_false(cc_listed(e->name));
	assert_false(cc_listed(e->link_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_struct_ops_live),
		cmocka_unit_test(test_member_off_live),
		cmocka_unit_test(test_object_attach_live),
		cmocka_unit_test(test_cli_register_live),
		cmocka_unit_test(test_cli_run_live),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
