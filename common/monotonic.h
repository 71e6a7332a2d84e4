#ifndef FC_MONOTONIC_H
#define FC_MONOTONIC_H
#include <stdint.h>
/* Milliseconds of CLOCK_MONOTONIC: for deadlines and quiet periods, never for packet times. */
int64_t fc_monotonic_ms(void);
#endif
