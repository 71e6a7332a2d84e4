/* \summary: fc-emit's tcpconnect:IP:PORT target: sends the lines to a TCP server, reconnecting with backoff */
#include "output.h"

#include <errno.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "monotonic.h"
#include "xalloc.h"

/*
 * The server gets the preamble (header row) at the start of every connection, then the
 * lines. While it is connected and takes lines, it sets the pace: lines it has no room for
 * are held back by the sender (output_net.c), and dropped only once it took nothing for
 * NET_STALL_MS. While it is away (not yet listening, restarting, unreachable), lines wait
 * in a buffer of peer_buffer bytes and we try again after 0.1 s, doubling up to 5 s; when
 * the buffer is full, further lines are dropped and counted. A connection that breaks in
 * the middle of a line sends that whole line again on the next connection, so the server
 * never sees a line spliced from two; lines the kernel had sent on it and the server never
 * acknowledged are lost, and counted. Every change (lost, back, dropping) is said once on
 * stderr; the count of dropped, lost or undelivered lines makes the exit status 3.
 */
#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000
/* How often the kernel's send queue is looked at while only it holds lines. */
#define UNACKED_CHECK_MS 50

enum link_state { LINK_DOWN, LINK_CONNECTING, LINK_UP };

struct connect_state {
    const char *name;
    struct net_address addr;
    size_t limit;
    int fd;
    enum link_state link;
    int64_t retry_at_ms;
    int backoff_ms;
    bool said_down;                 /* the current outage was reported */
    bool dropping;                  /* the current run of drops was reported */
    bool sent_all;                  /* the server shut its sending side (it may still read) */
    const char *preamble;
    size_t preamble_len, preamble_sent;
    struct peer_buffer out;
    uint64_t dropped_lines;
    uint64_t lost_bytes;            /* sent on connections that broke, never acknowledged */
    struct net_sender *sender;
};

/*
 * Bytes sent but not yet acknowledged by the server. Why: the kernel takes megabytes into a
 * socket's send queue whether or not the server reads, so an empty buffer of ours does not
 * mean the server has the lines; exit status 0 promises it does.
 */
static size_t unacked_bytes(const struct connect_state *cs)
{
    int queued = 0;
    if (cs->link != LINK_UP || ioctl(cs->fd, SIOCOUTQ, &queued) < 0 || queued < 0)
        return 0;
    return (size_t)queued;
}

static void link_down(struct connect_state *cs, int64_t now_ms, const char *why)
{
    if (cs->link == LINK_UP) {   /* what the server never acknowledged is lost, but the line sent again */
        size_t unacked = unacked_bytes(cs), sent_again = cs->out.start - cs->out.line_start;
        cs->lost_bytes += unacked > sent_again ? unacked - sent_again : 0;
    }
    if (cs->fd >= 0)
        close(cs->fd);
    cs->fd = -1;
    if (cs->link == LINK_UP)
        peer_buffer_rewind_line(&cs->out);
    if (!cs->said_down || cs->link == LINK_UP)
        fc_warn("%s: %s: %s; retrying, keeping up to %zu bytes of lines meanwhile", cs->name,
                cs->link == LINK_UP ? "connection lost" : "cannot connect", why, cs->limit);
    cs->said_down = true;
    cs->link = LINK_DOWN;
    cs->retry_at_ms = now_ms + cs->backoff_ms;
    cs->backoff_ms = cs->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : cs->backoff_ms * 2;
}

static void link_up(struct connect_state *cs)
{
    cs->link = LINK_UP;
    cs->sent_all = false;
    cs->preamble_sent = 0;
    cs->backoff_ms = BACKOFF_FIRST_MS;
    if (cs->said_down)
        fc_warn("%s: connected", cs->name);
    else
        fc_info("%s: connected", cs->name);
    cs->said_down = false;
}

