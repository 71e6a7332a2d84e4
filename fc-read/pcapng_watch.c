/* \summary: counts a pcapng stream's interface blocks as they pass, ahead of libpcap */
#include "pcapng_watch.h"

#include "bytes.h"

#define BLOCK_SECTION 0x0A0D0D0Au   /* the same in either byte order */
#define BLOCK_INTERFACE 1u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

static unsigned head_needed(const struct pcapng_watch *w)
{
    return w->head_len >= 4 && fc_le32(w->head) == BLOCK_SECTION ? 12 : 8;
}

/* The block whose header is gathered: where it ends; false for one interface too many. */
static bool take_block(struct pcapng_watch *w)
{
    uint32_t type = fc_le32(w->head);
    if (type == BLOCK_SECTION) {
        bool little = fc_le32(w->head + 8) == BYTE_ORDER_MAGIC, big = fc_be32(w->head + 8) == BYTE_ORDER_MAGIC;
        if (!little && !big) {
            w->off = true;   /* libpcap says what is wrong with it */
            return true;
        }
        w->big_endian = big;
        w->interfaces = 0;
    } else if (w->block_start == 0) {
        w->off = true;   /* not pcapng: a pcap, or not a capture */
        return true;
    } else if (w->big_endian) {
        type = fc_be32(w->head);
    }
    uint32_t len = w->big_endian ? fc_be32(w->head + 4) : fc_le32(w->head + 4);
    if (len < 12 || len % 4) {
        w->off = true;
        return true;
    }
    if (type == BLOCK_INTERFACE && ++w->interfaces > PCAPNG_WATCH_MAX_INTERFACES)
        return false;
    w->block_end = w->block_start + len;
    w->head_len = 0;
    return true;
}

bool pcapng_watch_pass(struct pcapng_watch *w, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && !w->off) {
        uint64_t here = w->at + i;
        if (here < w->block_end) {   /* a block's body: skipped whole */
            uint64_t rest = w->block_end - here;
            i += rest < n - i ? (size_t)rest : n - i;
            continue;
        }
        if (w->head_len == 0)
            w->block_start = here;
        w->head[w->head_len++] = p[i++];
        if (w->head_len == head_needed(w) && !take_block(w))
            return false;
    }
    w->at += n;
    return true;
}
