/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the show commands print with (see kobj.h): object info and fdinfo,
 * kernel BTF by id, program names, the id maps and pinned paths of -f, hex
 * bytes, load times and devices. Handles, pins and errors: kobj.c.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/stat.h>
#include <barebpf/sys.h>

#include "kobj.h"
#include "textfile.h"
#include "../base/fmt.h"
#include "../parse/btf.h"

#define MOUNTS_MAX (4u << 20)	/* /proc/mounts, read whole */
#define PINNED_DEPTH_MAX 64	/* directory levels walked under a bpf mount */
#define FDINFO_MAX	4096

/* ---- info ---- */

int bbpf_cli_kobj_info(struct bbpf_cli_kobj *k, int fd, void *info, uint32_t size)
{
	memset(info, 0, size);
	return bbpf_cmd_obj_info(k->sys, fd, info, &size);
}

int bbpf_cli_kobj_fdinfo(struct bbpf_cli_kobj *k, int fd, const char *key, char *val,
			 size_t size)
{
	char path[64], buf[FDINFO_MAX + 1], *line, *pos, *tab;
	size_t len = 0;
	long n, f;

	bbpf_snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = k->sys->open(k->sys->ctx, path, O_RDONLY | O_CLOEXEC, 0);
	if (f < 0)
		return -ENOENT;
	while (len < FDINFO_MAX) {
		n = k->sys->read(k->sys->ctx, (int)f, buf + len, FDINFO_MAX - len);
		if (n == -EINTR)
			continue;
		if (n <= 0 || (size_t)n > FDINFO_MAX - len)
			break;
		len += (size_t)n;
	}
	bbpf_cli_kobj_fdclose(k, (int)f);
	buf[len] = '\0';
	pos = buf;
	while ((line = bbpf_cli_next_line(&pos))) {
		if (!bbpf_cli_strstr(line, key))
			continue;
		tab = strchr(line, '\t');
		if (!tab || !tab[1])
			return -ENOENT;
		bbpf_snprintf(val, size, "%s", tab + 1);
		return 0;
	}
	return -ENOENT;
}

int bbpf_cli_kobj_btf(struct bbpf_cli_kobj *k, uint32_t btf_id, struct bbpf_arena *arena,
		      struct bbpf_btf **out)
{
	struct bpf_btf_info info;
	struct bbpf_diag diag = { 0 };
	struct bbpf_btf *btf;
	void *data;
	uint32_t size;
	int fd, err;

	fd = bbpf_cmd_btf_get_fd_by_id(k->sys, btf_id);
	if (fd < 0)
		return fd;
	err = bbpf_cli_kobj_info(k, fd, &info, sizeof(info));
	if (!err && info.kernel_btf && btf_id != 1) {
		/* Module BTF is split on vmlinux; nothing here needs it. */
		err = -EOPNOTSUPP;
	}
	data = err ? NULL : bbpf_arena_alloc(arena, info.btf_size ? info.btf_size : 1);
	if (!err && !data)
		err = -ENOMEM;
	if (!err) {
		size = info.btf_size;
		memset(&info, 0, sizeof(info));
		info.btf = (uint64_t)(uintptr_t)data;
		info.btf_size = size;
		err = bbpf_cmd_obj_info(k->sys, fd, &info, &(uint32_t){ sizeof(info) });
	}
	bbpf_cli_kobj_fdclose(k, fd);
	if (err)
		return err;
	btf = bbpf_arena_zalloc(arena, sizeof(*btf));
	if (!btf)
		return -ENOMEM;
	err = bbpf_btf_parse_raw(btf, data, info.btf_size, NULL, arena, &diag);
	if (err)
		return err;
	*out = btf;
	return 0;
}

