/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The static builds' deflated messages (Makefile "static CLI"). Only those
 * builds include this header (-include), into copies of the sources that
 * src/tools/msgz.c rewrote: the literal format of each diagnostic call
 * became BBPF_MSGZ(n), n indexing one deflated catalog of the texts.
 *
 * Pass 1 (BBPF_MSGZ_PASS1) makes BBPF_MSGZ(n) a marker literal, so the
 * linked program shows which messages survive its preprocessing and
 * LTO/gc; the build's catalog holds only those (after an empty text), and
 * the final build makes BBPF_MSGZ(n) the text's position there + 1, cast
 * to a pointer: a small integer, never an address in the fixed-address
 * executable (it loads at 0x400000),
 * that bbpf_vsnprintf (src/base/fmt.c) recognises and decodes, as a format
 * and as the argument of a %s (BBPF_MSGZ_STR, src/base/fmt.h). The normal
 * builds never see this header: their formats stay literals, checked by
 * -Wformat.
 */
#ifndef BBPF_MSGZ_H
#define BBPF_MSGZ_H

#ifdef BBPF_MSGZ_PASS1
#define BBPF_MSGZ(n) ("\1msgz:" #n "\2")
#else
/* BBPF_MSGZ_<n>: the build's msgz_map.h (Makefile), forced in by -include. */
#define BBPF_MSGZ(n) ((const char *)(__UINTPTR_TYPE__)BBPF_MSGZ_##n)
#endif

/* A catalog index + 1 is below this; an address never is. */
#define BBPF_MSGZ_LIMIT 0x10000u
/*
 * Every text is shorter (src/tools/msgz.c checks); the decoder no longer
 * copies texts (it points into the inflated catalog), but messages are
 * formatted into buffers of about this size.
 */
#define BBPF_MSGZ_MAX 512

#endif
