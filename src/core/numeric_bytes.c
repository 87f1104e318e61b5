/*
 * numeric_bytes.c: numeric storage format -> scaled integer.
 *
 * A numeric is a header and base-10000 digits, most significant first:
 * value = sum digit[i] x 10000^(weight - i).  The header is either short
 * (2 bytes: sign, display scale and a 7-bit weight) or long (2 bytes of sign
 * and display scale, then a 16-bit weight); sign bits 11 mark NaN and the
 * infinities.
 */
#include "numeric_bytes.h"

#include <stdint.h>
#include <string.h>

#define SIGN_MASK 0xC000
#define NEGATIVE 0x4000
#define SHORT 0x8000
#define SPECIAL 0xC000
#define SHORT_NEGATIVE 0x2000
#define SHORT_WEIGHT_NEGATIVE 0x0040
#define SHORT_WEIGHT_MASK 0x003F
#define NBASE 10000

static uint16_t
read_u16(const unsigned char *p)
{
	uint16_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static ScaledNumeric
malformed(void)
{
	ScaledNumeric n = {DECIMAL_SYNTAX, 0, false, false};

	return n;
}

/* digit x 10000^position x 10^scale, or -1 when above SCALED_READ_LIMIT. */
static int128_t
whole_term(int digit, long position, int scale)
{
	static const int pow10[5] = {1, 10, 100, 1000, 10000};
	int128_t	term = (int128_t) digit * pow10[scale];

	for (long p = 0; p < position; p++)
	{
		if (term > SCALED_READ_LIMIT)
			return -1;
		term *= NBASE;
	}
	return term > SCALED_READ_LIMIT ? -1 : term;
}

ScaledNumeric
numeric_bytes_read(const unsigned char *payload, size_t length, int scale)
{
	static const int pow10[5] = {1, 10, 100, 1000, 10000};
	ScaledNumeric n = {DECIMAL_OK, 0, false, false};
	uint16_t	header;
	int			weight;
	size_t		header_size;

	if (scale < 0 || scale > 4 || length < 2)
		return malformed();
	header = read_u16(payload);
	if ((header & SIGN_MASK) == SPECIAL)
		return malformed();
	if ((header & SIGN_MASK) == SHORT)
	{
		n.negative = (header & SHORT_NEGATIVE) != 0;
		weight = (header & SHORT_WEIGHT_MASK) | ((header & SHORT_WEIGHT_NEGATIVE) ? ~SHORT_WEIGHT_MASK : 0);
		header_size = 2;
	}
	else
	{
		if (length < 4)
			return malformed();
		n.negative = (header & SIGN_MASK) == NEGATIVE;
		weight = (int16_t) read_u16(payload + 2);
		header_size = 4;
	}
	if ((length - header_size) % 2 != 0)
		return malformed();

	for (size_t i = 0; i < (length - header_size) / 2; i++)
	{
		int			digit = read_u16(payload + header_size + 2 * i);
		long		position = (long) weight - (long) i;	/* power of 10000 */
		int128_t	term;

		if (digit >= NBASE)
			return malformed();
		if (digit == 0 || n.status == DECIMAL_OVERFLOW)
			continue;
		if (position >= 0)
		{
			term = whole_term(digit, position, scale);
			if (term < 0 || (n.value += term) > SCALED_READ_LIMIT)
			{
				n.status = DECIMAL_OVERFLOW;
				n.value = SCALED_READ_LIMIT + 1;
			}
		}
		else if (position == -1)
		{
			n.value += digit / pow10[4 - scale];
			n.inexact |= digit % pow10[4 - scale] != 0;
			/* A whole part of exactly the limit plus a fraction is above it. */
			if (n.value > SCALED_READ_LIMIT)
			{
				n.status = DECIMAL_OVERFLOW;
				n.value = SCALED_READ_LIMIT + 1;
			}
		}
		else
			n.inexact = true;
	}
	if (n.status == DECIMAL_OK && n.inexact)
		n.status = DECIMAL_TOO_PRECISE;
	if (n.negative)
		n.value = -n.value;
	return n;
}

bool
scaled_above(const ScaledNumeric *n, int128_t limit)
{
	return n->value > limit || (n->value == limit && n->inexact && !n->negative);
}

bool
scaled_not_positive(const ScaledNumeric *n)
{
	return n->value < 0 || (n->value == 0 && (n->negative || !n->inexact));
}

bool
scaled_negative(const ScaledNumeric *n)
{
	return n->value < 0 || (n->value == 0 && n->negative && n->inexact);
}
