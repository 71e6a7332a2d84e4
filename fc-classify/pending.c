/* \summary: a bounded ring of waiting verdicts with a linear-probing index by flow id */
#include "pending.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void pending_init(struct pending *p, uint32_t cap)
{
    memset(p, 0, sizeof *p);
    p->cap = cap;
    p->ring = fc_xcalloc(cap, sizeof *p->ring);
    uint32_t slots = 2;
    while (slots < 2 * (uint64_t)cap)
        slots *= 2;
    p->index = fc_xcalloc(slots, sizeof *p->index);
    p->index_mask = slots - 1;
}

void pending_free(struct pending *p)
{
    free(p->ring);
    free(p->index);
    memset(p, 0, sizeof *p);
}

static uint32_t home(const struct pending *p, uint64_t id)
{
    id ^= id >> 33;
    id *= 0xff51afd7ed558ccdULL;
    id ^= id >> 33;
    return (uint32_t)id & p->index_mask;
}

/* The index slot holding flow_id, or the empty slot where it would go. */
static uint32_t find(const struct pending *p, uint64_t id)
{
    uint32_t i = home(p, id);
    while (p->index[i] && p->ring[p->index[i] - 1].flow_id != id)
        i = (i + 1) & p->index_mask;
    return i;
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
static void index_remove(struct pending *p, uint32_t i)
{
    uint32_t j = i;
    for (;;) {
        p->index[i] = 0;
        for (;;) {
            j = (j + 1) & p->index_mask;
            if (!p->index[j])
                return;
            uint32_t h = home(p, p->ring[p->index[j] - 1].flow_id);
            /* move j back to i unless its home lies cyclically in (i, j] */
            if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
                continue;
            break;
        }
        p->index[i] = p->index[j];
        i = j;
    }
}

void pending_put(struct pending *p, uint64_t flow_id, const struct verdict *v)
{
    if (!flow_id)
        return;
    struct pending_entry *slot = &p->ring[p->head];
    if (slot->flow_id) { /* the oldest still waits: drop it */
        index_remove(p, find(p, slot->flow_id));
        p->evicted++;
    }
    uint32_t at = find(p, flow_id);
    if (p->index[at]) { /* a second verdict for one flow (damaged input): the newer wins */
        p->ring[p->index[at] - 1].flow_id = 0;
        index_remove(p, at);
        at = find(p, flow_id);
    }
    slot->flow_id = flow_id;
    slot->verdict = *v;
    p->index[at] = p->head + 1;
    p->head = (p->head + 1) % p->cap;
    if (p->count < p->cap)
        p->count++;
}

bool pending_take(struct pending *p, uint64_t flow_id, struct verdict *out)
{
    uint32_t at = find(p, flow_id);
    if (!p->index[at])
        return false;
    struct pending_entry *e = &p->ring[p->index[at] - 1];
    *out = e->verdict;
    e->flow_id = 0;
    index_remove(p, at);
    return true;
}
