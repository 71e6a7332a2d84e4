/* \summary: Ethernet (DLT_EN10MB) link-layer decoder, VLAN tags, PPPoE and MPLS stripped */
#include "linktype.h"

#include "llc.h"

/* 802.3 frames carry a length (up to 1500) where Ethernet II has its ethertype. IP in
 * such a frame is behind an LLC/SNAP header (RFC 1042), whose ethertype is walked on;
 * any other 802.3 frame (spanning tree, CDP, NetBIOS over LLC) passes its length on as
 * it is, which fc-flow counts as a frame that is not IP. */
#define ETHER_MAX_LENGTH 1500

bool linktype_ethernet_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    fc_cursor_skip(&c, ETHER_ADDRS);
    uint16_t ethertype = fc_cursor_be16(&c);
    if (!fc_cursor_ok(&c))
        return false;
    if (ethertype <= ETHER_MAX_LENGTH) {
        struct fc_cursor llc = c;
        uint16_t snap = fc_llc_snap_ethertype(&llc);
        if (snap) {
            c = llc;
            ethertype = snap;
        }
    }
    return linktype_strip_shims(&c, ethertype, frame, out);
}
