/* \summary: scoring a session against models: mean KL divergence over meters, touched bins only */
#ifndef FC_CLASSIFY_SCORE_H
#define FC_CLASSIFY_SCORE_H

/*
 * ALGORITHM.md §3. Model side, add-one smoothing: Q_i = (c_i + 1) / (N + 256);
 * session side, one pseudo-count spread over all bins: P_i = (s_i + 1/256) / (S + 1);
 * per meter D = sum_i P_i (log2 P_i - log2 Q_i); a model's divergence is the mean
 * of D over the meters in which the session has measurements, weighted by each
 * meter's weight (registry.c; a meter of weight 0 is left out, as if unmeasured).
 *
 * Every untouched bin has the same P_u = (1/256) / (S + 1), so
 *   D = [sum_touched P_i log2 P_i + (256 - T) P_u log2 P_u]      (session only)
 *       - sum_touched (P_i - P_u) log2 Q_i - P_u * sum_all log2 Q_i   (per model)
 * With sum_all log2 Q_i precomputed per model and meter, scoring a session costs
 * one multiply-add per touched bin per model and meter, not 256.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huge.h"
#include "model.h"
#include "vector.h"

struct scored_model {
    const struct fc_model *model;
    float *log_q;            /* [n_meters][256]: log2 Q_i (single precision, as scoring adds them);
                                NULL: no table (scored_models_init) */
    double *sum_log_q;       /* [n_meters] */
};

/*
 * One meter of the session: its touched bins and their counts (model independent). What
 * scoring derives from them (each bin's P_i - P_u, P_u, the session's own sum) and what
 * it gives against a transport's candidates are functions of these alone, so both are
 * kept for sessions met before (struct candidates' memo).
 */
struct session_meter {
    uint32_t n;              /* touched bins; 0 = no measurements or weight 0, meter left out of the mean */
    uint32_t total;          /* sum of count[] */
    const uint8_t *bin;      /* ascending: the vector's, or own_bin when measured here */
    const uint16_t *count;   /* the vector's, or own_count */
    uint64_t touched[4];     /* the bins as a bit set (bit b % 64 of word b / 64) */
    uint64_t hash;           /* of total, touched and count: the memo slot */
    uint8_t own_bin[256];
    uint16_t own_count[256];
};

struct session {
    uint32_t n_meters, n_measured;
    uint32_t turns;          /* direction changes among the observations (FC_VECTOR_TURNS_UNKNOWN: not known) */
    double weight_sum;       /* of the measured meters' weights */
    struct session_meter meter[FC_VECTOR_MAX_METERS];
};

/*
 * The models trained on one transport, laid out to be scored together: for each meter
 * and bin the candidates' log2 Q_i lie side by side, so a touched bin of the session is
 * one contiguous pass over all candidates (independent sums the CPU runs in parallel,
 * each still added in bin order, so every divergence is the same double as
 * score_model's).
 *
 * A meter's share of every candidate's divergence depends on that meter's counts only,
 * and sessions that differ somewhere often agree, meter by meter (the same request bytes
 * in another order, the same lengths, the same first packets): the shares of recent
 * counts are kept per meter (a memo, direct-mapped by the counts' hash, compared in
 * full), and a meter met again is added up from them without being scored.
 */
#define CANDIDATE_GROUP 8     /* candidates scored side by side; rows are padded to a multiple */

struct candidates {
    uint32_t n, n_meters;
    uint32_t stride;         /* n rounded up to a multiple of CANDIDATE_GROUP */
    uint32_t *model;         /* indexes into the model list, ascending */
    float *log_q;            /* [n_meters][256][stride], padding 0 */
    double *sum_log_q;       /* [n_meters][stride], padding 0 */
    double *divergence;      /* [stride]: score_candidates' result (padding meaningless) */
    struct share_key *share_keys; /* the memo: [n_meters][SHARE_SLOTS] (score.c) */
    uint64_t *share_used;    /* a bit per memo slot: its key is set */
    double *shares;          /* [n_meters][SHARE_SLOTS][stride]: each kept meter's shares */
    uint16_t *share_counts;  /* the keys' counts, each key's in a region of its own */
    uint32_t share_counts_used, share_counts_cap;
    uint64_t share_restarts; /* times share_counts was used up and every key forgotten */
    uint64_t share_hits;     /* meters added up from kept shares */
};

/* s[i] for models[i], i < n; their tables are taken from `tables` (and freed with it).
 * few_sessions 0: add-one smoothing, as above; else only the models trained from fewer
 * sessions of IP protocol proto get a table, with sessions / few_sessions pseudo-counts per
 * bin instead of 1 (scored_prior; the few-session test of verdict.c, for flows of that
 * protocol): for the others the add-one table applies, and theirs stays NULL. */
void scored_models_init(struct scored_model *s, const struct fc_model *models, uint32_t n, uint8_t proto,
                        double few_sessions, struct fc_huge_arena *tables);
/* The pseudo-count per bin of m in the few-session test of a flow of IP protocol proto:
 * its sessions of that protocol / few_sessions, at most 1. A model's sessions of one
 * transport say nothing about its flows on another, so a model of 37 UDP sessions and 1
 * TCP session is a model of few sessions for TCP flows. */
double scored_prior(const struct fc_model *m, uint8_t proto, double few_sessions);
/* The models of models[0..n_models) trained on IP protocol proto whose background[i] is
 * `background` (background NULL: none is a background model), and, when few_sessions > 0,
 * trained from fewer than few_sessions sessions of proto (scored_prior below 1), with an
 * empty memo; false (c empty) if none. Their tables and memo are taken from `tables`. */
bool candidates_init(struct candidates *c, const struct scored_model *scored, const struct fc_model *models,
                     uint32_t n_models, const bool *background_of, bool background, uint8_t proto,
                     double few_sessions, struct fc_huge_arena *tables);
/* Weighted mean divergence of every candidate into c->divergence (as score_model for each). */
void score_candidates(struct candidates *c, const struct session *s);
/* For the tests: every memo key in use has its counts in a region of the store given out
 * since it last started again, and no two such regions overlap. */
bool share_memo_consistent(const struct candidates *c);

/* Prepares a vector for scoring (of this build's meter set); false when no meter of non-zero
 * weight has measurements. */
bool session_prepare(const struct fc_vector *v, struct session *s);
/* The same for a sample's observations, measured here: runs the scored meters and prepares
 * their counts as they come, with no vector in between (the same session, to the bit, as
 * session_prepare of meter_measure's vector). */
struct meter_session;
/* c: the candidates the session will be scored against, or NULL (none, or not known): their
 * memo slots are fetched while the meters run. */
bool session_measure(const struct meter_session *obs, const struct candidates *c, struct session *s);
/* Divergence of one meter (the session must have measurements in it). */
double score_meter(const struct scored_model *m, const struct session *s, uint32_t k);
/* Weighted mean divergence over the measured meters. */
double score_model(const struct scored_model *m, const struct session *s);

#endif
