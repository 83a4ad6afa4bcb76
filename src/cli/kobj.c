/* SPDX-License-Identifier: BSD-2-Clause */
/* see kobj.h; the show commands' printing helpers are in kobj_show.c */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <net/if.h>

#include "kobj.h"
#include "load_util.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../parse/btf.h"

#define ENOTSUPP_KERNEL	524	/* the kernel's internal "not supported" */

/* ---- context and errors ---- */

/*
 * Library messages (an unreadable /proc/kallsyms, a kernel BTF that is not
 * there) only with -d: the commands report their own failures, and what
 * they can do without (names of call targets) is not one.
 */
static void kobj_log(void *ctx, enum bbpf_log_level level, const char *msg)
{
	const struct bbpf_cli_kobj *k = ctx;

	if (k->opts->debug)
		bbpf_cli_log_debug(level, msg);	/* "barebpf: warning: msg" as the loading commands */
}

/* A command's context without the library's: enough to report errors. */
__attribute__((noinline)) static void kobj_init(struct bbpf_cli_kobj *k, const struct bbpf_cli_opts *opts, const char *what)
{
	memset(k, 0, sizeof(*k));
	k->opts = opts;
	k->what = what;
	k->json = opts->json;
	k->out = BBPF_CLI_STDOUT;
	bbpf_cli_json_init(&k->j, BBPF_CLI_STDOUT, opts->pretty);
}

int bbpf_cli_kobj_open(struct bbpf_cli_kobj *k, const struct bbpf_cli_opts *opts,
		       const char *what, int argc, char **argv)
{
	struct bbpf_ctx_opts co = { 0 };
	int i, err;

	kobj_init(k, opts, what);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (argv[i][0] == '-' && argv[i][1])
			return bbpf_cli_kobj_close(k, bbpf_cli_kobj_usage(k, "unknown option '%s'",
									  argv[i]));
	}
	co.sys = opts->sys;
	co.log = kobj_log;
	co.log_ctx = k;
	err = bbpf_ctx_new(&k->ctx, &co);
	if (err)
		return bbpf_cli_kobj_close(k, bbpf_cli_kobj_errno(k, err, "cannot set up"));
	k->sys = &k->ctx->sys;
	return 0;
}

int bbpf_cli_kobj_close(struct bbpf_cli_kobj *k, int ret)
{
	if (k->json)
		bbpf_cli_json_close_all(&k->j);
	bbpf_cli_flush(k->out);
	bbpf_ctx_free(k->ctx);
	k->ctx = NULL;
	return ret;
}

const char *bbpf_cli_kobj_strerror(int err)
{
	if (err == -ENOTSUPP_KERNEL || err == ENOTSUPP_KERNEL)
		return "Operation not supported (ENOTSUPP)";
	return strerror(err < 0 ? -err : err);
}

/* err nonzero: ": strerror" after the message. */
static int vreport(struct bbpf_cli_kobj *k, int ret, int err, const char *fmt, va_list ap)
{
	char msg[1024];
	size_t n, head;

	bbpf_snprintf(msg, sizeof(msg), "%s: ", k->what);
	head = strlen(msg);
	bbpf_vsnprintf(msg + head, sizeof(msg) - head, fmt, ap);
	if (err) {
		n = strlen(msg);
		bbpf_snprintf(msg + n, sizeof(msg) - n, ": %s", bbpf_cli_kobj_strerror(err));
	}
	if (k->json)
		bbpf_cli_json_error(&k->j, k->bare ? msg + head : msg);
	else
		bbpf_cli_err("%s", msg);
	return ret;
}

BBPF_NO_FP_VARARGS
int bbpf_cli_kobj_err(struct bbpf_cli_kobj *k, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreport(k, BBPF_CLI_EXIT_FAIL, 0, fmt, ap);
	va_end(ap);
	return ret;
}

BBPF_NO_FP_VARARGS
int bbpf_cli_kobj_errno(struct bbpf_cli_kobj *k, int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreport(k, BBPF_CLI_EXIT_FAIL, err, fmt, ap);
	va_end(ap);
	return ret;
}

BBPF_NO_FP_VARARGS
int bbpf_cli_kobj_usage(struct bbpf_cli_kobj *k, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreport(k, BBPF_CLI_EXIT_USAGE, 0, fmt, ap);
	va_end(ap);
	return ret;
}

