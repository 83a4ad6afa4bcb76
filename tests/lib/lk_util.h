/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For tests/kernel/test_load_kernel.c, test_load_kernel2.c and
 * test_core_kernel.c: real-kernel helpers (a private pin root per test, log
 * capture, kernel object id sets, fixture access). Everything is static
 * inline so that each test file uses what it needs. Include after
 * <cmocka.h>. Tests using lk_setup start with TK_NEED_KERNEL().
 */
#ifndef LK_UTIL_H
#define LK_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/magic.h>

#include <barebpf/loader.h>
#include "kernel_avail.h"
#include "kern/kern.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define LK_MAX_OBJS 4
#define LK_LOG_SIZE (256 * 1024)

static const struct bbpf_sys *const lk_sys = &bbpf_sys_linux;

/* Per-test state: the pin root, captured log, objects closed at teardown. */
struct lk_ids;

struct lk {
	char root[128];			/* /sys/fs/bpf/bbpf_lk_<pid> */
	bool root_made;
	char outside[128];		/* a path a test made sure did not exist */
	struct bbpf_ctx *ctx, *ctx2;	/* ctx2: a test's own, freed at teardown */
	struct bbpf_link *links[LK_MAX_OBJS];	/* standalone links, destroyed at teardown */
	struct bbpf_object *objs[LK_MAX_OBJS];
	void *bufs[LK_MAX_OBJS];	/* buffers behind open_mem objects */
	struct lk_ids *before;		/* lk_snapshot() */
	char log[LK_LOG_SIZE];
	size_t log_len;
};

static inline void lk_log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	struct lk *st = ctx;
	int n;

	(void)level;
	if (st->log_len >= sizeof(st->log) - 1)
		return;
	n = snprintf(st->log + st->log_len, sizeof(st->log) - st->log_len, "%s\n", msg);
	if (n > 0)
		st->log_len += (size_t)n;
	if (st->log_len >= sizeof(st->log))
		st->log_len = sizeof(st->log) - 1;
}

static inline void lk_log_clear(struct lk *st)
{
	st->log_len = 0;
	st->log[0] = '\0';
}

