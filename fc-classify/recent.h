/* \summary: verdicts of recent sessions, reused for a later session identical to one of them */
#ifndef FC_CLASSIFY_RECENT_H
#define FC_CLASSIFY_RECENT_H

/*
 * A verdict is a function of the session's observations (direction, wire length and kept
 * bytes of each payload packet; no meter reads the timing) and its transport, for a given
 * model set and options. Traffic repeats itself (polls, health checks, retries, the same
 * request from many clients), so the last verdict of each of a few thousand sessions is
 * kept under the session's full description: a session equal to one of them, byte for
 * byte (compared, not only hashed), gets that verdict without being measured and scored.
 * The result is the very verdict scoring would give.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../fc-feat/meters/meter.h"
#include "verdict.h"

#define RECENT_SLOTS 2048
#define RECENT_KEY_MAX 16384          /* longer descriptions are not kept (a default sample's is
                                         at most about 4 KiB; most are far shorter) */

struct recent_slot {
    uint64_t hash;
    uint32_t key_len;                 /* 0 = empty */
    uint32_t key_cap;                 /* bytes allocated at key, grown to the longest kept here */
    struct verdict verdict;
    uint8_t *key;
};

struct recent {
    struct recent_slot *slot;         /* RECENT_SLOTS, direct-mapped by hash */
    const struct meter_session *session; /* the session last looked up (recent_keep's) */
    uint8_t proto;
    uint32_t key_len;                 /* its description's length; 0 = too long to keep */
    uint64_t hash;
    uint64_t hits;
};

void recent_init(struct recent *r);
void recent_free(struct recent *r);
/* Describes the session; true with *out set when an identical one was kept. */
bool recent_find(struct recent *r, uint8_t proto, const struct meter_session *s, struct verdict *out);
/* Keeps v as the verdict of the session recent_find was last asked about (its observations
 * must still be where they were). */
void recent_keep(struct recent *r, const struct verdict *v);

#endif
