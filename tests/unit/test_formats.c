/* \summary: every fc-emit format against FORMATS.md: the §8 worked example byte for byte, alerts, quoting, missing values */
#include <float.h>
#include <math.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"      /* fc-emit's objects are linked in (Makefile rule for test_formats) */
#include "formats.h"
#include "proto_names.h"
#include "record.h"
#include "time_format.h"
#include "unit.h"
#include "worked_example.h"

static struct emit_ctx ctx;

/* Verdict fields as fc-classify will add them (NULL / negative = left out). */
struct test_verdict {
    const char *verdict, *protocol, *model, *runner_up;
    double divergence, runner_up_divergence;
    const char *tags[4];
};

static const struct test_verdict njrat = {
    "identified", "njRAT", "njRAT", "HTTP", 0.0412, 0.3187, { "REMOTEACCESS", "MALICIOUS", "REMOTEACCESS" },
};
static const struct test_verdict no_verdict = { NULL, NULL, NULL, NULL, -1, -1, { NULL } };

static void pack_opt_str(msgpack_packer *pk, const char *key, const char *val, uint32_t *n)
{
    if (val) {
        fc_pack_kv_str(pk, key, val);
        ++*n;
    }
}

/* Packs the flow as fc-flow does (kind 2), or as fc-classify's verdict record (kind 5, with
 * at_us when >= 0), plus verdict fields, and returns the record's map. */
static msgpack_object pack_record(int kind, int64_t at_us, const struct fc_flow *f, const struct test_verdict *v,
                                  msgpack_sbuffer *sb, msgpack_unpacked *up)
{
    msgpack_sbuffer extra;
    msgpack_sbuffer_init(&extra);
    msgpack_packer xp;
    msgpack_packer_init(&xp, &extra, msgpack_sbuffer_write);
    uint32_t n = 0;
    pack_opt_str(&xp, FC_KEY_VERDICT, v->verdict, &n);
    pack_opt_str(&xp, FC_KEY_PROTOCOL, v->protocol, &n);
    pack_opt_str(&xp, FC_KEY_MODEL, v->model, &n);
    if (v->divergence >= 0) {
        fc_pack_str(&xp, FC_KEY_DIVERGENCE);
        msgpack_pack_double(&xp, v->divergence);
        n++;
    }
    pack_opt_str(&xp, FC_KEY_RUNNER_UP, v->runner_up, &n);
    if (v->runner_up_divergence >= 0) {
        fc_pack_str(&xp, FC_KEY_RUNNER_UP_DIVERGENCE);
        msgpack_pack_double(&xp, v->runner_up_divergence);
        n++;
    }
    if (at_us >= 0) {
        fc_pack_kv_int(&xp, FC_KEY_AT, at_us);
        n++;
    }
    size_t tags = 0;
    while (tags < 4 && v->tags[tags])
        tags++;
    if (tags) {
        fc_pack_str(&xp, FC_KEY_TAGS);
        msgpack_pack_array(&xp, tags);
        for (size_t i = 0; i < tags; i++)
            fc_pack_str(&xp, v->tags[i]);
        n++;
    }
    msgpack_sbuffer_clear(sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 1 + fc_flow_field_count(f) + n);
    fc_pack_kv_uint(&pk, FC_KEY_KIND, (uint64_t)kind);
    fc_flow_pack_fields(&pk, f);
    msgpack_sbuffer_write(sb, extra.data, extra.size);
    msgpack_sbuffer_destroy(&extra);
    size_t off = 0;
    msgpack_unpack_next(up, sb->data, sb->size, &off);
    return up->data;
}

/* Runs one format's flow() on a flow record, or its alert() on a verdict record (kind 5,
 * alert time at_us; the alert is written only when the verdict alerts, as fc-emit does),
 * and returns its output (without the final LF). */
