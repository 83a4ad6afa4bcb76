/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf inspect OBJ --requirements
 * barebpf inspect OBJ --check [btf FILE] [kconfig FILE]
 *
 * What an object needs from a kernel, one item per need, each naming the
 * program or map that needs it (README "CLI" has the format): program and
 * expected attach types, attach targets, helpers (over each program and the
 * subprograms it reaches: src/relo/needs.c), kfuncs, ksyms, .kconfig
 * values, CO-RE target types, map types and flags, the BTF kinds the
 * object's BTF uses, and the kernel's BTF where something needs it. With
 * --check each item is compared with the running kernel, or with the given
 * BTF and .config (req_check.c), and the missing ones are printed, one per
 * line. Exit 0 if nothing is missing, 1 if something is, 2 on usage errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "req.h"
#include "kobj.h"
#include "inspect.h"
#include "../base/fmt.h"
#include "../dump/dump_raw.h"
#include "../obj/sec_def.h"
#include "../relo/needs.h"

struct req_list {
	struct bbpf_cli_req *v;
	size_t n, cap;
	bool oom;
	struct bbpf_cli_helpers helpers;
	const char *owner, *name;	/* of the items added next ("program", its name, ...) */
	const struct bbpf_program *prog;	/* their program, NULL for a map's or the object's */
};

/* A new item of l's owner whose value is fmt's text (fmt NULL: empty), or NULL out of memory. */
__attribute__((format(printf, 4, 5))) BBPF_NO_FP_VARARGS
static struct bbpf_cli_req *req_add(struct req_list *l, enum bbpf_cli_req_what what, uint64_t num,
				    const char *fmt, ...)
{
	struct bbpf_cli_req *r;
	va_list ap;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct bbpf_cli_req *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv) {
			l->oom = true;
			return NULL;
		}
		l->v = nv;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->owner = l->owner;
	r->name = l->name && *l->name ? l->name : "-";
	r->prog = l->prog;
	r->what = what;
	r->num = num;
	r->st = BBPF_CLI_REQ_UNCHECKED;
	if (fmt) {
		va_start(ap, fmt);
		bbpf_vsnprintf(r->value, sizeof(r->value), fmt, ap);
		va_end(ap);
	}
	return r;
}

/* An item whose value is name; NULL: "unknown(NUM)" ("helper#NUM" for a helper). */
static void req_named(struct req_list *l, enum bbpf_cli_req_what what, uint32_t num,
		      const char *name)
{
	if (name)
		req_add(l, what, num, "%s", name);
	else if (what == BBPF_CLI_REQ_HELPER)
		req_add(l, what, num, "helper#%u", num);
	else
		req_add(l, what, num, "unknown(%u)", num);
}

static const char what_names[][12] = {
	[BBPF_CLI_REQ_PROG_TYPE] = "prog_type",
	[BBPF_CLI_REQ_ATTACH_TYPE] = "attach_type",
	[BBPF_CLI_REQ_ATTACH] = "attach",
	[BBPF_CLI_REQ_HELPER] = "helper",
	[BBPF_CLI_REQ_KFUNC] = "kfunc",
	[BBPF_CLI_REQ_KSYM] = "ksym",
	[BBPF_CLI_REQ_KCONFIG] = "kconfig",
	[BBPF_CLI_REQ_CORE_TYPE] = "core_type",
	[BBPF_CLI_REQ_MAP_TYPE] = "map_type",
	[BBPF_CLI_REQ_MAP_FLAGS] = "map_flags",
	[BBPF_CLI_REQ_BTF_KIND] = "btf_kind",
	[BBPF_CLI_REQ_KERNEL_BTF] = "kernel_btf",
	[BBPF_CLI_REQ_KERNEL_CORE] = "kernel_core",
};

static const char status_names[][10] = { "ok", "missing", "fallback", "unchecked" };

/*
 * The attach kinds whose target is a kernel name, as the section names them
 * ("": the section's own word, "kretprobe", "kretsyscall", "uretprobe").
 */
