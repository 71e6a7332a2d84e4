/* \summary: libFuzzer harness: model file bytes through the .fcp loader (common/model.c) */

/*
 * fc-classify loads model files users pass around, so the loader gets hostile
 * bytes. Beyond "no crash, no leak", two properties are checked: a refusal always
 * says why, and a model that loads survives serialize -> parse -> serialize byte
 * for byte (what fc-train --merge relies on), with its invariants intact
 * (measurements = sum of counters, transports add up to sessions).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static void check_invariants(const struct fc_model *m)
{
    uint64_t l4_sum = 0;
    for (uint32_t i = 0; i < m->n_l4; i++)
        l4_sum += m->l4[i].sessions;
    if (l4_sum != m->sessions || m->n_meters == 0 || m->n_meters > FC_MODEL_MAX_METERS) {
        fprintf(stderr, "a loaded model breaks its invariants\n");
        abort();
    }
    for (uint32_t k = 0; k < m->n_meters; k++) {
        uint64_t sum = 0;
        for (unsigned b = 0; b < FC_MODEL_BINS; b++)
            sum += m->meter[k].counts[b];
        if (sum != m->meter[k].measurements) {
            fprintf(stderr, "meter %u: counters do not add up to measurements\n", k);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fc_model m;
    char why[FC_MODEL_WHY] = "";
    if (!fc_model_parse(data, size, &m, why)) {
        if (!why[0])
            abort(); /* a refusal must say why */
        return 0;
    }
    check_invariants(&m);
    size_t len1, len2;
    uint8_t *first = fc_model_serialize(&m, &len1);
    struct fc_model again;
    if (!fc_model_parse(first, len1, &again, why)) {
        fprintf(stderr, "a serialized model does not load again: %s\n", why);
        abort();
    }
    uint8_t *second = fc_model_serialize(&again, &len2);
    if (len1 != len2 || memcmp(first, second, len1) != 0) {
        fprintf(stderr, "model changed in a serialize/parse round trip\n");
        abort();
    }
    free(first);
    free(second);
    fc_model_free(&m);
    fc_model_free(&again);
    return 0;
}
