// SPDX-License-Identifier: BSD-2-Clause
/*
 * "barebpf prog loadall" against bpftool 7.1's ("prog loadall" of the same
 * object: the same pinned program and map names, the same program types),
 * and what bpftool reads back from barebpf's pins (a link pin, a type
 * override, the .kconfig map's values). Runs on the running kernel
 * (TK_NEED_KERNEL); a missing bpftool is a failure. Every pin is made under
 * /sys/fs/bpf/t_<pid>_* and removed by the teardown, whatever the test did.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_util.h"
#include "kernel_avail.h"
#include "ref_tools.h"

#define FIX BBPF_FIXTURE_DIR "/"

static const char *bpftool;
/* Every path a test may create; all removed after each test. */
static char dirs[5][64];
#define d_progs dirs[0]
#define d_maps dirs[1]
#define d_ref dirs[2]
#define d_refmaps dirs[3]
#define d_tmp dirs[4]	/* not on bpffs */

static int group_setup(void **state)
{
	static const char *const fmt[] = { "/sys/fs/bpf/t_%d", "/sys/fs/bpf/t_%d_maps",
					   "/sys/fs/bpf/t_%d_ref", "/sys/fs/bpf/t_%d_refmaps",
					   "/tmp/t_%d_notbpffs" };

	(void)state;
	cu_pin_dirs_init(dirs, fmt, 5);
	bpftool = ref_bpftool();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cu_pin_dirs_rm(dirs, 5);
	return 0;
}

static void need_kernel_and_bpftool(void)
{
	TK_NEED_KERNEL();
	assert_null(tk_mount_fs());
	if (!bpftool)
		fail_msg("bpftool (the reference) is not installed");
}

/* The value of "key":"..." in the bpftool -j output of cmd (caller frees); NULL if none. */
static char *bpftool_field(const char *args, const char *key)
{
	char cmd[600], pat[64], *out, *p, *e, *v = NULL;

	snprintf(cmd, sizeof(cmd), "%s -j %s 2>/dev/null", bpftool, args);
	out = proc_capture(cmd);
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if (out && (p = strstr(out, pat))) {
		p += strlen(pat);
		if (*p == '"')
			p++;
		e = p + strcspn(p, "\",}");
		v = strndup(p, (size_t)(e - p));
	}
	free(out);
	return v;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int obj_get(const char *path)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	return (int)sys_bpf(BPF_OBJ_GET, &a);
}

static int map_elem(int cmd, int fd, uint32_t key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)value;
	return (int)sys_bpf(cmd, &a);
}

static void test_loadall_like_bpftool(void **state)
{
	char *ours[CU_MAX_NAMES], *ref[CU_MAX_NAMES], *want[CU_MAX_NAMES], *mo[CU_MAX_NAMES], *mr[CU_MAX_NAMES];
	const char *obj = FIX "progs_loadable.bpf.o";
	char args[256];
	struct proc_run r;
	int n, nr, nw, nmo, nmr, i;

	(void)state;
	need_kernel_and_bpftool();
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", obj, d_progs, "pinmaps", d_maps));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "prog loadall %s %s pinmaps %s", obj, d_ref, d_refmaps);
	free(bpftool_field(args, "x"));

	n = cu_list_dir(d_progs, ours);
	nr = cu_list_dir(d_ref, ref);
	nw = cu_inspect_progs(obj, want);
	assert_true(nw > 0);
	if (nr < 0)
		fail_msg("bpftool prog loadall %s failed", obj);
	cu_assert_same_names(ours, n, want, nw, "pins vs programs of inspect");
	cu_assert_same_names(ours, n, ref, nr, "pins vs bpftool's pins");
	for (i = 0; i < n; i++) {
		char *t1, *t2;

		snprintf(args, sizeof(args), "prog show pinned %s/%s", d_progs, ours[i]);
		t1 = bpftool_field(args, "type");
		snprintf(args, sizeof(args), "prog show pinned %s/%s", d_ref, ours[i]);
		t2 = bpftool_field(args, "type");
		if (!t1 || !t2 || strcmp(t1, t2))
			fail_msg("program %s: type %s, bpftool's %s", ours[i], t1 ? t1 : "?",
				 t2 ? t2 : "?");
		free(t1);
		free(t2);
	}
	nmo = cu_list_dir(d_maps, mo);
	nmr = cu_list_dir(d_refmaps, mr);
	assert_true(nmo > 0);
	cu_assert_same_names(mo, nmo, mr, nmr, "map pins vs bpftool's");
	cu_free_names(ours, n);
	cu_free_names(ref, nr);
	cu_free_names(want, nw);
	cu_free_names(mo, nmo);
	cu_free_names(mr, nmr);
}

