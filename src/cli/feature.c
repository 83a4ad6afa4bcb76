/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf feature probe [kernel] [full]
 * barebpf feature list_builtins { prog_types | map_types | attach_types | link_types | helpers }
 *
 * What the running kernel supports, in bpftool 7.1's sections, text and
 * JSON: system configuration (the bpf sysctls and the kernel config options
 * bpftool looks at), the bpf() syscall, program types, map types, the
 * helpers of each program type, and a few instruction-set features. Each
 * answer comes from loading a tiny program or creating a small map through
 * the syscall table, with the attributes libbpf's probes use (so the
 * answers are libbpf's). Beyond bpftool 7.1, whose tables stop at the
 * 6.1 kernel, the types and helpers newer kernels have are probed too:
 * the netfilter program type, the cgrp_storage and arena map types, the
 * helpers 210-211 (cgroup storage); bpftool 7.1 does not print those.
 * Without "full", the helpers that write to the kernel log when probed
 * (trace_printk, trace_vprintk, probe_write_user) are skipped, as bpftool.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/btf.h>

#include "kobj.h"
#include "req.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../base/uapi_compat.h"
#include "../base/inflate.h"

#define ENOTSUPP_KERNEL	524
#define LOG_SIZE	4096	/* libbpf's probe log buffer */
#define PROC_SUPER_MAGIC 0x9fa0
#define CONFIG_MAX	((size_t)16 << 20)
#define LAST_PROG_TYPE	BBPF_PROG_TYPE_NETFILTER
#define LAST_MAP_TYPE	BBPF_MAP_TYPE_ARENA
#define BPF_MAXINSNS_	4096	/* BPF_MAXINSNS: the classic limit */
/* BTF record encodings (the kernel's selftest macros, not in the UAPI header). */
#define INFO(kind, vlen)	((uint32_t)(kind) << 24 | (vlen))
#define INT_ENC(enc, off, bits)	((uint32_t)(enc) << 24 | (off) << 16 | (bits))
#define GENERATED	"# Automatically generated file; DO NOT EDIT.\n"


const char bbpf_cli_feature_usage[] = BBPF_CLI_HELP("feature");

/* The kernel config options bpftool 7.1 reports, in its order: help.txt's section "kconfig". */
#define CONFIG_CNT 35

/*
 * The texts the probe prints, one a line in help.txt's section
 * "feature.msgs" (kept deflated with the help): their line numbers. A section or a feature is its JSON key's line, then
 * its text's; each sysctl is its name's line, its values' texts, the word
 * for an unknown value and the failure's text.
 */
enum {
	M_SYSCTL = 0,
	M_SYSTEM = 26, M_SYSCALL = 28, M_PROG_TYPES = 30, M_MAP_TYPES = 32, M_HELPERS = 34,
	M_MISC = 36, M_HAVE_BPF = 38, M_LARGE = 40, M_LOOPS = 42,
	M_NO_HELPERS = 48, M_NO_PROG_TYPE = 49, M_NO_KCONFIG = 50, M_NO_PROCFS = 51,
};

struct probe {
	struct bbpf_cli_kobj *k;
	bool full;
	bool prog_ok[LAST_PROG_TYPE + 1];
	int err;	/* the last prog_load()'s: the fd (closed), or the error */
	char log[LOG_SIZE];
	const char *msgs;	/* section "feature.msgs", a NUL after each line */
};

/* Section name of help.txt, a NUL in place of each newline. */
static const char *help_lines(const char *name, struct bbpf_cli_help_buf *b)
{
	char *c, *text = (char *)bbpf_cli_help_text(name, b);

	for (c = text; *c; c++)
		*c = *c == '\n' ? 0 : *c;
	return text;
}

/* Line i of the messages. */
static const char *msg(const struct probe *p, unsigned int i)
{
	const char *s = p->msgs;

	while (i--)
		s += strlen(s) + 1;
	return s;
}

/* ---- output ---- */

static void section_begin(struct probe *p, unsigned int m)
{
	if (p->k->json) {
		bbpf_cli_json_key(&p->k->j, msg(p, m));
		bbpf_cli_json_obj_begin(&p->k->j);
	} else {
		bbpf_cli_kobj_printf(p->k, "%s\n", msg(p, m + 1));
	}
}

