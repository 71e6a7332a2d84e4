/* \summary: meter BytePairsReoccurringCountIn32FirstBytes: byte pairs repeated from the previous packet */
#include "meter.h"

/*
 * For every packet after the first: how many of the 16-bit byte pairs at offsets
 * 0..30 of its first 32 bytes also occur among the pairs of the previous
 * packet's first 32 bytes. Bin (prevdir * 2 + dir) * 64 + min(count, 63): the
 * count means something different for a reply than for a follow-up.
 */
#define PREFIX 32

static uint32_t pairs_of(const struct meter_obs *o, uint16_t out[PREFIX - 1])
{
    uint32_t n = meter_min_u32(o->kept, PREFIX);
    if (n < 2)
        return 0;
    for (uint32_t k = 0; k + 1 < n; k++)
        out[k] = (uint16_t)(o->bytes[k] << 8 | o->bytes[k + 1]);
    return n - 1;
}

/* The previous packet's pairs as a set: one bit per 16-bit pair, set and cleared per packet. */
static uint8_t pair_seen[65536 / 8];

static void mark(const uint16_t *pairs, uint32_t n, bool on)
{
    for (uint32_t k = 0; k < n; k++)
        if (on)
            pair_seen[pairs[k] >> 3] |= (uint8_t)(1u << (pairs[k] & 7));
        else
            pair_seen[pairs[k] >> 3] = 0;
}

void meter_byte_pairs_reoccurring_count(const struct meter_session *s, struct meter_acc *acc)
{
    uint16_t prev[PREFIX - 1], cur[PREFIX - 1];
    uint32_t n_prev = s->n ? pairs_of(&s->obs[0], prev) : 0;
    for (uint32_t i = 1; i < s->n; i++) {
        uint32_t n_cur = pairs_of(&s->obs[i], cur), count = 0;
        mark(prev, n_prev, true);
        for (uint32_t k = 0; k < n_cur; k++)
            count += (pair_seen[cur[k] >> 3] >> (cur[k] & 7)) & 1;
        mark(prev, n_prev, false);
        meter_emit(acc, (unsigned)(s->obs[i - 1].dir * 2 + s->obs[i].dir) * 64 + meter_min_u32(count, 63));
        for (uint32_t k = 0; k < n_cur; k++)
            prev[k] = cur[k];
        n_prev = n_cur;
    }
}
