/*
 * fuzz_calendar.c: the day numbers and month arithmetic of src/core/calendar.c,
 * on which V(x) and sroi.months rest, for any dates sroi accepts (years 1..9999).
 *
 * Checks, against an independent Gregorian leap-year rule:
 *  - day_to_ymd / ymd_to_day round trip for any day and any valid date; the
 *    next day is the next calendar date; days_in_month is right and equals the
 *    distance between two first days of the month; day_in_range is exactly the
 *    years 1..9999 (2000-01-01 is day 0, as PostgreSQL's DateADT);
 *  - add_months(d, k) lands in month m + k on day min(mday, days in that month),
 *    is strictly increasing in k and non-decreasing in d, add_months(d, 0) = d;
 *  - months_between(s, e), s <= e: whole >= 0, 0 <= rest_days < month_days,
 *    month_days in 28..31, add_months(s, whole) <= e + 1 < add_months(s, whole + 1)
 *    with rest_days and month_days the distances; M strictly increasing in e;
 *  - the decimal text sroi.months builds from it (div_round_half_away at 20
 *    decimals, scaled_to_decimal) has the integer part whole;
 *  - div_round_half_away, the rounding of every cent, on any numerator of up to
 *    100 bits (ties included) against floor((2|n| + d) / 2d) with n's sign.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "decimal.h"
#include "fuzz_input.h"

static int32_t first_day,
			last_day;

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_length(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

static void
expect_ymd(int32_t day, int year, int month, int mday)
{
	int			y,
				m,
				d;

	day_to_ymd(day, &y, &m, &d);
	CHECK(y == year && m == month && d == mday);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	first_day = ymd_to_day(SROI_MIN_YEAR, 1, 1);
	last_day = ymd_to_day(SROI_MAX_YEAR, 12, 31);
	/* PostgreSQL: '0001-01-01'::date - '2000-01-01' and '9999-12-31' - '2000-01-01'. */
	CHECK(first_day == -730119 && last_day == 2921939);
	CHECK(ymd_to_day(2000, 1, 1) == 0);
	expect_ymd(0, 2000, 1, 1);
	expect_ymd(-1, 1999, 12, 31);
	expect_ymd(59, 2000, 2, 29);
	return 0;
}

/* A day in [lo, hi]: near lo, a bit further, or anywhere. */
static int32_t
day_after(FuzzInput *in, int32_t lo, int32_t hi)
{
	return fuzz_day_after(in, lo, hi, 70, 800, 40000);
}

static void
check_day(int32_t d)
{
	int			y,
				m,
				md;

	day_to_ymd(d, &y, &m, &md);
	CHECK(y >= SROI_MIN_YEAR && y <= SROI_MAX_YEAR);
	CHECK(m >= 1 && m <= 12);
	CHECK(md >= 1 && md <= month_length(y, m));
	CHECK(ymd_to_day(y, m, md) == d);
	CHECK(day_in_range(d));
	if (d < last_day)
	{
		if (md < month_length(y, m))
			expect_ymd(d + 1, y, m, md + 1);
		else if (m < 12)
			expect_ymd(d + 1, y, m + 1, 1);
		else
			expect_ymd(d + 1, y + 1, 1, 1);
	}
}

static void
check_date(int y, int m, int md)
{
	int32_t		d = ymd_to_day(y, m, md);
	int32_t		next_first = m < 12 ? ymd_to_day(y, m + 1, 1) : ymd_to_day(y + 1, 1, 1);

	CHECK(day_in_range(d));
	expect_ymd(d, y, m, md);
	CHECK(days_in_month(y, m) == month_length(y, m));
	CHECK(next_first - ymd_to_day(y, m, 1) == month_length(y, m));
}

static void
check_add_months(FuzzInput *in, int32_t d)
{
	int			y,
				m,
				md,
				ty,
				tm,
				tmd;
	int64_t		index;
	int64_t		k;
	int64_t		target;
	int32_t		r,
				d2;

	day_to_ymd(d, &y, &m, &md);
	index = (int64_t) y * 12 + (m - 1);
	/* Targets in years 1..10000: months_between looks one month past 9999-12-31. */
	k = fuzz_edgy(in, 12 - index, (int64_t) 10000 * 12 + 11 - index);
	target = index + k;
	r = add_months(d, (int32_t) k);
	day_to_ymd(r, &ty, &tm, &tmd);
	CHECK((int64_t) ty * 12 + (tm - 1) == target);
	CHECK(tmd == (md < month_length(ty, tm) ? md : month_length(ty, tm)));
	CHECK(ymd_to_day(ty, tm, tmd) == r);
	if (k + 1 <= (int64_t) 10000 * 12 + 11 - index)
		CHECK(add_months(d, (int32_t) (k + 1)) > r);
	CHECK(add_months(d, 0) == d);

	d2 = day_after(in, d, last_day);
	day_to_ymd(d2, &y, &m, &md);
	if ((int64_t) y * 12 + (m - 1) + k <= (int64_t) 10000 * 12 + 11)
		CHECK(add_months(d2, (int32_t) k) >= r);
}

