/* SPDX-License-Identifier: BSD-2-Clause */
/* see load_util.h */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/stat.h>
#include <barebpf/sys.h>

#include "attach_args.h"
#include "load_util.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../kern/kern.h"

#define TRACEFS_MAGIC	0x74726163
#define TRACEFS_DIR	"/sys/kernel/tracing"
#define TRACEFS_OLD_DIR	"/sys/kernel/debug/tracing"

void bbpf_cli_log_debug(enum bbpf_log_level level, const char *msg)
{
	bbpf_cli_err("%s: %s", bbpf_fmt_nth("warning\0info\0debug\0log",
					     (unsigned int)level < 3 ? (unsigned int)level : 3), msg);
}

void bbpf_cli_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct bbpf_cli_obj *o = ctx;

	if (o->debug) {
		bbpf_cli_log_debug(level, msg);
	} else if (level == BBPF_LOG_WARN && !strncmp(msg, "verifier: ", 10)) {
		bbpf_cli_err("%s", msg);	/* detail of the held "load failed", which ends it */
	} else if (level == BBPF_LOG_WARN) {
		bbpf_cli_obj_flush(o);
		bbpf_snprintf(o->held, sizeof(o->held), "%s", msg);
	}
}

void bbpf_cli_obj_flush(struct bbpf_cli_obj *o)
{
	if (o->held[0])
		bbpf_cli_err("%s", o->held);
	o->held[0] = '\0';
}

BBPF_NO_FP_VARARGS
void bbpf_cli_obj_fail(struct bbpf_cli_obj *o, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (o->held[0]) {
		bbpf_cli_obj_flush(o);
		return;
	}
	va_start(ap, fmt);
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bbpf_cli_err("%s", msg);
}

/* The last '.' in v before end (map names contain dots), or NULL. */
static const char *last_dot(const char *v, const char *end)
{
	const char *d = NULL;

	for (; v < end; v++)
		if (*v == '.')
			d = v;
	return d;
}

int bbpf_cli_obj_tweak_opt(struct bbpf_cli_obj *o, const struct bbpf_cli_cmd *cmd, int argc,
			   char **argv, int *i, bool words)
{
	const char *a = argv[*i], *v, *eq, *dot;
	unsigned long long idx;
	bool skip, reuse;
	int n;

	if (a[0] == '-' && a[1] == '-')
		a += 2;
	else if (!words)
		return 0;
	skip = !strcmp(a, "skip");
	if (!skip && strcmp(a, "map"))
		return 0;
#ifdef BBPF_CLI_INIT	/* map reuse: not in the init tool (README "Static builds") */
	reuse = false;
#else
	reuse = !skip && *i + 1 < argc && (bbpf_cli_att_kw(argv[*i + 1], "idx") ||
					  bbpf_cli_att_kw(argv[*i + 1], "name"));
#endif
	if (reuse && *i + 4 >= argc)
		return bbpf_cli_usage_error(cmd, "'map' needs at least 4 arguments, %d found",
					    argc - *i - 1);
	if (reuse && argv[*i + 1][0] == 'i' && bbpf_cli_parse_uint(argv[*i + 2], &idx))
		return bbpf_cli_usage_error(cmd, "can't parse %s as IDX", argv[*i + 2]);
	if (*i + 1 >= argc)
		return bbpf_cli_usage_error(cmd, "'%s' needs %s", argv[*i],
					    skip ? "a program name" : "NAME.FIELD=VALUE");
	v = argv[++*i];
	eq = strchr(v, '=');
	dot = eq ? last_dot(v, eq) : NULL;
	if (!skip && !reuse && (!dot || dot == v || !eq[1]))
		return bbpf_cli_usage_error(cmd, "expected MAP.FIELD=VALUE, got '%s'", v);
	if (!o->tweaks && !(o->tweaks = calloc((size_t)argc + 1, sizeof(*o->tweaks)))) {
		bbpf_cli_err("out of memory");
		return BBPF_CLI_EXIT_USAGE;	/* never 1: that is "taken" */
	}
	o->tweaks[o->tweak_cnt++] = skip ? "s" : reuse ? "r" : "m";	/* kind, value */
	o->tweaks[o->tweak_cnt++] = v;
	/* reuse: "r", idx|name, N|NAME, id|pinned|name, VALUE */
	for (n = reuse ? 3 : 0; n; n--)
		o->tweaks[o->tweak_cnt++] = argv[++*i];
	return 1;
}

