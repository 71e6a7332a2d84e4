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

/* ---- copying a record's fields as they arrived ---- */

/* Where the str key whose body msgpack-c decoded at `body` (size bytes) starts in raw, or
 * SIZE_MAX when its header is not the shortest form (then the position cannot be told from
 * the body alone). The byte just before a body is the header's last, so no other encoding
 * of the same size can pass these checks. */
static size_t raw_key_start(const uint8_t *raw, size_t len, const char *body, uint32_t size)
{
    const uint8_t *p = (const uint8_t *)body;
    if (p < raw || p > raw + len)
        return SIZE_MAX;
    size_t at = (size_t)(p - raw);
    if (size < 32 && at >= 1 && raw[at - 1] == (0xa0 | size))
        return at - 1;
    if (size >= 32 && size < 256 && at >= 2 && raw[at - 2] == 0xd9 && raw[at - 1] == size)
        return at - 2;
    return SIZE_MAX;
}

/* Adds the run [at, at + len) to the plan; false when the plan is full. */
static bool plan_run(struct fc_map_copy *c, size_t at, size_t len)
{
    if (len == 0)
        return true;
    if (c->n_runs == FC_MAP_COPY_RUNS)
        return false;
    c->run[c->n_runs++] = (struct fc_map_copy_run){ at, len };
    return true;
}

/*
 * The skip keys as a small hash set on length, first and last byte, so a kept field (most
 * are) usually finds an empty slot at once instead of being compared with every skip key.
 * Skip lists are static tables: the sets of the last few used are kept.
 */
#define SKIP_SLOTS 64
#define SKIP_SETS 4

struct skip_set {
    const char *const *skip;
    size_t n;
    uint8_t slot[SKIP_SLOTS];         /* index into skip + 1; 0 = empty */
    uint8_t len[SKIP_SLOTS / 2];
};

static unsigned skip_hash(const uint8_t *p, size_t len)
{
    return (unsigned)(len * 7 + p[0] * 3u + p[len - 1]) & (SKIP_SLOTS - 1);
}

/* NULL when the list does not suit a set (too long, or an empty key): compare one by one. */
static const struct skip_set *skip_set_of(const char *const *skip, size_t n_skip)
{
    static struct skip_set sets[SKIP_SETS];
    static unsigned next;
    for (unsigned i = 0; i < SKIP_SETS; i++)
        if (sets[i].skip == skip && sets[i].n == n_skip)
            return &sets[i];
    if (n_skip > SKIP_SLOTS / 2)
        return NULL;
    struct skip_set *set = &sets[next];
    next = (next + 1) % SKIP_SETS;
    memset(set, 0, sizeof *set);
    for (size_t i = 0; i < n_skip; i++) {
        size_t len = strlen(skip[i]);
        if (len == 0 || len > UINT8_MAX)
            return NULL; /* set->skip stays NULL: not kept */
        unsigned h = skip_hash((const uint8_t *)skip[i], len);
        while (set->slot[h])
            h = (h + 1) & (SKIP_SLOTS - 1);
        set->slot[h] = (uint8_t)(i + 1);
        set->len[i] = (uint8_t)len;
    }
    set->skip = skip;
    set->n = n_skip;
    return set;
}

static bool skip_set_has(const struct skip_set *set, const char *ptr, uint32_t size)
{
    if (size == 0)
        return false; /* no skip key is empty */
    for (unsigned h = skip_hash((const uint8_t *)ptr, size); set->slot[h]; h = (h + 1) & (SKIP_SLOTS - 1)) {
        unsigned i = set->slot[h] - 1u;
        if (set->len[i] == size && memcmp(set->skip[i], ptr, size) == 0)
            return true;
    }
    return false;
}

/* Field i spans from its key's start to the next key's start (the last: to the end);
 * consecutive kept fields make one run. False when the fields cannot be found this way. */
