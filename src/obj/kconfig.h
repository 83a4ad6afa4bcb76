/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Values of an object's .kconfig externs, from the text of a kernel .config
 * file, as libbpf 1.1 computes them (bpf_object__resolve_externs and the
 * set_kcfg_value_* helpers):
 *  - "CONFIG_X=y|m|n": bool (y/n; m is an error), tristate (enum
 *    libbpf_tristate: n = 0, y = 1, m = 2) or char (the letter itself);
 *  - "CONFIG_X=<number>" (strtoull base 0: 123, 0x1f, 017, -5): int or
 *    char, range-checked against the extern's size and signedness;
 *  - "CONFIG_X=\"str\"": char arrays, truncated (with a warning) to fit;
 *  - LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER
 *    come from struct bbpf_kconfig_special; another LINUX_ extern is 0 if
 *    weak, an error if strong; any other name is an error;
 *  - the first line naming an option wins; a "CONFIG_" line without "=" or
 *    without a value is an error (even for options no extern uses);
 *  - a strong extern still unset at the end is an error, a weak one is 0.
 * One deliberate difference: "# CONFIG_X is not set" counts as "CONFIG_X=n"
 * for bool, tristate and char externs (which is what Kconfig means by it);
 * libbpf ignores such lines, so a strong extern for an option that is not
 * set fails there and is false/TRI_NO/'n' here. Int and char array externs
 * ignore the line, as libbpf does.
 *
 * Values are written in host byte order into buf, the .kconfig map's value
 * (obj->maps[obj->kconfig_map].data), at each extern's data_off.
 *
 * Errors: -EINVAL for a bad config line or a value that does not suit its
 * extern (diag: BBPF_BAD_OBJ_EXTERN, idx = extern index, off = byte offset
 * of the line in text), -ESRCH for a strong extern left unset (diag idx =
 * its index), -EBADMSG if an extern lies outside buf, -ENOMEM. Each is
 * logged through the object's log, naming the extern. Pure.
 */
#ifndef BBPF_KCONFIG_H
#define BBPF_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../base/diag.h"

struct bbpf_object;

/* Values of the LINUX_* externs, found by the kernel layer. */
struct bbpf_kconfig_special {
	const char *release;		/* uname -r ("6.18.44-fc-v657"); NULL: unknown */
	bool has_syscall_wrapper;	/* LINUX_HAS_SYSCALL_WRAPPER */
	bool has_bpf_cookie;		/* LINUX_HAS_BPF_COOKIE */
};

/*
 * KERNEL_VERSION(a, b, c) of a release string starting "a.b.c", c clamped
 * to 255 as libbpf does. 0 if the string does not start that way.
 */
uint32_t bbpf_kernel_version(const char *release);

/*
 * s[0..len) as strtoull(s, &end, 0) reads it, requiring end == s + len:
 * leading white space, an optional sign (a minus negates modulo 2^64), then
 * decimal, 0x hexadecimal or 0 octal. -EINVAL if not a number or not
 * entirely one, -ERANGE on overflow.
 */
int bbpf_kconfig_parse_u64(const char *s, size_t len, uint64_t *out);

/* True if some .kconfig extern needs the config text (a CONFIG_ name). */
bool bbpf_kconfig_needs_text(const struct bbpf_object *obj);

/*
 * The whole resolution, in libbpf's order: LINUX_* externs, then the text
 * (NULL or empty: no options), then the strong/weak check. Unset weak
 * externs are zeroed in buf. buf_len must cover every extern. On failure
 * buf may be partly written.
 */
int bbpf_kconfig_fill(struct bbpf_object *obj, const char *text, size_t len,
		      const struct bbpf_kconfig_special *sp, uint8_t *buf, size_t buf_len,
		      struct bbpf_diag *diag);

/*
 * The steps of bbpf_kconfig_fill, for callers that take options from more
 * than one text (libbpf reads the system config for options a caller-given
 * text lacks). set[] has one entry per object extern (not only .kconfig
 * ones), false at first; an extern already set is left alone.
 */
int bbpf_kconfig_apply_special(struct bbpf_object *obj, const struct bbpf_kconfig_special *sp,
			       uint8_t *buf, size_t buf_len, bool *set, struct bbpf_diag *diag);
int bbpf_kconfig_apply_text(struct bbpf_object *obj, const char *text, size_t len,
			    uint8_t *buf, size_t buf_len, bool *set, struct bbpf_diag *diag);
/* True while some .kconfig extern is unset. */
bool bbpf_kconfig_any_unset(const struct bbpf_object *obj, const bool *set);
int bbpf_kconfig_check(struct bbpf_object *obj, uint8_t *buf, size_t buf_len, const bool *set,
		       struct bbpf_diag *diag);

#endif
