/*
 * decimal.h: scaled integers: their decimal text and exact rounding.
 *
 * 1250 at scale 2 is "12.50".  Pure C.
 */
#ifndef SROI_DECIMAL_H
#define SROI_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * The 128-bit integer of gcc and clang on 64-bit platforms; in the module it is
 * PostgreSQL's int128 (c.h, HAVE_INT128; sroi.h checks that they agree).
 */
#ifndef __SIZEOF_INT128__
#error "sroi needs a 128-bit integer type (__int128), and this compiler and platform have none: build with gcc or clang on a 64-bit platform"
#endif
typedef __int128 int128_t;

typedef enum DecimalStatus
{
	DECIMAL_OK,
	DECIMAL_SYNTAX,				/* not a finite number */
	DECIMAL_TOO_PRECISE,		/* more significant decimals than the scale */
	DECIMAL_OVERFLOW			/* magnitude above the limit asked for */
} DecimalStatus;

/* Writes value / 10^scale as plain decimal text with exactly scale decimals. */
void		scaled_to_decimal(int128_t value, int scale, char *buf, size_t buflen);

/* numerator / denominator rounded half away from zero; denominator > 0. */
int128_t	div_round_half_away(int128_t numerator, int128_t denominator);

#endif
