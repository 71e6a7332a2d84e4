/* \summary: network- and transport-layer decoding of one packet (IPv4/IPv6, TCP/UDP/SCTP/ICMP, tunnels opened) */
#ifndef FC_DECODE_H
#define FC_DECODE_H

/*
 * Used by fc-flow to key and count flows, and by fc-read to decide how many
 * payload bytes a packet must carry. Every byte is read through struct fc_cursor.
 * A packet of a tunnel (tunnel.h) is decoded as its inner packet: addresses, ports,
 * lengths and payload are the inner packet's, and payload_offset counts from the
 * outer network layer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fc_decode_status {
    FC_DEC_OK = 0,          /* network and transport headers decoded */
    FC_DEC_NOT_IP,          /* ethertype is not IPv4/IPv6 */
    FC_DEC_BAD_IP,          /* IP header malformed or cut short */
    FC_DEC_FRAGMENT,        /* non-first IP fragment: no transport header in it */
    FC_DEC_BAD_L4,          /* transport header cut short or malformed: flow keyed without ports */
};

struct fc_decoded {
    uint8_t ipv;            /* 4 or 6 */
    uint8_t proto;          /* transport protocol after IPv6 extension headers */
    uint8_t src[16], dst[16]; /* IPv4 uses the first 4 bytes */
    uint32_t ip_len;        /* IPv4 total length, or 40 + IPv6 payload length */
    uint16_t sport, dport;  /* TCP/UDP/SCTP; ICMP: type and code in icmp_type/icmp_code */
    bool has_ports;
    /* fragments */
    bool is_fragment;       /* part of a fragmented datagram (first or later) */
    bool more_fragments;
    uint32_t frag_id;       /* IPv4 id or IPv6 fragment header id */
    uint32_t frag_offset;   /* in bytes */
    /* TCP */
    uint8_t tcp_flags;
    uint32_t seq, ack;
    uint16_t window;
    /* ICMP / ICMPv6 */
    uint8_t icmp_type, icmp_code;
    /* payload: L4 payload as declared by headers, and what the capture holds of it */
    uint32_t payload_len;   /* from IP/UDP lengths (ICMP: after the 8-byte header; SCTP: after 12) */
    size_t payload_offset;  /* offset of the payload within the network-layer data */
    size_t payload_captured;/* payload bytes present in the data (may be < payload_len) */
    /* tunnels */
    uint8_t tunnel;         /* enum fc_tunnel_kind of the outermost tunnel opened; 0 = none */
};

/* Decodes the network-layer bytes `data` (ethertype `ethertype`), opening tunnels. */
enum fc_decode_status fc_decode(uint16_t ethertype, const uint8_t *data, size_t len, struct fc_decoded *out);
/* The same with every tunnel left closed: the outermost packet, e.g. the UDP datagram of
 * a VXLAN or GTP-U tunnel, whose flow fc-flow keeps beside the inner ones, as Zeek does. */
enum fc_decode_status fc_decode_outer(uint16_t ethertype, const uint8_t *data, size_t len, struct fc_decoded *out);

#define FC_ETHERTYPE_IPV4 0x0800
#define FC_ETHERTYPE_IPV6 0x86dd
#define FC_ETHERTYPE_MPLS_UNICAST 0x8847
#define FC_ETHERTYPE_MPLS_MULTICAST 0x8848

#define FC_TCP_FIN 0x01
#define FC_TCP_SYN 0x02
#define FC_TCP_RST 0x04
#define FC_TCP_PSH 0x08
#define FC_TCP_ACK 0x10
#define FC_TCP_URG 0x20
#define FC_TCP_ECE 0x40
#define FC_TCP_CWR 0x80

#endif
