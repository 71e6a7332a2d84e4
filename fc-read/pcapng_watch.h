/* \summary: counts a pcapng stream's interface blocks as they pass, ahead of libpcap */
#ifndef FC_READ_PCAPNG_WATCH_H
#define FC_READ_PCAPNG_WATCH_H

/*
 * libpcap keeps every interface a pcapng section describes, without a limit: a network peer
 * sending a section header and then interface description blocks without end (about 20
 * bytes each) made fc-read's memory grow by twice what it sent. The watch walks the block
 * headers of a stream (skipping each body whole, so its cost is a few bytes per block) and
 * says when a section describes more interfaces than any capture has. A stream that is not
 * pcapng, or has a block libpcap refuses anyway, is not watched further.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPNG_WATCH_MAX_INTERFACES 4096u

struct pcapng_watch {
    uint64_t at;                /* stream bytes passed */
    uint64_t block_start;       /* of the block whose header is being gathered */
    uint64_t block_end;         /* where the block being passed ends */
    uint8_t head[12];           /* type, length and, for a section header, its byte-order magic */
    unsigned head_len;
    bool off;                   /* nothing more to watch */
    bool big_endian;            /* of the current section */
    uint32_t interfaces;        /* described in the current section */
};

/* Passes the stream's next n bytes; false once a section describes more than
 * PCAPNG_WATCH_MAX_INTERFACES interfaces. Starts zeroed. */
bool pcapng_watch_pass(struct pcapng_watch *w, const uint8_t *p, size_t n);

#endif
