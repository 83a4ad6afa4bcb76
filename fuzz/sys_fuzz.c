/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzz-driven fake kernel: see sys_fuzz.h. Also the fuzz binaries'
 * bbpf_sys_linux: sys_linux.c is not linked into them, and this table
 * aborts on any call, so a path that would reach the real kernel (a
 * context made without the fake table) is a finding, not a syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <linux/magic.h>
#include <linux/stat.h>
#include "sys_fuzz.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

const int fz_errnos[] = {
	EPERM, EINVAL, ENOENT, ENOSPC, E2BIG, EACCES, ENOMEM, EINTR, EAGAIN, EBADF, EFAULT,
	EEXIST, EBUSY, EMFILE, EIO, ESRCH, EOPNOTSUPP, 524 /* ENOTSUPP */, ENODEV, ENOSYS,
	ENAMETOOLONG, EFBIG, ERANGE, ENXIO,
};
const size_t fz_errno_cnt = sizeof(fz_errnos) / sizeof(fz_errnos[0]);

void fz_die(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz finding: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- the script ---- */

uint8_t fz_byte(struct fz_kernel *k)
{
	return k->script_off < k->script_len ? k->script[k->script_off++] : 0;
}

/* One decision: 0 for success (b, when asked, is the byte), or a negative errno. */
static long verdict(struct fz_kernel *k, uint8_t *b)
{
	uint8_t v = fz_byte(k);

	k->calls++;
	if (b)
		*b = v;
	if (v < FZ_FAIL_MIN)
		return 0;
	return -fz_errnos[(v - FZ_FAIL_MIN) % fz_errno_cnt];
}

/* Up to n bytes of the script into dst, zeros after its end. */
static void script_bytes(struct fz_kernel *k, void *dst, size_t n)
{
	size_t have = k->script_len - k->script_off;

	if (have > n)
		have = n;
	memcpy(dst, k->script + k->script_off, have);
	memset((uint8_t *)dst + have, 0, n - have);
	k->script_off += have;
}

/* ---- touching the library's buffers: ASan says if one is shorter than claimed ---- */

static void touch_read(const void *p, size_t n)
{
	const volatile uint8_t *b = p;
	uint8_t x = 0;
	size_t i;

	if (!n)
		return;
	if (!p)
		fz_die("NULL buffer of %zu bytes passed to the kernel", n);
	for (i = 0; i < n; i += 64)
		x ^= b[i];
	x ^= b[n - 1];
	(void)x;
}

static size_t touch_str(const char *s, size_t max, const char *what)
{
	size_t n;

	if (!s)
		fz_die("%s: NULL string", what);
	n = strnlen(s, max);
	if (n == max)
		fz_die("%s: string not terminated within %zu bytes", what, max);
	return n;
}

static const void *u64_ptr(uint64_t v)
{
	return (const void *)(uintptr_t)v;
}

/* ---- fds ---- */

static bool in_range(const struct fz_kernel *k, int fd)
{
	return fd >= FZ_FD_BASE && fd < k->next_fd;
}

bool fz_fd_is_open(const struct fz_kernel *k, int fd, enum fz_fd_kind kind)
{
	const struct fz_fd *f;

	if (!in_range(k, fd))
		return false;
	f = &k->fds[fd - FZ_FD_BASE];
	return f->kind != FZ_FD_FREE && (kind == FZ_FD_FREE || f->kind == kind);
}

static const char *kind_name(int kind)
{
	static const char *const names[] = { "closed", "map", "prog", "btf", "link", "perf event",
					     "file", "other" };

	return kind >= 0 && kind <= FZ_FD_OTHER ? names[kind] : "?";
}

/*
 * An fd the library passes in. 0 if it is an open fake fd of kind (FZ_FD_FREE:
 * any kind); -EBADF for a number the fake never handed out (as the kernel);
 * a finding for a fake fd that was closed (use after close) or of another kind.
 */
static int use_fd(const struct fz_kernel *k, int fd, enum fz_fd_kind kind, const char *what)
{
	const struct fz_fd *f;

	if (!in_range(k, fd))
		return -EBADF;
	f = &k->fds[fd - FZ_FD_BASE];
	if (f->kind == FZ_FD_FREE)
		fz_die("%s: fd %d used after it was closed", what, fd);
	if (kind != FZ_FD_FREE && f->kind != kind)
		fz_die("%s: fd %d is a %s, not a %s", what, fd, kind_name(f->kind), kind_name(kind));
	return 0;
}

/* An optional fd field: 0 means none (fake fds are never 0). */
static int use_opt_fd(const struct fz_kernel *k, uint32_t fd, enum fz_fd_kind kind,
		      const char *what)
{
	return fd ? use_fd(k, (int)fd, kind, what) : 0;
}

static long new_fd(struct fz_kernel *k, enum fz_fd_kind kind, struct fz_fd **out)
{
	struct fz_fd *f;

	if (k->next_fd - FZ_FD_BASE >= FZ_MAX_FDS)
		return -EMFILE;
	f = &k->fds[k->next_fd - FZ_FD_BASE];
	memset(f, 0, sizeof(*f));
	f->kind = (uint8_t)kind;
	k->open_fds++;
	if (out)
		*out = f;
	return k->next_fd++;
}

size_t fz_kernel_open_fds(const struct fz_kernel *k)
{
	return k->open_fds;
}

size_t fz_kernel_map_mappings(const struct fz_kernel *k)
{
	size_t i, n = 0;

	for (i = 0; i < k->map_cnt; i++)
		n += !k->maps[i].file;
	return n;
}

static long fz_close(void *c, int fd)
{
	struct fz_kernel *k = c;
	struct fz_fd *f;

	if (!in_range(k, fd))
		fz_die("close(%d): not an fd the kernel handed out", fd);
	f = &k->fds[fd - FZ_FD_BASE];
	if (f->kind == FZ_FD_FREE)
		fz_die("close(%d): closed twice", fd);
	f->kind = FZ_FD_FREE;
	k->open_fds--;
	/* Released whatever the answer, as close(2). */
	return verdict(k, NULL);
}

/* ---- files ---- */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static enum fz_file classify(const char *path)
{
	if (!strcmp(path, "/sys/kernel/btf/vmlinux"))
		return FZ_FILE_VMLINUX;
	if (starts(path, "/sys/kernel/btf/"))
		return FZ_FILE_MODULE_BTF;
	if (!strcmp(path, "/proc/kallsyms"))
		return FZ_FILE_KALLSYMS;
	if (!strcmp(path, "/proc/config.gz"))
		return FZ_FILE_CONFIG_GZ;
	if (starts(path, "/boot/config-"))
		return FZ_FILE_BOOT_CONFIG;
	if (strstr(path, "/events/") && ends(path, "/id"))
		return FZ_FILE_TRACEFS_ID;
	if (!strcmp(path, "/sys/devices/system/cpu/possible"))
		return FZ_FILE_CPU_POSSIBLE;
	if (!strcmp(path, "/proc/modules"))
		return FZ_FILE_MODULES;
	if (!strcmp(path, FZ_TARGET_BTF_PATH))
		return FZ_FILE_TARGET_BTF;
	if (!strcmp(path, FZ_OBJECT_PATH))
		return FZ_FILE_OBJECT;
	if (starts(path, "/sys/bus/event_source/devices/") && ends(path, "/type"))
		return FZ_FILE_PMU_TYPE;
	if (strstr(path, "vmlinux"))
		return FZ_FILE_VMLINUX_DISK;
	return FZ_FILE_OTHER;
}

/* The contents of a file class: the input's entry, a default, or absent (false). */
static bool contents(const struct fz_kernel *k, enum fz_file f, struct fz_span *out)
{
	static const char tp_id[] = "42\n", cpus[] = "0-3\n", pmu[] = "6\n";

	if (f < FZ_FILE_CNT && k->has_file[f]) {
		*out = k->file[f];
		return true;
	}
	switch (f) {
	case FZ_FILE_TRACEFS_ID:
		*out = (struct fz_span){ (const uint8_t *)tp_id, sizeof(tp_id) - 1 };
		return true;
	case FZ_FILE_CPU_POSSIBLE:
		*out = (struct fz_span){ (const uint8_t *)cpus, sizeof(cpus) - 1 };
		return true;
	case FZ_FILE_PMU_TYPE:
		*out = (struct fz_span){ (const uint8_t *)pmu, sizeof(pmu) - 1 };
		return true;
	default:
		return false;
	}
}

static long fz_open(void *c, const char *path, int flags, unsigned int mode)
{
	struct fz_kernel *k = c;
	enum fz_file cls;
	struct fz_span s;
	struct fz_fd *f;
	long ret;

	(void)mode;
	touch_str(path, 4096, "open");
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	cls = classify(path);
	/* Writes (tracefs probe files) go anywhere; reads need contents. */
	if ((flags & O_ACCMODE) == O_RDONLY && !contents(k, cls, &s))
		return -ENOENT;
	ret = new_fd(k, FZ_FD_FILE, &f);
	if (ret >= 0)
		f->file = (uint8_t)cls;
	return ret;
}

static long file_read(struct fz_kernel *k, int fd, void *buf, size_t len, uint64_t off,
		      bool advance)
{
	struct fz_fd *f;
	struct fz_span s = { NULL, 0 };
	uint8_t b;
	size_t n;
	long ret;

	if (use_fd(k, fd, FZ_FD_FILE, "read"))
		return -EBADF;
	f = &k->fds[fd - FZ_FD_BASE];
	ret = verdict(k, &b);
	if (ret)
		return ret;
	if (len)
		((volatile uint8_t *)buf)[len - 1] = ((volatile uint8_t *)buf)[len - 1];
	if (!contents(k, (enum fz_file)f->file, &s))
		s.len = 0;
	if (advance)
		off = f->off;
	if (off >= s.len)
		return 0;
	n = s.len - off;
	if (n > len)
		n = len;
	if (b && n > b)
		n = b;		/* a short read */
	memcpy(buf, s.p + off, n);
	if (advance)
		f->off += n;
	return (long)n;
}

static long fz_read(void *c, int fd, void *buf, size_t len)
{
	return file_read(c, fd, buf, len, 0, true);
}

static long fz_pread(void *c, int fd, void *buf, size_t len, uint64_t off)
{
	return file_read(c, fd, buf, len, off, false);
}

static long fz_write(void *c, int fd, const void *buf, size_t len)
{
	struct fz_kernel *k = c;
	uint8_t b;
	long ret;

	if (use_fd(k, fd, FZ_FD_FREE, "write"))
		return -EBADF;
	touch_read(buf, len);
	ret = verdict(k, &b);
	if (ret)
		return ret;
	return (long)(b && b < len ? b : len);
}

/* ---- mappings ---- */

static long fz_mmap(void *c, void *addr, size_t len, int prot, int flags, int fd, off_t off,
		    void **out)
{
	struct fz_kernel *k = c;
	struct fz_span s = { NULL, 0 };
	bool file = false;
	uint8_t *mem;
	long ret;

	(void)addr;
	(void)prot;
	(void)flags;
	if (fd >= 0) {
		if (use_fd(k, fd, FZ_FD_FREE, "mmap"))
			return -EBADF;
		file = k->fds[fd - FZ_FD_BASE].kind == FZ_FD_FILE;
	}
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	if (!len || off < 0)
		return -EINVAL;
	if (file) {
		size_t pg = (size_t)k->page_size;

		contents(k, (enum fz_file)k->fds[fd - FZ_FD_BASE].file, &s);
		/* As sysfs: nothing past the file's page-rounded size. */
		if ((uint64_t)off > s.len || len > (s.len - (uint64_t)off + pg - 1) / pg * pg)
			return -EINVAL;
	}
	if (k->map_cnt == FZ_MAX_MAPS || len > ((size_t)1 << 30))
		return -ENOMEM;
	mem = calloc(1, len);
	if (!mem)
		return -ENOMEM;
	if (file) {
		size_t n = s.len - (size_t)off < len ? s.len - (size_t)off : len;

		if (n)
			memcpy(mem, s.p + off, n);
	}
	k->maps[k->map_cnt++] = (struct fz_mapping){ mem, len, file };
	*out = mem;
	return 0;
}

static long fz_munmap(void *c, void *addr, size_t len)
{
	struct fz_kernel *k = c;
	size_t i;

	for (i = 0; i < k->map_cnt; i++) {
		if (k->maps[i].addr != addr)
			continue;
		if (k->maps[i].len != len)
			fz_die("munmap(%p, %zu): mapped with length %zu", addr, len, k->maps[i].len);
		free(addr);
		k->maps[i] = k->maps[--k->map_cnt];
		return 0;
	}
	fz_die("munmap(%p, %zu): not a mapping the kernel handed out", addr, len);
}

/* ---- pins (a fake bpffs) ---- */

static int pin_find(const struct fz_kernel *k, const char *path)
{
	size_t i;

	for (i = 0; i < k->pin_cnt; i++)
		if (!strcmp(k->pins[i], path))
			return (int)i;
	return -1;
}

bool fz_is_pinned(const struct fz_kernel *k, const char *path)
{
	return pin_find(k, path) >= 0;
}

static long pin_add(struct fz_kernel *k, const char *path, int fd)
{
	char *copy;

	if (pin_find(k, path) >= 0)
		return -EEXIST;
	if (k->pin_cnt == FZ_MAX_PINS)
		return -ENOSPC;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	k->pin_obj[k->pin_cnt] = k->fds[fd - FZ_FD_BASE];
	k->pins[k->pin_cnt++] = copy;
	return 0;
}

static long fz_unlink(void *c, const char *path)
{
	struct fz_kernel *k = c;
	long ret;
	int i;

	touch_str(path, 4096, "unlink");
	i = pin_find(k, path);
	if (i < 0) {
		ret = verdict(k, NULL);
		return ret ? ret : -ENOENT;
	}
	free(k->pins[i]);
	k->pins[i] = k->pins[--k->pin_cnt];
	k->pin_obj[i] = k->pin_obj[k->pin_cnt];
	return 0;
}

/* ---- bpf(2) ---- */

static void write_log(struct fz_kernel *k, const union bpf_attr *a, uint64_t buf_ptr,
		      uint32_t size, bool fill)
{
	char *buf = (char *)(uintptr_t)buf_ptr;
	uint8_t text[256];
	size_t n, i;

	(void)a;
	if (!buf || !size)
		return;
	buf[size - 1] = '\0';		/* the whole buffer is the kernel's to write */
	n = fz_byte(k);
	if (n > k->script_len - k->script_off)
		n = k->script_len - k->script_off;
	script_bytes(k, text, n);
	if (fill) {
		/* -ENOSPC: the kernel filled the buffer and cut the log there */
		for (i = 0; i + 1 < size; i++)
			buf[i] = n ? (char)text[i % n] : 'x';
		return;
	}
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
}

static bool percpu_map(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

static bool array_map(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
		return true;
	default:
		return false;
	}
}

static bool fd_valued_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static long do_map_create(struct fz_kernel *k, union bpf_attr *a)
{
	struct fz_fd *f;
	long ret;

	touch_str(a->map_name, sizeof(a->map_name), "MAP_CREATE map_name");
	if (use_opt_fd(k, a->btf_fd, FZ_FD_BTF, "MAP_CREATE btf_fd") ||
	    use_opt_fd(k, a->inner_map_fd, FZ_FD_MAP, "MAP_CREATE inner_map_fd"))
		return -EBADF;
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	/* The kernel's own rules, which the slot and key checks below rely on. */
	if ((array_map(a->map_type) && a->key_size != 4) ||
	    (fd_valued_map(a->map_type) && a->value_size != 4))
		return -EINVAL;
	ret = new_fd(k, FZ_FD_MAP, &f);
	if (ret >= 0) {
		f->map_type = a->map_type;
		f->key_size = a->key_size;
		f->value_size = a->value_size;
		f->max_entries = a->max_entries;
		f->map_flags = a->map_flags;
		f->map_extra = a->map_extra;
		f->btf_id = a->btf_fd ? k->fds[a->btf_fd - FZ_FD_BASE].btf_id : 0;
		f->btf_key_type_id = a->btf_key_type_id;
		f->btf_value_type_id = a->btf_value_type_id;
		f->sized = true;
	}
	return ret;
}

static long check_prog_insns(struct fz_kernel *k, const union bpf_attr *a)
{
	const struct bpf_insn *insn = u64_ptr(a->insns);
	uint32_t i;

	if (!a->insn_cnt || a->insn_cnt > (1u << 20))
		return -E2BIG;
	touch_read(insn, (size_t)a->insn_cnt * sizeof(*insn));
	for (i = 0; i + 1 < a->insn_cnt; i++) {
		if (insn[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insn[i].src_reg == BPF_PSEUDO_MAP_FD || insn[i].src_reg == BPF_PSEUDO_MAP_VALUE) {
			if (use_fd(k, insn[i].imm, FZ_FD_MAP, "PROG_LOAD ld_imm64 map fd"))
				return -EBADF;
		}
		i++;
	}
	return 0;
}

static long do_prog_load(struct fz_kernel *k, union bpf_attr *a)
{
	long ret;

	ret = check_prog_insns(k, a);
	if (ret)
		return ret;
	if (a->license)
		touch_str(u64_ptr(a->license), 4096, "PROG_LOAD license");
	touch_str(a->prog_name, sizeof(a->prog_name), "PROG_LOAD prog_name");
	if (use_opt_fd(k, a->prog_btf_fd, FZ_FD_BTF, "PROG_LOAD prog_btf_fd"))
		return -EBADF;
	touch_read(u64_ptr(a->func_info), (size_t)a->func_info_cnt * a->func_info_rec_size);
	touch_read(u64_ptr(a->line_info), (size_t)a->line_info_cnt * a->line_info_rec_size);
	touch_read(u64_ptr(a->core_relos), (size_t)a->core_relo_cnt * a->core_relo_rec_size);
	if (a->log_level && (!a->log_buf || !a->log_size))
		return -EINVAL;
	ret = verdict(k, NULL);
	if (a->log_level && (ret || fz_byte(k) & 1))
		write_log(k, a, a->log_buf, a->log_size, ret == -ENOSPC);
	return ret ? ret : new_fd(k, FZ_FD_PROG, NULL);
}

static long do_btf_load(struct fz_kernel *k, union bpf_attr *a)
{
	struct fz_fd *f;
	long ret;

	touch_read(u64_ptr(a->btf), a->btf_size);
	if (a->btf_log_level && (!a->btf_log_buf || !a->btf_log_size))
		return -EINVAL;
	ret = verdict(k, NULL);
	if (a->btf_log_level && ret)
		write_log(k, a, a->btf_log_buf, a->btf_log_size, ret == -ENOSPC);
	if (ret)
		return ret;
	ret = new_fd(k, FZ_FD_BTF, &f);
	if (ret >= 0 && k->btf_cnt < FZ_MAX_BTFS) {
		struct fz_btf_obj *b = &k->btfs[k->btf_cnt];

		b->data = malloc(a->btf_size ? a->btf_size : 1);
		if (b->data) {
			memcpy(b->data, u64_ptr(a->btf), a->btf_size);
			b->len = a->btf_size;
			f->btf_id = (uint32_t)++k->btf_cnt;
		}
	}
	return ret;
}

static long do_map_elem(struct fz_kernel *k, int cmd, union bpf_attr *a)
{
	const struct fz_fd *f;
	uint32_t target;
	long ret;

	if (use_fd(k, (int)a->map_fd, FZ_FD_MAP, "map element command"))
		return -EBADF;
	f = &k->fds[a->map_fd - FZ_FD_BASE];
	if (f->sized && (cmd != BPF_MAP_GET_NEXT_KEY || a->key))
		touch_read(u64_ptr(a->key), f->key_size);
	if (cmd == BPF_MAP_UPDATE_ELEM && f->sized && !percpu_map(f->map_type)) {
		touch_read(u64_ptr(a->value), f->value_size);
		if (fd_valued_map(f->map_type)) {
			const uint8_t *key = u64_ptr(a->key);
			uint32_t i;

			/* The loader's slot keys (and the harness's) are an index, zero-extended. */
			for (i = 4; i < f->key_size; i++)
				if (key[i])
					fz_die("map slot key: byte %u of %u is 0x%02x", i, f->key_size,
					       key[i]);
			memcpy(&target, u64_ptr(a->value), sizeof(target));
			if (use_fd(k, (int)target,
				   f->map_type == BPF_MAP_TYPE_PROG_ARRAY ? FZ_FD_PROG : FZ_FD_MAP,
				   "map slot value"))
				return -EBADF;
		}
	}
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	if (cmd == BPF_MAP_LOOKUP_ELEM && f->sized && !percpu_map(f->map_type))
		script_bytes(k, (void *)(uintptr_t)a->value, f->value_size);
	if (cmd == BPF_MAP_GET_NEXT_KEY && f->sized)
		script_bytes(k, (void *)(uintptr_t)a->next_key, f->key_size);
	return 0;
}

/* Batches: keys (and values) for count elements; lookups fill them from the script. */
static long do_map_batch(struct fz_kernel *k, int cmd, union bpf_attr *a)
{
	const struct fz_fd *f;
	size_t n;
	long ret;

	if (use_fd(k, (int)a->batch.map_fd, FZ_FD_MAP, "map batch command"))
		return -EBADF;
	f = &k->fds[a->batch.map_fd - FZ_FD_BASE];
	n = a->batch.count;
	if (f->sized)
		touch_read(u64_ptr(a->batch.keys), n * f->key_size);
	if (f->sized && cmd != BPF_MAP_DELETE_BATCH && !percpu_map(f->map_type))
		touch_read(u64_ptr(a->batch.values), n * f->value_size);
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	if (cmd != BPF_MAP_DELETE_BATCH && f->sized && !percpu_map(f->map_type)) {
		n = fz_byte(k) % (n + 1);	/* elements returned */
		script_bytes(k, (void *)(uintptr_t)a->batch.keys, n * f->key_size);
		script_bytes(k, (void *)(uintptr_t)a->batch.values, n * f->value_size);
		a->batch.count = (uint32_t)n;
	}
	return 0;
}

/* The script's corruption of a kernel answer: n, then n (position, byte) pairs. */
static void corrupt(struct fz_kernel *k, uint8_t *p, size_t len)
{
	uint8_t n = fz_byte(k), pos, val;

	while (n-- && len && k->script_off < k->script_len) {
		pos = fz_byte(k);
		val = fz_byte(k);
		p[pos % len] = val;
	}
}

/*
 * OBJ_GET_INFO_BY_FD: a map's definition as it was created, a BTF object's
 * id and data (the blob BTF_LOAD got, else FZ_FILE_OBJ_BTF), other objects'
 * info from the script; then the script's corruption.
 */
static long do_obj_info(struct fz_kernel *k, union bpf_attr *a)
{
	uint8_t *info = (uint8_t *)(uintptr_t)a->info.info;
	uint32_t len = a->info.info_len;
	const struct fz_fd *f;
	long ret;

	if (use_fd(k, (int)a->info.bpf_fd, FZ_FD_FREE, "OBJ_GET_INFO_BY_FD"))
		return -EBADF;
	f = &k->fds[a->info.bpf_fd - FZ_FD_BASE];
	touch_read(info, len);
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	if (f->kind == FZ_FD_BTF && len >= sizeof(struct bpf_btf_info)) {
		struct bpf_btf_info in;
		struct fz_span s = { NULL, 0 };

		memcpy(&in, info, sizeof(in));
		if (f->btf_id && f->btf_id <= k->btf_cnt)
			s = (struct fz_span){ k->btfs[f->btf_id - 1].data, k->btfs[f->btf_id - 1].len };
		else
			contents(k, FZ_FILE_OBJ_BTF, &s);
		if (in.btf && in.btf_size) {
			uint8_t *dst = (uint8_t *)(uintptr_t)in.btf;
			uint32_t n = s.len < in.btf_size ? (uint32_t)s.len : in.btf_size;

			touch_read(dst, in.btf_size);
			if (n)	/* no BTF to hand out: s.p is NULL */
				memcpy(dst, s.p, n);
			corrupt(k, dst, n);
		}
		memset(info, 0, len);
		in.btf_size = (uint32_t)s.len;
		in.id = f->btf_id;
		memcpy(info, &in, sizeof(in));
		corrupt(k, info, sizeof(in));
	} else if (f->kind == FZ_FD_MAP && f->sized && len >= sizeof(struct bpf_map_info)) {
		struct bpf_map_info mi;

		memset(&mi, 0, sizeof(mi));
		mi.type = f->map_type;
		mi.id = (uint32_t)a->info.bpf_fd;
		mi.key_size = f->key_size;
		mi.value_size = f->value_size;
		mi.max_entries = f->max_entries;
		mi.map_flags = f->map_flags;
		mi.btf_id = f->btf_id;
		mi.btf_key_type_id = f->btf_key_type_id;
		mi.btf_value_type_id = f->btf_value_type_id;
		mi.map_extra = f->map_extra;
		memset(info, 0, len);
		memcpy(info, &mi, sizeof(mi));
		corrupt(k, info, sizeof(mi));
	} else {
		script_bytes(k, info, len);
	}
	a->info.info_len = len;
	return 0;
}

static long do_link_create(struct fz_kernel *k, union bpf_attr *a)
{
	long ret;

	if (use_fd(k, (int)a->link_create.prog_fd, FZ_FD_PROG, "LINK_CREATE prog_fd"))
		return -EBADF;
	if (a->link_create.attach_type == BPF_PERF_EVENT &&
	    use_fd(k, (int)a->link_create.target_fd, FZ_FD_PERF, "LINK_CREATE target_fd"))
		return -EBADF;
	ret = verdict(k, NULL);
	return ret ? ret : new_fd(k, FZ_FD_LINK, NULL);
}

static long do_obj_get(struct fz_kernel *k, union bpf_attr *a)
{
	struct fz_fd *f;
	uint8_t b;
	long ret;
	int i;

	touch_str(u64_ptr(a->pathname), 4096, "OBJ_GET pathname");
	ret = verdict(k, &b);
	if (ret)
		return ret;
	/* A pin made through the fake (the same object), or (odd byte) one that was there before. */
	i = pin_find(k, u64_ptr(a->pathname));
	if (i < 0 && !(b & 1))
		return -ENOENT;
	ret = new_fd(k, i >= 0 ? (enum fz_fd_kind)k->pin_obj[i].kind : FZ_FD_MAP, &f);
	if (ret >= 0 && i >= 0)
		*f = k->pin_obj[i];
	return ret;
}

static long fz_bpf(void *c, int cmd, union bpf_attr *a, unsigned int size)
{
	struct fz_kernel *k = c;
	long ret;

	if (!a || !size || size > sizeof(*a))
		fz_die("bpf(%d): attr size %u", cmd, size);
	k->bpf_calls++;
	switch (cmd) {
	case BPF_MAP_CREATE:
		return do_map_create(k, a);
	case BPF_PROG_LOAD:
		return do_prog_load(k, a);
	case BPF_BTF_LOAD:
		return do_btf_load(k, a);
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_GET_NEXT_KEY:
		return do_map_elem(k, cmd, a);
	case BPF_MAP_LOOKUP_BATCH:
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
	case BPF_MAP_DELETE_BATCH:
		return do_map_batch(k, cmd, a);
	case BPF_MAP_FREEZE:
		if (use_fd(k, (int)a->map_fd, FZ_FD_MAP, "MAP_FREEZE"))
			return -EBADF;
		return verdict(k, NULL);
	case BPF_OBJ_PIN:
		if (use_fd(k, (int)a->bpf_fd, FZ_FD_FREE, "OBJ_PIN"))
			return -EBADF;
		touch_str(u64_ptr(a->pathname), 4096, "OBJ_PIN pathname");
		ret = verdict(k, NULL);
		return ret ? ret : pin_add(k, u64_ptr(a->pathname), (int)a->bpf_fd);
	case BPF_OBJ_GET:
		return do_obj_get(k, a);
	case BPF_OBJ_GET_INFO_BY_FD:
		return do_obj_info(k, a);
	case BPF_LINK_CREATE:
		return do_link_create(k, a);
	case BPF_RAW_TRACEPOINT_OPEN:
		if (a->raw_tracepoint.name)
			touch_str(u64_ptr(a->raw_tracepoint.name), 4096, "RAW_TRACEPOINT_OPEN name");
		if (use_fd(k, (int)a->raw_tracepoint.prog_fd, FZ_FD_PROG, "RAW_TRACEPOINT_OPEN"))
			return -EBADF;
		ret = verdict(k, NULL);
		return ret ? ret : new_fd(k, FZ_FD_LINK, NULL);
	case BPF_ITER_CREATE:
		if (use_fd(k, (int)a->iter_create.link_fd, FZ_FD_LINK, "ITER_CREATE"))
			return -EBADF;
		ret = verdict(k, NULL);
		return ret ? ret : new_fd(k, FZ_FD_OTHER, NULL);
	case BPF_PROG_DETACH:
		if (use_opt_fd(k, a->attach_bpf_fd, FZ_FD_PROG, "PROG_DETACH"))
			return -EBADF;
		return verdict(k, NULL);
	case BPF_BTF_GET_FD_BY_ID: {
		struct fz_fd *f;

		ret = verdict(k, NULL);
		if (ret)
			return ret;
		ret = new_fd(k, FZ_FD_BTF, &f);
		if (ret >= 0)
			f->btf_id = a->btf_id;
		return ret;
	}
	case BPF_MAP_GET_FD_BY_ID:
		ret = verdict(k, NULL);
		return ret ? ret : new_fd(k, FZ_FD_MAP, NULL);
	case BPF_PROG_GET_FD_BY_ID:
		ret = verdict(k, NULL);
		return ret ? ret : new_fd(k, FZ_FD_PROG, NULL);
	case BPF_LINK_GET_FD_BY_ID:
		ret = verdict(k, NULL);
		return ret ? ret : new_fd(k, FZ_FD_LINK, NULL);
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
	case BPF_LINK_GET_NEXT_ID:
	case BPF_BTF_GET_NEXT_ID: {
		uint8_t b;

		/* Success needs an odd byte: a used-up script ends every walk. */
		ret = verdict(k, &b);
		if (ret || !(b & 1))
			return ret ? ret : -ENOENT;
		a->next_id = a->start_id + 1 + (b >> 1);
		return 0;
	}
	default:
		return verdict(k, NULL);
	}
}

/* ---- the rest of the table ---- */

static long fz_perf_event_open(void *c, struct perf_event_attr *attr, pid_t pid, int cpu,
			       int group_fd, unsigned long flags)
{
	struct fz_kernel *k = c;
	long ret;

	(void)pid;
	(void)cpu;
	(void)flags;
	touch_read(attr, sizeof(*attr));
	if (group_fd != -1 && use_fd(k, group_fd, FZ_FD_PERF, "perf_event_open group_fd"))
		return -EBADF;
	ret = verdict(k, NULL);
	return ret ? ret : new_fd(k, FZ_FD_PERF, NULL);
}

static long fz_ioctl(void *c, int fd, unsigned long request, unsigned long arg)
{
	struct fz_kernel *k = c;

	if (use_fd(k, fd, FZ_FD_FREE, "ioctl"))
		return -EBADF;
	if (request == PERF_EVENT_IOC_SET_BPF && use_fd(k, (int)arg, FZ_FD_PROG, "PERF_EVENT_IOC_SET_BPF"))
		return -EBADF;
	return verdict(k, NULL);
}

static long fz_path_call(void *c, const char *path, const char *what)
{
	touch_str(path, 4096, what);
	return verdict(c, NULL);
}

static long fz_mkdir(void *c, const char *path, unsigned int mode)
{
	(void)mode;
	return fz_path_call(c, path, "mkdir");
}

static long fz_rmdir(void *c, const char *path)
{
	return fz_path_call(c, path, "rmdir");
}

static long fz_statfs(void *c, const char *path, long *fs_type)
{
	long ret = fz_path_call(c, path, "statfs");

	if (!ret)
		*fs_type = BPF_FS_MAGIC;
	return ret;
}

static long fz_mount(void *c, const char *source, const char *target, const char *fstype,
		     unsigned long flags, const void *data)
{
	(void)source;
	(void)fstype;
	(void)flags;
	(void)data;
	return fz_path_call(c, target, "mount");
}

static long fz_getrlimit(void *c, int resource, struct rlimit *rlim)
{
	long ret = verdict(c, NULL);

	(void)resource;
	if (!ret)
		*rlim = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	return ret;
}

static long fz_setrlimit(void *c, int resource, const struct rlimit *rlim)
{
	(void)resource;
	touch_read(rlim, sizeof(*rlim));
	return verdict(c, NULL);
}

static long fz_uname(void *c, struct utsname *u)
{
	struct fz_kernel *k = c;
	long ret = verdict(k, NULL);
	size_t n;

	if (ret)
		return ret;
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux");
	strcpy(u->machine, "x86_64");
	if (k->has_file[FZ_FILE_UNAME]) {
		n = k->file[FZ_FILE_UNAME].len;
		if (n > sizeof(u->release) - 1)
			n = sizeof(u->release) - 1;
		if (n)
			memcpy(u->release, k->file[FZ_FILE_UNAME].p, n);
	} else {
		strcpy(u->release, "6.18.0");
	}
	return 0;
}

static long fz_dup(void *c, int fd)
{
	struct fz_kernel *k = c;
	struct fz_fd *f, old;
	long ret;

	if (use_fd(k, fd, FZ_FD_FREE, "dup"))
		return -EBADF;
	old = k->fds[fd - FZ_FD_BASE];
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	ret = new_fd(k, (enum fz_fd_kind)old.kind, &f);
	if (ret >= 0)
		*f = old;
	return ret;
}

/* fstat of an open file (AT_EMPTY_PATH): a regular file of its contents' size. */
static long fz_statx(void *c, int dirfd, const char *path, int flags, unsigned int mask,
		     struct statx *buf)
{
	struct fz_kernel *k = c;
	struct fz_span s = { NULL, 0 };
	long ret;

	(void)mask;
	touch_str(path, 4096, "statx");
	memset(buf, 0, sizeof(*buf));
	ret = verdict(k, NULL);
	if (ret)
		return ret;
	if (!(flags & 0x1000 /* AT_EMPTY_PATH */) || path[0])
		return -ENOENT;
	if (use_fd(k, dirfd, FZ_FD_FILE, "statx"))
		return -EBADF;
	contents(k, (enum fz_file)k->fds[dirfd - FZ_FD_BASE].file, &s);
	buf->stx_mask = STATX_TYPE | STATX_SIZE;
	buf->stx_mode = 0100644;	/* S_IFREG */
	buf->stx_size = s.len;
	return 0;
}

static long fz_readlink(void *c, const char *path, char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return fz_path_call(c, path, "readlink") ?: -ENOENT;
}

static long fz_getdents64(void *c, int fd, void *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (use_fd(c, fd, FZ_FD_FREE, "getdents64"))
		return -EBADF;
	return verdict(c, NULL);	/* 0: end of directory */
}

static long fz_getpid(void *c)
{
	(void)c;
	return 4242;
}

static long fz_page_size(void *c)
{
	return ((struct fz_kernel *)c)->page_size;
}

static long fz_clock_gettime(void *c, int clock, struct timespec *ts)
{
	struct fz_kernel *k = c;

	(void)clock;
	ts->tv_sec = (time_t)k->calls;
	ts->tv_nsec = 0;
	return 0;
}

static long fz_new_other(void *c)
{
	long ret = verdict(c, NULL);

	return ret ? ret : new_fd(c, FZ_FD_OTHER, NULL);
}

static long fz_epoll_create(void *c)
{
	return fz_new_other(c);
}

static long fz_socket(void *c, int domain, int type, int protocol)
{
	(void)domain;
	(void)type;
	(void)protocol;
	return fz_new_other(c);
}

static long fz_epoll_ctl(void *c, int epfd, int op, int fd, struct epoll_event *ev)
{
	(void)op;
	(void)ev;
	if (use_fd(c, epfd, FZ_FD_OTHER, "epoll_ctl") || use_fd(c, fd, FZ_FD_FREE, "epoll_ctl fd"))
		return -EBADF;
	return verdict(c, NULL);
}

static long fz_epoll_wait(void *c, int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
	(void)evs;
	(void)max;
	(void)timeout_ms;
	if (use_fd(c, epfd, FZ_FD_OTHER, "epoll_wait"))
		return -EBADF;
	return verdict(c, NULL);	/* 0 events */
}

static long fz_bind(void *c, int fd, const struct sockaddr *addr, unsigned int addr_len)
{
	(void)addr;
	(void)addr_len;
	if (use_fd(c, fd, FZ_FD_OTHER, "bind"))
		return -EBADF;
	return verdict(c, NULL);
}

static long fz_sendto(void *c, int fd, const void *buf, size_t len, int flags,
		      const struct sockaddr *addr, unsigned int addr_len)
{
	long ret;

	(void)flags;
	(void)addr;
	(void)addr_len;
	if (use_fd(c, fd, FZ_FD_OTHER, "sendto"))
		return -EBADF;
	touch_read(buf, len);
	ret = verdict(c, NULL);
	return ret ? ret : (long)len;
}

static long fz_recvfrom(void *c, int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
			unsigned int *addr_len)
{
	(void)buf;
	(void)len;
	(void)flags;
	(void)addr;
	(void)addr_len;
	if (use_fd(c, fd, FZ_FD_OTHER, "recvfrom"))
		return -EBADF;
	return verdict(c, NULL);	/* 0 bytes */
}

static long fz_setsockopt(void *c, int fd, int level, int name, const void *val, unsigned int len)
{
	(void)level;
	(void)name;
	if (use_fd(c, fd, FZ_FD_OTHER, "setsockopt"))
		return -EBADF;
	touch_read(val, len);
	return verdict(c, NULL);
}

static long fz_getsockopt(void *c, int fd, int level, int name, void *val, unsigned int *len)
{
	(void)level;
	(void)name;
	(void)val;
	if (use_fd(c, fd, FZ_FD_OTHER, "getsockopt"))
		return -EBADF;
	*len = 0;
	return verdict(c, NULL);
}

struct bbpf_sys fz_kernel_init(struct fz_kernel *k, const uint8_t *script, size_t len)
{
	memset(k, 0, sizeof(*k));
	k->script = script;
	k->script_len = len;
	k->page_size = 4096;
	k->next_fd = FZ_FD_BASE;
	return (struct bbpf_sys){
		.ctx = k,
		.bpf = fz_bpf,
		.perf_event_open = fz_perf_event_open,
		.ioctl = fz_ioctl,
		.close = fz_close,
		.open = fz_open,
		.read = fz_read,
		.write = fz_write,
		.mmap = fz_mmap,
		.munmap = fz_munmap,
		.mkdir = fz_mkdir,
		.unlink = fz_unlink,
		.rmdir = fz_rmdir,
		.statfs = fz_statfs,
		.mount = fz_mount,
		.getrlimit = fz_getrlimit,
		.setrlimit = fz_setrlimit,
		.uname = fz_uname,
		.dup = fz_dup,
		.statx = fz_statx,
		.pread = fz_pread,
		.readlink = fz_readlink,
		.getdents64 = fz_getdents64,
		.getpid = fz_getpid,
		.page_size = fz_page_size,
		.clock_gettime = fz_clock_gettime,
		.epoll_create = fz_epoll_create,
		.epoll_ctl = fz_epoll_ctl,
		.epoll_wait = fz_epoll_wait,
		.socket = fz_socket,
		.bind = fz_bind,
		.sendto = fz_sendto,
		.recvfrom = fz_recvfrom,
		.setsockopt = fz_setsockopt,
		.getsockopt = fz_getsockopt,
	};
}

void fz_kernel_check_clean(const struct fz_kernel *k, const char *what)
{
	size_t i;

	if (k->open_fds) {
		for (i = 0; i < (size_t)(k->next_fd - FZ_FD_BASE); i++)
			if (k->fds[i].kind != FZ_FD_FREE)
				fprintf(stderr, "  fd %d (%s) still open\n", (int)(FZ_FD_BASE + i),
					kind_name(k->fds[i].kind));
		fz_die("%s: %zu fd(s) left open", what, k->open_fds);
	}
	if (k->map_cnt) {
		for (i = 0; i < k->map_cnt; i++)
			fprintf(stderr, "  mapping %p (%zu bytes) left\n", k->maps[i].addr,
				k->maps[i].len);
		fz_die("%s: %zu mapping(s) left", what, k->map_cnt);
	}
}

void fz_kernel_fini(struct fz_kernel *k)
{
	size_t i;

	for (i = 0; i < k->pin_cnt; i++)
		free(k->pins[i]);
	for (i = 0; i < k->map_cnt; i++)
		free(k->maps[i].addr);
	for (i = 0; i < k->btf_cnt; i++)
		free(k->btfs[i].data);
	k->pin_cnt = k->map_cnt = k->btf_cnt = 0;
}

/* ---- the fuzz binaries' bbpf_sys_linux: any call is a finding ---- */

static long trap(const char *hook)
{
	fz_die("bbpf_sys_linux.%s called: a context reached the real kernel", hook);
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
#define TRAP(name, ...) static long trap_##name(__VA_ARGS__) { return trap(#name); }
TRAP(bpf, void *c, int cmd, union bpf_attr *a, unsigned int s)
TRAP(perf_event_open, void *c, struct perf_event_attr *a, pid_t p, int cpu, int g, unsigned long f)
TRAP(ioctl, void *c, int fd, unsigned long r, unsigned long a)
TRAP(close, void *c, int fd)
TRAP(open, void *c, const char *p, int f, unsigned int m)
TRAP(read, void *c, int fd, void *b, size_t l)
TRAP(write, void *c, int fd, const void *b, size_t l)
TRAP(mmap, void *c, void *a, size_t l, int p, int f, int fd, off_t o, void **out)
TRAP(munmap, void *c, void *a, size_t l)
TRAP(mkdir, void *c, const char *p, unsigned int m)
TRAP(unlink, void *c, const char *p)
TRAP(rmdir, void *c, const char *p)
TRAP(statfs, void *c, const char *p, long *t)
TRAP(mount, void *c, const char *s, const char *t, const char *f, unsigned long fl, const void *d)
TRAP(getrlimit, void *c, int r, struct rlimit *l)
TRAP(setrlimit, void *c, int r, const struct rlimit *l)
TRAP(uname, void *c, struct utsname *u)
TRAP(dup, void *c, int fd)
TRAP(statx, void *c, int d, const char *p, int f, unsigned int m, struct statx *b)
TRAP(pread, void *c, int fd, void *b, size_t l, uint64_t o)
TRAP(readlink, void *c, const char *p, char *b, size_t l)
TRAP(getdents64, void *c, int fd, void *b, size_t l)
TRAP(getpid, void *c)
TRAP(page_size, void *c)
TRAP(clock_gettime, void *c, int cl, struct timespec *ts)
TRAP(epoll_create, void *c)
TRAP(epoll_ctl, void *c, int e, int op, int fd, struct epoll_event *ev)
TRAP(epoll_wait, void *c, int e, struct epoll_event *ev, int m, int t)
TRAP(socket, void *c, int d, int t, int p)
TRAP(bind, void *c, int fd, const struct sockaddr *a, unsigned int l)
TRAP(sendto, void *c, int fd, const void *b, size_t l, int f, const struct sockaddr *a, unsigned int al)
TRAP(recvfrom, void *c, int fd, void *b, size_t l, int f, struct sockaddr *a, unsigned int *al)
TRAP(setsockopt, void *c, int fd, int lv, int n, const void *v, unsigned int l)
TRAP(getsockopt, void *c, int fd, int lv, int n, void *v, unsigned int *l)

const struct bbpf_sys bbpf_sys_linux = {
	.bpf = trap_bpf, .perf_event_open = trap_perf_event_open, .ioctl = trap_ioctl,
	.close = trap_close, .open = trap_open, .read = trap_read, .write = trap_write,
	.mmap = trap_mmap, .munmap = trap_munmap, .mkdir = trap_mkdir, .unlink = trap_unlink,
	.rmdir = trap_rmdir, .statfs = trap_statfs, .mount = trap_mount,
	.getrlimit = trap_getrlimit, .setrlimit = trap_setrlimit, .uname = trap_uname,
	.dup = trap_dup, .statx = trap_statx, .pread = trap_pread, .readlink = trap_readlink,
	.getdents64 = trap_getdents64, .getpid = trap_getpid, .page_size = trap_page_size,
	.clock_gettime = trap_clock_gettime, .epoll_create = trap_epoll_create,
	.epoll_ctl = trap_epoll_ctl, .epoll_wait = trap_epoll_wait, .socket = trap_socket,
	.bind = trap_bind, .sendto = trap_sendto, .recvfrom = trap_recvfrom,
	.setsockopt = trap_setsockopt, .getsockopt = trap_getsockopt,
};
