/* \summary: tzsp:PORT, TZSP datagrams on a UDP port (MikroTik's packet sniffer stream) */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "input_stop.h"
#include "log.h"
#include "net.h"
#include "sources.h"
#include "tzsp.h"
#include "xalloc.h"

/*
 * All datagrams on the port are one source, named tzsp:PORT; its source record gives
 * Ethernet as link type (what MikroTik sends), but each frame is decoded by the link
 * type its own datagram names. TZSP carries no capture time, so a packet's time is
 * when it arrived. Malformed datagrams are counted (tzsp_malformed) and skipped, the
 * first few also reported with the sender and what is wrong; datagrams without a
 * frame (keep-alives) are counted as tzsp_ignored.
 */

#define DATAGRAM_MAX 65536
#define RECEIVE_BUFFER (8 << 20) /* bursts from a busy router wait here */
#define MALFORMED_REPORTED 5
#define FILTER_DLTS 4            /* distinct link types a filter is compiled for */

struct filters {
    const char *source;      /* for messages */
    const char *expr;
    int dlt[FILTER_DLTS];
    struct bpf_program prog[FILTER_DLTS];
    bool usable[FILTER_DLTS];
    int count;
};

static bool parse_tzsp(const char *rest, struct source_arg *out)
{
    return source_parse_port(rest, out->arg, &out->port);
}

/* Whether the frame passes the filter, compiled once per link type. */
static bool filter_pass(struct filters *f, int dlt, const struct pcap_pkthdr *h, const uint8_t *frame)
{
    if (!f->expr)
        return true;
    int i = 0;
    while (i < f->count && f->dlt[i] != dlt)
        i++;
    if (i == f->count) {
        if (f->count == FILTER_DLTS) /* a fifth link type on one port: not worth a compile */
            return false;
        pcap_t *dead = pcap_open_dead(dlt, DATAGRAM_MAX);
        f->dlt[i] = dlt;
        f->usable[i] = dead && pcap_compile(dead, &f->prog[i], f->expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
        if (!f->usable[i])
            fc_warn("%s: filter '%s' cannot be used on link type %d: its frames are skipped", f->source, f->expr,
                    dlt);
        if (dead)
            pcap_close(dead);
        f->count++;
    }
    return f->usable[i] && pcap_offline_filter(&f->prog[i], h, frame);
}

static void filters_free(struct filters *f)
{
    for (int i = 0; i < f->count; i++)
        if (f->usable[i])
            pcap_freecode(&f->prog[i]);
}

static void report_malformed(const struct source_arg *src, const struct sockaddr_storage *from, const char *why)
{
    unsigned long long n = atomic_fetch_add(&source_counters.tzsp_malformed, 1) + 1;
    if (n > MALFORMED_REPORTED)
        return;
    char peer[80];
    net_peer_name(from, peer, sizeof peer);
    fc_warn("%s: datagram from %s skipped: %s%s", src->arg, peer, why,
            n == MALFORMED_REPORTED ? " (further malformed datagrams are only counted)" : "");
}

/* Passes one datagram's frame on; false when it was dropped. */
static bool pass_frame(const struct tzsp_frame *t, uint16_t number, struct filters *filters, struct sink *sink)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct pcap_pkthdr h = { .caplen = (uint32_t)t->len, .len = (uint32_t)t->len };
    h.ts.tv_sec = now.tv_sec;
    h.ts.tv_usec = (suseconds_t)now.tv_nsec; /* nanoseconds, as the capture reader asks libpcap */
    if (!filter_pass(filters, t->dlt, &h, t->frame))
        return false;
    struct fc_packet p;
    capture_frame_to_packet(linktype_find(t->dlt), t->dlt, t->frame, h.caplen, h.len, &p);
    p.source = number;
    p.ts_us = capture_timestamp_us(&h.ts);
    return sink->ops->packet(sink, &p, h.caplen);
}

static bool read_tzsp(const struct source_arg *src, struct sink *sink)
{
    int fd = net_bind_any(SOCK_DGRAM, src->port, src->arg);
    if (fd < 0)
        return false;
    int size = RECEIVE_BUFFER;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct source_event ev = { src->arg, 0, DLT_EN10MB, DATAGRAM_MAX, 0, NULL };
    sink->ops->open(sink, &ev);
    fc_info("%s: source %llu, listening for TZSP", src->arg, (unsigned long long)ev.index);
    uint8_t *buf = fc_xmalloc(DATAGRAM_MAX);
    struct filters filters = { .source = src->arg, .expr = sink->filter };
    while (!input_stop_requested()) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, INPUT_POLL_MS) <= 0)
            continue;
        struct sockaddr_storage from;
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(fd, buf, DATAGRAM_MAX, MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
        if (n < 0)
            continue;
        struct tzsp_frame t;
        const char *why = "";
        switch (tzsp_parse(buf, (size_t)n, &t, &why)) {
        case TZSP_FRAME:
            if (pass_frame(&t, (uint16_t)ev.index, &filters, sink))
                ev.packets++;
            break;
        case TZSP_NO_FRAME: atomic_fetch_add(&source_counters.tzsp_ignored, 1); break;
        case TZSP_MALFORMED: report_malformed(src, &from, why); break;
        }
    }
    sink->ops->end(sink, &ev);
    filters_free(&filters);
    free(buf);
    close(fd);
    return true;
}

const struct source_kind source_tzsp = { "tzsp:", true, parse_tzsp, read_tzsp };