/* M(s, e) < M(s, e2) as exact fractions. */
static bool
span_less(MonthSpan a, MonthSpan b)
{
	int128_t	left = ((int128_t) a.whole * a.month_days + a.rest_days) * b.month_days;
	int128_t	right = ((int128_t) b.whole * b.month_days + b.rest_days) * a.month_days;

	return left < right;
}

static MonthSpan
check_months_between(int32_t s, int32_t e)
{
	MonthSpan	span = months_between(s, e);
	int32_t		at,
				next;

	CHECK(span.whole >= 0);
	CHECK(span.month_days >= 28 && span.month_days <= 31);
	CHECK(span.rest_days >= 0 && span.rest_days < span.month_days);
	CHECK(span.whole <= (int64_t) 10000 * 12);
	at = add_months(s, (int32_t) span.whole);
	next = add_months(s, (int32_t) span.whole + 1);
	CHECK(at <= e + 1 && e + 1 < next);
	CHECK(span.rest_days == (int64_t) e + 1 - at);
	CHECK(span.month_days == (int64_t) next - at);
	return span;
}

/* What sroi.months prints: M rounded to 20 decimals; its integer part is whole. */
static void
check_month_text(MonthSpan span)
{
	int128_t	scale = 1;
	int128_t	units = (int128_t) span.whole * span.month_days + span.rest_days;
	int128_t	rounded;
	int128_t	integer = 0;
	char		text[80];
	const char *p = text;

	for (int i = 0; i < 20; i++)
		scale *= 10;
	rounded = div_round_half_away(units * scale, span.month_days);
	CHECK(div_round_half_away(-units * scale, span.month_days) == -rounded);
	CHECK(rounded * span.month_days - units * scale <= span.month_days / 2);
	CHECK(units * scale - rounded * span.month_days < (span.month_days + 1) / 2);
	scaled_to_decimal(rounded, 20, text, sizeof(text));
	for (; *p >= '0' && *p <= '9'; p++)
		integer = integer * 10 + (*p - '0');
	CHECK(*p == '.' && strlen(p + 1) == 20);
	CHECK(integer == span.whole);
}

/*
 * div_round_half_away on any numerator of up to 100 bits and denominator of up
 * to 60 bits, against floor((2|n| + d) / 2d) with the sign of n.
 */
static void
check_rounding(FuzzInput *in)
{
	int128_t	magnitude = ((int128_t) fuzz_range(in, 0, ((int64_t) 1 << 36) - 1) << 64) |
		(int128_t) (uint64_t) fuzz_range(in, INT64_MIN, INT64_MAX);
	bool		negative = fuzz_bytes(in, 1) % 2 == 1;
	int128_t	d = fuzz_edgy(in, 1, (int64_t) 1 << 60);
	int128_t	expected;

	if (fuzz_bytes(in, 1) % 2 == 1)
		magnitude = magnitude / d * d + d / 2;	/* a tie when d is even */
	expected = (2 * magnitude + d) / (2 * d);
	CHECK(div_round_half_away(negative ? -magnitude : magnitude, d) ==
		  (negative ? -expected : expected));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	int32_t		d = (int32_t) fuzz_edgy(&in, first_day, last_day);
	int			y = (int) fuzz_edgy(&in, SROI_MIN_YEAR, SROI_MAX_YEAR);
	int			m = (int) fuzz_range(&in, 1, 12);
	int			md = (int) fuzz_edgy(&in, 1, month_length(y, m));
	int32_t		v = (int32_t) fuzz_range(&in, INT32_MIN, INT32_MAX);
	int32_t		s,
				e,
				e2;
	MonthSpan	span,
				span2;

	check_day(d);
	check_date(y, m, md);
	CHECK(day_in_range(v) == (v >= first_day && v <= last_day));
	CHECK(!day_in_range(first_day - 1) && !day_in_range(last_day + 1));
	check_add_months(&in, d);

	s = (int32_t) fuzz_edgy(&in, first_day, last_day);
	e = day_after(&in, s, last_day);
	e2 = day_after(&in, e, last_day);
	span = check_months_between(s, e);
	span2 = check_months_between(s, e2);
	CHECK(e2 == e ? !span_less(span, span2) && !span_less(span2, span) : span_less(span, span2));
	check_month_text(span);
	check_rounding(&in);
	return 0;
}
