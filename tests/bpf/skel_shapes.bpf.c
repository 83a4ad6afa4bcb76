// SPDX-License-Identifier: BSD-2-Clause
/*
 * skel_shapes.bpf.c: every data-section shape a skeleton must lay out
 * (tests/diff/test_skel_diff.c): .data/.bss/.rodata with padding after a
 * char, arrays, structs with bitfields, char[], a typedef, a static
 * variable (left out of the skeleton), custom .data.custom and
 * .rodata.custom sections with a variable past a 70000-byte array, and
 * .kconfig externs. copy() (a syscall program, run with BPF_PROG_TEST_RUN)
 * folds the inputs into .bss so a test can check both directions.
 * (.bss.NAME sections: globals_bss_custom.bpf.c; libbpf 1.1 refuses them.)
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include "skel_shapes.h"

char LICENSE[] SEC("license") = "GPL";

/* .data */
char d_char = 1;
long long d_ll = 2;
int d_arr[5] = { 1, 2, 3, 4, 5 };
struct shape_bits d_bits = { .a = 5, .b = 1000, .c = -3, .d = 7, .e = 123456789 };
char d_name[13] = "shape-name";
static int d_static = 42;
shape_pair_t d_pair = { 'p', 99 };
unsigned char d_tail = 9;

/* .bss */
bool b_flag;
unsigned long long b_out[4];
struct shape_bits b_bits;
char b_str[13];
short b_short;
long long b_calls;

/* .rodata */
const volatile int r_int = 7;
const volatile char r_chars[3] = { 'a', 'b', 'c' };
const volatile struct shape_pair r_pair = { 'r', 77 };

/* custom sections */
int cd_a SEC(".data.custom") = 11;
char cd_big[70000] SEC(".data.custom") = { 1 };
long long cd_after_big SEC(".data.custom") = 12;
const volatile int cr_a SEC(".rodata.custom") = 13;
const volatile short cr_b SEC(".rodata.custom") = 14;

/* .kconfig */
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;

SEC("syscall")
int copy(void *ctx)
{
	d_static++;
	b_calls++;
	b_flag = CONFIG_BPF_SYSCALL;
	b_short = d_char + d_tail;
	b_out[0] = d_ll + d_arr[4] + d_pair.val;
	b_out[1] = r_int + r_pair.val + r_chars[2];
	b_out[2] = cd_after_big + cd_a + cr_a + cr_b + cd_big[0];
	b_out[3] = LINUX_KERNEL_VERSION ? 1 : 0;
	b_bits = d_bits;
	b_bits.e += 1;
	__builtin_memcpy(b_str, d_name, sizeof(b_str));
	return 0;
}
