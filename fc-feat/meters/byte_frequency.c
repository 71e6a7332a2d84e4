/* \summary: meter ByteFrequency: the value of every payload byte of the first 5 packets */
#include "meter.h"

#define PACKETS 5

void meter_byte_frequency(const struct meter_session *s, struct meter_acc *acc)
{
    uint32_t *count = acc->count;
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes; /* locals: stores to the counters may not alias them */
        uint32_t n = s->obs[i].kept;
        meter_count_bytes(count, p, n, 0xFF);
        acc->total += n;
    }
}
