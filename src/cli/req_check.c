/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * inspect --check: each requirement against a kernel (req.h).
 *
 * The running kernel is asked the way the loader would meet it: program
 * and map types and helpers by loading tiny programs and creating small
 * maps (feature.c's probes, libbpf's), kprobe and uprobe support from
 * their PMUs or tracefs, BPF trampolines by loading a two-instruction
 * program on the program's own target and attaching it for a moment (so a
 * lockdown EPERM shows), tracepoints from tracefs, kernel symbols from
 * kallsyms, kfuncs, typed ksyms and BTF targets from the kernel's BTF
 * (modules' too), .kconfig values from its config. Another kernel is
 * known only by its BTF and .config: program, map and attach types and
 * helpers are the values of its enum bpf_prog_type, bpf_map_type,
 * bpf_attach_type and bpf_func_id; kprobes, uprobes and trampolines are
 * config options; functions and tracepoints are BTF names (a tracepoint
 * NAME has a typedef btf_trace_NAME).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <linux/btf.h>

#include "req.h"
#include "../base/fmt.h"
#include "../obj/sec_def.h"

static void vset(struct bbpf_cli_req *r, enum bbpf_cli_req_status st, const char *fmt, va_list ap)
{
	r->st = st;
	r->why[0] = '\0';
	if (fmt)
		bbpf_vsnprintf(r->why, sizeof(r->why), fmt, ap);
}

__attribute__((format(printf, 3, 4))) BBPF_NO_FP_VARARGS
static void set(struct bbpf_cli_req *r, enum bbpf_cli_req_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(r, st, fmt, ap);
	va_end(ap);
}

/* h > 0: ok; 0: missing, fmt says why; h < 0: not checked (no reason). */
__attribute__((format(printf, 3, 4))) BBPF_NO_FP_VARARGS
static void verdict(struct bbpf_cli_req *r, int h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(r, h < 0 ? BBPF_CLI_REQ_UNCHECKED : h ? BBPF_CLI_REQ_OK : BBPF_CLI_REQ_MISSING,
	     h ? NULL : fmt, ap);
	va_end(ap);
}

/* Without the kernel's BTF: missing on the running kernel, unknown for files without one. */
static enum bbpf_cli_req_status no_btf(const struct bbpf_cli_req_target *t)
{
	return t->live ? BBPF_CLI_REQ_MISSING : BBPF_CLI_REQ_UNCHECKED;
}

/* "CONFIG_X=y" in the config text: 1, 0, or -1 without a config. */
static int config_has(const struct bbpf_cli_req_target *t, const char *name, const char **val,
		      size_t *val_len)
{
	const char *s = t->kconfig, *end = t->kconfig + t->kconfig_len, *nl;
	size_t n = strlen(name);

	if (!s)
		return -1;
	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if ((size_t)(nl - s) > n && !memcmp(s, name, n) && s[n] == '=') {
			if (val) {
				*val = s + n + 1;
				*val_len = (size_t)(nl - s) - n - 1;
			}
			return 1;
		}
	}
	return 0;
}

static int config_y(const struct bbpf_cli_req_target *t, const char *name)
{
	const char *v;
	size_t len;
	int r = config_has(t, name, &v, &len);

	return r <= 0 ? r : len == 1 && v[0] == 'y';
}

/* An enumerator of the kernel's enum name with value val (not a __MAX one): 1, 0, -1 if no such enum. */
static int btf_enum_has(const struct bbpf_cli_req_target *t, const char *name, uint64_t val)
{
	const struct btf_type *e;
	const struct btf_enum *ev;
	uint32_t id, i;

	if (!t->btf || !(id = bbpf_btf_find_by_name_kind(t->btf, name, BTF_KIND_ENUM)))
		return -1;
	e = bbpf_btf_type(t->btf, id);
	ev = bbpf_btf_enums(e);
	for (i = 0; i < bbpf_btf_vlen(e); i++)
		if ((uint32_t)ev[i].val == val && strncmp(bbpf_btf_str(t->btf, ev[i].name_off), "__", 2))
			return 1;
	return 0;
}

static void check_enum(const struct bbpf_cli_req_target *t, struct bbpf_cli_req *r, const char *name)
{
	int h = btf_enum_has(t, name, r->num);

	if (h < 0)
		set(r, BBPF_CLI_REQ_UNCHECKED, "no enum %s in the kernel's BTF", name);
	else
		verdict(r, h, "not in the kernel's enum %s", name);
}

