/* \summary: fc-flow: turns a packet record stream into flows, payload samples and stats */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "cli.h"
#include "log.h"
#include "packet_batch.h"
#include "record.h"
#include "stop_signal.h"
#include "stream.h"

/*
 * Reads the stream on stdin, writes the new one on stdout: the header (this stage
 * appended), every record of a kind it does not handle copied byte for byte, and in
 * place of packet batches the flow, sample and stats records. Damage in the input
 * (a malformed packet entry, a damaged record) is reported and counted; everything
 * valid is still processed and every flow still ends, and the exit status is 1.
 * Clock records (live input) move the clock and are passed on. SIGINT or SIGTERM end
 * the input early (stream.h: what upstream still sends is read, for a grace period),
 * then every flow ends as at the end of input and the exit status is 0. Whenever the
 * input has nothing to read, what is written so far goes out, so live flows are not
 * held back in the output buffer.
 */

static const char usage_text[] =
    "usage: fc-flow [options] < packets > flows\n"
    "Turns a FlowCarp packet stream (from fc-read) into flow records.\n"
    "  -h, --help                  print this help and exit\n"
    "      --version               print the version and exit\n"
    "  -v, --verbose               print the counters on stderr at the end\n"
    "      --debug                 print debugging information\n"
    "      --tcp-timeout SEC       idle timeout of TCP flows (default 300)\n"
    "      --udp-timeout SEC       idle timeout of UDP flows (default 60)\n"
    "      --icmp-timeout SEC      idle timeout of ICMP and ICMPv6 flows (default 60)\n"
    "      --other-timeout SEC     idle timeout of other IP protocols (default 60)\n"
    "      --closed-timeout SEC    a TCP flow ends SEC after FIN both ways or a RST (default 5)\n"
    "      --preview               also report a flow while it is open, once its payload sample\n"
    "                              is complete (reason preview); its final record follows\n"
    "      --flush SEC             every SEC of traffic time (wall time with live input), also\n"
    "                              report every open flow (reason flush); 0 = never (default)\n"
    "      --max-flows N           most concurrent flows; the least recently active is\n"
    "                              ended (reason forced) to make room (default 4194304)\n"
    "      --sample-packets N      payload packets per flow sample (default: fc-read's, or 20)\n"
    "      --sample-full-packets N of those, how many keep up to --sample-full-bytes (default: fc-read's, or 5)\n"
    "      --sample-full-bytes N   bytes kept of those at most (default: fc-read's, or 2048)\n"
    "      --sample-bytes N        bytes kept of the other sample packets (default: fc-read's, or 128)\n";

enum {
    OPT_VERSION = 256, OPT_DEBUG, OPT_TCP_TIMEOUT, OPT_UDP_TIMEOUT, OPT_ICMP_TIMEOUT, OPT_OTHER_TIMEOUT,
    OPT_CLOSED_TIMEOUT, OPT_MAX_FLOWS, OPT_SAMPLE_PACKETS, OPT_SAMPLE_FULL, OPT_SAMPLE_FULL_BYTES, OPT_SAMPLE_BYTES,
    OPT_PREVIEW, OPT_FLUSH,
};

static const struct option long_options[] = {
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "tcp-timeout", required_argument, NULL, OPT_TCP_TIMEOUT },
    { "udp-timeout", required_argument, NULL, OPT_UDP_TIMEOUT },
    { "icmp-timeout", required_argument, NULL, OPT_ICMP_TIMEOUT },
    { "other-timeout", required_argument, NULL, OPT_OTHER_TIMEOUT },
    { "closed-timeout", required_argument, NULL, OPT_CLOSED_TIMEOUT },
    { "preview", no_argument, NULL, OPT_PREVIEW },
    { "flush", required_argument, NULL, OPT_FLUSH },
    { "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
    { "sample-packets", required_argument, NULL, OPT_SAMPLE_PACKETS },
    { "sample-full-packets", required_argument, NULL, OPT_SAMPLE_FULL },
    { "sample-full-bytes", required_argument, NULL, OPT_SAMPLE_FULL_BYTES },
    { "sample-bytes", required_argument, NULL, OPT_SAMPLE_BYTES },
    { NULL, 0, NULL, 0 },
};

/* Timeout options: which class each sets. */
static const struct timeout_option {
    int opt;
    enum timeout_class tclass;
    int64_t default_s;
} timeout_options[] = {
    { OPT_TCP_TIMEOUT, TC_TCP, 300 },
    { OPT_UDP_TIMEOUT, TC_UDP, 60 },
    { OPT_ICMP_TIMEOUT, TC_ICMP, 60 },
    { OPT_OTHER_TIMEOUT, TC_OTHER, 60 },
    { OPT_CLOSED_TIMEOUT, TC_CLOSED, 5 },
};

/* Sample options: the header field each is bounded by, and the default. */
struct sample_option {
    int opt;
    const char *name;         /* option and fc-read option name */
    uint32_t default_value;
    int64_t given;            /* -1 = not given */
};

