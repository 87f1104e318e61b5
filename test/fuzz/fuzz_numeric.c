/*
 * fuzz_numeric.c: numeric_bytes_read (src/core/numeric_bytes.c) on arbitrary
 * bytes, the payload of every numeric argument sroi reads (amount, fte, hours).
 *
 * Input: the first byte picks the scale (byte % 5, i.e. 0..4); the rest is the
 * numeric payload (storage format, header included, varlena header excluded).
 *
 * Checks: no crash or sanitizer report; |value| <= SCALED_READ_LIMIT + 1; the
 * status, value, sign and inexact flag agree with an independent reference
 * decoding of the format; scaled_above (for the limits sroi uses and values
 * next to the one read), scaled_not_positive and scaled_negative agree with the
 * exact value; scaled_to_decimal of the value reads back as the value, and a
 * short buffer gets a NUL-terminated prefix of the full text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_input.h"
#include "numeric_bytes.h"

#define LIMIT SCALED_READ_LIMIT

typedef struct Reference
{
	bool		malformed;
	bool		negative;		/* the header's sign */
	bool		nonzero;		/* some digit is not 0 */
	bool		overflow;		/* |exact| x 10^scale > LIMIT */
	bool		fraction;		/* |exact| x 10^scale is not whole */
	int128_t	truncated;		/* floor(|exact| x 10^scale), when !overflow */
} Reference;

static unsigned
u16_at(const uint8_t *p)
{
	return (unsigned) p[0] | ((unsigned) p[1] << 8);	/* little endian */
}

/*
 * Decodes the exact value as the sum of digit x 10000^position.  Positions
 * >= 8 give at least 10^32 > LIMIT; positions 7..0 and -1 are collected into a
 * base-10000 integer; anything below 10^-4 only makes the value inexact.
 */
static Reference
reference(const uint8_t *p, size_t n, int scale)
{
	static const int128_t pow10[5] = {1, 10, 100, 1000, 10000};
	Reference	r = {0};
	unsigned	header;
	long		weight;
	size_t		first_digit;
	int			at[9] = {0};	/* at[k]: the digit at position k - 1 */
	int128_t	whole = 0;

	if (n < 2)
		return (Reference) {.malformed = true};
	header = u16_at(p);
	switch (header >> 14)
	{
		case 3:					/* NaN, +-Infinity */
			return (Reference) {.malformed = true};
		case 2:					/* short: 1 sign bit, 6 dscale bits, 7 weight bits */
			r.negative = (header & 0x2000) != 0;
			weight = (long) (header & 0x7F);
			if (weight >= 64)
				weight -= 128;
			first_digit = 2;
			break;
		default:				/* long: sign 0x0000 or 0x4000, dscale, int16 weight */
			if (n < 4)
				return (Reference) {.malformed = true};
			r.negative = (header >> 14) == 1;
			weight = (long) u16_at(p + 2);
			if (weight >= 32768)
				weight -= 65536;
			first_digit = 4;
			break;
	}
	if ((n - first_digit) % 2 != 0)
		return (Reference) {.malformed = true};
	for (size_t i = 0; first_digit + 2 * i < n; i++)
	{
		unsigned	digit = u16_at(p + first_digit + 2 * i);
		long		position = weight - (long) i;

		if (digit >= 10000)
			return (Reference) {.malformed = true};
		if (digit == 0)
			continue;
		r.nonzero = true;
		if (position >= 8)
			r.overflow = true;
		else if (position >= -1)
			at[position + 1] = (int) digit;
		else
			r.fraction = true;
	}
	for (int k = 8; k >= 1; k--)
		whole = whole * 10000 + at[k];
	/* whole < 10^32, so whole x 10^4 + digit fits easily in int128. */
	r.truncated = whole * pow10[scale] + at[0] / pow10[4 - scale];
	r.fraction |= at[0] % pow10[4 - scale] != 0;
	r.overflow |= r.truncated > LIMIT;
	return r;
}

