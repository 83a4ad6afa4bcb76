/* SPDX-License-Identifier: BSD-2-Clause */
/* see bg_run.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "bg_run.h"

void bg_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void bg_start(struct bg_run *b, char *const argv[])
{
	int fo, fe;

	snprintf(b->out, sizeof(b->out), "/tmp/bbpf_bg_out_XXXXXX");
	snprintf(b->err, sizeof(b->err), "/tmp/bbpf_bg_err_XXXXXX");
	fo = mkstemp(b->out);
	fe = mkstemp(b->err);
	if (fo < 0 || fe < 0)
		abort();
	b->ended = false;
	b->status = 0;
	b->pid = fork();
	if (b->pid < 0)
		abort();
	if (b->pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fo);
	close(fe);
}

char *bg_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

bool bg_wait_stderr(struct bg_run *b, const char *text, int timeout_ms)
{
	int waited;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		char *e = bg_slurp(b->err);
		bool found = e && strstr(e, text);

		free(e);
		if (found)
			return true;
		if (waitpid(b->pid, &b->status, WNOHANG) == b->pid) {
			b->ended = true;
			return false;
		}
		bg_sleep_ms(10);
	}
	return false;
}

int bg_finish(struct bg_run *b, char **out, char **err)
{
	int status = b->status;

	if (!b->ended)
		waitpid(b->pid, &status, 0);
	b->ended = true;
	*out = bg_slurp(b->out);
	*err = bg_slurp(b->err);
	unlink(b->out);
	unlink(b->err);
	if (!*out)
		*out = calloc(1, 1);
	if (!*err)
		*err = calloc(1, 1);
	return status;
}
