/* \summary: command-line helpers every tool shares: usage errors and checked numbers */
#include "cli.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

void fc_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", fc_progname());
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry '%s --help'.\n", fc_progname());
    va_end(ap);
    exit(FC_EXIT_USAGE);
}

uint64_t fc_parse_count(const char *text, const char *option, uint64_t min, uint64_t max)
{
    char *end;
    unsigned long long v = 0;
    bool digits_only = text[0] >= '0' && text[0] <= '9'; /* strtoull would take " 5" and "-1" */
    if (digits_only)
        v = strtoull(text, &end, 10);
    if (!digits_only || *end || v < min || v > max)
        fc_usage_error("--%s: %s: must be an integer from %llu to %llu", option, text, (unsigned long long)min,
                       (unsigned long long)max);
    return v;
}

double fc_parse_number(const char *text, const char *option, double min, double max)
{
    char *end;
    double v = strtod(text, &end);
    if (!text[0] || *end || !isfinite(v) || v < min || v > max)
        fc_usage_error("--%s: %s: must be a number from %g to %g", option, text, min, max);
    return v;
}
