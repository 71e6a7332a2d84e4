/* \summary: reading one pcap or pcapng stream (file, stdin, socket, download) into a sink */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "damage_offset.h"
#include "fd_stream.h"
#include "input_stop.h"
#include "linktype.h"
#include "log.h"
#include "pcap_file.h"
#include "pcapng_file.h"
#include "progress.h"

/*
 * Three record readers, one interface (struct record_reader): classic pcap files are
 * read by pcap_file.h, which reads them as libpcap does without its copying, and
 * everything else (pcapng, stdin, sockets, downloads, the odd pcap variants) by
 * libpcap, asked for nanosecond timestamps so nothing is rounded before we floor them
 * to µs. A pcapng file whose interfaces differ in link type or snapshot length,
 * which libpcap gives up, is read on by pcapng_file.h from the packet where libpcap
 * stopped. `--reader libpcap` (capture_use_libpcap_only) has libpcap read everything
 * else too, as a fallback and for comparing the two. The hot loop is one record read, one link
 * decoder call, the trim decision and one copy into the batch buffer.
 *
 * Damage: a reader stops at a record it cannot read. Everything before it has been
 * sent; the message names the file and the byte offset where the bad record starts
 * (pcap_file.h knows it; for libpcap, damage_offset.h works it out). The BPF filter is
 * run here (pcap_offline_filter) rather than inside libpcap, so every record passes
 * through this loop and is counted, even those the filter drops.
 *
 * Input ending (input_stop.h) is looked at between packets; a stream cut short by it
 * ends cleanly, not as damage.
 */

struct source;

/* What the damage a reader stopped at is, and where. */
struct damage {
    const char *what;     /* the reader's words */
    bool pcapng;          /* in a pcapng block, not a pcap packet record */
    long long at;         /* byte offset of the record or block; -1 when not known */
};

struct record_reader {
    const char *name;     /* in the -v line about each source */
    /* As pcap_next_ex: 1 and a packet, PCAP_ERROR_BREAK at the end, PCAP_ERROR at damage. */
    int (*next)(struct source *s, struct pcap_pkthdr **h, const u_char **frame);
    void (*damage)(struct source *s, uint64_t good_records, struct damage *d);
    void (*close)(struct source *s);
};

struct source {
    const char *path;     /* as given; "-" for stdin; NULL for a stream */
    const char *name;     /* for messages */
    const struct record_reader *reader;
    FILE *file;           /* libpcap's input */
    pcap_t *pcap;         /* libpcap's handle: of the whole input, or of pcap_file's header */
    struct pcap_file *pcap_file;
    struct pcapng_file *pcapng_file;
    struct record_position rp; /* libpcap: where its next record starts */
    int fd;               /* for the progress display; -1 when there is none */
    struct bpf_program filter;
    bool has_filter;
    const struct bpf_program *active_filter; /* of the packet's link type; NULL: none */
    const struct linktype *linktype;         /* of the packet's interface */
    int dlt;
    uint16_t number;      /* as it appears in packet entries */
    uint64_t packets;     /* passed on */
    uint64_t past_link;   /* of them, decoded past the link layer */
    uint64_t zero_length; /* records of wire length 0, skipped: not packets */
    uint64_t first_zero_length; /* the number of the first of them, from 1 */
    char error[PCAP_ERRBUF_SIZE + 96];
};

/* Opens the file (or a private copy of stdin, so a second "-" finds it at its end
 * instead of closed, read so that a quiet pipe does not delay a stop). NULL with a
 * message when it cannot be opened. */
static FILE *open_input(const char *path, const char *name)
{
    FILE *f;
    if (strcmp(path, "-") == 0) {
        int fd = dup(STDIN_FILENO);
        f = fd >= 0 ? fd_stream_open(fd, name, NULL) : NULL;
        if (!f && fd >= 0) {
            int err = errno;
            close(fd);
            errno = err;
        }
    } else {
        f = fopen(path, "rb");
    }
    if (!f)
        fc_warn("%s: %s", name, strerror(errno));
    return f;
}

static bool is_empty(FILE *f)
{
    int c = getc(f);
    if (c == EOF)
        return true;
    ungetc(c, f);
    return false;
}

static int libpcap_next(struct source *s, struct pcap_pkthdr **h, const u_char **frame)
{
    int rc = pcap_next_ex(s->pcap, h, frame);
    if (rc == 1)
        record_position_advance(&s->rp, (*h)->caplen);
    return rc;
}

