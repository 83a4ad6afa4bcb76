// SPDX-License-Identifier: BSD-2-Clause
/*
 * Names and kernel probes: libbpf_bpf_*_type_str, libbpf_prog_type_by_name,
 * libbpf_attach_type_by_name, libbpf_find_vmlinux_btf_id,
 * libbpf_num_possible_cpus and libbpf_probe_bpf_{prog_type,map_type,helper}
 * (each probe loads or creates the smallest object of its kind, as libbpf's
 * do, and reads the answer from the result and the verifier's log).
 */
#include <stdio.h>
#include <sys/utsname.h>
#include "compat.h"
#include "../obj/sec_def.h"

/* ---- names ---- */

const char *libbpf_bpf_attach_type_str(enum bpf_attach_type t)
{
	return bbpf_attach_type_str(t);
}

const char *libbpf_bpf_map_type_str(enum bpf_map_type t)
{
	return bbpf_map_type_str(t);
}

const char *libbpf_bpf_prog_type_str(enum bpf_prog_type t)
{
	return bbpf_prog_type_str(t);
}

/* enum bpf_link_type, in kernel order (Linux 6.x; netkit 6.7, sockmap 6.10). */
static const char *const link_types[] = {
	"unspec", "raw_tracepoint", "tracing", "cgroup", "iter", "netns", "xdp",
	"perf_event", "kprobe_multi", "struct_ops", "netfilter", "tcx", "uprobe_multi",
	"netkit", "sockmap",
};

const char *libbpf_bpf_link_type_str(enum bpf_link_type t)
{
	unsigned int i = (unsigned int)t;

	return i < sizeof(link_types) / sizeof(link_types[0]) ? link_types[i] : NULL;
}

int libbpf_prog_type_by_name(const char *name, enum bpf_prog_type *prog_type,
			     enum bpf_attach_type *expected_attach_type)
{
	const struct bbpf_sec_def *def;

	if (!name || !prog_type || !expected_attach_type)
		return bbpf_compat_err(-EINVAL);
	def = bbpf_sec_def_find(name);
	/* libbpf 1.x knows only its own table, not samples/bpf's prefixes */
	if (!def || (def->flags & BBPF_SEC_LEGACY)) {
		pr_debug("failed to guess program type from ELF section '%s'\n", name);
		return bbpf_compat_err(-ESRCH);
	}
	*prog_type = def->prog_type;
	*expected_attach_type = def->expected_attach_type;
	return 0;
}

int libbpf_attach_type_by_name(const char *name, enum bpf_attach_type *attach_type)
{
	const struct bbpf_sec_def *def;

	if (!name || !attach_type)
		return bbpf_compat_err(-EINVAL);
	def = bbpf_sec_def_find(name);
	if (!def || (def->flags & BBPF_SEC_LEGACY)) {
		pr_debug("failed to guess attach type based on ELF section name '%s'\n", name);
		return bbpf_compat_err(-ESRCH);
	}
	if (!(def->flags & BBPF_SEC_ATTACHABLE))
		return bbpf_compat_err(-EINVAL);
	*attach_type = def->expected_attach_type;
	return 0;
}

/* ---- kernel BTF ids ---- */

int bbpf_compat_probe_btf_id(struct bbpf_ctx *ctx, const char *name, enum bpf_attach_type type,
			     uint32_t *kind)
{
	const char *pfx = "";
	uint32_t k = BTF_KIND_FUNC, id;
	char full[512];
	int err;

	switch ((int)type) {
	case BPF_TRACE_RAW_TP:
		pfx = "btf_trace_";
		k = BTF_KIND_TYPEDEF;
		break;
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		pfx = "bpf_lsm_";
		break;
	case BPF_TRACE_ITER:
		pfx = "bpf_iter_";
		break;
	default:
		break;
	}
	if ((size_t)snprintf(full, sizeof(full), "%s%s", pfx, name) >= sizeof(full))
		return -ENAMETOOLONG;
	err = bbpf_kname_find(ctx, full, k, &id);
	if (err) {
		pr_warn("vmlinux BTF is not found\n");
		return err;
	}
	if (!id) {
		pr_warn("failed to find kernel BTF type ID of '%s': %s\n", name, strerror(ESRCH));
		return -ESRCH;
	}
	if (kind)
		*kind = k;
	return (int)id;
}

int libbpf_find_vmlinux_btf_id(const char *name, enum bpf_attach_type attach_type)
{
	struct bbpf_ctx *ctx = NULL;
	int ret;

	if (!name)
		return bbpf_compat_err(-EINVAL);
	ret = bbpf_compat_sys_ctx(&ctx, NULL);
	if (!ret)
		ret = bbpf_compat_probe_btf_id(ctx, name, attach_type, NULL);
	bbpf_ctx_free(ctx);
	return bbpf_compat_err(ret == -ESRCH ? -ENOENT : ret);
}

/* ---- CPUs ---- */

