/* \summary: the three printed forms of FlowCarp times (FORMATS.md §1), from integer microseconds */
#ifndef FC_TIME_FORMAT_H
#define FC_TIME_FORMAT_H

/*
 * Times travel as integer microseconds since the epoch and are printed from their
 * integer parts (floored seconds and 0-999999 microseconds), with gmtime_r: never
 * through a double (which would round 6-decimal values) and never in local time.
 */
#include <stddef.h>
#include <stdint.h>

/* Room for any int64 microsecond value in any form, with NUL. */
#define FC_TIME_MAX 48

/* Floored seconds of a microsecond time (also for times before 1970). */
int64_t fc_time_seconds(int64_t us);

/* ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SS.ffffff" + zone: "Z" for CSV/TSV, "+0000" for Eve.
 * Returns its length. Not thread-safe: it keeps the text of the last second printed. */
size_t fc_time_iso(int64_t us, const char *zone, char out[FC_TIME_MAX]);
#define FC_ZONE_CSV "Z"
#define FC_ZONE_EVE "+0000"

/* Seconds with exactly 6 decimals ("1500000120.454536", "-0.000001"): Zeek times and
 * every duration. */
size_t fc_time_decimal(int64_t us, char out[FC_TIME_MAX]); /* returns its length */

#endif
