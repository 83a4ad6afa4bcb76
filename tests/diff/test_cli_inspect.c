// SPDX-License-Identifier: BSD-2-Clause
/*
 * barebpf's kernel-inspection commands against bpftool 7.1, on the same
 * kernel objects: tests/bpf/cli_inspect.bpf.o loaded by "bpftool prog
 * loadall ... pinmaps ...", links made here (raw_tp, iter, cgroup, netns,
 * xdp, perf_event), a perf event held by this process, programs attached
 * to a test cgroup. For each command the JSON of "barebpf -j X" and
 * "bpftool -j X" is parsed and compared member by member (names, order,
 * values), and the text forms are compared line by line.
 *
 * What may differ, and why (see README "CLI: kernel objects"):
 *  - loaded_at: both compute boot time + load time from two clock reads;
 *    one second apart is accepted;
 *  - run_time_ns, run_cnt: only with kernel.bpf_stats_enabled, and they
 *    grow between the two runs; duration (prog run): a timing;
 *  - "formatted" (map dump, JSON): bpftool's BTF-decoded values; barebpf
 *    prints the hex form and leaves the BTF printer's hook empty; for the
 *    same reason the text dump of a map with BTF is compared with the
 *    layout bpftool uses for maps without BTF, rebuilt from bpftool's JSON;
 *  - strings: bpftool 7.1's JSON writer turns a backslash into "\n"
 *    (json_writer.c); barebpf's strings are compared after that mapping;
 *  - btf show: prog_ids/map_ids orders are compared exactly only when no
 *    program or map appeared or vanished between the two runs (other tests
 *    run at the same time on this machine), as sets otherwise;
 *  - map show of all maps: bpftool 7.1 reuses one info buffer for every map
 *    and, on kernels since 6.16 (which read it back in), shows the previous
 *    map's btf_id for maps that have none; btf_id is compared per map there;
 *  - feature probe: barebpf also probes what bpftool 7.1 does not know
 *    (netfilter programs, cgrp_storage and arena maps, helpers 210-211).
 * Every object is named with this process's pid and removed at the end.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "kern/kern.h"
#include "json_mini.h"
#include "kernel_avail.h"
#include "proc_run.h"
#include "ref_tools.h"

#define CLI BBPF_BUILD_DIR "/barebpf"
#define FIX BBPF_FIXTURE_DIR "/cli_inspect.bpf.o"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CG2_ROOT "/sys/fs/cgroup/unified"

static const char *const progs[] = {
	"ci_xdp", "ci_xdp_tail", "ci_xdp_link", "ci_sock", "ci_tp", "ci_raw_tp", "ci_iter", "ci_cg",
	"ci_sk_lookup",
};
/* Maps whose contents change only when a test changes them. */
static const char *const stable_maps[] = {
	"ci_hash", "ci_array", "ci_pcpu_hash", "ci_pcpu_array", "ci_lru", "ci_inner", "ci_outer",
	"ci_jmp", "cli_insp_rodata", "cli_insp_data",
};
static const char *const all_maps[] = {
	"ci_hash", "ci_array", "ci_pcpu_hash", "ci_pcpu_array", "ci_lru", "ci_inner", "ci_outer",
	"ci_jmp", "ci_queue", "ci_stack", "ci_rb", "cli_insp_rodata", "cli_insp_data",
	"cli_insp_bss",
};
static const char *const links[] = { "raw_tp", "iter", "cgroup", "netns", "xdp", "perf" };

/* The kernel's name of a pinned map: bpftool pins "cli_insp.rodata" as cli_insp_rodata. */
static const char *map_name(const char *pin)
{
	static char name[32];
	char *us;

	snprintf(name, sizeof(name), "%s", pin);
	if (!strncmp(name, "cli_insp_", 9)) {
		us = strchr(name, '_');
		us = strchr(us + 1, '_');
		*us = '.';
	}
	return name;
}

static struct {
	const char *skip;	/* kernel tests cannot run: why */
	const char *bpftool;
	char progs[64], maps[64], links[64], tmp[64], cg[128];
	int pid;
	bool loaded, cg_made, cg_child;
	int held[8];		/* fds kept open: the perf events, a raw tracepoint */
	size_t held_cnt;
	uint32_t btf_id;
} env;

/* ---- running the tools ---- */

struct out {
	int code;
	char *out, *err;
};

static struct out run_argv(char **argv)
{
	struct proc_run r;
	struct out o;

	if (proc_run(argv, &r))
		fail_msg("cannot run %s", argv[0]);
	if (WIFSIGNALED(r.status))
		fail_msg("%s died by signal %d; stderr: %s", argv[0], WTERMSIG(r.status), r.err);
	o.code = WEXITSTATUS(r.status);
	o.out = r.out;
	o.err = r.err;
	return o;
}

/* tool and a line of arguments split at spaces (no path here has one). */
static struct out run(const char *tool, const char *fmt, ...)
{
	char line[4096], *argv[64], *save = NULL, *w;
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[n++] = (char *)tool;
	for (w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		assert_true(n + 1 < ARRAY_LEN(argv));
		argv[n++] = w;
	}
	argv[n] = NULL;
	return run_argv(argv);
}

static void out_free(struct out *o)
{
	free(o->out);
	free(o->err);
}

static struct jm_value *parse(const struct out *o, const char *what)
{
	struct jm_value *v = jm_parse(o->out);

	if (!v)
		fail_msg("%s: not one JSON document:\n%s\nstderr: %s", what, o->out, o->err);
	return v;
}

/* ---- comparing JSON ---- */

static bool member_is(const char *key, const char *const *set)
{
	for (; set && *set; set++)
		if (!strcmp(key, *set))
			return true;
	return false;
}

static const char *const no_keys[] = { NULL };
/* Members that legitimately differ between two runs (see the file comment). */
static const char *const volatile_keys[] = { "run_time_ns", "run_cnt", "duration", NULL };

/* bpftool 7.1's JSON writer prints '\\' as "\n": map ours the same way. */
static char *bpftool_string(const char *s, size_t len)
{
	char *r = malloc(len + 1);
	size_t i;

	assert_non_null(r);
	for (i = 0; i < len; i++)
		r[i] = s[i] == '\\' ? '\n' : s[i];
	r[len] = '\0';
	return r;
}

static bool jeq(const struct jm_value *mine, const struct jm_value *ref, const char *path,
		const char *const *skip, char *why, size_t wlen)
{
	char sub[512];
	size_t i, j;

	if (mine->type != ref->type) {
		snprintf(why, wlen, "%s: type %d vs bpftool's %d", path, mine->type, ref->type);
		return false;
	}
	switch (mine->type) {
	case JM_NULL:
		return true;
	case JM_BOOL:
		if (mine->boolean == ref->boolean)
			return true;
		snprintf(why, wlen, "%s: %d vs %d", path, mine->boolean, ref->boolean);
		return false;
	case JM_NUMBER:
		if (!strcmp(strrchr(path, '.') ? strrchr(path, '.') + 1 : path, "loaded_at") &&
		    mine->neg == ref->neg && (mine->num + 1 >= ref->num && mine->num <= ref->num + 1))
			return true;	/* two clock reads: one second apart at most */
		if (mine->num == ref->num && mine->neg == ref->neg)
			return true;
		snprintf(why, wlen, "%s: %s%llu vs bpftool's %s%llu", path, mine->neg ? "-" : "",
			 mine->num, ref->neg ? "-" : "", ref->num);
		return false;
	case JM_STRING: {
		char *m = bpftool_string(mine->str, mine->str_len);
		bool eq = mine->str_len == ref->str_len && !memcmp(m, ref->str, ref->str_len);

		if (!eq)
			snprintf(why, wlen, "%s: \"%s\" vs bpftool's \"%s\"", path, mine->str, ref->str);
		free(m);
		return eq;
	}
	case JM_ARRAY:
		if (mine->len != ref->len) {
			snprintf(why, wlen, "%s: %zu items vs bpftool's %zu", path, mine->len, ref->len);
			return false;
		}
		for (i = 0; i < mine->len; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (!jeq(&mine->items[i], &ref->items[i], sub, skip, why, wlen))
				return false;
		}
		return true;
	case JM_OBJECT:
		/* Same members in the same order, less the skipped ones. */
		for (i = 0, j = 0;; i++, j++) {
			while (i < mine->len && member_is(mine->keys[i], skip))
				i++;
			while (j < ref->len && member_is(ref->keys[j], skip))
				j++;
			if (i == mine->len || j == ref->len)
				break;
			snprintf(sub, sizeof(sub), "%s.%s", path, ref->keys[j]);
			if (strcmp(mine->keys[i], ref->keys[j])) {
				snprintf(why, wlen, "%s: member \"%s\" where bpftool has \"%s\"", path,
					 mine->keys[i], ref->keys[j]);
				return false;
			}
			if (!jeq(&mine->items[i], &ref->items[j], sub, skip, why, wlen))
				return false;
		}
		if (i != mine->len || j != ref->len) {
			snprintf(why, wlen, "%s: member \"%s\" only in %s", path,
				 i < mine->len ? mine->keys[i] : ref->keys[j],
				 i < mine->len ? "barebpf's" : "bpftool's");
			return false;
		}
		return true;
	}
	return false;
}

