/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BAREBPF_EVENTS_H
#define BAREBPF_EVENTS_H

/*
 * Data out of (and into) BPF programs: consumers for BPF_MAP_TYPE_RINGBUF
 * and BPF_MAP_TYPE_PERF_EVENT_ARRAY, and the user-space producer for
 * BPF_MAP_TYPE_USER_RINGBUF, with libbpf's models (ring_buffer__*,
 * user_ring_buffer__*, perf_buffer__*) and semantics.
 *
 * Conventions (as loader.h, plus):
 *  - Every constructor takes a struct bbpf_ctx (NULL: a private default
 *    context, made here and freed with the manager) and a map fd. The map
 *    may come from anywhere: a loaded object (bbpf_map_fd), an id or a pin.
 *    The map fd stays the caller's: it is never closed here and must stay
 *    open while the manager exists. A caller's context must outlive the
 *    managers made with it.
 *  - Results are 0 or a count, or a negative errno; errno is never touched.
 *    Constructors set *out only on success. After any failed call nothing
 *    made by the call is left: no fd, mapping, epoll registration, perf
 *    event in the map, or memory.
 *  - Every kernel touch goes through the context's syscall table (mmap,
 *    epoll, perf_event_open, ioctl, bpf, clock_gettime, open/read of
 *    /sys/devices/system/cpu/{possible,online}); memory comes from the
 *    context's allocator. Nothing is allocated while records are consumed,
 *    except the perf buffer's scratch for a record that wraps the end of
 *    its ring (grown once to the largest such record).
 *  - Managers are not thread-safe: one thread polls/consumes one manager at
 *    a time (the epoll fd may be waited on elsewhere).
 *  - *_free accepts NULL and releases everything: mappings, fds (the epoll
 *    fd, perf event fds), map entries this library set, memory.
 *  - Memory order. A ring buffer's producer position and each record header
 *    are read with acquire loads, the consumer position is written with a
 *    release store after each record; before the producer position is read
 *    again, and before a consume call returns, a full fence separates the
 *    consumer-position store from the next producer-position load (the
 *    kernel decides whether to wake the consumer by reading the consumer
 *    position after it commits; without the fence both sides can miss each
 *    other and a record waits for the next wakeup). Perf rings: data_head
 *    is read with acquire, data_tail written with release once per call.
 */

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

struct bbpf_ctx;

/* ===================== BPF_MAP_TYPE_RINGBUF consumer ===================== */

/* A manager over one or more ring buffers, polled through one epoll fd. */
struct bbpf_ringbuf;
/* One ring buffer in a manager (lent; valid until bbpf_ringbuf_free). */
struct bbpf_ringbuf_ring;

/*
 * Called once per committed record, in the order records were reserved
 * in the ring. data points into the read-only mapping (size bytes,
 * 8-byte aligned, contiguous even when the record wraps the ring's end) and
 * is valid only during the call. Return >= 0 to go on; a negative return
 * stops consumption at once (this record counts as consumed: the consumer
 * position is already past it) and the consume/poll call returns that value.
 */
typedef int (*bbpf_ringbuf_sample_fn)(void *ctx, void *data, size_t size);

/*
 * A manager with the ring buffer map_fd as ring 0: its consumer page is
 * mapped read-write, its producer page and data area read-only (the data
 * area twice in a row, as the kernel lays it out, so a wrapping record is
 * contiguous), and map_fd is added to a new epoll fd for EPOLLIN.
 * cb must not be NULL; cb_ctx is passed to it.
 * Errors: -EINVAL (cb NULL, out NULL, map not a ring buffer, or a size that
 * is not a power-of-two multiple of the page size), -E2BIG (the mapping does
 * not fit the address space), -ENOMEM, kernel errors (bad fd: -EBADF).
 */
int bbpf_ringbuf_new(struct bbpf_ctx *ctx, int map_fd, bbpf_ringbuf_sample_fn cb, void *cb_ctx,
		     struct bbpf_ringbuf **out);
