/* \summary: TSV output: tab-separated, backslash escapes, "-" for missing (FORMATS.md §3) */
#include <stdio.h>

#include "emit.h"
#include "formats.h"

/* The escape of a byte TSV cannot hold literally, or NULL. */
static const char *tsv_escape(unsigned char c, char tmp[8])
{
    switch (c) {
    case '\\': return "\\\\";
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\r': return "\\r";
    default: break;
    }
    if (c < 0x20 || c == 0x7f) {
        snprintf(tmp, 8, "\\x%02x", c);
        return tmp;
    }
    return NULL;
}

static void tsv_value(struct fc_out *o, const char *s, size_t n)
{
    if (n == 1 && s[0] == '-') {
        fc_out_str(o, "\\x2d"); /* a present "-" must not read as missing */
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* the printable ASCII run that needs no escape, at once */
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '\\')
            run++;
        fc_out_write(o, p + i, run - i);
        if ((i = run) == n)
            break;
        char tmp[8];
        const char *esc = tsv_escape(p[i], tmp);
        size_t len;
        if (esc) {
            fc_out_str(o, esc);
            i++;
        } else if ((len = fc_utf8_seq_len(p + i, n - i)) > 0) {
            fc_out_write(o, p + i, len);
            i += len;
        } else {
            fc_out_write(o, "\xef\xbf\xbd", 3); /* not UTF-8: U+FFFD, as every format */
            i++;
        }
    }
}

static void tsv_begin(struct emit_ctx *c)
{
    for (size_t i = 0; i < flow_column_count; i++) {
        if (i)
            fc_out_char(&c->out, '\t');
        fc_out_str(&c->out, flow_columns[i].name);
    }
    fc_out_char(&c->out, '\n');
}

static void tsv_flow(struct emit_ctx *c, const struct emit_flow *ef)
{
    char buf[EMIT_COLUMN_BUF];
    for (size_t i = 0; i < flow_column_count; i++) {
        if (i)
            fc_out_char(&c->out, '\t');
        struct column_value v = flow_columns[i].value(ef, buf);
        if (v.p)
            tsv_value(&c->out, v.p, v.n);
        else
            fc_out_char(&c->out, '-');
    }
    fc_out_char(&c->out, '\n');
}

const struct emit_format format_tsv = {
    .name = "TSV",
    .summary = "tab-separated flows with a header row",
    .begin = tsv_begin,
    .flow = tsv_flow,
};
