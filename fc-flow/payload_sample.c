/* \summary: the payload sample: a flow's first payload packets, held until sent as a sample record */
#include "payload_sample.h"

#include <stdlib.h>
#include <string.h>

#include "huge.h"
#include "record.h"
#include "sanitizer.h"
#include "xalloc.h"

/*
 * A sample exists only between a flow's first payload packet and the moment its
 * sample record is written (complete, the TCP flow closed, or the flow ended);
 * then it returns to the pool. All of a sample lives in one buffer of a size class
 * (128 bytes up, two classes per doubling): a small header, then each observation
 * followed by its kept bytes. So a short flow's sample takes one small buffer, not
 * room for every observation it might have had, and little of a buffer is left
 * unused: the pool's memory grows with the run's peak of concurrent samples, and
 * memory fresh from the system is what costs most per flow (its first touch).
 * A sample that outgrows its buffer moves to the next class that fits and
 * gives the old buffer back to that class's free list. Buffers are carved from 2 MB
 * slabs in huge pages (huge.h: a 4 KB page's first touch costs more than the work on
 * it) only while the pool warms up to that peak, never per packet after that.
 * Buffers above the largest pooled class (only with limits well beyond the defaults)
 * come from malloc and go back to the system on release, so a burst of them does not
 * stay held.
 */

#define CLASS_MIN 128u                           /* the smallest buffer */
#define CLASS_POOLED_MAX (SAMPLE_POOLED_CLASSES - 1) /* classes up to 64 KB go back to their free list */
#define SLAB_BYTES FC_HUGE_PAGE                        /* pooled buffers are carved from slabs this size */

/* At the start of its buffer. */
struct sample {
    uint64_t used;          /* bytes of the buffer in use, this header included */
    uint32_t count;         /* observations */
    uint8_t size_class;     /* of the buffer */
};

/* In the buffer after the header, each followed by its kept bytes and padded to 8. */
struct observation {
    int64_t dt_us;
    uint32_t len;           /* payload length as declared by the headers */
    uint32_t kept;          /* bytes that follow */
    uint8_t dir;
};

/* A free buffer holds the link to the next free one of its class. */
struct free_buffer {
    struct free_buffer *next;
};

/* 128, 192, 256, 384, 512, 768, ...: a power of two, or one and a half times it */
static size_t class_size(unsigned c)
{
    size_t power = (size_t)CLASS_MIN << (c / 2);
    return c % 2 ? power + power / 2 : power;
}

static uint64_t padded(uint64_t n) { return (n + 7) & ~(uint64_t)7; }
static uint64_t record_size(uint64_t kept) { return padded(sizeof(struct observation) + kept); }
static const uint64_t header_size = (sizeof(struct sample) + 7) & ~(size_t)7;

void sample_pool_init(struct sample_pool *p, const struct sample_limits *limits)
{
    memset(p, 0, sizeof *p);
    p->limits = *limits;
    p->nslots = 1;
}

static void buffer_release(struct sample_pool *p, void *buffer, unsigned c)
{
    if (c > CLASS_POOLED_MAX) {
        free(buffer);
        return;
    }
    struct free_buffer *b = buffer;
    b->next = p->free_buffers[c];
    p->free_buffers[c] = b;
    FC_POISON((char *)buffer + sizeof *b, class_size(c) - sizeof *b); /* all but the link */
}

/* A new buffer of pooled class c, from the current slab or a new one (the rest of the old
 * slab, less than the largest class, stays unused). */
static void *buffer_carve(struct sample_pool *p, unsigned c)
{
    size_t size = class_size(c);
    if (p->slab_left < size) {
        p->slabs = fc_xrealloc(p->slabs, (p->nslabs + 1) * sizeof *p->slabs);
        p->slabs[p->nslabs++] = p->slab_at = fc_huge_alloc(SLAB_BYTES);
        p->slab_left = SLAB_BYTES;
        FC_POISON(p->slab_at, SLAB_BYTES);
    }
    void *b = p->slab_at;
    p->slab_at += size;
    p->slab_left -= size;
    FC_UNPOISON(b, size);
    return b;
}

