/* \summary: SHA-1 (FIPS 180-4), for Community ID and the deterministic flow identifiers */
#include "sha1.h"

#include <stdbool.h>
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

#if defined(__GNUC__) && defined(__x86_64__)
/*
 * The same block function with the x86 SHA extensions (SHA-NI), picked at run time when the
 * CPU has them: fc-emit hashes two blocks per flow, and this does each in a tenth of the
 * time. Four rounds per sha1rnds4; the message schedule advances four words at a time with
 * sha1msg1, xor and sha1msg2, as Intel's SHA extensions paper lays out.
 */
#include <cpuid.h>
#include <immintrin.h>

#define HAVE_SHA_NI 1
#define SHA_NI __attribute__((target("sha,ssse3,sse4.1")))

/* Rounds 4g .. 4g+3 (g >= 1), and the schedule's next steps with the words of group g. */
#define SHA_NI_GROUP(g)                                                                   \
    do {                                                                                  \
        e[(g) % 2] = _mm_sha1nexte_epu32(e[(g) % 2], msg[(g) % 4]);                        \
        e[1 - (g) % 2] = abcd;                                                            \
        abcd = _mm_sha1rnds4_epu32(abcd, e[(g) % 2], (g) / 5);                            \
        if ((g) >= 3)                                                                     \
            msg[((g) + 1) % 4] = _mm_sha1msg2_epu32(msg[((g) + 1) % 4], msg[(g) % 4]);    \
        msg[((g) + 3) % 4] = _mm_sha1msg1_epu32(msg[((g) + 3) % 4], msg[(g) % 4]);        \
        if ((g) >= 2)                                                                     \
            msg[((g) + 2) % 4] = _mm_xor_si128(msg[((g) + 2) % 4], msg[(g) % 4]);         \
    } while (0)

SHA_NI static void sha1_block_ni(uint32_t h[5], const uint8_t *p)
{
    const __m128i big_endian = _mm_set_epi64x(0x0001020304050607ll, 0x08090a0b0c0d0e0fll);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0x1b);
    __m128i abcd_save = abcd, e_save = _mm_set_epi32((int)h[4], 0, 0, 0);
    __m128i msg[4], e[2];
    for (int i = 0; i < 4; i++)
        msg[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), big_endian);
    e[0] = _mm_add_epi32(e_save, msg[0]);
    e[1] = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e[0], 0);
    SHA_NI_GROUP(1); SHA_NI_GROUP(2); SHA_NI_GROUP(3); SHA_NI_GROUP(4); SHA_NI_GROUP(5);
    SHA_NI_GROUP(6); SHA_NI_GROUP(7); SHA_NI_GROUP(8); SHA_NI_GROUP(9); SHA_NI_GROUP(10);
    SHA_NI_GROUP(11); SHA_NI_GROUP(12); SHA_NI_GROUP(13); SHA_NI_GROUP(14); SHA_NI_GROUP(15);
    SHA_NI_GROUP(16); SHA_NI_GROUP(17); SHA_NI_GROUP(18); SHA_NI_GROUP(19);
    e[0] = _mm_sha1nexte_epu32(e[0], e_save);
    abcd = _mm_add_epi32(abcd, abcd_save);
    _mm_storeu_si128((__m128i *)(void *)h, _mm_shuffle_epi32(abcd, 0x1b));
    h[4] = (uint32_t)_mm_extract_epi32(e[0], 3);
}

static bool cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
        return false;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

/* The block function this CPU runs fastest. */
static void (*pick_block(void))(uint32_t[5], const uint8_t *)
{
#ifdef HAVE_SHA_NI
    if (cpu_has_sha_ni())
        return sha1_block_ni;
#endif
    return sha1_block;
}

static void block(uint32_t h[5], const uint8_t *p)
{
    static void (*fn)(uint32_t[5], const uint8_t *);
    if (!fn)
        fn = pick_block();
    fn(h, p);
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
            block(c->h, c->block);
            c->used = 0;
        }
    }
}

static void put_digest(const uint32_t h[5], uint8_t digest[FC_SHA1_LEN])
{
    for (int i = 0; i < 5; i++)
        fc_put_be32(digest + 4 * i, h[i]);
}

void fc_sha1_final(struct fc_sha1 *c, uint8_t digest[FC_SHA1_LEN])
{
    uint64_t bits = c->total * 8;
    /* 0x80, zeros up to 56 bytes into a block, then the length: padded in place. */
    c->block[c->used++] = 0x80;
    if (c->used > 56) {
        memset(c->block + c->used, 0, sizeof c->block - c->used);
        block(c->h, c->block);
        c->used = 0;
    }
    memset(c->block + c->used, 0, 56 - c->used);
    c->used = 56;
    fc_put_be64(c->block + 56, bits);
    block(c->h, c->block);
    put_digest(c->h, digest);
}

/* Flow keys and Community ID tuples fit one block with their padding: hashed without
 * the streaming state (two hashes per flow in fc-emit). */
#define ONE_BLOCK_MAX 55

void fc_sha1(const void *data, size_t len, uint8_t digest[FC_SHA1_LEN])
{
    struct fc_sha1 c;
    fc_sha1_init(&c);
    if (len > ONE_BLOCK_MAX) {
        fc_sha1_update(&c, data, len);
        fc_sha1_final(&c, digest);
        return;
    }
    memset(c.block, 0, sizeof c.block);
    memcpy(c.block, data, len);
    c.block[len] = 0x80;
    fc_put_be64(c.block + 56, (uint64_t)len * 8);
    block(c.h, c.block);
    put_digest(c.h, digest);
}