int bbpf_cli_kobj_help(const struct bbpf_cli_opts *opts, const char *usage)
{
	struct bbpf_cli_help_buf b;
	const char *u, *nl;

	if (opts->json) {
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "null\n");
		return BBPF_CLI_EXIT_OK;
	}
	usage = bbpf_cli_help_text(usage, &b);
	for (u = usage; u; u = nl ? nl + 1 : NULL) {
		nl = strchr(u, '\n');
		bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s %s %.*s\n", u == usage ? "Usage:" : "      ",
				 *u == ' ' ? "       " : BBPF_CLI_NAME,
				 (int)(nl ? (size_t)(nl - u) : strlen(u)), u);
	}
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "\n%s\n", bbpf_cli_help_text(BBPF_CLI_HELP("kobj"), &b));
	return BBPF_CLI_EXIT_OK;
}

int bbpf_cli_kobj_help_cmd(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return bbpf_cli_kobj_help(opts, cmd->usage);
}

int bbpf_cli_kobj_dispatch(const struct bbpf_cli_cmd *table, size_t n,
			   const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			   int argc, char **argv)
{
	char show_word[] = "show", *show[] = { show_word, NULL };
	const struct bbpf_cli_cmd *found = NULL;
	struct bbpf_cli_kobj k;
	size_t i, len, hits = 0;

	if (argc < 2)
		return table[0].run(&table[0], opts, 1, show);
	/* The full name, or a prefix of only one (as the top-level dispatcher). */
	len = strlen(argv[1]);
	for (i = 0; len && i < n; i++) {
		if (strncmp(table[i].name, argv[1], len))
			continue;
		found = &table[i];
		hits++;
		if (!found->name[len]) {	/* exact: wins */
			hits = 1;
			break;
		}
	}
	if (hits == 1)
		return found->run(found, opts, argc - 1, argv + 1);
	kobj_init(&k, opts, cmd->name);
	return bbpf_cli_kobj_usage(&k, "%s subcommand '%s' (see '%s %s help')",
				   hits ? "ambiguous" : "unknown", argv[1], BBPF_CLI_NAME, cmd->name);
}

/* ---- words ---- */

bool bbpf_cli_kobj_kw(const char *arg, const char *word)
{
	return arg && *arg && !strncmp(word, arg, strlen(arg));
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * A whole number in base (0: as strtoul(s, 0) reads it; 16: hex, "0x"
 * allowed) up to max: 0, -EINVAL (no number, a bad digit), -ERANGE (above
 * max, found at the first digit that goes past it). map.c reads bytes with it.
 */
int bbpf_cli_kobj_num(const char *s, unsigned int base, uint32_t max, uint32_t *v);

int bbpf_cli_kobj_num(const char *s, unsigned int base, uint32_t max, uint32_t *v)
{
	uint64_t n = 0;
	int d;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && (base == 0 || s[2])) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	} else if (!base) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; *s; s++) {
		d = hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		n = n * base + (unsigned int)d;
		if (n > max)
			return -ERANGE;
	}
	*v = (uint32_t)n;
	return 0;
}

int bbpf_cli_kobj_u32(const char *s, uint32_t *v)
{
	return bbpf_cli_kobj_num(s, 0, UINT32_MAX, v) ? -EINVAL : 0;
}

int64_t bbpf_cli_kobj_atoll(const char *s)
{
	uint64_t v = 0;
	bool neg = false;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	return neg ? -(int64_t)v : (int64_t)v;
}

char *bbpf_cli_argv_next(struct bbpf_cli_argv *a)
{
	if (a->c <= 0)
		return NULL;
	a->c--;
	return *a->v++;
}

/* ---- handles ---- */

enum bbpf_cli_obj_type bbpf_cli_kobj_fd_type(struct bbpf_cli_kobj *k, int fd)
{
	/* by enum bbpf_cli_obj_type from PROG (no name contains another: any order) */
	static const char kinds[][9] = { "bpf-prog", "bpf-map", "bpf-link" };
	char path[64], buf[128];
	unsigned int i;
	long n;

	bbpf_snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = k->sys->readlink(k->sys->ctx, path, buf, sizeof(buf) - 1);
	if (n < 0)
		return BBPF_CLI_OBJ_UNKNOWN;
	buf[n] = '\0';
	for (i = 0; i < 3; i++)
		if (bbpf_cli_strstr(buf, kinds[i]))
			return (enum bbpf_cli_obj_type)(BBPF_CLI_OBJ_PROG + i);
	return BBPF_CLI_OBJ_UNKNOWN;
}

