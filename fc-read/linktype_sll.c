/* \summary: Linux cooked capture v1 (DLT_LINUX_SLL, 113) link-layer decoder */
#include "linktype.h"

/*
 * 16-byte header: packet type (2), ARPHRD type (2), link address length (2), link
 * address (8), protocol (2). The protocol is an ethertype for everything but a few
 * Linux-internal values below 0x0600 (802.3, 802.2 LLC, CAN), which pass on as not IP.
 * libpcap reinserts the VLAN tags the kernel stripped after the header, so they are
 * walked as on Ethernet.
 */
#define SLL_BEFORE_PROTOCOL 14

bool linktype_sll_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    return linktype_decode_ethertype_header(frame, len, SLL_BEFORE_PROTOCOL, out);
}
