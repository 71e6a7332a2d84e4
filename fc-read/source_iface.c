/* \summary: iface:NAME (and -i NAME), live capture on a network interface through libpcap */
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "input_stop.h"
#include "log.h"
#include "sources.h"

/*
 * The interface is opened in immediate mode (each packet is handed over at once, so
 * live flows are not held back by libpcap's buffering) with a large kernel buffer,
 * nanosecond time stamps and the BPF filter set in the kernel. libpcap is polled
 * without blocking, so the loop sees the end of input within INPUT_POLL_MS. Packets
 * the kernel dropped (its buffer was full) are added to the kernel_dropped counter.
 */

#define SNAPLEN 262144
#define KERNEL_BUFFER (32 << 20)

struct live {
    struct sink *sink;
    const struct linktype *linktype;
    int dlt;
    bool nanoseconds;        /* libpcap could give the nanosecond time stamps asked for */
    struct source_event ev;
};

static bool parse_iface(const char *rest, struct source_arg *out)
{
    if (!rest[0]) {
        fc_warn("%s: no interface named; the form is iface:NAME", out->arg);
        return false;
    }
    return true;
}

static void on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *frame)
{
    struct live *l = (struct live *)arg;
    struct fc_packet p;
    capture_frame_to_packet(l->linktype, l->dlt, frame, h->caplen, h->len, &p);
    p.source = (uint16_t)l->ev.index;
    struct timeval ts = h->ts;
    if (!l->nanoseconds)
        ts.tv_usec *= 1000;
    p.ts_us = capture_timestamp_us(&ts);
    if (l->sink->ops->packet(l->sink, &p, h->caplen))
        l->ev.packets++;
}

/* Opens and activates the interface with the filter set; NULL after saying why. */
static pcap_t *open_interface(const char *name, const char *filter)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_create(name, errbuf);
    if (!pc) {
        fc_warn("iface:%s: %s", name, errbuf);
        return NULL;
    }
    pcap_set_snaplen(pc, SNAPLEN);
    pcap_set_promisc(pc, 1);
    pcap_set_immediate_mode(pc, 1);
    pcap_set_buffer_size(pc, KERNEL_BUFFER);
    pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
    int rc = pcap_activate(pc);
    if (rc < 0) {
        fc_warn("iface:%s: cannot capture: %s", name, pcap_geterr(pc));
        pcap_close(pc);
        return NULL;
    }
    if (rc > 0)
        fc_warn("iface:%s: %s", name, pcap_geterr(pc));
    struct bpf_program prog;
    if (filter && (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(pc, &prog) != 0)) {
        fc_warn("iface:%s: filter '%s' cannot be used: %s", name, filter, pcap_geterr(pc));
        pcap_close(pc);
        return NULL;
    }
    if (filter)
        pcap_freecode(&prog);
    if (pcap_setnonblock(pc, 1, errbuf) != 0) {
        fc_warn("iface:%s: %s", name, errbuf);
        pcap_close(pc);
        return NULL;
    }
    return pc;
}

static bool read_iface(const struct source_arg *src, struct sink *sink)
{
    pcap_t *pc = open_interface(src->rest, sink->filter);
    if (!pc)
        return false;
    struct live l = { sink, NULL, pcap_datalink(pc), pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO,
                      { src->arg, 0, 0, pcap_snapshot(pc), 0, NULL } };
    l.linktype = linktype_find(l.dlt);
    l.ev.linktype = l.dlt;
    sink->ops->open(sink, &l.ev);
    fc_info("%s: source %llu, link type %s (%d)", src->arg, (unsigned long long)l.ev.index,
            l.linktype ? l.linktype->name : "unsupported: frames passed on raw", l.dlt);
    int fd = pcap_get_selectable_fd(pc);
    char error[PCAP_ERRBUF_SIZE + 64] = "";
    while (!input_stop_requested()) {
        struct pollfd p = { fd, POLLIN, 0 };
        poll(&p, 1, INPUT_POLL_MS);
        if (pcap_dispatch(pc, -1, on_packet, (u_char *)&l) == PCAP_ERROR) {
            snprintf(error, sizeof error, "capture failed: %s", pcap_geterr(pc));
            fc_warn("%s: %s", src->arg, error);
            break;
        }
    }
    if (!error[0]) /* what the kernel caught before the end is read too */
        pcap_dispatch(pc, -1, on_packet, (u_char *)&l);
    struct pcap_stat st;
    if (pcap_stats(pc, &st) == 0)
        atomic_fetch_add(&source_counters.kernel_dropped, (unsigned long long)st.ps_drop + st.ps_ifdrop);
    l.ev.error = error[0] ? error : NULL;
    sink->ops->end(sink, &l.ev);
    pcap_close(pc);
    return !error[0];
}

const struct source_kind source_iface = { "iface:", true, parse_iface, read_iface };
