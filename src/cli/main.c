/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf: command dispatch. Grammar, as bpftool's:
 *   barebpf [OPTIONS] COMMAND [ARGS...]
 * The common options (-j, -p, -d, -f) may also come after the command, as
 * getopt lets them in bpftool. A command is matched by its full name or a
 * unique prefix. Adding one is a new src/cli/<command>.c, its prototype in
 * cli.h and a line in cmds[].
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <barebpf/sys.h>

#include "cli.h"
#include "json.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../base/log.h"

#ifndef BBPF_CLI_VERSION
#define BBPF_CLI_VERSION "0.1.0"
#endif

static void print_usage(bbpf_cli_file *f);

static int cmd_help(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		    int argc, char **argv)
{
	(void)opts;
	(void)argv;
	if (argc > 1)
		return bbpf_cli_usage_error(cmd, "'%s' takes no arguments", cmd->name);
	print_usage(BBPF_CLI_STDOUT);
	return BBPF_CLI_EXIT_OK;
}

static int cmd_version(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return bbpf_cli_usage_error_j(opts, cmd, "'%s' takes no arguments", cmd->name);
#ifndef BBPF_CLI_INIT	/* the init build has no JSON output */
	if (opts->json) {
		struct bbpf_cli_json j;

		bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, opts->pretty);
		bbpf_cli_json_obj_begin(&j);
		bbpf_cli_json_kv_str(&j, "version", BBPF_CLI_VERSION);
		bbpf_cli_json_obj_end(&j);
		bbpf_cli_json_finish(&j);
		return BBPF_CLI_EXIT_OK;
	}
#endif
	bbpf_cli_fprintf(BBPF_CLI_STDOUT, "%s v%s\n", BBPF_CLI_NAME, BBPF_CLI_VERSION);
	return BBPF_CLI_EXIT_OK;
}

#ifdef BBPF_CLI_INIT
/*
 * barebpf-init-static: what an init tool needs (README "Static builds"):
 * prog loadall with pinning, autoattach, kconfig and kernel-side CO-RE.
 */
static const struct bbpf_cli_cmd cmds[] = {
	{ "prog", bbpf_cli_prog_init, bbpf_cli_prog_init_usage },
	{ "help", cmd_help, "help" },
	{ "version", cmd_version, "version" },
};
/* The commands' one-line summaries, in cmds[]'s order. */
static const char *const sums[] = {
	BBPF_MSGZ_STR("load every program of OBJ and pin it (or its link) in bpffs; load: the first at PATH"),
	BBPF_MSGZ_STR("print this help"),
	BBPF_MSGZ_STR("print the version"),
};
#else
/* Each command's summary is help.txt's section "NAME.sum". */
static const struct bbpf_cli_cmd cmds[] = {
	{ "inspect", bbpf_cli_inspect, BBPF_CLI_HELP("inspect") },
	{ "prog", bbpf_cli_prog, bbpf_cli_prog_usage },
	{ "map", bbpf_cli_map, bbpf_cli_map_usage },
	{ "link", bbpf_cli_link, bbpf_cli_link_usage },
	{ "btf", bbpf_cli_btf, bbpf_cli_btf_usage },
	{ "gen", bbpf_cli_gen, bbpf_cli_gen_usage },
	{ "perf", bbpf_cli_perf, bbpf_cli_perf_usage },
	{ "cgroup", bbpf_cli_cgroup, bbpf_cli_cgroup_usage },
	{ "struct_ops", bbpf_cli_struct_ops, bbpf_cli_struct_ops_usage },
	{ "iter", bbpf_cli_iter, bbpf_cli_iter_usage },
	{ "feature", bbpf_cli_feature, bbpf_cli_feature_usage },
	{ "run", bbpf_cli_run, BBPF_CLI_HELP("run") },
	{ "net", bbpf_cli_net, bbpf_cli_net_usage },
	{ "help", cmd_help, "help" },
	{ "version", cmd_version, "version" },
};
#endif

#define CMD_CNT (sizeof(cmds) / sizeof(cmds[0]))

