/* \summary: the SOURCE arguments: one registry of source kinds, and listing directories */
#include "sources.h"

#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#define MAX_DEPTH 64 /* deeper trees are reported, not walked */

/* Longer prefixes first where one starts another (directory:Monitor: before directory:);
 * the plain path, with the empty prefix, last. */
static const struct source_kind *const kinds[] = {
    &source_monitor, &source_directory, &source_tcp_connect, &source_tcp_listen, &source_tzsp,
    &source_http, &source_https, &source_iface, &source_path,
};

struct source_counters source_counters;

bool source_arg_parse(const char *arg, struct source_arg *out)
{
    memset(out, 0, sizeof *out);
    out->arg = arg;
    if (arg[0] == 0) {
        fc_warn("an empty SOURCE argument names no file");
        return false;
    }
    bool is_file = access(arg, F_OK) == 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i]->prefix);
        if (n > 0 && (is_file || strncasecmp(arg, kinds[i]->prefix, n) != 0))
            continue;
        out->kind = kinds[i];
        out->rest = arg + n;
        return kinds[i]->parse(out->rest, out);
    }
    return false; /* not reached: the plain path takes anything */
}

bool source_parse_port(const char *text, const char *arg, uint16_t *port)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end || v < 1 || v > 65535) {
        fc_warn("%s: '%s' is not a port number from 1 to 65535", arg, text);
        return false;
    }
    *port = (uint16_t)v;
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
