/* \summary: tunnels whose inner packets flows are keyed by (IP-in-IP, GRE, VXLAN, Geneve, GTP-U, Teredo, CAPWAP, GRE in UDP) */
#include "tunnel.h"

#include <string.h>

#include "bytes.h"
#include "decode.h"
#include "ieee80211.h"
#include "ppp.h"

/*
 * Each open function reads the tunnel header from c (the outer payload as captured;
 * start is its first byte) and says where the inner IP packet begins. Headers are
 * checked against what their specifications allow, so that traffic that merely uses a
 * tunnel's port is not taken apart: a header that does not fit leaves the packet as it
 * is. Lengths are checked against `declared` (the outer payload's length as its headers
 * declare it), never against what was captured, because fc-read sends fc-flow packets
 * cut after the inner headers and both must open the same tunnels.
 */

#define ETHERTYPE_TEB 0x6558         /* transparent Ethernet bridging: an Ethernet frame follows */
#define ETHERTYPE_ERSPAN_II 0x88be   /* also type I, which has no ERSPAN header */
#define ETHERTYPE_ERSPAN_III 0x22eb
#define ETHERTYPE_PPP 0x880b         /* PPTP's enhanced GRE */
#define ETHER_ADDRS 12
#define ETHER_TAGS_MAX 4             /* VLAN tags skipped in a tunnelled Ethernet frame */

/* ---- what a tunnel carries ---- */

static bool inner_is(uint16_t ethertype, const struct fc_cursor *c, const uint8_t *start, struct fc_tunnel_inner *in)
{
    if (!fc_cursor_ok(c) || (ethertype != FC_ETHERTYPE_IPV4 && ethertype != FC_ETHERTYPE_IPV6))
        return false;
    in->ethertype = ethertype;
    in->offset = (size_t)(c->p - start);
    return true;
}

/* An IP packet named only by its version nibble. */
static bool inner_ip_by_version(const struct fc_cursor *c, const uint8_t *start, struct fc_tunnel_inner *in)
{
    if (!fc_cursor_ok(c) || c->left == 0)
        return false;
    unsigned version = c->p[0] >> 4;
    return inner_is(version == 4 ? FC_ETHERTYPE_IPV4 : version == 6 ? FC_ETHERTYPE_IPV6 : 0, c, start, in);
}

/* An IP packet of the version the outer header names. */
static bool inner_ip_of_version(const struct fc_cursor *c, const uint8_t *start, uint16_t ethertype,
                                struct fc_tunnel_inner *in)
{
    return inner_ip_by_version(c, start, in) && in->ethertype == ethertype;
}

static bool is_vlan_tpid(uint16_t t) { return t == 0x8100 || t == 0x88a8 || t == 0x9100; }

/* An Ethernet frame (VXLAN, Geneve, GRE bridging, ERSPAN); its VLAN tags are not kept. */
static bool inner_ethernet(struct fc_cursor *c, const uint8_t *start, struct fc_tunnel_inner *in)
{
    fc_cursor_skip(c, ETHER_ADDRS);
    uint16_t ethertype = fc_cursor_be16(c);
    for (int tags = 0; tags < ETHER_TAGS_MAX && is_vlan_tpid(ethertype); tags++) {
        fc_cursor_skip(c, 2);
        ethertype = fc_cursor_be16(c);
    }
    return inner_is(ethertype, c, start, in);
}

/* An 802.11 data frame (CAPWAP, Aruba's GRE), framed as common/ieee80211.h says. */
static bool inner_wlan_data(struct fc_cursor *c, const uint8_t *start, unsigned framing, struct fc_tunnel_inner *in)
{
    uint16_t ethertype = fc_ieee80211_data_ethertype(c, framing);
    return inner_is(ethertype, c, start, in);
}

/* A PPP frame (PPTP): address and control may be left out (RFC 1662). */
static bool inner_ppp(struct fc_cursor *c, const uint8_t *start, struct fc_tunnel_inner *in)
{
    if (c->left >= 2 && c->p[0] == 0xff && c->p[1] == 0x03)
        fc_cursor_skip(c, 2);
    uint16_t ethertype = fc_ppp_protocol_ethertype(c);
    return inner_is(ethertype, c, start, in);
}

/* ---- the tunnels ---- */

typedef bool open_fn(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in);

