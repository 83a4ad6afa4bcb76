/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf: command dispatch. Grammar, as bpftool's:
 *   barebpf [OPTIONS] COMMAND [ARGS...]
 * A command is matched by its full name or a unique prefix. Adding one is a
 * new src/cli/<command>.c, its prototype in cli.h and a line in cmds[].
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/fmt.h"

#ifndef BBPF_CLI_VERSION
#define BBPF_CLI_VERSION "0.1.0"
#endif

static void print_usage(FILE *f);

static int cmd_help(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		    int argc, char **argv)
{
	(void)opts;
	(void)argv;
	if (argc > 1)
		return bbpf_cli_usage_error(cmd, "'help' takes no arguments");
	print_usage(stdout);
	return BBPF_CLI_EXIT_OK;
}

static int cmd_version(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		       int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return bbpf_cli_usage_error(cmd, "'version' takes no arguments");
	if (opts->json || opts->pretty)
		bbpf_cli_fprintf(stdout, "{\"version\":\"%s\"}\n", BBPF_CLI_VERSION);
	else
		bbpf_cli_fprintf(stdout, "%s v%s\n", BBPF_CLI_NAME, BBPF_CLI_VERSION);
	return BBPF_CLI_EXIT_OK;
}

#ifdef BBPF_CLI_INIT
/*
 * barebpf-init-static: what an init tool needs (README "Static builds"):
 * prog loadall with pinning, autoattach, kconfig and kernel-side CO-RE.
 */
static const struct bbpf_cli_cmd cmds[] = {
	{ "prog", bbpf_cli_prog_init,
	  "prog loadall OBJ PINDIR [type TYPE] [pinmaps MAPDIR] [autoattach] [kconfig FILE]",
	  "load every program of OBJ and pin it (or its link) in bpffs" },
	{ "help", cmd_help, "help", "print this help" },
	{ "version", cmd_version, "version", "print the version" },
};
#else
static const struct bbpf_cli_cmd cmds[] = {
	{ "inspect", bbpf_cli_inspect, "inspect OBJ [--json|--pretty] [--debug]",
	  "show programs, maps, externs and BTF of a BPF object file" },
	{ "prog", bbpf_cli_prog,
	  "prog loadall OBJ PINDIR [type TYPE] [pinmaps MAPDIR] [autoattach] [kconfig FILE]",
	  "load every program of OBJ and pin it (or its link) in bpffs; 'prog help'" },
	{ "run", bbpf_cli_run,
	  "run OBJ [--duration SEC] [--set NAME=VALUE ...] [--show NAME ...] [--kconfig FILE] [--btf FILE] "
	  "[--xdp DEV] [--tc DEV:ingress|egress] [--cgroup PATH]",
	  "load, set globals, attach and stream bpf_printk output until Ctrl-C" },
	{ "btf", bbpf_cli_btf, "btf dump {file FILE | id ID} [format {c|raw}] [-B BASE_FILE]",
	  "print BTF (a file's, or the kernel's object ID) as records or as C (vmlinux.h)" },
	{ "net", bbpf_cli_net, bbpf_cli_net_usage,
	  "attach a program to a network device (XDP, tcx) or detach it; 'net help'" },
	{ "cgroup", bbpf_cli_cgroup, bbpf_cli_cgroup_usage,
	  "attach a program to a cgroup or detach it; 'cgroup help'" },
	{ "help", cmd_help, "help", "print this help" },
	{ "version", cmd_version, "version", "print the version" },
};
#endif

#define CMD_CNT (sizeof(cmds) / sizeof(cmds[0]))

static void print_usage(FILE *f)
{
	size_t i;

	bbpf_cli_fprintf(f, "Usage: %s [OPTIONS] COMMAND [ARGS...]\n\nCommands:\n", BBPF_CLI_NAME);
	for (i = 0; i < CMD_CNT; i++)
		bbpf_cli_fprintf(f, "  %s %-40s %s\n", BBPF_CLI_NAME, cmds[i].usage, cmds[i].summary);
	bbpf_cli_fprintf(f, "\nOptions:\n"
		"  -j, --json     JSON output\n"
		"  -p, --pretty   indented JSON output (implies --json)\n"
		"  -d, --debug    print every library message as it comes\n"
		"  -B, --base-btf FILE  base BTF of split BTF (btf dump)\n"
		"  -h, --help     print this help\n"
		"  -V, --version  print the version\n"
		"\nCommands may be abbreviated to a unique prefix.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
}

int bbpf_cli_vfprintf(FILE *f, const char *fmt, va_list ap)
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
	n = fwrite(p, 1, (size_t)n, f) == (size_t)n ? n : -1;
	if (p != small)
		free(p);
	return n;
}

int bbpf_cli_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bbpf_cli_vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

/* "barebpf: <message>\n" on stderr. */
static void verr(const char *fmt, va_list ap)
{
	bbpf_cli_fprintf(stderr, "%s: ", BBPF_CLI_NAME);
	bbpf_cli_vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void bbpf_cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

int bbpf_cli_usage_error(const struct bbpf_cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	if (cmd)
		bbpf_cli_fprintf(stderr, "Usage: %s %s\n", BBPF_CLI_NAME, cmd->usage);
	else
		print_usage(stderr);
	return BBPF_CLI_EXIT_USAGE;
}

bool bbpf_cli_common_opt(struct bbpf_cli_opts *opts, const char *arg)
{
	if (!strcmp(arg, "-j") || !strcmp(arg, "--json")) {
		opts->json = true;
	} else if (!strcmp(arg, "-p") || !strcmp(arg, "--pretty")) {
		opts->json = true;
		opts->pretty = true;
	} else if (!strcmp(arg, "-d") || !strcmp(arg, "--debug")) {
		opts->debug = true;
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
		return bbpf_cli_usage_error(NULL, "missing command");
	len = strlen(argv[0]);
	for (i = 0; len && i < n; i++) {
		if (strncmp(table[i].name, argv[0], len))
			continue;
		if (table[i].name[len] == '\0') {	/* exact match wins */
			found = &table[i];
			break;
		}
		if (found)
			return bbpf_cli_usage_error(NULL, "ambiguous command '%s'", argv[0]);
		found = &table[i];
	}
	if (!found)
		return bbpf_cli_usage_error(NULL, "unknown command '%s'", argv[0]);
	return found->run(found, opts, argc, argv);
}

int main(int argc, char **argv)
{
	struct bbpf_cli_opts opts = { 0 };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_usage(stdout);
			return BBPF_CLI_EXIT_OK;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			return cmd_version(NULL, &opts, 1, argv + i);
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-B") || !strcmp(argv[i], "--base-btf")) {
			if (++i >= argc)
				return bbpf_cli_usage_error(NULL, "'%s' needs a file", argv[i - 1]);
			opts.base_btf = argv[i];
			continue;
		}
		if (!bbpf_cli_common_opt(&opts, argv[i]))
			return bbpf_cli_usage_error(NULL, "unknown option '%s'", argv[i]);
	}
	if (i >= argc)
		return bbpf_cli_usage_error(NULL, "missing command");
	return bbpf_cli_dispatch(cmds, CMD_CNT, &opts, argc - i, argv + i);
}
