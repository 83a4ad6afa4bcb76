/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach_check.c - the attach kinds this host kernel cannot run, checked on
 * the 6.1 guest (tests/kernels/run.sh builds it static with musl against
 * the library's sources; init.sh runs it):
 *
 *   attach_check BPF_DIR
 *
 * For each kind: attach, call getpid(2) (and open(2)) N times, read the
 * program's counters back, detach, call again (the counters must stand
 * still), and look at kprobe_events: after every detach no event of ours
 * (bbpf_*) is left, and an event someone else made ("foreign_check",
 * added here first) is still there. Output, one line each:
 *   BBPF-RESULT NAME PASS|FAIL detail      decided here
 *   BBPF-VALUE  attach NAME = N             read back; the host checks them too
 *   BBPF-LOG    attach: ...                 library warnings
 * Exit status 0 if every result passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <barebpf/attach.h>
#include <barebpf/loader.h>

#define N 50
#define KPROBE_EVENTS "/sys/kernel/tracing/kprobe_events"

static const char *dir;
static int failures;

static void log_cb(void *ctx, enum bbpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == BBPF_LOG_WARN)
		printf("BBPF-LOG attach: %s\n", msg);
}

static void result(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("BBPF-RESULT %s %s ", name, ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures += !ok;
}

static void value(const char *name, unsigned long long v)
{
	printf("BBPF-VALUE attach %s = %llu\n", name, v);
}

static void trigger(void)
{
	int i, fd;

	for (i = 0; i < N; i++) {
		syscall(SYS_getpid);
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
}

/* Lines of kprobe_events naming ours ("bbpf_"), and whether the foreign one is there. */
static int our_events(bool *foreign)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(KPROBE_EVENTS, "r");

	*foreign = false;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "/bbpf_"))
			n++;
		if (strstr(line, "/foreign_check "))
			*foreign = true;
	}
	fclose(f);
	return n;
}

static bool events_clean(const char *name)
{
	bool foreign;
	int n = our_events(&foreign);

	result(name, n == 0 && foreign, "%d bbpf_ kprobe events left, foreign event %s", n,
	       foreign ? "kept" : "GONE");
	return n == 0 && foreign;
}

struct obj {
	struct bbpf_object *obj;
	struct bbpf_map *bss;
	uint8_t *mem;
};

static int open_load(struct obj *o, const char *file, bool set_pid, struct bbpf_program *ext,
		     int target_fd)
{
	struct bbpf_open_opts oo = { .log = log_cb };
	char path[256];
	size_t off, size;
	int pid = getpid(), err;
	uint8_t *iv;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	err = bbpf_object_open_file(&o->obj, path, &oo, NULL);
	if (err)
		return err;
	if (set_pid) {
		err = bbpf_object_find_global(o->obj, "my_pid", &o->bss, &off, &size);
		iv = err ? NULL : bbpf_map_initial_value(o->bss, &size);
		if (!iv)
			return -ENOENT;
		memcpy(iv + off, &pid, sizeof(pid));
	}
	(void)ext;
	if (target_fd > 0) {
		err = bbpf_program_set_attach_target(bbpf_object_program(o->obj, 0), target_fd,
						     "get_val");
		if (err)
			return err;
	}
	err = bbpf_object_load(o->obj, NULL);
	if (!err && o->bss)
		o->mem = bbpf_map_mmaped(o->bss, NULL);
	return err;
}

static uint64_t u64(struct obj *o, const char *name)
{
	struct bbpf_map *m;
	size_t off, size;
	uint64_t v;

	if (!o->mem || bbpf_object_find_global(o->obj, name, &m, &off, &size))
		return ~0ull;
	__atomic_load((const uint64_t *)(const void *)(o->mem + off), &v, __ATOMIC_SEQ_CST);
	return v;
}

/* ---- kprobes.bpf.o, every program by auto-attach ---- */

static const char *const auto_hits[] = { "kp_hits", "kret_hits", "ksys_hits", "kretsys_hits",
					 "fentry_hits", "fexit_hits", "fmodret_hits", "lsm_hits" };