/* IP protocol 4 and 41 (RFC 2003, RFC 4213 6in4): the payload is the inner packet. */
static bool open_ipv4_in_ip(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    (void)declared;
    return inner_ip_of_version(c, start, FC_ETHERTYPE_IPV4, in);
}

static bool open_ipv6_in_ip(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    (void)declared;
    return inner_ip_of_version(c, start, FC_ETHERTYPE_IPV6, in);
}

/* GRE (RFC 2784/2890; version 1 is PPTP's, RFC 2637). Flag bits of the first word: */
#define GRE_CHECKSUM 0x8000
#define GRE_ROUTING 0x4000           /* RFC 1701 source routing: obsolete, not opened */
#define GRE_KEY 0x2000
#define GRE_SEQUENCE 0x1000
#define GRE_ACK 0x0080               /* version 1 only */
#define GRE_VERSION 0x0007

/* What a GRE payload's reader needs of the GRE header. */
struct gre_header {
    uint16_t flags;
    uint16_t protocol;
};

static bool gre_ip(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g, struct fc_tunnel_inner *in)
{
    return inner_ip_of_version(c, start, g->protocol, in);
}

static bool gre_ethernet(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g,
                         struct fc_tunnel_inner *in)
{
    (void)g;
    return inner_ethernet(c, start, in);
}

/* ERSPAN type II: an 8-byte header, present when GRE carries a sequence number (type I has none). */
static bool gre_erspan_ii(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g,
                          struct fc_tunnel_inner *in)
{
    if (g->flags & GRE_SEQUENCE)
        fc_cursor_skip(c, 8);
    return inner_ethernet(c, start, in);
}

/* ERSPAN type III: a 12-byte header, then 8 more when its last bit (O) says a
 * platform-specific subheader follows. */
static bool gre_erspan_iii(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g,
                           struct fc_tunnel_inner *in)
{
    (void)g;
    const uint8_t *h = fc_cursor_take(c, 12);
    if (h && (h[11] & 1))
        fc_cursor_skip(c, 8);
    return inner_ethernet(c, start, in);
}

/* Aruba's access points send their clients' 802.11 frames to the controller in GRE with
 * protocol values of their own: 0x8200 to 0x8370 in steps of 0x10, and 0x9000 (the
 * values Wireshark's and Zeek's GRE dissectors take as Aruba's). */
static bool is_aruba_wlan(uint16_t protocol)
{
    return (protocol & 0x000f) == 0 && ((protocol >= 0x8200 && protocol <= 0x8370) || protocol == 0x9000);
}

static const struct gre_payload {
    uint16_t protocol;
    bool (*inner)(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g, struct fc_tunnel_inner *in);
} gre_payloads[] = {
    { FC_ETHERTYPE_IPV4, gre_ip },
    { FC_ETHERTYPE_IPV6, gre_ip },
    { ETHERTYPE_TEB, gre_ethernet },
    { ETHERTYPE_ERSPAN_II, gre_erspan_ii },
    { ETHERTYPE_ERSPAN_III, gre_erspan_iii },
};

static bool open_gre_v0(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g,
                        struct fc_tunnel_inner *in)
{
    if (g->flags & GRE_CHECKSUM)
        fc_cursor_skip(c, 4); /* checksum and reserved */
    if (g->flags & GRE_KEY)
        fc_cursor_skip(c, 4);
    if (g->flags & GRE_SEQUENCE)
        fc_cursor_skip(c, 4);
    for (size_t i = 0; i < sizeof gre_payloads / sizeof gre_payloads[0]; i++)
        if (gre_payloads[i].protocol == g->protocol)
            return gre_payloads[i].inner(c, start, g, in);
    return is_aruba_wlan(g->protocol) && inner_wlan_data(c, start, FC_IEEE80211_PLAIN, in);
}

/* PPTP: the key field is mandatory (payload length and call id), then sequence and
 * acknowledgement numbers when flagged; only PPP rides in it. */
static bool open_gre_v1(struct fc_cursor *c, const uint8_t *start, const struct gre_header *g,
                        struct fc_tunnel_inner *in)
{
    if (g->protocol != ETHERTYPE_PPP || !(g->flags & GRE_KEY) || (g->flags & GRE_CHECKSUM))
        return false;
    fc_cursor_skip(c, 4);
    if (g->flags & GRE_SEQUENCE)
        fc_cursor_skip(c, 4);
    if (g->flags & GRE_ACK)
        fc_cursor_skip(c, 4);
    return inner_ppp(c, start, in);
}