static void section_end(struct probe *p)
{
	bbpf_cli_kobj_j(p->k, BBPF_CLI_J_LINE_END);
}

static void feature(struct probe *p, unsigned int m, bool res)
{
	if (p->k->json)
		bbpf_cli_json_kv_bool(&p->k->j, msg(p, m), res);
	else
		bbpf_cli_kobj_printf(p->k, "%s is %savailable\n", msg(p, m + 1), res ? "" : "NOT ");
}

/* ---- system configuration ---- */

/* A number on the first line of a procfs file, -1 if there is none (bpftool's read_procfs). */
static long read_procfs(struct probe *p, const char *path)
{
	struct bbpf_arena arena;
	char *buf, *s, *digits;
	size_t len;
	long v;

	bbpf_arena_init(&arena, &p->k->ctx->alloc, 1 << 20);
	if (bbpf_sys_read_file(p->k->ctx, path, &arena, 4096, &buf, &len) || !len) {
		bbpf_arena_free(&arena);
		return -1;
	}
	/* a sign, digits, the end of the line: else no number */
	digits = buf + (*buf == '-' || *buf == '+');
	for (s = digits; *s >= '0' && *s <= '9'; s++)
		;
	v = s > digits && *s == '\n' ? bbpf_cli_kobj_atoll(buf) : -1;
	bbpf_arena_free(&arena);
	return v;
}

/* The bpf sysctls, bpftool's texts for their values (bpf_jit_limit: a number). */
static void probe_sysctls(struct probe *p)
{
	static const uint8_t nval[] = { 3, 3, 3, 2, 0 };
	char path[64];
	unsigned int i, m = M_SYSCTL;
	long v;

	for (i = 0; i < sizeof(nval); m += nval[i++] + 3u) {
		bbpf_snprintf(path, sizeof(path), "/proc/sys/%s/%s", i ? "net/core" : "kernel",
			      msg(p, m));
		v = read_procfs(p, path);
		if (p->k->json)
			bbpf_cli_json_kv_i64(&p->k->j, msg(p, m), v);
		else if (v == -1)
			bbpf_cli_kobj_printf(p->k, "%s\n", msg(p, m + nval[i] + 2));
		else if (v >= 0 && v < nval[i])
			bbpf_cli_kobj_printf(p->k, "%s\n", msg(p, m + 1 + (unsigned int)v));
		else
			bbpf_cli_kobj_printf(p->k, nval[i] ? "%s has unknown value %ld\n" : "%s %ld bytes\n",
					     msg(p, m + nval[i] + 1), v);
	}
}

/* /boot/config-<release> (plain or gzipped), else /proc/config.gz: bpftool's order. */
static int read_config(struct probe *p, struct bbpf_arena *arena, const char **text, size_t *len)
{
	struct bbpf_ctx *ctx = p->k->ctx;
	struct bbpf_diag diag = { 0 };
	struct utsname uts;
	char path[sizeof("/boot/config-") + sizeof(uts.release)];
	const char *paths[2] = { NULL, "/proc/config.gz" };
	uint8_t *out;
	size_t n, out_len;
	char *buf;
	int i, err = -ENOENT;

	if (!ctx->sys.uname(ctx->sys.ctx, &uts)) {
		uts.release[sizeof(uts.release) - 1] = '\0';
		bbpf_snprintf(path, sizeof(path), "/boot/config-%s", uts.release);
		paths[0] = path;
	}
	for (i = 0; i < 2; i++) {
		if (!paths[i])
			continue;
		err = bbpf_sys_read_file(ctx, paths[i], arena, CONFIG_MAX, &buf, &n);
		if (err)
			continue;
		if (n >= 2 && (uint8_t)buf[0] == 0x1f && (uint8_t)buf[1] == 0x8b) {
			err = bbpf_gunzip((const uint8_t *)buf, n, arena, CONFIG_MAX * 4, &out,
					  &out_len, &diag);
			if (err)
				continue;
			buf = (char *)out;
			n = out_len;
		}
		*text = buf;
		*len = n;
		return 0;
	}
	return err;
}

