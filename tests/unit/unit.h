/* \summary: the smallest unit-test harness: one "ok"/"not ok" line per check */
#ifndef FC_UNIT_H
#define FC_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures;

#define CHECK(name, cond)                                                            \
    do {                                                                             \
        if (cond)                                                                    \
            printf("ok %s\n", name);                                                 \
        else {                                                                       \
            printf("not ok %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__);      \
            unit_failures++;                                                         \
        }                                                                            \
    } while (0)

#define CHECK_STR(name, expected, actual)                                            \
    do {                                                                             \
        const char *e_ = (expected), *a_ = (actual);                                 \
        if (strcmp(e_, a_) == 0)                                                     \
            printf("ok %s\n", name);                                                 \
        else {                                                                       \
            printf("not ok %s: expected [%s], got [%s]\n", name, e_, a_);            \
            unit_failures++;                                                         \
        }                                                                            \
    } while (0)

#define UNIT_DONE() return unit_failures ? 1 : 0

#endif
