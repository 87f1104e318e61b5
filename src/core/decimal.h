/*
 * decimal.h: exact decimal text <-> scaled integers.
 *
 * "12.50" at scale 2 is 1250.  Pure C; fuzzed by test/fuzz.
 */
#ifndef SROI_DECIMAL_H
#define SROI_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

typedef __int128 int128_t;

typedef enum DecimalStatus
{
	DECIMAL_OK,
	DECIMAL_SYNTAX,				/* not a plain finite decimal */
	DECIMAL_TOO_PRECISE,		/* more significant decimals than the scale */
	DECIMAL_OVERFLOW			/* magnitude above the limit asked for */
} DecimalStatus;

/*
 * Parses an optionally signed plain decimal ("-12.340") into value x 10^scale.
 * Trailing zero decimals beyond the scale are accepted; any other digit there is
 * DECIMAL_TOO_PRECISE.  |result| must not exceed limit (itself scaled).
 */
DecimalStatus decimal_to_scaled(const char *text, int scale, int128_t limit,
								int128_t *result);

/* Writes value / 10^scale as plain decimal text with exactly scale decimals. */
void		scaled_to_decimal(int128_t value, int scale, char *buf, size_t buflen);

/* numerator / denominator rounded half away from zero; denominator > 0. */
int128_t	div_round_half_away(int128_t numerator, int128_t denominator);

#endif