/* Compare "barebpf -j ARGS" with "bpftool -j ARGS": both succeed, same JSON (less skip). */
static void same_json_skip(const char *args, const char *const *skip)
{
	struct out m = run(CLI, "-j %s", args), b = run(env.bpftool, "-j %s", args);
	struct jm_value *jm, *jb;
	char why[1024];

	if (b.code != 0)
		fail_msg("bpftool -j %s failed (%d): %s%s", args, b.code, b.out, b.err);
	if (m.code != 0)
		fail_msg("barebpf -j %s failed (%d): %s%s", args, m.code, m.out, m.err);
	assert_string_equal(m.err, "");
	jm = parse(&m, args);
	jb = parse(&b, args);
	if (!jeq(jm, jb, "$", skip, why, sizeof(why)))
		fail_msg("barebpf -j %s differs from bpftool: %s\nbarebpf: %s\nbpftool: %s", args,
			 why, m.out, b.out);
	jm_free(jm);
	jm_free(jb);
	out_free(&m);
	out_free(&b);
}

static void same_json(const char *args)
{
	same_json_skip(args, volatile_keys);
}

/* Text output: equal line for line; a "loaded_at" line may differ in its seconds. */
static void same_text(const char *args)
{
	struct out m = run(CLI, "%s", args), b = run(env.bpftool, "%s", args);
	char *lm, *lb, *sm = NULL, *sb = NULL;

	if (b.code != 0)
		fail_msg("bpftool %s failed (%d): %s", args, b.code, b.err);
	if (m.code != 0)
		fail_msg("barebpf %s failed (%d): %s", args, m.code, m.err);
	lm = strtok_r(m.out, "\n", &sm);
	lb = strtok_r(b.out, "\n", &sb);
	for (; lm && lb; lm = strtok_r(NULL, "\n", &sm), lb = strtok_r(NULL, "\n", &sb)) {
		if (!strncmp(lb, "\tloaded_at ", 11) && !strncmp(lm, "\tloaded_at ", 11) &&
		    strlen(lm) == strlen(lb) && !strcmp(strstr(lm, "  uid"), strstr(lb, "  uid")))
			continue;	/* the time itself: see same_json's tolerance */
		if (strcmp(lm, lb))
			fail_msg("barebpf %s: line\n  %s\nwhere bpftool prints\n  %s", args, lm, lb);
	}
	if (lm || lb)
		fail_msg("barebpf %s: %s has more lines (%s)", args, lm ? "barebpf" : "bpftool",
			 lm ? lm : lb);
	out_free(&m);
	out_free(&b);
}

/* Pretty JSON: byte for byte (bpftool's layout) when nothing varies. */
static void same_pretty(const char *args)
{
	struct out m = run(CLI, "-p %s", args), b = run(env.bpftool, "-p %s", args);

	assert_int_equal(b.code, 0);
	assert_int_equal(m.code, 0);
	if (strcmp(m.out, b.out))
		fail_msg("barebpf -p %s:\n%s\nbpftool -p:\n%s", args, m.out, b.out);
	out_free(&m);
	out_free(&b);
}

/* An error: JSON {"error": string} on stdout, nothing on stderr, non-zero. */
static void json_error(const char *tool, const char *args)
{
	struct out o = run(tool, "-j %s", args);
	struct jm_value *v;

	if (o.code == 0)
		fail_msg("%s -j %s: exit 0, expected a failure", tool, args);
	v = jm_parse(o.out);
	if (!v || v->type != JM_OBJECT || v->len != 1 || strcmp(v->keys[0], "error") ||
	    v->items[0].type != JM_STRING || !v->items[0].str_len)
		fail_msg("%s -j %s: not {\"error\": \"...\"}: %s", tool, args, o.out);
	if (tool == (const char *)CLI && o.err[0])
		fail_msg("barebpf -j %s wrote to stderr: %s", args, o.err);
	jm_free(v);
	out_free(&o);
}

/* Without -j: nothing on stdout, one "barebpf: " line on stderr, non-zero. */
static void text_error(const char *args)
{
	struct out o = run(CLI, "%s", args);

	if (o.code == 0)
		fail_msg("barebpf %s: exit 0, expected a failure", args);
	if (o.out[0] || proc_line_count(o.err) != 1 || strncmp(o.err, "barebpf: ", 9))
		fail_msg("barebpf %s: stdout '%s', stderr '%s' (want one 'barebpf: ' line)", args,
			 o.out, o.err);
	out_free(&o);
}

/* ---- the objects ---- */

static int obj_get(const char *path)
{
	int fd = bbpf_cmd_obj_get(&bbpf_sys_linux, path, 0);

	if (fd < 0)
		fail_msg("cannot open %s: %d", path, fd);
	return fd;
}

static void hold(int fd)
{
	assert_true(env.held_cnt < ARRAY_LEN(env.held));
	env.held[env.held_cnt++] = fd;
}

static uint32_t obj_id(int fd)
{
	union {
		struct bpf_prog_info p;
		struct bpf_map_info m;
		struct bpf_link_info l;
	} u;
	uint32_t len = sizeof(u);

	memset(&u, 0, sizeof(u));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, fd, &u, &len), 0);
	return u.p.id;	/* every info starts with type, then id */
}

static uint32_t prog_id(const char *name)
{
	char path[128];
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", env.progs, name);
	fd = obj_get(path);
	memset(&info, 0, sizeof(info));
	assert_int_equal(bbpf_cmd_obj_info(&bbpf_sys_linux, fd, &info, &len), 0);
	close(fd);
	return info.id;
}

static void pin_link(int fd, const char *name)
{
	char path[128];

	if (fd < 0)
		fail_msg("link '%s': cannot create it: %d", name, fd);
	snprintf(path, sizeof(path), "%s/%s", env.links, name);
	assert_int_equal(bbpf_cmd_obj_pin(&bbpf_sys_linux, fd, path), 0);
	close(fd);
}

/* A program's fd for one use: the last one is closed when the next is asked for. */
static int prog_fd(const char *name)
{
	static int last = -1;
	char path[128];

	if (last >= 0)
		close(last);
	snprintf(path, sizeof(path), "%s/%s", env.progs, name);
	last = obj_get(path);
	return last;
}

/* A tracepoint's id from tracefs, for perf_event_open(). */
static uint64_t tracepoint_id(const char *cat, const char *name)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256], buf[32];
	size_t i;
	FILE *f;

	for (i = 0; i < ARRAY_LEN(roots); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/id", roots[i], cat, name);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f)) {
			fclose(f);
			return strtoull(buf, NULL, 10);
		}
		if (f)
			fclose(f);
	}
	fail_msg("no tracefs id for %s/%s (is tracefs mounted?)", cat, name);
	return 0;
}

static int perf_tp(uint64_t id)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = id;
	a.sample_period = 1;
	a.wakeup_events = 1;
	fd = (int)syscall(__NR_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		fail_msg("perf_event_open: %s", strerror(errno));
	return fd;
}

static int cg_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	return fd;
}

static void prog_attach(int prog, int target, enum bpf_attach_type type, uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)target;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = type;
	a.attach_flags = flags;
	assert_int_equal(bbpf_bpf(&bbpf_sys_linux, BPF_PROG_ATTACH, &a), 0);
}

/* Fill the maps whose contents the dump tests compare. */
static void fill_maps(void)
{
	static const char *const updates[] = {
		"ci_hash key 1 0 0 0 value 1 0 0 0 0 0 0 0",
		"ci_hash key hex 02 00 00 00 value hex 0a 0b 0c 0d 0e 0f 10 11",
		"ci_array key 3 0 0 0 value 7 0 0 0 9 0 0 0",
		"ci_pcpu_hash key 5 0 0 0 value 1 2 3 4",
		"ci_pcpu_array key 1 0 0 0 value 1 2 3 4 5 6 7 8 9 10 11 12",
		"ci_lru key 1 2 3 4 5 6 7 8 value 1 2 3 4 5 6 7 8 9 10 11 12",
	};
	struct out o;
	size_t i;

	for (i = 0; i < ARRAY_LEN(updates); i++) {
		o = run(env.bpftool, "map update pinned %s/%s", env.maps, updates[i]);
		if (o.code)
			fail_msg("bpftool map update %s: %s", updates[i], o.err);
		out_free(&o);
	}
}

