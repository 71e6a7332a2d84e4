/* \summary: KL divergence of a session from each model, with per-model sums precomputed */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../fc-feat/meters/measure.h"
#include "huge.h"

#define BINS 256.0

/* One model's log2 Q_i for each meter and bin, and their sum per meter, with `prior`
 * pseudo-counts per bin (1: add-one smoothing). */
static void model_logs(const struct fc_model *m, double prior, float *log_q, double *sum_log_q)
{
    for (uint32_t k = 0; k < m->n_meters; k++) {
        double denom = (double)m->meter[k].measurements + BINS * prior, sum = 0;
        /* most bins of a model are empty: their log is worked out once per meter */
        const double lq_empty = log2(prior / denom);
        for (unsigned b = 0; b < FC_MODEL_BINS; b++) {
            float lq = (float)(m->meter[k].counts[b] ? log2(((double)m->meter[k].counts[b] + prior) / denom) : lq_empty);
            log_q[k * FC_MODEL_BINS + b] = lq;
            sum += lq;
        }
        sum_log_q[k] = sum;
    }
}

double scored_prior(const struct fc_model *m, uint8_t proto, double few_sessions)
{
    double sessions = (double)fc_model_l4_sessions(m, proto);
    return sessions < few_sessions ? sessions / few_sessions : 1.0;
}

/* The pseudo-count per bin model m's table is made with: 1 (add-one) without few_sessions;
 * with it, the scaled prior of a model of few sessions of proto, and 0 (no table) for the
 * others, whose add-one table is the one that applies (or, with no session of proto, none). */
static double table_prior(const struct fc_model *m, uint8_t proto, double few_sessions)
{
    if (few_sessions <= 0)
        return 1.0;
    double prior = scored_prior(m, proto, few_sessions);
    return prior < 1 ? prior : 0;
}

void scored_models_init(struct scored_model *s, const struct fc_model *models, uint32_t n, uint8_t proto,
                        double few_sessions, struct fc_huge_arena *tables)
{
    size_t meters_in_all = 0;
    for (uint32_t i = 0; i < n; i++)
        meters_in_all += table_prior(&models[i], proto, few_sessions) > 0 ? models[i].n_meters : 0;
    float *log_q = meters_in_all ? fc_huge_arena_alloc(tables, sizeof(float) * FC_MODEL_BINS * meters_in_all) : NULL;
    double *sum_log_q = meters_in_all ? fc_huge_arena_alloc(tables, sizeof(double) * meters_in_all) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        double prior = table_prior(&models[i], proto, few_sessions);
        s[i] = (struct scored_model){ .model = &models[i] };
        if (prior == 0)
            continue;
        s[i].log_q = log_q;
        s[i].sum_log_q = sum_log_q;
        model_logs(&models[i], prior, log_q, sum_log_q);
        log_q += (size_t)FC_MODEL_BINS * models[i].n_meters;
        sum_log_q += models[i].n_meters;
    }
}

static void share_memo_init(struct candidates *c, struct fc_huge_arena *tables);

/* Whether model i is one of the candidates candidates_init lays out. */
static bool candidate_kind(const struct fc_model *models, uint32_t i, const bool *background_of, bool background,
                           uint8_t proto, double few_sessions)
{
    return fc_model_has_l4(&models[i], proto) && (background_of ? background_of[i] : false) == background &&
           (few_sessions <= 0 || scored_prior(&models[i], proto, few_sessions) < 1);
}

