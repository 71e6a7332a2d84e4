/* \summary: turns fc-flow's compact flow into the exchange struct of flow and sample records */
#include <string.h>

#include "engine.h"
#include "tcp_history.h"

static enum fc_flow_state flow_state(const struct flow *f)
{
    if (flow_is_closed(f))
        return FC_STATE_CLOSED;
    bool both_sent = (f->side_bits[0] & SB_SENT) && (f->side_bits[1] & SB_SENT);
    if (f->proto == 6) {
        bool data_both_ways = f->side[0].payload > 0 && f->side[1].payload > 0;
        return (f->flags & FF_ESTABLISHED) || data_both_ways ? FC_STATE_ESTABLISHED : FC_STATE_NEW;
    }
    return both_sent ? FC_STATE_ESTABLISHED : FC_STATE_NEW;
}

enum fc_flow_reason flow_natural_reason(const struct flow *f, bool end_of_input)
{
    return end_of_input && !flow_is_closed(f) ? FC_REASON_SHUTDOWN : FC_REASON_TIMEOUT;
}

static uint64_t side_payload(const struct flow *f, int dir)
{
    return f->proto == 6 ? tcp_payload_bytes(f, dir) : f->side[dir].payload;
}

static void export_side(const struct flow *f, int dir, struct fc_flow_side *s)
{
    const struct flow_side *in = &f->side[dir];
    memcpy(s->ip, f->addr[dir], 16);
    s->port = f->port[dir];
    s->pkts = in->pkts;
    s->ip_bytes = in->ip_bytes;
    s->payload_bytes = side_payload(f, dir);
    s->wire_bytes = in->wire_bytes;
    s->tcp_flags = f->tcp_flags[dir];
    s->has_icmp = (f->side_bits[dir] & SB_HAS_ICMP) != 0;
    s->icmp_type = f->icmp_type[dir];
    s->icmp_code = f->icmp_code[dir];
}

static uint64_t missed_bytes(const struct flow *f)
{
    if (f->proto != 6)
        return 0;
    uint64_t missed = 0;
    for (int dir = 0; dir < 2; dir++) {
        uint64_t span = tcp_payload_bytes(f, dir), got = f->side[dir].payload;
        missed += span > got ? span - got : 0;
    }
    return missed;
}

void flow_write_interim(const struct flow *f, enum fc_flow_reason reason, struct fc_writer *out)
{
    struct fc_flow now;
    flow_export(f, reason, &now);
    fc_flow_pack_record(fc_writer_packer(out), &now);
    fc_writer_record_done(out);
}

void flow_export(const struct flow *f, enum fc_flow_reason reason, struct fc_flow *out)
{
    memset(out, 0, sizeof *out);
    out->id = f->id;
    out->ipv = f->ipv;
    out->proto = f->proto;
    out->has_ports = fc_proto_has_ports(f->proto);
    out->vlan = f->vlan;
    out->vlan2 = f->vlan2;
    out->tunnel = f->tunnel;
    out->start_us = f->start_us;
    out->end_us = f->end_us;
    export_side(f, 0, &out->orig);
    export_side(f, 1, &out->resp);
    out->state = flow_state(f);
    out->reason = reason;
    char history[HISTORY_MAX + 1];
    history_text(f, history);
    if (f->proto == 6 || f->proto == 17)
        memcpy(out->history, history, sizeof history);
    const char *state = conn_state(f, history);
    size_t n = strnlen(state, sizeof out->conn_state - 1);
    memcpy(out->conn_state, state, n); /* out was zeroed: the NUL is there */
    out->missed_bytes = missed_bytes(f);
}
