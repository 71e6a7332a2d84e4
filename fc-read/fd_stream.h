/* \summary: a FILE over a pipe or socket whose reads give up when input ends */
#ifndef FC_READ_FD_STREAM_H
#define FC_READ_FD_STREAM_H

/*
 * libpcap reads a stream through a FILE and blocks in it. Reading through this FILE
 * instead, a read waits at most INPUT_POLL_MS at a time and reports end of file once
 * input is to end (input_stop.h), so a quiet peer cannot keep fc-read from stopping,
 * even in a thread that signals never reach.
 */
#include <stdio.h>

/* Takes over fd (closed by fclose); NULL with errno set when the FILE cannot be made. A
 * pcapng stream describing more interfaces than any capture has ends early, with a message
 * naming it (pcapng_watch.h). */
FILE *fd_stream_open(int fd, const char *name);

#endif