void bbpf_cli_kobj_prog_name(struct bbpf_cli_kobj *k, const struct bpf_prog_info *info, int fd,
			     char *buf, size_t size)
{
	struct bpf_func_info fi = { 0 };
	struct bpf_prog_info pi;
	struct bbpf_arena arena;
	struct bbpf_btf *btf;
	const struct btf_type *t;
	const char *name = info->name;
	uint32_t len = sizeof(pi);

	bbpf_arena_init(&arena, &k->ctx->alloc, (size_t)64 << 20);
	/* Only a name the kernel cut (15 characters) is looked up, as bpftool does. */
	if (strnlen(info->name, BPF_OBJ_NAME_LEN) < BPF_OBJ_NAME_LEN - 1 || !info->btf_id ||
	    !info->nr_func_info)
		goto copy;
	memset(&pi, 0, sizeof(pi));
	pi.nr_func_info = 1;
	pi.func_info_rec_size = info->func_info_rec_size < sizeof(fi) ? info->func_info_rec_size
								     : sizeof(fi);
	pi.func_info = (uint64_t)(uintptr_t)&fi;
	if (bbpf_cmd_obj_info(k->sys, fd, &pi, &len))
		goto copy;
	if (bbpf_cli_kobj_btf(k, pi.btf_id, &arena, &btf))
		goto copy;
	t = bbpf_btf_type(btf, fi.type_id);
	if (t && bbpf_btf_kind(t) == BTF_KIND_FUNC)
		name = bbpf_btf_str(btf, t->name_off);
	if (!name)
		name = info->name;
copy:
	bbpf_snprintf(buf, size, "%.*s", (int)(name == info->name ? strnlen(name, BPF_OBJ_NAME_LEN)
								 : strlen(name)), name);
	bbpf_arena_free(&arena);
}

int bbpf_cli_kobj_prog_by_id(struct bbpf_cli_kobj *k, uint32_t id, struct bpf_prog_info *info,
			     char *name, size_t size)
{
	int fd = bbpf_cmd_prog_get_fd_by_id(k->sys, id), err;

	if (fd < 0)
		return fd;
	err = bbpf_cli_kobj_info(k, fd, info, sizeof(*info));
	if (!err && name)
		bbpf_cli_kobj_prog_name(k, info, fd, name, size);
	bbpf_cli_kobj_fdclose(k, fd);
	return err;
}

static const char link_type_names[] =
	"unspec\0raw_tracepoint\0tracing\0cgroup\0iter\0netns\0xdp\0perf_event\0"
	"kprobe_multi\0struct_ops\0netfilter\0tcx\0uprobe_multi\0netkit\0sockmap\0";
#define LINK_TYPE_CNT 15

const char *bbpf_cli_kobj_link_type_str(uint32_t type)
{
	const char *s = link_type_names;

	if (type >= LINK_TYPE_CNT)
		return NULL;
	while (type--)
		s += strlen(s) + 1;
	return s;
}

/* ---- idmap ---- */

