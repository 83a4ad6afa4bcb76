// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf's result conventions at the edge of the compat layer: errno set
 * with every negative result (the only place outside sys_linux.c that
 * writes errno), libbpf_get_error(), libbpf_strerror(), the sz rule of
 * options structs, version queries.
 */
#include <stdio.h>
#include <string.h>
#include "compat.h"

int bbpf_compat_err(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

void *bbpf_compat_errp(int err)
{
	errno = err < 0 ? -err : EINVAL;
	return NULL;
}

void *bbpf_compat_ptr(void *ptr, int err)
{
	return ptr ? ptr : bbpf_compat_errp(err);
}

bool bbpf_compat_opts_ok(const void *opts, size_t known_len, const char *type_name)
{
	const uint8_t *p = opts;
	size_t sz, i;

	if (!opts)
		return true;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(size_t)) {
		pr_warn("%s size (%zu) is too small\n", type_name, sz);
		return false;
	}
	for (i = known_len; i < sz; i++) {
		if (p[i]) {
			pr_warn("%s has non-zero extra bytes\n", type_name);
			return false;
		}
	}
	return true;
}

long libbpf_get_error(const void *ptr)
{
	uintptr_t v = (uintptr_t)ptr;

	if (ptr && v < (uintptr_t)-4095)
		return 0;
	if (ptr)	/* an encoded -errno, as libbpf 0.x returned */
		errno = (int)-(intptr_t)v;
	return -errno;
}

int libbpf_set_strict_mode(enum libbpf_strict_mode mode)
{
	(void)mode;
	return 0;
}

int libbpf_set_memlock_rlim(size_t memlock_bytes)
{
	(void)memlock_bytes;
	return 0;
}

__u32 libbpf_major_version(void)
{
	return LIBBPF_MAJOR_VERSION;
}

__u32 libbpf_minor_version(void)
{
	return LIBBPF_MINOR_VERSION;
}

#define STR_(x) #x
#define STR(x) STR_(x)

const char *libbpf_version_string(void)
{
	return "v" STR(LIBBPF_MAJOR_VERSION) "." STR(LIBBPF_MINOR_VERSION);
}

/* LIBBPF_ERRNO__* texts, in enum order (own wording of libbpf's meanings). */
static const char *const libbpf_errs[__LIBBPF_ERRNO__END - __LIBBPF_ERRNO__START] = {
	[LIBBPF_ERRNO__LIBELF - __LIBBPF_ERRNO__START] = "Something wrong in libelf",
	[LIBBPF_ERRNO__FORMAT - __LIBBPF_ERRNO__START] = "BPF object format invalid",
	[LIBBPF_ERRNO__KVERSION - __LIBBPF_ERRNO__START] = "'version' section incorrect or lost",
	[LIBBPF_ERRNO__ENDIAN - __LIBBPF_ERRNO__START] = "Endian mismatch",
	[LIBBPF_ERRNO__INTERNAL - __LIBBPF_ERRNO__START] = "Internal error in libbpf",
	[LIBBPF_ERRNO__RELOC - __LIBBPF_ERRNO__START] = "Relocation failed",
	[LIBBPF_ERRNO__LOAD - __LIBBPF_ERRNO__START] = "Load program failure for unknown reason",
	[LIBBPF_ERRNO__VERIFY - __LIBBPF_ERRNO__START] = "Kernel verifier blocks program loading",
	[LIBBPF_ERRNO__PROG2BIG - __LIBBPF_ERRNO__START] = "Program too big",
	[LIBBPF_ERRNO__KVER - __LIBBPF_ERRNO__START] = "Incorrect kernel version",
	[LIBBPF_ERRNO__PROGTYPE - __LIBBPF_ERRNO__START] = "Kernel doesn't support this program type",
	[LIBBPF_ERRNO__WRNGPID - __LIBBPF_ERRNO__START] = "Wrong pid in netlink message",
	[LIBBPF_ERRNO__INVSEQ - __LIBBPF_ERRNO__START] = "Invalid netlink sequence",
	[LIBBPF_ERRNO__NLPARSE - __LIBBPF_ERRNO__START] = "Incorrect netlink message parsing",
};

int libbpf_strerror(int err, char *buf, size_t size)
{
	int n;

	if (!buf || !size)
		return bbpf_compat_err(-EINVAL);
	err = err > 0 ? err : -err;
	if (err < __LIBBPF_ERRNO__START) {
		/* the XSI strerror_r (glibc without _GNU_SOURCE, musl) */
		int ret = strerror_r(err, buf, size);

		buf[size - 1] = '\0';
		if (ret > 0)	/* old glibc returned -1 and set errno */
			return bbpf_compat_err(-ret);
		return ret < 0 ? bbpf_compat_err(-errno) : 0;
	}
	if (err < __LIBBPF_ERRNO__END) {
		n = snprintf(buf, size, "%s", libbpf_errs[err - __LIBBPF_ERRNO__START]);
		return (size_t)n >= size ? bbpf_compat_err(-ERANGE) : 0;
	}
	n = snprintf(buf, size, "Unknown libbpf error %d", err);
	return bbpf_compat_err((size_t)n >= size ? -ERANGE : -ENOENT);
}