/* proc_run() takes a path: bpftool as found on PATH (Debian: /usr/sbin). */
static const char *bpftool_path(void)
{
	static char path[256];
	const char *tool = ref_bpftool();
	char *found, *nl;

	if (!tool || strchr(tool, '/'))
		return tool;
	found = proc_capture("command -v bpftool");
	if (!found)
		return NULL;
	nl = strchr(found, '\n');
	if (nl)
		*nl = '\0';
	snprintf(path, sizeof(path), "%s", found);
	free(found);
	return path[0] == '/' ? path : NULL;
}

static int teardown(void **state);

static int setup_objects(void)
{
	struct out o;
	int fd, cg, child;

	env.skip = tk_kernel_unavailable();
	if (env.skip)
		return 0;
	env.bpftool = bpftool_path();
	env.pid = getpid();
	snprintf(env.progs, sizeof(env.progs), "/sys/fs/bpf/bbpf_cli_inspect_%d_progs", env.pid);
	snprintf(env.maps, sizeof(env.maps), "/sys/fs/bpf/bbpf_cli_inspect_%d_maps", env.pid);
	snprintf(env.links, sizeof(env.links), "/sys/fs/bpf/bbpf_cli_inspect_%d_links", env.pid);
	snprintf(env.tmp, sizeof(env.tmp), "/sys/fs/bpf/bbpf_cli_inspect_%d_tmp", env.pid);
	snprintf(env.cg, sizeof(env.cg), CG2_ROOT "/bbpf_cli_inspect_%d", env.pid);
	if (!env.bpftool)
		return 0;	/* each test fails on it: a missing reference tool is a failure */
	/* A network namespace of our own: the XDP and sk_lookup links stay in it. */
	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	o = run(env.bpftool, "prog loadall %s %s pinmaps %s", FIX, env.progs, env.maps);
	env.loaded = o.code == 0;
	if (!env.loaded) {
		fprintf(stderr, "bpftool prog loadall %s: %s\n", FIX, o.err);
		out_free(&o);
		return -1;
	}
	out_free(&o);
	if (mkdir(env.links, 0700) || mkdir(env.tmp, 0700))
		return -1;
	/* A second copy: "name" handles then match two programs or maps. */
	o = run(env.bpftool, "prog loadall %s %s/second pinmaps %s/second_maps", FIX, env.tmp,
		env.tmp);
	if (o.code) {
		fprintf(stderr, "bpftool prog loadall (second copy): %s\n", o.err);
		out_free(&o);
		return -1;
	}
	out_free(&o);
	/* Links: raw tracepoint (its fd also held, for perf list), iter, netns, xdp on lo. */
	fd = bbpf_cmd_raw_tp_open(&bbpf_sys_linux, "xdp_exception", prog_fd("ci_raw_tp"));
	if (fd < 0)
		return -1;
	hold(dup(fd));
	pin_link(fd, "raw_tp");
	pin_link(bbpf_cmd_link_create(&bbpf_sys_linux, prog_fd("ci_iter"), 0, BPF_TRACE_ITER, NULL),
		 "iter");
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	pin_link(bbpf_cmd_link_create(&bbpf_sys_linux, prog_fd("ci_sk_lookup"), fd, BPF_SK_LOOKUP,
				      NULL), "netns");
	close(fd);
	pin_link(bbpf_cmd_link_create(&bbpf_sys_linux, prog_fd("ci_xdp_link"), 1 /* lo */, BPF_XDP,
				      NULL), "xdp");
	/* Perf events on a tracepoint that never fires here: one with the program set by ioctl
	 * and held (perf list), one attached through a link (pinned). */
	fd = perf_tp(tracepoint_id("syscalls", "sys_enter_vhangup"));
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd("ci_tp")))
		return -1;
	hold(fd);
	fd = perf_tp(tracepoint_id("syscalls", "sys_exit_vhangup"));
	pin_link(bbpf_cmd_link_create(&bbpf_sys_linux, prog_fd("ci_tp"), fd, BPF_PERF_EVENT, NULL),
		 "perf");
	hold(fd);
	/* cgroups: attachments by BPF_PROG_ATTACH (multi) and a cgroup link. */
	if (mkdir(env.cg, 0755))
		return -1;
	env.cg_made = true;
	snprintf(env.cg + strlen(env.cg), sizeof(env.cg) - strlen(env.cg), "/child");
	if (mkdir(env.cg, 0755))
		return -1;
	env.cg_child = true;
	env.cg[strlen(env.cg) - strlen("/child")] = '\0';
	cg = cg_open(env.cg);
	prog_attach(prog_fd("ci_cg"), cg, BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI);
	pin_link(bbpf_cmd_link_create(&bbpf_sys_linux, prog_fd("ci_cg"), cg, BPF_CGROUP_INET_EGRESS,
				      NULL), "cgroup");
	close(cg);
	{
		char path[160];

		snprintf(path, sizeof(path), "%s/child", env.cg);
		child = cg_open(path);
		prog_attach(prog_fd("ci_cg"), child, BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI);
		close(child);
	}
	fill_maps();
	return 0;
}

/* cmocka skips the group teardown when the setup fails: clean up here then. */
static int setup(void **state)
{
	int ret = setup_objects();

	if (ret)
		teardown(state);
	return ret;
}

static void rm_dir(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
}

static int teardown(void **state)
{
	char path[160];
	size_t i;

	(void)state;
	for (i = 0; i < env.held_cnt; i++)
		close(env.held[i]);
	if (env.skip)
		return 0;
	rm_dir(env.links);	/* detaches the links */
	rm_dir(env.tmp);
	rm_dir(env.progs);
	rm_dir(env.maps);
	if (env.cg_child) {
		snprintf(path, sizeof(path), "%s/child", env.cg);
		if (rmdir(path))
			fprintf(stderr, "cannot remove %s: %s\n", path, strerror(errno));
	}
	if (env.cg_made && rmdir(env.cg))
		fprintf(stderr, "cannot remove %s: %s\n", env.cg, strerror(errno));
	return 0;
}

#define NEED()								\
	do {								\
		TK_NEED_KERNEL();					\
		if (!env.bpftool)					\
			fail_msg("bpftool not found (make deps)");	\
		assert_true(env.loaded);				\
	} while (0)

/* ---- prog ---- */

static void test_prog_show(void **state)
{
	char args[256];
	uint32_t id;
	size_t i;
	struct out o;
	struct jm_value *v;
	size_t mine = 0, j;

	(void)state;
	NEED();
	for (i = 0; i < ARRAY_LEN(progs); i++) {
		id = prog_id(progs[i]);
		snprintf(args, sizeof(args), "prog show pinned %s/%s", env.progs, progs[i]);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "prog show id %u", id);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "-f prog list id %u", id);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "prog show name %s", progs[i]);
		same_json(args);
	}
	/* tag: ci_xdp's instructions are its own */
	o = run(CLI, "-j prog show pinned %s/ci_xdp", env.progs);
	v = parse(&o, "prog show ci_xdp");
	snprintf(args, sizeof(args), "prog show tag %s", jm_get(v, "tag")->str);
	jm_free(v);
	out_free(&o);
	same_json(args);
	same_text(args);
	/* Every program: ours are in barebpf's list, described as bpftool does each. */
	o = run(CLI, "-j prog");
	v = parse(&o, "prog");
	assert_int_equal(v->type, JM_ARRAY);
	for (j = 0; j < v->len; j++) {
		const struct jm_value *n = jm_get(&v->items[j], "name");

		for (i = 0; n && i < ARRAY_LEN(progs); i++)
			mine += !strcmp(n->str, progs[i]);
	}
	assert_true(mine >= ARRAY_LEN(progs));
	jm_free(v);
	out_free(&o);
}

/*
 * prog dump jited of one pinned program without a disassembler: the bytes
 * (text: 16 a line under "bpf_prog_<tag>_<name>:" headers; -j: names and
 * "0x.." strings; file: raw) number bytes_jited of bpftool's prog show, and
 * the first header names the program as the kernel's kallsyms do.
 */
