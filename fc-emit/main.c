/* \summary: fc-emit: the last stage, writes a record stream's flows and alerts as CSV, TSV, Zeek or Eve text */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "emit.h"
#include "log.h"
#include "output.h"
#include "record.h"
#include "stop_signal.h"

static const char usage_text[] =
    "usage: fc-emit [--format NAME] [--community-id-seed N] [-o TARGET]\n"
    "               [--peer-buffer BYTES] [--linger SECONDS] [--no-alert-tag TAG]...\n"
    "Reads a FlowCarp record stream on stdin and writes its flows (and alerts) as text.\n"
    "  --format NAME            output format (default CSV; names are case-insensitive):\n"
    "%s"
    "  --community-id-seed N    Community ID seed, 0-65535 (default 0)\n"
    "  -o, --output TARGET      where the lines go (default - , stdout):\n"
    "                             FILE                 the file (replaced; SIGHUP reopens it)\n"
    "                             DIR                  a new file flowcarp-YYYYmmdd-HHMMSS[-N].EXT\n"
    "                                                  in the existing folder DIR (SIGHUP: the next one)\n"
    "                             tcp:[IP:]PORT        serve the lines to every TCP client connected\n"
    "                                                  (no IP: every address)\n"
    "                             tcpconnect:IP:PORT   send the lines to a TCP server, reconnecting\n"
    "      --peer-buffer BYTES  bytes waiting per TCP client or server before a client is\n"
    "                           dropped or lines are (default %u)\n"
    "      --linger SECONDS     at the end, time TCP peers get to take what waits (default %u)\n"
    "      --no-alert-tag TAG   no alert for flows whose model carries TAG (e.g. COINMINER);\n"
    "                           repeatable; the flows keep their protocol and tags\n"
    "  -v, --verbose            log more to stderr\n"
    "      --debug              log debug information\n"
    "  -h, --help               print this help and exit\n"
    "      --version            print the version and exit\n";

enum { OPT_FORMAT = 256, OPT_SEED, OPT_PEER_BUFFER, OPT_LINGER, OPT_DEBUG, OPT_VERSION, OPT_NO_ALERT_TAG };

static const struct option long_options[] = {
    { "format", required_argument, NULL, OPT_FORMAT },
    { "community-id-seed", required_argument, NULL, OPT_SEED },
    { "output", required_argument, NULL, 'o' },
    { "peer-buffer", required_argument, NULL, OPT_PEER_BUFFER },
    { "linger", required_argument, NULL, OPT_LINGER },
    { "no-alert-tag", required_argument, NULL, OPT_NO_ALERT_TAG },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

struct emit_options {
    const struct emit_format *format;
    uint16_t seed;
    const char *output;      /* "-": stdout */
    struct emit_output_options target;
};

static void print_usage(void)
{
    struct fc_out o;
    fc_out_open(&o, STDOUT_FILENO, "stdout");
    struct fc_out list;
    fc_out_open(&list, -1, "formats");
    emit_format_list(&list);
    fc_out_char(&list, 0);
    fc_out_printf(&o, usage_text, list.buf, EMIT_PEER_BUFFER_DEFAULT, EMIT_LINGER_DEFAULT_S);
    fc_out_close(&list);
    fc_out_close(&o);
}

static uint16_t parse_seed(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end || errno || v > 65535)
        fc_die(FC_EXIT_USAGE, "--community-id-seed: '%s' is not a number from 0 to 65535", s);
    return (uint16_t)v;
}