int bbpf_cli_idmap_add(struct bbpf_cli_idmap *m, uint32_t key, uint32_t num, const char *str)
{
	struct bbpf_cli_idmap_ent *ne;
	char *s = NULL;

	if (m->cnt == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		ne = realloc(m->e, cap * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		m->e = ne;
		m->cap = cap;
	}
	/* not strdup(): musl's would be linked for this alone */
	if (str && !(s = malloc(strlen(str) + 1)))
		return -ENOMEM;
	if (str)
		memcpy(s, str, strlen(str) + 1);
	m->e[m->cnt++] = (struct bbpf_cli_idmap_ent){ .key = key, .num = num, .str = s };
	return 0;
}

size_t bbpf_cli_idmap_get(const struct bbpf_cli_idmap *m, uint32_t key, size_t *idx)
{
	size_t cap = 0, i, n = 0, a, b, t;

	for (i = 0; i < m->cnt; i++) {
		/* libbpf grows before adding the (i + 1)th entry when it must. */
		if (cap == 0 || (i + 1) * 4 / 3 > cap) {
			cap = cap ? cap * 2 : 4;
			for (a = 0, b = n; b > a + 1; a++, b--) {	/* every chain re-prepended */
				t = idx[a];
				idx[a] = idx[b - 1];
				idx[b - 1] = t;
			}
		}
		if (m->e[i].key != key)
			continue;
		memmove(idx + 1, idx, n * sizeof(*idx));	/* prepended */
		idx[0] = i;
		n++;
	}
	return n;
}

void bbpf_cli_idmap_free(struct bbpf_cli_idmap *m)
{
	size_t i;

	for (i = 0; i < m->cnt; i++)
		free(m->e[i].str);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* ---- pinned paths (-f) ---- */

struct pin_walk {
	struct bbpf_cli_kobj *k;
	enum bbpf_cli_obj_type type;
	struct bbpf_cli_idmap *m;
	int err;
};

_Static_assert(offsetof(struct bpf_prog_info, id) == offsetof(struct bpf_map_info, id) &&
	       offsetof(struct bpf_prog_info, id) == offsetof(struct bpf_link_info, id),
	       "one id offset in the three infos");
static void pin_file(struct pin_walk *w, const char *path)
{
	union {
		struct bpf_prog_info p;
		struct bpf_map_info m;
		struct bpf_link_info l;
	} u;
	int fd = bbpf_cli_kobj_pinned(w->k, path, w->type, true);

	if (fd < 0)
		return;
	if (!bbpf_cli_kobj_info(w->k, fd, &u, w->type == BBPF_CLI_OBJ_PROG ? sizeof(u.p) :
					 w->type == BBPF_CLI_OBJ_MAP ? sizeof(u.m) : sizeof(u.l)) &&
	    bbpf_cli_idmap_add(w->m, u.p.id, 0, path))	/* the id is where all three have it */
		w->err = -ENOMEM;
	bbpf_cli_kobj_fdclose(w->k, fd);
}

/* nftw(FTW_PHYS) order: the entries of a directory as readdir() gives them, depth first. */
static void pin_dir(struct pin_walk *w, char *path, size_t len, size_t max, int depth)
{
	struct bbpf_cli_dir d;
	struct bbpf_cli_stat st;
	const char *name;
	size_t n;

	if (depth > PINNED_DEPTH_MAX)
		return;
	if (!bbpf_cli_dir_open(&d, w->k->sys, path))
		return;
	while (!w->err && (name = bbpf_cli_dir_next(&d))) {
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		n = strlen(name);
		if (len + 1 + n + 1 > max)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, name, n + 1);
		if (!bbpf_cli_kobj_stat(path, true, &st)) {
			if (S_ISDIR(st.mode))
				pin_dir(w, path, len + 1 + n, max, depth + 1);
			else if (S_ISREG(st.mode))
				pin_file(w, path);
		}
		path[len] = '\0';
	}
	bbpf_cli_dir_close(&d);
}

/* A /proc/mounts field with its \ooo escapes decoded, in place. */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

int bbpf_cli_kobj_mounts(const char *fstype, size_t n, int (*fn)(void *ctx, char *dir), void *ctx)
{
	char *mounts, *pos, *line, *dir, *type, *sp;
	size_t len;
	int ret = 0, err;

	mounts = bbpf_cli_slurp("/proc/mounts", MOUNTS_MAX, &len, &err);
	if (!mounts)
		return -ENOENT;
	pos = mounts;
	while (!ret && (line = bbpf_cli_next_line(&pos))) {
		dir = strchr(line, ' ');
		if (!dir)
			continue;
		dir++;
		sp = strchr(dir, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		type = sp + 1;
		sp = strchr(type, ' ');
		if (sp)
			*sp = '\0';
		if (!strncmp(type, fstype, n))
			ret = fn(ctx, dir);
	}
	free(mounts);
	return ret;
}

static int pin_mount(void *ctx, char *dir)
{
	struct pin_walk *w = ctx;
	char path[4096];
	size_t n;

	unescape(dir);
	n = strlen(dir);
	if (n < sizeof(path)) {
		memcpy(path, dir, n + 1);	/* not strcpy(): musl's stpcpy for a few copies */
		pin_dir(w, path, n, sizeof(path), 0);
	}
	return w->err;
}

int bbpf_cli_kobj_pinned_table(struct bbpf_cli_kobj *k, enum bbpf_cli_obj_type type,
			       struct bbpf_cli_idmap *m)
{
	struct pin_walk w = { .k = k, .type = type, .m = m };

	m->built = true;
	/* no /proc/mounts: no table, bpftool shows no "pinned" either */
	bbpf_cli_kobj_mounts("bpf", 3, pin_mount, &w);
	return w.err;
}

void bbpf_cli_kobj_print_pinned(struct bbpf_cli_kobj *k, const struct bbpf_cli_idmap *m,
				uint32_t id)
{
	size_t *idx, n, i;

	if (!m->built || !m->cnt)
		return;
	idx = malloc(m->cnt * sizeof(*idx));
	if (!idx)
		return;
	n = bbpf_cli_idmap_get(m, id, idx);
	if (k->json) {
		bbpf_cli_json_key(&k->j, "pinned");
		bbpf_cli_json_arr_begin(&k->j);
		for (i = 0; i < n; i++)
			bbpf_cli_json_str(&k->j, m->e[idx[i]].str);
		bbpf_cli_json_arr_end(&k->j);
	} else {
		for (i = 0; i < n; i++)
			bbpf_cli_kobj_printf(k, "\n\tpinned %s", m->e[idx[i]].str);
	}
	free(idx);
}

/* ---- formats ---- */

void bbpf_cli_kobj_j(struct bbpf_cli_kobj *k, enum bbpf_cli_kobj_jop op)
{
	static void (*const ops[])(struct bbpf_cli_json *j) = {
		bbpf_cli_json_obj_begin, bbpf_cli_json_arr_begin, bbpf_cli_json_obj_end,
		bbpf_cli_json_arr_end, bbpf_cli_json_null, bbpf_cli_json_obj_end,
	};

	if (k->json)
		ops[op](&k->j);
	else if (op == BBPF_CLI_J_LINE_END)
		bbpf_cli_kobj_printf(k, "\n");
}

BBPF_NO_FP_VARARGS
void bbpf_cli_kobj_printf(struct bbpf_cli_kobj *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bbpf_cli_vfprintf(k->out, fmt, ap);
	va_end(ap);
}

void bbpf_cli_kobj_hex(bbpf_cli_file *f, const void *p, size_t n)
{
	const unsigned char *b = p;
	char s[8];
	size_t i;

	for (i = 0; i < n; i++) {
		bbpf_snprintf(s, sizeof(s), "%s%02x", !i ? "" : !(i % 16) ? "\n" : !(i % 8) ? "  " : " ",
			      b[i]);
		bbpf_cli_write(f, s, strlen(s));
	}
}

int64_t bbpf_cli_kobj_load_time(struct bbpf_cli_kobj *k, uint64_t nsecs, char *buf, size_t size)
{
	struct timespec rt, bt;
	struct bbpf_cli_tm tm;
	time_t secs;

	if (k->sys->clock_gettime(k->sys->ctx, CLOCK_REALTIME, &rt) ||
	    k->sys->clock_gettime(k->sys->ctx, CLOCK_BOOTTIME, &bt)) {
		bbpf_snprintf(buf, size, "%llu", (unsigned long long)(nsecs / 1000000000));
		return (int64_t)(nsecs / 1000000000);
	}
	/* As bpftool: the boot's wall-clock time plus the load time, in u64 arithmetic. */
	secs = (time_t)((uint64_t)(rt.tv_sec - bt.tv_sec) +
			((uint64_t)(rt.tv_nsec - bt.tv_nsec) + nsecs) / 1000000000);
	/*
	 * bpftool prints local time; this is UTC (+0000), the same where the
	 * system's time zone is UTC, as embedded images usually are: the
	 * time-zone code would be 5 KiB of the static binary (README).
	 */
	bbpf_cli_utc((int64_t)secs, &tm);
	bbpf_snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d+0000", tm.year, tm.mon, tm.mday,
		      tm.hour, tm.min, tm.sec);
	return (int64_t)secs;
}

int bbpf_cli_kobj_stat(const char *path, bool nofollow, struct bbpf_cli_stat *st)
{
	struct statx sx;
	long err = bbpf_sys_linux.statx(NULL, AT_FDCWD, path, nofollow ? AT_SYMLINK_NOFOLLOW : 0,
					STATX_TYPE | STATX_INO, &sx);

	if (err)
		return (int)err;
	st->mode = sx.stx_mode;
	st->dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	st->ino = sx.stx_ino;
	return 0;
}

/*
 * The interface name, if the object's network namespace is ours: as
 * if_indextoname(), SIOCGIFNAME on a socket, through the syscall table.
 */
static const char *ifname_ns(struct bbpf_cli_kobj *k, uint32_t ifindex, uint64_t ns_dev,
			     uint64_t ns_ino, char *buf)
{
	struct bbpf_cli_stat st;
	struct ifreq ifr;
	long fd, err;

	if (bbpf_cli_kobj_stat("/proc/self/ns/net", false, &st) || st.dev != ns_dev ||
	    st.ino != ns_ino)
		return NULL;
	fd = k->sys->socket(k->sys->ctx, AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		return NULL;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = (int)ifindex;
	err = k->sys->ioctl(k->sys->ctx, (int)fd, SIOCGIFNAME, (unsigned long)(uintptr_t)&ifr);
	bbpf_cli_kobj_fdclose(k, (int)fd);
	if (err)
		return NULL;
	memcpy(buf, ifr.ifr_name, IF_NAMESIZE);
	buf[IF_NAMESIZE - 1] = '\0';
	return buf;
}

void bbpf_cli_kobj_print_dev(struct bbpf_cli_kobj *k, uint32_t ifindex, uint64_t ns_dev,
			     uint64_t ns_ino)
{
	char name[IF_NAMESIZE];
	const char *n;

	if (!ifindex)
		return;
	n = ifname_ns(k, ifindex, ns_dev, ns_ino, name);
	if (k->json) {
		bbpf_cli_json_kvs(&k->j, "{dev\0uifindex\0uns_dev\0uns_inode\0", (uint64_t)ifindex,
				  ns_dev, ns_ino);
		if (n)
			bbpf_cli_json_kv_str(&k->j, "ifname", n);
		bbpf_cli_json_obj_end(&k->j);
	} else if (n) {
		bbpf_cli_kobj_printf(k, "  offloaded_to %s", n);
	} else {
		bbpf_cli_kobj_printf(k, "  offloaded_to ifindex %u ns_dev %llu ns_ino %llu", ifindex,
				     (unsigned long long)ns_dev, (unsigned long long)ns_ino);
	}
}

void bbpf_cli_kobj_ids(struct bbpf_cli_kobj *k, const char *key, const uint32_t *ids, size_t n)
{
	size_t i;

	if (k->json) {
		bbpf_cli_json_key(&k->j, key);
		bbpf_cli_json_arr_begin(&k->j);
	}
	for (i = 0; i < n; i++) {
		if (k->json)
			bbpf_cli_json_u64(&k->j, ids[i]);
		else if (!i)
			bbpf_cli_kobj_printf(k, "  %s %u", key, ids[i]);
		else
			bbpf_cli_kobj_printf(k, ",%u", ids[i]);
	}
	bbpf_cli_kobj_j(k, BBPF_CLI_J_ARR_END);
}

void bbpf_cli_kobj_u(struct bbpf_cli_kobj *k, const char *key, const char *fmt, uint64_t v)
{
	if (k->json)
		bbpf_cli_json_kv_u64(&k->j, key, v);
	else
		bbpf_cli_kobj_printf(k, fmt, (unsigned long long)v);
}

void bbpf_cli_kobj_s(struct bbpf_cli_kobj *k, const char *key, const char *fmt, const char *s)
{
	if (k->json)
		bbpf_cli_json_kv_str(&k->j, key, s);
	else
		bbpf_cli_kobj_printf(k, fmt, s);
}

void bbpf_cli_kobj_named(struct bbpf_cli_kobj *k, const char *key, const char *s, uint64_t v,
			 const char *sfmt, const char *vfmt)
{
	if (s)
		bbpf_cli_kobj_s(k, key, sfmt, s);
	else
		bbpf_cli_kobj_u(k, key, vfmt, v);
}

void bbpf_cli_kobj_head(struct bbpf_cli_kobj *k, uint32_t id, const char *type_s, uint32_t type,
			const char *name)
{
	bbpf_cli_kobj_u(k, "id", "%llu: ", id);
	bbpf_cli_kobj_named(k, "type", type_s, type, "%s  ", "type %llu  ");
	if (name && name[0])
		bbpf_cli_kobj_s(k, "name", "name %s  ", name);
}