int libbpf_num_possible_cpus(void)
{
	struct bbpf_ctx *ctx = NULL;
	int ret = bbpf_compat_sys_ctx(&ctx, NULL);

	if (!ret)
		ret = bbpf_ctx_possible_cpus(ctx);
	bbpf_ctx_free(ctx);
	if (ret < 0)
		pr_warn("failed to get # CPUs: %s\n", strerror(-ret));
	return bbpf_compat_err(ret);
}

/* ---- feature probes ---- */

#define INSN(c, i) ((struct bpf_insn){ .code = (c), .imm = (i) })
#define MOV_R0_0 INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0)

/* KERNEL_VERSION(a, b, c) of the running kernel, for kprobe programs of old kernels. */
static __u32 kernel_version(void)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	unsigned int a = 0, b = 0, c = 0;
	struct utsname u;

	if (sys->uname(sys->ctx, &u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/*
 * Load a program of this type: 1 if the kernel accepts it, 0 if not,
 * -EOPNOTSUPP for types it cannot be asked about. Types whose programs
 * need a BTF target are loaded without one: the kernel knows the type if it
 * refuses with the error and message that come after the type check.
 */
static int probe_prog(enum bpf_prog_type type, const struct bpf_insn *insns, size_t cnt,
		      char *log, size_t log_size)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = (__u32)log_size,
		    .log_level = log ? 1 : 0);
	const char *exp_msg = NULL;
	int exp_err = 0, fd, err;
	const struct bbpf_sys *sys = bbpf_compat_sys();

	switch ((int)type) {
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		opts.expected_attach_type = BPF_CGROUP_INET4_CONNECT;
		break;
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		opts.expected_attach_type = BPF_CGROUP_GETSOCKOPT;
		break;
	case BPF_PROG_TYPE_SK_LOOKUP:
		opts.expected_attach_type = BPF_SK_LOOKUP;
		break;
	case BPF_PROG_TYPE_KPROBE:
		opts.kern_version = kernel_version();
		break;
	case BPF_PROG_TYPE_LIRC_MODE2:
		opts.expected_attach_type = BPF_LIRC_MODE2;
		break;
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
		opts.expected_attach_type = type == BPF_PROG_TYPE_LSM ? BPF_LSM_MAC : BPF_TRACE_FENTRY;
		opts.attach_btf_id = 1;
		exp_err = -EINVAL;
		exp_msg = "attach_btf_id 1 is not a function";
		break;
	case BPF_PROG_TYPE_EXT:
		opts.attach_btf_id = 1;
		exp_err = -EINVAL;
		exp_msg = "Cannot replace kernel functions";
		break;
	case BPF_PROG_TYPE_STRUCT_OPS:
		opts.attach_btf_id = 1;
		exp_err = -524;	/* ENOTSUPP, the kernel's internal code */
		break;
	case BPF_PROG_TYPE_SYSCALL:
		opts.prog_flags = BPF_F_SLEEPABLE;
		break;
	case BBPF_PROG_TYPE_NETFILTER:
		opts.expected_attach_type = BBPF_NETFILTER;
		break;
	case BPF_PROG_TYPE_UNSPEC:
		return -EOPNOTSUPP;
	default:
		if ((int)type < 0 || (int)type > BBPF_PROG_TYPE_NETFILTER)
			return -EOPNOTSUPP;
		break;
	}
	if (exp_msg && !log) {
		char buf[4096];

		return probe_prog(type, insns, cnt, buf, sizeof(buf));
	}
	if (log)
		log[0] = '\0';
	fd = bpf_prog_load(type, NULL, "GPL", insns, cnt, &opts);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0)
		sys->close(sys->ctx, fd);
	if (exp_err) {
		if (fd >= 0 || err != exp_err)
			return 0;
		return !exp_msg || (log && strstr(log, exp_msg)) ? 1 : 0;
	}
	return fd >= 0;
}

int libbpf_probe_bpf_prog_type(enum bpf_prog_type prog_type, const void *opts)
{
	const struct bpf_insn insns[] = { MOV_R0_0, EXIT };

	if (opts)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(probe_prog(prog_type, insns, 2, NULL, 0));
}

int libbpf_probe_bpf_helper(enum bpf_prog_type prog_type, enum bpf_func_id helper_id,
			    const void *opts)
{
	const struct bpf_insn insns[] = { INSN(BPF_JMP | BPF_CALL, (int)helper_id), EXIT };
	char log[4096];
	int ret;

	if (opts)
		return bbpf_compat_err(-EINVAL);
	/* these types cannot be loaded without a real target */
	switch ((int)prog_type) {
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_EXT:
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_STRUCT_OPS:
		return bbpf_compat_err(-EOPNOTSUPP);
	default:
		break;
	}
	ret = probe_prog(prog_type, insns, 2, log, sizeof(log));
	if (ret < 0)
		return bbpf_compat_err(ret);
	/* "invalid func unknown#N": no such helper; "unknown func bpf_x#N": not for this type */
	if (ret == 0 && (strstr(log, "invalid func ") || strstr(log, "unknown func ")))
		return 0;
	return 1;
}

