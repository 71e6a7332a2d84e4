/* \summary: IEEE 802.5 Token Ring (DLT_IEEE802, 6) link-layer decoder */
#include "linktype.h"

#include "llc.h"

/*
 * Access control, frame control, destination and source addresses (14 bytes); a source
 * address with its first bit set says a routing information field follows, its length
 * in the low 5 bits of its first byte (2 to 30 bytes); then IP behind an LLC/SNAP header.
 */
#define TR_HEADER 14
#define TR_SOURCE 8
#define TR_ROUTED 0x80
#define TR_RIF_LENGTH 0x1f
#define TR_RIF_MIN 2

bool linktype_token_ring_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    const uint8_t *h = fc_cursor_take(&c, TR_HEADER);
    if (!h)
        return false;
    if (h[TR_SOURCE] & TR_ROUTED) {
        if (c.left == 0 || (c.p[0] & TR_RIF_LENGTH) < TR_RIF_MIN)
            return false;
        fc_cursor_skip(&c, c.p[0] & TR_RIF_LENGTH);
    }
    uint16_t ethertype = fc_llc_snap_ethertype(&c);
    return ethertype && linktype_strip_shims(&c, ethertype, frame, out);
}
