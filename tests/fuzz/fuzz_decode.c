/* \summary: libFuzzer harness: network-layer bytes through fc_decode (IPv4/IPv6 and transport headers) */

/*
 * Input: 2 bytes of ethertype (big-endian, 0x0800 or 0x86dd reach the decoders),
 * then the network-layer bytes. Besides "no crash, no read past the data", the
 * decoder's promises about lengths are checked, because fc-read cuts packets and
 * fc-flow samples payload by them: the payload it points at lies inside the data
 * and is never more than the headers declare.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"

/* Every byte a decoder points at is read into this, so ASan sees any pointer past the data. */
static volatile uint8_t touched;

/* The payload may start past the captured bytes (a header cut by the capture's snap
 * length), but then none of it is said to be captured. */
static void check_payload(const struct fc_decoded *d, const uint8_t *data, size_t len)
{
    bool inside = d->payload_captured == 0 ||
                  (d->payload_offset <= len && d->payload_captured <= len - d->payload_offset);
    if (!inside || d->payload_captured > d->payload_len) {
        fprintf(stderr, "payload outside the data: offset %zu captured %zu declared %u of %zu bytes\n",
                d->payload_offset, d->payload_captured, (unsigned)d->payload_len, len);
        abort();
    }
    for (size_t i = 0; i < d->payload_captured; i++)
        touched ^= data[d->payload_offset + i];
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    if (size < 2)
        return 0;
    uint16_t ethertype = (uint16_t)(input[0] << 8 | input[1]);
    const uint8_t *data = input + 2;
    size_t len = size - 2;
    struct fc_decoded d;
    enum fc_decode_status s = fc_decode(ethertype, data, len, &d);
    switch (s) {
    case FC_DEC_OK:
    case FC_DEC_FRAGMENT:
    case FC_DEC_BAD_L4:
        if (d.ipv != 4 && d.ipv != 6)
            abort(); /* addresses were promised */
        check_payload(&d, data, len);
        if (s == FC_DEC_OK && d.is_fragment && d.frag_offset != 0)
            abort(); /* a later fragment must never be decoded as a transport header */
        break;
    case FC_DEC_NOT_IP:
        if (ethertype == FC_ETHERTYPE_IPV4 || ethertype == FC_ETHERTYPE_IPV6)
            abort();
        break;
    case FC_DEC_BAD_IP:
        break;
    default:
        abort();
    }
    return 0;
}