static const char *emit_record_line(const struct emit_format *fmt, int kind, int64_t at_us, const struct fc_flow *f,
                                    const struct test_verdict *v)
{
    static char line[8192];
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    msgpack_object map = pack_record(kind, at_us, f, v, &sb, &up);
    struct fc_flow storage;
    struct emit_flow ef;
    const char *why = "";
    ctx.out.len = 0;
    if (!emit_flow_prepare(&ctx, &map, &storage, &ef, &why)) {
        snprintf(line, sizeof line, "(flow refused: %s)", why);
    } else {
        if (kind == FC_REC_FLOW)
            fmt->flow(&ctx, &ef);
        else if (ef.v.alerted)
            fmt->alert(&ctx, &ef);
        size_t n = ctx.out.len && ctx.out.buf[ctx.out.len - 1] == '\n' ? ctx.out.len - 1 : ctx.out.len;
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, ctx.out.buf, n);
        line[n] = 0;
    }
    msgpack_unpacked_destroy(&up);
    msgpack_sbuffer_destroy(&sb);
    return line;
}

static const char *emit_one(const struct emit_format *fmt, const struct fc_flow *f, const struct test_verdict *v)
{
    return emit_record_line(fmt, FC_REC_FLOW, -1, f, v);
}

static const char *emit_alert(const struct emit_format *fmt, int64_t at_us, const struct fc_flow *f,
                              const struct test_verdict *v)
{
    return emit_record_line(fmt, FC_REC_VERDICT, at_us, f, v);
}

static const char *emit_header(const struct emit_format *fmt)
{
    static char line[1024];
    ctx.out.len = 0;
    fmt->begin(&ctx);
    snprintf(line, sizeof line, "%.*s", (int)(ctx.out.len ? ctx.out.len - 1 : 0), ctx.out.buf);
    return line;
}

/* ---- FORMATS.md lines ---- */

static char *doc;            /* FORMATS.md with each "→" turned into a TAB */

static void load_formats_doc(void)
{
    const char *shared = getenv("FC_SHARED");
    char path[1024];
    if (shared)
        snprintf(path, sizeof path, "%s/FORMATS.md", shared);
    else
        snprintf(path, sizeof path, "%s/../shared/FORMATS.md", getenv("FC_ROOT") ? getenv("FC_ROOT") : ".");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return;
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && !memcmp(buf + i, "\xe2\x86\x92", 3)) {
            buf[o++] = '\t';
            i += 2;
        } else {
            buf[o++] = buf[i];
        }
    }
    buf[o] = 0;
    doc = buf;
}

/* True when `line` is a whole line of FORMATS.md. */
static bool doc_has_line(const char *line)
{
    size_t n = strlen(line);
    for (const char *p = doc; (p = strstr(p, line)) != NULL; p++)
        if ((p == doc || p[-1] == '\n') && (p[n] == '\n' || p[n] == 0))
            return true;
    return false;
}

static void check_doc_line(const char *name, const char *line)
{
    if (!doc) {
        printf("skip %s: ../shared/FORMATS.md not present\n", name);
        return;
    }
    if (doc_has_line(line))
        printf("ok %s\n", name);
    else {
        printf("not ok %s: this line is not in FORMATS.md §8: [%s]\n", name, line);
        unit_failures++;
    }
}