static void kernel_config(struct probe *p)
{
	const char *values[CONFIG_CNT] = { NULL };
	const char *text = NULL, *line, *end, *eq, *name, *config_names;
	struct bbpf_cli_help_buf b;
	struct bbpf_arena arena;
	size_t len = 0, i, nl;
	bool ok;

	/* One name a line: NUL-separated, as the loops below walk them. */
	config_names = help_lines(BBPF_CLI_HELP("kconfig"), &b);

	bbpf_arena_init(&arena, &p->k->ctx->alloc, CONFIG_MAX * 8);
	ok = !read_config(p, &arena, &text, &len);
	/* bpftool's sanity check: the second line says the file is generated. */
	line = ok ? memchr(text, '\n', len) : NULL;
	ok = line && (size_t)(text + len - line - 1) >= sizeof(GENERATED) - 1 &&
	     !memcmp(line + 1, GENERATED, sizeof(GENERATED) - 1);
	if (!ok && !p->k->json)
		bbpf_cli_err("%s", msg(p, M_NO_KCONFIG));
	for (line = text; ok && line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)	/* bpftool cuts a line's last byte, newline or not */
			end = text + len - 1;
		if (strncmp(line, "CONFIG_", 7))
			continue;
		eq = memchr(line, '=', (size_t)(end - line));
		if (!eq || eq + 1 == end)
			continue;
		for (i = 0, name = config_names; i < CONFIG_CNT; i++, name += strlen(name) + 1) {
			nl = strlen(name);
			if (values[i] || nl != (size_t)(eq - line) || strncmp(line, name, nl))
				continue;
			values[i] = bbpf_arena_strndup(&arena, eq + 1, (size_t)(end - eq - 1));
		}
	}
	for (i = 0, name = config_names; i < CONFIG_CNT; i++, name += strlen(name) + 1) {
		if (p->k->json)	/* NULL: null */
			bbpf_cli_json_kv_str(&p->k->j, name, values[i]);
		else	/* "is set to VALUE", "is not set" */
			bbpf_cli_kobj_printf(p->k, "%s is %s%s\n", name, values[i] ? "set to " : "not set",
					     values[i] ? values[i] : "");
	}
	bbpf_arena_free(&arena);
}

/* ---- probes (libbpf's probe_prog_load(), probe_map_create()) ---- */

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* major.minor.patch of the running kernel, patch capped at 255, as libbpf's KERNEL_VERSION. */
static uint32_t kernel_version(struct probe *p)
{
	struct utsname u;
	unsigned int v[3] = { 0 }, i = 0;
	const char *s;

	if (p->k->sys->uname(p->k->sys->ctx, &u))
		return 0;
	for (s = u.release; *s && i < 3; s++) {
		if (*s >= '0' && *s <= '9')
			v[i] = v[i] * 10 + (unsigned int)(*s - '0');
		else if (*s == '.')
			i++;
		else
			break;
	}
	return v[0] << 16 | v[1] << 8 | (v[2] > 255 ? 255 : v[2]);
}

/*
 * Load insns as a program of type (libbpf's probe_prog_load()): 1 if the
 * type loads (or fails the expected way), 0 if not, negative if the type
 * cannot be probed. With log, the verifier's log (level 1) lands in p->log.
 */
