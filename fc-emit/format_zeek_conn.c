/* \summary: ZeekConn: one Zeek conn.log entry per flow as a JSON line (FORMATS.md §5) */
#include <string.h>

#include "emit.h"
#include "formats.h"
#include "proto_names.h"

static void zeek_service(struct fc_json *j, const struct emit_flow *ef)
{
    if (ef->v.kind != EMIT_IDENTIFIED || !ef->v.protocol.n)
        return;
    char service[FC_SLUG_MAX];
    fc_zeek_service(ef->v.protocol.p, ef->v.protocol.n, ef->f->proto, service);
    fc_json_kv_str(j, "service", service);
}

static void zeek_flowcarp_fields(struct fc_json *j, const struct emit_flow *ef)
{
    const struct emit_verdict *v = &ef->v;
    const char *verdict = emit_verdict_name(v->kind);
    fc_json_kv_plain(j, "flowcarp_verdict", verdict, strlen(verdict));
    if (v->best.n)
        fc_json_kv_strn(j, "flowcarp_best", v->best.p, v->best.n);
    if (ef->divergence[0])
        fc_json_kv_raw(j, "flowcarp_divergence", ef->divergence);
    if (v->runner_up.n)
        fc_json_kv_strn(j, "flowcarp_runner_up", v->runner_up.p, v->runner_up.n);
    if (ef->runner_up_divergence[0])
        fc_json_kv_raw(j, "flowcarp_runner_up_divergence", ef->runner_up_divergence);
    zeek_kv_tags(j, "flowcarp_tags", v);
}

static void zeek_conn_flow(struct emit_ctx *c, const struct emit_flow *ef)
{
    const struct fc_flow *f = ef->f;
    if (fc_flow_reason_is_interim(f->reason))
        return;   /* Zeek writes a conn.log entry once, when the connection ends; so do we */
    struct fc_json *j = &c->json;
    int64_t duration = f->end_us - f->start_us;
    fc_json_obj_begin(j);
    zeek_connection_keys(j, ef, f->start_us);
    zeek_service(j, ef);
    if (duration > 0) {  /* Zeek leaves duration and the payload counts out when it is 0 */
        zeek_kv_decimal(j, "duration", duration);
        fc_json_kv_u64(j, "orig_bytes", f->orig.payload_bytes);
        fc_json_kv_u64(j, "resp_bytes", f->resp.payload_bytes);
    }
    fc_json_kv_str(j, "conn_state", f->conn_state);
    fc_json_kv_u64(j, "missed_bytes", f->missed_bytes);
    if ((f->proto == 6 || f->proto == 17) && f->history[0])
        fc_json_kv_str(j, "history", f->history);
    fc_json_kv_u64(j, "orig_pkts", f->orig.pkts);
    fc_json_kv_u64(j, "orig_ip_bytes", f->orig.ip_bytes);
    fc_json_kv_u64(j, "resp_pkts", f->resp.pkts);
    fc_json_kv_u64(j, "resp_ip_bytes", f->resp.ip_bytes);
    fc_json_kv_u64(j, "ip_proto", f->proto);
    fc_json_kv_plain(j, "community_id", ef->community_id, ef->community_id_len);
    zeek_flowcarp_fields(j, ef);
    fc_json_obj_end(j);
    fc_out_char(&c->out, '\n');
}

const struct emit_format format_zeek_conn = {
    .name = "ZeekConn",
    .summary = "Zeek conn.log as JSON lines",
    .flow = zeek_conn_flow,
};
