/* \summary: meter FirstServerPacketFirstBitPositions: every bit of the first 16 bytes of the first server packet */
#include "meter.h"

/* As FirstBitPositions, for the first packet sent by the server only: set bit j gives j, unset 128 + j. */
#define PREFIX 16

void meter_first_server_packet_first_bit_positions(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->obs[i].dir != 1)
            continue;
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = meter_min_u32(s->obs[i].kept, PREFIX);
        for (uint32_t k = 0; k < n; k++)
            meter_tally_bits(acc, p[k], 8 * k, 128);
        return;
    }
}
