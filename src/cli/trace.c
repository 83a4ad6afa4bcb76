/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpf_printk output for `run`, from a private tracefs instance: each run
 * makes instances/barebpf-<pid>-<n> with the bpf_trace/bpf_trace_printk
 * event enabled, reads that instance's trace_pipe and removes the instance
 * at the end. So a run sees no lines left in the top-level buffer by earlier
 * readers, does not depend on the top-level event being enabled, and two
 * runs at once each get every line (an event enabled in several instances
 * is recorded in each), instead of fighting over one trace_pipe.
 *
 * Lines are read whenever the caller asks, not only when poll(2) says the
 * pipe is readable: a trace_pipe's poll honours the instance's
 * buffer_percent, so it may not wake for a few lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"	/* strerror() of the static builds */
#include "trace.h"
#include "textfile.h"
#include "../base/fmt.h"

#define EVENT_ENABLE "events/bpf_trace/bpf_trace_printk/enable"

static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = bbpf_cli_open(path, O_WRONLY | O_CLOEXEC, 0);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

int bbpf_cli_trace_open(struct bbpf_cli_trace *t, const char *tracefs, char *why, size_t why_len)
{
	char path[PATH_MAX + 64];
	unsigned int n;
	int err;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	for (n = 0; n < 1000; n++) {
		bbpf_snprintf(t->dir, sizeof(t->dir), "%s/instances/barebpf-%d-%u", tracefs,
			      (int)getpid(), n);
		if (!syscall(SYS_mkdir, t->dir, 0700))	/* musl's mkdir() only for this */
			break;
		if (errno != EEXIST) {
			err = -errno;
			bbpf_snprintf(why, why_len, "cannot create the tracefs instance %s: %s",
				      t->dir, strerror(-err));
			t->dir[0] = '\0';
			return err;
		}
	}
	if (n == 1000) {
		bbpf_snprintf(why, why_len, "no free tracefs instance name under %s/instances",
			      tracefs);
		t->dir[0] = '\0';
		return -EEXIST;
	}
	bbpf_snprintf(path, sizeof(path), "%s/" EVENT_ENABLE, t->dir);
	err = write_file(path, "1");
	if (err) {
		bbpf_snprintf(why, why_len, "cannot enable bpf_trace_printk in %s: %s", t->dir,
			      strerror(-err));
		bbpf_cli_trace_close(t);
		return err;
	}
	bbpf_snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->fd = bbpf_cli_open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
	if (t->fd < 0) {
		err = -errno;
		bbpf_snprintf(why, why_len, "%s: %s", path, strerror(-err));
		bbpf_cli_trace_close(t);
		return err;
	}
	return 0;
}

long bbpf_cli_trace_read(struct bbpf_cli_trace *t, char *buf, size_t cap)
{
	ssize_t n;

	if (t->fd < 0 || !cap)
		return 0;
	n = read(t->fd, buf, cap);
	if (n >= 0)
		return n;
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

void bbpf_cli_trace_close(struct bbpf_cli_trace *t)
{
	char path[PATH_MAX + 64];

	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (!t->dir[0])
		return;
	/* Disabled first: rmdir of an instance with an enabled event can be refused (EBUSY). */
	bbpf_snprintf(path, sizeof(path), "%s/" EVENT_ENABLE, t->dir);
	write_file(path, "0");
	rmdir(t->dir);
	t->dir[0] = '\0';
}
