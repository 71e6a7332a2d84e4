/* \summary: decides a flow's verdict from its divergences and writes the verdict fields */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include "../fc-feat/meters/meter.h"
#include "record.h"
#include "stream.h"
#include "xalloc.h"

static const char *const kind_names[] = {
    [VERDICT_IDENTIFIED] = "identified", [VERDICT_UNKNOWN] = "unknown", [VERDICT_NO_PAYLOAD] = "no_payload",
};

const char *const verdict_keys[] = { FC_KEY_VERDICT, FC_KEY_PROTOCOL, FC_KEY_MODEL, FC_KEY_DIVERGENCE,
                                     FC_KEY_RUNNER_UP, FC_KEY_RUNNER_UP_DIVERGENCE, FC_KEY_TAGS, FC_KEY_USED_PKTS };
const size_t verdict_key_count = sizeof verdict_keys / sizeof verdict_keys[0];

/*
 * Candidates are the models trained on the flow's transport (a TCP flow is never
 * called ICMPv6). The closest is accepted unless the second closest is nearly as
 * close (best > ratio * runner-up: the evidence does not single out one protocol,
 * which is also what a protocol no model knows tends to look like), it is far
 * from everything (best > ceiling), or it is a model whose verdicts raise alerts
 * (tagged MALICIOUS) and the flow is farther from it than the model's own unseen
 * sessions come (best > acceptance factor * the threshold fc-train learnt for it):
 * a tight model, such as a shell's, then alerts only on flows as close as its own
 * sessions, whatever the global ceiling allows. A model trained from few sessions is
 * held to one more test (few_sessions_agree).
 *
 * Two more tests are for alerting models alone. Such a model is not even a candidate for
 * a flow with fewer exchanges than its sessions show (turns: direction changes among the
 * observations, fc-train's lower quantile of its sessions'): a one-question flow (whois,
 * a half-captured SSH start) can look like a shell's first packets, but a shell is a
 * conversation. And it must stand out, by the same ratio, from the background models
 * (models.h), which never name a flow themselves.
 *
 * Only alerting models get the acceptance test. A threshold learnt from one generator's sessions
 * says how alike that generator's runs are, not how far other clients and servers of
 * the protocol stand: FTP's, PostgreSQL's, RDP's and SMTPS's lie below 0.5 bits, and with
 * the test on every model it made unknown 2,688 of the bench capture's 2,688 pgbench and FTP
 * sessions (best 1.2-1.5 bits, runner-up 2.3-2.5) and 24 corpus flows of POP3, SSH,
 * PostgreSQL, RDP, VNC, SMTP(S) and Telnet whose closest model was right. A wrong name is
 * the ratio test's and the ceiling's to stop; a false alarm costs more, so alerting models
 * keep the stricter test.
 */
/* Whether a model is held to its acceptance test: it raises alerts and has a threshold. */
static bool held_to_acceptance(const struct verdict_options *opt, const struct fc_model *m)
{
    return opt->acceptance > 0 && m->acceptance.known && fc_model_has_tag(m, FC_MODEL_TAG_MALICIOUS);
}

/* Whether model i is a candidate for a flow of these turns: one held to its acceptance test
 * is not for a flow that changes direction less often than its sessions do (a flow of unknown
 * turns, from a vector record without them, is a candidate). Leaving it out, rather than
 * naming nothing when it wins, keeps it from turning a short flow of another protocol
 * unknown as its close runner-up. */
static bool candidate_for(const struct model_set *set, int32_t i, const struct verdict_options *opt, uint32_t turns)
{
    return opt->acceptance <= 0 || turns == FC_VECTOR_TURNS_UNKNOWN || turns >= set->alert_turns[i];
}

/* The closest model of the candidates c just scored into v->best, the next into v->runner_up
 * (of the models that are candidates for the session's turns). few, when not NULL, holds some
 * of c's models, just scored another way: their divergences are taken from there. */
