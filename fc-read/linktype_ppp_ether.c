/* \summary: PPPoE without its Ethernet header (DLT_PPP_ETHER, 51) link-layer decoder */
#include "linktype.h"

/*
 * BSD's PPPoE interfaces capture the PPPoE session header and the PPP frame after it:
 * what ethertype 0x8864 names on Ethernet, so the shim walk (link_shims.c) reads it.
 * A frame of a PPP control protocol is then a PPPoE network layer at offset 0, not IP.
 */
bool linktype_ppp_ether_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    return linktype_strip_shims(&c, ETHERTYPE_PPPOE_SESSION, frame, out);
}
