/*
 * accrual.h: reading an activity's accrual arguments from a function call,
 * shared by sroi.accrued, sroi.accrual_by_quarter and the aggregates.
 */
#ifndef SROI_ACCRUAL_H
#define SROI_ACCRUAL_H

#include "sroi.h"

#include "accrual_rule.h"

/* The 11 arguments of sroi.accrued from argument first on; false if V is NULL. */
bool		read_accrual(FunctionCallInfo fcinfo, int first, Accrual *a, int32 *as_of);

/* V(as_of) in cents, or 22003 above the largest amount sroi accepts. */
int64		accrued_value(const Accrual *a, int32 as_of);

#endif