static void start_connect(struct connect_state *cs, int64_t now_ms)
{
    cs->fd = socket(cs->addr.sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (cs->fd < 0) {
        link_down(cs, now_ms, strerror(errno));
        return;
    }
    if (connect(cs->fd, (const struct sockaddr *)&cs->addr.sa, cs->addr.len) == 0)
        link_up(cs);
    else if (errno == EINPROGRESS)
        cs->link = LINK_CONNECTING;
    else
        link_down(cs, now_ms, strerror(errno));
}

/* Sends the rest of the preamble, then the lines; false when the connection failed. */
static bool send_waiting(struct connect_state *cs)
{
    while (cs->preamble_sent < cs->preamble_len) {
        ssize_t n = send(cs->fd, cs->preamble + cs->preamble_sent, cs->preamble_len - cs->preamble_sent,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        cs->preamble_sent += (size_t)n;
    }
    return peer_buffer_send(&cs->out, cs->fd);
}

static int connect_want(void *st, struct pollfd *fds, int max, int64_t now_ms, int *timeout_ms)
{
    struct connect_state *cs = st;
    if (cs->link == LINK_DOWN && now_ms >= cs->retry_at_ms)
        start_connect(cs, now_ms);
    if (cs->link == LINK_DOWN) {
        int wait = (int)(cs->retry_at_ms - now_ms);
        if (*timeout_ms < 0 || wait < *timeout_ms)
            *timeout_ms = wait < 0 ? 0 : wait;
        return 0;
    }
    if (max < 1)
        return 0;
    bool waiting = cs->preamble_sent < cs->preamble_len || peer_buffer_waiting(&cs->out);
    /* nothing marks the moment the server acknowledges the last bytes: look again soon,
     * when the sender waits for something at all (the end, a stalled server) */
    if (!waiting && *timeout_ms >= 0 && *timeout_ms > UNACKED_CHECK_MS && unacked_bytes(cs))
        *timeout_ms = UNACKED_CHECK_MS;
    fds[0] = (struct pollfd){
        .fd = cs->fd,
        .events = (short)(cs->link == LINK_CONNECTING ? POLLOUT
                                                      : (cs->sent_all ? 0 : POLLIN) | (waiting ? POLLOUT : 0)),
    };
    return 1;
}

/* Reads and discards what the server sends; false when the connection failed (errno set).
 * A server that only shut its sending side (ncat --recv-only does) still takes lines. */
static bool server_still_there(struct connect_state *cs)
{
    char junk[4096];
    for (;;) {
        ssize_t n = recv(cs->fd, junk, sizeof junk, MSG_DONTWAIT);
        if (n > 0 || (n < 0 && errno == EINTR))
            continue;
        if (n == 0)
            cs->sent_all = true;
        return n == 0 || errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

/* The reason a connection that poll flagged as hung up or failed ended. */
static int socket_error(int fd)
{
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err ? err : ECONNRESET;
}

static void connect_serve(void *st, struct pollfd *fds, int n, int64_t now_ms)
{
    struct connect_state *cs = st;
    if (n < 1 || !fds[0].revents || cs->link == LINK_DOWN)
        return;
    if (cs->link == LINK_CONNECTING) {
        if (fds[0].revents & (POLLERR | POLLHUP)) {
            link_down(cs, now_ms, strerror(socket_error(cs->fd)));
            return;
        }
        link_up(cs);
    }
    if (fds[0].revents & (POLLHUP | POLLERR)) {
        link_down(cs, now_ms, strerror(socket_error(cs->fd)));
        return;
    }
    if ((fds[0].revents & POLLIN) && !server_still_there(cs)) {
        link_down(cs, now_ms, strerror(errno));
        return;
    }
    if (!send_waiting(cs))
        link_down(cs, now_ms, strerror(errno));
}

/*
 * Keeps the lines that fit, sending while the server takes them. With may_hold_back, a
 * connection being made or a connected server with no room yet takes fewer: the sender
 * offers the rest again (output.h). Otherwise what does not fit is dropped and counted.
 */
static size_t connect_lines(void *st, const char *p, size_t n, bool may_hold_back)
{
    struct connect_state *cs = st;
    bool failed;
    if (cs->link == LINK_CONNECTING && may_hold_back)
        return 0;
    if (cs->link == LINK_UP && !send_waiting(cs))
        link_down(cs, fc_monotonic_ms(), strerror(errno));
    /* the preamble goes first: only once it is out may lines be sent */
    bool sending = cs->link == LINK_UP && cs->preamble_sent == cs->preamble_len;
    size_t took = peer_buffer_push_lines(&cs->out, sending ? cs->fd : -1, p, n, cs->limit, &failed);
    if (failed) {
        link_down(cs, fc_monotonic_ms(), strerror(errno));
        took += peer_buffer_push_lines(&cs->out, -1, p + took, n - took, cs->limit, &failed);
    }
    if (took < n && may_hold_back && cs->link == LINK_UP)
        return took;
    if (took < n) {
        if (!cs->dropping)
            fc_warn("%s: %zu bytes of lines wait for the server; dropping lines until it takes them", cs->name,
                    peer_buffer_waiting(&cs->out));
        cs->dropping = true;
        for (const char *at = p + took, *end = p + n; at < end; at++)
            cs->dropped_lines += *at == '\n';
    } else {
        cs->dropping = false;
    }
    if (cs->link == LINK_UP && !send_waiting(cs))
        link_down(cs, fc_monotonic_ms(), strerror(errno));
    return n;
}

static void connect_preamble(void *st, const char *p, size_t n)
{
    struct connect_state *cs = st;
    cs->preamble = p;
    cs->preamble_len = n;
    cs->preamble_sent = 0;
    if (cs->link == LINK_UP && !send_waiting(cs))
        link_down(cs, fc_monotonic_ms(), strerror(errno));
}

static bool connect_drained(void *st)
{
    struct connect_state *cs = st;
    /* Nothing owed: no line waits (the header row goes with the next line, if any), and the
     * server acknowledged every byte sent. */
    return !peer_buffer_waiting(&cs->out) &&
           (cs->link != LINK_UP || (cs->preamble_sent == cs->preamble_len && !unacked_bytes(cs)));
}

static int connect_finish(void *st, bool drained)
{
    struct connect_state *cs = st;
    int status = FC_EXIT_OK;
    if (!drained) {
        size_t left = net_count_lines(cs->out.buf + cs->out.line_start, cs->out.end - cs->out.line_start);
        size_t unacked = unacked_bytes(cs);
        if (left || !unacked)
            fc_warn("%s: %zu lines not delivered: the server did not take them before the end", cs->name, left);
        if (unacked)
            fc_warn("%s: %zu bytes of lines sent but not taken by the server before the end", cs->name, unacked);
        status = FC_EXIT_SYSTEM;
    }
    if (cs->dropped_lines) {
        fc_warn("%s: %llu lines dropped while the server was away or slow", cs->name,
                (unsigned long long)cs->dropped_lines);
        status = FC_EXIT_SYSTEM;
    }
    if (cs->lost_bytes) {
        fc_warn("%s: %llu bytes of lines lost: sent on connections that broke, never acknowledged by the server",
                cs->name, (unsigned long long)cs->lost_bytes);
        status = FC_EXIT_SYSTEM;
    }
    if (cs->fd >= 0)
        close(cs->fd);
    peer_buffer_free(&cs->out);
    return status;
}

static const struct net_peer_ops connect_ops = {
    .want = connect_want,
    .serve = connect_serve,
    .lines = connect_lines,
    .preamble = connect_preamble,
    .drained = connect_drained,
    .finish = connect_finish,
};

static void connect_open(struct emit_output *o, const char *spec, const struct emit_output_options *opt)
{
    struct connect_state *cs = fc_xcalloc(1, sizeof *cs);
    const char *why;
    if (!net_address_parse(spec, true, &cs->addr, &why))
        fc_die(FC_EXIT_USAGE, "--output %s: %s (tcpconnect:IP:PORT)", o->name, why);
    cs->name = o->name;
    cs->limit = opt->peer_buffer;
    cs->fd = -1;
    cs->link = LINK_DOWN;
    cs->backoff_ms = BACKOFF_FIRST_MS;
    o->state = cs;
    cs->sender = net_sender_start(&connect_ops, cs, o->name, cs->limit, opt->linger_s);
}

static void connect_lines_from_main(struct emit_output *o, const char *p, size_t n)
{
    struct connect_state *cs = o->state;
    net_sender_lines(cs->sender, p, n);
}

static void connect_preamble_from_main(struct emit_output *o)
{
    struct connect_state *cs = o->state;
    net_sender_preamble(cs->sender, o->preamble, o->preamble_len);
}

static int connect_close(struct emit_output *o, bool run_failed)
{
    (void)run_failed;
    struct connect_state *cs = o->state;
    int status = net_sender_stop(cs->sender);
    free(cs);
    return status;
}

const struct output_kind output_tcp_connect = {
    .prefix = "tcpconnect:",
    .open = connect_open,
    .lines = connect_lines_from_main,
    .preamble = connect_preamble_from_main,
    .close = connect_close,
};
