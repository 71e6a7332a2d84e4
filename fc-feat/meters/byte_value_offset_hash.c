/* \summary: meter ByteValueOffsetHashOfFirst32BytesInFirst4Packets: byte value and offset together */
#include "meter.h"

/* For the first 32 bytes of packets 0-3: bin = multiplicative hash of (value + 256 * offset). */
#define PACKETS 4
#define PREFIX 32

void meter_byte_value_offset_hash(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = meter_min_u32(s->obs[i].kept, PREFIX);
        for (uint32_t k = 0; k < n; k++)
            meter_tally(acc, meter_mulhash8(p[k] + 256u * k));
        acc->total += n;
    }
}
