/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One thin wrapper per bpf(2) command: zero the attr, fill exactly the
 * fields the command reads, call through the table, return its result.
 * The only policy here is PROG_LOAD's EAGAIN retry (see kern.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "kern.h"

/* libbpf's PROG_LOAD_ATTEMPTS: the verifier returns EAGAIN when interrupted. */
#define PROG_LOAD_ATTEMPTS 5

static uint64_t ptr_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

long bbpf_bpf(const struct bbpf_sys *sys, int cmd, union bpf_attr *attr)
{
	return sys->bpf(sys->ctx, cmd, attr, sizeof(*attr));
}

#define U32S BBPF_U32S
#define ATTR_AT(f, off) (offsetof(union bpf_attr, f) == (off))
_Static_assert(ATTR_AT(map_fd, 0) && ATTR_AT(key, 8) && ATTR_AT(value, 16) &&
	       ATTR_AT(next_key, 16) && ATTR_AT(flags, 24) && ATTR_AT(map_fd, 0) &&
	       ATTR_AT(prog_bind_map.prog_fd, 0) && ATTR_AT(prog_bind_map.map_fd, 4) &&
	       ATTR_AT(btf, 0) && ATTR_AT(btf_log_buf, 8) && ATTR_AT(btf_size, 16) &&
	       ATTR_AT(btf_log_size, 20) && ATTR_AT(btf_log_level, 24) &&
	       ATTR_AT(pathname, 0) && ATTR_AT(bpf_fd, 8) && ATTR_AT(file_flags, 12) &&
	       ATTR_AT(raw_tracepoint.name, 0) && ATTR_AT(raw_tracepoint.prog_fd, 8) &&
	       ATTR_AT(prog_id, 0) && ATTR_AT(link_id, 0) && ATTR_AT(link_detach.link_fd, 0) &&
	       ATTR_AT(target_fd, 0) && ATTR_AT(attach_bpf_fd, 4) && ATTR_AT(attach_type, 8) &&
	       ATTR_AT(attach_flags, 12) && ATTR_AT(iter_create.link_fd, 0) &&
	       ATTR_AT(link_update.link_fd, 0) && ATTR_AT(link_update.new_prog_fd, 4),
	       "the attr layouts bbpf_cmd_words() writes");

int bbpf_cmd_words(const struct bbpf_sys *sys, int cmd, uint64_t w0, uint64_t w1, uint64_t w2,
		   uint64_t w3)
{
	const uint64_t w[4] = { w0, w1, w2, w3 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	memcpy(&attr, w, sizeof(w));
	return (int)bbpf_bpf(sys, cmd, &attr);
}

int bbpf_cmd_map_create(const struct bbpf_sys *sys, const union bpf_attr *attr)
{
	union bpf_attr a = *attr;	/* the hook takes a mutable attr */

	return (int)bbpf_bpf(sys, BPF_MAP_CREATE, &a);
}

static int map_elem(const struct bbpf_sys *sys, int cmd, int fd, const void *key,
		    uint64_t value_or_next, uint64_t flags)
{
	/* map_fd, key, value (or next_key), flags */
	return bbpf_cmd_words(sys, cmd, U32S(fd, 0), ptr_u64(key), value_or_next, flags);
}

int bbpf_cmd_map_lookup(const struct bbpf_sys *sys, int fd, const void *key, void *value,
			uint64_t flags)
{
	return map_elem(sys, BPF_MAP_LOOKUP_ELEM, fd, key, ptr_u64(value), flags);
}

int bbpf_cmd_map_update(const struct bbpf_sys *sys, int fd, const void *key, const void *value,
			uint64_t flags)
{
	return map_elem(sys, BPF_MAP_UPDATE_ELEM, fd, key, ptr_u64(value), flags);
}

int bbpf_cmd_map_delete(const struct bbpf_sys *sys, int fd, const void *key, uint64_t flags)
{
	return map_elem(sys, BPF_MAP_DELETE_ELEM, fd, key, 0, flags);
}

int bbpf_cmd_map_next_key(const struct bbpf_sys *sys, int fd, const void *key, void *next)
{
	return map_elem(sys, BPF_MAP_GET_NEXT_KEY, fd, key, ptr_u64(next), 0);
}

int bbpf_cmd_map_batch(const struct bbpf_sys *sys, int cmd, int fd, void *in_batch,
		       void *out_batch, void *keys, void *values, uint32_t *count,
		       uint64_t elem_flags, uint64_t flags)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.batch.in_batch = ptr_u64(in_batch);
	attr.batch.out_batch = ptr_u64(out_batch);
	attr.batch.keys = ptr_u64(keys);
	attr.batch.values = ptr_u64(values);
	attr.batch.count = *count;
	attr.batch.map_fd = (uint32_t)fd;
	attr.batch.elem_flags = elem_flags;
	attr.batch.flags = flags;
	ret = (int)bbpf_bpf(sys, cmd, &attr);
	/* The kernel reports progress even on failure (-ENOENT at the end). */
	*count = attr.batch.count;
	return ret;
}

