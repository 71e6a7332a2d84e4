/* \summary: fc-flow's engine: packets in, flows keyed, timed out and evicted, records out */
#include "engine.h"

#include <string.h>

#include "log.h"
#include "tcp_history.h"
#include "tunnel.h"

/*
 * Time is the packet clock: the largest timestamp seen so far, so a capture that is
 * slightly out of order neither expires flows early nor moves time backwards. Before
 * each packet is looked up, every class's LRU head that has been idle longer than
 * its timeout is ended, so a packet after a long silence starts a new flow. Idle time
 * is the clock's time since the flow was last touched (flow_touched_us), not since its
 * last timestamp: when time jumps back (captures of overlapping periods read one after
 * another), the older packets still make whole flows, which end by timeout once the
 * clock moves on, or at the end of the input.
 * Records are written in the order flows end. A flow's sample record goes out as
 * soon as no more payload can join it: when it is complete, when the TCP flow closes
 * (FIN both ways or a RST: new data after that is not part of this connection), or
 * else just before its flow record, so samples are held only while flows are open.
 *
 * Live input also brings clock records (wall time) while no packets come, so flows
 * still end by idle timeout when traffic stops. Packet times come from the capturing
 * host, whose clock may differ from ours, so a clock record moves the packet clock by
 * the wall time that passed since the first clock record after the last packet, never
 * to the wall time itself (a replayed old capture would otherwise end every flow).
 *
 * Interim records (the flow stays open, counters so far): with preview, one when a
 * flow's sample goes out while the flow is open, right after the sample, so the
 * verdict stages have decided by the time they see it; with flush, one of every open
 * flow each time the clock passes a multiple of flush_us from its start. A TCP flow
 * already closed (FIN both ways or RST) gets none: its final record is seconds away.
 */

void engine_init(struct engine *e, const struct engine_options *opt, struct fc_writer *out)
{
    memset(e, 0, sizeof *e);
    e->opt = *opt;
    e->out = out;
    flow_table_init(&e->table, opt->max_flows);
    e->expiry_due_us = INT64_MIN; /* look at the first packet */
    sample_pool_init(&e->samples, &opt->sample);
    e->frags = fragments_new();
}

void engine_free(struct engine *e)
{
    flow_table_free(&e->table);
    sample_pool_free(&e->samples);
    fragments_free(e->frags);
}

/* The flow as it is now, for a sample record: reason as if the input ended now. */
static void write_sample(struct engine *e, struct flow *f)
{
    struct fc_flow snapshot;
    flow_export(f, flow_natural_reason(f, true), &snapshot);
    sample_write(&e->samples, f->sample, e->out, &snapshot);
    sample_release(&e->samples, f->sample);
    f->sample = 0;
    f->flags |= FF_SAMPLE_SENT;
}

static void end_flow(struct engine *e, uint32_t slot, enum fc_flow_reason reason)
{
    struct flow *f = flow_at(&e->table, slot);
    if (f->sample)
        write_sample(e, f);
    struct fc_flow out;
    flow_export(f, reason, &out);
    fc_flow_pack_record(fc_writer_packer(e->out), &out);
    fc_writer_record_done(e->out);
    f->id = 0; /* a freed slot matches no remembered fragment */
    flow_remove(&e->table, slot);
}

/* Times come from the input, so any int64: sums saturate and differences are taken
 * unsigned (exact whenever the later time is not below the earlier). */
static int64_t add_saturating(int64_t t, uint64_t add)
{
    int64_t sum;
    if (add > INT64_MAX || __builtin_add_overflow(t, (int64_t)add, &sum))
        return INT64_MAX;
    return sum;
}

static uint64_t later_minus(int64_t later, int64_t earlier) { return (uint64_t)later - (uint64_t)earlier; }

/* Interim records of every open flow; not of closed ones (their final record is near). */
static void flush_all(struct engine *e)
{
    e->count.flushes++;
    for (int c = 0; c < TC_COUNT; c++) {
        if (c == TC_CLOSED)
            continue;
        for (uint32_t s = e->table.lru_head[c]; s != FLOW_NONE; s = flow_at(&e->table, s)->lru_next) {
            flow_write_interim(flow_at(&e->table, s), FC_REASON_FLUSH, e->out);
            e->count.flushed++;
        }
    }
}