static const char *attach_word(const struct bbpf_program *p, unsigned int kind)
{
	switch (kind) {
	case BBPF_ATTACH_TRACEPOINT:	return "tracepoint";
	case BBPF_ATTACH_RAW_TP:	return "raw_tp";
	case BBPF_ATTACH_LSM:		return "lsm";
	case BBPF_ATTACH_ITER:		return "iter";
	case BBPF_ATTACH_KPROBE_MULTI:	return "kprobe.multi";
	case BBPF_ATTACH_KSYSCALL:
	case BBPF_ATTACH_UPROBE:
	case BBPF_ATTACH_UPROBE_MULTI:
	case BBPF_ATTACH_USDT:
	case BBPF_ATTACH_KPROBE:	return "";
	case BBPF_ATTACH_TRACING:
		switch (bbpf_program_expected_attach_type(p)) {
		case BPF_TRACE_RAW_TP:		return "tp_btf";
		case BPF_TRACE_FENTRY:		return "fentry";
		case BPF_TRACE_FEXIT:		return "fexit";
		case BPF_MODIFY_RETURN:		return "fmod_ret";
		default:			return NULL;
		}
	default:
		return NULL;
	}
}

/* The BTF declaration of type id ("struct task_struct"): kind word and name. */
static void type_str(const struct bbpf_btf *btf, uint32_t id, char *buf, size_t size)
{
	const struct btf_type *t = btf ? bbpf_btf_type(btf, id) : NULL;
	const char *kw = "";

	if (!t) {
		bbpf_snprintf(buf, size, "[%u]", id);
		return;
	}
	switch (bbpf_btf_kind(t)) {
	case BTF_KIND_STRUCT:	kw = "struct "; break;
	case BTF_KIND_UNION:	kw = "union "; break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:	kw = "enum "; break;
	case BTF_KIND_FWD:	kw = bbpf_btf_kflag(t) ? "union " : "struct "; break;
	default:		break;
	}
	bbpf_snprintf(buf, size, "%s%s", kw, *bbpf_btf_name(btf, id) ? bbpf_btf_name(btf, id) : "(anon)");
}

static void add_extern(struct req_list *l, const struct bbpf_extern *e)
{
	enum bbpf_cli_req_what w = bbpf_extern_kind(e) == BBPF_EXTERN_KCONFIG ? BBPF_CLI_REQ_KCONFIG
				   : bbpf_extern_is_func(e) ? BBPF_CLI_REQ_KFUNC : BBPF_CLI_REQ_KSYM;
	bool weak = bbpf_extern_is_weak(e);
	struct bbpf_cli_req *r = req_add(l, w, 0, "%s%s%s", bbpf_extern_name(e),
		w == BBPF_CLI_REQ_KSYM ? (bbpf_extern_is_typed(e) ? " (typed)" : " (untyped)") : "",
		weak ? " (weak)" : "");

	if (!r)
		return;
	r->ext = e;
	r->flag = weak;
}

