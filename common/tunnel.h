/* \summary: tunnels whose inner packets flows are keyed by (IP-in-IP, GRE, VXLAN, Geneve, GTP-U, Teredo, CAPWAP, GRE in UDP) */
#ifndef FC_TUNNEL_H
#define FC_TUNNEL_H

/*
 * A tunnel's packets carry the traffic a user asks about inside them: a conversation
 * through a GRE or VXLAN overlay, a phone's connection in GTP-U, an IPv6 host behind
 * 6in4 or Teredo. As Zeek and Suricata do, fc_decode opens these tunnels and keys the
 * flow by the inner packet, so each inner conversation is a flow of its own and its
 * payload is what the meters see (decode.c). A tunnel is recognised by its outer IP
 * protocol (IP-in-IP, GRE) or by its registered UDP port (VXLAN, Geneve, GTP-U, Teredo,
 * CAPWAP, GRE in UDP)
 * and only when its header is sound; anything else stays the outer packet. Adding a
 * tunnel is one open function and one line in tunnels[] (tunnel.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fc_tunnel_kind {
    FC_TUNNEL_NONE = 0,
    FC_TUNNEL_IP_IN_IP,   /* IPv4 or IPv6 in IPv4 or IPv6 (IP protocols 4, 41) */
    FC_TUNNEL_GRE,        /* GRE, including transparent Ethernet bridging, ERSPAN and PPTP */
    FC_TUNNEL_VXLAN,
    FC_TUNNEL_GENEVE,
    FC_TUNNEL_GTP_U,
    FC_TUNNEL_TEREDO,
    FC_TUNNEL_CAPWAP,     /* the data channel of wireless access points and their controller */
    FC_TUNNEL_GRE_UDP,    /* GRE in UDP (RFC 8086) */
};

/* Where the inner packet starts within the outer packet's payload, and what it is. */
struct fc_tunnel_inner {
    uint16_t ethertype;   /* FC_ETHERTYPE_IPV4 or FC_ETHERTYPE_IPV6 (decode.h) */
    size_t offset;        /* from the start of the outer transport payload */
};

/*
 * The tunnel the outer packet (IP protocol ip_proto; UDP ports sport/dport when
 * ip_proto is UDP) opens onto, with its inner packet in *inner; FC_TUNNEL_NONE when
 * it is not a tunnel, its header is damaged or cut short, or it carries no IP packet
 * (a VXLAN ARP frame, a GRE keepalive). payload/len: the outer payload as captured;
 * declared: its length as the outer headers declare it.
 */
enum fc_tunnel_kind fc_tunnel_open(uint8_t ip_proto, uint16_t sport, uint16_t dport, const uint8_t *payload,
                                   size_t len, uint32_t declared, struct fc_tunnel_inner *inner);

/* The tunnel's name as records carry it ("GRE", "VXLAN", ...); "" for FC_TUNNEL_NONE. */
const char *fc_tunnel_name(enum fc_tunnel_kind kind);
/* Whether the tunnel rides in UDP datagrams (VXLAN, Geneve, GTP-U, Teredo, CAPWAP), whose
 * own flow between the tunnel endpoints fc-flow keeps. */
bool fc_tunnel_over_udp(enum fc_tunnel_kind kind);
/* The kind of that name; FC_TUNNEL_NONE for any other text. */
enum fc_tunnel_kind fc_tunnel_kind_named(const char *name);

#endif
