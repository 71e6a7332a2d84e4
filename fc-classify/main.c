/* \summary: fc-classify: names each flow's protocol by comparing its vector with protocol models */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fc-feat/meters/measure.h"
#include "cli.h"
#include "flow_record.h"
#include "log.h"
#include "models.h"
#include "pending.h"
#include "recent.h"
#include "record.h"
#include "stop_signal.h"
#include "stream.h"
#include "verdict.h"
#include "xalloc.h"

/*
 * For each vector record (from fc-feat) or sample record (measured here when
 * fc-feat was not in the pipe) the verdict is decided at once and written as a
 * verdict record (kind 5) right after it, with the flow as it was when the sample
 * completed, so an alert can be raised while the flow is still open. The verdict
 * then waits (bounded, pending.h) for the flow record, which is re-packed with the
 * verdict fields added and every other field kept. A flow record with no waiting
 * verdict had no payload sample: no_payload, or unknown if it did carry payload.
 */

static const char usage_text[] =
    "usage: fc-classify [options] < flows > flows-with-verdicts\n"
    "Names each flow's application protocol by comparing its payload sample with protocol models.\n"
    "This product uses the SPID Algorithm, designed by Erik Hjelmvik.\n"
    "  -h, --help              print this help and exit\n"
    "      --version           print the version and exit\n"
    "  -v, --verbose           print the counters on stderr at the end\n"
    "      --debug             print debugging information\n"
    "  -m, --model FILE        also load this model (.fcp); repeatable; replaces a built-in model\n"
    "                          of the same name\n"
    "      --models-dir DIR    built-in models folder (default: $FLOWCARP_MODELS, else found\n"
    "                          beside the fc-classify binary)\n"
    "      --no-builtin        load only the --model files\n"
    "      --no-background     leave out the built-in background models (benign look-alikes\n"
    "                          of threats: they never name a flow, but a MALICIOUS model\n"
    "                          must stand out from them)\n"
    "      --background FILE   also load this model (.fcp) as a background model; repeatable;\n"
    "                          replaces a built-in model of the same name\n"
    "      --list-models       print name, tags, sessions, transports and file of every\n"
    "                          loaded model that names flows and exit; background models\n"
    "                          and optional models not loaded are named on stderr\n"
    "      --ratio R           unknown when the best divergence exceeds R times the runner-up's\n"
    "                          (default 0.93; 1 turns the test off)\n"
    "      --max-divergence D  unknown when the best divergence exceeds D (default 3.0)\n"
    "      --acceptance F      unknown when the best divergence exceeds F times the model's\n"
    "                          acceptance threshold, or the flow changes direction fewer\n"
    "                          times than it asks, for MALICIOUS models (default 2.0; 0\n"
    "                          turns both tests off)\n"
    "      --few-sessions N    a model trained from fewer than N sessions of the flow's transport\n"
    "                          names it only if it still wins with its prior scaled to those\n"
    "                          sessions / N\n"
    "                          (default 70; 0 turns the test off)\n"
    "      --explain N         list the N closest models with per-meter divergences in each\n"
    "                          verdict record (default 0)\n"
    "      --max-pending N     most verdicts waiting for their flow record (default 262144)\n"
    "      --keep-vectors      pass vector records (kind 4) on (default: consumed here)\n"
    "      --drop-samples      do not pass on the sample records (kind 3) measured here\n"
    "      --no-verdict-records  verdicts go into the flow records only, not also into verdict\n"
    "                          records (kind 5) as soon as they exist (alerts need those)\n";

enum {
    OPT_VERSION = 256, OPT_DEBUG, OPT_MODELS_DIR, OPT_NO_BUILTIN, OPT_NO_BACKGROUND, OPT_BACKGROUND, OPT_LIST,
    OPT_RATIO, OPT_CEILING, OPT_ACCEPTANCE,
    OPT_FEW_SESSIONS, OPT_EXPLAIN,
    OPT_MAX_PENDING, OPT_KEEP_VECTORS, OPT_DROP_SAMPLES, OPT_NO_VERDICT_RECORDS,
};

