/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf run OBJ [--duration SEC] [--set NAME=VALUE ...] [--show NAME ...] [--btf FILE]
 *                 [--kconfig FILE] [--xdp DEV] [--tc DEV:ingress|egress] [--cgroup PATH]
 *
 * Open OBJ, set global variables (before load, as a skeleton user would),
 * load, attach every program that can be auto-attached (and, with --xdp,
 * --tc, --cgroup, those of that kind there: run_attach.c), and copy bpf_printk
 * output from trace_pipe to stdout until SIGINT/SIGTERM or the end of the
 * duration; then print the --show variables and detach.
 *
 * The copy to stdout is written at most every FLUSH_MS: a program that
 * traces write() of this very process (examples/minimal.bpf.c) fires once
 * per write, and each firing prints a line that we write again.
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

#include "cli.h"
#include "load_util.h"
#include "run_attach.h"
#include "trace.h"
#include "../base/fmt.h"

#define FLUSH_MS	100
#define TRACE_BUF	(64u << 10)

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct run {
	const char *obj_path, *kconfig, *btf;
	double duration;	/* seconds; 0: until a signal */
	const char **sets;	/* "NAME=VALUE" */
	const char **shows;
	size_t set_cnt, show_cnt;
	struct bbpf_cli_run_att att;	/* --xdp, --tc, --cgroup (run_attach.c) */
};


/*
 * "SEC" or "SEC.FRACTION" (digits only, at most 10^9 s) as seconds; -1 if
 * malformed. Parsed by hand: strtod would pull musl's float scanner into the
 * static binary for one option.
 */
static double parse_seconds(const char *v)
{
	double sec = 0, scale = 1;
	const char *p = v;

	for (; *p >= '0' && *p <= '9'; p++)
		if ((sec = sec * 10 + (*p - '0')) > 1e9)
			return -1;
	if (p == v || (*p && *p != '.'))
		return -1;
	if (*p == '.') {
		if (!p[1])
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			sec += (*p - '0') * (scale /= 10);
		if (*p)
			return -1;
	}
	return sec;
}

static int parse_args(const struct bbpf_cli_cmd *cmd, struct bbpf_cli_opts *opts,
		      struct run *r, int argc, char **argv)
{
	bool no_more_opts = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!no_more_opts) {
			int n = bbpf_cli_run_att_opt(&r->att, cmd, argc, argv, &i);

			if (n < 0)
				return BBPF_CLI_EXIT_USAGE;
			if (n)
				continue;
		}
		if (no_more_opts || a[0] != '-' || !a[1]) {
			if (r->obj_path)
				return bbpf_cli_usage_error(cmd, "extra argument '%s'", a);
			r->obj_path = a;
		} else if (!strcmp(a, "--")) {
			no_more_opts = true;
		} else if (!strcmp(a, "--duration") || !strcmp(a, "--set") ||
			   !strcmp(a, "--show") || !strcmp(a, "--kconfig") || !strcmp(a, "--btf")) {
			const char *v;

			if (i + 1 >= argc)
				return bbpf_cli_usage_error(cmd, "'%s' needs a value", a);
			v = argv[++i];
			if (!strcmp(a, "--kconfig")) {
				r->kconfig = v;
			} else if (!strcmp(a, "--btf")) {
				r->btf = v;
			} else if (!strcmp(a, "--duration")) {
				r->duration = parse_seconds(v);
				if (r->duration <= 0)
					return bbpf_cli_usage_error(cmd, "bad duration '%s'", v);
			} else if (!strcmp(a, "--set")) {
				if (!strchr(v, '=') || v[0] == '=')
					return bbpf_cli_usage_error(cmd, "expected NAME=VALUE, got "
								    "'%s'", v);
				r->sets[r->set_cnt++] = v;
			} else {
				r->shows[r->show_cnt++] = v;
			}
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			bbpf_cli_fprintf(stdout, "Usage: %s %s\n", BBPF_CLI_NAME, cmd->usage);
			return -1;
		} else if (!bbpf_cli_common_opt(opts, a)) {
			return bbpf_cli_usage_error(cmd, "unknown option '%s'", a);
		}
	}
	if (!r->obj_path)
		return bbpf_cli_usage_error(cmd, "missing object file");
	return 0;
}

