// SPDX-License-Identifier: GPL-2.0
/*
 * globals.bpf.c - global data sections, each becoming an internal array map:
 *   .data     initialised globals (scalar, array, struct, static)
 *   .rodata   const volatile globals (frozen after load), plus string consts
 *   .bss      zero-initialised globals (scalar, array, struct, static)
 *   .data.foo / .rodata.bar   custom-named data sections
 * Programs read and write all of them, so every variable has a relocation
 * (ld_imm64 with a section-relative offset). Meant to load.
 * A custom .bss.* section is in globals_bss_custom.bpf.c: libbpf 1.1.2
 * skips .bss.* sections and then fails, so it cannot share this file.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct settings {
	int mode;
	unsigned int limit;
	char tag[8];
};

struct stats {
	__u64 calls;
	__u64 last_pid;
	__u32 hist[4];
};

/* .data */
int data_int = 7;
__u64 data_arr[4] = { 1, 2, 3, 4 };
struct settings data_cfg = { .mode = 1, .limit = 100, .tag = "data" };
static int data_static = 5;

/* .rodata */
const volatile int ro_int = 3;
const volatile __u32 ro_arr[3] = { 10, 20, 30 };
const volatile struct settings ro_cfg = { .mode = 2, .limit = 50, .tag = "ro" };
static const volatile int ro_static = 9;

/* .bss */
int bss_int;
__u64 bss_arr[8];
struct stats bss_stats;
static __u32 bss_static;

/* custom sections */
int foo_int SEC(".data.foo") = 42;
char foo_str[8] SEC(".data.foo") = "foo";
const volatile int bar_int SEC(".rodata.bar") = 43;
const volatile __u64 bar_arr[2] SEC(".rodata.bar") = { 0x1122334455667788ULL, 0 };

SEC("tp/syscalls/sys_enter_getpid")
int touch_std(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u32 i = pid & 3;

	bss_stats.calls++;
	bss_stats.last_pid = pid;
	bss_stats.hist[i]++;
	bss_arr[pid & 7] += ro_arr[pid & 1];

	if (data_cfg.mode == ro_cfg.mode)
		return 0;
	data_int += ro_int + ro_static;
	data_arr[i] += data_static;
	bss_int = data_cfg.limit + ro_cfg.limit;
	bss_static++;
	data_static++;
	if (ro_cfg.tag[0] == 'r')
		data_cfg.tag[7] = 0;
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int touch_custom(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	foo_int += bar_int;
	foo_str[pid & 7] = 'x';
	bss_arr[pid & 7] = bar_arr[0];
	bpf_printk("foo=%d", foo_int);
	return 0;
}
