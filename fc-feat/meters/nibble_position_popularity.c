/* \summary: meter NibblePositionPopularity: how popular each nibble's value has been at its position */
#include "meter.h"

/*
 * Over packets 0-7, for the first 32 nibbles (16 bytes, high nibble first) of
 * each: rank = how many values have been seen more often than this one at this
 * nibble position in the earlier packets; bin = (byte position) * 16 + rank.
 * A protocol with fixed header fields keeps hitting rank 0.
 *
 * The rank is read, not counted: at_least[p][c] is how many values were seen c or more
 * times at position p, so rank = at_least[p][seen + 1], and a value seen once more raises
 * just one of those counts.
 */
#define PACKETS 8
#define NIBBLES 32

static void tally_nibble(struct meter_acc *acc, uint8_t seen[16], uint8_t at_least[PACKETS + 1], unsigned v,
                         unsigned base)
{
    unsigned c = seen[v];
    meter_tally(acc, base + at_least[c + 1]);
    seen[v] = (uint8_t)(c + 1);
    at_least[c + 1]++;
}

void meter_nibble_position_popularity(const struct meter_session *s, struct meter_acc *acc)
{
    uint8_t seen[NIBBLES][16] = { { 0 } };
    uint8_t at_least[NIBBLES][PACKETS + 1] = { { 0 } }; /* [0] unused: every value was seen 0 times or more */
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = meter_min_u32(s->obs[i].kept, NIBBLES / 2);
        for (uint32_t k = 0; k < n; k++) {
            tally_nibble(acc, seen[2 * k], at_least[2 * k], p[k] >> 4, k * 16);
            tally_nibble(acc, seen[2 * k + 1], at_least[2 * k + 1], p[k] & 15u, k * 16);
        }
        acc->total += 2 * n;
    }
}
