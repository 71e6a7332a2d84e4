/* \summary: fc-read: reads pcap/pcapng captures and writes packet batches to the record stream */
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "curl_lazy.h"
#include "hub.h"
#include "log.h"
#include "reader.h"
#include "record.h"
#include "sources.h"
#include "stop_signal.h"
#include "stream.h"
#include "xalloc.h"

/*
 * fc-read is the first stage: SOURCEs (sources.h), files and live inputs alike, become
 * one record stream on stdout (header, then per source an "open" record, its packet
 * batches and an "end" record, and at the end fc-read's counters). It decides how much
 * of each packet travels (trim.h): the payload only while a flow's sample still needs
 * it. Files alone are read in order in this thread; live sources, --realtime and
 * --timeout run through the hub (hub.h). SIGINT and SIGTERM end the input: what was
 * read is written, and the exit status is 0.
 *
 * Exit status: 0, or 1 when any input was damaged or unreadable (everything
 * readable was still written), 2 for usage errors (found before any output),
 * 3 for system errors such as a failed write.
 */

#define DEFAULT_SAMPLE_PACKETS 20
#define DEFAULT_SAMPLE_FULL_PACKETS 5
#define DEFAULT_SAMPLE_BYTES 128
#define DEFAULT_SAMPLE_FULL_BYTES 2048 /* more than any payload on a 1500-byte MTU network */
#define SAMPLE_LIMIT_MAX 65535

static void usage(FILE *out)
{
    fprintf(out,
            "usage: fc-read [options] [SOURCE...]\n"
            "Reads pcap and pcapng captures and writes their packets as a FlowCarp record stream.\n"
            "SOURCE: a capture file, - for stdin (the default), a directory,\n"
            "        directory:Once:PATH, directory:OnceRecursive:PATH, directory:Monitor:PATH,\n"
            "        http://URL or https://URL (a capture to download),\n"
            "        tcp:PORT (PCAP-over-IP listener), tcpconnect:IP:PORT (PCAP-over-IP client),\n"
            "        tzsp:PORT (TZSP over UDP), iface:NAME (live capture on an interface)\n"
            "  -f, --filter EXPR             keep only packets matching the BPF filter EXPR\n"
            "  -i, --interface NAME          capture on interface NAME (the same as iface:NAME)\n"
            "      --timeout SECONDS         end input after SECONDS without a packet (0 = never)\n"
            "      --realtime                never make a source wait: drop packets when the\n"
            "                                output is behind, and count them\n"
            "      --sample-packets N        payload packets per flow the sample needs (%d)\n"
            "      --sample-full-packets N   of those, sent whole (%d)\n"
            "      --sample-full-bytes N     payload bytes sent of those at most (%d)\n"
            "      --sample-bytes N          payload bytes sent of the others (%d)\n"
            "      --all-bytes               send every packet whole\n"
            "      --reader auto|libpcap     who reads capture files: auto (classic pcap files\n"
            "                                directly, the rest with libpcap) or libpcap (all)\n"
            "  -v, --verbose                 say more on stderr\n"
            "      --debug                   say even more\n"
            "  -h, --help                    print this help and exit\n"
            "      --version                 print the version and exit\n",
            DEFAULT_SAMPLE_PACKETS, DEFAULT_SAMPLE_FULL_PACKETS, DEFAULT_SAMPLE_FULL_BYTES, DEFAULT_SAMPLE_BYTES);
}

#define MAX_INTERFACES 64
#define TIMEOUT_MAX 31536000 /* a year */

struct options {
    const char *filter;
    struct sample_limits limits;
    bool all_bytes;
    bool libpcap_only;
    bool realtime;
    uint64_t timeout_s;
    char *interfaces[MAX_INTERFACES]; /* -i NAME, as "iface:NAME" */
    int ninterfaces;
};

enum {
    OPT_SAMPLE_PACKETS = 256, OPT_SAMPLE_FULL, OPT_SAMPLE_FULL_BYTES, OPT_SAMPLE_BYTES, OPT_ALL_BYTES, OPT_DEBUG,
    OPT_VERSION, OPT_TIMEOUT, OPT_REALTIME, OPT_READER
};

/* --reader: which reader reads capture files (capture.h). */
static const struct {
    const char *name;
    bool libpcap_only;
} capture_readers[] = {
    { "auto", false },
    { "libpcap", true },
};

static bool parse_reader(const char *text)
{
    for (size_t i = 0; i < sizeof capture_readers / sizeof capture_readers[0]; i++)
        if (strcmp(text, capture_readers[i].name) == 0)
            return capture_readers[i].libpcap_only;
    fc_die(FC_EXIT_USAGE, "--reader: '%s' is not auto or libpcap", text);
}

