/* \summary: what one packet does to its flow: counters, TCP sequence span, ICMP type, closing */
#include "engine.h"
#include "tcp_history.h"

/*
 * Counters follow FORMATS.md §1. TCP payload bytes are the span of sequence
 * numbers covered by payload, so retransmissions do not inflate them: each side
 * keeps its lowest payload start (seq_lo) and the span up to its highest payload
 * end, unwrapped relative to that highest end so that spans beyond 2^31 stay right.
 * A segment that ends at or before the highest end already seen is a
 * retransmission (history T, left out of the sample). A reordered segment that
 * fills a gap looks the same; FlowCarp does not reassemble, so it counts as one.
 */

/* Records the payload range [seq, seq+len); returns true for a retransmission. */
static bool tcp_seq_update(struct flow *f, int dir, uint32_t seq, uint32_t len)
{
    struct flow_side *s = &f->side[dir];
    if (!(f->side_bits[dir] & SB_HAS_SEQ)) {
        f->side_bits[dir] |= SB_HAS_SEQ;
        s->seq_lo = seq;
        s->seq_span = len;
        return false;
    }
    uint32_t hi_seq = s->seq_lo + (uint32_t)s->seq_span;
    int64_t start = (int64_t)s->seq_span + (int32_t)(seq - hi_seq);
    int64_t end = start + len;
    bool retransmission = end <= (int64_t)s->seq_span;
    if (start < 0) {
        s->seq_lo = seq;
        s->seq_span += (uint64_t)-start;
        end -= start;
    }
    if (end > (int64_t)s->seq_span)
        s->seq_span = (uint64_t)end;
    return retransmission;
}

static bool account_tcp(struct flow *f, int dir, const struct fc_decoded *d)
{
    f->tcp_flags[dir] |= d->tcp_flags;
    bool retransmission = false;
    if (d->payload_len) {
        /* A SYN's own sequence number is not data: its payload (TCP Fast Open) starts one later. */
        uint32_t data_seq = d->seq + ((d->tcp_flags & FC_TCP_SYN) ? 1u : 0u);
        retransmission = tcp_seq_update(f, dir, data_seq, d->payload_len);
        f->side[dir].payload += d->payload_len;
    }
    struct tcp_segment seg = { d->tcp_flags, d->seq, d->payload_len, d->window, retransmission };
    tcp_track(f, dir, &seg);
    return !retransmission;
}

/* What every packet adds, whole or fragment: counters of its side and the time span. */
static struct flow_side *count_packet(struct flow *f, int dir, const struct fc_decoded *d, const struct fc_packet *p)
{
    struct flow_side *s = &f->side[dir];
    s->pkts++;
    s->ip_bytes += d->ip_len;
    s->wire_bytes += p->wire_len;
    f->side_bits[dir] |= SB_SENT;
    if (p->ts_us < f->start_us)
        f->start_us = p->ts_us;
    if (p->ts_us > f->end_us)
        f->end_us = p->ts_us;
    return s;
}

bool flow_account(struct flow *f, int dir, const struct fc_decoded *d, enum fc_decode_status st,
                  const struct fc_packet *p)
{
    struct flow_side *s = count_packet(f, dir, d, p);
    if (st != FC_DEC_OK) {
        /* Transport header unusable: the flow is port-less; count what IP declares. */
        if (f->proto != 6)
            s->payload += d->payload_len;
        return false;
    }
    switch (f->proto) {
    case 6:
        return account_tcp(f, dir, d);
    case 17:
        udp_track(f, dir, d->payload_len);
        break;
    case 1:
    case 58:
        if (!(f->side_bits[dir] & SB_HAS_ICMP)) {
            f->side_bits[dir] |= SB_HAS_ICMP;
            f->icmp_type[dir] = d->icmp_type;
            f->icmp_code[dir] = d->icmp_code;
        }
        break;
    default:
        break;
    }
    s->payload += d->payload_len;
    return true;
}

void flow_account_fragment(struct flow *f, int dir, const struct fc_decoded *d, const struct fc_packet *p)
{
    struct flow_side *s = count_packet(f, dir, d, p);
    /* UDP's length field already counted the whole datagram in its first fragment, and
     * TCP counts sequence numbers; other protocols count the IP payload of every part. */
    if (f->proto != 6 && f->proto != 17)
        s->payload += d->payload_len;
}
