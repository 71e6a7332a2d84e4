/* \summary: Ethernet (DLT_EN10MB) link-layer decoder, VLAN tags, PPPoE and MPLS stripped */
#include "linktype.h"

/* 802.3 frames carry a length (< 0x0600) where Ethernet II has its ethertype; that
 * value is passed on as it is, which fc-flow counts as a frame that is not IP. */
bool linktype_ethernet_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    return linktype_decode_ethertype_header(frame, len, ETHER_ADDRS, out);
}