/* Option value vs what the header says fc-read kept: lowering is fine, raising is not. */
static uint32_t resolve_sample(const struct sample_option *o, uint32_t header_value)
{
    if (o->given < 0)
        return header_value ? header_value : o->default_value;
    if (header_value && (uint64_t)o->given > header_value)
        fc_die(FC_EXIT_USAGE,
               "--%s %" PRId64 " exceeds the %" PRIu32 " fc-read kept for this stream (its header's sample limits); "
               "raise fc-read's --%s",
               o->name, o->given, header_value, o->name);
    return (uint32_t)o->given;
}

static void write_stats(struct fc_writer *w, const struct engine_counters *c, int exit_status)
{
    msgpack_packer *pk = fc_writer_packer(w);
    fc_pack_stats_start(pk, "fc-flow", exit_status);
#define COUNT_ONE(name) +1
    msgpack_pack_map(pk, 0 ENGINE_COUNTERS(COUNT_ONE));
#define PACK_COUNTER(name) fc_pack_kv_uint(pk, #name, c->name);
    ENGINE_COUNTERS(PACK_COUNTER)
    fc_writer_record_done(w);
#define INFO_COUNTER(name) fc_info("%s: %" PRIu64, #name, c->name);
    ENGINE_COUNTERS(INFO_COUNTER)
}

/* Feeds a clock record's wall time to the engine; false if it has none. */
static bool process_clock(struct engine *e, const struct fc_reader *r, const struct fc_record *rec)
{
    int64_t now_us;
    if (fc_obj_int(fc_map_get(&rec->obj, FC_KEY_NOW), &now_us)) {
        engine_wall_clock(e, now_us);
        return true;
    }
    e->count.malformed_entries++;
    fc_warn("%s: offset %" PRIu64 ": clock record without an integer \"%s\"; passed on, clock unchanged", r->name,
            rec->offset, FC_KEY_NOW);
    return false;
}

/* Accounts the packet entries from *at on, up to end or the first one that is not whole
 * and valid; *at is left there. Returns fc_packet_decode's last answer (0: all read). */
static int process_entries(struct engine *e, const uint8_t **at, const uint8_t *end, uint64_t *entries)
{
    /* Each packet is prepared PREPARE_AHEAD entries before its turn, so the memory of
     * its flow is on its way while the packets before it are accounted. */
    enum { PREPARE_AHEAD = 4 };
    struct packet_prep ring[PREPARE_AHEAD];
    struct fc_packet p;
    int got;
    uint64_t entry = 0, done = 0;
    while ((got = fc_packet_decode(at, end, &p)) == 1) {
        engine_prepare(e, &p, &ring[entry++ % PREPARE_AHEAD]);
        if (entry - done == PREPARE_AHEAD) {
            engine_prefetch_flow(e, &ring[(done + 1) % PREPARE_AHEAD]);
            engine_packet(e, &ring[done++ % PREPARE_AHEAD]);
        }
    }
    while (done < entry)
        engine_packet(e, &ring[done++ % PREPARE_AHEAD]);
    *entries = entry;
    return got;
}

/* Feeds one packet batch record to the engine; false if it is malformed. */
static bool process_batch(struct engine *e, const struct fc_reader *r, const struct fc_record *rec)
{
    const msgpack_object *b = fc_map_get(&rec->obj, FC_KEY_BATCH);
    if (!b || b->type != MSGPACK_OBJECT_BIN) {
        e->count.malformed_entries++;
        fc_warn("%s: offset %" PRIu64 ": packet batch record without a \"b\" bin; skipped", r->name, rec->offset);
        return false;
    }
    const uint8_t *at = (const uint8_t *)b->via.bin.ptr, *end = at + b->via.bin.size;
    uint64_t entry;
    if (process_entries(e, &at, end, &entry) == 0)
        return true;
    e->count.malformed_entries++;
    /* Where in the stream: the bin usually points into the record's own bytes. */
    const uint8_t *raw = rec->raw;
    uint64_t where = rec->offset + (at >= raw && at < raw + rec->raw_len ? (uint64_t)(at - raw) : 0);
    fc_warn("%s: offset %" PRIu64 ": malformed packet entry %" PRIu64 " in batch (length out of range); "
            "skipping the rest of the batch", r->name, where, entry);
    return false;
}

/* The stream ended inside a record: when that record is a packet batch, the whole entries
 * before the cut are packets like any other (a batch holds up to FC_BATCH_MAX of them, and
 * everything valid before damage is output). */
