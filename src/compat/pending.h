/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Native functions the compat layer wraps that are declared in
 * include/barebpf/attach.h but whose implementation is not in main yet
 * (other branches are writing them). Each line below makes a call to one
 * of them return -EOPNOTSUPP instead of referencing the missing symbol, so
 * the library links; the compat wrapper around it is complete and is
 * written against the declaration. When a native function is merged,
 * delete its line here: nothing else changes. tests/unit/test_compat_attach.c
 * checks each wrapper both ways (pending: -EOPNOTSUPP with errno; merged:
 * against the fake kernel).
 */
#ifndef BBPF_COMPAT_PENDING_H
#define BBPF_COMPAT_PENDING_H

#include <errno.h>

static inline int bbpf_compat_pending(int unused, ...)
{
	(void)unused;
	return -EOPNOTSUPP;
}

/* uprobes and USDT (branch attach-uprobe) */
#define bbpf_program_attach_uprobe(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_uprobe_multi(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_usdt(...) bbpf_compat_pending(0, __VA_ARGS__)
/* network and cgroups (branch attach-net) */
#define bbpf_program_attach_xdp(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_xdp_attach(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_xdp_detach(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_xdp_query(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_tcx(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_netkit(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_tc_hook_create(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_tc_hook_destroy(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_tc_attach(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_tc_detach(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_tc_query(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_cgroup(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_netns(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_sockmap(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_program_attach_netfilter(...) bbpf_compat_pending(0, __VA_ARGS__)
#define bbpf_map_attach_struct_ops(...) bbpf_compat_pending(0, __VA_ARGS__)

#endif
