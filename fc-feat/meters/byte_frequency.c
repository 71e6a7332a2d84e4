/* \summary: meter ByteFrequency: the value of every payload byte of the first 5 packets */
#include "meter.h"

#define PACKETS 5

void meter_byte_frequency(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++)
        for (uint32_t k = 0; k < s->obs[i].kept; k++)
            meter_emit(acc, s->obs[i].bytes[k]);
}
