/* \summary: fc-train: builds a protocol model (.fcp) from the sessions piped in, or merges models */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fc-feat/meters/measure.h"
#include "acceptance.h"
#include "cli.h"
#include "log.h"
#include "model.h"
#include "record.h"
#include "stream.h"

/*
 * Every session with payload adds its vector to the model: per meter, its bin
 * counts to the model's counters. Vectors come from fc-feat when it was in the
 * pipe; otherwise (or for vectors of another meter set) the samples are measured
 * here with the same meter code. Records of other kinds are read and dropped:
 * fc-train is the end of its pipe, and writes only the model file.
 */

#define MIN_SESSIONS 10
#define GOOD_SESSIONS 100
#define DEFAULT_QUANTILE 0.99
#define DEFAULT_FOLDS 10

static const char usage_text[] =
    "usage: fc-train [options] -n NAME -o FILE < sessions\n"
    "       fc-train [options] --merge -o FILE MODEL.fcp...\n"
    "Builds a protocol model from the sessions of a FlowCarp stream (fc-flow or fc-feat output).\n"
    "  -h, --help          print this help and exit\n"
    "      --version       print the version and exit\n"
    "  -v, --verbose       print what the model was made from\n"
    "      --debug         print debugging information\n"
    "  -n, --name NAME     the protocol's name, e.g. \"Example RAT\"\n"
    "  -t, --tags TAGS     comma-separated tags, e.g. MALICIOUS,REMOTEACCESS\n"
    "  -o, --output FILE   where to write the model (.fcp; - for stdout)\n"
    "      --merge         merge the given models (same name and meter set) instead\n"
    "      --quantile Q    acceptance threshold: this quantile of the sessions' out-of-fold\n"
    "                      divergences (default 0.99)\n"
    "      --folds K       folds of consecutive sessions for those divergences (default 10)\n";

enum { OPT_VERSION = 256, OPT_DEBUG, OPT_MERGE, OPT_QUANTILE, OPT_FOLDS };

static const struct option long_options[] = {
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "name", required_argument, NULL, 'n' },
    { "tags", required_argument, NULL, 't' },
    { "output", required_argument, NULL, 'o' },
    { "merge", no_argument, NULL, OPT_MERGE },
    { "quantile", required_argument, NULL, OPT_QUANTILE },
    { "folds", required_argument, NULL, OPT_FOLDS },
    { NULL, 0, NULL, 0 },
};

struct train_options {
    const char *name, *tags, *output;
    bool merge;
    double quantile;
    uint32_t folds;
};

static void add_tags(struct fc_model *m, const char *list)
{
    char why[FC_MODEL_WHY];
    for (const char *at = list; *at;) {
        size_t n = strcspn(at, ",");
        if (n > 0 && !fc_model_add_tag(m, at, n, why))
            fc_usage_error("--tags: %s", why);
        at += n + (at[n] == ',');
    }
}

static void add_vector(struct fc_model *m, const struct fc_vector *v)
{
    for (uint32_t k = 0; k < v->n_meters; k++) {
        const struct fc_vector_meter *vm = &v->meter[k];
        for (uint32_t i = 0; i < vm->n; i++)
            m->meter[k].counts[vm->bin[i]] += vm->count[i];
        m->meter[k].measurements += vm->total;
    }
}

static bool has_measurements(const struct fc_vector *v)
{
    for (uint32_t k = 0; k < v->n_meters; k++)
        if (v->meter[k].total)
            return true;
    return false;
}

/* Reads the stream and adds every session (also kept in `kept`); returns whether the input was damaged. */
static bool train_from_stream(struct fc_model *m, struct session_store *kept)
{
    struct fc_reader reader;
    fc_reader_open(&reader, STDIN_FILENO, "stdin");
    static struct vector_source source;
    static struct fc_vector vector;
    bool damaged = false, warned_other_set = false;
    struct fc_record rec;
    int got;
    while ((got = fc_reader_next(&reader, &rec)) == 1) {
        if (rec.kind != FC_REC_SAMPLE && rec.kind != FC_REC_FEATURES)
            continue;
        const char *why = NULL;
        char model_why[FC_MODEL_WHY];
        switch (vector_source_take(&source, &rec, &vector, &why)) {
        case VECTOR_READY:
            if (!has_measurements(&vector))
                break;
            add_vector(m, &vector);
            session_store_add(kept, &vector);
            if (!fc_model_add_session(m, vector.proto, model_why))
                fc_die(FC_EXIT_BAD_INPUT, "%s: offset %" PRIu64 ": %s", reader.name, rec.offset, model_why);
            break;
        case VECTOR_MALFORMED:
            fc_warn("%s: offset %" PRIu64 ": %s; session left out", reader.name, rec.offset, why);
            damaged = true;
            break;
        case VECTOR_OTHER_SET:
            if (!warned_other_set)
                fc_warn("%s: vectors were made by meter set %s version %u; this fc-train uses %s version %u, "
                        "so it measures the samples itself", reader.name, vector.set, vector.set_version,
                        METER_SET_NAME, METER_SET_VERSION);
            warned_other_set = true;
            break;
        case VECTOR_SKIP: break;
        }
    }
    if (got < 0)
        damaged = true;
    fc_reader_close(&reader);
    return damaged;
}

static void model_for_meters(struct fc_model *m, const char *name)
{
    fc_model_init(m, name, METER_SET_NAME, METER_SET_VERSION, meter_count);
    for (unsigned k = 0; k < meter_count; k++) {
        snprintf(m->meter[k].name, sizeof m->meter[k].name, "%s", meters[k].name);
        m->meter[k].version = meters[k].version;
    }
}

