/* \summary: untrusted msgpack bytes: the extent of one object without decoding it, and decoding it once framed */
#include "mpscan.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "log.h"
#include "xalloc.h"

/*
 * Walks the object counting items still owed by containers. Each item needs at
 * least one byte, so an item count larger than the record size limit can only be
 * a lie: it is reported as FC_MPSCAN_TOO_LARGE before anything is allocated.
 */

static size_t be_len(const uint8_t *p, int width)
{
    return width == 1 ? p[0] : width == 2 ? fc_be16(p) : fc_be32(p);
}

enum fc_mpscan_result fc_mpscan(const uint8_t *p, size_t avail, size_t limit, size_t *len)
{
    size_t pos = 0;
    uint64_t owed = 1;
    while (owed > 0) {
        if (owed > limit)
            return FC_MPSCAN_TOO_LARGE;
        if (pos >= avail)
            return pos >= limit ? FC_MPSCAN_TOO_LARGE : FC_MPSCAN_NEED_MORE;
        /* most items are small ints, short strings and small maps and arrays: those at once,
         * when the checks below could not object */
        uint8_t h = p[pos];
        if (h <= 0x9f && pos < limit) {
            pos++;
            owed += h <= 0x7f ? 0 : h <= 0x8f ? 2u * (h & 0x0f) : h & 0x0fu;
            owed--;
            continue;
        }
        if ((h & 0xe0) == 0xa0 && pos + 1 + (h & 0x1fu) <= limit && avail - pos - 1 >= (h & 0x1fu)) {
            pos += 1 + (h & 0x1fu);
            owed--;
            continue;
        }
        uint8_t b = p[pos++];
        owed--;
        size_t skip = 0;          /* payload bytes after the header */
        int width = 0;            /* width of a length field */
        int kind = 0;             /* 0 = bytes, 1 = array, 2 = map, 3 = ext (1 type byte) */
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            skip = 0;
        } else if (b >= 0x80 && b <= 0x8f) {
            owed += 2u * (b & 0x0f);
        } else if (b >= 0x90 && b <= 0x9f) {
            owed += b & 0x0f;
        } else if (b >= 0xa0 && b <= 0xbf) {
            skip = b & 0x1f;
        } else {
            switch (b) {
            case 0xc1: return FC_MPSCAN_INVALID;
            case 0xc4: case 0xd9: width = 1; break;
            case 0xc5: case 0xda: width = 2; break;
            case 0xc6: case 0xdb: width = 4; break;
            case 0xc7: width = 1; kind = 3; break;
            case 0xc8: width = 2; kind = 3; break;
            case 0xc9: width = 4; kind = 3; break;
            case 0xca: skip = 4; break;
            case 0xcb: skip = 8; break;
            case 0xcc: case 0xd0: skip = 1; break;
            case 0xcd: case 0xd1: skip = 2; break;
            case 0xce: case 0xd2: skip = 4; break;
            case 0xcf: case 0xd3: skip = 8; break;
            case 0xd4: skip = 2; break;
            case 0xd5: skip = 3; break;
            case 0xd6: skip = 5; break;
            case 0xd7: skip = 9; break;
            case 0xd8: skip = 17; break;
            case 0xdc: width = 2; kind = 1; break;
            case 0xdd: width = 4; kind = 1; break;
            case 0xde: width = 2; kind = 2; break;
            case 0xdf: width = 4; kind = 2; break;
            default: return FC_MPSCAN_INVALID;
            }
        }
        if (width) {
            if (avail - pos < (size_t)width)
                return pos + (size_t)width > limit ? FC_MPSCAN_TOO_LARGE : FC_MPSCAN_NEED_MORE;
            size_t n = be_len(p + pos, width);
            pos += (size_t)width;
            if (kind == 1)
                owed += n;
            else if (kind == 2)
                owed += 2u * (uint64_t)n;
            else
                skip = n + (kind == 3 ? 1 : 0);
        }
        if (skip > limit || pos + skip > limit)
            return FC_MPSCAN_TOO_LARGE;
        if (avail - pos < skip)
            return FC_MPSCAN_NEED_MORE;
        pos += skip;
    }
    *len = pos;
    return FC_MPSCAN_OK;
}

/* ---- decoding a framed object ---- */

#define FIRST_CHUNK 4096   /* objects; each later chunk twice the one before */
#define KEPT_CHUNKS 4      /* chunks kept between records; larger ones only while a large record needs them */

void fc_mpdecoder_init(struct fc_mpdecoder *d) { memset(d, 0, sizeof *d); }

void fc_mpdecoder_free(struct fc_mpdecoder *d)
{
    for (unsigned k = 0; k < FC_MPDECODE_CHUNKS; k++)
        free(d->chunk[k]);
    memset(d, 0, sizeof *d);
}