static void closest_two(const struct model_set *set, const struct verdict_options *opt, const struct candidates *c,
                        const struct candidates *few, uint32_t turns, struct verdict *v)
{
    v->best = v->runner_up = VERDICT_NONE;
    v->best_divergence = v->runner_up_divergence = 0;
    uint32_t f = 0; /* both lists are in ascending model order */
    for (uint32_t j = 0; j < c->n; j++) {
        int32_t i = (int32_t)c->model[j];
        double d = c->divergence[j];
        if (few && f < few->n && few->model[f] == c->model[j])
            d = few->divergence[f++];
        if (!candidate_for(set, i, opt, turns))
            continue;
        if (v->best == VERDICT_NONE || d < v->best_divergence) {
            v->runner_up = v->best;
            v->runner_up_divergence = v->best_divergence;
            v->best = i;
            v->best_divergence = d;
        } else if (v->runner_up == VERDICT_NONE || d < v->runner_up_divergence) {
            v->runner_up = i;
            v->runner_up_divergence = d;
        }
    }
}

/* The ratio test: the closest model stands out from the runner-up (or has none). */
static bool stands_out(const struct verdict_options *opt, const struct verdict *v)
{
    return v->runner_up == VERDICT_NONE || v->best_divergence <= opt->ratio * v->runner_up_divergence;
}

/*
 * A model trained from few sessions is broad: add-one smoothing gives each of a meter's 256
 * bins a pseudo-count, 256 in all, more than ten sessions count in half of the meters, so
 * the model is near uniform and about as close to a flow of a protocol no model knows as
 * to its own (a 10-session MQTT model came closer to a TeamViewer, an IEC 60870 and a TLS
 * flow than their runner-ups: bench/accuracy/few-sessions.md). Such a model names a flow
 * only if it also wins, by the same ratio, when every model of fewer than
 * opt->few_sessions sessions is scored with sessions / few_sessions pseudo-counts per bin,
 * a prior no heavier per session than a model of few_sessions sessions has: bins its
 * sessions never touched then count against it. Models of more sessions score as before,
 * so the test costs nothing when the closest model is one of them.
 */
static bool few_sessions_agree(struct model_set *set, const struct verdict_options *opt, uint8_t proto,
                               const struct session *s, const struct verdict *v)
{
    /* the few-session models scored again, side by side; the others keep the divergences
     * the candidates c were just scored to (a divergence is the same double in any set of
     * candidates: score.h). Scoring every candidate again, as this test first did, cost a
     * fifth of fc-classify's time on corpus-mix.pcap (bench/): most models have many sessions. */
    const struct candidates *c = model_set_candidates(set, proto);
    struct candidates *few = model_set_few_session_candidates(set, proto, opt->few_sessions);
    score_candidates(few, s);
    struct verdict again;
    closest_two(set, opt, c, few, s->turns, &again);
    return again.best == v->best && stands_out(opt, &again);
}

/* Whether a model's flows pass the background test: it raises alerts, so it must stand out
 * from the background models too (models.h). */
static bool stands_out_from_background(struct model_set *set, const struct verdict_options *opt, uint8_t proto,
                                       const struct session *s, struct verdict *v)
{
    struct candidates *c = model_set_background_candidates(set, proto);
    if (!c)
        return true;
    score_candidates(c, s);
    uint32_t closest = 0;
    for (uint32_t j = 1; j < c->n; j++)
        if (c->divergence[j] < c->divergence[closest])
            closest = j;
    if (v->best_divergence <= opt->ratio * c->divergence[closest])
        return true;
    /* closer than the runner-up the ratio test passed: the verdict names it as runner-up */
    v->runner_up = (int32_t)c->model[closest];
    v->runner_up_divergence = c->divergence[closest];
    return false;
}

void verdict_decide(struct model_set *set, const struct verdict_options *opt, const struct fc_vector *v,
                    struct session *scratch, struct verdict *out)
{
    bool measured = session_prepare(v, scratch);
    verdict_decide_session(set, opt, v->proto, v->payload_pkts, scratch, measured, out);
}

