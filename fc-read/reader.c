/* \summary: the direct sink: trims each packet, batches it and writes the records */
#include "reader.h"

static void reader_open(struct sink *s, struct source_event *ev)
{
    struct reader *r = (struct reader *)s;
    ev->index = r->next_source++;
    write_source_open(r->w, ev);
}

static bool reader_packet(struct sink *s, const struct fc_packet *packet, uint32_t caplen)
{
    struct reader *r = (struct reader *)s;
    struct fc_packet p = *packet;
    r->counters.bytes_captured += caplen;
    if (p.link == FC_LINK_OTHER)
        r->counters.link_other++;
    trim_packet(&r->trim, &p);
    r->counters.bytes_sent += p.data_len;
    batch_add(&r->batch, &p);
    return true;
}

/* The source's packets go out before its "end" record. */
static void reader_end(struct sink *s, const struct source_event *ev)
{
    struct reader *r = (struct reader *)s;
    batch_flush(&r->batch);
    write_source_end(r->w, ev);
    r->counters.sources++;
    r->counters.packets += ev->packets;
    if (ev->error)
        r->counters.sources_damaged++;
}

static const struct sink_ops reader_ops = { reader_open, reader_packet, reader_end };

void reader_init(struct reader *r, struct fc_writer *w, const char *filter, bool all_bytes,
                 const struct sample_limits *limits)
{
    *r = (struct reader){ .sink = { &reader_ops, filter }, .w = w };
    batch_init(&r->batch, w);
    trim_init(&r->trim, all_bytes, limits);
}

void reader_flush(struct reader *r)
{
    batch_flush(&r->batch);
    fc_writer_flush(r->w);
}

void reader_free(struct reader *r)
{
    trim_free(&r->trim);
    batch_free(&r->batch);
}