static const struct option long_options[] = {
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "model", required_argument, NULL, 'm' },
    { "models-dir", required_argument, NULL, OPT_MODELS_DIR },
    { "no-builtin", no_argument, NULL, OPT_NO_BUILTIN },
    { "no-background", no_argument, NULL, OPT_NO_BACKGROUND },
    { "background", required_argument, NULL, OPT_BACKGROUND },
    { "list-models", no_argument, NULL, OPT_LIST },
    { "ratio", required_argument, NULL, OPT_RATIO },
    { "max-divergence", required_argument, NULL, OPT_CEILING },
    { "acceptance", required_argument, NULL, OPT_ACCEPTANCE },
    { "few-sessions", required_argument, NULL, OPT_FEW_SESSIONS },
    { "explain", required_argument, NULL, OPT_EXPLAIN },
    { "max-pending", required_argument, NULL, OPT_MAX_PENDING },
    { "keep-vectors", no_argument, NULL, OPT_KEEP_VECTORS },
    { "drop-samples", no_argument, NULL, OPT_DROP_SAMPLES },
    { "no-verdict-records", no_argument, NULL, OPT_NO_VERDICT_RECORDS },
    { NULL, 0, NULL, 0 },
};

#define CLASSIFY_COUNTERS(X) X(vectors) X(identified) X(unknown) X(no_payload) X(flows_without_sample) \
    X(evicted) X(malformed)

struct counters {
#define DECLARE(name) uint64_t name;
    CLASSIFY_COUNTERS(DECLARE)
};

struct classifier {
    struct model_set models;
    struct verdict_options opt;
    struct pending pending;
    struct vector_source source;
    struct fc_vector vector;
    struct session session;
    struct recent recent;      /* verdicts of recent samples, for identical ones (recent.h) */
    struct counters count;
    bool warned_other_set;
    bool keep_vectors;         /* pass vector records on (they are big; later stages need only verdicts) */
    bool drop_samples;         /* consume the samples measured here (only the Json view shows them) */
    bool no_verdict_records;   /* verdicts in flow records only: half the bytes to fc-emit, when no alert is wanted */
    struct fc_reader reader;
    struct fc_writer writer;
};

/* The model's tags, comma-separated, or none when it has no tag. */
static void print_tags(FILE *out, const struct fc_model *m, const char *none)
{
    for (uint32_t t = 0; t < m->n_tags; t++)
        fprintf(out, "%s%s", t ? "," : "", m->tags[t]);
    if (!m->n_tags)
        fputs(none, out);
}

/* The models that name flows, one line each on stdout; the background models (which do not)
 * on stderr, with what they are for. */
static void list_models(const struct model_set *set)
{
    for (uint32_t i = 0; i < set->n; i++) {
        const struct fc_model *m = &set->model[i];
        if (set->background[i]) {
            char *real = realpath(set->origin[i], NULL); /* not build/bin/../../models/... */
            fprintf(stderr, "%s: background model %s (", fc_progname(), m->name);
            print_tags(stderr, m, "");
            fprintf(stderr, "%s%" PRIu64 " sessions) from %s never names a flow; a MALICIOUS model must stand out "
                    "from it (--no-background leaves it out)\n", m->n_tags ? "; " : "", m->sessions,
                    real ? real : set->origin[i]);
            free(real);
            continue;
        }
        printf("%s\t", m->name);
        print_tags(stdout, m, "-");
        printf("\t%" PRIu64 "\t", m->sessions);
        for (uint32_t t = 0; t < m->n_l4; t++) /* each transport's sessions: the few-session test counts them */
            printf("%s%u:%" PRIu64, t ? "," : "", m->l4[t].proto, m->l4[t].sessions);
        printf("\t%s\n", set->origin[i]);
    }
}

/* The installed optional models are not loaded, so the list does not show them: said on
 * stderr (the list on stdout stays one line per loaded model), with how to load each. */
static void tell_optional_models(const struct model_set *loaded)
{
    struct model_set optional;
    model_set_load_optional(loaded, &optional);
    for (uint32_t i = 0; i < optional.n; i++) {
        const struct fc_model *m = &optional.model[i];
        char *real = realpath(optional.origin[i], NULL); /* not build/bin/../../models/... */
        fprintf(stderr, "%s: optional model %s (", fc_progname(), m->name);
        print_tags(stderr, m, "");
        fprintf(stderr, "%s%" PRIu64 " sessions) is not loaded; load it with --model %s\n", m->n_tags ? "; " : "",
                m->sessions, real ? real : optional.origin[i]);
        free(real);
    }
    model_set_free(&optional);
}

