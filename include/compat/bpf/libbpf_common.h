/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf's libbpf-compatible API: definitions every header shares.
 * Written from libbpf's documented API (docs/api.rst, the naming
 * convention); not libbpf's code.
 */
#ifndef __LIBBPF_LIBBPF_COMMON_H
#define __LIBBPF_LIBBPF_COMMON_H

#include <string.h>
#include "libbpf_version.h"

#ifndef LIBBPF_API
#define LIBBPF_API __attribute__((visibility("default")))
#endif

#define LIBBPF_DEPRECATED(msg) __attribute__((deprecated(msg)))

/* Nothing is deprecated by version here; the macro exists for headers that use it. */
#define LIBBPF_DEPRECATED_SINCE(major, minor, msg)

#define __LIBBPF_CURRENT_VERSION_GEQ(major, minor)				\
	(LIBBPF_MAJOR_VERSION > (major) ||					\
	 (LIBBPF_MAJOR_VERSION == (major) && LIBBPF_MINOR_VERSION >= (minor)))

/*
 * Options structs start with "size_t sz", the size the caller was built
 * with: the library reads only the first sz bytes (a field past them counts
 * as zero, so an older, shorter struct works) and refuses with -EINVAL a
 * struct longer than it knows whose extra bytes are not all zero.
 *
 * LIBBPF_OPTS(type, name, .field = value, ...) declares name as a zeroed
 * struct type (padding included) with sz set and the given fields.
 */
#define LIBBPF_OPTS(TYPE, NAME, ...)						\
	struct TYPE NAME = ({							\
		memset(&NAME, 0, sizeof(struct TYPE));				\
		(struct TYPE) {							\
			.sz = sizeof(struct TYPE),				\
			__VA_ARGS__						\
		};								\
	})

/* Zero an options struct again (padding too), keep sz, set the given fields. */
#define LIBBPF_OPTS_RESET(NAME, ...)						\
	do {									\
		__typeof__(NAME) ___##NAME = ({					\
			memset(&___##NAME, 0, sizeof(NAME));			\
			(__typeof__(NAME)) {					\
				.sz = sizeof(NAME),				\
				__VA_ARGS__					\
			};							\
		});								\
		memcpy(&NAME, &___##NAME, sizeof(NAME));			\
	} while (0)

#endif
