/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call entry points as kprobes see them. Kernels built with syscall
 * wrappers (x86-64 since 4.17, arm64 since 4.19, s390, riscv, ...) name the
 * entry "__<arch>_sys_<name>"; others "sys_<name>". The prefix is the
 * running kernel's (its uname machine), not the build's, so a 32-bit tool
 * on a 64-bit kernel probes the right symbols; whether the wrapper exists is
 * probed once per context, as libbpf does for LINUX_HAS_SYSCALL_WRAPPER: by
 * creating a kprobe on "<prefix>sys_bpf" (through the kprobe PMU, else a
 * tracefs kprobe event added and removed). Without it, libbpf 1.x attaches
 * ksyscall programs to "__se_sys_<name>", the alias SYSCALL_DEFINE makes.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include "kern.h"
#include "../base/fmt.h"

/*
 * Pairs of uname -m (or its prefix when it ends with '*') and the entry
 * prefix, NUL-separated in one string: no pointer per name.
 */
static const char arch_prefixes[] =
	"x86_64\0__x64_\0"
	"i?86*\0__ia32_\0"
	"aarch64\0__arm64_\0"
	"arm64\0__arm64_\0"
	"arm*\0__arm_\0"
	"s390x\0__s390x_\0"
	"s390\0__s390_\0"
	"riscv*\0__riscv_\0"
	"ppc64*\0__powerpc64_\0"
	"ppc*\0__powerpc_\0"
	"loongarch*\0__loongarch_\0"
	"mips*\0__mips_";

static bool machine_matches(const char *pattern, const char *machine)
{
	for (; *pattern; pattern++, machine++) {
		if (*pattern == '*')
			return true;
		if (*pattern == '?' ? !*machine : *pattern != *machine)
			return false;
	}
	return !*machine;
}

const char *bbpf_ksyscall_prefix(struct bbpf_ctx *ctx)
{
	struct utsname u;
	const char *p, *prefix;

	if (ctx->ksyscall_prefix)
		return ctx->ksyscall_prefix;
	ctx->ksyscall_prefix = "";
	if (ctx->sys.uname(ctx->sys.ctx, &u))
		return ctx->ksyscall_prefix;
	for (p = arch_prefixes; p < arch_prefixes + sizeof(arch_prefixes); p = prefix + strlen(prefix) + 1) {
		prefix = p + strlen(p) + 1;
		if (machine_matches(p, u.machine)) {
			ctx->ksyscall_prefix = prefix;
			break;
		}
	}
	return ctx->ksyscall_prefix;
}

/* A number after prefix at the start of a small sysfs file ("6\n", "config:0\n"). */
static int read_num(struct bbpf_ctx *ctx, const char *path, const char *prefix)
{
	size_t len, i, plen = strlen(prefix);
	struct bbpf_arena tmp;
	char *text;
	long v = 0;
	int err;

	bbpf_arena_init(&tmp, &ctx->alloc, 64 * 1024);
	err = bbpf_sys_read_file(ctx, path, &tmp, 64, &text, &len);
	if (!err && (len < plen || memcmp(text, prefix, plen)))
		err = -EBADMSG;
	for (i = plen; !err && i < len && text[i] >= '0' && text[i] <= '9' && v < 1000000; i++)
		v = v * 10 + (text[i] - '0');
	if (!err && i == plen)
		err = -EBADMSG;
	bbpf_arena_free(&tmp);
	return err ? err : (int)v;
}

/* The kprobe PMU's type (/sys/bus/event_source/devices/kprobe/type), or a negative errno. */
int bbpf_kprobe_pmu_type(struct bbpf_ctx *ctx, const char *pmu)
{
	char path[80];

	bbpf_snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	return read_num(ctx, path, "");
}

int bbpf_kprobe_pmu_retprobe_bit(struct bbpf_ctx *ctx, const char *pmu)
{
	char path[96];
	int bit;

	bbpf_snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/format/retprobe", pmu);
	bit = read_num(ctx, path, "config:");
	return bit > 63 ? -EBADMSG : bit;
}

#ifdef BBPF_NO_LEGACY_PROBES
#define LEGACY_BUILT false
/*
 * The init build makes no tracefs kprobe events: before 4.17 (no kprobe
 * PMU) the answer is "no wrapper", which it is on x86-64 and arm64 there.
 */
#define legacy_probe(ctx, func) false
#else
#define LEGACY_BUILT true
/*
 * Without the PMU (before 4.17), libbpf asks tracefs: a kprobe event on the
 * wrapper can be added (and is removed at once).
 */
static bool legacy_probe(struct bbpf_ctx *ctx, const char *func)
{
	char name[64], text[192];
	int n;

	if (bbpf_tracefs_probe_name(ctx, "kprobes", func, 0, name, sizeof(name)))
		return false;
	n = bbpf_snprintf(text, sizeof(text), "p:kprobes/%s %s", name, func);
	if (n < 0 || (size_t)n >= sizeof(text) ||
	    bbpf_tracefs_write(&ctx->sys, BBPF_TRACEFS_KPROBE_EVENTS, text, (size_t)n))
		return false;
	n = bbpf_snprintf(text, sizeof(text), "-:kprobes/%s", name);
	bbpf_tracefs_write(&ctx->sys, BBPF_TRACEFS_KPROBE_EVENTS, text, (size_t)n);
	return true;
}
#endif

bool bbpf_ksyscall_has_wrapper(struct bbpf_ctx *ctx)
{
	struct perf_event_attr attr;
	char name[64];
	int type;
	long fd;

	if (ctx->ksyscall_probed)
		return ctx->ksyscall_wrapper;
	ctx->ksyscall_probed = true;
	ctx->ksyscall_wrapper = false;
	if (!bbpf_ksyscall_prefix(ctx)[0])
		return false;
	type = bbpf_kprobe_pmu_type(ctx, "kprobe");
	/*
	 * Neither the PMU nor kprobe_events (an empty write finds it): a kernel
	 * without kprobes, nothing to name or ask.
	 */
	if (type < 0 && (!LEGACY_BUILT ||
			 bbpf_tracefs_write(&ctx->sys, BBPF_TRACEFS_KPROBE_EVENTS, "", 0)))
		return false;
	bbpf_snprintf(name, sizeof(name), "%ssys_bpf", bbpf_ksyscall_prefix(ctx));
	if (type < 0) {
		ctx->ksyscall_wrapper = legacy_probe(ctx, name);
		return ctx->ksyscall_wrapper;
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (uint32_t)type;
	attr.config1 = (uint64_t)(uintptr_t)name;	/* kprobe_func */
	fd = ctx->sys.perf_event_open(ctx->sys.ctx, &attr, (pid_t)ctx->sys.getpid(ctx->sys.ctx), -1,
				      -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return false;
	ctx->sys.close(ctx->sys.ctx, (int)fd);
	ctx->ksyscall_wrapper = true;
	return true;
}

int bbpf_ksyscall_entry(struct bbpf_ctx *ctx, const char *syscall, char *buf, size_t size)
{
	/* Without the wrapper, libbpf 1.x probes the SYSCALL_DEFINE body's __se_sys_ alias. */
	int n = bbpf_snprintf(buf, size, "%ssys_%s",
			      bbpf_ksyscall_has_wrapper(ctx) ? bbpf_ksyscall_prefix(ctx) : "__se_",
			      syscall);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
