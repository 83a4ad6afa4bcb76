/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Links: attaching one program by its section kind, attaching every
 * auto-attachable program of an object, pinning, and teardown. See loader.h.
 */
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"
#include "../kern/load_int.h"

bool bbpf_attach_is_auto(const struct bbpf_program *prog, const char **why)
{
	const char *reason = NULL;

	if (prog->fd < 0) {
		reason = "not loaded";
	} else if (!prog->sec_def) {
		reason = "unknown section";
	} else {
		switch (prog->sec_def->attach) {
		case BBPF_ATTACH_TRACEPOINT:
		case BBPF_ATTACH_RAW_TP:
			/* libbpf: no auto-attach for a bare SEC("tp") or SEC("raw_tp") */
			if (!prog->attach_target || !prog->attach_target[0])
				reason = "no target in the section name";
			break;
		case BBPF_ATTACH_TRACING:
		case BBPF_ATTACH_LSM:
		case BBPF_ATTACH_ITER:
			break;
		default:
			reason = "no auto-attach for this kind (yet)";
			break;
		}
	}
	if (why)
		*why = reason;
	return !reason;
}

static int attach_one(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
		      struct bbpf_attach_res *res)
{
	switch (prog->sec_def->attach) {
	case BBPF_ATTACH_TRACEPOINT:
		return bbpf_attach_tracepoint(ctx, prog, res);
	case BBPF_ATTACH_RAW_TP:
		return bbpf_attach_raw_tp(ctx, prog, res);
	case BBPF_ATTACH_TRACING:
	case BBPF_ATTACH_LSM:
		return bbpf_attach_tracing(ctx, prog, res);
	case BBPF_ATTACH_ITER:
		return bbpf_attach_iter(ctx, prog, res);
	default:
		return -EOPNOTSUPP;
	}
}

int bbpf_program_attach(struct bbpf_program *prog, struct bbpf_link **out)
{
	struct bbpf_attach_res res;
	struct bbpf_link *link;
	struct bbpf_ctx *ctx;
	int err;

	if (!prog || !out || prog->is_subprog || !prog->obj)
		return -EINVAL;
	ctx = bbpf_obj_ctx(prog->obj);
	if (!ctx || prog->obj->state != BBPF_OBJ_LOADED || prog->fd < 0)
		return -EINVAL;
	if (!bbpf_attach_is_auto(prog, NULL))
		return -EOPNOTSUPP;

	/* Allocate first: a failure after attaching would have to detach again. */
	link = ctx->alloc.resize(ctx->alloc.ctx, NULL, 0, sizeof(*link));
	if (!link)
		return -ENOMEM;
	memset(link, 0, sizeof(*link));
	err = attach_one(ctx, prog, &res);
	if (err) {
		ctx->alloc.resize(ctx->alloc.ctx, link, sizeof(*link), 0);
		return err;
	}
	link->prog = prog;
	link->sys = ctx->sys;
	link->alloc = ctx->alloc;
	link->kind = res.kind;
	link->attach = prog->sec_def->attach;
	link->fd = res.fd;
	link->perf_fd = res.perf_fd;
	*out = link;
	return 0;
}

static void link_free(struct bbpf_link *link)
{
	const struct bbpf_sys *sys = &link->sys;
	struct bbpf_alloc alloc = link->alloc;

	/*
	 * An ioctl attachment ends when the event is disabled and closed. A BPF
	 * link holds its own reference to the perf event: disabling the event
	 * would stop a pinned link too, so only close.
	 */
	if (link->kind == BBPF_LINK_PERF_IOCTL)
		sys->ioctl(sys->ctx, link->fd, PERF_EVENT_IOC_DISABLE, 0);
	sys->close(sys->ctx, link->fd);
	if (link->perf_fd >= 0 && link->perf_fd != link->fd)
		sys->close(sys->ctx, link->perf_fd);
	if (link->pin_path)
		alloc.resize(alloc.ctx, link->pin_path, link->pin_path_size, 0);
	alloc.resize(alloc.ctx, link, sizeof(*link), 0);
}

void bbpf_link_destroy(struct bbpf_link *link)
{
	/* The object destroys the links it holds at close; freeing one here would double-free. */
	if (!link || link->held)
		return;
	link_free(link);
}