static void parse_options(int argc, char **argv, struct emit_options *opt)
{
    opt->format = emit_format_find("CSV");
    opt->output = "-";
    opt->target.format = "CSV";
    opt->target.peer_buffer = EMIT_PEER_BUFFER_DEFAULT;
    opt->target.linger_s = EMIT_LINGER_DEFAULT_S;
    int c;
    while ((c = getopt_long(argc, argv, "o:vh", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            opt->format = emit_format_find(optarg);
            if (!opt->format)
                fc_die(FC_EXIT_USAGE, "--format: unknown format '%s'; valid formats: %s", optarg,
                       emit_format_names());
            opt->target.format = optarg;
            break;
        case OPT_SEED: opt->seed = parse_seed(optarg); break;
        case 'o': opt->output = optarg; break;
        case OPT_PEER_BUFFER:
            opt->target.peer_buffer = (size_t)fc_parse_count(optarg, "peer-buffer", 4096, 1u << 30);
            break;
        case OPT_LINGER: opt->target.linger_s = (unsigned)fc_parse_count(optarg, "linger", 0, 3600); break;
        case OPT_NO_ALERT_TAG: {
            const char *why;
            if (!emit_alert_silence_tag(optarg, &why))
                fc_die(FC_EXIT_USAGE, "--no-alert-tag: '%s': %s", optarg, why);
            break;
        }
        case 'v': fc_verbosity = fc_verbosity > 1 ? fc_verbosity : 1; break;
        case OPT_DEBUG: fc_verbosity = 2; break;
        case 'h': print_usage(); exit(FC_EXIT_OK);
        case OPT_VERSION: printf("fc-emit %s\n", FC_VERSION); exit(FC_EXIT_OK);
        default: fc_die(FC_EXIT_USAGE, "try 'fc-emit --help'");
        }
    }
    if (optind < argc)
        fc_die(FC_EXIT_USAGE, "unexpected argument '%s'; fc-emit reads the record stream on stdin",
               argv[optind]);
}

/*
 * Where the text goes (output.h): a file target's fc_out writes to its descriptor in large
 * blocks; a network target's fc_out only collects, and complete lines are handed to the
 * sender thread once HAND_AT bytes are there or the input pauses.
 */
#define HAND_AT (64u << 10)

struct run {
    struct emit_ctx *c;
    struct emit_output output;
};

static void hand_lines(struct run *r)
{
    if (r->output.fd < 0)
        emit_output_hand_lines(&r->output, r->c->out.buf, &r->c->out.len);
}

/* A stats record of a stage before this one that exits with a failure (flowcarp-records(5)). */
static bool stage_failed(const struct fc_record *rec)
{
    uint64_t status;
    return rec->kind == FC_REC_STATS && fc_obj_uint(fc_map_get(&rec->obj, FC_KEY_EXIT_STATUS), &status) &&
           status != 0;
}

/* SIGHUP: what is buffered goes to the old file, what follows to the reopened one. */
static void reopen_on_hangup(struct run *r)
{
    if (!fc_hangup_take())
        return;
    fc_out_flush(&r->c->out);
    bool fresh = emit_output_reopen(&r->output);
    r->c->out.fd = r->output.fd;
    if (fresh && r->output.preamble_len)
        fc_out_write(&r->c->out, r->output.preamble, r->output.preamble_len);
}

/* The input pauses (a live source): what we hold goes out now, not when the buffer fills. */
static void on_input_wait(void *arg)
{
    struct run *r = arg;
    reopen_on_hangup(r);
    if (r->output.fd < 0)
        hand_lines(r);
    else
        fc_out_flush(&r->c->out);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    struct emit_options opt = { 0 };
    parse_options(argc, argv, &opt);

    static struct emit_ctx ctx;
    struct run run = { .c = &ctx };
    struct emit_ctx *c = &ctx;
    /* The target first: a listening service takes clients before the stream begins. */
    emit_output_open(&run.output, opt.output, &opt.target);
    fc_stop_signals_install();
    c->cid.seed = opt.seed;
    c->cid.base64 = true;
    fc_reader_open(&c->reader, STDIN_FILENO, "stdin");
    /* flow and alert formats read flows, and verdicts when they alert; the rest is skipped unparsed */
    if (!opt.format->record)
        fc_reader_decode_only(&c->reader, (opt.format->flow ? 1u << FC_REC_FLOW : 0) |
                                              (opt.format->alert ? 1u << FC_REC_VERDICT : 0) | 1u << FC_REC_STATS);
    fc_reader_on_wait(&c->reader, on_input_wait, &run);
    fc_out_open(&c->out, run.output.fd, run.output.name);
    fc_out_open(&c->scratch, -1, "scratch");
    fc_json_init(&c->json, &c->out);

    const struct emit_format *fmt = opt.format;
    if (fmt->begin)
        fmt->begin(c);
    emit_output_set_preamble(&run.output, c->out.buf, c->out.len);
    if (run.output.fd < 0)
        c->out.len = 0;   /* the sender has it */
    struct fc_record rec;
    int got;
    bool upstream_failed = false;
    while ((got = fc_reader_next(&c->reader, &rec)) == 1) {
        reopen_on_hangup(&run);   /* before the record: it came after the signal */
        upstream_failed |= stage_failed(&rec);
        emit_record(c, fmt, &rec);
        if (c->out.len >= HAND_AT)
            hand_lines(&run);
    }
    if (fmt->end)
        fmt->end(c);
    hand_lines(&run);

    fc_out_close(&c->out);
    fc_out_close(&c->scratch);
    bool failed = got < 0 || c->reader.failed;
    fc_reader_close(&c->reader);
    /* a failed stage before this one leaves the run failed, though not this stage */
    int status = emit_output_close(&run.output, failed || upstream_failed);
    return failed ? FC_EXIT_BAD_INPUT : status;
}
