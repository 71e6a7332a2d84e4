/* \summary: ZeekNotice: one Zeek notice.log entry per MALICIOUS verdict as a JSON line (FORMATS.md §6) */
#include <stdio.h>

#include "emit.h"
#include "formats.h"

/* "tags=A;B divergence=0.0412 runner_up=HTTP" (runner_up "-" when there is none).
 * Built from model names and tags, which fc-classify bounds; a hand-made stream with
 * longer ones gets a cut text, never an overrun. */
static int at_most(size_t n, size_t size) { return (int)(n < size ? n : size); }

static void notice_sub(const struct emit_flow *ef, char *out, size_t size)
{
    struct emit_str r = ef->v.runner_up.n ? ef->v.runner_up : (struct emit_str){ "-", 1 };
    snprintf(out, size, "tags=%.*s divergence=%s runner_up=%.*s", at_most(ef->tags_joined_len, size),
             ef->tags_joined, ef->divergence, at_most(r.n, size), r.p);
}

static void zeek_notice_alert(struct emit_ctx *c, const struct emit_flow *ef)
{
    const struct fc_flow *f = ef->f;
    struct fc_json *j = &c->json;
    struct emit_alert a;
    emit_alert_describe(ef, &a);
    char sub[4096];
    notice_sub(ef, sub, sizeof sub);
    fc_json_obj_begin(j);
    zeek_connection_keys(j, ef, ef->alert_us);
    fc_json_kv_str(j, "note", "FlowCarp::Malicious_Protocol");
    fc_json_kv_strn(j, "msg", a.signature, a.signature_len);
    fc_json_kv_str(j, "sub", sub);
    fc_json_kv_str(j, "src", ef->orig_ip);
    fc_json_kv_str(j, "dst", ef->resp_ip);
    if (f->has_ports)
        fc_json_kv_u64(j, "p", f->resp.port);
    fc_json_kv_raw(j, "actions", "[\"Notice::ACTION_LOG\"]");
    fc_json_kv_raw(j, "email_dest", "[]");
    fc_json_kv_raw(j, "suppress_for", "3600.000000");   /* Zeek's default: one hour */
    fc_json_kv_plain(j, "community_id", ef->community_id, ef->community_id_len);
    fc_json_kv_strn(j, "flowcarp_protocol", ef->v.protocol.p, ef->v.protocol.n);
    if (ef->divergence[0])
        fc_json_kv_raw(j, "flowcarp_divergence", ef->divergence);
    if (ef->v.runner_up.n)
        fc_json_kv_strn(j, "flowcarp_runner_up", ef->v.runner_up.p, ef->v.runner_up.n);
    if (ef->runner_up_divergence[0])
        fc_json_kv_raw(j, "flowcarp_runner_up_divergence", ef->runner_up_divergence);
    zeek_kv_tags(j, "flowcarp_tags", &ef->v);
    fc_json_obj_end(j);
    fc_out_char(&c->out, '\n');
}

const struct emit_format format_zeek_notice = {
    .name = "ZeekNotice",
    .summary = "Zeek notice.log as JSON lines, one per alert (flows tagged MALICIOUS)",
    .alert = zeek_notice_alert,
};