/* After a long silence one flush reports it; the schedule stays on its grid. */
static void flush_if_due(struct engine *e)
{
    if (!e->opt.flush_us || e->clock_us < e->next_flush_us)
        return;
    flush_all(e);
    uint64_t periods = later_minus(e->clock_us, e->next_flush_us) / (uint64_t)e->opt.flush_us + 1;
    uint64_t step = periods > UINT64_MAX / (uint64_t)e->opt.flush_us ? UINT64_MAX : periods * (uint64_t)e->opt.flush_us;
    e->next_flush_us = add_saturating(e->next_flush_us, step);
}

/* The earliest time any LRU head can time out: until the clock passes it, or a head
 * changes, no flow is due. A head's end only grows while it stays the head, so the time
 * stays a lower bound. */
static int64_t earliest_expiry(const struct engine *e)
{
    int64_t due = INT64_MAX;
    for (int c = 0; c < TC_COUNT; c++) {
        uint32_t head = e->table.lru_head[c];
        if (head) {
            int64_t t = add_saturating(flow_touched_us(flow_at(&e->table, head)), (uint64_t)e->opt.timeout_us[c]);
            due = t < due ? t : due;
        }
    }
    return due;
}

static void expire_idle(struct engine *e)
{
    if (e->clock_us <= e->expiry_due_us && e->table.head_changes == e->expiry_head_changes)
        return;
    for (int c = 0; c < TC_COUNT; c++)
        for (;;) {
            uint32_t head = e->table.lru_head[c];
            if (!head)
                break;
            int64_t touched = flow_touched_us(flow_at(&e->table, head));
            if (e->clock_us <= touched || later_minus(e->clock_us, touched) <= (uint64_t)e->opt.timeout_us[c])
                break;
            end_flow(e, head, FC_REASON_TIMEOUT);
        }
    e->expiry_due_us = earliest_expiry(e);
    e->expiry_head_changes = e->table.head_changes;
}

void engine_wall_clock(struct engine *e, int64_t now_us)
{
    e->count.clock_records++;
    if (!e->clock_started)
        return;   /* no flows yet, nothing to time */
    if (!e->wall_anchored) {
        e->wall_anchored = true;
        e->anchor_wall_us = now_us;
        e->anchor_clock_us = e->clock_us;
        return;
    }
    if (now_us <= e->anchor_wall_us)
        return;
    int64_t moved = add_saturating(e->anchor_clock_us, later_minus(now_us, e->anchor_wall_us));
    if (moved > e->clock_us) {
        e->clock_us = moved;
        expire_idle(e);
        flush_if_due(e);
    }
}

void engine_end_all(struct engine *e)
{
    for (uint32_t s; (s = flow_least_recent(&e->table)) != FLOW_NONE;)
        end_flow(e, s, flow_natural_reason(flow_at(&e->table, s), true));
}

/* ICMP's §1 "ports": the type and its counterpart type (request <-> reply), or the code
 * for one-way messages. A reply keys as the reverse of its request, so both meet. */
static const uint8_t icmp4_pairs[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 10, 9 }, { 17, 18 } };
static const uint8_t icmp6_pairs[][2] = { { 128, 129 }, { 133, 134 }, { 135, 136 },
                                          { 130, 131 }, { 139, 140 }, { 144, 145 } };

static uint16_t icmp_counterpart(const struct fc_decoded *d)
{
    const uint8_t(*pairs)[2] = d->proto == 1 ? icmp4_pairs : icmp6_pairs;
    size_t n = d->proto == 1 ? sizeof icmp4_pairs / sizeof icmp4_pairs[0] : sizeof icmp6_pairs / sizeof icmp6_pairs[0];
    for (size_t i = 0; i < n; i++) {
        if (pairs[i][0] == d->icmp_type)
            return pairs[i][1];
        if (pairs[i][1] == d->icmp_type)
            return pairs[i][0];
    }
    return d->icmp_code;
}

static void make_key(const struct fc_decoded *d, enum fc_decode_status st, const struct fc_packet *p,
                     struct flow_key *k)
{
    memset(k, 0, sizeof *k);
    k->ipv = d->ipv;
    k->proto = d->proto;
    k->vlan = p->vlan;
    memcpy(k->src, d->src, 16);
    memcpy(k->dst, d->dst, 16);
    if (st != FC_DEC_OK)
        return;
    if (d->has_ports) {
        k->sport = d->sport;
        k->dport = d->dport;
    } else if (d->proto == 1 || d->proto == 58) {
        k->sport = d->icmp_type;
        k->dport = icmp_counterpart(d);
    }
}

