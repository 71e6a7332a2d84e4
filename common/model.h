/* \summary: protocol model files (.fcp): the in-memory model, a strict loader for untrusted files, the writer */
#ifndef FC_MODEL_H
#define FC_MODEL_H

/*
 * A model is, per attribute meter, the sum of the fingerprints (256 counters) of
 * its training sessions, with the number of measurements, plus the model's name,
 * tags, the meter set that made it, its session count and the transports (IP
 * protocols) it was trained on. The file is one msgpack map; man/flowcarp-model.5
 * specifies it byte for byte.
 *
 * Model files come from anywhere (users trade them), so the loader treats each as
 * hostile: the size is bounded before reading, the msgpack object is framed by
 * the bounds-checked scanner before msgpack-c decodes it, and every field's type,
 * size, count and sum is checked; anything wrong is refused with a message that
 * says what, never half-loaded.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FC_MODEL_MAGIC "FlowCarp model"
#define FC_MODEL_FORMAT_VERSION 3u     /* written; versions 1 (no acceptance threshold) and 2 (no
                                          turns) still load */
#define FC_MODEL_OLDEST_VERSION 1u
#define FC_MODEL_MAX_BYTES (4u << 20)
#define FC_MODEL_NAME_MAX 200         /* bytes of a model name */
#define FC_MODEL_MAX_TAGS 32
#define FC_MODEL_TAG_MAX 32           /* bytes of one tag */
#define FC_MODEL_TAG_MALICIOUS "MALICIOUS" /* the tag that makes alerts */
#define FC_MODEL_SET_MAX 64           /* meter set and meter names, with NUL */
#define FC_MODEL_MAX_METERS 64
#define FC_MODEL_MAX_L4 8
#define FC_MODEL_BINS 256
#define FC_MODEL_WHY 256              /* room for a reason */
#define FC_MODEL_MAX_DIVERGENCE 1000.0 /* above any KL divergence a 256-bin meter can give */
#define FC_MODEL_MAX_TURNS 65535u      /* above any sample's direction changes */
#define FC_MODEL_FEW_SESSIONS 70      /* fc-classify's --few-sessions default (verdict.c) */

struct fc_model_meter {
    char name[FC_MODEL_SET_MAX];
    uint32_t version;
    uint64_t measurements;            /* = sum of counts */
    uint64_t counts[FC_MODEL_BINS];
};

struct fc_model_l4 {
    uint8_t proto;                    /* IP protocol number */
    uint64_t sessions;
};

/*
 * The acceptance threshold (format version 2): the `quantile` quantile of the training
 * sessions' divergences to the model, each measured against the model made without the
 * session's own fold (fc-train), so it says how close unseen sessions of the protocol
 * come, not how close the sessions it was made from are. fc-classify names a flow after
 * the model only within this divergence (times its --acceptance-factor). Format version 3
 * adds turns: the 1 - `quantile` quantile of the sessions' direction changes (turns in a
 * vector record), the fewest that `quantile` of them reach; fc-classify names a flow after
 * the model only if it has at least as many (0 for a version 2 file: no such test).
 */
struct fc_model_acceptance {
    bool known;                       /* false: version 1 file, or merged with one */
    double quantile;                  /* (0, 1] */
    double divergence;                /* [0, FC_MODEL_MAX_DIVERGENCE] */
    uint32_t turns;                   /* [0, FC_MODEL_MAX_TURNS] */
};

struct fc_model {
    char name[FC_MODEL_NAME_MAX + 1];
    char tags[FC_MODEL_MAX_TAGS][FC_MODEL_TAG_MAX + 1]; /* upper case, sorted, unique */
    uint32_t n_tags;
    char meter_set[FC_MODEL_SET_MAX];
    uint32_t meter_set_version;
    uint64_t sessions;
    struct fc_model_l4 l4[FC_MODEL_MAX_L4]; /* ascending proto */
    uint32_t n_l4;
    uint32_t n_meters;
    struct fc_model_meter *meter;     /* n_meters: malloc'd, or in an arena when meter_borrowed */
    bool meter_borrowed;              /* meter lies in memory of the caller's (an arena), which
                                         fc_model_free leaves alone */
    struct fc_model_acceptance acceptance;
};

/* An empty model of the given meters (counts zero); free with fc_model_free. */
void fc_model_init(struct fc_model *m, const char *name, const char *meter_set, uint32_t meter_set_version,
                   uint32_t n_meters);
void fc_model_free(struct fc_model *m);

/* Parses a model file's bytes; false with why filled (the model is then empty). */
bool fc_model_parse(const uint8_t *data, size_t len, struct fc_model *m, char why[FC_MODEL_WHY]);
/* Reads and parses a file; false with why filled. */
bool fc_model_load(const char *path, struct fc_model *m, char why[FC_MODEL_WHY]);
/* Writes the model to path ("-" = stdout) through a temporary file renamed into place. */
bool fc_model_save(const char *path, const struct fc_model *m, char why[FC_MODEL_WHY]);
/* The file's bytes in a malloc'd buffer (for tests and the fuzz harness). */
uint8_t *fc_model_serialize(const struct fc_model *m, size_t *len);

/* Checks a name (non-empty, at most FC_MODEL_NAME_MAX bytes, no control bytes, a slug that is
 * not empty, "failed" or "unknown"); false with why. */
bool fc_model_name_ok(const char *name, size_t len, char why[FC_MODEL_WHY]);
/* Adds a tag (upper-cased; letters, digits, '_' and '-'), keeping tags sorted and unique. */
bool fc_model_add_tag(struct fc_model *m, const char *tag, size_t len, char why[FC_MODEL_WHY]);
/* Counts one session of IP protocol proto. */
bool fc_model_add_session(struct fc_model *m, uint8_t proto, char why[FC_MODEL_WHY]);
/* Adds src's sessions, transports, tags and counters into dst; both must have the same meter
 * set, version and meters. The merged acceptance threshold is the larger of the two (and
 * the larger quantile, the fewer turns): the merged model must still accept what either
 * accepted; unknown when either is unknown. */
bool fc_model_merge(struct fc_model *dst, const struct fc_model *src, char why[FC_MODEL_WHY]);
/* Sets the acceptance threshold; false with why when a value is out of range. */
bool fc_model_set_acceptance(struct fc_model *m, double quantile, double divergence, uint64_t turns,
                             char why[FC_MODEL_WHY]);
/* True when m was trained on IP protocol proto. */
bool fc_model_has_l4(const struct fc_model *m, uint8_t proto);
/* The model's training sessions of IP protocol proto (0 if none). */
uint64_t fc_model_l4_sessions(const struct fc_model *m, uint8_t proto);
/* Whether the model carries the tag (upper case, as stored). */
bool fc_model_has_tag(const struct fc_model *m, const char *tag);

#endif