static void check_auto(void)
{
	uint64_t before[8], after[8], again[8];
	struct obj o;
	bool ok = true;
	size_t i;
	int err;

	err = open_load(&o, "kprobes.bpf.o", true, NULL, 0);
	if (err) {
		result("attach-auto-load", false, "load: %d", err);
		bbpf_object_close(o.obj);
		return;
	}
	err = bbpf_object_attach(o.obj);
	result("attach-auto", !err && bbpf_object_link_cnt(o.obj) == 8,
	       "bbpf_object_attach %d, %zu links (8 expected: the bare SEC(\"kprobe\") skipped)",
	       err, bbpf_object_link_cnt(o.obj));
	for (i = 0; i < 8; i++)
		before[i] = u64(&o, auto_hits[i]);
	trigger();
	for (i = 0; i < 8; i++) {
		after[i] = u64(&o, auto_hits[i]);
		value(auto_hits[i], after[i] - before[i]);
		if (after[i] - before[i] < N) {
			ok = false;
			result(auto_hits[i], false, "%llu runs for %d calls",
			       (unsigned long long)(after[i] - before[i]), N);
		}
	}
	result("attach-auto-fired", ok, "each of 8 programs ran >= %d times", N);
	bbpf_object_detach(o.obj);
	trigger();
	for (ok = true, i = 0; i < 8; i++) {
		again[i] = u64(&o, auto_hits[i]);
		ok = ok && again[i] == after[i];
	}
	result("attach-auto-detached", ok, "no program ran after bbpf_object_detach");
	events_clean("attach-auto-kprobe-events");
	bbpf_object_close(o.obj);
}

/* ---- bbpf_program_attach_kprobe in each mode, kprobe and kretprobe ---- */

static void check_modes(void)
{
	static const struct {
		enum bbpf_probe_attach_mode mode;
		const char *name;
		bool cookie, bpf_link, tracefs;
	} modes[] = {
		{ BBPF_PROBE_ATTACH_LINK, "link", true, true, false },
		{ BBPF_PROBE_ATTACH_PERF, "perf", false, false, false },
		{ BBPF_PROBE_ATTACH_LEGACY, "legacy", false, false, true },
		{ BBPF_PROBE_ATTACH_DEFAULT, "default", true, true, false },
	};
	struct bbpf_program *p;
	struct bbpf_link *link;
	char name[64], pin[64];
	struct obj o;
	size_t m;
	int r, err, n;
	bool foreign;

	err = open_load(&o, "kprobes.bpf.o", true, NULL, 0);
	p = err ? NULL : bbpf_object_find_program(o.obj, "api_kprobe");
	if (!p) {
		result("attach-kprobe-modes", false, "load: %d", err);
		bbpf_object_close(o.obj);
		return;
	}
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		for (r = 0; r < 2; r++) {
			struct bbpf_kprobe_opts ko = { .attach_mode = modes[m].mode, .retprobe = r };
			uint64_t h0, h1, h2, cookie = modes[m].cookie ? 0xc0de00 + m * 2 + r : 0;
			bool pin_ok;

			ko.bpf_cookie = cookie;
			snprintf(name, sizeof(name), "attach-%s-%s", r ? "kretprobe" : "kprobe",
				 modes[m].name);
			/* getpid() here, not between the counts: the probe would see it */
			snprintf(pin, sizeof(pin), "/sys/fs/bpf/bbpf_check_%d", getpid());
			err = bbpf_program_attach_kprobe(p, "__x64_sys_getpid", &ko, &link);
			if (err) {
				result(name, false, "attach: %d", err);
				continue;
			}
			n = our_events(&foreign);
			h0 = u64(&o, "api_hits");
			trigger();
			h1 = u64(&o, "api_hits");
			err = bbpf_link_pin(link, pin);
			pin_ok = modes[m].bpf_link ? !err : err == -EOPNOTSUPP;
			if (!err)
				unlink(pin);
			bbpf_link_destroy(link);
			trigger();
			h2 = u64(&o, "api_hits");
			value(name + 7, h1 - h0);
			result(name, h1 - h0 >= N && h2 == h1 && u64(&o, "api_cookie") == cookie &&
				     pin_ok && n == (modes[m].tracefs ? 1 : 0),
			       "%llu runs for %d calls, %llu after detach, cookie %#llx (want %#llx), "
			       "%s BPF link, %d tracefs events while attached",
			       (unsigned long long)(h1 - h0), N, (unsigned long long)(h2 - h1),
			       (unsigned long long)u64(&o, "api_cookie"), (unsigned long long)cookie,
			       modes[m].bpf_link ? "a" : "no", n);
			snprintf(name, sizeof(name), "attach-%s-%s-events",
				 r ? "kretprobe" : "kprobe", modes[m].name);
			events_clean(name);
		}
	}
	/* a cookie cannot go through the ioctl */
	{
		struct bbpf_kprobe_opts ko = { .attach_mode = BBPF_PROBE_ATTACH_LEGACY,
					       .bpf_cookie = 1 };

		err = bbpf_program_attach_kprobe(p, "__x64_sys_getpid", &ko, &link);
		result("attach-kprobe-legacy-cookie", err == -EOPNOTSUPP, "%d (-EOPNOTSUPP expected)",
		       err);
		if (!err)
			bbpf_link_destroy(link);
		events_clean("attach-kprobe-legacy-cookie-events");
	}
	/* ksyscall through the API, with a cookie */
	{
		struct bbpf_ksyscall_opts so = { .bpf_cookie = 0x5c5 };
		uint64_t h0, h1;

		err = bbpf_program_attach_ksyscall(p, "getpid", &so, &link);
		h0 = u64(&o, "api_hits");
		trigger();
		h1 = u64(&o, "api_hits");
		if (!err)
			bbpf_link_destroy(link);
		result("attach-ksyscall-api", !err && h1 - h0 >= N && u64(&o, "api_cookie") == 0x5c5,
		       "attach %d, %llu runs, cookie %#llx", err, (unsigned long long)(h1 - h0),
		       (unsigned long long)u64(&o, "api_cookie"));
	}
	/* a symbol that is not there: the kernel's error, nothing left */
	err = bbpf_program_attach_kprobe(p, "bbpf_no_such_function", NULL, &link);
	result("attach-kprobe-missing", err < 0, "%d", err);
	if (!err)
		bbpf_link_destroy(link);
	{
		struct bbpf_kprobe_opts ko = { .attach_mode = BBPF_PROBE_ATTACH_LEGACY };

		err = bbpf_program_attach_kprobe(p, "bbpf_no_such_function", &ko, &link);
		result("attach-kprobe-missing-legacy", err < 0, "%d", err);
		if (!err)
			bbpf_link_destroy(link);
	}
	events_clean("attach-kprobe-missing-events");
	bbpf_object_close(o.obj);
}

