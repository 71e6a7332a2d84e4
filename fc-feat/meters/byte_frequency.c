/* \summary: meter ByteFrequency: the value of every payload byte of the first 5 packets */
#include "meter.h"

#define PACKETS 5

void meter_byte_frequency(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes; /* locals: stores to the counters may not alias them */
        uint32_t n = s->obs[i].kept;
        for (uint32_t k = 0; k < n; k++)
            meter_tally(acc, p[k]);
        acc->total += n;
    }
}