static void check_jited(const char *prog, const char *file)
{
	struct jm_value *show, *v;
	unsigned long long want, got = 0;
	char head[96], *line, *save = NULL;
	const struct jm_value *tag, *name;
	struct out o;
	struct stat st;
	size_t i, funcs = 0;

	o = run(env.bpftool, "-j prog show pinned %s/%s", env.progs, prog);
	show = parse(&o, "bpftool prog show");
	out_free(&o);
	assert_non_null(jm_get(show, "bytes_jited"));
	want = jm_get(show, "bytes_jited")->num;
	tag = jm_get(show, "tag");
	name = jm_get(show, "name");
	assert_true(want > 0 && tag && name);
	snprintf(head, sizeof(head), "bpf_prog_%s_%s:\n", tag->str, name->str);
	jm_free(show);

	o = run(CLI, "prog dump jited pinned %s/%s", env.progs, prog);
	assert_int_equal(o.code, 0);
	assert_true(!strncmp(o.out, head, strlen(head)));
	for (line = strtok_r(o.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		if (n && line[n - 1] == ':') {
			funcs++;
			continue;
		}
		for (i = 0; i < n; i += 3) {	/* "xx xx  xx": two digits, then blanks */
			assert_true(isxdigit((unsigned char)line[i]) &&
				    isxdigit((unsigned char)line[i + 1]));
			got++;
			if (line[i + 2] == ' ' && line[i + 3] == ' ')
				i++;
		}
	}
	out_free(&o);
	assert_true(funcs >= 1);
	if (got != want)
		fail_msg("%s: %llu bytes printed, bytes_jited %llu", prog, got, want);

	o = run(CLI, "-j prog dump jited pinned %s/%s", env.progs, prog);
	v = parse(&o, "prog dump jited -j");
	out_free(&o);
	assert_int_equal(v->type, JM_ARRAY);
	assert_int_equal(v->len, funcs);
	for (got = 0, i = 0; i < v->len; i++) {
		const struct jm_value *ins = jm_get(&v->items[i], "insns");

		assert_non_null(jm_get(&v->items[i], "name"));
		assert_true(ins && ins->type == JM_ARRAY && ins->len);
		assert_true(ins->items[0].type == JM_STRING && !strncmp(ins->items[0].str, "0x", 2));
		got += ins->len;
	}
	jm_free(v);
	assert_int_equal(got, want);

	o = run(CLI, "prog dump jited pinned %s/%s file %s", env.progs, prog, file);
	assert_int_equal(o.code, 0);
	assert_string_equal(o.out, "");
	out_free(&o);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal((unsigned long long)st.st_size, want);
}

static void test_prog_dump(void **state)
{
	static const char *const variants[] = { "", " opcodes", " linum" };
	char args[256], f1[128], f2[128], cmp[300];
	size_t i, k;
	struct out o;

	(void)state;
	NEED();
	for (i = 0; i < ARRAY_LEN(progs); i++) {
		for (k = 0; k < ARRAY_LEN(variants); k++) {
			snprintf(args, sizeof(args), "prog dump xlated pinned %s/%s%s", env.progs,
				 progs[i], variants[k]);
			same_json(args);
			same_text(args);
		}
	}
	same_pretty("prog dump xlated name ci_tp opcodes");
	/* file: the same bytes */
	snprintf(f1, sizeof(f1), "/tmp/t_cli_%d_a", env.pid);
	snprintf(f2, sizeof(f2), "/tmp/t_cli_%d_b", env.pid);
	o = run(CLI, "prog dump xlated pinned %s/ci_xdp file %s", env.progs, f1);
	assert_int_equal(o.code, 0);
	out_free(&o);
	o = run(env.bpftool, "prog dump xlated pinned %s/ci_xdp file %s", env.progs, f2);
	assert_int_equal(o.code, 0);
	out_free(&o);
	snprintf(cmp, sizeof(cmp), "cmp -s %s %s", f1, f2);
	assert_int_equal(system(cmp), 0);
	o = run(CLI, "-j prog dump xlated pinned %s/ci_xdp file %s", env.progs, f1);
	assert_string_equal(o.out, "null\n");
	out_free(&o);
	unlink(f1);
	unlink(f2);
	/* jited: Debian's bpftool has no disassembler (no libbfd), not even for "file" */
	json_error(env.bpftool, "prog dump jited name ci_xdp");
	for (i = 0; i < ARRAY_LEN(progs); i++)
		check_jited(progs[i], f1);
	unlink(f1);
}

/* Handles that match two objects (the second copy): arrays, headers, separators. */
static void test_two_matches(void **state)
{
	struct out o;
	struct jm_value *v;

	(void)state;
	NEED();
	o = run(CLI, "-j prog show name ci_sock");
	v = parse(&o, "prog show name ci_sock");
	assert_int_equal(v->type, JM_ARRAY);
	assert_true(v->len >= 2);	/* ours; a concurrent run of this test may add its own */
	jm_free(v);
	out_free(&o);
	same_json("prog show name ci_sock");
	same_text("prog show name ci_sock");
	same_json("prog dump xlated name ci_sock");
	same_text("prog dump xlated name ci_sock opcodes");
	same_pretty("prog dump xlated name ci_xdp_tail");
	same_json("map show name ci_jmp");
	same_text("map show name ci_jmp");
	same_json("map dump name ci_outer");
	same_text("map dump name ci_jmp");
	json_error(CLI, "prog pin name ci_sock /sys/fs/bpf/never");	/* one program needed */
	json_error(env.bpftool, "prog pin name ci_sock /sys/fs/bpf/never");
}

/*
 * The JSON and the text of both tools compared while the set of pins on
 * bpffs holds still (what -f prints depends on every pin of the system).
 */
static void stable_compare(const char *args)
{
	char *before, *after, why[512];
	struct out mj, bj, mt, bt;
	struct jm_value *jm, *jb;
	bool same, stable;
	int tries;

	for (tries = 0; tries < 20; tries++) {
		before = proc_capture("find /sys/fs/bpf 2>/dev/null");
		mj = run(CLI, "-j %s", args);
		bj = run(env.bpftool, "-j %s", args);
		mt = run(CLI, "%s", args);
		bt = run(env.bpftool, "%s", args);
		after = proc_capture("find /sys/fs/bpf 2>/dev/null");
		assert_non_null(before);
		assert_non_null(after);
		stable = !strcmp(before, after);
		jm = parse(&mj, args);
		jb = parse(&bj, args);
		same = jeq(jm, jb, "$", volatile_keys, why, sizeof(why));
		if (stable && !same)
			fail_msg("barebpf -j %s: %s", args, why);
		/* text: the loaded_at line may differ by a second; the pinned lines may not */
		if (stable && strcmp(strstr(mt.out, "xlated"), strstr(bt.out, "xlated")))
			fail_msg("barebpf %s:\n%s\nbpftool:\n%s", args, mt.out, bt.out);
		jm_free(jm);
		jm_free(jb);
		out_free(&mj);
		out_free(&bj);
		out_free(&mt);
		out_free(&bt);
		free(before);
		free(after);
		if (stable)
			return;
		usleep(200000);
	}
	fail_msg("%s: the pins on bpffs never held still for a comparison", args);
}

static void test_prog_pin(void **state)
{
	char path[128], args[256];
	struct out o, b;
	struct jm_value *v;
	uint32_t id = prog_id("ci_sock");

	(void)state;
	NEED();
	snprintf(path, sizeof(path), "%s/sock_again", env.tmp);
	o = run(CLI, "-j prog pin id %u %s", id, path);
	assert_int_equal(o.code, 0);
	assert_string_equal(o.out, "null\n");
	out_free(&o);
	b = run(env.bpftool, "-j prog show pinned %s", path);
	v = parse(&b, "prog show pinned");
	assert_int_equal(jm_get(v, "id")->num, id);
	jm_free(v);
	out_free(&b);
	/*
	 * Two pins of one program: -f lists both in bpftool's order, which depends on
	 * every pin on the system (its hash table): compared when no pin came or went.
	 */
	snprintf(args, sizeof(args), "-f prog show id %u", id);
	stable_compare(args);
	/* taken path: an error from both */
	snprintf(args, sizeof(args), "prog pin id %u %s", id, path);
	json_error(CLI, args);
	json_error(env.bpftool, args);
	text_error(args);
	unlink(path);
}

static void write_file(const char *path, const uint8_t *d, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, n, f), n);
	fclose(f);
}

static void test_prog_run(void **state)
{
	uint8_t pkt[64];
	char in[128], args[256];
	const char *ks[] = { "retval", NULL };
	struct out m, b;
	char *dm, *db;
	int pass;

	(void)state;
	NEED();
	snprintf(in, sizeof(in), "/tmp/t_cli_%d_pkt", env.pid);
	for (pass = 0; pass < 2; pass++) {
		memset(pkt, 0x11, sizeof(pkt));
		pkt[0] = pass ? 0xff : 0x00;	/* 0xff: tail call to ci_xdp_tail (XDP_TX) */
		write_file(in, pkt, sizeof(pkt));
		snprintf(args, sizeof(args), "prog run pinned %s/ci_xdp data_in %s data_out - repeat 3",
			 env.progs, in);
		same_json(args);
		(void)ks;
		/* text: the same hex dump and return value; the duration is a timing */
		m = run(CLI, "%s", args);
		b = run(env.bpftool, "%s", args);
		assert_int_equal(m.code, 0);
		assert_int_equal(b.code, 0);
		dm = strstr(m.out, "Return value: ");
		db = strstr(b.out, "Return value: ");
		assert_non_null(dm);
		assert_non_null(db);
		assert_int_equal(dm - m.out, db - b.out);
		assert_memory_equal(m.out, b.out, (size_t)(dm - m.out));
		assert_true(!strncmp(dm, db, strlen("Return value: X, duration (average): ")));
		assert_true(strstr(dm, pass ? "Return value: 3," : "Return value: 2,") != NULL);
		out_free(&m);
		out_free(&b);
	}
	/* errors: no such file; a missing program */
	snprintf(args, sizeof(args), "prog run pinned %s/ci_xdp data_in /nonexistent/%d", env.progs,
		 env.pid);
	json_error(CLI, args);
	json_error(env.bpftool, args);
	text_error(args);
	unlink(in);
}

