/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf run OBJ [--duration SEC] [--set NAME=VALUE ...] [--show NAME ...] [--btf FILE]
 *                 [--kconfig FILE] [--event MAP=TYPE ...] [--dump MAP ...] [--perf-freq HZ]
 *                 [--xdp DEV] [--tc DEV:ingress|egress] [--cgroup PATH]
 *                 [--skip PROG ...] [--map MAP.FIELD=N ...]
 *
 * Open OBJ, set global variables (before load, as a skeleton user would),
 * load, attach every program that can be auto-attached (saying which were
 * not, and why; with --xdp, --tc, --cgroup also those of that kind there:
 * run_attach.c) and every perf_event program to the cpu-clock of every
 * online CPU (--perf-freq samples a second, 99 by default: libbpf has no
 * auto-attach for those, a profiler samples this way), print what every
 * iterator yields once, then until
 * SIGINT/SIGTERM or the end of the duration print every record of the
 * object's ring buffers and perf buffers (decoded with BTF, run_out.c) and
 * its bpf_printk output (a private tracefs instance, trace.c); at the end
 * the --show variables and the --dump maps, and detach.
 *
 * stdout is written at most every FLUSH_MS: a program that traces write()
 * of this very process (examples/minimal.bpf.c) fires once per write, and
 * each firing prints a line that we write again.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <barebpf/attach.h>
#include <barebpf/events.h>

#include "cli.h"
#include "load_util.h"
#include "map_dump.h"
#include "run_attach.h"
#include "run_out.h"
#include "run_vars.h"
#include "stop_sig.h"
#include "textfile.h"
#include "trace.h"
#include "../base/fmt.h"
#include "../parse/btf.h"

#define FLUSH_MS	100
#define TRACE_BUF	(64u << 10)
#define PERF_PAGES	16	/* per CPU, for the object's perf event arrays */
#define MAX_RECORD_MAPS	64

/* What ends the run (SIGPIPE is blocked too: a closed stdout ends it with EPIPE). */
#define STOP_SIGS	(BBPF_CLI_SIG(SIGINT) | BBPF_CLI_SIG(SIGTERM))

struct run {
	const char *obj_path, *kconfig, *btf;
	uint64_t duration;	/* nanoseconds; 0: until a signal */
	bool json;
	int status_fd;	/* where the "N program(s) attached" line goes (BBPF_CLI_STDERR, even with -j) */
	unsigned long long perf_freq;	/* perf_event programs' samples a second */
	/* The values of --set ("NAME=VALUE"), --show, --event ("MAP=TYPE"), --dump: by OPT_ */
	const char **list[4];
	size_t cnt[4];
	struct bbpf_cli_run_att att;	/* --xdp, --tc, --cgroup (run_attach.c) */
};

/* What is consumed while the programs run. */
struct consumers {
	struct bbpf_cli_rec_map maps[MAX_RECORD_MAPS];
	size_t map_cnt;
	struct bbpf_ringbuf *rb;
	struct bbpf_perfbuf *pb[MAX_RECORD_MAPS];
	size_t pb_cnt;
};


/*
 * "SEC" or "SEC.FRACTION" (digits only, at most 10^9 s) in nanoseconds
 * (digits past them round up); 0 if malformed. Parsed by hand and in
 * integers: strtod would pull musl's float scanner into the static binary.
 */
static uint64_t parse_ns(const char *v)
{
	uint64_t ns = 0, scale = 1000000000;
	const char *p = v;

	for (; *p >= '0' && *p <= '9'; p++)
		if ((ns = ns * 10 + (uint64_t)(*p - '0')) > 1000000000)
			return 0;
	if (p == v || (*p && (*p != '.' || !p[1])))
		return 0;
	ns *= scale;
	if (*p == '.')
		for (p++; *p; p++) {
			if (*p < '0' || *p > '9')
				return 0;
			scale /= 10;
			ns += scale ? (uint64_t)(*p - '0') * scale : *p != '0';
		}
	return ns;
}

