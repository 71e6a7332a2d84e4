/* \summary: where a source's records go: straight to the output, or through the live hub */
#ifndef FC_READ_SINK_H
#define FC_READ_SINK_H

/*
 * A source (a capture file, a TCP client's stream, TZSP datagrams, an interface) says
 * three things: it opened (with its name and link type), here is a packet, it ended.
 * Read alone and in order, those go straight to the output (reader.h). Read live and
 * side by side, each source runs in its own thread and they go through the hub
 * (hub.h), which serialises them and, with --realtime, drops packets rather than
 * making a source wait. A source does not know which of the two it talks to.
 */
#include <stdbool.h>
#include <stdint.h>

#include "output.h"
#include "packet_batch.h"

struct sink;

struct sink_ops {
    /* Numbers the source (sets ev->index) and writes its "open" record. */
    void (*open)(struct sink *s, struct source_event *ev);
    /* One packet of an open source, data untrimmed (caplen: the frame as captured, link
     * header included); false when it was dropped. */
    bool (*packet)(struct sink *s, const struct fc_packet *p, uint32_t caplen);
    /* Writes the "end" record (ev->packets = packets passed on, ev->error or NULL). */
    void (*end)(struct sink *s, const struct source_event *ev);
};

struct sink {
    const struct sink_ops *ops;
    const char *filter;      /* BPF expression every source applies, or NULL */
};

#endif
