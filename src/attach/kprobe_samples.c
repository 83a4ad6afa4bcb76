/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kprobe/ and kretprobe/ sections of samples/bpf-format objects, attached
 * the way samples/bpf's bpf_load.c (load_and_attach) did it:
 *
 *   kprobe/<function>    a tracefs kprobe event on the function (for
 *                        "sys_*" names the architecture's syscall wrapper
 *                        "__x64_sys_*" first, then the plain name), a
 *                        PERF_TYPE_TRACEPOINT event on its id (sample_type
 *                        PERF_SAMPLE_RAW, period 1, wakeup 1, any pid,
 *                        cpu 0), PERF_EVENT_IOC_ENABLE, PERF_EVENT_IOC_SET_BPF;
 *   kretprobe/<function> the same with an "r:" event;
 *   kprobe/<number>      no probe: the program goes into slot <number> of
 *                        the object's first map, the prog array its tail
 *                        calls jump through (populate_prog_array()).
 *
 * Two things are not done as bpf_load.c did them: it emptied
 * kprobe_events of every event on the system before loading, and named
 * each event after its function, so a second loader (or a second probe on
 * one function) clashed; here each event gets a unique name and the link
 * removes only its own event (and slot) again.
 */
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"
#include "../base/fmt.h"

bool bbpf_kprobe_is_samples(const struct bbpf_program *prog)
{
	return (prog->sec_def && (prog->sec_def->flags & BBPF_SEC_LEGACY)) ||
	       prog->obj->legacy_maps_shndx != 0;
}

/* kprobe/<number>: prog array slot <number> of map 0 (bpf_load.c's atoi, digits only). */
static int attach_slot(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       const char *event, struct bbpf_link *link)
{
	const struct bbpf_inst *inst = bbpf_inst_of(prog->obj);
	uint32_t key = 0, i;
	int map_fd, err;

	for (i = 0; event[i] >= '0' && event[i] <= '9'; i++) {
		if (key > (UINT32_MAX - 9) / 10)
			return -ERANGE;
		key = key * 10 + (uint32_t)(event[i] - '0');
	}
	map_fd = prog->obj->map_cnt ? inst->map_fds[0] : -1;
	if (map_fd < 0) {
		bbpf_attach_warn(ctx, prog, 0, "section '%s' names a tail "
			      "call slot, but the object's first map was not created",
			      prog->sec_name);
		return -EINVAL;
	}
	err = bbpf_cmd_map_update(&ctx->sys, map_fd, &key, &prog_fd, BPF_ANY);
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "putting it in slot %u of "
			      "map '%s' failed", key, prog->obj->maps[0].name);
		return err;
	}
	return bbpf_link_undo_add(link, BBPF_UNDO_MAP_DELETE, map_fd, key, 0);
}

/* The event, its removal recorded at once; its id, or a negative errno. */
static int add_event(struct bbpf_ctx *ctx, const struct bbpf_program *prog, bool retprobe,
		     const char *func, bool quiet, struct bbpf_link *link)
{
	return bbpf_kprobe_event_add(ctx, prog, BBPF_KPROBE_EV_SAMPLES |
					  (retprobe ? BBPF_KPROBE_EV_RET : 0) |
					  (quiet ? BBPF_KPROBE_EV_QUIET : 0),
				     func, 0, link);
}

int bbpf_attach_kprobe_samples(struct bbpf_ctx *ctx, const struct bbpf_program *prog,
			       int prog_fd, struct bbpf_link *link)
{
	const struct bbpf_sys *sys = &ctx->sys;
	bool retprobe = !strncmp(prog->sec_name, "kretprobe/", 10);
	const char *event = prog->sec_name + (retprobe ? 10 : 7);
	const char *pfx = bbpf_ksyscall_prefix(ctx);
	struct perf_event_attr attr;
	char wrapped[256];
	long pfd, err;
	int id = -ENOENT;

	if (!event[0]) {
		bbpf_attach_warn(ctx, prog, 0, "event name cannot be empty");
		return -EINVAL;
	}
	if (event[0] >= '0' && event[0] <= '9')
		return attach_slot(ctx, prog, prog_fd, event, link);
	if (!bbpf_kprobe_func_ok(event)) {
		bbpf_attach_warn(ctx, prog, 0, "section '%s' does not name a "
			      "kernel symbol", prog->sec_name);
		return -EINVAL;
	}
	/* bpf_load.c (x86-64): "sys_write" probes "__x64_sys_write" if that exists */
	if (!strncmp(event, "sys_", 4) && pfx[0] &&
	    bbpf_snprintf(wrapped, sizeof(wrapped), "%s%s", pfx, event) < (int)sizeof(wrapped)) {
		id = add_event(ctx, prog, retprobe, wrapped, true, link);
		if (id < 0 && link->undo_cnt)
			return id;	/* the event was made: a later step failed */
	}
	if (id < 0)
		id = add_event(ctx, prog, retprobe, event, false, link);
	if (id < 0)
		return id;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = (uint64_t)id;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	pfd = sys->perf_event_open(sys->ctx, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		bbpf_attach_warn(ctx, prog, (int)pfd, "perf_event_open on "
			      "'%s' failed", event);
		return (int)pfd;
	}
	err = bbpf_link_undo_add(link, BBPF_UNDO_PERF_EVENT, (int)pfd, 0, 0);
	if (!err)
		err = sys->ioctl(sys->ctx, (int)pfd, PERF_EVENT_IOC_ENABLE, 0);
	if (!err)
		err = sys->ioctl(sys->ctx, (int)pfd, PERF_EVENT_IOC_SET_BPF,
				 (unsigned long)prog_fd);
	if (err)
		bbpf_attach_warn(ctx, prog, (int)err, "attaching to '%s' "
			      "failed", event);
	return (int)err;
}
