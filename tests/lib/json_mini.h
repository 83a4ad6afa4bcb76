/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny strict JSON reader for tests (RFC 8259 grammar; integers are kept as
 * a magnitude and a sign, which is all the CLI prints). Not
 * for untrusted production input: recursion is bounded, memory is not.
 */
#ifndef BBPF_TEST_JSON_MINI_H
#define BBPF_TEST_JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>

enum jm_type { JM_NULL, JM_BOOL, JM_NUMBER, JM_STRING, JM_ARRAY, JM_OBJECT };

struct jm_value {
	enum jm_type type;
	bool boolean;
	unsigned long long num;	/* JM_NUMBER: the value (magnitude if neg) if an integer */
	bool neg;		/* JM_NUMBER: negative */
	char *str;		/* JM_STRING: decoded, NUL-terminated (may hold NULs: see str_len) */
	size_t str_len;
	struct jm_value *items;	/* JM_ARRAY, JM_OBJECT */
	char **keys;		/* JM_OBJECT */
	size_t len;
};

/* The whole text must be one value (whitespace around is fine); NULL if not. */
struct jm_value *jm_parse(const char *text);
void jm_free(struct jm_value *v);
/* Member of an object, NULL if absent or v is not an object. */
const struct jm_value *jm_get(const struct jm_value *v, const char *key);

#endif