static void test_loadall_type_override(void **state)
{
	char args[256], *t;
	struct proc_run r;

	(void)state;
	need_kernel_and_bpftool();
	/* A tracepoint program loaded as a kprobe: the verifier accepts it. */
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o", d_progs, "type",
			      "kprobe"));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "prog show pinned %s/handle_tp", d_progs);
	t = bpftool_field(args, "type");
	assert_non_null(t);
	assert_string_equal(t, "kprobe");
	free(t);
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o", d_ref, "type",
				 "no_such_type"), 2);
	assert_false(cu_exists(d_ref));
	proc_run_free(&r);
}

static void test_autoattach_link_survives(void **state)
{
	uint8_t value[16] = { 0 };
	char path[128], args[256], *prog_id;
	uint64_t count;
	struct proc_run r;
	int fd, i, pid = (int)getpid();

	(void)state;
	need_kernel_and_bpftool();
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "minimal.bpf.o", d_progs, "pinmaps",
			      d_maps, "autoattach"));
	proc_run_free(&r);

	/* The pin is a link (bpftool's "link show" accepts only links). */
	snprintf(args, sizeof(args), "link show pinned %s/handle_tp", d_progs);
	prog_id = bpftool_field(args, "prog_id");
	if (!prog_id)
		fail_msg("%s/handle_tp is not a pinned link", d_progs);
	free(prog_id);

	/* The barebpf process is gone; the program still fires for our pid. */
	snprintf(path, sizeof(path), "%s/minimal_bss", d_maps);
	fd = obj_get(path);
	if (fd < 0)
		fail_msg("BPF_OBJ_GET %s: %s", path, strerror(errno));
	memcpy(value, &pid, sizeof(pid));		/* my_pid, offset 0 */
	assert_int_equal(map_elem(BPF_MAP_UPDATE_ELEM, fd, 0, value), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(write(STDOUT_FILENO, "", 0), 0);
	assert_int_equal(map_elem(BPF_MAP_LOOKUP_ELEM, fd, 0, value), 0);
	memcpy(&count, value + 8, sizeof(count));	/* write_count, offset 8 */
	close(fd);
	if (count < 5)
		fail_msg("write_count %llu after 5 writes", (unsigned long long)count);
}

/*
 * autoattach on programs that cannot be attached or whose attachment cannot
 * be pinned: each is pinned as a program with one warning line naming it
 * and why, and the command succeeds. tracex_legacy (samples/bpf format):
 * two kprobes (this kernel has no kprobes: the library's reason), one
 * tracepoint attached by ioctl (the samples/bpf way: no BPF link to pin).
 * progs_loadable: xdp/socket/cgroup/syscall have no auto-attach; its
 * tracepoint, raw_tp and iterator links are pinned as links.
 */
static void test_autoattach_fallbacks(void **state)
{
	static const char *const progs[] = { "getpid_entry", "getpid_return", "getpid_tail" };
	char args[256], line[128], *id;
	struct proc_run r;
	size_t i;

	(void)state;
	need_kernel_and_bpftool();
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "tracex_legacy.bpf.o", d_progs,
			      "autoattach"));
	assert_int_equal(proc_line_count(r.err), 3);
	for (i = 0; i < 3; i++) {
		snprintf(line, sizeof(line), "barebpf: program '%s' not attached (", progs[i]);
		assert_non_null(strstr(r.err, line));
		snprintf(args, sizeof(args), "prog show pinned %s/%s", d_progs, progs[i]);
		id = bpftool_field(args, "id");
		if (!id)
			fail_msg("%s/%s is not a pinned program", d_progs, progs[i]);
		free(id);
	}
	assert_non_null(strstr(r.err, "'getpid_entry' not attached (adding the kprobe event"));
	assert_non_null(strstr(r.err, "'getpid_tail' not attached (its attachment has no BPF link"));
	for (i = 0, id = r.err; (id = strstr(id, "): pinned as a program\n")); i++, id++)
		;
	assert_int_equal(i, 3);	/* every line ends so */
	proc_run_free(&r);
	cu_pin_dirs_rm(dirs, 5);

	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "progs_loadable.bpf.o", d_progs,
			      "autoattach"));
	/* xdp ×2, socket, cgroup_skb ×2, syscall: one line each */
	assert_int_equal(proc_line_count(r.err), 6);
	assert_non_null(strstr(r.err, "program 'xdp_pass' not attached (no auto-attach"));
	assert_null(strstr(r.err, "tp_getpid"));
	snprintf(args, sizeof(args), "link show pinned %s/tp_getpid", d_progs);
	id = bpftool_field(args, "prog_id");
	if (!id)
		fail_msg("%s/tp_getpid is not a pinned link", d_progs);
	free(id);
	proc_run_free(&r);
}

