/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kprobe/ and kretprobe/ programs, as libbpf 1.8 attaches them
 * (bpf_program__attach_kprobe_opts): the kprobe PMU
 * (/sys/bus/event_source/devices/kprobe, 4.17+: a perf event whose attr
 * names the function, the return-probe bit from its format/retprobe),
 * attached through a BPF perf link (5.15+) or PERF_EVENT_IOC_SET_BPF; on
 * kernels without the PMU a tracefs kprobe event ("p:kprobes/NAME
 * FUNC+0xOFF" in kprobe_events), a tracepoint perf event on its id, and
 * the same attach, the event removed again when the link goes and on every
 * failure after it was added. attach_mode picks one of these where the
 * kernel can (-EOPNOTSUPP where it cannot), as libbpf's probe_attach_mode.
 */
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include "attach.h"
#include "../base/fmt.h"

#define FUNC_MAX	192	/* a kernel symbol (KSYM_NAME_LEN is 512 since 6.1; real ones are short) */

static bool is_sym_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/*
 * What goes into a kprobe_events line must be one symbol: no space, newline
 * or command character, or a crafted name would add or remove other events.
 */
bool bbpf_kprobe_func_ok(const char *func)
{
	const char *p, *colon = NULL;

	if (!func || !func[0] || strlen(func) > FUNC_MAX)
		return false;
	for (p = func; *p; p++) {
		if (*p == ':' && !colon && p != func && p[1])
			colon = p;
		else if (!is_sym_char(*p))
			return false;
	}
	return true;
}

int bbpf_kprobe_event_add(struct bbpf_ctx *ctx, const struct bbpf_program *prog, unsigned int how,
			  const char *func, uint64_t off, struct bbpf_link *link)
{
	bool retprobe = how & BBPF_KPROBE_EV_RET, samples = how & BBPF_KPROBE_EV_SAMPLES;
	/* bpf_load.c wrote "p:<func> <func>": group "kprobes" for both kinds */
	const char *group = retprobe && !samples ? "kretprobes" : "kprobes";
	char name[64], text[320];
	int n, err;

	err = bbpf_tracefs_probe_name(ctx, group, func, off, name, sizeof(name));
	if (err) {
		bbpf_attach_warn(ctx, prog, err, "no free kprobe event name "
			      "for '%s'", func);
		return err;
	}
	if (samples)
		n = bbpf_snprintf(text, sizeof(text), "%c:%s/%s %s", retprobe ? 'r' : 'p', group,
				  name, func);
	else
		n = bbpf_snprintf(text, sizeof(text), "%c:%s/%s %s+0x%llx", retprobe ? 'r' : 'p',
				  group, name, func, (unsigned long long)off);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENAMETOOLONG;
	err = bbpf_tracefs_write(&ctx->sys, BBPF_TRACEFS_KPROBE_EVENTS, text, (size_t)n);
	if (err && samples && !(how & BBPF_KPROBE_EV_QUIET))
		bbpf_attach_warn(ctx, prog, err, "adding the kprobe event for '%s' failed", func);
	else if (err && !samples)
		bbpf_attach_warn(ctx, prog, err, "adding the kprobe event for "
			      "'%s+0x%llx' failed", func, (unsigned long long)off);
	if (err)
		return err;
	/* Ours from now on: removed when the link goes, whatever fails next. */
	bbpf_snprintf(text, sizeof(text), "-:%s/%s", group, name);
	err = bbpf_link_undo_tracefs(link, BBPF_TRACEFS_KPROBE_EVENTS, text);
	if (err) {
		bbpf_attach_warn(ctx, prog, 0, "no memory for the link");
		return err;
	}
	return bbpf_tracefs_event_id(ctx, text + 2);	/* "GROUP/NAME" */
}

/* bbpf_attach_kprobe_opts on a func known to be a symbol name, opts given. */
static int kprobe_attach(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			 const char *func, struct bbpf_kprobe_opts o, struct bbpf_link *link)
{
	struct bbpf_perf_attach pa = { 0 };
	struct perf_event_attr attr;
	char what[FUNC_MAX + 64];
	unsigned int lo, hi;
	int type, err;
	bool legacy;
	long pfd;

	type = bbpf_kprobe_pmu_type(ctx, "kprobe");
	legacy = type < 0;
	/* (the section attach's mode is the default: no check linked where only it is) */
	err = o.attach_mode ? bbpf_probe_mode(ctx, o.attach_mode, &legacy, &pa) : 0;
	if (err == -EOPNOTSUPP)
		goto unsupported;
	if (err)
		return err;
	bbpf_snprintf(what, sizeof(what), "%s '%s+0x%llx'", o.retprobe ? "kretprobe" : "kprobe",
		      func, (unsigned long long)o.offset);
	pa.what = what;
	pa.cookie = o.bpf_cookie;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	if (!legacy) {
		attr.type = (uint32_t)type;
		if (o.retprobe) {
			/* as the uprobe PMU's: "config:N" */
			err = bbpf_pmu_format(ctx, "kprobe", "retprobe", &lo, &hi);
			if (err) {
				bbpf_attach_warn(ctx, prog, err, "cannot read "
					      "the kprobe PMU's retprobe bit");
				return err;
			}
			attr.config |= 1ull << lo;
		}
		attr.config1 = (uint64_t)(uintptr_t)func;	/* kprobe_func */
		attr.config2 = o.offset;			/* kprobe_addr or offset */
	} else {
#ifdef BBPF_NO_LEGACY_PROBES	/* the init build: the kprobe PMU (4.17+) only */
		int id = bbpf_attach_not_built(ctx, prog, "a legacy (tracefs) kprobe");
#else
		int id = bbpf_kprobe_event_add(ctx, prog, o.retprobe ? BBPF_KPROBE_EV_RET : 0, func,
					       o.offset, link);
#endif

		if (id < 0)
			return id;
		attr.type = PERF_TYPE_TRACEPOINT;
		attr.config = (uint64_t)id;
	}
	pfd = ctx->sys.perf_event_open(ctx->sys.ctx, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		bbpf_attach_warn(ctx, prog, (int)pfd, "cannot create the %s "
			      "perf event", what);
		return (int)pfd;
	}
	return bbpf_attach_perf_fd(ctx, prog, prog_fd, (int)pfd, &pa, link);
unsupported:
	bbpf_attach_warn(ctx, prog, 0, "kprobe attach mode %d needs %s, which "
		      "this kernel lacks", (int)o.attach_mode,
		      legacy ? "the kprobe PMU" : "BPF perf links");
	return -EOPNOTSUPP;
}

int bbpf_attach_kprobe_opts(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			    const char *func, const struct bbpf_kprobe_opts *opts,
			    struct bbpf_link *link)
{
	if (!bbpf_kprobe_func_ok(func)) {
		/* not echoed: it may hold anything, newlines included */
		bbpf_attach_warn(ctx, prog, 0, "the kprobe target is no "
			      "kernel symbol name (letters, digits, '_', '.', one 'module:')");
		return -EINVAL;
	}
	return kprobe_attach(ctx, prog, prog_fd, func,
			     opts ? *opts : (struct bbpf_kprobe_opts){ 0 }, link);
}

/* A C integer as sscanf's %li reads it: decimal, 0x hex or 0 octal (no sign here). */
static int parse_offset(const char *s, uint64_t *out)
{
	unsigned int base = 10, d;
	uint64_t v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	if (p == s || (base == 16 && p == s + 2))
		return -EINVAL;
	*out = v;
	return 0;
}

int bbpf_attach_kprobe(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
		       struct bbpf_link *link)
{
	struct bbpf_kprobe_opts o = { 0 };
	const char *t = prog->attach_target;
	char func[FUNC_MAX + 1];
	size_t len = 0;

	if (bbpf_kprobe_is_samples(prog))
#ifdef BBPF_NO_LEGACY_PROBES	/* the init build: samples/bpf objects attach through tracefs */
		return bbpf_attach_not_built(ctx, prog, "samples/bpf-style kprobe attach");
#else
		return bbpf_attach_kprobe_samples(ctx, prog, prog_fd, link);
#endif
	o.retprobe = !strncmp(prog->sec_name, "kretprobe", 9);
	/* libbpf: "%m[a-zA-Z0-9_.]+%li" */
	while (is_sym_char(t[len]))
		len++;
	if (!len || len > FUNC_MAX || (t[len] == '+' && parse_offset(t + len + 1, &o.offset))) {
		bbpf_attach_warn(ctx, prog, 0, "kprobe name is invalid: %s", t);
		return -EINVAL;
	}
	if (o.retprobe && o.offset) {
		bbpf_attach_warn(ctx, prog, 0, "kretprobes do not support "
			      "offset specification");
		return -EINVAL;
	}
	/* a symbol name (the characters above, no ':'): bbpf_kprobe_func_ok's answer is known */
	memcpy(func, t, len);
	func[len] = '\0';
	return kprobe_attach(ctx, prog, prog_fd, func, o, link);
}

struct kprobe_args {
	const char *func;
	const struct bbpf_kprobe_opts *opts;
};

static int attach_kprobe_api(struct bbpf_ctx *ctx, const struct bbpf_program *prog, int prog_fd,
			     struct bbpf_link *link, const void *varg)
{
	const struct kprobe_args *a = varg;

	return bbpf_attach_kprobe_opts(ctx, prog, prog_fd, a->func, a->opts, link);
}

int bbpf_program_attach_kprobe(struct bbpf_program *prog, const char *func_name,
			       const struct bbpf_kprobe_opts *opts, struct bbpf_link **out)
{
	struct kprobe_args a = { func_name, opts };

	return bbpf_attach_api(prog, attach_kprobe_api, &a, out);
}
