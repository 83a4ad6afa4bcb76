/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driver for builds without libFuzzer: runs LLVMFuzzerTestOneInput once per
 * file argument (regression replay of a corpus or of crashers), or once on
 * stdin when there are none (AFL++ feeds inputs that way).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads all of f into a malloc'd buffer; NULL on error. */
static uint8_t *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap), *p;

	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		p = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
		if (!p) {
			free(buf);
			return NULL;
		}
		buf = p;
		cap *= 2;
	}
	if (buf && ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int run_one(FILE *f, const char *name)
{
	size_t len = 0;
	uint8_t *buf = slurp(f, &len);

	if (!buf) {
		fprintf(stderr, "replay: cannot read %s\n", name);
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2)
		return run_one(stdin, "<stdin>");
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (!f) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		bad |= run_one(f, argv[i]);
		fclose(f);
	}
	return bad;
}
