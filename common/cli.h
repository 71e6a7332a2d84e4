/* \summary: command-line helpers every tool shares: usage errors and checked numbers */
#ifndef FC_CLI_H
#define FC_CLI_H

#include <stdint.h>
#include <stdnoreturn.h>

/* Prints "prog: <message>" and "Try 'prog --help'." and exits with FC_EXIT_USAGE. */
noreturn void fc_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole of `text` as a decimal integer in [min, max], or a usage error naming --option. */
uint64_t fc_parse_count(const char *text, const char *option, uint64_t min, uint64_t max);
/* The whole of `text` as a finite number in [min, max], or a usage error naming --option. */
double fc_parse_number(const char *text, const char *option, double min, double max);

#endif
