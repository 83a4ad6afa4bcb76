/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * raw_tp/, raw_tracepoint/(.w): BPF_RAW_TRACEPOINT_OPEN by name. BTF-typed
 * tracing programs (tp_btf/, fentry/, fexit/, fmod_ret/, freplace/, lsm/)
 * carry their target in attach_btf_id from load time, so they attach with no
 * name, as libbpf 1.1's bpf_program__attach_btf_id() does.
 */
#include <errno.h>
#include "attach.h"

int bbpf_attach_raw_tp(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link)
{
	int fd;

	/* Like libbpf, a bare SEC("raw_tp") has no target to attach to. */
	if (!prog->attach_target || !prog->attach_target[0])
		return -EOPNOTSUPP;
	fd = bbpf_cmd_raw_tp_open(&ctx->sys, prog->attach_target, prog_fd);
	if (fd < 0) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN,
			 "program '%s': BPF_RAW_TRACEPOINT_OPEN '%s' failed: %s", prog->name,
			 prog->attach_target, bbpf_err_name(fd));
		return fd;
	}
	link->fd = fd;
	return 0;
}

/*
 * libbpf's bpf_link_create() falls back to BPF_RAW_TRACEPOINT_OPEN(NULL) when
 * the kernel predates LINK_CREATE for these attach types (EINVAL).
 */
static bool raw_tp_can_attach(enum bpf_attach_type type)
{
	switch (type) {
	case BPF_TRACE_RAW_TP:
	case BPF_LSM_MAC:
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
		return true;
	default:
		return false;
	}
}

int bbpf_attach_tracing(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			struct bbpf_link *link)
{
	const struct bbpf_sys *sys = &ctx->sys;
	int fd;

	fd = bbpf_cmd_link_create(sys, prog_fd, 0, prog->expected_attach_type, NULL);
	if (fd == -EINVAL && raw_tp_can_attach(prog->expected_attach_type))
		fd = bbpf_cmd_raw_tp_open(sys, NULL, prog_fd);
	if (fd < 0) {
		bbpf_log(&ctx->log, BBPF_LOG_WARN, "program '%s': section '%s': attach failed: %s",
			 prog->name, prog->sec_name, bbpf_err_name(fd));
		return fd;
	}
	link->fd = fd;
	return 0;
}