static void libpcap_damage(struct source *s, uint64_t good_records, struct damage *d)
{
    d->what = pcap_geterr(s->pcap);
    d->pcapng = pcap_major_version(s->pcap) == 1; /* libpcap reports pcapng as version 1.0 */
    bool walkable = s->path && strcmp(s->path, "-") != 0; /* a file, read again from its start */
    d->at = !walkable ? (s->rp.known ? (long long)s->rp.at : -1)
          : d->pcapng ? pcapng_damage_offset(s->path, good_records)
          : pcap_damage_offset(s->path, good_records);
}

static void libpcap_close(struct source *s)
{
    pcap_close(s->pcap); /* and s->file */
}

static const struct record_reader libpcap_reader = { "libpcap", libpcap_next, libpcap_damage, libpcap_close };

static int pcap_file_reader_next(struct source *s, struct pcap_pkthdr **h, const u_char **frame)
{
    return pcap_file_next(s->pcap_file, h, frame);
}

static void pcap_file_reader_damage(struct source *s, uint64_t good_records, struct damage *d)
{
    (void)good_records;
    d->what = pcap_file_error(s->pcap_file);
    d->pcapng = false;
    d->at = (long long)pcap_file_record_offset(s->pcap_file);
}

static void pcap_file_reader_close(struct source *s)
{
    pcap_file_close(s->pcap_file); /* and its s->pcap */
}

static const struct record_reader pcap_file_reader = {
    "the pcap file reader", pcap_file_reader_next, pcap_file_reader_damage, pcap_file_reader_close
};

/* The packet's interface sets the link type and the filter (compiled for that link type). */
static int pcapng_file_reader_next(struct source *s, struct pcap_pkthdr **h, const u_char **frame)
{
    struct pcapng_interface_view iface;
    int rc = pcapng_file_next(s->pcapng_file, h, frame, &iface);
    if (rc == 1) {
        if (iface.dlt != s->dlt) {
            s->dlt = iface.dlt;
            s->linktype = linktype_find(iface.dlt);
        }
        s->active_filter = iface.filter;
    }
    return rc;
}

static void pcapng_file_reader_damage(struct source *s, uint64_t good_records, struct damage *d)
{
    (void)good_records;
    d->what = pcapng_file_error(s->pcapng_file);
    d->pcapng = true;
    d->at = (long long)pcapng_file_block_offset(s->pcapng_file);
}

static void pcapng_file_reader_close(struct source *s)
{
    pcapng_file_close(s->pcapng_file);
}

static const struct record_reader pcapng_file_reader = {
    "the pcapng reader", pcapng_file_reader_next, pcapng_file_reader_damage, pcapng_file_reader_close
};

/* libpcap 1.10's words when it gives a pcapng file up at an interface unlike the first. */
static bool is_unlike_first_interface(const char *error)
{
    return strstr(error, "different from the type of the first interface") ||
           strstr(error, "different from the snapshot length of the first interface");
}

/* libpcap gives a pcapng file up at an interface whose link type or snapshot length is
 * not the first one's; a file (not a stream: it is read again from its start) is then
 * read on by pcapng_file.h from the packet libpcap stopped before. */
static bool take_over_mixed_interfaces(struct source *s, const char *filter, uint64_t seen)
{
    bool walkable = s->path && strcmp(s->path, "-") != 0;
    if (s->reader != &libpcap_reader || !walkable || pcap_major_version(s->pcap) != 1 ||
        !is_unlike_first_interface(pcap_geterr(s->pcap)))
        return false;
    char err[PCAP_ERRBUF_SIZE];
    struct pcapng_file *f = pcapng_file_open(s->path, seen, filter, err, sizeof err);
    if (!f) {
        fc_warn("%s: %s", s->name, err);
        return false;
    }
    fc_info("%s: its interfaces differ in link type or snapshot length: read on from packet %llu by the pcapng reader",
            s->name, (unsigned long long)seen);
    pcap_close(s->pcap); /* and s->file */
    s->pcap = NULL;
    s->file = NULL;
    s->pcapng_file = f;
    s->reader = &pcapng_file_reader;
    return true;
}

static bool libpcap_only;

void capture_use_libpcap_only(bool only)
{
    libpcap_only = only;
}

/* Hands the file to libpcap; on failure says why (pcap_close would close f, so the
 * caller closes it only when this fails). */
