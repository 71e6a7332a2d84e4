/* \summary: Ethernet (DLT_EN10MB) link-layer decoder, VLAN tags, PPPoE and MPLS stripped */
#include "linktype.h"

/* 802.3 frames carry a length where Ethernet II has its ethertype; the header walk
 * (link_shims.c) reads the LLC/SNAP header that IP has in them. */
bool linktype_ethernet_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    return linktype_decode_ethertype_header(frame, len, ETHER_ADDRS, out);
}
