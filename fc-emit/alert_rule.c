/* \summary: what an alert says: signature id, signature text, category and severity from the tags */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "proto_names.h"

/*
 * FORMATS.md §4 "alert object": the category and severity come from the first rule
 * whose tag the model carries, in this order; a model with none of them is a trojan.
 * Suricata's severity 1 is the most severe; mining is a nuisance more than a breach.
 */
static const struct alert_category {
    const char *tag;
    const char *category;
    unsigned severity;
} categories[] = {
    { "COINMINER", "Crypto Currency Mining Activity Detected", 2 },
    { "REMOTEACCESS", "Malware Command and Control Activity Detected", 1 },
};
static const struct alert_category default_category = { NULL, "A Network Trojan was detected", 1 };

static bool has_tag(const struct emit_verdict *v, const char *tag)
{
    size_t n = strlen(tag);
    for (size_t i = 0; i < v->n_tags; i++)
        if (v->tags[i].n == n && memcmp(v->tags[i].p, tag, n) == 0)
            return true;
    return false;
}

static const struct alert_category *category_of(const struct emit_verdict *v)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (has_tag(v, categories[i].tag))
            return &categories[i];
    return &default_category;
}

void emit_alert_describe(const struct emit_flow *ef, struct emit_alert *a)
{
    const struct emit_str *name = &ef->v.protocol;
    char slug[FC_SLUG_MAX];
    fc_slug(name->p, name->n, slug);
    a->signature_id = fc_signature_id(slug);
    /* Model names are at most FC_MODEL_NAME_MAX bytes, so the text fits; a longer name
     * from a hand-made stream is cut, never overrun. */
    size_t room = sizeof a->signature - 1;
    int n = snprintf(a->signature, sizeof a->signature, "FlowCarp: %.*s (MALICIOUS) detected",
                     (int)(name->n < room ? name->n : room), name->p);
    a->signature_len = n < 0 ? 0 : (size_t)n < room ? (size_t)n : room;
    const struct alert_category *cat = category_of(&ef->v);
    a->category = cat->category;
    a->severity = cat->severity;
}
