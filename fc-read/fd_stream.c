/* \summary: a FILE over a pipe or socket whose reads give up when input ends */
#define _GNU_SOURCE /* fopencookie */
#include "fd_stream.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "input_stop.h"
#include "log.h"
#include "monotonic.h"
#include "pcapng_watch.h"
#include "xalloc.h"

/* Large reads: a fast PCAP-over-IP peer or pipe then costs few system calls. */
#define STREAM_BUFFER (256u << 10)

struct stream {
    int fd;
    char *name;                 /* for the message when the watch refuses the stream */
    struct pcapng_watch watch;
    bool refused;               /* the stream ends here for its reader */
    struct fd_stream_control *control;   /* NULL, or the listener's (fd_stream.h) */
};

static bool ended_by_listener(const struct stream *s)
{
    return s->control && atomic_load(&s->control->end);
}

static ssize_t read_waiting(const struct stream *s, char *buf, size_t n)
{
    int fd = s->fd;
    while (!input_stop_requested() && !ended_by_listener(s)) {
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

/* read_waiting, telling the listener (if any) while it waits */
static ssize_t read_told(const struct stream *s, char *buf, size_t n)
{
    if (!s->control)
        return read_waiting(s, buf, n);
    atomic_store(&s->control->waiting_since_ms, fc_monotonic_ms());
    ssize_t got = read_waiting(s, buf, n);
    atomic_store(&s->control->waiting_since_ms, 0);
    return got;
}

static ssize_t stream_read(void *cookie, char *buf, size_t n)
{
    struct stream *s = cookie;
    ssize_t got = s->refused ? -1 : read_told(s, buf, n);
    if (got > 0 && !pcapng_watch_pass(&s->watch, (const uint8_t *)buf, (size_t)got)) {
        fc_warn("%s: a pcapng section describing more than %u interfaces: read no further", s->name,
                PCAPNG_WATCH_MAX_INTERFACES);
        s->refused = true;
        got = -1;
    }
    if (s->refused)   /* a read error, not an end: the source is damaged, whatever block it stops in */
        errno = EFBIG;
    return got;
}

static int stream_close(void *cookie)
{
    struct stream *s = cookie;
    int status = close(s->fd);
    free(s->name);
    free(s);
    return status;
}

FILE *fd_stream_open(int fd, const char *name, struct fd_stream_control *control)
{
    struct stream *s = fc_xcalloc(1, sizeof *s);
    s->fd = fd;
    s->control = control;
    s->name = fc_xstrdup(name);
    cookie_io_functions_t io = { .read = stream_read, .close = stream_close };
    FILE *f = fopencookie(s, "rb", io);
    if (!f) {
        free(s->name);
        free(s);
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, STREAM_BUFFER);
    return f;
}
