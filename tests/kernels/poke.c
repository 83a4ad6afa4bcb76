/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poke.c - the process the guest's CO-RE checks look at (tests/kernels/run.sh).
 *
 *   poke SECONDS
 *
 * Forks. The child starts a second thread, names it "bbpf-poke-thr", and that
 * thread calls getpid(2) and getppid(2) every 2 ms for SECONDS (the
 * tracepoints core.bpf.c, core_tm.bpf.c, globals.bpf.c and externs.bpf.c
 * attach to). Because the caller is a non-leader thread of a process whose
 * parent is not init, the values a CO-RE program reads are all distinct:
 *   task->pid               = the thread's id
 *   task->tgid              = the child process's pid
 *   task->real_parent->tgid = the poke parent's pid (not 1)
 *   task->comm              = "bbpf-poke-thr"
 * Before the loop the thread prints what the kernel's /proc says about it
 * (its /proc/self/task/TID/status lines), which is what the host script
 * compares the BPF-read values with:
 *   BBPF-TRUTH name=bbpf-poke-thr pid=T tgid=C ppid=P
 * The parent prints "BBPF-POKE parent=P" and waits; a SIGTERM to it ends the
 * child too (PR_SET_PDEATHSIG).
 *
 * Built static with musl-gcc by run.sh; no part of the library.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds;

static void field(const char *status, const char *key, char *out, size_t n)
{
	const char *p = strstr(status, key);
	size_t i = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != '\n' && i + 1 < n)
		out[i++] = *p++;
	out[i] = '\0';
}

static void *poker(void *arg)
{
	char path[64], buf[4096], name[32], pid[16], tgid[16], ppid[16];
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	long tid = syscall(SYS_gettid);
	long i, n = (long)(seconds * 500);
	FILE *f;
	size_t len;

	(void)arg;
	prctl(PR_SET_NAME, "bbpf-poke-thr", 0, 0, 0);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/status", tid);
	f = fopen(path, "r");
	len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[len] = '\0';
	field(buf, "\nName:", name, sizeof(name));
	if (!strncmp(buf, "Name:", 5))
		field(buf, "Name:", name, sizeof(name));
	field(buf, "\nPid:", pid, sizeof(pid));
	field(buf, "\nTgid:", tgid, sizeof(tgid));
	field(buf, "\nPPid:", ppid, sizeof(ppid));
	printf("BBPF-TRUTH name=%s pid=%s tgid=%s ppid=%s\n", name, pid, tgid, ppid);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		syscall(SYS_getpid);
		syscall(SYS_getppid);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	pid_t child;
	int st;

	seconds = argc > 1 ? atof(argv[1]) : 10;
	printf("BBPF-POKE parent=%d\n", (int)getpid());
	fflush(stdout);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (pthread_create(&th, NULL, poker, NULL))
			return 1;
		pthread_join(th, NULL);
		return 0;
	}
	waitpid(child, &st, 0);
	return 0;
}