static void check_worked_example(void)
{
    struct fc_flow f = worked_example_flow();
    const char *csv_header = emit_header(&format_csv);
    check_doc_line("csv_header_is_formats_header", csv_header);
    char tsv_expected[1024];
    snprintf(tsv_expected, sizeof tsv_expected, "%s", csv_header);
    for (char *p = tsv_expected; *p; p++)
        if (*p == ',')
            *p = '\t';
    CHECK_STR("tsv_header_is_csv_header_with_tabs", tsv_expected, emit_header(&format_tsv));
    check_doc_line("csv_row_of_worked_example", emit_one(&format_csv, &f, &njrat));
    check_doc_line("tsv_row_of_worked_example", emit_one(&format_tsv, &f, &njrat));
    check_doc_line("zeek_conn_line_of_worked_example", emit_one(&format_zeek_conn, &f, &njrat));
    check_doc_line("eve_flow_line_of_worked_example", emit_one(&format_eve_flow, &f, &njrat));
    /* The alert lines come from the verdict record; the example's alert time is its end. */
    check_doc_line("eve_alert_line_of_worked_example", emit_alert(&format_eve_alert, f.end_us, &f, &njrat));
    check_doc_line("zeek_notice_line_of_worked_example", emit_alert(&format_zeek_notice, f.end_us, &f, &njrat));
    char eve_alert[8192];
    snprintf(eve_alert, sizeof eve_alert, "%s", emit_alert(&format_eve_alert, f.end_us, &f, &njrat));
    CHECK_STR("evejson_alert_line_is_evejsonalert_line", eve_alert, emit_alert(&format_eve_json, f.end_us, &f, &njrat));
    char eve_flow[8192];
    snprintf(eve_flow, sizeof eve_flow, "%s", emit_one(&format_eve_flow, &f, &njrat));
    CHECK_STR("evejson_flow_line_is_evejsonflow_line", eve_flow, emit_one(&format_eve_json, &f, &njrat));
}

/* ---- alerts: when, what time, which counters, category and severity ---- */

static void check_alerts(void)
{
    struct fc_flow f = worked_example_flow();
    /* An open C2 flow: the verdict came after 3 packets each way, long before the end. */
    struct fc_flow early = f;
    early.orig.pkts = early.resp.pkts = 3;
    early.orig.ip_bytes = 400;
    early.resp.ip_bytes = 900;
    early.end_us = f.start_us + 120000;
    const char *eve = emit_alert(&format_eve_alert, early.end_us, &early, &njrat);
    CHECK("alert_time_is_the_verdict_time", strstr(eve, "{\"timestamp\":\"2017-07-14T02:42:00.120000+0000\",") == eve);
    CHECK("alert_counters_are_the_verdict_snapshot",
          strstr(eve, "\"flow\":{\"pkts_toserver\":3,\"pkts_toclient\":3,\"bytes_toserver\":400,\"bytes_toclient\":900,") != NULL);
    const char *zeek = emit_alert(&format_zeek_notice, early.end_us, &early, &njrat);
    CHECK("notice_time_is_the_verdict_time", strstr(zeek, "{\"ts\":1500000120.120000,") == zeek);

    struct test_verdict miner = { "identified", "XMRig Stratum", "XMRig Stratum", NULL, 0.5, -1,
                                  { "MALICIOUS", "COINMINER" } };
    eve = emit_alert(&format_eve_alert, f.end_us, &f, &miner);
    CHECK("coinminer_alert_category_and_severity_2",
          strstr(eve, "\"signature\":\"FlowCarp: XMRig Stratum (MALICIOUS) detected\",\"category\":\"Crypto Currency Mining "
                      "Activity Detected\",\"severity\":2,\"metadata\":{\"tag\":[\"COINMINER\",\"MALICIOUS\"],") != NULL);
    CHECK("alert_app_proto_is_the_slug", strstr(eve, "\"app_proto\":\"xmrig-stratum\",") != NULL);
    zeek = emit_alert(&format_zeek_notice, f.end_us, &f, &miner);
    CHECK("notice_without_runner_up_says_dash_and_leaves_fields_out",
          strstr(zeek, "\"sub\":\"tags=COINMINER;MALICIOUS divergence=0.5000 runner_up=-\"") != NULL &&
              strstr(zeek, "flowcarp_runner_up") == NULL);

    struct test_verdict trojan = { "identified", "Example RAT", "Example RAT", "HTTP", 0.2, 0.9, { "MALICIOUS" } };
    eve = emit_alert(&format_eve_alert, f.end_us, &f, &trojan);
    CHECK("malicious_only_alert_is_a_trojan_with_severity_1",
          strstr(eve, "\"category\":\"A Network Trojan was detected\",\"severity\":1,") != NULL);
    char slug_id[64];
    snprintf(slug_id, sizeof slug_id, "\"signature_id\":%u,", (unsigned)fc_signature_id("example-rat"));
    CHECK("alert_signature_id_is_of_the_slug", strstr(eve, slug_id) != NULL);

    /* No alert: tagged but not MALICIOUS, MALICIOUS but not identified */
    struct test_verdict remote = { "identified", "AnyDesk", "AnyDesk", NULL, 0.3, -1, { "REMOTEACCESS" } };
    CHECK_STR("remoteaccess_without_malicious_does_not_alert", "", emit_alert(&format_eve_alert, f.end_us, &f, &remote));
    struct test_verdict unsure = { "unknown", NULL, "njRAT", "HTTP", 0.3, 0.31, { "MALICIOUS" } };
    CHECK_STR("unknown_verdict_does_not_alert", "", emit_alert(&format_zeek_notice, f.end_us, &f, &unsure));
    CHECK("unknown_flow_is_not_alerted", strstr(emit_one(&format_eve_flow, &f, &unsure), "\"alerted\":false") != NULL);

    /* ICMP: no ports in the alert's flow object, Zeek's p left out only for port-less protocols */
    struct fc_flow gre = f;
    gre.proto = 47;
    gre.has_ports = false;
    eve = emit_alert(&format_eve_alert, f.end_us, &gre, &trojan);
    CHECK("portless_alert_flow_object_has_no_ports",
          strstr(eve, "\"start\":\"2017-07-14T02:42:00.000000+0000\",\"src_ip\":\"128.232.110.120\",\"dest_ip\":\"66.35.250.204\"}") != NULL);
    zeek = emit_alert(&format_zeek_notice, f.end_us, &gre, &trojan);
    CHECK("portless_notice_has_no_p", strstr(zeek, "\"p\":") == NULL && strstr(zeek, "\"proto\":\"unknown_transport\"") != NULL);
}

