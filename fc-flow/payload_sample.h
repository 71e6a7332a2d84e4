/* \summary: the payload sample: a flow's first payload packets, held until sent as a sample record */
#ifndef FC_FLOW_PAYLOAD_SAMPLE_H
#define FC_FLOW_PAYLOAD_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow_record.h"
#include "stream.h"

struct sample_limits {
    uint32_t packets;       /* observations per flow */
    uint32_t full_packets;  /* the first this many keep up to full_bytes */
    uint32_t full_bytes;    /* bytes kept of a full packet */
    uint32_t bytes;         /* the others keep their first this many bytes */
};

struct sample;
struct free_buffer;

#define SAMPLE_POOLED_CLASSES 19u /* buffer size classes kept for reuse: 128 bytes .. 64 KB */

struct sample_pool {
    struct sample_limits limits;
    struct sample **slots;  /* slot 0 unused; NULL while free */
    uint32_t *free_slots;   /* numbers of the free slots (a stack) */
    uint32_t nslots, nfree, cap;
    struct free_buffer *free_buffers[SAMPLE_POOLED_CLASSES]; /* unused buffers per size class */
    uint8_t **slabs;        /* where the pooled buffers are carved from (payload_sample.c) */
    uint32_t nslabs;
    uint8_t *slab_at;       /* the rest of the newest slab */
    size_t slab_left;
};

void sample_pool_init(struct sample_pool *p, const struct sample_limits *limits);
void sample_pool_free(struct sample_pool *p);

/* A new empty sample; returns its slot (never 0). */
uint32_t sample_new(struct sample_pool *p);
/* Adds one observation; true when the sample is now complete. */
bool sample_add(struct sample_pool *p, uint32_t slot, int dir, uint32_t payload_len, int64_t dt_us,
                const uint8_t *data, size_t captured);
uint32_t sample_count(const struct sample_pool *p, uint32_t slot);
/* Writes {"k":3, flow fields of `snapshot`, "payload_pkts", "obs"}. */
void sample_write(const struct sample_pool *p, uint32_t slot, struct fc_writer *w, const struct fc_flow *snapshot);
void sample_release(struct sample_pool *p, uint32_t slot);

#endif
