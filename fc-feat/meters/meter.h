/* \summary: the attribute meter interface: a session's observations in, bin indices 0..255 out */
#ifndef FC_METER_H
#define FC_METER_H

/*
 * SPID's attribute meters (ALGORITHM.md §2). A meter reads a session's
 * observations (its payload packets, in order) and emits bin indices 0..255;
 * each emission adds one to that bin of the meter's 256 counters, its
 * fingerprint. Meters keep their state on their own stack: every meter is a
 * pure function of the observations, so the same session always gives the same
 * vector, in fc-feat, fc-train and fc-classify alike.
 *
 * The set of meters is one table (registry.c). Its name and version travel in
 * every vector record and model file, so a model is never compared with vectors
 * made by different meters: change any meter's bins and bump its version and
 * METER_SET_VERSION.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METER_SET_NAME "spid-default"
#define METER_SET_VERSION 1u
#define METER_BINS 256

/* One payload packet of the session. */
struct meter_obs {
    uint8_t dir;            /* 0 = client to server, 1 = server to client */
    uint32_t len;           /* payload length on the wire */
    int64_t dt_us;          /* microseconds since the flow's start */
    const uint8_t *bytes;   /* the payload bytes the sample kept (the first `kept`) */
    uint32_t kept;
};

struct meter_session {
    const struct meter_obs *obs;
    uint32_t n;
};

/* A meter's counters for one session: a bin is touched when its count is not 0 (no count
 * wraps round: a record is at most FC_MAX_RECORD bytes), so emitting is one addition and
 * the touched bins are found by a vector scan of the counts (measure.c). */
struct meter_acc {
    uint32_t count[METER_BINS];
    uint32_t total;
};

/* One emission without the total, for a loop that adds its emissions to a->total once. */
static inline void meter_tally(struct meter_acc *a, unsigned bin) { a->count[bin & (METER_BINS - 1)]++; }

static inline void meter_emit(struct meter_acc *a, unsigned bin)
{
    meter_tally(a, bin);
    a->total++;
}

/* n emissions of one bin at once (n may be 0: the bin stays untouched). */
static inline void meter_emit_n(struct meter_acc *a, unsigned bin, uint32_t n)
{
    a->count[bin & (METER_BINS - 1)] += n;
    a->total += n;
}

/* count[p[k] & mask]++ for each of the n bytes (tallies, no total), eight to a step. */
static inline void meter_count_bytes(uint32_t *count, const uint8_t *p, uint32_t n, unsigned mask)
{
    if (n == 0) /* p may then be NULL, and NULL + 0 is undefined */
        return;
    const uint8_t *end = p + n; /* a pointer, not an index: no address sum per byte */
    for (; end - p >= 8; p += 8) {
        _Pragma("GCC unroll 8")
        for (unsigned u = 0; u < 8; u++)
            count[p[u] & mask]++;
    }
    for (; p < end; p++)
        count[*p & mask]++;
}

typedef void meter_fn(const struct meter_session *s, struct meter_acc *acc);

struct meter_def {
    const char *name;       /* SPID's name of the meter */
    unsigned version;       /* bumped whenever the meter's bins change */
    double weight;          /* in fc-classify's mean divergence; 0 = measured and stored, not scored */
    meter_fn *measure;
};

extern const struct meter_def meters[];
extern const unsigned meter_count;

/* The 8 bits of byte v, most significant first, as bins: bit k (0..7) gives bin base + k when
 * set and base + unset + k when clear (unset a power of two above base + 7's bits). */
static inline void meter_tally_bits(struct meter_acc *a, unsigned v, unsigned base, unsigned unset)
{
    unsigned clear = ~v;
    _Pragma("GCC unroll 8") /* k a constant in each step */
    for (unsigned k = 0; k < 8; k++)
        meter_tally(a, base + k + ((clear << k) & 0x80u) / 0x80u * unset);
    a->total += 8;
}

/* Shared helpers (hash.c). */
uint32_t meter_crc32(uint32_t crc, const uint8_t *p, size_t n);
static inline unsigned meter_mulhash8(uint32_t v) { return (unsigned)((v * 2654435761u) >> 24); }
/* The i-th bit of a byte string, most significant bit of byte 0 first. */
static inline bool meter_bit(const uint8_t *p, unsigned i) { return (p[i / 8] >> (7 - i % 8)) & 1; }
static inline uint32_t meter_min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* The meters (one file each in this folder). */
meter_fn meter_accumulated_direction_bytes;
meter_fn meter_action_reaction_first3_byte_hash;
meter_fn meter_byte_frequency;
meter_fn meter_byte_frequency_of_first_packet_bytes;
meter_fn meter_byte_pairs_reoccurring_count;
meter_fn meter_byte_value_offset_hash;
meter_fn meter_direction_packet_length_distribution;
meter_fn meter_first2_ordered_first_bit_positions;
meter_fn meter_first2_packets_first8_byte_hash_direction_counts;
meter_fn meter_first4_ordered_direction_first_nbyte_nibbles;
meter_fn meter_first4_packets_byte_frequency;
meter_fn meter_first4_packets_first32_bytes_equality;
meter_fn meter_first_bit_positions;
meter_fn meter_first_server_packet_first_bit_positions;
meter_fn meter_nibble_position_popularity;

#endif
