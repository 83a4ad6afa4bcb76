// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes.bpf.c - the tracing kinds that need a kernel with kprobes,
 * trampolines and the BPF LSM: the 6.1 guest (tests/kernels/attach_check.c).
 * Every program counts its runs for the process in my_pid (set before
 * load); the guest's helper calls getpid(2) and open(2) and reads the
 * counters back. x86-64 symbols: the guest is x86-64.
 *
 *  - kprobe/, kretprobe/ on __x64_sys_getpid (auto-attach: kprobe PMU and
 *    a perf link on 6.1)
 *  - ksyscall/getpid, kretsyscall/getpid (through the syscall wrapper)
 *  - fentry/, fexit/ on do_sys_openat2 (syscall wrappers have no BTF);
 *    fmod_ret/security_file_open (returns 0: the open goes on);
 *    lsm/file_open (returns 0: allowed)
 *  - a bare SEC("kprobe") for bbpf_program_attach_kprobe() in each
 *    attach mode, recording its cookie
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

int my_pid;
__u64 kp_hits, kret_hits, ksys_hits, kretsys_hits;
__u64 fentry_hits, fexit_hits, fmodret_hits, lsm_hits;
__u64 api_hits, api_cookie;

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == (__u64)my_pid;
}

SEC("kprobe/__x64_sys_getpid")
int kp_getpid(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&kp_hits, 1);
	return 0;
}

SEC("kretprobe/__x64_sys_getpid")
int kret_getpid(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&kret_hits, 1);
	return 0;
}

SEC("ksyscall/getpid")
int ksys_getpid(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&ksys_hits, 1);
	return 0;
}

SEC("kretsyscall/getpid")
int kretsys_getpid(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&kretsys_hits, 1);
	return 0;
}

SEC("fentry/do_sys_openat2")
int BPF_PROG(fentry_getpid)
{
	if (mine())
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

SEC("fexit/do_sys_openat2")
int BPF_PROG(fexit_getpid)
{
	if (mine())
		__sync_fetch_and_add(&fexit_hits, 1);
	return 0;
}

SEC("fmod_ret/security_file_open")
int BPF_PROG(fmodret_open)
{
	if (mine())
		__sync_fetch_and_add(&fmodret_hits, 1);
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(lsm_open)
{
	if (mine())
		__sync_fetch_and_add(&lsm_hits, 1);
	return 0;
}

SEC("kprobe")
int api_kprobe(void *ctx)
{
	if (!mine())
		return 0;
	__sync_fetch_and_add(&api_hits, 1);
	api_cookie = bpf_get_attach_cookie(ctx);
	return 0;
}
