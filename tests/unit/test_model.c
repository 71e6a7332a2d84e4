/* \summary: unit tests of model files: round trip, merge, and refusal of every kind of damaged file */
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "unit.h"

static void small_model(struct fc_model *m, const char *name)
{
    char why[FC_MODEL_WHY];
    fc_model_init(m, name, "spid-default", 1, 2);
    strcpy(m->meter[0].name, "A");
    strcpy(m->meter[1].name, "B");
    m->meter[0].version = m->meter[1].version = 1;
    m->meter[0].counts[3] = 5, m->meter[0].counts[200] = 7, m->meter[0].measurements = 12;
    m->meter[1].counts[0] = 1, m->meter[1].measurements = 1;
    for (int i = 0; i < 9; i++)
        fc_model_add_session(m, 6, why);
    fc_model_add_session(m, 17, why);
    fc_model_add_tag(m, "remoteaccess", 12, why);
    fc_model_add_tag(m, "MALICIOUS", 9, why);
    fc_model_add_tag(m, "MALICIOUS", 9, why);
    fc_model_set_acceptance(m, 0.99, 0.625, 4, why);
}

static void test_round_trip(void)
{
    struct fc_model m, back;
    char why[FC_MODEL_WHY] = "";
    small_model(&m, "Example RAT");
    size_t len;
    uint8_t *bytes = fc_model_serialize(&m, &len);
    bool ok = fc_model_parse(bytes, len, &back, why);
    CHECK("model_round_trip_parses", ok);
    if (!ok) {
        printf("# %s\n", why);
        return;
    }
    CHECK_STR("model_round_trip_name", "Example RAT", back.name);
    CHECK("model_tags_upper_sorted_unique", back.n_tags == 2 && strcmp(back.tags[0], "MALICIOUS") == 0 &&
                                                strcmp(back.tags[1], "REMOTEACCESS") == 0);
    CHECK("model_has_tag_finds_stored_tags_only", fc_model_has_tag(&back, FC_MODEL_TAG_MALICIOUS) &&
                                                     fc_model_has_tag(&back, "REMOTEACCESS") &&
                                                     !fc_model_has_tag(&back, "remoteaccess") &&
                                                     !fc_model_has_tag(&back, "MALICIOU"));
    CHECK("model_round_trip_sessions_and_transports", back.sessions == 10 && back.n_l4 == 2 && back.l4[0].proto == 6 &&
                                                          back.l4[0].sessions == 9 && back.l4[1].proto == 17);
    CHECK("model_round_trip_acceptance", back.acceptance.known && back.acceptance.quantile == 0.99 &&
                                             back.acceptance.divergence == 0.625 && back.acceptance.turns == 4);
    CHECK("model_round_trip_counters", back.n_meters == 2 && back.meter[0].counts[200] == 7 &&
                                           back.meter[0].measurements == 12 && strcmp(back.meter[1].name, "B") == 0);
    size_t len2;
    uint8_t *again = fc_model_serialize(&back, &len2);
    CHECK("model_serialize_parse_serialize_is_byte_identical", len == len2 && memcmp(bytes, again, len) == 0);
    fc_model_free(&back);

    /* every truncation is refused cleanly */
    bool all_refused = true;
    for (size_t cut = 0; cut < len; cut++) {
        struct fc_model t;
        if (fc_model_parse(bytes, cut, &t, why)) {
            all_refused = false;
            fc_model_free(&t);
        }
    }
    CHECK("model_every_truncation_refused", all_refused);
    fc_model_parse(bytes, len / 2, &back, why);
    CHECK_STR("model_truncated_says_so", "truncated (the model ends inside its data)", why);

    uint8_t *longer = malloc(len + 3);
    memcpy(longer, bytes, len);
    memcpy(longer + len, "xyz", 3);
    CHECK("model_trailing_garbage_refused", !fc_model_parse(longer, len + 3, &back, why) && strstr(why, "trailing"));
    free(longer);
    free(bytes);
    free(again);
    fc_model_free(&m);
}

