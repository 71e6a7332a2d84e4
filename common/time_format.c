/* \summary: the three printed forms of FlowCarp times (FORMATS.md §1), from integer microseconds */
#include "time_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define US_PER_S 1000000

int64_t fc_time_seconds(int64_t us)
{
    int64_t s = us / US_PER_S;
    return us % US_PER_S < 0 ? s - 1 : s;
}

void fc_time_iso(int64_t us, const char *zone, char out[FC_TIME_MAX])
{
    int64_t secs = fc_time_seconds(us);
    int64_t frac = us - secs * US_PER_S;
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm); /* unreachable for int64 microseconds: the year fits an int */
    snprintf(out, FC_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId64 "%s", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
}

void fc_time_decimal(int64_t us, char out[FC_TIME_MAX])
{
    /* Magnitude as unsigned so INT64_MIN has one too. */
    uint64_t mag = us < 0 ? 0 - (uint64_t)us : (uint64_t)us;
    snprintf(out, FC_TIME_MAX, "%s%" PRIu64 ".%06" PRIu64, us < 0 ? "-" : "", mag / US_PER_S,
             mag % US_PER_S);
}