static void merge_files(struct fc_model *out, char **paths, int n)
{
    char why[FC_MODEL_WHY];
    for (int i = 0; i < n; i++) {
        struct fc_model m;
        if (!fc_model_load(paths[i], &m, why))
            fc_die(FC_EXIT_BAD_INPUT, "%s: %s", paths[i], why);
        if (i == 0) {
            fc_model_init(out, m.name, m.meter_set, m.meter_set_version, m.n_meters);
            for (uint32_t k = 0; k < m.n_meters; k++) {
                memcpy(out->meter[k].name, m.meter[k].name, sizeof out->meter[k].name);
                out->meter[k].version = m.meter[k].version;
            }
        } else if (strcmp(m.name, out->name) != 0) {
            fc_die(FC_EXIT_BAD_INPUT, "%s: model '%s' cannot be merged with '%s' (%s): the names differ", paths[i],
                   m.name, out->name, paths[0]);
        }
        if (!fc_model_merge(out, &m, why))
            fc_die(FC_EXIT_BAD_INPUT, "%s: cannot be merged with %s: %s", paths[i], paths[0], why);
        fc_model_free(&m);
    }
}

static void set_acceptance(struct fc_model *m, const struct session_store *kept, const struct train_options *o)
{
    double d;
    char why[FC_MODEL_WHY];
    if (!acceptance_compute(kept, m, o->quantile, o->folds, &d)) {
        fc_warn("model '%s': no session has a scored meter, so the model gets no acceptance threshold", m->name);
        return;
    }
    uint32_t turns = acceptance_turns(kept, o->quantile);
    if (!fc_model_set_acceptance(m, o->quantile, d, turns, why))
        fc_die(FC_EXIT_BAD_INPUT, "model '%s': %s", m->name, why);
    fc_info("model '%s': acceptance threshold %.4f (quantile %g of %" PRIu64 " sessions' divergences, %u folds), "
            "at least %u direction changes (reached by that share of them)",
            m->name, d, o->quantile, m->sessions, o->folds, turns);
}

static void parse_options(int argc, char **argv, struct train_options *o)
{
    int c;
    while ((c = getopt_long(argc, argv, "hvn:t:o:", long_options, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); exit(FC_EXIT_OK);
        case OPT_VERSION: printf("fc-train %s\n", FC_VERSION); exit(FC_EXIT_OK);
        case 'v': fc_verbosity = fc_verbosity > 1 ? fc_verbosity : 1; break;
        case OPT_DEBUG: fc_verbosity = 2; break;
        case 'n': o->name = optarg; break;
        case 't': o->tags = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_MERGE: o->merge = true; break;
        case OPT_QUANTILE: o->quantile = fc_parse_number(optarg, "quantile", 0.5, 1); break;
        case OPT_FOLDS: o->folds = (uint32_t)fc_parse_count(optarg, "folds", 2, 1000); break;
        default: fprintf(stderr, "Try '%s --help'.\n", fc_progname()); exit(FC_EXIT_USAGE);
        }
    }
    if (!o->output)
        fc_usage_error("%s", "no output file: give -o FILE");
    if (o->merge && optind >= argc)
        fc_usage_error("%s", "--merge needs the model files to merge");
    if (!o->merge && optind < argc)
        fc_usage_error("unexpected argument '%s' (fc-train reads sessions on stdin; use --merge for model files)",
                    argv[optind]);
    if (!o->merge && !o->name)
        fc_usage_error("%s", "no model name: give -n NAME (e.g. -n \"Example RAT\")");
    char why[FC_MODEL_WHY];
    if (o->name && !fc_model_name_ok(o->name, strlen(o->name), why))
        fc_usage_error("--name: %s", why);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    struct train_options opt = { .quantile = DEFAULT_QUANTILE, .folds = DEFAULT_FOLDS };
    parse_options(argc, argv, &opt);
    struct fc_model model;
    bool damaged = false;
    if (opt.merge) {
        merge_files(&model, argv + optind, argc - optind);
        if (opt.name)
            snprintf(model.name, sizeof model.name, "%s", opt.name);
    } else {
        model_for_meters(&model, opt.name);
        struct session_store kept = { 0 };
        damaged = train_from_stream(&model, &kept);
        if (model.sessions < MIN_SESSIONS)
            fc_die(FC_EXIT_BAD_INPUT,
                   "only %" PRIu64 " session%s with payload in the input; a model needs at least %d "
                   "(%d or more, from several sources, is better); no model written",
                   model.sessions, model.sessions == 1 ? "" : "s", MIN_SESSIONS, GOOD_SESSIONS);
        set_acceptance(&model, &kept, &opt);
        session_store_free(&kept);
    }
    if (opt.tags)
        add_tags(&model, opt.tags);
    if (model.sessions < FC_MODEL_FEW_SESSIONS)
        fc_warn("model '%s' is made from only %" PRIu64 " sessions; %d or more, from several sources, identify "
                "more reliably; below %d, fc-classify names a flow after it only if it also wins with its prior "
                "scaled to its sessions (its --few-sessions test)",
                model.name, model.sessions, GOOD_SESSIONS, FC_MODEL_FEW_SESSIONS);
    else if (model.sessions < GOOD_SESSIONS)
        fc_warn("model '%s' is made from only %" PRIu64 " sessions; %d or more, from several sources, identify "
                "more reliably", model.name, model.sessions, GOOD_SESSIONS);
    char why[FC_MODEL_WHY];
    if (!fc_model_save(opt.output, &model, why))
        fc_die(FC_EXIT_SYSTEM, "%s: %s", opt.output, why);
    fc_info("%s: model '%s', %" PRIu64 " sessions, %u tags, meter set %s version %u", opt.output, model.name,
            model.sessions, model.n_tags, model.meter_set, model.meter_set_version);
    fc_model_free(&model);
    return damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK;
}