/* A kernel BTF type of kind: vmlinux (and, live, modules). */
static bool btf_has(struct bbpf_cli_req_target *t, const char *prefix, const char *name,
		    uint32_t kind)
{
	char full[256];
	uint32_t id;
	int fd = -1;

	if (t->live && t->btf) {
		if (bbpf_attach_btf_kernel(t->k.ctx, name, prefix, kind, &id, &fd))
			return false;
		if (fd >= 0)
			t->k.sys->close(t->k.sys->ctx, fd);
		return true;
	}
	bbpf_snprintf(full, sizeof(full), "%s%s", prefix, name);
	return t->btf && bbpf_btf_find_by_name_kind(t->btf, full, kind);
}

/* A kernel symbol: kallsyms when live, a BTF function or variable otherwise. */
static int sym_has(struct bbpf_cli_req_target *t, const char *name)
{
	const char *names[1] = { name };
	uint64_t addr;
	bool found = false;

	if (t->live)
		return bbpf_kallsyms_resolve(t->k.ctx, names, 1, &addr, &found) ? -1 : found;
	if (!t->btf)
		return -1;
	return bbpf_btf_find_by_name_kind(t->btf, name, BTF_KIND_FUNC) ||
	       bbpf_btf_find_by_name_kind(t->btf, name, BTF_KIND_VAR);
}

/* Live: a PMU (kprobe, uprobe) or its tracefs file; else the config option. */
static int probe_support(struct bbpf_cli_req_target *t, const char *pmu, const char *file,
			 const char *option)
{
	long fd;

	if (!t->live)
		return config_y(t, option);
	if (bbpf_kprobe_pmu_type(t->k.ctx, pmu) >= 0)
		return 1;
	fd = bbpf_tracefs_open(t->k.sys, file, O_RDONLY);
	if (fd < 0)
		return 0;
	t->k.sys->close(t->k.sys->ctx, (int)fd);
	return 1;
}

/*
 * Live: load "r0 = 0; exit" on the program's target and attach it for a
 * moment; 0 or the kernel's error. A trampoline that attaches and at once
 * goes again changes nothing the target does (the program returns 0: no
 * error for fmod_ret, allow for lsm).
 */
static int trampoline_probe(struct bbpf_cli_req_target *t, const struct bbpf_program *p,
			    const char *target, const char *prefix)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	uint32_t id;
	int obj_fd = -1, fd, link, err;

	err = bbpf_attach_btf_kernel(t->k.ctx, target, prefix, BTF_KIND_FUNC, &id, &obj_fd);
	if (err)
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = bbpf_program_type(p);
	attr.expected_attach_type = bbpf_program_expected_attach_type(p);
	attr.insns = (uint64_t)(uintptr_t)ret0;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.attach_btf_id = id;
	attr.attach_btf_obj_fd = obj_fd >= 0 ? (uint32_t)obj_fd : 0;
	fd = bbpf_cmd_prog_load(t->k.sys, &attr);
	if (obj_fd >= 0)
		t->k.sys->close(t->k.sys->ctx, obj_fd);
	if (fd < 0)
		return fd;
	link = bbpf_cmd_raw_tp_open(t->k.sys, NULL, fd);
	if (link >= 0)
		t->k.sys->close(t->k.sys->ctx, link);
	t->k.sys->close(t->k.sys->ctx, fd);
	return link < 0 ? link : 0;
}