static bool open_gre(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    (void)declared;
    struct gre_header g;
    g.flags = fc_cursor_be16(c);
    g.protocol = fc_cursor_be16(c);
    if (!fc_cursor_ok(c) || (g.flags & GRE_ROUTING))
        return false;
    switch (g.flags & GRE_VERSION) {
    case 0:
        return open_gre_v0(c, start, &g, in);
    case 1:
        return open_gre_v1(c, start, &g, in);
    default:
        return false;
    }
}

/* VXLAN (RFC 7348): flags with I set (0x08), 3 reserved bytes, a 24-bit network id and a
 * reserved byte, then an Ethernet frame. The other flag bits and the reserved fields are
 * ignored on receipt, as the RFC says (group policy and other extensions use them). */
static bool open_vxlan(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    (void)declared;
    const uint8_t *h = fc_cursor_take(c, 8);
    return h && (h[0] & 0x08) && inner_ethernet(c, start, in);
}

/* Geneve (RFC 8926): version 0, options length in 4-byte words, protocol type. */
static bool open_geneve(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    (void)declared;
    const uint8_t *h = fc_cursor_take(c, 8);
    if (!h || h[0] >> 6 != 0)
        return false;
    fc_cursor_skip(c, (size_t)(h[0] & 0x3f) * 4);
    uint16_t protocol = fc_be16(h + 2);
    if (protocol == ETHERTYPE_TEB)
        return inner_ethernet(c, start, in);
    return inner_ip_of_version(c, start, protocol, in);
}

/* GTP-U (3GPP TS 29.281): version 1, protocol type GTP, message G-PDU (255), a length
 * that is the rest of the datagram; sequence, N-PDU and next-extension fields when
 * any of their flags is set, then the extension headers (length in 4-byte words,
 * next type in their last byte). */
#define GTP_U_GPDU 0xff
#define GTP_U_OPTIONAL_FIELDS 0x07
#define GTP_U_EXTENSION 0x04
#define GTP_U_EXTENSIONS_MAX 8

static bool open_gtp_u(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    const uint8_t *h = fc_cursor_take(c, 8);
    if (!h || h[0] >> 5 != 1 || !(h[0] & 0x10) || h[1] != GTP_U_GPDU || fc_be16(h + 2) + 8u != declared)
        return false;
    if (h[0] & GTP_U_OPTIONAL_FIELDS) {
        const uint8_t *o = fc_cursor_take(c, 4);
        uint8_t next = o && (h[0] & GTP_U_EXTENSION) ? o[3] : 0;
        for (int n = 0; next && n < GTP_U_EXTENSIONS_MAX; n++) {
            uint8_t words = fc_cursor_u8(c);
            if (words == 0)
                return false;
            const uint8_t *e = fc_cursor_take(c, (size_t)words * 4 - 1);
            next = e ? e[words * 4 - 2] : 0;
        }
        if (next)
            return false;
    }
    return inner_ip_by_version(c, start, in);
}

/* Teredo (RFC 4380): an IPv6 packet, after an optional authentication indicator
 * (0x0001, id and value lengths, id, value, 8-byte nonce, confirmation byte) and an
 * optional origin indication (0x0000 and 6 bytes); the IPv6 packet fills the rest. */
static bool open_teredo(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    if (c->left >= 4 && c->p[0] == 0 && c->p[1] == 1) {
        const uint8_t *a = fc_cursor_take(c, 4);
        fc_cursor_skip(c, (size_t)a[2] + a[3] + 9);
    }
    if (c->left >= 2 && c->p[0] == 0 && c->p[1] == 0)
        fc_cursor_skip(c, 8);
    if (!inner_ip_of_version(c, start, FC_ETHERTYPE_IPV6, in) || c->left < 6)
        return false;
    return in->offset + 40 + fc_be16(c->p + 4) == declared;
}

