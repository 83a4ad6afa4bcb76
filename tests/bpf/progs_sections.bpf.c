// SPDX-License-Identifier: GPL-2.0
/*
 * progs_sections.bpf.c - one program per SEC() name convention, for the
 * open-phase section -> (prog_type, expected_attach_type, attach target)
 * table. Not meant to load as a whole on the test kernel: kprobes are not
 * configured, fentry/fexit/fmod_ret/lsm need attach targets libbpf 1.1
 * resolves at load, and tcx/ netfilter are unknown to libbpf 1.1.
 * The loadable subset is in progs_loadable.bpf.c.
 *
 * Also: two programs in one section ("socket"), a static .text subprogram
 * called from two programs, a global .text function, and "?" (autoload-off)
 * sections.
 */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

static __noinline int shared_sub(int x)
{
	return x & 1;
}

__noinline int shared_global(int x)
{
	return x > 0 ? 1 : 0;
}

/* ---- tracing family ---- */
SEC("tp/syscalls/sys_enter_openat")
int s_tp(void *ctx) { return shared_sub(1); }

SEC("tracepoint/syscalls/sys_exit_openat")
int s_tracepoint(void *ctx) { return shared_global(1); }

SEC("raw_tp/sched_process_fork")
int s_raw_tp(struct bpf_raw_tracepoint_args *ctx) { return 0; }

SEC("raw_tracepoint/sched_process_exit")
int s_raw_tracepoint(struct bpf_raw_tracepoint_args *ctx) { return 0; }

SEC("raw_tracepoint.w/bpf_test_finish")
int s_raw_tp_w(struct bpf_raw_tracepoint_args *ctx) { return 0; }

SEC("tp_btf/sched_wakeup")
int s_tp_btf(unsigned long long *ctx) { return 0; }

SEC("kprobe/do_unlinkat")
int s_kprobe(void *ctx) { return shared_sub(2); }

SEC("kretprobe/do_unlinkat")
int s_kretprobe(void *ctx) { return 0; }

SEC("kprobe.multi/do_sys_*")
int s_kprobe_multi(void *ctx) { return 0; }

SEC("uprobe")
int s_uprobe(void *ctx) { return 0; }

SEC("uretprobe//bin/bash:readline")
int s_uretprobe(void *ctx) { return 0; }

SEC("uprobe.s")
int s_uprobe_sleepable(void *ctx) { return 0; }

SEC("usdt")
int s_usdt(void *ctx) { return 0; }

SEC("ksyscall/write")
int s_ksyscall(void *ctx) { return 0; }

SEC("kretsyscall/write")
int s_kretsyscall(void *ctx) { return 0; }

SEC("fentry/do_unlinkat")
int s_fentry(unsigned long long *ctx) { return 0; }

SEC("fexit/do_unlinkat")
int s_fexit(unsigned long long *ctx) { return 0; }

SEC("fmod_ret/bpf_modify_return_test")
int s_fmod_ret(unsigned long long *ctx) { return 0; }

SEC("fentry.s/__x64_sys_getpid")
int s_fentry_sleepable(unsigned long long *ctx) { return 0; }

SEC("lsm/file_open")
int s_lsm(unsigned long long *ctx) { return 0; }

SEC("lsm.s/bprm_committed_creds")
int s_lsm_sleepable(unsigned long long *ctx) { return 0; }

SEC("iter/task")
int s_iter_task(void *ctx) { return 0; }

SEC("perf_event")
int s_perf_event(struct bpf_perf_event_data *ctx) { return 0; }

SEC("syscall")
int s_syscall(void *ctx) { return 0; }

/* ---- networking family ---- */
SEC("xdp")
int s_xdp(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp.frags")
int s_xdp_frags(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp/devmap")
int s_xdp_devmap(struct xdp_md *ctx) { return XDP_PASS; }

SEC("tc")
int s_tc(struct __sk_buff *skb) { return shared_global(skb->len) - 1; }

SEC("classifier")
int s_classifier(struct __sk_buff *skb) { return 0; }

SEC("tcx/ingress")
int s_tcx_ingress(struct __sk_buff *skb) { return 0; }

SEC("tcx/egress")
int s_tcx_egress(struct __sk_buff *skb) { return 0; }

/* two programs in one section */
SEC("socket")
int s_socket_a(struct __sk_buff *skb) { return skb->len; }

SEC("socket")
int s_socket_b(struct __sk_buff *skb) { return 0; }

SEC("sk_skb/stream_verdict")
int s_sk_skb_verdict(struct __sk_buff *skb) { return SK_PASS; }

SEC("sk_skb/stream_parser")
int s_sk_skb_parser(struct __sk_buff *skb) { return skb->len; }

SEC("sk_msg")
int s_sk_msg(struct sk_msg_md *msg) { return SK_PASS; }

SEC("sockops")
int s_sockops(struct bpf_sock_ops *ops) { return 1; }

SEC("cgroup_skb/ingress")
int s_cg_skb_ingress(struct __sk_buff *skb) { return 1; }

SEC("cgroup_skb/egress")
int s_cg_skb_egress(struct __sk_buff *skb) { return 1; }

SEC("cgroup/skb")
int s_cg_skb_plain(struct __sk_buff *skb) { return 1; }

SEC("cgroup/sock_create")
int s_cg_sock_create(struct bpf_sock *sk) { return 1; }

SEC("cgroup/connect4")
int s_cg_connect4(struct bpf_sock_addr *ctx) { return 1; }

SEC("cgroup/sendmsg6")
int s_cg_sendmsg6(struct bpf_sock_addr *ctx) { return 1; }

SEC("cgroup/getsockopt")
int s_cg_getsockopt(struct bpf_sockopt *ctx) { return 1; }

SEC("cgroup/sysctl")
int s_cg_sysctl(struct bpf_sysctl *ctx) { return 1; }

SEC("cgroup/dev")
int s_cg_dev(struct bpf_cgroup_dev_ctx *ctx) { return 1; }

SEC("sk_lookup")
int s_sk_lookup(struct bpf_sk_lookup *ctx) { return SK_PASS; }

SEC("sk_reuseport")
int s_sk_reuseport(struct sk_reuseport_md *md) { return SK_PASS; }

SEC("flow_dissector")
int s_flow_dissector(struct __sk_buff *skb) { return BPF_OK; }

SEC("lwt_in")
int s_lwt_in(struct __sk_buff *skb) { return BPF_OK; }

SEC("lwt_xmit")
int s_lwt_xmit(struct __sk_buff *skb) { return BPF_OK; }

SEC("netfilter")
int s_netfilter(void *ctx) { return 1; /* NF_ACCEPT */ }

/* ---- autoload off ---- */
SEC("?tp/syscalls/sys_enter_close")
int s_tp_off(void *ctx) { return shared_sub(3); }

SEC("?socket")
int s_socket_off(struct __sk_buff *skb) { return 0; }
