/* \summary: fc-feat: turns each flow's payload sample into its feature vector (one fingerprint per meter) */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "meters/measure.h"
#include "record.h"
#include "stop_signal.h"
#include "stream.h"

/*
 * For every sample record (kind 3) a vector record (kind 4) is written just
 * before the sample itself, so a later stage that reads both knows, when the
 * sample arrives, that its vector was already seen. Every other record is
 * copied byte for byte. A malformed sample is reported, copied on unchanged
 * (a later stage may still want it), and makes the exit status 1.
 */

static const char usage_text[] =
    "usage: fc-feat [options] < flows > flows-with-vectors\n"
    "Adds a feature vector record (kind 4) for every payload sample (kind 3) in a FlowCarp stream.\n"
    "  -h, --help           print this help and exit\n"
    "      --version        print the version and exit\n"
    "  -v, --verbose        print the counters on stderr at the end\n"
    "      --debug          print debugging information\n"
    "      --drop-samples   do not pass sample records on (vectors carry the flow fields)\n"
    "      --list-meters    print the meter set (name, version, meters and their weights) and exit\n";

enum { OPT_VERSION = 256, OPT_DEBUG, OPT_DROP_SAMPLES, OPT_LIST_METERS };

static const struct option long_options[] = {
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "drop-samples", no_argument, NULL, OPT_DROP_SAMPLES },
    { "list-meters", no_argument, NULL, OPT_LIST_METERS },
    { NULL, 0, NULL, 0 },
};

struct feat_counters {
    uint64_t samples, vectors, malformed;
};

static void list_meters(void)
{
    printf("%s %u\n", METER_SET_NAME, METER_SET_VERSION);
    for (unsigned m = 0; m < meter_count; m++)
        printf("%2u %s %u weight %g\n", m, meters[m].name, meters[m].version, meters[m].weight);
}

static void write_stats(struct fc_writer *w, const struct feat_counters *c, int exit_status)
{
    msgpack_packer *pk = fc_writer_packer(w);
    fc_pack_stats_start(pk, "fc-feat", exit_status);
    msgpack_pack_map(pk, 3);
    fc_pack_kv_uint(pk, "samples", c->samples);
    fc_pack_kv_uint(pk, "vectors", c->vectors);
    fc_pack_kv_uint(pk, "malformed_samples", c->malformed);
    fc_writer_record_done(w);
    fc_info("samples: %" PRIu64 ", vectors: %" PRIu64 ", malformed samples: %" PRIu64, c->samples, c->vectors,
            c->malformed);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    bool drop_samples = false;
    int c;
    while ((c = getopt_long(argc, argv, "hv", long_options, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); return FC_EXIT_OK;
        case OPT_VERSION: printf("fc-feat %s\n", FC_VERSION); return FC_EXIT_OK;
        case 'v': fc_verbosity = fc_verbosity > 1 ? fc_verbosity : 1; break;
        case OPT_DEBUG: fc_verbosity = 2; break;
        case OPT_DROP_SAMPLES: drop_samples = true; break;
        case OPT_LIST_METERS: list_meters(); return FC_EXIT_OK;
        default: fprintf(stderr, "Try '%s --help'.\n", fc_progname()); return FC_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s' (fc-feat reads stdin and writes stdout)\nTry '%s --help'.\n",
                fc_progname(), argv[optind], fc_progname());
        return FC_EXIT_USAGE;
    }

    struct fc_reader reader;
    struct fc_writer writer;
    fc_stop_signals_install();
    fc_writer_open(&writer, STDOUT_FILENO, "stdout");
    fc_reader_open(&reader, STDIN_FILENO, "stdin");
    fc_reader_flush_on_wait(&reader, &writer);
    fc_writer_header(&writer, &reader.header, argc, argv, NULL);

    static struct meter_sample sample;
    static struct fc_vector vector;
    struct feat_counters count = { 0 };
    bool damaged = false;
    struct fc_record rec;
    int got;
    while ((got = fc_reader_next(&reader, &rec)) == 1) {
        if (rec.kind != FC_REC_SAMPLE) {
            fc_writer_raw(&writer, rec.raw, rec.raw_len);
            continue;
        }
        count.samples++;
        const char *why = NULL;
        if (!meter_sample_read(&rec.obj, &sample, &why)) {
            fc_warn("%s: offset %" PRIu64 ": %s; passed on without a vector", reader.name, rec.offset, why);
            count.malformed++;
            damaged = true;
            fc_writer_raw(&writer, rec.raw, rec.raw_len);
            continue;
        }
        meter_measure(&sample.session, &vector);
        fc_vector_pack_record(fc_writer_packer(&writer), &rec, &vector);
        fc_writer_record_done(&writer);
        count.vectors++;
        if (!drop_samples)
            fc_writer_raw(&writer, rec.raw, rec.raw_len);
    }
    if (got < 0)
        damaged = true;
    write_stats(&writer, &count, damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK);
    fc_writer_close(&writer);
    fc_reader_close(&reader);
    return damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK;
}
