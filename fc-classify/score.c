/* \summary: KL divergence of a session from each model, with per-model sums precomputed */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../fc-feat/meters/measure.h"
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
    c->sum_log_q = fc_xcalloc((size_t)c->n_meters * c->stride, sizeof *c->sum_log_q);
    c->divergence = fc_xmalloc(sizeof *c->divergence * c->stride);
    uint32_t j = 0;
    for (uint32_t i = 0; i < n_models; i++) {
        if (!fc_model_has_l4(&models[i], proto))
            continue;
        c->model[j] = i;
        for (uint32_t k = 0; k < c->n_meters; k++) {
            for (unsigned b = 0; b < FC_MODEL_BINS; b++)
                c->log_q[((size_t)k * FC_MODEL_BINS + b) * c->stride + j] = scored[i].log_q[k * FC_MODEL_BINS + b];
            c->sum_log_q[(size_t)k * c->stride + j] = scored[i].sum_log_q[k];
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

/*
 * One meter's preparation, the same whether its counts come from a vector or straight
 * from the meter: P_u and the untouched bins' share of self first, then each touched bin
 * in ascending order adds its P log2 P to self and sets its weight. Most bins count 1, 2
 * or 3: their terms are looked up once per meter.
 */
#define SMALL_COUNTS 4

struct meter_prep {
    uint32_t total;
    double p_u, self;
    double small_self[SMALL_COUNTS], small_weight[SMALL_COUNTS];
};

static void prep_begin(struct meter_prep *mp, uint32_t n, uint32_t total)
{
    const struct memo_entry *u = session_p(0, total);
    mp->total = total;
    mp->p_u = u->p;
    mp->self = (BINS - n) * u->p * u->log2_p;
    for (uint32_t c = 1; c < SMALL_COUNTS; c++) {
        const struct memo_entry *e = session_p(c, total);
        mp->small_self[c] = e->p * e->log2_p;
        mp->small_weight[c] = e->p - mp->p_u;
    }
}

/* Adds a touched bin of count c to self (returned), its weight into *weight. */
static inline double prep_bin(const struct meter_prep *mp, double self, uint32_t c, double *weight)
{
    if (c < SMALL_COUNTS) {
        *weight = mp->small_weight[c];
        return self + mp->small_self[c];
    }
    const struct memo_entry *e = session_p(c, mp->total);
    *weight = e->p - mp->p_u;
    return self + e->p * e->log2_p;
}

static void prep_end(const struct meter_prep *mp, double self, struct session_meter *sm)
{
    sm->p_u = mp->p_u;
    sm->self = self;
}

static void session_begin(uint32_t n_meters, struct session *s)
{
    s->n_meters = n_meters;
    s->n_measured = 0;
    s->weight_sum = 0;
}

static bool meter_scored(uint32_t k) { return k < meter_count && meters[k].weight > 0; }

static void session_count_meter(struct session *s, uint32_t k)
{
    s->n_measured++;
    s->weight_sum += meters[k].weight;
}

static void prepare_meter(const struct fc_vector_meter *vm, const uint8_t *bin, struct session_meter *sm)
{
    struct meter_prep mp;
    prep_begin(&mp, vm->n, vm->total);
    double self = mp.self; /* a local: no store per bin */
    for (uint32_t i = 0; i < vm->n; i++)
        self = prep_bin(&mp, self, vm->count[i], &sm->weight[i]);
    sm->n = vm->n;
    sm->bin = bin;
    prep_end(&mp, self, sm);
}

bool session_prepare(const struct fc_vector *v, struct session *s)
{
    session_begin(v->n_meters, s);
    for (uint32_t k = 0; k < v->n_meters; k++) {
        const struct fc_vector_meter *vm = &v->meter[k];
        struct session_meter *sm = &s->meter[k];
        sm->n = 0;
        if (!vm->total || !vm->n || !meter_scored(k))
            continue;
        session_count_meter(s, k);
        prepare_meter(vm, vm->bin, sm);
    }
    return s->n_measured > 0;
}

/* The meter's counters in acc, prepared as they are read out; acc is left zeroed. The bins
 * are listed first, so the second loop, with the doubles, stays small. */
static void prepare_counts(struct meter_acc *acc, struct session_meter *sm)
{
    uint64_t touched[METER_BINS / 64];
    meter_acc_touched(acc, touched);
    uint8_t *bin = sm->own_bin;
    for (unsigned w = 0; w < METER_BINS / 64; w++)
        for (uint64_t bits = touched[w]; bits; bits &= bits - 1)
            *bin++ = (uint8_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
    uint32_t n = (uint32_t)(bin - sm->own_bin);
    struct meter_prep mp;
    prep_begin(&mp, n, acc->total);
    double self = mp.self;
    for (uint32_t i = 0; i < n; i++) {
        unsigned b = sm->own_bin[i];
        self = prep_bin(&mp, self, acc->count[b], &sm->weight[i]);
        acc->count[b] = 0;
        acc->hit[b] = 0;
    }
    acc->total = 0;
    sm->n = n;
    sm->bin = sm->own_bin;
    prep_end(&mp, self, sm);
}

bool session_measure(const struct meter_session *obs, struct session *s)
{
    static struct meter_acc acc; /* zero between meters: each is read out and cleared */
    session_begin(meter_count, s);
    for (uint32_t k = 0; k < meter_count; k++) {
        struct session_meter *sm = &s->meter[k];
        sm->n = 0;
        if (!meter_scored(k)) /* measured only to be stored, and nothing stores it here */
            continue;
        meters[k].measure(obs, &acc);
        if (!acc.total)
            continue;
        session_count_meter(s, k);
        if (acc.total <= UINT16_MAX) {
            prepare_counts(&acc, sm);
        } else { /* counts the vector would cap: take them as the vector has them */
            struct fc_vector_meter vm;
            meter_acc_store(&acc, &vm);
            memcpy(sm->own_bin, vm.bin, vm.n);
            prepare_meter(&vm, sm->own_bin, sm);
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

/*
 * score_candidates works meter by meter and, within a meter, on blocks of candidates:
 * cross_j = sum over touched bins of weight_i * log2 Q_ij, in bin order for every j, then
 * d_j = self - cross_j - P_u * sum log2 Q_j and divergence_j += meter weight * max(d_j, 0),
 * the very operations score_meter and score_model do, in the same order, so each
 * divergence is the same double. The table's rows are padded to whole groups of four.
 */
static void meter_block_plain(const struct session_meter *sm, const double *lq, const double *sum_lq,
                              uint32_t stride, double weight, double *divergence)
{
    for (uint32_t j = 0; j < stride; j += CANDIDATE_GROUP) {
        double a[CANDIDATE_GROUP] = { 0 };
        for (uint32_t i = 0; i < sm->n; i++) {
            const double w = sm->weight[i], *row = lq + (size_t)sm->bin[i] * stride + j;
            for (uint32_t g = 0; g < CANDIDATE_GROUP; g++)
                a[g] += w * row[g];
        }
        for (uint32_t g = 0; g < CANDIDATE_GROUP; g++) {
            double d = sm->self - a[g] - sm->p_u * sum_lq[j + g];
            divergence[j + g] += weight * (d > 0 ? d : 0);
        }
    }
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/*
 * The same with AVX, four candidates per instruction, up to 32 at a time, picked at run
 * time when the CPU has AVX. Each candidate's sum is still its own lane, added in bin
 * order with the same multiply and add (AVX alone has no fused multiply-add to contract
 * into), and max(d, 0) is d masked by d > 0, exactly what the comparison in the plain
 * code gives (+0 for a negative zero or a NaN), so every divergence stays the same double.
 */
#define HAVE_AVX_BLOCKS 1
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));
#define AVX __attribute__((target("avx")))

AVX static inline v4d load4(const double *p)
{
    v4d v;
    memcpy(&v, p, sizeof v);
    return v;
}

AVX static inline v4d splat4(double x) { return (v4d){ x, x, x, x }; }

/* Candidates [j, j + 4 * GROUPS): up to eight groups of four in registers, so each touched
 * bin's row is read once per block. */
#define METER_BLOCK(GROUPS)                                                                     \
    AVX static void meter_block_##GROUPS(const struct session_meter *sm, const double *lq,     \
                                         const double *sum_lq, uint32_t stride, uint32_t j,     \
                                         double weight, double *divergence)                     \
    {                                                                                           \
        v4d acc[GROUPS] = { 0 };                                                                \
        for (uint32_t i = 0; i < sm->n; i++) {                                                  \
            const double *row = lq + (size_t)sm->bin[i] * stride + j;                           \
            v4d w = splat4(sm->weight[i]);                                                      \
            _Pragma("GCC unroll 8") /* all in registers */                                      \
            for (int g = 0; g < GROUPS; g++)                                                    \
                acc[g] += w * load4(row + 4 * g);                                               \
        }                                                                                       \
        v4d self = splat4(sm->self), p_u = splat4(sm->p_u), wt = splat4(weight);                \
        _Pragma("GCC unroll 8")                                                                 \
        for (int g = 0; g < GROUPS; g++) {                                                      \
            v4d d = self - acc[g] - p_u * load4(sum_lq + j + 4 * g);                            \
            v4d kept = (v4d)((v4i)d & (d > splat4(0)));                                         \
            v4d sum = load4(divergence + j + 4 * g) + wt * kept;                                \
            memcpy(divergence + j + 4 * g, &sum, sizeof sum);                                   \
        }                                                                                       \
    }
METER_BLOCK(1)
METER_BLOCK(2)
METER_BLOCK(3)
METER_BLOCK(4)
METER_BLOCK(5)
METER_BLOCK(6)
METER_BLOCK(7)
METER_BLOCK(8)

#define MAX_GROUPS 8
static void (*const meter_block[MAX_GROUPS + 1])(const struct session_meter *, const double *, const double *,
                                                 uint32_t, uint32_t, double, double *) = {
    NULL, meter_block_1, meter_block_2, meter_block_3, meter_block_4,
    meter_block_5, meter_block_6, meter_block_7, meter_block_8,
};

static void meter_blocks_avx(const struct session_meter *sm, const double *lq, const double *sum_lq,
                             uint32_t stride, double weight, double *divergence)
{
    for (uint32_t j = 0; j < stride; j += 4 * MAX_GROUPS) {
        uint32_t groups = (stride - j) / 4;
        meter_block[groups < MAX_GROUPS ? groups : MAX_GROUPS](sm, lq, sum_lq, stride, j, weight, divergence);
    }
}
#endif

typedef void meter_blocks_fn(const struct session_meter *, const double *, const double *, uint32_t, double,
                             double *);

/* The widest instructions this CPU has. */
static meter_blocks_fn *pick_meter_blocks(void)
{
#ifdef HAVE_AVX_BLOCKS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx"))
        return meter_blocks_avx;
#endif
    return meter_block_plain;
}

void score_candidates(struct candidates *c, const struct session *s)
{
    static meter_blocks_fn *blocks;
    if (!blocks)
        blocks = pick_meter_blocks();
    for (uint32_t j = 0; j < c->stride; j++)
        c->divergence[j] = 0;
    for (uint32_t k = 0; k < s->n_meters && k < c->n_meters; k++) {
        const struct session_meter *sm = &s->meter[k];
        if (!sm->n)
            continue;
        blocks(sm, c->log_q + (size_t)k * FC_MODEL_BINS * c->stride, c->sum_log_q + (size_t)k * c->stride,
               c->stride, meters[k].weight, c->divergence);
    }
    for (uint32_t j = 0; j < c->n; j++)
        c->divergence[j] /= s->weight_sum;
}
