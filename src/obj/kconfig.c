/* SPDX-License-Identifier: BSD-2-Clause */
/* .kconfig extern values from .config text, as libbpf 1.1 does it. See kconfig.h. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "../base/cursor.h"
#include "../base/fmt.h"
#include "../base/num.h"
#include "object_int.h"
#include "kconfig.h"

#define SHOW_MAX 200	/* bytes of a config line quoted in a message */

/* A config line being processed: where it is, for diag and messages. */
struct line {
	const char *p;
	size_t len;
	size_t off;	/* in the text */
};

static bool has_pfx(const char *s, const char *pfx)
{
	return strncmp(s, pfx, strlen(pfx)) == 0;
}

static int show_len(size_t n)
{
	return (int)(n < SHOW_MAX ? n : SHOW_MAX);
}

int bbpf_kconfig_parse_u64(const char *s, size_t len, uint64_t *out)
{
	return bbpf_num_parse(s, len, 0, out);
}

/* Decimal number at *s, advancing it; false if none or it overflows 32 bits. */
static bool read_u32(const char **s, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*s = p;
	*out = (uint32_t)v;
	return true;
}

uint32_t bbpf_kernel_version(const char *release)
{
	uint32_t a, b, c;
	const char *s = release;

	if (!s || !read_u32(&s, &a) || *s++ != '.' || !read_u32(&s, &b) || *s++ != '.' ||
	    !read_u32(&s, &c))
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/* "OBJ: extern (kcfg) 'NAME': " and the rest (libbpf's wording), formatted in one place. */
static void kcfg_vlog(const struct bbpf_object *obj, enum bbpf_log_level level, uint32_t i,
		      const char *fmt, va_list ap)
{
	char msg[512];

	if (!obj->log.fn || (obj->log.warn_only && level != BBPF_LOG_WARN))
		return;	/* what bbpf_log() would drop is not formatted either */
	bbpf_vsnprintf(msg, sizeof(msg), fmt, ap);
	bbpf_obj_log(obj, level, "extern (kcfg) '%s': %s", obj->externs[i].name, msg);
}

__attribute__((format(printf, 4, 5)))
BBPF_NO_FP_VARARGS
static void kcfg_log(const struct bbpf_object *obj, enum bbpf_log_level level, uint32_t i,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kcfg_vlog(obj, level, i, fmt, ap);
	va_end(ap);
}

/* A warning about extern i, then BBPF_BAD_KCONFIG at ln (or 0) in diag: -EINVAL. */
__attribute__((format(printf, 5, 6)))
BBPF_NO_FP_VARARGS
static int kcfg_fail(const struct bbpf_object *obj, uint32_t i, const struct line *ln,
		     struct bbpf_diag *diag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kcfg_vlog(obj, BBPF_LOG_WARN, i, fmt, ap);
	va_end(ap);
	bbpf_diag_fail(diag, BBPF_BAD_KCONFIG, BBPF_DIAG_NO_SEC, ln ? ln->off : 0, i);
	return -EINVAL;
}

static bool is_kcfg(const struct bbpf_extern *e)
{
	return e->kind == BBPF_EXTERN_KCONFIG;
}

bool bbpf_kconfig_needs_text(const struct bbpf_object *obj)
{
	uint32_t i;

	for (i = 0; i < obj->extern_cnt; i++)
		if (is_kcfg(&obj->externs[i]) && has_pfx(obj->externs[i].name, "CONFIG_"))
			return true;
	return false;
}

bool bbpf_kconfig_any_unset(const struct bbpf_object *obj, const bool *set)
{
	uint32_t i;

	for (i = 0; i < obj->extern_cnt; i++)
		if (is_kcfg(&obj->externs[i]) && !set[i])
			return true;
	return false;
}

/* Value bytes of extern i in buf, or NULL (logged) if they lie outside it. */
static uint8_t *ext_ptr(struct bbpf_object *obj, uint32_t i, uint8_t *buf, size_t buf_len,
			struct bbpf_diag *diag)
{
	const struct bbpf_extern *e = &obj->externs[i];

	if (!buf || !span_ok(e->data_off, e->size, buf_len)) {
		bbpf_obj_fail(obj, diag, BBPF_BAD_OBJ_EXTERN, BBPF_DIAG_NO_SEC, 0, i,
			      "extern (kcfg) '%s': %u bytes at %u outside the %zu-byte .kconfig map",
			      e->name, e->size, e->data_off, buf_len);
		return NULL;
	}
	return buf + e->data_off;
}

/* libbpf's is_kcfg_value_in_range(): v must survive truncation to the extern's size. */
static bool num_fits(const struct bbpf_extern *e, uint64_t v)
{
	unsigned int bits = e->size * 8;

	if (e->size >= 8)
		return true;
	if (e->is_signed)
		return v + (1ull << (bits - 1)) < (1ull << bits);
	return (v >> bits) == 0;
}

static int set_num(struct bbpf_object *obj, uint32_t i, uint8_t *p, uint64_t v,
		   const struct line *ln, struct bbpf_diag *diag)
{
	const struct bbpf_extern *e = &obj->externs[i];

	if (e->kcfg_type != BBPF_KCFG_INT && e->kcfg_type != BBPF_KCFG_CHAR &&
	    e->kcfg_type != BBPF_KCFG_BOOL)
		return kcfg_fail(obj, i, ln, diag, "value '%llu' implies integer, char, or boolean "
				 "type", (unsigned long long)v);
	if (e->kcfg_type == BBPF_KCFG_BOOL && v > 1)
		return kcfg_fail(obj, i, ln, diag, "value '%llu' isn't boolean compatible",
				 (unsigned long long)v);
	if (!num_fits(e, v))
		return kcfg_fail(obj, i, ln, diag, "value '%llu' doesn't fit in %u bytes",
				 (unsigned long long)v, e->size);
	/* classify_kcfg() made the size 1, 2, 4 or 8: the low bytes of v, in host order */
	if (!host_is_le())
		v <<= 64 - e->size * 8;
	memcpy(p, &v, e->size);
	return 0;
}

static int set_tri(struct bbpf_object *obj, uint32_t i, uint8_t *p, char v,
		   const struct line *ln, struct bbpf_diag *diag)
{
	const struct bbpf_extern *e = &obj->externs[i];
	uint32_t tri;

	switch (e->kcfg_type) {
	case BBPF_KCFG_BOOL:
		if (v == 'm')
			return kcfg_fail(obj, i, ln, diag, "value '%c' implies tristate or char type",
					 v);
		*p = v == 'y';
		return 0;
	case BBPF_KCFG_TRISTATE:
		/* enum libbpf_tristate: TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 */
		tri = v == 'y' ? 1 : v == 'm' ? 2 : 0;
		memcpy(p, &tri, sizeof(tri));
		return 0;
	case BBPF_KCFG_CHAR:
		*p = (uint8_t)v;
		return 0;
	default:
		return kcfg_fail(obj, i, ln, diag, "value '%c' implies bool, tristate, or char type",
				 v);
	}
}

/* v[0..n) starts with '"'. No unescaping: libbpf copies the bytes as they are. */
static int set_str(struct bbpf_object *obj, uint32_t i, uint8_t *p, const char *v, size_t n,
		   const struct line *ln, struct bbpf_diag *diag)
{
	const struct bbpf_extern *e = &obj->externs[i];
	size_t len;

	if (e->kcfg_type != BBPF_KCFG_CHAR_ARR)
		return kcfg_fail(obj, i, ln, diag, "value '%.*s' implies char array type", show_len(n),
				 v);
	if (n < 2 || v[n - 1] != '"')
		return kcfg_fail(obj, i, ln, diag, "invalid string config '%.*s'", show_len(n), v);
	len = n - 2;
	if (len >= e->size) {
		kcfg_log(obj, BBPF_LOG_WARN, i, "long string '%.*s' of (%zu bytes) truncated to "
			 "%u bytes", show_len(n), v, len, e->size - 1);
		len = e->size - 1;
	}
	memcpy(p, v + 1, len);
	p[len] = 0;
	return 0;
}

/* The .kconfig extern called name[0..n), or UINT32_MAX. */
static uint32_t find_kcfg(const struct bbpf_object *obj, const char *name, size_t n)
{
	uint32_t i;

	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (is_kcfg(e) && strlen(e->name) == n && !memcmp(e->name, name, n))
			return i;
	}
	return UINT32_MAX;
}

