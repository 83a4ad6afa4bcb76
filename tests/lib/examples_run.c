/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "examples_run.h"
#include "proc_run.h"

const char *const ex_run_apps[7] = { "minimal", "bootstrap", "uprobe", "usdt", "task_iter", "tc",
				     "sockfilter" };

long ex_file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* make's -j for the example builds: one job per CPU (the tests themselves run one at a time). */
static long ex_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

char *ex_make(const char *args)
{
	char *cmd, *out;

	if (asprintf(&cmd, "make -s -j%ld -C %s/examples %s 2>&1 && echo EX_MAKE_OK", ex_jobs(),
		     BBPF_SRC_DIR, args) < 0)
		return NULL;
	out = proc_capture(cmd);
	free(cmd);
	if (out && !strstr(out, "EX_MAKE_OK")) {
		fprintf(stderr, "%s", out);
		free(out);
		return NULL;
	}
	return out;
}

int ex_build_barebpf(void)
{
	char *cmd, *out;
	int ok;

	if (asprintf(&cmd, "make -s -j%ld -C " BBPF_SRC_DIR " examples 2>&1 && echo EX_MAKE_OK",
		     ex_jobs()) < 0)
		return -1;
	out = proc_capture(cmd);
	free(cmd);
	ok = out && strstr(out, "EX_MAKE_OK");

	if (out && !ok)
		fprintf(stderr, "%s", out);
	free(out);
	return ok ? 0 : -1;
}

static char *fail(const char *app, const char *what, const char *out)
{
	char *m;

	if (asprintf(&m, "%s: %s; output:\n%s", app, what, out ? out : "(none)") < 0)
		return strdup(app);
	return m;
}

/* The line of out that contains every one of a, b, c (NULL: none). */
static const char *line_with(const char *out, const char *a, const char *b, const char *c)
{
	const char *l, *e;
	char *line;
	int hit;

	for (l = out; l && *l; l = e ? e + 1 : NULL) {
		e = strchr(l, '\n');
		line = strndup(l, e ? (size_t)(e - l) : strlen(l));
		hit = line && strstr(line, a) && (!b || strstr(line, b)) && (!c || strstr(line, c));
		free(line);
		if (hit)
			return l;
	}
	return NULL;
}

static char *run(const char *fmt, const char *dir, const char *app)
{
	char *cmd, *out;

	if (asprintf(&cmd, fmt, dir, app) < 0)
		return NULL;
	out = proc_capture(cmd);
	free(cmd);
	return out;
}

char *ex_check(const char *dir, const char *app)
{
	char *out = NULL, *err = NULL, pid[32], *p;
	unsigned long long total = 0, ipv4 = 0;

	if (!strcmp(app, "minimal")) {
		/*
		 * my_pid in its .bss map (the skeleton's mmaped pointer wrote
		 * it) and its bpf_printk lines in the (non-consuming) trace
		 * file. musl's stdio writes with writev(2), which the seed's
		 * sys_enter_write program does not see: no lines there.
		 */
		int musl = strstr(dir, "/musl") != NULL;
		long pidv, n;
		char hex[64];

		out = run("cd /tmp && %s/%s 2>/dev/null & p=$!; sleep 1.5; echo PID=$p; "
			  BBPF_SRC_DIR "/" BBPF_BUILD_DIR "/barebpf map dump name minimal_.bss; "
			  "sleep 0.5; kill $p; wait $p 2>/dev/null; echo TRACE=$(grep -c \"BPF triggered from PID $p\\.\" "
			  "/sys/kernel/tracing/trace)", dir, app);
		p = out ? strstr(out, "PID=") : NULL;
		pidv = p ? strtol(p + 4, NULL, 10) : -1;
		snprintf(hex, sizeof(hex), "value: %02lx %02lx %02lx %02lx ", pidv & 0xff,
			 (pidv >> 8) & 0xff, (pidv >> 16) & 0xff, (pidv >> 24) & 0xff);
		p = out ? strstr(out, "TRACE=") : NULL;
		n = p ? strtol(p + 6, NULL, 10) : 0;
		if (!out || !strstr(out, hex))
			err = fail(app, "my_pid is not its PID in the .bss map", out);
		else if (!musl && n < 1)
			err = fail(app, "no 'BPF triggered from PID <pid>.' in the trace", out);
	} else if (!strcmp(app, "bootstrap")) {
		out = run("%s/%s -t 3 & sleep 1.5; /bin/true; /bin/sh -c 'echo SHPID=$$; exit 3'; "
			  "wait", dir, app);
		p = out ? strstr(out, "SHPID=") : NULL;
		snprintf(pid, sizeof(pid), " %ld ", p ? strtol(p + 6, NULL, 10) : -1L);
		if (!out || !line_with(out, "TIME", "EVENT", "FILENAME/EXIT CODE"))
			err = fail(app, "no header", out);
		else if (!line_with(out, "EXEC  true", "/bin/true", NULL) ||
			 !line_with(out, "EXIT  true", "[0]", NULL))
			err = fail(app, "no exec/exit of /bin/true", out);
		else if (!line_with(out, "EXIT  sh", pid, "[3]") ||
			 !line_with(out, "EXEC  sh", pid, "/bin/sh"))
			err = fail(app, "no exec/exit (code 3) of the shell", out);
	} else if (!strcmp(app, "uprobe")) {
		out = run("%s/%s -n 3 2>&1", dir, app);
		if (!out || !strstr(out, "uprobed_add(3, 30) = 33; BPF saw a=3 b=30 ret=33 "
					 "(entries 3, returns 3)"))
			err = fail(app, "the probes did not see the 3 calls", out);
	} else if (!strcmp(app, "usdt")) {
		out = run("%s/%s -n 3 2>&1", dir, app);
		if (!out || !strstr(out, "tick(3): BPF saw i=3 sq=9 (hits 3)"))
			err = fail(app, "the USDT handler did not see the 3 ticks", out);
	} else if (!strcmp(app, "task_iter")) {
		out = run("%s/%s 2>&1", dir, app);
		if (!out || !line_with(out, "TGID", "PID", "COMM") || proc_line_count(out) < 5 ||
		    !line_with(out, " task_iter", NULL, NULL))
			err = fail(app, "no task list with itself in it", out);
	} else if (!strcmp(app, "tc")) {
		/* a private network namespace: lo only, nothing leaves the machine */
		out = run("unshare -n bash -c 'ip link set lo up; %s/%s -t 2 lo & sleep 0.8; "
			  "for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9; done; wait; "
			  "echo QDISC; tc qdisc show dev lo' 2>&1", dir, app);
		p = out ? strstr(out, "total packets: ") : NULL;
		if (p)
			sscanf(p, "total packets: %llu ipv4: %llu", &total, &ipv4);
		if (ipv4 < 3 || total < ipv4)
			err = fail(app, "fewer than 3 IPv4 packets counted at lo ingress", out);
		else if (strstr(strstr(out, "QDISC"), "clsact"))
			err = fail(app, "the clsact qdisc it created is still there", out);
	} else if (!strcmp(app, "sockfilter")) {
		out = run("unshare -n bash -c 'ip link set lo up; %s/%s -t 2 lo & sleep 0.8; "
			  "for i in 1 2; do echo x > /dev/udp/127.0.0.1/9; done; wait' 2>&1", dir, app);
		if (!out || !line_with(out, "interface: lo", "protocol: UDP", "127.0.0.1 -> 127.0.0.1"))
			err = fail(app, "no UDP packet on lo reported", out);
	} else {
		err = fail(app, "no check for this example", NULL);
	}
	free(out);
	return err;
}
