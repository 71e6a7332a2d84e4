/* \summary: EveJsonAlert: one Suricata Eve "alert" event per MALICIOUS verdict (FORMATS.md §4) */
#include "emit.h"
#include "formats.h"

/* The alert object: fixed action/gid/rev, the rest from the model (alert_rule.c). */
static void eve_alert_object(struct fc_json *j, const struct emit_flow *ef)
{
    struct emit_alert a;
    emit_alert_describe(ef, &a);
    fc_json_key(j, "alert");
    fc_json_obj_begin(j);
    fc_json_kv_str(j, "action", "allowed");   /* FlowCarp only watches, never blocks */
    fc_json_kv_u64(j, "gid", 1);
    fc_json_kv_u64(j, "signature_id", a.signature_id);
    fc_json_kv_u64(j, "rev", 1);
    fc_json_kv_strn(j, "signature", a.signature, a.signature_len);
    fc_json_kv_str(j, "category", a.category);
    fc_json_kv_u64(j, "severity", a.severity);
    fc_json_key(j, "metadata");
    fc_json_obj_begin(j);
    fc_json_key(j, "tag");
    fc_json_arr_begin(j);
    for (size_t i = 0; i < ef->v.n_tags; i++) {
        fc_json_item(j);
        fc_out_json_str(j->out, ef->v.tags[i].p, ef->v.tags[i].n);
    }
    fc_json_arr_end(j);
    fc_json_key(j, "flowcarp_protocol");
    fc_json_arr_begin(j);
    fc_json_item(j);
    fc_out_json_str(j->out, ef->v.protocol.p, ef->v.protocol.n);
    fc_json_arr_end(j);
    fc_json_obj_end(j);
    fc_json_obj_end(j);
}

/* The alert's flow object: counters as the verdict saw them, and the flow's direction. */
static void eve_alert_flow_object(struct fc_json *j, const struct emit_flow *ef)
{
    const struct fc_flow *f = ef->f;
    bool ports = emit_has_transport_ports(f);
    fc_json_key(j, "flow");
    fc_json_obj_begin(j);
    fc_json_kv_u64(j, "pkts_toserver", f->orig.pkts);
    fc_json_kv_u64(j, "pkts_toclient", f->resp.pkts);
    fc_json_kv_u64(j, "bytes_toserver", f->orig.ip_bytes);
    fc_json_kv_u64(j, "bytes_toclient", f->resp.ip_bytes);
    eve_kv_time(j, "start", f->start_us);
    fc_json_kv_str(j, "src_ip", ef->orig_ip);
    if (ports)
        fc_json_kv_u64(j, "src_port", f->orig.port);
    fc_json_kv_str(j, "dest_ip", ef->resp_ip);
    if (ports)
        fc_json_kv_u64(j, "dest_port", f->resp.port);
    fc_json_obj_end(j);
}

void eve_alert_line(struct emit_ctx *c, const struct emit_flow *ef)
{
    struct fc_json *j = &c->json;
    eve_event_begin(j, ef, ef->alert_us, "alert");
    fc_json_kv_str(j, "direction", "to_server");
    eve_alert_object(j, ef);
    eve_app_proto(j, ef);
    eve_alert_flow_object(j, ef);
    eve_event_end(c, ef);
}

const struct emit_format format_eve_alert = {
    .name = "EveJsonAlert",
    .summary = "Suricata Eve JSON, alert events only (flows tagged MALICIOUS)",
    .alert = eve_alert_line,
};
