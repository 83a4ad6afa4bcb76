/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dynamic perf PMUs (kprobe, uprobe): the layout of their perf_event_attr
 * config word, as sysfs describes it in
 * /sys/bus/event_source/devices/<pmu>/format/<field>: "config:0" (one bit,
 * the uprobe PMU's "retprobe") or "config:32-63" (a bit range, its
 * "ref_ctr_offset"). Every read goes through the syscall table.
 */
#include <errno.h>
#include <string.h>
#include "kern.h"
#include "../base/fmt.h"

/* A decimal bit number (0..63); advances *p. */
static int bit_num(const char **p, const char *end, unsigned int *v)
{
	unsigned int n = 0;
	int digits = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		n = n * 10 + (unsigned int)(**p - '0');
		if (++digits > 2)
			return -EBADMSG;
		(*p)++;
	}
	if (!digits || n > 63)
		return -EBADMSG;
	*v = n;
	return 0;
}

int bbpf_pmu_format_parse(const char *text, size_t len, unsigned int *lo, unsigned int *hi)
{
	const char *p = text, *end = text + len;
	unsigned int a, b;

	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if ((size_t)(end - p) < 7 || memcmp(p, "config:", 7) != 0)
		return -EOPNOTSUPP;	/* config1/config2 fields: not what callers ask */
	p += 7;
	if (bit_num(&p, end, &a))
		return -EBADMSG;
	b = a;
	if (p < end && *p == '-') {
		p++;
		if (bit_num(&p, end, &b) || b < a)
			return -EBADMSG;
	}
	if (p != end)
		return -EBADMSG;
	*lo = a;
	*hi = b;
	return 0;
}

int bbpf_pmu_format(struct bbpf_ctx *ctx, const char *pmu, const char *field, unsigned int *lo,
		    unsigned int *hi)
{
	struct bbpf_arena tmp;
	char path[128], *text;
	size_t len;
	int err, n;

	n = bbpf_snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/format/%s", pmu,
			  field);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	bbpf_arena_init(&tmp, &ctx->alloc, 64 * 1024);
	err = bbpf_sys_read_file(ctx, path, &tmp, 64, &text, &len);
	if (!err) {
		err = bbpf_pmu_format_parse(text, len, lo, hi);
		if (err)
			bbpf_log(&ctx->log, BBPF_LOG_WARN, "%s: unexpected format", path);
	}
	bbpf_arena_free(&tmp);
	return err;
}