static void test_loadall_kconfig_file(void **state)
{
	static const char cfg[] = "CONFIG_HZ=123\nCONFIG_BPF_SYSCALL=y\nCONFIG_BPF_LSM=m\n"
				  "CONFIG_DEFAULT_HOSTNAME=\"bb\"\n";
	char file[96], args[256], *hz;
	struct proc_run r;
	FILE *f;

	(void)state;
	need_kernel_and_bpftool();
	snprintf(file, sizeof(file), "%s.config", d_tmp);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(cfg, f);
	fclose(f);
	/* The file, not the running kernel's configuration, gives CONFIG_HZ. */
	cu_expect_ok(&r, CU_RUN(&r, "prog", "loadall", FIX "externs.bpf.o", d_progs, "pinmaps",
			      d_maps, "kconfig", file));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "map dump pinned %s/externs_kconfig", d_maps);
	hz = bpftool_field(args, "CONFIG_HZ");
	assert_non_null(hz);
	assert_string_equal(hz, "123");
	free(hz);
	/* --kconfig spelling; a missing file fails before anything is loaded. */
	assert_int_equal(CU_RUN(&r, "prog", "loadall", FIX "externs.bpf.o", d_ref, "--kconfig",
				 "/nonexistent/config"), 1);
	assert_non_null(strstr(r.err, "/nonexistent/config"));
	assert_false(cu_exists(d_ref));
	proc_run_free(&r);
	unlink(file);
}

/* BPF_PROG_TEST_RUN of the xdp program pinned at path on 64 zero bytes: its return value. */
static uint32_t xdp_retval(const char *path)
{
	uint8_t pkt[64] = { 0 };
	union bpf_attr a;
	int fd = obj_get(path);

	if (fd < 0)
		fail_msg("BPF_OBJ_GET %s: %s", path, strerror(errno));
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = 1;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		fail_msg("BPF_PROG_TEST_RUN %s: %s", path, strerror(errno));
	close(fd);
	return a.test.retval;
}

/* Does bpftool's "map_ids" of the program pinned at path hold id? */
static bool prog_uses_map(const char *path, const char *id)
{
	char cmd[300], want[40], *out, *ids;
	bool found;

	snprintf(cmd, sizeof(cmd), "%s -j prog show pinned %s 2>/dev/null", bpftool, path);
	out = proc_capture(cmd);
	ids = out ? strstr(out, "\"map_ids\":[") : NULL;
	if (!ids)
		fail_msg("no map_ids for %s: %s", path, out ? out : "(no output)");
	*strchr(ids, ']') = ',';
	snprintf(want, sizeof(want), "%s,", id);
	found = strstr(ids, want) && (strstr(ids, want)[-1] == '[' || strstr(ids, want)[-1] == ',');
	free(out);
	return found;
}

/*
 * prog load OBJ PATH map { idx N | name NAME } MAP, with both tools: the
 * loaded program uses the existing map (its id among the program's map_ids)
 * and sees what is written into it through its pin (the test run's return
 * value); an unknown idx or name is one line naming it, as bpftool's, and
 * a failure exit.
 */
