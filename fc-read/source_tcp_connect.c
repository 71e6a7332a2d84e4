/* \summary: tcpconnect:HOST:PORT, a PCAP-over-IP client that reconnects with backoff */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "fd_stream.h"
#include "input_stop.h"
#include "log.h"
#include "net.h"
#include "sources.h"

/*
 * The server (PolarProxy, pcap-broker) sends a pcap stream to whoever connects. When
 * it cannot be reached or the stream ends, fc-read says so and tries again after 1 s,
 * doubling the wait up to BACKOFF_MAX_S while it keeps failing, until input ends
 * (--timeout, a signal). Every connection is a source of its own: each stream starts
 * with its own pcap header.
 */

#define BACKOFF_MAX_S 30

/* HOST:PORT or [IPv6]:PORT */
static bool parse_connect(const char *rest, struct source_arg *out)
{
    const char *colon = strrchr(rest, ':');
    const char *host = rest, *host_end = colon;
    if (rest[0] == '[') {
        const char *close = strchr(rest, ']');
        if (!close || close[1] != ':') {
            fc_warn("%s: expected [IPv6]:PORT", out->arg);
            return false;
        }
        host = rest + 1;
        host_end = close;
        colon = close + 1;
    }
    if (!colon || host_end == host) {
        fc_warn("%s: expected tcpconnect:IP:PORT", out->arg);
        return false;
    }
    if ((size_t)(host_end - host) >= sizeof out->host) {
        fc_warn("%s: host name too long", out->arg);
        return false;
    }
    memcpy(out->host, host, (size_t)(host_end - host));
    out->host[host_end - host] = 0;
    return source_parse_port(colon + 1, out->arg, &out->port);
}

/* Reads one connection's stream; false when the connection could not be made. *bad_stream:
 * what came was not a capture, or a damaged one. */
static bool read_connection(const struct source_arg *src, struct sink *sink, bool *bad_stream)
{
    const char *why = NULL;
    int fd = net_connect(src->host, src->port, &why);
    if (fd < 0) {
        if (!input_stop_requested())
            fc_warn("%s: cannot connect: %s", src->arg, why);
        return false;
    }
    FILE *stream = fd_stream_open(fd, src->arg, NULL);
    if (!stream) {
        fc_warn("%s: %s", src->arg, strerror(errno));
        close(fd);
        return false;
    }
    fc_info("%s: connected", src->arg);
    *bad_stream = capture_read_stream(sink, stream, src->arg) != CAPTURE_OK;
    if (!input_stop_requested())
        fc_warn("%s: the server closed the stream", src->arg);
    return true;
}

static bool read_connect(const struct source_arg *src, struct sink *sink)
{
    unsigned backoff = 1;
    bool ever_connected = false, bad_stream = false, ever_bad = false;
    while (!input_stop_requested()) {
        if (read_connection(src, sink, &bad_stream)) {
            ever_connected = true;
            ever_bad |= bad_stream;   /* damage is said, and counted in the exit status */
            backoff = bad_stream ? backoff : 1;
        }
        if (input_stop_requested())
            break;
        fc_warn("%s: reconnecting in %u s", src->arg, backoff);
        if (!net_wait(backoff))
            break;
        backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
    }
    return ever_connected && !ever_bad;
}

const struct source_kind source_tcp_connect = { "tcpconnect:", true, parse_connect, read_connect };
