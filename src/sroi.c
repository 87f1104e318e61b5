/*
 * sroi.c: the module, and the conversions shared by its SQL-callable functions.
 */
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

int128_t
numeric_to_scaled(Numeric value, int scale, int128_t limit, const char *field)
{
	char	   *text = numeric_text(value);
	int128_t	result = 0;
	char		limit_text[64];

	switch (decimal_to_scaled(text, scale, limit, &result))
	{
		case DECIMAL_OK:
			break;
		case DECIMAL_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("%s must be a finite number, got %s", field, text)));
			break;
		case DECIMAL_TOO_PRECISE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must have at most %d decimals, got %s", field, scale, text)));
			break;
		case DECIMAL_OVERFLOW:
			scaled_to_decimal(limit, scale, limit_text, sizeof(limit_text));
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s must be at most %s in magnitude, got %s", field, limit_text, text)));
			break;
	}
	pfree(text);
	return result;
}

int64
euro_to_cents(Numeric value, const char *field)
{
	int128_t	cents;

	/* The sign first, so that -1e15 is reported as negative, not as too large. */
	if (numeric_is_nan(value) || numeric_is_inf(value))
		cents = numeric_to_scaled(value, 2, MAX_CENTS, field);	/* not finite */
	else if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(value),
											   NumericGetDatum(int64_to_numeric(0)))) < 0)
		cents = -1;
	else
		cents = numeric_to_scaled(value, 2, MAX_CENTS, field);

	if (cents < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be negative, got %s", field, numeric_text(value))));
	return (int64) cents;
}

Numeric
cents_to_numeric(int64 cents)
{
	char		text[64];

	scaled_to_decimal(cents, 2, text, sizeof(text));
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
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
check_span(int32 starts_on, int32 ends_on, const char *start_field, const char *end_field)
{
	if (ends_on < starts_on)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be before %s, got %s %s and %s %s",
						end_field, start_field, start_field, date_text(starts_on),
						end_field, date_text(ends_on))));
}
