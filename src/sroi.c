/*
 * sroi.c: the module, and the conversions shared by its SQL-callable functions.
 */
#include "postgres.h"

#include "sroi.h"

#include "utils/builtins.h"
#include "utils/datetime.h"

#include "calendar.h"

PG_MODULE_MAGIC;

char *
numeric_text(Numeric value)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value)));
}

/* Reads a numeric argument without converting it to text; 22P02 if not finite. */
ScaledNumeric
read_scaled(Datum value, int scale, const char *field)
{
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(value);
	ScaledNumeric n = numeric_bytes_read((const unsigned char *) VARDATA_ANY(packed),
										 VARSIZE_ANY_EXHDR(packed), scale);

	if (n.status == DECIMAL_SYNTAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s must be a finite number, got %s", field,
						numeric_text(DatumGetNumeric(value)))));
	if ((Pointer) packed != DatumGetPointer(value))
		pfree(packed);
	return n;
}

/* 22003, as the triggers' check_number (src/sql/02_checks.sql) for a row. */
void
reject_inexact(const ScaledNumeric *n, Datum value, int scale, const char *field)
{
	if (n->inexact)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must have at most %d decimals, got %s", field, scale,
						numeric_text(DatumGetNumeric(value)))));
}

void
reject_above(const ScaledNumeric *n, int128 limit, Datum value, int scale, const char *field)
{
	char		limit_text[64];

	if (!scaled_above(n, limit))
		return;
	scaled_to_decimal(limit, scale, limit_text, sizeof(limit_text));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s must be at most %s in magnitude, got %s", field, limit_text,
					numeric_text(DatumGetNumeric(value)))));
}

int64
euro_to_cents(Datum value, const char *field)
{
	ScaledNumeric cents = read_scaled(value, 2, field);

	if (scaled_negative(&cents))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be negative, got %s", field,
						numeric_text(DatumGetNumeric(value)))));
	reject_above(&cents, MAX_CENTS, value, 2, field);
	reject_inexact(&cents, value, 2, field);
	return (int64) cents.value;
}

Numeric
cents_to_numeric(int64 cents)
{
	return int64_div_fast_to_numeric(cents, 2);
}

int32
checked_day(DateADT date, const char *field)
{
	if (DATE_NOT_FINITE(date) || !day_in_range(date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a date in the years %d to %d, got %s", field,
						SROI_MIN_YEAR, SROI_MAX_YEAR,
						date_text(date))));
	return date;
}

char *
date_text(DateADT date)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date)));
}

void
check_span(int32 starts_on, int32 ends_on, const char *start_field, const char *end_field,
		   int sqlerrcode)
{
	if (ends_on < starts_on)
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg("%s must not be before %s, got %s %s and %s %s",
						end_field, start_field, start_field, date_text(starts_on),
						end_field, date_text(ends_on))));
}

/*
 * sroi.check_day(field, value): the triggers' check of a date (src/sql/02_checks.sql)
 * is checked_day, so that its rule and message are written once.
 */
PG_FUNCTION_INFO_V1(sroi_check_day);
Datum
sroi_check_day(PG_FUNCTION_ARGS)
{
	checked_day(PG_GETARG_DATEADT(1), text_to_cstring(PG_GETARG_TEXT_PP(0)));
	PG_RETURN_VOID();
}

/*
 * sroi.check_dates(later_field, later, earlier_field, earlier): both dates as
 * check_day, and later not before earlier (23514: a row's dates); a NULL date is not
 * checked (a column that may be empty).
 */
PG_FUNCTION_INFO_V1(sroi_check_dates);
Datum
sroi_check_dates(PG_FUNCTION_ARGS)
{
	char	   *later_field;
	char	   *earlier_field;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("check_dates needs the names of both fields")));
	later_field = text_to_cstring(PG_GETARG_TEXT_PP(0));
	earlier_field = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (!PG_ARGISNULL(3))
		checked_day(PG_GETARG_DATEADT(3), earlier_field);
	if (!PG_ARGISNULL(1))
		checked_day(PG_GETARG_DATEADT(1), later_field);
	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(3))
		check_span(PG_GETARG_DATEADT(3), PG_GETARG_DATEADT(1), earlier_field, later_field,
				   ERRCODE_CHECK_VIOLATION);
	PG_RETURN_VOID();
}

/* sroi.max_amount(): MAX_CENTS as euros, the bound of the triggers' check_amount too. */
PG_FUNCTION_INFO_V1(sroi_max_amount);
Datum
sroi_max_amount(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(cents_to_numeric((int64) MAX_CENTS));
}
