/* \summary: verdicts of recent sessions, reused for a later session identical to one of them */
#include "recent.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "huge.h"
#include "xalloc.h"

_Static_assert(RECENT_KEY_MAX <= RECENT_ARENA_BYTES, "the longest kept description fits the block");

void recent_init(struct recent *r)
{
    memset(r, 0, sizeof *r);
    r->slot = fc_xcalloc(RECENT_SLOTS, sizeof *r->slot);
    r->arena = fc_huge_alloc(RECENT_ARENA_BYTES);
}

void recent_free(struct recent *r)
{
    free(r->slot);
    free(r->arena);
    memset(r, 0, sizeof *r);
}

/*
 * The description: proto, then each observation's direction, length, kept count and
 * bytes. It is written out only when kept; a lookup hashes the observations where they
 * lie and compares them with a kept description piece by piece.
 */
#define HEAD_BYTES 9

static void describe_head(const struct meter_obs *o, uint8_t head[HEAD_BYTES])
{
    head[0] = o->dir;
    fc_put_le32(head + 1, o->len);
    fc_put_le32(head + 5, o->kept);
}

/* The description's length, or 0 when it would be longer than RECENT_KEY_MAX. */
static uint32_t description_length(const struct meter_session *s)
{
    uint64_t n = 1;
    for (uint32_t i = 0; i < s->n && n <= RECENT_KEY_MAX; i++)
        n += HEAD_BYTES + (uint64_t)s->obs[i].kept;
    return n <= RECENT_KEY_MAX ? (uint32_t)n : 0;
}

/* 64-bit multiply-xorshift, over 8-byte words in four independent chains (descriptions run
 * to kilobytes): the slot choice only, equality is compared. */
static uint64_t mix(uint64_t h, uint64_t x)
{
    h = (h ^ x) * 0xff51afd7ed558ccdull;
    return h ^ h >> 32;
}

static uint64_t bytes_hash(const uint8_t *p, uint32_t n)
{
    uint64_t h[4] = { 0x9E3779B97F4A7C15ull ^ n, 1, 2, 3 };
    uint32_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (unsigned l = 0; l < 4; l++)
            h[l] = mix(h[l], fc_le64(p + i + 8 * l));
    for (; i + 8 <= n; i += 8)
        h[0] = mix(h[0], fc_le64(p + i));
    uint64_t tail = 0;
    for (uint32_t k = 0; i + k < n; k++)
        tail |= (uint64_t)p[i + k] << (8 * k);
    return mix(mix(mix(mix(h[0], h[1]), h[2]), h[3]), tail);
}

/* The slot choice reads each observation's first HASHED_BYTES only: sessions that differ
 * further in share a slot, which costs a slot, never a wrong verdict. */
#define HASHED_BYTES 64u

static uint64_t session_hash(uint8_t proto, const struct meter_session *s)
{
    uint64_t h = mix(0x9E3779B97F4A7C15ull, proto);
    for (uint32_t i = 0; i < s->n; i++) {
        const struct meter_obs *o = &s->obs[i];
        h = mix(mix(h, (uint64_t)o->dir << 32 | o->kept), o->len);
        h = mix(h, bytes_hash(o->bytes, o->kept < HASHED_BYTES ? o->kept : HASHED_BYTES));
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ h >> 29;
}

/* True when key (of the right length) describes the session. */
static bool describes(const uint8_t *key, uint8_t proto, const struct meter_session *s)
{
    if (key[0] != proto)
        return false;
    key++;
    for (uint32_t i = 0; i < s->n; i++) {
        const struct meter_obs *o = &s->obs[i];
        uint8_t head[HEAD_BYTES];
        describe_head(o, head);
        if (memcmp(key, head, HEAD_BYTES) != 0 || memcmp(key + HEAD_BYTES, o->bytes, o->kept) != 0)
            return false;
        key += HEAD_BYTES + o->kept;
    }
    return true;
}

static void describe(uint8_t *key, uint8_t proto, const struct meter_session *s)
{
    *key++ = proto;
    for (uint32_t i = 0; i < s->n; i++) {
        const struct meter_obs *o = &s->obs[i];
        describe_head(o, key);
        memcpy(key + HEAD_BYTES, o->bytes, o->kept);
        key += HEAD_BYTES + o->kept;
    }
}

static struct recent_slot *slot_of(struct recent *r) { return &r->slot[r->hash & (RECENT_SLOTS - 1)]; }

bool recent_find(struct recent *r, uint8_t proto, const struct meter_session *s, struct verdict *out)
{
    r->key_len = description_length(s);
    if (!r->key_len)
        return false;
    r->proto = proto;
    r->session = s;
    r->hash = session_hash(proto, s);
    const struct recent_slot *slot = slot_of(r);
    if (slot->key_len != r->key_len || slot->hash != r->hash || !describes(r->arena + slot->key_at, proto, s))
        return false;
    *out = slot->verdict;
    r->hits++;
    return true;
}

/* A region of at least len bytes for slot, from the block; every slot forgotten first when
 * the block has no room left. */
static void give_region(struct recent *r, struct recent_slot *slot, uint32_t len)
{
    uint32_t cap = 64;
    while (cap < len)
        cap *= 2;
    if (RECENT_ARENA_BYTES - r->arena_used < cap) {
        memset(r->slot, 0, RECENT_SLOTS * sizeof *r->slot);
        r->arena_used = 0;
        r->forgotten++;
    }
    slot->key_at = r->arena_used;
    slot->key_cap = cap;
    r->arena_used += cap;
}

void recent_keep(struct recent *r, const struct verdict *v)
{
    if (!r->key_len)
        return;
    struct recent_slot *slot = slot_of(r);
    if (slot->key_cap < r->key_len)
        give_region(r, slot, r->key_len);
    slot->hash = r->hash;
    slot->key_len = r->key_len;
    slot->verdict = *v;
    describe(r->arena + slot->key_at, r->proto, r->session);
    r->key_len = 0; /* kept once: the session's observations may be gone by the next call */
}
