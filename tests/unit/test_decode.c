/* \summary: unit tests of the IP/L4 decoder on hand-built packets */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "decode.h"
#include "tunnel.h"
#include "unit.h"

/* Builds an IPv4 header at p (20 bytes, no options); returns 20. */
static size_t ipv4(uint8_t *p, uint8_t proto, uint16_t total, uint16_t id, uint16_t frag)
{
    static const uint8_t src[4] = { 10, 0, 0, 1 }, dst[4] = { 10, 0, 0, 2 };
    memset(p, 0, 20);
    p[0] = 0x45;
    fc_put_be16(p + 2, total);
    fc_put_be16(p + 4, id);
    fc_put_be16(p + 6, frag);
    p[8] = 64;
    p[9] = proto;
    memcpy(p + 12, src, 4);
    memcpy(p + 16, dst, 4);
    return 20;
}

/* Builds an IPv6 header at p; returns 40. */
static size_t ipv6(uint8_t *p, uint8_t next, uint16_t plen)
{
    memset(p, 0, 40);
    p[0] = 0x60;
    fc_put_be16(p + 4, plen);
    p[6] = next;
    p[7] = 64;
    p[8] = 0x20, p[9] = 0x01, p[23] = 1;  /* 2001::1 */
    p[24] = 0x20, p[25] = 0x01, p[39] = 2; /* 2001::2 */
    return 40;
}

static size_t tcp(uint8_t *p, uint16_t sport, uint16_t dport, uint8_t doff_words, uint8_t flags)
{
    memset(p, 0, (size_t)doff_words * 4);
    fc_put_be16(p, sport);
    fc_put_be16(p + 2, dport);
    fc_put_be32(p + 4, 1000);
    fc_put_be32(p + 8, 2000);
    p[12] = (uint8_t)(doff_words << 4);
    p[13] = flags;
    fc_put_be16(p + 14, 512);
    return (size_t)doff_words * 4;
}

static size_t udp(uint8_t *p, uint16_t sport, uint16_t dport, uint16_t len)
{
    fc_put_be16(p, sport);
    fc_put_be16(p + 2, dport);
    fc_put_be16(p + 4, len);
    fc_put_be16(p + 6, 0);
    return 8;
}

static void test_ipv4_tcp(void)
{
    uint8_t b[100];
    size_t n = ipv4(b, 6, 20 + 24 + 10, 7, 0);
    n += tcp(b + n, 1234, 80, 6, FC_TCP_SYN | FC_TCP_ACK);
    memset(b + n, 'x', 10);
    n += 10;
    struct fc_decoded d;
    CHECK("ipv4_tcp_decodes", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK);
    CHECK("ipv4_tcp_ports", d.has_ports && d.sport == 1234 && d.dport == 80 && d.proto == 6 && d.ipv == 4);
    CHECK("ipv4_tcp_fields", d.tcp_flags == 0x12 && d.seq == 1000 && d.ack == 2000 && d.window == 512);
    CHECK("ipv4_tcp_payload_after_options", d.payload_offset == 44 && d.payload_len == 10 && d.payload_captured == 10);
    CHECK("ipv4_addresses", d.src[0] == 10 && d.src[3] == 1 && d.dst[3] == 2 && d.ip_len == 54);
    CHECK("ipv4_unfragmented", !d.is_fragment);

    /* Ethernet padding after the datagram is not payload. */
    uint8_t padded[100];
    memcpy(padded, b, n);
    memset(padded + n, 0, 6);
    CHECK("ipv4_padding_not_payload",
          fc_decode(FC_ETHERTYPE_IPV4, padded, n + 6, &d) == FC_DEC_OK && d.payload_captured == 10);
    /* A cut capture: payload declared but not present. */
    CHECK("ipv4_cut_payload_declared_not_captured",
          fc_decode(FC_ETHERTYPE_IPV4, b, 44 + 3, &d) == FC_DEC_OK && d.payload_len == 10 && d.payload_captured == 3);
    /* TCP options cut off: still ports and flags. */
    CHECK("tcp_options_cut_keeps_ports",
          fc_decode(FC_ETHERTYPE_IPV4, b, 40, &d) == FC_DEC_OK && d.sport == 1234 && d.payload_captured == 0);
    CHECK("tcp_header_cut_is_bad_l4",
          fc_decode(FC_ETHERTYPE_IPV4, b, 30, &d) == FC_DEC_BAD_L4 && !d.has_ports && d.proto == 6 && d.ipv == 4);
    b[20 + 12] = 0x40; /* data offset 4 words < 5 */
    CHECK("tcp_data_offset_below_5_is_bad_l4", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_BAD_L4);
    b[20 + 12] = 0xf0; /* 60 bytes > the 34 the IP header gives TCP */
    CHECK("tcp_data_offset_beyond_datagram_is_bad_l4", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_BAD_L4);
}

