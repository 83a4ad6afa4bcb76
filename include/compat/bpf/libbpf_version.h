/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barebpf's libbpf-compatible API (libbarebpf-libbpf): the libbpf version
 * whose API and behaviour it follows. See README "libbpf-compatible API".
 */
#ifndef __LIBBPF_VERSION_H
#define __LIBBPF_VERSION_H

#define LIBBPF_MAJOR_VERSION 1
#define LIBBPF_MINOR_VERSION 8

/* Set by these headers only: tells a program it is built against barebpf. */
#define BAREBPF_LIBBPF_COMPAT 1

#endif
