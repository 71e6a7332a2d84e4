/* \summary: deterministic flow identifiers: flow key, Eve flow_id, Zeek uid, Community ID */
#include "flow_ids.h"

#include <string.h>

#include "bytes.h"

#define FLOW_ID_MASK 0x7FFFFFFFFFFFFull /* 51 bits: exact in a JSON reader's double */

static uint16_t side_port(const struct fc_flow *f, const struct fc_flow_side *s)
{
    return f->has_ports ? s->port : 0;
}

size_t fc_flow_key(const struct fc_flow *f, uint8_t out[FC_FLOW_KEY_MAX])
{
    size_t alen = f->ipv == 6 ? 16 : 4, n = 0;
    memcpy(out, "FCv1", 4);
    n += 4;
    out[n++] = f->ipv;
    out[n++] = f->proto;
    memcpy(out + n, f->orig.ip, alen);
    n += alen;
    memcpy(out + n, f->resp.ip, alen);
    n += alen;
    fc_put_be16(out + n, side_port(f, &f->orig));
    fc_put_be16(out + n + 2, side_port(f, &f->resp));
    fc_put_be16(out + n + 4, f->vlan);
    fc_put_be64(out + n + 6, (uint64_t)f->start_us);
    return n + 14;
}

uint64_t fc_flow_id_from_digest(const uint8_t d[FC_SHA1_LEN])
{
    uint64_t id = fc_be64(d) & FLOW_ID_MASK;
    return id ? id : 1;
}

/* Zeek's digit alphabet: value 0 = '0', 10 = 'a', 36 = 'A'. */
static void base62_fixed(uint64_t v, char *out, int digits)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = alphabet[v % 62];
        v /= 62;
    }
}

void fc_uid_from_digest(const uint8_t d[FC_SHA1_LEN], char out[FC_UID_LEN + 1])
{
    out[0] = 'C';
    base62_fixed(fc_be64(d + 8), out + 1, 11);   /* 62^11 > 2^64 */
    base62_fixed(fc_be32(d + 16), out + 12, 6);  /* 62^6 > 2^32 */
    out[FC_UID_LEN] = 0;
}

void fc_flow_community_id(const struct fc_flow *f, const struct fc_cid_options *opt,
                          char out[FC_COMMUNITY_ID_MAX])
{
    struct fc_cid_tuple t = {
        .ipv = f->ipv, .proto = f->proto, .saddr = f->orig.ip, .daddr = f->resp.ip,
        .sport = side_port(f, &f->orig), .dport = side_port(f, &f->resp), .one_way = false,
    };
    if (fc_proto_is_icmp(f->proto)) {
        /* fc-flow already put type and counterpart (or code) in the ports; whether the
         * message is one-way depends on orig's first type alone. */
        uint8_t type = f->orig.has_icmp ? f->orig.icmp_type : (uint8_t)f->orig.port, counterpart;
        t.one_way = !fc_icmp_counterpart(f->proto, type, &counterpart);
    }
    fc_community_id(&t, opt, out);
}

void fc_flow_ids(const struct fc_flow *f, const struct fc_cid_options *opt, struct fc_flow_ids *ids)
{
    uint8_t key[FC_FLOW_KEY_MAX], d[FC_SHA1_LEN];
    fc_sha1(key, fc_flow_key(f, key), d);
    ids->flow_id = fc_flow_id_from_digest(d);
    fc_uid_from_digest(d, ids->uid);
    fc_flow_community_id(f, opt, ids->community_id);
}