static void check_attach(struct bbpf_cli_req_target *t, struct bbpf_cli_req *r)
{
	const char *target = bbpf_program_attach_target(r->prog);
	const char *sp = strchr(r->value, ' ');
	char name[160];
	int h;

	target = target ? target : "";
	switch (r->attach) {
	case BBPF_ATTACH_KPROBE:
	case BBPF_ATTACH_KPROBE_MULTI:
	case BBPF_ATTACH_KSYSCALL:
		h = probe_support(t, "kprobe", "kprobe_events", "CONFIG_KPROBE_EVENTS");
		if (h == 0)
			return set(r, BBPF_CLI_REQ_MISSING, "no kprobe support (%s)",
				   t->live ? "no kprobe PMU, no tracefs kprobe_events"
					   : "CONFIG_KPROBE_EVENTS is not y");
		if (r->attach == BBPF_ATTACH_KPROBE_MULTI && !t->live && config_y(t, "CONFIG_FPROBE") == 0)
			return set(r, BBPF_CLI_REQ_MISSING, "no kprobe.multi (CONFIG_FPROBE is not y)");
		if (r->attach == BBPF_ATTACH_KSYSCALL) {
			if (!t->live)
				return verdict(r, h, NULL);
			if (bbpf_ksyscall_entry(t->k.ctx, target, name, sizeof(name)))
				return set(r, BBPF_CLI_REQ_UNCHECKED, "no entry point for '%s'", target);
		} else {
			bbpf_snprintf(name, sizeof(name), "%s", target);
		}
		/* "FUNC+0x10": the symbol part; wildcards (kprobe.multi) are not looked up */
		name[strcspn(name, "+")] = '\0';
		if (!*name || name[strcspn(name, "*?")])
			return verdict(r, h, NULL);
		h = sym_has(t, name);
		if (h < 0)
			return set(r, BBPF_CLI_REQ_UNCHECKED, "cannot look up '%s'", name);
		/* BTF lacks some functions (the __x64_sys_* wrappers): only kallsyms can say no */
		if (!h && !t->live)
			return set(r, BBPF_CLI_REQ_UNCHECKED, "'%s' is not in the kernel's BTF", name);
		if (!h)
			return set(r, BBPF_CLI_REQ_MISSING, "no kernel function '%s'", name);
		return set(r, t->live || config_y(t, "CONFIG_KPROBE_EVENTS") > 0 ? BBPF_CLI_REQ_OK
			   : BBPF_CLI_REQ_UNCHECKED, NULL);
	case BBPF_ATTACH_UPROBE:
	case BBPF_ATTACH_UPROBE_MULTI:
	case BBPF_ATTACH_USDT:
		h = probe_support(t, "uprobe", "uprobe_events", "CONFIG_UPROBE_EVENTS");
		return verdict(r, h, "no uprobe support");
	case BBPF_ATTACH_TRACEPOINT:
		if (t->live) {
			h = bbpf_tracefs_event_lookup(t->k.ctx, target);
			return verdict(r, h > 0, "no tracepoint %s in tracefs", target);
		}
		if (!strncmp(target, "syscalls/", 9)) {
			h = config_y(t, "CONFIG_FTRACE_SYSCALLS");
			return verdict(r, h, "CONFIG_FTRACE_SYSCALLS is not y");
		}
		target = strchr(target, '/') ? strchr(target, '/') + 1 : target;
		/* a tracepoint NAME has the typedef btf_trace_NAME */
		__attribute__((fallthrough));
	case BBPF_ATTACH_RAW_TP:
		if (!t->btf)
			return set(r, BBPF_CLI_REQ_UNCHECKED, "no kernel BTF");
		h = btf_has(t, "btf_trace_", target, BTF_KIND_TYPEDEF);
		return verdict(r, h, "no tracepoint %s", target);
	case BBPF_ATTACH_ITER:
		h = btf_has(t, "bpf_iter_", target, BTF_KIND_FUNC);
		return verdict(r, h, "no iterator %s", target);
	case BBPF_ATTACH_TRACING:
		if (sp && !strncmp(r->value, "tp_btf", 6)) {
			h = btf_has(t, "btf_trace_", target, BTF_KIND_TYPEDEF);
			return verdict(r, h, "no tracepoint %s", target);
		}
		/* fentry, fexit, fmod_ret: a trampoline */
		__attribute__((fallthrough));
	case BBPF_ATTACH_LSM: {
		const char *prefix = r->attach == BBPF_ATTACH_LSM ? "bpf_lsm_" : "";

		if (!btf_has(t, prefix, target, BTF_KIND_FUNC))
			return set(r, t->btf ? BBPF_CLI_REQ_MISSING : no_btf(t),
				   t->btf ? "no kernel function %s%s in BTF" : "no kernel BTF%.0s%.0s",
				   prefix, target);
		if (t->live) {
			h = trampoline_probe(t, r->prog, target, prefix);
			return verdict(r, !h, "BPF trampoline refused: %s", bbpf_cli_kobj_strerror(h));
		}
		h = config_y(t, "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS");
		if (h == 0)
			return set(r, BBPF_CLI_REQ_MISSING, "no BPF trampolines "
				   "(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS is not y)");
		if (r->attach == BBPF_ATTACH_LSM && config_y(t, "CONFIG_BPF_LSM") == 0)
			return set(r, BBPF_CLI_REQ_MISSING, "CONFIG_BPF_LSM is not y");
		return verdict(r, h, NULL);
	}
	default:
		return set(r, BBPF_CLI_REQ_UNCHECKED, NULL);
	}
}

