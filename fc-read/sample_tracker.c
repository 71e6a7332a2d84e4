/* \summary: per-flow count of payload packets sent, so later packets can travel without payload */
#include "sample_tracker.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "huge.h"
#include "xalloc.h"

/* 2^16 slots of 20 bytes: 1.3 MB, small enough to stay in cache, which matters
 * more here than anything else (2^20 slots made fc-read ~15% slower on the corpus).
 * More concurrent flows than slots only means more resets, i.e. more payload sent,
 * never less. */
#define TRACKER_BITS 16
#define IDLE_RESET_MS 1000

enum slot_state {
    SEQ_KNOWN_0 = 1,  /* seq_end[0] holds the highest sequence end seen in direction 0 */
    SEQ_KNOWN_1 = 2,
    ENDING = 4,       /* a FIN or RST was seen: the next packet may open a new flow */
};

struct slot {
    uint32_t tag;         /* high hash bits of the flow key */
    uint32_t last_ms;     /* last packet time, milliseconds (wrapping) */
    uint32_t seq_end[2];  /* per direction: highest TCP sequence number after payload */
    uint16_t count;       /* payload packets counted since the slot was (re)started */
    uint8_t state;        /* enum slot_state bits */
    uint8_t unused;
};

struct sample_tracker {
    struct sample_limits limits;
    struct slot *slots;
    uint64_t mask;
};

struct sample_tracker *sample_tracker_new(const struct sample_limits *limits)
{
    struct sample_tracker *t = fc_xcalloc(1, sizeof *t);
    t->limits = *limits;
    t->slots = fc_huge_calloc(((size_t)1 << TRACKER_BITS) * sizeof *t->slots);
    t->mask = ((uint64_t)1 << TRACKER_BITS) - 1;
    return t;
}

void sample_tracker_free(struct sample_tracker *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t);
}

/* ---- the flow key: both directions of a flow give the same hash ---- */

struct endpoint {
    const uint8_t *addr; /* 16 bytes; IPv4 in the first 4, the rest zero (fc_decode clears them) */
    uint16_t port;
};

/* <0, 0, >0 as a is before, equal to or after b. */
static int endpoint_compare(const struct endpoint *a, const struct endpoint *b)
{
    int c = memcmp(a->addr, b->addr, 16);
    return c ? c : (int)a->port - (int)b->port;
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9e3779b97f4a7c15u;
    return h ^ (h >> 29);
}

/* Ports as fc-decode reports them, or ICMP type and code: one slot per ICMP message
 * kind is finer than fc-flow's type/counterpart pairing, so never ahead of it. */
static void flow_ports(const struct fc_decoded *d, uint16_t *sport, uint16_t *dport)
{
    if (d->has_ports) {
        *sport = d->sport;
        *dport = d->dport;
    } else if (d->proto == 1 || d->proto == 58) {
        *sport = *dport = (uint16_t)(d->icmp_type << 8 | d->icmp_code);
    } else {
        *sport = *dport = 0;
    }
}

/* Hash of the canonical key; *dir = 0 when the packet goes from the lower endpoint. */
static uint64_t flow_hash(const struct fc_decoded *d, uint16_t vlan, uint16_t vlan2, uint16_t source, int *dir)
{
    struct endpoint src = { d->src, 0 }, dst = { d->dst, 0 };
    flow_ports(d, &src.port, &dst.port);
    *dir = endpoint_compare(&src, &dst) > 0;
    const struct endpoint *lo = *dir ? &dst : &src, *hi = *dir ? &src : &dst;
    uint64_t h = (uint64_t)d->ipv << 56 | (uint64_t)d->proto << 48 | (uint64_t)vlan << 32 |
                 (uint64_t)vlan2 << 16 | source;
    h = mix(0x243f6a8885a308d3u, h);
    h = mix(h, load64(lo->addr));
    h = mix(h, load64(hi->addr));
    if (d->ipv == 6) {
        h = mix(h, load64(lo->addr + 8));
        h = mix(h, load64(hi->addr + 8));
    }
    h = mix(h, (uint64_t)lo->port << 16 | hi->port);
    return mix(h, h >> 32);
}

/* ---- counting ---- */

static bool seq_after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

static void slot_restart(struct slot *s, uint32_t tag)
{
    s->tag = tag;
    s->count = 0;
    s->state = 0;
}

/* Whether fc-flow certainly counts this payload packet; keeps the sequence state. */
static bool tcp_payload_counts(struct slot *s, const struct fc_decoded *d, int dir)
{
    uint8_t known = dir ? SEQ_KNOWN_1 : SEQ_KNOWN_0;
    uint32_t end = d->seq + d->payload_len;
    bool in_order = !(s->state & known) || d->seq == s->seq_end[dir];
    if (!(s->state & known) || seq_after(end, s->seq_end[dir])) {
        s->seq_end[dir] = end;
        s->state |= known;
    }
    return in_order;
}

static void tcp_note_control(struct slot *s, const struct fc_decoded *d, int dir)
{
    if (d->tcp_flags & FC_TCP_SYN) {
        /* SYN: the next data in this direction starts at seq + 1. A bare SYN starts a
         * connection, so what was known of the other direction is stale. */
        if (!(d->tcp_flags & FC_TCP_ACK))
            s->state &= (uint8_t)~(SEQ_KNOWN_0 | SEQ_KNOWN_1);
        s->seq_end[dir] = d->seq + 1 + d->payload_len;
        s->state |= dir ? SEQ_KNOWN_1 : SEQ_KNOWN_0;
    }
    if (d->tcp_flags & (FC_TCP_FIN | FC_TCP_RST))
        s->state |= ENDING;
}

enum sample_need sample_tracker_note(struct sample_tracker *t, const struct fc_decoded *d, uint16_t vlan,
                                     uint16_t vlan2, uint16_t source, int64_t ts_us)
{
    int dir;
    uint64_t h = flow_hash(d, vlan, vlan2, source, &dir);
    struct slot *s = &t->slots[h & t->mask];
    uint32_t tag = (uint32_t)(h >> 32);
    uint32_t now_ms = (uint32_t)(ts_us / 1000);
    bool tcp = d->proto == 6;

    if (s->tag != tag || (uint32_t)(now_ms - s->last_ms) >= IDLE_RESET_MS || (s->state & ENDING))
        slot_restart(s, tag);
    else if (tcp && (d->tcp_flags & FC_TCP_SYN))
        s->count = 0; /* a new connection may reuse the ports; keep the sequence state */
    s->last_ms = now_ms;

    enum sample_need need = s->count < t->limits.full_packets ? SAMPLE_NEEDS_ALL
                          : s->count < t->limits.packets      ? SAMPLE_NEEDS_BYTES
                                                              : SAMPLE_NEEDS_HEADERS;
    if (tcp) {
        bool counts = d->payload_len > 0 && !(d->tcp_flags & FC_TCP_SYN) && tcp_payload_counts(s, d, dir);
        tcp_note_control(s, d, dir);
        if (counts && d->payload_captured > 0 && s->count < UINT16_MAX)
            s->count++;
    } else if (d->payload_len > 0 && d->payload_captured > 0 && s->count < UINT16_MAX) {
        s->count++;
    }
    return need;
}
