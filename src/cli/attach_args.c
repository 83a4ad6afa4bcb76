/* SPDX-License-Identifier: BSD-2-Clause */
/* see attach_args.h */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "attach_args.h"
#include "load_util.h"
#include "json.h"
#include "textfile.h"
#include "kobj.h"
#include "../base/fmt.h"
#include "../kern/kern.h"

#define NAME_MAX_LEN	(BPF_OBJ_NAME_LEN - 1)	/* what the kernel keeps of a name */

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	const struct bbpf_cli_opts *opts = ctx;

	if (opts->debug)
		bbpf_cli_log_debug(level, msg);
	else if (level == BBPF_LOG_WARN && !opts->json)
		bbpf_cli_err("%s", msg);
}

int bbpf_cli_att_open(struct bbpf_cli_att *a, const struct bbpf_cli_opts *gopts,
		      const struct bbpf_cli_cmd *cmd, const char *what, int argc, char **argv)
{
	struct bbpf_ctx_opts co = { .log = log_cb };
	int i, n = 0, err;

	memset(a, 0, sizeof(*a));
	a->opts_buf = *gopts;
	a->opts = &a->opts_buf;
	a->cmd = cmd;
	a->what = what;
	/* options anywhere, as bpftool's getopt; "--" ends them */
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++)
				argv[n++] = argv[i];
			break;
		}
		if (argv[i][0] == '-' && argv[i][1] && bbpf_cli_common_opt(&a->opts_buf, argv[i]))
			continue;
		if (argv[i][0] == '-' && argv[i][1] && (argv[i][1] < '0' || argv[i][1] > '9'))
			return bbpf_cli_att_usage(a, "unknown option '%s'", argv[i]);
		argv[n++] = argv[i];
	}
	a->argc = n;
	a->argv = argv;
	co.log_ctx = &a->opts_buf;
	err = bbpf_ctx_new(&a->ctx, &co);
	if (err)
		return bbpf_cli_att_err(a, "%s", strerror(-err));
	return 0;
}

int bbpf_cli_att_close(struct bbpf_cli_att *a, int ret)
{
	if (!ret && a->opts->json) {
		struct bbpf_cli_json j;

		bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, a->opts->pretty);
		bbpf_cli_json_null(&j);
		bbpf_cli_json_finish(&j);
	}
	bbpf_ctx_free(a->ctx);
	a->ctx = NULL;
	return ret;
}

static void verr(struct bbpf_cli_att *a, const char *fmt, va_list ap)
{
	char msg[1024];

	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	if (a->opts->json) {
		struct bbpf_cli_json j;

		bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, a->opts->pretty);
		bbpf_cli_json_error(&j, msg);
	} else {
		bbpf_cli_err("%s: %s", a->what, msg);
	}
}

BBPF_NO_FP_VARARGS
int bbpf_cli_att_err(struct bbpf_cli_att *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(a, fmt, ap);
	va_end(ap);
	return BBPF_CLI_EXIT_FAIL;
}

BBPF_NO_FP_VARARGS
int bbpf_cli_att_usage(struct bbpf_cli_att *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(a, fmt, ap);
	va_end(ap);
	if (!a->opts->json && a->cmd)
		bbpf_cli_help_usage(BBPF_CLI_STDERR, a->cmd);
	return BBPF_CLI_EXIT_USAGE;
}

bool bbpf_cli_att_kw(const char *arg, const char *word)
{
	return bbpf_cli_kobj_kw(arg, word);	/* the same rule */
}

const char *bbpf_cli_att_next(struct bbpf_cli_att *a)
{
	if (a->argc <= 0)
		return NULL;
	a->argc--;
	return *a->argv++;
}

int bbpf_cli_att_need(struct bbpf_cli_att *a, int n)
{
	if (a->argc >= n)
		return 0;
	return bbpf_cli_att_usage(a, "'%s' needs at least %d arguments, %d found", a->argv[-1], n,
				  a->argc);
}

int bbpf_cli_att_end(struct bbpf_cli_att *a)
{
	return a->argc ? bbpf_cli_att_usage(a, "unexpected '%s'", a->argv[0]) : 0;
}