static void print_usage(bbpf_cli_file *f)
{
	struct bbpf_cli_help_buf b;
	const char *u, *nl;
	size_t i;
#ifndef BBPF_CLI_INIT
	char sum[24];
#endif

	bbpf_cli_fprintf(f, "Usage: %s [OPTIONS] COMMAND [ARGS...]\n\nCommands:\n", BBPF_CLI_NAME);
	for (i = 0; i < CMD_CNT; i++) {
		for (u = bbpf_cli_help_text(cmds[i].usage, &b); u; u = nl ? nl + 1 : NULL) {
			nl = strchr(u, '\n');
			bbpf_cli_fprintf(f, "  %s %.*s\n", *u == ' ' ? "       " : BBPF_CLI_NAME,
					 (int)(nl ? (size_t)(nl - u) : strlen(u)), u);
		}
#ifdef BBPF_CLI_INIT
		u = sums[i];
#else
		bbpf_snprintf(sum, sizeof(sum), BBPF_CLI_HELP("%s.sum"), cmds[i].name);
		u = bbpf_cli_help_text(sum, &b);
#endif
		bbpf_cli_fprintf(f, "        %s\n", u);
	}
#ifdef BBPF_CLI_INIT
	/* The init build has no PROG/MAP/LINK arguments, no show nor btf dump commands. */
	bbpf_cli_fprintf(f, BBPF_MSGZ_STR("\n"
		"Options (before or after the command):\n"
		"  -d, --debug    print every library message as it comes\n"
		"  -h, --help     print this help (before the command)\n"
		"  -V, --version  print the version (before the command)\n"
		"  --             end of options\n"
		"\nCommands, subcommands and keywords may be abbreviated to a unique prefix.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n"));
#else
	bbpf_cli_fprintf(f, "\n%s\n", bbpf_cli_help_text(BBPF_CLI_HELP("options"), &b));
#endif
}

#ifdef BBPF_CLI_STATIC
#ifdef BBPF_CLI_INIT
const bbpf_cli_file bbpf_cli_stdout = { STDOUT_FILENO }, bbpf_cli_stderr = { STDERR_FILENO };
#else
#define OUT_CAP 4096	/* glibc's stdout buffer on a pipe or file */
static char out_buf[OUT_CAP];
bbpf_cli_file bbpf_cli_stdout = { STDOUT_FILENO, -1, false, 0, out_buf },
	bbpf_cli_stderr = { STDERR_FILENO, 0, false, 0, NULL };
#endif

/* All n bytes of p on fd (as stdio: on after a short write); 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	for (; n; p += w, n -= (size_t)w)
		if ((w = write(fd, p, n)) < 0)
			return -1;
	return 0;
}

int bbpf_cli_flush(bbpf_cli_file *f)
{
#ifdef BBPF_CLI_INIT
	(void)f;
	return 0;
#else
	unsigned int n = f->len;

	f->len = 0;
	if (write_all(f->fd, f->buf, n))
		f->failed = true;
	return f->failed ? -1 : 0;
#endif
}

#ifndef BBPF_CLI_INIT
/* isatty() through the system call table: musl's would be linked for this alone. */
static signed char is_tty(int fd)
{
	struct winsize ws;

	return !bbpf_sys_linux.ioctl(NULL, fd, TIOCGWINSZ, (unsigned long)&ws);
}
#endif

int bbpf_cli_write(bbpf_cli_file *f, const void *p, size_t n)
{
#ifndef BBPF_CLI_INIT
	if (f->buf) {
		if (n > OUT_CAP - f->len)
			bbpf_cli_flush(f);
		if (n <= OUT_CAP) {
			memcpy(f->buf + f->len, p, n);
			f->len += (unsigned int)n;
			if (f->tty < 0)
				f->tty = is_tty(f->fd);
			/* a terminal sees each line at once */
			return f->tty && memchr(p, '\n', n) ? bbpf_cli_flush(f) : 0;
		}
	}
	if (write_all(f->fd, p, n)) {
		f->failed = true;
		return -1;
	}
	return 0;
#else
	return write_all(f->fd, p, n);
#endif
}
#endif