/* Writes a model map with one field replaced (key, packer callback) to check a refusal. */
typedef void field_fn(msgpack_packer *pk);
struct damage {
    const char *name;        /* test name */
    const char *key;         /* field to replace (NULL = none) or drop (with drop) */
    field_fn *value;
    bool drop;
    const char *expect;      /* substring of the reason */
    uint32_t extra;          /* key/value pairs value writes after the value (a map grows) */
};

static void put_str(msgpack_packer *pk, const char *s)
{
    msgpack_pack_str(pk, strlen(s));
    msgpack_pack_str_body(pk, s, strlen(s));
}

static void v_format_wrong(msgpack_packer *pk) { put_str(pk, "FlowCarp modle"); }
static void v_version_next(msgpack_packer *pk) { msgpack_pack_uint8(pk, FC_MODEL_FORMAT_VERSION + 1); }
static void v_version_0(msgpack_packer *pk) { msgpack_pack_uint8(pk, 0); }
static void acceptance_map(msgpack_packer *pk, double quantile, double divergence)
{
    msgpack_pack_map(pk, 3);
    put_str(pk, "quantile"), msgpack_pack_double(pk, quantile);
    put_str(pk, "divergence"), msgpack_pack_double(pk, divergence);
    put_str(pk, "turns"), msgpack_pack_uint8(pk, 3);
}
static void v_acceptance_nan(msgpack_packer *pk) { acceptance_map(pk, 0.99, 0.0 / 0.0); }
static void v_acceptance_negative(msgpack_packer *pk) { acceptance_map(pk, 0.99, -0.5); }
static void v_acceptance_huge(msgpack_packer *pk) { acceptance_map(pk, 0.99, 1e300); }
static void v_acceptance_quantile_0(msgpack_packer *pk) { acceptance_map(pk, 0, 0.5); }
static void v_acceptance_int(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 3);
    put_str(pk, "quantile"), msgpack_pack_double(pk, 0.99);
    put_str(pk, "divergence"), msgpack_pack_uint8(pk, 1);
    put_str(pk, "turns"), msgpack_pack_uint8(pk, 3);
}
static void v_acceptance_turns_negative(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 3);
    put_str(pk, "quantile"), msgpack_pack_double(pk, 0.99);
    put_str(pk, "divergence"), msgpack_pack_double(pk, 0.5);
    put_str(pk, "turns"), msgpack_pack_int8(pk, -1);
}
static void v_acceptance_array(msgpack_packer *pk) { msgpack_pack_array(pk, 0); }
static void v_name_unknown(msgpack_packer *pk) { put_str(pk, "Unknown"); }
static void v_name_symbols(msgpack_packer *pk) { put_str(pk, "!!!"); }
static void v_name_int(msgpack_packer *pk) { msgpack_pack_int(pk, 5); }
static void v_name_twice(msgpack_packer *pk) /* a reader taking the last would read another model */
{
    put_str(pk, "Example RAT");
    put_str(pk, "name"), put_str(pk, "Other RAT");
}
static void v_tags_bad(msgpack_packer *pk)
{
    msgpack_pack_array(pk, 1);
    put_str(pk, "BAD TAG");
}
static void v_sessions_zero(msgpack_packer *pk) { msgpack_pack_uint8(pk, 0); }
static void v_sessions_neg(msgpack_packer *pk) { msgpack_pack_int8(pk, -3); }
static void v_transports_sum(msgpack_packer *pk)
{
    msgpack_pack_array(pk, 1);
    msgpack_pack_array(pk, 2);
    msgpack_pack_uint8(pk, 6);
    msgpack_pack_uint8(pk, 9);
}
static void v_transports_proto(msgpack_packer *pk)
{
    msgpack_pack_array(pk, 1);
    msgpack_pack_array(pk, 2);
    msgpack_pack_uint16(pk, 300);
    msgpack_pack_uint8(pk, 10);
}
static void one_meter(msgpack_packer *pk, unsigned n_counts, uint64_t measurements, uint64_t big)
{
    msgpack_pack_array(pk, 1);
    msgpack_pack_map(pk, 4);
    put_str(pk, "name"), put_str(pk, "A");
    put_str(pk, "version"), msgpack_pack_uint8(pk, 1);
    put_str(pk, "measurements"), msgpack_pack_uint64(pk, measurements);
    put_str(pk, "counts"), msgpack_pack_array(pk, n_counts);
    for (unsigned b = 0; b < n_counts; b++)
        msgpack_pack_uint64(pk, b < 2 ? big : 0);
}
static void v_meters_255(msgpack_packer *pk) { one_meter(pk, 255, 0, 0); }
static void v_meters_sum(msgpack_packer *pk) { one_meter(pk, 256, 5, 1); }
static void v_meters_overflow(msgpack_packer *pk) { one_meter(pk, 256, 0, UINT64_MAX); }
static void v_meters_none(msgpack_packer *pk) { msgpack_pack_array(pk, 0); }
static void v_meters_empty(msgpack_packer *pk) { one_meter(pk, 256, 0, 0); }

