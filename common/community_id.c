/* \summary: Community ID v1 (Corelight spec) and the ICMP type/counterpart port rule */
#include "community_id.h"

#include <string.h>

#include "bytes.h"
#include "flow_record.h"
#include "sha1.h"

#define IPPROTO_NUM_ICMP 1
#define IPPROTO_NUM_ICMPV6 58

/* Request/reply pairs, both ways, as in the Community ID spec and Zeek. */
static const struct icmp_pair {
    uint8_t proto, type, counterpart;
} icmp_pairs[] = {
    { IPPROTO_NUM_ICMP, 8, 0 },   { IPPROTO_NUM_ICMP, 0, 8 },     /* echo */
    { IPPROTO_NUM_ICMP, 13, 14 }, { IPPROTO_NUM_ICMP, 14, 13 },   /* timestamp */
    { IPPROTO_NUM_ICMP, 15, 16 }, { IPPROTO_NUM_ICMP, 16, 15 },   /* information */
    { IPPROTO_NUM_ICMP, 10, 9 },  { IPPROTO_NUM_ICMP, 9, 10 },    /* router solicitation */
    { IPPROTO_NUM_ICMP, 17, 18 }, { IPPROTO_NUM_ICMP, 18, 17 },   /* address mask */
    { IPPROTO_NUM_ICMPV6, 128, 129 }, { IPPROTO_NUM_ICMPV6, 129, 128 }, /* echo */
    { IPPROTO_NUM_ICMPV6, 133, 134 }, { IPPROTO_NUM_ICMPV6, 134, 133 }, /* router solicitation */
    { IPPROTO_NUM_ICMPV6, 135, 136 }, { IPPROTO_NUM_ICMPV6, 136, 135 }, /* neighbor solicitation */
    { IPPROTO_NUM_ICMPV6, 130, 131 }, { IPPROTO_NUM_ICMPV6, 131, 130 }, /* multicast listener */
    { IPPROTO_NUM_ICMPV6, 139, 140 }, { IPPROTO_NUM_ICMPV6, 140, 139 }, /* node information */
    { IPPROTO_NUM_ICMPV6, 144, 145 }, { IPPROTO_NUM_ICMPV6, 145, 144 }, /* home agent discovery */
};

bool fc_proto_is_icmp(uint8_t proto) { return proto == IPPROTO_NUM_ICMP || proto == IPPROTO_NUM_ICMPV6; }

bool fc_icmp_counterpart(uint8_t proto, uint8_t type, uint8_t *counterpart)
{
    for (size_t i = 0; i < sizeof icmp_pairs / sizeof icmp_pairs[0]; i++)
        if (icmp_pairs[i].proto == proto && icmp_pairs[i].type == type) {
            *counterpart = icmp_pairs[i].counterpart;
            return true;
        }
    return false;
}

bool fc_icmp_ports(uint8_t proto, uint8_t type, uint8_t code, uint16_t *port_a, uint16_t *port_b)
{
    uint8_t counterpart;
    bool two_way = fc_icmp_counterpart(proto, type, &counterpart);
    *port_a = type;
    *port_b = two_way ? counterpart : code;
    return !two_way;
}

/* Canonical order: the smaller address first, ports breaking a tie. */
static bool tuple_is_ordered(const struct fc_cid_tuple *t, size_t alen)
{
    int c = memcmp(t->saddr, t->daddr, alen);
    return c < 0 || (c == 0 && t->sport <= t->dport);
}

static void base64_encode(const uint8_t *in, size_t n, char *out)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
    }
    out[o] = 0;
}

static void hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = 0;
}

void fc_community_id(const struct fc_cid_tuple *t, const struct fc_cid_options *opt,
                     char out[FC_COMMUNITY_ID_MAX])
{
    size_t alen = t->ipv == 6 ? 16 : 4;
    bool swap = !t->one_way && !tuple_is_ordered(t, alen);
    const uint8_t *a = swap ? t->daddr : t->saddr, *b = swap ? t->saddr : t->daddr;
    uint16_t pa = swap ? t->dport : t->sport, pb = swap ? t->sport : t->dport;

    uint8_t buf[2 + 16 + 16 + 2 + 4];
    size_t n = 0;
    fc_put_be16(buf, opt->seed);
    n += 2;
    memcpy(buf + n, a, alen);
    n += alen;
    memcpy(buf + n, b, alen);
    n += alen;
    buf[n++] = t->proto;
    buf[n++] = 0;
    if (fc_proto_has_ports(t->proto)) {
        fc_put_be16(buf + n, pa);
        fc_put_be16(buf + n + 2, pb);
        n += 4;
    }
    uint8_t digest[FC_SHA1_LEN];
    fc_sha1(buf, n, digest);
    out[0] = '1';
    out[1] = ':';
    if (opt->base64)
        base64_encode(digest, sizeof digest, out + 2);
    else
        hex_encode(digest, sizeof digest, out + 2);
}
