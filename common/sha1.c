/* \summary: SHA-1 (FIPS 180-4), for Community ID and the deterministic flow identifiers */
#include "sha1.h"

#include <string.h>

#include "bytes.h"

static uint32_t rotl(uint32_t x, unsigned n) { return x << n | x >> (32 - n); }

/* FIPS 180-4 §6.1.2: one 512-bit block. */
static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = fc_be32(p + 4 * t);
    for (int t = 16; t < 80; t++)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    /* Four loops of 20 rounds, one per round function, so no round branches. */
#define SHA1_ROUND(f, k, t)                                                  \
    do {                                                                     \
        uint32_t tmp = rotl(a, 5) + (f) + e + (k) + w[t];                    \
        e = d;                                                               \
        d = c;                                                               \
        c = rotl(b, 30);                                                     \
        b = a;                                                               \
        a = tmp;                                                             \
    } while (0)
    for (int t = 0; t < 20; t++)
        SHA1_ROUND((b & c) | (~b & d), 0x5a827999u, t);
    for (int t = 20; t < 40; t++)
        SHA1_ROUND(b ^ c ^ d, 0x6ed9eba1u, t);
    for (int t = 40; t < 60; t++)
        SHA1_ROUND((b & c) | (b & d) | (c & d), 0x8f1bbcdcu, t);
    for (int t = 60; t < 80; t++)
        SHA1_ROUND(b ^ c ^ d, 0xca62c1d6u, t);
#undef SHA1_ROUND
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void fc_sha1_init(struct fc_sha1 *c)
{
    static const uint32_t initial[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    memcpy(c->h, initial, sizeof initial);
    c->total = 0;
    c->used = 0;
}

void fc_sha1_update(struct fc_sha1 *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    c->total += len;
    while (len > 0) {
        size_t take = sizeof c->block - c->used;
        if (take > len)
            take = len;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        len -= take;
        if (c->used == sizeof c->block) {
            sha1_block(c->h, c->block);
            c->used = 0;
        }
    }
}

void fc_sha1_final(struct fc_sha1 *c, uint8_t digest[FC_SHA1_LEN])
{
    uint64_t bits = c->total * 8;
    /* 0x80, zeros up to 56 bytes into a block, then the length: padded in place. */
    c->block[c->used++] = 0x80;
    if (c->used > 56) {
        memset(c->block + c->used, 0, sizeof c->block - c->used);
        sha1_block(c->h, c->block);
        c->used = 0;
    }
    memset(c->block + c->used, 0, 56 - c->used);
    c->used = 56;
    fc_put_be64(c->block + 56, bits);
    sha1_block(c->h, c->block);
    for (int i = 0; i < 5; i++)
        fc_put_be32(digest + 4 * i, c->h[i]);
}

void fc_sha1(const void *data, size_t len, uint8_t digest[FC_SHA1_LEN])
{
    struct fc_sha1 c;
    fc_sha1_init(&c);
    fc_sha1_update(&c, data, len);
    fc_sha1_final(&c, digest);
}
