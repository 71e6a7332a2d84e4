/* \summary: error and warning messages in one style: "prog: thing: where: what" */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fc_verbosity;
static const char *progname = "flowcarp";

void fc_log_init(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    if (argv0)
        progname = slash ? slash + 1 : argv0;
}

const char *fc_progname(void) { return progname; }

static void vsay(const char *fmt, va_list ap)
{
    /* One fprintf per line so lines from parallel stages do not interleave mid-line. */
    char line[2048];
    int n = snprintf(line, sizeof line, "%s: ", progname);
    if (n < 0)
        n = 0;
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    fprintf(stderr, "%s\n", line);
}

void fc_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
}

void fc_info(const char *fmt, ...)
{
    if (fc_verbosity < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
}

void fc_debug(const char *fmt, ...)
{
    if (fc_verbosity < 2)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
}

void fc_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
    exit(status);
}
