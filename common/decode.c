/* \summary: network- and transport-layer decoding of one packet (IPv4/IPv6, TCP/UDP/SCTP/ICMP) */
#include "decode.h"

#include <string.h>

#include "bytes.h"
#include "tunnel.h"

/*
 * Three lengths matter and are kept apart: what the IP header declares (ip_len,
 * and from it the transport length), what the transport header declares
 * (payload_len), and what the capture actually holds (payload_captured, which
 * is less when the capture was snapped or fc-read cut the payload away).
 * Bytes after the IP datagram (Ethernet padding) are never treated as payload.
 *
 * Decoding stops at the first inconsistency: a bad IP header gives FC_DEC_BAD_IP
 * (no addresses to key a flow on); a bad transport header gives FC_DEC_BAD_L4
 * with addresses and protocol filled, so the packet still counts in a port-less
 * flow. A non-first fragment carries no transport header and is never parsed as
 * one (FC_DEC_FRAGMENT).
 */

#define IPV4_MIN_HEADER 20
#define IPV6_HEADER 40
#define IPV4_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff
#define IPV6_MAX_EXT_HEADERS 32 /* more than any real stack sends; bounds the walk */

/* The transport-layer part of the datagram: declared length and captured bytes. */
struct l4_area {
    const uint8_t *data; /* start of the transport header */
    size_t captured;     /* bytes present (never beyond the declared IP datagram) */
    uint32_t declared;   /* transport length as the IP header declares it */
    size_t offset;       /* offset of data within the network-layer bytes */
};

/* Fills the payload fields from the header size and the declared payload length. */
static void set_payload(struct fc_decoded *d, const struct l4_area *l4, size_t header, uint32_t declared)
{
    d->payload_offset = l4->offset + header;
    d->payload_len = declared;
    size_t present = l4->captured > header ? l4->captured - header : 0;
    d->payload_captured = present < declared ? present : declared;
}

/* ---- transport decoders: one per protocol, listed in l4_decoders[] ---- */

/* The fixed headers are taken whole (one bounds check) and read at their offsets. */
#define TCP_FIXED_FIELDS 16 /* ports, sequence, ack, offset, flags, window */

static enum fc_decode_status decode_tcp(struct fc_decoded *d, const struct l4_area *l4)
{
    struct fc_cursor c = fc_cursor_make(l4->data, l4->captured);
    const uint8_t *h = fc_cursor_take(&c, TCP_FIXED_FIELDS);
    if (!h)
        return FC_DEC_BAD_L4;
    d->sport = fc_be16(h);
    d->dport = fc_be16(h + 2);
    d->seq = fc_be32(h + 4);
    d->ack = fc_be32(h + 8);
    d->tcp_flags = h[13];
    d->window = fc_be16(h + 14);
    size_t header = (size_t)(h[12] >> 4) * 4;
    if (header < 20 || header > l4->declared)
        return FC_DEC_BAD_L4;
    /* Options cut off by the capture are fine: ports, flags and sequence are all known. */
    d->has_ports = true;
    set_payload(d, l4, header, l4->declared - (uint32_t)header);
    return FC_DEC_OK;
}

static enum fc_decode_status decode_udp(struct fc_decoded *d, const struct l4_area *l4)
{
    struct fc_cursor c = fc_cursor_make(l4->data, l4->captured);
    d->sport = fc_cursor_be16(&c);
    d->dport = fc_cursor_be16(&c);
    uint16_t udp_len = fc_cursor_be16(&c);
    if (!fc_cursor_ok(&c) || l4->declared < 8)
        return FC_DEC_BAD_L4;
    d->has_ports = true;
    /* The UDP length is the datagram's; in a first fragment it exceeds this fragment,
     * which is right (the payload is the datagram's). Length 0 (IPv6 jumbograms) or a
     * length shorter than the header is useless: fall back to the IP length. In an
     * unfragmented datagram it may not claim more than IP carries. */
    uint32_t declared = l4->declared - 8;
    if (udp_len >= 8 && (d->more_fragments || udp_len - 8u < declared))
        declared = udp_len - 8u;
    set_payload(d, l4, 8, declared);
    return FC_DEC_OK;
}

static enum fc_decode_status decode_sctp(struct fc_decoded *d, const struct l4_area *l4)
{
    struct fc_cursor c = fc_cursor_make(l4->data, l4->captured);
    d->sport = fc_cursor_be16(&c);
    d->dport = fc_cursor_be16(&c);
    fc_cursor_skip(&c, 8); /* verification tag, checksum */
    if (!fc_cursor_ok(&c) || l4->declared < 12)
        return FC_DEC_BAD_L4;
    d->has_ports = true;
    set_payload(d, l4, 12, l4->declared - 12);
    return FC_DEC_OK;
}