static int prog_load(struct probe *p, uint32_t type, const struct bpf_insn *insns, uint32_t cnt,
		     bool log)
{
	/* the expected attach types libbpf's probes give */
	static const uint8_t eat[][2] = {
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT },
		{ BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT },
		{ BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP },
		{ BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2 },
		{ BBPF_PROG_TYPE_NETFILTER, BBPF_NETFILTER },
		{ BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY },
		{ BPF_PROG_TYPE_LSM, BPF_MODIFY_RETURN },
	};
	union bpf_attr attr;
	const char *exp_msg = NULL;
	int fd, exp_err = 0;
	size_t i;

	if (type > LAST_PROG_TYPE)
		return -EOPNOTSUPP;
	memset(&attr, 0, sizeof(attr));
	p->log[0] = '\0';
	for (i = 0; i < sizeof(eat) / sizeof(eat[0]); i++)
		if (eat[i][0] == type)
			attr.expected_attach_type = eat[i][1];
	switch ((int)type) {
	case BPF_PROG_TYPE_KPROBE:
		attr.kern_version = kernel_version(p);
		break;
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_EXT:
		log = true;
		attr.attach_btf_id = 1;
		exp_err = -EINVAL;
		exp_msg = type == BPF_PROG_TYPE_EXT ? "Cannot replace kernel functions" :
			  "attach_btf_id 1 is not a function";
		break;
	case BPF_PROG_TYPE_SYSCALL:
		attr.prog_flags = BPF_F_SLEEPABLE;
		break;
	case BPF_PROG_TYPE_STRUCT_OPS:
		exp_err = -ENOTSUPP_KERNEL;
		break;
	default:
		break;
	}
	attr.prog_type = type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = cnt;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	if (log) {
		attr.log_buf = (uint64_t)(uintptr_t)p->log;
		attr.log_size = sizeof(p->log);
		attr.log_level = 1;
	}
	fd = bbpf_cmd_prog_load(p->k->sys, &attr);
	if (fd >= 0)
		p->k->sys->close(p->k->sys->ctx, fd);
	p->err = fd;
	p->log[sizeof(p->log) - 1] = '\0';
	if (exp_err)
		return fd < 0 && fd == exp_err && (!exp_msg || bbpf_cli_strstr(p->log, exp_msg));
	return fd >= 0;
}

/* libbpf's load_local_storage_btf(): int, struct bpf_spin_lock { int val; }, struct val { int cnt; struct bpf_spin_lock l; }. */
static int storage_btf(struct probe *p)
{
	static const struct storage_blob {
		struct btf_header h;
		uint32_t types[19];
		char strs[25];
	} blob = {
		{ .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(struct btf_header),
		  .type_off = 0, .type_len = sizeof(blob.types),
		  .str_off = sizeof(blob.types), .str_len = sizeof(blob.strs) },
		{
			0, INFO(BTF_KIND_INT, 0), 4, INT_ENC(BTF_INT_SIGNED, 0, 32),	/* [1] */
			1, INFO(BTF_KIND_STRUCT, 1), 4, 15, 1, 0,			/* [2] */
			15, INFO(BTF_KIND_STRUCT, 2), 8, 19, 1, 0, 23, 2, 32,		/* [3] */
		},
		"\0bpf_spin_lock\0val\0cnt\0l",
	};

	_Static_assert(offsetof(struct storage_blob, types) == sizeof(struct btf_header) &&
		       offsetof(struct storage_blob, strs) == sizeof(struct btf_header) + sizeof(blob.types),
		       "BTF blob layout");
	return bbpf_cmd_btf_load(p->k->sys, &blob,
				 offsetof(struct storage_blob, strs) + sizeof(blob.strs), NULL, 0, 0);
}

/*
 * The map types libbpf's probe_map_create() does not create with 4-byte
 * keys and values and one entry: type, key size, value size, max entries
 * (RB: the page size), flags (NP: BPF_F_NO_PREALLOC, MM: BPF_F_MMAPABLE,
 * ST: also a local storage's BTF).
 */
enum { NP = 1, MM = 2, ST = 4, RB = 255 };
static const uint8_t map_shapes[][5] = {
	{ BPF_MAP_TYPE_STACK_TRACE, 4, 8, 1, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, 8, 8, 1, NP },
	{ BPF_MAP_TYPE_CGROUP_STORAGE, sizeof(struct bpf_cgroup_storage_key), 8, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, sizeof(struct bpf_cgroup_storage_key), 8, 0, 0 },
	{ BPF_MAP_TYPE_QUEUE, 0, 4, 1, 0 },
	{ BPF_MAP_TYPE_STACK, 0, 4, 1, 0 },
	{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 1, 0 },
	{ BPF_MAP_TYPE_SK_STORAGE, 4, 8, 0, NP | ST },
	{ BPF_MAP_TYPE_INODE_STORAGE, 4, 8, 0, NP | ST },
	{ BPF_MAP_TYPE_TASK_STORAGE, 4, 8, 0, NP | ST },
	{ BBPF_MAP_TYPE_CGRP_STORAGE, 4, 8, 0, NP | ST },
	{ BPF_MAP_TYPE_RINGBUF, 0, 0, RB, 0 },
	{ BPF_MAP_TYPE_USER_RINGBUF, 0, 0, RB, 0 },
	{ BBPF_MAP_TYPE_ARENA, 0, 0, 1, MM },
};