/* The options that take a value, in the OPT_ order: first those that make a list. */
enum { OPT_SET, OPT_SHOW, OPT_EVENT, OPT_DUMP, OPT_DURATION, OPT_KCONFIG, OPT_BTF, OPT_PERF_FREQ };
static const char value_opts[] =
	"--set\0--show\0--event\0--dump\0--duration\0--kconfig\0--btf\0--perf-freq\0";

static int value_opt(const char *a)
{
	const char *w = value_opts;
	int k;

	for (k = 0; *w; k++, w += strlen(w) + 1)
		if (!strcmp(a, w))
			return k;
	return -1;
}

static int parse_args(const struct bbpf_cli_cmd *cmd, struct bbpf_cli_opts *opts,
		      struct run *r, struct bbpf_cli_obj *o, int argc, char **argv)
{
	bool no_more_opts = false;
	int i, k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!no_more_opts) {
			int n = bbpf_cli_run_att_opt(&r->att, cmd, argc, argv, &i);

			if (n < 0)
				return BBPF_CLI_EXIT_USAGE;
			if (!n)
				n = bbpf_cli_obj_tweak_opt(o, cmd, argc, argv, &i, false);
			if (n > 1)
				return n;
			if (n)
				continue;
		}
		if (no_more_opts || a[0] != '-' || !a[1]) {
			if (r->obj_path)
				return bbpf_cli_usage_error(cmd, "extra argument '%s'", a);
			r->obj_path = a;
		} else if (!strcmp(a, "--")) {
			no_more_opts = true;
		} else if ((k = value_opt(a)) >= 0) {
			const char *v;

			if (i + 1 >= argc)
				return bbpf_cli_usage_error(cmd, "'%s' needs a value", a);
			v = argv[++i];
			if (k == OPT_KCONFIG) {
				r->kconfig = v;
			} else if (k == OPT_BTF) {
				r->btf = v;
			} else if (k == OPT_DURATION) {
				r->duration = parse_ns(v);
				if (!r->duration)
					return bbpf_cli_usage_error(cmd, "bad duration '%s'", v);
			} else if (k == OPT_PERF_FREQ) {
				if (bbpf_cli_parse_uint(v, &r->perf_freq) || !r->perf_freq ||
				    r->perf_freq > 1000000)
					return bbpf_cli_usage_error(cmd, "bad --perf-freq '%s'", v);
			} else if (k == OPT_SET && (!strchr(v, '=') || v[0] == '=')) {
				return bbpf_cli_usage_error(cmd, "expected NAME=VALUE, got '%s'", v);
			} else if (k == OPT_EVENT && (!strchr(v, '=') || v[0] == '=' ||
						      !strchr(v, '=')[1])) {
				return bbpf_cli_usage_error(cmd, "expected MAP=TYPE, got '%s'", v);
			} else {
				if (k == OPT_EVENT)	/* split once: "MAP\0TYPE" */
					*strchr(argv[i], '=') = '\0';
				r->list[k][r->cnt[k]++] = v;
			}
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			bbpf_cli_help_usage(BBPF_CLI_STDOUT, cmd);
			return -1;
		} else if (!bbpf_cli_common_opt(opts, a)) {
			return bbpf_cli_usage_error(cmd, "unknown option '%s'", a);
		}
	}
	if (!r->obj_path)
		return bbpf_cli_usage_error(cmd, "missing object file");
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* The raw syscall: musl's vDSO lookup is ~1 KiB for a few calls per run. */
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static int open_trace(struct bbpf_cli_trace *tr)
{
	const char *dir = bbpf_cli_tracefs();
	char why[PATH_MAX + 128];

	if (!dir)
		return -1;
	if (bbpf_cli_trace_open(tr, dir, why, sizeof(why))) {
		bbpf_cli_err("%s", why);
		return -1;
	}
	return 0;
}

/* ---- records ---- */

static int on_ring(void *ctx, void *data, size_t size)
{
	bbpf_cli_out_record(ctx, -1, data, size);
	return 0;
}

