// SPDX-License-Identifier: BSD-2-Clause
/*
 * `barebpf inspect --check` on this kernel (6.18: no kprobes, BPF
 * trampolines refused with EPERM), offline against this kernel's BTF and
 * crafted .config files, the JSON shape, and usage errors (exit 2).
 * The guest of tests/kernels (6.1, kprobes and trampolines) checks that
 * the same kprobes.bpf.o passes there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "kernel_avail.h"

#define FIX(name) BBPF_FIXTURE_DIR "/" name
#define VMLINUX "/sys/kernel/btf/vmlinux"

static const char *const kprobe_progs[] = {
	"kp_getpid", "kret_getpid", "ksys_getpid", "kretsys_getpid", "api_kprobe",
};
static const char *const tramp_progs[] = {
	"fentry_getpid", "fexit_getpid", "fmodret_open", "lsm_open",
};

/* The line of stdout about program prog's attach target; NULL if none. */
static const char *attach_line(const char *out, const char *prog, char *buf, size_t size)
{
	char head[128];
	const char *p;

	snprintf(head, sizeof(head), "program %s: attach ", prog);
	for (p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, head, strlen(head))) {
			snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
			return buf;
		}
	}
	return NULL;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* kprobes.bpf.o here: every kprobe program lacks kprobe support, every trampoline is refused. */
static void test_check_kprobes_here(void **state)
{
	struct proc_run r;
	char line[512];
	size_t i;

	(void)state;
	TK_NEED_KERNEL();
	/* what makes this kernel the one the expectations are for */
	assert_false(cu_exists("/sys/bus/event_source/devices/kprobe"));
	assert_int_equal(CU_RUN(&r, "inspect", FIX("kprobes.bpf.o"), "--check"), 1);
	for (i = 0; i < sizeof(kprobe_progs) / sizeof(kprobe_progs[0]); i++) {
		if (!attach_line(r.out, kprobe_progs[i], line, sizeof(line)))
			fail_msg("no line for %s in:\n%s", kprobe_progs[i], r.out);
		assert_non_null(strstr(line, "no kprobe support"));
	}
	for (i = 0; i < sizeof(tramp_progs) / sizeof(tramp_progs[0]); i++) {
		if (!attach_line(r.out, tramp_progs[i], line, sizeof(line)))
			fail_msg("no line for %s in:\n%s", tramp_progs[i], r.out);
		assert_non_null(strstr(line, "BPF trampoline refused: Operation not permitted"));
	}
	/* one line per missing item, nothing else */
	assert_int_equal(proc_line_count(r.out), 9);
	assert_non_null(strstr(r.err, "9 missing"));
	proc_run_free(&r);
}

/* Only tracepoints, maps and helpers every kernel here has: exit 0, nothing printed. */
static void test_check_tracepoints_pass(void **state)
{
	static const char *const objs[] = { FIX("req_tp.bpf.o"), FIX("core.bpf.o") };
	struct proc_run r;
	size_t i;

	(void)state;
	TK_NEED_KERNEL();
	for (i = 0; i < 2; i++) {
		if (CU_RUN(&r, "inspect", objs[i], "--check") != 0)
			fail_msg("%s: exit %d:\n%s%s", objs[i], WEXITSTATUS(r.status), r.out, r.err);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, " 0 missing"));
		proc_run_free(&r);
	}
}

static const struct jm_value *find_item(const struct jm_value *reqs, const char *name,
					const char *what, const char *value)
{
	size_t i;

	for (i = 0; i < reqs->len; i++) {
		const struct jm_value *it = &reqs->items[i];

		if (!strcmp(jm_get(it, "name")->str, name) && !strcmp(jm_get(it, "what")->str, what) &&
		    (!value || !strcmp(jm_get(it, "value")->str, value)))
			return it;
	}
	fail_msg("no %s %s %s", name, what, value ? value : "");
	return NULL;
}