int bbpf_link_fd(const struct bbpf_link *link)
{
	return link ? link->fd : -1;
}

struct bbpf_program *bbpf_link_program(const struct bbpf_link *link)
{
	return link ? link->prog : NULL;
}

int bbpf_link_pin(struct bbpf_link *link, const char *path)
{
	size_t size;
	char *copy;
	int err;

	if (!link || !path || !path[0])
		return -EINVAL;
	if (link->kind != BBPF_LINK_BPF)
		return -EOPNOTSUPP;
	if (link->pin_path)
		return -EBUSY;
	size = strlen(path) + 1;
	copy = link->alloc.resize(link->alloc.ctx, NULL, 0, size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, path, size);
	err = bbpf_cmd_obj_pin(&link->sys, link->fd, path);
	if (err) {
		link->alloc.resize(link->alloc.ctx, copy, size, 0);
		return err;
	}
	link->pin_path = copy;
	link->pin_path_size = size;
	return 0;
}

/* ---- the object's links ---- */

/*
 * Auto-attachable and not attached by an earlier call (links[0, old_cnt)).
 * Linear in old_cnt, which is 0 except on a repeated bbpf_object_attach().
 */
static bool wants_link(const struct bbpf_obj_kern *k, uint32_t old_cnt,
		       const struct bbpf_program *prog, const char **why)
{
	uint32_t i;

	if (!bbpf_attach_is_auto(prog, why))
		return false;
	for (i = 0; i < old_cnt; i++) {
		if (k->links[i]->prog == prog) {
			*why = "already attached";
			return false;
		}
	}
	return true;
}

static void destroy_from(struct bbpf_obj_kern *k, uint32_t first)
{
	while (k->link_cnt > first)
		link_free(k->links[--k->link_cnt]);
}

int bbpf_object_attach(struct bbpf_object *obj)
{
	struct bbpf_obj_kern *k;
	struct bbpf_link **links;
	const char *why;
	uint32_t i, want = 0, first;
	int err;

	if (!obj || obj->state != BBPF_OBJ_LOADED || !obj->kern)
		return -EINVAL;
	k = obj->kern;
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct bbpf_program *p = &obj->progs[i];

		if (wants_link(k, k->link_cnt, p, &why))
			want++;
		else
			bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_DEBUG,
				 "%s: program '%s' (section '%s'): not attached: %s", obj->name,
				 p->name, p->sec_name, why);
	}
	if (!want)
		return 0;
	/* Sized once per call, so the loop below cannot fail on memory after attaching. */
	links = bbpf_arena_calloc(&obj->arena, (size_t)k->link_cnt + want, sizeof(*links));
	if (!links)
		return -ENOMEM;
	if (k->link_cnt)
		memcpy(links, k->links, k->link_cnt * sizeof(*links));
	k->links = links;
	first = k->link_cnt;

	for (i = 0; i < obj->prog_cnt; i++) {
		struct bbpf_program *p = &obj->progs[i];
		struct bbpf_link *link;

		if (!wants_link(k, first, p, &why))
			continue;
		err = bbpf_program_attach(p, &link);
		if (err) {
			bbpf_log(bbpf_obj_klog(obj), BBPF_LOG_WARN,
				 "%s: program '%s' (section '%s'): attach failed: %s", obj->name,
				 p->name, p->sec_name, bbpf_err_name(err));
			destroy_from(k, first);
			return err;
		}
		link->held = true;
		links[k->link_cnt++] = link;
	}
	return 0;
}

size_t bbpf_object_link_cnt(const struct bbpf_object *obj)
{
	const struct bbpf_obj_kern *k = obj ? obj->kern : NULL;

	return k ? k->link_cnt : 0;
}

struct bbpf_link *bbpf_object_link(const struct bbpf_object *obj, size_t idx)
{
	const struct bbpf_obj_kern *k = obj ? obj->kern : NULL;

	return k && idx < k->link_cnt ? k->links[idx] : NULL;
}

void bbpf_attach_release(struct bbpf_object *obj)
{
	struct bbpf_obj_kern *k = obj ? obj->kern : NULL;

	if (k)
		destroy_from(k, 0);
}
