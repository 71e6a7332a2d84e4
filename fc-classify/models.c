/* \summary: loads and checks the model set: built-in folder, --model overrides, slug and id collisions */
#include "models.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fc-feat/meters/meter.h"
#include "log.h"
#include "proto_names.h"
#include "verdict.h"
#include "xalloc.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *find_builtin_dir(char *buf, size_t cap)
{
    const char *env = getenv("FLOWCARP_MODELS");
    if (env && env[0]) {
        snprintf(buf, cap, "%s", env);
        return buf;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = 0; /* exe is now the binary's folder */
    static const char *const relative[] = { "../share/flowcarp/models", "../../models" };
    for (size_t i = 0; i < sizeof relative / sizeof relative[0]; i++) {
        snprintf(buf, cap, "%s/%s", exe, relative[i]);
        if (is_dir(buf))
            return buf;
    }
    return NULL;
}

/* dir/name, malloc'd. */
static char *subfolder(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = fc_xmalloc(len);
    snprintf(path, len, "%s/%s", dir, name);
    return path;
}

/* A model's counters (15 meters of 256, some 31 KB) moved into the set's arena. Why: each
 * model's block from malloc was fresh memory, touched a 4 KB page at a time, and those first
 * touches were half of fc-classify's start (bench/README.md); malloc's block, given back,
 * serves the next model's parse warm. */
static void keep_meters_in_arena(struct model_set *set, struct fc_model *m)
{
    size_t bytes = m->n_meters * sizeof *m->meter;
    struct fc_model_meter *kept = fc_huge_arena_alloc(&set->tables, bytes);
    memcpy(kept, m->meter, bytes);
    free(m->meter);
    m->meter = kept;
    m->meter_borrowed = true;
}

static void add_model(struct model_set *set, const char *path, bool background)
{
    char why[FC_MODEL_WHY];
    struct fc_model m;
    if (!fc_model_load(path, &m, why))
        fc_die(FC_EXIT_BAD_INPUT, "%s: %s", path, why);
    keep_meters_in_arena(set, &m);
    set->model = fc_xrealloc(set->model, (set->n + 1) * sizeof *set->model);
    set->origin = fc_xrealloc(set->origin, (set->n + 1) * sizeof *set->origin);
    set->background = fc_xrealloc(set->background, (set->n + 1) * sizeof *set->background);
    set->model[set->n] = m;
    set->origin[set->n] = fc_xstrdup(path);
    set->background[set->n] = background;
    set->n++;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every *.fcp file of the folder, in name order. */
static void add_builtin(struct model_set *set, const char *dir, bool background)
{
    DIR *d = opendir(dir);
    if (!d) {
        fc_info("no %s models: cannot open %s", background ? "background" : "built-in", dir);
        return;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".fcp") == 0 && e->d_name[0] != '.') {
            names = fc_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = fc_xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (n > 1) /* qsort on NULL is undefined even for 0 items */
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = fc_xmalloc(len);
        snprintf(path, len, "%s/%s", dir, names[i]);
        add_model(set, path, background);
        free(path);
        free(names[i]);
    }
    free(names);
}

static void remove_model(struct model_set *set, uint32_t i)
{
    fc_model_free(&set->model[i]);
    free(set->origin[i]);
    memmove(&set->model[i], &set->model[i + 1], (set->n - i - 1) * sizeof *set->model);
    memmove(&set->origin[i], &set->origin[i + 1], (set->n - i - 1) * sizeof *set->origin);
    memmove(&set->background[i], &set->background[i + 1], (set->n - i - 1) * sizeof *set->background);
    set->n--;
}

/* A --model or --background file replaces a built-in (or built-in background) model of the
 * same name; two files given may not share a name, nor two built-in ones. */
static void resolve_names(struct model_set *set, uint32_t n_builtin)
{
    for (uint32_t i = 1; i < set->n; i++)
        for (uint32_t j = 0; j < i; j++) {
            if (strcmp(set->model[i].name, set->model[j].name) != 0)
                continue;
            if (j < n_builtin && i >= n_builtin) {
                fc_info("%s: model '%s' replaces the built-in one from %s", set->origin[i], set->model[i].name,
                        set->origin[j]);
                remove_model(set, j);
                n_builtin--;
                i--;
                break;
            }
            fc_die(FC_EXIT_BAD_INPUT, "%s: a model named '%s' was already loaded from %s", set->origin[i],
                   set->model[i].name, set->origin[j]);
        }
}

/* Models are compared with vectors of this build's meters: the set, its version and each meter must match. */
static void check_meters(const struct model_set *set)
{
    for (uint32_t i = 0; i < set->n; i++) {
        const struct fc_model *m = &set->model[i];
        bool same = strcmp(m->meter_set, METER_SET_NAME) == 0 && m->meter_set_version == METER_SET_VERSION &&
                    m->n_meters == meter_count;
        if (!same)
            fc_die(FC_EXIT_BAD_INPUT,
                   "%s: model '%s' was made by meter set %s version %u (%u meters); this fc-classify uses %s "
                   "version %u (%u meters); retrain it with fc-train",
                   set->origin[i], m->name, m->meter_set, m->meter_set_version, m->n_meters, METER_SET_NAME,
                   METER_SET_VERSION, meter_count);
        for (uint32_t k = 0; k < m->n_meters; k++) /* the set is named alike, so say which meter differs */
            if (strcmp(m->meter[k].name, meters[k].name) != 0 || m->meter[k].version != meters[k].version)
                fc_die(FC_EXIT_BAD_INPUT,
                       "%s: model '%s': its meter %u is %s version %u, where meter set %s version %u has %s version "
                       "%u; the file was altered, or made by another build: retrain it with fc-train",
                       set->origin[i], m->name, k, m->meter[k].name, m->meter[k].version, METER_SET_NAME,
                       METER_SET_VERSION, meters[k].name, meters[k].version);
    }
}

/* FORMATS.md §1/§2: every slug and every signature id names exactly one model. */
static void check_slugs(const struct model_set *set)
{
    char a[FC_SLUG_MAX], b[FC_SLUG_MAX];
    for (uint32_t i = 1; i < set->n; i++) {
        fc_slug(set->model[i].name, strlen(set->model[i].name), a);
        for (uint32_t j = 0; j < i; j++) {
            fc_slug(set->model[j].name, strlen(set->model[j].name), b);
            if (strcmp(a, b) == 0)
                fc_die(FC_EXIT_BAD_INPUT, "%s: model '%s' has the output name '%s', as model '%s' from %s; rename one",
                       set->origin[i], set->model[i].name, a, set->model[j].name, set->origin[j]);
            if (fc_signature_id(a) == fc_signature_id(b))
                fc_die(FC_EXIT_BAD_INPUT,
                       "%s: model '%s' has the alert signature id %u, as model '%s' from %s; rename one",
                       set->origin[i], set->model[i].name, fc_signature_id(a), set->model[j].name, set->origin[j]);
        }
    }
}

static void sort_by_name(struct model_set *set)
{
    for (uint32_t i = 1; i < set->n; i++) /* insertion sort: few models, and origin moves along */
        for (uint32_t j = i; j > 0 && strcmp(set->model[j - 1].name, set->model[j].name) > 0; j--) {
            struct fc_model t = set->model[j];
            set->model[j] = set->model[j - 1];
            set->model[j - 1] = t;
            char *o = set->origin[j];
            set->origin[j] = set->origin[j - 1];
            set->origin[j - 1] = o;
            bool b = set->background[j];
            set->background[j] = set->background[j - 1];
            set->background[j - 1] = b;
        }
}

void model_set_load(struct model_set *set, const struct model_set_options *opt)
{
    memset(set, 0, sizeof *set);
    char buf[4096];
    const char *dir = opt->no_builtin ? NULL : opt->builtin_dir ? opt->builtin_dir : find_builtin_dir(buf, sizeof buf);
    /* Said, not silent: without its models every flow comes out unknown, and an fc-classify
     * built or copied elsewhere (make BUILD=/tmp/x) finds none beside itself. */
    if (dir && !is_dir(dir))
        fc_die(FC_EXIT_BAD_INPUT, "%s: not a folder of built-in models (%s)", dir,
               opt->builtin_dir ? "--models-dir" : "FLOWCARP_MODELS");
    if (!dir && !opt->no_builtin)
        fc_warn("no built-in models: FLOWCARP_MODELS is not set, and there is no ../share/flowcarp/models or "
                "../../models beside this binary; give --models-dir DIR (or --no-builtin to use only --model files)");
    if (dir) {
        add_builtin(set, dir, false);
        set->builtin_dir = fc_xstrdup(dir);
        char *background = subfolder(dir, "background");
        if (!opt->no_background && is_dir(background))
            add_builtin(set, background, true);
        free(background);
    }
    uint32_t n_builtin = set->n;
    fc_debug("built-in models: %u from %s", n_builtin, dir ? dir : "(none)");
    for (size_t i = 0; i < opt->n_extra; i++)
        add_model(set, opt->extra[i], false);
    for (size_t i = 0; i < opt->n_extra_background; i++)
        add_model(set, opt->extra_background[i], true);
    resolve_names(set, n_builtin);
    check_meters(set);
    sort_by_name(set);
    check_slugs(set);
    set->scored = fc_xcalloc(set->n ? set->n : 1, sizeof *set->scored);
    model_set_prepare(set);
}

static bool holds_name(const struct model_set *set, const char *name)
{
    for (uint32_t i = 0; i < set->n; i++)
        if (strcmp(set->model[i].name, name) == 0)
            return true;
    return false;
}

void model_set_load_optional(const struct model_set *loaded, struct model_set *optional)
{
    memset(optional, 0, sizeof *optional);
    if (!loaded->builtin_dir)
        return;
    char *dir = subfolder(loaded->builtin_dir, "optional");
    if (is_dir(dir))
        add_builtin(optional, dir, false);
    free(dir);
    for (uint32_t i = optional->n; i-- > 0;)
        if (holds_name(loaded, optional->model[i].name))
            remove_model(optional, i);
    sort_by_name(optional);
}

void model_set_prepare(struct model_set *set)
{
    if (!set->background) /* a set built by hand: no background model */
        set->background = fc_xcalloc(set->n ? set->n : 1, sizeof *set->background);
    /* looked up for every candidate of every flow: the tag test once here */
    set->alert_turns = fc_xcalloc(set->n ? set->n : 1, sizeof *set->alert_turns);
    for (uint32_t i = 0; i < set->n; i++)
        if (set->model[i].acceptance.known && fc_model_has_tag(&set->model[i], FC_MODEL_TAG_MALICIOUS))
            set->alert_turns[i] = set->model[i].acceptance.turns;
    set->text = verdict_text_make(set);
    scored_models_init(set->scored, set->model, set->n, 0, 0, &set->tables);
}

const struct scored_model *model_set_few_session_scores(struct model_set *set, uint8_t proto, double few_sessions)
{
    if (!set->few_session_scored[proto]) {
        set->few_session_scored[proto] = fc_xcalloc(set->n ? set->n : 1, sizeof *set->few_session_scored[proto]);
        scored_models_init(set->few_session_scored[proto], set->model, set->n, proto, few_sessions, &set->tables);
    }
    return set->few_session_scored[proto];
}

/* The candidates of proto among the background models or the others (with few_sessions > 0:
 * only those of fewer sessions), from `scored`, made into table[proto] on the first call. */
static struct candidates *candidates_of(struct model_set *set, const struct scored_model *scored, bool background,
                                        double few_sessions, struct candidates **table, bool *made, uint8_t proto)
{
    if (!made[proto]) { /* made when the first flow of the protocol comes */
        struct candidates c;
        if (candidates_init(&c, scored, set->model, set->n, set->background, background, proto, few_sessions,
                            &set->tables)) {
            table[proto] = fc_xmalloc(sizeof c);
            *table[proto] = c;
        }
        made[proto] = true;
    }
    return table[proto];
}

struct candidates *model_set_candidates(struct model_set *set, uint8_t proto)
{
    return candidates_of(set, set->scored, false, 0, set->by_proto, set->by_proto_made, proto);
}

struct candidates *model_set_background_candidates(struct model_set *set, uint8_t proto)
{
    return candidates_of(set, set->scored, true, 0, set->background_by_proto, set->background_by_proto_made, proto);
}

struct candidates *model_set_few_session_candidates(struct model_set *set, uint8_t proto, double few_sessions)
{
    return candidates_of(set, model_set_few_session_scores(set, proto, few_sessions), false, few_sessions,
                         set->few_session_by_proto, set->few_session_by_proto_made, proto);
}

static void candidates_table_free(struct candidates **table)
{
    for (unsigned proto = 0; proto < 256; proto++)
        free(table[proto]);
}

void model_set_free(struct model_set *set)
{
    for (unsigned proto = 0; proto < 256; proto++)
        free(set->few_session_scored[proto]);
    for (uint32_t i = 0; i < set->n; i++) {
        fc_model_free(&set->model[i]);
        free(set->origin[i]);
    }
    free(set->scored);
    verdict_text_free(set->text, set->n);
    candidates_table_free(set->by_proto);
    candidates_table_free(set->background_by_proto);
    candidates_table_free(set->few_session_by_proto);
    fc_huge_arena_free(&set->tables);
    free(set->model);
    free(set->origin);
    free(set->background);
    free(set->alert_turns);
    free(set->builtin_dir);
    memset(set, 0, sizeof *set);
}
