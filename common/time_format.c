/* \summary: the three printed forms of FlowCarp times (FORMATS.md §1), from integer microseconds */
#include "time_format.h"

#include <string.h>
#include <time.h>

#define US_PER_S 1000000

int64_t fc_time_seconds(int64_t us)
{
    int64_t s = us / US_PER_S;
    return us % US_PER_S < 0 ? s - 1 : s;
}

/* Writes v as exactly `width` decimal digits (v < 10^width); returns the end. */
static char *put_digits(char *p, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Writes v in decimal without leading zeros; returns the end. */
static char *put_decimal(char *p, uint64_t v)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = digits[--n];
    return p;
}

#define S_PER_DAY 86400

/*
 * The broken-down UTC time of secs. gmtime_r is a visible share of fc-emit's time (it
 * takes glibc's time zone lock), and the times of one capture fall on few days: the date
 * of the last day asked for is kept, and the time of day is plain arithmetic.
 */
static void utc_time(int64_t secs, struct tm *tm)
{
    static int64_t cached_day = INT64_MIN;
    static struct tm cached_date;
    int64_t day = secs / S_PER_DAY - (secs % S_PER_DAY < 0);
    int64_t in_day = secs - day * S_PER_DAY;
    if (day != cached_day) {
        time_t t = (time_t)(day * S_PER_DAY);
        if (!gmtime_r(&t, &cached_date))
            memset(&cached_date, 0, sizeof cached_date); /* unreachable for int64 microseconds: the year fits an int */
        cached_day = day;
    }
    *tm = cached_date;
    tm->tm_hour = (int)(in_day / 3600);
    tm->tm_min = (int)(in_day / 60 % 60);
    tm->tm_sec = (int)(in_day % 60);
}

/*
 * Hand-written rather than snprintf: times are printed two or three times per flow and
 * snprintf was a visible share of fc-emit's time. Within one second only the microseconds
 * change, so the text up to them is kept for the last second printed.
 */
size_t fc_time_iso(int64_t us, const char *zone, char out[FC_TIME_MAX])
{
    static int64_t cached_secs = INT64_MIN;  /* no microsecond time floors to it */
    static char cached[FC_TIME_MAX];         /* "YYYY-MM-DDTHH:MM:SS." */
    static size_t cached_len;
    int64_t secs = fc_time_seconds(us);
    if (secs != cached_secs) {
        struct tm tm;
        utc_time(secs, &tm);
        char *p = cached;
        int64_t year = (int64_t)tm.tm_year + 1900;
        if (year < 0) {
            *p++ = '-';
            year = -year;
        }
        p = year >= 10000 ? put_decimal(p, (uint64_t)year) : put_digits(p, (uint64_t)year, 4);
        *p++ = '-';
        p = put_digits(p, (uint64_t)tm.tm_mon + 1, 2);
        *p++ = '-';
        p = put_digits(p, (uint64_t)tm.tm_mday, 2);
        *p++ = 'T';
        p = put_digits(p, (uint64_t)tm.tm_hour, 2);
        *p++ = ':';
        p = put_digits(p, (uint64_t)tm.tm_min, 2);
        *p++ = ':';
        p = put_digits(p, (uint64_t)tm.tm_sec, 2);
        *p++ = '.';
        cached_len = (size_t)(p - cached);
        cached_secs = secs;
    }
    memcpy(out, cached, sizeof cached); /* all of it: a copy of constant size is cheaper */
    char *p = put_digits(out + cached_len, (uint64_t)(us - secs * US_PER_S), 6);
    size_t zl = strlen(zone);
    memcpy(p, zone, zl + 1);
    return (size_t)(p - out) + zl;
}

size_t fc_time_decimal(int64_t us, char out[FC_TIME_MAX])
{
    /* Magnitude as unsigned so INT64_MIN has one too. */
    uint64_t mag = us < 0 ? 0 - (uint64_t)us : (uint64_t)us;
    char *p = out;
    if (us < 0)
        *p++ = '-';
    p = put_decimal(p, mag / US_PER_S);
    *p++ = '.';
    p = put_digits(p, mag % US_PER_S, 6);
    *p = 0;
    return (size_t)(p - out);
}
