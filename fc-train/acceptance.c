/* \summary: out-of-fold divergences of the training sessions, and the acceptance threshold from them */
#include "acceptance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../fc-feat/meters/meter.h"
#include "xalloc.h"

#define BINS 256.0

void session_store_add(struct session_store *st, const struct fc_vector *v)
{
    uint64_t need = 0;
    for (uint32_t k = 0; k < v->n_meters; k++)
        need += v->meter[k].n;
    if (st->n + 2 > st->cap) {
        st->cap = st->cap ? st->cap * 2 : 256;
        st->first = fc_xrealloc(st->first, st->cap * sizeof *st->first);
        st->turns = fc_xrealloc(st->turns, st->cap * sizeof *st->turns);
    }
    if (st->n_bins + need > st->cap_bins) {
        while (st->n_bins + need > st->cap_bins)
            st->cap_bins = st->cap_bins ? st->cap_bins * 2 : 65536;
        st->bins = fc_xrealloc(st->bins, st->cap_bins * sizeof *st->bins);
    }
    st->first[st->n] = st->n_bins;
    st->turns[st->n] = v->turns == FC_VECTOR_TURNS_UNKNOWN ? 0 : v->turns;
    for (uint32_t k = 0; k < v->n_meters; k++)
        for (uint32_t i = 0; i < v->meter[k].n; i++)
            st->bins[st->n_bins++] = (struct stored_bin){ (uint8_t)k, v->meter[k].bin[i], v->meter[k].count[i] };
    st->n++;
    st->first[st->n] = st->n_bins;
}

void session_store_free(struct session_store *st)
{
    free(st->first);
    free(st->turns);
    free(st->bins);
    memset(st, 0, sizeof *st);
}

/* The model without one fold: per meter log2 Q_b of the remaining counters (add-one
 * smoothed, as score.c) and their sum over all bins. */
struct fold_model {
    uint32_t n_meters;
    uint64_t (*counts)[FC_MODEL_BINS];
    uint64_t *measurements;
    double (*log_q)[FC_MODEL_BINS];
    double *sum_log_q;
};

static void fold_model_build(struct fold_model *f, const struct session_store *st, const struct fc_model *m,
                             uint32_t from, uint32_t to)
{
    for (uint32_t k = 0; k < f->n_meters; k++) {
        memcpy(f->counts[k], m->meter[k].counts, sizeof f->counts[k]);
        f->measurements[k] = m->meter[k].measurements;
    }
    for (uint64_t e = st->first[from]; e < st->first[to]; e++) {
        const struct stored_bin *b = &st->bins[e];
        f->counts[b->meter][b->bin] -= b->count;
        f->measurements[b->meter] -= b->count;
    }
    for (uint32_t k = 0; k < f->n_meters; k++) {
        double denom = (double)f->measurements[k] + BINS, sum = 0;
        for (unsigned b = 0; b < FC_MODEL_BINS; b++) {
            f->log_q[k][b] = log2(((double)f->counts[k][b] + 1.0) / denom);
            sum += f->log_q[k][b];
        }
        f->sum_log_q[k] = sum;
    }
}

/* score.c's divergence of one stored session (its bins are grouped by meter, ascending):
 * P_i = (s_i + 1/256) / (S + 1); D = sum_i P_i (log2 P_i - log2 Q_i) over all 256 bins,
 * untouched bins sharing P_u; weighted mean over the meters with measurements and weight.
 * Negative when no scored meter has measurements. */
static double session_divergence(const struct session_store *st, uint32_t s, const struct fold_model *f)
{
    double sum = 0, weight_sum = 0;
    uint64_t e = st->first[s], end = st->first[s + 1];
    while (e < end) {
        uint8_t k = st->bins[e].meter;
        uint64_t stop = e, total = 0;
        while (stop < end && st->bins[stop].meter == k)
            total += st->bins[stop++].count;
        if (k < meter_count && meters[k].weight > 0 && k < f->n_meters) {
            double p_u = (1.0 / BINS) / ((double)total + 1.0);
            double self = (BINS - (double)(stop - e)) * p_u * log2(p_u), cross = 0;
            for (uint64_t i = e; i < stop; i++) {
                double p = ((double)st->bins[i].count + 1.0 / BINS) / ((double)total + 1.0);
                self += p * log2(p);
                cross += (p - p_u) * f->log_q[k][st->bins[i].bin];
            }
            double d = self - cross - p_u * f->sum_log_q[k];
            sum += meters[k].weight * (d > 0 ? d : 0);
            weight_sum += meters[k].weight;
        }
        e = stop;
    }
    return weight_sum > 0 ? sum / weight_sum : -1;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

uint32_t acceptance_turns(const struct session_store *st, double quantile)
{
    if (st->n == 0)
        return 0;
    uint32_t *t = fc_xmalloc(sizeof *t * st->n);
    memcpy(t, st->turns, sizeof *t * st->n);
    qsort(t, st->n, sizeof *t, compare_u32);
    uint32_t turns = t[(uint32_t)floor((1 - quantile) * (st->n - 1))];
    free(t);
    return turns;
}

bool acceptance_compute(const struct session_store *st, const struct fc_model *m, double quantile, uint32_t folds,
                        double *divergence)
{
    if (st->n == 0)
        return false;
    if (folds > st->n)
        folds = st->n;
    if (folds < 2)
        folds = 2; /* one fold would leave nothing to compare with */
    struct fold_model f = { .n_meters = m->n_meters };
    f.counts = fc_xmalloc(sizeof *f.counts * m->n_meters);
    f.measurements = fc_xmalloc(sizeof *f.measurements * m->n_meters);
    f.log_q = fc_xmalloc(sizeof *f.log_q * m->n_meters);
    f.sum_log_q = fc_xmalloc(sizeof *f.sum_log_q * m->n_meters);
    double *d = fc_xmalloc(sizeof *d * st->n);
    uint32_t n = 0;
    for (uint32_t j = 0; j < folds; j++) {
        uint32_t from = (uint32_t)((uint64_t)st->n * j / folds), to = (uint32_t)((uint64_t)st->n * (j + 1) / folds);
        if (from == to)
            continue;
        fold_model_build(&f, st, m, from, to);
        for (uint32_t s = from; s < to; s++) {
            double x = session_divergence(st, s, &f);
            if (x >= 0)
                d[n++] = x;
        }
    }
    bool ok = n > 0;
    if (ok) {
        qsort(d, n, sizeof *d, compare_doubles);
        double at = (n - 1) * quantile;
        uint32_t lo = (uint32_t)at, hi = lo + 1 < n ? lo + 1 : lo;
        *divergence = d[lo] + (d[hi] - d[lo]) * (at - lo);
    }
    free(d);
    free(f.counts);
    free(f.measurements);
    free(f.log_q);
    free(f.sum_log_q);
    return ok;
}
