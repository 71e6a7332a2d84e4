/* \summary: the parts every Suricata Eve event shares: times, endpoints, app_proto, FlowCarp flowvars */
#include <string.h>

#include "emit.h"
#include "proto_names.h"
#include "time_format.h"

void eve_kv_time(struct fc_json *j, const char *key, int64_t us)
{
    char t[FC_TIME_MAX];
    fc_time_iso(us, FC_ZONE_EVE, t);
    fc_json_kv_str(j, key, t);
}

/* src_ip .. proto, then the ICMP type/code fields (FORMATS.md §4 "Flow event"). */
void eve_endpoints(struct fc_json *j, const struct emit_flow *ef)
{
    const struct fc_flow *f = ef->f;
    bool ports = emit_has_transport_ports(f);
    fc_json_kv_str(j, "src_ip", ef->orig_ip);
    if (ports)
        fc_json_kv_u64(j, "src_port", f->orig.port);
    fc_json_kv_str(j, "dest_ip", ef->resp_ip);
    if (ports)
        fc_json_kv_u64(j, "dest_port", f->resp.port);
    fc_json_kv_u64(j, "ip_v", f->ipv);
    char buf[FC_IP_PROTO_NAME_MAX];
    fc_json_kv_str(j, "proto", fc_ip_proto_name(f->proto, buf));
    if (!fc_proto_is_icmp(f->proto))
        return;
    if (f->orig.has_icmp) {
        fc_json_kv_u64(j, "icmp_type", f->orig.icmp_type);
        fc_json_kv_u64(j, "icmp_code", f->orig.icmp_code);
    }
    if (f->resp.pkts > 0 && f->resp.has_icmp) {
        fc_json_kv_u64(j, "response_icmp_type", f->resp.icmp_type);
        fc_json_kv_u64(j, "response_icmp_code", f->resp.icmp_code);
    }
}

/* Slug (via the alias table) when identified, "failed" when detection ran and failed,
 * left out when there was nothing to detect (§1 verdict table). */
void eve_app_proto(struct fc_json *j, const struct emit_flow *ef)
{
    if (ef->v.kind == EMIT_IDENTIFIED && ef->v.protocol.n) {
        char slug[FC_SLUG_MAX];
        fc_eve_app_proto(ef->v.protocol.p, ef->v.protocol.n, slug);
        fc_json_kv_str(j, "app_proto", slug);
    } else if (ef->v.kind == EMIT_UNKNOWN) {
        fc_json_kv_str(j, "app_proto", "failed");
    }
}

static void flowvar(struct fc_json *j, const char *key, const char *val, size_t n)
{
    if (!n)
        return;
    fc_json_item(j);
    fc_json_obj_begin(j);
    fc_json_kv_strn(j, key, val, n);
    fc_json_obj_end(j);
}

/* metadata.flowvars: the verdict where the schema allows free content (§4). */
void eve_metadata(struct fc_json *j, const struct emit_flow *ef)
{
    const struct emit_verdict *v = &ef->v;
    const char *verdict = emit_verdict_name(v->kind);
    fc_json_key(j, "metadata");
    fc_json_obj_begin(j);
    fc_json_key(j, "flowvars");
    fc_json_arr_begin(j);
    flowvar(j, "flowcarp.verdict", verdict, strlen(verdict));
    flowvar(j, "flowcarp.protocol", v->protocol.p, v->protocol.n);
    flowvar(j, "flowcarp.best", v->best.p, v->best.n);
    flowvar(j, "flowcarp.divergence", ef->divergence, strlen(ef->divergence));
    flowvar(j, "flowcarp.runner_up", v->runner_up.p, v->runner_up.n);
    flowvar(j, "flowcarp.runner_up_divergence", ef->runner_up_divergence, strlen(ef->runner_up_divergence));
    flowvar(j, "flowcarp.tags", ef->tags_joined, ef->tags_joined_len);
    fc_json_arr_end(j);
    fc_json_obj_end(j);
}

void eve_event_begin(struct fc_json *j, const struct emit_flow *ef, int64_t ts_us, const char *event_type)
{
    fc_json_obj_begin(j);
    eve_kv_time(j, "timestamp", ts_us);
    fc_json_kv_u64(j, "flow_id", ef->ids.flow_id);
    fc_json_kv_str(j, "event_type", event_type);
    eve_endpoints(j, ef);
}

void eve_event_end(struct emit_ctx *c, const struct emit_flow *ef)
{
    fc_json_kv_str(&c->json, "community_id", ef->ids.community_id);
    eve_metadata(&c->json, ef);
    fc_json_obj_end(&c->json);
    fc_out_char(&c->out, '\n');
}
