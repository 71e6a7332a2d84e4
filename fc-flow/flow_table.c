/* \summary: the flow table: slab of flows, hash lookup of both directions, LRU lists per timeout class */
#include "flow_table.h"

#include <stdlib.h>
#include <string.h>

#include "huge.h"
#include "xalloc.h"

/*
 * Flows live in a slab of fixed chunks and are named by 32-bit slot numbers, so a
 * flow never moves, links cost 4 bytes, and no allocation happens per packet (one
 * per FLOW_CHUNK flows). The hash of a key is symmetric in its two endpoints, so
 * one lookup finds a flow from either direction. The bucket array doubles as the
 * table grows, up to the power of two above --max-flows.
 *
 * Each timeout class keeps its flows in a doubly linked list in order of last
 * activity: a packet moves its flow to the tail, so the head is always the flow
 * idle longest and expiry looks only at heads (O(1) per packet, no scans).
 */

#define FLOW_CHUNK 65536u
#define MIN_BUCKETS 4096u

void flow_table_init(struct flow_table *t, uint32_t max_flows)
{
    memset(t, 0, sizeof *t);
    t->max_flows = max_flows;
    t->next_unused = 1; /* slot 0 means "none" */
    uint32_t maxb = MIN_BUCKETS;
    while (maxb < max_flows && maxb < (1u << 31))
        maxb <<= 1;
    t->max_buckets = maxb;
    t->nbuckets = MIN_BUCKETS;
    t->buckets = fc_huge_calloc(t->nbuckets * sizeof *t->buckets);
}

