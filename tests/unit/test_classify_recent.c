/* \summary: unit tests of fc-classify's verdict reuse (recent.c) and the assumption it rests on */
#include <stdint.h>
#include <string.h>

#include "../../fc-feat/meters/meter.h"
#include "recent.h"
#include "unit.h"

#define OBS(d, l, t, s) { .dir = (d), .len = (l), .dt_us = (t), .bytes = (const uint8_t *)(s), .kept = sizeof(s) - 1 }

/* recent.c leaves the timing out of a session's description because no meter reads it:
 * every meter must give the same bins when only the times differ. */
static void test_no_meter_reads_timing(void)
{
    const struct meter_obs fast[] = { OBS(0, 18, 0, "GET / HTTP/1.1\r\n\r\n"), OBS(1, 19, 150, "HTTP/1.1 200 OK\r\n\r\n"),
                                      OBS(0, 4, 300, "PING"), OBS(1, 4, 420, "PONG") };
    const struct meter_obs slow[] = { OBS(0, 18, 0, "GET / HTTP/1.1\r\n\r\n"), OBS(1, 19, 9000000, "HTTP/1.1 200 OK\r\n\r\n"),
                                      OBS(0, 4, 60000000, "PING"), OBS(1, 4, 60000001, "PONG") };
    static struct meter_acc a, b;
    unsigned same = 0;
    for (unsigned m = 0; m < meter_count; m++) {
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        meters[m].measure(&(struct meter_session){ fast, 4 }, &a);
        meters[m].measure(&(struct meter_session){ slow, 4 }, &b);
        same += memcmp(a.count, b.count, sizeof a.count) == 0;
    }
    CHECK("every_meter_ignores_packet_times", same == meter_count);
}

static struct verdict verdict_with(int32_t best, double d)
{
    return (struct verdict){ .kind = VERDICT_IDENTIFIED, .best = best, .runner_up = VERDICT_NONE,
                             .best_divergence = d, .used_pkts = 2 };
}

static void test_reuse(void)
{
    struct recent r;
    recent_init(&r);
    const struct meter_obs one[] = { OBS(0, 4, 0, "PING"), OBS(1, 7, 10, "+PONG\r\n") };
    const struct meter_obs later[] = { OBS(0, 4, 5000, "PING"), OBS(1, 7, 9000, "+PONG\r\n") };
    const struct meter_obs other_byte[] = { OBS(0, 4, 0, "PINH"), OBS(1, 7, 10, "+PONG\r\n") };
    const struct meter_obs other_len[] = { OBS(0, 5, 0, "PING"), OBS(1, 7, 10, "+PONG\r\n") };
    const struct meter_obs other_dir[] = { OBS(1, 4, 0, "PING"), OBS(1, 7, 10, "+PONG\r\n") };
    struct meter_session s = { one, 2 };
    struct verdict out, kept = verdict_with(3, 1.25);

    CHECK("first_session_is_not_known", !recent_find(&r, 6, &s, &out));
    recent_keep(&r, &kept);
    CHECK("same_session_is_known", recent_find(&r, 6, &s, &out) && out.kind == kept.kind && out.best == kept.best &&
                                       out.runner_up == kept.runner_up && out.best_divergence == kept.best_divergence &&
                                       out.used_pkts == kept.used_pkts);
    CHECK("same_bytes_at_other_times_are_known", recent_find(&r, 6, &(struct meter_session){ later, 2 }, &out) &&
                                                     out.best == 3);
    CHECK("other_transport_is_not_known", !recent_find(&r, 17, &s, &out));
    CHECK("one_other_byte_is_not_known", !recent_find(&r, 6, &(struct meter_session){ other_byte, 2 }, &out));
    CHECK("other_wire_length_is_not_known", !recent_find(&r, 6, &(struct meter_session){ other_len, 2 }, &out));
    CHECK("other_direction_is_not_known", !recent_find(&r, 6, &(struct meter_session){ other_dir, 2 }, &out));
    CHECK("fewer_packets_are_not_known", !recent_find(&r, 6, &(struct meter_session){ one, 1 }, &out));
    CHECK("hits_are_counted", r.hits == 2);

    /* A session too long to describe is never kept, and never matches. */
    static uint8_t big[RECENT_KEY_MAX];
    memset(big, 'x', sizeof big);
    const struct meter_obs long_one[] = { { .dir = 0, .len = sizeof big, .bytes = big, .kept = sizeof big } };
    struct meter_session ls = { long_one, 1 };
    CHECK("too_long_is_not_known", !recent_find(&r, 6, &ls, &out));
    recent_keep(&r, &kept);
    CHECK("too_long_is_not_kept", !recent_find(&r, 6, &ls, &out));
    recent_free(&r);
}

/* The descriptions' block used up: every slot is forgotten, and keeping goes on. */
static void test_block_starts_again(void)
{
    struct recent r;
    recent_init(&r);
    static uint8_t bytes[8192];
    const struct meter_obs first[] = { OBS(0, 4, 0, "PING") };
    struct verdict out, kept = verdict_with(5, 0.5);
    recent_find(&r, 6, &(struct meter_session){ first, 1 }, &out);
    recent_keep(&r, &kept);
    /* sessions of 8 KB (16 KB regions), each unlike the others in its first bytes */
    uint32_t kept_long = 0;
    for (uint32_t i = 0; r.forgotten == 0 && i < 4 * RECENT_ARENA_BYTES / sizeof bytes; i++) {
        memset(bytes, 'a' + (int)(i % 26), sizeof bytes);
        memcpy(bytes, &i, sizeof i);
        const struct meter_obs o[] = { { .dir = 0, .len = sizeof bytes, .bytes = bytes, .kept = sizeof bytes } };
        if (!recent_find(&r, 6, &(struct meter_session){ o, 1 }, &out)) {
            recent_keep(&r, &kept);
            kept_long++;
        }
    }
    CHECK("full_block_forgets_every_slot", r.forgotten == 1 && !recent_find(&r, 6, &(struct meter_session){ first, 1 }, &out));
    CHECK("block_holds_hundreds_of_long_ones", kept_long > RECENT_ARENA_BYTES / 16384);
    const struct meter_obs o[] = { { .dir = 0, .len = sizeof bytes, .bytes = bytes, .kept = sizeof bytes } };
    CHECK("last_kept_after_forgetting_is_known", recent_find(&r, 6, &(struct meter_session){ o, 1 }, &out) && out.best == 5);
    recent_free(&r);
}

int main(void)
{
    test_no_meter_reads_timing();
    test_reuse();
    test_block_starts_again();
    UNIT_DONE();
}
