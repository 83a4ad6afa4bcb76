/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extern resolution at load: .kconfig values into the .kconfig map (from
 * the caller's config, /proc/config.gz or /boot/config-*; LINUX_* specials
 * computed here), typeless .ksyms from /proc/kallsyms, typed .ksyms and
 * kfuncs from the kernel's BTF. A missing weak extern is 0; a missing
 * strong one fails the load, naming it.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "load_int.h"
#include "../obj/kconfig.h"

static bool is_special_kcfg(const char *name)
{
	return !strncmp(name, "LINUX_", 6);
}

/*
 * libbpf's meaning of LINUX_HAS_SYSCALL_WRAPPER: a kprobe on the wrapped
 * entry point can be created (what ksyscall programs attach to). Kernels
 * without the kprobe PMU say no, as libbpf does when it cannot probe.
 */
static bool probe_syscall_wrapper(struct bbpf_ctx *ctx, struct bbpf_arena *scratch)
{
	static const char name[] = "__x64_sys_bpf";
	struct perf_event_attr attr;
	char *text = NULL;
	size_t len = 0;
	long fd, type = 0;
	size_t i;

	if (bbpf_sys_read_file(ctx, "/sys/bus/event_source/devices/kprobe/type", scratch, 64, &text,
			       &len))
		return false;
	for (i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++)
		type = type * 10 + (text[i] - '0');
	if (!i)
		return false;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (uint32_t)type;
	attr.config1 = (uint64_t)(uintptr_t)name;	/* kprobe_func */
	fd = ctx->sys.perf_event_open(ctx->sys.ctx, &attr, (pid_t)ctx->sys.getpid(ctx->sys.ctx), -1, -1,
					 PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return false;
	ctx->sys.close(ctx->sys.ctx, (int)fd);
	return true;
}

static int fill_kconfig(struct bbpf_object *obj, struct bbpf_arena *scratch)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	struct bbpf_map *m = &obj->maps[obj->kconfig_map];
	struct bbpf_kconfig_special sp = { 0 };
	const char *text = "";
	size_t len = 0, i;
	bool need_text = false;
	struct utsname u;
	struct bbpf_diag diag = { 0 };
	int err;

	for (i = 0; i < obj->extern_cnt; i++)
		if (obj->externs[i].kind == BBPF_EXTERN_KCONFIG && !is_special_kcfg(obj->externs[i].name))
			need_text = true;
	if (need_text) {
		err = bbpf_kconfig_text(ctx, scratch, &text, &len);
		if (err)
			return err;
	}
	err = (int)ctx->sys.uname(ctx->sys.ctx, &u);
	if (err) {
		bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
			 "%s: uname() failed (%s): LINUX_KERNEL_VERSION is unknown", obj->name,
			 bbpf_err_name(err));
		return err;
	}
	sp.release = u.release;
	sp.has_syscall_wrapper = probe_syscall_wrapper(ctx, scratch);
	sp.has_bpf_cookie = ctx->feat.perf_link;
	return bbpf_kconfig_fill(obj, text, len, &sp, m->data, m->value_size, &diag);
}

static int missing(struct bbpf_object *obj, const struct bbpf_extern *e, const char *where)
{
	if (e->is_weak)
		return 0;
	bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN, "%s: extern '%s' not found in %s", obj->name,
		 e->name, where);
	return -ESRCH;
}

static int resolve_typeless(struct bbpf_object *obj, struct bbpf_extern_val *vals,
			    struct bbpf_arena *scratch)
{
	struct bbpf_ctx *ctx = bbpf_obj_ctx(obj);
	const char **names = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*names));
	uint64_t *addrs = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*addrs));
	bool *found = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*found));
	uint32_t *idx = bbpf_arena_calloc(scratch, obj->extern_cnt, sizeof(*idx));
	size_t i, n = 0;
	int err;

	if (!names || !addrs || !found || !idx)
		return -ENOMEM;
	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (e->kind == BBPF_EXTERN_KSYM && !e->is_func && !e->type_id) {
			idx[n] = (uint32_t)i;
			names[n++] = e->name;
		}
	}
	if (!n)
		return 0;
	err = bbpf_kallsyms_resolve(ctx, names, n, addrs, found);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (!found[i]) {
			err = missing(obj, &obj->externs[idx[i]], "/proc/kallsyms");
			if (err)
				return err;
			continue;
		}
		vals[idx[i]].resolved = true;
		vals[idx[i]].addr = addrs[i];
	}
	return 0;
}

static int resolve_typed(struct bbpf_object *obj, struct bbpf_extern_val *vals)
{
	struct bbpf_btf *vmlinux = NULL;
	size_t i;
	int err;

	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];
		uint32_t id;

		if (e->kind != BBPF_EXTERN_KSYM || (!e->is_func && !e->type_id))
			continue;
		if (!vmlinux) {
			err = bbpf_ctx_vmlinux_btf(bbpf_obj_ctx(obj), &vmlinux);
			if (err) {
				bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
					 "%s: extern '%s' needs the kernel's BTF: %s", obj->name, e->name, bbpf_err_name(err));
				return err;
			}
		}
		id = bbpf_btf_find_by_name_kind(vmlinux, e->name,
						e->is_func ? BTF_KIND_FUNC : BTF_KIND_VAR);
		if (!id) {
			err = missing(obj, e, "the kernel's BTF");
			if (err)
				return err;
			continue;
		}
		vals[i].resolved = true;
		vals[i].btf_id = id;
	}
	return 0;
}

int bbpf_resolve_externs(struct bbpf_object *obj)
{
	struct bbpf_obj_kern *k = obj->kern;
	struct bbpf_arena scratch;
	int err = 0;

	if (!obj->extern_cnt)
		return 0;
	k->ext_vals = bbpf_arena_calloc(&obj->arena, obj->extern_cnt, sizeof(*k->ext_vals));
	if (!k->ext_vals)
		return -ENOMEM;
	bbpf_arena_init(&scratch, &obj->arena.alloc, (size_t)1 << 28);
	if (obj->kconfig_map < obj->map_cnt)
		err = fill_kconfig(obj, &scratch);
	err = err ?: resolve_typeless(obj, k->ext_vals, &scratch);
	err = err ?: resolve_typed(obj, k->ext_vals);
	bbpf_arena_free(&scratch);
	return err;
}
