/* Dates as days (date.h). */
#include <stdio.h>
#include <string.h>

#include "date.h"

static bool is_digit(char c) { return (unsigned)(c - '0') <= 9; }

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool is_leap_year(int32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int32_t days_in_month(int32_t year, int32_t month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* Counts in eras of 400 years (146097 days), with years starting in March so
 * that the leap day is the last day of a year. */
int32_t date_from_civil(int32_t year, int32_t month, int32_t day)
{
    year -= month <= 2;
    int32_t era = (year >= 0 ? year : year - 399) / 400;
    int32_t year_of_era = year - era * 400;
    int32_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void date_format_iso(int32_t day, char *out)
{
    int32_t z = day + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t day_of_era = z - era * 146097;
    int32_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int32_t shifted_month = (5 * day_of_year + 2) / 153;
    int32_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    int32_t year = year_of_era + era * 400 + (month <= 2);
    char text[40]; /* what any int32_t day can need; a real day needs 11 or 12 */
    snprintf(text, sizeof text, "%04d-%02d-%02d", (int)year, (int)month,
             (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1));
    memcpy(out, text, 15);
    out[15] = '\0';
}

/* ------------------------------------------------------------- scanning */

typedef struct date_scan {
    const char *start;
    const char *p;
    const char *end;
    date_problem *problem;
} date_scan;

typedef struct date_fields {
    int32_t year, month, day, day_of_year, hour, minute, second;
    bool hour12, pm;
} date_fields;

static bool scan_fail(date_scan *s, const char *at, const char *reason)
{
    s->problem->at = (size_t)(at - s->start);
    s->problem->reason = reason;
    return false;
}

/* Reads min_digits to max_digits digits. */
static bool scan_number(date_scan *s, int min_digits, int max_digits, int32_t *value,
                        const char *reason)
{
    int32_t number = 0;
    int digits = 0;
    while (digits < max_digits && s->p < s->end && is_digit(*s->p)) {
        number = number * 10 + (*s->p - '0');
        s->p++;
        digits++;
    }
    if (digits < min_digits)
        return scan_fail(s, s->p, reason);
    *value = number;
    return true;
}

static bool scan_char(date_scan *s, char expected, const char *reason)
{
    if (s->p == s->end || *s->p != expected)
        return scan_fail(s, s->p, reason);
    s->p++;
    return true;
}

/* A zone: Z, or a sign, hh and optionally [:]mm. Checked, not applied. */
static bool scan_zone(date_scan *s)
{
    if (s->p < s->end && (*s->p == 'Z' || *s->p == 'z')) {
        s->p++;
        return true;
    }
    if (s->p == s->end || (*s->p != '+' && *s->p != '-'))
        return scan_fail(s, s->p, "expected a zone (Z, +hh or +hh:mm)");
    s->p++;
    int32_t hours, minutes = 0;
    if (!scan_number(s, 2, 2, &hours, "expected the zone's hours (two digits)"))
        return false;
    if (s->p < s->end && *s->p == ':')
        s->p++;
    if (s->p < s->end && is_digit(*s->p) &&
        !scan_number(s, 2, 2, &minutes, "expected the zone's minutes (two digits)"))
        return false;
    if (hours > 23 || minutes > 59)
        return scan_fail(s, s->p, "zone out of range");
    return true;
}

/* Matches a word of `names` (full, or its first three letters) ignoring
 * case. @return its index, or -1. */
static int scan_name(date_scan *s, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        for (int full = 1; full >= 0; full--) {
            size_t length = 0;
            while (names[i][length] != '\0')
                length++;
            if (!full)
                length = 3;
            if ((size_t)(s->end - s->p) < length)
                continue;
            size_t k = 0;
            while (k < length && lower(s->p[k]) == names[i][k])
                k++;
            if (k == length) {
                s->p += length;
                return i;
            }
        }
    }
    return -1;
}

static const char *const month_names[12] = {"january", "february", "march",     "april",
                                            "may",     "june",     "july",      "august",
                                            "september", "october", "november", "december"};
static const char *const weekday_names[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                             "thursday", "friday", "saturday"};

/* Checks the fields read and turns them into a day. */
static bool fields_to_day(date_scan *s, const date_fields *f, int32_t *day)
{
    if (f->year < 0 || f->year > 9999)
        return scan_fail(s, s->start, "year out of range (0000-9999)");
    if (f->hour > 23 || f->minute > 59 || f->second > 60)
        return scan_fail(s, s->start, "time of day out of range");
    if (f->day_of_year > 0) {
        if (f->day_of_year > (is_leap_year(f->year) ? 366 : 365))
            return scan_fail(s, s->start, "day of the year out of range");
        *day = date_from_civil(f->year, 1, 1) + f->day_of_year - 1;
        return true;
    }
    if (f->month < 1 || f->month > 12)
        return scan_fail(s, s->start, "month out of range (1-12)");
    if (f->day < 1 || f->day > days_in_month(f->year, f->month))
        return scan_fail(s, s->start, "day out of range for the month");
    *day = date_from_civil(f->year, f->month, f->day);
    return true;
}

bool date_parse_iso(const char *text, size_t length, int32_t *day, date_problem *problem)
{
    date_scan s = {text, text, text + length, problem};
    date_fields f = {0};
    const char *expected_date = "expected an ISO 8601 date such as 2011-12-09 "
                                "(other layouts need a date format)";
    if (!scan_number(&s, 4, 4, &f.year, expected_date) || !scan_char(&s, '-', expected_date) ||
        !scan_number(&s, 2, 2, &f.month, expected_date) || !scan_char(&s, '-', expected_date) ||
        !scan_number(&s, 2, 2, &f.day, expected_date))
        return false;
    if (s.p < s.end) {
        if (*s.p != 'T' && *s.p != 't' && *s.p != ' ')
            return scan_fail(&s, s.p, "expected 'T' or a space before the time, or the end");
        s.p++;
        const char *expected_time = "expected a time such as 12:50 or 12:50:00";
        if (!scan_number(&s, 2, 2, &f.hour, expected_time) ||
            !scan_char(&s, ':', expected_time) ||
            !scan_number(&s, 2, 2, &f.minute, expected_time))
            return false;
        if (s.p < s.end && *s.p == ':') {
            s.p++;
            if (!scan_number(&s, 2, 2, &f.second, "expected the seconds (two digits)"))
                return false;
            if (s.p < s.end && (*s.p == '.' || *s.p == ',')) {
                s.p++;
                int32_t ignored;
                if (!scan_number(&s, 1, 1, &ignored, "expected the fraction's digits"))
                    return false;
                while (s.p < s.end && is_digit(*s.p))
                    s.p++;
            }
        }
        if (s.p < s.end && !scan_zone(&s))
            return false;
    }
    if (s.p < s.end)
        return scan_fail(&s, s.p, "unexpected text after the date");
    return fields_to_day(&s, &f, day);
}

/* Matches one format (recursively for %F, %T, %R and %D). */
static bool scan_format(date_scan *s, const char *format, date_fields *f)
{
    int32_t value = 0;
    for (const char *q = format; *q != '\0'; q++) {
        if (is_space(*q)) {
            while (s->p < s->end && is_space(*s->p))
                s->p++;
            continue;
        }
        if (*q != '%') {
            if (!scan_char(s, *q, "the text does not match the date format"))
                return false;
            continue;
        }
        bool ok = true;
        switch (*++q) {
        case 'Y': ok = scan_number(s, 1, 4, &f->year, "expected the year (%Y)"); break;
        case 'y':
            ok = scan_number(s, 1, 2, &value, "expected a two-digit year (%y)");
            f->year = value < 69 ? 2000 + value : 1900 + value;
            break;
        case 'm': ok = scan_number(s, 1, 2, &f->month, "expected the month (%m)"); break;
        case 'e':
            while (s->p < s->end && *s->p == ' ')
                s->p++;
            /* fall through */
        case 'd': ok = scan_number(s, 1, 2, &f->day, "expected the day (%d)"); break;
        case 'j':
            ok = scan_number(s, 1, 3, &f->day_of_year, "expected the day of the year (%j)");
            break;
        case 'I': f->hour12 = true; /* fall through */
        case 'H': ok = scan_number(s, 1, 2, &f->hour, "expected the hour (%H or %I)"); break;
        case 'M': ok = scan_number(s, 1, 2, &f->minute, "expected the minutes (%M)"); break;
        case 'S': ok = scan_number(s, 1, 2, &f->second, "expected the seconds (%S)"); break;
        case 'f':
            ok = scan_number(s, 1, 1, &value, "expected the fraction's digits (%f)");
            while (s->p < s->end && is_digit(*s->p))
                s->p++;
            break;
        case 'b': case 'B': case 'h':
            value = scan_name(s, month_names, 12);
            f->month = value + 1;
            ok = value >= 0 || scan_fail(s, s->p, "expected a month name (%b)");
            break;
        case 'a': case 'A':
            ok = scan_name(s, weekday_names, 7) >= 0 ||
                 scan_fail(s, s->p, "expected a weekday name (%a)");
            break;
        case 'p':
            if (s->end - s->p >= 2 && (lower(s->p[0]) == 'a' || lower(s->p[0]) == 'p') &&
                lower(s->p[1]) == 'm') {
                f->pm = lower(s->p[0]) == 'p';
                s->p += 2;
            } else {
                ok = scan_fail(s, s->p, "expected AM or PM (%p)");
            }
            break;
        case 'z': ok = scan_zone(s); break;
        case 'F': ok = scan_format(s, "%Y-%m-%d", f); break;
        case 'T': ok = scan_format(s, "%H:%M:%S", f); break;
        case 'R': ok = scan_format(s, "%H:%M", f); break;
        case 'D': ok = scan_format(s, "%m/%d/%y", f); break;
        case 'n': case 't':
            while (s->p < s->end && is_space(*s->p))
                s->p++;
            break;
        default: /* '%' itself; date_format_check() let nothing else through */
            ok = scan_char(s, '%', "the text does not match the date format");
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

bool date_parse_format(const char *format, const char *text, size_t length, int32_t *day,
                       date_problem *problem)
{
    date_scan s = {text, text, text + length, problem};
    date_fields f = {0};
    if (!scan_format(&s, format, &f))
        return false;
    while (s.p < s.end && is_space(*s.p))
        s.p++;
    if (s.p < s.end)
        return scan_fail(&s, s.p, "unexpected text after the date");
    if (f.hour12) { /* 12 AM is 0:00, 12 PM 12:00, 1 PM 13:00 */
        if (f.hour < 1 || f.hour > 12)
            return scan_fail(&s, s.start, "hour out of range (1-12 with %I)");
        f.hour = f.hour % 12 + (f.pm ? 12 : 0);
    }
    return fields_to_day(&s, &f, day);
}

const char *date_format_check(const char *format)
{
    bool year = false, month = false, day = false, day_of_year = false;
    for (const char *q = format; *q != '\0'; q++) {
        if (*q != '%')
            continue;
        switch (*++q) {
        case 'Y': case 'y': year = true; break;
        case 'm': case 'b': case 'B': case 'h': month = true; break;
        case 'd': case 'e': day = true; break;
        case 'j': day_of_year = true; break;
        case 'F': case 'D': year = month = day = true; break;
        case 'H': case 'I': case 'M': case 'S': case 'f': case 'a': case 'A': case 'p':
        case 'z': case 'T': case 'R': case 'n': case 't': case '%':
            break;
        case '\0':
            return "a lone '%' at the end";
        default:
            return "an unknown field (known: %Y %y %m %d %e %j %H %I %p %M %S %f %b %B %h "
                   "%a %A %z %F %T %R %D %n %t %%)";
        }
    }
    if (!year)
        return "no year (%Y or %y)";
    if (!day_of_year && !(month && day))
        return "no month and day (%m or %b, and %d) or day of the year (%j)";
    return NULL;
}
