/*
 * quarter_text.h: the text form of a calendar quarter, '2025-Q3'.
 *
 * A quarter is stored as year x 4 + (quarter number - 1), so that integer order
 * is calendar order and q + 1 is the next quarter.  Pure C; fuzzed by test/fuzz.
 */
#ifndef SROI_QUARTER_TEXT_H
#define SROI_QUARTER_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

#define QUARTER_MIN ((int32_t) SROI_MIN_YEAR * 4)
#define QUARTER_MAX ((int32_t) SROI_MAX_YEAR * 4 + 3)
#define QUARTER_TEXT_LEN 16

typedef enum QuarterStatus
{
	QUARTER_OK,
	QUARTER_SYNTAX,				/* not YYYY-Qn */
	QUARTER_YEAR_RANGE,			/* year outside 1..9999 */
	QUARTER_NUMBER_RANGE		/* quarter number outside 1..4 */
} QuarterStatus;

/* Parses '2025-Q3', '2025Q3' or '2025-q3', with surrounding blanks. */
QuarterStatus quarter_parse(const char *text, int32_t *quarter);

/* Writes '2025-Q3'; buf holds at least QUARTER_TEXT_LEN bytes. */
void		quarter_format(int32_t quarter, char *buf);

int			quarter_year(int32_t quarter);
int			quarter_number(int32_t quarter);
int32_t		quarter_of_day(int32_t day);
int32_t		quarter_first_day(int32_t quarter);
int32_t		quarter_last_day(int32_t quarter);

#endif
