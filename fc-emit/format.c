/* \summary: the registry of output formats, and handing a record to its format */
#include <stdio.h>
#include <strings.h>

#include "emit.h"
#include "formats.h"
#include "log.h"

/* In FORMATS.md's order; -h and the unknown-format message list them so. */
static const struct emit_format *const formats[] = {
    &format_csv, &format_tsv, &format_eve_json, &format_eve_alert, &format_eve_flow,
    &format_zeek_conn, &format_zeek_notice, &format_json,
};
#define FORMAT_COUNT (sizeof formats / sizeof formats[0])

const struct emit_format *emit_format_find(const char *name)
{
    for (size_t i = 0; i < FORMAT_COUNT; i++)
        if (strcasecmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

const char *emit_format_names(void)
{
    static char names[256];
    size_t n = 0;
    for (size_t i = 0; i < FORMAT_COUNT && n < sizeof names; i++)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "", formats[i]->name);
    return names;
}

void emit_format_list(struct fc_out *o)
{
    for (size_t i = 0; i < FORMAT_COUNT; i++)
        fc_out_printf(o, "  %-12s %s\n", formats[i]->name, formats[i]->summary);
}

/* A flow record goes to flow(); a verdict record that alerts (identified, MALICIOUS)
 * goes to alert(), at once: the verdict is made long before a C2 flow ends. */
static void emit_flow_or_alert(struct emit_ctx *c, const struct emit_format *fmt, const struct fc_record *rec)
{
    void (*line)(struct emit_ctx *, const struct emit_flow *) =
        rec->kind == FC_REC_FLOW ? fmt->flow : rec->kind == FC_REC_VERDICT ? fmt->alert : NULL;
    if (rec->kind == FC_REC_PACKETS && !c->said_no_flows) {
        /* fc-flow consumes packets: these never went through it, so no flow will come */
        fc_warn("%s: offset %llu: packet records, which %s does not show: put fc-flow before fc-emit "
                "(fc-read | fc-flow | fc-emit), or use --format Json to see the packets",
                c->reader.name, (unsigned long long)rec->offset, fmt->name);
        c->said_no_flows = true;
    }
    if (!line)
        return;   /* packets, samples, sources, stats; or a kind this format does not print */
    struct fc_flow flow;
    struct emit_flow ef;
    const char *why = "";
    if (!emit_flow_prepare(c, &rec->obj, &flow, &ef, &why)) {
        fc_warn("%s: offset %llu: %s record skipped: %s", c->reader.name, (unsigned long long)rec->offset,
                rec->kind == FC_REC_FLOW ? "flow" : "verdict", why);
        c->reader.failed = true;
        return;
    }
    emit_alert_decide(&ef.v);
    if (rec->kind == FC_REC_FLOW || ef.v.alerted)
        line(c, &ef);
}

void emit_record(struct emit_ctx *c, const struct emit_format *fmt, const struct fc_record *rec)
{
    if (fmt->record)
        fmt->record(c, rec);
    else
        emit_flow_or_alert(c, fmt, rec);
}
