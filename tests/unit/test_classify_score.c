/* \summary: unit tests of fc-classify: sparse KL equals the dense formula, the verdict rule, pending verdicts */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../fc-feat/meters/meter.h"
#include "models.h"
#include "pending.h"
#include "score.h"
#include "unit.h"
#include "verdict.h"

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* ALGORITHM.md §3 written out over all 256 bins, the way the paper states it, with `prior`
 * pseudo-counts per model bin (1: add-one). */
static double dense_kl_prior(const struct fc_model_meter *mm, const struct fc_vector_meter *vm, double prior)
{
    double s[256] = { 0 }, total = 0;
    for (uint32_t i = 0; i < vm->n; i++)
        s[vm->bin[i]] = vm->count[i], total += vm->count[i];
    double d = 0;
    for (int b = 0; b < 256; b++) {
        double p = (s[b] + 1.0 / 256) / (total + 1);
        double q = ((double)mm->counts[b] + prior) / ((double)mm->measurements + 256 * prior);
        d += p * (log2(p) - log2(q));
    }
    return d;
}

static double dense_kl(const struct fc_model_meter *mm, const struct fc_vector_meter *vm)
{
    return dense_kl_prior(mm, vm, 1);
}

static void random_model_of(struct fc_model *m, const char *name, uint8_t proto, unsigned spread, int sessions)
{
    char why[FC_MODEL_WHY];
    fc_model_init(m, name, METER_SET_NAME, METER_SET_VERSION, meter_count);
    for (unsigned k = 0; k < meter_count; k++) {
        snprintf(m->meter[k].name, sizeof m->meter[k].name, "%s", meters[k].name);
        m->meter[k].version = meters[k].version;
        for (int j = 0; j < 300; j++) {
            unsigned b = rnd() % spread;
            m->meter[k].counts[b] += 1 + rnd() % 5;
        }
        for (int b = 0; b < 256; b++)
            m->meter[k].measurements += m->meter[k].counts[b];
    }
    for (int i = 0; i < sessions; i++)
        fc_model_add_session(m, proto, why);
}

static void random_model(struct fc_model *m, const char *name, uint8_t proto, unsigned spread)
{
    random_model_of(m, name, proto, spread, 10);
}

/* A vector whose meters touch each bin below spread with probability density / 256. */
static void random_vector_of(struct fc_vector *v, uint8_t proto, unsigned spread, unsigned density)
{
    memset(v, 0, sizeof *v);
    v->proto = proto;
    v->n_meters = meter_count;
    v->payload_pkts = 7;
    for (unsigned k = 0; k < meter_count; k++) {
        struct fc_vector_meter *vm = &v->meter[k];
        if (k == 3)
            continue; /* one meter without measurements: left out of the mean */
        for (unsigned b = 0; b < 256; b++)
            if (rnd() % 256 < density && b < spread) {
                vm->bin[vm->n] = (uint8_t)b;
                vm->count[vm->n] = (uint16_t)(1 + rnd() % 9);
                vm->total += vm->count[vm->n++];
            }
    }
}

static void random_vector(struct fc_vector *v, uint8_t proto, unsigned spread)
{
    random_vector_of(v, proto, spread, 20);
}

