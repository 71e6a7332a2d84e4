/* \summary: fc-emit's table of contents: the output-format interface and the flow view every format reads */
#ifndef FC_EMIT_H
#define FC_EMIT_H

/*
 * fc-emit reads a record stream and writes one text line per flow, per alert, or
 * per record (Json). Each output format lives in its own format_*.c file and is
 * listed in the formats[] table of format.c. Flow formats never look at msgpack:
 * main.c turns every flow record (kind 2) and every verdict record (kind 5, the flow
 * as it was when fc-classify decided) into a struct emit_flow once (counters,
 * verdict, identifiers, printed addresses), and the format only chooses keys, order
 * and quoting, exactly as FORMATS.md prescribes for it.
 *
 * Alerts (FORMATS.md §1 "Alerts"): a verdict record whose verdict is identified with
 * the tag MALICIOUS goes to the format's alert() at once, so an alert never waits for
 * its flow to end; fc-classify writes one verdict record per flow, so one alert each.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow_ids.h"
#include "flow_record.h"
#include "json_write.h"
#include "stream.h"
#include "time_format.h"

/* A string inside the current record (valid until the next record is read). */
struct emit_str {
    const char *p;
    size_t n;               /* 0: missing */
};

#define EMIT_MAX_TAGS 32

enum emit_verdict_kind { EMIT_IDENTIFIED, EMIT_UNKNOWN, EMIT_NO_PAYLOAD };

/* FORMATS.md §1 "Verdict". Without fc-classify in the pipe: no_payload when neither
 * side carried payload, else unknown, and no model fields. */
struct emit_verdict {
    enum emit_verdict_kind kind;
    struct emit_str protocol;           /* identified model's name; identified only */
    struct emit_str best;               /* closest model */
    bool has_divergence;
    double divergence;
    struct emit_str runner_up;
    bool has_runner_up_divergence;
    double runner_up_divergence;
    struct emit_str tags[EMIT_MAX_TAGS]; /* sorted by bytes, unique; identified only */
    size_t n_tags;
    bool alerted;                       /* identified and tagged MALICIOUS (§1 "Alerts") */
};

struct emit_flow {
    const struct fc_flow *f;
    struct emit_verdict v;
    /* FORMATS.md §2 identifiers (fc_flow_ids' three, the uid printed from the digest by
     * the formats that show it: emit_uid) */
    uint64_t flow_id;
    char community_id[FC_COMMUNITY_ID_MAX];
    size_t community_id_len;
    uint8_t flow_key_digest[FC_SHA1_LEN];
    char orig_ip[INET6_ADDRSTRLEN], resp_ip[INET6_ADDRSTRLEN];
    size_t orig_ip_len, resp_ip_len;
    char divergence[FC_DECIMALS_TEXT_MAX], runner_up_divergence[FC_DECIMALS_TEXT_MAX]; /* "%.4f"; "" when missing */
    size_t divergence_len, runner_up_divergence_len;
    const char *tags_joined;            /* tags joined by ';'; "" when none */
    size_t tags_joined_len;
    int64_t alert_us;                   /* verdict record's at_us (alert time), else end_us */
};

struct emit_ctx {
    struct fc_out out;                  /* the output stream */
    struct fc_json json;                /* JSON writer into out */
    struct fc_cid_options cid;
    struct fc_reader reader;
    struct fc_out scratch;              /* memory buffer for composed values (tags_joined) */
    bool said_no_flows;                 /* packet records met, and said so once */
};

struct emit_format {
    const char *name;                   /* --format NAME, matched case-insensitively */
    const char *summary;                /* one line for -h and the error message */
    void (*begin)(struct emit_ctx *c);  /* before the first record (header rows); may be NULL */
    /* Called for every record of any kind when set; flow() and alert() are then never called. */
    void (*record)(struct emit_ctx *c, const struct fc_record *rec);
    void (*flow)(struct emit_ctx *c, const struct emit_flow *ef);   /* per flow record; may be NULL */
    void (*alert)(struct emit_ctx *c, const struct emit_flow *ef);  /* per alerting verdict; may be NULL */
    void (*end)(struct emit_ctx *c);    /* after the last record; may be NULL */
};

/* format.c: the registry */
const struct emit_format *emit_format_find(const char *name);
/* Writes the valid names, comma-separated, into a static string. */
const char *emit_format_names(void);
void emit_format_list(struct fc_out *o); /* one "  NAME  summary" line each, for -h */
/* Hands one record to the format: record() when it has one, else a flow record to flow() and
 * an alerting verdict record to alert(); a damaged flow or verdict is skipped with a warning
 * and marks the reader failed. */
void emit_record(struct emit_ctx *c, const struct emit_format *fmt, const struct fc_record *rec);