int bbpf_kconfig_apply_special(struct bbpf_object *obj, const struct bbpf_kconfig_special *sp,
			       uint8_t *buf, size_t buf_len, bool *set, struct bbpf_diag *diag)
{
	const struct bbpf_kconfig_special none = { 0 };
	uint32_t i;
	uint64_t v;
	uint8_t *p;
	int err;

	if (!sp)
		sp = &none;
	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (!is_kcfg(e) || has_pfx(e->name, "CONFIG_"))
			continue;
		if (!strcmp(e->name, "LINUX_KERNEL_VERSION")) {
			v = bbpf_kernel_version(sp->release);
			if (!v)
				return kcfg_fail(obj, i, NULL, diag, "failed to get kernel version "
						 "from '%s'", sp->release ? sp->release : "(none)");
		} else if (!strcmp(e->name, "LINUX_HAS_BPF_COOKIE")) {
			v = sp->has_bpf_cookie;
		} else if (!strcmp(e->name, "LINUX_HAS_SYSCALL_WRAPPER")) {
			v = sp->has_syscall_wrapper;
		} else if (!has_pfx(e->name, "LINUX_") || !e->is_weak) {
			return kcfg_fail(obj, i, NULL, diag, "unrecognized virtual extern");
		} else {
			v = 0;	/* an unknown weak LINUX_ extern */
		}
		p = ext_ptr(obj, i, buf, buf_len, diag);
		if (!p)
			return -EBADMSG;
		err = set_num(obj, i, p, v, NULL, diag);
		if (err)
			return err;
		set[i] = true;
		kcfg_log(obj, BBPF_LOG_DEBUG, i, "set to 0x%llx", (unsigned long long)v);
	}
	return 0;
}