/* exact x 10^scale > limit, for 0 <= limit <= LIMIT. */
static bool
expected_above(const Reference *r, int128_t limit)
{
	if (r->negative || !r->nonzero)
		return false;
	if (r->overflow)
		return true;
	return r->truncated > limit || (r->truncated == limit && r->fraction);
}

/* Reads back the text of scaled_to_decimal as an integer x 10^scale. */
static int128_t
read_decimal(const char *s, int scale)
{
	bool		negative = *s == '-';
	int128_t	v = 0;
	int			decimals = -1;

	if (negative)
		s++;
	CHECK(*s >= '0' && *s <= '9');
	for (; *s; s++)
	{
		if (*s == '.')
		{
			CHECK(decimals < 0 && scale > 0);
			decimals = 0;
			continue;
		}
		CHECK(*s >= '0' && *s <= '9');
		v = v * 10 + (*s - '0');
		if (decimals >= 0)
			decimals++;
	}
	CHECK(scale == 0 ? decimals < 0 : decimals == scale);
	return negative ? -v : v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int128_t limits[] = {
		0, 1, 9999, 10000, 10001,	/* fte: (0, 1] at scale 4 */
		99999999999999LL,		/* MAX_CENTS */
		10000000000LL,			/* MAX_HOURS */
		LIMIT - 1, LIMIT
	};
	int			scale;
	uint8_t    *payload;
	size_t		length;
	ScaledNumeric n;
	Reference	r;

	if (size < 1)
		return 0;
	scale = data[0] % 5;
	length = size - 1;
	/* An exact-size copy, so that any read past the end is an ASan report. */
	payload = malloc(length > 0 ? length : 1);
	memcpy(payload, data + 1, length);

	n = numeric_bytes_read(payload, length, scale);
	r = reference(payload, length, scale);

	CHECK(n.value >= -(LIMIT + 1) && n.value <= LIMIT + 1);
	CHECK((n.status == DECIMAL_SYNTAX) == r.malformed);
	if (r.malformed)
	{
		free(payload);
		return 0;
	}

	CHECK(n.negative == r.negative);
	CHECK(n.value <= 0 || !n.negative);
	CHECK(n.value >= 0 || n.negative);
	if (r.overflow)
	{
		CHECK(n.status == DECIMAL_OVERFLOW);
		CHECK(n.value == (r.negative ? -(LIMIT + 1) : LIMIT + 1));
	}
	else
	{
		CHECK(n.status == (r.fraction ? DECIMAL_TOO_PRECISE : DECIMAL_OK));
		CHECK(n.inexact == r.fraction);
		CHECK(n.value == (r.negative ? -r.truncated : r.truncated));
	}

	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
		CHECK(scaled_above(&n, limits[i]) == expected_above(&r, limits[i]));
	if (!r.overflow)
		for (int128_t d = -1; d <= 1; d++)
			if (r.truncated + d >= 0 && r.truncated + d <= LIMIT)
				CHECK(scaled_above(&n, r.truncated + d) == expected_above(&r, r.truncated + d));
	CHECK(scaled_not_positive(&n) == (r.negative || !r.nonzero));
	CHECK(scaled_negative(&n) == (r.negative && r.nonzero));

	/* The value as decimal text, as the error messages and the aggregate write it. */
	{
		char		full[64];
		size_t		shortlen = (size_t) (n.value & 15) + 1;
		char	   *shortbuf = malloc(shortlen);	/* exact size, for ASan */

		scaled_to_decimal(n.value, scale, full, sizeof(full));
		CHECK(strlen(full) < sizeof(full));
		CHECK(read_decimal(full, scale) == n.value);
		scaled_to_decimal(n.value, scale, shortbuf, shortlen);
		CHECK(strlen(shortbuf) < shortlen);
		CHECK(strncmp(shortbuf, full, strlen(shortbuf)) == 0);
		free(shortbuf);
	}

	free(payload);
	return 0;
}
