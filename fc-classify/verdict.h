/* \summary: from divergences to a verdict (identified / unknown / no_payload), and its record fields */
#ifndef FC_CLASSIFY_VERDICT_H
#define FC_CLASSIFY_VERDICT_H

#include <msgpack.h>

#include "models.h"

struct verdict_options {
    double ratio;            /* unknown when best > ratio * runner-up (ALGORITHM.md §5 (d)) */
    double ceiling;          /* unknown when best > ceiling */
    double acceptance;       /* unknown when best > acceptance * the model's threshold (0 = off) */
    double few_sessions;     /* a model of fewer sessions must also win with its prior scaled
                                down (verdict.c; 0 = off) */
    unsigned explain;        /* closest models listed in verdict records (0 = none) */
};

enum verdict_kind { VERDICT_IDENTIFIED, VERDICT_UNKNOWN, VERDICT_NO_PAYLOAD };

#define VERDICT_NONE (-1)

struct verdict {
    enum verdict_kind kind;
    int32_t best, runner_up;          /* model indexes, or VERDICT_NONE */
    double best_divergence, runner_up_divergence;
    uint32_t used_pkts;
};

/* Scores the vector against every model trained on its transport and decides. `scratch`
 * is working space (large; reused between calls). */
void verdict_decide(struct model_set *set, const struct verdict_options *opt, const struct fc_vector *v,
                    struct session *scratch, struct verdict *out);
/* The same for a session prepared already; measured = what session_prepare or session_measure
 * returned. */
void verdict_decide_session(struct model_set *set, const struct verdict_options *opt, uint8_t proto,
                            uint32_t used_pkts, const struct session *s, bool measured, struct verdict *out);

/* The verdict fields (record.h) of v: how many map entries, and packing them. */
uint32_t verdict_field_count(const struct model_set *set, const struct verdict *v);
void verdict_pack_fields(msgpack_packer *pk, const struct model_set *set, const struct verdict *v);
/* The model-dependent verdict fields of every model of the set, packed once (the set's
 * `text`, made by model_set_prepare). */
struct verdict_text *verdict_text_make(const struct model_set *set);
void verdict_text_free(struct verdict_text *t, uint32_t n);
/* The keys verdict_pack_fields may write (so a record being annotated drops old values). */
extern const char *const verdict_keys[];
extern const size_t verdict_key_count;

/* The verdict record's fields that verdict_pack_explain writes (0 without --explain). */
uint32_t verdict_explain_field_count(const struct verdict_options *opt, const struct session *s);
/* "turns" (the flow's direction changes, when known) and "explain": the opt->explain closest
 * models, each {model, divergence, meters: {name: D}}, plus few_session_divergence for a
 * model of fewer than opt->few_sessions sessions and acceptance {divergence, turns} (what
 * its acceptance test allows) for a model held to that test. */
void verdict_pack_explain(msgpack_packer *pk, struct model_set *set, const struct verdict_options *opt,
                          const struct fc_vector *v, const struct session *s);

#endif