static void check_extern(struct bbpf_cli_req_target *t, struct bbpf_cli_req *r)
{
	const char *name = bbpf_extern_name(r->ext);
	int h;

	if (r->what == BBPF_CLI_REQ_KCONFIG) {
		if (!strncmp(name, "LINUX_", 6))
			return set(r, BBPF_CLI_REQ_OK, "provided by the loader");
		h = config_has(t, name, NULL, NULL);
	} else if (r->what == BBPF_CLI_REQ_KFUNC) {
		h = t->btf ? btf_has(t, "", name, BTF_KIND_FUNC) : -1;
	} else if (bbpf_extern_is_typed(r->ext)) {
		h = t->btf ? btf_has(t, "", name, BTF_KIND_VAR) : -1;
	} else {
		h = sym_has(t, name);
	}
	if (h < 0)
		return set(r, BBPF_CLI_REQ_UNCHECKED, "nothing to look it up in");
	if (!h && r->flag)
		return set(r, BBPF_CLI_REQ_OK, "weak: absent, reads as 0");
	verdict(r, h, "not in the kernel's %s",
		r->what == BBPF_CLI_REQ_KCONFIG ? "config"
		: r->what == BBPF_CLI_REQ_KFUNC || bbpf_extern_is_typed(r->ext) ? "BTF"
		: t->live ? "kallsyms" : "BTF");
}

#define FEAT(k, field)	[k] = offsetof(struct bbpf_features, field)
/* The feature bit of each BTF kind newer than the first ones; 0: always there. */
static const uint8_t kind_feat[] = {
	FEAT(BTF_KIND_FUNC, btf_func), FEAT(BTF_KIND_FUNC_PROTO, btf_func),
	FEAT(BTF_KIND_VAR, btf_datasec), FEAT(BTF_KIND_DATASEC, btf_datasec),
	FEAT(BTF_KIND_FLOAT, btf_float), FEAT(BTF_KIND_DECL_TAG, btf_decl_tag),
	FEAT(BTF_KIND_TYPE_TAG, btf_type_tag), FEAT(19 /* BTF_KIND_ENUM64 */, btf_enum64),
};
#undef FEAT

/* A BTF kind the kernel lacks is replaced by the sanitizer: never missing. */
static void check_btf_kind(struct bbpf_cli_req_target *t, struct bbpf_cli_req *r)
{
	const struct bbpf_features *f = &t->k.ctx->feat;
	bool ok = true;

	if (!t->live) {
		/* Another kernel's BTF has the kinds its pahole and kernel knew. */
		uint32_t i, n, max = 0;

		if (!t->btf)
			return set(r, BBPF_CLI_REQ_UNCHECKED, NULL);
		for (i = 1, n = bbpf_btf_type_cnt(t->btf); i < n; i++) {
			uint32_t k = bbpf_btf_kind(bbpf_btf_type(t->btf, i));

			max = k > max ? k : max;
		}
		ok = r->num <= max;
	} else if (!f->btf) {
		return set(r, BBPF_CLI_REQ_FALLBACK, "no BPF_BTF_LOAD: loaded without BTF");
	} else if (r->num < sizeof(kind_feat) && kind_feat[r->num]) {
		ok = *((const bool *)f + kind_feat[r->num]);
	}
	set(r, ok ? BBPF_CLI_REQ_OK : BBPF_CLI_REQ_FALLBACK, ok ? NULL : "replaced by the sanitizer");
}

static void check_core(struct bbpf_cli_req_target *t, const struct bbpf_object *obj,
		       struct bbpf_cli_req *r)
{
	const struct bbpf_btf *ob = bbpf_object_btf(obj);
	const struct btf_type *lt = ob ? bbpf_btf_type(ob, (uint32_t)r->num) : NULL;
	const char *name = lt ? bbpf_btf_name(ob, (uint32_t)r->num) : "";
	char essential[160];
	size_t n;
	bool h;

