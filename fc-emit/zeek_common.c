/* \summary: the parts Zeek conn.log and notice.log lines share: proto names, times, tag sets */
#include <string.h>

#include "emit.h"
#include "time_format.h"

const char *zeek_proto(uint8_t ip_proto)
{
    switch (ip_proto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1:
    case 58: return "icmp";
    default: return "unknown_transport";
    }
}

/* Zeek's JSON::TS_EPOCH: seconds as a number with exactly 6 decimals, from the integer parts. */
void zeek_kv_decimal(struct fc_json *j, const char *key, int64_t us)
{
    char *p = fc_json_key_at(j, key, FC_TIME_MAX);
    fc_out_done(j->out, p + fc_time_decimal(us, p));
}

/* The keys that open every Zeek line about a connection: ts, uid, the id record, proto. */
void zeek_connection_keys(struct fc_json *j, const struct emit_flow *ef, int64_t ts_us)
{
    const struct fc_flow *f = ef->f;
    const char *proto = zeek_proto(f->proto);
    char uid[FC_UID_LEN + 1];
    emit_uid(ef, uid);
    zeek_kv_decimal(j, "ts", ts_us);
    fc_json_kv_plain(j, "uid", uid, FC_UID_LEN);
    fc_json_kv_plain(j, "id.orig_h", ef->orig_ip, ef->orig_ip_len);
    fc_json_kv_u64(j, "id.orig_p", f->has_ports ? f->orig.port : 0);
    fc_json_kv_plain(j, "id.resp_h", ef->resp_ip, ef->resp_ip_len);
    fc_json_kv_u64(j, "id.resp_p", f->has_ports ? f->resp.port : 0);
    fc_json_kv_plain(j, "proto", proto, strlen(proto));
}

/* A Zeek set of strings: a JSON array, sorted (the verdict keeps tags sorted). */
void zeek_kv_tags(struct fc_json *j, const char *key, const struct emit_verdict *v)
{
    if (!v->n_tags)
        return;
    fc_json_key(j, key);
    fc_json_arr_begin(j);
    for (size_t i = 0; i < v->n_tags; i++) {
        fc_json_item(j);
        fc_out_json_str(j->out, v->tags[i].p, v->tags[i].n);
    }
    fc_json_arr_end(j);
}