/* ---- quoting, escaping, missing values ---- */

static const char *field(const char *line, char sep, int index)
{
    static char out[512];
    const char *p = line;
    for (int i = 0; i < index && p; i++) {
        p = strchr(p, sep);
        if (p)
            p++;
    }
    if (!p)
        return "(no such field)";
    const char *end = strchr(p, sep);
    size_t n = end ? (size_t)(end - p) : strlen(p);
    snprintf(out, sizeof out, "%.*s", (int)n, p);
    return out;
}

static void check_csv_quoting(void)
{
    struct fc_flow f = worked_example_flow();
    struct test_verdict odd = { "identified", "Foo, \"v2\"", "Foo, \"v2\"", "plain", 1, 2, { "X" } };
    const char *line = emit_one(&format_csv, &f, &odd);
    CHECK("csv_quotes_comma_and_doubles_quotes", strstr(line, ",identified,\"Foo, \"\"v2\"\"\",\"Foo, \"\"v2\"\"\",1.0000,plain,2.0000,X,") != NULL);
    struct test_verdict crlf = { "identified", "a\r\nb", NULL, NULL, -1, -1, { NULL } };
    line = emit_one(&format_csv, &f, &crlf);
    CHECK("csv_quotes_cr_lf", strstr(line, ",identified,\"a\r\nb\",,,,,,") != NULL);
    struct test_verdict bad_utf8 = { "identified", "x\xff" "y\xc3\xa9", NULL, NULL, -1, -1, { NULL } };
    line = emit_one(&format_csv, &f, &bad_utf8);
    CHECK("csv_invalid_utf8_becomes_replacement_char", strstr(line, ",x\xef\xbf\xbdy\xc3\xa9,") != NULL);
}

