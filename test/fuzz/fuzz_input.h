/*
 * fuzz_input.h: shared helpers of the libFuzzer harnesses in test/fuzz.
 *
 * FuzzInput hands out the fuzz bytes as bounded integers; once the bytes run
 * out every value is the lower bound, so that short inputs are still valid.
 * CHECK aborts (libFuzzer reports it as a crash, with the input saved) and
 * names the invariant that failed.
 */
#ifndef SROI_FUZZ_INPUT_H
#define SROI_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

typedef struct FuzzInput
{
	const uint8_t *data;
	size_t		size;
} FuzzInput;

static inline uint64_t
fuzz_bytes(FuzzInput *in, int n)
{
	uint64_t	v = 0;

	for (int i = 0; i < n && in->size > 0; i++)
	{
		v = (v << 8) | *in->data++;
		in->size--;
	}
	return v;
}

/* An integer in [lo, hi] (lo <= hi), from as few bytes as the range needs. */
static inline int64_t
fuzz_range(FuzzInput *in, int64_t lo, int64_t hi)
{
	uint64_t	span = (uint64_t) hi - (uint64_t) lo;
	int			n = 0;

	for (uint64_t s = span; s > 0; s >>= 8)
		n++;
	if (span == UINT64_MAX)
		return (int64_t) ((uint64_t) lo + fuzz_bytes(in, 8));
	return (int64_t) ((uint64_t) lo + fuzz_bytes(in, n) % (span + 1));
}

/*
 * An integer in [lo, hi] that favours the bounds and their neighbours: the
 * selector byte picks lo, lo + 1, hi - 1, hi or any value of the range.
 */
static inline int64_t
fuzz_edgy(FuzzInput *in, int64_t lo, int64_t hi)
{
	switch (fuzz_bytes(in, 1) % 8)
	{
		case 0:
			return lo;
		case 1:
			return lo < hi ? lo + 1 : lo;
		case 2:
			return lo < hi ? hi - 1 : hi;
		case 3:
			return hi;
		default:
			return fuzz_range(in, lo, hi);
	}
}

/*
 * A day number in [lo, hi] (lo <= hi): within near, further or far days after lo,
 * or anywhere in the range, as the selector byte picks (each capped at hi).
 */
static inline int32_t
fuzz_day_after(FuzzInput *in, int32_t lo, int32_t hi, int64_t near, int64_t further, int64_t far)
{
	int64_t		span = (int64_t) hi - lo;
	int64_t		reach;

	switch (fuzz_bytes(in, 1) % 4)
	{
		case 0:
			reach = near;
			break;
		case 1:
			reach = further;
			break;
		case 2:
			reach = far;
			break;
		default:
			reach = span;
			break;
	}
	if (reach > span)
		reach = span;
	return (int32_t) (lo + fuzz_range(in, 0, reach));
}

#endif