static const struct damage damages[] = {
    { "model_refuses_wrong_magic", "format", v_format_wrong, false, "not a FlowCarp model", 0 },
    { "model_refuses_newer_format", "version", v_version_next, false, "model format version 4", 0 },
    { "model_refuses_format_version_0", "version", v_version_0, false, "model format version 0", 0 },
    { "model_refuses_acceptance_nan", "acceptance", v_acceptance_nan, false, "acceptance: acceptance divergence", 0 },
    { "model_refuses_acceptance_negative", "acceptance", v_acceptance_negative, false, "not in [0, 1000]", 0 },
    { "model_refuses_acceptance_huge", "acceptance", v_acceptance_huge, false, "not in [0, 1000]", 0 },
    { "model_refuses_acceptance_quantile_0", "acceptance", v_acceptance_quantile_0, false, "not in (0, 1]", 0 },
    { "model_refuses_acceptance_not_float", "acceptance", v_acceptance_int, false, "not a float64", 0 },
    { "model_refuses_acceptance_not_map", "acceptance", v_acceptance_array, false, "not a map", 0 },
    { "model_refuses_acceptance_turns_negative", "acceptance", v_acceptance_turns_negative, false,
      "\"turns\" is not a non-negative integer", 0 },
    { "model_refuses_missing_name", "name", NULL, true, "no \"name\"", 0 },
    { "model_refuses_name_int", "name", v_name_int, false, "no \"name\" string", 0 },
    { "model_refuses_a_key_given_twice", "name", v_name_twice, false, "key \"name\" appears twice", 1 },
    { "model_refuses_name_unknown", "name", v_name_unknown, false, "cannot name a protocol", 0 },
    { "model_refuses_name_without_slug", "name", v_name_symbols, false, "cannot name a protocol", 0 },
    { "model_refuses_bad_tag", "tags", v_tags_bad, false, "tag 'BAD TAG'", 0 },
    { "model_refuses_zero_sessions", "sessions", v_sessions_zero, false, "\"sessions\" is 0", 0 },
    { "model_refuses_negative_sessions", "sessions", v_sessions_neg, false, "not a non-negative integer", 0 },
    { "model_refuses_transport_sum_mismatch", "transports", v_transports_sum, false, "add up to 9", 0 },
    { "model_refuses_transport_proto_range", "transports", v_transports_proto, false, "IP protocol 0-255", 0 },
    { "model_refuses_255_counters", "meters", v_meters_255, false, "array of 256 counters", 0 },
    { "model_refuses_measurement_mismatch", "meters", v_meters_sum, false, "add up to 2", 0 },
    { "model_refuses_counter_overflow", "meters", v_meters_overflow, false, "overflow", 0 },
    { "model_refuses_no_meters", "meters", v_meters_none, false, "0 meters", 0 },
    { "model_refuses_meters_of_no_measurement", "meters", v_meters_empty, false, "a model of nothing", 0 },
    { "model_refuses_missing_meters", "meters", NULL, true, "no \"meters\"", 0 },
};

