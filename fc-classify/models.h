/* \summary: the set of models fc-classify compares flows with: built-in folder plus --model files */
#ifndef FC_CLASSIFY_MODELS_H
#define FC_CLASSIFY_MODELS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "score.h"

/*
 * Background models (the built-in folder's background/ subfolder) are models of benign
 * protocols that look like a threat to the meters (rsh, rlogin, rexec and memcached look
 * like a reverse shell). They never name a flow, and a model that names flows never has
 * to stand out from them, except a MALICIOUS one: it raises an alert only if the flow is
 * also clearly closer to it than to every background model (verdict.c). So they stop the
 * false alerts their protocols would cause without taking those flows' names from the
 * other models, or turning them unknown as close runners-up.
 */
struct model_set {
    uint32_t n;
    struct fc_model *model;        /* sorted by name, so ties and output never depend on file order */
    char **origin;                 /* the file each came from */
    bool *background;              /* a background model (never names a flow) */
    uint32_t *alert_turns;         /* the turns a MALICIOUS model's acceptance asks (verdict.c);
                                      0 for every other model */
    struct scored_model *scored;
    struct candidates *by_proto[256]; /* the models trained on each IP protocol; NULL = none, */
    bool by_proto_made[256];          /* or not made yet (model_set_candidates) */
    struct candidates *background_by_proto[256]; /* the same of the background models */
    bool background_by_proto_made[256];
    /* the same with the prior in proportion to few sessions of each IP protocol (verdict.c),
     * made when needed */
    struct scored_model *few_session_scored[256];
    struct candidates *few_session_by_proto[256];
    bool few_session_by_proto_made[256];
    struct verdict_text *text;     /* each model's verdict fields, packed (verdict.h) */
    struct fc_huge_arena tables;   /* where the models' counters and the scored and candidates
                                      tables lie (score.h); freed after everything else */
    char *builtin_dir;             /* the built-in folder the set was loaded from; NULL = none */
};

struct model_set_options {
    const char *builtin_dir;       /* NULL = find it (see find_builtin_dir) */
    bool no_builtin;
    bool no_background;            /* leave out the built-in folder's background/ models */
    char **extra;                  /* --model files */
    size_t n_extra;
    char **extra_background;       /* --background files */
    size_t n_extra_background;
};

/* Loads, checks (meter set, names, slugs, signature ids) and prepares every model; on any
 * problem prints "fc-classify: FILE: what is wrong" and exits. */
void model_set_load(struct model_set *set, const struct model_set_options *opt);
void model_set_free(struct model_set *set);
/* The models of the built-in folder's optional/ subfolder that loaded does not hold by
 * name (trained and installed, but too close to everyday traffic to be loaded unless named
 * with --model), loaded into optional (names, tags and sessions only: not prepared for
 * scoring; free with model_set_free). Empty when loaded has no built-in folder. */
void model_set_load_optional(const struct model_set *loaded, struct model_set *optional);
/* Precomputes what scoring needs (scored[]) for the set's models (model_set_load does it; a
 * set built by hand calls it once its models are complete). */
void model_set_prepare(struct model_set *set);
/* Every model scored with the prior scaled to its sessions of IP protocol proto below
 * few_sessions (score.h), made on the first call for proto (the value of the first call
 * stays). */
const struct scored_model *model_set_few_session_scores(struct model_set *set, uint8_t proto, double few_sessions);
/* The models trained on IP protocol proto that name flows, laid out for scoring; made on the
 * first call for the protocol, so a run pays only for the protocols it meets. NULL if no
 * model has it. */
struct candidates *model_set_candidates(struct model_set *set, uint8_t proto);
/* The same of the background models. */
struct candidates *model_set_background_candidates(struct model_set *set, uint8_t proto);
/* Of those, only the models trained from fewer than few_sessions sessions of proto, with
 * their few-session scores (the others score as in model_set_candidates: the few-session test
 * takes their divergences from there). */
struct candidates *model_set_few_session_candidates(struct model_set *set, uint8_t proto, double few_sessions);
/* The built-in models folder: $FLOWCARP_MODELS, else PREFIX/share/flowcarp/models beside the
 * installed binary, else the source tree's models/ when run from build/bin; NULL if none. */
const char *find_builtin_dir(char *buf, size_t cap);

#endif
