/*
 * ratio.c: sroi.div_round(numerator, denominator, decimals), an exact ratio
 * rounded half away from zero, for the monitoring figures of domain.md 5
 * (expected to date, projection, percentage realised, category shares).
 */
#include "postgres.h"

#include "sroi.h"

#include "utils/builtins.h"

#define RATIO_SCALE 4
#define MAX_RATIO_DECIMALS 10
/* Operands up to this (x 10^4) keep operand x 10^10 within int128. */
#define RATIO_OPERAND_LIMIT ((int128) 1000000000000000000LL * 100000000LL)

/* Slow path for operands with more than 4 decimals or beyond the limit. */
static Datum
numeric_div_round(Datum numerator, Datum denominator, int decimals)
{
	Datum		quotient = DirectFunctionCall2(numeric_div, numerator, denominator);

	return DirectFunctionCall2(numeric_round, quotient, Int32GetDatum(decimals));
}

PG_FUNCTION_INFO_V1(sroi_div_round);
Datum
sroi_div_round(PG_FUNCTION_ARGS)
{
	int32		decimals = PG_GETARG_INT32(2);
	ScaledNumeric numerator = read_scaled(PG_GETARG_DATUM(0), RATIO_SCALE, "numerator");
	ScaledNumeric denominator = read_scaled(PG_GETARG_DATUM(1), RATIO_SCALE, "denominator");
	int128	result;
	char		text[64];

	if (decimals < 0 || decimals > MAX_RATIO_DECIMALS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("decimals must be from 0 to %d, got %d", MAX_RATIO_DECIMALS, decimals)));
	if (scaled_not_positive(&denominator))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("denominator must be greater than 0, got %s",
						numeric_text(PG_GETARG_NUMERIC(1)))));
	if (numerator.status != DECIMAL_OK || denominator.status != DECIMAL_OK ||
		scaled_above(&numerator, RATIO_OPERAND_LIMIT) || numerator.value < -RATIO_OPERAND_LIMIT)
		return numeric_div_round(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), decimals);

	for (int i = 0; i < decimals; i++)
		numerator.value *= 10;
	result = div_round_half_away(numerator.value, denominator.value);
	if (result >= PG_INT64_MIN && result <= PG_INT64_MAX)
		PG_RETURN_NUMERIC(int64_div_fast_to_numeric((int64) result, decimals));
	scaled_to_decimal(result, decimals, text, sizeof(text));
	return DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(-1));
}
