/*
 * accrual_rule.h: V(x), the value one activity has earned up to and including
 * day x (domain.md 3), in exact integer arithmetic, rounded to cents once.
 *
 * Pure C: the inputs are already validated and scaled by the caller.
 */
#ifndef SROI_ACCRUAL_RULE_H
#define SROI_ACCRUAL_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "decimal.h"

/* Scale of fte and hours: fte is recorded with 4 decimals (domain.md 3). */
#define QUANTITY_SCALE 10000

typedef enum AccrualUnit
{
	UNIT_FTE_PERIOD,			/* amount x fte x M / reference months */
	UNIT_AGREEMENT,				/* amount x days done / days planned */
	UNIT_HOUR,					/* amount x hours, on the start date */
	UNIT_INVOICE,				/* the recorded value, on the start date */
	UNIT_NEGOTIATED				/* the agreed value, on the start date */
} AccrualUnit;

#define NO_DAY INT32_MIN		/* an absent date: ongoing, no planned end, ... */

typedef struct Accrual
{
	AccrualUnit unit;
	int64_t		amount_cents;	/* block amount, or the recorded euro value */
	int32_t		reference_months;	/* fte_period only, >= 1 */
	int32_t		max_months;		/* fte_period cap; 0 means none */
	int64_t		quantity;		/* fte or hours x QUANTITY_SCALE */
	int32_t		starts_on;
	int32_t		ends_on;		/* NO_DAY: ongoing */
	int32_t		planned_ends_on;	/* agreement; NO_DAY: the recorded end */
	int32_t		term_starts_on; /* days outside the term earn nothing; NO_DAY: */
	int32_t		term_ends_on;	/* no bound on that side */
} Accrual;

/*
 * V(as_of) in cents.  An agreement needs planned_ends_on or ends_on.  The result
 * is exact: it may exceed int64 (e.g. the largest amount x 1,000,000 hours), so
 * the caller checks it against its own limit.
 */
int128_t	accrued_cents(const Accrual *activity, int32_t as_of);

/*
 * The days on which an activity counts up to as_of (domain.md 3, 7.4): from its
 * start, or the term's first day if later, to as_of, its end or the term's last day,
 * whichever comes first; an hour, invoice or negotiated activity counts its start
 * date only, and only inside the term.  Sets *from and *until and returns true, or
 * returns false when it counts no day up to as_of.  V grows on these days only, so a
 * quarter without one earns nothing.
 */
bool		counted_span(const Accrual *activity, int32_t as_of, int32_t *from, int32_t *until);

/* The planned end an agreement is measured against, or NO_DAY if it has none. */
int32_t		agreement_planned_end(const Accrual *activity);

#endif
