/* \summary: the flow table: slab of flows, hash lookup of both directions, LRU lists per timeout class */
#ifndef FC_FLOW_FLOW_TABLE_H
#define FC_FLOW_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct flow_table {
    struct flow **chunks;       /* slab: flows in chunks of FLOW_CHUNK, never moved */
    uint32_t nchunks;
    uint32_t next_unused;       /* slots below it have been handed out at least once */
    uint32_t free_list;         /* freed slots, linked through hash_next */
    uint32_t *buckets;          /* hash chains of slot numbers */
    uint32_t nbuckets, max_buckets;
    uint32_t count, max_flows;
    uint32_t lru_head[TC_COUNT], lru_tail[TC_COUNT];
    uint64_t head_changes;      /* counts changes of any lru_head: tells a caller that
                                 * remembers something of the heads when it is stale */
};

void flow_table_init(struct flow_table *t, uint32_t max_flows);
void flow_table_free(struct flow_table *t);

static inline struct flow *flow_at(const struct flow_table *t, uint32_t slot)
{
    return &t->chunks[slot >> 16][slot & 0xffff];
}

/* The key's hash, the same from both directions; pass it to lookup and insert. */
uint32_t flow_key_hash(const struct flow_key *k);
/* Hints for packets a few ahead: load the hash's bucket, then the first flow it names. */
void flow_prefetch_bucket(const struct flow_table *t, uint32_t hash);
void flow_prefetch(const struct flow_table *t, uint32_t hash);
/* The flow the packet belongs to, in either direction; *dir = 0 if the packet's sender
 * is the flow's orig. FLOW_NONE if there is none. */
uint32_t flow_lookup(const struct flow_table *t, const struct flow_key *k, uint32_t hash, int *dir);
/* A new zeroed flow with orig = k's sender (or its receiver when swap), in class tc.
 * The table must not be full (flow_table_full). */
uint32_t flow_insert(struct flow_table *t, const struct flow_key *k, uint32_t hash, int swap,
                     enum timeout_class tc);
void flow_remove(struct flow_table *t, uint32_t slot);
static inline int flow_table_full(const struct flow_table *t) { return t->count >= t->max_flows; }

/* A packet joined the flow at packet clock clock_us (never before the flow's end_us): it
 * moves to the tail (most recent end) of class tc's list and notes how far behind the
 * clock its newest packet is (flow_touched_us). */
void flow_touch(struct flow_table *t, uint32_t slot, enum timeout_class tc, int64_t clock_us);
/* The least recently active flow of all classes (for eviction), or FLOW_NONE. */
uint32_t flow_least_recent(const struct flow_table *t);

/* Bytes the table holds for `count` flows (slab + buckets), for the memory report. */
size_t flow_table_bytes(const struct flow_table *t);

#endif