/* Add another ring buffer map (next index) with its own callback. Errors as _new. */
int bbpf_ringbuf_add(struct bbpf_ringbuf *rb, int map_fd, bbpf_ringbuf_sample_fn cb,
		     void *cb_ctx);
/*
 * Wait up to timeout_ms (-1: forever, 0: not at all) for any ring to have
 * data, then consume every ring epoll reported. Returns the number of
 * records handed to callbacks (capped at INT_MAX; 0 on timeout), a
 * callback's negative return, or the epoll_wait error (-EINTR on a signal).
 */
int bbpf_ringbuf_poll(struct bbpf_ringbuf *rb, int timeout_ms);
/* Consume every ring without waiting. Returns as poll. */
int bbpf_ringbuf_consume(struct bbpf_ringbuf *rb);
/*
 * As consume, but stop after n records (over all rings, in ring order):
 * returns at most n. Records left stay for the next call; call again before
 * waiting on the epoll fd, since the kernel may not wake a consumer that
 * has not caught up.
 */
int bbpf_ringbuf_consume_n(struct bbpf_ringbuf *rb, size_t n);
/* Consume ring idx only (the index epoll reports). -EINVAL if idx is out of range. */
int bbpf_ringbuf_consume_ring(struct bbpf_ringbuf *rb, unsigned int idx);
/* The epoll fd (lent): readable when a ring has data; event data.u64 is the ring index. */
int bbpf_ringbuf_epoll_fd(const struct bbpf_ringbuf *rb);
unsigned int bbpf_ringbuf_ring_cnt(const struct bbpf_ringbuf *rb);
/* Ring idx, NULL if out of range (libbpf: ERANGE). */
struct bbpf_ringbuf_ring *bbpf_ringbuf_ring(struct bbpf_ringbuf *rb, unsigned int idx);
void bbpf_ringbuf_free(struct bbpf_ringbuf *rb);

/* Per ring (libbpf's ring__*): positions are byte counters that only grow. */
unsigned long bbpf_ringbuf_ring_consumer_pos(const struct bbpf_ringbuf_ring *r);
unsigned long bbpf_ringbuf_ring_producer_pos(const struct bbpf_ringbuf_ring *r);
/* Bytes reserved by producers and not yet consumed (headers and padding included). */
size_t bbpf_ringbuf_ring_avail_data_size(const struct bbpf_ringbuf_ring *r);
/* The data area's size (the map's max_entries). */
size_t bbpf_ringbuf_ring_size(const struct bbpf_ringbuf_ring *r);
int bbpf_ringbuf_ring_map_fd(const struct bbpf_ringbuf_ring *r);
/* Consume this ring only; as bbpf_ringbuf_consume / _consume_n. */
int bbpf_ringbuf_ring_consume(struct bbpf_ringbuf_ring *r);
int bbpf_ringbuf_ring_consume_n(struct bbpf_ringbuf_ring *r, size_t n);

/* =================== BPF_MAP_TYPE_USER_RINGBUF producer =================== */

/*
 * User space writes records; a BPF program drains them with
 * bpf_user_ringbuf_drain(). One producer thread at a time (reserve is not
 * thread-safe; submit/discard of distinct records are).
 */
struct bbpf_user_ringbuf;

/*
 * Map the consumer page read-only and the producer page and data area
 * read-write (data twice in a row), and add map_fd to a new epoll fd for
 * EPOLLOUT (the kernel signals it after a drain frees space).
 * Errors: -EINVAL (out NULL, not a user ring buffer, bad size), -E2BIG,
 * -ENOMEM, kernel errors.
 */
int bbpf_user_ringbuf_new(struct bbpf_ctx *ctx, int map_fd, struct bbpf_user_ringbuf **out);
/*
 * Reserve a record of size bytes; *sample (8-byte aligned, contiguous) is
 * then the caller's to fill until submit or discard, which must follow:
 * records reach the program in reservation order, and a reserved record
 * holds back every later one.
 * Errors: -E2BIG (size uses the header's two flag bits, or the record with
 * its 8-byte header, rounded up to 8, is larger than the whole ring),
 * -ENOSPC (it fits the ring but not the space free now), -EINVAL (NULL
 * arguments).
 */
