/*
 * months.c: sroi.months(starts_on, ends_on), the month count M of domain.md 3.
 */
#include "postgres.h"

#include "sroi.h"

#include "utils/builtins.h"

#include "calendar.h"

/* Decimals shown for a fraction that does not terminate, such as 15/31. */
#define MONTHS_SHOWN_DECIMALS 20

/* The exact fraction of a month count as decimal text, trailing zeros dropped. */
static void
month_span_text(MonthSpan span, char *buf, size_t buflen)
{
	int128	scale = 1;
	int128	units = (int128) span.whole * span.month_days + span.rest_days;
	size_t		len;

	for (int i = 0; i < MONTHS_SHOWN_DECIMALS; i++)
		scale *= 10;
	scaled_to_decimal(div_round_half_away(units * scale, span.month_days),
					  MONTHS_SHOWN_DECIMALS, buf, buflen);
	len = strlen(buf);
	while (buf[len - 1] == '0')
		buf[--len] = '\0';
	if (buf[len - 1] == '.')
		buf[--len] = '\0';
}

PG_FUNCTION_INFO_V1(sroi_months);
Datum
sroi_months(PG_FUNCTION_ARGS)
{
	int32		starts_on = checked_day(PG_GETARG_DATEADT(0), "starts_on");
	int32		ends_on = checked_day(PG_GETARG_DATEADT(1), "ends_on");
	char		text[80];

	check_span(starts_on, ends_on, "starts_on", "ends_on", ERRCODE_INVALID_PARAMETER_VALUE);
	month_span_text(months_between(starts_on, ends_on), text, sizeof(text));
	return DirectFunctionCall3(numeric_in, CStringGetDatum(text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}
