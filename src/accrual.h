/*
 * accrual.h: reading an activity's accrual arguments from a function call,
 * shared by sroi.accrued, sroi.accrual_by_quarter and the aggregates.
 */
#ifndef SROI_ACCRUAL_H
#define SROI_ACCRUAL_H

#include "sroi.h"

#include "accrual_rule.h"

/*
 * The positions of the 11 arguments of sroi.accrued, counted from the first of
 * them: sroi.accrued and sroi.accrual_by_quarter start at argument 0, the
 * transition function of sroi.accrued_sum at 1 (after the state).
 */
typedef enum AccrualArg
{
	ACCRUAL_ARG_UNIT,
	ACCRUAL_ARG_AMOUNT,
	ACCRUAL_ARG_REFERENCE_MONTHS,
	ACCRUAL_ARG_QUANTITY,		/* fte or hours */
	ACCRUAL_ARG_STARTS_ON,
	ACCRUAL_ARG_ENDS_ON,
	ACCRUAL_ARG_AS_OF,
	ACCRUAL_ARG_PLANNED_ENDS_ON,
	ACCRUAL_ARG_MAX_MONTHS,
	ACCRUAL_ARG_TERM_STARTS_ON,
	ACCRUAL_ARG_TERM_ENDS_ON,
	ACCRUAL_NARGS
} AccrualArg;

/* The accrual arguments from argument first on; false if V is NULL. */
bool		read_accrual(FunctionCallInfo fcinfo, int first, Accrual *a, int32 *as_of);

/* V(as_of) in cents, or 22003 above the largest amount sroi accepts. */
int64		accrued_value(const Accrual *a, int32 as_of);

#endif
