/*
 * fuzz_accrual.c: accrued_cents (src/core/accrual_rule.c), V(x) of one activity,
 * for every Accrual the SQL wrapper src/accrual.c (read_accrual) lets through:
 *  - amount 0 .. 99,999,999,999,999 cents (MAX_CENTS), all dates in years 1..9999;
 *  - ends_on >= starts_on or absent; term bounds ordered when both are given;
 *  - fte_period: reference_months 1..1200, max_months 0 (none) or 1..1200,
 *    fte 1..10000 (0.0001 .. 1 at scale 4);
 *  - agreement: planned_ends_on >= starts_on, or absent with ends_on given;
 *  - hour: hours 1 .. 10,000,000,000 (0.0001 .. 1,000,000 at scale 4);
 *  - fields a unit does not read stay 0 as in `Accrual a = {0}`, except
 *    planned_ends_on, which the wrapper reads (unchecked) for every unit;
 *  - x from the day before 0001-01-01 (sroi.accrual_by_quarter asks for the day
 *    before the first quarter) to 9999-12-31.
 *
 * Checks: V(x) >= 0; V(x) <= V(x + 1) and V(x) <= V(y) for y > x; V(x) = 0
 * before the start and before the term; V is constant from the last counted
 * day (end of the activity or term) on; fte_period: with the calendar months
 * spanned C of the counted days, amount x fte x max(C - 2, 0) / ref - 1 cent
 * <= V <= amount x fte x C / ref + 1 cent, and with a cap
 * V <= amount x fte x max_months / ref + 1 cent; agreement: V <= amount, and
 * V = amount from the planned end on when nothing cuts it short; hour, invoice,
 * negotiated: V(x) is the whole value from the start date on if the term covers
 * that date, else 0; counted_span: V(x) = 0 without counted days up to x, else V is
 * 0 the day before the first and V(x) already on the last.
 */
#include <stdbool.h>
#include <stdint.h>

#include "accrual_rule.h"
#include "calendar.h"
#include "fuzz_input.h"

#define MAX_CENTS 99999999999999LL
#define MAX_MONTHS 1200
#define MAX_HOURS (1000000LL * QUANTITY_SCALE)

static int32_t first_day,
			last_day;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	first_day = ymd_to_day(SROI_MIN_YEAR, 1, 1);
	last_day = ymd_to_day(SROI_MAX_YEAR, 12, 31);
	return 0;
}

/* A day in [lo, hi]: close to lo, a few years on, or anywhere. */
static int32_t
day_from(FuzzInput *in, int32_t lo, int32_t hi)
{
	return fuzz_day_after(in, lo, hi, 40, 400, 4000);
}

/* A day in [first_day, last_day] near base (before or after it), or anywhere. */
static int32_t
day_near(FuzzInput *in, int32_t base)
{
	int32_t		lo = base - 4000 > first_day ? base - 4000 : first_day;

	if (fuzz_bytes(in, 1) % 4 == 3)
		return (int32_t) fuzz_edgy(in, first_day, last_day);
	return day_from(in, lo, last_day);
}

/* Either absent (NO_DAY) or a day from day_near. */
static int32_t
optional_day_near(FuzzInput *in, int32_t base)
{
	if (fuzz_bytes(in, 1) % 2 == 0)
		return NO_DAY;
	return day_near(in, base);
}

static int32_t
month_index(int32_t day)
{
	int			y,
				m,
				d;

	day_to_ymd(day, &y, &m, &d);
	return y * 12 + (m - 1);
}

static int128_t
V(const Accrual *a, int32_t x)
{
	int128_t	v = accrued_cents(a, x);

	CHECK(v >= 0);
	return v;
}