bool candidates_init(struct candidates *c, const struct scored_model *scored, const struct fc_model *models,
                     uint32_t n_models, const bool *background_of, bool background, uint8_t proto, double few_sessions,
                     struct fc_huge_arena *tables)
{
    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < n_models; i++)
        c->n += candidate_kind(models, i, background_of, background, proto, few_sessions);
    if (!c->n)
        return false;
    c->n_meters = models[0].n_meters; /* every model has this build's meters (checked when loaded) */
    c->stride = (c->n + CANDIDATE_GROUP - 1) / CANDIDATE_GROUP * CANDIDATE_GROUP;
    c->model = fc_huge_arena_alloc(tables, sizeof *c->model * c->n);
    c->log_q = fc_huge_arena_calloc(tables, (size_t)c->n_meters * FC_MODEL_BINS * c->stride * sizeof *c->log_q);
    c->sum_log_q = fc_huge_arena_calloc(tables, (size_t)c->n_meters * c->stride * sizeof *c->sum_log_q);
    c->divergence = fc_huge_arena_alloc(tables, sizeof *c->divergence * c->stride);
    uint32_t j = 0;
    for (uint32_t i = 0; i < n_models; i++)
        if (candidate_kind(models, i, background_of, background, proto, few_sessions))
            c->model[j++] = i;
    /* row by row of the transposed table, so that its writes go in order */
    for (size_t row = 0; row < (size_t)c->n_meters * FC_MODEL_BINS; row++)
        for (j = 0; j < c->n; j++)
            c->log_q[row * c->stride + j] = scored[c->model[j]].log_q[row];
    for (uint32_t k = 0; k < c->n_meters; k++)
        for (j = 0; j < c->n; j++)
            c->sum_log_q[(size_t)k * c->stride + j] = scored[c->model[j]].sum_log_q[k];
    share_memo_init(c, tables);
    return true;
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
static inline double prep_bin(const struct meter_prep *mp, double self, uint32_t c, float *weight)
{
    if (c < SMALL_COUNTS) {
        *weight = (float)mp->small_weight[c];
        return self + mp->small_self[c];
    }
    const struct memo_entry *e = session_p(c, mp->total);
    *weight = (float)(e->p - mp->p_u);
    return self + e->p * e->log2_p;
}

/* What scoring needs of one meter of the session, derived from its counts. */
struct meter_weights {
    float weight[256];       /* P_i - P_u for each touched bin (single precision: the cross sums are) */
    double p_u;
    double self;             /* sum_touched P_i log2 P_i + (256 - T) P_u log2 P_u */
};

static void weigh_meter(const struct session_meter *sm, struct meter_weights *w)
{
    struct meter_prep mp;
    prep_begin(&mp, sm->n, sm->total);
    double self = mp.self; /* a local: no store per bin */
    for (uint32_t i = 0; i < sm->n; i++)
        self = prep_bin(&mp, self, sm->count[i], &w->weight[i]);
    w->p_u = mp.p_u;
    w->self = self;
}

static void session_begin(uint32_t n_meters, struct session *s)
{
    s->n_meters = n_meters;
    s->n_measured = 0;
    s->weight_sum = 0;
}

static bool meter_scored(uint32_t k) { return k < meter_count && meters[k].weight > 0; }

/* The memo's slot choice: every word of the key mixed in (equality is compared in full). */
static uint64_t mix(uint64_t h, uint64_t x)
{
    h = (h ^ x) * 0xff51afd7ed558ccdull;
    return h ^ h >> 29;
}

/* Meter k of s, its counts listed, joins the mean; its counts are hashed for the memo. */
static void session_meter_done(struct session *s, uint32_t k, struct session_meter *sm)
{
    s->n_measured++;
    s->weight_sum += meters[k].weight;
    /* two independent chains over the counts, eight of them a step */
    uint64_t h = mix(0x9E3779B97F4A7C15ull, sm->total), g = mix(sm->touched[0], sm->touched[1]);
    h = mix(mix(h, sm->touched[2]), sm->touched[3]);
    uint32_t i = 0;
    for (; i + 8 <= sm->n; i += 8) {
        uint64_t x[2];
        memcpy(x, sm->count + i, sizeof x);
        h = mix(h, x[0]);
        g = mix(g, x[1]);
    }
    for (; i < sm->n; i++)
        h = mix(h, sm->count[i]);
    sm->hash = mix(h, g);
}

/* The bins as a bit set (bit b % 64 of word b / 64). */
static void mark_touched(uint64_t touched[4], const uint8_t *bin, uint32_t n)
{
    memset(touched, 0, 4 * sizeof *touched);
    for (uint32_t i = 0; i < n; i++)
        touched[bin[i] / 64] |= 1ull << (bin[i] % 64);
}

bool session_prepare(const struct fc_vector *v, struct session *s)
{
    session_begin(v->n_meters, s);
    s->turns = v->turns;
    for (uint32_t k = 0; k < v->n_meters; k++) {
        const struct fc_vector_meter *vm = &v->meter[k];
        struct session_meter *sm = &s->meter[k];
        sm->n = 0;
        if (!vm->total || !vm->n || !meter_scored(k))
            continue;
        sm->n = vm->n;
        sm->total = vm->total;
        sm->bin = vm->bin;
        sm->count = vm->count;
        mark_touched(sm->touched, vm->bin, vm->n); /* ascending and unique (fc_vector_unpack checks) */
        session_meter_done(s, k, sm);
    }
    return s->n_measured > 0;
}

