/* \summary: packing and strict unpacking of feature vector records (kind 4) */
#include "vector.h"

#include <stddef.h>
#include <string.h>

#include "bytes.h"
#include "record.h"
#include "stream.h"

/* Whether a str of `size` bytes equals the C string s; no strlen, so a skip list costs
 * one byte compare per key that differs at once (these run for every field of every record). */
static bool str_is(const char *ptr, uint32_t size, const char *s)
{
    uint32_t j = 0;
    while (j < size && s[j] && s[j] == ptr[j])
        j++;
    return j == size && s[j] == 0;
}

static bool key_is_one_of(const msgpack_object *key, const char *const *skip, size_t n_skip)
{
    if (key->type != MSGPACK_OBJECT_STR)
        return false;
    for (size_t i = 0; i < n_skip; i++)
        if (str_is(key->via.str.ptr, key->via.str.size, skip[i]))
            return true;
    return false;
}

uint32_t fc_map_count_except(const msgpack_object *map, const char *const *skip, size_t n_skip)
{
    uint32_t n = 0;
    if (map->type == MSGPACK_OBJECT_MAP)
        for (uint32_t i = 0; i < map->via.map.size; i++)
            n += !key_is_one_of(&map->via.map.ptr[i].key, skip, n_skip);
    return n;
}

void fc_pack_map_except(msgpack_packer *pk, const msgpack_object *map, const char *const *skip, size_t n_skip)
{
    if (map->type != MSGPACK_OBJECT_MAP)
        return;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object_kv *kv = &map->via.map.ptr[i];
        if (key_is_one_of(&kv->key, skip, n_skip))
            continue;
        msgpack_pack_object(pk, kv->key);
        msgpack_pack_object(pk, kv->val);
    }
}

static const char *const sample_only_keys[] = { FC_KEY_KIND, FC_KEY_OBS, FC_KEY_METER_SET,
                                                FC_KEY_METER_SET_VERSION, FC_KEY_BINS };

void fc_vector_pack_record(msgpack_packer *pk, const msgpack_object *sample, const struct fc_vector *v)
{
    size_t n_skip = sizeof sample_only_keys / sizeof sample_only_keys[0];
    msgpack_pack_map(pk, 4 + fc_map_count_except(sample, sample_only_keys, n_skip));
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_FEATURES);
    fc_pack_map_except(pk, sample, sample_only_keys, n_skip);
    fc_pack_kv_str(pk, FC_KEY_METER_SET, v->set);
    fc_pack_kv_uint(pk, FC_KEY_METER_SET_VERSION, v->set_version);
    fc_pack_str(pk, FC_KEY_BINS);
    msgpack_pack_array(pk, v->n_meters);
    for (uint32_t m = 0; m < v->n_meters; m++) {
        const struct fc_vector_meter *vm = &v->meter[m];
        uint8_t entries[256 * FC_VECTOR_ENTRY_BYTES];
        for (uint32_t i = 0; i < vm->n; i++) {
            entries[i * FC_VECTOR_ENTRY_BYTES] = vm->bin[i];
            fc_put_le16(entries + i * FC_VECTOR_ENTRY_BYTES + 1, vm->count[i]);
        }
        msgpack_pack_bin(pk, vm->n * FC_VECTOR_ENTRY_BYTES);
        msgpack_pack_bin_body(pk, entries, vm->n * FC_VECTOR_ENTRY_BYTES);
    }
}

static bool unpack_meter(const msgpack_object *o, struct fc_vector_meter *vm, const char **why)
{
    if (o->type != MSGPACK_OBJECT_BIN)
        return *why = "a meter's bins are not a bin object", false;
    if (o->via.bin.size % FC_VECTOR_ENTRY_BYTES || o->via.bin.size > 256 * FC_VECTOR_ENTRY_BYTES)
        return *why = "a meter's bins are not whole 3-byte entries (at most 256)", false;
    struct fc_cursor c = fc_cursor_make((const uint8_t *)o->via.bin.ptr, o->via.bin.size);
    vm->n = (uint16_t)(o->via.bin.size / FC_VECTOR_ENTRY_BYTES);
    vm->total = 0;
    for (uint32_t i = 0; i < vm->n; i++) {
        vm->bin[i] = fc_cursor_u8(&c);
        vm->count[i] = fc_cursor_le16(&c);
        if (vm->count[i] == 0)
            return *why = "a meter bin has count 0", false;
        if (i > 0 && vm->bin[i] <= vm->bin[i - 1])
            return *why = "a meter's bins are not in increasing order", false;
        vm->total += vm->count[i];
    }
    return true;
}