void verdict_decide_session(struct model_set *set, const struct verdict_options *opt, uint8_t proto,
                            uint32_t used_pkts, const struct session *s, bool measured, struct verdict *out)
{
    out->kind = VERDICT_UNKNOWN;
    out->best = out->runner_up = VERDICT_NONE;
    out->best_divergence = out->runner_up_divergence = 0;
    out->used_pkts = used_pkts;
    struct candidates *c = model_set_candidates(set, proto);
    if (!measured || !c)
        return;
    score_candidates(c, s);
    closest_two(set, opt, c, NULL, s->turns, out);
    if (out->best == VERDICT_NONE || out->best_divergence > opt->ceiling || !stands_out(opt, out))
        return;
    const struct fc_model *best = &set->model[out->best];
    if (opt->few_sessions > 0 && out->runner_up != VERDICT_NONE && scored_prior(best, proto, opt->few_sessions) < 1 &&
        !few_sessions_agree(set, opt, proto, s, out))
        return;
    if (held_to_acceptance(opt, best) && out->best_divergence > opt->acceptance * best->acceptance.divergence)
        return;
    if (fc_model_has_tag(best, FC_MODEL_TAG_MALICIOUS) && !stands_out_from_background(set, opt, proto, s, out))
        return;
    out->kind = VERDICT_IDENTIFIED;
}

uint32_t verdict_field_count(const struct model_set *set, const struct verdict *v)
{
    uint32_t n = 1;
    if (v->kind == VERDICT_NO_PAYLOAD)
        return n;
    n += 1; /* used_pkts */
    n += v->best != VERDICT_NONE ? 2 : 0;
    n += v->runner_up != VERDICT_NONE ? 2 : 0;
    if (v->kind == VERDICT_IDENTIFIED)
        n += 1 + (set->model[v->best].n_tags > 0);
    return n;
}

/*
 * Verdict fields go into every flow record, and most of their bytes depend only on the
 * model: each model's "protocol", "model" (with the "divergence" key that follows it),
 * "runner_up" (with its divergence key) and "tags" fields are packed once, when the set is
 * prepared, and copied whole per record.
 */
struct verdict_text {
    msgpack_sbuffer protocol, model, runner_up, tags;
};

/* The packed bytes moved to a block of their own size: an sbuffer holds 8 KB for a few
 * dozen bytes, and a fresh page costs more than copying them (huge.h). */
static void fit(msgpack_sbuffer *b)
{
    char *exact = fc_xmalloc(b->size ? b->size : 1);
    memcpy(exact, b->data, b->size);
    free(b->data);
    b->data = exact;
    b->alloc = b->size;
}

static void pack_model_text(struct verdict_text *t, const struct fc_model *m)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, &t->protocol, msgpack_sbuffer_write);
    fc_pack_kv_str(&pk, FC_KEY_PROTOCOL, m->name);
    msgpack_packer_init(&pk, &t->model, msgpack_sbuffer_write);
    fc_pack_kv_str(&pk, FC_KEY_MODEL, m->name);
    fc_pack_str(&pk, FC_KEY_DIVERGENCE);
    msgpack_packer_init(&pk, &t->runner_up, msgpack_sbuffer_write);
    fc_pack_kv_str(&pk, FC_KEY_RUNNER_UP, m->name);
    fc_pack_str(&pk, FC_KEY_RUNNER_UP_DIVERGENCE);
    msgpack_packer_init(&pk, &t->tags, msgpack_sbuffer_write);
    fc_pack_str(&pk, FC_KEY_TAGS);
    msgpack_pack_array(&pk, m->n_tags); /* sorted and unique since loading */
    for (uint32_t i = 0; i < m->n_tags; i++)
        fc_pack_str(&pk, m->tags[i]);
    fit(&t->protocol);
    fit(&t->model);
    fit(&t->runner_up);
    fit(&t->tags);
}

struct verdict_text *verdict_text_make(const struct model_set *set)
{
    struct verdict_text *t = fc_xcalloc(set->n ? set->n : 1, sizeof *t);
    for (uint32_t i = 0; i < set->n; i++)
        pack_model_text(&t[i], &set->model[i]);
    return t;
}

void verdict_text_free(struct verdict_text *t, uint32_t n)
{
    for (uint32_t i = 0; t && i < n; i++) {
        msgpack_sbuffer_destroy(&t[i].protocol);
        msgpack_sbuffer_destroy(&t[i].model);
        msgpack_sbuffer_destroy(&t[i].runner_up);
        msgpack_sbuffer_destroy(&t[i].tags);
    }
    free(t);
}

static void pack_text(msgpack_packer *pk, const msgpack_sbuffer *b) { pk->callback(pk->data, b->data, b->size); }

