/* \summary: the feature vector record (kind 4): per meter, the bins a session touched and their counts */
#ifndef FC_VECTOR_H
#define FC_VECTOR_H

/*
 * A session touches few of each meter's 256 bins, so vectors travel sparsely:
 * per meter one msgpack bin of 3-byte entries (u8 bin, u16 count little-endian),
 * bins strictly increasing, counts >= 1 (a count above 65535 is stored as 65535).
 * The record (man/flowcarp-records.5, kind 4) also carries the flow fields of the
 * sample it was made from, so it can stand on its own when samples are dropped,
 * and the meter set's name and version, so a model is never compared with a
 * vector made by other meters.
 */
#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FC_VECTOR_MAX_METERS 64
#define FC_VECTOR_SET_MAX 64          /* meter set name, with NUL */
#define FC_VECTOR_ENTRY_BYTES 3
#define FC_VECTOR_TURNS_UNKNOWN UINT32_MAX

struct fc_vector_meter {
    uint16_t n;                       /* touched bins */
    uint8_t bin[256];                 /* ascending */
    uint16_t count[256];
    uint32_t total;                   /* sum of count[] */
};

struct fc_vector {
    uint64_t flow_id;
    uint8_t proto;                    /* IP protocol of the flow */
    uint32_t payload_pkts;            /* observations the vector was made from */
    uint32_t turns;                   /* direction changes among them (FC_VECTOR_TURNS_UNKNOWN: not in
                                         the record) */
    char set[FC_VECTOR_SET_MAX];
    uint32_t set_version;
    uint32_t n_meters;
    struct fc_vector_meter meter[FC_VECTOR_MAX_METERS];
};

/* Writes {"k":4, every field of the sample record but "k" and "obs", meter set, version, bins}. */
struct fc_record;
void fc_vector_pack_record(msgpack_packer *pk, const struct fc_record *sample, const struct fc_vector *v);
/* Reads a kind-4 record; false (with why) when a field is missing or malformed. */
bool fc_vector_unpack(const msgpack_object *rec, struct fc_vector *v, const char **why);

/* Fields of a record map other than the listed keys: how many, and packing them as they are
 * (so fields a stage does not know survive when it builds a record from another). */
uint32_t fc_map_count_except(const msgpack_object *map, const char *const *skip, size_t n_skip);
void fc_pack_map_except(msgpack_packer *pk, const msgpack_object *map, const char *const *skip, size_t n_skip);

/*
 * The same, cheaper: the kept fields are copied from the record's raw bytes (struct
 * fc_record's raw, which the decoded map points into) in a few runs instead of being
 * re-packed item by item. The plan finds each field's bytes from where its key lies; when
 * it cannot (a key that is not a shortest-form str, too many runs) packing falls back to
 * fc_pack_map_except. Plan, write the map header with the count it returns, then pack.
 */
#define FC_MAP_COPY_RUNS 16
struct fc_map_copy_run {
    size_t at, len;
};
struct fc_map_copy {
    const msgpack_object *map;
    const uint8_t *raw;
    const char *const *skip;
    size_t n_skip;
    uint32_t kept;                    /* fields that will be written */
    bool copy;                        /* runs found: copy them */
    uint32_t n_runs;
    struct fc_map_copy_run run[FC_MAP_COPY_RUNS];
};
uint32_t fc_map_copy_plan(struct fc_map_copy *c, const msgpack_object *map, const uint8_t *raw, size_t len,
                          const char *const *skip, size_t n_skip);
void fc_map_copy_pack(msgpack_packer *pk, const struct fc_map_copy *c);

#endif
