/*
 * decimal.c: exact decimal text <-> scaled integers, and the rounding rule.
 */
#include "decimal.h"

#include <stdbool.h>
#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

DecimalStatus
decimal_to_scaled(const char *text, int scale, int128_t limit, int128_t *result)
{
	const char *p = text;
	bool		negative = false;
	bool		any_digit = false;
	int			decimals = 0;
	bool		too_precise = false;
	int128_t	value = 0;

	if (*p == '+' || *p == '-')
		negative = (*p++ == '-');

	for (; is_digit(*p); p++)
	{
		any_digit = true;
		value = value * 10 + (*p - '0');
		if (value > limit)
			return DECIMAL_OVERFLOW;
	}
	if (*p == '.')
	{
		for (p++; is_digit(*p); p++)
		{
			any_digit = true;
			if (decimals == scale)
			{
				too_precise |= (*p != '0');
				continue;
			}
			value = value * 10 + (*p - '0');
			decimals++;
			if (value > limit)
				return DECIMAL_OVERFLOW;
		}
	}
	if (!any_digit || *p != '\0')
		return DECIMAL_SYNTAX;
	if (too_precise)
		return DECIMAL_TOO_PRECISE;

	for (; decimals < scale; decimals++)
	{
		value *= 10;
		if (value > limit)
			return DECIMAL_OVERFLOW;
	}
	*result = negative ? -value : value;
	return DECIMAL_OK;
}

void
scaled_to_decimal(int128_t value, int scale, char *buf, size_t buflen)
{
	char		digits[64];
	int			n = 0;
	size_t		out = 0;
	bool		negative = value < 0;
	/* Negate digit by digit so that the most negative value cannot overflow. */
	int128_t	rest = value;

	do
	{
		int			digit = (int) (rest % 10);

		digits[n++] = (char) ('0' + (digit < 0 ? -digit : digit));
		rest /= 10;
	} while (rest != 0 || n <= scale);

	if (buflen == 0)
		return;
	if (negative && out + 1 < buflen)
		buf[out++] = '-';
	while (n > 0 && out + 1 < buflen)
	{
		if (n == scale && out + 1 < buflen)
			buf[out++] = '.';
		if (out + 1 < buflen)
			buf[out++] = digits[--n];
	}
	buf[out] = '\0';
}

int128_t
div_round_half_away(int128_t numerator, int128_t denominator)
{
	int128_t	quotient = numerator / denominator;
	int128_t	remainder = numerator % denominator;
	int128_t	twice = remainder < 0 ? -2 * remainder : 2 * remainder;

	if (twice >= denominator)
		quotient += numerator < 0 ? -1 : 1;
	return quotient;
}
