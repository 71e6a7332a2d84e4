/* \summary: KL divergence of a session from each model, with per-model sums precomputed */
#include "score.h"

#include <math.h>
#include <stdlib.h>

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
        double total = (double)vm->total + 1.0;
        sm->bin = vm->bin;
        sm->p_u = (1.0 / BINS) / total;
        sm->self = (BINS - sm->n) * sm->p_u * log2(sm->p_u);
        for (uint32_t i = 0; i < sm->n; i++) {
            double p = ((double)vm->count[i] + 1.0 / BINS) / total;
            sm->self += p * log2(p);
            sm->weight[i] = p - sm->p_u;
        }
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