/* --map NAME.FIELD=N: 0, or -1 with the reason printed. */
static int apply_map(struct bbpf_object *obj, const char *v)
{
	const char *eq = strchr(v, '='), *dot = last_dot(v, eq), *f = dot + 1;
	unsigned long long n = 0;
	struct bbpf_map *m;
	char name[256];
	int err = -EINVAL, t;

	bbpf_snprintf(name, sizeof(name), "%.*s", (int)(dot - v), v);
	m = bbpf_object_find_map(obj, name);
	if (!m) {
		bbpf_cli_err("--map %s: no map '%s' in %s", v, name, bbpf_object_name(obj));
		return -1;
	}
	if (!strncmp(f, "type=", 5)) {
		t = bbpf_map_type_from_str(eq + 1);
		if (t < 0 && !bbpf_cli_parse_uint(eq + 1, &n) && n <= INT_MAX)
			t = (int)n;
		err = t < 0 ? -EINVAL : bbpf_map_set_type(m, (enum bpf_map_type)t);
	} else if (bbpf_cli_parse_uint(eq + 1, &n) || n > UINT32_MAX) {
		err = -ERANGE;
	} else if (!strncmp(f, "max_entries=", 12)) {
		err = bbpf_map_set_max_entries(m, (uint32_t)n);
	} else if (!strncmp(f, "value_size=", 11)) {
		err = bbpf_map_set_value_size(m, (uint32_t)n);
	} else if (!strncmp(f, "key_size=", 9)) {
		err = bbpf_map_set_key_size(m, (uint32_t)n);
	} else {
		bbpf_cli_err("--map %s: unknown field '%.*s' (max_entries, value_size, key_size, "
			     "type)", v, (int)(eq - f), f);
		return -1;
	}
	if (err)
		bbpf_cli_err("--map %s: %s", v, err == -ERANGE ? "not a 32-bit number" :
			     strerror(-err));
	return err ? -1 : 0;
}

void bbpf_cli_open_error(const char *path, int err, const struct bbpf_diag *d)
{
	char where[128] = "";
	const char *what = "";
	struct statx st;

	if (err >= 0)		/* a library bug; say something sane */
		err = -EIO;
	if (d->why != BBPF_BAD_NONE && d->sec != BBPF_DIAG_NO_SEC)
		bbpf_snprintf(where, sizeof(where), " (%s, section #%u, offset 0x%llx)",
			      bbpf_bad_str(d->why), d->sec, (unsigned long long)d->off);
	else if (d->why != BBPF_BAD_NONE)
		bbpf_snprintf(where, sizeof(where), " (%s, offset 0x%llx)",
			      bbpf_bad_str(d->why), (unsigned long long)d->off);
	/* statx through the syscall table the CLI links anyway: stat() would pull in musl's fstatat */
	else if (err == -EINVAL && !bbpf_sys_linux.statx(NULL, AT_FDCWD, path, 0, STATX_TYPE, &st) &&
		 !S_ISREG(st.stx_mode))
		what = " (not a regular file)";
	else if (err == -EINVAL || err == -EBADMSG)
		what = " (not a BPF ELF object)";
	bbpf_cli_err("%s: %s%s%s", path, strerror(-err), where, what);
}

