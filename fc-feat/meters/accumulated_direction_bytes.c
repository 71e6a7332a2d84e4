/* \summary: meter AccumulatedDirectionBytes: payload bytes of each direction run, for the first 4 runs */
#include "meter.h"

/*
 * A direction run is a maximal sequence of packets sent the same way. For runs
 * 0..3 (i.e. up to 3 direction changes; 4 changes would not fit the 2-bit field),
 * one bin per run: (run << 6) + min(bytes / 64, 63), bytes = payload length on
 * the wire summed over the run. The last run counts even if the sample ends it.
 */
#define RUNS 4

void meter_accumulated_direction_bytes(const struct meter_session *s, struct meter_acc *acc)
{
    unsigned run = 0;
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < s->n && run < RUNS; i++) {
        if (i > 0 && s->obs[i].dir != s->obs[i - 1].dir) {
            meter_emit(acc, (run << 6) + (unsigned)(bytes / 64 < 63 ? bytes / 64 : 63));
            run++;
            bytes = 0;
            if (run == RUNS)
                return;
        }
        bytes += s->obs[i].len;
    }
    if (s->n > 0 && run < RUNS)
        meter_emit(acc, (run << 6) + (unsigned)(bytes / 64 < 63 ? bytes / 64 : 63));
}
