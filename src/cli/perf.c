/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf perf { show | list }
 *
 * Programs attached to perf events and raw tracepoints that processes hold
 * open, as bpftool 7.1 finds them: every /proc/<pid>/fd/<fd> (readdir
 * order, as bpftool) asked with BPF_TASK_FD_QUERY; an fd that is no such
 * event fails the query and is skipped.
 */
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

/* What BPF_TASK_FD_QUERY says of a process's fd. */
struct query {
	char buf[QUERY_BUF];
	uint64_t off, addr;
	uint32_t prog_id, type;
};

static int query(struct bbpf_cli_kobj *k, int pid, int fd, struct query *q)
{
	uint32_t len = sizeof(q->buf);
	int err = bbpf_cmd_task_fd_query(k->sys, (uint32_t)pid, (uint32_t)fd, q->buf, &len,
					 &q->prog_id, &q->type, &q->off, &q->addr);

	q->buf[sizeof(q->buf) - 1] = '\0';
	return err;
}

static void print_one(struct bbpf_cli_kobj *k, int pid, int fd, const struct query *q)
{
	uint32_t type = q->type;
	const char *buf = q->buf;
	bool probe = type == BPF_FD_TYPE_KPROBE || type == BPF_FD_TYPE_KRETPROBE;

	/* pid and fd are /proc entries' numbers: never negative */
	if (k->json)
		bbpf_cli_json_kvs(&k->j, "{\0upid\0ufd\0uprog_id\0", (uint64_t)(uint32_t)pid,
				  (uint64_t)(uint32_t)fd, (uint64_t)q->prog_id);
	else
		bbpf_cli_kobj_printf(k, "pid %d  fd %d: prog_id %u  ", pid, fd, q->prog_id);
	if (type < sizeof(fd_types) / sizeof(fd_types[0]))
		bbpf_cli_kobj_s(k, "fd_type", "%s  ", fd_types[type]);
	if (type == BPF_FD_TYPE_RAW_TRACEPOINT || type == BPF_FD_TYPE_TRACEPOINT) {
		bbpf_cli_kobj_s(k, "tracepoint", "%s", buf);
	} else if (probe && !buf[0]) {
		bbpf_cli_kobj_u(k, "addr", "addr %llu", q->addr);
	} else if (type < sizeof(fd_types) / sizeof(fd_types[0])) {
		bbpf_cli_kobj_s(k, probe ? "func" : "filename", probe ? "func %s  " : "filename %s  ",
				buf);
		bbpf_cli_kobj_u(k, "offset", "offset %llu", q->off);
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

/*
 * The numbered entries of /proc (pid < 0: the processes, each walked in
 * turn) or of /proc/<pid>/fd (each fd queried, the events printed), in
 * readdir order as bpftool's. False if the directory cannot be opened.
 */
static bool walk(struct bbpf_cli_kobj *k, struct query *q, int pid)
{
	char path[64];
	struct bbpf_cli_dir d;
	const char *name;
	int n;

	bbpf_snprintf(path, sizeof(path), pid < 0 ? "/proc" : "/proc/%d/fd", pid);
	if (!bbpf_cli_dir_open(&d, k->sys, path))
		return false;	/* a process gone, or not ours to look at */
	if (pid < 0 && k->json)
		bbpf_cli_json_arr_begin(&k->j);
	while ((name = bbpf_cli_dir_next(&d))) {
		if (!number(name, &n))
			continue;
		if (pid < 0)
			walk(k, q, n);
		else if (!query(k, pid, n, q))
			print_one(k, pid, n, q);
	}
	bbpf_cli_dir_close(&d);
	return true;
}

static int perf_show(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *opts,
		     int argc, char **argv)
{
	struct bbpf_cli_kobj k;
	struct query q;
	int ret, err;
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
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_errno(&k, (int)root, "cannot open /"));
	err = query(&k, (int)k.sys->getpid(k.sys->ctx), (int)root, &q);
	bbpf_cli_kobj_fdclose(&k, (int)root);
	if (err != -ENOTSUPP_KERNEL)
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "BPF_TASK_FD_QUERY does not work "
			"here (not root, or kernel too old): %s", bbpf_cli_kobj_strerror(err)));
	if (!walk(&k, &q, -1))
		return bbpf_cli_kobj_close(&k, bbpf_cli_kobj_err(&k, "cannot open /proc"));
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