/* flow_view.c: a flow or verdict record -> struct emit_flow; false (with why) if it is damaged. */
bool emit_flow_prepare(struct emit_ctx *c, const msgpack_object *map, struct fc_flow *storage,
                       struct emit_flow *ef, const char **why);
const char *emit_verdict_name(enum emit_verdict_kind k);
/* The flow's Zeek uid (FORMATS.md §2). */
void emit_uid(const struct emit_flow *ef, char out[FC_UID_LEN + 1]);
/* TCP, UDP, SCTP: the protocols whose ports Eve prints as src_port/dest_port. */
bool emit_has_transport_ports(const struct fc_flow *f);

/* verdict.c: reads the verdict fields of a flow record, found as listed here (in the order
 * fc-classify writes them; flow_view.c finds them in the same pass as the flow fields). */
enum emit_verdict_field {
    V_VERDICT, V_PROTOCOL, V_MODEL, V_DIVERGENCE, V_RUNNER_UP, V_RUNNER_UP_DIVERGENCE, V_TAGS,
    EMIT_VERDICT_FIELD_COUNT
};
#define EMIT_VERDICT_FIELD_KEYS                                                                         \
    FC_MAP_KEY(FC_KEY_VERDICT), FC_MAP_KEY(FC_KEY_PROTOCOL), FC_MAP_KEY(FC_KEY_MODEL),                  \
    FC_MAP_KEY(FC_KEY_DIVERGENCE), FC_MAP_KEY(FC_KEY_RUNNER_UP), FC_MAP_KEY(FC_KEY_RUNNER_UP_DIVERGENCE), \
    FC_MAP_KEY(FC_KEY_TAGS)
bool emit_verdict_read(const msgpack_object *const o[EMIT_VERDICT_FIELD_COUNT], const struct fc_flow *f,
                       struct emit_verdict *v, const char **why);

/* flow_columns.c: the 27 CSV/TSV columns (FORMATS.md §3) */
struct column_value {
    const char *p;                      /* NULL: missing */
    size_t n;
};
#define EMIT_COLUMN_BUF 64
struct flow_column {
    const char *name;
    struct column_value (*value)(const struct emit_flow *ef, char buf[EMIT_COLUMN_BUF]);
};
extern const struct flow_column flow_columns[];
extern const size_t flow_column_count;

/* eve_common.c: parts shared by the Eve event types */
/* A time, written in place (it needs no escaping); inline, so the key's length is a constant. */
static inline void eve_kv_time(struct fc_json *j, const char *key, int64_t us)
{
    char *p = fc_json_key_at(j, key, FC_TIME_MAX + 2);
    *p++ = '"';
    p += fc_time_iso(us, FC_ZONE_EVE, p);
    *p++ = '"';
    fc_out_done(j->out, p);
}
void eve_endpoints(struct fc_json *j, const struct emit_flow *ef);
void eve_app_proto(struct fc_json *j, const struct emit_flow *ef);
void eve_metadata(struct fc_json *j, const struct emit_flow *ef);
/* Opens an event: timestamp, flow_id, event_type and the endpoints; closes it: community_id,
 * metadata and the end of the line. Each event type writes its own keys in between. */
void eve_event_begin(struct fc_json *j, const struct emit_flow *ef, int64_t ts_us, const char *event_type);
void eve_event_end(struct emit_ctx *c, const struct emit_flow *ef);
/* format_eve_flow.c, format_eve_alert.c: one event line each (EveJson writes both) */
void eve_flow_line(struct emit_ctx *c, const struct emit_flow *ef);
void eve_alert_line(struct emit_ctx *c, const struct emit_flow *ef);

/* zeek_common.c: parts shared by Zeek conn.log and notice.log */
const char *zeek_proto(uint8_t ip_proto);
void zeek_kv_decimal(struct fc_json *j, const char *key, int64_t us);   /* seconds, 6 decimals */
void zeek_connection_keys(struct fc_json *j, const struct emit_flow *ef, int64_t ts_us); /* ts .. proto */
void zeek_kv_tags(struct fc_json *j, const char *key, const struct emit_verdict *v); /* left out when none */

/* alert_rule.c: what an alert says (FORMATS.md §2 signature id, §4 alert object) */
#define EMIT_SIGNATURE_MAX 256
struct emit_alert {
    uint32_t signature_id;
    char signature[EMIT_SIGNATURE_MAX]; /* "FlowCarp: <model name> (MALICIOUS) detected" */
    size_t signature_len;
    const char *category;
    unsigned severity;
};
void emit_alert_describe(const struct emit_flow *ef, struct emit_alert *a);
/* --no-alert-tag: verdicts whose model carries TAG raise no alert (false with why on a bad tag). */
#define EMIT_TAG_MAX 32
bool emit_alert_silence_tag(const char *tag, const char **why);
/* Clears v->alerted when the model carries a tag turned off. */
void emit_alert_decide(struct emit_verdict *v);

#endif
