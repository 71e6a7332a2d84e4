/* \summary: unit tests of the attribute meters: exact bins for hand-made observations */
#include <stdio.h>
#include <string.h>

#include "../../fc-feat/meters/measure.h"
#include "unit.h"

/* Observations are written as (dir, wire length, bytes kept as a C string or byte list). */
#define OBS(d, l, s) { .dir = (d), .len = (l), .bytes = (const uint8_t *)(s), .kept = sizeof(s) - 1 }
#define BYTES(d, l, ...) { .dir = (d), .len = (l), .bytes = (const uint8_t[]){ __VA_ARGS__ }, \
                           .kept = sizeof((const uint8_t[]){ __VA_ARGS__ }) }

static const struct meter_def *meter_named(const char *name)
{
    for (unsigned m = 0; m < meter_count; m++)
        if (strcmp(meters[m].name, name) == 0)
            return &meters[m];
    return NULL;
}

/* Runs one meter; returns its bins as "bin:count bin:count", ascending. */
static const char *bins_of(const char *meter, const struct meter_obs *obs, uint32_t n)
{
    static char out[4096];
    static struct meter_acc acc;
    memset(&acc, 0, sizeof acc);
    struct meter_session s = { obs, n };
    const struct meter_def *d = meter_named(meter);
    if (!d)
        return "no such meter";
    d->measure(&s, &acc);
    size_t at = 0;
    out[0] = 0;
    for (unsigned b = 0; b < METER_BINS; b++)
        if (acc.count[b])
            at += (size_t)snprintf(out + at, sizeof out - at, "%s%u:%u", at ? " " : "", b, acc.count[b]);
    return out;
}

static void test_crc32(void)
{
    CHECK("crc32_matches_the_standard_check_value", meter_crc32(0, (const uint8_t *)"123456789", 9) == 0xCBF43926u);
}

static void test_accumulated_direction_bytes(void)
{
    const struct meter_obs two_runs[] = { OBS(0, 100, "GET "), OBS(1, 1500, "HTTP"), OBS(1, 200, "ab") };
    CHECK_STR("adb_one_bin_per_direction_run_in_64_byte_units", "1:1 90:1",
              bins_of("AccumulatedDirectionBytes", two_runs, 3));
    const struct meter_obs six[] = { OBS(0, 64, "a"), OBS(1, 64, "a"), OBS(0, 64, "a"),
                                     OBS(1, 64, "a"), OBS(0, 64, "a"), OBS(1, 64, "a") };
    CHECK_STR("adb_stops_after_four_runs", "1:1 65:1 129:1 193:1", bins_of("AccumulatedDirectionBytes", six, 6));
    const struct meter_obs big[] = { OBS(0, 60000, "a") };
    CHECK_STR("adb_caps_bytes_at_63_units", "63:1", bins_of("AccumulatedDirectionBytes", big, 1));
}

static void test_action_reaction(void)
{
    const struct meter_obs same_way[] = { OBS(0, 3, "abc"), OBS(0, 3, "def") };
    CHECK_STR("action_reaction_needs_a_direction_change", "", bins_of("ActionReactionFirst3ByteHash", same_way, 2));
    const struct meter_obs one[] = { OBS(0, 5, "abcde"), OBS(1, 3, "xyz") };
    char expected[64] = "", *at = expected;
    unsigned bins[3];
    for (uint8_t salt = 0; salt < 3; salt++) {
        uint8_t key[8] = { salt, 'a', 'b', 'c', 3 << 4 | 3, 'x', 'y', 'z' };
        bins[salt] = meter_crc32(0, key, sizeof key) & 0xFF;
    }
    /* ascending, as bins_of prints them */
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (bins[j] < bins[i]) {
                unsigned t = bins[i]; bins[i] = bins[j]; bins[j] = t;
            }
    for (int i = 0; i < 3; i++)
        at += sprintf(at, "%s%u:1", i ? " " : "", bins[i]);
    CHECK_STR("action_reaction_three_salted_hashes_of_3_plus_3_bytes", expected,
              bins_of("ActionReactionFirst3ByteHash", one, 2));
    const struct meter_obs many[] = { OBS(0, 1, "a"), OBS(1, 1, "b"), OBS(0, 1, "c"), OBS(1, 1, "d"),
                                      OBS(0, 1, "e"), OBS(1, 1, "f"), OBS(0, 1, "g"), OBS(1, 1, "h") };
    struct meter_acc acc = { 0 };
    struct meter_session s = { many, 8 };
    meter_named("ActionReactionFirst3ByteHash")->measure(&s, &acc);
    CHECK("action_reaction_counts_the_first_5_changes_only", acc.total == 15);
}

