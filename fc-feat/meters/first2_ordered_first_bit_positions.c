/* \summary: meter First2OrderedFirstBitPositions: every bit of the first 4 bytes of packets 0 and 1 */
#include "meter.h"

/* Bit i (0..31, most significant bit of byte 0 first): set gives i, unset 64 + i; +128 for packet 1. */
#define PACKETS 2
#define BITS 32

void meter_first2_ordered_first_bit_positions(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        uint32_t bits = meter_min_u32(s->obs[i].kept, BITS / 8) * 8;
        for (unsigned b = 0; b < bits; b++)
            meter_emit(acc, 128 * i + (meter_bit(s->obs[i].bytes, b) ? b : 64 + b));
    }
}