static void test_json_shape(void **state)
{
	static const char *const keys[] = { "owner", "name", "what", "value", "id", "status", "reason" };
	static const char *const st[] = { "ok", "missing", "fallback", "unchecked" };
	const struct jm_value *reqs, *it;
	struct jm_value *doc;
	struct proc_run r;
	size_t i, k, missing = 0;

	(void)state;
	TK_NEED_KERNEL();
	assert_int_equal(CU_RUN(&r, "-j", "inspect", FIX("kprobes.bpf.o"), "--check"), 1);
	assert_string_equal(r.err, "");
	doc = jm_parse(r.out);
	assert_non_null(doc);
	assert_string_equal(jm_get(doc, "object")->str, "kprobes");
	assert_string_equal(jm_get(doc, "kernel")->str, "running");
	assert_int_equal(jm_get(doc, "btf")->type, JM_NULL);
	reqs = jm_get(doc, "requirements");
	assert_int_equal(reqs->type, JM_ARRAY);
	assert_true(reqs->len >= 30);
	for (i = 0; i < reqs->len; i++) {
		bool known = false;

		it = &reqs->items[i];
		assert_int_equal(it->type, JM_OBJECT);
		assert_int_equal(it->len, 7);
		for (k = 0; k < 7; k++)
			assert_string_equal(it->keys[k], keys[k]);
		for (k = 0; k < 4; k++)
			known |= !strcmp(jm_get(it, "status")->str, st[k]);
		assert_true(known);
		if (!strcmp(jm_get(it, "status")->str, "missing")) {
			missing++;
			assert_int_equal(jm_get(it, "reason")->type, JM_STRING);
		}
	}
	assert_int_equal(jm_get(doc, "missing")->num, 9);
	assert_int_equal(missing, 9);
	it = find_item(reqs, "kp_getpid", "helper", "bpf_get_current_pid_tgid");
	assert_int_equal(jm_get(it, "id")->num, 14);
	assert_string_equal(jm_get(it, "owner")->str, "program");
	jm_free(doc);
	proc_run_free(&r);

	/* --requirements alone: the same items, no status */
	assert_int_equal(CU_RUN(&r, "-j", "inspect", FIX("req_tp.bpf.o"), "--requirements"), 0);
	doc = jm_parse(r.out);
	assert_non_null(doc);
	assert_null(jm_get(doc, "missing"));
	reqs = jm_get(doc, "requirements");
	assert_null(jm_get(&reqs->items[0], "status"));
	it = find_item(reqs, "rq_hash", "map_flags", "0x1");
	assert_string_equal(jm_get(it, "owner")->str, "map");
	find_item(reqs, "rq_rb", "map_type", "ringbuf");
	find_item(reqs, "rq_tp", "core_type", "struct task_struct");
	find_item(reqs, "rq_tp", "kconfig", "CONFIG_HZ (weak)");
	find_item(reqs, "rq_tp", "attach", "tracepoint syscalls/sys_enter_getpid");
	find_item(reqs, "rq_raw", "attach", "raw_tp sys_enter");
	find_item(reqs, "rq_raw", "helper", "bpf_ringbuf_output");
	find_item(reqs, "req_tp", "btf_kind", "DATASEC");
	jm_free(doc);
	proc_run_free(&r);
}

