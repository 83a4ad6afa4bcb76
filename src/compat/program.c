// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct bpf_program: getters and setters over the native program, with
 * libbpf's error codes for a setter called after load (-EINVAL for
 * autoload, -EBUSY for the others, as libbpf 1.8).
 */
#include "compat.h"

static bool loaded(const struct bpf_program *prog)
{
	return prog->obj->load_tried;
}

const char *bpf_program__name(const struct bpf_program *prog)
{
	return prog ? bbpf_program_name(prog->p) : NULL;
}

const char *bpf_program__section_name(const struct bpf_program *prog)
{
	return prog ? bbpf_program_section(prog->p) : NULL;
}

bool bpf_program__autoload(const struct bpf_program *prog)
{
	return prog && bbpf_program_autoload(prog->p);
}

int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	if (!prog || loaded(prog))
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_err(bbpf_program_set_autoload(prog->p, autoload));
}

bool bpf_program__autoattach(const struct bpf_program *prog)
{
	return prog && prog->autoattach;
}

void bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach)
{
	if (prog)
		prog->autoattach = autoattach;
}

void bpf_program__set_ifindex(struct bpf_program *prog, __u32 ifindex)
{
	if (prog)
		prog->ifindex = ifindex;
}

const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog)
{
	return prog ? bbpf_program_insns(prog->p) : NULL;
}

size_t bpf_program__insn_cnt(const struct bpf_program *prog)
{
	return prog ? bbpf_program_insn_cnt(prog->p) : 0;
}

/* -ENOENT for a program that was not loaded, as libbpf. */
int bpf_program__fd(const struct bpf_program *prog)
{
	int fd;

	if (!prog)
		return bbpf_compat_err(-EINVAL);
	fd = bbpf_program_fd(prog->p);
	return fd >= 0 ? fd : bbpf_compat_err(-ENOENT);
}

int bpf_program__pin(struct bpf_program *prog, const char *path)
{
	if (!prog || !path)
		return bbpf_compat_err(-EINVAL);
	if (bbpf_program_fd(prog->p) < 0) {
		pr_warn("prog '%s': can't pin program that wasn't loaded\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_err(-EINVAL);
	}
	return bbpf_compat_err(bbpf_program_pin(prog->p, path));
}

int bpf_program__unpin(struct bpf_program *prog, const char *path)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();

	if (!prog || !path)
		return bbpf_compat_err(-EINVAL);
	if (bbpf_program_fd(prog->p) < 0) {
		pr_warn("prog '%s': can't unpin program that wasn't loaded\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_err(-EINVAL);
	}
	return bbpf_compat_err((int)sys->unlink(sys->ctx, path));
}

enum bpf_prog_type bpf_program__type(const struct bpf_program *prog)
{
	return prog ? bbpf_program_type(prog->p) : BPF_PROG_TYPE_UNSPEC;
}

enum bpf_prog_type bpf_program__get_type(const struct bpf_program *prog)
{
	return bpf_program__type(prog);
}

int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type)
{
	if (!prog)
		return bbpf_compat_err(-EINVAL);
	if (loaded(prog))
		return bbpf_compat_err(-EBUSY);
	return bbpf_compat_err(bbpf_program_set_type(prog->p, type));
}

enum bpf_attach_type bpf_program__expected_attach_type(const struct bpf_program *prog)
{
	return prog ? bbpf_program_expected_attach_type(prog->p) : (enum bpf_attach_type)0;
}

enum bpf_attach_type bpf_program__get_expected_attach_type(const struct bpf_program *prog)
{
	return bpf_program__expected_attach_type(prog);
}

int bpf_program__set_expected_attach_type(struct bpf_program *prog, enum bpf_attach_type type)
{
	if (!prog)
		return bbpf_compat_err(-EINVAL);
	if (loaded(prog))
		return bbpf_compat_err(-EBUSY);
	return bbpf_compat_err(bbpf_program_set_expected_attach_type(prog->p, type));
}

__u32 bpf_program__flags(const struct bpf_program *prog)
{
	return prog ? bbpf_program_flags(prog->p) : 0;
}

int bpf_program__set_flags(struct bpf_program *prog, __u32 flags)
{
	if (!prog)
		return bbpf_compat_err(-EINVAL);
	if (loaded(prog))
		return bbpf_compat_err(-EBUSY);
	/* The native model has no setter: the flags are a plain field of the parsed program. */
	prog->p->prog_flags = flags;
	return 0;
}

__u32 bpf_program__log_level(const struct bpf_program *prog)
{
	return prog ? prog->log_level : 0;
}

int bpf_program__set_log_level(struct bpf_program *prog, __u32 log_level)
{
	if (!prog)
		return bbpf_compat_err(-EINVAL);
	if (loaded(prog))
		return bbpf_compat_err(-EBUSY);
	prog->log_level = log_level;
	return 0;
}

const char *bpf_program__log_buf(const struct bpf_program *prog, size_t *log_size)
{
	if (!prog)
		return NULL;
	if (log_size)
		*log_size = prog->log_size;
	return prog->log_buf;
}

int bpf_program__set_log_buf(struct bpf_program *prog, char *log_buf, size_t log_size)
{
	if (!prog || (log_size && !log_buf) || log_size > UINT32_MAX)
		return bbpf_compat_err(-EINVAL);
	if (loaded(prog))
		return bbpf_compat_err(-EBUSY);
	prog->log_buf = log_buf;
	prog->log_size = log_size;
	return 0;
}

int bpf_program__set_attach_target(struct bpf_program *prog, int attach_prog_fd,
				   const char *attach_func_name)
{
	struct bbpf_ctx *ctx;
	char *copy;
	int err;

	if (!prog || attach_prog_fd < 0)
		return bbpf_compat_err(-EINVAL);
	if (loaded(prog))
		return bbpf_compat_err(-EINVAL);
	if (attach_prog_fd) {
		/* freplace: the native loader has no program target yet */
		pr_warn("prog '%s': attach target in another BPF program is not supported\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_err(-EOPNOTSUPP);
	}
	if (!attach_func_name)
		return bbpf_compat_err(-EINVAL);
	/* As libbpf: the target must exist in the kernel's BTF now. */
	err = bbpf_compat_object_ctx(prog->obj, &ctx);
	err = err ?: bbpf_compat_probe_btf_id(ctx, attach_func_name,
					      bbpf_program_expected_attach_type(prog->p), NULL);
	if (err < 0)
		return bbpf_compat_err(err);
	copy = bbpf_compat_sys_strdup(attach_func_name);
	if (!copy)
		return bbpf_compat_err(-ENOMEM);
	bbpf_compat_sys_strfree(prog->attach_target);
	prog->attach_target = copy;
	prog->p->attach_target = copy;	/* read by the native load (find_attach_btf_id) */
	return 0;
}
