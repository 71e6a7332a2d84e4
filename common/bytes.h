/* \summary: endian loads/stores and a bounds-checked byte cursor for untrusted data */
#ifndef FC_BYTES_H
#define FC_BYTES_H

/*
 * Every read of untrusted bytes (packets, record payloads, model files) goes
 * through a struct fc_cursor. A read past the end does not touch memory: it
 * sets cur->bad and returns 0, so decoders can read a whole header and check
 * fc_cursor_ok() once, as tcpdump's GET_ macros do.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t fc_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t fc_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t fc_be64(const uint8_t *p) { return (uint64_t)fc_be32(p) << 32 | fc_be32(p + 4); }
static inline uint16_t fc_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t fc_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t fc_le64(const uint8_t *p) { return (uint64_t)fc_le32(p) | (uint64_t)fc_le32(p + 4) << 32; }

static inline void fc_put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void fc_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline void fc_put_be64(uint8_t *p, uint64_t v) { fc_put_be32(p, (uint32_t)(v >> 32)); fc_put_be32(p + 4, (uint32_t)v); }
static inline void fc_put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void fc_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void fc_put_le64(uint8_t *p, uint64_t v) { fc_put_le32(p, (uint32_t)v); fc_put_le32(p + 4, (uint32_t)(v >> 32)); }

struct fc_cursor {
    const uint8_t *p;   /* next unread byte */
    size_t left;        /* bytes left */
    bool bad;           /* a read went past the end */
};

static inline struct fc_cursor fc_cursor_make(const uint8_t *p, size_t len)
{
    struct fc_cursor c = { p, len, false };
    return c;
}

static inline bool fc_cursor_ok(const struct fc_cursor *c) { return !c->bad; }

/* Returns a pointer to n bytes and advances, or NULL (and marks bad) if fewer are left. */
static inline const uint8_t *fc_cursor_take(struct fc_cursor *c, size_t n)
{
    if (c->bad || n > c->left) {
        c->bad = true;
        return NULL;
    }
    const uint8_t *at = c->p;
    c->p += n;
    c->left -= n;
    return at;
}

static inline bool fc_cursor_skip(struct fc_cursor *c, size_t n) { return fc_cursor_take(c, n) != NULL; }

static inline uint8_t fc_cursor_u8(struct fc_cursor *c)
{
    const uint8_t *p = fc_cursor_take(c, 1);
    return p ? p[0] : 0;
}
static inline uint16_t fc_cursor_be16(struct fc_cursor *c)
{
    const uint8_t *p = fc_cursor_take(c, 2);
    return p ? fc_be16(p) : 0;
}
static inline uint32_t fc_cursor_be32(struct fc_cursor *c)
{
    const uint8_t *p = fc_cursor_take(c, 4);
    return p ? fc_be32(p) : 0;
}
static inline uint16_t fc_cursor_le16(struct fc_cursor *c)
{
    const uint8_t *p = fc_cursor_take(c, 2);
    return p ? fc_le16(p) : 0;
}
static inline uint32_t fc_cursor_le32(struct fc_cursor *c)
{
    const uint8_t *p = fc_cursor_take(c, 4);
    return p ? fc_le32(p) : 0;
}
static inline uint64_t fc_cursor_le64(struct fc_cursor *c)
{
    const uint8_t *p = fc_cursor_take(c, 8);
    return p ? fc_le64(p) : 0;
}

#endif