int bbpf_cmd_map_freeze(const struct bbpf_sys *sys, int fd)
{
	return bbpf_cmd_words(sys, BPF_MAP_FREEZE, U32S(fd, 0), 0, 0, 0);
}

int bbpf_cmd_prog_bind_map(const struct bbpf_sys *sys, int prog_fd, int map_fd)
{
	return bbpf_cmd_words(sys, BPF_PROG_BIND_MAP, U32S(prog_fd, map_fd), 0, 0, 0);
}

int bbpf_cmd_map_lookup_and_delete(const struct bbpf_sys *sys, int fd, const void *key, void *value,
				   uint64_t flags)
{
	return map_elem(sys, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, ptr_u64(value), flags);
}

int bbpf_cmd_prog_load(const struct bbpf_sys *sys, union bpf_attr *attr)
{
	int attempts = PROG_LOAD_ATTEMPTS;
	int ret;

	do {
		ret = (int)bbpf_bpf(sys, BPF_PROG_LOAD, attr);
	} while (ret == -EAGAIN && --attempts > 0);
	return ret;
}

int bbpf_cmd_btf_load(const struct bbpf_sys *sys, const void *btf, uint32_t len, char *log,
		      uint32_t log_size, uint32_t log_level)
{
	return bbpf_cmd_words(sys, BPF_BTF_LOAD, ptr_u64(btf), ptr_u64(log), U32S(len, log_size),
			 U32S(log_level, 0));
}

int bbpf_cmd_obj_pin(const struct bbpf_sys *sys, int fd, const char *path)
{
	return bbpf_cmd_words(sys, BPF_OBJ_PIN, ptr_u64(path), U32S(fd, 0), 0, 0);
}

int bbpf_cmd_obj_get(const struct bbpf_sys *sys, const char *path, uint32_t flags)
{
	return bbpf_cmd_words(sys, BPF_OBJ_GET, ptr_u64(path), U32S(0, flags), 0, 0);
}

int bbpf_cmd_link_create(const struct bbpf_sys *sys, int prog_fd, int target_fd,
			 enum bpf_attach_type type, const union bpf_attr *extra)
{
	union bpf_attr attr;

	/* extra carries the kind-specific link_create fields (cookie, flags, ...). */
	if (extra)
		attr = *extra;
	else
		memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.target_fd = (uint32_t)target_fd;
	attr.link_create.attach_type = type;
	return (int)bbpf_bpf(sys, BPF_LINK_CREATE, &attr);
}

int bbpf_cmd_raw_tp_open(const struct bbpf_sys *sys, const char *name, int prog_fd)
{
	return bbpf_cmd_words(sys, BPF_RAW_TRACEPOINT_OPEN, ptr_u64(name), U32S(prog_fd, 0), 0, 0);
}

int bbpf_cmd_obj_info(const struct bbpf_sys *sys, int fd, void *info, uint32_t *info_len)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = *info_len;
	attr.info.info = ptr_u64(info);
	ret = (int)bbpf_bpf(sys, BPF_OBJ_GET_INFO_BY_FD, &attr);
	if (ret == 0)
		*info_len = attr.info.info_len;
	return ret;
}

int bbpf_cmd_obj_info_zero(const struct bbpf_sys *sys, int fd, void *info, uint32_t size)
{
	memset(info, 0, size);
	return bbpf_cmd_obj_info(sys, fd, info, &size);
}

static int get_next_id(const struct bbpf_sys *sys, int cmd, uint32_t id, uint32_t *next)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = id;
	ret = (int)bbpf_bpf(sys, cmd, &attr);
	if (ret == 0)
		*next = attr.next_id;
	return ret;
}

int bbpf_cmd_prog_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next)
{
	return get_next_id(sys, BPF_PROG_GET_NEXT_ID, id, next);
}

int bbpf_cmd_map_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next)
{
	return get_next_id(sys, BPF_MAP_GET_NEXT_ID, id, next);
}

int bbpf_cmd_link_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next)
{
	return get_next_id(sys, BPF_LINK_GET_NEXT_ID, id, next);
}

int bbpf_cmd_btf_get_next_id(const struct bbpf_sys *sys, uint32_t id, uint32_t *next)
{
	return get_next_id(sys, BPF_BTF_GET_NEXT_ID, id, next);
}

/* prog_id, map_id, btf_id and link_id share one slot of the attr. */
static int get_fd_by_id(const struct bbpf_sys *sys, int cmd, uint32_t id)
{
	return bbpf_cmd_words(sys, cmd, U32S(id, 0), 0, 0, 0);
}

