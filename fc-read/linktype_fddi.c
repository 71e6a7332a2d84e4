/* \summary: FDDI (DLT_FDDI, 10) link-layer decoder */
#include "linktype.h"

#include "llc.h"

/*
 * FDDI rings (old campus backbones, and the LBL traces of the 1990s): frame control,
 * destination and source addresses (13 bytes), then IP behind an LLC/SNAP header.
 * (Captures made on a few BSDs put 3 bytes of padding first; Wireshark, like fc-read,
 * does not assume them.)
 */
#define FDDI_HEADER 13

bool linktype_fddi_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    fc_cursor_skip(&c, FDDI_HEADER);
    uint16_t ethertype = fc_llc_snap_ethertype(&c);
    return ethertype && linktype_strip_shims(&c, ethertype, frame, out);
}