static void check_tsv_escaping(void)
{
    struct fc_flow f = worked_example_flow();
    struct test_verdict odd = { "identified", "a\tb\\c\nd\re\x01\x7f", "-", NULL, -1, -1, { NULL } };
    const char *line = emit_one(&format_tsv, &f, &odd);
    CHECK_STR("tsv_escapes_tab_backslash_lf_cr_controls", "a\\tb\\\\c\\nd\\re\\x01\\x7f", field(line, '\t', 18));
    CHECK_STR("tsv_present_dash_is_x2d", "\\x2d", field(line, '\t', 19));
    CHECK_STR("tsv_missing_is_dash", "-", field(line, '\t', 20));
}

static void check_missing_values(void)
{
    /* Without fc-classify: verdict from the payload counters, no model fields. */
    struct fc_flow f = worked_example_flow();
    const char *csv = emit_one(&format_csv, &f, &no_verdict);
    CHECK_STR("csv_verdict_unknown_with_payload_and_no_classifier", "unknown", field(csv, ',', 17));
    CHECK_STR("csv_app_protocol_missing_is_empty", "", field(csv, ',', 18));
    CHECK_STR("csv_tags_missing_is_empty", "", field(csv, ',', 23));
    const char *tsv = emit_one(&format_tsv, &f, &no_verdict);
    CHECK_STR("tsv_best_model_missing_is_dash", "-", field(tsv, '\t', 19));
    const char *eve = emit_one(&format_eve_flow, &f, &no_verdict);
    CHECK("eve_unknown_app_proto_is_failed", strstr(eve, "\"proto\":\"TCP\",\"app_proto\":\"failed\",\"flow\":") != NULL);
    CHECK("eve_flowvars_has_only_verdict", strstr(eve, "\"metadata\":{\"flowvars\":[{\"flowcarp.verdict\":\"unknown\"}]}}") != NULL);
    CHECK("eve_not_alerted_without_malicious", strstr(eve, "\"alerted\":false") != NULL);
    const char *zeek = emit_one(&format_zeek_conn, &f, &no_verdict);
    CHECK("zeek_no_service_and_no_model_fields",
          strstr(zeek, "\"service\"") == NULL && strstr(zeek, "\"flowcarp_verdict\":\"unknown\"}") != NULL);

    f.orig.payload_bytes = f.resp.payload_bytes = 0;
    f.end_us = f.start_us;
    csv = emit_one(&format_csv, &f, &no_verdict);
    CHECK_STR("csv_verdict_no_payload_without_payload", "no_payload", field(csv, ',', 17));
    eve = emit_one(&format_eve_flow, &f, &no_verdict);
    CHECK("eve_no_payload_has_no_app_proto", strstr(eve, "app_proto") == NULL);
    zeek = emit_one(&format_zeek_conn, &f, &no_verdict);
    CHECK("zeek_zero_duration_leaves_out_duration_and_bytes",
          strstr(zeek, "\"proto\":\"tcp\",\"conn_state\":\"SF\"") != NULL);

    /* A port-less protocol (GRE) */
    f.proto = 47;
    f.has_ports = false;
    f.history[0] = 0;
    csv = emit_one(&format_csv, &f, &no_verdict);
    CHECK("csv_portless_ports_empty", strstr(csv, ",47,GRE,128.232.110.120,,66.35.250.204,,6,") != NULL);
    tsv = emit_one(&format_tsv, &f, &no_verdict);
    CHECK("tsv_portless_ports_dash", strstr(tsv, "\t47\tGRE\t128.232.110.120\t-\t66.35.250.204\t-\t6\t") != NULL);
    zeek = emit_one(&format_zeek_conn, &f, &no_verdict);
    CHECK("zeek_portless_ports_zero_unknown_transport",
          strstr(zeek, "\"id.orig_p\":0,\"id.resp_h\":\"66.35.250.204\",\"id.resp_p\":0,\"proto\":\"unknown_transport\"") != NULL);
    eve = emit_one(&format_eve_flow, &f, &no_verdict);
    CHECK("eve_portless_has_no_ports_and_no_tcp_object",
          strstr(eve, "\"src_ip\":\"128.232.110.120\",\"dest_ip\":\"66.35.250.204\",\"ip_v\":4,\"proto\":\"GRE\"") != NULL &&
              strstr(eve, "\"tcp\"") == NULL);
}

