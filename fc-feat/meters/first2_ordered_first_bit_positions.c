/* \summary: meter First2OrderedFirstBitPositions: every bit of the first 4 bytes of packets 0 and 1 */
#include "meter.h"

/* Bit i (0..31, most significant bit of byte 0 first): set gives i, unset 64 + i; +128 for packet 1. */
#define PACKETS 2
#define BITS 32

void meter_first2_ordered_first_bit_positions(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = meter_min_u32(s->obs[i].kept, BITS / 8);
        for (uint32_t k = 0; k < n; k++)
            meter_tally_bits(acc, p[k], 128 * i + 8 * k, 64);
    }
}