int bbpf_cmd_prog_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id)
{
	return get_fd_by_id(sys, BPF_PROG_GET_FD_BY_ID, id);
}

int bbpf_cmd_map_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id)
{
	return get_fd_by_id(sys, BPF_MAP_GET_FD_BY_ID, id);
}

int bbpf_cmd_btf_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id)
{
	return get_fd_by_id(sys, BPF_BTF_GET_FD_BY_ID, id);
}

int bbpf_cmd_link_get_fd_by_id(const struct bbpf_sys *sys, uint32_t id)
{
	return get_fd_by_id(sys, BPF_LINK_GET_FD_BY_ID, id);
}

int bbpf_cmd_link_detach(const struct bbpf_sys *sys, int link_fd)
{
	return bbpf_cmd_words(sys, BPF_LINK_DETACH, U32S(link_fd, 0), 0, 0, 0);
}

int bbpf_cmd_prog_test_run(const struct bbpf_sys *sys, int prog_fd, struct bbpf_cmd_test_run *r)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = ptr_u64(r->data_in);
	attr.test.data_out = ptr_u64(r->data_out);
	attr.test.data_size_in = r->data_size_in;
	attr.test.data_size_out = r->data_size_out;
	attr.test.ctx_in = ptr_u64(r->ctx_in);
	attr.test.ctx_out = ptr_u64(r->ctx_out);
	attr.test.ctx_size_in = r->ctx_size_in;
	attr.test.ctx_size_out = r->ctx_size_out;
	attr.test.repeat = r->repeat;
	attr.test.flags = r->flags;
	attr.test.cpu = r->cpu;
	ret = (int)bbpf_bpf(sys, BPF_PROG_TEST_RUN, &attr);
	/* The kernel reports the sizes also when the output did not fit (-ENOSPC). */
	r->data_size_out = attr.test.data_size_out;
	r->ctx_size_out = attr.test.ctx_size_out;
	r->retval = attr.test.retval;
	r->duration = attr.test.duration;
	return ret;
}

int bbpf_cmd_task_fd_query(const struct bbpf_sys *sys, uint32_t pid, uint32_t fd, char *buf,
			   uint32_t *buf_len, uint32_t *prog_id, uint32_t *fd_type,
			   uint64_t *probe_offset, uint64_t *probe_addr)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.task_fd_query.pid = pid;
	attr.task_fd_query.fd = fd;
	attr.task_fd_query.buf = ptr_u64(buf);
	attr.task_fd_query.buf_len = *buf_len;
	ret = (int)bbpf_bpf(sys, BPF_TASK_FD_QUERY, &attr);
	*buf_len = attr.task_fd_query.buf_len;
	*prog_id = attr.task_fd_query.prog_id;
	*fd_type = attr.task_fd_query.fd_type;
	*probe_offset = attr.task_fd_query.probe_offset;
	*probe_addr = attr.task_fd_query.probe_addr;
	return ret;
}

int bbpf_cmd_prog_query(const struct bbpf_sys *sys, int target_fd, enum bpf_attach_type type,
			uint32_t query_flags, uint32_t *attach_flags, uint32_t *ids,
			uint32_t *prog_flags, uint32_t *cnt)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)target_fd;
	attr.query.attach_type = type;
	attr.query.query_flags = query_flags;
	attr.query.prog_ids = ptr_u64(ids);
	attr.query.prog_attach_flags = ptr_u64(prog_flags);
	attr.query.prog_cnt = *cnt;
	ret = (int)bbpf_bpf(sys, BPF_PROG_QUERY, &attr);
	if (attach_flags)
		*attach_flags = attr.query.attach_flags;
	*cnt = attr.query.prog_cnt;
	return ret;
}

int bbpf_cmd_prog_query_mprog(const struct bbpf_sys *sys, int ifindex, enum bpf_attach_type type,
			      uint32_t *ids, uint32_t *prog_flags, uint32_t *link_ids,
			      uint32_t *link_flags, uint32_t *cnt)
{
	uint64_t links[2] = { ptr_u64(link_ids), ptr_u64(link_flags) };
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)ifindex;	/* target_ifindex */
	attr.query.attach_type = type;
	attr.query.prog_ids = ptr_u64(ids);
	attr.query.prog_attach_flags = ptr_u64(prog_flags);
	attr.query.prog_cnt = *cnt;	/* count */
	/* link_ids, link_attach_flags (6.6): after prog_attach_flags, not in 6.1's header */
	memcpy((char *)&attr.query.prog_attach_flags + 8, links, sizeof(links));
	ret = (int)bbpf_bpf(sys, BPF_PROG_QUERY, &attr);
	*cnt = attr.query.prog_cnt;
	return ret;
}