/*
 * Raw BTF for local storage maps: [1] int, [2] struct bpf_spin_lock { int
 * val; }, [3] struct val { int cnt; struct bpf_spin_lock l; }, as libbpf's
 * probe uses (key type 1, value type 3).
 */
#define INFO(kind, vlen) (((__u32)(kind) << 24) | (vlen))
#define INT_ENC(enc, bits) (((__u32)(enc) << 24) | (bits))

static int storage_btf(void)
{
	static const char strs[] = "\0int\0bpf_spin_lock\0val\0cnt\0l";
	struct {
		struct btf_header hdr;
		__u32 types[3 + 1 + 3 + 3 + 3 + 3 + 3];
		char strs[sizeof(strs)];
	} b;
	size_t i = 0;

	memset(&b, 0, sizeof(b));
	b.hdr.magic = BTF_MAGIC;
	b.hdr.version = BTF_VERSION;
	b.hdr.hdr_len = sizeof(b.hdr);
	b.hdr.type_len = sizeof(b.types);
	b.hdr.str_off = sizeof(b.types);
	b.hdr.str_len = sizeof(strs);
	/* [1] int: name "int" (1), INT, 4 bytes, signed 32 bits */
	b.types[i++] = 1;
	b.types[i++] = INFO(BTF_KIND_INT, 0);
	b.types[i++] = 4;
	b.types[i++] = INT_ENC(BTF_INT_SIGNED, 32);
	/* [2] struct bpf_spin_lock (5) { int val (19); } */
	b.types[i++] = 5;
	b.types[i++] = INFO(BTF_KIND_STRUCT, 1);
	b.types[i++] = 4;
	b.types[i++] = 19;
	b.types[i++] = 1;
	b.types[i++] = 0;
	/* [3] struct val (19) { int cnt (23); struct bpf_spin_lock l (27); } */
	b.types[i++] = 19;
	b.types[i++] = INFO(BTF_KIND_STRUCT, 2);
	b.types[i++] = 8;
	b.types[i++] = 23;
	b.types[i++] = 1;
	b.types[i++] = 0;
	b.types[i++] = 27;
	b.types[i++] = 2;
	b.types[i++] = 32;
	memcpy(b.strs, strs, sizeof(strs));
	/* exactly header + sections: the kernel refuses trailing bytes (struct padding) */
	return bpf_btf_load(&b, offsetof(__typeof__(b), strs) + sizeof(strs), NULL);
}

int libbpf_probe_bpf_map_type(enum bpf_map_type map_type, const void *opts)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	LIBBPF_OPTS(bpf_map_create_opts, mo);
	__u32 key_size = 4, value_size = 4, max_entries = 1;
	int fd, inner = -1, btf = -1, exp_err = 0, err;

	if (opts)
		return bbpf_compat_err(-EINVAL);
	switch ((int)map_type) {
	case BPF_MAP_TYPE_STACK_TRACE:
		value_size = 8;
		break;
	case BPF_MAP_TYPE_LPM_TRIE:
		key_size = 8;
		value_size = 8;
		mo.map_flags = BPF_F_NO_PREALLOC;
		break;
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		key_size = sizeof(struct bpf_cgroup_storage_key);
		value_size = 8;
		max_entries = 0;
		break;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_BLOOM_FILTER:
		key_size = 0;
		break;
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BBPF_MAP_TYPE_CGRP_STORAGE:
		btf = storage_btf();
		if (btf < 0)
			return bbpf_compat_err(-errno);
		mo.btf_fd = (__u32)btf;
		mo.btf_key_type_id = 1;
		mo.btf_value_type_id = 3;
		mo.map_flags = BPF_F_NO_PREALLOC;
		value_size = 8;
		max_entries = 0;
		break;
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		key_size = 0;
		value_size = 0;
		max_entries = (__u32)sys->page_size(sys->ctx);
		break;
	case BPF_MAP_TYPE_STRUCT_OPS:
		/* an invalid vmlinux type id: the kernel knows the type if it says ENOTSUPP */
		mo.btf_vmlinux_value_type_id = 1;
		exp_err = -524;
		break;
	case BBPF_MAP_TYPE_ARENA:
		key_size = 0;
		value_size = 0;
		mo.map_flags = BPF_F_MMAPABLE;
		break;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
		if (inner < 0)
			return bbpf_compat_err(-errno);
		mo.inner_map_fd = (__u32)inner;
		break;
	case BPF_MAP_TYPE_UNSPEC:
		return bbpf_compat_err(-EOPNOTSUPP);
	default:
		if ((int)map_type < 0 || (int)map_type > BBPF_MAP_TYPE_ARENA)
			return bbpf_compat_err(-EOPNOTSUPP);
		break;
	}
	fd = bpf_map_create(map_type, NULL, key_size, value_size, max_entries, &mo);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0)
		sys->close(sys->ctx, fd);
	if (inner >= 0)
		sys->close(sys->ctx, inner);
	if (btf >= 0)
		sys->close(sys->ctx, btf);
	if (exp_err)
		return fd < 0 && err == exp_err;
	return fd >= 0;
}