/* n contiguous objects (a container's items); they stay put until the decoder is reset. */
static msgpack_object *arena_take(struct fc_mpdecoder *d, size_t n)
{
    while (!d->chunk[d->cur] || d->cap[d->cur] - d->used < n) {
        if (d->chunk[d->cur]) {
            if (d->cur + 1 == FC_MPDECODE_CHUNKS) /* cannot happen: caps double past any record */
                fc_die(FC_EXIT_SYSTEM, "msgpack decoder: out of arena chunks");
            d->cur++;
            d->used = 0;
        }
        if (!d->chunk[d->cur]) {
            size_t cap = (size_t)FIRST_CHUNK << d->cur;
            d->cap[d->cur] = cap > n ? cap : n;
            d->chunk[d->cur] = fc_xmalloc(d->cap[d->cur] * sizeof(msgpack_object));
        }
    }
    msgpack_object *o = d->chunk[d->cur] + d->used;
    d->used += n;
    return o;
}

static void arena_reset(struct fc_mpdecoder *d)
{
    for (unsigned k = KEPT_CHUNKS; k <= d->cur && k < FC_MPDECODE_CHUNKS; k++) {
        free(d->chunk[k]);
        d->chunk[k] = NULL;
    }
    d->cur = 0;
    d->used = 0;
}

struct decode {
    struct fc_mpdecoder *d;
    const uint8_t *end;
    /* msgpack-c's "n": where the last object's fixed-size part began; an empty str or bin
     * points there (msgpack-c gives such an object no pointer of its own) */
    const uint8_t *n;
};

static const uint8_t *decode_item(struct decode *st, const uint8_t *p, unsigned depth, msgpack_object *o);

static uint64_t be_uint(const uint8_t *p, unsigned width)
{
    switch (width) {
    case 1: return p[0];
    case 2: return fc_be16(p);
    case 4: return fc_be32(p);
    default: return fc_be64(p);
    }
}

static int64_t be_int(const uint8_t *p, unsigned width)
{
    switch (width) {
    case 1: return (int8_t)p[0];
    case 2: return (int16_t)fc_be16(p);
    case 4: return (int32_t)fc_be32(p);
    default: return (int64_t)be_uint(p, 8);
    }
}

static void set_int(msgpack_object *o, int64_t v)
{
    if (v >= 0) {
        o->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
        o->via.u64 = (uint64_t)v;
    } else {
        o->type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
        o->via.i64 = v;
    }
}

/* A str or bin body of size bytes at p (str and bin share their layout in msgpack_object). */
static const uint8_t *decode_body(struct decode *st, const uint8_t *p, uint64_t size, msgpack_object_type type,
                                  msgpack_object *o)
{
    const uint8_t *body = st->n; /* an empty one points where msgpack-c's n does */
    if (size > 0) {
        if ((uint64_t)(st->end - p) < size)
            return NULL;
        body = st->n = p;
    }
    o->type = type;
    o->via.str.size = (uint32_t)size;
    o->via.str.ptr = (const char *)body;
    return p + size;
}

static const uint8_t *decode_container(struct decode *st, const uint8_t *p, uint64_t count, bool map, unsigned depth,
                                       msgpack_object *o)
{
    if (depth >= FC_MPDECODE_MAX_DEPTH)
        return NULL;
    if (count > (uint64_t)(st->end - p)) /* every item is at least one byte */
        return NULL;
    size_t n = map ? 2 * count : count;
    msgpack_object *items = arena_take(st->d, n);
    for (size_t i = 0; i < n; i++) {
        /* most items are small ints, short strings (keys), unsigned ints and short bins
         * (addresses): those without a call, exactly as decode_item takes them */
        size_t left = (size_t)(st->end - p);
        uint8_t h = left ? *p : 0xc1;
        if (h <= 0x7f) {
            items[i].type = MSGPACK_OBJECT_POSITIVE_INTEGER;
            items[i].via.u64 = *p++;
        } else if ((h & 0xe0) == 0xa0 && (h & 0x1f) && left > (h & 0x1fu)) {
            uint32_t size = h & 0x1fu;
            st->n = ++p;
            items[i].type = MSGPACK_OBJECT_STR;
            items[i].via.str.size = size;
            items[i].via.str.ptr = (const char *)p;
            p += size;
        } else if ((h & 0xfc) == 0xcc && left > (1u << (h & 3))) { /* uint 8, 16, 32, 64 */
            unsigned w = 1u << (h & 3);
            st->n = ++p;
            items[i].type = MSGPACK_OBJECT_POSITIVE_INTEGER;
            items[i].via.u64 = be_uint(p, w);
            p += w;
        } else if (h == 0xc4 && left > 1 && p[1] && left - 2 >= p[1]) { /* bin 8, not empty */
            uint32_t size = p[1];
            st->n = p + 2;
            items[i].type = MSGPACK_OBJECT_BIN;
            items[i].via.bin.size = size;
            items[i].via.bin.ptr = (const char *)p + 2;
            p += 2 + size;
        } else if (!(p = decode_item(st, p, depth + 1, &items[i]))) {
            return NULL;
        }
    }
    o->type = map ? MSGPACK_OBJECT_MAP : MSGPACK_OBJECT_ARRAY;
    if (map) {
        o->via.map.size = (uint32_t)count;
        o->via.map.ptr = (msgpack_object_kv *)(void *)items;
    } else {
        o->via.array.size = (uint32_t)count;
        o->via.array.ptr = items;
    }
    return p;
}

