/* \summary: error and warning messages in one style: "prog: thing: where: what" */
#ifndef FC_LOG_H
#define FC_LOG_H

#include <stdnoreturn.h>

/* Every tool calls fc_log_init(argv[0]) first; messages then start with its name. */
void fc_log_init(const char *argv0);
const char *fc_progname(void);

/* Verbosity: 0 = warnings and errors only (default), 1 = --verbose, 2 = --debug. */
extern int fc_verbosity;

void fc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fc_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fc_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void fc_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Exit statuses shared by every tool (documented in each man page). */
enum {
    FC_EXIT_OK = 0,
    FC_EXIT_BAD_INPUT = 1,   /* input damaged or unreadable; valid part was still output */
    FC_EXIT_USAGE = 2,       /* bad command line */
    FC_EXIT_SYSTEM = 3,      /* out of memory, write error, ... */
};

#endif