/* CAPWAP data channel (RFC 5415 §4.3; RFC 5416 for the IEEE 802.11 binding): preamble
 * version 0 and type 0 (type 1 is a DTLS-encrypted channel, which cannot be opened);
 * then HLEN (header length in 4-byte words, the radio MAC and wireless information
 * within it), radio id, wireless binding id and the flags T (the payload is in the
 * binding's native format, else an Ethernet frame), F (a fragment) and K (keep-alive,
 * no payload). A native 802.11 frame must be a data frame that is not protected, with a
 * SNAP header naming IP. Cisco's controllers send the frame control field's two bytes
 * swapped (Wireshark's CAPWAP "swap frame control" setting, on by default): a field
 * that is not a data frame's as it stands is read swapped. */
#define CAPWAP_T 0x100
#define CAPWAP_F 0x080
#define CAPWAP_K 0x008
#define CAPWAP_BINDING_IEEE_802_11 1

static bool open_capwap(struct fc_cursor *c, const uint8_t *start, uint32_t declared, struct fc_tunnel_inner *in)
{
    (void)declared;
    const uint8_t *h = fc_cursor_take(c, 8);
    if (!h || h[0] != 0)
        return false;
    uint32_t word = (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
    unsigned hlen = word >> 19, binding = (word >> 9) & 0x1f;
    if (hlen < 2 || (word & (CAPWAP_F | CAPWAP_K)))
        return false;
    fc_cursor_skip(c, hlen * 4u - 8);
    if (!(word & CAPWAP_T))
        return inner_ethernet(c, start, in);
    return binding == CAPWAP_BINDING_IEEE_802_11 && inner_wlan_data(c, start, FC_IEEE80211_MAYBE_SWAPPED, in);
}

static const struct tunnel {
    enum fc_tunnel_kind kind;
    const char *name;
    uint8_t ip_proto;
    uint16_t udp_port;               /* 0: recognised by ip_proto alone */
    open_fn *open;
} tunnels[] = {
    { FC_TUNNEL_IP_IN_IP, "IP-in-IP", 4, 0, open_ipv4_in_ip },
    { FC_TUNNEL_IP_IN_IP, "IP-in-IP", 41, 0, open_ipv6_in_ip },
    { FC_TUNNEL_GRE, "GRE", 47, 0, open_gre },
    { FC_TUNNEL_VXLAN, "VXLAN", 17, 4789, open_vxlan },
    { FC_TUNNEL_GENEVE, "Geneve", 17, 6081, open_geneve },
    { FC_TUNNEL_GTP_U, "GTP-U", 17, 2152, open_gtp_u },
    { FC_TUNNEL_TEREDO, "Teredo", 17, 3544, open_teredo },
    { FC_TUNNEL_CAPWAP, "CAPWAP", 17, 5247, open_capwap },
    { FC_TUNNEL_GRE_UDP, "GRE-in-UDP", 17, 4754, open_gre },
};

enum fc_tunnel_kind fc_tunnel_open(uint8_t ip_proto, uint16_t sport, uint16_t dport, const uint8_t *payload,
                                   size_t len, uint32_t declared, struct fc_tunnel_inner *inner)
{
    for (size_t i = 0; i < sizeof tunnels / sizeof tunnels[0]; i++) {
        const struct tunnel *t = &tunnels[i];
        if (t->ip_proto != ip_proto || (t->udp_port && sport != t->udp_port && dport != t->udp_port))
            continue;
        struct fc_cursor c = fc_cursor_make(payload, len);
        if (t->open(&c, payload, declared, inner))
            return t->kind;
    }
    return FC_TUNNEL_NONE;
}

bool fc_tunnel_over_udp(enum fc_tunnel_kind kind)
{
    for (size_t i = 0; i < sizeof tunnels / sizeof tunnels[0]; i++)
        if (tunnels[i].kind == kind)
            return tunnels[i].udp_port != 0;
    return false;
}

enum fc_tunnel_kind fc_tunnel_kind_named(const char *name)
{
    for (size_t i = 0; i < sizeof tunnels / sizeof tunnels[0]; i++)
        if (strcmp(tunnels[i].name, name) == 0)
            return tunnels[i].kind;
    return FC_TUNNEL_NONE;
}

const char *fc_tunnel_name(enum fc_tunnel_kind kind)
{
    for (size_t i = 0; i < sizeof tunnels / sizeof tunnels[0]; i++)
        if (tunnels[i].kind == kind)
            return tunnels[i].name;
    return "";
}
