// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf.h, first half: map, program and BTF creation, element operations,
 * pinning, ids and object info. Each function zeroes an attr, fills the
 * fields its command reads, calls through bbpf_compat_sys() and returns
 * libbpf-style. New fds below 3 are moved up (libbpf does the same, so that
 * a program that closed stdin does not get a BPF object as fd 0).
 */
#include "compat.h"

static __u64 ptr_u64(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static long call(int cmd, union bpf_attr *attr)
{
	const struct bbpf_sys *sys = bbpf_compat_sys();

	return bbpf_bpf(sys, cmd, attr);
}


static int int_result(long ret)
{
	return bbpf_compat_err((int)ret);
}

/* ---- maps ---- */

int bpf_map_create(enum bpf_map_type map_type, const char *map_name, __u32 key_size,
		   __u32 value_size, __u32 max_entries, const struct bpf_map_create_opts *opts)
{
	union bpf_attr attr;

	if (!BBPF_OPTS_VALID(opts, bpf_map_create_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	if (map_name)
		strncpy(attr.map_name, map_name, sizeof(attr.map_name) - 1);
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.btf_fd = BBPF_OPTS_GET(opts, btf_fd, 0);
	attr.btf_key_type_id = BBPF_OPTS_GET(opts, btf_key_type_id, 0);
	attr.btf_value_type_id = BBPF_OPTS_GET(opts, btf_value_type_id, 0);
	attr.btf_vmlinux_value_type_id = BBPF_OPTS_GET(opts, btf_vmlinux_value_type_id, 0);
	attr.inner_map_fd = BBPF_OPTS_GET(opts, inner_map_fd, 0);
	attr.map_flags = BBPF_OPTS_GET(opts, map_flags, 0);
	attr.map_extra = BBPF_OPTS_GET(opts, map_extra, 0);
	attr.numa_node = BBPF_OPTS_GET(opts, numa_node, 0);
	attr.map_ifindex = BBPF_OPTS_GET(opts, map_ifindex, 0);
	return bbpf_compat_sys_fd(call(BPF_MAP_CREATE, &attr));
}

static int elem(int cmd, int fd, const void *key, const void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	attr.key = ptr_u64(key);
	attr.value = ptr_u64(value);
	attr.flags = flags;
	return int_result(call(cmd, &attr));
}

int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)
{
	return elem(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpf_map_lookup_elem_flags(int fd, const void *key, void *value, __u64 flags)
{
	return elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key, void *value, __u64 flags)
{
	return elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
}

int bpf_map_delete_elem(int fd, const void *key)
{
	return elem(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags)
{
	return elem(BPF_MAP_DELETE_ELEM, fd, key, NULL, flags);
}

int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	attr.key = ptr_u64(key);
	attr.next_key = ptr_u64(next_key);
	return int_result(call(BPF_MAP_GET_NEXT_KEY, &attr));
}

int bpf_map_freeze(int fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (__u32)fd;
	return int_result(call(BPF_MAP_FREEZE, &attr));
}

/* *count is written back whether the command succeeds or not (-ENOENT at the end). */
static int batch(int cmd, int fd, void *in_batch, void *out_batch, const void *keys,
		 const void *values, __u32 *count, const struct bpf_map_batch_opts *opts)
{
	union bpf_attr attr;
	long ret;

	if (!BBPF_OPTS_VALID(opts, bpf_map_batch_opts) || !count)
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = (__u32)fd;
	attr.batch.in_batch = ptr_u64(in_batch);
	attr.batch.out_batch = ptr_u64(out_batch);
	attr.batch.keys = ptr_u64(keys);
	attr.batch.values = ptr_u64(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = BBPF_OPTS_GET(opts, elem_flags, 0);
	attr.batch.flags = BBPF_OPTS_GET(opts, flags, 0);
	ret = call(cmd, &attr);
	*count = attr.batch.count;
	return int_result(ret);
}

int bpf_map_delete_batch(int fd, const void *keys, __u32 *count,
			 const struct bpf_map_batch_opts *opts)
{
	return batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, count, opts);
}

int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys, void *values,
			 __u32 *count, const struct bpf_map_batch_opts *opts)
{
	return batch(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys, values, count, opts);
}

int bpf_map_lookup_and_delete_batch(int fd, void *in_batch, void *out_batch, void *keys,
				    void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts)
{
	return batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch, out_batch, keys, values,
		     count, opts);
}

int bpf_map_update_batch(int fd, const void *keys, const void *values, __u32 *count,
			 const struct bpf_map_batch_opts *opts)
{
	return batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values, count, opts);
}

/* ---- programs and BTF ---- */

#define PROG_LOAD_ATTEMPTS 5

static long prog_load_try(union bpf_attr *attr, int attempts)
{
	long fd;

	do {
		fd = call(BPF_PROG_LOAD, attr);
	} while (fd == -EAGAIN && --attempts > 0);
	return fd;
}

int bpf_prog_load(enum bpf_prog_type prog_type, const char *prog_name, const char *license,
		  const struct bpf_insn *insns, size_t insn_cnt,
		  const struct bpf_prog_load_opts *opts)
{
	char *log_buf = BBPF_OPTS_GET(opts, log_buf, NULL);
	__u32 log_size = BBPF_OPTS_GET(opts, log_size, 0);
	__u32 log_level = BBPF_OPTS_GET(opts, log_level, 0);
	int attempts = BBPF_OPTS_GET(opts, attempts, 0);
	union bpf_attr attr;
	long fd;

	if (!BBPF_OPTS_VALID(opts, bpf_prog_load_opts))
		return bbpf_compat_err(-EINVAL);
	if (attempts < 0 || !insns || !insn_cnt || insn_cnt > UINT32_MAX)
		return bbpf_compat_err(-EINVAL);
	/* A log needs both a buffer and its size; a level needs a buffer. */
	if (!!log_buf != !!log_size || (log_level && !log_buf))
		return bbpf_compat_err(-EINVAL);
	if (!attempts)
		attempts = PROG_LOAD_ATTEMPTS;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = prog_type;
	attr.expected_attach_type = BBPF_OPTS_GET(opts, expected_attach_type, 0);
	attr.prog_btf_fd = BBPF_OPTS_GET(opts, prog_btf_fd, 0);
	attr.prog_flags = BBPF_OPTS_GET(opts, prog_flags, 0);
	attr.prog_ifindex = BBPF_OPTS_GET(opts, prog_ifindex, 0);
	attr.kern_version = BBPF_OPTS_GET(opts, kern_version, 0);
	if (prog_name)
		strncpy(attr.prog_name, prog_name, sizeof(attr.prog_name) - 1);
	attr.license = ptr_u64(license);
	attr.insns = ptr_u64(insns);
	attr.insn_cnt = (__u32)insn_cnt;
	attr.attach_btf_id = BBPF_OPTS_GET(opts, attach_btf_id, 0);
	/* attach_prog_fd and attach_btf_obj_fd share one slot */
	if (BBPF_OPTS_GET(opts, attach_prog_fd, 0))
		attr.attach_prog_fd = BBPF_OPTS_GET(opts, attach_prog_fd, 0);
	else
		attr.attach_btf_obj_fd = BBPF_OPTS_GET(opts, attach_btf_obj_fd, 0);
	attr.fd_array = ptr_u64(BBPF_OPTS_GET(opts, fd_array, NULL));
	attr.func_info = ptr_u64(BBPF_OPTS_GET(opts, func_info, NULL));
	attr.func_info_cnt = BBPF_OPTS_GET(opts, func_info_cnt, 0);
	attr.func_info_rec_size = BBPF_OPTS_GET(opts, func_info_rec_size, 0);
	attr.line_info = ptr_u64(BBPF_OPTS_GET(opts, line_info, NULL));
	attr.line_info_cnt = BBPF_OPTS_GET(opts, line_info_cnt, 0);
	attr.line_info_rec_size = BBPF_OPTS_GET(opts, line_info_rec_size, 0);
	if (log_level) {
		attr.log_buf = ptr_u64(log_buf);
		attr.log_size = log_size;
		attr.log_level = log_level;
	}
	fd = prog_load_try(&attr, attempts);
	if (fd < 0 && log_buf && !log_level) {
		/* the caller wants the log of a failure: load again at level 1 */
		attr.log_buf = ptr_u64(log_buf);
		attr.log_size = log_size;
		attr.log_level = 1;
		log_buf[0] = '\0';
		fd = prog_load_try(&attr, attempts);
	}
	return bbpf_compat_sys_fd(fd);
}

int bpf_btf_load(const void *btf_data, size_t btf_size, const struct bpf_btf_load_opts *opts)
{
	char *log_buf = BBPF_OPTS_GET(opts, log_buf, NULL);
	__u32 log_size = BBPF_OPTS_GET(opts, log_size, 0);
	__u32 log_level = BBPF_OPTS_GET(opts, log_level, 0);
	const struct bbpf_sys *sys = bbpf_compat_sys();
	long fd;

	if (!BBPF_OPTS_VALID(opts, bpf_btf_load_opts))
		return bbpf_compat_err(-EINVAL);
	if (!btf_data || !btf_size || btf_size > UINT32_MAX)
		return bbpf_compat_err(-EINVAL);
	if (!!log_buf != !!log_size || (log_level && !log_buf))
		return bbpf_compat_err(-EINVAL);
	fd = bbpf_cmd_btf_load(sys, btf_data, (__u32)btf_size, log_level ? log_buf : NULL,
			       log_level ? log_size : 0, log_level);
	if (fd < 0 && log_buf && !log_level) {
		log_buf[0] = '\0';
		fd = bbpf_cmd_btf_load(sys, btf_data, (__u32)btf_size, log_buf, log_size, 1);
	}
	return bbpf_compat_sys_fd(fd);
}

/* ---- pinning ---- */

int bpf_obj_pin(int fd, const char *pathname)
{
	if (!pathname)
		return bbpf_compat_err(-EINVAL);
	return int_result(bbpf_cmd_obj_pin(bbpf_compat_sys(), fd, pathname));
}

int bpf_obj_get_opts(const char *pathname, const struct bpf_obj_get_opts *opts)
{
	if (!BBPF_OPTS_VALID(opts, bpf_obj_get_opts) || !pathname)
		return bbpf_compat_err(-EINVAL);
	return bbpf_compat_sys_fd(bbpf_cmd_obj_get(bbpf_compat_sys(), pathname,
					  BBPF_OPTS_GET(opts, file_flags, 0)));
}

int bpf_obj_get(const char *pathname)
{
	return bpf_obj_get_opts(pathname, NULL);
}

/* ---- ids ---- */

static int id_next(int cmd, __u32 start_id, __u32 *next_id)
{
	union bpf_attr attr;
	long ret;

	if (!next_id)
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = call(cmd, &attr);
	if (ret == 0)
		*next_id = attr.next_id;
	return int_result(ret);
}

int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id)
{
	return id_next(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int bpf_map_get_next_id(__u32 start_id, __u32 *next_id)
{
	return id_next(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

int bpf_btf_get_next_id(__u32 start_id, __u32 *next_id)
{
	return id_next(BPF_BTF_GET_NEXT_ID, start_id, next_id);
}

int bpf_link_get_next_id(__u32 start_id, __u32 *next_id)
{
	return id_next(BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

/* prog_id, map_id, btf_id and link_id share one slot of the attr. */
static int fd_by_id(int cmd, __u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	union bpf_attr attr;

	if (!BBPF_OPTS_VALID(opts, bpf_get_fd_by_id_opts))
		return bbpf_compat_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	attr.open_flags = BBPF_OPTS_GET(opts, open_flags, 0);
	return bbpf_compat_sys_fd(call(cmd, &attr));
}

int bpf_prog_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	return fd_by_id(BPF_PROG_GET_FD_BY_ID, id, opts);
}

int bpf_prog_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_PROG_GET_FD_BY_ID, id, NULL);
}

int bpf_map_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	return fd_by_id(BPF_MAP_GET_FD_BY_ID, id, opts);
}

int bpf_map_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_MAP_GET_FD_BY_ID, id, NULL);
}

int bpf_btf_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	return fd_by_id(BPF_BTF_GET_FD_BY_ID, id, opts);
}

int bpf_btf_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_BTF_GET_FD_BY_ID, id, NULL);
}

int bpf_link_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts *opts)
{
	return fd_by_id(BPF_LINK_GET_FD_BY_ID, id, opts);
}

int bpf_link_get_fd_by_id(__u32 id)
{
	return fd_by_id(BPF_LINK_GET_FD_BY_ID, id, NULL);
}

/* ---- object info ---- */

int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len)
{
	if (!info || !info_len)
		return bbpf_compat_err(-EINVAL);
	return int_result(bbpf_cmd_obj_info(bbpf_compat_sys(), bpf_fd, info, info_len));
}

int bpf_prog_get_info_by_fd(int prog_fd, struct bpf_prog_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(prog_fd, info, info_len);
}

int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(map_fd, info, info_len);
}

int bpf_btf_get_info_by_fd(int btf_fd, struct bpf_btf_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(btf_fd, info, info_len);
}

int bpf_link_get_info_by_fd(int link_fd, struct bpf_link_info *info, __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(link_fd, info, info_len);
}
