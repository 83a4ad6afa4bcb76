/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small text helpers for the CLI that keep libc's heavier pieces (stdio
 * readers, the two-way strstr, the time-zone code) out of the static
 * binaries: a whole file read with read(2), its lines, a plain substring
 * search, and UTC calendar time.
 */
#ifndef BBPF_CLI_TEXTFILE_H
#define BBPF_CLI_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * open(2) through the system call table (bbpf_sys_linux), so the static
 * binaries link no musl open(): -1 with errno set on failure, as open().
 */
int bbpf_cli_open(const char *path, int flags, unsigned int mode);
/*
 * if_nametoindex(name) through the system call table (SIOCGIFINDEX on a
 * socket): 0 with errno set if there is no such device (ENODEV for a name
 * of IF_NAMESIZE bytes or more, as glibc's).
 */
unsigned int bbpf_cli_ifindex(const char *name);
/*
 * The whole file ("-": standard input) as a malloc'ed buffer with a NUL
 * after its len bytes. NULL with *err a negative errno (-EFBIG past max
 * bytes).
 */
char *bbpf_cli_slurp(const char *path, size_t max, size_t *len, int *err);
/*
 * The next line of a NUL-terminated buffer, in place: *pos advances past
 * it, its newline becomes NUL. NULL at the end.
 */
char *bbpf_cli_next_line(char **pos);
/*
 * All of s as strtoull(s, &end, 0) reads it, starting with a digit: 0x hex,
 * 0 octal or decimal. -ERANGE on overflow, -EINVAL if anything is left.
 * (libc's number scanner is 2 KiB of the static binary.)
 */
int bbpf_cli_parse_uint(const char *s, unsigned long long *out);
/* strstr(hay, needle) by plain comparison: for short, occasional searches. */
const char *bbpf_cli_strstr(const char *hay, const char *needle);

struct bbpf_cli_tm {
	int year, mon, mday, hour, min, sec;	/* mon 1..12 */
};
/* Seconds since the epoch as a UTC date and time (proleptic Gregorian). */
void bbpf_cli_utc(int64_t secs, struct bbpf_cli_tm *tm);

#endif
