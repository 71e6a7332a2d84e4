/* \summary: libFuzzer harness: bytes as a TZSP datagram through fc-read's parser, then the frame's decoder */

/*
 * Input: one UDP payload, as fc-read tzsp:PORT receives it. Checks that the parser
 * either refuses it with a reason, or names a frame that lies inside the datagram (not
 * empty) with a known link type, and feeds that frame to the link type's decoder and
 * fc_decode as fc-read does.
 *
 * Seeds (corpus/fuzz_tzsp): frames of tests/data/demo.pcap wrapped as tests/tools/tzsp_send
 * wraps them (padding, an RX-channel tag, the end tag), a raw-IP and an 802.11 datagram,
 * a keep-alive, and a tag longer than its datagram.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "linktype.h"
#include "tzsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    struct tzsp_frame t;
    const char *why = NULL;
    enum tzsp_result r = tzsp_parse(input, size, &t, &why);
    if (r == TZSP_MALFORMED && !why) {
        fprintf(stderr, "malformed datagram without a reason\n");
        abort();
    }
    if (r != TZSP_FRAME)
        return 0;
    if (t.frame < input || t.len == 0 || t.frame + t.len != input + size || t.dlt < 0) {
        fprintf(stderr, "frame outside the datagram: at %td, %zu bytes of %zu, dlt %d\n", t.frame - input, t.len,
                size, t.dlt);
        abort();
    }
    const struct linktype *lt = linktype_find(t.dlt);
    struct fc_netlayer nl = { 0, 0, 0, 0 };
    if (lt && lt->decode(t.frame, t.len, &nl)) {
        if (nl.offset > t.len) {
            fprintf(stderr, "network layer outside the frame\n");
            abort();
        }
        struct fc_decoded d;
        (void)fc_decode(nl.ethertype, t.frame + nl.offset, t.len - nl.offset, &d);
    }
    return 0;
}
