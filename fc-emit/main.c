/* \summary: fc-emit: the last stage, writes a record stream's flows and alerts as CSV, TSV, Zeek or Eve text */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "log.h"
#include "record.h"

static const char usage_text[] =
    "usage: fc-emit [--format NAME] [--community-id-seed N] [-o FILE]\n"
    "Reads a FlowCarp record stream on stdin and writes its flows (and alerts) as text.\n"
    "  --format NAME            output format (default CSV; names are case-insensitive):\n"
    "%s"
    "  --community-id-seed N    Community ID seed, 0-65535 (default 0)\n"
    "  -o, --output FILE        write to FILE instead of stdout\n"
    "  -v, --verbose            log more to stderr\n"
    "      --debug              log debug information\n"
    "  -h, --help               print this help and exit\n"
    "      --version            print the version and exit\n";

enum { OPT_FORMAT = 256, OPT_SEED, OPT_DEBUG, OPT_VERSION };

static const struct option long_options[] = {
    { "format", required_argument, NULL, OPT_FORMAT },
    { "community-id-seed", required_argument, NULL, OPT_SEED },
    { "output", required_argument, NULL, 'o' },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

struct emit_options {
    const struct emit_format *format;
    uint16_t seed;
    const char *output;      /* NULL: stdout */
};

static void print_usage(void)
{
    struct fc_out o;
    fc_out_open(&o, STDOUT_FILENO, "stdout");
    struct fc_out list;
    fc_out_open(&list, -1, "formats");
    emit_format_list(&list);
    fc_out_char(&list, 0);
    fc_out_printf(&o, usage_text, list.buf);
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
    int c;
    while ((c = getopt_long(argc, argv, "o:vh", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            opt->format = emit_format_find(optarg);
            if (!opt->format)
                fc_die(FC_EXIT_USAGE, "--format: unknown format '%s'; valid formats: %s", optarg,
                       emit_format_names());
            break;
        case OPT_SEED: opt->seed = parse_seed(optarg); break;
        case 'o': opt->output = optarg; break;
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

static int open_output(const char *path)
{
    if (!path)
        return STDOUT_FILENO;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        fc_die(FC_EXIT_SYSTEM, "%s: cannot create: %s", path, strerror(errno));
    return fd;
}

/* A flow record goes to flow(); a verdict record that alerts (identified, MALICIOUS)
 * goes to alert(), at once: the verdict is made long before a C2 flow ends. */
static void emit_flow_or_alert(struct emit_ctx *c, const struct emit_format *fmt, const struct fc_record *rec)
{
    void (*line)(struct emit_ctx *, const struct emit_flow *) =
        rec->kind == FC_REC_FLOW ? fmt->flow : rec->kind == FC_REC_VERDICT ? fmt->alert : NULL;
    if (!line)
        return;   /* packets, samples, sources, stats; or a kind this format does not print */
    struct fc_flow flow;
    struct emit_flow ef;
    const char *why = "";
    if (!emit_flow_prepare(c, &rec->obj, &flow, &ef, &why)) {
        fc_warn("%s: offset %llu: %s record skipped: %s", c->reader.name, (unsigned long long)rec->offset,
                rec->kind == FC_REC_FLOW ? "flow" : "verdict", why);
        c->reader.failed = true;
        return;
    }
    if (rec->kind == FC_REC_FLOW || ef.v.alerted)
        line(c, &ef);
}

static void emit_record(struct emit_ctx *c, const struct emit_format *fmt, const struct fc_record *rec)
{
    if (fmt->record)
        fmt->record(c, rec);
    else
        emit_flow_or_alert(c, fmt, rec);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    struct emit_options opt = { 0 };
    parse_options(argc, argv, &opt);

    static struct emit_ctx ctx;
    struct emit_ctx *c = &ctx;
    c->cid.seed = opt.seed;
    c->cid.base64 = true;
    fc_reader_open(&c->reader, STDIN_FILENO, "stdin");
    if (!opt.format->record) /* flow and alert formats read flows and verdicts only; skip samples unparsed */
        fc_reader_decode_only(&c->reader, 1u << FC_REC_FLOW | 1u << FC_REC_VERDICT);
    fc_out_open(&c->out, open_output(opt.output), opt.output ? opt.output : "stdout");
    fc_out_open(&c->scratch, -1, "scratch");
    fc_json_init(&c->json, &c->out);

    const struct emit_format *fmt = opt.format;
    if (fmt->begin)
        fmt->begin(c);
    struct fc_record rec;
    int got;
    while ((got = fc_reader_next(&c->reader, &rec)) == 1)
        emit_record(c, fmt, &rec);
    if (fmt->end)
        fmt->end(c);

    fc_out_close(&c->out);
    if (opt.output && close(c->out.fd) != 0)
        fc_die(FC_EXIT_SYSTEM, "%s: write error: %s", opt.output, strerror(errno));
    fc_out_close(&c->scratch);
    bool failed = got < 0 || c->reader.failed;
    fc_reader_close(&c->reader);
    return failed ? FC_EXIT_BAD_INPUT : FC_EXIT_OK;
}
