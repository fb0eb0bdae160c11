/*
 * Dates of order lines, as the day they name: ISO 8601 dates and date-times,
 * or any layout described by strptime-style fields. A date-time's day is its
 * date as written; a zone is checked and ignored (no conversion).
 *
 * Days are counted from 1970-01-01 (day 0) in the proleptic Gregorian
 * calendar, for the years 0000 to 9999.
 */
#ifndef FIMBIT_READ_DATE_H
#define FIMBIT_READ_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a failed parse found wrong, and where. */
typedef struct date_problem {
    size_t at;          /* byte offset into the text */
    const char *reason; /* static text: "expected a digit", "month 13 is not 1-12" */
} date_problem;

/* Parses `text` (`length` bytes, not NUL-terminated) as an ISO 8601 date
 * (2011-12-09) or date-time: the date, 'T', 't' or one space, hh:mm with
 * optional :ss and a fraction (. or ,), then optionally a zone (Z, +hh,
 * +hhmm, +hh:mm). @return true and *day, or false and *problem. */
bool date_parse_iso(const char *text, size_t length, int32_t *day, date_problem *problem);

/* Parses `text` laid out as `format`, whose fields follow strptime: %Y (year,
 * up to four digits), %y (two digits: 69-99 are 19xx, 00-68 20xx), %m, %d,
 * %e, %H, %I with %p (AM/PM), %M, %S, %f (fraction digits), %b %B %h (English
 * month names, case-insensitive), %a %A (weekday names, ignored), %z (zone,
 * ignored), %j (day of the year), %F (%Y-%m-%d), %T (%H:%M:%S), %R (%H:%M),
 * %D (%m/%d/%y), %n %t and white space (any white space, also none), %%. Any
 * other character must match itself. Numbers may have fewer digits than
 * their width (8:05 matches %H:%M). The whole text must be used, save
 * trailing white space. The format must have passed date_format_check().
 * @return true and *day, or false and *problem. */
bool date_parse_format(const char *format, const char *text, size_t length, int32_t *day,
                       date_problem *problem);

/* Checks a date format: known fields only, a year, and a month and day or a
 * day of the year. @return NULL when it is usable, else a static reason. */
const char *date_format_check(const char *format);

/* @return the day number of year-month-day (a valid date). */
int32_t date_from_civil(int32_t year, int32_t month, int32_t day);

/* Writes day `day` as YYYY-MM-DD plus a NUL into out (at least 16 bytes:
 * a day past 9999-12-31 has a five-digit year). */
void date_format_iso(int32_t day, char *out);

#endif /* FIMBIT_READ_DATE_H */