const char *bbpf_cli_att_strerror(int err)
{
	return err == -524 ? "Operation not supported" : strerror(-err);	/* ENOTSUPP */
}

/* ---- objects by handle ---- */

enum obj { OBJ_PROG, OBJ_MAP };

/* What by_handle() and by_walk() do and say for each kind, indexed by enum obj. */
static const struct kind {
	int (*next_id)(const struct bbpf_sys *sys, uint32_t id, uint32_t *next);
	int (*fd_by_id)(const struct bbpf_sys *sys, uint32_t id);
	const char *what, *one, *many, *by_id, *expected;
} obj_kinds[] = {
	{ bbpf_cmd_prog_get_next_id, bbpf_cmd_prog_get_fd_by_id, "prog", "program", "programs",
	  "get by id (%u): %s", "expected 'id', 'tag', 'name' or 'pinned', got: '%s'?" },
	{ bbpf_cmd_map_get_next_id, bbpf_cmd_map_get_fd_by_id, "map", "map", "maps",
	  "get map by id (%u): %s", "expected 'id', 'name' or 'pinned', got: '%s'?" },
};

/*
 * What a bpf fd is, from its /proc/self/fd link, as bpftool's get_fd_type()
 * (readlink through the system's table: musl's readlink() would be linked
 * for this alone).
 */
static const char *fd_kind(int fd)
{
	static const char *const kinds[] = { "prog", "map", "link", "btf" };
	char path[64], buf[64];
	long n;
	size_t i;

	bbpf_snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = bbpf_sys_linux.readlink(NULL, path, buf, sizeof(buf) - 1);
	if (n < 0)
		return "unknown";
	buf[n] = '\0';
	for (i = 0; !strncmp(buf, "anon_inode:bpf-", 15) && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(buf + 15, kinds[i]))
			return kinds[i];
	return "unknown";
}

static bool parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x = 0;
	const char *p = s;

	if (!*p)
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((x = x * 10 + (unsigned int)(*p - '0')) > UINT32_MAX)
			return false;
	*v = (uint32_t)x;
	return !*p;
}

static bool parse_tag(const char *s, uint8_t tag[BPF_TAG_SIZE])
{
	unsigned int i, d;

	for (i = 0; i < 2 * BPF_TAG_SIZE; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')	/* 'A'..'F' too */
			d = (unsigned int)((c | 0x20) - 'a' + 10);
		else
			return false;
		if (i % 2 == 0)
			tag[i / 2] = (uint8_t)(d << 4);
		else
			tag[i / 2] |= (uint8_t)d;
	}
	return true;
}

/*
 * Walk every object of the kind for a name (or a program tag): the one fd
 * that matches, or minus the status with the error reported.
 */
static int by_walk(struct bbpf_cli_att *a, enum obj kind, const char *name, const uint8_t *tag,
		   const char *handle)
{
	const struct bbpf_sys *sys = &a->ctx->sys;
	const struct kind *k = &obj_kinds[kind];
	uint32_t id = 0, len;
	int fd, found = -1, n = 0, err;

	for (;;) {
		union {
			struct bpf_prog_info p;
			struct bpf_map_info m;
		} info;
		bool match;

		err = k->next_id(sys, id, &id);
		if (err == -ENOENT)
			break;
		if (err) {
			err = bbpf_cli_att_err(a, "can't get next %s: %s", k->one,
					       bbpf_cli_att_strerror(err));
			goto fail;
		}
		fd = k->fd_by_id(sys, id);
		if (fd == -ENOENT)
			continue;	/* gone meanwhile */
		if (fd < 0) {
			err = bbpf_cli_att_err(a, "can't get %s by id (%u): %s", k->what, id,
					       bbpf_cli_att_strerror(fd));
			goto fail;
		}
		memset(&info, 0, sizeof(info));
		len = kind == OBJ_PROG ? sizeof(info.p) : sizeof(info.m);
		err = bbpf_cmd_obj_info(sys, fd, &info, &len);
		match = !err && (kind == OBJ_PROG ?
				 (tag ? !memcmp(info.p.tag, tag, BPF_TAG_SIZE) :
					!strncmp(info.p.name, name, BPF_OBJ_NAME_LEN)) :
				 !strncmp(info.m.name, name, BPF_OBJ_NAME_LEN));
		if (!match) {
			sys->close(sys->ctx, fd);
			continue;
		}
		if (++n > 1) {
			sys->close(sys->ctx, fd);
			err = bbpf_cli_att_err(a, "several %s match this handle", k->many);
			goto fail;
		}
		found = fd;
	}
	if (found < 0)	/* bpftool 7.1 says nothing here */
		return -bbpf_cli_att_err(a, "no %s with %s %s", k->one, tag ? "tag" : "name", handle);
	return found;
fail:	/* err: the exit status */
	if (found >= 0)
		sys->close(sys->ctx, found);
	return -err;
}

