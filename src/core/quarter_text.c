/*
 * quarter_text.c: parsing and formatting of quarters, and their calendar days.
 */
#include "quarter_text.h"

#include <stdbool.h>
#include <stdio.h>

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Reads a run of digits into *value.  Leading zeros do not count, so that
 * '02025-Q3' is 2025 as in PostgreSQL's date input.  Runs of more than
 * max_digits significant digits still parse (so that '99999-Q1' reports the
 * year as out of range) but saturate.
 */
static const char *
read_number(const char *p, int max_digits, int *value, bool *too_long)
{
	int			n = 0;

	*value = 0;
	*too_long = false;
	while (*p == '0')
		p++;
	for (; is_digit(*p); p++, n++)
	{
		if (n < max_digits)
			*value = *value * 10 + (*p - '0');
		else
			*too_long = true;
	}
	return p;
}

QuarterStatus
quarter_parse(const char *text, int32_t *quarter)
{
	const char *p = text;
	const char *digits;
	int			year,
				number;
	bool		year_too_long,
				number_too_long;

	while (is_blank(*p))
		p++;
	digits = p;
	p = read_number(p, 4, &year, &year_too_long);
	if (p == digits)
		return QUARTER_SYNTAX;
	if (*p == '-')
		p++;
	if (*p != 'Q' && *p != 'q')
		return QUARTER_SYNTAX;
	digits = ++p;
	p = read_number(p, 1, &number, &number_too_long);
	if (p == digits)
		return QUARTER_SYNTAX;
	while (is_blank(*p))
		p++;
	if (*p != '\0')
		return QUARTER_SYNTAX;

	if (year_too_long || year < SROI_MIN_YEAR || year > SROI_MAX_YEAR)
		return QUARTER_YEAR_RANGE;
	if (number_too_long || number < 1 || number > 4)
		return QUARTER_NUMBER_RANGE;
	*quarter = year * 4 + (number - 1);
	return QUARTER_OK;
}

void
quarter_format(int32_t quarter, char *buf)
{
	snprintf(buf, QUARTER_TEXT_LEN, "%04d-Q%d", quarter_year(quarter), quarter_number(quarter));
}

int
quarter_year(int32_t quarter)
{
	return quarter / 4;
}

int
quarter_number(int32_t quarter)
{
	return quarter % 4 + 1;
}

int32_t
quarter_of_day(int32_t day)
{
	int			year,
				month,
				mday;

	day_to_ymd(day, &year, &month, &mday);
	return year * 4 + (month - 1) / 3;
}

int32_t
quarter_first_day(int32_t quarter)
{
	return ymd_to_day(quarter_year(quarter), (quarter_number(quarter) - 1) * 3 + 1, 1);
}

int32_t
quarter_last_day(int32_t quarter)
{
	return quarter_first_day(quarter + 1) - 1;
}
