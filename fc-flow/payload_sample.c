/* \summary: the payload sample: a flow's first payload packets, held until sent as a sample record */
#include "payload_sample.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "xalloc.h"

/*
 * A sample exists only between a flow's first payload packet and the moment its
 * sample record is written (complete, or the flow ended first); then it returns to
 * the pool's free list with its byte buffer, so a busy run reuses a few buffers
 * instead of allocating per flow, and a long-lived flow costs only its counters.
 * Buffers that grew unusually large are given back to the system on release.
 */

#define SAMPLE_BYTES_START 512u
#define SAMPLE_BYTES_KEEP (64u << 10)

struct observation {
    int64_t dt_us;
    uint32_t len;           /* payload length as declared by the headers */
    uint32_t at, kept;      /* bytes in the sample's buffer */
    uint8_t dir;
};

struct sample {
    uint32_t count;
    uint32_t next_free;
    uint8_t *bytes;
    size_t used, cap;
    struct observation obs[];
};

void sample_pool_init(struct sample_pool *p, const struct sample_limits *limits)
{
    memset(p, 0, sizeof *p);
    p->limits = *limits;
    p->nslots = 1;
}

void sample_pool_free(struct sample_pool *p)
{
    for (uint32_t i = 1; i < p->nslots; i++) {
        free(p->slots[i]->bytes);
        free(p->slots[i]);
    }
    free(p->slots);
    memset(p, 0, sizeof *p);
}

uint32_t sample_new(struct sample_pool *p)
{
    uint32_t slot = p->free_list;
    if (slot) {
        p->free_list = p->slots[slot]->next_free;
    } else {
        if (p->nslots >= p->cap) {
            p->cap = p->cap ? p->cap * 2 : 1024;
            p->slots = fc_xrealloc(p->slots, p->cap * sizeof *p->slots);
        }
        slot = p->nslots++;
        p->slots[slot] = fc_xcalloc(1, sizeof(struct sample) + p->limits.packets * sizeof(struct observation));
    }
    struct sample *s = p->slots[slot];
    s->count = 0;
    s->used = 0;
    s->next_free = 0;
    return slot;
}

static void reserve_bytes(struct sample *s, size_t more)
{
    if (s->cap - s->used >= more)
        return;
    size_t cap = s->cap ? s->cap : SAMPLE_BYTES_START;
    while (cap - s->used < more)
        cap *= 2;
    s->bytes = fc_xrealloc(s->bytes, cap);
    s->cap = cap;
}

bool sample_add(struct sample_pool *p, uint32_t slot, int dir, uint32_t payload_len, int64_t dt_us,
                const uint8_t *data, size_t captured)
{
    struct sample *s = p->slots[slot];
    if (s->count >= p->limits.packets)
        return true;
    size_t keep = captured;
    if (s->count >= p->limits.full_packets && keep > p->limits.bytes)
        keep = p->limits.bytes;
    reserve_bytes(s, keep);
    struct observation *o = &s->obs[s->count++];
    o->dir = (uint8_t)dir;
    o->len = payload_len;
    o->dt_us = dt_us < 0 ? 0 : dt_us;
    o->at = (uint32_t)s->used;
    o->kept = (uint32_t)keep;
    if (keep)
        memcpy(s->bytes + s->used, data, keep);
    s->used += keep;
    return s->count >= p->limits.packets;
}

uint32_t sample_count(const struct sample_pool *p, uint32_t slot) { return p->slots[slot]->count; }

void sample_write(const struct sample_pool *p, uint32_t slot, struct fc_writer *w, const struct fc_flow *snapshot)
{
    const struct sample *s = p->slots[slot];
    msgpack_packer *pk = fc_writer_packer(w);
    msgpack_pack_map(pk, 3 + fc_flow_field_count(snapshot));
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_SAMPLE);
    fc_flow_pack_fields(pk, snapshot);
    fc_pack_kv_uint(pk, FC_KEY_PAYLOAD_PKTS, s->count);
    fc_pack_str(pk, FC_KEY_OBS);
    msgpack_pack_array(pk, s->count);
    for (uint32_t i = 0; i < s->count; i++) {
        const struct observation *o = &s->obs[i];
        msgpack_pack_array(pk, 4);
        msgpack_pack_uint8(pk, o->dir);
        msgpack_pack_uint32(pk, o->len);
        msgpack_pack_int64(pk, o->dt_us);
        msgpack_pack_bin(pk, o->kept);
        msgpack_pack_bin_body(pk, s->bytes + o->at, o->kept);
    }
    fc_writer_record_done(w);
}

void sample_release(struct sample_pool *p, uint32_t slot)
{
    struct sample *s = p->slots[slot];
    if (s->cap > SAMPLE_BYTES_KEEP) {
        free(s->bytes);
        s->bytes = NULL;
        s->cap = 0;
    }
    s->next_free = p->free_list;
    p->free_list = slot;
}