static const char *const obj_type_names[] = { "unknown", "prog", "map", "link", "BTF" };
static const char *const handle_words[] = { "", "PROG", "MAP", "LINK" };

/* Per enum bbpf_cli_obj_type (not UNKNOWN). */
static int (*const next_id[])(const struct bbpf_sys *, uint32_t, uint32_t *) = {
	NULL, bbpf_cmd_prog_get_next_id, bbpf_cmd_map_get_next_id, bbpf_cmd_link_get_next_id,
	bbpf_cmd_btf_get_next_id,
};
static int (*const fd_by_id[])(const struct bbpf_sys *, uint32_t) = {
	NULL, bbpf_cmd_prog_get_fd_by_id, bbpf_cmd_map_get_fd_by_id, bbpf_cmd_link_get_fd_by_id,
	bbpf_cmd_btf_get_fd_by_id,
};

int bbpf_cli_kobj_next(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type, uint32_t *id,
		       int *fd)
{
	const char *kind = obj_type_names[type];
	int err;

	for (;;) {
		err = next_id[type](k->sys, *id, id);
		if (err == -ENOENT)
			return 0;
		if (err) {
			bbpf_cli_kobj_errno(k, err, "cannot get the next %s id", kind);
			return -1;
		}
		*fd = fd_by_id[type](k->sys, *id);
		if (*fd == -ENOENT)
			continue;	/* gone meanwhile */
		if (*fd < 0) {
			bbpf_cli_kobj_errno(k, *fd, "cannot get %s id %u", kind, *id);
			return -1;
		}
		return 1;
	}
}

int bbpf_cli_kobj_pinned(struct bbpf_cli_kobj *k, const char *path, enum bbpf_cli_obj_type type,
			 bool quiet)
{
	enum bbpf_cli_obj_type t;
	int fd = bbpf_cmd_obj_get(k->sys, path, 0);

	if (fd < 0) {
		if (!quiet)
			bbpf_cli_kobj_errno(k, fd, "cannot open pinned object %s", path);
		return -1;
	}
	t = bbpf_cli_kobj_fd_type(k, fd);
	if (t != type) {
		if (!quiet)
			bbpf_cli_kobj_err(k, "%s is a pinned %s, not a %s", path,
					  obj_type_names[t], obj_type_names[type]);
		bbpf_cli_kobj_fdclose(k, fd);
		return -1;
	}
	return fd;
}

void bbpf_cli_kobj_fdclose(struct bbpf_cli_kobj *k, int fd)
{
	k->sys->close(k->sys->ctx, fd);
}

void bbpf_cli_kobj_close_fds(struct bbpf_cli_kobj *k, int *fds, int n)
{
	while (n-- > 0)
		bbpf_cli_kobj_fdclose(k, fds[n]);
}

static int push_fd(struct bbpf_cli_kobj *k, int **fds, int *cnt, int fd)
{
	int *nf = realloc(*fds, ((size_t)*cnt + 1) * sizeof(**fds));

	if (!nf) {
		bbpf_cli_kobj_fdclose(k, fd);
		return -ENOMEM;
	}
	*fds = nf;
	nf[(*cnt)++] = fd;
	return 0;
}

