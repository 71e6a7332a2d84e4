/* \summary: the bytes waiting for one network peer: whole lines in, non-blocking sends out, bounded */
#define _GNU_SOURCE   /* memrchr */
#include "output.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "monotonic.h"
#include "xalloc.h"

#define PEER_BUFFER_FIRST (64u << 10)
/* How long a peer with a full buffer may take nothing before its lines (or it) are dropped. */
#define PEER_STALL_MS 500

/* Moves the bytes still needed (from the line being sent) to the front. */
static void drop_sent_lines(struct peer_buffer *b)
{
    memmove(b->buf, b->buf + b->line_start, b->end - b->line_start);
    b->start -= b->line_start;
    b->end -= b->line_start;
    b->line_start = 0;
}

bool peer_buffer_append(struct peer_buffer *b, const char *p, size_t n, size_t limit)
{
    if (n == 0)
        return true;
    if (b->end - b->line_start + n > limit)
        return false;
    if (b->cap - b->end < n) {
        if (b->line_start)
            drop_sent_lines(b);
        size_t cap = b->cap ? b->cap : PEER_BUFFER_FIRST;
        while (cap - b->end < n)
            cap *= 2;
        if (cap != b->cap) {
            b->buf = fc_xrealloc(b->buf, cap);
            b->cap = cap;
        }
    }
    memcpy(b->buf + b->end, p, n);
    b->end += n;
    return true;
}

bool peer_buffer_send(struct peer_buffer *b, int fd)
{
    while (b->start < b->end) {
        ssize_t n = send(fd, b->buf + b->start, b->end - b->start, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        const char *nl = memrchr(b->buf + b->start, '\n', (size_t)n);
        b->start += (size_t)n;
        if (nl)
            b->line_start = (size_t)(nl - b->buf) + 1;
    }
    if (b->start == b->end)
        b->start = b->end = b->line_start = 0;
    return true;
}

/* Sends what the peer takes now; true when a line of len bytes then fits within limit. */
static bool send_for_room(struct peer_buffer *b, int fd, size_t len, size_t limit, bool *failed)
{
    if (!peer_buffer_send(b, fd)) {
        *failed = true;
        return false;
    }
    return b->end - b->line_start + len <= limit;
}

/*
 * Sends until a line of len bytes fits within limit, waiting for the peer while it takes
 * bytes. Why wait: the pipeline hands on lines far faster than a server reads them from a
 * file, and one that reads as fast as it can still pauses whenever the scheduler runs
 * something else; dropping at the first full buffer lost lines to a healthy server on a busy
 * machine. Only the sender thread waits (main keeps queueing), and only while the peer takes
 * something at least every PEER_STALL_MS: a peer that is gone or not reading is not waited for.
 */
static bool wait_for_room(struct peer_buffer *b, int fd, size_t len, size_t limit, bool *failed)
{
    if (len > limit)
        return false;
    int64_t give_up = fc_monotonic_ms() + PEER_STALL_MS;
    for (;;) {
        size_t before = peer_buffer_waiting(b);
        if (send_for_room(b, fd, len, limit, failed))
            return true;
        if (*failed)
            return false;
        int64_t now = fc_monotonic_ms();
        if (peer_buffer_waiting(b) < before)
            give_up = now + PEER_STALL_MS;
        else if (now >= give_up)
            return false;
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        if (poll(&pfd, 1, (int)(give_up - now)) < 0 && errno != EINTR) {
            *failed = true;
            return false;
        }
    }
}

size_t peer_buffer_push_lines(struct peer_buffer *b, int fd, bool wait_while_taking, const char *p, size_t n,
                              size_t limit, bool *failed)
{
    *failed = false;
    if (peer_buffer_append(b, p, n, limit))
        return n;
    size_t done = 0;
    while (done < n) {
        const char *nl = memchr(p + done, '\n', n - done);
        size_t len = nl ? (size_t)(nl - (p + done)) + 1 : n - done;
        if (!peer_buffer_append(b, p + done, len, limit)) {
            if (fd < 0)
                break;
            if (wait_while_taking ? !wait_for_room(b, fd, len, limit, failed) : !send_for_room(b, fd, len, limit, failed))
                break;
            peer_buffer_append(b, p + done, len, limit);   /* room was made for it */
        }
        done += len;
    }
    return done;
}

void peer_buffer_rewind_line(struct peer_buffer *b)
{
    b->start = b->line_start;
}

void peer_buffer_free(struct peer_buffer *b)
{
    free(b->buf);
    memset(b, 0, sizeof *b);
}