static void on_perf(void *ctx, int cpu, void *data, uint32_t size)
{
	bbpf_cli_out_record(ctx, cpu, data, size);
}

static void on_lost(void *ctx, int cpu, uint64_t cnt)
{
	bbpf_cli_out_lost(ctx, cpu, cnt);
}

/* The type named by --event NAME=TYPE for map name; 0 (said once) if none. */
static uint32_t event_type(const struct bbpf_object *obj, const struct run *r, const char *map)
{
	static const uint32_t kinds[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF,
					   BTF_KIND_INT, BTF_KIND_ENUM, BTF_KIND_ENUM64 };
	struct bbpf_btf *btf = (struct bbpf_btf *)bbpf_object_btf(obj);
	size_t i, k;

	for (i = 0; i < r->cnt[OPT_EVENT]; i++) {
		const char *e = r->list[OPT_EVENT][i], *type = e + strlen(e) + 1;

		if (strcmp(e, map))
			continue;
		for (k = 0; btf && k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			uint32_t id = bbpf_btf_find_by_name_kind(btf, type, kinds[k]);

			if (id)
				return id;
		}
		bbpf_cli_err("--event %s=%s: %s has no type '%s' in its BTF (record types are often "
			     "left out of an object's BTF); printing bytes", e, type,
			     bbpf_object_name(obj), type);
		return 0;
	}
	return 0;
}

/* A ring buffer manager over every ring buffer, a perf buffer per perf event array. */
static int start_consumers(struct bbpf_cli_obj *o, const struct run *r, struct bbpf_cli_out *out,
			   struct consumers *c)
{
	size_t i;
	int err;

	for (i = 0; i < bbpf_object_map_cnt(o->obj); i++) {
		struct bbpf_map *m = bbpf_object_map(o->obj, i);
		enum bpf_map_type t = bbpf_map_type(m);
		struct bbpf_cli_rec_map *rm;
		int fd = bbpf_map_fd(m);

		if (fd < 0 || (t != BPF_MAP_TYPE_RINGBUF && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY))
			continue;
		if (c->map_cnt == MAX_RECORD_MAPS) {
			bbpf_cli_err("%s: more than %d ring/perf buffers; map '%s' is not read",
				     r->obj_path, MAX_RECORD_MAPS, bbpf_map_name(m));
			continue;
		}
		rm = &c->maps[c->map_cnt++];
		*rm = (struct bbpf_cli_rec_map){ .out = out, .name = bbpf_map_name(m),
						 .btf = bbpf_object_btf(o->obj),
						 .type_id = event_type(o->obj, r, bbpf_map_name(m)) };
		if (t == BPF_MAP_TYPE_RINGBUF)
			err = c->rb ? bbpf_ringbuf_add(c->rb, fd, on_ring, rm) :
			      bbpf_ringbuf_new(o->ctx, fd, on_ring, rm, &c->rb);
		else
			err = bbpf_perfbuf_new(o->ctx, fd, PERF_PAGES, on_perf, on_lost, rm, NULL,
					       &c->pb[c->pb_cnt++]);
		if (err) {
			if (t == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
				c->pb_cnt--;
			bbpf_cli_err("%s: map '%s': cannot read its records: %s", r->obj_path,
				     bbpf_map_name(m), strerror(-err));
			return err;
		}
	}
	return 0;
}

static void consume(struct consumers *c)
{
	size_t i;

	if (c->rb)
		bbpf_ringbuf_consume(c->rb);
	for (i = 0; i < c->pb_cnt; i++)
		bbpf_perfbuf_consume(c->pb[i]);
}

static void stop_consumers(struct consumers *c)
{
	size_t i;

	bbpf_ringbuf_free(c->rb);
	c->rb = NULL;
	for (i = 0; i < c->pb_cnt; i++)
		bbpf_perfbuf_free(c->pb[i]);
	c->pb_cnt = 0;
}

/*
 * Until asked to stop: wait for records or trace lines (at most FLUSH_MS; a
 * stop signal, blocked, is seen after the wait),
 * then read every consumer and the trace pipe, whatever poll said (see
 * trace.c), and write what was collected at most every FLUSH_MS.
 */
static int run_loop(struct consumers *c, struct bbpf_cli_trace *tr, uint64_t duration,
		    struct bbpf_cli_out *out, char *buf)
{
	uint64_t start = now_ns(), last_flush = 0, t, left;
	struct pollfd pfd[MAX_RECORD_MAPS + 2];
	size_t n = 0, i;
	long got;
	int timeout, err;