/*
 * All of s as strtoull(s, &end, 0) reads it, starting with a digit: 0x hex,
 * 0 octal or decimal. -ERANGE on overflow (as errno), -EINVAL if anything
 * is left. By hand: libc's number scanner is 2 KiB of the static binary.
 */
static int parse_uint(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned int base = 10, d;
	bool overflow = false;

	if (!(*s >= '0' && *s <= '9'))
		return -EINVAL;
	if (s[0] == '0') {
		base = 8;
		if ((s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (isxdigit((unsigned char)*s))
			d = (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Integer VALUE ("self": our pid) into n = 1, 2, 4 or 8 bytes, range-checked. */
static int parse_int(const char *s, size_t n, void *out)
{
	unsigned long long u;
	int err;

	if (!strcmp(s, "self")) {
		u = (unsigned long long)getpid();
	} else if (s[0] == '-') {
		/* as strtoll(): any error, LLONG_MIN's range included, is -EINVAL */
		if (parse_uint(s + 1, &u) || u > (unsigned long long)LLONG_MAX + 1)
			return -EINVAL;
		u = 0 - u;
		if (n < 8 && (long long)u < -(1LL << (n * 8 - 1)))
			return -ERANGE;
	} else {
		err = parse_uint(s, &u);
		if (err)
			return err;
		if (n < 8 && u >> (n * 8))
			return -ERANGE;
	}
	switch (n) {
	case 1: { uint8_t x = (uint8_t)u; memcpy(out, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)u; memcpy(out, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)u; memcpy(out, &x, 4); break; }
	default: memcpy(out, &u, 8); break;
	}
	return 0;
}

static bool int_sized(size_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

/*
 * One --set: an integer for a 1/2/4/8-byte variable, otherwise (or when
 * VALUE is in double quotes) a string, NUL-padded, that must fit.
 */
static int apply_set(struct bbpf_object *obj, const char *arg)
{
	const char *eq = strchr(arg, '='), *val = eq + 1;
	char name[256];
	struct bbpf_map *map;
	size_t off, size, vsz, len;
	uint8_t *data;
	int err;

	if ((size_t)(eq - arg) >= sizeof(name)) {
		bbpf_cli_err("--set %s: name too long", arg);
		return -EINVAL;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	err = bbpf_object_find_global(obj, name, &map, &off, &size);
	data = err ? NULL : bbpf_map_initial_value(map, &vsz);
	if (!data || off + size > vsz) {
		bbpf_cli_err("--set %s: no global variable '%s' in %s%s%s", arg, name,
			     bbpf_object_name(obj), err && err != -ENOENT ? ": " : "",
			     err && err != -ENOENT ? strerror(-err) : "");
		return -ENOENT;
	}
	len = strlen(val);
	if (len >= 2 && val[0] == '"' && val[len - 1] == '"') {
		val++;
		len -= 2;
	} else if (int_sized(size) && (!strcmp(val, "self") || val[0] == '-' ||
				       (val[0] >= '0' && val[0] <= '9'))) {
		err = parse_int(val, size, data + off);
		if (err)
			bbpf_cli_err("--set %s: '%s' is not a %zu-byte integer%s", arg, val, size,
				     err == -ERANGE ? " (out of range)" : "");
		return err;
	}
	if (len >= size) {
		bbpf_cli_err("--set %s: a %zu-byte variable holds at most %zu characters",
			     arg, size, size ? size - 1 : 0);
		return -E2BIG;
	}
	memset(data + off, 0, size);
	memcpy(data + off, val, len);
	return 0;
}

/* A NUL-terminated printable string filling p[0..n) (zero padded)? */
static bool is_text(const uint8_t *p, size_t n)
{
	size_t i, len = strnlen((const char *)p, n);

	if (!len || len == n)
		return false;
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return false;
	for (; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Without the variable's type: 1/2/4/8 bytes as an unsigned integer (and as
 * text too when the bytes read as a string: a char[8]), text, or bytes.
 */
static void print_value(FILE *f, const char *name, const uint8_t *p, size_t n)
{
	unsigned long long u = 0;
	size_t i;

	if (int_sized(n)) {
		switch (n) {
		case 1: u = p[0]; break;
		case 2: { uint16_t x; memcpy(&x, p, 2); u = x; break; }
		case 4: { uint32_t x; memcpy(&x, p, 4); u = x; break; }
		default: memcpy(&u, p, 8); break;
		}
		bbpf_cli_fprintf(f, "%s = %llu (0x%llx)", name, u, u);
		if (n > 1 && strnlen((const char *)p, n) > 1 && is_text(p, n))
			bbpf_cli_fprintf(f, " \"%s\"", (const char *)p);
		fputc('\n', f);
	} else if (is_text(p, n)) {
		bbpf_cli_fprintf(f, "%s = \"%s\"\n", name, (const char *)p);
	} else {
		bbpf_cli_fprintf(f, "%s =", name);
		for (i = 0; i < n; i++)
			bbpf_cli_fprintf(f, " %02x", p[i]);
		fputc('\n', f);
	}
}

/* The --show variables, from the mapped global data (or a lookup), into f. */
static void show_vars(FILE *f, struct bbpf_object *obj, const struct run *r)
{
	size_t i, off, size, msz;
	struct bbpf_map *map;
	uint8_t *buf, *p;
	uint32_t key = 0;

	for (i = 0; i < r->show_cnt; i++) {
		if (bbpf_object_find_global(obj, r->shows[i], &map, &off, &size))
			continue;	/* checked before load */
		p = bbpf_map_mmaped(map, &msz);
		buf = NULL;
		if (!p || off + size > msz) {
			buf = malloc(bbpf_map_value_size(map));
			if (!buf || bbpf_map_lookup_elem(map, &key, sizeof(key), buf,
							 bbpf_map_value_size(map), 0)) {
				bbpf_cli_err("cannot read '%s'", r->shows[i]);
				free(buf);
				continue;
			}
			p = buf;
		}
		print_value(f, r->shows[i], p + off, size);
		free(buf);
	}
}

static double now_sec(void)
{
	struct timespec ts;

	/* The raw syscall: musl's vDSO lookup is ~1 KiB for a few calls per run. */
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy the instance's trace_pipe to stdout until asked to stop. What is
 * read but not yet written stays in buf (*len bytes). The pipe is read
 * after every wait, whether poll said it is readable or timed out (see
 * trace.c). 0, or -errno of a failed write.
 */
static int stream(struct bbpf_cli_trace *tr, double duration, char *buf, size_t *len)
{
	double start = now_sec(), last_flush = 0, t;
	struct pollfd pfd = { .fd = tr->fd, .events = POLLIN };
	long n;
	int timeout, err;

	while (!stop_requested) {
		t = now_sec();
		if (duration > 0 && t - start >= duration)
			break;
		if (*len && (t - last_flush >= FLUSH_MS / 1e3 || *len == TRACE_BUF)) {
			err = write_all(STDOUT_FILENO, buf, *len);
			if (err)
				return err;
			*len = 0;
			last_flush = t;
		}
		timeout = FLUSH_MS;
		if (duration > 0 && (start + duration - t) * 1e3 < timeout)
			timeout = (int)((start + duration - t) * 1e3) + 1;
		if (*len == TRACE_BUF) {
			poll(NULL, 0, timeout);
			continue;
		}
		poll(&pfd, 1, timeout);
		n = bbpf_cli_trace_read(tr, buf + *len, TRACE_BUF - *len);
		if (n > 0)
			*len += (size_t)n;
	}
	return 0;
}

/* After detaching: the rest of the pipe, then what is pending, to stdout. */
static int drain(struct bbpf_cli_trace *tr, char *buf, size_t len)
{
	long n;
	int err;

	for (;;) {
		if (len < TRACE_BUF) {
			n = bbpf_cli_trace_read(tr, buf + len, TRACE_BUF - len);
			if (n > 0) {
				len += (size_t)n;
				continue;
			}
		}
		if (!len)
			return 0;
		err = write_all(STDOUT_FILENO, buf, len);
		if (err || len < TRACE_BUF)
			return err;
		len = 0;
	}
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

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: poll() returns */
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);	/* a closed stdout ends the run (EPIPE) */
}

static int run_loaded(struct bbpf_cli_obj *o, struct run *r)
{
	char *buf = malloc(TRACE_BUF), *shown = NULL, msg[PATH_MAX + 128];
	struct bbpf_cli_trace tr;
	size_t len = 0, shown_len = 0;
	FILE *f = NULL;
	int err, n;

	if (!buf) {
		bbpf_cli_err("out of memory");
		return BBPF_CLI_EXIT_FAIL;
	}
	/* Before attaching: the first lines go to the instance too. */
	if (open_trace(&tr)) {
		free(buf);
		return BBPF_CLI_EXIT_FAIL;
	}
	catch_signals();
	err = bbpf_object_attach(o->obj);
	if (err) {
		bbpf_cli_err("%s: attaching failed: %s", r->obj_path, strerror(-err));
		goto out;
	}
	if (bbpf_cli_run_att_attach(&r->att, o->obj, r->obj_path)) {
		err = -EINVAL;
		goto out;
	}
	/*
	 * With write(2), not stdio: musl's stdio uses writev(2), and the
	 * bundled example traces write(2) of this very process.
	 */
	n = bbpf_snprintf(msg, sizeof(msg), "%s: %s: %zu program(s) attached; streaming bpf_printk "
		     "output (%s)\n", BBPF_CLI_NAME, r->obj_path,
		     bbpf_object_link_cnt(o->obj) + r->att.link_cnt,
		     r->duration > 0 ? "until the end of --duration or Ctrl-C" : "Ctrl-C stops");
	write_all(STDERR_FILENO, msg, n > 0 && (size_t)n < sizeof(msg) ? (size_t)n : 0);
	err = stream(&tr, r->duration, buf, &len);
	/* Values first, then detach, so our last writes do not fire. */
	f = open_memstream(&shown, &shown_len);
	if (f) {
		show_vars(f, o->obj, r);
		fclose(f);
	}
	bbpf_cli_run_att_free(&r->att);
	bbpf_cli_obj_close(o);
	if (!err)
		err = drain(&tr, buf, len);
	if (!err && shown)
		err = write_all(STDOUT_FILENO, shown, shown_len);
	if (!f)
		bbpf_cli_err("out of memory");
	if (err == -EPIPE)
		err = 0;	/* the reader went away: a normal end */
	else if (err)
		bbpf_cli_err("writing the trace: %s", strerror(-err));
out:
	bbpf_cli_run_att_free(&r->att);
	bbpf_cli_trace_close(&tr);
	free(shown);
	free(buf);
	return err || !f ? BBPF_CLI_EXIT_FAIL : BBPF_CLI_EXIT_OK;
}

int bbpf_cli_run(const struct bbpf_cli_cmd *cmd, const struct bbpf_cli_opts *gopts,
		 int argc, char **argv)
{
	struct bbpf_cli_opts opts = *gopts;
	struct bbpf_cli_obj o = { 0 };
	struct run r = { 0 };
	size_t i, off, size;
	struct bbpf_map *map;
	int ret;

	r.sets = calloc((size_t)argc, sizeof(*r.sets));
	r.shows = calloc((size_t)argc, sizeof(*r.shows));
	if (!r.sets || !r.shows) {
		bbpf_cli_err("out of memory");
		ret = BBPF_CLI_EXIT_FAIL;
		goto out;
	}
	ret = parse_args(cmd, &opts, &r, argc, argv);
	if (ret) {
		ret = ret < 0 ? BBPF_CLI_EXIT_OK : ret;
		goto out;
	}
	o.debug = opts.debug;
	ret = bbpf_cli_obj_open(&o, r.obj_path, r.kconfig, r.btf);
	for (i = 0; !ret && i < r.set_cnt; i++)
		if (apply_set(o.obj, r.sets[i]))
			ret = BBPF_CLI_EXIT_FAIL;
	for (i = 0; !ret && i < r.show_cnt; i++) {
		if (bbpf_object_find_global(o.obj, r.shows[i], &map, &off, &size)) {
			bbpf_cli_err("--show %s: no global variable '%s' in %s", r.shows[i],
				     r.shows[i], bbpf_object_name(o.obj));
			ret = BBPF_CLI_EXIT_FAIL;
		}
	}
	if (!ret)
		ret = bbpf_cli_obj_load(&o, r.obj_path);
	if (!ret)
		ret = run_loaded(&o, &r);
out:
	bbpf_cli_run_att_free(&r.att);
	bbpf_cli_obj_close(&o);	/* detaches */
	free(r.sets);
	free(r.shows);
	return ret;
}
