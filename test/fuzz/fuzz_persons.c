/*
 * fuzz_persons.c: persons_state_check and persons_id_compare (src/core/persons_state.c)
 * on any bytes, the input of sroi.persons_deserialize.
 *
 * Checks: no crash or sanitizer report (the input is an exact-size heap copy, so a read
 * past its end is an ASan report); the status, count and failing id agree with an
 * independent reference reader (64-bit offsets); an accepted state writes back to the
 * same bytes.  Then the input cut into ids (each first byte a length, mod 8), sorted and
 * deduplicated with persons_id_compare, written in the state format, must be accepted
 * with that count: what persons_serialize writes, persons_deserialize reads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "persons_state.h"

typedef struct Id
{
	const unsigned char *bytes;
	size_t		length;
} Id;

static uint64_t
be32(const unsigned char *p)
{
	return ((uint64_t) p[0] << 24) | ((uint64_t) p[1] << 16) | ((uint64_t) p[2] << 8) | p[3];
}

/* Byte order, written without memcmp. */
static int
reference_compare(Id a, Id b)
{
	for (size_t i = 0; i < a.length && i < b.length; i++)
		if (a.bytes[i] != b.bytes[i])
			return a.bytes[i] < b.bytes[i] ? -1 : 1;
	return (a.length > b.length) - (a.length < b.length);
}

static PersonsStateStatus
reference_check(const unsigned char *data, uint64_t size, uint64_t *count, uint64_t *index)
{
	uint64_t	n,
				at = 4;
	Id			previous = {NULL, 0};

	*index = 0;
	if (size < 4)
		return PERSONS_STATE_NO_COUNT;
	n = be32(data);
	if (4 + 4 * n > size)
		return PERSONS_STATE_COUNT;
	for (uint64_t i = 0; i < n; i++)
	{
		Id			id;

		*index = i;
		if (at + 4 > size)
			return PERSONS_STATE_NO_LENGTH;
		id.length = be32(data + at);
		if (at + 4 + id.length > size)
			return PERSONS_STATE_LENGTH;
		id.bytes = data + at + 4;
		if (i > 0 && reference_compare(previous, id) >= 0)
			return PERSONS_STATE_ORDER;
		previous = id;
		at += 4 + id.length;
	}
	*index = 0;
	if (at != size)
		return PERSONS_STATE_TRAILING;
	*count = n;
	return PERSONS_STATE_OK;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static int
compare_ids(const void *a, const void *b)
{
	const Id   *x = a,
			   *y = b;

	return persons_id_compare(x->bytes, x->length, y->bytes, y->length);
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	unsigned char *data = malloc(size > 0 ? size : 1);
	uint32_t	count = 0,
				index = 0;
	uint64_t	ref_count = 0,
				ref_index = 0;
	PersonsStateStatus status,
				ref_status;
	Id		   *ids;
	size_t		n = 0,
				written = 4;
	unsigned char *state;

	CHECK(data != NULL);
	memcpy(data, input, size);
	status = persons_state_check(data, size, &count, &index);
	ref_status = reference_check(data, size, &ref_count, &ref_index);
	CHECK(status == ref_status);
	CHECK(index == ref_index);
	if (status == PERSONS_STATE_OK)
	{
		/* Canonical: the ids written back are the input. */
		unsigned char *copy = malloc(size);
		size_t		at = 4,
					out = 4;

		CHECK(copy != NULL && count == ref_count);
		put32(copy, count);
		for (uint32_t i = 0; i < count; i++)
		{
			uint32_t	length = persons_state_uint32(data + at);

			put32(copy + out, length);
			memcpy(copy + out + 4, data + at + 4, length);
			out += 4 + length;
			at += 4 + length;
		}
		CHECK(out == size && memcmp(copy, data, size) == 0);
		free(copy);
	}

	/* The input cut into ids, sorted and deduplicated, is a valid state. */
	ids = malloc(sizeof(Id) * (size + 1));
	CHECK(ids != NULL);
	for (size_t at = 0; at < size;)
	{
		size_t		length = data[at] % 8;

		at++;
		if (length > size - at)
			length = size - at;
		ids[n].bytes = data + at;
		ids[n].length = length;
		n++;
		at += length;
	}
	qsort(ids, n, sizeof(Id), compare_ids);
	{
		size_t		kept = 0;

		for (size_t i = 0; i < n; i++)
		{
			CHECK(i == 0 || reference_compare(ids[i - 1], ids[i]) <= 0);
			if (kept == 0 || persons_id_compare(ids[kept - 1].bytes, ids[kept - 1].length,
												ids[i].bytes, ids[i].length) != 0)
				ids[kept++] = ids[i];
			else
				CHECK(reference_compare(ids[kept - 1], ids[i]) == 0);
		}
		n = kept;
	}
	for (size_t i = 0; i < n; i++)
		written += 4 + ids[i].length;
	state = malloc(written);
	CHECK(state != NULL);
	put32(state, (uint32_t) n);
	{
		size_t		out = 4;

		for (size_t i = 0; i < n; i++)
		{
			put32(state + out, (uint32_t) ids[i].length);
			if (ids[i].length > 0)
				memcpy(state + out + 4, ids[i].bytes, ids[i].length);
			out += 4 + ids[i].length;
		}
	}
	CHECK(persons_state_check(state, written, &count, &index) == PERSONS_STATE_OK);
	CHECK(count == n);
	/* One byte less, or one more, is malformed. */
	CHECK(persons_state_check(state, written - 1, &count, &index) != PERSONS_STATE_OK);
	free(state);
	free(ids);
	free(data);
	return 0;
}