static int collect_program(struct req_list *l, const struct bbpf_object *obj,
			   const struct bbpf_program *p, bool *ext_used, bool *kernel_btf)
{
	const struct bbpf_btf *btf = bbpf_object_btf(obj);
	const char *word, *target;
	char buf[BBPF_CLI_NAME_BUF];
	struct bbpf_arena arena;
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE };
	struct bbpf_needs nd;
	struct bbpf_cli_req *r;
	uint32_t i;
	int err;

	l->owner = "program";
	l->name = bbpf_program_name(p);
	l->prog = p;
	req_named(l, BBPF_CLI_REQ_PROG_TYPE, bbpf_program_type(p),
		  bbpf_prog_type_str(bbpf_program_type(p)));
	word = bbpf_cli_attach_type_name(p, buf, sizeof(buf));
	if (word)
		req_add(l, BBPF_CLI_REQ_ATTACH_TYPE, bbpf_program_expected_attach_type(p), "%s", word);

	bbpf_arena_init(&arena, &bbpf_alloc_libc, (size_t)256 << 20);
	err = bbpf_needs_program(obj, p, &arena, &nd, &diag);
	if (err) {
		bbpf_arena_free(&arena);
		return err;
	}
	word = attach_word(p, nd.attach);
	target = bbpf_program_attach_target(p);
	if (word) {
		int wl = (int)strlen(word);

		if (!wl) {
			word = bbpf_program_section(p);
			wl = (int)strcspn(word, "/");
		}
		r = req_add(l, BBPF_CLI_REQ_ATTACH, 0, "%.*s%s%s", wl, word,
			    target && *target ? " " : "", target ? target : "");
		if (!r)
			goto done;
		r->attach = nd.attach;
		if (nd.attach == BBPF_ATTACH_TRACING || nd.attach == BBPF_ATTACH_LSM ||
		    nd.attach == BBPF_ATTACH_ITER)
			*kernel_btf = true;
	}
	for (i = 0; i < nd.helper_cnt; i++)
		req_named(l, BBPF_CLI_REQ_HELPER, nd.helpers[i],
			  bbpf_cli_helper_name(&l->helpers, nd.helpers[i]));
	for (i = 0; i < nd.extern_cnt; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(obj, nd.externs[i]);

		if (!e)
			continue;
		ext_used[nd.externs[i]] = true;
		add_extern(l, e);
		if (bbpf_extern_kind(e) == BBPF_EXTERN_KSYM &&
		    (bbpf_extern_is_func(e) || bbpf_extern_is_typed(e)))
			*kernel_btf = true;
	}
	/* One item per root type; guarded only if every relocation of it is an existence check. */
	for (i = 0; i < nd.core_cnt; i++) {
		bool guarded = nd.core[i].kind < 16 &&
			       (1u << BPF_CORE_FIELD_EXISTS | 1u << BPF_CORE_TYPE_EXISTS |
				1u << BPF_CORE_ENUMVAL_EXISTS | 1u << 15 /* BPF_CORE_TYPE_MATCHES */ |
				1u << BPF_CORE_TYPE_ID_LOCAL) >> nd.core[i].kind & 1;

		*kernel_btf = true;
		if (i && nd.core[i - 1].type_id == nd.core[i].type_id) {
			if (!guarded)
				l->v[l->n - 1].flag = false;
			continue;
		}
		r = req_add(l, BBPF_CLI_REQ_CORE_TYPE, nd.core[i].type_id, NULL);
		if (!r)
			break;
		r->flag = guarded;
		type_str(btf, nd.core[i].type_id, r->value, sizeof(r->value));
	}
done:
	bbpf_arena_free(&arena);
	return 0;
}

