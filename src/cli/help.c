/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The help and usage texts of help.txt: the build keeps them deflated
 * ($(GEN)/help.h, the Makefile's $(GEN)/%.h rule), 2.1 KiB instead of 5.
 * In help.txt a line "@NAME" starts the section NAME; its text is the lines
 * up to the next "@" line (or the end), without the last newline. A text
 * that is BBPF_CLI_HELP("NAME") ("\1NAME") is looked up there; any other
 * text is itself. The init build keeps its few texts as plain strings and
 * has no blob.
 */
#include <string.h>

#include "cli.h"
#include "../base/inflate.h"
#ifndef BBPF_CLI_INIT
#include "help.h"

_Static_assert(help_len < BBPF_CLI_HELP_CAP, "BBPF_CLI_HELP_CAP fits help.txt");
#endif

const char *bbpf_cli_help_text(const char *s, struct bbpf_cli_help_buf *b)
{
#ifndef BBPF_CLI_INIT
	size_t used, len, n;
	char *t = b->text, *sec = NULL;

	if (*s != '\1')
		return s;
	n = strlen(++s);
	if (bbpf_inflate(help_z, sizeof(help_z), (uint8_t *)t, sizeof(b->text) - 1, &used, &len,
			 NULL) || !len || t[len - 1] != '\n')
		len = 0;	/* every line ends with a newline: the walk below relies on it */
	t[len] = 0;
	/* Line by line: "@NAME" starts a section, the next "@" line ends it. */
	for (; *t; t = strchr(t, '\n') + 1) {
		if (*t == '@' && sec) {
			t[-1] = 0;
			return sec;
		}
		if (*t == '@' && !strncmp(t + 1, s, n) && t[1 + n] == '\n')
			sec = t + 2 + n;
	}
	if (sec) {
		t[-1] = 0;	/* the file's last newline */
		return sec;
	}
	b->text[0] = 0;
	return b->text;
#else
	(void)b;
	return s;
#endif
}

void bbpf_cli_help_usage(bbpf_cli_file *f, const struct bbpf_cli_cmd *cmd)
{
	struct bbpf_cli_help_buf b;

	bbpf_cli_fprintf(f, "Usage: %s %s\n", BBPF_CLI_NAME, bbpf_cli_help_text(cmd->usage, &b));
}
