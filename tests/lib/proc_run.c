/* SPDX-License-Identifier: BSD-2-Clause */
/* see proc_run.h */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_run.h"

extern char **environ;

static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *nb;
	ssize_t n;

	if (!buf)
		return NULL;
	while ((n = read(fd, buf + len, cap - len - 1)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
		if (cap - len < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

/* An unlinked temporary file: no pipes, so no deadlock on big outputs. */
static int tmp_fd(void)
{
	char name[] = "/tmp/bbpf_run_XXXXXX";
	int fd = mkstemp(name);

	if (fd >= 0)
		unlink(name);
	return fd;
}

int proc_run(char *const argv[], struct proc_run *r)
{
	posix_spawn_file_actions_t fa;
	int ofd = tmp_fd(), efd = tmp_fd(), err;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (ofd < 0 || efd < 0) {
		err = -errno;
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, ofd, 1);
	posix_spawn_file_actions_adddup2(&fa, efd, 2);
	err = -posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		goto out;
	while (waitpid(pid, &r->status, 0) < 0) {
		if (errno != EINTR) {
			err = -errno;
			goto out;
		}
	}
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	r->out = read_all(ofd);
	r->err = read_all(efd);
	if (!r->out || !r->err)
		err = -ENOMEM;
out:
	if (ofd >= 0)
		close(ofd);
	if (efd >= 0)
		close(efd);
	return err;
}

void proc_run_free(struct proc_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

char *proc_capture(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *s;

	if (!p)
		return NULL;
	s = read_all(fileno(p));
	pclose(p);
	return s;
}

const char *proc_find_tool(const char *const *names, size_t n)
{
	char cmd[512];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "command -v '%s' >/dev/null 2>&1", names[i]);
		if (system(cmd) == 0)
			return names[i];
	}
	return NULL;
}

size_t proc_line_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}
