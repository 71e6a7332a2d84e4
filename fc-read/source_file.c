/* \summary: sources read once, in order: a file, stdin, directory:Once and OnceRecursive */
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "capture.h"
#include "input_stop.h"
#include "log.h"
#include "sources.h"

struct directory_visit {
    struct sink *sink;
    bool failed;
    unsigned long long files;
};

static void read_found_file(const char *path, void *ctx)
{
    struct directory_visit *v = ctx;
    if (input_stop_requested())
        return;
    v->files++;
    enum capture_outcome o = capture_read(v->sink, path, true);
    if (o == CAPTURE_DAMAGED || o == CAPTURE_UNREADABLE)
        v->failed = true;
}

static bool read_directory(struct sink *sink, const char *dir, bool recursive)
{
    struct directory_visit v = { sink, false, 0 };
    bool had_error = false;
    bool walked = directory_each_file(dir, recursive, read_found_file, &v, &had_error);
    if (walked && !v.files) /* an empty log should not pass for a quiet network */
        fc_warn("%s: no files in it%s", dir, recursive ? " or its subfolders" : " (OnceRecursive also reads subfolders)");
    return walked && !had_error && !v.failed;
}

static bool parse_path(const char *rest, struct source_arg *out)
{
    (void)rest;
    (void)out;
    return true;
}

/* A file, "-" for stdin, or a directory (read as directory:Once). */
static bool read_path(const struct source_arg *src, struct sink *sink)
{
    struct stat st;
    if (strcmp(src->arg, "-") != 0 && stat(src->arg, &st) == 0 && S_ISDIR(st.st_mode))
        return read_directory(sink, src->arg, false);
    return capture_read(sink, src->arg, false) == CAPTURE_OK;
}

const struct source_kind source_path = { "", false, parse_path, read_path };

static const struct {
    const char *name;     /* matched case-insensitively, as the wrapper's --format is */
    bool recursive;
} directory_modes[] = {
    { "Once", false },
    { "OnceRecursive", true },
};

/* MODE:PATH after "directory:" (Monitor has its own kind, source_monitor.c). */
static bool parse_directory(const char *rest, struct source_arg *out)
{
    const char *colon = strchr(rest, ':');
    size_t mode_len = colon ? (size_t)(colon - rest) : strlen(rest);
    for (size_t i = 0; i < sizeof directory_modes / sizeof directory_modes[0]; i++) {
        if (strlen(directory_modes[i].name) != mode_len || strncasecmp(rest, directory_modes[i].name, mode_len))
            continue;
        if (!colon || !colon[1]) {
            fc_warn("%s: no directory given; the form is directory:%s:PATH", out->arg, directory_modes[i].name);
            return false;
        }
        out->rest = colon + 1;
        out->recursive = directory_modes[i].recursive;
        return true;
    }
    fc_warn("%s: unknown directory mode '%.*s' (expected Once, OnceRecursive or Monitor)", out->arg,
            (int)mode_len, rest);
    return false;
}

static bool read_directory_source(const struct source_arg *src, struct sink *sink)
{
    return read_directory(sink, src->rest, src->recursive);
}

const struct source_kind source_directory = { "directory:", false, parse_directory, read_directory_source };