/* The fields a vector record is read from, found in one pass over the map (first of each
 * key wins, as fc_map_get would find it). */
struct vector_fields {
    const msgpack_object *id, *proto, *payload_pkts, *set, *version, *bins;
};

static void find_fields(const msgpack_object *rec, struct vector_fields *f)
{
    static const struct {
        const char *key;
        size_t offset;
    } wanted[] = {
        { FC_KEY_ID, offsetof(struct vector_fields, id) },
        { FC_KEY_PROTO, offsetof(struct vector_fields, proto) },
        { FC_KEY_PAYLOAD_PKTS, offsetof(struct vector_fields, payload_pkts) },
        { FC_KEY_METER_SET, offsetof(struct vector_fields, set) },
        { FC_KEY_METER_SET_VERSION, offsetof(struct vector_fields, version) },
        { FC_KEY_BINS, offsetof(struct vector_fields, bins) },
    };
    memset(f, 0, sizeof *f);
    for (uint32_t i = 0; i < rec->via.map.size; i++) {
        const msgpack_object_kv *kv = &rec->via.map.ptr[i];
        if (kv->key.type != MSGPACK_OBJECT_STR)
            continue;
        for (size_t w = 0; w < sizeof wanted / sizeof wanted[0]; w++) {
            const msgpack_object **slot = (const msgpack_object **)((char *)f + wanted[w].offset);
            if (!*slot && str_is(kv->key.via.str.ptr, kv->key.via.str.size, wanted[w].key)) {
                *slot = &kv->val;
                break;
            }
        }
    }
}

bool fc_vector_unpack(const msgpack_object *rec, struct fc_vector *v, const char **why)
{
    uint64_t id = 0, proto = 0, pkts = 0, version = 0;
    if (rec->type != MSGPACK_OBJECT_MAP)
        return *why = "vector record is not a map", false;
    struct vector_fields f;
    find_fields(rec, &f);
    if (!fc_obj_uint(f.id, &id))
        return *why = "vector record has no flow id", false;
    if (!fc_obj_uint(f.proto, &proto) || proto > 255)
        return *why = "vector record has no valid proto", false;
    if (f.payload_pkts && (!fc_obj_uint(f.payload_pkts, &pkts) || pkts > UINT32_MAX))
        return *why = "vector record's payload_pkts is not a count", false;
    const msgpack_object *set = f.set;
    if (!set || set->type != MSGPACK_OBJECT_STR || set->via.str.size == 0 || set->via.str.size >= FC_VECTOR_SET_MAX)
        return *why = "vector record has no valid meter_set", false;
    if (!fc_obj_uint(f.version, &version) || version > UINT32_MAX)
        return *why = "vector record has no valid meter_set_version", false;
    const msgpack_object *bins = f.bins;
    if (!bins || bins->type != MSGPACK_OBJECT_ARRAY)
        return *why = "vector record has no bins array", false;
    if (bins->via.array.size > FC_VECTOR_MAX_METERS)
        return *why = "vector record has more than 64 meters", false;
    v->flow_id = id;
    v->proto = (uint8_t)proto;
    v->payload_pkts = (uint32_t)pkts;
    memcpy(v->set, set->via.str.ptr, set->via.str.size);
    v->set[set->via.str.size] = 0;
    v->set_version = (uint32_t)version;
    v->n_meters = bins->via.array.size;
    for (uint32_t m = 0; m < v->n_meters; m++)
        if (!unpack_meter(&bins->via.array.ptr[m], &v->meter[m], why))
            return false;
    return true;
}
