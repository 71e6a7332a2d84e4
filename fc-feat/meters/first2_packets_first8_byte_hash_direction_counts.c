/* \summary: meter First2PacketsFirst8ByteHashDirectionCounts: first 8 bytes of packets 0-1 with direction counts */
#include "meter.h"

/*
 * For packets 0 and 1: bin = hash % 16 * 16 + dir * 8 + pkt * 4 + min(count, 3),
 * hash = CRC-32 of the packet's first 8 bytes (fewer if it kept fewer), count =
 * how many packets of the whole sample went in this packet's direction (so a
 * one-sided session differs from a conversation).
 */
#define PACKETS 2
#define PREFIX 8

void meter_first2_packets_first8_byte_hash_direction_counts(const struct meter_session *s, struct meter_acc *acc)
{
    uint32_t per_dir[2] = { 0, 0 };
    for (uint32_t i = 0; i < s->n; i++)
        per_dir[s->obs[i].dir & 1]++;
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const struct meter_obs *o = &s->obs[i];
        unsigned hash = meter_crc32(0, o->bytes, meter_min_u32(o->kept, PREFIX)) % 16;
        meter_emit(acc, hash * 16 + o->dir * 8u + i * 4 + meter_min_u32(per_dir[o->dir & 1], 3));
    }
}