static void check_icmp_and_ipv6(void)
{
    struct fc_flow f = worked_example_flow();
    f.ipv = 6;
    f.proto = 58;
    static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 1, 2, 3, 4 };
    memcpy(f.orig.ip, a, 16);
    memcpy(f.resp.ip, mapped, 16);
    f.orig.port = 128;
    f.resp.port = 129;
    f.orig.has_icmp = f.resp.has_icmp = true;
    f.orig.icmp_type = 128;
    f.resp.icmp_type = 129;
    f.orig.tcp_flags = f.resp.tcp_flags = 0;
    f.history[0] = 0;
    strcpy(f.conn_state, "OTH");
    const char *csv = emit_one(&format_csv, &f, &no_verdict);
    CHECK("csv_ipv6_rfc5952_and_mapped_ipv4",
          strstr(csv, ",6,58,IPv6-ICMP,2001:db8::1,128,::ffff:1.2.3.4,129,") != NULL);
    const char *eve = emit_one(&format_eve_flow, &f, &no_verdict);
    CHECK("eve_icmp6_type_code_and_response",
          strstr(eve, "\"dest_ip\":\"::ffff:1.2.3.4\",\"ip_v\":6,\"proto\":\"IPv6-ICMP\",\"icmp_type\":128,\"icmp_code\":0,"
                      "\"response_icmp_type\":129,\"response_icmp_code\":0,") != NULL);
    const char *zeek = emit_one(&format_zeek_conn, &f, &no_verdict);
    CHECK("zeek_icmp6_proto_icmp_ports_type_counterpart",
          strstr(zeek, "\"id.orig_p\":128,\"id.resp_h\":\"::ffff:1.2.3.4\",\"id.resp_p\":129,\"proto\":\"icmp\"") != NULL);
}

static void check_json_strings(void)
{
    struct fc_out o;
    fc_out_open(&o, -1, "test");
    fc_out_json_str(&o, "a\"b\\c\n\x01\x7f\xff\xc3\xa9\xed\xa0\x80\xf0\x9f\x98\x80", 18);
    fc_out_char(&o, 0);
    CHECK_STR("json_string_escapes_and_replaces_invalid_utf8",
              "\"a\\\"b\\\\c\\n\\u0001\x7f\\ufffd\xc3\xa9\\ufffd\\ufffd\\ufffd\xf0\x9f\x98\x80\"", o.buf);
    fc_out_close(&o);
}

/* Numbers as fc-emit writes them without printf: the same text as printf, digit counts
 * and rounding included (ties of "%.4f" go to the even digit, from the exact binary value). */
