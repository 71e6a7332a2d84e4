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
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
    }
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
    static const uint8_t pad_start = 0x80, zero = 0;
    fc_sha1_update(c, &pad_start, 1);
    while (c->used != 56)
        fc_sha1_update(c, &zero, 1);
    uint8_t len_be[8];
    fc_put_be64(len_be, bits);
    fc_sha1_update(c, len_be, sizeof len_be);
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