static void test_byte_frequencies(void)
{
    const struct meter_obs six[] = { OBS(0, 3, "aab"), OBS(1, 1, "b"), OBS(0, 1, "c"),
                                     OBS(1, 1, "c"), OBS(0, 1, "c"), OBS(1, 1, "z") };
    CHECK_STR("byte_frequency_counts_bytes_of_the_first_5_packets", "97:2 98:2 99:3",
              bins_of("ByteFrequency", six, 6));
    const struct meter_obs nine[] = { OBS(0, 20, "xxxxxxxxxxxxxxxxxxxx"), OBS(1, 20, "xxxxxxxxxxxxxxxxxxxx"),
                                      OBS(0, 20, "xxxxxxxxxxxxxxxxxxxx"), OBS(1, 20, "xxxxxxxxxxxxxxxxxxxx"),
                                      OBS(0, 20, "xxxxxxxxxxxxxxxxxxxx"), OBS(1, 20, "xxxxxxxxxxxxxxxxxxxx"),
                                      OBS(0, 20, "xxxxxxxxxxxxxxxxxxxx"), OBS(1, 20, "xxxxxxxxxxxxxxxxxxxx"),
                                      OBS(0, 20, "xxxxxxxxxxxxxxxxxxxx") };
    CHECK_STR("first_packet_bytes_reads_12_bytes_of_packets_0_to_7", "120:96",
              bins_of("ByteFrequencyOfFirstPacketBytes", nine, 9));
    const struct meter_obs four[] = { OBS(0, 2, "AA"), BYTES(1, 1, 0xFF), OBS(0, 1, "@"), OBS(1, 1, "?"),
                                      OBS(0, 1, "A") };
    CHECK_STR("first4_byte_frequency_is_byte_mod_64_plus_64_per_packet", "1:2 127:1 128:1 255:1",
              bins_of("First4PacketsByteFrequency", four, 5));
}

static void test_byte_pairs(void)
{
    const struct meter_obs obs[] = { OBS(0, 4, "abcd"), OBS(1, 6, "xbcdab"), OBS(1, 1, "q") };
    /* xbcdab has pairs xb bc cd da ab; bc cd ab occur in abcd: 3, client then server -> 64 + 3;
     * q has no pair: 0, server then server -> 192 */
    CHECK_STR("byte_pairs_count_pairs_seen_in_the_previous_packet_by_direction_pair", "67:1 192:1",
              bins_of("BytePairsReoccurringCountIn32FirstBytes", obs, 3));
}

static void test_byte_value_offset_hash(void)
{
    const struct meter_obs obs[] = { BYTES(0, 2, 0x01, 0x00), BYTES(1, 1, 0x00) };
    /* (1 + 0) * 2654435761 >> 24 = 0x9e; (0 + 256) -> 55; (0 + 0) -> 0 */
    CHECK_STR("byte_value_offset_hash_multiplies_value_plus_256_offset", "0:1 55:1 158:1",
              bins_of("ByteValueOffsetHashOfFirst32BytesInFirst4Packets", obs, 2));
}