static int collect(struct req_list *l, const struct bbpf_object *obj)
{
	size_t i, nprog = bbpf_object_program_cnt(obj), nmap = bbpf_object_map_cnt(obj);
	size_t next = bbpf_object_extern_cnt(obj);
	struct bbpf_btf_summary s;
	bool kernel_btf = false, core = false, *ext_used;
	int err = 0;

	ext_used = calloc(next + 1, sizeof(*ext_used));
	if (!ext_used)
		return -ENOMEM;
	for (i = 0; i < nprog && !err; i++)
		err = collect_program(l, obj, bbpf_object_program(obj, i), ext_used, &kernel_btf);
	/* Externs no program uses: libbpf resolves them all the same. */
	l->owner = "object";
	l->name = bbpf_object_name(obj);
	l->prog = NULL;
	for (i = 0; i < next && !err; i++) {
		const struct bbpf_extern *e = bbpf_object_extern(obj, i);

		if (!ext_used[i]) {
			add_extern(l, e);
			if (bbpf_extern_kind(e) == BBPF_EXTERN_KSYM && bbpf_extern_is_typed(e))
				kernel_btf = true;
		}
	}
	free(ext_used);
	if (err)
		return err;
	for (i = 0; i < nmap; i++) {
		const struct bbpf_map *m = bbpf_object_map(obj, i);

		if (bbpf_map_kind(m) == BBPF_MAP_INNER)
			continue;
		l->owner = "map";
		l->name = bbpf_map_name(m);
		req_named(l, BBPF_CLI_REQ_MAP_TYPE, bbpf_map_type(m), bbpf_map_type_str(bbpf_map_type(m)));
		if (bbpf_map_flags(m))
			req_add(l, BBPF_CLI_REQ_MAP_FLAGS, bbpf_map_flags(m), "0x%x", bbpf_map_flags(m));
	}
	l->owner = "object";
	l->name = bbpf_object_name(obj);
	memset(&s, 0, sizeof(s));
	if (!bbpf_object_btf_summary(obj, &s) && s.has_btf) {
		for (i = 1; i < 32; i++)
			if (s.kind_cnt[i])
				req_named(l, BBPF_CLI_REQ_BTF_KIND, (uint32_t)i,
					  bbpf_dump_raw_kind_name((unsigned int)i));
		core = s.core_relo_cnt > 0;
	}
	if (kernel_btf)
		req_add(l, BBPF_CLI_REQ_KERNEL_BTF, 0, "vmlinux");
	if (core)
		req_add(l, BBPF_CLI_REQ_KERNEL_CORE, s.core_relo_cnt, "%u records", s.core_relo_cnt);
	return l->oom ? -ENOMEM : 0;
}

/* ---- output ---- */

/* Names come from the file: no control bytes on the terminal (a '?' for each). */
static void print_clean(const char *s)
{
	size_t n;

	for (; *s; s += n + !!s[n]) {
		for (n = 0; s[n] && (unsigned char)s[n] >= 0x20 && s[n] != 0x7f; n++)
			;
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%.*s%s", (int)n, s, s[n] ? "?" : "");
	}
}

/* Text mode: value and why (never set without --check) are sanitized in place. */
static void print_item(struct bbpf_cli_req *r)
{
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s ", r->owner);
	print_clean(r->name);
	bbpf_cli_sanitize(r->value);
	bbpf_cli_sanitize(r->why);
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, ": %s %s%s%s\n", what_names[r->what], r->value,
			 r->why[0] ? ": " : "", r->why);
}

static void print_json(struct bbpf_cli_json *j, const struct bbpf_object *obj,
		       const struct bbpf_cli_req *v, size_t n, const struct bbpf_cli_req_target *t,
		       size_t missing)
{
	size_t i;

	bbpf_cli_json_kvs(j, "{\0sobject\0", bbpf_object_name(obj));
	if (t)
		bbpf_cli_json_kvs(j, "skernel\0sbtf\0skconfig\0umissing\0", t->live ? "running" : "files",
				  t->btf_path, t->kconfig_path, (uint64_t)missing);
	bbpf_cli_json_kvs(j, "[requirements\0");
	for (i = 0; i < n; i++) {
		bbpf_cli_json_kvs(j, "{\0sowner\0sname\0swhat\0svalue\0uid\0", v[i].owner, v[i].name,
				  what_names[v[i].what], v[i].value, (uint64_t)v[i].num);
		if (t)
			bbpf_cli_json_kvs(j, "sstatus\0sreason\0", status_names[v[i].st],
					  v[i].why[0] ? v[i].why : NULL);
		bbpf_cli_json_obj_end(j);
	}
	bbpf_cli_json_arr_end(j);
	bbpf_cli_json_obj_end(j);
	bbpf_cli_json_finish(j);
}

/* ---- the command ---- */