static void test_sparse_equals_dense(void)
{
    static struct fc_model m;
    static struct fc_vector v;
    static struct session s;
    struct scored_model sm;
    struct fc_huge_arena tables = { 0 };
    double worst = 0;
    for (int round = 0; round < 20; round++) {
        random_model(&m, "A", 6, 64 + round * 8);
        random_vector(&v, 6, 256);
        scored_models_init(&sm, &m, 1, 0, 0, &tables);
        session_prepare(&v, &s);
        double mean = 0, weights = 0;
        for (unsigned k = 0; k < meter_count; k++) {
            if (!v.meter[k].total || !meters[k].weight)
                continue; /* unmeasured, or weight 0: left out of the mean */
            double dense = dense_kl(&m.meter[k], &v.meter[k]);
            double diff = fabs(dense - score_meter(&sm, &s, k));
            worst = diff > worst ? diff : worst;
            mean += meters[k].weight * dense;
            weights += meters[k].weight;
        }
        double diff = fabs(mean / weights - score_model(&sm, &s));
        worst = diff > worst ? diff : worst;
        fc_huge_arena_free(&tables);
        fc_model_free(&m);
    }
    /* within 1e-5, not 1e-9: scoring adds its cross sums in single precision (score.c); a
     * wrong term would be off by far more */
    CHECK("sparse_divergence_equals_dense_formula_within_1e-5", worst < 1e-5);

    /* the same with the few-session prior: a 10-session model under --few-sessions 70 has
     * 10/70 pseudo-counts per bin; one of 100 sessions keeps add-one */
    worst = 0;
    for (int round = 0; round < 10; round++) {
        random_model(&m, "A", 6, 64 + round * 16);
        random_vector(&v, 6, 256);
        scored_models_init(&sm, &m, 1, 6, 70, &tables);
        session_prepare(&v, &s);
        for (unsigned k = 0; k < meter_count; k++)
            if (v.meter[k].total && meters[k].weight) {
                double diff = fabs(dense_kl_prior(&m.meter[k], &v.meter[k], 10.0 / 70) - score_meter(&sm, &s, k));
                worst = diff > worst ? diff : worst;
            }
        fc_huge_arena_free(&tables);
        fc_model_free(&m);
    }
    CHECK("few_session_prior_divergence_equals_dense_formula_within_1e-5", worst < 1e-5);
    random_model_of(&m, "B", 6, 64, 100);
    CHECK("few_session_prior_is_sessions_over_n_below_n_else_add_one",
          scored_prior(&m, 6, 70) == 1 && scored_prior(&m, 6, 200) == 0.5);
    /* 7 more sessions of UDP: a model of few sessions for UDP flows, not for TCP ones */
    char why[FC_MODEL_WHY];
    for (int i = 0; i < 7; i++)
        fc_model_add_session(&m, 17, why);
    CHECK("few_session_prior_counts_the_flows_transport_only",
          scored_prior(&m, 6, 70) == 1 && scored_prior(&m, 17, 70) == 0.1 && scored_prior(&m, 1, 70) == 0);
    fc_model_free(&m);
}

/* A set of hand-made models: the vector's own distribution scores lowest. */
static void make_set(struct model_set *set, unsigned n)
{
    memset(set, 0, sizeof *set);
    set->n = n;
    set->model = calloc(n, sizeof *set->model);
    set->origin = calloc(n, sizeof *set->origin);
    set->scored = calloc(n, sizeof *set->scored);
}

static void finish_set(struct model_set *set)
{
    for (uint32_t i = 0; i < set->n; i++)
        set->origin[i] = strdup("test");
    model_set_prepare(set);
}

/* A model that has seen exactly the vector's bins many times. */
static void model_of_vector(struct fc_model *m, const char *name, const struct fc_vector *v, uint8_t proto,
                            unsigned times)
{
    char why[FC_MODEL_WHY];
    random_model(m, name, proto, 256);
    for (unsigned k = 0; k < meter_count; k++) {
        memset(m->meter[k].counts, 0, sizeof m->meter[k].counts);
        m->meter[k].measurements = 0;
        for (uint32_t i = 0; i < v->meter[k].n; i++) {
            m->meter[k].counts[v->meter[k].bin[i]] = (uint64_t)v->meter[k].count[i] * times;
            m->meter[k].measurements += (uint64_t)v->meter[k].count[i] * times;
        }
    }
    fc_model_add_tag(m, "MALICIOUS", 9, why);
}

static void test_verdict_rule(void)
{
    static struct fc_vector v;
    static struct session scratch;
    struct model_set set;
    struct verdict out;
    struct verdict_options opt = { .ratio = 0.95, .ceiling = 2.6, .explain = 0 };
    random_vector(&v, 6, 128);

    make_set(&set, 3);
    model_of_vector(&set.model[0], "Match", &v, 6, 50);
    random_model(&set.model[1], "Other", 6, 256);
    model_of_vector(&set.model[2], "UdpTwin", &v, 17, 50);
    finish_set(&set);
    verdict_decide(&set, &opt, &v, &scratch, &out);
    CHECK("verdict_identifies_the_matching_model", out.kind == VERDICT_IDENTIFIED && out.best == 0);
    CHECK("verdict_runner_up_is_the_other_model", out.runner_up == 1 &&
                                                      out.runner_up_divergence > out.best_divergence);
    CHECK("verdict_ignores_models_of_another_transport", out.best != 2 && out.runner_up != 2);
    CHECK("verdict_counts_used_packets", out.used_pkts == 7);
    CHECK("verdict_fields_identified_with_tags", verdict_field_count(&set, &out) == 8);

    struct verdict_options strict = opt;
    strict.ceiling = out.best_divergence / 2;
    struct verdict capped;
    verdict_decide(&set, &strict, &v, &scratch, &capped);
    CHECK("verdict_unknown_above_the_ceiling_keeps_best_and_runner_up",
          capped.kind == VERDICT_UNKNOWN && capped.best == 0 && capped.runner_up == 1);
    strict = opt;
    strict.ratio = out.best_divergence / out.runner_up_divergence * 0.99;
    verdict_decide(&set, &strict, &v, &scratch, &capped);
    CHECK("verdict_unknown_when_runner_up_nearly_as_close", capped.kind == VERDICT_UNKNOWN);
    CHECK("verdict_fields_unknown_have_no_protocol_or_tags", verdict_field_count(&set, &capped) == 6);

    v.proto = 1;
    verdict_decide(&set, &opt, &v, &scratch, &out);
    CHECK("verdict_unknown_without_candidates_on_the_transport", out.kind == VERDICT_UNKNOWN &&
                                                                     out.best == VERDICT_NONE);
    v.proto = 17;
    verdict_decide(&set, &opt, &v, &scratch, &out);
    CHECK("verdict_single_candidate_judged_by_ceiling_only", out.kind == VERDICT_IDENTIFIED && out.best == 2 &&
                                                                 out.runner_up == VERDICT_NONE);
    static struct fc_vector empty;
    empty.n_meters = meter_count;
    empty.proto = 6;
    verdict_decide(&set, &opt, &empty, &scratch, &out);
    CHECK("verdict_unknown_for_a_vector_without_measurements", out.kind == VERDICT_UNKNOWN && out.best == VERDICT_NONE);
    model_set_free(&set);
}

