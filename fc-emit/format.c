/* \summary: the registry of output formats: one line per format, names matched case-insensitively */
#include <stdio.h>
#include <strings.h>

#include "emit.h"
#include "formats.h"

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
