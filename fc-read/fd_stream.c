/* \summary: a FILE over a pipe or socket whose reads give up when input ends */
#define _GNU_SOURCE /* fopencookie */
#include "fd_stream.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "input_stop.h"

/* Large reads: a fast PCAP-over-IP peer or pipe then costs few system calls. */
#define STREAM_BUFFER (256u << 10)

static ssize_t stream_read(void *cookie, char *buf, size_t n)
{
    int fd = (int)(intptr_t)cookie;
    while (!input_stop_requested()) {
        struct pollfd p = { fd, POLLIN, 0 };
        int ready = poll(&p, 1, INPUT_POLL_MS);
        if (ready < 0 && errno != EINTR)
            return -1;
        if (ready <= 0)
            continue;
        ssize_t got = read(fd, buf, n);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        return got;
    }
    return 0;
}

static int stream_close(void *cookie)
{
    return close((int)(intptr_t)cookie);
}

FILE *fd_stream_open(int fd)
{
    cookie_io_functions_t io = { .read = stream_read, .close = stream_close };
    FILE *f = fopencookie((void *)(intptr_t)fd, "rb", io);
    if (!f)
        return NULL;
    setvbuf(f, NULL, _IOFBF, STREAM_BUFFER);
    return f;
}