/* ICMP and ICMPv6 share the layout: type, code, checksum, 4 bytes of rest-of-header. */
static enum fc_decode_status decode_icmp(struct fc_decoded *d, const struct l4_area *l4)
{
    struct fc_cursor c = fc_cursor_make(l4->data, l4->captured);
    d->icmp_type = fc_cursor_u8(&c);
    d->icmp_code = fc_cursor_u8(&c);
    if (!fc_cursor_ok(&c) || l4->declared < 8)
        return FC_DEC_BAD_L4;
    set_payload(d, l4, 8, l4->declared - 8);
    return FC_DEC_OK;
}

static const struct l4_decoder {
    uint8_t proto;
    enum fc_decode_status (*decode)(struct fc_decoded *d, const struct l4_area *l4);
} l4_decoders[] = {
    { 6, decode_tcp },
    { 17, decode_udp },
    { 132, decode_sctp },
    { 1, decode_icmp },
    { 58, decode_icmp },
};

static enum fc_decode_status decode_l4(struct fc_decoded *d, const struct l4_area *l4)
{
    for (size_t i = 0; i < sizeof l4_decoders / sizeof l4_decoders[0]; i++)
        if (l4_decoders[i].proto == d->proto) {
            enum fc_decode_status s = l4_decoders[i].decode(d, l4);
            if (s != FC_DEC_OK) {
                d->has_ports = false;
                set_payload(d, l4, 0, l4->declared);
            }
            return s;
        }
    set_payload(d, l4, 0, l4->declared); /* port-less protocol: the IP payload is its payload */
    return FC_DEC_OK;
}

/* ---- IPv4 ---- */

static enum fc_decode_status decode_ipv4(const uint8_t *data, size_t len, struct fc_decoded *d)
{
    struct fc_cursor c = fc_cursor_make(data, len);
    const uint8_t *h = fc_cursor_take(&c, IPV4_MIN_HEADER);
    if (!h || h[0] >> 4 != 4)
        return FC_DEC_BAD_IP;
    uint8_t ver_ihl = h[0];
    uint16_t total = fc_be16(h + 2);
    uint16_t id = fc_be16(h + 4);
    uint16_t frag = fc_be16(h + 6);
    d->proto = h[9];
    const uint8_t *src = h + 12, *dst = h + 16;
    size_t header = (size_t)(ver_ihl & 0x0f) * 4;
    /* Total length 0 is what TCP segmentation offload leaves in captures taken on
     * the sender: the datagram is then everything captured. */
    if (total == 0 && len > header)
        total = (uint16_t)(len > 65535 ? 65535 : len);
    if (header < IPV4_MIN_HEADER || header > len || total < header)
        return FC_DEC_BAD_IP;
    d->ipv = 4;
    memcpy(d->src, src, 4);
    memcpy(d->dst, dst, 4);
    d->ip_len = total;
    d->frag_id = id;
    d->frag_offset = (uint32_t)(frag & IPV4_OFFSET_MASK) * 8;
    d->more_fragments = (frag & IPV4_MF) != 0;
    d->is_fragment = d->more_fragments || d->frag_offset != 0;
    size_t in_datagram = len < total ? len : total; /* drop link-layer padding */
    struct l4_area l4 = { data + header, in_datagram - header, (uint32_t)(total - header), header };
    if (d->frag_offset != 0) {
        set_payload(d, &l4, 0, l4.declared);
        return FC_DEC_FRAGMENT;
    }
    return decode_l4(d, &l4);
}

/* ---- IPv6 ---- */

enum ext_kind { EXT_GENERIC, EXT_AH, EXT_FRAGMENT, EXT_STOP };

/* Next-header values that are extension headers, and how each one's length is coded.
 * ESP (50) encrypts everything after it and 59 means nothing follows: both stop the walk
 * and become the flow's protocol. */
static const struct ext_header {
    uint8_t nh;
    enum ext_kind kind;
} ext_headers[] = {
    { 0, EXT_GENERIC },   /* hop-by-hop options */
    { 43, EXT_GENERIC },  /* routing */
    { 44, EXT_FRAGMENT }, /* fragment (fixed 8 bytes) */
    { 60, EXT_GENERIC },  /* destination options */
    { 51, EXT_AH },       /* authentication header: length in 4-byte units, minus 2 */
    { 135, EXT_GENERIC }, /* mobility */
    { 139, EXT_GENERIC }, /* HIP */
    { 140, EXT_GENERIC }, /* shim6 */
    { 50, EXT_STOP },     /* ESP */
    { 59, EXT_STOP },     /* no next header */
};

static const struct ext_header *find_ext_header(uint8_t nh)
{
    for (size_t i = 0; i < sizeof ext_headers / sizeof ext_headers[0]; i++)
        if (ext_headers[i].nh == nh)
            return &ext_headers[i];
    return NULL;
}

/* Walks the extension headers in c (which covers the declared payload); leaves d->proto at
 * the transport protocol. false if a header is cut short or runs past the datagram. */