/* ---- tracex_legacy.bpf.o: samples/bpf's mechanism ---- */

static uint64_t count_at(struct bbpf_map *m, uint32_t key)
{
	uint64_t v = ~0ull;

	bbpf_map_lookup_elem(m, &key, sizeof(key), &v, sizeof(v), 0);
	return v;
}

static void check_samples(void)
{
	uint64_t c0[3], c1[3], c2[3];
	struct bbpf_map *counts;
	struct obj o;
	int err, n, i;
	bool foreign, ok = true;

	err = open_load(&o, "tracex_legacy.bpf.o", false, NULL, 0);
	counts = err ? NULL : bbpf_object_find_map(o.obj, "counts");
	if (!counts) {
		result("attach-samples", false, "load: %d", err);
		bbpf_object_close(o.obj);
		return;
	}
	err = bbpf_object_attach(o.obj);
	n = our_events(&foreign);
	result("attach-samples", !err && bbpf_object_link_cnt(o.obj) == 3 && n == 2 && foreign,
	       "attach %d, %zu links, %d kprobe events of ours (2: entry, return; kprobe/2 is a "
	       "tail call slot), foreign event %s", err, bbpf_object_link_cnt(o.obj), n,
	       foreign ? "kept" : "GONE");
	for (i = 0; i < 3; i++)
		c0[i] = count_at(counts, (uint32_t)i);
	trigger();
	for (i = 0; i < 3; i++) {
		c1[i] = count_at(counts, (uint32_t)i);
		ok = ok && c1[i] - c0[i] >= N;
	}
	value("samples_kprobe", c1[0] - c0[0]);
	value("samples_kretprobe", c1[1] - c0[1]);
	value("samples_tail_call", c1[2] - c0[2]);
	result("attach-samples-fired", ok, "kprobe %llu, kretprobe %llu, tail call %llu for %d calls",
	       (unsigned long long)(c1[0] - c0[0]), (unsigned long long)(c1[1] - c0[1]),
	       (unsigned long long)(c1[2] - c0[2]), N);
	bbpf_object_detach(o.obj);
	trigger();
	for (ok = true, i = 0; i < 3; i++) {
		c2[i] = count_at(counts, (uint32_t)i);
		ok = ok && c2[i] == c1[i];
	}
	result("attach-samples-detached", ok, "nothing ran after detach");
	events_clean("attach-samples-events");
	bbpf_object_close(o.obj);
}

