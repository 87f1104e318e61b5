/*
 * calendar.c: proleptic Gregorian day numbers and calendar month arithmetic.
 */
#include "calendar.h"

/* Days from 0000-03-01 to 2000-01-01 in the era-based algorithm below. */
#define DAYS_TO_2000 730425

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 2000-01-01 of a civil date (H. Hinnant's days_from_civil). */
int32_t
ymd_to_day(int year, int month, int mday)
{
	int64_t		y = (int64_t) year - (month <= 2);
	int64_t		era = floor_div(y, 400);
	int64_t		yoe = y - era * 400;
	int64_t		mp = (month + 9) % 12;
	int64_t		doy = (153 * mp + 2) / 5 + mday - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - DAYS_TO_2000);
}

void
day_to_ymd(int32_t day, int *year, int *month, int *mday)
{
	int64_t		z = (int64_t) day + DAYS_TO_2000;
	int64_t		era = floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int64_t		m = mp < 10 ? mp + 3 : mp - 9;

	*mday = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) m;
	*year = (int) (yoe + era * 400 + (m <= 2));
}

int
days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return (month == 2 && leap) ? 29 : days[month - 1];
}

/* The civil date y-m-d + months months, the day clamped to the month's end. */
static int32_t
ymd_plus_months(int year, int month, int mday, int64_t months)
{
	int64_t		index = (int64_t) year * 12 + (month - 1) + months;
	int			target_year = (int) floor_div(index, 12);
	int			target_month = (int) (index - (int64_t) target_year * 12) + 1;
	int			last = days_in_month(target_year, target_month);

	return ymd_to_day(target_year, target_month, mday < last ? mday : last);
}

/*
 * day + months calendar months, the day of month clamped to the end of the
 * target month, as PostgreSQL's date + interval does (Jan 31 + 1 month = Feb 28).
 */
int32_t
add_months(int32_t day, int32_t months)
{
	int			year,
				month,
				mday;

	day_to_ymd(day, &year, &month, &mday);
	return ymd_plus_months(year, month, mday, months);
}

/* The month after or before year-month, as (year, month). */
static void
step_month(int *year, int *month, int step)
{
	*month += step;
	if (*month > 12)
	{
		*month = 1;
		(*year)++;
	}
	else if (*month < 1)
	{
		*month = 12;
		(*year)--;
	}
}

/*
 * M(s, e) of domain.md 3 (calendar.h says how MonthSpan holds it).  Works in calendar
 * fields, without day numbers: s + k months (day clamped) lies in the month of e + 1,
 * or, when its day there is past e + 1, in the month before.
 */
MonthSpan
months_between(int32_t starts_on, int32_t ends_on)
{
	int			sy,
				sm,
				sd,
				ey,
				em,
				ed;
	int			dim,
				anniversary_mday;
	MonthSpan	span;

	day_to_ymd(starts_on, &sy, &sm, &sd);
	day_to_ymd(ends_on + 1, &ey, &em, &ed);
	dim = days_in_month(ey, em);
	anniversary_mday = sd < dim ? sd : dim;
	span.whole = (int64_t) (ey - sy) * 12 + (em - sm);

	if (anniversary_mday <= ed)
	{
		/* s + k months is in this month; s + k + 1 months in the next. */
		int			ny = ey,
					nm = em,
					next_dim;

		step_month(&ny, &nm, 1);
		next_dim = days_in_month(ny, nm);
		span.rest_days = ed - anniversary_mday;
		span.month_days = dim - anniversary_mday + (sd < next_dim ? sd : next_dim);
	}
	else
	{
		/* s + k months is in the month before; s + k + 1 months in this one. */
		int			py = ey,
					pm = em,
					prev_dim,
					prev_mday;

		step_month(&py, &pm, -1);
		prev_dim = days_in_month(py, pm);
		prev_mday = sd < prev_dim ? sd : prev_dim;
		span.whole--;
		span.rest_days = prev_dim - prev_mday + ed;
		span.month_days = prev_dim - prev_mday + anniversary_mday;
	}
	return span;
}