static void test_direction_packet_length(void)
{
    const struct meter_obs obs[] = { OBS(0, 1, "a"), OBS(0, 3, "a"), OBS(0, 100, "a"), OBS(0, 300, "a"),
                                     OBS(1, 1000, "a"), OBS(1, 1500, "a"), OBS(1, 65535, "a") };
    /* floor(len ^ (ln 128 / ln 1500)): 1 -> 1, 3 -> 2, 100 -> 21, 300 -> 44 (44.0019), 1000 -> 97, >= 1499 -> 127 */
    CHECK_STR("length_distribution_compresses_lengths_and_splits_directions",
              "1:1 2:1 21:1 44:1 225:1 255:2", bins_of("DirectionPacketLengthDistribution", obs, 7));
}

static void test_bit_positions(void)
{
    const struct meter_obs obs[] = { BYTES(0, 4, 0x80, 0x00, 0x00, 0x00), BYTES(1, 1, 0xFF), BYTES(0, 4, 0xFF) };
    /* packet 0: bit 0 set -> 0, bits 1..31 unset -> 65..95; packet 1 (one byte): bits 0..7 set -> 128..135 */
    char expected[1024], *at = expected;
    at += sprintf(at, "0:1");
    for (unsigned b = 1; b < 32; b++)
        at += sprintf(at, " %u:1", 64 + b);
    for (unsigned b = 0; b < 8; b++)
        at += sprintf(at, " %u:1", 128 + b);
    CHECK_STR("first2_bit_positions_set_i_unset_64_plus_i_packet1_plus_128", expected,
              bins_of("First2OrderedFirstBitPositions", obs, 3));

    const struct meter_obs one[] = { BYTES(0, 1, 0x01), BYTES(1, 1, 0x80) };
    CHECK_STR("first_bit_positions_set_j_unset_128_plus_j", "0:1 7:1 128:1 129:2 130:2 131:2 132:2 133:2 134:2 135:1",
              bins_of("FirstBitPositions", one, 2));
    CHECK_STR("first_server_packet_bits_read_only_the_servers_first_packet",
              "0:1 129:1 130:1 131:1 132:1 133:1 134:1 135:1", bins_of("FirstServerPacketFirstBitPositions", one, 2));
    const struct meter_obs client_only[] = { BYTES(0, 1, 0x01) };
    CHECK_STR("first_server_packet_bits_nothing_without_a_server_packet", "",
              bins_of("FirstServerPacketFirstBitPositions", client_only, 1));
}

static void test_first8_hash_direction_counts(void)
{
    const struct meter_obs obs[] = { OBS(0, 10, "abcdefghij"), OBS(1, 3, "xyz"), OBS(0, 1, "q"), OBS(0, 1, "r"),
                                     OBS(0, 1, "s") };
    /* CRC-32("abcdefgh") % 16 = 0, client, packet 0, 4 client packets -> 3: bin 3;
     * CRC-32("xyz") % 16 = 7, server, packet 1, 1 server packet: 7 * 16 + 8 + 4 + 1 = 125 */
    CHECK_STR("first8_hash_bins_combine_hash_direction_packet_and_count", "3:1 125:1",
              bins_of("First2PacketsFirst8ByteHashDirectionCounts", obs, 5));
}

static void test_nibbles(void)
{
    const struct meter_obs obs[] = { BYTES(0, 2, 0x12, 0xF0), BYTES(1, 1, 0x00), BYTES(0, 1, 0x00),
                                     BYTES(1, 1, 0x00), BYTES(1, 1, 0x00) };
    /* 0x12: (0x12 ^ 0x01) & 15 = 3 -> 3; 0xF0: 15 -> 16 + 15 = 31; packet 1 server -> 128 + 32;
     * packet 2 client -> 64; packet 3 server -> 128 + 96; packet 4 ignored */
    CHECK_STR("first4_direction_nibbles_fold_and_place_by_direction_packet_and_byte", "3:1 31:1 64:1 160:1 224:1",
              bins_of("First4OrderedDirectionFirstNByteNibbles", obs, 5));
    const struct meter_obs pop[] = { BYTES(0, 1, 0xAB), BYTES(1, 1, 0xAB), BYTES(0, 1, 0xCB) };
    CHECK_STR("nibble_popularity_ranks_values_by_how_often_seen_before", "0:5 1:1",
              bins_of("NibblePositionPopularity", pop, 3));
}

