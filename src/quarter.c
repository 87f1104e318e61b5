/*
 * quarter.c: the sroi.quarter type, a calendar quarter such as '2025-Q3'.
 *
 * Four bytes, passed by value: year x 4 + (quarter number - 1).  Text and binary
 * I/O, btree and hash support, arithmetic in whole quarters, and conversion
 * from and to dates.
 */
#include "postgres.h"

#include "sroi.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "quarter_text.h"

#define DatumGetQuarter(d) DatumGetInt32(d)
#define QuarterGetDatum(q) Int32GetDatum(q)
#define PG_GETARG_QUARTER(n) DatumGetQuarter(PG_GETARG_DATUM(n))
#define PG_RETURN_QUARTER(q) return QuarterGetDatum(q)

static void
report_bad_quarter(QuarterStatus status, const char *text)
{
	switch (status)
	{
		case QUARTER_OK:
			return;
		case QUARTER_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type quarter: \"%s\"", text),
					 errhint("A quarter is written as YYYY-Qn, for example 2025-Q3.")));
			break;
		case QUARTER_YEAR_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
					 errmsg("quarter year out of range: \"%s\"", text),
					 errdetail("The year of a quarter must be from %d to %d.",
							   SROI_MIN_YEAR, SROI_MAX_YEAR)));
			break;
		case QUARTER_NUMBER_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
					 errmsg("quarter number out of range: \"%s\"", text),
					 errdetail("The quarter number must be from 1 to 4.")));
			break;
	}
}

static void
report_out_of_range(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
			 errmsg("quarter out of range: %s", what),
			 errdetail("A quarter must lie from %04d-Q1 to %04d-Q4.", SROI_MIN_YEAR, SROI_MAX_YEAR)));
}

/* quarter + offset, or 22008 naming the quarter and the offset. */
static int32
shifted_quarter(int32 quarter, int64 offset)
{
	int64		result = (int64) quarter + offset;
	char		text[QUARTER_TEXT_LEN];

	if (result < QUARTER_MIN || result > QUARTER_MAX)
	{
		quarter_format(quarter, text);
		report_out_of_range(psprintf("%s %s " INT64_FORMAT " quarters", text,
									 offset < 0 ? "-" : "+", offset < 0 ? -offset : offset));
	}
	return (int32) result;
}

PG_FUNCTION_INFO_V1(quarter_in);
Datum
quarter_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	int32		quarter = 0;

	report_bad_quarter(quarter_parse(text, &quarter), text);
	PG_RETURN_QUARTER(quarter);
}

PG_FUNCTION_INFO_V1(quarter_out);
Datum
quarter_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(QUARTER_TEXT_LEN);

	quarter_format(PG_GETARG_QUARTER(0), buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary form: the int4 year x 4 + (quarter - 1), validated as text input is. */
PG_FUNCTION_INFO_V1(quarter_recv);
Datum
quarter_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	int32		quarter = (int32) pq_getmsgint(buf, 4);

	if (quarter < QUARTER_MIN || quarter > QUARTER_MAX)
		report_out_of_range(psprintf("binary value %d", quarter));
	PG_RETURN_QUARTER(quarter);
}

PG_FUNCTION_INFO_V1(quarter_send);
Datum
quarter_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, PG_GETARG_QUARTER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Comparison: the integer order is the calendar order. */
#define QUARTER_COMPARISON(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_QUARTER(0) op PG_GETARG_QUARTER(1)); \
}

QUARTER_COMPARISON(quarter_lt, <)
QUARTER_COMPARISON(quarter_le, <=)
QUARTER_COMPARISON(quarter_eq, ==)
QUARTER_COMPARISON(quarter_ne, !=)
QUARTER_COMPARISON(quarter_ge, >=)
QUARTER_COMPARISON(quarter_gt, >)

PG_FUNCTION_INFO_V1(quarter_cmp);
Datum
quarter_cmp(PG_FUNCTION_ARGS)
{
	int32		a = PG_GETARG_QUARTER(0);
	int32		b = PG_GETARG_QUARTER(1);

	PG_RETURN_INT32(a < b ? -1 : (a > b ? 1 : 0));
}

PG_FUNCTION_INFO_V1(quarter_hash);
Datum
quarter_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_QUARTER(0));
}

PG_FUNCTION_INFO_V1(quarter_hash_extended);
Datum
quarter_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_QUARTER(0), PG_GETARG_INT64(1));
}

/* Arithmetic in whole quarters. */
PG_FUNCTION_INFO_V1(quarter_plus_int);
Datum
quarter_plus_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(shifted_quarter(PG_GETARG_QUARTER(0), PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(int_plus_quarter);
Datum
int_plus_quarter(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(shifted_quarter(PG_GETARG_QUARTER(1), PG_GETARG_INT32(0)));
}

PG_FUNCTION_INFO_V1(quarter_minus_int);
Datum
quarter_minus_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(shifted_quarter(PG_GETARG_QUARTER(0), -(int64) PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(quarter_minus_quarter);
Datum
quarter_minus_quarter(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_QUARTER(0) - PG_GETARG_QUARTER(1));
}

/* Calendar: the quarter of a date, and a quarter's first and last day. */
PG_FUNCTION_INFO_V1(quarter_from_date);
Datum
quarter_from_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(quarter_of_day(checked_day(PG_GETARG_DATEADT(0), "date")));
}

PG_FUNCTION_INFO_V1(quarter_start);
Datum
quarter_start(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(quarter_first_day(PG_GETARG_QUARTER(0)));
}

PG_FUNCTION_INFO_V1(quarter_end);
Datum
quarter_end(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(quarter_last_day(PG_GETARG_QUARTER(0)));
}

PG_FUNCTION_INFO_V1(quarter_year_of);
Datum
quarter_year_of(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(quarter_year(PG_GETARG_QUARTER(0)));
}

PG_FUNCTION_INFO_V1(quarter_number_of);
Datum
quarter_number_of(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(quarter_number(PG_GETARG_QUARTER(0)));
}

/* For min() and max(). */
PG_FUNCTION_INFO_V1(quarter_smaller);
Datum
quarter_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(Min(PG_GETARG_QUARTER(0), PG_GETARG_QUARTER(1)));
}

PG_FUNCTION_INFO_V1(quarter_larger);
Datum
quarter_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(Max(PG_GETARG_QUARTER(0), PG_GETARG_QUARTER(1)));
}