static void salvage_cut_batch(struct engine *e, const struct fc_reader *r)
{
    const uint8_t *p, *entries;
    size_t len;
    uint64_t n = 0;
    if (fc_reader_cut_record(r, &p, &len) && fc_packet_batch_cut(p, len, &entries))
        process_entries(e, &entries, p + len, &n);
    if (n)
        fc_warn("%s: the %" PRIu64 " whole packet entries before the cut in that record were read", r->name, n);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    struct engine_options opt = { .max_flows = 4194304 };
    for (size_t i = 0; i < sizeof timeout_options / sizeof timeout_options[0]; i++)
        opt.timeout_us[timeout_options[i].tclass] = timeout_options[i].default_s * 1000000;
    struct sample_option sample_opts[] = {
        { OPT_SAMPLE_PACKETS, "sample-packets", 20, -1 },
        { OPT_SAMPLE_FULL, "sample-full-packets", 5, -1 },
        { OPT_SAMPLE_BYTES, "sample-bytes", 128, -1 },
        { OPT_SAMPLE_FULL_BYTES, "sample-full-bytes", 2048, -1 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "hv", long_options, NULL)) != -1) {
        const char *name = NULL;
        for (size_t i = 0; i < sizeof long_options / sizeof long_options[0] - 1; i++)
            if (long_options[i].val == c)
                name = long_options[i].name;
        if (c == 'h') {
            fputs(usage_text, stdout);
            return FC_EXIT_OK;
        } else if (c == OPT_VERSION) {
            printf("fc-flow %s\n", FC_VERSION);
            return FC_EXIT_OK;
        } else if (c == 'v') {
            if (fc_verbosity < 1)
                fc_verbosity = 1;
        } else if (c == OPT_DEBUG) {
            fc_verbosity = 2;
        } else if (c == OPT_MAX_FLOWS) {
            opt.max_flows = (uint32_t)fc_parse_count(optarg, name, 1, 1u << 30);
        } else if (c == OPT_PREVIEW) {
            opt.preview = true;
        } else if (c == OPT_FLUSH) {
            opt.flush_us = (int64_t)fc_parse_count(optarg, name, 0, 1000000000000ull) * 1000000;
        } else {
            bool known = false;
            for (size_t i = 0; i < sizeof timeout_options / sizeof timeout_options[0]; i++)
                if (timeout_options[i].opt == c) {
                    opt.timeout_us[timeout_options[i].tclass] = (int64_t)fc_parse_count(optarg, name, 1, 1000000000000ull) * 1000000;
                    known = true;
                }
            for (size_t i = 0; i < sizeof sample_opts / sizeof sample_opts[0]; i++)
                if (sample_opts[i].opt == c) {
                    sample_opts[i].given = (int64_t)fc_parse_count(optarg, name, 0, 65535);
                    known = true;
                }
            if (!known) {
                fprintf(stderr, "Try '%s --help'.\n", fc_progname());
                return FC_EXIT_USAGE;
            }
        }
    }
    if (optind < argc)
        fc_usage_error("unexpected argument '%s' (fc-flow reads stdin and writes stdout)", argv[optind]);

    fc_stop_signals_install();
    struct fc_reader reader;
    struct fc_writer writer;
    fc_writer_open(&writer, STDOUT_FILENO, "stdout");
    fc_reader_open(&reader, STDIN_FILENO, "stdin");
    fc_reader_flush_on_wait(&reader, &writer);
    fc_reader_decode_only(&reader, 1u << FC_REC_PACKETS | 1u << FC_REC_CLOCK); /* the rest passes through as bytes */
    opt.sample.packets = resolve_sample(&sample_opts[0], reader.header.sample_packets);
    opt.sample.full_packets = resolve_sample(&sample_opts[1], reader.header.sample_full_packets);
    opt.sample.bytes = resolve_sample(&sample_opts[2], reader.header.sample_bytes);
    opt.sample.full_bytes = resolve_sample(&sample_opts[3], reader.header.sample_full_bytes);
    fc_debug("sample: %" PRIu32 " packets, %" PRIu32 " full of up to %" PRIu32 " bytes, %" PRIu32 " bytes",
             opt.sample.packets, opt.sample.full_packets, opt.sample.full_bytes, opt.sample.bytes);
    fc_writer_header(&writer, &reader.header, argc, argv, NULL);

    struct engine engine;
    engine_init(&engine, &opt, &writer);
    bool damaged = false;
    struct fc_record rec;
    int got;
    while ((got = fc_reader_next(&reader, &rec)) == 1) {
        if (rec.kind == FC_REC_PACKETS) {
            if (!process_batch(&engine, &reader, &rec))
                damaged = true;
        } else if (rec.kind == FC_REC_CLOCK) {
            if (!process_clock(&engine, &reader, &rec))
                damaged = true;
            fc_writer_raw(&writer, rec.raw, rec.raw_len);
        } else {
            fc_writer_raw(&writer, rec.raw, rec.raw_len);
        }
    }
    if (got < 0) {
        damaged = true;
        salvage_cut_batch(&engine, &reader);
    }
    engine_end_all(&engine);
    write_stats(&writer, &engine.count, damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK);
    fc_writer_close(&writer);
    engine_free(&engine);
    fc_reader_close(&reader);
    return damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK;
}
