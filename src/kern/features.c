/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel feature probes, after libbpf's: each one asks the kernel to create
 * a tiny object and looks at the answer. Every fd a probe creates is closed
 * before the probe returns, whatever happened.
 *
 * A probe answers yes (1), no (0), or "could not tell" (-errno): an error
 * that says nothing about the kernel's abilities (out of memory, out of
 * fds, interrupted) would otherwise be cached as a missing feature for the
 * context's lifetime. Then nothing is recorded, and the next load probes
 * again. Any other failure means "no", as in libbpf.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/btf.h>
#include "kern.h"
#include "../base/fmt.h"
#include "../base/uapi_compat.h"

/* ---- instructions ---- */

#define INSN_MOV_R0_0 { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 }
#define INSN_EXIT { .code = BPF_JMP | BPF_EXIT }
#define INSN_CALL(fn) { .code = BPF_JMP | BPF_CALL, .imm = (fn) }

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static bool transient(int err)
{
	switch (err) {
	case -ENOMEM:
	case -EINTR:
	case -EAGAIN:
	case -EMFILE:
	case -ENFILE:
	case -EFAULT:
		return true;
	default:
		return false;
	}
}

/* fd >= 0: yes (and close it); a transient error: pass it on; else no. */
static int verdict(const struct bbpf_sys *sys, int fd)
{
	if (fd >= 0) {
		sys->close(sys->ctx, fd);	/* released even if close fails */
		return 1;
	}
	return transient(fd) ? fd : 0;
}

/* What a probe's program is: flags of struct prog_probe (a plain "return 0" without any). */
#define PP_NAME		1	/* named "bbpf_probe" */
#define PP_KTIME	2	/* calls bpf_ktime_get_coarse_ns() */
#define PP_CORE		4	/* core_relo_rec_size set, no records */

static const struct bpf_insn ret0[] = { INSN_MOV_R0_0, INSN_EXIT };

static int prog_load(const struct bbpf_sys *sys, enum bpf_prog_type type,
		     enum bpf_attach_type exp, const struct bpf_insn *insns, uint32_t cnt,
		     unsigned int pp)
{
	static const char name[] = "bbpf_probe";
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.expected_attach_type = exp;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = cnt;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	if (pp & PP_NAME)
		memcpy(attr.prog_name, name, sizeof(name));
	if (pp & PP_CORE)
		attr.core_relo_rec_size = sizeof(struct bpf_core_relo);
	return bbpf_cmd_prog_load(sys, &attr);
}

static int array_create(const struct bbpf_sys *sys, uint32_t value_size, uint32_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = sizeof(uint32_t);
	attr.value_size = value_size;
	attr.max_entries = 1;
	attr.map_flags = flags;
	return bbpf_cmd_map_create(sys, &attr);
}

/* ---- program and map probes ---- */

static int probe_global_data(const struct bbpf_sys *sys)
{
	struct bpf_insn insns[] = {
		/* r1 = &map[0] + 16 */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_VALUE },
		{ .imm = 16 },
		/* *(u64 *)(r1 + 0) = 42 */
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_1, .imm = 42 },
		INSN_MOV_R0_0,
		INSN_EXIT,
	};
	int map, prog;

	map = array_create(sys, 32, 0);
	if (map < 0)
		return transient(map) ? map : 0;
	insns[0].imm = map;
	prog = prog_load(sys, BPF_PROG_TYPE_SOCKET_FILTER, 0, insns, ARRAY_LEN(insns), 0);
	sys->close(sys->ctx, map);
	return verdict(sys, prog);
}

static int probe_array_mmap(const struct bbpf_sys *sys)
{
	return verdict(sys, array_create(sys, sizeof(uint32_t), BPF_F_MMAPABLE));
}

/*
 * A link_create on a perf event with an fd that is no perf event: kernels
 * with perf links fail with EBADF (from looking the fd up), older ones with
 * EINVAL (unknown attach type).
 */
static int probe_perf_link(const struct bbpf_sys *sys)
{
	int prog, link;

	prog = prog_load(sys, BPF_PROG_TYPE_TRACEPOINT, 0, ret0, ARRAY_LEN(ret0), 0);
	if (prog < 0)
		return transient(prog) ? prog : 0;
	link = bbpf_cmd_link_create(sys, prog, -1, BPF_PERF_EVENT, NULL);
	if (link >= 0)
		sys->close(sys->ctx, link);
	sys->close(sys->ctx, prog);
	if (link == -EBADF)
		return 1;
	return transient(link) ? link : 0;
}