static int by_handle(struct bbpf_cli_att *a, enum obj kind)
{
	const struct bbpf_sys *sys = &a->ctx->sys;
	const struct kind *k = &obj_kinds[kind];
	const char *kw = bbpf_cli_att_next(a), *v, *what = k->what;
	static const char words[][7] = { "id", "pinned", "name", "tag" };
	uint8_t tag[BPF_TAG_SIZE];
	uint32_t id;
	unsigned int h;
	int fd;

	if (!kw)
		return -bbpf_cli_att_usage(a, "expected %s handle", what);
	/* the words' initials differ: one can match at most */
	for (h = 0; h < 4u - kind && !bbpf_cli_att_kw(kw, words[h]); h++)	/* maps: no tag */
		;
	if (h == 4u - kind)
		return -bbpf_cli_att_usage(a, k->expected, kw);
	v = bbpf_cli_att_next(a);
	if (!v)
		return -bbpf_cli_att_usage(a, "no %s after '%s'", what, kw);
	if (h == 0) {
		if (!parse_u32(v, &id))
			return -bbpf_cli_att_usage(a, "can't parse %s as ID", v);
		fd = k->fd_by_id(sys, id);
		if (fd < 0)
			return -bbpf_cli_att_err(a, k->by_id, id, bbpf_cli_att_strerror(fd));
		return fd;
	}
	if (h == 1) {
		fd = bbpf_cmd_obj_get(sys, v, 0);
		if (fd < 0)
			return -bbpf_cli_att_err(a, "bpf obj get (%s): %s", v,
						 bbpf_cli_att_strerror(fd));
		v = fd_kind(fd);	/* the path is no longer needed */
		if (strcmp(v, what)) {
			bbpf_cli_att_err(a, "incorrect object type: %s", v);
			sys->close(sys->ctx, fd);
			return -BBPF_CLI_EXIT_FAIL;
		}
		return fd;
	}
	if (h == 3) {
		if (strlen(v) != 2 * BPF_TAG_SIZE || !parse_tag(v, tag))
			return -bbpf_cli_att_usage(a, "can't parse tag");
		return by_walk(a, kind, NULL, tag, v);
	}
	if (strlen(v) > NAME_MAX_LEN && kind == OBJ_MAP)
		return -bbpf_cli_att_usage(a, "can't parse name");
	return by_walk(a, kind, v, NULL, v);
}

int bbpf_cli_att_prog(struct bbpf_cli_att *a)
{
	return by_handle(a, OBJ_PROG);
}

int bbpf_cli_att_map(struct bbpf_cli_att *a)
{
	return by_handle(a, OBJ_MAP);
}

int bbpf_cli_att_dev(struct bbpf_cli_att *a)
{
	const char *kw = bbpf_cli_att_next(a), *name;
	unsigned int ifindex;

	if (!kw || !bbpf_cli_att_kw(kw, "dev"))
		return -bbpf_cli_att_usage(a, "expected 'dev', got: '%s'?", kw ? kw : "");
	name = bbpf_cli_att_next(a);
	if (!name)
		return -bbpf_cli_att_usage(a, "expected a device name after 'dev'");
	ifindex = bbpf_cli_ifindex(name);
	if (!ifindex || ifindex > INT_MAX)
		return -bbpf_cli_att_err(a, "invalid devname %s", name);
	return (int)ifindex;
}

/* ---- attach type words ---- */

