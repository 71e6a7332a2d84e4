/* \summary: the acceptance threshold of a model: how close unseen sessions of its protocol come */
#ifndef FC_TRAIN_ACCEPTANCE_H
#define FC_TRAIN_ACCEPTANCE_H

/*
 * fc-train keeps every training session (sparsely) while it adds them to the model,
 * then measures each session's divergence to the model made without the session's
 * fold, with fc-classify's formula (fc-classify/score.h: smoothed KL divergence per
 * meter, weighted mean over the meters the session measured). Folds are runs of
 * consecutive sessions, not scattered ones: the sessions of one capture arrive
 * together, so a fold leaves whole captures (or large parts of one) out, and the
 * divergences say how close sessions of a capture the model has not seen come, which
 * is what the model meets in use. Leaving out single sessions (or none) would let a
 * session's siblings from the same capture vouch for it, and the threshold would be
 * too tight for new captures.
 */
#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "vector.h"

struct stored_bin {
    uint8_t meter, bin;
    uint16_t count;
};

struct session_store {
    uint32_t n, cap;              /* sessions */
    uint64_t *first;              /* [n + 1]: each session's first entry in bins */
    uint32_t *turns;              /* [n]: each session's direction changes (0 when not known) */
    struct stored_bin *bins;
    uint64_t n_bins, cap_bins;
};

void session_store_add(struct session_store *st, const struct fc_vector *v);
void session_store_free(struct session_store *st);

/* The `quantile` quantile (linear interpolation) of the stored sessions' out-of-fold
 * divergences to m (the sum of exactly these sessions), with `folds` folds. False when no
 * session has a scored meter (then no threshold can be given). */
bool acceptance_compute(const struct session_store *st, const struct fc_model *m, double quantile, uint32_t folds,
                        double *divergence);

/* The fewest direction changes that `quantile` of the stored sessions reach: the
 * floor((1 - quantile) * (n - 1))-th smallest (ascending, from 0), so every session counts
 * below 101 sessions. 0 when none is stored. */
uint32_t acceptance_turns(const struct session_store *st, double quantile);

#endif