static void
check_fte_period(const Accrual *a, int32_t from, int32_t until, int128_t v)
{
	int128_t	months = month_index(until) - month_index(from) + 1;
	int128_t	per_month = (int128_t) a->amount_cents * a->quantity;	/* x ref x 10^4 */
	int128_t	denominator = (int128_t) a->reference_months * QUANTITY_SCALE;
	int128_t	at_least = months >= 2 ? months - 2 : 0;

	/* V <= amount x fte x C / ref + 1 and >= amount x fte x max(C - 2, 0) / ref - 1. */
	CHECK((v - 1) * denominator <= per_month * months);
	if (a->max_months == 0 || at_least <= a->max_months)
		CHECK((v + 1) * denominator >= per_month * at_least);
	if (a->max_months > 0)
	{
		CHECK((v - 1) * denominator <= per_month * a->max_months);
		if (at_least >= a->max_months)
			CHECK((v + 1) * denominator >= per_month * a->max_months);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	Accrual		a = {0};
	int32_t		x,
				y,
				from,
				last,
				until;
	int128_t	vx,
				vy,
				whole_value = 0;

	a.unit = (AccrualUnit) fuzz_range(&in, 0, 4);
	a.amount_cents = fuzz_edgy(&in, 0, MAX_CENTS);
	a.starts_on = (int32_t) fuzz_edgy(&in, first_day, last_day);
	a.ends_on = fuzz_bytes(&in, 1) % 2 == 0 ? NO_DAY : day_from(&in, a.starts_on, last_day);
	a.planned_ends_on = optional_day_near(&in, a.starts_on);
	a.term_starts_on = optional_day_near(&in, a.starts_on);
	if (a.term_starts_on != NO_DAY && fuzz_bytes(&in, 1) % 2 == 1)
		a.term_ends_on = day_from(&in, a.term_starts_on, last_day);
	else
		a.term_ends_on = optional_day_near(&in, a.starts_on);
	if (a.term_starts_on != NO_DAY && a.term_ends_on != NO_DAY && a.term_ends_on < a.term_starts_on)
	{
		int32_t		swap = a.term_starts_on;

		a.term_starts_on = a.term_ends_on;
		a.term_ends_on = swap;
	}

	switch (a.unit)
	{
		case UNIT_FTE_PERIOD:
			a.reference_months = (int32_t) fuzz_edgy(&in, 1, MAX_MONTHS);
			a.max_months = (int32_t) fuzz_edgy(&in, 0, MAX_MONTHS);
			a.quantity = fuzz_edgy(&in, 1, QUANTITY_SCALE);
			break;
		case UNIT_AGREEMENT:
			/* The wrapper rejects a planned end before the start, or none at all. */
			if (a.planned_ends_on != NO_DAY && a.planned_ends_on < a.starts_on)
				a.planned_ends_on = a.starts_on + (a.starts_on - a.planned_ends_on) %
					(last_day - a.starts_on + 1);
			if (agreement_planned_end(&a) == NO_DAY)
				a.planned_ends_on = day_from(&in, a.starts_on, last_day);
			CHECK(agreement_planned_end(&a) >= a.starts_on);
			break;
		case UNIT_HOUR:
			a.quantity = fuzz_edgy(&in, 1, MAX_HOURS);
			/* amount x hours, rounded half up (both are positive) */
			whole_value = ((int128_t) a.amount_cents * a.quantity + QUANTITY_SCALE / 2) / QUANTITY_SCALE;
			break;
		case UNIT_INVOICE:
		case UNIT_NEGOTIATED:
			whole_value = a.amount_cents;
			break;
	}

	if (fuzz_bytes(&in, 1) % 2 == 0)
		x = (int32_t) fuzz_edgy(&in, first_day - 1, last_day);
	else
		x = day_near(&in, a.starts_on);
	y = day_from(&in, x, last_day);

	vx = V(&a, x);
	vy = V(&a, y);
	CHECK(vx <= vy);
	if (x < last_day)
		CHECK(vx <= V(&a, x + 1));
	if (x < a.starts_on || (a.term_starts_on != NO_DAY && x < a.term_starts_on))
		CHECK(vx == 0);
	CHECK(V(&a, first_day - 1) == 0);

	/* Nothing more is earned after the end of the activity or of the term. */
	last = a.ends_on;
	if (a.term_ends_on != NO_DAY && (last == NO_DAY || a.term_ends_on < last))
		last = a.term_ends_on;
	if (last != NO_DAY)
	{
		int128_t	at_last = V(&a, last);

		if (x >= last)
			CHECK(vx == at_last);
		CHECK(V(&a, last_day) == at_last);
	}

	from = a.term_starts_on != NO_DAY && a.term_starts_on > a.starts_on ? a.term_starts_on : a.starts_on;
	until = last != NO_DAY && last < x ? last : x;
	switch (a.unit)
	{
		case UNIT_FTE_PERIOD:
			if (until >= from)
				check_fte_period(&a, from, until, vx);
			else
				CHECK(vx == 0);
			break;
		case UNIT_AGREEMENT:
			CHECK(vx <= a.amount_cents && vy <= a.amount_cents);
			if (a.term_starts_on == NO_DAY && a.term_ends_on == NO_DAY &&
				(a.ends_on == NO_DAY || a.ends_on >= agreement_planned_end(&a)) &&
				x >= agreement_planned_end(&a))
				CHECK(vx == a.amount_cents);
			break;
		case UNIT_HOUR:
		case UNIT_INVOICE:
		case UNIT_NEGOTIATED:
			/* Earned whole on the start date, if the term (if any) covers that date. */
			if ((a.term_starts_on == NO_DAY || a.term_starts_on <= a.starts_on) &&
				(a.term_ends_on == NO_DAY || a.term_ends_on >= a.starts_on))
			{
				CHECK(vx == (x >= a.starts_on ? whole_value : 0));
				CHECK(vy == (y >= a.starts_on ? whole_value : 0));
			}
			else
				CHECK(vx == 0 && vy == 0);
			break;
	}

	/*
	 * counted_span: the counted days up to x, which sroi.accrual_days_by_quarter
	 * reports per quarter.  V is 0 before the first and without any, and no longer
	 * grows after the last.
	 */
	{
		int32_t		span_from,
					span_until;

		if (counted_span(&a, x, &span_from, &span_until))
		{
			CHECK(span_from <= span_until && span_until <= x);
			CHECK(span_from >= a.starts_on);
			CHECK(V(&a, span_until) == vx);
			CHECK(span_from == first_day || V(&a, span_from - 1) == 0);
		}
		else
			CHECK(vx == 0);
	}
	return 0;
}
