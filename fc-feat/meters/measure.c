/* \summary: reads sample observations, runs the meter registry, and picks vector or sample per flow */
#include "measure.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

#ifdef __SSE2__
/* One bit per count of the 16 at p that is not 0. */
static inline uint64_t nonzero16(const uint32_t *p)
{
    const __m128i *v = (const __m128i *)(const void *)p, zero = _mm_setzero_si128();
    /* -1 where a count is 0; signed packing keeps -1 and 0 as they are */
    __m128i z0 = _mm_cmpeq_epi32(_mm_loadu_si128(v), zero), z1 = _mm_cmpeq_epi32(_mm_loadu_si128(v + 1), zero);
    __m128i z2 = _mm_cmpeq_epi32(_mm_loadu_si128(v + 2), zero), z3 = _mm_cmpeq_epi32(_mm_loadu_si128(v + 3), zero);
    __m128i lo = _mm_packs_epi32(z0, z1), hi = _mm_packs_epi32(z2, z3);
    return (uint16_t)~_mm_movemask_epi8(_mm_packs_epi16(lo, hi));
}
#endif

/* The counts not 0 gathered sixteen at a time with SSE2 (every x86-64 has it), a plain loop elsewhere. */
void meter_acc_touched(const struct meter_acc *acc, uint64_t out[METER_BINS / 64])
{
    for (unsigned w = 0; w < METER_BINS / 64; w++) {
        const uint32_t *count = acc->count + 64 * w;
#ifdef __SSE2__
        out[w] = nonzero16(count) | nonzero16(count + 16) << 16 | nonzero16(count + 32) << 32 |
                 nonzero16(count + 48) << 48;
#else
        uint64_t bits = 0;
        for (unsigned b = 0; b < 64; b++)
            bits |= (uint64_t)(count[b] != 0) << b;
        out[w] = bits;
#endif
    }
}

/* A count as the vector stores it (at most 65535). */
static uint16_t stored_count(uint32_t c) { return c > UINT16_MAX ? UINT16_MAX : (uint16_t)c; }

/* Clears only what was touched, not all 256 counters. Only a total above 65535 can hold a
 * count the vector must cap, so the usual loop does not look. */
void meter_acc_store(struct meter_acc *acc, struct fc_vector_meter *vm)
{
    uint64_t touched[METER_BINS / 64];
    meter_acc_touched(acc, touched);
    bool capped = acc->total > UINT16_MAX;
    uint8_t *bin_out = vm->bin;
    uint16_t *count_out = vm->count;
    for (unsigned w = 0; w < METER_BINS / 64; w++) {
        for (uint64_t bits = touched[w]; bits; bits &= bits - 1) {
            unsigned bin = w * 64 + (unsigned)__builtin_ctzll(bits);
            *bin_out++ = (uint8_t)bin;
            *count_out++ = (uint16_t)acc->count[bin];
        }
    }
    vm->n = (uint16_t)(bin_out - vm->bin);
    vm->total = acc->total;
    if (capped) {
        vm->total = 0;
        for (uint32_t i = 0; i < vm->n; i++)
            vm->total += vm->count[i] = stored_count(acc->count[vm->bin[i]]);
    }
    for (uint32_t i = 0; i < vm->n; i++)
        acc->count[vm->bin[i]] = 0;
    acc->total = 0;
}

_Static_assert(sizeof METER_SET_NAME <= FC_VECTOR_SET_MAX, "the meter set's name fits a vector's");

void meter_measure(const struct meter_session *s, struct fc_vector *v)
{
    static struct meter_acc acc; /* zero between meters: meter_acc_store clears what a meter touched */
    memcpy(v->set, METER_SET_NAME, sizeof METER_SET_NAME);
    v->set_version = METER_SET_VERSION;
    v->payload_pkts = s->n;
    v->turns = meter_session_turns(s);
    v->n_meters = meter_count;
    for (unsigned m = 0; m < meter_count; m++) {
        meters[m].measure(s, &acc);
        meter_acc_store(&acc, &v->meter[m]);
    }
}

uint32_t meter_session_turns(const struct meter_session *s)
{
    uint32_t turns = 0;
    for (uint32_t i = 1; i < s->n; i++)
        turns += s->obs[i].dir != s->obs[i - 1].dir;
    return turns;
}

bool meter_set_matches(const struct fc_vector *v)
{
    return strcmp(v->set, METER_SET_NAME) == 0 && v->set_version == METER_SET_VERSION && v->n_meters == meter_count;
}

enum vector_take vector_source_read_sample(struct vector_source *src, const struct fc_record *rec, const char **why)
{
    if (!meter_sample_read(&rec->obj, &src->sample, why))
        return VECTOR_MALFORMED;
    if (src->last_vector_id && src->sample.flow_id == src->last_vector_id)
        return VECTOR_SKIP;
    return VECTOR_READY;
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
    enum vector_take took = vector_source_read_sample(src, rec, why);
    if (took != VECTOR_READY)
        return took;
    meter_measure(&src->sample.session, v);
    v->flow_id = src->sample.flow_id;
    v->proto = src->sample.proto;
    return VECTOR_READY;
}