	pfd[n++] = (struct pollfd){ .fd = tr->fd, .events = POLLIN };
	if (c->rb)
		pfd[n++] = (struct pollfd){ .fd = bbpf_ringbuf_epoll_fd(c->rb), .events = POLLIN };
	for (i = 0; i < c->pb_cnt; i++)
		pfd[n++] = (struct pollfd){ .fd = bbpf_perfbuf_epoll_fd(c->pb[i]), .events = POLLIN };
	while (!bbpf_cli_stop_sig_pending(STOP_SIGS)) {
		t = now_ns();
		if (duration && t - start >= duration)
			break;
		if (bbpf_cli_out_pending(out) && t - last_flush >= FLUSH_MS * 1000000ull) {
			err = bbpf_cli_out_flush(out);
			if (err)
				return err;
			last_flush = t;
		}
		timeout = FLUSH_MS;
		left = start + duration - t;
		if (duration && left / 1000000 < FLUSH_MS)
			timeout = (int)(left / 1000000) + 1;
		syscall(SYS_poll, pfd, n, timeout);	/* musl's poll() only for this */
		consume(c);
		got = bbpf_cli_trace_read(tr, buf, TRACE_BUF);
		if (got > 0)
			bbpf_cli_out_trace(out, buf, (size_t)got);
	}
	return 0;
}

/* After detaching: the rest of the trace pipe. */
static void drain_trace(struct bbpf_cli_trace *tr, struct bbpf_cli_out *out, char *buf)
{
	long got;

	while ((got = bbpf_cli_trace_read(tr, buf, TRACE_BUF)) > 0)
		bbpf_cli_out_trace(out, buf, (size_t)got);
	bbpf_cli_out_trace_end(out);
}

/*
 * perf_event programs: each to the cpu-clock of every online CPU, as one
 * link; libbpf has no auto-attach for them.
 */
static int attach_perf(struct bbpf_object *obj, const struct run *r, struct bbpf_link **links,
		       size_t *cnt)
{
	struct bbpf_perf_cpus_opts po = { .freq = r->perf_freq ? r->perf_freq : 99 };
	size_t i;
	int err;

	*cnt = 0;
	for (i = 0; i < bbpf_object_program_cnt(obj); i++) {
		struct bbpf_program *p = bbpf_object_program(obj, i);

		if (bbpf_program_fd(p) < 0 || bbpf_program_type(p) != BPF_PROG_TYPE_PERF_EVENT)
			continue;
		err = bbpf_program_attach_perf_event_cpus(p, &po, &links[*cnt]);
		if (err) {
			bbpf_cli_err("%s: program '%s': attaching to the CPUs' clocks failed: %s",
				     r->obj_path, bbpf_program_name(p), strerror(-err));
			return err;
		}
		(*cnt)++;
	}
	return 0;
}

/* One line per program not attached, and why; -1 if nothing attached although something could. */
/* Attached by run_attach.c (--xdp, --tc, --cgroup)? */
static bool run_att_has(const struct bbpf_cli_run_att *a, const struct bbpf_program *p)
{
	size_t i;

	for (i = 0; i < a->link_cnt; i++)
		if (bbpf_link_program(a->links[i]) == p)
			return true;
	return false;
}

static int report_attach(struct bbpf_cli_obj *o, const struct run *r, int err, size_t perf_cnt)
{
	size_t i, done = perf_cnt + r->att.link_cnt, failed = 0;
	char names[512] = "";
	const char *why;
	int perr;

	for (i = 0; i < bbpf_object_program_cnt(o->obj); i++) {
		struct bbpf_program *p = bbpf_object_program(o->obj, i);

		switch (bbpf_program_attach_status(p, &why, &perr)) {
		case BBPF_ATTACH_DONE:
			done++;
			break;
		case BBPF_ATTACH_SKIPPED:
			if (bbpf_program_type(p) == BPF_PROG_TYPE_PERF_EVENT &&
			    bbpf_program_fd(p) >= 0)
				break;	/* attached by attach_perf() */
			if (run_att_has(&r->att, p) ||
			    bbpf_program_type(p) == BPF_PROG_TYPE_STRUCT_OPS)
				break;	/* attached by a target option, or with its struct_ops map */
			bbpf_cli_err("%s: program '%s' (section '%s') not attached: %s", r->obj_path,
				     bbpf_program_name(p), bbpf_program_section(p), why);
			break;
		case BBPF_ATTACH_FAILED:
			/* the library said why on its own line */
			failed++;
			bbpf_snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s'%s'",
				      failed > 1 ? ", " : "", bbpf_program_name(p));
			break;
		default:
			break;
		}
	}
	if (!done && failed) {
		/* one line: the verdict and the library's reason for the last failure */
		bbpf_cli_err("%s: nothing attached: %s failed (%s)", r->obj_path, names,
			     o->held[0] ? o->held : strerror(-err));
		o->held[0] = '\0';
		return -1;
	}
	return 0;
}