static void *buffer_take(struct sample_pool *p, unsigned c)
{
    if (c > CLASS_POOLED_MAX)
        return fc_xmalloc(class_size(c));
    struct free_buffer *b = p->free_buffers[c];
    if (!b)
        return buffer_carve(p, c);
    p->free_buffers[c] = b->next;
    FC_UNPOISON(b, class_size(c));
    return b;
}

void sample_pool_free(struct sample_pool *p)
{
    for (uint32_t i = 1; i < p->nslots; i++)
        if (p->slots[i] && p->slots[i]->size_class > CLASS_POOLED_MAX)
            free(p->slots[i]);
    for (uint32_t i = 0; i < p->nslabs; i++)
        free(p->slabs[i]);
    free(p->slabs);
    free(p->slots);
    free(p->free_slots);
    memset(p, 0, sizeof *p);
}

uint32_t sample_new(struct sample_pool *p)
{
    uint32_t slot;
    if (p->nfree) {
        slot = p->free_slots[--p->nfree];
    } else {
        if (p->nslots >= p->cap) {
            p->cap = p->cap ? p->cap * 2 : 1024;
            p->slots = fc_xrealloc(p->slots, p->cap * sizeof *p->slots);
            p->free_slots = fc_xrealloc(p->free_slots, p->cap * sizeof *p->free_slots);
        }
        slot = p->nslots++;
    }
    struct sample *s = buffer_take(p, 0);
    s->used = header_size;
    s->count = 0;
    s->size_class = 0;
    p->slots[slot] = s;
    return slot;
}

/* Room for `more` bytes after the used ones: the smallest class that fits. */
static struct sample *reserve_bytes(struct sample_pool *p, uint32_t slot, uint64_t more)
{
    struct sample *s = p->slots[slot];
    uint64_t need = s->used + more;
    if (class_size(s->size_class) >= need)
        return s;
    unsigned c = s->size_class + 1u;
    while (class_size(c) < need)
        c++;
    struct sample *grown = buffer_take(p, c);
    memcpy(grown, s, s->used);
    buffer_release(p, s, s->size_class);
    grown->size_class = (uint8_t)c;
    p->slots[slot] = grown;
    return grown;
}

bool sample_add(struct sample_pool *p, uint32_t slot, int dir, uint32_t payload_len, int64_t dt_us,
                const uint8_t *data, size_t captured)
{
    struct sample *s = p->slots[slot];
    if (s->count >= p->limits.packets)
        return true;
    size_t limit = s->count < p->limits.full_packets ? p->limits.full_bytes : p->limits.bytes;
    size_t keep = captured < limit ? captured : limit;
    s = reserve_bytes(p, slot, record_size(keep));
    struct observation *o = (struct observation *)(void *)((uint8_t *)s + s->used);
    o->dir = (uint8_t)dir;
    o->len = payload_len;
    o->dt_us = dt_us < 0 ? 0 : dt_us;
    o->kept = (uint32_t)keep;
    if (keep)
        memcpy(o + 1, data, keep);
    s->used += record_size(keep);
    return ++s->count >= p->limits.packets;
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
    /* [dir, len, dt_us, kept bytes], each written in one piece (stream.h) */
    enum { OBSERVATION_MAX_HEAD = 1 + 3 * FC_MP_MAX_UINT + FC_MP_MAX_HEAD };
    uint64_t at = header_size;
    for (uint32_t i = 0; i < s->count; i++) {
        const struct observation *o = (const void *)((const uint8_t *)s + at);
        uint8_t *out = fc_writer_room(w, OBSERVATION_MAX_HEAD + o->kept);
        out = fc_mp_put_array(out, 4);
        out = fc_mp_put_uint(out, o->dir);
        out = fc_mp_put_uint(out, o->len);
        out = fc_mp_put_int(out, o->dt_us);
        fc_writer_done(w, fc_mp_put_bin(out, o + 1, o->kept));
        at += record_size(o->kept);
    }
    fc_writer_record_done(w);
}

void sample_release(struct sample_pool *p, uint32_t slot)
{
    struct sample *s = p->slots[slot];
    buffer_release(p, s, s->size_class);
    p->slots[slot] = NULL;
    p->free_slots[p->nfree++] = slot;
}