/* getenv() without musl's (and its strchrnul): the static CLIs count bytes. */
static const char *env(const char *name)
{
	extern char **environ;
	size_t n = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if ((*e)[0] == name[0] && !strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

int bbpf_cli_obj_open(struct bbpf_cli_obj *o, const char *path, const char *kconfig_path,
		      const char *btf_path)
{
	struct bbpf_diag diag = { .why = BBPF_BAD_NONE, .sec = BBPF_DIAG_NO_SEC };
	struct bbpf_ctx_opts co = { 0 };
	struct bbpf_open_opts oo = { 0 };
	size_t len;
	char *text;
	int err;

	co.log = bbpf_cli_log;
	co.log_ctx = o;
	co.log_warn_only = !o->debug;	/* bbpf_cli_log shows the rest only with --debug */
	co.btf_path = btf_path;	/* CO-RE target for kernels without /sys/kernel/btf/vmlinux */
	/* uprobe/usdt sections naming a bare library or program: searched as libbpf does */
	co.ld_library_path = env("LD_LIBRARY_PATH");
	co.exec_path = env("PATH");
	err = bbpf_ctx_new(&o->ctx, &co);
	if (err) {
		bbpf_cli_err("cannot create a context: %s", strerror(-err));
		return BBPF_CLI_EXIT_FAIL;
	}
	/*
	 * The .config text, read through the context's table into its arena
	 * where bbpf_ctx_opts.kconfig would have copied it: no reader of our
	 * own. As the copy it counts up to its first NUL.
	 */
	if (kconfig_path) {
		err = bbpf_sys_read_file(o->ctx, kconfig_path, &o->ctx->arena, BBPF_CLI_KCONFIG_MAX,
					 &text, &len);
		if (err) {
			bbpf_cli_err("%s: %s", kconfig_path, strerror(-err));
			return BBPF_CLI_EXIT_FAIL;
		}
		o->ctx->kconfig = text;
		o->ctx->kconfig_len = strlen(text);
	}
	oo.log = bbpf_cli_log;
	oo.log_ctx = o;
	oo.log_warn_only = !o->debug;
	err = bbpf_object_open_file(&o->obj, path, &oo, &diag);
	if (err) {
		if (o->held[0])
			bbpf_cli_obj_flush(o);
		else
			bbpf_cli_open_error(path, err, &diag);
		o->obj = NULL;
		return BBPF_CLI_EXIT_FAIL;
	}
	return 0;
}

#ifndef BBPF_CLI_INIT
/*
 * map { idx N | name NAME } MAP (w: those four words): the object's map, as
 * libbpf counts them, made to reuse MAP's fd; the fd (closed after load), or
 * -1 with the reason printed in bpftool's words.
 */
__attribute__((noinline))
static int reuse_map(struct bbpf_cli_obj *o, const char *const *w)
{
	struct bbpf_cli_opts opts = { 0 };
	struct bbpf_cli_att a = { .opts = &opts, .what = "prog load", .ctx = o->ctx,
				  .argc = 2, .argv = (char **)w + 2 };
	unsigned long long idx = 0;
	struct bbpf_map *m = NULL;
	size_t i, n = bbpf_object_map_cnt(o->obj);
	int fd;

	if (w[0][0] == 'i') {
		bbpf_cli_parse_uint(w[1], &idx);	/* checked when parsed */
		if (idx < n)
			m = bbpf_object_map(o->obj, (size_t)idx);
	} else {
		for (i = 0; i < n && !m; i++)
			if (!strcmp(bbpf_map_name(bbpf_object_map(o->obj, i)), w[1]))
				m = bbpf_object_map(o->obj, i);
	}
	if (!m) {
		bbpf_cli_err(w[0][0] == 'i' ? "map idx '%s' not used" : "unable to find map '%s'",
			     w[1]);
		return -1;
	}
	fd = bbpf_cli_att_map(&a);
	if (fd < 0)
		return -1;
	if (bbpf_map_reuse_fd(m, fd)) {
		bbpf_cli_err("unable to set up map reuse for '%s'", bbpf_map_name(m));
		close(fd);
		return -1;
	}
	return fd;
}
#endif

int bbpf_cli_obj_load(struct bbpf_cli_obj *o, const char *path)
{
	struct bbpf_load_opts lo = { .ctx = o->ctx };
	struct bbpf_program *p;
	const char *v;
	size_t i, fd_cnt = 0;
	int err, *fds = NULL, ret = BBPF_CLI_EXIT_FAIL;

	if (o->tweak_cnt && !(fds = malloc(o->tweak_cnt * sizeof(*fds)))) {
		bbpf_cli_err("out of memory");
		return BBPF_CLI_EXIT_FAIL;
	}
	for (i = 0; i + 1 < o->tweak_cnt; i += 2) {
		v = o->tweaks[i + 1];
#ifndef BBPF_CLI_INIT
		if (o->tweaks[i][0] == 'r') {
			int fd = reuse_map(o, o->tweaks + i + 1);

			if (fd < 0)
				goto out;
			fds[fd_cnt++] = fd;
			i += 3;
			continue;
		}
#endif
		if (o->tweaks[i][0] == 'm') {
			if (apply_map(o->obj, v))
				goto out;
			continue;
		}
		p = bbpf_object_find_program(o->obj, v);
		if (!p) {
			bbpf_cli_err("--skip %s: no program '%s' in %s", v, v, bbpf_object_name(o->obj));
			goto out;
		}
		bbpf_program_set_autoload(p, false);
	}
	bbpf_cli_obj_flush(o);
	err = bbpf_object_load(o->obj, &lo);
	if (err)
		bbpf_cli_obj_fail(o, "%s: loading failed: %s", path, strerror(-err));
	else
		ret = 0;
out:
	while (fd_cnt)
		bbpf_sys_linux.close(NULL, fds[--fd_cnt]);
	free(fds);
	return ret;
}

void bbpf_cli_obj_close(struct bbpf_cli_obj *o)
{
	bbpf_object_close(o->obj);
	o->obj = NULL;
	bbpf_ctx_free(o->ctx);
	o->ctx = NULL;
	free(o->tweaks);
	o->tweaks = NULL;
	o->tweak_cnt = 0;
	bbpf_cli_obj_flush(o);
}

/* statfs and mount through the syscall table the CLI links anyway: not musl's two wrappers */
static bool is_tracefs(const char *dir)
{
	long fs_type = 0;

	return !bbpf_sys_linux.statfs(NULL, dir, &fs_type) && fs_type == TRACEFS_MAGIC;
}

const char *bbpf_cli_tracefs(void)
{
	long err;

	if (is_tracefs(TRACEFS_DIR))
		return TRACEFS_DIR;
	if (is_tracefs(TRACEFS_OLD_DIR))
		return TRACEFS_OLD_DIR;
	err = bbpf_sys_linux.mount(NULL, "tracefs", TRACEFS_DIR, "tracefs", 0, NULL);
	if (err && err != -EBUSY) {
		bbpf_cli_err("cannot mount tracefs at %s: %s", TRACEFS_DIR, strerror((int)-err));
		return NULL;
	}
	if (!is_tracefs(TRACEFS_DIR)) {
		bbpf_cli_err("%s is not a tracefs mount", TRACEFS_DIR);
		return NULL;
	}
	return TRACEFS_DIR;
}
