/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * raw_tp/, raw_tracepoint/(.w): BPF_RAW_TRACEPOINT_OPEN by name, with a
 * cookie (6.10+) through bbpf_program_attach_raw_tracepoint(). BTF-typed
 * tracing programs (tp_btf/, fentry/, fexit/, fmod_ret/, freplace/, lsm/)
 * carry their target in attach_btf_id from load time, so they attach with
 * no name, as libbpf's bpf_program__attach_btf_id() does; freplace to a
 * program given at attach time, as bpf_program__attach_freplace().
 */
#include <errno.h>
#include <string.h>
#include "attach.h"

/*
 * BPF_RAW_TRACEPOINT_OPEN with a cookie: 6.10 added it after prog_fd and
 * 4 bytes of padding, at byte 16 of the attr (6.1's header has no field).
 */
#define RAW_TP_COOKIE_OFF	16

static int raw_tp_open(const struct bbpf_sys *sys, const char *name, int prog_fd,
		       uint64_t cookie)
{
	_Static_assert(RAW_TP_COOKIE_OFF == 2 * sizeof(uint64_t), "the cookie is the third word");
	/* name, prog_fd, cookie (bbpf_cmd_raw_tp_open's words, and one more) */
	return bbpf_cmd_words(sys, BPF_RAW_TRACEPOINT_OPEN, (uint64_t)(uintptr_t)name,
			      BBPF_U32S(prog_fd, 0), cookie, 0);
}

static int raw_tp_attach(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			 const char *name, uint64_t cookie, struct bbpf_link *link)
{
	int fd = raw_tp_open(&ctx->sys, name, prog_fd, cookie);

	if (fd < 0) {
		bbpf_attach_warn(ctx, prog, fd, "BPF_RAW_TRACEPOINT_OPEN '%s' "
			      "failed", name);
		return fd;
	}
	link->fd = fd;
	return 0;
}

int bbpf_attach_raw_tp(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link)
{
	/* Like libbpf, a bare SEC("raw_tp") has no target to attach to. */
	if (!prog->attach_target || !prog->attach_target[0])
		return -EOPNOTSUPP;
	return raw_tp_attach(ctx, prog, prog_fd, prog->attach_target, 0, link);
}

struct raw_tp_args {
	const char *name;
	uint64_t cookie;
};

static int attach_raw_tp_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link, const void *varg)
{
	const struct raw_tp_args *a = varg;

	return raw_tp_attach(ctx, prog, prog_fd, a->name, a->cookie, link);
}

int bbpf_program_attach_raw_tracepoint(struct bbpf_program *prog, const char *name,
				       const struct bbpf_raw_tracepoint_opts *opts,
				       struct bbpf_link **out)
{
	struct raw_tp_args a = { name, opts ? opts->cookie : 0 };

	if (!name || !name[0])
		return bbpf_attach_api_fail(prog, -EINVAL, "raw tracepoint name needed");
	return bbpf_attach_api(prog, attach_raw_tp_api, &a, out);
}

/* ---- BTF-typed tracing: the target was fixed at load ---- */

/*
 * libbpf's bpf_link_create() falls back to BPF_RAW_TRACEPOINT_OPEN(NULL) when
 * the kernel predates LINK_CREATE for these attach types (EINVAL) and no
 * option (cookie, target) was given.
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

static int tracing_attach(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			  int target_fd, uint32_t target_btf_id, uint64_t cookie,
			  struct bbpf_link *link)
{
	const struct bbpf_sys *sys = &ctx->sys;
	union bpf_attr extra;
	int fd;

	memset(&extra, 0, sizeof(extra));
	if (target_btf_id)
		extra.link_create.target_btf_id = target_btf_id;
	else
		extra.link_create.tracing.cookie = cookie;
	fd = bbpf_cmd_link_create(sys, prog_fd, target_fd, prog->expected_attach_type, &extra);
	if (fd == -EINVAL && !cookie && !target_fd && !target_btf_id &&
	    raw_tp_can_attach(prog->expected_attach_type))
		fd = bbpf_cmd_raw_tp_open(sys, NULL, prog_fd);
	if (fd < 0) {
		bbpf_attach_warn(ctx, prog, fd, "section '%s': attach failed",
			      prog->sec_name);
		return fd;
	}
	link->fd = fd;
	return 0;
}

int bbpf_attach_tracing(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			struct bbpf_link *link)
{
	return tracing_attach(ctx, prog, prog_fd, 0, 0, 0, link);
}

static int attach_trace_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			    struct bbpf_link *link, const void *varg)
{
	const uint64_t *cookie = varg;

	return tracing_attach(ctx, prog, prog_fd, 0, 0, *cookie, link);
}

int bbpf_program_attach_trace(struct bbpf_program *prog, const struct bbpf_trace_opts *opts,
			      struct bbpf_link **out)
{
	uint64_t cookie = opts ? opts->cookie : 0;

	return bbpf_attach_api(prog, attach_trace_api, &cookie, out);
}

int bbpf_program_attach_lsm(struct bbpf_program *prog, struct bbpf_link **out)
{
	return bbpf_program_attach_trace(prog, NULL, out);
}

struct freplace_args {
	int target_fd;
	const char *func;
};

static int attach_freplace_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			       int prog_fd, struct bbpf_link *link, const void *varg)
{
	const struct freplace_args *a = varg;
	uint32_t btf_id;
	int err;

	if (!a->target_fd)	/* the target given at load: as a plain trace attach */
		return tracing_attach(ctx, prog, prog_fd, 0, 0, 0, link);
	err = bbpf_attach_btf_prog(ctx, a->target_fd, a->func, &btf_id);
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "function '%s' not found in "
			      "the BTF of program fd %d", a->func, a->target_fd);
		return err;
	}
	return tracing_attach(ctx, prog, prog_fd, a->target_fd, btf_id, 0, link);
}

int bbpf_program_attach_freplace(struct bbpf_program *prog, int target_fd,
				 const char *attach_func_name, struct bbpf_link **out)
{
	struct freplace_args a = { target_fd, attach_func_name };

	if (!prog)
		return -EINVAL;
	if (target_fd < 0 || !target_fd != !attach_func_name)
		return bbpf_attach_api_fail(prog, -EINVAL,
					    "freplace takes both a target program and a function, "
					    "or neither");
	if (prog->type != BPF_PROG_TYPE_EXT)
		return bbpf_attach_api_fail(prog, -EINVAL, "only freplace programs (ext) replace");
	return bbpf_attach_api(prog, attach_freplace_api, &a, out);
}
