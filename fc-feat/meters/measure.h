/* \summary: from a sample record to a feature vector: observations read, every meter run */
#ifndef FC_MEASURE_H
#define FC_MEASURE_H

/*
 * Shared by fc-feat, fc-train and fc-classify (linked as one library), so a
 * vector is the same whichever stage computed it. fc-train and fc-classify take
 * vectors from fc-feat when it was in the pipe (a vector record comes just
 * before its sample record) and measure the sample themselves otherwise.
 */
#include "meter.h"
#include "stream.h"
#include "vector.h"

#define METER_MAX_OBS 256  /* observations read from one sample; later ones are ignored */

struct meter_sample {
    uint64_t flow_id;
    uint8_t proto;
    struct meter_obs obs[METER_MAX_OBS];
    struct meter_session session;
};

/* Reads a sample record's flow id, proto and observations; false (with why) if malformed. */
bool meter_sample_read(const msgpack_object *rec, struct meter_sample *out, const char **why);
/* The bins a meter touched in acc, as a bit set (bit b of word b / 64 for bin b). */
void meter_acc_touched(const struct meter_acc *acc, uint64_t touched[METER_BINS / 64]);
/* Moves a meter's counters into vm's sparse form (bins ascending, counts capped at 65535) and
 * leaves acc zeroed again. A caller that reads acc itself instead must zero what it read
 * (count, total) the same way. */
void meter_acc_store(struct meter_acc *acc, struct fc_vector_meter *vm);
/* Runs every meter over the session into v (meter set name and version included). */
void meter_measure(const struct meter_session *s, struct fc_vector *v);
/* How often the direction changes from one observation to the next: the exchanges of a
 * conversation (a request and its answer: 1), which no meter's bins say outright. */
uint32_t meter_session_turns(const struct meter_session *s);
/* True when v was made by this build's meter set. */
bool meter_set_matches(const struct fc_vector *v);

struct vector_source {
    uint64_t last_vector_id;   /* flow id of the last vector record used (0 = none) */
    struct meter_sample sample;
};

enum vector_take { VECTOR_SKIP, VECTOR_READY, VECTOR_MALFORMED, VECTOR_OTHER_SET };

/* For a vector or sample record: VECTOR_READY with *v filled; VECTOR_SKIP for a sample
 * whose vector came just before; VECTOR_MALFORMED (why set); VECTOR_OTHER_SET for a
 * vector of another meter set (why set; its sample, if it follows, is measured instead). */
enum vector_take vector_source_take(struct vector_source *src, const struct fc_record *rec, struct fc_vector *v,
                                    const char **why);

/* The first half of vector_source_take for a sample record: VECTOR_READY when src->sample
 * holds a sample to measure (for a caller that runs the meters its own way), VECTOR_SKIP
 * when its vector came just before, or VECTOR_MALFORMED (why set). */
enum vector_take vector_source_read_sample(struct vector_source *src, const struct fc_record *rec, const char **why);

#endif