static bool map_probe(struct probe *p, uint32_t type)
{
	union bpf_attr attr;
	int fd, inner = -1, btf = -1, exp_err = 0, fds[3];
	size_t i;

	memset(&attr, 0, sizeof(attr));
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	if (type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS) {
		/* the inner map: a hash map of the same sizes */
		attr.map_type = BPF_MAP_TYPE_HASH;
		inner = bbpf_cmd_map_create(p->k->sys, &attr);
		if (inner < 0)
			return false;
		attr.inner_map_fd = (uint32_t)inner;
	}
	for (i = 0; i < sizeof(map_shapes) / sizeof(map_shapes[0]); i++) {
		const uint8_t *m = map_shapes[i];

		if (m[0] != type)
			continue;
		attr.key_size = m[1];
		attr.value_size = m[2];
		attr.max_entries = m[3] == RB ? (uint32_t)p->k->ctx->page_size : m[3];
		attr.map_flags = (m[4] & NP ? BPF_F_NO_PREALLOC : 0) | (m[4] & MM ? BPF_F_MMAPABLE : 0);
		if (m[4] & ST) {
			attr.btf_key_type_id = 1;
			attr.btf_value_type_id = 3;
			btf = storage_btf(p);
			if (btf < 0)
				return false;
			attr.btf_fd = (uint32_t)btf;
		}
	}
	if (type == BPF_MAP_TYPE_STRUCT_OPS) {
		attr.btf_vmlinux_value_type_id = 1;	/* an invalid type: ENOTSUPP */
		exp_err = -ENOTSUPP_KERNEL;
	}
	attr.map_type = type;
	fds[0] = fd = bbpf_cmd_map_create(p->k->sys, &attr);
	fds[1] = inner;
	fds[2] = btf;
	for (i = 0; i < 3; i++)
		if (fds[i] >= 0)
			p->k->sys->close(p->k->sys->ctx, fds[i]);
	return exp_err ? fd == exp_err : fd >= 0;
}

/* libbpf_probe_bpf_helper(): supported unless the verifier does not know it for the type. */
static bool helper_probe(struct probe *p, uint32_t type, uint32_t id)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .imm = (int32_t)id },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int ret;

	if (type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_EXT || type == BPF_PROG_TYPE_LSM ||
	    type == BPF_PROG_TYPE_STRUCT_OPS)
		return false;	/* these cannot load without a target: not probed */
	ret = prog_load(p, type, insns, 2, true);
	if (ret < 0)
		return false;
	return ret || !(bbpf_cli_strstr(p->log, "invalid func ") || bbpf_cli_strstr(p->log, "unknown func "));
}

/* ---- sections ---- */

/* The program types (maps false) or the map types, each probed. */
static void types(struct probe *p, bool maps)
{
	char key[64];
	const char *name;
	uint32_t t;
	bool ok;

	section_begin(p, maps ? M_MAP_TYPES : M_PROG_TYPES);
	for (t = 1; t <= (maps ? LAST_MAP_TYPE : LAST_PROG_TYPE) &&
		    (name = maps ? bbpf_map_type_str((enum bpf_map_type)t) :
			    bbpf_prog_type_str((enum bpf_prog_type)t)); t++) {
		if (maps)
			ok = map_probe(p, t);
		else
			ok = p->prog_ok[t] = prog_load(p, t, ret0, 2, false) > 0;
		if (p->k->json) {
			bbpf_snprintf(key, sizeof(key), "have_%s_%s_type", name, maps ? "map" : "prog");
			bbpf_cli_json_kv_bool(&p->k->j, key, ok);
		} else {
			bbpf_cli_kobj_printf(p->k, "eBPF %s_type %s is %savailable\n",
					     maps ? "map" : "program", name, ok ? "" : "NOT ");
		}
	}
	section_end(p);
}

