/*
 * accrual.c: sroi.accrued(), V(as_of) of one activity (domain.md 3), rounded
 * to cents.  Validates and scales the arguments, then calls src/core.
 */
#include "postgres.h"

#include "sroi.h"

#include "utils/builtins.h"

#include "funcapi.h"
#include "utils/tuplestore.h"

#include "accrual.h"
#include "quarter_text.h"

#define MAX_REFERENCE_MONTHS 1200
/* At most a million hours, recorded with 4 decimals like fte. */
#define MAX_HOURS ((int128) 1000000 * QUANTITY_SCALE)

static const struct
{
	const char *name;
	AccrualUnit unit;
}			unit_names[] =
{
	{"fte_period", UNIT_FTE_PERIOD},
	{"agreement", UNIT_AGREEMENT},
	{"hour", UNIT_HOUR},
	{"invoice", UNIT_INVOICE},
	{"negotiated", UNIT_NEGOTIATED},
};

static AccrualUnit
parse_unit(text *unit)
{
	const char *name = VARDATA_ANY(unit);
	size_t		length = VARSIZE_ANY_EXHDR(unit);

	for (size_t i = 0; i < lengthof(unit_names); i++)
		if (strlen(unit_names[i].name) == length && memcmp(name, unit_names[i].name, length) == 0)
			return unit_names[i].unit;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unit must be one of fte_period, agreement, hour, invoice, negotiated, got \"%s\"",
					text_to_cstring(unit))));
	return UNIT_INVOICE;		/* not reached */
}

static int32
optional_day(FunctionCallInfo fcinfo, int arg, const char *field)
{
	return PG_ARGISNULL(arg) ? NO_DAY : checked_day(PG_GETARG_DATEADT(arg), field);
}

/* An argument the unit needs: 22004 when it is NULL. */
static void
require_arg(FunctionCallInfo fcinfo, int arg, const char *field, const char *unit)
{
	if (PG_ARGISNULL(arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must be given for unit %s", field, unit)));
}

/* fte in (0, 1] with at most 4 decimals (domain.md 3, 4). */
static int64
checked_fte(FunctionCallInfo fcinfo, int arg)
{
	ScaledNumeric fte;

	require_arg(fcinfo, arg, "fte", "fte_period");
	fte = read_scaled(PG_GETARG_DATUM(arg), 4, "fte");
	/* The range first, so that fte 1.00001 names the rule (0, 1]. */
	if (scaled_not_positive(&fte) || scaled_above(&fte, QUANTITY_SCALE))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fte must be greater than 0 and at most 1, got %s",
						numeric_text(PG_GETARG_NUMERIC(arg)))));
	reject_inexact(&fte, PG_GETARG_DATUM(arg), 4, "fte");
	return (int64) fte.value;
}

static int64
checked_hours(FunctionCallInfo fcinfo, int arg)
{
	ScaledNumeric hours;

	require_arg(fcinfo, arg, "hours", "hour");
	hours = read_scaled(PG_GETARG_DATUM(arg), 4, "hours");
	if (scaled_not_positive(&hours))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("hours must be greater than 0, got %s",
						numeric_text(PG_GETARG_NUMERIC(arg)))));
	reject_above(&hours, MAX_HOURS, PG_GETARG_DATUM(arg), 4, "hours");
	reject_inexact(&hours, PG_GETARG_DATUM(arg), 4, "hours");
	return (int64) hours.value;
}

