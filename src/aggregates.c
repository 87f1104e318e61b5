/*
 * aggregates.c: sroi.accrued_sum(...), the exact sum of V(as_of) over many
 * activities.  The state is a 128-bit sum of cents in memory of the aggregate
 * context ("internal"), with combine, serialize and deserialize functions so
 * that parallel query splits the sum over workers.
 */
#include "postgres.h"

#include "sroi.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "accrual.h"

typedef struct AccruedSum
{
	int128		cents;			/* c.h's int128: aligned for palloc */
	int64		count;			/* rows that had a value */
} AccruedSum;

#define ACCRUED_SUM_BYTES (2 * sizeof(int64) + sizeof(int64))

/* The transition function's arguments: the state, then those of sroi.accrued. */
#define STEP_STATE_ARG 0
#define STEP_FIRST_ACCRUAL_ARG 1

static AccruedSum *
new_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sroi.accrued_sum state function called in a non-aggregate context");
	return (AccruedSum *) MemoryContextAllocZero(aggcontext, sizeof(AccruedSum));
}

PG_FUNCTION_INFO_V1(accrued_sum_step);
Datum
accrued_sum_step(PG_FUNCTION_ARGS)
{
	AccruedSum *state = PG_ARGISNULL(STEP_STATE_ARG) ? new_state(fcinfo) :
		(AccruedSum *) PG_GETARG_POINTER(STEP_STATE_ARG);
	Accrual		a = {0};
	int32		as_of;

	if (read_accrual(fcinfo, STEP_FIRST_ACCRUAL_ARG, &a, &as_of))
	{
		state->cents += accrued_value(&a, as_of);
		state->count++;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(accrued_sum_combine);
Datum
accrued_sum_combine(PG_FUNCTION_ARGS)
{
	AccruedSum *state = PG_ARGISNULL(0) ? NULL : (AccruedSum *) PG_GETARG_POINTER(0);
	AccruedSum *other = PG_ARGISNULL(1) ? NULL : (AccruedSum *) PG_GETARG_POINTER(1);

	if (other == NULL)
		PG_RETURN_POINTER(state);
	if (state == NULL)
		state = new_state(fcinfo);
	state->cents += other->cents;
	state->count += other->count;
	PG_RETURN_POINTER(state);
}

/* NULL for no rows, as sum() does; 22003 beyond numeric(38,2) cents. */
PG_FUNCTION_INFO_V1(accrued_sum_final);
Datum
accrued_sum_final(PG_FUNCTION_ARGS)
{
	AccruedSum *state = PG_ARGISNULL(0) ? NULL : (AccruedSum *) PG_GETARG_POINTER(0);
	char		text[64];

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	if (state->cents >= PG_INT64_MIN && state->cents <= PG_INT64_MAX)
		PG_RETURN_NUMERIC(cents_to_numeric((int64) state->cents));
	scaled_to_decimal(state->cents, 2, text, sizeof(text));
	return DirectFunctionCall3(numeric_in, CStringGetDatum(text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* Binary state: the high and low 64 bits of the sum, then the count. */
PG_FUNCTION_INFO_V1(accrued_sum_serialize);
Datum
accrued_sum_serialize(PG_FUNCTION_ARGS)
{
	AccruedSum *state = (AccruedSum *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, (int64) (state->cents >> 64));
	pq_sendint64(&buf, (int64) (uint64) state->cents);
	pq_sendint64(&buf, state->count);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(accrued_sum_deserialize);
Datum
accrued_sum_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	AccruedSum *state;
	StringInfoData buf;
	int64		high;
	uint64		low;

	if (VARSIZE_ANY_EXHDR(bytes) != ACCRUED_SUM_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("accrued_sum state must be %d bytes, got %d",
						(int) ACCRUED_SUM_BYTES, (int) VARSIZE_ANY_EXHDR(bytes))));
	state = new_state(fcinfo);
	buf.data = VARDATA_ANY(bytes);
	buf.len = buf.maxlen = VARSIZE_ANY_EXHDR(bytes);
	buf.cursor = 0;
	high = pq_getmsgint64(&buf);
	low = (uint64) pq_getmsgint64(&buf);
	state->cents = ((int128) high << 64) | (int128) low;
	state->count = pq_getmsgint64(&buf);
	PG_RETURN_POINTER(state);
}
