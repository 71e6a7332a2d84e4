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
                                         at most about 11 KiB; half are under 250 bytes) */
/*
 * The descriptions lie in one block of huge pages (huge.h), each slot's in a region taken
 * from it in turn and kept while the slot's descriptions fit (regions are powers of two, so
 * a slot takes few). Once the block is used up, every slot is forgotten and the block
 * starts again. Why: a region per slot from malloc, grown by realloc, cost a tenth of
 * fc-classify's time on corpus-mix.pcap (bench/), in the allocator and in first touches of
 * its fresh pages, where this block is touched once. One huge page: a fresh page costs
 * more than the reuses a larger block adds (corpus-mix.pcap: 73,304 reused verdicts with
 * 2 MB against 73,313 with 8 MB, which cost some 6 ms more in first touches).
 */
#define RECENT_ARENA_BYTES ((uint32_t)2 << 20)

struct recent_slot {
    uint64_t hash;
    uint32_t key_len;                 /* 0 = empty */
    uint32_t key_cap;                 /* bytes of its region (0 = none yet) */
    uint32_t key_at;                  /* its region's offset in the block */
    struct verdict verdict;
};

struct recent {
    struct recent_slot *slot;         /* RECENT_SLOTS, direct-mapped by hash */
    uint8_t *arena;                   /* RECENT_ARENA_BYTES: the slots' regions */
    uint32_t arena_used;              /* bytes of it given to regions */
    uint64_t forgotten;               /* times every slot was forgotten to start the block again */
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
