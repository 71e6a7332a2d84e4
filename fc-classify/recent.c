/* \summary: verdicts of recent sessions, reused for a later session identical to one of them */
#include "recent.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "xalloc.h"

void recent_init(struct recent *r)
{
    memset(r, 0, sizeof *r);
    r->slot = fc_xcalloc(RECENT_SLOTS, sizeof *r->slot);
}

void recent_free(struct recent *r)
{
    free(r->slot);
    memset(r, 0, sizeof *r);
}

static bool key_add(struct recent *r, const void *bytes, size_t n)
{
    if (RECENT_KEY_MAX - r->key_len < n)
        return false;
    memcpy(r->key + r->key_len, bytes, n);
    r->key_len += (uint32_t)n;
    return true;
}

/* The description: proto, then each observation's direction, length, kept count and bytes. */
static bool describe(struct recent *r, uint8_t proto, const struct meter_session *s)
{
    r->key_len = 0;
    if (!key_add(r, &proto, 1))
        return false;
    for (uint32_t i = 0; i < s->n; i++) {
        const struct meter_obs *o = &s->obs[i];
        uint8_t head[9];
        head[0] = o->dir;
        fc_put_le32(head + 1, o->len);
        fc_put_le32(head + 5, o->kept);
        if (!key_add(r, head, sizeof head) || !key_add(r, o->bytes, o->kept))
            return false;
    }
    return true;
}

/* 64-bit multiply-xorshift over 8-byte words: the slot choice only, equality is compared. */
static uint64_t key_hash(const uint8_t *p, uint32_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ fc_le64(p + i)) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (uint32_t k = 0; i + k < n; k++)
        tail |= (uint64_t)p[i + k] << (8 * k);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    return h ^ h >> 29;
}

static struct recent_slot *slot_of(struct recent *r) { return &r->slot[r->hash & (RECENT_SLOTS - 1)]; }

bool recent_find(struct recent *r, uint8_t proto, const struct meter_session *s, struct verdict *out)
{
    if (!describe(r, proto, s)) {
        r->key_len = 0;
        return false;
    }
    r->hash = key_hash(r->key, r->key_len);
    const struct recent_slot *slot = slot_of(r);
    if (slot->key_len != r->key_len || slot->hash != r->hash || memcmp(slot->key, r->key, r->key_len) != 0)
        return false;
    *out = slot->verdict;
    r->hits++;
    return true;
}

void recent_keep(struct recent *r, const struct verdict *v)
{
    if (!r->key_len)
        return;
    struct recent_slot *slot = slot_of(r);
    slot->hash = r->hash;
    slot->key_len = r->key_len;
    slot->verdict = *v;
    memcpy(slot->key, r->key, r->key_len);
}
