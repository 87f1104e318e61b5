/*
 * decimal.c: scaled integers -> decimal text, and the rounding rule.
 */
#include "decimal.h"

#include <stdbool.h>

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
