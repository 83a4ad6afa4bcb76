// SPDX-License-Identifier: BSD-2-Clause
#include <stddef.h>
#include "compat_sys.h"

static const struct bbpf_sys *compat_sys;

void tc_compat_use(const struct bbpf_sys *sys)
{
	compat_sys = sys;
}

/* Declared in src/compat/compat.h; the library's definition is weak. */
const struct bbpf_sys *bbpf_compat_sys(void);

const struct bbpf_sys *bbpf_compat_sys(void)
{
	return compat_sys ? compat_sys : &bbpf_sys_linux;
}