/*
 * uprobe-multi links (6.6), probed lazily (only USDT loads and uprobe.multi
 * attaches ask), as libbpf's FEAT_UPROBE_MULTI_LINK: a link on "/" (not a
 * regular file) fails with EBADF where the kernel has them; and again with
 * pid -1, which kernels whose pid filter works per process (6.6.y fixes,
 * 6.7+) refuse with EINVAL before looking at the path. A kernel that still
 * filters per thread answers EBADF there and counts as "no", so that USDT
 * programs, whose load picks the link kind before the pid is known, never
 * get a filter that misses the process's other threads.
 */
static int um_link(const struct bbpf_sys *sys, int prog, uint32_t pid)
{
	static const uint64_t off0;
	struct bbpf_uprobe_multi_attr um = {
		.path = (uint64_t)(uintptr_t)"/",
		.offsets = (uint64_t)(uintptr_t)&off0,
		.cnt = 1,
		.pid = pid,
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	bbpf_uprobe_multi_attr_set(&attr, &um);
	return bbpf_cmd_link_create(sys, prog, -1, BBPF_TRACE_UPROBE_MULTI, &attr);
}

static int probe_uprobe_multi(const struct bbpf_sys *sys)
{
	int prog, link, ret;

	prog = prog_load(sys, BPF_PROG_TYPE_KPROBE, BBPF_TRACE_UPROBE_MULTI, ret0, ARRAY_LEN(ret0), 0);
	if (prog < 0)
		return transient(prog) ? prog : 0;
	link = um_link(sys, prog, 0);
	if (link == -EBADF) {
		link = um_link(sys, prog, (uint32_t)-1);
		ret = link == -EINVAL ? 1 : 0;
	} else {
		ret = 0;
	}
	if (link >= 0)
		sys->close(sys->ctx, link);	/* a link on "/": not a kernel we know */
	else if (transient(link))
		ret = link;
	sys->close(sys->ctx, prog);
	return ret;
}

/* A probe asked for on first use: 1 or 0, cached; -errno (could not tell) asks again next time. */
static int lazy(struct bbpf_ctx *ctx, bool *probed, bool *val, int (*probe)(const struct bbpf_sys *),
		const char *name)
{
	int ret;

	if (*probed)
		return *val;
	ret = probe(&ctx->sys);
	if (ret < 0)
		return ret;
	*probed = true;
	*val = ret > 0;
	bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "kernel features: %s=%d", name, ret > 0);
	return ret;
}

int bbpf_features_uprobe_multi(struct bbpf_ctx *ctx)
{
	return lazy(ctx, &ctx->feat.uprobe_multi_probed, &ctx->feat.uprobe_multi_link,
		    probe_uprobe_multi, "uprobe_multi_link");
}

static int probe_bind_map(const struct bbpf_sys *sys)
{
	int prog, map, ret;

	map = array_create(sys, 8, 0);
	if (map < 0)
		return transient(map) ? map : 0;
	prog = prog_load(sys, BPF_PROG_TYPE_SOCKET_FILTER, 0, ret0, ARRAY_LEN(ret0), 0);
	if (prog < 0) {
		sys->close(sys->ctx, map);
		return transient(prog) ? prog : 0;
	}
	ret = bbpf_cmd_prog_bind_map(sys, prog, map);
	ret = ret == 0 ? 1 : transient(ret) ? ret : 0;
	sys->close(sys->ctx, prog);
	sys->close(sys->ctx, map);
	return ret;
}

int bbpf_features_bind_map(struct bbpf_ctx *ctx)
{
	return lazy(ctx, &ctx->feat.bind_map_probed, &ctx->feat.bind_map, probe_bind_map,
		    "prog_bind_map");
}

/* ---- BTF probes: one minimal blob per kind ---- */

#define BTF_INFO(kind, kflag, vlen) (((uint32_t)(kflag) << 31) | ((uint32_t)(kind) << 24) | (vlen))
/* int, 32 bits, signed */
#define T_INT(name) (name), BTF_INFO(BTF_KIND_INT, 0, 0), 4, (BTF_INT_SIGNED << 24) | 32

