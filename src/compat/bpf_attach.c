// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf.h, second half: attaching (BPF_PROG_ATTACH/DETACH, links, raw
 * tracepoints, iterators), queries, test runs and the smaller commands.
 */
#include "compat.h"

static __u64 ptr_u64(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static long call(int cmd, union bpf_attr *attr)
{
	return bbpf_bpf(bbpf_compat_sys(), cmd, attr);
}


/* ---- BPF_PROG_ATTACH / DETACH / QUERY ---- */

int bpf_prog_attach_opts(int prog_fd, int attachable_fd, enum bpf_attach_type type,
			 const struct bpf_prog_attach_opts *opts)
{
	union bpf_attr attr;

	if (!BBPF_OPTS_VALID(opts, bpf_prog_attach_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (__u32)attachable_fd;
	attr.attach_bpf_fd = (__u32)prog_fd;
	attr.attach_type = type;
	attr.attach_flags = BBPF_OPTS_GET(opts, flags, 0);
	attr.replace_bpf_fd = (__u32)BBPF_OPTS_GET(opts, replace_prog_fd, 0);
	return bbpf_compat_err((int)call(BPF_PROG_ATTACH, &attr));
}

int bpf_prog_attach(int prog_fd, int attachable_fd, enum bpf_attach_type type,
		    unsigned int flags)
{
	struct bpf_prog_attach_opts opts = { .sz = sizeof(opts), .flags = flags };

	return bpf_prog_attach_opts(prog_fd, attachable_fd, type, &opts);
}

int bpf_prog_detach2(int prog_fd, int attachable_fd, enum bpf_attach_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (__u32)attachable_fd;
	attr.attach_bpf_fd = (__u32)prog_fd;
	attr.attach_type = type;
	return bbpf_compat_err((int)call(BPF_PROG_DETACH, &attr));
}

int bpf_prog_detach(int attachable_fd, enum bpf_attach_type type)
{
	return bpf_prog_detach2(0, attachable_fd, type);
}

int bpf_prog_query_opts(int target_fd, enum bpf_attach_type type,
			struct bpf_prog_query_opts *opts)
{
	union bpf_attr attr;
	long ret;

	if (!opts || !BBPF_OPTS_VALID(opts, bpf_prog_query_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (__u32)target_fd;
	attr.query.attach_type = type;
	attr.query.query_flags = BBPF_OPTS_GET(opts, query_flags, 0);
	attr.query.prog_ids = ptr_u64(BBPF_OPTS_GET(opts, prog_ids, NULL));
	attr.query.prog_cnt = BBPF_OPTS_GET(opts, prog_cnt, 0);
	attr.query.prog_attach_flags = ptr_u64(BBPF_OPTS_GET(opts, prog_attach_flags, NULL));
	ret = call(BPF_PROG_QUERY, &attr);
	/* the kernel reports the count (and flags) also when the array was too small */
	if (opts->sz >= bbpf_offsetofend(struct bpf_prog_query_opts, attach_flags))
		opts->attach_flags = attr.query.attach_flags;
	if (opts->sz >= bbpf_offsetofend(struct bpf_prog_query_opts, prog_cnt))
		opts->prog_cnt = attr.query.prog_cnt;
	return bbpf_compat_err((int)ret);
}

int bpf_prog_query(int target_fd, enum bpf_attach_type type, __u32 query_flags,
		   __u32 *attach_flags, __u32 *prog_ids, __u32 *prog_cnt)
{
	struct bpf_prog_query_opts opts = {
		.sz = sizeof(opts), .query_flags = query_flags, .prog_ids = prog_ids,
		.prog_cnt = prog_cnt ? *prog_cnt : 0,
	};
	int ret;

	ret = bpf_prog_query_opts(target_fd, type, &opts);
	if (attach_flags)
		*attach_flags = opts.attach_flags;
	if (prog_cnt)
		*prog_cnt = opts.prog_cnt;
	return ret;
}

/* ---- links ---- */

static bool is_tracing_type(enum bpf_attach_type t)
{
	return t == BPF_TRACE_FENTRY || t == BPF_TRACE_FEXIT || t == BPF_MODIFY_RETURN ||
	       t == BPF_LSM_MAC || t == BPF_TRACE_RAW_TP;
}

int bpf_link_create(int prog_fd, int target_fd, enum bpf_attach_type attach_type,
		    const struct bpf_link_create_opts *opts)
{
	__u32 target_btf_id = BBPF_OPTS_GET(opts, target_btf_id, 0);
	__u32 iter_info_len = BBPF_OPTS_GET(opts, iter_info_len, 0);
	union bpf_attr attr;
	long fd;

	if (!BBPF_OPTS_VALID(opts, bpf_link_create_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (__u32)prog_fd;
	attr.link_create.target_fd = (__u32)target_fd;
	attr.link_create.attach_type = attach_type;
	attr.link_create.flags = BBPF_OPTS_GET(opts, flags, 0);
	if (iter_info_len && target_btf_id)
		return bbpf_compat_err(-EINVAL);	/* they share a slot */
	if (iter_info_len) {
		attr.link_create.iter_info = ptr_u64(BBPF_OPTS_GET(opts, iter_info, NULL));
		attr.link_create.iter_info_len = iter_info_len;
	} else {
		attr.link_create.target_btf_id = target_btf_id;
	}
	switch ((int)attach_type) {
	case BPF_PERF_EVENT:
		attr.link_create.perf_event.bpf_cookie = BBPF_OPTS_GET(opts, perf_event.bpf_cookie, 0);
		break;
	case BPF_TRACE_KPROBE_MULTI:
		attr.link_create.kprobe_multi.flags = BBPF_OPTS_GET(opts, kprobe_multi.flags, 0);
		attr.link_create.kprobe_multi.cnt = BBPF_OPTS_GET(opts, kprobe_multi.cnt, 0);
		attr.link_create.kprobe_multi.syms =
			ptr_u64(BBPF_OPTS_GET(opts, kprobe_multi.syms, NULL));
		attr.link_create.kprobe_multi.addrs =
			ptr_u64(BBPF_OPTS_GET(opts, kprobe_multi.addrs, NULL));
		attr.link_create.kprobe_multi.cookies =
			ptr_u64(BBPF_OPTS_GET(opts, kprobe_multi.cookies, NULL));
		break;
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
	case BPF_LSM_MAC:
		attr.link_create.tracing.cookie = BBPF_OPTS_GET(opts, tracing.cookie, 0);
		break;
	default:
		break;
	}
	fd = call(BPF_LINK_CREATE, &attr);
	if (fd != -EINVAL)
		return bbpf_compat_sys_fd(fd);
	/*
	 * Kernels before 5.x refuse LINK_CREATE for tracing programs: as
	 * libbpf, fall back to RAW_TRACEPOINT_OPEN when nothing that command
	 * cannot express was asked for.
	 */
	if (target_fd || target_btf_id || attr.link_create.flags || !is_tracing_type(attach_type) ||
	    attr.link_create.tracing.cookie)
		return bbpf_compat_err(-EINVAL);
	return bpf_raw_tracepoint_open(NULL, prog_fd);
}

int bpf_link_detach(int link_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_detach.link_fd = (__u32)link_fd;
	return bbpf_compat_err((int)call(BPF_LINK_DETACH, &attr));
}

int bpf_link_update(int link_fd, int new_prog_fd, const struct bpf_link_update_opts *opts)
{
	union bpf_attr attr;

	if (!BBPF_OPTS_VALID(opts, bpf_link_update_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.link_update.link_fd = (__u32)link_fd;
	attr.link_update.new_prog_fd = (__u32)new_prog_fd;
	attr.link_update.flags = BBPF_OPTS_GET(opts, flags, 0);
	attr.link_update.old_prog_fd = BBPF_OPTS_GET(opts, old_prog_fd, 0);
	return bbpf_compat_err((int)call(BPF_LINK_UPDATE, &attr));
}

int bpf_iter_create(int link_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = (__u32)link_fd;
	return bbpf_compat_sys_fd(call(BPF_ITER_CREATE, &attr));
}

/*
 * raw_tracepoint.cookie (Linux 6.10) follows prog_fd at byte 16 of the
 * attr; the UAPI headers barebpf builds with predate it.
 */
#define RAW_TP_COOKIE_OFF 16

int bpf_raw_tracepoint_open_opts(int prog_fd, struct bpf_raw_tp_opts *opts)
{
	union bpf_attr attr;
	__u64 cookie;

	if (!BBPF_OPTS_VALID(opts, bpf_raw_tp_opts))
		return bbpf_compat_err(-EINVAL);
	cookie = BBPF_OPTS_GET(opts, cookie, 0);
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = ptr_u64(BBPF_OPTS_GET(opts, tp_name, NULL));
	attr.raw_tracepoint.prog_fd = (__u32)prog_fd;
	memcpy((char *)&attr + RAW_TP_COOKIE_OFF, &cookie, sizeof(cookie));
	return bbpf_compat_sys_fd(call(BPF_RAW_TRACEPOINT_OPEN, &attr));
}

int bpf_raw_tracepoint_open(const char *name, int prog_fd)
{
	struct bpf_raw_tp_opts opts = { .sz = sizeof(opts), .tp_name = name };

	return bpf_raw_tracepoint_open_opts(prog_fd, &opts);
}

/* ---- test runs, queries, statistics ---- */

int bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts *opts)
{
	union bpf_attr attr;
	long ret;

	if (!opts || !BBPF_OPTS_VALID(opts, bpf_test_run_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (__u32)prog_fd;
	attr.test.batch_size = BBPF_OPTS_GET(opts, batch_size, 0);
	attr.test.cpu = BBPF_OPTS_GET(opts, cpu, 0);
	attr.test.flags = BBPF_OPTS_GET(opts, flags, 0);
	attr.test.repeat = (__u32)BBPF_OPTS_GET(opts, repeat, 0);
	attr.test.duration = BBPF_OPTS_GET(opts, duration, 0);
	attr.test.ctx_size_in = BBPF_OPTS_GET(opts, ctx_size_in, 0);
	attr.test.ctx_size_out = BBPF_OPTS_GET(opts, ctx_size_out, 0);
	attr.test.ctx_in = ptr_u64(BBPF_OPTS_GET(opts, ctx_in, NULL));
	attr.test.ctx_out = ptr_u64(BBPF_OPTS_GET(opts, ctx_out, NULL));
	attr.test.data_size_in = BBPF_OPTS_GET(opts, data_size_in, 0);
	attr.test.data_size_out = BBPF_OPTS_GET(opts, data_size_out, 0);
	attr.test.data_in = ptr_u64(BBPF_OPTS_GET(opts, data_in, NULL));
	attr.test.data_out = ptr_u64(BBPF_OPTS_GET(opts, data_out, NULL));
	ret = call(BPF_PROG_TEST_RUN, &attr);
	/* outputs, as far as the caller's struct reaches */
#define OUT(f, v) do {									\
		if (opts->sz >= bbpf_offsetofend(struct bpf_test_run_opts, f))		\
			opts->f = (v);							\
	} while (0)
	OUT(data_size_out, attr.test.data_size_out);
	OUT(ctx_size_out, attr.test.ctx_size_out);
	OUT(retval, attr.test.retval);
	OUT(duration, attr.test.duration);
#undef OUT
	return bbpf_compat_err((int)ret);
}

int bpf_task_fd_query(int pid, int fd, __u32 flags, char *buf, __u32 *buf_len, __u32 *prog_id,
		      __u32 *fd_type, __u64 *probe_offset, __u64 *probe_addr)
{
	union bpf_attr attr;
	long ret;

	if (!buf_len || !prog_id || !fd_type || !probe_offset || !probe_addr)
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.task_fd_query.pid = (__u32)pid;
	attr.task_fd_query.fd = (__u32)fd;
	attr.task_fd_query.flags = flags;
	attr.task_fd_query.buf = ptr_u64(buf);
	attr.task_fd_query.buf_len = *buf_len;
	ret = call(BPF_TASK_FD_QUERY, &attr);
	*buf_len = attr.task_fd_query.buf_len;
	*prog_id = attr.task_fd_query.prog_id;
	*fd_type = attr.task_fd_query.fd_type;
	*probe_offset = attr.task_fd_query.probe_offset;
	*probe_addr = attr.task_fd_query.probe_addr;
	return bbpf_compat_err((int)ret);
}

int bpf_enable_stats(enum bpf_stats_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = type;
	return bbpf_compat_sys_fd(call(BPF_ENABLE_STATS, &attr));
}

int bpf_prog_bind_map(int prog_fd, int map_fd, const struct bpf_prog_bind_opts *opts)
{
	union bpf_attr attr;

	if (!BBPF_OPTS_VALID(opts, bpf_prog_bind_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.prog_bind_map.prog_fd = (__u32)prog_fd;
	attr.prog_bind_map.map_fd = (__u32)map_fd;
	attr.prog_bind_map.flags = BBPF_OPTS_GET(opts, flags, 0);
	return bbpf_compat_err((int)call(BPF_PROG_BIND_MAP, &attr));
}