static void test_equality(void)
{
    const struct meter_obs obs[] = { OBS(0, 4, "abcd"), OBS(1, 4, "abXd"), OBS(0, 4, "abXd"), OBS(1, 4, "zzzz"),
                                     OBS(0, 4, "zzzz") };
    /* packet 1 vs 0: bits 0, 1, 3 -> 11 -> CRC-32(0b,00,00,00) & 255 = 29; packet 2 vs 1: 0xF;
     * packet 3 vs 2: 0 ; packet 4 is not among packets 1-3 */
    uint8_t m15[4] = { 15, 0, 0, 0 }, m0[4] = { 0, 0, 0, 0 };
    unsigned b15 = meter_crc32(0, m15, 4) & 255, b0 = meter_crc32(0, m0, 4) & 255;
    char expected[64];
    unsigned a[3] = { 29, b15, b0 };
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (a[j] < a[i]) {
                unsigned t = a[i]; a[i] = a[j]; a[j] = t;
            }
    snprintf(expected, sizeof expected, "%u:1 %u:1 %u:1", a[0], a[1], a[2]);
    CHECK_STR("equality_hashes_the_mask_of_bytes_equal_to_the_previous_packet", expected,
              bins_of("First4PacketsFirst32BytesEquality", obs, 5));
}

static void test_every_meter_is_safe_on_empty_and_cut_packets(void)
{
    const struct meter_obs cut[] = { { .dir = 0, .len = 1400, .bytes = NULL, .kept = 0 },
                                     { .dir = 1, .len = 10, .bytes = NULL, .kept = 0 } };
    bool ok = true;
    for (unsigned m = 0; m < meter_count; m++) {
        struct meter_acc acc = { 0 };
        struct meter_session none = { cut, 0 };
        meters[m].measure(&none, &acc);
        ok &= acc.total == 0;
        struct meter_session s = { cut, 2 };
        meters[m].measure(&s, &acc); /* reads no byte: ASan/valgrind would see it */
    }
    CHECK("no_meter_emits_for_an_empty_session", ok);
    CHECK("registry_lists_15_meters", meter_count == 15);
}

static void test_measure_makes_sorted_sparse_vectors(void)
{
    const struct meter_obs obs[] = { OBS(0, 4, "abcd"), OBS(1, 6, "xbcdab") };
    struct meter_session s = { obs, 2 };
    static struct fc_vector v;
    meter_measure(&s, &v);
    bool sorted = true;
    for (uint32_t m = 0; m < v.n_meters; m++)
        for (uint32_t i = 1; i < v.meter[m].n; i++)
            sorted &= v.meter[m].bin[i] > v.meter[m].bin[i - 1];
    CHECK("vector_bins_ascending", sorted);
    CHECK_STR("vector_names_its_meter_set", METER_SET_NAME, v.set);
    CHECK("vector_matches_this_meter_set", meter_set_matches(&v));
    CHECK("vector_byte_frequency_total_is_10", v.meter[2].total == 10);
}

int main(void)
{
    test_crc32();
    test_accumulated_direction_bytes();
    test_action_reaction();
    test_byte_frequencies();
    test_byte_pairs();
    test_byte_value_offset_hash();
    test_direction_packet_length();
    test_bit_positions();
    test_first8_hash_direction_counts();
    test_nibbles();
    test_equality();
    test_every_meter_is_safe_on_empty_and_cut_packets();
    test_measure_makes_sorted_sparse_vectors();
    UNIT_DONE();
}