/* bpftool's bpf_attach_type_input_str(): the traditional words it also takes, by prefix. */
static const char *cgroup_word(int t)
{
	static const unsigned char types[] = {
		BPF_CGROUP_INET_INGRESS, BPF_CGROUP_INET_EGRESS, BPF_CGROUP_INET_SOCK_CREATE,
		BPF_CGROUP_INET_SOCK_RELEASE, BPF_CGROUP_SOCK_OPS, BPF_CGROUP_DEVICE,
		BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET6_BIND, BPF_CGROUP_INET4_CONNECT,
		BPF_CGROUP_INET6_CONNECT, BPF_CGROUP_INET4_POST_BIND, BPF_CGROUP_INET6_POST_BIND,
		BPF_CGROUP_INET4_GETPEERNAME, BPF_CGROUP_INET6_GETPEERNAME,
		BPF_CGROUP_INET4_GETSOCKNAME, BPF_CGROUP_INET6_GETSOCKNAME,
		BPF_CGROUP_UDP4_SENDMSG, BPF_CGROUP_UDP6_SENDMSG, BPF_CGROUP_SYSCTL,
		BPF_CGROUP_UDP4_RECVMSG, BPF_CGROUP_UDP6_RECVMSG, BPF_CGROUP_GETSOCKOPT,
		BPF_CGROUP_SETSOCKOPT, BPF_TRACE_RAW_TP, BPF_TRACE_FENTRY, BPF_TRACE_FEXIT,
		BPF_MODIFY_RETURN, BPF_SK_REUSEPORT_SELECT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE,
	};
	/* one word per entry of types[], in its order */
	static const char words[] =
		"ingress\0egress\0sock_create\0sock_release\0sock_ops\0device\0"
		"bind4\0bind6\0connect4\0connect6\0post_bind4\0post_bind6\0"
		"getpeername4\0getpeername6\0getsockname4\0getsockname6\0"
		"sendmsg4\0sendmsg6\0sysctl\0recvmsg4\0recvmsg6\0getsockopt\0"
		"setsockopt\0raw_tp\0fentry\0fexit\0mod_ret\0sk_skb_reuseport_select\0"
		"sk_skb_reuseport_select_or_migrate";
	const char *w = words;
	size_t i;

	for (i = 0; i < sizeof(types); i++, w += strlen(w) + 1)
		if (types[i] == t)
			return w;
	return bbpf_attach_type_str((enum bpf_attach_type)t);
}

#define ATTACH_TYPES_MAX 128	/* past the last one bbpf_attach_type_str() names */

int bbpf_cli_att_cgroup_type(const char *s)
{
	const char *w;
	int t;

	for (t = 0; t < ATTACH_TYPES_MAX; t++) {
		w = bbpf_attach_type_str((enum bpf_attach_type)t);
		if (w && !strcmp(s, w))
			return t;
	}
	for (t = 0; t < ATTACH_TYPES_MAX; t++) {
		w = cgroup_word(t);
		if (w && bbpf_cli_att_kw(s, w))
			return t;
	}
	return -1;
}

int bbpf_cli_att_prog_type(const char *s)
{
	/* the exact names; the words by prefix are their tails ("stream_parser") */
	static const char exact[] = "sk_skb_stream_parser\0sk_skb_stream_verdict\0sk_msg_verdict\0"
				    "flow_dissector\0sk_skb_verdict";
	/* per name: its attach type, where its word starts (0: none) */
	static const uint8_t types[][2] = {
		{ BPF_SK_SKB_STREAM_PARSER, 7 }, { BPF_SK_SKB_STREAM_VERDICT, 7 },
		{ BPF_SK_MSG_VERDICT, 3 }, { BPF_FLOW_DISSECTOR, 0 }, { BPF_SK_SKB_VERDICT, 3 },
	};
	const char *w;
	size_t i, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0, w = exact; i < sizeof(types) / sizeof(types[0]);
		     i++, w += strlen(w) + 1)
			if (!pass ? !strcmp(s, w)
				  : types[i][1] && bbpf_cli_att_kw(s, w + types[i][1]))
				return types[i][0];
	return -1;
}