static bool skip_ipv6_ext_headers(struct fc_cursor *c, struct fc_decoded *d)
{
    for (int n = 0; n < IPV6_MAX_EXT_HEADERS; n++) {
        const struct ext_header *e = find_ext_header(d->proto);
        if (!e || e->kind == EXT_STOP)
            return true;
        const uint8_t *h = fc_cursor_take(c, 8);
        if (!h)
            return false;
        uint8_t next = h[0];
        size_t size = e->kind == EXT_AH ? ((size_t)h[1] + 2) * 4 : ((size_t)h[1] + 1) * 8;
        if (e->kind == EXT_FRAGMENT) {
            size = 8;
            uint16_t off_flags = fc_be16(h + 2);
            d->frag_offset = off_flags & 0xfff8u;
            d->more_fragments = (off_flags & 1) != 0;
            d->is_fragment = d->more_fragments || d->frag_offset != 0;
            d->frag_id = fc_be32(h + 4);
        }
        if (size < 8 || !fc_cursor_skip(c, size - 8))
            return false;
        d->proto = next;
        if (d->frag_offset != 0)
            return true; /* a later fragment: what follows is not a header */
    }
    return false;
}

static enum fc_decode_status decode_ipv6(const uint8_t *data, size_t len, struct fc_decoded *d)
{
    struct fc_cursor c = fc_cursor_make(data, len);
    uint8_t version = fc_cursor_u8(&c) >> 4;
    fc_cursor_skip(&c, 3); /* traffic class, flow label */
    uint16_t plen = fc_cursor_be16(&c);
    d->proto = fc_cursor_u8(&c);
    fc_cursor_skip(&c, 1); /* hop limit */
    const uint8_t *src = fc_cursor_take(&c, 16);
    const uint8_t *dst = fc_cursor_take(&c, 16);
    if (!fc_cursor_ok(&c) || version != 6)
        return FC_DEC_BAD_IP;
    d->ipv = 6;
    memcpy(d->src, src, 16);
    memcpy(d->dst, dst, 16);
    d->ip_len = IPV6_HEADER + (uint32_t)plen;
    /* Extension headers must lie within the declared payload and in the capture. */
    size_t in_datagram = len < d->ip_len ? len : d->ip_len;
    struct fc_cursor ext = fc_cursor_make(data + IPV6_HEADER, in_datagram - IPV6_HEADER);
    if (!skip_ipv6_ext_headers(&ext, d))
        return FC_DEC_BAD_IP;
    size_t header = (size_t)(ext.p - data);
    struct l4_area l4 = { ext.p, ext.left, (uint32_t)(d->ip_len - header), header };
    if (d->frag_offset != 0) {
        set_payload(d, &l4, 0, l4.declared);
        return FC_DEC_FRAGMENT;
    }
    return decode_l4(d, &l4);
}

enum fc_decode_status fc_decode_outer(uint16_t ethertype, const uint8_t *data, size_t len, struct fc_decoded *out)
{
    memset(out, 0, sizeof *out);
    if (ethertype == FC_ETHERTYPE_IPV4)
        return decode_ipv4(data, len, out);
    if (ethertype == FC_ETHERTYPE_IPV6)
        return decode_ipv6(data, len, out);
    return FC_DEC_NOT_IP;
}

/* ---- tunnels ---- */

/* Tunnels in tunnels exist (GRE over IPsec-less VXLAN, 6in4 in GTP-U) but not deep:
 * the bound keeps a crafted packet from making decoding expensive. */
#define TUNNEL_MAX_DEPTH 4

/*
 * A whole, sound packet whose payload opens a tunnel becomes its inner packet when that
 * decodes as IP; an inner packet that is not IP (or whose IP header is damaged) leaves
 * the outer packet as it was, so nothing is lost that was counted before. A fragment of
 * the outer packet is never opened: only the reassembled datagram holds the inner one.
 */
enum fc_decode_status fc_decode(uint16_t ethertype, const uint8_t *data, size_t len, struct fc_decoded *out)
{
    enum fc_decode_status status = fc_decode_outer(ethertype, data, len, out);
    size_t base = 0; /* where the packet in *out starts within data */
    uint8_t outermost = FC_TUNNEL_NONE;
    for (uint8_t depth = 1; depth <= TUNNEL_MAX_DEPTH && status == FC_DEC_OK && !out->is_fragment; depth++) {
        struct fc_tunnel_inner in;
        size_t payload = base + out->payload_offset;
        enum fc_tunnel_kind kind = fc_tunnel_open(out->proto, out->has_ports ? out->sport : 0,
                                                  out->has_ports ? out->dport : 0, data + payload,
                                                  out->payload_captured, out->payload_len, &in);
        if (kind == FC_TUNNEL_NONE)
            break;
        struct fc_decoded inner;
        size_t at = payload + in.offset;
        enum fc_decode_status inner_status = fc_decode_outer(in.ethertype, data + at, len - at, &inner);
        if (inner_status == FC_DEC_NOT_IP || inner_status == FC_DEC_BAD_IP)
            break;
        if (outermost == FC_TUNNEL_NONE)
            outermost = (uint8_t)kind;
        *out = inner;
        out->tunnel = outermost;
        status = inner_status;
        base = at;
    }
    out->payload_offset += base;
    return status;
}