int bbpf_cli_vfprintf(bbpf_cli_file *f, const char *fmt, va_list ap)
{
	char small[512], *p = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = bbpf_vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if ((size_t)n >= sizeof(small)) {
		p = malloc((size_t)n + 1);
		if (!p)
			return -1;
		bbpf_vsnprintf(p, (size_t)n + 1, fmt, ap);
	}
	n = bbpf_cli_write(f, p, (size_t)n) ? -1 : n;
	if (p != small)
		free(p);
	return n;
}

/*
 * These five and bbpf_cli_obj_fail() end in bbpf_vsnprintf (no floating
 * point) and no caller passes a double: no vector register spill.
 */
BBPF_NO_FP_VARARGS
int bbpf_cli_fprintf(bbpf_cli_file *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bbpf_cli_vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

#ifdef BBPF_CLI_STATIC
/* musl 1.2's texts, in one packed string with a byte per errno (see cli.h). */
#define ERR_TEXTS(X) \
	X(EPERM, BBPF_MSGZ_STR("Operation not permitted")) \
	X(ENOENT, BBPF_MSGZ_STR("No such file or directory")) \
	X(ESRCH, BBPF_MSGZ_STR("No such process")) \
	X(EINTR, BBPF_MSGZ_STR("Interrupted system call")) \
	X(EIO, BBPF_MSGZ_STR("I/O error")) \
	X(ENXIO, BBPF_MSGZ_STR("No such device or address")) \
	X(E2BIG, BBPF_MSGZ_STR("Argument list too long")) \
	X(EBADF, BBPF_MSGZ_STR("Bad file descriptor")) \
	X(EAGAIN, BBPF_MSGZ_STR("Resource temporarily unavailable")) \
	X(ENOMEM, BBPF_MSGZ_STR("Out of memory")) \
	X(EACCES, BBPF_MSGZ_STR("Permission denied")) \
	X(EFAULT, BBPF_MSGZ_STR("Bad address")) \
	X(EBUSY, BBPF_MSGZ_STR("Resource busy")) \
	X(EEXIST, BBPF_MSGZ_STR("File exists")) \
	X(ENODEV, BBPF_MSGZ_STR("No such device")) \
	X(ENOTDIR, BBPF_MSGZ_STR("Not a directory")) \
	X(EISDIR, BBPF_MSGZ_STR("Is a directory")) \
	X(EINVAL, BBPF_MSGZ_STR("Invalid argument")) \
	X(ENFILE, BBPF_MSGZ_STR("Too many open files in system")) \
	X(EMFILE, BBPF_MSGZ_STR("No file descriptors available")) \
	X(EFBIG, BBPF_MSGZ_STR("File too large")) \
	X(ENOSPC, BBPF_MSGZ_STR("No space left on device")) \
	X(EROFS, BBPF_MSGZ_STR("Read-only file system")) \
	X(ERANGE, BBPF_MSGZ_STR("Result not representable")) \
	X(ENAMETOOLONG, BBPF_MSGZ_STR("Filename too long")) \
	X(ENOSYS, BBPF_MSGZ_STR("Function not implemented")) \
	X(ENOTEMPTY, BBPF_MSGZ_STR("Directory not empty")) \
	X(ELOOP, BBPF_MSGZ_STR("Symbolic link loop")) \
	X(EBADMSG, BBPF_MSGZ_STR("Bad message")) \
	X(EOVERFLOW, BBPF_MSGZ_STR("Value too large for data type")) \
	X(EOPNOTSUPP, BBPF_MSGZ_STR("Not supported")) \
	X(ETIMEDOUT, BBPF_MSGZ_STR("Operation timed out")) \
	X(ENOEXEC, BBPF_MSGZ_STR("Exec format error")) \
	X(EMSGSIZE, BBPF_MSGZ_STR("Message too large"))
#ifdef BBPF_CLI_INIT
#define ERR_TEXTS_ALL(X) ERR_TEXTS(X)
#else
/* the full build: the rest of musl's texts (its others print "No error information") */
#define ERR_TEXTS_ALL(X) ERR_TEXTS(X) \
	X(ECHILD, BBPF_MSGZ_STR("No child process")) \
	X(ENOTBLK, BBPF_MSGZ_STR("Block device required")) \
	X(EXDEV, BBPF_MSGZ_STR("Cross-device link")) \
	X(ENOTTY, BBPF_MSGZ_STR("Not a tty")) \
	X(ETXTBSY, BBPF_MSGZ_STR("Text file busy")) \
	X(ESPIPE, BBPF_MSGZ_STR("Invalid seek")) \
	X(EMLINK, BBPF_MSGZ_STR("Too many links")) \
	X(EPIPE, BBPF_MSGZ_STR("Broken pipe")) \
	X(EDOM, BBPF_MSGZ_STR("Domain error")) \
	X(EDEADLK, BBPF_MSGZ_STR("Resource deadlock would occur")) \
	X(ENOLCK, BBPF_MSGZ_STR("No locks available")) \
	X(ENOMSG, BBPF_MSGZ_STR("No message of desired type")) \
	X(EIDRM, BBPF_MSGZ_STR("Identifier removed")) \
	X(ENOSTR, BBPF_MSGZ_STR("Device not a stream")) \
	X(ENODATA, BBPF_MSGZ_STR("No data available")) \
	X(ETIME, BBPF_MSGZ_STR("Device timeout")) \
	X(ENOSR, BBPF_MSGZ_STR("Out of streams resources")) \
	X(ENOLINK, BBPF_MSGZ_STR("Link has been severed")) \
	X(EPROTO, BBPF_MSGZ_STR("Protocol error")) \
	X(EMULTIHOP, BBPF_MSGZ_STR("Multihop attempted")) \
	X(EBADFD, BBPF_MSGZ_STR("File descriptor in bad state")) \
	X(EILSEQ, BBPF_MSGZ_STR("Illegal byte sequence")) \
	X(ENOTSOCK, BBPF_MSGZ_STR("Not a socket")) \
	X(EDESTADDRREQ, BBPF_MSGZ_STR("Destination address required")) \
	X(EPROTOTYPE, BBPF_MSGZ_STR("Protocol wrong type for socket")) \
	X(ENOPROTOOPT, BBPF_MSGZ_STR("Protocol not available")) \
	X(EPROTONOSUPPORT, BBPF_MSGZ_STR("Protocol not supported")) \
	X(ESOCKTNOSUPPORT, BBPF_MSGZ_STR("Socket type not supported")) \
	X(EPFNOSUPPORT, BBPF_MSGZ_STR("Protocol family not supported")) \
	X(EAFNOSUPPORT, BBPF_MSGZ_STR("Address family not supported by protocol")) \
	X(EADDRINUSE, BBPF_MSGZ_STR("Address in use")) \
	X(EADDRNOTAVAIL, BBPF_MSGZ_STR("Address not available")) \
	X(ENETDOWN, BBPF_MSGZ_STR("Network is down")) \
	X(ENETUNREACH, BBPF_MSGZ_STR("Network unreachable")) \
	X(ENETRESET, BBPF_MSGZ_STR("Connection reset by network")) \
	X(ECONNABORTED, BBPF_MSGZ_STR("Connection aborted")) \
	X(ECONNRESET, BBPF_MSGZ_STR("Connection reset by peer")) \
	X(ENOBUFS, BBPF_MSGZ_STR("No buffer space available")) \
	X(EISCONN, BBPF_MSGZ_STR("Socket is connected")) \
	X(ENOTCONN, BBPF_MSGZ_STR("Socket not connected")) \
	X(ESHUTDOWN, BBPF_MSGZ_STR("Cannot send after socket shutdown")) \
	X(ECONNREFUSED, BBPF_MSGZ_STR("Connection refused")) \
	X(EHOSTDOWN, BBPF_MSGZ_STR("Host is down")) \
	X(EHOSTUNREACH, BBPF_MSGZ_STR("Host is unreachable")) \
	X(EALREADY, BBPF_MSGZ_STR("Operation already in progress")) \
	X(EINPROGRESS, BBPF_MSGZ_STR("Operation in progress")) \
	X(ESTALE, BBPF_MSGZ_STR("Stale file handle")) \
	X(EREMOTEIO, BBPF_MSGZ_STR("Remote I/O error")) \
	X(EDQUOT, BBPF_MSGZ_STR("Quota exceeded")) \
	X(ENOMEDIUM, BBPF_MSGZ_STR("No medium found")) \
	X(EMEDIUMTYPE, BBPF_MSGZ_STR("Wrong medium type")) \
	X(ECANCELED, BBPF_MSGZ_STR("Operation canceled")) \
	X(ENOKEY, BBPF_MSGZ_STR("Required key not available")) \
	X(EKEYEXPIRED, BBPF_MSGZ_STR("Key has expired")) \
	X(EKEYREVOKED, BBPF_MSGZ_STR("Key has been revoked")) \
	X(EKEYREJECTED, BBPF_MSGZ_STR("Key was rejected by service")) \
	X(EOWNERDEAD, BBPF_MSGZ_STR("Previous owner died")) \
	X(ENOTRECOVERABLE, BBPF_MSGZ_STR("State not recoverable"))
#endif
#define ERR_TEXT(e, s) s "\0"
#define ERR_NUM(e, s) e,

char *bbpf_cli_strerror(int err)
{
	static const unsigned char num[] = { ERR_TEXTS_ALL(ERR_NUM) };
	size_t i;
#if defined(BBPF_MSGZ) && !defined(BBPF_MSGZ_PASS1)
	/* the static build's deflated texts (src/base/msgz.h): one token each, for %s only */
#define ERR_TOK(e, s) (unsigned short)(__UINTPTR_TYPE__)(s),
	static const unsigned short tok[] = { ERR_TEXTS_ALL(ERR_TOK) };

	for (i = 0; i < sizeof(num); i++)
		if (err == num[i])
			return (char *)(__UINTPTR_TYPE__)tok[i];
#elif defined(BBPF_MSGZ)
	/* its first pass: the markers, kept as long as this function is */
#define ERR_PTR(e, s) s,
	static const char *const tok[] = { ERR_TEXTS_ALL(ERR_PTR) };

	for (i = 0; i < sizeof(num); i++)
		if (err == num[i])
			return (char *)tok[i];
#else
	static const char text[] = ERR_TEXTS_ALL(ERR_TEXT);
	const char *s = text;

	for (i = 0; i < sizeof(num); i++, s += strlen(s) + 1)
		if (err == num[i])
			return (char *)s;
#endif
#ifdef BBPF_CLI_INIT
	return (char *)bbpf_err_name(-err);
#else
	return (char *)BBPF_MSGZ_STR("No error information");
#endif
}
#endif

/* "barebpf: <message>\n" on stderr. */
static void verr(const char *fmt, va_list ap)
{
	bbpf_cli_fprintf(BBPF_CLI_STDERR, "%s: ", BBPF_CLI_NAME);
	bbpf_cli_vfprintf(BBPF_CLI_STDERR, fmt, ap);
	bbpf_cli_fprintf(BBPF_CLI_STDERR, "\n");
}

BBPF_NO_FP_VARARGS
void bbpf_cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

/* The reason, then the command's usage (the general one without a command), on stderr. */
static void usage_fail(const struct bbpf_cli_cmd *cmd, const char *fmt, va_list ap)
{
	verr(fmt, ap);
	if (cmd)
		bbpf_cli_help_usage(BBPF_CLI_STDERR, cmd);
	else
		print_usage(BBPF_CLI_STDERR);
}

#ifndef BBPF_CLI_INIT	/* the init build has no JSON output: a macro for bbpf_cli_usage_error() */
BBPF_NO_FP_VARARGS
int bbpf_cli_usage_error_j(const struct bbpf_cli_opts *opts, const struct bbpf_cli_cmd *cmd,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (opts && opts->json) {
		struct bbpf_cli_json j;
		char msg[512];

		bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, opts->pretty);
		bbpf_cli_json_error(&j, msg);
		return BBPF_CLI_EXIT_USAGE;
	}
	usage_fail(cmd, fmt, ap);
	va_end(ap);
	return BBPF_CLI_EXIT_USAGE;
}
#endif

