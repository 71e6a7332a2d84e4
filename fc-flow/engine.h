/* \summary: fc-flow's engine: packets in, flows keyed, timed out and evicted, records out */
#ifndef FC_FLOW_ENGINE_H
#define FC_FLOW_ENGINE_H

#include <stdint.h>

#include "flow.h"
#include "flow_table.h"
#include "fragments.h"
#include "packet_batch.h"
#include "payload_sample.h"
#include "stream.h"

struct engine_options {
    int64_t timeout_us[TC_COUNT];   /* idle timeout per class; TC_CLOSED: after FIN both ways or RST */
    uint32_t max_flows;
    struct sample_limits sample;
    bool preview;                   /* an interim record when a flow's sample goes out while it is open */
    int64_t flush_us;               /* every flush_us of the clock, an interim record of every open flow; 0 = never */
};

/* The stats record's counters, in the order they are written. */
#define ENGINE_COUNTERS(X) \
    X(packets) X(ip_packets) X(non_ip) X(other_link) X(bad_ip) X(fragments) X(orphan_fragments) X(tunnelled) \
    X(flows) X(evicted) X(malformed_entries) X(previews) X(flushes) X(flushed) X(clock_records)

struct engine_counters {
#define ENGINE_COUNTER_FIELD(name) uint64_t name;
    ENGINE_COUNTERS(ENGINE_COUNTER_FIELD)
#undef ENGINE_COUNTER_FIELD
};

struct engine {
    struct engine_options opt;
    struct flow_table table;
    struct sample_pool samples;
    struct fragment_table *frags;
    struct fc_writer *out;
    int64_t clock_us;               /* largest packet timestamp seen, moved on by the wall clock */
    bool clock_started;
    bool wall_anchored;             /* a clock record came since the last packet: */
    int64_t anchor_wall_us, anchor_clock_us; /* its wall time, and clock_us then */
    int64_t next_flush_us;          /* with opt.flush_us: when the next flush is due */
    int64_t expiry_due_us;          /* no flow can be idle too long before the clock passes this, */
    uint64_t expiry_head_changes;   /* while the table's head_changes is still this */
    uint64_t next_id;
    struct engine_counters count;
};

/* One packet entry, decoded and keyed ahead of its turn (engine_prepare), so the table's
 * memory for it can be fetched while earlier packets are accounted. */
struct packet_prep {
    struct fc_packet p;
    struct fc_decoded d;
    enum fc_decode_status st;
    struct flow_key k;              /* when st is FC_DEC_OK, FC_DEC_BAD_L4 or FC_DEC_FRAGMENT */
    uint32_t hash;
    bool carrier;                   /* a UDP tunnel's packet seen as its outer datagram */
};

void engine_init(struct engine *e, const struct engine_options *opt, struct fc_writer *out);
void engine_free(struct engine *e);
/* Decodes and keys a packet entry (no effect on flows) and prefetches its hash bucket. */
void engine_prepare(const struct engine *e, const struct fc_packet *p, struct packet_prep *pp);
/* The next step for a prepared packet one or two ahead: prefetches its bucket's first flow. */
void engine_prefetch_flow(const struct engine *e, const struct packet_prep *pp);
/* Accounts one prepared packet; packets must be accounted in the order they came. */
void engine_packet(struct engine *e, const struct packet_prep *pp);
/* Ends every flow (end of input), oldest activity first. */
void engine_end_all(struct engine *e);
/* A clock record's wall time (live input): moves the clock on while no packets come. */
void engine_wall_clock(struct engine *e, int64_t now_us);

/* flow_packet.c: what one decoded packet does to its flow; returns true when the
 * packet's payload belongs in the sample (not a TCP retransmission). */
bool flow_account(struct flow *f, int dir, const struct fc_decoded *d, enum fc_decode_status st,
                  const struct fc_packet *p);
/* Counts a later fragment (no transport header) in flow f. */
void flow_account_fragment(struct flow *f, int dir, const struct fc_decoded *d, const struct fc_packet *p);
/* TCP: FIN from both sides or a RST. (Inline: asked for every packet.) */
static inline bool flow_is_closed(const struct flow *f)
{
    if (f->proto != 6)
        return false;
    uint8_t a = f->side_bits[0], b = f->side_bits[1];
    return ((a | b) & SB_RST) || ((a & SB_FIN) && (b & SB_FIN));
}

/* Which timeout class a flow belongs in now. */
static inline enum timeout_class flow_timeout_class(const struct flow *f)
{
    switch (f->proto) {
    case 6:
        return flow_is_closed(f) ? TC_CLOSED : TC_TCP;
    case 17:
        return TC_UDP;
    case 1:
    case 58:
        return TC_ICMP;
    default:
        return TC_OTHER;
    }
}

/* flow_output.c */
/* Fills the exchange struct; `reason` as given (callers decide it). */
void flow_export(const struct flow *f, enum fc_flow_reason reason, struct fc_flow *out);
/* The reason a flow ending at end of input or by idle timeout gets. */
enum fc_flow_reason flow_natural_reason(const struct flow *f, bool end_of_input);
/* Writes an interim flow record (reason preview or flush) of a flow that stays open. */
void flow_write_interim(const struct flow *f, enum fc_flow_reason reason, struct fc_writer *out);

#endif
