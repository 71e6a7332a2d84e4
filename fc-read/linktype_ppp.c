/* \summary: PPP link types (DLT_PPP 9, DLT_PPP_SERIAL 50), and the Cisco HDLC routers write under them */
#include "linktype.h"

#include "ppp.h"

/*
 * A PPP frame may start with the HDLC-like framing of RFC 1662, address 0xff and control
 * 0x03, or go without it (libpcap's definition of DLT_PPP allows both; a link may have
 * negotiated address-and-control-field compression); then comes the protocol field
 * (common/ppp.c) and the network layer, walked on as after an ethertype (MPLS). Frames
 * of other PPP protocols (LCP, IPCP, ...) have no ethertype to be named by, so they
 * travel raw.
 *
 * Routers running Cisco HDLC on a serial line are captured under these link types too
 * (libpcap documents it for DLT_PPP_SERIAL; Wireshark reads DLT_PPP the same way, and
 * such DLT_PPP captures exist): an address byte of 0x0f or 0x8f marks that framing.
 */
#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03

bool linktype_ppp_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (linktype_is_chdlc_frame(frame, len))
        return linktype_chdlc_decode(frame, len, out);
    struct fc_cursor c = fc_cursor_make(frame, len);
    struct fc_cursor after_framing = c;
    if (fc_cursor_u8(&after_framing) == PPP_ADDRESS && fc_cursor_u8(&after_framing) == PPP_CONTROL)
        c = after_framing;
    uint16_t ethertype = fc_ppp_protocol_ethertype(&c);
    return ethertype != 0 && linktype_strip_shims(&c, ethertype, frame, out);
}
