// SPDX-License-Identifier: GPL-2.0
/*
 * run_execsnoop.bpf.c - in the style of bcc's libbpf-tools execsnoop (perf
 * buffer flavour), for `barebpf run` (tests/kernel/test_run_events.c): every
 * execve() entry sends a struct exec_event (pid, uid, comm, the first
 * argument) to a perf event array with bpf_perf_event_output on the current
 * CPU; the record is 16 bytes shorter than the struct (a variable-length
 * tail, as real tools send; the sample is then padded to 8 bytes), so `run`
 * decodes only the fields that fit. struct
 * exec_event is anchored in the BTF by a global pointer.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct exec_event {
	int pid;
	unsigned int uid;
	char comm[16];
	char arg0[64];
	char tail[16];		/* never sent */
};

struct exec_event *exec_event_btf_anchor;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_event);
} scratch SEC(".maps");

struct sys_enter_execve {
	unsigned long long unused;
	long syscall_nr;
	const char *filename;
	const char *const *argv;
};

SEC("tp/syscalls/sys_enter_execve")
int on_execve(struct sys_enter_execve *ctx)
{
	__u32 zero = 0;
	struct exec_event *e = bpf_map_lookup_elem(&scratch, &zero);
	const char *arg0 = 0;

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (unsigned int)bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user(&arg0, sizeof(arg0), &ctx->argv[0]);
	bpf_probe_read_user_str(e->arg0, sizeof(e->arg0), arg0);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e) - sizeof(e->tail));
	return 0;
}
