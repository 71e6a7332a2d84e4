/* \summary: meter FirstBitPositions: every bit of the first 16 bytes of packets 0-7 */
#include "meter.h"

/* Bit j (0..127, most significant bit of byte 0 first): set gives bin j, unset 128 + j. */
#define PACKETS 8
#define PREFIX 16

void meter_first_bit_positions(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        unsigned bits = meter_min_u32(s->obs[i].kept, PREFIX) * 8;
        for (unsigned b = 0; b < bits; b++)
            meter_emit(acc, meter_bit(s->obs[i].bytes, b) ? b : 128 + b);
    }
}
