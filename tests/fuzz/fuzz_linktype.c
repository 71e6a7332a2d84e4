/* \summary: libFuzzer harness: captured frames through fc-read's link-type decoders, then fc_decode */

/*
 * Input: 1 byte choosing a link type (from the DLTs fc-read supports, plus one it
 * does not), then the frame. Checks that a decoder either refuses the frame or
 * names a network layer inside it (offset within the frame, VLAN ids in 12 bits),
 * and feeds that network layer to fc_decode as fc-read does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "linktype.h"

/* Ethernet, Linux cooked v1/v2, raw IP (12, 14, 101), raw IPv4/IPv6, BSD null,
 * OpenBSD loopback, IEEE 802.11, PPP, PPP serial, PPPoE, Cisco HDLC, radiotap, PPI,
 * Prism, AVS, pflog, NFLOG, DLT_USER0 (unsupported: must be NULL), FDDI, Token Ring: new
 * link types go at the end, so the seeds keep their meaning. */
#define DLT_UNSUPPORTED 147
static const int dlts[] = { 1, 113, 276, 12, 14, 101, 228, 229, 0, 108, 105, 9, 50, 51, 104,
                            127, 192, 119, 163, 117, 239, DLT_UNSUPPORTED, 10, 6 };

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    if (size < 1)
        return 0;
    int dlt = dlts[input[0] % (sizeof dlts / sizeof dlts[0])];
    const uint8_t *frame = input + 1;
    size_t len = size - 1;
    const struct linktype *lt = linktype_find(dlt);
    if (!lt) {
        if (dlt != DLT_UNSUPPORTED)
            abort(); /* a link type fc-read claims to read has no decoder */
        return 0;
    }
    struct fc_netlayer nl = { 0, 0, 0, 0 };
    if (!lt->decode(frame, len, &nl))
        return 0;
    if (nl.offset > len || nl.vlan > 0x0fff || nl.vlan2 > 0x0fff) {
        fprintf(stderr, "%s: network layer at %zu of %zu bytes, vlan %u/%u\n", lt->name, nl.offset, len,
                (unsigned)nl.vlan, (unsigned)nl.vlan2);
        abort();
    }
    struct fc_decoded d;
    (void)fc_decode(nl.ethertype, frame + nl.offset, len - nl.offset, &d);
    return 0;
}