int bbpf_user_ringbuf_reserve(struct bbpf_user_ringbuf *rb, uint32_t size, void **sample);
/*
 * As reserve, but while the ring lacks space wait on the epoll fd until a
 * drain frees some, for up to timeout_ms in total (-1: no limit; 0: one
 * try). The deadline is CLOCK_MONOTONIC (through the table's
 * clock_gettime). Errors: as reserve, -EINVAL for timeout_ms < -1,
 * -ENOSPC when the time is up, -EINTR (a signal during the wait), clock and
 * epoll errors. The kernel reports the ring writable whenever it is not
 * full, so a wait for a record larger than the free space may spin until a
 * drain or the deadline (as libbpf's does).
 */
int bbpf_user_ringbuf_reserve_blocking(struct bbpf_user_ringbuf *rb, uint32_t size,
				       int timeout_ms, void **sample);
/*
 * Publish (submit) or drop (discard) a reserved record: the header's busy
 * bit is cleared (discard also sets the discard bit) with a release store.
 * -EINVAL if sample is not where a record of this ring can start, or its
 * header is not marked reserved (a check, not a proof: a pointer into a
 * record's payload can pass it).
 */
int bbpf_user_ringbuf_submit(struct bbpf_user_ringbuf *rb, void *sample);
int bbpf_user_ringbuf_discard(struct bbpf_user_ringbuf *rb, void *sample);
/* The epoll fd (lent), writable when the ring has free space. */
int bbpf_user_ringbuf_epoll_fd(const struct bbpf_user_ringbuf *rb);
/* Free bytes in the ring now (records need their size + 8, rounded up to 8). */
size_t bbpf_user_ringbuf_avail(const struct bbpf_user_ringbuf *rb);
void bbpf_user_ringbuf_free(struct bbpf_user_ringbuf *rb);

/* ================= BPF_MAP_TYPE_PERF_EVENT_ARRAY consumer ================= */

struct bbpf_perfbuf;

/*
 * A PERF_RECORD_SAMPLE's raw data: bpf_perf_event_output's bytes, valid
 * only during the call. size is the kernel's PERF_SAMPLE_RAW size, which
 * includes its padding: the bytes written rounded so that size + 4 is a
 * multiple of 8 (16 bytes written: size 20), as libbpf reports it.
 */
typedef void (*bbpf_perfbuf_sample_fn)(void *ctx, int cpu, void *data, uint32_t size);
/* A PERF_RECORD_LOST: cnt samples were dropped on cpu because its ring was full. */
typedef void (*bbpf_perfbuf_lost_fn)(void *ctx, int cpu, uint64_t cnt);

/* What a raw event callback returns (libbpf's values). */
enum bbpf_perf_event_ret {
	BBPF_PERF_EVENT_DONE = 0,	/* stop this CPU's ring for now; not an error */
	BBPF_PERF_EVENT_ERROR = -1,	/* stop; the call returns -ECANCELED */
	BBPF_PERF_EVENT_CONT = -2,	/* go on */
};

/*
 * Sees every record of a CPU's ring (samples, lost records, anything the
 * caller's attr asks for). event is valid only during the call; a record
 * that wrapped the ring's end is passed as a contiguous copy. The record
 * counts as consumed whatever the return.
 */
typedef enum bbpf_perf_event_ret (*bbpf_perfbuf_event_fn)(void *ctx, int cpu,
							  struct perf_event_header *event);

struct bbpf_perfbuf_opts {
	/* Samples per wakeup (perf_event_attr.wakeup_events). 0: 1, as libbpf. */
	uint32_t wakeup_events;
	/* perf_event_attr.sample_period. 0: 1. */
	uint64_t sample_period;
};

struct bbpf_perfbuf_raw_opts {
	/*
	 * 0: one event per possible CPU that is online, up to the map's
	 * max_entries, at key = cpu (as bbpf_perfbuf_new). > 0: exactly these
	 * cpu_cnt events on cpus[i] at map key map_keys[i] (online or not).
	 */
	int cpu_cnt;
	const int *cpus;
	const int *map_keys;
};