static void add_interface(struct options *o, const char *name)
{
    if (o->ninterfaces == MAX_INTERFACES)
        fc_die(FC_EXIT_USAGE, "-i: more than %d interfaces", MAX_INTERFACES);
    char *arg = fc_xmalloc(strlen("iface:") + strlen(name) + 1);
    strcpy(arg, "iface:");
    strcat(arg, name);
    o->interfaces[o->ninterfaces++] = arg;
}

static uint32_t parse_count(const char *option, const char *text, uint32_t min)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end || v < min || v > SAMPLE_LIMIT_MAX)
        fc_die(FC_EXIT_USAGE, "%s: '%s' is not a number from %u to %u", option, text, min, SAMPLE_LIMIT_MAX);
    return (uint32_t)v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "filter", required_argument, NULL, 'f' },
        { "interface", required_argument, NULL, 'i' },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "realtime", no_argument, NULL, OPT_REALTIME },
        { "sample-packets", required_argument, NULL, OPT_SAMPLE_PACKETS },
        { "sample-full-packets", required_argument, NULL, OPT_SAMPLE_FULL },
        { "sample-full-bytes", required_argument, NULL, OPT_SAMPLE_FULL_BYTES },
        { "sample-bytes", required_argument, NULL, OPT_SAMPLE_BYTES },
        { "all-bytes", no_argument, NULL, OPT_ALL_BYTES },
        { "reader", required_argument, NULL, OPT_READER },
        { "verbose", no_argument, NULL, 'v' },
        { "debug", no_argument, NULL, OPT_DEBUG },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->limits = (struct sample_limits){ DEFAULT_SAMPLE_PACKETS, DEFAULT_SAMPLE_FULL_PACKETS, DEFAULT_SAMPLE_BYTES,
                                        DEFAULT_SAMPLE_FULL_BYTES };
    int c;
    while ((c = getopt_long(argc, argv, "f:i:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->filter = optarg; break;
        case 'i': add_interface(o, optarg); break;
        case OPT_TIMEOUT: o->timeout_s = fc_parse_count(optarg, "timeout", 0, TIMEOUT_MAX); break;
        case OPT_REALTIME: o->realtime = true; break;
        case OPT_SAMPLE_PACKETS: o->limits.packets = parse_count("--sample-packets", optarg, 1); break;
        case OPT_SAMPLE_FULL: o->limits.full_packets = parse_count("--sample-full-packets", optarg, 0); break;
        case OPT_SAMPLE_FULL_BYTES: o->limits.full_bytes = parse_count("--sample-full-bytes", optarg, 1); break;
        case OPT_SAMPLE_BYTES: o->limits.bytes = parse_count("--sample-bytes", optarg, 1); break;
        case OPT_ALL_BYTES: o->all_bytes = true; break;
        case OPT_READER: o->libpcap_only = parse_reader(optarg); break;
        case 'v': fc_verbosity = fc_verbosity > 1 ? fc_verbosity : 1; break;
        case OPT_DEBUG: fc_verbosity = 2; break;
        case 'h': usage(stdout); exit(FC_EXIT_OK);
        case OPT_VERSION: printf("fc-read %s\n", FC_VERSION); exit(FC_EXIT_OK);
        default: usage(stderr); exit(FC_EXIT_USAGE);
        }
    }
    if (o->limits.full_packets > o->limits.packets)
        fc_die(FC_EXIT_USAGE, "--sample-full-packets (%u) cannot exceed --sample-packets (%u)",
               o->limits.full_packets, o->limits.packets);
}

/* A filter that libpcap cannot compile for any supported link type is a usage error,
 * reported before any output; one that only some link types reject is reported per
 * source (capture.c). */
static void check_filter(const char *expr)
{
    static const int probe_dlts[] = { DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL };
    char first_error[PCAP_ERRBUF_SIZE] = "";
    for (size_t i = 0; i < sizeof probe_dlts / sizeof probe_dlts[0]; i++) {
        pcap_t *p = pcap_open_dead(probe_dlts[i], 262144);
        struct bpf_program prog;
        bool ok = p && pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
        if (ok)
            pcap_freecode(&prog);
        else if (p && !first_error[0])
            snprintf(first_error, sizeof first_error, "%s", pcap_geterr(p));
        if (p)
            pcap_close(p);
        if (ok)
            return;
    }
    fc_die(FC_EXIT_USAGE, "bad filter expression '%s': %s", expr, first_error);
}