/* The verdict record: the sample's (or vector's) flow fields, the time, the verdict. */
static void write_verdict_record(struct classifier *c, const struct fc_record *rec, const struct verdict *v)
{
    const msgpack_object *from = &rec->obj;
    /* sample and vector fields, and verdict fields of an earlier classifier, are left out */
    static const char *const skip[] = { FC_KEY_KIND, FC_KEY_OBS, FC_KEY_METER_SET, FC_KEY_METER_SET_VERSION,
                                        FC_KEY_BINS, FC_KEY_AT, FC_KEY_EXPLAIN, FC_KEY_VERDICT, FC_KEY_PROTOCOL,
                                        FC_KEY_MODEL, FC_KEY_DIVERGENCE, FC_KEY_RUNNER_UP,
                                        FC_KEY_RUNNER_UP_DIVERGENCE, FC_KEY_TAGS, FC_KEY_USED_PKTS, FC_KEY_TURNS };
    size_t n_skip = sizeof skip / sizeof skip[0];
    int64_t at = 0;
    bool has_at = fc_obj_int(fc_map_get(from, FC_KEY_END), &at);
    msgpack_packer *pk = fc_writer_packer(&c->writer);
    struct fc_map_copy fields;
    msgpack_pack_map(pk, 1 + fc_map_copy_plan(&fields, from, rec->raw, rec->raw_len, skip, n_skip) + has_at +
                             verdict_field_count(&c->models, v) + verdict_explain_field_count(&c->opt, &c->session));
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_VERDICT);
    fc_map_copy_pack(pk, &fields);
    if (has_at)
        fc_pack_kv_int(pk, FC_KEY_AT, at);
    verdict_pack_fields(pk, &c->models, v);
    if (c->opt.explain)
        verdict_pack_explain(pk, &c->models, &c->opt, &c->vector, &c->session);
    fc_writer_record_done(&c->writer);
}

static void count_verdict(struct counters *count, const struct verdict *v)
{
    if (v->kind == VERDICT_IDENTIFIED)
        count->identified++;
    else if (v->kind == VERDICT_UNKNOWN)
        count->unknown++;
    else
        count->no_payload++;
}

static void on_vector_or_sample(struct classifier *c, const struct fc_record *rec)
{
    const char *why = NULL;
    /* a sample is measured straight into the scoring session (session_measure), a vector
     * record prepared for it */
    bool sample = rec->kind == FC_REC_SAMPLE;
    enum vector_take took = sample ? vector_source_read_sample(&c->source, rec, &why)
                                   : vector_source_take(&c->source, rec, &c->vector, &why);
    /* a vector used here is consumed (the verdict carries what later stages need), and so is
     * a sample with --drop-samples; one that could not be used goes on, as every record a
     * stage does not handle */
    bool consumed = took == VECTOR_READY && (rec->kind == FC_REC_FEATURES ? !c->keep_vectors : c->drop_samples);
    if (!consumed)
        fc_writer_raw(&c->writer, rec->raw, rec->raw_len);
    switch (took) {
    case VECTOR_READY: {
        struct verdict v;
        if (sample) {
            const struct meter_sample *m = &c->source.sample;
            pending_prefetch(&c->pending, m->flow_id);
            c->vector.flow_id = m->flow_id;
            c->vector.proto = m->proto;
            c->vector.payload_pkts = m->session.n;
            /* --explain shows the session's divergences, so it always scores */
            if (c->opt.explain || !recent_find(&c->recent, m->proto, &m->session, &v)) {
                bool measured = session_measure(&m->session, model_set_candidates(&c->models, m->proto), &c->session);
                verdict_decide_session(&c->models, &c->opt, m->proto, m->session.n, &c->session, measured, &v);
                if (!c->opt.explain)
                    recent_keep(&c->recent, &v);
            }
        } else {
            verdict_decide(&c->models, &c->opt, &c->vector, &c->session, &v);
        }
        c->count.vectors++;
        if (!c->no_verdict_records)
            write_verdict_record(c, rec, &v);
        pending_put(&c->pending, c->vector.flow_id, &v);
        break;
    }
    case VECTOR_MALFORMED:
        fc_warn("%s: offset %" PRIu64 ": %s; flow left unclassified", c->reader.name, rec->offset, why);
        c->count.malformed++;
        c->reader.failed = true;
        break;
    case VECTOR_OTHER_SET:
        if (!c->warned_other_set)
            fc_warn("%s: vectors were made by meter set %s version %u; this fc-classify uses %s version %u, so it "
                    "measures the samples itself", c->reader.name, c->vector.set, c->vector.set_version,
                    METER_SET_NAME, METER_SET_VERSION);
        c->warned_other_set = true;
        break;
    case VECTOR_SKIP: break;
    }
}