BBPF_NO_FP_VARARGS
int bbpf_cli_usage_error(const struct bbpf_cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	usage_fail(cmd, fmt, ap);
	va_end(ap);
	return BBPF_CLI_EXIT_USAGE;
}

/*
 * The one-letter options; the init build has neither JSON output (-j, -p:
 * "unknown option") nor show commands (-f).
 */
#ifdef BBPF_CLI_INIT
#define SHORT_FLAGS "d"
#else
#define SHORT_FLAGS "jpdf"
#endif

/* Every character one of SHORT_FLAGS (strspn without musl's, for the static CLI's size). */
static bool short_flags(const char *s)
{
	for (; *s; s++)
		if (!memchr(SHORT_FLAGS, *s, sizeof(SHORT_FLAGS) - 1))
			return false;
	return true;
}

bool bbpf_cli_common_opt(struct bbpf_cli_opts *opts, const char *arg)
{
	const char *c;

	if (!strcmp(arg, "--debug")) {
		opts->debug = true;
#ifndef BBPF_CLI_INIT
	} else if (!strcmp(arg, "--json")) {
		opts->json = true;
	} else if (!strcmp(arg, "--pretty")) {
		opts->json = true;
		opts->pretty = true;
	} else if (!strcmp(arg, "--bpffs")) {
		opts->bpffs = true;
#endif
	} else if (arg[0] == '-' && arg[1] && arg[1] != '-' && short_flags(arg + 1)) {
#ifdef BBPF_CLI_INIT	/* "-d", "-dd": the only short flag */
		(void)c;
		opts->debug = true;
#else
		for (c = arg + 1; *c; c++) {	/* "-j", or a cluster such as "-jp" */
			opts->json |= *c == 'j' || *c == 'p';
			opts->pretty |= *c == 'p';
			opts->debug |= *c == 'd';
			opts->bpffs |= *c == 'f';
		}
#endif
	} else {
		return false;
	}
	return true;
}