	if (!t->btf)
		return set(r, r->flag ? BBPF_CLI_REQ_OK : no_btf(t), "no kernel BTF");
	/* "task_struct___flavor" is matched as "task_struct", libbpf's rule */
	n = strlen(name);
	for (size_t i = n; i >= 3; i--)
		if (!memcmp(name + i - 3, "___", 3)) {
			n = i - 3;
			break;
		}
	bbpf_snprintf(essential, sizeof(essential), "%.*s", (int)n, name);
	if (!*essential)
		return set(r, BBPF_CLI_REQ_OK, NULL);
	h = btf_has(t, "", essential, bbpf_btf_kind(lt));
	if (!h && bbpf_btf_kind(lt) == BTF_KIND_ENUM)
		h = btf_has(t, "", essential, 19 /* ENUM64 */);
	if (h)
		return set(r, BBPF_CLI_REQ_OK, NULL);
	set(r, r->flag ? BBPF_CLI_REQ_OK : BBPF_CLI_REQ_MISSING,
	    r->flag ? "absent; only existence checks use it" : "no such type in the kernel's BTF");
}

/* The program type probe, once per type. */
static bool prog_type_ok(struct bbpf_cli_req_target *t, uint32_t type)
{
	if (type >= sizeof(t->prog_types))
		return bbpf_cli_probe(&t->k, BBPF_CLI_PROBE_PROG, type, 0);
	if (!t->prog_types[type])
		t->prog_types[type] = bbpf_cli_probe(&t->k, BBPF_CLI_PROBE_PROG, type, 0) ? 1 : 2;
	return t->prog_types[type] == 1;
}

void bbpf_cli_req_check(struct bbpf_cli_req_target *t, const struct bbpf_object *obj,
			struct bbpf_cli_req *reqs, size_t n)
{
	size_t i;

	if (t->live)
		bbpf_features_probe(t->k.ctx);
	for (i = 0; i < n; i++) {
		struct bbpf_cli_req *r = &reqs[i];

		switch (r->what) {
		case BBPF_CLI_REQ_PROG_TYPE:
			/*
			 * Live, a tracing or lsm program's type is loaded on
			 * its own target by the attach check: its answer is
			 * the precise one (lockdown refuses these types).
			 */
			if (!t->live || r->num == BPF_PROG_TYPE_TRACING || r->num == BPF_PROG_TYPE_LSM)
				check_enum(t, r, "bpf_prog_type");
			else
				verdict(r, prog_type_ok(t, (uint32_t)r->num), "program type not supported");
			break;
		case BBPF_CLI_REQ_MAP_TYPE:
			if (!t->live)
				check_enum(t, r, "bpf_map_type");
			else
				verdict(r, bbpf_cli_probe(&t->k, BBPF_CLI_PROBE_MAP, (uint32_t)r->num, 0),
					"map type not supported");
			break;
		case BBPF_CLI_REQ_ATTACH_TYPE:
			check_enum(t, r, "bpf_attach_type");
			break;
		case BBPF_CLI_REQ_HELPER: {
			uint32_t type = bbpf_program_type(r->prog);
			bool btf_only = type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_LSM ||
					type == BPF_PROG_TYPE_EXT || type == BPF_PROG_TYPE_STRUCT_OPS;

			if (!t->live || btf_only) {
				check_enum(t, r, "bpf_func_id");
			} else if (!prog_type_ok(t, type)) {
				set(r, BBPF_CLI_REQ_UNCHECKED, "the program type is missing");
			} else {
				verdict(r, bbpf_cli_probe(&t->k, BBPF_CLI_PROBE_HELPER, type, (uint32_t)r->num),
					"helper not available to this program type");
			}
			break;
		}
		case BBPF_CLI_REQ_ATTACH:
			check_attach(t, r);
			break;
		case BBPF_CLI_REQ_KFUNC:
		case BBPF_CLI_REQ_KSYM:
		case BBPF_CLI_REQ_KCONFIG:
			check_extern(t, r);
			break;
		case BBPF_CLI_REQ_CORE_TYPE:
			check_core(t, obj, r);
			break;
		case BBPF_CLI_REQ_BTF_KIND:
			check_btf_kind(t, r);
			break;
		case BBPF_CLI_REQ_KERNEL_BTF:
			set(r, t->btf ? BBPF_CLI_REQ_OK : no_btf(t), t->btf ? NULL : "no kernel BTF");
			break;
		case BBPF_CLI_REQ_KERNEL_CORE:
			if (t->live)
				set(r, t->k.ctx->feat.kern_core ? BBPF_CLI_REQ_OK : BBPF_CLI_REQ_FALLBACK,
				    t->k.ctx->feat.kern_core ? NULL : "CO-RE done in user space");
			else
				set(r, BBPF_CLI_REQ_UNCHECKED, NULL);
			break;
		default:
			set(r, BBPF_CLI_REQ_UNCHECKED, NULL);
			break;
		}
	}
}
