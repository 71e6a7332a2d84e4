/* \summary: the bytes waiting for one network peer: whole lines in, non-blocking sends out, bounded */
#define _GNU_SOURCE   /* memrchr */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "xalloc.h"

#define PEER_BUFFER_FIRST (64u << 10)

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

size_t peer_buffer_push_lines(struct peer_buffer *b, int fd, const char *p, size_t n, size_t limit, bool *failed)
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
            if (!peer_buffer_send(b, fd)) {
                *failed = true;
                break;
            }
            if (!peer_buffer_append(b, p + done, len, limit))
                break;
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