static void test_load_map_reuse(void **state)
{
	static const char *const tools[2] = { "barebpf", "bpftool" };
	static const char *const forms[][4] = {
		{ "idx", "0", "pinned", NULL },		/* reuse_arr is libbpf's idx 0 */
		{ "name", "reuse_arr", "id", NULL },
		{ "name", "reuse_hash", "pinned", NULL },
	};
	uint8_t val[8] = { 0 };
	char arr[128], hash[128], pin[128], args[512], *id_arr, *id_hash, *id;
	struct proc_run r;
	int t, f, fd, checked = 0;

	(void)state;
	need_kernel_and_bpftool();
	assert_int_equal(mkdir(d_progs, 0700), 0);	/* removed by the teardown */
	snprintf(arr, sizeof(arr), "%s/ext_arr", d_progs);
	snprintf(hash, sizeof(hash), "%s/ext_hash", d_progs);
	cu_expect_ok(&r, CU_RUN(&r, "map", "create", arr, "type", "array", "key", "4", "value", "8",
			      "entries", "1", "name", "ext_arr"));
	proc_run_free(&r);
	cu_expect_ok(&r, CU_RUN(&r, "map", "create", hash, "type", "hash", "key", "4", "value", "8",
			      "entries", "4", "name", "ext_hash"));
	proc_run_free(&r);
	snprintf(args, sizeof(args), "map show pinned %s", arr);
	id_arr = bpftool_field(args, "id");
	snprintf(args, sizeof(args), "map show pinned %s", hash);
	id_hash = bpftool_field(args, "id");
	assert_non_null(id_arr);
	assert_non_null(id_hash);
	fd = obj_get(arr);
	assert_true(fd >= 0);
	val[0] = 7;
	assert_int_equal(map_elem(BPF_MAP_UPDATE_ELEM, fd, 0, val), 0);
	close(fd);
	for (f = 0; f < 3; f++) {
		bool is_hash = forms[f][1][0] == 'r' && !strcmp(forms[f][1], "reuse_hash");
		const char *handle = !strcmp(forms[f][2], "id") ? id_arr : is_hash ? hash : arr;

		id = is_hash ? id_hash : id_arr;
		for (t = 0; t < 2; t++) {
			snprintf(pin, sizeof(pin), "%s/p_%d_%d", d_progs, f, t);
			if (t == 0) {
				cu_expect_ok(&r, CU_RUN(&r, "prog", "load", FIX "map_reuse.bpf.o", pin,
						      "map", forms[f][0], forms[f][1], forms[f][2],
						      handle));
				assert_string_equal(r.err, "");
				proc_run_free(&r);
			} else {
				char cmd[600], *out;

				snprintf(cmd, sizeof(cmd), "%s prog load %s %s map %s %s %s %s 2>&1 "
					 "&& echo LOADED", bpftool, FIX "map_reuse.bpf.o", pin,
					 forms[f][0], forms[f][1], forms[f][2], handle);
				out = proc_capture(cmd);
				if (!out || !strstr(out, "LOADED"))
					fail_msg("%s failed: %s", cmd, out ? out : "");
				free(out);
			}
			if (!prog_uses_map(pin, id))
				fail_msg("%s map %s %s: map %s not among the program's maps", tools[t],
					 forms[f][0], forms[f][1], id);
			/* the hash is empty: the program falls back to reuse_arr (its own: 0) */
			assert_int_equal(xdp_retval(pin), is_hash ? 0 : 7);
			checked++;
		}
	}
	/* the hash now holds 9 at key 0: the programs that reuse it see it */
	fd = obj_get(hash);
	assert_true(fd >= 0);
	val[0] = 9;
	assert_int_equal(map_elem(BPF_MAP_UPDATE_ELEM, fd, 0, val), 0);
	close(fd);
	for (t = 0; t < 2; t++) {
		snprintf(pin, sizeof(pin), "%s/p_2_%d", d_progs, t);
		assert_int_equal(xdp_retval(pin), 9);
		snprintf(pin, sizeof(pin), "%s/p_0_%d", d_progs, t);
		assert_int_equal(xdp_retval(pin), 7);	/* its own reuse_hash: empty */
	}
	assert_int_equal(checked, 6);

	/* unknown idx / name: bpftool's line, exit non-zero, nothing pinned */
	{
		static const char *const bad[][3] = {
			{ "idx", "9", "map idx '9' not used" },
			{ "name", "nope", "unable to find map 'nope'" },
		};

		for (f = 0; f < 2; f++) {
			char cmd[600], *out, want[96];

			snprintf(pin, sizeof(pin), "%s/never", d_progs);
			assert_int_not_equal(CU_RUN(&r, "prog", "load", FIX "map_reuse.bpf.o", pin,
						    "map", bad[f][0], bad[f][1], "pinned", arr), 0);
			snprintf(want, sizeof(want), "barebpf: %s\n", bad[f][2]);
			assert_string_equal(r.err, want);
			proc_run_free(&r);
			assert_false(cu_exists(pin));
			snprintf(cmd, sizeof(cmd), "%s prog load %s %s map %s %s pinned %s 2>&1",
				 bpftool, FIX "map_reuse.bpf.o", pin, bad[f][0], bad[f][1], arr);
			out = proc_capture(cmd);
			snprintf(want, sizeof(want), "Error: %s\n", bad[f][2]);
			if (!out || !strstr(out, want))
				fail_msg("bpftool says: %s", out ? out : "");
			free(out);
			assert_false(cu_exists(pin));
		}
	}
	free(id_arr);
	free(id_hash);
}