/* The stream header; "live" tells fc-flow that clock records will come. */
static void write_header(struct fc_writer *w, int argc, char **argv, const struct options *o, bool live)
{
    struct fc_stream_header sample = { 0 };
    if (!o->all_bytes) {
        sample.sample_packets = o->limits.packets;
        sample.sample_full_packets = o->limits.full_packets;
        sample.sample_bytes = o->limits.bytes;
        sample.sample_full_bytes = o->limits.full_bytes;
    }
    if (!live) {
        fc_writer_header(w, NULL, argc, argv, &sample);
        return;
    }
    /* fc_writer_header copies the fields of the header it is given. */
    msgpack_object_kv live_kv = {
        .key = { .type = MSGPACK_OBJECT_STR, .via.str = { (uint32_t)strlen(FC_KEY_LIVE), FC_KEY_LIVE } },
        .val = { .type = MSGPACK_OBJECT_BOOLEAN, .via.boolean = true },
    };
    struct fc_stream_header from = { .major = FC_STREAM_MAJOR, .minor = FC_STREAM_MINOR, .producer = "" };
    from.raw.data = (msgpack_object){ .type = MSGPACK_OBJECT_MAP, .via.map = { 1, &live_kv } };
    fc_writer_header(w, &from, argc, argv, &sample);
}

/* The SOURCE arguments and -i interfaces, all parsed before anything is written. */
static struct source_arg *parse_sources(int argc, char **argv, struct options *o, int *count)
{
    static char stdin_arg[] = "-";
    int nargs = argc - optind;
    int n = nargs + o->ninterfaces;
    struct source_arg *sources = fc_xcalloc((size_t)(n ? n : 1), sizeof *sources);
    for (int i = 0; i < n; i++)
        if (!source_arg_parse(i < o->ninterfaces ? o->interfaces[i] : argv[optind + i - o->ninterfaces], &sources[i]))
            exit(FC_EXIT_USAGE);
    if (n == 0) {
        source_arg_parse(stdin_arg, &sources[0]);
        n = 1;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(sources[i].arg, "-") == 0 && isatty(STDIN_FILENO))
            fc_die(FC_EXIT_USAGE, "stdin is a terminal; name a capture file, or pipe one in (try -h)");
    *count = n;
    return sources;
}

static void copy_source_counters(struct read_counters *c)
{
    c->tzsp_malformed = atomic_load(&source_counters.tzsp_malformed);
    c->tzsp_ignored = atomic_load(&source_counters.tzsp_ignored);
    c->kernel_dropped = atomic_load(&source_counters.kernel_dropped);
    c->refused_clients = atomic_load(&source_counters.refused_clients);
    c->idle_clients_dropped = atomic_load(&source_counters.idle_clients_dropped);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    fc_stop_signals_install(); /* first: a stop that comes early still ends in order */
    struct options o;
    parse_options(argc, argv, &o);
    int nsources;
    struct source_arg *sources = parse_sources(argc, argv, &o, &nsources);
    if (o.filter)
        check_filter(o.filter);
    capture_use_libpcap_only(o.libpcap_only);
    bool live = false;
    for (int i = 0; i < nsources; i++)
        live |= sources[i].kind->live;

    struct fc_writer w;
    fc_writer_open(&w, STDOUT_FILENO, "stdout");
    write_header(&w, argc, argv, &o, live);

    struct reader reader;
    reader_init(&reader, &w, o.filter, o.all_bytes, &o.limits);
    bool ok = true;
    if (live || o.realtime || o.timeout_s) {
        struct hub_options ho = { o.realtime, live, o.timeout_s };
        ok = hub_run(&reader, sources, nsources, &ho);
    } else {
        for (int i = 0; i < nsources && !fc_stop_requested(); i++)
            ok &= sources[i].kind->read(&sources[i], &reader.sink);
    }

    batch_flush(&reader.batch);
    struct read_counters *c = &reader.counters;
    const struct trim_counters *t = &reader.trim.counters;
    c->not_ip = t->not_ip;
    c->undecodable = t->undecodable;
    c->fragments = t->fragments;
    c->cut = t->cut;
    copy_source_counters(c);
    write_stats(&w, c, ok ? FC_EXIT_OK : FC_EXIT_BAD_INPUT);
    fc_writer_close(&w);
    if (c->dropped_packets)
        fc_warn("--realtime: %llu packets dropped because the output was behind",
                (unsigned long long)c->dropped_packets);
    fc_info("%llu packets from %llu sources, %llu of %llu captured bytes sent on",
            (unsigned long long)c->packets, (unsigned long long)c->sources, (unsigned long long)c->bytes_sent,
            (unsigned long long)c->bytes_captured);
    reader_free(&reader);
    free(sources);
    for (int i = 0; i < o.ninterfaces; i++)
        free(o.interfaces[i]);
    curl_lazy_close();
    return ok ? FC_EXIT_OK : FC_EXIT_BAD_INPUT;
}
