/* \summary: libFuzzer harness: bytes as a payload-sample or vector record, through the meters and the scoring */
/*
 * A sample record (k = 3) comes from the stream, so from anyone: its observations' lengths,
 * bytes and count are the meters' input. The record is read as fc-feat and fc-classify read
 * it (meter_sample_read), then measured both ways the product measures it:
 *   - fc-feat's: meter_measure into a vector, which is packed and unpacked as the vector
 *     record fc-classify or fc-train would read;
 *   - fc-classify's: session_measure, straight from the sample into the scoring session.
 * Checks: a refused sample says why; the vector survives its record unchanged; both ways
 * give the same counts meter by meter; and scoring all candidates at once (score_candidates,
 * with its memo of meters met before: inputs repeat while fuzzing) gives every model the very
 * double that scoring it alone from the vector gives (score_model), finite and not negative.
 * A vector record (k = 4) is read as fc-classify reads one (fc_vector_unpack) and, when it
 * is of this meter set, scored both ways too. The models are made up once, with varied
 * spreads, over TCP.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fc-classify/score.h"
#include "../../fc-feat/meters/measure.h"
#include "../../fc-feat/meters/meter.h"
#include "mpscan.h"
#include "record.h"
#include "stream.h"

#define MODELS 9 /* not a multiple of CANDIDATE_GROUP: the padded rows are scored too */

static struct fc_model models[MODELS];
static struct scored_model scored[MODELS];
static struct candidates tcp;
static struct fc_huge_arena tables; /* the scored and candidates tables, kept for the whole run */
static struct fc_mpdecoder decoder;

static uint32_t rng_state = 2024;
static uint32_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* Model i: counts over the first `spread` bins of each meter, one meter in five left empty. */
static void make_model(struct fc_model *m, unsigned i)
{
    char why[FC_MODEL_WHY], name[16];
    snprintf(name, sizeof name, "Model%u", i);
    fc_model_init(m, name, METER_SET_NAME, METER_SET_VERSION, meter_count);
    unsigned spread = 4u << (i % 7); /* 4 .. 256 bins */
    for (unsigned k = 0; k < meter_count; k++) {
        snprintf(m->meter[k].name, sizeof m->meter[k].name, "%s", meters[k].name);
        m->meter[k].version = meters[k].version;
        if ((i + k) % 5 == 0)
            continue;
        for (unsigned j = 0; j < 400; j++)
            m->meter[k].counts[rnd() % spread] += 1 + rnd() % 9;
        for (unsigned b = 0; b < FC_MODEL_BINS; b++)
            m->meter[k].measurements += m->meter[k].counts[b];
    }
    for (unsigned s = 0; s < 10; s++)
        if (!fc_model_add_session(m, 6, why))
            abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (unsigned i = 0; i < MODELS; i++)
        make_model(&models[i], i);
    scored_models_init(scored, models, MODELS, 0, 0, &tables);
    if (!candidates_init(&tcp, scored, models, MODELS, NULL, false, 6, 0, &tables))
        abort();
    fc_mpdecoder_init(&decoder);
    return 0;
}

static void same_vector(const struct fc_vector *a, const struct fc_vector *b)
{
    if (a->flow_id != b->flow_id || a->proto != b->proto || a->payload_pkts != b->payload_pkts ||
        a->turns != b->turns || a->n_meters != b->n_meters || a->set_version != b->set_version ||
        strcmp(a->set, b->set) != 0) {
        fprintf(stderr, "vector record disagrees with the vector it was packed from\n");
        abort();
    }
    for (uint32_t k = 0; k < a->n_meters; k++) {
        const struct fc_vector_meter *x = &a->meter[k], *y = &b->meter[k];
        if (x->n != y->n || x->total != y->total || memcmp(x->bin, y->bin, x->n) != 0 ||
            memcmp(x->count, y->count, x->n * sizeof *x->count) != 0) {
            fprintf(stderr, "vector record disagrees in meter %u\n", k);
            abort();
        }
    }
}

