/* \summary: meter First4PacketsByteFrequency: byte values (mod 64) of packets 0-3, by packet number */
#include "meter.h"

/* Every kept byte of packets 0-3: bin = (byte mod 64) + 64 * pkt. */
#define PACKETS 4

void meter_first4_packets_byte_frequency(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n && i < PACKETS; i++) {
        const uint8_t *p = s->obs[i].bytes;
        uint32_t n = s->obs[i].kept, *count = acc->count + 64 * i;
        meter_count_bytes(count, p, n, 63);
        acc->total += n;
    }
}