/* Every attached iterator's output, once. */
static void run_iterators(struct bbpf_cli_obj *o, struct bbpf_cli_out *out, char *buf)
{
	size_t i;

	for (i = 0; i < bbpf_object_link_cnt(o->obj); i++) {
		struct bbpf_link *l = bbpf_object_link(o->obj, i);
		struct bbpf_program *p = bbpf_link_program(l);
		struct bbpf_cli_out text;
		ssize_t n;
		int fd;

		if (!p || strncmp(bbpf_program_section(p), "iter", 4))
			continue;
		fd = bbpf_link_iter_create(l);
		if (fd < 0) {
			bbpf_cli_err("iterator '%s': %s", bbpf_program_name(p), strerror(-fd));
			continue;
		}
		bbpf_cli_out_init(&text, false);
		while ((n = read(fd, buf, TRACE_BUF)) > 0 || (n < 0 && errno == EINTR))
			if (n > 0)
				bbpf_cli_out_add(&text, buf, (size_t)n);
		if (n < 0)
			bbpf_cli_err("iterator '%s': read: %s", bbpf_program_name(p), strerror(errno));
		close(fd);
		bbpf_cli_out_iter(out, bbpf_program_name(p), text.buf ? text.buf : "", text.len);
		bbpf_cli_out_free(&text);
	}
}

/* The --dump maps, as bpftool map dump prints them (-j: one {"map":..,"dump":[...]} line each). */
static void dump_maps(struct bbpf_cli_obj *o, const struct run *r, bool pretty,
		      struct bbpf_cli_out *out)
{
	struct bbpf_cli_out dump;
	struct bbpf_dump_out w;
	size_t i;

