/* The monotonic clock in milliseconds, for deadlines; see monotonic.h. */
#include "monotonic.h"

#include <time.h>

int64_t fc_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