static uint64_t side_payload(const msgpack_object *flow, const char *side)
{
    const msgpack_object *s = fc_map_get(flow, side);
    uint64_t n = 0;
    if (s && s->type == MSGPACK_OBJECT_MAP)
        fc_obj_uint(fc_map_get(s, FC_KEY_SIDE_PAYLOAD), &n);
    return n;
}

static void on_flow(struct classifier *c, const struct fc_record *rec)
{
    uint64_t id = 0;
    struct verdict v;
    /* an interim record (preview, flush): the flow goes on, its final record needs the verdict
     * too, and only the final record is counted */
    bool interim = fc_flow_map_is_interim(&rec->obj);
    if (!fc_obj_uint(fc_map_get(&rec->obj, FC_KEY_ID), &id) || !pending_take(&c->pending, id, &v)) {
        bool payload = side_payload(&rec->obj, FC_KEY_ORIG) || side_payload(&rec->obj, FC_KEY_RESP);
        v = (struct verdict){ .kind = payload ? VERDICT_UNKNOWN : VERDICT_NO_PAYLOAD, .best = VERDICT_NONE,
                              .runner_up = VERDICT_NONE };
        if (!interim) {
            c->count.flows_without_sample += payload;
            count_verdict(&c->count, &v);
        }
    } else if (interim) {
        pending_put(&c->pending, id, &v);
    } else {
        count_verdict(&c->count, &v);
    }
    msgpack_packer *pk = fc_writer_packer(&c->writer);
    struct fc_map_copy fields;
    uint32_t kept = fc_map_copy_plan(&fields, &rec->obj, rec->raw, rec->raw_len, verdict_keys, verdict_key_count);
    msgpack_pack_map(pk, kept + verdict_field_count(&c->models, &v));
    fc_map_copy_pack(pk, &fields);
    verdict_pack_fields(pk, &c->models, &v);
    fc_writer_record_done(&c->writer);
}

static void write_stats(struct classifier *c, int exit_status)
{
    c->count.evicted = c->pending.evicted;
    msgpack_packer *pk = fc_writer_packer(&c->writer);
    fc_pack_stats_start(pk, "fc-classify", exit_status);
#define ONE(name) +1
    msgpack_pack_map(pk, 0 CLASSIFY_COUNTERS(ONE));
#define PACK(name) fc_pack_kv_uint(pk, #name, c->count.name);
    CLASSIFY_COUNTERS(PACK)
    fc_writer_record_done(&c->writer);
#define INFO(name) fc_info("%s: %" PRIu64, #name, c->count.name);
    CLASSIFY_COUNTERS(INFO)
    fc_info("reused: %" PRIu64 " (verdicts of samples identical to a recent one; all forgotten %" PRIu64
            " times to make room)", c->recent.hits, c->recent.forgotten);
}

