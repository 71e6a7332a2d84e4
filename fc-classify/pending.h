/* \summary: verdicts waiting for their flow record, in bounded memory */
#ifndef FC_CLASSIFY_PENDING_H
#define FC_CLASSIFY_PENDING_H

/*
 * A flow's verdict exists when its sample is complete, often long before the flow
 * ends; the flow record that carries it comes later. Waiting verdicts live in a
 * ring of fixed size (oldest first) indexed by an open-addressing hash on the flow
 * id. When the ring is full the oldest verdict is dropped (counted as evicted;
 * its flow record then says unknown without a model), so a capture with millions
 * of long-lived flows cannot exhaust memory.
 */
#include <stdbool.h>
#include <stdint.h>

#include "verdict.h"

struct pending_entry {
    uint64_t flow_id;            /* 0 = slot unused or already answered */
    struct verdict verdict;
};

struct pending {
    struct pending_entry *ring;
    uint32_t cap, head, count;   /* ring: next slot to write, slots written so far (<= cap) */
    uint32_t *index;             /* hash: ring slot + 1, 0 = empty */
    uint32_t index_mask;
    uint64_t evicted;
};

void pending_init(struct pending *p, uint32_t cap);
void pending_free(struct pending *p);
void pending_put(struct pending *p, uint64_t flow_id, const struct verdict *v);
/* Removes and returns the verdict of flow_id; false if none waits. */
bool pending_take(struct pending *p, uint64_t flow_id, struct verdict *out);

#endif