int bbpf_cli_dispatch(const struct bbpf_cli_cmd *table, size_t n,
		      const struct bbpf_cli_opts *opts, int argc, char **argv)
{
	const struct bbpf_cli_cmd *found = NULL;
	size_t len, i;

	if (argc < 1)
		return bbpf_cli_usage_error_j(opts, NULL, "missing command");
	len = strlen(argv[0]);
	for (i = 0; len && i < n; i++) {
		if (strncmp(table[i].name, argv[0], len))
			continue;
		if (table[i].name[len] == '\0') {	/* exact match wins */
			found = &table[i];
			break;
		}
		if (found)
			return bbpf_cli_usage_error_j(opts, NULL, "ambiguous command '%s'", argv[0]);
		found = &table[i];
	}
	if (!found)
		return bbpf_cli_usage_error_j(opts, NULL, "unknown command '%s'", argv[0]);
	return found->run(found, opts, argc, argv);
}

/*
 * With -j (and without -d), what a command would print on stderr is caught
 * in a memory file; if the command failed, its last "barebpf: " line (the
 * one-line reason) comes out as {"error":"..."} on stdout, as bpftool's
 * errors do, and stderr stays silent. The commands that know -j print
 * their JSON error themselves and nothing here.
 */
#ifndef BBPF_CLI_INIT
/*
 * dup2(fd, STDERR_FILENO) as dup3 (which fails where fd is 2: only if stderr
 * was closed from the start, when nothing could be caught anyway), and dup
 * and pread through the system call table: none of musl's three wrappers is
 * linked for these calls alone.
 */
