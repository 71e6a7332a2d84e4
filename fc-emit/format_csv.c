/* \summary: CSV output: RFC 4180 quoting, header row, the 27 columns of FORMATS.md §3 */
#include "emit.h"
#include "formats.h"

/* Quoted if and only if the value holds ',', '"', CR or LF; '"' doubled inside. */
static bool csv_needs_quotes(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
            return true;
    return false;
}

static void csv_value(struct fc_out *o, const char *p, size_t n)
{
    if (!csv_needs_quotes(p, n)) {
        fc_out_utf8(o, p, n);
        return;
    }
    fc_out_char(o, '"');
    size_t from = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '"') {
            fc_out_utf8(o, p + from, i + 1 - from);
            fc_out_char(o, '"');
            from = i + 1;
        }
    fc_out_utf8(o, p + from, n - from);
    fc_out_char(o, '"');
}

static void csv_begin(struct emit_ctx *c)
{
    for (size_t i = 0; i < flow_column_count; i++) {
        if (i)
            fc_out_char(&c->out, ',');
        fc_out_str(&c->out, flow_columns[i].name);
    }
    fc_out_char(&c->out, '\n');
}

static void csv_flow(struct emit_ctx *c, const struct emit_flow *ef)
{
    char buf[EMIT_COLUMN_BUF];
    for (size_t i = 0; i < flow_column_count; i++) {
        if (i)
            fc_out_char(&c->out, ',');
        struct column_value v = flow_columns[i].value(ef, buf);
        if (v.p)
            csv_value(&c->out, v.p, v.n);
    }
    fc_out_char(&c->out, '\n');
}

const struct emit_format format_csv = {
    .name = "CSV",
    .summary = "comma-separated flows with a header row (the default)",
    .begin = csv_begin,
    .flow = csv_flow,
};