/* Re-packs a good model's top map with one field damaged. */
static uint8_t *damaged_bytes(const struct damage *d, size_t *len)
{
    struct fc_model m;
    small_model(&m, "Example RAT");
    size_t good_len;
    uint8_t *good = fc_model_serialize(&m, &good_len);
    fc_model_free(&m);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    msgpack_unpack_next(&u, (const char *)good, good_len, &off);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    const msgpack_object_map *map = &u.data.via.map;
    msgpack_pack_map(&pk, map->size - d->drop + d->extra);
    for (uint32_t i = 0; i < map->size; i++) {
        const msgpack_object_kv *kv = &map->ptr[i];
        bool hit = kv->key.via.str.size == strlen(d->key) && memcmp(kv->key.via.str.ptr, d->key, strlen(d->key)) == 0;
        if (hit && d->drop)
            continue;
        msgpack_pack_object(&pk, kv->key);
        if (hit)
            d->value(&pk);
        else
            msgpack_pack_object(&pk, kv->val);
    }
    msgpack_unpacked_destroy(&u);
    free(good);
    *len = sb.size;
    return (uint8_t *)sb.data;
}

static void test_damaged_files(void)
{
    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        size_t len;
        uint8_t *bytes = damaged_bytes(&damages[i], &len);
        struct fc_model m;
        char why[FC_MODEL_WHY] = "";
        bool refused = !fc_model_parse(bytes, len, &m, why);
        if (!refused)
            fc_model_free(&m);
        if (refused && strstr(why, damages[i].expect))
            printf("ok %s\n", damages[i].name);
        else {
            printf("not ok %s: expected a refusal mentioning [%s], got %s [%s]\n", damages[i].name, damages[i].expect,
                   refused ? "refusal" : "acceptance", why);
            unit_failures++;
        }
        free(bytes);
    }
    struct fc_model m;
    char why[FC_MODEL_WHY];
    CHECK("model_refuses_empty_file", !fc_model_parse((const uint8_t *)"", 0, &m, why) && strstr(why, "empty"));
    CHECK("model_refuses_non_map", !fc_model_parse((const uint8_t *)"\x93\x01\x02\x03", 4, &m, why) &&
                                       strstr(why, "not a msgpack map"));
    /* an array header claiming 4 billion elements must not allocate or read past the end */
    CHECK("model_refuses_huge_declared_array", !fc_model_parse((const uint8_t *)"\xdd\xff\xff\xff\xff", 5, &m, why));
    CHECK("model_load_reports_missing_file", !fc_model_load("/nonexistent/x.fcp", &m, why) &&
                                                 strstr(why, "No such file"));
}

/* The version field of a serialized model (the "version" key, 0xa7 + 7 bytes, then the
 * uint), to write an older version's number into. */
static uint8_t *version_byte(uint8_t *bytes, size_t len)
{
    for (size_t i = 0; i + 9 <= len; i++)
        if (memcmp(bytes + i, "\xa7version", 8) == 0)
            return bytes + i + 8;
    return NULL;
}

/* A version 2 file (acceptance without turns) still loads, with no turns to reach; in a
 * version 3 file the turns are required and checked. */