static bool plan_runs(struct fc_map_copy *c, size_t len)
{
    const msgpack_object *map = c->map;
    const struct skip_set *set = skip_set_of(c->skip, c->n_skip);
    size_t run_start = 0, run_end = 0, prev = SIZE_MAX;
    bool prev_kept = false;
    for (uint32_t i = 0; i <= map->via.map.size; i++) {
        size_t start = len;
        bool kept = false;
        if (i < map->via.map.size) {
            const msgpack_object *key = &map->via.map.ptr[i].key;
            if (key->type != MSGPACK_OBJECT_STR)
                return false;
            start = raw_key_start(c->raw, len, key->via.str.ptr, key->via.str.size);
            if (start == SIZE_MAX || (prev != SIZE_MAX && start <= prev))
                return false;
            kept = set ? !skip_set_has(set, key->via.str.ptr, key->via.str.size)
                       : !key_is_one_of(key, c->skip, c->n_skip);
            c->kept += kept;
        }
        if (prev_kept) {
            if (prev != run_end) {
                if (!plan_run(c, run_start, run_end - run_start))
                    return false;
                run_start = prev;
            }
            run_end = start;
        }
        prev_kept = kept;
        prev = start;
    }
    return plan_run(c, run_start, run_end - run_start);
}

uint32_t fc_map_copy_plan(struct fc_map_copy *c, const msgpack_object *map, const uint8_t *raw, size_t len,
                          const char *const *skip, size_t n_skip)
{
    *c = (struct fc_map_copy){ .map = map, .raw = raw, .skip = skip, .n_skip = n_skip };
    if (map->type == MSGPACK_OBJECT_MAP && plan_runs(c, len)) {
        c->copy = true;
    } else {
        c->copy = false;
        c->kept = fc_map_count_except(map, skip, n_skip);
    }
    return c->kept;
}

void fc_map_copy_pack(msgpack_packer *pk, const struct fc_map_copy *c)
{
    if (!c->copy) {
        fc_pack_map_except(pk, c->map, c->skip, c->n_skip);
        return;
    }
    for (uint32_t r = 0; r < c->n_runs; r++)
        pk->callback(pk->data, (const char *)c->raw + c->run[r].at, c->run[r].len);
}

/* Keys the vector record writes itself. payload_pkts among them: the sample's says how many
 * observations it holds, the vector's how many the meters read (at most METER_MAX_OBS). */
static const char *const sample_only_keys[] = { FC_KEY_KIND, FC_KEY_OBS, FC_KEY_METER_SET,
                                                FC_KEY_METER_SET_VERSION, FC_KEY_BINS, FC_KEY_PAYLOAD_PKTS,
                                                FC_KEY_TURNS };

void fc_vector_pack_record(msgpack_packer *pk, const struct fc_record *sample, const struct fc_vector *v)
{
    size_t n_skip = sizeof sample_only_keys / sizeof sample_only_keys[0];
    struct fc_map_copy fields;
    bool turns = v->turns != FC_VECTOR_TURNS_UNKNOWN;
    msgpack_pack_map(pk, 5 + turns + fc_map_copy_plan(&fields, &sample->obj, sample->raw, sample->raw_len,
                                              sample_only_keys, n_skip));
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_FEATURES);
    fc_map_copy_pack(pk, &fields);
    fc_pack_kv_uint(pk, FC_KEY_PAYLOAD_PKTS, v->payload_pkts);
    if (turns)
        fc_pack_kv_uint(pk, FC_KEY_TURNS, v->turns);
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
    const msgpack_object *id, *proto, *payload_pkts, *turns, *set, *version, *bins;
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
        { FC_KEY_TURNS, offsetof(struct vector_fields, turns) },
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
    uint64_t id = 0, proto = 0, pkts = 0, turns = FC_VECTOR_TURNS_UNKNOWN, version = 0;
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
    /* n observations change direction at most n - 1 times: more is damage */
    if (f.turns && (!fc_obj_uint(f.turns, &turns) || turns >= UINT32_MAX ||
                    (f.payload_pkts && turns > 0 && turns >= pkts)))
        return *why = "vector record's turns is not a count below its payload_pkts", false;
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
    v->turns = (uint32_t)turns;
    memcpy(v->set, set->via.str.ptr, set->via.str.size);
    v->set[set->via.str.size] = 0;
    v->set_version = (uint32_t)version;
    v->n_meters = bins->via.array.size;
    for (uint32_t m = 0; m < v->n_meters; m++)
        if (!unpack_meter(&bins->via.array.ptr[m], &v->meter[m], why))
            return false;
    return true;
}