/* Another kernel: this one's BTF and a .config written here. */
static void test_offline(void **state)
{
	char good[64], bad[64], line[512];
	struct proc_run r;
	size_t i;

	(void)state;
	TK_NEED_KERNEL();
	if (!cu_exists(VMLINUX))
		fail_msg(VMLINUX " missing");
	snprintf(good, sizeof(good), "/tmp/bbpf_req_good_%d.config", (int)getpid());
	snprintf(bad, sizeof(bad), "/tmp/bbpf_req_bad_%d.config", (int)getpid());
	write_file(good, "CONFIG_KPROBE_EVENTS=y\nCONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y\n"
			 "CONFIG_BPF_LSM=y\nCONFIG_FTRACE_SYSCALLS=y\nCONFIG_HZ=250\n"
			 "CONFIG_BPF_SYSCALL=y\nCONFIG_DEFAULT_HOSTNAME=\"x\"\n");
	write_file(bad, "# CONFIG_KPROBE_EVENTS is not set\nCONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y\n"
			"CONFIG_FTRACE_SYSCALLS=y\nCONFIG_HZ=250\n");

	/* a kernel with kprobes and trampolines: kprobes.bpf.o would load */
	if (CU_RUN(&r, "inspect", FIX("kprobes.bpf.o"), "--check", "btf", VMLINUX, "kconfig", good))
		fail_msg("exit %d:\n%s%s", WEXITSTATUS(r.status), r.out, r.err);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "inspect", FIX("externs.bpf.o"), "--check", "kconfig", good,
				"btf", VMLINUX), 0);
	proc_run_free(&r);

	/* without kprobes and BPF LSM */
	assert_int_equal(CU_RUN(&r, "inspect", FIX("kprobes.bpf.o"), "--check", "btf", VMLINUX,
				"kconfig", bad), 1);
	for (i = 0; i < sizeof(kprobe_progs) / sizeof(kprobe_progs[0]); i++) {
		assert_non_null(attach_line(r.out, kprobe_progs[i], line, sizeof(line)));
		assert_non_null(strstr(line, "CONFIG_KPROBE_EVENTS is not y"));
	}
	assert_non_null(attach_line(r.out, "lsm_open", line, sizeof(line)));
	assert_non_null(strstr(line, "CONFIG_BPF_LSM is not y"));
	assert_null(attach_line(r.out, "fentry_getpid", line, sizeof(line)));
	assert_int_equal(proc_line_count(r.out), 6);
	proc_run_free(&r);

	/* strong .kconfig values the config lacks; the weak one and LINUX_* are fine */
	assert_int_equal(CU_RUN(&r, "inspect", FIX("externs.bpf.o"), "--check", "btf", VMLINUX,
				"kconfig", bad), 1);
	assert_non_null(strstr(r.out, "program read_kconfig: kconfig CONFIG_BPF_LSM: not in the kernel's config\n"));
	assert_non_null(strstr(r.out, "program read_kconfig: kconfig CONFIG_DEFAULT_HOSTNAME:"));
	assert_null(strstr(r.out, "CONFIG_HZ"));
	assert_null(strstr(r.out, "LINUX_"));
	assert_null(strstr(r.out, "CONFIG_BAREBPF_NOT_A_REAL_OPTION"));
	assert_int_equal(proc_line_count(r.out), 3);
	proc_run_free(&r);

	/* a kfunc the BTF lacks, found by name in another BTF: the object's own */
	assert_int_equal(CU_RUN(&r, "inspect", FIX("externs.bpf.o"), "--check", "btf",
				FIX("req_tp.bpf.o"), "kconfig", good), 1);
	assert_non_null(strstr(r.out, "program use_kfuncs: kfunc bpf_task_acquire: not in the kernel's BTF\n"));
	assert_null(strstr(r.out, "barebpf_no_such_kfunc"));	/* weak */
	proc_run_free(&r);
	unlink(good);
	unlink(bad);
}

static void test_usage_errors(void **state)
{
	struct proc_run r;

	(void)state;
	assert_int_equal(CU_RUN(&r, "inspect", "--check"), 2);
	assert_non_null(strstr(r.err, "missing object file"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "inspect", FIX("req_tp.bpf.o"), "--check", "btf"), 2);
	assert_non_null(strstr(r.err, "btf needs a FILE"));
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "inspect", FIX("req_tp.bpf.o"), "--check", "kconfig", "a",
				"kconfig", "b"), 2);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "inspect", FIX("req_tp.bpf.o"), "--requirements", "--bogus"), 2);
	proc_run_free(&r);
	/* btf/kconfig without --check: an extra argument */
	assert_int_equal(CU_RUN(&r, "inspect", FIX("req_tp.bpf.o"), "--requirements", "btf", "x"), 2);
	proc_run_free(&r);
	/* JSON: the error as a document on stdout, nothing on stderr */
	assert_int_equal(CU_RUN(&r, "-j", "inspect", "--requirements"), 2);
	assert_non_null(strstr(r.out, "\"error\""));
	assert_string_equal(r.err, "");
	proc_run_free(&r);
	/* a file that cannot be read is a failure, not a usage error */
	assert_int_equal(CU_RUN(&r, "inspect", "/nonexistent.bpf.o", "--check"), 1);
	proc_run_free(&r);
	assert_int_equal(CU_RUN(&r, "inspect", FIX("req_tp.bpf.o"), "--check", "btf",
				"/nonexistent"), 1);
	proc_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_kprobes_here),
		cmocka_unit_test(test_check_tracepoints_pass),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_offline),
		cmocka_unit_test(test_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
