/* \summary: turns one flow record into the struct emit_flow that every flow format prints */
#include <stdio.h>

#include "emit.h"
#include "record.h"

bool emit_has_transport_ports(const struct fc_flow *f)
{
    return f->proto == 6 || f->proto == 17 || f->proto == 132;
}

/* Dotted quad, as inet_ntop prints it, without its snprintf (two addresses per flow). */
static void print_ipv4(const uint8_t ip[4], char *out)
{
    for (int i = 0; i < 4; i++) {
        unsigned v = ip[i];
        if (v >= 100)
            *out++ = (char)('0' + v / 100);
        if (v >= 10)
            *out++ = (char)('0' + v / 10 % 10);
        *out++ = (char)('0' + v % 10);
        *out++ = i < 3 ? '.' : 0;
    }
}

static void print_address(const struct fc_flow *f, const uint8_t *ip, char out[INET6_ADDRSTRLEN])
{
    if (f->ipv != 6) {
        print_ipv4(ip, out);
        return;
    }
    /* glibc's inet_ntop prints RFC 5952 form (FORMATS.md §1); it cannot fail for these sizes. */
    if (!inet_ntop(AF_INET6, ip, out, INET6_ADDRSTRLEN))
        snprintf(out, INET6_ADDRSTRLEN, "?");
}

static void print_divergence(bool has, double d, char out[32])
{
    if (has)
        snprintf(out, 32, "%.4f", d);
    else
        out[0] = 0;
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

bool emit_flow_prepare(struct emit_ctx *c, const msgpack_object *map, struct fc_flow *storage,
                       struct emit_flow *ef, const char **why)
{
    if (!fc_flow_unpack(map, storage, why) || !emit_verdict_read(map, storage, &ef->v, why))
        return false;
    const struct fc_flow *f = ef->f = storage;
    fc_flow_ids(f, &c->cid, &ef->ids);
    print_address(f, f->orig.ip, ef->orig_ip);
    print_address(f, f->resp.ip, ef->resp_ip);
    print_divergence(ef->v.has_divergence, ef->v.divergence, ef->divergence);
    print_divergence(ef->v.has_runner_up_divergence, ef->v.runner_up_divergence, ef->runner_up_divergence);
    join_tags(c, ef);
    /* A verdict record says when the verdict was made; a flow record's alert time is its end. */
    if (!fc_obj_int(fc_map_get(map, FC_KEY_AT), &ef->alert_us) || ef->alert_us < f->start_us)
        ef->alert_us = f->end_us;
    return true;
}