/* Remove every entry of dir (bpffs pins are files or one-level dirs), then dir. */
static inline void lk_rm_tree(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		if (unlink(path) != 0)
			lk_rm_tree(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Per test: a fresh pin root and a context using it. Without root or BPF
 * there is nothing to set up: the test skips at its TK_NEED_KERNEL(). A file
 * system that cannot be mounted fails the setup (and so the test).
 */
static inline int lk_setup(void **state)
{
	struct lk *st = calloc(1, sizeof(*st));
	struct bbpf_ctx_opts co;
	const char *why;

	if (!st)
		return -1;
	*state = st;
	if (tk_kernel_unavailable())
		return 0;
	why = tk_mount_fs();
	if (why) {
		print_error("lk_setup: %s\n", why);
		return -1;
	}
	snprintf(st->root, sizeof(st->root), "/sys/fs/bpf/bbpf_lk_%d", (int)getpid());
	lk_rm_tree(st->root);	/* a leftover of a crashed run with the same pid */
	if (mkdir(st->root, 0700) != 0)
		return -1;
	st->root_made = true;
	memset(&co, 0, sizeof(co));
	co.log = lk_log_cb;
	co.log_ctx = st;
	co.pin_root = st->root;
	return bbpf_ctx_new(&st->ctx, &co) ? -1 : 0;
}

static inline int lk_teardown(void **state)
{
	struct lk *st = *state;
	size_t i;

	for (i = 0; i < LK_MAX_OBJS; i++)
		bbpf_link_destroy(st->links[i]);
	for (i = 0; i < LK_MAX_OBJS; i++) {
		bbpf_object_close(st->objs[i]);
		free(st->bufs[i]);
	}
	bbpf_ctx_free(st->ctx);
	bbpf_ctx_free(st->ctx2);
	free(st->before);
	if (st->root_made)
		lk_rm_tree(st->root);
	if (st->outside[0])
		unlink(st->outside);
	free(st);
	return 0;
}

/* Open a fixture into slot i (closed at teardown); the object's log is captured too. */
static inline struct bbpf_object *lk_open(struct lk *st, size_t i, const char *name)
{
	struct bbpf_open_opts oo = { .log = lk_log_cb, .log_ctx = st };
	char path[512];
	int err;

	assert_true(i < LK_MAX_OBJS);
	assert_null(st->objs[i]);
	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, name);
	err = bbpf_object_open_file(&st->objs[i], path, &oo, NULL);
	if (err)
		fail_msg("open %s: %d (run `make fixtures`)", path, err);
	return st->objs[i];
}

static inline void lk_close(struct lk *st, size_t i)
{
	bbpf_object_close(st->objs[i]);
	st->objs[i] = NULL;
	free(st->bufs[i]);
	st->bufs[i] = NULL;
}

/*
 * Open a copy of a fixture with every occurrence of from replaced by to
 * (same length) into slot i; returns the number of replacements through *n.
 */
static inline struct bbpf_object *lk_open_patched(struct lk *st, size_t i, const char *name,
						  const char *from, const char *to, size_t *n)
{
	struct bbpf_open_opts oo = { .log = lk_log_cb, .log_ctx = st, .object_name = "patched" };
	size_t len = strlen(from), size, off;
	char path[512];
	uint8_t *buf;
	long end;
	FILE *f;
	int err;

	assert_int_equal(strlen(to), len);
	assert_true(i < LK_MAX_OBJS);
	assert_null(st->objs[i]);
	snprintf(path, sizeof(path), "%s/%s", BBPF_FIXTURE_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("open %s (run `make fixtures`)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	end = ftell(f);
	assert_true(end > 0);
	size = (size_t)end;
	rewind(f);
	buf = malloc(size);
	assert_non_null(buf);
	st->bufs[i] = buf;
	assert_int_equal(fread(buf, 1, size, f), size);
	fclose(f);
	*n = 0;
	for (off = 0; off + len <= size; off++)
		if (!memcmp(buf + off, from, len)) {
			memcpy(buf + off, to, len);
			(*n)++;
		}
	err = bbpf_object_open_mem(&st->objs[i], buf, size, &oo, NULL);
	if (err)
		fail_msg("open_mem of patched %s: %d\nlog:\n%s", name, err, st->log);
	return st->objs[i];
}

static inline int lk_load(struct lk *st, struct bbpf_object *obj)
{
	struct bbpf_load_opts lo = { .ctx = st->ctx };

	return bbpf_object_load(obj, &lo);
}

static inline void lk_load_ok(struct lk *st, struct bbpf_object *obj)
{
	int err = lk_load(st, obj);

	if (err)
		fail_msg("bbpf_object_load(%s): %d\nlog:\n%s", bbpf_object_name(obj), err, st->log);
}

static inline struct bbpf_map *lk_map(struct bbpf_object *obj, const char *name)
{
	struct bbpf_map *m = bbpf_object_find_map(obj, name);

	if (!m)
		fail_msg("no map '%s'", name);
	return m;
}

static inline void lk_map_info(int fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	assert_int_equal(bbpf_cmd_obj_info(lk_sys, fd, info, &len), 0);
}

static inline uint32_t lk_map_id(int fd)
{
	struct bpf_map_info info;

	lk_map_info(fd, &info);
	return info.id;
}

static inline uint32_t lk_prog_id(int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(lk_sys, fd, &info, &len), 0);
	return info.id;
}

/* ---- kernel object id sets ---- */

#define LK_MAX_IDS 8192

struct lk_ids {
	uint32_t progs[LK_MAX_IDS], maps[LK_MAX_IDS];
	size_t prog_cnt, map_cnt;
};

static inline void lk_ids_get(struct lk_ids *s)
{
	uint32_t cur = 0, next;

	s->prog_cnt = s->map_cnt = 0;
	while (bbpf_cmd_prog_get_next_id(lk_sys, cur, &next) == 0 && s->prog_cnt < LK_MAX_IDS)
		s->progs[s->prog_cnt++] = cur = next;
	cur = 0;
	while (bbpf_cmd_map_get_next_id(lk_sys, cur, &next) == 0 && s->map_cnt < LK_MAX_IDS)
		s->maps[s->map_cnt++] = cur = next;
}

static inline bool lk_has(const uint32_t *ids, size_t cnt, uint32_t id)
{
	size_t i;

	for (i = 0; i < cnt; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * Whether this process holds the object: a bpf fd of ours (fdinfo's
 * prog_id/map_id/link's prog_id) is it, or is a program using the map.
 * Kernel objects outlive a process only through fds, pins (checked by the
 * tests separately) and attachments made through fds, so a leak of ours is
 * one of these.
 */
static inline bool lk_ours(bool is_map, uint32_t id)
{
	char path[64], line[128];
	struct dirent *de;
	bool found = false;
	DIR *d = opendir("/proc/self/fdinfo");

	assert_non_null(d);
	while (!found && (de = readdir(d))) {
		unsigned int v;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%.20s", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f)) {
			if (is_map && sscanf(line, "map_id: %u", &v) == 1 && v == id)
				found = true;
			if (!is_map && sscanf(line, "prog_id: %u", &v) == 1 && v == id)
				found = true;
			if (is_map && sscanf(line, "prog_id: %u", &v) == 1) {
				struct bpf_prog_info pi;
				uint32_t len = sizeof(pi), ids[64], i;
				int fd = bbpf_cmd_prog_get_fd_by_id(lk_sys, v);

				memset(&pi, 0, sizeof(pi));
				pi.nr_map_ids = 64;
				pi.map_ids = (uint64_t)(uintptr_t)ids;
				if (fd >= 0 && !bbpf_cmd_obj_info(lk_sys, fd, &pi, &len))
					for (i = 0; i < pi.nr_map_ids && i < 64; i++)
						found = found || ids[i] == id;
				if (fd >= 0)
					lk_sys->close(lk_sys->ctx, fd);
			}
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

/* An id in now, not in before, that this process holds; 0 if none. */
static inline uint32_t lk_new_id(const struct lk_ids *before, const struct lk_ids *now,
				 const char **kind)
{
	size_t i;

	for (i = 0; i < now->prog_cnt; i++)
		if (!lk_has(before->progs, before->prog_cnt, now->progs[i]) &&
		    lk_ours(false, now->progs[i])) {
			*kind = "program";
			return now->progs[i];
		}
	for (i = 0; i < now->map_cnt; i++)
		if (!lk_has(before->maps, before->map_cnt, now->maps[i]) &&
		    lk_ours(true, now->maps[i])) {
			*kind = "map";
			return now->maps[i];
		}
	return 0;
}

/* The kernel's programs and maps now, into st->before. */
static inline void lk_snapshot(struct lk *st)
{
	if (!st->before)
		st->before = malloc(sizeof(*st->before));
	assert_non_null(st->before);
	lk_ids_get(st->before);
}

/*
 * No program or map of ours beyond those in before. Other processes (test
 * binaries run in parallel) may create objects meanwhile: new ids count
 * only if this process holds them (lk_ours). The kernel frees
 * asynchronously: up to 2 s.
 */
static inline void lk_expect_no_new_ids(const struct lk_ids *before)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct lk_ids *now = malloc(sizeof(*now));
	const char *kind = "";
	uint32_t id = 0;
	int tries;

	assert_non_null(now);
	for (tries = 0; tries < 200; tries++) {
		lk_ids_get(now);
		id = lk_new_id(before, now, &kind);
		if (!id)
			break;
		nanosleep(&ts, NULL);
	}
	free(now);
	if (id)
		fail_msg("%s id %u held by this process after 2 s", kind, id);
}

/* Possible CPUs from /sys/devices/system/cpu/possible ("0-3,8-11"), parsed here. */
static inline int lk_possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[1024], *p;
	int n = 0;

	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	p = buf;
	while (*p && *p != '\n') {
		long a = strtol(p, &p, 10), b = a;

		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		n += (int)(b - a + 1);
		if (*p == ',')
			p++;
	}
	return n;
}

#endif
