/* \summary: PPP's protocol field: how long it is, and which PPP protocols carry a network layer */
#include "ppp.h"

#include "decode.h"

/*
 * PPP (RFC 1661) names what a frame carries with a 2-byte protocol number whose first
 * byte is even and whose last byte is odd. A link that negotiated protocol-field
 * compression sends the numbers below 0x100 as their last byte alone, so an odd first
 * byte is a whole 1-byte field. Only the protocols below carry a network layer FlowCarp
 * reads (fc-read's PPP link types and PPPoE, and PPTP's GRE tunnels); the control protocols (LCP 0xc021, IPCP 0x8021, CCP 0x80fd, ...) do not.
 */
#define PPP_PFC_BIT 0x01

static const struct {
    uint16_t protocol;
    uint16_t ethertype;
} ppp_protocols[] = {
    { 0x0021, FC_ETHERTYPE_IPV4 },
    { 0x0057, FC_ETHERTYPE_IPV6 },
    { 0x0281, FC_ETHERTYPE_MPLS_UNICAST },
    { 0x0283, FC_ETHERTYPE_MPLS_MULTICAST },
};

uint16_t fc_ppp_protocol_ethertype(struct fc_cursor *c)
{
    uint16_t protocol = fc_cursor_u8(c);
    if (!(protocol & PPP_PFC_BIT))
        protocol = (uint16_t)(protocol << 8 | fc_cursor_u8(c));
    if (!fc_cursor_ok(c))
        return 0;
    for (size_t i = 0; i < sizeof ppp_protocols / sizeof ppp_protocols[0]; i++)
        if (ppp_protocols[i].protocol == protocol)
            return ppp_protocols[i].ethertype;
    return 0;
}
