/* \summary: the parts every Suricata Eve event shares: times, endpoints, app_proto, FlowCarp flowvars */
#include <string.h>

#include "emit.h"
#include "proto_names.h"
#include "time_format.h"

/* src_ip .. proto, then the ICMP type/code fields (FORMATS.md §4 "Flow event"). */
void eve_endpoints(struct fc_json *j, const struct emit_flow *ef)
{
    const struct fc_flow *f = ef->f;
    bool ports = emit_has_transport_ports(f);
    fc_json_kv_plain(j, "src_ip", ef->orig_ip, ef->orig_ip_len);
    if (ports)
        fc_json_kv_u64(j, "src_port", f->orig.port);
    fc_json_kv_plain(j, "dest_ip", ef->resp_ip, ef->resp_ip_len);
    if (ports)
        fc_json_kv_u64(j, "dest_port", f->resp.port);
    fc_json_kv_u64(j, "ip_v", f->ipv);
    char buf[FC_IP_PROTO_NAME_MAX];
    const char *proto = fc_ip_proto_name(f->proto, buf);
    fc_json_kv_plain(j, "proto", proto, strlen(proto));
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

/*
 * The app_proto of a model name. The alias table and the slug rule take a visible share
 * of a line, and the flows of a capture name few models, mostly one after another: the
 * last name's app_proto is kept.
 */
static const char *app_proto_of(const struct emit_str *name, size_t *len)
{
    static char last_name[FC_SLUG_MAX], slug[FC_SLUG_MAX];
    static size_t last_name_len, slug_len;
    static bool known;
    if (!known || name->n != last_name_len || memcmp(name->p, last_name, name->n) != 0) {
        fc_eve_app_proto(name->p, name->n, slug);
        slug_len = strlen(slug);
        known = name->n < sizeof last_name; /* a longer name is never kept */
        if (known) {
            memcpy(last_name, name->p, name->n);
            last_name_len = name->n;
        }
    }
    *len = slug_len;
    return slug;
}

/* Slug (via the alias table) when identified, "failed" when detection ran and failed,
 * left out when there was nothing to detect (§1 verdict table). Slugs are plain ASCII. */
void eve_app_proto(struct fc_json *j, const struct emit_flow *ef)
{
    if (ef->v.kind == EMIT_IDENTIFIED && ef->v.protocol.n) {
        size_t n;
        const char *slug = app_proto_of(&ef->v.protocol, &n);
        fc_json_kv_plain(j, "app_proto", slug, n);
    } else if (ef->v.kind == EMIT_UNKNOWN) {
        fc_json_kv_plain(j, "app_proto", "failed", 6);
    }
}

/* One flowvar object {"key":"value"} (left out when the value is empty); the key's length
 * is given, as the calls below are not always inlined. */
static void flowvar(struct fc_json *j, const char *key, size_t key_len, const char *val, size_t n)
{
    if (!n)
        return;
    fc_json_item(j);
    fc_json_obj_begin(j);
    fc_out_done(j->out, fc_json_key_n_at(j, key, key_len, 0));
    fc_out_json_str(j->out, val, n);
    fc_json_obj_end(j);
}

/* The same for a value fc-emit made (a verdict name, a divergence): nothing to escape. */
static void flowvar_plain(struct fc_json *j, const char *key, size_t key_len, const char *val, size_t n)
{
    if (!n)
        return;
    fc_json_item(j);
    fc_json_obj_begin(j);
    char *p = fc_json_key_n_at(j, key, key_len, n + 2);
    *p++ = '"';
    memcpy(p, val, n);
    p[n] = '"';
    fc_out_done(j->out, p + n + 1);
    fc_json_obj_end(j);
}
#define FLOWVAR(j, key, val, n) flowvar(j, key, sizeof key - 1, val, n)
#define FLOWVAR_PLAIN(j, key, val, n) flowvar_plain(j, key, sizeof key - 1, val, n)

/* metadata.flowvars: the verdict where the schema allows free content (§4). */
void eve_metadata(struct fc_json *j, const struct emit_flow *ef)
{
    const struct emit_verdict *v = &ef->v;
    const char *verdict = emit_verdict_name(v->kind);
    fc_json_key(j, "metadata");
    fc_json_obj_begin(j);
    fc_json_key(j, "flowvars");
    fc_json_arr_begin(j);
    FLOWVAR_PLAIN(j, "flowcarp.verdict", verdict, strlen(verdict));
    FLOWVAR(j, "flowcarp.protocol", v->protocol.p, v->protocol.n);
    FLOWVAR(j, "flowcarp.best", v->best.p, v->best.n);
    FLOWVAR_PLAIN(j, "flowcarp.divergence", ef->divergence, ef->divergence_len);
    FLOWVAR(j, "flowcarp.runner_up", v->runner_up.p, v->runner_up.n);
    FLOWVAR_PLAIN(j, "flowcarp.runner_up_divergence", ef->runner_up_divergence, ef->runner_up_divergence_len);
    FLOWVAR(j, "flowcarp.tags", ef->tags_joined, ef->tags_joined_len);
    fc_json_arr_end(j);
    fc_json_obj_end(j);
}

void eve_event_begin(struct fc_json *j, const struct emit_flow *ef, int64_t ts_us, const char *event_type)
{
    fc_json_obj_begin(j);
    eve_kv_time(j, "timestamp", ts_us);
    fc_json_kv_u64(j, "flow_id", ef->flow_id);
    fc_json_kv_plain(j, "event_type", event_type, strlen(event_type));
    eve_endpoints(j, ef);
}

void eve_event_end(struct emit_ctx *c, const struct emit_flow *ef)
{
    fc_json_kv_plain(&c->json, "community_id", ef->community_id, ef->community_id_len);
    eve_metadata(&c->json, ef);
    fc_json_obj_end(&c->json);
    fc_out_char(&c->out, '\n');
}