	for (i = 0; i < r->cnt[OPT_DUMP]; i++) {
		struct bbpf_map *m = bbpf_object_find_map(o->obj, r->list[OPT_DUMP][i]);
		struct bbpf_cli_map_desc d = {
			.type = bbpf_map_type(m), .key_size = bbpf_map_key_size(m),
			.value_size = bbpf_map_value_size(m), .btf = bbpf_object_btf(o->obj),
			.key_type_id = bbpf_map_btf_key_type_id(m),
			.value_type_id = bbpf_map_btf_value_type_id(m),
		};
		int cpus = bbpf_ctx_possible_cpus(o->ctx), err;

		d.n_cpus = cpus > 0 ? (uint32_t)cpus : 1;
		if (r->json) {
			bbpf_cli_out_json_string(out, "{\"map\":", bbpf_map_name(m),
						 strlen(bbpf_map_name(m)));
			bbpf_cli_out_raw(out, ",\"dump\":");
		} else {
			bbpf_cli_out_fmt(out, "map %s:\n", bbpf_map_name(m));
		}
		bbpf_cli_out_init(&dump, r->json);
		bbpf_cli_out_writer(&dump, &w);
		err = bbpf_cli_map_dump(&bbpf_sys_linux, bbpf_map_fd(m), &d,
					!r->json ? BBPF_DUMP_VALUE_PLAIN :
					pretty ? BBPF_DUMP_VALUE_JSON_PRETTY : BBPF_DUMP_VALUE_JSON,
					&w);
		/* bpftool -j ends its dump with a newline: inside our object it goes */
		while (r->json && dump.len && dump.buf[dump.len - 1] == '\n')
			dump.len--;
		if (dump.len)
			bbpf_cli_out_add(out, dump.buf, dump.len);
		bbpf_cli_out_free(&dump);
		if (err == -EOPNOTSUPP)
			bbpf_cli_out_raw(out, r->json ? "null" : "(a map of this type has no elements to list)\n");
		if (r->json)
			bbpf_cli_out_raw(out, "}\n");
		if (err && err != -EOPNOTSUPP)
			bbpf_cli_err("--dump %s: %s", r->list[OPT_DUMP][i], strerror(-err));
	}
}

static int run_loaded(struct bbpf_cli_obj *o, struct run *r, bool pretty)
{
	struct bbpf_object_attach_opts ao = { .keep_going = true };
	char *buf = malloc(TRACE_BUF), msg[PATH_MAX + 128];
	struct consumers *c = calloc(1, sizeof(*c));
	struct bbpf_link **perf_links = calloc(bbpf_object_program_cnt(o->obj) + 1,
					       sizeof(*perf_links));
	struct bbpf_cli_out out, tail;
	struct bbpf_cli_trace tr;
	size_t perf_cnt = 0, i;
	int err, n, ret = BBPF_CLI_EXIT_FAIL;

	bbpf_cli_out_init(&out, r->json);
	bbpf_cli_out_init(&tail, r->json);
	if (!buf || !c || !perf_links) {
		bbpf_cli_err("out of memory");
		goto out_mem;
	}
	/* Before attaching: the first lines go to the instance too. */
	if (open_trace(&tr))
		goto out_mem;
	bbpf_cli_stop_sig_block(STOP_SIGS | BBPF_CLI_SIG(SIGPIPE));
	err = bbpf_object_attach_opts(o->obj, &ao);
	if (attach_perf(o->obj, r, perf_links, &perf_cnt))
		goto out;
	if (bbpf_cli_run_att_attach(&r->att, o->obj, r->obj_path))
		goto out;
	if (report_attach(o, r, err, perf_cnt))
		goto out;
	bbpf_cli_obj_flush(o);
	run_iterators(o, &out, buf);
	if (start_consumers(o, r, &out, c))
		goto out;
	/*
	 * With write(2), not stdio: musl's stdio uses writev(2), and the
	 * bundled example traces write(2) of this very process.
	 */
	n = bbpf_snprintf(msg, sizeof(msg), "%s: %s: %zu program(s) attached; streaming its "
			  "records and bpf_printk output (%s)\n", BBPF_CLI_NAME, r->obj_path,
			  bbpf_object_link_cnt(o->obj) + perf_cnt + r->att.link_cnt,
			  r->duration ? "until the end of --duration or Ctrl-C" : "Ctrl-C stops");
	bbpf_cli_out_write_all(r->status_fd, msg, n > 0 && (size_t)n < sizeof(msg) ? (size_t)n : 0);
	err = run_loop(c, &tr, r->duration, &out, buf);
	consume(c);
	/* Values first, then detach, so our last writes do not fire. */
	bbpf_cli_run_show(&tail, o->obj, r->list[OPT_SHOW], r->cnt[OPT_SHOW]);
	dump_maps(o, r, pretty, &tail);
	ret = BBPF_CLI_EXIT_OK;
out:
	stop_consumers(c);
	for (i = 0; i < perf_cnt; i++)
		bbpf_link_destroy(perf_links[i]);
	bbpf_cli_run_att_free(&r->att);
	if (ret == BBPF_CLI_EXIT_OK) {
		bbpf_cli_obj_close(o);
		drain_trace(&tr, &out, buf);
		if (!err)
			err = bbpf_cli_out_flush(&out);
		if (!err)
			err = bbpf_cli_out_flush(&tail);
		if (err == -EPIPE)
			err = 0;	/* the reader went away: a normal end */
		else if (err)
			bbpf_cli_err("writing the output: %s", strerror(-err));
		ret = err ? BBPF_CLI_EXIT_FAIL : BBPF_CLI_EXIT_OK;
	}
	bbpf_cli_trace_close(&tr);
out_mem:
	free(perf_links);
	bbpf_cli_out_free(&out);
	bbpf_cli_out_free(&tail);
	free(c);
	free(buf);
	return ret;
}

