/* \summary: directory:Monitor:PATH, the captures in a folder and every one that arrives later */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "capture.h"
#include "input_stop.h"
#include "log.h"
#include "sources.h"
#include "xalloc.h"

/*
 * First the files already in the folder, in name order; then each file that is
 * complete: closed after writing (IN_CLOSE_WRITE) or moved in (IN_MOVED_TO). Never an
 * opened or modified file, so a capture still being written is not read half-done.
 * The watch is set up before the folder is listed, so no file falls between the two,
 * and a set of the names read makes sure none is read twice (a file rewritten later
 * keeps its first reading). Names starting with "." are left alone: writers that
 * write to a hidden name and rename it when done are read once, under the final name.
 * Files that arrive together are read in name order. Subfolders are not watched.
 */

#define EVENT_BUFFER 65536

struct names {
    char **v;                /* sorted */
    size_t n, cap;
};

/* Adds name to the set; false when it was there already. */
static bool names_add(struct names *s, const char *name)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->v[mid], name);
        if (c == 0)
            return false;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (s->n == s->cap)
        s->v = fc_xrealloc(s->v, (s->cap = s->cap ? s->cap * 2 : 64) * sizeof *s->v);
    memmove(s->v + lo + 1, s->v + lo, (s->n - lo) * sizeof *s->v);
    s->v[lo] = fc_xstrdup(name);
    s->n++;
    return true;
}

static void names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

struct monitor {
    struct sink *sink;
    const char *dir;
    struct names read;       /* base names read so far */
    bool failed;
};

static bool parse_monitor(const char *rest, struct source_arg *out)
{
    if (!rest[0]) {
        fc_warn("%s: no directory given; the form is directory:Monitor:PATH", out->arg);
        return false;
    }
    return true;
}

static void read_once(struct monitor *m, const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (base[0] == '.' || !names_add(&m->read, base))
        return;
    enum capture_outcome o = capture_read(m->sink, path, true);
    if (o == CAPTURE_DAMAGED || o == CAPTURE_UNREADABLE)
        m->failed = true;
}

static void read_present(const char *path, void *ctx)
{
    read_once(ctx, path);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the files named by one buffer of events, in name order. */
static void read_arrived(struct monitor *m, const char *buf, ssize_t len)
{
    const char *names[EVENT_BUFFER / sizeof(struct inotify_event)];
    size_t n = 0;
    for (const char *at = buf; at < buf + len;) {
        const struct inotify_event *e = (const struct inotify_event *)at;
        if (e->len && !(e->mask & IN_ISDIR))
            names[n++] = e->name;
        at += sizeof *e + e->len;
    }
    qsort(names, n, sizeof names[0], compare_strings);
    size_t dir_len = strlen(m->dir);
    for (size_t i = 0; i < n && !input_stop_requested(); i++) {
        char *path = fc_xmalloc(dir_len + strlen(names[i]) + 2);
        strcpy(path, m->dir);
        if (dir_len == 0 || m->dir[dir_len - 1] != '/')
            strcat(path, "/");
        strcat(path, names[i]);
        read_once(m, path);
        free(path);
    }
}

static bool read_monitor(const struct source_arg *src, struct sink *sink)
{
    struct monitor m = { .sink = sink, .dir = src->rest };
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0 || inotify_add_watch(fd, m.dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
        fc_warn("%s: cannot watch directory: %s", m.dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    bool had_error = false;
    if (!directory_each_file(m.dir, false, read_present, &m, &had_error))
        m.failed = true;
    fc_info("%s: watching for new captures", m.dir);
    char *buf = fc_xmalloc(EVENT_BUFFER);
    while (!input_stop_requested()) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, INPUT_POLL_MS) <= 0)
            continue;
        ssize_t len = read(fd, buf, EVENT_BUFFER);
        if (len > 0)
            read_arrived(&m, buf, len);
    }
    free(buf);
    close(fd);
    names_free(&m.read);
    return !m.failed && !had_error;
}

const struct source_kind source_monitor = { "directory:Monitor:", true, parse_monitor, read_monitor };