/* A private network namespace with a veth pair, removed by dev_teardown. */
static char dev_ns[64], dev_veth[IFNAMSIZ];

static int dev_teardown(void **state)
{
	char cmd[160];

	if (dev_ns[0]) {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", dev_ns);
		if (system(cmd))
			fprintf(stderr, "cannot remove netns %s\n", dev_ns);
		dev_ns[0] = '\0';
	}
	return teardown(state);
}

/* "ip netns exec NS TOOL prog load OBJ PIN dev DEV": its stderr and stdout, and "rc=N". */
static char *dev_load(const char *tool, const char *obj, const char *dev)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "ip netns exec %s %s prog load %s %s/p dev %s 2>&1; echo rc=$?",
		 dev_ns, tool, obj, d_progs, dev);
	return proc_capture(cmd);
}

/*
 * prog load OBJ PATH dev NAME on a veth, which cannot offload: the kernel
 * refuses the program (or, first, the map) for both tools; barebpf says so
 * on one line naming it and the errno, bpftool's libbpf with the same errno;
 * exit 1 (bpftool 255) and nothing pinned. An unknown device: bpftool's line.
 */
static void test_load_dev_veth(void **state)
{
	static const struct {
		const char *obj, *ours, *ref;
	} cases[] = {
		{ FIX "dev_bound.bpf.o", "barebpf: dev_bound: program 'dev_xdp': load failed "
		  "(section 'xdp'): -EINVAL\nrc=1\n",
		  "libbpf: prog 'dev_xdp': BPF program load failed: Invalid argument\n" },
		{ FIX "map_reuse.bpf.o", "barebpf: map_reuse: map 'reuse_arr': creation failed: "
		  "-EINVAL\nrc=1\n",
		  "libbpf: map 'reuse_arr': failed to create: Invalid argument(-22)\n" },
	};
	char cmd[300], *o;
	size_t i;

	(void)state;
	need_kernel_and_bpftool();
	snprintf(dev_ns, sizeof(dev_ns), "bbpf_dev_%d", (int)getpid());
	snprintf(dev_veth, sizeof(dev_veth), "bbd%da", (int)getpid() % 10000000);
	snprintf(cmd, sizeof(cmd), "ip netns add %s && ip -n %s link add %s type veth peer name "
		 "%.*sb", dev_ns, dev_ns, dev_veth, (int)strlen(dev_veth) - 1, dev_veth);
	if (system(cmd))
		fail_msg("cannot make netns %s with veth %s", dev_ns, dev_veth);
	assert_int_equal(mkdir(d_progs, 0700), 0);	/* removed by the teardown */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = dev_load(CU_CLI, cases[i].obj, dev_veth);
		assert_non_null(o);
		assert_string_equal(o, cases[i].ours);
		free(o);
		o = dev_load(bpftool, cases[i].obj, dev_veth);
		assert_non_null(o);
		if (!strstr(o, cases[i].ref) || !strstr(o, "Error: failed to load object file\n") ||
		    !strstr(o, "rc=255\n"))
			fail_msg("bpftool: %s", o);
		free(o);
		snprintf(cmd, sizeof(cmd), "%s/p", d_progs);
		assert_false(cu_exists(cmd));	/* nothing pinned */
	}
	o = dev_load(CU_CLI, FIX "dev_bound.bpf.o", "bbpf_no_such");
	assert_string_equal(o, "barebpf: unrecognized netdevice 'bbpf_no_such': No such device\nrc=1\n");
	free(o);
	o = dev_load(bpftool, FIX "dev_bound.bpf.o", "bbpf_no_such");
	assert_non_null(strstr(o, "Error: unrecognized netdevice 'bbpf_no_such': No such device\n"));
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_loadall_like_bpftool, teardown),
		cmocka_unit_test_teardown(test_loadall_type_override, teardown),
		cmocka_unit_test_teardown(test_autoattach_link_survives, teardown),
		cmocka_unit_test_teardown(test_autoattach_fallbacks, teardown),
		cmocka_unit_test_teardown(test_loadall_kconfig_file, teardown),
		cmocka_unit_test_teardown(test_load_map_reuse, teardown),
		cmocka_unit_test_teardown(test_load_dev_veth, dev_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, teardown);
}