/* The touched bins of acc, ascending, into bin[] and their counts into count[] (counts fit
 * 16 bits: the total does); returns how many. */
static uint32_t list_counts_into(const struct meter_acc *acc, uint64_t touched[METER_BINS / 64], uint8_t *bin,
                                 uint16_t *count)
{
    meter_acc_touched(acc, touched);
    const uint8_t *first = bin;
    for (unsigned w = 0; w < METER_BINS / 64; w++) {
        const uint32_t *word_count = acc->count + 64 * w;
        for (uint64_t bits = touched[w]; bits; bits &= bits - 1) {
            unsigned b = (unsigned)__builtin_ctzll(bits);
            *bin++ = (uint8_t)(64 * w + b);
            *count++ = (uint16_t)word_count[b];
        }
    }
    return (uint32_t)(bin - first);
}

/* The meter's counters in acc listed into sm (bins ascending); acc is left zeroed, bin by
 * bin when few were touched, all at once otherwise. */
static void list_counts(struct meter_acc *acc, struct session_meter *sm)
{
    sm->n = list_counts_into(acc, sm->touched, sm->own_bin, sm->own_count);
    if (sm->n > METER_BINS / 8) {
        memset(acc->count, 0, sizeof acc->count);
    } else {
        for (uint32_t i = 0; i < sm->n; i++)
            acc->count[sm->own_bin[i]] = 0;
    }
    sm->total = acc->total;
    acc->total = 0;
}

struct share_key;
static size_t share_slot(const struct candidates *c, uint32_t k, uint64_t hash, struct share_key **key,
                         double **share);

/* Meter k's counts in acc, once measured: into the session, acc zeroed again. */
static void session_take_meter(struct session *s, uint32_t k, struct meter_acc *acc, const struct candidates *c)
{
    struct session_meter *sm = &s->meter[k];
    if (!acc->total)
        return;
    if (acc->total <= UINT16_MAX) {
        list_counts(acc, sm);
    } else { /* counts the vector would cap: take them as the vector has them */
        struct fc_vector_meter vm;
        meter_acc_store(acc, &vm);
        memcpy(sm->own_bin, vm.bin, vm.n);
        memcpy(sm->own_count, vm.count, vm.n * sizeof *vm.count);
        mark_touched(sm->touched, vm.bin, vm.n);
        sm->n = vm.n;
        sm->total = vm.total;
    }
    sm->bin = sm->own_bin;
    sm->count = sm->own_count;
    session_meter_done(s, k, sm);
#ifdef __GNUC__
    /* Starts loading meter k's memo slot while the other meters are measured: a slot is
     * rarely in cache, and scoring would otherwise wait for it first thing. (Not in a
     * helper: a function doing nothing but prefetch is found to have no effect, and its
     * calls are dropped.) */
    if (c) {
        struct share_key *key;
        double *share;
        share_slot(c, k, sm->hash, &key, &share);
        __builtin_prefetch(key);
        for (size_t at = 0; at < c->stride * sizeof *share; at += 64)
            __builtin_prefetch((const char *)share + at);
    }
#else
    (void)c;
#endif
}

/*
 * Each meter's counts are read out only after the next meter has run: reading them at once
 * would wait for the meter's last scattered stores to land, so two sets of counters take
 * turns.
 */
bool session_measure(const struct meter_session *obs, const struct candidates *c, struct session *s)
{
    static struct meter_acc acc[2]; /* zero between meters: each is read out and cleared */
    session_begin(meter_count, s);
    s->turns = meter_session_turns(obs);
    uint32_t previous = UINT32_MAX, turn = 0;
    for (uint32_t k = 0; k < meter_count; k++) {
        s->meter[k].n = 0;
        if (!meter_scored(k)) /* measured only to be stored, and nothing stores it here */
            continue;
        meters[k].measure(obs, &acc[turn]);
        if (previous != UINT32_MAX)
            session_take_meter(s, previous, &acc[!turn], c);
        previous = k;
        turn = !turn;
    }
    if (previous != UINT32_MAX)
        session_take_meter(s, previous, &acc[!turn], c);
    return s->n_measured > 0;
}

