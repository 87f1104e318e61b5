/*
 * obligation.c: the gross obligation and the PSO discount on its labour
 * component (domain.md 1), in exact numeric arithmetic.
 */
#include "postgres.h"

#include "sroi.h"

#include "utils/builtins.h"

static Numeric
numeric_of(int64 value)
{
	return int64_to_numeric(value);
}

static int
numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

static Numeric
numeric_times(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_mul, NumericGetDatum(a), NumericGetDatum(b)));
}

/* round half away from zero to cents, as numeric's round() does */
static Numeric
round_to_cents(Numeric value)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(value),
											   Int32GetDatum(2)));
}

/* lo <= value <= hi (hi NULL: no upper bound), else 22003 naming the field. */
static Numeric
checked_range(Numeric value, const char *field, int64 lo, int64 hi, bool has_hi)
{
	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s must be a finite number, got %s", field, numeric_text(value))));
	if (numeric_compare(value, numeric_of(lo)) < 0 ||
		(has_hi && numeric_compare(value, numeric_of(hi)) > 0))
	{
		if (has_hi)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s must be from " INT64_FORMAT " to " INT64_FORMAT ", got %s",
							field, lo, hi, numeric_text(value))));
		else
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s must not be negative, got %s", field, numeric_text(value))));
	}
	return value;
}

/* value x pct / 100 rounded to cents; multiplying by 0.01 keeps it exact. */
static Numeric
percentage_of(Numeric value, Numeric pct)
{
	Numeric		hundredth = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum("0.01"),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));

	return round_to_cents(numeric_times(numeric_times(value, pct), hundredth));
}

/*
 * The percentage that applies to a contract (domain.md 1.1, 1.2): a recorded pct
 * applies whatever the value; without one the default applies only strictly above
 * the threshold (guideline 2.3 "boven de EUR 200.000"), else 0.  The one place of the
 * threshold rule: sroi.obligation and sroi.applicable_pct (the turnover basis and the
 * overdue items) both use it.  *value is set to the checked contract value.  NULL
 * arguments but pct give NULL (false).
 */
static bool
applicable_pct(FunctionCallInfo fcinfo, Numeric *value, Numeric *pct)
{
	Numeric		threshold;
	Numeric		default_pct;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return false;
	*value = checked_range(PG_GETARG_NUMERIC(0), "contract_value", 0, 0, false);
	threshold = checked_range(PG_GETARG_NUMERIC(2), "threshold", 0, 0, false);
	/* Checked even when unused, so that a wrong argument never passes silently. */
	default_pct = checked_range(PG_GETARG_NUMERIC(3), "default_pct", 0, 100, true);

	if (!PG_ARGISNULL(1))
		*pct = checked_range(PG_GETARG_NUMERIC(1), "pct", 0, 100, true);
	else if (numeric_compare(*value, threshold) > 0)
		*pct = default_pct;
	else
		*pct = numeric_of(0);
	return true;
}

/*
 * sroi.obligation(contract_value, pct, threshold, default_pct): the gross obligation of
 * domain.md 1.3, round(value x pct / 100, 2) (percentage_of, above), of the percentage
 * that applies (domain.md 1.1, 1.2: applicable_pct, above).
 */
PG_FUNCTION_INFO_V1(sroi_obligation);
Datum
sroi_obligation(PG_FUNCTION_ARGS)
{
	Numeric		value;
	Numeric		pct;

	if (!applicable_pct(fcinfo, &value, &pct))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(percentage_of(value, pct));
}

/* sroi.applicable_pct(contract_value, pct, threshold, default_pct): the percentage. */
PG_FUNCTION_INFO_V1(sroi_applicable_pct);
Datum
sroi_applicable_pct(PG_FUNCTION_ARGS)
{
	Numeric		value;
	Numeric		pct;

	if (!applicable_pct(fcinfo, &value, &pct))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(pct);
}

/*
 * sroi.labour_discount(gross, discount_pct, labour_share): domain.md 1.5,
 * round(gross x labour share x rung discount, 2).
 */
PG_FUNCTION_INFO_V1(sroi_labour_discount);
Datum
sroi_labour_discount(PG_FUNCTION_ARGS)
{
	Numeric		gross = checked_range(PG_GETARG_NUMERIC(0), "gross", 0, 0, false);
	Numeric		pct = checked_range(PG_GETARG_NUMERIC(1), "discount_pct", 0, 100, true);
	Numeric		share = checked_range(PG_GETARG_NUMERIC(2), "labour_share", 0, 1, true);

	PG_RETURN_NUMERIC(percentage_of(numeric_times(gross, share), pct));
}
