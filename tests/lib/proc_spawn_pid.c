/* SPDX-License-Identifier: BSD-2-Clause */
/* see proc_spawn_pid.h */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_spawn_pid.h"

extern char **environ;

/* An unlinked temporary file: no pipes, so no deadlock on big outputs. */
static int tmp_fd(void)
{
	char name[] = "/tmp/bbpf_spawn_XXXXXX";
	int fd = mkstemp(name);

	if (fd >= 0)
		unlink(name);
	return fd;
}

/* The whole file from its start; "" if it cannot be read. Closes fd. */
static char *slurp(int fd)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	lseek(fd, 0, SEEK_SET);
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return strdup("");
	}
	if (getdelim(&s, &len, '\0', f) < 0) {
		free(s);
		s = strdup("");
	}
	fclose(f);
	return s;
}

int proc_spawn_pid(char *const argv[], pid_t *pid, char **out, char **err)
{
	posix_spawn_file_actions_t fa;
	int ofd = tmp_fd(), efd = tmp_fd(), st, rc;

	*out = *err = NULL;
	if (ofd < 0 || efd < 0)
		goto fail;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, ofd, 1);
	posix_spawn_file_actions_adddup2(&fa, efd, 2);
	rc = posix_spawn(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		goto fail;
	while (waitpid(*pid, &st, 0) < 0)
		if (errno != EINTR)
			goto fail;
	*out = slurp(ofd);
	*err = slurp(efd);
	return WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st);
fail:
	if (ofd >= 0)
		close(ofd);
	if (efd >= 0)
		close(efd);
	return -1000;
}
