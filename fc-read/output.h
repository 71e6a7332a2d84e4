/* \summary: the records fc-read writes: packet batches, source events, its counters */
#ifndef FC_READ_OUTPUT_H
#define FC_READ_OUTPUT_H

/*
 * Packets are packed into one reusable buffer (fixed layout, packet_batch.h) and go
 * out as one record per FC_BATCH_MAX packets, or sooner when the buffer is full, at
 * the end of each source and at the end of input. Nothing is allocated per packet.
 */
#include <stdint.h>

#include "packet_batch.h"
#include "stream.h"

struct batch {
    struct fc_writer *w;
    uint8_t *buf;
    size_t used, cap;
    uint32_t count;
};

void batch_init(struct batch *b, struct fc_writer *w);
void batch_free(struct batch *b);
void batch_add(struct batch *b, const struct fc_packet *p);
/* Writes the packets gathered so far as one record (nothing when there are none). */
void batch_flush(struct batch *b);

struct source_event {
    const char *name;
    uint64_t index;
    int linktype;
    int snaplen;
    uint64_t packets;   /* "end" only */
    const char *error;  /* "end" only; NULL when the source ended cleanly */
};

void write_source_open(struct fc_writer *w, const struct source_event *e);
void write_source_end(struct fc_writer *w, const struct source_event *e);

struct read_counters {
    uint64_t sources, sources_damaged, packets, bytes_captured, bytes_sent;
    uint64_t link_other, not_ip, undecodable, fragments, cut;
    uint64_t dropped_packets;    /* --realtime: not sent because the output was behind */
    uint64_t tzsp_malformed, tzsp_ignored, kernel_dropped, refused_clients, /* sources.h */
        idle_clients_dropped;
};

void write_stats(struct fc_writer *w, const struct read_counters *c, int exit_status);

#endif