/*
 * Every probe's types and strings, one struct each: a probe's are a member
 * (or its start), named by offset, so the table below holds no pointers.
 */
static const struct {
	uint32_t func[12], global_func[12], datasec[14], float_[3], decl_tag[12], type_tag[10],
		 enum64[3];
} types = {
	/* "\0int\0x\0a": [1] int; [2] void (int a); [3] static x -> [2]; [1] alone: the int probe */
	.func = {
		T_INT(1),
		0, BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 1), 0,	7, 1,
		5, BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC), 2,
	},
	/* the same with x global */
	.global_func = {
		T_INT(1),
		0, BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 1), 0,	7, 1,
		5, BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 2,
	},
	/* "\0x\0.data": [1] int; [2] static var x; [3] .data { x at 0, 4 bytes } */
	.datasec = {
		T_INT(0),
		1, BTF_INFO(BTF_KIND_VAR, 0, 0), 1,		BTF_VAR_STATIC,
		3, BTF_INFO(BTF_KIND_DATASEC, 0, 1), 4,		2, 0, 4,
	},
	/* "\0float" */
	.float_ = { 1, BTF_INFO(BTF_KIND_FLOAT, 0, 0), 4 },
	/* "\0tag": [1] int; [2] var tag; [3] decl_tag "tag" on [2] itself (component -1) */
	.decl_tag = {
		T_INT(0),
		1, BTF_INFO(BTF_KIND_VAR, 0, 0), 1,		BTF_VAR_STATIC,
		1, BTF_INFO(BTF_KIND_DECL_TAG, 0, 0), 2,	UINT32_MAX,
	},
	/* "\0tag": [1] int; [2] type_tag "tag" -> [1]; [3] ptr -> [2] */
	.type_tag = {
		T_INT(0),
		1, BTF_INFO(BTF_KIND_TYPE_TAG, 0, 0), 1,
		0, BTF_INFO(BTF_KIND_PTR, 0, 0), 2,
	},
	/* "\0enum64": an 8-byte enum64 with no values */
	.enum64 = { 1, BTF_INFO(BTF_KIND_ENUM64, 0, 0), 8 },
};

/* "\0int\0x\0a": int at 1, x at 5, a at 7 ("\0int" alone: the int probe's) */
static const struct {
	char func[9], data[9], float_[7], tag[5], enum64[8];
} strs = { "\0int\0x\0a", "\0x\0.data", "\0float", "\0tag", "\0enum64" };

/* Offsets into types and strs, lengths in bytes; flag: offset of the answer in struct bbpf_features. */
struct btf_probe {
	uint16_t types_off;
	uint8_t types_len, strs_off, strs_len, flag;
};

#define BTF_PROBE(t, t_len, s, s_len, f) \
	{ offsetof(__typeof__(types), t), (t_len), offsetof(__typeof__(strs), s), (s_len), \
	  offsetof(struct bbpf_features, f) }
#define BTF_PROBE_ALL(t, s, f) BTF_PROBE(t, sizeof(types.t), s, sizeof(strs.s), f)

/*
 * The raw BTF layout (struct btf_header, then types, then strings), built
 * in host byte order, which is what BPF_BTF_LOAD expects.
 */
static int probe_btf(const struct bbpf_sys *sys, const struct btf_probe *p)
{
	uint8_t blob[sizeof(struct btf_header) + 128];
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(struct btf_header),
		.type_off = 0,
		.type_len = p->types_len,
		.str_off = p->types_len,
		.str_len = p->strs_len,
	};
	uint32_t len = (uint32_t)sizeof(hdr) + p->types_len + p->strs_len;

	if (len > sizeof(blob))
		return -E2BIG;	/* a bug in the tables above */
	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), (const uint8_t *)&types + p->types_off, p->types_len);
	memcpy(blob + sizeof(hdr) + p->types_len, (const uint8_t *)&strs + p->strs_off,
	       p->strs_len);
	return verdict(sys, bbpf_cmd_btf_load(sys, blob, len, NULL, 0, 0));
}

/* ---- the whole set ---- */

static int set(bool *flag, int ret)
{
	if (ret < 0)
		return ret;
	*flag = ret > 0;
	return 0;
}

#define FLAG(f) offsetof(struct bbpf_features, f)

struct prog_probe {
	uint8_t type, exp, pp, flag;
};