/*
 * The few-session test (verdict.c), against a reference written from its definition: with
 * --few-sessions N a flow named after a model of fewer than N sessions keeps the name only
 * if that model is still the closest, by the ratio, when every model of fewer than N
 * sessions is scored with the scaled prior; other verdicts are as with the test off.
 * Random sets of models of 10 to 400 sessions and random flows; the test must turn some
 * verdicts unknown (else it would check nothing) and leave the others alone.
 */
static void test_few_sessions(void)
{
    enum { MODELS = 6, ROUNDS = 300 };
    static struct fc_vector v;
    static struct session scratch;
    static const int sessions[MODELS] = { 10, 12, 30, 69, 70, 400 };
    struct model_set set;
    struct scored_model scaled[MODELS];
    struct verdict_options off = { .ratio = 0.93, .ceiling = 1000 }, on = off;
    on.few_sessions = 70;
    unsigned agree = 0, turned = 0, small_named = 0, tables_where_due = 0;
    for (int round = 0; round < ROUNDS; round++) {
        make_set(&set, MODELS);
        for (unsigned i = 0; i < MODELS; i++) {
            char name[8];
            snprintf(name, sizeof name, "M%u", i);
            random_model_of(&set.model[i], name, 6, 24 + rnd() % 232, sessions[i]);
        }
        finish_set(&set);
        scored_models_init(scaled, set.model, MODELS, 6, 70, &set.tables);
        /* tables for the models of few sessions only: the others' add-one ones apply */
        for (unsigned i = 0; i < MODELS; i++)
            tables_where_due += (scaled[i].log_q != NULL) == (sessions[i] < 70);
        random_vector(&v, 6, 24 + rnd() % 232);
        struct verdict a, b;
        verdict_decide(&set, &off, &v, &scratch, &a);
        verdict_decide(&set, &on, &v, &scratch, &b);
        /* the reference: each model's divergence, the scaled one below 70 sessions */
        session_prepare(&v, &scratch);
        int32_t best = -1;
        double bd = 0, rd = -1;
        for (int32_t i = 0; i < MODELS; i++) {
            double d = sessions[i] < 70 ? score_model(&scaled[i], &scratch) : score_model(&set.scored[i], &scratch);
            if (best < 0 || d < bd) {
                rd = best < 0 ? -1 : bd;
                best = i;
                bd = d;
            } else if (rd < 0 || d < rd) {
                rd = d;
            }
        }
        bool small = a.kind == VERDICT_IDENTIFIED && sessions[a.best] < 70;
        bool keeps = !small || (best == a.best && bd <= on.ratio * rd);
        enum verdict_kind want = a.kind == VERDICT_IDENTIFIED && keeps ? VERDICT_IDENTIFIED : VERDICT_UNKNOWN;
        agree += b.kind == want && b.best == a.best && b.runner_up == a.runner_up &&
                 b.best_divergence == a.best_divergence;
        turned += a.kind == VERDICT_IDENTIFIED && b.kind == VERDICT_UNKNOWN;
        small_named += small && b.kind == VERDICT_IDENTIFIED;
        model_set_free(&set);
    }
    CHECK("few_session_test_follows_its_definition", agree == ROUNDS);
    CHECK("few_session_test_turns_some_small_model_verdicts_unknown", turned > 0);
    CHECK("few_session_test_keeps_some_small_model_verdicts", small_named > 0);
    CHECK("few_session_tables_only_for_models_of_few_sessions", tables_where_due == ROUNDS * MODELS);
}