static int line_fail(struct bbpf_object *obj, const struct line *ln, const char *why,
		     struct bbpf_diag *diag)
{
	bbpf_obj_log(obj, BBPF_LOG_WARN, "failed to parse kconfig line '%.*s': %s",
		     show_len(ln->len), ln->p, why);
	bbpf_diag_fail(diag, BBPF_BAD_KCONFIG, BBPF_DIAG_NO_SEC, ln->off, UINT32_MAX);
	return -EINVAL;
}

static int config_line(struct bbpf_object *obj, const struct line *ln, uint8_t *buf,
		       size_t buf_len, bool *set, struct bbpf_diag *diag)
{
	static const char pfx[] = "# ", sfx[] = " is not set";
	const size_t np = sizeof(pfx) - 1, ns = sizeof(sfx) - 1;
	const char *name = ln->p, *sep, *v;
	const struct bbpf_extern *e;
	size_t nlen, vlen;
	bool not_set = false;
	uint64_t num;
	uint32_t i;
	uint8_t *p;
	int err;

	if (ln->len >= 2 && ln->p[0] == '#') {
		/* "# CONFIG_X is not set": "CONFIG_X=n" for bool, tristate and char externs */
		if (ln->len <= np + ns || memcmp(ln->p, pfx, np) ||
		    memcmp(ln->p + ln->len - ns, sfx, ns))
			return 0;
		name += np;
		nlen = ln->len - np - ns;
		v = "n";
		vlen = 1;
		not_set = true;
	} else {
		if (ln->len < 7 || memcmp(ln->p, "CONFIG_", 7))
			return 0;
		sep = memchr(ln->p, '=', ln->len);
		if (!sep)
			return line_fail(obj, ln, "no separator", diag);
		v = sep + 1;
		vlen = ln->len - (size_t)(v - ln->p);
		if (!vlen)
			return line_fail(obj, ln, "no value", diag);
		nlen = (size_t)(sep - ln->p);
	}
	i = find_kcfg(obj, name, nlen);
	if (i == UINT32_MAX || set[i])
		return 0;
	e = &obj->externs[i];
	if (not_set && (!has_pfx(e->name, "CONFIG_") ||
			(e->kcfg_type != BBPF_KCFG_BOOL && e->kcfg_type != BBPF_KCFG_TRISTATE &&
			 e->kcfg_type != BBPF_KCFG_CHAR)))
		return 0;
	p = ext_ptr(obj, i, buf, buf_len, diag);
	if (!p)
		return -EBADMSG;

	switch (*v) {
	case 'y':
	case 'n':
	case 'm':
		err = set_tri(obj, i, p, *v, ln, diag);
		break;
	case '"':
		err = set_str(obj, i, p, v, vlen, ln, diag);
		break;
	default:
		err = bbpf_kconfig_parse_u64(v, vlen, &num);
		if (err)
			return kcfg_fail(obj, i, ln, diag, "value '%.*s' isn't a valid integer",
					 show_len(vlen), v);
		if (e->kcfg_type != BBPF_KCFG_INT && e->kcfg_type != BBPF_KCFG_CHAR)
			return kcfg_fail(obj, i, ln, diag, "value '%.*s' implies integer type",
					 show_len(vlen), v);
		err = set_num(obj, i, p, num, ln, diag);
		break;
	}
	if (err)
		return err;
	set[i] = true;
	if (not_set)	/* set_tri() does not fail with 'n' for these types */
		kcfg_log(obj, BBPF_LOG_DEBUG, i, "not set, so n");
	else
		kcfg_log(obj, BBPF_LOG_DEBUG, i, "set to %.*s", show_len(vlen), v);
	return 0;
}