static int32
checked_months(FunctionCallInfo fcinfo, int arg, const char *field)
{
	int32		months = PG_GETARG_INT32(arg);

	if (months < 1 || months > MAX_REFERENCE_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be from 1 to %d, got %d", field, MAX_REFERENCE_MONTHS, months)));
	return months;
}

static void
read_unit_arguments(FunctionCallInfo fcinfo, int first, Accrual *a)
{
	switch (a->unit)
	{
		case UNIT_FTE_PERIOD:
			require_arg(fcinfo, first + ACCRUAL_ARG_REFERENCE_MONTHS, "reference_months", "fte_period");
			a->reference_months = checked_months(fcinfo, first + ACCRUAL_ARG_REFERENCE_MONTHS,
												 "reference_months");
			a->quantity = checked_fte(fcinfo, first + ACCRUAL_ARG_QUANTITY);
			a->max_months = PG_ARGISNULL(first + ACCRUAL_ARG_MAX_MONTHS) ? 0 :
				checked_months(fcinfo, first + ACCRUAL_ARG_MAX_MONTHS, "max_months");
			break;
		case UNIT_AGREEMENT:
			if (agreement_planned_end(a) == NO_DAY)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("an agreement needs planned_ends_on or ends_on, got neither"),
						 errdetail("Its value accrues over the planned days of the agreement.")));
			check_span(a->starts_on, agreement_planned_end(a), "starts_on", "planned_ends_on",
						   ERRCODE_INVALID_PARAMETER_VALUE);
			break;
		case UNIT_HOUR:
			a->quantity = checked_hours(fcinfo, first + ACCRUAL_ARG_QUANTITY);
			break;
		case UNIT_INVOICE:
		case UNIT_NEGOTIATED:
			break;
	}
}

/*
 * Reads the arguments sroi.accrued, sroi.accrual_by_quarter and the
 * sroi.accrued_sum aggregate share, starting at argument first, in the order
 * of AccrualArg (accrual.h).
 * Returns false when unit, amount, starts_on or as_of is NULL.
 */
bool
read_accrual(FunctionCallInfo fcinfo, int first, Accrual *a, int32 *as_of)
{
	Assert(PG_NARGS() == first + ACCRUAL_NARGS);
	if (PG_ARGISNULL(first + ACCRUAL_ARG_UNIT) || PG_ARGISNULL(first + ACCRUAL_ARG_AMOUNT) ||
		PG_ARGISNULL(first + ACCRUAL_ARG_STARTS_ON) || PG_ARGISNULL(first + ACCRUAL_ARG_AS_OF))
		return false;

	a->unit = parse_unit(PG_GETARG_TEXT_PP(first + ACCRUAL_ARG_UNIT));
	a->amount_cents = euro_to_cents(PG_GETARG_DATUM(first + ACCRUAL_ARG_AMOUNT), "amount");
	a->starts_on = checked_day(PG_GETARG_DATEADT(first + ACCRUAL_ARG_STARTS_ON), "starts_on");
	a->ends_on = optional_day(fcinfo, first + ACCRUAL_ARG_ENDS_ON, "ends_on");
	*as_of = checked_day(PG_GETARG_DATEADT(first + ACCRUAL_ARG_AS_OF), "as_of");
	a->planned_ends_on = optional_day(fcinfo, first + ACCRUAL_ARG_PLANNED_ENDS_ON, "planned_ends_on");
	a->term_starts_on = optional_day(fcinfo, first + ACCRUAL_ARG_TERM_STARTS_ON, "term_starts_on");
	a->term_ends_on = optional_day(fcinfo, first + ACCRUAL_ARG_TERM_ENDS_ON, "term_ends_on");

	if (a->ends_on != NO_DAY)
		check_span(a->starts_on, a->ends_on, "starts_on", "ends_on",
					   ERRCODE_INVALID_PARAMETER_VALUE);
	if (a->term_starts_on != NO_DAY && a->term_ends_on != NO_DAY)
		check_span(a->term_starts_on, a->term_ends_on, "term_starts_on", "term_ends_on",
					   ERRCODE_INVALID_PARAMETER_VALUE);
	read_unit_arguments(fcinfo, first, a);
	return true;
}