static void check_number_text(void)
{
    bool ints_same = true, decimals_same = true;
    char mine[FC_DECIMALS_TEXT_MAX], libc[FC_DECIMALS_TEXT_MAX];
    uint64_t power = 1;
    for (int k = 0; k < 20; k++, power *= 10)
        for (int64_t d = -2; d <= 2; d++) {
            uint64_t v = power + (uint64_t)d;
            *fc_text_u64(mine, v) = 0;
            snprintf(libc, sizeof libc, "%llu", (unsigned long long)v);
            ints_same = ints_same && strcmp(mine, libc) == 0;
            *fc_text_i64(mine, (int64_t)v) = 0;
            snprintf(libc, sizeof libc, "%lld", (long long)(int64_t)v);
            ints_same = ints_same && strcmp(mine, libc) == 0;
        }
    *fc_text_u64(mine, UINT64_MAX) = 0;
    ints_same = ints_same && strcmp(mine, "18446744073709551615") == 0;
    *fc_text_i64(mine, INT64_MIN) = 0;
    ints_same = ints_same && strcmp(mine, "-9223372036854775808") == 0;
    CHECK("integer_text_is_printf_text", ints_same);

    static const double samples[] = {
        0, -0.0, 0.0412, 0.3187, 1.3638209714652796, 0.03125, 0.09375, 0.00005, 0.00015, 2.5e-5,
        4.9e-324, 1e-300, 99999999999999.99, 1e14, 1e300, -1.5, 123456.78905, 7.00005, 0.99995,
        2.16188421515775670583e29, DBL_MAX, -DBL_MAX,
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        size_t n = fc_text_4_decimals(samples[i], mine);
        snprintf(libc, sizeof libc, "%.4f", samples[i]);
        decimals_same = decimals_same && strcmp(mine, libc) == 0 && n == strlen(libc);
    }
    for (int k = 0; k < 200000; k++) { /* every tie k / 20000 and its neighbours */
        double d = k / 20000.0, near[3] = { d, nextafter(d, 0), nextafter(d, 1) };
        for (int j = 0; j < 3; j++) {
            fc_text_4_decimals(near[j], mine);
            snprintf(libc, sizeof libc, "%.4f", near[j]);
            decimals_same = decimals_same && strcmp(mine, libc) == 0;
        }
    }
    CHECK("four_decimals_text_is_printf_text", decimals_same);
    /* the largest double whole: 309 digits, the point, 4 decimals (a shorter buffer cut it,
     * and a JSON number ending in "." is not one) */
    CHECK("four_decimals_text_of_the_largest_double_is_whole", fc_text_4_decimals(DBL_MAX, mine) == 314 &&
                                                                 strcmp(mine + 309, ".0000") == 0);
}

/* fc_time_iso keeps the text of the last second: times of other seconds, days and years
 * in between, before 1970 too, still print as gmtime says. */
static void check_time_text(void)
{
    static const struct {
        int64_t us;
        const char *iso, *decimal;
    } times[] = {
        { 1500000120454536, "2017-07-14T02:42:00.454536+0000", "1500000120.454536" },
        { 1500000120000001, "2017-07-14T02:42:00.000001+0000", "1500000120.000001" },
        { 1500000121999999, "2017-07-14T02:42:01.999999+0000", "1500000121.999999" },
        { 1500000120454536, "2017-07-14T02:42:00.454536+0000", "1500000120.454536" },
        { -1, "1969-12-31T23:59:59.999999+0000", "-0.000001" },
        { 0, "1970-01-01T00:00:00.000000+0000", "0.000000" },
        { 253402300800000000, "10000-01-01T00:00:00.000000+0000", "253402300800.000000" },
        { 1500000120454536, "2017-07-14T02:42:00.454536+0000", "1500000120.454536" },
    };
    bool same = true;
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        char iso[FC_TIME_MAX], decimal[FC_TIME_MAX];
        size_t n = fc_time_iso(times[i].us, FC_ZONE_EVE, iso);
        size_t m = fc_time_decimal(times[i].us, decimal);
        same = same && strcmp(iso, times[i].iso) == 0 && n == strlen(iso) && strcmp(decimal, times[i].decimal) == 0 &&
               m == strlen(decimal);
    }
    CHECK("time_text_right_after_other_seconds", same);
}