/* Sixteen hex digits, as bpftool's BPF_TAG_FMT reads them. */
static int parse_tag(const char *s, uint8_t tag[BPF_TAG_SIZE])
{
	unsigned int i;
	int hi, lo;

	if (strlen(s) != 2 * BPF_TAG_SIZE)
		return -EINVAL;
	for (i = 0; i < BPF_TAG_SIZE; i++) {
		hi = hex_digit(s[2 * i]);
		lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		tag[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* Every program (tag or name match) or map (name match), in id order. */
static int scan_ids(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type, const uint8_t *tag,
		    const char *name, int **fds)
{
	bool prog = type == BBPF_CLI_OBJ_PROG;
	union {
		struct bpf_prog_info p;
		struct bpf_map_info m;
	} u;
	char full[BBPF_CLI_PROG_NAME_MAX];
	uint32_t id = 0;
	int cnt = 0, fd, err, more;

	while ((more = bbpf_cli_kobj_next(k, type, &id, &fd)) > 0) {
		err = bbpf_cli_kobj_info(k, fd, &u, prog ? sizeof(u.p) : sizeof(u.m));
		if (err) {
			bbpf_cli_kobj_errno(k, err, "cannot get info of %s id %u",
					  obj_type_names[type], id);
			bbpf_cli_kobj_fdclose(k, fd);
			goto fail;
		}
		if (prog && name)
			bbpf_cli_kobj_prog_name(k, &u.p, fd, full, sizeof(full));
		if (prog ? (tag ? memcmp(tag, u.p.tag, BPF_TAG_SIZE) : strcmp(name, full))
			 : strncmp(name, u.m.name, BPF_OBJ_NAME_LEN)) {
			bbpf_cli_kobj_fdclose(k, fd);
			continue;
		}
		if (push_fd(k, fds, &cnt, fd)) {
			bbpf_cli_kobj_err(k, "out of memory");
			goto fail;
		}
	}
	if (more < 0)
		goto fail;
	if (!cnt) {
		bbpf_cli_kobj_err(k, tag ? "no program has this tag" : "no %s is named '%s'",
				  prog ? "program" : "map", name);
		goto fail;
	}
	return cnt;
fail:
	bbpf_cli_kobj_close_fds(k, *fds, cnt);
	free(*fds);
	*fds = NULL;
	return -1;
}

static int handle_fds(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, int **fds,
		      enum bbpf_cli_obj_type type)
{
	/* the handle keywords: a link takes the first two, a map three, a program all */
	static const char kws[][8] = { "id", "pinned", "name", "tag" };
	static const char *const forms[] = { "", " | tag TAG | name NAME", " | name NAME", "" };
	static const char *const alts[] = { "", ", 'tag' or 'name'", " or 'name'", "" };
	const char *kind = obj_type_names[type];
	char *w = bbpf_cli_argv_next(a), *v;
	uint8_t tag[BPF_TAG_SIZE];
	unsigned int i, nkw = type == BBPF_CLI_OBJ_PROG ? 4 : type == BBPF_CLI_OBJ_MAP ? 3 : 2;
	uint32_t id;
	int fd, cnt = 0;

	*fds = NULL;
	if (!w)
		return -bbpf_cli_kobj_usage(k, "expected a %s: id ID | pinned FILE%s", kind,
					    forms[type]);
	v = bbpf_cli_argv_next(a);
	for (i = 0; i < nkw && !bbpf_cli_kobj_kw(w, kws[i]); i++)
		;
	if (i == nkw)
		return -bbpf_cli_kobj_usage(k, "expected 'id', 'pinned'%s, got '%s'", alts[type], w);
	if (!v)
		return -bbpf_cli_kobj_usage(k, "'%s' needs a value", w);
	if (i == 0) {
		if (bbpf_cli_kobj_u32(v, &id))
			return -bbpf_cli_kobj_usage(k, "cannot parse '%s' as an id", v);
		fd = fd_by_id[type](k->sys, id);
		if (fd < 0) {
			bbpf_cli_kobj_errno(k, fd, "cannot get %s id %u", kind, id);
			return -1;
		}
	} else if (i == 1) {
		fd = bbpf_cli_kobj_pinned(k, v, type, false);
		if (fd < 0)
			return -1;
	} else if (i == 3) {
		if (parse_tag(v, tag))
			return -bbpf_cli_kobj_usage(k, "cannot parse '%s' as a tag (16 hex digits)", v);
		return scan_ids(k, type, tag, NULL, fds);
	} else {
		if (strlen(v) > (type == BBPF_CLI_OBJ_PROG ? BBPF_CLI_PROG_NAME_MAX - 1
							   : BPF_OBJ_NAME_LEN - 1))
			return -bbpf_cli_kobj_usage(k, "name '%s' is too long", v);
		return scan_ids(k, type, NULL, v, fds);
	}
	if (push_fd(k, fds, &cnt, fd)) {	/* fd closed */
		bbpf_cli_kobj_err(k, "out of memory");
		return -1;
	}
	return 1;
}

static int one_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, enum bbpf_cli_obj_type type)
{
	int *fds, n, fd;

	n = handle_fds(k, a, &fds, type);
	if (n < 0)
		return n;
	if (n > 1) {
		bbpf_cli_kobj_close_fds(k, fds, n);
		free(fds);
		bbpf_cli_kobj_err(k, "%d %ss match this handle, one is needed", n,
				  obj_type_names[type]);
		return -1;
	}
	fd = fds[0];
	free(fds);
	return fd;
}

int bbpf_cli_kobj_prog_fds(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, int **fds)
{
	return handle_fds(k, a, fds, BBPF_CLI_OBJ_PROG);
}

int bbpf_cli_kobj_prog_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a)
{
	return one_fd(k, a, BBPF_CLI_OBJ_PROG);
}

int bbpf_cli_kobj_map_fds(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a, int **fds)
{
	return handle_fds(k, a, fds, BBPF_CLI_OBJ_MAP);
}

int bbpf_cli_kobj_map_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a)
{
	return one_fd(k, a, BBPF_CLI_OBJ_MAP);
}

