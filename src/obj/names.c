// SPDX-License-Identifier: BSD-2-Clause
/*
 * The names bpftool prints for prog, map and attach types ("bpftool feature
 * list_builtins prog_types" and friends), indexed by the kernel's enum value.
 * Pure data. Values past the 6.1 headers use the BBPF_ names from
 * uapi_compat.h; their strings follow upstream libbpf.
 */
#include <errno.h>
#include <string.h>

#include <barebpf/object.h>
#include "../base/fmt.h"
#include "../base/uapi_compat.h"

#define PROG_TYPES(X) \
	X(BPF_PROG_TYPE_UNSPEC, "unspec") \
	X(BPF_PROG_TYPE_SOCKET_FILTER, "socket_filter") \
	X(BPF_PROG_TYPE_KPROBE, "kprobe") \
	X(BPF_PROG_TYPE_SCHED_CLS, "sched_cls") \
	X(BPF_PROG_TYPE_SCHED_ACT, "sched_act") \
	X(BPF_PROG_TYPE_TRACEPOINT, "tracepoint") \
	X(BPF_PROG_TYPE_XDP, "xdp") \
	X(BPF_PROG_TYPE_PERF_EVENT, "perf_event") \
	X(BPF_PROG_TYPE_CGROUP_SKB, "cgroup_skb") \
	X(BPF_PROG_TYPE_CGROUP_SOCK, "cgroup_sock") \
	X(BPF_PROG_TYPE_LWT_IN, "lwt_in") \
	X(BPF_PROG_TYPE_LWT_OUT, "lwt_out") \
	X(BPF_PROG_TYPE_LWT_XMIT, "lwt_xmit") \
	X(BPF_PROG_TYPE_SOCK_OPS, "sock_ops") \
	X(BPF_PROG_TYPE_SK_SKB, "sk_skb") \
	X(BPF_PROG_TYPE_CGROUP_DEVICE, "cgroup_device") \
	X(BPF_PROG_TYPE_SK_MSG, "sk_msg") \
	X(BPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tracepoint") \
	X(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "cgroup_sock_addr") \
	X(BPF_PROG_TYPE_LWT_SEG6LOCAL, "lwt_seg6local") \
	X(BPF_PROG_TYPE_LIRC_MODE2, "lirc_mode2") \
	X(BPF_PROG_TYPE_SK_REUSEPORT, "sk_reuseport") \
	X(BPF_PROG_TYPE_FLOW_DISSECTOR, "flow_dissector") \
	X(BPF_PROG_TYPE_CGROUP_SYSCTL, "cgroup_sysctl") \
	X(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, "raw_tracepoint_writable") \
	X(BPF_PROG_TYPE_CGROUP_SOCKOPT, "cgroup_sockopt") \
	X(BPF_PROG_TYPE_TRACING, "tracing") \
	X(BPF_PROG_TYPE_STRUCT_OPS, "struct_ops") \
	X(BPF_PROG_TYPE_EXT, "ext") \
	X(BPF_PROG_TYPE_LSM, "lsm") \
	X(BPF_PROG_TYPE_SK_LOOKUP, "sk_lookup") \
	X(BPF_PROG_TYPE_SYSCALL, "syscall") \
	X(BBPF_PROG_TYPE_NETFILTER, "netfilter")

#define MAP_TYPES(X) \
	X(BPF_MAP_TYPE_UNSPEC, "unspec") \
	X(BPF_MAP_TYPE_HASH, "hash") \
	X(BPF_MAP_TYPE_ARRAY, "array") \
	X(BPF_MAP_TYPE_PROG_ARRAY, "prog_array") \
	X(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array") \
	X(BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash") \
	X(BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array") \
	X(BPF_MAP_TYPE_STACK_TRACE, "stack_trace") \
	X(BPF_MAP_TYPE_CGROUP_ARRAY, "cgroup_array") \
	X(BPF_MAP_TYPE_LRU_HASH, "lru_hash") \
	X(BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash") \
	X(BPF_MAP_TYPE_LPM_TRIE, "lpm_trie") \
	X(BPF_MAP_TYPE_ARRAY_OF_MAPS, "array_of_maps") \
	X(BPF_MAP_TYPE_HASH_OF_MAPS, "hash_of_maps") \
	X(BPF_MAP_TYPE_DEVMAP, "devmap") \
	X(BPF_MAP_TYPE_SOCKMAP, "sockmap") \
	X(BPF_MAP_TYPE_CPUMAP, "cpumap") \
	X(BPF_MAP_TYPE_XSKMAP, "xskmap") \
	X(BPF_MAP_TYPE_SOCKHASH, "sockhash") \
	X(BPF_MAP_TYPE_CGROUP_STORAGE, "cgroup_storage") \
	X(BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, "reuseport_sockarray") \
	X(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, "percpu_cgroup_storage") \
	X(BPF_MAP_TYPE_QUEUE, "queue") \
	X(BPF_MAP_TYPE_STACK, "stack") \
	X(BPF_MAP_TYPE_SK_STORAGE, "sk_storage") \
	X(BPF_MAP_TYPE_DEVMAP_HASH, "devmap_hash") \
	X(BPF_MAP_TYPE_STRUCT_OPS, "struct_ops") \
	X(BPF_MAP_TYPE_RINGBUF, "ringbuf") \
	X(BPF_MAP_TYPE_INODE_STORAGE, "inode_storage") \
	X(BPF_MAP_TYPE_TASK_STORAGE, "task_storage") \
	X(BPF_MAP_TYPE_BLOOM_FILTER, "bloom_filter") \
	X(BPF_MAP_TYPE_USER_RINGBUF, "user_ringbuf") \
	X(BBPF_MAP_TYPE_CGRP_STORAGE, "cgrp_storage") \
	X(BBPF_MAP_TYPE_ARENA, "arena") \
	X(BBPF_MAP_TYPE_INSN_ARRAY, "insn_array")

#define ATTACH_TYPES(X) \
	X(BPF_CGROUP_INET_INGRESS, "cgroup_inet_ingress") \
	X(BPF_CGROUP_INET_EGRESS, "cgroup_inet_egress") \
	X(BPF_CGROUP_INET_SOCK_CREATE, "cgroup_inet_sock_create") \
	X(BPF_CGROUP_SOCK_OPS, "cgroup_sock_ops") \
	X(BPF_SK_SKB_STREAM_PARSER, "sk_skb_stream_parser") \
	X(BPF_SK_SKB_STREAM_VERDICT, "sk_skb_stream_verdict") \
	X(BPF_CGROUP_DEVICE, "cgroup_device") \
	X(BPF_SK_MSG_VERDICT, "sk_msg_verdict") \
	X(BPF_CGROUP_INET4_BIND, "cgroup_inet4_bind") \
	X(BPF_CGROUP_INET6_BIND, "cgroup_inet6_bind") \
	X(BPF_CGROUP_INET4_CONNECT, "cgroup_inet4_connect") \
	X(BPF_CGROUP_INET6_CONNECT, "cgroup_inet6_connect") \
	X(BPF_CGROUP_INET4_POST_BIND, "cgroup_inet4_post_bind") \
	X(BPF_CGROUP_INET6_POST_BIND, "cgroup_inet6_post_bind") \
	X(BPF_CGROUP_UDP4_SENDMSG, "cgroup_udp4_sendmsg") \
	X(BPF_CGROUP_UDP6_SENDMSG, "cgroup_udp6_sendmsg") \
	X(BPF_LIRC_MODE2, "lirc_mode2") \
	X(BPF_FLOW_DISSECTOR, "flow_dissector") \
	X(BPF_CGROUP_SYSCTL, "cgroup_sysctl") \
	X(BPF_CGROUP_UDP4_RECVMSG, "cgroup_udp4_recvmsg") \
	X(BPF_CGROUP_UDP6_RECVMSG, "cgroup_udp6_recvmsg") \
	X(BPF_CGROUP_GETSOCKOPT, "cgroup_getsockopt") \
	X(BPF_CGROUP_SETSOCKOPT, "cgroup_setsockopt") \
	X(BPF_TRACE_RAW_TP, "trace_raw_tp") \
	X(BPF_TRACE_FENTRY, "trace_fentry") \
	X(BPF_TRACE_FEXIT, "trace_fexit") \
	X(BPF_MODIFY_RETURN, "modify_return") \
	X(BPF_LSM_MAC, "lsm_mac") \
	X(BPF_TRACE_ITER, "trace_iter") \
	X(BPF_CGROUP_INET4_GETPEERNAME, "cgroup_inet4_getpeername") \
	X(BPF_CGROUP_INET6_GETPEERNAME, "cgroup_inet6_getpeername") \
	X(BPF_CGROUP_INET4_GETSOCKNAME, "cgroup_inet4_getsockname") \
	X(BPF_CGROUP_INET6_GETSOCKNAME, "cgroup_inet6_getsockname") \
	X(BPF_XDP_DEVMAP, "xdp_devmap") \
	X(BPF_CGROUP_INET_SOCK_RELEASE, "cgroup_inet_sock_release") \
	X(BPF_XDP_CPUMAP, "xdp_cpumap") \
	X(BPF_SK_LOOKUP, "sk_lookup") \
	X(BPF_XDP, "xdp") \
	X(BPF_SK_SKB_VERDICT, "sk_skb_verdict") \
	X(BPF_SK_REUSEPORT_SELECT, "sk_reuseport_select") \
	X(BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, "sk_reuseport_select_or_migrate") \
	X(BPF_PERF_EVENT, "perf_event") \
	X(BPF_TRACE_KPROBE_MULTI, "trace_kprobe_multi") \
	X(BPF_LSM_CGROUP, "lsm_cgroup") \
	X(BBPF_STRUCT_OPS, "struct_ops") \
	X(BBPF_NETFILTER, "netfilter") \
	X(BBPF_TCX_INGRESS, "tcx_ingress") \
	X(BBPF_TCX_EGRESS, "tcx_egress") \
	X(BBPF_TRACE_UPROBE_MULTI, "trace_uprobe_multi") \
	X(BBPF_CGROUP_UNIX_CONNECT, "cgroup_unix_connect") \
	X(BBPF_CGROUP_UNIX_SENDMSG, "cgroup_unix_sendmsg") \
	X(BBPF_CGROUP_UNIX_RECVMSG, "cgroup_unix_recvmsg") \
	X(BBPF_CGROUP_UNIX_GETPEERNAME, "cgroup_unix_getpeername") \
	X(BBPF_CGROUP_UNIX_GETSOCKNAME, "cgroup_unix_getsockname") \
	X(BBPF_NETKIT_PRIMARY, "netkit_primary") \
	X(BBPF_NETKIT_PEER, "netkit_peer") \
	X(BBPF_TRACE_KPROBE_SESSION, "trace_kprobe_session") \
	X(BBPF_TRACE_UPROBE_SESSION, "trace_uprobe_session") \
	X(BBPF_TRACE_FSESSION, "trace_fsession")

/*
 * Each list as one string of NUL-terminated names in enum order: no
 * pointer per name. The enums below check at compile time that every list
 * is in order with no gap, so a name's position is its value.
 */
#define NAME(e, s) s "\0"
static const char prog_type_names[] = PROG_TYPES(NAME);
static const char map_type_names[] = MAP_TYPES(NAME);
static const char attach_type_names[] = ATTACH_TYPES(NAME);

#define POS(e, s) POS_##e,
#define CHECK(e, s) _Static_assert((int)POS_##e == (int)(e), #e " out of order");
enum { PROG_TYPES(POS) PROG_TYPE_CNT };
enum { MAP_TYPES(POS) MAP_TYPE_CNT };
enum { ATTACH_TYPES(POS) ATTACH_TYPE_CNT };
PROG_TYPES(CHECK)
MAP_TYPES(CHECK)
ATTACH_TYPES(CHECK)

/* Enum values arrive as unsigned so a stray negative one is out of range. */
static const char *name_of(const char *names, unsigned int cnt, unsigned int v)
{
	return v < cnt ? bbpf_fmt_nth(names, v) : NULL;
}

static int index_of(const char *names, unsigned int cnt, const char *s)
{
	unsigned int i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < cnt; i++, names += strlen(names) + 1)
		if (strcmp(names, s) == 0)
			return (int)i;
	return -EINVAL;
}

const char *bbpf_prog_type_str(enum bpf_prog_type t)
{
	return name_of(prog_type_names, PROG_TYPE_CNT, (unsigned int)t);
}

const char *bbpf_map_type_str(enum bpf_map_type t)
{
	return name_of(map_type_names, MAP_TYPE_CNT, (unsigned int)t);
}

const char *bbpf_attach_type_str(enum bpf_attach_type t)
{
	return name_of(attach_type_names, ATTACH_TYPE_CNT, (unsigned int)t);
}

int bbpf_prog_type_from_str(const char *s)
{
	return index_of(prog_type_names, PROG_TYPE_CNT, s);
}

int bbpf_map_type_from_str(const char *s)
{
	return index_of(map_type_names, MAP_TYPE_CNT, s);
}

int bbpf_attach_type_from_str(const char *s)
{
	return index_of(attach_type_names, ATTACH_TYPE_CNT, s);
}
