/* SPDX-License-Identifier: BSD-2-Clause */
/* see stop_sig.h */
#include <sys/syscall.h>
#include <unistd.h>

#include "stop_sig.h"

void bbpf_cli_stop_sig_block(uint64_t mask)
{
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &mask, NULL, sizeof(mask));
}

bool bbpf_cli_stop_sig_pending(uint64_t mask)
{
	uint64_t set = 0;

	syscall(SYS_rt_sigpending, &set, sizeof(set));
	return set & mask;
}