/* ---- map ---- */

static void test_map_show(void **state)
{
	char args[256];
	size_t i, j, mine = 0;
	struct out o;
	struct jm_value *v;

	(void)state;
	NEED();
	for (i = 0; i < ARRAY_LEN(all_maps); i++) {
		snprintf(args, sizeof(args), "map show pinned %s/%s", env.maps, all_maps[i]);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "-f map list pinned %s/%s", env.maps, all_maps[i]);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "map show name %s", map_name(all_maps[i]));
		same_json(args);
	}
	same_pretty("map show name ci_jmp");
	/* All maps: ours listed; bpftool's stale btf_id in lists is why btf_id is per map. */
	o = run(CLI, "-j map");
	v = parse(&o, "map");
	for (j = 0; j < v->len; j++) {
		const struct jm_value *n = jm_get(&v->items[j], "name");

		for (i = 0; n && i < ARRAY_LEN(all_maps); i++)
			mine += !strncmp(n->str, map_name(all_maps[i]), 15);
	}
	assert_true(mine >= ARRAY_LEN(all_maps));
	jm_free(v);
	out_free(&o);
}

/* bpftool's text layout of one entry of a map without BTF, rebuilt from its JSON. */
static void text_entry(char *out, size_t size, const struct jm_value *e, uint32_t ks,
		       uint32_t vs)
{
	const struct jm_value *key = jm_get(e, "key"), *val = jm_get(e, "value"),
			      *vals = jm_get(e, "values");
	bool brk = ks > 16 || vs > 16, single = ks + vs <= 24 && !brk;
	size_t n = strlen(out), i, c;

#define PUT(...) (n += (size_t)snprintf(out + n, size - n, __VA_ARGS__))
#define HEX(arr)							\
	for (i = 0; i < (arr)->len; i++)				\
		PUT("%s%s", !i ? "" : !(i % 16) ? "\n" : !(i % 8) ? "  " : " ",	\
		    (arr)->items[i].str + 2)
	if (vals) {
		PUT("key:\n");
		HEX(key);
		PUT("\n");
		for (c = 0; c < vals->len; c++) {
			const struct jm_value *cv = jm_get(&vals->items[c], "value");

			PUT("value (CPU %02zu):%c", c, vs > 16 ? '\n' : ' ');
			HEX(cv);
			PUT("\n");
		}
		return;
	}
	if (ks) {
		PUT("key:%c", brk ? '\n' : ' ');
		HEX(key);
		PUT(single ? "  " : "\n");
	}
	if (vs) {
		PUT("value:%c", brk ? '\n' : ' ');
		HEX(val);
	}
	PUT("\n");
#undef HEX
#undef PUT
}

static void test_map_dump(void **state)
{
	static const char *const no_formatted[] = { "formatted", NULL };
	char args[256], want[8192];
	size_t i, j;
	struct out o, m;
	struct jm_value *v, *info;

	(void)state;
	NEED();
	for (i = 0; i < ARRAY_LEN(stable_maps); i++) {
		snprintf(args, sizeof(args), "map dump pinned %s/%s", env.maps, stable_maps[i]);
		same_json_skip(args, no_formatted);
		/* Text: bpftool prints maps with BTF through their types; barebpf's hex layout
		 * is the one bpftool uses without BTF, rebuilt here from bpftool's JSON. */
		o = run(env.bpftool, "-j %s", args);
		v = parse(&o, args);
		m = run(CLI, "-j map show pinned %s/%s", env.maps, stable_maps[i]);
		info = parse(&m, "map show");
		want[0] = '\0';
		for (j = 0; j < v->len; j++)
			text_entry(want, sizeof(want), &v->items[j], (uint32_t)jm_get(info, "bytes_key")->num,
				   (uint32_t)jm_get(info, "bytes_value")->num);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "Found %zu element%s\n",
			 v->len, v->len == 1 ? "" : "s");
		jm_free(v);
		jm_free(info);
		out_free(&o);
		out_free(&m);
		m = run(CLI, "%s", args);
		assert_int_equal(m.code, 0);
		if (strcmp(m.out, want))
			fail_msg("barebpf %s:\n%s\nexpected (bpftool's layout):\n%s", args, m.out, want);
		out_free(&m);
	}
	/* Queue, stack, ringbuf have no keys to walk: both fail (bpftool without saying why). */
	for (i = 0; i < 3; i++) {
		snprintf(args, sizeof(args), "map dump pinned %s/%s", env.maps,
			 i == 0 ? "ci_queue" : i == 1 ? "ci_stack" : "ci_rb");
		o = run(env.bpftool, "-j %s", args);
		m = run(CLI, "-j %s", args);
		assert_int_not_equal(o.code, 0);
		assert_int_not_equal(m.code, 0);
		v = parse(&m, args);
		assert_non_null(jm_get(&v->items[0], "error"));
		jm_free(v);
		out_free(&o);
		out_free(&m);
	}
}

/* The same operations on twin maps, one per tool: same outputs at every step. */
struct twin {
	char b[128], m[128];	/* pin paths: bpftool's, barebpf's */
};

static void twin_create(struct twin *t, const char *tag, const char *spec)
{
	struct out o;

	snprintf(t->b, sizeof(t->b), "%s/b_%s", env.tmp, tag);
	snprintf(t->m, sizeof(t->m), "%s/m_%s", env.tmp, tag);
	o = run(env.bpftool, "map create %s %s name b_%s", t->b, spec, tag);
	if (o.code)
		fail_msg("bpftool map create %s: %s", spec, o.err);
	out_free(&o);
	o = run(CLI, "-j map create %s %s name m_%s", t->m, spec, tag);
	if (o.code)
		fail_msg("barebpf map create %s: %s%s", spec, o.out, o.err);
	assert_string_equal(o.out, "null\n");
	out_free(&o);
}

/* One step: the outputs (text and JSON) and the exit status agree, up to id and name. */
static void twin_step(const struct twin *t, const char *op, const char *rest)
{
	static const char *const idname[] = { "id", "name", NULL };
	int json;

	for (json = 0; json < 2; json++) {
		struct out b = run(env.bpftool, "%s map %s pinned %s %s", json ? "-j" : "", op, t->b,
				   rest);
		struct out m = run(CLI, "%s map %s pinned %s %s", json ? "-j" : "", op, t->m, rest);

		if ((b.code == 0) != (m.code == 0))
			fail_msg("map %s %s: bpftool exit %d, barebpf %d (%s%s)", op, rest, b.code,
				 m.code, m.out, m.err);
		if (json && b.code == 0) {
			struct jm_value *jb = parse(&b, op), *jm = parse(&m, op);
			char why[512];

			if (!jeq(jm, jb, "$", idname, why, sizeof(why)))
				fail_msg("map %s %s: %s\nbarebpf %s\nbpftool %s", op, rest, why, m.out,
					 b.out);
			jm_free(jb);
			jm_free(jm);
		} else if (!json && b.code == 0 && strcmp(op, "show")) {
			if (strcmp(m.out, b.out))
				fail_msg("map %s %s:\nbarebpf:\n%s\nbpftool:\n%s", op, rest, m.out, b.out);
		}
		out_free(&b);
		out_free(&m);
	}
}

