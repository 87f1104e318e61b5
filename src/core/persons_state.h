/*
 * persons_state.h: the serialized partial state of sroi.persons, as parallel
 * workers send it to the leader:
 *
 *   count        uint32, big-endian (network order, as pq_sendint32 writes it)
 *   count times: length uint32, big-endian, then that many bytes of one id
 *
 * with the ids distinct and in strictly ascending byte order (a proper prefix first),
 * so that one set always serializes to the same bytes.  persons_state_check validates a
 * whole buffer before anything is read from it.  Pure C; fuzzed by test/fuzz.
 */
#ifndef SROI_PERSONS_STATE_H
#define SROI_PERSONS_STATE_H

#include <stddef.h>
#include <stdint.h>

typedef enum PersonsStateStatus
{
	PERSONS_STATE_OK,
	PERSONS_STATE_NO_COUNT,		/* fewer than 4 bytes */
	PERSONS_STATE_COUNT,		/* more ids than the bytes left can hold */
	PERSONS_STATE_NO_LENGTH,	/* id *index: its length is cut short */
	PERSONS_STATE_LENGTH,		/* id *index: its length runs past the end */
	PERSONS_STATE_ORDER,		/* id *index: not above id *index - 1 */
	PERSONS_STATE_TRAILING		/* bytes after the last id */
} PersonsStateStatus;

/*
 * Checks size bytes at data; on PERSONS_STATE_OK sets *count, else sets *index to
 * the id at fault (0-based; 0 for the count and trailing-byte errors).  Reads
 * nothing outside data[0..size).
 */
PersonsStateStatus persons_state_check(const unsigned char *data, size_t size,
									   uint32_t *count, uint32_t *index);

/* Byte order of two ids: memcmp on the common part, then the shorter first. */
int			persons_id_compare(const unsigned char *a, size_t a_length,
							   const unsigned char *b, size_t b_length);

/* A big-endian uint32 at p (4 readable bytes). */
static inline uint32_t
persons_state_uint32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

#endif