/* ---- freplace ---- */

static int test_run(int prog_fd, uint32_t *retval)
{
	uint8_t pkt[64] = { 0 };
	union bpf_attr a;
	long err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.data_in = (uint64_t)(uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = 1;
	err = syscall(SYS_bpf, BPF_PROG_TEST_RUN, &a, sizeof(a));
	*retval = a.test.retval;
	return err ? -errno : 0;
}

static void check_freplace(void)
{
	struct obj t, e;
	struct bbpf_link *link;
	uint32_t r0 = 0, r1 = 0, r2 = 0;
	int tfd, err;

	err = open_load(&t, "freplace_target.bpf.o", false, NULL, 0);
	if (err) {
		result("attach-freplace", false, "target load: %d", err);
		bbpf_object_close(t.obj);
		return;
	}
	tfd = bbpf_program_fd(bbpf_object_find_program(t.obj, "call_get_val"));
	test_run(tfd, &r0);
	err = open_load(&e, "freplace_ext.bpf.o", false, NULL, tfd);
	if (!err)
		err = bbpf_program_attach_freplace(bbpf_object_program(e.obj, 0), tfd, "get_val",
						   &link);
	if (!err) {
		test_run(tfd, &r1);
		bbpf_link_destroy(link);
		test_run(tfd, &r2);
	}
	value("freplace_before", r0);
	value("freplace_replaced", r1);
	value("freplace_after", r2);
	result("attach-freplace", !err && r0 == 2 && r1 == 1001 && r2 == 2,
	       "load+attach %d; get_val(1): %u, replaced %u, detached %u", err, r0, r1, r2);
	bbpf_object_close(e.obj);
	bbpf_object_close(t.obj);
}

/* ---- a map element iterator ---- */

static void check_iter_map_elem(void)
{
	union bpf_iter_link_info li;
	struct bbpf_iter_attach_opts io = { .link_info = &li, .link_info_len = sizeof(li) };
	uint64_t vals[16], sum = 0, got_sum = 0;
	struct bbpf_link *link = NULL;
	struct bbpf_map *src;
	struct obj o;
	uint32_t k;
	ssize_t n = 0, total = 0;
	int err, fd = -1;

	err = open_load(&o, "iter_map_elem.bpf.o", false, NULL, 0);
	src = err ? NULL : bbpf_object_find_map(o.obj, "iter_src");
	for (k = 1; src && k <= 8; k++) {
		uint64_t v = k * 100 + 1;

		bbpf_map_update_elem(src, &k, sizeof(k), &v, sizeof(v), 0);
		sum += v;
	}
	if (src) {
		memset(&li, 0, sizeof(li));
		li.map.map_fd = (uint32_t)bbpf_map_fd(src);
		err = bbpf_program_attach_iter(bbpf_object_program(o.obj, 0), &io, &link);
	}
	if (!err && link)
		fd = bbpf_link_iter_create(link);
	while (fd >= 0 && (n = read(fd, (char *)vals + total, sizeof(vals) - (size_t)total)) > 0)
		total += n;
	if (fd >= 0)
		close(fd);
	for (k = 0; k < (uint32_t)(total / 8); k++)
		got_sum += vals[k];
	value("iter_elems", (unsigned long long)(total / 8));
	result("attach-iter-map-elem", !err && fd >= 0 && total == 8 * 8 && got_sum == sum,
	       "attach %d, %zd bytes read, value sum %llu (want %llu)", err, total,
	       (unsigned long long)got_sum, (unsigned long long)sum);
	bbpf_link_destroy(link);
	bbpf_object_close(o.obj);
}

int main(int argc, char **argv)
{
	FILE *f;

	dir = argc > 1 ? argv[1] : "/bpf";
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* someone else's event, which no detach of ours may touch */
	f = fopen(KPROBE_EVENTS, "a");
	if (!f || fprintf(f, "p:kprobes/foreign_check do_nanosleep\n") < 0 || fclose(f)) {
		result("attach-foreign-event", false, "cannot add it: %s", strerror(errno));
		return 1;
	}
	check_auto();
	check_modes();
	check_samples();
	check_freplace();
	check_iter_map_elem();
	f = fopen(KPROBE_EVENTS, "a");
	if (f) {
		fprintf(f, "-:kprobes/foreign_check\n");
		fclose(f);
	}
	return failures ? 1 : 0;
}