void verdict_pack_fields(msgpack_packer *pk, const struct model_set *set, const struct verdict *v)
{
    fc_pack_kv_str(pk, FC_KEY_VERDICT, kind_names[v->kind]);
    if (v->kind == VERDICT_NO_PAYLOAD)
        return;
    const struct verdict_text *text = set->text;
    if (v->kind == VERDICT_IDENTIFIED)
        pack_text(pk, &text[v->best].protocol);
    if (v->best != VERDICT_NONE) {
        pack_text(pk, &text[v->best].model);
        msgpack_pack_double(pk, v->best_divergence);
    }
    if (v->runner_up != VERDICT_NONE) {
        pack_text(pk, &text[v->runner_up].runner_up);
        msgpack_pack_double(pk, v->runner_up_divergence);
    }
    if (v->kind == VERDICT_IDENTIFIED && set->model[v->best].n_tags > 0)
        pack_text(pk, &text[v->best].tags);
    fc_pack_kv_uint(pk, FC_KEY_USED_PKTS, v->used_pkts);
}

uint32_t verdict_explain_field_count(const struct verdict_options *opt, const struct session *s)
{
    return opt->explain ? 1 + (s->turns != FC_VECTOR_TURNS_UNKNOWN) : 0;
}

void verdict_pack_explain(msgpack_packer *pk, struct model_set *set, const struct verdict_options *opt,
                          const struct fc_vector *v, const struct session *s)
{
    const struct scored_model *scaled =
        opt->few_sessions > 0 ? model_set_few_session_scores(set, v->proto, opt->few_sessions) : NULL;
    enum { MAX_EXPLAIN = 16 };
    uint32_t top[MAX_EXPLAIN];
    double top_d[MAX_EXPLAIN];
    unsigned n = 0, want = opt->explain < MAX_EXPLAIN ? opt->explain : MAX_EXPLAIN;
    for (uint32_t i = 0; s->n_measured && i < set->n; i++) {
        if (!fc_model_has_l4(&set->model[i], v->proto))
            continue;
        double d = score_model(&set->scored[i], s);
        unsigned at = n < want ? n++ : want;
        while (at > 0 && top_d[at - 1] > d) { /* insertion into the sorted top list */
            if (at < want) {
                top[at] = top[at - 1];
                top_d[at] = top_d[at - 1];
            }
            at--;
        }
        if (at < want) {
            top[at] = i;
            top_d[at] = d;
        }
    }
    if (s->turns != FC_VECTOR_TURNS_UNKNOWN)
        fc_pack_kv_uint(pk, FC_KEY_TURNS, s->turns);
    fc_pack_str(pk, FC_KEY_EXPLAIN);
    msgpack_pack_array(pk, n);
    for (unsigned j = 0; j < n; j++) {
        const struct fc_model *m = &set->model[top[j]];
        /* a model of few sessions: also its divergence in the few-session test */
        bool few = scaled && scored_prior(m, v->proto, opt->few_sessions) < 1;
        bool held = held_to_acceptance(opt, m), background = set->background[top[j]];
        msgpack_pack_map(pk, 3 + few + held + background);
        fc_pack_kv_str(pk, FC_KEY_MODEL, set->model[top[j]].name);
        fc_pack_str(pk, FC_KEY_DIVERGENCE);
        msgpack_pack_double(pk, top_d[j]);
        if (few) {
            fc_pack_str(pk, "few_session_divergence");
            msgpack_pack_double(pk, score_model(&scaled[top[j]], s));
        }
        if (background) { /* never names a flow: only an alerting model must stand out from it */
            fc_pack_str(pk, "background");
            msgpack_pack_true(pk);
        }
        if (held) { /* the most divergence and the fewest turns it names a flow with */
            fc_pack_str(pk, "acceptance");
            msgpack_pack_map(pk, 2);
            fc_pack_str(pk, FC_KEY_DIVERGENCE);
            msgpack_pack_double(pk, opt->acceptance * m->acceptance.divergence);
            fc_pack_kv_uint(pk, FC_KEY_TURNS, m->acceptance.turns);
        }
        fc_pack_str(pk, "meters");
        msgpack_pack_map(pk, s->n_measured);
        for (uint32_t k = 0; k < s->n_meters; k++)
            if (s->meter[k].n) {
                fc_pack_str(pk, meters[k].name);
                msgpack_pack_double(pk, score_meter(&set->scored[top[j]], s, k));
            }
    }
}