static void test_map_ops(void **state)
{
	struct twin h, ar, pc, q, st, big, pa, aom;
	char spec[256];

	(void)state;
	NEED();
	/* A hash map's iteration order depends on its seed: walk it with one entry only. */
	twin_create(&h, "h", "type hash key 4 value 8 entries 8 flags 1");
	twin_step(&h, "show", "");
	twin_step(&h, "update", "key 1 0 0 0 value hex 11 22 33 44 55 66 77 88");
	twin_step(&h, "getnext", "");
	twin_step(&h, "getnext", "key 1 0 0 0");	/* the last: both fail */
	twin_step(&h, "dump", "");
	twin_step(&h, "update", "key 2 0 0 0 value 1 2 3 4 5 6 7 8 noexist");
	twin_step(&h, "update", "key 2 0 0 0 value 8 7 6 5 4 3 2 1 noexist");	/* EEXIST */
	twin_step(&h, "update", "key 9 0 0 0 value 0 0 0 0 0 0 0 0 exist");	/* ENOENT */
	twin_step(&h, "update", "key 2 0 0 0 value 0x10 0 0 0 0 0 0 0 exist");
	twin_step(&h, "lookup", "key 2 0 0 0");
	twin_step(&h, "lookup", "key 7 0 0 0");	/* Not found: both fail */
	twin_step(&h, "delete", "key 2 0 0 0");
	twin_step(&h, "delete", "key 2 0 0 0");	/* gone */
	twin_step(&h, "dump", "");
	twin_step(&h, "freeze", "");
	twin_step(&h, "update", "key 3 0 0 0 value 1 1 1 1 1 1 1 1");	/* frozen: EPERM */
	twin_step(&h, "show", "");
	/* An array: in index order, several entries. */
	twin_create(&ar, "ar", "type array key 4 value 8 entries 3");
	twin_step(&ar, "update", "key 1 0 0 0 value 1 2 3 4 5 6 7 8");
	twin_step(&ar, "getnext", "");
	twin_step(&ar, "getnext", "key 0 0 0 0");
	twin_step(&ar, "dump", "");

	twin_create(&pc, "pc", "type percpu_hash key 4 value 12 entries 4");
	twin_step(&pc, "update", "key 1 0 0 0 value 1 2 3 4 5 6 7 8 9 10 11 12");
	twin_step(&pc, "lookup", "key 1 0 0 0");
	twin_step(&pc, "dump", "");

	twin_create(&big, "big", "type array key 4 value 20 entries 2");
	twin_step(&big, "update", "key 1 0 0 0 value 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20");
	twin_step(&big, "dump", "");

	twin_create(&q, "q", "type queue key 0 value 4 entries 4");
	twin_step(&q, "push", "value 1 2 3 4");
	twin_step(&q, "enqueue", "value 5 6 7 8");
	twin_step(&q, "peek", "");
	twin_step(&q, "pop", "");
	twin_step(&q, "dequeue", "");
	twin_step(&q, "pop", "");	/* empty: both fail (JSON: null) */
	twin_create(&st, "st", "type stack key 0 value 4 entries 4");
	twin_step(&st, "push", "value 1 2 3 4");
	twin_step(&st, "push", "value 9 9 9 9");
	twin_step(&st, "peek", "");
	twin_step(&st, "pop", "");

	/* A prog array takes a PROG, a map-in-map a MAP. */
	twin_create(&pa, "pa", "type prog_array key 4 value 4 entries 4");
	snprintf(spec, sizeof(spec), "key 2 0 0 0 value pinned %s/ci_xdp_tail", env.progs);
	twin_step(&pa, "update", spec);
	twin_step(&pa, "dump", "");
	snprintf(spec, sizeof(spec), "type array_of_maps key 4 value 4 entries 2 inner_map pinned %s/ci_inner",
		 env.maps);
	twin_create(&aom, "aom", spec);
	snprintf(spec, sizeof(spec), "key 1 0 0 0 value pinned %s/ci_inner", env.maps);
	twin_step(&aom, "update", spec);
	twin_step(&aom, "dump", "");
	twin_step(&aom, "show", "");
}

static void test_map_pin(void **state)
{
	char path[128], args[256];
	struct out o;

	(void)state;
	NEED();
	snprintf(path, sizeof(path), "%s/hash_again", env.tmp);
	o = run(CLI, "-j map pin pinned %s/ci_hash %s", env.maps, path);
	assert_int_equal(o.code, 0);
	assert_string_equal(o.out, "null\n");
	out_free(&o);
	snprintf(args, sizeof(args), "map show pinned %s", path);
	same_json(args);
	snprintf(args, sizeof(args), "map pin pinned %s/ci_hash %s", env.maps, path);
	json_error(CLI, args);
	json_error(env.bpftool, args);
	text_error(args);
	unlink(path);
}

/* ---- link ---- */

static void test_link_show(void **state)
{
	char args[256];
	size_t i;
	int fd;

	(void)state;
	NEED();
	for (i = 0; i < ARRAY_LEN(links); i++) {
		snprintf(args, sizeof(args), "link show pinned %s/%s", env.links, links[i]);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "-f link list pinned %s/%s", env.links, links[i]);
		same_json(args);
		same_text(args);
		snprintf(args, sizeof(args), "%s/%s", env.links, links[i]);
		fd = obj_get(args);
		snprintf(args, sizeof(args), "link show id %u", obj_id(fd));
		close(fd);
		same_json(args);
		same_text(args);
	}
	snprintf(args, sizeof(args), "link show pinned %s/cgroup", env.links);
	same_pretty(args);
}

