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

#define SMALL_COUNTS 4

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
        /* most bins count 1, 2 or 3: their P P log2 P and P - P_u, once per meter, from the memo */
        double small_self[SMALL_COUNTS], small_weight[SMALL_COUNTS];
        for (uint32_t c = 1; c < SMALL_COUNTS; c++) {
            const struct memo_entry *e = session_p(c, vm->total);
            small_self[c] = e->p * e->log2_p;
            small_weight[c] = e->p - p_u;
        }
        for (uint32_t i = 0; i < sm->n; i++) {
            uint32_t c = vm->count[i];
            if (c < SMALL_COUNTS) {
                self += small_self[c];
                sm->weight[i] = small_weight[c];
            } else {
                const struct memo_entry *e = session_p(c, vm->total);
                self += e->p * e->log2_p;
                sm->weight[i] = e->p - p_u;
            }
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

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/*
 * The same sums with AVX, four candidates per instruction, sixteen at a time, picked at run
 * time when the CPU has AVX. Each candidate's sum is still its own lane, added in bin order
 * with the same multiply and add (AVX alone has no fused multiply-add to contract into), so
 * every divergence stays the very same double.
 */
#define HAVE_AVX_CROSS_SUMS 1
typedef double v4d __attribute__((vector_size(32)));
#define AVX __attribute__((target("avx")))

AVX static inline v4d load4(const double *p)
{
    v4d v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* cross[j .. j + 4 * GROUPS) for one block of candidates: up to eight groups of four in
 * registers, so each touched bin's row is read once per block. */
#define CROSS_BLOCK(GROUPS)                                                                     \
    AVX static void cross_block_##GROUPS(const struct session_meter *sm, const double *lq,     \
                                         uint32_t stride, uint32_t j, double *cross)            \
    {                                                                                           \
        v4d acc[GROUPS] = { 0 };                                                                \
        for (uint32_t i = 0; i < sm->n; i++) {                                                  \
            const double *row = lq + (size_t)sm->bin[i] * stride + j;                           \
            v4d w = { sm->weight[i], sm->weight[i], sm->weight[i], sm->weight[i] };             \
            _Pragma("GCC unroll 8") /* all in registers */                                      \
            for (int g = 0; g < GROUPS; g++)                                                    \
                acc[g] += w * load4(row + 4 * g);                                               \
        }                                                                                       \
        memcpy(cross + j, acc, sizeof acc);                                                     \
    }
CROSS_BLOCK(1)
CROSS_BLOCK(2)
CROSS_BLOCK(3)
CROSS_BLOCK(4)
CROSS_BLOCK(5)
CROSS_BLOCK(6)
CROSS_BLOCK(7)
CROSS_BLOCK(8)

#define MAX_GROUPS 8
static void (*const cross_block[MAX_GROUPS + 1])(const struct session_meter *, const double *, uint32_t, uint32_t,
                                                 double *) = {
    NULL, cross_block_1, cross_block_2, cross_block_3, cross_block_4,
    cross_block_5, cross_block_6, cross_block_7, cross_block_8,
};

static void cross_sums_avx(const struct session_meter *sm, const double *lq, uint32_t stride, double *cross)
{
    for (uint32_t j = 0; j < stride; j += 4 * MAX_GROUPS) {
        uint32_t groups = (stride - j) / 4;
        cross_block[groups < MAX_GROUPS ? groups : MAX_GROUPS](sm, lq, stride, j, cross);
    }
}
#endif

/* The cross sums with the widest instructions this CPU has. */
static void (*pick_cross_sums(void))(const struct session_meter *, const double *, uint32_t, double *)
{
#ifdef HAVE_AVX_CROSS_SUMS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx"))
        return cross_sums_avx;
#endif
    return cross_sums;
}

void score_candidates(struct candidates *c, const struct session *s)
{
    static void (*sums)(const struct session_meter *, const double *, uint32_t, double *);
    if (!sums)
        sums = pick_cross_sums();
    uint32_t n = c->n;
    for (uint32_t j = 0; j < n; j++)
        c->divergence[j] = 0;
    for (uint32_t k = 0; k < s->n_meters && k < c->n_meters; k++) {
        const struct session_meter *sm = &s->meter[k];
        if (!sm->n)
            continue;
        sums(sm, c->log_q + (size_t)k * FC_MODEL_BINS * c->stride, c->stride, c->cross);
        const double *sum_lq = c->sum_log_q + (size_t)k * n;
        for (uint32_t j = 0; j < n; j++) {
            double d = sm->self - c->cross[j] - sm->p_u * sum_lq[j];
            c->divergence[j] += meters[k].weight * (d > 0 ? d : 0);
        }
    }
    for (uint32_t j = 0; j < n; j++)
        c->divergence[j] /= s->weight_sum;
}