double score_meter(const struct scored_model *m, const struct session *s, uint32_t k)
{
    const struct session_meter *sm = &s->meter[k];
    struct meter_weights w;
    weigh_meter(sm, &w);
    const float *lq = m->log_q + (size_t)k * FC_MODEL_BINS;
    float cross = 0;
    for (uint32_t i = 0; i < sm->n; i++)
        cross += w.weight[i] * lq[sm->bin[i]];
    double d = w.self - (double)cross - w.p_u * m->sum_log_q[k];
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
 * d_j = self - cross_j - P_u * sum log2 Q_j, the meter's share max(d_j, 0), and
 * divergence_j += meter weight * share_j: the very operations score_meter and score_model
 * do, in the same order, so each divergence is the same double. The table's rows are
 * padded to whole groups of eight.
 *
 * The cross sums are single precision (log2 Q_ij and weight_i stored as floats, added as
 * floats); everything else is double. Twice the candidates per instruction and half the
 * table's bytes took scoring from about 26 % of fc-classify's time to 18 % (bench
 * capture); a divergence moves by about 1e-6, far below what any verdict rule tells apart
 * (ratio 0.93, thresholds in hundredths): no verdict or name changed over the bench
 * capture's 232,155 flows or the shared corpus's.
 */
static void meter_block_plain(const struct session_meter *sm, const struct meter_weights *w, const float *lq,
                              const double *sum_lq, uint32_t stride, double *share)
{
    for (uint32_t j = 0; j < stride; j += CANDIDATE_GROUP) {
        float a[CANDIDATE_GROUP] = { 0 };
        for (uint32_t i = 0; i < sm->n; i++) {
            const float wi = w->weight[i], *row = lq + (size_t)sm->bin[i] * stride + j;
            for (uint32_t g = 0; g < CANDIDATE_GROUP; g++)
                a[g] += wi * row[g];
        }
        for (uint32_t g = 0; g < CANDIDATE_GROUP; g++) {
            double d = w->self - (double)a[g] - w->p_u * sum_lq[j + g];
            share[j + g] = d > 0 ? d : 0;
        }
    }
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/*
 * The same with AVX, eight candidates per instruction, up to 64 at a time, picked at run
 * time when the CPU has AVX. Each candidate's sum is still its own lane, added in bin
 * order with the same multiply and add (AVX alone has no fused multiply-add to contract
 * into), widened to double as the plain code's cast does, and max(d, 0) is d masked by
 * d > 0, exactly what the comparison in the plain code gives (+0 for a negative zero or
 * a NaN), so every divergence stays the same double.
 */
#define HAVE_AVX_BLOCKS 1
#include <immintrin.h>
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

typedef float v8f __attribute__((vector_size(32)));

AVX static inline v8f load8f(const float *p)
{
    v8f v;
    memcpy(&v, p, sizeof v);
    return v;
}

AVX static inline v8f splat8f(float x) { return (v8f){ x, x, x, x, x, x, x, x }; }

/* Candidates [j, j + 8 * GROUPS): up to eight groups of eight in registers, so each touched
 * bin's row is read once per block; each group's float sums are then widened, four at a
 * time, to doubles. */
#define METER_BLOCK(GROUPS)                                                                     \
    AVX static void meter_block_##GROUPS(const struct session_meter *sm, const struct meter_weights *w, \
                                         const float *lq, const double *sum_lq, uint32_t stride, \
                                         uint32_t j, double *share)                             \
    {                                                                                           \
        v8f acc[GROUPS] = { 0 };                                                                \
        for (uint32_t i = 0; i < sm->n; i++) {                                                  \
            const float *row = lq + (size_t)sm->bin[i] * stride + j;                            \
            v8f wi = splat8f(w->weight[i]);                                                     \
            _Pragma("GCC unroll 8") /* all in registers */                                      \
            for (int g = 0; g < GROUPS; g++)                                                    \
                acc[g] += wi * load8f(row + 8 * g);                                             \
        }                                                                                       \
        v4d self = splat4(w->self), p_u = splat4(w->p_u);                                       \
        _Pragma("GCC unroll 8")                                                                 \
        for (int g = 0; g < 2 * GROUPS; g++) {                                                  \
            __m128 half = g % 2 ? _mm256_extractf128_ps((__m256)acc[g / 2], 1)                  \
                                : _mm256_castps256_ps128((__m256)acc[g / 2]);                   \
            v4d d = self - (v4d)_mm256_cvtps_pd(half) - p_u * load4(sum_lq + j + 4 * g);        \
            v4d kept = (v4d)((v4i)d & (d > splat4(0)));                                         \
            memcpy(share + j + 4 * g, &kept, sizeof kept);                                      \
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
static void (*const meter_block[MAX_GROUPS + 1])(const struct session_meter *, const struct meter_weights *,
                                                 const float *, const double *, uint32_t, uint32_t, double *) = {
    NULL, meter_block_1, meter_block_2, meter_block_3, meter_block_4,
    meter_block_5, meter_block_6, meter_block_7, meter_block_8,
};

static void meter_blocks_avx(const struct session_meter *sm, const struct meter_weights *w, const float *lq,
                             const double *sum_lq, uint32_t stride, double *share)
{
    for (uint32_t j = 0; j < stride; j += 8 * MAX_GROUPS) {
        uint32_t groups = (stride - j) / 8;
        meter_block[groups < MAX_GROUPS ? groups : MAX_GROUPS](sm, w, lq, sum_lq, stride, j, share);
    }
}
#endif

typedef void meter_blocks_fn(const struct session_meter *, const struct meter_weights *, const float *,
                             const double *, uint32_t, double *);


/* divergence_j = the weighted shares of the measured meters added in meter order, from 0. */
typedef void shares_sum_fn(const double *const *share, uint32_t n, uint32_t stride, double *divergence);

static void shares_sum_plain(const double *const *share, uint32_t n, uint32_t stride, double *divergence)
{
    for (uint32_t j = 0; j < stride; j++) {
        double d = 0;
        for (uint32_t m = 0; m < n; m++)
            d += share[m][j];
        divergence[j] = d;
    }
}

#ifdef HAVE_AVX_BLOCKS
AVX static void shares_sum_avx(const double *const *share, uint32_t n, uint32_t stride, double *divergence)
{
    for (uint32_t j = 0; j < stride; j += 4) {
        v4d d = splat4(0);
        for (uint32_t m = 0; m < n; m++)
            d += load4(share[m] + j);
        memcpy(divergence + j, &d, sizeof d);
    }
}
#endif

/* Scoring's two loops, in the widest instructions this CPU has. */
struct score_kernels {
    meter_blocks_fn *blocks;
    shares_sum_fn *sum;
};

static struct score_kernels pick_kernels(void)
{
#ifdef HAVE_AVX_BLOCKS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx"))
        return (struct score_kernels){ meter_blocks_avx, shares_sum_avx };
#endif
    return (struct score_kernels){ meter_block_plain, shares_sum_plain };
}

/* The memo of meter shares (score.h): a slot's key, its counts in share_counts, and its
 * shares in shares. Why so few slots, and the counts apart: every byte of the memo is a
 * fresh page touched once, and on the bench machine (a virtual machine) a fresh page costs
 * more than the scoring it spares. 256 slots with the counts in the key (560 bytes) made
 * 6 MB of keys for each of fc-classify's eight sets of candidates, all touched on
 * corpus-mix.pcap: a fifth of fc-classify's time in the pipeline went to zeroing pages. */
#define SHARE_SLOTS 64
/* share_counts holds this many counts per slot on average (a meter of a session touches up
 * to 256 bins, most of them far fewer) before it is used up and the memo starts again */
#define SHARE_COUNTS_PER_SLOT 64
#define SHARE_COUNTS_MIN_REGION 8
_Static_assert(SHARE_SLOTS * SHARE_COUNTS_PER_SLOT >= METER_BINS, "a meter's largest region fits share_counts");

struct share_key {
    _Alignas(64) uint64_t hash; /* a key a cache line (the arena's tables are 64-byte aligned) */
    uint64_t touched[4];
    uint32_t n, total;
    uint32_t count_at, count_cap; /* its counts' region in share_counts: n of count_cap used */
};

/* Whether memo slot `slot` holds a key: a bit each, so that the keys need no zeroing and
 * are touched only as they fill. */
static bool share_slot_used(const struct candidates *c, size_t slot)
{
    return c->share_used[slot / 64] >> (slot % 64) & 1;
}

static bool share_key_matches(const struct candidates *c, const struct share_key *key,
                              const struct session_meter *sm)
{
    return key->hash == sm->hash && key->n == sm->n && key->total == sm->total &&
           memcmp(key->touched, sm->touched, sizeof key->touched) == 0 &&
           memcmp(c->share_counts + key->count_at, sm->count, sm->n * sizeof *sm->count) == 0;
}

/* The memo slot of meter k's counts of hash h: its number, key and shares. */
static size_t share_slot(const struct candidates *c, uint32_t k, uint64_t hash, struct share_key **key,
                         double **share)
{
    size_t slot = (size_t)k * SHARE_SLOTS + (hash & (SHARE_SLOTS - 1));
    *key = &c->share_keys[slot];
    *share = c->shares + slot * c->stride;
    return slot;
}

/* Room for n counts of the key in slot `slot`: its region if that holds them, else a new
 * one from share_counts; when that is used up, every slot is forgotten first and it starts
 * again (the shares of the slots already taken for the session being scored stay where
 * they are: only keys are forgotten). */
static uint16_t *share_counts_room(struct candidates *c, size_t slot, struct share_key *key, uint32_t n)
{
    if (share_slot_used(c, slot) && key->count_cap >= n)
        return c->share_counts + key->count_at;
    uint32_t cap = SHARE_COUNTS_MIN_REGION;
    while (cap < n)
        cap *= 2;
    if (c->share_counts_cap - c->share_counts_used < cap) {
        memset(c->share_used, 0, ((size_t)c->n_meters * SHARE_SLOTS + 63) / 64 * sizeof *c->share_used);
        c->share_counts_used = 0;
        c->share_restarts++;
    }
    key->count_at = c->share_counts_used;
    key->count_cap = cap;
    c->share_counts_used += cap;
    return c->share_counts + key->count_at;
}

bool share_memo_consistent(const struct candidates *c)
{
    bool *taken = calloc(c->share_counts_cap ? c->share_counts_cap : 1, sizeof *taken);
    bool ok = taken != NULL;
    for (size_t slot = 0; ok && slot < (size_t)c->n_meters * SHARE_SLOTS; slot++) {
        if (!share_slot_used(c, slot))
            continue;
        const struct share_key *key = &c->share_keys[slot];
        ok = key->n <= key->count_cap && key->count_at <= c->share_counts_used &&
             key->count_cap <= c->share_counts_used - key->count_at;
        for (uint32_t i = 0; ok && i < key->count_cap; i++) {
            ok = !taken[key->count_at + i];
            taken[key->count_at + i] = true;
        }
    }
    free(taken);
    return ok;
}

/* The memo, empty: keys and shares are read only once share_used says they were written,
 * so of its memory only share_used is touched now. */
static void share_memo_init(struct candidates *c, struct fc_huge_arena *tables)
{
    size_t slots = (size_t)c->n_meters * SHARE_SLOTS;
    c->share_used = fc_huge_arena_calloc(tables, (slots + 63) / 64 * sizeof *c->share_used);
    c->share_keys = fc_huge_arena_alloc(tables, slots * sizeof *c->share_keys);
    c->shares = fc_huge_arena_alloc(tables, sizeof *c->shares * slots * c->stride);
    c->share_counts_cap = (uint32_t)(slots * SHARE_COUNTS_PER_SLOT);
    c->share_counts = fc_huge_arena_alloc(tables, sizeof *c->share_counts * c->share_counts_cap);
}

/* Meter k's weighted share of every candidate's divergence (meter weight * max(d_j, 0)):
 * kept from a session met before, or scored. */
static const double *meter_shares(struct candidates *c, uint32_t k, const struct session_meter *sm,
                                  meter_blocks_fn *blocks)
{
    struct share_key *key;
    double *share;
    size_t slot = share_slot(c, k, sm->hash, &key, &share);
    if (share_slot_used(c, slot) && share_key_matches(c, key, sm)) {
        c->share_hits++;
        return share;
    }
    struct meter_weights w;
    weigh_meter(sm, &w);
    blocks(sm, &w, c->log_q + (size_t)k * FC_MODEL_BINS * c->stride, c->sum_log_q + (size_t)k * c->stride,
           c->stride, share);
    for (uint32_t j = 0; j < c->stride; j++) /* the product score_model adds, kept whole */
        share[j] *= meters[k].weight;
    memcpy(share_counts_room(c, slot, key, sm->n), sm->count, sm->n * sizeof *sm->count);
    key->hash = sm->hash;
    memcpy(key->touched, sm->touched, sizeof key->touched);
    key->n = sm->n;
    key->total = sm->total;
    c->share_used[slot / 64] |= (uint64_t)1 << (slot % 64);
    return share;
}

void score_candidates(struct candidates *c, const struct session *s)
{
    static struct score_kernels run;
    if (!run.blocks)
        run = pick_kernels();
    const double *share[FC_VECTOR_MAX_METERS];
    uint32_t n = 0;
    for (uint32_t k = 0; k < s->n_meters && k < c->n_meters; k++)
        if (s->meter[k].n)
            share[n++] = meter_shares(c, k, &s->meter[k], run.blocks);
    run.sum(share, n, c->stride, c->divergence);
    for (uint32_t j = 0; j < c->n; j++)
        c->divergence[j] /= s->weight_sum;
}