void flow_table_free(struct flow_table *t)
{
    for (uint32_t i = 0; i < t->nchunks; i++)
        free(t->chunks[i]);
    free(t->chunks);
    free(t->buckets);
    memset(t, 0, sizeof *t);
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t mix(uint64_t h)
{
    h *= 0x9e3779b97f4a7c15u;
    return h ^ (h >> 32);
}

/* Addresses are 16 bytes with IPv4's unused 12 zero (fc_decode clears them), so two
 * 64-bit loads cover both families without a branch. */
static uint64_t endpoint_hash(const uint8_t *addr, uint16_t port)
{
    return mix(load64(addr) ^ mix(load64(addr + 8) ^ ((uint64_t)port << 48 | 0x5bd1e995u)));
}

/* Symmetric in the endpoints (a sum), so both directions of a flow meet. */
uint32_t flow_key_hash(const struct flow_key *k)
{
    uint64_t h = endpoint_hash(k->src, k->sport) + endpoint_hash(k->dst, k->dport);
    h = mix(h ^ ((uint64_t)k->proto << 24 | (uint64_t)k->ipv << 16 | k->vlan));
    return (uint32_t)(h ^ (h >> 29));
}

void flow_prefetch(const struct flow_table *t, uint32_t hash)
{
    uint32_t s = t->buckets[hash & (t->nbuckets - 1)];
    if (s != FLOW_NONE)
        __builtin_prefetch(flow_at(t, s));
}

void flow_prefetch_bucket(const struct flow_table *t, uint32_t hash)
{
    __builtin_prefetch(&t->buckets[hash & (t->nbuckets - 1)]);
}

/* All 16 address bytes, IPv4's zero tail included (see endpoint_hash): two loads, no call. */
static bool side_is(const struct flow *f, int side, const uint8_t *addr, uint16_t port)
{
    return f->port[side] == port && load64(f->addr[side]) == load64(addr) &&
           load64(f->addr[side] + 8) == load64(addr + 8);
}

uint32_t flow_lookup(const struct flow_table *t, const struct flow_key *k, uint32_t hash, int *dir)
{
    for (uint32_t s = t->buckets[hash & (t->nbuckets - 1)]; s != FLOW_NONE;) {
        const struct flow *f = flow_at(t, s);
        if (f->hash == hash && f->proto == k->proto && f->ipv == k->ipv && f->vlan == k->vlan) {
            if (side_is(f, 0, k->src, k->sport) && side_is(f, 1, k->dst, k->dport))
                return *dir = 0, s;
            if (side_is(f, 1, k->src, k->sport) && side_is(f, 0, k->dst, k->dport))
                return *dir = 1, s;
        }
        s = f->hash_next;
    }
    return FLOW_NONE;
}

static void grow_buckets(struct flow_table *t)
{
    uint32_t n = t->nbuckets * 2;
    uint32_t *nb = fc_huge_calloc((size_t)n * sizeof *nb);
    for (uint32_t b = 0; b < t->nbuckets; b++)
        for (uint32_t s = t->buckets[b]; s != FLOW_NONE;) {
            struct flow *f = flow_at(t, s);
            uint32_t next = f->hash_next, h = f->hash & (n - 1);
            f->hash_next = nb[h];
            nb[h] = s;
            s = next;
        }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
}

static uint32_t slot_alloc(struct flow_table *t)
{
    if (t->free_list != FLOW_NONE) {
        uint32_t s = t->free_list;
        t->free_list = flow_at(t, s)->hash_next;
        return s;
    }
    uint32_t s = t->next_unused++;
    if ((s >> 16) >= t->nchunks) {
        t->chunks = fc_xrealloc(t->chunks, (t->nchunks + 1) * sizeof *t->chunks);
        /* in huge pages (huge.h): a chunk is megabytes, touched flow by flow as the table fills */
        t->chunks[t->nchunks] = fc_huge_alloc(FLOW_CHUNK * sizeof(struct flow));
        t->nchunks++;
    }
    return s;
}

static void lru_unlink(struct flow_table *t, uint32_t slot)
{
    struct flow *f = flow_at(t, slot);
    if (f->lru_prev) {
        flow_at(t, f->lru_prev)->lru_next = f->lru_next;
    } else {
        t->lru_head[f->tclass] = f->lru_next;
        t->head_changes++;
    }
    if (f->lru_next)
        flow_at(t, f->lru_next)->lru_prev = f->lru_prev;
    else
        t->lru_tail[f->tclass] = f->lru_prev;
    f->lru_prev = f->lru_next = FLOW_NONE;
}

static void lru_append(struct flow_table *t, uint32_t slot, enum timeout_class tc)
{
    struct flow *f = flow_at(t, slot);
    f->tclass = (uint8_t)tc;
    f->lru_next = FLOW_NONE;
    f->lru_prev = t->lru_tail[tc];
    if (f->lru_prev) {
        flow_at(t, f->lru_prev)->lru_next = slot;
    } else {
        t->lru_head[tc] = slot;
        t->head_changes++;
    }
    t->lru_tail[tc] = slot;
}

uint32_t flow_insert(struct flow_table *t, const struct flow_key *k, uint32_t hash, int swap, enum timeout_class tc)
{
    if (t->count >= t->nbuckets && t->nbuckets < t->max_buckets)
        grow_buckets(t);
    uint32_t s = slot_alloc(t);
    struct flow *f = flow_at(t, s);
    memset(f, 0, sizeof *f);
    f->hash = hash;
    f->ipv = k->ipv;
    f->proto = k->proto;
    f->vlan = k->vlan;
    memcpy(f->addr[swap], k->src, 16);
    memcpy(f->addr[!swap], k->dst, 16);
    f->port[swap] = k->sport;
    f->port[!swap] = k->dport;
    uint32_t h = hash & (t->nbuckets - 1);
    f->hash_next = t->buckets[h];
    t->buckets[h] = s;
    lru_append(t, s, tc);
    t->count++;
    return s;
}

void flow_remove(struct flow_table *t, uint32_t slot)
{
    struct flow *f = flow_at(t, slot);
    uint32_t *link = &t->buckets[f->hash & (t->nbuckets - 1)];
    while (*link != slot)
        link = &flow_at(t, *link)->hash_next;
    *link = f->hash_next;
    lru_unlink(t, slot);
    f->hash_next = t->free_list;
    t->free_list = slot;
    t->count--;
}

void flow_touch(struct flow_table *t, uint32_t slot, enum timeout_class tc, int64_t clock_us)
{
    struct flow *f = flow_at(t, slot);
    uint64_t lag = clock_us > f->end_us ? ((uint64_t)clock_us - (uint64_t)f->end_us) >> 10 : 0;
    f->clock_lag = lag < UINT32_MAX ? (uint32_t)lag : UINT32_MAX;
    if (t->lru_tail[f->tclass] == slot && f->tclass == tc)
        return;
    lru_unlink(t, slot);
    lru_append(t, slot, tc);
}

uint32_t flow_least_recent(const struct flow_table *t)
{
    uint32_t best = FLOW_NONE;
    for (int c = 0; c < TC_COUNT; c++) {
        uint32_t s = t->lru_head[c];
        if (s && (!best || flow_touched_us(flow_at(t, s)) < flow_touched_us(flow_at(t, best))))
            best = s;
    }
    return best;
}

size_t flow_table_bytes(const struct flow_table *t)
{
    return (size_t)t->nchunks * FLOW_CHUNK * sizeof(struct flow) + (size_t)t->nbuckets * sizeof *t->buckets;
}
