/* \summary: the 27 CSV/TSV columns of FORMATS.md §3, as one table of names and value functions */
#include <string.h>

#include "emit.h"
#include "proto_names.h"
#include "time_format.h"

static const struct column_value missing = { NULL, 0 };

static struct column_value text(const char *s) { return (struct column_value){ s, strlen(s) }; }
static struct column_value text_or_missing(const char *p, size_t n)
{
    return n ? (struct column_value){ p, n } : missing;
}
static struct column_value number(uint64_t v, char buf[EMIT_COLUMN_BUF])
{
    return (struct column_value){ buf, (size_t)(fc_text_u64(buf, v) - buf) };
}

static struct column_value start_time(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return (struct column_value){ buf, fc_time_iso(ef->f->start_us, FC_ZONE_CSV, buf) };
}
static struct column_value end_time(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return (struct column_value){ buf, fc_time_iso(ef->f->end_us, FC_ZONE_CSV, buf) };
}
static struct column_value duration(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return (struct column_value){ buf, fc_time_decimal(ef->f->end_us - ef->f->start_us, buf) };
}
static struct column_value ip_version(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->ipv, buf);
}
static struct column_value proto(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->proto, buf);
}
static struct column_value proto_name(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return text(fc_ip_proto_name(ef->f->proto, buf));
}
static struct column_value client_ip(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return (struct column_value){ ef->orig_ip, ef->orig_ip_len };
}
static struct column_value client_port(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return ef->f->has_ports ? number(ef->f->orig.port, buf) : missing;
}
static struct column_value server_ip(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return (struct column_value){ ef->resp_ip, ef->resp_ip_len };
}
static struct column_value server_port(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return ef->f->has_ports ? number(ef->f->resp.port, buf) : missing;
}
static struct column_value client_packets(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->orig.pkts, buf);
}
static struct column_value client_ip_bytes(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->orig.ip_bytes, buf);
}
static struct column_value client_payload_bytes(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->orig.payload_bytes, buf);
}
static struct column_value server_packets(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->resp.pkts, buf);
}
static struct column_value server_ip_bytes(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->resp.ip_bytes, buf);
}
static struct column_value server_payload_bytes(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->f->resp.payload_bytes, buf);
}
static struct column_value conn_state(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->f->conn_state, strlen(ef->f->conn_state));
}
static struct column_value verdict(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text(emit_verdict_name(ef->v.kind));
}
static struct column_value app_protocol(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->v.protocol.p, ef->v.protocol.n);
}
static struct column_value best_model(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->v.best.p, ef->v.best.n);
}
static struct column_value divergence(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->divergence, ef->divergence_len);
}
static struct column_value runner_up(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->v.runner_up.p, ef->v.runner_up.n);
}
static struct column_value runner_up_divergence(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->runner_up_divergence, ef->runner_up_divergence_len);
}
static struct column_value tags(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return text_or_missing(ef->tags_joined, ef->tags_joined_len);
}
static struct column_value community_id(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    (void)buf;
    return (struct column_value){ ef->community_id, ef->community_id_len };
}
static struct column_value flow_id(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    return number(ef->flow_id, buf);
}
static struct column_value uid(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF])
{
    emit_uid(ef, buf);
    return (struct column_value){ buf, FC_UID_LEN };
}

const struct flow_column flow_columns[] = {
    { "start_time", start_time },
    { "end_time", end_time },
    { "duration", duration },
    { "ip_version", ip_version },
    { "proto", proto },
    { "proto_name", proto_name },
    { "client_ip", client_ip },
    { "client_port", client_port },
    { "server_ip", server_ip },
    { "server_port", server_port },
    { "client_packets", client_packets },
    { "client_ip_bytes", client_ip_bytes },
    { "client_payload_bytes", client_payload_bytes },
    { "server_packets", server_packets },
    { "server_ip_bytes", server_ip_bytes },
    { "server_payload_bytes", server_payload_bytes },
    { "conn_state", conn_state },
    { "verdict", verdict },
    { "app_protocol", app_protocol },
    { "best_model", best_model },
    { "divergence", divergence },
    { "runner_up", runner_up },
    { "runner_up_divergence", runner_up_divergence },
    { "tags", tags },
    { "community_id", community_id },
    { "flow_id", flow_id },
    { "uid", uid },
};
const size_t flow_column_count = sizeof flow_columns / sizeof flow_columns[0];