/*
 * For every possible CPU that is online (/sys/devices/system/cpu/online)
 * and below the map's max_entries: a PERF_COUNT_SW_BPF_OUTPUT software
 * event with PERF_SAMPLE_RAW (perf_event_open, pid -1, that cpu,
 * PERF_FLAG_FD_CLOEXEC), its ring mapped read-write (page_cnt data pages +
 * 1 header page), enabled, stored in map_fd at key = cpu, and added to a
 * new epoll fd. sample_cb gets each sample, lost_cb each lost count (either
 * may be NULL: those records are then consumed silently). Records of other
 * types are skipped (libbpf stops with an error on them).
 * Errors: -EINVAL (page_cnt 0 or not a power of two, out NULL, map not a
 * perf event array, page_cnt * page size overflows), -ENOMEM, perf/bpf/mmap
 * errors (e.g. -EACCES, -EMFILE), cpu list errors.
 */
int bbpf_perfbuf_new(struct bbpf_ctx *ctx, int map_fd, size_t page_cnt,
		     bbpf_perfbuf_sample_fn sample_cb, bbpf_perfbuf_lost_fn lost_cb, void *cb_ctx,
		     const struct bbpf_perfbuf_opts *opts, struct bbpf_perfbuf **out);
/*
 * As bbpf_perfbuf_new with the caller's perf_event_attr (used as given) and
 * one callback for every record. attr and event_cb must not be NULL;
 * opts may be NULL (cpu_cnt 0).
 */
int bbpf_perfbuf_new_raw(struct bbpf_ctx *ctx, int map_fd, size_t page_cnt,
			 struct perf_event_attr *attr, bbpf_perfbuf_event_fn event_cb, void *cb_ctx,
			 const struct bbpf_perfbuf_raw_opts *opts, struct bbpf_perfbuf **out);
/*
 * Wait up to timeout_ms for data, then read every ring epoll reported.
 * Returns the number of rings read (libbpf's perf_buffer__poll counts
 * ready buffers, not records; 0 on timeout), or: -ECANCELED (an event
 * callback returned BBPF_PERF_EVENT_ERROR), -EBADMSG (a record whose size
 * cannot be right), -ENOMEM (no scratch for a wrapping record: it is left
 * in the ring), the epoll_wait error (-EINTR on a signal).
 */
int bbpf_perfbuf_poll(struct bbpf_perfbuf *pb, int timeout_ms);
/* Read every ring without waiting: 0 or an error as poll. */
int bbpf_perfbuf_consume(struct bbpf_perfbuf *pb);
/* Read ring idx (0 <= idx < buffer_cnt): 0, an error as poll, -EINVAL if out of range. */
int bbpf_perfbuf_consume_buffer(struct bbpf_perfbuf *pb, size_t idx);
/* Rings opened (CPUs that were online, or raw opts' cpu_cnt). */
size_t bbpf_perfbuf_buffer_cnt(const struct bbpf_perfbuf *pb);
/* Ring idx's perf event fd (lent), or -EINVAL. */
int bbpf_perfbuf_buffer_fd(const struct bbpf_perfbuf *pb, size_t idx);
/* Ring idx's CPU, or -EINVAL. */
int bbpf_perfbuf_buffer_cpu(const struct bbpf_perfbuf *pb, size_t idx);
/*
 * Ring idx's mapping (struct perf_event_mmap_page, then the data pages) and
 * its size, for a custom reader. -EINVAL if out of range.
 */
int bbpf_perfbuf_buffer(const struct bbpf_perfbuf *pb, size_t idx, void **buf, size_t *size);
/* The epoll fd (lent); event data.u64 is the ring index. */
int bbpf_perfbuf_epoll_fd(const struct bbpf_perfbuf *pb);
/* Removes the map entries it set, disables, unmaps and closes the events. */
void bbpf_perfbuf_free(struct bbpf_perfbuf *pb);

#endif
