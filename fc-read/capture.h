/* \summary: reading one capture source (pcap or pcapng, file or stdin) into packet batches */
#ifndef FC_READ_CAPTURE_H
#define FC_READ_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "output.h"
#include "trim.h"

/* What every source shares: where packets go, the filter, the running counters. */
struct reader {
    struct fc_writer *w;
    struct batch batch;
    struct trim trim;
    const char *filter;          /* BPF expression, or NULL */
    uint64_t next_source;        /* number the next opened source gets */
    struct read_counters counters;
};

enum capture_outcome {
    CAPTURE_OK,
    CAPTURE_DAMAGED,             /* read up to damage, which was reported */
    CAPTURE_UNREADABLE,          /* could not be opened or read at all (reported) */
    CAPTURE_NOT_A_CAPTURE,       /* opened, but not pcap/pcapng or empty (reported or for
                                    the caller to report, see capture_read) */
};

/* Reads `path` ("-" = stdin) and writes its source records and packets. `quiet_not_capture`:
 * the file was found in a directory, so not being a capture is a warning about skipping it. */
enum capture_outcome capture_read(struct reader *r, const char *path, bool quiet_not_capture);

#endif
