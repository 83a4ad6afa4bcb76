/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where libbpf says a load failed, read from its log lines (bpftool's
 * stderr, or libbpf's print callback): "prog 'x': failed to load: -N" or
 * "map 'x': failed to create: ...(-N)", or an initial slot of a map it could
 * not set: "map 'x': failed to initialize slot [i] to prog 'y' fd=F: -N"
 * (stage BBPF_STAGE_SLOT, name the map, target 'y'). Shared by tests/diff's failure
 * conformance (test_diff_failures) and per-program comparison
 * (test_diff_libbpf). Include <barebpf/diag.h> (enum bbpf_stage) first.
 */
#ifndef TESTS_LIBBPF_FAIL_H
#define TESTS_LIBBPF_FAIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lf_expect {
	enum bbpf_stage stage;	/* BBPF_STAGE_PROG, _MAP or _SLOT; OPEN: no failure read */
	char name[128];
	char target[128];	/* _SLOT: the program or map the slot was to hold */
	int slot;		/* _SLOT: its index */
	int err;		/* negative errno; 0 if the line did not say */
};

static inline void lf_reset(struct lf_expect *e)
{
	memset(e, 0, sizeof(*e));
	e->stage = BBPF_STAGE_OPEN;
}

/* Reads one log line into e unless e already holds a failure; true if it did. */
static inline bool lf_parse_line(const char *line, struct lf_expect *e)
{
	const char *p, *q;

	if (e->stage != BBPF_STAGE_OPEN)
		return false;
	if ((p = strstr(line, "prog '")) && (q = strstr(line, "': failed to load: -"))) {
		e->stage = BBPF_STAGE_PROG;
		e->err = -atoi(q + strlen("': failed to load: -"));
	} else if ((p = strstr(line, "map '")) && (q = strstr(line, "': failed to create: "))) {
		const char *n = strrchr(q, '(');

		e->stage = BBPF_STAGE_MAP;
		e->err = n ? atoi(n + 1) : 0;
	} else if ((p = strstr(line, "map '")) &&
		   (q = strstr(line, "': failed to initialize slot ["))) {
		const char *t = strstr(q, " to prog '"), *te, *n = strrchr(q, ':');

		if (!t)
			t = strstr(q, " to map '");
		t = t ? strchr(t, '\'') + 1 : NULL;
		te = t ? strchr(t, '\'') : NULL;
		if (t && te)
			snprintf(e->target, sizeof(e->target), "%.*s", (int)(te - t), t);
		e->stage = BBPF_STAGE_SLOT;
		e->slot = atoi(q + strlen("': failed to initialize slot ["));
		e->err = n ? atoi(n + 1) : 0;
	} else {
		return false;
	}
	p = strchr(p, '\'') + 1;
	snprintf(e->name, sizeof(e->name), "%.*s", (int)(q - p), p);
	return true;
}

#endif