static void helpers(struct probe *p)
{
	struct bbpf_cli_kobj *k = p->k;
	struct bbpf_cli_helpers hn;
	unsigned int id;
	const char *name;
	char key[64];
	uint32_t t;
	bool any;

	bbpf_cli_helpers_load(&hn);
	section_begin(p, M_HELPERS);
	for (t = 1; t <= LAST_PROG_TYPE && (name = bbpf_prog_type_str((enum bpf_prog_type)t)); t++) {
		if (k->json) {
			bbpf_snprintf(key, sizeof(key), "%s_available_helpers", name);
			bbpf_cli_json_key(&k->j, key);
			bbpf_cli_json_arr_begin(&k->j);
		} else {
			bbpf_cli_kobj_printf(k, "eBPF helpers supported for program type %s:", name);
		}
		any = false;
		for (id = 1; p->prog_ok[t] && id < hn.cnt; id++) {
			if (!p->full && (id == BPF_FUNC_trace_printk || id == BPF_FUNC_trace_vprintk ||
					 id == BPF_FUNC_probe_write_user))
				continue;	/* they log to dmesg when probed */
			if (!helper_probe(p, t, id))
				continue;
			any = true;
			if (k->json)
				bbpf_cli_json_str(&k->j, bbpf_cli_helper_name(&hn, id));
			else
				bbpf_cli_kobj_printf(k, "\n\t- %s", bbpf_cli_helper_name(&hn, id));
		}
		if (k->json) {
			bbpf_cli_json_arr_end(&k->j);
		} else {
			bbpf_cli_kobj_printf(k, "\n");
			if (!any)
				bbpf_cli_kobj_printf(k, "\t%s\n", msg(p, p->prog_ok[t] ? M_NO_HELPERS :
										     M_NO_PROG_TYPE));
		}
	}
	section_end(p);
}

static void misc(struct probe *p)
{
	/* A bounded loop, then the ISA v2 and v3 jumps: each a SOCKET_FILTER program that loads. */
	static const struct bpf_insn progs[3][4] = { {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 10 },
		{ .code = BPF_ALU64 | BPF_SUB | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = 0, .off = -2, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	}, {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_JLT | BPF_K, .dst_reg = 0, .off = 1, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	}, {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP32 | BPF_JLT | BPF_K, .dst_reg = 0, .off = 1, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	} };
	struct bpf_insn *big;
	uint32_t i;
	bool large = false;

	section_begin(p, M_MISC);
	/* More than the classic 4096 instructions (5.2): E2BIG or EINVAL before. */
	big = calloc(BPF_MAXINSNS_ + 1, sizeof(*big));
	if (big) {
		for (i = 0; i < BPF_MAXINSNS_; i++)
			big[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 1 };
		big[BPF_MAXINSNS_] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
		prog_load(p, BPF_PROG_TYPE_SCHED_CLS, big, BPF_MAXINSNS_ + 1, false);
		large = p->err >= 0 || (p->err != -E2BIG && p->err != -EINVAL);
		free(big);
	}
	feature(p, M_LARGE, large);
	for (i = 0; i < 3; i++)
		feature(p, M_LOOPS + 2 * i,
			prog_load(p, BPF_PROG_TYPE_SOCKET_FILTER, progs[i], 4, false) > 0);
	section_end(p);
}

