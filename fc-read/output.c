/* \summary: the records fc-read writes: packet batches, source events, its counters */
#include "output.h"

#include <stddef.h>
#include <stdlib.h>

#include "huge.h"
#include "record.h"
#include "xalloc.h"

/* Large enough for FC_BATCH_MAX header-only packets many times over, and for one
 * packet of the largest size, so a single entry always fits after a flush. */
#define BATCH_BUFFER (512u << 10)

void batch_init(struct batch *b, struct fc_writer *w)
{
    b->w = w;
    b->cap = BATCH_BUFFER;
    b->buf = fc_huge_alloc(b->cap);
    b->used = 0;
    b->count = 0;
}

void batch_free(struct batch *b)
{
    free(b->buf);
    b->buf = NULL;
}

void batch_flush(struct batch *b)
{
    if (b->count == 0)
        return;
    msgpack_packer *pk = fc_writer_packer(b->w);
    msgpack_pack_map(pk, 3);
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_PACKETS);
    fc_pack_kv_uint(pk, FC_KEY_COUNT, b->count);
    fc_pack_str(pk, FC_KEY_BATCH);
    msgpack_pack_bin(pk, b->used);
    msgpack_pack_bin_body(pk, b->buf, b->used);
    fc_writer_record_done(b->w);
    b->used = 0;
    b->count = 0;
}

void batch_add(struct batch *b, const struct fc_packet *p)
{
    if (b->cap - b->used < FC_ENTRY_HEADER + p->data_len)
        batch_flush(b);
    b->used += fc_packet_encode(b->buf + b->used, p);
    if (++b->count == FC_BATCH_MAX)
        batch_flush(b);
}

static void pack_source_common(msgpack_packer *pk, const struct source_event *e, const char *event)
{
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_SOURCE);
    fc_pack_kv_str(pk, FC_KEY_EVENT, event);
    fc_pack_kv_str(pk, FC_KEY_NAME, e->name);
    fc_pack_kv_uint(pk, FC_KEY_SOURCE, e->index);
}

void write_source_open(struct fc_writer *w, const struct source_event *e)
{
    msgpack_packer *pk = fc_writer_packer(w);
    msgpack_pack_map(pk, 6);
    pack_source_common(pk, e, "open");
    fc_pack_kv_uint(pk, FC_KEY_LINKTYPE, (uint64_t)e->linktype);
    fc_pack_kv_uint(pk, FC_KEY_SNAPLEN, (uint64_t)(e->snaplen > 0 ? e->snaplen : 0));
    fc_writer_record_done(w);
}

void write_source_end(struct fc_writer *w, const struct source_event *e)
{
    msgpack_packer *pk = fc_writer_packer(w);
    msgpack_pack_map(pk, e->error ? 6 : 5);
    pack_source_common(pk, e, "end");
    fc_pack_kv_uint(pk, FC_KEY_PACKETS, e->packets);
    if (e->error)
        fc_pack_kv_str(pk, FC_KEY_ERROR, e->error);
    fc_writer_record_done(w);
}

void write_stats(struct fc_writer *w, const struct read_counters *c, int exit_status)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
#define COUNTER(f) { #f, offsetof(struct read_counters, f) }
        COUNTER(sources), COUNTER(sources_damaged), COUNTER(packets), COUNTER(bytes_captured),
        COUNTER(bytes_sent), COUNTER(link_other), COUNTER(not_ip), COUNTER(undecodable),
        COUNTER(fragments), COUNTER(cut), COUNTER(dropped_packets), COUNTER(tzsp_malformed),
        COUNTER(tzsp_ignored), COUNTER(kernel_dropped), COUNTER(refused_clients),
        COUNTER(idle_clients_dropped),
#undef COUNTER
    };
    msgpack_packer *pk = fc_writer_packer(w);
    fc_pack_stats_start(pk, "fc-read", exit_status);
    msgpack_pack_map(pk, sizeof fields / sizeof fields[0]);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        fc_pack_kv_uint(pk, fields[i].name, *(const uint64_t *)((const char *)c + fields[i].offset));
    fc_writer_record_done(w);
}