int bbpf_cli_run(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *gopts,
		 int argc, char **argv)
{
	struct bbpf_cli_opts opts = *gopts;
	struct bbpf_cli_obj o = { 0 };
	struct run r = { 0 };
	size_t i;
	int ret;

	/* One allocation, four lists of at most argc words each. */
	r.list[0] = calloc((size_t)argc * 4, sizeof(*r.list[0]));
	if (!r.list[0]) {
		bbpf_cli_err("out of memory");
		ret = BBPF_CLI_EXIT_FAIL;
		goto out;
	}
	for (i = 1; i < 4; i++)
		r.list[i] = r.list[i - 1] + argc;
	ret = parse_args(cmd, &opts, &r, &o, argc, argv);
	if (ret) {
		ret = ret < 0 ? BBPF_CLI_EXIT_OK : ret;
		goto out;
	}
	r.json = opts.json;
	r.status_fd = opts.stderr_fd;
	o.debug = opts.debug;
	ret = bbpf_cli_obj_open(&o, r.obj_path, r.kconfig, r.btf);
	bbpf_cli_obj_flush(&o);
	for (i = 0; !ret && i < r.cnt[OPT_SET]; i++)
		if (bbpf_cli_run_set(o.obj, r.list[OPT_SET][i]))
			ret = BBPF_CLI_EXIT_FAIL;
	for (i = 0; !ret && i < r.cnt[OPT_SHOW]; i++) {
		if (bbpf_cli_run_var_check(o.obj, r.list[OPT_SHOW][i]))
			ret = BBPF_CLI_EXIT_FAIL;
	}
	for (i = 0; !ret && i < r.cnt[OPT_DUMP]; i++) {
		const char *d = r.list[OPT_DUMP][i];

		if (!bbpf_object_find_map(o.obj, d)) {
			bbpf_cli_err("--dump %s: no map '%s' in %s", d, d, bbpf_object_name(o.obj));
			ret = BBPF_CLI_EXIT_FAIL;
		}
	}
	for (i = 0; !ret && i < r.cnt[OPT_EVENT]; i++) {
		const char *e = r.list[OPT_EVENT][i];
		struct bbpf_map *m = bbpf_object_find_map(o.obj, e);

		if (!m || (bbpf_map_type(m) != BPF_MAP_TYPE_RINGBUF &&
			   bbpf_map_type(m) != BPF_MAP_TYPE_PERF_EVENT_ARRAY)) {
			bbpf_cli_err("--event %s=%s: no ring buffer or perf event array '%s' in %s",
				     e, e + strlen(e) + 1, e, bbpf_object_name(o.obj));
			ret = BBPF_CLI_EXIT_FAIL;
		}
	}
	if (!ret)
		ret = bbpf_cli_obj_load(&o, r.obj_path);
	if (!ret)
		ret = run_loaded(&o, &r, opts.pretty);
out:
	bbpf_cli_run_att_free(&r.att);
	bbpf_cli_obj_close(&o);	/* detaches */
	free(r.list[0]);
	return ret;
}
