/* \summary: meter First4PacketsFirst32BytesEquality: which of the first 32 bytes repeat the previous packet's */
#include "meter.h"

/*
 * For packets 1-3: a 32-bit mask, bit k set when byte k exists in both this and
 * the previous packet and is equal; bin = CRC-32 of the mask (4 bytes,
 * little-endian) mod 256. Catches fixed headers, counters and echoed fields.
 */
#define PACKETS 4
#define PREFIX 32

void meter_first4_packets_first32_bytes_equality(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 1; i < s->n && i < PACKETS; i++) {
        const struct meter_obs *prev = &s->obs[i - 1], *cur = &s->obs[i];
        uint32_t n = meter_min_u32(meter_min_u32(prev->kept, cur->kept), PREFIX), mask = 0;
        for (uint32_t k = 0; k < n; k++)
            if (prev->bytes[k] == cur->bytes[k])
                mask |= 1u << k;
        uint8_t le[4] = { (uint8_t)mask, (uint8_t)(mask >> 8), (uint8_t)(mask >> 16), (uint8_t)(mask >> 24) };
        meter_emit(acc, meter_crc32(0, le, sizeof le) & 0xFF);
    }
}
