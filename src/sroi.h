/*
 * sroi.h: shared helpers of the SQL-callable functions: conversions between
 * PostgreSQL values and the exact integers of src/core, with errors that name
 * the field, the value and the rule.
 *
 * Like every PostgreSQL header it expects postgres.h to be included already, as
 * the first line of the .c file.  The helpers are not static (several files use
 * them) but hidden: the Makefile compiles with -fvisibility=hidden, so sroi.so
 * exports only the SQL-callable functions (test/tools/exports.sh checks it).
 */
#ifndef SROI_H
#define SROI_H

#ifndef PG_VERSION_NUM
#error "sroi.h needs postgres.h: include postgres.h first in every .c file of src"
#endif

/*
 * The exact sums and products of src/core need a 128-bit integer: c.h defines
 * int128 when the compiler has one (gcc and clang on 64-bit platforms do).
 */
#ifndef HAVE_INT128
#error "sroi needs a 128-bit integer type, and this compiler and platform have none (c.h did not define HAVE_INT128): build with gcc or clang on a 64-bit platform"
#endif

#include "fmgr.h"
#include "utils/date.h"
#include "utils/numeric.h"

#if PG_VERSION_NUM < 160000
/*
 * PostgreSQL 16's PG_FUNCTION_INFO_V1: it also declares the function itself
 * PGDLLEXPORT, so that it stays exported when the module is compiled with
 * -fvisibility=hidden (15's declares only the info function so).
 */
#undef PG_FUNCTION_INFO_V1
#define PG_FUNCTION_INFO_V1(funcname) \
extern PGDLLEXPORT Datum funcname(PG_FUNCTION_ARGS); \
extern PGDLLEXPORT const Pg_finfo_record * CppConcat(pg_finfo_,funcname)(void); \
const Pg_finfo_record * \
CppConcat(pg_finfo_,funcname) (void) \
{ \
	static const Pg_finfo_record my_finfo = { 1 }; \
	return &my_finfo; \
} \
extern int no_such_variable
#endif

#include "decimal.h"
#include "numeric_bytes.h"

/* src/core's int128_t (decimal.h) and c.h's int128 are the same type. */
StaticAssertDecl(sizeof(int128_t) == sizeof(int128),
				 "src/core's int128_t and PostgreSQL's int128 differ");

/* Largest euro amount sroi accepts: EUR 999,999,999,999.99 (a numeric(14,2)). */
#define MAX_CENTS ((int128) 99999999999999LL)

/*
 * A numeric argument read as value x 10^scale (scale 0..4) straight from its
 * storage format; NaN and infinities raise 22P02 naming the field.
 */
ScaledNumeric read_scaled(Datum value, int scale, const char *field);

/* 22023 when digits beyond the scale were dropped. */
void		reject_inexact(const ScaledNumeric *n, Datum value, int scale, const char *field);

/* 22003 "field must be at most limit in magnitude" when above limit (scaled). */
void		reject_above(const ScaledNumeric *n, int128 limit, Datum value, int scale,
						 const char *field);

/* Whole cents of a non-negative euro amount of at most MAX_CENTS. */
int64		euro_to_cents(Datum value, const char *field);

Numeric		cents_to_numeric(int64 cents);

/* A finite date in years 1..9999 as a src/core day number, else 22008. */
int32		checked_day(DateADT date, const char *field);

/*
 * ends_on >= starts_on, else sqlerrcode (22023 for a function's arguments, 23514 for a
 * row: sroi.check_dates) naming both fields and dates.
 */
void		check_span(int32 starts_on, int32 ends_on, const char *start_field,
					   const char *end_field, int sqlerrcode);

/* The numeric or date as text, for error messages. */
char	   *numeric_text(Numeric value);
char	   *date_text(DateADT date);

#endif
