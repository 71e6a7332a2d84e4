/* \summary: KL divergence of a session from each model, with per-model sums precomputed */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../fc-feat/meters/meter.h"
#include "xalloc.h"

#define BINS 256.0

void scored_model_init(struct scored_model *s, const struct fc_model *m)
{
    s->model = m;
    s->log_q = fc_xmalloc(sizeof(double) * FC_MODEL_BINS * m->n_meters);
    s->sum_log_q = fc_xmalloc(sizeof(double) * m->n_meters);
    for (uint32_t k = 0; k < m->n_meters; k++) {
        double denom = (double)m->meter[k].measurements + BINS, sum = 0;
        for (unsigned b = 0; b < FC_MODEL_BINS; b++) {
            double lq = log2(((double)m->meter[k].counts[b] + 1.0) / denom);
            s->log_q[k * FC_MODEL_BINS + b] = lq;
            sum += lq;
        }
        s->sum_log_q[k] = sum;
    }
}

void scored_model_free(struct scored_model *s)
{
    free(s->log_q);
    free(s->sum_log_q);
}

bool candidates_init(struct candidates *c, const struct scored_model *scored, const struct fc_model *models,
                     uint32_t n_models, uint8_t proto)
{
    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < n_models; i++)
        c->n += fc_model_has_l4(&models[i], proto);
    if (!c->n)
        return false;
    c->n_meters = models[0].n_meters; /* every model has this build's meters (checked when loaded) */
    c->stride = (c->n + CANDIDATE_GROUP - 1) / CANDIDATE_GROUP * CANDIDATE_GROUP;
    c->model = fc_xmalloc(sizeof *c->model * c->n);
    c->log_q = fc_xcalloc((size_t)c->n_meters * FC_MODEL_BINS * c->stride, sizeof *c->log_q);
    c->sum_log_q = fc_xmalloc(sizeof *c->sum_log_q * c->n_meters * c->n);
    c->cross = fc_xmalloc(sizeof *c->cross * c->stride);
    c->divergence = fc_xmalloc(sizeof *c->divergence * c->n);
    uint32_t j = 0;
    for (uint32_t i = 0; i < n_models; i++) {
        if (!fc_model_has_l4(&models[i], proto))
            continue;
        c->model[j] = i;
        for (uint32_t k = 0; k < c->n_meters; k++) {
            for (unsigned b = 0; b < FC_MODEL_BINS; b++)
                c->log_q[((size_t)k * FC_MODEL_BINS + b) * c->stride + j] = scored[i].log_q[k * FC_MODEL_BINS + b];
            c->sum_log_q[(size_t)k * c->n + j] = scored[i].sum_log_q[k];
        }
        j++;
    }
    return true;
}

void candidates_free(struct candidates *c)
{
    free(c->model);
    free(c->log_q);
    free(c->sum_log_q);
    free(c->cross);
    free(c->divergence);
    memset(c, 0, sizeof *c);
}

/*
 * log2 is most of a session's preparation, yet sessions keep meeting the same few
 * (count, total) pairs: a memo of P and log2 P keyed by them (direct-mapped, the
 * newest pair wins a slot) gives the very same doubles as computing them afresh.
 */
#define MEMO_SLOTS 8192

struct memo_entry {
    uint64_t key;                /* count << 32 | (total + 1); 0 = empty (total + 1 >= 1) */
    double p, log2_p;
};

static struct memo_entry memo[MEMO_SLOTS];

/* P = (count + 1/256) / (total + 1) and its log2; count 0 gives P_u. */
static inline const struct memo_entry *session_p(uint32_t count, uint32_t total)
{
    uint64_t key = (uint64_t)count << 32 | ((uint64_t)total + 1);
    struct memo_entry *e = &memo[(key * 0x9E3779B97F4A7C15ull) >> 51];
    if (e->key != key) {
        e->key = key;
        e->p = ((double)count + 1.0 / BINS) / ((double)total + 1.0);
        e->log2_p = log2(e->p);
    }
    return e;
}

bool session_prepare(const struct fc_vector *v, struct session *s)
{
    s->n_meters = v->n_meters;
    s->n_measured = 0;
    s->weight_sum = 0;
    for (uint32_t k = 0; k < v->n_meters; k++) {
        const struct fc_vector_meter *vm = &v->meter[k];
        struct session_meter *sm = &s->meter[k];
        bool scored = k < meter_count && meters[k].weight > 0;
        sm->n = vm->total && scored ? vm->n : 0;
        if (!sm->n)
            continue;
        s->n_measured++;
        s->weight_sum += meters[k].weight;
        const struct memo_entry *u = session_p(0, vm->total);
        double p_u = u->p, self = (BINS - sm->n) * p_u * u->log2_p; /* locals: no store per bin */
        for (uint32_t i = 0; i < sm->n; i++) {
            const struct memo_entry *e = session_p(vm->count[i], vm->total);
            self += e->p * e->log2_p;
            sm->weight[i] = e->p - p_u;
        }
        sm->bin = vm->bin;
        sm->p_u = p_u;
        sm->self = self;
    }
    return s->n_measured > 0;
}

double score_meter(const struct scored_model *m, const struct session *s, uint32_t k)
{
    const struct session_meter *sm = &s->meter[k];
    const double *lq = m->log_q + (size_t)k * FC_MODEL_BINS;
    double cross = 0;
    for (uint32_t i = 0; i < sm->n; i++)
        cross += sm->weight[i] * lq[sm->bin[i]];
    double d = sm->self - cross - sm->p_u * m->sum_log_q[k];
    return d > 0 ? d : 0; /* rounding can give -1e-16 for a perfect match */
}

double score_model(const struct scored_model *m, const struct session *s)
{
    double sum = 0;
    for (uint32_t k = 0; k < s->n_meters; k++)
        if (s->meter[k].n)
            sum += meters[k].weight * score_meter(m, s, k);
    return sum / s->weight_sum;
}

/* cross[j] = sum over touched bins of weight_i * log2 Q_ij, in bin order for every j: four
 * candidates at a time in registers, so their sums advance together (the table's rows are
 * padded to whole groups of four). */
static void cross_sums(const struct session_meter *sm, const double *lq, uint32_t stride, double *cross)
{
    for (uint32_t j = 0; j < stride; j += CANDIDATE_GROUP) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (uint32_t i = 0; i < sm->n; i++) {
            const double w = sm->weight[i], *row = lq + (size_t)sm->bin[i] * stride + j;
            a0 += w * row[0];
            a1 += w * row[1];
            a2 += w * row[2];
            a3 += w * row[3];
        }
        cross[j] = a0;
        cross[j + 1] = a1;
        cross[j + 2] = a2;
        cross[j + 3] = a3;
    }
}

void score_candidates(struct candidates *c, const struct session *s)
{
    uint32_t n = c->n;
    for (uint32_t j = 0; j < n; j++)
        c->divergence[j] = 0;
    for (uint32_t k = 0; k < s->n_meters && k < c->n_meters; k++) {
        const struct session_meter *sm = &s->meter[k];
        if (!sm->n)
            continue;
        cross_sums(sm, c->log_q + (size_t)k * FC_MODEL_BINS * c->stride, c->stride, c->cross);
        const double *sum_lq = c->sum_log_q + (size_t)k * n;
        for (uint32_t j = 0; j < n; j++) {
            double d = sm->self - c->cross[j] - sm->p_u * sum_lq[j];
            c->divergence[j] += meters[k].weight * (d > 0 ? d : 0);
        }
    }
    for (uint32_t j = 0; j < n; j++)
        c->divergence[j] /= s->weight_sum;
}
