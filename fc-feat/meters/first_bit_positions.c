/* \summary: meter FirstBitPositions: every bit of the first 16 bytes of packets 0-7 */
#include "meter.h"

/* Bit j (0..127, most significant bit of byte 0 first): set gives bin j, unset 128 + j. */
#define PACKETS 8
#define PREFIX 16

void meter_first_bit_positions(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = meter_min_u32(s->obs[i].kept, PREFIX);
        for (uint32_t k = 0; k < n; k++)
            meter_tally_bits(acc, p[k], 8 * k, 128);
    }
}