static void test_ipv4_bad_headers(void)
{
    uint8_t b[60];
    size_t n = ipv4(b, 17, 28, 1, 0);
    n += udp(b + n, 53, 53, 8);
    struct fc_decoded d;
    CHECK("ipv4_short_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV4, b, 19, &d) == FC_DEC_BAD_IP);
    b[0] = 0x44;
    CHECK("ipv4_ihl_below_5_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_BAD_IP);
    b[0] = 0x4f;
    CHECK("ipv4_ihl_beyond_capture_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_BAD_IP);
    b[0] = 0x55;
    CHECK("ipv4_wrong_version_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_BAD_IP);
    b[0] = 0x45;
    fc_put_be16(b + 2, 12);
    CHECK("ipv4_total_below_header_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_BAD_IP);
    CHECK("not_ip_ethertype", fc_decode(0x0806, b, n, &d) == FC_DEC_NOT_IP);
    fc_put_be16(b + 2, 0);
    CHECK("ipv4_total_zero_tso_uses_capture",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.ip_len == 28 && d.dport == 53);
}

static void test_ipv4_fragments(void)
{
    uint8_t b[80];
    /* First fragment: UDP header with the whole datagram's length (8 + 100). */
    size_t n = ipv4(b, 17, 20 + 8 + 32, 0x4242, 0x2000);
    n += udp(b + n, 5000, 53, 108);
    memset(b + n, 'a', 32);
    n += 32;
    struct fc_decoded d;
    CHECK("ipv4_first_fragment_decodes_ports",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.sport == 5000 && d.dport == 53);
    CHECK("ipv4_first_fragment_marked", d.is_fragment && d.more_fragments && d.frag_id == 0x4242 && d.frag_offset == 0);
    CHECK("ipv4_first_fragment_udp_payload_is_datagrams", d.payload_len == 100 && d.payload_captured == 32);
    /* Later fragment at offset 40: its first bytes look like a UDP header and must not be read as one. */
    n = ipv4(b, 17, 20 + 40, 0x4242, 5);
    udp(b + n, 1, 2, 40);
    n += 40;
    CHECK("ipv4_later_fragment_status", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_FRAGMENT);
    CHECK("ipv4_later_fragment_fields",
          d.is_fragment && !d.more_fragments && d.frag_offset == 40 && d.frag_id == 0x4242 && d.proto == 17);
    CHECK("ipv4_later_fragment_no_ports", !d.has_ports && d.sport == 0 && d.ip_len == 60 && d.src[3] == 1);
}

static void test_ipv6_ext_headers(void)
{
    uint8_t b[200];
    /* hop-by-hop (8) -> routing (24) -> AH (len 4 -> 24 bytes) -> destination options (16) -> TCP */
    size_t n = ipv6(b, 0, 0);
    size_t start = n;
    b[n] = 43, b[n + 1] = 0, memset(b + n + 2, 1, 6), n += 8;
    b[n] = 51, b[n + 1] = 2, memset(b + n + 2, 0, 22), n += 24;
    b[n] = 60, b[n + 1] = 4, memset(b + n + 2, 0, 22), n += 24;
    b[n] = 6, b[n + 1] = 1, memset(b + n + 2, 0, 14), n += 16;
    size_t tcp_at = n;
    n += tcp(b + n, 443, 50000, 5, FC_TCP_ACK);
    memcpy(b + n, "hello", 5), n += 5;
    fc_put_be16(b + 4, (uint16_t)(n - start));
    struct fc_decoded d;
    CHECK("ipv6_ext_chain_decodes", fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_OK);
    CHECK("ipv6_ext_chain_reaches_tcp", d.proto == 6 && d.sport == 443 && d.dport == 50000 && d.ipv == 6);
    CHECK("ipv6_ah_length_in_4_byte_units", d.payload_offset == tcp_at + 20 && d.payload_len == 5);
    CHECK("ipv6_ip_len", d.ip_len == n && d.src[15] == 1 && d.dst[15] == 2);
    CHECK("ipv6_ext_cut_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV6, b, start + 20, &d) == FC_DEC_BAD_IP);
    fc_put_be16(b + 4, 30); /* declared payload ends inside the AH header */
    CHECK("ipv6_ext_beyond_declared_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_BAD_IP);

    /* ESP stops the walk: it becomes the port-less protocol. */
    n = ipv6(b, 50, 16);
    memset(b + n, 0xee, 16), n += 16;
    CHECK("ipv6_esp_is_portless",
          fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_OK && d.proto == 50 && !d.has_ports && d.payload_len == 16);
    n = ipv6(b, 59, 0);
    CHECK("ipv6_no_next_header", fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_OK && d.proto == 59);
    CHECK("ipv6_short_is_bad_ip", fc_decode(FC_ETHERTYPE_IPV6, b, 39, &d) == FC_DEC_BAD_IP);
    /* mobility (135) is skipped like other extension headers */
    n = ipv6(b, 135, 8 + 8);
    b[n] = 17, b[n + 1] = 0, memset(b + n + 2, 0, 6), n += 8;
    n += udp(b + n, 7, 9, 8);
    CHECK("ipv6_mobility_header_skipped",
          fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_OK && d.proto == 17 && d.dport == 9 && d.payload_len == 0);
}

static void test_ipv6_fragments(void)
{
    uint8_t b[120];
    size_t n = ipv6(b, 44, 8 + 8 + 16);
    b[n] = 17, b[n + 1] = 0;
    fc_put_be16(b + n + 2, 0x0001); /* offset 0, M */
    fc_put_be32(b + n + 4, 0xabcdef01);
    n += 8;
    n += udp(b + n, 123, 123, 8 + 48);
    memset(b + n, 'z', 16), n += 16;
    struct fc_decoded d;
    CHECK("ipv6_first_fragment_decodes",
          fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_OK && d.dport == 123 && d.is_fragment);
    CHECK("ipv6_first_fragment_fields", d.frag_id == 0xabcdef01 && d.more_fragments && d.payload_len == 48);
    n = ipv6(b, 44, 8 + 32);
    b[n] = 17, b[n + 1] = 0;
    fc_put_be16(b + n + 2, 24 << 3); /* offset 24 bytes... in 8-byte units shifted: 0x00c0 */
    fc_put_be32(b + n + 4, 0xabcdef01);
    n += 8;
    udp(b + n, 1, 2, 3);
    n += 32;
    CHECK("ipv6_later_fragment_status", fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_FRAGMENT);
    CHECK("ipv6_later_fragment_fields",
          d.proto == 17 && d.frag_offset == 192 && !d.more_fragments && d.frag_id == 0xabcdef01 && !d.has_ports);
}

static void test_udp_sctp_icmp(void)
{
    uint8_t b[100];
    size_t n = ipv4(b, 17, 20 + 8 + 4, 1, 0);
    n += udp(b + n, 1111, 2222, 8 + 4);
    memcpy(b + n, "abcd", 4), n += 4;
    struct fc_decoded d;
    CHECK("udp_length_field", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.payload_len == 4 &&
                                  d.payload_offset == 28 && d.payload_captured == 4);
    fc_put_be16(b + 24, 9000);
    CHECK("udp_length_beyond_ip_clamped", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.payload_len == 4);
    fc_put_be16(b + 24, 9);
    CHECK("udp_length_shorter_than_ip_wins", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.payload_len == 1);

    n = ipv4(b, 132, 20 + 12 + 16, 1, 0);
    fc_put_be16(b + n, 2905), fc_put_be16(b + n + 2, 36412), memset(b + n + 4, 0, 8), n += 12;
    memset(b + n, 1, 16), n += 16;
    CHECK("sctp_ports_and_payload", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.sport == 2905 &&
                                        d.dport == 36412 && d.payload_len == 16 && d.payload_offset == 32);

    n = ipv4(b, 1, 20 + 8 + 56, 1, 0);
    b[n] = 8, b[n + 1] = 0, memset(b + n + 2, 0, 6), n += 8;
    memset(b + n, 2, 56), n += 56;
    CHECK("icmp_type_code_payload", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.icmp_type == 8 &&
                                        d.icmp_code == 0 && d.payload_len == 56 && d.payload_offset == 28);
    CHECK("icmp_short_is_bad_l4", fc_decode(FC_ETHERTYPE_IPV4, b, 21, &d) == FC_DEC_BAD_L4);

    n = ipv6(b, 58, 8 + 4);
    b[n] = 129, b[n + 1] = 0, memset(b + n + 2, 0, 6), n += 8;
    memset(b + n, 3, 4), n += 4;
    CHECK("icmpv6_type_payload",
          fc_decode(FC_ETHERTYPE_IPV6, b, n, &d) == FC_DEC_OK && d.icmp_type == 129 && d.payload_len == 4);

    n = ipv4(b, 47, 20 + 10, 1, 0);
    memset(b + n, 0, 10), n += 10;
    CHECK("other_protocol_portless_ip_payload", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK &&
                                                    d.proto == 47 && !d.has_ports && d.payload_len == 10);
}


/* ---- tunnels ---- */

/* The inner packet of every tunnel test: IPv4 UDP 5000 -> 53 with 4 payload bytes (32 bytes). */
static size_t inner_udp(uint8_t *p)
{
    size_t n = ipv4(p, 17, 32, 9, 0);
    n += udp(p + n, 5000, 53, 12);
    memcpy(p + n, "abcd", 4);
    return n + 4;
}

/* An Ethernet header with one 802.1Q tag, then ethertype; returns 18. */
static size_t ether_tagged(uint8_t *p, uint16_t ethertype)
{
    memset(p, 0x02, 12);
    fc_put_be16(p + 12, 0x8100);
    fc_put_be16(p + 14, 7);
    fc_put_be16(p + 16, ethertype);
    return 18;
}

/* Outer IPv4 UDP to port `port` around `head` (the tunnel header) and the inner packet. */
static size_t udp_tunnel(uint8_t *b, uint16_t port, const uint8_t *head, size_t head_len, bool inner)
{
    uint8_t in[64];
    size_t in_len = inner ? inner_udp(in) : 0;
    size_t n = ipv4(b, 17, (uint16_t)(20 + 8 + head_len + in_len), 1, 0);
    n += udp(b + n, 40000, port, (uint16_t)(8 + head_len + in_len));
    memcpy(b + n, head, head_len), n += head_len;
    memcpy(b + n, in, in_len);
    return n + in_len;
}

static bool is_inner(const struct fc_decoded *d, enum fc_tunnel_kind kind, size_t payload_offset)
{
    return d->proto == 17 && d->sport == 5000 && d->dport == 53 && d->ip_len == 32 && d->payload_len == 4 &&
           d->tunnel == kind && d->payload_offset == payload_offset;
}

static void test_ip_in_ip_and_gre(void)
{
    uint8_t b[200];
    struct fc_decoded d;
    size_t n = ipv4(b, 4, 20 + 32, 1, 0);
    n += inner_udp(b + n);
    CHECK("ipip_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_IP_IN_IP, 48));

    n = ipv4(b, 41, 20 + 40 + 12, 1, 0);
    n += ipv6(b + n, 17, 12);
    n += udp(b + n, 5000, 53, 12);
    memcpy(b + n, "abcd", 4), n += 4;
    CHECK("6in4_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.ipv == 6 && d.sport == 5000 &&
                             d.tunnel == FC_TUNNEL_IP_IN_IP && d.payload_offset == 20 + 48);
    b[20] = 0x45; /* protocol 41 says IPv6: an IPv4 header there is not opened */
    CHECK("6in4_with_ipv4_inside_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.proto == 41);

    /* GRE with a key, then IPv4 */
    n = ipv4(b, 47, 20 + 8 + 32, 1, 0);
    fc_put_be16(b + n, 0x2000), fc_put_be16(b + n + 2, 0x0800), fc_put_be32(b + n + 4, 77), n += 8;
    n += inner_udp(b + n);
    CHECK("gre_key_ipv4_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GRE, 56));
    fc_put_be16(b + 20, 0x6000); /* routing present (RFC 1701): not opened */
    CHECK("gre_routing_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.proto == 47 && !d.tunnel);

    /* GRE transparent Ethernet bridging, a tagged frame inside */
    n = ipv4(b, 47, 20 + 4 + 18 + 32, 1, 0);
    fc_put_be16(b + n, 0), fc_put_be16(b + n + 2, 0x6558), n += 4;
    n += ether_tagged(b + n, 0x0800);
    n += inner_udp(b + n);
    CHECK("gre_ethernet_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GRE, 70));

    /* PPTP: GRE version 1, key, sequence, PPP with address and control */
    n = ipv4(b, 47, 20 + 12 + 4 + 32, 1, 0);
    fc_put_be16(b + n, 0x3001), fc_put_be16(b + n + 2, 0x880b), memset(b + n + 4, 0, 8), n += 12;
    b[n] = 0xff, b[n + 1] = 0x03, fc_put_be16(b + n + 2, 0x0021), n += 4;
    n += inner_udp(b + n);
    CHECK("gre_pptp_ppp_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GRE, 64));

    /* Aruba: GRE protocol 0x8210 carries an 802.11 data frame (from the DS), SNAP, IPv4 */
    n = ipv4(b, 47, 20 + 4 + 24 + 8 + 32, 1, 0);
    fc_put_be16(b + n, 0), fc_put_be16(b + n + 2, 0x8210), n += 4;
    memset(b + n, 0, 24), b[n] = 0x08, b[n + 1] = 0x02, n += 24;
    memcpy(b + n, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8), n += 8;
    n += inner_udp(b + n);
    CHECK("gre_aruba_wlan_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GRE, 84));
    fc_put_be16(b + 22, 0x8218); /* not one of Aruba's values */
    CHECK("gre_other_protocol_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.proto == 47 &&
                                               !d.tunnel);

    /* a first fragment of a GRE packet is not opened: the rest of its inner packet is elsewhere */
    n = ipv4(b, 47, 20 + 8 + 32, 1, 0x2000);
    fc_put_be16(b + n, 0x2000), fc_put_be16(b + n + 2, 0x0800), fc_put_be32(b + n + 4, 77), n += 8;
    n += inner_udp(b + n);
    CHECK("gre_fragment_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.proto == 47 &&
                                         d.is_fragment && !d.tunnel);
}

static void test_udp_tunnels(void)
{
    uint8_t b[200], h[80];
    struct fc_decoded d;
    /* VXLAN: I flag, network id 1, a tagged Ethernet frame */
    memset(h, 0, 8), h[0] = 0x08, h[6] = 1;
    size_t hl = 8 + ether_tagged(h + 8, 0x0800);
    size_t n = udp_tunnel(b, 4789, h, hl, true);
    CHECK("vxlan_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_VXLAN, 54 + 28));
    h[0] = 0x8c, h[1] = 0xff, h[7] = 0xff; /* reserved bits set: ignored on receipt (RFC 7348) */
    n = udp_tunnel(b, 4789, h, hl, true);
    CHECK("vxlan_reserved_bits_ignored", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.tunnel == FC_TUNNEL_VXLAN);
    h[0] = 0x80; /* no I flag: no valid network id, not opened */
    n = udp_tunnel(b, 4789, h, hl, true);
    CHECK("vxlan_without_i_flag_not_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.dport == 4789 && !d.tunnel);
    h[0] = 0x08, fc_put_be16(h + 24, 0x0806); /* an ARP frame inside: the UDP packet stays */
    n = udp_tunnel(b, 4789, h, hl, true);
    CHECK("vxlan_arp_stays_outer", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.dport == 4789 && !d.tunnel);

    /* Geneve: version 0, 4 bytes of options, protocol Ethernet */
    memset(h, 0, 12), h[0] = 0x01, fc_put_be16(h + 2, 0x6558);
    hl = 12 + ether_tagged(h + 12, 0x0800);
    n = udp_tunnel(b, 6081, h, hl, true);
    CHECK("geneve_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GENEVE, 58 + 28));

    /* GTP-U G-PDU, the length is the rest of the datagram */
    h[0] = 0x30, h[1] = 0xff, fc_put_be16(h + 2, 32), fc_put_be32(h + 4, 0x1234);
    n = udp_tunnel(b, 2152, h, 8, true);
    CHECK("gtp_u_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GTP_U, 36 + 28));
    CHECK("gtp_u_cut_after_inner_headers_still_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n - 4, &d) == FC_DEC_OK && d.tunnel == FC_TUNNEL_GTP_U && d.payload_captured == 0);
    fc_put_be16(h + 2, 33);
    n = udp_tunnel(b, 2152, h, 8, true);
    CHECK("gtp_u_wrong_length_not_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.dport == 2152 && !d.tunnel);
    /* with an extension header (a PDU session container of one word) */
    h[0] = 0x34, fc_put_be16(h + 2, 4 + 4 + 32);
    h[8] = 0, h[9] = 0, h[10] = 0, h[11] = 0x85;
    h[12] = 1, h[13] = 0x10, h[14] = 5, h[15] = 0;
    n = udp_tunnel(b, 2152, h, 16, true);
    CHECK("gtp_u_extension_header_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GTP_U, 44 + 28));

    /* Teredo: origin indication, then an IPv6 packet filling the datagram */
    memset(h, 0, 8);
    size_t in = ipv6(h + 8, 59, 0);
    n = udp_tunnel(b, 3544, h, 8 + in, false);
    CHECK("teredo_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.ipv == 6 && d.proto == 59 &&
                               d.tunnel == FC_TUNNEL_TEREDO && d.payload_offset == 28 + 8 + 40);
    fc_put_be16(h + 12, 8); /* the IPv6 length claims more than the datagram holds */
    n = udp_tunnel(b, 3544, h, 8 + in, false);
    CHECK("teredo_length_mismatch_not_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.dport == 3544 && !d.tunnel);
}

/* GRE in UDP (RFC 8086): a GRE header straight after the UDP header, port 4754. */
static void test_gre_in_udp(void)
{
    uint8_t b[200], h[4] = { 0, 0, 0x08, 0x00 };
    struct fc_decoded d;
    size_t n = udp_tunnel(b, 4754, h, sizeof h, true);
    CHECK("gre_in_udp_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_GRE_UDP, 28 + 4 + 28));
    CHECK("gre_in_udp_keeps_its_udp_flow", fc_tunnel_over_udp(FC_TUNNEL_GRE_UDP) &&
                                               fc_tunnel_kind_named("GRE-in-UDP") == FC_TUNNEL_GRE_UDP);
    h[0] = 0x40; /* routing present: not opened */
    n = udp_tunnel(b, 4754, h, sizeof h, true);
    CHECK("gre_in_udp_routing_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.dport == 4754 &&
                                               !d.tunnel);
}

/* CAPWAP data: header of 2 words (HLEN 2) or 4 (radio information), 802.11 or Ethernet. */
static void test_capwap(void)
{
    uint8_t b[200], h[80];
    struct fc_decoded d;
    /* HLEN 2, binding 802.11, T: a QoS data frame to the DS, SNAP, IPv4 */
    memset(h, 0, sizeof h);
    h[1] = 0x10, h[2] = 0x03, h[3] = 0x00;  /* HLEN 2 (bits 23-19), WBID 1 (bits 13-9), T (bit 8) */
    h[8] = 0x88, h[9] = 0x01;               /* frame control: QoS data, to DS */
    size_t hl = 8 + 24 + 2;
    memcpy(h + hl, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8), hl += 8;
    size_t n = udp_tunnel(b, 5247, h, hl, true);
    CHECK("capwap_wlan_qos_data_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_CAPWAP, 28 + hl + 28));
    h[8] = 0x01, h[9] = 0x08;               /* Cisco's order: the two bytes swapped (and no QoS) */
    memmove(h + 32, h + 34, 8), hl -= 2;
    n = udp_tunnel(b, 5247, h, hl, true);
    CHECK("capwap_wlan_swapped_frame_control_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_CAPWAP, 28 + hl + 28));
    h[8] = 0x08, h[9] = 0x41;               /* protected: encrypted, not opened */
    n = udp_tunnel(b, 5247, h, hl, true);
    CHECK("capwap_protected_frame_not_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && d.dport == 5247 && !d.tunnel);
    h[8] = 0x08, h[9] = 0x01, h[3] = 0x08;  /* K: a keep-alive */
    n = udp_tunnel(b, 5247, h, hl, true);
    CHECK("capwap_keepalive_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && !d.tunnel);
    h[3] = 0x00, h[0] = 0x01;               /* preamble type 1: a DTLS channel */
    n = udp_tunnel(b, 5247, h, hl, true);
    CHECK("capwap_dtls_not_opened", fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && !d.tunnel);

    /* HLEN 4 (8 bytes of radio information), no T: an Ethernet frame */
    memset(h, 0, sizeof h);
    h[1] = 0x20, h[2] = 0x02, h[3] = 0x00;
    hl = 16 + ether_tagged(h + 16, 0x0800);
    n = udp_tunnel(b, 5247, h, hl, true);
    CHECK("capwap_ethernet_opened",
          fc_decode(FC_ETHERTYPE_IPV4, b, n, &d) == FC_DEC_OK && is_inner(&d, FC_TUNNEL_CAPWAP, 28 + hl + 28));
}

/* IP-in-IP five deep: four are opened, the fifth is kept as a packet of protocol 4. */
static void test_tunnel_depth_bound(void)
{
    uint8_t b[300];
    size_t n = inner_udp(b + 100);
    size_t at = 100;
    for (int i = 0; i < 5; i++) {
        at -= 20;
        ipv4(b + at, 4, (uint16_t)(20 + n), 1, 0);
        n += 20;
    }
    struct fc_decoded d;
    CHECK("tunnel_depth_bounded", fc_decode(FC_ETHERTYPE_IPV4, b + at, n, &d) == FC_DEC_OK && d.proto == 4 &&
                                      d.payload_offset == 4 * 20 + 20 && d.tunnel == FC_TUNNEL_IP_IN_IP);
    CHECK("tunnel_names", strcmp(fc_tunnel_name(FC_TUNNEL_GTP_U), "GTP-U") == 0 &&
                              fc_tunnel_kind_named("VXLAN") == FC_TUNNEL_VXLAN && !fc_tunnel_kind_named("vxlan"));
    CHECK("tunnels_over_udp", fc_tunnel_over_udp(FC_TUNNEL_CAPWAP) && fc_tunnel_over_udp(FC_TUNNEL_TEREDO) &&
                                  !fc_tunnel_over_udp(FC_TUNNEL_GRE) && !fc_tunnel_over_udp(FC_TUNNEL_IP_IN_IP));
}

int main(void)
{
    test_ipv4_tcp();
    test_ipv4_bad_headers();
    test_ipv4_fragments();
    test_ipv6_ext_headers();
    test_ipv6_fragments();
    test_udp_sctp_icmp();
    test_ip_in_ip_and_gre();
    test_udp_tunnels();
    test_gre_in_udp();
    test_capwap();
    test_tunnel_depth_bound();
    UNIT_DONE();
}
