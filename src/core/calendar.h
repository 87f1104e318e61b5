/*
 * calendar.h: civil dates as day numbers and the month count M of domain.md 3.
 *
 * Pure C (no PostgreSQL headers), so the fuzzers in test/fuzz link it directly.
 * A day number counts days since 2000-01-01, exactly as PostgreSQL's DateADT.
 */
#ifndef SROI_CALENDAR_H
#define SROI_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* sroi works with dates in years 1 to 9999, the range a quarter can name. */
#define SROI_MIN_YEAR 1
#define SROI_MAX_YEAR 9999

int32_t		ymd_to_day(int year, int month, int mday);
void		day_to_ymd(int32_t day, int *year, int *month, int *mday);
int			days_in_month(int year, int month);
/* Day numbers of 0001-01-01 and 9999-12-31 (checked by test/fuzz/fuzz_calendar.c). */
#define SROI_FIRST_DAY (-730119)
#define SROI_LAST_DAY 2921939

static inline bool
day_in_range(int32_t day)
{
	return day >= SROI_FIRST_DAY && day <= SROI_LAST_DAY;
}
int32_t		add_months(int32_t day, int32_t months);

/*
 * M(s, e) = whole + rest_days / month_days, for s <= e, both days inclusive:
 * whole = the largest k with s + k months <= e + 1 day, rest_days = the days from
 * s + k months to e + 1, month_days = the days from s + k to s + k + 1 months.
 */
typedef struct MonthSpan
{
	int64_t		whole;
	int64_t		rest_days;
	int64_t		month_days;
} MonthSpan;

MonthSpan	months_between(int32_t starts_on, int32_t ends_on);

#endif
