// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * minimal.bpf.c - the smallest useful BPF object, in the spirit of
 * libbpf-bootstrap's "minimal" example (written from scratch for barebpf).
 *
 * One tracepoint program on syscalls:sys_enter_write. User space writes its
 * own PID into my_pid (lives in .bss) after opening the object; the program
 * ignores every other process, prints a line to the trace pipe and bumps
 * write_count (also .bss) so the loader can read the count back through the
 * .bss map.
 *
 * Sections produced: tp/syscalls/sys_enter_write, license, .bss,
 * .rodata (the bpf_printk format string), .BTF, .BTF.ext, symtab, relocs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

int my_pid = 0;
unsigned long long write_count = 0;

SEC("tp/syscalls/sys_enter_write")
int handle_tp(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (pid != my_pid)
		return 0;

	__sync_fetch_and_add(&write_count, 1);
	bpf_printk("BPF triggered from PID %d.\n", pid);
	return 0;
}