static void test_version_2_and_turns(void)
{
    struct fc_model m, back;
    char why[FC_MODEL_WHY] = "";
    small_model(&m, "Two");
    m.acceptance.turns = 0;
    size_t len;
    uint8_t *bytes = fc_model_serialize(&m, &len);
    /* drop the turns field: the acceptance map's third key and its value (fixuint 0) */
    uint8_t *turns = NULL;
    for (size_t i = 0; !turns && i + 7 <= len; i++)
        if (memcmp(bytes + i, "\xa5turns\x00", 7) == 0)
            turns = bytes + i;
    uint8_t *map = NULL;
    for (size_t i = 0; !map && i + 11 <= len; i++)
        if (memcmp(bytes + i, "\xaa" "acceptance\x83", 12) == 0)
            map = bytes + i + 11;
    CHECK("model_v2_fixture_found", turns && map && turns + 7 == bytes + len && version_byte(bytes, len));
    if (turns && map && version_byte(bytes, len)) {
        *map = 0x82;
        CHECK("model_v3_without_turns_refused", !fc_model_parse(bytes, len - 7, &back, why) && strstr(why, "turns"));
        *version_byte(bytes, len) = 2;
        bool ok = fc_model_parse(bytes, len - 7, &back, why);
        CHECK("model_version_2_still_loads", ok && back.acceptance.known && back.acceptance.turns == 0);
        if (ok)
            fc_model_free(&back);
    }
    free(bytes);
    m.acceptance.turns = FC_MODEL_MAX_TURNS + 1;
    bytes = fc_model_serialize(&m, &len);
    CHECK("model_refuses_too_many_turns", !fc_model_parse(bytes, len, &back, why) && strstr(why, "turns"));
    free(bytes);
    fc_model_free(&m);
}

/* A version 1 file (before acceptance thresholds) still loads, without a threshold. */
static void test_version_1(void)
{
    struct fc_model m;
    char why[FC_MODEL_WHY] = "";
    small_model(&m, "Old");
    m.acceptance.known = false;
    size_t len;
    uint8_t *bytes = fc_model_serialize(&m, &len);
    fc_model_free(&m);
    uint8_t *at = version_byte(bytes, len);
    CHECK("model_v1_fixture_found", at && *at == FC_MODEL_FORMAT_VERSION);
    if (at)
        *at = 1;
    struct fc_model back;
    bool ok = fc_model_parse(bytes, len, &back, why);
    CHECK("model_version_1_still_loads", ok && !back.acceptance.known && back.sessions == 10);
    if (ok)
        fc_model_free(&back);
    free(bytes);
}

static void test_merge(void)
{
    struct fc_model a, b, other;
    char why[FC_MODEL_WHY];
    small_model(&a, "X");
    small_model(&b, "X");
    fc_model_add_tag(&b, "COINMINER", 9, why);
    fc_model_add_session(&b, 1, why);
    fc_model_set_acceptance(&b, 0.95, 0.75, 2, why);
    CHECK("merge_same_meters_ok", fc_model_merge(&a, &b, why));
    CHECK("merge_keeps_the_looser_acceptance", a.acceptance.known && a.acceptance.divergence == 0.75 &&
                                                   a.acceptance.quantile == 0.99 && a.acceptance.turns == 2);
    CHECK("merge_adds_sessions_counters_tags_transports",
          a.sessions == 21 && a.meter[0].counts[200] == 14 && a.meter[0].measurements == 24 && a.n_tags == 3 &&
              strcmp(a.tags[0], "COINMINER") == 0 && a.n_l4 == 3 && a.l4[0].proto == 1 && a.l4[1].sessions == 18);
    small_model(&other, "X");
    other.meter_set_version = 2;
    struct fc_model old;
    small_model(&old, "X");
    old.acceptance.known = false;
    fc_model_merge(&a, &old, why);
    CHECK("merge_with_a_model_without_acceptance_has_none", !a.acceptance.known);
    fc_model_free(&old);
    CHECK("merge_refuses_other_meter_set_version", !fc_model_merge(&a, &other, why) && strstr(why, "version 2"));
    fc_model_free(&a);
    fc_model_free(&b);
    fc_model_free(&other);
}

int main(void)
{
    test_round_trip();
    test_damaged_files();
    test_version_1();
    test_version_2_and_turns();
    test_merge();
    UNIT_DONE();
}
