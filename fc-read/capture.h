/* \summary: reading one pcap or pcapng stream (file, stdin, socket, download) into a sink */
#ifndef FC_READ_CAPTURE_H
#define FC_READ_CAPTURE_H

#include <stdbool.h>
#include <stdio.h>

#include "linktype.h"
#include "sink.h"

enum capture_outcome {
    CAPTURE_OK,
    CAPTURE_DAMAGED,             /* read up to damage, which was reported */
    CAPTURE_UNREADABLE,          /* could not be opened or read at all (reported) */
    CAPTURE_NOT_A_CAPTURE,       /* opened, but not pcap/pcapng or empty (reported) */
};

/* With true, libpcap reads every source, classic pcap files too (fc-read --reader
 * libpcap); by default pcap_file.h reads those. Set before any source is read. */
void capture_use_libpcap_only(bool only);

/* Reads `path` ("-" = stdin) and writes its source records and packets. `quiet_not_capture`:
 * the file was found in a directory, so not being a capture is a warning about skipping it. */
enum capture_outcome capture_read(struct sink *sink, const char *path, bool quiet_not_capture);

/* Reads the capture arriving on `stream` (a socket, a download), which it closes; `name`
 * names the source in messages and in its source records. */
enum capture_outcome capture_read_stream(struct sink *sink, FILE *stream, const char *name);

/* The packet as it goes to the sink: the network layer found by the link decoder lt
 * (NULL for an unsupported link type), or the raw frame labelled with its DLT. Sets
 * every field but source and ts_us. */
void capture_frame_to_packet(const struct linktype *lt, int dlt, const uint8_t *frame, uint32_t caplen,
                             uint32_t len, struct fc_packet *p);

/* Microseconds since the epoch, floored (a libpcap timeval holds nanoseconds when that
 * precision was asked for, as fc-read does). pcapng times are 64-bit and a damaged file
 * can hold any of them: those beyond what 64 bits of microseconds hold are clamped
 * rather than overflowed. */
struct timeval;
int64_t capture_timestamp_us(const struct timeval *tv);

#endif
