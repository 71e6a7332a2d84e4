/* \summary: waiting verdicts: a hash table by flow id, sized to how many wait, and a ring of arrival order */
#include "pending.h"

#include <stdlib.h>
#include <string.h>

#include "huge.h"
#include "xalloc.h"

#define TABLE_START 1024u

void pending_init(struct pending *p, uint32_t cap)
{
    memset(p, 0, sizeof *p);
    p->cap = cap;
    p->ring = fc_xcalloc(cap, sizeof *p->ring);
    p->id = fc_huge_calloc(TABLE_START * sizeof *p->id);
    p->entry = fc_huge_calloc(TABLE_START * sizeof *p->entry);
    p->table_mask = TABLE_START - 1;
}

void pending_free(struct pending *p)
{
    free(p->ring);
    free(p->id);
    free(p->entry);
    memset(p, 0, sizeof *p);
}

/* Flow ids mostly count up and verdicts are mostly taken in about the order they came, so
 * runs of 8 consecutive ids keep neighbouring slots (their ids share a cache line, their
 * entries lie side by side) while the runs themselves are spread by a mixing hash. */
#define RUN 8u

static uint32_t home(const struct pending *p, uint64_t id)
{
    uint64_t run = id / RUN;
    run ^= run >> 33;
    run *= 0xff51afd7ed558ccdULL;
    run ^= run >> 33;
    return (uint32_t)(run * RUN + id % RUN) & p->table_mask;
}

/* The table slot holding flow_id, or the empty slot where it would go. */
static uint32_t find(const struct pending *p, uint64_t id)
{
    uint32_t i = home(p, id);
    while (p->id[i] && p->id[i] != id)
        i = (i + 1) & p->table_mask;
    return i;
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
static void table_remove(struct pending *p, uint32_t i)
{
    uint32_t j = i;
    for (;;) {
        p->id[i] = 0;
        for (;;) {
            j = (j + 1) & p->table_mask;
            if (!p->id[j])
                goto removed;
            uint32_t h = home(p, p->id[j]);
            /* move j back to i unless its home lies cyclically in (i, j] */
            if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
                continue;
            break;
        }
        p->id[i] = p->id[j];
        p->entry[i] = p->entry[j];
        i = j;
    }
removed:
    p->waiting--;
}

/* Doubles the table (never beyond twice the ring: at most cap verdicts wait). */
static void table_grow(struct pending *p)
{
    uint64_t *old_id = p->id;
    struct pending_entry *old_entry = p->entry;
    uint32_t old_size = p->table_mask + 1;
    p->id = fc_huge_calloc((size_t)old_size * 2 * sizeof *p->id);
    p->entry = fc_huge_calloc((size_t)old_size * 2 * sizeof *p->entry);
    p->table_mask = old_size * 2 - 1;
    for (uint32_t i = 0; i < old_size; i++)
        if (old_id[i]) {
            uint32_t at = find(p, old_id[i]);
            p->id[at] = old_id[i];
            p->entry[at] = old_entry[i];
        }
    free(old_id);
    free(old_entry);
}

void pending_prefetch(const struct pending *p, uint64_t flow_id)
{
#ifdef __GNUC__
    uint32_t at = home(p, flow_id);
    __builtin_prefetch(&p->id[at], 1);
    __builtin_prefetch(&p->entry[at], 1);
#else
    (void)p;
    (void)flow_id;
#endif
}

void pending_put(struct pending *p, uint64_t flow_id, const struct verdict *v)
{
    if (!flow_id)
        return;
    uint64_t oldest = p->ring[p->head];
    if (oldest) {
        uint32_t at = find(p, oldest);
        if (p->id[at] && p->entry[at].slot == p->head) { /* the oldest still waits: drop it */
            table_remove(p, at);
            p->evicted++;
        }
    }
    uint32_t at = find(p, flow_id);
    if (!p->id[at]) { /* else a second verdict for one flow (damaged input): the newer wins */
        if (2 * (p->waiting + 1) > p->table_mask + 1) {
            table_grow(p);
            at = find(p, flow_id);
        }
        p->waiting++;
    }
    p->id[at] = flow_id;
    p->entry[at] = (struct pending_entry){ .slot = p->head, .verdict = *v };
    p->ring[p->head] = flow_id;
    p->head = p->head + 1 == p->cap ? 0 : p->head + 1;
}

bool pending_take(struct pending *p, uint64_t flow_id, struct verdict *out)
{
    uint32_t at = find(p, flow_id);
    if (!p->id[at])
        return false;
    *out = p->entry[at].verdict;
    table_remove(p, at);
    return true;
}
