/* \summary: EveJsonFlow: one Suricata Eve "flow" event per flow (FORMATS.md §4); EveJson writes it too */
#include <string.h>

#include "emit.h"
#include "formats.h"
#include "time_format.h"

static const struct tcp_flag_name {
    uint8_t bit;
    const char *name;
} tcp_flag_names[] = {   /* Eve's order, not the bit order */
    { 0x02, "syn" }, { 0x01, "fin" }, { 0x04, "rst" }, { 0x08, "psh" },
    { 0x10, "ack" }, { 0x20, "urg" }, { 0x40, "ecn" }, { 0x80, "cwr" },
};

static inline void kv_hex_flags(struct fc_json *j, const char *key, uint8_t flags)
{
    static const char digits[] = "0123456789abcdef";
    const char hex[2] = { digits[flags >> 4], digits[flags & 15] };
    fc_json_kv_plain(j, key, hex, 2);
}

static void eve_flow_object(struct fc_json *j, const struct emit_flow *ef)
{
    const struct fc_flow *f = ef->f;
    fc_json_key(j, "flow");
    fc_json_obj_begin(j);
    fc_json_kv_u64(j, "pkts_toserver", f->orig.pkts);
    fc_json_kv_u64(j, "pkts_toclient", f->resp.pkts);
    fc_json_kv_u64(j, "bytes_toserver", f->orig.ip_bytes);
    fc_json_kv_u64(j, "bytes_toclient", f->resp.ip_bytes);
    eve_kv_time(j, "start", f->start_us);
    eve_kv_time(j, "end", f->end_us);
    fc_json_kv_i64(j, "age", fc_time_seconds(f->end_us) - fc_time_seconds(f->start_us));
    const char *state = fc_flow_state_name(f->state), *reason = fc_flow_reason_name(f->reason);
    fc_json_kv_plain(j, "state", state, strlen(state));
    fc_json_kv_plain(j, "reason", reason, strlen(reason));
    fc_json_kv_bool(j, "alerted", ef->v.alerted);
    fc_json_obj_end(j);
}

static void eve_tcp_object(struct fc_json *j, const struct fc_flow *f)
{
    uint8_t both = f->orig.tcp_flags | f->resp.tcp_flags;
    fc_json_key(j, "tcp");
    fc_json_obj_begin(j);
    kv_hex_flags(j, "tcp_flags", both);
    kv_hex_flags(j, "tcp_flags_ts", f->orig.tcp_flags);
    kv_hex_flags(j, "tcp_flags_tc", f->resp.tcp_flags);
    for (size_t i = 0; i < sizeof tcp_flag_names / sizeof tcp_flag_names[0]; i++)
        if (both & tcp_flag_names[i].bit)
            fc_json_kv_bool(j, tcp_flag_names[i].name, true);
    fc_json_obj_end(j);
}

void eve_flow_line(struct emit_ctx *c, const struct emit_flow *ef)
{
    struct fc_json *j = &c->json;
    eve_event_begin(j, ef, ef->f->end_us, "flow");
    eve_app_proto(j, ef);
    eve_flow_object(j, ef);
    if (ef->f->proto == 6)
        eve_tcp_object(j, ef->f);
    eve_event_end(c, ef);
}

const struct emit_format format_eve_flow = {
    .name = "EveJsonFlow",
    .summary = "Suricata Eve JSON, flow events only",
    .flow = eve_flow_line,
};
