/*
 * numeric_bytes.h: reads PostgreSQL's numeric storage format (the varlena
 * payload, header excluded) straight into a scaled integer, without the
 * round trip through text.  The format is the on-disk one, stable across
 * releases (pg_upgrade keeps it); see the comments of numeric.c.
 * Pure C; fuzzed by test/fuzz.
 */
#ifndef SROI_NUMERIC_BYTES_H
#define SROI_NUMERIC_BYTES_H

#include <stdbool.h>
#include <stddef.h>

#include "decimal.h"

/* The largest magnitude read exactly; beyond it the value saturates. */
#define SCALED_READ_LIMIT ((int128_t) 1000000000000000000LL * 1000000000000LL)

typedef struct ScaledNumeric
{
	DecimalStatus status;		/* DECIMAL_SYNTAX: NaN, infinity or malformed */
	int128_t	value;			/* x 10^scale, truncated toward zero; saturated
								 * at +-(SCALED_READ_LIMIT + 1) on overflow */
	bool		negative;		/* the sign, also of values truncated to 0 */
	bool		inexact;		/* nonzero digits beyond the scale were dropped */
} ScaledNumeric;

/* Reads value x 10^scale, for scale 0..4. */
ScaledNumeric numeric_bytes_read(const unsigned char *payload, size_t length, int scale);

/* The exact value is above limit (limit >= 0). */
bool		scaled_above(const ScaledNumeric *n, int128_t limit);

/* The exact value is 0 or less. */
bool		scaled_not_positive(const ScaledNumeric *n);

/* The exact value is below 0. */
bool		scaled_negative(const ScaledNumeric *n);

#endif
