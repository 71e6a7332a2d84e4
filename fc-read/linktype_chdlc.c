/* \summary: Cisco HDLC (DLT_C_HDLC, 104) link-layer decoder */
#include "linktype.h"

/*
 * 4-byte header: address (0x0f unicast, 0x8f broadcast), control (0x00), then an
 * ethertype: IPv4, IPv6, MPLS (walked as on Ethernet), or Cisco's own SLARP (0x8035)
 * and CDP (0x2000), which pass on as not IP. The address and control bytes are not
 * checked: nothing else is carried under this link type.
 */
#define CHDLC_BEFORE_PROTOCOL 2
#define CHDLC_UNICAST 0x0f
#define CHDLC_BROADCAST 0x8f

bool linktype_chdlc_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    return linktype_decode_ethertype_header(frame, len, CHDLC_BEFORE_PROTOCOL, out);
}

bool linktype_is_chdlc_frame(const uint8_t *frame, size_t len)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    uint8_t address = fc_cursor_u8(&c);
    return fc_cursor_ok(&c) && (address == CHDLC_UNICAST || address == CHDLC_BROADCAST);
}