static int onto_stderr(int fd)
{
	return (int)syscall(SYS_dup3, fd, STDERR_FILENO, 0);
}

static int json_catch_begin(int *saved)
{
	int fd = (int)syscall(SYS_memfd_create, "barebpf-stderr", 1u /* MFD_CLOEXEC */);

	bbpf_cli_flush(BBPF_CLI_STDERR);
	*saved = fd < 0 ? -1 : (int)bbpf_sys_linux.dup(NULL, STDERR_FILENO);
	if (*saved < 0 || onto_stderr(fd) < 0) {
		if (*saved >= 0)
			close(*saved);
		*saved = -1;
	}
	if (fd >= 0)
		close(fd);
	return *saved;
}

static void json_catch_end(int saved, const struct bbpf_cli_opts *opts, int ret)
{
	struct bbpf_cli_json j;
	char buf[2048], *line = NULL, *p;
	ssize_t n;

	bbpf_cli_flush(BBPF_CLI_STDERR);
	n = bbpf_sys_linux.pread(NULL, STDERR_FILENO, buf, sizeof(buf) - 1, 0);
	onto_stderr(saved);
	close(saved);
	if (ret == BBPF_CLI_EXIT_OK || n <= 0)
		return;
	buf[n] = '\0';
	for (p = buf; (p = (char *)bbpf_cli_strstr(p, BBPF_CLI_NAME ": ")); p++)
		if (p == buf || p[-1] == '\n')
			line = p + sizeof(BBPF_CLI_NAME ": ") - 1;
	if (!line)
		return;
	line[strcspn(line, "\n")] = '\0';
	bbpf_cli_json_init(&j, BBPF_CLI_STDOUT, opts->pretty);
	bbpf_cli_json_error(&j, line);
}
#endif