static enum capture_outcome open_capture(struct source *s, bool quiet_not_capture)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    if (is_empty(s->file)) {
        if (quiet_not_capture)
            fc_warn("%s: skipped: empty file", s->name);
        else
            fc_warn("%s: empty %s, expected a pcap or pcapng capture", s->name,
                    s->path && strcmp(s->path, "-") != 0 ? "file" : "input");
        return CAPTURE_NOT_A_CAPTURE;
    }
    s->pcap = pcap_fopen_offline_with_tstamp_precision(s->file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!s->pcap) {
        if (quiet_not_capture)
            fc_warn("%s: skipped: not a pcap or pcapng capture (libpcap: %s)", s->name, errbuf);
        else
            fc_warn("%s: not a pcap or pcapng capture (libpcap: %s)", s->name, errbuf);
        return CAPTURE_NOT_A_CAPTURE;
    }
    s->reader = &libpcap_reader;
    s->fd = fileno(s->file);
    record_position_start(&s->rp, pcap_major_version(s->pcap) == 2);
    return CAPTURE_OK;
}

static bool compile_filter(struct source *s, const char *expr)
{
    if (!expr)
        return true;
    if (pcap_compile(s->pcap, &s->filter, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        const char *dlt_name = pcap_datalink_val_to_name(s->dlt);
        fc_warn("%s: filter '%s' cannot be used on link type %s: %s", s->name, expr,
                dlt_name ? dlt_name : "unknown", pcap_geterr(s->pcap));
        return false;
    }
    s->has_filter = true;
    return true;
}

int64_t capture_timestamp_us(const struct timeval *tv)
{
    /* within the packet entry's range (packet_batch.h), with room for tv_usec, up to 4.3e9 ns */
    const int64_t max_sec = FC_PACKET_TIME_LIMIT_US / 1000000 - 10;
    int64_t sec = (int64_t)tv->tv_sec;
    sec = sec > max_sec ? max_sec : sec < -max_sec ? -max_sec : sec;
    return sec * 1000000 + (int64_t)((uint64_t)(uint32_t)tv->tv_usec / 1000);
}

void capture_frame_to_packet(const struct linktype *lt, int dlt, const uint8_t *frame, uint32_t caplen,
                             uint32_t len, struct fc_packet *p)
{
    struct fc_netlayer nl = { 0, 0, 0, 0 };
    p->flags = caplen < len ? FC_PKT_SNAPPED : 0;
    p->wire_len = len;
    if (lt && lt->decode(frame, caplen, &nl)) {
        p->link = FC_LINK_NETWORK;
        p->proto = nl.ethertype;
        p->vlan = nl.vlan;
        p->vlan2 = nl.vlan2;
        p->data = frame + nl.offset;
        p->data_len = caplen - nl.offset;
    } else {
        p->link = FC_LINK_OTHER;
        p->proto = (uint16_t)dlt;
        p->vlan = p->vlan2 = 0;
        p->data = frame;
        p->data_len = caplen;
    }
}

static void build_packet(const struct source *s, const struct pcap_pkthdr *h, const uint8_t *frame,
                         struct fc_packet *p)
{
    capture_frame_to_packet(s->linktype, s->dlt, frame, h->caplen, h->len, p);
    p->source = s->number;
    p->ts_us = capture_timestamp_us(&h->ts);
}

/* Describes the damage the reader stopped at, for the warning and the source record. */
static void describe_damage(struct source *s, uint64_t good_records)
{
    struct damage d;
    s->reader->damage(s, good_records, &d);
    if (is_unlike_first_interface(d.what)) {
        /* not damage: a pcapng file of such interfaces is read on by pcapng_file.h, which
         * reads a file again from its start, and a stream cannot be */
        snprintf(s->error, sizeof s->error,
                 "after packet %llu: an interface unlike the first one (%s): libpcap reads such a pcapng "
                 "capture only from a file; save the stream to a file and give its name",
                 (unsigned long long)good_records, d.what);
        fc_warn("%s: %s", s->name, s->error);
        return;
    }
    const char *kind = strstr(d.what, "truncated") ? "truncated" : "damaged";
    if (d.at >= 0)
        snprintf(s->error, sizeof s->error, "offset %lld: %s %s (%s)", d.at, kind,
                 d.pcapng ? "block" : "packet record", d.what);
    else
        snprintf(s->error, sizeof s->error, "after packet %llu: %s %s (%s)", (unsigned long long)good_records,
                 kind, d.pcapng ? "block" : "packet record", d.what);
    fc_warn("%s: %s", s->name, s->error);
}

/* Reads every packet; false when the source ended in damage. */
static bool read_packets(struct sink *sink, struct source *s)
{
    struct progress pr;
    progress_start(&pr, s->name, s->fd);
    struct pcap_pkthdr *h;
    const u_char *frame;
    uint64_t seen = 0;
    int rc = 0;
    while (!input_stop_requested()) {
        rc = s->reader->next(s, &h, &frame);
        if (rc == PCAP_ERROR && take_over_mixed_interfaces(s, sink->filter, seen))
            continue;
        if (rc != 1)
            break;
        seen++;
        if (h->len == 0) {
            /* nothing is 0 bytes long on the wire: a zero-filled block (space a capture
             * tool took and never wrote) reads as records of length 0 */
            if (!s->zero_length++)
                s->first_zero_length = seen;
        } else if (!s->active_filter || pcap_offline_filter(s->active_filter, h, frame)) {
            struct fc_packet p;
            build_packet(s, h, frame, &p);
            if (sink->ops->packet(sink, &p, h->caplen)) {
                s->packets++;
                s->past_link += p.link == FC_LINK_NETWORK;
            }
        }
        progress_packet(&pr, seen);
    }
    progress_end(&pr);
    if (rc == PCAP_ERROR && !input_stop_requested()) {
        describe_damage(s, seen);
        return false;
    }
    if (s->zero_length) {
        snprintf(s->error, sizeof s->error,
                 "%llu packet records of length 0 from packet %llu on: not packets (a zero-filled block?), skipped",
                 (unsigned long long)s->zero_length, (unsigned long long)s->first_zero_length);
        fc_warn("%s: %s", s->name, s->error);
        return false;
    }
    return true;
}

/* A source whose packets all stayed undecoded gives no flow: said, so that an empty log
 * is not taken for a quiet network. */
static void say_if_nothing_decoded(const struct source *s, int snaplen)
{
    if (!s->packets || s->past_link)
        return;
    if (!s->linktype)
        fc_warn("%s: link type %d is not one fc-read decodes: its %llu packets make no flows", s->name, s->dlt,
                (unsigned long long)s->packets);
    else
        fc_warn("%s: none of its %llu packets could be decoded past the %s header (snapshot length %d): no flows",
                s->name, (unsigned long long)s->packets, s->linktype->name, snaplen);
}

/* Reads a source whose reader is open to its end, and closes it. */
static enum capture_outcome read_source(struct sink *sink, struct source *s)
{
    s->dlt = pcap_datalink(s->pcap);
    s->linktype = linktype_find(s->dlt);
    if (!compile_filter(s, sink->filter)) {
        s->reader->close(s);
        return CAPTURE_UNREADABLE;
    }
    s->active_filter = s->has_filter ? &s->filter : NULL;
    struct source_event ev = { s->path ? s->path : s->name, 0, s->dlt, pcap_snapshot(s->pcap), 0, NULL };
    sink->ops->open(sink, &ev);
    s->number = (uint16_t)ev.index; /* packet entries have 16 bits; the source record has all */
    fc_info("%s: source %llu, link type %s (%d), snaplen %d, read by %s", s->name, (unsigned long long)ev.index,
            s->linktype ? s->linktype->name : "unsupported: frames passed on raw", s->dlt, ev.snaplen,
            s->reader->name);

    bool clean = read_packets(sink, s);
    say_if_nothing_decoded(s, ev.snaplen);
    ev.packets = s->packets;
    ev.error = clean ? NULL : s->error;
    sink->ops->end(sink, &ev);
    if (s->has_filter)
        pcap_freecode(&s->filter);
    s->reader->close(s);
    return clean ? CAPTURE_OK : CAPTURE_DAMAGED;
}

/* Has libpcap read the opened s->file to its end, and closes it. */
static enum capture_outcome read_with_libpcap(struct sink *sink, struct source *s, bool quiet_not_capture)
{
    enum capture_outcome outcome = open_capture(s, quiet_not_capture);
    if (outcome != CAPTURE_OK) {
        fclose(s->file);
        return outcome;
    }
    return read_source(sink, s);
}

enum capture_outcome capture_read(struct sink *sink, const char *path, bool quiet_not_capture)
{
    struct source s;
    memset(&s, 0, sizeof s);
    s.path = path;
    s.name = strcmp(path, "-") == 0 ? "stdin" : path;
    if (!libpcap_only && strcmp(path, "-") != 0 && (s.pcap_file = pcap_file_open(path)) != NULL) {
        s.reader = &pcap_file_reader;
        s.pcap = pcap_file_pcap(s.pcap_file);
        s.fd = pcap_file_fd(s.pcap_file);
        return read_source(sink, &s);
    }
    s.file = open_input(path, s.name);
    if (!s.file)
        return CAPTURE_UNREADABLE;
    return read_with_libpcap(sink, &s, quiet_not_capture);
}

enum capture_outcome capture_read_stream(struct sink *sink, FILE *stream, const char *name)
{
    struct source s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.file = stream;
    return read_with_libpcap(sink, &s, false);
}