/* The Json view of a header and of a record with every msgpack type. */
static void check_json_view(void)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 3);
    fc_pack_kv_str(&pk, "magic", "FlowCarp");
    fc_pack_str(&pk, "version");
    msgpack_pack_array(&pk, 2);
    msgpack_pack_uint8(&pk, 1);
    msgpack_pack_uint8(&pk, 0);
    fc_pack_str(&pk, "stages");
    msgpack_pack_array(&pk, 1);
    fc_pack_str(&pk, "fc-read x.pcap");
    msgpack_unpacked_init(&ctx.reader.header.raw);
    size_t off = 0;
    msgpack_unpack_next(&ctx.reader.header.raw, sb.data, sb.size, &off);
    ctx.out.len = 0;
    format_json.begin(&ctx);
    fc_out_char(&ctx.out, 0);
    CHECK_STR("json_view_header", "{\"magic\":\"FlowCarp\",\"version\":[1,0],\"stages\":[\"fc-read x.pcap\"]}\n",
              ctx.out.buf);

    msgpack_sbuffer_clear(&sb);
    msgpack_pack_map(&pk, 9);
    fc_pack_kv_uint(&pk, "k", 1);
    fc_pack_str(&pk, "b");
    msgpack_pack_bin(&pk, 3);
    msgpack_pack_bin_body(&pk, "\x01\xab\x00", 3);
    msgpack_pack_int64(&pk, -7);          /* a non-string key */
    msgpack_pack_nil(&pk);
    fc_pack_str(&pk, "u");
    msgpack_pack_uint64(&pk, UINT64_MAX);
    fc_pack_str(&pk, "i");
    msgpack_pack_int64(&pk, INT64_MIN);
    fc_pack_str(&pk, "f");
    msgpack_pack_double(&pk, 0.1);
    fc_pack_str(&pk, "e");
    msgpack_pack_ext(&pk, 2, 5);
    msgpack_pack_ext_body(&pk, "\xff\x00", 2);
    fc_pack_str(&pk, "s\xff");
    msgpack_pack_true(&pk);
    msgpack_pack_array(&pk, 1);           /* an array key */
    msgpack_pack_uint8(&pk, 2);
    msgpack_pack_array(&pk, 0);
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    off = 0;
    msgpack_unpack_next(&up, sb.data, sb.size, &off);
    struct fc_record rec = { .kind = 1, .obj = up.data };
    ctx.out.len = 0;
    format_json.record(&ctx, &rec);
    fc_out_char(&ctx.out, 0);
    CHECK_STR("json_view_every_msgpack_type",
              "{\"k\":1,\"b\":{\"$bin\":\"01ab00\"},\"-7\":null,\"u\":18446744073709551615,"
              "\"i\":-9223372036854775808,\"f\":0.10000000000000001,\"e\":{\"$ext\":5,\"$bin\":\"ff00\"},"
              "\"s\\ufffd\":true,\"[2]\":[]}\n",
              ctx.out.buf);
    msgpack_unpacked_destroy(&up);
    msgpack_unpacked_destroy(&ctx.reader.header.raw);
    msgpack_sbuffer_destroy(&sb);
}

static void check_registry(void)
{
    CHECK("format_names_match_case_insensitively",
          emit_format_find("zeekconn") == &format_zeek_conn && emit_format_find("EVEJSONFLOW") == &format_eve_flow &&
              emit_format_find("csv") == &format_csv);
    CHECK("unknown_format_is_not_found", emit_format_find("Xml") == NULL);
    CHECK_STR("format_names_listed", "CSV, TSV, EveJson, EveJsonAlert, EveJsonFlow, ZeekConn, ZeekNotice, Json",
              emit_format_names());
    CHECK("alert_formats_print_no_flows_and_flow_formats_no_alerts",
          !format_eve_alert.flow && !format_zeek_notice.flow && !format_eve_flow.alert && !format_zeek_conn.alert &&
              !format_csv.alert && format_eve_json.flow && format_eve_json.alert);
}

int main(void)
{
    fc_out_open(&ctx.out, -1, "test");
    fc_out_open(&ctx.scratch, -1, "scratch");
    fc_json_init(&ctx.json, &ctx.out);
    ctx.cid = (struct fc_cid_options){ 0, true };
    load_formats_doc();
    check_worked_example();
    check_alerts();
    check_csv_quoting();
    check_tsv_escaping();
    check_missing_values();
    check_icmp_and_ipv6();
    check_json_strings();
    check_number_text();
    check_time_text();
    check_json_view();
    check_registry();
    fc_out_close(&ctx.out);
    fc_out_close(&ctx.scratch);
    UNIT_DONE();
}
