/* \summary: Zeek's TCP endpoint states, history letters and conn_state (FORMATS.md §5) */
#include "tcp_history.h"

#include <string.h>

#include "decode.h"

/*
 * The rules follow Zeek's TCP analyzer as FORMATS.md §5 restates them, so that a
 * ZeekConn line from FlowCarp reads like one from Zeek: the same letters in the
 * same order, the same repetition rules, the same conn_state decision order.
 * History is stored 5 bits per letter (an index into history_alphabet, plus one).
 */

static const char history_alphabet[] = "^SHADFRTWIQshadfrtwiq";

/* Each letter's code: its place in history_alphabet plus one (other characters are 0). */
static const uint8_t letter_codes[128] = {
    ['^'] = 1,  ['S'] = 2,  ['H'] = 3,  ['A'] = 4,  ['D'] = 5,  ['F'] = 6,  ['R'] = 7,
    ['T'] = 8,  ['W'] = 9,  ['I'] = 10, ['Q'] = 11, ['s'] = 12, ['h'] = 13, ['a'] = 14,
    ['d'] = 15, ['f'] = 16, ['r'] = 17, ['t'] = 18, ['w'] = 19, ['i'] = 20, ['q'] = 21,
};

static unsigned letter_code(char c)
{
    return (unsigned char)c < sizeof letter_codes ? letter_codes[(unsigned char)c] : 0;
}

/* A letter's 5 bits never span more than two bytes, so one 16-bit window holds them
 * (HISTORY_BYTES leaves room for the window of the last letter). */
_Static_assert((HISTORY_MAX - 1) * 5 / 8 + 1 < HISTORY_BYTES, "history's last window must fit");

static unsigned window_at(const struct flow *f, unsigned byte)
{
    return f->history[byte] | (unsigned)f->history[byte + 1] << 8;
}

static void history_put(struct flow *f, unsigned i, unsigned code)
{
    unsigned bit = i * 5, byte = bit / 8, shift = bit % 8;
    unsigned w = (window_at(f, byte) & ~(31u << shift)) | code << shift;
    f->history[byte] = (uint8_t)w;
    f->history[byte + 1] = (uint8_t)(w >> 8);
}

static unsigned history_get(const struct flow *f, unsigned i)
{
    unsigned bit = i * 5;
    return window_at(f, bit / 8) >> (bit % 8) & 31u;
}

