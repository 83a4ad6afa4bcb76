/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small DEFLATE (RFC 1951) decoder and gzip (RFC 1952) reader, enough for
 * /proc/config.gz without zlib. Pure: no I/O, no globals, no recursion.
 * Every input read is bounds-checked, every back-reference is checked
 * against the output produced so far, and the output never exceeds the
 * caller's bound.
 *
 * Errors: -EBADMSG for malformed input (diag: BBPF_BAD_OBJ_DATA, off = the
 * input byte where decoding stopped), -E2BIG when the output would exceed
 * the caller's bound, -ENOMEM when the arena is exhausted.
 */
#ifndef BBPF_INFLATE_H
#define BBPF_INFLATE_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "diag.h"

/* CRC-32 (IEEE 802.3, as gzip uses it). Start with crc = 0; chain calls. */
uint32_t bbpf_crc32(uint32_t crc, const void *buf, size_t len);

/*
 * Decode a raw DEFLATE stream from in[0..in_len) into out[0..cap).
 * *consumed: input bytes used up to the end of the final block (the last
 * partial byte counts); *out_len: bytes written. Both are set only on
 * success. -E2BIG if the output does not fit in cap.
 */
int bbpf_inflate(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap,
		 size_t *consumed, size_t *out_len, struct bbpf_diag *diag);

/*
 * Decompress a gzip file (one or more concatenated members; nothing else
 * may follow the last one). Header flags FTEXT, FHCRC, FEXTRA, FNAME and
 * FCOMMENT are understood; reserved flags, a bad header CRC, a bad CRC-32
 * or ISIZE in any trailer reject the input. The output is allocated in
 * arena (NUL-terminated; the NUL is not counted in *out_len) and bounded by
 * max_out bytes (-E2BIG beyond). Output beyond DEFLATE's largest expansion
 * (1032 times the input) is -EBADMSG, so the buffer never exceeds that
 * either. The trailer's ISIZE only sizes the first buffer; a wrong one costs
 * a retry with a doubled buffer (arena memory is not reclaimed until the
 * arena is freed). *out and *out_len are set only on success.
 */
int bbpf_gunzip(const uint8_t *in, size_t in_len, struct bbpf_arena *arena, size_t max_out,
		uint8_t **out, size_t *out_len, struct bbpf_diag *diag);

#endif
