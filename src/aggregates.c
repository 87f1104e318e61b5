/*
 * aggregates.c: sroi.accrued_sum(...), the exact sum of V(as_of) over many
 * activities.  The state is a bytea of 24 bytes: the 128-bit sum of cents (high and
 * low 64 bits) and the number of rows that had a value, each big-endian.  A concrete
 * state type (not "internal") is what lets Citus run the aggregate on its workers and
 * combine their states on the coordinator (worker_partial_agg / coord_combine_agg send
 * the state as text); parallel query combines the same bytes.  In an aggregate the
 * transition value lives in the aggregate's memory and is updated in place: no copy
 * per row.  Called directly, each function works on a copy.
 */
#include "postgres.h"

#include "sroi.h"

#include "port/pg_bswap.h"
#include "utils/builtins.h"

#include "accrual.h"

typedef struct AccruedSum
{
	int128		cents;
	int64		count;			/* rows that had a value */
} AccruedSum;

#define ACCRUED_SUM_BYTES (3 * sizeof(int64))

/* The transition function's arguments: the state, then those of sroi.accrued. */
#define STEP_STATE_ARG 0
#define STEP_FIRST_ACCRUAL_ARG 1

static void
decode(const bytea *state, AccruedSum *sum)
{
	const char *p = VARDATA_ANY(state);
	uint64		word[3];

	if (VARSIZE_ANY_EXHDR(state) != ACCRUED_SUM_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("malformed sroi.accrued_sum state: %d bytes, expected %d",
						(int) VARSIZE_ANY_EXHDR(state), (int) ACCRUED_SUM_BYTES),
				 errdetail("The state is the high and low 64 bits of the sum of cents and the count of rows, big-endian.")));
	memcpy(word, p, sizeof(word));
	sum->cents = ((int128) (int64) pg_ntoh64(word[0]) << 64) | (int128) pg_ntoh64(word[1]);
	sum->count = (int64) pg_ntoh64(word[2]);
	if (sum->count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("malformed sroi.accrued_sum state: count of rows %lld is negative",
						(long long) sum->count)));
}

static void
encode(const AccruedSum *sum, bytea *state)
{
	uint64		word[3];

	word[0] = pg_hton64((uint64) (int64) (sum->cents >> 64));
	word[1] = pg_hton64((uint64) sum->cents);
	word[2] = pg_hton64((uint64) sum->count);
	memcpy(VARDATA(state), word, sizeof(word));
}

/* A zero state, in the aggregate's memory inside an aggregate. */
static bytea *
new_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	AccruedSum	zero = {0};
	bytea	   *state;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = CurrentMemoryContext;
	state = MemoryContextAlloc(aggcontext, VARHDRSZ + ACCRUED_SUM_BYTES);
	SET_VARSIZE(state, VARHDRSZ + ACCRUED_SUM_BYTES);
	encode(&zero, state);
	return state;
}

/*
 * The state argument argno to update: the transition value itself inside an aggregate
 * (4-byte header, in the aggregate's memory; a detoasted copy when it came packed), a
 * copy when called directly, a new zero state for NULL.
 */
static bytea *
writable_state(FunctionCallInfo fcinfo, int argno)
{
	MemoryContext aggcontext;
	bool		in_aggregate = AggCheckCallContext(fcinfo, &aggcontext) != 0;
	bytea	   *state;

	if (PG_ARGISNULL(argno))
		return new_state(fcinfo);
	state = in_aggregate ? PG_GETARG_BYTEA_P(argno) : PG_GETARG_BYTEA_P_COPY(argno);
	if (VARSIZE(state) != VARHDRSZ + ACCRUED_SUM_BYTES)
	{
		AccruedSum	check;

		decode(state, &check);	/* raises its error */
	}
	return state;
}

PG_FUNCTION_INFO_V1(accrued_sum_step);
Datum
accrued_sum_step(PG_FUNCTION_ARGS)
{
	bytea	   *state = writable_state(fcinfo, STEP_STATE_ARG);
	Accrual		a = {0};
	int32		as_of;

	if (read_accrual(fcinfo, STEP_FIRST_ACCRUAL_ARG, &a, &as_of))
	{
		AccruedSum	sum;

		decode(state, &sum);
		sum.cents += accrued_value(&a, as_of);
		sum.count++;
		encode(&sum, state);
	}
	PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(accrued_sum_combine);
Datum
accrued_sum_combine(PG_FUNCTION_ARGS)
{
	bytea	   *state;
	AccruedSum	sum;
	AccruedSum	other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		decode(PG_GETARG_BYTEA_PP(0), &sum);	/* validated */
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	decode(PG_GETARG_BYTEA_PP(1), &other);
	state = writable_state(fcinfo, 0);
	decode(state, &sum);
	sum.cents += other.cents;
	sum.count += other.count;
	encode(&sum, state);
	PG_RETURN_BYTEA_P(state);
}

/* NULL for no rows, as sum() does; 22003 beyond numeric(38,2) cents. */
PG_FUNCTION_INFO_V1(accrued_sum_final);
Datum
accrued_sum_final(PG_FUNCTION_ARGS)
{
	AccruedSum	sum;
	char		text[64];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	decode(PG_GETARG_BYTEA_PP(0), &sum);
	if (sum.count == 0)
		PG_RETURN_NULL();
	if (sum.cents >= PG_INT64_MIN && sum.cents <= PG_INT64_MAX)
		PG_RETURN_NUMERIC(cents_to_numeric((int64) sum.cents));
	scaled_to_decimal(sum.cents, 2, text, sizeof(text));
	return DirectFunctionCall3(numeric_in, CStringGetDatum(text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * sroi 0.1's accrued_sum (upgrade/sroi--0.1.sql, frozen) keeps the same state behind
 * "internal" and names these serial functions: the state is its own serial form.
 */
PG_FUNCTION_INFO_V1(accrued_sum_serialize);
Datum
accrued_sum_serialize(PG_FUNCTION_ARGS)
{
	bytea	   *state = (bytea *) PG_GETARG_POINTER(0);
	AccruedSum	sum;

	decode(state, &sum);
	PG_RETURN_BYTEA_P(DatumGetByteaPCopy(PointerGetDatum(state)));
}

PG_FUNCTION_INFO_V1(accrued_sum_deserialize);
Datum
accrued_sum_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	AccruedSum	sum;
	bytea	   *state;

	decode(bytes, &sum);
	state = new_state(fcinfo);
	encode(&sum, state);
	PG_RETURN_POINTER(state);
}
