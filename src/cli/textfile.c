/* SPDX-License-Identifier: BSD-2-Clause */
/* see textfile.h */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <barebpf/sys.h>

#include "textfile.h"

int bbpf_cli_open(const char *path, int flags, unsigned int mode)
{
	long fd = bbpf_sys_linux.open(NULL, path, flags, mode);

	if (fd < 0) {
		errno = (int)-fd;
		return -1;
	}
	return (int)fd;
}

unsigned int bbpf_cli_ifindex(const char *name)
{
	const struct bbpf_sys *sys = &bbpf_sys_linux;
	struct ifreq ifr = { 0 };
	size_t n = strlen(name);
	long fd, err = -ENODEV;

	if (n < IF_NAMESIZE) {
		memcpy(ifr.ifr_name, name, n);
		fd = sys->socket(sys->ctx, AF_UNIX, SOCK_DGRAM, 0);
		err = fd;
		if (fd >= 0) {
			err = sys->ioctl(sys->ctx, (int)fd, SIOCGIFINDEX, (unsigned long)&ifr);
			sys->close(sys->ctx, (int)fd);
		}
	}
	if (err < 0) {
		errno = (int)-err;
		return 0;
	}
	return (unsigned int)ifr.ifr_ifindex;
}

char *bbpf_cli_slurp(const char *path, size_t max, size_t *len, int *err)
{
	int fd = strcmp(path, "-") ? bbpf_cli_open(path, O_RDONLY | O_CLOEXEC, 0) : STDIN_FILENO;
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t got;

	*err = 0;
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	for (;;) {
		if (!buf || n + 1 >= cap) {
			if (buf)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				*err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*err = -errno;
			break;
		}
		if (!got)
			break;
		n += (size_t)got;
		if (n > max) {
			*err = -EFBIG;
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (*err) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *bbpf_cli_next_line(char **pos)
{
	char *line = *pos, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*pos = nl + 1;
	} else {
		*pos = line + strlen(line);
	}
	return line;
}

const char *bbpf_cli_strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return n ? NULL : hay;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
void bbpf_cli_utc(int64_t secs, struct bbpf_cli_tm *tm)
{
	int64_t days = secs / 86400, rem = secs % 86400, era, doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tm->hour = (int)(rem / 3600);
	tm->min = (int)(rem / 60 % 60);
	tm->sec = (int)(rem % 60);
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	tm->year = (int)(yoe + era * 400 + (tm->mon <= 2));
}

/*
 * All of s as strtoull(s, &end, 0) reads it, starting with a digit: 0x hex,
 * 0 octal or decimal. -ERANGE on overflow (as errno), -EINVAL if anything
 * is left. By hand: libc's number scanner is 2 KiB of the static binary.
 */
/* A hex digit's value, 16 for anything else (no <ctype.h>: its functions cost bytes). */
static unsigned int hex_digit(char c)
{
	unsigned int u = (unsigned char)c, l = u | 0x20;

	return u - '0' < 10 ? u - '0' : l - 'a' < 6 ? l - 'a' + 10 : 16;
}

int bbpf_cli_parse_uint(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned int base = 10, d;
	bool overflow = false;

	if (!(*s >= '0' && *s <= '9'))
		return -EINVAL;
	if (s[0] == '0') {
		base = 8;
		if ((s[1] == 'x' || s[1] == 'X') && hex_digit(s[2]) < 16) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++) {
		d = hex_digit(*s);
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}
