/*
 * accrual_rule.c: V(x) of domain.md 3 for every unit.
 */
#include "accrual_rule.h"

#include "calendar.h"

static int32_t
min_day(int32_t a, int32_t b)
{
	return (b != NO_DAY && b < a) ? b : a;
}

static int32_t
max_day(int32_t a, int32_t b)
{
	return (b != NO_DAY && b > a) ? b : a;
}

/* The last day counted by x: x itself, or the end of the activity or term. */
static int32_t
last_counted_day(const Accrual *a, int32_t as_of)
{
	return min_day(min_day(as_of, a->ends_on), a->term_ends_on);
}

int32_t
agreement_planned_end(const Accrual *a)
{
	return a->planned_ends_on != NO_DAY ? a->planned_ends_on : a->ends_on;
}

/* amount x fte x M(from, until) / reference months, M capped at max_months. */
static int128_t
fte_period_cents(const Accrual *a, int32_t from, int32_t until)
{
	MonthSpan	m = months_between(from, until);
	int128_t	month_units = (int128_t) m.whole * m.month_days + m.rest_days;
	int128_t	per_month = m.month_days;

	if (a->max_months > 0 && month_units > (int128_t) a->max_months * per_month)
	{
		month_units = a->max_months;
		per_month = 1;
	}
	return div_round_half_away(
		(int128_t) a->amount_cents * a->quantity * month_units,
		per_month * a->reference_months * QUANTITY_SCALE);
}

/*
 * amount x days(from, until) / days(start, planned end), at most the amount.
 * Only days inside the term count, but the planned days stay the whole agreement.
 */
static int64_t
agreement_cents(const Accrual *a, int32_t from, int32_t until)
{
	int64_t		done = (int64_t) until - from + 1;
	int64_t		planned = (int64_t) agreement_planned_end(a) - a->starts_on + 1;

	if (done >= planned)
		return a->amount_cents;
	return (int64_t) div_round_half_away((int128_t) a->amount_cents * done, planned);
}

/* Hours, invoices and negotiated values are earned whole on the start date. */
static int128_t
one_off_cents(const Accrual *a)
{
	if (a->unit == UNIT_HOUR)
		return div_round_half_away((int128_t) a->amount_cents * a->quantity,
								   QUANTITY_SCALE);
	return a->amount_cents;
}

static bool
is_one_off(AccrualUnit unit)
{
	return unit == UNIT_HOUR || unit == UNIT_INVOICE || unit == UNIT_NEGOTIATED;
}

bool
counted_span(const Accrual *a, int32_t as_of, int32_t *from, int32_t *until)
{
	*from = max_day(a->starts_on, a->term_starts_on);
	*until = last_counted_day(a, as_of);
	if (*until < *from)
		return false;
	if (is_one_off(a->unit))
	{
		/* Earned on the start date, and only if that date is in the term. */
		if (*from != a->starts_on)
			return false;
		*until = *from;
	}
	return true;
}

int128_t
accrued_cents(const Accrual *a, int32_t as_of)
{
	int32_t		from;
	int32_t		until;

	if (!counted_span(a, as_of, &from, &until))
		return 0;

	switch (a->unit)
	{
		case UNIT_FTE_PERIOD:
			return fte_period_cents(a, from, until);
		case UNIT_AGREEMENT:
			return agreement_cents(a, from, until);
		case UNIT_HOUR:
		case UNIT_INVOICE:
		case UNIT_NEGOTIATED:
			return one_off_cents(a);
	}
	return 0;
}
