/* \summary: meter First4OrderedDirectionFirstNByteNibbles: folded nibbles of the first 2 bytes of packets 0-3 */
#include "meter.h"

/* nib = (b ^ b >> 4) & 15 for bytes i = 0, 1; bin = dir * 128 + 32 * pkt + 16 * i + nib. */
#define PACKETS 4
#define PREFIX 2

void meter_first4_ordered_direction_first_nbyte_nibbles(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const struct meter_obs *o = &s->obs[i];
        uint32_t n = meter_min_u32(o->kept, PREFIX);
        for (uint32_t k = 0; k < n; k++) {
            unsigned nib = (o->bytes[k] ^ o->bytes[k] >> 4) & 15;
            meter_emit(acc, o->dir * 128u + 32 * i + 16 * k + nib);
        }
    }
}