int bbpf_cli_kobj_link_fd(struct bbpf_cli_kobj *k, struct bbpf_cli_argv *a)
{
	return one_fd(k, a, BBPF_CLI_OBJ_LINK);
}

int bbpf_cli_kobj_show_all(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type,
			   bbpf_cli_show_fn *show, const void *arg)
{
	uint32_t id = 0;
	int ret = 0, fd, more = 0;

	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR);
	while (!ret && (more = bbpf_cli_kobj_next(k, type, &id, &fd)) > 0) {
		ret = show(k, fd, arg);
		bbpf_cli_kobj_fdclose(k, fd);
	}
	return more < 0 ? BBPF_CLI_EXIT_FAIL : ret;
}

int bbpf_cli_kobj_show_cmd(const struct bbpf_cli_opts *opts, enum bbpf_cli_obj_type type,
			   const char *what, int argc, char **argv, bbpf_cli_show_fn *show)
{
	static const char *const plural[] = { "", "programs", "maps", "links" };
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_idmap pins = { 0 };
	struct bbpf_cli_kobj k;
	int ret, *fds = NULL, n, i;

	ret = bbpf_cli_kobj_open(&k, opts, what, argc, argv);
	if (ret)
		return ret;
	if (a.c != 0 && a.c != 2) {
		ret = bbpf_cli_kobj_usage(&k, "expected %s or nothing, got %d word(s)", handle_words[type],
					  a.c);
	} else if (opts->bpffs && bbpf_cli_kobj_pinned_table(&k, type, &pins)) {
		ret = bbpf_cli_kobj_err(&k, "cannot list pinned %s: out of memory", plural[type]);
	} else if (!a.c) {
		ret = bbpf_cli_kobj_show_all(&k, type, show, &pins);
	} else {
		n = handle_fds(&k, &a, &fds, type);
		if (n < 0)
			ret = -n;
		if (n > 1)
			bbpf_cli_kobj_j(&k, BBPF_CLI_J_ARR);
		for (i = 0; i < n && !ret; i++)
			ret = show(&k, fds[i], &pins);
		bbpf_cli_kobj_close_fds(&k, fds, n);
		free(fds);
	}
	bbpf_cli_idmap_free(&pins);
	return bbpf_cli_kobj_close(&k, ret);
}

/* fd_cmd, or with op NULL, pin_cmd: op on the handle's one fd, or a pin at the FILE after it. */
static int one_fd_cmd(const struct bbpf_cli_opts *opts, enum bbpf_cli_obj_type type,
		      const char *what, int argc, char **argv,
		      int (*op)(const struct bbpf_sys *sys, int fd), const char *fail)
{
	struct bbpf_cli_argv a = { argv + 1, argc - 1 };
	struct bbpf_cli_kobj k;
	int ret, fd, err;

	ret = bbpf_cli_kobj_open(&k, opts, what, argc, argv);
	if (ret)
		return ret;
	if (a.c != (op ? 2 : 3))
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_usage(&k, op ? "expected %s" :
								 "expected %s FILE",
								 op ? handle_words[type] :
								 obj_type_names[type]));
	fd = one_fd(&k, &a, type);
	if (fd < 0)
		return bbpf_cli_kobj_close(&k, -fd);
	if (!op) {
		ret = bbpf_cli_kobj_pin(&k, fd, a.v[0]) ? BBPF_CLI_EXIT_FAIL : 0;
	} else {
		err = op(k.sys, fd);
		if (err)
			ret = bbpf_cli_kobj_errno(&k, err, "%s", fail);
	}
	bbpf_cli_kobj_fdclose(&k, fd);
	if (!ret && k.json)
		bbpf_cli_json_null(&k.j);
	return bbpf_cli_kobj_close(&k, ret);
}

