/* \summary: a FILE over a pipe or socket whose reads give up when input ends */
#ifndef FC_READ_FD_STREAM_H
#define FC_READ_FD_STREAM_H

/*
 * libpcap reads a stream through a FILE and blocks in it. Reading through this FILE
 * instead, a read waits at most INPUT_POLL_MS at a time and reports end of file once
 * input is to end (input_stop.h), so a quiet peer cannot keep fc-read from stopping,
 * even in a thread that signals never reach.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

/* What a listener sees of one client's stream, and how it ends it: waiting_since_ms is
 * since when its reader has been waiting for bytes that do not come (fc_monotonic_ms; 0
 * while it is not waiting, e.g. busy handing on packets), and setting end while it waits
 * makes the stream end within INPUT_POLL_MS, as if the peer had closed it. */
struct fd_stream_control {
    _Atomic int64_t waiting_since_ms;
    atomic_bool end;
};

/* Takes over fd (closed by fclose); NULL with errno set when the FILE cannot be made. A
 * pcapng stream describing more interfaces than any capture has ends early, with a message
 * naming it (pcapng_watch.h). control may be NULL. */
FILE *fd_stream_open(int fd, const char *name, struct fd_stream_control *control);

#endif
