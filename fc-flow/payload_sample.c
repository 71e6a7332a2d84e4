/* \summary: the payload sample: a flow's first payload packets, held until sent as a sample record */
#include "payload_sample.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "xalloc.h"

/*
 * A sample exists only between a flow's first payload packet and the moment its
 * sample record is written (complete, the TCP flow closed, or the flow ended);
 * then it returns to the pool's free list. Its kept bytes live in one buffer of a
 * size class (512 bytes doubling up); a sample that outgrows its buffer moves to
 * the next class that fits and gives the old buffer back to that class's free
 * list. Buffers are allocated only while the pool warms up to the run's peak of
 * concurrent samples, never per packet after that. Buffers above the largest
 * pooled class (only with limits well beyond the defaults) go back to the system
 * on release, so a burst of them does not stay held.
 */

#define CLASS_MIN_SHIFT 9u        /* the smallest buffer: 512 bytes */
#define CLASS_POOLED_MAX 7u       /* classes up to 64 KB go back to their free list */

struct observation {
    int64_t dt_us;
    uint32_t len;           /* payload length as declared by the headers */
    uint32_t at, kept;      /* bytes in the sample's buffer */
    uint8_t dir;
};

struct sample {
    uint32_t count;
    uint32_t next_free;
    uint8_t *bytes;         /* NULL until the first kept byte */
    uint32_t used;
    uint8_t size_class;     /* of `bytes` */
    struct observation obs[];
};

/* A free buffer holds the link to the next free one of its class. */
struct free_buffer {
    struct free_buffer *next;
};

static size_t class_size(unsigned c) { return (size_t)1 << (CLASS_MIN_SHIFT + c); }

void sample_pool_init(struct sample_pool *p, const struct sample_limits *limits)
{
    memset(p, 0, sizeof *p);
    p->limits = *limits;
    p->nslots = 1;
}

static void buffer_release(struct sample_pool *p, uint8_t *bytes, unsigned c)
{
    if (c > CLASS_POOLED_MAX) {
        free(bytes);
        return;
    }
    struct free_buffer *b = (struct free_buffer *)(void *)bytes;
    b->next = p->free_buffers[c];
    p->free_buffers[c] = b;
}

static uint8_t *buffer_take(struct sample_pool *p, unsigned c)
{
    struct free_buffer *b = p->free_buffers[c];
    if (!b)
        return fc_xmalloc(class_size(c));
    p->free_buffers[c] = b->next;
    return (uint8_t *)b;
}

void sample_pool_free(struct sample_pool *p)
{
    for (uint32_t i = 1; i < p->nslots; i++) {
        free(p->slots[i]->bytes);
        free(p->slots[i]);
    }
    for (unsigned c = 0; c < SAMPLE_CLASS_COUNT; c++)
        while (p->free_buffers[c]) {
            struct free_buffer *next = p->free_buffers[c]->next;
            free(p->free_buffers[c]);
            p->free_buffers[c] = next;
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
        p->slots[slot] = fc_xmalloc(sizeof(struct sample) + p->limits.packets * sizeof(struct observation));
    }
    struct sample *s = p->slots[slot];
    s->count = 0;
    s->used = 0;
    s->next_free = 0;
    s->bytes = NULL;
    s->size_class = 0;
    return slot;
}

/* Room for `more` bytes after the used ones: the smallest class that fits. */
static void reserve_bytes(struct sample_pool *p, struct sample *s, size_t more)
{
    size_t need = s->used + more;
    if (s->bytes && class_size(s->size_class) >= need)
        return;
    unsigned c = s->bytes ? s->size_class + 1u : 0u;
    while (class_size(c) < need)
        c++;
    uint8_t *bytes = buffer_take(p, c);
    if (s->bytes) {
        memcpy(bytes, s->bytes, s->used);
        buffer_release(p, s->bytes, s->size_class);
    }
    s->bytes = bytes;
    s->size_class = (uint8_t)c;
}

bool sample_add(struct sample_pool *p, uint32_t slot, int dir, uint32_t payload_len, int64_t dt_us,
                const uint8_t *data, size_t captured)
{
    struct sample *s = p->slots[slot];
    if (s->count >= p->limits.packets)
        return true;
    size_t limit = s->count < p->limits.full_packets ? p->limits.full_bytes : p->limits.bytes;
    size_t keep = captured < limit ? captured : limit;
    if (keep)
        reserve_bytes(p, s, keep);
    struct observation *o = &s->obs[s->count++];
    o->dir = (uint8_t)dir;
    o->len = payload_len;
    o->dt_us = dt_us < 0 ? 0 : dt_us;
    o->at = s->used;
    o->kept = (uint32_t)keep;
    if (keep)
        memcpy(s->bytes + s->used, data, keep);
    s->used += (uint32_t)keep;
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
        if (o->kept)
            msgpack_pack_bin_body(pk, s->bytes + o->at, o->kept);
    }
    fc_writer_record_done(w);
}

void sample_release(struct sample_pool *p, uint32_t slot)
{
    struct sample *s = p->slots[slot];
    if (s->bytes)
        buffer_release(p, s->bytes, s->size_class);
    s->bytes = NULL;
    s->next_free = p->free_list;
    p->free_list = slot;
}
