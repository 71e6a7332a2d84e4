/* \summary: turns one flow record into the struct emit_flow that every flow format prints */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "record.h"

bool emit_has_transport_ports(const struct fc_flow *f)
{
    return f->proto == 6 || f->proto == 17 || f->proto == 132;
}

/* Dotted quad, as inet_ntop prints it, without its snprintf (two addresses per flow);
 * returns its length. */
static size_t print_ipv4(const uint8_t ip[4], char *out)
{
    char *p = out;
    for (int i = 0; i < 4; i++) {
        unsigned v = ip[i];
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
        *p++ = '.';
    }
    p[-1] = 0;
    return (size_t)(p - 1 - out);
}

static size_t print_address(const struct fc_flow *f, const uint8_t *ip, char out[INET6_ADDRSTRLEN])
{
    if (f->ipv != 6)
        return print_ipv4(ip, out);
    /* glibc's inet_ntop prints RFC 5952 form (FORMATS.md §1); it cannot fail for these sizes. */
    if (!inet_ntop(AF_INET6, ip, out, INET6_ADDRSTRLEN))
        snprintf(out, INET6_ADDRSTRLEN, "?");
    return strlen(out);
}

/* "%.4f"; returns its length. */
static size_t print_divergence(bool has, double d, char out[FC_DECIMALS_TEXT_MAX])
{
    if (!has) {
        out[0] = 0;
        return 0;
    }
    return fc_text_4_decimals(d, out);
}

static void join_tags(struct emit_ctx *c, struct emit_flow *ef)
{
    c->scratch.len = 0;
    for (size_t i = 0; i < ef->v.n_tags; i++) {
        if (i)
            fc_out_char(&c->scratch, ';');
        fc_out_write(&c->scratch, ef->v.tags[i].p, ef->v.tags[i].n);
    }
    fc_out_char(&c->scratch, 0);
    ef->tags_joined = c->scratch.buf;
    ef->tags_joined_len = c->scratch.len - 1;
}

/*
 * Every field read here, found in one pass over the map. The keys are listed in the order
 * the stages write them, those not read (kind, payload_pkts, used_pkts) included: then
 * every key of a record is found at the first try (fc_map_get_many).
 */
enum record_field {
    R_KIND, R_FLOW, R_PAYLOAD_PKTS = R_FLOW + FC_FLOW_FIELD_COUNT, R_AT, R_VERDICT,
    R_USED_PKTS = R_VERDICT + EMIT_VERDICT_FIELD_COUNT, R_COUNT
};
static const struct fc_map_key record_keys[R_COUNT] = {
    FC_MAP_KEY(FC_KEY_KIND), FC_FLOW_FIELD_KEYS, FC_MAP_KEY(FC_KEY_PAYLOAD_PKTS), FC_MAP_KEY(FC_KEY_AT),
    EMIT_VERDICT_FIELD_KEYS, FC_MAP_KEY(FC_KEY_USED_PKTS),
};

void emit_uid(const struct emit_flow *ef, char out[FC_UID_LEN + 1]) { fc_uid_from_digest(ef->flow_key_digest, out); }

/* The identifiers as fc_flow_ids makes them, but the uid: most formats do not print it. */
bool emit_flow_prepare(struct emit_ctx *c, const msgpack_object *map, struct fc_flow *storage,
                       struct emit_flow *ef, const char **why)
{
    const msgpack_object *found[R_COUNT];
    fc_map_get_many(map, record_keys, R_COUNT, found);
    if (!fc_flow_unpack_found(found + R_FLOW, storage, why) ||
        !emit_verdict_read(found + R_VERDICT, storage, &ef->v, why))
        return false;
    const struct fc_flow *f = ef->f = storage;
    uint8_t key[FC_FLOW_KEY_MAX];
    fc_sha1(key, fc_flow_key(f, key), ef->flow_key_digest);
    ef->flow_id = fc_flow_id_from_digest(ef->flow_key_digest);
    fc_flow_community_id(f, &c->cid, ef->community_id);
    ef->community_id_len = strlen(ef->community_id);
    ef->orig_ip_len = print_address(f, f->orig.ip, ef->orig_ip);
    ef->resp_ip_len = print_address(f, f->resp.ip, ef->resp_ip);
    ef->divergence_len = print_divergence(ef->v.has_divergence, ef->v.divergence, ef->divergence);
    ef->runner_up_divergence_len =
        print_divergence(ef->v.has_runner_up_divergence, ef->v.runner_up_divergence, ef->runner_up_divergence);
    join_tags(c, ef);
    /* A verdict record says when the verdict was made; a flow record's alert time is its end. */
    if (!fc_obj_int(found[R_AT], &ef->alert_us) || ef->alert_us < f->start_us)
        ef->alert_us = f->end_us;
    return true;
}
