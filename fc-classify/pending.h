/* \summary: verdicts waiting for their flow record, in bounded memory */
#ifndef FC_CLASSIFY_PENDING_H
#define FC_CLASSIFY_PENDING_H

/*
 * A flow's verdict exists when its sample is complete, often long before the flow
 * ends; the flow record that carries it comes later. Waiting verdicts are kept in
 * an open-addressing hash table by flow id, and the order they came in is a ring of
 * fixed size holding just their flow ids (taking a verdict leaves the ring alone). When
 * the ring comes round to a slot whose verdict still waits, that oldest verdict is
 * dropped (counted as evicted; its flow record then says unknown without a model), so
 * a capture with millions of long-lived flows cannot exhaust memory.
 *
 * The table grows with the waiting count, not with the ring, and its probes read flow
 * ids only (eight to a cache line); the ring is written in order.
 */
#include <stdbool.h>
#include <stdint.h>

#include "verdict.h"

struct pending_entry {
    uint32_t slot;               /* its ring slot */
    struct verdict verdict;
};

struct pending {
    uint64_t *ring;              /* flow id put at each ring slot (0 = unused); its verdict still
                                    waits there if the table holds it with this slot */
    uint32_t cap, head;          /* ring size, next slot to write */
    uint64_t *id;                /* hash table of flow ids (0 = empty), a power of two in size, at */
    struct pending_entry *entry; /* most half full; entry[i] goes with id[i] (probes read ids only) */
    uint32_t table_mask, waiting;
    uint64_t evicted;
};

void pending_init(struct pending *p, uint32_t cap);
void pending_free(struct pending *p);
/* Starts loading where flow_id's verdict will go (a table miss costs as much as a small
 * session's scoring): called when the id is known, well before pending_put. */
void pending_prefetch(const struct pending *p, uint64_t flow_id);
void pending_put(struct pending *p, uint64_t flow_id, const struct verdict *v);
/* Removes and returns the verdict of flow_id; false if none waits. */
bool pending_take(struct pending *p, uint64_t flow_id, struct verdict *out);

#endif