static int open_target(struct bbpf_cli_req_target *t, const struct bbpf_cli_opts *opts, char **argv)
{
	struct bbpf_arena *arena;
	const char *bad = t->btf_path;
	int err;

	err = bbpf_cli_kobj_open(&t->k, opts, "inspect", 1, argv);
	if (err)
		return err;
	arena = &t->k.ctx->arena;
	if (t->live) {
		if (bbpf_kernel_btf_indexed(t->k.ctx, &t->btf))
			t->btf = NULL;
		if (bbpf_kconfig_text(t->k.ctx, arena, &t->kconfig, &t->kconfig_len))
			t->kconfig = NULL;
		return 0;
	}
	if (t->btf_path) {
		err = bbpf_btf_read_untrusted(t->k.ctx, t->btf_path, BBPF_LOG_DEBUG, &t->btf);
		if (!err)
			err = bbpf_btf_index(t->btf);
		if (err)
			goto fail;
	}
	bad = t->kconfig_path;
	if (t->kconfig_path) {
		char *path = bbpf_arena_strdup(arena, t->kconfig_path);
		char *text;
		size_t len;

		err = path ? bbpf_sys_read_file(t->k.ctx, path, arena, (size_t)64 << 20, &text, &len)
			   : -ENOMEM;
		if (err)
			goto fail;
		t->kconfig = text;
		t->kconfig_len = len;
	}
	return 0;
fail:	/* the file given that could not be read */
	return bbpf_cli_kobj_close(&t->k, bbpf_cli_kobj_errno(&t->k, err, "%s", bad));
}

int bbpf_cli_requirements(const struct bbpf_cli_opts *opts, char **argv, const char *path,
			  const struct bbpf_cli_req_args *a)
{
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE, .sec = BBPF_DIAG_NO_SEC };
	struct bbpf_cli_req_target t;
	struct bbpf_object *obj = NULL;
	struct req_list l = { 0 };
	size_t i, cnt[4] = { 0 };	/* by status */
	bool check = a->check;
	int err, ret;

	memset(&t, 0, sizeof(t));
	bbpf_cli_helpers_load(&l.helpers);
	t.btf_path = a->btf_path;
	t.kconfig_path = a->kconfig_path;
	t.live = !t.btf_path && !t.kconfig_path;

	err = bbpf_object_open_file(&obj, path, NULL, &diag);
	if (err || !obj) {
		bbpf_cli_err("%s: %s%s%s%s", path, strerror(err < 0 ? -err : EIO),
			     diag.why != BBPF_BAD_NONE ? " (" : "",
			     diag.why != BBPF_BAD_NONE ? bbpf_bad_str(diag.why) : "",
			     diag.why != BBPF_BAD_NONE ? ")" : "");
		return BBPF_CLI_EXIT_FAIL;
	}
	err = collect(&l, obj);
	if (err) {
		bbpf_cli_err("%s: cannot read the programs' needs: %s", path, strerror(-err));
		ret = BBPF_CLI_EXIT_FAIL;
		goto out;
	}
	if (check) {
		ret = open_target(&t, opts, argv);
		if (ret)
			goto out;
		bbpf_cli_req_check(&t, obj, l.v, l.n);
	}
	for (i = 0; i < l.n; i++)
		cnt[l.v[i].st]++;
	if (opts->json) {
		struct bbpf_cli_json j;

		bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, opts->pretty);
		print_json(&j, obj, l.v, l.n, check ? &t : NULL, cnt[BBPF_CLI_REQ_MISSING]);
	} else {
		for (i = 0; i < l.n; i++)
			if (!check || l.v[i].st == BBPF_CLI_REQ_MISSING)
				print_item(&l.v[i]);
		if (check)
			bbpf_cli_err("%s: %zu requirements, %zu missing, %zu with a fallback, %zu not checked",
				     path, l.n, cnt[BBPF_CLI_REQ_MISSING], cnt[BBPF_CLI_REQ_FALLBACK],
				     cnt[BBPF_CLI_REQ_UNCHECKED]);
	}
	ret = check && cnt[BBPF_CLI_REQ_MISSING] ? BBPF_CLI_EXIT_FAIL : BBPF_CLI_EXIT_OK;
	if (check)
		bbpf_cli_kobj_close(&t.k, 0);
	if (bbpf_cli_flush(BBPF_CLI_STDOUT))
		ret = BBPF_CLI_EXIT_FAIL;
out:
	free(l.v);
	bbpf_object_close(obj);
	return ret;
}
