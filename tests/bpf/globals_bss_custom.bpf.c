// SPDX-License-Identifier: GPL-2.0
/*
 * globals_bss_custom.bpf.c - a custom-named zero-initialised section
 * SEC(".bss.baz") (SHT_NOBITS), next to the plain .bss and a .data.foo.
 * libbpf 1.1.2 (bpftool 7.1) skips ".bss.*" and then rejects the relocation
 * ("bad map relo"), so this fixture does not load with bpftool here; a
 * loader that treats .bss.* like .data.* / .rodata.* loads it fine.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int plain_bss;
int foo_int SEC(".data.foo") = 1;
int baz_int SEC(".bss.baz");
__u64 baz_arr[2] SEC(".bss.baz");

SEC("tp/syscalls/sys_enter_getpid")
int touch_baz(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	baz_int += foo_int;
	baz_arr[pid & 1] = pid;
	plain_bss++;
	return 0;
}