/* Makes room for one more flow: ends the least recently active one. */
static void evict_one(struct engine *e)
{
    uint32_t victim = flow_least_recent(&e->table);
    if (victim) {
        e->count.evicted++;
        end_flow(e, victim, FC_REASON_FORCED);
    }
}

/* A flow for the prepared packet's key, starting at its time. */
static uint32_t new_flow(struct engine *e, const struct packet_prep *pp, bool responder_first)
{
    const struct flow_key *k = &pp->k;
    if (flow_table_full(&e->table))
        evict_one(e);
    enum timeout_class tc = k->proto == 6 ? TC_TCP : k->proto == 17 ? TC_UDP
                          : (k->proto == 1 || k->proto == 58) ? TC_ICMP : TC_OTHER;
    uint32_t slot = flow_insert(&e->table, k, pp->hash, responder_first, tc);
    struct flow *f = flow_at(&e->table, slot);
    f->id = ++e->next_id;
    f->start_us = f->end_us = pp->p.ts_us;
    f->vlan2 = pp->p.vlan2;
    f->tunnel = pp->d.tunnel;
    if (responder_first)
        history_add(f, 0, '^');
    e->count.flows++;
    return slot;
}

static bool is_syn_only(uint8_t flags) { return (flags & (FC_TCP_SYN | FC_TCP_ACK | FC_TCP_RST)) == FC_TCP_SYN; }
static bool is_syn_ack(uint8_t flags)
{
    return (flags & (FC_TCP_SYN | FC_TCP_ACK | FC_TCP_RST | FC_TCP_FIN)) == (FC_TCP_SYN | FC_TCP_ACK);
}

/* A TCP flow in which a FIN or RST was seen is closing; a new SYN there starts over. */
static bool is_reused(const struct flow *f, const struct fc_decoded *d, enum fc_decode_status st)
{
    return f->proto == 6 && st == FC_DEC_OK && is_syn_only(d->tcp_flags) &&
           ((f->side_bits[0] | f->side_bits[1]) & (SB_FIN | SB_RST));
}

static void add_to_sample(struct engine *e, struct flow *f, int dir, const struct fc_decoded *d,
                          const struct fc_packet *p)
{
    if ((f->flags & FF_SAMPLE_SENT) || d->payload_len == 0 || e->opt.sample.packets == 0)
        return;
    if (!f->sample)
        f->sample = sample_new(&e->samples);
    /* Packet timestamps are bounded (FC_PACKET_TIME_LIMIT_US), so this cannot overflow. */
    if (sample_add(&e->samples, f->sample, dir, d->payload_len, p->ts_us - f->start_us, p->data + d->payload_offset,
                   d->payload_captured)) {
        write_sample(e, f);
        if (e->opt.preview && !flow_is_closed(f)) {
            flow_write_interim(f, FC_REASON_PREVIEW, e->out);
            e->count.previews++;
        }
    }
}

static void flow_packet(struct engine *e, const struct packet_prep *pp)
{
    const struct fc_decoded *d = &pp->d;
    const struct fc_packet *p = &pp->p;
    enum fc_decode_status st = pp->st;
    const struct flow_key *k = &pp->k;
    int dir = 0;
    uint32_t slot = flow_lookup(&e->table, k, pp->hash, &dir);
    if (slot && is_reused(flow_at(&e->table, slot), d, st)) {
        end_flow(e, slot, FC_REASON_TCP_REUSE);
        slot = FLOW_NONE;
    }
    if (!slot) {
        bool responder_first = k->proto == 6 && st == FC_DEC_OK && is_syn_ack(d->tcp_flags);
        slot = new_flow(e, pp, responder_first);
        dir = responder_first;
    }
    struct flow *f = flow_at(&e->table, slot);
    /* a tunnel's own flow is counted but not sampled: its payload is the inner flows', which
     * are classified as flows of their own (named by it, it would be named after them) */
    if (flow_account(f, dir, d, st, p) && !pp->carrier)
        add_to_sample(e, f, dir, d, p);
    enum timeout_class tc = flow_timeout_class(f);
    if (tc == TC_CLOSED && f->sample)
        write_sample(e, f); /* no new payload comes after FIN both ways or a RST */
    flow_touch(&e->table, slot, tc, e->clock_us);
    if (d->is_fragment && d->more_fragments)
        fragments_remember(e->frags, d, slot, f->id, e->clock_us); /* on the clock, as flows' idle time */
}

