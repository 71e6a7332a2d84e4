/* \summary: reads sample observations, runs the meter registry, and picks vector or sample per flow */
#include "measure.h"

#include <stdio.h>
#include <string.h>

#include "record.h"

static bool read_observation(const msgpack_object *o, struct meter_obs *out)
{
    uint64_t dir, len;
    int64_t dt;
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 4)
        return false;
    const msgpack_object *f = o->via.array.ptr;
    if (!fc_obj_uint(&f[0], &dir) || dir > 1 || !fc_obj_uint(&f[1], &len) || len > UINT32_MAX ||
        !fc_obj_int(&f[2], &dt) || f[3].type != MSGPACK_OBJECT_BIN)
        return false;
    out->dir = (uint8_t)dir;
    out->len = (uint32_t)len;
    out->dt_us = dt;
    out->bytes = (const uint8_t *)f[3].via.bin.ptr;
    out->kept = f[3].via.bin.size;
    return true;
}

bool meter_sample_read(const msgpack_object *rec, struct meter_sample *out, const char **why)
{
    uint64_t id = 0, proto = 0;
    if (!fc_obj_uint(fc_map_get(rec, FC_KEY_ID), &id))
        return *why = "sample record has no flow id", false;
    if (!fc_obj_uint(fc_map_get(rec, FC_KEY_PROTO), &proto) || proto > 255)
        return *why = "sample record has no valid proto", false;
    const msgpack_object *obs = fc_map_get(rec, FC_KEY_OBS);
    if (!obs || obs->type != MSGPACK_OBJECT_ARRAY)
        return *why = "sample record has no obs array", false;
    uint32_t n = obs->via.array.size < METER_MAX_OBS ? obs->via.array.size : METER_MAX_OBS;
    for (uint32_t i = 0; i < n; i++)
        if (!read_observation(&obs->via.array.ptr[i], &out->obs[i]))
            return *why = "an observation is not [dir 0|1, length, dt_us, bytes]", false;
    out->flow_id = id;
    out->proto = (uint8_t)proto;
    out->session.obs = out->obs;
    out->session.n = n;
    return true;
}

/* Moves one meter's counters into the vector's sparse form, bins ascending, and leaves the
 * accumulator zeroed again (clearing only what was touched, not all 256 counters). */
static void store_meter(struct meter_acc *acc, struct fc_vector_meter *vm)
{
    vm->n = 0;
    vm->total = 0;
    for (unsigned w = 0; w < METER_BINS / 64; w++) {
        for (uint64_t bits = acc->touched[w]; bits; bits &= bits - 1) {
            unsigned bin = w * 64 + (unsigned)__builtin_ctzll(bits);
            uint16_t c = acc->count[bin] > UINT16_MAX ? UINT16_MAX : (uint16_t)acc->count[bin];
            vm->bin[vm->n] = (uint8_t)bin;
            vm->count[vm->n++] = c;
            vm->total += c;
            acc->count[bin] = 0;
        }
        acc->touched[w] = 0;
    }
    acc->total = 0;
}

void meter_measure(const struct meter_session *s, struct fc_vector *v)
{
    static struct meter_acc acc; /* zero between meters: store_meter clears what a meter touched */
    snprintf(v->set, sizeof v->set, "%s", METER_SET_NAME);
    v->set_version = METER_SET_VERSION;
    v->payload_pkts = s->n;
    v->n_meters = meter_count;
    for (unsigned m = 0; m < meter_count; m++) {
        meters[m].measure(s, &acc);
        store_meter(&acc, &v->meter[m]);
    }
}

bool meter_set_matches(const struct fc_vector *v)
{
    return strcmp(v->set, METER_SET_NAME) == 0 && v->set_version == METER_SET_VERSION && v->n_meters == meter_count;
}

enum vector_take vector_source_take(struct vector_source *src, const struct fc_record *rec, struct fc_vector *v,
                                    const char **why)
{
    if (rec->kind == FC_REC_FEATURES) {
        if (!fc_vector_unpack(&rec->obj, v, why))
            return VECTOR_MALFORMED;
        if (!meter_set_matches(v))
            return *why = "vector made by another meter set", VECTOR_OTHER_SET;
        src->last_vector_id = v->flow_id;
        return VECTOR_READY;
    }
    if (!meter_sample_read(&rec->obj, &src->sample, why))
        return VECTOR_MALFORMED;
    if (src->last_vector_id && src->sample.flow_id == src->last_vector_id)
        return VECTOR_SKIP;
    meter_measure(&src->sample.session, v);
    v->flow_id = src->sample.flow_id;
    v->proto = src->sample.proto;
    return VECTOR_READY;
}
