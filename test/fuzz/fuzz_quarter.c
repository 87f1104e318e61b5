/*
 * fuzz_quarter.c: quarter_parse (src/core/quarter_text.c) on any NUL-terminated
 * text, the input of sroi.quarter's text input function.
 *
 * Checks: no crash or sanitizer report; the status and quarter agree with an
 * independent reference parser of the grammar
 *     blanks* digits+ '-'? [Qq] digits+ blanks*
 * (leading zeros do not count; year 1..9999, number 1..4); an accepted quarter
 * lies in QUARTER_MIN..QUARTER_MAX, formats as '%04d-Q%d' and parses back to
 * itself; its first and last days bound it and are 90 to 92 days apart.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "quarter_text.h"

static bool
blank(char c)
{
	return c != '\0' && strchr(" \t\n\r\f\v", c) != NULL;
}

/* Significant digits (leading zeros dropped) of a run that starts at *p. */
static size_t
digit_run(const char **p, const char **significant)
{
	const char *start = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	*significant = start;
	while (*significant < *p && **significant == '0')
		(*significant)++;
	return (size_t) (*p - start);
}

static long
value_of(const char *from, const char *to)
{
	long		v = 0;

	for (; from < to; from++)
		v = v * 10 + (*from - '0');
	return v;
}

static QuarterStatus
reference_parse(const char *s, int32_t *quarter)
{
	const char *p = s;
	const char *year_digits,
			   *year_end,
			   *number_digits,
			   *number_end;

	while (blank(*p))
		p++;
	if (digit_run(&p, &year_digits) == 0)
		return QUARTER_SYNTAX;
	year_end = p;
	if (*p == '-')
		p++;
	if (*p != 'Q' && *p != 'q')
		return QUARTER_SYNTAX;
	p++;
	if (digit_run(&p, &number_digits) == 0)
		return QUARTER_SYNTAX;
	number_end = p;
	while (blank(*p))
		p++;
	if (*p != '\0')
		return QUARTER_SYNTAX;
	if (year_end - year_digits > 4 || value_of(year_digits, year_end) < 1)
		return QUARTER_YEAR_RANGE;
	if (number_end - number_digits > 1 || value_of(number_digits, number_end) < 1 ||
		value_of(number_digits, number_end) > 4)
		return QUARTER_NUMBER_RANGE;
	*quarter = (int32_t) (value_of(year_digits, year_end) * 4 +
						  value_of(number_digits, number_end) - 1);
	return QUARTER_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that reading past the NUL is an ASan report. */
	char	   *text = malloc(size + 1);
	int32_t		quarter = -1,
				expected = -2,
				again = -3;
	QuarterStatus status,
				expected_status;
	char		buf[QUARTER_TEXT_LEN];
	char		canonical[32];

	memcpy(text, data, size);
	text[size] = '\0';

	status = quarter_parse(text, &quarter);
	expected_status = reference_parse(text, &expected);
	CHECK(status == expected_status);

	if (status == QUARTER_OK)
	{
		int32_t		first,
					last;

		CHECK(quarter == expected);
		CHECK(quarter >= QUARTER_MIN && quarter <= QUARTER_MAX);
		CHECK(quarter_year(quarter) >= SROI_MIN_YEAR && quarter_year(quarter) <= SROI_MAX_YEAR);
		CHECK(quarter_number(quarter) >= 1 && quarter_number(quarter) <= 4);

		quarter_format(quarter, buf);
		snprintf(canonical, sizeof(canonical), "%04d-Q%d", quarter_year(quarter),
				 quarter_number(quarter));
		CHECK(strcmp(buf, canonical) == 0);
		CHECK(quarter_parse(buf, &again) == QUARTER_OK);
		CHECK(again == quarter);

		first = quarter_first_day(quarter);
		last = quarter_last_day(quarter);
		CHECK(day_in_range(first) && day_in_range(last));
		CHECK(last - first + 1 >= 90 && last - first + 1 <= 92);
		CHECK(quarter_of_day(first) == quarter && quarter_of_day(last) == quarter);
		CHECK(quarter == QUARTER_MIN || quarter_of_day(first - 1) == quarter - 1);
		CHECK(quarter == QUARTER_MAX || quarter_of_day(last + 1) == quarter + 1);
	}

	free(text);
	return 0;
}