/*
 * The common options are taken out wherever they stand before "--" (as
 * getopt permutes bpftool's argv); -h and -V only before the command, so
 * that "run OBJ -h" still asks "run" for its help. Everything else is left
 * in order for the command. A "--" before the command is dropped; later
 * ones are the command's.
 */
/* Before the command: -h, -V (words 0-3); anywhere: -B FILE (4-5). */
static const char main_opts[] = "-h\0--help\0-V\0--version\0-B\0--base-btf\0";

int bbpf_cli_main(int argc, char **argv, const struct bbpf_sys *sys)
{
	struct bbpf_cli_opts opts = { .sys = sys, .stderr_fd = STDERR_FILENO };
	bool help = false, version = false, no_more = false;
	char **args;
	int i, k, n = 0, ret;
#ifndef BBPF_CLI_INIT
	int saved = -1;
#endif

	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		bbpf_cli_err("out of memory");
		return BBPF_CLI_EXIT_FAIL;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!no_more && !strcmp(a, "--")) {
			no_more = true;
			if (!n)
				continue;
		} else if (!no_more && a[0] == '-' && a[1]) {
			const char *w = main_opts;

			for (k = 0; *w && strcmp(a, w); k++)
				w += strlen(w) + 1;
			if (!n && k < 4) {
				help |= k < 2;
				version |= k >= 2;
				continue;
			}
			if (bbpf_cli_common_opt(&opts, a))
				continue;
			if (*w && k >= 4) {
				if (i + 1 >= argc) {
					ret = bbpf_cli_usage_error_j(&opts, NULL, "'%s' needs a file", a);
					goto out;
				}
				opts.base_btf = argv[++i];
				continue;
			}
			if (!n) {
				ret = bbpf_cli_usage_error_j(&opts, NULL, "unknown option '%s'", a);
				goto out;
			}
		}
		args[n++] = argv[i];
	}
	if (help) {
		print_usage(BBPF_CLI_STDOUT);
		ret = BBPF_CLI_EXIT_OK;
	} else if (version) {
		ret = cmd_version(NULL, &opts, 1, argv);
	} else if (!n) {
		ret = bbpf_cli_usage_error_j(&opts, NULL, "missing command");
	} else {
#ifndef BBPF_CLI_INIT
		if (opts.json && !opts.debug && json_catch_begin(&saved) >= 0)
			opts.stderr_fd = saved;
#endif
		ret = bbpf_cli_dispatch(cmds, CMD_CNT, &opts, n, args);
#ifndef BBPF_CLI_INIT
		if (saved >= 0)
			json_catch_end(saved, &opts, ret);
#endif
	}
out:
	free(args);
#ifdef BBPF_CLI_STATIC	/* stdio's exit() flushes the other builds' stdout */
	bbpf_cli_flush(BBPF_CLI_STDOUT);	/* what exit() would write out */
#endif
	return ret;
}

#ifndef BBPF_CLI_NO_MAIN	/* tests call bbpf_cli_main() with a fake kernel */
int main(int argc, char **argv)
{
	return bbpf_cli_main(argc, argv, &bbpf_sys_linux);
}
#endif
