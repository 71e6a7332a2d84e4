/* \summary: the SOURCE arguments: stdin, files, directory:MODE:PATH, and listing directories */
#include "sources.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#define DIRECTORY_PREFIX "directory:"
#define MAX_DEPTH 64 /* deeper trees are reported, not walked */

static const struct {
    const char *name;     /* matched case-insensitively, as the wrapper's --format is */
    bool supported;
    bool recursive;
} directory_modes[] = {
    { "Once", true, false },
    { "OnceRecursive", true, true },
    { "Monitor", false, false },
};

/* Input forms of the flowcarp product that fc-read does not read yet; an argument
 * starting so that names no existing file is refused rather than opened as a file. */
static const char *const unsupported_schemes[] = { "tcp:", "tcpconnect:", "tzsp:", "http://", "https://" };

static bool parse_directory(const char *arg, struct source_arg *out)
{
    const char *mode = arg + strlen(DIRECTORY_PREFIX);
    const char *colon = strchr(mode, ':');
    size_t mode_len = colon ? (size_t)(colon - mode) : strlen(mode);
    for (size_t i = 0; i < sizeof directory_modes / sizeof directory_modes[0]; i++) {
        if (strlen(directory_modes[i].name) != mode_len || strncasecmp(mode, directory_modes[i].name, mode_len))
            continue;
        if (!directory_modes[i].supported) {
            fc_warn("%s: directory mode %s is not supported yet (use Once or OnceRecursive)", arg,
                    directory_modes[i].name);
            return false;
        }
        if (!colon || !colon[1]) {
            fc_warn("%s: no directory given; the form is directory:%s:PATH", arg, directory_modes[i].name);
            return false;
        }
        out->kind = SOURCE_DIRECTORY;
        out->path = colon + 1;
        out->recursive = directory_modes[i].recursive;
        return true;
    }
    fc_warn("%s: unknown directory mode '%.*s' (expected Once or OnceRecursive)", arg, (int)mode_len, mode);
    return false;
}

bool source_arg_parse(const char *arg, struct source_arg *out)
{
    out->kind = SOURCE_PATH;
    out->path = arg;
    out->recursive = false;
    if (arg[0] == 0) {
        fc_warn("an empty SOURCE argument names no file");
        return false;
    }
    if (strncmp(arg, DIRECTORY_PREFIX, strlen(DIRECTORY_PREFIX)) == 0 && access(arg, F_OK) != 0)
        return parse_directory(arg, out);
    for (size_t i = 0; i < sizeof unsupported_schemes / sizeof unsupported_schemes[0]; i++)
        if (strncmp(arg, unsupported_schemes[i], strlen(unsupported_schemes[i])) == 0 && access(arg, F_OK) != 0) {
            fc_warn("%s: reading from %.*s sources is not supported yet", arg,
                    (int)strcspn(unsupported_schemes[i], ":"), unsupported_schemes[i]);
            return false;
        }
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    bool slash = n > 0 && dir[n - 1] == '/';
    char *path = fc_xmalloc(n + strlen(name) + 2);
    strcpy(path, dir);
    if (!slash)
        strcat(path, "/");
    strcat(path, name);
    return path;
}

/* The entry names of dir (without . and ..), sorted; NULL when it cannot be read. */
static char **sorted_names(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t n = 0, cap = 16;
    char **names = fc_xmalloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap)
            names = fc_xrealloc(names, (cap *= 2) * sizeof *names);
        names[n++] = fc_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names;
}

static bool walk(const char *dir, bool recursive, int depth, void (*visit)(const char *, void *), void *ctx,
                 bool *had_error)
{
    size_t n;
    char **names = sorted_names(dir, &n);
    if (!names) {
        fc_warn("%s: cannot read directory: %s", dir, strerror(errno));
        *had_error = true;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char *path = join_path(dir, names[i]);
        struct stat st, lst;
        if (stat(path, &st) != 0) {
            fc_warn("%s: %s", path, strerror(errno));
            *had_error = true;
        } else if (S_ISREG(st.st_mode)) {
            visit(path, ctx);
        } else if (S_ISDIR(st.st_mode) && recursive && lstat(path, &lst) == 0 && !S_ISLNK(lst.st_mode)) {
            if (depth < MAX_DEPTH)
                walk(path, recursive, depth + 1, visit, ctx, had_error);
            else
                fc_warn("%s: skipped: more than %d directories deep", path, MAX_DEPTH);
        } else {
            fc_debug("%s: skipped: not a regular file", path);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return true;
}

bool directory_each_file(const char *dir, bool recursive, void (*visit)(const char *path, void *ctx),
                         void *ctx, bool *had_error)
{
    return walk(dir, recursive, 0, visit, ctx, had_error);
}
