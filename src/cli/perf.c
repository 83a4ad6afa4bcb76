/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf perf { show | list }
 *
 * Programs attached to perf events and raw tracepoints that processes hold
 * open, as bpftool 7.1 finds them: every /proc/<pid>/fd/<fd> (readdir
 * order, as bpftool) asked with BPF_TASK_FD_QUERY; an fd that is no such
 * event fails the query and is skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "kobj.h"
#include "../base/fmt.h"

#define ENOTSUPP_KERNEL	524
#define QUERY_BUF	4096

const char bbpf_cli_perf_usage[] = BBPF_CLI_HELP("perf");

static const char *const fd_types[] = {
	"raw_tracepoint", "tracepoint", "kprobe", "kretprobe", "uprobe", "uretprobe",
};

static void print_one(struct bbpf_cli_kobj *k, int pid, int fd, uint32_t prog_id,
		      uint32_t type, const char *buf, uint64_t off, uint64_t addr)
{
	bool probe = type == BPF_FD_TYPE_KPROBE || type == BPF_FD_TYPE_KRETPROBE;

	if (k->json)
		bbpf_cli_json_obj_begin(&k->j);
	/* pid and fd are /proc entries' numbers: never negative */
	bbpf_cli_kobj_u(k, "pid", "pid %llu  ", (uint32_t)pid);
	bbpf_cli_kobj_u(k, "fd", "fd %llu: ", (uint32_t)fd);
	bbpf_cli_kobj_u(k, "prog_id", "prog_id %llu  ", prog_id);
	if (type < sizeof(fd_types) / sizeof(fd_types[0]))
		bbpf_cli_kobj_s(k, "fd_type", "%s  ", fd_types[type]);
	if (type == BPF_FD_TYPE_RAW_TRACEPOINT || type == BPF_FD_TYPE_TRACEPOINT) {
		bbpf_cli_kobj_s(k, "tracepoint", "%s", buf);
	} else if (probe && !buf[0]) {
		bbpf_cli_kobj_u(k, "addr", "addr %llu", addr);
	} else if (type < sizeof(fd_types) / sizeof(fd_types[0])) {
		bbpf_cli_kobj_s(k, probe ? "func" : "filename", probe ? "func %s  " : "filename %s  ",
				buf);
		bbpf_cli_kobj_u(k, "offset", "offset %llu", off);
	}
	if (k->json)
		bbpf_cli_json_obj_end(&k->j);
	else if (type < sizeof(fd_types) / sizeof(fd_types[0]))
		bbpf_cli_kobj_printf(k, "\n");
}

/* All digits, as bpftool accepts a /proc entry as a pid or fd. */
static bool number(const char *s, int *v)
{
	long n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 100000000)
			return false;
		n = n * 10 + (*s - '0');
	}
	*v = (int)n;
	return true;
}

static int perf_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv)
{
	struct bbpf_cli_kobj k;
	struct dirent *pe, *fe;
	char path[64], buf[QUERY_BUF];
	uint64_t off, addr;
	uint32_t len, prog_id, type;
	DIR *proc, *fds;
	int ret, pid, fd, err;
	long root;

	(void)cmd;
	ret = bbpf_cli_kobj_open(&k, opts, "perf show", argc, argv);
	if (ret)
		return ret;
	if (argc > 1)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_usage(&k, "unexpected '%s'", argv[1]));
	/* Can the kernel answer at all? An fd that is no event says ENOTSUPP. */
	root = k.sys->open(k.sys->ctx, "/", O_RDONLY | O_CLOEXEC, 0);
	if (root < 0)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "cannot open /: %s",
							       bbpf_cli_kobj_strerror((int)root)));
	len = sizeof(buf);
	err = bbpf_cmd_task_fd_query(k.sys, (uint32_t)k.sys->getpid(k.sys->ctx), (uint32_t)root,
				     buf, &len, &prog_id, &type, &off, &addr);
	k.sys->close(k.sys->ctx, (int)root);
	if (err != -ENOTSUPP_KERNEL)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "BPF_TASK_FD_QUERY does not work "
			"here (not root, or kernel too old): %s", bbpf_cli_kobj_strerror(err)));
	proc = opendir("/proc");
	if (!proc)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "cannot open /proc"));
	if (k.json)
		bbpf_cli_json_arr_begin(&k.j);
	while ((pe = readdir(proc))) {
		if (!number(pe->d_name, &pid))
			continue;
		bbpf_snprintf(path, sizeof(path), "/proc/%s/fd", pe->d_name);
		fds = opendir(path);
		if (!fds)
			continue;	/* gone, or not ours to look at */
		while ((fe = readdir(fds))) {
			if (!number(fe->d_name, &fd))
				continue;
			len = sizeof(buf);
			if (bbpf_cmd_task_fd_query(k.sys, (uint32_t)pid, (uint32_t)fd, buf, &len,
						   &prog_id, &type, &off, &addr))
				continue;
			buf[sizeof(buf) - 1] = '\0';
			print_one(&k, pid, fd, prog_id, type, buf, off, addr);
		}
		closedir(fds);
	}
	closedir(proc);
	return bbpf_cli_kobj_close(&k, 0);
}

static const struct bbpf_cli_cmd perf_cmds[] = {
	{ "show", perf_show, "perf show" },
	{ "list", perf_show, "" },
	{ "help", bbpf_cli_kobj_help_cmd, bbpf_cli_perf_usage },
};

int bbpf_cli_perf(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts, int argc,
		  char **argv)
{
	return bbpf_cli_kobj_dispatch(perf_cmds, sizeof(perf_cmds) / sizeof(perf_cmds[0]), cmd,
				      opts, argc, argv);
}