static char lower_case(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

void history_add(struct flow *f, int dir, char letter)
{
    if (f->history_len >= HISTORY_MAX) {
        f->flags |= FF_HISTORY_FULL;
        return;
    }
    history_put(f, f->history_len++, letter_code(dir ? lower_case(letter) : letter));
}

void history_text(const struct flow *f, char *out)
{
    unsigned n = f->history_len;
    for (unsigned i = 0; i < n; i++) {
        unsigned code = history_get(f, i);
        out[i] = code ? history_alphabet[code - 1] : '?';
    }
    out[n] = 0;
}

/* A D I Q: at most once per direction. */
static void history_once(struct flow *f, int dir, uint8_t bit, char letter)
{
    uint8_t mask = (uint8_t)(dir ? bit << 4 : bit);
    if (f->once_seen & mask)
        return;
    f->once_seen |= mask;
    history_add(f, dir, letter);
}

/* S H F R: the first time, then again only when the sequence number differs from the
 * last packet of that kind in that direction (S and H share one, as in Zeek). */
static void history_seq(struct flow *f, int dir, uint8_t seen_bit, uint32_t *last, uint32_t seq, char letter)
{
    if (!(f->side_bits[dir] & seen_bit) || *last != seq)
        history_add(f, dir, letter);
    f->side_bits[dir] |= seen_bit;
    *last = seq;
}

/* T W: at the 1st, 10th, 100th, ... occurrence. */
static void history_scaled(struct flow *f, int dir, uint32_t *count, char letter)
{
    if (*count == UINT32_MAX)
        return;
    uint32_t n = ++*count;
    while (n % 10 == 0)
        n /= 10;
    if (n == 1)
        history_add(f, dir, letter);
}

static void history_flags(struct flow *f, int dir, const struct tcp_segment *seg)
{
    struct flow_side *s = &f->side[dir];
    uint8_t fl = seg->flags;
    int special = !!(fl & FC_TCP_SYN) + !!(fl & FC_TCP_FIN) + !!(fl & FC_TCP_RST);
    if (special > 1) {
        if ((fl & FC_TCP_FIN) && (fl & FC_TCP_RST))
            history_once(f, dir, HO_I, 'I');
        else
            history_once(f, dir, HO_Q, 'Q');
    } else if (fl & FC_TCP_SYN) {
        history_seq(f, dir, SB_SYN_SEEN, &s->last_syn, seg->seq, fl & FC_TCP_ACK ? 'H' : 'S');
    } else if (fl & FC_TCP_FIN) {
        /* A FIN's sequence number is the one after its data. */
        history_seq(f, dir, SB_FIN_SEEN, &s->last_fin, seg->seq + seg->payload_len, 'F');
    } else if (fl & FC_TCP_RST) {
        history_seq(f, dir, SB_RST_SEEN, &s->last_rst, seg->seq, 'R');
    } else if (seg->payload_len) {
        history_once(f, dir, HO_D, 'D');
    } else if (fl & FC_TCP_ACK) {
        history_once(f, dir, HO_A, 'A');
    }
    if (seg->retransmission)
        history_scaled(f, dir, &s->rexmits, 'T');
    if (seg->window == 0 && !(fl & (FC_TCP_SYN | FC_TCP_RST)))
        history_scaled(f, dir, &s->zero_windows, 'W');
}

static bool is_syn_state(uint8_t ep) { return ep == EP_SYN_SENT || ep == EP_SYN_ACK_SENT; }

static void endpoint_update(struct flow *f, int dir, uint8_t fl)
{
    uint8_t *me = &f->ep[dir];
    if (*me == EP_RESET)
        return;
    if (fl & FC_TCP_RST) {
        *me = EP_RESET;
        return;
    }
    if (*me == EP_INACTIVE)
        *me = (fl & FC_TCP_SYN) ? ((fl & FC_TCP_ACK) ? EP_SYN_ACK_SENT : EP_SYN_SENT) : EP_PARTIAL;
    /* After SYN and SYN+ACK both ways, orig's next ACK establishes both sides. */
    else if (dir == 0 && (fl & FC_TCP_ACK) && !(fl & FC_TCP_SYN) && is_syn_state(f->ep[0]) &&
             is_syn_state(f->ep[1])) {
        f->ep[0] = f->ep[1] = EP_ESTABLISHED;
        f->flags |= FF_ESTABLISHED;
    }
    if (fl & FC_TCP_FIN)
        *me = EP_CLOSED;
}

void tcp_track(struct flow *f, int dir, const struct tcp_segment *seg)
{
    history_flags(f, dir, seg);
    endpoint_update(f, dir, seg->flags);
    if (seg->flags & FC_TCP_FIN)
        f->side_bits[dir] |= SB_FIN;
    if (seg->flags & FC_TCP_RST)
        f->side_bits[dir] |= SB_RST;
}

void udp_track(struct flow *f, int dir, uint32_t payload_len)
{
    if (payload_len)
        history_once(f, dir, HO_D, 'D');
}

uint64_t tcp_payload_bytes(const struct flow *f, int dir)
{
    return (f->side_bits[dir] & SB_HAS_SEQ) ? f->side[dir].seq_span : 0;
}

static bool is_inactive(uint8_t ep) { return ep == EP_INACTIVE || ep == EP_PARTIAL; }

/* History matches ^?S[^HAFGIQ]*R.* (a SYN, then a RST from orig, nothing in between
 * that shows the responder or a handshake). */
static bool history_is_syn_then_rst(const char *h)
{
    if (*h == '^')
        h++;
    if (*h++ != 'S')
        return false;
    for (; *h; h++) {
        if (*h == 'R')
            return true;
        if (strchr("HAFGIQ", *h))
            return false;
    }
    return false;
}

static const char *tcp_conn_state(const struct flow *f, const char *history)
{
    uint8_t o = f->ep[0], r = f->ep[1];
    if (r == EP_RESET) {
        if (is_syn_state(o) || (o == EP_RESET && tcp_payload_bytes(f, 0) == 0 && tcp_payload_bytes(f, 1) == 0))
            return "REJ";
        return is_inactive(o) ? "RSTRH" : "RSTR";
    }
    if (o == EP_RESET) {
        if (is_inactive(r))
            return history_is_syn_then_rst(history) ? "RSTOS0" : "OTH";
        return "RSTO";
    }
    if (o == EP_CLOSED && r == EP_CLOSED)
        return "SF";
    if (o == EP_CLOSED)
        return is_inactive(r) ? "SH" : "S2";
    if (r == EP_CLOSED)
        return is_inactive(o) ? "SHR" : "S3";
    if (o == EP_SYN_SENT && r == EP_INACTIVE)
        return "S0";
    if (o == EP_ESTABLISHED && r == EP_ESTABLISHED)
        return "S1";
    return "OTH";
}

const char *conn_state(const struct flow *f, const char *history)
{
    if (f->proto == 6)
        return tcp_conn_state(f, history);
    if (f->proto == 17) {
        bool o = f->side[0].pkts > 0, r = f->side[1].pkts > 0;
        return o && r ? "SF" : o ? "S0" : "SHR";
    }
    return "OTH";
}
