/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ksyscall/NAME and kretsyscall/NAME programs (libbpf 1.8's
 * bpf_program__attach_ksyscall): a kprobe, or kretprobe, on the system
 * call's entry point as the running kernel names it
 * (src/kern/ksyscall.c: "__x64_sys_NAME" where the kernel has syscall
 * wrappers, else "__se_sys_NAME"), with the kprobe's cookie.
 */
#include <errno.h>
#include <string.h>
#include "attach.h"

static bool syscall_name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return false;
	return i > 0 && i < 64;
}

static int ksyscall_attach(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			   const char *name, const struct bbpf_ksyscall_opts *opts,
			   struct bbpf_link *link)
{
	struct bbpf_kprobe_opts ko = { 0 };
	char func[128];
	int err;

	if (!name || !syscall_name_ok(name)) {
		bbpf_attach_warn(ctx, prog, 0, "not a system call name "
			      "(lowercase letters, digits, '_')");
		return -EINVAL;
	}
	err = bbpf_ksyscall_entry(ctx, name, func, sizeof(func));
	if (err)
		return err;
	if (opts) {
		ko.retprobe = opts->retprobe;
		ko.bpf_cookie = opts->bpf_cookie;
	}
	return bbpf_attach_kprobe_opts(ctx, prog, prog_fd, func, &ko, link);
}

int bbpf_attach_ksyscall(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			 struct bbpf_link *link)
{
	struct bbpf_ksyscall_opts o = { .retprobe = !strncmp(prog->sec_name, "kretsyscall", 11) };

	return ksyscall_attach(ctx, prog, prog_fd, prog->attach_target, &o, link);
}

struct ksyscall_args {
	const char *name;
	const struct bbpf_ksyscall_opts *opts;
};

static int attach_ksyscall_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			       int prog_fd, struct bbpf_link *link, const void *varg)
{
	const struct ksyscall_args *a = varg;

	return ksyscall_attach(ctx, prog, prog_fd, a->name, a->opts, link);
}

int bbpf_program_attach_ksyscall(struct bbpf_program *prog, const char *syscall_name,
				 const struct bbpf_ksyscall_opts *opts, struct bbpf_link **out)
{
	struct ksyscall_args a = { syscall_name, opts };

	return bbpf_attach_api(prog, attach_ksyscall_api, &a, out);
}
