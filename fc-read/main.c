/* \summary: fc-read: reads pcap/pcapng captures and writes packet batches to the record stream */
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "log.h"
#include "record.h"
#include "sources.h"
#include "stream.h"
#include "xalloc.h"

/*
 * fc-read is the first stage: SOURCEs in order, each a capture file, stdin or a
 * directory of captures, become one record stream on stdout (header, then per
 * source an "open" record, its packet batches and an "end" record, and at the end
 * fc-read's counters). It decides how much of each packet travels (trim.h): the
 * payload only while a flow's sample still needs it.
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
            "        directory:Once:PATH or directory:OnceRecursive:PATH\n"
            "  -f, --filter EXPR             keep only packets matching the BPF filter EXPR\n"
            "      --sample-packets N        payload packets per flow the sample needs (%d)\n"
            "      --sample-full-packets N   of those, sent whole (%d)\n"
            "      --sample-full-bytes N     payload bytes sent of those at most (%d)\n"
            "      --sample-bytes N          payload bytes sent of the others (%d)\n"
            "      --all-bytes               send every packet whole\n"
            "  -v, --verbose                 say more on stderr\n"
            "      --debug                   say even more\n"
            "  -h, --help                    print this help and exit\n"
            "      --version                 print the version and exit\n",
            DEFAULT_SAMPLE_PACKETS, DEFAULT_SAMPLE_FULL_PACKETS, DEFAULT_SAMPLE_FULL_BYTES, DEFAULT_SAMPLE_BYTES);
}

struct options {
    const char *filter;
    struct sample_limits limits;
    bool all_bytes;
};

enum {
    OPT_SAMPLE_PACKETS = 256, OPT_SAMPLE_FULL, OPT_SAMPLE_FULL_BYTES, OPT_SAMPLE_BYTES, OPT_ALL_BYTES, OPT_DEBUG,
    OPT_VERSION
};

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
        { "sample-packets", required_argument, NULL, OPT_SAMPLE_PACKETS },
        { "sample-full-packets", required_argument, NULL, OPT_SAMPLE_FULL },
        { "sample-full-bytes", required_argument, NULL, OPT_SAMPLE_FULL_BYTES },
        { "sample-bytes", required_argument, NULL, OPT_SAMPLE_BYTES },
        { "all-bytes", no_argument, NULL, OPT_ALL_BYTES },
        { "verbose", no_argument, NULL, 'v' },
        { "debug", no_argument, NULL, OPT_DEBUG },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    o->filter = NULL;
    o->limits = (struct sample_limits){ DEFAULT_SAMPLE_PACKETS, DEFAULT_SAMPLE_FULL_PACKETS, DEFAULT_SAMPLE_BYTES,
                                        DEFAULT_SAMPLE_FULL_BYTES };
    o->all_bytes = false;
    int c;
    while ((c = getopt_long(argc, argv, "f:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->filter = optarg; break;
        case OPT_SAMPLE_PACKETS: o->limits.packets = parse_count("--sample-packets", optarg, 1); break;
        case OPT_SAMPLE_FULL: o->limits.full_packets = parse_count("--sample-full-packets", optarg, 0); break;
        case OPT_SAMPLE_FULL_BYTES: o->limits.full_bytes = parse_count("--sample-full-bytes", optarg, 1); break;
        case OPT_SAMPLE_BYTES: o->limits.bytes = parse_count("--sample-bytes", optarg, 1); break;
        case OPT_ALL_BYTES: o->all_bytes = true; break;
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

struct run {
    struct reader reader;
    bool failed;          /* some input was damaged or unreadable: exit 1 */
};

static void read_found_file(const char *path, void *ctx)
{
    struct run *run = ctx;
    enum capture_outcome o = capture_read(&run->reader, path, true);
    if (o == CAPTURE_DAMAGED || o == CAPTURE_UNREADABLE)
        run->failed = true;
}

static void read_directory(struct run *run, const char *dir, bool recursive)
{
    bool had_error = false;
    if (!directory_each_file(dir, recursive, read_found_file, run, &had_error) || had_error)
        run->failed = true;
}

static void read_source(struct run *run, const struct source_arg *src)
{
    struct stat st;
    if (src->kind == SOURCE_DIRECTORY) {
        read_directory(run, src->path, src->recursive);
    } else if (strcmp(src->path, "-") != 0 && stat(src->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        read_directory(run, src->path, false);
    } else if (capture_read(&run->reader, src->path, false) != CAPTURE_OK) {
        run->failed = true;
    }
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    struct options o;
    parse_options(argc, argv, &o);

    /* Every SOURCE is checked before anything is written. */
    static char stdin_arg[] = "-";
    char *default_args[] = { stdin_arg };
    char **args = optind < argc ? argv + optind : default_args;
    int nargs = optind < argc ? argc - optind : 1;
    struct source_arg *sources = fc_xcalloc((size_t)nargs, sizeof *sources);
    for (int i = 0; i < nargs; i++) {
        if (!source_arg_parse(args[i], &sources[i]))
            exit(FC_EXIT_USAGE);
        if (sources[i].kind == SOURCE_PATH && strcmp(args[i], "-") == 0 && isatty(STDIN_FILENO))
            fc_die(FC_EXIT_USAGE, "stdin is a terminal; name a capture file, or pipe one in (try -h)");
    }
    if (o.filter)
        check_filter(o.filter);

    struct fc_writer w;
    fc_writer_open(&w, STDOUT_FILENO, "stdout");
    struct fc_stream_header sample = { 0 };
    if (!o.all_bytes) {
        sample.sample_packets = o.limits.packets;
        sample.sample_full_packets = o.limits.full_packets;
        sample.sample_bytes = o.limits.bytes;
        sample.sample_full_bytes = o.limits.full_bytes;
    }
    fc_writer_header(&w, NULL, argc, argv, &sample);

    struct run run;
    memset(&run, 0, sizeof run);
    run.reader.w = &w;
    run.reader.filter = o.filter;
    batch_init(&run.reader.batch, &w);
    trim_init(&run.reader.trim, o.all_bytes, &o.limits);
    for (int i = 0; i < nargs; i++)
        read_source(&run, &sources[i]);

    batch_flush(&run.reader.batch);
    struct read_counters *c = &run.reader.counters;
    const struct trim_counters *t = &run.reader.trim.counters;
    c->not_ip = t->not_ip;
    c->undecodable = t->undecodable;
    c->fragments = t->fragments;
    c->cut = t->cut;
    write_stats(&w, c);
    fc_writer_close(&w);
    fc_info("%llu packets from %llu sources, %llu of %llu captured bytes sent on",
            (unsigned long long)c->packets, (unsigned long long)c->sources, (unsigned long long)c->bytes_sent,
            (unsigned long long)c->bytes_captured);
    trim_free(&run.reader.trim);
    batch_free(&run.reader.batch);
    free(sources);
    return run.failed ? FC_EXIT_BAD_INPUT : FC_EXIT_OK;
}
