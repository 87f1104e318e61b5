/*
 * persons_state.c: validation of the serialized state of sroi.persons (see
 * persons_state.h).  Every length is compared with the bytes left before it is used,
 * in size_t, so no sum can wrap.
 */
#include "persons_state.h"

#include <string.h>

int
persons_id_compare(const unsigned char *a, size_t a_length,
				   const unsigned char *b, size_t b_length)
{
	size_t		common = a_length < b_length ? a_length : b_length;
	int			c = common > 0 ? memcmp(a, b, common) : 0;

	if (c != 0)
		return c;
	return a_length < b_length ? -1 : a_length > b_length ? 1 : 0;
}

PersonsStateStatus
persons_state_check(const unsigned char *data, size_t size, uint32_t *count, uint32_t *index)
{
	size_t		at = 4;
	uint32_t	n;
	const unsigned char *previous = NULL;
	size_t		previous_length = 0;

	*index = 0;
	if (size < 4)
		return PERSONS_STATE_NO_COUNT;
	n = persons_state_uint32(data);
	/* Each id takes at least its 4 length bytes. */
	if (n > (size - at) / 4)
		return PERSONS_STATE_COUNT;
	for (uint32_t i = 0; i < n; i++)
	{
		size_t		length;

		*index = i;
		if (size - at < 4)
			return PERSONS_STATE_NO_LENGTH;
		length = persons_state_uint32(data + at);
		at += 4;
		if (length > size - at)
			return PERSONS_STATE_LENGTH;
		if (previous != NULL &&
			persons_id_compare(previous, previous_length, data + at, length) >= 0)
			return PERSONS_STATE_ORDER;
		previous = data + at;
		previous_length = length;
		at += length;
	}
	*index = 0;
	if (at != size)
		return PERSONS_STATE_TRAILING;
	*count = n;
	return PERSONS_STATE_OK;
}