/* A packet that came out of a UDP tunnel (VXLAN, Geneve, GTP-U, Teredo, CAPWAP) also counts
 * in the tunnel's own UDP flow between the tunnel endpoints: Zeek's conn.log and tshark's
 * conversations have it too, and it says which hosts carry the tunnel. A tunnel that is
 * an IP protocol of its own (IP-in-IP, GRE) has no such flow: its packets are the inner
 * ones. fc_decode opened the tunnel only from a whole, sound UDP datagram, which is decoded
 * here again (only for such packets) rather than carried in every prepared packet. */
static void udp_tunnel_packet(struct engine *e, const struct packet_prep *pp)
{
    struct packet_prep outer = { .p = pp->p, .carrier = true };
    outer.st = fc_decode_outer(pp->p.proto, pp->p.data, pp->p.data_len, &outer.d);
    make_key(&outer.d, outer.st, &outer.p, &outer.k);
    outer.hash = flow_key_hash(&outer.k);
    flow_packet(e, &outer);
}

/* A later fragment counts in its first fragment's flow, or, when that was never seen,
 * in a port-less flow of its protocol (an orphan). */
static void fragment_packet(struct engine *e, const struct packet_prep *pp)
{
    const struct fc_decoded *d = &pp->d;
    const struct fc_packet *p = &pp->p;
    uint32_t slot;
    uint64_t id;
    if (fragments_find(e->frags, d, e->clock_us, &slot, &id) && flow_at(&e->table, slot)->id == id) {
        struct flow *f = flow_at(&e->table, slot);
        int dir = memcmp(f->addr[0], d->src, 16) != 0;
        flow_account_fragment(f, dir, d, p);
        flow_touch(&e->table, slot, flow_timeout_class(f), e->clock_us);
        return;
    }
    e->count.orphan_fragments++;
    int dir = 0;
    slot = flow_lookup(&e->table, &pp->k, pp->hash, &dir);
    if (!slot)
        slot = new_flow(e, pp, false);
    struct flow *f = flow_at(&e->table, slot);
    flow_account_fragment(f, dir, d, p);
    flow_touch(&e->table, slot, flow_timeout_class(f), e->clock_us);
}

static bool is_keyed(enum fc_decode_status st)
{
    return st == FC_DEC_OK || st == FC_DEC_BAD_L4 || st == FC_DEC_FRAGMENT;
}

void engine_prepare(const struct engine *e, const struct fc_packet *p, struct packet_prep *pp)
{
    pp->p = *p;
    pp->carrier = false;
    if (p->link != FC_LINK_NETWORK)
        return;
    pp->st = fc_decode(p->proto, p->data, p->data_len, &pp->d);
    if (!is_keyed(pp->st))
        return;
    make_key(&pp->d, pp->st, p, &pp->k);
    pp->hash = flow_key_hash(&pp->k);
    flow_prefetch_bucket(&e->table, pp->hash);
}

void engine_prefetch_flow(const struct engine *e, const struct packet_prep *pp)
{
    if (pp->p.link == FC_LINK_NETWORK && is_keyed(pp->st))
        flow_prefetch(&e->table, pp->hash);
}

void engine_packet(struct engine *e, const struct packet_prep *pp)
{
    const struct fc_packet *p = &pp->p;
    e->count.packets++;
    if (p->link != FC_LINK_NETWORK) {
        e->count.other_link++;
        return;
    }
    if (!e->clock_started) {
        e->clock_started = true;
        e->clock_us = p->ts_us;
        e->next_flush_us = add_saturating(p->ts_us, (uint64_t)e->opt.flush_us);
    } else if (p->ts_us > e->clock_us) {
        e->clock_us = p->ts_us;
    }
    e->wall_anchored = false;
    expire_idle(e);
    flush_if_due(e);
    const struct fc_decoded *d = &pp->d;
    enum fc_decode_status st = pp->st;
    if (st == FC_DEC_NOT_IP) {
        e->count.non_ip++;
        return;
    }
    if (st == FC_DEC_BAD_IP) {
        e->count.bad_ip++;
        return;
    }
    e->count.ip_packets++;
    if (d->is_fragment)
        e->count.fragments++;
    if (st == FC_DEC_FRAGMENT)
        fragment_packet(e, pp);
    else
        flow_packet(e, pp);
    if (d->tunnel) {
        e->count.tunnelled++;
        if (fc_tunnel_over_udp(d->tunnel))
            udp_tunnel_packet(e, pp);
    }
}
