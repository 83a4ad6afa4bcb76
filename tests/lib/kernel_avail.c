/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include "kern/kern.h"
#include "kernel_avail.h"

const char *tk_kernel_unavailable(void)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	union bpf_attr a;
	int fd;

	if (geteuid() != 0)
		return "not root";
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	fd = bbpf_cmd_map_create(sys, &a);
	if (fd == -ENOSYS)
		return "bpf(2) not available (ENOSYS)";
	if (fd == -EPERM)
		return "bpf(2) not permitted (EPERM)";
	if (fd < 0)
		return "BPF_MAP_CREATE of a trivial array failed";
	sys->close(sys->ctx, fd);
	return NULL;
}

/* Mount fstype at path unless it is there already. NULL or why not. */
static const char *ensure_fs(const char *path, long magic, const char *fstype)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	long type = 0;

	if (sys->statfs(sys->ctx, path, &type) == 0 && type == magic)
		return NULL;
	if (sys->mount(sys->ctx, fstype, path, fstype, 0, NULL) != 0)
		return "cannot mount a file system the test needs (tracefs or bpffs)";
	if (sys->statfs(sys->ctx, path, &type) != 0 || type != magic)
		return "mounted, but statfs disagrees";
	return NULL;
}

const char *tk_mount_fs(void)
{
	const char *why = ensure_fs("/sys/kernel/tracing", TRACEFS_MAGIC, "tracefs");

	return why ? why : ensure_fs("/sys/fs/bpf", BPF_FS_MAGIC, "bpf");
}
