/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TF_TEST_FILE_H
#define TF_TEST_FILE_H

#include <stdint.h>

/*
 * A whole file (regular or sysfs, read until EOF) in a malloc'd buffer the
 * caller frees; NULL if it cannot be opened. Aborts on out of memory.
 */
uint8_t *tf_read_file(const char *path, uint32_t *len);

#endif