int bbpf_kconfig_apply_text(struct bbpf_object *obj, const char *text, size_t len,
			    uint8_t *buf, size_t buf_len, bool *set, struct bbpf_diag *diag)
{
	struct line ln;
	const char *nl;
	size_t off = 0;
	int err;

	if (!text)
		return 0;
	len = strnlen(text, len);	/* libbpf reads the text as a C string */
	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		ln.p = text + off;
		ln.off = off;
		ln.len = nl ? (size_t)(nl - ln.p) : len - off;
		off += ln.len + (nl != NULL);
		err = config_line(obj, &ln, buf, buf_len, set, diag);
		if (err) {
			bbpf_obj_log(obj, BBPF_LOG_WARN, "error parsing kconfig line '%.*s': %d",
				     show_len(ln.len), ln.p, err);
			return err;
		}
	}
	return 0;
}

int bbpf_kconfig_check(struct bbpf_object *obj, uint8_t *buf, size_t buf_len, const bool *set,
		       struct bbpf_diag *diag)
{
	uint32_t i;
	uint8_t *p;

	for (i = 0; i < obj->extern_cnt; i++) {
		const struct bbpf_extern *e = &obj->externs[i];

		if (!is_kcfg(e) || set[i])
			continue;
		if (!e->is_weak) {
			bbpf_obj_log(obj, BBPF_LOG_WARN, "extern '%s' (strong): not resolved", e->name);
			bbpf_diag_fail(diag, BBPF_BAD_OBJ_EXTERN, BBPF_DIAG_NO_SEC, 0, i);
			return -ESRCH;
		}
		p = ext_ptr(obj, i, buf, buf_len, diag);
		if (!p)
			return -EBADMSG;
		memset(p, 0, e->size);
		bbpf_obj_log(obj, BBPF_LOG_DEBUG, "extern '%s' (weak): not resolved, defaulting to zero",
			     e->name);
	}
	return 0;
}

int bbpf_kconfig_fill(struct bbpf_object *obj, const char *text, size_t len,
		      const struct bbpf_kconfig_special *sp, uint8_t *buf, size_t buf_len,
		      struct bbpf_diag *diag)
{
	bool *set = bbpf_arena_calloc(&obj->arena, obj->extern_cnt, sizeof(*set));
	int err;

	if (!set)
		return -ENOMEM;
	err = bbpf_kconfig_apply_special(obj, sp, buf, buf_len, set, diag);
	if (!err && bbpf_kconfig_needs_text(obj))
		err = bbpf_kconfig_apply_text(obj, text, len, buf, buf_len, set, diag);
	if (!err)
		err = bbpf_kconfig_check(obj, buf, buf_len, set, diag);
	return err;
}