static const struct bpf_insn ktime[] = { INSN_CALL(BPF_FUNC_ktime_get_coarse_ns), INSN_EXIT };

static int probe_all(const struct bbpf_sys *sys, struct bbpf_features *f)
{
	/* BPF_BTF_LOAD itself first: without it no kind can be loaded, the rest is skipped. */
	static const struct btf_probe btf_kinds[] = {
		BTF_PROBE(func, 4 * sizeof(uint32_t), func, sizeof("\0int"), btf),
		BTF_PROBE_ALL(func, func, btf_func),
		BTF_PROBE_ALL(global_func, func, btf_global_func),
		BTF_PROBE_ALL(datasec, data, btf_datasec),
		BTF_PROBE_ALL(float_, float_, btf_float),
		BTF_PROBE_ALL(decl_tag, tag, btf_decl_tag),
		BTF_PROBE_ALL(type_tag, tag, btf_type_tag),
		BTF_PROBE_ALL(enum64, enum64, btf_enum64),
	};
	/*
	 * Programs that load where the kernel has the feature: names (4.15);
	 * bpf_ktime_get_coarse_ns(), which arrived in 5.11 with memory
	 * accounting by memcg (not visible from userspace otherwise); an
	 * expected attach type at load (any valid pair); CO-RE records
	 * (5.17: older kernels reject non-zero bytes past the attr they know,
	 * with no records the new ones accept it).
	 */
	static const struct prog_probe loads[] = {
		{ BPF_PROG_TYPE_SOCKET_FILTER, 0, PP_NAME, FLAG(prog_name) },
		{ BPF_PROG_TYPE_SOCKET_FILTER, 0, PP_KTIME, FLAG(memcg_account) },
		{ BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0, FLAG(exp_attach_type) },
		{ BPF_PROG_TYPE_SOCKET_FILTER, 0, PP_CORE, FLAG(kern_core) },
	};
	int err = 0;
	size_t i;

	for (i = 0; !err && i < ARRAY_LEN(loads); i++) {
		const struct prog_probe *l = &loads[i];

		err = set((bool *)f + l->flag,
			  verdict(sys, prog_load(sys, l->type, l->exp, l->pp & PP_KTIME ? ktime : ret0,
						 2, l->pp)));
	}
	if (!err)
		err = set(&f->global_data, probe_global_data(sys));
	if (!err)
		err = set(&f->array_mmap, probe_array_mmap(sys));
	if (!err)
		err = set(&f->perf_link, probe_perf_link(sys));
	for (i = 0; !err && (!i || f->btf) && i < ARRAY_LEN(btf_kinds); i++)
		err = set((bool *)f + btf_kinds[i].flag, probe_btf(sys, &btf_kinds[i]));
	return err;
}

int bbpf_features_probe(struct bbpf_ctx *ctx)
{
	static const char names[] = "prog_name\0global_data\0array_mmap\0btf\0func\0global_func\0"
				    "datasec\0float\0decl_tag\0type_tag\0enum64\0perf_link\0"
				    "memcg_account\0exp_attach_type";
	struct bbpf_features f = { 0 };
	const char *name = names;
	char line[256];
	size_t i, n;
	int err;

	if (ctx->feat.probed)
		return 0;
	err = probe_all(&ctx->sys, &f);
	if (err) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "kernel feature probe failed: error %d", err);
		return err;
	}
	f.probed = true;
	/* the lazy probes' answers stay */
	f.uprobe_multi_probed = ctx->feat.uprobe_multi_probed;
	f.uprobe_multi_link = ctx->feat.uprobe_multi_link;
	f.bind_map_probed = ctx->feat.bind_map_probed;
	f.bind_map = ctx->feat.bind_map;
	ctx->feat = f;
	/*
	 * The flags from prog_name to exp_attach_type, in the struct's order:
	 * a debug line, built only when debug lines are shown (15 formats
	 * are a fifth of a small object's load).
	 */
	if (!ctx->log.fn || ctx->log.warn_only)
		return 0;
	for (i = FLAG(prog_name), n = 0; i <= FLAG(exp_attach_type); i++, name += strlen(name) + 1)
		n += bbpf_snprintf(line + n, sizeof(line) - n, " %s=%d", name, ((bool *)&f)[i]);
	bbpf_log(&ctx->log, BBPF_LOG_DEBUG, "kernel features:%s", line);
	return 0;
}