/* fc-feat's vector, through its record and back. */
static void vector_round_trip(const struct fc_record *rec, const struct fc_vector *v)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    fc_vector_pack_record(&pk, rec, v);
    struct fc_mpdecoder d;
    fc_mpdecoder_init(&d);
    msgpack_object obj;
    struct fc_vector back;
    const char *why = NULL;
    if (!fc_mpdecode(&d, (const uint8_t *)sb.data, sb.size, &obj) || !fc_vector_unpack(&obj, &back, &why)) {
        fprintf(stderr, "a vector record fc-feat packs does not unpack: %s\n", why ? why : "not msgpack");
        abort();
    }
    same_vector(v, &back);
    fc_mpdecoder_free(&d);
    msgpack_sbuffer_destroy(&sb);
}

/* fc-classify's session (measured from the sample) against one prepared from fc-feat's vector. */
static void same_session(const struct session *a, const struct session *b)
{
    if (a->n_measured != b->n_measured || a->weight_sum != b->weight_sum || a->turns != b->turns) {
        fprintf(stderr, "session_measure and the vector disagree on the meters measured or the turns\n");
        abort();
    }
    for (uint32_t k = 0; k < meter_count; k++) {
        const struct session_meter *x = &a->meter[k], *y = &b->meter[k];
        if (x->n != y->n || (x->n && (x->total != y->total || memcmp(x->bin, y->bin, x->n) != 0 ||
                                      memcmp(x->count, y->count, x->n * sizeof *x->count) != 0 ||
                                      memcmp(x->touched, y->touched, sizeof x->touched) != 0 ||
                                      x->hash != y->hash))) {
            fprintf(stderr, "session_measure and the vector disagree in meter %u\n", k);
            abort();
        }
    }
}

static void same_scores(const struct session *measured, const struct session *prepared)
{
    score_candidates(&tcp, measured);
    for (uint32_t j = 0; j < tcp.n; j++) {
        double alone = score_model(&scored[tcp.model[j]], prepared);
        if (memcmp(&alone, &tcp.divergence[j], sizeof alone) != 0 || !isfinite(alone) || alone < 0) {
            fprintf(stderr, "model %u: score_candidates and score_model disagree: %.17g against %.17g\n", j,
                    tcp.divergence[j], alone);
            abort();
        }
    }
}

/* A vector record (k = 4), as fc-classify and fc-train read fc-feat's: a refusal says why; one
 * of this meter set is scored both ways. */
static void check_vector_record(const msgpack_object *obj)
{
    static struct fc_vector vector;
    static struct session prepared;
    const char *why = NULL;
    if (!fc_vector_unpack(obj, &vector, &why)) {
        if (!why) {
            fprintf(stderr, "fc_vector_unpack refused a vector without saying why\n");
            abort();
        }
        return;
    }
    if (meter_set_matches(&vector) && session_prepare(&vector, &prepared))
        same_scores(&prepared, &prepared);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    msgpack_object obj;
    if (!fc_mpdecode(&decoder, data, size, &obj))
        return 0;
    if (fc_record_kind_of(&obj) == FC_REC_FEATURES) {
        check_vector_record(&obj);
        return 0;
    }
    static struct meter_sample sample;
    const char *why = NULL;
    if (!meter_sample_read(&obj, &sample, &why)) {
        if (!why) {
            fprintf(stderr, "meter_sample_read refused a sample without saying why\n");
            abort();
        }
        return 0;
    }
    static struct fc_vector vector;
    meter_measure(&sample.session, &vector);
    vector.flow_id = sample.flow_id;
    vector.proto = sample.proto;
    struct fc_record rec = { .kind = FC_REC_SAMPLE, .obj = obj, .raw = data, .raw_len = size };
    vector_round_trip(&rec, &vector);

    static struct session measured, prepared;
    bool any = session_measure(&sample.session, &tcp, &measured);
    if (any != session_prepare(&vector, &prepared)) {
        fprintf(stderr, "session_measure and the vector disagree on whether anything was measured\n");
        abort();
    }
    same_session(&measured, &prepared);
    if (any)
        same_scores(&measured, &prepared);
    return 0;
}
