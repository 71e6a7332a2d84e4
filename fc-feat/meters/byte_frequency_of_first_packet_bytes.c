/* \summary: meter ByteFrequencyOfFirstPacketBytes: byte values of the first 12 bytes of packets 0-7 */
#include "meter.h"

#define PACKETS 8
#define PREFIX 12

void meter_byte_frequency_of_first_packet_bytes(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = meter_min_u32(s->obs[i].kept, PREFIX);
        for (uint32_t k = 0; k < n; k++)
            meter_tally(acc, p[k]);
        acc->total += n;
    }
}