/* V(x) in cents, or 22003 when it exceeds the largest amount sroi accepts. */
int64
accrued_value(const Accrual *a, int32 as_of)
{
	int128	value = accrued_cents(a, as_of);

	if (value > MAX_CENTS)
	{
		char		value_text[64];
		char		limit_text[64];

		scaled_to_decimal(value, 2, value_text, sizeof(value_text));
		scaled_to_decimal(MAX_CENTS, 2, limit_text, sizeof(limit_text));
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("accrued value must be at most %s, got %s", limit_text, value_text),
				 errdetail("The largest euro amount sroi accepts is %s.", limit_text)));
	}
	return (int64) value;
}

/*
 * sroi.accrued(unit, amount, reference_months, quantity, starts_on, ends_on,
 *              as_of, planned_ends_on, max_months, term_starts_on, term_ends_on)
 */
PG_FUNCTION_INFO_V1(sroi_accrued);
Datum
sroi_accrued(PG_FUNCTION_ARGS)
{
	Accrual		a = {0};
	int32		as_of;

	if (!read_accrual(fcinfo, 0, &a, &as_of))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(cents_to_numeric(accrued_value(&a, as_of)));
}

/*
 * The rows of sroi.accrual_by_quarter (with_days false) and
 * sroi.accrual_days_by_quarter (with_days true): for every calendar quarter in
 * which the activity counts a day up to the as-of date (counted_span), the quarter
 * and V(min(quarter end, last counted day)) - V(day before the quarter), so that
 * the quarters add up exactly to V(as_of) (domain.md 3); with_days adds the counted
 * days in the quarter and keeps the quarters that earn nothing, without it they are
 * left out.  V grows on counted days only, so no other quarter earns anything.
 */
static Datum
accrual_quarters(FunctionCallInfo fcinfo, bool with_days)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Accrual		a = {0};
	int32		as_of;
	int32		from;
	int32		until;
	int64		before = 0;		/* V of the day before from: nothing yet */

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (!read_accrual(fcinfo, 0, &a, &as_of) || !counted_span(&a, as_of, &from, &until))
		return (Datum) 0;

	for (int32 quarter = quarter_of_day(from); quarter <= quarter_of_day(until); quarter++)
	{
		int32		first = Max(quarter_first_day(quarter), from);
		int32		last = Min(quarter_last_day(quarter), until);
		int64		now = accrued_value(&a, last);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (!with_days && now == before)
			continue;
		values[0] = Int32GetDatum(quarter);
		values[1] = NumericGetDatum(cents_to_numeric(now - before));
		values[2] = Int32GetDatum(last - first + 1);	/* read only with_days */
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		before = now;
	}
	return (Datum) 0;
}

/*
 * sroi.accrual_by_quarter(the arguments of sroi.accrued): the value earned in
 * each calendar quarter up to the as-of date, V(min(quarter end, as_of)) -
 * V(day before quarter start) (domain.md 3), so that the quarters add up
 * exactly to V(as_of).  Quarters that earn nothing are left out.
 */
PG_FUNCTION_INFO_V1(sroi_accrual_by_quarter);
Datum
sroi_accrual_by_quarter(PG_FUNCTION_ARGS)
{
	return accrual_quarters(fcinfo, false);
}

/*
 * sroi.accrual_days_by_quarter(the arguments of sroi.accrued): for every calendar
 * quarter in which the activity counts a day up to the as-of date (counted_span),
 * the value it earned in the quarter, as sroi.accrual_by_quarter gives it (0 when
 * it earns nothing there, e.g. past a max_months cap), and its counted days in the
 * quarter (1 for an hour, invoice or negotiated activity).  The quarters' values add
 * up exactly to V(as_of); the quantities of domain.md 6.4 (persons in a quarter, fte
 * x days) come from the days.
 */
PG_FUNCTION_INFO_V1(sroi_accrual_days_by_quarter);
Datum
sroi_accrual_days_by_quarter(PG_FUNCTION_ARGS)
{
	return accrual_quarters(fcinfo, true);
}
