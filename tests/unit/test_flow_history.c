/* \summary: unit tests of fc-flow's Zeek history letters, endpoint states and conn_state */
#include <string.h>

#include "../../fc-flow/tcp_history.c"
#include "unit.h"

enum { O = 0, R = 1 };

static void seg(struct flow *f, int dir, uint8_t flags, uint32_t seq, uint32_t len)
{
    struct tcp_segment s = { flags, seq, len, 1000, false };
    if (len)
        f->side[dir].seq_span += len, f->side_bits[dir] |= SB_HAS_SEQ;
    f->side[dir].pkts++;
    tcp_track(f, dir, &s);
}

static void new_tcp(struct flow *f)
{
    memset(f, 0, sizeof *f);
    f->proto = 6;
}

static const char *hist(const struct flow *f)
{
    static char h[HISTORY_MAX + 1];
    history_text(f, h);
    return h;
}

static void test_worked_example(void)
{
    /* FORMATS.md §8: S, h, A, D, a, d, A, d, A, f, F, a */
    struct flow f;
    new_tcp(&f);
    seg(&f, O, FC_TCP_SYN, 100, 0);
    seg(&f, R, FC_TCP_SYN | FC_TCP_ACK, 900, 0);
    seg(&f, O, FC_TCP_ACK, 101, 0);
    seg(&f, O, FC_TCP_ACK | FC_TCP_PSH, 101, 496);
    seg(&f, R, FC_TCP_ACK, 901, 0);
    seg(&f, R, FC_TCP_ACK, 901, 1448);
    seg(&f, O, FC_TCP_ACK, 597, 0);
    seg(&f, R, FC_TCP_ACK | FC_TCP_PSH, 2349, 283);
    seg(&f, O, FC_TCP_ACK, 597, 0);
    seg(&f, R, FC_TCP_FIN | FC_TCP_ACK, 2632, 0);
    seg(&f, O, FC_TCP_FIN | FC_TCP_ACK, 597, 0);
    seg(&f, R, FC_TCP_ACK, 2633, 0);
    CHECK_STR("history_worked_example", "ShADadfF", hist(&f));
    CHECK_STR("conn_state_worked_example_SF", "SF", conn_state(&f, hist(&f)));
    CHECK("endpoints_closed", f.ep[O] == EP_CLOSED && f.ep[R] == EP_CLOSED && (f.flags & FF_ESTABLISHED));
}

static void test_conn_states(void)
{
    struct flow f;
    new_tcp(&f);
    seg(&f, O, FC_TCP_SYN, 1, 0);
    CHECK_STR("conn_state_S0_attempt", "S0", conn_state(&f, hist(&f)));
    seg(&f, R, FC_TCP_RST | FC_TCP_ACK, 0, 0);
    CHECK_STR("conn_state_REJ", "REJ", conn_state(&f, hist(&f)));
    CHECK_STR("history_REJ", "Sr", hist(&f));

    new_tcp(&f);
    seg(&f, O, FC_TCP_SYN, 1, 0);
    seg(&f, O, FC_TCP_RST, 2, 0);
    CHECK_STR("conn_state_RSTOS0", "RSTOS0", conn_state(&f, hist(&f)));

    new_tcp(&f);
    seg(&f, O, FC_TCP_SYN, 1, 0);
    seg(&f, R, FC_TCP_SYN | FC_TCP_ACK, 5, 0);
    seg(&f, O, FC_TCP_ACK, 2, 0);
    CHECK_STR("conn_state_S1_established", "S1", conn_state(&f, hist(&f)));
    seg(&f, O, FC_TCP_FIN | FC_TCP_ACK, 2, 0);
    CHECK_STR("conn_state_S2_orig_closed", "S2", conn_state(&f, hist(&f)));
    seg(&f, O, FC_TCP_RST, 3, 0);
    CHECK_STR("conn_state_RSTO", "RSTO", conn_state(&f, hist(&f)));

    new_tcp(&f); /* midstream: data from both sides, no SYN seen */
    seg(&f, O, FC_TCP_ACK, 1, 10);
    seg(&f, R, FC_TCP_ACK, 1, 10);
    CHECK_STR("conn_state_OTH_midstream", "OTH", conn_state(&f, hist(&f)));
    seg(&f, R, FC_TCP_FIN | FC_TCP_ACK, 11, 0);
    CHECK_STR("conn_state_SHR_resp_closes_midstream", "SHR", conn_state(&f, hist(&f)));

    new_tcp(&f); /* orig sends only a FIN: half open, closed by orig */
    seg(&f, O, FC_TCP_FIN, 1, 0);
    CHECK_STR("conn_state_SH", "SH", conn_state(&f, hist(&f)));

    new_tcp(&f); /* SYN+ACK seen first, then RST from its receiver (orig) */
    history_add(&f, 0, '^');
    seg(&f, R, FC_TCP_SYN | FC_TCP_ACK, 1, 0);
    seg(&f, O, FC_TCP_RST, 5, 0);
    CHECK_STR("history_responder_first", "^hR", hist(&f));
    CHECK_STR("conn_state_RSTO_after_synack", "RSTO", conn_state(&f, hist(&f)));

    struct flow u;
    memset(&u, 0, sizeof u);
    u.proto = 17;
    u.side[0].pkts = 1;
    CHECK_STR("udp_S0_one_way", "S0", conn_state(&u, ""));
    u.side[1].pkts = 1;
    CHECK_STR("udp_SF_both_ways", "SF", conn_state(&u, ""));
    u.proto = 1;
    CHECK_STR("icmp_OTH", "OTH", conn_state(&u, ""));
}

static void test_repetition(void)
{
    struct flow f;
    new_tcp(&f);
    seg(&f, O, FC_TCP_SYN, 1, 0);
    seg(&f, O, FC_TCP_SYN, 1, 0); /* retransmitted SYN: same sequence number */
    CHECK_STR("syn_repeat_same_seq_once", "S", hist(&f));
    seg(&f, O, FC_TCP_SYN, 77, 0);
    CHECK_STR("syn_repeat_new_seq_again", "SS", hist(&f));
    seg(&f, O, FC_TCP_ACK, 2, 0);
    seg(&f, O, FC_TCP_ACK, 2, 0);
    seg(&f, O, FC_TCP_ACK | FC_TCP_FIN | FC_TCP_RST, 2, 0);
    seg(&f, O, FC_TCP_SYN | FC_TCP_FIN, 2, 0);
    CHECK_STR("ack_once_I_Q", "SSAIQ", hist(&f));

    new_tcp(&f);
    for (int i = 1; i <= 100; i++) {
        struct tcp_segment s = { FC_TCP_ACK, 5, 10, 1000, true };
        tcp_track(&f, R, &s);
    }
    CHECK_STR("retransmissions_T_at_1_10_100", "dttt", hist(&f));
    new_tcp(&f);
    for (int i = 1; i <= 10; i++) {
        struct tcp_segment s = { FC_TCP_ACK, 5, 0, 0, false };
        tcp_track(&f, O, &s);
    }
    CHECK_STR("zero_window_W_at_1_10", "AWW", hist(&f));

    new_tcp(&f);
    for (int i = 0; i < 40; i++)
        seg(&f, i % 2, FC_TCP_SYN, (uint32_t)i, 0);
    CHECK("history_bounded", f.history_len == HISTORY_MAX && (f.flags & FF_HISTORY_FULL));
    CHECK("history_text_bounded", strlen(hist(&f)) == HISTORY_MAX);
}

int main(void)
{
    test_worked_example();
    test_conn_states();
    test_repetition();
    UNIT_DONE();
}
