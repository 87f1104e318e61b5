/*
 * sroi.h: shared helpers of the SQL-callable functions: conversions between
 * PostgreSQL values and the exact integers of src/core, with errors that name
 * the field, the value and the rule.
 */
#ifndef SROI_H
#define SROI_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"
#include "utils/numeric.h"

#include "decimal.h"
#include "numeric_bytes.h"

/* Largest euro amount sroi accepts: EUR 999,999,999,999.99 (a numeric(14,2)). */
#define MAX_CENTS ((int128_t) 99999999999999LL)

/*
 * A numeric argument read as value x 10^scale (scale 0..4) straight from its
 * storage format; NaN and infinities raise 22P02 naming the field.
 */
ScaledNumeric read_scaled(Datum value, int scale, const char *field);

/* 22023 when digits beyond the scale were dropped. */
void		reject_inexact(const ScaledNumeric *n, Datum value, int scale, const char *field);

/* 22003 "field must be at most limit in magnitude" when above limit (scaled). */
void		reject_above(const ScaledNumeric *n, int128_t limit, Datum value, int scale,
						 const char *field);

/* Whole cents of a non-negative euro amount of at most MAX_CENTS. */
int64		euro_to_cents(Datum value, const char *field);

Numeric		cents_to_numeric(int64 cents);

/* A finite date in years 1..9999 as a src/core day number, else 22008. */
int32		checked_day(DateADT date, const char *field);

/* ends_on >= starts_on, else 22023 naming both fields and dates. */
void		check_span(int32 starts_on, int32 ends_on, const char *start_field,
					   const char *end_field);

/* The numeric or date as text, for error messages. */
char	   *numeric_text(Numeric value);
char	   *date_text(DateADT date);

#endif
