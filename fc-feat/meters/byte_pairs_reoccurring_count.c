/* \summary: meter BytePairsReoccurringCountIn32FirstBytes: byte pairs repeated from the previous packet */
#include "meter.h"

/*
 * For every packet after the first: how many of the 16-bit byte pairs at offsets
 * 0..30 of its first 32 bytes also occur among the pairs of the previous
 * packet's first 32 bytes. Bin (prevdir * 2 + dir) * 64 + min(count, 63): the
 * count means something different for a reply than for a follow-up.
 */
#define PREFIX 32

/* The previous packet's pairs as a set: one bit per 16-bit pair, set and cleared per packet. */
static uint8_t pair_seen[65536 / 8];

static inline unsigned pair_at(const uint8_t *p, uint32_t k) { return (unsigned)p[k] << 8 | p[k + 1]; }

/* Pairs of the first `n` bytes of p: how many there are (none when n < 2). */
static inline uint32_t pair_count(uint32_t n) { return n < 2 ? 0 : n - 1; }

void meter_byte_pairs_reoccurring_count(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 1; i < s->n; i++) {
        const uint8_t *prev = s->obs[i - 1].bytes, *cur = s->obs[i].bytes;
        uint32_t n_prev = pair_count(meter_min_u32(s->obs[i - 1].kept, PREFIX));
        uint32_t n_cur = pair_count(meter_min_u32(s->obs[i].kept, PREFIX)), count = 0;
        for (uint32_t k = 0; k < n_prev; k++) {
            unsigned pair = pair_at(prev, k);
            pair_seen[pair >> 3] |= (uint8_t)(1u << (pair & 7));
        }
        for (uint32_t k = 0; k < n_cur; k++) {
            unsigned pair = pair_at(cur, k);
            count += (pair_seen[pair >> 3] >> (pair & 7)) & 1;
        }
        for (uint32_t k = 0; k < n_prev; k++)
            pair_seen[pair_at(prev, k) >> 3] = 0;
        meter_emit(acc, (unsigned)(s->obs[i - 1].dir * 2 + s->obs[i].dir) * 64 + meter_min_u32(count, 63));
    }
}