/* A set of n random TCP models, model i spread over spread + step * i bins; its candidates. */
static struct candidates *random_tcp_set(struct model_set *set, unsigned n, unsigned spread, unsigned step)
{
    make_set(set, n);
    for (unsigned i = 0; i < n; i++) {
        char name[8];
        snprintf(name, sizeof name, "M%u", i);
        random_model(&set->model[i], name, 6, spread + step * i);
    }
    finish_set(set);
    return model_set_candidates(set, 6);
}

/* score_candidates keeps each meter's shares for counts met before (score.h): a session
 * scored again, after another, gets the very divergences of its first scoring, and each
 * is score_model's for that candidate, to the bit. */
static void test_shares_memo(void)
{
    enum { MODELS = 10 };
    static struct fc_vector v[3];
    static struct session s;
    struct model_set set;
    struct candidates *c = random_tcp_set(&set, MODELS, 64, 16);
    random_vector(&v[0], 6, 256);
    random_vector(&v[1], 6, 200);
    v[2] = v[0];
    double first[MODELS];
    bool same = true, exact = true;
    for (unsigned round = 0; round < 3; round++) {
        session_prepare(&v[round], &s);
        score_candidates(c, &s);
        for (uint32_t j = 0; j < c->n; j++) {
            double d = c->divergence[j];
            exact = exact && d == score_model(&set.scored[c->model[j]], &s);
            if (round == 0)
                first[j] = d;
            if (round == 2)
                same = same && d == first[j];
        }
    }
    CHECK("candidates_score_every_model_as_score_model_does", exact && c->n == MODELS);
    CHECK("session_scored_again_from_kept_shares_is_unchanged", same);
    model_set_free(&set);
}

/* Sessions of many sizes, met again in random order, fill the memo's store of counts
 * until it starts again, several times: the keys in use never point at counts given out
 * before it started again or at another key's, kept shares keep being used, and every
 * divergence is still score_model's. */
static void test_shares_memo_restarts(void)
{
    enum { MODELS = 12, POOL = 160, ROUNDS = 1500 };
    static struct fc_vector v[POOL];
    static struct session s;
    struct model_set set;
    struct candidates *c = random_tcp_set(&set, MODELS, 32, 18);
    for (unsigned i = 0; i < POOL; i++) /* from a few touched bins per meter to all 256 */
        random_vector_of(&v[i], 6, 256, 2 + (unsigned)(rnd() % 255));
    bool exact = true, consistent = true;
    uint64_t restarts = 0, hits_at_restart = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
        session_prepare(&v[rnd() % POOL], &s);
        score_candidates(c, &s);
        for (uint32_t j = 0; j < c->n; j++)
            exact = exact && c->divergence[j] == score_model(&set.scored[c->model[j]], &s);
        consistent = consistent && share_memo_consistent(c);
        if (c->share_restarts != restarts) {
            restarts = c->share_restarts;
            hits_at_restart = c->share_hits;
        }
    }
    CHECK("memo_started_again_when_its_counts_filled_up", c->share_restarts > 1);
    CHECK("memo_keys_point_only_at_their_own_counts_since_the_last_start", consistent);
    CHECK("memo_kept_shares_are_used_after_it_started_again", c->share_hits > hits_at_restart);
    CHECK("memo_divergences_stay_score_models_across_restarts", exact);
    model_set_free(&set);
}

static void test_pending(void)
{
    struct pending p;
    pending_init(&p, 64);
    struct verdict v = { .kind = VERDICT_UNKNOWN, .best = 3 }, got;
    /* a reference: which ids should be waiting */
    static bool waiting[4096];
    bool ok = true;
    uint64_t ring_order[64];
    unsigned ring_fill = 0, ring_head = 0;
    for (int step = 0; step < 20000; step++) {
        uint64_t id = 1 + rnd() % 4000;
        if (rnd() % 2) {
            if (waiting[id])
                continue;
            if (ring_fill == 64) { /* the oldest ring slot is overwritten */
                uint64_t old = ring_order[ring_head];
                waiting[old] = false;
            }
            v.best = (int32_t)id;
            pending_put(&p, id, &v);
            waiting[id] = true;
            ring_order[ring_head] = id;
            ring_head = (ring_head + 1) % 64;
            ring_fill += ring_fill < 64;
        } else {
            bool have = pending_take(&p, id, &got);
            ok &= have == waiting[id] && (!have || got.best == (int32_t)id);
            if (have)
                waiting[id] = false;
        }
    }
    CHECK("pending_matches_a_reference_under_random_put_take_and_eviction", ok);
    CHECK("pending_counts_evictions", p.evicted > 0);
    pending_free(&p);
}

int main(void)
{
    test_sparse_equals_dense();
    test_verdict_rule();
    test_few_sessions();
    test_shares_memo();
    test_shares_memo_restarts();
    test_pending();
    UNIT_DONE();
}