int bbpf_cli_kobj_fd_cmd(const struct bbpf_cli_opts *opts, enum bbpf_cli_obj_type type,
			 const char *what, int argc, char **argv,
			 int (*op)(const struct bbpf_sys *sys, int fd), const char *fail)
{
	return one_fd_cmd(opts, type, what, argc, argv, op, fail);
}

#define BPF_FS_MAGIC	0xcafe4a11

bool bbpf_cli_dir_open(struct bbpf_cli_dir *d, const struct bbpf_sys *sys, const char *path)
{
	d->sys = sys;
	d->n = d->off = 0;
	d->fd = sys->open(sys->ctx, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	return d->fd >= 0;
}

const char *bbpf_cli_dir_next(struct bbpf_cli_dir *d)
{
	const char *rec;
	uint16_t reclen;

	if (d->off + 19 >= d->n) {
		d->n = d->sys->getdents64(d->sys->ctx, (int)d->fd, d->buf, sizeof(d->buf));
		d->off = 0;
		if (d->n <= 19)
			return NULL;	/* the end, or an error */
	}
	/* d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name */
	rec = (const char *)d->buf + d->off;
	memcpy(&reclen, rec + 16, sizeof(reclen));
	d->off = reclen < 20 ? d->n : d->off + reclen;	/* a short record: no further one */
	return rec + 19;
}

void bbpf_cli_dir_close(struct bbpf_cli_dir *d)
{
	d->sys->close(d->sys->ctx, (int)d->fd);
}

/* True if dir has no entries besides "." and "..". */
static bool dir_empty(const struct bbpf_sys *sys, const char *dir)
{
	struct bbpf_cli_dir d;
	const char *name;
	bool empty = true;

	if (!bbpf_cli_dir_open(&d, sys, dir))
		return false;
	while (empty && (name = bbpf_cli_dir_next(&d)))
		empty = name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
	bbpf_cli_dir_close(&d);
	return empty && !d.n;	/* read to the end, no error */
}

int bbpf_cli_kobj_bpffs(const struct bbpf_sys *sys, char *dir, bool pindir)
{
	char *slash, *s;
	long fs_type = 0, err;

	for (;;) {
		/* strrchr(dir, '/'), without binding one more libc function at run time */
		for (slash = NULL, s = dir; *s; s++)
			if (*s == '/')
				slash = s;
		if (!pindir || !slash || slash == dir || slash[1])
			break;
		*slash = '\0';
	}
	if (!slash)
		memcpy(dir, ".", 2);
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	err = sys->statfs(sys->ctx, dir, &fs_type);
	if (err)
		return pindir ? (int)err : 0;
	if (fs_type == BPF_FS_MAGIC)
		return 0;
	if (!dir_empty(sys, dir))
		return -ENOTEMPTY;
	return (int)sys->mount(sys->ctx, "bpf", dir, "bpf", 0, "mode=0700");
}

int bbpf_cli_kobj_pin(struct bbpf_cli_kobj *k, int fd, const char *path)
{
	char dir[4096];
	size_t len = strlen(path);
	int err;

	if (len >= sizeof(dir)) {
		bbpf_cli_kobj_err(k, "path too long: %s", path);
		return -1;
	}
	memcpy(dir, path, len + 1);
	err = bbpf_cli_kobj_bpffs(k->sys, dir, false);
	if (err == -ENOTEMPTY) {
		bbpf_cli_kobj_err(k, "cannot pin at %s: %s is not on a BPF file system (and "
				  "not empty, so none is mounted there)", path, dir);
		return -1;
	}
	if (err) {
		bbpf_cli_kobj_errno(k, err, "cannot mount a BPF file system at %s", dir);
		return -1;
	}
	err = bbpf_cmd_obj_pin(k->sys, fd, path);
	if (err) {
		bbpf_cli_kobj_errno(k, err, "cannot pin at %s", path);
		return -1;
	}
	return 0;
}

int bbpf_cli_kobj_pin_cmd(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
			  int argc, char **argv)
{
	const char *u = cmd->usage;	/* "prog pin", "map pin", "link pin" */

	return one_fd_cmd(opts, u[0] == 'p' ? BBPF_CLI_OBJ_PROG : u[0] == 'm' ? BBPF_CLI_OBJ_MAP :
			  BBPF_CLI_OBJ_LINK, u, argc, argv, NULL, NULL);
}
