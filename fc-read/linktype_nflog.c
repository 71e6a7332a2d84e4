/* \summary: Linux netfilter log (DLT_NFLOG, 239) link-layer decoder */
#include "linktype.h"

#include "decode.h"

/*
 * What iptables' and nftables' NFLOG/log-group rules hand to user space (tcpdump -i
 * nflog:GROUP): address family (2 IPv4, 10 IPv6), version 0 and resource id, then
 * type-length-value attributes, each 4-byte aligned, whose length (with its 4-byte
 * head) and type are in the capturing host's byte order: little-endian in practice,
 * read big-endian when that makes no sense. The packet, from its network header on,
 * is the NFULA_PAYLOAD attribute (type 9).
 */
#define NFLOG_HEADER 4
#define NFLOG_TLV_HEAD 4
#define NFLOG_ATTRIBUTES_MAX 64  /* attributes walked: netfilter defines fewer than 20 */
#define NFULA_PAYLOAD 9
#define NLA_TYPE_MASK 0x3fff   /* without the netlink flags "nested" and "network byte order" */
#define NFPROTO_IPV4 2
#define NFPROTO_IPV6 10

static uint16_t family_ethertype(uint8_t family)
{
    return family == NFPROTO_IPV4 ? FC_ETHERTYPE_IPV4 : family == NFPROTO_IPV6 ? FC_ETHERTYPE_IPV6 : 0;
}

/* An attribute's length and type as the capturing host wrote them. */
static void attribute_head(const uint8_t *tlv, size_t left, uint16_t *length, uint16_t *type)
{
    *length = fc_le16(tlv);
    *type = fc_le16(tlv + 2);
    if (*length < NFLOG_TLV_HEAD || *length > left) {
        *length = fc_be16(tlv);
        *type = fc_be16(tlv + 2);
    }
}

bool linktype_nflog_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len < NFLOG_HEADER || frame[1] != 0 || !family_ethertype(frame[0]))
        return false;
    size_t at = NFLOG_HEADER;
    for (int n = 0; n < NFLOG_ATTRIBUTES_MAX && len - at >= NFLOG_TLV_HEAD; n++) {
        uint16_t length, type;
        attribute_head(frame + at, len - at, &length, &type);
        if (length < NFLOG_TLV_HEAD || length > len - at)
            return false;
        if ((type & NLA_TYPE_MASK) == NFULA_PAYLOAD) {
            out->ethertype = family_ethertype(frame[0]);
            out->offset = at + NFLOG_TLV_HEAD;
            return true;
        }
        at += ((size_t)length + 3) & ~(size_t)3;
        if (at > len)
            return false;
    }
    return false;
}
