/* \summary: remembers which flow each fragmented datagram belongs to, so later fragments count there */
#include "fragments.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/*
 * Only the first fragment of a datagram carries the transport header, so only it
 * can name the flow. fc-flow does not reassemble (it needs no payload beyond the
 * first fragment); it remembers (addresses, protocol, datagram id) -> flow for the
 * first fragment, and later fragments are counted in that flow. The table is
 * direct-mapped and fixed in size: a new datagram overwrites an old one in its
 * slot, so memory is bounded whatever a flood of fragments does; the flow number
 * stored with the slot tells whether the flow is still the same one. Entries older
 * than FRAG_LIFETIME_US (about the reassembly timeout of real stacks) on the packet
 * clock are ignored: the clock, not the fragment's timestamp, so that a capture of an
 * earlier period read after a later one (time jumping back) still finds its fragments.
 */

#define FRAG_SLOTS 4096u
#define FRAG_LIFETIME_US (60 * 1000000LL)

struct fragment_entry {
    uint8_t src[16], dst[16];
    uint32_t frag_id;
    uint32_t slot;            /* 0 = empty */
    uint64_t flow_id;
    int64_t clock_us;         /* the packet clock when the first fragment came */
    uint8_t ipv, proto;
};

struct fragment_table {
    struct fragment_entry e[FRAG_SLOTS];
};

struct fragment_table *fragments_new(void) { return fc_xcalloc(1, sizeof(struct fragment_table)); }

void fragments_free(struct fragment_table *t) { free(t); }

static uint32_t entry_index(const struct fc_decoded *d)
{
    uint32_t h = d->frag_id * 0x9e3779b1u ^ d->proto;
    for (int i = 0; i < (d->ipv == 6 ? 16 : 4); i++)
        h = (h ^ d->src[i] ^ (uint32_t)d->dst[i] << 8) * 0x01000193u;
    return (h ^ h >> 16) & (FRAG_SLOTS - 1);
}

static bool entry_matches(const struct fragment_entry *e, const struct fc_decoded *d)
{
    return e->slot && e->ipv == d->ipv && e->proto == d->proto && e->frag_id == d->frag_id &&
           memcmp(e->src, d->src, 16) == 0 && memcmp(e->dst, d->dst, 16) == 0;
}

void fragments_remember(struct fragment_table *t, const struct fc_decoded *d, uint32_t slot, uint64_t flow_id,
                        int64_t clock_us)
{
    struct fragment_entry *e = &t->e[entry_index(d)];
    memcpy(e->src, d->src, 16);
    memcpy(e->dst, d->dst, 16);
    e->frag_id = d->frag_id;
    e->slot = slot;
    e->flow_id = flow_id;
    e->clock_us = clock_us;
    e->ipv = d->ipv;
    e->proto = d->proto;
}

bool fragments_find(const struct fragment_table *t, const struct fc_decoded *d, int64_t now_us, uint32_t *slot,
                    uint64_t *flow_id)
{
    const struct fragment_entry *e = &t->e[entry_index(d)];
    /* the clock never goes back, so now_us >= clock_us: the difference fits unsigned */
    if (!entry_matches(e, d) || (uint64_t)now_us - (uint64_t)e->clock_us > (uint64_t)FRAG_LIFETIME_US)
        return false;
    *slot = e->slot;
    *flow_id = e->flow_id;
    return true;
}