/* An ext of trail bytes (type byte and data) at p. */
static const uint8_t *decode_ext(struct decode *st, const uint8_t *p, uint64_t trail, msgpack_object *o)
{
    if ((uint64_t)(st->end - p) < trail)
        return NULL;
    st->n = p;
    o->type = MSGPACK_OBJECT_EXT;
    o->via.ext.type = (int8_t)p[0];
    o->via.ext.size = (uint32_t)(trail - 1);
    o->via.ext.ptr = (const char *)p + 1;
    return p + trail;
}

static const uint8_t *decode_item(struct decode *st, const uint8_t *p, unsigned depth, msgpack_object *o)
{
    if (p >= st->end)
        return NULL;
    uint8_t b = *p++;
    if (b <= 0x7f) {
        o->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
        o->via.u64 = b;
        return p;
    }
    if (b >= 0xe0) {
        o->type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
        o->via.i64 = (int8_t)b;
        return p;
    }
    if (b >= 0xa0 && b <= 0xbf)
        return decode_body(st, p, b & 0x1f, MSGPACK_OBJECT_STR, o);
    if (b <= 0x8f)
        return decode_container(st, p, b & 0x0f, true, depth, o);
    if (b <= 0x9f)
        return decode_container(st, p, b & 0x0f, false, depth, o);
    /* 0xc0..0xdf: a fixed-size part of `width` bytes follows (msgpack-c's n points at it) */
    static const uint8_t width[32] = {
        [0x04] = 1, [0x05] = 2, [0x06] = 4, [0x07] = 1, [0x08] = 2, [0x09] = 4, [0x0a] = 4, [0x0b] = 8,
        [0x0c] = 1, [0x0d] = 2, [0x0e] = 4, [0x0f] = 8, [0x10] = 1, [0x11] = 2, [0x12] = 4, [0x13] = 8,
        [0x14] = 2, [0x15] = 3, [0x16] = 5, [0x17] = 9, [0x18] = 17, [0x19] = 1, [0x1a] = 2, [0x1b] = 4,
        [0x1c] = 2, [0x1d] = 4, [0x1e] = 2, [0x1f] = 4,
    };
    unsigned w = width[b & 0x1f];
    if (w) {
        if ((size_t)(st->end - p) < w)
            return NULL;
        st->n = p;
    }
    switch (b) {
    case 0xc0: o->type = MSGPACK_OBJECT_NIL; return p;
    case 0xc2:
    case 0xc3:
        o->type = MSGPACK_OBJECT_BOOLEAN;
        o->via.boolean = b == 0xc3;
        return p;
    case 0xc4: case 0xc5: case 0xc6:
        return decode_body(st, p + w, be_uint(p, w), MSGPACK_OBJECT_BIN, o);
    case 0xc7: case 0xc8: case 0xc9:
        return decode_ext(st, p + w, be_uint(p, w) + 1, o);
    case 0xca: {
        uint32_t bits = fc_be32(p);
        float f;
        memcpy(&f, &bits, sizeof f);
        o->type = MSGPACK_OBJECT_FLOAT32;
        o->via.f64 = f;
        return p + w;
    }
    case 0xcb: {
        uint64_t bits = be_uint(p, 8);
        double f;
        memcpy(&f, &bits, sizeof f);
        o->type = MSGPACK_OBJECT_FLOAT64;
        o->via.f64 = f;
        return p + w;
    }
    case 0xcc: case 0xcd: case 0xce: case 0xcf:
        o->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
        o->via.u64 = be_uint(p, w);
        return p + w;
    case 0xd0: case 0xd1: case 0xd2: case 0xd3:
        set_int(o, be_int(p, w));
        return p + w;
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
        return decode_ext(st, p, w, o);
    case 0xd9: case 0xda: case 0xdb:
        return decode_body(st, p + w, be_uint(p, w), MSGPACK_OBJECT_STR, o);
    case 0xdc: case 0xdd:
        return decode_container(st, p + w, be_uint(p, w), false, depth, o);
    case 0xde: case 0xdf:
        return decode_container(st, p + w, be_uint(p, w), true, depth, o);
    default: return NULL; /* 0xc1 */
    }
}

bool fc_mpdecode_prefix(struct fc_mpdecoder *d, const uint8_t *p, size_t avail, msgpack_object *out, size_t *len)
{
    arena_reset(d);
    struct decode st = { .d = d, .end = p + avail, .n = NULL };
    const uint8_t *end = decode_item(&st, p, 0, out);
    if (!end)
        return false;
    *len = (size_t)(end - p);
    return true;
}

bool fc_mpdecode(struct fc_mpdecoder *d, const uint8_t *p, size_t len, msgpack_object *out)
{
    size_t used;
    return fc_mpdecode_prefix(d, p, len, out, &used) && used == len;
}
