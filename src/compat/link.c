// SPDX-License-Identifier: BSD-2-Clause
/*
 * struct bpf_link: a native link (an fd plus what else to undo, made by
 * the attach layer) or, for bpf_link__open(), a bare fd; pinning, update,
 * detach, destroy; and bpf_program__attach(), attach by section name.
 */
#include "compat.h"
#include "../attach/attach.h"

struct bpf_link *bbpf_compat_link_wrap(struct bbpf_link *l)
{
	struct bpf_link *link = bbpf_compat_sys_zalloc(sizeof(*link));

	if (!link) {
		bbpf_link_destroy(l);
		return bbpf_compat_errp(-ENOMEM);
	}
	link->l = l;
	link->fd = -1;
	link->perf_fd = -1;
	return link;
}

struct bpf_link *bbpf_compat_link_result(int err, struct bbpf_link *l)
{
	if (err < 0)
		return bbpf_compat_errp(err);
	return bbpf_compat_link_wrap(l);
}

struct bpf_link *bpf_link__open(const char *path)
{
	struct bpf_link *link;
	char *copy;
	int fd;

	if (!path)
		return bbpf_compat_errp(-EINVAL);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		pr_warn("failed to open link at %s: %s\n", path, strerror(errno));
		return NULL;	/* errno set */
	}
	link = bbpf_compat_sys_zalloc(sizeof(*link));
	copy = bbpf_compat_sys_strdup(path);
	if (!link || !copy) {
		const struct bbpf_sys *sys = bbpf_compat_sys();

		sys->close(sys->ctx, fd);
		bbpf_compat_sys_free(link, sizeof(*link));
		bbpf_compat_sys_strfree(copy);
		return bbpf_compat_errp(-ENOMEM);
	}
	link->fd = fd;
	link->perf_fd = -1;
	link->pin_path = copy;
	return link;
}

int bpf_link__fd(const struct bpf_link *link)
{
	if (!link)
		return bbpf_compat_err(-EINVAL);
	return link->l ? bbpf_link_fd(link->l) : link->fd;
}

const char *bpf_link__pin_path(const struct bpf_link *link)
{
	return link ? link->pin_path : NULL;
}

int bpf_link__pin(struct bpf_link *link, const char *path)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	int fd, err;
	char *copy;

	if (!link || !path)
		return bbpf_compat_err(-EINVAL);
	if (link->pin_path)
		return bbpf_compat_err(-EBUSY);
	fd = bpf_link__fd(link);
	if (fd < 0)
		return bbpf_compat_err(-EOPNOTSUPP);	/* an attachment without a BPF link */
	copy = bbpf_compat_sys_strdup(path);
	if (!copy)
		return bbpf_compat_err(-ENOMEM);
	/* a native link knows it is pinned: its undo then leaves what the pin needs */
	err = link->l ? bbpf_link_pin(link->l, path) : -EOPNOTSUPP;
	if (err == -EOPNOTSUPP)	/* no BPF link: libbpf pins the fd it has */
		err = bbpf_cmd_obj_pin(sys, fd, path);
	if (err) {
		bbpf_compat_sys_strfree(copy);
		pr_warn("failed to pin link at %s: %s\n", path, strerror(-err));
		return bbpf_compat_err(err);
	}
	link->pin_path = copy;
	pr_debug("link fd=%d: pinned at %s\n", fd, path);
	return 0;
}

int bpf_link__unpin(struct bpf_link *link)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();
	long err;

	if (!link || !link->pin_path)
		return bbpf_compat_err(-EINVAL);
	err = link->l ? bbpf_link_unpin(link->l) : -EINVAL;
	if (err == -EINVAL)	/* not pinned natively (see bpf_link__pin) */
		err = sys->unlink(sys->ctx, link->pin_path);
	if (err)
		return bbpf_compat_err((int)err);
	bbpf_compat_sys_strfree(link->pin_path);
	link->pin_path = NULL;
	return 0;
}

int bpf_link__update_program(struct bpf_link *link, struct bpf_program *prog)
{
	int prog_fd = prog ? bbpf_program_fd(prog->p) : -1;
	int fd = link ? bpf_link__fd(link) : -1, err;

	if (prog_fd < 0 || fd < 0)
		return bbpf_compat_err(-EINVAL);
	/* a native link without a BPF link (ioctl): the fd libbpf would use */
	err = link->l ? bbpf_link_update_program(link->l, prog->p) : -EINVAL;
	if (err != -EINVAL)
		return bbpf_compat_err(err);
	return bpf_link_update(fd, prog_fd, NULL);
}

int bpf_link__detach(struct bpf_link *link)
{
	int fd = link ? bpf_link__fd(link) : -1, err;

	if (fd < 0)
		return bbpf_compat_err(-EINVAL);
	err = link->l ? bbpf_link_detach(link->l) : -EINVAL;
	if (err != -EINVAL)
		return bbpf_compat_err(err);
	return bpf_link_detach(fd);
}

void bpf_link__disconnect(struct bpf_link *link)
{
	if (link)
		link->disconnected = true;
}

/*
 * A disconnected native link is freed without its undo list: the BPF link
 * fd and whatever else the attach made stay (as in libbpf, whose disconnected
 * links keep their fd open), so a pinned link outlives the process.
 */
static void forget(struct bbpf_link *l)
{
	bbpf_link_disconnect(l);
	bbpf_link_destroy(l);
}

int bpf_link__destroy(struct bpf_link *link)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();

	if (!link)
		return 0;
	if (link->l) {
		if (link->disconnected)
			forget(link->l);
		else
			bbpf_link_destroy(link->l);
	} else if (!link->disconnected && link->fd >= 0) {
		sys->close(sys->ctx, link->fd);
	}
	if (!link->disconnected && link->perf_fd >= 0)
		sys->close(sys->ctx, link->perf_fd);
	bbpf_compat_sys_strfree(link->pin_path);
	bbpf_compat_sys_free(link, sizeof(*link));
	return 0;
}

struct bpf_link *bpf_program__attach(const struct bpf_program *prog)
{
	struct bbpf_link *l = NULL;
	const char *why = NULL;
	int err;

	if (!prog)
		return bbpf_compat_errp(-EINVAL);
	if (bbpf_program_fd(prog->p) < 0) {
		pr_warn("prog '%s': can't attach BPF program without FD (was it loaded?)\n",
			bbpf_program_name(prog->p));
		return bbpf_compat_errp(-EINVAL);
	}
	if (!bbpf_attach_is_auto(prog->p, &why)) {
		pr_warn("prog '%s': no auto-attach for section '%s'%s%s\n", bbpf_program_name(prog->p),
			bbpf_program_section(prog->p), why ? ": " : "", why ? why : "");
		return bbpf_compat_errp(-EOPNOTSUPP);
	}
	err = bbpf_program_attach(prog->p, &l);
	if (err) {
		pr_warn("prog '%s': failed to attach: %s\n", bbpf_program_name(prog->p),
			strerror(-err));
		return bbpf_compat_errp(err);
	}
	return bbpf_compat_link_wrap(l);
}