static void test_link_pin_detach(void **state)
{
	char path[128], args[256];
	struct out o;
	uint32_t id;
	int fd;

	(void)state;
	NEED();
	snprintf(args, sizeof(args), "%s/xdp", env.links);
	fd = obj_get(args);
	id = obj_id(fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/xdp_again", env.tmp);
	o = run(CLI, "-j link pin id %u %s", id, path);
	assert_int_equal(o.code, 0);
	assert_string_equal(o.out, "null\n");
	out_free(&o);
	snprintf(args, sizeof(args), "link show pinned %s", path);
	same_json(args);
	/* detach: the link stays (pinned), detached; both describe it alike */
	o = run(CLI, "-j link detach id %u", id);
	assert_int_equal(o.code, 0);
	assert_string_equal(o.out, "null\n");
	out_free(&o);
	same_json(args);
	same_text(args);
	unlink(path);
}

/* ---- btf ---- */

/* The ids of every program, map and BTF object, to tell whether the system held still. */
static char *system_ids(void)
{
	int (*const next[])(const struct bbpf_sys *, uint32_t, uint32_t *) = {
		bbpf_cmd_prog_get_next_id, bbpf_cmd_map_get_next_id, bbpf_cmd_btf_get_next_id,
	};
	size_t cap = 1 << 16, len = 0, i;
	char *s = malloc(cap);
	uint32_t id;

	assert_non_null(s);
	for (i = 0; i < ARRAY_LEN(next); i++) {
		for (id = 0; !next[i](&bbpf_sys_linux, id, &id);) {
			if (len + 16 >= cap) {
				cap *= 2;
				s = realloc(s, cap);
				assert_non_null(s);
			}
			len += (size_t)snprintf(s + len, cap - len, "%u,", id);
		}
		len += (size_t)snprintf(s + len, cap - len, ";");
	}
	return s;
}

static int cmp_u64(const void *a, const void *b)
{
	const struct jm_value *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* The entries of this test's BTF ids in both listings: equal, prog_ids/map_ids as sets. */
static void own_btf_as_sets(const struct out *m, const struct out *b)
{
	static const char *const ids[] = { "prog_ids", "map_ids", NULL };
	struct jm_value *jm = parse(m, "btf"), *jb = parse(b, "btf");
	const struct jm_value *em = NULL, *eb = NULL;
	char why[512];
	size_t i, k;

	for (i = 0; i < jm->len; i++)
		if (jm_get(&jm->items[i], "id")->num == env.btf_id)
			em = &jm->items[i];
	for (i = 0; i < jb->len; i++)
		if (jm_get(&jb->items[i], "id")->num == env.btf_id)
			eb = &jb->items[i];
	assert_non_null(em);
	assert_non_null(eb);
	if (!jeq(em, eb, "$", ids, why, sizeof(why)))
		fail_msg("btf show, BTF %u: %s", env.btf_id, why);
	for (k = 0; ids[k]; k++) {
		struct jm_value *a = (struct jm_value *)jm_get(em, ids[k]);
		struct jm_value *r = (struct jm_value *)jm_get(eb, ids[k]);

		qsort(a->items, a->len, sizeof(*a->items), cmp_u64);
		qsort(r->items, r->len, sizeof(*r->items), cmp_u64);
		if (!jeq(a, r, ids[k], no_keys, why, sizeof(why)))
			fail_msg("btf show, BTF %u: %s", env.btf_id, why);
	}
	jm_free(jm);
	jm_free(jb);
}

static void test_btf_show(void **state)
{
	char args[64];
	struct out o;
	struct jm_value *v;
	int tries;

	(void)state;
	NEED();
	o = run(CLI, "-j prog show pinned %s/ci_xdp", env.progs);
	v = parse(&o, "prog show");
	env.btf_id = (uint32_t)jm_get(v, "btf_id")->num;
	jm_free(v);
	out_free(&o);
	snprintf(args, sizeof(args), "btf show id %u", env.btf_id);
	same_json(args);
	same_text(args);
	same_json("btf show id 1");
	same_text("btf list id 1");
	/*
	 * Every BTF object, ids in bpftool's order: that order depends on every program
	 * and map of the system, so it is compared when nothing came or went meanwhile.
	 * On a busy machine that may never happen: then this test's own BTF objects are
	 * compared with their id lists as sets (the order is also checked against a
	 * model of libbpf's hash table in test_cli_kobj).
	 */
	for (tries = 0; tries < 30; tries++) {
		char *before = system_ids(), *after;
		struct out m = run(CLI, "-j btf show"), b = run(env.bpftool, "-j btf show");
		bool stable;

		after = system_ids();
		stable = !strcmp(before, after);
		free(before);
		free(after);
		if (stable) {
			struct jm_value *jm = parse(&m, "btf"), *jb = parse(&b, "btf");
			char why[512];

			if (!jeq(jm, jb, "$", no_keys, why, sizeof(why)))
				fail_msg("btf show: %s", why);
			jm_free(jm);
			jm_free(jb);
		} else if (tries == 29) {
			own_btf_as_sets(&m, &b);
		}
		out_free(&m);
		out_free(&b);
		if (stable)
			return;
		usleep(100000);
	}
	print_message("  btf show: the system never held still; own objects compared, ids as sets\n");
}

/* ---- perf, cgroup, struct_ops ---- */

/* The entries of this process only (others come and go). */
static void own_entries(const char *text, char *out, size_t size)
{
	char tag[32], *copy = strdup(text), *line, *save = NULL;

	assert_non_null(copy);
	snprintf(tag, sizeof(tag), "pid %d ", env.pid);
	out[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, tag, strlen(tag)))
			snprintf(out + strlen(out), size - strlen(out), "%s\n", line);
	free(copy);
}

static void test_perf_list(void **state)
{
	char mine[4096], ref[4096];
	struct out m, b;
	struct jm_value *jm, *jb;
	size_t i, j, cnt = 0;

	(void)state;
	NEED();
	m = run(CLI, "perf list");
	b = run(env.bpftool, "perf list");
	assert_int_equal(m.code, 0);
	assert_int_equal(b.code, 0);
	own_entries(m.out, mine, sizeof(mine));
	own_entries(b.out, ref, sizeof(ref));
	assert_string_equal(mine, ref);
	assert_int_equal(proc_line_count(mine), 3);	/* two perf events, one raw tracepoint */
	out_free(&m);
	out_free(&b);
	m = run(CLI, "-j perf show");
	b = run(env.bpftool, "-j perf show");
	jm = parse(&m, "perf");
	jb = parse(&b, "perf");
	for (i = 0; i < jm->len; i++) {
		char why[512];

		if (jm_get(&jm->items[i], "pid")->num != (unsigned long long)env.pid)
			continue;
		for (j = 0; j < jb->len; j++)
			if (jm_get(&jb->items[j], "pid")->num == (unsigned long long)env.pid &&
			    jm_get(&jb->items[j], "fd")->num == jm_get(&jm->items[i], "fd")->num)
				break;
		assert_true(j < jb->len);
		if (!jeq(&jm->items[i], &jb->items[j], "$", no_keys, why, sizeof(why)))
			fail_msg("perf show: %s", why);
		cnt++;
	}
	assert_int_equal(cnt, 3);
	jm_free(jm);
	jm_free(jb);
	out_free(&m);
	out_free(&b);
}

static void test_cgroup(void **state)
{
	char args[256];

	(void)state;
	NEED();
	snprintf(args, sizeof(args), "cgroup show %s", env.cg);
	same_json(args);
	same_text(args);
	snprintf(args, sizeof(args), "cgroup list %s/child effective", env.cg);
	same_json(args);
	same_text(args);
	snprintf(args, sizeof(args), "cgroup tree %s", env.cg);
	same_json(args);
	same_text(args);
	same_pretty(args);
	snprintf(args, sizeof(args), "cgroup tree %s effective", env.cg);
	same_json(args);
	same_text(args);
	snprintf(args, sizeof(args), "cgroup show %s/nonexistent", env.cg);
	json_error(CLI, args);
	json_error(env.bpftool, args);
	text_error(args);
}

static void test_struct_ops(void **state)
{
	char args[64];
	struct out o;
	struct jm_value *v;

	(void)state;
	NEED();
	same_json("struct_ops show");
	same_text("struct_ops list");
	/* ci_hash is no struct_ops map: an error from both */
	o = run(CLI, "-j map show pinned %s/ci_hash", env.maps);
	v = parse(&o, "map show");
	snprintf(args, sizeof(args), "struct_ops show id %llu", jm_get(v, "id")->num);
	jm_free(v);
	out_free(&o);
	json_error(CLI, args);
	json_error(env.bpftool, args);
	text_error(args);
}

/* ---- feature probe ---- */

static bool newer_than_7_1(const char *key)
{
	static const char *const extra[] = {
		"have_netfilter_prog_type", "have_cgrp_storage_map_type", "have_arena_map_type",
		"netfilter_available_helpers",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(extra); i++)
		if (!strcmp(key, extra[i]))
			return true;
	return false;
}

static void test_feature_probe(void **state)
{
	struct out m = run(CLI, "-j feature probe"), b = run(env.bpftool, "-j feature probe kernel");
	struct jm_value *jm, *jb;
	const struct jm_value *sm, *sb;
	size_t s, i, j, k, extra = 0;
	char why[512], path[256];

	(void)state;
	NEED();
	jm = parse(&m, "feature probe");
	jb = parse(&b, "feature probe");
	assert_int_equal(jm->len, jb->len);
	for (s = 0; s < jb->len; s++) {
		assert_string_equal(jm->keys[s], jb->keys[s]);
		sm = &jm->items[s];
		sb = &jb->items[s];
		for (i = 0, j = 0; i < sm->len; i++) {
			if (j < sb->len && !strcmp(sm->keys[i], sb->keys[j])) {
				snprintf(path, sizeof(path), "%s.%s", jm->keys[s], sm->keys[i]);
				if (sm->items[i].type == JM_ARRAY) {
					/* helper lists: bpftool 7.1's, then the helpers it lacks */
					const struct jm_value *a = &sm->items[i], *r = &sb->items[j];

					assert_true(a->len >= r->len);
					for (k = 0; k < a->len; k++) {
						if (k < r->len)
							assert_string_equal(a->items[k].str, r->items[k].str);
						else if (strcmp(a->items[k].str, "bpf_cgrp_storage_get") &&
							 strcmp(a->items[k].str, "bpf_cgrp_storage_delete"))
							fail_msg("%s: extra helper %s", path, a->items[k].str);
					}
				} else if (!jeq(&sm->items[i], &sb->items[j], path, no_keys, why,
						sizeof(why))) {
					fail_msg("feature probe: %s", why);
				}
				j++;
			} else if (newer_than_7_1(sm->keys[i])) {
				extra++;
			} else {
				fail_msg("feature probe: %s.%s not in bpftool's output", jm->keys[s],
					 sm->keys[i]);
			}
		}
		assert_int_equal(j, sb->len);
	}
	assert_true(extra >= 3);
	jm_free(jm);
	jm_free(jb);
	out_free(&m);
	out_free(&b);
	/* text: bpftool's lines, in order, plus the newer ones */
	m = run(CLI, "feature probe kernel");
	b = run(env.bpftool, "feature probe kernel");
	{
		char *lm, *lb, *sm2 = NULL, *sb2 = NULL;

		bool in_netfilter = false;	/* the helper list of a type bpftool lacks */

		lb = strtok_r(b.out, "\n", &sb2);
		for (lm = strtok_r(m.out, "\n", &sm2); lm; lm = strtok_r(NULL, "\n", &sm2)) {
			if (!strncmp(lm, "eBPF helpers supported", 22) ||
			    !strncmp(lm, "Scanning", 8))
				in_netfilter = strstr(lm, " netfilter:") != NULL;
			if (!in_netfilter && lb && !strcmp(lm, lb)) {
				lb = strtok_r(NULL, "\n", &sb2);
				continue;
			}
			if (!in_netfilter && !strstr(lm, "netfilter") && !strstr(lm, "cgrp_storage") &&
			    !strstr(lm, "map_type arena"))
				fail_msg("feature probe: line '%s' where bpftool has '%s'", lm,
					 lb ? lb : "(end)");
		}
		assert_null(lb);
	}
	out_free(&m);
	out_free(&b);
	json_error(CLI, "feature probe dev lo");
}

/* ---- options and errors ---- */

static void test_options_anywhere(void **state)
{
	char a1[256], a2[256];
	struct out x, y;

	(void)state;
	NEED();
	/* -j before the command, after it, at the end: the same document */
	snprintf(a1, sizeof(a1), "-j prog show pinned %s/ci_xdp", env.progs);
	snprintf(a2, sizeof(a2), "prog show pinned %s/ci_xdp --json", env.progs);
	x = run(CLI, "%s", a1);
	y = run(CLI, "%s", a2);
	assert_int_equal(x.code, 0);
	assert_string_equal(x.out, y.out);
	out_free(&y);
	snprintf(a2, sizeof(a2), "prog -j show pinned %s/ci_xdp", env.progs);
	y = run(CLI, "%s", a2);
	assert_string_equal(x.out, y.out);
	out_free(&x);
	out_free(&y);
	/* -p anywhere, and as part of a cluster */
	snprintf(a1, sizeof(a1), "map show name ci_hash -p");
	snprintf(a2, sizeof(a2), "-jp map show name ci_hash");
	x = run(CLI, "%s", a1);
	y = run(CLI, "%s", a2);
	assert_string_equal(x.out, y.out);
	assert_true(proc_line_count(x.out) > 3);
	out_free(&x);
	out_free(&y);
	x = run(CLI, "version -j");
	assert_int_equal(x.code, 0);
	assert_non_null(strstr(x.out, "{\"version\":\""));
	out_free(&x);
	x = run(CLI, "version --pretty");
	assert_non_null(strstr(x.out, "{\n    \"version\": \""));
	out_free(&x);
}

/* All of a file read to EOF (an iterator pin has no size), NUL-terminated; NULL on error. */
static char *read_text(const char *path, size_t *len)
{
	char *buf = calloc(1, 65536);
	FILE *f = fopen(path, "r");
	size_t n = 0, got;

	if (!buf || !f) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	while ((got = fread(buf + n, 1, 65535 - n, f)) > 0)
		n += got;
	fclose(f);
	*len = n;
	return buf;
}

/* iter pin: both tools pin the object's first program's iterator; reading each pin gives the same. */
static void test_iter_pin(void **state)
{
	char pb[128], pm[128], *tb, *tm;
	struct out x, y;
	size_t lb, lm;

	(void)state;
	NEED();
	/* under env.tmp: the group teardown removes them if an assert fails first */
	snprintf(pb, sizeof(pb), "%s/iter_b", env.tmp);
	snprintf(pm, sizeof(pm), "%s/iter_m", env.tmp);
	x = run(env.bpftool, "-j iter pin %s/iter_pin.bpf.o %s", BBPF_FIXTURE_DIR, pb);
	y = run(CLI, "-j iter pin %s/iter_pin.bpf.o %s", BBPF_FIXTURE_DIR, pm);
	assert_int_equal(x.code, 0);
	assert_int_equal(y.code, 0);
	assert_string_equal(x.out, y.out);	/* nothing, even with -j */
	assert_string_equal(y.err, "");
	out_free(&x);
	out_free(&y);
	tb = read_text(pb, &lb);
	tm = read_text(pm, &lm);
	unlink(pb);
	unlink(pm);
	assert_non_null(tb);
	assert_non_null(tm);
	assert_string_equal(tm, "barebpf iter pin\n");
	assert_string_equal(tb, tm);
	free(tb);
	free(tm);
}

/* prog load OBJ PATH: the same program pinned at PATH by both tools (bpftool's meaning). */
static void test_prog_load(void **state)
{
	char pb[128], pm[128];
	struct jm_value *vb, *vm;
	struct out x, y;

	(void)state;
	NEED();
	snprintf(pb, sizeof(pb), "%s/load_b", env.tmp);	/* removed by the teardown too */
	snprintf(pm, sizeof(pm), "%s/load_m", env.tmp);
	x = run(env.bpftool, "prog load %s/globals.bpf.o %s", BBPF_FIXTURE_DIR, pb);
	y = run(CLI, "prog load %s/globals.bpf.o %s", BBPF_FIXTURE_DIR, pm);
	assert_int_equal(x.code, 0);
	assert_int_equal(y.code, 0);
	assert_string_equal(y.out, "");
	assert_string_equal(y.err, "");
	out_free(&x);
	out_free(&y);
	x = run(CLI, "-j prog show pinned %s", pb);
	y = run(CLI, "-j prog show pinned %s", pm);
	unlink(pb);
	unlink(pm);
	vb = parse(&x, "bpftool's pin");
	vm = parse(&y, "barebpf's pin");
	{
		static const char *const keys[] = { "name", "type", "tag" };
		size_t i;

		for (i = 0; i < ARRAY_LEN(keys); i++) {
			const struct jm_value *b = jm_get(vb, keys[i]), *m = jm_get(vm, keys[i]);

			assert_non_null(b);
			assert_non_null(m);
			assert_int_equal(b->type, JM_STRING);
			assert_string_equal(b->str, m->str);
		}
	}
	jm_free(vb);
	jm_free(vm);
	out_free(&x);
	out_free(&y);
}

static void test_errors(void **state)
{
	/* Command lines that fail in both tools with an {"error"} in JSON. */
	static const char *const both[] = {
		"prog show id 4294967295",
		"prog show id abc",
		"prog show foo 1",
		"prog show tag 00112233",
		"map show id 4294967295",
		"map dump id 4294967295",
		"map lookup id 4294967295 key 1 0 0 0",
		"link show id 4294967295",
		"link show foo 1",
		"btf show id 4294967295",
		"btf show name x",
		"cgroup show /nonexistent",
		"map create /sys/fs/bpf/x type nosuchtype key 4 value 4 entries 1 name x",
		/* loading commands: a missing or refused object, one line / one {"error"} */
		"prog loadall /nonexistent/x.o /sys/fs/bpf/t_cli_never",
		"prog load /nonexistent/x.o /sys/fs/bpf/t_cli_never",
		"prog loadall " BBPF_FIXTURE_DIR "/legacy_big_nonzero.bpf.o /sys/fs/bpf/t_cli_never",
		"iter pin /nonexistent/x.o /sys/fs/bpf/t_cli_never",
		"iter pin " BBPF_FIXTURE_DIR "/iter_pin.bpf.o",
		"iter pin " BBPF_FIXTURE_DIR "/iter_pin.bpf.o /sys/fs/bpf/t_cli_never map id 4294967295",
		"iter pin " BBPF_FIXTURE_DIR "/trace_kinds.bpf.o /sys/fs/bpf/t_cli_never",
	};
	/* Errors where bpftool prints null, nothing, or help instead: barebpf's contract. */
	static const char *const ours[] = {
		"prog show name t_cli_no_such_prog",
		"prog dump xlated",
		"map dump",
		"map update @M key 1 0 0 value 1 2 3 4 5 6 7 8",
		"map update @M key 1 0 0 0 value 1 2 3 4 5 6 7 256",
		"map update @M key 1 0 0 0 value 1 2 3 4 5 6 7 8 any exist",
		"map lookup @M key 1 0 0 0 any",
		"map create /tmp/x type hash key 4 value 4 entries 1",
		"prog run @P data_in",
		"prog run @P data /dev/null",
		"prog pin name ci_sock /sys/fs/bpf/never",	/* two programs match */
		"prog bogus",
		"map show id 1 --bogus",
		"feature probe macros",
	};
	size_t i;

	(void)state;
	NEED();
	for (i = 0; i < ARRAY_LEN(both); i++) {
		json_error(CLI, both[i]);
		json_error(env.bpftool, both[i]);
		text_error(both[i]);
	}
	for (i = 0; i < ARRAY_LEN(ours); i++) {
		char line[512], *at;

		/* @M, @P: this test's ci_hash map, ci_xdp program */
		snprintf(line, sizeof(line), "%s", ours[i]);
		at = strchr(line, '@');
		if (at) {
			char rest[256];

			snprintf(rest, sizeof(rest), "%s", at + 2);
			snprintf(at, sizeof(line) - (size_t)(at - line), "pinned %s/%s%s",
				 at[1] == 'M' ? env.maps : env.progs, at[1] == 'M' ? "ci_hash" : "ci_xdp",
				 rest);
		}
		json_error(CLI, line);
		text_error(line);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prog_show),
		cmocka_unit_test(test_prog_dump),
		cmocka_unit_test(test_two_matches),
		cmocka_unit_test(test_prog_pin),
		cmocka_unit_test(test_map_show),
		cmocka_unit_test(test_map_dump),
		cmocka_unit_test(test_prog_run),
		cmocka_unit_test(test_map_ops),
		cmocka_unit_test(test_map_pin),
		cmocka_unit_test(test_link_show),
		cmocka_unit_test(test_link_pin_detach),
		cmocka_unit_test(test_btf_show),
		cmocka_unit_test(test_perf_list),
		cmocka_unit_test(test_cgroup),
		cmocka_unit_test(test_struct_ops),
		cmocka_unit_test(test_feature_probe),
		cmocka_unit_test(test_options_anywhere),
		cmocka_unit_test(test_iter_pin),
		cmocka_unit_test(test_prog_load),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
