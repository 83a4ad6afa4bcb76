/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snprintf() for the integer and string conversions the loader and the CLI
 * use, without floating point: musl's printf core is ~10 KiB of the static
 * CLI, most of it for %f/%e/%g, which nothing here prints.
 *
 * Flags "-+ #0", a width and a precision (digits or '*'), the length
 * modifiers hh h l ll z, and the conversions d i u x X c s %. Output
 * matches C's snprintf for those; any other conversion is copied verbatim.
 */
#ifndef BBPF_FMT_H
#define BBPF_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * On the definition of a variadic function whose arguments end in a
 * bbpf_vsnprintf (which has no floating-point conversions): no double ever
 * travels in its va_list, so it need not spill the eight vector argument
 * registers on entry (x86-64: 68 bytes of code per function). GCC only.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define BBPF_NO_FP_VARARGS __attribute__((target("general-regs-only")))
#else
#define BBPF_NO_FP_VARARGS
#endif

/* As vsnprintf(): the full length is returned, buf gets at most size - 1 bytes + NUL. */
int bbpf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int bbpf_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * BBPF_MSGZ_STR("text"): a text that is printed only through the %s of a
 * bbpf_vsnprintf (every consumer of the value: no strcmp, strlen, fputs or
 * JSON writer). The plain literal here; in the static builds'
 * copies src/tools/msgz.c rewrites it to a token of the deflated message
 * catalog (src/base/msgz.h), which bbpf_vsnprintf decodes. The
 * definition stays here: the tool leaves it alone.
 */
#ifndef BBPF_MSGZ_STR
#define BBPF_MSGZ_STR(s) s
#endif

/* Text i of a list of NUL-terminated texts ("a\0b\0..."; i below their count). */
const char *bbpf_fmt_nth(const char *s, unsigned int i);

#endif
