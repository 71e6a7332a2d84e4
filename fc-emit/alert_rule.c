/* \summary: whether a verdict alerts (tags a user turned off), and what an alert says: id, text, category */
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

/*
 * Tags whose alerts the user turned off (--no-alert-tag): an analyst who knows the
 * network runs miners on purpose, or uses a tunnel, silences that tag and keeps every
 * other alert. The flow still carries its protocol and tags; only the alert goes.
 * Tags are compared as models store them: upper case.
 */
static char silenced[EMIT_MAX_TAGS][EMIT_TAG_MAX + 1];
static size_t n_silenced;

bool emit_alert_silence_tag(const char *tag, const char **why)
{
    size_t n = strlen(tag);
    if (n == 0 || n > EMIT_TAG_MAX)
        return *why = "a tag is 1 to 32 letters, digits, '_' or '-'", false;
    if (n_silenced == EMIT_MAX_TAGS)
        return *why = "at most 32 tags can be turned off", false;
    char *up = silenced[n_silenced];
    for (size_t i = 0; i < n; i++) {
        char c = tag[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return *why = "a tag is 1 to 32 letters, digits, '_' or '-'", false;
        up[i] = c;
    }
    up[n] = 0;
    n_silenced++;
    return true;
}

void emit_alert_decide(struct emit_verdict *v)
{
    for (size_t i = 0; v->alerted && i < n_silenced; i++)
        if (has_tag(v, silenced[i]))
            v->alerted = false;
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
