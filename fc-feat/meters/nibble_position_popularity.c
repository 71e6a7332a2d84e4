/* \summary: meter NibblePositionPopularity: how popular each nibble's value has been at its position */
#include "meter.h"

/*
 * Over packets 0-7, for the first 32 nibbles (16 bytes, high nibble first) of
 * each: rank = how many values have been seen more often than this one at this
 * nibble position in the earlier packets; bin = (byte position) * 16 + rank.
 * A protocol with fixed header fields keeps hitting rank 0.
 */
#define PACKETS 8
#define NIBBLES 32

void meter_nibble_position_popularity(const struct meter_session *s, struct meter_acc *acc)
{
    uint8_t seen[NIBBLES][16] = { { 0 } };
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        unsigned nibbles = meter_min_u32(s->obs[i].kept, NIBBLES / 2) * 2;
        for (unsigned p = 0; p < nibbles; p++) {
            uint8_t byte = s->obs[i].bytes[p / 2];
            unsigned v = p % 2 ? byte & 15u : byte >> 4;
            unsigned rank = 0;
            for (unsigned other = 0; other < 16; other++)
                rank += seen[p][other] > seen[p][v];
            meter_emit(acc, (p / 2) * 16 + rank);
            seen[p][v]++;
        }
    }
}
