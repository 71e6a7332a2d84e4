/* \summary: Ethernet (DLT_EN10MB) link-layer decoder, 802.1Q and QinQ tags stripped */
#include "linktype.h"

#define ETHER_ADDRS 12 /* destination and source MAC before the ethertype */

/* 802.3 frames carry a length (< 0x0600) where Ethernet II has its ethertype; that
 * value is passed on as it is, which fc-flow counts as a frame that is not IP. */
bool linktype_ethernet_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    fc_cursor_skip(&c, ETHER_ADDRS);
    uint16_t ethertype = fc_cursor_be16(&c);
    return fc_cursor_ok(&c) && linktype_strip_vlan_tags(&c, ethertype, frame, out);
}