static int feature_probe(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			 int argc, char **argv)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_help_buf b;
	struct bbpf_cli_kobj k;
	struct probe *p;
	union bpf_attr attr;
	long fs_type = 0;
	const char *w;
	bool has_bpf, seen[2] = { false, false };	/* kernel, full */
	unsigned int i;
	int ret;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "feature probe", argc, argv);
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "out of memory"));
	p->k = &k;
	p->msgs = help_lines(BBPF_CLI_HELP("feature.msgs"), &b);
	while ((w = bbpf_cli_argv_next(&a))) {
		/* kernel and full (each once), then bpftool's other keywords */
		const char *u = "kernel\0full\0dev\0macros\0unprivileged\0prefix\0";

		for (i = 0; *u && !bbpf_cli_kobj_kw(w, u); i++)
			u += strlen(u) + 1;
		if (i < 2 && !seen[i]) {
			seen[i] = true;
			continue;
		}
		if (i >= 2 && *u)
			ret = bbpf_cli_kobj_err(&k, "'%s' is not supported (kernel and full are)", w);
		else
			ret = bbpf_cli_kobj_usage(&k, "expected kernel or full, got '%s'", w);
		goto out;
	}
	p->full = seen[1];
	if (k.json)
		bbpf_cli_json_obj_begin(&k.j);
	section_begin(p, M_SYSTEM);
	if (!k.sys->statfs(k.sys->ctx, "/proc", &fs_type) && fs_type == PROC_SUPER_MAGIC)
		probe_sysctls(p);
	else if (!k.json)
		bbpf_cli_err("%s", msg(p, M_NO_PROCFS));
	kernel_config(p);
	section_end(p);

	section_begin(p, M_SYSCALL);
	memset(&attr, 0, sizeof(attr));
	has_bpf = bbpf_bpf(k.sys, BPF_PROG_LOAD, &attr) != -ENOSYS;
	feature(p, M_HAVE_BPF, has_bpf);
	section_end(p);
	if (has_bpf) {
		types(p, false);
		types(p, true);
		helpers(p);
		misc(p);
	}
	if (k.json)
		bbpf_cli_json_obj_end(&k.j);
out:
	free(p);
	return bbpf_cli_kobj_close(&k, ret);
}

static int feature_list(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			int argc, char **argv)
{
	struct bbpf_cli_helpers hn;
	struct bbpf_cli_kobj k;
	const char *w, *name;
	unsigned int i, group;
	int ret;

	(void)cmd;
	bbpf_cli_helpers_load(&hn);
	ret = bbpf_cli_kobj_open(&k, opts, "feature list_builtins", argc, argv);
	if (ret)
		return ret;
	w = argc == 2 ? argv[1] : NULL;
	for (group = 1, name = "prog_types\0map_types\0attach_types\0link_types\0helpers\0";
	     *name && !bbpf_cli_kobj_kw(w, name); group++, name += strlen(name) + 1)
		;
	if (!*name)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_usage(&k, "expected prog_types, "
			"map_types, attach_types, link_types or helpers"));
	if (k.json)
		bbpf_cli_json_arr_begin(&k.j);
	for (i = 0;; i++) {
		name = group == 1 ? bbpf_prog_type_str((enum bpf_prog_type)i) :
		       group == 2 ? bbpf_map_type_str((enum bpf_map_type)i) :
		       group == 3 ? bbpf_attach_type_str((enum bpf_attach_type)i) :
		       group == 4 ? bbpf_cli_kobj_link_type_str(i) : bbpf_cli_helper_name(&hn, i);
		if (!name)
			break;
		if (k.json)
			bbpf_cli_json_str(&k.j, name);
		else
			bbpf_cli_kobj_printf(&k, "%s\n", name);
	}
	if (k.json)
		bbpf_cli_json_arr_end(&k.j);
	return bbpf_cli_kobj_close(&k, 0);
}

static const struct bbpf_cli_cmd feature_cmds[] = {
	{ "probe", feature_probe, "feature probe" },
	{ "list_builtins", feature_list, "feature list_builtins" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_feature_usage },
};

int bbpf_cli_feature(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		     char **argv)
{
	char probe_word[] = "probe", *probe[] = { probe_word, NULL };

	(void)cmd;
	/* "feature" alone probes, as bpftool */
	return bbpf_cli_dispatch(feature_cmds, sizeof(feature_cmds) / sizeof(feature_cmds[0]), opts,
				 argc < 2 ? 1 : argc - 1, argc < 2 ? probe : argv + 1);
}

/* ---- single probes, for inspect --check (req.h) ---- */

bool bbpf_cli_probe(struct bbpf_cli_kobj *k, enum bbpf_cli_probe_what what, uint32_t type,
		    uint32_t id)
{
	struct probe p;	/* the probes use k, and set log and err before they read them */

	p.k = k;
	if (what == BBPF_CLI_PROBE_PROG)
		return prog_load(&p, type, ret0, 2, false) > 0;
	if (what == BBPF_CLI_PROBE_MAP)
		return map_probe(&p, type);
	return helper_probe(&p, type, id);
}
