/* \summary: the direct sink: trims each packet, batches it and writes the records */
#ifndef FC_READ_READER_H
#define FC_READ_READER_H

/*
 * The one place packets become output: the trim decision (trim.h), the batch
 * (output.h) and fc-read's counters. Sources read in order call it directly; live
 * sources reach it through the hub's single consumer thread, so it is never
 * entered by two threads at once.
 */
#include "output.h"
#include "sink.h"
#include "trim.h"

struct reader {
    struct sink sink;            /* first: a struct sink * to a reader is the reader */
    struct fc_writer *w;
    struct batch batch;
    struct trim trim;
    uint64_t next_source;        /* number the next opened source gets */
    struct read_counters counters;
};

void reader_init(struct reader *r, struct fc_writer *w, const char *filter, bool all_bytes,
                 const struct sample_limits *limits);
/* Writes the batch gathered so far and the writer's buffer: the output is up to date. */
void reader_flush(struct reader *r);
void reader_free(struct reader *r);

#endif