static uint32_t parse_options(int argc, char **argv, struct model_set_options *mo, bool *list, struct classifier *cl)
{
    struct verdict_options *vo = &cl->opt;
    uint32_t max_pending = 262144;
    int c;
    while ((c = getopt_long(argc, argv, "hvm:", long_options, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); exit(FC_EXIT_OK);
        case OPT_VERSION: printf("fc-classify %s\n", FC_VERSION); exit(FC_EXIT_OK);
        case 'v': fc_verbosity = fc_verbosity > 1 ? fc_verbosity : 1; break;
        case OPT_DEBUG: fc_verbosity = 2; break;
        case 'm':
            mo->extra = fc_xrealloc(mo->extra, (mo->n_extra + 1) * sizeof *mo->extra);
            mo->extra[mo->n_extra++] = optarg;
            break;
        case OPT_MODELS_DIR: mo->builtin_dir = optarg; break;
        case OPT_NO_BUILTIN: mo->no_builtin = true; break;
        case OPT_NO_BACKGROUND: mo->no_background = true; break;
        case OPT_BACKGROUND:
            mo->extra_background = fc_xrealloc(mo->extra_background,
                                               (mo->n_extra_background + 1) * sizeof *mo->extra_background);
            mo->extra_background[mo->n_extra_background++] = optarg;
            break;
        case OPT_LIST: *list = true; break;
        case OPT_RATIO: vo->ratio = fc_parse_number(optarg, "ratio", 0, 1); break;
        case OPT_CEILING: vo->ceiling = fc_parse_number(optarg, "max-divergence", 0, 1e6); break;
        case OPT_ACCEPTANCE: vo->acceptance = fc_parse_number(optarg, "acceptance", 0, 1e6); break;
        case OPT_FEW_SESSIONS: vo->few_sessions = (double)fc_parse_count(optarg, "few-sessions", 0, 1000000000); break;
        case OPT_EXPLAIN: vo->explain = (unsigned)fc_parse_count(optarg, "explain", 0, 16); break;
        case OPT_KEEP_VECTORS: cl->keep_vectors = true; break;
        case OPT_DROP_SAMPLES: cl->drop_samples = true; break;
        case OPT_NO_VERDICT_RECORDS: cl->no_verdict_records = true; break;
        case OPT_MAX_PENDING: max_pending = (uint32_t)fc_parse_count(optarg, "max-pending", 1, 1 << 26); break;
        default: fprintf(stderr, "Try '%s --help'.\n", fc_progname()); exit(FC_EXIT_USAGE);
        }
    }
    if (optind < argc)
        fc_usage_error("unexpected argument '%s' (fc-classify reads stdin and writes stdout; models go with --model)",
                    argv[optind]);
    return max_pending;
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    static struct classifier c;
    struct model_set_options mo = { 0 };
    c.opt = (struct verdict_options){ .ratio = 0.93, .ceiling = 3.0, .acceptance = 2.0, .few_sessions = FC_MODEL_FEW_SESSIONS,
                                      .explain = 0 };
    bool list = false;
    uint32_t max_pending = parse_options(argc, argv, &mo, &list, &c);
    model_set_load(&c.models, &mo);
    free(mo.extra);
    free(mo.extra_background);
    if (list) {
        list_models(&c.models);
        tell_optional_models(&c.models);
        model_set_free(&c.models);
        return FC_EXIT_OK;
    }
    if (c.models.n == 0)
        fc_warn("no protocol models loaded; every flow with payload will be unknown (give --model FILE)");
    fc_stop_signals_install();
    fc_writer_open(&c.writer, STDOUT_FILENO, "stdout");
    fc_reader_open(&c.reader, STDIN_FILENO, "stdin");
    fc_reader_flush_on_wait(&c.reader, &c.writer);
    fc_writer_header(&c.writer, &c.reader.header, argc, argv, NULL);
    pending_init(&c.pending, max_pending);
    recent_init(&c.recent);

    struct fc_record rec;
    int got;
    while ((got = fc_reader_next(&c.reader, &rec)) == 1) {
        if (rec.kind == FC_REC_SAMPLE || rec.kind == FC_REC_FEATURES)
            on_vector_or_sample(&c, &rec);
        else if (rec.kind == FC_REC_FLOW)
            on_flow(&c, &rec);
        else
            fc_writer_raw(&c.writer, rec.raw, rec.raw_len);
    }
    bool damaged = got < 0 || c.reader.failed;
    write_stats(&c, damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK);
    fc_writer_close(&c.writer);
    fc_reader_close(&c.reader);
    pending_free(&c.pending);
    recent_free(&c.recent);
    model_set_free(&c.models);
    return damaged ? FC_EXIT_BAD_INPUT : FC_EXIT_OK;
}
