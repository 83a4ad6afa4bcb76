/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Section name -> program type table, covering every section name upstream
 * libbpf knows, plus samples/bpf's legacy prefixes. Pure data + lookup.
 */
#ifndef BBPF_SEC_DEF_H
#define BBPF_SEC_DEF_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "../base/uapi_compat.h"

/* How a program of this section is attached (used by the attach layer). */
enum bbpf_attach_kind {
	BBPF_ATTACH_NONE,	/* no auto-attach (socket, cgroup/..., xdp, tc, ...) */
	BBPF_ATTACH_TRACEPOINT,	/* tp/, tracepoint/ */
	BBPF_ATTACH_RAW_TP,	/* raw_tp/, raw_tracepoint/(.w) */
	BBPF_ATTACH_TRACING,	/* tp_btf/, fentry/, fexit/, fmod_ret/ */
	BBPF_ATTACH_LSM,
	BBPF_ATTACH_ITER,
	BBPF_ATTACH_KPROBE,	/* kprobe/, kretprobe/ */
	BBPF_ATTACH_KPROBE_MULTI,
	BBPF_ATTACH_KSYSCALL,
	BBPF_ATTACH_UPROBE,
	BBPF_ATTACH_UPROBE_MULTI,
	BBPF_ATTACH_USDT,
	BBPF_ATTACH_STRUCT_OPS,
	BBPF_ATTACH_PERF_EVENT,
};

/* sec_def flags */
enum {
	BBPF_SEC_EXP_ATTACH_OPT	= 1u << 0,	/* expected_attach_type optional at load */
	BBPF_SEC_ATTACHABLE	= 1u << 1,	/* attach type is passed to BPF_PROG_ATTACH/LINK_CREATE */
	BBPF_SEC_ATTACH_BTF	= 1u << 2,	/* needs attach_btf_id (fentry, lsm, iter, tp_btf, ...) */
	BBPF_SEC_SLEEPABLE	= 1u << 3,	/* ".s": BPF_F_SLEEPABLE */
	BBPF_SEC_XDP_FRAGS	= 1u << 4,	/* ".frags": BPF_F_XDP_HAS_FRAGS */
	BBPF_SEC_USDT		= 1u << 5,
	BBPF_SEC_LEGACY		= 1u << 6,	/* matched by samples/bpf prefix rules */
};

/* 6 bytes a row (117 rows): the name is an offset into sec_def.c's name blob. */
struct __attribute__((packed, aligned(2))) bbpf_sec_def {
	/*
	 * libbpf's matching rules: "name+" matches "name" or "name/...",
	 * "name/" matches anything starting with "name/", other names match
	 * exactly. Read with bbpf_sec_def_name().
	 */
	uint16_t name_off;
	/* enum bpf_prog_type, enum bpf_attach_type, BBPF_SEC_*, enum bbpf_attach_kind */
	uint8_t prog_type;
	uint8_t expected_attach_type;
	uint8_t flags;
	uint8_t attach;
};

/*
 * The definition matching a section name (a leading "?" must already be
 * stripped). Upstream libbpf's table first; failing that, samples/bpf's
 * prefix rules ("socket1" -> socket, "kprobe/x", "tracepoint/a/b", ...),
 * flagged BBPF_SEC_LEGACY. NULL if neither knows the name.
 */
const struct bbpf_sec_def *bbpf_sec_def_find(const char *sec_name);

/* What follows the matched prefix and its '/', e.g. "syscalls/sys_enter_write"; "" if nothing. */
const char *bbpf_sec_def_target(const struct bbpf_sec_def *def, const char *sec_name);

/* The section name (or prefix) a definition matches, e.g. "tp+". */
const char *bbpf_sec_def_name(const struct bbpf_sec_def *def);

/* The whole table, for tests. */
const struct bbpf_sec_def *bbpf_sec_defs(uint32_t *cnt);

#endif
