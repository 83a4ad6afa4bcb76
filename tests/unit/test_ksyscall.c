// SPDX-License-Identifier: BSD-2-Clause
/*
 * System call entry points for kprobes (src/kern/ksyscall.c): the prefix
 * comes from the running kernel's machine (uname), for every architecture
 * libbpf knows; LINUX_HAS_SYSCALL_WRAPPER is a kprobe on "<prefix>sys_bpf"
 * that can be made, probed once; without the kprobe PMU (this machine's
 * kernel) the answer is no, as libbpf's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <cmocka.h>

#include "kern/kern.h"
#include "fake_sys.h"

/* The table's ctx is &script, the first member: hooks get the env. */
struct env {
	struct fs_script script;
	struct bbpf_sys sys;
	const char *machine;
	char probed[128];	/* kprobe_func of the last perf_event_open */
	long perf_result;
	struct bbpf_ctx *ctx;
};

static long e_uname(void *c, struct utsname *u)
{
	struct env *e = c;

	memset(u, 0, sizeof(*u));
	snprintf(u->machine, sizeof(u->machine), "%s", e->machine);
	return 0;
}

static long e_perf(void *c, struct perf_event_attr *a, pid_t p, int cpu, int g, unsigned long f)
{
	struct env *e = c;

	(void)p; (void)cpu; (void)g; (void)f;
	snprintf(e->probed, sizeof(e->probed), "%s", (const char *)(uintptr_t)a->config1);
	return e->perf_result < 0 ? e->perf_result : fs_script_new_fd(&e->script);
}

static struct env *env_new(const char *machine, bool pmu, long perf_result)
{
	struct env *e = calloc(1, sizeof(*e));
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_sys inner;

	assert_non_null(e);
	inner = fs_script_init(&e->script);
	if (pmu)
		fs_script_add_file(&e->script, "/sys/bus/event_source/devices/kprobe/type", "6\n", 2);
	e->machine = machine;
	e->perf_result = perf_result;
	e->sys = inner;
	e->sys.uname = e_uname;
	e->sys.perf_event_open = e_perf;
	co.sys = &e->sys;
	assert_int_equal(bbpf_ctx_new(&e->ctx, &co), 0);
	return e;
}

static void env_free(struct env *e)
{
	bbpf_ctx_free(e->ctx);
	assert_int_equal(fs_script_open_fds(&e->script), 0);
	fs_script_fini(&e->script);
	free(e);
}

static void test_prefix_per_machine(void **state)
{
	static const struct {
		const char *machine, *prefix;
	} cases[] = {
		{ "x86_64", "__x64_" }, { "i686", "__ia32_" }, { "i386", "__ia32_" },
		{ "aarch64", "__arm64_" }, { "armv7l", "__arm_" }, { "s390x", "__s390x_" },
		{ "s390", "__s390_" }, { "riscv64", "__riscv_" }, { "ppc64le", "__powerpc64_" },
		{ "ppc", "__powerpc_" }, { "loongarch64", "__loongarch_" }, { "mips64", "__mips_" },
		{ "sparc64", "" }, { "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct env *e = env_new(cases[i].machine, false, 0);

		assert_string_equal(bbpf_ksyscall_prefix(e->ctx), cases[i].prefix);
		env_free(e);
	}
}

static void test_wrapper_probe(void **state)
{
	struct env *e;
	char buf[64];

	(void)state;
	/* the kprobe PMU takes "__arm64_sys_bpf": wrapped entry points */
	e = env_new("aarch64", true, 0);
	assert_true(bbpf_ksyscall_has_wrapper(e->ctx));
	assert_string_equal(e->probed, "__arm64_sys_bpf");
	assert_int_equal(bbpf_ksyscall_entry(e->ctx, "openat", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "__arm64_sys_openat");
	assert_int_equal(bbpf_ksyscall_entry(e->ctx, "openat", buf, 10), -ENAMETOOLONG);
	env_free(e);

	/* the kernel refuses the probe: plain names */
	e = env_new("x86_64", true, -ENOENT);
	assert_false(bbpf_ksyscall_has_wrapper(e->ctx));
	assert_string_equal(e->probed, "__x64_sys_bpf");
	assert_int_equal(bbpf_ksyscall_entry(e->ctx, "openat", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "__se_sys_openat");
	env_free(e);

	/* no kprobe PMU (this machine): no, without a probe */
	e = env_new("x86_64", false, 0);
	assert_false(bbpf_ksyscall_has_wrapper(e->ctx));
	assert_string_equal(e->probed, "");
	/* asked once per context */
	e->perf_result = 0;
	assert_false(bbpf_ksyscall_has_wrapper(e->ctx));
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_per_machine),
		cmocka_unit_test(test_wrapper_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
